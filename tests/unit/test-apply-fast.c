/* test-apply-fast.c: pulled changes of new records: the fast path leaves what the merge path leaves */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rapport-generate-private.h"
#include "rapport-journal.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"
#include "test-common.h"

/* A small data set with every kind of record. */
static const RapportPreset tiny = { 20, 120, 600, 100, 40, 10, 8 };

#define DEVICE "00000000000000ee"

/* Every row of @sql as text, one line per row. */
static char *
dump (RapportStore *store, const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (rapport_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *value = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s=%s|", sqlite3_column_name (stmt, i),
                                  value ? value : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static RapportChange *
change_at (gint64 wall_s, guint counter, const char *entity, const char *record_id,
           JsonObject *fields)
{
  g_autofree char *stamp = rapport_stamp_format (wall_s * 1000, counter, DEVICE);
  g_autofree char *id = g_uuid_string_random ();

  return rapport_change_new (id, entity, record_id, stamp, fields);
}

/* Sends @change through the wire format, as a pull reads it. */
static RapportChange *
over_the_wire (RapportChange *change)
{
  g_autoptr (JsonNode) node = rapport_change_to_json (change);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr (JsonNode) back = json_from_string (text, NULL);
  g_autoptr (GError) error = NULL;
  RapportChange *read = rapport_change_from_json (back, &error);

  g_assert_no_error (error);
  g_assert_nonnull (read->record);
  return read;
}

static RapportChange *
wire (RapportChange *change)
{
  RapportChange *read = over_the_wire (change);

  rapport_change_free (change);
  return read;
}

static const char *
nth_record (GPtrArray *changes, const char *entity, guint n)
{
  for (guint i = 0; i < changes->len; i++)
    {
      RapportChange *change = changes->pdata[i];

      if (strcmp (change->entity, entity) == 0 && n-- == 0)
        return change->record_id;
    }
  g_assert_not_reached ();
  return NULL;
}

/* The journal of a tiny generated data set, as changes a colleague pushed. */
static GPtrArray *
generated_changes (guint64 seed)
{
  g_autoptr (RapportTestStore) source = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  GPtrArray *generated;

  g_assert_true (rapport_store_generate_full (source->store, &tiny, seed, RAPPORT_TEST_NOW, FALSE,
                                              NULL, NULL, &error));
  g_assert_no_error (error);
  generated = rapport_store_pending_changes (source->store, G_MAXUINT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < generated->len; i++)
    {
      RapportChange *change = generated->pdata[i];

      g_free (change->author);
      change->author = g_strdup ("4f1c0de0-0000-4000-8000-000000000001");
    }
  return generated;
}

/* The generated data set as pulled changes, with, halfway through, what a
 * later pull brings: edits of records stored (and of records created in the
 * same page), a stale edit that loses, a delete, an erasure and an edit of
 * the erased contact, partial writes of new records and an empty one. */
static GPtrArray *
pulled_changes (void)
{
  g_autoptr (GPtrArray) generated = generated_changes (11);
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
  /* Generated stamps follow the wall clock: later edits come after it. */
  gint64 later = MAX (RAPPORT_TEST_NOW, g_get_real_time () / G_USEC_PER_SEC) + 86400;
  gint64 earlier = RAPPORT_TEST_NOW - 30 * 86400;
  guint half, counter = 0;
  const char *c0, *c1, *c2, *c3, *i0, *n0;
  g_autofree char *new_contact = g_uuid_string_random ();
  g_autofree char *new_interaction = g_uuid_string_random ();
  g_autofree char *empty_note = g_uuid_string_random ();

  /* Near the end: every record named below is stored by then. */
  half = generated->len - 20;
  c0 = nth_record (generated, "contact", 0);
  c1 = nth_record (generated, "contact", 1);
  c2 = nth_record (generated, "contact", 2);
  c3 = nth_record (generated, "contact", 3);
  i0 = nth_record (generated, "interaction", 0);
  n0 = nth_record (generated, "note", 0);

  for (guint i = 0; i < generated->len; i++)
    {
      RapportChange *change = generated->pdata[i];

      g_ptr_array_add (changes, over_the_wire (change));
      if (i != half)
        continue;
      {
        g_autoptr (JsonObject) f = json_object_new ();
        g_autoptr (JsonArray) tags = json_array_new ();
        g_autoptr (JsonArray) emails = json_array_new ();
        JsonObject *email = json_object_new ();

        json_object_set_string_member (f, "name", "Zoë Ørsted-Łukasz");
        json_array_add_string_element (tags, "vip");
        json_array_add_string_element (tags, "north");
        json_object_set_array_member (f, "tags", json_array_ref (tags));
        json_object_set_string_member (email, "value", "Zoe@Example.org");
        json_array_add_object_element (emails, email);
        json_object_set_array_member (f, "emails", json_array_ref (emails));
        g_ptr_array_add (changes, change_at (later, counter++, "contact", c0, f));
      }
      {
        g_autoptr (JsonObject) f = json_object_new ();

        json_object_set_string_member (f, "summary", "moved to another contact");
        json_object_set_string_member (f, "contact_id", c1);
        json_object_set_int_member (f, "occurred_at", RAPPORT_TEST_NOW - 60);
        g_ptr_array_add (changes, change_at (later, counter++, "interaction", i0, f));
      }
      {
        g_autoptr (JsonObject) f = json_object_new ();

        json_object_set_string_member (f, "body", "an edited body");
        json_object_set_int_member (f, "updated_at", RAPPORT_TEST_NOW);
        g_ptr_array_add (changes, change_at (later, counter++, "note", n0, f));
      }
      {
        g_autoptr (JsonObject) f = json_object_new ();

        json_object_set_string_member (f, "name", "a stale name");
        g_ptr_array_add (changes, change_at (earlier, counter++, "contact", c1, f));
      }
      {
        g_autoptr (JsonObject) f = json_object_new ();

        json_object_set_boolean_member (f, "deleted", TRUE);
        json_object_set_int_member (f, "deleted_at", RAPPORT_TEST_NOW);
        g_ptr_array_add (changes, change_at (later, counter++, "contact", c3, f));
      }
      {
        RapportChange *erasure = change_at (later, counter++, "contact", c2, NULL);

        erasure->erased = TRUE;
        g_ptr_array_add (changes, erasure);
      }
      {
        g_autoptr (JsonObject) f = json_object_new ();

        json_object_set_string_member (f, "stage", "after the erasure");
        g_ptr_array_add (changes, change_at (later, counter++, "contact", c2, f));
      }
      /* New records first seen through partial writes, one of them edited
       * again in the same page, and a change with no fields. */
      {
        g_autoptr (JsonObject) f = json_object_new ();

        json_object_set_string_member (f, "name", "Åsa Nyström");
        json_object_set_string_member (f, "owner", "nobody");
        g_ptr_array_add (changes, wire (change_at (later, counter++, "contact", new_contact, f)));
      }
      {
        g_autoptr (JsonObject) f = json_object_new ();

        json_object_set_string_member (f, "contact_id", new_contact);
        json_object_set_string_member (f, "summary", "a call about Åsa's order");
        json_object_set_int_member (f, "occurred_at", RAPPORT_TEST_NOW - 7200);
        g_ptr_array_add (changes, wire (change_at (later, counter++, "interaction", new_interaction, f)));
      }
      {
        g_autoptr (JsonObject) f = json_object_new ();

        json_object_set_string_member (f, "organization", "Nyström AB");
        g_ptr_array_add (changes, wire (change_at (later, counter++, "contact", new_contact, f)));
      }
      g_ptr_array_add (changes, wire (change_at (later, counter++, "note", empty_note, NULL)));
    }
  return changes;
}

/* Applies @changes in pages, as a pull does, to a new store. */
static RapportTestStore *
applied (GPtrArray *changes, RapportApplyFlags flags, guint page_size)
{
  RapportTestStore *ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;

  for (guint from = 0; from < changes->len; from += page_size)
    {
      g_autoptr (GPtrArray) page = g_ptr_array_new ();
      g_autofree char *cursor = g_strdup_printf ("%u", from);

      for (guint i = from; i < MIN (changes->len, from + page_size); i++)
        g_ptr_array_add (page, changes->pdata[i]);
      g_assert_true (rapport_store_apply_changes_full (ts->store, page, "cursor", cursor, flags,
                                                       &error));
      g_assert_no_error (error);
    }
  return ts;
}

/* Changes @from to @to as the text of a page the server sends. */
static char *
page_text (GPtrArray *changes, guint from, guint to)
{
  GString *text = g_string_new ("{\"epoch\":\"test\",\"changes\":[");

  for (guint i = from; i < to; i++)
    {
      g_autoptr (JsonNode) node = rapport_change_to_json (changes->pdata[i]);
      g_autofree char *change = json_to_string (node, FALSE);

      g_string_append_printf (text, "%s%s", i > from ? "," : "", change);
    }
  g_string_append_printf (text, "],\"cursor\":%u,\"more\":%s}", to,
                          to < changes->len ? "true" : "false");
  return g_string_free (text, FALSE);
}

/* Applies @changes in pages given as their text, as a pull of many pages
 * does; @inserted counts the changes written without the merge path. */
static RapportTestStore *
applied_text (GPtrArray *changes, guint page_size, guint *inserted)
{
  RapportTestStore *ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;

  *inserted = 0;
  for (guint from = 0; from < changes->len; from += page_size)
    {
      guint to = MIN (changes->len, from + page_size);
      g_autofree char *text = page_text (changes, from, to);
      g_autofree char *cursor = g_strdup_printf ("%u", from);
      g_autoptr (GPtrArray) done = NULL;
      guint n = 0, merged = 0;

      g_assert_true (rapport_store_apply_changes_text (ts->store, text, strlen (text), "cursor",
                                                       cursor, &done, &n, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, to - from);
      /* Merged changes come back whole; inserts as one empty change per
       * kind of record, with the page's latest stamp. */
      for (guint i = 0; i < done->len; i++)
        {
          RapportChange *change = done->pdata[i];

          g_assert_nonnull (change->stamp);
          if (*change->record_id != '\0')
            merged++;
        }
      *inserted += n - merged;
    }
  return ts;
}

static const char *const tables[] = {
  "SELECT rowid, * FROM users ORDER BY rowid",
  "SELECT rowid, * FROM contacts ORDER BY rowid",
  "SELECT rowid, * FROM interactions ORDER BY rowid",
  "SELECT rowid, * FROM notes ORDER BY rowid",
  "SELECT rowid, * FROM reminders ORDER BY rowid",
  "SELECT rowid, * FROM promises ORDER BY rowid",
  "SELECT * FROM contact_tags ORDER BY contact_id, tag",
  "SELECT * FROM contact_keys ORDER BY kind, value, contact_id",
  "SELECT note_id, body, edited_by, edited_at FROM note_history ORDER BY rowid",
  "SELECT rowid, * FROM contacts_fts ORDER BY rowid",
  "SELECT rowid, * FROM interactions_fts ORDER BY rowid",
  "SELECT rowid, * FROM notes_fts ORDER BY rowid",
  "SELECT * FROM journal ORDER BY seq",
  "SELECT * FROM journal_base ORDER BY record_id, field",
  "SELECT * FROM conflicts ORDER BY id",
  "SELECT * FROM sync_state ORDER BY key",
  "SELECT key, value FROM meta WHERE key NOT IN ('device_id', 'clock') ORDER BY key",
};

static void
assert_same_tables (RapportStore *a, RapportStore *b)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *da = dump (a, tables[i]);
      g_autofree char *db = dump (b, tables[i]);

      if (g_strcmp0 (da, db) != 0)
        g_error ("“%s” differs between the fast and the merge path:\n%s\n---\n%s", tables[i],
                 da, db);
    }
}

static gint64
count (RapportStore *store, const char *sql)
{
  g_autofree char *text = dump (store, sql);

  return g_ascii_strtoll (strchr (text, '=') + 1, NULL, 10);
}

/* A copy of @change without the field @member (the fields are copied:
 * a change's are shared with its copies). */
static RapportChange *
without_member (RapportChange *change, const char *member)
{
  g_autoptr (JsonObject) fields = json_object_new ();
  RapportChange *copy;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, change->fields);
  while (json_object_iter_next (&iter, &name, &node))
    if (strcmp (name, member) != 0)
      json_object_set_member (fields, name, json_node_copy (node));
  copy = rapport_change_new (change->id, change->entity, change->record_id, change->stamp, fields);
  copy->author = g_strdup (change->author);
  copy->seq = change->seq;
  return copy;
}

