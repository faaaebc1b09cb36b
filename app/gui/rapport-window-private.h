/* rapport-window-private.h: what the window's files share */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-contact-list.h"
#include "rapport-contact-page.h"
#include "rapport-contact-slots.h"
#include "rapport-team-view.h"
#include "rapport-today-view.h"
#include "rapport-window.h"

G_BEGIN_DECLS

struct _RapportWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  GtkWidget *sidebar_pane;
  AdwHeaderBar *sidebar_header;
  GtkListBox *sidebar_list;
  GtkWidget *list_pane;
  AdwHeaderBar *list_header;
  AdwWindowTitle *list_title;
  GtkWidget *list_back_button;
  GtkToggleButton *search_button;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkStack *content_stack;
  GtkStack *list_stack;
  GtkListView *contact_list_view;
  AdwStatusPage *list_empty;
  RapportTodayView *today_view;
  GtkWidget *page_pane;
  AdwHeaderBar *page_header;
  AdwWindowTitle *page_title;
  GtkWidget *page_back_button;
  GtkWidget *page_menu_button;
  GMenuModel *contact_menu;
  GMenuModel *trash_menu;
  GtkWidget *log_button;
  GtkWidget *restore_button;
  GtkStack *page_stack;
  RapportContactPage *contact_page;
  GtkWidget *page_separator;
  RapportTeamView *team_view;

  RapportStore *store;
  /* Model stack of the contact list, built in setup_contact_list():
   * RapportContactList (store query: view filter, tag, search; sorted by
   * name or rank; lazy pages) -> RapportContactSlots (places that keep
   * their row widgets when the list changes) -> GtkSliceListModel (reveals
   * a longer list a screenful first) -> GtkSingleSelection -> GtkListView. */
  RapportContactList *contacts;
  RapportContactSlots *slots;
  GtkSliceListModel *reveal;
  GtkSingleSelection *selection;
  guint reveal_id;

  char *view_id;
  char *contact_id;
  char *undo_contact_id;     /* the contact the last delete toast can bring back */
  gulong store_changed_id;
  guint tags_refresh_id;
  gboolean selecting;        /* selection changed by code, not by the person */
  gboolean first_run_checked;
  guint first_run_id;
  gboolean first_paint_watched;     /* watching for the list's first paint */
};

/* rapport-window-actions.c */
void rapport_window_class_init_actions (GtkWidgetClass *widget_class);
void rapport_window_update_actions     (RapportWindow  *self);
void rapport_window_check_first_run    (RapportWindow  *self);

/* rapport-window.c */
void rapport_window_navigate_to_page   (RapportWindow  *self);
void rapport_window_focus_search       (RapportWindow  *self);
/* The pane a chosen view shows on a folded window: the list, or the team view. */
GtkWidget *rapport_window_get_view_pane (RapportWindow *self);

G_END_DECLS
