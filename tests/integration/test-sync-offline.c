/* test-sync-offline.c: the sync client without a Rapport server (unit suite) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "rapport-sync-private.h"
#include "rapport-sync-state.h"
#include "test-sync-common.h"

/* A port where nothing listens: bound, then closed. */
static guint16
dead_port (void)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_replace_user_id (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportUser) local = rapport_user_new ();
  g_autoptr (RapportContact) c = rapport_contact_new ();
  g_autoptr (RapportContact) loaded = NULL;
  g_autoptr (GPtrArray) before = NULL, after = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *local_id = NULL;

  local->name = g_strdup ("me");
  g_assert_true (rapport_store_set_me (ts->store, local, &error));
  local_id = g_strdup (RAPPORT_RECORD (local)->id);
  c->name = g_strdup ("Ada");
  c->owner = g_strdup (local_id);
  c->created_by = g_strdup (local_id);
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), &error));
  before = rapport_store_pending_changes (ts->store, 100, &error);

  g_assert_true (rapport_store_replace_user_id (ts->store, local_id, "server-id-1", &error));
  g_assert_no_error (error);
  loaded = rapport_store_get_contact (ts->store, RAPPORT_RECORD (c)->id, &error);
  g_assert_cmpstr (loaded->owner, ==, "server-id-1");
  g_assert_cmpstr (loaded->created_by, ==, "server-id-1");
  g_assert_null (rapport_store_get_user (ts->store, local_id));

  /* The journal says the same, under the same stamps; the placeholder user's
   * own entry is gone. */
  after = rapport_store_pending_changes (ts->store, 100, &error);
  g_assert_cmpuint (after->len, ==, before->len - 1);
  for (guint i = 0; i < after->len; i++)
    {
      RapportChange *change = after->pdata[i];
      g_autoptr (JsonNode) node = rapport_change_to_json (change);
      g_autofree char *text = json_to_string (node, FALSE);

      g_assert_cmpstr (change->entity, ==, "contact");
      g_assert_null (strstr (text, local_id));
      g_assert_true (strstr (text, "server-id-1") != NULL);
      g_assert_cmpstr (change->stamp, ==, ((RapportChange *) before->pdata[1])->stamp);
    }
}

static void
test_conflicts_recorded_once (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (JsonNode) value = json_from_string ("\"+1 555 0100\"", NULL);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    g_assert_true (rapport_store_add_conflict (ts->store, "contact", "c1", "phones", value,
                                               "0000000000001-0000-aaaaaaaaaaaaaaaa", NULL,
                                               RAPPORT_CONFLICT_REPLACED, &error));
  g_assert_true (rapport_store_add_conflict (ts->store, "contact", "c1", "stage", value,
                                             "0000000000001-0000-aaaaaaaaaaaaaaaa", NULL,
                                             "refused: forbidden: test", &error));
  g_assert_no_error (error);
  g_assert_cmpint (rapport_store_count_conflicts (ts->store, "c1"), ==, 2);
  g_assert_cmpint (rapport_store_count_conflicts (ts->store, "c2"), ==, 0);
  g_assert_cmpint (rapport_store_count_conflicts (ts->store, NULL), ==, 2);

  {
    g_autoptr (GPtrArray) list = rapport_store_list_conflicts (ts->store, "c1", FALSE, &error);
    RapportConflict *newest;

    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 2);
    newest = list->pdata[0];
    g_assert_cmpstr (newest->field, ==, "stage");
    g_assert_cmpstr (newest->reason, ==, "refused: forbidden: test");
    g_assert_cmpstr (newest->lost_value, ==, "\"+1 555 0100\"");
    g_assert_null (newest->winner_stamp);
    g_assert_cmpint (newest->at, ==, ts->now);
  }
  g_assert_true (rapport_store_mark_conflicts_seen (ts->store, "c1", &error));
  g_assert_cmpint (rapport_store_count_conflicts (ts->store, NULL), ==, 0);
  {
    g_autoptr (GPtrArray) unseen = rapport_store_list_conflicts (ts->store, NULL, FALSE, &error);
    g_autoptr (GPtrArray) all = rapport_store_list_conflicts (ts->store, NULL, TRUE, &error);

    g_assert_cmpuint (unseen->len, ==, 0);
    g_assert_cmpuint (all->len, ==, 2);
    g_assert_true (((RapportConflict *) all->pdata[1])->seen);
  }
}

