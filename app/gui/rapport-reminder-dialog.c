/* rapport-reminder-dialog.c: adding a follow-up reminder */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-dialog.h"
#include "rapport-format.h"
#include "rapport-reminder-dialog.h"
#include "rapport-time.h"

struct _RapportReminderDialog
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkLabel *error_label;
  AdwEntryRow *title_row;
  AdwEntryRow *due_row;
  AdwEntryRow *recurrence_row;
  GtkSwitch *working_days_switch;

  RapportStore *store;
  char *contact_id;
};

G_DEFINE_FINAL_TYPE (RapportReminderDialog, rapport_reminder_dialog, ADW_TYPE_WINDOW)

gboolean
rapport_reminder_dialog_save (RapportReminderDialog *self)
{
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  g_autofree char *due_text = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->due_row)));
  g_autofree char *recurrence_text = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->recurrence_row)));
  g_autofree char *recurrence = NULL;
  gint64 due = 0;

  g_return_val_if_fail (RAPPORT_IS_REMINDER_DIALOG (self), FALSE);

  if (due_text == NULL)
    {
      rapport_dialog_show_error (self->error_label, _("Say when to follow up, for example “tomorrow” or “+3d”."));
      gtk_widget_grab_focus (GTK_WIDGET (self->due_row));
      return FALSE;
    }
  if (!rapport_time_parse (due_text, rapport_store_now (self->store), &due, &error))
    {
      rapport_dialog_show_error (self->error_label, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->due_row));
      return FALSE;
    }
  if (recurrence_text != NULL && !rapport_recurrence_parse (recurrence_text, &recurrence, &error))
    {
      rapport_dialog_show_error (self->error_label, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->recurrence_row));
      return FALSE;
    }
  reminder = rapport_reminder_new ();
  reminder->contact_id = g_strdup (self->contact_id);
  reminder->owner = g_strdup (rapport_store_get_me_id (self->store));
  reminder->created_by = g_strdup (reminder->owner);
  reminder->title = title ? g_steal_pointer (&title) : g_strdup (_("Follow up"));
  reminder->due_at = due;
  reminder->recurrence = g_steal_pointer (&recurrence);
  reminder->working_days = gtk_switch_get_active (self->working_days_switch);
  if (!rapport_store_save (self->store, RAPPORT_RECORD (reminder), &error))
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
  rapport_reminder_dialog_save (RAPPORT_REMINDER_DIALOG (widget));
}

static void
rapport_reminder_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_REMINDER_DIALOG);
  G_OBJECT_CLASS (rapport_reminder_dialog_parent_class)->dispose (object);
}

static void
rapport_reminder_dialog_finalize (GObject *object)
{
  RapportReminderDialog *self = RAPPORT_REMINDER_DIALOG (object);

  g_clear_object (&self->store);
  g_free (self->contact_id);
  G_OBJECT_CLASS (rapport_reminder_dialog_parent_class)->finalize (object);
}

static void
rapport_reminder_dialog_class_init (RapportReminderDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_reminder_dialog_dispose;
  object_class->finalize = rapport_reminder_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-reminder-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportReminderDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderDialog, due_row);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderDialog, recurrence_row);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderDialog, working_days_switch);
  rapport_dialog_class_setup (widget_class, save_action);
}

static void
rapport_reminder_dialog_init (RapportReminderDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_editable_set_text (GTK_EDITABLE (self->due_row), "tomorrow");
  g_signal_connect_swapped (self->title_row, "entry-activated",
                            G_CALLBACK (rapport_reminder_dialog_save), self);
}

RapportReminderDialog *
rapport_reminder_dialog_new (GtkWindow *parent, RapportStore *store, const char *contact_id)
{
  RapportReminderDialog *self;
  g_autoptr (RapportContact) contact = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  self = g_object_new (RAPPORT_TYPE_REMINDER_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->contact_id = g_strdup (contact_id);
  contact = rapport_store_get_contact (store, contact_id, NULL);
  if (contact != NULL && contact->name != NULL)
    {
      /* Translators: the default title of a reminder; %s is a contact's name */
      g_autofree char *title = g_strdup_printf (_("Follow up with %s"), contact->name);
      adw_window_title_set_subtitle (self->window_title, contact->name);
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
  return self;
}
