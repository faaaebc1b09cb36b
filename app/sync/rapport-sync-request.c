/* rapport-sync-request.c: one JSON request to the server, retried once, with a watchdog */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-journal.h"
#include "rapport-sync-client-private.h"


typedef struct
{
  char *method;
  char *url;
  GBytes *body;
  gboolean authorized;
  guint attempt;
  SoupMessage *message;
  gint64 started;
  GCancellable *cancellable;  /* this attempt's: the task's, or the watchdog */
  gulong chained_id;
  GSource *watchdog;
  gboolean timed_out;
  gboolean page;              /* a pull page: kept as text (rapport_sync_client_request_page_async) */
  GBytes *received;
} Request;

static void
request_stop_watch (Request *request, GCancellable *task_cancellable)
{
  if (request->watchdog != NULL)
    {
      g_source_destroy (request->watchdog);
      g_clear_pointer (&request->watchdog, g_source_unref);
    }
  if (request->chained_id != 0)
    g_cancellable_disconnect (task_cancellable, request->chained_id);
  request->chained_id = 0;
  g_clear_object (&request->cancellable);
}

static void
request_free (Request *request)
{
  g_assert (request->watchdog == NULL && request->chained_id == 0);
  g_clear_object (&request->cancellable);
  g_free (request->method);
  g_free (request->url);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->received, g_bytes_unref);
  g_clear_object (&request->message);
  g_free (request);
}

typedef struct
{
  char *data;
  gsize size;
} Secret;

/* Request bodies may hold a password: wiped when released. */
static void
secret_free (gpointer user_data)
{
  Secret *secret = user_data;

  memset (secret->data, 0, secret->size);
  g_free (secret->data);
  g_free (secret);
}

static GBytes *
body_bytes (const char *body)
{
  Secret *secret = g_new0 (Secret, 1);

  secret->size = strlen (body);
  secret->data = g_memdup2 (body, secret->size + 1);
  return g_bytes_new_with_free_func (secret->data, secret->size, secret_free, secret);
}

static void request_send (GTask *task);

SoupSession *
rapport_sync_client_new_session (void)
{
  g_autofree char *agent = g_strdup_printf ("Rapport/%s ", PACKAGE_VERSION);

  return soup_session_new_with_options ("user-agent", agent, "timeout", 120, "idle-timeout", 60,
                                        /* a waiting pull holds one connection */
                                        "max-conns-per-host", 4, NULL);
}

/* Errors ------------------------------------------------------------------ */

static RapportSyncError
code_from_server (const char *code, guint status)
{
  static const struct
  {
    const char *name;
    RapportSyncError code;
  } codes[] = {
    { "unauthorized", RAPPORT_SYNC_ERROR_UNAUTHORIZED },
    { "forbidden", RAPPORT_SYNC_ERROR_FORBIDDEN },
    { "clock-skew", RAPPORT_SYNC_ERROR_CLOCK_SKEW },
    { "rate-limited", RAPPORT_SYNC_ERROR_RATE_LIMITED },
    { "internal", RAPPORT_SYNC_ERROR_SERVER },
    { "too-large", RAPPORT_SYNC_ERROR_TOO_LARGE },
  };

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (codes); i++)
    if (strcmp (code, codes[i].name) == 0)
      return codes[i].code;
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return RAPPORT_SYNC_ERROR_UNAUTHORIZED;
  if (status == SOUP_STATUS_FORBIDDEN)
    return RAPPORT_SYNC_ERROR_FORBIDDEN;
  if (status == 429)
    return RAPPORT_SYNC_ERROR_RATE_LIMITED;
  if (status == 413)
    return RAPPORT_SYNC_ERROR_TOO_LARGE;
  if (status >= 500)
    return RAPPORT_SYNC_ERROR_SERVER;
  return RAPPORT_SYNC_ERROR_PROTOCOL;
}

static void
set_transport_error (RapportSyncClient *self, GError *cause, GError **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (cause));
  else if (cause->domain == G_TLS_ERROR)
    g_set_error (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_FAILED,
                 _("The certificate of %s is not trusted (%s). Ask your administrator for a "
                   "valid certificate, or check the server address"),
                 self->server_url, cause->message);
  else
    g_set_error (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_NETWORK,
                 _("Could not reach the server at %s (%s). Check the address and your "
                   "network; your changes are kept and sent when it is back"),
                 self->server_url, cause->message);
}

