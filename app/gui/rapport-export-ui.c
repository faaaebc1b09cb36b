/* rapport-export-ui.c: the window's import, export, duplicates and data-rights actions */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-backup.h"
#include "rapport-duplicates-dialog.h"
#include "rapport-erase.h"
#include "rapport-export-ui.h"
#include "rapport-format.h"
#include "rapport-import-dialog.h"
#include "rapport-store-private.h"
#include "rapport-views.h"
#include "rapport-window-private.h"

static void
show_toast (RapportWindow *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* Exporting contacts in a thread ------------------------------------------ */

typedef struct
{
  RapportExportFormat format;
  char **ids;
  GFile *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_strfreev (job->ids);
  g_clear_object (&job->file);
  g_free (job);
}

static void
export_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr (RapportStore) store = NULL;
  g_autoptr (GFileOutputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  gint64 written = -1;

  /* A store is used from one thread: this one gets its own connection
   * (the file was checked when the store opened). */
  store = rapport_store_open_connection (source_object, &error);
  if (store != NULL)
    out = g_file_replace (job->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                          &error);
  if (out != NULL)
    written = rapport_export_contacts (store, job->format, (const char *const *) job->ids,
                                       G_OUTPUT_STREAM (out), cancellable, NULL, NULL, &error);
  if (written >= 0 && g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    {
      g_task_return_int (task, written);
      return;
    }
  if (out != NULL && !g_output_stream_is_closed (G_OUTPUT_STREAM (out)))
    {
      /* Closing cancelled drops what was written and keeps the old file. */
      g_autoptr (GCancellable) abandon = g_cancellable_new ();
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

void
rapport_export_contacts_async (RapportStore *store, RapportExportFormat format,
                               const char *const *contact_ids, GFile *file,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (RAPPORT_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  job = g_new0 (ExportJob, 1);
  job->format = format;
  job->ids = g_strdupv ((char **) contact_ids);
  job->file = g_object_ref (file);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, rapport_export_contacts_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gint64
rapport_export_contacts_finish (RapportStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rapport_export_contacts_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}

char *
rapport_export_record_text (RapportStore *store, const char *contact_id, gsize *length,
                            GError **error)
{
  g_autoptr (JsonNode) record = NULL;
  g_autoptr (JsonGenerator) generator = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  record = rapport_export_contact_record (store, contact_id, error);
  if (record == NULL)
    return NULL;
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, record);
  return json_generator_to_data (generator, length);
}

/* The current list -------------------------------------------------------- */

char **
rapport_window_dup_listed_ids (RapportWindow *self)
{
  const RapportViewInfo *info;
  GListModel *model;
  g_autoptr (GStrvBuilder) builder = NULL;
  guint n;

  g_return_val_if_fail (RAPPORT_IS_WINDOW (self), NULL);

  info = rapport_views_lookup (self->view_id);
  if (info == NULL || info->kind != RAPPORT_VIEW_KIND_CONTACTS)
    return NULL;
  /* The list loads contacts a page at a time and keeps only a few pages. */
  model = G_LIST_MODEL (self->contacts);
  n = g_list_model_get_n_items (model);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RapportRecord) contact = g_list_model_get_item (model, i);
      if (contact->id != NULL)
        g_strv_builder_add (builder, contact->id);
    }
  return g_strv_builder_end (builder);
}

/* Export: what, then where ------------------------------------------------ */

typedef struct
{
  RapportWindow *window;
  RapportExportFormat format;
  char **ids;
  char *what;                 /* the list's title, or NULL for everything */
} ExportRequest;

static void
export_request_free (ExportRequest *request)
{
  g_clear_object (&request->window);
  g_strfreev (request->ids);
  g_free (request->what);
  g_free (request);
}

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 written;

  written = rapport_export_contacts_finish (RAPPORT_STORE (source), result, &error);
  if (written < 0)
    {
      /* Translators: %s says why an export failed */
      message = g_strdup_printf (_("Could not export: %s"), error->message);
      show_toast (self, message);
      return;
    }
  message = g_strdup_printf (ngettext ("%'d contact exported", "%'d contacts exported", (gulong) written),
                             (int) written);
  show_toast (self, message);
}

static void
export_chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  ExportRequest *request = user_data;
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    rapport_export_contacts_async (request->window->store, request->format,
                                   (const char *const *) request->ids, file, NULL, export_done_cb,
                                   g_object_ref (request->window));
  export_request_free (request);
  g_object_unref (chooser);
}

static void
choose_export_file (ExportRequest *request)
{
  GtkFileChooserNative *chooser;
  const char *suffix = request->format == RAPPORT_EXPORT_VCARD ? "vcf" : "csv";
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Export Contacts"), GTK_WINDOW (request->window),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  /* Translators: the file name an export suggests; %s is the list's name */
  name = g_strdup_printf ("%s.%s", request->what ? request->what : _("Contacts"), suffix);
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chooser_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_response_cb (AdwMessageDialog *dialog, const char *response, RapportWindow *self)
{
  AdwComboRow *format_row = g_object_get_data (G_OBJECT (dialog), "format-row");
  AdwComboRow *scope_row = g_object_get_data (G_OBJECT (dialog), "scope-row");
  ExportRequest *request;

  if (!g_str_equal (response, "export"))
    return;
  request = g_new0 (ExportRequest, 1);
  request->window = g_object_ref (self);
  request->format = adw_combo_row_get_selected (format_row) == 0 ? RAPPORT_EXPORT_VCARD
                                                                  : RAPPORT_EXPORT_CSV;
  if (adw_combo_row_get_selected (scope_row) == 1)
    {
      request->ids = rapport_window_dup_listed_ids (self);
      request->what = g_strdup (adw_window_title_get_title (self->list_title));
    }
  choose_export_file (request);
}

static GtkWidget *
combo_row (const char *title, GtkStringList *model)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  rapport_set_accessible_label (row, title);
  return row;
}

AdwMessageDialog *
rapport_window_ask_export (RapportWindow *self)
{
  g_autoptr (GtkStringList) formats = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) scopes = gtk_string_list_new (NULL);
  const RapportViewInfo *info;
  GtkWidget *list, *format_row, *scope_row;
  AdwMessageDialog *dialog;

  g_return_val_if_fail (RAPPORT_IS_WINDOW (self), NULL);

  gtk_string_list_append (formats, _("vCard 4.0, for address books"));
  gtk_string_list_append (formats, _("CSV, for spreadsheets"));
  gtk_string_list_append (scopes, _("All contacts"));
  info = rapport_views_lookup (self->view_id);
  if (info != NULL && info->kind == RAPPORT_VIEW_KIND_CONTACTS)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));
      /* Translators: export choice; %s is the list shown ("Customers"), %u how many it holds */
      g_autofree char *scope = g_strdup_printf (ngettext ("This list: %s (%'u contact)",
                                                          "This list: %s (%'u contacts)", n),
                                                adw_window_title_get_title (self->list_title), n);
      gtk_string_list_append (scopes, scope);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Export Contacts"),
                                                       _("Save contacts as a vCard address book "
                                                         "or a CSV spreadsheet, with their shared "
                                                         "notes")));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  format_row = combo_row (_("Format"), formats);
  scope_row = combo_row (_("Contacts"), scopes);
  gtk_list_box_append (GTK_LIST_BOX (list), format_row);
  gtk_list_box_append (GTK_LIST_BOX (list), scope_row);
  adw_message_dialog_set_extra_child (dialog, list);
  g_object_set_data (G_OBJECT (dialog), "format-row", format_row);
  g_object_set_data (G_OBJECT (dialog), "scope-row", scope_row);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "export", _("_Export…"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "export", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "export");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* A contact's whole record (a data-access request) ------------------------ */

