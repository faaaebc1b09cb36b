/* test-notifier.c: reminder notifications on a private session bus */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <libnotify/notify.h>

#include "notification-server.h"
#include "rapport-clock-watch.h"
#include "rapport-notifier.h"
#include "rapport-reminders.h"
#include "test-common.h"

#define HOUR ((gint64) 3600)
#define DAY (24 * HOUR)
/* RAPPORT_TEST_NOW is Monday 2026-03-02 09:00 UTC; tests run in UTC. */
#define MONDAY RAPPORT_TEST_NOW
#define URGENCY_NORMAL 1
#define URGENCY_CRITICAL 2

static TestNotificationServer *server;
static GDBusConnection *system_bus;  /* the private bus, standing in for the system bus */

typedef struct
{
  RapportTestStore *ts;
  GApplication *app;
  GSettings *settings;
  RapportNotifier *notifier;
  guint base;               /* notifications the server had before this test */
  GPtrArray *opened;        /* contact ids given to app.open-contact */
  guint today_shown;        /* app.show-today activations */
  gint64 clock_base;        /* for the running clock */
  gint64 clock_mono;
  guint clock_events;       /* the test's own clock watch */
} Fixture;

static void
open_contact_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  Fixture *f = user_data;
  g_ptr_array_add (f->opened, g_variant_dup_string (parameter, NULL));
}

static void
show_today_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  Fixture *f = user_data;
  f->today_shown++;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  static const GActionEntry actions[] = {
    { "open-contact", open_contact_cb, "s" },
    { "show-today", show_today_cb },
  };
  g_autoptr (RapportUser) me = rapport_user_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  f->ts = rapport_test_store_new ();
  me->name = g_strdup ("ada");
  me->display_name = g_strdup ("Ada Lovelace");
  me->role = g_strdup ("staff");
  g_assert_true (rapport_store_set_me (f->ts->store, me, &error));
  g_assert_no_error (error);

  f->opened = g_ptr_array_new_with_free_func (g_free);
  f->app = g_application_new ("org.rapport.Rapport.NotifierTest", G_APPLICATION_NON_UNIQUE);
  g_action_map_add_action_entries (G_ACTION_MAP (f->app), actions, G_N_ELEMENTS (actions), f);
  g_assert_true (g_application_register (f->app, NULL, &error));
  g_assert_no_error (error);

  /* Settings live in memory for the whole run: start each test from the defaults. */
  f->settings = g_settings_new (BASE_ID);
  g_object_get (f->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    g_settings_reset (f->settings, keys[i]);
  g_settings_set_boolean (f->settings, "working-days-only", FALSE);

  f->base = test_notification_server_count (server);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->notifier);
  g_clear_object (&f->settings);
  g_clear_object (&f->app);
  g_clear_pointer (&f->opened, g_ptr_array_unref);
  g_clear_pointer (&f->ts, rapport_test_store_free);
}

static void
start (Fixture *f)
{
  g_clear_object (&f->notifier);
  f->notifier = rapport_notifier_new (f->app, f->ts->store, f->settings);
  rapport_notifier_start (f->notifier);
}

/* A new process on the same store file. */
static void
restart (Fixture *f)
{
  g_clear_object (&f->notifier);
  rapport_test_store_reopen (f->ts);
  start (f);
}

static guint
shown (Fixture *f)
{
  return test_notification_server_count (server) - f->base;
}

static TestNotification *
nth (Fixture *f, guint i)
{
  return test_notification_server_get (server, f->base + i);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so; failing after 5 s. */
static void
wait_until (gboolean (*done) (Fixture *f), Fixture *f)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (5, timeout_cb, &timed_out);

  while (!done (f) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  g_assert_false (timed_out);
}

/* Lets pending idles (the coalesced check after a store change) run. */
static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static RapportContact *
add_contact (Fixture *f, const char *name)
{
  RapportContact *contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;

  contact->kind = g_strdup ("person");
  contact->name = g_strdup (name);
  contact->owner = g_strdup (rapport_store_get_me_id (f->ts->store));
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (contact), &error));
  g_assert_no_error (error);
  return contact;
}

