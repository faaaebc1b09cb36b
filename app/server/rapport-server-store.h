/* rapport-server-store.h: the server's storage, one interface for every backend */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-server-policy.h"
#include "rapport-server-request.h"

G_BEGIN_DECLS

/* An account, as the admin commands and login see it. */
typedef struct
{
  char *id;              /* also the id of its "user" record */
  char *name;            /* login name, unique */
  char *display_name;
  char *department;
  char *role;            /* staff | manager | admin */
  gboolean disabled;
  char *password_hash;   /* Argon2id string; never leaves the server */
  gint64 created_at;
} RapportServerAccount;

RapportServerAccount *rapport_server_account_new   (void);
RapportServerAccount *rapport_server_account_copy  (const RapportServerAccount *account);
void                  rapport_server_account_free  (RapportServerAccount *account);
RapportServerActor    rapport_server_account_actor (const RapportServerAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportServerAccount, rapport_server_account_free)

typedef enum
{
  RAPPORT_PUSH_APPLIED,     /* every field won (or it was already there) */
  RAPPORT_PUSH_SUPERSEDED,  /* some or all fields lost to newer writes (lost) */
  RAPPORT_PUSH_REFUSED,     /* never applied (reason) */
} RapportPushStatus;

typedef struct
{
  char *id;
  RapportPushStatus status;
  char *reason;              /* refused: "forbidden: ...", "clock skew: ...", "invalid: ..." */
  GStrv lost;                /* superseded: the fields that lost */
} RapportPushResult;

void        rapport_push_result_free  (RapportPushResult *result);
const char *rapport_push_status_to_string (RapportPushStatus status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportPushResult, rapport_push_result_free)

/* One push, applied with others in one transaction (group commit): either
 * @results (element-type RapportPushResult) and @cursor, or @error, and
 * then nothing of it was applied. */
typedef struct
{
  RapportServerAccount *account;
  GPtrArray *items;          /* (element-type RapportPushItem) */
  gint64 now;
  GPtrArray *results;
  gint64 cursor;
  GError *error;
} RapportServerBatch;

RapportServerBatch *rapport_server_batch_new  (const RapportServerAccount *account,
                                               GPtrArray                  *items,
                                               gint64                      now);
void                rapport_server_batch_free (RapportServerBatch         *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportServerBatch, rapport_server_batch_free)

#define RAPPORT_TYPE_SERVER_STORE (rapport_server_store_get_type ())
G_DECLARE_INTERFACE (RapportServerStore, rapport_server_store, RAPPORT, SERVER_STORE, GObject)

struct _RapportServerStoreInterface
{
  GTypeInterface parent_iface;

  RapportServerStore *(*open_connection) (RapportServerStore *self, GError **error);
  const char *(*get_epoch)        (RapportServerStore *self);
  gboolean    (*renew_epoch)      (RapportServerStore *self, GError **error);

  GPtrArray  *(*list_accounts)    (RapportServerStore *self, GError **error);
  RapportServerAccount *(*find_account) (RapportServerStore *self, const char *id_or_name,
                                         GError **error);
  gboolean    (*add_account)      (RapportServerStore *self, RapportServerAccount *account,
                                   GError **error);
  gboolean    (*update_account)   (RapportServerStore *self, const RapportServerAccount *account,
                                   gboolean revoke_tokens, GError **error);

  gboolean    (*add_token)        (RapportServerStore *self, const char *token_hash,
                                   const char *account_id, gint64 now, gint64 expires_at,
                                   GError **error);
  RapportServerAccount *(*check_token) (RapportServerStore *self, const char *token_hash,
                                        gint64 now, gint64 idle_seconds, gint64 *expires_at,
                                        GError **error);
  gboolean    (*revoke_token)     (RapportServerStore *self, const char *token_hash,
                                   GError **error);

  gboolean    (*note_login_failure) (RapportServerStore *self, const char *address, gint64 now,
                                     GError **error);
  guint       (*count_login_failures) (RapportServerStore *self, const char *address,
                                       gint64 since);

  void        (*apply_batches)    (RapportServerStore *self, GPtrArray *batches);
  gboolean    (*pull)             (RapportServerStore *self, const RapportServerAccount *account,
                                   gint64 after, guint limit, GString *changes, guint *n_changes,
                                   gint64 *cursor, gboolean *more, GError **error);
  GPtrArray  *(*backlog)          (RapportServerStore *self, const char *user_id, gint64 at,
                                   GError **error);
};

