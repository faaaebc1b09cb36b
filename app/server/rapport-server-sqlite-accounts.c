/* rapport-server-sqlite-accounts.c: accounts, sessions and sign-in failures of the SQLite server store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-server-config.h"
#include "rapport-server-sqlite-private.h"

#define ACCOUNT_COLUMNS "id, name, display_name, department, role, disabled, password_hash, created_at"
#define ACCOUNT_COLUMNS_A "a.id, a.name, a.display_name, a.department, a.role, a.disabled, " \
                          "a.password_hash, a.created_at"

static RapportServerAccount *
account_from_row (sqlite3_stmt *stmt, int first)
{
  RapportServerAccount *account = g_new0 (RapportServerAccount, 1);

  account->id = g_strdup ((const char *) sqlite3_column_text (stmt, first));
  account->name = g_strdup ((const char *) sqlite3_column_text (stmt, first + 1));
  account->display_name = g_strdup ((const char *) sqlite3_column_text (stmt, first + 2));
  account->department = g_strdup ((const char *) sqlite3_column_text (stmt, first + 3));
  account->role = g_strdup ((const char *) sqlite3_column_text (stmt, first + 4));
  account->disabled = sqlite3_column_int (stmt, first + 5) != 0;
  account->password_hash = g_strdup ((const char *) sqlite3_column_text (stmt, first + 6));
  account->created_at = sqlite3_column_int64 (stmt, first + 7);
  return account;
}

static GPtrArray *
sqlite_list_accounts (RapportServerStore *store, GError **error)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  g_autoptr (GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_server_account_free);
  sqlite3_stmt *stmt = rapport_store_prepare (self->records,
                                              "SELECT " ACCOUNT_COLUMNS " FROM srv_accounts ORDER BY name",
                                              error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self->records, error, "list the accounts");
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

static RapportServerAccount *
sqlite_find_account (RapportServerStore *store, const char *id_or_name, GError **error)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  sqlite3_stmt *stmt = rapport_store_prepare (
      self->records, "SELECT " ACCOUNT_COLUMNS " FROM srv_accounts WHERE id = ?1 OR name = ?1 "
                     "ORDER BY id = ?1 DESC LIMIT 1", error);
  RapportServerAccount *account = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id_or_name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    account = account_from_row (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self->records, error, "read the accounts");
      return NULL;
    }
  if (account == NULL)
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND,
                 _("There is no user “%s”; “rapport-server user list” shows them"), id_or_name);
  return account;
}

/* The user record of @account as fields, for the change log. */
static JsonObject *
account_fields (const RapportServerAccount *account, const RapportServerAccount *old)
{
  JsonObject *fields = json_object_new ();

#define PUT_STRING(name)                                                        \
  if (old == NULL || g_strcmp0 (old->name, account->name) != 0)                 \
    {                                                                           \
      if (account->name != NULL)                                                \
        json_object_set_string_member (fields, #name, account->name);          \
      else                                                                      \
        json_object_set_null_member (fields, #name);                           \
    }
  PUT_STRING (name);
  PUT_STRING (display_name);
  PUT_STRING (department);
  PUT_STRING (role);
#undef PUT_STRING
  if (old == NULL || old->disabled != account->disabled)
    json_object_set_boolean_member (fields, "disabled", account->disabled);
  if (old == NULL)
    json_object_set_int_member (fields, "created_at", account->created_at);
  return fields;
}

static gboolean
emit_user_change (RapportServerSqlite *self, const RapportServerAccount *account,
                  const RapportServerAccount *old, GError **error)
{
  g_autoptr (JsonObject) fields = account_fields (account, old);
  g_autofree char *stamp = NULL;

  if (json_object_get_size (fields) == 0)
    return TRUE;
  stamp = rapport_store_next_stamp (self->records);
  return rapport_server_sqlite_log_server_change (self, "user", account->id, stamp, fields, NULL,
                                                  TRUE, error);
}

static gboolean
sqlite_add_account (RapportServerStore *store, RapportServerAccount *account, GError **error)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  sqlite3_stmt *stmt;
  int rc;

  if (account->id == NULL)
    account->id = g_uuid_string_random ();
  if (account->created_at == 0)
    account->created_at = rapport_server_now ();
  if (!rapport_store_begin (self->records, error))
    return FALSE;
  stmt = rapport_store_prepare (self->records,
                                "INSERT INTO srv_accounts (" ACCOUNT_COLUMNS ") "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, account->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, account->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, account->display_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, account->department, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, account->role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, account->disabled);
  sqlite3_bind_text (stmt, 7, account->password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, account->created_at);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("There is already a user “%s”; choose another name"), account->name);
      goto fail;
    }
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self->records, error, "add the account");
      goto fail;
    }
  if (!emit_user_change (self, account, NULL, error))
    goto fail;
  if (!rapport_store_commit (self->records, error))
    return FALSE;
  rapport_server_sqlite_write_watermark (self);
  return TRUE;