static RapportReminder *
add_reminder (Fixture *f, RapportContact *contact, const char *title, gint64 due,
              const char *recurrence)
{
  RapportReminder *reminder = rapport_reminder_new ();
  g_autoptr (GError) error = NULL;

  reminder->contact_id = g_strdup (RAPPORT_RECORD (contact)->id);
  reminder->owner = g_strdup (rapport_store_get_me_id (f->ts->store));
  reminder->title = g_strdup (title);
  reminder->due_at = due;
  reminder->recurrence = g_strdup (recurrence);
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (reminder), &error));
  g_assert_no_error (error);
  return reminder;
}

static RapportReminder *
reload (Fixture *f, RapportReminder *reminder)
{
  g_autoptr (GError) error = NULL;
  RapportRecord *record = rapport_store_load (f->ts->store, rapport_entity_lookup ("reminder"),
                                              RAPPORT_RECORD (reminder)->id, &error);
  g_assert_no_error (error);
  return RAPPORT_REMINDER (record);
}

/* Content, and the default action --------------------------------------------- */

static gboolean
one_opened (Fixture *f)
{
  return f->opened->len == 1;
}

static void
test_content_and_open (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë Müller");
  g_autoptr (RapportUser) bob = rapport_user_new ();
  g_autoptr (RapportInteraction) call = rapport_interaction_new ();
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (TestNotification) n = NULL;
  g_autoptr (GError) error = NULL;

  bob->name = g_strdup ("bob");
  bob->display_name = g_strdup ("Bob Jones");
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (bob), &error));
  zoe->preferred_channel = g_strdup ("phone");
  rapport_contact_add_phone (zoe, "mobile", "+44 20 7946 0018");
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (zoe), &error));
  call->contact_id = g_strdup (RAPPORT_RECORD (zoe)->id);
  call->kind = g_strdup ("call");
  call->occurred_at = MONDAY - DAY;
  call->logged_by = g_strdup (RAPPORT_RECORD (bob)->id);
  call->summary = g_strdup ("Renewal & pricing");
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (call), &error));
  reminder = add_reminder (f, zoe, "Send the quote", MONDAY + 60, NULL);

  start (f);
  g_assert_cmpuint (shown (f), ==, 0);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + 60);

  f->ts->now = MONDAY + 60;
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 1);
  n = nth (f, 0);
  g_assert_cmpstr (n->summary, ==, "Follow up with Zoë Müller: Send the quote");
  /* The server announced body-markup, so the body is escaped. */
  g_assert_cmpstr (n->body, ==, "Last contact: yesterday, call by Bob Jones: “Renewal &amp; pricing”\n"
                                "Preferred: phone +44 20 7946 0018");
  g_assert_cmpint (n->urgency, ==, URGENCY_NORMAL);
  g_assert_cmpstr (n->app_name, ==, "Rapport");
  g_assert_cmpstr (n->desktop_entry, ==, APPLICATION_ID);
  g_assert_cmpstr (test_notification_action_label (n, "open"), ==, "Open");
  g_assert_cmpstr (test_notification_action_label (n, "snooze-hour"), ==, "Snooze 1 Hour");
  g_assert_cmpstr (test_notification_action_label (n, "tomorrow"), ==, "Tomorrow");
  g_assert_cmpstr (test_notification_action_label (n, "done"), ==, "Done");
  g_assert_nonnull (test_notification_action_label (n, "default"));

  /* Clicking the bubble opens the contact. */
  test_notification_server_invoke (server, n->id, "default");
  wait_until (one_opened, f);
  g_assert_cmpstr (f->opened->pdata[0], ==, RAPPORT_RECORD (zoe)->id);
  g_assert_cmpuint (f->today_shown, ==, 0);

  /* Nothing new after the check that follows. */
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 1);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, 0);
}

/* The buttons ---------------------------------------------------------------------- */

