/* rapport-sync-push.c: sending the journal (and a restore snapshot) in batches */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-erase.h"
#include "rapport-sync-run.h"
#include "rapport-sync-state.h"

/* Records whose edits in one run are remembered for delete conflicts. */
#define MAX_TRACKED_RECORDS 20000

/**
 * rapport_sync_changes_body:
 * @from: the first change to send
 * @limit: at most this many
 * @n_taken: (out): how many went into the body
 *
 * Returns: (transfer full): a push body {"changes": [...]} of at most
 *   %RAPPORT_SYNC_PUSH_MAX_BYTES (a single change may exceed it).
 */
char *
rapport_sync_changes_body (GPtrArray *changes, guint from, guint limit, guint *n_taken)
{
  GString *body = g_string_new ("{\"changes\":[");
  guint n = 0;

  for (guint i = from; i < changes->len && n < limit; i++)
    {
      g_autoptr (JsonNode) node = rapport_change_to_json (changes->pdata[i]);
      g_autofree char *text = NULL;

      /* A local journal order means nothing to the server, and it names
       * the author itself. */
      json_object_remove_member (json_node_get_object (node), "seq");
      json_object_remove_member (json_node_get_object (node), "author");
      text = json_to_string (node, FALSE);
      if (n > 0 && body->len + strlen (text) + 3 > RAPPORT_SYNC_PUSH_MAX_BYTES)
        break;
      if (n > 0)
        g_string_append_c (body, ',');
      g_string_append (body, text);
      n++;
    }
  g_string_append (body, "]}");
  *n_taken = n;
  return g_string_free (body, FALSE);
}

/* Answers by change id. */
static GHashTable *
index_results (JsonObject *answer)
{
  GHashTable *results = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = NULL;

  if (json_object_has_member (answer, "results")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (answer, "results")))
    array = json_object_get_array_member (answer, "results");
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = json_object_get_string_member_with_default (json_node_get_object (node), "id", NULL);
      if (id != NULL)
        g_hash_table_insert (results, (gpointer) id, json_node_get_object (node));
    }
  return results;
}

/* "clock skew: ..." (PROTOCOL.md): a stamp too far ahead of the server. */
static gboolean
is_clock_refusal (const char *reason)
{
  return g_ascii_strncasecmp (reason, "clock skew", strlen ("clock skew")) == 0;
}

static gboolean
record_losses (RapportSyncRun *run, RapportChange *change, JsonObject *result, GError **error)
{
  const char *status = json_object_get_string_member_with_default (result, "status", "");
  g_autoptr (GList) fields = NULL;

  if (strcmp (status, "superseded") == 0 && json_object_has_member (result, "lost")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (result, "lost")))
    {
      JsonArray *lost = json_object_get_array_member (result, "lost");

      for (guint i = 0; i < json_array_get_length (lost); i++)
        {
          const char *field = json_array_get_string_element (lost, i);

          if (field == NULL || !json_object_has_member (change->fields, field))
            continue;
          if (!rapport_store_add_conflict (run->store, change->entity, change->record_id, field,
                                           json_object_get_member (change->fields, field),
                                           change->stamp, NULL, RAPPORT_CONFLICT_REPLACED, error))
            return FALSE;
        }
      return TRUE;
    }
  if (strcmp (status, "refused") == 0)
    {
      const char *reason = json_object_get_string_member_with_default (result, "reason", "");
      g_autofree char *text = g_strconcat (RAPPORT_CONFLICT_REFUSED_PREFIX, reason, NULL);

      /* Not a loss: kept pending, re-stamped and sent again (settle_batch). */
      if (is_clock_refusal (reason))
        return TRUE;
      /* A change to a record erased meanwhile: its values must not be kept
       * anywhere, and the erasure reaches this desktop through the pull. */
      if (g_str_has_prefix (reason, "erased"))
        return TRUE;
      if (change->erased)
        {
          /* The erasure is not done: the records come back with a pull from
           * the start, and the record says why. */
          g_autofree char *zero = g_strdup ("0");

          run->cursor = 0;
          return rapport_store_unerase (run->store, change->record_id, error)
                 && rapport_store_set_state (run->store, RAPPORT_SYNC_STATE_CURSOR, zero, error)
                 && rapport_store_add_conflict (run->store, change->entity, change->record_id,
                                                "erased", NULL, change->stamp, NULL, text, error);
        }

      g_info ("The server refused the change %s of %s %s: %s", change->id, change->entity,
              change->record_id, reason);
      fields = json_object_get_members (change->fields);
      for (GList *l = fields; l; l = l->next)
        if (!rapport_store_add_conflict (run->store, change->entity, change->record_id, l->data,
                                         json_object_get_member (change->fields, l->data),
                                         change->stamp, NULL, text, error))
          return FALSE;
      /* The refused value does not stay: the record gets back what the
       * server has (the conflict keeps what was refused, and why). */
      if (!rapport_store_restore_refused (run->store, change, error))
        return FALSE;
    }
  return TRUE;
}

