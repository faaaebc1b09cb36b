/* test-dialogs.c: the note, reminder, promise and log dialogs on a temporary store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <adwaita.h>

#include "rapport-log-dialog.h"
#include "rapport-note-dialog.h"
#include "rapport-promise-dialog.h"
#include "rapport-reminder-dialog.h"
#include "rapport-time.h"
#include "test-common.h"
#include "ui-common.h"

#define DAY ((gint64) 24 * 60 * 60)

/* Each dialog is opened for Zoë, checked empty (the error it shows), filled
 * in and saved; a screenshot of it open, and of its error, is written to
 * <build>/tests/ui/screenshots/dialog-*.png on every run. */

typedef struct
{
  RapportTestStore *ts;
  char *zoe;
  GtkWindow *dialog;   /* weak */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportUser) me = rapport_user_new ();
  g_autoptr (RapportUser) bob = rapport_user_new ();
  g_autoptr (RapportContact) zoe = rapport_contact_new ();
  g_autoptr (GError) error = NULL;

  f->ts = rapport_test_store_new ();
  me->name = g_strdup ("ada");
  me->display_name = g_strdup ("Ada Lovelace");
  me->role = g_strdup ("staff");
  me->department = g_strdup ("Sales");
  g_assert_true (rapport_store_set_me (f->ts->store, me, &error));
  g_assert_no_error (error);
  bob->name = g_strdup ("bob");
  bob->display_name = g_strdup ("Bob Jones");
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (bob), &error));
  g_assert_no_error (error);
  zoe->kind = g_strdup ("person");
  zoe->name = g_strdup ("Zoë Müller");
  zoe->preferred_channel = g_strdup ("email");
  zoe->owner = g_strdup (rapport_store_get_me_id (f->ts->store));
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (zoe), &error));
  g_assert_no_error (error);
  f->zoe = g_strdup (RAPPORT_RECORD (zoe)->id);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->dialog != NULL)
    gtk_window_destroy (f->dialog);
  g_assert_null (f->dialog);
  g_free (f->zoe);
  rapport_test_store_free (f->ts);
}

static void
present (Fixture *f, gpointer dialog)
{
  f->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &f->dialog);
  gtk_window_present (f->dialog);
  ui_wait_for_frames (GTK_WIDGET (f->dialog), 2);
}

static gpointer
child (Fixture *f, GType type, const char *name)
{
  return ui_template_child (f->dialog, type, name);
}

static void
set_text (Fixture *f, GType type, const char *name, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, type, name)), text);
}

/* The dialog shows @message (or, with NULL, any message) in its error label,
 * and has the focus on @focus. */
static void
assert_error (Fixture *f, GType type, const char *message, const char *focus)
{
  GtkLabel *label = child (f, type, "error_label");
  GtkWidget *focused = gtk_root_get_focus (GTK_ROOT (f->dialog));

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  if (message != NULL)
    g_assert_cmpstr (gtk_label_get_text (label), ==, message);
  else
    g_assert_cmpstr (gtk_label_get_text (label), !=, "");
  g_assert_nonnull (focused);
  g_assert_true (focused == child (f, type, focus)
                 || gtk_widget_is_ancestor (focused, child (f, type, focus)));
}

static void
assert_titled_for_zoe (Fixture *f, GType type)
{
  AdwWindowTitle *title = child (f, type, "window_title");

  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Zoë Müller");
  g_assert_false (gtk_widget_get_visible (child (f, type, "error_label")));
}

/* Presents @dialog, opened for Zoë, and pictures it as @shot. */
static void
open_for_zoe (Fixture *f, gpointer dialog, const char *shot)
{
  present (f, dialog);
  assert_titled_for_zoe (f, G_OBJECT_TYPE (dialog));
  ui_save_screenshot (GTK_WIDGET (f->dialog), shot);
}

/* Saves through "dialog.save" (Ctrl+Enter, the Save button): refused, the
 * dialog stays open and says @message (NULL: anything) with the focus on
 * @focus; pictured as @shot when not NULL. */
static void
save_refused (Fixture *f, const char *message, const char *focus, const char *shot)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "dialog.save", NULL));
  ui_settle ();
  g_assert_nonnull (f->dialog);
  assert_error (f, G_OBJECT_TYPE (f->dialog), message, focus);
  if (shot != NULL)
    ui_save_screenshot (GTK_WIDGET (f->dialog), shot);
}

static gboolean
dialog_gone (gpointer data)
{
  return ((Fixture *) data)->dialog == NULL;
}

