/* rapport-preferences-window.h: Preferences: identity, cadences, reminders, sync, data */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_PREFERENCES_WINDOW (rapport_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (RapportPreferencesWindow, rapport_preferences_window, RAPPORT, PREFERENCES_WINDOW, AdwPreferencesWindow)

RapportPreferencesWindow *rapport_preferences_window_new      (GtkWindow                *parent,
                                                               RapportStore             *store);
/* The page the groups below live on, in this order: "You", "Default
 * Cadences", the Reminders group (issue 4), the Sync group (issue 5), and
 * "Data". (transfer none) */
AdwPreferencesPage       *rapport_preferences_window_get_page (RapportPreferencesWindow *self);

G_END_DECLS
