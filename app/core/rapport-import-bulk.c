/* rapport-import-bulk.c: writing many new contacts fast, as the store's write path would */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-import-private.h"
#include "rapport-bulk-sql.h"
#include "rapport-id.h"
#include "rapport-key-rows.h"
#include "rapport-json-text.h"
#include "rapport-store-private.h"

/* A new contact is written as rapport_store_save() writes a record not yet
 * stored: a fresh clock stamp as its base stamp, the row, a journal entry
 * holding every synced field, and its derived data as rapport-index.c makes
 * it. What can be made without the store (the journal entry, written as
 * text directly, whose arrays are also the row's values; search text; keys:
 * RapportBulkRow) is made on the parsing thread. The tags and keys of a new
 * contact are only added (nothing of them exists yet), so the parsing
 * thread gathers them and sorts them once it is done; they are written at
 * the end in one go, leaving out those of rows that were merged instead.
 * test-import.c checks that the two paths leave identical tables. */

enum
{
  INSERT_CONTACT,
  INSERT_FTS,
  INSERT_JOURNAL,
  N_STATEMENTS
};

/* New contacts are written PENDING at a time, each table's rows in one
 * statement ("VALUES (...), (...), ..."), which opens its cursors once:
 * a row costs about half what it costs in a statement of its own. */
#define PENDING 32

typedef struct
{
  RapportContact *contact;  /* not a reference: the import's, until flushed */
  RapportBulkRow *row;      /* the same */
  char *stamp;
} Pending;

struct _RapportBulkWriter
{
  RapportStore *store;
  char *insert_sql;
  sqlite3_stmt *statements[N_STATEMENTS];  /* its own: no lookup by SQL text per row */
  sqlite3_stmt *many[N_STATEMENTS];        /* the same, for PENDING rows */
  char *many_sql[N_STATEMENTS];
  int widths[N_STATEMENTS];                /* values per row */
  Pending pending[PENDING];
  guint n_pending;
  GHashTable *forgotten;    /* ids whose tags and keys are not written here */
  /* Filled by the parsing thread (rapport_bulk_writer_collect()), read by
   * rapport_bulk_writer_finish() once parsing is done. */
  GStringChunk *strings;    /* keys and tags */
  GArray *keys;             /* RapportKeyRow */
  GArray *tags;             /* RapportKeyRow */
  GPtrArray *dropped;       /* CREATE INDEX statements to run again in finish() */
  RapportFtsBurst fts;      /* contacts_fts' term buffer, raised until finish() */
};

static const char fts_sql[] = "INSERT INTO contacts_fts (rowid, name, organization, emails, phones, tags) "
                              "VALUES (?, ?, ?, ?, ?, ?)";
static const char journal_sql[] = "INSERT INTO journal (change_id, entity, record_id, stamp, fields) "
                                  "VALUES (?, ?, ?, ?, ?)";

/* Contact and journal rows are inserted PENDING to a statement, "OR
 * IGNORE" (rapport_bulk_sql_rows()): write_rows() checks that every row was
 * inserted. The full-text rows are written one by one (a virtual table
 * always takes a savepoint for several rows, and FTS5 then writes out the
 * terms it holds in memory). */
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
  self->widths[INSERT_CONTACT] = (int) entity->n_fields + 4;
  self->widths[INSERT_FTS] = 6;
  self->widths[INSERT_JOURNAL] = 5;
  self->many_sql[INSERT_CONTACT] = rapport_bulk_sql_rows (self->insert_sql, entity->n_fields + 4, PENDING, TRUE);
  self->many_sql[INSERT_JOURNAL] = rapport_bulk_sql_rows (journal_sql, 5, PENDING, TRUE);
  self->forgotten = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->strings = g_string_chunk_new (64 * 1024);
  self->keys = g_array_new (FALSE, FALSE, sizeof (RapportKeyRow));
  self->tags = g_array_new (FALSE, FALSE, sizeof (RapportKeyRow));
  self->dropped = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