static GPtrArray *
records_of_zoe (Fixture *f, const char *entity)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *where = g_strdup_printf ("contact_id = '%s'", f->zoe);
  GPtrArray *records = rapport_store_list (f->ts->store, rapport_entity_lookup (entity), where,
                                           &error);

  g_assert_no_error (error);
  return records;
}

/* After a save that returned @saved: the dialog closes, and Zoë has one
 * @entity record, returned in an array of one. */
static GPtrArray *
saved_one (Fixture *f, gboolean saved, const char *entity)
{
  GPtrArray *records;

  g_assert_true (saved);
  ui_wait_until (dialog_gone, f, "the dialog to close");
  records = records_of_zoe (f, entity);
  g_assert_cmpuint (records->len, ==, 1);
  return records;
}

/* Note ------------------------------------------------------------------------ */

static void
test_note (Fixture *f, gconstpointer data)
{
  GType type = RAPPORT_TYPE_NOTE_DIALOG;
  g_autoptr (GPtrArray) notes = NULL;
  GtkTextBuffer *buffer;
  RapportNote *note;

  open_for_zoe (f, rapport_note_dialog_new (NULL, f->ts->store, f->zoe), "dialog-note");
  save_refused (f, "Write the note first.", "body_view", "dialog-note-error");

  buffer = gtk_text_view_get_buffer (child (f, type, "body_view"));
  gtk_text_buffer_set_text (buffer, "  Prefers calls after 4 pm.  ", -1);
  gtk_switch_set_active (child (f, type, "pinned_switch"), TRUE);
  notes = saved_one (f, rapport_note_dialog_save (RAPPORT_NOTE_DIALOG (f->dialog)),
                      "note");
  note = RAPPORT_NOTE (notes->pdata[0]);
  g_assert_cmpstr (note->body, ==, "Prefers calls after 4 pm.");
  g_assert_true (note->pinned);
  g_assert_false (note->private);
  g_assert_cmpstr (note->author, ==, rapport_store_get_me_id (f->ts->store));
}

/* Reminder ---------------------------------------------------------------------- */

static void
test_reminder (Fixture *f, gconstpointer data)
{
  GType type = RAPPORT_TYPE_REMINDER_DIALOG;
  g_autoptr (GPtrArray) reminders = NULL;
  g_autoptr (GError) error = NULL;
  RapportReminder *reminder;
  gint64 expected = 0;

  open_for_zoe (f, rapport_reminder_dialog_new (NULL, f->ts->store, f->zoe), "dialog-reminder");
  g_assert_cmpstr (gtk_editable_get_text (child (f, type, "title_row")), ==,
                   "Follow up with Zoë Müller");
  g_assert_cmpstr (gtk_editable_get_text (child (f, type, "due_row")), ==, "tomorrow");

  set_text (f, type, "due_row", "  ");
  save_refused (f, "Say when to follow up, for example “tomorrow” or “+3d”.", "due_row",
                "dialog-reminder-error");
  set_text (f, type, "due_row", "the day after never");
  g_assert_false (rapport_reminder_dialog_save (RAPPORT_REMINDER_DIALOG (f->dialog)));
  assert_error (f, type, NULL, "due_row");
  set_text (f, type, "due_row", "+3d");
  set_text (f, type, "recurrence_row", "now and then");
  g_assert_false (rapport_reminder_dialog_save (RAPPORT_REMINDER_DIALOG (f->dialog)));
  assert_error (f, type, NULL, "recurrence_row");
  reminders = records_of_zoe (f, "reminder");
  g_assert_cmpuint (reminders->len, ==, 0);
  g_clear_pointer (&reminders, g_ptr_array_unref);

  set_text (f, type, "recurrence_row", "");
  gtk_switch_set_active (child (f, type, "working_days_switch"), TRUE);
  g_assert_true (rapport_time_parse ("+3d", RAPPORT_TEST_NOW, &expected, &error));
  reminders = saved_one (f, rapport_reminder_dialog_save (RAPPORT_REMINDER_DIALOG (f->dialog)),
                          "reminder");
  reminder = RAPPORT_REMINDER (reminders->pdata[0]);
  g_assert_cmpstr (reminder->title, ==, "Follow up with Zoë Müller");
  g_assert_cmpint (reminder->due_at, ==, expected);
  g_assert_null (reminder->recurrence);
  g_assert_true (reminder->working_days);
  g_assert_cmpstr (reminder->owner, ==, rapport_store_get_me_id (f->ts->store));
  g_assert_cmpstr (reminder->created_by, ==, reminder->owner);
}

/* Promise ------------------------------------------------------------------------ */