/* Another connection to the same store, for a worker thread: each
 * connection is used by one thread at a time. Its epoch is the epoch at the
 * time it was opened. */
RapportServerStore *rapport_server_store_open_connection (RapportServerStore *self,
                                                          GError            **error);

/* The store's random epoch id, made at init and renewed when the store is
 * found restored from a backup (or by `rapport-server new-epoch`). */
const char *rapport_server_store_get_epoch   (RapportServerStore *self);
gboolean    rapport_server_store_renew_epoch (RapportServerStore *self,
                                              GError            **error);

/* (element-type RapportServerAccount), by name. */
GPtrArray  *rapport_server_store_list_accounts (RapportServerStore *self,
                                                GError            **error);
/* RAPPORT_ERROR_NOT_FOUND when there is no such account. */
RapportServerAccount *rapport_server_store_find_account (RapportServerStore *self,
                                                         const char         *id_or_name,
                                                         GError            **error);
/* Adds an account (giving it an id when it has none) and its "user" record
 * to the change log; RAPPORT_ERROR_INVALID when the name is taken. */
gboolean    rapport_server_store_add_account (RapportServerStore   *self,
                                              RapportServerAccount *account,
                                              GError              **error);
/* Saves an account's role, names, department, disabled flag and password
 * hash; the user record changes go to the change log. */
gboolean    rapport_server_store_update_account (RapportServerStore         *self,
                                                 const RapportServerAccount *account,
                                                 gboolean                    revoke_tokens,
                                                 GError                    **error);

gboolean    rapport_server_store_add_token   (RapportServerStore *self,
                                              const char         *token_hash,
                                              const char         *account_id,
                                              gint64              now,
                                              gint64              expires_at,
                                              GError            **error);
/* The account of a token that is known, not expired (absolute or idle) and
 * whose account is enabled; %NULL without error otherwise. Marks it used. */
RapportServerAccount *rapport_server_store_check_token (RapportServerStore *self,
                                                        const char         *token_hash,
                                                        gint64              now,
                                                        gint64              idle_seconds,
                                                        gint64             *expires_at,
                                                        GError            **error);
gboolean    rapport_server_store_revoke_token (RapportServerStore *self,
                                               const char         *token_hash,
                                               GError            **error);

gboolean    rapport_server_store_note_login_failure (RapportServerStore *self,
                                                     const char         *address,
                                                     gint64              now,
                                                     GError            **error);
guint       rapport_server_store_count_login_failures (RapportServerStore *self,
                                                       const char         *address,
                                                       gint64              since);

/* Applies pushes (element-type RapportServerBatch) in one transaction,
 * each as rapport_server_store_apply_batch() would; when one fails, the
 * others are applied without it. Fills in each batch's results or error. */
void        rapport_server_store_apply_batches (RapportServerStore *self,
                                                GPtrArray          *batches);
/* Applies a push in one transaction: per change, idempotent by change id,
 * refused when too far ahead of @now or not allowed to @account, else merged
 * by the merge rule. @cursor gets the last sequence after the batch.
 * Returns (element-type RapportPushResult) one result per item, in order. */
GPtrArray  *rapport_server_store_apply_batch (RapportServerStore         *self,
                                              const RapportServerAccount *account,
                                              GPtrArray                  *items,
                                              gint64                      now,
                                              gint64                     *cursor,
                                              GError                    **error);
/* Applied changes after @after that @account may see, at most @limit
 * examined, appended to @changes as JSON objects separated by commas (the
 * wire form of PROTOCOL.md, with seq and author); @n_changes gets their
 * number. */
gboolean    rapport_server_store_pull        (RapportServerStore         *self,
                                              const RapportServerAccount *account,
                                              gint64                      after,
                                              guint                       limit,
                                              GString                    *changes,
                                              guint                      *n_changes,
                                              gint64                     *cursor,
                                              gboolean                   *more,
                                              GError                    **error);
/* (element-type RapportBacklogRow) */
GPtrArray  *rapport_server_store_backlog     (RapportServerStore *self,
                                              const char         *user_id,
                                              gint64              at,
                                              GError            **error);

G_END_DECLS
