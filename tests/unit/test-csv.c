/* test-csv.c: CSV presets, mapping files, encodings, malformed rows, preview */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "rapport-csv.h"
#include "test-common.h"

typedef struct
{
  GPtrArray *items;
  GPtrArray *issues;
  char *encoding;
} Parsed;

static gboolean
collect_cb (RapportImportItem *item, double fraction, gpointer user_data, GError **error)
{
  Parsed *parsed = user_data;
  RapportImportItem *copy = rapport_import_item_new (item->line);

  g_clear_object (&copy->contact);
  copy->contact = g_object_ref (item->contact);
  for (guint i = 0; i < item->notes->len; i++)
    g_ptr_array_add (copy->notes, g_strdup (item->notes->pdata[i]));
  g_ptr_array_add (parsed->items, copy);
  return TRUE;
}

static void
parsed_free (Parsed *parsed)
{
  g_ptr_array_unref (parsed->items);
  g_ptr_array_unref (parsed->issues);
  g_free (parsed->encoding);
  g_free (parsed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parsed, parsed_free)

static Parsed *
parse_bytes (const char *data, gsize length, const char *mapping_name, GError **error)
{
  g_autoptr (RapportCsvMapping) mapping = NULL;
  g_autofree char *text = NULL;
  Parsed *parsed = g_new0 (Parsed, 1);
  const char *encoding = NULL;
  gsize text_length = 0;

  parsed->items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_item_free);
  parsed->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
  mapping = rapport_csv_mapping_load (mapping_name, error);
  text = mapping ? rapport_import_decode (data, length, FALSE, &encoding, &text_length, error) : NULL;
  if (text == NULL || !rapport_csv_parse (text, text_length, mapping, collect_cb, parsed,
                                          parsed->issues, error))
    {
      parsed_free (parsed);
      return NULL;
    }
  parsed->encoding = g_strdup (encoding);
  return parsed;
}

static Parsed *
parse_fixture (const char *name, const char *mapping_name)
{
  const char *path = g_test_get_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  Parsed *parsed;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  parsed = parse_bytes (data, length, mapping_name, &error);
  g_assert_no_error (error);
  return parsed;
}

static RapportContact *
contact_at (Parsed *parsed, guint i)
{
  g_assert_cmpuint (i, <, parsed->items->len);
  return ((RapportImportItem *) parsed->items->pdata[i])->contact;
}

static const char *
member_at (JsonArray *array, guint i, const char *member)
{
  g_assert_nonnull (array);
  g_assert_cmpuint (i, <, json_array_get_length (array));
  return json_object_get_string_member_with_default (json_array_get_object_element (array, i),
                                                     member, NULL);
}

static guint
length_of (JsonArray *array)
{
  return array ? json_array_get_length (array) : 0;
}

