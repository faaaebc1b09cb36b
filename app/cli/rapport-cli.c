/* rapport-cli.c: rapport-cli's entry point and its table of verbs */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rapport-cli-private.h"

/* The verbs of rapport-cli, one line each. A verb gets its own words and
 * parses them with its own GOptionContext (rapport_cli_parse()). */
static const RapportCliVerb verbs[] = {
  { "contact", N_("Add, edit, show, list, delete or restore contacts"), rapport_cli_contact },
  { "search", N_("Find contacts by name, organization, email, phone, tag or note"), rapport_cli_search },
  { "log", N_("Log an interaction with a contact"), rapport_cli_log },
  { "note", N_("Add a note to a contact"), rapport_cli_note },
  { "remind", N_("Set a follow-up reminder for a contact"), rapport_cli_remind },
  { "reminder", N_("Mark a reminder done, or snooze it"), rapport_cli_reminder },
  { "promise", N_("Record a promise, or mark one kept, broken or cancelled"), rapport_cli_promise },
  { "complaint", N_("Record a complaint or feedback, or respond to and resolve one"), rapport_cli_complaint },
  { "timeline", N_("Show everything that happened with a contact"), rapport_cli_timeline },
  { "due", N_("Show what is due for a user"), rapport_cli_due },
  { "backlog", N_("Show the team backlog per owner"), rapport_cli_backlog },
  { "user", N_("Add or list users"), rapport_cli_user },
  { "whoami", N_("Show or set who you are on this desktop"), rapport_cli_whoami },
  { "trash", N_("List the contacts in the Trash"), rapport_cli_trash },
  { "generate", N_("Fill the store with a reference data set"), rapport_cli_generate },
  { "import", N_("Import contacts from a vCard or CSV file"), rapport_cli_import },
  { "export", N_("Export contacts as vCard or CSV, or one contact's whole record as JSON"), rapport_cli_export },
  { "erase", N_("Erase a contact and everything about them, everywhere"), rapport_cli_erase },
  { "backup", N_("Write a consistent copy of the store to a new file"), rapport_cli_backup },
  { "restore", N_("Replace the store with a backup, keeping the store as it was"), rapport_cli_restore },
  { "sync", N_("Sync this desktop with a Rapport server"), rapport_cli_sync },
};

static void
print_usage (RapportCli *cli, const RapportCliVerb *table, guint n_verbs)
{
  g_autoptr (GString) text = g_string_new (NULL);
  gboolean top = strchr (cli->command, ' ') == NULL;
  int width = 0;

  for (guint i = 0; i < n_verbs; i++)
    width = MAX (width, (int) strlen (table[i].name));

  if (top)
    g_string_append_printf (text, _("Usage: %s [--db PATH] COMMAND [OPTION…]"), cli->command);
  else
    g_string_append_printf (text, _("Usage: %s COMMAND [OPTION…]"), cli->command);
  g_string_append (text, "\n\n");
  g_string_append (text, _("Commands:"));
  g_string_append_c (text, '\n');
  for (guint i = 0; i < n_verbs; i++)
    g_string_append_printf (text, "  %-*s  %s\n", width, table[i].name, _(table[i].summary));
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Run “%s COMMAND --help” for the options of a command."),
                          cli->command);
  g_string_append_c (text, '\n');
  if (top)
    {
      g_autofree char *path = rapport_store_default_path ();

      g_string_append_printf (text, _("The store is the file given with --db, or %s."), path);
      g_string_append_c (text, '\n');
    }
  g_print ("%s", text->str);
}

static gboolean
is_help (const char *word)
{
  return g_str_equal (word, "--help") || g_str_equal (word, "-h") || g_str_equal (word, "help");
}

/**
 * rapport_cli_dispatch:
 * @argv: the words of a command group: argv[0] is the group ("rapport-cli",
 *   "contact"), argv[1] the verb
 *
 * Runs the verb of @verbs named by argv[1] with argv[1..]. "help VERB" and
 * "VERB --help" show the verb's options.
 *
 * Returns: the exit status.
 */
