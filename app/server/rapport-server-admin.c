/* rapport-server-admin.c: the administration commands of rapport-server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "rapport-error.h"
#include "rapport-server-admin.h"
#include "rapport-server-config.h"
#include "rapport-server-crypto.h"
#include "rapport-server-sqlite.h"

typedef struct
{
  RapportServerConfig *config;
  char *config_file;
  char *department;
  char *role;
  char *display_name;
  char *password_file;
  gboolean password_stdin;
} Options;

static void
options_clear (Options *options)
{
  rapport_server_config_free (options->config);
  g_free (options->config_file);
  g_free (options->department);
  g_free (options->role);
  g_free (options->display_name);
  g_free (options->password_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static void
wipe (char *secret)
{
  if (secret != NULL)
    {
      sodium_memzero (secret, strlen (secret));
      g_free (secret);
    }
}

typedef char char_secret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (char_secret, wipe)

static char *
read_line (FILE *file)
{
  g_autoptr (GString) line = g_string_new (NULL);
  int c;

  while ((c = fgetc (file)) != EOF && c != '\n')
    {
      if (line->len > RAPPORT_PASSWORD_MAX_BYTES * 4)
        break;
      g_string_append_c (line, (char) c);
    }
  if (c == EOF && line->len == 0)
    return NULL;
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static char *
prompt (const char *question)
{
  struct termios saved, quiet;
  char *answer;

  fputs (question, stderr);
  fflush (stderr);
  tcgetattr (STDIN_FILENO, &saved);
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  answer = read_line (stdin);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  fputc ('\n', stderr);
  return answer;
}

char *
rapport_server_read_password (const char *file, gboolean from_stdin, gboolean confirm, GError **error)
{
  g_autoptr (char_secret) password = NULL;

  if (file != NULL && from_stdin)
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("Give either --password-file or --password-stdin, not both"));
      return NULL;
    }
  if (file != NULL)
    {
      FILE *f = fopen (file, "r");

      if (f == NULL)
        {
          g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not read the password file %s: %s"),
                       file, g_strerror (errno));
          return NULL;
        }
      password = read_line (f);
      fclose (f);
    }
  else if (from_stdin)
    password = read_line (stdin);
  else if (isatty (STDIN_FILENO))
    {
      g_autoptr (char_secret) again = NULL;

      password = prompt (_("Password: "));
      if (confirm && password != NULL)
        {
          again = prompt (_("Repeat the password: "));
          if (again == NULL || strcmp (password, again) != 0)
            {
              g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                                   _("The two passwords differ; nothing was changed"));
              return NULL;
            }
        }
    }
  else
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("Standard input is not a terminal: give the password with "
                             "--password-stdin or --password-file (never as an argument)"));
      return NULL;
    }
  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID, _("No password was given"));
      return NULL;
    }
  if (!rapport_server_password_check (password, error))
    return NULL;
  return g_steal_pointer (&password);
}

static RapportServerStore *
open_store (Options *options, gboolean create, GError **error)
{
  if (!rapport_server_config_setup (options->config, options->config_file, error))
    return NULL;
  return RAPPORT_SERVER_STORE (rapport_server_sqlite_open (options->config->data_dir, create, error));
}

static gboolean
cmd_init (Options *options, char **args, GError **error)
{
  g_autoptr (RapportServerStore) store = open_store (options, TRUE, error);

  if (store == NULL)
    return FALSE;
  if (!rapport_server_sqlite_is_new (RAPPORT_SERVER_SQLITE (store)))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s already holds a server store (epoch %s); it was left as it was"),
                   options->config->data_dir, rapport_server_store_get_epoch (store));
      return FALSE;
    }
  g_printerr (_("Created the server store in %s (epoch %s).\n"
                "Add users with “rapport-server user add NAME”.\n"),
              options->config->data_dir, rapport_server_store_get_epoch (store));
  return TRUE;
}

static gboolean
cmd_new_epoch (Options *options, char **args, GError **error)
{
  g_autoptr (RapportServerStore) store = open_store (options, FALSE, error);

  if (store == NULL || !rapport_server_store_renew_epoch (store, error))
    return FALSE;
  g_printerr (_("The server has the new epoch %s: every desktop will send back what it knows.\n"),
              rapport_server_store_get_epoch (store));
  return TRUE;
}

static gboolean
check_role (const char *role, GError **error)
{
  if (role != NULL && !rapport_server_role_is_valid (role))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("“%s” is not a role; use staff, manager or admin"), role);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cmd_user_add (Options *options, RapportServerStore *store, char **args, GError **error)
{
  g_autoptr (RapportServerAccount) account = rapport_server_account_new ();
  g_autoptr (char_secret) password = NULL;

  if (!check_role (options->role, error))
    return FALSE;
  if (strlen (args[0]) > 64 || strpbrk (args[0], " \t\n\r/:") != NULL)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("“%s” cannot be a user name: use at most 64 characters without spaces, “/” or “:”"),
                   args[0]);
      return FALSE;
    }
  password = rapport_server_read_password (options->password_file, options->password_stdin, TRUE, error);
  if (password == NULL)
    return FALSE;
  account->name = g_strdup (args[0]);
  account->display_name = g_strdup (options->display_name ? options->display_name : args[0]);
  account->department = g_strdup (options->department);
  g_free (account->role);
  account->role = g_strdup (options->role ? options->role : "staff");
  account->password_hash = rapport_server_password_hash (password, error);
  if (account->password_hash == NULL || !rapport_server_store_add_account (store, account, error))
    return FALSE;
  /* The id alone on standard output, for scripts; the sentence on stderr. */
  g_print ("%s\n", account->id);
  g_printerr (_("Added the user %s (%s).\n"), account->name, account->role);
  return TRUE;
}

