/* rapport-sync-state.h: sync bookkeeping in the store (conflicts, user id) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

/* Reasons of a conflict row (the column "reason"). Refusals by the server
 * are recorded as "refused: <the server's reason>". */
#define RAPPORT_CONFLICT_REPLACED "replaced"
#define RAPPORT_CONFLICT_DELETED  "deleted"
#define RAPPORT_CONFLICT_REFUSED_PREFIX "refused: "

gboolean rapport_store_add_conflict      (RapportStore *self,
                                          const char   *entity,
                                          const char   *record_id,
                                          const char   *field,
                                          JsonNode     *lost_value,
                                          const char   *lost_stamp,
                                          const char   *winner_stamp,
                                          const char   *reason,
                                          GError      **error);
/* The same, naming the account whose change won (@winner_author, nullable). */
gboolean rapport_store_add_conflict_by   (RapportStore *self,
                                          const char   *entity,
                                          const char   *record_id,
                                          const char   *field,
                                          JsonNode     *lost_value,
                                          const char   *lost_stamp,
                                          const char   *winner_stamp,
                                          const char   *winner_author,
                                          const char   *reason,
                                          GError      **error);
gint64   rapport_store_count_conflicts   (RapportStore *self,
                                          const char   *record_id);

/* A local write that did not make it, for the record to show: "your change
 * of FIELD was replaced by a newer one", "...was kept in the Trash", or
 * "...was refused: REASON". */
typedef struct
{
  gint64 id;
  char *entity;
  char *record_id;
  char *field;
  char *lost_value;      /* JSON text of the value that lost, or NULL */
  char *lost_stamp;
  char *winner_stamp;    /* NULL when not known */
  char *reason;          /* RAPPORT_CONFLICT_* or "refused: ..." */
  gint64 at;
  gboolean seen;
  char *winner_author;   /* the account id of whoever made the winner, or NULL */
} RapportConflict;

#define RAPPORT_TYPE_CONFLICT (rapport_conflict_get_type ())
GType            rapport_conflict_get_type (void) G_GNUC_CONST;
RapportConflict *rapport_conflict_copy     (const RapportConflict *conflict);
void             rapport_conflict_free     (RapportConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportConflict, rapport_conflict_free)

/* (element-type RapportConflict), newest first; @record_id NULL for all. */
GPtrArray *rapport_store_list_conflicts      (RapportStore *self,
                                              const char   *record_id,
                                              gboolean      include_seen,
                                              GError      **error);
gboolean   rapport_store_mark_conflicts_seen (RapportStore *self,
                                              const char   *record_id,
                                              GError      **error);

gboolean rapport_store_restamp_ahead     (RapportStore *self,
                                          gint64        server_ms,
                                          guint        *n_restamped,
                                          GError      **error);

gboolean rapport_store_replace_user_id   (RapportStore *self,
                                          const char   *old_id,
                                          const char   *new_id,
                                          GError      **error);

G_END_DECLS
