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

  RapportDialogForm form;
  GtkTextView *body_view;
  GtkSwitch *private_switch;
  GtkSwitch *pinned_switch;
};

G_DEFINE_FINAL_TYPE (RapportNoteDialog, rapport_note_dialog, ADW_TYPE_WINDOW)

gboolean
rapport_note_dialog_save (RapportNoteDialog *self)
{
  g_autoptr (RapportNote) note = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (RAPPORT_IS_NOTE_DIALOG (self), FALSE);

  body = g_strstrip (rapport_text_view_get_text (self->body_view));
  if (*body == '\0')
    return rapport_dialog_form_fail (&self->form, self->body_view, _("Write the note first."));
  note = rapport_note_new ();
  note->contact_id = g_strdup (self->form.contact_id);
  note->body = g_steal_pointer (&body);
  note->private = gtk_switch_get_active (self->private_switch);
  note->pinned = gtk_switch_get_active (self->pinned_switch);
  note->author = g_strdup (rapport_store_get_me_id (self->form.store));
  return rapport_dialog_form_save (&self->form, GTK_WINDOW (self), RAPPORT_RECORD (note));
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

  rapport_dialog_form_clear (&self->form);
  G_OBJECT_CLASS (rapport_note_dialog_parent_class)->finalize (object);
}

static void
rapport_note_dialog_class_init (RapportNoteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_note_dialog_dispose;
  object_class->finalize = rapport_note_dialog_finalize;
  rapport_dialog_form_class_init (widget_class, "rapport-note-dialog.ui",
                                  G_STRUCT_OFFSET (RapportNoteDialog, form), save_action);
  gtk_widget_class_bind_template_child (widget_class, RapportNoteDialog, body_view);
  gtk_widget_class_bind_template_child (widget_class, RapportNoteDialog, private_switch);
  gtk_widget_class_bind_template_child (widget_class, RapportNoteDialog, pinned_switch);
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
  contact = rapport_dialog_form_setup (&self->form, store, contact_id);
  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
  return self;
}
