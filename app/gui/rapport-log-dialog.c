/* rapport-log-dialog.c: logging an interaction, with a follow-up */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-dialog.h"
#include "rapport-format.h"
#include "rapport-log-dialog.h"

struct _RapportLogDialog
{
  AdwWindow parent_instance;

  RapportDialogForm form;
  AdwComboRow *kind_row;
  AdwComboRow *channel_row;
  AdwComboRow *direction_row;
  AdwEntryRow *when_row;
  AdwEntryRow *summary_row;
  GtkTextView *body_view;
  GtkSpinButton *follow_up_spin;
};

G_DEFINE_FINAL_TYPE (RapportLogDialog, rapport_log_dialog, ADW_TYPE_WINDOW)

/* The channel most interactions of a kind go through. */
static const char *
default_channel (const char *kind)
{
  static const char *const pairs[][2] = {
    { "call", "phone" }, { "email", "email" }, { "meeting", "meeting" }, { "message", "sms" },
    { "social", "social" }, { "visit", "in-person" }, { "delivery", "in-person" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    if (g_str_equal (pairs[i][0], kind))
      return pairs[i][1];
  return NULL;
}

/* The kind of touch a channel usually means. */
static const char *
default_kind (const char *channel)
{
  static const char *const pairs[][2] = {
    { "email", "email" }, { "phone", "call" }, { "sms", "message" }, { "meeting", "meeting" },
    { "video", "meeting" }, { "social", "social" }, { "in-person", "visit" },
  };

  for (guint i = 0; channel && i < G_N_ELEMENTS (pairs); i++)
    if (g_str_equal (pairs[i][0], channel))
      return pairs[i][1];
  return NULL;
}

static void
kind_changed_cb (RapportLogDialog *self, GParamSpec *pspec, AdwComboRow *row)
{
  const char *kind = rapport_combo_row_get_keyword (row, RAPPORT_CHOICE_INTERACTION_KIND);
  const char *channel = default_channel (kind);

  if (channel != NULL)
    adw_combo_row_set_selected (self->channel_row,
                                rapport_choice_index (RAPPORT_CHOICE_CHANNEL, channel));
  if (g_str_equal (kind, "complaint") || g_str_equal (kind, "feedback"))
    adw_combo_row_set_selected (self->direction_row,
                                rapport_choice_index (RAPPORT_CHOICE_DIRECTION, "inbound"));
}

gboolean
rapport_log_dialog_save (RapportLogDialog *self)
{
  g_autoptr (RapportInteraction) interaction = NULL;
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  RapportStore *store;
  gint64 now, occurred_at;
  int follow_up_days;
  const char *kind;

  g_return_val_if_fail (RAPPORT_IS_LOG_DIALOG (self), FALSE);

  store = self->form.store;
  now = occurred_at = rapport_store_now (store);
  summary = rapport_entry_row_dup_trimmed (self->summary_row);
  if (summary == NULL)
    return rapport_dialog_form_fail (&self->form, self->summary_row,
                                     _("Write a short summary of what happened, so colleagues can "
                                       "follow the relationship."));
  if (!rapport_dialog_form_read_time (&self->form, self->when_row, now, NULL, &occurred_at))
    return FALSE;
  body = rapport_text_view_get_text (self->body_view);
  follow_up_days = gtk_spin_button_get_value_as_int (self->follow_up_spin);

  kind = rapport_combo_row_get_keyword (self->kind_row, RAPPORT_CHOICE_INTERACTION_KIND);
  interaction = rapport_interaction_new ();
  interaction->contact_id = g_strdup (self->form.contact_id);
  interaction->kind = g_strdup (kind);
  interaction->channel = g_strdup (rapport_combo_row_get_keyword (self->channel_row,
                                                                  RAPPORT_CHOICE_CHANNEL));
  interaction->direction = g_strdup (rapport_combo_row_get_keyword (self->direction_row,
                                                                    RAPPORT_CHOICE_DIRECTION));
  interaction->occurred_at = occurred_at;
  interaction->logged_by = g_strdup (rapport_store_get_me_id (store));
  interaction->department = g_strdup (rapport_dialog_my_department (store));
  interaction->summary = g_strdup (summary);
  interaction->body = g_strstrip (g_steal_pointer (&body));
  if (*interaction->body == '\0')
    g_clear_pointer (&interaction->body, g_free);
  interaction->awaiting_response = g_str_equal (kind, "complaint") || g_str_equal (kind, "feedback");

  if (follow_up_days > 0)
    {
      reminder = rapport_reminder_new ();
      reminder->contact_id = g_strdup (self->form.contact_id);
      reminder->owner = g_strdup (rapport_store_get_me_id (store));
      reminder->created_by = g_strdup (reminder->owner);
      /* Translators: a follow-up's title; %s is the interaction's summary */
      reminder->title = g_strdup_printf (_("Follow up: %s"), summary);
      reminder->due_at = now + (gint64) follow_up_days * 24 * 60 * 60;
    }

  /* The interaction and its follow-up are saved together or not at all. */
  if (!rapport_store_begin (store, &error))
    return rapport_dialog_form_fail (&self->form, NULL, error->message);
  if (!rapport_store_save (store, RAPPORT_RECORD (interaction), &error)
      || (reminder && !rapport_store_save (store, RAPPORT_RECORD (reminder), &error)))
    {
      rapport_store_rollback (store);
      return rapport_dialog_form_fail (&self->form, NULL, error->message);
    }
  if (!rapport_store_commit (store, &error))
    return rapport_dialog_form_fail (&self->form, NULL, error->message);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_log_dialog_save (RAPPORT_LOG_DIALOG (widget));
}

static void
rapport_log_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_LOG_DIALOG);
  G_OBJECT_CLASS (rapport_log_dialog_parent_class)->dispose (object);
}

