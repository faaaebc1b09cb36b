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
gint64   rapport_store_count_conflicts   (RapportStore *self,
                                          const char   *record_id);

gboolean rapport_store_replace_user_id   (RapportStore *self,
                                          const char   *old_id,
                                          const char   *new_id,
                                          GError      **error);

G_END_DECLS
