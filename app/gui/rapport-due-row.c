/* rapport-due-row.c: one thing to act on in Today and the other queues */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-due-row.h"
#include "rapport-format.h"

/* RapportDueObject ------------------------------------------------------- */

struct _RapportDueObject
{
  GObject parent_instance;
  RapportDueItem *item;
  char *heading;
};

G_DEFINE_FINAL_TYPE (RapportDueObject, rapport_due_object, G_TYPE_OBJECT)

static void
rapport_due_object_finalize (GObject *object)
{
  RapportDueObject *self = RAPPORT_DUE_OBJECT (object);

  g_clear_pointer (&self->item, rapport_due_item_free);
  g_free (self->heading);
  G_OBJECT_CLASS (rapport_due_object_parent_class)->finalize (object);
}

static void
rapport_due_object_class_init (RapportDueObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rapport_due_object_finalize;
}

static void
rapport_due_object_init (RapportDueObject *self)
{
}

RapportDueObject *
rapport_due_object_new_item (const RapportDueItem *item)
{
  RapportDueObject *self = g_object_new (RAPPORT_TYPE_DUE_OBJECT, NULL);

  self->item = rapport_due_item_copy (item);
  return self;
}

RapportDueObject *
rapport_due_object_new_heading (const char *title)
{
  RapportDueObject *self = g_object_new (RAPPORT_TYPE_DUE_OBJECT, NULL);

  self->heading = g_strdup (title);
  return self;
}

const RapportDueItem *
rapport_due_object_get_item (RapportDueObject *self)
{
  g_return_val_if_fail (RAPPORT_IS_DUE_OBJECT (self), NULL);
  return self->item;
}

const char *
rapport_due_object_get_heading (RapportDueObject *self)
{
  g_return_val_if_fail (RAPPORT_IS_DUE_OBJECT (self), NULL);
  return self->heading;
}

/* RapportDueRow ----------------------------------------------------------- */

struct _RapportDueRow
{
  GtkWidget parent_instance;

  GtkImage *icon;
  GtkLabel *name_label;
  GtkLabel *title_label;
  GtkLabel *due_label;
  GtkButton *open_button;
  GtkButton *log_button;
  GtkButton *snooze_button;
  GtkButton *done_button;
  RapportDueKind kind;
};

G_DEFINE_FINAL_TYPE (RapportDueRow, rapport_due_row, GTK_TYPE_WIDGET)

static void
rapport_due_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_DUE_ROW);
  rapport_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (rapport_due_row_parent_class)->dispose (object);
}

static void
rapport_due_row_class_init (RapportDueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_due_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/rapport-due-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportDueRow, icon);
  gtk_widget_class_bind_template_child (widget_class, RapportDueRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, RapportDueRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, RapportDueRow, due_label);
  gtk_widget_class_bind_template_child (widget_class, RapportDueRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, RapportDueRow, log_button);
  gtk_widget_class_bind_template_child (widget_class, RapportDueRow, snooze_button);
  gtk_widget_class_bind_template_child (widget_class, RapportDueRow, done_button);
}

/* A button's tooltip, when the pointer rests on it: setting one on each
 * button of each row asked the display server where the pointer was,
 * 4 round trips per row made. */
