/* rapport-promise-dialog.c: recording a promise made to a customer */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-dialog.h"
#include "rapport-promise-dialog.h"

struct _RapportPromiseDialog
{
  AdwWindow parent_instance;

  RapportDialogForm form;
  AdwEntryRow *what_row;
  AdwEntryRow *due_row;
  AdwComboRow *deliver_user_row;
  AdwEntryRow *deliver_department_row;

  GPtrArray *user_ids;     /* parallel to the rows of deliver_user_row; [0] = NULL */
};

G_DEFINE_FINAL_TYPE (RapportPromiseDialog, rapport_promise_dialog, ADW_TYPE_WINDOW)

gboolean
rapport_promise_dialog_save (RapportPromiseDialog *self)
{
  g_autoptr (RapportPromise) promise = NULL;
  g_autofree char *what = NULL;
  guint user_index;
  gint64 due = 0;

  g_return_val_if_fail (RAPPORT_IS_PROMISE_DIALOG (self), FALSE);

  what = rapport_entry_row_dup_trimmed (self->what_row);
  if (what == NULL)
    return rapport_dialog_form_fail (&self->form, self->what_row,
                                     _("Write down what was promised."));
  if (!rapport_dialog_form_read_time (&self->form, self->due_row,
                                      rapport_store_now (self->form.store), NULL, &due))
    return FALSE;
  user_index = adw_combo_row_get_selected (self->deliver_user_row);
  promise = rapport_promise_new ();
  promise->contact_id = g_strdup (self->form.contact_id);
  promise->what = g_steal_pointer (&what);
  promise->promised_by = g_strdup (rapport_store_get_me_id (self->form.store));
  if (user_index < self->user_ids->len)
    promise->deliver_by_user = g_strdup (self->user_ids->pdata[user_index]);
  promise->deliver_by_department = rapport_entry_row_dup_trimmed (self->deliver_department_row);
  promise->due_at = due;
  promise->status = g_strdup ("open");
  return rapport_dialog_form_save (&self->form, GTK_WINDOW (self), RAPPORT_RECORD (promise));
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_promise_dialog_save (RAPPORT_PROMISE_DIALOG (widget));
}

static void
fill_users (RapportPromiseDialog *self)
{
  g_autoptr (GPtrArray) users = rapport_store_list_users (self->form.store);
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

  rapport_dialog_form_clear (&self->form);
  g_clear_pointer (&self->user_ids, g_ptr_array_unref);
  G_OBJECT_CLASS (rapport_promise_dialog_parent_class)->finalize (object);
}

static void
rapport_promise_dialog_class_init (RapportPromiseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_promise_dialog_dispose;
  object_class->finalize = rapport_promise_dialog_finalize;
  rapport_dialog_form_class_init (widget_class, "rapport-promise-dialog.ui",
                                  G_STRUCT_OFFSET (RapportPromiseDialog, form), save_action);
  gtk_widget_class_bind_template_child (widget_class, RapportPromiseDialog, what_row);
  gtk_widget_class_bind_template_child (widget_class, RapportPromiseDialog, due_row);
  gtk_widget_class_bind_template_child (widget_class, RapportPromiseDialog, deliver_user_row);
  gtk_widget_class_bind_template_child (widget_class, RapportPromiseDialog, deliver_department_row);
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
  contact = rapport_dialog_form_setup (&self->form, store, contact_id);
  fill_users (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->what_row));
  return self;
}
