/* rapport-sync-pull.c: receiving pages after the cursor, one transaction each */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-hlc.h"
#include "rapport-store-private.h"
#include "rapport-sync-apply.h"
#include "rapport-sync-run.h"
#include "rapport-sync-state.h"


/* Pages this small are applied at once on the run's own connection: a
 * worker is worth its start only for a long pull. */
#define WORKER_MIN_CHANGES 500
#define WORKER_MIN_BYTES (256 * 1024)

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
  run->stats.pulled += page->changes != NULL ? page->changes->len : page->n_changes;
  run->cursor = page->cursor;
  if (run->indexes_built)
    {
      run->indexes_built = FALSE;
      rapport_store_emit_changed (run->store, "contact", NULL);
    }
  if (run->head > run->start_cursor)
    rapport_sync_client_set_progress (run->client,
                                      (double) (MIN (page->cursor, run->head) - run->start_cursor)
                                        / (run->head - run->start_cursor));
}

/* Pages end in order: the first ones done are taken off the queue. */
static void
pages_finish (RapportSyncRun *run)
{
  RapportSyncPage *page;

  while ((page = g_queue_peek_head (&run->pages)) != NULL && page->done)
    {
      GError *error = g_steal_pointer (&page->error);

      g_queue_pop_head (&run->pages);
      /* The run's own connection learns what the worker wrote. */
      if (error == NULL
          && !rapport_store_note_applied (run->store, page->changes ? page->changes : page->applied,
                                          &error))
        pull_stop (run, error);
      else if (error != NULL)
        pull_stop (run, error);
      else
        page_done (run, page);
      rapport_sync_page_free (page);
    }
}

static void
apply_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RapportSyncRun *run = user_data;
  RapportSyncPage *page = g_task_get_task_data (G_TASK (result));
  gboolean failed;

  run->applying--;
  page->done = TRUE;
  failed = !g_task_propagate_boolean (G_TASK (result), &page->error);
  /* Pages write in the order they were given to workers, each after the
   * page before it is taken in here (pages_finish() may free @page): this
   * is the next page's turn. */
  pages_finish (run);
  rapport_sync_end_turn (run, failed || run->pull_error != NULL);
  pull_settle (run);
}

static RapportSyncPage *
next_unstarted (RapportSyncRun *run)
{
  for (GList *l = run->pages.head; l != NULL; l = l->next)
    if (!((RapportSyncPage *) l->data)->started)
      return l->data;
  return NULL;
}

/* Starts applying the next fetched page, if it can start now: small ones
 * at once on the run's own connection, others in a worker. Pages of text
 * go to workers two at a time (one reads while the other writes); a page
 * of read changes or a small one waits for the workers to finish. Returns
 * whether a page was started. */
static gboolean
apply_next (RapportSyncRun *run)
{
  RapportSyncPage *page = next_unstarted (run);
  GError *error = NULL;
  const char *path = rapport_store_get_path (run->store);
  gboolean small;

  if (page == NULL)
    return FALSE;
  small = page->changes != NULL ? page->changes->len < WORKER_MIN_CHANGES
                                : g_bytes_get_size (page->text) < WORKER_MIN_BYTES;
  /* A store in memory has no second connection to give a worker. */
  if (small || path == NULL || *path == '\0' || strstr (path, ":memory:") != NULL)
    {
      gboolean applied;

      if (run->applying > 0)
        return FALSE;
      g_assert (page == g_queue_peek_head (&run->pages));
      page->started = TRUE;
      applied = page->changes != NULL
                  ? rapport_sync_apply_page (run, run->store, page->changes, page->cursor, &error)
                  : rapport_sync_apply_page_text (run, run->store, page, &error);
      g_queue_pop_head (&run->pages);
      if (!applied)
        pull_stop (run, error);
      else
        page_done (run, page);
      rapport_sync_page_free (page);
      return TRUE;
    }
  if (run->applying >= RAPPORT_SYNC_WORKERS || (page->changes != NULL && run->applying > 0))
    return FALSE;
  {
    g_autoptr (GTask) task = g_task_new (NULL, NULL, apply_done_cb, run);

    /* The run and the page stay put while the worker has them: nothing
     * else writes to either until apply_done_cb. */
    page->started = TRUE;
    page->turn = run->turns_given++;
    g_debug ("page up to %" G_GINT64_FORMAT " applied in a worker, turn %" G_GUINT64_FORMAT,
             page->cursor, page->turn);
    g_task_set_task_data (task, page, NULL);
    g_object_set_data (G_OBJECT (task), "run", run);
    run->applying++;
    g_task_run_in_thread (task, rapport_sync_apply_in_thread);
  }
  return TRUE;
}

