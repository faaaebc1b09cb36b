/* rapport-sync-client.c: one desktop's session with a Rapport server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "rapport-journal.h"
#include "rapport-sync-private.h"

struct _RapportSyncClient
{
  GObject parent_instance;

  RapportStore *store;
  char *server_url;         /* without a trailing slash */
  SoupSession *session;

  char *user;               /* login name */
  char *user_id;            /* the server's id of that user, when known */
  char *display_name;
  char *token;
  char *password;           /* only while this process runs, for renewals */
  JsonObject *login_user;
  gboolean use_keyring;

  double progress;
  gboolean busy;
  GArray *timings;
  guint request_timeout_s;
};

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SERVER_URL,
  PROP_USER,
  PROP_SIGNED_IN,
  PROP_PROGRESS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RapportSyncClient, rapport_sync_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (rapport-sync-error-quark, rapport_sync_error)

/* A transport failure (a reset, a cut, a server restarting) is retried
 * once, after a pause of about this long: every request of the protocol is
 * safe to repeat (pushes are idempotent by change id). */
#define RETRY_DELAY_MS 250
/* A request not answered in this time is given up (and retried once): a
 * sync must never wait forever, whatever happens to a connection. */
#define REQUEST_WATCHDOG_S 120

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

static SoupSession *
new_session (void)
{
  g_autofree char *agent = g_strdup_printf ("Rapport/%s ", PACKAGE_VERSION);

  return soup_session_new_with_options ("user-agent", agent, "timeout", 120, "idle-timeout", 60,
                                        NULL);
}

static char *
normalize_url (const char *url)
{
  char *copy = g_strdup (url ? url : "");
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
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
      self->session = new_session ();
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
          g_autoptr (GSource) pause = g_timeout_source_new (RETRY_DELAY_MS / 2
                                                            + g_random_int_range (0, RETRY_DELAY_MS));
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

/* GObject ------------------------------------------------------------------- */

static void
rapport_sync_client_finalize (GObject *object)
{
  RapportSyncClient *self = RAPPORT_SYNC_CLIENT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_free (self->server_url);
  g_free (self->user);
  g_free (self->user_id);
  g_free (self->display_name);
  g_free (self->token);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_clear_pointer (&self->login_user, json_object_unref);
  g_clear_pointer (&self->timings, g_array_unref);

  G_OBJECT_CLASS (rapport_sync_client_parent_class)->finalize (object);
}

static void
rapport_sync_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RapportSyncClient *self = RAPPORT_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, rapport_sync_client_is_signed_in (self));
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rapport_sync_client_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  RapportSyncClient *self = RAPPORT_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SERVER_URL:
      rapport_sync_client_set_server_url (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rapport_sync_client_class_init (RapportSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rapport_sync_client_finalize;
  object_class->get_property = rapport_sync_client_get_property;
  object_class->set_property = rapport_sync_client_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RAPPORT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, -1.0, 1.0, -1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rapport_sync_client_init (RapportSyncClient *self)
{
  self->session = new_session ();
  self->use_keyring = TRUE;
  self->progress = -1.0;
  self->request_timeout_s = REQUEST_WATCHDOG_S;
}

/* Public API ---------------------------------------------------------------- */

/**
 * rapport_sync_client_new:
 * @server_url: (nullable): e.g. "https://rapport.example.com"
 *
 * Returns: (transfer full): a client that syncs @store with the server.
 */
RapportSyncClient *
rapport_sync_client_new (RapportStore *store, const char *server_url)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  return g_object_new (RAPPORT_TYPE_SYNC_CLIENT, "store", store, "server-url", server_url, NULL);
}

RapportStore *
rapport_sync_client_get_store (RapportSyncClient *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (self), NULL);
  return self->store;
}

const char *
rapport_sync_client_get_server_url (RapportSyncClient *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (self), NULL);
  return self->server_url;
}

void
rapport_sync_client_set_server_url (RapportSyncClient *self, const char *server_url)
{
  g_autofree char *url = normalize_url (server_url);

  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));

  if (g_strcmp0 (url, self->server_url) == 0)
    return;
  g_free (self->server_url);
  self->server_url = g_steal_pointer (&url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  /* A session belongs to the server that opened it. */
  if (self->token != NULL)
    rapport_sync_client_set_token (self, self->user, NULL);
}

const char *
rapport_sync_client_get_user (RapportSyncClient *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (self), NULL);
  return self->user;
}

/**
 * rapport_sync_client_get_user_id:
 *
 * Returns: (nullable): the server's id of the signed-in user, known after a
 *   login in this process or a first sync.
 */
const char *
rapport_sync_client_get_user_id (RapportSyncClient *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (self), NULL);
  return self->user_id;
}

gboolean
rapport_sync_client_is_signed_in (RapportSyncClient *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (self), FALSE);
  return self->token != NULL;
}

/**
 * rapport_sync_client_get_progress:
 *
 * Returns: how far the running pull is (0 to 1) when that is known, -1
 *   otherwise.
 */
double
rapport_sync_client_get_progress (RapportSyncClient *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (self), -1.0);
  return self->progress;
}

