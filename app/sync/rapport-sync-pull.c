/* rapport-sync-pull.c: receiving pages after the cursor, one transaction each */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-hlc.h"
#include "rapport-sync-run.h"
#include "rapport-sync-state.h"


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
record_deleted_edits (RapportSyncRun *run, RapportStore *store, RapportChange *change,
                      GError **error)
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
  record = rapport_store_load (store, rapport_entity_lookup (change->entity),
                               change->record_id, NULL);
  if (record == NULL || !record->deleted)
    return TRUE;
  /* The edit is kept in the record (now in the Trash): its value is there. */
  values = rapport_record_to_json (record);
  g_hash_table_iter_init (&iter, ours->fields);
  while (g_hash_table_iter_next (&iter, &field, NULL))
    if (!rapport_store_add_conflict_by (store, ours->entity, change->record_id, field,
                                        json_object_get_member (values, field), ours->stamp,
                                        change->stamp, change->author, RAPPORT_CONFLICT_DELETED,
                                        error))
      return FALSE;
  return TRUE;
}

/* Applies a page and moves the cursor in one transaction, on @store (the
 * run's, or the worker's connection to the same file). */
static gboolean
apply_page (RapportSyncRun *run, RapportStore *store, GPtrArray *changes, gint64 cursor,
            GError **error)
{
  g_autofree char *cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);

  if (!rapport_store_begin (store, error))
    return FALSE;
  if (!rapport_store_apply_changes (store, changes, RAPPORT_SYNC_STATE_CURSOR, cursor_text, error))
    goto fail;
  for (guint i = 0; i < changes->len; i++)
    if (!record_deleted_edits (run, store, changes->pdata[i], error))
      goto fail;
  return rapport_store_commit (store, error);

fail:
  rapport_store_rollback (store);
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

/* Pages this small are applied at once on the run's own connection: a
 * worker is worth its start only for a long pull. */
#define WORKER_MIN_CHANGES 500

static void pull_settle (RapportSyncRun *run);

static void
pull_stop (RapportSyncRun *run, GError *error)
{
  if (run->pull_error == NULL)
    run->pull_error = error;
  else
    g_error_free (error);
}

static void
page_done (RapportSyncRun *run, RapportSyncPage *page)
{
  run->stats.pulled += page->changes->len;
  run->cursor = page->cursor;
  if (run->head > run->start_cursor)
    rapport_sync_client_set_progress (run->client,
                                      (double) (MIN (page->cursor, run->head) - run->start_cursor)
                                        / (run->head - run->start_cursor));
}

