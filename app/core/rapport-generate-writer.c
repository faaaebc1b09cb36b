/* rapport-generate-writer.c: how generated records reach the store, in bulk */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-generate"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-generate-private.h"
#include "rapport-bulk-sql.h"
#include "rapport-json-text.h"
#include "rapport-key-rows.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"

/* A new record is written as rapport_store_save() writes a record that is
 * not stored yet: a fresh clock stamp as its base stamp, the row, a journal
 * entry holding every synced field, and its derived data as rapport-index.c
 * makes it, without the reads and merging that a new record does not need.
 * Records come in transactions of RECORDS_PER_TRANSACTION: large enough to
 * be fast, small enough that the write-ahead log is checkpointed now and
 * then. Within one, the derived data waits for the commit and is written
 * then, table by table: full-text rows in rowid order, one burst per
 * index (a full-text insert between other writes is flushed to disk as a
 * segment of its own, which later ones are merged with over and over),
 * tags and keys sorted. Into an empty store, the secondary indexes of the
 * record tables are built once at the end (rapport-store-indexes.c).
 * tests/unit/test-generate.c checks that both paths leave identical tables. */
#define RECORDS_PER_TRANSACTION 200000

typedef struct
{
  gint64 rowid;
  const char *text[5];
} RapportGenText;

enum
{
  FTS_CONTACTS,
  FTS_INTERACTIONS,
  FTS_NOTES
};

static const struct
{
  const char *table;
  const char *insert;
  guint n_columns;
} fts_tables[] = {
  { "contacts_fts", "INSERT INTO contacts_fts (rowid, name, organization, emails, phones, tags) "
                    "VALUES (?, ?, ?, ?, ?, ?)", 5 },
  { "interactions_fts", "INSERT INTO interactions_fts (rowid, summary) VALUES (?, ?)", 1 },
  { "notes_fts", "INSERT INTO notes_fts (rowid, body) VALUES (?, ?)", 1 },
};

void
rapport_generator_init_writer (RapportGenerator *gen)
{
  gen->touched_contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gen->last_interactions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gen->texts = g_string_chunk_new (1 << 20);
  for (guint i = 0; i < G_N_ELEMENTS (gen->fts); i++)
    gen->fts[i] = g_array_new (FALSE, FALSE, sizeof (RapportGenText));
  gen->tags = g_array_new (FALSE, FALSE, sizeof (RapportKeyRow));
  gen->keys = g_array_new (FALSE, FALSE, sizeof (RapportKeyRow));
  gen->filled = g_async_queue_new ();
  gen->spare = g_async_queue_new ();
}

void
rapport_generator_clear_writer (RapportGenerator *gen)
{
  RapportGenBatch *batch;

  for (guint i = 0; i < RAPPORT_GEN_MAX_ENTITIES; i++)
    g_clear_pointer (&gen->insert[i], sqlite3_finalize);
  g_clear_pointer (&gen->journal_insert, sqlite3_finalize);
  g_clear_pointer (&gen->journal_insert_many, sqlite3_finalize);
  g_clear_pointer (&gen->touched_contacts, g_hash_table_unref);
  g_clear_pointer (&gen->last_interactions, g_hash_table_unref);
  g_clear_pointer (&gen->last_touched, g_free);
  g_clear_pointer (&gen->texts, g_string_chunk_free);
  for (guint i = 0; i < G_N_ELEMENTS (gen->fts); i++)
    g_clear_pointer (&gen->fts[i], g_array_unref);
  g_clear_pointer (&gen->tags, g_array_unref);
  g_clear_pointer (&gen->keys, g_array_unref);
  if (gen->spare != NULL)
    while ((batch = g_async_queue_try_pop (gen->spare)) != NULL)
      rapport_gen_batch_free (batch);
  g_clear_pointer (&gen->spare, g_async_queue_unref);
  g_clear_pointer (&gen->filled, g_async_queue_unref);
}

