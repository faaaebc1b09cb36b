/* test-migrations.c: opening stores: refusals that touch nothing, and every upgrade */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "rapport-store-private.h"
#include "test-common.h"
#include "test-fixtures.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = rapport_test_tmpdir ();
  f->path = g_build_filename (f->dir, "rapport.db", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Opening @path fails with @code, and leaves the file as it was. */
static void
assert_refused (const char *path, int code)
{
  g_autoptr (GBytes) before = read_file (path);
  g_autoptr (GBytes) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportStore) store = rapport_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, RAPPORT_ERROR, code);
  /* The message names the file and says it was left alone. */
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "untouched"));
  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
exec_sql (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
test_not_sqlite (Fixture *f, gconstpointer data)
{
  g_autofree char *text = g_strnfill (5000, 'x');

  g_assert_true (g_file_set_contents (f->path, "Name,Email\nAda,ada@example.org\n", -1, NULL));
  assert_refused (f->path, RAPPORT_ERROR_NOT_A_DATABASE);
  g_assert_true (g_file_set_contents (f->path, text, -1, NULL));
  assert_refused (f->path, RAPPORT_ERROR_NOT_A_DATABASE);
  /* Shorter than an SQLite header. */
  g_assert_true (g_file_set_contents (f->path, "SQLite", -1, NULL));
  assert_refused (f->path, RAPPORT_ERROR_NOT_A_DATABASE);
}

static void
test_foreign_sqlite (Fixture *f, gconstpointer data)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_sql (db, "CREATE TABLE songs (title TEXT, artist TEXT);"
                "INSERT INTO songs VALUES ('Blue', 'Joni Mitchell');");
  sqlite3_close (db);
  assert_refused (f->path, RAPPORT_ERROR_NOT_A_DATABASE);

  /* Even a foreign database that happens to have a "contacts" table. */
  g_unlink (f->path);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_sql (db, "CREATE TABLE contacts (id TEXT PRIMARY KEY, name TEXT); PRAGMA user_version = 1;");
  sqlite3_close (db);
  assert_refused (f->path, RAPPORT_ERROR_NOT_A_DATABASE);
}

/* A store with some contacts, closed (so everything is in the main file). */
static void
make_store (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportStore) store = rapport_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (rapport_store_begin (store, &error));
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr (RapportContact) c = rapport_contact_new ();
      c->name = g_strdup_printf ("Contact number %u with a rather long name", i);
      rapport_contact_add_email (c, "work", "someone@example.org");
      fx_save (store, c);
    }
  g_assert_true (rapport_store_commit (store, &error));
}

static void
test_corrupt (Fixture *f, gconstpointer data)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int root = 0, page_size = 4096;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree guint8 *contents = NULL;
  gsize length;

  make_store (f->path);
  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_schema WHERE name = 'contacts'", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  root = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &stmt, NULL);
  sqlite3_step (stmt);
  page_size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* Scribble over the contacts table's root page. */
  bytes = read_file (f->path);
  contents = g_bytes_unref_to_data (g_steal_pointer (&bytes), &length);
  g_assert_cmpuint (length, >, (gsize) root * page_size);
  memset (contents + (gsize) (root - 1) * page_size, 0xA5, page_size);
  g_assert_true (g_file_set_contents (f->path, (const char *) contents, length, NULL));

  assert_refused (f->path, RAPPORT_ERROR_CORRUPT);
}

static void
test_newer_schema (Fixture *f, gconstpointer data)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d",
                                          rapport_store_get_latest_schema_version () + 1);

  make_store (f->path);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_sql (db, sql);
  sqlite3_close (db);
  assert_refused (f->path, RAPPORT_ERROR_TOO_NEW);
}

static void
test_empty_file (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportStore) store = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (f->path, "", 0, NULL));
  store = rapport_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rapport_store_get_schema_version (store), ==,
                   rapport_store_get_latest_schema_version ());
  g_clear_object (&store);

  /* A missing file (and folder) is created too. */
  g_unlink (f->path);
  store = rapport_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
}

static gboolean
has_index (RapportStore *store, const char *name)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      store, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?", NULL);
  gboolean found;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_step (stmt);
  found = sqlite3_column_int (stmt, 0) == 1;
  sqlite3_reset (stmt);
  return found;
}

/* A store at schema @version, built with the migration steps up to it as
 * that version of Rapport would have, with a contact and a reminder. */
static void
test_upgrade_from (Fixture *f, gconstpointer data)
{
  int version = GPOINTER_TO_INT (data);
  g_autoptr (RapportStore) store = NULL;
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (RapportContact) added = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_sql (db, "PRAGMA journal_mode = WAL");
  for (int v = 1; v <= version; v++)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN; %s; PRAGMA application_id = %d;"
                                              " PRAGMA user_version = %d; COMMIT;",
                                              rapport_migration_sql (v), RAPPORT_APPLICATION_ID, v);
      exec_sql (db, sql);
    }
  exec_sql (db, "INSERT INTO contacts (id, stamp, name, sort_key, cadence_days, owner, created_at)"
                " VALUES ('c-1', '0019c9c7c3a80-0000-00000000000000aa', 'Old Friend',"
                " 'old friend', 30, 'u-1', 1700000000);"
                "INSERT INTO reminders (id, stamp, contact_id, owner, title, due_at)"
                " VALUES ('r-1', '0019c9c7c3a80-0000-00000000000000aa', 'c-1', 'u-1', 'Call', 1700000000);");
  sqlite3_close (db);

  store = rapport_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rapport_store_get_schema_version (store), ==,
                   rapport_store_get_latest_schema_version ());
  contact = rapport_store_get_contact (store, "c-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contact->name, ==, "Old Friend");
  g_assert_cmpint (contact->cadence_days, ==, 30);
  g_assert_true (has_index (store, "reminders_open_cover"));
  g_assert_true (has_index (store, "contacts_nurture"));
  g_assert_false (has_index (store, "reminders_open"));

  /* The upgraded store takes new writes. */
  added = fx_contact (store, "New Friend", "u-1", 0, 1700000000);
  g_clear_object (&store);
  store = rapport_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&added);
  added = rapport_store_find_contact (store, "New Friend", &error);
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/migrations/refuse/not-sqlite", test_not_sqlite, NULL);
  ADD ("/migrations/refuse/foreign-sqlite", test_foreign_sqlite, NULL);
  ADD ("/migrations/refuse/corrupt", test_corrupt, NULL);
  ADD ("/migrations/refuse/newer-schema", test_newer_schema, NULL);
  ADD ("/migrations/empty-file", test_empty_file, NULL);
  for (int v = 1; v < rapport_store_get_latest_schema_version (); v++)
    {
      g_autofree char *path = g_strdup_printf ("/migrations/upgrade-from/%d", v);
      ADD (path, test_upgrade_from, GINT_TO_POINTER (v));
    }
#undef ADD
  return g_test_run ();
}
