/* rapport-server-sqlite-sync.c: push, pull and backlog of the SQLite server store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-due.h"
#include "rapport-hlc.h"
#include "rapport-json-text.h"
#include "rapport-merge.h"
#include "rapport-server-config.h"
#include "rapport-server-sqlite-private.h"

static char *
json_text (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonNode) node = text ? json_from_string (text, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_object_new ();
  return json_object_ref (json_node_get_object (node));
}

/* The stamps of a stored record: @base NULL when it does not exist. */
static gboolean
read_stamps (RapportServerSqlite *self, const RapportEntity *entity, const char *id, char **base,
             JsonObject **field_stamps, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT stamp, field_stamps FROM %s WHERE id = ?", entity->table);
  sqlite3_stmt *stmt = rapport_store_prepare (self->records, sql, error);
  int rc;

  *base = NULL;
  *field_stamps = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *base = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *field_stamps = parse_object ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->records, error, "read a record");
  if (*field_stamps == NULL)
    *field_stamps = json_object_new ();
  return TRUE;
}

static RapportRecord *
load_record (RapportServerSqlite *self, const RapportEntity *entity, const char *id, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  RapportRecord *record = rapport_store_load (self->records, entity, id, &local_error);

  if (record == NULL && !g_error_matches (local_error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return record;
}

/* As insert_log(), the fields given as JSON text. */
static gboolean
insert_log_text (RapportServerSqlite *self, const char *change_id, const char *entity,
                 const char *record_id, const char *stamp, const char *fields_text,
                 RapportPushStatus status, const char *reason, GPtrArray *lost,
                 const char *account_id, const char *audience, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      self->records, "INSERT INTO srv_changes (change_id, entity, record_id, stamp, fields, status, "
                     "reason, lost, account_id, received_at, audience) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  g_autofree char *lost_text = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (lost != NULL && lost->len > 0)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < lost->len; i++)
        json_builder_add_string_value (builder, lost->pdata[i]);
      json_builder_end_array (builder);
      node = json_builder_get_root (builder);
      lost_text = json_to_string (node, FALSE);
    }
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, entity ? entity : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, record_id ? record_id : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, stamp ? stamp : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, fields_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, rapport_push_status_to_string (status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, lost_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, account_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 10, rapport_server_now ());
  sqlite3_bind_text (stmt, 11, audience, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->records, error, "write the change log");
  return TRUE;
}

static gboolean
insert_log (RapportServerSqlite *self, const char *change_id, const char *entity,
            const char *record_id, const char *stamp, JsonObject *fields, RapportPushStatus status,
            const char *reason, GPtrArray *lost, const char *account_id, const char *audience,
            GError **error)
{
  g_autofree char *fields_text = fields ? json_text (fields) : g_strdup ("{}");

  return insert_log_text (self, change_id, entity, record_id, stamp, fields_text, status, reason,
                          lost, account_id, audience, error);
}

gboolean
rapport_server_sqlite_log_server_change (RapportServerSqlite *self, const char *entity_name,
                                         const char *record_id, const char *stamp, JsonObject *fields,
                                         const char *audience, gboolean merge, GError **error)
{
  const RapportEntity *entity = rapport_entity_lookup (entity_name);
  g_autoptr (JsonObject) applied = NULL;
  g_autofree char *change_id = g_uuid_string_random ();

  g_return_val_if_fail (entity != NULL, FALSE);

  if (merge)
    {
      if (!rapport_store_merge_fields (self->records, entity, record_id, stamp, fields, NULL,
                                       &applied, error))
        return FALSE;
    }
  else
    applied = json_object_ref (fields);
  return insert_log (self, change_id, entity_name, record_id, stamp, applied, RAPPORT_PUSH_APPLIED,
                     NULL, NULL, NULL, audience, error);
}

gboolean
rapport_server_sqlite_is_logged (RapportServerSqlite *self, const char *change_id)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self->records, "SELECT 1 FROM srv_changes WHERE change_id = ?",
                                              NULL);
  gboolean logged;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_TRANSIENT);
  logged = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return logged;
}

