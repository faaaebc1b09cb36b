/* rapport-background.h: "Run in background": stay alive, start at login */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RAPPORT_TYPE_BACKGROUND (rapport_background_get_type ())
G_DECLARE_FINAL_TYPE (RapportBackground, rapport_background, RAPPORT, BACKGROUND, GObject)

/* Follows the "run-in-background" key of @settings (%NULL: the default
 * org.rapport.Rapport settings): while it is on, @app is held, so closing
 * the last window keeps reminders coming, and the autostart entry is in
 * ~/.config/autostart; when it goes off both are undone. */
RapportBackground *rapport_background_new           (GApplication *app,
                                                     GSettings    *settings);
gboolean           rapport_background_get_holding   (RapportBackground *self);

/* Where the autostart entry goes: $XDG_CONFIG_HOME/autostart/<app id>.desktop */
char              *rapport_background_autostart_path (void);
/* Copies the installed autostart entry there, or removes it. */
gboolean           rapport_background_set_autostart  (gboolean      enabled,
                                                      GError      **error);

G_END_DECLS
