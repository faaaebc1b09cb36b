/* rapport-notifier.c: desktop notifications for reminders, on time and once */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "rapport-clock-watch.h"
#include "rapport-notifier.h"
#include "rapport-reminders.h"

/* The timer runs on the monotonic clock; a change of the wall clock re-arms
 * it at once (rapport-clock-watch.c). Where the system cannot report clock
 * changes, a far-off due time is approached in steps of at most an hour, so
 * a change is noticed within the hour. Nothing due means no timer at all. */
#define MAX_STEP_MS (60 * 60 * 1000)
#define MAX_STEP_WATCHED_MS ((gint64) 24 * 24 * 60 * 60 * 1000)
/* Other writers' commits are seen within this (GFileMonitor rate limit). */
#define WAL_RATE_LIMIT_MS 50
/* A write to the log can be seen before its commit is (the commit frame is
 * synced, then the shared index updated): look again after 20, 40, 80, 160
 * and 320 ms, and not again until the next write. */
#define WAL_RECHECK_FIRST_MS 20
#define WAL_RECHECKS 5
/* After a failed delivery (no notification server), try again after this. */
#define RETRY_SECONDS 60
/* More items than this at once (after a suspend, at the end of quiet hours)
 * become one summary instead of a stack of bubbles. */
#define MAX_SEPARATE 3
/* Timer fires later than the wall clock says by more than this: a clock
 * change or a suspend happened. */
#define CLOCK_SKEW_US (2 * G_USEC_PER_SEC)

struct _RapportNotifier
{
  GObject parent_instance;

  GApplication *app;          /* weak */
  RapportStore *store;
  GSettings *settings;

  GHashTable *shown;          /* NotifyNotification (owned) -> NULL, until closed */
  gboolean started;
  gboolean summary_due;       /* the start summary is yet to be shown */
  int body_markup;            /* -1 unknown, else whether the server wants markup */

  guint timer_id;
  guint clock_watch_id;       /* wall clock set: re-arm */
  gint64 wake;                /* wall time (s) the timer is armed for */
  gint64 armed_real_us;
  gint64 armed_mono_us;
  guint idle_id;

  GFileMonitor *wal_monitor;  /* writes by other processes */
  gint64 data_version;
  guint wal_recheck_id;
  guint wal_rechecks;         /* done since the last write */

  GCancellable *cancellable;
  GDBusConnection *system_bus;
  guint sleep_subscription;
};

G_DEFINE_FINAL_TYPE (RapportNotifier, rapport_notifier, G_TYPE_OBJECT)

static void arm (RapportNotifier *self, gboolean failed);

/* Settings ------------------------------------------------------------------ */

static void
read_policy (RapportNotifier *self, RapportQuietPolicy *policy)
{
  g_autofree char *start = g_settings_get_string (self->settings, "quiet-hours-start");
  g_autofree char *end = g_settings_get_string (self->settings, "quiet-hours-end");

  policy->quiet_hours = g_settings_get_boolean (self->settings, "quiet-hours-enabled");
  policy->working_days_only = g_settings_get_boolean (self->settings, "working-days-only");
  if (!rapport_quiet_parse_time (start, &policy->quiet_start)
      || !rapport_quiet_parse_time (end, &policy->quiet_end))
    policy->quiet_hours = FALSE;
}

/* Minutes after midnight of the daily digest, or -1 when it is off. */
static int
digest_minutes (RapportNotifier *self)
{
  g_autofree char *time = NULL;
  int minutes;

  if (!g_settings_get_boolean (self->settings, "daily-digest-enabled"))
    return -1;
  time = g_settings_get_string (self->settings, "daily-digest-time");
  return rapport_quiet_parse_time (time, &minutes) ? minutes : -1;
}

/* Actions ------------------------------------------------------------------- */

static void
activate_app_action (RapportNotifier *self, const char *name, GVariant *parameter)
{
  g_autoptr (GVariant) owned = parameter ? g_variant_ref_sink (parameter) : NULL;

  if (self->app == NULL)
    return;
  if (g_action_group_has_action (G_ACTION_GROUP (self->app), name))
    g_action_group_activate_action (G_ACTION_GROUP (self->app), name, owned);
  else
    g_application_activate (self->app);
}

