/* rapport-backlog-export.h: the team backlog and the items of its figures as CSV */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-backlog-detail.h"

G_BEGIN_DECLS

/* Both exports are UTF-8 CSV (RFC 4180, CRLF line ends, with a byte order
 * mark so spreadsheets read the accents), one header row. Every text cell
 * goes through rapport_csv_append_cell(): a cell starting with = + - @ tab
 * or CR gets a leading single quote, so a spreadsheet never runs a name or
 * a title as a formula. */

/* The table of the manager view: one line per owner of @rows, a team total
 * when there is more than one, then one line per department of
 * @departments (nullable). Columns: kind (person, unassigned, team,
 * department), owner id, owner, the eight figures, oldest complaint (hours).
 * (element-type RapportBacklogRow) for both arrays. */
char *rapport_backlog_csv            (GPtrArray            *rows,
                                      GPtrArray            *departments);

/* The items of one figure (@figure), or of every figure when @figure is
 * RAPPORT_BACKLOG_N_FIGURES, in @scope (a user id, or %NULL for the team):
 * figure, owner, kind, contact, title, due (local time), days overdue.
 * Returns: (transfer full): the CSV text, or %NULL with @error set. */
char *rapport_backlog_items_csv      (RapportStore         *store,
                                      const char           *scope,
                                      RapportBacklogFigure  figure,
                                      gint64                at,
                                      GError              **error);

/* The given @items (element-type RapportDueItem) of @figure, as above: what
 * the drill-down of one figure shows. */
char *rapport_backlog_item_list_csv  (RapportStore         *store,
                                      GPtrArray            *items,
                                      RapportBacklogFigure  figure,
                                      gint64                at);

G_END_DECLS
