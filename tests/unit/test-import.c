/* test-import.c: importing into a real store: one transaction, duplicates, cancel, async */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "rapport-duplicates-private.h"
#include "rapport-import.h"
#include "rapport-import-private.h"
#include "rapport-journal.h"
#include "rapport-merge-contacts.h"
#include "rapport-search.h"
#include "rapport-store-private.h"
#include "test-common.h"

static RapportImportSummary *
import_path (RapportTestStore *ts, const char *path, const char *region, GError **error)
{
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  g_autoptr (GFile) file = g_file_new_for_path (path);

  options->region = g_strdup (region);
  return rapport_import_file (ts->store, file, options, NULL, NULL, NULL, error);
}

static RapportImportSummary *
import_text (RapportTestStore *ts, const char *text, const char *name, const char *region)
{
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr (GError) error = NULL;
  RapportImportSummary *summary;

  options->region = g_strdup (region);
  summary = rapport_import_bytes (ts->store, bytes, name, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return summary;
}

static const char *
fixture (const char *name)
{
  return g_test_get_filename (G_TEST_DIST, "data", name, NULL);
}

static gint64
count (RapportTestStore *ts, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (rapport_store_get_db (ts->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static RapportContact *
find (RapportTestStore *ts, const char *query)
{
  g_autoptr (GError) error = NULL;
  RapportContact *c = rapport_store_find_contact (ts->store, query, &error);

  g_assert_no_error (error);
  return c;
}

static const char *
member_at (JsonArray *array, guint i, const char *member)
{
  g_assert_nonnull (array);
  g_assert_cmpuint (i, <, json_array_get_length (array));
  return json_object_get_string_member_with_default (json_array_get_object_element (array, i),
                                                     member, NULL);
}

static GPtrArray *
notes_of (RapportTestStore *ts, RapportContact *c)
{
  g_autofree char *where = g_strdup_printf ("contact_id = '%s' AND deleted = 0 ORDER BY created_at, id",
                                            RAPPORT_RECORD (c)->id);
  return rapport_store_list (ts->store, rapport_entity_lookup ("note"), where, NULL);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* Everything in the file, table by table, rows sorted: equal strings mean
 * equal stores. */
static char *
fingerprint (RapportTestStore *ts)
{
  sqlite3 *db = rapport_store_get_db (ts->store);
  sqlite3_stmt *tables = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &tables, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"", sqlite3_column_text (tables, 0));
      g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = NULL;

      g_string_append_printf (out, "== %s\n", sqlite3_column_text (tables, 0));
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          GString *row = g_string_new (NULL);
          for (int i = 0; i < sqlite3_column_count (stmt); i++)
            {
              const void *blob = sqlite3_column_blob (stmt, i);
              int n = sqlite3_column_bytes (stmt, i);
              g_autofree char *hex = blob ? g_compute_checksum_for_data (G_CHECKSUM_SHA1, blob, n) : NULL;
              g_string_append_printf (row, "%s|", hex ? hex : "NULL");
            }
          g_ptr_array_add (rows, g_string_free (row, FALSE));
        }
      sqlite3_finalize (stmt);
      g_ptr_array_sort (rows, compare_strings);
      for (guint i = 0; i < rows->len; i++)
        g_string_append_printf (out, "%s\n", (char *) rows->pdata[i]);
    }
  sqlite3_finalize (tables);
  return g_string_free (out, FALSE);
}

static void
test_corpus_each_file (void)
{
  static const struct
  {
    const char *file;
    guint cards;
    const char *query;          /* finds one contact of the file */
    const char *name, *organization, *email, *phone, *city, *note_start;
  } cases[] = {
    { "John_Doe_ANDROID.vcf", 6, "Ñ Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ Ñ", NULL, NULL, "123456789", NULL, NULL },
    { "John_Doe_BLACK_BERRY.vcf", 1, "John Doe", "John Doe", "Acme Solutions", NULL, "+96123456789", NULL, NULL },
    { "John_Doe_EVOLUTION.vcf", 1, "john.doe@ibm.com", "Mr. John Richter, James Doe Sr.", "IBM", "john.doe@ibm.com", "905-666-1234", "Albaney", "THIS SOFTWARE" },
    { "John_Doe_GMAIL.vcf", 1, "john.doe@ibm.com", "Mr. John Richter, James Doe Sr.", "IBM", "john.doe@ibm.com", "905-555-1234", NULL, "THIS SOFTWARE" },
    { "John_Doe_LOTUS_NOTES.vcf", 1, "billy_bob@gmail.com", "Mr. Doe John I Johny", "IBM", "john.doe@ibm.com", "+1 (212) 204-34456", "New York", "THIS SOFTWARE" },
    { "John_Doe_MS_OUTLOOK.vcf", 1, "john.doe@ibm.cm", "Mr. John Richter James Doe Sr.", "IBM", "john.doe@ibm.cm", "(905) 555-1234", "Albaney", "THIS SOFTWARE" },
    { "gmail-single.vcf", 1, "gdartmouth@hotmail.com", "Greg Dartmouth", "TheCompany", "gdartmouth@hotmail.com", "555 555 1111", NULL, "This is GMail's note field." },
    { "outlook-2007.vcf", 1, "mike.angstadt@gmail.com", "Mr. Michael Angstadt Jr.", "TheCompany", "mike.angstadt@gmail.com", "(111) 555-1111", "New York", "This is the NOTE field" },
    { "rfc2426-example.vcf", 2, "howes@netscape.com", "Tim Howes", "Netscape Communications Corp.", "howes@netscape.com", "+1-415-937-3419", "Mountain View", NULL },
    { "rfc6350-example.vcf", 1, "simon.perreault@viagenie.ca", "Simon Perreault", "Viagenie", "simon.perreault@viagenie.ca", "+1-418-656-9254 ext. 102", "Quebec", NULL },
    { "thunderbird-MoreFunctionsForAddressBook-extension.vcf", 1, "doe.john@hotmail.com", "John Doe", "TheOrganization", "doe.john@hotmail.com", "555-555-1111", "New York", "This is the notes field." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
      g_autofree char *path = g_build_filename ("vcard", cases[i].file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (RapportImportSummary) summary = import_path (ts, fixture (path), "US", &error);
      g_autoptr (RapportContact) c = NULL;
      g_autoptr (GPtrArray) notes = NULL;
      g_autofree char *source = g_strdup_printf ("import: %s", cases[i].file);

      g_test_message ("%s", cases[i].file);
      g_assert_no_error (error);
      g_assert_cmpstr (summary->format, ==, "vcard");
      g_assert_cmpuint (summary->records, ==, cases[i].cards);
      g_assert_cmpuint (summary->created + summary->merged, ==, cases[i].cards);
      g_assert_cmpuint (summary->skipped, ==, 0);
      g_assert_cmpint (count (ts, "SELECT count(*) FROM contacts WHERE deleted = 0"), ==, summary->created);
      c = find (ts, cases[i].query);
      g_assert_cmpstr (c->name, ==, cases[i].name);
      g_assert_cmpstr (c->organization, ==, cases[i].organization);
      g_assert_cmpstr (c->source, ==, source);
      g_assert_cmpstr (rapport_contact_get_primary_email (c), ==, cases[i].email);
      g_assert_cmpstr (rapport_contact_get_primary_phone (c), ==, cases[i].phone);
      if (cases[i].city)
        g_assert_cmpstr (member_at (c->addresses, 0, "city"), ==, cases[i].city);
      notes = notes_of (ts, c);
      if (cases[i].note_start)
        {
          g_assert_cmpuint (notes->len, ==, 1);
          g_assert_true (g_str_has_prefix (RAPPORT_NOTE (notes->pdata[0])->body, cases[i].note_start));
        }
      else
        g_assert_cmpuint (notes->len, ==, 0);
    }
}

static void
test_corpus_one_store (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GDir) dir = g_dir_open (g_test_get_filename (G_TEST_DIST, "data", "vcard", NULL), 0, NULL);
  g_autoptr (RapportContact) john = NULL;
  const char *name;
  guint created = 0, merged = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("vcard", name, NULL);
      g_autoptr (RapportImportSummary) summary = NULL;
      g_autoptr (GError) error = NULL;

      if (!g_str_has_suffix (name, ".vcf"))
        continue;
      summary = import_path (ts, fixture (path), "US", &error);
      g_assert_no_error (error);
      created += summary->created;
      merged += summary->merged;
    }
  /* Evolution's and Gmail's John Doe share john.doe@ibm.com (and Lotus
   * Notes' too): one contact, with the phones and emails of all. */
  john = find (ts, "john.doe@ibm.com");
  g_assert_cmpuint (json_array_get_length (john->emails), >=, 2);
  g_assert_cmpint (count (ts, "SELECT count(*) FROM contacts WHERE deleted = 0"), ==, created);
  g_assert_cmpuint (merged, >=, 2);
}

static void
test_same_file_twice (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportImportSummary) first = NULL;
  g_autoptr (RapportImportSummary) second = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  first = import_path (ts, fixture ("google.csv"), "GB", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->created, ==, 4);
  g_assert_cmpuint (first->notes, ==, 1);
  before = fingerprint (ts);

  second = import_path (ts, fixture ("google.csv"), "GB", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->records, ==, 4);
  g_assert_cmpuint (second->created, ==, 0);
  g_assert_cmpuint (second->merged, ==, 4);
  g_assert_cmpuint (second->notes, ==, 0);
  after = fingerprint (ts);
  /* Nothing new at all: no contact, note, or journal entry. */
  g_assert_true (g_str_equal (before, after));
}

static void
test_duplicate_by_phone (void)
{
  g_autoptr (RapportTestStore) gb = rapport_test_store_new ();
  g_autoptr (RapportTestStore) us = rapport_test_store_new ();
  g_autoptr (RapportImportSummary) summary = NULL;
  g_autoptr (RapportContact) bob = rapport_contact_new ();
  g_autoptr (RapportContact) again = NULL;
  g_autoptr (GError) error = NULL;
  const char *csv = "name,mobile,job title\nRobert Smith,020 7946 0018,Buyer\n";

  bob->name = g_strdup ("Bob Smith");
  rapport_contact_add_phone (bob, "work", "+44 20 7946 0018");
  g_assert_true (rapport_store_save (gb->store, RAPPORT_RECORD (bob), &error));
  g_clear_object (&bob);
  bob = rapport_contact_new ();
  bob->name = g_strdup ("Bob Smith");
  rapport_contact_add_phone (bob, "work", "+44 20 7946 0018");
  g_assert_true (rapport_store_save (us->store, RAPPORT_RECORD (bob), &error));

  /* In the UK, 020 7946 0018 is +44 20 7946 0018: the same person. */
  summary = import_text (gb, csv, "people.csv", "GB");
  g_assert_cmpuint (summary->merged, ==, 1);
  g_assert_cmpuint (summary->created, ==, 0);
  again = find (gb, "Bob Smith");
  g_assert_cmpuint (json_array_get_length (again->phones), ==, 1);
  g_assert_cmpstr (again->job_title, ==, "Buyer");   /* an empty field is filled */
  g_clear_pointer (&summary, rapport_import_summary_free);

  /* Read in the US, 020 7946 0018 is another number. */
  summary = import_text (us, csv, "people.csv", "US");
  g_assert_cmpuint (summary->created, ==, 1);
  g_assert_cmpuint (summary->merged, ==, 0);
}

/* Into an empty store, the rows of one file are matched with each other
 * by the keys the parsing thread made for them. */
static void
test_duplicates_within_file (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportImportSummary) summary = NULL;
  g_autoptr (RapportContact) ann = NULL;
  const char *csv = "name,mobile,email\n"
                    "Ann Lee,+44 20 7946 0018,ann@example.org\n"
                    "Ann B. Lee,020 7946 0018,\n"           /* the same number, national form */
                    "A. Lee,,ANN@Example.org\n"             /* the same email, another case */
                    "Ben Lee,+44 20 7946 0099,ben@example.org\n";

  summary = import_text (ts, csv, "people.csv", "GB");
  g_assert_cmpuint (summary->records, ==, 4);
  g_assert_cmpuint (summary->created, ==, 2);
  g_assert_cmpuint (summary->merged, ==, 2);
  ann = find (ts, "Ann Lee");
  g_assert_nonnull (ann);
  g_assert_cmpuint (json_array_get_length (ann->phones), ==, 1);
  g_assert_cmpuint (json_array_get_length (ann->emails), ==, 1);
}

