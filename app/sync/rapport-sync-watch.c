/* rapport-sync-watch.c: one waiting pull, so colleagues' changes arrive at once */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include "rapport-journal.h"
#include "rapport-sync-client-private.h"
#include "rapport-sync-state.h"
#include "rapport-sync-watch.h"

/* The server holds a pull at most 60 s; a little less leaves the idle
 * timeouts of both ends (60 s) out of the way. */
#define DEFAULT_WAIT_S 50
#define DEFAULT_RETRY_MIN_MS 1000
#define DEFAULT_RETRY_MAX_MS (60 * 1000)

/* One request in flight; cleared when the watch stops or is freed, so its
 * answer (which comes even when cancelled) finds nobody. */
typedef struct
{
  RapportSyncWatch *watch;
} Ticket;

struct _RapportSyncWatch
{
  RapportSyncClient *client;  /* unowned: the scheduler owns both */
  RapportSyncWatchFunc func;
  gpointer user_data;

  gboolean active;            /* between resume and stop */
  Ticket *ticket;             /* the pull in flight */
  GCancellable *cancellable;
  guint retry_id;
  guint failures;
  gint64 after;               /* the cursor the pull in flight waits after */
  gint64 sent_at;             /* monotonic µs */

  JsonObject *held;           /* an answer that came during a sync */
  char *held_epoch;
  gint64 held_after;

  guint wait_s;
  guint retry_min_ms;
  guint retry_max_ms;
};

static void send_pull (RapportSyncWatch *watch, gint64 after);

static gint64
stored_cursor (RapportSyncWatch *watch)
{
  RapportStore *store = rapport_sync_client_get_store (watch->client);
  g_autofree char *cursor = rapport_store_get_state (store, RAPPORT_SYNC_STATE_CURSOR);

  return cursor ? g_ascii_strtoll (cursor, NULL, 10) : 0;
}

static void
clear_held (RapportSyncWatch *watch)
{
  g_clear_pointer (&watch->held, json_object_unref);
  g_clear_pointer (&watch->held_epoch, g_free);
}

static gboolean
retry_cb (gpointer user_data)
{
  RapportSyncWatch *watch = user_data;

  watch->retry_id = 0;
  send_pull (watch, stored_cursor (watch));
  return G_SOURCE_REMOVE;
}

static void
retry_later (RapportSyncWatch *watch, guint delay_ms)
{
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  watch->retry_id = g_timeout_add (delay_ms, retry_cb, watch);
}

/* Doubling pauses with ±20 % jitter while the server cannot be reached. */
static guint
backoff_ms (RapportSyncWatch *watch)
{
  guint64 delay = watch->retry_min_ms;

  for (guint i = 1; i < watch->failures && delay < watch->retry_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, watch->retry_max_ms);
  return (guint) (delay * g_random_double_range (0.8, 1.2));
}

/* What an answer means, once no sync is running. */
static void
consider (RapportSyncWatch *watch, JsonObject *answer, const char *epoch, gint64 after)
{
  RapportStore *store = rapport_sync_client_get_store (watch->client);
  g_autofree char *stored_epoch = rapport_store_get_state (store, RAPPORT_SYNC_STATE_EPOCH);
  gint64 stored = stored_cursor (watch);
  gint64 cursor = json_object_get_int_member_with_default (answer, "cursor", -1);
  JsonNode *changes = json_object_get_member (answer, "changes");
  guint n = changes && JSON_NODE_HOLDS_ARRAY (changes)
              ? json_array_get_length (json_node_get_array (changes)) : 0;

  /* Restored from a backup: the sync run knows what to do. */
  if (g_strcmp0 (stored_epoch, epoch) != 0)
    {
      watch->func (watch->user_data);
      return;
    }
  /* A sync brought it already; or the cursor moved past entries this user
   * may not see (only the waiting pull moves on). */
  if (cursor <= stored || (n == 0 && cursor > after))
    {
      send_pull (watch, MAX (cursor, stored));
      return;
    }
  if (after == stored)
    rapport_sync_client_set_prefetched (watch->client, after, answer, epoch);
  watch->func (watch->user_data);
}

