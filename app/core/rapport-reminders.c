/* rapport-reminders.c: done, snooze and reassign, and when notifications may show */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-reminders"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "rapport-reminders.h"
#include "rapport-time.h"

/* A late recurring reminder skips the occurrences it missed, up to this many. */
#define MAX_SKIPPED_OCCURRENCES 5000
/* The hour of "tomorrow" and "next week" snoozes, local time. */
#define MORNING_HOUR 9

static gint64
local_day_at (GDateTime *day, int minutes)
{
  g_autoptr (GDateTime) dt = g_date_time_new_local (g_date_time_get_year (day),
                                                    g_date_time_get_month (day),
                                                    g_date_time_get_day_of_month (day),
                                                    minutes / 60, minutes % 60, 0);

  return dt ? g_date_time_to_unix (dt) : 0;
}

/* Acting on a reminder ------------------------------------------------------ */

static gint64
next_occurrence (RapportReminder *reminder, gint64 at)
{
  gint64 next = reminder->due_at;

  for (guint i = 0; i < MAX_SKIPPED_OCCURRENCES; i++)
    {
      gint64 candidate = rapport_recurrence_next (reminder->recurrence, next,
                                                  reminder->working_days);
      if (candidate <= next)
        return 0;  /* not a recurrence Rapport understands */
      next = candidate;
      if (next > at)
        return next;
    }
  return next;
}

static RapportReminder *
new_occurrence (RapportReminder *reminder, gint64 due_at)
{
  RapportReminder *next = (RapportReminder *) rapport_record_copy (RAPPORT_RECORD (reminder));
  RapportRecord *record = RAPPORT_RECORD (next);

  g_clear_pointer (&record->id, g_free);
  record->created_at = 0;
  record->deleted = FALSE;
  record->deleted_at = 0;
  next->due_at = due_at;
  next->snoozed_until = 0;
  next->done_at = 0;
  g_clear_pointer (&next->done_by, g_free);
  return next;
}

/**
 * rapport_reminder_complete:
 * @next: (out) (optional) (transfer full) (nullable): the next occurrence
 */
gboolean
rapport_reminder_complete (RapportStore     *store,
                           RapportReminder  *reminder,
                           const char       *by_user,
                           gint64            at,
                           RapportReminder **next,
                           GError          **error)
{
  g_autoptr (RapportReminder) following = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (RAPPORT_IS_REMINDER (reminder), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (next != NULL)
    *next = NULL;
  if (reminder->done_at != 0)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("“%s” is already done. Open it and mark it not done first to change it"),
                   reminder->title ? reminder->title : "");
      return FALSE;
    }

  if (reminder->recurrence != NULL && *reminder->recurrence != '\0')
    {
      gint64 due = next_occurrence (reminder, at);
      if (due == 0)
        {
          g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       _("The repetition “%s” of this reminder is not understood. Edit the "
                         "reminder and write it as 3d, 2w or 1m"),
                       reminder->recurrence);
          return FALSE;
        }
      following = new_occurrence (reminder, due);
    }

  reminder->done_at = at;
  g_free (reminder->done_by);
  reminder->done_by = g_strdup (by_user);

  if (!rapport_store_begin (store, error))
    return FALSE;
  if (!rapport_store_save (store, RAPPORT_RECORD (reminder), error)
      || (following != NULL && !rapport_store_save (store, RAPPORT_RECORD (following), error)))
    {
      rapport_store_rollback (store);
      return FALSE;
    }
  if (!rapport_store_commit (store, error))
    return FALSE;

  if (next != NULL)
    *next = g_steal_pointer (&following);
  return TRUE;
}

gboolean
rapport_reminder_snooze (RapportStore    *store,
                         RapportReminder *reminder,
                         gint64           until,
                         GError         **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (RAPPORT_IS_REMINDER (reminder), FALSE);
  g_return_val_if_fail (until >= 0, FALSE);

  reminder->snoozed_until = until;
  return rapport_store_save (store, RAPPORT_RECORD (reminder), error);
}

static gboolean
can_reassign (RapportStore *store, RapportReminder *reminder, const char *by_user)
{
  g_autoptr (RapportUser) user = NULL;

  if (by_user == NULL)
    return FALSE;
  if (g_strcmp0 (reminder->owner, by_user) == 0 || reminder->owner == NULL)
    return TRUE;
  user = rapport_store_get_user (store, by_user);
  return user != NULL && (g_strcmp0 (user->role, "manager") == 0
                          || g_strcmp0 (user->role, "admin") == 0);
}

