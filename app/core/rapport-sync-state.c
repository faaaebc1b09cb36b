/* rapport-sync-state.c: sync bookkeeping in the store (conflicts, user id) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-store-private.h"
#include "rapport-sync-state.h"

/* Fields that hold a user id, by entity: what a first sign-in rewrites. */
static const struct
{
  const char *entity;
  const char *table;
  const char *column;
} user_references[] = {
  { "contact", "contacts", "owner" },
  { "contact", "contacts", "created_by" },
  { "interaction", "interactions", "logged_by" },
  { "interaction", "interactions", "responded_by" },
  { "note", "notes", "author" },
  { "note", "notes", "updated_by" },
  { "reminder", "reminders", "owner" },
  { "reminder", "reminders", "done_by" },
  { "reminder", "reminders", "created_by" },
  { "promise", "promises", "promised_by" },
  { "promise", "promises", "deliver_by_user" },
  { "promise", "promises", "status_by" },
};

/**
 * rapport_store_add_conflict:
 * @lost_value: (nullable): the value that lost
 * @lost_stamp: (nullable): the stamp of the write that lost
 * @winner_stamp: (nullable): the stamp of the write that won, when known
 * @reason: %RAPPORT_CONFLICT_REPLACED, %RAPPORT_CONFLICT_DELETED, or
 *   "refused: " and the server's reason
 *
 * Records that a local write of @field did not make it, so the record can
 * say so. A write that lost is recorded once, however often it is reported.
 */
gboolean
rapport_store_add_conflict (RapportStore *self, const char *entity, const char *record_id,
                            const char *field, JsonNode *lost_value, const char *lost_stamp,
                            const char *winner_stamp, const char *reason, GError **error)
{
  return rapport_store_add_conflict_by (self, entity, record_id, field, lost_value, lost_stamp,
                                        winner_stamp, NULL, reason, error);
}

/**
 * rapport_store_add_conflict_by:
 * @winner_author: (nullable): the account id of whoever made the winning
 *   change (a pulled change's "author"), for the record to name them
 *
 * rapport_store_add_conflict() naming who won.
 */