/* Requests ------------------------------------------------------------------ */

static gboolean
request_retry_cb (gpointer user_data)
{
  GTask *task = user_data;

  if (!g_task_return_error_if_cancelled (task))
    request_send (task);
  return G_SOURCE_REMOVE;
}

void
rapport_sync_page_text_free (RapportSyncPageText *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->text, g_bytes_unref);
  g_free (page->epoch);
  g_free (page);
}

/* A page is megabytes of JSON: its envelope is read here, in a thread. */
static void
read_page_in_thread (GTask *task, gpointer source_object, gpointer task_data,
                     GCancellable *cancellable)
{
  RapportSyncClient *self = source_object;
  Request *request = task_data;
  g_autoptr (RapportSyncPageText) page = g_new0 (RapportSyncPageText, 1);
  g_autoptr (GError) error = NULL;
  gsize length;
  const char *text = g_bytes_get_data (request->received, &length);

  if (text == NULL
      || !rapport_page_read_envelope (text, length, &page->epoch, &page->cursor, &page->more, &error))
    {
      g_debug ("unreadable page from %s: %s", self->server_url, error ? error->message : "empty");
      g_task_return_new_error (task, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL,
                               _("The server sent a page of changes without changes or cursor. "
                                 "Tell your administrator"));
      return;
    }
  page->text = g_steal_pointer (&request->received);
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) rapport_sync_page_text_free);
}

static void
request_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RapportSyncClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;
  JsonNode *root;
  const char *epoch = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  request_stop_watch (request, g_task_get_cancellable (task));
  if (request->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Whatever state the session's connections are in, start afresh. */
      g_object_unref (self->session);
      self->session = rapport_sync_client_new_session ();
      g_clear_error (&error);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   _("no answer within %u seconds"), self->request_timeout_s);
    }
  if (self->timings != NULL)
    {
      gint64 elapsed = g_get_monotonic_time () - request->started;
      g_array_append_val (self->timings, elapsed);
    }
  if (bytes == NULL)
    {
      GError *mapped = NULL;

      g_debug ("%s %s failed: %s", request->method,
               g_uri_get_path (soup_message_get_uri (request->message)), error->message);
      if (request->attempt == 0 && error->domain != G_TLS_ERROR
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr (GSource) pause = g_timeout_source_new (RAPPORT_SYNC_RETRY_DELAY_MS / 2
                                                            + g_random_int_range (0, RAPPORT_SYNC_RETRY_DELAY_MS));
          GMainContext *context = g_task_get_context (task);

          request->attempt++;
          g_source_set_callback (pause, request_retry_cb, g_steal_pointer (&task), g_object_unref);
          g_source_attach (pause, context);
          return;
        }
      set_transport_error (self, error, &mapped);
      g_task_return_error (task, mapped);
      return;
    }
  status = soup_message_get_status (request->message);
  if (request->page && status >= 200 && status < 300)
    {
      request->received = g_steal_pointer (&bytes);
      g_task_run_in_thread (task, read_page_in_thread);
      return;
    }
  if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      epoch = json_object_get_string_member_with_default (object, "epoch", NULL);
    }

  if (status >= 200 && status < 300 && object != NULL && epoch != NULL && *epoch != '\0')
    {
      g_task_set_task_data (task, json_object_ref (object), (GDestroyNotify) json_object_unref);
      g_task_return_pointer (task, g_strdup (epoch), g_free);
      return;
    }
  if (object != NULL && json_object_has_member (object, "error")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    {
      JsonObject *err = json_object_get_object_member (object, "error");
      const char *code = json_object_get_string_member_with_default (err, "code", NULL);
      const char *message = json_object_get_string_member_with_default (err, "message", NULL);

      g_task_return_new_error (task, RAPPORT_SYNC_ERROR, code_from_server (code, status), "%s",
                               message ? message : soup_status_get_phrase (status));
      return;
    }
  if (status >= 500)
    g_task_return_new_error (task, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_SERVER,
                             _("The server at %s failed (HTTP %u). Try again later, or tell "
                               "your administrator"), self->server_url, status);
  else
    g_task_return_new_error (task, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL,
                             _("%s did not answer like a Rapport server (HTTP %u). Check the "
                               "server address"), self->server_url, status);
}

