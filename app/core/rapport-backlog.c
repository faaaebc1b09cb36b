/* rapport-backlog.c: the team backlog per owner, and its daily trend */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-due"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-due-private.h"
#include "rapport-store-private.h"

G_DEFINE_BOXED_TYPE (RapportBacklogRow, rapport_backlog_row, rapport_backlog_row_copy,
                     rapport_backlog_row_free)

RapportBacklogRow *
rapport_backlog_row_copy (const RapportBacklogRow *row)
{
  RapportBacklogRow *copy;

  g_return_val_if_fail (row != NULL, NULL);

  copy = g_memdup2 (row, sizeof *row);
  copy->owner = g_strdup (row->owner);
  copy->owner_name = g_strdup (row->owner_name);
  return copy;
}

void
rapport_backlog_row_free (RapportBacklogRow *row)
{
  if (row == NULL)
    return;
  g_free (row->owner);
  g_free (row->owner_name);
  g_free (row);
}

/* The named indexes come from migration 2: without statistics SQLite would
 * rather scan the wide contacts table than the narrow covering index.
 * Each query groups by owner (column 0) and counts into the row fields
 * listed for it; aggregation runs in SQLite over covering indexes, so the
 * whole backlog of team-100k is a few index scans. Ages: an item due at or
 * before ?1 is overdue by ceil((?1 - due) / 1 day) days, at least 1. */

#define BUCKETS(due)                                                                       \
  "sum (" due " <= ?1 AND " due " >= ?1 - 604800), "                                        \
  "sum (" due " < ?1 - 604800 AND " due " >= ?1 - 2592000), "                               \
  "sum (" due " < ?1 - 2592000), "                                                          \
  "sum (" due " > ?1 AND " due " <= ?1 + 604800)"

static const char reminders_sql[] =
  "SELECT r.owner, " BUCKETS (RAPPORT_SQL_REMINDER_DUE)
  " FROM reminders r INDEXED BY reminders_open_cover"
  " WHERE r.done_at IS NULL AND r.deleted = 0 AND " RAPPORT_SQL_NOT_IN_TRASH ("r.contact_id")
  " GROUP BY r.owner";

static const char contacts_sql[] =
  "SELECT c.owner, "
  "  sum (c.cadence_days > 0 AND " RAPPORT_SQL_CADENCE_DUE " <= ?1 AND "
  RAPPORT_SQL_CADENCE_DUE " >= ?1 - 604800), "
  "  sum (c.cadence_days > 0 AND " RAPPORT_SQL_CADENCE_DUE " < ?1 - 604800 AND "
  RAPPORT_SQL_CADENCE_DUE " >= ?1 - 2592000), "
  "  sum (c.cadence_days > 0 AND " RAPPORT_SQL_CADENCE_DUE " < ?1 - 2592000), "
  "  sum (c.cadence_days > 0 AND " RAPPORT_SQL_CADENCE_DUE " > ?1 AND "
  RAPPORT_SQL_CADENCE_DUE " <= ?1 + 604800), "
  "  sum (" RAPPORT_SQL_GOING_COLD ")"
  " FROM contacts c INDEXED BY contacts_nurture"
  " WHERE " RAPPORT_SQL_NURTURED " GROUP BY c.owner";

static const char promises_sql[] =
  "SELECT " RAPPORT_SQL_PROMISE_OWNER ", "
  "  sum (p.due_at >= ?1 AND p.due_at <= ?1 + " G_STRINGIFY (RAPPORT_PROMISE_AT_RISK) "), "
  "  sum (p.due_at < ?1)"
  " FROM promises p WHERE p.status = 'open' AND p.deleted = 0"
  "   AND " RAPPORT_SQL_NOT_IN_TRASH ("p.contact_id")
  " GROUP BY 1";

static const char complaints_sql[] =
  "SELECT c.owner, count (*), ?1 - min (i.occurred_at)"
  " FROM interactions i LEFT JOIN contacts c ON c.id = i.contact_id"
  " WHERE " RAPPORT_SQL_AWAITING " AND coalesce (c.deleted, 0) = 0"
  " GROUP BY c.owner";

static RapportBacklogRow *
row_for (GHashTable *rows, const char *owner)
{
  RapportBacklogRow *row = g_hash_table_lookup (rows, owner ? owner : "");

  if (row == NULL)
    {
      row = g_new0 (RapportBacklogRow, 1);
      row->owner = g_strdup (owner ? owner : "");
      g_hash_table_insert (rows, row->owner, row);
    }
  return row;
}

typedef void (*RowFiller) (RapportBacklogRow *row, sqlite3_stmt *stmt);

static void
fill_reminders (RapportBacklogRow *row, sqlite3_stmt *stmt)
{
  row->overdue_1_7 += sqlite3_column_int (stmt, 1);
  row->overdue_8_30 += sqlite3_column_int (stmt, 2);
  row->overdue_31_plus += sqlite3_column_int (stmt, 3);
  row->due_this_week += sqlite3_column_int (stmt, 4);
}

static void
fill_contacts (RapportBacklogRow *row, sqlite3_stmt *stmt)
{
  fill_reminders (row, stmt);
  row->going_cold += sqlite3_column_int (stmt, 5);
}

static void
fill_promises (RapportBacklogRow *row, sqlite3_stmt *stmt)
{
  row->promises_at_risk += sqlite3_column_int (stmt, 1);
  row->promises_broken += sqlite3_column_int (stmt, 2);
}