static RapportContact *
contact_with_email (const char *id, const char *email)
{
  RapportContact *contact = rapport_contact_new ();

  RAPPORT_RECORD (contact)->id = g_strdup (id);
  contact->name = g_strdup (id ? id : "someone");
  rapport_contact_add_email (contact, "work", email);
  return contact;
}

/* Keys made ahead (rapport_duplicate_finder_make_keys()) find what the
 * finder's own keys find, every contact added under one key included. */
static void
test_duplicate_keys_made_ahead (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportDuplicateFinder) finder = rapport_duplicate_finder_new (ts->store, "GB");
  g_autoptr (RapportContact) a = contact_with_email ("id-a", "shared@example.org");
  g_autoptr (RapportContact) c = contact_with_email ("id-c", "shared@example.org");
  g_autoptr (RapportContact) d = contact_with_email (NULL, "SHARED@example.org");
  g_autoptr (GPtrArray) ahead = NULL;
  g_autoptr (GPtrArray) own = NULL;
  g_autoptr (GError) error = NULL;
  RapportDuplicateKeys *keys;

  g_assert_true (rapport_duplicate_finder_set_sole_writer (finder, &error));
  g_assert_no_error (error);
  rapport_duplicate_finder_add (finder, a);
  rapport_duplicate_finder_add (finder, c);
  rapport_duplicate_finder_add (finder, a);   /* once is enough */

  keys = rapport_duplicate_finder_make_keys (finder, d, NULL);
  ahead = rapport_duplicate_finder_find_keys (finder, d, keys, NULL, &error);
  g_assert_no_error (error);
  rapport_duplicate_keys_free (keys);
  own = rapport_duplicate_finder_find (finder, d, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ahead->len, ==, 2);
  g_assert_cmpstr (ahead->pdata[0], ==, "id-a");
  g_assert_cmpstr (ahead->pdata[1], ==, "id-c");
  g_assert_cmpuint (own->len, ==, ahead->len);
  for (guint i = 0; i < own->len; i++)
    g_assert_cmpstr (own->pdata[i], ==, ahead->pdata[i]);
}

