/* rapport-record-actions.h: the one-click changes a person makes to records */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

/* Each loads the record by id, changes it as "me" at the store's now, and
 * saves it. */
gboolean rapport_action_reminder_done        (RapportStore *store,
                                              const char   *reminder_id,
                                              GError      **error);
/* Snoozes until tomorrow morning. */
gboolean rapport_action_reminder_snooze      (RapportStore *store,
                                              const char   *reminder_id,
                                              GError      **error);
gboolean rapport_action_promise_status       (RapportStore *store,
                                              const char   *promise_id,
                                              const char   *status,
                                              GError      **error);
gboolean rapport_action_complaint_responded  (RapportStore *store,
                                              const char   *interaction_id,
                                              GError      **error);
gboolean rapport_action_complaint_resolved   (RapportStore *store,
                                              const char   *interaction_id,
                                              GError      **error);
gboolean rapport_action_note_toggle_pin      (RapportStore *store,
                                              const char   *note_id,
                                              GError      **error);

G_END_DECLS
