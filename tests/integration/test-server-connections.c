/* test-server-connections.c: rapport-server under many connections, and clients that go away */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>

#include "test-server-common.h"

/* Sockets of the server's port in state CLOSE-WAIT (the client closed, the
 * server did not), from /proc/net/tcp: state 08. */
static guint
close_wait_count (guint16 port)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *local = g_strdup_printf (":%04X", port);
  guint count = 0;

  g_assert_true (g_file_get_contents ("/proc/net/tcp", &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto (GStrv) cols = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr (GPtrArray) fields = g_ptr_array_new ();

      for (guint c = 0; cols[c]; c++)
        if (*cols[c] != '\0')
          g_ptr_array_add (fields, cols[c]);
      /* sl local_address rem_address st ... */
      if (fields->len > 3 && g_str_has_suffix (fields->pdata[1], local)
          && strcmp (fields->pdata[3], "08") == 0)
        count++;
    }
  return count;
}

static guint
open_files (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

typedef struct
{
  guint16 port;
  GPid pid;
  guint limit;
  gboolean done;
} Wait;

static gboolean
check_cb (gpointer data)
{
  Wait *wait = data;

  if (close_wait_count (wait->port) == 0 && open_files (wait->pid) <= wait->limit)
    {
      wait->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until the server holds no half-closed socket
 * and at most @limit descriptors; fails after 20 s. */
static void
wait_for_clean_server (RapportTestServer *srv, guint limit)
{
  Wait wait = { srv->port, srv->pid, limit, FALSE };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint id = g_timeout_add (100, check_cb, &wait);

  while (!wait.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!wait.done)
    {
      g_source_remove (id);
      g_test_message ("%u sockets in CLOSE-WAIT, %u descriptors open (at most %u expected)",
                      close_wait_count (srv->port), open_files (srv->pid), limit);
    }
  g_assert_true (wait.done);
}

typedef enum
{
  ANSWERED_KEEP_ALIVE,   /* a whole request, the answer read, then closed */
  PARTIAL_BODY,          /* a push whose body stops half-way */
  GONE_BEFORE_ANSWER,    /* a whole pull, closed before the answer */
  HALF_HEADERS,          /* headers never finished */
  IDLE,                  /* connected, nothing sent */
  N_KINDS
} Kind;

static void
one_client (guint16 port, Kind kind, const char *token)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *request = NULL;
  GOutputStream *out;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  switch (kind)
    {
    case ANSWERED_KEEP_ALIVE:
      request = g_strdup_printf ("GET /v1/pull HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", token);
      break;
    case PARTIAL_BODY:
      request = g_strdup_printf ("POST /v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                                 "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                                 "{\"changes\":[", token);
      break;
    case GONE_BEFORE_ANSWER:
      request = g_strdup_printf ("GET /v1/pull?limit=5000 HTTP/1.1\r\nHost: x\r\n"
                                 "Authorization: Bearer %s\r\n\r\n", token);
      break;
    case HALF_HEADERS:
      request = g_strdup ("GET /v1/pull HTTP/1.1\r\nHost: x\r\n");
      break;
    default:
      break;
    }
  if (request != NULL)
    g_assert_true (g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error));
  if (kind == ANSWERED_KEEP_ALIVE)
    {
      GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
      char buffer[4096];
      gssize n = g_input_stream_read (in, buffer, sizeof buffer - 1, NULL, &error);

      g_assert_cmpint (n, >, 12);
      buffer[n] = '\0';
      g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 200"));
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

/* Many clients at once, of every kind, then gone: the server is left with
 * no half-closed socket and no more descriptors than before, and serves
 * others meanwhile. */
static void
test_clients_that_go_away (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  guint before;

  /* The team's own session keeps its connection: close it first. */
  g_clear_object (&team->session);
  team->session = test_session_new ();
  {
    g_autoptr (TestResponse) warm = test_pull (team->session, team->srv->url, team->alice_token, 0, 10);
    g_assert_cmpuint (warm->status, ==, 200);
  }
  before = open_files (team->srv->pid);

  for (guint round = 0; round < 3; round++)
    {
      for (guint i = 0; i < 60; i++)
        one_client (team->srv->port, i % N_KINDS, team->bob_token);
      {
        g_autoptr (TestResponse) other = test_pull (team->session, team->srv->url, team->alice_token, 0, 10);
        g_assert_cmpuint (other->status, ==, 200);
      }
    }
  /* What is left: the session's one connection, and the idle and
   * half-finished ones the server closes on its idle timeout at the latest
   * (they have gone from the client side, so at once). */
  wait_for_clean_server (team->srv, before + 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/connections/clients-that-go-away", test_clients_that_go_away);
  return g_test_run ();
}
