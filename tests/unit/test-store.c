/* test-store.c: the store's write path, journal, trash and search */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rapport-journal.h"
#include "rapport-search.h"
#include "rapport-store.h"
#include "rapport-store-private.h"
#include "test-common.h"

static void
test_contact_roundtrip (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) c = rapport_contact_new ();
  g_autoptr (RapportContact) loaded = NULL;
  g_autoptr (GError) error = NULL;
  char *tags[] = { "vip", "berlin", NULL };

  c->kind = g_strdup ("person");
  c->name = g_strdup ("Zoë Müller");
  c->organization = g_strdup ("Acme GmbH");
  c->relationship = g_strdup ("customer");
  c->tags = g_strdupv (tags);
  c->cadence_days = 30;
  c->do_not_contact = TRUE;
  rapport_contact_add_email (c, "work", "zoe@acme.example");
  rapport_contact_add_phone (c, "work", "+44 20 7946 0018");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), &error));
  g_assert_no_error (error);
  g_assert_nonnull (RAPPORT_RECORD (c)->id);

  loaded = rapport_store_get_contact (ts->store, RAPPORT_RECORD (c)->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->name, ==, "Zoë Müller");
  g_assert_cmpstr (loaded->organization, ==, "Acme GmbH");
  g_assert_cmpint (loaded->cadence_days, ==, 30);
  g_assert_true (loaded->do_not_contact);
  g_assert_false (loaded->marketing_consent);
  g_assert_true (rapport_contact_has_tag (loaded, "berlin"));
  g_assert_cmpstr (rapport_contact_get_primary_email (loaded), ==, "zoe@acme.example");
  g_assert_cmpstr (rapport_contact_get_primary_phone (loaded), ==, "+44 20 7946 0018");
  g_assert_cmpint (RAPPORT_RECORD (loaded)->created_at, ==, RAPPORT_TEST_NOW);
  /* Empty lists read back as empty lists, not as missing ones. */
  g_assert_nonnull (loaded->social);
  g_assert_cmpuint (json_array_get_length (loaded->social), ==, 0);
  g_assert_cmpuint (json_array_get_length (loaded->addresses), ==, 0);
  g_clear_object (&loaded);

  /* A list column damaged outside Rapport reads as an empty list; the
   * other lists of the row are read as they are. */
  {
    sqlite3 *db = rapport_store_get_db (ts->store);
    char *sql = sqlite3_mprintf ("UPDATE contacts SET addresses = '{\"not\": \"a list\"}',"
                                 " social = 'not json' WHERE id = %Q", RAPPORT_RECORD (c)->id);

    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_free (sql);
  }
  loaded = rapport_store_get_contact (ts->store, RAPPORT_RECORD (c)->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (loaded->addresses), ==, 0);
  g_assert_cmpuint (json_array_get_length (loaded->social), ==, 0);
  g_assert_true (rapport_contact_has_tag (loaded, "vip"));
  g_assert_cmpstr (rapport_contact_get_primary_phone (loaded), ==, "+44 20 7946 0018");
}

static void
test_journal_only_changed_fields (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) c = rapport_contact_new ();
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GError) error = NULL;
  RapportChange *second;

  c->name = g_strdup ("Ada");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), &error));
  g_free (c->stage);
  c->stage = g_strdup ("qualified");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), &error));
  /* Saving again without a change journals nothing. */
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), &error));

  pending = rapport_store_pending_changes (ts->store, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 2);
  second = pending->pdata[1];
  g_assert_cmpuint (json_object_get_size (second->fields), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (second->fields, "stage"), ==, "qualified");
  g_assert_cmpint (g_strcmp0 (((RapportChange *) pending->pdata[0])->stamp, second->stamp), <, 0);
}