typedef struct
{
  Fixture *f;
  RapportReminder *reminder;
} Watch;

static Watch watch;

static gboolean
reminder_snoozed (Fixture *f)
{
  g_autoptr (RapportReminder) stored = reload (f, watch.reminder);
  return stored->snoozed_until != 0;
}

static gboolean
reminder_done (Fixture *f)
{
  g_autoptr (RapportReminder) stored = reload (f, watch.reminder);
  return stored->done_at != 0;
}

static void
test_snooze_hour (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) reminder = add_reminder (f, zoe, "Call back", MONDAY, NULL);
  g_autoptr (RapportReminder) stored = NULL;
  g_autoptr (TestNotification) n = NULL;
  g_autoptr (TestNotification) again = NULL;

  start (f);
  g_assert_cmpuint (shown (f), ==, 1);
  n = nth (f, 0);
  g_assert_cmpstr (n->summary, ==, "Follow up with Zoë: Call back");

  f->ts->now = MONDAY + 5 * 60;
  watch.reminder = reminder;
  test_notification_server_invoke (server, n->id, "snooze-hour");
  wait_until (reminder_snoozed, f);
  stored = reload (f, reminder);
  g_assert_cmpint (stored->snoozed_until, ==, MONDAY + 5 * 60 + HOUR);
  g_assert_cmpint (stored->done_at, ==, 0);

  /* The timer is re-armed for the end of the snooze, and it comes back once. */
  settle ();
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + 5 * 60 + HOUR);
  g_assert_cmpuint (shown (f), ==, 1);
  f->ts->now = MONDAY + 5 * 60 + HOUR;
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 2);
  again = nth (f, 1);
  g_assert_cmpstr (again->summary, ==, "Follow up with Zoë: Call back");
}

static void
test_tomorrow (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) reminder = add_reminder (f, zoe, "Call back", MONDAY, NULL);
  g_autoptr (RapportReminder) stored = NULL;
  g_autoptr (TestNotification) n = NULL;

  start (f);
  n = nth (f, 0);
  watch.reminder = reminder;
  test_notification_server_invoke (server, n->id, "tomorrow");
  wait_until (reminder_snoozed, f);
  stored = reload (f, reminder);
  /* Tomorrow morning at nine, local time (UTC here). */
  g_assert_cmpint (stored->snoozed_until, ==, MONDAY + DAY);
  settle ();
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + DAY);
}

static void
test_done (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) reminder = add_reminder (f, zoe, "Weekly call", MONDAY, "1w");
  g_autoptr (RapportReminder) stored = NULL;
  g_autoptr (TestNotification) n = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;

  start (f);
  n = nth (f, 0);
  f->ts->now = MONDAY + 10 * 60;
  watch.reminder = reminder;
  test_notification_server_invoke (server, n->id, "done");
  wait_until (reminder_done, f);
  stored = reload (f, reminder);
  g_assert_cmpint (stored->done_at, ==, MONDAY + 10 * 60);
  g_assert_cmpstr (stored->done_by, ==, rapport_store_get_me_id (f->ts->store));

  /* Recurring: next week's occurrence exists and the timer waits for it. */
  all = rapport_store_list (f->ts->store, rapport_entity_lookup ("reminder"), "done_at IS NULL",
                            &error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpint (RAPPORT_REMINDER (all->pdata[0])->due_at, ==, MONDAY + 7 * DAY);
  settle ();
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + 7 * DAY);
  g_assert_cmpuint (shown (f), ==, 1);
}

static void
test_open_button (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) reminder = add_reminder (f, zoe, "Call back", MONDAY, NULL);
  g_autoptr (TestNotification) n = NULL;

  start (f);
  n = nth (f, 0);
  test_notification_server_invoke (server, n->id, "open");
  wait_until (one_opened, f);
  g_assert_cmpstr (f->opened->pdata[0], ==, RAPPORT_RECORD (zoe)->id);
}

/* Urgency ---------------------------------------------------------------------- */