static void
remember_pushed (RapportSyncRun *run, RapportChange *change)
{
  RapportSyncPushed *pushed = g_hash_table_lookup (run->pushed, change->record_id);
  g_autoptr (GList) fields = NULL;

  /* A record created in this run is known to nobody else yet (its creation
   * carries created_at, which no edit changes); a huge upload is not
   * tracked past a bound, to keep memory small. */
  if (pushed == NULL && (json_object_has_member (change->fields, "created_at")
                         || g_hash_table_size (run->pushed) >= MAX_TRACKED_RECORDS))
    return;
  fields = json_object_get_members (change->fields);
  if (pushed == NULL)
    {
      pushed = g_new0 (RapportSyncPushed, 1);
      pushed->entity = g_strdup (change->entity);
      pushed->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (run->pushed, g_strdup (change->record_id), pushed);
    }
  if (g_strcmp0 (change->stamp, pushed->stamp) > 0)
    {
      g_free (pushed->stamp);
      pushed->stamp = g_strdup (change->stamp);
    }
  if (json_object_has_member (change->fields, "deleted"))
    pushed->touched_deleted = TRUE;
  for (GList *l = fields; l; l = l->next)
    g_hash_table_add (pushed->fields, g_strdup (l->data));
}

/* Applies a push answer to the journal, in one transaction: refusals and lost
 * fields are recorded first, then the acknowledged changes are dropped. */
static gboolean
settle_batch (RapportSyncRun *run, JsonObject *answer, const char *const *local_only,
              guint *n_settled, gint64 *clock_refused_at, GError **error)
{
  g_autoptr (GHashTable) results = index_results (answer);
  g_autoptr (GPtrArray) acked = g_ptr_array_new ();

  for (guint i = 0; local_only && local_only[i]; i++)
    g_ptr_array_add (acked, (gpointer) local_only[i]);
  if (!rapport_store_begin (run->store, error))
    return FALSE;
  for (guint i = 0; i < run->batch->len; i++)
    {
      RapportChange *change = run->batch->pdata[i];
      JsonObject *result = g_hash_table_lookup (results, change->id);
      const char *status;

      if (result == NULL)
        continue;
      status = json_object_get_string_member_with_default (result, "status", "");
      if (strcmp (status, "applied") != 0 && strcmp (status, "superseded") != 0
          && strcmp (status, "refused") != 0)
        continue;
      if (strcmp (status, "refused") == 0
          && is_clock_refusal (json_object_get_string_member_with_default (result, "reason", "")))
        {
          /* The server's clock, to tell whose clock is wrong; without it
           * (an older server) this computer's own clock is believed. */
          gint64 answer_time = json_object_get_int_member_with_default (answer, "server_time", 0);
          gint64 server_time = json_object_get_int_member_with_default (result, "server_time",
                                                                        answer_time);

          if (run->clock_error == NULL)
            run->clock_error = g_strdup (json_object_get_string_member (result, "reason"));
          *clock_refused_at = server_time > 0 ? server_time : g_get_real_time () / 1000;
          (*n_settled)++;
          continue;
        }
      if (!record_losses (run, change, result, error))
        goto fail;
      if (strcmp (status, "refused") == 0)
        run->stats.refused++;
      else
        {
          run->stats.pushed++;
          remember_pushed (run, change);
        }
      g_ptr_array_add (acked, change->id);
    }
  g_ptr_array_add (acked, NULL);
  if (!rapport_store_ack_changes (run->store, (const char *const *) acked->pdata, error))
    goto fail;
  if (!rapport_store_commit (run->store, error))
    return FALSE;
  *n_settled += acked->len - 1;
  return TRUE;

fail:
  rapport_store_rollback (run->store);
  return FALSE;
}

