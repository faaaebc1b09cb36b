/* rapport-conflicts.c: what did not make it, by contact, for the contact page */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-conflicts.h"
#include "rapport-store-private.h"

/* The records of one contact: itself and its timeline. conflicts_by_record
 * and each table's contact index keep this cheap. */
#define CONTACT_RECORDS                                                        \
  "(record_id = ?1 OR record_id IN ("                                          \
  "SELECT id FROM interactions WHERE contact_id = ?1 "                         \
  "UNION ALL SELECT id FROM notes WHERE contact_id = ?1 "                      \
  "UNION ALL SELECT id FROM reminders WHERE contact_id = ?1 "                  \
  "UNION ALL SELECT id FROM promises WHERE contact_id = ?1))"

static char *
column_text (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/**
 * rapport_store_list_contact_conflicts:
 * @contact_id: a contact
 *
 * Returns: (transfer container) (element-type RapportConflict): the unseen
 *   conflicts of the contact and of its records, newest first, or %NULL
 *   with @error set.
 */
GPtrArray *
rapport_store_list_contact_conflicts (RapportStore *self, const char *contact_id, GError **error)
{
  g_autoptr (GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  stmt = rapport_store_prepare (self,
                                "SELECT id, entity, record_id, field, lost_value, lost_stamp, "
                                "winner_stamp, reason, at, seen, winner_author FROM conflicts "
                                "WHERE seen = 0 AND "
                                CONTACT_RECORDS " ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_conflict_free);
  sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RapportConflict *c = g_new0 (RapportConflict, 1);

      c->id = sqlite3_column_int64 (stmt, 0);
      c->entity = column_text (stmt, 1);
      c->record_id = column_text (stmt, 2);
      c->field = column_text (stmt, 3);
      c->lost_value = column_text (stmt, 4);
      c->lost_stamp = column_text (stmt, 5);
      c->winner_stamp = column_text (stmt, 6);
      c->reason = column_text (stmt, 7);
      c->at = sqlite3_column_int64 (stmt, 8);
      c->seen = sqlite3_column_int (stmt, 9) != 0;
      c->winner_author = column_text (stmt, 10);
      g_ptr_array_add (list, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self, error, N_("read the conflicts"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * rapport_store_count_contact_conflicts:
 *
 * Returns: how many conflicts of the contact and its records are unseen.
 */
gint64
rapport_store_count_contact_conflicts (RapportStore *self, const char *contact_id)
{
  sqlite3_stmt *stmt;
  gint64 count = 0;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), 0);
  g_return_val_if_fail (contact_id != NULL, 0);

  stmt = rapport_store_prepare (self, "SELECT count(*) FROM conflicts WHERE seen = 0 AND "
                                      CONTACT_RECORDS, NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

/**
 * rapport_store_mark_contact_conflicts_seen:
 * @last_id: the id of the newest conflict the person saw, 0 for all
 *
 * The person has read them: they are no longer listed here nor counted
 * (rapport_store_list_conflicts() with include_seen still has them).
 */
gboolean
rapport_store_mark_contact_conflicts_seen (RapportStore *self, const char *contact_id,
                                           gint64 last_id, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (contact_id != NULL, FALSE);

  stmt = rapport_store_prepare (self, "UPDATE conflicts SET seen = 1 WHERE seen = 0 AND "
                                      "(?2 = 0 OR id <= ?2) AND " CONTACT_RECORDS, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, last_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("update the conflicts"));
  return TRUE;
}
