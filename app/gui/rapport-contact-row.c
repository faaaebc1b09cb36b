/* rapport-contact-row.c: one contact in the contact list */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rapport-contact-row.h"
#include "rapport-format.h"
#include "rapport-initials.h"

struct _RapportContactRow
{
  GtkWidget parent_instance;

  RapportInitials *avatar;
  GtkLabel *name_label;
  GtkLabel *detail_label;
  GtkLabel *when_label;
  GtkWidget *do_not_contact_icon;

  char *tooltip;        /* the row in words, shown on hover */

  RapportContactSlot *slot;     /* followed, with store */
  RapportStore *store;
  gulong slot_changed_id;
  gboolean pending;             /* in the queue of rows to show their slot's contact */
};

G_DEFINE_FINAL_TYPE (RapportContactRow, rapport_contact_row, GTK_TYPE_WIDGET)

/* The tooltip is given when asked for: gtk_widget_set_tooltip_text() on
 * every bind asks the X server where the pointer is, three round trips per
 * row, 200 rows per list refresh. */
static gboolean
query_tooltip_cb (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  gpointer user_data)
{
  RapportContactRow *self = RAPPORT_CONTACT_ROW (widget);

  if (self->tooltip == NULL || *self->tooltip == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->tooltip);
  return TRUE;
}

static void
rapport_contact_row_finalize (GObject *object)
{
  g_free (RAPPORT_CONTACT_ROW (object)->tooltip);
  G_OBJECT_CLASS (rapport_contact_row_parent_class)->finalize (object);
}

static void
rapport_contact_row_dispose (GObject *object)
{
  rapport_contact_row_set_slot (RAPPORT_CONTACT_ROW (object), NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_CONTACT_ROW);
  rapport_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (rapport_contact_row_parent_class)->dispose (object);
}

static void
rapport_contact_row_class_init (RapportContactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_contact_row_dispose;
  object_class->finalize = rapport_contact_row_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  g_type_ensure (RAPPORT_TYPE_INITIALS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-contact-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportContactRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, RapportContactRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, RapportContactRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, RapportContactRow, when_label);
  gtk_widget_class_bind_template_child (widget_class, RapportContactRow, do_not_contact_icon);
}

static void
rapport_contact_row_init (RapportContactRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

RapportContactRow *
rapport_contact_row_new (void)
{
  return g_object_new (RAPPORT_TYPE_CONTACT_ROW, NULL);
}

void
rapport_contact_row_set_contact (RapportContactRow *self, RapportStore *store,
                                 RapportContact *contact)
{
  g_autoptr (GString) detail = NULL;
  g_autoptr (GString) label = NULL;
  g_autofree char *when = NULL;
  const char *name;

  g_return_if_fail (RAPPORT_IS_CONTACT_ROW (self));

  if (contact == NULL)
    {
      gtk_label_set_text (self->name_label, "");
      gtk_label_set_text (self->detail_label, "");
      gtk_label_set_text (self->when_label, "");
      g_clear_pointer (&self->tooltip, g_free);
      return;
    }
  name = contact->name && *contact->name ? contact->name : _("Unnamed contact");
  detail = g_string_new (NULL);
  if (contact->organization && *contact->organization
      && g_strcmp0 (contact->kind, "organization") != 0)
    g_string_append (detail, contact->organization);
  if (contact->relationship)
    {
      if (detail->len > 0)
        g_string_append (detail, " · ");
      g_string_append (detail, rapport_choice_label (RAPPORT_CHOICE_RELATIONSHIP,
                                                     contact->relationship));
    }
  if (contact->last_interaction_at != 0 && store != NULL)
    when = rapport_format_relative_day (contact->last_interaction_at, rapport_store_now (store));

  rapport_initials_set_text (self->avatar, name);
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->detail_label, detail->str);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail->len > 0);
  gtk_label_set_text (self->when_label, when ? when : "");
  gtk_widget_set_visible (GTK_WIDGET (self->when_label), when != NULL);
  gtk_widget_set_visible (self->do_not_contact_icon, contact->do_not_contact);

  label = g_string_new (name);
  if (detail->len > 0)
    g_string_append_printf (label, ", %s", detail->str);
  if (contact->do_not_contact)
    g_string_append_printf (label, ", %s", _("do not contact"));
  if (when != NULL)
    /* Translators: %s is a relative day like "3 days ago" */
    g_string_append_printf (label, ", %s", when);
  rapport_set_list_row_label (GTK_WIDGET (self), label->str);
  /* A narrow list shortens long names; the full text is a hover away. */
  g_free (self->tooltip);
  self->tooltip = g_string_free (g_steal_pointer (&label), FALSE);
}

