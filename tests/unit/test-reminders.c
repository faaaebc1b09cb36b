/* test-reminders.c: done, snooze, reassign, quiet hours and notifying once */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rapport-reminders.h"
#include "rapport-store.h"
#include "test-common.h"

#define HOUR ((gint64) 3600)
#define DAY (24 * HOUR)
/* RAPPORT_TEST_NOW is Monday 2026-03-02 09:00 UTC; tests run in UTC. */
#define MONDAY RAPPORT_TEST_NOW

static RapportUser *
add_user (RapportTestStore *ts, const char *name, const char *role)
{
  RapportUser *user = rapport_user_new ();
  g_autoptr (GError) error = NULL;

  user->name = g_strdup (name);
  user->display_name = g_strdup (name);
  user->role = g_strdup (role);
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (user), &error));
  g_assert_no_error (error);
  return user;
}

static const char *
set_me (RapportTestStore *ts, const char *name, const char *role)
{
  g_autoptr (RapportUser) user = rapport_user_new ();
  g_autoptr (GError) error = NULL;

  user->name = g_strdup (name);
  user->display_name = g_strdup (name);
  user->role = g_strdup (role);
  g_assert_true (rapport_store_set_me (ts->store, user, &error));
  g_assert_no_error (error);
  return rapport_store_get_me_id (ts->store);
}

static RapportContact *
add_contact (RapportTestStore *ts, const char *name, gint64 cadence_days)
{
  RapportContact *contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;

  contact->kind = g_strdup ("person");
  contact->name = g_strdup (name);
  contact->owner = g_strdup (rapport_store_get_me_id (ts->store));
  contact->cadence_days = cadence_days;
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (contact), &error));
  g_assert_no_error (error);
  return contact;
}

static RapportReminder *
add_reminder (RapportTestStore *ts, RapportContact *contact, const char *title, gint64 due,
              const char *recurrence, gboolean working_days)
{
  RapportReminder *reminder = rapport_reminder_new ();
  g_autoptr (GError) error = NULL;

  reminder->contact_id = g_strdup (RAPPORT_RECORD (contact)->id);
  reminder->owner = g_strdup (rapport_store_get_me_id (ts->store));
  reminder->title = g_strdup (title);
  reminder->due_at = due;
  reminder->recurrence = g_strdup (recurrence);
  reminder->working_days = working_days;
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (reminder), &error));
  g_assert_no_error (error);
  return reminder;
}

static RapportReminder *
reload (RapportTestStore *ts, RapportReminder *reminder)
{
  g_autoptr (GError) error = NULL;
  RapportRecord *record = rapport_store_load (ts->store, rapport_entity_lookup ("reminder"),
                                              RAPPORT_RECORD (reminder)->id, &error);

  g_assert_no_error (error);
  return RAPPORT_REMINDER (record);
}

static GPtrArray *
pending (RapportTestStore *ts, gint64 at, const RapportQuietPolicy *policy)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *items = rapport_reminders_pending (ts->store, rapport_store_get_me_id (ts->store),
                                                at, policy, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static void
mark (RapportTestStore *ts, GPtrArray *items, gint64 at)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rapport_reminders_mark_notified (ts->store, items, at, &error));
  g_assert_no_error (error);
}

static gint64
local_time (int year, int month, int day, int hour, int minute)
{
  g_autoptr (GDateTime) dt = g_date_time_new_local (year, month, day, hour, minute, 0);
  return g_date_time_to_unix (dt);
}

/* Recurrence ------------------------------------------------------------------ */

