/* rapport-import-mapping.c: the import dialog's CSV page: preview and what each column becomes */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-format.h"
#include "rapport-import-dialog-private.h"

/* Rows of the file shown in the preview. */
#define PREVIEW_ROWS 5

static const struct
{
  const char *field;
  const char *label;
} field_labels[] = {
  { "ignore", N_("Ignore") },
  { "name", N_("Full name") },
  { "given_name", N_("First name") },
  { "middle_name", N_("Middle name") },
  { "family_name", N_("Last name") },
  { "prefix", N_("Name prefix") },
  { "suffix", N_("Name suffix") },
  { "kind", N_("Person or organization") },
  { "organization", N_("Organization") },
  { "job_title", N_("Job title") },
  { "email", N_("Email") },
  { "phone", N_("Phone") },
  { "website", N_("Website") },
  { "street", N_("Street") },
  { "street2", N_("Street, second line") },
  { "pobox", N_("PO box") },
  { "city", N_("City") },
  { "region", N_("State or region") },
  { "postcode", N_("Postal code") },
  { "country", N_("Country") },
  { "address", N_("Whole address") },
  { "birthday", N_("Birthday") },
  { "note", N_("Note") },
  { "tags", N_("Tags") },
  { "relationship", N_("Relationship") },
  { "stage", N_("Stage") },
  { "source", N_("Source") },
  { "do_not_contact", N_("Do not contact") },
  { "marketing_consent", N_("Marketing consent") },
  { "cadence_days", N_("Keep in touch every N days") },
};

/* Fields that say who a row is: without one, every row would be skipped. */
static const char *const identifying_fields[] = {
  "name", "given_name", "family_name", "organization", "email", "phone",
};

static const char *
plain_field_label (const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (g_str_equal (field_labels[i].field, field))
      return _(field_labels[i].label);
  return field;
}

char *
rapport_import_field_label (const char *field)
{
  g_autofree char *base = NULL;
  const char *colon;

  if (field == NULL || *field == '\0')
    return g_strdup (_("Ignore"));
  if (g_str_has_suffix (field, ".label"))
    {
      base = g_strndup (field, strlen (field) - strlen (".label"));
      /* Translators: a CSV column holding the kind of a phone, email, …
       * ("work", "mobile"); %s is the field, e.g. "Phone" */
      return g_strdup_printf (_("Type of the %s"), plain_field_label (base));
    }
  colon = strchr (field, ':');
  if (colon != NULL)
    {
      base = g_strndup (field, colon - field);
      /* Translators: a field with its label, e.g. "Phone (mobile)" */
      return g_strdup_printf (_("%s (%s)"), plain_field_label (base), colon + 1);
    }
  return g_strdup (plain_field_label (field));
}

/* The field a column will be imported as: the person's choice, or what
 * the preset reads it as. */
static const char *
effective_field (RapportImportDialog *self, guint column)
{
  const char *choice = column < self->choices->len ? self->choices->pdata[column] : NULL;
  const char *field;

  if (choice != NULL)
    return choice;
  field = self->preview->fields->pdata[column];
  return *field ? field : "ignore";
}

static gboolean
is_plain_field (const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (g_str_equal (field_labels[i].field, field))
      return TRUE;
  return FALSE;
}

/* Building the mapping ---------------------------------------------------- */

RapportCsvMapping *
rapport_import_mapping_build (RapportImportDialog *self)
{
  static const char *const presets[] = { "auto", "google", "outlook", "auto" };
  RapportCsvMapping *mapping;

  g_assert (RAPPORT_IS_IMPORT_DIALOG (self));

  mapping = rapport_csv_mapping_load (presets[self->preset], NULL);
  g_assert (mapping != NULL);
  if (self->header >= 0)
    rapport_csv_mapping_set_header (mapping, self->header);
  for (guint i = 0; self->choices && i < self->choices->len; i++)
    {
      const char *choice = self->choices->pdata[i];

      if (choice != NULL)
        {
          if (!rapport_csv_mapping_set_column (mapping, i + 1, choice))
            rapport_csv_mapping_set_column (mapping, i + 1, "ignore");
        }
      else if (self->preset == RAPPORT_IMPORT_PRESET_CUSTOM)
        rapport_csv_mapping_set_column (mapping, i + 1, "ignore");
    }
  return mapping;
}

gboolean
rapport_import_mapping_is_usable (RapportImportDialog *self)
{
  g_return_val_if_fail (RAPPORT_IS_IMPORT_DIALOG (self), FALSE);

  if (self->preview == NULL)
    return FALSE;
  for (guint i = 0; i < self->preview->columns->len; i++)
    {
      g_autofree char *base = g_strdup (effective_field (self, i));

      base[strcspn (base, ":.")] = '\0';
      for (guint j = 0; j < G_N_ELEMENTS (identifying_fields); j++)
        if (g_str_equal (base, identifying_fields[j]))
          return TRUE;
    }
  return FALSE;
}