static void
check_google (Parsed *p)
{
  RapportContact *c;
  RapportImportItem *item;

  g_assert_cmpuint (p->items->len, ==, 4);
  g_assert_cmpuint (p->issues->len, ==, 0);
  item = p->items->pdata[0];
  c = item->contact;
  g_assert_cmpuint (item->line, ==, 2);
  g_assert_cmpstr (c->name, ==, "Amélie Durand");
  g_assert_cmpstr (c->given_name, ==, "Amélie");
  g_assert_cmpstr (c->family_name, ==, "Durand");
  g_assert_cmpstr (c->birthday, ==, "1985-04-12");
  g_assert_cmpuint (length_of (c->emails), ==, 3);
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "amelie.durand@lumiere.example");
  g_assert_cmpstr (member_at (c->emails, 1, "value"), ==, "a.durand@lumiere.example");
  g_assert_cmpstr (member_at (c->emails, 1, "label"), ==, "work");
  g_assert_cmpstr (member_at (c->emails, 2, "label"), ==, "home");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "+33 6 12 34 56 78");
  g_assert_cmpstr (member_at (c->phones, 0, "label"), ==, "mobile");
  g_assert_cmpstr (member_at (c->phones, 1, "label"), ==, "work");
  g_assert_cmpstr (member_at (c->addresses, 0, "street"), ==, "12 rue de la République");
  g_assert_cmpstr (member_at (c->addresses, 0, "city"), ==, "Lyon");
  g_assert_cmpstr (member_at (c->addresses, 0, "postcode"), ==, "69002");
  g_assert_cmpstr (member_at (c->addresses, 0, "label"), ==, "work");
  g_assert_cmpstr (c->organization, ==, "Lumière SARL");
  g_assert_cmpstr (c->job_title, ==, "Directrice des achats");
  g_assert_true (rapport_contact_has_tag (c, "Clients"));
  g_assert_false (rapport_contact_has_tag (c, "myContacts"));
  g_assert_cmpstr (member_at (c->social, 0, "service"), ==, "linkedin");
  g_assert_cmpstr (item->notes->pdata[0], ==, "Met at the Lyon trade fair.\nPrefers calls after 10am.");

  c = contact_at (p, 1);
  g_assert_cmpstr (c->name, ==, "Bob O'Neill");
  g_assert_cmpstr (c->birthday, ==, "--07-04");
  g_assert_cmpstr (member_at (c->emails, 0, "label"), ==, "other");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "020 7946 0018");
  g_assert_cmpstr (member_at (c->phones, 0, "label"), ==, "home");

  c = contact_at (p, 2);
  g_assert_cmpstr (c->name, ==, "Chen Wei");
  g_assert_cmpstr (c->kind, ==, "person");
  g_assert_cmpstr (c->organization, ==, "Shenzhen Parts Co.");

  c = contact_at (p, 3);
  g_assert_cmpstr (c->name, ==, "Nordwind GmbH");
  g_assert_cmpstr (c->kind, ==, "organization");
  g_assert_cmpstr (member_at (c->addresses, 0, "street"), ==, "Hafenstraße 5");
}

static void
test_google (void)
{
  g_autoptr (Parsed) p = parse_fixture ("google.csv", "google");
  check_google (p);
}

static void
test_google_detected (void)
{
  g_autoptr (Parsed) p = parse_fixture ("google.csv", NULL);
  check_google (p);
}

static void
test_google_new_format (void)
{
  const char *text = "First Name,Middle Name,Last Name,Organization Name,Organization Title,Labels,"
                     "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
                     "Ada,King,Lovelace,Analytical Engines,Countess,* myContacts ::: Math,"
                     "* Home,ada@example.org,Mobile,+44 7700 900001\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (Parsed) p = parse_bytes (text, strlen (text), "google", &error);
  RapportContact *c;

  g_assert_no_error (error);
  c = contact_at (p, 0);
  g_assert_cmpstr (c->name, ==, "Ada King Lovelace");
  g_assert_cmpstr (c->organization, ==, "Analytical Engines");
  g_assert_cmpstr (c->job_title, ==, "Countess");
  g_assert_true (rapport_contact_has_tag (c, "Math"));
  g_assert_cmpstr (member_at (c->emails, 0, "label"), ==, "home");
  g_assert_cmpstr (member_at (c->phones, 0, "label"), ==, "mobile");
}

static void
check_outlook (Parsed *p)
{
  RapportImportItem *item = p->items->pdata[0];
  RapportContact *c = item->contact;

  g_assert_cmpstr (p->encoding, ==, "WINDOWS-1252");
  g_assert_cmpuint (p->items->len, ==, 2);
  g_assert_cmpuint (p->issues->len, ==, 0);
  g_assert_cmpstr (c->name, ==, "José García");
  g_assert_cmpstr (c->organization, ==, "Café Olé S.L.");
  g_assert_cmpstr (c->job_title, ==, "Jefe de compras");
  g_assert_cmpstr (member_at (c->addresses, 0, "street"), ==, "Calle Mayor 1\nPlanta 2");
  g_assert_cmpstr (member_at (c->addresses, 0, "city"), ==, "Madrid");
  g_assert_cmpstr (member_at (c->addresses, 0, "country"), ==, "Spain");
  g_assert_cmpstr (member_at (c->addresses, 0, "label"), ==, "work");
  g_assert_cmpuint (length_of (c->phones), ==, 3);
  g_assert_cmpstr (member_at (c->phones, 0, "label"), ==, "fax");
  g_assert_cmpstr (member_at (c->phones, 1, "value"), ==, "+34 91 123 45 67");
  g_assert_cmpstr (member_at (c->phones, 1, "label"), ==, "work");
  g_assert_cmpstr (member_at (c->phones, 2, "label"), ==, "mobile");
  g_assert_cmpstr (c->birthday, ==, "1980-03-22");
  g_assert_true (rapport_contact_has_tag (c, "Clientes"));
  g_assert_true (rapport_contact_has_tag (c, "VIP"));
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "jose.garcia@cafeole.example");
  g_assert_cmpstr (item->notes->pdata[0], ==, "Pidió un presupuesto — “urgente”.\r\nLlamar el lunes.");
  g_assert_cmpstr (member_at (c->social, 0, "handle"), ==, "http://www.cafeole.example/");

  c = contact_at (p, 1);
  g_assert_cmpstr (c->name, ==, "Søren Kierkegaard");
  g_assert_null (c->birthday);   /* Outlook's "0/0/00" is no date */
  g_assert_cmpuint (length_of (c->emails), ==, 2);
  g_assert_cmpstr (member_at (c->addresses, 0, "city"), ==, "København");
  g_assert_cmpstr (member_at (c->addresses, 0, "label"), ==, "home");
}

