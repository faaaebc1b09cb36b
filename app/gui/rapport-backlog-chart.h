/* rapport-backlog-chart.h: stacked bars of overdue follow-ups per owner, and their trend */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-backlog-detail.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_BACKLOG_CHART (rapport_backlog_chart_get_type ())
G_DECLARE_FINAL_TYPE (RapportBacklogChart, rapport_backlog_chart, RAPPORT, BACKLOG_CHART, GtkWidget)

RapportBacklogChart *rapport_backlog_chart_new             (void);
/* @rows: (element-type RapportBacklogRow): one bar each, in this order.
 * @trend: (element-type gint64) (nullable): the team's overdue count per
 * day, oldest first, -1 for a day without a figure; its last day is @at's. */
void                 rapport_backlog_chart_set_data        (RapportBacklogChart *self,
                                                            GPtrArray           *rows,
                                                            GArray              *trend,
                                                            gint64               at);
/* What the chart says, in words and numbers: its accessible description. */
const char          *rapport_backlog_chart_get_description (RapportBacklogChart *self);
/* The bar segment under (@x, @y) in widget coordinates: TRUE with the
 * owner's position in the rows and the figure. */
gboolean             rapport_backlog_chart_hit             (RapportBacklogChart *self,
                                                            double               x,
                                                            double               y,
                                                            guint               *row,
                                                            RapportBacklogFigure *figure);

/* Signal "figure-activated" (guint row, guint figure): a bar segment was
 * clicked. */

G_END_DECLS
