/* rapport-import-dialog.c: importing a vCard or CSV file, with column mapping and progress */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-dialog.h"
#include "rapport-import-dialog-private.h"
#include "rapport-vcard.h"

/* The preview and format detection read at most this much of a file. */
#define HEAD_SIZE (256 * 1024)
/* The summary lists at most this many skipped records. */
#define MAX_ISSUE_ROWS 200

G_DEFINE_FINAL_TYPE (RapportImportDialog, rapport_import_dialog, ADW_TYPE_WINDOW)

/* Pages ------------------------------------------------------------------- */

static void
show_page (RapportImportDialog *self, const char *name)
{
  gboolean ready = g_str_equal (name, "csv") || g_str_equal (name, "vcard");
  gboolean busy = g_str_equal (name, "progress");
  gboolean done = g_str_equal (name, "summary");
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (self->import_button, ready);
  gtk_widget_set_visible (self->done_button, done);
  gtk_widget_set_visible (self->close_button, !done && !busy);
  gtk_widget_action_set_enabled (widget, "dialog.save", ready);
  gtk_widget_action_set_enabled (widget, "import.cancel", busy);
  gtk_widget_action_set_enabled (widget, "import.choose-file", !busy);
  if (g_str_equal (name, "loading"))
    gtk_spinner_start (self->loading_spinner);
  else
    gtk_spinner_stop (self->loading_spinner);
  if (ready)
    {
      /* @name may be self->ready_page itself. */
      char *page = g_strdup (name);
      g_free (self->ready_page);
      self->ready_page = page;
      gtk_widget_grab_focus (self->import_button);
    }
  else if (done)
    gtk_widget_grab_focus (self->done_button);
}

static void
show_error_page (RapportImportDialog *self, const char *message)
{
  adw_status_page_set_description (self->error_page, message);
  adw_window_title_set_subtitle (self->window_title, NULL);
  show_page (self, "error");
}

static void
show_toast (RapportImportDialog *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* Reading the start of the file ------------------------------------------- */

/* Cuts @data after its last line end, so a head never ends inside a
 * character or a row (UTF-16 line ends are two bytes). */
static gsize
cut_at_line_end (const char *data, gsize length)
{
  for (gsize k = length; k > 0; k--)
    if (data[k - 1] == '\n')
      {
        gsize end = k;

        if (end < length && data[end] == '\0' && (end - 1) % 2 == 0)
          end++;
        return end;
      }
  return length;
}

typedef struct
{
  GBytes *head;
  GBytes *contents;     /* all of it, when it cannot be read again */
  RapportImportFormat format;
} FileHead;

static void
file_head_free (FileHead *head)
{
  g_clear_pointer (&head->head, g_bytes_unref);
  g_clear_pointer (&head->contents, g_bytes_unref);
  g_free (head);
}

static void
read_head_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *buffer = g_malloc (HEAD_SIZE);
  g_autofree char *text = NULL;
  g_autofree char *lower = NULL;
  g_autoptr (GBytes) contents = NULL;
  const char *encoding = NULL;
  FileHead *head;
  gsize length = 0, text_length = 0;

  in = g_file_read (file, cancellable, &error);
  if (in == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (in), buffer, HEAD_SIZE, &length, cancellable, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        /* Translators: %s is a file name, then why it could not be read */
        g_task_return_new_error (task, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not read %s: %s"),
                                 name, error->message);
      return;
    }
  /* A pipe (rapport <(zcat contacts.csv.gz)) gives what it gave only
   * once: the import takes all of it from here. */
  if (!g_seekable_can_seek (G_SEEKABLE (in)))
    {
      g_autoptr (GBytes) start = g_bytes_new (buffer, length);

      contents = rapport_import_read_stream (G_INPUT_STREAM (in), start, name, RAPPORT_IMPORT_MAX_SIZE,
                                             cancellable, &error);
      if (contents == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  if (length == HEAD_SIZE)
    length = cut_at_line_end (buffer, length);
  text = rapport_import_decode (buffer, length, TRUE, &encoding, &text_length, &error);
  if (text == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  head = g_new0 (FileHead, 1);
  head->contents = g_steal_pointer (&contents);
  lower = g_ascii_strdown (name, -1);
  if (rapport_vcard_sniff (text, text_length) || g_str_has_suffix (lower, ".vcf")
      || g_str_has_suffix (lower, ".vcard"))
    head->format = RAPPORT_IMPORT_FORMAT_VCARD;
  else
    head->format = RAPPORT_IMPORT_FORMAT_CSV;
  head->head = g_bytes_new_take (g_steal_pointer (&buffer), length);
  g_task_return_pointer (task, head, (GDestroyNotify) file_head_free);
}

static void
show_vcard_page (RapportImportDialog *self)
{
  g_autofree char *basename = g_file_get_basename (self->file);

  adw_status_page_set_title (self->vcard_page, basename);
  adw_window_title_set_subtitle (self->window_title, _("Address book (vCard)"));
  show_page (self, "vcard");
}

static void
read_head_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportImportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  FileHead *head;

  head = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->closed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&head, file_head_free);
      return;
    }
  if (head == NULL)
    {
      show_error_page (self, error->message);
      return;
    }
  self->format = head->format;
  self->contents = head->contents ? g_bytes_ref (head->contents) : NULL;
  if (head->format == RAPPORT_IMPORT_FORMAT_VCARD)
    show_vcard_page (self);
  else
    {
      self->head = g_bytes_ref (head->head);
      if (rapport_import_mapping_refresh (self, &error))
        show_page (self, "csv");
      else
        show_error_page (self, error->message);
    }
  file_head_free (head);
}

