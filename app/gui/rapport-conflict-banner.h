/* rapport-conflict-banner.h: edits that did not make it, above a contact page */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-contact-page.h"
#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_CONFLICT_BANNER (rapport_conflict_banner_get_type ())
G_DECLARE_FINAL_TYPE (RapportConflictBanner, rapport_conflict_banner, RAPPORT, CONFLICT_BANNER,
                      GtkWidget)

/* Shows, for one contact and the records on its timeline, the local edits
 * that lost ("Your change of Phone was replaced by a newer one…"), that a
 * delete overtook ("…your edit is kept in the Trash"), or that the server
 * refused; "Dismiss" marks them seen. Hidden when there are none. */
RapportConflictBanner *rapport_conflict_banner_new            (RapportStore          *store);
void                   rapport_conflict_banner_set_contact_id (RapportConflictBanner *self,
                                                               const char            *contact_id);
/* Follows the contact @page shows. */
void                   rapport_conflict_banner_follow         (RapportConflictBanner *self,
                                                               RapportContactPage    *page);
/* How many unseen conflicts are shown, and their text (for tests). */
guint                  rapport_conflict_banner_get_n_conflicts (RapportConflictBanner *self);
const char            *rapport_conflict_banner_get_text       (RapportConflictBanner *self);
void                   rapport_conflict_banner_dismiss        (RapportConflictBanner *self);

G_END_DECLS
