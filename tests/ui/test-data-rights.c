/* test-data-rights.c: exporting contacts and records, and erasing a contact, from the main window */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "rapport-duplicates-dialog.h"
#include "rapport-erase.h"
#include "rapport-export-ui.h"
#include "rapport-first-run-dialog.h"
#include "rapport-window.h"
#include "test-common.h"
#include "ui-common.h"

typedef struct
{
  RapportTestStore *ts;
  RapportWindow *window;
  char *dir;
  char *marta_id;       /* a customer tagged "vip", with a call */
  char *bruno_id;       /* a prospect */
  char *call_id;
} Fixture;

/* Helpers ------------------------------------------------------------------ */

static char *
save_contact (Fixture *f, const char *name, const char *email, const char *relationship,
              const char *tag)
{
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;
  const char *tags[] = { tag, NULL };

  contact->name = g_strdup (name);
  contact->kind = g_strdup ("person");
  contact->relationship = g_strdup (relationship);
  contact->tags = g_strdupv ((char **) tags);
  rapport_contact_add_email (contact, "work", email);
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (contact), &error));
  g_assert_no_error (error);
  return g_strdup (RAPPORT_RECORD (contact)->id);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportInteraction) call = rapport_interaction_new ();
  g_autoptr (GError) error = NULL;

  f->ts = rapport_test_store_new ();
  f->dir = rapport_test_tmpdir ();
  rapport_save_identity (f->ts->store, "Ana Pereira", "Sales", &error);
  g_assert_no_error (error);
  f->marta_id = save_contact (f, "Marta Silva", "marta@example.org", "customer", "vip");
  f->bruno_id = save_contact (f, "Bruno Costa", "bruno@example.org", "prospect", NULL);
  call->contact_id = g_strdup (f->marta_id);
  call->kind = g_strdup ("call");
  call->direction = g_strdup ("outbound");
  call->occurred_at = f->ts->now;
  call->summary = g_strdup ("Renewal of the support contract");
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (call), &error));
  g_assert_no_error (error);
  f->call_id = g_strdup (RAPPORT_RECORD (call)->id);

  f->window = rapport_window_new (NULL, f->ts->store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  ui_settle ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  gtk_window_destroy (GTK_WINDOW (f->window));
  ui_settle ();
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->marta_id);
  g_free (f->bruno_id);
  g_free (f->call_id);
  rapport_test_store_free (f->ts);
}

typedef struct
{
  gboolean done;
  gint64 written;
  GError *error;
} ExportResult;

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ExportResult *r = user_data;

  r->written = rapport_export_contacts_finish (RAPPORT_STORE (source), result, &r->error);
  r->done = TRUE;
}

static gboolean
export_done (gpointer data)
{
  return ((ExportResult *) data)->done;
}

/* Exports and returns the file's text. */
static char *
export (Fixture *f, RapportExportFormat format, char **ids, const char *name, gint64 expected)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  ExportResult r = { 0 };
  char *text = NULL;

  rapport_export_contacts_async (f->ts->store, format, (const char *const *) ids, file, NULL,
                                 export_done_cb, &r);
  ui_wait_until (export_done, &r, "the export");
  g_assert_no_error (r.error);
  g_assert_cmpint (r.written, ==, expected);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static guint
count (const char *text, const char *what)
{
  guint n = 0;

  for (const char *p = strstr (text, what); p; p = strstr (p + 1, what))
    n++;
  return n;
}

typedef struct
{
  GListModel *model;
  guint n;
} CountCheck;

static gboolean
has_n_items (gpointer data)
{
  CountCheck *c = data;
  return g_list_model_get_n_items (c->model) == c->n;
}

/* Tests -------------------------------------------------------------------- */

static void
test_menu_actions (Fixture *f, gconstpointer data)
{
  GtkWindow *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.find-duplicates", NULL);
  dialog = ui_find_toplevel (RAPPORT_TYPE_DUPLICATES_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (f->window));
  gtk_window_destroy (dialog);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.export", NULL);
  dialog = ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Export Contacts");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  ui_settle ();

  /* The erase action asks first, naming the contact shown. */
  rapport_window_show_contact (f->window, f->bruno_id);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.erase-contact", NULL);
  dialog = ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Erase “Bruno Costa”?");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  ui_settle ();
}

static void
test_export_current_view (Fixture *f, gconstpointer data)
{
  GtkListView *list = GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (f->window),
                                                                    RAPPORT_TYPE_WINDOW,
                                                                    "contact_list_view"));
  CountCheck check = { NULL, 1 };
  g_auto (GStrv) ids = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *vcf = NULL;

  /* Today is a queue, not a list of contacts: nothing to export as "this list". */
  g_assert_true (rapport_window_show_view (f->window, "today"));
  g_assert_null (rapport_window_dup_listed_ids (f->window));

  g_assert_true (rapport_window_show_view (f->window, "tag:vip"));
  check.model = G_LIST_MODEL (gtk_list_view_get_model (list));
  ui_wait_until (has_n_items, &check, "the vip list");
  ids = rapport_window_dup_listed_ids (f->window);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, f->marta_id);

  csv = export (f, RAPPORT_EXPORT_CSV, ids, "vip.csv", 1);
  g_assert_nonnull (strstr (csv, "Marta Silva"));
  g_assert_null (strstr (csv, "Bruno"));

  /* Everything: both, as vCard 4.0. */
  vcf = export (f, RAPPORT_EXPORT_VCARD, NULL, "all.vcf", 2);
  g_assert_cmpuint (count (vcf, "BEGIN:VCARD"), ==, 2);
  g_assert_nonnull (strstr (vcf, "VERSION:4.0"));
  g_assert_nonnull (strstr (vcf, "Bruno Costa"));
}