static sqlite3_stmt *
prepare (RapportGenerator *gen, sqlite3_stmt **stmt, const char *sql, GError **error)
{
  if (*stmt == NULL
      && sqlite3_prepare_v3 (rapport_store_get_db (gen->store), sql, -1, SQLITE_PREPARE_PERSISTENT, stmt,
                             NULL) != SQLITE_OK)
    {
      rapport_store_set_sqlite_error (gen->store, error, N_("prepare a query"));
      return NULL;
    }
  return *stmt;
}

static sqlite3_stmt *
insert_statement (RapportGenerator *gen, guint entity_index, GError **error)
{
  const RapportEntity *entity = rapport_entity_all ()[entity_index];
  g_autofree char *columns = NULL;
  g_autoptr (GString) sql = NULL;
  gboolean contact = g_str_equal (entity->name, "contact");

  if (gen->insert[entity_index] != NULL)
    return gen->insert[entity_index];
  g_assert (entity_index < RAPPORT_GEN_MAX_ENTITIES);
  columns = rapport_store_select_columns (entity, NULL);
  sql = g_string_new (NULL);
  g_string_append_printf (sql, "INSERT INTO %s (%s, stamp, field_stamps%s) VALUES (?", entity->table,
                          columns, contact ? ", sort_key" : "");
  for (guint j = 0; j < entity->n_fields + (contact ? 3 : 2); j++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");
  return prepare (gen, &gen->insert[entity_index], sql->str, error);
}

static const char *
keep (RapportGenerator *gen, const char *text)
{
  return text != NULL ? g_string_chunk_insert (gen->texts, text) : NULL;
}

/* What the derived data of a new record will be, written at the commit. */
static void
gather (RapportGenerator *gen, RapportGenRow *row, gint64 rowid)
{
  RapportRecord *record = row->record;
  RapportGenText text = { rowid, { NULL } };

  if (RAPPORT_IS_INTERACTION (record))
    {
      const char *contact_id = RAPPORT_INTERACTION (record)->contact_id;

      text.text[0] = keep (gen, RAPPORT_INTERACTION (record)->summary);
      g_array_append_val (gen->fts[FTS_INTERACTIONS], text);
      /* Interactions come contact by contact. */
      if (contact_id != NULL && g_strcmp0 (contact_id, gen->last_touched) != 0)
        {
          g_free (gen->last_touched);
          gen->last_touched = g_strdup (contact_id);
          g_hash_table_add (gen->touched_contacts, g_strdup (contact_id));
          if (gen->blank)
            {
              gen->last_interaction_at = g_hash_table_lookup (gen->last_interactions, contact_id);
              if (gen->last_interaction_at == NULL)
                {
                  gen->last_interaction_at = g_new0 (gint64, 1);
                  g_hash_table_insert (gen->last_interactions, g_strdup (contact_id),
                                       gen->last_interaction_at);
                }
            }
        }
      /* Into an empty store, every interaction of a contact is one written
       * here: its last one is known without reading them again. */
      if (contact_id != NULL && gen->blank && !record->deleted)
        *gen->last_interaction_at = MAX (*gen->last_interaction_at,
                                         RAPPORT_INTERACTION (record)->occurred_at);
    }
  else if (RAPPORT_IS_NOTE (record))
    {
      text.text[0] = keep (gen, RAPPORT_NOTE (record)->body);
      g_array_append_val (gen->fts[FTS_NOTES], text);
    }
  else if (RAPPORT_IS_CONTACT (record))
    {
      const char *id = keep (gen, record->id);

      for (guint i = 0; i < G_N_ELEMENTS (row->fts); i++)
        text.text[i] = keep (gen, row->fts[i]);
      g_array_append_val (gen->fts[FTS_CONTACTS], text);
      for (char **t = RAPPORT_CONTACT (record)->tags; t && *t; t++)
        {
          RapportKeyRow tag = { id, keep (gen, *t), NULL };
          g_array_append_val (gen->tags, tag);
        }
      for (guint i = 0; i < row->key_kinds->len; i++)
        {
          RapportKeyRow key = { row->key_kinds->pdata[i], keep (gen, row->key_values->pdata[i]), id };
          g_array_append_val (gen->keys, key);
        }
      /* A contact already stored may have interactions for it. */
      if (!gen->blank)
        g_hash_table_add (gen->touched_contacts, g_strdup (record->id));
    }
}

static gboolean
step (RapportGenerator *gen, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (gen->store, error, what);
  return TRUE;
}

#define JOURNAL_ROWS RAPPORT_GEN_JOURNAL_ROWS
#define JOURNAL_INSERT "INSERT INTO journal (change_id, entity, record_id, stamp, fields) VALUES (?, ?, ?, ?, ?)"

static gboolean
write_journal (RapportGenerator *gen, GError **error)
{
  guint n = gen->n_journal;
  guint i = 0;

  while (i < n)
    {
      gboolean many = n - i == JOURNAL_ROWS;
      sqlite3_stmt *stmt;

      if (many && gen->journal_insert_many == NULL)
        {
          g_autofree char *sql = rapport_bulk_sql_rows (JOURNAL_INSERT, 5, JOURNAL_ROWS, FALSE);

          if (prepare (gen, &gen->journal_insert_many, sql, error) == NULL)
            return FALSE;
        }
      stmt = many ? gen->journal_insert_many : prepare (gen, &gen->journal_insert, JOURNAL_INSERT, error);
      if (stmt == NULL)
        return FALSE;
      for (guint r = 0; r < (many ? JOURNAL_ROWS : 1); r++, i++)
        {
          RapportGenRow *row = gen->journal[i];
          int p = 5 * (int) r;

          sqlite3_bind_text (stmt, p + 1, row->change_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, p + 2, rapport_entity_all ()[row->entity]->name, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, p + 3, row->record->id, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, p + 4, row->stamp, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, p + 5, row->journal, (int) row->journal_len, SQLITE_STATIC);
        }
      if (!step (gen, stmt, N_("journal a change"), error))
        return FALSE;
    }
  gen->n_journal = 0;
  return TRUE;
}

/* The row now, its journal entry with the next ones. (Rows of one kind
 * in one multi-row INSERT cost more: SQLite runs its VALUES as a
 * co-routine.) */
static gboolean
insert_row (RapportGenerator *gen, RapportGenRow *row, GError **error)
{
  RapportRecord *record = row->record;
  const RapportEntity *entity = rapport_entity_all ()[row->entity];
  int n = (int) entity->n_fields;
  sqlite3_stmt *stmt = insert_statement (gen, row->entity, error);

  if (stmt == NULL)
    return FALSE;
  g_free (row->stamp);
  row->stamp = rapport_store_next_stamp (gen->store);
  sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_STATIC);
  for (int i = 0; i < n; i++)
    rapport_json_text_bind_field (stmt, 2 + i, record, (guint) i, row->journal, row->spans);
  sqlite3_bind_text (stmt, n + 2, row->stamp, -1, SQLITE_STATIC);
  sqlite3_bind_null (stmt, n + 3);
  if (row->sort_key != NULL)
    sqlite3_bind_text (stmt, n + 4, row->sort_key, -1, SQLITE_STATIC);
  if (!step (gen, stmt, N_("save a record"), error))
    return FALSE;
  gather (gen, row, sqlite3_last_insert_rowid (rapport_store_get_db (gen->store)));
  gen->entity_written[row->entity] = TRUE;

  gen->journal[gen->n_journal++] = row;
  return gen->n_journal < JOURNAL_ROWS || write_journal (gen, error);
}

