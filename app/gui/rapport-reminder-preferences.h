/* rapport-reminder-preferences.h: the Reminders group of Preferences */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RAPPORT_TYPE_REMINDER_PREFERENCES (rapport_reminder_preferences_get_type ())
G_DECLARE_FINAL_TYPE (RapportReminderPreferences, rapport_reminder_preferences, RAPPORT,
                      REMINDER_PREFERENCES, AdwPreferencesGroup)

/* Run in background, quiet hours, working days and the daily digest, bound
 * to @settings (%NULL: the default org.rapport.Rapport settings). Add it to
 * an AdwPreferencesPage with adw_preferences_page_add(). */
GtkWidget *rapport_reminder_preferences_new (GSettings *settings);

G_END_DECLS
