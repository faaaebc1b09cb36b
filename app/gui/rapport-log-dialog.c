/* rapport-log-dialog.c: logging an interaction, with a follow-up */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-dialog.h"
#include "rapport-format.h"
#include "rapport-log-dialog.h"
#include "rapport-time.h"

struct _RapportLogDialog
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkLabel *error_label;
  AdwComboRow *kind_row;
  AdwComboRow *channel_row;
  AdwComboRow *direction_row;
  AdwEntryRow *when_row;
  AdwEntryRow *summary_row;
  GtkTextView *body_view;
  GtkSpinButton *follow_up_spin;

  RapportStore *store;
  char *contact_id;
  char *contact_name;
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
  g_autofree char *summary = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->summary_row)));
  g_autofree char *when_text = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->when_row)));
  g_autofree char *body = rapport_text_view_get_text (self->body_view);
  gint64 now = rapport_store_now (self->store);
  gint64 occurred_at = now;
  int follow_up_days = gtk_spin_button_get_value_as_int (self->follow_up_spin);
  const char *kind;

  g_return_val_if_fail (RAPPORT_IS_LOG_DIALOG (self), FALSE);

  if (summary == NULL)
    {
      rapport_dialog_show_error (self->error_label,
                                 _("Write a short summary of what happened, so colleagues can "
                                   "follow the relationship."));
      gtk_widget_grab_focus (GTK_WIDGET (self->summary_row));
      return FALSE;
    }
  if (when_text != NULL && !rapport_time_parse (when_text, now, &occurred_at, &error))
    {
      rapport_dialog_show_error (self->error_label, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->when_row));
      return FALSE;
    }

  kind = rapport_combo_row_get_keyword (self->kind_row, RAPPORT_CHOICE_INTERACTION_KIND);
  interaction = rapport_interaction_new ();
  interaction->contact_id = g_strdup (self->contact_id);
  interaction->kind = g_strdup (kind);
  interaction->channel = g_strdup (rapport_combo_row_get_keyword (self->channel_row,
                                                                  RAPPORT_CHOICE_CHANNEL));
  interaction->direction = g_strdup (rapport_combo_row_get_keyword (self->direction_row,
                                                                    RAPPORT_CHOICE_DIRECTION));
  interaction->occurred_at = occurred_at;
  interaction->logged_by = g_strdup (rapport_store_get_me_id (self->store));
  interaction->department = g_strdup (rapport_dialog_my_department (self->store));
  interaction->summary = g_strdup (summary);
  interaction->body = g_strstrip (g_steal_pointer (&body));
  if (*interaction->body == '\0')
    g_clear_pointer (&interaction->body, g_free);
  interaction->awaiting_response = g_str_equal (kind, "complaint") || g_str_equal (kind, "feedback");

  if (follow_up_days > 0)
    {
      reminder = rapport_reminder_new ();
      reminder->contact_id = g_strdup (self->contact_id);
      reminder->owner = g_strdup (rapport_store_get_me_id (self->store));
      reminder->created_by = g_strdup (reminder->owner);
      /* Translators: a follow-up's title; %s is the interaction's summary */
      reminder->title = g_strdup_printf (_("Follow up: %s"), summary);
      reminder->due_at = now + (gint64) follow_up_days * 24 * 60 * 60;
    }

  /* The interaction and its follow-up are saved together or not at all. */
  if (!rapport_store_begin (self->store, &error))
    goto failed;
  if (!rapport_store_save (self->store, RAPPORT_RECORD (interaction), &error)
      || (reminder && !rapport_store_save (self->store, RAPPORT_RECORD (reminder), &error)))
    {
      rapport_store_rollback (self->store);
      goto failed;
    }
  if (!rapport_store_commit (self->store, &error))
    goto failed;
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;

failed:
  rapport_dialog_show_error (self->error_label, error->message);
  return FALSE;
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

  g_clear_object (&self->store);
  g_free (self->contact_id);
  g_free (self->contact_name);
  G_OBJECT_CLASS (rapport_log_dialog_parent_class)->finalize (object);
}

static void
rapport_log_dialog_class_init (RapportLogDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_log_dialog_dispose;
  object_class->finalize = rapport_log_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-log-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, channel_row);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, direction_row);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, when_row);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, summary_row);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, body_view);
  gtk_widget_class_bind_template_child (widget_class, RapportLogDialog, follow_up_spin);
  rapport_dialog_class_setup (widget_class, save_action);
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
  self->store = g_object_ref (store);
  self->contact_id = g_strdup (contact_id);
  contact = rapport_store_get_contact (store, contact_id, NULL);
  if (contact != NULL)
    {
      self->contact_name = g_strdup (contact->name);
      adw_window_title_set_subtitle (self->window_title, contact->name ? contact->name : "");
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
    adw_window_title_set_title (self->window_title, _("Log a Complaint or Feedback"));
}