static void
rapport_log_dialog_finalize (GObject *object)
{
  RapportLogDialog *self = RAPPORT_LOG_DIALOG (object);

  rapport_dialog_form_clear (&self->form);
  G_OBJECT_CLASS (rapport_log_dialog_parent_class)->finalize (object);
}

static void
rapport_log_dialog_class_init (RapportLogDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_log_dialog_dispose;
  object_class->finalize = rapport_log_dialog_finalize;

  rapport_dialog_form_class_init (widget_class, "rapport-log-dialog.ui",
                                  G_STRUCT_OFFSET (RapportLogDialog, form), save_action);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, channel_row);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, direction_row);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, when_row);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, summary_row);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, body_view);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, follow_up_spin);
}

static void
rapport_log_dialog_init (RapportLogDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  rapport_combo_row_set_choices (self->kind_row, RAPPORT_CHOICE_INTERACTION_KIND, "call");
  rapport_combo_row_set_choices (self->channel_row, RAPPORT_CHOICE_CHANNEL, "phone");
  rapport_combo_row_set_choices (self->direction_row, RAPPORT_CHOICE_DIRECTION, "outbound");
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (kind_changed_cb), self);
  g_signal_connect_swapped (self->summary_row, "entry-activated",
                            G_CALLBACK (rapport_log_dialog_save), self);
}

RapportLogDialog *
rapport_log_dialog_new (GtkWindow *parent, RapportStore *store, const char *contact_id)
{
  RapportLogDialog *self;
  g_autoptr (RapportContact) contact = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  self = g_object_new (RAPPORT_TYPE_LOG_DIALOG, "transient-for", parent, NULL);
  contact = rapport_dialog_form_setup (&self->form, store, contact_id);
  if (contact != NULL)
    {
      /* Most touches go through the contact's preferred channel. */
      if (default_kind (contact->preferred_channel) != NULL)
        adw_combo_row_set_selected (self->kind_row,
                                    rapport_choice_index (RAPPORT_CHOICE_INTERACTION_KIND,
                                                          default_kind (contact->preferred_channel)));
      if (contact->preferred_channel != NULL)
        adw_combo_row_set_selected (self->channel_row,
                                    rapport_choice_index (RAPPORT_CHOICE_CHANNEL,
                                                          contact->preferred_channel));
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->summary_row));
  return self;
}

void
rapport_log_dialog_set_kind (RapportLogDialog *self, const char *kind)
{
  g_return_if_fail (RAPPORT_IS_LOG_DIALOG (self));
  adw_combo_row_set_selected (self->kind_row,
                              rapport_choice_index (RAPPORT_CHOICE_INTERACTION_KIND, kind));
  if (g_str_equal (kind, "complaint"))
    adw_window_title_set_title (self->form.window_title, _("Log a Complaint or Feedback"));
}
