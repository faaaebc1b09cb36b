/* rapport-store-records.c: reading and writing records, one write path */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-journal.h"
#include "rapport-id.h"
#include "rapport-merge.h"
#include "rapport-store-private.h"

#define FIELD_PTR(rec, field) ((gpointer) (((guint8 *) (rec)) + (field)->offset))

char *
rapport_store_select_columns (const RapportEntity *entity, const char *alias)
{
  GString *sql = g_string_new (NULL);
  const char *prefix = alias ? alias : "";
  const char *dot = alias ? "." : "";

  g_string_append_printf (sql, "%s%sid", prefix, dot);
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (sql, ", %s%s%s", prefix, dot, entity->fields[i].name);
  return g_string_free (sql, FALSE);
}

static JsonNode *
parse_json_text (JsonParser **parser, const char *text)
{
  if (text == NULL)
    return NULL;
  if (*parser == NULL)
    *parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (*parser, text, -1, NULL))
    return NULL;
  return json_parser_steal_root (*parser);
}

/**
 * rapport_store_record_from_row:
 * @first_column: where the columns of rapport_store_select_columns() start
 *
 * Returns: (transfer full): the record in the current row of @stmt.
 */
RapportRecord *
rapport_store_record_from_row (const RapportEntity *entity, sqlite3_stmt *stmt, int first_column)
{
  RapportRecord *record = rapport_record_new_for_entity (entity);
  g_autoptr (JsonParser) parser = NULL;  /* one for the row's arrays */

  record->id = g_strdup ((const char *) sqlite3_column_text (stmt, first_column));
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const RapportField *field = &entity->fields[i];
      int col = first_column + 1 + (int) i;
      gpointer p = FIELD_PTR (record, field);

      switch (field->type)
        {
        case RAPPORT_FIELD_STRING:
          *(char **) p = g_strdup ((const char *) sqlite3_column_text (stmt, col));
          break;
        case RAPPORT_FIELD_INT:
        case RAPPORT_FIELD_TIME:
          *(gint64 *) p = sqlite3_column_int64 (stmt, col);
          break;
        case RAPPORT_FIELD_BOOL:
          *(gboolean *) p = sqlite3_column_int (stmt, col) != 0;
          break;
        case RAPPORT_FIELD_STRV:
        case RAPPORT_FIELD_JSON:
          {
            const char *text = (const char *) sqlite3_column_text (stmt, col);
            g_autoptr (JsonNode) node = NULL;

            /* Most arrays are empty: no parse for them. */
            if (g_strcmp0 (text, "[]") == 0)
              {
                if (field->type == RAPPORT_FIELD_JSON)
                  *(JsonArray **) p = json_array_new ();
                else
                  *(char ***) p = g_new0 (char *, 1);
                break;
              }
            node = parse_json_text (&parser, text);
            if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
              rapport_record_set_field (record, field, node, NULL);
            /* A column that does not hold an array of the right kind reads
             * as an empty list. */
            if (field->type == RAPPORT_FIELD_JSON && *(JsonArray **) p == NULL)
              *(JsonArray **) p = json_array_new ();
            break;
          }
        default:
          g_assert_not_reached ();
        }
    }
  return record;
}

static char *
build_load (const RapportEntity *entity)
{
  g_autofree char *columns = rapport_store_select_columns (entity, NULL);

  return g_strdup_printf ("SELECT %s FROM %s WHERE id = ?", columns, entity->table);
}

RapportRecord *
rapport_store_load (RapportStore *self, const RapportEntity *entity, const char *id, GError **error)
{
  static GHashTable *cache;
  sqlite3_stmt *stmt;
  RapportRecord *record = NULL;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);
  g_return_val_if_fail (entity != NULL && id != NULL, NULL);

  stmt = rapport_store_prepare (self, rapport_store_entity_sql (&cache, build_load, entity), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = rapport_store_record_from_row (entity, stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND, _("No %s has the id %s"),
                 entity->name, id);
  else
    rapport_store_set_sqlite_error (self, error, N_("read a record"));
  sqlite3_reset (stmt);
  return record;
}

