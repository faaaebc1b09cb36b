/* test-import-dialog.c: the import dialog driven in-process on a temporary store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "rapport-csv.h"
#include "rapport-export-ui.h"
#include "rapport-import-dialog.h"
#include "rapport-window.h"
#include "test-common.h"
#include "ui-common.h"

typedef struct
{
  RapportTestStore *ts;
  RapportImportDialog *dialog;
} Fixture;

/* Helpers ------------------------------------------------------------------ */

typedef struct
{
  RapportImportDialog *dialog;
  const char *page;
} PageCheck;

static gboolean
on_page (gpointer data)
{
  PageCheck *check = data;
  return g_strcmp0 (rapport_import_dialog_get_page (check->dialog), check->page) == 0;
}

static void
wait_for_page (Fixture *f, const char *page)
{
  PageCheck check = { f->dialog, page };
  g_autofree char *what = g_strdup_printf ("the “%s” page", page);

  ui_wait_until (on_page, &check, what);
}

static gpointer
child (Fixture *f, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->dialog), RAPPORT_TYPE_IMPORT_DIALOG,
                                                   name);
  g_assert_nonnull (object);
  return object;
}

static GFile *
fixture_file (const char *name)
{
  return g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "data", name, NULL));
}

static void
open_fixture (Fixture *f, const char *name, const char *page)
{
  g_autoptr (GFile) file = fixture_file (name);

  rapport_import_dialog_open_file (f->dialog, file);
  wait_for_page (f, page);
}

static gboolean
is_column_row (GtkWidget *widget, gconstpointer column)
{
  return ADW_IS_COMBO_ROW (widget) && g_strcmp0 (gtk_widget_get_name (widget), column) == 0;
}

/* The row of the mapping page for a CSV column, found by its header. */
static AdwComboRow *
find_column_row (GtkWidget *widget, const char *column)
{
  return (AdwComboRow *) ui_find_widget (widget, is_column_row, column);
}

static const char *
combo_label (AdwComboRow *row)
{
  GListModel *model = adw_combo_row_get_model (row);
  return gtk_string_list_get_string (GTK_STRING_LIST (model), adw_combo_row_get_selected (row));
}

/* Chooses @label in a column's menu, as a person would. */
static void
choose (Fixture *f, const char *column, const char *label)
{
  AdwComboRow *row = find_column_row (GTK_WIDGET (f->dialog), column);
  GListModel *model;

  g_assert_nonnull (row);
  model = adw_combo_row_get_model (row);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), label))
      {
        adw_combo_row_set_selected (row, i);
        g_assert_cmpstr (combo_label (row), ==, label);
        return;
      }
  g_error ("No choice “%s” for the column “%s”", label, column);
}

static guint
count_contacts (Fixture *f)
{
  g_autoptr (GPtrArray) all = rapport_store_list (f->ts->store, rapport_entity_lookup ("contact"),
                                                  NULL, NULL);
  g_assert_nonnull (all);
  return all->len;
}

static GPtrArray *
notes_of (Fixture *f, const char *contact_id)
{
  g_autofree char *where = g_strdup_printf ("contact_id = '%s'", contact_id);
  GPtrArray *notes = rapport_store_list (f->ts->store, rapport_entity_lookup ("note"), where, NULL);

  g_assert_nonnull (notes);
  return notes;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->ts = rapport_test_store_new ();
  f->dialog = rapport_import_dialog_new (NULL, f->ts->store);
  gtk_window_present (GTK_WINDOW (f->dialog));
  ui_settle ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->dialog));
  ui_settle ();
  rapport_test_store_free (f->ts);
}

static void
import_and_wait (Fixture *f)
{
  g_assert_true (rapport_import_dialog_start (f->dialog));
  g_assert_cmpstr (rapport_import_dialog_get_page (f->dialog), ==, "progress");
  wait_for_page (f, "summary");
}

