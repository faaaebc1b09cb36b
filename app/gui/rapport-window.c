/* rapport-window.c: the main window: views, contact list and contact page */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-application.h"
#include "rapport-conflict-banner.h"
#include "rapport-contact-row.h"
#include "rapport-export-ui.h"
#include "rapport-format.h"
#include "rapport-sync-status.h"
#include "rapport-views.h"
#include "rapport-window-private.h"

G_DEFINE_FINAL_TYPE (RapportWindow, rapport_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Sidebar ------------------------------------------------------------------- */

static GtkWidget *
make_view_row (const char *view_id, const char *title, const char *icon_name)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  rapport_set_accessible_label (row, title);
  gtk_widget_set_tooltip_text (row, title);
  g_object_set_data_full (G_OBJECT (row), "view-id", g_strdup (view_id), g_free);
  return row;
}

static void
select_sidebar_row (RapportWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list)); child;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *id = g_object_get_data (G_OBJECT (child), "view-id");

      if (id != NULL && g_strcmp0 (id, self->view_id) == 0)
        {
          if (gtk_list_box_get_selected_row (self->sidebar_list) != GTK_LIST_BOX_ROW (child))
            gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (child));
          return;
        }
    }
  gtk_list_box_unselect_all (self->sidebar_list);
}

static void
fill_sidebar (RapportWindow *self)
{
  g_auto (GStrv) tags = rapport_store_list_tags (self->store);
  const RapportViewInfo *views;
  guint n_views;
  GtkWidget *child;

  self->selecting = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list))) != NULL)
    gtk_list_box_remove (self->sidebar_list, child);

  views = rapport_views_get_builtin (&n_views);
  for (guint i = 0; i < n_views; i++)
    gtk_list_box_append (self->sidebar_list,
                         make_view_row (views[i].id, _(views[i].title), views[i].icon_name));

  if (tags != NULL && tags[0] != NULL)
    {
      GtkWidget *heading = gtk_label_new (_("Tags"));
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_widget_add_css_class (heading, "dim-label");
      gtk_widget_set_margin_top (heading, 12);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), heading);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_focusable (row, FALSE);
      gtk_list_box_append (self->sidebar_list, row);
      for (guint i = 0; tags[i]; i++)
        {
          g_autofree char *id = g_strconcat (RAPPORT_VIEW_TAG_PREFIX, tags[i], NULL);
          gtk_list_box_append (self->sidebar_list,
                               make_view_row (id, tags[i], rapport_views_get_tag ()->icon_name));
        }
    }
  select_sidebar_row (self);
  self->selecting = FALSE;
}

static gboolean
refresh_tags_cb (gpointer user_data)
{
  RapportWindow *self = user_data;

  self->tags_refresh_id = 0;
  fill_sidebar (self);
  return G_SOURCE_REMOVE;
}

static void
sidebar_row_selected_cb (RapportWindow *self, GtkListBoxRow *row, GtkListBox *box)
{
  const char *id;

  if (row == NULL || self->selecting)
    return;
  id = g_object_get_data (G_OBJECT (row), "view-id");
  if (id != NULL && g_strcmp0 (id, self->view_id) != 0)
    rapport_window_show_view (self, id);
}

static void
sidebar_row_activated_cb (RapportWindow *self, GtkListBoxRow *row, GtkListBox *box)
{
  /* On a narrow window, choosing a view moves on to its list. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, rapport_window_get_view_pane (self));
}

/* Contact list ------------------------------------------------------------- */

static void
contact_row_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gtk_list_item_set_child (item, GTK_WIDGET (rapport_contact_row_new ()));
}

static void
contact_row_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  RapportWindow *self = user_data;
  RapportContactRow *row = RAPPORT_CONTACT_ROW (gtk_list_item_get_child (item));

  rapport_contact_row_set_slot (row, self->store, gtk_list_item_get_item (item));
}

