/* test-cli-backup.c: rapport-cli backup and restore, on real store files */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "cli-test-common.h"

static char *
listed_names (CliFixture *f, const char *db)
{
  const char *args[] = { "--db", db, "contact", "list", "--json", NULL };
  g_autoptr (CliResult) r = cli_run_argv (f, FALSE, args);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GString) names = g_string_new (NULL);
  JsonArray *array;

  g_assert_cmpint (r->status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r->out, -1, NULL));
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (names, "%s%s", i ? "," : "",
                            json_object_get_string_member (json_array_get_object_element (array, i), "name"));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* backup FILE: one snapshot of what was committed, taken while another
 * program holds a write open; never over an existing file; nothing left
 * behind when it cannot be written. */
static void
test_backup (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *partial = g_strconcat (backup, ".partial", NULL);
  g_autofree char *nowhere = g_build_filename (f->dir, "missing", "backup.db", NULL);
  g_autofree char *ada = cli_ok (f, "contact", "add", "--name", "Ada", NULL);
  g_autofree char *bea = cli_ok (f, "contact", "add", "--name", "Bea", NULL);
  g_autofree char *before = NULL, *after = NULL, *names = NULL;
  g_autoptr (JsonNode) info = NULL;
  g_autoptr (CliResult) again = NULL;
  g_autoptr (CliResult) missing = NULL;
  gsize before_len = 0, after_len = 0;
  sqlite3 *writer = NULL;

  g_assert_cmpuint (strlen (ada), ==, 36);
  g_assert_cmpuint (strlen (bea), ==, 36);
  /* Another program's write, not committed while the backup is made. */
  g_assert_cmpint (sqlite3_open (f->db, &writer), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (writer, "BEGIN IMMEDIATE; UPDATE contacts SET name = 'Uncommitted' "
                                         "WHERE name = 'Bea'", NULL, NULL, NULL), ==, SQLITE_OK);
  info = cli_json (f, "backup", backup, NULL);
  g_assert_cmpint (sqlite3_exec (writer, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (writer);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (info), "contacts"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (info), "bytes"), >, 0);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  names = listed_names (f, backup);
  g_assert_cmpstr (names, ==, "Ada,Bea");
  g_free (names);
  names = listed_names (f, f->db);
  g_assert_cmpstr (names, ==, "Ada,Uncommitted");

  before = cli_read_file (backup, &before_len);
  again = cli_run (f, "backup", backup, NULL);
  cli_assert_fails (again, 2, "already exists");
  after = cli_read_file (backup, &after_len);
  g_assert_cmpmem (after, after_len, before, before_len);

  missing = cli_run (f, "backup", nowhere, NULL);
  cli_assert_fails (missing, 2, "does not exist");
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
}

static char *
meta_value (const char *path, const char *key)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The files in @f's folder whose name contains "before restore". */
static guint
count_kept (CliFixture *f)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    n += strstr (name, "before restore") != NULL && g_str_has_suffix (name, ".db");
  return n;
}

/* restore FILE: the backup's records in the store's place, the store as it
 * was kept beside it, the backup itself unchanged, a clock that never goes
 * back; "restore" of the kept file undoes it. */
