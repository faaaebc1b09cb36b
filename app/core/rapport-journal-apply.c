/* rapport-journal-apply.c: pulled changes of records not stored yet, written in bulk */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-id.h"
#include "rapport-key-rows.h"
#include "rapport-journal-private.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"

/* A pulled change of a record this store does not hold (the whole first
 * sync, and every record made elsewhere since) has nothing to merge with:
 * rapport_store_merge_fields() would apply every field it carries. Here the
 * row is inserted as that path leaves it (the change's stamp as base stamp
 * for a complete write, else the empty base and a stamp per field), without
 * reading or merging anything; its derived data (full-text rows, tags,
 * duplicate keys, a contact's last interaction) is gathered and written
 * sorted once per page, as rapport-index.c would have made it row by row.
 * Before anything else touches the store's records (a change of a stored
 * record, an erasure) the gathered data is written, so every other write
 * sees what it would have seen. test-apply-fast.c checks that both paths
 * leave identical tables. */

typedef struct
{
  gint64 rowid;
  char *columns[5];   /* the full-text columns; only the first for notes and interactions */
} FtsRow;

typedef enum
{
  FTS_CONTACTS,
  FTS_INTERACTIONS,
  FTS_NOTES,
  N_FTS
} FtsTable;

struct _RapportApplyBatch
{
  RapportStore *store;
  GArray *fts[N_FTS];        /* FtsRow */
  GArray *tags;              /* RapportKeyRow: contact id, tag */
  GArray *keys;              /* RapportKeyRow: kind, value, contact id */
  GHashTable *refresh;       /* contact ids whose last interaction is recomputed */
  GStringChunk *strings;
  gboolean pending;
};

static void
fts_row_clear (FtsRow *row)
{
  for (guint i = 0; i < G_N_ELEMENTS (row->columns); i++)
    g_free (row->columns[i]);
}

RapportApplyBatch *
rapport_apply_batch_new (RapportStore *store)
{
  RapportApplyBatch *self = g_new0 (RapportApplyBatch, 1);

  self->store = g_object_ref (store);
  for (guint i = 0; i < N_FTS; i++)
    {
      self->fts[i] = g_array_new (FALSE, TRUE, sizeof (FtsRow));
      g_array_set_clear_func (self->fts[i], (GDestroyNotify) fts_row_clear);
    }
  self->tags = g_array_new (FALSE, FALSE, sizeof (RapportKeyRow));
  self->keys = g_array_new (FALSE, FALSE, sizeof (RapportKeyRow));
  self->refresh = g_hash_table_new (g_str_hash, g_str_equal);
  self->strings = g_string_chunk_new (64 * 1024);
  return self;
}

void
rapport_apply_batch_free (RapportApplyBatch *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->store);
  for (guint i = 0; i < N_FTS; i++)
    g_array_unref (self->fts[i]);
  g_array_unref (self->tags);
  g_array_unref (self->keys);
  g_hash_table_unref (self->refresh);
  g_string_chunk_free (self->strings);
  g_free (self);
}

static char *
build_exists (const RapportEntity *entity)
{
  return g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?", entity->table);
}

static gboolean
is_contact (const RapportEntity *entity)
{
  return strcmp (entity->name, "contact") == 0;
}

/* The row as rapport-store-records.c's write_row() writes it, plus a
 * contact's sort key, which rapport-index.c would set right after. */
static char *
build_insert (const RapportEntity *entity)
{
  g_autofree char *columns = rapport_store_select_columns (entity, NULL);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "INSERT INTO %s (%s, stamp, field_stamps%s) VALUES (?",
                          entity->table, columns, is_contact (entity) ? ", sort_key" : "");
  for (guint i = 0; i < entity->n_fields + 2 + (is_contact (entity) ? 1 : 0); i++)
    g_string_append (text, ", ?");
  g_string_append (text, ")");
  return g_string_free (text, FALSE);
}

static gboolean
fields_complete (const RapportEntity *entity, JsonObject *fields)
{
  for (guint i = 0; i < entity->n_fields; i++)
    if (!(entity->fields[i].flags & RAPPORT_FIELD_DERIVED)
        && !json_object_has_member (fields, entity->fields[i].name))
      return FALSE;
  return TRUE;
}

static void
add_row (RapportApplyBatch *self, GArray *rows, const char *a, const char *b, const char *c)
{
  RapportKeyRow row = { g_string_chunk_insert_const (self->strings, a),
                 g_string_chunk_insert_const (self->strings, b),
                 c ? g_string_chunk_insert_const (self->strings, c) : NULL };

  g_array_append_val (rows, row);
}