static void
contact_row_unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  rapport_contact_row_set_slot (RAPPORT_CONTACT_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

static void
update_list_state (RapportWindow *self)
{
  guint n = self->contacts ? g_list_model_get_n_items (G_LIST_MODEL (self->contacts)) : 0;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const RapportViewInfo *info = rapport_views_lookup (self->view_id);

  if (info != NULL && info->kind != RAPPORT_VIEW_KIND_CONTACTS)
    return;
  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (search != NULL && *search != '\0')
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    {
      gboolean can_add = info == NULL || info->filter != RAPPORT_CONTACT_FILTER_TRASH;

      if (info != NULL)
        {
          adw_status_page_set_title (self->list_empty, _(info->empty_title));
          adw_status_page_set_description (self->list_empty, _(info->empty_description));
          adw_status_page_set_icon_name (self->list_empty, info->icon_name);
        }
      gtk_widget_set_visible (adw_status_page_get_child (self->list_empty), can_add);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
    }
}

static void
reselect_current (RapportWindow *self)
{
  guint position = GTK_INVALID_LIST_POSITION;

  if (self->contacts == NULL)
    return;
  if (self->contact_id != NULL)
    position = rapport_contact_list_find (self->contacts, self->contact_id);
  if (position == G_MAXUINT)
    position = GTK_INVALID_LIST_POSITION;
  if (gtk_single_selection_get_selected (self->selection) == position)
    return;
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;
}

static void
contacts_items_changed_cb (RapportWindow *self, guint position, guint removed, guint added,
                           GListModel *model)
{
  update_list_state (self);
  reselect_current (self);
}

static void
selection_changed_cb (RapportWindow *self, GParamSpec *pspec, GtkSingleSelection *selection)
{
  RapportContactSlot *slot;
  RapportContact *contact;

  if (self->selecting)
    return;
  slot = gtk_single_selection_get_selected_item (selection);
  contact = slot ? rapport_contact_slot_get_contact (slot) : NULL;
  if (contact == NULL)
    return;
  rapport_window_show_contact (self, RAPPORT_RECORD (contact)->id);
  if (adw_leaflet_get_folded (self->leaflet))
    rapport_window_navigate_to_page (self);
}

static void
contact_activated_cb (RapportWindow *self, guint position, GtkListView *view)
{
  g_autoptr (RapportContactSlot) slot = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                               position);
  RapportContact *contact = slot ? rapport_contact_slot_get_contact (slot) : NULL;

  if (contact == NULL)
    return;
  rapport_window_show_contact (self, RAPPORT_RECORD (contact)->id);
  rapport_window_navigate_to_page (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->contact_page));
}

/* A list that replaces another (a view, a keystroke in the search) shows
 * its contacts in the rows the last one had (RapportContactSlots), and
 * grows from there between frames: GTK 4.8 makes a row widget for up to
 * 200 items of a list at once, most of the time it takes to show a longer
 * list. */
#define REVEAL_FIRST 30
#define REVEAL_STEP 30
/* Past this many, GTK 4.8 makes no more row widgets: the rest of the list
 * comes in one step. */
#define REVEAL_ROWS_MADE 200

static gboolean
reveal_more_cb (gpointer user_data)
{
  RapportWindow *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->reveal);
  guint total = self->contacts ? g_list_model_get_n_items (G_LIST_MODEL (self->contacts)) : 0;

  gboolean whole = size >= total || size >= REVEAL_ROWS_MADE;

  /* Whole: later changes (edits, sync) go through as they are. */
  gtk_slice_list_model_set_size (self->reveal, whole ? G_MAXUINT : size + REVEAL_STEP);
  /* The contact on show may be among the rows now. */
  reselect_current (self);
  if (!whole)
    return G_SOURCE_CONTINUE;
  self->reveal_id = 0;
  return G_SOURCE_REMOVE;
}

static void
reveal_from_top (RapportWindow *self)
{
  /* As many as have rows now (GTK makes no more than REVEAL_ROWS_MADE):
   * fewer would destroy rows that the new list reuses. */
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->reveal));
  GtkAdjustment *scroll = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->contact_list_view));

  /* The new list is read from its first (best) contact. Its rows are the
   * same items with other contacts in them, so GTK would keep the place
   * scrolled to. */
  if (scroll != NULL)
    gtk_adjustment_set_value (scroll, gtk_adjustment_get_lower (scroll));

  gtk_slice_list_model_set_size (self->reveal,
                                 CLAMP (shown, REVEAL_FIRST, REVEAL_ROWS_MADE));
  if (self->reveal_id == 0)
    {
      self->reveal_id = g_idle_add_full (G_PRIORITY_LOW, reveal_more_cb, self, NULL);
      g_source_set_name_by_id (self->reveal_id, "[rapport] reveal contact list");
    }
}

