/* rapport-pulled-read.c: reading a pulled page's text, off the store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-error.h"
#include "rapport-hlc.h"
#include "rapport-pulled-private.h"
#include "rapport-store-private.h"

/* A page is read by SQLite's json_tree(), one pass over its text that
 * yields every value with its parent, and sorted here: each change that
 * needs nothing but an insert (see rapport-journal-text.c) keeps the values
 * its insert binds; every other change is read with json-glib from its own
 * text, which json_each() gives in a second pass only for them. json_tree()
 * reads a page about three times as fast as JSON functions asking for one
 * member at a time, which parse each change again and look up each member
 * by its path. */

/* The members of a change read here; others ("seq", "author") are read by
 * json-glib when the change is merged. */
enum
{
  MEMBER_ID,
  MEMBER_ENTITY,
  MEMBER_RECORD,
  MEMBER_STAMP,
  MEMBER_FIELDS,
  MEMBER_ERASED,
  N_MEMBERS
};

static const char *const member_names[N_MEMBERS] = { "id", "entity", "record", "stamp", "fields", "erased" };

#define REQUIRED_MEMBERS ((1u << MEMBER_ID) | (1u << MEMBER_ENTITY) | (1u << MEMBER_RECORD) \
                          | (1u << MEMBER_STAMP) | (1u << MEMBER_FIELDS))
/* Ids and record ids, as rapport_change_validate() bounds them. */
#define MAX_ID_BYTES 64
#define MAX_FIELDS 64

typedef enum
{
  KIND_NULL,
  KIND_TRUE,
  KIND_FALSE,
  KIND_INTEGER,
  KIND_REAL,
  KIND_TEXT,
  KIND_ARRAY,
  KIND_OBJECT,
} Kind;

/* json_tree()'s "type" column. */
static Kind
kind_of (const char *type)
{
  static const char *const names[] = { "null", "true", "false", "integer", "real", "text", "array", "object" };

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (names); i++)
    if (strcmp (type, names[i]) == 0)
      return (Kind) i;
  return KIND_NULL;
}

/* A member of a change's fields. */
typedef struct
{
  const char *name;          /* (nullable) in the reader's scratch strings, until its field is known */
  Kind kind;
  gboolean in_range;         /* an integer within 64 bits */
  RapportPulledValue value;
} Member;

typedef struct
{
  RapportPulledPage *page;
  GHashTable *seen;          /* records of the changes read so far */
  GStringChunk *scratch;     /* the current change's field names */
  GArray *members;           /* Member: the current change's fields */
  RapportPulledRow row;      /* the current change */
  gboolean open;
  gint64 node, fields_node;  /* its node and its fields' node in the tree */
  guint found;               /* bits: its members found */
  gboolean simple;           /* its members so far as an insert needs them */
  /* Its entity, when read before its fields (as servers write changes):
   * each field's member is then placed as it is read. */
  const RapportEntity *entity;
  int slot[MAX_FIELDS];      /* field → member, or -1 */
} Reader;

static const char *
chunk_text (GStringChunk *strings, sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? g_string_chunk_insert_len (strings, text, sqlite3_column_bytes (stmt, column)) : NULL;
}

static gboolean
member_fits (const RapportField *field, const Member *member)
{
  switch (field->type)
    {
    case RAPPORT_FIELD_STRING:
      return member->kind == KIND_TEXT || member->kind == KIND_NULL;
    case RAPPORT_FIELD_BOOL:
      return member->kind == KIND_TRUE || member->kind == KIND_FALSE || member->kind == KIND_NULL;
    case RAPPORT_FIELD_INT:
    case RAPPORT_FIELD_TIME:
      return member->kind == KIND_NULL || (member->kind == KIND_INTEGER && member->in_range);
    default:
      return FALSE;
    }
}

/* What the merge path stores for @member: false and a missing integer are
 * 0, a time of 0 is none. */
static RapportPulledValue
member_value (const RapportField *field, const Member *member)
{
  RapportPulledValue value = { SQLITE_NULL };

  switch (field->type)
    {
    case RAPPORT_FIELD_INT:
    case RAPPORT_FIELD_BOOL:
      value.type = SQLITE_INTEGER;
      value.number = member->kind == KIND_TRUE ? 1 : member->kind == KIND_INTEGER ? member->value.number : 0;
      break;
    case RAPPORT_FIELD_TIME:
      if (member->kind == KIND_INTEGER && member->value.number != 0)
        value = member->value;
      break;
    default:
      if (member->kind == KIND_TEXT)
        value = member->value;
      break;
    }
  return value;
}

/* Whether the fields hold exactly @entity's fields, each once and of its
 * type; if so their values are kept, in the entity's order. */
