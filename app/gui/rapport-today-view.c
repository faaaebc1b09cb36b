/* rapport-today-view.c: my outreach queue, and the team's open promises and complaints */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rapport-due-row.h"
#include "rapport-due.h"
#include "rapport-format.h"
#include "rapport-log-dialog.h"
#include "rapport-reader.h"
#include "rapport-reminders.h"
#include "rapport-today-view.h"
#include "rapport-window.h"

/* Promises due within this time after now are in Today. */
#define PROMISE_HORIZON (7 * 24 * 60 * 60)
/* Things fall due as time passes: look again this often while shown. */
#define REFRESH_SECONDS 60
/* Rows shown at once when the list arrives (a screenful), then added this
 * many at a time between frames: GTK 4.8 makes a widget for up to 200 rows
 * of a list at once, a quarter of a second for a long Today. */
#define FIRST_ROWS 20
#define MORE_ROWS 20
/* Past this many rows GTK makes no more widgets: the rest come at once. */
#define ROWS_MADE 200

struct _RapportTodayView
{
  GtkWidget parent_instance;

  GtkStack *stack;
  GtkListView *list_view;
  AdwStatusPage *empty_page;

  RapportStore *store;
  RapportDueList list;
  /* Model stack: GListStore of RapportDueObject (section headings and due
   * items, grouped by kind in Today) -> GtkNoSelection -> GtkListView. */
  GListStore *items;
  GCancellable *cancellable;
  gboolean loading;
  gboolean refresh_again;
  guint refresh_id;
  guint timer_id;
  GPtrArray *pending;        /* RapportDueObjects still to add */
  guint pending_next;
  guint pending_id;
};

G_DEFINE_FINAL_TYPE (RapportTodayView, rapport_today_view, GTK_TYPE_WIDGET)

static const struct
{
  RapportDueKind kind;
  const char *heading;
} sections[] = {
  { RAPPORT_DUE_COMPLAINT, N_("Complaints Awaiting a Response") },
  { RAPPORT_DUE_REMINDER, N_("Follow-ups") },
  { RAPPORT_DUE_PROMISE, N_("Promises This Week") },
  { RAPPORT_DUE_CADENCE, N_("Past Their Cadence") },
};

static void
toast (RapportTodayView *self, const char *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), RAPPORT_TYPE_WINDOW);

  if (window != NULL)
    rapport_window_add_toast (RAPPORT_WINDOW (window), adw_toast_new (text));
}

typedef struct
{
  RapportDueList list;
  char *user_id;
  gint64 at;
} Query;

static void
query_free (gpointer data)
{
  Query *query = data;

  g_free (query->user_id);
  g_free (query);
}

/* In the reader's thread: due computations read much of the store. */
static gpointer
query_thread (RapportStore *reader, gpointer data, GCancellable *cancellable, GError **error)
{
  Query *query = data;

  switch (query->list)
    {
    case RAPPORT_DUE_LIST_PROMISES:
      return rapport_store_open_promises (reader, NULL, query->at, error);
    case RAPPORT_DUE_LIST_COMPLAINTS:
      return rapport_store_open_complaints (reader, query->at, error);
    case RAPPORT_DUE_LIST_TODAY:
    default:
      return rapport_store_due (reader, query->user_id, query->at, PROMISE_HORIZON, error);
    }
}

static void
clear_pending (RapportTodayView *self)
{
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
}

/* Adds the next rows of a long list, after the first ones were painted. */
static gboolean
add_pending_cb (gpointer user_data)
{
  RapportTodayView *self = user_data;
  guint n = self->pending->len - self->pending_next;

  if (self->pending_next < ROWS_MADE)
    n = MIN (n, MORE_ROWS);

  g_list_store_splice (self->items, g_list_model_get_n_items (G_LIST_MODEL (self->items)), 0,
                       self->pending->pdata + self->pending_next, n);
  self->pending_next += n;
  if (self->pending_next < self->pending->len)
    return G_SOURCE_CONTINUE;
  self->pending_id = 0;
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  return G_SOURCE_REMOVE;
}

static void
show_items (RapportTodayView *self, GPtrArray *due)
{
  g_autoptr (GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean first;

  if (self->list == RAPPORT_DUE_LIST_TODAY)
    {
      for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
        {
          gboolean any = FALSE;

          for (guint i = 0; i < due->len; i++)
            {
              RapportDueItem *item = due->pdata[i];

              if (item->kind != sections[s].kind)
                continue;
              if (!any)
                g_ptr_array_add (objects, rapport_due_object_new_heading (_(sections[s].heading)));
              any = TRUE;
              g_ptr_array_add (objects, rapport_due_object_new_item (item));
            }
        }
    }
  else
    for (guint i = 0; i < due->len; i++)
      g_ptr_array_add (objects, rapport_due_object_new_item (due->pdata[i]));

  /* A list shown for the first time comes a screenful first; a refresh of
   * what is shown replaces it at once, keeping the place scrolled to. */
  first = g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0;
  clear_pending (self);
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       objects->pdata, first ? MIN (objects->len, FIRST_ROWS) : objects->len);
  gtk_stack_set_visible_child_name (self->stack, objects->len > 0 ? "list" : "empty");
  if (first && objects->len > FIRST_ROWS)
    {
      self->pending = g_steal_pointer (&objects);
      self->pending_next = FIRST_ROWS;
      self->pending_id = g_idle_add_full (G_PRIORITY_LOW, add_pending_cb, self, NULL);
      g_source_set_name_by_id (self->pending_id, "[rapport] today rows");
    }
}