static void
apply_in_thread (GTask *task, gpointer source_object, gpointer task_data,
                 GCancellable *cancellable)
{
  RapportSyncRun *run = g_object_get_data (G_OBJECT (task), "run");
  RapportSyncPage *page = task_data;
  GError *error = NULL;

  if (run->worker_store == NULL)
    run->worker_store = rapport_store_open (rapport_store_get_path (run->store), &error);
  if (run->worker_store == NULL || !apply_page (run, run->worker_store, page->changes,
                                                page->cursor, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
apply_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RapportSyncRun *run = user_data;
  RapportSyncPage *page = g_queue_pop_head (&run->pages);
  GError *error = NULL;

  run->applying = FALSE;
  /* The run's own connection learns what the worker wrote. */
  if (!g_task_propagate_boolean (G_TASK (result), &error)
      || !rapport_store_note_applied (run->store, page->changes, &error))
    pull_stop (run, error);
  else
    page_done (run, page);
  rapport_sync_page_free (page);
  pull_settle (run);
}

/* Applies the next fetched page: small ones at once, others in a worker. */
static void
apply_next (RapportSyncRun *run)
{
  RapportSyncPage *page = g_queue_peek_head (&run->pages);
  GError *error = NULL;
  const char *path = rapport_store_get_path (run->store);

  /* A store in memory has no second connection to give a worker. */
  if (page->changes->len < WORKER_MIN_CHANGES || path == NULL || *path == '\0'
      || strstr (path, ":memory:") != NULL)
    {
      RapportSyncPage *done = g_queue_pop_head (&run->pages);

      if (!apply_page (run, run->store, done->changes, done->cursor, &error))
        pull_stop (run, error);
      else
        page_done (run, done);
      rapport_sync_page_free (done);
      return;
    }
  {
    g_autoptr (GTask) task = g_task_new (NULL, NULL, apply_done_cb, run);

    /* The run and the page stay put while the worker has them: nothing
     * else writes to either until apply_done_cb. */
    g_task_set_task_data (task, page, NULL);
    g_object_set_data (G_OBJECT (task), "run", run);
    run->applying = TRUE;
    g_task_run_in_thread (task, apply_in_thread);
  }
}

static void
pull_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RapportSyncRun *run = user_data;
  GError *error = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  RapportSyncPage *page;
  gint64 cursor;
  gboolean more;

  run->fetching = FALSE;
  answer = rapport_sync_client_request_finish (run->client, result, &epoch, &error);
  if (answer == NULL)
    {
      pull_stop (run, error);
      pull_settle (run);
      return;
    }
  if (g_strcmp0 (epoch, run->epoch) != 0)
    {
      run->pull_restart = TRUE;
      pull_settle (run);
      return;
    }
  changes = read_changes (run, answer, &error);
  if (changes == NULL)
    {
      pull_stop (run, error);
      pull_settle (run);
      return;
    }
  cursor = json_object_get_int_member_with_default (answer, "cursor", -1);
  more = json_object_get_boolean_member_with_default (answer, "more", FALSE);
  if (cursor < run->requested || (more && cursor == run->requested))
    {
      pull_stop (run, g_error_new (RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL,
                                   _("The server answered a pull with a cursor that does not "
                                     "move forward. Tell your administrator")));
      pull_settle (run);
      return;
    }
  if (changes->len > 0 || cursor != run->requested)
    {
      page = g_new0 (RapportSyncPage, 1);
      page->changes = g_steal_pointer (&changes);
      page->cursor = cursor;
      g_queue_push_tail (&run->pages, page);
    }
  run->requested = cursor;
  run->more = more;
  pull_settle (run);
}

static void
fetch_next (RapportSyncRun *run)
{
  g_autofree char *path = g_strdup_printf ("/v1/pull?after=%" G_GINT64_FORMAT "&limit=%u",
                                           run->requested, RAPPORT_SYNC_PULL_PAGE);

  run->fetching = TRUE;
  rapport_sync_client_request_async (run->client, "GET", path, NULL, TRUE,
                                     g_task_get_cancellable (run->task), pull_done_cb, run);
}

/* The pull's one decision point, after every event: apply what was
 * fetched, fetch the next page meanwhile (one ahead), and end the pull once
 * nothing is in flight. */
static void
pull_settle (RapportSyncRun *run)
{
  GCancellable *cancellable = g_task_get_cancellable (run->task);

  for (;;)
    {
      gboolean stopping = run->pull_error != NULL || run->pull_restart
                          || g_cancellable_is_cancelled (cancellable);

      if (stopping)
        {
          if (run->fetching || run->applying)
            return;
          g_queue_clear_full (&run->pages, (GDestroyNotify) rapport_sync_page_free);
          if (run->pull_error != NULL)
            rapport_sync_run_fail (run, g_steal_pointer (&run->pull_error));
          else if (run->pull_restart)
            {
              run->pull_restart = FALSE;
              rapport_sync_run_restart (run);
            }
          else
            rapport_sync_run_cancelled (run);
          return;
        }
      if (!run->fetching && run->more && g_queue_get_length (&run->pages) < 2)
        fetch_next (run);
      if (run->applying || g_queue_is_empty (&run->pages))
        break;
      apply_next (run);
    }
  if (!run->fetching && !run->applying && !run->more && g_queue_is_empty (&run->pages))
    rapport_sync_run_after_pull (run);
}

static void
pull_start (RapportSyncRun *run)
{
  if (rapport_sync_run_cancelled (run))
    return;
  run->requested = run->cursor;
  run->more = TRUE;
  run->pull_restart = FALSE;
  pull_settle (run);
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
  pull_start (run);
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
  pull_start (run);
}
