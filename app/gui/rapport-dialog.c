/* rapport-dialog.c: what every Rapport dialog shares */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include "rapport-dialog.h"
#include "rapport-format.h"

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
