/* rapport-backlog-detail.h: the figures of the team backlog, their items, departments and trend */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-due.h"

G_BEGIN_DECLS

/* One figure of a RapportBacklogRow (rapport-due.h), in the order the
 * manager view, the CSV export and the printout show them. */
typedef enum
{
  RAPPORT_BACKLOG_OVERDUE_1_7,
  RAPPORT_BACKLOG_OVERDUE_8_30,
  RAPPORT_BACKLOG_OVERDUE_31_PLUS,
  RAPPORT_BACKLOG_DUE_THIS_WEEK,
  RAPPORT_BACKLOG_GOING_COLD,
  RAPPORT_BACKLOG_PROMISES_AT_RISK,
  RAPPORT_BACKLOG_PROMISES_BROKEN,
  RAPPORT_BACKLOG_COMPLAINTS_WAITING,
  RAPPORT_BACKLOG_N_FIGURES
} RapportBacklogFigure;

/* "overdue_1_7", ...: the JSON member of the figure (as the CLI and the
 * server print it). */
const char *rapport_backlog_figure_key   (RapportBacklogFigure     figure);
/* "Overdue 1–7 days", ...: translated, for headings. */
const char *rapport_backlog_figure_label (RapportBacklogFigure     figure);
/* "1–7 d", ...: translated, for narrow column headings. */
const char *rapport_backlog_figure_short_label (RapportBacklogFigure figure);
guint       rapport_backlog_row_get      (const RapportBacklogRow *row,
                                          RapportBacklogFigure     figure);
guint       rapport_backlog_row_overdue  (const RapportBacklogRow *row);
/* Adds every figure of @row to @total (the oldest complaint age is the
 * larger of both). */
void        rapport_backlog_row_add      (RapportBacklogRow       *total,
                                          const RapportBacklogRow *row);

/* Who sees whose backlog on this desktop. A manager (or a desktop where
 * nobody has been set up yet) sees the whole team: %NULL. Everyone else
 * sees their own work only: their user id. (transfer none) */
const char *rapport_backlog_scope        (RapportStore            *store);
/* Whether the scope of rapport_backlog_scope() lets me see @owner's backlog. */
gboolean    rapport_backlog_may_see      (RapportStore            *store,
                                          const char              *owner);

/* The items behind one figure of rapport_store_backlog() at @at: the same
 * owners and the same bounds, so there are as many items as the figure
 * counts. @owner: a user id, "" for the unassigned row, or %NULL for the
 * whole team. Reminders and cadences for the follow-up figures, cadences and
 * relationships gone quiet for going cold, promises, complaints.
 * (element-type RapportDueItem) */
GPtrArray  *rapport_store_backlog_items  (RapportStore            *store,
                                          const char              *owner,
                                          RapportBacklogFigure     figure,
                                          gint64                   at,
                                          GError                 **error);

/* The items of all eight figures at once (each list read once): @figures
 * receives one array per figure, indexed by RapportBacklogFigure. */
gboolean    rapport_store_backlog_items_all (RapportStore         *store,
                                             const char           *owner,
                                             gint64                at,
                                             GPtrArray            *figures[RAPPORT_BACKLOG_N_FIGURES],
                                             GError              **error);

/* Promises a department must deliver (no person named to deliver them), per
 * department: rows whose owner and owner_name are the department, with only
 * promises_at_risk and promises_broken set. @department: one department or
 * %NULL for all. Sorted by name. (element-type RapportBacklogRow) */
GPtrArray  *rapport_store_backlog_departments (RapportStore       *store,
                                               const char         *department,
                                               gint64              at,
                                               GError            **error);
/* The items behind a department's figure (at risk or broken).
 * (element-type RapportDueItem) */
GPtrArray  *rapport_store_backlog_department_items (RapportStore  *store,
                                                    const char    *department,
                                                    RapportBacklogFigure figure,
                                                    gint64         at,
                                                    GError       **error);

/* The overdue count recorded in backlog_daily for each of the @n_days local
 * days ending with the day of @at (oldest first): of @owner, or the sum over
 * the team when %NULL. A day without a recorded figure is -1. */
GArray     *rapport_store_backlog_trend  (RapportStore            *store,
                                          const char              *owner,
                                          gint64                   at,
                                          guint                    n_days,
                                          GError                 **error);

G_END_DECLS
