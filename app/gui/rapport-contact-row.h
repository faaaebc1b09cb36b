/* rapport-contact-row.h: one contact in the contact list */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-contact-slots.h"
#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_CONTACT_ROW (rapport_contact_row_get_type ())
G_DECLARE_FINAL_TYPE (RapportContactRow, rapport_contact_row, RAPPORT, CONTACT_ROW, GtkWidget)

RapportContactRow *rapport_contact_row_new         (void);
/* Shows @contact (nullable: clears the row). */
void               rapport_contact_row_set_contact (RapportContactRow *self,
                                                    RapportStore      *store,
                                                    RapportContact    *contact);
/* Shows the contact in @slot, and the next one there when the slot changes
 * (nullable: clears the row and stops following the slot). */
void               rapport_contact_row_set_slot    (RapportContactRow  *self,
                                                    RapportStore       *store,
                                                    RapportContactSlot *slot);

G_END_DECLS
