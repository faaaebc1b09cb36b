/* rapport-duplicates-dialog.h: Find duplicates: reviewing and merging contacts that look like one person */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_DUPLICATES_DIALOG (rapport_duplicates_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RapportDuplicatesDialog, rapport_duplicates_dialog, RAPPORT, DUPLICATES_DIALOG,
                      AdwWindow)

/* Starts looking for duplicates at once, in a thread. */
RapportDuplicatesDialog *rapport_duplicates_dialog_new           (GtkWindow               *parent,
                                                                  RapportStore            *store);
/* "loading", "empty", "error" or "pairs". */
const char              *rapport_duplicates_dialog_get_page      (RapportDuplicatesDialog *self);
guint                    rapport_duplicates_dialog_get_n_pairs   (RapportDuplicatesDialog *self);
/* The row choosing which value of @field the merge keeps (item 0 is the
 * first contact's, 1 the second's), or %NULL when the two agree. */
AdwComboRow             *rapport_duplicates_dialog_get_field_row (RapportDuplicatesDialog *self,
                                                                  const char              *field);
/* The ids of the selected pair, as shown (first, then second). */
const char              *rapport_duplicates_dialog_get_first_id  (RapportDuplicatesDialog *self);
const char              *rapport_duplicates_dialog_get_second_id (RapportDuplicatesDialog *self);
/* Merges the selected pair as chosen (duplicates.merge), then looks for
 * duplicates again; a toast offers to undo it. */
gboolean                 rapport_duplicates_dialog_merge         (RapportDuplicatesDialog *self);
/* Undoes the last merge (duplicates.undo). */
gboolean                 rapport_duplicates_dialog_undo          (RapportDuplicatesDialog *self);

G_END_DECLS
