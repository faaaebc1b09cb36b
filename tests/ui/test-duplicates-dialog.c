/* test-duplicates-dialog.c: Find duplicates driven in-process on a temporary store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "rapport-duplicates-dialog.h"
#include "rapport-first-run-dialog.h"
#include "test-common.h"
#include "ui-common.h"

typedef struct
{
  RapportTestStore *ts;
  RapportDuplicatesDialog *dialog;
  char *older_id;       /* Marta Silva, saved first */
  char *newer_id;       /* the same Marta, saved later with other details */
  char *call_id;        /* an interaction with the newer one */
} Fixture;

/* Helpers ------------------------------------------------------------------ */

typedef struct
{
  RapportDuplicatesDialog *dialog;
  const char *page;
  guint n_pairs;
} PageCheck;

static gboolean
on_page (gpointer data)
{
  PageCheck *check = data;
  return g_strcmp0 (rapport_duplicates_dialog_get_page (check->dialog), check->page) == 0
         && rapport_duplicates_dialog_get_n_pairs (check->dialog) == check->n_pairs;
}

static void
wait_for_pairs (Fixture *f, const char *page, guint n_pairs)
{
  PageCheck check = { f->dialog, page, n_pairs };
  g_autofree char *what = g_strdup_printf ("%u pairs on the “%s” page", n_pairs, page);

  ui_wait_until (on_page, &check, what);
}

static gpointer
child (Fixture *f, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->dialog),
                                                   RAPPORT_TYPE_DUPLICATES_DIALOG, name);
  g_assert_nonnull (object);
  return object;
}

static char *
save_contact (Fixture *f, const char *name, const char *email, const char *phone,
              const char *organization, const char *job_title, const char *tag)
{
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;
  const char *tags[] = { tag, NULL };

  contact->name = g_strdup (name);
  contact->kind = g_strdup ("person");
  contact->relationship = g_strdup ("customer");
  contact->organization = g_strdup (organization);
  contact->job_title = g_strdup (job_title);
  contact->tags = g_strdupv ((char **) tags);
  rapport_contact_add_email (contact, "work", email);
  if (phone != NULL)
    rapport_contact_add_phone (contact, "work", phone);
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (contact), &error));
  g_assert_no_error (error);
  return g_strdup (RAPPORT_RECORD (contact)->id);
}

static RapportContact *
get_contact (Fixture *f, const char *id)
{
  g_autoptr (GError) error = NULL;
  RapportContact *contact = rapport_store_get_contact (f->ts->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (contact);
  return contact;
}

static char *
interaction_contact (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportRecord) call = rapport_store_load (f->ts->store, rapport_entity_lookup ("interaction"),
                                                       f->call_id, &error);

  g_assert_no_error (error);
  return g_strdup (RAPPORT_INTERACTION (call)->contact_id);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportInteraction) call = rapport_interaction_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *other = NULL;

  f->ts = rapport_test_store_new ();
  rapport_save_identity (f->ts->store, "Ana Pereira", "Sales", &error);
  g_assert_no_error (error);
  f->older_id = save_contact (f, "Marta Silva", "marta@example.org", "+44 20 7946 0018", "Acme Ltd",
                              "Buyer", "vip");
  f->ts->now += 24 * 60 * 60;
  f->newer_id = save_contact (f, "Marta Silva", "MARTA@example.org", "+44 20 7946 0999",
                              "ACME Limited", "Head Buyer", "events");
  other = save_contact (f, "Zeno Brandt", "zeno@example.org", NULL, "Brandt AG", NULL, "vip");

  call->contact_id = g_strdup (f->newer_id);
  call->kind = g_strdup ("call");
  call->direction = g_strdup ("outbound");
  call->occurred_at = f->ts->now;
  call->summary = g_strdup ("Asked about the spring catalogue");
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (call), &error));
  g_assert_no_error (error);
  f->call_id = g_strdup (RAPPORT_RECORD (call)->id);

  f->dialog = rapport_duplicates_dialog_new (NULL, f->ts->store);
  gtk_window_present (GTK_WINDOW (f->dialog));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->dialog));
  ui_settle ();
  rapport_test_store_free (f->ts);
  g_free (f->older_id);
  g_free (f->newer_id);
  g_free (f->call_id);
}

/* Tests -------------------------------------------------------------------- */

