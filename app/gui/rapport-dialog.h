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

G_END_DECLS
