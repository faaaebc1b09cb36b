/* rapport-sync-token.c: the session token, kept in the user's keyring */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "rapport-sync-private.h"

/* One token per server and user; the password itself is never stored. */
static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "org.rapport.Rapport.Token",
    SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

void
rapport_sync_token_store_async (const char *server, const char *user, const char *token,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autofree char *label = g_strdup_printf (_("Rapport sync session for %s on %s"), user, server);

  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         callback, user_data, "server", server, "user", user, NULL);
}

gboolean
rapport_sync_token_store_finish (GAsyncResult *result, GError **error)
{
  return secret_password_store_finish (result, error);
}

void
rapport_sync_token_lookup_async (const char *server, const char *user, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  secret_password_lookup (token_schema (), cancellable, callback, user_data, "server", server,
                          "user", user, NULL);
}

/* Returns: (transfer full) (nullable): the token, %NULL when none is kept. */
char *
rapport_sync_token_lookup_finish (GAsyncResult *result, GError **error)
{
  char *secret = secret_password_lookup_finish (result, error);
  char *token = g_strdup (secret);

  secret_password_free (secret);
  return token;
}

void
rapport_sync_token_clear_async (const char *server, const char *user, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  secret_password_clear (token_schema (), cancellable, callback, user_data, "server", server,
                         "user", user, NULL);
}

gboolean
rapport_sync_token_clear_finish (GAsyncResult *result, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  /* Nothing to clear is not a failure. */
  if (!secret_password_clear_finish (result, &local_error) && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
