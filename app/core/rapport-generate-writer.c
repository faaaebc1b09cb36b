/* rapport-generate-writer.c: how generated records reach the store, in bulk */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-generate"

#include "config.h"

#include "rapport-generate-private.h"
#include "rapport-id.h"
#include "rapport-json-text.h"
#include "rapport-store-private.h"

/* Records are written by insert_new() (rows, journal entries, clock
 * stamps, search indexes, as the store's write path makes them) in
 * transactions of this many records: large enough to be fast, small enough
 * that the write-ahead log is checkpointed now and then. */
#define RECORDS_PER_TRANSACTION 200000

static guint
entity_index (const RapportEntity *entity)
{
  const RapportEntity *const *all = rapport_entity_all ();

  for (guint i = 0; all[i] != NULL; i++)
    if (all[i] == entity)
      return i;
  g_assert_not_reached ();
}

void
rapport_generator_init_writer (RapportGenerator *gen)
{
  const RapportEntity *const *all = rapport_entity_all ();

  gen->touched_contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gen->journal = g_string_sized_new (4096);
  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autofree char *columns = rapport_store_select_columns (all[i], NULL);
      g_autoptr (GString) sql = g_string_new (NULL);

      g_assert (i < RAPPORT_GEN_MAX_ENTITIES);
      g_assert (all[i]->n_fields <= RAPPORT_GEN_MAX_FIELDS);
      g_string_append_printf (sql, "INSERT INTO %s (%s, stamp, field_stamps) VALUES (?", all[i]->table,
                              columns);
      for (guint j = 0; j < all[i]->n_fields + 2; j++)
        g_string_append (sql, ", ?");
      g_string_append (sql, ")");
      gen->insert_sql[i] = g_string_free (g_steal_pointer (&sql), FALSE);
    }
}