static void
test_duplicate_by_name_and_email (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportImportSummary) summary = NULL;
  g_autoptr (RapportContact) zoe = rapport_contact_new ();
  g_autoptr (RapportContact) merged = NULL;
  g_autoptr (GError) error = NULL;
  char *tags[] = { "vip", NULL };

  zoe->name = g_strdup ("Zoë Müller");
  zoe->organization = g_strdup ("Acme");
  zoe->tags = g_strdupv (tags);
  rapport_contact_add_email (zoe, "work", "Zoe@Acme.example");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (zoe), &error));

  summary = import_text (ts,
                         "name,organization,email,tags\n"
                         "zoe muller,ACME,,berlin\n"               /* name + organization */
                         "Z. Müller,Other,zoe@acme.EXAMPLE,\n"      /* email, any case */
                         "Zoë Müller,Globex,zm@globex.example,\n",  /* same name, other company */
                         "people.csv", "GB");
  g_assert_cmpuint (summary->merged, ==, 2);
  g_assert_cmpuint (summary->created, ==, 1);
  merged = rapport_store_get_contact (ts->store, RAPPORT_RECORD (zoe)->id, &error);
  g_assert_cmpstr (merged->name, ==, "Zoë Müller");
  g_assert_true (rapport_contact_has_tag (merged, "vip"));
  g_assert_true (rapport_contact_has_tag (merged, "berlin"));
  g_assert_cmpuint (json_array_get_length (merged->emails), ==, 1);
}

typedef struct
{
  GCancellable *cancellable;
  guint calls;
  double last;
} ProgressState;

static void
cancel_halfway_cb (double fraction, gpointer user_data)
{
  ProgressState *state = user_data;

  g_assert_cmpfloat (fraction, >=, state->last);
  state->last = fraction;
  state->calls++;
  if (fraction > 0.5)
    g_cancellable_cancel (state->cancellable);
}

