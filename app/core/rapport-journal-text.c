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
 * the page before anything is written. The reader also takes the inserts'
 * values out of their fields, so the writer, rapport_store_apply_pulled(),
 * only binds them: it inserts each unless its record turns out to be
 * stored (then merged), and writes the others through
 * rapport_store_apply_changes(), in page order. test-apply-fast.c checks that the tables end as the merge path
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

/* A value an insert binds, taken out of a change's fields by the reader:
 * NULL, an integer, or text in the page's strings. */
typedef struct
{
  int type;
  gint64 number;
  const char *text;
  int length;
} Value;

/* A page read, not applied yet. */
typedef struct
{
  gint64 pos;
  const char *entity;        /* (nullable) these in the page's strings */
  const char *record;
  const char *stamp;
  guint values;              /* an insert's: its entity's fields in order, in the page's values */
  const char *text;          /* the change's text */
  gboolean insert;           /* may be inserted, unless its record is found stored */
  RapportChange *change;     /* read with json-glib: the merge path's */
} Row;

struct _RapportPulledPage
{
  GArray *rows;              /* Row, in page order */
  GArray *values;            /* Value */
  GStringChunk *strings;
  char *latest;              /* the latest valid stamp */
};

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

/* The value an insert writes for @field, as the merge path stores it. */
static void
append_value (GString *sql, const RapportField *field)
{
  switch (field->type)
    {
    case RAPPORT_FIELD_INT:
    case RAPPORT_FIELD_BOOL:
      g_string_append_printf (sql, "coalesce (fields ->> '$.%s', 0)", field->name);
      break;
    case RAPPORT_FIELD_TIME:
      g_string_append_printf (sql, "nullif (fields ->> '$.%s', 0)", field->name);
      break;
    default:
      g_string_append_printf (sql, "fields ->> '$.%s'", field->name);
      break;
    }
}

/* A record's insert, its fields bound in the entity's order; nothing when
 * its record is stored after all. */
static char *
build_insert (const RapportEntity *entity)
{
  g_autoptr (GString) columns = g_string_new ("id");
  g_autoptr (GString) values = g_string_new ("?");

  for (guint i = 0; i < entity->n_fields; i++)
    {
      g_string_append_printf (columns, ", %s", entity->fields[i].name);
      g_string_append (values, ", ?");
    }
  return g_strdup_printf ("INSERT INTO %s (%s, stamp) VALUES (%s, ?) ON CONFLICT (id) DO NOTHING",
                          entity->table, columns->str, values->str);
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

static const TextEntity *
text_entity (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (text_entities); i++)
    if (strcmp (text_entities[i].entity, name) == 0)
      return &text_entities[i];
  return NULL;
}

static gboolean read_change (Row *row, GError **error);

/* Inserts one record with the values the reader took out. Its record
 * stored after all: @stored is set, nothing written. */
static gboolean
insert_row (RapportStore *self, RapportPulledPage *page, const Row *row, gboolean *stored,
            GError **error)
{
  static GHashTable *insert_cache;
  const RapportEntity *entity = rapport_entity_lookup (row->entity);
  sqlite3_stmt *stmt = rapport_store_prepare (self, rapport_store_entity_sql (&insert_cache, build_insert,
                                                                              entity), error);
  int column = 1;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, column++, row->record, -1, SQLITE_STATIC);
  for (guint i = 0; i < entity->n_fields; i++, column++)
    {
      const Value *value = &g_array_index (page->values, Value, row->values + i);

      if (value->type == SQLITE_INTEGER)
        sqlite3_bind_int64 (stmt, column, value->number);
      else if (value->type == SQLITE_TEXT)
        sqlite3_bind_text (stmt, column, value->text, value->length, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, column);
    }
  sqlite3_bind_text (stmt, column, row->stamp, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;
  *stored = sqlite3_changes (rapport_store_get_db (self)) == 0;
  return TRUE;
}

/* After a run's inserts of @text's entity (rows after @before): their
 * full-text rows and their contacts' last interaction. */
static gboolean
index_inserted (RapportStore *self, const TextEntity *text, gint64 before, GError **error)
{
  sqlite3_stmt *stmt;

  if (text->fts_sql != NULL)
    {
      stmt = rapport_store_prepare (self, text->fts_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, before);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  if (!text->refresh)
    return TRUE;
  /* A first sync raises them all once its last page is in. */
  if (rapport_store_get_indexes_deferred (self))
    return rapport_store_defer_last_interactions (self, error);
  /* The run only added interactions: a contact's latest is the later of
   * the one it had and the latest of those, without reading its whole
   * timeline again. The run's rows are read by rowid: the index by
   * contact would be read whole, every run. */
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
  return step_done (self, stmt, error);
}

/* Inserts a fast run's records, with their full-text rows and the last
 * interaction of their contacts. Those found stored are merged after the
 * run: each is a record of its own, written once in the page. */
static gboolean
insert_run (RapportStore *self, RapportPulledPage *page, const Run *run, GHashTable *touched,
            GPtrArray *applied, GError **error)
{
  gint64 before[G_N_ELEMENTS (text_entities)];
  g_autoptr (GPtrArray) stored = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (text_entities); i++)
    {
      before[i] = last_rowid (self, rapport_entity_lookup (text_entities[i].entity), error);
      if (before[i] < 0)
        return FALSE;
    }
  for (gint64 pos = run->first; pos <= run->last; pos++)
    {
      Row *row = &g_array_index (page->rows, Row, pos);
      gboolean found = FALSE;

      if (!insert_row (self, page, row, &found, error))
        return FALSE;
      if (!found)
        {
          g_hash_table_add (touched, (gpointer) text_entity (row->entity)->entity);
          continue;
        }
      if (!read_change (row, error))
        return FALSE;
      g_ptr_array_add (stored, row->change);
    }
  for (guint i = 0; i < G_N_ELEMENTS (text_entities); i++)
    if (g_hash_table_contains (touched, text_entities[i].entity)
        && !index_inserted (self, &text_entities[i], before[i], error))
      return FALSE;
  if (stored->len == 0)
    return TRUE;
  if (!rapport_store_apply_changes (self, stored, NULL, NULL, error))
    return FALSE;
  for (guint i = 0; i < stored->len; i++)
    g_ptr_array_add (applied, rapport_change_copy (stored->pdata[i]));
  return TRUE;
}

