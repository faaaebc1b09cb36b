/* rapport-server-sqlite-private.h: internals shared by the SQLite server store files */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-server-sqlite.h"
#include "rapport-store-private.h"

G_BEGIN_DECLS

struct _RapportServerSqlite
{
  GObject parent_instance;

  RapportStore *records;   /* the core store: records as merged, and our srv_* tables */
  char *data_dir;
  char *epoch;
  gboolean is_new;
  gboolean erased_in_transaction;
  char *newest_stamp;      /* of the changes applied in the open transaction */
};

/* Accounts and sessions (rapport-server-sqlite-accounts.c). */
void       rapport_server_sqlite_accounts_iface_init (RapportServerStoreInterface *iface);

/* Sync (rapport-server-sqlite-sync.c). */
void       rapport_server_sqlite_apply_batches (RapportServerStore *store,
                                                GPtrArray          *batches);
/* The process-wide turn of writers (see rapport-server-sqlite-sync.c). */
void       rapport_server_sqlite_lock_writes     (void);
gboolean   rapport_server_sqlite_try_lock_writes (void);
void       rapport_server_sqlite_unlock_writes   (void);
gboolean   rapport_server_sqlite_pull        (RapportServerStore         *store,
                                              const RapportServerAccount *account,
                                              gint64                      after,
                                              guint                       limit,
                                              GString                    *changes,
                                              guint                      *n_changes,
                                              gint64                     *cursor,
                                              gboolean                   *more,
                                              GError                    **error);
GPtrArray *rapport_server_sqlite_backlog     (RapportServerStore         *store,
                                              const char                 *user_id,
                                              gint64                      at,
                                              GError                    **error);

/* Writes a change the server makes itself (a user record, a resend) through
 * the merge rule and into the change log. Inside a transaction. */
gboolean   rapport_server_sqlite_log_server_change (RapportServerSqlite *self,
                                                    const char          *entity,
                                                    const char          *record_id,
                                                    const char          *stamp,
                                                    JsonObject          *fields,
                                                    const char          *audience,
                                                    gboolean             merge,
                                                    GError             **error);
gint64     rapport_server_sqlite_last_seq   (RapportServerSqlite *self);
gboolean   rapport_server_sqlite_is_logged  (RapportServerSqlite *self,
                                             const char          *change_id);

/* Erasure (rapport-server-sqlite-erase.c). */
gboolean   rapport_server_sqlite_is_erased     (RapportServerSqlite      *self,
                                                const char               *entity,
                                                const char               *record_id);
char      *rapport_server_sqlite_erased_reason (RapportServerSqlite      *self,
                                                RapportChange            *change);
gboolean   rapport_server_sqlite_erase         (RapportServerSqlite      *self,
                                                const RapportServerActor *actor,
                                                const RapportPushItem    *item,
                                                gint64                    now,
                                                gboolean                 *applied,
                                                char                    **reason,
                                                GError                  **error);
void       rapport_server_sqlite_after_erasure (RapportServerSqlite      *self);
void       rapport_server_sqlite_write_watermark (RapportServerSqlite *self);

G_END_DECLS
