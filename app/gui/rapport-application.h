/* rapport-application.h: the Rapport desktop application */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-store.h"
#include "rapport-sync-manager.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_APPLICATION (rapport_application_get_type ())
G_DECLARE_FINAL_TYPE (RapportApplication, rapport_application, RAPPORT, APPLICATION, AdwApplication)

/* Before anything of GTK runs: draw with cairo, without OpenGL, unless
 * GSK_RENDERER or GDK_DEBUG say otherwise (rapport-application.c). */
void                rapport_application_choose_renderer  (void);
RapportApplication *rapport_application_new              (void);
/* Opens @uri in the person's program for it (a mail client for mailto:),
 * started with the environment Rapport had before choose_renderer(). */
void                rapport_application_show_uri         (GtkWidget          *widget,
                                                          const char         *uri);
/* (transfer full): a launch context for @widget's display that gives
 * started programs that environment. */
GAppLaunchContext  *rapport_application_launch_context   (GtkWidget          *widget);
/* (nullable): the open store, %NULL before activation or when it failed */
RapportStore       *rapport_application_get_store        (RapportApplication *self);
/* Opens the store at @path (NULL: the default place) unless one is open. */
gboolean            rapport_application_open_store       (RapportApplication *self,
                                                          const char         *path,
                                                          GError            **error);
/* TRUE when started with --background (no window until activated again). */
gboolean            rapport_application_get_background   (RapportApplication *self);
GtkWindow          *rapport_application_present_main_window (RapportApplication *self);
/* (nullable): the team sync, made at activation (rapport-sync-manager.h). */
RapportSyncManager *rapport_application_get_sync_manager (RapportApplication *self);
/* Closes the windows and the store, restores @backup, opens it again. */
void                rapport_application_restore_backup   (RapportApplication *self,
                                                          const char         *backup);
/* The main window has painted its list: work that can wait for that starts. */
void                rapport_application_window_ready     (RapportApplication *self);

G_END_DECLS
