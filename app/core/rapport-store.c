/* rapport-store.c: the local relationship store, one SQLite file per user */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>

#include "rapport-merge.h"
#include "rapport-sort-keys.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"

/* More changes than this in one transaction are announced as one bulk
 * "changed" signal per entity (id %NULL) instead of one per record. */
#define BULK_SIGNAL_THRESHOLD 64

struct _RapportStore
{
  GObject parent_instance;

  sqlite3 *db;
  char *path;
  RapportClock *clock;
  GHashTable *statements;     /* SQL text -> sqlite3_stmt */

  RapportNowFunc now_func;
  gpointer now_data;
  gint64 fixed_now;           /* from RAPPORT_NOW, 0 if unset */

  guint tx_depth;
  gboolean tx_failed;
  gboolean defer_checkpoint;  /* rapport_store_defer_checkpoint() */
  gboolean clock_dirty;       /* the clock moved in this transaction */
  GPtrArray *queued_changes;  /* pairs: entity, id */

  RapportUser *me;
};

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RapportStore, rapport_store, G_TYPE_OBJECT)

static gboolean load_me (RapportStore *self, GError **error);

static void
statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

gboolean
rapport_store_set_sqlite_error (RapportStore *self, GError **error, const char *what)
{
  int code = sqlite3_extended_errcode (self->db);
  int primary = code & 0xff;
  RapportError rcode = RAPPORT_ERROR_FAILED;

  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    rcode = RAPPORT_ERROR_BUSY;
  else if (primary == SQLITE_CORRUPT)
    rcode = RAPPORT_ERROR_CORRUPT;
  else if (primary == SQLITE_NOTADB)
    rcode = RAPPORT_ERROR_NOT_A_DATABASE;
  else if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN
           || primary == SQLITE_READONLY)
    rcode = RAPPORT_ERROR_IO;

  /* Translators: "Could not read a record in /path/rapport.db: disk I/O
   * error"; the first %s is one of the actions marked "save a record",
   * "read the store", ...; the last is SQLite's own message. */
  g_set_error (error, RAPPORT_ERROR, rcode, _("Could not %s in %s: %s"), _(what), self->path,
               sqlite3_errmsg (self->db));
  return FALSE;
}

sqlite3 *
rapport_store_get_db (RapportStore *self)
{
  return self->db;
}

/**
 * rapport_store_prepare:
 *
 * Returns: (transfer none): a cached statement for @sql, reset and with no
 *   bindings. A caller must be done with it before preparing the same SQL
 *   again.
 */
sqlite3_stmt *
rapport_store_prepare (RapportStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      rapport_store_set_sqlite_error (self, error, N_("prepare a query"));
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
rapport_store_exec (RapportStore *self, const char *sql, GError **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return rapport_store_set_sqlite_error (self, error, N_("update the store"));
  return TRUE;
}

static char *
meta_get (RapportStore *self, const char *key)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static gboolean
meta_set (RapportStore *self, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      self, "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("save settings"));
  return TRUE;
}

static gint64
parse_fixed_now (const char *text)
{
  g_autoptr (GDateTime) dt = NULL;
  char *end = NULL;
  gint64 value;

  if (text == NULL || *text == '\0')
    return 0;
  value = g_ascii_strtoll (text, &end, 10);
  if (end != text && *end == '\0')
    return value;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    {
      g_warning ("RAPPORT_NOW=%s is neither epoch seconds nor ISO 8601; using the real clock", text);
      return 0;
    }
  return g_date_time_to_unix (dt);
}

static void
rapport_store_finalize (GObject *object)
{
  RapportStore *self = RAPPORT_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->clock, rapport_clock_free);
  g_clear_pointer (&self->queued_changes, g_ptr_array_unref);
  g_clear_object (&self->me);
  g_free (self->path);

  G_OBJECT_CLASS (rapport_store_parent_class)->finalize (object);
}