rapport_bulk_writer_free (RapportBulkWriter *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->store);
  g_free (self->insert_sql);
  for (guint i = 0; i < N_STATEMENTS; i++)
    {
      sqlite3_finalize (self->statements[i]);
      sqlite3_finalize (self->many[i]);
      g_free (self->many_sql[i]);
    }
  for (guint i = 0; i < self->n_pending; i++)
    g_free (self->pending[i].stamp);
  g_hash_table_unref (self->forgotten);
  g_string_chunk_free (self->strings);
  g_array_unref (self->keys);
  g_array_unref (self->tags);
  g_ptr_array_unref (self->dropped);
  g_free (self);
}

/* @a and @c are static or already in self->strings; @b is copied. */
static void
add_row (RapportBulkWriter *self, GArray *rows, const char *a, const char *b, const char *c)
{
  RapportKeyRow row = { a, g_string_chunk_insert (self->strings, b), c };
  g_array_append_val (rows, row);
}

/* A new contact's journal entry and derived data, made on the parsing
 * thread: nothing here touches the store. The row's values are bound
 * from the contact itself, its arrays from their text in the entry. */
struct _RapportBulkRow
{
  char *id;
  char *change_id;      /* its journal entry's */
  gint64 created_at;
  char *source;         /* the values filled in where the file left them out */
  char *owner;
  char *created_by;
  char *journal;
  int journal_length;
  char *sort_key;
  char *name;           /* the full-text columns, as rapport-index.c writes them */
  char *organization;
  char *emails;
  char *phones;
  char *tags;
  GPtrArray *key_kinds; /* (element-type utf8) static strings; "" for no key */
  GPtrArray *key_values;
  guint spans[];        /* offset and length in journal of each field's value */
};

void
rapport_bulk_row_free (RapportBulkRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->change_id);
  g_free (row->source);
  g_free (row->owner);
  g_free (row->created_by);
  g_free (row->journal);
  g_free (row->sort_key);
  g_free (row->name);
  g_free (row->organization);
  g_free (row->emails);
  g_free (row->phones);
  g_free (row->tags);
  g_ptr_array_unref (row->key_kinds);
  g_ptr_array_unref (row->key_values);
  g_free (row);
}

const char *
rapport_bulk_row_get_sort_key (RapportBulkRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);
  return row->sort_key;
}

/* g_utf8_casefold() (as rapport-index.c folds an email), with ASCII text
 * lowercased directly: the same result, a tenth of the work. */
static char *
fold_email (const char *text)
{
  const char *p;

  for (p = text; *p && !((guchar) *p & 0x80); p++)
    ;
  return *p ? g_utf8_casefold (text, -1) : g_ascii_strdown (text, -1);
}

/* Fills a field left out with @value, lent by *@kept. */
static void
fill_in (char **field, const char *value, char **kept)
{
  if (*field == NULL && value != NULL)
    *field = *kept = g_strdup (value);
}

static void
take_back (char **field, const char *kept)
{
  if (kept != NULL)
    *field = NULL;
}