static void
test_restore (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *ada = cli_ok (f, "contact", "add", "--name", "Ada", NULL);
  g_autofree char *bea = cli_ok (f, "contact", "add", "--name", "Bea", NULL);
  g_autofree char *text = NULL, *names = NULL, *clock_before = NULL, *clock_after = NULL;
  g_autofree char *backup_bytes = NULL, *after_bytes = NULL, *kept = NULL, *log = NULL;
  g_autofree char *clock_backup = NULL;
  g_autoptr (JsonNode) backed = NULL, restored = NULL, undone = NULL;
  JsonObject *o;
  gsize backup_len = 0, after_len = 0;

  g_assert_cmpuint (strlen (ada), ==, 36);
  g_assert_cmpuint (strlen (bea), ==, 36);
  backed = cli_json (f, "backup", backup, NULL);
  backup_bytes = cli_read_file (backup, &backup_len);
  g_free (cli_ok (f, "contact", "add", "--name", "Cy", NULL));
  log = cli_ok (f, "log", "Ada", "--kind", "call", "--summary", "After the backup", NULL);
  clock_before = meta_value (f->db, "clock");
  clock_backup = meta_value (backup, "clock");
  g_assert_cmpstr (clock_before, >, clock_backup);

  restored = cli_json (f, "restore", backup, NULL);
  o = json_node_get_object (restored);
  g_assert_cmpint (json_object_get_int_member (o, "contacts"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "interactions"), ==, 0);
  g_assert_false (json_object_get_boolean_member (o, "synced"));
  kept = g_strdup (json_object_get_string_member (o, "kept"));
  g_assert_true (g_str_has_prefix (kept, f->dir));
  g_assert_nonnull (strstr (kept, "rapport before restore "));
  names = listed_names (f, f->db);
  g_assert_cmpstr (names, ==, "Ada,Bea");
  g_free (names);
  names = listed_names (f, kept);
  g_assert_cmpstr (names, ==, "Ada,Bea,Cy");
  g_free (names);
  /* The backup is read, never written; the store's clock did not go back. */
  after_bytes = cli_read_file (backup, &after_len);
  g_assert_cmpmem (after_bytes, after_len, backup_bytes, backup_len);
  clock_after = meta_value (f->db, "clock");
  g_assert_cmpstr (clock_after, ==, clock_before);
  /* The restored store works, and a restore of the kept file undoes it. */
  g_free (cli_ok (f, "contact", "add", "--name", "Dee", NULL));
  undone = cli_json (f, "restore", kept, NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (undone), "contacts"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (undone), "interactions"), ==, 1);
  names = listed_names (f, f->db);
  g_assert_cmpstr (names, ==, "Ada,Bea,Cy");
  g_assert_cmpuint (count_kept (f), ==, 2);

  /* A backup with other pages than the store's (4 KiB, not 16 KiB). */
  cli_exec_sql (backup, "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM;");
  g_free (cli_ok (f, "restore", backup, NULL));
  g_free (names);
  names = listed_names (f, f->db);
  g_assert_cmpstr (names, ==, "Ada,Bea");

  /* Said in words, too. */
  text = cli_ok (f, "restore", backup, NULL);
  g_assert_nonnull (strstr (text, "Restored 2 contacts and 0 interactions from"));
  g_assert_nonnull (strstr (text, "The store as it was is kept in"));
}

/* Nothing is changed while another program has the store open, nor for a
 * file that is not a Rapport backup, a damaged backup, a backup from a newer Rapport, the
 * store itself, or another desktop's backup over a store with records. */