int
rapport_cli_dispatch (RapportCli *cli, const RapportCliVerb *table, guint n_verbs, char **argv)
{
  g_autofree char *group_command = g_strdup (cli->command);
  const char *word = argv[1];

  if (word == NULL)
    {
      g_autoptr (GString) names = g_string_new (NULL);

      for (guint i = 0; i < n_verbs; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", table[i].name);
      return rapport_cli_usage_error (cli, _("a command is needed: %s"), names->str);
    }
  if (g_str_equal (word, "help") && argv[2] != NULL && !is_help (argv[2]))
    {
      /* "help contact add" = "contact add --help" */
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
      g_auto (GStrv) words = NULL;

      g_strv_builder_add (builder, argv[0]);
      g_strv_builder_addv (builder, (const char **) argv + 2);
      g_strv_builder_add (builder, "--help");
      words = g_strv_builder_end (builder);
      return rapport_cli_dispatch (cli, table, n_verbs, words);
    }
  if (is_help (word))
    {
      print_usage (cli, table, n_verbs);
      return RAPPORT_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n_verbs; i++)
    if (g_str_equal (table[i].name, word))
      {
        int status;

        rapport_cli_push_command (cli, word);
        status = table[i].run (cli, argv + 1);
        g_free (cli->command);
        cli->command = g_steal_pointer (&group_command);
        return status;
      }

  if (word[0] == '-')
    return rapport_cli_usage_error (cli, _("unknown option “%s” (options go after the command)"),
                                    word);
  return rapport_cli_usage_error (cli, _("“%s” is not a command"), word);
}

/* Like rapport_cli_dispatch(), but words that name no verb (a contact, an
 * option) are handed to @fallback: "promise CONTACT --what S" is short for
 * "promise add CONTACT --what S". */
int
rapport_cli_dispatch_or (RapportCli *cli, const RapportCliVerb *table, guint n_verbs, char **argv,
                         RapportCliVerbFunc fallback)
{
  const char *word = argv[1];

  if (word != NULL && g_str_equal (word, "help"))
    return rapport_cli_dispatch (cli, table, n_verbs, argv);
  for (guint i = 0; word != NULL && i < n_verbs; i++)
    if (g_str_equal (word, table[i].name))
      return rapport_cli_dispatch (cli, table, n_verbs, argv);
  return fallback (cli, argv);
}

/**
 * rapport_cli_run:
 *
 * The whole of rapport-cli: global options (--db PATH, --version), then a
 * verb. Returns the exit status.
 */
int
rapport_cli_run (int argc, char **argv)
{
  RapportCli cli = { 0 };
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) words = NULL;
  gboolean missing_db = FALSE;
  int status;
  int i;

  g_return_val_if_fail (argc >= 1 && argv != NULL, RAPPORT_CLI_EXIT_USAGE);

  setlocale (LC_ALL, "");
  /* RAPPORT_LOCALEDIR lets an uninstalled build use the translations it built. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RAPPORT_LOCALEDIR") && *g_getenv ("RAPPORT_LOCALEDIR")
                                       ? g_getenv ("RAPPORT_LOCALEDIR")
                                       : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("rapport-cli");

  cli.command = g_strdup ("rapport-cli");
  cli.user_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_strv_builder_add (builder, cli.command);
  for (i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--db"))
        {
          if (i + 1 >= argc)
            {
              missing_db = TRUE;
              break;
            }
          g_free (cli.db_path);
          cli.db_path = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          g_free (cli.db_path);
          cli.db_path = g_strdup (argv[i] + strlen ("--db="));
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          g_print ("rapport-cli %s\n", PACKAGE_VERSION);
          i = -1;
          break;
        }
      else
        break;
    }

  if (i < 0)
    status = RAPPORT_CLI_EXIT_OK;
  else if (missing_db || (cli.db_path != NULL && *cli.db_path == '\0'))
    status = rapport_cli_usage_error (&cli, _("--db needs the path of a store file"));
  else
    {
      for (; i < argc; i++)
        g_strv_builder_add (builder, argv[i]);
      words = g_strv_builder_end (builder);
      status = rapport_cli_dispatch (&cli, verbs, G_N_ELEMENTS (verbs), words);
    }

  g_clear_object (&cli.store);
  g_clear_pointer (&cli.user_labels, g_hash_table_unref);
  g_free (cli.db_path);
  g_free (cli.command);
  return status;
}
