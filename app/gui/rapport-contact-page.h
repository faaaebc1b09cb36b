/* rapport-contact-page.h: one contact: who, how to reach, and the timeline */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_CONTACT_PAGE (rapport_contact_page_get_type ())
G_DECLARE_FINAL_TYPE (RapportContactPage, rapport_contact_page, RAPPORT, CONTACT_PAGE, GtkWidget)

void            rapport_contact_page_set_store    (RapportContactPage *self,
                                                   RapportStore       *store);
/* Shows the contact with @contact_id (NULL: none). */
void            rapport_contact_page_show         (RapportContactPage *self,
                                                   const char         *contact_id);
/* (nullable) (transfer none) */
RapportContact *rapport_contact_page_get_contact  (RapportContactPage *self);
/* The timeline as shown: the records after the header, newest first with
 * pinned notes on top. (transfer none) (element-type RapportRecord) */
GListModel     *rapport_contact_page_get_timeline (RapportContactPage *self);

G_END_DECLS