static void
test_outlook (void)
{
  g_autoptr (Parsed) p = parse_fixture ("outlook.csv", "outlook");
  check_outlook (p);
}

static void
test_outlook_detected (void)
{
  g_autoptr (Parsed) p = parse_fixture ("outlook.csv", "auto");
  check_outlook (p);
}

static void
test_custom_mapping (void)
{
  const char *mapping = g_test_get_filename (G_TEST_DIST, "data", "custom.mapping", NULL);
  g_autoptr (Parsed) p = parse_fixture ("custom.csv", mapping);
  RapportImportItem *item = p->items->pdata[0];
  RapportContact *c = item->contact;

  g_assert_cmpuint (p->items->len, ==, 3);
  g_assert_cmpstr (c->name, ==, "Ingrid Bergman");
  g_assert_cmpstr (c->organization, ==, "Nordic Films AB");
  g_assert_cmpstr (member_at (c->emails, 0, "label"), ==, "work");
  g_assert_cmpstr (member_at (c->phones, 0, "label"), ==, "mobile");
  g_assert_cmpstr (member_at (c->addresses, 0, "city"), ==, "Stockholm");
  g_assert_cmpstr (member_at (c->addresses, 0, "label"), ==, "work");
  g_assert_true (rapport_contact_has_tag (c, "film"));
  g_assert_true (rapport_contact_has_tag (c, "premium"));
  g_assert_cmpstr (c->stage, ==, "active");
  g_assert_null (c->source);  /* "Customer since" is ignored */
  g_assert_cmpstr (item->notes->pdata[0], ==, "Wants the spring catalogue");

  c = contact_at (p, 1);
  g_assert_cmpstr (c->stage, ==, "lead");
  g_assert_null (c->phones);

  /* A cell that a spreadsheet would run stays text; the guard quote of
   * an export is taken off. */
  c = contact_at (p, 2);
  g_assert_cmpstr (c->name, ==, "=HYPERLINK(\"http://evil.example\")");
  g_assert_cmpstr (c->organization, ==, "=Safe Co");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "+44 20 7946 0999");
}

static void
test_bad_mapping (void)
{
  g_autofree char *dir = rapport_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "bad.mapping", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportCsvMapping) mapping = NULL;

  g_assert_true (g_file_set_contents (path, "Name=nmae\n", -1, NULL));
  mapping = rapport_csv_mapping_load (path, &error);
  g_assert_null (mapping);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nmae"));
  g_clear_error (&error);
  mapping = rapport_csv_mapping_load ("/nonexistent/file.mapping", &error);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_utf16 (void)
{
  g_autoptr (Parsed) p = parse_fixture ("utf16.csv", NULL);
  RapportImportItem *item = p->items->pdata[0];

  g_assert_cmpstr (p->encoding, ==, "UTF-16LE");
  g_assert_cmpuint (p->items->len, ==, 2);
  g_assert_cmpstr (item->contact->name, ==, "Ζωή Παπαδοπούλου");
  g_assert_cmpstr (item->contact->organization, ==, "Ολυμπία ΑΕ");
  g_assert_cmpstr (member_at (item->contact->emails, 0, "value"), ==, "zoe@papadopoulos.example");
  g_assert_cmpstr (member_at (item->contact->phones, 0, "value"), ==, "+30 210 123 4567");
  g_assert_cmpstr (item->notes->pdata[0], ==, "Καλημέρα");
  g_assert_cmpstr (contact_at (p, 1)->name, ==, "李小龍");
}

