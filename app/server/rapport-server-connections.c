/* rapport-server-connections.c: closing connections libsoup 3.2 leaves half-closed */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include "rapport-server-http-private.h"

/* libsoup 3.2 sometimes stops watching a keep-alive connection after its
 * last answer: when the client then closes it, nobody reads the end of the
 * stream and the socket stays in CLOSE-WAIT, holding a descriptor, for as
 * long as the server runs (a desktop closes its connection after every sync,
 * so they pile up by thousands). Seen with strace: the descriptor is in no
 * poll set any more.
 *
 * So every connection libsoup serves is followed: between two requests
 * (after request-finished, before the next request-started) it should be
 * either silent or read at once by libsoup. A connection found readable (its
 * end of stream, or bytes nobody reads) at two sweeps in a row while between
 * requests is one libsoup forgot: it is shut down and closed here. */

#define SWEEP_INTERVAL_S 2

typedef struct
{
  RapportServerHttp *self;
  GSocket *socket;            /* weak */
  gboolean busy;              /* a request is in progress */
  guint readable_sweeps;
} Tracked;

static void
tracked_gone_cb (gpointer data, GObject *where_the_socket_was)
{
  Tracked *tracked = data;

  g_hash_table_remove (tracked->self->sockets, where_the_socket_was);
}

static void
tracked_free (gpointer data)
{
  g_free (data);
}

static Tracked *
track (RapportServerHttp *self, GSocket *socket)
{
  Tracked *tracked = g_hash_table_lookup (self->sockets, socket);

  if (tracked == NULL)
    {
      tracked = g_new0 (Tracked, 1);
      tracked->self = self;
      tracked->socket = socket;
      g_object_weak_ref (G_OBJECT (socket), tracked_gone_cb, tracked);
      g_hash_table_insert (self->sockets, socket, tracked);
    }
  return tracked;
}

void
rapport_server_connections_request_started (RapportServerHttp *self, GSocket *socket)
{
  Tracked *tracked = track (self, socket);

  tracked->busy = TRUE;
  tracked->readable_sweeps = 0;
}

void
rapport_server_connections_request_finished (RapportServerHttp *self, GSocket *socket)
{
  Tracked *tracked = g_hash_table_lookup (self->sockets, socket);

  if (tracked != NULL)
    {
      tracked->busy = FALSE;
      tracked->readable_sweeps = 0;
    }
}

/* Whether there is something to read (data, or the end of the stream). */
static gboolean
is_readable (GSocket *socket)
{
  char byte;
  gssize n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static gboolean
sweep_cb (gpointer data)
{
  RapportServerHttp *self = data;
  g_autoptr (GPtrArray) forgotten = g_ptr_array_new ();
  GHashTableIter iter;
  Tracked *tracked;

  g_hash_table_iter_init (&iter, self->sockets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tracked))
    {
      if (tracked->busy || g_socket_is_closed (tracked->socket) || !is_readable (tracked->socket))
        {
          tracked->readable_sweeps = 0;
          continue;
        }
      if (++tracked->readable_sweeps >= 2)
        g_ptr_array_add (forgotten, tracked->socket);
    }
  for (guint i = 0; i < forgotten->len; i++)
    {
      GSocket *socket = forgotten->pdata[i];

      g_debug ("closing a connection the client ended (fd %d)", g_socket_get_fd (socket));
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
      g_socket_close (socket, NULL);
      /* No more to follow (libsoup keeps its object until it stops). */
      g_object_weak_unref (G_OBJECT (socket), tracked_gone_cb, g_hash_table_lookup (self->sockets, socket));
      g_hash_table_remove (self->sockets, socket);
    }
  return G_SOURCE_CONTINUE;
}

void
rapport_server_connections_start (RapportServerHttp *self)
{
  self->sockets = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, tracked_free);
  self->sweep_id = g_timeout_add_seconds (SWEEP_INTERVAL_S, sweep_cb, self);
}

void
rapport_server_connections_stop (RapportServerHttp *self)
{
  GHashTableIter iter;
  gpointer socket, tracked;

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  if (self->sockets == NULL)
    return;
  g_hash_table_iter_init (&iter, self->sockets);
  while (g_hash_table_iter_next (&iter, &socket, &tracked))
    g_object_weak_unref (socket, tracked_gone_cb, tracked);
  g_clear_pointer (&self->sockets, g_hash_table_unref);
}
