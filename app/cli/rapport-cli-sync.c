/* rapport-cli-sync.c: rapport-cli sync, one sync with a Rapport server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rapport-cli-private.h"
#include "rapport-sync-client.h"

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
  RapportSyncStats stats;
} Pending;

static void
login_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;

  p->ok = rapport_sync_client_login_finish (RAPPORT_SYNC_CLIENT (source), result, &p->error);
  p->done = TRUE;
}

static void
sync_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;

  p->ok = rapport_sync_client_sync_finish (RAPPORT_SYNC_CLIENT (source), result, &p->stats,
                                           &p->error);
  p->done = TRUE;
}

static void
wait_for (Pending *p)
{
  while (!p->done)
    g_main_context_iteration (NULL, TRUE);
}

/* The password: $RAPPORT_PASSWORD, or the first line of --password-file
 * ("-" reads standard input). Never a command-line argument. */
static char *
read_password (const char *file, GError **error)
{
  g_autofree char *text = NULL;
  const char *env = g_getenv ("RAPPORT_PASSWORD");
  char *newline;

  if (file == NULL)
    {
      if (env == NULL || *env == '\0')
        {
          g_set_error_literal (error, RAPPORT_CLI_ERROR, RAPPORT_CLI_ERROR_USAGE,
                               _("no password: set RAPPORT_PASSWORD or give --password-file FILE"));
          return NULL;
        }
      return g_strdup (env);
    }
  if (g_str_equal (file, "-"))
    {
      char line[4096] = "";

      if (fgets (line, sizeof line, stdin) == NULL)
        line[0] = '\0';
      text = g_strdup (line);
      memset (line, 0, sizeof line);
    }
  else if (!g_file_get_contents (file, &text, NULL, error))
    return NULL;
  newline = strpbrk (text, "\r\n");
  if (newline != NULL)
    *newline = '\0';
  if (*text == '\0')
    {
      g_set_error (error, RAPPORT_CLI_ERROR, RAPPORT_CLI_ERROR_USAGE,
                   _("the password file %s is empty"), file);
      return NULL;
    }
  return g_steal_pointer (&text);
}

static void
print_summary (RapportCli *cli, const RapportSyncStats *stats)
{
  if (cli->json)
    {
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "pushed", stats->pushed);
      json_object_set_int_member (object, "pulled", stats->pulled);
      json_object_set_int_member (object, "refused", stats->refused);
      json_object_set_int_member (object, "conflicts", stats->conflicts);
      json_object_set_int_member (object, "restored", stats->restored);
      rapport_cli_print_json_object (object);  /* takes it */
      return;
    }
  /* TRANSLATORS: a summary after a sync; the counts are changes */
  g_print (_("pushed %u, pulled %u, refused %u, conflicts %u"), stats->pushed, stats->pulled,
           stats->refused, stats->conflicts);
  if (stats->restored > 0)
    g_print (_(", re-sent %u to a server restored from a backup"), stats->restored);
  g_print ("\n");
}

/* sync --server URL --user NAME [--password-file FILE] [--json] */
int
rapport_cli_sync (RapportCli *cli, char **argv)
{
  g_autofree char *server = NULL, *user = NULL, *password_file = NULL;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The server, e.g. https://rapport.example.com"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Your user name on the server"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the password from the first line of FILE (- for standard input) instead of $RAPPORT_PASSWORD"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportSyncClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *password = NULL;
  g_auto (GStrv) args = NULL;
  RapportStore *store;
  Pending login = { 0 }, sync = { 0 };
  int status;

  status = rapport_cli_parse (cli, argv, entries, NULL,
                              N_("Send this desktop's changes to a Rapport server and receive "
                                 "everyone else's."),
                              RAPPORT_CLI_PARSE_JSON, 0, 0, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (server == NULL || *server == '\0')
    return rapport_cli_usage_error (cli, _("give the server with --server URL"));
  if (user == NULL || *user == '\0')
    return rapport_cli_usage_error (cli, _("give your user name with --user NAME"));
  password = read_password (password_file, &error);
  if (password == NULL || (store = rapport_cli_get_store (cli, &error)) == NULL)
    return rapport_cli_fail (cli, error);

  client = rapport_sync_client_new (store, server);
  rapport_sync_client_set_use_keyring (client, FALSE);
  rapport_sync_client_login_async (client, user, password, NULL, login_cb, &login);
  memset (password, 0, strlen (password));
  wait_for (&login);
  if (!login.ok)
    {
      status = rapport_cli_fail (cli, login.error);
      g_clear_error (&login.error);
      return status;
    }

  rapport_sync_client_sync_async (client, NULL, sync_cb, &sync);
  wait_for (&sync);
  print_summary (cli, &sync.stats);
  if (!sync.ok)
    {
      status = rapport_cli_fail (cli, sync.error);
      g_clear_error (&sync.error);
      return status;
    }
  return RAPPORT_CLI_EXIT_OK;
}
