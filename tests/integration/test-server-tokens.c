/* test-server-tokens.c: rapport-server sessions: expiry, revocation, rate limit, secrets, TLS */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "test-server-common.h"

typedef struct
{
  RapportTestServer *srv;
  SoupSession *session;
  char *now_file;
  gint64 now;
} Clocked;

/* A server whose clock is a file the test moves forward. */
static Clocked *
clocked_new (const char *config_text)
{
  g_autoptr (GError) error = NULL;
  Clocked *c = g_new0 (Clocked, 1);
  g_autofree char *config = NULL;

  c->srv = rapport_test_server_new (&error);
  g_assert_no_error (error);
  c->now_file = g_build_filename (c->srv->data_dir, "now", NULL);
  c->now = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_true (g_file_set_contents (c->now_file, "0", -1, NULL));
  rapport_test_server_setenv (c->srv, "RAPPORT_SERVER_NOW_FILE", c->now_file);
  if (config_text != NULL)
    {
      config = g_build_filename (c->srv->data_dir, "test.conf", NULL);
      g_assert_true (g_file_set_contents (config, config_text, -1, NULL));
      rapport_test_server_add_serve_args (c->srv, "--config", config, NULL);
    }
  g_free (rapport_test_server_add_user (c->srv, "alice", TEST_PASSWORD, "staff", "Sales", &error));
  g_assert_no_error (error);
  g_free (rapport_test_server_add_user (c->srv, "bob", TEST_PASSWORD, "staff", "Sales", &error));
  g_assert_no_error (error);
  c->session = test_session_new ();
  return c;
}

static void
clocked_set (Clocked *c, gint64 offset)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, c->now + offset);
  g_assert_true (g_file_set_contents (c->now_file, text, -1, NULL));
}

static void
clocked_free (Clocked *c)
{
  g_clear_object (&c->session);
  rapport_test_server_free (c->srv);
  g_free (c->now_file);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Clocked, clocked_free)

static guint
pull_status (Clocked *c, const char *token)
{
  g_autoptr (TestResponse) response = test_pull (c->session, c->srv->url, token, 0, 1);
  return response->status;
}

static void
test_token_expiry (void)
{
  g_autoptr (Clocked) c = clocked_new ("[server]\ntoken-idle-seconds=100\ntoken-lifetime-seconds=1000\n");
  g_autoptr (GError) error = NULL;
  g_autofree char *idle = NULL, *busy = NULL;

  clocked_set (c, 0);
  rapport_test_server_start (c->srv, &error);
  g_assert_no_error (error);

  /* Idle expiry: each use keeps a token alive for 100 s more. */
  idle = test_login (c->session, c->srv->url, "alice", TEST_PASSWORD);
  clocked_set (c, 60);
  g_assert_cmpuint (pull_status (c, idle), ==, 200);
  clocked_set (c, 150);
  g_assert_cmpuint (pull_status (c, idle), ==, 200);
  clocked_set (c, 251);
  g_assert_cmpuint (pull_status (c, idle), ==, 401);
  /* Gone for good, even if time went back. */
  clocked_set (c, 200);
  g_assert_cmpuint (pull_status (c, idle), ==, 401);

  /* Absolute expiry: a token in constant use still ends 1000 s after login. */
  clocked_set (c, 300);
  busy = test_login (c->session, c->srv->url, "alice", TEST_PASSWORD);
  for (gint64 t = 360; t < 1300; t += 60)
    {
      clocked_set (c, t);
      g_assert_cmpuint (pull_status (c, busy), ==, 200);
    }
  clocked_set (c, 1300);
  g_assert_cmpuint (pull_status (c, busy), ==, 401);
}