/**
 * rapport_store_bind_field:
 * @json: (nullable): the text of an array or object field when the caller
 *   has it (a span of the journal entry), alive until the statement's step
 *
 * Binds @field of @record to parameter @index of @stmt, as its column holds
 * it. Text is not copied: @record must outlive the step.
 */
void
rapport_store_bind_field (sqlite3_stmt *stmt, int index, RapportRecord *record,
                          const RapportField *field, const char *json, int json_len)
{
  gpointer p = FIELD_PTR (record, field);

  switch (field->type)
    {
    case RAPPORT_FIELD_STRING:
      sqlite3_bind_text (stmt, index, *(char **) p, -1, SQLITE_STATIC);
      break;
    case RAPPORT_FIELD_INT:
      sqlite3_bind_int64 (stmt, index, *(gint64 *) p);
      break;
    case RAPPORT_FIELD_TIME:
      if (*(gint64 *) p == 0)
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_int64 (stmt, index, *(gint64 *) p);
      break;
    case RAPPORT_FIELD_BOOL:
      sqlite3_bind_int (stmt, index, *(gboolean *) p ? 1 : 0);
      break;
    case RAPPORT_FIELD_STRV:
    case RAPPORT_FIELD_JSON:
      if (json != NULL)
        sqlite3_bind_text (stmt, index, json, json_len, SQLITE_STATIC);
      else
        {
          g_autoptr (JsonNode) node = rapport_record_get_field_node (record, field);

          sqlite3_bind_text (stmt, index, rapport_json_node_to_text (node), -1, g_free);
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * rapport_store_entity_sql:
 *
 * Returns: (transfer none): an entity's SQL made by @build, once per process
 *   and @cache: statements are looked up by their text in the store's
 *   cache, so the text must not be rebuilt for every write.
 */
const char *
rapport_store_entity_sql (GHashTable **cache, RapportSqlBuilder build, const RapportEntity *entity)
{
  static GMutex lock;
  char *sql;

  g_mutex_lock (&lock);
  if (*cache == NULL)
    *cache = g_hash_table_new (NULL, NULL);
  sql = g_hash_table_lookup (*cache, entity);
  if (sql == NULL)
    {
      sql = build (entity);
      g_hash_table_insert (*cache, (gpointer) entity, sql);
    }
  g_mutex_unlock (&lock);
  return sql;
}

/* The upsert of a whole row. */
static char *
build_write_row (const RapportEntity *entity)
{
  g_autofree char *columns = rapport_store_select_columns (entity, NULL);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "INSERT INTO %s (%s, stamp, field_stamps) VALUES (?",
                          entity->table, columns);
  for (guint i = 0; i < entity->n_fields + 2; i++)
    g_string_append (text, ", ?");
  g_string_append (text, ") ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp, "
                         "field_stamps = excluded.field_stamps");
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (text, ", %s = excluded.%s", entity->fields[i].name,
                            entity->fields[i].name);
  return g_string_free (text, FALSE);
}

static const char *
write_row_sql (const RapportEntity *entity)
{
  static GHashTable *cache;

  return rapport_store_entity_sql (&cache, build_write_row, entity);
}

static gboolean
write_row (RapportStore *self, RapportRecord *record, const char *stamp, JsonObject *field_stamps,
           GError **error)
{
  const RapportEntity *entity = rapport_record_get_entity (record);
  g_autofree char *stamps_text = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = rapport_store_prepare (self, write_row_sql (entity), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < entity->n_fields; i++)
    rapport_store_bind_field (stmt, 2 + (int) i, record, &entity->fields[i], NULL, 0);
  sqlite3_bind_text (stmt, entity->n_fields + 2, stamp, -1, SQLITE_TRANSIENT);
  if (field_stamps != NULL && json_object_get_size (field_stamps) > 0)
    {
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), field_stamps);
      stamps_text = rapport_json_node_to_text (node);
    }
  sqlite3_bind_text (stmt, entity->n_fields + 3, stamps_text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("save a record"));
  return TRUE;
}