static void
test_done_recurring_creates_next (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  const char *me = set_me (ts, "Ada", "staff");
  g_autoptr (RapportContact) zoe = add_contact (ts, "Zoë Müller", 0);
  g_autoptr (RapportReminder) weekly = add_reminder (ts, zoe, "Weekly check-in", MONDAY, "1w", FALSE);
  g_autoptr (RapportReminder) next = NULL;
  g_autoptr (RapportReminder) stored = NULL;
  g_autoptr (RapportReminder) stored_next = NULL;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GError) error = NULL;

  ts->now = MONDAY + HOUR;
  g_assert_true (rapport_reminder_complete (ts->store, weekly, me, ts->now, &next, &error));
  g_assert_no_error (error);
  g_assert_nonnull (next);

  /* The done one keeps who and when; the next is a new, open reminder. */
  stored = reload (ts, weekly);
  g_assert_cmpint (stored->done_at, ==, MONDAY + HOUR);
  g_assert_cmpstr (stored->done_by, ==, me);
  stored_next = reload (ts, next);
  g_assert_cmpstr (RAPPORT_RECORD (stored_next)->id, !=, RAPPORT_RECORD (weekly)->id);
  g_assert_cmpint (stored_next->due_at, ==, MONDAY + 7 * DAY);
  g_assert_cmpint (stored_next->done_at, ==, 0);
  g_assert_null (stored_next->done_by);
  g_assert_cmpstr (stored_next->title, ==, "Weekly check-in");
  g_assert_cmpstr (stored_next->recurrence, ==, "1w");
  g_assert_cmpstr (stored_next->contact_id, ==, RAPPORT_RECORD (zoe)->id);
  g_assert_cmpstr (stored_next->owner, ==, me);

  /* Nothing is due until next Monday; then the new occurrence is. */
  due = rapport_store_due (ts->store, me, MONDAY + 6 * DAY, 0, &error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = rapport_store_due (ts->store, me, MONDAY + 7 * DAY, 0, &error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpstr (((RapportDueItem *) due->pdata[0])->record_id, ==, RAPPORT_RECORD (next)->id);
}

static void
test_done_late_skips_missed_occurrences (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  const char *me = set_me (ts, "Ada", "staff");
  g_autoptr (RapportContact) zoe = add_contact (ts, "Zoë", 0);
  g_autoptr (RapportReminder) daily = add_reminder (ts, zoe, "Call", MONDAY, "1d", FALSE);
  g_autoptr (RapportReminder) next = NULL;
  g_autoptr (GError) error = NULL;

  /* Done on Thursday at noon: the next is Friday 09:00, not Tuesday. */
  g_assert_true (rapport_reminder_complete (ts->store, daily, me, MONDAY + 3 * DAY + 3 * HOUR,
                                            &next, &error));
  g_assert_no_error (error);
  g_assert_cmpint (next->due_at, ==, MONDAY + 4 * DAY);
}

static void
test_recurrence_working_days (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  const char *me = set_me (ts, "Ada", "staff");
  g_autoptr (RapportContact) zoe = add_contact (ts, "Zoë", 0);
  gint64 friday = local_time (2026, 3, 6, 9, 0);
  g_autoptr (RapportReminder) daily = add_reminder (ts, zoe, "Stand-up", friday, "1d", TRUE);
  g_autoptr (RapportReminder) monthly = add_reminder (ts, zoe, "Invoice",
                                                      local_time (2026, 3, 4, 9, 0), "1m", TRUE);
  g_autoptr (RapportReminder) plain = add_reminder (ts, zoe, "Invoice",
                                                    local_time (2026, 3, 4, 9, 0), "1m", FALSE);
  g_autoptr (RapportReminder) next = NULL;
  g_autoptr (GError) error = NULL;

  /* Working days: Friday's daily reminder comes back on Monday. */
  g_assert_true (rapport_reminder_complete (ts->store, daily, me, friday + HOUR, &next, &error));
  g_assert_no_error (error);
  g_assert_cmpint (next->due_at, ==, local_time (2026, 3, 9, 9, 0));
  g_clear_object (&next);

  /* A month after Wednesday 4 March is Saturday 4 April: moved to Monday. */
  g_assert_true (rapport_reminder_complete (ts->store, monthly, me, MONDAY + 3 * DAY, &next,
                                            &error));
  g_assert_cmpint (next->due_at, ==, local_time (2026, 4, 6, 9, 0));
  g_clear_object (&next);
  g_assert_true (rapport_reminder_complete (ts->store, plain, me, MONDAY + 3 * DAY, &next, &error));
  g_assert_cmpint (next->due_at, ==, local_time (2026, 4, 4, 9, 0));
}

static void
test_done_one_off (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  const char *me = set_me (ts, "Ada", "staff");
  g_autoptr (RapportContact) zoe = add_contact (ts, "Zoë", 0);
  g_autoptr (RapportReminder) once = add_reminder (ts, zoe, "Send the quote", MONDAY, NULL, FALSE);
  g_autoptr (RapportReminder) next = NULL;
  g_autoptr (RapportReminder) stored = NULL;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  RapportDueItem item = { RAPPORT_DUE_REMINDER, RAPPORT_RECORD (once)->id };

  g_assert_true (rapport_reminder_complete (ts->store, once, me, MONDAY + 2 * HOUR, &next, &error));
  g_assert_no_error (error);
  g_assert_null (next);
  stored = reload (ts, once);
  g_assert_cmpint (stored->done_at, ==, MONDAY + 2 * HOUR);
  g_assert_cmpstr (stored->done_by, ==, me);
  all = rapport_store_list (ts->store, rapport_entity_lookup ("reminder"), NULL, &error);
  g_assert_cmpuint (all->len, ==, 1);

  /* Done twice from the reminder itself is refused with a reason ... */
  g_assert_false (rapport_reminder_complete (ts->store, stored, me, MONDAY + 3 * HOUR, NULL, &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_clear_error (&error);
  /* ... but a late "Done" button on an old notification changes nothing. */
  g_assert_true (rapport_due_item_complete (ts->store, &item, me, MONDAY + 4 * HOUR, &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = reload (ts, once);
  g_assert_cmpint (stored->done_at, ==, MONDAY + 2 * HOUR);

  due = rapport_store_due (ts->store, me, MONDAY + 30 * DAY, 0, &error);
  g_assert_cmpuint (due->len, ==, 0);
}

/* Snooze and reassign --------------------------------------------------------- */

static void
test_snooze (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  const char *me = set_me (ts, "Ada", "staff");
  g_autoptr (RapportContact) zoe = add_contact (ts, "Zoë", 0);
  g_autoptr (RapportReminder) reminder = add_reminder (ts, zoe, "Call back", MONDAY, NULL, FALSE);
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GError) error = NULL;
  gint64 until = rapport_snooze_until (RAPPORT_SNOOZE_HOUR, MONDAY);

  g_assert_cmpint (until, ==, MONDAY + HOUR);
  g_assert_cmpint (rapport_snooze_until (RAPPORT_SNOOZE_TOMORROW, MONDAY + 5 * HOUR), ==,
                   local_time (2026, 3, 3, 9, 0));
  g_assert_cmpint (rapport_snooze_until (RAPPORT_SNOOZE_NEXT_WEEK, MONDAY), ==,
                   local_time (2026, 3, 9, 9, 0));
  g_assert_cmpint (rapport_snooze_until (RAPPORT_SNOOZE_NEXT_WEEK, local_time (2026, 3, 8, 20, 0)),
                   ==, local_time (2026, 3, 9, 9, 0));

  g_assert_true (rapport_reminder_snooze (ts->store, reminder, until, &error));
  g_assert_no_error (error);
  due = rapport_store_due (ts->store, me, MONDAY + 30 * 60, 0, &error);
  g_assert_cmpuint (due->len, ==, 0);
  g_assert_cmpint (rapport_store_next_due_time (ts->store, me, MONDAY), ==, MONDAY + HOUR);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = rapport_store_due (ts->store, me, MONDAY + HOUR, 0, &error);
  g_assert_cmpuint (due->len, ==, 1);
}

static void
test_reassign (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  const char *me = set_me (ts, "Ada", "staff");
  g_autoptr (RapportUser) bob = add_user (ts, "Bob", "staff");
  g_autoptr (RapportUser) carol = add_user (ts, "Carol", "manager");
  g_autoptr (RapportContact) zoe = add_contact (ts, "Zoë", 0);
  g_autoptr (RapportReminder) reminder = add_reminder (ts, zoe, "Renewal", MONDAY, NULL, FALSE);
  g_autoptr (RapportReminder) stored = NULL;
  g_autoptr (GError) error = NULL;
  const char *bob_id = RAPPORT_RECORD (bob)->id;
  const char *carol_id = RAPPORT_RECORD (carol)->id;

  /* The owner hands their own reminder on. */
  g_assert_true (rapport_reminder_reassign (ts->store, reminder, bob_id, me, &error));
  g_assert_no_error (error);
  stored = reload (ts, reminder);
  g_assert_cmpstr (stored->owner, ==, bob_id);

  /* Staff cannot take someone else's reminder; a manager can move it. */
  g_assert_false (rapport_reminder_reassign (ts->store, stored, me, me, &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (rapport_reminder_reassign (ts->store, stored, me, carol_id, &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = reload (ts, reminder);
  g_assert_cmpstr (stored->owner, ==, me);

  /* Only to someone who exists. */
  g_assert_false (rapport_reminder_reassign (ts->store, stored, "nobody", carol_id, &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND);
}

/* Quiet hours and notifying once ------------------------------------------------ */

static void
test_quiet_policy (void)
{
  RapportQuietPolicy evenings = { TRUE, 18 * 60, 8 * 60, FALSE };
  RapportQuietPolicy lunch = { TRUE, 12 * 60, 13 * 60, FALSE };
  RapportQuietPolicy weekdays = { TRUE, 18 * 60, 8 * 60, TRUE };
  g_autofree char *formatted = rapport_quiet_format_time (8 * 60 + 5);
  int minutes = 0;

  g_assert_true (rapport_quiet_parse_time ("18:30", &minutes));
  g_assert_cmpint (minutes, ==, 18 * 60 + 30);
  g_assert_false (rapport_quiet_parse_time ("25:00", &minutes));
  g_assert_false (rapport_quiet_parse_time ("8h", &minutes));
  g_assert_cmpstr (formatted, ==, "08:05");

  g_assert_true (rapport_quiet_allows (&evenings, local_time (2026, 3, 2, 9, 0)));
  g_assert_false (rapport_quiet_allows (&evenings, local_time (2026, 3, 2, 20, 0)));
  g_assert_false (rapport_quiet_allows (&evenings, local_time (2026, 3, 3, 7, 59)));
  g_assert_cmpint (rapport_quiet_next_allowed (&evenings, local_time (2026, 3, 2, 20, 0)), ==,
                   local_time (2026, 3, 3, 8, 0));
  g_assert_cmpint (rapport_quiet_next_allowed (&evenings, local_time (2026, 3, 3, 1, 0)), ==,
                   local_time (2026, 3, 3, 8, 0));
  g_assert_cmpint (rapport_quiet_next_allowed (&lunch, local_time (2026, 3, 2, 12, 30)), ==,
                   local_time (2026, 3, 2, 13, 0));
  /* Saturday morning waits for Monday, after the night's quiet hours. */
  g_assert_false (rapport_quiet_allows (&weekdays, local_time (2026, 3, 7, 10, 0)));
  g_assert_cmpint (rapport_quiet_next_allowed (&weekdays, local_time (2026, 3, 7, 10, 0)), ==,
                   local_time (2026, 3, 9, 8, 0));
  g_assert_cmpint (rapport_quiet_next_allowed (NULL, MONDAY), ==, MONDAY);
}

static void
test_pending_waits_for_quiet_hours (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportQuietPolicy evenings = { TRUE, 18 * 60, 8 * 60, TRUE };
  const char *me = NULL;
  g_autoptr (RapportContact) zoe = NULL;
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (GPtrArray) items = NULL;
  gint64 seven_pm = local_time (2026, 3, 2, 19, 0);
  gint64 tuesday_8 = local_time (2026, 3, 3, 8, 0);

  me = set_me (ts, "Ada", "staff");
  zoe = add_contact (ts, "Zoë", 0);
  reminder = add_reminder (ts, zoe, "Evening call", seven_pm, NULL, FALSE);

  /* Before: the timer aims at the end of the quiet hours, not at 19:00. */
  g_assert_cmpint (rapport_reminders_next_wake (ts->store, me, MONDAY, &evenings), ==, tuesday_8);
  g_assert_cmpint (rapport_reminders_next_wake (ts->store, me, MONDAY, NULL), ==, seven_pm);
  /* During: nothing is shown, and it waits. */
  items = pending (ts, seven_pm + 30 * 60, &evenings);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_cmpint (rapport_reminders_next_wake (ts->store, me, seven_pm + 30 * 60, &evenings), ==,
                   tuesday_8);
  g_clear_pointer (&items, g_ptr_array_unref);
  /* When they end, it is delivered. */
  items = pending (ts, tuesday_8, &evenings);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (((RapportDueItem *) items->pdata[0])->record_id, ==, RAPPORT_RECORD (reminder)->id);
  mark (ts, items, tuesday_8);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = pending (ts, tuesday_8 + 60, &evenings);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_cmpint (rapport_reminders_next_wake (ts->store, me, tuesday_8 + 60, &evenings), ==, 0);
}

static void
test_never_repeated_after_restart (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) zoe = NULL;
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (RapportReminder) stored = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;

  set_me (ts, "Ada", "staff");
  zoe = add_contact (ts, "Zoë", 0);
  reminder = add_reminder (ts, zoe, "Call back", MONDAY, NULL, FALSE);
  items = pending (ts, MONDAY, NULL);
  g_assert_cmpuint (items->len, ==, 1);
  mark (ts, items, MONDAY);
  g_assert_true (rapport_reminders_was_notified (ts->store, RAPPORT_RECORD (reminder)->id, MONDAY));
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A restart: a new process opens the same file. */
  rapport_test_store_reopen (ts);
  items = pending (ts, MONDAY + 10 * 60, NULL);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A snooze makes a new occurrence, shown once when it ends. */
  stored = reload (ts, reminder);
  g_assert_true (rapport_reminder_snooze (ts->store, stored, MONDAY + HOUR, &error));
  items = pending (ts, MONDAY + 59 * 60, NULL);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = pending (ts, MONDAY + HOUR, NULL);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (rapport_due_item_occurrence (items->pdata[0]), ==, MONDAY + HOUR);
  mark (ts, items, MONDAY + HOUR);
  rapport_test_store_reopen (ts);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = pending (ts, MONDAY + 2 * HOUR, NULL);
  g_assert_cmpuint (items->len, ==, 0);
}

static void
test_summary_after_downtime (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (RapportNotice) summary = NULL;
  g_autoptr (RapportNotice) one = NULL;
  g_autoptr (GPtrArray) first = g_ptr_array_new ();
  const char *names[] = { "Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus" };

  set_me (ts, "Ada", "staff");
  /* Seven follow-ups fell due over the weekend while Rapport was closed;
   * one more is due tomorrow. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (RapportContact) c = add_contact (ts, names[i], 0);
      g_autoptr (RapportReminder) r = add_reminder (ts, c, "Follow up", MONDAY - 2 * DAY + i * HOUR,
                                                    NULL, FALSE);
      if (i == 0)
        {
          g_autoptr (RapportReminder) later = add_reminder (ts, c, "Later", MONDAY + DAY, NULL, FALSE);
        }
    }

  items = pending (ts, MONDAY, NULL);
  g_assert_cmpuint (items->len, ==, 7);
  summary = rapport_notice_new_summary (items);
  g_assert_cmpstr (summary->title, ==, "7 follow-ups are overdue");
  g_assert_cmpuint (summary->count, ==, 7);
  g_assert_null (summary->contact_id);
  g_assert_nonnull (strstr (summary->body, "Ana — Follow up"));
  g_assert_nonnull (strstr (summary->body, "and 1 more"));
  g_assert_false (summary->urgent);

  g_ptr_array_add (first, items->pdata[0]);
  one = rapport_notice_new_summary (first);
  g_assert_cmpstr (one->title, ==, "1 follow-up is overdue");

  /* Once summed up, none of them is shown again, even after a restart. */
  mark (ts, items, MONDAY);
  rapport_test_store_reopen (ts);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = pending (ts, MONDAY + 60, NULL);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_cmpint (rapport_reminders_next_wake (ts->store, rapport_store_get_me_id (ts->store),
                                                MONDAY + 60, NULL), ==, MONDAY + DAY);
}

/* What a notification says ------------------------------------------------------ */

static void
test_notice_content (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportUser) bob = NULL;
  g_autoptr (RapportContact) zoe = NULL;
  g_autoptr (RapportInteraction) call = rapport_interaction_new ();
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (RapportPromise) promise = rapport_promise_new ();
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  const RapportNotice *by_kind[4] = { NULL };
  g_autoptr (GPtrArray) notices = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_notice_free);

  set_me (ts, "Ada", "staff");
  bob = add_user (ts, "Bob Jones", "staff");
  zoe = add_contact (ts, "Zoë Müller", 0);
  g_free (zoe->preferred_channel);
  zoe->preferred_channel = g_strdup ("phone");
  rapport_contact_add_email (zoe, "work", "zoe@acme.example");
  rapport_contact_add_phone (zoe, "mobile", "+44 20 7946 0018");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (zoe), &error));

  call->contact_id = g_strdup (RAPPORT_RECORD (zoe)->id);
  call->kind = g_strdup ("call");
  call->direction = g_strdup ("outbound");
  call->occurred_at = MONDAY - DAY;
  call->logged_by = g_strdup (RAPPORT_RECORD (bob)->id);
  call->summary = g_strdup ("Discussed the renewal");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (call), &error));

  reminder = add_reminder (ts, zoe, "Send the quote", MONDAY, NULL, FALSE);
  promise->contact_id = g_strdup (RAPPORT_RECORD (zoe)->id);
  promise->what = g_strdup ("Samples by courier");
  promise->promised_by = g_strdup (rapport_store_get_me_id (ts->store));
  promise->due_at = MONDAY;
  promise->status = g_strdup ("open");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (promise), &error));
  g_assert_no_error (error);

  items = pending (ts, MONDAY, NULL);
  g_assert_cmpuint (items->len, ==, 2);
  for (guint i = 0; i < items->len; i++)
    {
      RapportNotice *notice = rapport_notice_new_for_item (ts->store, items->pdata[i], MONDAY);
      g_ptr_array_add (notices, notice);
      by_kind[notice->item->kind] = notice;
    }

  g_assert_nonnull (by_kind[RAPPORT_DUE_REMINDER]);
  g_assert_cmpstr (by_kind[RAPPORT_DUE_REMINDER]->title, ==, "Follow up with Zoë Müller: Send the quote");
  g_assert_cmpstr (by_kind[RAPPORT_DUE_REMINDER]->body, ==,
                   "Last contact: yesterday, call by Bob Jones: “Discussed the renewal”\n"
                   "Preferred: phone +44 20 7946 0018");
  g_assert_cmpstr (by_kind[RAPPORT_DUE_REMINDER]->contact_id, ==, RAPPORT_RECORD (zoe)->id);
  g_assert_false (by_kind[RAPPORT_DUE_REMINDER]->urgent);

  /* A promise due today is urgent. */
  g_assert_nonnull (by_kind[RAPPORT_DUE_PROMISE]);
  g_assert_cmpstr (by_kind[RAPPORT_DUE_PROMISE]->title, ==,
                   "Promise to Zoë Müller due: Samples by courier");
  g_assert_true (by_kind[RAPPORT_DUE_PROMISE]->urgent);

  /* No interaction and an email only. */
  {
    g_autoptr (RapportContact) max = add_contact (ts, "Max", 0);
    g_autoptr (RapportReminder) r = NULL;
    g_autoptr (GPtrArray) more = NULL;
    g_autoptr (RapportNotice) notice = NULL;

    rapport_contact_add_email (max, "work", "max@example.org");
    g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (max), &error));
    r = add_reminder (ts, max, NULL, MONDAY + 60, NULL, FALSE);
    mark (ts, items, MONDAY);
    more = pending (ts, MONDAY + 60, NULL);
    g_assert_cmpuint (more->len, ==, 1);
    notice = rapport_notice_new_for_item (ts->store, more->pdata[0], MONDAY + 60);
    g_assert_cmpstr (notice->title, ==, "Follow up with Max");
    g_assert_cmpstr (notice->body, ==, "No interaction logged yet\nPreferred: email max@example.org");
  }
}

