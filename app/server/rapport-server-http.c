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
/* After refusing an oversized body, read and drop at most this much more of
 * it (so the client can read the answer before the connection closes). */
#define DRAIN_LIMIT (1024 * 1024)
#define DRAIN_TIMEOUT_S 5
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
rapport_server_call_free (RapportServerCall *call)
{
  if (call == NULL)
    return;
  g_free (call->method);
  g_free (call->path);
  g_clear_pointer (&call->query, g_hash_table_unref);
  g_free (call->authorization);
  g_free (call->content_type);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->batch, rapport_server_batch_free);
  g_free (call->text);
  g_clear_pointer (&call->headers, g_ptr_array_unref);
  g_free (call);
}

void
rapport_server_call_add_header (RapportServerCall *call, const char *name, const char *value)
{
  if (call->headers == NULL)
    call->headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (call->headers, g_strdup (name));
  g_ptr_array_add (call->headers, g_strdup (value));
}

void
rapport_server_call_respond (RapportServerHttp *self, RapportServerCall *call, guint status,
                             JsonObject *body)
{
  call->status = status;
  g_free (call->text);
  call->text = answer_text (self, body);
}

/* @body: (transfer full): a JSON object text with at least one member; the
 * epoch is added. */
void
rapport_server_call_respond_text (RapportServerHttp *self, RapportServerCall *call, guint status,
                                  GString *body)
{
  g_autoptr (GString) member = g_string_new ("\"epoch\":");

  g_return_if_fail (body->len >= 2 && body->str[0] == '{');
  rapport_server_json_append_string (member, rapport_server_store_get_epoch (self->store));
  g_string_append_c (member, ',');
  g_string_insert_len (body, 1, member->str, member->len);
  call->status = status;
  g_free (call->text);
  call->text = g_string_free (body, FALSE);
}

void
rapport_server_call_respond_error (RapportServerHttp *self, RapportServerCall *call,
                                   const GError *error)
{
  g_autoptr (JsonObject) body = NULL;
  guint status = rapport_server_error_http_status (error);

  /* Store errors are the server's fault, not the client's: say so without
   * the details (which name files), and log them. */
  if (error->domain != RAPPORT_SERVER_ERROR || status >= 500)
    {
      g_message ("%s %s failed: %s", call->method, call->path, error->message);
      body = error_object ("internal", _("The server failed to handle this request; try again "
                                         "later, and tell the administrator if it goes on"));
      rapport_server_call_respond (self, call, 500, body);
      return;
    }
  body = error_object (rapport_server_error_wire_code (error), error->message);
  if (status == 401)
    rapport_server_call_add_header (call, "WWW-Authenticate", "Bearer realm=\"rapport\"");
  rapport_server_call_respond (self, call, status, body);
}

void
rapport_server_call_fail (RapportServerHttp *self, RapportServerCall *call, RapportServerError code,
                          const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (RAPPORT_SERVER_ERROR, code, message);
  rapport_server_call_respond_error (self, call, error);
}

/* The answer of a call, given to its message (on the main context). */
void
rapport_server_call_apply (RapportServerCall *call, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize length = call->text ? strlen (call->text) : 0;

  soup_server_message_set_status (msg, call->status ? call->status : 500, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  for (guint i = 0; call->headers && i + 1 < call->headers->len; i += 2)
    soup_message_headers_replace (headers, call->headers->pdata[i], call->headers->pdata[i + 1]);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&call->text), length);
}

static RapportServerCall *
call_for_message (SoupServerMessage *msg)
{
  RapportServerCall *call = g_new0 (RapportServerCall, 1);

  call->method = g_strdup (soup_server_message_get_method (msg));
  call->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  return call;
}

void
rapport_server_http_respond (RapportServerHttp *self, SoupServerMessage *msg, guint status,
                             JsonObject *body)
{
  g_autoptr (RapportServerCall) call = call_for_message (msg);

  rapport_server_call_respond (self, call, status, body);
  rapport_server_call_apply (call, msg);
}

void
rapport_server_http_respond_error (RapportServerHttp *self, SoupServerMessage *msg, const GError *error)
{
  g_autoptr (RapportServerCall) call = call_for_message (msg);

  rapport_server_call_respond_error (self, call, error);
  rapport_server_call_apply (call, msg);
}

void
rapport_server_http_fail (RapportServerHttp *self, SoupServerMessage *msg, RapportServerError code,
                          const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (RAPPORT_SERVER_ERROR, code, message);
  rapport_server_http_respond_error (self, msg, error);
}

static JsonObject *
read_body (const char *content_type, GBytes *bytes, GError **error)
{
  gsize length = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

  if (!rapport_server_content_type_is_json (content_type))
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE,
                           _("Send the body as application/json"));
      return NULL;
    }
  return rapport_server_parse_object (data ? data : "", length, error);
}

JsonObject *
rapport_server_http_read_body (SoupServerMessage *msg, GError **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  return read_body (soup_message_headers_get_content_type (headers, NULL), bytes, error);
}

JsonObject *
rapport_server_call_read_body (RapportServerCall *call, GError **error)
{
  return read_body (call->content_type, call->body, error);
}

RapportServerAccount *
rapport_server_call_authenticate (RapportServerHttp *self, RapportServerStore *store,
                                  RapportServerCall *call, GError **error)
{
  g_autofree char *token = rapport_server_parse_bearer (call->authorization);
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
  account = rapport_server_store_check_token (store, hash, rapport_server_now (),
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

/* The client's address, read once per connection from its socket.
 * libsoup's own soup_server_message_get_remote_host() logs a warning when
 * the client has gone already (and warnings are fatal in the tests). */
const char *
rapport_server_http_remote_host (SoupServerMessage *msg)
{
  static GQuark quark;
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr (GSocketAddress) address = NULL;
  char *host;

  if (socket == NULL)
    return "?";
  if (quark == 0)
    quark = g_quark_from_static_string ("rapport-server-remote-host");
  host = g_object_get_qdata (G_OBJECT (socket), quark);
  if (host != NULL)
    return host;
  address = g_socket_get_remote_address (socket, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return "?";
  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  g_object_set_qdata_full (G_OBJECT (socket), quark, host, g_free);
  return host;
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
  g_autofree char *address = g_strdup (rapport_server_http_remote_host (msg));
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
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
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