/* The read of a stored record with its stamps and rowid. */
static char *
build_read_stored (const RapportEntity *entity)
{
  g_autofree char *columns = rapport_store_select_columns (entity, NULL);

  return g_strdup_printf ("SELECT rowid, stamp, field_stamps, %s FROM %s WHERE id = ?", columns,
                          entity->table);
}

static const char *
read_stored_sql (const RapportEntity *entity)
{
  static GHashTable *cache;

  return rapport_store_entity_sql (&cache, build_read_stored, entity);
}

/* Reads a stored record, its stamps and its rowid in one statement; *base
 * and *record are NULL when it is absent. */
static gboolean
read_stored (RapportStore *self, const RapportEntity *entity, const char *id, RapportRecord **record,
             char **base, JsonObject **field_stamps, gint64 *rowid, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, read_stored_sql (entity), error);
  int rc;

  *record = NULL;
  *base = NULL;
  *rowid = 0;
  *field_stamps = json_object_new ();
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autoptr (JsonParser) parser = NULL;
      g_autoptr (JsonNode) node = parse_json_text (&parser, (const char *) sqlite3_column_text (stmt, 2));

      *rowid = sqlite3_column_int64 (stmt, 0);
      *base = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          json_object_unref (*field_stamps);
          *field_stamps = json_object_ref (json_node_get_object (node));
        }
      *record = rapport_store_record_from_row (entity, stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("read a record"));
  return TRUE;
}

static gboolean
entity_fields_complete (const RapportEntity *entity, JsonObject *fields)
{
  for (guint i = 0; i < entity->n_fields; i++)
    if (!(entity->fields[i].flags & RAPPORT_FIELD_DERIVED)
        && !json_object_has_member (fields, entity->fields[i].name))
      return FALSE;
  return TRUE;
}

/**
 * rapport_store_merge_fields:
 * @stamp: the change's stamp
 * @fields: the fields the change writes
 * @lost: (nullable) (element-type utf8): names of fields that lost
 * @applied: (out) (optional) (transfer full): the fields that won
 *
 * The one write path: merges a change into the stored record by the merge
 * rule, writes the row and its derived data, and queues "changed". Must be
 * called inside a transaction.
 */
gboolean
rapport_store_merge_fields (RapportStore *self, const RapportEntity *entity, const char *id,
                            const char *stamp, JsonObject *fields, GPtrArray *lost,
                            JsonObject **applied, GError **error)
{
  g_autofree char *base = NULL;
  g_autoptr (JsonObject) field_stamps = NULL;
  g_autoptr (JsonObject) winners = NULL;
  g_autoptr (RapportRecord) record = NULL;
  g_autoptr (RapportRecord) old = NULL;
  const char *new_base;
  gint64 rowid;

  if (!read_stored (self, entity, id, &record, &base, &field_stamps, &rowid, error))
    return FALSE;
  winners = rapport_merge_change (base, field_stamps, stamp, fields, lost);
  if (applied)
    *applied = json_object_ref (winners);
  if (json_object_get_size (winners) == 0)
    return TRUE;

  if (record != NULL)
    old = rapport_record_copy (record);
  else
    {
      record = rapport_record_new_for_entity (entity);
      record->id = g_strdup (id);
    }
  if (!rapport_record_set_from_json (record, winners, error))
    return FALSE;

  new_base = base;
  rapport_merge_record_stamps (&new_base, field_stamps, stamp, winners,
                               entity_fields_complete (entity, fields));
  if (!write_row (self, record, new_base, field_stamps, error))
    return FALSE;
  if (rowid == 0)
    rowid = sqlite3_last_insert_rowid (rapport_store_get_db (self));
  if (!rapport_index_record_change_at (self, old, record, rowid, error))
    return FALSE;
  rapport_store_emit_changed (self, entity->name, id);
  return TRUE;
}