gboolean
rapport_reminder_reassign (RapportStore    *store,
                           RapportReminder *reminder,
                           const char      *new_owner,
                           const char      *by_user,
                           GError         **error)
{
  g_autoptr (RapportUser) owner = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (RAPPORT_IS_REMINDER (reminder), FALSE);
  g_return_val_if_fail (new_owner != NULL, FALSE);

  if (!can_reassign (store, reminder, by_user))
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("Only a manager can hand someone else’s reminder to a colleague. "
                             "Ask a manager, or the reminder’s owner"));
      return FALSE;
    }
  owner = rapport_store_get_user (store, new_owner);
  if (owner == NULL || owner->disabled || RAPPORT_RECORD (owner)->deleted)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND,
                   _("There is no active colleague “%s” to hand the reminder to. Pick one "
                     "from the team list"),
                   new_owner);
      return FALSE;
    }
  g_free (reminder->owner);
  reminder->owner = g_strdup (new_owner);
  return rapport_store_save (store, RAPPORT_RECORD (reminder), error);
}

gint64
rapport_snooze_until (RapportSnooze snooze, gint64 now)
{
  g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (now);
  g_autoptr (GDateTime) day = NULL;

  switch (snooze)
    {
    case RAPPORT_SNOOZE_HOUR:
      return now + 60 * 60;
    case RAPPORT_SNOOZE_TOMORROW:
      day = g_date_time_add_days (local, 1);
      break;
    case RAPPORT_SNOOZE_NEXT_WEEK:
      day = g_date_time_add_days (local, 8 - g_date_time_get_day_of_week (local));
      break;
    default:
      g_return_val_if_reached (now);
    }
  return local_day_at (day, MORNING_HOUR * 60);
}

/* Acting on any due item ---------------------------------------------------- */

static RapportRecord *
load_item_record (RapportStore *store, const char *entity, const char *id, GError **error)
{
  return rapport_store_load (store, rapport_entity_lookup (entity), id, error);
}

static gboolean
log_touch (RapportStore *store, const RapportDueItem *item, const char *by_user, gint64 at,
           GError **error)
{
  g_autoptr (RapportInteraction) touch = rapport_interaction_new ();
  g_autoptr (RapportContact) contact = rapport_store_get_contact (store, item->contact_id, NULL);

  touch->contact_id = g_strdup (item->contact_id);
  touch->kind = g_strdup ("other");
  touch->direction = g_strdup ("outbound");
  touch->channel = g_strdup (contact ? contact->preferred_channel : NULL);
  touch->occurred_at = at;
  touch->logged_by = g_strdup (by_user);
  touch->summary = g_strdup (_("Got in touch (keep-in-touch reminder)"));
  return rapport_store_save (store, RAPPORT_RECORD (touch), error);
}

gboolean
rapport_due_item_complete (RapportStore         *store,
                           const RapportDueItem *item,
                           const char           *by_user,
                           gint64                at,
                           GError              **error)
{
  g_autoptr (RapportRecord) record = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (item != NULL && item->record_id != NULL, FALSE);

  switch (item->kind)
    {
    case RAPPORT_DUE_REMINDER:
      if (!(record = load_item_record (store, "reminder", item->record_id, error)))
        return FALSE;
      if (RAPPORT_REMINDER (record)->done_at != 0)
        return TRUE;
      return rapport_reminder_complete (store, RAPPORT_REMINDER (record), by_user, at, NULL, error);

    case RAPPORT_DUE_CADENCE:
      return log_touch (store, item, by_user, at, error);

    case RAPPORT_DUE_PROMISE:
      if (!(record = load_item_record (store, "promise", item->record_id, error)))
        return FALSE;
      if (g_strcmp0 (RAPPORT_PROMISE (record)->status, "open") != 0)
        return TRUE;
      g_free (RAPPORT_PROMISE (record)->status);
      RAPPORT_PROMISE (record)->status = g_strdup ("kept");
      RAPPORT_PROMISE (record)->status_at = at;
      g_free (RAPPORT_PROMISE (record)->status_by);
      RAPPORT_PROMISE (record)->status_by = g_strdup (by_user);
      return rapport_store_save (store, record, error);

    case RAPPORT_DUE_COMPLAINT:
      if (!(record = load_item_record (store, "interaction", item->record_id, error)))
        return FALSE;
      if (RAPPORT_INTERACTION (record)->responded_at != 0)
        return TRUE;
      RAPPORT_INTERACTION (record)->responded_at = at;
      g_free (RAPPORT_INTERACTION (record)->responded_by);
      RAPPORT_INTERACTION (record)->responded_by = g_strdup (by_user);
      return rapport_store_save (store, record, error);

    default:
      g_return_val_if_reached (FALSE);
    }
}

