/* rapport-server-main.c: the rapport-server command: admin commands and serve */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "rapport-server-admin.h"
#include "rapport-server-config.h"
#include "rapport-server-http.h"
#include "rapport-server-sqlite.h"

static gboolean verbose;

/* Every log line goes to stderr (stdout carries only the "listening on"
 * line and command output); requests are logged at info level, shown with
 * --verbose. Nothing secret is ever passed to the log. */
static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  const char *message = NULL;
  const char *prefix;

  if ((level & (G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG)) && !verbose
      && g_log_writer_default_would_drop (level, G_LOG_DOMAIN))
    return G_LOG_WRITER_HANDLED;
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  if (level & G_LOG_LEVEL_ERROR)
    prefix = "error";
  else if (level & G_LOG_LEVEL_CRITICAL)
    prefix = "critical";
  else if (level & G_LOG_LEVEL_WARNING)
    prefix = "warning";
  else if (level & G_LOG_LEVEL_MESSAGE)
    prefix = "note";
  else
    prefix = "info";
  fprintf (stderr, "rapport-server: %s: %s\n", prefix, message ? message : "");
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static int
serve (int argc, char **argv)
{
  g_autoptr (RapportServerConfig) config = rapport_server_config_new ();
  g_autofree char *config_file = NULL;
  g_autoptr (GOptionContext) context = g_option_context_new (_("serve — serve the Rapport sync protocol"));
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportServerSqlite) store = NULL;
  g_autoptr (RapportServerHttp) http = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  gboolean renewed = FALSE;
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &config->listen,
      N_("IP address to listen on (default 127.0.0.1)"), N_("ADDR") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &config->port,
      N_("Port (default 8080, 8443 with TLS; 0 picks a free one)"), N_("N") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &config->tls_cert, N_("TLS certificate (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &config->tls_key, N_("TLS private key (PEM)"), N_("FILE") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Log every request"), NULL },
    { NULL },
  };
  guint term_id, int_id;

  rapport_server_config_add_options (config, context, &config_file);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("rapport-server serve: %s\n", error->message);
      return 2;
    }
  if (config->port > 65535 || config->port < -1)
    {
      g_printerr (_("rapport-server serve: the port must be from 0 to 65535\n"));
      return 2;
    }
  if (!rapport_server_config_setup (config, config_file, &error)
      || (store = rapport_server_sqlite_open (config->data_dir, FALSE, &error)) == NULL
      || !rapport_server_sqlite_check_restored (store, &renewed, &error)
      || (http = rapport_server_http_new (RAPPORT_SERVER_STORE (store), config, &error)) == NULL
      || !rapport_server_http_listen (http, &error))
    {
      g_printerr ("rapport-server serve: %s\n", error->message);
      return 1;
    }
  if (renewed)
    g_message (_("The store in %s is older than the changes it once held: it was restored from a "
                 "backup. New epoch %s: desktops will send back what it lacks."),
               config->data_dir, rapport_server_store_get_epoch (RAPPORT_SERVER_STORE (store)));

  /* Machine-read by scripts and tests: not translated, first line, flushed. */
  g_print ("listening on %s\n", rapport_server_http_get_url (http));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  term_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  int_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (term_id);
  g_source_remove (int_id);

  rapport_server_http_shutdown (http);
  rapport_server_http_wait_idle (http);
  g_message (_("Stopped."));
  return 0;
}

static void
usage (void)
{
  g_printerr (_("Usage: rapport-server COMMAND [OPTIONS]\n\n"
                "Commands:\n"
                "  init                      create the server store and its epoch id\n"
                "  serve                     run the server\n"
                "  user add NAME             add a user (--role, --department, --display-name)\n"
                "  user list                 list the users\n"
                "  user disable|enable NAME  disable (ending their sessions) or enable a user\n"
                "  user set-role NAME ROLE   make a user staff, manager or admin\n"
                "  user passwd NAME          change a password (ending their sessions)\n"
                "  new-epoch                 after restoring a backup by hand: desktops send back all they know\n\n"
                "Passwords are read from a prompt, --password-file FILE or --password-stdin, never from\n"
                "the command line. Every command takes --data-dir DIR and --config FILE; see\n"
                "“rapport-server COMMAND --help”.\n"));
}

int
main (int argc, char **argv)
{
  const char *command = argc > 1 ? argv[1] : NULL;

  setlocale (LC_ALL, "");
  /* RAPPORT_LOCALEDIR lets an uninstalled build use the translations it built. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RAPPORT_LOCALEDIR") && *g_getenv ("RAPPORT_LOCALEDIR")
                                       ? g_getenv ("RAPPORT_LOCALEDIR")
                                       : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_set_prgname ("rapport-server");

  if (command == NULL || g_str_equal (command, "--help") || g_str_equal (command, "-h")
      || g_str_equal (command, "help"))
    {
      usage ();
      return command == NULL ? 2 : 0;
    }
  if (g_str_equal (command, "--version"))
    {
      g_print ("rapport-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_str_equal (command, "serve"))
    return serve (argc - 1, argv + 1);
  if (g_str_equal (command, "init") || g_str_equal (command, "user") || g_str_equal (command, "new-epoch"))
    return rapport_server_admin_run (argc - 1, argv + 1);
  g_printerr (_("rapport-server: unknown command “%s”\n\n"), command);
  usage ();
  return 2;
}
