/* rapport-server-waiters.c: pulls that wait for changes (GET /v1/pull?wait=S) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <glib-unix.h>

#include "rapport-server-http-private.h"

/* A pull with `wait` whose look finds nothing to send is parked here: its
 * message stays paused (no thread waits for it) until
 *
 *  - a commit: the writer thread counts it (@commits) and wakes the main
 *    context once; every parked pull goes back to a worker for another look
 *    (rapport_server_job_pull, which checks the token again and filters what
 *    the user may see). One that still finds nothing is parked again with
 *    the rest of its time;
 *  - its time: it is answered with the empty page made by its last look;
 *  - its client going away, or sending anything: its socket is watched
 *    while it waits, and answered (so libsoup ends the connection or reads
 *    the next request) as soon as it is readable.
 *
 * A commit between a worker's look and the park is not lost: the worker
 * noted @commits before it read the store, and a park that sees another
 * value looks again at once.
 *
 * Waiting pulls hold a connection each: at most MAX_WAITERS in all and
 * MAX_WAITERS_PER_ACCOUNT per account; beyond, a pull is answered at once
 * (an empty page), as without `wait`. */

#define MAX_WAITERS 256
#define MAX_WAITERS_PER_ACCOUNT 4

typedef struct
{
  RapportServerHttp *self;
  SoupServerMessage *msg;
  RapportServerCall *call;
  GList link;                 /* in self->waiters */
  GSource *timeout;
  GSource *watch;
} Waiter;

static void
count_account (RapportServerHttp *self, const char *account_id, int delta)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->waiting, account_id));

  n += delta;
  if (n == 0)
    g_hash_table_remove (self->waiting, account_id);
  else
    g_hash_table_replace (self->waiting, g_strdup (account_id), GUINT_TO_POINTER (n));
}

/* Takes @waiter out of the queue and stops its sources. */
static void
unpark (Waiter *waiter)
{
  RapportServerHttp *self = waiter->self;

  g_queue_unlink (&self->waiters, &waiter->link);
  count_account (self, waiter->call->account_id, -1);
  if (waiter->timeout != NULL)
    {
      g_source_destroy (waiter->timeout);
      g_clear_pointer (&waiter->timeout, g_source_unref);
    }
  if (waiter->watch != NULL)
    {
      g_source_destroy (waiter->watch);
      g_clear_pointer (&waiter->watch, g_source_unref);
    }
}

static void
waiter_free (Waiter *waiter)
{
  g_clear_pointer (&waiter->call, rapport_server_call_free);
  g_clear_object (&waiter->msg);
  g_free (waiter);
}

/* Sends the answer of the last look (an empty page with its cursor). */
static void
answer (Waiter *waiter)
{
  unpark (waiter);
  rapport_server_call_apply (waiter->call, waiter->msg);
  soup_server_message_unpause (waiter->msg);
  waiter_free (waiter);
}

static gboolean
timeout_cb (gpointer data)
{
  answer (data);
  return G_SOURCE_REMOVE;
}

/* The client closed its connection (end of stream, reset) or sent more:
 * either way the waiting is over. */
static gboolean
readable_cb (int fd, GIOCondition condition, gpointer data)
{
  Waiter *waiter = data;
  char byte;
  gssize n = recv (fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
      && !(condition & (G_IO_HUP | G_IO_ERR)))
    return G_SOURCE_CONTINUE;
  g_debug ("a waiting pull's client %s (fd %d)", n == 0 || n < 0 ? "went away" : "spoke", fd);
  answer (waiter);
  return G_SOURCE_REMOVE;
}

gboolean
rapport_server_waiters_park (RapportServerHttp *self, SoupServerMessage *msg,
                             RapportServerCall *call)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  gint64 remaining = call->wait_until - g_get_monotonic_time ();
  Waiter *waiter;

  if (self->soup == NULL || socket == NULL || call->account_id == NULL || remaining <= 0)
    return FALSE;
  if (self->waiting == NULL)
    self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Committed since the worker looked: look again. */
  if (g_atomic_int_get (&self->commits) != call->commits_seen)
    {
      rapport_server_jobs_run_call (self, msg, call, rapport_server_job_pull);
      return TRUE;
    }
  if (self->waiters.length >= MAX_WAITERS
      || GPOINTER_TO_UINT (g_hash_table_lookup (self->waiting, call->account_id))
           >= MAX_WAITERS_PER_ACCOUNT)
    return FALSE;

  if (call->timing != NULL)
    call->timing->held = TRUE;
  waiter = g_new0 (Waiter, 1);
  waiter->self = self;
  waiter->msg = g_object_ref (msg);
  waiter->call = call;
  waiter->link.data = waiter;
  g_queue_push_tail_link (&self->waiters, &waiter->link);
  count_account (self, call->account_id, +1);

  waiter->timeout = g_timeout_source_new ((guint) ((remaining + 999) / 1000));
  g_source_set_callback (waiter->timeout, timeout_cb, waiter, NULL);
  g_source_set_static_name (waiter->timeout, "[rapport-server] pull wait");
  g_source_attach (waiter->timeout, self->context);
  waiter->watch = g_unix_fd_source_new (g_socket_get_fd (socket), G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (waiter->watch, G_SOURCE_FUNC (readable_cb), waiter, NULL);
  g_source_set_static_name (waiter->watch, "[rapport-server] waiting client");
  g_source_attach (waiter->watch, self->context);
  return TRUE;
}

/* On the main context: every parked pull looks again. */
static gboolean
wake_cb (gpointer data)
{
  RapportServerHttp *self = data;

  g_atomic_int_set (&self->wake_pending, 0);
  while (!g_queue_is_empty (&self->waiters))
    {
      Waiter *waiter = g_queue_peek_head (&self->waiters);

      unpark (waiter);
      rapport_server_jobs_run_call (self, waiter->msg, g_steal_pointer (&waiter->call),
                                    rapport_server_job_pull);
      waiter_free (waiter);
    }
  return G_SOURCE_REMOVE;
}

void
rapport_server_waiters_notify (RapportServerHttp *self)
{
  GSource *source;

  g_atomic_int_inc (&self->commits);
  if (!g_atomic_int_compare_and_exchange (&self->wake_pending, 0, 1))
    return;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, wake_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[rapport-server] wake pulls");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

void
rapport_server_waiters_stop (RapportServerHttp *self)
{
  while (!g_queue_is_empty (&self->waiters))
    {
      Waiter *waiter = g_queue_peek_head (&self->waiters);

      unpark (waiter);
      waiter_free (waiter);
    }
  g_clear_pointer (&self->waiting, g_hash_table_unref);
}