/* @changes as a team's history brings them: the contacts' changes come
 * between the others (each kind in its order), and now and then an
 * interaction arrives without one of its fields, which the merge path
 * writes: the inserted rows of one page come in several ranges. */
static GPtrArray *
interleaved (GPtrArray *changes)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
  g_autoptr (GPtrArray) contacts = g_ptr_array_new ();
  g_autoptr (GPtrArray) others = g_ptr_array_new ();
  guint c = 0, o = 0, n_interactions = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      RapportChange *change = changes->pdata[i];

      g_ptr_array_add (strcmp (change->entity, "contact") == 0 ? contacts : others, change);
    }
  while (c < contacts->len || o < others->len)
    {
      for (guint k = 0; k < 7 && o < others->len; k++)
        {
          RapportChange *change = others->pdata[o++];

          if (strcmp (change->entity, "interaction") == 0 && n_interactions++ % 50 == 25)
            g_ptr_array_add (out, without_member (change, "channel"));
          else
            g_ptr_array_add (out, rapport_change_copy (change));
        }
      if (c < contacts->len)
        g_ptr_array_add (out, rapport_change_copy (contacts->pdata[c++]));
    }
  return out;
}

static void
test_same_tables (void)
{
  g_autoptr (GPtrArray) changes = pulled_changes ();
  guint page_sizes[] = { 5000, 97 };

  for (guint p = 0; p < G_N_ELEMENTS (page_sizes); p++)
    {
      g_autoptr (RapportTestStore) fast = applied (changes, RAPPORT_APPLY_DEFAULT, page_sizes[p]);
      g_autoptr (RapportTestStore) merged = applied (changes, RAPPORT_APPLY_MERGE_ALL, page_sizes[p]);

      g_autoptr (RapportTestStore) text = NULL;
      guint inserted = 0;

      assert_same_tables (fast->store, merged->store);
      /* Read by SQLite from the page text: the same tables, and most
       * changes (the data set's first writes) written by the inserts. */
      text = applied_text (changes, page_sizes[p], &inserted);
      assert_same_tables (text->store, merged->store);
      g_assert_cmpuint (inserted, >, changes->len / 2);
      g_assert_cmpuint (inserted, <, changes->len);
      /* What the data set and the later changes must have left. */
      g_assert_cmpint (count (fast->store, "SELECT count(*) FROM contacts"), ==, 120 + 1 - 1);
      g_assert_cmpint (count (fast->store, "SELECT count(*) FROM contacts_fts"), ==, 120);
      g_assert_cmpint (count (fast->store, "SELECT count(*) FROM contacts WHERE field_stamps "
                                           "IS NOT NULL"), ==, 3);
      g_assert_cmpint (count (fast->store, "SELECT count(*) FROM contacts WHERE stamp = ''"), ==, 1);
      g_assert_cmpint (count (fast->store, "SELECT count(*) FROM contacts WHERE deleted = 1"), >=, 1);
      g_assert_cmpint (count (fast->store, "SELECT count(*) FROM contact_tags WHERE tag = 'north'"),
                       ==, 1);
      g_assert_cmpint (count (fast->store, "SELECT count(*) FROM contact_keys WHERE "
                                           "value = 'zoe@example.org'"), ==, 1);
      g_assert_cmpint (count (fast->store, "SELECT count(*) FROM contacts WHERE last_interaction_at "
                                           "IS NOT (SELECT max (occurred_at) FROM interactions "
                                           "WHERE contact_id = contacts.id AND deleted = 0)"), ==, 0);
      g_assert_cmpint (count (fast->store, "SELECT count(*) FROM note_history"), ==, 1);
      g_assert_cmpint (count (fast->store, "SELECT count(*) FROM notes WHERE id NOT IN "
                                           "(SELECT id FROM notes)"), ==, 0);
      /* In the order of a team's history: the same tables again. */
      {
        g_autoptr (GPtrArray) mixed = interleaved (changes);
        g_autoptr (RapportTestStore) mixed_merged = applied (mixed, RAPPORT_APPLY_MERGE_ALL,
                                                             page_sizes[p]);
        g_autoptr (RapportTestStore) mixed_text = applied_text (mixed, page_sizes[p], &inserted);

        assert_same_tables (mixed_text->store, mixed_merged->store);
        g_assert_cmpuint (inserted, >, mixed->len / 2);
        g_assert_cmpint (count (mixed_text->store, "SELECT count(*) FROM interactions_fts"), ==,
                         count (mixed_text->store, "SELECT count(*) FROM interactions"));
      }
    }
}