static void
test_trash_and_restore (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) c = rapport_contact_new ();
  g_autoptr (GPtrArray) trash = NULL;
  g_autoptr (GPtrArray) hits = NULL;
  g_autoptr (GError) error = NULL;

  c->name = g_strdup ("Grace Hopper");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), &error));
  g_assert_true (rapport_store_delete (ts->store, RAPPORT_RECORD (c), &error));
  trash = rapport_store_list_trash (ts->store, &error);
  g_assert_cmpuint (trash->len, ==, 1);
  hits = rapport_store_search (ts->store, "grace", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  g_assert_true (rapport_store_restore (ts->store, RAPPORT_RECORD (c), &error));
  hits = rapport_store_search (ts->store, "grace", 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
}

static void
test_search_accents_phones (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) c = rapport_contact_new ();
  g_autoptr (GError) error = NULL;
  const char *queries[] = { "zoe", "ZOË", "mül", "acme", "+44 20 7946 0018", "020 7946 0018",
                            "02079460018", "7946", "zoe@acme" };

  c->name = g_strdup ("Zoë Müller");
  c->organization = g_strdup ("Acme");
  rapport_contact_add_email (c, "work", "zoe@acme.example");
  rapport_contact_add_phone (c, "work", "+44 20 7946 0018");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), &error));

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr (GPtrArray) hits = rapport_store_search (ts->store, queries[i], 10, &error);
      g_assert_no_error (error);
      if (hits->len != 1)
        g_error ("“%s” found %u contacts", queries[i], hits->len);
    }
}

/* Letters that FTS5 does not fold (ø, ł, ß, æ) are found by what people
 * type on an English keyboard. */
static void
test_search_transliterated (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  const char *names[] = { "Søren Sørensen", "Łukasz Wałęsa", "Jörg Strauß", "Æsa Ødegård" };
  const char *queries[] = { "sorensen", "lukasz", "strauss", "aesa", "odegard", "sørensen" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (RapportContact) c = rapport_contact_new ();
      c->name = g_strdup (names[i]);
      g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), &error));
    }
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr (GPtrArray) hits = rapport_store_search (ts->store, queries[i], 10, &error);
      g_assert_no_error (error);
      if (hits->len != 1)
        g_error ("“%s” found %u contacts", queries[i], hits->len);
    }
}

/* Above the full-check size, opening reads the first page of every table
 * and index: a scribbled root page is still refused, and the file is left
 * as it was. */
static void
test_large_store_root_check (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportStore) reopened = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gsize length, after_length;
  int root, page_size;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr (RapportContact) c = rapport_contact_new ();
      c->name = g_strdup_printf ("Contact %u", i);
      g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), &error));
    }
  g_clear_object (&ts->store);

  g_setenv ("RAPPORT_FULL_CHECK_MAX_BYTES", "0", TRUE);
  reopened = rapport_store_open (ts->path, &error);
  g_assert_no_error (error);
  g_clear_object (&reopened);

  g_assert_cmpint (sqlite3_open (ts->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_schema WHERE name = 'contacts_by_sort_key'",
                      -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  root = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &stmt, NULL);
  sqlite3_step (stmt);
  page_size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (ts->path, &contents, &length, NULL));
  memset (contents + (gsize) (root - 1) * page_size, 0xA5, page_size);
  g_assert_true (g_file_set_contents (ts->path, contents, length, NULL));

  reopened = rapport_store_open (ts->path, &error);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_CORRUPT);
  g_assert_null (reopened);
  g_assert_true (g_file_get_contents (ts->path, &after, &after_length, NULL));
  g_assert_cmpuint (after_length, ==, length);
  g_assert_cmpmem (after, after_length, contents, length);
  g_unsetenv ("RAPPORT_FULL_CHECK_MAX_BYTES");
}

static void
save_contacts (RapportStore *store, guint n, const char *prefix)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rapport_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RapportContact) c = rapport_contact_new ();

      c->name = g_strdup_printf ("%s %u", prefix, i);
      rapport_contact_add_email (c, "work", "someone@example.org");
      g_assert_true (rapport_store_save (store, RAPPORT_RECORD (c), &error));
    }
}

static gint64
count_contacts (RapportStore *store)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = rapport_store_prepare (store, "SELECT count(*) FROM contacts", &error);
  gint64 n;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* A commit after rapport_store_defer_checkpoint() is durable and seen by
 * every connection, but leaves the database file as it was until
 * rapport_store_checkpoint(); the connection's own checkpoint setting is
 * back after it. */