static void
test_utf16_without_bom (void)
{
  const char *text = "Name,Email\r\nAda,ada@example.org\r\n";
  g_autofree char *be = g_convert (text, -1, "UTF-16BE", "UTF-8", NULL, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Parsed) p = parse_bytes (be, strlen (text) * 2, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (p->encoding, ==, "UTF-16BE");
  g_assert_cmpstr (contact_at (p, 0)->name, ==, "Ada");
}

static void
test_windows_1252 (void)
{
  g_autoptr (Parsed) p = parse_fixture ("windows-1252.csv", NULL);
  RapportImportItem *item = p->items->pdata[0];

  g_assert_cmpstr (p->encoding, ==, "WINDOWS-1252");
  g_assert_cmpuint (p->items->len, ==, 2);
  g_assert_cmpstr (item->contact->name, ==, "Jürgen Müller");
  g_assert_cmpstr (item->contact->organization, ==, "Bäckerei Müller");
  g_assert_cmpstr (member_at (item->contact->addresses, 0, "city"), ==, "Berlin");
  g_assert_cmpstr (item->notes->pdata[0], ==, "Brötchen für 5 €");
  g_assert_cmpstr (contact_at (p, 1)->organization, ==, "Crème & Co");
}

static void
test_utf8_bom (void)
{
  const char *text = "\xef\xbb\xbfName;Email\nÉmile;emile@example.fr\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (Parsed) p = parse_bytes (text, strlen (text), NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (p->encoding, ==, "UTF-8");
  g_assert_cmpstr (contact_at (p, 0)->name, ==, "Émile");
}

static void
test_malformed (void)
{
  g_autoptr (Parsed) p = parse_fixture ("malformed.csv", NULL);
  static const guint bad_lines[] = { 3, 4, 5, 12 };

  g_assert_cmpuint (p->items->len, ==, 4);
  g_assert_cmpstr (contact_at (p, 0)->name, ==, "Alice Good");
  g_assert_cmpstr (contact_at (p, 1)->name, ==, "Multi\nLine Name");
  g_assert_cmpstr (contact_at (p, 1)->organization, ==, "Org, Inc.");
  g_assert_cmpuint (((RapportImportItem *) p->items->pdata[1])->line, ==, 8);
  g_assert_cmpstr (contact_at (p, 2)->name, ==, "Carol Late");
  g_assert_cmpuint (((RapportImportItem *) p->items->pdata[2])->line, ==, 11);
  g_assert_cmpstr (contact_at (p, 3)->name, ==, "Dave After");
  g_assert_cmpuint (p->issues->len, ==, G_N_ELEMENTS (bad_lines));
  for (guint i = 0; i < G_N_ELEMENTS (bad_lines); i++)
    g_assert_cmpuint (((RapportImportIssue *) p->issues->pdata[i])->line, ==, bad_lines[i]);
  g_assert_nonnull (strstr (((RapportImportIssue *) p->issues->pdata[0])->reason, "5"));
}

static void
test_binary (void)
{
  const char *path = g_test_get_filename (G_TEST_DIST, "data", "binary.csv", NULL);
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;
  Parsed *p;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  p = parse_bytes (data, length, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "binary"));
}