/* The first answer to a change id seen before, or %NULL. */
static RapportPushResult *
previous_result (RapportServerSqlite *self, const char *change_id, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      self->records, "SELECT status, reason, lost FROM srv_changes WHERE change_id = ?", error);
  RapportPushResult *result = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 0);
      const char *lost = (const char *) sqlite3_column_text (stmt, 2);

      result = g_new0 (RapportPushResult, 1);
      result->id = g_strdup (change_id);
      result->status = g_strcmp0 (status, "applied") == 0      ? RAPPORT_PUSH_APPLIED
                       : g_strcmp0 (status, "superseded") == 0 ? RAPPORT_PUSH_SUPERSEDED
                                                               : RAPPORT_PUSH_REFUSED;
      result->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (lost != NULL)
        {
          g_autoptr (JsonNode) node = json_from_string (lost, NULL);
          g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

          if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
            {
              JsonArray *array = json_node_get_array (node);
              for (guint i = 0; i < json_array_get_length (array); i++)
                g_strv_builder_add (builder, json_array_get_string_element (array, i));
            }
          result->lost = g_strv_builder_end (builder);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    rapport_store_set_sqlite_error (self->records, error, "read the change log");
  return result;
}

/* Sends a whole record again, one change per distinct stamp of its fields,
 * to whoever may see it now (a note made shared, a reminder given to
 * someone): they get all of it, not only the change that showed it. */
static gboolean
resend_record (RapportServerSqlite *self, const RapportEntity *entity, RapportRecord *record,
               GError **error)
{
  g_autofree char *base = NULL;
  g_autoptr (JsonObject) field_stamps = NULL;
  g_autoptr (JsonObject) values = rapport_record_to_json (record);
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) json_object_unref);
  g_autoptr (GList) members = json_object_get_members (values);
  g_autoptr (GList) stamps = NULL;

  if (!read_stamps (self, entity, record->id, &base, &field_stamps, error))
    return FALSE;
  for (GList *l = members; l; l = l->next)
    {
      const char *stamp = rapport_merge_field_stamp (base, field_stamps, l->data);
      JsonObject *group;

      if (stamp == NULL || *stamp == '\0')
        continue;
      group = g_hash_table_lookup (groups, stamp);
      if (group == NULL)
        {
          group = json_object_new ();
          g_hash_table_insert (groups, g_strdup (stamp), group);
        }
      json_object_set_member (group, l->data, json_node_copy (json_object_get_member (values, l->data)));
    }
  stamps = g_list_sort (g_hash_table_get_keys (groups), (GCompareFunc) g_strcmp0);
  for (GList *l = stamps; l; l = l->next)
    if (!rapport_server_sqlite_log_server_change (self, entity->name, record->id, l->data,
                                                  g_hash_table_lookup (groups, l->data), NULL,
                                                  FALSE, error))
      return FALSE;
  return TRUE;
}

static gboolean
follow_visibility (RapportServerSqlite *self, const RapportEntity *entity, RapportRecord *old_record,
                   GError **error)
{
  g_autoptr (RapportRecord) record = NULL;
  g_autofree char *audience = NULL;
  gboolean reveal;
  const char *field;

  if (old_record == NULL || (!RAPPORT_IS_NOTE (old_record) && !RAPPORT_IS_REMINDER (old_record)))
    return TRUE;
  record = load_record (self, entity, old_record->id, error);
  if (record == NULL)
    return FALSE;
  rapport_server_policy_transition (old_record, record, &reveal, &audience, &field);
  if (reveal && !resend_record (self, entity, record, error))
    return FALSE;
  if (audience != NULL)
    {
      g_autofree char *base = NULL;
      g_autoptr (JsonObject) field_stamps = NULL;
      g_autoptr (JsonObject) values = rapport_record_to_json (record);
      g_autoptr (JsonObject) notice = json_object_new ();

      if (!read_stamps (self, entity, record->id, &base, &field_stamps, error))
        return FALSE;
      json_object_set_member (notice, field, json_node_copy (json_object_get_member (values, field)));
      if (!rapport_server_sqlite_log_server_change (self, entity->name, record->id,
                                                    rapport_merge_field_stamp (base, field_stamps, field),
                                                    notice, audience, FALSE, error))
        return FALSE;
    }
  return TRUE;
}

static RapportPushResult *
result_new (const char *id, RapportPushStatus status, char *reason, GPtrArray *lost)
{
  RapportPushResult *result = g_new0 (RapportPushResult, 1);

  result->id = g_strdup (id);
  result->status = status;
  result->reason = reason;
  if (lost != NULL && lost->len > 0)
    {
      result->lost = g_new0 (char *, lost->len + 1);
      for (guint i = 0; i < lost->len; i++)
        result->lost[i] = g_strdup (lost->pdata[i]);
    }
  return result;
}

