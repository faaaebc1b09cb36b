/* rapport-sync-scheduler.c: when to sync, and the sync status for the header bar */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-journal.h"
#include "rapport-sync-scheduler.h"
#include "rapport-sync-watch.h"

/* Local edits are sent this long after the first one (the others made
 * meanwhile go in the same batch). */
#define DEFAULT_CHANGE_DELAY_MS 150
#define DEFAULT_INTERVAL_MS (5 * 60 * 1000)
#define DEFAULT_BACKOFF_MIN_MS 5000
#define DEFAULT_BACKOFF_MAX_MS (10 * 60 * 1000)
/* After the network comes back, wait a moment for it to settle. */
#define NETWORK_SETTLE_MS 1000

struct _RapportSyncScheduler
{
  GObject parent_instance;

  RapportSyncClient *client;
  GNetworkMonitor *monitor;
  GCancellable *cancellable;
  gulong changed_id;
  gulong network_id;
  gulong progress_id;
  gulong signed_in_id;
  gboolean started;
  RapportSyncWatch *watch;    /* the waiting pull, open between syncs */

  guint timeout_id;
  gint64 due;                 /* monotonic µs of the planned sync, 0 if none */
  gboolean again;             /* a sync was asked for while one ran */

  guint change_delay_ms;
  guint interval_ms;
  guint backoff_min_ms;
  guint backoff_max_ms;
  guint failures;

  RapportSyncStatus status;
  char *message;
  double progress;
  gint64 last_synced;
  RapportSyncStats last_stats;
};

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_STATUS,
  PROP_MESSAGE,
  PROP_PROGRESS,
  PROP_LAST_SYNCED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RapportSyncScheduler, rapport_sync_scheduler, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (RapportSyncStatus, rapport_sync_status,
                    G_DEFINE_ENUM_VALUE (RAPPORT_SYNC_STATUS_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (RAPPORT_SYNC_STATUS_SYNCED, "synced"),
                    G_DEFINE_ENUM_VALUE (RAPPORT_SYNC_STATUS_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (RAPPORT_SYNC_STATUS_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (RAPPORT_SYNC_STATUS_ERROR, "error"))

static void schedule (RapportSyncScheduler *self, guint delay_ms);

static void
set_status (RapportSyncScheduler *self, RapportSyncStatus status, const char *message)
{
  if (status != self->status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (g_strcmp0 (message, self->message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
}

static void
set_progress (RapportSyncScheduler *self, double progress)
{
  if (progress == self->progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

/* Exponential backoff with ±20 % jitter, so desktops that lost the server at
 * the same moment do not come back at the same moment. */
static guint
backoff_delay (RapportSyncScheduler *self)
{
  guint64 delay = self->backoff_min_ms;

  for (guint i = 1; i < self->failures && delay < self->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->backoff_max_ms);
  return (guint) (delay * g_random_double_range (0.8, 1.2));
}

static void
sync_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportSyncScheduler) self = user_data;
  g_autoptr (GError) error = NULL;
  RapportSyncStats stats = { 0 };
  RapportStore *store = rapport_sync_client_get_store (self->client);
  gboolean ok;

  ok = rapport_sync_client_sync_finish (self->client, result, &stats, &error);
  self->last_stats = stats;
  set_progress (self, -1.0);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->started)
    return;

  if (ok)
    {
      g_autofree char *note = NULL;

      self->failures = 0;
      self->last_synced = g_get_real_time () / G_USEC_PER_SEC;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED]);
      if (stats.refused > 0)
        note = g_strdup_printf (ngettext ("The server refused %u change; it is marked on its record",
                                          "The server refused %u changes; they are marked on their records",
                                          stats.refused), stats.refused);
      set_status (self, RAPPORT_SYNC_STATUS_SYNCED, note);
      if (self->again || rapport_store_count_pending (store) > 0)
        schedule (self, self->change_delay_ms);
      else
        schedule (self, self->interval_ms);
      self->again = FALSE;
      /* Colleagues' changes come through the waiting pull meanwhile. */
      rapport_sync_watch_resume (self->watch);
      return;
    }

  self->again = FALSE;
  rapport_sync_watch_stop (self->watch);
  if (g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_UNAUTHORIZED)
      || g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_NOT_SIGNED_IN)
      || g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_WRONG_USER))
    {
      /* Nothing will change until the user signs in again. */
      set_status (self, RAPPORT_SYNC_STATUS_ERROR, error->message);
      return;
    }
  self->failures++;
  if (g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_NETWORK))
    set_status (self, RAPPORT_SYNC_STATUS_OFFLINE, error->message);
  else
    set_status (self, RAPPORT_SYNC_STATUS_ERROR, error->message);
  if (g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_CLOCK_SKEW))
    schedule (self, self->interval_ms);
  else
    schedule (self, backoff_delay (self));
}