static void
pull_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Ticket *ticket = user_data;
  RapportSyncWatch *watch = ticket->watch;
  g_autoptr (GError) error = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr (JsonObject) answer = NULL;
  gint64 waited_ms;

  answer = rapport_sync_client_request_finish (RAPPORT_SYNC_CLIENT (source), result, &epoch, &error);
  g_free (ticket);
  if (watch == NULL)
    return;
  watch->ticket = NULL;
  g_clear_object (&watch->cancellable);
  waited_ms = (g_get_monotonic_time () - watch->sent_at) / 1000;

  if (answer == NULL)
    {
      g_debug ("The waiting pull failed: %s", error->message);
      /* Signed out: the scheduler's next sync says so (or signs in again). */
      if (g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_UNAUTHORIZED))
        {
          watch->func (watch->user_data);
          return;
        }
      watch->failures++;
      retry_later (watch, backoff_ms (watch));
      return;
    }
  watch->failures = 0;
  /* A server that answers an empty page at once does not wait (an older
   * one, or its limit of waiting pulls is reached): ask again later. */
  if (json_object_get_int_member_with_default (answer, "cursor", -1) == watch->after
      && waited_ms < watch->wait_s * 1000 / 2)
    {
      retry_later (watch, watch->retry_max_ms);
      return;
    }
  if (rapport_sync_client_get_busy (watch->client))
    {
      clear_held (watch);
      watch->held = g_steal_pointer (&answer);
      watch->held_epoch = g_steal_pointer (&epoch);
      watch->held_after = watch->after;
      return;
    }
  consider (watch, answer, epoch, watch->after);
}

static void
send_pull (RapportSyncWatch *watch, gint64 after)
{
  g_autofree char *path = NULL;
  guint wait = watch->wait_s;

  if (!watch->active || !rapport_sync_client_is_signed_in (watch->client))
    return;
  /* Answered well before the request's watchdog gives it up. */
  wait = MAX (1, MIN (wait, watch->client->request_timeout_s * 3 / 4));
  path = g_strdup_printf ("/v1/pull?after=%" G_GINT64_FORMAT "&limit=%u&wait=%u", after,
                          watch->client->pull_page, wait);
  watch->after = after;
  watch->sent_at = g_get_monotonic_time ();
  watch->ticket = g_new0 (Ticket, 1);
  watch->ticket->watch = watch;
  watch->cancellable = g_cancellable_new ();
  rapport_sync_client_request_async (watch->client, "GET", path, NULL, TRUE, watch->cancellable,
                                     pull_done_cb, watch->ticket);
}

RapportSyncWatch *
rapport_sync_watch_new (RapportSyncClient *client, RapportSyncWatchFunc func, gpointer user_data)
{
  RapportSyncWatch *watch = g_new0 (RapportSyncWatch, 1);

  watch->client = client;
  watch->func = func;
  watch->user_data = user_data;
  watch->wait_s = DEFAULT_WAIT_S;
  watch->retry_min_ms = DEFAULT_RETRY_MIN_MS;
  watch->retry_max_ms = DEFAULT_RETRY_MAX_MS;
  return watch;
}

void
rapport_sync_watch_free (RapportSyncWatch *watch)
{
  if (watch == NULL)
    return;
  rapport_sync_watch_stop (watch);
  g_free (watch);
}

void
rapport_sync_watch_resume (RapportSyncWatch *watch)
{
  g_autoptr (JsonObject) held = NULL;
  g_autofree char *held_epoch = NULL;

  if (watch->wait_s == 0)
    return;
  watch->active = TRUE;
  if (watch->ticket != NULL || watch->retry_id != 0)
    return;
  if (watch->held != NULL)
    {
      held = g_steal_pointer (&watch->held);
      held_epoch = g_steal_pointer (&watch->held_epoch);
      consider (watch, held, held_epoch, watch->held_after);
      return;
    }
  send_pull (watch, stored_cursor (watch));
}

void
rapport_sync_watch_stop (RapportSyncWatch *watch)
{
  watch->active = FALSE;
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  clear_held (watch);
  if (watch->ticket != NULL)
    {
      watch->ticket->watch = NULL;
      watch->ticket = NULL;
      g_cancellable_cancel (watch->cancellable);
    }
  g_clear_object (&watch->cancellable);
  watch->failures = 0;
}

gboolean
rapport_sync_watch_is_waiting (RapportSyncWatch *watch)
{
  return watch->ticket != NULL;
}

void
rapport_sync_watch_set_timing (RapportSyncWatch *watch, guint wait_s, guint retry_min_ms,
                               guint retry_max_ms)
{
  g_return_if_fail (wait_s <= 60);
  g_return_if_fail (retry_min_ms > 0 && retry_min_ms <= retry_max_ms);

  if (wait_s == 0)
    rapport_sync_watch_stop (watch);
  watch->wait_s = wait_s;
  watch->retry_min_ms = retry_min_ms;
  watch->retry_max_ms = retry_max_ms;
}
