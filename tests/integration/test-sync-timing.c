/* test-sync-timing.c: the server's request timing log, kept-alive pushes, a store nobody searches */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include <libsoup/soup.h>

#include "test-sync-common.h"

typedef struct
{
  char method[8];
  char path[32];
  guint status;
  double total, queued, work, writer, commit, cpu, main, write;
  guint group, looks, connection;
  int held;
} Timing;

/* The "timing:" lines the server printed after @from (a length of its output). */
static GArray *
read_timings (RapportTestServer *srv, gsize from)
{
  g_autofree char *output = rapport_test_server_get_output (srv);
  g_auto (GStrv) lines = g_strsplit (output + from, "\n", -1);
  GArray *timings = g_array_new (FALSE, TRUE, sizeof (Timing));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = strstr (lines[i], "timing: ");
      Timing t = { 0 };

      if (line == NULL)
        continue;
      /* Nothing else than method, path, status, times and numbers. */
      g_assert_null (strstr (line, "?"));
      g_assert_null (strstr (line, "127.0.0.1"));
      g_assert_cmpint (sscanf (line, "timing: %7s %31s %u total %lf ms queued %lf work %lf writer %lf "
                                     "commit %lf cpu %lf group %u main %lf write %lf looks %u held %d "
                                     "conn %u",
                               t.method, t.path, &t.status, &t.total, &t.queued, &t.work, &t.writer,
                               &t.commit, &t.cpu, &t.group, &t.main, &t.write, &t.looks, &t.held,
                               &t.connection),
                       ==, 15);
      g_array_append_val (timings, t);
    }
  return timings;
}

/* What a desktop's main loop does between syncs. */
static void
run_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The path of a request the test makes itself to mark the end of a sync in
 * the server's log. The server prints a request's line as it finishes writing
 * the answer, and the desktop sends each request only once it has the answer
 * to the one before, so a request made after a sync is logged after all of
 * that sync's. */
#define MARK_PATH "/v1/test-mark"

/* Makes a marking request, waits for its line, and returns the lines the
 * desktop's requests left after @from: those of the syncs since. @end gets
 * the output's length up to and with the mark. */
static GArray *
timings_until_mark (RapportTestServer *srv, gsize from, gsize *end)
{
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autofree char *url = g_strconcat (srv->url, MARK_PATH, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;
  GArray *timings;
  guint i = 0;

  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_NOT_FOUND);
  if (!rapport_test_server_wait_output (srv, from, "timing: GET " MARK_PATH " ", 10000, end))
    g_error ("The server printed no timing line for the marking request within 10 s");
  timings = read_timings (srv, from);
  while (i < timings->len)
    {
      if (strcmp (g_array_index (timings, Timing, i).path, MARK_PATH) == 0)
        g_array_remove_index (timings, i);
      else
        i++;
    }
  return timings;
}

