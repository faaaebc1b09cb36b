/* test-duplicates.c: finding likely duplicates before a contact is saved */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>

#include "rapport-duplicates.h"
#include "rapport-import.h"
#include "rapport-merge-contacts.h"
#include "test-common.h"

static char *
save_contact (RapportStore *store, const char *name, const char *organization,
              const char *email, const char *phone)
{
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;

  contact->name = g_strdup (name);
  contact->organization = g_strdup (organization);
  if (email != NULL)
    rapport_contact_add_email (contact, "work", email);
  if (phone != NULL)
    rapport_contact_add_phone (contact, "work", phone);
  rapport_store_save (store, RAPPORT_RECORD (contact), &error);
  g_assert_no_error (error);
  return g_strdup (RAPPORT_RECORD (contact)->id);
}

/* National phone numbers are read in this region. */
static const char *region = "GB";

static GPtrArray *
find (RapportStore *store, const char *name, const char *organization, const char *email,
      const char *phone, const char *id)
{
  g_autoptr (RapportContact) probe = rapport_contact_new ();
  g_autoptr (GError) error = NULL;
  GPtrArray *ids;

  RAPPORT_RECORD (probe)->id = g_strdup (id);
  probe->name = g_strdup (name);
  probe->organization = g_strdup (organization);
  if (email != NULL)
    rapport_contact_add_email (probe, "work", email);
  if (phone != NULL)
    rapport_contact_add_phone (probe, "work", phone);
  ids = rapport_store_find_duplicates (store, probe, region, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);
  return ids;
}

static void
test_by_email (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *id = save_contact (ts->store, "Marta Silva", NULL, "Marta@Example.org", NULL);
  g_autoptr (GPtrArray) same = find (ts->store, "M. S.", NULL, "marta@example.ORG", NULL, NULL);
  g_autoptr (GPtrArray) other = find (ts->store, "M. S.", NULL, "marta@example.net", NULL, NULL);

  g_assert_cmpuint (same->len, ==, 1);
  g_assert_cmpstr (same->pdata[0], ==, id);
  g_assert_cmpuint (other->len, ==, 0);
}

static void
test_by_phone_in_any_form (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *id = save_contact (ts->store, "Oliver Hart", NULL, NULL, "+44 20 7946 0018");
  g_autoptr (GPtrArray) national = find (ts->store, "O. H.", NULL, NULL, "020 7946 0018", NULL);
  g_autoptr (GPtrArray) spaced = find (ts->store, "O. H.", NULL, NULL, "(0)20-7946-0018", NULL);
  g_autoptr (GPtrArray) other = find (ts->store, "O. H.", NULL, NULL, "020 7946 0019", NULL);

  g_assert_cmpuint (national->len, ==, 1);
  g_assert_cmpstr (national->pdata[0], ==, id);
  g_assert_cmpuint (spaced->len, ==, 1);
  g_assert_cmpuint (other->len, ==, 0);
}

static void
test_by_name_and_organization (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *id = save_contact (ts->store, "Zoë Martin", "Acme", NULL, NULL);
  g_autoptr (GPtrArray) same = find (ts->store, "zoe martin", "Acme", NULL, NULL, NULL);
  g_autoptr (GPtrArray) elsewhere = find (ts->store, "Zoë Martin", "Globex", NULL, NULL, NULL);

  g_assert_cmpuint (same->len, ==, 1);
  g_assert_cmpstr (same->pdata[0], ==, id);
  g_assert_cmpuint (elsewhere->len, ==, 0);
}

static void
test_not_itself_nor_trash (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *id = save_contact (ts->store, "Ana Lima", NULL, "ana@example.org", NULL);
  g_autoptr (GPtrArray) itself = find (ts->store, "Ana Lima", NULL, "ana@example.org", NULL, id);
  g_autoptr (GPtrArray) trashed = NULL;
  g_autoptr (RapportContact) contact = rapport_store_get_contact (ts->store, id, NULL);
  g_autoptr (GError) error = NULL;

  /* Editing a contact never points at the contact itself. */
  g_assert_cmpuint (itself->len, ==, 0);

  /* A contact in the Trash is no duplicate. */
  rapport_store_delete (ts->store, RAPPORT_RECORD (contact), &error);
  g_assert_no_error (error);
  trashed = find (ts->store, "Ana Lima", NULL, "ana@example.org", NULL, NULL);
  g_assert_cmpuint (trashed->len, ==, 0);
}

