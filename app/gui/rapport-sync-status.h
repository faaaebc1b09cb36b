/* rapport-sync-status.h: the sync status in the header bar */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-sync-manager.h"

G_BEGIN_DECLS

/* (RapportSyncStatus is the scheduler's enum; this is its button.) */
#define RAPPORT_TYPE_SYNC_STATUS_BUTTON (rapport_sync_status_button_get_type ())
G_DECLARE_FINAL_TYPE (RapportSyncStatusButton, rapport_sync_status_button, RAPPORT,
                      SYNC_STATUS_BUTTON, GtkWidget)

/* Shown while syncing is on (rapport_sync_manager_get_active()): synced,
 * syncing (a spinner), offline, or an error; its popover says what to do
 * and has "Sync Now". */
RapportSyncStatusButton *rapport_sync_status_button_new       (RapportSyncManager      *manager);
/* "idle", "synced", "syncing", "offline" or "error": what it shows. */
const char              *rapport_sync_status_button_get_state (RapportSyncStatusButton *self);

G_END_DECLS
