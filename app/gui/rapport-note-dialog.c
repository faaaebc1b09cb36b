/* rapport-note-dialog.c: adding a note to a contact */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-dialog.h"
#include "rapport-note-dialog.h"

struct _RapportNoteDialog
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkLabel *error_label;
  GtkTextView *body_view;
  GtkSwitch *private_switch;
  GtkSwitch *pinned_switch;

  RapportStore *store;
  char *contact_id;
};

G_DEFINE_FINAL_TYPE (RapportNoteDialog, rapport_note_dialog, ADW_TYPE_WINDOW)

gboolean
rapport_note_dialog_save (RapportNoteDialog *self)
{
  g_autoptr (RapportNote) note = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (RAPPORT_IS_NOTE_DIALOG (self), FALSE);

  body = g_strstrip (rapport_text_view_get_text (self->body_view));
  if (*body == '\0')
    {
      rapport_dialog_show_error (self->error_label, _("Write the note first."));
      gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
      return FALSE;
    }
  note = rapport_note_new ();
  note->contact_id = g_strdup (self->contact_id);
  note->body = g_steal_pointer (&body);
  note->private = gtk_switch_get_active (self->private_switch);
  note->pinned = gtk_switch_get_active (self->pinned_switch);
  note->author = g_strdup (rapport_store_get_me_id (self->store));
  if (!rapport_store_save (self->store, RAPPORT_RECORD (note), &error))
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
  rapport_note_dialog_save (RAPPORT_NOTE_DIALOG (widget));
}

static void
rapport_note_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_NOTE_DIALOG);
  G_OBJECT_CLASS (rapport_note_dialog_parent_class)->dispose (object);
}

static void
rapport_note_dialog_finalize (GObject *object)
{
  RapportNoteDialog *self = RAPPORT_NOTE_DIALOG (object);

  g_clear_object (&self->store);
  g_free (self->contact_id);
  G_OBJECT_CLASS (rapport_note_dialog_parent_class)->finalize (object);
}

static void
rapport_note_dialog_class_init (RapportNoteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_note_dialog_dispose;
  object_class->finalize = rapport_note_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-note-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportNoteDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RapportNoteDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RapportNoteDialog, body_view);
  gtk_widget_class_bind_template_child (widget_class, RapportNoteDialog, private_switch);
  gtk_widget_class_bind_template_child (widget_class, RapportNoteDialog, pinned_switch);
  rapport_dialog_class_setup (widget_class, save_action);
}

static void
rapport_note_dialog_init (RapportNoteDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RapportNoteDialog *
rapport_note_dialog_new (GtkWindow *parent, RapportStore *store, const char *contact_id)
{
  RapportNoteDialog *self;
  g_autoptr (RapportContact) contact = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  self = g_object_new (RAPPORT_TYPE_NOTE_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->contact_id = g_strdup (contact_id);
  contact = rapport_store_get_contact (store, contact_id, NULL);
  if (contact != NULL && contact->name != NULL)
    adw_window_title_set_subtitle (self->window_title, contact->name);
  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
  return self;
}
