/* rapport-sync-pull.c: receiving pages after the cursor, one transaction each */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-hlc.h"
#include "rapport-sync-run.h"
#include "rapport-sync-state.h"

static void pull_page (RapportSyncRun *run);

static gboolean
stamped_here (RapportSyncRun *run, const char *stamp)
{
  char device[RAPPORT_DEVICE_ID_LEN + 1];

  return rapport_stamp_parse (stamp, NULL, NULL, device)
         && strcmp (device, rapport_store_get_device_id (run->store)) == 0;
}

/* An edit this desktop sent during this run, to a record a colleague deleted
 * meanwhile: the edit is kept in the Trash with the record, and recorded so
 * the editor is told. */
static gboolean
record_deleted_edits (RapportSyncRun *run, RapportChange *change, GError **error)
{
  RapportSyncPushed *ours;
  g_autoptr (RapportRecord) record = NULL;
  g_autoptr (JsonObject) values = NULL;
  GHashTableIter iter;
  gpointer field;

  if (!json_object_get_boolean_member_with_default (change->fields, "deleted", FALSE)
      || stamped_here (run, change->stamp))
    return TRUE;
  ours = g_hash_table_lookup (run->pushed, change->record_id);
  if (ours == NULL || ours->touched_deleted)
    return TRUE;
  record = rapport_store_load (run->store, rapport_entity_lookup (change->entity),
                               change->record_id, NULL);
  if (record == NULL || !record->deleted)
    return TRUE;
  /* The edit is kept in the record (now in the Trash): its value is there. */
  values = rapport_record_to_json (record);
  g_hash_table_iter_init (&iter, ours->fields);
  while (g_hash_table_iter_next (&iter, &field, NULL))
    if (!rapport_store_add_conflict (run->store, ours->entity, change->record_id, field,
                                     json_object_get_member (values, field), ours->stamp,
                                     change->stamp, RAPPORT_CONFLICT_DELETED, error))
      return FALSE;
  return TRUE;
}

/* Applies a page and moves the cursor in one transaction. */
static gboolean
apply_page (RapportSyncRun *run, GPtrArray *changes, gint64 cursor, GError **error)
{
  g_autofree char *cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);

  if (!rapport_store_begin (run->store, error))
    return FALSE;
  if (!rapport_store_apply_changes (run->store, changes, RAPPORT_SYNC_STATE_CURSOR, cursor_text,
                                    error))
    goto fail;
  for (guint i = 0; i < changes->len; i++)
    if (!record_deleted_edits (run, changes->pdata[i], error))
      goto fail;
  return rapport_store_commit (run->store, error);

fail:
  rapport_store_rollback (run->store);
  return FALSE;
}

static GPtrArray *
read_changes (RapportSyncRun *run, JsonObject *answer, GError **error)
{
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
  JsonArray *array;

  if (!json_object_has_member (answer, "changes")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (answer, "changes"))
      || !json_object_has_member (answer, "cursor"))
    {
      g_set_error (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL,
                   _("The server sent a page of changes without changes or cursor. Tell your "
                     "administrator"));
      return NULL;
    }
  array = json_object_get_array_member (answer, "changes");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr (GError) local_error = NULL;
      RapportChange *change = rapport_change_from_json (json_array_get_element (array, i),
                                                        &local_error);

      /* Skipping a change would lose it for good: stop, nothing applied. */
      if (change == NULL)
        {
          g_set_error (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL,
                       _("The server sent a change this version of Rapport cannot read (%s). "
                         "Update Rapport, then sync again"), local_error->message);
          return NULL;
        }
      g_ptr_array_add (changes, change);
    }
  return g_steal_pointer (&changes);
}

static void
pull_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RapportSyncRun *run = user_data;
  GError *error = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  gint64 cursor;
  gboolean more;

  answer = rapport_sync_client_request_finish (run->client, result, &epoch, &error);
  if (answer == NULL)
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  if (!rapport_sync_run_check_epoch (run, epoch))
    return;
  changes = read_changes (run, answer, &error);
  if (changes == NULL)
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  cursor = json_object_get_int_member_with_default (answer, "cursor", -1);
  more = json_object_get_boolean_member_with_default (answer, "more", FALSE);
  if (cursor < run->cursor || (more && cursor == run->cursor))
    {
      rapport_sync_run_fail (run, g_error_new (RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL,
                                               _("The server answered a pull with a cursor "
                                                 "that does not move forward. Tell your "
                                                 "administrator")));
      return;
    }
  if ((changes->len > 0 || cursor != run->cursor) && !apply_page (run, changes, cursor, &error))
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  run->stats.pulled += changes->len;
  run->cursor = cursor;
  if (run->head > run->start_cursor)
    rapport_sync_client_set_progress (run->client, (double) (cursor - run->start_cursor)
                                                     / (run->head - run->start_cursor));
  if (more)
    pull_page (run);
  else
    rapport_sync_run_after_pull (run);
}

static void
pull_page (RapportSyncRun *run)
{
  g_autofree char *path = NULL;

  if (rapport_sync_run_cancelled (run))
    return;
  path = g_strdup_printf ("/v1/pull?after=%" G_GINT64_FORMAT "&limit=%u", run->cursor,
                          RAPPORT_SYNC_PULL_PAGE);
  rapport_sync_client_request_async (run->client, "GET", path, NULL, TRUE,
                                     g_task_get_cancellable (run->task), pull_done_cb, run);
}

static void
probe_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RapportSyncRun *run = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr (JsonObject) answer = NULL;

  answer = rapport_sync_client_request_finish (run->client, result, &epoch, &error);
  if (answer != NULL)
    {
      if (!rapport_sync_run_check_epoch (run, epoch))
        return;
      run->head = MAX (run->head, json_object_get_int_member_with_default (answer, "cursor", -1));
    }
  /* Without the head, progress is only unknown: the pull goes on. */
  pull_page (run);
}

/**
 * rapport_sync_run_pull:
 *
 * Pulls every page after the cursor; for a first pull, learns the server's
 * latest sequence first (an empty push answers it) so progress is known.
 */
void
rapport_sync_run_pull (RapportSyncRun *run)
{
  if (rapport_sync_run_cancelled (run))
    return;
  run->start_cursor = run->cursor;
  if (run->cursor == 0 && run->head < 0 && !run->probed)
    {
      run->probed = TRUE;
      rapport_sync_client_request_async (run->client, "POST", "/v1/push", "{\"changes\":[]}", TRUE,
                                         g_task_get_cancellable (run->task), probe_done_cb, run);
      return;
    }
  pull_page (run);
}
