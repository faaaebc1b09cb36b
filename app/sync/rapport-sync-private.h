/* rapport-sync-private.h: internals shared inside app/sync */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "rapport-sync-client.h"

G_BEGIN_DECLS

/* Changes per push batch (the protocol allows 1,000) and a body size kept
 * well under the server's 8 MiB limit. */
#define RAPPORT_SYNC_PUSH_BATCH 1000
#define RAPPORT_SYNC_PUSH_MAX_BYTES (4 * 1024 * 1024)
#define RAPPORT_SYNC_PULL_PAGE 20000

/* Keys of the store's sync_state table. */
#define RAPPORT_SYNC_STATE_EPOCH "epoch"
#define RAPPORT_SYNC_STATE_CURSOR "cursor"
#define RAPPORT_SYNC_STATE_USER_ID "user_id"

/* HTTP: one JSON request. The answer must be a JSON object carrying the
 * server epoch; an error answer becomes a RAPPORT_SYNC_ERROR with the
 * server's message. */
void        rapport_sync_client_request_async   (RapportSyncClient  *self,
                                                 const char         *method,
                                                 const char         *path,
                                                 const char         *body,
                                                 gboolean            authorized,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
JsonObject *rapport_sync_client_request_finish  (RapportSyncClient  *self,
                                                 GAsyncResult       *result,
                                                 char              **epoch,
                                                 GError            **error);
/* A pull page, kept as the text received: only its envelope is read (off
 * the main thread); the changes are read by the store when applied. */
typedef struct
{
  GBytes *text;
  char *epoch;
  gint64 cursor;
  gboolean more;
} RapportSyncPageText;

void        rapport_sync_page_text_free         (RapportSyncPageText *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportSyncPageText, rapport_sync_page_text_free)
void        rapport_sync_client_request_page_async (RapportSyncClient  *self,
                                                 const char         *path,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
RapportSyncPageText *rapport_sync_client_request_page_finish (RapportSyncClient *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);
void        rapport_sync_client_set_progress    (RapportSyncClient  *self,
                                                 double              progress);
/* The password given to the last login in this process, kept in memory so
 * an expired token can be renewed without asking (CLI); %NULL otherwise. */
const char *rapport_sync_client_get_password    (RapportSyncClient  *self);
const char *rapport_sync_client_get_display_name (RapportSyncClient *self);
JsonObject *rapport_sync_client_get_login_user  (RapportSyncClient  *self);

/* How long a request may go unanswered before it is given up (tests). */
void        rapport_sync_client_set_request_timeout (RapportSyncClient *self,
                                                     guint              seconds);
void        rapport_sync_client_set_pull_page       (RapportSyncClient *self,
                                                     guint              changes);
guint       rapport_sync_client_get_pull_page       (RapportSyncClient *self);

/* For benchmarks: every request's duration in microseconds is appended to
 * @durations (element type gint64) while it is set. */
void        rapport_sync_client_record_timings  (RapportSyncClient  *self,
                                                 GArray             *durations);

/* A pull answer for the cursor @after fetched ahead of a run (the waiting
 * pull's): kept until a run asks for that page, replacing an older one. */
void        rapport_sync_client_set_prefetched  (RapportSyncClient  *self,
                                                 gint64              after,
                                                 JsonObject         *answer,
                                                 const char         *epoch);
/* (transfer full) (nullable): the kept answer when it is the page after
 * @after, else %NULL; either way nothing is kept afterwards. */
JsonObject *rapport_sync_client_take_prefetched (RapportSyncClient  *self,
                                                 gint64              after,
                                                 char              **epoch);

/* A push body {"changes": [...]} of changes from @from on (rapport-sync-push.c). */
char       *rapport_sync_changes_body           (GPtrArray          *changes,
                                                 guint               from,
                                                 guint               limit,
                                                 guint              *n_taken);

/* The sync run (rapport-sync-engine.c). */
void        rapport_sync_engine_run_async       (RapportSyncClient  *client,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean    rapport_sync_engine_run_finish      (GAsyncResult       *result,
                                                 RapportSyncStats   *stats,
                                                 GError            **error);

/* The keyring (rapport-sync-token.c). */
void        rapport_sync_token_store_async      (const char         *server,
                                                 const char         *user,
                                                 const char         *token,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean    rapport_sync_token_store_finish     (GAsyncResult       *result,
                                                 GError            **error);
void        rapport_sync_token_lookup_async     (const char         *server,
                                                 const char         *user,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
char       *rapport_sync_token_lookup_finish    (GAsyncResult       *result,
                                                 GError            **error);
void        rapport_sync_token_clear_async      (const char         *server,
                                                 const char         *user,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean    rapport_sync_token_clear_finish     (GAsyncResult       *result,
                                                 GError            **error);

G_END_DECLS
