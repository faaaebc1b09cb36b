/* rapport-journal.c: the local journal, applying pulled changes, sync state */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-erase.h"
#include "rapport-journal-private.h"
#include "rapport-merge.h"
#include "rapport-store-private.h"

static const char *const timeline_entities[] = { "interaction", "note", "reminder", "promise" };

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return json_object_new ();
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return json_object_new ();
  return json_object_ref (json_node_get_object (root));
}

/**
 * rapport_store_pending_changes:
 * @limit: at most this many, oldest first
 *
 * Returns: (transfer container) (element-type RapportChange): local changes
 *   the server has not acknowledged yet.
 */
GPtrArray *
rapport_store_pending_changes (RapportStore *self, guint limit, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      self, "SELECT seq, change_id, entity, record_id, stamp, fields, erased FROM journal "
            "ORDER BY seq LIMIT ?", error);
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) fields = parse_object ((const char *) sqlite3_column_text (stmt, 5));
      RapportChange *change = rapport_change_new ((const char *) sqlite3_column_text (stmt, 1),
                                                  (const char *) sqlite3_column_text (stmt, 2),
                                                  (const char *) sqlite3_column_text (stmt, 3),
                                                  (const char *) sqlite3_column_text (stmt, 4),
                                                  fields);
      change->seq = sqlite3_column_int64 (stmt, 0);
      change->erased = sqlite3_column_int (stmt, 6) != 0;
      g_ptr_array_add (changes, change);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self, error, N_("read the journal"));
      return NULL;
    }
  return g_steal_pointer (&changes);
}

gint64
rapport_store_count_pending (RapportStore *self)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, "SELECT count(*) FROM journal", NULL);
  gint64 count = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return count;
}

/**
 * rapport_store_ack_changes:
 *
 * Removes changes the server acknowledged (applied or superseded) from the
 * journal. Only ever called with ids from a server's answer.
 */
gboolean
rapport_store_ack_changes (RapportStore *self, const char *const *change_ids, GError **error)
{
  if (!rapport_store_begin (self, error))
    return FALSE;
  for (guint i = 0; change_ids && change_ids[i]; i++)
    {
      sqlite3_stmt *stmt = rapport_store_prepare (self, "DELETE FROM journal WHERE change_id = ?", error);
      int rc;

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, change_ids[i], -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          rapport_store_set_sqlite_error (self, error, N_("update the journal"));
          goto fail;
        }
    }
  if (!rapport_store_drop_settled_bases (self, error))
    goto fail;
  return rapport_store_commit (self, error);

fail:
  rapport_store_rollback (self);
  return FALSE;
}

/* Local, unacknowledged writes of @field of a record that @stamp beats: the
 * user's edit is replaced by a newer one from elsewhere, and is recorded so
 * the record can say so. */
static gboolean
record_conflicts (RapportStore *self, RapportChange *change, JsonObject *applied, GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr (GPtrArray) losers = g_ptr_array_new_with_free_func (g_free);
  int rc;

  stmt = rapport_store_prepare (self, "SELECT fields, stamp FROM journal WHERE entity = ? AND "
                                      "record_id = ? AND stamp < ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, change->record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, change->stamp, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (losers, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (losers, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("read the journal"));

  for (guint i = 0; i < losers->len; i += 2)
    {
      g_autoptr (JsonObject) fields = parse_object (losers->pdata[i]);
      g_autoptr (GList) members = json_object_get_members (fields);
      gboolean deleted = json_object_get_boolean_member_with_default (applied, "deleted", FALSE);

      for (GList *l = members; l; l = l->next)
        {
          g_autofree char *value = NULL;
          const char *reason;

          if (!json_object_has_member (applied, l->data) && !deleted)
            continue;
          reason = deleted && !json_object_has_member (applied, l->data) ? "deleted" : "replaced";
          value = json_to_string (json_object_get_member (fields, l->data), FALSE);
          stmt = rapport_store_prepare (self,
                                        "INSERT INTO conflicts (entity, record_id, field, lost_value, "
                                        "lost_stamp, winner_stamp, reason, at, winner_author) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, change->entity, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, change->record_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 3, l->data, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 4, value, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 5, losers->pdata[i + 1], -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 6, change->stamp, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 7, reason, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 8, rapport_store_now (self));
          sqlite3_bind_text (stmt, 9, change->author, -1, SQLITE_TRANSIENT);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            return rapport_store_set_sqlite_error (self, error, N_("record a conflict"));
        }
    }
  return TRUE;
}

/* What a page's changes need to look up, learnt once per page: a first sync
 * has no pending edits to lose and nothing erased, and skips both lookups. */
typedef struct
{
  gboolean any_pending;
  gboolean any_erased;
  gboolean any_unnamed;   /* conflicts whose winner is not known yet */
} ApplyContext;

static gboolean
any_row (RapportStore *self, const char *sql)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, NULL);
  gboolean found;

  /* When in doubt, look each change up. */
  if (stmt == NULL)
    return TRUE;
  found = sqlite3_step (stmt) != SQLITE_DONE;
  sqlite3_reset (stmt);
  return found;
}

