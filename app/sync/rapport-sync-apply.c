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

/* Opens a page's transaction. A first sync into an empty store drops the
 * record tables' secondary indexes with its first page and builds them
 * with the page that catches up (rapport-store-indexes.c). */
static gboolean
page_begin (RapportStore *store, gboolean caught_up, gboolean *deferred, GError **error)
{
  if (!rapport_store_begin (store, error))
    return FALSE;
  *deferred = rapport_store_get_indexes_deferred (store);
  if (!*deferred && !caught_up && rapport_store_is_blank (store, RAPPORT_SYNC_STATE_CURSOR))
    {
      if (!rapport_store_defer_indexes (store, error))
        {
          rapport_store_rollback (store);
          return FALSE;
        }
      *deferred = TRUE;
    }
  return TRUE;
}

/* Tells the editor of what a colleague deleted meanwhile, builds the
 * indexes back once caught up, and commits the page. */
static gboolean
page_end (RapportSyncRun *run, RapportStore *store, GPtrArray *changes, gboolean caught_up,
          gboolean deferred, GError **error)
{
  for (guint i = 0; i < changes->len; i++)
    if (!record_deleted_edits (run, store, changes->pdata[i], error))
      goto fail;
  if (deferred && caught_up)
    {
      if (!rapport_store_restore_indexes (store, error))
        goto fail;
      run->indexes_built = TRUE;
    }
  return rapport_store_commit (store, error);

fail:
  rapport_store_rollback (store);
  return FALSE;
}

/* Applies a page and moves the cursor in one transaction, on @store (the
 * run's, or the worker's connection to the same file). The changes' fields
 * are checked here, in the worker for a long pull, while the next page is
 * read: one change that cannot be read stops the pull, nothing of its page
 * applied. */
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
  if (!page_begin (store, caught_up, &deferred, error))
    return FALSE;
  if (!rapport_store_apply_changes (store, changes, RAPPORT_SYNC_STATE_CURSOR, cursor_text, error))
    {
      rapport_store_rollback (store);
      return FALSE;
    }
  return page_end (run, store, changes, caught_up, deferred, error);
}

/* A page that cannot be read stops the pull, telling the user to update. */
static void
unreadable_or (GError **error, GError *cause)
{
  if (g_error_matches (cause, RAPPORT_ERROR, RAPPORT_ERROR_INVALID))
    {
      set_unreadable (error, cause);
      g_error_free (cause);
    }
  else
    g_propagate_error (error, cause);
}

/* Writes a page read on @store, in one transaction with the cursor. */
static gboolean
apply_pulled (RapportSyncRun *run, RapportStore *store, RapportSyncPage *page,
              RapportPulledPage *pulled, GError **error)
{
  g_autofree char *cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, page->cursor);
  gboolean caught_up = run->head >= 0 ? page->cursor >= run->head : !page->more;
  gboolean deferred;
  GError *local_error = NULL;

  if (!page_begin (store, caught_up, &deferred, error))
    return FALSE;
  if (!rapport_store_apply_pulled (store, pulled, RAPPORT_SYNC_STATE_CURSOR, cursor_text,
                                   &page->applied, &local_error))
    {
      rapport_store_rollback (store);
      unreadable_or (error, local_error);
      return FALSE;
    }
  page->n_changes = rapport_pulled_page_get_n_changes (pulled);
  return page_end (run, store, page->applied, caught_up, deferred, error);
}

/* As rapport_sync_apply_page(), for a page fetched as text: the store reads
 * the changes (rapport_pulled_page_read()); @page learns how many there
 * were and what they wrote. */
