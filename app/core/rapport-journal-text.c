/* rapport-journal-text.c: pulled pages, read from their text, written by inserts and merges */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-error.h"
#include "rapport-hlc.h"
#include "rapport-journal-private.h"
#include "rapport-pulled-private.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"

/* A first sync pulls a million changes, nearly all of them the first and
 * complete write of a record this store does not hold. Reading each with
 * json-glib into objects, then into a record whose fields are bound one by
 * one, cost more than writing it. Here a page is read in two steps:
 * rapport_pulled_page_read() (rapport-pulled-read.c) reads the text with
 * SQLite's json_tree(), in an in-memory database of its own (no store: the
 * pull reads a page on one thread while the page before is written on
 * another), and sorts the changes: those that need nothing but an insert (a
 * record not seen earlier in the page, of an entity here whose fields are
 * all scalars and whose derived data is at most a full-text row, every
 * field present once with its type, no erasure) keep the values their
 * insert binds; the others are read with json-glib and checked as
 * rapport_change_validate() checks them (one that cannot be read refuses
 * the page before anything is written). rapport_store_apply_pulled() then
 * inserts each record unless it turns out to be stored (then merged), and
 * writes the others through rapport_store_apply_changes(), in page order.
 * test-apply-fast.c checks that the tables end as the merge path leaves
 * them. */

typedef struct
{
  const char *entity;
  const char *fts_sql;      /* the full-text rows of the rows inserted, or NULL */
  gboolean refresh;         /* the contacts' last interaction follows */
} TextEntity;

/* The rows a page inserted are given to these as the rowids ?1 to ?2. */
#define INSERTED_ROWS(table) "FROM " table " AS t WHERE t.rowid BETWEEN ?1 AND ?2"

static const TextEntity text_entities[] = {
  { "interaction", "INSERT OR REPLACE INTO interactions_fts (rowid, summary) "
                   "SELECT t.rowid, t.summary " INSERTED_ROWS ("interactions"), TRUE },
  { "note", "INSERT OR REPLACE INTO notes_fts (rowid, body) SELECT t.rowid, t.body "
            INSERTED_ROWS ("notes"), FALSE },
  { "reminder", NULL, FALSE },
  { "promise", NULL, FALSE },
  { "user", NULL, FALSE },
};

#define N_TEXT_ENTITIES G_N_ELEMENTS (text_entities)

static gboolean
has_derived (const TextEntity *text)
{
  return text->fts_sql != NULL || text->refresh;
}

/* The rowids a page's inserts took, by entity (as text_entities): from
 * the first run's first to the last run's last. Rows the merge path wrote
 * between runs are among them: their full-text row is written again with
 * the same text, and their contact's last interaction, which the merge
 * path set from the whole timeline, is already as late. */
typedef struct
{
  gint64 first[N_TEXT_ENTITIES];        /* 0: none */
  gint64 last[N_TEXT_ENTITIES];
} Inserted;

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
      rapport_store_set_sqlite_error (self, error, N_("read the sync state"));
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
  return rc == SQLITE_DONE || rapport_store_set_sqlite_error (self, error, N_("save pulled changes"));
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
      rapport_store_set_sqlite_error (self, error, N_("read pulled changes"));
      return -1;
    }
  rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rowid;
}

static const TextEntity *
text_entity (const char *name)
{
  for (guint i = 0; i < N_TEXT_ENTITIES; i++)
    if (strcmp (text_entities[i].entity, name) == 0)
      return &text_entities[i];
  return NULL;
}

/* The entity @name if a change of it may be inserted: all its fields
 * scalars, its derived data at most a full-text row. */
const RapportEntity *
rapport_pulled_insert_entity (const char *name)
{
  const TextEntity *text = text_entity (name);
  const RapportEntity *entity = text ? rapport_entity_lookup (text->entity) : NULL;

  g_assert (entity == NULL || entity_fits (entity));
  return entity;
}

/* Inserts one record with the values the reader took out. Its record
 * stored after all: @stored is set, nothing written. */
