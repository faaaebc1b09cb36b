/* rapport-cli-common.c: options, errors, the store and look-ups shared by the verbs */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-cli-private.h"
#include "rapport-time.h"

G_DEFINE_QUARK (rapport-cli-error-quark, rapport_cli_error)

/* Messages are one line: the lines of a multi-line message (a list of
 * matches) are joined with "; ". */
static char *
one_line (const char *message)
{
  g_auto (GStrv) lines = g_strsplit (message, "\n", -1);
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = 0;

  for (char **l = lines; *l; l++)
    {
      g_auto (GStrv) words = g_strsplit_set (g_strstrip (*l), " \t", -1);
      gboolean first = TRUE;

      if (**l == '\0')
        continue;
      if (n > 0)
        g_string_append (text, n == 1 ? " " : "; ");
      for (char **w = words; *w; w++)
        if (**w != '\0')
          {
            g_string_append_printf (text, "%s%s", first ? "" : " ", *w);
            first = FALSE;
          }
      n++;
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
is_usage_error (const GError *error)
{
  return error->domain == G_OPTION_ERROR || error->domain == RAPPORT_CLI_ERROR
         || g_error_matches (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
}

/**
 * rapport_cli_fail:
 *
 * Prints @error as one line on stderr, naming the command.
 *
 * Returns: 2 for a wrong command line or input, 1 for anything else.
 */
int
rapport_cli_fail (RapportCli *cli, const GError *error)
{
  g_autofree char *message = NULL;

  g_return_val_if_fail (cli != NULL && error != NULL, RAPPORT_CLI_EXIT_FAILURE);

  message = one_line (error->message);
  if (error->domain == G_OPTION_ERROR || error->domain == RAPPORT_CLI_ERROR)
    {
      g_autofree char *hint = g_strdup_printf (_("%s; see “%s --help”"), message, cli->command);
      g_printerr ("%s: %s\n", cli->command, hint);
    }
  else
    g_printerr ("%s: %s\n", cli->command, message);
  return is_usage_error (error) ? RAPPORT_CLI_EXIT_USAGE : RAPPORT_CLI_EXIT_FAILURE;
}

int
rapport_cli_usage_error (RapportCli *cli, const char *format, ...)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  error = g_error_new_literal (RAPPORT_CLI_ERROR, RAPPORT_CLI_ERROR_USAGE, message);
  return rapport_cli_fail (cli, error);
}

/* The command named in messages and in --help grows by one word per verb. */
void
rapport_cli_push_command (RapportCli *cli, const char *word)
{
  char *command = g_strconcat (cli->command, " ", word, NULL);

  g_free (cli->command);
  cli->command = command;
  g_set_prgname (cli->command);
}

/**
 * rapport_cli_parse:
 * @argv: the verb's words; argv[0] is the verb
 * @entries: (nullable): the verb's options
 * @parameters: (nullable): N_() text of the positional arguments ("CONTACT")
 * @summary: (nullable): N_() text of what the verb does
 * @min_args: how many positional arguments are needed
 * @max_args: how many are allowed, -1 for any number
 * @out_args: (out): the positional arguments
 *
 * Parses a verb's command line, with --db, --help and (for reading verbs)
 * --json added. On --help, prints the options.
 *
 * Returns: %RAPPORT_CLI_CONTINUE, or the exit status to return at once.
 */
int
rapport_cli_parse (RapportCli *cli, char **argv, const GOptionEntry *entries,
                   const char *parameters, const char *summary, RapportCliParseFlags flags,
                   int min_args, int max_args, GStrv *out_args)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = g_strdupv (argv);
  g_autofree char *db = NULL;
  gboolean help = FALSE;
  int n;
  const GOptionEntry common_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The store file to use"), N_("PATH") },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, N_("Show the options of this command"), NULL },
    G_OPTION_ENTRY_NULL
  };
  const GOptionEntry json_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, RAPPORT_CLI_EXIT_USAGE);
  g_return_val_if_fail (out_args != NULL, RAPPORT_CLI_EXIT_USAGE);

  context = g_option_context_new (parameters ? _(parameters) : NULL);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, _(summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (flags & RAPPORT_CLI_PARSE_JSON)
    g_option_context_add_main_entries (context, json_entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, &args, &error))
    return rapport_cli_fail (cli, error);
  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);
      g_print ("%s", text);
      return RAPPORT_CLI_EXIT_OK;
    }
  if (db != NULL)
    {
      if (*db == '\0')
        return rapport_cli_usage_error (cli, _("--db needs the path of a store file"));
      g_free (cli->db_path);
      cli->db_path = g_steal_pointer (&db);
    }

  n = (int) g_strv_length (args) - 1;
  if (n < min_args)
    return rapport_cli_usage_error (cli, _("missing arguments: %s"),
                                    parameters ? _(parameters) : "");
  if (max_args >= 0 && n > max_args)
    return rapport_cli_usage_error (cli, _("unexpected argument “%s” (quote text that has spaces)"),
                                    args[1 + max_args]);
  *out_args = g_strdupv (args + 1);
  return RAPPORT_CLI_CONTINUE;
}