/* A push answered "superseded" records the loss before the winner is
 * pulled; the winning change, pulled now, names its stamp and author. */
static gboolean
name_winner (RapportStore *self, RapportChange *change, JsonObject *applied, GError **error)
{
  g_autoptr (GList) members = json_object_get_members (applied);

  for (GList *l = members; l; l = l->next)
    {
      sqlite3_stmt *stmt = rapport_store_prepare (
          self, "UPDATE conflicts SET winner_stamp = ?1, winner_author = ?2 WHERE record_id = ?3 "
                "AND field = ?4 AND reason = 'replaced' AND winner_stamp IS NULL "
                "AND lost_stamp < ?1", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, change->stamp, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, change->author, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, change->record_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, l->data, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return rapport_store_set_sqlite_error (self, error, N_("record a conflict"));
    }
  return TRUE;
}

static gboolean
apply_one (RapportStore *self, ApplyContext *context, RapportApplyBatch *batch,
           RapportChange *change, GError **error)
{
  const RapportEntity *entity = rapport_entity_lookup (change->entity);
  g_autoptr (JsonObject) applied = NULL;
  gboolean inserted = FALSE;

  /* An erasure purges the contact and everything about it, for good. */
  if (change->erased)
    {
      context->any_erased = TRUE;
      return (batch == NULL || rapport_apply_batch_flush (batch, error))
             && rapport_store_purge_erased (self, change->record_id, error);
    }

  if (entity == NULL)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID, _("Unknown kind of record “%s”"),
                   change->entity);
      return FALSE;
    }
  /* An erased record stays erased: a change to it pulled later (an older
   * edit from another desktop) must not bring back a partial copy. */
  if (context->any_erased && rapport_store_is_erased (self, change->entity, change->record_id))
    return TRUE;
  /* A record not stored yet has nothing to merge with: every field wins. */
  if (batch != NULL && !rapport_apply_batch_insert_new (batch, entity, change, &inserted, error))
    return FALSE;
  if (inserted)
    applied = json_object_ref (change->fields);
  else if ((batch != NULL && !rapport_apply_batch_flush (batch, error))
           || !rapport_store_merge_fields (self, entity, change->record_id, change->stamp,
                                           change->fields, NULL, &applied, error))
    return FALSE;
  if (context->any_pending && json_object_get_size (applied) > 0
      && !record_conflicts (self, change, applied, error))
    return FALSE;
  if (context->any_unnamed && json_object_get_size (applied) > 0
      && !name_winner (self, change, applied, error))
    return FALSE;
  return TRUE;
}

/**
 * rapport_store_apply_changes:
 * @changes: (element-type RapportChange): changes pulled from the server
 * @state_key: (nullable): a sync-state key to set in the same transaction
 *   (the pull cursor), so the cursor never moves past unapplied changes
 *
 * Merges remote changes by the merge rule, in one transaction.
 */
