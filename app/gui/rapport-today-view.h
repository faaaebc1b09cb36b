/* rapport-today-view.h: my outreach queue, and the team's open promises and complaints */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-store.h"
#include "rapport-views.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_TODAY_VIEW (rapport_today_view_get_type ())
G_DECLARE_FINAL_TYPE (RapportTodayView, rapport_today_view, RAPPORT, TODAY_VIEW, GtkWidget)

void        rapport_today_view_set_store (RapportTodayView *self,
                                          RapportStore     *store);
/* Which queue to show, and what to say when it is empty. */
void        rapport_today_view_set_list  (RapportTodayView *self,
                                          RapportDueList    list,
                                          const char       *empty_title,
                                          const char       *empty_description,
                                          const char       *icon_name);
void        rapport_today_view_refresh   (RapportTodayView *self);
/* TRUE while the list is being computed (in a worker thread). */
gboolean    rapport_today_view_is_loading (RapportTodayView *self);
/* The shown rows: RapportDueObject items, headings included. (transfer none) */
GListModel *rapport_today_view_get_model (RapportTodayView *self);

G_END_DECLS
