/* rapport-backlog-drilldown.h: the items behind one backlog figure, and acting on them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-backlog-detail.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_BACKLOG_DRILLDOWN (rapport_backlog_drilldown_get_type ())
G_DECLARE_FINAL_TYPE (RapportBacklogDrilldown, rapport_backlog_drilldown, RAPPORT,
                      BACKLOG_DRILLDOWN, AdwWindow)

/* The items of @figure of @owner (a user id, "" for nobody, %NULL for the
 * whole team), or of @department when set (promise figures only).
 * Actions on the window: drilldown.reassign and
 * drilldown.reassign-relationships (s: the colleague's user id),
 * drilldown.nudge, drilldown.open-contact, drilldown.undo,
 * drilldown.select-all, drilldown.export-csv. */
RapportBacklogDrilldown *rapport_backlog_drilldown_new        (GtkWindow            *parent,
                                                               RapportStore         *store,
                                                               const char           *owner,
                                                               const char           *department,
                                                               RapportBacklogFigure  figure);
/* The list's selection model over RapportDueObject items. (transfer none) */
GtkSelectionModel       *rapport_backlog_drilldown_get_selection (RapportBacklogDrilldown *self);
void                     rapport_backlog_drilldown_reload     (RapportBacklogDrilldown *self);
gboolean                 rapport_backlog_drilldown_export_csv (RapportBacklogDrilldown *self,
                                                               GFile                   *file,
                                                               GError                 **error);

G_END_DECLS
