/* rapport-promise-dialog.h: recording a promise made to a customer */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_PROMISE_DIALOG (rapport_promise_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RapportPromiseDialog, rapport_promise_dialog, RAPPORT, PROMISE_DIALOG, AdwWindow)

RapportPromiseDialog *rapport_promise_dialog_new  (GtkWindow            *parent,
                                                   RapportStore         *store,
                                                   const char           *contact_id);
gboolean              rapport_promise_dialog_save (RapportPromiseDialog *self);

G_END_DECLS
