/* rapport-window-actions.c: the main window's actions and shortcuts */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-contact-editor.h"
#include "rapport-export-ui.h"
#include "rapport-first-run-dialog.h"
#include "rapport-format.h"
#include "rapport-log-dialog.h"
#include "rapport-note-dialog.h"
#include "rapport-promise-dialog.h"
#include "rapport-reminder-dialog.h"
#include "rapport-views.h"
#include "rapport-window-private.h"

static void
show_error (RapportWindow *self, const GError *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
contact_saved_cb (RapportWindow *self, const char *contact_id, RapportContactEditor *editor)
{
  const RapportViewInfo *info = rapport_views_lookup (self->view_id);

  /* A new contact is shown where it can be found. */
  if (info == NULL || info->kind != RAPPORT_VIEW_KIND_CONTACTS
      || info->filter == RAPPORT_CONTACT_FILTER_TRASH)
    rapport_window_show_view (self, "all");
  rapport_window_show_contact (self, contact_id);
  rapport_window_navigate_to_page (self);
}

static void
new_contact_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);
  RapportContactEditor *editor = rapport_contact_editor_new (GTK_WINDOW (self), self->store, NULL);

  g_signal_connect_object (editor, "saved", G_CALLBACK (contact_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
edit_contact_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);
  RapportContact *contact = rapport_contact_page_get_contact (self->contact_page);
  RapportContactEditor *editor;

  if (contact == NULL)
    return;
  editor = rapport_contact_editor_new (GTK_WINDOW (self), self->store, contact);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
search_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_window_focus_search (RAPPORT_WINDOW (widget));
}

static void
log_interaction_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);
  RapportLogDialog *dialog;

  if (self->contact_id == NULL)
    return;
  dialog = rapport_log_dialog_new (GTK_WINDOW (self), self->store, self->contact_id);
  if (g_str_equal (name, "window.log-complaint"))
    rapport_log_dialog_set_kind (dialog, "complaint");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_note_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);

  if (self->contact_id != NULL)
    gtk_window_present (GTK_WINDOW (rapport_note_dialog_new (GTK_WINDOW (self), self->store,
                                                             self->contact_id)));
}

static void
add_reminder_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);

  if (self->contact_id != NULL)
    gtk_window_present (GTK_WINDOW (rapport_reminder_dialog_new (GTK_WINDOW (self), self->store,
                                                                 self->contact_id)));
}

static void
add_promise_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);

  if (self->contact_id != NULL)
    gtk_window_present (GTK_WINDOW (rapport_promise_dialog_new (GTK_WINDOW (self), self->store,
                                                                self->contact_id)));
}

static void
delete_contact_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);
  RapportContact *shown = rapport_contact_page_get_contact (self->contact_page);
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  AdwToast *toast;

  if (shown == NULL || RAPPORT_RECORD (shown)->deleted)
    return;
  contact = RAPPORT_CONTACT (rapport_record_copy (RAPPORT_RECORD (shown)));
  if (!rapport_store_delete (self->store, RAPPORT_RECORD (contact), &error))
    {
      show_error (self, error);
      return;
    }
  g_free (self->undo_contact_id);
  self->undo_contact_id = g_strdup (RAPPORT_RECORD (contact)->id);

  /* Translators: %s is a contact's name */
  toast = adw_toast_new_format (_("“%s” moved to Trash"), contact->name ? contact->name : "");
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "window.undo-delete");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  rapport_window_show_contact (self, NULL);
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->contact_list_view));
}

static void
restore (RapportWindow *self, const char *contact_id, gboolean show)
{
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) error = NULL;

  contact = rapport_store_get_contact (self->store, contact_id, &error);
  if (contact == NULL || !rapport_store_restore (self->store, RAPPORT_RECORD (contact), &error))
    {
      show_error (self, error);
      return;
    }
  if (show)
    rapport_window_show_contact (self, contact_id);
}

static void
undo_delete_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);
  g_autofree char *id = g_steal_pointer (&self->undo_contact_id);

  if (id != NULL)
    restore (self, id, TRUE);
}

static void
restore_contact_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);
  RapportContact *contact = rapport_contact_page_get_contact (self->contact_page);
  g_autofree char *contact_name = NULL;
  g_autofree char *id = NULL;

  if (contact == NULL || !RAPPORT_RECORD (contact)->deleted)
    return;
  contact_name = g_strdup (contact->name ? contact->name : "");
  id = g_strdup (RAPPORT_RECORD (contact)->id);
  restore (self, id, TRUE);
  /* Translators: %s is a contact's name */
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new_format (_("“%s” restored"), contact_name));
}