static void
test_nothing_to_map (void)
{
  const char *text = "foo,bar\n1,2\n";
  g_autoptr (GError) error = NULL;
  Parsed *p = parse_bytes (text, strlen (text), NULL, &error);

  g_assert_null (p);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_clear_error (&error);
  p = parse_bytes ("", 0, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
}

static void
test_columns_by_number (void)
{
  const char *text = "Ada Lovelace,ada@example.org,x\nCharles Babbage,charles@example.org,y\n";
  g_autoptr (RapportCsvMapping) mapping = rapport_csv_mapping_new ();
  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
  g_autoptr (GError) error = NULL;
  Parsed p = { g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_item_free), NULL, NULL };

  g_assert_false (rapport_csv_mapping_set_column (mapping, 3, "colour"));
  g_assert_true (rapport_csv_mapping_set_column (mapping, 1, "name"));
  g_assert_true (rapport_csv_mapping_set_column (mapping, 2, "email:home"));
  g_assert_true (rapport_csv_parse (text, strlen (text), mapping, collect_cb, &p, issues, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (p.items->len, ==, 2);
  g_assert_cmpstr (contact_at (&p, 0)->name, ==, "Ada Lovelace");
  g_assert_cmpstr (member_at (contact_at (&p, 1)->emails, 0, "label"), ==, "home");
  g_ptr_array_unref (p.items);
}

static void
test_preview (void)
{
  const char *path = g_test_get_filename (G_TEST_DIST, "data", "google.csv", NULL);
  g_autofree char *data = NULL;
  g_autoptr (RapportCsvMapping) mapping = rapport_csv_mapping_new ();
  g_autoptr (RapportCsvPreview) preview = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;
  char **row;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  preview = rapport_csv_preview (data, length, mapping, 2, &error);
  g_assert_no_error (error);
  g_assert_true (preview->has_header);
  g_assert_cmpint (preview->delimiter, ==, ',');
  g_assert_cmpstr (preview->encoding, ==, "UTF-8");
  g_assert_cmpuint (preview->columns->len, ==, 56);
  g_assert_cmpstr (preview->columns->pdata[30], ==, "E-mail 1 - Value");
  g_assert_cmpstr (preview->fields->pdata[30], ==, "email");
  g_assert_cmpstr (preview->fields->pdata[29], ==, "email.label");
  g_assert_cmpstr (preview->fields->pdata[4], ==, "");
  g_assert_cmpuint (preview->rows->len, ==, 2);
  row = preview->rows->pdata[1];
  g_assert_cmpstr (row[0], ==, "Bob O'Neill");
  g_clear_pointer (&preview, rapport_csv_preview_free);

  preview = rapport_csv_preview ("Ada\tada@example.org\n", 20, mapping, 5, &error);
  g_assert_no_error (error);
  g_assert_false (preview->has_header);
  g_assert_cmpint (preview->delimiter, ==, '\t');
  g_assert_cmpstr (preview->columns->pdata[1], ==, "Column 2");
  g_assert_cmpuint (preview->rows->len, ==, 1);
}


/* A mapping written out reads back as the same columns: by number without
 * a header, by name with one, a preset kept for Google's numbered groups. */
static void
test_mapping_to_data (void)
{
  g_autofree char *dir = rapport_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.mapping", NULL);
  g_autoptr (RapportCsvMapping) by_number = rapport_csv_mapping_new ();
  g_autoptr (RapportCsvMapping) reread = NULL;
  g_autoptr (RapportCsvMapping) google = rapport_csv_mapping_load ("google", NULL);
  g_autoptr (RapportCsvPreview) preview = NULL;
  g_autoptr (GError) error = NULL;
  const char *text = "Ada Lovelace,ada@example.org,x\n";
  char *header[] = { "Name", "E-mail 1 - Value", "Same", "same", "=odd", NULL };
  g_autofree char *data = NULL;
  g_autofree char *named = NULL;

  rapport_csv_mapping_set_column (by_number, 1, "name");
  rapport_csv_mapping_set_column (by_number, 2, "email:home");
  rapport_csv_mapping_set_header (by_number, 0);
  data = rapport_csv_mapping_to_data (by_number, NULL, 3);
  g_assert_nonnull (strstr (data, "\n1=name\n2=email:home\n3=ignore\n"));
  g_assert_nonnull (strstr (data, "\nheader=false\n"));
  g_assert_true (g_file_set_contents (path, data, -1, NULL));
  reread = rapport_csv_mapping_load (path, &error);
  g_assert_no_error (error);
  preview = rapport_csv_preview (text, strlen (text), reread, 1, &error);
  g_assert_no_error (error);
  g_assert_false (preview->has_header);
  g_assert_cmpstr (preview->fields->pdata[0], ==, "name");
  g_assert_cmpstr (preview->fields->pdata[1], ==, "email:home");
  g_assert_cmpstr (preview->fields->pdata[2], ==, "");

  /* Names that do not name one column alone are written as numbers. */
  named = rapport_csv_mapping_to_data (google, header, 5);
  g_assert_nonnull (strstr (named, "\nName=name\n"));
  g_assert_null (strstr (named, "E-mail 1 - Value="));
  g_assert_nonnull (strstr (named, "\n3=ignore\n4=ignore\n5=ignore\n"));
  g_assert_nonnull (strstr (named, "\npreset=google\n"));
}

/* Values that start with the guard quote itself come back as they were:
 * the writer adds one quote in front of any run of them before a formula
 * character, the reader takes one off (a fuzzer's finding: "'+n"). */
static void
test_guard_quotes (void)
{
  const char *values[] = { "'+n", "''=x", "'''@y", "'a", "'", "''", "+n" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr (GString) file = g_string_new ("name,email\n");
      g_autoptr (GError) error = NULL;
      g_autoptr (Parsed) p = NULL;

      rapport_csv_append_cell (file, values[i]);
      g_string_append (file, ",a@b.c\n");
      p = parse_bytes (file->str, file->len, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (contact_at (p, 0)->name, ==, values[i]);
    }
}

static void
test_cells_out (void)
{
  const char *values[] = { "plain", "with, comma", "say \"hi\"", "two\nlines", "=1+1", "+44 20 7946 0018",
                           "-5", "@cmd", "\tTab", " padded ", "", NULL };
  const char *expected = "plain,\"with, comma\",\"say \"\"hi\"\"\",\"two\nlines\",'=1+1,'+44 20 7946 0018,"
                         "'-5,'@cmd,'\tTab,\" padded \",";
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) file = g_string_new ("name,email,phone,note,organization,job title,source,stage,tags,city,country\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (Parsed) p = NULL;

  for (guint i = 0; values[i]; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      rapport_csv_append_cell (out, values[i]);
    }
  g_assert_cmpstr (out->str, ==, expected);

  /* What the writer writes, the reader reads back. */
  g_string_append_printf (file, "%s\n", out->str);
  p = parse_bytes (file->str, file->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contact_at (p, 0)->name, ==, "plain");
  g_assert_cmpstr (member_at (contact_at (p, 0)->phones, 0, "value"), ==, "say \"hi\"");
  g_assert_cmpstr (contact_at (p, 0)->organization, ==, "=1+1");
  g_assert_cmpstr (contact_at (p, 0)->job_title, ==, "+44 20 7946 0018");
  g_assert_cmpstr (contact_at (p, 0)->source, ==, "-5");
  g_assert_cmpstr (contact_at (p, 0)->stage, ==, "@cmd");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/google", test_google);
  g_test_add_func ("/csv/google-detected", test_google_detected);
  g_test_add_func ("/csv/google-new-format", test_google_new_format);
  g_test_add_func ("/csv/outlook", test_outlook);
  g_test_add_func ("/csv/outlook-detected", test_outlook_detected);
  g_test_add_func ("/csv/custom-mapping", test_custom_mapping);
  g_test_add_func ("/csv/bad-mapping", test_bad_mapping);
  g_test_add_func ("/csv/utf16", test_utf16);
  g_test_add_func ("/csv/utf16-without-bom", test_utf16_without_bom);
  g_test_add_func ("/csv/windows-1252", test_windows_1252);
  g_test_add_func ("/csv/utf8-bom", test_utf8_bom);
  g_test_add_func ("/csv/malformed", test_malformed);
  g_test_add_func ("/csv/binary", test_binary);
  g_test_add_func ("/csv/nothing-to-map", test_nothing_to_map);
  g_test_add_func ("/csv/columns-by-number", test_columns_by_number);
  g_test_add_func ("/csv/preview", test_preview);
  g_test_add_func ("/csv/cells-out", test_cells_out);
  g_test_add_func ("/csv/guard-quotes", test_guard_quotes);
  g_test_add_func ("/csv/mapping-to-data", test_mapping_to_data);
  return g_test_run ();
}
