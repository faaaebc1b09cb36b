/* rapport-key-rows.c: a contact's tags and duplicate keys, written in bulk */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

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

/* As g_strcmp0(); the same string is often the same pointer (a kind, or
 * the id of one contact's rows), which sorting 300,000 keys meets often. */
static inline int
compare_text (const char *x, const char *y)
{
  if (x == y)
    return 0;
  if (x == NULL || y == NULL)
    return x == NULL ? -1 : 1;
  return strcmp (x, y);
}

static int
compare_rows (gconstpointer x, gconstpointer y)
{
  const RapportKeyRow *a = x, *b = y;
  int c = compare_text (a->a, b->a);

  if (c == 0)
    c = compare_text (a->b, b->b);
  return c != 0 ? c : compare_text (a->c, b->c);
}

/* Sorts @rows as rapport_key_rows_write() writes them (on any thread: an
 * import sorts them while its rows are still being written). */
void
rapport_key_rows_sort (GArray *rows)
{
  g_array_sort (rows, compare_rows);
}

static gboolean
is_sorted (GArray *rows)
{
  for (guint i = 1; i < rows->len; i++)
    if (compare_rows (&g_array_index (rows, RapportKeyRow, i - 1), &g_array_index (rows, RapportKeyRow, i)) > 0)
      return FALSE;
  return TRUE;
}

/* Rows go in statements of BATCH rows each ("VALUES (...), (...), ..."):
 * one statement opens its cursors once, and a row costs about half what it
 * costs in a statement of its own. */
#define BATCH 64

static sqlite3_stmt *
prepare_batch (RapportStore *store, const char *sql, gboolean three, guint n, GError **error)
{
  g_autoptr (GString) text = g_string_new (sql);

  for (guint i = 1; i < n; i++)
    g_string_append (text, three ? ", (?, ?, ?)" : ", (?, ?)");
  return rapport_store_prepare (store, text->str, error);
}

gboolean
rapport_key_rows_write (RapportStore *store, GArray *rows, const char *sql, gboolean three,
                        GHashTable *skip, GError **error)
{
  sqlite3_stmt *full = NULL;
  const RapportKeyRow *batch[BATCH];
  guint n = 0;
  guint width = three ? 3 : 2;

  if (skip != NULL && g_hash_table_size (skip) == 0)
    skip = NULL;
  if (!is_sorted (rows))
    rapport_key_rows_sort (rows);
  for (guint i = 0; i <= rows->len; i++)
    {
      const RapportKeyRow *row = i < rows->len ? &g_array_index (rows, RapportKeyRow, i) : NULL;
      sqlite3_stmt *stmt;

      if (row != NULL)
        {
          if (skip != NULL && g_hash_table_contains (skip, three ? row->c : row->a))
            continue;
          batch[n++] = row;
          if (n < BATCH)
            continue;
        }
      if (n == 0)
        break;
      /* A full batch in one statement, the last rows one by one. */
      if (n == BATCH && full == NULL)
        full = prepare_batch (store, sql, three, BATCH, error);
      stmt = n == BATCH ? full : rapport_store_prepare (store, sql, error);
      if (stmt == NULL)
        return FALSE;
      for (guint j = 0, at = 0; j < n; j++)
        {
          sqlite3_bind_text (stmt, at + 1, three ? batch[j]->c : batch[j]->a, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, at + 2, three ? batch[j]->a : batch[j]->b, -1, SQLITE_STATIC);
          if (three)
            sqlite3_bind_text (stmt, at + 3, batch[j]->b, -1, SQLITE_STATIC);
          if (n == BATCH)
            at += width;
          else if (!rapport_store_step_done (store, stmt, N_("update the indexes"), error))
            return FALSE;
        }
      if (n == BATCH && !rapport_store_step_done (store, stmt, N_("update the indexes"), error))
        return FALSE;
      n = 0;
    }
  g_array_set_size (rows, 0);
  return TRUE;
}
