/* rapport-promise-dialog.c: recording a promise made to a customer */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-dialog.h"
#include "rapport-format.h"
#include "rapport-promise-dialog.h"
#include "rapport-time.h"

struct _RapportPromiseDialog
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkLabel *error_label;
  AdwEntryRow *what_row;
  AdwEntryRow *due_row;
  AdwComboRow *deliver_user_row;
  AdwEntryRow *deliver_department_row;

  RapportStore *store;
  char *contact_id;
  GPtrArray *user_ids;     /* parallel to the rows of deliver_user_row; [0] = NULL */
};

G_DEFINE_FINAL_TYPE (RapportPromiseDialog, rapport_promise_dialog, ADW_TYPE_WINDOW)

gboolean
rapport_promise_dialog_save (RapportPromiseDialog *self)
{
  g_autoptr (RapportPromise) promise = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *what = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->what_row)));
  g_autofree char *due_text = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->due_row)));
  g_autofree char *department = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->deliver_department_row)));
  guint user_index = adw_combo_row_get_selected (self->deliver_user_row);
  gint64 due = 0;

  g_return_val_if_fail (RAPPORT_IS_PROMISE_DIALOG (self), FALSE);

  if (what == NULL)
    {
      rapport_dialog_show_error (self->error_label, _("Write down what was promised."));
      gtk_widget_grab_focus (GTK_WIDGET (self->what_row));
      return FALSE;
    }
  if (due_text != NULL && !rapport_time_parse (due_text, rapport_store_now (self->store), &due, &error))
    {
      rapport_dialog_show_error (self->error_label, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->due_row));
      return FALSE;
    }
  promise = rapport_promise_new ();
  promise->contact_id = g_strdup (self->contact_id);
  promise->what = g_steal_pointer (&what);
  promise->promised_by = g_strdup (rapport_store_get_me_id (self->store));
  if (user_index < self->user_ids->len)
    promise->deliver_by_user = g_strdup (self->user_ids->pdata[user_index]);
  promise->deliver_by_department = g_steal_pointer (&department);
  promise->due_at = due;
  promise->status = g_strdup ("open");
  if (!rapport_store_save (self->store, RAPPORT_RECORD (promise), &error))
    {
      rapport_dialog_show_error (self->error_label, error->message);
      return FALSE;
    }
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_promise_dialog_save (RAPPORT_PROMISE_DIALOG (widget));
}

static void
fill_users (RapportPromiseDialog *self)
{
  g_autoptr (GPtrArray) users = rapport_store_list_users (self->store);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);

  gtk_string_list_append (names, _("Nobody in particular"));
  g_ptr_array_add (self->user_ids, NULL);
  for (guint i = 0; i < users->len; i++)
    {
      RapportUser *user = users->pdata[i];
      const char *name = user->display_name && *user->display_name ? user->display_name : user->name;

      if (user->disabled)
        continue;
      gtk_string_list_append (names, name ? name : RAPPORT_RECORD (user)->id);
      g_ptr_array_add (self->user_ids, g_strdup (RAPPORT_RECORD (user)->id));
    }
  adw_combo_row_set_model (self->deliver_user_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->deliver_user_row, 0);
}

static void
rapport_promise_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_PROMISE_DIALOG);
  G_OBJECT_CLASS (rapport_promise_dialog_parent_class)->dispose (object);
}

static void
rapport_promise_dialog_finalize (GObject *object)
{
  RapportPromiseDialog *self = RAPPORT_PROMISE_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->user_ids, g_ptr_array_unref);
  g_free (self->contact_id);
  G_OBJECT_CLASS (rapport_promise_dialog_parent_class)->finalize (object);
}

static void
rapport_promise_dialog_class_init (RapportPromiseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_promise_dialog_dispose;
  object_class->finalize = rapport_promise_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-promise-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportPromiseDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RapportPromiseDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RapportPromiseDialog, what_row);
  gtk_widget_class_bind_template_child (widget_class, RapportPromiseDialog, due_row);
  gtk_widget_class_bind_template_child (widget_class, RapportPromiseDialog, deliver_user_row);
  gtk_widget_class_bind_template_child (widget_class, RapportPromiseDialog, deliver_department_row);
  rapport_dialog_class_setup (widget_class, save_action);
}

static void
rapport_promise_dialog_init (RapportPromiseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->user_ids = g_ptr_array_new_with_free_func (g_free);
}

RapportPromiseDialog *
rapport_promise_dialog_new (GtkWindow *parent, RapportStore *store, const char *contact_id)
{
  RapportPromiseDialog *self;
  g_autoptr (RapportContact) contact = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  self = g_object_new (RAPPORT_TYPE_PROMISE_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->contact_id = g_strdup (contact_id);
  fill_users (self);
  contact = rapport_store_get_contact (store, contact_id, NULL);
  if (contact != NULL && contact->name != NULL)
    adw_window_title_set_subtitle (self->window_title, contact->name);
  gtk_widget_grab_focus (GTK_WIDGET (self->what_row));
  return self;
}
