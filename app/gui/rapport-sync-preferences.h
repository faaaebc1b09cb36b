/* rapport-sync-preferences.h: the Sync group of Preferences */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-sync-manager.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_SYNC_PREFERENCES (rapport_sync_preferences_get_type ())
G_DECLARE_FINAL_TYPE (RapportSyncPreferences, rapport_sync_preferences, RAPPORT, SYNC_PREFERENCES,
                      AdwPreferencesGroup)

/* Server address, user name and password, Sign In / Sign Out, who is
 * signed in and when the last sync was; errors are shown below the rows. */
RapportSyncPreferences *rapport_sync_preferences_new       (RapportSyncManager     *manager);
/* (nullable): the error shown, if any. */
const char             *rapport_sync_preferences_get_error (RapportSyncPreferences *self);
/* TRUE while signing in or out. */
gboolean                rapport_sync_preferences_get_busy  (RapportSyncPreferences *self);

G_END_DECLS
