/* rapport-server-jobs.c: requests served in worker threads, each on its own store connection */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "rapport-server-http-private.h"

/* A request that reads or writes the store is copied into a
 * RapportServerCall, its message paused, and the call handed to a worker.
 * The worker takes an idle store connection (there are as many as workers,
 * so it never waits for one), runs the endpoint, and gives the connection
 * back; the answer goes to the message, and the message is unpaused, on the
 * main context. Workers never touch a SoupServerMessage: libsoup is not
 * thread-safe. SQLite in WAL mode lets the readers run side by side.
 *
 * A push is checked and parsed in a reader, then applied by the one writer
 * thread, which takes every push waiting at that moment into one
 * transaction (group commit): fifty desktops pushing at once cost a few
 * fsyncs, not fifty in a row. Each push still commits all or nothing and
 * gets its own answer. */

/* At most this many changes in one group transaction. */
#define GROUP_MAX_CHANGES 5000

typedef struct
{
  RapportServerHttp *self;
  SoupServerMessage *msg;
  RapportServerCall *call;
  RapportServerJobFunc func;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->msg);
  g_clear_pointer (&job->call, rapport_server_call_free);
  g_object_unref (job->self);
  g_free (job);
}

/* On the main context. */
static gboolean
job_answer_cb (gpointer data)
{
  Job *job = data;

  job->self->jobs--;
  if (job->call->timing != NULL)
    job->call->timing->answered = g_get_monotonic_time ();
  /* A pull that found nothing waits for a commit, unless the limits say no. */
  if (job->call->park && rapport_server_waiters_park (job->self, job->msg, job->call))
    job->call = NULL;
  else
    {
      rapport_server_call_apply (job->call, job->msg);
      soup_server_message_unpause (job->msg);
    }
  job_free (job);
  return G_SOURCE_REMOVE;
}

static void
job_answer (Job *job)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, job_answer_cb, job, NULL);
  g_source_set_static_name (source, "[rapport-server] answer");
  g_source_attach (source, job->self->context);
  g_source_unref (source);
}

/* In a reader thread. */
static void
job_run (gpointer data, gpointer pool_data)
{
  Job *job = data;
  RapportServerHttp *self = job->self;
  RapportServerStore *store = g_async_queue_pop (self->connections);
  RapportServerTiming *timing = job->call->timing;

  if (timing != NULL)
    {
      timing->work_start = g_get_monotonic_time ();
      timing->looks++;
    }
  /* Read before the store is: a commit after this wakes the call again. */
  job->call->commits_seen = g_atomic_int_get (&self->commits);
  job->func (self, store, job->call);
  g_async_queue_push (self->connections, store);
  if (timing != NULL)
    timing->work_end = g_get_monotonic_time ();
  if (job->call->batch != NULL && job->call->text == NULL)
    g_async_queue_push (self->writes, job);
  else
    job_answer (job);
}

/* CPU time of the calling thread, µs. */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Pushed to the writer's queue to end it. */
static Job stop_writer;

static gpointer
writer_thread (gpointer data)
{
  RapportServerHttp *self = data;
  gboolean stop = FALSE;

  while (!stop)
    {
      g_autoptr (GPtrArray) jobs = g_ptr_array_new ();
      g_autoptr (GPtrArray) batches = g_ptr_array_new ();
      Job *job = g_async_queue_pop (self->writes);
      guint changes = 0;
      gint64 commit_start, commit_end, commit_cpu;

      if (job == &stop_writer)
        break;
      /* This push, and those that came while the last group committed. */
      do
        {
          g_ptr_array_add (jobs, job);
          g_ptr_array_add (batches, job->call->batch);
          changes += job->call->batch->items->len;
          if (changes >= GROUP_MAX_CHANGES)
            break;
          job = g_async_queue_try_pop (self->writes);
          stop = job == &stop_writer;
        }
      while (job != NULL && !stop);

      commit_start = g_get_monotonic_time ();
      commit_cpu = self->timing ? thread_cpu_time () : 0;
      rapport_server_store_apply_batches (self->writer_store, batches);
      commit_end = g_get_monotonic_time ();
      commit_cpu = self->timing ? thread_cpu_time () - commit_cpu : 0;
      for (guint i = 0; i < jobs->len; i++)
        {
          RapportServerTiming *timing = ((Job *) jobs->pdata[i])->call->timing;

          if (timing != NULL)
            {
              timing->commit_start = commit_start;
              timing->commit_end = commit_end;
              timing->commit_cpu = commit_cpu;
              timing->group = jobs->len;
            }
        }
      /* Test hook (fault suite): die between the commit and the answer. */
      if (self->fault_kill_after_commit)
        kill (getpid (), SIGKILL);
      /* Waiting pulls look again (while the jobs keep @self alive). */
      if (changes > 0)
        rapport_server_waiters_notify (self);
      for (guint i = 0; i < jobs->len; i++)
        {
          Job *done = jobs->pdata[i];

          done->call->then (self, done->call);
          job_answer (done);
        }
    }
  return NULL;
}

gboolean
rapport_server_jobs_start (RapportServerHttp *self, guint n_workers, GError **error)
{
  g_return_val_if_fail (self->pool == NULL, FALSE);

  self->context = g_main_context_ref_thread_default ();
  self->connections = g_async_queue_new_full (g_object_unref);
  for (guint i = 0; i < n_workers; i++)
    {
      RapportServerStore *connection = rapport_server_store_open_connection (self->store, error);

      if (connection == NULL)
        return FALSE;
      g_async_queue_push (self->connections, connection);
      self->n_connections++;
    }
  self->writer_store = rapport_server_store_open_connection (self->store, error);
  if (self->writer_store == NULL)
    return FALSE;
  self->writes = g_async_queue_new ();
  self->writer = g_thread_try_new ("rapport-writer", writer_thread, self, error);
  if (self->writer == NULL)
    return FALSE;
  self->pool = g_thread_pool_new (job_run, NULL, n_workers, FALSE, error);
  return self->pool != NULL;
}

static GHashTable *
copy_query (GHashTable *query)
{
  GHashTable *copy;
  GHashTableIter iter;
  gpointer key, value;

  if (query == NULL)
    return NULL;
  copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
  return copy;
}

void
rapport_server_jobs_run_call (RapportServerHttp *self, SoupServerMessage *msg,
                              RapportServerCall *call, RapportServerJobFunc func)
{
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->call = call;
  job->func = func;
  if (call->timing == NULL)
    call->timing = rapport_server_timing_get (msg);
  self->jobs++;
  g_thread_pool_push (self->pool, job, NULL);
}

void
rapport_server_jobs_run (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query,
                         RapportServerJobFunc func)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  RapportServerCall *call = g_new0 (RapportServerCall, 1);

  call->method = g_strdup (soup_server_message_get_method (msg));
  call->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  call->query = copy_query (query);
  call->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  call->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  if (soup_server_message_get_request_body (msg)->length > 0)
    call->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  soup_server_message_pause (msg);
  rapport_server_jobs_run_call (self, msg, call, func);
}

void
rapport_server_jobs_stop (RapportServerHttp *self)
{
  /* Every job holds a reference on @self: none is left when this runs from
   * dispose, and the workers are idle. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  if (self->writer != NULL)
    {
      g_async_queue_push (self->writes, &stop_writer);
      g_thread_join (g_steal_pointer (&self->writer));
    }
  g_clear_pointer (&self->writes, g_async_queue_unref);
  g_clear_object (&self->writer_store);
  g_clear_pointer (&self->connections, g_async_queue_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}
