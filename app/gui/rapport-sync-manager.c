/* rapport-sync-manager.c: the app's one sync client and scheduler, and signing in */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-journal.h"
#include "rapport-records.h"
#include "rapport-sync-manager.h"

/* The end of the last successful sync, in the store's sync_state table, so
 * Preferences can say it after a restart. */
#define LAST_SYNCED_KEY "gui_last_synced"

struct _RapportSyncManager
{
  GObject parent_instance;

  RapportStore *store;
  GSettings *settings;          /* nullable */
  char *server_url;             /* as last signed in with, "" when none */
  char *user;

  RapportSyncClient *client;    /* made when first needed */
  RapportSyncScheduler *scheduler;
  GCancellable *cancellable;    /* restoring the session */
  gboolean use_keyring;
  gboolean active;
  gint64 last_synced;
};

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_SCHEDULER,
  PROP_SERVER_URL,
  PROP_USER,
  PROP_SIGNED_IN,
  PROP_ACTIVE,
  PROP_LAST_SYNCED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RapportSyncManager, rapport_sync_manager, G_TYPE_OBJECT)

/* Helpers ------------------------------------------------------------------- */

static void
set_string (RapportSyncManager *self, char **field, const char *value, GParamSpec *pspec)
{
  if (g_strcmp0 (*field, value ? value : "") == 0)
    return;
  g_free (*field);
  *field = g_strdup (value ? value : "");
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
set_active (RapportSyncManager *self, gboolean active)
{
  if (active)
    rapport_sync_scheduler_start (self->scheduler);
  else if (self->scheduler != NULL)
    rapport_sync_scheduler_stop (self->scheduler);
  if (self->active == active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
signed_in_cb (RapportSyncManager *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

static void
last_synced_cb (RapportSyncManager *self)
{
  gint64 at = rapport_sync_scheduler_get_last_synced (self->scheduler);
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, at);
  g_autoptr (GError) error = NULL;

  if (at <= 0 || at == self->last_synced)
    return;
  self->last_synced = at;
  if (!rapport_store_set_state (self->store, LAST_SYNCED_KEY, text, &error))
    g_warning ("Could not note the time of the last sync: %s", error->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED]);
}

/* The client and the scheduler, made once and kept: the server address
 * may change, the objects do not. */
static void
ensure_client (RapportSyncManager *self, const char *server_url)
{
  if (self->client != NULL)
    {
      rapport_sync_client_set_server_url (self->client, server_url);
      return;
    }
  self->client = rapport_sync_client_new (self->store, server_url);
  rapport_sync_client_set_use_keyring (self->client, self->use_keyring);
  g_signal_connect_object (self->client, "notify::signed-in", G_CALLBACK (signed_in_cb), self,
                           G_CONNECT_SWAPPED);
  self->scheduler = rapport_sync_scheduler_new (self->client);
  g_signal_connect_object (self->scheduler, "notify::last-synced", G_CALLBACK (last_synced_cb),
                           self, G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULER]);
}

static void
save_account (RapportSyncManager *self, const char *server_url, const char *user)
{
  set_string (self, &self->server_url, server_url, properties[PROP_SERVER_URL]);
  set_string (self, &self->user, user, properties[PROP_USER]);
  if (self->settings == NULL)
    return;
  g_settings_set_string (self->settings, "sync-server-url", self->server_url);
  g_settings_set_string (self->settings, "sync-user", self->user);
}

/* Callbacks ------------------------------------------------------------------ */

static void
session_restored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportSyncManager) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!rapport_sync_client_restore_session_finish (RAPPORT_SYNC_CLIENT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Syncing stays on, so the header bar says to sign in again. */
      g_info ("No sync session to restore: %s", error->message);
    }
  set_active (self, TRUE);
}