static void
test_cancel_leaves_store_unchanged (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportImportSummary) first = NULL;
  g_autoptr (RapportImportSummary) summary = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GString) csv = g_string_new ("name,email,phone,notes\n");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  ProgressState state = { cancellable, 0, 0 };

  first = import_path (ts, fixture ("google.csv"), "GB", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (csv, "Person %u,person%u@example.org,+44 20 7000 %04u,Note %u\n", i, i, i, i);
  bytes = g_string_free_to_bytes (g_steal_pointer (&csv));
  before = fingerprint (ts);

  summary = rapport_import_bytes (ts->store, bytes, "people.csv", NULL, cancellable,
                                  cancel_halfway_cb, &state, &error);
  g_assert_null (summary);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (state.calls, >, 10);
  after = fingerprint (ts);
  g_assert_true (g_str_equal (before, after));

  /* And the store works on: the same import, not cancelled, goes through. */
  g_clear_error (&error);
  summary = rapport_import_bytes (ts->store, bytes, "people.csv", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->created, ==, 3000);
  g_assert_cmpint (count (ts, "SELECT count(*) FROM contacts"), ==, 3004);
}

static RapportImportSummary *
import_from_pipe (RapportTestStore *ts, guint rows, goffset max_size, GError **error)
{
  g_autofree char *path = g_build_filename (ts->dir, "pipe", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  RapportTestFeeder feeder = { path, rows };
  RapportImportSummary *summary;
  GThread *writer;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  writer = g_thread_new ("feeder", rapport_test_feed_pipe, &feeder);
  options->max_size = max_size;
  summary = rapport_import_file (ts->store, file, options, NULL, NULL, NULL, error);
  g_thread_join (writer);
  g_unlink (path);
  return summary;
}

/* A device or a pipe has no size to check before reading: it is read up
 * to the limit, and refused as soon as it shows binary data or passes it,
 * never read without end (/dev/zero). A pipe of CSV ("/dev/stdin") is
 * imported like a file. */
static void
test_files_without_size (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportImportSummary) piped = NULL;
  RapportImportSummary *summary;

  /* The pipe's writer sees the reader go away. */
  signal (SIGPIPE, SIG_IGN);

  summary = import_path (ts, "/dev/zero", NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "binary"));
  g_clear_error (&error);

  /* About 3.6 MB of rows through a limit of 1 MB. */
  summary = import_from_pipe (ts, 100000, 1024 * 1024, &error);
  g_assert_null (summary);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "too big"));
  g_clear_error (&error);
  g_assert_cmpint (count (ts, "SELECT count(*) FROM contacts"), ==, 0);

  piped = import_from_pipe (ts, 2000, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (piped->created, ==, 2000);
  g_assert_cmpint (count (ts, "SELECT count(*) FROM contacts WHERE name = 'Piped Person 1999'"), ==, 1);
}

static void
test_refused_files (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  g_autoptr (GFile) big = g_file_new_for_path (fixture ("google.csv"));
  g_autoptr (GFile) folder = g_file_new_for_path (ts->dir);
  g_autoptr (GError) error = NULL;
  RapportImportSummary *summary;

  summary = import_path (ts, fixture ("binary.csv"), NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "binary"));
  g_clear_error (&error);

  options->max_size = 1024;
  summary = rapport_import_file (ts->store, big, options, NULL, NULL, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "too big"));
  g_clear_error (&error);

  summary = rapport_import_file (ts->store, folder, NULL, NULL, NULL, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_clear_error (&error);

  summary = import_path (ts, "/nonexistent/contacts.csv", NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO);
  g_assert_cmpint (count (ts, "SELECT count(*) FROM contacts"), ==, 0);
}

static void
test_malformed_summary (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportImportSummary) summary = import_path (ts, fixture ("malformed.csv"), "GB", &error);
  g_autoptr (JsonNode) json = NULL;
  JsonArray *issues;

  g_assert_no_error (error);
  g_assert_cmpuint (summary->created, ==, 4);
  g_assert_cmpuint (summary->skipped, ==, 4);
  json = rapport_import_summary_to_json (summary);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json), "created"), ==, 4);
  issues = json_object_get_array_member (json_node_get_object (json), "issues");
  g_assert_cmpuint (json_array_get_length (issues), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (issues, 2), "line"), ==, 5);
  g_assert_cmpint (count (ts, "SELECT count(*) FROM contacts"), ==, 4);
}

typedef struct
{
  RapportImportSummary *summary;
  GError *error;
  gboolean done;
  guint progress_calls;
  guint changed;
  GThread *main_thread;
  gint task_gone;
} AsyncState;

/* The task may go on the worker thread, once its function returns. */
static void
task_gone_cb (gpointer user_data, GObject *where_the_task_was)
{
  AsyncState *state = user_data;

  g_atomic_int_set (&state->task_gone, TRUE);
  g_main_context_wakeup (NULL);
}

static void
async_progress_cb (double fraction, gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_false (state->done);
  state->progress_calls++;
}

static void
async_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncState *state = user_data;

  state->summary = rapport_import_file_finish (RAPPORT_STORE (source), result, &state->error);
  state->done = TRUE;
  g_object_weak_ref (G_OBJECT (result), task_gone_cb, state);
}

static void
changed_cb (RapportStore *store, const char *entity, const char *id, gpointer user_data)
{
  AsyncState *state = user_data;

  if (g_strcmp0 (entity, "contact") == 0)
    state->changed++;
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("the asynchronous import did not finish in time");
  return G_SOURCE_REMOVE;
}