/* The last interaction of every contact that got interactions, as
 * rapport-index.c computes it (NULL for none with a time). */
static gboolean
refresh_contacts (RapportGenerator *gen, GError **error)
{
  GHashTableIter iter;
  const char *contact_id;
  sqlite3_stmt *stmt = rapport_store_prepare (
      gen->store,
      gen->blank ? "UPDATE contacts SET last_interaction_at = ?2 WHERE id = ?1"
                 : "UPDATE contacts SET last_interaction_at = (SELECT max (occurred_at) FROM interactions "
                   "WHERE contact_id = ?1 AND deleted = 0) WHERE id = ?1",
      error);

  if (stmt == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, gen->touched_contacts);
  while (g_hash_table_iter_next (&iter, (gpointer *) &contact_id, NULL))
    {
      sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_STATIC);
      if (gen->blank)
        {
          gint64 *last = g_hash_table_lookup (gen->last_interactions, contact_id);

          if (last != NULL && *last != 0)
            sqlite3_bind_int64 (stmt, 2, *last);
          else
            sqlite3_bind_null (stmt, 2);
        }
      if (!step (gen, stmt, N_("update the indexes"), error))
        return FALSE;
    }
  g_hash_table_remove_all (gen->touched_contacts);
  g_clear_pointer (&gen->last_touched, g_free);
  return TRUE;
}