gboolean
rapport_store_add_conflict_by (RapportStore *self, const char *entity, const char *record_id,
                               const char *field, JsonNode *lost_value, const char *lost_stamp,
                               const char *winner_stamp, const char *winner_author,
                               const char *reason, GError **error)
{
  g_autofree char *value = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (entity != NULL && record_id != NULL && field != NULL, FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  if (lost_value != NULL)
    value = json_to_string (lost_value, FALSE);
  stmt = rapport_store_prepare (
      self, "INSERT INTO conflicts (entity, record_id, field, lost_value, lost_stamp, "
            "winner_stamp, reason, at, winner_author) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 "
            "WHERE NOT EXISTS (SELECT 1 FROM conflicts WHERE record_id = ?2 AND field = ?3 "
            "AND lost_stamp IS ?5)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, lost_stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, winner_stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, rapport_store_now (self));
  sqlite3_bind_text (stmt, 9, winner_author, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("record a conflict"));
  if (sqlite3_changes (rapport_store_get_db (self)) > 0)
    rapport_store_emit_changed (self, entity, record_id);
  return TRUE;
}

/**
 * rapport_store_count_conflicts:
 * @record_id: (nullable): one record, or %NULL for all
 *
 * Returns: how many conflicts are recorded and not yet marked seen.
 */
gint64
rapport_store_count_conflicts (RapportStore *self, const char *record_id)
{
  sqlite3_stmt *stmt;
  gint64 count = 0;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), 0);

  stmt = rapport_store_prepare (self, "SELECT count(*) FROM conflicts WHERE seen = 0 AND "
                                      "(?1 IS NULL OR record_id = ?1)", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

G_DEFINE_BOXED_TYPE (RapportConflict, rapport_conflict, rapport_conflict_copy, rapport_conflict_free)

RapportConflict *
rapport_conflict_copy (const RapportConflict *conflict)
{
  RapportConflict *copy = g_memdup2 (conflict, sizeof *conflict);

  copy->entity = g_strdup (conflict->entity);
  copy->record_id = g_strdup (conflict->record_id);
  copy->field = g_strdup (conflict->field);
  copy->lost_value = g_strdup (conflict->lost_value);
  copy->lost_stamp = g_strdup (conflict->lost_stamp);
  copy->winner_stamp = g_strdup (conflict->winner_stamp);
  copy->reason = g_strdup (conflict->reason);
  copy->winner_author = g_strdup (conflict->winner_author);
  return copy;
}

void
rapport_conflict_free (RapportConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->entity);
  g_free (conflict->record_id);
  g_free (conflict->field);
  g_free (conflict->lost_value);
  g_free (conflict->lost_stamp);
  g_free (conflict->winner_stamp);
  g_free (conflict->reason);
  g_free (conflict->winner_author);
  g_free (conflict);
}

/**
 * rapport_store_list_conflicts:
 * @record_id: (nullable): one record, or %NULL for all
 * @include_seen: also those already marked seen
 *
 * Returns: (transfer container) (element-type RapportConflict): newest first.
 */
GPtrArray *
rapport_store_list_conflicts (RapportStore *self, const char *record_id, gboolean include_seen,
                              GError **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);

  stmt = rapport_store_prepare (
      self, "SELECT id, entity, record_id, field, lost_value, lost_stamp, winner_stamp, reason, at, "
            "seen, winner_author FROM conflicts WHERE (?1 IS NULL OR record_id = ?1) AND (?2 OR seen = 0) "
            "ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, include_seen ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RapportConflict *c = g_new0 (RapportConflict, 1);

      c->id = sqlite3_column_int64 (stmt, 0);
      c->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      c->record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      c->field = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      c->lost_value = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      c->lost_stamp = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      c->winner_stamp = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      c->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      c->at = sqlite3_column_int64 (stmt, 8);
      c->seen = sqlite3_column_int (stmt, 9) != 0;
      c->winner_author = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
      g_ptr_array_add (list, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self, error, N_("read the conflicts"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * rapport_store_mark_conflicts_seen:
 * @record_id: (nullable): one record, or %NULL for all
 *
 * The user has read them: they stay listed with include_seen, and are no
 * longer counted.
 */
gboolean
rapport_store_mark_conflicts_seen (RapportStore *self, const char *record_id, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);

  stmt = rapport_store_prepare (self, "UPDATE conflicts SET seen = 1 WHERE seen = 0 AND "
                                      "(?1 IS NULL OR record_id = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("update the conflicts"));
  return TRUE;
}

static gboolean
exec_bound (RapportStore *self, const char *sql, const char *a, const char *b, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_TRANSIENT);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("update the store"));
  return TRUE;
}

/* Rewrites user references inside journaled changes not yet pushed. */
static gboolean
rewrite_journal (RapportStore *self, const char *old_id, const char *new_id, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, "SELECT seq, entity, fields FROM journal "
                                                    "WHERE instr(fields, ?) > 0", error);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, old_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      const char *entity = (const char *) sqlite3_column_text (stmt, 1);
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      JsonObject *fields;
      gboolean changed = FALSE;

      if (!json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 2), -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      fields = json_node_get_object (json_parser_get_root (parser));
      for (guint i = 0; i < G_N_ELEMENTS (user_references); i++)
        if (g_strcmp0 (user_references[i].entity, entity) == 0
            && g_strcmp0 (json_object_get_string_member_with_default (fields, user_references[i].column, NULL),
                          old_id) == 0)
          {
            json_object_set_string_member (fields, user_references[i].column, new_id);
            changed = TRUE;
          }
      if (changed)
        {
          g_array_append_val (seqs, seq);
          g_ptr_array_add (texts, json_to_string (json_parser_get_root (parser), FALSE));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("read the journal"));

  for (guint i = 0; i < seqs->len; i++)
    {
      stmt = rapport_store_prepare (self, "UPDATE journal SET fields = ? WHERE seq = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, texts->pdata[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, g_array_index (seqs, gint64, i));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return rapport_store_set_sqlite_error (self, error, N_("update the journal"));
    }
  return TRUE;
}

/**
 * rapport_store_replace_user_id:
 * @old_id: the local user id (the "me" made at first run)
 * @new_id: the id the server gave that user
 *
 * At the first sign-in to a server, the records this desktop wrote as its
 * local user become the server user's: references in records and in the
 * not-yet-pushed journal are rewritten, keeping their stamps (the writes were
 * always this person's, and the server sees them that way when they are
 * pushed), and the local placeholder user is removed. Only for a store whose
 * records under @old_id were never pushed.
 */
gboolean
rapport_store_replace_user_id (RapportStore *self, const char *old_id, const char *new_id,
                               GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (old_id != NULL && new_id != NULL, FALSE);

  if (strcmp (old_id, new_id) == 0)
    return TRUE;
  if (!rapport_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (user_references); i++)
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE %s SET %s = ?2 WHERE %s = ?1",
                                              user_references[i].table, user_references[i].column,
                                              user_references[i].column);
      if (!exec_bound (self, sql, old_id, new_id, error))
        goto fail;
      if (sqlite3_changes (rapport_store_get_db (self)) > 0)
        rapport_store_emit_changed (self, user_references[i].entity, NULL);
    }
  if (!exec_bound (self, "UPDATE note_history SET edited_by = ?2 WHERE edited_by = ?1", old_id,
                   new_id, error)
      || !rewrite_journal (self, old_id, new_id, error)
      || !exec_bound (self, "DELETE FROM journal WHERE entity = 'user' AND record_id = ?", old_id,
                      NULL, error)
      || !exec_bound (self, "DELETE FROM users WHERE id = ?", old_id, NULL, error))
    goto fail;
  rapport_store_emit_changed (self, "user", NULL);
  return rapport_store_commit (self, error);

fail:
  rapport_store_rollback (self);
  return FALSE;
}

