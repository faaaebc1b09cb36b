/* rapport-server-http.c: the HTTP side of rapport-server (libsoup SoupServer) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-server-crypto.h"
#include "rapport-server-http-private.h"

/* A connection that sends nothing for this long is closed (slow clients
 * holding connections open). */
#define IDLE_TIMEOUT_S 60
/* After refusing an oversized body, read and drop at most this much more of
 * it (so the client can read the answer before the connection closes). */
#define DRAIN_LIMIT (1024 * 1024)
#define DRAIN_TIMEOUT_S 5

G_DEFINE_FINAL_TYPE (RapportServerHttp, rapport_server_http, G_TYPE_OBJECT)

typedef void (*Handler) (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);

static const struct
{
  const char *path;
  const char *method;
  Handler handler;
} routes[] = {
  { "/v1/health", "GET", rapport_server_handle_health },
  { "/v1/login", "POST", rapport_server_handle_login },
  { "/v1/logout", "POST", rapport_server_handle_logout },
  { "/v1/push", "POST", rapport_server_handle_push },
  { "/v1/pull", "GET", rapport_server_handle_pull },
  { "/v1/users", "GET", rapport_server_handle_users },
  { "/v1/backlog", "GET", rapport_server_handle_backlog },
};

/* Answers ------------------------------------------------------------------ */

static char *
answer_text (RapportServerHttp *self, JsonObject *body)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonObject) object = body ? json_object_ref (body) : json_object_new ();

  json_object_set_string_member (object, "epoch", rapport_server_store_get_epoch (self->store));
  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

static JsonObject *
error_object (const char *code, const char *message)
{
  JsonObject *body = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  json_object_set_object_member (body, "error", error);
  return body;
}

void
rapport_server_http_respond (RapportServerHttp *self, SoupServerMessage *msg, guint status,
                             JsonObject *body)
{
  char *text = answer_text (self, body);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-store");
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
}

void
rapport_server_http_respond_error (RapportServerHttp *self, SoupServerMessage *msg, const GError *error)
{
  g_autoptr (JsonObject) body = NULL;
  guint status = rapport_server_error_http_status (error);

  /* Store errors are the server's fault, not the client's: say so without
   * the details (which name files), and log them. */
  if (error->domain != RAPPORT_SERVER_ERROR || status >= 500)
    {
      g_message ("%s %s failed: %s", soup_server_message_get_method (msg),
                 g_uri_get_path (soup_server_message_get_uri (msg)), error->message);
      body = error_object ("internal", _("The server failed to handle this request; try again "
                                         "later, and tell the administrator if it goes on"));
      rapport_server_http_respond (self, msg, 500, body);
      return;
    }
  body = error_object (rapport_server_error_wire_code (error), error->message);
  if (status == 401)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate",
                                  "Bearer realm=\"rapport\"");
  rapport_server_http_respond (self, msg, status, body);
}

void
rapport_server_http_fail (RapportServerHttp *self, SoupServerMessage *msg, RapportServerError code,
                          const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (RAPPORT_SERVER_ERROR, code, message);
  rapport_server_http_respond_error (self, msg, error);
}

JsonObject *
rapport_server_http_read_body (SoupServerMessage *msg, GError **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = NULL;
  gsize length;
  const char *data;

  if (!rapport_server_content_type_is_json (soup_message_headers_get_content_type (headers, NULL)))
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE,
                           _("Send the body as application/json"));
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &length);
  return rapport_server_parse_object (data, length, error);
}

RapportServerAccount *
rapport_server_http_authenticate (RapportServerHttp *self, SoupServerMessage *msg, GError **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *token = rapport_server_parse_bearer (soup_message_headers_get_one (headers, "Authorization"));
  g_autofree char *hash = NULL;
  g_autoptr (GError) local_error = NULL;
  RapportServerAccount *account;

  if (token == NULL)
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_UNAUTHORIZED,
                           _("Sign in first: send the token from /v1/login as “Authorization: Bearer TOKEN”"));
      return NULL;
    }
  hash = rapport_server_token_hash (token);
  account = rapport_server_store_check_token (self->store, hash, rapport_server_now (),
                                              self->config->token_idle_seconds, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (account == NULL)
    g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_UNAUTHORIZED,
                         _("Your session has expired or was ended; sign in again"));
  return account;
}

/* Oversized bodies --------------------------------------------------------- */

/* A request refused before its body was read: the connection is taken from
 * libsoup, answered, half-closed, and drained for a bounded time so the
 * client sees the answer rather than a reset. */
typedef struct
{
  GIOStream *stream;
  GSocket *socket;
  GBytes *answer;
  GCancellable *cancellable;
  guint timeout_id;
  gsize drained;
  char buffer[16384];
} Rejection;

static void
rejection_free (Rejection *rejection)
{
  g_clear_handle_id (&rejection->timeout_id, g_source_remove);
  g_clear_object (&rejection->stream);
  g_clear_object (&rejection->socket);
  g_clear_object (&rejection->cancellable);
  g_clear_pointer (&rejection->answer, g_bytes_unref);
  g_free (rejection);
}