/* The server refused changes stamped too far ahead of its clock (@server_ms):
 * when this computer's clock is right now, its hybrid clock ran ahead once
 * and is set back, and the pending changes re-stamped (PROTOCOL.md, "Clocks
 * that ran ahead"). Once per run. Returns: whether to go on pushing. */
static gboolean
restamp_after_clock_refusal (RapportSyncRun *run, gint64 server_ms)
{
  g_autoptr (GError) error = NULL;
  guint n = 0;

  if (run->clock_reset)
    return FALSE;
  run->clock_reset = TRUE;
  if (!rapport_store_restamp_ahead (run->store, server_ms, &n, &error))
    {
      g_info ("Changes refused for clock skew stay pending: %s", error->message);
      return FALSE;
    }
  g_clear_pointer (&run->clock_error, g_free);
  return TRUE;
}

static void
update_head (RapportSyncRun *run, JsonObject *answer)
{
  gint64 cursor = json_object_get_int_member_with_default (answer, "cursor", -1);

  if (cursor > run->head)
    run->head = cursor;
}

static void
push_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RapportSyncRun *run = user_data;
  GError *error = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_auto (GStrv) local_only = g_object_steal_data (G_OBJECT (run->task), "local-only");
  guint settled = 0;
  gint64 clock_at = 0;

  answer = rapport_sync_client_request_finish (run->client, result, &epoch, &error);
  if (answer == NULL)
    {
      if (g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_TOO_LARGE)
          && run->batch->len > 1)
        {
          /* Smaller batches until the server takes them. */
          g_clear_error (&error);
          run->batch_limit = MAX (1, run->batch->len / 2);
          rapport_sync_run_push (run);
          return;
        }
      if (g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_TOO_LARGE))
        {
          /* One change the server will never take: it is recorded as refused. */
          g_autoptr (JsonObject) refusal = json_object_new ();
          g_autoptr (JsonObject) fake = json_object_new ();
          g_autoptr (JsonArray) results = json_array_new ();
          RapportChange *change = run->batch->pdata[0];

          json_object_set_string_member (refusal, "id", change->id);
          json_object_set_string_member (refusal, "status", "refused");
          json_object_set_string_member (refusal, "reason", error->message);
          json_array_add_object_element (results, json_object_ref (refusal));
          json_object_set_array_member (fake, "results", json_array_ref (results));
          g_clear_error (&error);
          if (!settle_batch (run, fake, (const char *const *) local_only, &settled, &clock_at,
                             &error))
            {
              rapport_sync_run_fail (run, error);
              return;
            }
          rapport_sync_run_push (run);
          return;
        }
      rapport_sync_run_fail (run, error);
      return;
    }
  /* Whatever the epoch, the server that answered applied the batch. */
  if (!settle_batch (run, answer, (const char *const *) local_only, &settled, &clock_at, &error))
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  if (clock_at != 0 && !restamp_after_clock_refusal (run, clock_at))
    {
      /* Refused again, or this computer's clock is wrong now: the changes
       * stay pending, the run goes on to pull and ends saying so. */
      rapport_sync_run_pull (run);
      return;
    }
  if (!rapport_sync_run_check_epoch (run, epoch))
    return;
  if (settled == 0)
    {
      rapport_sync_run_fail (run, g_error_new (RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL,
                                               _("The server did not acknowledge any of the "
                                                 "changes sent. Tell your administrator")));
      return;
    }
  update_head (run, answer);
  run->pushed_in_run += run->batch->len;
  if (run->pending_total > RAPPORT_SYNC_PUSH_BATCH)
    rapport_sync_client_set_progress (run->client, (double) run->pushed_in_run / run->pending_total);
  rapport_sync_run_push (run);
}

/**
 * rapport_sync_run_push:
 *
 * Sends the next batch of the journal; when it is empty, goes on to pull.
 */