gboolean
rapport_sync_apply_page_text (RapportSyncRun *run, RapportStore *store, RapportSyncPage *page,
                              GError **error)
{
  g_autoptr (RapportPulledPage) pulled = NULL;
  GError *local_error = NULL;

  pulled = rapport_pulled_page_read (page->text, &local_error);
  if (pulled == NULL)
    {
      unreadable_or (error, local_error);
      return FALSE;
    }
  return apply_pulled (run, store, page, pulled, error);
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

/* The workers' connection, opened at the first page written (a second
 * rapport_store_open() of the file in this process would drop the locks of
 * the first); pages write one at a time, so one connection serves them all
 * and keeps its cache warm. It only writes pulled pages, each with the
 * cursor after it: a page lost to a power cut (WAL without a sync at every
 * commit stays consistent, only the last commits can be lost) is pulled
 * again. A long pull writes a whole store's worth of index pages, most of
 * them many times over: a larger cache (freed with the connection at the
 * end of the run) and fewer checkpoints write each fewer times. */
static RapportStore *
worker_store (RapportSyncRun *run, GError **error)
{
  RapportStore *store = run->worker_store;

  if (store != NULL)
    return store;
  store = rapport_store_open_connection (run->store, error);
  if (store == NULL)
    return NULL;
  if (!rapport_store_exec (store, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -131072;"
                                  "PRAGMA wal_autocheckpoint = 16384;", error))
    {
      g_object_unref (store);
      return NULL;
    }
  run->worker_store = store;
  return store;
}

/* Waits for @page's turn to write: the page before it has been written
 * and taken in by the main thread (rapport_sync_end_turn()), which so has
 * a moment between two pages for writes of its own (the clock a page
 * moved, an edit made meanwhile) instead of waiting on pages written back
 * to back. Returns %FALSE when a page before failed: this one must write
 * nothing. */
static gboolean
wait_turn (RapportSyncRun *run, RapportSyncPage *page)
{
  gboolean failed;

  g_mutex_lock (&run->turn_lock);
  while (run->turn != page->turn)
    g_cond_wait (&run->turn_cond, &run->turn_lock);
  failed = run->turn_failed;
  g_mutex_unlock (&run->turn_lock);
  return !failed;
}

/**
 * rapport_sync_end_turn:
 * @failed: whether the page failed (those after it then write nothing)
 *
 * Called by the main thread once it has taken in a page a worker applied:
 * the next page may write.
 */
void
rapport_sync_end_turn (RapportSyncRun *run, gboolean failed)
{
  g_mutex_lock (&run->turn_lock);
  run->turn++;
  run->turn_failed |= failed;
  g_cond_broadcast (&run->turn_cond);
  g_mutex_unlock (&run->turn_lock);
}

static void
strip_fields (GPtrArray *changes)
{
  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      RapportChange *change = changes->pdata[i];

      g_clear_object (&change->record);
      json_object_unref (change->fields);
      change->fields = json_object_new ();
    }
}

/* Applies a page in a worker thread, on the workers' connection to the
 * store's file. A page of text is read first (rapport_pulled_page_read():
 * no store), meanwhile the page before it may be writing; then it writes
 * in its turn, which the main thread ends (rapport_sync_end_turn()). */
void
rapport_sync_apply_in_thread (GTask *task, gpointer source_object, gpointer task_data,
                              GCancellable *cancellable)
{
  RapportSyncRun *run = g_object_get_data (G_OBJECT (task), "run");
  RapportSyncPage *page = task_data;
  g_autoptr (RapportPulledPage) pulled = NULL;
  GError *error = NULL;
  RapportStore *store = NULL;
  gboolean ok;

  if (page->text != NULL)
    {
      g_autoptr (GError) local_error = NULL;

      pulled = rapport_pulled_page_read (page->text, &local_error);
      if (pulled == NULL)
        unreadable_or (&error, g_steal_pointer (&local_error));
    }
  if (!wait_turn (run, page))
    {
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("An earlier page failed"));
      return;
    }
  if (error == NULL)
    store = worker_store (run, &error);
  ok = store != NULL
       && (page->text != NULL ? apply_pulled (run, store, page, pulled, &error)
                              : rapport_sync_apply_page (run, store, page->changes, page->cursor, &error));
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The main thread only reads each change's entity, stamp and erasure
   * from here on (rapport_store_note_applied()): the text and the fields,
   * most of the page's memory, are freed now, off the main thread. */
  g_clear_pointer (&page->text, g_bytes_unref);
  g_clear_pointer (&pulled, rapport_pulled_page_free);
  strip_fields (page->changes != NULL ? page->changes : page->applied);
  g_task_return_boolean (task, TRUE);
}
