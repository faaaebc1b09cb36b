/* rapport-cli-users.c: users of the team, and who "I" am on this desktop */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-cli-private.h"

static const char *const roles[] = { RAPPORT_ROLES, NULL };

/* Sets the fields the options give; "" clears a text. */
static gboolean
apply_user_options (RapportUser *user, const char *department, const char *display_name,
                    const char *role, GError **error)
{
  if (role != NULL)
    {
      g_autofree char *keyword = NULL;

      if (!rapport_cli_parse_enum ("--role", role, roles, &keyword, error))
        return FALSE;
      g_free (user->role);
      user->role = g_steal_pointer (&keyword);
    }
  if (department != NULL)
    {
      g_free (user->department);
      user->department = rapport_cli_nonempty (department);
    }
  if (display_name != NULL)
    {
      g_free (user->display_name);
      user->display_name = rapport_cli_nonempty (display_name);
    }
  if (user->role == NULL)
    user->role = g_strdup ("staff");
  return TRUE;
}

/* user add NAME [--department D] [--role R] [--display-name N] */
static int
user_add (RapportCli *cli, char **argv)
{
  g_autofree char *department = NULL, *role = NULL, *display_name = NULL;
  const GOptionEntry entries[] = {
    { "department", 0, 0, G_OPTION_ARG_STRING, &department, N_("The user's department"), N_("DEPARTMENT") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("staff (default), manager or admin"), N_("ROLE") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name, N_("The name to show"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportUser) user = rapport_user_new ();
  g_autoptr (RapportUser) existing = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("NAME"), N_("Add a user and print its id."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  user->name = rapport_cli_nonempty (args[0]);
  if (user->name == NULL)
    return rapport_cli_usage_error (cli, _("the user needs a name"));
  if (!apply_user_options (user, department, display_name, role, &error)
      || rapport_cli_get_store (cli, &error) == NULL)
    return rapport_cli_fail (cli, error);
  existing = rapport_store_find_user (cli->store, user->name, NULL);
  if (existing != NULL && g_strcmp0 (existing->name, user->name) == 0)
    {
      g_printerr (_("%s: a user called “%s” already exists (%s); see “rapport-cli user list”\n"),
                  cli->command, user->name, RAPPORT_RECORD (existing)->id);
      return RAPPORT_CLI_EXIT_FAILURE;
    }
  if (!rapport_store_save (cli->store, RAPPORT_RECORD (user), &error))
    return rapport_cli_fail (cli, error);
  g_print ("%s\n", RAPPORT_RECORD (user)->id);
  return RAPPORT_CLI_EXIT_OK;
}

/* user list [--json] */
static int
user_list (RapportCli *cli, char **argv)
{
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (RapportCliTable) table = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  const char *me_id;
  int status;

  status = rapport_cli_parse (cli, argv, NULL, NULL, N_("List the users; * marks you."),
                              RAPPORT_CLI_PARSE_JSON, 0, 0, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (rapport_cli_get_store (cli, &error) == NULL)
    return rapport_cli_fail (cli, error);
  users = rapport_store_list_users (cli->store);
  if (cli->json)
    {
      rapport_cli_print_json_array (rapport_cli_records_json (users));
      return RAPPORT_CLI_EXIT_OK;
    }
  me_id = rapport_store_get_me_id (cli->store);
  table = rapport_cli_table_new (6, "", _("Name"), _("Display name"), _("Department"), _("Role"),
                                 _("Id"));
  for (guint i = 0; i < users->len; i++)
    {
      RapportUser *u = users->pdata[i];
      rapport_cli_table_add (table, g_strcmp0 (RAPPORT_RECORD (u)->id, me_id) == 0 ? "*" : "",
                             u->name, u->display_name, u->department, u->role,
                             RAPPORT_RECORD (u)->id);
    }
  if (users->len > 0)
    rapport_cli_table_print (table);
  return RAPPORT_CLI_EXIT_OK;
}

static const RapportCliVerb user_verbs[] = {
  { "add", N_("Add a user"), user_add },
  { "list", N_("List the users"), user_list },
};

int
rapport_cli_user (RapportCli *cli, char **argv)
{
  return rapport_cli_dispatch (cli, user_verbs, G_N_ELEMENTS (user_verbs), argv);
}

/* Sets "me": an existing user by id or name, or a new one. */
static gboolean
set_me (RapportCli *cli, const char *name, const char *department, const char *display_name,
        const char *role, GError **error)
{
  g_autoptr (RapportUser) user = NULL;

  if (rapport_cli_get_store (cli, error) == NULL)
    return FALSE;
  if (name != NULL)
    {
      user = rapport_store_find_user (cli->store, name, NULL);
      if (user == NULL)
        {
          user = rapport_user_new ();
          user->name = rapport_cli_nonempty (name);
          if (user->name == NULL)
            {
              g_set_error (error, RAPPORT_CLI_ERROR, RAPPORT_CLI_ERROR_USAGE,
                           _("--set needs a user name"));
              return FALSE;
            }
        }
    }
  else
    {
      RapportUser *me = rapport_cli_ensure_me (cli, error);
      if (me == NULL)
        return FALSE;
      user = RAPPORT_USER (rapport_record_copy (RAPPORT_RECORD (me)));
    }
  if (!apply_user_options (user, department, display_name, role, error))
    return FALSE;
  return rapport_store_set_me (cli->store, user, error);
}

/* whoami [--set NAME] [--department D] [--role R] [--display-name N] [--json] */
int
rapport_cli_whoami (RapportCli *cli, char **argv)
{
  g_autofree char *name = NULL, *department = NULL, *role = NULL, *display_name = NULL;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING, &name, N_("Be this user on this desktop (made if new)"), N_("NAME") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &department, N_("Set your department"), N_("DEPARTMENT") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("Set your role: staff, manager or admin"), N_("ROLE") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name, N_("Set the name to show"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  RapportUser *me;
  int status;

  status = rapport_cli_parse (cli, argv, entries, NULL,
                              N_("Show who you are on this desktop; your writes are attributed "
                                 "to this user. With --set, become another user."),
                              RAPPORT_CLI_PARSE_JSON, 0, 0, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if ((name || department || role || display_name)
      && !set_me (cli, name, department, display_name, role, &error))
    return rapport_cli_fail (cli, error);
  if (rapport_cli_get_store (cli, &error) == NULL)
    return rapport_cli_fail (cli, error);

  me = rapport_store_get_me (cli->store);
  if (cli->json)
    {
      g_autoptr (JsonNode) node = json_node_new (me ? JSON_NODE_OBJECT : JSON_NODE_NULL);
      if (me != NULL)
        json_node_take_object (node, rapport_cli_record_json (RAPPORT_RECORD (me)));
      rapport_cli_print_json (node);
      return RAPPORT_CLI_EXIT_OK;
    }
  if (me == NULL)
    {
      g_printerr (_("%s: nobody is set as you on this desktop yet; set yourself with "
                    "“rapport-cli whoami --set NAME --department DEPARTMENT”\n"), cli->command);
      return RAPPORT_CLI_EXIT_FAILURE;
    }
  g_print ("%s\n", me->name ? me->name : "");
  rapport_cli_print_field (_("Display name"), me->display_name);
  rapport_cli_print_field (_("Department"), me->department);
  rapport_cli_print_field (_("Role"), me->role);
  rapport_cli_print_field (_("Id"), RAPPORT_RECORD (me)->id);
  rapport_cli_print_field (_("Store"), rapport_store_get_path (cli->store));
  return RAPPORT_CLI_EXIT_OK;
}
