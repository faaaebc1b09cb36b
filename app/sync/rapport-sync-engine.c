/* rapport-sync-engine.c: one sync run, from the epoch check to the last page */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-sync-run.h"
#include "rapport-sync-state.h"

/* A server restored again and again while we sync is given up on. */
#define MAX_RESTARTS 3

void
rapport_sync_pushed_free (RapportSyncPushed *pushed)
{
  g_free (pushed->entity);
  g_free (pushed->stamp);
  g_hash_table_unref (pushed->fields);
  g_free (pushed);
}

void
rapport_sync_page_free (RapportSyncPage *page)
{
  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_clear_pointer (&page->text, g_bytes_unref);
  g_clear_pointer (&page->applied, g_ptr_array_unref);
  g_clear_error (&page->error);
  g_free (page);
}

static void
run_free (RapportSyncRun *run)
{
  g_assert (run->task == NULL);
  g_assert (!run->fetching && !run->applying);
  g_queue_clear_full (&run->pages, (GDestroyNotify) rapport_sync_page_free);
  g_clear_error (&run->pull_error);
  g_clear_object (&run->worker_store);
  g_mutex_clear (&run->turn_lock);
  g_cond_clear (&run->turn_cond);
  g_free (run->epoch);
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  g_clear_pointer (&run->pushed, g_hash_table_unref);
  g_clear_pointer (&run->snapshot, g_ptr_array_unref);
  g_free (run->clock_error);
  g_clear_object (&run->store);
  g_free (run);
}

static void
run_finish (RapportSyncRun *run, GError *error)
{
  GTask *task = g_steal_pointer (&run->task);

  run->stats.conflicts = (guint) MAX (0, rapport_store_count_conflicts (run->store, NULL)
                                             - run->conflicts_before);
  if (error != NULL)
    g_task_return_error (task, error);
  else if (run->clock_error != NULL)
    g_task_return_new_error (task, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_CLOCK_SKEW,
                             _("The server refused changes stamped by a wrong clock (%s). Set "
                               "this computer’s date and time right; the changes are kept and "
                               "sent then"), run->clock_error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Ends the run with @error (taken). */
void
rapport_sync_run_fail (RapportSyncRun *run, GError *error)
{
  run_finish (run, error);
}

/* Ends the run when it was cancelled; the caller then stops. */
gboolean
rapport_sync_run_cancelled (RapportSyncRun *run)
{
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (run->task), &error))
    return FALSE;
  rapport_sync_run_fail (run, error);
  return TRUE;
}

/* Adopting the server's user at the first sign-in ------------------------------ */