static void
rapport_store_class_init (RapportStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* SQLite counts every allocation under a global mutex unless told not to;
   * nothing here reads the counts, and reading a pulled page (SQLite's JSON
   * functions) allocates for every value. Only possible before SQLite is
   * first used in the process: a no-op otherwise. */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);

  object_class->finalize = rapport_store_finalize;

  /**
   * RapportStore::changed:
   * @entity: the entity name ("contact", "note", ...)
   * @id: (nullable): the record id, or %NULL when many records changed
   *
   * Emitted after a write is committed, locally or by sync.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
rapport_store_init (RapportStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            statement_free);
  self->queued_changes = g_ptr_array_new_with_free_func (g_free);
  self->fixed_now = parse_fixed_now (g_getenv ("RAPPORT_NOW"));
}

/**
 * rapport_store_default_path:
 *
 * Returns: (transfer full): $RAPPORT_DATA_DIR/rapport.db if that variable is
 *   set, else rapport/rapport.db under the XDG data directory.
 */
char *
rapport_store_default_path (void)
{
  const char *dir = g_getenv ("RAPPORT_DATA_DIR");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, "rapport.db", NULL);
  return g_build_filename (g_get_user_data_dir (), "rapport", "rapport.db", NULL);
}

/* A file we may open: missing, empty, or an SQLite database. Anything else
 * is refused before SQLite touches it. */
static gboolean
check_file_header (const char *path, GError **error)
{
  static const char magic[16] = "SQLite format 3";
  char header[16];
  FILE *file;
  size_t n;

  file = g_fopen (path, "rb");
  if (file == NULL)
    {
      if (errno == ENOENT)
        return TRUE;
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not read %s: %s"), path,
                   g_strerror (errno));
      return FALSE;
    }
  n = fread (header, 1, sizeof header, file);
  fclose (file);
  if (n == 0)
    return TRUE;
  if (n < sizeof header || memcmp (header, magic, sizeof header) != 0)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_A_DATABASE,
                   _("%s is not a Rapport database; it was left untouched. "
                     "Choose another file with --db or RAPPORT_DATA_DIR"), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (RapportStore *self, const char *sql, int *value, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return rapport_store_set_sqlite_error (self, error, N_("read the store"));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return rapport_store_set_sqlite_error (self, error, N_("read the store"));
  return TRUE;
}

/* Every connection's settings. The write-ahead log grows to hold the
 * largest transaction (250 MB for an import of 100,000 contacts) and would
 * keep that size on disk until the last connection closes: once
 * checkpointed, the next commit cuts it back to 64 MiB. */
#define CONNECTION_PRAGMAS                                                   \
  "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"                     \
  "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000;"                  \
  "PRAGMA journal_size_limit = 67108864;"

/* Below this size the whole file is checked at open; above it, only the
 * small tables that everything depends on and the first page of every table
 * and index, so opening a large store stays fast. */
#define FULL_CHECK_MAX_BYTES (32 * 1024 * 1024)

/* RAPPORT_FULL_CHECK_MAX_BYTES lowers the limit, for tests of the large-store
 * path on small files. */
static gint64
full_check_max_bytes (void)
{
  const char *text = g_getenv ("RAPPORT_FULL_CHECK_MAX_BYTES");

  return text ? g_ascii_strtoll (text, NULL, 10) : FULL_CHECK_MAX_BYTES;
}

static char *
first_row_text (RapportStore *self, const char *sql, gboolean *prepare_failed)
{
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;
  int rc;

  *prepare_failed = FALSE;
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      *prepare_failed = TRUE;
      return g_strdup (sqlite3_errmsg (self->db));
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    result = g_strdup (sqlite3_errmsg (self->db));
  else
    result = g_strdup ("ok");
  sqlite3_finalize (stmt);
  return result;
}

/* Reads the first row of every table and index, and the last row of every
 * rowid table (where new rows land): a damaged root page or a torn write at
 * the end of a table, the usual victims of a crash or a stray overwrite,
 * show up here. The small tables everything depends on are checked whole;
 * the journal is not, since it grows with every change (a million rows on
 * a big store, over a second to check) and its tail is what a crash hits. */
