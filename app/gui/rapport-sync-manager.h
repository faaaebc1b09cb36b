/* rapport-sync-manager.h: the app's one sync client and scheduler, and signing in */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-store.h"
#include "rapport-sync-client.h"
#include "rapport-sync-scheduler.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_SYNC_MANAGER (rapport_sync_manager_get_type ())
G_DECLARE_FINAL_TYPE (RapportSyncManager, rapport_sync_manager, RAPPORT, SYNC_MANAGER, GObject)

/* Owned by the application. The client and the scheduler are made when
 * they are needed: at start when a server and a user are set (and the
 * session token is found in the keyring), on sign-in, or on "Sync Now".
 * @settings (nullable) holds sync-server-url and sync-user; without it they
 * are kept in memory. */
RapportSyncManager   *rapport_sync_manager_new            (RapportStore        *store,
                                                           GSettings           *settings);
RapportStore         *rapport_sync_manager_get_store      (RapportSyncManager  *self);
/* (nullable) (transfer none) */
RapportSyncClient    *rapport_sync_manager_get_client     (RapportSyncManager  *self);
/* (nullable) (transfer none) */
RapportSyncScheduler *rapport_sync_manager_get_scheduler  (RapportSyncManager  *self);
/* The server address and user name last signed in with ("" when none). */
const char           *rapport_sync_manager_get_server_url (RapportSyncManager  *self);
const char           *rapport_sync_manager_get_user       (RapportSyncManager  *self);
gboolean              rapport_sync_manager_get_signed_in  (RapportSyncManager  *self);
/* TRUE while syncing is on: signed in, or signed out by the server and
 * waiting for the person to sign in again. */
gboolean              rapport_sync_manager_get_active     (RapportSyncManager  *self);
/* The signed-in person as the team knows them (display name), or NULL. */
char                 *rapport_sync_manager_dup_display_name (RapportSyncManager *self);
/* The end of the last successful sync (seconds, UTC), kept across runs;
 * 0 when never. */
gint64                rapport_sync_manager_get_last_synced (RapportSyncManager *self);

/* The keyring is used unless turned off (tests: no secret service). */
void                  rapport_sync_manager_set_use_keyring (RapportSyncManager *self,
                                                            gboolean            use_keyring);

/* Restores the session of the configured server and user from the keyring
 * and starts syncing. Does nothing when no server or user is set. */
void                  rapport_sync_manager_start          (RapportSyncManager  *self);
void                  rapport_sync_manager_sync_now       (RapportSyncManager  *self);

/* @server_url may lack "https://". On success the settings hold the server
 * and user, the token is in the keyring, and a first sync has started. */
void                  rapport_sync_manager_sign_in_async  (RapportSyncManager  *self,
                                                           const char          *server_url,
                                                           const char          *user,
                                                           const char          *password,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean              rapport_sync_manager_sign_in_finish (RapportSyncManager  *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* Ends the session on the server (when it can be reached) and here, and
 * stops syncing. Local changes stay in the journal for the next sign-in. */
void                  rapport_sync_manager_sign_out_async  (RapportSyncManager  *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean              rapport_sync_manager_sign_out_finish (RapportSyncManager  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* "rapport.example.com" → "https://rapport.example.com"; NULL with @error
 * set (saying what to type) when it is not a server address. */
char                 *rapport_sync_normalize_server_url   (const char          *text,
                                                           GError             **error);

G_END_DECLS