static void
test_deferred_checkpoint (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportStore) other = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *committed = NULL;
  g_autofree char *deferred = NULL;
  g_autofree char *checkpointed = NULL;
  g_autofree char *rolled_back = NULL;
  g_autofree char *later = NULL;
  g_autofree char *after_failure = NULL;
  sqlite3_stmt *stmt;

  /* Every commit checkpoints, unless deferred. */
  g_assert_true (rapport_store_exec (ts->store, "PRAGMA wal_autocheckpoint = 1", &error));
  before = rapport_test_store_file_digest (ts->store);
  save_contacts (ts->store, 300, "Checkpointed");
  g_assert_true (rapport_store_commit (ts->store, &error));
  g_assert_no_error (error);
  committed = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (committed, !=, before);

  save_contacts (ts->store, 300, "Deferred");
  rapport_store_defer_checkpoint (ts->store);
  g_assert_true (rapport_store_commit (ts->store, &error));
  g_assert_no_error (error);
  deferred = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (deferred, ==, committed);
  other = rapport_store_open_connection (ts->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_contacts (other), ==, 600);
  g_clear_object (&other);
  stmt = rapport_store_prepare (ts->store, "PRAGMA wal_autocheckpoint", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);

  g_assert_true (rapport_store_checkpoint (ts->store, &error));
  g_assert_no_error (error);
  checkpointed = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (checkpointed, !=, committed);

  /* A rolled-back transaction does not defer the next one's checkpoint. */
  save_contacts (ts->store, 10, "Rolled back");
  rapport_store_defer_checkpoint (ts->store);
  rapport_store_rollback (ts->store);
  rolled_back = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (rolled_back, ==, checkpointed);
  save_contacts (ts->store, 300, "Later");
  g_assert_true (rapport_store_commit (ts->store, &error));
  later = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (later, !=, checkpointed);
  g_assert_cmpint (count_contacts (ts->store), ==, 900);

  /* Nor does one whose inner part failed, so that none of it was saved. */
  save_contacts (ts->store, 10, "Failed");
  g_assert_true (rapport_store_begin (ts->store, &error));
  rapport_store_defer_checkpoint (ts->store);
  rapport_store_rollback (ts->store);
  g_assert_false (rapport_store_commit (ts->store, &error));
  g_clear_error (&error);
  save_contacts (ts->store, 300, "After the failure");
  g_assert_true (rapport_store_commit (ts->store, &error));
  after_failure = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (after_failure, !=, later);
  g_assert_cmpint (count_contacts (ts->store), ==, 1200);
}

/* The write-ahead log of a large transaction is cut back to 64 MiB once it
 * has been copied into the file: the next commit does it. */
static void
test_log_cut_back (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *wal = g_strconcat (ts->path, "-wal", NULL);
  GStatBuf st;

  g_assert_true (rapport_store_begin (ts->store, &error));
  g_assert_true (rapport_store_exec (ts->store, "CREATE TABLE scratch (b BLOB);"
                                                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                                                " WHERE i < 72) INSERT INTO scratch SELECT zeroblob (1048576) FROM n",
                                     &error));
  rapport_store_defer_checkpoint (ts->store);
  g_assert_true (rapport_store_commit (ts->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 72 * 1048576);

  g_assert_true (rapport_store_checkpoint (ts->store, &error));
  save_contacts (ts->store, 1, "After");
  g_assert_true (rapport_store_commit (ts->store, &error));
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, 64 * 1048576);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/contact-roundtrip", test_contact_roundtrip);
  g_test_add_func ("/store/journal-only-changed-fields", test_journal_only_changed_fields);
  g_test_add_func ("/store/trash-and-restore", test_trash_and_restore);
  g_test_add_func ("/store/search-accents-phones", test_search_accents_phones);
  g_test_add_func ("/store/large-store-root-check", test_large_store_root_check);
  g_test_add_func ("/store/search-transliterated", test_search_transliterated);
  g_test_add_func ("/store/deferred-checkpoint", test_deferred_checkpoint);
  g_test_add_func ("/store/log-cut-back", test_log_cut_back);
  return g_test_run ();
}
