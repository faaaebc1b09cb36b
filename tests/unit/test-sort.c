/* test-sort.c: contacts' sort keys, the same on every desktop, and recomputed in older stores */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include "rapport-contact-list.h"
#include "rapport-duplicates.h"
#include "rapport-search.h"
#include "rapport-sort-keys.h"
#include "rapport-store-private.h"
#include "test-common.h"

static char *
save_contact (RapportStore *store, const char *name, const char *organization)
{
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;

  contact->name = g_strdup (name);
  contact->organization = g_strdup (organization);
  rapport_store_save (store, RAPPORT_RECORD (contact), &error);
  g_assert_no_error (error);
  return g_strdup (RAPPORT_RECORD (contact)->id);
}

static void
test_keys (void)
{
  static const struct
  {
    const char *name, *key;
  } cases[] = {
    { "Þór Jónsson", "thor jonsson" },
    { "Ægir Sigurðsson", "aegir sigurdsson" },
    { "Œuvre Straße", "oeuvre strasse" },
    { "Kari Ødegaard", "kari odegaard" },
    { "Łukasz Wałęsa", "lukasz walesa" },
    { "Emre Yılmaz", "emre yilmaz" },
    { "Zoë MARTIN", "zoe martin" },
    { "Ζωή Παππά", "ζωη παππα" },
    { "A|B", "a b" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = rapport_index_sort_key (cases[i].name);
      g_assert_cmpstr (key, ==, cases[i].key);
    }
  {
    g_autofree char *none = rapport_index_sort_key (NULL);
    g_assert_cmpstr (none, ==, "");
  }
}

static void
assert_order (RapportStore *store, const char *const *expected)
{
  g_autoptr (RapportContactList) list = rapport_contact_list_new (store);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  g_assert_cmpuint (n, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RapportContact) contact = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_assert_cmpstr (contact->name, ==, expected[i]);
    }
}

/* Names are saved out of order; the list shows them as a person expects,
 * no name thrown to the top for a letter ASCII lacks. */
static const char *const names[] = { "Zoë Martin", "Þór Jónsson", "Kari Ødegaard", "Ægir Sigurðsson",
                                     "Emre Yılmaz", "Łukasz Nowak", "Adam Smith", "Ζωή Παππά", NULL };
static const char *const sorted[] = { "Adam Smith", "Ægir Sigurðsson", "Emre Yılmaz", "Kari Ødegaard",
                                      "Łukasz Nowak", "Þór Jónsson", "Zoë Martin", "Ζωή Παππά", NULL };

static void
test_order (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();

  for (guint i = 0; names[i]; i++)
    g_free (save_contact (ts->store, names[i], NULL));
  assert_order (ts->store, sorted);
}