static char *
check_root_pages (RapportStore *self)
{
  static const char *const small_tables[] = { "meta", "users", "sync_state" };
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GPtrArray) probes = g_ptr_array_new_with_free_func (sqlite3_free);
  gboolean failed;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT type, name, tbl_name FROM sqlite_schema WHERE rootpage > 0",
                          -1, &stmt, NULL) != SQLITE_OK)
    return g_strdup (sqlite3_errmsg (self->db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      const char *table = (const char *) sqlite3_column_text (stmt, 2);

      if (g_str_equal (type, "table"))
        {
          g_ptr_array_add (probes, sqlite3_mprintf ("SELECT 'ok' FROM \"%w\" LIMIT 1", name));
          /* Fails to prepare on a WITHOUT ROWID table: skipped below. */
          g_ptr_array_add (probes, sqlite3_mprintf ("SELECT 'ok' FROM \"%w\" "
                                                    "ORDER BY rowid DESC LIMIT 1", name));
        }
      else if (g_str_equal (type, "index"))
        g_ptr_array_add (probes, sqlite3_mprintf ("SELECT 'ok' FROM \"%w\" INDEXED BY \"%w\" "
                                                  "LIMIT 1", table, name));
    }
  sqlite3_finalize (stmt);
  for (guint i = 0; i < G_N_ELEMENTS (small_tables); i++)
    g_ptr_array_add (probes, sqlite3_mprintf ("PRAGMA quick_check(%Q)", small_tables[i]));

  for (guint i = 0; i < probes->len; i++)
    {
      g_autofree char *result = first_row_text (self, probes->pdata[i], &failed);
      int code = sqlite3_errcode (self->db) & 0xff;

      /* INDEXED BY fails to prepare for an index the planner cannot use
       * alone (a partial index), and rowid on a WITHOUT ROWID table; that
       * is no sign of damage. */
      if (failed && code != SQLITE_CORRUPT && code != SQLITE_NOTADB)
        continue;
      if (strcmp (result, "ok") != 0)
        return g_steal_pointer (&result);
    }
  return g_strdup ("ok");
}

static gboolean
check_integrity (RapportStore *self, GError **error)
{
  g_autofree char *result = NULL;
  int page_count = 0, page_size = 0;
  gboolean failed;

  if (!query_int (self, "PRAGMA page_count", &page_count, NULL)
      || !query_int (self, "PRAGMA page_size", &page_size, NULL))
    result = g_strdup (sqlite3_errmsg (self->db));
  else if ((gint64) page_count * page_size <= full_check_max_bytes ())
    result = first_row_text (self, "PRAGMA quick_check(1)", &failed);
  else
    result = check_root_pages (self);

  if (strcmp (result, "ok") != 0)
    {
      int code = sqlite3_errcode (self->db) & 0xff;

      if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return rapport_store_set_sqlite_error (self, error, N_("check the store"));
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_CORRUPT,
                   _("%s is damaged (%s); it was left untouched. Restore it from a backup, "
                     "or sync into a new store"), self->path, result);
      return FALSE;
    }
  return TRUE;
}

/* Read-only: refuses a database of another program, or of a newer Rapport. */
static gboolean
check_schema (RapportStore *self, int *out_version, GError **error)
{
  int version = 0, app_id = 0, tables = 0;
  int latest = rapport_store_get_latest_schema_version ();

  if (!query_int (self, "PRAGMA user_version", &version, error)
      || !query_int (self, "PRAGMA application_id", &app_id, error)
      || !query_int (self, "SELECT count(*) FROM sqlite_schema", &tables, error))
    return FALSE;

  if (app_id != RAPPORT_APPLICATION_ID && (tables > 0 || version > 0))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_A_DATABASE,
                   _("%s is an SQLite database of another program, not a Rapport store; "
                     "it was left untouched"), self->path);
      return FALSE;
    }
  if (version > latest)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_TOO_NEW,
                   _("%s was written by a newer Rapport (schema %d; this one knows up to %d). "
                     "It was left untouched: update Rapport to open it"), self->path, version, latest);
      return FALSE;
    }
  *out_version = version;
  return TRUE;
}