static gboolean
query_tooltip_cb (GtkWidget *button, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  RapportDueRow *self)
{
  const char *text;

  if (button == GTK_WIDGET (self->open_button))
    text = _("Open");
  else if (button == GTK_WIDGET (self->log_button))
    text = _("Log an Interaction");
  else if (button == GTK_WIDGET (self->snooze_button))
    text = _("Snooze Until Tomorrow");
  else
    text = self->kind == RAPPORT_DUE_PROMISE     ? _("Kept")
           : self->kind == RAPPORT_DUE_COMPLAINT ? _("Responded")
                                                 : _("Done");
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
rapport_due_row_init (RapportDueRow *self)
{
  GtkButton *buttons[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  buttons[0] = self->open_button;
  buttons[1] = self->log_button;
  buttons[2] = self->snooze_button;
  buttons[3] = self->done_button;
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      gtk_widget_set_has_tooltip (GTK_WIDGET (buttons[i]), TRUE);
      g_signal_connect (buttons[i], "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
    }
}

RapportDueRow *
rapport_due_row_new (void)
{
  return g_object_new (RAPPORT_TYPE_DUE_ROW, NULL);
}

static char *
describe_due (const RapportDueItem *item, gint64 now)
{
  g_autofree char *day = rapport_format_relative_day (item->due_at, now);

  switch (item->kind)
    {
    case RAPPORT_DUE_CADENCE:
      if (item->last_interaction_at != 0)
        {
          g_autofree char *last = rapport_format_relative_day (item->last_interaction_at, now);
          /* Translators: "last contact 40 days ago" */
          return g_strdup_printf (_("Past cadence · last contact %s"), last);
        }
      return g_strdup (_("Past cadence · never contacted"));
    case RAPPORT_DUE_COMPLAINT:
      {
        /* A complaint falls due when its response target runs out. */
        g_autofree char *received = rapport_format_relative_day (
            item->due_at - RAPPORT_COMPLAINT_RESPONSE_TARGET, now);
        /* Translators: when a complaint came in, e.g. "received 2 days ago" */
        return g_strdup_printf (_("Received %s"), received);
      }
    case RAPPORT_DUE_REMINDER:
    case RAPPORT_DUE_PROMISE:
    default:
      if (item->due_at < now)
        /* Translators: "due 3 days ago" */
        return g_strdup_printf (_("Overdue · due %s"), day);
      return g_strdup_printf (_("Due %s"), day);
    }
}

static void
set_target (GtkButton *button, const char *action, GVariant *target, char *label)
{
  /* The target first: an action name without its target warns. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), NULL);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  rapport_set_accessible_label (GTK_WIDGET (button), label);
  g_free (label);
}

void
rapport_due_row_set (RapportDueRow *self, const RapportDueItem *item, gint64 now)
{
  static const char *icons[] = {
    [RAPPORT_DUE_REMINDER] = "alarm-symbolic",
    [RAPPORT_DUE_CADENCE] = "weather-snow-symbolic",
    [RAPPORT_DUE_PROMISE] = "mail-send-symbolic",
    [RAPPORT_DUE_COMPLAINT] = "dialog-warning-symbolic",
  };
  const char *name = item->contact_name && *item->contact_name ? item->contact_name
                                                              : _("Unnamed contact");
  g_autofree char *due = describe_due (item, now);
  g_autofree char *accessible = NULL;
  char *done;
  GVariant *contact = g_variant_new_string (item->contact_id ? item->contact_id : "");
  GVariant *key;
  gboolean overdue = item->urgent || (item->kind != RAPPORT_DUE_CADENCE && item->due_at < now);

  g_return_if_fail (RAPPORT_IS_DUE_ROW (self));

  key = g_variant_new ("(uss)", (guint) item->kind, item->record_id ? item->record_id : "",
                       item->contact_id ? item->contact_id : "");
  g_variant_ref_sink (key);
  g_variant_ref_sink (contact);
  gtk_image_set_from_icon_name (self->icon, icons[item->kind]);
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->title_label, item->title ? item->title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), item->title && *item->title);
  gtk_label_set_text (self->due_label, due);
  if (overdue)
    gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "error");

  /* Translators: %s is a contact's name, for screen readers */
  set_target (self->open_button, "today.open", contact, g_strdup_printf (_("Open %s"), name));
  set_target (self->log_button, "today.log", contact,
              g_strdup_printf (_("Log an interaction with %s"), name));
  set_target (self->snooze_button, "today.snooze", key,
              g_strdup_printf (_("Snooze until tomorrow: %s"), name));
  switch (item->kind)
    {
    case RAPPORT_DUE_PROMISE:
      done = g_strdup_printf (_("Mark the promise to %s as kept"), name);
      break;
    case RAPPORT_DUE_COMPLAINT:
      done = g_strdup_printf (_("Mark the complaint of %s as responded"), name);
      break;
    case RAPPORT_DUE_CADENCE:
      done = g_strdup_printf (_("Log that you got in touch with %s"), name);
      break;
    case RAPPORT_DUE_REMINDER:
    default:
      done = g_strdup_printf (_("Mark the follow-up with %s as done"), name);
      break;
    }
  set_target (self->done_button, "today.done", key, done);
  self->kind = item->kind;

  accessible = g_strdup_printf ("%s. %s. %s", name, item->title ? item->title : "", due);
  rapport_set_list_row_label (GTK_WIDGET (self), accessible);
  g_variant_unref (key);
  g_variant_unref (contact);
}