static void
test_token_revocation (void)
{
  g_autoptr (Clocked) c = clocked_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *alice1 = NULL, *alice2 = NULL, *bob = NULL, *bob_again = NULL;

  clocked_set (c, 0);
  rapport_test_server_start (c->srv, &error);
  g_assert_no_error (error);
  alice1 = test_login (c->session, c->srv->url, "alice", TEST_PASSWORD);
  alice2 = test_login (c->session, c->srv->url, "alice", TEST_PASSWORD);
  bob = test_login (c->session, c->srv->url, "bob", TEST_PASSWORD);

  /* A password change ends every session of that user, and only theirs. */
  rapport_test_server_admin (c->srv, "a new long password\n", NULL, &error, "user", "passwd", "alice",
                             "--password-stdin", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (pull_status (c, alice1), ==, 401);
  g_assert_cmpuint (pull_status (c, alice2), ==, 401);
  g_assert_cmpuint (pull_status (c, bob), ==, 200);
  {
    g_autoptr (TestResponse) old = test_request (c->session, c->srv->url, "POST", "/v1/login", NULL, NULL,
                                                 "{\"user\":\"alice\",\"password\":\"" TEST_PASSWORD "\"}", -1);
    g_autofree char *fresh = test_login (c->session, c->srv->url, "alice", "a new long password");
    g_assert_cmpuint (old->status, ==, 401);
    g_assert_cmpuint (pull_status (c, fresh), ==, 200);
  }

  /* Disabling ends the sessions and refuses sign-in, until enabled. */
  rapport_test_server_admin (c->srv, NULL, NULL, &error, "user", "disable", "bob", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (pull_status (c, bob), ==, 401);
  {
    g_autoptr (TestResponse) refused = test_request (c->session, c->srv->url, "POST", "/v1/login", NULL, NULL,
                                                     "{\"user\":\"bob\",\"password\":\"" TEST_PASSWORD "\"}", -1);
    g_assert_cmpuint (refused->status, ==, 401);
  }
  rapport_test_server_admin (c->srv, NULL, NULL, &error, "user", "enable", "bob", NULL);
  g_assert_no_error (error);
  bob_again = test_login (c->session, c->srv->url, "bob", TEST_PASSWORD);
  g_assert_cmpuint (pull_status (c, bob_again), ==, 200);
  g_assert_cmpuint (pull_status (c, bob), ==, 401);

  /* Passwords never come from the command line. */
  g_assert_false (rapport_test_server_admin (c->srv, NULL, NULL, NULL, "user", "passwd", "alice", NULL));
  g_assert_false (rapport_test_server_admin (c->srv, "short\n", NULL, NULL, "user", "passwd", "alice",
                                             "--password-stdin", NULL));
}

static void
test_login_rate_limit (void)
{
  g_autoptr (Clocked) c = clocked_new (NULL);
  g_autoptr (GError) error = NULL;

  clocked_set (c, 0);
  rapport_test_server_start (c->srv, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr (TestResponse) wrong = test_request (c->session, c->srv->url, "POST", "/v1/login", NULL, NULL,
                                                     "{\"user\":\"alice\",\"password\":\"guess guess\"}", -1);
      g_assert_cmpuint (wrong->status, ==, 401);
    }
  /* The 11th try within the minute is refused, even with the right password. */
  {
    g_autoptr (TestResponse) limited = test_request (c->session, c->srv->url, "POST", "/v1/login", NULL, NULL,
                                                     "{\"user\":\"alice\",\"password\":\"" TEST_PASSWORD "\"}", -1);
    g_assert_cmpuint (limited->status, ==, 429);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (limited->body, "error"), "code"),
                     ==, "rate-limited");
  }
  /* A minute later it works again. */
  clocked_set (c, 61);
  g_free (test_login (c->session, c->srv->url, "alice", TEST_PASSWORD));
}

/* After a whole session, neither a password nor a token is anywhere in
 * what the server printed (with request logging on). */
static void
test_no_secrets_in_logs (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportTestServer) srv = rapport_test_server_new (&error);
  g_autoptr (SoupSession) session = test_session_new ();
  g_autofree char *token = NULL, *output = NULL, *stamp = NULL, *change = NULL, *bad_path = NULL;
  const char *password = "Secret-Pa55word-Zebra";

  g_assert_no_error (error);
  rapport_test_server_add_serve_args (srv, "--verbose", NULL);
  g_free (rapport_test_server_add_user (srv, "alice", password, "staff", NULL, &error));
  g_assert_no_error (error);
  rapport_test_server_start (srv, &error);
  g_assert_no_error (error);

  {
    g_autoptr (TestResponse) wrong = test_request (session, srv->url, "POST", "/v1/login", NULL, NULL,
                                                   "{\"user\":\"alice\",\"password\":\"Wrong-Pa55word-Yak\"}", -1);
    g_assert_cmpuint (wrong->status, ==, 401);
  }
  token = test_login (session, srv->url, "alice", password);
  stamp = test_stamp (0, NULL);
  change = test_change ("99999999-0000-4000-8000-000000000001", "contact", "c-1", stamp, "{\"name\":\"Ada\"}");
  {
    g_autoptr (TestResponse) push = test_push (session, srv->url, token, (const char *[]){ change }, 1);
    g_autoptr (TestResponse) pull = test_pull (session, srv->url, token, 0, 10);
    g_assert_cmpuint (push->status, ==, 200);
    g_assert_cmpuint (pull->status, ==, 200);
  }
  /* A token in a query string is not one, and is not logged either. */
  bad_path = g_strdup_printf ("/v1/pull?token=%s", token);
  {
    g_autoptr (TestResponse) odd = test_request (session, srv->url, "GET", bad_path, NULL, NULL, NULL, 0);
    g_autoptr (TestResponse) logout = test_request (session, srv->url, "POST", "/v1/logout", token, NULL, NULL, 0);
    g_assert_cmpuint (odd->status, ==, 401);
    g_assert_cmpuint (logout->status, ==, 200);
  }
  rapport_test_server_stop (srv, &error);
  g_assert_no_error (error);
  rapport_test_server_admin (srv, "Another-Pa55word-Emu\n", NULL, &error, "user", "passwd", "alice",
                             "--password-stdin", NULL);
  g_assert_no_error (error);

  output = rapport_test_server_get_output (srv);
  g_assert_nonnull (strstr (output, "GET /v1/pull 200"));   /* logging was on */
  g_assert_null (strstr (output, password));
  g_assert_null (strstr (output, "Wrong-Pa55word-Yak"));
  g_assert_null (strstr (output, "Another-Pa55word-Emu"));
  g_assert_null (strstr (output, token));
  /* Nor in the store: only hashes are kept. */
  {
    g_autofree char *db = g_build_filename (srv->data_dir, "server.db", NULL);
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (db, &contents, &length, NULL));
    g_assert_null (memmem (contents, length, password, strlen (password)));
    g_assert_null (memmem (contents, length, token, strlen (token)));
  }
}

