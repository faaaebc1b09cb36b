/* rapport-server-config.c: settings from the config file and the command line */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-error.h"
#include "rapport-server-config.h"

#define DAY (24 * 60 * 60)

RapportServerConfig *
rapport_server_config_new (void)
{
  RapportServerConfig *config = g_new0 (RapportServerConfig, 1);

  config->port = -1;
  config->token_idle_seconds = 14 * DAY;
  config->token_lifetime_seconds = 90 * DAY;
  config->login_failures_per_minute = 10;
  return config;
}

void
rapport_server_config_free (RapportServerConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->data_dir);
  g_free (config->listen);
  g_free (config->tls_cert);
  g_free (config->tls_key);
  g_free (config);
}

static void
load_string (GKeyFile *file, const char *key, char **value)
{
  g_autofree char *text = g_key_file_get_string (file, RAPPORT_SERVER_CONFIG_GROUP, key, NULL);

  if (text != NULL && *g_strstrip (text) != '\0' && *value == NULL)
    *value = g_steal_pointer (&text);
}

static gboolean
load_int (GKeyFile *file, const char *path, const char *key, gint64 min, gint64 max, gint64 *value,
          GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gint64 v;

  if (!g_key_file_has_key (file, RAPPORT_SERVER_CONFIG_GROUP, key, NULL))
    return TRUE;
  v = g_key_file_get_int64 (file, RAPPORT_SERVER_CONFIG_GROUP, key, &local_error);
  if (local_error != NULL || v < min || v > max)
    {
      g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s: “%s” must be a whole number from %s to %s"), path, key, low, high);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

gboolean
rapport_server_config_load (RapportServerConfig *config, const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  gint64 port = config->port, failures = config->login_failures_per_minute;

  g_return_val_if_fail (config != NULL && path != NULL, FALSE);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("Could not read the config file %s: %s"), path, local_error->message);
      return FALSE;
    }
  /* Values already set came from the command line and win. */
  load_string (file, "data-dir", &config->data_dir);
  load_string (file, "listen", &config->listen);
  load_string (file, "tls-cert", &config->tls_cert);
  load_string (file, "tls-key", &config->tls_key);
  if (config->port < 0 && !load_int (file, path, "port", 0, 65535, &port, error))
    return FALSE;
  config->port = (int) port;
  if (!load_int (file, path, "token-idle-seconds", 1, G_MAXINT32, &config->token_idle_seconds, error)
      || !load_int (file, path, "token-lifetime-seconds", 1, G_MAXINT32,
                    &config->token_lifetime_seconds, error)
      || !load_int (file, path, "login-failures-per-minute", 1, 100000, &failures, error))
    return FALSE;
  config->login_failures_per_minute = (guint) failures;
  return TRUE;
}

gboolean
rapport_server_config_finish (RapportServerConfig *config, GError **error)
{
  const char *env = g_getenv ("RAPPORT_SERVER_DATA_DIR");

  if (config->data_dir == NULL)
    config->data_dir = g_strdup (env && *env ? env : RAPPORT_SERVER_DEFAULT_DATA_DIR);
  if (config->listen == NULL)
    config->listen = g_strdup ("127.0.0.1");
  if (config->port < 0)
    config->port = config->tls_cert != NULL ? 8443 : 8080;
  if ((config->tls_cert == NULL) != (config->tls_key == NULL))
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("Give both a TLS certificate and its key (tls-cert and tls-key), or neither"));
      return FALSE;
    }
  return TRUE;
}

char *
rapport_server_config_db_path (RapportServerConfig *config)
{
  return g_build_filename (config->data_dir, "server.db", NULL);
}

gint64
rapport_server_now (void)
{
  const char *file = g_getenv ("RAPPORT_SERVER_NOW_FILE");
  g_autofree char *text = NULL;

  if (file != NULL && *file != '\0' && g_file_get_contents (file, &text, NULL, NULL))
    {
      gint64 value = g_ascii_strtoll (g_strstrip (text), NULL, 10);
      if (value > 0)
        return value;
    }
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
rapport_server_config_add_options (RapportServerConfig *config, GOptionContext *context,
                                   char **config_file)
{
  GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &config->data_dir,
      N_("Folder of the server store (default $RAPPORT_SERVER_DATA_DIR or /var/lib/rapport-server)"),
      N_("DIR") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, config_file,
      N_("Read settings from this file (group [server]); options given here win"), N_("FILE") },
    { NULL },
  };
  GOptionGroup *group = g_option_group_new ("common", _("Common options"), _("Show common options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);
}

gboolean
rapport_server_config_setup (RapportServerConfig *config, const char *config_file, GError **error)
{
  if (config_file != NULL && !rapport_server_config_load (config, config_file, error))
    return FALSE;
  return rapport_server_config_finish (config, error);
}