static void
query_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportTodayView) self = user_data;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GError) error = NULL;

  due = rapport_reader_run_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (self->items == NULL)
    return;   /* disposed meanwhile */
  if (due == NULL)
    {
      toast (self, error->message);
      return;
    }
  show_items (self, due);
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      rapport_today_view_refresh (self);
    }
}

/* Asks the reader thread for the current list; a refresh asked for while
 * one runs follows it. */
static void
fill (RapportTodayView *self)
{
  Query *query;

  if (self->store == NULL)
    return;
  if (self->loading)
    {
      self->refresh_again = TRUE;
      return;
    }
  query = g_new0 (Query, 1);
  query->list = self->list;
  query->user_id = g_strdup (rapport_store_get_me_id (self->store));
  query->at = rapport_store_now (self->store);
  self->loading = TRUE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  rapport_reader_run_async (self->store, query_thread, query, query_free,
                            (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                            query_done_cb, g_object_ref (self));
}

static gboolean
refresh_cb (gpointer user_data)
{
  RapportTodayView *self = user_data;

  self->refresh_id = 0;
  fill (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (RapportTodayView *self, const char *entity, const char *id, RapportStore *store)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (50, refresh_cb, self);
}

static gboolean
timer_cb (gpointer user_data)
{
  fill (user_data);
  return G_SOURCE_CONTINUE;
}

/* Rows ------------------------------------------------------------------- */

static void
setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gtk_list_item_set_child (item, adw_bin_new ());
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  RapportTodayView *self = user_data;
  RapportDueObject *object = gtk_list_item_get_item (item);
  AdwBin *bin = ADW_BIN (gtk_list_item_get_child (item));
  GtkWidget *child = adw_bin_get_child (bin);
  const char *heading = rapport_due_object_get_heading (object);

  gtk_list_item_set_activatable (item, heading == NULL);
  gtk_list_item_set_selectable (item, FALSE);
  if (heading != NULL)
    {
      if (!GTK_IS_LABEL (child))
        {
          child = gtk_label_new (NULL);
          gtk_label_set_xalign (GTK_LABEL (child), 0);
          gtk_label_set_wrap (GTK_LABEL (child), TRUE);
          gtk_widget_add_css_class (child, "heading");
          gtk_widget_add_css_class (child, "queue-heading");
          adw_bin_set_child (bin, child);
        }
      gtk_label_set_text (GTK_LABEL (child), heading);
      return;
    }
  if (!RAPPORT_IS_DUE_ROW (child))
    {
      child = GTK_WIDGET (rapport_due_row_new ());
      adw_bin_set_child (bin, child);
    }
  rapport_due_row_set (RAPPORT_DUE_ROW (child), rapport_due_object_get_item (object),
                       rapport_store_now (self->store));
}

static void
activate_cb (RapportTodayView *self, guint position, GtkListView *view)
{
  g_autoptr (RapportDueObject) object = g_list_model_get_item (G_LIST_MODEL (self->items), position);
  const RapportDueItem *item = object ? rapport_due_object_get_item (object) : NULL;

  if (item != NULL && item->contact_id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "window.show-contact", "s", item->contact_id);
}

/* Actions ------------------------------------------------------------------ */

static void
open_action (GtkWidget *widget, const char *name, GVariant *param)
{
  gtk_widget_activate_action (widget, "window.show-contact", "s",
                              g_variant_get_string (param, NULL));
}

static void
log_for (RapportTodayView *self, const char *contact_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  RapportLogDialog *dialog = rapport_log_dialog_new (GTK_WINDOW (root), self->store, contact_id);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
log_action (GtkWidget *widget, const char *name, GVariant *param)
{
  log_for (RAPPORT_TODAY_VIEW (widget), g_variant_get_string (param, NULL));
}

/* The due item a row's (uss) target names: enough for core to act on it. */
static void
item_from_param (GVariant *param, RapportDueItem *item)
{
  guint kind;

  g_variant_get (param, "(u&s&s)", &kind, &item->record_id, &item->contact_id);
  item->kind = kind;
}

static void
snooze_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportTodayView *self = RAPPORT_TODAY_VIEW (widget);
  g_autoptr (GError) error = NULL;
  RapportDueItem item = { 0 };
  gint64 until = rapport_snooze_until (RAPPORT_SNOOZE_TOMORROW, rapport_store_now (self->store));

  item_from_param (param, &item);
  if (!rapport_due_item_snooze (self->store, &item, until, rapport_store_get_me_id (self->store),
                                &error))
    toast (self, error->message);
  else
    toast (self, _("Snoozed until tomorrow"));
}

static void
done_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportTodayView *self = RAPPORT_TODAY_VIEW (widget);
  g_autoptr (GError) error = NULL;
  RapportDueItem item = { 0 };
  const char *message;

  item_from_param (param, &item);
  switch (item.kind)
    {
    case RAPPORT_DUE_CADENCE:
      /* Getting in touch is an interaction: log what was said, and the
       * cadence starts again. */
      log_for (self, item.contact_id);
      return;
    case RAPPORT_DUE_PROMISE:
      message = _("Promise kept");
      break;
    case RAPPORT_DUE_COMPLAINT:
      message = _("Marked as responded");
      break;
    case RAPPORT_DUE_REMINDER:
    default:
      message = _("Follow-up done");
      break;
    }
  if (!rapport_due_item_complete (self->store, &item, rapport_store_get_me_id (self->store),
                                  rapport_store_now (self->store), &error))
    toast (self, error->message);
  else
    toast (self, message);
}

