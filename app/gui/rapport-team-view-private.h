/* rapport-team-view-private.h: what the team view's files share */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-backlog-print.h"
#include "rapport-team-view.h"

G_BEGIN_DECLS

struct _RapportTeamView
{
  GtkWidget parent_instance;

  AdwHeaderBar *header_bar;
  AdwWindowTitle *window_title;
  GtkWidget *back_button;
  AdwToastOverlay *toast_overlay;
  GtkLabel *scope_label;
  RapportBacklogChart *chart;
  GtkGrid *owner_table;
  GtkWidget *departments_heading;
  GtkWidget *departments_card;
  GtkGrid *department_table;

  RapportStore *store;
  RapportBacklogReport *report;   /* what is shown */
  GPtrArray *owner_trends;        /* (element-type GArray) per row of the report */
  GCancellable *cancellable;
  gboolean loading;
  gboolean refresh_again;
  gboolean dirty;                 /* the store changed while not shown */
  guint refresh_id;
  guint timer_id;
  guint record_id;                /* stores the day's figure while the app runs */
  gint64 last_recorded;
};

/* rapport-team-view-table.c: the tables of owners and departments, from
 * self->report and self->owner_trends. */
void rapport_team_view_fill_tables (RapportTeamView *self);

G_END_DECLS
