/* rapport-sync-client.c: one desktop's session with a Rapport server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-journal.h"
#include "rapport-sync-client-private.h"

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

static char *
normalize_url (const char *url)
{
  char *copy = g_strdup (url ? url : "");
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
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
  g_clear_pointer (&self->prefetched, json_object_unref);
  g_free (self->prefetched_epoch);

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
  self->session = rapport_sync_client_new_session ();
  self->use_keyring = TRUE;
  self->progress = -1.0;
  self->request_timeout_s = RAPPORT_SYNC_REQUEST_WATCHDOG_S;
  self->pull_page = RAPPORT_SYNC_PULL_PAGE;
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

void
rapport_sync_client_set_busy (RapportSyncClient *self, gboolean busy)
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

/* Fewer changes per pull than the server's maximum: tests see several
 * pages without storing thousands of records. */
void
rapport_sync_client_set_pull_page (RapportSyncClient *self, guint changes)
{
  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));
  g_return_if_fail (changes > 0 && changes <= RAPPORT_SYNC_PULL_PAGE);
  self->pull_page = changes;
}

guint
rapport_sync_client_get_pull_page (RapportSyncClient *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (self), RAPPORT_SYNC_PULL_PAGE);
  return self->pull_page;
}

void
rapport_sync_client_record_timings (RapportSyncClient *self, GArray *durations)
{
  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));
  g_clear_pointer (&self->timings, g_array_unref);
  if (durations != NULL)
    self->timings = g_array_ref (durations);
}

void
rapport_sync_client_set_prefetched (RapportSyncClient *self, gint64 after, JsonObject *answer,
                                    const char *epoch)
{
  g_return_if_fail (RAPPORT_IS_SYNC_CLIENT (self));
  g_return_if_fail (answer != NULL && epoch != NULL);

  g_clear_pointer (&self->prefetched, json_object_unref);
  g_free (self->prefetched_epoch);
  self->prefetched = json_object_ref (answer);
  self->prefetched_epoch = g_strdup (epoch);
  self->prefetched_after = after;
}

JsonObject *
rapport_sync_client_take_prefetched (RapportSyncClient *self, gint64 after, char **epoch)
{
  g_autoptr (JsonObject) answer = g_steal_pointer (&self->prefetched);
  g_autofree char *answer_epoch = g_steal_pointer (&self->prefetched_epoch);

  g_return_val_if_fail (RAPPORT_IS_SYNC_CLIENT (self), NULL);
  if (answer == NULL || self->prefetched_after != after)
    return NULL;
  *epoch = g_steal_pointer (&answer_epoch);
  return g_steal_pointer (&answer);
}