/* Places member @m as @entity's field @name: %FALSE when it is none of
 * them, or one placed already. */
static gboolean
place_member (Reader *reader, const RapportEntity *entity, guint m, const char *name)
{
  for (guint f = 0; f < entity->n_fields; f++)
    if (strcmp (entity->fields[f].name, name) == 0)
      {
        if (reader->slot[f] >= 0)
          return FALSE;
        reader->slot[f] = (int) m;
        return TRUE;
      }
  return FALSE;
}

static gboolean
take_values (Reader *reader, const RapportEntity *entity)
{
  const int *slot = reader->slot;

  g_return_val_if_fail (entity->n_fields <= MAX_FIELDS, FALSE);

  if (reader->members->len != entity->n_fields)
    return FALSE;
  if (reader->entity == NULL)
    {
      for (guint m = 0; m < reader->members->len; m++)
        if (!place_member (reader, entity, m, g_array_index (reader->members, Member, m).name))
          return FALSE;
    }
  for (guint f = 0; f < entity->n_fields; f++)
    if (slot[f] < 0 || !member_fits (&entity->fields[f], &g_array_index (reader->members, Member, slot[f])))
      return FALSE;
  reader->row.values = reader->page->values->len;
  for (guint f = 0; f < entity->n_fields; f++)
    {
      RapportPulledValue value = member_value (&entity->fields[f],
                                               &g_array_index (reader->members, Member, slot[f]));

      g_array_append_val (reader->page->values, value);
    }
  return TRUE;
}

/* The current change is read: whether an insert may write it. */
static void
finish_change (Reader *reader)
{
  RapportPulledPage *page = reader->page;
  RapportPulledRow *row = &reader->row;
  const RapportEntity *entity = NULL;
  gboolean valid_stamp;

  if (!reader->open)
    return;
  valid_stamp = row->stamp != NULL && rapport_stamp_parse (row->stamp, NULL, NULL, NULL);
  if (valid_stamp && (page->latest == NULL || strcmp (row->stamp, page->latest) > 0))
    {
      g_free (page->latest);
      page->latest = g_strdup (row->stamp);
    }
  if (reader->simple && (reader->found & REQUIRED_MEMBERS) == REQUIRED_MEMBERS && row->entity != NULL)
    entity = reader->entity ? reader->entity : rapport_pulled_insert_entity (row->entity);
  /* A record written twice in the page is inserted once, then merged. */
  row->insert = entity != NULL && valid_stamp && row->record != NULL
                && !g_hash_table_contains (reader->seen, row->record) && take_values (reader, entity);
  if (row->record != NULL)
    g_hash_table_add (reader->seen, (gpointer) row->record);
  g_array_append_val (page->rows, *row);

  memset (row, 0, sizeof *row);
  g_array_set_size (reader->members, 0);
  g_string_chunk_clear (reader->scratch);
  reader->open = FALSE;
  reader->node = reader->fields_node = -1;
  reader->found = 0;
  reader->entity = NULL;
  for (guint f = 0; f < MAX_FIELDS; f++)
    reader->slot[f] = -1;
}

/* A member of the current change (columns: id, parent, key, type, atom). */
static void
read_member (Reader *reader, sqlite3_stmt *stmt, Kind kind)
{
  const char *key = (const char *) sqlite3_column_text (stmt, 2);
  GStringChunk *strings = reader->page->strings;
  RapportPulledRow *row = &reader->row;
  int bytes = sqlite3_column_bytes (stmt, 4);
  guint m;

  for (m = 0; key != NULL && m < N_MEMBERS; m++)
    if (strcmp (key, member_names[m]) == 0)
      break;
  if (key == NULL || m == N_MEMBERS)
    return;
  /* Twice: json-glib, which reads it for the merge, keeps the last. */
  if (reader->found & (1u << m))
    reader->simple = FALSE;
  reader->found |= 1u << m;
  if (m == MEMBER_FIELDS)
    {
      reader->fields_node = kind == KIND_OBJECT ? sqlite3_column_int64 (stmt, 0) : -1;
      reader->simple &= kind == KIND_OBJECT;
      return;
    }
  if (m == MEMBER_ERASED)
    {
      reader->simple &= kind == KIND_FALSE;
      return;
    }
  if (kind != KIND_TEXT)
    {
      reader->simple = FALSE;
      return;
    }
  if ((m == MEMBER_ID || m == MEMBER_RECORD) && (bytes < 1 || bytes > MAX_ID_BYTES))
    reader->simple = FALSE;
  if (m == MEMBER_ENTITY && reader->fields_node < 0)
    {
      row->entity = chunk_text (strings, stmt, 4);
      /* Not inserted: its fields need not be read here. */
      reader->entity = rapport_pulled_insert_entity (row->entity);
      reader->simple &= reader->entity != NULL;
    }
  else if (m == MEMBER_ENTITY)
    row->entity = chunk_text (strings, stmt, 4);
  else if (m == MEMBER_RECORD)
    row->record = chunk_text (strings, stmt, 4);
  else if (m == MEMBER_STAMP)
    row->stamp = chunk_text (strings, stmt, 4);
}

