/* rapport-import-bulk.c: writing many new contacts fast, as the store's write path would */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <string.h>

#include "rapport-import-private.h"
#include "rapport-id.h"
#include "rapport-store-private.h"

/* A new contact is written as rapport_store_save() writes a record not yet
 * stored: a fresh clock stamp as its base stamp, the row, a journal entry
 * holding every synced field, and its derived data as rapport-index.c makes
 * it. The derived data of a new contact is only added (nothing of it exists
 * yet), so it is gathered and written at the end, sorted, in one go: that is
 * what makes 100,000 rows take seconds. test-import.c checks that the two
 * paths leave identical tables. */

typedef struct
{
  char *id;
  gint64 rowid;
  char *name;
  char *organization;
  char *emails;       /* the full-text columns, as rapport-index.c writes them */
  char *phones;
  char *tags;
  gboolean forgotten;
} Pending;

typedef struct
{
  const char *a;      /* contact_keys: kind, value, id; contact_tags: id, tag */
  const char *b;
  const char *c;
} KeyRow;

struct _RapportBulkWriter
{
  RapportStore *store;
  char *insert_sql;
  GPtrArray *pending;       /* (element-type Pending) */
  GHashTable *by_id;        /* id -> Pending, not owned */
  GStringChunk *strings;    /* keys and tags */
  GArray *keys;             /* KeyRow */
  GArray *tags;             /* KeyRow */
};

static void
pending_free (Pending *p)
{
  g_free (p->id);
  g_free (p->name);
  g_free (p->organization);
  g_free (p->emails);
  g_free (p->phones);
  g_free (p->tags);
  g_free (p);
}

RapportBulkWriter *
rapport_bulk_writer_new (RapportStore *store)
{
  RapportBulkWriter *self = g_new0 (RapportBulkWriter, 1);
  const RapportEntity *entity = rapport_entity_lookup ("contact");
  g_autofree char *columns = rapport_store_select_columns (entity, NULL);
  GString *sql = g_string_new (NULL);

  self->store = g_object_ref (store);
  g_string_append_printf (sql, "INSERT INTO %s (%s, stamp, field_stamps, sort_key) VALUES (?", entity->table,
                          columns);
  for (guint i = 0; i < entity->n_fields + 3; i++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");
  self->insert_sql = g_string_free (sql, FALSE);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->strings = g_string_chunk_new (64 * 1024);
  self->keys = g_array_new (FALSE, FALSE, sizeof (KeyRow));
  self->tags = g_array_new (FALSE, FALSE, sizeof (KeyRow));
  return self;
}

void
rapport_bulk_writer_free (RapportBulkWriter *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->store);
  g_free (self->insert_sql);
  g_ptr_array_unref (self->pending);
  g_hash_table_unref (self->by_id);
  g_string_chunk_free (self->strings);
  g_array_unref (self->keys);
  g_array_unref (self->tags);
  g_free (self);
}


static void
add_row (RapportBulkWriter *self, GArray *rows, const char *a, const char *b, const char *c)
{
  KeyRow row = { g_string_chunk_insert_const (self->strings, a), g_string_chunk_insert_const (self->strings, b),
                 c ? g_string_chunk_insert_const (self->strings, c) : NULL };
  g_array_append_val (rows, row);
}

/* The derived data of a new contact, as index_contact() of rapport-index.c
 * makes it, kept until rapport_bulk_writer_finish(). */
static void
gather (RapportBulkWriter *self, RapportContact *contact, gint64 rowid, const char *sort_key)
{
  const char *id = RAPPORT_RECORD (contact)->id;
  Pending *p = g_new0 (Pending, 1);

  p->id = g_strdup (id);
  p->rowid = rowid;
  p->name = rapport_index_search_text (contact->name);
  p->organization = rapport_index_search_text (contact->organization);
  p->emails = rapport_index_values_text (contact->emails, FALSE);
  p->phones = rapport_index_values_text (contact->phones, TRUE);
  p->tags = contact->tags ? g_strjoinv (" ", contact->tags) : g_strdup ("");
  g_ptr_array_add (self->pending, p);
  g_hash_table_insert (self->by_id, p->id, p);

  for (char **t = contact->tags; t && *t; t++)
    add_row (self, self->tags, id, *t, NULL);
  for (guint i = 0; contact->emails && i < json_array_get_length (contact->emails); i++)
    {
      JsonObject *o = json_array_get_object_element (contact->emails, i);
      g_autofree char *key = g_utf8_casefold (json_object_get_string_member_with_default (o, "value", ""), -1);
      if (*key)
        add_row (self, self->keys, "email", key, id);
    }
  for (guint i = 0; contact->phones && i < json_array_get_length (contact->phones); i++)
    {
      JsonObject *o = json_array_get_object_element (contact->phones, i);
      g_autofree char *key = rapport_phone_digits (json_object_get_string_member_with_default (o, "value", ""));
      if (strlen (key) >= 6)
        add_row (self, self->keys, "phone", key, id);
    }
  if (sort_key[0] != '\0')
    {
      g_autofree char *name_key = g_strdup_printf ("%s|%s", sort_key,
                                                   contact->organization ? contact->organization : "");
      add_row (self, self->keys, "name", name_key, id);
    }
}

/* Binds a field as the store's write path does: its value in the record's
 * JSON, arrays as JSON text; derived fields from the record itself. */
