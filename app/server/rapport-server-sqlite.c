/* rapport-server-sqlite.c: the server store in one SQLite file */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rapport-server-config.h"
#include "rapport-server-sqlite-private.h"

/* One file, DATA_DIR/server.db: a core Rapport store (its migrations make
 * the record tables the merge rule and the backlog read), plus the server's
 * own tables, prefixed srv_, versioned by srv_meta.schema. Keeping both in
 * one file makes a push one SQLite transaction: records, change log and
 * sequence commit together or not at all. */
static const char *const server_schema[] = {
  /* 1 */
  "CREATE TABLE srv_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
  "CREATE TABLE srv_accounts ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  display_name TEXT, department TEXT, role TEXT NOT NULL,"
  "  disabled INTEGER NOT NULL DEFAULT 0, password_hash TEXT, created_at INTEGER NOT NULL);"
  "CREATE TABLE srv_tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  account_id TEXT NOT NULL REFERENCES srv_accounts (id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL, used_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)"
  "  WITHOUT ROWID;"
  "CREATE INDEX srv_tokens_by_account ON srv_tokens (account_id);"
  /* The change log. seq is assigned inside the write transaction, so a
   * change committed later always has a higher seq than every change
   * committed before it. fields holds what won the merge ('{}' when
   * nothing did); audience is NULL (whoever may see the record now), '*'
   * (everyone) or one user id. */
  "CREATE TABLE srv_changes ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, change_id TEXT NOT NULL UNIQUE,"
  "  entity TEXT NOT NULL, record_id TEXT NOT NULL, stamp TEXT NOT NULL,"
  "  fields TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, lost TEXT,"
  "  account_id TEXT, received_at INTEGER NOT NULL, audience TEXT);"
  "CREATE TABLE srv_login_failures (address TEXT NOT NULL, at INTEGER NOT NULL);"
  "CREATE INDEX srv_login_failures_by_address ON srv_login_failures (address, at);",
  /* 2: erasure (GDPR). erased marks the change-log entry of an erasure;
   * srv_erased remembers each erased record (no personal data) so that
   * later changes to it are refused. */
  "ALTER TABLE srv_changes ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE srv_erased ("
  "  entity TEXT NOT NULL, record_id TEXT NOT NULL, contact_id TEXT NOT NULL,"
  "  erased_at INTEGER NOT NULL, PRIMARY KEY (entity, record_id)) WITHOUT ROWID;",
};

static void rapport_server_sqlite_iface_init (RapportServerStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RapportServerSqlite, rapport_server_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RAPPORT_TYPE_SERVER_STORE,
                                                      rapport_server_sqlite_iface_init))

static gint64
server_now (gpointer user_data)
{
  return rapport_server_now ();
}

static char *
meta_get (RapportServerSqlite *self, const char *key)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self->records, "SELECT value FROM srv_meta WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static gboolean
meta_set (RapportServerSqlite *self, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      self->records, "INSERT INTO srv_meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->records, error, "save the server settings");
  return TRUE;
}

static int
schema_version (RapportServerSqlite *self)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *version = NULL;
  gboolean exists;

  if (sqlite3_prepare_v2 (rapport_store_get_db (self->records),
                          "SELECT 1 FROM sqlite_schema WHERE name = 'srv_meta'", -1, &stmt, NULL)
      != SQLITE_OK)
    return -1;
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  if (!exists)
    return 0;
  version = meta_get (self, "schema");
  return version ? atoi (version) : 0;
}

static gboolean
migrate (RapportServerSqlite *self, GError **error)
{
  int version = schema_version (self);
  int latest = G_N_ELEMENTS (server_schema);

  if (version < 0)
    return rapport_store_set_sqlite_error (self->records, error, "read the server store");
  if (version > latest)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_TOO_NEW,
                   _("The server store was written by a newer rapport-server (schema %d, this one "
                     "knows up to %d); update rapport-server"), version, latest);
      return FALSE;
    }
  for (int v = version + 1; v <= latest; v++)
    {
      g_autofree char *number = g_strdup_printf ("%d", v);

      if (!rapport_store_begin (self->records, error))
        return FALSE;
      if (!rapport_store_exec (self->records, server_schema[v - 1], error)
          || !meta_set (self, "schema", number, error))
        {
          rapport_store_rollback (self->records);
          return FALSE;
        }
      if (!rapport_store_commit (self->records, error))
        return FALSE;
    }
  return TRUE;
}

static void
rapport_server_sqlite_finalize (GObject *object)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (object);

  g_clear_object (&self->records);
  g_free (self->data_dir);
  g_free (self->epoch);
  g_free (self->newest_stamp);
  G_OBJECT_CLASS (rapport_server_sqlite_parent_class)->finalize (object);
}

static void
rapport_server_sqlite_class_init (RapportServerSqliteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rapport_server_sqlite_finalize;
}

static void
rapport_server_sqlite_init (RapportServerSqlite *self)
{
}

