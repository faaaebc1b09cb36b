/* rapport-key-rows.c: a contact's tags and duplicate keys, written in bulk */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include "rapport-key-rows.h"

gboolean
rapport_store_step_done (RapportStore *store, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (store, error, what);
  return TRUE;
}

static int
compare_rows (gconstpointer x, gconstpointer y)
{
  const RapportKeyRow *a = x, *b = y;
  int c = g_strcmp0 (a->a, b->a);

  if (c == 0)
    c = g_strcmp0 (a->b, b->b);
  return c != 0 ? c : g_strcmp0 (a->c, b->c);
}

gboolean
rapport_key_rows_write (RapportStore *store, GArray *rows, const char *sql, gboolean three,
                        GHashTable *skip, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (skip != NULL && g_hash_table_size (skip) == 0)
    skip = NULL;
  g_array_sort (rows, compare_rows);
  for (guint i = 0; i < rows->len; i++)
    {
      RapportKeyRow *row = &g_array_index (rows, RapportKeyRow, i);
      const char *contact_id = three ? row->c : row->a;

      if (skip != NULL && g_hash_table_contains (skip, contact_id))
        continue;
      sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, three ? row->a : row->b, -1, SQLITE_STATIC);
      if (three)
        sqlite3_bind_text (stmt, 3, row->b, -1, SQLITE_STATIC);
      if (!rapport_store_step_done (store, stmt, "update the indexes", error))
        return FALSE;
    }
  g_array_set_size (rows, 0);
  return TRUE;
}