/* A member of the current change's fields. */
static void
read_field (Reader *reader, sqlite3_stmt *stmt, Kind kind)
{
  Member member = { NULL, kind };

  if (!reader->simple)
    return;
  if (sqlite3_column_type (stmt, 2) != SQLITE_TEXT)
    {
      reader->simple = FALSE;
      return;
    }
  if (reader->entity == NULL)
    member.name = chunk_text (reader->scratch, stmt, 2);
  else if (!place_member (reader, reader->entity, reader->members->len,
                          (const char *) sqlite3_column_text (stmt, 2)))
    {
      reader->simple = FALSE;
      return;
    }
  if (kind == KIND_INTEGER)
    {
      member.in_range = sqlite3_column_type (stmt, 4) == SQLITE_INTEGER;
      member.value.type = SQLITE_INTEGER;
      member.value.number = sqlite3_column_int64 (stmt, 4);
    }
  else if (kind == KIND_TEXT)
    {
      member.value.type = SQLITE_TEXT;
      member.value.text = chunk_text (reader->page->strings, stmt, 4);
      member.value.length = sqlite3_column_bytes (stmt, 4);
    }
  g_array_append_val (reader->members, member);
}

/* Reads the page's changes from the tree of its text; %FALSE when it is
 * not JSON, not an object, or its "changes" not an array. */
static gboolean
read_tree (RapportPulledPage *page, sqlite3 *db, const char *text, gsize length)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Reader reader = { page, seen, g_string_chunk_new (1024), g_array_new (FALSE, FALSE, sizeof (Member)) };
  sqlite3_stmt *stmt = NULL;
  gint64 root = -1, changes = -1;
  gboolean ok = FALSE;
  int rc;

  reader.node = reader.fields_node = -1;
  for (guint f = 0; f < MAX_FIELDS; f++)
    reader.slot[f] = -1;
  if (sqlite3_prepare_v2 (db, "SELECT id, parent, key, type, atom FROM json_tree (?1)", -1, &stmt, NULL)
      != SQLITE_OK)
    goto out;
  sqlite3_bind_text (stmt, 1, text, (int) length, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 parent = sqlite3_column_int64 (stmt, 1);
      Kind kind = kind_of ((const char *) sqlite3_column_text (stmt, 3));

      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        {
          if (kind != KIND_OBJECT)
            goto out;
          root = id;
        }
      else if (parent == root)
        {
          const char *key = (const char *) sqlite3_column_text (stmt, 2);

          /* The first "changes", as the envelope was read. */
          if (changes < 0 && key != NULL && strcmp (key, "changes") == 0)
            {
              if (kind != KIND_ARRAY)
                goto out;
              changes = id;
            }
        }
      else if (parent == changes)
        {
          finish_change (&reader);
          reader.open = TRUE;
          reader.node = id;
          reader.row.pos = sqlite3_column_int64 (stmt, 2);
          reader.simple = kind == KIND_OBJECT;
        }
      else if (reader.open && parent == reader.node)
        read_member (&reader, stmt, kind);
      else if (reader.open && parent == reader.fields_node)
        read_field (&reader, stmt, kind);
    }
  finish_change (&reader);
  ok = rc == SQLITE_DONE;

out:
  sqlite3_finalize (stmt);
  g_string_chunk_free (reader.scratch);
  g_array_unref (reader.members);
  return ok;
}

static void
set_unreadable_page (GError **error)
{
  g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       _("The page of changes is not a JSON object with an array “changes”"));
}

/* Reads one change with json-glib, checked as the merge path needs it; one
 * that cannot be read fails the page. */
static gboolean
read_change (RapportPulledRow *row, GError **error)
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

/* Fetches in one pass of json_each() over the page the text of every
 * change that has none yet (@inserts: those an insert may write too) */
