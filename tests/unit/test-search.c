/* test-search.c: full-text search: accents, phones, prefixes, privacy, ranking */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rapport-search.h"
#include "rapport-store-private.h"
#include "test-common.h"
#include "test-fixtures.h"

#define T RAPPORT_TEST_NOW

static GPtrArray *
search (RapportStore *store, const char *query, guint limit)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *hits = rapport_store_search (store, query, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  return hits;
}

/* Asserts that @query finds exactly the contacts @ids, in that order. */
static void
assert_finds (RapportStore *store, const char *query, const char *const *ids)
{
  g_autoptr (GPtrArray) hits = search (store, query, 0);
  guint n = g_strv_length ((char **) ids);

  if (hits->len != n)
    g_error ("“%s” found %u contacts, expected %u", query, hits->len, n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (hits->pdata[i], ids[i]) != 0)
      g_error ("“%s”: hit %u is %s, expected %s", query, i, (char *) hits->pdata[i], ids[i]);
}

static RapportContact *
contact_with (RapportStore *s, const char *name, const char *organization, const char *email,
              const char *phone)
{
  RapportContact *c = rapport_contact_new ();

  c->name = g_strdup (name);
  c->organization = g_strdup (organization);
  if (email)
    rapport_contact_add_email (c, "work", email);
  if (phone)
    rapport_contact_add_phone (c, "work", phone);
  fx_save (s, c);
  return c;
}

static void
test_accents_and_prefixes (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportStore *s = ts->store;
  g_autoptr (RapportContact) zoe = contact_with (s, "Zoë Müller", NULL, NULL, NULL);
  g_autoptr (RapportContact) lukasz = contact_with (s, "Łukasz Wiśniewski", "Żółw sp. z o.o.", NULL, NULL);
  g_autoptr (RapportContact) kow = contact_with (s, "Jan Kowalski", NULL, NULL, NULL);
  const char *queries_zoe[] = { "zoe", "ZOË", "Zoë", "zoë müller", "mül", "MULLER", "zo mu" };

  for (guint i = 0; i < G_N_ELEMENTS (queries_zoe); i++)
    assert_finds (s, queries_zoe[i], (const char *const[]){ FX_ID (zoe), NULL });
  assert_finds (s, "lukasz", (const char *const[]){ FX_ID (lukasz), NULL });
  assert_finds (s, "wisniewski", (const char *const[]){ FX_ID (lukasz), NULL });
  assert_finds (s, "żółw", (const char *const[]){ FX_ID (lukasz), NULL });
  assert_finds (s, "zółw", (const char *const[]){ FX_ID (lukasz), NULL });
  assert_finds (s, "kow", (const char *const[]){ FX_ID (kow), NULL });
  assert_finds (s, "kowalskix", (const char *const[]){ NULL });
  /* Every word must match. */
  assert_finds (s, "jan zoe", (const char *const[]){ NULL });
  /* Nothing to search for, or FTS syntax typed by a person: no error. */
  assert_finds (s, "", (const char *const[]){ NULL });
  assert_finds (s, "  ", (const char *const[]){ NULL });
  assert_finds (s, "\"", (const char *const[]){ NULL });
  assert_finds (s, "NEAR(zoe", (const char *const[]){ NULL });
  assert_finds (s, "zoe*", (const char *const[]){ FX_ID (zoe), NULL });
  assert_finds (s, "kow AND", (const char *const[]){ NULL });
  assert_finds (s, "müller-", (const char *const[]){ FX_ID (zoe), NULL });
}

/* The search text repeats in ASCII only the words FTS5 would not fold to
 * ASCII itself (rapport_index_search_text()), so the letters it takes as
 * folded must be: each letter of U+00C0 to U+017F made of an ASCII letter
 * and marks is found by that letter, through SQLite's own tokenizer. */
