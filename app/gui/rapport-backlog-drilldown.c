/* rapport-backlog-drilldown.c: the items behind one backlog figure, and acting on them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-backlog-actions.h"
#include "rapport-backlog-drilldown.h"
#include "rapport-backlog-export.h"
#include "rapport-backlog-print.h"
#include "rapport-due-row.h"
#include "rapport-format.h"
#include "rapport-reader.h"

struct _RapportBacklogDrilldown
{
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  GtkListView *list_view;
  GtkWidget *action_bar;
  GtkLabel *selection_label;
  GtkMenuButton *reassign_button;
  GtkWidget *nudge_button;
  GtkWidget *export_button;

  RapportStore *store;
  char *owner;              /* NULL: the team; "": nobody */
  char *department;
  RapportBacklogFigure figure;
  gint64 at;
  gboolean can_manage;
  GHashTable *names;        /* user names by id (rapport_user_cache_*) */
  /* Model stack: GListStore of RapportDueObject (the figure's items, earliest
   * due first) -> GtkMultiSelection -> GtkListView. */
  GListStore *items;
  GtkMultiSelection *selection;
  RapportBacklogChange *last_change;   /* what Undo puts back */
  GCancellable *cancellable;
  gboolean loading;
  gboolean reload_again;
};

G_DEFINE_FINAL_TYPE (RapportBacklogDrilldown, rapport_backlog_drilldown, ADW_TYPE_WINDOW)

/* Helpers ------------------------------------------------------------------- */

static void
toast (RapportBacklogDrilldown *self, const char *text, gboolean undo)
{
  AdwToast *toast = adw_toast_new (text);

  if (undo)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "drilldown.undo");
    }
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static const char *
user_name (RapportBacklogDrilldown *self, const char *user_id)
{
  if (user_id == NULL || *user_id == '\0')
    return _("Unassigned");
  return rapport_user_cache_lookup (self->names, self->store, user_id);
}

/* The selected items (transfer container), pointing into the list. */
static GPtrArray *
selected_items (RapportBacklogDrilldown *self)
{
  GPtrArray *items = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    if (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), i))
      {
        g_autoptr (RapportDueObject) object = g_list_model_get_item (G_LIST_MODEL (self->items), i);
        g_ptr_array_add (items, (gpointer) rapport_due_object_get_item (object));
      }
  return items;
}

static void
update_selection_state (RapportBacklogDrilldown *self)
{
  g_autoptr (GPtrArray) items = selected_items (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  g_autofree char *text = NULL;

  /* Translators: how many items of the list are selected */
  text = g_strdup_printf (ngettext ("%'u of %'u selected", "%'u of %'u selected", n), items->len, n);
  gtk_label_set_text (self->selection_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "drilldown.reassign",
                                 self->can_manage && items->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "drilldown.reassign-relationships",
                                 self->can_manage && items->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "drilldown.nudge",
                                 self->can_manage && items->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "drilldown.open-contact",
                                 items->len == 1 && ((RapportDueItem *) items->pdata[0])->contact_id);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reassign_button), self->can_manage && items->len > 0);
}

static void
update_title (RapportBacklogDrilldown *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  const char *who = self->department ? self->department
                    : self->owner == NULL ? _("Everyone") : user_name (self, self->owner);
  g_autofree char *subtitle = NULL;

  /* Translators: who, then how many items, e.g. "Ana Pereira · 4 items" */
  subtitle = g_strdup_printf (ngettext ("%s · %'u item", "%s · %'u items", n), who, n);
  adw_window_title_set_title (self->window_title, rapport_backlog_figure_label (self->figure));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), rapport_backlog_figure_label (self->figure));
}

/* Rows ---------------------------------------------------------------------- */

static char *
describe_due (const RapportDueItem *item, gint64 now)
{
  g_autofree char *day = rapport_format_relative_day (item->due_at, now);

  if (item->kind == RAPPORT_DUE_COMPLAINT)
    {
      g_autofree char *received = rapport_format_relative_day (
          item->due_at - RAPPORT_COMPLAINT_RESPONSE_TARGET, now);
      /* Translators: when a complaint came in, e.g. "received 2 days ago" */
      return g_strdup_printf (_("Received %s"), received);
    }
  /* Translators: "due 3 days ago", "due in 2 days" */
  return g_strdup_printf (_("Due %s"), day);
}

static GtkWidget *
label_new (gboolean bold, gboolean dim, float xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (bold)
    gtk_widget_add_css_class (label, "heading");
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
row_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *labels[4] = { label_new (TRUE, FALSE, 0), label_new (FALSE, TRUE, 0),
                           label_new (FALSE, FALSE, 1), label_new (FALSE, TRUE, 1) };

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), labels[0]);
  gtk_box_append (GTK_BOX (text), labels[1]);
  gtk_box_append (GTK_BOX (side), labels[2]);
  gtk_box_append (GTK_BOX (side), labels[3]);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), side);
  g_object_set_data (G_OBJECT (box), "icon", icon);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree char *key = g_strdup_printf ("label%u", i);
      g_object_set_data (G_OBJECT (box), key, labels[i]);
    }
  gtk_list_item_set_child (list_item, box);
}