/* The full-text rows of one index, in rowid order as they came. A
 * generated record's rowid is new: the index has no row for it yet, unless
 * a record stored before had the same rowid and left one. */
static gboolean
write_fts (RapportGenerator *gen, guint which, GError **error)
{
  GArray *rows = gen->fts[which];
  sqlite3_stmt *stmt = rapport_store_prepare (gen->store, fts_tables[which].insert, error);
  g_autofree char *delete_sql = g_strdup_printf ("DELETE FROM %s WHERE rowid = ?", fts_tables[which].table);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      RapportGenText *text = &g_array_index (rows, RapportGenText, i);

      if (!gen->blank && which == FTS_CONTACTS)
        {
          sqlite3_stmt *del = rapport_store_prepare (gen->store, delete_sql, error);

          if (del == NULL)
            return FALSE;
          sqlite3_bind_int64 (del, 1, text->rowid);
          if (!step (gen, del, N_("update the indexes"), error))
            return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, text->rowid);
      for (guint c = 0; c < fts_tables[which].n_columns; c++)
        sqlite3_bind_text (stmt, 2 + (int) c, text->text[c], -1, SQLITE_STATIC);
      if (!step (gen, stmt, N_("update the indexes"), error))
        return FALSE;
    }
  g_array_set_size (rows, 0);
  return TRUE;
}

/* Announces what was written, one "changed" per entity, as the store does
 * for any large transaction. */
static void
announce (RapportGenerator *gen)
{
  const RapportEntity *const *all = rapport_entity_all ();

  for (guint i = 0; all[i] != NULL && i < RAPPORT_GEN_MAX_ENTITIES; i++)
    if (gen->entity_written[i])
      {
        rapport_store_emit_changed (gen->store, all[i]->name, NULL);
        gen->entity_written[i] = FALSE;
      }
}

/* A commit's full-text rows are written in one burst, with FTS5's term
 * buffer raised for it (rapport_fts_burst_begin()). */
static gboolean
write_fts_widened (RapportGenerator *gen, guint which, GError **error)
{
  RapportFtsBurst burst;

  if (gen->fts[which]->len < 1000)
    return write_fts (gen, which, error);
  return rapport_fts_burst_begin (gen->store, fts_tables[which].table, &burst, error)
         && write_fts (gen, which, error) && rapport_fts_burst_end (gen->store, &burst, error);
}

static gboolean
write_derived (RapportGenerator *gen, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (fts_tables); i++)
    if (!write_fts_widened (gen, i, error))
      return FALSE;
  if (!rapport_key_rows_write (gen->store, gen->tags,
                               "INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)", FALSE,
                               NULL, error)
      || !rapport_key_rows_write (gen->store, gen->keys, "INSERT OR IGNORE INTO contact_keys VALUES (?, ?, ?)",
                                  TRUE, NULL, error))
    return FALSE;
  g_string_chunk_clear (gen->texts);
  return refresh_contacts (gen, error);
}

static gboolean
commit (RapportGenerator *gen, GError **error)
{
  gen->in_transaction = 0;
  if (!write_journal (gen, error) || !write_derived (gen, error))
    {
      rapport_store_rollback (gen->store);
      return FALSE;
    }
  announce (gen);
  g_debug ("derived data written at %.2f s", (g_get_monotonic_time () - gen->started) / 1e6);
  if (!rapport_store_commit (gen->store, error))
    return FALSE;
  g_debug ("committed at %.2f s", (g_get_monotonic_time () - gen->started) / 1e6);
  if (gen->progress != NULL)
    gen->progress ((double) gen->written / (double) gen->total, gen->user_data);
  return TRUE;
}