static void
test_letters_folded_by_fts (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportStore *s = ts->store;
  g_autoptr (GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GString) letters = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  guint checked = 0;

  for (gunichar ch = 0xC0; ch <= 0x17F; ch++)
    {
      gunichar parts[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n = g_unichar_fully_decompose (ch, FALSE, parts, G_N_ELEMENTS (parts));
      g_autofree char *name = NULL;
      g_autofree char *query = NULL;
      g_autoptr (GPtrArray) hits = NULL;
      RapportContact *c;
      gboolean found = FALSE;

      if (n < 2 || parts[0] >= 0x80 || !g_ascii_isalpha ((char) parts[0]))
        continue;
      g_string_truncate (letters, 0);
      g_string_append_unichar (letters, ch);
      name = g_strdup_printf ("Qx%sx %u", letters->str, ch);
      c = contact_with (s, name, NULL, NULL, NULL);
      g_ptr_array_add (contacts, c);
      query = g_strdup_printf ("qx%cx %u", g_ascii_tolower ((char) parts[0]), ch);
      hits = search (s, query, 0);
      for (guint i = 0; i < hits->len; i++)
        found |= g_str_equal (hits->pdata[i], FX_ID (c));
      if (!found)
        g_error ("“%s” is not found by “%s”", name, query);
      checked++;
    }
  /* Latin-1's 57 such letters and Latin Extended-A's 104, less the few
   * of them that have no mark (none) or decompose otherwise. */
  g_assert_cmpuint (checked, >, 150);

  /* Such names are held once; ø, ł and ß still get their spellings. */
  {
    g_autoptr (RapportContact) zoe = contact_with (s, "Zoë Müller-Łukasz Søren", NULL, NULL, NULL);

    g_assert_cmpint (sqlite3_prepare_v2 (rapport_store_get_db (s),
                                         "SELECT f.name FROM contacts_fts f JOIN contacts c ON c.rowid = f.rowid"
                                         " WHERE c.id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, FX_ID (zoe), -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                     "Zoë Müller-Łukasz Søren Muller-Lukasz Soeren Soren");
    sqlite3_finalize (stmt);
    assert_finds (s, "zoe muller lukasz soren", (const char *const[]){ FX_ID (zoe), NULL });
    assert_finds (s, "zoë müller-łukasz soeren", (const char *const[]){ FX_ID (zoe), NULL });
  }
}

static void
test_phones_any_way (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportStore *s = ts->store;
  g_autoptr (RapportContact) berlin = contact_with (s, "Berlin Office", NULL, NULL, "+49 30 1234567");
  g_autoptr (RapportContact) london = contact_with (s, "London Office", NULL, NULL, "020 7946 0018");
  const char *berlin_queries[] = { "+49 30 1234567", "+49301234567", "030 1234567", "(030) 123-4567",
                                   "0301234567", "49 30", "1234567", "123 4567", "+49 (30) 12345" };
  const char *london_queries[] = { "020 7946 0018", "02079460018", "7946", "7946 0018", "020-7946" };

  for (guint i = 0; i < G_N_ELEMENTS (berlin_queries); i++)
    assert_finds (s, berlin_queries[i], (const char *const[]){ FX_ID (berlin), NULL });
  for (guint i = 0; i < G_N_ELEMENTS (london_queries); i++)
    assert_finds (s, london_queries[i], (const char *const[]){ FX_ID (london), NULL });
  assert_finds (s, "0171", (const char *const[]){ NULL });
}

static void
test_privacy_of_notes (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportStore *s = ts->store;
  g_autoptr (RapportUser) alice = fx_user (s, "Alice", "sales", NULL);
  g_autoptr (RapportUser) bob = fx_user (s, "Bob", "sales", NULL);
  g_autoptr (RapportContact) c1 = contact_with (s, "First", NULL, NULL, NULL);
  g_autoptr (RapportContact) c2 = contact_with (s, "Second", NULL, NULL, NULL);
  g_autoptr (RapportContact) c3 = contact_with (s, "Third", NULL, NULL, NULL);
  g_autoptr (RapportNote) bobs_private = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (rapport_store_set_me (s, alice, &error));
  bobs_private = fx_note (s, FX_ID (c1), FX_ID (bob), "Bob's secret pineapple plan", TRUE);
  g_object_unref (fx_note (s, FX_ID (c2), FX_ID (alice), "My own pineapple idea", TRUE));
  g_object_unref (fx_note (s, FX_ID (c3), FX_ID (bob), "Shared pineapple story", FALSE));

  /* Alice finds her private note and the shared one, never Bob's. */
  assert_finds (s, "pineapple", (const char *const[]){ FX_ID (c2), FX_ID (c3), NULL });
  assert_finds (s, "secret", (const char *const[]){ NULL });

  /* The same store used by Bob finds his own. */
  g_assert_true (rapport_store_set_me (s, bob, &error));
  assert_finds (s, "secret", (const char *const[]){ FX_ID (c1), NULL });
  assert_finds (s, "pineapple", (const char *const[]){ FX_ID (c1), FX_ID (c3), NULL });

  /* A deleted note is not found. */
  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (bobs_private), &error));
  assert_finds (s, "secret", (const char *const[]){ NULL });
}

static void
test_ranking (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportStore *s = ts->store;
  /* Created in an order unlike the expected ranking. */
  g_autoptr (RapportContact) by_summary = contact_with (s, "Albert Summary", NULL, NULL, NULL);
  g_autoptr (RapportContact) by_note = contact_with (s, "Bea Note", NULL, NULL, NULL);
  g_autoptr (RapportContact) by_email = contact_with (s, "Carl Mail", NULL, "carl@bergen.example", NULL);
  g_autoptr (RapportContact) by_org = contact_with (s, "Dora Org", "Bergmann GmbH", NULL, NULL);
  g_autoptr (RapportContact) word_in_name = contact_with (s, "Anna Berg", NULL, NULL, NULL);
  g_autoptr (RapportContact) name_starts = contact_with (s, "Berglund AB", NULL, NULL, NULL);
  g_autoptr (RapportContact) also_starts = contact_with (s, "Berg Anders", NULL, NULL, NULL);
  g_autoptr (RapportContact) trashed = contact_with (s, "Berg Trashed", NULL, NULL, NULL);
  g_autoptr (GError) error = NULL;

  g_object_unref (fx_note (s, FX_ID (by_note), NULL, "Visited the Bergkirche together", FALSE));
  g_object_unref (fx_interaction (s, FX_ID (by_summary), "call", NULL, T, "Berghain party invitation"));
  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (trashed), &error));

  assert_finds (s, "berg",
                (const char *const[]){ FX_ID (also_starts), FX_ID (name_starts), FX_ID (word_in_name),
                                       FX_ID (by_org), FX_ID (by_email), FX_ID (by_note),
                                       FX_ID (by_summary), NULL });
  /* The limit keeps the best ones. */
  {
    g_autoptr (GPtrArray) top = search (s, "berg", 3);
    g_assert_cmpuint (top->len, ==, 3);
    g_assert_cmpstr (top->pdata[2], ==, FX_ID (word_in_name));
  }
  /* Words spread over name and organization still match. */
  assert_finds (s, "dora bergmann", (const char *const[]){ FX_ID (by_org), NULL });
  /* Notes and summaries are searched for words of 3 letters or more. */
  assert_finds (s, "bergk", (const char *const[]){ FX_ID (by_note), NULL });
  assert_finds (s, "berghain", (const char *const[]){ FX_ID (by_summary), NULL });
  assert_finds (s, "invit", (const char *const[]){ FX_ID (by_summary), NULL });
  assert_finds (s, "in", (const char *const[]){ NULL });
  assert_finds (s, "inv", (const char *const[]){ FX_ID (by_summary), NULL });
  /* A contact in the Trash is found through nothing. */
  assert_finds (s, "trashed", (const char *const[]){ NULL });
}

static void
test_build_match (void)
{
  g_autofree char *plain = rapport_search_build_match ("Zoë mül");
  g_autofree char *quoted = rapport_search_build_match ("a\"b");
  g_autofree char *phone = rapport_search_build_match ("+44 20");
  g_autofree char *empty = rapport_search_build_match ("  -- ");

  g_assert_cmpstr (plain, ==, "\"Zoë\"* \"mül\"*");
  g_assert_cmpstr (quoted, ==, "\"a\"* \"b\"*");
  g_assert_cmpstr (phone, ==, "(\"4420\"*) OR (\"44\"* \"20\"*)");
  g_assert_null (empty);
  g_assert_null (rapport_search_build_match (NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/search/accents-and-prefixes", test_accents_and_prefixes);
  g_test_add_func ("/search/letters-folded-by-fts", test_letters_folded_by_fts);
  g_test_add_func ("/search/phones-any-way", test_phones_any_way);
  g_test_add_func ("/search/privacy-of-notes", test_privacy_of_notes);
  g_test_add_func ("/search/ranking", test_ranking);
  g_test_add_func ("/search/build-match", test_build_match);
  return g_test_run ();
}
