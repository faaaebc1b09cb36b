/* test-server-fault.c: rapport-server killed between commit and answer; restore from backup */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "test-server-common.h"

static char *
batch_body (guint n, const char *prefix)
{
  GString *body = g_string_new ("{\"changes\":[");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *stamp = test_stamp (0, NULL);
      g_autofree char *id = g_strdup_printf ("%s-0000-4000-8000-%012u", prefix, i);
      g_autofree char *record = g_strdup_printf ("%s-contact-%u", prefix, i);
      g_autofree char *change = test_change (id, "contact", record, stamp, "{\"name\":\"Kept\"}");

      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append (body, change);
    }
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

static void
test_kill_after_commit (void)
{
  const char *env[] = { "RAPPORT_SERVER_FAULT", "kill-after-commit", NULL };
  g_autoptr (TestTeam) team = test_team_new (env);
  g_autoptr (GError) error = NULL;
  g_autofree char *body = batch_body (50, "bbbbbbbb");
  g_autofree char *url = g_strconcat (team->srv->url, "/v1/push", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", team->alice_token, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (TestResponse) retry = NULL, pull = NULL;
  guint16 port = team->srv->port;
  int sig = 0;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  answer = soup_session_send_and_read (team->session, msg, NULL, &error);
  /* The client never got an answer: it cannot know the batch was applied. */
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (rapport_test_server_wait_exit (team->srv, 30000, &sig, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sig, ==, SIGKILL);

  rapport_test_server_setenv (team->srv, "RAPPORT_SERVER_FAULT", NULL);
  rapport_test_server_start (team->srv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (team->srv->port, ==, port);

  /* The same batch again: answered as applied, applied once. */
  retry = test_request (team->session, team->srv->url, "POST", "/v1/push", team->alice_token, NULL, body, -1);
  g_assert_cmpuint (retry->status, ==, 200);
  for (guint i = 0; i < 50; i++)
    g_assert_cmpstr (test_result_status (retry, i), ==, "applied");
  pull = test_pull (team->session, team->srv->url, team->bob_token, 0, 5000);
  {
    JsonArray *changes = json_object_get_array_member (pull->body, "changes");
    guint seen = 0;

    for (guint i = 0; i < json_array_get_length (changes); i++)
      if (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (changes, i), "id"),
                            "bbbbbbbb-"))
        seen++;
    g_assert_cmpuint (seen, ==, 50);
  }
  /* The cursor the retry reports is the one of the first commit. */
  g_assert_cmpint (json_object_get_int_member (retry->body, "cursor"), ==,
                   json_object_get_int_member (pull->body, "cursor"));
}

static const char *
epoch_now (TestTeam *team)
{
  static char epoch[128];
  g_autoptr (TestResponse) health = test_request (team->session, team->srv->url, "GET", "/v1/health",
                                                  NULL, NULL, NULL, 0);
  g_strlcpy (epoch, json_object_get_string_member (health->body, "epoch"), sizeof epoch);
  return epoch;
}

/* A store put back from an older copy gets a new epoch by itself, so that
 * desktops send back what the copy lacks; a plain restart keeps it. */
static void
test_restore_renews_epoch (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *backup = g_build_filename (team->srv->data_dir, "backup", NULL);
  g_autofree char *first = g_strdup (epoch_now (team));
  g_autofree char *body = batch_body (3, "cccccccc");
  g_autoptr (TestResponse) push = NULL;

  rapport_test_server_stop (team->srv, &error);
  g_assert_no_error (error);
  rapport_test_server_backup (team->srv, backup, &error);
  g_assert_no_error (error);
  rapport_test_server_start (team->srv, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epoch_now (team), ==, first);

  push = test_request (team->session, team->srv->url, "POST", "/v1/push", team->alice_token, NULL, body, -1);
  g_assert_cmpuint (push->status, ==, 200);
  rapport_test_server_kill (team->srv);
  rapport_test_server_start (team->srv, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epoch_now (team), ==, first);     /* a crash is not a restore */

  rapport_test_server_stop (team->srv, &error);
  g_assert_no_error (error);
  rapport_test_server_restore (team->srv, backup, &error);
  g_assert_no_error (error);
  rapport_test_server_start (team->srv, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epoch_now (team), !=, first);
  {
    /* Sessions from before the backup still work; the batch is not there. */
    g_autoptr (GHashTable) records = test_pull_all_records (team->session, team->srv->url, team->bob_token);
    g_assert_false (g_hash_table_contains (records, "cccccccc-contact-0"));
  }
  {
    /* Sent back, it is applied again. */
    g_autoptr (TestResponse) again = test_request (team->session, team->srv->url, "POST", "/v1/push",
                                                   team->alice_token, NULL, body, -1);
    g_autoptr (GHashTable) records = NULL;
    g_assert_cmpuint (again->status, ==, 200);
    g_assert_cmpstr (test_result_status (again, 0), ==, "applied");
    records = test_pull_all_records (team->session, team->srv->url, team->bob_token);
    g_assert_true (g_hash_table_contains (records, "cccccccc-contact-0"));
  }
  {
    /* And the new epoch sticks across restarts. */
    g_autofree char *second = g_strdup (epoch_now (team));
    rapport_test_server_stop (team->srv, &error);
    g_assert_no_error (error);
    rapport_test_server_start (team->srv, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (epoch_now (team), ==, second);
    /* new-epoch by hand. */
    rapport_test_server_stop (team->srv, &error);
    g_assert_no_error (error);
    rapport_test_server_admin (team->srv, NULL, NULL, &error, "new-epoch", NULL);
    g_assert_no_error (error);
    rapport_test_server_start (team->srv, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (epoch_now (team), !=, second);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/fault/kill-after-commit", test_kill_after_commit);
  g_test_add_func ("/server/fault/restore-renews-epoch", test_restore_renews_epoch);
  return g_test_run ();
}