static void
test_urgent (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportPromise) promise = rapport_promise_new ();
  g_autoptr (RapportInteraction) complaint = rapport_interaction_new ();
  g_autoptr (TestNotification) first = NULL;
  g_autoptr (TestNotification) second = NULL;
  g_autoptr (GError) error = NULL;

  promise->contact_id = g_strdup (RAPPORT_RECORD (zoe)->id);
  promise->what = g_strdup ("Samples by courier");
  promise->promised_by = g_strdup (rapport_store_get_me_id (f->ts->store));
  promise->due_at = MONDAY + HOUR;
  promise->status = g_strdup ("open");
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (promise), &error));
  complaint->contact_id = g_strdup (RAPPORT_RECORD (zoe)->id);
  complaint->kind = g_strdup ("complaint");
  complaint->occurred_at = MONDAY - 20 * HOUR;
  complaint->summary = g_strdup ("Late delivery");
  complaint->awaiting_response = TRUE;
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (complaint), &error));

  start (f);
  g_assert_cmpuint (shown (f), ==, 0);
  /* The promise is due first, then the complaint's 24 hours run out. */
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + HOUR);
  f->ts->now = MONDAY + HOUR;
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 1);
  first = nth (f, 0);
  g_assert_cmpstr (first->summary, ==, "Promise to Zoë due: Samples by courier");
  g_assert_cmpint (first->urgency, ==, URGENCY_CRITICAL);

  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + 4 * HOUR);
  f->ts->now = MONDAY + 4 * HOUR;
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 2);
  second = nth (f, 1);
  g_assert_cmpstr (second->summary, ==, "Zoë is still waiting for a response: Late delivery");
  g_assert_cmpint (second->urgency, ==, URGENCY_CRITICAL);
}

/* Never twice, and the summary after downtime ---------------------------------- */

static void
test_no_duplicate_after_restart (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) reminder = add_reminder (f, zoe, "Call back", MONDAY, NULL);

  start (f);
  g_assert_cmpuint (shown (f), ==, 1);
  f->ts->now = MONDAY + 60;
  restart (f);
  g_assert_cmpuint (shown (f), ==, 1);
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 1);
}

static gboolean
today_shown (Fixture *f)
{
  return f->today_shown == 1;
}

static void
test_summary_after_downtime (Fixture *f, gconstpointer data)
{
  const char *names[] = { "Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus" };
  g_autoptr (TestNotification) n = NULL;

  /* Seven follow-ups fell due over the weekend while Rapport was closed. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (RapportContact) c = add_contact (f, names[i]);
      g_autoptr (RapportReminder) r = add_reminder (f, c, "Follow up", MONDAY - 2 * DAY + i * HOUR,
                                                    NULL);
    }
  start (f);
  g_assert_cmpuint (shown (f), ==, 1);
  n = nth (f, 0);
  g_assert_cmpstr (n->summary, ==, "7 follow-ups are overdue");
  g_assert_true (g_str_has_prefix (n->body, "Ana — Follow up\nBen — Follow up"));
  g_assert_cmpstr (test_notification_action_label (n, "show-today"), ==, "Open Today");
  g_assert_null (test_notification_action_label (n, "done"));
  g_assert_cmpint (n->urgency, ==, URGENCY_NORMAL);

  test_notification_server_invoke (server, n->id, "default");
  wait_until (today_shown, f);
  g_assert_cmpuint (f->opened->len, ==, 0);

  restart (f);
  g_assert_cmpuint (shown (f), ==, 1);
}

/* Quiet hours ------------------------------------------------------------------- */

static void
test_quiet_hours (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (TestNotification) n = NULL;
  gint64 seven_pm = MONDAY + 10 * HOUR;
  gint64 tuesday_8 = MONDAY + 23 * HOUR;

  g_settings_set_boolean (f->settings, "quiet-hours-enabled", TRUE);
  g_settings_set_string (f->settings, "quiet-hours-start", "18:00");
  g_settings_set_string (f->settings, "quiet-hours-end", "08:00");
  reminder = add_reminder (f, zoe, "Evening call", seven_pm, NULL);

  start (f);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, tuesday_8);
  /* At 19:00, and at 23:00 after a restart: nothing. */
  f->ts->now = seven_pm;
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 0);
  f->ts->now = seven_pm + 4 * HOUR;
  restart (f);
  g_assert_cmpuint (shown (f), ==, 0);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, tuesday_8);
  /* When the quiet hours end it is shown, once. */
  f->ts->now = tuesday_8;
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 1);
  n = nth (f, 0);
  g_assert_cmpstr (n->summary, ==, "Follow up with Zoë: Evening call");
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 1);

  /* Turning quiet hours off is a settings change: the notifier re-arms. */
  g_settings_set_boolean (f->settings, "quiet-hours-enabled", FALSE);
  settle ();
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, 0);
}