fail:
  rapport_store_rollback (self->records);
  return FALSE;
}

static gboolean
exec_with_id (RapportServerSqlite *self, const char *sql, const char *id, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self->records, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->records, error, "update the accounts");
  return TRUE;
}

static gboolean
sqlite_update_account (RapportServerStore *store, const RapportServerAccount *account,
                       gboolean revoke_tokens, GError **error)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  g_autoptr (RapportServerAccount) old = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!rapport_store_begin (self->records, error))
    return FALSE;
  old = sqlite_find_account (store, account->id, error);
  if (old == NULL)
    goto fail;
  stmt = rapport_store_prepare (self->records,
                                "UPDATE srv_accounts SET display_name = ?, department = ?, role = ?, "
                                "disabled = ?, password_hash = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, account->display_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, account->department, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, account->role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, account->disabled);
  sqlite3_bind_text (stmt, 5, account->password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, account->id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self->records, error, "update the account");
      goto fail;
    }
  if ((revoke_tokens || account->disabled)
      && !exec_with_id (self, "DELETE FROM srv_tokens WHERE account_id = ?", account->id, error))
    goto fail;
  {
    /* The login name never changes; the record keeps the stored one. */
    g_autoptr (RapportServerAccount) renamed = rapport_server_account_copy (account);
    g_free (renamed->name);
    renamed->name = g_strdup (old->name);
    if (!emit_user_change (self, renamed, old, error))
      goto fail;
  }
  if (!rapport_store_commit (self->records, error))
    return FALSE;
  rapport_server_sqlite_write_watermark (self);
  return TRUE;

fail:
  rapport_store_rollback (self->records);
  return FALSE;
}

static gboolean
sqlite_add_token_locked (RapportServerStore *store, const char *token_hash, const char *account_id,
                  gint64 now, gint64 expires_at, GError **error)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  sqlite3_stmt *stmt = rapport_store_prepare (
      self->records, "INSERT INTO srv_tokens (hash, account_id, created_at, used_at, expires_at) "
                     "VALUES (?, ?, ?, ?, ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, account_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, expires_at);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->records, error, "save the session");
  return TRUE;
}

/* Writes take the process-wide turn (rapport-server-sqlite-sync.c). */
static gboolean
sqlite_add_token (RapportServerStore *store, const char *token_hash, const char *account_id,
                  gint64 now, gint64 expires_at, GError **error)
{
  gboolean ok;

  rapport_server_sqlite_lock_writes ();
  ok = sqlite_add_token_locked (store, token_hash, account_id, now, expires_at, error);
  rapport_server_sqlite_unlock_writes ();
  return ok;
}