static gboolean
migrate (RapportStore *self, GError **error)
{
  int version = 0;
  int latest = rapport_store_get_latest_schema_version ();

  if (!check_schema (self, &version, error))
    return FALSE;
  for (int v = version + 1; v <= latest; v++)
    {
      g_autofree char *sql = NULL;

      sql = g_strdup_printf ("BEGIN IMMEDIATE; %s; PRAGMA application_id = %d; "
                             "PRAGMA user_version = %d; COMMIT;",
                             rapport_migration_sql (v), RAPPORT_APPLICATION_ID, v);
      if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        {
          rapport_store_set_sqlite_error (self, error, N_("upgrade the store"));
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
init_clock (RapportStore *self, GError **error)
{
  g_autofree char *device_id = meta_get (self, "device_id");
  g_autofree char *last = meta_get (self, "clock");

  if (device_id == NULL)
    {
      device_id = rapport_device_id_new ();
      if (!meta_set (self, "device_id", device_id, error))
        return FALSE;
    }
  self->clock = rapport_clock_new (device_id, last);
  if (self->clock == NULL)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_CORRUPT,
                   _("%s holds an invalid device id"), self->path);
      return FALSE;
    }
  return TRUE;
}

/**
 * rapport_store_open:
 * @path: (nullable): the database file; %NULL for rapport_store_default_path()
 *
 * Opens the store, creating it (and its folder) when missing, and upgrading
 * its schema. A file that is not a Rapport store, is damaged, or comes from a
 * newer Rapport is refused and left untouched.
 *
 * Returns: (transfer full): the store, or %NULL with @error set.
 */
RapportStore *
rapport_store_open (const char *path, GError **error)
{
  g_autoptr (RapportStore) self = g_object_new (RAPPORT_TYPE_STORE, NULL);
  g_autofree char *dir = NULL;
  int version = 0;
  int rc;

  self->path = path ? g_strdup (path) : rapport_store_default_path ();
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not create the folder %s: %s"),
                   dir, g_strerror (errno));
      return NULL;
    }
  if (!check_file_header (self->path, error))
    return NULL;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      rapport_store_set_sqlite_error (self, error, N_("open the store"));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  /* Read-only checks first, so a foreign or damaged file is never changed. */
  if (!check_integrity (self, error) || !check_schema (self, &version, error))
    return NULL;
  /* A new file gets pages of 16 KiB (a store made earlier keeps its own):
   * a store is written mostly in bulk (a first sync, an import, a
   * generation) and read in runs (lists, timelines, full-text doclists);
   * generating team-100k took 22 s instead of 26 s, a 100,000-row import
   * 2.55 s instead of 2.85 s, a first sync of team-100k 22 s instead of
   * 25 s, with searches, the backlog and the app as fast (tests/bench). */
  if (!rapport_store_exec (self, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;" CONNECTION_PRAGMAS, error))
    return NULL;
  /* Indexes a first sync dropped and could not build again (stopped
   * mid-way) are built before anything else reads or upgrades the store. */
  if (!rapport_store_restore_indexes (self, error) || !migrate (self, error)
      || !rapport_sort_keys_refresh (self, error) || !init_clock (self, error)
      || !load_me (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * rapport_store_open_connection:
 * @store: an open store
 *
 * Another SQLite connection to @store's file, for another thread (each
 * connection is used by one thread at a time). The file was checked and
 * migrated when @store was opened, so nothing is checked again: reading its
 * header with stdio would close a descriptor of the file, and closing any
 * descriptor drops every POSIX lock this process holds on it, those of the
 * open connections included (another process could then take the database
 * for unused and delete its WAL).
 *
 * Returns: (transfer full): the connection, or %NULL with @error set.
 */
RapportStore *
rapport_store_open_connection (RapportStore *store, GError **error)
{
  g_autoptr (RapportStore) self = g_object_new (RAPPORT_TYPE_STORE, NULL);

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  self->path = g_strdup (store->path);
  if (sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      rapport_store_set_sqlite_error (self, error, N_("open the store"));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);
  if (!rapport_store_exec (self, CONNECTION_PRAGMAS, error) || !init_clock (self, error) || !load_me (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
rapport_store_get_path (RapportStore *self)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);
  return self->path;
}

const char *
rapport_store_get_device_id (RapportStore *self)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);
  return rapport_clock_get_device_id (self->clock);
}

int
rapport_store_get_schema_version (RapportStore *self)
{
  int version = 0;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), 0);
  query_int (self, "PRAGMA user_version", &version, NULL);
  return version;
}