static void
row_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item,
             RapportBacklogDrilldown *self)
{
  static const char *icons[] = {
    [RAPPORT_DUE_REMINDER] = "alarm-symbolic",
    [RAPPORT_DUE_CADENCE] = "weather-snow-symbolic",
    [RAPPORT_DUE_PROMISE] = "mail-send-symbolic",
    [RAPPORT_DUE_COMPLAINT] = "dialog-warning-symbolic",
  };
  GtkWidget *box = gtk_list_item_get_child (list_item);
  const RapportDueItem *item = rapport_due_object_get_item (gtk_list_item_get_item (list_item));
  const char *name = item->contact_name && *item->contact_name ? item->contact_name
                                                              : _("Unnamed contact");
  g_autofree char *due = describe_due (item, self->at);
  g_autofree char *accessible = NULL;
  const char *owner = user_name (self, item->owner);

  gtk_image_set_from_icon_name (g_object_get_data (G_OBJECT (box), "icon"), icons[item->kind]);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "label0"), name);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "label1"), item->title ? item->title : "");
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "label2"), due);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "label3"), owner);
  /* Translators: contact, what, when, whose: "Ines Silva, Call back, due 3 days ago, Ana" */
  accessible = g_strdup_printf (_("%s, %s, %s, %s"), name, item->title ? item->title : "", due,
                                owner);
  rapport_set_list_row_label (box, accessible);
}

/* Loading ------------------------------------------------------------------- */

typedef struct
{
  char *owner;
  char *department;
  RapportBacklogFigure figure;
  gint64 at;
} Query;

static void
query_free (gpointer data)
{
  Query *query = data;

  g_free (query->owner);
  g_free (query->department);
  g_free (query);
}

/* In the reader's thread: a team-wide figure reads much of the store. */
static gpointer
query_thread (RapportStore *reader, gpointer data, GCancellable *cancellable, GError **error)
{
  Query *query = data;

  if (query->department != NULL)
    return rapport_store_backlog_department_items (reader, query->department, query->figure,
                                                   query->at, error);
  return rapport_store_backlog_items (reader, query->owner, query->figure, query->at, error);
}

static void
show_items (RapportBacklogDrilldown *self, GPtrArray *items)
{
  g_autoptr (GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  const char *scope = rapport_backlog_scope (self->store);

  /* Staff see their own work only, even when asked for more (their
   * department's promises are theirs to see: the team view offers only
   * their own department). */
  for (guint i = 0; i < items->len; i++)
    if (self->can_manage || scope == NULL || self->department != NULL
        || g_strcmp0 (scope, ((RapportDueItem *) items->pdata[i])->owner) == 0)
      g_ptr_array_add (objects, rapport_due_object_new_item (items->pdata[i]));
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       objects->pdata, objects->len);
  gtk_stack_set_visible_child_name (self->stack, objects->len > 0 ? "list" : "empty");
  update_title (self);
  update_selection_state (self);
}

static void
query_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportBacklogDrilldown) self = user_data;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;

  items = rapport_reader_run_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (items == NULL)
    toast (self, error->message, FALSE);
  else
    show_items (self, items);
  if (self->reload_again)
    {
      self->reload_again = FALSE;
      rapport_backlog_drilldown_reload (self);
    }
}

/**
 * rapport_backlog_drilldown_reload:
 *
 * Lists the items again, on the reader thread: the list changes when they
 * are shown.
 */
void
rapport_backlog_drilldown_reload (RapportBacklogDrilldown *self)
{
  Query *query;

  g_return_if_fail (RAPPORT_IS_BACKLOG_DRILLDOWN (self));

  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }
  query = g_new0 (Query, 1);
  query->owner = g_strdup (self->owner);
  query->department = g_strdup (self->department);
  query->figure = self->figure;
  query->at = self->at = rapport_store_now (self->store);
  self->loading = TRUE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  rapport_reader_run_async (self->store, query_thread, query, query_free,
                            (GDestroyNotify) g_ptr_array_unref, self->cancellable, query_done_cb,
                            g_object_ref (self));
}

/* Actions ------------------------------------------------------------------- */

static void
finish_change (RapportBacklogDrilldown *self, RapportBacklogChange *change, const char *message)
{
  g_clear_pointer (&self->last_change, rapport_backlog_change_free);
  self->last_change = change;
  rapport_backlog_drilldown_reload (self);
  toast (self, message, TRUE);
}