static void
test_complaint_escalation (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) zoe = NULL;
  g_autoptr (RapportInteraction) complaint = rapport_interaction_new ();
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (RapportNotice) notice = NULL;
  g_autoptr (RapportInteraction) stored = NULL;
  g_autoptr (GError) error = NULL;
  const char *me;

  me = set_me (ts, "Ada", "staff");
  zoe = add_contact (ts, "Zoë", 0);
  complaint->contact_id = g_strdup (RAPPORT_RECORD (zoe)->id);
  complaint->kind = g_strdup ("complaint");
  complaint->direction = g_strdup ("inbound");
  complaint->occurred_at = MONDAY;
  complaint->summary = g_strdup ("Late delivery");
  complaint->awaiting_response = TRUE;
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (complaint), &error));
  g_assert_no_error (error);

  /* Notified when the response target runs out, urgently. */
  g_assert_cmpint (rapport_reminders_next_wake (ts->store, me, MONDAY, NULL), ==,
                   MONDAY + RAPPORT_COMPLAINT_RESPONSE_TARGET);
  items = pending (ts, MONDAY + HOUR, NULL);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = pending (ts, MONDAY + RAPPORT_COMPLAINT_RESPONSE_TARGET, NULL);
  g_assert_cmpuint (items->len, ==, 1);
  notice = rapport_notice_new_for_item (ts->store, items->pdata[0], MONDAY + DAY);
  g_assert_true (notice->urgent);
  g_assert_cmpstr (notice->title, ==, "Zoë is still waiting for a response: Late delivery");

  /* Done records the first response. */
  g_assert_true (rapport_due_item_complete (ts->store, items->pdata[0], me, MONDAY + DAY + 60,
                                            &error));
  g_assert_no_error (error);
  stored = (RapportInteraction *) rapport_store_load (ts->store, rapport_entity_lookup ("interaction"),
                                                      RAPPORT_RECORD (complaint)->id, &error);
  g_assert_cmpint (stored->responded_at, ==, MONDAY + DAY + 60);
  g_assert_cmpstr (stored->responded_by, ==, me);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = pending (ts, MONDAY + 2 * DAY, NULL);
  g_assert_cmpuint (items->len, ==, 0);
}