static char *
skew_reason (const char *stamp, gint64 now)
{
  gint64 wall_ms = 0;

  if (!rapport_stamp_parse (stamp, &wall_ms, NULL, NULL))
    return g_strdup ("invalid: malformed stamp");
  if (wall_ms <= now * 1000 + RAPPORT_CLOCK_MAX_SKEW_MS)
    return NULL;
  return g_strdup_printf ("clock skew: the change is stamped %" G_GINT64_FORMAT " minutes ahead of "
                          "the server's clock; set this computer's clock right and make the edit again",
                          (wall_ms - now * 1000) / 60000);
}

/* Applies one change that was not seen before, and logs it. */
static RapportPushResult *
apply_one (RapportServerSqlite *self, const RapportServerActor *actor, RapportPushItem *item, gint64 now,
           GError **error)
{
  RapportChange *change = item->change;
  const RapportEntity *entity;
  g_autoptr (RapportRecord) current = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *base = NULL, *reason = NULL;
  g_autoptr (JsonObject) field_stamps = NULL, winners = NULL, applied = NULL;
  g_autoptr (GPtrArray) lost = g_ptr_array_new_with_free_func (g_free);
  RapportPushStatus status;

  if (change == NULL)
    reason = g_strconcat ("invalid: ", item->invalid, NULL);
  else
    reason = skew_reason (change->stamp, now);
  if (reason != NULL)
    goto refused;
  if (item->erased)
    {
      gboolean applied_erasure = FALSE;

      if (!rapport_server_sqlite_erase (self, actor, item, now, &applied_erasure, &reason, error))
        return NULL;
      if (!applied_erasure)
        goto refused;
      /* Logged by the erasure itself (unless the contact was erased before). */
      if (!rapport_server_sqlite_is_logged (self, item->id)
          && !insert_log (self, item->id, change->entity, change->record_id, change->stamp, NULL,
                          RAPPORT_PUSH_APPLIED, NULL, NULL, actor->id, NULL, error))
        return NULL;
      return result_new (item->id, RAPPORT_PUSH_APPLIED, NULL, NULL);
    }
  reason = rapport_server_sqlite_erased_reason (self, change);
  if (reason != NULL)
    goto refused;

  entity = rapport_entity_lookup (change->entity);
  if (!read_stamps (self, entity, change->record_id, &base, &field_stamps, error))
    return NULL;
  /* A record not stored yet (no base stamp) has nothing to load, and every
   * field of its first change wins. */
  if (base != NULL)
    {
      current = load_record (self, entity, change->record_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      winners = rapport_merge_change (base, field_stamps, change->stamp, change->fields, NULL);
    }
  else
    winners = json_object_ref (change->fields);
  if (!rapport_server_policy_authorize (actor, change, current, winners, &reason))
    goto refused;

  /* The clock moves past the newest stamp once per transaction. */
  if (g_strcmp0 (change->stamp, self->newest_stamp) > 0)
    {
      g_free (self->newest_stamp);
      self->newest_stamp = g_strdup (change->stamp);
    }
  if (!rapport_store_merge_fields (self->records, entity, change->record_id, change->stamp,
                                      change->fields, lost, &applied, error))
    return NULL;
  status = lost->len > 0 ? RAPPORT_PUSH_SUPERSEDED : RAPPORT_PUSH_APPLIED;
  /* Every field won: the winners are the change's fields, in their order,
   * whose text the reader made. */
  if (item->fields_text != NULL && json_object_get_size (applied) == json_object_get_size (change->fields))
    {
      if (!insert_log_text (self, item->id, change->entity, change->record_id, change->stamp,
                            item->fields_text, status, NULL, lost, actor->id, NULL, error))
        return NULL;
    }
  else if (!insert_log (self, item->id, change->entity, change->record_id, change->stamp, applied,
                        status, NULL, lost, actor->id, NULL, error))
    return NULL;
  if (json_object_get_size (applied) > 0 && !follow_visibility (self, entity, current, error))
    return NULL;
  return result_new (item->id, status, NULL, lost);

refused:
  if (!insert_log (self, item->id, change ? change->entity : NULL, change ? change->record_id : NULL,
                   change ? change->stamp : NULL, NULL, RAPPORT_PUSH_REFUSED, reason, NULL, actor->id,
                   NULL, error))
    return NULL;
  return result_new (item->id, RAPPORT_PUSH_REFUSED, g_steal_pointer (&reason), NULL);
}

/* Writes of this process take turns here, not in SQLite's busy handler
 * (which polls with sleeps of up to 100 ms); other processes (the admin
 * commands) still meet the busy timeout. */
static GMutex write_lock;

void
rapport_server_sqlite_lock_writes (void)
{
  g_mutex_lock (&write_lock);
}

gboolean
rapport_server_sqlite_try_lock_writes (void)
{
  return g_mutex_trylock (&write_lock);
}

void
rapport_server_sqlite_unlock_writes (void)
{
  g_mutex_unlock (&write_lock);
}

/* The changes of one push, inside the transaction. */
static GPtrArray *
apply_items (RapportServerSqlite *self, RapportServerBatch *batch, GError **error)
{
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_push_result_free);
  RapportServerActor actor = rapport_server_account_actor (batch->account);

  for (guint i = 0; i < batch->items->len; i++)
    {
      RapportPushItem *item = batch->items->pdata[i];
      g_autoptr (GError) local_error = NULL;
      RapportPushResult *result = previous_result (self, item->id, &local_error);

      if (result == NULL && local_error == NULL)
        result = apply_one (self, &actor, item, batch->now, &local_error);
      if (result == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_ptr_array_add (results, result);
    }
  return g_steal_pointer (&results);
}

/* Every batch of @batches in one transaction: all or none. */
static gboolean
apply_group (RapportServerSqlite *self, GPtrArray *batches, GError **error)
{
  g_autofree char *newest = NULL;

  g_clear_pointer (&self->newest_stamp, g_free);
  if (!rapport_store_begin (self->records, error))
    return FALSE;
  for (guint i = 0; i < batches->len; i++)
    {
      RapportServerBatch *batch = batches->pdata[i];

      g_clear_pointer (&batch->results, g_ptr_array_unref);
      batch->results = apply_items (self, batch, error);
      if (batch->results == NULL)
        {
          rapport_store_rollback (self->records);
          return FALSE;
        }
      batch->cursor = rapport_server_sqlite_last_seq (self);
    }
  newest = g_steal_pointer (&self->newest_stamp);
  if (newest != NULL && !rapport_store_observe_stamp (self->records, newest, error))
    {
      rapport_store_rollback (self->records);
      return FALSE;
    }
  if (!rapport_store_commit (self->records, error))
    return FALSE;
  return TRUE;
}

/* Group commit: the pushes that arrived together share one transaction and
 * one fsync. A failure is the store's (a full disk, a bug), never the
 * client's: the group is then applied one push at a time, so only the push
 * that fails is refused. */
void
rapport_server_sqlite_apply_batches (RapportServerStore *store, GPtrArray *batches)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  g_autoptr (GError) error = NULL;

  g_mutex_lock (&write_lock);
  if (!apply_group (self, batches, &error))
    {
      for (guint i = 0; i < batches->len; i++)
        {
          RapportServerBatch *batch = batches->pdata[i];
          g_autoptr (GPtrArray) one = g_ptr_array_new ();

          g_clear_pointer (&batch->results, g_ptr_array_unref);
          if (batches->len == 1)
            {
              batch->error = g_steal_pointer (&error);
              break;
            }
          g_ptr_array_add (one, batch);
          if (!apply_group (self, one, &batch->error))
            g_clear_pointer (&batch->results, g_ptr_array_unref);
        }
    }
  rapport_server_sqlite_after_erasure (self);
  rapport_server_sqlite_write_watermark (self);
  g_mutex_unlock (&write_lock);
}