static gboolean
cmd_user_list (Options *options, RapportServerStore *store, char **args, GError **error)
{
  g_autoptr (GPtrArray) accounts = rapport_server_store_list_accounts (store, error);

  if (accounts == NULL)
    return FALSE;
  g_print ("%-20s %-8s %-20s %-9s %s\n", _("NAME"), _("ROLE"), _("DEPARTMENT"), _("STATE"), _("ID"));
  for (guint i = 0; i < accounts->len; i++)
    {
      RapportServerAccount *account = accounts->pdata[i];
      g_print ("%-20s %-8s %-20s %-9s %s\n", account->name, account->role,
               account->department ? account->department : "",
               account->disabled ? _("disabled") : _("active"), account->id);
    }
  return TRUE;
}

static gboolean
cmd_user_change (Options *options, RapportServerStore *store, const char *what, char **args,
                 GError **error)
{
  g_autoptr (RapportServerAccount) account = rapport_server_store_find_account (store, args[0], error);
  g_autoptr (char_secret) password = NULL;
  gboolean revoke = FALSE;

  if (account == NULL)
    return FALSE;
  if (g_str_equal (what, "disable") || g_str_equal (what, "enable"))
    {
      account->disabled = g_str_equal (what, "disable");
      revoke = account->disabled;
    }
  else if (g_str_equal (what, "set-role"))
    {
      if (args[1] == NULL)
        {
          g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                               _("Give the new role: rapport-server user set-role NAME staff|manager|admin"));
          return FALSE;
        }
      if (!check_role (args[1], error))
        return FALSE;
      g_free (account->role);
      account->role = g_strdup (args[1]);
    }
  else if (g_str_equal (what, "passwd"))
    {
      password = rapport_server_read_password (options->password_file, options->password_stdin, TRUE, error);
      if (password == NULL)
        return FALSE;
      g_free (account->password_hash);
      account->password_hash = rapport_server_password_hash (password, error);
      if (account->password_hash == NULL)
        return FALSE;
      revoke = TRUE;
    }
  if (options->department != NULL)
    {
      g_free (account->department);
      account->department = g_strdup (options->department);
    }
  if (options->display_name != NULL)
    {
      g_free (account->display_name);
      account->display_name = g_strdup (options->display_name);
    }
  if (!rapport_server_store_update_account (store, account, revoke, error))
    return FALSE;
  if (g_str_equal (what, "disable"))
    g_printerr (_("Disabled %s and ended their sessions.\n"), account->name);
  else if (g_str_equal (what, "passwd"))
    g_printerr (_("Changed the password of %s and ended their sessions.\n"), account->name);
  else
    g_printerr (_("Updated %s.\n"), account->name);
  return TRUE;
}

static gboolean
cmd_user (Options *options, char **args, GError **error)
{
  static const char *const with_name[] = { "add", "disable", "enable", "set-role", "passwd", NULL };
  g_autoptr (RapportServerStore) store = NULL;
  const char *what = args[0];

  if (what == NULL || (!g_str_equal (what, "list") && !g_strv_contains (with_name, what)))
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("Use: rapport-server user add|list|disable|enable|set-role|passwd …"));
      return FALSE;
    }
  if (!g_str_equal (what, "list") && args[1] == NULL)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID, _("Give the user name: rapport-server user %s NAME"),
                   what);
      return FALSE;
    }
  store = open_store (options, FALSE, error);
  if (store == NULL)
    return FALSE;
  if (g_str_equal (what, "add"))
    return cmd_user_add (options, store, args + 1, error);
  if (g_str_equal (what, "list"))
    return cmd_user_list (options, store, args + 1, error);
  return cmd_user_change (options, store, what, args + 1, error);
}

int
rapport_server_admin_run (int argc, char **argv)
{
  g_auto (Options) options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  const char *command = argv[0];
  gboolean ok;
  GOptionEntry user_entries[] = {
    { "department", 0, 0, G_OPTION_ARG_STRING, &options.department, N_("Department of the user"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &options.role, N_("staff (default), manager or admin"), N_("ROLE") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &options.display_name, N_("Name shown to colleagues"), N_("TEXT") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &options.password_file,
      N_("Read the password from the first line of this file"), N_("FILE") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &options.password_stdin,
      N_("Read the password from the first line of standard input"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, NULL },
    { NULL },
  };
  GOptionEntry plain_entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, NULL },
    { NULL },
  };

  options.config = rapport_server_config_new ();
  if (g_str_equal (command, "user"))
    context = g_option_context_new (_("user add|list|disable|enable|set-role|passwd [NAME] [ROLE] — manage users"));
  else
    context = g_option_context_new (g_str_equal (command, "init") ? _("init — create the server store")
                                                                  : _("new-epoch — give the server a new epoch after a restore"));
  rapport_server_config_add_options (options.config, context, &options.config_file);
  g_option_context_add_main_entries (context, g_str_equal (command, "user") ? user_entries : plain_entries,
                                     GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("rapport-server %s: %s\n", command, error->message);
      return 2;
    }
  if (args == NULL)
    args = g_new0 (char *, 1);
  if (g_str_equal (command, "init"))
    ok = cmd_init (&options, args, &error);
  else if (g_str_equal (command, "new-epoch"))
    ok = cmd_new_epoch (&options, args, &error);
  else
    ok = cmd_user (&options, args, &error);
  if (!ok)
    {
      g_printerr ("rapport-server %s: %s\n", command, error->message);
      return 1;
    }
  return 0;
}
