/* rapport-journal.h: changes, the unit of sync, and the local journal */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

/* A change writes some fields of one record under one clock stamp. Local
 * writes are journaled as changes until the server acknowledges them; pulled
 * changes are merged through the same write path. */
typedef struct
{
  char *id;           /* change id, a UUID: the server applies each once */
  char *entity;       /* "contact", "note", ... */
  char *record_id;
  char *stamp;
  JsonObject *fields;
  gint64 seq;         /* local journal order, or server sequence when pulled */
  char *author;       /* pulled: the account whose push made it (NULL: the
                       * server's own, or unknown); never sent in a push */
  gboolean erased;    /* an erasure: the contact and everything about it is
                       * purged (fields empty, entity "contact") */
  RapportRecord *record; /* (nullable) set by rapport_change_validate(): @fields
                          * on a new record of the entity, with the record's
                          * id; the store writes it as is when the record is
                          * new, so @fields must not change afterwards */
} RapportChange;

#define RAPPORT_TYPE_CHANGE (rapport_change_get_type ())
GType          rapport_change_get_type   (void) G_GNUC_CONST;
RapportChange *rapport_change_new        (const char    *id,
                                          const char    *entity,
                                          const char    *record_id,
                                          const char    *stamp,
                                          JsonObject    *fields);
RapportChange *rapport_change_copy       (const RapportChange *change);
void           rapport_change_free       (RapportChange *change);
JsonNode      *rapport_change_to_json    (const RapportChange *change);
RapportChange *rapport_change_from_json  (JsonNode      *node,
                                          GError       **error);
RapportChange *rapport_change_read_json  (JsonNode      *node,
                                          GError       **error);
gboolean       rapport_change_validate   (RapportChange *change,
                                          GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportChange, rapport_change_free)

GPtrArray     *rapport_store_pending_changes (RapportStore  *self,
                                              guint          limit,
                                              GError       **error);
gint64         rapport_store_count_pending   (RapportStore  *self);
gboolean       rapport_store_ack_changes     (RapportStore  *self,
                                              const char *const *change_ids,
                                              GError       **error);
gboolean       rapport_store_apply_changes   (RapportStore  *self,
                                              GPtrArray     *changes,
                                              const char    *state_key,
                                              const char    *state_value,
                                              GError       **error);
typedef enum
{
  RAPPORT_APPLY_DEFAULT = 0,
  RAPPORT_APPLY_MERGE_ALL = 1 << 0,  /* no fast path for records not stored yet */
} RapportApplyFlags;

gboolean       rapport_store_apply_changes_full (RapportStore *self,
                                              GPtrArray     *changes,
                                              const char    *state_key,
                                              const char    *state_value,
                                              RapportApplyFlags flags,
                                              GError       **error);
gboolean       rapport_store_apply_changes_text (RapportStore *self,
                                              const char    *text,
                                              gsize          length,
                                              const char    *state_key,
                                              const char    *state_value,
                                              GPtrArray    **applied,
                                              guint         *n_changes,
                                              GError       **error);
/* A pulled page read from its text, applied later (rapport-journal-text.c). */
typedef struct _RapportPulledPage RapportPulledPage;

RapportPulledPage *rapport_pulled_page_read  (GBytes        *text,
                                              GError       **error);
guint          rapport_pulled_page_get_n_changes (RapportPulledPage *page);
void           rapport_pulled_page_free      (RapportPulledPage *page);
gboolean       rapport_store_apply_pulled    (RapportStore  *self,
                                              RapportPulledPage *page,
                                              const char    *state_key,
                                              const char    *state_value,
                                              GPtrArray    **applied,
                                              GError       **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportPulledPage, rapport_pulled_page_free)
gboolean       rapport_page_read_envelope    (const char    *text,
                                              gsize          length,
                                              char         **epoch,
                                              gint64        *cursor,
                                              gboolean      *more,
                                              GError       **error);
/* Undoing refused changes (rapport-journal-base.c). keep_base is called by
 * the write path before a local edit; drop_settled_bases after acks. */
gboolean       rapport_store_keep_base       (RapportStore  *self,
                                              const RapportEntity *entity,
                                              const char    *id,
                                              RapportRecord *old,
                                              JsonObject    *diff,
                                              GError       **error);
gboolean       rapport_store_drop_settled_bases (RapportStore *self,
                                              GError       **error);
gboolean       rapport_store_restore_refused (RapportStore  *self,
                                              RapportChange *change,
                                              GError       **error);
gboolean       rapport_store_note_applied    (RapportStore  *self,
                                              GPtrArray     *changes,
                                              GError       **error);
GPtrArray     *rapport_store_snapshot_changes (RapportStore *self,
                                               GError      **error);

char          *rapport_store_get_state       (RapportStore  *self,
                                              const char    *key);
gboolean       rapport_store_set_state       (RapportStore  *self,
                                              const char    *key,
                                              const char    *value,
                                              GError       **error);

G_END_DECLS