/* An import is durable and seen at once, but leaves copying what it wrote
 * into the file to later (rapport_store_checkpoint()): here even though
 * this connection checkpoints at every commit. */
static void
test_checkpoint_deferred (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportImportSummary) summary = NULL;
  g_autoptr (RapportStore) other = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  g_autoptr (GFile) file = g_file_new_for_path (fixture ("google.csv"));
  g_autofree char *before = NULL;
  g_autofree char *imported = NULL;
  g_autofree char *after = NULL;

  options->mapping = g_strdup ("google");
  g_assert_true (rapport_store_exec (ts->store, "PRAGMA wal_autocheckpoint = 1", &error));
  g_assert_true (rapport_store_checkpoint (ts->store, &error));
  before = rapport_test_store_file_digest (ts->store);
  summary = rapport_import_file (ts->store, file, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->created, ==, 4);
  imported = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (imported, ==, before);
  other = rapport_store_open_connection (ts->store, &error);
  g_assert_no_error (error);
  contacts = rapport_store_list (other, rapport_entity_lookup ("contact"), "deleted = 0", NULL);
  g_assert_cmpuint (contacts->len, ==, 4);
  g_assert_true (rapport_store_checkpoint (ts->store, &error));
  after = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (after, !=, before);
}

static void
test_async (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  g_autoptr (GFile) file = g_file_new_for_path (fixture ("google.csv"));
  g_autoptr (GPtrArray) contacts = NULL;
  AsyncState state = { NULL, NULL, FALSE, 0, 0, g_thread_self (), FALSE };
  guint timeout;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  options->mapping = g_strdup ("google");
  options->region = g_strdup ("GB");
  g_signal_connect (ts->store, "changed", G_CALLBACK (changed_cb), &state);
  g_assert_true (rapport_store_checkpoint (ts->store, NULL));
  before = rapport_test_store_file_digest (ts->store);
  rapport_import_file_async (ts->store, file, NULL, options, NULL, async_progress_cb, &state,
                             async_done_cb, &state);
  timeout = g_timeout_add_seconds (60, timeout_cb, NULL);
  while (!state.done || !g_atomic_int_get (&state.task_gone))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  /* Its thread copied what it wrote into the file once it had reported
   * (the import defers its checkpoint; too little was written for a
   * commit to copy it anyway). */
  after = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (after, !=, before);

  g_assert_no_error (state.error);
  g_assert_cmpuint (state.summary->created, ==, 4);
  g_assert_cmpuint (state.changed, >=, 1);
  contacts = rapport_store_list (ts->store, rapport_entity_lookup ("contact"), "deleted = 0", NULL);
  g_assert_cmpuint (contacts->len, ==, 4);
  /* The clock of this store moved past the stamps the import wrote. */
  {
    g_autoptr (RapportContact) c = rapport_contact_new ();
    g_autoptr (GPtrArray) pending = NULL;
    RapportChange *last;
    c->name = g_strdup ("After the import");
    g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), NULL));
    pending = rapport_store_pending_changes (ts->store, 1000, NULL);
    last = pending->pdata[pending->len - 1];
    for (guint i = 0; i + 1 < pending->len; i++)
      g_assert_cmpint (g_strcmp0 (((RapportChange *) pending->pdata[i])->stamp, last->stamp), <, 0);
  }
  rapport_import_summary_free (state.summary);
}

/* The import is reported before its checkpoint, which a reader of the
 * snapshot before the import keeps from copying what the import wrote: it
 * tries again until that reader is done, so that the window's next commit,
 * on the main thread, has nothing left to copy. */
static void
test_async_checkpoint_after_reader (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  g_autoptr (GFile) file = g_file_new_for_path (fixture ("google.csv"));
  g_autoptr (RapportStore) reader = NULL;
  g_autoptr (GError) error = NULL;
  AsyncState state = { NULL, NULL, FALSE, 0, 0, g_thread_self (), FALSE };
  sqlite3 *db;
  guint timeout;
  g_autofree char *before = NULL;
  g_autofree char *reported = NULL;
  g_autofree char *imported = NULL;
  g_autofree char *checkpointed = NULL;

  options->mapping = g_strdup ("google");
  g_assert_true (rapport_store_checkpoint (ts->store, NULL));
  before = rapport_test_store_file_digest (ts->store);
  reader = rapport_store_open_connection (ts->store, &error);
  g_assert_no_error (error);
  db = rapport_store_get_db (reader);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN; SELECT count(*) FROM contacts", NULL, NULL, NULL), ==, SQLITE_OK);

  rapport_import_file_async (ts->store, file, NULL, options, NULL, NULL, NULL, async_done_cb, &state);
  timeout = g_timeout_add_seconds (60, timeout_cb, NULL);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.summary->created, ==, 4);
  /* Reported while the reader still reads the store as it was: nothing
   * could be copied yet. */
  reported = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (reported, ==, before);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  while (!g_atomic_int_get (&state.task_gone))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  /* The import's checkpoint went on once the reader was done, and left
   * nothing in the log. */
  imported = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (imported, !=, before);
  g_assert_true (rapport_store_checkpoint (ts->store, &error));
  g_assert_no_error (error);
  checkpointed = rapport_test_store_file_digest (ts->store);
  g_assert_cmpstr (checkpointed, ==, imported);
  rapport_import_summary_free (state.summary);
}

