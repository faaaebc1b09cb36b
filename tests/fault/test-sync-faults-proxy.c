/* test-sync-faults-proxy.c: a loopback TCP proxy that cuts connections */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "test-sync-faults-proxy.h"

struct _SyncProxy
{
  int listen_fd;
  guint16 port;
  GThread *acceptor;
  GPtrArray *workers;       /* GThread * */

  GMutex lock;
  guint16 target_port;
  gboolean stopping;
  gint64 total[2];          /* bytes forwarded per direction */
  gint64 budget[2];         /* bytes left before the cut, -1 = none */
  gint64 offset;            /* the armed offset, for repeated cuts */
  guint repeat;             /* cuts still to make after the next one */
  guint cuts;               /* cuts made since armed */
};

typedef struct
{
  SyncProxy *proxy;
  int client_fd;
} Connection;

static int
connect_upstream (guint16 port)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      if (fd >= 0)
        close (fd);
      return -1;
    }
  return fd;
}

static gboolean
write_all (int fd, const char *buf, gssize len)
{
  while (len > 0)
    {
      gssize n = send (fd, buf, len, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      buf += n;
      len -= n;
    }
  return TRUE;
}

/* How many of @n bytes in @dir may pass; sets *cut when the budget ends. */
static gssize
take_budget (SyncProxy *proxy, int dir, gssize n, gboolean *cut)
{
  gssize allowed = n;

  g_mutex_lock (&proxy->lock);
  *cut = FALSE;
  if (proxy->budget[dir] >= 0)
    {
      if (proxy->budget[dir] <= n)
        {
          allowed = proxy->budget[dir];
          proxy->budget[dir] = -1;
          if (proxy->repeat > 0)
            {
              /* The next connection is cut at the same offset again. */
              proxy->repeat--;
              proxy->budget[dir] = proxy->offset;
            }
          proxy->cuts++;
          *cut = TRUE;
        }
      else
        proxy->budget[dir] -= n;
    }
  proxy->total[dir] += allowed;
  g_mutex_unlock (&proxy->lock);
  return allowed;
}

static gpointer
connection_thread (gpointer data)
{
  Connection *conn = data;
  SyncProxy *proxy = conn->proxy;
  int fds[2] = { conn->client_fd, -1 };
  guint16 target;
  char buf[16384];

  g_mutex_lock (&proxy->lock);
  target = proxy->target_port;
  g_mutex_unlock (&proxy->lock);
  fds[1] = connect_upstream (target);

  while (fds[1] >= 0)
    {
      struct pollfd pfd[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLIN, 0 } };
      gboolean stopping;
      int rc = poll (pfd, 2, 100);

      g_mutex_lock (&proxy->lock);
      stopping = proxy->stopping;
      g_mutex_unlock (&proxy->lock);
      if (stopping || (rc < 0 && errno != EINTR))
        break;
      if (rc <= 0)
        continue;
      for (int i = 0; i < 2; i++)
        {
          /* i = 0: from the client (up); i = 1: from the server (down). */
          gssize n, allowed;
          gboolean cut;

          if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
          n = recv (fds[i], buf, sizeof buf, 0);
          if (n <= 0)
            goto done;
          allowed = take_budget (proxy, i == 0 ? SYNC_PROXY_UP : SYNC_PROXY_DOWN, n, &cut);
          if (allowed > 0 && !write_all (fds[1 - i], buf, allowed))
            goto done;
          if (cut)
            goto done;
        }
    }
done:
  /* A hard close: both ends see the connection end mid-message. */
  for (int i = 0; i < 2; i++)
    if (fds[i] >= 0)
      {
        struct linger lg = { 1, 0 };
        setsockopt (fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close (fds[i]);
      }
  g_free (conn);
  return NULL;
}

static gpointer
accept_thread (gpointer data)
{
  SyncProxy *proxy = data;

  for (;;)
    {
      int fd = accept4 (proxy->listen_fd, NULL, NULL, SOCK_CLOEXEC);
      Connection *conn;
      gboolean stopping;

      g_mutex_lock (&proxy->lock);
      stopping = proxy->stopping;
      g_mutex_unlock (&proxy->lock);
      if (stopping)
        {
          if (fd >= 0)
            close (fd);
          return NULL;
        }
      if (fd < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          return NULL;
        }
      conn = g_new0 (Connection, 1);
      conn->proxy = proxy;
      conn->client_fd = fd;
      g_mutex_lock (&proxy->lock);
      g_ptr_array_add (proxy->workers, g_thread_new ("proxy-conn", connection_thread, conn));
      g_mutex_unlock (&proxy->lock);
    }
}

SyncProxy *
sync_proxy_new (guint16 target_port)
{
  SyncProxy *proxy = g_new0 (SyncProxy, 1);
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;

  g_mutex_init (&proxy->lock);
  proxy->target_port = target_port;
  proxy->budget[0] = proxy->budget[1] = -1;
  proxy->workers = g_ptr_array_new ();
  proxy->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (proxy->listen_fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (proxy->listen_fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (proxy->listen_fd, 64), ==, 0);
  g_assert_cmpint (getsockname (proxy->listen_fd, (struct sockaddr *) &addr, &len), ==, 0);
  proxy->port = ntohs (addr.sin_port);
  proxy->acceptor = g_thread_new ("proxy-accept", accept_thread, proxy);
  return proxy;
}

char *
sync_proxy_get_url (SyncProxy *proxy)
{
  return g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
}

void
sync_proxy_set_target (SyncProxy *proxy, guint16 target_port)
{
  g_mutex_lock (&proxy->lock);
  proxy->target_port = target_port;
  g_mutex_unlock (&proxy->lock);
}

void
sync_proxy_cut_after (SyncProxy *proxy, SyncProxyDirection direction, gint64 offset, guint times)
{
  g_mutex_lock (&proxy->lock);
  proxy->budget[0] = proxy->budget[1] = -1;
  proxy->budget[direction] = offset;
  proxy->offset = offset;
  proxy->repeat = times > 0 ? times - 1 : 0;
  proxy->cuts = 0;
  g_mutex_unlock (&proxy->lock);
}

guint
sync_proxy_get_cuts (SyncProxy *proxy)
{
  guint cuts;

  g_mutex_lock (&proxy->lock);
  cuts = proxy->cuts;
  g_mutex_unlock (&proxy->lock);
  return cuts;
}

gint64
sync_proxy_get_bytes (SyncProxy *proxy, SyncProxyDirection direction)
{
  gint64 bytes;

  g_mutex_lock (&proxy->lock);
  bytes = proxy->total[direction];
  g_mutex_unlock (&proxy->lock);
  return bytes;
}

void
sync_proxy_free (SyncProxy *proxy)
{
  g_autoptr (GPtrArray) workers = NULL;

  if (proxy == NULL)
    return;
  g_mutex_lock (&proxy->lock);
  proxy->stopping = TRUE;
  g_mutex_unlock (&proxy->lock);
  /* Wake the acceptor with a connection of our own. */
  close (connect_upstream (proxy->port));
  g_thread_join (proxy->acceptor);
  close (proxy->listen_fd);
  g_mutex_lock (&proxy->lock);
  workers = g_steal_pointer (&proxy->workers);
  g_mutex_unlock (&proxy->lock);
  for (guint i = 0; i < workers->len; i++)
    g_thread_join (workers->pdata[i]);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}