/**
 * rapport_cli_get_store:
 *
 * Returns: (transfer none): the store, opened on first use.
 */
RapportStore *
rapport_cli_get_store (RapportCli *cli, GError **error)
{
  if (cli->store == NULL)
    cli->store = rapport_store_open (cli->db_path, error);
  return cli->store;
}

gint64
rapport_cli_now (RapportCli *cli)
{
  g_assert (cli->store != NULL);
  return rapport_store_now (cli->store);
}

/**
 * rapport_cli_ensure_me:
 *
 * Writes are attributed to "me". The first write on a desktop where nobody
 * has been set up makes a local user from $USER and sets it as "me".
 *
 * Returns: (transfer none): the user of this desktop.
 */
RapportUser *
rapport_cli_ensure_me (RapportCli *cli, GError **error)
{
  RapportStore *store = rapport_cli_get_store (cli, error);
  g_autoptr (RapportUser) user = NULL;
  const char *name;

  if (store == NULL)
    return NULL;
  if (rapport_store_get_me (store) != NULL)
    return rapport_store_get_me (store);

  name = g_getenv ("USER");
  if (name == NULL || *name == '\0')
    name = g_get_user_name ();
  user = rapport_store_find_user (store, name, NULL);
  if (user == NULL)
    {
      const char *real_name = g_get_real_name ();

      user = rapport_user_new ();
      user->name = g_strdup (name);
      user->role = g_strdup ("staff");
      if (g_strcmp0 (name, g_get_user_name ()) == 0 && real_name != NULL
          && *real_name != '\0' && g_strcmp0 (real_name, "Unknown") != 0
          && g_strcmp0 (real_name, name) != 0)
        user->display_name = g_strdup (real_name);
    }
  if (!rapport_store_set_me (store, user, error))
    return NULL;
  return rapport_store_get_me (store);
}

/**
 * rapport_cli_find_contact:
 * @query: an id, an exact name or email, or a search matching one contact
 * @in_trash_ok: whether a contact in the Trash will do
 *
 * Returns: (transfer full): the contact, or %NULL with a message that says
 *   what to do.
 */
RapportContact *
rapport_cli_find_contact (RapportCli *cli, const char *query, gboolean in_trash_ok, GError **error)
{
  RapportStore *store = rapport_cli_get_store (cli, error);
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) local_error = NULL;

  if (store == NULL)
    return NULL;
  if (*query == '\0')
    {
      g_set_error_literal (error, RAPPORT_CLI_ERROR, RAPPORT_CLI_ERROR_USAGE,
                           _("the contact is empty; give an id, a name or an email"));
      return NULL;
    }
  contact = rapport_store_find_contact (store, query, &local_error);
  if (contact == NULL)
    {
      if (g_error_matches (local_error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND))
        g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND,
                     _("No contact matches “%s”; give an id, an exact name or email, or "
                       "look it up with “rapport-cli search”"), query);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (RAPPORT_RECORD (contact)->deleted && !in_trash_ok)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_FAILED,
                   _("“%s” is in the Trash; restore it first with "
                     "“rapport-cli contact restore %s”"),
                   contact->name ? contact->name : "", RAPPORT_RECORD (contact)->id);
      return NULL;
    }
  return g_steal_pointer (&contact);
}