/* The contact list reads every matching row id: made when a contact view
 * or a search first needs it, so a start on Today does not wait for it. */
static RapportContactList *
ensure_contacts (RapportWindow *self)
{
  if (self->contacts != NULL)
    return self->contacts;
  self->contacts = rapport_contact_list_new (self->store);
  self->selecting = TRUE;
  reveal_from_top (self);
  rapport_contact_slots_set_model (self->slots, G_LIST_MODEL (self->contacts));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
  /* After the places' handler, so the selection has caught up: the list's
   * own changes, since a list replaced by one as long changes no places,
   * only the contacts in them (the reveal's growth reselects itself). */
  g_signal_connect_object (self->contacts, "items-changed",
                           G_CALLBACK (contacts_items_changed_cb), self, G_CONNECT_SWAPPED);
  return self->contacts;
}

static void
setup_contact_list (RapportWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->slots = rapport_contact_slots_new (NULL);
  self->reveal = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->slots)), 0,
                                           G_MAXUINT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->reveal)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  g_signal_connect (factory, "setup", G_CALLBACK (contact_row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (contact_row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (contact_row_unbind_cb), self);
  gtk_list_view_set_factory (self->contact_list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->contact_list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->contact_list_view, "activate",
                           G_CALLBACK (contact_activated_cb), self, G_CONNECT_SWAPPED);
}

/* Search -------------------------------------------------------------------- */

static void
search_changed_cb (RapportWindow *self, GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  const RapportViewInfo *info = rapport_views_lookup (self->view_id);

  /* Cleared before any contact list was needed (a start on Today): there
   * is nothing to update, and no reason to read every contact now. */
  if (*text == '\0' && self->contacts == NULL)
    return;
  if (*text != '\0' && info != NULL && info->kind != RAPPORT_VIEW_KIND_CONTACTS)
    rapport_window_show_view (self, "all");
  reveal_from_top (self);
  rapport_contact_list_set_search (ensure_contacts (self), *text ? text : NULL);
  update_list_state (self);
}

static void
search_activated_cb (RapportWindow *self, GtkSearchEntry *entry)
{
  /* Enter opens the best match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (ensure_contacts (self))) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      contact_activated_cb (self, 0, self->contact_list_view);
    }
}

static void
search_stopped_cb (RapportWindow *self, GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->contact_list_view));
}

void
rapport_window_focus_search (RapportWindow *self)
{
  const RapportViewInfo *info = rapport_views_lookup (self->view_id);

  if (info != NULL && info->kind != RAPPORT_VIEW_KIND_CONTACTS)
    rapport_window_show_view (self, "all");
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Page ----------------------------------------------------------------------- */

static void
page_contact_changed_cb (RapportWindow *self, GParamSpec *pspec, RapportContactPage *page)
{
  RapportContact *contact = rapport_contact_page_get_contact (page);

  /* The page shows the name large; the header stays quiet, so nothing is
   * cut off beside the buttons on a narrow window. */
  gtk_window_set_title (GTK_WINDOW (self), contact && contact->name ? contact->name : _("Rapport"));
  gtk_stack_set_visible_child_name (self->page_stack, contact ? "contact" : "empty");
  rapport_window_update_actions (self);
}

void
rapport_window_navigate_to_page (RapportWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->page_pane);
}

static void
folded_changed_cb (RapportWindow *self, GParamSpec *pspec, AdwLeaflet *leaflet)
{
  gboolean folded = adw_leaflet_get_folded (leaflet);

  adw_header_bar_set_show_end_title_buttons (self->sidebar_header, folded);
  adw_header_bar_set_show_start_title_buttons (self->list_header, folded);
  adw_header_bar_set_show_end_title_buttons (self->list_header, folded);
  adw_header_bar_set_show_start_title_buttons (self->page_header, folded);
  gtk_widget_set_visible (self->list_back_button, folded);
  gtk_widget_set_visible (self->page_back_button, folded);
  rapport_team_view_set_folded (self->team_view, folded);
}

/* Store --------------------------------------------------------------------- */

static void
store_changed_cb (RapportWindow *self, const char *entity, const char *id, RapportStore *store)
{
  if (g_strcmp0 (entity, "contact") == 0 && self->tags_refresh_id == 0)
    self->tags_refresh_id = g_timeout_add (250, refresh_tags_cb, self);
}

/* Profiling ------------------------------------------------------------------ */

/* TRUE once the middle list shows what it holds (rows or its empty state). */
static gboolean
list_ready (RapportWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "due") == 0)
    return !rapport_today_view_is_loading (self->today_view);
  return TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock, RapportWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  rapport_profile_mark ("first-frame");
  if (!list_ready (self))
    return;
  rapport_profile_mark ("list-filled");
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, self);
  if (RAPPORT_IS_APPLICATION (application))
    rapport_application_window_ready (RAPPORT_APPLICATION (application));
}

