/* test-vcard.c: vCard in (real-world exports) and vCard 4.0 out */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rapport-import-private.h"
#include "rapport-vcard.h"
#include "test-common.h"

typedef struct
{
  GPtrArray *items;
  GPtrArray *issues;
} Parsed;

static gboolean
collect_cb (RapportImportItem *item, double fraction, gpointer user_data, GError **error)
{
  Parsed *parsed = user_data;
  RapportImportItem *copy = rapport_import_item_new (item->line);

  g_assert_cmpfloat (fraction, >=, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  g_clear_object (&copy->contact);
  copy->contact = RAPPORT_CONTACT (rapport_record_copy (RAPPORT_RECORD (item->contact)));
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
  g_free (parsed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parsed, parsed_free)

static Parsed *
parse_text (const char *text, gsize length)
{
  Parsed *parsed = g_new0 (Parsed, 1);
  g_autoptr (GError) error = NULL;

  parsed->items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_item_free);
  parsed->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
  g_assert_true (rapport_vcard_parse (text, length, collect_cb, parsed, parsed->issues, &error));
  g_assert_no_error (error);
  return parsed;
}

static Parsed *
parse_corpus (const char *name, guint expected_cards)
{
  const char *path = g_test_get_filename (G_TEST_DIST, "data", "vcard", name, NULL);
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  const char *encoding = NULL;
  gsize length = 0, text_length = 0;
  Parsed *parsed;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  g_assert_true (rapport_vcard_sniff (data, length));
  text = rapport_import_decode (data, length, TRUE, &encoding, &text_length, &error);
  g_assert_no_error (error);
  parsed = parse_text (text, text_length);
  if (parsed->items->len != expected_cards)
    g_error ("%s: %u cards read, %u expected", name, parsed->items->len, expected_cards);
  g_assert_cmpuint (parsed->issues->len, ==, 0);
  return parsed;
}

static RapportContact *
contact_at (Parsed *parsed, guint i)
{
  return ((RapportImportItem *) parsed->items->pdata[i])->contact;
}

static const char *
note_at (Parsed *parsed, guint i, guint n)
{
  return ((RapportImportItem *) parsed->items->pdata[i])->notes->pdata[n];
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
test_android (void)
{
  g_autoptr (Parsed) p = parse_corpus ("John_Doe_ANDROID.vcf", 6);
  RapportContact *c;

  c = contact_at (p, 0);
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "john.doe@company.com");
  g_assert_cmpstr (c->name, ==, "john.doe@company.com");
  g_assert_true (c->tags == NULL || c->tags[0] == NULL);  /* "My Contacts" is everyone: not a tag */
  g_assert_cmpuint (((RapportImportItem *) p->items->pdata[0])->line, ==, 1);

  /* Quoted-printable UTF-8, with soft line breaks. */
  c = contact_at (p, 2);
  g_assert_cmpstr (c->name, ==, "Ñ Ñ Ñ Ñ Ñ");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "123456789");
  g_assert_cmpstr (member_at (c->phones, 0, "label"), ==, "mobile");

  c = contact_at (p, 3);
  g_assert_cmpstr (c->name, ==, "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ");
  g_assert_cmpuint (length_of (c->phones), ==, 4);
  g_assert_cmpuint (((RapportImportItem *) p->items->pdata[3])->notes->len, ==, 2);
  g_assert_true (g_str_has_prefix (note_at (p, 3, 0), "Ñ Ñ Ñ"));

  c = contact_at (p, 4);
  g_assert_cmpstr (c->given_name, ==, "Ñ Ñ Ñ");
  g_assert_cmpstr (c->family_name, ==, "Ñ Ñ");
  g_assert_cmpstr (c->organization, ==, "ÑÑÑÑÑÑÑÑÑÑÑÑ");
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "bob@company.com");
  g_assert_cmpstr (member_at (c->emails, 0, "label"), ==, "work");
  g_assert_cmpstr (member_at (c->social, 0, "handle"), ==, "www.company.com");

  c = contact_at (p, 5);
  g_assert_cmpstr (c->name, ==, "ÑÑÑÑ");
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "henry@company.com");
  g_assert_true (g_str_has_prefix (c->organization, "ÑÑÑÑÑÑÑÑÑÑ"));
  g_assert_true (g_utf8_validate (c->organization, -1, NULL));
}

