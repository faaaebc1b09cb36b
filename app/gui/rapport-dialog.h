/* rapport-dialog.h: what every Rapport dialog shares */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-store.h"

G_BEGIN_DECLS

/* Installs "dialog.save" on @widget_class, with Ctrl+Enter for it and
 * Escape for window.close. */
void  rapport_dialog_class_setup     (GtkWidgetClass              *widget_class,
                                      GtkWidgetActionActivateFunc  save);
/* Shows @message in @label (a hidden error label of the dialog), or hides
 * it when @message is NULL, and tells screen readers. */
void  rapport_dialog_show_error      (GtkLabel                    *label,
                                      const char                  *message);
char *rapport_text_view_get_text     (GtkTextView                 *view);
/* Fills an AdwComboRow with the labels of @choice and selects @keyword. */
void  rapport_combo_row_set_choices  (AdwComboRow                 *row,
                                      int                          choice,
                                      const char                  *keyword);
const char *rapport_combo_row_get_keyword (AdwComboRow            *row,
                                           int                     choice);
/* "My department", or NULL. */
const char *rapport_dialog_my_department (RapportStore            *store);

/* A form that adds a record to one contact (note, reminder, promise, log):
 * the part every such dialog shares, a member of its instance struct. Its
 * template has an AdwWindowTitle "window_title" and a GtkLabel
 * "error_label". */
typedef struct
{
  AdwWindowTitle *window_title;
  GtkLabel *error_label;
  RapportStore *store;
  char *contact_id;
} RapportDialogForm;

/* Sets @resource (under RESOURCE_PREFIX) as the template of @widget_class,
 * binds the form's children in the instance at @form_offset
 * (G_STRUCT_OFFSET (MyDialog, form)), and installs "dialog.save" with its
 * keys (rapport_dialog_class_setup). Bind the dialog's own children after. */
void  rapport_dialog_form_class_init (GtkWidgetClass              *widget_class,
                                      const char                  *resource,
                                      gsize                        form_offset,
                                      GtkWidgetActionActivateFunc  save);
/* Keeps @store and @contact_id and shows the contact's name under the title.
 * Returns: (transfer full) (nullable): the contact, for the dialog's own
 * defaults. */
RapportContact *rapport_dialog_form_setup (RapportDialogForm      *form,
                                           RapportStore           *store,
                                           const char             *contact_id);
/* Drops what rapport_dialog_form_setup() kept (from finalize). */
void  rapport_dialog_form_clear      (RapportDialogForm           *form);
/* Shows @message and moves the focus to @focus (nullable). Returns FALSE,
 * for a save function to return. */
gboolean rapport_dialog_form_fail    (RapportDialogForm           *form,
                                      gpointer                     focus,
                                      const char                  *message);
/* The text of @row without surrounding white space, or NULL when empty. */
char *rapport_entry_row_dup_trimmed  (AdwEntryRow                 *row);
/* Reads the time typed in @row ("tomorrow", "+3d", a date) relative to
 * @now into @at. An empty row leaves @at as it is, or fails with
 * @missing_message when one is given. On failure the error is shown and
 * @row has the focus. */
gboolean rapport_dialog_form_read_time (RapportDialogForm         *form,
                                        AdwEntryRow               *row,
                                        gint64                     now,
                                        const char                *missing_message,
                                        gint64                    *at);
/* Saves @record and closes @dialog, or shows why it could not be saved. */
gboolean rapport_dialog_form_save    (RapportDialogForm           *form,
                                      GtkWindow                   *dialog,
                                      RapportRecord               *record);

G_END_DECLS