static RapportServerAccount *
sqlite_check_token (RapportServerStore *store, const char *token_hash, gint64 now,
                    gint64 idle_seconds, gint64 *expires_at, GError **error)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  g_autoptr (RapportServerAccount) account = NULL;
  sqlite3_stmt *stmt = rapport_store_prepare (
      self->records, "SELECT t.used_at, t.expires_at, " ACCOUNT_COLUMNS_A " FROM srv_tokens t "
                     "JOIN srv_accounts a ON a.id = t.account_id WHERE t.hash = ?", error);
  gint64 used_at = 0, expires = 0;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      used_at = sqlite3_column_int64 (stmt, 0);
      expires = sqlite3_column_int64 (stmt, 1);
      account = account_from_row (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self->records, error, "read the sessions");
      return NULL;
    }
  if (account == NULL)
    return NULL;
  if (account->disabled || now >= expires || now - used_at > idle_seconds)
    {
      rapport_server_sqlite_lock_writes ();
      exec_with_id (self, "DELETE FROM srv_tokens WHERE hash = ?", token_hash, NULL);
      rapport_server_sqlite_unlock_writes ();
      return NULL;
    }
  /* Marking use costs a write: done when it moves the idle expiry noticeably,
   * and not while a push holds the writers' turn (the next request marks
   * it: a pull never waits for a push). */
  if (now - used_at >= MIN (60, MAX (1, idle_seconds / 4)) && rapport_server_sqlite_try_lock_writes ())
    {
      stmt = rapport_store_prepare (self->records, "UPDATE srv_tokens SET used_at = ? WHERE hash = ?", NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, now);
          sqlite3_bind_text (stmt, 2, token_hash, -1, SQLITE_TRANSIENT);
          sqlite3_step (stmt);
          sqlite3_reset (stmt);
        }
      rapport_server_sqlite_unlock_writes ();
    }
  if (expires_at)
    *expires_at = expires;
  return g_steal_pointer (&account);
}

static gboolean
sqlite_revoke_token_locked (RapportServerStore *store, const char *token_hash, GError **error)
{
  return exec_with_id (RAPPORT_SERVER_SQLITE (store), "DELETE FROM srv_tokens WHERE hash = ?",
                       token_hash, error);
}

static gboolean
sqlite_note_login_failure_locked (RapportServerStore *store, const char *address, gint64 now, GError **error)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  sqlite3_stmt *stmt;
  int rc;

  stmt = rapport_store_prepare (self->records, "DELETE FROM srv_login_failures WHERE at < ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now - 3600);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  stmt = rapport_store_prepare (self->records,
                                "INSERT INTO srv_login_failures (address, at) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->records, error, "note a failed sign-in");
  return TRUE;
}

static gboolean
sqlite_revoke_token (RapportServerStore *store, const char *token_hash, GError **error)
{
  gboolean ok;

  rapport_server_sqlite_lock_writes ();
  ok = sqlite_revoke_token_locked (store, token_hash, error);
  rapport_server_sqlite_unlock_writes ();
  return ok;
}

static gboolean
sqlite_note_login_failure (RapportServerStore *store, const char *address, gint64 now, GError **error)
{
  gboolean ok;

  rapport_server_sqlite_lock_writes ();
  ok = sqlite_note_login_failure_locked (store, address, now, error);
  rapport_server_sqlite_unlock_writes ();
  return ok;
}

static guint
sqlite_count_login_failures (RapportServerStore *store, const char *address, gint64 since)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  sqlite3_stmt *stmt = rapport_store_prepare (
      self->records, "SELECT count(*) FROM srv_login_failures WHERE address = ? AND at > ?", NULL);
  guint count = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, since);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

void
rapport_server_sqlite_accounts_iface_init (RapportServerStoreInterface *iface)
{
  iface->list_accounts = sqlite_list_accounts;
  iface->find_account = sqlite_find_account;
  iface->add_account = sqlite_add_account;
  iface->update_account = sqlite_update_account;
  iface->add_token = sqlite_add_token;
  iface->check_token = sqlite_check_token;
  iface->revoke_token = sqlite_revoke_token;
  iface->note_login_failure = sqlite_note_login_failure;
  iface->count_login_failures = sqlite_count_login_failures;
}