gboolean
rapport_sync_client_get_busy (RapportSyncClient *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (self), FALSE);
  return self->busy;
}

void
rapport_sync_client_set_progress (RapportSyncClient *self, double progress)
{
  progress = CLAMP (progress, -1.0, 1.0);
  if (progress == self->progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_busy (RapportSyncClient *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
rapport_sync_client_set_use_keyring (RapportSyncClient *self, gboolean use_keyring)
{
  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));
  self->use_keyring = use_keyring;
}

/**
 * rapport_sync_client_set_token:
 * @user: the login name the token belongs to
 * @token: (nullable): a session token, %NULL to forget it
 *
 * Uses a token obtained elsewhere (tests, scripts) instead of a login.
 */
void
rapport_sync_client_set_token (RapportSyncClient *self, const char *user, const char *token)
{
  gboolean was_signed_in;

  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));

  was_signed_in = self->token != NULL;
  if (g_strcmp0 (user, self->user) != 0)
    {
      g_free (self->user);
      self->user = g_strdup (user);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
    }
  g_free (self->token);
  self->token = g_strdup (token);
  if (was_signed_in != (token != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

const char *
rapport_sync_client_get_token (RapportSyncClient *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (self), NULL);
  return self->token;
}

const char *
rapport_sync_client_get_password (RapportSyncClient *self)
{
  return self->password;
}

const char *
rapport_sync_client_get_display_name (RapportSyncClient *self)
{
  return self->display_name;
}

JsonObject *
rapport_sync_client_get_login_user (RapportSyncClient *self)
{
  return self->login_user;
}

void
rapport_sync_client_set_request_timeout (RapportSyncClient *self, guint seconds)
{
  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));
  g_return_if_fail (seconds > 0);
  self->request_timeout_s = seconds;
}

void
rapport_sync_client_record_timings (RapportSyncClient *self, GArray *durations)
{
  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));
  g_clear_pointer (&self->timings, g_array_unref);
  if (durations != NULL)
    self->timings = g_array_ref (durations);
}

/* Login ----------------------------------------------------------------------- */

typedef struct
{
  char *user;
  char *password;
} Login;

static void
login_free (Login *login)
{
  g_free (login->user);
  if (login->password != NULL)
    memset (login->password, 0, strlen (login->password));
  g_free (login->password);
  g_free (login);
}

static void
token_stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  /* Without a keyring the session lasts as long as the program. */
  if (!rapport_sync_token_store_finish (result, &error))
    g_info ("The session token could not be kept in the keyring: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
login_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RapportSyncClient *self = g_task_get_source_object (task);
  Login *login = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = NULL;
  JsonObject *user = NULL;
  const char *token = NULL;
  GCancellable *cancellable;

  answer = rapport_sync_client_request_finish (self, result, NULL, &error);
  if (answer == NULL)
    {
      if (g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&error);
          g_set_error (&error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_UNAUTHORIZED,
                       _("The user name or password is wrong. Check them and sign in again"));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  token = json_object_get_string_member_with_default (answer, "token", NULL);
  if (json_object_has_member (answer, "user")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "user")))
    user = json_object_get_object_member (answer, "user");
  if (token == NULL || *token == '\0' || user == NULL
      || json_object_get_string_member_with_default (user, "id", NULL) == NULL)
    {
      g_task_return_new_error (task, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_PROTOCOL,
                               _("%s did not answer the sign-in like a Rapport server. Check "
                                 "the server address"), self->server_url);
      return;
    }

  rapport_sync_client_set_token (self, login->user, token);
  g_free (self->user_id);
  self->user_id = g_strdup (json_object_get_string_member (user, "id"));
  g_free (self->display_name);
  self->display_name = g_strdup (json_object_get_string_member_with_default (user, "display_name", NULL));
  g_clear_pointer (&self->login_user, json_object_unref);
  self->login_user = json_object_ref (user);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (login->password);

  if (!self->use_keyring)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  rapport_sync_token_store_async (self->server_url, self->user, token, cancellable,
                                  token_stored_cb, g_steal_pointer (&task));
}

/**
 * rapport_sync_client_login_async:
 *
 * Signs in with a user name and password (POST /v1/login). The token is kept
 * in the keyring unless that is turned off; the password is not kept there.
 */
void
rapport_sync_client_login_async (RapportSyncClient *self, const char *user, const char *password,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *body = NULL;
  Login *login;

  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));
  g_return_if_fail (user != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rapport_sync_client_login_async);
  login = g_new0 (Login, 1);
  login->user = g_strdup (user);
  login->password = g_strdup (password);
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  rapport_sync_client_request_async (self, "POST", "/v1/login", body, FALSE, cancellable,
                                     login_done_cb, g_steal_pointer (&task));
  memset (body, 0, strlen (body));
}

gboolean
rapport_sync_client_login_finish (RapportSyncClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
token_found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RapportSyncClient *self = g_task_get_source_object (task);
  const char *user = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *token = rapport_sync_token_lookup_finish (result, &error);

  if (token == NULL)
    {
      if (error != NULL)
        g_task_return_new_error (task, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_NOT_SIGNED_IN,
                                 _("The keyring could not be read (%s). Sign in again in "
                                   "Preferences"), error->message);
      else
        g_task_return_new_error (task, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_NOT_SIGNED_IN,
                                 _("Not signed in to %s. Sign in in Preferences"),
                                 self->server_url);
      return;
    }
  rapport_sync_client_set_token (self, user, token);
  g_task_return_boolean (task, TRUE);
}