static void
run_sync (RapportSyncScheduler *self)
{
  if (rapport_sync_client_get_busy (self->client))
    {
      self->again = TRUE;
      return;
    }
  if (!rapport_sync_client_is_signed_in (self->client))
    {
      set_status (self, RAPPORT_SYNC_STATUS_IDLE, _("Not signed in to a server"));
      return;
    }
  set_status (self, RAPPORT_SYNC_STATUS_SYNCING, NULL);
  rapport_sync_client_sync_async (self->client, self->cancellable, sync_done_cb,
                                  g_object_ref (self));
}

static gboolean
timeout_cb (gpointer user_data)
{
  RapportSyncScheduler *self = user_data;

  self->timeout_id = 0;
  self->due = 0;
  run_sync (self);
  return G_SOURCE_REMOVE;
}

/* Plans a sync in @delay_ms, unless one is already planned sooner. */
static void
schedule (RapportSyncScheduler *self, guint delay_ms)
{
  gint64 due = g_get_monotonic_time () + (gint64) delay_ms * 1000;

  if (!self->started)
    return;
  if (self->timeout_id != 0 && self->due <= due)
    return;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->due = due;
  self->timeout_id = g_timeout_add (delay_ms, timeout_cb, self);
}

/* The waiting pull brought colleagues' changes (or the server's epoch
 * changed): sync now. */
static void
watch_cb (gpointer user_data)
{
  RapportSyncScheduler *self = user_data;

  if (!self->started)
    return;
  if (rapport_sync_client_get_busy (self->client))
    self->again = TRUE;
  else
    schedule (self, 0);
}

static void
store_changed_cb (RapportStore *store, const char *entity, const char *id, gpointer user_data)
{
  RapportSyncScheduler *self = user_data;

  /* Records written by a pull leave nothing to send. */
  if (rapport_store_count_pending (store) == 0)
    return;
  if (rapport_sync_client_get_busy (self->client))
    self->again = TRUE;
  else if (self->status != RAPPORT_SYNC_STATUS_OFFLINE && self->status != RAPPORT_SYNC_STATUS_ERROR)
    schedule (self, self->change_delay_ms);
}

static void
network_changed_cb (GNetworkMonitor *monitor, gboolean available, gpointer user_data)
{
  RapportSyncScheduler *self = user_data;

  if (!available)
    {
      if (!rapport_sync_client_get_busy (self->client))
        set_status (self, RAPPORT_SYNC_STATUS_OFFLINE,
                    _("No network. Your changes are kept and sent when it is back"));
      return;
    }
  /* The network is back: try at once instead of waiting out the backoff. */
  if (self->status == RAPPORT_SYNC_STATUS_OFFLINE || self->status == RAPPORT_SYNC_STATUS_ERROR
      || rapport_store_count_pending (rapport_sync_client_get_store (self->client)) > 0)
    {
      self->failures = 0;
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      schedule (self, NETWORK_SETTLE_MS);
    }
}

