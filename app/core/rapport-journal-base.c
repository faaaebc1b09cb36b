/* rapport-journal-base.c: the values pending edits replaced, to undo a refused change */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-journal.h"
#include "rapport-merge.h"
#include "rapport-store-private.h"

/* While a record has pending edits, journal_base keeps, per field, the value
 * and stamp the field had before the first of them: the last value the
 * server accepted (or the record as pulled). A change the server refuses is
 * undone from it; once nothing about the record is pending, its rows go. */

static gboolean
read_stamps (RapportStore *self, const RapportEntity *entity, const char *id, char **base,
             JsonObject **field_stamps, gboolean *found, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT stamp, field_stamps FROM %s WHERE id = ?",
                                          entity->table);
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, error);
  int rc;

  *base = NULL;
  *field_stamps = json_object_new ();
  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      const char *text = (const char *) sqlite3_column_text (stmt, 1);

      *found = TRUE;
      *base = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          json_object_unref (*field_stamps);
          *field_stamps = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("read a record"));
  return TRUE;
}

/**
 * rapport_store_keep_base:
 * @old: (nullable): the record before a local edit (%NULL: a new record,
 *   which has no earlier value to keep)
 * @diff: the fields the edit writes
 *
 * Called by the write path before a local edit is merged: keeps each
 * field's value and stamp unless an earlier pending edit kept it already.
 */
gboolean
rapport_store_keep_base (RapportStore *self, const RapportEntity *entity, const char *id,
                         RapportRecord *old, JsonObject *diff, GError **error)
{
  g_autofree char *base = NULL;
  g_autoptr (JsonObject) field_stamps = NULL;
  g_autoptr (JsonObject) values = NULL;
  g_autoptr (GList) members = NULL;
  gboolean found;

  if (old == NULL)
    return TRUE;
  if (!read_stamps (self, entity, id, &base, &field_stamps, &found, error))
    return FALSE;
  if (!found)
    return TRUE;
  values = rapport_record_to_json (old);
  members = json_object_get_members (diff);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *value = json_object_get_member (values, l->data);
      g_autofree char *text = value ? json_to_string (value, FALSE) : NULL;
      sqlite3_stmt *stmt = rapport_store_prepare (
          self, "INSERT OR IGNORE INTO journal_base (record_id, field, value, stamp) "
                "VALUES (?, ?, ?, ?)", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, l->data, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, rapport_merge_field_stamp (base, field_stamps, l->data), -1,
                         SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return rapport_store_set_sqlite_error (self, error, N_("journal a change"));
    }
  return TRUE;
}

/* Forgets the kept values of records with nothing pending any more. */
gboolean
rapport_store_drop_settled_bases (RapportStore *self, GError **error)
{
  return rapport_store_exec (self, "DELETE FROM journal_base WHERE record_id NOT IN "
                                   "(SELECT record_id FROM journal)", error);
}

/**
 * rapport_store_restore_refused:
 * @change: a local change the server refused (forbidden, invalid)
 *
 * Undoes @change where nothing newer was written since: each of its fields
 * gets back the value and stamp kept before the first pending edit, through
 * the write path (indexes follow). A field never accepted anywhere (a
 * refused new record) is left as it is; the conflict row says it was
 * refused. Must be called inside a transaction.
 */
gboolean
rapport_store_restore_refused (RapportStore *self, RapportChange *change, GError **error)
{
  const RapportEntity *entity = rapport_entity_lookup (change->entity);
  g_autoptr (GList) members = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);

  if (entity == NULL)
    return TRUE;
  members = json_object_get_members (change->fields);
  for (GList *l = members; l; l = l->next)
    {
      g_autofree char *base = NULL;
      g_autofree char *kept_value = NULL;
      g_autofree char *kept_stamp = NULL;
      g_autoptr (JsonObject) field_stamps = NULL;
      g_autoptr (JsonObject) fields = NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autofree char *stamps_text = NULL;
      g_autofree char *update_sql = NULL;
      sqlite3_stmt *stmt;
      gboolean found, kept = FALSE;
      int rc;

      if (!read_stamps (self, entity, change->record_id, &base, &field_stamps, &found, error))
        return FALSE;
      /* Gone, or written again since: nothing of the refused change is left. */
      if (!found || g_strcmp0 (rapport_merge_field_stamp (base, field_stamps, l->data),
                               change->stamp) != 0)
        continue;
      stmt = rapport_store_prepare (self, "SELECT value, stamp FROM journal_base "
                                          "WHERE record_id = ? AND field = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, change->record_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, l->data, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          kept = TRUE;
          kept_value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          kept_stamp = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (!kept || kept_stamp == NULL || kept_value == NULL
          || !json_parser_load_from_data (parser, kept_value, -1, NULL))
        continue;

      /* The field's stamp is lowered first, so the write path takes the
       * kept value under its own (older) stamp. */
      json_object_set_string_member (field_stamps, l->data, "");
      {
        g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), field_stamps);
        stamps_text = json_to_string (node, FALSE);
      }
      update_sql = g_strdup_printf ("UPDATE %s SET field_stamps = ? WHERE id = ?", entity->table);
      stmt = rapport_store_prepare (self, update_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, stamps_text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, change->record_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return rapport_store_set_sqlite_error (self, error, N_("undo a refused change"));
      fields = json_object_new ();
      json_object_set_member (fields, l->data, json_parser_steal_root (parser));
      if (!rapport_store_merge_fields (self, entity, change->record_id, kept_stamp, fields, NULL,
                                       NULL, error))
        return FALSE;
    }
  return TRUE;
}
