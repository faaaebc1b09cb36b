/* rapport-server-http.c: the HTTP side of rapport-server (libsoup SoupServer) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <glib/gi18n.h>
#include <gio/gnetworking.h>

#include "rapport-server-crypto.h"
#include "rapport-server-http-private.h"

/* A connection that sends nothing for this long is closed (slow clients
 * holding connections open). */
#define IDLE_TIMEOUT_S 60
/* Worker threads, each with its own store connection: readers run side by
 * side (SQLite WAL), writers take turns (BEGIN IMMEDIATE, busy timeout). */
#define RAPPORT_SERVER_WORKERS 4
/* Connections waiting to be accepted (the kernel caps it at somaxconn). */
#define LISTEN_BACKLOG 1024

G_DEFINE_FINAL_TYPE (RapportServerHttp, rapport_server_http, G_TYPE_OBJECT)

typedef void (*Handler) (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);

/* Endpoints that read or write the store run in a worker thread (job);
 * health and login (whose password check has a thread of its own) run on
 * the main context. */
static const struct
{
  const char *path;
  const char *method;
  Handler handler;
  RapportServerJobFunc job;
} routes[] = {
  { "/v1/health", "GET", rapport_server_handle_health, NULL },
  { "/v1/login", "POST", rapport_server_handle_login, NULL },
  { "/v1/logout", "POST", NULL, rapport_server_job_logout },
  { "/v1/push", "POST", NULL, rapport_server_job_push },
  { "/v1/pull", "GET", NULL, rapport_server_job_pull },
  { "/v1/users", "GET", NULL, rapport_server_job_users },
  { "/v1/backlog", "GET", NULL, rapport_server_job_backlog },
};

/* Routing ------------------------------------------------------------------ */

static void
handler_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  RapportServerHttp *self = data;
  const char *method = soup_server_message_get_method (msg);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (strcmp (path, routes[i].path) != 0)
        continue;
      if (strcmp (method, routes[i].method) != 0)
        {
          g_autofree char *message = g_strdup_printf (_("Use %s for %s"), routes[i].method, path);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                        routes[i].method);
          rapport_server_http_fail (self, msg, RAPPORT_SERVER_ERROR_METHOD_NOT_ALLOWED, message);
          return;
        }
      if (routes[i].job != NULL)
        rapport_server_jobs_run (self, msg, query, routes[i].job);
      else
        routes[i].handler (self, msg, query);
      return;
    }
  rapport_server_http_fail (self, msg, RAPPORT_SERVER_ERROR_NOT_FOUND,
                            _("There is no such endpoint; this server speaks the Rapport sync "
                              "protocol v1 under /v1/"));
}

/* libsoup 3.2 keeps one reference too many on every connection it accepts:
 * SoupListener's listen_watch() hands the socket from g_socket_accept() to
 * the new SoupServerConnection (which takes its own reference) and never
 * drops the first one, so each closed connection leaks its GSocket (fixed
 * upstream in libsoup 3.5). Drop that reference once per socket, while the
 * connection still holds its own. */
static void
release_accepted_socket_ref (GSocket *socket)
{
  static GQuark released_quark;

  if (soup_get_major_version () != 3 || soup_get_minor_version () != 2)
    return;
  if (released_quark == 0)
    released_quark = g_quark_from_static_string ("rapport-server-accept-ref-released");
  if (g_object_get_qdata (G_OBJECT (socket), released_quark) != NULL)
    return;
  g_object_set_qdata (G_OBJECT (socket), released_quark, GINT_TO_POINTER (TRUE));
  g_object_unref (socket);
}

static GQuark
started_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("rapport-server-started");
  return quark;
}

static void
request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  RapportServerHttp *self = data;
  GSocket *socket = soup_server_message_get_socket (msg);
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_qdata_full (G_OBJECT (msg), started_quark (), started, g_free);

  if (socket != NULL)
    {
      g_socket_set_timeout (socket, IDLE_TIMEOUT_S);
      rapport_server_http_remote_host (msg);
      release_accepted_socket_ref (socket);
      rapport_server_connections_request_started (self, socket);
    }
}

static void
request_read_cb (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  rapport_server_timing_start (data, msg);
}

static void
request_aborted_cb (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    rapport_server_connections_request_finished (data, socket);
}

static void
request_finished_cb (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  GUri *uri = soup_server_message_get_uri (msg);
  GSocket *socket = soup_server_message_get_socket (msg);
  gint64 *started = g_object_get_qdata (G_OBJECT (msg), started_quark ());

  if (socket != NULL)
    rapport_server_connections_request_finished (data, socket);
  /* A message that never got a request line: the client closed an idle
   * connection (its address may be gone already). */
  if (uri == NULL)
    return;
  rapport_server_timing_finish (data, msg);
  /* Paths only: no query strings, headers or bodies are ever logged. */
  g_info ("%s %s %u from %s in %.1f ms", soup_server_message_get_method (msg), g_uri_get_path (uri),
          soup_server_message_get_status (msg), rapport_server_http_remote_host (msg),
          started ? (g_get_monotonic_time () - *started) / 1000.0 : 0.0);
}

/* Object ------------------------------------------------------------------ */

static void
rapport_server_http_dispose (GObject *object)
{
  RapportServerHttp *self = RAPPORT_SERVER_HTTP (object);

  rapport_server_waiters_stop (self);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  rapport_server_connections_stop (self);
  rapport_server_jobs_stop (self);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rapport_server_http_parent_class)->dispose (object);
}