static void
add_timeline (RapportTestStore *ts, const char *contact_id, const char *summary)
{
  g_autoptr (RapportInteraction) call = rapport_interaction_new ();
  g_autoptr (RapportNote) note = rapport_note_new ();

  call->contact_id = g_strdup (contact_id);
  call->kind = g_strdup ("call");
  call->summary = g_strdup (summary);
  call->occurred_at = ts->now - 3600;
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (call), NULL));
  note->contact_id = g_strdup (contact_id);
  note->body = g_strdup (summary);
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (note), NULL));
}

static void
test_find_merge_undo (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) a = rapport_contact_new ();
  g_autoptr (RapportContact) b = rapport_contact_new ();
  g_autoptr (RapportContact) c = rapport_contact_new ();
  g_autoptr (RapportContact) kept = NULL;
  g_autoptr (RapportContact) other = NULL;
  g_autoptr (GPtrArray) pairs = NULL;
  g_autoptr (GPtrArray) timeline = NULL;
  g_autoptr (RapportContactMerge) merge = NULL;
  g_autoptr (GError) error = NULL;
  const char *from_other[] = { "job_title", NULL };
  const char *bad[] = { "colour", NULL };
  char *tags_a[] = { "vip", NULL };
  char *tags_b[] = { "london", NULL };
  RapportDuplicatePair *pair;
  gint64 pending;

  a->name = g_strdup ("Bob Smith");
  a->job_title = g_strdup ("Buyer");
  a->tags = g_strdupv (tags_a);
  rapport_contact_add_phone (a, "work", "+44 20 7946 0018");
  b->name = g_strdup ("Robert Smith");
  b->job_title = g_strdup ("Head of Purchasing");
  b->organization = g_strdup ("Acme");
  b->tags = g_strdupv (tags_b);
  rapport_contact_add_phone (b, "mobile", "020 7946 0018");
  rapport_contact_add_email (b, "work", "bob@acme.example");
  c->name = g_strdup ("Carol Jones");
  rapport_contact_add_phone (c, "work", "+44 20 7946 0999");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (a), NULL));
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (b), NULL));
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), NULL));
  add_timeline (ts, RAPPORT_RECORD (a)->id, "Called Bob");
  add_timeline (ts, RAPPORT_RECORD (b)->id, "Met Robert");

  pairs = rapport_store_list_duplicate_pairs (ts->store, "GB", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pairs->len, ==, 1);
  pair = pairs->pdata[0];
  g_assert_cmpstr (pair->reason, ==, "phone");
  g_assert_true ((g_str_equal (pair->first_id, RAPPORT_RECORD (a)->id) && g_str_equal (pair->second_id, RAPPORT_RECORD (b)->id))
                 || (g_str_equal (pair->first_id, RAPPORT_RECORD (b)->id) && g_str_equal (pair->second_id, RAPPORT_RECORD (a)->id)));

  g_assert_null (rapport_store_merge_contacts (ts->store, RAPPORT_RECORD (a)->id, RAPPORT_RECORD (b)->id,
                                               bad, "GB", &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_clear_error (&error);

  pending = rapport_store_count_pending (ts->store);
  merge = rapport_store_merge_contacts (ts->store, RAPPORT_RECORD (a)->id, RAPPORT_RECORD (b)->id,
                                        from_other, "GB", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rapport_store_count_pending (ts->store), >, pending);   /* journaled: it syncs */
  kept = rapport_store_get_contact (ts->store, RAPPORT_RECORD (a)->id, NULL);
  g_assert_cmpstr (kept->name, ==, "Bob Smith");                  /* kept's own value */
  g_assert_cmpstr (kept->job_title, ==, "Head of Purchasing");    /* chosen from the other */
  g_assert_cmpstr (kept->organization, ==, "Acme");               /* empty, filled */
  g_assert_cmpuint (json_array_get_length (kept->phones), ==, 1); /* one number, two forms */
  g_assert_cmpstr (rapport_contact_get_primary_email (kept), ==, "bob@acme.example");
  g_assert_true (rapport_contact_has_tag (kept, "vip") && rapport_contact_has_tag (kept, "london"));
  timeline = rapport_store_timeline (ts->store, RAPPORT_RECORD (a)->id, NULL);
  g_assert_cmpuint (timeline->len, ==, 4);
  other = rapport_store_get_contact (ts->store, RAPPORT_RECORD (b)->id, NULL);
  g_assert_true (RAPPORT_RECORD (other)->deleted);
  g_clear_pointer (&timeline, g_ptr_array_unref);
  g_clear_pointer (&pairs, g_ptr_array_unref);
  pairs = rapport_store_list_duplicate_pairs (ts->store, "GB", NULL, NULL);
  g_assert_cmpuint (pairs->len, ==, 0);

  g_assert_true (rapport_store_undo_merge (ts->store, merge, &error));
  g_assert_no_error (error);
  g_clear_object (&kept);
  g_clear_object (&other);
  kept = rapport_store_get_contact (ts->store, RAPPORT_RECORD (a)->id, NULL);
  other = rapport_store_get_contact (ts->store, RAPPORT_RECORD (b)->id, NULL);
  g_assert_false (RAPPORT_RECORD (other)->deleted);
  g_assert_cmpstr (kept->job_title, ==, "Buyer");
  g_assert_null (kept->organization);
  g_assert_false (rapport_contact_has_tag (kept, "london"));
  g_assert_null (rapport_contact_get_primary_email (kept));
  timeline = rapport_store_timeline (ts->store, RAPPORT_RECORD (a)->id, NULL);
  g_assert_cmpuint (timeline->len, ==, 2);
  g_clear_pointer (&timeline, g_ptr_array_unref);
  timeline = rapport_store_timeline (ts->store, RAPPORT_RECORD (b)->id, NULL);
  g_assert_cmpuint (timeline->len, ==, 2);
}

static char *
row_text (RapportTestStore *ts, const char *sql, const char *id)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (rapport_store_get_db (ts->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, i) ? (const char *) sqlite3_column_text (stmt, i) : "NULL");
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

/* The bulk path for new contacts leaves what rapport_store_save() leaves:
 * the same rows, sort keys, full-text rows (phone forms included), tags,
 * duplicate keys, stamps and journal entries. */
static void
test_bulk_equals_save (void)
{
  const char *csv =
    "name,organization,email,phone,mobile,tags,notes\n"
    "Zoë Müller,Acme,zoe@acme.example,+44 20 7946 0018,+44 7700 900123,vip;berlin,Met at the fair\n"
    "Ann Arbor,,ann@example.com ; ann2@example.com,+1 415 555 0100,+1 415 555 0101 ext. 12,,\n"
    "Élodie Brun,Société Générale,elodie@sg.example,+33 6 12 34 56 78,+33 1 23 45 67 89,client,\n"
    "Hans Schmidt,,hans@example.de,+49 30 1234567,+49 30 1234568,,\n"
    "Giulia Rossi,,giulia@example.it,+39 06 1234 5678,+39 06 1234 5679,,\n"
    "Ivan Petrov,,ivan@example.ru,+7 495 123-45-67,+7 495 123-45-68,,\n"
    "Kata Nagy,,kata@example.hu,+36 1 234 5678,+36 1 234 5679,,\n"
    "Lee Local,,,020 7946 0020,+44 (0)20 7946 0019,,\n"
    "Acme,Acme,,,,,\n"
    "Zoe Müller,Acme,zoe@acme.example,,+44 7700 900124,london,Second note\n";
  g_autoptr (RapportTestStore) bulk = rapport_test_store_new ();
  g_autoptr (RapportTestStore) save = rapport_test_store_new ();
  g_autoptr (RapportImportSummary) a = NULL;
  g_autoptr (RapportImportSummary) b = NULL;
  g_autoptr (GPtrArray) contacts = NULL;

  a = import_text (bulk, csv, "people.csv", "GB");
  rapport_import_set_bulk_insert (FALSE);
  b = import_text (save, csv, "people.csv", "GB");
  rapport_import_set_bulk_insert (TRUE);
  g_assert_cmpuint (a->created, ==, 9);
  g_assert_cmpuint (a->merged, ==, 1);
  g_assert_cmpuint (b->created, ==, 9);

  contacts = rapport_store_list (bulk->store, rapport_entity_lookup ("contact"), NULL, NULL);
  g_assert_cmpuint (contacts->len, ==, 9);
  for (guint i = 0; i < contacts->len; i++)
    {
      RapportContact *c = contacts->pdata[i];
      const char *id_a = RAPPORT_RECORD (c)->id;
      g_autoptr (RapportContact) d = find (save, rapport_contact_get_primary_email (c) ? rapport_contact_get_primary_email (c) : c->name);
      const char *id_b = RAPPORT_RECORD (d)->id;
      g_autoptr (JsonObject) ja = rapport_record_to_json (RAPPORT_RECORD (c));
      g_autoptr (JsonObject) jb = rapport_record_to_json (RAPPORT_RECORD (d));
      g_autoptr (JsonNode) na = json_node_init_object (json_node_alloc (), ja);
      g_autoptr (JsonNode) nb = json_node_init_object (json_node_alloc (), jb);
      static const char *const queries[] = {
        "SELECT sort_key, last_interaction_at, field_stamps IS NULL, length (stamp) FROM contacts WHERE id = ?",
        "SELECT f.name, f.organization, f.emails, f.phones, f.tags FROM contacts_fts f JOIN contacts c ON c.rowid = f.rowid WHERE c.id = ?",
        "SELECT kind, value FROM contact_keys WHERE contact_id = ? ORDER BY kind, value",
        "SELECT tag FROM contact_tags WHERE contact_id = ? ORDER BY tag",
        "SELECT entity, fields FROM journal WHERE record_id = ? ORDER BY seq",
      };

      g_test_message ("%s", c->name);
      g_assert_true (json_node_equal (na, nb));
      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          g_autofree char *x = row_text (bulk, queries[q], id_a);
          g_autofree char *y = row_text (save, queries[q], id_b);
          g_assert_cmpstr (x, ==, y);
          if (q != 2 && q != 3)
            g_assert_cmpstr (x, !=, "");
        }
    }
}