static void
record_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    /* Translators: %s is a file name, then why it could not be written */
    message = g_strdup_printf (_("Could not save %s: %s"), name, error->message);
  else
    /* Translators: %s is a file name */
    message = g_strdup_printf (_("Saved everything held about them in %s"), name);
  show_toast (self, message);
}

static void
record_chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  RapportWindow *self = user_data;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  const char *contact_id = g_object_get_data (G_OBJECT (chooser), "contact-id");
  char *text;
  gsize length = 0;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    {
      text = rapport_export_record_text (self->store, contact_id, &length, &error);
      if (text == NULL)
        show_toast (self, error->message);
      else
        {
          bytes = g_bytes_new_take (text, length);
          /* Personal data: readable by the user only. */
          g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                               G_FILE_CREATE_PRIVATE
                                                 | G_FILE_CREATE_REPLACE_DESTINATION,
                                               NULL, record_written_cb, g_object_ref (self));
        }
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_record_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);
  RapportContact *contact = rapport_contact_page_get_contact (self->contact_page);
  GtkFileChooserNative *chooser;
  g_autofree char *file_name = NULL;

  if (contact == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Everything Held About Them"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  file_name = g_strdup_printf ("%s.json", contact->name && *contact->name ? contact->name
                                                                          : RAPPORT_RECORD (contact)->id);
  g_strdelimit (file_name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  g_object_set_data_full (G_OBJECT (chooser), "contact-id", g_strdup (RAPPORT_RECORD (contact)->id),
                          g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (record_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Erasing a contact (an erasure request) ---------------------------------- */

static void
erase_response_cb (AdwMessageDialog *dialog, const char *response, RapportWindow *self)
{
  const char *contact_id = g_object_get_data (G_OBJECT (dialog), "contact-id");
  const char *contact_name = g_object_get_data (G_OBJECT (dialog), "contact-name");
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_str_equal (response, "erase"))
    return;
  if (rapport_store_erase_contact (self->store, contact_id, &error) < 0)
    {
      show_toast (self, error->message);
      return;
    }
  if (g_strcmp0 (self->contact_id, contact_id) == 0)
    rapport_window_show_contact (self, NULL);
  /* Translators: %s is the name of the contact just erased */
  message = g_strdup_printf (_("“%s” erased"), contact_name);
  show_toast (self, message);
}

AdwMessageDialog *
rapport_window_confirm_erase (RapportWindow *self)
{
  RapportContact *contact;
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  const char *name;

  g_return_val_if_fail (RAPPORT_IS_WINDOW (self), NULL);

  contact = rapport_contact_page_get_contact (self->contact_page);
  if (contact == NULL)
    return NULL;
  name = contact->name && *contact->name ? contact->name : _("Unnamed contact");
  /* Translators: %s is a contact's name */
  heading = g_strdup_printf (_("Erase “%s”?"), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  adw_message_dialog_format_body (dialog,
                                  /* Translators: %s is a contact's name */
                                  _("Everything held about %s (the contact, and every interaction, "
                                    "note, reminder and promise about them) is removed from this "
                                    "computer now, and from the server and your colleagues’ "
                                    "computers at their next sync. This cannot be undone."),
                                  name);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "erase", _("_Erase"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "erase", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "contact-id", g_strdup (RAPPORT_RECORD (contact)->id),
                          g_free);
  g_object_set_data_full (G_OBJECT (dialog), "contact-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (erase_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* Actions ----------------------------------------------------------------- */

static void
import_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);
  RapportImportDialog *dialog = rapport_import_dialog_new (GTK_WINDOW (self), self->store);

  gtk_window_present (GTK_WINDOW (dialog));
  rapport_import_dialog_choose_file (dialog);
}

RapportImportDialog *
rapport_window_import_file (RapportWindow *self, GFile *file)
{
  RapportImportDialog *dialog;

  g_return_val_if_fail (RAPPORT_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  dialog = rapport_import_dialog_new (GTK_WINDOW (self), self->store);
  gtk_window_present (GTK_WINDOW (dialog));
  rapport_import_dialog_open_file (dialog, file);
  return dialog;
}

/* Files dropped on the window: each is imported in a dialog of its own,
 * as when they are opened with Rapport from the file manager. */
static gboolean
files_dropped_cb (GtkDropTarget *target, const GValue *value, double x, double y, gpointer user_data)
{
  RapportWindow *self = user_data;
  GSList *files;
  gboolean any;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  any = files != NULL;
  for (GSList *l = files; l != NULL; l = l->next)
    rapport_window_import_file (self, l->data);
  g_slist_free (files);
  return any;
}

void
rapport_window_init_file_drop (RapportWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect_object (target, "drop", G_CALLBACK (files_dropped_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/* Backup ------------------------------------------------------------------ */

static void
backup_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  RapportBackupInfo info = { 0 };

  if (!rapport_store_backup_finish (RAPPORT_STORE (source), result, &info, &error))
    /* Translators: %s says why a backup failed */
    message = g_strdup_printf (_("Could not back up: %s"), error->message);
  else
    message = g_strdup_printf (ngettext ("Backed up %'d contact", "Backed up %'d contacts", (gulong) info.contacts),
                               (int) info.contacts);
  show_toast (self, message);
}

void
rapport_window_back_up_to (RapportWindow *self, GFile *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (RAPPORT_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_toast (self, _("Could not back up: choose a file on this computer"));
      return;
    }
  rapport_store_backup_async (self->store, path, NULL, backup_done_cb, g_object_ref (self));
}

static void
backup_chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  g_autoptr (RapportWindow) self = user_data;
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    rapport_window_back_up_to (self, file);
  g_object_unref (chooser);
}

static void
backup_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *file_name = NULL;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Back Up Rapport"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Back Up"), _("_Cancel"));
  /* Translators: the file name a backup suggests; %s is the day, 2026-11-23 */
  file_name = g_strdup_printf (_("Rapport backup %s.db"), day);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  g_signal_connect (chooser, "response", G_CALLBACK (backup_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Restore ----------------------------------------------------------------- */

static void
restore_chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  g_autoptr (RapportWindow) self = user_data;
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL)
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    show_toast (self, _("Could not restore: choose a file on this computer"));
  else if (app != NULL)
    /* The application asks, then closes this window to restore. */
    g_action_group_activate_action (G_ACTION_GROUP (app), "restore-backup", g_variant_new_string (path));
}

static void
restore_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);
  g_autoptr (GtkFileFilter) stores = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Restore From Backup"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Restore…"), _("_Cancel"));
  gtk_file_filter_set_name (stores, _("Rapport backups"));
  gtk_file_filter_add_suffix (stores, "db");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), stores);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_signal_connect (chooser, "response", G_CALLBACK (restore_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_window_ask_export (RAPPORT_WINDOW (widget));
}

static void
find_duplicates_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (rapport_duplicates_dialog_new (GTK_WINDOW (self), self->store)));
}

static void
erase_contact_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_window_confirm_erase (RAPPORT_WINDOW (widget));
}

void
rapport_window_update_transfer_actions (RapportWindow *self)
{
  gboolean shown = rapport_contact_page_get_contact (self->contact_page) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.export-record", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.erase-contact", shown);
}

void
rapport_window_class_init_transfer_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "window.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "window.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "window.backup", NULL, backup_action);
  gtk_widget_class_install_action (widget_class, "window.restore", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "window.find-duplicates", NULL,
                                   find_duplicates_action);
  gtk_widget_class_install_action (widget_class, "window.export-record", NULL,
                                   export_record_action);
  gtk_widget_class_install_action (widget_class, "window.erase-contact", NULL,
                                   erase_contact_action);

  /* Listed in ui/gtk/help-overlay.ui. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "window.import",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "window.export", NULL);
}