/* The preview ------------------------------------------------------------- */

static char *
one_line (const char *text)
{
  char *line = g_strdup (text ? text : "");

  g_strdelimit (line, "\r\n\t", ' ');
  return line;
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_width_chars (GTK_LABEL (label), 6);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  guint column = GPOINTER_TO_UINT (data);
  char **cells = g_object_get_data (gtk_list_item_get_item (item), "cells");
  const char *cell = cells && column < g_strv_length (cells) ? cells[column] : "";
  g_autofree char *text = one_line (cell);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, *cell ? cell : NULL);
}

static char *
column_title (RapportImportDialog *self, guint column)
{
  const char *field = effective_field (self, column);
  const char *name = self->preview->columns->pdata[column];
  g_autofree char *label = NULL;

  if (g_str_equal (field, "ignore"))
    /* Translators: the title of a CSV column that will not be imported */
    return g_strdup_printf (_("%s (ignored)"), name);
  label = rapport_import_field_label (field);
  /* Translators: a CSV column and the contact field it becomes */
  return g_strdup_printf (_("%s → %s"), name, label);
}

static void
update_column_title (RapportImportDialog *self, guint column)
{
  g_autoptr (GListModel) columns = NULL;
  g_autoptr (GtkColumnViewColumn) view_column = NULL;
  g_autofree char *title = column_title (self, column);

  columns = g_object_ref (gtk_column_view_get_columns (self->preview_view));
  view_column = g_list_model_get_item (columns, column);
  if (view_column != NULL)
    gtk_column_view_column_set_title (view_column, title);
}

static void
remove_view_columns (RapportImportDialog *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->preview_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->preview_view, column);
    }
}

static void
fill_preview (RapportImportDialog *self)
{
  remove_view_columns (self);
  g_list_store_remove_all (self->preview_rows);
  for (guint i = 0; i < self->preview->rows->len; i++)
    {
      g_autoptr (GObject) row = g_object_new (G_TYPE_OBJECT, NULL);

      g_object_set_data_full (row, "cells", g_strdupv (self->preview->rows->pdata[i]),
                              (GDestroyNotify) g_strfreev);
      g_list_store_append (self->preview_rows, row);
    }
  for (guint i = 0; i < self->preview->columns->len; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr (GtkColumnViewColumn) column = NULL;
      g_autofree char *title = column_title (self, i);

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (title, factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->preview_view, column);
    }
}

/* One row per column: what it becomes ------------------------------------- */

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static char *
column_sample (RapportImportDialog *self, guint column)
{
  for (guint i = 0; i < self->preview->rows->len; i++)
    {
      char **cells = self->preview->rows->pdata[i];

      if (column < g_strv_length (cells) && !is_blank (cells[column]))
        {
          g_autofree char *line = one_line (cells[column]);
          g_autofree char *shortened = NULL;

          if (g_utf8_strlen (line, -1) > 40)
            {
              shortened = g_utf8_substring (line, 0, 40);
              /* Translators: an example value of a CSV column, cut short */
              return g_strdup_printf (_("For example “%s…”"), shortened);
            }
          /* Translators: an example value of a CSV column */
          return g_strdup_printf (_("For example “%s”"), line);
        }
    }
  return g_strdup (_("Empty in the first rows"));
}

static void
column_selected_cb (AdwComboRow *row, GParamSpec *pspec, RapportImportDialog *self)
{
  GPtrArray *keys = g_object_get_data (G_OBJECT (row), "fields");
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || selected >= keys->len || column >= self->choices->len)
    return;
  g_free (self->choices->pdata[column]);
  self->choices->pdata[column] = g_strdup (keys->pdata[selected]);
  update_column_title (self, column);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static GtkWidget *
make_column_row (RapportImportDialog *self, guint column)
{
  const char *field = effective_field (self, column);
  const char *name = self->preview->columns->pdata[column];
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sample = column_sample (self, column);
  g_autofree char *accessible = NULL;
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
  guint selected = 0;

  /* A field with a label ("phone:mobile") is offered as it is, first. */
  if (!is_plain_field (field))
    {
      g_autofree char *label = rapport_import_field_label (field);
      g_ptr_array_add (keys, g_strdup (field));
      gtk_string_list_append (labels, label);
    }
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    {
      if (g_str_equal (field_labels[i].field, field))
        selected = keys->len;
      g_ptr_array_add (keys, g_strdup (field_labels[i].field));
      gtk_string_list_append (labels, _(field_labels[i].label));
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sample);
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (row, selected);
  /* Translators: the accessible name of the menu choosing what a CSV column becomes */
  accessible = g_strdup_printf (_("Column “%s” becomes"), name);
  rapport_set_accessible_label (GTK_WIDGET (row), accessible);
  g_object_set_data_full (G_OBJECT (row), "fields", keys, (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data (G_OBJECT (row), "column", GUINT_TO_POINTER (column));
  gtk_widget_set_name (GTK_WIDGET (row), name);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (column_selected_cb), self, 0);
  return GTK_WIDGET (row);
}

static void
fill_column_rows (RapportImportDialog *self)
{
  for (guint i = 0; i < self->column_rows->len; i++)
    adw_preferences_group_remove (self->columns_group, self->column_rows->pdata[i]);
  g_ptr_array_set_size (self->column_rows, 0);
  for (guint i = 0; i < self->preview->columns->len; i++)
    {
      GtkWidget *row = make_column_row (self, i);

      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->column_rows, row);
    }
}