/* Clocks that ran ahead ------------------------------------------------------ */

/* Gives one record's stamps written by @old_stamp the stamp @new_stamp. */
static gboolean
restamp_record (RapportStore *self, const char *entity_name, const char *id, JsonObject *fields,
                const char *old_stamp, const char *new_stamp, GError **error)
{
  const RapportEntity *entity = rapport_entity_lookup (entity_name);
  g_autofree char *select_sql = NULL;
  g_autofree char *update_sql = NULL;
  g_autofree char *base = NULL;
  g_autofree char *stamps_text = NULL;
  g_autoptr (JsonObject) field_stamps = NULL;
  g_autoptr (GList) members = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (entity == NULL)
    return TRUE;
  select_sql = g_strdup_printf ("SELECT stamp, field_stamps FROM %s WHERE id = ?", entity->table);
  stmt = rapport_store_prepare (self, select_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      const char *text = (const char *) sqlite3_column_text (stmt, 1);

      base = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        field_stamps = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;  /* purged meanwhile (an erasure): nothing to re-stamp */
  if (rc != SQLITE_ROW)
    return rapport_store_set_sqlite_error (self, error, N_("read a record"));
  if (field_stamps == NULL)
    field_stamps = json_object_new ();

  /* The base stamp is the creating write's; an override is a later one. */
  if (g_strcmp0 (base, old_stamp) == 0)
    {
      g_free (base);
      base = g_strdup (new_stamp);
    }
  members = json_object_get_members (fields);
  for (GList *l = members; l; l = l->next)
    if (g_strcmp0 (json_object_get_string_member_with_default (field_stamps, l->data, NULL),
                   old_stamp) == 0)
      json_object_set_string_member (field_stamps, l->data, new_stamp);
  if (json_object_get_size (field_stamps) > 0)
    {
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), field_stamps);
      stamps_text = json_to_string (node, FALSE);
    }
  update_sql = g_strdup_printf ("UPDATE %s SET stamp = ?, field_stamps = ? WHERE id = ?",
                                entity->table);
  stmt = rapport_store_prepare (self, update_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, base, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, stamps_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("re-stamp a record"));
  return TRUE;
}