static RapportUser *
user_from_login (JsonObject *login_user)
{
  RapportUser *user = rapport_user_new ();
  g_autoptr (JsonObject) fields = json_object_new ();
  static const char *const names[] = { "name", "display_name", "department", "role" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (json_object_has_member (login_user, names[i])
        && JSON_NODE_HOLDS_VALUE (json_object_get_member (login_user, names[i])))
      json_object_set_string_member (fields, names[i],
                                     json_object_get_string_member (login_user, names[i]));
  rapport_record_set_from_json (RAPPORT_RECORD (user), fields, NULL);
  RAPPORT_RECORD (user)->id = g_strdup (json_object_get_string_member (login_user, "id"));
  return user;
}

/* The records written as the local "me" before the first sign-in become the
 * server user's, and "me" becomes that user. */
static gboolean
adopt_server_user (RapportSyncRun *run, GError **error)
{
  const char *server_id = rapport_sync_client_get_user_id (run->client);
  JsonObject *login_user = rapport_sync_client_get_login_user (run->client);
  g_autofree char *old_id = g_strdup (rapport_store_get_me_id (run->store));
  g_autoptr (RapportUser) user = NULL;

  if (!rapport_store_begin (run->store, error))
    return FALSE;
  if (old_id != NULL && !rapport_store_replace_user_id (run->store, old_id, server_id, error))
    goto fail;
  user = rapport_store_get_user (run->store, server_id);
  if (user == NULL && login_user != NULL)
    user = user_from_login (login_user);
  if (user != NULL && !rapport_store_set_me (run->store, user, error))
    goto fail;
  if (!rapport_store_set_state (run->store, RAPPORT_SYNC_STATE_USER_ID, server_id, error))
    goto fail;
  return rapport_store_commit (run->store, error);

fail:
  rapport_store_rollback (run->store);
  return FALSE;
}

void
rapport_sync_run_after_pull (RapportSyncRun *run)
{
  GError *error = NULL;

  if (!run->adopt)
    {
      run_finish (run, NULL);
      return;
    }
  run->adopt = FALSE;
  if (!adopt_server_user (run, &error))
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  rapport_sync_run_push (run);
}

/* The epoch --------------------------------------------------------------------- */

/**
 * rapport_sync_run_check_epoch:
 *
 * Returns: %TRUE when @epoch is the one this run works against; otherwise the
 *   run starts over (the server was restored meanwhile) and %FALSE is
 *   returned: the caller must stop.
 */
gboolean
rapport_sync_run_check_epoch (RapportSyncRun *run, const char *epoch)
{
  if (g_strcmp0 (epoch, run->epoch) == 0)
    return TRUE;
  rapport_sync_run_restart (run);
  return FALSE;
}

static void health_cb (GObject *source, GAsyncResult *result, gpointer user_data);

void
rapport_sync_run_restart (RapportSyncRun *run)
{
  if (rapport_sync_run_cancelled (run))
    return;
  if (run->restarts++ >= MAX_RESTARTS)
    {
      rapport_sync_run_fail (run, g_error_new (RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_SERVER,
                                               _("The server keeps changing its data set "
                                                 "(epoch) while syncing. Try again later, or "
                                                 "tell your administrator")));
      return;
    }
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  rapport_sync_client_request_async (run->client, "GET", "/v1/health", NULL, FALSE,
                                     g_task_get_cancellable (run->task), health_cb, run);
}

static gint
compare_stamps (gconstpointer a, gconstpointer b)
{
  const RapportChange *ca = *(RapportChange **) a;
  const RapportChange *cb = *(RapportChange **) b;

  return strcmp (ca->stamp, cb->stamp);
}

/* A restored server is given back everything this desktop knows, oldest
 * write first; nothing it lacks is taken for a delete. */
static void
start_restore (RapportSyncRun *run)
{
  GError *error = NULL;
  g_autoptr (GPtrArray) all = rapport_store_snapshot_changes (run->store, &error);

  if (all == NULL)
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  g_clear_pointer (&run->snapshot, g_ptr_array_unref);
  run->snapshot = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
  for (guint i = 0; i < all->len; i++)
    {
      RapportChange *change = all->pdata[i];

      /* The user directory belongs to the server. */
      if (strcmp (change->entity, "user") != 0)
        g_ptr_array_add (run->snapshot, rapport_change_copy (change));
    }
  g_ptr_array_sort (run->snapshot, compare_stamps);
  run->snapshot_pos = 0;
  g_message ("The server at %s was restored from a backup; sending it %u changes",
             rapport_sync_client_get_server_url (run->client), run->snapshot->len);
  rapport_sync_run_push_snapshot (run);
}

/* Whether the user this desktop's data is synced as is the signed-in one;
 * otherwise the run fails. */
static gboolean
check_user (RapportSyncRun *run)
{
  g_autofree char *stored_user = rapport_store_get_state (run->store, RAPPORT_SYNC_STATE_USER_ID);
  const char *user_id = rapport_sync_client_get_user_id (run->client);

  if (stored_user != NULL && user_id != NULL && strcmp (stored_user, user_id) != 0)
    {
      rapport_sync_run_fail (run, g_error_new (RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_WRONG_USER,
                                               _("The data on this computer is synced as "
                                                 "another user. Sign in as that user, or use "
                                                 "a new data folder to sync as %s"),
                                               rapport_sync_client_get_user (run->client)));
      return FALSE;
    }
  run->adopt = stored_user == NULL && user_id != NULL;
  return TRUE;
}

static void
load_cursor (RapportSyncRun *run)
{
  g_autofree char *cursor = rapport_store_get_state (run->store, RAPPORT_SYNC_STATE_CURSOR);

  run->cursor = cursor ? g_ascii_strtoll (cursor, NULL, 10) : 0;
}

static void
health_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RapportSyncRun *run = user_data;
  GError *error = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *stored_epoch = NULL;
  g_autoptr (JsonObject) answer = NULL;

  answer = rapport_sync_client_request_finish (run->client, result, &epoch, &error);
  if (answer == NULL)
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  g_free (run->epoch);
  run->epoch = g_strdup (epoch);

  if (!check_user (run))
    return;
  stored_epoch = rapport_store_get_state (run->store, RAPPORT_SYNC_STATE_EPOCH);
  if (stored_epoch != NULL && strcmp (stored_epoch, epoch) != 0)
    {
      start_restore (run);
      return;
    }
  if (stored_epoch == NULL
      && !rapport_store_set_state (run->store, RAPPORT_SYNC_STATE_EPOCH, epoch, &error))
    {
      rapport_sync_run_fail (run, error);
      return;
    }
  load_cursor (run);
  if (run->adopt)
    rapport_sync_run_pull (run);
  else
    rapport_sync_run_push (run);
}

/**
 * rapport_sync_engine_run_async:
 *
 * Starts a sync run for @client (signed in, not busy).
 */
void
rapport_sync_engine_run_async (RapportSyncClient *client, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  RapportSyncRun *run = g_new0 (RapportSyncRun, 1);

  g_mutex_init (&run->turn_lock);
  g_cond_init (&run->turn_cond);
  g_task_set_source_tag (task, rapport_sync_engine_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  run->task = task;
  run->client = client;
  run->store = g_object_ref (rapport_sync_client_get_store (client));
  run->batch_limit = RAPPORT_SYNC_PUSH_BATCH;
  run->pushed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) rapport_sync_pushed_free);
  run->head = -1;
  run->conflicts_before = rapport_store_count_conflicts (run->store, NULL);
  run->pending_total = rapport_store_count_pending (run->store);
  rapport_sync_client_set_progress (client, -1.0);

  /* A desktop that synced before knows the epoch: every answer carries the
   * server's, and the first one that differs restarts the run from the
   * health check (a restore). The round trip is saved on every later sync. */
  run->epoch = rapport_store_get_state (run->store, RAPPORT_SYNC_STATE_EPOCH);
  if (run->epoch != NULL)
    {
      g_autofree char *stored_user = rapport_store_get_state (run->store,
                                                              RAPPORT_SYNC_STATE_USER_ID);

      if (stored_user != NULL || rapport_sync_client_get_user_id (client) == NULL)
        {
          if (!check_user (run))
            return;
          load_cursor (run);
          rapport_sync_run_push (run);
          return;
        }
    }
  rapport_sync_client_request_async (client, "GET", "/v1/health", NULL, FALSE, cancellable,
                                     health_cb, run);
}

gboolean
rapport_sync_engine_run_finish (GAsyncResult *result, RapportSyncStats *stats, GError **error)
{
  RapportSyncRun *run = g_task_get_task_data (G_TASK (result));

  if (stats != NULL)
    *stats = run->stats;
  return g_task_propagate_boolean (G_TASK (result), error);
}