RapportServerSqlite *
rapport_server_sqlite_open (const char *data_dir, gboolean create, GError **error)
{
  g_autoptr (RapportServerSqlite) self = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  path = g_build_filename (data_dir, "server.db", NULL);
  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND,
                   _("There is no server store in %s. Create it with “rapport-server init "
                     "--data-dir %s”, or choose another folder with --data-dir"), data_dir, data_dir);
      return NULL;
    }
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not create the folder %s: %s"),
                   data_dir, g_strerror (errno));
      return NULL;
    }

  self = g_object_new (RAPPORT_TYPE_SERVER_SQLITE, NULL);
  self->data_dir = g_strdup (data_dir);
  self->records = rapport_store_open (path, error);
  if (self->records == NULL)
    return NULL;
  g_chmod (path, 0600);
  rapport_store_set_now_func (self->records, server_now, NULL);
  /* Nobody searches the server: its writes skip the full-text rows, tags
   * and duplicate keys (a third of a push's work). */
  rapport_store_set_search_data (self->records, FALSE);
  /* Deleted rows are overwritten, not left in free pages (erasures). */
  if (!rapport_store_exec (self->records, "PRAGMA secure_delete = ON", error))
    return NULL;
  if (!migrate (self, error))
    return NULL;
  /* A store written by an older server still holds them: stale copies of
   * names, emails and note text that nothing reads or keeps up to date. */
  if (!rapport_store_exec (self->records,
                           "DELETE FROM contacts_fts; DELETE FROM notes_fts; DELETE FROM interactions_fts;"
                           "DELETE FROM contact_tags; DELETE FROM contact_keys", error))
    return NULL;

  self->epoch = meta_get (self, "epoch");
  if (self->epoch == NULL)
    {
      if (!create)
        {
          g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_CORRUPT,
                       _("The server store in %s has no epoch id; run “rapport-server init "
                         "--data-dir %s”"), data_dir, data_dir);
          return NULL;
        }
      self->epoch = g_uuid_string_random ();
      if (!meta_set (self, "epoch", self->epoch, error))
        return NULL;
      self->is_new = TRUE;
      rapport_server_sqlite_write_watermark (self);
    }
  return g_steal_pointer (&self);
}

gboolean
rapport_server_sqlite_is_new (RapportServerSqlite *self)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_SQLITE (self), FALSE);
  return self->is_new;
}

gint64
rapport_server_sqlite_last_seq (RapportServerSqlite *self)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self->records, "SELECT coalesce(max(seq), 0) FROM srv_changes", NULL);
  gint64 seq = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return seq;
}

static char *
watermark_path (RapportServerSqlite *self)
{
  return g_build_filename (self->data_dir, "epoch-watermark", NULL);
}

/* "EPOCH SEQ": written after commits, not synced to disk: a watermark lost
 * in a crash is only lower than the store, which is never taken for a
 * restore. */
void
rapport_server_sqlite_write_watermark (RapportServerSqlite *self)
{
  g_autofree char *path = watermark_path (self);
  g_autofree char *text = g_strdup_printf ("%s %" G_GINT64_FORMAT "\n", self->epoch,
                                           rapport_server_sqlite_last_seq (self));

  /* No fsync (a torn or lost file reads as missing or lower): a push
   * pays for one fsync, SQLite's. */
  g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL);
}

gboolean
rapport_server_sqlite_check_restored (RapportServerSqlite *self, gboolean *renewed, GError **error)
{
  g_autofree char *path = watermark_path (self);
  g_autofree char *text = NULL;
  g_auto (GStrv) parts = NULL;
  gboolean restored;

  *renewed = FALSE;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      rapport_server_sqlite_write_watermark (self);
      return TRUE;
    }
  parts = g_strsplit (g_strstrip (text), " ", 2);
  if (g_strv_length (parts) != 2)
    {
      rapport_server_sqlite_write_watermark (self);
      return TRUE;
    }
  restored = g_strcmp0 (parts[0], self->epoch) != 0
             || g_ascii_strtoll (parts[1], NULL, 10) > rapport_server_sqlite_last_seq (self);
  if (restored)
    {
      if (!rapport_server_store_renew_epoch (RAPPORT_SERVER_STORE (self), error))
        return FALSE;
      *renewed = TRUE;
    }
  rapport_server_sqlite_write_watermark (self);
  return TRUE;
}

/* Interface --------------------------------------------------------------- */

/* Through the core store's own connection opener: opening the file again
 * by path would read its header with stdio, and closing that descriptor
 * drops this process's SQLite locks on the file. */
static RapportServerStore *
sqlite_open_connection (RapportServerStore *store, GError **error)
{
  RapportServerSqlite *main = RAPPORT_SERVER_SQLITE (store);
  g_autoptr (RapportServerSqlite) self = g_object_new (RAPPORT_TYPE_SERVER_SQLITE, NULL);

  self->records = rapport_store_open_connection (main->records, error);
  if (self->records == NULL)
    return NULL;
  rapport_store_set_now_func (self->records, server_now, NULL);
  rapport_store_set_search_data (self->records, FALSE);
  if (!rapport_store_exec (self->records, "PRAGMA secure_delete = ON", error))
    return NULL;
  self->data_dir = g_strdup (main->data_dir);
  self->epoch = g_strdup (main->epoch);
  return RAPPORT_SERVER_STORE (g_steal_pointer (&self));
}

static const char *
sqlite_get_epoch (RapportServerStore *store)
{
  return RAPPORT_SERVER_SQLITE (store)->epoch;
}

static gboolean
sqlite_renew_epoch (RapportServerStore *store, GError **error)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  g_autofree char *epoch = g_uuid_string_random ();

  if (!meta_set (self, "epoch", epoch, error))
    return FALSE;
  g_free (self->epoch);
  self->epoch = g_steal_pointer (&epoch);
  rapport_server_sqlite_write_watermark (self);
  return TRUE;
}

static void
rapport_server_sqlite_iface_init (RapportServerStoreInterface *iface)
{
  iface->open_connection = sqlite_open_connection;
  iface->get_epoch = sqlite_get_epoch;
  iface->renew_epoch = sqlite_renew_epoch;
  rapport_server_sqlite_accounts_iface_init (iface);
  iface->apply_batches = rapport_server_sqlite_apply_batches;
  iface->pull = rapport_server_sqlite_pull;
  iface->backlog = rapport_server_sqlite_backlog;
}