static void
test_blackberry (void)
{
  g_autoptr (Parsed) p = parse_corpus ("John_Doe_BLACK_BERRY.vcf", 1);
  RapportContact *c = contact_at (p, 0);

  g_assert_cmpstr (c->name, ==, "John Doe");
  g_assert_cmpstr (c->given_name, ==, "john");
  g_assert_cmpstr (c->family_name, ==, "Doe");
  g_assert_cmpstr (c->organization, ==, "Acme Solutions");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "+96123456789");
  g_assert_cmpuint (((RapportImportItem *) p->items->pdata[0])->notes->len, ==, 0);
}

static void
test_evolution (void)
{
  g_autoptr (Parsed) p = parse_corpus ("John_Doe_EVOLUTION.vcf", 1);
  RapportContact *c = contact_at (p, 0);

  g_assert_cmpstr (c->name, ==, "Mr. John Richter, James Doe Sr.");
  g_assert_cmpstr (c->given_name, ==, "John");
  g_assert_cmpstr (c->organization, ==, "IBM");
  g_assert_cmpstr (c->job_title, ==, "Money Counter");
  g_assert_true (rapport_contact_has_tag (c, "VIP"));
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "john.doe@ibm.com");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "905-666-1234");
  g_assert_cmpstr (member_at (c->phones, 0, "label"), ==, "mobile");
  g_assert_cmpstr (member_at (c->phones, 1, "label"), ==, "work");
  g_assert_cmpstr (member_at (c->addresses, 0, "street"), ==, "15 Crescent moon drive\nASB-123");
  g_assert_cmpstr (member_at (c->addresses, 0, "city"), ==, "Albaney");
  g_assert_cmpstr (member_at (c->addresses, 0, "region"), ==, "New York");
  g_assert_cmpstr (member_at (c->addresses, 0, "postcode"), ==, "12345");
  g_assert_cmpstr (member_at (c->addresses, 0, "country"), ==, "United States of America");
  g_assert_cmpstr (member_at (c->addresses, 0, "label"), ==, "home");
  g_assert_cmpstr (c->birthday, ==, "1980-03-22");
  g_assert_true (g_str_has_prefix (note_at (p, 0, 0), "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\""));
  g_assert_true (g_str_has_suffix (note_at (p, 0, 0), "POSSIBILITY OF SUCH DAMAGE."));
  g_assert_nonnull (strstr (note_at (p, 0, 0), "SERVICES; LOSS OF USE, DATA"));
  g_assert_cmpstr (member_at (c->social, 0, "handle"), ==, "johnny5@aol.com");
  g_assert_cmpstr (member_at (c->social, 0, "service"), ==, "aim");
  g_assert_cmpstr (member_at (c->social, 1, "handle"), ==, "http://www.ibm.com");
}

static void
test_gmail (void)
{
  g_autoptr (Parsed) p = parse_corpus ("John_Doe_GMAIL.vcf", 1);
  RapportContact *c = contact_at (p, 0);

  g_assert_cmpstr (c->name, ==, "Mr. John Richter, James Doe Sr.");
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "john.doe@ibm.com");
  g_assert_cmpstr (member_at (c->emails, 0, "label"), ==, "home");
  g_assert_cmpstr (member_at (c->phones, 1, "value"), ==, "905-666-1234");
  g_assert_cmpstr (member_at (c->addresses, 0, "street"), ==,
                   "Crescent moon drive\n555-asd\nNice Area, Albaney, New York 12345\nUnited States of America");
  g_assert_cmpstr (c->organization, ==, "IBM");
  g_assert_cmpstr (c->birthday, ==, "1980-03-22");
  /* "http\://" is read as "http://", quietly. */
  g_assert_cmpstr (member_at (c->social, 0, "handle"), ==, "http://www.ibm.com");
  g_assert_true (g_str_has_suffix (note_at (p, 0, 0), "SUCH DAMAGE.\nFavotire Color: Blue"));
}