static const char *const schema_sql =
  "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name";

static gint64
n_indexes (RapportStore *store)
{
  return count (store, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
                       "AND tbl_name IN ('contacts', 'interactions', 'notes', 'reminders', 'promises')");
}

/* The first column of the first row of @sql. */
static char *
first_text (RapportStore *store, const char *sql)
{
  sqlite3_stmt *stmt = rapport_store_prepare (store, sql, NULL);
  char *text;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

/* A page whose inserts of interactions come in two runs with an erasure
 * between them: the erasure purges the table's last rows (the first run's
 * among them), so the second run's rows take rowids below the first's.
 * Each keeps its full-text row. */
static void
test_erased_between_runs (void)
{
  g_autoptr (GPtrArray) generated = generated_changes (5);
  g_autoptr (RapportTestStore) whole = applied (generated, RAPPORT_APPLY_DEFAULT, generated->len);
  g_autoptr (GPtrArray) first = g_ptr_array_new ();
  g_autoptr (GPtrArray) held = g_ptr_array_new ();
  g_autoptr (GPtrArray) other = g_ptr_array_new ();
  g_autoptr (GPtrArray) changes = g_ptr_array_new ();
  g_autoptr (RapportTestStore) text = NULL;
  g_autoptr (RapportTestStore) merged = NULL;
  RapportChange *erasure;
  g_autofree char *erased = NULL, *kept = NULL, *kept_sql = NULL;
  guint page, inserted = 0;

  /* The busiest contact's interactions come last (half in the first page,
   * half in the second), then its erasure, then the next busiest one's. */
  erased = first_text (whole->store, "SELECT contact_id FROM interactions GROUP BY contact_id "
                                     "ORDER BY count(*) DESC, contact_id LIMIT 1");
  kept = first_text (whole->store, "SELECT contact_id FROM interactions GROUP BY contact_id "
                                   "ORDER BY count(*) DESC, contact_id LIMIT 1 OFFSET 1");
  for (guint i = 0; i < generated->len; i++)
    {
      RapportChange *change = generated->pdata[i];
      const char *contact = strcmp (change->entity, "interaction") == 0
                              ? json_object_get_string_member_with_default (change->fields,
                                                                            "contact_id", "")
                              : "";

      g_ptr_array_add (strcmp (contact, erased) == 0 ? held
                       : strcmp (contact, kept) == 0 ? other
                                                     : first, change);
    }
  g_assert_cmpuint (held->len, >=, 4);
  g_assert_cmpuint (other->len, >=, 2);
  for (guint i = 0; i < held->len / 2; i++)
    g_ptr_array_add (first, held->pdata[i]);
  page = first->len;
  g_ptr_array_extend (changes, first, NULL, NULL);
  for (guint i = held->len / 2; i < held->len; i++)
    g_ptr_array_add (changes, held->pdata[i]);
  erasure = change_at (MAX (RAPPORT_TEST_NOW, g_get_real_time () / G_USEC_PER_SEC) + 86400, 1,
                       "contact", erased, NULL);
  erasure->erased = TRUE;
  g_ptr_array_add (changes, erasure);
  g_ptr_array_extend (changes, other, NULL, NULL);

  text = applied_text (changes, page, &inserted);
  merged = applied (changes, RAPPORT_APPLY_MERGE_ALL, page);
  assert_same_tables (text->store, merged->store);
  g_assert_cmpint (count (text->store, "SELECT count(*) FROM interactions_fts"), ==,
                   count (text->store, "SELECT count(*) FROM interactions"));
  kept_sql = g_strdup_printf ("SELECT count(*) FROM interactions WHERE contact_id = '%s'", kept);
  g_assert_cmpint (count (text->store, kept_sql), ==, other->len);
  rapport_change_free (erasure);
}

/* A first sync drops the record tables' secondary indexes: pages applied
 * meanwhile leave the same rows, queries stay right, and a desktop stopped
 * before the pull caught up (here: closed with the indexes still dropped,
 * as a kill leaves it) gets them all back when the store is next opened. */
static void
test_deferred_indexes (void)
{
  g_autoptr (GPtrArray) changes = pulled_changes ();
  g_autoptr (RapportTestStore) plain = applied (changes, RAPPORT_APPLY_DEFAULT, 97);
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *schema_before = dump (ts->store, schema_sql);
  g_autofree char *schema_after = NULL;
  g_autofree char *list_merged = NULL, *list_deferred = NULL;
  g_autoptr (GError) error = NULL;
  const char *list_sql = "SELECT id FROM contacts INDEXED BY contacts_by_sort_key "
                         "WHERE deleted = 0 ORDER BY sort_key, id";
  const char *list_any = "SELECT id FROM contacts WHERE deleted = 0 ORDER BY sort_key, id";
  guint half = changes->len / 2;

  g_assert_true (rapport_store_is_blank (ts->store, "cursor"));
  g_assert_cmpint (n_indexes (ts->store), >=, 10);
  g_assert_true (rapport_store_begin (ts->store, &error));
  g_assert_true (rapport_store_defer_indexes (ts->store, &error));
  g_assert_no_error (error);
  g_assert_true (rapport_store_commit (ts->store, &error));
  g_assert_true (rapport_store_get_indexes_deferred (ts->store));
  /* Primary keys, unique constraints and the two the backlog names stay. */
  g_assert_cmpint (n_indexes (ts->store), ==, 2);
  g_assert_cmpint (count (ts->store, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                     "('reminders_open_cover', 'contacts_nurture')"), ==, 2);
  g_assert_cmpint (count (ts->store, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                     "AND tbl_name = 'contacts' AND sql IS NULL"), ==, 1);
  /* Full-text segments merge less often meanwhile (16, not 4, per level). */
  g_assert_cmpint (count (ts->store, "SELECT count(*) FROM interactions_fts_config "
                                     "WHERE k = 'automerge' AND v = 16"), ==, 1);

  for (guint from = 0; from < changes->len; from += 97)
    {
      g_autoptr (GPtrArray) page = g_ptr_array_new ();
      g_autofree char *cursor = g_strdup_printf ("%u", from);

      for (guint i = from; i < MIN (changes->len, from + 97); i++)
        g_ptr_array_add (page, changes->pdata[i]);
      g_assert_true (rapport_store_apply_changes (ts->store, page, "cursor", cursor, &error));
      g_assert_no_error (error);
      /* Killed half-way: the next open builds the indexes again. */
      if (from < half && from + 97 >= half)
        {
          g_assert_false (rapport_store_is_blank (ts->store, "cursor"));
          rapport_test_store_reopen (ts);
          g_assert_false (rapport_store_get_indexes_deferred (ts->store));
          g_assert_cmpint (n_indexes (ts->store), >=, 10);
          g_assert_true (rapport_store_begin (ts->store, &error));
          g_assert_true (rapport_store_defer_indexes (ts->store, &error));
          g_assert_true (rapport_store_commit (ts->store, &error));
          g_assert_no_error (error);
          g_assert_cmpint (n_indexes (ts->store), ==, 2);
        }
    }
  /* Without its indexes, the store answers the same, only slower. */
  list_merged = dump (plain->store, list_sql);
  list_deferred = dump (ts->store, list_any);
  g_assert_cmpstr (list_merged, ==, list_deferred);
  g_clear_pointer (&list_deferred, g_free);

  rapport_test_store_reopen (ts);
  g_assert_false (rapport_store_get_indexes_deferred (ts->store));
  g_assert_cmpint (count (ts->store, "SELECT count(*) FROM interactions_fts_config "
                                     "WHERE k = 'automerge'"), ==, 0);
  schema_after = dump (ts->store, schema_sql);
  g_assert_cmpstr (schema_before, ==, schema_after);
  assert_same_tables (ts->store, plain->store);
  list_deferred = dump (ts->store, list_sql);
  g_assert_cmpstr (list_merged, ==, list_deferred);

  /* Built again in one call too, and a second call does nothing. */
  g_assert_true (rapport_store_begin (ts->store, &error));
  g_assert_true (rapport_store_defer_indexes (ts->store, &error));
  g_assert_true (rapport_store_commit (ts->store, &error));
  g_assert_true (rapport_store_restore_indexes (ts->store, &error));
  g_assert_true (rapport_store_restore_indexes (ts->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&schema_after, g_free);
  schema_after = dump (ts->store, schema_sql);
  g_assert_cmpstr (schema_before, ==, schema_after);
  g_assert_cmpint (count (ts->store, "SELECT count(*) FROM pragma_integrity_check "
                                     "WHERE integrity_check != 'ok'"), ==, 0);
}

/* A contact's latest interaction deleted while the indexes are deferred:
 * its last interaction is held meanwhile, then building the indexes sets
 * it to the one before (not only raises it). */
static void
test_deferred_lowered (void)
{
  g_autoptr (GPtrArray) changes = pulled_changes ();
  g_autoptr (RapportTestStore) ts = applied (changes, RAPPORT_APPLY_DEFAULT, 5000);
  g_autoptr (GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;
  gint64 later = MAX (RAPPORT_TEST_NOW, g_get_real_time () / G_USEC_PER_SEC) + 2 * 86400;
  const char *stale_sql = "SELECT count(*) FROM contacts WHERE last_interaction_at IS NOT (SELECT "
                          "max (occurred_at) FROM interactions WHERE contact_id = contacts.id AND "
                          "deleted = 0)";
  g_autofree char *contact = first_text (ts->store, "SELECT contact_id FROM interactions WHERE "
                                                    "deleted = 0 GROUP BY contact_id HAVING "
                                                    "count(*) >= 2 ORDER BY contact_id LIMIT 1");
  g_autofree char *latest_sql = g_strdup_printf ("SELECT id FROM interactions WHERE contact_id = "
                                                 "'%s' AND deleted = 0 ORDER BY occurred_at DESC "
                                                 "LIMIT 1", contact);
  g_autofree char *latest = first_text (ts->store, latest_sql);

  g_assert_cmpint (count (ts->store, stale_sql), ==, 0);
  g_assert_true (rapport_store_begin (ts->store, &error));
  g_assert_true (rapport_store_defer_indexes (ts->store, &error));
  g_assert_true (rapport_store_commit (ts->store, &error));
  g_assert_no_error (error);

  json_object_set_boolean_member (fields, "deleted", TRUE);
  json_object_set_int_member (fields, "deleted_at", RAPPORT_TEST_NOW);
  g_ptr_array_add (page, change_at (later, 1, "interaction", latest, fields));
  g_assert_true (rapport_store_apply_changes (ts->store, page, "cursor", "after", &error));
  g_assert_no_error (error);
  /* Held: the contact still shows the deleted one. */
  g_assert_cmpint (count (ts->store, stale_sql), ==, 1);

  g_assert_true (rapport_store_restore_indexes (ts->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (ts->store, stale_sql), ==, 0);
}

/* A first sync reads its pages as text with the indexes deferred: the
 * inserted interactions leave their contacts' last interaction to the
 * building of the indexes, which raises them all at once; the tables end
 * as the merge path leaves them, and stay so when the store is killed
 * before catching up and reopened. */
static void
test_deferred_text (void)
{
  g_autoptr (GPtrArray) changes = pulled_changes ();
  g_autoptr (RapportTestStore) plain = applied (changes, RAPPORT_APPLY_MERGE_ALL, 97);

  for (guint reopen = 0; reopen < 2; reopen++)
    {
      g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
      g_autoptr (GError) error = NULL;
      gint64 stale = 0;

      g_assert_true (rapport_store_begin (ts->store, &error));
      g_assert_true (rapport_store_defer_indexes (ts->store, &error));
      g_assert_true (rapport_store_commit (ts->store, &error));
      g_assert_no_error (error);
      for (guint from = 0; from < changes->len; from += 97)
        {
          guint to = MIN (changes->len, from + 97);
          g_autofree char *text = page_text (changes, from, to);
          g_autofree char *cursor = g_strdup_printf ("%u", from);
          g_autoptr (GPtrArray) done = NULL;
          guint n = 0;

          g_assert_true (rapport_store_apply_changes_text (ts->store, text, strlen (text), "cursor",
                                                           cursor, &done, &n, &error));
          g_assert_no_error (error);
        }
      /* Meanwhile contacts may show an older last interaction. */
      g_assert_cmpint (count (ts->store, "SELECT count(*) FROM meta WHERE key = "
                                         "'deferred_last_interactions'"), ==, 1);
      stale = count (ts->store, "SELECT count(*) FROM contacts WHERE last_interaction_at IS NOT "
                                "(SELECT max (occurred_at) FROM interactions WHERE contact_id = "
                                "contacts.id AND deleted = 0)");
      g_assert_cmpint (stale, >, 0);
      if (reopen)
        rapport_test_store_reopen (ts);
      else
        g_assert_true (rapport_store_restore_indexes (ts->store, &error));
      g_assert_no_error (error);
      g_assert_false (rapport_store_get_indexes_deferred (ts->store));
      assert_same_tables (ts->store, plain->store);
      g_assert_cmpint (count (ts->store, "SELECT count(*) FROM meta WHERE key = "
                                         "'deferred_last_interactions'"), ==, 0);
    }
}

/* Applies @text as json-glib reads it, through the merge path. */
static gboolean
apply_parsed (RapportStore *store, const char *text, GError **error)
{
  g_autoptr (JsonNode) root = json_from_string (text, error);
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
  JsonArray *array;

  if (root == NULL)
    return FALSE;
  array = json_object_get_array_member (json_node_get_object (root), "changes");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      RapportChange *change = rapport_change_from_json (json_array_get_element (array, i), error);

      if (change == NULL)
        return FALSE;
      g_ptr_array_add (changes, change);
    }
  return rapport_store_apply_changes_full (store, changes, "cursor", "1", RAPPORT_APPLY_MERGE_ALL,
                                           error);
}

#define STAMP(n) "\"stamp\":\"0019000000000-000" #n "-00000000000000ee\""
#define INTERACTION_FIELDS(contact, summary, at) \
  "\"created_at\":1700000000,\"deleted\":null,\"deleted_at\":0,\"contact_id\":" contact ","       \
  "\"kind\":\"call\",\"direction\":\"in\",\"channel\":null,\"occurred_at\":" at ","               \
  "\"logged_by\":\"u1\",\"department\":\"sales\",\"summary\":" summary ",\"body\":\"b\","         \
  "\"awaiting_response\":true,\"responded_at\":null,\"responded_by\":null,\"resolved_at\":0"

/* Changes written the ways JSON allows: escapes, members in another order,
 * explicit nulls and zeros, "erased": false, a record twice, a duplicated
 * member, an integer past 64 bits: read from the text, the store ends as json-glib and the merge
 * path leave it. Pages that cannot be read change nothing. */
static void
test_text_forms (void)
{
  const char *page =
    "{\"epoch\":\"e\",\"changes\":["
    "{\"id\":\"c1\",\"entity\":\"interaction\",\"record\":\"i1\"," STAMP (1) ",\"fields\":{"
    INTERACTION_FIELDS ("\"k1\"", "\"Caf\\u00e9 \\\"quoted\\\"\\nline \\/ \xc3\xb8\"", "0") "},\"seq\":1,\"author\":\"a\"},"
    "{\"fields\":{\"updated_by\":null,\"updated_at\":5,\"author\":\"u2\",\"pinned\":false,"
    "\"private\":true,\"body\":\"Z\\u00f6e\",\"contact_id\":\"k1\",\"deleted_at\":null,"
    "\"deleted\":false,\"created_at\":1},\"id\":\"c2\",\"record\":\"n1\",\"entity\":\"note\","
    STAMP (2) ",\"erased\":false},"
    "{\"id\":\"c3\",\"entity\":\"interaction\",\"record\":\"i1\"," STAMP (3) ",\"fields\":"
    "{\"summary\":\"edited\"}},"
    "{\"id\":\"c4\",\"entity\":\"note\",\"record\":\"n2\"," STAMP (4) ",\"fields\":{"
    "\"body\":\"first\",\"body\":\"second\",\"contact_id\":\"k1\"}},"
    "{\"id\":\"c5\",\"entity\":\"interaction\",\"record\":\"i2\"," STAMP (5) ",\"fields\":{"
    INTERACTION_FIELDS ("null", "null", "1700000100") "},\"author\":null},"
    "{\"id\":\"c6\",\"entity\":\"interaction\",\"record\":\"i3\"," STAMP (6) ","
    "\"fields\":{" INTERACTION_FIELDS ("\"k1\"", "\"s\"", "99999999999999999999") "}},"
    "{\"id\":\"c7\",\"entity\":\"interaction\",\"record\":\"i2\"," STAMP (7) ",\"fields\":{"
    INTERACTION_FIELDS ("\"k1\"", "\"again\"", "1700000200") "}}"
    "],\"cursor\":5,\"more\":false}";
  const char *const refused[] = {
    "not json",
    "{\"changes\":{\"a\":1}}",
    "{\"changes\":[{\"id\":\"c9\",\"entity\":\"note\",\"record\":\"n9\"," STAMP (9) ",\"fields\":"
    "{\"body\":\"x\",\"colour\":\"red\"}}]}",
    "{\"changes\":[{\"id\":\"c9\",\"entity\":\"note\",\"record\":\"n9\",\"stamp\":\"bad\","
    "\"fields\":{\"body\":\"x\"}}]}",
    "{\"changes\":[{\"entity\":\"note\",\"record\":\"n9\"," STAMP (9) ",\"fields\":{}}]}",
    "{\"changes\":[\xff]}",
  };
  g_autoptr (RapportTestStore) text = rapport_test_store_new ();
  g_autoptr (RapportTestStore) parsed = rapport_test_store_new ();
  g_autoptr (GPtrArray) done = NULL;
  g_autoptr (GError) error = NULL;
  guint n = 0;

  g_assert_true (rapport_store_apply_changes_text (text->store, page, strlen (page), "cursor", "1",
                                                   &done, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 7);
  g_assert_true (apply_parsed (parsed->store, page, &error));
  g_assert_no_error (error);
  assert_same_tables (text->store, parsed->store);
  g_assert_cmpint (count (text->store, "SELECT count(*) FROM interactions WHERE summary = 'edited' "
                                       "AND occurred_at IS NULL AND deleted = 0"), ==, 1);
  g_assert_cmpint (count (text->store, "SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'zoe'"),
                   ==, 1);
  g_assert_cmpint (count (text->store, "SELECT count(*) FROM notes WHERE body = 'second'"), ==, 1);
  g_assert_cmpint (count (text->store, "SELECT count(*) FROM interactions WHERE summary = 'again'"),
                   ==, 1);
  /* The same page again: every record is stored now, and merged. */
  g_clear_pointer (&done, g_ptr_array_unref);
  g_assert_true (rapport_store_apply_changes_text (text->store, page, strlen (page), "cursor", "1",
                                                   &done, &n, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < done->len; i++)
    g_assert_cmpstr (((RapportChange *) done->pdata[i])->record_id, !=, "");
  g_assert_true (apply_parsed (parsed->store, page, &error));
  g_assert_no_error (error);
  assert_same_tables (text->store, parsed->store);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *before = dump (text->store, "SELECT * FROM sync_state");
      g_autofree char *after = NULL;
      g_autoptr (GPtrArray) none = NULL;

      g_test_message ("refused page %u", i);
      g_assert_false (rapport_store_apply_changes_text (text->store, refused[i], strlen (refused[i]),
                                                        "cursor", "2", &none, &n, &error));
      g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_null (none);
      after = dump (text->store, "SELECT * FROM sync_state");
      g_assert_cmpstr (before, ==, after);
      assert_same_tables (text->store, parsed->store);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/apply-fast/same-tables", test_same_tables);
  g_test_add_func ("/apply-fast/erased-between-runs", test_erased_between_runs);
  g_test_add_func ("/apply-fast/deferred-indexes", test_deferred_indexes);
  g_test_add_func ("/apply-fast/deferred-lowered", test_deferred_lowered);
  g_test_add_func ("/apply-fast/deferred-text", test_deferred_text);
  g_test_add_func ("/apply-fast/text-forms", test_text_forms);
  return g_test_run ();
}
