/* rapport-journal-text.c: pulled pages applied from their JSON text, read by SQLite */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>

#include "rapport-error.h"
#include "rapport-hlc.h"
#include "rapport-journal-private.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"

/* A first sync pulls a million changes, nearly all of them the first and
 * complete write of a record this store does not hold. Reading each with
 * json-glib into objects, then into a record whose fields are bound one by
 * one, cost more than writing it. Here a page is read in two steps:
 * rapport_pulled_page_read() has SQLite's JSON functions read the text in
 * an in-memory database of its own (no store: the pull reads a page on one
 * thread while the page before is written on another) and sorts the
 * changes: those that need nothing but an insert (a record not seen
 * earlier in the page, of an entity whose fields are all scalars and whose
 * derived data is at most a full-text row, every field present with its
 * type, no erasure), and the others, read with json-glib and checked as
 * rapport_change_validate() checks them; one that cannot be read refuses
 * the page before anything is written. rapport_store_apply_pulled() then
 * writes the inserts by one INSERT … SELECT per entity and run of them,
 * from a temporary table, unless their record turns out to be stored (then
 * merged), and the others through rapport_store_apply_changes(), in page
 * order. test-apply-fast.c checks that the tables end as the merge path
 * leaves them. */

typedef struct
{
  const char *entity;
  const char *fts_sql;      /* the run's full-text rows, or NULL */
  gboolean refresh;         /* the contacts' last interaction follows */
} TextEntity;

static const TextEntity text_entities[] = {
  { "interaction", "INSERT OR REPLACE INTO interactions_fts (rowid, summary) "
                   "SELECT rowid, summary FROM interactions WHERE rowid > ?", TRUE },
  { "note", "INSERT OR REPLACE INTO notes_fts (rowid, body) SELECT rowid, body FROM notes "
            "WHERE rowid > ?", FALSE },
  { "reminder", NULL, FALSE },
  { "promise", NULL, FALSE },
  { "user", NULL, FALSE },
};

/* SQLite reads the page once into a table of change texts; every JSON
 * function then reading one change (or its fields) in a statement shares
 * one parse of it, so each change is parsed a few times in all. */
static const char load_sql[] =
  "INSERT INTO page (pos, change) SELECT key, value FROM json_each (?1, '$.changes')";
/* What rapport_change_read_json() asks of a change, and what an insert
 * needs on top: no erasure. */
static const char pulled_sql[] =
  "INSERT INTO pulled (pos, simple, entity, record, stamp, fields) "
  "SELECT pos, json_type (change, '$.id') = 'text' "
  "AND length (CAST (change ->> '$.id' AS BLOB)) BETWEEN 1 AND 64 "
  "AND json_type (change, '$.entity') = 'text' AND json_type (change, '$.record') = 'text' "
  "AND length (CAST (change ->> '$.record' AS BLOB)) BETWEEN 1 AND 64 "
  "AND json_type (change, '$.stamp') = 'text' AND json_type (change, '$.fields') = 'object' "
  "AND coalesce (json_type (change, '$.erased'), 'false') = 'false', "
  "change ->> '$.entity', change ->> '$.record', change ->> '$.stamp', change -> '$.fields' "
  "FROM page";

static gboolean
field_is_scalar (const RapportField *field)
{
  return field->type == RAPPORT_FIELD_STRING || field->type == RAPPORT_FIELD_INT
         || field->type == RAPPORT_FIELD_TIME || field->type == RAPPORT_FIELD_BOOL;
}

/* Whether the entity's synced fields are all scalars; derived fields are
 * never in a change, so an entity with one is never inserted here. */
static gboolean
entity_fits (const RapportEntity *entity)
{
  for (guint i = 0; i < entity->n_fields; i++)
    if (!field_is_scalar (&entity->fields[i]) || (entity->fields[i].flags & RAPPORT_FIELD_DERIVED))
      return FALSE;
  return TRUE;
}