void
rapport_sync_run_push (RapportSyncRun *run)
{
  GError *error = NULL;
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GPtrArray) local_only = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *body = NULL;
  guint taken = 0;

  if (rapport_sync_run_cancelled (run))
    return;
  pending = rapport_store_pending_changes (run->store, run->batch_limit, &error);
  if (pending == NULL)
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  run->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
  for (guint i = 0; i < pending->len; i++)
    {
      RapportChange *change = pending->pdata[i];

      /* The user directory belongs to the server: local edits of users (the
       * placeholder "me" before a first sign-in) are never sent. */
      if (strcmp (change->entity, "user") == 0)
        g_ptr_array_add (local_only, g_strdup (change->id));
      else
        g_ptr_array_add (run->batch, rapport_change_copy (change));
    }
  if (pending->len == 0)
    {
      rapport_sync_run_pull (run);
      return;
    }
  g_ptr_array_add (local_only, NULL);
  if (run->batch->len == 0)
    {
      if (!rapport_store_ack_changes (run->store, (const char *const *) local_only->pdata, &error))
        {
          rapport_sync_run_fail (run, error);
          return;
        }
      rapport_sync_run_push (run);
      return;
    }
  body = rapport_sync_changes_body (run->batch, 0, run->batch->len, &taken);
  g_ptr_array_set_size (run->batch, taken);
  g_object_set_data_full (G_OBJECT (run->task), "local-only",
                          g_ptr_array_steal (local_only, NULL), (GDestroyNotify) g_strfreev);
  rapport_sync_client_request_async (run->client, "POST", "/v1/push", body, TRUE,
                                     g_task_get_cancellable (run->task), push_done_cb, run);
}

/* Restore ---------------------------------------------------------------------- */

static void
snapshot_done (RapportSyncRun *run)
{
  GError *error = NULL;

  /* Only now is the new epoch taken: a run cut short re-sends everything. */
  if (!rapport_store_begin (run->store, &error))
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  if (!rapport_store_set_state (run->store, RAPPORT_SYNC_STATE_EPOCH, run->epoch, &error)
      || !rapport_store_set_state (run->store, RAPPORT_SYNC_STATE_CURSOR, "0", &error))
    {
      rapport_store_rollback (run->store);
      rapport_sync_run_fail (run, error);
      return;
    }
  if (!rapport_store_commit (run->store, &error))
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  g_clear_pointer (&run->snapshot, g_ptr_array_unref);
  run->cursor = 0;
  if (run->adopt)
    rapport_sync_run_pull (run);
  else
    rapport_sync_run_push (run);
}

static void
snapshot_pushed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RapportSyncRun *run = user_data;
  GError *error = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (GHashTable) results = NULL;
  guint sent = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (run->task), "snapshot-sent"));

  answer = rapport_sync_client_request_finish (run->client, result, &epoch, &error);
  if (answer == NULL)
    {
      if (g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_TOO_LARGE) && sent > 1)
        {
          g_clear_error (&error);
          run->batch_limit = MAX (1, sent / 2);
          rapport_sync_run_push_snapshot (run);
          return;
        }
      if (!g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_TOO_LARGE))
        {
          rapport_sync_run_fail (run, error);
          return;
        }
      g_message ("A change the server will not take was left out of the restore: %s",
                 error->message);
      g_clear_error (&error);
    }
  else
    {
      if (!rapport_sync_run_check_epoch (run, epoch))
        return;
      results = index_results (answer);
      for (guint i = run->snapshot_pos; i < run->snapshot_pos + sent; i++)
        {
          RapportChange *change = run->snapshot->pdata[i];
          JsonObject *r = g_hash_table_lookup (results, change->id);

          /* Records of others we may read but not write are refused; that
           * is expected and not the user's loss. */
          if (r != NULL && g_strcmp0 (json_object_get_string_member_with_default (r, "status", ""),
                                      "refused") != 0)
            run->stats.restored++;
        }
    }
  run->snapshot_pos += sent;
  rapport_sync_client_set_progress (run->client,
                                    (double) run->snapshot_pos / MAX (1, run->snapshot->len));
  rapport_sync_run_push_snapshot (run);
}

/**
 * rapport_sync_run_push_snapshot:
 *
 * Sends the next batch of the restore snapshot; when all is sent, takes the
 * new epoch and goes on.
 */
void
rapport_sync_run_push_snapshot (RapportSyncRun *run)
{
  g_autofree char *body = NULL;
  guint taken = 0;

  if (rapport_sync_run_cancelled (run))
    return;
  if (run->snapshot_pos >= run->snapshot->len)
    {
      snapshot_done (run);
      return;
    }
  body = rapport_sync_changes_body (run->snapshot, run->snapshot_pos, run->batch_limit, &taken);
  g_object_set_data (G_OBJECT (run->task), "snapshot-sent", GUINT_TO_POINTER (taken));
  rapport_sync_client_request_async (run->client, "POST", "/v1/push", body, TRUE,
                                     g_task_get_cancellable (run->task), snapshot_pushed_cb, run);
}