static void
act_on_item (RapportNotifier *self, const RapportNotice *notice, const char *action)
{
  g_autoptr (GError) error = NULL;
  const char *me = rapport_store_get_me_id (self->store);
  gint64 now = rapport_store_now (self->store);
  gboolean ok;

  if (g_str_equal (action, "done"))
    ok = rapport_due_item_complete (self->store, notice->item, me, now, &error);
  else if (g_str_equal (action, "snooze-hour"))
    ok = rapport_due_item_snooze (self->store, notice->item,
                                  rapport_snooze_until (RAPPORT_SNOOZE_HOUR, now), me, &error);
  else if (g_str_equal (action, "tomorrow"))
    ok = rapport_due_item_snooze (self->store, notice->item,
                                  rapport_snooze_until (RAPPORT_SNOOZE_TOMORROW, now), me,
                                  &error);
  else
    return;
  if (!ok)
    g_warning ("Could not act on “%s” from its notification: %s", notice->title,
               error->message);
}

static void
action_cb (NotifyNotification *notification, char *action, gpointer user_data)
{
  RapportNotifier *self = user_data;
  const RapportNotice *notice = g_object_get_data (G_OBJECT (notification), "rapport-notice");

  g_assert (notice != NULL);
  g_debug ("Action “%s” on “%s”", action, notice->title);

  if (g_str_equal (action, "show-today")
      || (notice->contact_id == NULL && g_str_equal (action, "default")))
    activate_app_action (self, "show-today", NULL);
  else if (g_str_equal (action, "default") || g_str_equal (action, "open"))
    activate_app_action (self, "open-contact", g_variant_new_string (notice->contact_id));
  else if (notice->item != NULL)
    act_on_item (self, notice, action);
}

static void
closed_cb (NotifyNotification *notification, gpointer user_data)
{
  RapportNotifier *self = user_data;

  g_signal_handlers_disconnect_by_data (notification, self);
  g_hash_table_remove (self->shown, notification);
}

/* Showing ------------------------------------------------------------------- */

static gboolean
server_wants_markup (RapportNotifier *self)
{
  if (self->body_markup < 0)
    {
      GList *caps = notify_get_server_caps ();
      self->body_markup = g_list_find_custom (caps, "body-markup", (GCompareFunc) g_strcmp0) != NULL;
      g_list_free_full (caps, g_free);
    }
  return self->body_markup;
}

static gboolean
show_notice (RapportNotifier *self, RapportNotice *notice)
{
  NotifyNotification *notification;
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;

  if (server_wants_markup (self))
    body = g_markup_escape_text (notice->body ? notice->body : "", -1);
  else
    body = g_strdup (notice->body);

  notification = notify_notification_new (notice->title, body, APPLICATION_ID);
  notify_notification_set_app_name (notification, _("Rapport"));
  notify_notification_set_hint_string (notification, "desktop-entry", APPLICATION_ID);
  notify_notification_set_category (notification, "x-rapport.reminder");
  notify_notification_set_urgency (notification, notice->urgent ? NOTIFY_URGENCY_CRITICAL
                                                                : NOTIFY_URGENCY_NORMAL);
  g_object_set_data_full (G_OBJECT (notification), "rapport-notice", notice,
                          (GDestroyNotify) rapport_notice_free);

  notify_notification_add_action (notification, "default", _("Open"), action_cb, self, NULL);
  if (notice->item != NULL)
    {
      notify_notification_add_action (notification, "open", _("Open"), action_cb, self, NULL);
      notify_notification_add_action (notification, "snooze-hour", _("Snooze 1 Hour"),
                                      action_cb, self, NULL);
      notify_notification_add_action (notification, "tomorrow", _("Tomorrow"), action_cb,
                                      self, NULL);
      notify_notification_add_action (notification, "done", _("Done"), action_cb, self, NULL);
    }
  else
    notify_notification_add_action (notification, "show-today", _("Open Today"), action_cb,
                                    self, NULL);

  if (!notify_notification_show (notification, &error))
    {
      g_message ("Could not show the notification “%s”: %s", notice->title, error->message);
      g_object_unref (notification);
      return FALSE;
    }
  /* Kept until closed: its actions only work while it lives. */
  g_signal_connect (notification, "closed", G_CALLBACK (closed_cb), self);
  g_hash_table_add (self->shown, notification);
  return TRUE;
}

