/* rapport-contact-slots.h: the contact list as rows that keep their widgets */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-records.h"

G_BEGIN_DECLS

/* One place in the list. Its contact changes when the list does (a
 * keystroke in the search); "changed" says so, and the row showing the slot
 * shows the new contact in the widgets it has. */
#define RAPPORT_TYPE_CONTACT_SLOT (rapport_contact_slot_get_type ())
G_DECLARE_FINAL_TYPE (RapportContactSlot, rapport_contact_slot, RAPPORT, CONTACT_SLOT, GObject)

/* (transfer none) (nullable): the contact in this place now, read when
 * first asked for; NULL once the place is gone from the list. */
RapportContact *rapport_contact_slot_get_contact (RapportContactSlot *self);

/* A GListModel of RapportContactSlot over a GListModel of RapportContact.
 *
 * GTK 4.8's list view destroys the widgets of removed items and builds new
 * ones for added items, even when a whole list is replaced by another of
 * the same length: each word's first letter typed in the search made and
 * destroyed up to 200 rows. Here an item is a place, and a replacement of
 * n items by m keeps the first min (n, m) places (the same objects, whose
 * widgets GTK keeps) with new contacts in them. Items after the change move
 * with their contacts, as in the model below. Its "items-changed" covers the
 * places that come or go only: a kept place says it shows another contact
 * with its own "changed", so whatever follows where a contact is (the
 * selection of the contact on show) listens to the model below. */
#define RAPPORT_TYPE_CONTACT_SLOTS (rapport_contact_slots_get_type ())
G_DECLARE_FINAL_TYPE (RapportContactSlots, rapport_contact_slots, RAPPORT, CONTACT_SLOTS, GObject)

RapportContactSlots *rapport_contact_slots_new        (GListModel          *contacts);
void                 rapport_contact_slots_set_model  (RapportContactSlots *self,
                                                       GListModel          *contacts);
GListModel          *rapport_contact_slots_get_model  (RapportContactSlots *self);

G_END_DECLS
