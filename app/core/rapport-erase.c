/* rapport-erase.c: erasing a contact and everything about them (an erasure request) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include "rapport-erase.h"
#include "rapport-journal.h"
#include "rapport-store-private.h"

/* How the erasure reaches the server: the wipe is an ordinary change, all
 * fields emptied and deleted = true, so any server and desktop that applies
 * changes by the merge rule ends with an empty tombstone under the same id,
 * and a later edit made before the erasure loses to it field by field. */

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
    return rapport_store_set_sqlite_error (store, error, "erase a record");
  return TRUE;
}

/* Every field emptied, and deleted: through the write path, so journaled. */
static gboolean
wipe (RapportStore *store, RapportRecord *record, GError **error)
{
  const RapportEntity *entity = rapport_record_get_entity (record);
  g_autoptr (JsonObject) empty = json_object_new ();

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const RapportField *field = &entity->fields[i];

      if ((field->flags & RAPPORT_FIELD_DERIVED) || g_str_equal (field->name, "created_at"))
        continue;
      switch (field->type)
        {
        case RAPPORT_FIELD_STRING:
        case RAPPORT_FIELD_TIME:
          json_object_set_null_member (empty, field->name);
          break;
        case RAPPORT_FIELD_INT:
          json_object_set_int_member (empty, field->name, 0);
          break;
        case RAPPORT_FIELD_BOOL:
          json_object_set_boolean_member (empty, field->name, FALSE);
          break;
        case RAPPORT_FIELD_STRV:
        case RAPPORT_FIELD_JSON:
          json_object_set_array_member (empty, field->name, json_array_new ());
          break;
        default:
          g_assert_not_reached ();
        }
    }
  json_object_set_boolean_member (empty, "deleted", TRUE);
  json_object_set_int_member (empty, "deleted_at", rapport_store_now (store));
  return rapport_record_set_from_json (record, empty, error) && rapport_store_save (store, record, error);
}

static gint64
max_journal_seq (RapportStore *store)
{
  sqlite3_stmt *stmt = rapport_store_prepare (store, "SELECT coalesce (max (seq), 0) FROM journal", NULL);
  gint64 seq = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return seq;
}

/* The local rows of one wiped record, and the journal entries made before
 * the wipe (@before: the last journal entry before it). */
static gboolean
purge (RapportStore *store, RapportRecord *record, gint64 before, GError **error)
{
  const RapportEntity *entity = rapport_record_get_entity (record);
  const char *id = record->id;
  const char *fts = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *journal_sql = NULL;
  g_autofree char *key = g_strdup_printf ("erased/%s/%s", entity->name, id);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, rapport_store_now (store));

  if (RAPPORT_IS_CONTACT (record))
    fts = "contacts_fts";
  else if (RAPPORT_IS_NOTE (record))
    fts = "notes_fts";
  else if (RAPPORT_IS_INTERACTION (record))
    fts = "interactions_fts";
  if (fts != NULL)
    {
      g_autofree char *fts_sql = g_strdup_printf ("DELETE FROM %s WHERE rowid = (SELECT rowid FROM %s "
                                                  "WHERE id = ?)", fts, entity->table);
      if (!run_sql (store, fts_sql, id, error))
        return FALSE;
    }
  journal_sql = g_strdup_printf ("DELETE FROM journal WHERE record_id = ? AND seq <= %" G_GINT64_FORMAT,
                                 before);
  sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", entity->table);
  return run_sql (store, "DELETE FROM note_history WHERE note_id = ?", id, error)
         && run_sql (store, "DELETE FROM contact_tags WHERE contact_id = ?", id, error)
         && run_sql (store, "DELETE FROM contact_keys WHERE contact_id = ?", id, error)
         && run_sql (store, "DELETE FROM conflicts WHERE record_id = ?", id, error)
         && run_sql (store, "DELETE FROM notified WHERE record_id = ?", id, error)
         && run_sql (store, journal_sql, id, error)
         && run_sql (store, sql, id, error)
         && rapport_store_set_state (store, key, now, error);
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
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  RapportContact *contact;
  gint64 before;

  contact = rapport_store_get_contact (store, contact_id, error);
  if (contact == NULL)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (timeline_entities); i++)
    {
      char *where = sqlite3_mprintf ("contact_id = %Q", contact_id);
      g_autoptr (GPtrArray) part = rapport_store_list (store, rapport_entity_lookup (timeline_entities[i]),
                                                       where, error);
      sqlite3_free (where);
      if (part == NULL)
        {
          g_object_unref (contact);
          return -1;
        }
      for (guint j = 0; j < part->len; j++)
        g_ptr_array_add (records, g_object_ref (part->pdata[j]));
    }
  g_ptr_array_add (records, contact);

  before = max_journal_seq (store);
  for (guint i = 0; i < records->len; i++)
    if (!wipe (store, records->pdata[i], error))
      return -1;
  if (!unlink_members (store, contact_id, error))
    return -1;
  for (guint i = 0; i < records->len; i++)
    if (!purge (store, records->pdata[i], before, error))
      return -1;
  return records->len;
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