/* The daily digest -------------------------------------------------------------- */

static void
test_digest (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (TestNotification) n = NULL;

  g_settings_set_boolean (f->settings, "daily-digest-enabled", TRUE);
  g_settings_set_string (f->settings, "daily-digest-time", "08:30");
  f->ts->now = MONDAY - HOUR;
  reminder = add_reminder (f, zoe, "Send the quote", MONDAY + 6 * HOUR, NULL);

  start (f);
  g_assert_cmpuint (shown (f), ==, 0);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY - 30 * 60);
  f->ts->now = MONDAY - 30 * 60;
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 1);
  n = nth (f, 0);
  g_assert_cmpstr (n->summary, ==, "Today: 1 follow-up");
  g_assert_cmpstr (n->body, ==, "Zoë — Send the quote");
  /* Next: the reminder itself at 15:00. */
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + 6 * HOUR);

  f->ts->now = MONDAY;
  restart (f);
  g_assert_cmpuint (shown (f), ==, 1);
}

/* On time, with the real timer ------------------------------------------------- */

static gint64
running_clock (gpointer data)
{
  Fixture *f = data;
  return f->clock_base + (g_get_monotonic_time () - f->clock_mono) / G_USEC_PER_SEC;
}

static gboolean
one_shown (Fixture *f)
{
  return shown (f) == 1;
}

static gboolean
wake_set (Fixture *f)
{
  return rapport_notifier_get_next_wake (f->notifier) != 0;
}

static void
test_real_timer (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) reminder = NULL;

  /* A clock that runs in real time from Monday 09:00. */
  f->clock_base = MONDAY;
  f->clock_mono = g_get_monotonic_time ();
  rapport_store_set_now_func (f->ts->store, running_clock, f);

  start (f);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, 0);

  /* A new reminder re-arms the one timer; it fires on time by itself. */
  reminder = add_reminder (f, zoe, "Call now", running_clock (f) + 1, NULL);
  wait_until (wake_set, f);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, reminder->due_at);
  wait_until (one_shown, f);
  /* Shown by the timer alone, never early; how soon after the due time is a
   * figure for the benchmark, not an assertion here. */
  g_assert_cmpint (running_clock (f), >=, reminder->due_at);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, 0);
}

/* The wall clock is set ------------------------------------------------------
 * A test must not set the system clock. It moves the injected clock, then
 * makes the clock watches' timerfds fire (rapport_clock_watch_fire_for_test):
 * the notifier hears of it through the same fd, read and re-arm as when the
 * kernel cancels the timer with ECANCELED on a real clock change. */

static gboolean
clock_event_cb (gpointer data)
{
  Fixture *f = data;
  f->clock_events++;
  return G_SOURCE_CONTINUE;
}

static gboolean
one_clock_event (Fixture *f)
{
  return f->clock_events == 1;
}

static gboolean
two_clock_events (Fixture *f)
{
  return f->clock_events == 2;
}