static void
test_each_once_email_first (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *by_phone = save_contact (ts->store, "Bea", NULL, NULL, "+351 21 555 0100");
  g_autofree char *by_email = save_contact (ts->store, "Bia", NULL, "bea@example.org", "+351 21 555 0100");
  g_autoptr (GPtrArray) ids = NULL;

  region = "PT";
  ids = find (ts->store, "Beatriz", NULL, "bea@example.org", "21 555 0100", NULL);
  region = "GB";

  /* Both share the phone; the one with the same email comes first, and
   * each is listed once. */
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (ids->pdata[0], ==, by_email);
  g_assert_cmpstr (ids->pdata[1], ==, by_phone);
}


/* One rule, three askers ------------------------------------------------------
 * The contact editor (rapport_store_find_duplicates), the import (merges a
 * row into a stored contact, or into an earlier row of the same file) and
 * Find duplicates (rapport_store_list_duplicate_pairs) agree on each case. */

typedef struct
{
  const char *name, *organization, *email, *phone;
} Person;

static const struct
{
  const char *what;
  Person stored;
  Person incoming;
  gboolean same;
} cases[] = {
  { "email in another case", { "Marta Silva", NULL, "Marta@Example.org", NULL },
    { "M. Silva", NULL, "marta@example.ORG", NULL }, TRUE },
  { "other email", { "Marta Silva", NULL, "marta@example.org", NULL },
    { "M. Silva", NULL, "marta@example.net", NULL }, FALSE },
  { "international and national phone", { "Oliver Hart", NULL, NULL, "+44 20 7946 0018" },
    { "O. Hart", NULL, NULL, "020 7946 0018" }, TRUE },
  { "national and international phone", { "Oliver Hart", NULL, NULL, "020 7946 0018" },
    { "O. Hart", NULL, NULL, "+44 20 7946 0018" }, TRUE },
  { "dashed and (0) phone", { "Oliver Hart", NULL, NULL, "020-7946-0018" },
    { "O. Hart", NULL, NULL, "+44 (0)20 7946 0018" }, TRUE },
  { "00 prefix and spaced phone", { "Oliver Hart", NULL, NULL, "+44 20 7946 0018" },
    { "O. Hart", NULL, NULL, "0044 20 7946 0018" }, TRUE },
  { "spaced and bare phone", { "Oliver Hart", NULL, NULL, "020 7946 0018" },
    { "O. Hart", NULL, NULL, "02079460018" }, TRUE },
  { "phone one digit off", { "Oliver Hart", NULL, NULL, "+44 20 7946 0018" },
    { "O. Hart", NULL, NULL, "020 7946 0019" }, FALSE },
  { "same digits, another country", { "Jean Roux", NULL, NULL, "+33 1 23 45 67 89" },
    { "J. Roux", NULL, NULL, "01 23 45 67 89" }, FALSE },
  { "name and organization, case and accents", { "Zoë Martin", "Acme", NULL, NULL },
    { "ZOE MARTIN", "acme", NULL, NULL }, TRUE },
  { "same name, other organization", { "Zoë Martin", "Acme", NULL, NULL },
    { "Zoë Martin", "Globex", NULL, NULL }, FALSE },
  { "same name, one without organization", { "Zoë Martin", "Acme", NULL, NULL },
    { "Zoë Martin", NULL, NULL, NULL }, FALSE },
  { "same name, no organization", { "Sam Lee", NULL, NULL, NULL }, { "sam lee", NULL, NULL, NULL }, TRUE },
  { "nothing shared", { "Ana Lima", "Acme", "ana@example.org", "+44 20 7946 0018" },
    { "Rui Costa", "Acme", "rui@example.org", "+44 20 7946 0099" }, FALSE },
};

static char *
save_person (RapportStore *store, const Person *p)
{
  return save_contact (store, p->name, p->organization, p->email, p->phone);
}

static void
append_row (GString *csv, const Person *p)
{
  g_string_append_printf (csv, "%s,%s,%s,%s\r\n", p->name, p->organization ? p->organization : "",
                          p->email ? p->email : "", p->phone ? p->phone : "");
}