/* GObject ----------------------------------------------------------------- */

static void
rapport_today_view_map (GtkWidget *widget)
{
  RapportTodayView *self = RAPPORT_TODAY_VIEW (widget);

  GTK_WIDGET_CLASS (rapport_today_view_parent_class)->map (widget);
  if (self->timer_id == 0)
    self->timer_id = g_timeout_add_seconds (REFRESH_SECONDS, timer_cb, self);
}

static void
rapport_today_view_unmap (GtkWidget *widget)
{
  RapportTodayView *self = RAPPORT_TODAY_VIEW (widget);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  GTK_WIDGET_CLASS (rapport_today_view_parent_class)->unmap (widget);
}

static void
rapport_today_view_dispose (GObject *object)
{
  RapportTodayView *self = RAPPORT_TODAY_VIEW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  clear_pending (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->items);
  gtk_widget_dispose_template (GTK_WIDGET (self), RAPPORT_TYPE_TODAY_VIEW);
  rapport_widget_unparent_children (GTK_WIDGET (self));
  G_OBJECT_CLASS (rapport_today_view_parent_class)->dispose (object);
}

static void
rapport_today_view_finalize (GObject *object)
{
  g_clear_object (&RAPPORT_TODAY_VIEW (object)->store);
  G_OBJECT_CLASS (rapport_today_view_parent_class)->finalize (object);
}

static void
rapport_today_view_class_init (RapportTodayViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_today_view_dispose;
  object_class->finalize = rapport_today_view_finalize;
  widget_class->map = rapport_today_view_map;
  widget_class->unmap = rapport_today_view_unmap;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-today-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportTodayView, stack);
  gtk_widget_class_bind_template_child (widget_class, RapportTodayView, list_view);
  gtk_widget_class_bind_template_child (widget_class, RapportTodayView, empty_page);

  gtk_widget_class_install_action (widget_class, "today.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "today.log", "s", log_action);
  gtk_widget_class_install_action (widget_class, "today.snooze", "(uss)", snooze_action);
  gtk_widget_class_install_action (widget_class, "today.done", "(uss)", done_action);
}

static void
rapport_today_view_init (RapportTodayView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->items = g_list_store_new (RAPPORT_TYPE_DUE_OBJECT);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  g_signal_connect_swapped (self->list_view, "activate", G_CALLBACK (activate_cb), self);
}

void
rapport_today_view_set_store (RapportTodayView *self, RapportStore *store)
{
  g_return_if_fail (RAPPORT_IS_TODAY_VIEW (self));
  g_return_if_fail (RAPPORT_IS_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  g_signal_connect_swapped (store, "changed", G_CALLBACK (store_changed_cb), self);
}

void
rapport_today_view_set_list (RapportTodayView *self, RapportDueList list, const char *empty_title,
                             const char *empty_description, const char *icon_name)
{
  g_return_if_fail (RAPPORT_IS_TODAY_VIEW (self));

  if (self->list != list)
    {
      /* What is loading is for the other list. */
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      self->loading = FALSE;
      self->refresh_again = FALSE;
      clear_pending (self);
      g_list_store_remove_all (self->items);
    }
  self->list = list;
  adw_status_page_set_title (self->empty_page, empty_title);
  adw_status_page_set_description (self->empty_page, empty_description);
  adw_status_page_set_icon_name (self->empty_page, icon_name);
  rapport_today_view_refresh (self);
}

void
rapport_today_view_refresh (RapportTodayView *self)
{
  g_return_if_fail (RAPPORT_IS_TODAY_VIEW (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  fill (self);
}

gboolean
rapport_today_view_is_loading (RapportTodayView *self)
{
  g_return_val_if_fail (RAPPORT_IS_TODAY_VIEW (self), FALSE);
  return self->loading;
}

GListModel *
rapport_today_view_get_model (RapportTodayView *self)
{
  g_return_val_if_fail (RAPPORT_IS_TODAY_VIEW (self), NULL);
  return G_LIST_MODEL (self->items);
}