static void
test_merge_and_undo (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) kept = NULL;
  g_autoptr (RapportContact) gone = NULL;
  g_autofree char *moved_to = NULL;
  gboolean older_first;
  AdwComboRow *organization;
  AdwComboRow *job_title;

  wait_for_pairs (f, "pairs", 1);
  older_first = g_str_equal (rapport_duplicates_dialog_get_first_id (f->dialog), f->older_id);
  g_assert_cmpstr (older_first ? rapport_duplicates_dialog_get_second_id (f->dialog)
                               : rapport_duplicates_dialog_get_first_id (f->dialog), ==, f->newer_id);
  /* The older record is kept unless the person says otherwise. */
  g_assert_true (gtk_check_button_get_active (child (f, older_first ? "keep_first_check"
                                                                    : "keep_second_check")));

  /* Only real disagreements are choices. */
  g_assert_null (rapport_duplicates_dialog_get_field_row (f->dialog, "name"));
  g_assert_null (rapport_duplicates_dialog_get_field_row (f->dialog, "relationship"));
  organization = rapport_duplicates_dialog_get_field_row (f->dialog, "organization");
  job_title = rapport_duplicates_dialog_get_field_row (f->dialog, "job_title");
  g_assert_nonnull (organization);
  g_assert_nonnull (job_title);
  /* Each starts on the kept record's value. */
  g_assert_cmpuint (adw_combo_row_get_selected (job_title), ==, older_first ? 0 : 1);

  ui_settle ();
  ui_save_screenshot (GTK_WIDGET (f->dialog), "duplicates");

  /* Take the newer organization, keep the older job title. */
  adw_combo_row_set_selected (organization, older_first ? 1 : 0);
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "duplicates.merge", NULL);
  wait_for_pairs (f, "empty", 0);

  kept = get_contact (f, f->older_id);
  gone = get_contact (f, f->newer_id);
  g_assert_false (RAPPORT_RECORD (kept)->deleted);
  g_assert_true (RAPPORT_RECORD (gone)->deleted);
  g_assert_cmpstr (kept->organization, ==, "ACME Limited");
  g_assert_cmpstr (kept->job_title, ==, "Buyer");
  /* Emails, phones and tags of both; the timeline moved. */
  g_assert_cmpuint (json_array_get_length (kept->emails), ==, 1);
  g_assert_cmpuint (json_array_get_length (kept->phones), ==, 2);
  g_assert_true (rapport_contact_has_tag (kept, "vip"));
  g_assert_true (rapport_contact_has_tag (kept, "events"));
  moved_to = interaction_contact (f);
  g_assert_cmpstr (moved_to, ==, f->older_id);
  g_clear_object (&kept);
  g_clear_object (&gone);
  g_clear_pointer (&moved_to, g_free);

  /* Undo (the toast's button): both back as they were. */
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "duplicates.undo", NULL);
  wait_for_pairs (f, "pairs", 1);
  kept = get_contact (f, f->older_id);
  gone = get_contact (f, f->newer_id);
  g_assert_false (RAPPORT_RECORD (gone)->deleted);
  g_assert_cmpstr (kept->organization, ==, "Acme Ltd");
  g_assert_cmpstr (gone->organization, ==, "ACME Limited");
  g_assert_cmpuint (json_array_get_length (kept->phones), ==, 1);
  g_assert_false (rapport_contact_has_tag (kept, "events"));
  moved_to = interaction_contact (f);
  g_assert_cmpstr (moved_to, ==, f->newer_id);
  /* Nothing left to undo. */
  g_assert_false (rapport_duplicates_dialog_undo (f->dialog));
}

static void
test_keep_newer (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) kept = NULL;
  g_autoptr (RapportContact) gone = NULL;
  gboolean older_first;

  wait_for_pairs (f, "pairs", 1);
  older_first = g_str_equal (rapport_duplicates_dialog_get_first_id (f->dialog), f->older_id);
  /* Keep the newer record, with the values chosen (still the older ones). */
  gtk_check_button_set_active (child (f, older_first ? "keep_second_check" : "keep_first_check"), TRUE);
  g_assert_true (rapport_duplicates_dialog_merge (f->dialog));
  wait_for_pairs (f, "empty", 0);

  kept = get_contact (f, f->newer_id);
  gone = get_contact (f, f->older_id);
  g_assert_false (RAPPORT_RECORD (kept)->deleted);
  g_assert_true (RAPPORT_RECORD (gone)->deleted);
  g_assert_cmpstr (kept->organization, ==, "Acme Ltd");
  g_assert_cmpstr (kept->job_title, ==, "Buyer");
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(name, func) \
  g_test_add ("/ui/duplicates-dialog/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("merge-and-undo", test_merge_and_undo);
  ADD ("keep-newer", test_keep_newer);
#undef ADD
  return g_test_run ();
}
