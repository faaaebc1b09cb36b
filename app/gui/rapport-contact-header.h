/* rapport-contact-header.h: who a contact is and how to reach them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_CONTACT_HEADER (rapport_contact_header_get_type ())
G_DECLARE_FINAL_TYPE (RapportContactHeader, rapport_contact_header, RAPPORT, CONTACT_HEADER, GtkWidget)

RapportContactHeader *rapport_contact_header_new  (void);
/* @last_interaction (nullable): the newest interaction, for "last contact";
 * @n_entries: how many entries the timeline below holds. */
void                  rapport_contact_header_set  (RapportContactHeader *self,
                                                   RapportStore         *store,
                                                   GHashTable           *users,
                                                   RapportContact       *contact,
                                                   RapportInteraction   *last_interaction,
                                                   guint                 n_entries);

G_END_DECLS