static gboolean
first_run_cb (gpointer user_data)
{
  RapportWindow *self = user_data;

  self->first_run_id = 0;
  rapport_window_check_first_run (self);
  return G_SOURCE_REMOVE;
}

static void
rapport_window_map (GtkWidget *widget)
{
  RapportWindow *self = RAPPORT_WINDOW (widget);

  GTK_WIDGET_CLASS (rapport_window_parent_class)->map (widget);
  rapport_profile_mark ("window-mapped");
  if (!self->first_paint_watched)
    {
      /* Until the list is painted once (the start's profile, and what waits
       * for it: rapport_application_window_ready()). */
      self->first_paint_watched = TRUE;
      g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                               G_CALLBACK (after_paint_cb), self, 0);
    }
  if (!self->first_run_checked)
    {
      /* Once the window is up: a dialog presented while it is still being
       * presented ends up beneath it where no window manager keeps
       * dialogs above their parent (Xvfb, some kiosks). */
      self->first_run_checked = TRUE;
      self->first_run_id = g_idle_add_full (G_PRIORITY_DEFAULT, first_run_cb, self, NULL);
    }
}

/* Window state ---------------------------------------------------------------- */

static void
restore_state (RapportWindow *self)
{
  GSettings *settings = rapport_settings_get ();

  if (settings == NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), 1100, 720);
      return;
    }
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* The view shown last time, when it still exists (a tag may be gone). */
static const char *
initial_view (RapportWindow *self)
{
  GSettings *settings = rapport_settings_get ();
  g_autofree char *view = settings ? g_settings_get_string (settings, "last-view") : NULL;
  g_auto (GStrv) tags = NULL;

  if (view == NULL || rapport_views_lookup (view) == NULL)
    return "today";
  if (!g_str_has_prefix (view, RAPPORT_VIEW_TAG_PREFIX))
    return rapport_views_lookup (view)->id;
  tags = rapport_store_list_tags (self->store);
  if (!g_strv_contains ((const char *const *) tags, view + strlen (RAPPORT_VIEW_TAG_PREFIX)))
    return "today";
  g_free (self->view_id);
  self->view_id = g_steal_pointer (&view);
  return self->view_id;
}

static gboolean
rapport_window_close_request (GtkWindow *window)
{
  GSettings *settings = rapport_settings_get ();
  int width, height;

  if (settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (settings);
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      g_settings_set_string (settings, "last-view", RAPPORT_WINDOW (window)->view_id);
      g_settings_apply (settings);
    }
  return GTK_WINDOW_CLASS (rapport_window_parent_class)->close_request (window);
}

/* GObject -------------------------------------------------------------------- */