static void
test_clock_watch_fires_once (Fixture *f, gconstpointer data)
{
  guint id = rapport_clock_watch_add (clock_event_cb, f);

  g_assert_cmpuint (id, !=, 0);
  /* Armed ten years ahead: nothing is ready now. */
  settle ();
  g_assert_cmpuint (f->clock_events, ==, 0);
  g_assert_cmpuint (rapport_clock_watch_fire_for_test (), ==, 1);
  wait_until (one_clock_event, f);
  /* Re-armed far ahead by the callback: not ready again, no repeat. */
  settle ();
  g_assert_cmpuint (f->clock_events, ==, 1);
  /* Still watching: the next change is told too, once. */
  g_assert_cmpuint (rapport_clock_watch_fire_for_test (), ==, 1);
  wait_until (two_clock_events, f);
  settle ();
  g_assert_cmpuint (f->clock_events, ==, 2);
  g_source_remove (id);
  /* Removed: no watch is left to fire. */
  g_assert_cmpuint (rapport_clock_watch_fire_for_test (), ==, 0);
}

static void
test_clock_set_forward (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) reminder = add_reminder (f, zoe, "Call back", MONDAY + 2 * HOUR,
                                                       NULL);
  g_autoptr (RapportContact) ben = add_contact (f, "Ben");
  g_autoptr (RapportReminder) later = add_reminder (f, ben, "Lunch", MONDAY + 5 * HOUR, NULL);
  g_autoptr (TestNotification) n = NULL;

  start (f);
  g_assert_true (rapport_notifier_get_watching_clock (f->notifier));
  g_assert_cmpuint (shown (f), ==, 0);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + 2 * HOUR);

  /* The clock is set three hours forward: the timer still has two hours of
   * monotonic time to run, yet the reminder comes at once, by itself. */
  f->ts->now = MONDAY + 3 * HOUR;
  g_assert_cmpuint (rapport_clock_watch_fire_for_test (), >=, 1);
  wait_until (one_shown, f);
  n = nth (f, 0);
  g_assert_cmpstr (n->summary, ==, "Follow up with Zoë: Call back");
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + 5 * HOUR);
  settle ();
  g_assert_cmpuint (shown (f), ==, 1);
}

static void
test_clock_set_backward (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) first = add_reminder (f, zoe, "Call back", MONDAY, NULL);
  g_autoptr (RapportContact) ben = add_contact (f, "Ben");
  g_autoptr (RapportReminder) second = add_reminder (f, ben, "Lunch", MONDAY + HOUR, NULL);
  g_autoptr (TestNotification) n = NULL;
  gint64 wake;
  guint id;

  start (f);
  g_assert_cmpuint (shown (f), ==, 1);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + HOUR);

  /* The clock is set two hours back, to before the first reminder was due.
   * The test's own watch, added after the notifier's, fires in the same
   * main-loop dispatch, after it. */
  id = rapport_clock_watch_add (clock_event_cb, f);
  f->ts->now = MONDAY - 2 * HOUR;
  g_assert_cmpuint (rapport_clock_watch_fire_for_test (), >=, 2);
  wait_until (one_clock_event, f);
  settle ();
  g_source_remove (id);
  /* Nothing early, nothing again; the timer is re-armed ahead of the new
   * "now" (the first reminder's old due time may still wake it once). */
  g_assert_cmpuint (shown (f), ==, 1);
  wake = rapport_notifier_get_next_wake (f->notifier);
  g_assert_cmpint (wake, >, MONDAY - 2 * HOUR);
  g_assert_cmpint (wake, <=, MONDAY + HOUR);

  /* Time runs on: every wake before the second is due shows nothing (the
   * first is not shown again), and each re-arms later. */
  while (wake < MONDAY + HOUR)
    {
      f->ts->now = wake;
      rapport_notifier_check (f->notifier);
      g_assert_cmpuint (shown (f), ==, 1);
      g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), >, wake);
      wake = rapport_notifier_get_next_wake (f->notifier);
    }
  g_assert_cmpint (wake, ==, MONDAY + HOUR);
  f->ts->now = wake;
  rapport_notifier_check (f->notifier);
  g_assert_cmpuint (shown (f), ==, 2);
  n = nth (f, 1);
  g_assert_cmpstr (n->summary, ==, "Follow up with Ben: Lunch");
}

