/* test-server-wait.c: pulls that wait for changes (GET /v1/pull?wait=S) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>

#include "test-server-common.h"

/* A waiting pull in flight, on a session of its own (so closing it closes
 * its connection), answered on the main context. */
typedef struct
{
  SoupSession *session;
  SoupMessage *msg;
  GCancellable *cancellable;
  gint64 sent;
  gint64 answered;
  gboolean done;
  guint status;
  JsonObject *body;
} Waiting;

static void
waiting_free (Waiting *w)
{
  g_clear_object (&w->cancellable);
  g_clear_object (&w->msg);
  g_clear_object (&w->session);
  g_clear_pointer (&w->body, json_object_unref);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Waiting, waiting_free)

static void
waiting_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Waiting *w = data;
  g_autoptr (GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();

  w->answered = g_get_monotonic_time ();
  w->status = soup_message_get_status (w->msg);
  if (bytes != NULL
      && json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    w->body = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  w->done = TRUE;
}

static Waiting *
waiting_pull (TestTeam *team, const char *token, gint64 after, const char *wait)
{
  Waiting *w = g_new0 (Waiting, 1);
  g_autofree char *url = g_strdup_printf ("%s/v1/pull?after=%" G_GINT64_FORMAT "&wait=%s",
                                          team->srv->url, after, wait);
  g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

  w->session = test_session_new ();
  w->msg = soup_message_new ("GET", url);
  w->cancellable = g_cancellable_new ();
  soup_message_headers_replace (soup_message_get_request_headers (w->msg), "Authorization", header);
  w->sent = g_get_monotonic_time ();
  soup_session_send_and_read_async (w->session, w->msg, G_PRIORITY_DEFAULT, w->cancellable,
                                    waiting_done_cb, w);
  return w;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until @w is answered; more than @timeout_ms fails. */
static void
waiting_finish (Waiting *w, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  while (!w->done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("a waiting pull got no answer within %u ms", timeout_ms);
  g_source_remove (id);
}

static double
waited_s (Waiting *w)
{
  return (w->answered - w->sent) / (double) G_USEC_PER_SEC;
}

/* The server's latest cursor as @token sees it. */
static gint64
head (TestTeam *team, const char *token)
{
  gint64 cursor = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr (TestResponse) page = test_pull (team->session, team->srv->url, token, cursor, 5000);

      g_assert_cmpuint (page->status, ==, 200);
      cursor = json_object_get_int_member (page->body, "cursor");
      more = json_object_get_boolean_member (page->body, "more");
    }
  return cursor;
}

static void
push_one (TestTeam *team, const char *token, const char *entity, const char *record,
          const char *fields_json)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *stamp = test_stamp (0, "00000000000000aa");
  g_autofree char *change = test_change (id, entity, record, stamp, fields_json);
  const char *changes[] = { change };
  g_autoptr (TestResponse) answer = test_push (team->session, team->srv->url, token, changes, 1);

  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpstr (test_result_status (answer, 0), ==, "applied");
}

static gboolean
has_record (Waiting *w, const char *record)
{
  JsonArray *changes = json_object_get_array_member (w->body, "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (changes, i), "record"),
                   record) == 0)
      return TRUE;
  return FALSE;
}

/* A colleague's push answers a waiting pull at once, with the change. */
static void
test_wait_woken (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  gint64 after = head (team, team->alice_token);
  g_autoptr (Waiting) w = waiting_pull (team, team->alice_token, after, "30");
  g_autofree char *contact = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf ("{\"name\": \"Wait Woken\", \"created_by\": \"%s\"}", team->bob);

  /* Nothing to send: it waits (a normal request goes on meanwhile). */
  g_assert_cmpint (head (team, team->bob_token), ==, after);
  g_assert_false (w->done);
  push_one (team, team->bob_token, "contact", contact, fields);
  waiting_finish (w, 10000);
  g_assert_cmpuint (w->status, ==, 200);
  g_assert_true (has_record (w, contact));
  g_assert_cmpint (json_object_get_int_member (w->body, "cursor"), >, after);
  g_assert_cmpfloat (waited_s (w), <, 20.0);
}

/* Changes there already: answered at once; none coming: the empty page
 * when the time is up. */
static void
test_wait_at_once_and_timeout (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  gint64 after = head (team, team->alice_token);
  g_autoptr (Waiting) early = waiting_pull (team, team->alice_token, 0, "30");
  g_autoptr (Waiting) late = NULL;

  waiting_finish (early, 10000);
  g_assert_cmpuint (early->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (early->body, "changes")), >, 0);
  g_assert_cmpfloat (waited_s (early), <, 10.0);

  late = waiting_pull (team, team->alice_token, after, "1");
  waiting_finish (late, 10000);
  g_assert_cmpuint (late->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (late->body, "changes")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (late->body, "cursor"), ==, after);
  g_assert_false (json_object_get_boolean_member (late->body, "more"));
  g_assert_cmpfloat (waited_s (late), >=, 0.9);
}