static void
test_cadence_done_and_snooze (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) zoe = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) interactions = NULL;
  g_autoptr (GPtrArray) reminders = NULL;
  g_autoptr (GError) error = NULL;
  RapportDueItem *cadence;
  const char *me;

  me = set_me (ts, "Ada", "staff");
  ts->now = MONDAY - 31 * DAY;
  zoe = add_contact (ts, "Zoë", 30);
  ts->now = MONDAY;

  items = pending (ts, MONDAY, NULL);
  g_assert_cmpuint (items->len, ==, 1);
  cadence = items->pdata[0];
  g_assert_cmpint (cadence->kind, ==, RAPPORT_DUE_CADENCE);
  g_assert_cmpint (rapport_due_item_occurrence (cadence), ==, MONDAY - DAY);

  /* Snooze: a one-off reminder brings it back in an hour. */
  g_assert_true (rapport_due_item_snooze (ts->store, cadence, MONDAY + HOUR, me, &error));
  g_assert_no_error (error);
  reminders = rapport_store_list (ts->store, rapport_entity_lookup ("reminder"), NULL, &error);
  g_assert_cmpuint (reminders->len, ==, 1);
  g_assert_cmpint (RAPPORT_REMINDER (reminders->pdata[0])->due_at, ==, MONDAY + HOUR);
  g_assert_cmpstr (RAPPORT_REMINDER (reminders->pdata[0])->contact_id, ==, RAPPORT_RECORD (zoe)->id);

  /* Done: logs that I got in touch, which resets the cadence. */
  g_assert_true (rapport_due_item_complete (ts->store, cadence, me, MONDAY + 60, &error));
  g_assert_no_error (error);
  interactions = rapport_store_list (ts->store, rapport_entity_lookup ("interaction"), NULL, &error);
  g_assert_cmpuint (interactions->len, ==, 1);
  g_assert_cmpstr (RAPPORT_INTERACTION (interactions->pdata[0])->logged_by, ==, me);
  g_assert_cmpint (RAPPORT_INTERACTION (interactions->pdata[0])->occurred_at, ==, MONDAY + 60);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = rapport_store_due (ts->store, me, MONDAY + 2 * 60, 0, &error);
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpint (((RapportDueItem *) items->pdata[i])->kind, !=, RAPPORT_DUE_CADENCE);
}