static void
add_refresh (RapportApplyBatch *self, const char *contact_id)
{
  if (contact_id != NULL)
    g_hash_table_add (self->refresh, g_string_chunk_insert_const (self->strings, contact_id));
}

/* What index_contact() of rapport-index.c makes for a new contact. */
static void
gather_contact (RapportApplyBatch *self, RapportContact *contact, gint64 rowid, const char *sort_key)
{
  const char *id = RAPPORT_RECORD (contact)->id;
  FtsRow row = { rowid, { NULL } };

  row.columns[0] = rapport_index_search_text (contact->name);
  row.columns[1] = rapport_index_search_text (contact->organization);
  row.columns[2] = rapport_index_values_text (contact->emails, FALSE);
  row.columns[3] = rapport_index_values_text (contact->phones, TRUE);
  row.columns[4] = contact->tags ? g_strjoinv (" ", contact->tags) : g_strdup ("");
  g_array_append_val (self->fts[FTS_CONTACTS], row);

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
  add_refresh (self, id);
}

static void
gather (RapportApplyBatch *self, RapportRecord *record, gint64 rowid, const char *sort_key)
{
  FtsRow row = { rowid, { NULL } };

  if (RAPPORT_IS_CONTACT (record))
    gather_contact (self, RAPPORT_CONTACT (record), rowid, sort_key);
  else if (RAPPORT_IS_INTERACTION (record))
    {
      row.columns[0] = g_strdup (RAPPORT_INTERACTION (record)->summary);
      g_array_append_val (self->fts[FTS_INTERACTIONS], row);
      add_refresh (self, RAPPORT_INTERACTION (record)->contact_id);
    }
  else if (RAPPORT_IS_NOTE (record))
    {
      row.columns[0] = g_strdup (RAPPORT_NOTE (record)->body);
      g_array_append_val (self->fts[FTS_NOTES], row);
    }
  else
    return;
  self->pending = TRUE;
}

/**
 * rapport_apply_batch_insert_new:
 * @inserted: (out): whether the record was absent, and is now written
 *
 * Writes @change when its record is not stored: the row now, its derived
 * data at rapport_apply_batch_flush(). Otherwise leaves the change to the
 * merge path. Must be called inside a transaction.
 */
gboolean
rapport_apply_batch_insert_new (RapportApplyBatch *self, const RapportEntity *entity,
                                RapportChange *change, gboolean *inserted, GError **error)
{
  static GHashTable *exists_cache, *insert_cache;
  g_autoptr (RapportRecord) record = NULL;
  g_autofree char *sort_key = NULL;
  g_autofree char *stamps_text = NULL;
  sqlite3_stmt *stmt;
  gboolean found;
  int n = (int) entity->n_fields;
  int rc;

  *inserted = FALSE;
  stmt = rapport_store_prepare (self->store, rapport_store_entity_sql (&exists_cache, build_exists, entity), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->record_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  found = rc == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->store, error, N_("read a record"));
  if (found)
    return TRUE;

  *inserted = TRUE;
  /* Nothing to write: the merge path would not create the record either. */
  if (json_object_get_size (change->fields) == 0)
    return TRUE;
  if (change->record != NULL && rapport_record_get_entity (change->record) == entity
      && g_strcmp0 (change->record->id, change->record_id) == 0)
    record = g_object_ref (change->record);
  else
    {
      record = rapport_record_new_for_entity (entity);
      record->id = g_strdup (change->record_id);
      if (!rapport_record_set_from_json (record, change->fields, error))
        return FALSE;
    }
  /* The stamps rapport_merge_record_stamps() gives a record not stored. */
  if (!fields_complete (entity, change->fields))
    {
      g_autoptr (JsonObject) stamps = json_object_new ();
      g_autoptr (GList) members = json_object_get_members (change->fields);
      g_autoptr (JsonNode) node = NULL;

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_string_member (stamps, l->data, change->stamp);
      node = json_node_init_object (json_node_alloc (), stamps);
      stamps_text = rapport_json_node_to_text (node);
    }

  stmt = rapport_store_prepare (self->store, rapport_store_entity_sql (&insert_cache, build_insert, entity), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_STATIC);
  for (int i = 0; i < n; i++)
    rapport_store_bind_field (stmt, 2 + i, record, &entity->fields[i], NULL, 0);
  sqlite3_bind_text (stmt, n + 2, stamps_text != NULL ? "" : change->stamp, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, n + 3, stamps_text, -1, SQLITE_STATIC);
  if (is_contact (entity))
    {
      sort_key = rapport_index_sort_key (RAPPORT_CONTACT (record)->name);
      sqlite3_bind_text (stmt, n + 4, sort_key, -1, SQLITE_STATIC);
    }
  rc = sqlite3_step (stmt);
  sqlite3_clear_bindings (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->store, error, N_("save a record"));
  gather (self, record, sqlite3_last_insert_rowid (rapport_store_get_db (self->store)),
          sort_key);
  rapport_store_emit_changed (self->store, entity->name, change->record_id);
  return TRUE;
}

