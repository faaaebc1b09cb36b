/* rapport-sync-session.c: signing in and out, and running a sync for the client */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-journal.h"
#include "rapport-sync-client-private.h"

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
      rapport_sync_client_set_busy (self, FALSE);
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
  rapport_sync_client_set_busy (self, FALSE);
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
  rapport_sync_client_set_busy (self, TRUE);
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