void
rapport_import_dialog_open_file (RapportImportDialog *self, GFile *file)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (RAPPORT_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!g_str_equal (rapport_import_dialog_get_page (self), "progress"));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->file, file);
  g_clear_pointer (&self->contents, g_bytes_unref);
  rapport_import_mapping_clear (self);
  g_clear_pointer (&self->ready_page, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  show_page (self, "loading");

  task = g_task_new (NULL, self->cancellable, read_head_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, rapport_import_dialog_open_file);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_head_thread);
}

/* Choosing a file --------------------------------------------------------- */

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, RapportImportDialog *self)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    rapport_import_dialog_open_file (self, file);
}

void
rapport_import_dialog_choose_file (RapportImportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) known = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();
  static const char *const suffixes[] = { "vcf", "vcard", "csv", "tsv", "txt" };
  static const char *const types[] = { "text/vcard", "text/x-vcard", "text/csv" };

  g_return_if_fail (RAPPORT_IS_IMPORT_DIALOG (self));

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Import Contacts"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (known, _("Address books and spreadsheets"));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    gtk_file_filter_add_suffix (known, suffixes[i]);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    gtk_file_filter_add_mime_type (known, types[i]);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), known);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* Importing --------------------------------------------------------------- */

static void
progress_cb (double fraction, gpointer user_data)
{
  RapportImportDialog *self = user_data;

  if (!self->closed)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static GtkWidget *
issue_row (const RapportImportIssue *issue)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;

  if (issue->line > 0)
    /* Translators: a line number in the imported file */
    title = g_strdup_printf (_("Line %u"), issue->line);
  else
    title = g_strdup (_("The file"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), issue->reason);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static void
set_count (GtkLabel *label, guint count)
{
  g_autofree char *text = g_strdup_printf ("%'u", count);
  gtk_label_set_text (label, text);
}

static void
show_summary (RapportImportDialog *self, RapportImportSummary *summary)
{
  guint imported = summary->created + summary->merged;
  g_autofree char *title = NULL;
  g_autofree char *basename = g_file_get_basename (self->file);
  GtkListBoxRow *row;

  g_clear_pointer (&self->summary, rapport_import_summary_free);
  self->summary = summary;
  title = g_strdup_printf (ngettext ("%'u Contact Imported", "%'u Contacts Imported", imported),
                           imported);
  gtk_label_set_text (self->summary_title, title);
  gtk_label_set_text (self->summary_description, basename);
  gtk_image_set_from_icon_name (self->summary_icon, summary->skipped > 0 ? "dialog-warning-symbolic"
                                                                        : "emblem-ok-symbolic");
  set_count (self->created_label, summary->created);
  set_count (self->merged_label, summary->merged);
  set_count (self->skipped_label, summary->skipped);

  while ((row = gtk_list_box_get_row_at_index (self->issues_list, 0)) != NULL)
    gtk_list_box_remove (self->issues_list, GTK_WIDGET (row));
  for (guint i = 0; i < MIN (summary->issues->len, MAX_ISSUE_ROWS); i++)
    gtk_list_box_append (self->issues_list, issue_row (summary->issues->pdata[i]));
  if (summary->issues->len > MAX_ISSUE_ROWS)
    {
      guint more = summary->issues->len - MAX_ISSUE_ROWS;
      GtkWidget *rest = adw_action_row_new ();
      g_autofree char *text = g_strdup_printf (ngettext ("%'u more not shown", "%'u more not shown",
                                                         more), more);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rest), text);
      gtk_list_box_append (self->issues_list, rest);
    }
  gtk_widget_set_visible (self->issues_group, summary->issues->len > 0);
  show_page (self, "summary");
}

static void
import_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportImportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  RapportImportSummary *summary;

  summary = rapport_import_file_finish (RAPPORT_STORE (source), result, &error);
  if (self->closed)
    {
      g_clear_pointer (&summary, rapport_import_summary_free);
      return;
    }
  if (summary != NULL)
    show_summary (self, summary);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_page (self, self->ready_page);
      show_toast (self, _("Import cancelled. Nothing was changed."));
    }
  else
    {
      /* Translators: %s says why an import failed */
      message = g_strdup_printf (_("%s\nNothing was imported: your contacts are as they were."),
                                 error->message);
      show_error_page (self, message);
    }
}

