/* test-generate.c: the reference data sets: deterministic, complete, one write path */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rapport-generate-private.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"
#include "test-common.h"

/* A small data set with every kind of record. */
static const RapportPreset tiny = { 20, 300, 3000, 400, 150, 40, 25 };

static RapportTestStore *
generated (guint64 seed, gboolean through_save)
{
  RapportTestStore *ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (rapport_store_generate_full (ts->store, &tiny, seed, RAPPORT_TEST_NOW,
                                              through_save, NULL, NULL, &error));
  g_assert_no_error (error);
  return ts;
}

/* Every row of @sql as text, one line per row; columns named in @skip are
 * left out (stamps carry the wall-clock time of the run). */
static char *
dump (RapportStore *store, const char *sql, const char *const *skip)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (rapport_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *name = sqlite3_column_name (stmt, i);
          const char *value = (const char *) sqlite3_column_text (stmt, i);

          if (skip != NULL && g_strv_contains (skip, name))
            continue;
          g_string_append_printf (out, "%s=%s|", name, value ? value : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static const char *const record_tables[] = { "users", "contacts", "interactions", "notes",
                                             "reminders", "promises" };

static void
assert_same_records (RapportStore *a, RapportStore *b)
{
  const char *const stamps[] = { "stamp", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (record_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT rowid, * FROM %s ORDER BY rowid", record_tables[i]);
      g_autofree char *da = dump (a, sql, stamps);
      g_autofree char *db = dump (b, sql, stamps);

      if (g_strcmp0 (da, db) != 0)
        g_error ("table %s differs", record_tables[i]);
    }
}

static gint64
count (RapportStore *store, const char *sql)
{
  sqlite3_stmt *stmt = rapport_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void assert_sound (RapportStore *store);

static void
test_contents (void)
{
  g_autoptr (RapportTestStore) ts = generated (7, FALSE);
  RapportStore *s = ts->store;
  g_autoptr (GError) error = NULL;
  RapportUser *me;

  g_assert_cmpint (count (s, "SELECT count(*) FROM users"), ==, 20);
  g_assert_cmpint (count (s, "SELECT count(*) FROM users WHERE role = 'manager'"), ==, 2);
  g_assert_cmpint (count (s, "SELECT count(*) FROM users WHERE role = 'admin'"), ==, 1);
  g_assert_cmpint (count (s, "SELECT count(DISTINCT department) FROM users"), ==, 5);
  g_assert_cmpint (count (s, "SELECT count(*) FROM contacts"), ==, 300);
  g_assert_cmpint (count (s, "SELECT count(*) FROM contacts WHERE kind = 'organization'"), >, 20);
  g_assert_cmpint (count (s, "SELECT count(*) FROM contacts WHERE organization_id IS NOT NULL"), >, 50);
  /* Names with accents, 1 to 3 emails and phones, tags, owners, cadences. */
  g_assert_cmpint (count (s, "SELECT count(*) FROM contacts WHERE name <> sort_key AND lower (name) <> sort_key"), >, 10);
  g_assert_cmpint (count (s, "SELECT min (json_array_length (emails)) FROM contacts"), ==, 1);
  g_assert_cmpint (count (s, "SELECT max (json_array_length (emails)) FROM contacts"), <=, 3);
  g_assert_cmpint (count (s, "SELECT min (json_array_length (phones)) FROM contacts"), ==, 1);
  g_assert_cmpint (count (s, "SELECT max (json_array_length (phones)) FROM contacts"), ==, 3);
  g_assert_cmpint (count (s, "SELECT count(*) FROM contact_tags"), >, 100);
  g_assert_cmpint (count (s, "SELECT count(*) FROM contacts WHERE owner IS NULL"
                             " OR owner NOT IN (SELECT id FROM users)"), ==, 0);
  g_assert_cmpint (count (s, "SELECT count(DISTINCT relationship) FROM contacts"), ==, 4);
  g_assert_cmpint (count (s, "SELECT count(*) FROM contacts WHERE cadence_days > 0"), >, 20);
  /* The timeline: interactions over five years, notes, complaints. */
  g_assert_cmpint (count (s, "SELECT count(*) FROM interactions WHERE awaiting_response = 0"), ==, 3000);
  g_assert_cmpint (count (s, "SELECT count(*) FROM interactions WHERE awaiting_response = 1"), ==, 25);
  g_assert_cmpint (count (s, "SELECT min (occurred_at) FROM interactions"), >=,
                   RAPPORT_TEST_NOW - 5 * 365 * 24 * 3600);
  g_assert_cmpint (count (s, "SELECT max (occurred_at) FROM interactions"), <, RAPPORT_TEST_NOW);
  g_assert_cmpint (count (s, "SELECT count(*) FROM interactions i JOIN contacts c ON c.id = i.contact_id"
                             " WHERE i.occurred_at < c.created_at"), ==, 0);
  g_assert_cmpint (count (s, "SELECT count(*) FROM contacts WHERE last_interaction_at IS NOT"
                             " (SELECT max (occurred_at) FROM interactions WHERE contact_id = contacts.id)"), ==, 0);
  g_assert_cmpint (count (s, "SELECT count(*) FROM notes"), ==, 400);
  g_assert_cmpint (count (s, "SELECT count(*) FROM notes WHERE private = 1"), >, 0);
  g_assert_cmpint (count (s, "SELECT count(*) FROM reminders WHERE done_at IS NULL"), ==, 150);
  g_assert_cmpint (count (s, "SELECT count(*) FROM promises"), ==, 40);
  g_assert_cmpint (count (s, "SELECT count(*) FROM promises WHERE status = 'open'"), >, 0);
  /* Every record journaled for sync, in the order of its id (version 7 ids
   * made one after the other, as a team's desktops make them), and
   * searchable. */
  g_assert_cmpint (count (s, "SELECT count(*) FROM journal"), ==, 20 + 300 + 3025 + 400 + 150 + 40);
  g_assert_cmpint (count (s, "SELECT count(*) FROM (SELECT record_id, lag (record_id) OVER (ORDER BY seq)"
                             " AS before FROM journal) WHERE before >= record_id"), ==, 0);
  g_assert_cmpint (count (s, "SELECT count(*) FROM interactions WHERE substr (id, 15, 1) <> '7'"), ==, 0);
  g_assert_cmpint (count (s, "SELECT count(*) FROM contacts_fts"), ==, 300);
  g_assert_cmpint (count (s, "SELECT count(*) FROM interactions_fts"), ==, 3025);
  g_assert_cmpint (count (s, "SELECT count(*) FROM notes_fts"), ==, 400);
  /* The first sales staff member is "me". */
  me = rapport_store_get_me (s);
  g_assert_nonnull (me);
  g_assert_cmpstr (me->department, ==, "sales");
  g_assert_cmpstr (me->role, ==, "staff");

  /* A second generation with the same seed would repeat the ids: refused,
   * and nothing of it is kept. */
  g_assert_false (rapport_store_generate (s, &tiny, 7, RAPPORT_TEST_NOW, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (count (s, "SELECT count(*) FROM users"), ==, 20);
  /* Foreign keys are checked again after the failed one. */
  assert_sound (s);
  rapport_test_store_reopen (ts);
  assert_sound (ts->store);
}

static void
test_deterministic (void)
{
  g_autoptr (RapportTestStore) a = generated (42, FALSE);
  g_autoptr (RapportTestStore) b = generated (42, FALSE);
  g_autoptr (RapportTestStore) c = generated (43, FALSE);
  g_autofree char *names_a = dump (a->store, "SELECT name FROM contacts ORDER BY rowid", NULL);
  g_autofree char *names_c = dump (c->store, "SELECT name FROM contacts ORDER BY rowid", NULL);

  assert_same_records (a->store, b->store);
  g_assert_cmpstr (names_a, !=, names_c);
}

/* What the write path leaves besides the record tables. */
static const char *const derived[] = {
    "SELECT * FROM contact_tags ORDER BY contact_id, tag",
    "SELECT * FROM contact_keys ORDER BY kind, value, contact_id",
    "SELECT * FROM note_history ORDER BY rowid",
    "SELECT rowid, * FROM contacts_fts ORDER BY rowid",
    "SELECT rowid, * FROM interactions_fts ORDER BY rowid",
    "SELECT rowid, * FROM notes_fts ORDER BY rowid",
    "SELECT key, value FROM meta WHERE key NOT IN ('clock', 'device_id') ORDER BY key",
    /* The journal: same changes, in the same order, each with its own
     * change id and a stamp of its own. */
    "SELECT seq, entity, record_id, fields FROM journal ORDER BY seq",
    "SELECT count(DISTINCT change_id), count(DISTINCT stamp) FROM journal",
    "SELECT count(*) FROM journal j JOIN contacts c ON c.id = j.record_id WHERE j.stamp <> c.stamp",
    "SELECT count(*) FROM contacts WHERE field_stamps IS NOT NULL",
    /* The same indexes (those built at the end of a bulk load too), and
     * full-text settings left as they were. */
    "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name",
    "SELECT * FROM contacts_fts_config ORDER BY k",
    "SELECT * FROM interactions_fts_config ORDER BY k",
    "SELECT * FROM notes_fts_config ORDER BY k",
  };

static void
assert_same (RapportStore *a, RapportStore *b, const char *const *queries, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *da = dump (a, queries[i], NULL);
      g_autofree char *db = dump (b, queries[i], NULL);

      if (g_strcmp0 (da, db) != 0)
        g_error ("%s differs between the bulk and the write path", queries[i]);
    }
}

/* The file and its full-text indexes are whole. */
static void
assert_sound (RapportStore *store)
{
  const char *const fts[] = { "contacts_fts", "interactions_fts", "notes_fts" };
  g_autofree char *check = dump (store, "PRAGMA integrity_check", NULL);
  g_autoptr (GError) error = NULL;

  g_autofree char *orphans = dump (store, "PRAGMA foreign_key_check", NULL);
  g_autofree char *foreign_keys = dump (store, "PRAGMA foreign_keys", NULL);

  g_assert_cmpstr (check, ==, "integrity_check=ok|\n");
  g_assert_cmpstr (orphans, ==, "");
  g_assert_cmpstr (foreign_keys, ==, "foreign_keys=1|\n");
  for (guint i = 0; i < G_N_ELEMENTS (fts); i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES ('integrity-check')", fts[i], fts[i]);
      g_assert_true (rapport_store_exec (store, sql, &error));
      g_assert_no_error (error);
    }
  g_assert_false (rapport_store_get_indexes_deferred (store));
}

/* The bulk path leaves exactly what rapport_store_save() leaves. */
static void
test_same_as_write_path (void)
{
  g_autoptr (RapportTestStore) bulk = generated (5, FALSE);
  g_autoptr (RapportTestStore) saved = generated (5, TRUE);


  assert_same_records (bulk->store, saved->store);
  assert_same (bulk->store, saved->store, derived, G_N_ELEMENTS (derived));
  assert_sound (bulk->store);
  assert_sound (saved->store);
}

/* Into a store that already holds records (the bulk path then keeps the
 * indexes and replaces what a record before may have left), both paths
 * still agree. */
static void
test_same_as_write_path_not_empty (void)
{
  g_autoptr (RapportTestStore) bulk = generated (6, FALSE);
  g_autoptr (RapportTestStore) saved = generated (6, FALSE);
  g_autoptr (GError) error = NULL;

  g_assert_true (rapport_store_generate_full (bulk->store, &tiny, 8, RAPPORT_TEST_NOW, FALSE, NULL, NULL,
                                              &error));
  g_assert_no_error (error);
  g_assert_true (rapport_store_generate_full (saved->store, &tiny, 8, RAPPORT_TEST_NOW, TRUE, NULL, NULL,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (bulk->store, "SELECT count(*) FROM contacts"), ==, 2 * tiny.contacts);
  assert_same_records (bulk->store, saved->store);
  assert_same (bulk->store, saved->store, derived, G_N_ELEMENTS (derived));
  assert_sound (bulk->store);
}

static void
test_presets_and_rng (void)
{
  const RapportPreset *big = rapport_preset_lookup ("team-100k");
  const RapportPreset *small = rapport_preset_lookup ("team-10k");
  RapportRng a, b;
  g_autofree char *uuid = NULL;

  g_assert_nonnull (big);
  g_assert_cmpuint (big->contacts, ==, 100000);
  g_assert_cmpuint (big->interactions, ==, 1000000);
  g_assert_cmpuint (big->notes, ==, 200000);
  g_assert_cmpuint (big->open_reminders, ==, 50000);
  g_assert_cmpuint (big->promises, ==, 5000);
  g_assert_cmpuint (big->complaints, ==, 2000);
  g_assert_cmpuint (big->users, ==, 20);
  g_assert_cmpuint (small->contacts, ==, 10000);
  g_assert_cmpuint (small->interactions, ==, 100000);
  g_assert_null (rapport_preset_lookup ("team-1m"));

  /* The generator's own randomness: fixed by the seed, not by GLib. */
  rapport_rng_init (&a, 1);
  rapport_rng_init (&b, 1);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpuint (rapport_rng_next (&a), ==, rapport_rng_next (&b));
  rapport_rng_init (&a, 1);
  g_assert_cmpuint (rapport_rng_next (&a), ==, G_GUINT64_CONSTANT (0xb3f2af6d0fc710c5));
  for (guint i = 0; i < 1000; i++)
    {
      guint32 v = rapport_rng_below (&a, 7);
      g_assert_cmpuint (v, <, 7);
    }
  uuid = rapport_rng_uuid (&a, G_GUINT64_CONSTANT (1700000000123), 0xabc);
  g_assert_true (g_uuid_string_is_valid (uuid));
  /* Version 7: the milliseconds and the sequence lead, so ids sort as made. */
  g_assert_true (g_str_has_prefix (uuid, "018bcfe5-687b-7abc-"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/generate/presets-and-rng", test_presets_and_rng);
  g_test_add_func ("/generate/contents", test_contents);
  g_test_add_func ("/generate/deterministic", test_deterministic);
  g_test_add_func ("/generate/same-as-write-path", test_same_as_write_path);
  g_test_add_func ("/generate/same-as-write-path-not-empty", test_same_as_write_path_not_empty);
  return g_test_run ();
}