/* Refreshing -------------------------------------------------------------- */

gboolean
rapport_import_mapping_refresh (RapportImportDialog *self, GError **error)
{
  g_autoptr (RapportCsvMapping) mapping = NULL;
  RapportCsvPreview *preview;
  g_autofree char *subtitle = NULL;

  g_assert (RAPPORT_IS_IMPORT_DIALOG (self));
  g_assert (self->head != NULL);

  mapping = rapport_import_mapping_build (self);
  preview = rapport_csv_preview (g_bytes_get_data (self->head, NULL), g_bytes_get_size (self->head),
                                 mapping, PREVIEW_ROWS, error);
  if (preview == NULL)
    return FALSE;
  g_clear_pointer (&self->preview, rapport_csv_preview_free);
  self->preview = preview;
  /* What was detected is now the choice the switch shows. */
  self->header = preview->has_header;
  if (self->choices->len != preview->columns->len)
    {
      g_ptr_array_set_size (self->choices, 0);
      g_ptr_array_set_size (self->choices, preview->columns->len);
    }

  self->updating = TRUE;
  gtk_switch_set_active (self->header_switch, preview->has_header);
  adw_combo_row_set_selected (self->preset_row, self->preset);
  fill_preview (self);
  fill_column_rows (self);
  self->updating = FALSE;

  /* Translators: %s is a text encoding ("UTF-8", "WINDOWS-1252") */
  subtitle = g_strdup_printf (_("Spreadsheet (CSV), %s"), preview->encoding);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  return TRUE;
}

