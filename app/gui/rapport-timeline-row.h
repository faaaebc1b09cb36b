/* rapport-timeline-row.h: one entry of a contact's timeline */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_TIMELINE_ROW (rapport_timeline_row_get_type ())
G_DECLARE_FINAL_TYPE (RapportTimelineRow, rapport_timeline_row, RAPPORT, TIMELINE_ROW, GtkWidget)

RapportTimelineRow *rapport_timeline_row_new        (void);
/* Shows an interaction, note, promise or reminder. @users is a cache made by
 * rapport_user_cache_new(). Its buttons activate the "contact." actions of
 * RapportContactPage with the record id. */
void                rapport_timeline_row_set_record (RapportTimelineRow *self,
                                                     RapportStore       *store,
                                                     GHashTable         *users,
                                                     RapportRecord      *record);

G_END_DECLS