/* Rows whose slot changed while out of sight: they show their new contact
 * after the frame that shows those in sight (GTK 4.8 keeps up to 200 rows
 * of a list, and each shown contact is labels to lay out again and an
 * accessible name sent to the screen reader's bus). */
#define ROWS_PER_IDLE 10

static GQueue pending_rows = G_QUEUE_INIT;
static guint pending_id;

static void
show_slot (RapportContactRow *self)
{
  self->pending = FALSE;
  rapport_contact_row_set_contact (self, self->store,
                                   self->slot ? rapport_contact_slot_get_contact (self->slot)
                                              : NULL);
}

static gboolean
show_pending_cb (gpointer user_data)
{
  for (guint i = 0; i < ROWS_PER_IDLE && !g_queue_is_empty (&pending_rows); i++)
    {
      g_autoptr (RapportContactRow) row = g_queue_pop_head (&pending_rows);

      if (row->pending)
        show_slot (row);
    }
  if (!g_queue_is_empty (&pending_rows))
    return G_SOURCE_CONTINUE;
  pending_id = 0;
  return G_SOURCE_REMOVE;
}

/* Whether the row is within the visible part of its list, as laid out
 * last: GTK unmaps the rows it keeps out of sight. */
static gboolean
in_sight (RapportContactRow *self)
{
  GtkWidget *list = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_LIST_VIEW);
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;
  if (list == NULL || !gtk_widget_compute_bounds (GTK_WIDGET (self), list, &bounds))
    return TRUE;
  return bounds.origin.y + bounds.size.height >= 0
         && bounds.origin.y <= gtk_widget_get_height (list);
}

static void
start_pending_cb (gpointer user_data)
{
  if (pending_id == 0 && !g_queue_is_empty (&pending_rows))
    {
      pending_id = g_idle_add_full (G_PRIORITY_LOW, show_pending_cb, NULL, NULL);
      g_source_set_name_by_id (pending_id, "[rapport] contact rows out of sight");
    }
}

static gboolean
next_frame_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  /* In the frame that shows the rows in sight, before its layout: the rows
   * out of sight wait until it is painted. */
  return G_SOURCE_REMOVE;
}

static void
slot_changed_cb (RapportContactRow *self, RapportContactSlot *slot)
{
  GtkWidget *list;

  if (in_sight (self))
    {
      show_slot (self);
      return;
    }
  if (self->pending)
    return;
  self->pending = TRUE;
  g_queue_push_tail (&pending_rows, g_object_ref (self));
  if (pending_id != 0 || g_queue_get_length (&pending_rows) > 1)
    return;
  list = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_LIST_VIEW);
  if (list != NULL && gtk_widget_get_realized (list))
    gtk_widget_add_tick_callback (list, next_frame_cb, NULL, start_pending_cb);
  else
    start_pending_cb (NULL);
}

void
rapport_contact_row_set_slot (RapportContactRow *self, RapportStore *store,
                              RapportContactSlot *slot)
{
  g_return_if_fail (RAPPORT_IS_CONTACT_ROW (self));
  g_return_if_fail (slot == NULL || RAPPORT_IS_CONTACT_SLOT (slot));

  if (self->slot != NULL)
    {
      g_clear_signal_handler (&self->slot_changed_id, self->slot);
      g_clear_object (&self->slot);
    }
  g_clear_object (&self->store);
  self->pending = FALSE;
  if (slot != NULL)
    {
      self->slot = g_object_ref (slot);
      self->store = store ? g_object_ref (store) : NULL;
      self->slot_changed_id = g_signal_connect_swapped (slot, "changed",
                                                        G_CALLBACK (slot_changed_cb), self);
    }
  rapport_contact_row_set_contact (self, store, slot ? rapport_contact_slot_get_contact (slot)
                                                     : NULL);
}