static void
exec_sql (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
query_text (RapportStore *store, const char *sql, const char *id)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (rapport_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* With "ÞÓR JÓNSSON" too, saved first: equal keys keep the order of saving. */
static const char *const sorted_with_twin[] = { "Adam Smith", "Ægir Sigurðsson", "Emre Yılmaz", "Kari Ødegaard",
                                                "Łukasz Nowak", "ÞÓR JÓNSSON", "Þór Jónsson", "Zoë Martin",
                                                "Ζωή Παππά", NULL };

/* The first rule's key: g_str_to_ascii() turned "Þór" into "?or". */
static void
write_first_rule_keys (RapportStore *store)
{
  sqlite3 *db = rapport_store_get_db (store);
  sqlite3_stmt *select = NULL, *update = NULL, *keys = NULL;

  exec_sql (db, "BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, name, organization FROM contacts", -1, &select, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE contacts SET sort_key = ?2 WHERE id = ?1", -1, &update,
                                       NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE contact_keys SET value = ?2 "
                                           "WHERE contact_id = ?1 AND kind = 'name'", -1, &keys, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (select) == SQLITE_ROW)
    {
      const char *organization = (const char *) sqlite3_column_text (select, 2);
      g_autofree char *ascii = g_str_to_ascii ((const char *) sqlite3_column_text (select, 1), "C");
      g_autofree char *old = g_utf8_casefold (ascii, -1);
      g_autofree char *name_key = g_strdup_printf ("%s|%s", old, organization ? organization : "");

      sqlite3_bind_text (update, 1, (const char *) sqlite3_column_text (select, 0), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (update, 2, old, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (update), ==, SQLITE_DONE);
      sqlite3_reset (update);
      sqlite3_bind_text (keys, 1, (const char *) sqlite3_column_text (select, 0), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (keys, 2, name_key, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (keys), ==, SQLITE_DONE);
      sqlite3_reset (keys);
    }
  sqlite3_finalize (select);
  sqlite3_finalize (update);
  sqlite3_finalize (keys);
  exec_sql (db, "DELETE FROM meta WHERE key = 'sort_key_rule'; COMMIT");
}

/* A store written by an older Rapport holds the first rule's keys and no
 * rule in its meta table: opening it recomputes them, and the duplicate
 * keys made of them, once. */
static void
test_old_store_recomputed (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *thor = save_contact (ts->store, "Þór Jónsson", "Hekla");
  g_autofree char *twin = save_contact (ts->store, "ÞÓR JÓNSSON", " hekla");
  g_autofree char *key = NULL;
  g_autofree char *name_key = NULL;
  g_autofree char *rule = NULL;
  g_autoptr (GPtrArray) pairs = NULL;
  g_autoptr (GError) error = NULL;
  RapportDuplicatePair *pair;

  {
    g_autoptr (RapportContact) first = rapport_store_get_contact (ts->store, thor, NULL);
    g_assert_true (rapport_store_delete (ts->store, RAPPORT_RECORD (first), NULL));
  }
  for (guint i = 0; names[i]; i++)
    g_free (save_contact (ts->store, names[i], NULL));
  write_first_rule_keys (ts->store);
  key = query_text (ts->store, "SELECT sort_key FROM contacts WHERE id = ?1", twin);
  g_assert_cmpstr (key, ==, "?or jonsson");
  g_clear_pointer (&key, g_free);

  rapport_test_store_reopen (ts);
  key = query_text (ts->store, "SELECT sort_key FROM contacts WHERE id = ?1", twin);
  g_assert_cmpstr (key, ==, "thor jonsson");
  name_key = query_text (ts->store, "SELECT value FROM contact_keys WHERE kind = 'name' AND contact_id = ?1",
                         thor);
  g_assert_cmpstr (name_key, ==, "thor jonsson|Hekla");
  rule = query_text (ts->store, "SELECT value FROM meta WHERE key = 'sort_key_rule'", NULL);
  g_assert_cmpstr (rule, ==, RAPPORT_SORT_KEY_RULE);
  assert_order (ts->store, sorted_with_twin);

  /* Find duplicates sees the two Þórs of Hekla by their recomputed keys
   * (the first one back from the Trash). */
  {
    g_autoptr (RapportContact) first = rapport_store_get_contact (ts->store, thor, NULL);
    g_assert_true (rapport_store_restore (ts->store, RAPPORT_RECORD (first), &error));
    g_assert_no_error (error);
  }
  pairs = rapport_store_list_duplicate_pairs (ts->store, "GB", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pairs->len, ==, 1);
  pair = pairs->pdata[0];
  g_assert_cmpstr (pair->reason, ==, "name");
  /* The older contact first: ids are time-ordered. */
  g_assert_cmpstr (pair->first_id, ==, thor);
  g_assert_cmpstr (pair->second_id, ==, twin);
}

/* Names that begin with what was typed come first in any script: the key
 * range of a prefix must reach past non-ASCII letters. */
static void
test_search_prefix_any_script (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autofree char *zoi = NULL;
  g_autofree char *thor = NULL;

  g_free (save_contact (ts->store, "Αλέξης Ζωγράφος", NULL));
  zoi = save_contact (ts->store, "Ζωή Παππά", NULL);
  g_free (save_contact (ts->store, "Anna Thorsen", NULL));
  thor = save_contact (ts->store, "Þór Jónsson", NULL);

  found = rapport_store_search (ts->store, "Ζω", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (found->pdata[0], ==, zoi);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = rapport_store_search (ts->store, "thor", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >=, 1);
  g_assert_cmpstr (found->pdata[0], ==, thor);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sort/keys", test_keys);
  g_test_add_func ("/sort/order", test_order);
  g_test_add_func ("/sort/old-store-recomputed", test_old_store_recomputed);
  g_test_add_func ("/sort/search-prefix-any-script", test_search_prefix_any_script);
  return g_test_run ();
}