/* Pull ------------------------------------------------------------------- */

static gboolean
record_visible (RapportServerSqlite *self, const RapportServerActor *actor, const char *entity,
                const char *record_id, GHashTable *cache)
{
  g_autofree char *key = g_strconcat (entity, ":", record_id, NULL);
  gpointer cached;
  sqlite3_stmt *stmt = NULL;
  gboolean visible = TRUE;

  if (g_strcmp0 (entity, "note") != 0 && g_strcmp0 (entity, "reminder") != 0)
    return TRUE;
  if (g_hash_table_lookup_extended (cache, key, NULL, &cached))
    return GPOINTER_TO_INT (cached);
  if (g_strcmp0 (entity, "note") == 0)
    stmt = rapport_store_prepare (self->records, "SELECT private, author FROM notes WHERE id = ?", NULL);
  else
    stmt = rapport_store_prepare (self->records, "SELECT owner FROM reminders WHERE id = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (g_strcmp0 (entity, "note") == 0)
        visible = rapport_server_policy_can_see (actor, entity, sqlite3_column_int (stmt, 0) != 0,
                                                 (const char *) sqlite3_column_text (stmt, 1), NULL);
      else
        visible = rapport_server_policy_can_see (actor, entity, FALSE, NULL,
                                                 (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);
  g_hash_table_insert (cache, g_steal_pointer (&key), GINT_TO_POINTER (visible));
  return visible;
}

/* One change of a pull page, in the wire form of rapport_change_to_json()
 * plus seq, author and erased. The fields are the JSON text stored at push
 * time, spliced in as they are: no parsing or encoding per change. */
static void
append_change (GString *out, sqlite3_stmt *stmt)
{
  const char *author = (const char *) sqlite3_column_text (stmt, 7);

  g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT ",\"id\":", (gint64) sqlite3_column_int64 (stmt, 0));
  rapport_json_text_append_string (out, (const char *) sqlite3_column_text (stmt, 1));
  g_string_append (out, ",\"entity\":");
  rapport_json_text_append_string (out, (const char *) sqlite3_column_text (stmt, 2));
  g_string_append (out, ",\"record\":");
  rapport_json_text_append_string (out, (const char *) sqlite3_column_text (stmt, 3));
  g_string_append (out, ",\"stamp\":");
  rapport_json_text_append_string (out, (const char *) sqlite3_column_text (stmt, 4));
  if (author != NULL)
    {
      g_string_append (out, ",\"author\":");
      rapport_json_text_append_string (out, author);
    }
  if (sqlite3_column_int (stmt, 8) != 0)
    g_string_append (out, ",\"erased\":true");
  g_string_append (out, ",\"fields\":");
  g_string_append_len (out, (const char *) sqlite3_column_text (stmt, 5), sqlite3_column_bytes (stmt, 5));
  g_string_append_c (out, '}');
}

gboolean
rapport_server_sqlite_pull (RapportServerStore *store, const RapportServerAccount *account,
                            gint64 after, guint limit, GString *changes, guint *n_changes,
                            gint64 *cursor, gboolean *more, GError **error)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);
  RapportServerActor actor = rapport_server_account_actor (account);
  g_autoptr (GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  guint examined = 0, sent = 0;
  gint64 last = after;
  int rc;

  /* One statement reads one snapshot: rows committed meanwhile come next
   * time, and never a higher seq before a lower one. */
  stmt = rapport_store_prepare (self->records,
                                "SELECT seq, change_id, entity, record_id, stamp, fields, audience, "
                                "account_id, erased FROM srv_changes "
                                "WHERE seq > ? AND (fields <> '{}' OR erased) ORDER BY seq LIMIT ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
  *more = FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *entity = (const char *) sqlite3_column_text (stmt, 2);
      const char *record_id = (const char *) sqlite3_column_text (stmt, 3);
      const char *audience = (const char *) sqlite3_column_text (stmt, 6);
      gboolean visible;

      if (examined == limit)
        {
          *more = TRUE;
          break;
        }
      examined++;
      last = sqlite3_column_int64 (stmt, 0);
      if (audience != NULL)
        visible = g_strcmp0 (audience, "*") == 0 || g_strcmp0 (audience, account->id) == 0;
      else
        visible = record_visible (self, &actor, entity, record_id, cache);
      if (!visible)
        continue;
      if (sent++ > 0)
        g_string_append_c (changes, ',');
      append_change (changes, stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->records, error, "read the change log");
  *cursor = last;
  if (n_changes)
    *n_changes = sent;
  return TRUE;
}

GPtrArray *
rapport_server_sqlite_backlog (RapportServerStore *store, const char *user_id, gint64 at,
                               GError **error)
{
  RapportServerSqlite *self = RAPPORT_SERVER_SQLITE (store);

  return rapport_store_backlog (self->records, user_id, at, error);
}
