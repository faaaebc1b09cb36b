/* rapport-conflicts.h: what did not make it, by contact, for the contact page */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-sync-state.h"

G_BEGIN_DECLS

/* The conflicts table (rapport-sync-state.h: RapportConflict) read by
 * contact: the contact itself and every record on its timeline
 * (interactions, notes, follow-ups, promises). */

/* (transfer container) (element-type RapportConflict): the conflicts not
 * yet marked seen, newest first. */
GPtrArray *rapport_store_list_contact_conflicts      (RapportStore *self,
                                                      const char   *contact_id,
                                                      GError      **error);
gint64     rapport_store_count_contact_conflicts     (RapportStore *self,
                                                      const char   *contact_id);
/* Marks the conflicts of @contact_id seen, up to the one with id @last_id
 * (the newest one shown, so one recorded meanwhile is not hidden unseen);
 * 0 marks them all. */
gboolean   rapport_store_mark_contact_conflicts_seen (RapportStore *self,
                                                      const char   *contact_id,
                                                      gint64        last_id,
                                                      GError      **error);

G_END_DECLS