static void
rapport_window_constructed (GObject *object)
{
  RapportWindow *self = RAPPORT_WINDOW (object);

  G_OBJECT_CLASS (rapport_window_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  setup_contact_list (self);
  rapport_contact_page_set_store (self->contact_page, self->store);
  rapport_today_view_set_store (self->today_view, self->store);
  rapport_team_view_set_store (self->team_view, self->store);
  /* Sync (issue 5): the edits that did not make it, above the contact
   * page. (The sync status is added by rapport_window_new().) */
  {
    RapportConflictBanner *banner = rapport_conflict_banner_new (self->store);

    gtk_box_insert_child_after (GTK_BOX (self->page_pane), GTK_WIDGET (banner),
                                GTK_WIDGET (self->page_header));
    rapport_conflict_banner_follow (banner, self->contact_page);
  }
  self->store_changed_id = g_signal_connect_object (self->store, "changed",
                                                    G_CALLBACK (store_changed_cb), self,
                                                    G_CONNECT_SWAPPED);
  fill_sidebar (self);
  restore_state (self);
  {
    g_autofree char *view = g_strdup (initial_view (self));
    rapport_window_show_view (self, view);
  }
  folded_changed_cb (self, NULL, self->leaflet);
  rapport_window_update_actions (self);
}

static void
rapport_window_dispose (GObject *object)
{
  RapportWindow *self = RAPPORT_WINDOW (object);

  g_clear_handle_id (&self->tags_refresh_id, g_source_remove);
  g_clear_handle_id (&self->reveal_id, g_source_remove);
  g_clear_handle_id (&self->first_run_id, g_source_remove);
  if (self->contact_list_view != NULL)
    gtk_list_view_set_model (self->contact_list_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->reveal);
  g_clear_object (&self->slots);
  g_clear_object (&self->contacts);
  gtk_widget_dispose_template (GTK_WIDGET (self), RAPPORT_TYPE_WINDOW);
  G_OBJECT_CLASS (rapport_window_parent_class)->dispose (object);
}

static void
rapport_window_finalize (GObject *object)
{
  RapportWindow *self = RAPPORT_WINDOW (object);

  g_clear_object (&self->store);
  g_free (self->view_id);
  g_free (self->contact_id);
  g_free (self->undo_contact_id);
  G_OBJECT_CLASS (rapport_window_parent_class)->finalize (object);
}

static void
rapport_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RapportWindow *self = RAPPORT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rapport_window_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  RapportWindow *self = RAPPORT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rapport_window_class_init (RapportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = rapport_window_constructed;
  object_class->dispose = rapport_window_dispose;
  object_class->finalize = rapport_window_finalize;
  object_class->get_property = rapport_window_get_property;
  object_class->set_property = rapport_window_set_property;
  widget_class->map = rapport_window_map;
  window_class->close_request = rapport_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RAPPORT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RAPPORT_TYPE_CONTACT_PAGE);
  g_type_ensure (RAPPORT_TYPE_TODAY_VIEW);
  g_type_ensure (RAPPORT_TYPE_TEAM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, sidebar_header);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, list_header);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, list_back_button);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, contact_list_view);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, list_empty);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, today_view);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, page_pane);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, page_header);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, page_back_button);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, page_menu_button);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, contact_menu);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, trash_menu);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, log_button);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, restore_button);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, contact_page);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, page_separator);
  gtk_widget_class_bind_template_child (widget_class, RapportWindow, team_view);

  rapport_window_class_init_actions (widget_class);
}

static void
rapport_window_init (RapportWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  /* A keystroke updates the list at once: the query is a few milliseconds. */
  gtk_search_entry_set_search_delay (self->search_entry, 0);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb),
                            self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_activated_cb), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (search_stopped_cb),
                            self);
  g_signal_connect_swapped (self->sidebar_list, "row-selected",
                            G_CALLBACK (sidebar_row_selected_cb), self);
  g_signal_connect_swapped (self->sidebar_list, "row-activated",
                            G_CALLBACK (sidebar_row_activated_cb), self);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (folded_changed_cb), self);
  g_signal_connect_swapped (self->contact_page, "notify::contact",
                            G_CALLBACK (page_contact_changed_cb), self);
  rapport_window_init_file_drop (self);
#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

/* Team backlog ----------------------------------------------------------------- */

/* The team view (rapport-team-view.c) takes the place of the list and the
 * page while it is shown. */
static void
set_team_mode (RapportWindow *self, gboolean team)
{
  gtk_widget_set_visible (GTK_WIDGET (self->team_view), team);
  gtk_widget_set_visible (self->list_pane, !team);
  gtk_widget_set_visible (self->page_separator, !team);
  gtk_widget_set_visible (self->page_pane, !team);
}