static void
refresh_or_complain (RapportImportDialog *self)
{
  g_autoptr (GError) error = NULL;

  if (!rapport_import_mapping_refresh (self, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

static void
preset_selected_cb (AdwComboRow *row, GParamSpec *pspec, RapportImportDialog *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || self->head == NULL || selected > RAPPORT_IMPORT_PRESET_CUSTOM)
    return;
  /* A preset starts over: the columns are read as it says. */
  self->preset = selected;
  for (guint i = 0; i < self->choices->len; i++)
    g_clear_pointer (&self->choices->pdata[i], g_free);
  refresh_or_complain (self);
}

static void
header_toggled_cb (GtkSwitch *toggle, GParamSpec *pspec, RapportImportDialog *self)
{
  if (self->updating || self->head == NULL)
    return;
  self->header = gtk_switch_get_active (toggle);
  refresh_or_complain (self);
}

/* Saved mapping files ----------------------------------------------------- */

static void
show_error (RapportImportDialog *self, const GError *error)
{
  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static gboolean
no_csv_yet (RapportImportDialog *self, GError **error)
{
  if (self->preview != NULL)
    return FALSE;
  g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       _("Open a CSV file first; a mapping says what its columns become"));
  return TRUE;
}

gboolean
rapport_import_dialog_save_mapping (RapportImportDialog *self, GFile *file, GError **error)
{
  g_autoptr (RapportCsvMapping) mapping = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) header = NULL;
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (RAPPORT_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (no_csv_yet (self, &local_error))
    goto failed;
  mapping = rapport_import_mapping_build (self);
  for (guint i = 0; i < self->preview->columns->len; i++)
    g_strv_builder_add (builder, self->preview->columns->pdata[i]);
  header = g_strv_builder_end (builder);
  data = rapport_csv_mapping_to_data (mapping, self->preview->has_header ? header : NULL,
                                      self->preview->columns->len);
  if (g_file_replace_contents (file, data, strlen (data), NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL,
                               &local_error))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      return TRUE;
    }
  name = g_file_get_parse_name (file);
  g_prefix_error (&local_error, _("Could not save the mapping to %s: "), name);

failed:
  show_error (self, local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
rapport_import_dialog_load_mapping (RapportImportDialog *self, GFile *file, GError **error)
{
  g_autoptr (RapportCsvMapping) mapping = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *path = NULL;
  RapportCsvPreview *read = NULL;
  const char *preset;

  g_return_val_if_fail (RAPPORT_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (no_csv_yet (self, &local_error))
    goto failed;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (&local_error, RAPPORT_ERROR, RAPPORT_ERROR_IO,
                           _("Choose a mapping file on this computer"));
      goto failed;
    }
  mapping = rapport_csv_mapping_load (path, &local_error);
  if (mapping == NULL)
    goto failed;
  /* The columns of this file as the mapping reads them become the choices. */
  read = rapport_csv_preview (g_bytes_get_data (self->head, NULL), g_bytes_get_size (self->head),
                              mapping, 1, &local_error);
  if (read == NULL)
    goto failed;
  preset = rapport_csv_mapping_get_preset (mapping);
  self->preset = g_strcmp0 (preset, "google") == 0    ? RAPPORT_IMPORT_PRESET_GOOGLE
                 : g_strcmp0 (preset, "outlook") == 0 ? RAPPORT_IMPORT_PRESET_OUTLOOK
                                                      : RAPPORT_IMPORT_PRESET_CUSTOM;
  self->header = read->has_header;
  g_ptr_array_set_size (self->choices, 0);
  g_ptr_array_set_size (self->choices, read->columns->len);
  for (guint i = 0; i < read->fields->len; i++)
    {
      const char *field = read->fields->pdata[i];

      /* Google's label columns stay with the preset. */
      if (!g_str_has_suffix (field, ".label"))
        self->choices->pdata[i] = g_strdup (*field ? field : "ignore");
    }
  rapport_csv_preview_free (read);
  if (!rapport_import_mapping_refresh (self, &local_error))
    goto failed;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  return TRUE;

failed:
  show_error (self, local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
mapping_chooser_response_cb (GtkNativeDialog *chooser, int response, RapportImportDialog *self)
{
  g_autoptr (GFile) file = NULL;
  gboolean saving = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  /* Errors are shown on the page. */
  if (saving)
    rapport_import_dialog_save_mapping (self, file, NULL);
  else
    rapport_import_dialog_load_mapping (self, file, NULL);
}

static void
choose_mapping_file (RapportImportDialog *self, gboolean save)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) mappings = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (save ? _("Save Mapping") : _("Load Mapping"), GTK_WINDOW (self),
                                         save ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         save ? _("_Save") : _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (mappings, _("Mapping files"));
  gtk_file_filter_add_suffix (mappings, "mapping");
  gtk_file_filter_add_suffix (mappings, "ini");
  gtk_file_filter_add_suffix (mappings, "txt");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), mappings);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  if (save)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("contacts.mapping"));
  g_signal_connect_object (chooser, "response", G_CALLBACK (mapping_chooser_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
save_mapping_clicked_cb (GtkButton *button, RapportImportDialog *self)
{
  choose_mapping_file (self, TRUE);
}

static void
load_mapping_clicked_cb (GtkButton *button, RapportImportDialog *self)
{
  choose_mapping_file (self, FALSE);
}

static GtkWidget *
mapping_buttons (RapportImportDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *load = gtk_button_new_with_mnemonic (_("_Load Mapping…"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Mapping…"));

  gtk_widget_set_name (load, "load_mapping_button");
  gtk_widget_set_name (save, "save_mapping_button");
  gtk_widget_set_tooltip_text (load, _("Set the columns from a saved mapping file"));
  gtk_widget_set_tooltip_text (save, _("Save what each column becomes, to import such files again "
                                       "(also with rapport-cli import --mapping)"));
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), load);
  gtk_box_append (GTK_BOX (box), save);
  g_signal_connect_object (load, "clicked", G_CALLBACK (load_mapping_clicked_cb), self, 0);
  g_signal_connect_object (save, "clicked", G_CALLBACK (save_mapping_clicked_cb), self, 0);
  return box;
}

void
rapport_import_mapping_clear (RapportImportDialog *self)
{
  g_clear_pointer (&self->head, g_bytes_unref);
  g_clear_pointer (&self->preview, rapport_csv_preview_free);
  self->preset = RAPPORT_IMPORT_PRESET_AUTO;
  self->header = -1;
  if (self->choices != NULL)
    g_ptr_array_set_size (self->choices, 0);
}

void
rapport_import_mapping_init (RapportImportDialog *self)
{
  self->choices = g_ptr_array_new_with_free_func (g_free);
  self->column_rows = g_ptr_array_new ();
  self->preview_rows = g_list_store_new (G_TYPE_OBJECT);
  self->header = -1;
  gtk_column_view_set_model (self->preview_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (
                               G_LIST_MODEL (g_object_ref (self->preview_rows)))));
  g_signal_connect_object (self->preset_row, "notify::selected", G_CALLBACK (preset_selected_cb),
                           self, 0);
  g_signal_connect_object (self->header_switch, "notify::active", G_CALLBACK (header_toggled_cb),
                           self, 0);
  adw_preferences_group_set_header_suffix (self->columns_group, mapping_buttons (self));
}