static void
test_restore_refused (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *newer = g_build_filename (f->dir, "newer.db", NULL);
  g_autofree char *text = g_build_filename (f->dir, "notes.txt", NULL);
  g_autofree char *foreign = g_build_filename (f->dir, "songs.sqlite", NULL);
  g_autofree char *other_store = g_build_filename (f->dir, "other", "rapport.db", NULL);
  g_autofree char *other_backup = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *fresh = g_build_filename (f->dir, "fresh", "rapport.db", NULL);
  g_autofree char *damaged = g_build_filename (f->dir, "damaged.db", NULL);
  g_autofree char *store_bytes = NULL, *names = NULL, *scribbled = NULL;
  gsize store_len = 0, scribbled_len = 0;
  sqlite3 *app = NULL;
  sqlite3_stmt *stmt = NULL;
  struct { const char *file; int status; const char *needle; } cases[] = {
    { backup, 1, "is open in Rapport or another program" },
    { text, 2, "cannot be read as a Rapport backup" },
    { foreign, 2, "is not a Rapport backup" },
    { newer, 1, "newer Rapport" },
    { damaged, 1, "is damaged" },
    { f->db, 2, "is the store itself" },
    { other_backup, 2, "another desktop" },
    { NULL, 0, NULL },
  };

  g_free (cli_ok (f, "contact", "add", "--name", "Ada", NULL));
  g_free (cli_ok (f, "backup", backup, NULL));
  g_free (cli_ok (f, "backup", newer, NULL));
  /* A backup scribbled over in its second half, past the schema page. */
  g_free (cli_ok (f, "backup", damaged, NULL));
  scribbled = cli_read_file (damaged, &scribbled_len);
  memset (scribbled + scribbled_len / 2, 0xA5, scribbled_len - scribbled_len / 2);
  g_assert_true (g_file_set_contents (damaged, scribbled, scribbled_len, NULL));
  cli_exec_sql (newer, "PRAGMA user_version = 1000");
  g_assert_true (g_file_set_contents (text, "Name,Email\nAda,ada@example.org\n", -1, NULL));
  cli_exec_sql (foreign, "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('Hey')");
  {
    const char *add[] = { "--db", other_store, "contact", "add", "--name", "Zed", NULL };
    const char *copy[] = { "--db", other_store, "backup", other_backup, NULL };
    g_autoptr (CliResult) r1 = cli_run_argv (f, FALSE, add);
    g_autoptr (CliResult) r2 = cli_run_argv (f, FALSE, copy);

    g_assert_cmpint (r1->status, ==, 0);
    g_assert_cmpint (r2->status, ==, 0);
  }
  g_free (cli_ok (f, "contact", "add", "--name", "Bea", NULL));

  /* Read first: closing a descriptor of the file would drop this
   * process's locks, those of the connection below among them. */
  store_bytes = cli_read_file (f->db, &store_len);
  /* "Rapport": a connection that has read the store and stays open. */
  g_assert_cmpint (sqlite3_open (f->db, &app), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (app, "SELECT count(*) FROM contacts", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  sqlite3_finalize (stmt);
  for (guint i = 0; cases[i].file != NULL; i++)
    {
      g_autoptr (CliResult) r = cli_run (f, "restore", cases[i].file, NULL);
      g_autofree char *after = NULL;
      gsize after_len = 0;

      cli_assert_fails (r, cases[i].status, cases[i].needle);
      g_assert_nonnull (strstr (r->err, "left as it was") ? r->err : strstr (r->err, "choose a backup"));
      if (i == 0)
        sqlite3_close (g_steal_pointer (&app));
      after = cli_read_file (f->db, &after_len);
      g_assert_cmpmem (after, after_len, store_bytes, store_len);
      g_assert_cmpuint (count_kept (f), ==, 0);
    }
  /* The backup's own name in the newer Rapport's refusal, not a copy's. */
  {
    g_autoptr (CliResult) r = cli_run (f, "restore", newer, NULL);

    g_assert_nonnull (strstr (r->err, newer));
    g_assert_null (strstr (r->err, ".restoring"));
  }
  names = listed_names (f, f->db);
  g_assert_cmpstr (names, ==, "Ada,Bea");

  /* Another desktop's backup into a new store: it becomes that store. */
  {
    const char *args[] = { "--db", fresh, "restore", other_backup, NULL };
    g_autoptr (CliResult) r = cli_run_argv (f, FALSE, args);
    g_autofree char *fresh_names = NULL, *fresh_device = NULL, *other_device = NULL;

    g_assert_cmpint (r->status, ==, 0);
    fresh_names = listed_names (f, fresh);
    g_assert_cmpstr (fresh_names, ==, "Zed");
    fresh_device = meta_value (fresh, "device_id");
    other_device = meta_value (other_store, "device_id");
    g_assert_cmpstr (fresh_device, ==, other_device);
  }
}

/* A store SQLite cannot read any more is kept as it was (renamed), and
 * the backup takes its place. */
static void
test_restore_over_damaged (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *names = NULL, *kept_bytes = NULL;
  g_autoptr (JsonNode) restored = NULL;
  static const char garbage[] = "this is no longer a database, only text that replaced it";
  gsize kept_len = 0;

  g_free (cli_ok (f, "contact", "add", "--name", "Ada", NULL));
  g_free (cli_ok (f, "backup", backup, NULL));
  g_assert_true (g_file_set_contents (f->db, garbage, -1, NULL));
  restored = cli_json (f, "restore", backup, NULL);
  kept_bytes = cli_read_file (json_object_get_string_member (json_node_get_object (restored), "kept"), &kept_len);
  g_assert_cmpmem (kept_bytes, kept_len, garbage, strlen (garbage));
  names = listed_names (f, f->db);
  g_assert_cmpstr (names, ==, "Ada");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/store/backup", test_backup);
  g_test_add_func ("/cli/store/restore", test_restore);
  g_test_add_func ("/cli/store/restore-refused", test_restore_refused);
  g_test_add_func ("/cli/store/restore-over-damaged", test_restore_over_damaged);
  return g_test_run ();
}