/* Tests -------------------------------------------------------------------- */

static void
test_start_page (Fixture *f, gconstpointer data)
{
  g_assert_cmpstr (rapport_import_dialog_get_page (f->dialog), ==, "start");
  /* Nothing to import yet. */
  g_assert_false (rapport_import_dialog_start (f->dialog));
  g_assert_false (gtk_widget_get_visible (child (f, "import_button")));
}

static void
test_csv_mapping (Fixture *f, gconstpointer data)
{
  GtkColumnView *view = child (f, "preview_view");
  g_autoptr (GtkColumnViewColumn) segment = NULL;
  const RapportImportSummary *summary;
  g_autoptr (RapportContact) ingrid = NULL;
  g_autoptr (GPtrArray) notes = NULL;
  g_autoptr (GError) error = NULL;

  open_fixture (f, "custom.csv", "csv");

  /* The first rows, one column per CSV column, titled by the header. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (view)), ==, 9);
  g_assert_true (gtk_switch_get_active (child (f, "header_switch")));
  /* Recognized by name. */
  g_assert_cmpstr (combo_label (find_column_row (GTK_WIDGET (f->dialog), "Full Name")), ==,
                   "Full name");
  g_assert_cmpstr (combo_label (find_column_row (GTK_WIDGET (f->dialog), "Company")), ==,
                   "Organization");

  /* With every column ignored, nothing says who a row is: refused. */
  adw_combo_row_set_selected (child (f, "preset_row"), 3);
  g_assert_cmpstr (combo_label (find_column_row (GTK_WIDGET (f->dialog), "Full Name")), ==, "Ignore");
  g_assert_false (rapport_import_dialog_start (f->dialog));
  g_assert_true (gtk_widget_get_visible (child (f, "error_label")));
  g_assert_cmpstr (rapport_import_dialog_get_page (f->dialog), ==, "csv");

  /* Chosen column by column, as in tests/data/custom.mapping. */
  choose (f, "Full Name", "Full name");
  choose (f, "Company", "Organization");
  choose (f, "Work Email", "Email");
  choose (f, "Mobile", "Phone");
  choose (f, "Town", "City");
  choose (f, "Remarks", "Note");
  choose (f, "Segment", "Tags");
  choose (f, "Stage", "Stage");
  segment = g_list_model_get_item (gtk_column_view_get_columns (view), 7);
  g_assert_cmpstr (gtk_column_view_column_get_title (segment), ==, "Segment → Tags");
  ui_settle ();
  ui_save_screenshot (GTK_WIDGET (f->dialog), "import-csv-mapping");

  import_and_wait (f);
  summary = rapport_import_dialog_get_summary (f->dialog);
  g_assert_nonnull (summary);
  g_assert_cmpuint (summary->created, ==, 3);
  g_assert_cmpuint (summary->merged, ==, 0);
  g_assert_cmpuint (summary->skipped, ==, 0);
  g_assert_cmpstr (gtk_label_get_text (child (f, "created_label")), ==, "3");
  g_assert_false (gtk_widget_get_visible (child (f, "issues_group")));
  g_assert_cmpuint (count_contacts (f), ==, 3);

  ingrid = rapport_store_find_contact (f->ts->store, "Ingrid Bergman", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ingrid->organization, ==, "Nordic Films AB");
  g_assert_cmpstr (rapport_contact_get_primary_email (ingrid), ==, "ingrid@nordicfilms.example");
  g_assert_cmpstr (rapport_contact_get_primary_phone (ingrid), ==, "+46 70 123 45 67");
  g_assert_true (rapport_contact_has_tag (ingrid, "film"));
  g_assert_true (rapport_contact_has_tag (ingrid, "premium"));
  g_assert_cmpstr (ingrid->stage, ==, "active");
  notes = notes_of (f, RAPPORT_RECORD (ingrid)->id);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (RAPPORT_NOTE (notes->pdata[0])->body, ==, "Wants the spring catalogue");

  /* The same file again: matched, nothing new. */
  open_fixture (f, "custom.csv", "csv");
  import_and_wait (f);
  summary = rapport_import_dialog_get_summary (f->dialog);
  g_assert_cmpuint (summary->created, ==, 0);
  g_assert_cmpuint (summary->merged, ==, 3);
  g_assert_cmpuint (count_contacts (f), ==, 3);
}