static void
test_daily_digest (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportQuietPolicy weekdays = { FALSE, 0, 0, TRUE };
  g_autoptr (RapportContact) zoe = NULL;
  g_autoptr (RapportReminder) today = NULL;
  g_autoptr (RapportReminder) tomorrow = NULL;
  g_autoptr (RapportNotice) digest = NULL;
  g_autoptr (RapportNotice) empty = NULL;
  g_autoptr (GError) error = NULL;
  gint64 day = 0;
  gint64 friday = local_time (2026, 3, 6, 7, 0);
  const char *me;

  me = set_me (ts, "Ada", "staff");
  zoe = add_contact (ts, "Zoë", 0);
  today = add_reminder (ts, zoe, "Send the quote", local_time (2026, 3, 2, 15, 0), NULL, FALSE);
  tomorrow = add_reminder (ts, zoe, "Call", local_time (2026, 3, 3, 10, 0), NULL, FALSE);

  /* Due at 08:30 today; then tomorrow once today's is shown. */
  g_assert_cmpint (rapport_reminders_next_digest (ts->store, 8 * 60 + 30, local_time (2026, 3, 2, 7, 0),
                                                  &weekdays, &day), ==, local_time (2026, 3, 2, 8, 30));
  g_assert_cmpint (day, ==, local_time (2026, 3, 2, 0, 0));
  digest = rapport_notice_new_digest (ts->store, me, local_time (2026, 3, 2, 8, 30), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digest->title, ==, "Today: 1 follow-up");
  g_assert_cmpstr (digest->body, ==, "Zoë — Send the quote");
  g_assert_true (rapport_reminders_mark_digest (ts->store, day, local_time (2026, 3, 2, 8, 30), &error));
  g_assert_cmpint (rapport_reminders_next_digest (ts->store, 8 * 60 + 30, local_time (2026, 3, 2, 9, 0),
                                                  &weekdays, &day), ==, local_time (2026, 3, 3, 8, 30));
  rapport_test_store_reopen (ts);
  me = rapport_store_get_me_id (ts->store);
  g_assert_cmpint (rapport_reminders_next_digest (ts->store, 8 * 60 + 30, local_time (2026, 3, 2, 9, 0),
                                                  &weekdays, NULL), ==, local_time (2026, 3, 3, 8, 30));

  /* Working days only: after Friday's, the next is Monday's. */
  g_assert_true (rapport_reminders_mark_digest (ts->store, local_time (2026, 3, 6, 0, 0), friday, &error));
  g_assert_cmpint (rapport_reminders_next_digest (ts->store, 8 * 60 + 30, friday, &weekdays, NULL), ==,
                   local_time (2026, 3, 9, 8, 30));

  /* Overdue follow-ups stay in the digest until done ... */
  g_clear_pointer (&digest, rapport_notice_free);
  digest = rapport_notice_new_digest (ts->store, me, local_time (2026, 3, 20, 8, 30), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digest->title, ==, "Today: 2 follow-ups");
  g_assert_cmpstr (digest->body, ==, "Zoë — Send the quote\nZoë — Call");
  /* ... and a day with nothing due has no digest. */
  g_assert_true (rapport_reminder_complete (ts->store, today, me, friday, NULL, &error));
  g_assert_true (rapport_reminder_complete (ts->store, tomorrow, me, friday, NULL, &error));
  g_assert_no_error (error);
  empty = rapport_notice_new_digest (ts->store, me, local_time (2026, 3, 20, 8, 30), &error);
  g_assert_no_error (error);
  g_assert_null (empty);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reminders/done/recurring", test_done_recurring_creates_next);
  g_test_add_func ("/reminders/done/late", test_done_late_skips_missed_occurrences);
  g_test_add_func ("/reminders/done/working-days", test_recurrence_working_days);
  g_test_add_func ("/reminders/done/one-off", test_done_one_off);
  g_test_add_func ("/reminders/snooze", test_snooze);
  g_test_add_func ("/reminders/reassign", test_reassign);
  g_test_add_func ("/reminders/quiet/policy", test_quiet_policy);
  g_test_add_func ("/reminders/quiet/pending", test_pending_waits_for_quiet_hours);
  g_test_add_func ("/reminders/notify/once", test_never_repeated_after_restart);
  g_test_add_func ("/reminders/notify/summary", test_summary_after_downtime);
  g_test_add_func ("/reminders/notify/content", test_notice_content);
  g_test_add_func ("/reminders/notify/complaint", test_complaint_escalation);
  g_test_add_func ("/reminders/cadence", test_cadence_done_and_snooze);
  g_test_add_func ("/reminders/digest", test_daily_digest);

  return g_test_run ();
}