/**
 * rapport_store_restamp_ahead:
 * @server_ms: the server's clock (its answer's "server_time")
 * @n_restamped: (out) (optional): how many pending changes got new stamps
 *
 * The rule for a clock that ran far ahead (app/server/PROTOCOL.md, "Clocks
 * that ran ahead"). When this computer's clock agrees with @server_ms, the
 * hybrid clock is set back to the present and every pending change stamped
 * after the present gets, in journal order, a fresh stamp and a new change
 * id (the server remembers a refused id), and the record's field stamps it
 * wrote get the fresh stamp too, in one transaction. Nothing is dropped: the
 * changes are pushed again, and accepted.
 *
 * Returns: %FALSE with %RAPPORT_CLOCK_ERROR_TOO_FAR_AHEAD when this
 *   computer's clock is itself more than the allowed skew off the server's
 *   (nothing is changed: the user must set the clock right first).
 */
gboolean
rapport_store_restamp_ahead (RapportStore *self, gint64 server_ms, guint *n_restamped,
                             GError **error)
{
  gint64 now_ms;
  sqlite3_stmt *stmt;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  guint n = 0;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);

  now_ms = rapport_store_stamp_now_ms (self);
  if (ABS (now_ms - server_ms) > RAPPORT_CLOCK_MAX_SKEW_MS)
    {
      g_set_error (error, RAPPORT_CLOCK_ERROR, RAPPORT_CLOCK_ERROR_TOO_FAR_AHEAD,
                   _("This computer’s clock is %lld minutes off the server’s. "
                     "Set the date and time right; your changes are kept and sent then"),
                   (long long) (ABS (now_ms - server_ms) / 60000));
      return FALSE;
    }
  if (!rapport_store_begin (self, error))
    return FALSE;
  if (!rapport_store_reset_clock (self, error))
    goto fail;
  stmt = rapport_store_prepare (self, "SELECT seq, entity, record_id, stamp, fields FROM journal "
                                      "ORDER BY seq", error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 wall = 0;
      const char *stamp = (const char *) sqlite3_column_text (stmt, 3);

      if (!rapport_stamp_parse (stamp, &wall, NULL, NULL) || wall <= now_ms)
        continue;
      g_ptr_array_add (rows, g_strdup_printf ("%" G_GINT64_FORMAT,
                                              (gint64) sqlite3_column_int64 (stmt, 0)));
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
      g_ptr_array_add (rows, g_strdup (stamp));
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 4)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self, error, N_("read the journal"));
      goto fail;
    }
  for (guint i = 0; i < rows->len; i += 5)
    {
      g_autofree char *new_stamp = rapport_store_next_stamp (self);
      g_autofree char *new_id = g_uuid_string_random ();
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (JsonObject) fields = NULL;

      if (json_parser_load_from_data (parser, rows->pdata[i + 4], -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        fields = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
      else
        fields = json_object_new ();
      stmt = rapport_store_prepare (self, "UPDATE journal SET change_id = ?, stamp = ? "
                                          "WHERE seq = ?", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, new_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, new_stamp, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, g_ascii_strtoll (rows->pdata[i], NULL, 10));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          rapport_store_set_sqlite_error (self, error, N_("update the journal"));
          goto fail;
        }
      if (!restamp_record (self, rows->pdata[i + 1], rows->pdata[i + 2], fields, rows->pdata[i + 3],
                           new_stamp, error))
        goto fail;
      n++;
    }
  if (!rapport_store_commit (self, error))
    return FALSE;
  g_message ("The clock had run ahead: it is set back to the present, and %u pending changes "
             "were given fresh stamps", n);
  if (n_restamped != NULL)
    *n_restamped = n;
  return TRUE;

fail:
  rapport_store_rollback (self);
  return FALSE;
}