GtkWidget *
rapport_window_get_view_pane (RapportWindow *self)
{
  g_return_val_if_fail (RAPPORT_IS_WINDOW (self), NULL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->team_view)))
    return GTK_WIDGET (self->team_view);
  return self->list_pane;
}

/* Public API ------------------------------------------------------------------- */

RapportWindow *
rapport_window_new (RapportApplication *application, RapportStore *store)
{
  RapportWindow *self;
  RapportSyncManager *sync = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  self = g_object_new (RAPPORT_TYPE_WINDOW, "application", application, "store", store, NULL);
  /* Sync (issue 5): the status in the sidebar's header bar when the app
   * syncs (the application is only known once constructed). */
  if (application != NULL)
    sync = rapport_application_get_sync_manager (application);
  if (sync != NULL)
    adw_header_bar_pack_start (self->sidebar_header,
                               GTK_WIDGET (rapport_sync_status_button_new (sync)));
  return self;
}

RapportStore *
rapport_window_get_store (RapportWindow *self)
{
  g_return_val_if_fail (RAPPORT_IS_WINDOW (self), NULL);
  return self->store;
}

gboolean
rapport_window_show_view (RapportWindow *self, const char *view_id)
{
  const RapportViewInfo *info;
  gboolean is_tag;

  g_return_val_if_fail (RAPPORT_IS_WINDOW (self), FALSE);

  info = rapport_views_lookup (view_id);
  if (info == NULL)
    return FALSE;
  is_tag = g_str_has_prefix (view_id, RAPPORT_VIEW_TAG_PREFIX);
  g_free (self->view_id);
  self->view_id = g_strdup (view_id);

  adw_window_title_set_title (self->list_title,
                              is_tag ? view_id + strlen (RAPPORT_VIEW_TAG_PREFIX) : _(info->title));
  set_team_mode (self, info->kind == RAPPORT_VIEW_KIND_TEAM);
  if (info->kind == RAPPORT_VIEW_KIND_TEAM)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
      rapport_team_view_refresh (self->team_view);
    }
  else if (info->kind == RAPPORT_VIEW_KIND_CONTACTS)
    {
      if (self->contacts != NULL)
        reveal_from_top (self);
      if (is_tag)
        rapport_contact_list_set_tag (ensure_contacts (self),
                                      view_id + strlen (RAPPORT_VIEW_TAG_PREFIX));
      rapport_contact_list_set_filter (ensure_contacts (self), info->filter);
      gtk_stack_set_visible_child_name (self->content_stack, "contacts");
      update_list_state (self);
      reselect_current (self);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
      rapport_today_view_set_list (self->today_view, info->due_list, _(info->empty_title),
                                   _(info->empty_description), info->icon_name);
      gtk_stack_set_visible_child_name (self->content_stack, "due");
    }
  self->selecting = TRUE;
  select_sidebar_row (self);
  self->selecting = FALSE;
  rapport_window_update_actions (self);
  return TRUE;
}

const char *
rapport_window_get_view (RapportWindow *self)
{
  g_return_val_if_fail (RAPPORT_IS_WINDOW (self), NULL);
  return self->view_id;
}

void
rapport_window_show_contact (RapportWindow *self, const char *contact_id)
{
  g_return_if_fail (RAPPORT_IS_WINDOW (self));

  /* A contact opened from the team backlog is shown in its list. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->team_view)))
    rapport_window_show_view (self, "all");
  if (g_strcmp0 (contact_id, self->contact_id) != 0)
    {
      g_free (self->contact_id);
      self->contact_id = g_strdup (contact_id);
    }
  rapport_contact_page_show (self->contact_page, contact_id);
  reselect_current (self);
  rapport_window_update_actions (self);
}

const char *
rapport_window_get_contact_id (RapportWindow *self)
{
  g_return_val_if_fail (RAPPORT_IS_WINDOW (self), NULL);
  return self->contact_id;
}

void
rapport_window_add_toast (RapportWindow *self, AdwToast *toast)
{
  g_return_if_fail (RAPPORT_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