static gboolean
journal_add (RapportStore *self, const RapportEntity *entity, const char *id, const char *stamp,
             JsonObject *fields, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      self, "INSERT INTO journal (change_id, entity, record_id, stamp, fields) "
            "VALUES (?, ?, ?, ?, ?)", error);
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), fields);
  g_autofree char *text = rapport_json_node_to_text (node);
  g_autofree char *change_id = rapport_id_new ();
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, stamp, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("journal a change"));
  return TRUE;
}

static gboolean
save_in_transaction (RapportStore *self, RapportRecord *record, GError **error)
{
  const RapportEntity *entity = rapport_record_get_entity (record);
  g_autoptr (RapportRecord) old = NULL;
  g_autoptr (JsonObject) diff = NULL;
  g_autoptr (JsonObject) applied = NULL;
  g_autofree char *stamp = NULL;

  if (record->id == NULL)
    record->id = rapport_id_new ();
  else
    {
      g_autoptr (GError) local_error = NULL;
      old = rapport_store_load (self, entity, record->id, &local_error);
      if (old == NULL && !g_error_matches (local_error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (record->created_at == 0)
    record->created_at = old ? old->created_at : rapport_store_now (self);

  diff = rapport_record_diff (old, record);
  if (json_object_get_size (diff) == 0)
    return TRUE;

  stamp = rapport_store_next_stamp (self);
  if (!rapport_store_keep_base (self, entity, record->id, old, diff, error)
      || !rapport_store_merge_fields (self, entity, record->id, stamp, diff, NULL, &applied, error))
    return FALSE;
  return journal_add (self, entity, record->id, stamp, diff, error);
}

/**
 * rapport_store_save:
 * @record: a new record (id %NULL) or a changed copy of a stored one
 *
 * Saves @record: the row, a journal entry of the fields that changed and a
 * fresh clock stamp, in one transaction.
 */
gboolean
rapport_store_save (RapportStore *self, RapportRecord *record, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (RAPPORT_IS_RECORD (record), FALSE);

  if (!rapport_store_begin (self, error))
    return FALSE;
  if (!save_in_transaction (self, record, error))
    {
      rapport_store_rollback (self);
      return FALSE;
    }
  return rapport_store_commit (self, error);
}

gboolean
rapport_store_delete (RapportStore *self, RapportRecord *record, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (RAPPORT_IS_RECORD (record) && record->id != NULL, FALSE);

  record->deleted = TRUE;
  record->deleted_at = rapport_store_now (self);
  return rapport_store_save (self, record, error);
}

gboolean
rapport_store_restore (RapportStore *self, RapportRecord *record, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (RAPPORT_IS_RECORD (record) && record->id != NULL, FALSE);

  record->deleted = FALSE;
  record->deleted_at = 0;
  return rapport_store_save (self, record, error);
}

/**
 * rapport_store_list:
 * @where: (nullable): an SQL condition over the entity's columns, written by
 *   core code (never user text), e.g. "contact_id = 'x' AND deleted = 0"
 *
 * Returns: (transfer container) (element-type RapportRecord): the records.
 */
GPtrArray *
rapport_store_list (RapportStore *self, const RapportEntity *entity, const char *where,
                    GError **error)
{
  g_autofree char *columns = rapport_store_select_columns (entity, NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s%s%s", columns, entity->table,
                                          where ? " WHERE " : "", where ? where : "");
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (rapport_store_get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      rapport_store_set_sqlite_error (self, error, N_("list records"));
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, rapport_store_record_from_row (entity, stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self, error, N_("list records"));
      return NULL;
    }
  return g_steal_pointer (&records);
}
