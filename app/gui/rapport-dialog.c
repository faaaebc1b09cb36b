/* rapport-dialog.c: what every Rapport dialog shares */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include "rapport-dialog.h"
#include "rapport-format.h"
#include "rapport-time.h"

void
rapport_dialog_class_setup (GtkWidgetClass *widget_class, GtkWidgetActionActivateFunc save)
{
  gtk_widget_class_install_action (widget_class, "dialog.save", NULL, save);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "dialog.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "dialog.save", NULL);
}

void
rapport_dialog_show_error (GtkLabel *label, const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  /* The label is a live region for screen readers (see the .ui files). */
}

char *
rapport_text_view_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
rapport_combo_row_set_choices (AdwComboRow *row, int choice, const char *keyword)
{
  g_autoptr (GtkStringList) model = rapport_choice_model (choice);

  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (row, rapport_choice_index (choice, keyword));
}

const char *
rapport_combo_row_get_keyword (AdwComboRow *row, int choice)
{
  return rapport_choice_keyword (choice, adw_combo_row_get_selected (row));
}

const char *
rapport_dialog_my_department (RapportStore *store)
{
  RapportUser *me = rapport_store_get_me (store);

  return me && me->department && *me->department ? me->department : NULL;
}

/* Forms that add a record to a contact ---------------------------------------- */

void
rapport_dialog_form_class_init (GtkWidgetClass              *widget_class,
                                const char                  *resource,
                                gsize                        form_offset,
                                GtkWidgetActionActivateFunc  save)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX "/", resource, NULL);

  gtk_widget_class_set_template_from_resource (widget_class, path);
  gtk_widget_class_bind_template_child_full (widget_class, "window_title", FALSE,
                                             form_offset
                                             + G_STRUCT_OFFSET (RapportDialogForm, window_title));
  gtk_widget_class_bind_template_child_full (widget_class, "error_label", FALSE,
                                             form_offset
                                             + G_STRUCT_OFFSET (RapportDialogForm, error_label));
  rapport_dialog_class_setup (widget_class, save);
}

RapportContact *
rapport_dialog_form_setup (RapportDialogForm *form, RapportStore *store, const char *contact_id)
{
  RapportContact *contact;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  form->store = g_object_ref (store);
  form->contact_id = g_strdup (contact_id);
  contact = rapport_store_get_contact (store, contact_id, NULL);
  if (contact != NULL && contact->name != NULL)
    adw_window_title_set_subtitle (form->window_title, contact->name);
  return contact;
}

void
rapport_dialog_form_clear (RapportDialogForm *form)
{
  g_clear_object (&form->store);
  g_clear_pointer (&form->contact_id, g_free);
}

gboolean
rapport_dialog_form_fail (RapportDialogForm *form, gpointer focus, const char *message)
{
  rapport_dialog_show_error (form->error_label, message);
  if (focus != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (focus));
  return FALSE;
}

char *
rapport_entry_row_dup_trimmed (AdwEntryRow *row)
{
  return rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (row)));
}

gboolean
rapport_dialog_form_read_time (RapportDialogForm *form,
                               AdwEntryRow       *row,
                               gint64             now,
                               const char        *missing_message,
                               gint64            *at)
{
  g_autofree char *text = rapport_entry_row_dup_trimmed (row);
  g_autoptr (GError) error = NULL;

  if (text == NULL)
    return missing_message ? rapport_dialog_form_fail (form, row, missing_message) : TRUE;
  if (!rapport_time_parse (text, now, at, &error))
    return rapport_dialog_form_fail (form, row, error->message);
  return TRUE;
}

gboolean
rapport_dialog_form_save (RapportDialogForm *form, GtkWindow *dialog, RapportRecord *record)
{
  g_autoptr (GError) error = NULL;

  if (!rapport_store_save (form->store, record, &error))
    return rapport_dialog_form_fail (form, NULL, error->message);
  gtk_window_close (dialog);
  return TRUE;
}