static void
test_lotus_notes (void)
{
  g_autoptr (Parsed) p = parse_corpus ("John_Doe_LOTUS_NOTES.vcf", 1);
  RapportContact *c = contact_at (p, 0);

  g_assert_cmpstr (c->name, ==, "Mr. Doe John I Johny");
  g_assert_cmpstr (c->organization, ==, "IBM");
  g_assert_cmpstr (c->job_title, ==, "Generic Accountant");
  g_assert_cmpuint (length_of (c->emails), ==, 2);
  g_assert_cmpstr (member_at (c->emails, 1, "value"), ==, "billy_bob@gmail.com");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "+1 (212) 204-34456");
  g_assert_cmpstr (member_at (c->phones, 1, "label"), ==, "fax");
  g_assert_cmpstr (member_at (c->addresses, 0, "city"), ==, "New York");
  g_assert_cmpstr (member_at (c->addresses, 0, "postcode"), ==, "NYC887");
  g_assert_cmpstr (member_at (c->addresses, 0, "country"), ==, "U.S.A.");
  g_assert_cmpstr (c->birthday, ==, "1980-05-21");
  g_assert_true (g_str_has_prefix (note_at (p, 0, 0), "THIS SOFTWARE IS PROVIDED"));
  g_assert_cmpstr (member_at (c->social, 0, "handle"), ==, "http://www.sun.com");
}

static void
test_ms_outlook (void)
{
  g_autoptr (Parsed) p = parse_corpus ("John_Doe_MS_OUTLOOK.vcf", 1);
  RapportContact *c = contact_at (p, 0);

  g_assert_cmpstr (c->name, ==, "Mr. John Richter James Doe Sr.");
  g_assert_cmpstr (c->family_name, ==, "Doe");
  g_assert_cmpstr (c->organization, ==, "IBM");
  g_assert_cmpstr (c->job_title, ==, "Money Counter");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "(905) 555-1234");
  g_assert_cmpstr (member_at (c->phones, 0, "label"), ==, "work");
  g_assert_cmpstr (member_at (c->phones, 1, "label"), ==, "home");
  g_assert_cmpuint (length_of (c->addresses), ==, 2);
  g_assert_cmpstr (member_at (c->addresses, 0, "street"), ==, "Cresent moon drive");
  g_assert_cmpstr (member_at (c->addresses, 1, "street"), ==, "Silicon Alley 5,");
  g_assert_cmpstr (c->birthday, ==, "1980-03-22");
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "john.doe@ibm.cm");
  /* vCard 2.1 writes semicolons in a note unescaped: they are kept. */
  g_assert_nonnull (strstr (note_at (p, 0, 0), "GEORGE EL-HADDAD ''AS IS''"));
  g_assert_nonnull (strstr (note_at (p, 0, 0), "; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS"));
}

static void
test_gmail_single (void)
{
  g_autoptr (Parsed) p = parse_corpus ("gmail-single.vcf", 1);
  RapportContact *c = contact_at (p, 0);

  g_assert_cmpstr (c->name, ==, "Greg Dartmouth");
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "gdartmouth@hotmail.com");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "555 555 1111");
  g_assert_cmpstr (member_at (c->phones, 1, "value"), ==, "555 555 2222");
  g_assert_cmpuint (length_of (c->addresses), ==, 2);
  g_assert_cmpstr (member_at (c->addresses, 1, "street"), ==, "321 Custom St");
  g_assert_cmpstr (member_at (c->addresses, 1, "region"), ==, "TX");
  g_assert_cmpstr (member_at (c->addresses, 1, "postcode"), ==, "98765");
  g_assert_cmpstr (c->organization, ==, "TheCompany");
  g_assert_cmpstr (c->job_title, ==, "TheJobTitle");
  g_assert_cmpstr (c->birthday, ==, "1960-09-10");
  g_assert_cmpstr (note_at (p, 0, 0), ==,
                   "This is GMail's note field.\nIt should be added as a NOTE type.\nACustomField: CustomField");
  g_assert_cmpstr (member_at (c->social, 0, "service"), ==, "icq");
  g_assert_cmpstr (member_at (c->social, 1, "handle"), ==, "http://TheProfile.com");
}

static void
test_outlook_2007 (void)
{
  g_autoptr (Parsed) p = parse_corpus ("outlook-2007.vcf", 1);
  RapportContact *c = contact_at (p, 0);

  g_assert_cmpstr (c->name, ==, "Mr. Michael Angstadt Jr.");
  g_assert_cmpstr (c->given_name, ==, "Michael");
  g_assert_cmpstr (c->organization, ==, "TheCompany");
  g_assert_cmpstr (c->job_title, ==, "TheJobTitle");
  g_assert_cmpuint (length_of (c->phones), ==, 4);
  g_assert_cmpstr (member_at (c->phones, 2, "label"), ==, "mobile");
  g_assert_cmpstr (member_at (c->phones, 3, "value"), ==, "(111) 555-3333");
  g_assert_cmpstr (member_at (c->phones, 3, "label"), ==, "fax");
  g_assert_cmpstr (member_at (c->addresses, 0, "street"), ==, "222 Broadway\nTheOffice");
  g_assert_cmpstr (member_at (c->addresses, 0, "postcode"), ==, "99999");
  g_assert_cmpstr (c->birthday, ==, "1922-03-10");
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "mike.angstadt@gmail.com");
  g_assert_true (g_str_has_prefix (note_at (p, 0, 0), "This is the NOTE field"));
  g_assert_nonnull (strstr (note_at (p, 0, 0), "\nI assume it encodes this text inside a NOTE vCard type."));
  g_assert_true (g_str_has_suffix (note_at (p, 0, 0), "It does not preserve the formatting"));
}