static void
reassign_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportBacklogDrilldown *self = RAPPORT_BACKLOG_DRILLDOWN (widget);
  const char *to = g_variant_get_string (param, NULL);
  gboolean whole = g_str_equal (name, "drilldown.reassign-relationships");
  g_autoptr (GPtrArray) items = selected_items (self);
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  RapportBacklogChange *change;
  const char *me = rapport_store_get_me_id (self->store);

  if (items->len == 0)
    return;
  change = whole ? rapport_backlog_reassign_relationships (self->store, items, to, me, &error)
                 : rapport_backlog_reassign_items (self->store, items, to, me, &error);
  if (change == NULL)
    {
      toast (self, error->message, FALSE);
      return;
    }
  if (whole)
    /* Translators: "3 relationships handed to Carmen" */
    message = g_strdup_printf (ngettext ("%'u relationship handed to %s",
                                         "%'u relationships handed to %s", items->len),
                               items->len, user_name (self, to));
  else
    /* Translators: "3 items handed to Carmen" */
    message = g_strdup_printf (ngettext ("%'u item handed to %s", "%'u items handed to %s",
                                         items->len),
                               items->len, user_name (self, to));
  finish_change (self, change, message);
}

static void
nudge_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportBacklogDrilldown *self = RAPPORT_BACKLOG_DRILLDOWN (widget);
  g_autoptr (GPtrArray) items = selected_items (self);
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  RapportBacklogChange *change;
  guint n;

  if (items->len == 0)
    return;
  change = rapport_backlog_nudge (self->store, items, rapport_store_get_me_id (self->store),
                                  rapport_store_now (self->store), &error);
  if (change == NULL)
    {
      toast (self, error->message, FALSE);
      return;
    }
  n = rapport_backlog_change_get_count (change);
  /* Translators: how many reminders a nudge made for their owners */
  message = g_strdup_printf (ngettext ("%'u reminder sent to the owner",
                                       "%'u reminders sent to the owners", n), n);
  finish_change (self, change, message);
}

static void
undo_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportBacklogDrilldown *self = RAPPORT_BACKLOG_DRILLDOWN (widget);
  g_autoptr (GError) error = NULL;

  if (self->last_change == NULL)
    return;
  if (!rapport_backlog_change_undo (self->store, self->last_change, &error))
    {
      toast (self, error->message, FALSE);
      return;
    }
  g_clear_pointer (&self->last_change, rapport_backlog_change_free);
  rapport_backlog_drilldown_reload (self);
  toast (self, _("Undone"), FALSE);
}

static void
open_contact_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportBacklogDrilldown *self = RAPPORT_BACKLOG_DRILLDOWN (widget);
  g_autoptr (GPtrArray) items = selected_items (self);
  const RapportDueItem *item;

  if (items->len == 0)
    return;
  item = items->pdata[0];
  if (item->contact_id == NULL)
    return;
  gtk_widget_activate_action (widget, "app.open-contact", "s", item->contact_id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
select_all_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportBacklogDrilldown *self = RAPPORT_BACKLOG_DRILLDOWN (widget);

  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
}

static void
export_chosen_cb (GObject *owner, GFile *file)
{
  RapportBacklogDrilldown *self = RAPPORT_BACKLOG_DRILLDOWN (owner);
  g_autoptr (GError) error = NULL;

  if (!rapport_backlog_drilldown_export_csv (self, file, &error))
    toast (self, error->message, FALSE);
  else
    toast (self, _("Items exported"), FALSE);
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportBacklogDrilldown *self = RAPPORT_BACKLOG_DRILLDOWN (widget);
  g_autofree char *file_name = g_strdup_printf ("%s.csv",
                                                rapport_backlog_figure_key (self->figure));

  rapport_backlog_choose_file (GTK_WINDOW (self), _("Export Items"), file_name, G_OBJECT (self),
                               export_chosen_cb);
}

static void
fill_reassign_menu (RapportBacklogDrilldown *self)
{
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenu) items = g_menu_new ();
  g_autoptr (GMenu) relationships = g_menu_new ();
  g_autoptr (GPtrArray) users = rapport_store_list_users (self->store);

  for (guint i = 0; i < users->len; i++)
    {
      RapportUser *user = users->pdata[i];
      const char *label = user->display_name && *user->display_name ? user->display_name : user->name;
      const char *id = RAPPORT_RECORD (user)->id;
      g_autoptr (GMenuItem) a = NULL, b = NULL;

      if (user->disabled)
        continue;
      a = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (a, "drilldown.reassign", g_variant_new_string (id));
      g_menu_append_item (items, a);
      b = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (b, "drilldown.reassign-relationships",
                                               g_variant_new_string (id));
      g_menu_append_item (relationships, b);
    }
  g_menu_append_submenu (menu, _("Hand the _Selected Items To"), G_MENU_MODEL (items));
  g_menu_append_submenu (menu, _("Hand Their Whole _Relationships To"),
                         G_MENU_MODEL (relationships));
  gtk_menu_button_set_menu_model (self->reassign_button, G_MENU_MODEL (menu));
}

