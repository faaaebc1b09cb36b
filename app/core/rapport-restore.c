/* rapport-restore.c: putting a backup in the store's place, keeping the store as it was */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rapport-backup.h"
#include "rapport-backup-private.h"
#include "rapport-hlc.h"
#include "rapport-store-private.h"
#include "rapport-journal.h"

/* A restore, step by step:
 *  1. the backup is read on a read-only connection (it must be a Rapport
 *     store) and copied (VACUUM INTO, which reads all of it) next to the
 *     store, so the backup itself is never changed;
 *  2. the copy is opened as a store: upgraded if it comes from an older
 *     Rapport, refused if from a newer one;
 *  3. the store is locked for this connection alone (SQLite's exclusive
 *     locking mode): if Rapport or another program has it open, nothing is
 *     done. Under that lock the store is copied page by page to a file kept
 *     beside it, then the copy's pages replace the store's (SQLite's backup
 *     API, through the store's own journal), so the file keeps its name and
 *     a program opening it meanwhile waits and then reads the restored
 *     store. No descriptor of the store's file is opened or closed here
 *     while the lock is held: closing one would drop this process's locks.
 * A store SQLite cannot read at all (not a database any more) is kept by
 * renaming it, and the copy takes its name. */

static char *
query_text (sqlite3 *db, const char *sql, const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gint64
query_int (sqlite3 *db, const char *sql)
{
  g_autofree char *text = query_text (db, sql, NULL);

  return text ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static void
unlink_with_journal (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

/* Step 1: @backup, read-only, copied to @copy. VACUUM INTO reads every
 * row of the backup, so a damaged one is found there; the copy's indexes
 * are built again from its rows, and it is checked when opened. */
static gboolean
copy_backup (const char *backup, const char *copy, GError **error)
{
  g_autoptr (GError) local = NULL;
  sqlite3 *db = NULL;
  gint64 app_id = -1;
  gboolean rapport;

  if (sqlite3_open_v2 (backup, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
    app_id = query_int (db, "PRAGMA application_id");
  if (app_id < 0)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s cannot be read as a Rapport backup (%s); the store was left as it was"), backup,
                   db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return FALSE;
    }
  rapport = app_id == RAPPORT_APPLICATION_ID
            && query_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'") == 1;
  sqlite3_close (db);
  if (!rapport)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s is not a Rapport backup; the store was left as it was"), backup);
      return FALSE;
    }
  if (rapport_backup_vacuum_into (backup, copy, copy, &local))
    return TRUE;
  if (g_error_matches (local, RAPPORT_ERROR, RAPPORT_ERROR_CORRUPT))
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_CORRUPT,
                 _("%s; the store was left as it was. Choose another backup"), local->message);
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* Step 2: the copy opened as a store (upgraded, checked); what it holds. */
static gboolean
open_copy (const char *copy, const char *backup, RapportRestoreInfo *info, char **device_id, GError **error)
{
  g_autoptr (RapportStore) store = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *cursor = NULL;
  sqlite3 *db;

  store = rapport_store_open (copy, &local);
  if (store == NULL)
    {
      /* The copy's name means nothing to the reader: the backup's does. */
      g_autofree char *message = NULL;

      if (local->message != NULL && strstr (local->message, copy) != NULL)
        {
          g_auto (GStrv) parts = g_strsplit (local->message, copy, -1);

          message = g_strjoinv (backup, parts);
        }
      g_set_error (error, local->domain, local->code, _("%s; the store was left as it was"),
                   message ? message : local->message);
      return FALSE;
    }
  db = rapport_store_get_db (store);
  rapport_backup_count (db, &info->contacts, &info->interactions);
  /* Sync's cursor (rapport-sync-private.h): the store has synced. */
  cursor = rapport_store_get_state (store, "cursor");
  info->synced = cursor != NULL;
  *device_id = g_strdup (rapport_store_get_device_id (store));
  return TRUE;
}

/* "rapport before restore 2026-11-23 10.45.12.db", a name not taken yet. */
static char *
kept_name (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H.%M.%S");
  char *dot = strrchr (base, '.');
  const char *ext = "";

  if (dot != NULL && dot != base)
    {
      ext = path + strlen (path) - strlen (dot);
      *dot = '\0';
    }
  for (guint n = 1;; n++)
    {
      /* Translators: the file name of a store kept by a restore, e.g.
       * "rapport before restore 2026-11-23 10.45.12"; the extension follows */
      g_autofree char *name = n == 1 ? g_strdup_printf (_("%s before restore %s"), base, when)
                                     : g_strdup_printf (_("%s before restore %s (%u)"), base, when, n);
      g_autofree char *file = g_strconcat (name, ext, NULL);
      char *candidate = strchr (path, G_DIR_SEPARATOR) ? g_build_filename (dir, file, NULL) : g_strdup (file);

      if (!g_file_test (candidate, G_FILE_TEST_EXISTS))
        return candidate;
      g_free (candidate);
    }
}

/* Copies every page of @from to @to (an open connection each). */
static gboolean
copy_pages (sqlite3 *to, sqlite3 *from, const char *name, GError **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (to, "main", from, "main");
  int rc;

  if (backup == NULL)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), name, sqlite3_errmsg (to));
      return FALSE;
    }
  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), name,
                   sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* Before its pages go in: the copy given the store's page size (the backup
 * API copies between equal sizes only, in WAL mode) and, when it comes
 * from this desktop, a clock no earlier than the store's, so no stamp made
 * after the restore sorts before one this desktop already sent. */