static const char *const fts_sql[N_FTS] = {
  ("INSERT OR REPLACE INTO contacts_fts (rowid, name, organization, emails, phones, tags) "
   "VALUES (?, ?, ?, ?, ?, ?)"),
  "INSERT OR REPLACE INTO interactions_fts (rowid, summary) VALUES (?, ?)",
  "INSERT OR REPLACE INTO notes_fts (rowid, body) VALUES (?, ?)",
};

static gboolean
write_fts (RapportApplyBatch *self, FtsTable table, GError **error)
{
  GArray *rows = self->fts[table];
  guint n_columns = table == FTS_CONTACTS ? 5 : 1;
  sqlite3_stmt *stmt;

  if (rows->len == 0)
    return TRUE;
  stmt = rapport_store_prepare (self->store, fts_sql[table], error);
  if (stmt == NULL)
    return FALSE;
  /* A row replaces one a purged record may have left at its rowid, as
   * rapport-index.c deletes it first. */
  for (guint i = 0; i < rows->len; i++)
    {
      FtsRow *row = &g_array_index (rows, FtsRow, i);

      sqlite3_bind_int64 (stmt, 1, row->rowid);
      for (guint c = 0; c < n_columns; c++)
        sqlite3_bind_text (stmt, 2 + (int) c, row->columns[c], -1, SQLITE_STATIC);
      if (!rapport_store_step_done (self->store, stmt, N_("update the indexes"), error))
        return FALSE;
    }
  g_array_set_size (rows, 0);
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
refresh_last_interactions (RapportApplyBatch *self, GError **error)
{
  g_autofree gpointer *ids = NULL;
  guint n;
  sqlite3_stmt *stmt;
  gboolean held;

  if (g_hash_table_size (self->refresh) == 0)
    return TRUE;
  if (!rapport_store_hold_last_interactions (self->store, &held, error))
    return FALSE;
  if (held)
    {
      g_hash_table_remove_all (self->refresh);
      return TRUE;
    }
  stmt = rapport_store_prepare (self->store,
                                "UPDATE contacts SET last_interaction_at = (SELECT max (occurred_at) "
                                "FROM interactions WHERE contact_id = ?1 AND deleted = 0) WHERE id = ?1",
                                error);
  if (stmt == NULL)
    return FALSE;
  ids = g_hash_table_get_keys_as_array (self->refresh, &n);
  g_qsort_with_data (ids, n, sizeof (gpointer), compare_strings, NULL);
  for (guint i = 0; i < n; i++)
    {
      sqlite3_bind_text (stmt, 1, ids[i], -1, SQLITE_STATIC);
      if (!rapport_store_step_done (self->store, stmt, N_("update the indexes"), error))
        return FALSE;
    }
  g_hash_table_remove_all (self->refresh);
  return TRUE;
}

/**
 * rapport_apply_batch_flush:
 *
 * Writes the derived data of the records inserted since the last flush.
 * Must be called in the same transaction, before any other write to the
 * store's records.
 */
gboolean
rapport_apply_batch_flush (RapportApplyBatch *self, GError **error)
{
  if (!self->pending)
    return TRUE;
  for (guint t = 0; t < N_FTS; t++)
    if (!write_fts (self, t, error))
      return FALSE;
  if (!rapport_key_rows_write (self->store, self->tags,
                               "INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)", FALSE,
                               NULL, error)
      || !rapport_key_rows_write (self->store, self->keys,
                                  "INSERT OR IGNORE INTO contact_keys VALUES (?, ?, ?)", TRUE, NULL, error)
      || !refresh_last_interactions (self, error))
    return FALSE;
  g_string_chunk_clear (self->strings);
  self->pending = FALSE;
  return TRUE;
}
