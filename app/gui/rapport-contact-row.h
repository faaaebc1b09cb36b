/* rapport-contact-row.h: one contact in the contact list */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_CONTACT_ROW (rapport_contact_row_get_type ())
G_DECLARE_FINAL_TYPE (RapportContactRow, rapport_contact_row, RAPPORT, CONTACT_ROW, GtkWidget)

RapportContactRow *rapport_contact_row_new         (void);
/* Shows @contact (nullable: clears the row). */
void               rapport_contact_row_set_contact (RapportContactRow *self,
                                                    RapportStore      *store,
                                                    RapportContact    *contact);

G_END_DECLS