gboolean
rapport_store_apply_changes (RapportStore *self, GPtrArray *changes, const char *state_key,
                             const char *state_value, GError **error)
{
  return rapport_store_apply_changes_full (self, changes, state_key, state_value,
                                           RAPPORT_APPLY_DEFAULT, error);
}

/**
 * rapport_store_apply_changes_full:
 * @flags: %RAPPORT_APPLY_MERGE_ALL sends every change through the merge
 *   path, even those of records not stored yet (tests compare both paths)
 *
 * As rapport_store_apply_changes().
 */
gboolean
rapport_store_apply_changes_full (RapportStore *self, GPtrArray *changes, const char *state_key,
                                  const char *state_value, RapportApplyFlags flags, GError **error)
{
  g_autoptr (RapportApplyBatch) batch = NULL;
  ApplyContext context;
  const char *latest = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  if (!(flags & RAPPORT_APPLY_MERGE_ALL))
    batch = rapport_apply_batch_new (self);
  if (!rapport_store_begin (self, error))
    return FALSE;
  context.any_pending = any_row (self, "SELECT 1 FROM journal LIMIT 1");
  context.any_erased = any_row (self, "SELECT 1 FROM sync_state WHERE key >= 'erased/' "
                                      "AND key < 'erased0' LIMIT 1");
  context.any_unnamed = any_row (self, "SELECT 1 FROM conflicts WHERE reason = 'replaced' "
                                       "AND winner_stamp IS NULL LIMIT 1");
  for (guint i = 0; i < changes->len; i++)
    {
      RapportChange *change = changes->pdata[i];

      if (!rapport_stamp_parse (change->stamp, NULL, NULL, NULL))
        {
          g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       _("“%s” is not a valid change stamp"), change->stamp ? change->stamp : "");
          goto fail;
        }
      if (latest == NULL || strcmp (change->stamp, latest) > 0)
        latest = change->stamp;
      if (!apply_one (self, &context, batch, change, error))
        goto fail;
    }
  if (batch != NULL && !rapport_apply_batch_flush (batch, error))
    goto fail;
  /* The clock moves past the page's latest stamp once: stamps order as
   * text, so that is past every one of them. */
  if (latest != NULL && !rapport_store_observe_stamp (self, latest, error))
    goto fail;
  if (state_key != NULL && !rapport_store_set_state (self, state_key, state_value, error))
    goto fail;
  return rapport_store_commit (self, error);

fail:
  rapport_store_rollback (self);
  return FALSE;
}

/**
 * rapport_store_note_applied:
 * @changes: (element-type RapportChange): changes another connection to the
 *   same store file applied (rapport_store_apply_changes() in a worker)
 *
 * Brings this connection in step: its clock moves past the changes (local
 * writes made next must order after them) and "changed" is emitted for each
 * kind of record they wrote.
 */
gboolean
rapport_store_note_applied (RapportStore *self, GPtrArray *changes, GError **error)
{
  g_autoptr (GHashTable) entities = g_hash_table_new (g_str_hash, g_str_equal);
  const char *latest = NULL;
  GHashTableIter iter;
  gpointer entity;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);

  for (guint i = 0; i < changes->len; i++)
    {
      RapportChange *change = changes->pdata[i];

      g_hash_table_add (entities, change->entity);
      /* An erasure purged the contact's timeline too. */
      if (change->erased)
        for (guint e = 0; e < G_N_ELEMENTS (timeline_entities); e++)
          g_hash_table_add (entities, (gpointer) timeline_entities[e]);
      if (latest == NULL || strcmp (change->stamp, latest) > 0)
        latest = change->stamp;
    }
  /* The worker stored the clock with the page. */
  if (latest != NULL && !rapport_store_observe_stored_stamp (self, latest, error))
    return FALSE;
  g_hash_table_iter_init (&iter, entities);
  while (g_hash_table_iter_next (&iter, &entity, NULL))
    rapport_store_emit_changed (self, entity, NULL);
  return TRUE;
}