/* SQL true when "fields" holds exactly the entity's fields, each once, each
 * with a value of its type (an integer within 64 bits). */
static void
append_fields_check (GString *sql, const RapportEntity *entity)
{
  g_string_append (sql, "(json_remove (fields");
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (sql, ", '$.%s'", entity->fields[i].name);
  g_string_append (sql, ") = '{}'");
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const char *name = entity->fields[i].name;

      switch (entity->fields[i].type)
        {
        case RAPPORT_FIELD_STRING:
          g_string_append_printf (sql, " AND json_type (fields, '$.%s') IN ('text', 'null')", name);
          break;
        case RAPPORT_FIELD_BOOL:
          g_string_append_printf (sql, " AND json_type (fields, '$.%s') IN ('true', 'false', 'null')",
                                  name);
          break;
        default:
          g_string_append_printf (sql, " AND CASE json_type (fields, '$.%s') WHEN 'null' THEN 1 "
                                  "WHEN 'integer' THEN typeof (fields ->> '$.%s') = 'integer' "
                                  "ELSE 0 END", name, name);
          break;
        }
    }
  g_string_append (sql, ")");
}

typedef struct
{
  gboolean fast;
  gint64 first, last;        /* positions in the page */
  GPtrArray *changes;        /* the slow run's changes (RapportChange) */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->changes, g_ptr_array_unref);   /* the changes are the page's */
}

/* Record ids a change of a record not stored must still be merged for. */
typedef struct
{
  GHashTable *pending;       /* records with local edits not yet pushed */
  GHashTable *unnamed;       /* records with a loss whose winner is not known */
  GHashTable *erased;        /* "entity/id" of erased records */
} Lookups;

static void
lookups_clear (Lookups *lookups)
{
  g_clear_pointer (&lookups->pending, g_hash_table_unref);
  g_clear_pointer (&lookups->unnamed, g_hash_table_unref);
  g_clear_pointer (&lookups->erased, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Lookups, lookups_clear)

static GHashTable *
column_set (RapportStore *self, const char *sql, GError **error)
{
  g_autoptr (GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (set, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self, error, "read the sync state");
      return NULL;
    }
  return g_steal_pointer (&set);
}

static gboolean
lookups_load (RapportStore *self, Lookups *lookups, GError **error)
{
  lookups->pending = column_set (self, "SELECT DISTINCT record_id FROM journal", error);
  if (lookups->pending == NULL)
    return FALSE;
  lookups->unnamed = column_set (self, "SELECT DISTINCT record_id FROM conflicts WHERE reason = "
                                       "'replaced' AND winner_stamp IS NULL", error);
  if (lookups->unnamed == NULL)
    return FALSE;
  lookups->erased = column_set (self, "SELECT substr (key, 8) FROM sync_state WHERE key >= "
                                      "'erased/' AND key < 'erased0'", error);
  return lookups->erased != NULL;
}

static char *
build_insert (const RapportEntity *entity)
{
  g_autoptr (GString) columns = g_string_new ("id");
  g_autoptr (GString) values = g_string_new ("record");

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const RapportField *field = &entity->fields[i];

      g_string_append_printf (columns, ", %s", field->name);
      switch (field->type)
        {
        case RAPPORT_FIELD_INT:
        case RAPPORT_FIELD_BOOL:
          g_string_append_printf (values, ", coalesce (fields ->> '$.%s', 0)", field->name);
          break;
        case RAPPORT_FIELD_TIME:
          g_string_append_printf (values, ", nullif (fields ->> '$.%s', 0)", field->name);
          break;
        default:
          g_string_append_printf (values, ", fields ->> '$.%s'", field->name);
          break;
        }
    }
  return g_strdup_printf ("INSERT INTO %s (%s, stamp) SELECT %s, stamp FROM temp.rapport_pulled "
                          "WHERE pos BETWEEN ?1 AND ?2 AND entity = '%s' ORDER BY pos",
                          entity->table, columns->str, values->str, entity->name);
}

