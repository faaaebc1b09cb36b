/* rapport-first-run-dialog.c: asking once who uses this desktop */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-dialog.h"
#include "rapport-first-run-dialog.h"
#include "rapport-format.h"

struct _RapportFirstRunDialog
{
  AdwWindow parent_instance;

  GtkLabel *error_label;
  AdwEntryRow *name_row;
  AdwEntryRow *department_row;

  RapportStore *store;
};

enum
{
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RapportFirstRunDialog, rapport_first_run_dialog, ADW_TYPE_WINDOW)

gboolean
rapport_save_identity (RapportStore *store, const char *name, const char *department,
                       GError **error)
{
  RapportUser *me = rapport_store_get_me (store);
  g_autoptr (RapportUser) user = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (me != NULL)
    user = RAPPORT_USER (rapport_record_copy (RAPPORT_RECORD (me)));
  else
    {
      user = rapport_user_new ();
      user->role = g_strdup ("staff");
      user->name = g_strdup (name);
    }
  g_free (user->display_name);
  user->display_name = g_strdup (name);
  g_free (user->department);
  user->department = g_strdup (department);
  return rapport_store_set_me (store, user, error);
}

gboolean
rapport_first_run_dialog_save (RapportFirstRunDialog *self)
{
  g_autofree char *name = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_autofree char *department = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->department_row)));
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (RAPPORT_IS_FIRST_RUN_DIALOG (self), FALSE);

  if (name == NULL)
    {
      rapport_dialog_show_error (self->error_label,
                                 _("Your name is shown on everything you log, so colleagues know "
                                   "whom to ask."));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return FALSE;
    }
  if (!rapport_save_identity (self->store, name, department, &error))
    {
      rapport_dialog_show_error (self->error_label, error->message);
      return FALSE;
    }
  g_signal_emit (self, signals[DONE], 0);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_first_run_dialog_save (RAPPORT_FIRST_RUN_DIALOG (widget));
}

/* The store is let go when the dialog is destroyed, even if something
 * still holds the dialog: a restore waits for the store to be closed. */
static void
rapport_first_run_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_FIRST_RUN_DIALOG);
  g_clear_object (&RAPPORT_FIRST_RUN_DIALOG (object)->store);
  G_OBJECT_CLASS (rapport_first_run_dialog_parent_class)->dispose (object);
}

static void
rapport_first_run_dialog_class_init (RapportFirstRunDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_first_run_dialog_dispose;
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-first-run-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportFirstRunDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RapportFirstRunDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, RapportFirstRunDialog, department_row);
  rapport_dialog_class_setup (widget_class, save_action);
}

static void
rapport_first_run_dialog_init (RapportFirstRunDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->name_row, "entry-activated",
                            G_CALLBACK (gtk_widget_grab_focus), self->department_row);
  g_signal_connect_swapped (self->department_row, "entry-activated",
                            G_CALLBACK (rapport_first_run_dialog_save), self);
}

RapportFirstRunDialog *
rapport_first_run_dialog_new (GtkWindow *parent, RapportStore *store)
{
  RapportFirstRunDialog *self;
  const char *user_name = g_get_real_name ();

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  self = g_object_new (RAPPORT_TYPE_FIRST_RUN_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  /* A good guess saves typing; "Unknown" is GLib's answer when it has none. */
  if (user_name != NULL && g_strcmp0 (user_name, "Unknown") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), user_name);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}