static void
show_view_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);

  rapport_window_show_view (self, g_variant_get_string (param, NULL));
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, rapport_window_get_view_pane (self));
}

static void
show_contact_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);

  rapport_window_show_contact (self, g_variant_get_string (param, NULL));
  rapport_window_navigate_to_page (self);
}

static void
show_sidebar_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar_pane);
}

static void
show_list_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

void
rapport_window_update_actions (RapportWindow *self)
{
  RapportContact *contact = rapport_contact_page_get_contact (self->contact_page);
  gboolean live = contact != NULL && !RAPPORT_RECORD (contact)->deleted;
  gboolean trashed = contact != NULL && RAPPORT_RECORD (contact)->deleted;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "window.log-interaction", live);
  gtk_widget_action_set_enabled (widget, "window.log-complaint", live);
  gtk_widget_action_set_enabled (widget, "window.add-note", live);
  gtk_widget_action_set_enabled (widget, "window.add-reminder", live);
  gtk_widget_action_set_enabled (widget, "window.add-promise", live);
  gtk_widget_action_set_enabled (widget, "window.edit-contact", live);
  gtk_widget_action_set_enabled (widget, "window.delete-contact", live);
  gtk_widget_action_set_enabled (widget, "window.restore-contact", trashed);
  gtk_widget_set_visible (self->log_button, !trashed && contact != NULL);
  /* A contact in the Trash can still be exported or erased (data rights). */
  gtk_widget_set_visible (self->page_menu_button, contact != NULL);
  if (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (self->page_menu_button))
      != (trashed ? self->trash_menu : self->contact_menu))
    gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->page_menu_button),
                                    trashed ? self->trash_menu : self->contact_menu);
  gtk_widget_set_visible (self->restore_button, trashed);
  rapport_window_update_transfer_actions (self);
}

static void
first_run_done_cb (RapportWindow *self, RapportFirstRunDialog *dialog)
{
  rapport_today_view_refresh (self->today_view);
}

static void
first_run_mapped_cb (GtkWidget *dialog, gpointer user_data)
{
  rapport_profile_mark ("first-run-dialog");
}

void
rapport_window_check_first_run (RapportWindow *self)
{
  RapportFirstRunDialog *dialog;

  if (rapport_store_get_me (self->store) != NULL)
    return;
  dialog = rapport_first_run_dialog_new (GTK_WINDOW (self), self->store);
  g_signal_connect_object (dialog, "done", G_CALLBACK (first_run_done_cb), self,
                           G_CONNECT_SWAPPED);
  if (rapport_profile_enabled ())
    g_signal_connect (dialog, "map", G_CALLBACK (first_run_mapped_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
rapport_window_class_init_actions (GtkWidgetClass *widget_class)
{
  const RapportViewInfo *views;
  guint n_views;

  gtk_widget_class_install_action (widget_class, "window.new-contact", NULL, new_contact_action);
  rapport_window_class_init_transfer_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "window.edit-contact", NULL, edit_contact_action);
  gtk_widget_class_install_action (widget_class, "window.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "window.log-interaction", NULL,
                                   log_interaction_action);
  gtk_widget_class_install_action (widget_class, "window.log-complaint", NULL,
                                   log_interaction_action);
  gtk_widget_class_install_action (widget_class, "window.add-note", NULL, add_note_action);
  gtk_widget_class_install_action (widget_class, "window.add-reminder", NULL, add_reminder_action);
  gtk_widget_class_install_action (widget_class, "window.add-promise", NULL, add_promise_action);
  gtk_widget_class_install_action (widget_class, "window.delete-contact", NULL,
                                   delete_contact_action);
  gtk_widget_class_install_action (widget_class, "window.undo-delete", NULL, undo_delete_action);
  gtk_widget_class_install_action (widget_class, "window.restore-contact", NULL,
                                   restore_contact_action);
  gtk_widget_class_install_action (widget_class, "window.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "window.show-contact", "s", show_contact_action);
  gtk_widget_class_install_action (widget_class, "window.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "window.show-list", NULL, show_list_action);

  /* Every shortcut here is listed in ui/gtk/help-overlay.ui. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "window.new-contact", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "window.edit-contact", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "window.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "window.log-interaction", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK,
                                       "window.log-complaint", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "window.add-note", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "window.add-reminder", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "window.add-promise", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK,
                                       "window.delete-contact", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "window.undo-delete", NULL);

  /* Ctrl+1 … Ctrl+9 go to the first nine views of the sidebar. */
  views = rapport_views_get_builtin (&n_views);
  for (guint i = 0; i < MIN (n_views, 9u); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                         "window.show-view", "s", views[i].id);
}