/**
 * rapport_sync_client_request_async:
 * @path: the path after the server URL, starting with "/v1/"
 * @body: (nullable): JSON text to send
 * @authorized: whether to send the session token
 */
void
rapport_sync_client_request_async (RapportSyncClient *self, const char *method, const char *path,
                                   const char *body, gboolean authorized, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, rapport_sync_client_request_async);
  request->method = g_strdup (method);
  request->url = g_strconcat (self->server_url, path, NULL);
  request->body = body ? body_bytes (body) : NULL;
  request->authorized = authorized;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  request_send (task);
  g_object_unref (task);
}

static void
chained_cancel_cb (GCancellable *task_cancellable, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_CONTINUE;  /* destroyed when the request ends */
}

/* Sends (again) the request of @task, on a new message. */
static void
request_send (GTask *task)
{
  RapportSyncClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  g_clear_object (&request->message);
  request->message = soup_message_new (request->method, request->url);
  request->started = g_get_monotonic_time ();
  if (request->message == NULL)
    {
      g_task_return_new_error (task, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_FAILED,
                               _("“%s” is not a server address. Use an address like "
                                 "https://rapport.example.com"), self->server_url);
      return;
    }
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->message, "application/json; charset=utf-8",
                                              request->body);
  /* libsoup sends a POST on a new connection unless it is marked idempotent:
   * every push paid a TCP (and TLS) handshake, and fifty desktops pushing at
   * once as many accepts on the server. A push is idempotent by change id
   * (PROTOCOL.md): sent again, it applies once. */
  if (g_str_has_suffix (request->url, "/v1/push"))
    soup_message_add_flags (request->message, SOUP_MESSAGE_IDEMPOTENT);
  if (request->authorized && self->token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                    "Authorization", header);
    }
  request->timed_out = FALSE;
  request->cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    request->chained_id = g_cancellable_connect (g_task_get_cancellable (task),
                                                 G_CALLBACK (chained_cancel_cb),
                                                 g_object_ref (request->cancellable),
                                                 g_object_unref);
  request->watchdog = g_timeout_source_new_seconds (self->request_timeout_s);
  g_source_set_callback (request->watchdog, watchdog_cb, request, NULL);
  g_source_attach (request->watchdog, g_task_get_context (task));
  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    request->cancellable, request_done_cb, g_object_ref (task));
}

/**
 * rapport_sync_client_request_page_async:
 * @path: a pull, "/v1/pull?…"
 *
 * As rapport_sync_client_request_async(), for a page of changes: the
 * answer is kept as its text, and only its envelope read.
 */
void
rapport_sync_client_request_page_async (RapportSyncClient *self, const char *path,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, rapport_sync_client_request_page_async);
  request->method = g_strdup ("GET");
  request->url = g_strconcat (self->server_url, path, NULL);
  request->authorized = TRUE;
  request->page = TRUE;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  request_send (task);
  g_object_unref (task);
}

/**
 * rapport_sync_client_request_page_finish:
 *
 * Returns: (transfer full): the page, or %NULL with @error set.
 */
RapportSyncPageText *
rapport_sync_client_request_page_finish (RapportSyncClient *self, GAsyncResult *result,
                                         GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * rapport_sync_client_request_finish:
 * @epoch: (out) (optional) (transfer full): the server's epoch
 *
 * Returns: (transfer full): the answer, or %NULL with @error set.
 */
JsonObject *
rapport_sync_client_request_finish (RapportSyncClient *self, GAsyncResult *result, char **epoch,
                                    GError **error)
{
  g_autofree char *value = g_task_propagate_pointer (G_TASK (result), error);

  if (value == NULL)
    return NULL;
  if (epoch != NULL)
    *epoch = g_steal_pointer (&value);
  return json_object_ref (g_task_get_task_data (G_TASK (result)));
}