/**
 * rapport_store_snapshot_changes:
 *
 * Every record as changes, one per distinct stamp of its fields, so that a
 * server restored from an older backup can be given back all we know.
 *
 * Returns: (transfer container) (element-type RapportChange): the changes.
 */
GPtrArray *
rapport_store_snapshot_changes (RapportStore *self, GError **error)
{
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
  const RapportEntity *const *all = rapport_entity_all ();

  for (guint e = 0; all[e]; e++)
    {
      const RapportEntity *entity = all[e];
      g_autofree char *sql = g_strdup_printf ("SELECT id, stamp, field_stamps FROM %s", entity->table);
      sqlite3_stmt *stmt = NULL;
      int rc;

      if (sqlite3_prepare_v2 (rapport_store_get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          rapport_store_set_sqlite_error (self, error, N_("read the store"));
          return NULL;
        }
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (stmt, 0);
          const char *base = (const char *) sqlite3_column_text (stmt, 1);
          g_autoptr (JsonObject) field_stamps = parse_object ((const char *) sqlite3_column_text (stmt, 2));
          g_autoptr (RapportRecord) record = rapport_store_load (self, entity, id, NULL);
          g_autoptr (JsonObject) values = NULL;
          g_autoptr (GHashTable) by_stamp = NULL;
          g_autoptr (GList) members = NULL;
          GHashTableIter iter;
          gpointer stamp, fields;

          if (record == NULL)
            continue;
          values = rapport_record_to_json (record);
          by_stamp = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) json_object_unref);
          members = json_object_get_members (values);
          for (GList *l = members; l; l = l->next)
            {
              const char *s = rapport_merge_field_stamp (base, field_stamps, l->data);
              JsonObject *group;

              if (s == NULL || *s == '\0')
                continue;
              group = g_hash_table_lookup (by_stamp, s);
              if (group == NULL)
                {
                  group = json_object_new ();
                  g_hash_table_insert (by_stamp, g_strdup (s), group);
                }
              json_object_set_member (group, l->data,
                                      json_node_copy (json_object_get_member (values, l->data)));
            }
          g_hash_table_iter_init (&iter, by_stamp);
          while (g_hash_table_iter_next (&iter, &stamp, &fields))
            {
              /* The same write always gets the same change id, so a server
               * that still has it applies it once. */
              g_autofree char *key = g_strconcat (entity->name, ":", id, ":", stamp, NULL);
              g_autofree char *change_id = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
              g_ptr_array_add (changes, rapport_change_new (change_id, entity->name, id, stamp, fields));
            }
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          rapport_store_set_sqlite_error (self, error, N_("read the store"));
          return NULL;
        }
    }
  /* Erasures too: a server put back from a backup older than an erasure
   * must erase again. The same erasure has the same change id everywhere. */
  {
    sqlite3_stmt *stmt = rapport_store_prepare (
        self, "SELECT substr (key, 16) FROM sync_state WHERE key >= 'erased/contact/' "
              "AND key < 'erased/contact0'", error);
    int rc;

    if (stmt == NULL)
      return NULL;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *id = (const char *) sqlite3_column_text (stmt, 0);
        g_autofree char *key = g_strconcat ("erased:contact:", id, NULL);
        g_autofree char *change_id = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
        g_autofree char *stamp = rapport_store_next_stamp (self);
        RapportChange *change = rapport_change_new (change_id, "contact", id, stamp, NULL);

        change->erased = TRUE;
        g_ptr_array_add (changes, change);
      }
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      {
        rapport_store_set_sqlite_error (self, error, N_("read the sync state"));
        return NULL;
      }
  }
  return g_steal_pointer (&changes);
}

char *
rapport_store_get_state (RapportStore *self, const char *key)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, "SELECT value FROM sync_state WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
rapport_store_set_state (RapportStore *self, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (value == NULL)
    stmt = rapport_store_prepare (self, "DELETE FROM sync_state WHERE key = ?", error);
  else
    stmt = rapport_store_prepare (self, "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("save the sync state"));
  return TRUE;
}