static void
test_promise (Fixture *f, gconstpointer data)
{
  GType type = RAPPORT_TYPE_PROMISE_DIALOG;
  g_autoptr (GPtrArray) promises = NULL;
  g_autoptr (GError) error = NULL;
  AdwComboRow *deliver;
  RapportPromise *promise;
  gint64 expected = 0;

  open_for_zoe (f, rapport_promise_dialog_new (NULL, f->ts->store, f->zoe), "dialog-promise");
  deliver = child (f, type, "deliver_user_row");
  /* Nobody in particular, Ada, Bob. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (deliver)), ==, 3);
  g_assert_cmpuint (adw_combo_row_get_selected (deliver), ==, 0);
  save_refused (f, "Write down what was promised.", "what_row", "dialog-promise-error");
  set_text (f, type, "what_row", " Samples by courier ");
  set_text (f, type, "due_row", "whenever");
  g_assert_false (rapport_promise_dialog_save (RAPPORT_PROMISE_DIALOG (f->dialog)));
  assert_error (f, type, NULL, "due_row");

  set_text (f, type, "due_row", "+2d");
  set_text (f, type, "deliver_department_row", "Logistics");
  adw_combo_row_set_selected (deliver, 2);
  g_assert_true (rapport_time_parse ("+2d", RAPPORT_TEST_NOW, &expected, &error));
  promises = saved_one (f, rapport_promise_dialog_save (RAPPORT_PROMISE_DIALOG (f->dialog)),
                         "promise");
  promise = RAPPORT_PROMISE (promises->pdata[0]);
  g_assert_cmpstr (promise->what, ==, "Samples by courier");
  g_assert_cmpint (promise->due_at, ==, expected);
  g_assert_cmpstr (promise->status, ==, "open");
  g_assert_cmpstr (promise->promised_by, ==, rapport_store_get_me_id (f->ts->store));
  g_assert_nonnull (promise->deliver_by_user);
  g_assert_cmpstr (promise->deliver_by_user, !=, promise->promised_by);
  g_assert_cmpstr (promise->deliver_by_department, ==, "Logistics");
}

/* Log ----------------------------------------------------------------------------- */

static void
test_log (Fixture *f, gconstpointer data)
{
  GType type = RAPPORT_TYPE_LOG_DIALOG;
  g_autoptr (GPtrArray) interactions = NULL;
  g_autoptr (GPtrArray) reminders = NULL;
  RapportInteraction *interaction;
  RapportReminder *reminder;

  open_for_zoe (f, rapport_log_dialog_new (NULL, f->ts->store, f->zoe), "dialog-log");
  save_refused (f, "Write a short summary of what happened, so colleagues can follow the "
                   "relationship.", "summary_row", "dialog-log-error");
  set_text (f, type, "summary_row", "Renewal questions");
  set_text (f, type, "when_row", "someday");
  g_assert_false (rapport_log_dialog_save (RAPPORT_LOG_DIALOG (f->dialog)));
  assert_error (f, type, NULL, "when_row");

  set_text (f, type, "when_row", "");
  gtk_spin_button_set_value (child (f, type, "follow_up_spin"), 2);
  interactions = saved_one (f, rapport_log_dialog_save (RAPPORT_LOG_DIALOG (f->dialog)),
                             "interaction");
  interaction = RAPPORT_INTERACTION (interactions->pdata[0]);
  /* Zoë prefers email: an email it was. */
  g_assert_cmpstr (interaction->kind, ==, "email");
  g_assert_cmpstr (interaction->channel, ==, "email");
  g_assert_cmpstr (interaction->summary, ==, "Renewal questions");
  g_assert_cmpint (interaction->occurred_at, ==, RAPPORT_TEST_NOW);
  g_assert_cmpstr (interaction->department, ==, "Sales");
  reminders = records_of_zoe (f, "reminder");
  g_assert_cmpuint (reminders->len, ==, 1);
  reminder = RAPPORT_REMINDER (reminders->pdata[0]);
  g_assert_cmpstr (reminder->title, ==, "Follow up: Renewal questions");
  g_assert_cmpint (reminder->due_at, ==, RAPPORT_TEST_NOW + 2 * DAY);
}

int
main (int argc, char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  if (!ui_test_init (&argc, &argv))
    return 0;
  /* Screenshots that compare equal from run to run. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE,
                "gtk-enable-animations", FALSE, NULL);

#define ADD(name, func) \
  g_test_add ("/ui/dialogs/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("note", test_note);
  ADD ("reminder", test_reminder);
  ADD ("promise", test_promise);
  ADD ("log", test_log);
#undef ADD
  return g_test_run ();
}
