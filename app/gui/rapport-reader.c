/* rapport-reader.c: big queries on a worker thread, with its own connection */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include "rapport-reader.h"
#include "rapport-store-private.h"

/* One reader per store: a second connection to the same SQLite file (WAL
 * lets it read while the main connection writes), opened on first use with
 * rapport_store_open_connection() (rapport_store_open() would check the
 * file again, and closing its descriptor drops the POSIX locks of the
 * store's own connection) and used by one query at a time. */
typedef struct
{
  gatomicrefcount ref_count;
  GMutex lock;
  RapportStore *store;       /* NULL when it could not be opened */
  GError *open_error;
} Reader;

typedef struct
{
  Reader *reader;
  char *me_id;               /* "me" of the main connection when asked */
  RapportReaderFunc func;
  gpointer data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} Job;

static Reader *
reader_ref (Reader *reader)
{
  g_atomic_ref_count_inc (&reader->ref_count);
  return reader;
}

static void
reader_unref (gpointer data)
{
  Reader *reader = data;

  if (!g_atomic_ref_count_dec (&reader->ref_count))
    return;
  g_clear_object (&reader->store);
  g_clear_error (&reader->open_error);
  g_mutex_clear (&reader->lock);
  g_free (reader);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  reader_unref (job->reader);
  g_free (job->me_id);
  g_free (job);
}

static void
run_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  Reader *reader = job->reader;
  GError *error = NULL;
  gpointer result = NULL;

  g_mutex_lock (&reader->lock);
  if (reader->store == NULL)
    error = g_error_copy (reader->open_error);
  else if (!g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      /* Private notes are shown to their author: follow a change of
       * identity made on the main connection since the last query. */
      if (g_strcmp0 (rapport_store_get_me_id (reader->store), job->me_id) != 0)
        rapport_store_reload_me (reader->store);
      result = job->func (reader->store, job->data, cancellable, &error);
    }
  g_mutex_unlock (&reader->lock);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, job->result_free);
}

void
rapport_reader_run_async (RapportStore *store, RapportReaderFunc func, gpointer data,
                          GDestroyNotify data_free, GDestroyNotify result_free,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Reader *reader;
  Job *job;

  g_return_if_fail (RAPPORT_IS_STORE (store));
  g_return_if_fail (func != NULL);

  reader = g_object_get_data (G_OBJECT (store), "rapport-reader");
  if (reader == NULL)
    {
      reader = g_new0 (Reader, 1);
      g_atomic_ref_count_init (&reader->ref_count);
      g_mutex_init (&reader->lock);
      reader->store = rapport_store_open_connection (store, &reader->open_error);
      g_object_set_data_full (G_OBJECT (store), "rapport-reader", reader, reader_unref);
    }
  job = g_new0 (Job, 1);
  job->reader = reader_ref (reader);
  job->me_id = g_strdup (rapport_store_get_me_id (store));
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rapport_reader_run_async);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, run_in_thread);
}

gpointer
rapport_reader_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
