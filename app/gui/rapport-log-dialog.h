/* rapport-log-dialog.h: logging an interaction, with a follow-up */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_LOG_DIALOG (rapport_log_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RapportLogDialog, rapport_log_dialog, RAPPORT, LOG_DIALOG, AdwWindow)

RapportLogDialog *rapport_log_dialog_new      (GtkWindow        *parent,
                                               RapportStore     *store,
                                               const char       *contact_id);
/* Preselects the kind ("complaint" makes it wait for a response). */
void              rapport_log_dialog_set_kind (RapportLogDialog *self,
                                               const char       *kind);
/* Saves what the dialog holds, as its Save button does; FALSE (dialog left
 * open, error shown) when a field is wrong. */
gboolean          rapport_log_dialog_save     (RapportLogDialog *self);

G_END_DECLS