static RapportImportSummary *
import_rows (RapportStore *store, const Person *first, const Person *second)
{
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  g_autoptr (GString) csv = g_string_new ("Name,Organization,Email,Phone\r\n");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  RapportImportSummary *summary;

  append_row (csv, first);
  if (second != NULL)
    append_row (csv, second);
  bytes = g_bytes_new (csv->str, csv->len);
  options->region = g_strdup (region);
  summary = rapport_import_bytes (store, bytes, "people.csv", options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return summary;
}

static gboolean
editor_says (guint i)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *id = save_person (ts->store, &cases[i].stored);
  const Person *p = &cases[i].incoming;
  g_autoptr (GPtrArray) ids = find (ts->store, p->name, p->organization, p->email, p->phone, NULL);

  g_assert_cmpuint (ids->len, <=, 1);
  return ids->len == 1 && g_str_equal (ids->pdata[0], id);
}

static gboolean
import_says (guint i)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *id = save_person (ts->store, &cases[i].stored);
  g_autoptr (RapportImportSummary) summary = import_rows (ts->store, &cases[i].incoming, NULL);

  g_assert_cmpuint (summary->records, ==, 1);
  g_assert_cmpuint (summary->merged + summary->created, ==, 1);
  return summary->merged == 1;
}

/* Both people in one file: the second row meets the first before the
 * store's keys show it. */
static gboolean
import_one_file_says (guint i)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportImportSummary) summary = import_rows (ts->store, &cases[i].stored, &cases[i].incoming);

  g_assert_cmpuint (summary->records, ==, 2);
  g_assert_cmpuint (summary->merged + summary->created, ==, 2);
  return summary->merged == 1;
}

static gboolean
find_duplicates_says (guint i)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *a = save_person (ts->store, &cases[i].stored);
  g_autofree char *b = save_person (ts->store, &cases[i].incoming);
  g_autoptr (GPtrArray) pairs = NULL;
  g_autoptr (GError) error = NULL;
  RapportDuplicatePair *pair;

  pairs = rapport_store_list_duplicate_pairs (ts->store, region, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pairs->len, <=, 1);
  if (pairs->len == 0)
    return FALSE;
  pair = pairs->pdata[0];
  g_assert_true ((g_str_equal (pair->first_id, a) && g_str_equal (pair->second_id, b))
                 || (g_str_equal (pair->first_id, b) && g_str_equal (pair->second_id, a)));
  return TRUE;
}

static void
test_one_rule (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean editor = editor_says (i);
      gboolean import = import_says (i);
      gboolean one_file = import_one_file_says (i);
      gboolean tool = find_duplicates_says (i);

      g_test_message ("%s: editor %d, import %d, one file %d, find duplicates %d (expected %d)",
                      cases[i].what, editor, import, one_file, tool, cases[i].same);
      g_assert_cmpint (editor, ==, cases[i].same);
      g_assert_cmpint (import, ==, cases[i].same);
      g_assert_cmpint (one_file, ==, cases[i].same);
      g_assert_cmpint (tool, ==, cases[i].same);
    }
}

static void
test_phones_match (void)
{
  g_auto (GStrv) keys = rapport_phone_match_keys ("+44 20 7946 0018", "GB");

  g_assert_true (rapport_phones_match ("+44 20 7946 0018", "020 7946 0018", "GB"));
  g_assert_true (rapport_phones_match ("(020) 7946-0018", "+44 (0)20 7946 0018", "GB"));
  g_assert_false (rapport_phones_match ("+44 20 7946 0018", "020 7946 0019", "GB"));
  /* In France, 01 23 45 67 89 is +33 1 23 45 67 89; in the UK it is not. */
  g_assert_true (rapport_phones_match ("+33 1 23 45 67 89", "01 23 45 67 89", "FR"));
  g_assert_false (rapport_phones_match ("+33 1 23 45 67 89", "01 23 45 67 89", "GB"));
  /* Short numbers match by their digits only. */
  g_assert_true (rapport_phones_match ("12 345", "12345", "GB"));
  g_assert_true (g_strv_contains ((const char *const *) keys, "442079460018"));
  g_assert_true (g_strv_contains ((const char *const *) keys, "02079460018"));
  g_assert_true (g_strv_contains ((const char *const *) keys, "00442079460018"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/duplicates/email", test_by_email);
  g_test_add_func ("/duplicates/phone-in-any-form", test_by_phone_in_any_form);
  g_test_add_func ("/duplicates/name-and-organization", test_by_name_and_organization);
  g_test_add_func ("/duplicates/not-itself-nor-trash", test_not_itself_nor_trash);
  g_test_add_func ("/duplicates/each-once-email-first", test_each_once_email_first);
  g_test_add_func ("/duplicates/one-rule-everywhere", test_one_rule);
  g_test_add_func ("/duplicates/phones-match", test_phones_match);
  return g_test_run ();
}
