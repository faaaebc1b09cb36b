/* rapport-reminder-dialog.c: adding a follow-up reminder */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-dialog.h"
#include "rapport-reminder-dialog.h"
#include "rapport-time.h"

struct _RapportReminderDialog
{
  AdwWindow parent_instance;

  RapportDialogForm form;
  AdwEntryRow *title_row;
  AdwEntryRow *due_row;
  AdwEntryRow *recurrence_row;
  GtkSwitch *working_days_switch;
};

G_DEFINE_FINAL_TYPE (RapportReminderDialog, rapport_reminder_dialog, ADW_TYPE_WINDOW)

gboolean
rapport_reminder_dialog_save (RapportReminderDialog *self)
{
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *recurrence_text = NULL;
  g_autofree char *recurrence = NULL;
  gint64 due = 0;

  g_return_val_if_fail (RAPPORT_IS_REMINDER_DIALOG (self), FALSE);

  title = rapport_entry_row_dup_trimmed (self->title_row);
  recurrence_text = rapport_entry_row_dup_trimmed (self->recurrence_row);
  if (!rapport_dialog_form_read_time (&self->form, self->due_row,
                                      rapport_store_now (self->form.store),
                                      _("Say when to follow up, for example “tomorrow” or “+3d”."),
                                      &due))
    return FALSE;
  if (recurrence_text != NULL && !rapport_recurrence_parse (recurrence_text, &recurrence, &error))
    return rapport_dialog_form_fail (&self->form, self->recurrence_row, error->message);
  reminder = rapport_reminder_new ();
  reminder->contact_id = g_strdup (self->form.contact_id);
  reminder->owner = g_strdup (rapport_store_get_me_id (self->form.store));
  reminder->created_by = g_strdup (reminder->owner);
  reminder->title = title ? g_steal_pointer (&title) : g_strdup (_("Follow up"));
  reminder->due_at = due;
  reminder->recurrence = g_steal_pointer (&recurrence);
  reminder->working_days = gtk_switch_get_active (self->working_days_switch);
  return rapport_dialog_form_save (&self->form, GTK_WINDOW (self), RAPPORT_RECORD (reminder));
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

  rapport_dialog_form_clear (&self->form);
  G_OBJECT_CLASS (rapport_reminder_dialog_parent_class)->finalize (object);
}

static void
rapport_reminder_dialog_class_init (RapportReminderDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_reminder_dialog_dispose;
  object_class->finalize = rapport_reminder_dialog_finalize;
  rapport_dialog_form_class_init (widget_class, "rapport-reminder-dialog.ui",
                                  G_STRUCT_OFFSET (RapportReminderDialog, form), save_action);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderDialog, due_row);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderDialog, recurrence_row);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderDialog, working_days_switch);
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
  contact = rapport_dialog_form_setup (&self->form, store, contact_id);
  if (contact != NULL && contact->name != NULL)
    {
      /* Translators: the default title of a reminder; %s is a contact's name */
      g_autofree char *title = g_strdup_printf (_("Follow up with %s"), contact->name);
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
  return self;
}