static void
rejection_closed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  rejection_free (data);
}

static void
rejection_close (Rejection *rejection)
{
  g_clear_handle_id (&rejection->timeout_id, g_source_remove);
  g_io_stream_close_async (rejection->stream, G_PRIORITY_DEFAULT, NULL, rejection_closed_cb, rejection);
}

static void
rejection_drained_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Rejection *rejection = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || (rejection->drained += n) >= DRAIN_LIMIT)
    {
      rejection_close (rejection);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (rejection->stream), rejection->buffer,
                             sizeof rejection->buffer, G_PRIORITY_LOW, rejection->cancellable,
                             rejection_drained_cb, rejection);
}

static gboolean
rejection_timeout_cb (gpointer data)
{
  Rejection *rejection = data;

  rejection->timeout_id = 0;
  g_cancellable_cancel (rejection->cancellable);
  return G_SOURCE_REMOVE;
}

static void
rejection_written_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Rejection *rejection = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      rejection_close (rejection);
      return;
    }
  if (rejection->socket != NULL)
    g_socket_shutdown (rejection->socket, FALSE, TRUE, NULL);
  rejection->timeout_id = g_timeout_add_seconds (DRAIN_TIMEOUT_S, rejection_timeout_cb, rejection);
  g_input_stream_read_async (g_io_stream_get_input_stream (rejection->stream), rejection->buffer,
                             sizeof rejection->buffer, G_PRIORITY_LOW, rejection->cancellable,
                             rejection_drained_cb, rejection);
}

static void
reject_early (RapportServerHttp *self, SoupServerMessage *msg, guint status, const char *code,
              const char *message)
{
  g_autoptr (JsonObject) body = error_object (code, message);
  g_autofree char *text = answer_text (self, body);
  Rejection *rejection = g_new0 (Rejection, 1);
  GString *answer = g_string_new (NULL);
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autofree char *address = g_strdup (soup_server_message_get_remote_host (msg));
  g_autofree char *path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));

  g_string_append_printf (answer,
                          "HTTP/1.1 %u %s\r\nContent-Type: application/json; charset=utf-8\r\n"
                          "Content-Length: %zu\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n%s",
                          status, soup_status_get_phrase (status), strlen (text), text);
  rejection->answer = g_string_free_to_bytes (answer);
  rejection->socket = socket ? g_object_ref (socket) : NULL;
  rejection->cancellable = g_cancellable_new ();
  rejection->stream = soup_server_message_steal_connection (msg);
  g_message ("%s %s %u (%s) from %s", soup_server_message_get_method (msg), path, status, code,
             address ? address : "?");
  if (rejection->stream == NULL)
    {
      rejection_free (rejection);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (rejection->stream),
                                   g_bytes_get_data (rejection->answer, NULL),
                                   g_bytes_get_size (rejection->answer), G_PRIORITY_DEFAULT, NULL,
                                   rejection_written_cb, rejection);
}

static void
got_chunk_cb (SoupServerMessage *msg, GBytes *chunk, gpointer data)
{
  RapportServerHttp *self = data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body->length > RAPPORT_SERVER_MAX_BODY)
    {
      g_autofree char *message = g_strdup_printf (_("The request body is larger than %d bytes; "
                                                    "send smaller batches"), RAPPORT_SERVER_MAX_BODY);
      g_signal_handlers_disconnect_by_func (msg, got_chunk_cb, data);
      reject_early (self, msg, 413, "too-large", message);
    }
}

static void
early_handler_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                  gpointer data)
{
  RapportServerHttp *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > RAPPORT_SERVER_MAX_BODY)
    {
      g_autofree char *message = g_strdup_printf (_("The request body is larger than %d bytes; "
                                                    "send smaller batches"), RAPPORT_SERVER_MAX_BODY);
      reject_early (self, msg, 413, "too-large", message);
      return;
    }
  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self, 0);
}

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

static void
request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    {
      g_socket_set_timeout (socket, IDLE_TIMEOUT_S);
      release_accepted_socket_ref (socket);
    }
}

static void
request_finished_cb (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  GUri *uri = soup_server_message_get_uri (msg);

  /* Paths only: no query strings, headers or bodies are ever logged. */
  g_info ("%s %s %u from %s", soup_server_message_get_method (msg), uri ? g_uri_get_path (uri) : "?",
          soup_server_message_get_status (msg), soup_server_message_get_remote_host (msg));
}

/* Object ------------------------------------------------------------------ */

static void
rapport_server_http_dispose (GObject *object)
{
  RapportServerHttp *self = RAPPORT_SERVER_HTTP (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
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
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  return g_steal_pointer (&self);
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
  if (!soup_server_listen (self->soup, address, options, error))
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
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}

void
rapport_server_http_wait_idle (RapportServerHttp *self)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_return_if_fail (RAPPORT_IS_SERVER_HTTP (self));
  while (self->pending > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}