/**
 * rapport_cli_find_user:
 * @option: (nullable): the option that named the user, for the message
 *
 * Returns: (transfer full): the user with this id or name.
 */
RapportUser *
rapport_cli_find_user (RapportCli *cli, const char *option, const char *id_or_name,
                       GError **error)
{
  RapportStore *store = rapport_cli_get_store (cli, error);
  RapportUser *user;

  if (store == NULL)
    return NULL;
  user = rapport_store_find_user (store, id_or_name, error);
  if (user == NULL && option != NULL && error != NULL && *error != NULL)
    g_prefix_error (error, "%s: ", option);
  return user;
}

/**
 * rapport_cli_load:
 * @entity: "reminder", "promise", "interaction", ...
 *
 * Returns: (transfer full): the record with this id.
 */
RapportRecord *
rapport_cli_load (RapportCli *cli, const char *entity, const char *id, GError **error)
{
  RapportStore *store = rapport_cli_get_store (cli, error);
  g_autoptr (GError) local_error = NULL;
  RapportRecord *record;

  if (store == NULL)
    return NULL;
  record = rapport_store_load (store, rapport_entity_lookup (entity), id, &local_error);
  if (record == NULL)
    {
      if (g_error_matches (local_error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND))
        g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND,
                     _("No %s has the id “%s”; ids are shown by “rapport-cli timeline CONTACT” "
                       "and “rapport-cli due”"), entity, id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (record->deleted)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_FAILED,
                   _("The %s “%s” was deleted"), entity, id);
      g_object_unref (record);
      return NULL;
    }
  return record;
}

/**
 * rapport_cli_parse_time:
 * @option: the option the time came with, for the message
 *
 * Reads a time as ISO 8601 or relative to now ("+3d", "-2w").
 */
gboolean
rapport_cli_parse_time (RapportCli *cli, const char *option, const char *text, gint64 *out,
                        GError **error)
{
  if (rapport_cli_get_store (cli, error) == NULL)
    return FALSE;
  if (!rapport_time_parse (text, rapport_cli_now (cli), out, error))
    {
      g_prefix_error (error, "%s: ", option);
      return FALSE;
    }
  return TRUE;
}

/**
 * rapport_cli_parse_enum:
 * @allowed: the keywords accepted, %NULL-terminated
 * @out: (out): the keyword, lower case
 *
 * Returns: %FALSE with a message listing the accepted keywords.
 */
gboolean
rapport_cli_parse_enum (const char *option, const char *text, const char *const *allowed,
                        char **out, GError **error)
{
  g_autofree char *lower = g_strstrip (g_ascii_strdown (text, -1));
  g_autofree char *list = NULL;

  if (g_strv_contains (allowed, lower))
    {
      *out = g_steal_pointer (&lower);
      return TRUE;
    }
  list = g_strjoinv (", ", (char **) allowed);
  g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
               _("%s: “%s” is not one of %s"), option, text, list);
  return FALSE;
}

gboolean
rapport_cli_parse_count (const char *option, const char *text, guint *out, GError **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s: “%s” is not a number; give a whole number such as 20"), option, text);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

/**
 * rapport_cli_user_label:
 *
 * Returns: (transfer none): the name to show for a user id: the display
 *   name, else the name, else the id; "" for %NULL.
 */
const char *
rapport_cli_user_label (RapportCli *cli, const char *user_id)
{
  const char *label;
  g_autoptr (RapportUser) user = NULL;

  if (user_id == NULL || cli->store == NULL)
    return user_id ? user_id : "";
  label = g_hash_table_lookup (cli->user_labels, user_id);
  if (label != NULL)
    return label;
  user = rapport_store_get_user (cli->store, user_id);
  if (user != NULL && user->display_name != NULL && *user->display_name != '\0')
    label = user->display_name;
  else if (user != NULL && user->name != NULL)
    label = user->name;
  else
    label = user_id;
  g_hash_table_insert (cli->user_labels, g_strdup (user_id), g_strdup (label));
  return g_hash_table_lookup (cli->user_labels, user_id);
}

/**
 * rapport_cli_nonempty:
 *
 * Returns: (transfer full) (nullable): @text without surrounding spaces, or
 *   %NULL when nothing is left: an empty option clears a field.
 */
char *
rapport_cli_nonempty (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}