static gboolean
fetch_texts (RapportPulledPage *page, sqlite3 *db, gboolean inserts)
{
  sqlite3_stmt *stmt = NULL;
  gsize length;
  const char *text = g_bytes_get_data (page->text, &length);
  guint missing = 0;
  int rc;

  for (guint i = 0; i < page->rows->len; i++)
    {
      RapportPulledRow *row = &g_array_index (page->rows, RapportPulledRow, i);

      missing += row->text == NULL && (inserts || !row->insert);
    }
  if (missing == 0)
    return TRUE;
  if (sqlite3_prepare_v2 (db, "SELECT key, value FROM json_each (?1, '$.changes')", -1, &stmt, NULL)
      != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, (int) length, SQLITE_STATIC);
  while (missing > 0 && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 pos = sqlite3_column_int64 (stmt, 0);
      RapportPulledRow *row;

      if (pos < 0 || pos >= page->rows->len)
        continue;
      row = &g_array_index (page->rows, RapportPulledRow, pos);
      if (row->text == NULL && (inserts || !row->insert))
        {
          row->text = chunk_text (page->strings, stmt, 1);
          missing--;
        }
    }
  sqlite3_finalize (stmt);
  return missing == 0;
}

/**
 * rapport_pulled_page_read_changes:
 * @db: a connection for SQLite's JSON functions (any: no table is read)
 * @rows: (element-type RapportPulledRow): rows of @page
 *
 * Reads @rows' changes with json-glib, each from its text. The texts of
 * all the page's changes are fetched at once when one of @rows may be
 * inserted: a change found to need the merge path after all (its record
 * stored) comes one at a time, and when a desktop pulls back what it
 * pushed, a run of one insert between two merges comes over and over —
 * each would cost a pass over the page.
 */
gboolean
rapport_pulled_page_read_changes (RapportPulledPage *page, sqlite3 *db, GPtrArray *rows, GError **error)
{
  gboolean inserts = FALSE;

  if (rows->len == 0)
    return TRUE;
  for (guint i = 0; i < rows->len; i++)
    inserts |= ((RapportPulledRow *) rows->pdata[i])->insert;
  if (!fetch_texts (page, db, inserts))
    {
      set_unreadable_page (error);
      return FALSE;
    }
  for (guint i = 0; i < rows->len; i++)
    if (!read_change (rows->pdata[i], error))
      return FALSE;
  return TRUE;
}

void
rapport_pulled_page_free (RapportPulledPage *page)
{
  if (page == NULL)
    return;
  for (guint i = 0; i < page->rows->len; i++)
    g_clear_pointer (&g_array_index (page->rows, RapportPulledRow, i).change, rapport_change_free);
  g_array_unref (page->rows);
  g_array_unref (page->values);
  g_string_chunk_free (page->strings);
  g_bytes_unref (page->text);
  g_free (page->latest);
  g_free (page);
}

guint
rapport_pulled_page_get_n_changes (RapportPulledPage *page)
{
  return page->rows->len;
}

/* The connection in memory that reads a page: private to one call on one
 * thread, so without SQLite's per-call mutex (a page is millions of
 * calls to sqlite3_column_*(): the mutex was a tenth of a first sync's
 * reading). */
static gboolean
open_scratch (sqlite3 **db)
{
  return sqlite3_open_v2 (":memory:", db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                          NULL) == SQLITE_OK;
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
rapport_pulled_page_read (GBytes *text, GError **error)
{
  g_autoptr (RapportPulledPage) page = g_new0 (RapportPulledPage, 1);
  g_autoptr (GPtrArray) merged = g_ptr_array_new ();
  sqlite3 *db = NULL;
  gsize length;
  const char *data;
  gboolean read;

  g_return_val_if_fail (text != NULL, NULL);

  page->text = g_bytes_ref (text);
  page->rows = g_array_new (FALSE, TRUE, sizeof (RapportPulledRow));
  page->values = g_array_new (FALSE, FALSE, sizeof (RapportPulledValue));
  page->strings = g_string_chunk_new (256 * 1024);
  data = g_bytes_get_data (text, &length);
  read = data != NULL && length <= G_MAXINT && g_utf8_validate_len (data, length, NULL)
         && open_scratch (&db)
         && read_tree (page, db, data, length);
  if (read)
    {
      for (guint i = 0; i < page->rows->len; i++)
        if (!g_array_index (page->rows, RapportPulledRow, i).insert)
          g_ptr_array_add (merged, &g_array_index (page->rows, RapportPulledRow, i));
      read = rapport_pulled_page_read_changes (page, db, merged, error);
      sqlite3_close (db);
      return read ? g_steal_pointer (&page) : NULL;
    }
  sqlite3_close (db);
  set_unreadable_page (error);
  return NULL;
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
      && open_scratch (&db)
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
                           _("A page of changes is an object with a string “epoch”, an integer "
                             "“cursor” and an array “changes”"));
      return FALSE;
    }
  return TRUE;
}