gboolean
rapport_import_dialog_start (RapportImportDialog *self)
{
  g_autoptr (RapportImportOptions) options = NULL;
  const char *page;

  g_return_val_if_fail (RAPPORT_IS_IMPORT_DIALOG (self), FALSE);

  page = rapport_import_dialog_get_page (self);
  if (!g_str_equal (page, "csv") && !g_str_equal (page, "vcard"))
    return FALSE;
  options = rapport_import_options_new ();
  options->format = self->format;
  if (self->format == RAPPORT_IMPORT_FORMAT_CSV)
    {
      if (!rapport_import_mapping_is_usable (self))
        {
          rapport_dialog_show_error (self->error_label,
                                     _("Choose the column that holds each contact’s name, "
                                       "organization, email or phone: without one, no row can be "
                                       "imported."));
          return FALSE;
        }
      options->csv_mapping = rapport_import_mapping_build (self);
    }
  rapport_dialog_show_error (self->error_label, NULL);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  show_page (self, "progress");
  gtk_widget_grab_focus (GTK_WIDGET (self->progress_bar));
  rapport_import_file_async (self->store, self->file, self->contents, options, self->cancellable, progress_cb,
                             self, import_done_cb, g_object_ref (self));
  return TRUE;
}

void
rapport_import_dialog_cancel (RapportImportDialog *self)
{
  g_return_if_fail (RAPPORT_IS_IMPORT_DIALOG (self));

  if (g_str_equal (rapport_import_dialog_get_page (self), "progress"))
    g_cancellable_cancel (self->cancellable);
}

/* Actions ----------------------------------------------------------------- */

static void
start_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_import_dialog_start (RAPPORT_IMPORT_DIALOG (widget));
}

static void
cancel_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_import_dialog_cancel (RAPPORT_IMPORT_DIALOG (widget));
}

static void
choose_file_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_import_dialog_choose_file (RAPPORT_IMPORT_DIALOG (widget));
}

/* GObject ----------------------------------------------------------------- */

static gboolean
rapport_import_dialog_close_request (GtkWindow *window)
{
  RapportImportDialog *self = RAPPORT_IMPORT_DIALOG (window);

  /* Closing while importing cancels: nothing half-done is kept. */
  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (rapport_import_dialog_parent_class)->close_request (window);
}

static void
rapport_import_dialog_dispose (GObject *object)
{
  RapportImportDialog *self = RAPPORT_IMPORT_DIALOG (object);

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_IMPORT_DIALOG);
  G_OBJECT_CLASS (rapport_import_dialog_parent_class)->dispose (object);
}

static void
rapport_import_dialog_finalize (GObject *object)
{
  RapportImportDialog *self = RAPPORT_IMPORT_DIALOG (object);

  rapport_import_mapping_clear (self);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  g_clear_object (&self->preview_rows);
  g_clear_pointer (&self->summary, rapport_import_summary_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  g_clear_pointer (&self->contents, g_bytes_unref);
  g_clear_object (&self->store);
  g_free (self->ready_page);
  G_OBJECT_CLASS (rapport_import_dialog_parent_class)->finalize (object);
}

static void
rapport_import_dialog_class_init (RapportImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rapport_import_dialog_dispose;
  object_class->finalize = rapport_import_dialog_finalize;
  window_class->close_request = rapport_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-import-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RapportImportDialog, name)
  BIND (toast_overlay);
  BIND (window_title);
  BIND (close_button);
  BIND (import_button);
  BIND (done_button);
  BIND (stack);
  BIND (loading_spinner);
  BIND (error_label);
  BIND (preset_row);
  BIND (header_switch);
  BIND (preview_view);
  BIND (columns_group);
  BIND (vcard_page);
  BIND (progress_bar);
  BIND (summary_icon);
  BIND (summary_title);
  BIND (summary_description);
  BIND (created_label);
  BIND (merged_label);
  BIND (skipped_label);
  BIND (issues_group);
  BIND (issues_list);
  BIND (error_page);
#undef BIND

  /* Ctrl+Enter imports (dialog.save), Escape closes. */
  rapport_dialog_class_setup (widget_class, start_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "import.choose-file", NULL, choose_file_action);
}

static void
rapport_import_dialog_init (RapportImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rapport_import_mapping_init (self);
  show_page (self, "start");
}

RapportImportDialog *
rapport_import_dialog_new (GtkWindow *parent, RapportStore *store)
{
  RapportImportDialog *self;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  self = g_object_new (RAPPORT_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  return self;
}

const char *
rapport_import_dialog_get_page (RapportImportDialog *self)
{
  g_return_val_if_fail (RAPPORT_IS_IMPORT_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const RapportImportSummary *
rapport_import_dialog_get_summary (RapportImportDialog *self)
{
  g_return_val_if_fail (RAPPORT_IS_IMPORT_DIALOG (self), NULL);

  return self->summary;
}
