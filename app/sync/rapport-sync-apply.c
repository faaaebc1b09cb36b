/* rapport-sync-apply.c: reading pulled pages and applying them, one transaction each */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-hlc.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"
#include "rapport-sync-apply.h"
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

static void
set_unreadable (GError **error, GError *cause)
{
  g_set_error (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL,
               _("The server sent a change this version of Rapport cannot read (%s). "
                 "Update Rapport, then sync again"), cause->message);
}

/* Applies a page and moves the cursor in one transaction, on @store (the
 * run's, or the worker's connection to the same file). The changes' fields
 * are checked here, in the worker for a long pull, while the next page is
 * read: one change that cannot be read stops the pull, nothing of its page
 * applied. A first sync into an empty store drops the record tables'
 * secondary indexes with its first page and builds them with the page that
 * catches up (rapport-store-indexes.c). */
gboolean
rapport_sync_apply_page (RapportSyncRun *run, RapportStore *store, GPtrArray *changes, gint64 cursor,
                         GError **error)
{
  g_autofree char *cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);
  /* Whether this page brings the store up to the server's latest change
   * (known before the pull: the run's head; else a page not full). */
  gboolean caught_up = run->head >= 0 ? cursor >= run->head
                                      : changes->len < rapport_sync_client_get_pull_page (run->client);
  gboolean deferred;

  for (guint i = 0; i < changes->len; i++)
    {
      g_autoptr (GError) local_error = NULL;

      if (!rapport_change_validate (changes->pdata[i], &local_error))
        {
          set_unreadable (error, local_error);
          return FALSE;
        }
    }
  if (!rapport_store_begin (store, error))
    return FALSE;
  deferred = rapport_store_get_indexes_deferred (store);
  if (!deferred && !caught_up && rapport_store_is_blank (store, RAPPORT_SYNC_STATE_CURSOR))
    {
      if (!rapport_store_defer_indexes (store, error))
        goto fail;
      deferred = TRUE;
    }
  if (!rapport_store_apply_changes (store, changes, RAPPORT_SYNC_STATE_CURSOR, cursor_text, error))
    goto fail;
  for (guint i = 0; i < changes->len; i++)
    if (!record_deleted_edits (run, store, changes->pdata[i], error))
      goto fail;
  if (deferred && caught_up && !rapport_store_restore_indexes (store, error))
    goto fail;
  return rapport_store_commit (store, error);

fail:
  rapport_store_rollback (store);
  return FALSE;
}

GPtrArray *
rapport_sync_read_changes (RapportSyncRun *run, JsonObject *answer, GError **error)
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
      RapportChange *change = rapport_change_read_json (json_array_get_element (array, i),
                                                        &local_error);

      /* Skipping a change would lose it for good: stop, nothing applied.
       * Its fields are checked with its page (rapport_sync_apply_page()). */
      if (change == NULL)
        {
          set_unreadable (error, local_error);
          return NULL;
        }
      g_ptr_array_add (changes, change);
    }
  return g_steal_pointer (&changes);
}

/* Applies a page in a worker thread, on a connection of its own to the
 * store's file (opened at its first page; a second rapport_store_open() of
 * the file in this process would drop the locks of the first). */
void
rapport_sync_apply_in_thread (GTask *task, gpointer source_object, gpointer task_data,
                              GCancellable *cancellable)
{
  RapportSyncRun *run = g_object_get_data (G_OBJECT (task), "run");
  RapportSyncPage *page = task_data;
  GError *error = NULL;

  if (run->worker_store == NULL)
    run->worker_store = rapport_store_open_connection (run->store, &error);
  if (run->worker_store == NULL
      || !rapport_sync_apply_page (run, run->worker_store, page->changes, page->cursor, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The main thread only reads each change's entity, stamp and erasure
   * from here on (rapport_store_note_applied()): the fields, most of the
   * page's memory, are freed now, off the main thread, which is busy
   * reading the next page. */
  for (guint i = 0; i < page->changes->len; i++)
    {
      RapportChange *change = page->changes->pdata[i];

      g_clear_object (&change->record);
      json_object_unref (change->fields);
      change->fields = json_object_new ();
    }
  g_task_return_boolean (task, TRUE);
}