/* Push bodies stay under the size limit and never carry the local order. */
static void
test_push_body (void)
{
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
  g_autofree char *big = g_strnfill (600 * 1024, 'x');
  g_autofree char *body = NULL;
  g_autoptr (JsonNode) parsed = NULL;
  g_autoptr (GError) error = NULL;
  guint taken = 0, total = 0, from = 0;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (JsonObject) fields = json_object_new ();
      g_autofree char *id = g_strdup_printf ("change-%u", i);
      RapportChange *change;

      json_object_set_string_member (fields, "body", big);
      change = rapport_change_new (id, "note", "n1", "0000000000001-0000-aaaaaaaaaaaaaaaa", fields);
      change->seq = i + 1;
      g_ptr_array_add (changes, change);
    }
  body = rapport_sync_changes_body (changes, 0, 1000, &taken);
  g_assert_cmpuint (taken, >, 1);
  g_assert_cmpuint (taken, <, 20);
  g_assert_cmpuint (strlen (body), <=, RAPPORT_SYNC_PUSH_MAX_BYTES);
  parsed = json_from_string (body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (parsed),
                                                                          "changes")), ==, taken);
  g_assert_null (strstr (body, "\"seq\""));
  /* Every change goes out, batch after batch. */
  while (from < changes->len)
    {
      g_free (rapport_sync_changes_body (changes, from, 1000, &taken));
      g_assert_cmpuint (taken, >, 0);
      from += taken;
      total += taken;
    }
  g_assert_cmpuint (total, ==, 20);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
sync_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;
  w->ok = rapport_sync_client_sync_finish (RAPPORT_SYNC_CLIENT (source), result, NULL, &w->error);
  w->done = TRUE;
}

static void
login_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;
  w->ok = rapport_sync_client_login_finish (RAPPORT_SYNC_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static void
test_errors_say_what_to_do (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", dead_port ());
  TestDesktop *d = test_desktop_new (url);
  Wait w = { 0 };

  /* Not signed in. */
  rapport_sync_client_sync_async (d->client, NULL, sync_cb, &w);
  test_wait_until (wait_done, &w, 10000, "a sync");
  g_assert_error (w.error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_NOT_SIGNED_IN);
  g_assert_true (strstr (w.error->message, "Sign in") != NULL);
  g_clear_error (&w.error);

  /* Nobody listening: offline, with the address in the message. */
  memset (&w, 0, sizeof w);
  rapport_sync_client_login_async (d->client, "alice", "pw", NULL, login_cb, &w);
  test_wait_until (wait_done, &w, 30000, "a login");
  g_assert_error (w.error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_NETWORK);
  g_assert_true (strstr (w.error->message, url) != NULL);
  g_clear_error (&w.error);

  /* Not an address at all. */
  rapport_sync_client_set_server_url (d->client, "not a url");
  memset (&w, 0, sizeof w);
  rapport_sync_client_login_async (d->client, "alice", "pw", NULL, login_cb, &w);
  test_wait_until (wait_done, &w, 10000, "a login");
  g_assert_error (w.error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_FAILED);
  g_clear_error (&w.error);
  test_desktop_free (d);
}

/* A foreign HTTP server (not Rapport) answering 200 without an epoch: the
 * sync fails, and nothing is stored that would make the next sync skip
 * anything (no epoch, no cursor). */
static void
foreign_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                 gpointer user_data)
{
  const char *body = strcmp (path, "/v1/health") == 0
                         ? "{\"version\": \"1.0\"}"
                         : "{\"changes\": [], \"cursor\": 99, \"more\": false}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

/* libsoup 3.2 keeps one reference too many on each socket it accepts (see
 * request_started_cb() in app/server/rapport-server-http.c): drop it once,
 * while the connection still holds its own. */
static void
foreign_request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket == NULL || soup_get_major_version () != 3 || soup_get_minor_version () != 2
      || g_object_get_data (G_OBJECT (socket), "test-accept-ref-released") != NULL)
    return;
  g_object_set_data (G_OBJECT (socket), "test-accept-ref-released", GINT_TO_POINTER (TRUE));
  g_object_unref (socket);
}

/* Makes @server listen on a free port of 127.0.0.1 and returns its URL. Not
 * soup_server_listen_local() nor soup_server_get_uris(): they make libsoup
 * 3.2 cache the listening address, which it never frees. */
static char *
foreign_listen (SoupServer *server)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) local = NULL;
  g_autoptr (GSList) listeners = NULL;
  g_autoptr (GError) error = NULL;

  g_signal_connect (server, "request-started", G_CALLBACK (foreign_request_started_cb), NULL);
  g_assert_true (soup_server_listen (server, any_port, 0, &error));
  g_assert_no_error (error);
  listeners = soup_server_get_listeners (server);
  local = g_socket_get_local_address (listeners->data, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("http://127.0.0.1:%u/",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
}

static void
test_foreign_server_changes_nothing (void)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autofree char *url = NULL;
  g_autofree char *epoch = NULL, *cursor = NULL;
  TestDesktop *d;
  Wait w = { 0 };

  soup_server_add_handler (server, NULL, foreign_handler, NULL, NULL);
  url = foreign_listen (server);
  d = test_desktop_new (url);
  rapport_sync_client_set_token (d->client, "alice", "some-token");

  rapport_sync_client_sync_async (d->client, NULL, sync_cb, &w);
  test_wait_until (wait_done, &w, 10000, "a sync");
  g_assert_false (w.ok);
  g_assert_error (w.error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL);
  g_clear_error (&w.error);
  epoch = rapport_store_get_state (d->store, RAPPORT_SYNC_STATE_EPOCH);
  cursor = rapport_store_get_state (d->store, RAPPORT_SYNC_STATE_CURSOR);
  g_assert_null (epoch);
  g_assert_null (cursor);
  test_desktop_free (d);
}

