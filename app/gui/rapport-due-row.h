/* rapport-due-row.h: one thing to act on in Today and the other queues */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-due.h"

G_BEGIN_DECLS

/* An item of a queue list: a due item, or a section heading (item NULL). */
#define RAPPORT_TYPE_DUE_OBJECT (rapport_due_object_get_type ())
G_DECLARE_FINAL_TYPE (RapportDueObject, rapport_due_object, RAPPORT, DUE_OBJECT, GObject)

RapportDueObject     *rapport_due_object_new_item    (const RapportDueItem *item);
RapportDueObject     *rapport_due_object_new_heading (const char           *title);
const RapportDueItem *rapport_due_object_get_item    (RapportDueObject     *self);
const char           *rapport_due_object_get_heading (RapportDueObject     *self);

#define RAPPORT_TYPE_DUE_ROW (rapport_due_row_get_type ())
G_DECLARE_FINAL_TYPE (RapportDueRow, rapport_due_row, RAPPORT, DUE_ROW, GtkWidget)

RapportDueRow *rapport_due_row_new    (void);
/* Its buttons activate today.open, today.log (contact id), today.snooze and
 * today.done ((uss): kind, record id, contact id). */
void           rapport_due_row_set    (RapportDueRow        *self,
                                       const RapportDueItem *item,
                                       gint64                now);

G_END_DECLS