void
rapport_store_set_now_func (RapportStore *self, RapportNowFunc func, gpointer user_data)
{
  g_return_if_fail (RAPPORT_IS_STORE (self));
  self->now_func = func;
  self->now_data = user_data;
}

/**
 * rapport_store_now:
 *
 * Returns: the current time in seconds since the epoch, from the injected
 *   clock, RAPPORT_NOW, or the real clock, in that order.
 */
gint64
rapport_store_now (RapportStore *self)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), 0);
  if (self->now_func != NULL)
    return self->now_func (self->now_data);
  if (self->fixed_now != 0)
    return self->fixed_now;
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * rapport_store_next_stamp:
 *
 * Returns: (transfer full): a fresh clock stamp; the clock is persisted in
 *   the current transaction.
 */
char *
rapport_store_next_stamp (RapportStore *self)
{
  gint64 now_ms = g_get_real_time () / 1000;
  char *stamp;

  /* An injected clock moves stamps too, so tests of time stay ordered. */
  if (self->now_func != NULL || self->fixed_now != 0)
    now_ms = MAX (now_ms, rapport_store_now (self) * 1000);
  stamp = rapport_clock_tick (self->clock, now_ms);
  /* Persisted with the transaction that uses the stamp, once, at commit. */
  if (self->tx_depth > 0)
    self->clock_dirty = TRUE;
  else
    meta_set (self, "clock", stamp, NULL);
  return stamp;
}

/**
 * rapport_store_stamp_now_ms:
 *
 * Returns: the wall clock new stamps are made from, in milliseconds.
 */
gint64
rapport_store_stamp_now_ms (RapportStore *self)
{
  gint64 now_ms = g_get_real_time () / 1000;

  if (self->now_func != NULL || self->fixed_now != 0)
    now_ms = MAX (now_ms, rapport_store_now (self) * 1000);
  return now_ms;
}

/**
 * rapport_store_reset_clock:
 *
 * Sets a clock that ran far ahead back to the present (rapport_clock_reset()),
 * persisted in the current transaction. Only for rapport_store_restamp_ahead().
 */
gboolean
rapport_store_reset_clock (RapportStore *self, GError **error)
{
  rapport_clock_reset (self->clock, rapport_store_stamp_now_ms (self));
  return meta_set (self, "clock", rapport_clock_get_last (self->clock), error);
}

/**
 * rapport_store_observe_stamp:
 *
 * Moves the clock past a stamp pulled from the server, so local writes made
 * afterwards order after it even when this computer's clock is behind. The
 * server is the one that refuses stamps from a clock too far ahead.
 */
gboolean
rapport_store_observe_stamp (RapportStore *self, const char *stamp, GError **error)
{
  return rapport_store_observe_stored_stamp (self, stamp, error)
         && meta_set (self, "clock", rapport_clock_get_last (self->clock), error);
}

/**
 * rapport_store_observe_stored_stamp:
 *
 * As rapport_store_observe_stamp(), for a stamp another connection to the
 * same file has observed and stored with the clock (a pulled page applied
 * by the pull's worker): only this connection's clock moves; writing it
 * again would take the store's write lock for nothing.
 */
gboolean
rapport_store_observe_stored_stamp (RapportStore *self, const char *stamp, GError **error)
{
  gint64 wall_ms = 0;

  if (!rapport_stamp_parse (stamp, &wall_ms, NULL, NULL))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("“%s” is not a valid change stamp"),
                   stamp ? stamp : "");
      return FALSE;
    }
  return rapport_clock_observe (self->clock, stamp, MAX (wall_ms, g_get_real_time () / 1000), error);
}

/* Transactions ------------------------------------------------------------ */