/* A server that takes requests and never answers: the sync gives up after
 * the request timeout (and one retry), it does not hang. */
static void
silent_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer user_data)
{
  GPtrArray *held = user_data;

  soup_server_message_pause (msg);
  g_ptr_array_add (held, g_object_ref (msg));
}

static void
test_unanswered_request_gives_up (void)
{
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autofree char *url = NULL;
  TestDesktop *d;
  Wait w = { 0 };

  soup_server_add_handler (server, NULL, silent_handler, held, NULL);
  url = foreign_listen (server);
  d = test_desktop_new (url);
  rapport_sync_client_set_token (d->client, "alice", "some-token");
  rapport_sync_client_set_request_timeout (d->client, 1);

  rapport_sync_client_sync_async (d->client, NULL, sync_cb, &w);
  test_wait_until (wait_done, &w, 20000, "the sync to give up");
  g_assert_error (w.error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_NETWORK);
  g_assert_true (strstr (w.error->message, "no answer") != NULL);
  g_clear_error (&w.error);
  /* It tried twice, then gave up; how long that took is not asserted
   * (seconds-granular timers may fire a little early). */
  g_assert_cmpuint (held->len, ==, 2);
  g_assert_false (rapport_sync_client_get_busy (d->client));
  test_desktop_free (d);
  for (guint i = 0; i < held->len; i++)
    soup_server_message_unpause (held->pdata[i]);
  soup_server_disconnect (server);
}

typedef struct
{
  RapportSyncScheduler *scheduler;
  guint failures;
} FailWait;

static gboolean
failures_reached (gpointer data)
{
  FailWait *w = data;
  return rapport_sync_scheduler_get_failures (w->scheduler) >= w->failures;
}

/* Offline: the status says so, and retries come further and further apart,
 * within the bounds and with jitter. */
static void
test_scheduler_backs_off (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", dead_port ());
  TestDesktop *d = test_desktop_new (url);
  g_autoptr (RapportSyncScheduler) scheduler = rapport_sync_scheduler_new (d->client);
  FailWait w = { scheduler, 0 };
  gint64 delays[5];

  rapport_sync_client_set_token (d->client, "alice", "some-token");
  rapport_sync_scheduler_set_timing (scheduler, 10, 60000, 40, 320);
  rapport_sync_scheduler_start (scheduler);
  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      w.failures = i + 1;
      test_wait_until (failures_reached, &w, 30000, "a failed sync");
      g_assert_cmpint (rapport_sync_scheduler_get_status (scheduler), ==, RAPPORT_SYNC_STATUS_OFFLINE);
      delays[i] = rapport_sync_scheduler_get_next_delay (scheduler);
    }
  /* 40, 80, 160, 320, 320 ms, each ±20 %. */
  g_assert_cmpint (delays[0], <=, 48);
  g_assert_cmpint (delays[1], >=, 40);
  g_assert_cmpint (delays[1], <=, 96);
  g_assert_cmpint (delays[2], >=, 90);
  g_assert_cmpint (delays[3], >=, 200);
  g_assert_cmpint (delays[4], <=, 384);
  g_assert_nonnull (strstr (rapport_sync_scheduler_get_message (scheduler), url));

  /* Asking for a sync resets the backoff. */
  rapport_sync_scheduler_sync_now (scheduler);
  g_assert_cmpuint (rapport_sync_scheduler_get_failures (scheduler), ==, 0);
  rapport_sync_scheduler_stop (scheduler);
  g_assert_cmpint (rapport_sync_scheduler_get_next_delay (scheduler), ==, -1);
  test_desktop_free (d);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-offline/replace-user-id", test_replace_user_id);
  g_test_add_func ("/sync-offline/conflicts-recorded-once", test_conflicts_recorded_once);
  g_test_add_func ("/sync-offline/push-body", test_push_body);
  g_test_add_func ("/sync-offline/errors-say-what-to-do", test_errors_say_what_to_do);
  g_test_add_func ("/sync-offline/foreign-server-changes-nothing", test_foreign_server_changes_nothing);
  g_test_add_func ("/sync-offline/scheduler-backs-off", test_scheduler_backs_off);
  g_test_add_func ("/sync-offline/unanswered-request-gives-up", test_unanswered_request_gives_up);
  return g_test_run ();
}