static void
test_google_preset (Fixture *f, gconstpointer data)
{
  g_autoptr (RapportContact) amelie = NULL;
  g_autoptr (GError) error = NULL;

  open_fixture (f, "google.csv", "csv");
  adw_combo_row_set_selected (child (f, "preset_row"), 1);
  g_assert_cmpstr (combo_label (find_column_row (GTK_WIDGET (f->dialog), "Organization 1 - Name")),
                   ==, "Organization");
  import_and_wait (f);
  g_assert_cmpuint (rapport_import_dialog_get_summary (f->dialog)->created, >=, 1);

  amelie = rapport_store_find_contact (f->ts->store, "Amélie Durand", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (amelie->organization, ==, "Lumière SARL");
  g_assert_cmpstr (amelie->job_title, ==, "Directrice des achats");
  g_assert_cmpuint (json_array_get_length (amelie->emails), ==, 3);
}

static void
test_skipped_lines (Fixture *f, gconstpointer data)
{
  static const guint bad_lines[] = { 3, 4, 5, 12 };
  GtkListBox *issues = child (f, "issues_list");
  const RapportImportSummary *summary;

  open_fixture (f, "malformed.csv", "csv");
  import_and_wait (f);
  summary = rapport_import_dialog_get_summary (f->dialog);
  g_assert_cmpuint (summary->created, ==, 4);
  g_assert_cmpuint (summary->skipped, ==, G_N_ELEMENTS (bad_lines));
  g_assert_cmpstr (gtk_label_get_text (child (f, "skipped_label")), ==, "4");
  g_assert_true (gtk_widget_get_visible (child (f, "issues_group")));
  /* Each skipped record is listed with its line and the reason. */
  for (guint i = 0; i < G_N_ELEMENTS (bad_lines); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (issues, i);
      g_autofree char *title = g_strdup_printf ("Line %u", bad_lines[i]);

      g_assert_nonnull (row);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, title);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), !=, "");
    }
  g_assert_null (gtk_list_box_get_row_at_index (issues, G_N_ELEMENTS (bad_lines)));
  ui_settle ();
  ui_save_screenshot (GTK_WIDGET (f->dialog), "import-summary");
}

/* A pipe (rapport <(zcat contacts.csv.gz)) gives its bytes once: the
 * preview reads its start, and the import gets every row all the same,
 * those of the preview and those past it (10,000 rows: 400 KB). */
static void
test_pipe (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->ts->dir, "contacts.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  RapportTestFeeder feeder = { path, 10000 };
  GThread *writer;

  signal (SIGPIPE, SIG_IGN);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  writer = g_thread_new ("feeder", rapport_test_feed_pipe, &feeder);
  rapport_import_dialog_open_file (f->dialog, file);
  wait_for_page (f, "csv");
  g_thread_join (writer);
  import_and_wait (f);
  g_assert_cmpuint (rapport_import_dialog_get_summary (f->dialog)->created, ==, 10000);
  g_assert_cmpuint (count_contacts (f), ==, 10000);
  g_unlink (path);
}

static void
test_vcard (Fixture *f, gconstpointer data)
{
  open_fixture (f, "vcard/rfc6350-example.vcf", "vcard");
  g_assert_true (gtk_widget_get_visible (child (f, "import_button")));
  ui_settle ();
  ui_save_screenshot (GTK_WIDGET (f->dialog), "import-vcard");
  import_and_wait (f);
  g_assert_cmpuint (rapport_import_dialog_get_summary (f->dialog)->created, ==, 1);
  g_assert_cmpuint (count_contacts (f), ==, 1);
}

