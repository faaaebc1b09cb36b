/* rapport-timeline-row.c: one entry of a contact's timeline */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-format.h"
#include "rapport-timeline-row.h"

struct _RapportTimelineRow
{
  GtkWidget parent_instance;

  GtkImage *icon;
  GtkLabel *text_label;
  GtkLabel *status_label;
  GtkWidget *actions_box;
  GtkButton *primary_button;
  GtkButton *secondary_button;
};

G_DEFINE_FINAL_TYPE (RapportTimelineRow, rapport_timeline_row, GTK_TYPE_WIDGET)

typedef struct
{
  const char *icon;
  char *title;
  char *status;          /* nullable */
  const char *status_class;
  GString *meta;
  const char *body;
  const char *primary_label, *primary_action;
  const char *secondary_label, *secondary_action;
} RowContent;

static void
meta_add (RowContent *c, const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (c->meta->len > 0)
    g_string_append (c->meta, " · ");
  g_string_append (c->meta, text);
}

static void
describe_interaction (RowContent *c, RapportStore *store, GHashTable *users,
                      RapportInteraction *interaction, gint64 now)
{
  const char *who = rapport_user_cache_lookup (users, store, interaction->logged_by);
  g_autofree char *when = rapport_format_time (interaction->occurred_at, now);
  gboolean complaint = g_strcmp0 (interaction->kind, "complaint") == 0
                       || g_strcmp0 (interaction->kind, "feedback") == 0;

  c->icon = complaint ? "dialog-warning-symbolic"
          : g_strcmp0 (interaction->kind, "call") == 0 ? "call-start-symbolic"
          : g_strcmp0 (interaction->kind, "email") == 0 ? "mail-unread-symbolic"
          : g_strcmp0 (interaction->kind, "meeting") == 0 ? "x-office-calendar-symbolic"
          : "chat-message-new-symbolic";
  c->title = g_strdup (interaction->summary && *interaction->summary
                         ? interaction->summary
                         : rapport_choice_label (RAPPORT_CHOICE_INTERACTION_KIND, interaction->kind));
  meta_add (c, rapport_choice_label (RAPPORT_CHOICE_INTERACTION_KIND, interaction->kind));
  meta_add (c, rapport_choice_label (RAPPORT_CHOICE_DIRECTION, interaction->direction));
  /* "Email · Outbound · Email" says one thing twice. */
  if (g_strcmp0 (rapport_choice_label (RAPPORT_CHOICE_CHANNEL, interaction->channel),
                 rapport_choice_label (RAPPORT_CHOICE_INTERACTION_KIND, interaction->kind)) != 0)
    meta_add (c, rapport_choice_label (RAPPORT_CHOICE_CHANNEL, interaction->channel));
  if (who != NULL)
    {
      g_autofree char *by = interaction->department && *interaction->department
                              /* Translators: who logged it and their department */
                              ? g_strdup_printf (_("by %s (%s)"), who, interaction->department)
                              : g_strdup_printf (_("by %s"), who);
      meta_add (c, by);
    }
  meta_add (c, when);
  c->body = interaction->body;

  if (interaction->awaiting_response)
    {
      c->status = g_strdup (_("Awaiting response"));
      c->status_class = "warning";
      c->primary_label = _("Responded");
      c->primary_action = "contact.complaint-responded";
      c->secondary_label = _("Resolved");
      c->secondary_action = "contact.complaint-resolved";
    }
  else if (complaint && interaction->resolved_at == 0 && interaction->responded_at != 0)
    {
      c->status = g_strdup (_("Responded"));
      c->status_class = "accent";
      c->primary_label = _("Resolved");
      c->primary_action = "contact.complaint-resolved";
    }
  else if (complaint && interaction->resolved_at != 0)
    {
      c->status = g_strdup (_("Resolved"));
      c->status_class = "success";
    }
}

static void
describe_note (RowContent *c, RapportStore *store, GHashTable *users, RapportNote *note,
               gint64 now)
{
  const char *who = rapport_user_cache_lookup (users, store, note->author);
  g_autofree char *when = rapport_format_time (RAPPORT_RECORD (note)->created_at, now);

  c->icon = note->pinned ? "view-pin-symbolic" : "document-edit-symbolic";
  c->title = g_strdup (note->private ? _("Private note") : _("Note"));
  if (who != NULL)
    {
      g_autofree char *by = g_strdup_printf (_("by %s"), who);
      meta_add (c, by);
    }
  meta_add (c, when);
  c->body = note->body;
  if (note->pinned)
    {
      c->status = g_strdup (_("Pinned"));
      c->status_class = "accent";
    }
  c->primary_label = note->pinned ? _("Unpin") : _("Pin");
  c->primary_action = "contact.note-toggle-pin";
}

static void
describe_promise (RowContent *c, RapportStore *store, GHashTable *users,
                  RapportPromise *promise, gint64 now)
{
  const char *who = rapport_user_cache_lookup (users, store, promise->promised_by);
  const char *deliverer = promise->deliver_by_user
                            ? rapport_user_cache_lookup (users, store, promise->deliver_by_user)
                            : promise->deliver_by_department;
  gboolean open = promise->status == NULL || g_str_equal (promise->status, "open");

  c->icon = "mail-send-symbolic";
  /* Translators: %s is what was promised */
  c->title = g_strdup_printf (_("Promised: %s"), promise->what ? promise->what : "");
  if (who != NULL)
    {
      g_autofree char *by = g_strdup_printf (_("by %s"), who);
      meta_add (c, by);
    }
  if (deliverer != NULL && *deliverer != '\0')
    {
      /* Translators: who must deliver a promise */
      g_autofree char *to = g_strdup_printf (_("to be delivered by %s"), deliverer);
      meta_add (c, to);
    }
  if (promise->due_at != 0)
    {
      g_autofree char *when = rapport_format_time (promise->due_at, now);
      g_autofree char *due = g_strdup_printf (_("due %s"), when);
      meta_add (c, due);
    }
  c->status = g_strdup (rapport_choice_label (RAPPORT_CHOICE_PROMISE_STATUS,
                                              promise->status ? promise->status : "open"));
  c->status_class = open ? (promise->due_at && promise->due_at < now ? "error" : "accent")
                  : g_strcmp0 (promise->status, "kept") == 0 ? "success" : "dim-label";
  if (open)
    {
      c->primary_label = _("Kept");
      c->primary_action = "contact.promise-kept";
      c->secondary_label = _("Broken");
      c->secondary_action = "contact.promise-broken";
    }
}