/* GObject ------------------------------------------------------------------- */

static void
rapport_backlog_drilldown_dispose (GObject *object)
{
  RapportBacklogDrilldown *self = RAPPORT_BACKLOG_DRILLDOWN (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_pointer (&self->last_change, rapport_backlog_change_free);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RAPPORT_TYPE_BACKLOG_DRILLDOWN);
  G_OBJECT_CLASS (rapport_backlog_drilldown_parent_class)->dispose (object);
}

static void
rapport_backlog_drilldown_finalize (GObject *object)
{
  RapportBacklogDrilldown *self = RAPPORT_BACKLOG_DRILLDOWN (object);

  g_clear_object (&self->store);
  g_free (self->owner);
  g_free (self->department);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (rapport_backlog_drilldown_parent_class)->finalize (object);
}

static void
rapport_backlog_drilldown_class_init (RapportBacklogDrilldownClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_backlog_drilldown_dispose;
  object_class->finalize = rapport_backlog_drilldown_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-backlog-drilldown.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportBacklogDrilldown, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RapportBacklogDrilldown, window_title);
  gtk_widget_class_bind_template_child (widget_class, RapportBacklogDrilldown, stack);
  gtk_widget_class_bind_template_child (widget_class, RapportBacklogDrilldown, list_view);
  gtk_widget_class_bind_template_child (widget_class, RapportBacklogDrilldown, action_bar);
  gtk_widget_class_bind_template_child (widget_class, RapportBacklogDrilldown, selection_label);
  gtk_widget_class_bind_template_child (widget_class, RapportBacklogDrilldown, reassign_button);
  gtk_widget_class_bind_template_child (widget_class, RapportBacklogDrilldown, nudge_button);
  gtk_widget_class_bind_template_child (widget_class, RapportBacklogDrilldown, export_button);

  gtk_widget_class_install_action (widget_class, "drilldown.reassign", "s", reassign_action);
  gtk_widget_class_install_action (widget_class, "drilldown.reassign-relationships", "s",
                                   reassign_action);
  gtk_widget_class_install_action (widget_class, "drilldown.nudge", NULL, nudge_action);
  gtk_widget_class_install_action (widget_class, "drilldown.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "drilldown.open-contact", NULL,
                                   open_contact_action);
  gtk_widget_class_install_action (widget_class, "drilldown.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "drilldown.export-csv", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "drilldown.undo", NULL);
}

static void
rapport_backlog_drilldown_init (RapportBacklogDrilldown *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->names = rapport_user_cache_new ();
  self->items = g_list_store_new (RAPPORT_TYPE_DUE_OBJECT);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (update_selection_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->items, "items-changed", G_CALLBACK (update_selection_state), self,
                           G_CONNECT_SWAPPED);
}

/* Public API ------------------------------------------------------------------ */

RapportBacklogDrilldown *
rapport_backlog_drilldown_new (GtkWindow *parent, RapportStore *store, const char *owner,
                               const char *department, RapportBacklogFigure figure)
{
  RapportBacklogDrilldown *self;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (figure < RAPPORT_BACKLOG_N_FIGURES, NULL);

  self = g_object_new (RAPPORT_TYPE_BACKLOG_DRILLDOWN, "transient-for", parent, NULL);
  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  self->store = g_object_ref (store);
  self->owner = g_strdup (owner);
  self->department = g_strdup (department);
  self->figure = figure;
  self->can_manage = rapport_backlog_can_manage (store, rapport_store_get_me_id (store));
  gtk_widget_set_visible (GTK_WIDGET (self->reassign_button), self->can_manage);
  gtk_widget_set_visible (self->nudge_button, self->can_manage);
  gtk_widget_set_visible (GTK_WIDGET (self->selection_label), self->can_manage);
  if (self->can_manage)
    fill_reassign_menu (self);
  rapport_backlog_drilldown_reload (self);
  return self;
}

GtkSelectionModel *
rapport_backlog_drilldown_get_selection (RapportBacklogDrilldown *self)
{
  g_return_val_if_fail (RAPPORT_IS_BACKLOG_DRILLDOWN (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

gboolean
rapport_backlog_drilldown_export_csv (RapportBacklogDrilldown *self, GFile *file, GError **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new ();
  g_autofree char *csv = NULL;
  guint n;

  g_return_val_if_fail (RAPPORT_IS_BACKLOG_DRILLDOWN (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RapportDueObject) object = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      g_ptr_array_add (items, (gpointer) rapport_due_object_get_item (object));
    }
  csv = rapport_backlog_item_list_csv (self->store, items, self->figure, self->at);
  return rapport_backlog_save_text (file, csv, error);
}