/* A cadence, promise or complaint has no snooze of its own: a one-off
 * reminder brings it back. */
static gboolean
remind_later (RapportStore *store, const RapportDueItem *item, gint64 until,
              const char *by_user, GError **error)
{
  g_autoptr (RapportReminder) reminder = rapport_reminder_new ();

  reminder->contact_id = g_strdup (item->contact_id);
  reminder->owner = g_strdup (item->owner ? item->owner : by_user);
  reminder->created_by = g_strdup (by_user);
  reminder->due_at = until;
  if (item->kind == RAPPORT_DUE_CADENCE)
    reminder->title = g_strdup (_("Keep in touch"));
  else if (item->kind == RAPPORT_DUE_PROMISE)
    reminder->title = g_strdup_printf (_("Promise: %s"), item->title ? item->title : "");
  else
    reminder->title = g_strdup_printf (_("Respond: %s"), item->title ? item->title : "");
  return rapport_store_save (store, RAPPORT_RECORD (reminder), error);
}

gboolean
rapport_due_item_snooze (RapportStore         *store,
                         const RapportDueItem *item,
                         gint64                until,
                         const char           *by_user,
                         GError              **error)
{
  g_autoptr (RapportRecord) record = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (item != NULL && item->record_id != NULL, FALSE);

  if (item->kind != RAPPORT_DUE_REMINDER)
    return remind_later (store, item, until, by_user, error);
  if (!(record = load_item_record (store, "reminder", item->record_id, error)))
    return FALSE;
  return rapport_reminder_snooze (store, RAPPORT_REMINDER (record), until, error);
}

/* Quiet hours and working days ---------------------------------------------- */

gboolean
rapport_quiet_parse_time (const char *text, int *minutes)
{
  int hours = -1, mins = -1;
  char tail;

  g_return_val_if_fail (minutes != NULL, FALSE);

  if (text == NULL || sscanf (text, "%d:%d%c", &hours, &mins, &tail) != 2)
    return FALSE;
  if (hours < 0 || hours > 23 || mins < 0 || mins > 59)
    return FALSE;
  *minutes = hours * 60 + mins;
  return TRUE;
}

char *
rapport_quiet_format_time (int minutes)
{
  g_return_val_if_fail (minutes >= 0 && minutes < 24 * 60, NULL);
  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}

static gboolean
in_quiet_hours (const RapportQuietPolicy *policy, int minute)
{
  if (!policy->quiet_hours || policy->quiet_start == policy->quiet_end)
    return FALSE;
  if (policy->quiet_start < policy->quiet_end)
    return minute >= policy->quiet_start && minute < policy->quiet_end;
  return minute >= policy->quiet_start || minute < policy->quiet_end;
}

gboolean
rapport_quiet_allows (const RapportQuietPolicy *policy, gint64 at)
{
  g_autoptr (GDateTime) local = NULL;

  if (policy == NULL)
    return TRUE;
  local = g_date_time_new_from_unix_local (at);
  if (policy->working_days_only && g_date_time_get_day_of_week (local) >= 6)
    return FALSE;
  return !in_quiet_hours (policy, g_date_time_get_hour (local) * 60
                                    + g_date_time_get_minute (local));
}

/* Weekend: the next local midnight; quiet hours: their end (today or
 * tomorrow). Repeated until both let go, a few steps at most. */
gint64
rapport_quiet_next_allowed (const RapportQuietPolicy *policy, gint64 at)
{
  gint64 t = at;

  for (int step = 0; step < 16 && !rapport_quiet_allows (policy, t); step++)
    {
      g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (t);
      g_autoptr (GDateTime) tomorrow = g_date_time_add_days (local, 1);
      int minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
      gint64 next;

      if (policy->working_days_only && g_date_time_get_day_of_week (local) >= 6)
        next = local_day_at (tomorrow, 0);
      else if (minute < policy->quiet_end)
        next = local_day_at (local, policy->quiet_end);
      else
        next = local_day_at (tomorrow, policy->quiet_end);
      if (next <= t)
        next = t + 60;  /* a daylight saving gap: step over it */
      t = next;
    }
  return t;
}