gboolean
rapport_store_begin (RapportStore *self, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);

  if (self->tx_depth++ > 0)
    return TRUE;
  self->tx_failed = FALSE;
  if (!rapport_store_exec (self, "BEGIN IMMEDIATE", error))
    {
      self->tx_depth = 0;
      return FALSE;
    }
  return TRUE;
}

static void
flush_changed (RapportStore *self)
{
  g_autoptr (GPtrArray) queued = g_steal_pointer (&self->queued_changes);
  g_autoptr (GHashTable) bulk = g_hash_table_new (g_str_hash, g_str_equal);

  self->queued_changes = g_ptr_array_new_with_free_func (g_free);
  if (queued->len / 2 > BULK_SIGNAL_THRESHOLD)
    {
      for (guint i = 0; i < queued->len; i += 2)
        g_hash_table_add (bulk, queued->pdata[i]);
      GHashTableIter iter;
      gpointer entity;
      g_hash_table_iter_init (&iter, bulk);
      while (g_hash_table_iter_next (&iter, &entity, NULL))
        g_signal_emit (self, signals[CHANGED], 0, entity, NULL);
      return;
    }
  for (guint i = 0; i < queued->len; i += 2)
    g_signal_emit (self, signals[CHANGED], 0, queued->pdata[i], queued->pdata[i + 1]);
}

gboolean
rapport_store_commit (RapportStore *self, GError **error)
{
  gboolean defer_checkpoint, ok;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (--self->tx_depth > 0)
    return TRUE;
  defer_checkpoint = self->defer_checkpoint;
  self->defer_checkpoint = FALSE;
  if (self->tx_failed)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_ptr_array_set_size (self->queued_changes, 0);
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_FAILED,
                           _("A part of this change failed, so none of it was saved"));
      return FALSE;
    }
  if (self->clock_dirty && !meta_set (self, "clock", rapport_clock_get_last (self->clock), error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_ptr_array_set_size (self->queued_changes, 0);
      self->clock_dirty = FALSE;
      return FALSE;
    }
  self->clock_dirty = FALSE;
  if (defer_checkpoint)
    {
      /* A commit leaving more pages than this in the log copies them. */
      int pages = 1000;

      query_int (self, "PRAGMA wal_autocheckpoint", &pages, NULL);
      sqlite3_wal_autocheckpoint (self->db, 0);
      ok = rapport_store_exec (self, "COMMIT", error);
      sqlite3_wal_autocheckpoint (self->db, pages);
    }
  else
    ok = rapport_store_exec (self, "COMMIT", error);
  if (!ok)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_ptr_array_set_size (self->queued_changes, 0);
      return FALSE;
    }
  flush_changed (self);
  return TRUE;
}

/**
 * rapport_store_defer_checkpoint:
 *
 * Leaves the pages of the transaction under way in the write-ahead log
 * when it commits: the commit makes them durable, and copying them into the
 * database file (the checkpoint SQLite would run at that commit) is left to
 * rapport_store_checkpoint(), to a later commit, or to the last connection
 * closing. For a large transaction (an import of 100,000 contacts writes
 * 250 MB) the copy and its flush take about as long as a third of the
 * transaction: a worker thread can report the transaction done and then
 * checkpoint while the person goes on.
 */
void
rapport_store_defer_checkpoint (RapportStore *self)
{
  g_return_if_fail (RAPPORT_IS_STORE (self));
  g_return_if_fail (self->tx_depth > 0);

  self->defer_checkpoint = TRUE;
}

/**
 * rapport_store_checkpoint:
 *
 * Copies into the database file what the write-ahead log holds and no
 * reader still needs, without waiting for readers or writers of other
 * connections (SQLite's passive checkpoint). Not in a transaction.
 *
 * Returns: %FALSE with @error set if SQLite failed (a checkpoint that
 *   could not start because another connection runs one is no failure)
 */
gboolean
rapport_store_checkpoint (RapportStore *self, GError **error)
{
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth == 0, FALSE);

  rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    return rapport_store_set_sqlite_error (self, error, N_("update the store"));
  return TRUE;
}