static void
login_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RapportSyncManager *self = g_task_get_source_object (task);
  RapportSyncClient *client = RAPPORT_SYNC_CLIENT (source);
  g_autoptr (GError) error = NULL;

  if (!rapport_sync_client_login_finish (client, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  save_account (self, rapport_sync_client_get_server_url (client),
                rapport_sync_client_get_user (client));
  set_active (self, TRUE);
  rapport_sync_scheduler_sync_now (self->scheduler);
  g_task_return_boolean (task, TRUE);
}

static void
logout_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RapportSyncManager *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;

  /* The client signs out locally even when the server cannot be told. */
  if (!rapport_sync_client_logout_finish (RAPPORT_SYNC_CLIENT (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Signed out on purpose: nothing to restore at the next start; the
   * server address stays for the next sign-in. */
  set_string (self, &self->user, "", properties[PROP_USER]);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "sync-user", "");
  g_task_return_boolean (task, TRUE);
}

/* GObject -------------------------------------------------------------------- */

static void
rapport_sync_manager_dispose (GObject *object)
{
  RapportSyncManager *self = RAPPORT_SYNC_MANAGER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->scheduler != NULL)
    rapport_sync_scheduler_stop (self->scheduler);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (rapport_sync_manager_parent_class)->dispose (object);
}

static void
rapport_sync_manager_finalize (GObject *object)
{
  RapportSyncManager *self = RAPPORT_SYNC_MANAGER (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_free (self->server_url);
  g_free (self->user);
  G_OBJECT_CLASS (rapport_sync_manager_parent_class)->finalize (object);
}

static void
rapport_sync_manager_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  RapportSyncManager *self = RAPPORT_SYNC_MANAGER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SCHEDULER:
      g_value_set_object (value, self->scheduler);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, rapport_sync_manager_get_signed_in (self));
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_LAST_SYNCED:
      g_value_set_int64 (value, self->last_synced);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rapport_sync_manager_class_init (RapportSyncManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = rapport_sync_manager_dispose;
  object_class->finalize = rapport_sync_manager_finalize;
  object_class->get_property = rapport_sync_manager_get_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, RAPPORT_TYPE_SYNC_CLIENT, flags);
  properties[PROP_SCHEDULER] =
    g_param_spec_object ("scheduler", NULL, NULL, RAPPORT_TYPE_SYNC_SCHEDULER, flags);
  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, "", flags);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, "", flags);
  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);
  properties[PROP_LAST_SYNCED] =
    g_param_spec_int64 ("last-synced", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rapport_sync_manager_init (RapportSyncManager *self)
{
  self->use_keyring = TRUE;
  self->cancellable = g_cancellable_new ();
  self->server_url = g_strdup ("");
  self->user = g_strdup ("");
}

/* Public API ------------------------------------------------------------------ */

RapportSyncManager *
rapport_sync_manager_new (RapportStore *store, GSettings *settings)
{
  RapportSyncManager *self;
  g_autofree char *last = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RAPPORT_TYPE_SYNC_MANAGER, NULL);
  self->store = g_object_ref (store);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_free (self->server_url);
      self->server_url = g_settings_get_string (settings, "sync-server-url");
      g_free (self->user);
      self->user = g_settings_get_string (settings, "sync-user");
    }
  last = rapport_store_get_state (store, LAST_SYNCED_KEY);
  if (last != NULL)
    self->last_synced = g_ascii_strtoll (last, NULL, 10);
  return self;
}

RapportStore *
rapport_sync_manager_get_store (RapportSyncManager *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (self), NULL);
  return self->store;
}

RapportSyncClient *
rapport_sync_manager_get_client (RapportSyncManager *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (self), NULL);
  return self->client;
}

RapportSyncScheduler *
rapport_sync_manager_get_scheduler (RapportSyncManager *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (self), NULL);
  return self->scheduler;
}

const char *
rapport_sync_manager_get_server_url (RapportSyncManager *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (self), NULL);
  return self->server_url;
}

const char *
rapport_sync_manager_get_user (RapportSyncManager *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (self), NULL);
  return self->user;
}

gboolean
rapport_sync_manager_get_signed_in (RapportSyncManager *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (self), FALSE);
  return self->client != NULL && rapport_sync_client_is_signed_in (self->client);
}

gboolean
rapport_sync_manager_get_active (RapportSyncManager *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (self), FALSE);
  return self->active;
}