/* Shows @items, one by one or as one summary, and remembers them. */
static gboolean
deliver (RapportNotifier *self, GPtrArray *items, gboolean as_summary, gint64 now)
{
  g_autoptr (GError) error = NULL;
  gboolean shown = TRUE;

  if (as_summary)
    shown = show_notice (self, rapport_notice_new_summary (items));
  else
    for (guint i = 0; i < items->len && shown; i++)
      {
        g_autoptr (GPtrArray) one = g_ptr_array_new ();
        g_ptr_array_add (one, items->pdata[i]);
        shown = show_notice (self, rapport_notice_new_for_item (self->store, items->pdata[i], now));
        /* Remembered one by one: a failure later never repeats this one. */
        if (shown && !rapport_reminders_mark_notified (self->store, one, now, &error))
          {
            g_warning ("Could not remember a shown reminder: %s", error->message);
            return FALSE;
          }
      }
  if (as_summary && shown && !rapport_reminders_mark_notified (self->store, items, now, &error))
    {
      g_warning ("Could not remember shown reminders: %s", error->message);
      return FALSE;
    }
  return shown;
}

static gboolean
deliver_digest (RapportNotifier *self, const RapportQuietPolicy *policy, gint64 now)
{
  g_autoptr (GError) error = NULL;
  RapportNotice *digest;
  int minutes = digest_minutes (self);
  gint64 day = 0;
  gint64 due;

  if (minutes < 0)
    return TRUE;
  due = rapport_reminders_next_digest (self->store, minutes, now, policy, &day);
  if (due == 0 || due > now)
    return TRUE;
  digest = rapport_notice_new_digest (self->store, rapport_store_get_me_id (self->store), now,
                                      &error);
  if (error != NULL)
    {
      g_warning ("Could not gather today’s follow-ups: %s", error->message);
      return FALSE;
    }
  if (digest != NULL && !show_notice (self, digest))
    return FALSE;
  if (!rapport_reminders_mark_digest (self->store, day, now, &error))
    {
      g_warning ("Could not remember the daily digest: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

void
rapport_notifier_check (RapportNotifier *self)
{
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GError) error = NULL;
  RapportQuietPolicy policy = { 0 };
  gint64 now;
  gboolean ok = TRUE;

  g_return_if_fail (RAPPORT_IS_NOTIFIER (self));

  g_clear_handle_id (&self->idle_id, g_source_remove);
  now = rapport_store_now (self->store);
  read_policy (self, &policy);

  if (rapport_quiet_allows (&policy, now))
    {
      pending = rapport_reminders_pending (self->store, rapport_store_get_me_id (self->store),
                                           now, &policy, &error);
      if (pending == NULL)
        {
          g_warning ("Could not read what is due: %s", error->message);
          ok = FALSE;
        }
      else if (pending->len > 0)
        ok = deliver (self, pending,
                      (self->summary_due && pending->len > 1) || pending->len > MAX_SEPARATE,
                      now);
      /* What fell due while Rapport was not running has had its chance. */
      self->summary_due = FALSE;
      ok = deliver_digest (self, &policy, now) && ok;
    }
  arm (self, !ok);
}

/* The one timer --------------------------------------------------------------- */

static gboolean
timer_cb (gpointer user_data)
{
  RapportNotifier *self = user_data;
  gint64 real = g_get_real_time ();
  gint64 expected = self->armed_real_us + (g_get_monotonic_time () - self->armed_mono_us);

  self->timer_id = 0;
  if (ABS (real - expected) > CLOCK_SKEW_US)
    g_debug ("The wall clock moved by %" G_GINT64_FORMAT " s (clock change or suspend)",
             (real - expected) / G_USEC_PER_SEC);
  rapport_notifier_check (self);
  return G_SOURCE_REMOVE;
}

static gint64
next_wake (RapportNotifier *self, gint64 now)
{
  RapportQuietPolicy policy = { 0 };
  int minutes = digest_minutes (self);
  gint64 wake;

  read_policy (self, &policy);
  wake = rapport_reminders_next_wake (self->store, rapport_store_get_me_id (self->store), now,
                                      &policy);
  if (minutes >= 0)
    {
      gint64 digest = rapport_reminders_next_digest (self->store, minutes, now, &policy, NULL);
      if (digest != 0 && (wake == 0 || digest < wake))
        wake = digest;
    }
  return wake;
}

static void
arm (RapportNotifier *self, gboolean failed)
{
  gint64 now = rapport_store_now (self->store);
  gint64 real_ms = g_get_real_time () / 1000;
  gint64 delay_ms;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->wake = next_wake (self, now);
  if (self->wake != 0 && self->wake <= now)
    {
      /* Due now, yet not delivered: something failed; do not spin. */
      self->wake = now + (failed ? RETRY_SECONDS : 1);
    }
  if (self->wake == 0)
    return;

  /* With the real clock, aim at the start of the due second. */
  if (ABS (real_ms / 1000 - now) <= 1)
    delay_ms = self->wake * 1000 - real_ms;
  else
    delay_ms = (self->wake - now) * 1000;
  delay_ms = CLAMP (delay_ms, 0, self->clock_watch_id != 0 ? MAX_STEP_WATCHED_MS : MAX_STEP_MS);

  self->armed_real_us = g_get_real_time ();
  self->armed_mono_us = g_get_monotonic_time ();
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) delay_ms, timer_cb, self, NULL);
  g_source_set_name_by_id (self->timer_id, "[rapport] reminder timer");
}