static void
test_binary_refused (Fixture *f, gconstpointer data)
{
  open_fixture (f, "binary.csv", "error");
  g_assert_nonnull (strstr (adw_status_page_get_description (child (f, "error_page")), "binary"));
  g_assert_false (rapport_import_dialog_start (f->dialog));
  g_assert_cmpuint (count_contacts (f), ==, 0);
}

static gboolean
progress_started (gpointer data)
{
  return gtk_progress_bar_get_fraction (data) > 0;
}

static void
test_cancel_midway (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = rapport_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "big.csv", NULL);
  g_autoptr (GString) csv = g_string_new ("Name,Email,Phone,Company\n");
  g_autoptr (RapportContact) kept = rapport_contact_new ();
  g_autoptr (RapportContact) again = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  const guint rows = 60000;

  /* One contact before; the file would merge into it and add 60,000. */
  kept->name = g_strdup ("Person 7");
  kept->kind = g_strdup ("person");
  rapport_contact_add_email (kept, "work", "person7@big.example");
  g_assert_true (rapport_store_save (f->ts->store, RAPPORT_RECORD (kept), &error));
  g_assert_no_error (error);
  for (guint i = 0; i < rows; i++)
    g_string_append_printf (csv, "Person %u,person%u@big.example,+44 20 7%03u %04u,Company %u\n", i,
                            i, i / 10000, i % 10000, i % 97);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, &error));
  file = g_file_new_for_path (path);

  rapport_import_dialog_open_file (f->dialog, file);
  wait_for_page (f, "csv");
  g_assert_true (rapport_import_dialog_start (f->dialog));
  ui_wait_until (progress_started, child (f, "progress_bar"), "the import to start");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (child (f, "progress_bar")), <, 1.0);
  ui_save_screenshot (GTK_WIDGET (f->dialog), "import-progress");
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.cancel", NULL);

  /* Back on the mapping page, to try again; the store as it was. */
  wait_for_page (f, "csv");
  g_assert_null (rapport_import_dialog_get_summary (f->dialog));
  g_assert_cmpuint (count_contacts (f), ==, 1);
  again = rapport_store_get_contact (f->ts->store, RAPPORT_RECORD (kept)->id, &error);
  g_assert_no_error (error);
  g_assert_true (again->phones == NULL || json_array_get_length (again->phones) == 0);
  g_assert_null (again->organization);

  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
is_named (GtkWidget *widget, gconstpointer name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  return ui_find_widget (widget, is_named, name);
}

static const char *
column_label (Fixture *f, const char *column)
{
  AdwComboRow *row = find_column_row (GTK_WIDGET (f->dialog), column);

  g_assert_nonnull (row);
  return combo_label (row);
}