/**
 * rapport_sync_manager_dup_display_name:
 *
 * Returns: (nullable) (transfer full): the signed-in person's name in the
 *   team's directory once it has been pulled, else the user name.
 */
char *
rapport_sync_manager_dup_display_name (RapportSyncManager *self)
{
  const char *user_id;
  g_autoptr (RapportUser) user = NULL;

  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (self), NULL);

  if (!rapport_sync_manager_get_signed_in (self))
    return NULL;
  user_id = rapport_sync_client_get_user_id (self->client);
  if (user_id != NULL)
    user = rapport_store_get_user (self->store, user_id);
  if (user != NULL && user->display_name != NULL && *user->display_name != '\0')
    return g_strdup (user->display_name);
  return g_strdup (rapport_sync_client_get_user (self->client));
}

gint64
rapport_sync_manager_get_last_synced (RapportSyncManager *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (self), 0);
  return self->last_synced;
}

void
rapport_sync_manager_set_use_keyring (RapportSyncManager *self, gboolean use_keyring)
{
  g_return_if_fail (RAPPORT_IS_SYNC_MANAGER (self));

  self->use_keyring = use_keyring;
  if (self->client != NULL)
    rapport_sync_client_set_use_keyring (self->client, use_keyring);
}

void
rapport_sync_manager_start (RapportSyncManager *self)
{
  g_return_if_fail (RAPPORT_IS_SYNC_MANAGER (self));

  if (self->active || *self->server_url == '\0' || *self->user == '\0')
    return;
  ensure_client (self, self->server_url);
  if (!self->use_keyring)
    {
      set_active (self, TRUE);
      return;
    }
  rapport_sync_client_restore_session_async (self->client, self->user, self->cancellable,
                                             session_restored_cb, g_object_ref (self));
}

/**
 * rapport_sync_manager_sync_now:
 *
 * Syncs at once (also ending a backoff); starts syncing first when a server
 * and user are set but syncing is off.
 */
void
rapport_sync_manager_sync_now (RapportSyncManager *self)
{
  g_return_if_fail (RAPPORT_IS_SYNC_MANAGER (self));

  if (!self->active)
    rapport_sync_manager_start (self);
  else
    rapport_sync_scheduler_sync_now (self->scheduler);
}

char *
rapport_sync_normalize_server_url (const char *text, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text ? text : ""));
  g_autofree char *url = NULL;
  g_autoptr (GUri) uri = NULL;

  if (*trimmed == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Enter the address of your team’s server, like https://rapport.example.com"));
      return NULL;
    }
  url = strstr (trimmed, "://") ? g_strdup (trimmed) : g_strconcat ("https://", trimmed, NULL);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0
          && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a server address. Use an address like "
                     "https://rapport.example.com"), trimmed);
      return NULL;
    }
  return g_steal_pointer (&url);
}

void
rapport_sync_manager_sign_in_async (RapportSyncManager *self, const char *server_url,
                                    const char *user, const char *password,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *name = g_strstrip (g_strdup (user ? user : ""));

  g_return_if_fail (RAPPORT_IS_SYNC_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rapport_sync_manager_sign_in_async);
  url = rapport_sync_normalize_server_url (server_url, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (*name == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Enter your user name on the server"));
      return;
    }
  if (password == NULL || *password == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Enter your password"));
      return;
    }
  /* Stop a restore or a sync against the old session first. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  ensure_client (self, url);
  rapport_sync_client_login_async (self->client, name, password, cancellable, login_done_cb,
                                   g_steal_pointer (&task));
}

gboolean
rapport_sync_manager_sign_in_finish (RapportSyncManager *self, GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rapport_sync_manager_sign_out_async (RapportSyncManager *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (RAPPORT_IS_SYNC_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rapport_sync_manager_sign_out_async);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_active (self, FALSE);
  if (self->client == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  rapport_sync_client_logout_async (self->client, cancellable, logout_done_cb,
                                    g_steal_pointer (&task));
}

gboolean
rapport_sync_manager_sign_out_finish (RapportSyncManager *self, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