static void
set_text (char **field, const char *value)
{
  if (value != NULL)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

/**
 * rapport_bulk_row_new:
 * @source: the import's source, for a contact without one
 * @me: (nullable): the store's user, owner and creator of a contact
 *   without them
 * @now: its creation time, if it has none
 * @scratch: (nullable): a string to write the journal entry in first,
 *   reused from row to row (one allocation of its own size per row, not a
 *   large one that makes malloc sort its free lists every time)
 *
 * Makes, on any thread, what rapport_bulk_writer_insert() writes for
 * @contact if it turns out to be new: its id, row values, journal entry
 * and derived data, as rapport_store_save() and rapport-index.c make them.
 * @contact is left as it was.
 */
RapportBulkRow *
rapport_bulk_row_new (RapportContact *contact, const char *source, const char *me, gint64 now, GString *scratch)
{
  RapportRecord *record = RAPPORT_RECORD (contact);
  const RapportEntity *entity = rapport_record_get_entity (record);
  RapportBulkRow *row;
  guint n_keys;
  g_autoptr (GString) own = NULL;
  GString *journal = scratch;
  gint64 created_at = record->created_at;

  g_return_val_if_fail (record->id == NULL, NULL);

  row = g_malloc0 (sizeof (RapportBulkRow) + 2 * entity->n_fields * sizeof (guint));
  row->id = rapport_id_new ();
  row->change_id = rapport_id_new ();
  row->created_at = created_at != 0 ? created_at : now;
  fill_in (&contact->source, source, &row->source);
  fill_in (&contact->owner, me, &row->owner);
  fill_in (&contact->created_by, me, &row->created_by);
  record->id = row->id;
  record->created_at = row->created_at;

  if (journal == NULL)
    journal = own = g_string_sized_new (1024);
  g_string_truncate (journal, 0);
  rapport_json_text_append_record (journal, record, row->spans);
  row->journal = g_memdup2 (journal->str, journal->len + 1);
  row->journal_length = (int) journal->len;

  /* Back as it was: the contact may yet be merged into another. */
  record->id = NULL;
  record->created_at = created_at;
  take_back (&contact->source, row->source);
  take_back (&contact->owner, row->owner);
  take_back (&contact->created_by, row->created_by);

  /* The derived data, as index_contact() of rapport-index.c makes it. */
  row->sort_key = rapport_index_sort_key (contact->name);
  row->name = rapport_index_search_text (contact->name);
  row->organization = rapport_index_search_text (contact->organization);
  row->emails = rapport_index_values_text (contact->emails, FALSE);
  row->phones = rapport_index_values_text (contact->phones, TRUE);
  row->tags = contact->tags ? g_strjoinv (" ", contact->tags) : g_strdup ("");
  n_keys = (contact->emails ? json_array_get_length (contact->emails) : 0)
           + (contact->phones ? json_array_get_length (contact->phones) : 0) + 1;
  row->key_kinds = g_ptr_array_sized_new (n_keys);
  row->key_values = g_ptr_array_new_full (n_keys, g_free);
  for (guint i = 0; contact->emails && i < json_array_get_length (contact->emails); i++)
    {
      JsonObject *o = json_array_get_object_element (contact->emails, i);

      g_ptr_array_add (row->key_kinds, (gpointer) "email");
      g_ptr_array_add (row->key_values, fold_email (json_object_get_string_member_with_default (o, "value", "")));
    }
  for (guint i = 0; contact->phones && i < json_array_get_length (contact->phones); i++)
    {
      JsonObject *o = json_array_get_object_element (contact->phones, i);
      char *key = rapport_phone_digits (json_object_get_string_member_with_default (o, "value", ""));

      g_ptr_array_add (row->key_kinds, (gpointer) (strlen (key) >= 6 ? "phone" : ""));
      g_ptr_array_add (row->key_values, key);
    }
  if (row->sort_key[0] != '\0')
    {
      g_ptr_array_add (row->key_kinds, (gpointer) "name");
      g_ptr_array_add (row->key_values, g_strdup_printf ("%s|%s", row->sort_key,
                                                         contact->organization ? contact->organization : ""));
    }
  return row;
}

/* The statement inserting one row (@many: PENDING rows) in table @which. */
static sqlite3_stmt *
statement (RapportBulkWriter *self, guint which, gboolean many, GError **error)
{
  const char *one_sql[N_STATEMENTS] = { self->insert_sql, fts_sql, journal_sql };
  sqlite3_stmt **stmt = many ? &self->many[which] : &self->statements[which];
  const char *sql = many ? self->many_sql[which] : one_sql[which];

  if (*stmt == NULL
      && sqlite3_prepare_v3 (rapport_store_get_db (self->store), sql, -1, SQLITE_PREPARE_PERSISTENT, stmt,
                             NULL) != SQLITE_OK)
    {
      rapport_store_set_sqlite_error (self->store, error, N_("prepare a query"));
      return NULL;
    }
  return *stmt;
}

static gint64
count_rows (RapportBulkWriter *self, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3_stmt *stmt = rapport_store_prepare (self->store, sql, NULL);
  gint64 n = G_MAXINT64;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

/* Drops the secondary indexes of @table (not those behind a PRIMARY KEY or
 * UNIQUE constraint), remembering how to make them again: building an
 * index once from sorted rows is faster than growing it row by row. The
 * drop is part of the import's transaction, so a rollback brings them
 * back and other connections never see the store without them. */
static gboolean
drop_indexes (RapportBulkWriter *self, const char *table, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = rapport_store_prepare (self->store, "SELECT name, sql FROM sqlite_schema WHERE "
                                                           "type = 'index' AND tbl_name = ? AND sql IS NOT NULL", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (self->dropped, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->store, error, N_("update the indexes"));
  for (guint i = 0; i < names->len; i++)
    {
      char *sql = sqlite3_mprintf ("DROP INDEX \"%w\"", (const char *) names->pdata[i]);
      gboolean ok = rapport_store_exec (self->store, sql, error);

      sqlite3_free (sql);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
restore_indexes (RapportBulkWriter *self, GError **error)
{
  for (guint i = 0; i < self->dropped->len; i++)
    if (!rapport_store_exec (self->store, self->dropped->pdata[i], error))
      return FALSE;
  g_ptr_array_set_size (self->dropped, 0);
  return TRUE;
}

/* With FTS5's term buffer at 16 MB (rapport_fts_burst_begin()), 20,000
 * contacts make one segment and no merging (a third less full-text work);
 * more is not faster (a larger hash table misses the caches: measured at
 * 100,000). A rollback takes the setting back too. */

/**
 * rapport_bulk_writer_begin:
 * @expected: about how many contacts will be written
 *
 * Called in the import's transaction before the first insert: when the
 * contacts to write outnumber those stored, full-text terms are kept in
 * memory longer. The contacts table keeps its secondary indexes: each
 * costs less to grow row by row than to build again from the whole table
 * (callgrind, 20,000 and 100,000 rows: 52-74% of the rebuild per index).
 */
gboolean
rapport_bulk_writer_begin (RapportBulkWriter *self, guint expected, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (expected < 1000 || count_rows (self, "contacts") >= expected)
    return TRUE;
  return rapport_fts_burst_begin (self->store, "contacts_fts", &self->fts, error);
}

/**
 * rapport_bulk_writer_collect:
 * @row: made by rapport_bulk_row_new() for @contact
 *
 * On the parsing thread: keeps the tags and keys of @contact for
 * rapport_bulk_writer_finish(), in case it is inserted (see
 * rapport_bulk_writer_skip()).
 */
void
rapport_bulk_writer_collect (RapportBulkWriter *self, RapportContact *contact, RapportBulkRow *row)
{
  const char *id;

  g_return_if_fail (self != NULL && row != NULL && row->id != NULL);

  id = g_string_chunk_insert (self->strings, row->id);
  for (char **t = contact->tags; t && *t; t++)
    add_row (self, self->tags, id, *t, NULL);
  for (guint i = 0; i < row->key_kinds->len; i++)
    {
      const char *kind = row->key_kinds->pdata[i];
      const char *value = row->key_values->pdata[i];

      if (kind[0] != '\0' && value[0] != '\0')
        add_row (self, self->keys, kind, value, id);
    }
}

/**
 * rapport_bulk_writer_sort:
 *
 * On the parsing thread, once every row is collected: sorts the tags and
 * keys in the order rapport_bulk_writer_finish() writes them.
 */
void
rapport_bulk_writer_sort (RapportBulkWriter *self)
{
  g_return_if_fail (self != NULL);

  rapport_key_rows_sort (self->tags);
  rapport_key_rows_sort (self->keys);
}

/**
 * rapport_bulk_writer_skip:
 * @row: collected, and not inserted (its contact was merged into another)
 *
 * Its tags and keys are not written.
 */
void
rapport_bulk_writer_skip (RapportBulkWriter *self, RapportBulkRow *row)
{
  g_return_if_fail (self != NULL && row != NULL && row->id != NULL);

  g_hash_table_add (self->forgotten, g_strdup (row->id));
}

/* Binds the values of @p's row in table @which, from place @at + 1. */
static void
bind_row (sqlite3_stmt *stmt, guint which, int at, Pending *p, gint64 rowid)
{
  RapportRecord *record = RAPPORT_RECORD (p->contact);
  RapportBulkRow *row = p->row;

  switch (which)
    {
    case INSERT_CONTACT:
      {
        const RapportEntity *entity = rapport_record_get_entity (record);
        int n = (int) entity->n_fields;

        /* As rapport_json_text_bind_field() binds them, the entity looked
         * up once per row rather than once per field. */
        sqlite3_bind_text (stmt, at + 1, record->id, -1, SQLITE_STATIC);
        for (int i = 0; i < n; i++)
          {
            const RapportField *field = &entity->fields[i];
            gboolean text = field->type == RAPPORT_FIELD_STRV || field->type == RAPPORT_FIELD_JSON;

            rapport_store_bind_field (stmt, at + 2 + i, record, field, text ? row->journal + row->spans[2 * i] : NULL,
                                      text ? (int) row->spans[2 * i + 1] : 0);
          }
        sqlite3_bind_text (stmt, at + n + 2, p->stamp, -1, SQLITE_STATIC);
        sqlite3_bind_null (stmt, at + n + 3);
        sqlite3_bind_text (stmt, at + n + 4, row->sort_key, -1, SQLITE_STATIC);
      }
      break;
    case INSERT_FTS:
      /* In rowid order, the order FTS5 keeps. */
      sqlite3_bind_int64 (stmt, at + 1, rowid);
      sqlite3_bind_text (stmt, at + 2, row->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, at + 3, row->organization, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, at + 4, row->emails, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, at + 5, row->phones, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, at + 6, row->tags, -1, SQLITE_STATIC);
      break;
    case INSERT_JOURNAL:
      /* The new contact's change: every synced field. */
      sqlite3_bind_text (stmt, at + 1, row->change_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, at + 2, "contact", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, at + 3, record->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, at + 4, p->stamp, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, at + 5, row->journal, row->journal_length, SQLITE_STATIC);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Writes the pending rows of table @which; @rowids: the contacts' rowids,
 * set when @which is INSERT_CONTACT. */
static gboolean
write_rows (RapportBulkWriter *self, guint which, gint64 *rowids, GError **error)
{
  static const char *const what[N_STATEMENTS] = { N_("save a record"), N_("update the indexes"),
                                                     N_("journal a change") };
  gboolean many = self->n_pending == PENDING && which != INSERT_FTS;
  sqlite3_stmt *stmt = statement (self, which, many, error);
  sqlite3 *db = rapport_store_get_db (self->store);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < self->n_pending; i++)
    {
      bind_row (stmt, which, many ? (int) i * self->widths[which] : 0, &self->pending[i], rowids[i]);
      if (many)
        continue;
      if (!rapport_store_step_done (self->store, stmt, what[which], error))
        return FALSE;
      if (which == INSERT_CONTACT)
        rowids[i] = sqlite3_last_insert_rowid (db);
    }
  if (!many)
    return TRUE;
  if (!rapport_store_step_done (self->store, stmt, what[which], error))
    return FALSE;
  if (sqlite3_changes (db) != PENDING)
    {
      /* As rapport_store_set_sqlite_error() words a failed constraint. */
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_FAILED,
                   _("Could not %s in %s: %s"), _(what[which]),
                   rapport_store_get_path (self->store), "UNIQUE constraint failed");
      return FALSE;
    }
  /* One statement gives its new rows one rowid after the other. */
  if (which == INSERT_CONTACT)
    for (guint i = 0; i < PENDING; i++)
      rowids[i] = sqlite3_last_insert_rowid (db) - (PENDING - 1) + i;
  return TRUE;
}

/**
 * rapport_bulk_writer_flush:
 *
 * Writes the contacts given to rapport_bulk_writer_insert() that are still
 * pending: before the store is asked about them, and before the contacts
 * and rows given are freed.
 */
gboolean
rapport_bulk_writer_flush (RapportBulkWriter *self, GError **error)
{
  gint64 rowids[PENDING] = { 0 };
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->n_pending == 0)
    return TRUE;
  ok = write_rows (self, INSERT_CONTACT, rowids, error)
       && write_rows (self, INSERT_FTS, rowids, error)
       && write_rows (self, INSERT_JOURNAL, rowids, error);
  for (guint i = 0; i < self->n_pending; i++)
    g_clear_pointer (&self->pending[i].stamp, g_free);
  self->n_pending = 0;
  return ok;
}

/**
 * rapport_bulk_writer_insert:
 * @row: made by rapport_bulk_row_new() for @contact, which has not
 *   changed since; both must stay until rapport_bulk_writer_flush()
 *
 * Writes a new contact (its id, creation time and filled-in fields are
 * set here from @row): the row, with its sort key, its full-text row and
 * its journal entry, PENDING at a time; its tags and keys wait for
 * rapport_bulk_writer_finish(). Must be called inside a transaction.
 */
gboolean
rapport_bulk_writer_insert (RapportBulkWriter *self, RapportContact *contact, RapportBulkRow *row,
                            GError **error)
{
  RapportRecord *record = RAPPORT_RECORD (contact);
  Pending *p;

  g_return_val_if_fail (record->id == NULL, FALSE);
  g_return_val_if_fail (row != NULL && row->id != NULL, FALSE);

  record->id = g_steal_pointer (&row->id);
  record->created_at = row->created_at;
  set_text (&contact->source, row->source);
  set_text (&contact->owner, row->owner);
  set_text (&contact->created_by, row->created_by);
  p = &self->pending[self->n_pending++];
  p->contact = contact;
  p->row = row;
  p->stamp = rapport_store_next_stamp (self->store);
  return self->n_pending < PENDING || rapport_bulk_writer_flush (self, error);
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
  g_return_if_fail (self != NULL && id != NULL);

  g_hash_table_add (self->forgotten, g_strdup (id));
}

/**
 * rapport_bulk_writer_finish:
 *
 * Writes the tags and duplicate keys of the contacts inserted, and builds
 * again the indexes dropped for the import. Must be called in the same
 * transaction.
 */
gboolean
rapport_bulk_writer_finish (RapportBulkWriter *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!rapport_bulk_writer_flush (self, error))
    return FALSE;
  /* Nothing looks up keys or tags any more in this import. */
  if ((self->tags->len > 1000 && count_rows (self, "contact_tags") < self->tags->len
       && !drop_indexes (self, "contact_tags", error))
      || (self->keys->len > 1000 && count_rows (self, "contact_keys") < self->keys->len
          && !drop_indexes (self, "contact_keys", error)))
    return FALSE;
  if (!rapport_key_rows_write (self->store, self->tags,
                               "INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)", FALSE,
                               self->forgotten, error)
      || !rapport_key_rows_write (self->store, self->keys,
                                  "INSERT OR IGNORE INTO contact_keys VALUES (?, ?, ?)", TRUE, self->forgotten,
                                  error)
      || !restore_indexes (self, error)
      || !rapport_fts_burst_end (self->store, &self->fts, error))
    return FALSE;
  g_hash_table_remove_all (self->forgotten);
  return TRUE;
}
