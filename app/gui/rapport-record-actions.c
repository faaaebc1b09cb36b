/* rapport-record-actions.c: the one-click changes a person makes to records */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include "rapport-record-actions.h"
#include "rapport-reminders.h"

static RapportRecord *
load (RapportStore *store, const char *entity, const char *id, GError **error)
{
  return rapport_store_load (store, rapport_entity_lookup (entity), id, error);
}

static void
set_string (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

gboolean
rapport_action_reminder_done (RapportStore *store, const char *reminder_id, GError **error)
{
  g_autoptr (RapportRecord) record = load (store, "reminder", reminder_id, error);
  g_autoptr (RapportReminder) next = NULL;

  if (record == NULL)
    return FALSE;
  return rapport_reminder_complete (store, RAPPORT_REMINDER (record),
                                    rapport_store_get_me_id (store), rapport_store_now (store),
                                    &next, error);
}

gboolean
rapport_action_reminder_snooze (RapportStore *store, const char *reminder_id, GError **error)
{
  g_autoptr (RapportRecord) record = load (store, "reminder", reminder_id, error);

  if (record == NULL)
    return FALSE;
  return rapport_reminder_snooze (store, RAPPORT_REMINDER (record),
                                  rapport_snooze_until (RAPPORT_SNOOZE_TOMORROW,
                                                        rapport_store_now (store)),
                                  error);
}

gboolean
rapport_action_promise_status (RapportStore *store, const char *promise_id, const char *status,
                               GError **error)
{
  g_autoptr (RapportRecord) record = load (store, "promise", promise_id, error);
  RapportPromise *promise;

  if (record == NULL)
    return FALSE;
  promise = RAPPORT_PROMISE (record);
  set_string (&promise->status, status);
  promise->status_at = rapport_store_now (store);
  set_string (&promise->status_by, rapport_store_get_me_id (store));
  return rapport_store_save (store, record, error);
}

gboolean
rapport_action_complaint_responded (RapportStore *store, const char *interaction_id,
                                    GError **error)
{
  g_autoptr (RapportRecord) record = load (store, "interaction", interaction_id, error);
  RapportInteraction *interaction;

  if (record == NULL)
    return FALSE;
  interaction = RAPPORT_INTERACTION (record);
  interaction->awaiting_response = FALSE;
  if (interaction->responded_at == 0)
    {
      interaction->responded_at = rapport_store_now (store);
      set_string (&interaction->responded_by, rapport_store_get_me_id (store));
    }
  return rapport_store_save (store, record, error);
}

gboolean
rapport_action_complaint_resolved (RapportStore *store, const char *interaction_id,
                                   GError **error)
{
  g_autoptr (RapportRecord) record = load (store, "interaction", interaction_id, error);
  RapportInteraction *interaction;
  gint64 now = rapport_store_now (store);

  if (record == NULL)
    return FALSE;
  interaction = RAPPORT_INTERACTION (record);
  interaction->awaiting_response = FALSE;
  if (interaction->responded_at == 0)
    {
      interaction->responded_at = now;
      set_string (&interaction->responded_by, rapport_store_get_me_id (store));
    }
  interaction->resolved_at = now;
  return rapport_store_save (store, record, error);
}

gboolean
rapport_action_note_toggle_pin (RapportStore *store, const char *note_id, GError **error)
{
  g_autoptr (RapportRecord) record = load (store, "note", note_id, error);

  if (record == NULL)
    return FALSE;
  RAPPORT_NOTE (record)->pinned = !RAPPORT_NOTE (record)->pinned;
  return rapport_store_save (store, record, error);
}