static void
signed_in_cb (RapportSyncClient *client, GParamSpec *pspec, gpointer user_data)
{
  RapportSyncScheduler *self = user_data;

  /* Signing in (again) syncs at once; signing out stops syncing. */
  if (rapport_sync_client_is_signed_in (client))
    rapport_sync_scheduler_sync_now (self);
  else if (!rapport_sync_client_get_busy (client))
    {
      rapport_sync_watch_stop (self->watch);
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      self->due = 0;
      if (self->status != RAPPORT_SYNC_STATUS_ERROR)
        set_status (self, RAPPORT_SYNC_STATUS_IDLE, _("Not signed in to a server"));
    }
}

static void
progress_cb (RapportSyncClient *client, GParamSpec *pspec, gpointer user_data)
{
  set_progress (user_data, rapport_sync_client_get_progress (client));
}

/* GObject ------------------------------------------------------------------- */

static void
rapport_sync_scheduler_dispose (GObject *object)
{
  RapportSyncScheduler *self = RAPPORT_SYNC_SCHEDULER (object);

  rapport_sync_scheduler_stop (self);
  g_clear_pointer (&self->watch, rapport_sync_watch_free);
  g_clear_signal_handler (&self->progress_id, self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (rapport_sync_scheduler_parent_class)->dispose (object);
}

static void
rapport_sync_scheduler_finalize (GObject *object)
{
  RapportSyncScheduler *self = RAPPORT_SYNC_SCHEDULER (object);

  g_free (self->message);
  G_OBJECT_CLASS (rapport_sync_scheduler_parent_class)->finalize (object);
}

static void
rapport_sync_scheduler_get_property (GObject *object, guint prop_id, GValue *value,
                                     GParamSpec *pspec)
{
  RapportSyncScheduler *self = RAPPORT_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_LAST_SYNCED:
      g_value_set_int64 (value, self->last_synced);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rapport_sync_scheduler_set_property (GObject *object, guint prop_id, const GValue *value,
                                     GParamSpec *pspec)
{
  RapportSyncScheduler *self = RAPPORT_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rapport_sync_scheduler_constructed (GObject *object)
{
  RapportSyncScheduler *self = RAPPORT_SYNC_SCHEDULER (object);

  G_OBJECT_CLASS (rapport_sync_scheduler_parent_class)->constructed (object);
  self->progress_id = g_signal_connect (self->client, "notify::progress",
                                        G_CALLBACK (progress_cb), self);
  self->watch = rapport_sync_watch_new (self->client, watch_cb, self);
}

static void
rapport_sync_scheduler_class_init (RapportSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rapport_sync_scheduler_constructed;
  object_class->dispose = rapport_sync_scheduler_dispose;
  object_class->finalize = rapport_sync_scheduler_finalize;
  object_class->get_property = rapport_sync_scheduler_get_property;
  object_class->set_property = rapport_sync_scheduler_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, RAPPORT_TYPE_SYNC_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, RAPPORT_TYPE_SYNC_STATUS, RAPPORT_SYNC_STATUS_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, -1.0, 1.0, -1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNCED] =
    g_param_spec_int64 ("last-synced", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rapport_sync_scheduler_init (RapportSyncScheduler *self)
{
  self->change_delay_ms = DEFAULT_CHANGE_DELAY_MS;
  self->interval_ms = DEFAULT_INTERVAL_MS;
  self->backoff_min_ms = DEFAULT_BACKOFF_MIN_MS;
  self->backoff_max_ms = DEFAULT_BACKOFF_MAX_MS;
  self->progress = -1.0;
}

/* Public API ---------------------------------------------------------------- */

RapportSyncScheduler *
rapport_sync_scheduler_new (RapportSyncClient *client)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (client), NULL);
  return g_object_new (RAPPORT_TYPE_SYNC_SCHEDULER, "client", client, NULL);
}

RapportSyncClient *
rapport_sync_scheduler_get_client (RapportSyncScheduler *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self), NULL);
  return self->client;
}

/**
 * rapport_sync_scheduler_start:
 *
 * Starts watching the store and the network, and syncs soon.
 */
