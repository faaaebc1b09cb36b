/* test-server-hostile.c: rapport-server against hostile HTTP, while serving others */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>

#include "test-server-common.h"

/* A client speaking raw HTTP over a socket, as an attacker would. */
typedef struct
{
  GSocketConnection *connection;
  GSocket *socket;
} Raw;

static Raw *
raw_connect (RapportTestServer *srv)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  Raw *raw = g_new0 (Raw, 1);

  raw->connection = g_socket_client_connect_to_host (client, "127.0.0.1", srv->port, NULL, &error);
  g_assert_no_error (error);
  raw->socket = g_socket_connection_get_socket (raw->connection);
  g_socket_set_timeout (raw->socket, 30);
  return raw;
}

static void
raw_free (Raw *raw)
{
  g_io_stream_close (G_IO_STREAM (raw->connection), NULL, NULL);
  g_object_unref (raw->connection);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

static gboolean
raw_send (Raw *raw, const char *data, gsize length)
{
  while (length > 0)
    {
      gssize n = g_socket_send (raw->socket, data, length, NULL, NULL);
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

/* Reads one answer: status, and the JSON body when it has one. Stops at the
 * end of the announced body, at EOF, or on an error. */
static guint
raw_read_answer (Raw *raw, JsonObject **body)
{
  g_autoptr (GString) text = g_string_new (NULL);
  char buffer[8192];
  const char *end;
  guint status = 0;

  *body = NULL;
  for (;;)
    {
      gssize n;

      end = strstr (text->str, "\r\n\r\n");
      if (end != NULL)
        {
          const char *cl = strcasestr (text->str, "Content-Length:");
          gsize want = cl ? g_ascii_strtoull (cl + 15, NULL, 10) : 0;
          if (text->len >= (gsize) (end + 4 - text->str) + want)
            break;
        }
      n = g_socket_receive (raw->socket, buffer, sizeof buffer, NULL, NULL);
      if (n <= 0)
        break;
      g_string_append_len (text, buffer, n);
    }
  if (g_str_has_prefix (text->str, "HTTP/1.1 ") || g_str_has_prefix (text->str, "HTTP/1.0 "))
    status = (guint) g_ascii_strtoull (text->str + 9, NULL, 10);
  end = strstr (text->str, "\r\n\r\n");
  if (end != NULL)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      if (json_parser_load_from_data (parser, end + 4, -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        *body = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return status;
}

static const char *
error_code (JsonObject *body)
{
  g_assert_nonnull (body);
  g_assert_true (json_object_has_member (body, "epoch"));
  return json_object_get_string_member (json_object_get_object_member (body, "error"), "code");
}

/* Another client is answered normally. */
static void
assert_others_served (TestTeam *team)
{
  g_autoptr (TestResponse) pull = test_pull (team->session, team->srv->url, team->bob_token, 0, 10);
  g_assert_cmpuint (pull->status, ==, 200);
}

static gint64
server_peak_kib (TestTeam *team)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) team->srv->pid);
  g_autofree char *status = NULL;
  const char *hwm;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  hwm = strstr (status, "VmHWM:");
  g_assert_nonnull (hwm);
  return g_ascii_strtoll (hwm + 6, NULL, 10);
}

static void
test_huge_content_length (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autoptr (Raw) raw = raw_connect (team->srv);
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *head = g_strdup_printf ("POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                                           "Content-Length: 100000000000\r\n\r\n{\"changes\":[",
                                           team->alice_token);

  g_assert_true (raw_send (raw, head, strlen (head)));
  assert_others_served (team);
  g_assert_cmpuint (raw_read_answer (raw, &body), ==, 413);
  g_assert_cmpstr (error_code (body), ==, "too-large");
  assert_others_served (team);
  g_assert_cmpint (server_peak_kib (team), <, 512 * 1024);
}

static void
test_endless_chunked_body (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autoptr (Raw) raw = raw_connect (team->srv);
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *head = g_strdup_printf ("POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                                           "Transfer-Encoding: chunked\r\n\r\n", team->alice_token);
  g_autofree char *chunk = NULL;
  gsize chunk_size = 64 * 1024, sent = 0;
  gboolean answered = FALSE;

  chunk = g_malloc (chunk_size + 16);
  {
    int prefix = g_snprintf (chunk, 16, "%zx\r\n", chunk_size);
    memset (chunk + prefix, ' ', chunk_size);
    memcpy (chunk + prefix + chunk_size, "\r\n", 2);
    chunk_size += prefix + 2;
  }
  g_assert_true (raw_send (raw, head, strlen (head)));
  /* Never ends: stop only when the server answers (or at 64 MiB, a failure). */
  while (sent < 64 * 1024 * 1024)
    {
      if (g_socket_condition_check (raw->socket, G_IO_IN))
        {
          answered = TRUE;
          break;
        }
      if (!raw_send (raw, chunk, chunk_size))
        break;
      sent += chunk_size;
      if (sent >= 4 * 1024 * 1024 && sent < 4 * 1024 * 1024 + chunk_size)
        assert_others_served (team);   /* in the middle of the flood */
    }
  g_assert_true (answered || sent < 64 * 1024 * 1024);
  g_assert_cmpuint (sent, >, 8 * 1024 * 1024 - chunk_size);
  g_assert_cmpuint (raw_read_answer (raw, &body), ==, 413);
  g_assert_cmpstr (error_code (body), ==, "too-large");
  assert_others_served (team);
  g_assert_cmpint (server_peak_kib (team), <, 512 * 1024);
}

static void
test_bad_bodies (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autoptr (GString) deep = g_string_new ("{\"changes\":");
  g_autoptr (GString) many = g_string_new ("{\"changes\":[");
  static const struct { const char *path, *content_type, *body; guint status; const char *code; } cases[] = {
    { "/v1/push", NULL, "{\"changes\": [", 400, "bad-request" },
    { "/v1/push", NULL, "not json at all", 400, "bad-request" },
    { "/v1/push", NULL, "[1, 2, 3]", 400, "bad-request" },
    { "/v1/push", NULL, "{\"changes\": 5}", 400, "bad-request" },
    { "/v1/push", NULL, "{\"changes\": [5]}", 400, "bad-request" },
    { "/v1/push", NULL, "{\"changes\": [{\"id\": 7}]}", 400, "bad-request" },
    { "/v1/push", NULL, "{}", 400, "bad-request" },
    { "/v1/push", NULL, "", 400, "bad-request" },
    { "/v1/push", NULL, "{\"changes\": [], \"x\": \"\xff\xfe\"}", 400, "bad-request" },
    { "/v1/push", "text/plain", "{\"changes\": []}", 415, "unsupported-media-type" },
    { "/v1/push", "application/jsonx", "{\"changes\": []}", 415, "unsupported-media-type" },
    { "/v1/login", NULL, "{\"user\": [\"alice\"], \"password\": \"x\"}", 400, "bad-request" },
    { "/v1/login", "application/x-www-form-urlencoded", "user=alice&password=x", 415, "unsupported-media-type" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TestResponse) response = test_request (team->session, team->srv->url, "POST", cases[i].path,
                                                        team->alice_token, cases[i].content_type, cases[i].body, -1);
      if (response->status != cases[i].status)
        g_error ("case %u: expected %u, got %u: %s", i, cases[i].status, response->status, response->text);
      g_assert_cmpstr (error_code (response->body), ==, cases[i].code);
      assert_others_served (team);
    }

  /* 10,000 nested arrays: refused before the (recursive) parser sees them. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  {
    g_autoptr (TestResponse) response = test_request (team->session, team->srv->url, "POST", "/v1/push",
                                                      team->alice_token, NULL, deep->str, deep->len);
    g_assert_cmpuint (response->status, ==, 400);
    g_assert_cmpstr (error_code (response->body), ==, "bad-request");
  }
  assert_others_served (team);

  /* 10,000 changes in one batch: 413, and none of them applied. */
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *stamp = test_stamp (0, NULL);
      g_autofree char *id = g_strdup_printf ("aaaaaaaa-0000-4000-8000-%012u", i);
      g_autofree char *change = test_change (id, "contact", id, stamp, "{\"name\":\"Flood\"}");
      if (i > 0)
        g_string_append_c (many, ',');
      g_string_append (many, change);
    }
  g_string_append (many, "]}");
  {
    g_autoptr (TestResponse) response = test_request (team->session, team->srv->url, "POST", "/v1/push",
                                                      team->alice_token, NULL, many->str, many->len);
    g_autoptr (GHashTable) records = NULL;

    g_assert_cmpuint (response->status, ==, 413);
    g_assert_cmpstr (error_code (response->body), ==, "too-large");
    records = test_pull_all_records (team->session, team->srv->url, team->bob_token);
    g_assert_false (g_hash_table_contains (records, "aaaaaaaa-0000-4000-8000-000000000000"));
  }
  assert_others_served (team);
  g_assert_cmpint (server_peak_kib (team), <, 512 * 1024);
}

static void
test_header_flood (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autoptr (Raw) raw = raw_connect (team->srv);
  g_autoptr (GString) head = g_string_new ("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  g_autoptr (JsonObject) body = NULL;
  guint status;

  for (guint i = 0; i < 4000; i++)
    g_string_append_printf (head, "X-Filler-%u: %s\r\n", i, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  g_string_append (head, "\r\n");
  raw_send (raw, head->str, head->len);
  status = raw_read_answer (raw, &body);
  /* Refused with a 4xx, or the connection dropped: never served. */
  g_assert_true (status == 0 || (status >= 400 && status < 500));
  assert_others_served (team);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/hostile/huge-content-length", test_huge_content_length);
  g_test_add_func ("/server/hostile/endless-chunked-body", test_endless_chunked_body);
  g_test_add_func ("/server/hostile/bad-bodies", test_bad_bodies);
  g_test_add_func ("/server/hostile/header-flood", test_header_flood);
  return g_test_run ();
}