/* A page's answer (or @error, taken) for the page after run->requested. */
static void
pull_answer (RapportSyncRun *run, JsonObject *answer, const char *epoch, GError *error)
{
  g_autoptr (GPtrArray) changes = NULL;
  RapportSyncPage *page;
  gint64 cursor;
  gboolean more;

  run->fetching = FALSE;
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
  changes = rapport_sync_read_changes (run, answer, &error);
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

/* A page fetched as text (or @error, taken): only its envelope is read. */
static void
pull_text_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RapportSyncRun *run = user_data;
  GError *error = NULL;
  g_autoptr (RapportSyncPageText) answer = NULL;
  RapportSyncPage *page;

  answer = rapport_sync_client_request_page_finish (RAPPORT_SYNC_CLIENT (source), result, &error);
  run->fetching = FALSE;
  if (answer == NULL)
    {
      pull_stop (run, error);
      pull_settle (run);
      return;
    }
  if (g_strcmp0 (answer->epoch, run->epoch) != 0)
    {
      run->pull_restart = TRUE;
      pull_settle (run);
      return;
    }
  if (answer->cursor < run->requested || (answer->more && answer->cursor == run->requested))
    {
      pull_stop (run, g_error_new (RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL,
                                   _("The server answered a pull with a cursor that does not "
                                     "move forward. Tell your administrator")));
      pull_settle (run);
      return;
    }
  /* The cursor moves with every change: a page that leaves it has none. */
  if (answer->cursor != run->requested)
    {
      page = g_new0 (RapportSyncPage, 1);
      page->text = g_steal_pointer (&answer->text);
      page->cursor = answer->cursor;
      page->more = answer->more;
      g_queue_push_tail (&run->pages, page);
    }
  run->requested = answer->cursor;
  run->more = answer->more;
  pull_settle (run);
}

/* The page the waiting pull brought (rapport-sync-watch.c) instead of a
 * request: given on the next main-loop turn, as an answer would be. */
typedef struct
{
  RapportSyncRun *run;
  JsonObject *answer;
  char *epoch;
} Prefetched;

static gboolean
prefetched_cb (gpointer user_data)
{
  Prefetched *prefetched = user_data;

  pull_answer (prefetched->run, prefetched->answer, prefetched->epoch, NULL);
  json_object_unref (prefetched->answer);
  g_free (prefetched->epoch);
  g_free (prefetched);
  return G_SOURCE_REMOVE;
}

static void
fetch_next (RapportSyncRun *run)
{
  g_autofree char *path = g_strdup_printf ("/v1/pull?after=%" G_GINT64_FORMAT "&limit=%u",
                                           run->requested, rapport_sync_client_get_pull_page (run->client));
  char *epoch = NULL;
  JsonObject *answer = rapport_sync_client_take_prefetched (run->client, run->requested, &epoch);

  run->fetching = TRUE;
  if (answer != NULL)
    {
      Prefetched *prefetched = g_new0 (Prefetched, 1);
      GSource *source = g_idle_source_new ();

      prefetched->run = run;
      prefetched->answer = answer;
      prefetched->epoch = epoch;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, prefetched_cb, prefetched, NULL);
      g_source_attach (source, g_task_get_context (run->task));
      g_source_unref (source);
      return;
    }
  rapport_sync_client_request_page_async (run->client, path, g_task_get_cancellable (run->task),
                                          pull_text_done_cb, run);
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
          if (run->fetching || run->applying > 0)
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
      /* Two pages ahead of those being applied. */
      if (!run->fetching && run->more && g_queue_get_length (&run->pages) < run->applying + 2)
        fetch_next (run);
      if (!apply_next (run))
        break;
    }
  if (!run->fetching && run->applying == 0 && !run->more && g_queue_is_empty (&run->pages))
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
  run->turn_failed = FALSE;
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