/* The TLS client is openssl s_client, verifying the server's certificate
 * against the one made here (and keeping GnuTLS out of this process, whose
 * thread-local storage trips LeakSanitizer in sanitizer builds). */
static char *
tls_request (const char *openssl, const char *cafile, guint16 port, const char *request)
{
  g_autofree char *connect = g_strdup_printf ("127.0.0.1:%u", port);
  const char *argv[] = { openssl, "s_client", "-quiet", "-connect", connect, "-CAfile", cafile,
                         "-verify_return_error", "-verify_ip", "127.0.0.1", NULL };
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                         | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, request, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  return out;
}

static void
test_tls (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportTestServer) srv = rapport_test_server_new (&error);
  g_autofree char *cert = NULL, *key = NULL, *other_cert = NULL, *other_key = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  const char *login = "{\"user\":\"alice\",\"password\":\"" TEST_PASSWORD "\"}";

  g_assert_no_error (error);
  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to make a test certificate");
      return;
    }
  cert = g_build_filename (srv->data_dir, "cert.pem", NULL);
  key = g_build_filename (srv->data_dir, "key.pem", NULL);
  other_cert = g_build_filename (srv->data_dir, "other-cert.pem", NULL);
  other_key = g_build_filename (srv->data_dir, "other-key.pem", NULL);
  for (guint i = 0; i < 2; i++)
    {
      const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                             "-keyout", i == 0 ? key : other_key, "-out", i == 0 ? cert : other_cert, NULL };
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  g_free (rapport_test_server_add_user (srv, "alice", TEST_PASSWORD, "staff", NULL, &error));
  g_assert_no_error (error);
  rapport_test_server_add_serve_args (srv, "--tls-cert", cert, "--tls-key", key, NULL);
  rapport_test_server_start (srv, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (srv->url, "https://127.0.0.1:"));

  {
    g_autofree char *request = g_strdup_printf ("POST /v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                                                "Connection: close\r\n\r\n%s", strlen (login), login);
    g_autofree char *answer = tls_request (openssl, cert, srv->port, request);

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
    g_assert_nonnull (strstr (answer, "\"token\""));
  }
  /* A client expecting another certificate refuses to talk. */
  {
    g_autofree char *answer = tls_request (openssl, other_cert, srv->port,
                                           "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Connection: close\r\n\r\n");
    g_assert_null (strstr (answer, "HTTP/1.1"));
  }
  /* Plain HTTP to the TLS port gets no answer. */
  {
    g_autoptr (SoupSession) session = test_session_new ();
    g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/health", srv->port);
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr (GBytes) answer = soup_session_send_and_read (session, msg, NULL, NULL);
    g_assert_true (answer == NULL || soup_message_get_status (msg) != 200);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/tokens/expiry", test_token_expiry);
  g_test_add_func ("/server/tokens/revocation", test_token_revocation);
  g_test_add_func ("/server/tokens/login-rate-limit", test_login_rate_limit);
  g_test_add_func ("/server/tokens/no-secrets-in-logs", test_no_secrets_in_logs);
  g_test_add_func ("/server/tokens/tls", test_tls);
  return g_test_run ();
}