void
rapport_sync_scheduler_start (RapportSyncScheduler *self)
{
  g_return_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->cancellable = g_cancellable_new ();
  self->changed_id = g_signal_connect (rapport_sync_client_get_store (self->client), "changed",
                                       G_CALLBACK (store_changed_cb), self);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_id = g_signal_connect (self->monitor, "network-changed",
                                       G_CALLBACK (network_changed_cb), self);
  self->signed_in_id = g_signal_connect (self->client, "notify::signed-in",
                                         G_CALLBACK (signed_in_cb), self);
  schedule (self, 0);
}

/**
 * rapport_sync_scheduler_stop:
 *
 * Stops planning syncs and cancels a running one (nothing acknowledged is
 * lost: the journal and the cursor only move in committed transactions).
 */
void
rapport_sync_scheduler_stop (RapportSyncScheduler *self)
{
  g_return_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self));

  if (!self->started)
    return;
  self->started = FALSE;
  rapport_sync_watch_stop (self->watch);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->due = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_signal_handler (&self->changed_id, rapport_sync_client_get_store (self->client));
  g_clear_signal_handler (&self->network_id, self->monitor);
  g_clear_signal_handler (&self->signed_in_id, self->client);
}

void
rapport_sync_scheduler_sync_now (RapportSyncScheduler *self)
{
  g_return_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self));

  self->failures = 0;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->due = 0;
  schedule (self, 0);
}

RapportSyncStatus
rapport_sync_scheduler_get_status (RapportSyncScheduler *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self), RAPPORT_SYNC_STATUS_IDLE);
  return self->status;
}

/**
 * rapport_sync_scheduler_get_message:
 *
 * Returns: (nullable): what went wrong and what to do, or a note after a
 *   sync (refused changes).
 */
const char *
rapport_sync_scheduler_get_message (RapportSyncScheduler *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self), NULL);
  return self->message;
}

double
rapport_sync_scheduler_get_progress (RapportSyncScheduler *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self), -1.0);
  return self->progress;
}

gint64
rapport_sync_scheduler_get_last_synced (RapportSyncScheduler *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self), 0);
  return self->last_synced;
}

guint
rapport_sync_scheduler_get_failures (RapportSyncScheduler *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self), 0);
  return self->failures;
}

const RapportSyncStats *
rapport_sync_scheduler_get_last_stats (RapportSyncScheduler *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self), NULL);
  return &self->last_stats;
}

void
rapport_sync_scheduler_set_timing (RapportSyncScheduler *self, guint change_delay_ms,
                                   guint interval_ms, guint backoff_min_ms, guint backoff_max_ms)
{
  g_return_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self));
  g_return_if_fail (backoff_min_ms > 0 && backoff_min_ms <= backoff_max_ms);

  self->change_delay_ms = change_delay_ms;
  self->interval_ms = interval_ms;
  self->backoff_min_ms = backoff_min_ms;
  self->backoff_max_ms = backoff_max_ms;
}

gint64
rapport_sync_scheduler_get_next_delay (RapportSyncScheduler *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self), -1);

  if (self->timeout_id == 0)
    return -1;
  return MAX (0, (self->due - g_get_monotonic_time ()) / 1000);
}

/**
 * rapport_sync_scheduler_set_watch_timing:
 * @wait_s: how long the waiting pull waits at the server (1 to 60 s); 0
 *   keeps no pull waiting (colleagues' changes come with the timed syncs)
 * @retry_min_ms: its first pause after a failure (doubling after each)
 * @retry_max_ms: its longest pause
 */
void
rapport_sync_scheduler_set_watch_timing (RapportSyncScheduler *self, guint wait_s,
                                         guint retry_min_ms, guint retry_max_ms)
{
  g_return_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self));
  rapport_sync_watch_set_timing (self->watch, wait_s, retry_min_ms, retry_max_ms);
}

/**
 * rapport_sync_scheduler_get_waiting:
 *
 * Returns: whether a waiting pull is open, so a colleague's change comes
 *   at once.
 */
gboolean
rapport_sync_scheduler_get_waiting (RapportSyncScheduler *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_SCHEDULER (self), FALSE);
  return rapport_sync_watch_is_waiting (self->watch);
}