/* Another process writes ------------------------------------------------------- */

static void
test_other_writer (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportStore) cli = NULL;
  g_autoptr (RapportReminder) reminder = rapport_reminder_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TestNotification) n = NULL;

  start (f);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, 0);

  /* rapport-cli on the same file: a second connection, no "changed" signal here. */
  cli = rapport_store_open (f->ts->path, &error);
  g_assert_no_error (error);
  reminder->contact_id = g_strdup (RAPPORT_RECORD (zoe)->id);
  reminder->owner = g_strdup (rapport_store_get_me_id (f->ts->store));
  reminder->title = g_strdup ("Scripted follow-up");
  reminder->due_at = MONDAY;
  g_assert_true (rapport_store_save (cli, RAPPORT_RECORD (reminder), &error));
  g_assert_no_error (error);

  wait_until (one_shown, f);
  n = nth (f, 0);
  g_assert_cmpstr (n->summary, ==, "Follow up with Zoë: Scripted follow-up");
}

/* Resume from suspend -------------------------------------------------------- */

static gboolean
watching_resume (Fixture *f)
{
  return rapport_notifier_get_watching_resume (f->notifier);
}

static void
test_resume (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) zoe = add_contact (f, "Zoë");
  g_autoptr (RapportReminder) reminder = add_reminder (f, zoe, "Call back", MONDAY + HOUR, NULL);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;

  start (f);
  /* A change of the wall clock re-arms the timer at once (timerfd). */
  g_assert_true (rapport_notifier_get_watching_clock (f->notifier));
  /* Let the notifier subscribe to logind on the "system" bus (the same
   * connection as ours), and make sure the bus has its match rule before the
   * signal goes out: a round trip after it on that connection. */
  wait_until (watching_resume, f);
  reply = g_dbus_connection_call_sync (system_bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetId", NULL, G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, MONDAY + HOUR);

  /* Two hours of suspend: the timer's monotonic clock stood still, the
   * wall clock did not. The resume signal brings the reminder at once. */
  f->ts->now = MONDAY + 2 * HOUR;
  test_notification_server_emit_resume (server);
  wait_until (one_shown, f);
  g_assert_cmpint (rapport_notifier_get_next_wake (f->notifier), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr (GTestDBus) bus = NULL;
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  /* A private session bus for the whole run, with our notification server. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  server = test_notification_server_new ();
  /* logind's signals come from our server too, on the same private bus. */
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);
  system_bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, NULL);
  g_assert_nonnull (system_bus);
  g_dbus_connection_set_exit_on_close (system_bus, FALSE);

#define ADD(path, func) \
  g_test_add ("/notifier/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("content-and-open", test_content_and_open);
  ADD ("snooze-hour", test_snooze_hour);
  ADD ("tomorrow", test_tomorrow);
  ADD ("done", test_done);
  ADD ("open", test_open_button);
  ADD ("urgent", test_urgent);
  ADD ("no-duplicate-after-restart", test_no_duplicate_after_restart);
  ADD ("summary-after-downtime", test_summary_after_downtime);
  ADD ("quiet-hours", test_quiet_hours);
  ADD ("digest", test_digest);
  ADD ("real-timer", test_real_timer);
  ADD ("resume", test_resume);
  ADD ("other-writer", test_other_writer);
  ADD ("clock-set-forward", test_clock_set_forward);
  ADD ("clock-set-backward", test_clock_set_backward);
#undef ADD
  g_test_add ("/clock-watch/fires-once", Fixture, NULL, fixture_set_up,
              test_clock_watch_fires_once, fixture_tear_down);

  status = g_test_run ();

  g_clear_pointer (&server, test_notification_server_free);
  /* libnotify keeps a proxy on the session bus; let go of it first. */
  notify_uninit ();
  g_test_dbus_down (bus);
  g_clear_object (&system_bus);
  return status;
}
