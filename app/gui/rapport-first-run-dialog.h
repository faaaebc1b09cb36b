/* rapport-first-run-dialog.h: asking once who uses this desktop */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_FIRST_RUN_DIALOG (rapport_first_run_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RapportFirstRunDialog, rapport_first_run_dialog, RAPPORT, FIRST_RUN_DIALOG, AdwWindow)

/* Emits "done" once "me" is saved. */
RapportFirstRunDialog *rapport_first_run_dialog_new  (GtkWindow             *parent,
                                                      RapportStore          *store);
gboolean               rapport_first_run_dialog_save (RapportFirstRunDialog *self);

/* Saves @name and @department as the user of this desktop (a new user, or
 * the current one changed). */
gboolean               rapport_save_identity         (RapportStore          *store,
                                                      const char            *name,
                                                      const char            *department,
                                                      GError               **error);

G_END_DECLS