static gboolean
prepare_copy (sqlite3 *copy, const char *name, int page_size, const char *clock, GError **error)
{
  g_autofree char *copy_clock = query_text (copy, "SELECT value FROM meta WHERE key = 'clock'", NULL);
  g_autofree char *sql = NULL;

  if (query_int (copy, "PRAGMA page_size") != page_size)
    {
      sql = g_strdup_printf ("PRAGMA journal_mode = DELETE; PRAGMA page_size = %d; VACUUM;", page_size);
      if (sqlite3_exec (copy, sql, NULL, NULL, NULL) != SQLITE_OK)
        goto failed;
      g_clear_pointer (&sql, g_free);
    }
  if (clock != NULL && g_strcmp0 (clock, copy_clock) > 0)
    {
      sql = sqlite3_mprintf ("INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', %Q)", clock);
      if (sqlite3_exec (copy, sql, NULL, NULL, NULL) != SQLITE_OK)
        {
          sqlite3_free (g_steal_pointer (&sql));
          goto failed;
        }
      sqlite3_free (g_steal_pointer (&sql));
    }
  return TRUE;

failed:
  g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), name, sqlite3_errmsg (copy));
  return FALSE;
}

/* The store, unreadable to SQLite: renamed to @kept (with its journal),
 * and the copy given its name. */
static gboolean
replace_unreadable (const char *path, const char *copy, const char *kept, GError **error)
{
  static const char *const suffixes[] = { "-wal", "-journal" };

  if (g_rename (path, kept) != 0)
    {
      int saved = errno;

      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not move %s aside: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (kept, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
  {
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (shm);
  }
  if (g_rename (copy, path) != 0)
    {
      int saved = errno;

      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
refuse_in_use (const char *path, GError **error)
{
  g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_BUSY,
               _("%s is open in Rapport or another program, so it was left as it was. Quit Rapport "
                 "(also when it runs in the background) and restore again"), path);
  return FALSE;
}

/* Step 3. */
static gboolean
replace_store (const char *path, const char *copy, const char *backup, const char *backup_device,
               RapportRestoreInfo *info, GError **error)
{
  sqlite3 *db = NULL, *kept_db = NULL, *copy_db = NULL;
  g_autofree char *kept = kept_name (path);
  g_autofree char *device_id = NULL;
  g_autofree char *clock = NULL;
  gboolean ok = FALSE;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (db, 1);
      rc = sqlite3_exec (db, "PRAGMA locking_mode = EXCLUSIVE; BEGIN IMMEDIATE; COMMIT;", NULL, NULL, NULL);
    }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    {
      sqlite3_close (db);
      return refuse_in_use (path, error);
    }
  if (rc == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
    {
      sqlite3_close (db);
      if (!replace_unreadable (path, copy, kept, error))
        return FALSE;
      info->kept = g_steal_pointer (&kept);
      return TRUE;
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not open %s: %s"), path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }

  /* Held from here until sqlite3_close (db). */
  if (query_int (db, "PRAGMA application_id") != RAPPORT_APPLICATION_ID
      && query_int (db, "SELECT count(*) FROM sqlite_schema") > 0)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_A_DATABASE,
                   _("%s is not a Rapport store, so it was left as it was. Restore into another file "
                     "with --db"), path);
      goto out;
    }
  device_id = query_text (db, "SELECT value FROM meta WHERE key = 'device_id'", NULL);
  clock = query_text (db, "SELECT value FROM meta WHERE key = 'clock'", NULL);
  if (device_id != NULL && g_strcmp0 (device_id, backup_device) != 0
      && query_int (db, "SELECT EXISTS (SELECT 1 FROM contacts) OR EXISTS (SELECT 1 FROM journal)") == 1)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s is a backup of another desktop's store, and %s holds records of its own, so it "
                     "was left as it was. Read the backup with --db, or restore it into a new store"),
                   backup, path);
      goto out;
    }
  if (device_id == NULL || g_strcmp0 (device_id, backup_device) != 0)
    g_clear_pointer (&clock, g_free);

  /* The store as it was, page by page: kept even if it is damaged inside. */
  if (sqlite3_open_v2 (kept, &kept_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK
      || !copy_pages (kept_db, db, kept, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), kept,
                     sqlite3_errmsg (kept_db));
      sqlite3_close (kept_db);
      unlink_with_journal (kept);
      goto out;
    }
  sqlite3_close (kept_db);
  if (!rapport_backup_sync_file (kept, kept, NULL, error))
    {
      unlink_with_journal (kept);
      goto out;
    }

  if (sqlite3_open_v2 (copy, &copy_db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK
      || !prepare_copy (copy_db, copy, (int) query_int (db, "PRAGMA page_size"), clock, error)
      || !copy_pages (db, copy_db, path, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), copy,
                     sqlite3_errmsg (copy_db));
      goto out;
    }
  info->kept = g_steal_pointer (&kept);
  ok = TRUE;

