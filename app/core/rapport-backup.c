/* rapport-backup.c: a consistent copy of a store, made while it is in use */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rapport-backup.h"
#include "rapport-backup-private.h"
#include "rapport-store-private.h"

gboolean
rapport_backup_count (sqlite3 *db, gint64 *contacts, gint64 *interactions)
{
  static const char *const counts[] = {
    "SELECT count(*) FROM contacts WHERE deleted = 0",
    "SELECT count(*) FROM interactions",
  };
  gint64 *values[G_N_ELEMENTS (counts)] = { contacts, interactions };
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < G_N_ELEMENTS (counts); i++)
    {
      sqlite3_stmt *stmt = NULL;

      ok = sqlite3_prepare_v2 (db, counts[i], -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW;
      if (ok)
        *values[i] = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  return ok;
}

/* Reads the copy at @path on a connection of its own, read-only: it must
 * pass SQLite's quick check and be a Rapport store. */
static gboolean
check_copy (const char *path, const char *name, RapportBackupInfo *info, GError **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  ok = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
       && sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) == SQLITE_OK
       && sqlite3_step (stmt) == SQLITE_ROW
       && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  ok = ok && rapport_backup_count (db, &info->contacts, &info->interactions);
  if (!ok)
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO,
                 _("The backup written to %s does not read back as it should (%s); it was "
                   "removed. Check the disk and try again"), name, db ? sqlite3_errmsg (db) : "");
  sqlite3_close (db);
  return ok;
}

/* Writes what a copy holds to the disk before it gets its name. */
gboolean
rapport_backup_sync_file (const char *path, const char *name, gint64 *bytes, GError **error)
{
  int fd = g_open (path, O_RDONLY, 0);
  GStatBuf st;

  if (fd < 0 || fstat (fd, &st) != 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), name,
                   g_strerror (saved));
      return FALSE;
    }
  if (bytes != NULL)
    *bytes = st.st_size;
  close (fd);
  return TRUE;
}

/* A link takes the name only if it is free; where the file system has no
 * links (a USB stick's FAT), a rename after looking again. */
int
rapport_backup_take_name (const char *from, const char *to)
{
  if (link (from, to) == 0)
    {
      g_unlink (from);
      return 0;
    }
  if (errno == EEXIST || g_file_test (to, G_FILE_TEST_EXISTS))
    return EEXIST;
  return g_rename (from, to) == 0 ? 0 : errno;
}

static gboolean
refuse_existing (const char *path, GError **error)
{
  g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
               _("%s already exists; a backup never replaces a file. Choose a new name"), path);
  return FALSE;
}

/* One read transaction on a connection of the copy's own, so writers (the
 * app's own connection among them) go on meanwhile, and no caller's
 * connection is used. VACUUM reads every row of every table, so it also
 * finds a damaged store. */
gboolean
rapport_backup_vacuum_into (const char *source, const char *target, const char *name, GError **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_open_v2 (source, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_busy_timeout (db, 5000);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "VACUUM INTO ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode (db);
    }
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_CORRUPT, _("%s is damaged (%s)"), source,
                 sqlite3_errmsg (db));
  else if (rc != SQLITE_OK)
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), name,
                 db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rc == SQLITE_OK;
}

/**
 * rapport_store_backup:
 * @path: the file to write, which must not exist yet
 * @info: (out) (optional): what the backup holds
 *
 * Writes a copy of the store to @path: one snapshot, consistent even while
 * other programs (the app, a sync) write to the store, compacted (SQLite's
 * VACUUM INTO). The copy is written under a temporary name next to @path,
 * read back, synced to the disk and only then given @path, so @path is
 * either a whole backup or not there. An existing file is never replaced.
 * The copy is a store like any other: open it with --db, or restore it
 * (rapport_store_restore_backup()). Only @self's file is used, on a
 * connection of the backup's own, so this may run in any thread.
 */
gboolean
rapport_store_backup (RapportStore *self, const char *path, RapportBackupInfo *info, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *partial = NULL;
  RapportBackupInfo found = { 0 };
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return refuse_existing (path, error);
  dir = g_path_get_dirname (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("The folder %s does not exist; create it or choose another place"), dir);
      return FALSE;
    }

  /* A copy left by a backup that was stopped. */
  partial = g_strconcat (path, ".partial", NULL);
  g_unlink (partial);
  if (!rapport_backup_vacuum_into (rapport_store_get_path (self), partial, path, error)
      || !check_copy (partial, path, &found, error)
      || !rapport_backup_sync_file (partial, path, &found.bytes, error))
    {
      g_unlink (partial);
      return FALSE;
    }
  rc = rapport_backup_take_name (partial, path);
  if (rc != 0)
    {
      g_unlink (partial);
      if (rc == EEXIST)
        return refuse_existing (path, error);
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), path, g_strerror (rc));
      return FALSE;
    }
  if (info != NULL)
    *info = found;
  return TRUE;
}

static void
backup_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  RapportBackupInfo *info = g_new0 (RapportBackupInfo, 1);

  if (!rapport_store_backup (source, task_data, info, &error))
    {
      g_free (info);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, info, g_free);
}

void
rapport_store_backup_async (RapportStore *self, const char *path, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (RAPPORT_IS_STORE (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rapport_store_backup_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, backup_thread);
}

gboolean
rapport_store_backup_finish (RapportStore *self, GAsyncResult *result, RapportBackupInfo *info,
                             GError **error)
{
  g_autofree RapportBackupInfo *found = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return FALSE;
  if (info != NULL)
    *info = *found;
  return TRUE;
}
