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
#include "rapport-store-private.h"

/* Reads the copy at @path on a connection of its own, read-only: it must
 * pass SQLite's quick check and be a Rapport store. */
static gboolean
check_copy (const char *path, const char *name, RapportBackupInfo *info, GError **error)
{
  static const char *const counts[] = {
    "SELECT count(*) FROM contacts WHERE deleted = 0",
    "SELECT count(*) FROM interactions",
  };
  gint64 values[G_N_ELEMENTS (counts)] = { 0 };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  ok = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
       && sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) == SQLITE_OK
       && sqlite3_step (stmt) == SQLITE_ROW
       && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  for (guint i = 0; ok && i < G_N_ELEMENTS (counts); i++)
    {
      stmt = NULL;
      ok = sqlite3_prepare_v2 (db, counts[i], -1, &stmt, NULL) == SQLITE_OK
           && sqlite3_step (stmt) == SQLITE_ROW;
      if (ok)
        values[i] = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  if (!ok)
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO,
                 _("The backup written to %s does not read back as it should (%s); it was "
                   "removed. Check the disk and try again"), name, db ? sqlite3_errmsg (db) : "");
  sqlite3_close (db);
  if (ok && info != NULL)
    {
      info->contacts = values[0];
      info->interactions = values[1];
    }
  return ok;
}

/* Writes what the copy holds to the disk before it gets its name. */
static gboolean
sync_file (const char *path, const char *name, gint64 *bytes, GError **error)
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
  *bytes = st.st_size;
  close (fd);
  return TRUE;
}

static gboolean
refuse_existing (const char *path, GError **error)
{
  g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
               _("%s already exists; a backup never replaces a file. Choose a new name"), path);
  return FALSE;
}

/* Copies the store at @source to @partial on a read-only connection of its
 * own: one read transaction, so writers (the app's own connection among
 * them) go on meanwhile, and the caller's connection is not used. */
static gboolean
vacuum_into (const char *source, const char *partial, const char *name, GError **error)
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
      sqlite3_bind_text (stmt, 1, partial, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
  if (rc != SQLITE_OK)
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
 * The copy is a store like any other: open it with --db, or put it in the
 * store's place while Rapport is closed. Only @self's file is used, on a
 * connection of the backup's own, so this may run in any thread.
 */
gboolean
rapport_store_backup (RapportStore *self, const char *path, RapportBackupInfo *info, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *partial = NULL;
  RapportBackupInfo found = { 0 };

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
  if (!vacuum_into (rapport_store_get_path (self), partial, path, error)
      || !check_copy (partial, path, &found, error) || !sync_file (partial, path, &found.bytes, error))
    {
      g_unlink (partial);
      return FALSE;
    }
  /* A link takes the name only if it is free; where the file system has
   * no links (a USB stick's FAT), a rename after looking again. */
  if (link (partial, path) == 0)
    g_unlink (partial);
  else if (errno == EEXIST || g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_unlink (partial);
      return refuse_existing (path, error);
    }
  else if (g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), path,
                   g_strerror (saved));
      g_unlink (partial);
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