static void
test_timing_log_and_kept_alive_pushes (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new_with_env ("RAPPORT_SERVER_TIMING", "1");
  TestDesktop *d = test_desktop_new (srv->url);
  const char *token;
  g_autoptr (GArray) first = NULL, second = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint pushes = 0, pulls = 0;
  gsize mark;

  test_desktop_login (d, "alice", TEST_PASSWORD);
  token = rapport_sync_client_get_token (d->client);
  g_object_unref (test_desktop_add_contact (d, "Timed One"));
  test_desktop_sync_ok (d);
  run_idle ();
  first = timings_until_mark (srv, 0, &mark);
  g_assert_cmpuint (first->len, >=, 2);
  for (guint i = 0; i < first->len; i++)
    {
      Timing *t = &g_array_index (first, Timing, i);

      g_assert_cmpuint (t->connection, >, 0);
      g_hash_table_add (seen, GUINT_TO_POINTER (t->connection));
    }

  /* The next sync, a push and a pull, on the connections the desktop kept:
   * a push is idempotent, so libsoup need not open a new one for it. */
  g_object_unref (test_desktop_add_contact (d, "Timed Two"));
  test_desktop_sync_ok (d);
  second = timings_until_mark (srv, mark, &mark);
  g_assert_cmpuint (second->len, >=, 2);
  for (guint i = 0; i < second->len; i++)
    {
      Timing *t = &g_array_index (second, Timing, i);

      g_assert_cmpuint (t->status, ==, 200);
      g_assert_true (g_hash_table_contains (seen, GUINT_TO_POINTER (t->connection)));
      g_assert_cmpint (t->held, ==, 0);
      g_assert_cmpuint (t->looks, ==, 1);
      /* The stages are parts of the whole. */
      g_assert_cmpfloat (t->queued + t->work + t->writer + t->commit + t->main + t->write, <=,
                         t->total + 0.05);
      if (strcmp (t->path, "/v1/push") == 0)
        {
          g_assert_cmpstr (t->method, ==, "POST");
          g_assert_cmpuint (t->group, >=, 1);
          g_assert_cmpfloat (t->commit, >, 0);
          pushes++;
        }
      else if (strcmp (t->path, "/v1/pull") == 0)
        {
          g_assert_cmpuint (t->group, ==, 0);
          g_assert_cmpfloat (t->commit, ==, 0);
          pulls++;
        }
    }
  g_assert_cmpuint (pushes, ==, 1);
  g_assert_cmpuint (pulls, >=, 1);
  /* No token in the log either. */
  {
    g_autofree char *output = rapport_test_server_get_output (srv);
    g_assert_null (strstr (output, token));
  }
  test_desktop_free (d);
}

static gint64
count_rows (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* The server's store keeps no full-text rows, tags or duplicate keys (it is
 * never searched), but the sort key and the last interaction the backlog
 * reads; a desktop that pulls the contact finds it by search as always. */
static void
test_server_store_without_search_data (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *d = test_desktop_new (srv->url);
  TestDesktop *e = test_desktop_new (srv->url);
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (RapportInteraction) i = rapport_interaction_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (srv->data_dir, "server.db", NULL);
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;

  test_desktop_login (d, "alice", TEST_PASSWORD);
  c = test_desktop_add_contact (d, "Searchless Serverina");
  i->contact_id = g_strdup (RAPPORT_RECORD (c)->id);
  i->kind = g_strdup ("call");
  i->summary = g_strdup ("Talked about the renewal");
  i->occurred_at = 1700000000;
  i->logged_by = g_strdup (rapport_store_get_me_id (d->store));
  g_assert_true (rapport_store_save (d->store, RAPPORT_RECORD (i), &error));
  g_assert_no_error (error);
  test_desktop_sync_ok (d);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM contacts"), ==, 1);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM contacts_fts"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM interactions_fts"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM contact_keys"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM contacts WHERE last_interaction_at = 1700000000 "
                                   "AND sort_key <> ''"), ==, 1);
  sqlite3_close (db);

  /* A store an older server wrote holds search rows: the next start drops
   * them (stale copies of a customer's details that nothing updates). */
  g_assert_true (rapport_test_server_stop (srv, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO contacts_fts (rowid, name) VALUES (1, 'Serverina');"
                                     "INSERT INTO notes_fts (rowid, body) VALUES (1, 'old text')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM contacts_fts"), ==, 1);
  sqlite3_close (db);
  g_assert_true (rapport_test_server_start (srv, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM contacts_fts"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM notes_fts"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM contacts"), ==, 1);
  sqlite3_close (db);

  /* Another desktop indexes what it pulls. */
  test_desktop_login (e, "bob", TEST_PASSWORD);
  test_desktop_sync_ok (e);
  sql = g_strdup ("SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'Serverina'");
  g_assert_cmpint (sqlite3_open_v2 (e->ts->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, sql), ==, 1);
  sqlite3_close (db);
  test_desktop_free (e);
  test_desktop_free (d);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/timing/log-and-kept-alive-pushes", test_timing_log_and_kept_alive_pushes);
  g_test_add_func ("/sync/timing/server-store-without-search-data", test_server_store_without_search_data);
  return g_test_run ();
}