static void
describe_reminder (RowContent *c, RapportStore *store, GHashTable *users,
                   RapportReminder *reminder, gint64 now)
{
  const char *who = rapport_user_cache_lookup (users, store, reminder->owner);
  gint64 due = rapport_reminder_get_effective_due (reminder);
  g_autofree char *when = rapport_format_time (due, now);

  c->icon = "alarm-symbolic";
  c->title = g_strdup (reminder->title && *reminder->title ? reminder->title : _("Follow up"));
  if (who != NULL)
    {
      g_autofree char *for_whom = g_strdup_printf (_("for %s"), who);
      meta_add (c, for_whom);
    }
  {
    g_autofree char *due_text = g_strdup_printf (_("due %s"), when);
    meta_add (c, due_text);
  }
  if (reminder->recurrence)
    {
      g_autofree char *every = g_strdup_printf (_("repeats every %s"), reminder->recurrence);
      meta_add (c, every);
    }
  if (reminder->done_at != 0)
    {
      c->status = g_strdup (_("Done"));
      c->status_class = "success";
      return;
    }
  c->status = g_strdup (due <= now ? _("Due") : _("Upcoming"));
  c->status_class = due <= now ? "warning" : "accent";
  c->primary_label = _("Done");
  c->primary_action = "contact.reminder-done";
  c->secondary_label = _("Snooze");
  c->secondary_action = "contact.reminder-snooze";
}

static void
set_button (GtkButton *button, const char *label, const char *action, const char *id)
{
  gtk_widget_set_visible (GTK_WIDGET (button), action != NULL);
  if (action == NULL)
    return;
  gtk_button_set_label (button, label);
  /* The target first: an action name without its target warns. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), NULL);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
}

static void
rapport_timeline_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_TIMELINE_ROW);
  rapport_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (rapport_timeline_row_parent_class)->dispose (object);
}

static void
rapport_timeline_row_class_init (RapportTimelineRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_timeline_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-timeline-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportTimelineRow, icon);
  gtk_widget_class_bind_template_child (widget_class, RapportTimelineRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, RapportTimelineRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, RapportTimelineRow, actions_box);
  gtk_widget_class_bind_template_child (widget_class, RapportTimelineRow, primary_button);
  gtk_widget_class_bind_template_child (widget_class, RapportTimelineRow, secondary_button);
}

static void
rapport_timeline_row_init (RapportTimelineRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RapportTimelineRow *
rapport_timeline_row_new (void)
{
  return g_object_new (RAPPORT_TYPE_TIMELINE_ROW, NULL);
}

void
rapport_timeline_row_set_record (RapportTimelineRow *self, RapportStore *store,
                                 GHashTable *users, RapportRecord *record)
{
  RowContent c = { 0 };
  gint64 now;
  static const char *status_classes[] = { "warning", "accent", "success", "error", "dim-label" };
  g_autofree char *accessible = NULL;
  g_autofree char *markup = NULL;

  g_return_if_fail (RAPPORT_IS_TIMELINE_ROW (self));
  g_return_if_fail (RAPPORT_IS_RECORD (record));

  now = rapport_store_now (store);
  c.meta = g_string_new (NULL);
  if (RAPPORT_IS_INTERACTION (record))
    describe_interaction (&c, store, users, RAPPORT_INTERACTION (record), now);
  else if (RAPPORT_IS_NOTE (record))
    describe_note (&c, store, users, RAPPORT_NOTE (record), now);
  else if (RAPPORT_IS_PROMISE (record))
    describe_promise (&c, store, users, RAPPORT_PROMISE (record), now);
  else if (RAPPORT_IS_REMINDER (record))
    describe_reminder (&c, store, users, RAPPORT_REMINDER (record), now);
  else
    c.title = g_strdup ("");

  gtk_image_set_from_icon_name (self->icon, c.icon ? c.icon : "text-x-generic-symbolic");
  /* One label for title, details and body: see the .ui file. */
  markup = g_markup_printf_escaped ("<b>%s</b>\n<small><span fgalpha=\"65%%\">%s</span></small>%s%s",
                                    c.title, c.meta->str,
                                    c.body && *c.body ? "\n" : "", c.body ? c.body : "");
  gtk_label_set_markup (self->text_label, markup);
  gtk_label_set_text (self->status_label, c.status ? c.status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), c.status != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
  if (c.status_class)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), c.status_class);
  set_button (self->primary_button, c.primary_label, c.primary_action, record->id);
  set_button (self->secondary_button, c.secondary_label, c.secondary_action, record->id);
  /* The status and the buttons share the last line. */
  gtk_widget_set_visible (self->actions_box, c.primary_action != NULL || c.status != NULL);

  accessible = g_strdup_printf ("%s. %s%s%s", c.title, c.status ? c.status : "",
                                c.status ? ". " : "", c.meta->str);
  rapport_set_list_row_label (GTK_WIDGET (self), accessible);
  g_free (c.title);
  g_free (c.status);
  g_string_free (c.meta, TRUE);
}