/* How long rapport_store_checkpoint_all() goes on, and its longest wait. */
#define CHECKPOINT_ALL_MAX_USEC (30 * G_USEC_PER_SEC)
#define CHECKPOINT_ALL_MAX_WAIT_USEC (G_USEC_PER_SEC / 2)

/**
 * rapport_store_checkpoint_all:
 *
 * As rapport_store_checkpoint(), again while a reader of an older snapshot
 * still needs part of the write-ahead log (a passive checkpoint copies only
 * what no reader needs), waiting a little longer each time, for 30 seconds
 * at most. For a worker thread after a large transaction whose checkpoint
 * was deferred (rapport_store_defer_checkpoint()): what it leaves in the
 * log is otherwise copied by the next commit of any connection, which may
 * be the window's, on the main thread. Not in a transaction.
 *
 * Returns: %FALSE with @error set if SQLite failed; a log not copied
 *   whole by the end is no failure (a later commit copies the rest)
 */
gboolean
rapport_store_checkpoint_all (RapportStore *self, GError **error)
{
  gint64 deadline;
  gulong wait = 10 * 1000;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth == 0, FALSE);

  deadline = g_get_monotonic_time () + CHECKPOINT_ALL_MAX_USEC;
  for (;;)
    {
      int in_log = -1, copied = -1;
      int rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &in_log, &copied);

      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        return rapport_store_set_sqlite_error (self, error, N_("update the store"));
      if (rc == SQLITE_OK && copied >= in_log)
        return TRUE;
      if (g_get_monotonic_time () + (gint64) wait > deadline)
        {
          g_debug ("%d of %d frames of the log copied; a later commit copies the rest", copied, in_log);
          return TRUE;
        }
      g_usleep (wait);
      wait = MIN (wait * 2, CHECKPOINT_ALL_MAX_WAIT_USEC);
    }
}

void
rapport_store_rollback (RapportStore *self)
{
  g_return_if_fail (RAPPORT_IS_STORE (self));
  g_return_if_fail (self->tx_depth > 0);

  if (--self->tx_depth > 0)
    {
      self->tx_failed = TRUE;
      return;
    }
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_ptr_array_set_size (self->queued_changes, 0);
  self->clock_dirty = FALSE;
  self->defer_checkpoint = FALSE;
  /* Records saved in the failed transaction may be cached by callers; the
   * in-memory "me" is reloaded to match the file. */
  load_me (self, NULL);
}

void
rapport_store_emit_changed (RapportStore *self, const char *entity, const char *id)
{
  g_ptr_array_add (self->queued_changes, g_strdup (entity));
  g_ptr_array_add (self->queued_changes, g_strdup (id));
  if (self->tx_depth == 0)
    flush_changed (self);
}

/* Who am I ------------------------------------------------------------------ */

static gboolean
load_me (RapportStore *self, GError **error)
{
  g_autofree char *me_id = meta_get (self, "me");

  g_clear_object (&self->me);
  if (me_id != NULL)
    self->me = (RapportUser *) rapport_store_load (self, rapport_entity_lookup ("user"), me_id, NULL);
  return TRUE;
}

void
rapport_store_reload_me (RapportStore *self)
{
  g_return_if_fail (RAPPORT_IS_STORE (self));
  load_me (self, NULL);
}

/**
 * rapport_store_get_me:
 *
 * Returns: (transfer none) (nullable): the user of this desktop, %NULL before
 *   first-run setup.
 */
RapportUser *
rapport_store_get_me (RapportStore *self)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);
  return self->me;
}

const char *
rapport_store_get_me_id (RapportStore *self)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);
  return self->me ? RAPPORT_RECORD (self->me)->id : NULL;
}

gboolean
rapport_store_set_me (RapportStore *self, RapportUser *user, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (RAPPORT_IS_USER (user), FALSE);

  if (!rapport_store_begin (self, error))
    return FALSE;
  if (!rapport_store_save (self, RAPPORT_RECORD (user), error)
      || !meta_set (self, "me", RAPPORT_RECORD (user)->id, error))
    {
      rapport_store_rollback (self);
      return FALSE;
    }
  if (!rapport_store_commit (self, error))
    return FALSE;
  return load_me (self, error);
}
