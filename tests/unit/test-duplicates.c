/* test-duplicates.c: finding likely duplicates before a contact is saved */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include "rapport-duplicates.h"
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
  ids = rapport_store_find_duplicates (store, probe, &error);
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
  g_autoptr (GPtrArray) ids = find (ts->store, "Beatriz", NULL, "bea@example.org", "21 555 0100", NULL);

  /* Both share the phone; the one with the same email comes first, and
   * each is listed once. */
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (ids->pdata[0], ==, by_email);
  g_assert_cmpstr (ids->pdata[1], ==, by_phone);
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
  return g_test_run ();
}
