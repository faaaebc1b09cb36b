/* rapport-sync-client.h: one desktop's session with a Rapport server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_SYNC_ERROR (rapport_sync_error_quark ())

typedef enum
{
  RAPPORT_SYNC_ERROR_FAILED,
  RAPPORT_SYNC_ERROR_NETWORK,       /* the server could not be reached: offline */
  RAPPORT_SYNC_ERROR_UNAUTHORIZED,  /* bad password, or the session ended: sign in again */
  RAPPORT_SYNC_ERROR_FORBIDDEN,
  RAPPORT_SYNC_ERROR_CLOCK_SKEW,    /* this computer's clock is too far ahead */
  RAPPORT_SYNC_ERROR_RATE_LIMITED,
  RAPPORT_SYNC_ERROR_PROTOCOL,      /* the answer is not what a Rapport server sends */
  RAPPORT_SYNC_ERROR_SERVER,        /* the server failed (5xx) */
  RAPPORT_SYNC_ERROR_NOT_SIGNED_IN,
  RAPPORT_SYNC_ERROR_WRONG_USER,    /* this store is synced as someone else */
  RAPPORT_SYNC_ERROR_TOO_LARGE,     /* the server refused a request as too large */
} RapportSyncError;

GQuark rapport_sync_error_quark (void);

/* What one sync did. */
typedef struct
{
  guint pushed;        /* local changes the server acknowledged */
  guint pulled;        /* changes received from the server */
  guint refused;       /* local changes the server refused (recorded on the record) */
  guint conflicts;     /* local writes that lost, recorded during this sync */
  guint restored;      /* changes re-sent because the server was restored from a backup */
} RapportSyncStats;

#define RAPPORT_TYPE_SYNC_CLIENT (rapport_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (RapportSyncClient, rapport_sync_client, RAPPORT, SYNC_CLIENT, GObject)

RapportSyncClient *rapport_sync_client_new            (RapportStore       *store,
                                                       const char         *server_url);
RapportStore      *rapport_sync_client_get_store      (RapportSyncClient  *self);
const char        *rapport_sync_client_get_server_url (RapportSyncClient  *self);
void               rapport_sync_client_set_server_url (RapportSyncClient  *self,
                                                       const char         *server_url);
const char        *rapport_sync_client_get_user       (RapportSyncClient  *self);
const char        *rapport_sync_client_get_user_id    (RapportSyncClient  *self);
gboolean           rapport_sync_client_is_signed_in   (RapportSyncClient  *self);
double             rapport_sync_client_get_progress   (RapportSyncClient  *self);
gboolean           rapport_sync_client_get_busy       (RapportSyncClient  *self);

/* The keyring is used by default; the CLI and tests turn it off and hand
 * a token (or a password) in directly. */
void               rapport_sync_client_set_use_keyring (RapportSyncClient *self,
                                                        gboolean           use_keyring);
void               rapport_sync_client_set_token      (RapportSyncClient  *self,
                                                       const char         *user,
                                                       const char         *token);
const char        *rapport_sync_client_get_token      (RapportSyncClient  *self);

void               rapport_sync_client_login_async    (RapportSyncClient  *self,
                                                       const char         *user,
                                                       const char         *password,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean           rapport_sync_client_login_finish   (RapportSyncClient  *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

/* Looks the token of @user up in the keyring. */
void               rapport_sync_client_restore_session_async  (RapportSyncClient  *self,
                                                               const char         *user,
                                                               GCancellable       *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer            user_data);
gboolean           rapport_sync_client_restore_session_finish (RapportSyncClient  *self,
                                                               GAsyncResult       *result,
                                                               GError            **error);

void               rapport_sync_client_logout_async   (RapportSyncClient  *self,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean           rapport_sync_client_logout_finish  (RapportSyncClient  *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

/* Pushes the journal, then pulls everything after the stored cursor. On
 * success, and on failure after some work, @stats (if not %NULL) says what
 * was done. */
void               rapport_sync_client_sync_async     (RapportSyncClient  *self,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean           rapport_sync_client_sync_finish    (RapportSyncClient  *self,
                                                       GAsyncResult       *result,
                                                       RapportSyncStats   *stats,
                                                       GError            **error);

G_END_DECLS