static void
test_export_dialog (Fixture *f, gconstpointer data)
{
  AdwMessageDialog *dialog;
  GtkWidget *list;
  AdwComboRow *scope;

  g_assert_true (rapport_window_show_view (f->window, "customers"));
  ui_settle ();
  dialog = rapport_window_ask_export (f->window);
  list = adw_message_dialog_get_extra_child (dialog);
  scope = ADW_COMBO_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  /* Everything, or the list shown, by name and size. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (scope)), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (scope)), 1),
                   ==, "This list: Customers (1 contact)");
  adw_message_dialog_response (dialog, "cancel");
  ui_settle ();
}

static void
test_export_record (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *root;
  gsize length = 0;

  text = rapport_export_record_text (f->ts->store, f->marta_id, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, strlen (text));
  g_assert_true (json_parser_load_from_data (parser, text, length, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "rapport-contact-record/1");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "interactions")), ==, 1);
  g_assert_nonnull (strstr (text, "Renewal of the support contract"));
}

typedef struct
{
  GtkWidget *window;
  const char *needle;
} ToastCheck;

static gboolean
toast_shown (gpointer data)
{
  ToastCheck *check = data;
  return ui_find_widget (check->window, ui_label_contains, check->needle) != NULL;
}

/* Back Up…: a copy of the store in a thread, said in a toast; a second
 * backup to the same file is refused, and the first is left as it was. */
static void
test_backup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "backup.db", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportContact) marta = NULL;
  g_autofree char *before = NULL, *after = NULL;
  gsize before_len = 0, after_len = 0;
  ToastCheck done = { GTK_WIDGET (f->window), "Backed up 2 contacts" };
  ToastCheck refused = { GTK_WIDGET (f->window), "already exists" };

  gboolean installed = FALSE;
  const GVariantType *parameter;
  const char *name, *property;
  GType owner;

  /* The menu's "Back Up…" (which asks where, then does what follows). */
  for (guint i = 0; gtk_widget_class_query_action (GTK_WIDGET_GET_CLASS (f->window), i, &owner, &name,
                                                   &parameter, &property); i++)
    installed |= g_str_equal (name, "window.backup");
  g_assert_true (installed);

  rapport_window_back_up_to (f->window, file);
  ui_wait_until (toast_shown, &done, "the backup's toast");
  {
    g_autoptr (RapportStore) copy = rapport_store_open (path, &error);

    g_assert_no_error (error);
    marta = rapport_store_get_contact (copy, f->marta_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (marta->name, ==, "Marta Silva");
  }
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  rapport_window_back_up_to (f->window, file);
  ui_wait_until (toast_shown, &refused, "the refused backup's toast");
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, before, before_len);
}

static void
test_erase (Fixture *f, gconstpointer data)
{
  AdwMessageDialog *dialog;
  g_autoptr (RapportContact) still = NULL;
  g_autoptr (RapportRecord) call = NULL;
  g_autoptr (GError) error = NULL;

  rapport_window_show_contact (f->window, f->marta_id);
  ui_settle ();

  /* Cancel: nothing happens. */
  dialog = rapport_window_confirm_erase (f->window);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "Marta Silva"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "cannot be undone"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "cancel");
  ui_settle ();
  still = rapport_store_get_contact (f->ts->store, f->marta_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (still);

  /* Erase: the contact and their timeline are gone. */
  dialog = rapport_window_confirm_erase (f->window);
  adw_message_dialog_response (dialog, "erase");
  ui_settle ();
  g_assert_null (rapport_window_get_contact_id (f->window));
  g_clear_object (&still);
  still = rapport_store_get_contact (f->ts->store, f->marta_id, NULL);
  g_assert_null (still);
  call = rapport_store_load (f->ts->store, rapport_entity_lookup ("interaction"), f->call_id, NULL);
  g_assert_null (call);
  g_assert_true (rapport_store_is_erased (f->ts->store, "contact", f->marta_id));
  /* Bruno is untouched. */
  g_clear_object (&still);
  still = rapport_store_get_contact (f->ts->store, f->bruno_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (still);
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(name, func) \
  g_test_add ("/ui/data-rights/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("menu-actions", test_menu_actions);
  ADD ("export-current-view", test_export_current_view);
  ADD ("export-dialog", test_export_dialog);
  ADD ("export-record", test_export_record);
  ADD ("erase", test_erase);
  ADD ("backup", test_backup);
#undef ADD
  return g_test_run ();
}