/* Changes, settings, suspend ------------------------------------------------ */

static gboolean
clock_set_cb (gpointer user_data)
{
  RapportNotifier *self = user_data;

  g_debug ("The wall clock was set; looking again at what is due");
  rapport_notifier_check (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
idle_check_cb (gpointer user_data)
{
  RapportNotifier *self = user_data;

  self->idle_id = 0;
  rapport_notifier_check (self);
  return G_SOURCE_REMOVE;
}

/* Many changes at once (sync, import) give one check. */
static void
queue_check (RapportNotifier *self)
{
  if (!self->started || self->idle_id != 0)
    return;
  self->idle_id = g_idle_add (idle_check_cb, self);
  g_source_set_name_by_id (self->idle_id, "[rapport] reminder check");
}

static void
store_changed_cb (RapportStore *store, const char *entity, const char *id, gpointer user_data)
{
  queue_check (user_data);
}

/* Another process (rapport-cli) wrote to the store: no "changed" signal
 * tells of that, the store's write-ahead log does. */
static gboolean
other_writer_committed (RapportNotifier *self)
{
  gint64 version = rapport_reminders_data_version (self->store);

  if (version == self->data_version)
    return FALSE;
  self->data_version = version;
  queue_check (self);
  return TRUE;
}

static gboolean wal_recheck_cb (gpointer user_data);

static void
schedule_wal_recheck (RapportNotifier *self)
{
  self->wal_recheck_id = g_timeout_add (WAL_RECHECK_FIRST_MS << self->wal_rechecks,
                                        wal_recheck_cb, self);
  g_source_set_name_by_id (self->wal_recheck_id, "[rapport] other writer's commit");
}

static gboolean
wal_recheck_cb (gpointer user_data)
{
  RapportNotifier *self = user_data;

  self->wal_recheck_id = 0;
  if (!other_writer_committed (self) && ++self->wal_rechecks < WAL_RECHECKS)
    schedule_wal_recheck (self);
  return G_SOURCE_REMOVE;
}

static void
wal_changed_cb (GFileMonitor      *monitor,
                GFile             *file,
                GFile             *other,
                GFileMonitorEvent  event,
                gpointer           user_data)
{
  RapportNotifier *self = user_data;

  if (other_writer_committed (self))
    {
      g_clear_handle_id (&self->wal_recheck_id, g_source_remove);
      return;
    }
  /* Only a write can be a commit yet to be seen. */
  if (event != G_FILE_MONITOR_EVENT_CHANGED && event != G_FILE_MONITOR_EVENT_CREATED)
    return;
  /* Written, not yet committed (or our own write): look again shortly. */
  g_clear_handle_id (&self->wal_recheck_id, g_source_remove);
  self->wal_rechecks = 0;
  schedule_wal_recheck (self);
}

static void
watch_other_writers (RapportNotifier *self)
{
  g_autofree char *wal = g_strconcat (rapport_store_get_path (self->store), "-wal", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (wal);
  g_autoptr (GError) error = NULL;

  self->data_version = rapport_reminders_data_version (self->store);
  self->wal_monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, self->cancellable, &error);
  if (self->wal_monitor == NULL)
    {
      g_debug ("Not watching %s for other writers: %s", wal, error->message);
      return;
    }
  /* GLib holds back a file's further "changed" events for 800 ms after
   * one; the first often comes before the commit, so the commit would wait. */
  g_file_monitor_set_rate_limit (self->wal_monitor, WAL_RATE_LIMIT_MS);
  g_signal_connect (self->wal_monitor, "changed", G_CALLBACK (wal_changed_cb), self);
}

static void
settings_changed_cb (GSettings *settings, const char *key, gpointer user_data)
{
  queue_check (user_data);
}

static void
prepare_for_sleep_cb (GDBusConnection *connection,
                      const char      *sender,
                      const char      *path,
                      const char      *interface,
                      const char      *signal,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  RapportNotifier *self = user_data;
  gboolean going_to_sleep = TRUE;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    g_variant_get (parameters, "(b)", &going_to_sleep);
  if (!going_to_sleep)
    {
      g_debug ("Resumed from suspend: checking reminders");
      rapport_notifier_check (self);
    }
}

static void
system_bus_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  RapportNotifier *self;

  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No system bus, so no resume signal: %s", error->message);
      return;
    }
  self = user_data;
  self->system_bus = bus;
  self->sleep_subscription = g_dbus_connection_signal_subscribe (
      bus, "org.freedesktop.login1", "org.freedesktop.login1.Manager", "PrepareForSleep",
      "/org/freedesktop/login1", NULL, G_DBUS_SIGNAL_FLAGS_NONE, prepare_for_sleep_cb, self, NULL);
}