static void
fill_complaints (RapportBacklogRow *row, sqlite3_stmt *stmt)
{
  row->complaints_waiting += sqlite3_column_int (stmt, 1);
  row->oldest_complaint_age = MAX (row->oldest_complaint_age, sqlite3_column_int64 (stmt, 2));
}

static gboolean
aggregate (RapportStore *self, GHashTable *rows, const char *sql, RowFiller filler, gint64 at,
           GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    filler (row_for (rows, (const char *) sqlite3_column_text (stmt, 0)), stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("compute the backlog"));
  return TRUE;
}

static gboolean
row_is_empty (const RapportBacklogRow *row)
{
  return row->overdue_1_7 + row->overdue_8_30 + row->overdue_31_plus + row->due_this_week
             + row->going_cold + row->promises_at_risk + row->promises_broken
             + row->complaints_waiting
         == 0;
}

static int
compare_rows (gconstpointer a, gconstpointer b)
{
  const RapportBacklogRow *ra = *(RapportBacklogRow **) a;
  const RapportBacklogRow *rb = *(RapportBacklogRow **) b;
  g_autofree char *ka = g_utf8_collate_key (ra->owner_name, -1);
  g_autofree char *kb = g_utf8_collate_key (rb->owner_name, -1);

  /* Unassigned work comes last. */
  if ((*ra->owner == '\0') != (*rb->owner == '\0'))
    return *ra->owner == '\0' ? 1 : -1;
  return g_strcmp0 (ka, kb);
}

/**
 * rapport_store_backlog:
 * @user_id: (nullable): one owner, or %NULL for the whole team
 *
 * Owners are the owner of a reminder, the owner of the contact for a cadence,
 * relationship going cold or complaint, and who delivers (else who made) a
 * promise. Every user not in the Trash gets a row, even an empty one; work
 * without an owner is gathered in a last row whose owner is "".
 *
 * Returns: (transfer container) (element-type RapportBacklogRow): rows sorted
 *   by owner name, or %NULL with @error set.
 */
GPtrArray *
rapport_store_backlog (RapportStore *self, const char *user_id, gint64 at, GError **error)
{
  g_autoptr (GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) rapport_backlog_row_free);
  g_autoptr (GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_backlog_row_free);
  g_autoptr (GPtrArray) users = NULL;
  GHashTableIter iter;
  RapportBacklogRow *row;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);

  if (!aggregate (self, rows, reminders_sql, fill_reminders, at, error)
      || !aggregate (self, rows, contacts_sql, fill_contacts, at, error)
      || !aggregate (self, rows, promises_sql, fill_promises, at, error)
      || !aggregate (self, rows, complaints_sql, fill_complaints, at, error))
    return NULL;

  users = rapport_store_list_users (self);
  for (guint i = 0; i < users->len; i++)
    {
      RapportUser *user = users->pdata[i];
      row = row_for (rows, RAPPORT_RECORD (user)->id);
      row->owner_name = g_strdup (user->display_name && *user->display_name ? user->display_name
                                                                              : user->name);
    }

  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
    {
      if (user_id != NULL && g_strcmp0 (row->owner, user_id) != 0)
        continue;
      if (row->owner_name == NULL)
        {
          if (*row->owner != '\0')
            {
              g_autoptr (RapportUser) user = rapport_store_get_user (self, row->owner);
              row->owner_name = g_strdup (user ? user->display_name : row->owner);
            }
          else if (row_is_empty (row))
            continue;
          else
            row->owner_name = g_strdup (_("Unassigned"));
        }
      if (row->owner_name == NULL)
        row->owner_name = g_strdup (row->owner);
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (result, row);
    }
  if (user_id != NULL && result->len == 0)
    {
      g_autoptr (RapportUser) user = rapport_store_get_user (self, user_id);
      row = g_new0 (RapportBacklogRow, 1);
      row->owner = g_strdup (user_id);
      row->owner_name = g_strdup (user ? user->display_name : user_id);
      g_ptr_array_add (result, row);
    }
  g_ptr_array_sort (result, compare_rows);
  return g_steal_pointer (&result);
}

/**
 * rapport_store_record_backlog_day:
 * @at: the moment measured; its local calendar day names the figure
 *
 * Stores each owner's overdue follow-ups (all three aging buckets) at @at as
 * the figure of that day in backlog_daily, replacing an earlier figure of
 * the same day. This is local trend data: it is not journaled or synced.
 */
gboolean
rapport_store_record_backlog_day (RapportStore *self, gint64 at, GError **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *day = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rows = rapport_store_backlog (self, NULL, at, error);
  if (rows == NULL)
    return FALSE;
  local = g_date_time_new_from_unix_local (at);
  day = g_date_time_format (local, "%Y-%m-%d");

  if (!rapport_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      RapportBacklogRow *row = rows->pdata[i];
      int rc;

      stmt = rapport_store_prepare (self, "INSERT OR REPLACE INTO backlog_daily (day, owner, overdue)"
                                          " VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        {
          rapport_store_rollback (self);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, row->owner, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, row->overdue_1_7 + row->overdue_8_30 + row->overdue_31_plus);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          rapport_store_set_sqlite_error (self, error, N_("record the backlog of the day"));
          rapport_store_rollback (self);
          return FALSE;
        }
    }
  return rapport_store_commit (self, error);
}
