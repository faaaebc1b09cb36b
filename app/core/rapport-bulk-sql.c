/* rapport-bulk-sql.c: SQL pieces shared by the bulk writers (import, generation) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>

#include "rapport-bulk-sql.h"
#include "rapport-store-private.h"

/**
 * rapport_bulk_sql_rows:
 * @one_row_insert: "INSERT INTO t (...) VALUES (?, ...)", one row of @width values
 * @or_ignore: "INSERT OR IGNORE": SQLite then needs no statement journal,
 *   whose savepoint would make FTS5 write out the terms it holds in memory
 *   at every statement; the caller checks sqlite3_changes() instead
 *
 * Returns: (transfer full): the same INSERT of @rows rows, "VALUES (...), (...)".
 */
char *
rapport_bulk_sql_rows (const char *one_row_insert, guint width, guint rows, gboolean or_ignore)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (g_str_has_prefix (one_row_insert, "INSERT INTO "), NULL);
  g_return_val_if_fail (width > 0 && rows > 0, NULL);

  g_string_append_printf (text, "INSERT %sINTO %s", or_ignore ? "OR IGNORE " : "",
                          one_row_insert + strlen ("INSERT INTO "));
  for (guint i = 1; i < rows; i++)
    {
      g_string_append (text, ", (?");
      for (guint j = 1; j < width; j++)
        g_string_append (text, ", ?");
      g_string_append_c (text, ')');
    }
  return g_string_free (text, FALSE);
}

/* FTS5 keeps new terms in memory up to its "hashsize" (1 MB by default),
 * then writes them as a segment that later ones are merged with. For a
 * burst the setting (a row of the index's _config table) is raised, then
 * put back as it was in the same transaction: first its old value (so
 * this connection's FTS5 reads it again), then, if the index had no row
 * for it, without the row. */
#define FTS_DEFAULT_HASHSIZE 1048576
#define FTS_BURST_HASHSIZE 16777216

static gboolean
set_hashsize (RapportStore *store, const char *table, gint64 size, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO %s (%s, rank) VALUES ('hashsize', %" G_GINT64_FORMAT ")",
                                          table, table, size);

  return rapport_store_exec (store, sql, error);
}

/**
 * rapport_fts_burst_begin:
 * @table: a full-text table of the store, e.g. "contacts_fts"
 *
 * Raises @table's term buffer to 16 MB until rapport_fts_burst_end(), in
 * the transaction the caller holds (nothing is changed when it is that
 * large already).
 */
gboolean
rapport_fts_burst_begin (RapportStore *store, const char *table, RapportFtsBurst *burst, GError **error)
{
  g_autofree char *select_sql = g_strdup_printf ("SELECT v FROM %s_config WHERE k = 'hashsize'", table);
  sqlite3_stmt *stmt = rapport_store_prepare (store, select_sql, error);

  *burst = (RapportFtsBurst) { table, FTS_DEFAULT_HASHSIZE, FALSE, FALSE };
  if (stmt == NULL)
    return FALSE;
  burst->had = sqlite3_step (stmt) == SQLITE_ROW;
  if (burst->had)
    burst->size = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (burst->size >= FTS_BURST_HASHSIZE)
    return TRUE;
  burst->widened = set_hashsize (store, table, FTS_BURST_HASHSIZE, error);
  return burst->widened;
}

/* Puts the setting back as rapport_fts_burst_begin() found it. */
gboolean
rapport_fts_burst_end (RapportStore *store, RapportFtsBurst *burst, GError **error)
{
  g_autofree char *delete_sql = NULL;

  if (!burst->widened)
    return TRUE;
  burst->widened = FALSE;
  if (!set_hashsize (store, burst->table, burst->size, error))
    return FALSE;
  if (burst->had)
    return TRUE;
  delete_sql = g_strdup_printf ("DELETE FROM %s_config WHERE k = 'hashsize'", burst->table);
  return rapport_store_exec (store, delete_sql, error);
}