static gboolean
step_done (RapportStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || rapport_store_set_sqlite_error (self, error, "save pulled changes");
}

static gint64
last_rowid (RapportStore *self, const RapportEntity *entity, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (max (rowid), 0) FROM %s", entity->table);
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, error);
  gint64 rowid;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      rapport_store_set_sqlite_error (self, error, "read pulled changes");
      return -1;
    }
  rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rowid;
}

/* Inserts a fast run's records, entity by entity, with their full-text rows
 * and the last interaction of their contacts. */
static gboolean
insert_run (RapportStore *self, const Run *run, GHashTable *touched, GError **error)
{
  static GHashTable *insert_cache;

  for (guint i = 0; i < G_N_ELEMENTS (text_entities); i++)
    {
      const TextEntity *text = &text_entities[i];
      const RapportEntity *entity = rapport_entity_lookup (text->entity);
      sqlite3_stmt *stmt;
      gint64 before = last_rowid (self, entity, error);
      int changes;

      if (before < 0)
        return FALSE;
      stmt = rapport_store_prepare (self, rapport_store_entity_sql (&insert_cache, build_insert, entity),
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, run->first);
      sqlite3_bind_int64 (stmt, 2, run->last);
      if (!step_done (self, stmt, error))
        return FALSE;
      changes = sqlite3_changes (rapport_store_get_db (self));
      if (changes == 0)
        continue;
      g_hash_table_add (touched, (gpointer) text->entity);
      if (text->fts_sql != NULL)
        {
          stmt = rapport_store_prepare (self, text->fts_sql, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, before);
          if (!step_done (self, stmt, error))
            return FALSE;
        }
      /* A first sync raises them all once its last page is in. */
      if (text->refresh && rapport_store_get_indexes_deferred (self))
        {
          if (!rapport_store_defer_last_interactions (self, error))
            return FALSE;
        }
      else if (text->refresh)
        {
          /* The run only added interactions: a contact's latest is the
           * later of the one it had and the latest of those, without
           * reading its whole timeline again. The run's rows are read by
           * rowid: the index by contact would be read whole, every run. */
          stmt = rapport_store_prepare (self,
                                        "UPDATE contacts SET last_interaction_at = n.latest FROM (SELECT "
                                        "contact_id, max (occurred_at) AS latest FROM interactions NOT INDEXED "
                                        "WHERE rowid > ? AND deleted = 0 GROUP BY contact_id) AS n WHERE "
                                        "contacts.id = n.contact_id AND (contacts.last_interaction_at IS "
                                        "NULL OR contacts.last_interaction_at < n.latest)",
                                        error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, before);
          if (!step_done (self, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
apply_runs (RapportStore *self, GArray *runs, GPtrArray *applied, GError **error)
{
  g_autoptr (GHashTable) touched = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint r = 0; r < runs->len; r++)
    {
      Run *run = &g_array_index (runs, Run, r);

      if (run->fast)
        {
          if (!insert_run (self, run, touched, error))
            return FALSE;
          continue;
        }
      if (!rapport_store_apply_changes (self, run->changes, NULL, NULL, error))
        return FALSE;
      for (guint i = 0; i < run->changes->len; i++)
        g_ptr_array_add (applied, rapport_change_copy (run->changes->pdata[i]));
    }
  {
    GHashTableIter iter;
    gpointer entity;

    g_hash_table_iter_init (&iter, touched);
    while (g_hash_table_iter_next (&iter, &entity, NULL))
      {
        rapport_store_emit_changed (self, entity, NULL);
        g_ptr_array_add (applied, rapport_change_new ("", entity, "", "", NULL));
      }
  }
  return TRUE;
}

/* A page read, not applied yet. */
typedef struct
{
  gint64 pos;
  const char *entity;        /* (nullable) these in the page's strings */
  const char *record;
  const char *stamp;
  const char *fields;        /* the fields' text, for an insert */
  const char *text;          /* the change's text */
  gboolean insert;           /* may be inserted, unless its record is found stored */
  RapportChange *change;     /* read with json-glib: the merge path's */
} Row;

struct _RapportPulledPage
{
  GArray *rows;              /* Row, in page order */
  GStringChunk *strings;
  char *latest;              /* the latest valid stamp */
};

void
rapport_pulled_page_free (RapportPulledPage *page)
{
  if (page == NULL)
    return;
  for (guint i = 0; i < page->rows->len; i++)
    g_clear_pointer (&g_array_index (page->rows, Row, i).change, rapport_change_free);
  g_array_unref (page->rows);
  g_string_chunk_free (page->strings);
  g_free (page->latest);
  g_free (page);
}

guint
rapport_pulled_page_get_n_changes (RapportPulledPage *page)
{
  return page->rows->len;
}

/* Each change's position, text, entity, record, stamp, fields and whether
 * an insert may write it: simple, its fields complete and of their types. */
static char *
build_candidates (void)
{
  GString *sql = g_string_new ("SELECT p.pos, p.change, entity, record, stamp, fields, simple AND "
                               "CASE entity");

  for (guint i = 0; i < G_N_ELEMENTS (text_entities); i++)
    {
      const RapportEntity *entity = rapport_entity_lookup (text_entities[i].entity);

      g_assert (entity_fits (entity));
      g_string_append_printf (sql, " WHEN '%s' THEN ", entity->name);
      append_fields_check (sql, entity);
    }
  g_string_append (sql, " ELSE 0 END FROM pulled JOIN page AS p USING (pos) ORDER BY pos");
  return g_string_free (sql, FALSE);
}

/* The inserts whose record is stored after all: their positions. */
static char *
build_stored (void)
{
  GString *sql = g_string_new ("SELECT pos FROM temp.rapport_pulled WHERE CASE entity");

  for (guint i = 0; i < G_N_ELEMENTS (text_entities); i++)
    g_string_append_printf (sql, " WHEN '%s' THEN EXISTS (SELECT 1 FROM %s WHERE id = record)",
                            text_entities[i].entity,
                            rapport_entity_lookup (text_entities[i].entity)->table);
  g_string_append (sql, " ELSE 1 END");
  return g_string_free (sql, FALSE);
}

/* Reads one change of the page with json-glib, checked as the merge path
 * needs it; one that cannot be read fails the page. */
static gboolean
read_change (Row *row, GError **error)
{
  g_autoptr (JsonNode) node = json_from_string (row->text, error);

  if (node == NULL)
    return FALSE;
  row->change = rapport_change_read_json (node, error);
  if (row->change == NULL || !rapport_change_validate (row->change, error))
    return FALSE;
  /* The writer finds the phones' national forms ready. */
  if (RAPPORT_IS_CONTACT (row->change->record))
    rapport_index_prepare_phones (RAPPORT_CONTACT (row->change->record)->phones);
  return TRUE;
}

static void
set_unreadable_page (GError **error)
{
  g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       "The page of changes is not a JSON object with an array “changes”");
}

static const char *
chunk_text (GStringChunk *strings, sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? g_string_chunk_insert_len (strings, text, sqlite3_column_bytes (stmt, column)) : NULL;
}

/* Reads the page's rows with an in-memory database of its own. */
static gboolean
read_rows (RapportPulledPage *page, sqlite3 *db, const char *text, gsize length)
{
  static char *sql;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_exec (db, "CREATE TABLE page (pos INTEGER PRIMARY KEY, change TEXT);"
                        "CREATE TABLE pulled (pos INTEGER PRIMARY KEY, simple INTEGER, entity TEXT, "
                        "record TEXT, stamp TEXT, fields TEXT)", NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, load_sql, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, (int) length, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  /* Not JSON, or "changes" not an array (a member name is no position). */
  if (rc != SQLITE_DONE || sqlite3_exec (db, pulled_sql, NULL, NULL, NULL) != SQLITE_OK)
    return FALSE;

  if (g_once_init_enter (&sql))
    g_once_init_leave (&sql, build_candidates ());
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row row = { sqlite3_column_int64 (stmt, 0) };
      gboolean valid_stamp;

      row.text = chunk_text (page->strings, stmt, 1);
      row.entity = chunk_text (page->strings, stmt, 2);
      row.record = chunk_text (page->strings, stmt, 3);
      row.stamp = chunk_text (page->strings, stmt, 4);
      valid_stamp = rapport_stamp_parse (row.stamp, NULL, NULL, NULL);
      if (valid_stamp && (page->latest == NULL || strcmp (row.stamp, page->latest) > 0))
        {
          g_free (page->latest);
          page->latest = g_strdup (row.stamp);
        }
      /* A record written twice in the page is inserted once, then merged. */
      row.insert = sqlite3_column_int (stmt, 6) != 0 && valid_stamp && row.record != NULL
                   && !g_hash_table_contains (seen, row.record);
      if (row.insert)
        row.fields = chunk_text (page->strings, stmt, 5);
      if (row.record != NULL)
        g_hash_table_add (seen, (gpointer) row.record);
      g_array_append_val (page->rows, row);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

/**
 * rapport_pulled_page_read:
 * @text: a page of pulled changes, `{"changes": [...], ...}` as the server
 *   sends it (PROTOCOL.md); its other members are not read here
 *
 * Reads a page (with SQLite's JSON functions, in a database in memory of
 * its own), and reads with json-glib the changes an insert cannot write,
 * checking them. No store is read or locked: a page is read while the one
 * before is written.
 *
 * Returns: (transfer full): the page, or %NULL with @error set when a change
 *   cannot be read (%RAPPORT_ERROR_INVALID).
 */
RapportPulledPage *
rapport_pulled_page_read (const char *text, gsize length, GError **error)
{
  g_autoptr (RapportPulledPage) page = g_new0 (RapportPulledPage, 1);
  sqlite3 *db = NULL;
  gboolean read;

  g_return_val_if_fail (text != NULL, NULL);

  page->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  page->strings = g_string_chunk_new (256 * 1024);
  read = g_utf8_validate_len (text, length, NULL)
         && sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) == SQLITE_OK
         && read_rows (page, db, text, length);
  sqlite3_close (db);
  if (!read)
    {
      set_unreadable_page (error);
      return NULL;
    }
  for (guint i = 0; i < page->rows->len; i++)
    {
      Row *row = &g_array_index (page->rows, Row, i);

      if (!row->insert && !read_change (row, error))
        return NULL;
    }
  return g_steal_pointer (&page);
}

/* The inserts into the connection's temporary table, which insert_run()
 * reads. */
static gboolean
load_inserts (RapportStore *self, RapportPulledPage *page, GError **error)
{
  sqlite3_stmt *stmt;

  if (!rapport_store_exec (self, "CREATE TEMP TABLE IF NOT EXISTS rapport_pulled (pos INTEGER "
                                 "PRIMARY KEY, entity TEXT, record TEXT, stamp TEXT, fields TEXT); "
                                 "DELETE FROM temp.rapport_pulled", error))
    return FALSE;
  stmt = rapport_store_prepare (self, "INSERT INTO temp.rapport_pulled VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < page->rows->len; i++)
    {
      Row *row = &g_array_index (page->rows, Row, i);

      if (!row->insert)
        continue;
      sqlite3_bind_int64 (stmt, 1, row->pos);
      sqlite3_bind_text (stmt, 2, row->entity, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, row->record, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, row->stamp, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, row->fields, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Inserts whose record must be merged after all: stored, with local edits
 * not pushed, a loss whose winner is not known, or erased. */
static gboolean
demote_inserts (RapportStore *self, RapportPulledPage *page, GError **error)
{
  static char *sql;
  g_auto (Lookups) lookups = { NULL };
  g_autoptr (GArray) stored_pos = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GHashTable) stored = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt;
  int rc;

  if (!lookups_load (self, &lookups, error))
    return FALSE;
  if (g_once_init_enter (&sql))
    g_once_init_leave (&sql, build_stored ());
  stmt = rapport_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 pos = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (stored_pos, pos);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, "read pulled changes");
  for (guint i = 0; i < stored_pos->len; i++)
    g_hash_table_add (stored, &g_array_index (stored_pos, gint64, i));

  for (guint i = 0; i < page->rows->len; i++)
    {
      Row *row = &g_array_index (page->rows, Row, i);
      gboolean merge;

      if (!row->insert)
        continue;
      merge = g_hash_table_contains (stored, &row->pos)
              || g_hash_table_contains (lookups.pending, row->record)
              || g_hash_table_contains (lookups.unnamed, row->record);
      if (!merge && g_hash_table_size (lookups.erased) > 0)
        {
          g_autofree char *key = g_strdup_printf ("%s/%s", row->entity, row->record);
          merge = g_hash_table_contains (lookups.erased, key);
        }
      if (merge)
        {
          row->insert = FALSE;
          if (!read_change (row, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The page's runs: inserts, and changes for the merge path, in order. */
static GArray *
page_runs (RapportPulledPage *page)
{
  GArray *runs = g_array_new (FALSE, TRUE, sizeof (Run));

  g_array_set_clear_func (runs, (GDestroyNotify) run_clear);
  for (guint i = 0; i < page->rows->len; i++)
    {
      Row *row = &g_array_index (page->rows, Row, i);
      Run *last = runs->len > 0 ? &g_array_index (runs, Run, runs->len - 1) : NULL;

      if (last == NULL || last->fast != row->insert)
        {
          Run run = { row->insert, row->pos, row->pos, NULL };

          if (!row->insert)
            run.changes = g_ptr_array_new ();
          g_array_append_val (runs, run);
          last = &g_array_index (runs, Run, runs->len - 1);
        }
      last->last = row->pos;
      if (!row->insert)
        g_ptr_array_add (last->changes, row->change);
    }
  return runs;
}

static guint
n_merged (GArray *runs)
{
  guint n = 0;

  for (guint r = 0; r < runs->len; r++)
    if (!g_array_index (runs, Run, r).fast)
      n += g_array_index (runs, Run, r).changes->len;
  return n;
}

/**
 * rapport_store_apply_pulled:
 * @page: a page rapport_pulled_page_read() read on this connection
 * @applied: (out) (transfer container) (element-type RapportChange): what
 *   the page wrote, for rapport_store_note_applied(): the changes that went
 *   through the merge path, whole, and one change with no fields per kind
 *   of record inserted
 *
 * As rapport_store_apply_changes() for the page's changes: the same tables
 * result, in one transaction with @state_key set. The records not stored
 * yet are inserted from a temporary table of this connection.
 */
gboolean
rapport_store_apply_pulled (RapportStore *self, RapportPulledPage *page, const char *state_key,
                            const char *state_value, GPtrArray **applied, GError **error)
{
  g_autoptr (GArray) runs = NULL;
  g_autoptr (GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);

  g_return_val_if_fail (RAPPORT_IS_STORE (self) && page != NULL, FALSE);
  g_return_val_if_fail (applied != NULL, FALSE);

  if (!rapport_store_begin (self, error))
    return FALSE;
  if (!load_inserts (self, page, error) || !demote_inserts (self, page, error))
    goto fail;
  runs = page_runs (page);
  if (!apply_runs (self, runs, result, error))
    goto fail;
  /* The clock moves past the page's latest stamp once. */
  if (page->latest != NULL && !rapport_store_observe_stamp (self, page->latest, error))
    goto fail;
  for (guint i = 0; i < result->len; i++)
    {
      RapportChange *change = result->pdata[i];

      if (*change->stamp == '\0')
        {
          g_free (change->stamp);
          change->stamp = g_strdup (page->latest);
        }
    }
  if ((state_key != NULL && !rapport_store_set_state (self, state_key, state_value, error))
      || !rapport_store_exec (self, "DELETE FROM temp.rapport_pulled", error))
    goto fail;
  if (!rapport_store_commit (self, error))
    return FALSE;
  g_debug ("pulled page: %u changes, %u merged", page->rows->len, n_merged (runs));
  *applied = g_steal_pointer (&result);
  return TRUE;

fail:
  rapport_store_rollback (self);
  return FALSE;
}

/**
 * rapport_store_apply_changes_text:
 * @n_changes: (out): the number of changes in the page
 *
 * Reads (rapport_pulled_page_read()) and applies
 * (rapport_store_apply_pulled()) a page given as its text.
 */
gboolean
rapport_store_apply_changes_text (RapportStore *self, const char *text, gsize length,
                                  const char *state_key, const char *state_value,
                                  GPtrArray **applied, guint *n_changes, GError **error)
{
  g_autoptr (RapportPulledPage) page = NULL;

  g_return_val_if_fail (n_changes != NULL, FALSE);

  page = rapport_pulled_page_read (text, length, error);
  if (page == NULL || !rapport_store_apply_pulled (self, page, state_key, state_value, applied, error))
    return FALSE;
  *n_changes = rapport_pulled_page_get_n_changes (page);
  return TRUE;
}

/**
 * rapport_page_read_envelope:
 * @text: the answer to a pull, as received
 * @epoch: (out) (transfer full): the server's epoch
 * @cursor: (out): the cursor after the page
 * @more: (out): whether the server holds more after @cursor
 *
 * Reads what a pull needs before the page is applied, off the main thread
 * (a page is megabytes): SQLite reads the text once, without building a
 * tree of it. The changes are read when the page is applied
 * (rapport_store_apply_changes_text()).
 *
 * Returns: %FALSE with @error set when @text is not UTF-8 JSON with a
 *   string "epoch", an integer "cursor" and an array "changes".
 */
gboolean
rapport_page_read_envelope (const char *text, gsize length, char **epoch, gint64 *cursor,
                            gboolean *more, GError **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean has_changes = FALSE, has_cursor = FALSE;
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (text != NULL && epoch != NULL && cursor != NULL && more != NULL, FALSE);

  *epoch = NULL;
  *more = FALSE;
  if (g_utf8_validate_len (text, length, NULL)
      && sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "SELECT key, type, atom FROM json_each (?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, text, (int) length, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *key = (const char *) sqlite3_column_text (stmt, 0);
          const char *type = (const char *) sqlite3_column_text (stmt, 1);

          if (key == NULL || type == NULL)
            continue;
          if (strcmp (key, "epoch") == 0 && strcmp (type, "text") == 0 && *epoch == NULL)
            *epoch = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          else if (strcmp (key, "cursor") == 0 && strcmp (type, "integer") == 0)
            {
              *cursor = sqlite3_column_int64 (stmt, 2);
              has_cursor = TRUE;
            }
          else if (strcmp (key, "more") == 0)
            *more = strcmp (type, "true") == 0;
          else if (strcmp (key, "changes") == 0)
            has_changes = strcmp (type, "array") == 0;
        }
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (rc != SQLITE_DONE || *epoch == NULL || **epoch == '\0' || !has_cursor || !has_changes)
    {
      g_clear_pointer (epoch, g_free);
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           "A page of changes is an object with a string “epoch”, an integer "
                           "“cursor” and an array “changes”");
      return FALSE;
    }
  return TRUE;
}