static gboolean
insert_row (RapportStore *self, RapportPulledPage *page, const RapportPulledRow *row, gboolean *stored,
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
      const RapportPulledValue *value = &g_array_index (page->values, RapportPulledValue, row->values + i);

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

/* After a page's inserts of @text's entity (rowids @first to @last):
 * their full-text rows and their contacts' last interaction, each in one
 * statement. One statement per
 * run instead wrote each run's rows to the full-text index as a segment
 * of their own (FTS5 writes out what it holds at every statement), and a
 * page of a team's history, where changes to contacts come between the
 * others, has thousands of runs. */
static gboolean
index_inserted (RapportStore *self, const TextEntity *text, gint64 first, gint64 last,
                GError **error)
{
  sqlite3_stmt *stmt;
  gboolean held;

  if (text->fts_sql != NULL)
    {
      stmt = rapport_store_prepare (self, text->fts_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, first);
      sqlite3_bind_int64 (stmt, 2, last);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  if (!text->refresh)
    return TRUE;
  if (!rapport_store_hold_last_interactions (self, &held, error))
    return FALSE;
  if (held)
    return TRUE;
  /* The page only added these interactions: a contact's latest is the
   * later of the one it had and the latest of those, without reading its
   * whole timeline again. */
  stmt = rapport_store_prepare (self,
                                "UPDATE contacts SET last_interaction_at = n.latest FROM (SELECT "
                                "t.contact_id, max (t.occurred_at) AS latest "
                                INSERTED_ROWS ("interactions") " AND t.deleted = 0 GROUP BY "
                                "t.contact_id) AS n WHERE contacts.id = n.contact_id AND "
                                "(contacts.last_interaction_at IS NULL OR "
                                "contacts.last_interaction_at < n.latest)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, last);
  return step_done (self, stmt, error);
}

/* Inserts a fast run's records; @inserted learns the rowids they took.
 * Those found stored are merged after the run: each is a record of its
 * own, written once in the page. */
static gboolean
insert_run (RapportStore *self, RapportPulledPage *page, const Run *run, Inserted *inserted,
            GHashTable *touched, GPtrArray *applied, GError **error)
{
  gint64 before[N_TEXT_ENTITIES];
  guint added[N_TEXT_ENTITIES] = { 0 };
  g_autoptr (GPtrArray) stored = g_ptr_array_new ();
  g_autoptr (GPtrArray) changes = NULL;

  /* Only the entities with derived data need the rowids their inserts take. */
  for (guint i = 0; i < N_TEXT_ENTITIES; i++)
    {
      before[i] = has_derived (&text_entities[i])
                    ? last_rowid (self, rapport_entity_lookup (text_entities[i].entity), error)
                    : 0;
      if (before[i] < 0)
        return FALSE;
    }
  for (gint64 pos = run->first; pos <= run->last; pos++)
    {
      RapportPulledRow *row = &g_array_index (page->rows, RapportPulledRow, pos);
      const TextEntity *text = text_entity (row->entity);
      gboolean found = FALSE;

      if (!insert_row (self, page, row, &found, error))
        return FALSE;
      if (!found)
        {
          g_hash_table_add (touched, (gpointer) text->entity);
          added[text - text_entities]++;
          continue;
        }
      g_ptr_array_add (stored, row);
    }
  /* Each insert took the next rowid of its table (lower than an earlier
   * run's when an erasure between them purged the table's last rows). */
  for (guint i = 0; i < N_TEXT_ENTITIES; i++)
    if (added[i] > 0 && has_derived (&text_entities[i]))
      {
        inserted->first[i] = inserted->first[i] == 0 ? before[i] + 1
                                                     : MIN (inserted->first[i], before[i] + 1);
        inserted->last[i] = MAX (inserted->last[i], before[i] + added[i]);
      }
  if (stored->len == 0)
    return TRUE;
  if (!rapport_pulled_page_read_changes (page, rapport_store_get_db (self), stored, error))
    return FALSE;
  changes = g_ptr_array_new ();
  for (guint i = 0; i < stored->len; i++)
    g_ptr_array_add (changes, ((RapportPulledRow *) stored->pdata[i])->change);
  if (!rapport_store_apply_changes (self, changes, NULL, NULL, error))
    return FALSE;
  for (guint i = 0; i < changes->len; i++)
    g_ptr_array_add (applied, rapport_change_copy (changes->pdata[i]));
  return TRUE;
}

static gboolean
apply_runs (RapportStore *self, RapportPulledPage *page, GArray *runs, GPtrArray *applied,
            GError **error)
{
  g_autoptr (GHashTable) touched = g_hash_table_new (g_str_hash, g_str_equal);
  Inserted inserted = { { 0 }, { 0 } };

  for (guint r = 0; r < runs->len; r++)
    {
      Run *run = &g_array_index (runs, Run, r);

      if (run->fast)
        {
          if (!insert_run (self, page, run, &inserted, touched, applied, error))
            return FALSE;
          continue;
        }
      if (!rapport_store_apply_changes (self, run->changes, NULL, NULL, error))
        return FALSE;
      for (guint i = 0; i < run->changes->len; i++)
        g_ptr_array_add (applied, rapport_change_copy (run->changes->pdata[i]));
    }
  /* The rows read for the full text are those in the table now: a record
   * inserted above and merged again later in the page (its full-text row
   * written then) gets the same text again, replaced. */
  for (guint i = 0; i < N_TEXT_ENTITIES; i++)
    if (inserted.first[i] != 0
        && !index_inserted (self, &text_entities[i], inserted.first[i], inserted.last[i], error))
      return FALSE;
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

/* Inserts whose record must be merged: with local edits not pushed, a
 * loss whose winner is not known, or erased. (One stored after all is
 * found by its insert, insert_run().) */
static gboolean
demote_inserts (RapportStore *self, RapportPulledPage *page, GError **error)
{
  g_auto (Lookups) lookups = { NULL };
  g_autoptr (GPtrArray) demoted = g_ptr_array_new ();

  if (!lookups_load (self, &lookups, error))
    return FALSE;
  for (guint i = 0; i < page->rows->len; i++)
    {
      RapportPulledRow *row = &g_array_index (page->rows, RapportPulledRow, i);
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
          g_ptr_array_add (demoted, row);
        }
    }
  return rapport_pulled_page_read_changes (page, rapport_store_get_db (self), demoted, error);
}

/* The page's runs: inserts, and changes for the merge path, in order. */
static GArray *
page_runs (RapportPulledPage *page)
{
  GArray *runs = g_array_new (FALSE, TRUE, sizeof (Run));

  g_array_set_clear_func (runs, (GDestroyNotify) run_clear);
  for (guint i = 0; i < page->rows->len; i++)
    {
      RapportPulledRow *row = &g_array_index (page->rows, RapportPulledRow, i);
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
  g_autoptr (GBytes) bytes = NULL;

  g_return_val_if_fail (n_changes != NULL, FALSE);

  bytes = g_bytes_new_static (text, length);
  page = rapport_pulled_page_read (bytes, error);
  if (page == NULL || !rapport_store_apply_pulled (self, page, state_key, state_value, applied, error))
    return FALSE;
  *n_changes = rapport_pulled_page_get_n_changes (page);
  return TRUE;
}
