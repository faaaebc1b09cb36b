/* rapport-team-view.h: the team backlog at a glance, for a manager (or my own, for staff) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-backlog-chart.h"
#include "rapport-backlog-drilldown.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_TEAM_VIEW (rapport_team_view_get_type ())
G_DECLARE_FINAL_TYPE (RapportTeamView, rapport_team_view, RAPPORT, TEAM_VIEW, GtkWidget)

void                     rapport_team_view_set_store       (RapportTeamView      *self,
                                                            RapportStore         *store);
/* Computes the backlog again (on the reader thread); "refreshed" is
 * emitted when the figures are shown. */
void                     rapport_team_view_refresh         (RapportTeamView      *self);
/* On a folded window: a back button to the views. */
void                     rapport_team_view_set_folded      (RapportTeamView      *self,
                                                            gboolean              folded);
/* The rows shown (element-type RapportBacklogRow), departments included
 * separately. (transfer none) (nullable) before the first refresh */
GPtrArray               *rapport_team_view_get_rows        (RapportTeamView      *self);
GPtrArray               *rapport_team_view_get_departments (RapportTeamView      *self);
RapportBacklogChart     *rapport_team_view_get_chart       (RapportTeamView      *self);
/* Opens the items of a figure (as selecting a table cell or a bar does);
 * %NULL when staff ask for a department not theirs. */
RapportBacklogDrilldown *rapport_team_view_open_figure     (RapportTeamView      *self,
                                                            const char           *owner,
                                                            const char           *department,
                                                            RapportBacklogFigure  figure);
gboolean                 rapport_team_view_export_pdf      (RapportTeamView      *self,
                                                            const char           *path,
                                                            GError              **error);
gboolean                 rapport_team_view_export_csv      (RapportTeamView      *self,
                                                            GFile                *file,
                                                            GError              **error);

G_END_DECLS
