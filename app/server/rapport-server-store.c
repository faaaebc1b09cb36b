/* rapport-server-store.c: the server's storage, one interface for every backend */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include "rapport-server-store.h"

G_DEFINE_INTERFACE (RapportServerStore, rapport_server_store, G_TYPE_OBJECT)

static void
rapport_server_store_default_init (RapportServerStoreInterface *iface)
{
}

RapportServerAccount *
rapport_server_account_new (void)
{
  RapportServerAccount *account = g_new0 (RapportServerAccount, 1);

  account->role = g_strdup ("staff");
  return account;
}

RapportServerAccount *
rapport_server_account_copy (const RapportServerAccount *account)
{
  RapportServerAccount *copy = g_new0 (RapportServerAccount, 1);

  copy->id = g_strdup (account->id);
  copy->name = g_strdup (account->name);
  copy->display_name = g_strdup (account->display_name);
  copy->department = g_strdup (account->department);
  copy->role = g_strdup (account->role);
  copy->disabled = account->disabled;
  copy->password_hash = g_strdup (account->password_hash);
  copy->created_at = account->created_at;
  return copy;
}

void
rapport_server_account_free (RapportServerAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->id);
  g_free (account->name);
  g_free (account->display_name);
  g_free (account->department);
  g_free (account->role);
  g_free (account->password_hash);
  g_free (account);
}

RapportServerActor
rapport_server_account_actor (const RapportServerAccount *account)
{
  RapportServerActor actor = { account->id, account->role };
  return actor;
}

void
rapport_push_result_free (RapportPushResult *result)
{
  if (result == NULL)
    return;
  g_free (result->id);
  g_free (result->reason);
  g_strfreev (result->lost);
  g_free (result);
}

const char *
rapport_push_status_to_string (RapportPushStatus status)
{
  switch (status)
    {
    case RAPPORT_PUSH_APPLIED:
      return "applied";
    case RAPPORT_PUSH_SUPERSEDED:
      return "superseded";
    case RAPPORT_PUSH_REFUSED:
    default:
      return "refused";
    }
}

RapportServerStore *
rapport_server_store_open_connection (RapportServerStore *self, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), NULL);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->open_connection (self, error);
}

const char *
rapport_server_store_get_epoch (RapportServerStore *self)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), NULL);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->get_epoch (self);
}

gboolean
rapport_server_store_renew_epoch (RapportServerStore *self, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), FALSE);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->renew_epoch (self, error);
}

GPtrArray *
rapport_server_store_list_accounts (RapportServerStore *self, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), NULL);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->list_accounts (self, error);
}

RapportServerAccount *
rapport_server_store_find_account (RapportServerStore *self, const char *id_or_name, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->find_account (self, id_or_name, error);
}

gboolean
rapport_server_store_add_account (RapportServerStore *self, RapportServerAccount *account,
                                  GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (account != NULL && account->name != NULL, FALSE);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->add_account (self, account, error);
}

gboolean
rapport_server_store_update_account (RapportServerStore *self, const RapportServerAccount *account,
                                     gboolean revoke_tokens, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (account != NULL && account->id != NULL, FALSE);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->update_account (self, account, revoke_tokens, error);
}

gboolean
rapport_server_store_add_token (RapportServerStore *self, const char *token_hash,
                                const char *account_id, gint64 now, gint64 expires_at,
                                GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), FALSE);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->add_token (self, token_hash, account_id, now,
                                                           expires_at, error);
}

RapportServerAccount *
rapport_server_store_check_token (RapportServerStore *self, const char *token_hash, gint64 now,
                                  gint64 idle_seconds, gint64 *expires_at, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), NULL);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->check_token (self, token_hash, now, idle_seconds,
                                                             expires_at, error);
}

gboolean
rapport_server_store_revoke_token (RapportServerStore *self, const char *token_hash, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), FALSE);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->revoke_token (self, token_hash, error);
}

gboolean
rapport_server_store_note_login_failure (RapportServerStore *self, const char *address, gint64 now,
                                         GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), FALSE);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->note_login_failure (self, address, now, error);
}

guint
rapport_server_store_count_login_failures (RapportServerStore *self, const char *address,
                                           gint64 since)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), 0);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->count_login_failures (self, address, since);
}

RapportServerBatch *
rapport_server_batch_new (const RapportServerAccount *account, GPtrArray *items, gint64 now)
{
  RapportServerBatch *batch = g_new0 (RapportServerBatch, 1);

  batch->account = rapport_server_account_copy (account);
  batch->items = g_ptr_array_ref (items);
  batch->now = now;
  return batch;
}

void
rapport_server_batch_free (RapportServerBatch *batch)
{
  if (batch == NULL)
    return;
  rapport_server_account_free (batch->account);
  g_ptr_array_unref (batch->items);
  g_clear_pointer (&batch->results, g_ptr_array_unref);
  g_clear_error (&batch->error);
  g_free (batch);
}

void
rapport_server_store_apply_batches (RapportServerStore *self, GPtrArray *batches)
{
  g_return_if_fail (RAPPORT_IS_SERVER_STORE (self));
  g_return_if_fail (batches != NULL);
  RAPPORT_SERVER_STORE_GET_IFACE (self)->apply_batches (self, batches);
}

GPtrArray *
rapport_server_store_apply_batch (RapportServerStore *self, const RapportServerAccount *account,
                                  GPtrArray *items, gint64 now, gint64 *cursor, GError **error)
{
  g_autoptr (RapportServerBatch) batch = NULL;
  g_autoptr (GPtrArray) batches = g_ptr_array_new ();

  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), NULL);
  g_return_val_if_fail (account != NULL && items != NULL, NULL);

  batch = rapport_server_batch_new (account, items, now);
  g_ptr_array_add (batches, batch);
  RAPPORT_SERVER_STORE_GET_IFACE (self)->apply_batches (self, batches);
  if (batch->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&batch->error));
      return NULL;
    }
  if (cursor)
    *cursor = batch->cursor;
  return g_steal_pointer (&batch->results);
}

gboolean
rapport_server_store_pull (RapportServerStore *self, const RapportServerAccount *account,
                           gint64 after, guint limit, GString *changes, guint *n_changes,
                           gint64 *cursor, gboolean *more, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (account != NULL && changes != NULL, FALSE);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->pull (self, account, after, limit, changes, n_changes,
                                                      cursor, more, error);
}

GPtrArray *
rapport_server_store_backlog (RapportServerStore *self, const char *user_id, gint64 at,
                              GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (self), NULL);
  return RAPPORT_SERVER_STORE_GET_IFACE (self)->backlog (self, user_id, at, error);
}
