/* rapport-erase.c: erasing a contact and everything about them (an erasure request) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-erase.h"
#include "rapport-journal.h"
#include "rapport-store-private.h"

/* How the erasure reaches the server (app/server/PROTOCOL.md, "Erasure"):
 * one change {"erased": true, "fields": {}} of the contact, journaled after
 * every earlier change about the records is dropped. The server deletes the
 * contact, everything about it and their change log, and serves the erasure
 * to every desktop, which purges the same (rapport_store_purge_erased()). */

static const char *const timeline_entities[] = { "interaction", "note", "reminder", "promise" };

static gboolean
run_sql (RapportStore *store, const char *sql, const char *param, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (store, error, N_("erase a record"));
  return TRUE;
}

/* The local rows of one record, its derived data, history, conflicts and
 * journal entries; its id is remembered as erased (the value: the contact
 * the erasure was about). */
static gboolean
purge (RapportStore *store, const RapportEntity *entity, const char *id, const char *contact_id,
       GError **error)
{
  const char *fts = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *key = g_strdup_printf ("erased/%s/%s", entity->name, id);

  if (g_str_equal (entity->name, "contact"))
    fts = "contacts_fts";
  else if (g_str_equal (entity->name, "note"))
    fts = "notes_fts";
  else if (g_str_equal (entity->name, "interaction"))
    fts = "interactions_fts";
  if (fts != NULL)
    {
      g_autofree char *fts_sql = g_strdup_printf ("DELETE FROM %s WHERE rowid = (SELECT rowid FROM %s "
                                                  "WHERE id = ?)", fts, entity->table);
      if (!run_sql (store, fts_sql, id, error))
        return FALSE;
    }
  sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", entity->table);
  if (!(run_sql (store, "DELETE FROM note_history WHERE note_id = ?", id, error)
        && run_sql (store, "DELETE FROM contact_tags WHERE contact_id = ?", id, error)
        && run_sql (store, "DELETE FROM contact_keys WHERE contact_id = ?", id, error)
        && run_sql (store, "DELETE FROM conflicts WHERE record_id = ?", id, error)
        && run_sql (store, "DELETE FROM notified WHERE record_id = ?", id, error)
        && run_sql (store, "DELETE FROM journal WHERE record_id = ?", id, error)
        && run_sql (store, "DELETE FROM journal_base WHERE record_id = ?", id, error)
        && run_sql (store, sql, id, error)
        && rapport_store_set_state (store, key, contact_id, error)))
    return FALSE;
  rapport_store_emit_changed (store, entity->name, id);
  return TRUE;
}

/* Purges the contact and every record about it; returns how many there
 * were locally, or -1. */
static gint64
purge_all (RapportStore *store, const char *contact_id, GError **error)
{
  const RapportEntity *contact_entity = rapport_entity_lookup ("contact");
  gint64 n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (timeline_entities); i++)
    {
      const RapportEntity *entity = rapport_entity_lookup (timeline_entities[i]);
      g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE contact_id = ?", entity->table);
      g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = rapport_store_prepare (store, sql, error);
      int rc;

      if (stmt == NULL)
        return -1;
      sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          rapport_store_set_sqlite_error (store, error, N_("erase a record"));
          return -1;
        }
      for (guint j = 0; j < ids->len; j++)
        if (!purge (store, entity, ids->pdata[j], contact_id, error))
          return -1;
      n += ids->len;
    }
  if (rapport_store_rowid (store, contact_entity, contact_id) > 0)
    n++;
  if (!purge (store, contact_entity, contact_id, contact_id, error))
    return -1;
  return n;
}

/* The one change that carries the erasure to the server. */
static gboolean
journal_erasure (RapportStore *store, const char *contact_id, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      store, "INSERT INTO journal (change_id, entity, record_id, stamp, fields, erased) "
             "VALUES (?, 'contact', ?, ?, '{}', 1)", error);
  g_autofree char *change_id = g_uuid_string_random ();
  g_autofree char *stamp = rapport_store_next_stamp (store);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, contact_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, stamp, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (store, error, N_("journal a change"));
  return TRUE;
}

static gboolean
unlink_members (RapportStore *store, const char *organization_id, GError **error)
{
  char *where = sqlite3_mprintf ("organization_id = %Q", organization_id);
  g_autoptr (GPtrArray) members = rapport_store_list (store, rapport_entity_lookup ("contact"), where, error);

  sqlite3_free (where);
  if (members == NULL)
    return FALSE;
  for (guint i = 0; i < members->len; i++)
    {
      RapportContact *member = members->pdata[i];
      g_clear_pointer (&member->organization_id, g_free);
      if (!rapport_store_save (store, RAPPORT_RECORD (member), error))
        return FALSE;
    }
  return TRUE;
}

static gint64
erase_in_transaction (RapportStore *store, const char *contact_id, GError **error)
{
  g_autoptr (RapportContact) contact = rapport_store_get_contact (store, contact_id, error);
  gint64 n;

  if (contact == NULL)
    return -1;
  if (!unlink_members (store, contact_id, error))
    return -1;
  n = purge_all (store, contact_id, error);
  if (n < 0 || !journal_erasure (store, contact_id, error))
    return -1;
  return n;
}

/**
 * rapport_store_purge_erased:
 * @contact_id: a contact erased elsewhere (a pulled erasure)
 *
 * Purges the contact and every record about it, as
 * rapport_store_erase_contact() does, without journaling anything (the
 * erasure came from the server), and remembers the contact as erased even
 * when this desktop never had it. Pending changes about those records are
 * dropped: the server refuses them. Must be called inside a transaction.
 */
gboolean
rapport_store_purge_erased (RapportStore *store, const char *contact_id, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (contact_id != NULL, FALSE);

  return purge_all (store, contact_id, error) >= 0;
}

/**
 * rapport_store_unerase:
 * @contact_id: a contact whose erasure the server refused
 *
 * Forgets that the records of @contact_id were erased here, so that they
 * can be pulled again.
 */
gboolean
rapport_store_unerase (RapportStore *store, const char *contact_id, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);

  return run_sql (store, "DELETE FROM sync_state WHERE key >= 'erased/' AND key < 'erased0' "
                         "AND value = ?", contact_id, error);
}

gint64
rapport_store_erase_contact (RapportStore *store, const char *contact_id, GError **error)
{
  gint64 erased;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), -1);
  g_return_val_if_fail (contact_id != NULL, -1);

  if (!rapport_store_begin (store, error))
    return -1;
  erased = erase_in_transaction (store, contact_id, error);
  if (erased < 0)
    {
      rapport_store_rollback (store);
      return -1;
    }
  if (!rapport_store_commit (store, error))
    return -1;
  return erased;
}

gboolean
rapport_store_is_erased (RapportStore *store, const char *entity, const char *record_id)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (entity != NULL && record_id != NULL, FALSE);

  key = g_strdup_printf ("erased/%s/%s", entity, record_id);
  value = rapport_store_get_state (store, key);
  return value != NULL;
}