static gboolean
apply_runs (RapportStore *self, RapportPulledPage *page, GArray *runs, GPtrArray *applied,
            GError **error)
{
  g_autoptr (GHashTable) touched = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint r = 0; r < runs->len; r++)
    {
      Run *run = &g_array_index (runs, Run, r);

      if (run->fast)
        {
          if (!insert_run (self, page, run, touched, applied, error))
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

void
rapport_pulled_page_free (RapportPulledPage *page)
{
  if (page == NULL)
    return;
  for (guint i = 0; i < page->rows->len; i++)
    g_clear_pointer (&g_array_index (page->rows, Row, i).change, rapport_change_free);
  g_array_unref (page->rows);
  g_array_unref (page->values);
  g_string_chunk_free (page->strings);
  g_free (page->latest);
  g_free (page);
}

guint
rapport_pulled_page_get_n_changes (RapportPulledPage *page)
{
  return page->rows->len;
}

/* The most fields an insert binds. */
static guint
max_fields (void)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (text_entities); i++)
    n = MAX (n, rapport_entity_lookup (text_entities[i].entity)->n_fields);
  return n;
}

/* Each change's position, text, entity, record, stamp, whether an insert
 * may write it (simple, its fields complete and of their types), then the
 * values an insert binds, its entity's fields in order
 * (FIRST_VALUE_COLUMN on). */
#define FIRST_VALUE_COLUMN 6

static char *
build_candidates (void)
{
  GString *sql = g_string_new ("SELECT p.pos, p.change, entity, record, stamp, simple AND CASE entity");

  for (guint i = 0; i < G_N_ELEMENTS (text_entities); i++)
    {
      const RapportEntity *entity = rapport_entity_lookup (text_entities[i].entity);

      g_assert (entity_fits (entity));
      g_string_append_printf (sql, " WHEN '%s' THEN ", entity->name);
      append_fields_check (sql, entity);
    }
  g_string_append (sql, " ELSE 0 END");
  for (guint f = 0; f < max_fields (); f++)
    {
      g_string_append (sql, ", CASE entity");
      for (guint i = 0; i < G_N_ELEMENTS (text_entities); i++)
        {
          const RapportEntity *entity = rapport_entity_lookup (text_entities[i].entity);

          if (f >= entity->n_fields)
            continue;
          g_string_append_printf (sql, " WHEN '%s' THEN ", entity->name);
          append_value (sql, &entity->fields[f]);
        }
      g_string_append (sql, " END");
    }
  g_string_append (sql, " FROM pulled JOIN page AS p USING (pos) ORDER BY pos");
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

/* Keeps an insert's values. */
static void
read_values (RapportPulledPage *page, sqlite3_stmt *stmt, const RapportEntity *entity, Row *row)
{
  row->values = page->values->len;
  for (guint i = 0; i < entity->n_fields; i++)
    {
      int column = FIRST_VALUE_COLUMN + (int) i;
      Value value = { sqlite3_column_type (stmt, column) };

      if (value.type == SQLITE_INTEGER)
        value.number = sqlite3_column_int64 (stmt, column);
      else if (value.type != SQLITE_NULL)
        {
          value.type = SQLITE_TEXT;
          value.text = chunk_text (page->strings, stmt, column);
          value.length = sqlite3_column_bytes (stmt, column);
        }
      g_array_append_val (page->values, value);
    }
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
      row.insert = sqlite3_column_int (stmt, 5) != 0 && valid_stamp && row.record != NULL
                   && !g_hash_table_contains (seen, row.record);
      if (row.insert)
        read_values (page, stmt, rapport_entity_lookup (row.entity), &row);
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
  page->values = g_array_new (FALSE, FALSE, sizeof (Value));
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

/* Inserts whose record must be merged: with local edits not pushed, a
 * loss whose winner is not known, or erased. (One stored after all is
 * found by its insert, insert_run().) */
static gboolean
demote_inserts (RapportStore *self, RapportPulledPage *page, GError **error)
{
  g_auto (Lookups) lookups = { NULL };

  if (!lookups_load (self, &lookups, error))
    return FALSE;
  for (guint i = 0; i < page->rows->len; i++)
    {
      Row *row = &g_array_index (page->rows, Row, i);
      gboolean merge;

      if (!row->insert)
        continue;
      merge = g_hash_table_contains (lookups.pending, row->record)
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
 * yet are inserted with the values the reader took out of their fields.
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
  if (!demote_inserts (self, page, error))
    goto fail;
  runs = page_runs (page);
  if (!apply_runs (self, page, runs, result, error))
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
  if (state_key != NULL && !rapport_store_set_state (self, state_key, state_value, error))
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
