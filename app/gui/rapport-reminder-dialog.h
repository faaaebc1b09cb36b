/* rapport-reminder-dialog.h: adding a follow-up reminder */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_REMINDER_DIALOG (rapport_reminder_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RapportReminderDialog, rapport_reminder_dialog, RAPPORT, REMINDER_DIALOG, AdwWindow)

RapportReminderDialog *rapport_reminder_dialog_new  (GtkWindow             *parent,
                                                     RapportStore          *store,
                                                     const char            *contact_id);
gboolean               rapport_reminder_dialog_save (RapportReminderDialog *self);

G_END_DECLS