void
rapport_sync_client_restore_session_async (RapportSyncClient *self, const char *user,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));
  g_return_if_fail (user != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rapport_sync_client_restore_session_async);
  g_task_set_task_data (task, g_strdup (user), g_free);
  rapport_sync_token_lookup_async (self->server_url, user, cancellable, token_found_cb,
                                   g_steal_pointer (&task));
}

gboolean
rapport_sync_client_restore_session_finish (RapportSyncClient *self, GAsyncResult *result,
                                            GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
token_cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!rapport_sync_token_clear_finish (result, &error))
    g_info ("The session token could not be removed from the keyring: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
logout_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RapportSyncClient *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = rapport_sync_client_request_finish (self, result, NULL, &error);
  g_autofree char *user = g_strdup (self->user);
  GCancellable *cancellable;

  /* Signed out locally even when the server could not be told. */
  if (answer == NULL)
    g_info ("The server could not be told about the sign-out: %s", error->message);
  rapport_sync_client_set_token (self, self->user, NULL);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  if (!self->use_keyring || user == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  rapport_sync_token_clear_async (self->server_url, user, cancellable, token_cleared_cb,
                                  g_steal_pointer (&task));
}

void
rapport_sync_client_logout_async (RapportSyncClient *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rapport_sync_client_logout_async);
  rapport_sync_client_request_async (self, "POST", "/v1/logout", "{}", TRUE, cancellable,
                                     logout_done_cb, g_steal_pointer (&task));
}

gboolean
rapport_sync_client_logout_finish (RapportSyncClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sync ------------------------------------------------------------------------ */

typedef struct
{
  RapportSyncStats stats;
  gboolean renewed;
} SyncData;

static void sync_run_done_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* A token the server no longer accepts is of no use: forget it, and say so. */
static void
signed_out (RapportSyncClient *self, GError **error)
{
  rapport_sync_client_set_token (self, self->user, NULL);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_prefix_error (error, _("Signed out: "));
}

static void
sync_relogin_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RapportSyncClient *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  GCancellable *cancellable;

  if (!rapport_sync_client_login_finish (self, result, &error))
    {
      set_busy (self, FALSE);
      if (g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_UNAUTHORIZED))
        signed_out (self, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  rapport_sync_engine_run_async (self, cancellable, sync_run_done_cb, g_steal_pointer (&task));
}

static void
add_stats (RapportSyncStats *total, const RapportSyncStats *more)
{
  total->pushed += more->pushed;
  total->pulled += more->pulled;
  total->refused += more->refused;
  total->conflicts += more->conflicts;
  total->restored += more->restored;
}

static void
sync_run_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RapportSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  RapportSyncStats stats = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean ok = rapport_sync_engine_run_finish (result, &stats, &error);

  add_stats (&data->stats, &stats);
  /* An expired session is renewed once when the password is at hand. */
  if (!ok && !data->renewed && self->password != NULL && self->user != NULL
      && g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_UNAUTHORIZED))
    {
      g_autofree char *password = g_strdup (self->password);
      GCancellable *cancellable = g_task_get_cancellable (task);

      data->renewed = TRUE;
      rapport_sync_client_login_async (self, self->user, password, cancellable, sync_relogin_cb,
                                       g_steal_pointer (&task));
      return;
    }
  set_busy (self, FALSE);
  rapport_sync_client_set_progress (self, -1.0);
  if (!ok)
    {
      if (g_error_matches (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_UNAUTHORIZED))
        signed_out (self, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * rapport_sync_client_sync_async:
 *
 * One sync: sends the journal in batches, records refusals and lost writes,
 * then pulls every page after the stored cursor, applying each page and
 * moving the cursor in one transaction. A server restored from a backup (a
 * new epoch) is given back everything this desktop knows first.
 */
void
rapport_sync_client_sync_async (RapportSyncClient *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rapport_sync_client_sync_async);
  g_task_set_task_data (task, g_new0 (SyncData, 1), g_free);
  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A sync is already running"));
      return;
    }
  if (self->token == NULL)
    {
      g_task_return_new_error (task, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_NOT_SIGNED_IN,
                               _("Not signed in to a server. Sign in in Preferences to sync"));
      return;
    }
  if (self->user_id == NULL)
    self->user_id = rapport_store_get_state (self->store, RAPPORT_SYNC_STATE_USER_ID);
  set_busy (self, TRUE);
  rapport_sync_engine_run_async (self, cancellable, sync_run_done_cb, g_steal_pointer (&task));
}

gboolean
rapport_sync_client_sync_finish (RapportSyncClient *self, GAsyncResult *result,
                                 RapportSyncStats *stats, GError **error)
{
  SyncData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (stats != NULL)
    *stats = data->stats;
  return g_task_propagate_boolean (G_TASK (result), error);
}