out:
  sqlite3_close (copy_db);
  /* The last connection: its journal is written into the store, and the
   * lock let go. */
  if (sqlite3_close (db) != SQLITE_OK && ok)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), path,
                   sqlite3_errmsg (db));
      ok = FALSE;
    }
  return ok;
}

static gboolean
same_file (const char *a, const char *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

void
rapport_restore_info_clear (RapportRestoreInfo *info)
{
  g_clear_pointer (&info->kept, g_free);
}

/**
 * rapport_store_restore_backup:
 * @path: (nullable): the store's file; %NULL for rapport_store_default_path()
 * @backup: a backup (rapport_store_backup()) or any Rapport store
 * @info: (out caller-allocates): what the store holds now, and where the
 *   store as it was is kept; clear it with rapport_restore_info_clear()
 *
 * Puts what @backup holds in the store's place. The store as it was is kept
 * beside it ("rapport before restore DATE TIME.db"), so a restore can be
 * undone by restoring that file. Refused, with nothing changed, while any
 * program has the store open, when @backup is not a readable Rapport store
 * or is from a newer Rapport, and when it is a backup of another desktop's
 * store while this store holds records of its own (two desktops would
 * then make stamps with one device id). @backup itself is never changed.
 * Changes made since the backup and synced come back with the next sync:
 * the restored store asks the server for what came after its cursor, and
 * sends again the changes it had not seen acknowledged.
 */
gboolean
rapport_store_restore_backup (const char *path, const char *backup, RapportRestoreInfo *info, GError **error)
{
  g_autofree char *store_path = path ? g_strdup (path) : rapport_store_default_path ();
  g_autofree char *dir = g_path_get_dirname (store_path);
  g_autofree char *copy = g_strconcat (store_path, ".restoring", NULL);
  g_autofree char *backup_device = NULL;
  RapportRestoreInfo found = { 0 };
  gboolean ok;

  g_return_val_if_fail (backup != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);
  if (!g_file_test (backup, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND, _("%s is not a file"), backup);
      return FALSE;
    }
  if (same_file (backup, store_path))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s is the store itself; choose a backup"), backup);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not create the folder %s: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }

  /* A copy left by a restore that was stopped. */
  unlink_with_journal (copy);
  ok = copy_backup (backup, copy, error) && open_copy (copy, backup, &found, &backup_device, error);
  if (ok && !g_file_test (store_path, G_FILE_TEST_EXISTS))
    {
      /* No store yet (a new desktop): the copy becomes it, if the name is
       * still free. */
      int rc;

      ok = rapport_backup_sync_file (copy, store_path, NULL, error);
      rc = ok ? rapport_backup_take_name (copy, store_path) : 0;
      if (rc == EEXIST)
        ok = refuse_in_use (store_path, error);
      else if (rc != 0)
        {
          g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not write %s: %s"), store_path,
                       g_strerror (rc));
          ok = FALSE;
        }
    }
  else if (ok)
    ok = replace_store (store_path, copy, backup, backup_device, &found, error);
  unlink_with_journal (copy);
  if (!ok)
    {
      rapport_restore_info_clear (&found);
      return FALSE;
    }
  *info = found;
  return TRUE;
}
