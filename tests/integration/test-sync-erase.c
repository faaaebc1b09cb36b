/* test-sync-erase.c: an erasure request carried to the server and every desktop */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rapport-erase.h"
#include "rapport-sync-state.h"
#include "test-sync-common.h"

/* How many of the contact itself, its notes and its interactions the
 * desktop holds. */
static guint
count_named (TestDesktop *d, const char *contact_id)
{
  g_autoptr (GPtrArray) notes = NULL;
  g_autoptr (GPtrArray) interactions = NULL;
  g_autoptr (RapportContact) contact = rapport_store_get_contact (d->store, contact_id, NULL);
  char *where = g_strdup_printf ("contact_id = '%s'", contact_id);

  notes = rapport_store_list (d->store, rapport_entity_lookup ("note"), where, NULL);
  interactions = rapport_store_list (d->store, rapport_entity_lookup ("interaction"), where, NULL);
  g_free (where);
  return (contact != NULL ? 1 : 0) + notes->len + interactions->len;
}

static RapportInteraction *
add_interaction (TestDesktop *d, const char *contact_id, const char *summary)
{
  RapportInteraction *call = rapport_interaction_new ();
  g_autoptr (GError) error = NULL;

  call->contact_id = g_strdup (contact_id);
  call->summary = g_strdup (summary);
  call->kind = g_strdup ("call");
  call->channel = g_strdup ("phone");
  call->direction = g_strdup ("outbound");
  call->logged_by = g_strdup (rapport_store_get_me_id (d->store));
  call->occurred_at = g_get_real_time () / G_USEC_PER_SEC - 60;
  g_assert_true (rapport_store_save (d->store, RAPPORT_RECORD (call), &error));
  g_assert_no_error (error);
  return call;
}

/* Alice (the owner) erases a contact: one change is pushed, not a wipe of
 * every field; Bob's desktop purges the contact, its note and its call,
 * remembers the id, and drops the edit it had made offline (the server
 * refuses it); a desktop signing in later never receives any of it. */
static void
test_erasure_two_desktops (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  TestDesktop *c = NULL;
  g_autoptr (RapportContact) xavier = NULL;
  g_autoptr (RapportContact) keep = NULL;
  g_autoptr (RapportNote) note = NULL;
  g_autoptr (RapportInteraction) call = NULL;
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dump_c = NULL;
  RapportSyncStats stats;
  const char *id;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  /* Signed in and synced once: "me" is Alice's account, the owner of what
   * she adds. */
  test_desktop_sync_ok (a);
  xavier = test_desktop_add_contact (a, "Xavier Quist");
  keep = test_desktop_add_contact (a, "Kept Person");
  id = RAPPORT_RECORD (xavier)->id;
  note = test_desktop_add_note (a, id, "Xavier's secret plans", FALSE);
  call = add_interaction (a, id, "Xavier called about the plans");
  test_desktop_sync_ok (a);
  test_desktop_sync_ok (b);
  g_assert_cmpuint (count_named (b, id), ==, 3);
  {
    g_autofree char *owner = test_desktop_field (b, "contact", id, "owner");
    g_autofree char *alice = g_strdup_printf ("\"%s\"", test_sync_user_id ("alice"));

    /* Alice owns it: she may erase it. */
    g_assert_cmpstr (owner, ==, alice);
  }

  /* Bob edits offline; Alice erases. */
  test_desktop_edit (b, "contact", id, "stage", "\"from-bob\"");
  g_assert_cmpint (rapport_store_erase_contact (a->store, id, &error), ==, 3);
  g_assert_no_error (error);
  pending = rapport_store_pending_changes (a->store, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_true (((RapportChange *) pending->pdata[0])->erased);
  g_assert_cmpstr (((RapportChange *) pending->pdata[0])->record_id, ==, id);
  g_assert_cmpuint (json_object_get_size (((RapportChange *) pending->pdata[0])->fields), ==, 0);

  test_desktop_sync (a, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpuint (stats.refused, ==, 0);
  g_assert_cmpint (rapport_store_count_pending (a->store), ==, 0);

  /* Bob: the pull purges everything; his edit is refused and not kept. */
  test_desktop_sync (b, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_named (b, id), ==, 0);
  g_assert_true (rapport_store_is_erased (b->store, "contact", id));
  g_assert_true (rapport_store_is_erased (b->store, "note", RAPPORT_RECORD (note)->id));
  g_assert_cmpint (rapport_store_count_pending (b->store), ==, 0);
  g_assert_cmpint (rapport_store_count_conflicts (b->store, id), ==, 0);
  {
    g_autoptr (RapportContact) kept = rapport_store_get_contact (b->store, RAPPORT_RECORD (keep)->id, NULL);
    g_assert_nonnull (kept);
  }
  test_desktop_sync_ok (b);
  g_assert_cmpuint (count_named (b, id), ==, 0);

  /* A desktop signing in now never sees any of it. */
  c = test_desktop_new (srv->url);
  test_desktop_login (c, "mia", TEST_PASSWORD);
  test_desktop_sync_ok (c);
  g_assert_cmpuint (count_named (c, id), ==, 0);
  g_assert_true (rapport_store_is_erased (c->store, "contact", id));
  {
    g_autoptr (RapportContact) kept = rapport_store_get_contact (c->store, RAPPORT_RECORD (keep)->id, NULL);
    g_assert_nonnull (kept);
  }
  dump_c = test_desktop_dump (c, NULL);
  g_assert_null (strstr (dump_c, "Xavier"));
  g_assert_null (strstr (dump_c, "plans"));

  test_desktop_free (a);
  test_desktop_free (b);
  test_desktop_free (c);
}

/* Bob (staff) may not erase Alice's contact: the server refuses; Bob's
 * desktop gets the contact and its note back with a pull from the start,
 * and the record says the erasure was refused and why. */
static void
test_erasure_refused (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportContact) ada = NULL;
  g_autoptr (RapportNote) note = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  RapportSyncStats stats;
  const char *id;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  test_desktop_sync_ok (a);
  ada = test_desktop_add_contact (a, "Ada Lovelace");
  id = RAPPORT_RECORD (ada)->id;
  note = test_desktop_add_note (a, id, "Notes on the engine", FALSE);
  test_desktop_sync_ok (a);
  test_desktop_sync_ok (b);
  g_assert_cmpuint (count_named (b, id), ==, 2);

  g_assert_cmpint (rapport_store_erase_contact (b->store, id, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (count_named (b, id), ==, 0);
  test_desktop_sync (b, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.refused, ==, 1);

  /* Back, as the server has it, and not marked erased any more. */
  g_assert_cmpuint (count_named (b, id), ==, 2);
  g_assert_false (rapport_store_is_erased (b->store, "contact", id));
  conflicts = test_desktop_conflicts (b, id);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_true (g_str_has_prefix (conflicts->pdata[0], "erased|refused: forbidden"));
  /* Alice never lost it. */
  test_desktop_sync_ok (a);
  g_assert_cmpuint (count_named (a, id), ==, 2);

  test_desktop_free (a);
  test_desktop_free (b);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/erasure/two-desktops", test_erasure_two_desktops);
  g_test_add_func ("/sync/erasure/refused", test_erasure_refused);
  return g_test_run ();
}