/* GObject ------------------------------------------------------------------- */

static void
rapport_notifier_dispose (GObject *object)
{
  RapportNotifier *self = RAPPORT_NOTIFIER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_handle_id (&self->clock_watch_id, g_source_remove);
  g_clear_handle_id (&self->wal_recheck_id, g_source_remove);
  if (self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);
  if (self->wal_monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->wal_monitor, self);
      g_file_monitor_cancel (self->wal_monitor);
      g_clear_object (&self->wal_monitor);
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->shown != NULL)
    {
      GHashTableIter iter;
      gpointer notification;
      g_hash_table_iter_init (&iter, self->shown);
      while (g_hash_table_iter_next (&iter, &notification, NULL))
        g_signal_handlers_disconnect_by_data (notification, self);
      g_hash_table_remove_all (self->shown);
    }
  g_clear_weak_pointer (&self->app);

  G_OBJECT_CLASS (rapport_notifier_parent_class)->dispose (object);
}

static void
rapport_notifier_finalize (GObject *object)
{
  RapportNotifier *self = RAPPORT_NOTIFIER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->shown, g_hash_table_unref);

  G_OBJECT_CLASS (rapport_notifier_parent_class)->finalize (object);
}

static void
rapport_notifier_class_init (RapportNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rapport_notifier_dispose;
  object_class->finalize = rapport_notifier_finalize;
}

static void
rapport_notifier_init (RapportNotifier *self)
{
  self->shown = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  self->cancellable = g_cancellable_new ();
  self->body_markup = -1;
  self->summary_due = TRUE;
}

/* Public API ------------------------------------------------------------------ */

RapportNotifier *
rapport_notifier_new (GApplication *app, RapportStore *store, GSettings *settings)
{
  RapportNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RAPPORT_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->app, app);
  self->store = g_object_ref (store);
  self->settings = settings ? g_object_ref (settings) : g_settings_new (BASE_ID);
  return self;
}

void
rapport_notifier_start (RapportNotifier *self)
{
  g_return_if_fail (RAPPORT_IS_NOTIFIER (self));

  if (self->started)
    return;
  self->started = TRUE;
  if (!notify_is_initted () && !notify_init (_("Rapport")))
    g_message ("Could not set up desktop notifications; reminders show in Today only");

  g_signal_connect (self->store, "changed", G_CALLBACK (store_changed_cb), self);
  g_signal_connect (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, system_bus_cb, self);
  watch_other_writers (self);
  self->clock_watch_id = rapport_clock_watch_add (clock_set_cb, self);

  rapport_notifier_check (self);
}

gint64
rapport_notifier_get_next_wake (RapportNotifier *self)
{
  g_return_val_if_fail (RAPPORT_IS_NOTIFIER (self), 0);
  return self->timer_id != 0 ? self->wake : 0;
}

/**
 * rapport_notifier_get_watching_clock:
 *
 * Returns: whether a change of the wall clock re-arms the timer at once.
 */
gboolean
rapport_notifier_get_watching_clock (RapportNotifier *self)
{
  g_return_val_if_fail (RAPPORT_IS_NOTIFIER (self), FALSE);
  return self->clock_watch_id != 0;
}

gboolean
rapport_notifier_get_watching_resume (RapportNotifier *self)
{
  g_return_val_if_fail (RAPPORT_IS_NOTIFIER (self), FALSE);
  return self->sleep_subscription != 0;
}