static gboolean
run_text (RapportGenerator *gen, const char *sql, gint64 rowid, const char *text, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (gen->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (gen->store, error, "update the indexes");
  return TRUE;
}

/* Derived data of a new record, as rapport_index_record_change() makes it.
 * Interactions and notes only feed a full-text index (a new note has no
 * edit history); an interaction also moves its contact's last interaction,
 * which is brought up to date once per contact and transaction, in
 * refresh_contacts(). Everything else goes through the store's own code. */
static gboolean
index_new (RapportGenerator *gen, RapportRecord *record, gint64 rowid, GError **error)
{
  if (RAPPORT_IS_INTERACTION (record))
    {
      RapportInteraction *interaction = RAPPORT_INTERACTION (record);

      if (interaction->contact_id != NULL)
        g_hash_table_add (gen->touched_contacts, g_strdup (interaction->contact_id));
      return run_text (gen, "INSERT INTO interactions_fts (rowid, summary) VALUES (?, ?)", rowid,
                       interaction->summary, error);
    }
  if (RAPPORT_IS_NOTE (record))
    return run_text (gen, "INSERT INTO notes_fts (rowid, body) VALUES (?, ?)", rowid,
                     RAPPORT_NOTE (record)->body, error);
  return rapport_index_record_change (gen->store, NULL, record, error);
}

/* The last interaction of every contact that got interactions, computed as
 * rapport-index.c does. */
static gboolean
refresh_contacts (RapportGenerator *gen, GError **error)
{
  GHashTableIter iter;
  const char *contact_id;

  g_hash_table_iter_init (&iter, gen->touched_contacts);
  while (g_hash_table_iter_next (&iter, (gpointer *) &contact_id, NULL))
    {
      sqlite3_stmt *stmt = rapport_store_prepare (
          gen->store,
          "UPDATE contacts SET last_interaction_at = (SELECT max (occurred_at) FROM interactions "
          "WHERE contact_id = ?1 AND deleted = 0) WHERE id = ?1",
          error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return rapport_store_set_sqlite_error (gen->store, error, "update the indexes");
    }
  g_hash_table_remove_all (gen->touched_contacts);
  return TRUE;
}

/* The bulk write of one new record: exactly what rapport_store_save() does
 * for a record that is not stored yet (a fresh clock stamp as its base
 * stamp, the row, its derived data through rapport_index_record_change(),
 * and a journal entry holding every synced field), without the reads and
 * merging that a new record does not need. tests/unit/test-generate.c checks
 * that both paths leave identical tables. */
static gboolean
insert_new (RapportGenerator *gen, RapportRecord *record, GError **error)
{
  const RapportEntity *entity = rapport_record_get_entity (record);
  GString *journal = gen->journal;
  g_autofree char *stamp = NULL;
  g_autofree char *change_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (record->id == NULL)
    record->id = rapport_id_new ();
  if (record->created_at == 0)
    record->created_at = rapport_store_now (gen->store);
  /* The journal entry, whose text also gives the arrays' column values. */
  g_string_truncate (journal, 0);
  rapport_json_text_append_record (journal, record, gen->spans);
  stamp = rapport_store_next_stamp (gen->store);

  stmt = rapport_store_prepare (gen->store, gen->insert_sql[entity_index (entity)], error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_STATIC);
  for (guint i = 0; i < entity->n_fields; i++)
    rapport_json_text_bind_field (stmt, 2 + (int) i, record, i, journal->str, gen->spans);
  sqlite3_bind_text (stmt, entity->n_fields + 2, stamp, -1, SQLITE_STATIC);
  sqlite3_bind_null (stmt, entity->n_fields + 3);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (gen->store, error, "save a record");

  if (!index_new (gen, record, sqlite3_last_insert_rowid (rapport_store_get_db (gen->store)), error))
    return FALSE;

  change_id = rapport_id_new ();
  stmt = rapport_store_prepare (gen->store,
                                "INSERT INTO journal (change_id, entity, record_id, stamp, fields) "
                                "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, record->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, stamp, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, journal->str, (int) journal->len, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (gen->store, error, "journal a change");
  gen->entity_written[entity_index (entity)] = TRUE;
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

static gboolean
commit (RapportGenerator *gen, GError **error)
{
  gen->in_transaction = 0;
  if (!gen->through_save)
    {
      if (!refresh_contacts (gen, error))
        {
          rapport_store_rollback (gen->store);
          return FALSE;
        }
      announce (gen);
    }
  if (!rapport_store_commit (gen->store, error))
    return FALSE;
  if (gen->progress != NULL)
    gen->progress ((double) gen->written / (double) gen->total, gen->user_data);
  return TRUE;
}

/* Writes one record, committing every RECORDS_PER_TRANSACTION records. */
gboolean
rapport_generator_emit (RapportGenerator *gen, RapportRecord *record, GError **error)
{
  gboolean ok;

  if (gen->in_transaction == 0 && !rapport_store_begin (gen->store, error))
    return FALSE;
  ok = gen->through_save ? rapport_store_save (gen->store, record, error)
                         : insert_new (gen, record, error);
  if (!ok)
    {
      rapport_store_rollback (gen->store);
      g_hash_table_remove_all (gen->touched_contacts);
      gen->in_transaction = 0;
      return FALSE;
    }
  gen->written++;
  if (++gen->in_transaction >= RECORDS_PER_TRANSACTION)
    return commit (gen, error);
  return TRUE;
}

gboolean
rapport_generator_finish (RapportGenerator *gen, GError **error)
{
  if (gen->in_transaction > 0 && !commit (gen, error))
    return FALSE;
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

void
rapport_generator_clear_writer (RapportGenerator *gen)
{
  for (guint i = 0; i < RAPPORT_GEN_MAX_ENTITIES; i++)
    g_clear_pointer (&gen->insert_sql[i], g_free);
  g_clear_pointer (&gen->touched_contacts, g_hash_table_unref);
  if (gen->journal != NULL)
    g_string_free (g_steal_pointer (&gen->journal), TRUE);
}