static void
test_rfc2426 (void)
{
  g_autoptr (Parsed) p = parse_corpus ("rfc2426-example.vcf", 2);
  RapportContact *c = contact_at (p, 0);

  g_assert_cmpstr (c->name, ==, "Frank Dawson");
  g_assert_cmpstr (c->organization, ==, "Lotus Development Corporation");
  g_assert_cmpstr (member_at (c->addresses, 0, "street"), ==, "6544 Battleford Drive");
  g_assert_cmpstr (member_at (c->addresses, 0, "city"), ==, "Raleigh");
  g_assert_cmpstr (member_at (c->addresses, 0, "postcode"), ==, "27613-3502");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "+1-919-676-9515");
  g_assert_cmpstr (member_at (c->phones, 1, "label"), ==, "fax");
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "Frank_Dawson@Lotus.com");
  g_assert_cmpstr (member_at (c->emails, 1, "value"), ==, "fdawson@earthlink.net");

  c = contact_at (p, 1);
  g_assert_cmpstr (c->name, ==, "Tim Howes");
  g_assert_cmpstr (c->organization, ==, "Netscape Communications Corp.");
  g_assert_cmpstr (member_at (c->addresses, 0, "region"), ==, "CA");
  g_assert_cmpstr (member_at (c->addresses, 0, "postcode"), ==, "94043");
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "howes@netscape.com");
  g_assert_cmpuint (((RapportImportItem *) p->items->pdata[1])->line, ==, 13);
}

static void
test_rfc6350 (void)
{
  g_autoptr (Parsed) p = parse_corpus ("rfc6350-example.vcf", 1);
  RapportContact *c = contact_at (p, 0);

  g_assert_cmpstr (c->name, ==, "Simon Perreault");
  g_assert_cmpstr (c->given_name, ==, "Simon");
  g_assert_cmpstr (c->family_name, ==, "Perreault");
  g_assert_cmpstr (c->organization, ==, "Viagenie");
  g_assert_cmpstr (c->birthday, ==, "--02-03");
  g_assert_cmpstr (member_at (c->phones, 0, "value"), ==, "+1-418-656-9254 ext. 102");
  g_assert_cmpstr (member_at (c->phones, 1, "value"), ==, "+1-418-262-6501");
  g_assert_cmpstr (member_at (c->phones, 1, "label"), ==, "mobile");
  g_assert_cmpstr (member_at (c->emails, 0, "value"), ==, "simon.perreault@viagenie.ca");
  g_assert_cmpstr (member_at (c->addresses, 0, "street"), ==, "2875 Laurier\nSuite D2-630");
  g_assert_cmpstr (member_at (c->addresses, 0, "city"), ==, "Quebec");
  g_assert_cmpstr (member_at (c->addresses, 0, "postcode"), ==, "G1V 2M2");
  g_assert_cmpstr (member_at (c->addresses, 0, "country"), ==, "Canada");
  g_assert_cmpstr (member_at (c->social, 0, "handle"), ==, "http://nomis80.org");
}

static void
test_thunderbird (void)
{
  g_autoptr (Parsed) p = parse_corpus ("thunderbird-MoreFunctionsForAddressBook-extension.vcf", 1);
  RapportContact *c = contact_at (p, 0);

  g_assert_cmpstr (c->name, ==, "John Doe");
  g_assert_cmpstr (c->organization, ==, "TheOrganization");
  g_assert_cmpstr (c->job_title, ==, "TheTitle");
  g_assert_cmpuint (length_of (c->emails), ==, 5);
  g_assert_cmpuint (length_of (c->phones), ==, 5);
  g_assert_cmpstr (member_at (c->phones, 4, "label"), ==, "pager");
  g_assert_cmpuint (length_of (c->addresses), ==, 2);
  g_assert_cmpstr (member_at (c->addresses, 1, "city"), ==, "Austin");
  g_assert_cmpuint (g_strv_length (c->tags), ==, 3);
  g_assert_true (rapport_contact_has_tag (c, "category2"));
  g_assert_cmpstr (c->birthday, ==, "1970-09-21");
  g_assert_cmpstr (note_at (p, 0, 0), ==,
                   "This is the notes field.\nSecond Line\n\nFourth Line\n"
                   "You can put anything in the \"note\" field; even curse words.");
}