static gboolean
begin (RapportGenerator *gen, GError **error)
{
  if (!rapport_store_begin (gen->store, error))
    return FALSE;
  gen->in_transaction = 1;
  /* Into an empty store, the secondary indexes are built at the end. */
  if (gen->blank && !gen->indexes_deferred)
    {
      if (!rapport_store_defer_indexes (gen->store, error))
        {
          rapport_store_rollback (gen->store);
          gen->in_transaction = 0;
          return FALSE;
        }
      gen->indexes_deferred = TRUE;
    }
  return TRUE;
}

static gboolean
write_batch (RapportGenerator *gen, RapportGenBatch *batch, GError **error)
{
  for (guint i = 0; i < batch->n_rows; i++)
    {
      if (gen->in_transaction == 0 && !begin (gen, error))
        return FALSE;
      if (!insert_row (gen, batch->rows[i], error))
        {
          rapport_store_rollback (gen->store);
          gen->in_transaction = 0;
          gen->n_journal = 0;
          return FALSE;
        }
      gen->written++;
      if (++gen->in_transaction > RECORDS_PER_TRANSACTION && !commit (gen, error))
        return FALSE;
    }
  /* The batch's rows go back to the makers. */
  if (!write_journal (gen, error))
    {
      rapport_store_rollback (gen->store);
      gen->in_transaction = 0;
      gen->n_journal = 0;
      return FALSE;
    }
  return TRUE;
}

gboolean
rapport_generator_write (RapportGenerator *gen, GError **error)
{
  gboolean ok = TRUE;
  gboolean last = FALSE;

  gen->started = g_get_monotonic_time ();
  gen->blank = rapport_store_is_blank (gen->store, "");
  /* The tags and keys written refer to contacts written just before: no
   * need to look each up. (A no-op inside a caller's transaction.) */
  rapport_store_exec (gen->store, "PRAGMA foreign_keys = OFF", NULL);
  while (!last)
    {
      RapportGenBatch *batch = g_async_queue_pop (gen->filled);

      last = batch->last;
      if (ok && !write_batch (gen, batch, error))
        {
          /* The makers stop at their next record; what they made is dropped. */
          g_atomic_int_set (&gen->cancelled, TRUE);
          ok = FALSE;
        }
      /* The makers free its rows when they fill it again. */
      if (last)
        rapport_gen_batch_free (batch);
      else
        g_async_queue_push (gen->spare, batch);
    }
  g_debug ("all records written at %.2f s", (g_get_monotonic_time () - gen->started) / 1e6);
  if (ok && gen->in_transaction > 0)
    ok = commit (gen, error);
  /* Also after a failure: transactions committed before it dropped them. */
  if (gen->indexes_deferred)
    {
      if (ok)
        ok = rapport_store_restore_indexes (gen->store, error);
      else
        rapport_store_restore_indexes (gen->store, NULL);
    }
  g_debug ("indexes built at %.2f s", (g_get_monotonic_time () - gen->started) / 1e6);
  rapport_store_exec (gen->store, "PRAGMA foreign_keys = ON", NULL);
  if (ok && gen->progress != NULL)
    gen->progress (1.0, gen->user_data);
  return ok;
}

gboolean
rapport_generator_finish (RapportGenerator *gen, GError **error)
{
  if (gen->in_transaction > 0)
    {
      gen->in_transaction = 0;
      if (!rapport_store_commit (gen->store, error))
        return FALSE;
    }
  if (gen->progress != NULL)
    gen->progress (1.0, gen->user_data);
  return TRUE;
}

int
rapport_generator_get_cache_size (RapportStore *store)
{
  sqlite3_stmt *stmt = NULL;
  int size = -2000;

  if (sqlite3_prepare_v2 (rapport_store_get_db (store), "PRAGMA cache_size", -1, &stmt, NULL)
          == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return size;
}