/* A file large enough for the bulk path's load mode (the contacts'
 * secondary indexes, and those of the keys and tags, dropped and built
 * again; foreign keys off; the file parsed on a thread of its own), with
 * duplicates merged along the way: the same contacts, keys, tags, full-text
 * rows and journal as rapport_store_save() leaves, every index back, the
 * file sound and foreign keys on again. */
static void
test_bulk_load_equals_save (void)
{
  static const char *const given[] = { "Ada", "Zoë", "José", "Bjørn", "Chen", "Léa", "Hiro" };
  static const char *const family[] = { "Lovelace", "Müller", "García", "Økland", "Wei", "Durand" };
  static const char *const queries[] = {
    "SELECT name, organization, emails, phones, tags, sort_key, source, owner, created_by, created_at, "
    "deleted, addresses FROM contacts ORDER BY sort_key, emails",
    "SELECT k.kind, k.value, c.emails FROM contact_keys k JOIN contacts c ON c.id = k.contact_id ORDER BY 1, 2, 3",
    "SELECT t.tag, c.emails FROM contact_tags t JOIN contacts c ON c.id = t.contact_id ORDER BY 1, 2",
    "SELECT f.name, f.organization, f.emails, f.phones, f.tags FROM contacts_fts f "
    "JOIN contacts c ON c.rowid = f.rowid ORDER BY c.emails",
    "SELECT count(*) FROM contacts_fts",
    "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'sorensen OR bjo* OR 0207946*'",
    "SELECT j.entity, json_remove (j.fields, '$.created_at'), c.emails FROM journal j "
    "JOIN contacts c ON c.id = j.record_id ORDER BY 3, 2",
    /* The journal's text byte for byte, after the creation time. */
    "SELECT substr (j.fields, instr (j.fields, ',\"deleted\":')), c.emails FROM journal j "
    "JOIN contacts c ON c.id = j.record_id ORDER BY 2, 1",
    "SELECT kind, given_name, family_name, organization_id, job_title, relationship, stage, social, "
    "birthday, preferred_channel, do_not_contact, marketing_consent, cadence_days, last_interaction_at, "
    "deleted_at, field_stamps IS NULL, typeof (tags), typeof (cadence_days), typeof (deleted_at) FROM contacts "
    "ORDER BY sort_key, emails",
    "SELECT k, v FROM contacts_fts_config ORDER BY k",
    "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name",
    "PRAGMA integrity_check",
    "PRAGMA foreign_keys",
    "PRAGMA foreign_key_check",
  };
  g_autoptr (GString) csv = g_string_new ("First Name,Last Name,Email,Phone,Company,Tags,Notes\n");
  g_autoptr (RapportTestStore) bulk = rapport_test_store_new ();
  g_autoptr (RapportTestStore) save = rapport_test_store_new ();
  g_autoptr (RapportImportSummary) a = NULL;
  g_autoptr (RapportImportSummary) b = NULL;

  for (guint i = 0; i < 1500; i++)
    {
      /* Every 50th row is an earlier person again, with a new phone. */
      guint who = i % 50 == 49 ? i - 30 : i;
      g_string_append_printf (csv, "%s,%s %u,%s.%u@example%u.org,+44 20 7946 %04u,\"Company %u, Ltd\","
                                   "%s,%s\n",
                              given[who % G_N_ELEMENTS (given)], family[who % G_N_ELEMENTS (family)], who,
                              given[who % G_N_ELEMENTS (given)], who, who % 7, i, who % 40,
                              who % 3 ? "vip;partner" : "newsletter", i % 10 == 0 ? "Met at the fair" : "");
    }
  g_string_append (csv, "Sørensen,,,,,,\n");
  g_string_append (csv, "\"Quote \"\"Q\"\" \\ \x7f\",Back\\slash\t,q@example.org,,,\"a\"\"b\",\n");
  g_assert_cmpuint (csv->len / 128, >=, 1000);

  a = import_text (bulk, csv->str, "people.csv", "GB");
  rapport_import_set_bulk_insert (FALSE);
  b = import_text (save, csv->str, "people.csv", "GB");
  rapport_import_set_bulk_insert (TRUE);
  g_assert_cmpuint (a->created, ==, 1472);
  g_assert_cmpuint (a->merged, ==, 30);
  g_assert_cmpuint (b->created, ==, a->created);
  g_assert_cmpuint (b->merged, ==, a->merged);
  g_assert_cmpuint (a->notes, ==, b->notes);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autofree char *x = row_text (bulk, queries[q], NULL);
      g_autofree char *y = row_text (save, queries[q], NULL);

      g_test_message ("%s", queries[q]);
      g_assert_cmpstr (x, ==, y);
    }
  g_assert_cmpint (count (bulk, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'sorensen'"), ==, 1);
  g_assert_cmpint (count (bulk, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'contacts' "
                                "AND sql IS NOT NULL"), >=, 5);
  g_assert_cmpint (count (bulk, "PRAGMA foreign_keys"), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/import/corpus/each-file", test_corpus_each_file);
  g_test_add_func ("/import/corpus/one-store", test_corpus_one_store);
  g_test_add_func ("/import/same-file-twice", test_same_file_twice);
  g_test_add_func ("/import/duplicate-by-phone", test_duplicate_by_phone);
  g_test_add_func ("/import/duplicate-by-name-and-email", test_duplicate_by_name_and_email);
  g_test_add_func ("/import/duplicates-within-file", test_duplicates_within_file);
  g_test_add_func ("/import/duplicate-keys-made-ahead", test_duplicate_keys_made_ahead);
  g_test_add_func ("/import/cancel-leaves-store-unchanged", test_cancel_leaves_store_unchanged);
  g_test_add_func ("/import/refused-files", test_refused_files);
  g_test_add_func ("/import/files-without-size", test_files_without_size);
  g_test_add_func ("/import/malformed-summary", test_malformed_summary);
  g_test_add_func ("/import/async", test_async);
  g_test_add_func ("/import/checkpoint-deferred", test_checkpoint_deferred);
  g_test_add_func ("/import/async-checkpoint-after-reader", test_async_checkpoint_after_reader);
  g_test_add_func ("/import/find-merge-undo", test_find_merge_undo);
  g_test_add_func ("/import/bulk-equals-save", test_bulk_equals_save);
  g_test_add_func ("/import/bulk-load-equals-save", test_bulk_load_equals_save);
  return g_test_run ();
}