static void
test_malformed_cards (void)
{
  const char *text =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEMAIL:good@example.org\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nothing to know it by\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad \\q escape; bad \"name\r\nX-BAD NAME:value\r\n"
    "TEL;TYPE=\"work,voice\";X-@=1;é:+44 20 7946 0018\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nFN:Cut short\r\n";
  g_autoptr (Parsed) p = parse_text (text, strlen (text));
  RapportImportIssue *issue;

  g_assert_cmpuint (p->items->len, ==, 2);
  g_assert_cmpstr (contact_at (p, 0)->name, ==, "Good One");
  g_assert_cmpstr (contact_at (p, 1)->name, ==, "Bad q escape; bad \"name");
  g_assert_cmpstr (member_at (contact_at (p, 1)->phones, 0, "label"), ==, "work");
  g_assert_cmpuint (p->issues->len, ==, 2);
  issue = p->issues->pdata[0];
  g_assert_cmpuint (issue->line, ==, 6);
  issue = p->issues->pdata[1];
  g_assert_cmpuint (issue->line, ==, 16);
}

static void
test_not_a_vcard (void)
{
  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
  g_autoptr (GError) error = NULL;

  g_assert_false (rapport_vcard_parse ("Name,Email\nAda,ada@example.org\n", 32, collect_cb, NULL,
                                       issues, &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rapport_vcard_parse ("BEGIN:VCARD\0\1\2", 14, collect_cb, NULL, issues, &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
}

static void
test_windows_1252_card (void)
{
  const char *text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:M\xfcller;J\xfcrgen\r\nFN:J\xfcrgen M\xfcller\r\n"
                     "ORG;CHARSET=ISO-8859-1:Caf\xe9 S\xe0rl\r\n"
                     "NOTE;CHARSET=WINDOWS-1252;ENCODING=QUOTED-PRINTABLE:=80 5 =E0 payer\r\nEND:VCARD\r\n";
  g_autoptr (Parsed) p = parse_text (text, strlen (text));

  g_assert_cmpuint (p->items->len, ==, 1);
  g_assert_cmpstr (contact_at (p, 0)->name, ==, "Jürgen Müller");
  g_assert_cmpstr (contact_at (p, 0)->family_name, ==, "Müller");
  g_assert_cmpstr (contact_at (p, 0)->organization, ==, "Café Sàrl");
  g_assert_cmpstr (note_at (p, 0, 0), ==, "€ 5 à payer");
}

static void
test_export_roundtrip (void)
{
  g_autoptr (RapportContact) c = rapport_contact_new ();
  g_autoptr (RapportNote) note = rapport_note_new ();
  g_autoptr (GPtrArray) notes = g_ptr_array_new ();
  g_autofree char *text = NULL;
  g_autoptr (Parsed) p = NULL;
  g_auto (GStrv) lines = NULL;
  char *tags[] = { "vip", "north, east", NULL };
  JsonObject *address = json_object_new ();
  RapportContact *back;

  RAPPORT_RECORD (c)->id = g_strdup ("6f1c7e55-7b53-4bd7-9a40-000000000001");
  c->kind = g_strdup ("person");
  c->name = g_strdup ("Zoë Müller-Lüdenscheidt; the second, with a very long name to fold");
  c->given_name = g_strdup ("Zoë");
  c->family_name = g_strdup ("Müller-Lüdenscheidt");
  c->organization = g_strdup ("Acme, Inc.");
  c->job_title = g_strdup ("Head of \\ Things");
  c->birthday = g_strdup ("--03-22");
  c->tags = g_strdupv (tags);
  rapport_contact_add_email (c, "work", "zoe@acme.example");
  rapport_contact_add_phone (c, "mobile", "+44 7700 900123");
  json_object_set_string_member (address, "label", "work");
  json_object_set_string_member (address, "street", "1 Long Road\nUnit 2");
  json_object_set_string_member (address, "city", "Leeds");
  json_object_set_string_member (address, "postcode", "LS1 1AA");
  c->addresses = json_array_new ();
  json_array_add_object_element (c->addresses, address);
  rapport_import_add_social (c, "linkedin", "https://www.linkedin.com/in/zoe");
  note->body = g_strdup ("Met at the fair.\nLikes tea; not coffee.");
  g_ptr_array_add (notes, note);

  text = rapport_vcard_from_contact (c, notes);
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCARD\r\nVERSION:4.0\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VCARD\r\n"));
  g_assert_nonnull (strstr (text, "\r\nUID:urn:uuid:6f1c7e55-7b53-4bd7-9a40-000000000001\r\n"));
  g_assert_nonnull (strstr (text, "\r\nBDAY:--0322\r\n"));
  g_assert_nonnull (strstr (text, "\r\nTEL;TYPE=cell;VALUE=text:+44 7700 900123\r\n"));
  /* Folded at 75 octets, never inside a UTF-8 character. */
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
    }

  p = parse_text (text, strlen (text));
  g_assert_cmpuint (p->items->len, ==, 1);
  back = contact_at (p, 0);
  g_assert_cmpstr (back->name, ==, c->name);
  g_assert_cmpstr (back->given_name, ==, "Zoë");
  g_assert_cmpstr (back->family_name, ==, "Müller-Lüdenscheidt");
  g_assert_cmpstr (back->organization, ==, "Acme, Inc.");
  g_assert_cmpstr (back->job_title, ==, "Head of \\ Things");
  g_assert_cmpstr (back->birthday, ==, "--03-22");
  g_assert_true (rapport_contact_has_tag (back, "vip"));
  g_assert_cmpstr (member_at (back->emails, 0, "value"), ==, "zoe@acme.example");
  g_assert_cmpstr (member_at (back->phones, 0, "label"), ==, "mobile");
  g_assert_cmpstr (member_at (back->addresses, 0, "street"), ==, "1 Long Road\nUnit 2");
  g_assert_cmpstr (member_at (back->addresses, 0, "postcode"), ==, "LS1 1AA");
  g_assert_cmpstr (member_at (back->social, 0, "service"), ==, "linkedin");
  g_assert_cmpstr (note_at (p, 0, 0), ==, "Met at the fair.\nLikes tea; not coffee.");
}

/* Inputs on which the fuzzer once crashed the parser: each parses now, or
 * is refused with an error, without crashing. */
static void
test_fuzz_regressions (void)
{
  const char *dir = g_test_get_filename (G_TEST_DIST, "data", "fuzz-regressions", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      g_autoptr (Parsed) parsed = g_new0 (Parsed, 1);
      g_autoptr (GError) error = NULL;
      gsize length = 0;

      if (!g_str_has_prefix (name, "vcard-"))
        continue;
      parsed->items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_item_free);
      parsed->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      if (!rapport_vcard_parse (data, length, collect_cb, parsed, parsed->issues, &error))
        g_assert_nonnull (error);
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vcard/corpus/android", test_android);
  g_test_add_func ("/vcard/corpus/blackberry", test_blackberry);
  g_test_add_func ("/vcard/corpus/evolution", test_evolution);
  g_test_add_func ("/vcard/corpus/gmail", test_gmail);
  g_test_add_func ("/vcard/corpus/lotus-notes", test_lotus_notes);
  g_test_add_func ("/vcard/corpus/ms-outlook", test_ms_outlook);
  g_test_add_func ("/vcard/corpus/gmail-single", test_gmail_single);
  g_test_add_func ("/vcard/corpus/outlook-2007", test_outlook_2007);
  g_test_add_func ("/vcard/corpus/rfc2426", test_rfc2426);
  g_test_add_func ("/vcard/corpus/rfc6350", test_rfc6350);
  g_test_add_func ("/vcard/corpus/thunderbird", test_thunderbird);
  g_test_add_func ("/vcard/malformed-cards", test_malformed_cards);
  g_test_add_func ("/vcard/not-a-vcard", test_not_a_vcard);
  g_test_add_func ("/vcard/windows-1252", test_windows_1252_card);
  g_test_add_func ("/vcard/export-roundtrip", test_export_roundtrip);
  g_test_add_func ("/vcard/fuzz-regressions", test_fuzz_regressions);
  return g_test_run ();
}