/* A commit the waiting user may not see (a colleague's private note) does
 * not answer the pull; the next visible one does, without the note. */
static void
test_wait_private (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  gint64 after = head (team, team->alice_token);
  g_autoptr (Waiting) w = waiting_pull (team, team->alice_token, after, "30");
  g_autofree char *note = g_uuid_string_random ();
  g_autofree char *contact = g_uuid_string_random ();
  g_autofree char *note_fields = g_strdup_printf ("{\"body\": \"bob's secret\", \"private\": true, "
                                                  "\"author\": \"%s\"}", team->bob);
  g_autofree char *contact_fields = g_strdup_printf ("{\"name\": \"Seen By All\", \"created_by\": \"%s\"}",
                                                     team->bob);

  push_one (team, team->bob_token, "note", note, note_fields);
  push_one (team, team->bob_token, "contact", contact, contact_fields);
  waiting_finish (w, 10000);
  g_assert_cmpuint (w->status, ==, 200);
  g_assert_true (has_record (w, contact));
  g_assert_false (has_record (w, note));
  {
    g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), w->body);
    g_autofree char *text = json_to_string (node, FALSE);

    g_assert_null (strstr (text, "secret"));
  }
}

/* A session ended while its pull waits: the commit that wakes it gets 401,
 * never the change. */
static void
test_wait_revoked (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autofree char *token = test_login (team->session, team->srv->url, "alice", TEST_PASSWORD);
  gint64 after = head (team, token);
  g_autoptr (Waiting) w = waiting_pull (team, token, after, "30");
  g_autoptr (TestResponse) logout = NULL;
  g_autofree char *contact = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf ("{\"name\": \"After Logout\", \"created_by\": \"%s\"}", team->bob);

  logout = test_request (team->session, team->srv->url, "POST", "/v1/logout", token, NULL, "{}", -1);
  g_assert_cmpuint (logout->status, ==, 200);
  push_one (team, team->bob_token, "contact", contact, fields);
  waiting_finish (w, 10000);
  g_assert_cmpuint (w->status, ==, 401);
  g_assert_false (w->body != NULL && json_object_has_member (w->body, "changes"));
}

static void
test_wait_bad (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  const char *bad[] = { "61", "-1", "soon", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (Waiting) w = waiting_pull (team, team->alice_token, 0, bad[i]);

      waiting_finish (w, 10000);
      g_assert_cmpuint (w->status, ==, 400);
    }
  {
    g_autoptr (Waiting) w = waiting_pull (team, "not-a-token", 0, "30");

    waiting_finish (w, 10000);
    g_assert_cmpuint (w->status, ==, 401);
  }
}

/* Sends waiting pulls of 1 s until one is answered at once (under 0.7 s:
 * the server would not hold it) or, with @held NULL, until one is held at
 * least 0.9 s; 20 tries. A probe may take a place before one of
 * @held does, which is then answered at once: it is sent again. */
static void
until_held (TestTeam *team, gint64 after, Waiting **held, guint n_held)
{
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (Waiting) w = NULL;

      for (guint j = 0; j < n_held; j++)
        if (held[j]->done)
          {
            g_assert_cmpuint (held[j]->status, ==, 200);
            waiting_free (held[j]);
            held[j] = waiting_pull (team, team->alice_token, after, "60");
          }
      w = waiting_pull (team, team->alice_token, after, "1");
      waiting_finish (w, 10000);
      g_assert_cmpuint (w->status, ==, 200);
      if (held != NULL ? waited_s (w) < 0.7 : waited_s (w) >= 0.9)
        return;
    }
  g_error ("the server never %s a waiting pull", held != NULL ? "refused to hold" : "held");
}

/* Hostile: one account cannot hold more than 4 waiting pulls (more are
 * answered at once), those waiting tie no worker (other requests go on),
 * and pulls whose clients went away are swept, freeing their places. */
static void
test_wait_limits_and_sweep (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  gint64 after = head (team, team->alice_token);
  Waiting *held[4];
  gint64 start;

  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    held[i] = waiting_pull (team, team->alice_token, after, "60");
  until_held (team, after, held, G_N_ELEMENTS (held));
  /* As many waiting as there are workers: the others are still served. */
  start = g_get_monotonic_time ();
  g_assert_cmpint (head (team, team->bob_token), ==, after);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    g_assert_false (held[i]->done);

  /* The clients go away without a word. */
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      g_cancellable_cancel (held[i]->cancellable);
      waiting_finish (held[i], 10000);
      soup_session_abort (held[i]->session);
      waiting_free (held[i]);
    }
  until_held (team, after, NULL, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/wait/woken", test_wait_woken);
  g_test_add_func ("/server/wait/at-once-and-timeout", test_wait_at_once_and_timeout);
  g_test_add_func ("/server/wait/private", test_wait_private);
  g_test_add_func ("/server/wait/revoked", test_wait_revoked);
  g_test_add_func ("/server/wait/bad", test_wait_bad);
  g_test_add_func ("/server/wait/hostile-limits-and-sweep", test_wait_limits_and_sweep);
  return g_test_run ();
}