static void
bind_field (sqlite3_stmt *stmt, int index, RapportRecord *record, const RapportField *field,
            JsonObject *fields)
{
  JsonNode *node = json_object_get_member (fields, field->name);

  if (node == NULL)
    {
      gint64 value = G_STRUCT_MEMBER (gint64, record, field->offset);
      if (value == 0 && field->type == RAPPORT_FIELD_TIME)
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_int64 (stmt, index, value);
    }
  else if (JSON_NODE_HOLDS_NULL (node))
    sqlite3_bind_null (stmt, index);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *text = rapport_json_node_to_text (node);
      sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_STATIC);
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    sqlite3_bind_int (stmt, index, json_node_get_boolean (node) ? 1 : 0);
  else
    sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
}

static gboolean
step (RapportStore *store, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (store, error, what);
  return TRUE;
}

/**
 * rapport_bulk_writer_insert:
 *
 * Writes a new contact (its id is set here): the row, with its sort key,
 * and its journal entry; its derived data waits for
 * rapport_bulk_writer_finish(). Must be called inside a transaction.
 */
gboolean
rapport_bulk_writer_insert (RapportBulkWriter *self, RapportContact *contact, GError **error)
{
  RapportRecord *record = RAPPORT_RECORD (contact);
  const RapportEntity *entity = rapport_record_get_entity (record);
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *change_id = NULL;
  g_autofree char *sort_key = NULL;
  sqlite3_stmt *stmt;
  int n = (int) entity->n_fields;

  g_return_val_if_fail (record->id == NULL, FALSE);

  record->id = rapport_id_new ();
  if (record->created_at == 0)
    record->created_at = rapport_store_now (self->store);
  fields = rapport_record_to_json (record);
  stamp = rapport_store_next_stamp (self->store);
  sort_key = rapport_index_sort_key (contact->name);

  stmt = rapport_store_prepare (self->store, self->insert_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_STATIC);
  for (int i = 0; i < n; i++)
    bind_field (stmt, 2 + i, record, &entity->fields[i], fields);
  sqlite3_bind_text (stmt, n + 2, stamp, -1, SQLITE_STATIC);
  sqlite3_bind_null (stmt, n + 3);
  sqlite3_bind_text (stmt, n + 4, sort_key, -1, SQLITE_STATIC);
  if (!step (self->store, stmt, "save a record", error))
    return FALSE;
  gather (self, contact, sqlite3_last_insert_rowid (rapport_store_get_db (self->store)), sort_key);

  node = json_node_init_object (json_node_alloc (), fields);
  journal = rapport_json_node_to_text (node);
  change_id = rapport_id_new ();
  stmt = rapport_store_prepare (self->store, "INSERT INTO journal (change_id, entity, record_id, stamp, fields) "
                                             "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, record->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, stamp, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, journal, -1, SQLITE_STATIC);
  return step (self->store, stmt, "journal a change", error);
}

/**
 * rapport_bulk_writer_forget:
 *
 * A contact written here is about to be saved again through the store (a
 * later record of the file merged into it): its derived data is left to
 * that save.
 */
void
rapport_bulk_writer_forget (RapportBulkWriter *self, const char *id)
{
  Pending *p = g_hash_table_lookup (self->by_id, id);

  if (p != NULL)
    p->forgotten = TRUE;
}

static int
compare_rows (gconstpointer x, gconstpointer y)
{
  const KeyRow *a = x, *b = y;
  int c = g_strcmp0 (a->a, b->a);

  if (c == 0)
    c = g_strcmp0 (a->b, b->b);
  return c != 0 ? c : g_strcmp0 (a->c, b->c);
}

static gboolean
write_pairs (RapportBulkWriter *self, GArray *rows, const char *sql, gboolean three, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self->store, sql, error);

  if (stmt == NULL)
    return FALSE;
  /* In key order, the B-tree grows at its end instead of everywhere. */
  g_array_sort (rows, compare_rows);
  for (guint i = 0; i < rows->len; i++)
    {
      KeyRow *row = &g_array_index (rows, KeyRow, i);
      Pending *p = g_hash_table_lookup (self->by_id, three ? row->c : row->a);

      if (p != NULL && p->forgotten)
        continue;
      sqlite3_bind_text (stmt, 1, three ? row->c : row->a, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, three ? row->a : row->b, -1, SQLITE_STATIC);
      if (three)
        sqlite3_bind_text (stmt, 3, row->b, -1, SQLITE_STATIC);
      if (!step (self->store, stmt, "update the indexes", error))
        return FALSE;
    }
  g_array_set_size (rows, 0);
  return TRUE;
}

/**
 * rapport_bulk_writer_finish:
 *
 * Writes the derived data of the contacts inserted: full-text rows, tags
 * and duplicate keys. Must be called in the same transaction.
 */
gboolean
rapport_bulk_writer_finish (RapportBulkWriter *self, GError **error)
{
  sqlite3_stmt *stmt;

  stmt = rapport_store_prepare (self->store, "INSERT INTO contacts_fts (rowid, name, organization, emails, "
                                             "phones, tags) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < self->pending->len; i++)
    {
      Pending *p = self->pending->pdata[i];

      if (p->forgotten)
        continue;
      sqlite3_bind_int64 (stmt, 1, p->rowid);
      sqlite3_bind_text (stmt, 2, p->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, p->organization, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, p->emails, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, p->phones, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, p->tags, -1, SQLITE_STATIC);
      if (!step (self->store, stmt, "update the indexes", error))
        return FALSE;
    }
  if (!write_pairs (self, self->tags, "INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)",
                    FALSE, error)
      || !write_pairs (self, self->keys, "INSERT OR IGNORE INTO contact_keys VALUES (?, ?, ?)", TRUE, error))
    return FALSE;
  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->pending, 0);
  return TRUE;
}