/* Save Mapping… and Load Mapping…: the files rapport-cli import --mapping reads. */
static void
test_mapping_files (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = rapport_test_tmpdir ();
  g_autofree char *saved_path = g_build_filename (dir, "saved.mapping", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.mapping", NULL);
  g_autoptr (GFile) saved = g_file_new_for_path (saved_path);
  g_autoptr (GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr (GFile) missing = g_file_new_build_filename (dir, "missing.mapping", NULL);
  g_autoptr (GFile) repo_mapping = fixture_file ("custom.mapping");
  g_autoptr (RapportCsvMapping) reread = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  GtkWidget *save_button, *load_button;

  open_fixture (f, "custom.csv", "csv");
  save_button = find_named (GTK_WIDGET (f->dialog), "save_mapping_button");
  load_button = find_named (GTK_WIDGET (f->dialog), "load_mapping_button");
  g_assert_nonnull (save_button);
  g_assert_nonnull (load_button);
  g_assert_true (gtk_widget_is_drawable (save_button) && gtk_widget_is_sensitive (save_button));
  g_assert_true (gtk_widget_is_drawable (load_button) && gtk_widget_is_sensitive (load_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save_button)), ==, "_Save Mapping…");

  /* Chosen by hand, then saved. */
  adw_combo_row_set_selected (child (f, "preset_row"), 3);
  choose (f, "Full Name", "Full name");
  choose (f, "Company", "Organization");
  choose (f, "Work Email", "Email");
  choose (f, "Remarks", "Note");
  choose (f, "Stage", "Stage");
  g_assert_true (rapport_import_dialog_save_mapping (f->dialog, saved, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (saved_path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\nFull Name=name\n"));
  g_assert_nonnull (strstr (text, "\nCompany=organization\n"));
  g_assert_nonnull (strstr (text, "\nWork Email=email\n"));
  g_assert_nonnull (strstr (text, "\nMobile=ignore\n"));
  g_assert_nonnull (strstr (text, "\nStage=stage\n"));
  g_assert_nonnull (strstr (text, "\nheader=true\n"));
  /* The CLI's reader takes it as it is. */
  reread = rapport_csv_mapping_load (saved_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reread);

  /* Every column ignored again, then the saved file brings the choices back. */
  adw_combo_row_set_selected (child (f, "preset_row"), 0);
  adw_combo_row_set_selected (child (f, "preset_row"), 3);
  g_assert_cmpstr (column_label (f, "Full Name"), ==, "Ignore");
  g_assert_true (rapport_import_dialog_load_mapping (f->dialog, saved, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (column_label (f, "Full Name"), ==, "Full name");
  g_assert_cmpstr (column_label (f, "Company"), ==, "Organization");
  g_assert_cmpstr (column_label (f, "Stage"), ==, "Stage");
  g_assert_cmpstr (column_label (f, "Mobile"), ==, "Ignore");
  g_assert_false (gtk_widget_get_visible (child (f, "error_label")));

  /* A file written for the CLI, with labels and a column by number. */
  g_assert_true (rapport_import_dialog_load_mapping (f->dialog, repo_mapping, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (column_label (f, "Work Email"), ==, "Email (work)");
  g_assert_cmpstr (column_label (f, "Mobile"), ==, "Phone (mobile)");
  g_assert_cmpstr (column_label (f, "Stage"), ==, "Stage");
  g_assert_cmpstr (column_label (f, "Customer since"), ==, "Ignore");

  /* A bad file: the message on the page, the choices as they were. */
  g_assert_true (g_file_set_contents (bad_path, "Full Name=nonsense\n", -1, NULL));
  g_assert_false (rapport_import_dialog_load_mapping (f->dialog, bad, &error));
  g_assert_nonnull (error);
  g_assert_true (gtk_widget_get_visible (child (f, "error_label")));
  g_assert_nonnull (strstr (gtk_label_get_text (child (f, "error_label")), "nonsense"));
  g_assert_cmpstr (column_label (f, "Mobile"), ==, "Phone (mobile)");
  g_clear_error (&error);
  g_assert_false (rapport_import_dialog_load_mapping (f->dialog, missing, &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO);
  g_assert_true (gtk_widget_get_visible (child (f, "error_label")));
  ui_settle ();
  ui_save_screenshot (GTK_WIDGET (f->dialog), "import-mapping-files");

  /* Imported as the loaded file says. */
  g_assert_true (rapport_import_dialog_load_mapping (f->dialog, repo_mapping, NULL));
  import_and_wait (f);
  g_assert_cmpuint (rapport_import_dialog_get_summary (f->dialog)->created, ==, 3);
  {
    g_autoptr (RapportContact) ingrid = rapport_store_find_contact (f->ts->store, "Ingrid Bergman", NULL);
    JsonObject *phone;

    g_assert_nonnull (ingrid);
    phone = json_array_get_object_element (ingrid->phones, 0);
    g_assert_cmpstr (json_object_get_string_member (phone, "label"), ==, "mobile");
  }
}

/* The import dialogs shown now, in no particular order. */
static GPtrArray *
import_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GPtrArray *dialogs = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (RAPPORT_IS_IMPORT_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        g_ptr_array_add (dialogs, window);
    }
  return dialogs;
}

typedef struct
{
  const char *first;
  const char *second;
} TwoPages;

/* Two dialogs besides the fixture's, on the pages @data names in either order. */
static gboolean
two_dialogs_on_pages (gpointer data)
{
  TwoPages *pages = data;
  g_autoptr (GPtrArray) dialogs = import_dialogs ();
  const char *seen[2] = { NULL, NULL };
  guint n = 0;

  for (guint i = 0; i < dialogs->len && n < 2; i++)
    {
      const char *page = rapport_import_dialog_get_page (dialogs->pdata[i]);
      if (g_strcmp0 (page, "start") != 0)
        seen[n++] = page;
    }
  return n == 2 && ((g_strcmp0 (seen[0], pages->first) == 0 && g_strcmp0 (seen[1], pages->second) == 0)
                    || (g_strcmp0 (seen[0], pages->second) == 0 && g_strcmp0 (seen[1], pages->first) == 0));
}

/* Files dropped on the main window, as from the file manager: each gets an
 * import dialog of its own, open on the page for what the file holds, and
 * imports as one chosen with "Import…" does. */
static void
test_dropped_files (Fixture *f, gconstpointer data)
{
  RapportWindow *window = rapport_window_new (NULL, f->ts->store);
  g_autoptr (GListModel) controllers = NULL;
  g_autoptr (GFile) vcard = fixture_file ("vcard/rfc6350-example.vcf");
  g_autoptr (GFile) csv = fixture_file ("custom.csv");
  g_autoptr (GPtrArray) dialogs = NULL;
  GtkDropTarget *target = NULL;
  GFile *files[] = { vcard, csv };
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;
  TwoPages pages = { "vcard", "csv" };

  gtk_window_present (GTK_WINDOW (window));
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  g_assert_true (gdk_content_formats_contain_gtype (gtk_drop_target_get_formats (target),
                                                    GDK_TYPE_FILE_LIST));

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, G_N_ELEMENTS (files)));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);
  ui_wait_until (two_dialogs_on_pages, &pages, "an import dialog for each dropped file");

  dialogs = import_dialogs ();
  for (guint i = 0; i < dialogs->len; i++)
    if (g_strcmp0 (rapport_import_dialog_get_page (dialogs->pdata[i]), "vcard") == 0)
      {
        PageCheck done = { dialogs->pdata[i], "summary" };

        g_assert_true (rapport_import_dialog_start (dialogs->pdata[i]));
        ui_wait_until (on_page, &done, "the dropped vCard's import");
        g_assert_cmpuint (rapport_import_dialog_get_summary (dialogs->pdata[i])->created, ==, 1);
      }
  g_assert_cmpuint (count_contacts (f), ==, 1);

  for (guint i = 0; i < dialogs->len; i++)
    if (dialogs->pdata[i] != (gpointer) f->dialog)
      gtk_window_destroy (dialogs->pdata[i]);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_settle ();
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Pages switch at once: no cross-fade caught in a screenshot. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(name, func) \
  g_test_add ("/ui/import-dialog/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("start-page", test_start_page);
  ADD ("csv-mapping", test_csv_mapping);
  ADD ("google-preset", test_google_preset);
  ADD ("skipped-lines", test_skipped_lines);
  ADD ("vcard", test_vcard);
  ADD ("pipe", test_pipe);
  ADD ("binary-refused", test_binary_refused);
  ADD ("cancel-midway", test_cancel_midway);
  ADD ("mapping-files", test_mapping_files);
  ADD ("dropped-files", test_dropped_files);
#undef ADD
  return g_test_run ();
}
