/* test-conflicts.c: conflicts read and dismissed by contact (rapport-conflicts.c) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rapport-conflicts.h"
#include "rapport-records.h"
#include "test-common.h"

static char *
add_contact (RapportStore *store, const char *name)
{
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;

  contact->kind = g_strdup ("person");
  contact->name = g_strdup (name);
  g_assert_true (rapport_store_save (store, RAPPORT_RECORD (contact), &error));
  g_assert_no_error (error);
  return g_strdup (RAPPORT_RECORD (contact)->id);
}

static char *
add_note (RapportStore *store, const char *contact_id)
{
  g_autoptr (RapportNote) note = rapport_note_new ();
  g_autoptr (GError) error = NULL;

  note->contact_id = g_strdup (contact_id);
  note->body = g_strdup ("Met at the fair");
  g_assert_true (rapport_store_save (store, RAPPORT_RECORD (note), &error));
  g_assert_no_error (error);
  return g_strdup (RAPPORT_RECORD (note)->id);
}

static void
add_conflict (RapportStore *store, const char *entity, const char *id, const char *field,
              const char *stamp, const char *reason)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) value = json_from_string ("\"lost\"", NULL);

  g_assert_true (rapport_store_add_conflict (store, entity, id, field, value, stamp, NULL, reason,
                                             &error));
  g_assert_no_error (error);
}

/* A contact's conflicts are its own and its records', newest first; those
 * of another contact are not; dismissing up to the newest one shown keeps
 * one recorded later. */
static void
test_by_contact (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *grace = add_contact (ts->store, "Grace Hopper");
  g_autofree char *hedy = add_contact (ts->store, "Hedy Lamarr");
  g_autofree char *note = add_note (ts->store, grace);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  RapportConflict *newest;

  add_conflict (ts->store, "contact", grace, "phones", "s1", RAPPORT_CONFLICT_REPLACED);
  add_conflict (ts->store, "note", note, "body", "s2", "refused: forbidden: not yours");
  add_conflict (ts->store, "contact", hedy, "stage", "s3", RAPPORT_CONFLICT_DELETED);

  list = rapport_store_list_contact_conflicts (ts->store, grace, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  newest = list->pdata[0];
  g_assert_cmpstr (newest->record_id, ==, note);
  g_assert_cmpstr (newest->entity, ==, "note");
  g_assert_cmpstr (newest->field, ==, "body");
  g_assert_cmpstr (newest->reason, ==, "refused: forbidden: not yours");
  g_assert_cmpstr (newest->lost_value, ==, "\"lost\"");
  g_assert_cmpstr (((RapportConflict *) list->pdata[1])->field, ==, "phones");
  g_assert_cmpint (rapport_store_count_contact_conflicts (ts->store, grace), ==, 2);
  g_assert_cmpint (rapport_store_count_contact_conflicts (ts->store, hedy), ==, 1);

  /* Seen up to the newest shown; one recorded after it stays. */
  add_conflict (ts->store, "contact", grace, "job_title", "s4", RAPPORT_CONFLICT_REPLACED);
  g_assert_true (rapport_store_mark_contact_conflicts_seen (ts->store, grace, newest->id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rapport_store_list_contact_conflicts (ts->store, grace, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((RapportConflict *) list->pdata[0])->field, ==, "job_title");
  /* Other contacts are untouched; 0 marks all of one contact. */
  g_assert_cmpint (rapport_store_count_contact_conflicts (ts->store, hedy), ==, 1);
  g_assert_true (rapport_store_mark_contact_conflicts_seen (ts->store, grace, 0, &error));
  g_assert_cmpint (rapport_store_count_contact_conflicts (ts->store, grace), ==, 0);
  g_assert_cmpint (rapport_store_count_contact_conflicts (ts->store, hedy), ==, 1);
  /* Still there for an export or history. */
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rapport_store_list_conflicts (ts->store, grace, TRUE, &error);
  g_assert_cmpuint (list->len, ==, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/conflicts/by-contact", test_by_contact);
  return g_test_run ();
}