static void
rapport_server_http_finalize (GObject *object)
{
  RapportServerHttp *self = RAPPORT_SERVER_HTTP (object);

  g_free (self->url);
  G_OBJECT_CLASS (rapport_server_http_parent_class)->finalize (object);
}

static void
rapport_server_http_class_init (RapportServerHttpClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rapport_server_http_dispose;
  G_OBJECT_CLASS (klass)->finalize = rapport_server_http_finalize;
}

static void
rapport_server_http_init (RapportServerHttp *self)
{
}

/**
 * rapport_server_http_new:
 * @config: (transfer none): must outlive the server
 */
RapportServerHttp *
rapport_server_http_new (RapportServerStore *store, RapportServerConfig *config, GError **error)
{
  g_autoptr (RapportServerHttp) self = g_object_new (RAPPORT_TYPE_SERVER_HTTP, NULL);
  g_autofree char *header = g_strdup_printf ("rapport-server/%s", PACKAGE_VERSION);

  g_return_val_if_fail (RAPPORT_IS_SERVER_STORE (store), NULL);

  if (!rapport_server_crypto_init (error))
    return NULL;
  self->store = g_object_ref (store);
  self->config = config;
  self->fault_kill_after_commit = g_strcmp0 (g_getenv ("RAPPORT_SERVER_FAULT"), "kill-after-commit") == 0;
  self->timing = g_strcmp0 (g_getenv ("RAPPORT_SERVER_TIMING"), "1") == 0;
  self->soup = soup_server_new ("server-header", header, NULL);
  if (config->tls_cert != NULL)
    {
      g_autoptr (GTlsCertificate) certificate = g_tls_certificate_new_from_files (config->tls_cert,
                                                                                  config->tls_key, error);
      if (certificate == NULL)
        {
          g_prefix_error (error, _("Could not load the TLS certificate %s and key %s: "),
                          config->tls_cert, config->tls_key);
          return NULL;
        }
      soup_server_set_tls_certificate (self->soup, certificate);
    }
  if (!rapport_server_jobs_start (self, RAPPORT_SERVER_WORKERS, error))
    return NULL;
  soup_server_add_early_handler (self->soup, NULL, rapport_server_early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  if (self->timing)
    g_signal_connect (self->soup, "request-read", G_CALLBACK (request_read_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_aborted_cb), self);
  rapport_server_connections_start (self);
  return g_steal_pointer (&self);
}

/* The listening socket is made here for its backlog: libsoup's (GLib's
 * default, 10) drops the connections of a crowd of desktops syncing at once,
 * whose clients then try again only after a second. */
static gboolean
listen_on (RapportServerHttp *self, GSocketAddress *address, SoupServerListenOptions options,
           GError **error)
{
  GSocketFamily family = g_socket_address_get_family (address);
  g_autoptr (GSocket) socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                                             error);

  if (socket == NULL)
    return FALSE;
  if (family == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  return g_socket_bind (socket, address, TRUE, error) && g_socket_listen (socket, error)
         && soup_server_listen_socket (self->soup, socket, options, error);
}

gboolean
rapport_server_http_listen (RapportServerHttp *self, GError **error)
{
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (self->config->listen);
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSList) listeners = NULL;
  SoupServerListenOptions options = self->config->tls_cert ? SOUP_SERVER_LISTEN_HTTPS : 0;

  g_return_val_if_fail (RAPPORT_IS_SERVER_HTTP (self), FALSE);

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address to listen on (for example 127.0.0.1, 0.0.0.0 or ::)"),
                   self->config->listen);
      return FALSE;
    }
  address = g_inet_socket_address_new (inet, (guint16) self->config->port);
  if (!listen_on (self, address, options, error))
    {
      g_prefix_error (error, _("Could not listen on %s port %d: "), self->config->listen,
                      self->config->port);
      return FALSE;
    }
  /* The port from the listening socket (not soup_server_get_uris(), whose
   * address libsoup 3.2 caches and never frees). */
  listeners = soup_server_get_listeners (self->soup);
  if (listeners != NULL)
    {
      g_autoptr (GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);
      g_autofree char *host = g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6
                                  ? g_strdup_printf ("[%s]", self->config->listen)
                                  : g_strdup (self->config->listen);

      if (G_IS_INET_SOCKET_ADDRESS (local))
        self->url = g_strdup_printf ("%s://%s:%u", options ? "https" : "http", host,
                                     g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
    }
  if (options == 0 && !g_inet_address_get_is_loopback (inet))
    g_message (_("Listening on %s without TLS: passwords and data cross the network in clear. "
                 "Set tls-cert and tls-key, or put a TLS proxy in front"), self->config->listen);
  return TRUE;
}

const char *
rapport_server_http_get_url (RapportServerHttp *self)
{
  g_return_val_if_fail (RAPPORT_IS_SERVER_HTTP (self), NULL);
  return self->url;
}

void
rapport_server_http_shutdown (RapportServerHttp *self)
{
  g_return_if_fail (RAPPORT_IS_SERVER_HTTP (self));
  rapport_server_waiters_stop (self);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}

void
rapport_server_http_wait_idle (RapportServerHttp *self)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_return_if_fail (RAPPORT_IS_SERVER_HTTP (self));
  while ((self->pending > 0 || self->jobs > 0) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}
