/* rapport-cli-due.c: what is due, and the team backlog */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-backlog-detail.h"
#include "rapport-cli-private.h"
#include "rapport-due.h"

/* Open promises due within this time after T are shown by "due". */
#define DEFAULT_PROMISE_HORIZON (3 * 24 * 60 * 60)

static const char *
due_kind_name (RapportDueKind kind)
{
  switch (kind)
    {
    case RAPPORT_DUE_REMINDER:
      return "reminder";
    case RAPPORT_DUE_CADENCE:
      return "cadence";
    case RAPPORT_DUE_PROMISE:
      return "promise";
    case RAPPORT_DUE_COMPLAINT:
      return "complaint";
    default:
      return "other";
    }
}

/* "3d", "12h", "2w", or a number of days. */
static gboolean
parse_duration (const char *option, const char *text, gint64 *seconds, GError **error)
{
  g_autofree char *value = g_strstrip (g_ascii_strdown (text, -1));
  gsize len = strlen (value);
  gint64 unit = 86400;
  guint64 n = 0;

  if (len > 1 && strchr ("hdw", value[len - 1]))
    {
      unit = value[len - 1] == 'h' ? 3600 : value[len - 1] == 'w' ? 7 * 86400 : 86400;
      value[len - 1] = '\0';
    }
  if (!g_ascii_string_to_unsigned (value, 10, 0, 3650, &n, NULL))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s: “%s” is not a duration; write it as 12h, 3d or 2w"), option, text);
      return FALSE;
    }
  *seconds = (gint64) n * unit;
  return TRUE;
}

static JsonObject *
due_item_json (const RapportDueItem *item)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "kind", due_kind_name (item->kind));
  json_object_set_string_member (object, "record_id", item->record_id);
  json_object_set_string_member (object, "contact_id", item->contact_id);
  json_object_set_string_member (object, "contact_name", item->contact_name);
  json_object_set_string_member (object, "owner", item->owner);
  json_object_set_string_member (object, "title", item->title);
  rapport_cli_json_set_time (object, "due_at", item->due_at);
  rapport_cli_json_set_time (object, "last_interaction_at", item->last_interaction_at);
  json_object_set_boolean_member (object, "urgent", item->urgent);
  return object;
}

static void
print_due (RapportCli *cli, GPtrArray *items, gint64 at)
{
  g_autoptr (RapportCliTable) table = NULL;

  table = rapport_cli_table_new (7, _("Due"), _("Late"), _("Kind"), _("Contact"), _("Title"),
                                 _("Owner"), _("Id"));
  for (guint i = 0; i < items->len; i++)
    {
      const RapportDueItem *item = items->pdata[i];
      g_autofree char *due = rapport_cli_format_time (item->due_at);
      g_autofree char *late = item->due_at < at ? rapport_cli_format_age (at - item->due_at) : NULL;
      g_autofree char *title = rapport_cli_shorten (item->title, 50);
      g_autofree char *kind = item->urgent ? g_strdup_printf (_("%s (urgent)"),
                                                              due_kind_name (item->kind))
                                           : g_strdup (due_kind_name (item->kind));

      rapport_cli_table_add (table, due, late, kind, item->contact_name, title,
                             rapport_cli_user_label (cli, item->owner), item->record_id);
    }
  if (items->len > 0)
    rapport_cli_table_print (table);
  else
    g_print (_("Nothing is due.\n"));
}

/* due [--user U] [--everyone] [--at T] [--horizon 3d] [--json] */
int
rapport_cli_due (RapportCli *cli, char **argv)
{
  g_autofree char *user = NULL, *at_text = NULL, *horizon_text = NULL;
  gboolean everyone = FALSE;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Whose items (default: yours)"), N_("USER") },
    { "everyone", 0, 0, G_OPTION_ARG_NONE, &everyone, N_("Everyone's items"), NULL },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_("At this time (default: now)"), N_("TIME") },
    { "horizon", 0, 0, G_OPTION_ARG_STRING, &horizon_text, N_("Show promises due this soon (default: 3d)"), N_("DURATION") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportUser) user_record = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  gint64 horizon = DEFAULT_PROMISE_HORIZON, at;
  const char *user_id;
  int status;

  status = rapport_cli_parse (cli, argv, entries, NULL,
                              N_("Show what is due: reminders, relationships to keep in touch "
                                 "with, promises and complaints awaiting a response. Overdue "
                                 "first."),
                              RAPPORT_CLI_PARSE_JSON, 0, 0, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (user != NULL && everyone)
    return rapport_cli_usage_error (cli, _("--user and --everyone contradict each other; give one"));
  if ((horizon_text && !parse_duration ("--horizon", horizon_text, &horizon, &error))
      || rapport_cli_get_store (cli, &error) == NULL)
    return rapport_cli_fail (cli, error);
  at = rapport_cli_now (cli);
  if ((at_text && !rapport_cli_parse_time (cli, "--at", at_text, &at, &error))
      || (user && (user_record = rapport_cli_find_user (cli, "--user", user, &error)) == NULL))
    return rapport_cli_fail (cli, error);

  if (user_record != NULL)
    user_id = RAPPORT_RECORD (user_record)->id;
  else
    user_id = everyone ? NULL : rapport_store_get_me_id (cli->store);
  items = rapport_store_due (cli->store, user_id, at, horizon, &error);
  if (items == NULL)
    return rapport_cli_fail (cli, error);

  if (cli->json)
    {
      JsonArray *array = json_array_new ();
      for (guint i = 0; i < items->len; i++)
        json_array_add_object_element (array, due_item_json (items->pdata[i]));
      rapport_cli_print_json_array (array);
    }
  else
    print_due (cli, items, at);
  return RAPPORT_CLI_EXIT_OK;
}

static JsonObject *
backlog_row_json (const RapportBacklogRow *row)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "owner", row->owner);
  json_object_set_string_member (object, "owner_name", row->owner_name);
  json_object_set_int_member (object, "overdue_1_7", row->overdue_1_7);
  json_object_set_int_member (object, "overdue_8_30", row->overdue_8_30);
  json_object_set_int_member (object, "overdue_31_plus", row->overdue_31_plus);
  json_object_set_int_member (object, "due_this_week", row->due_this_week);
  json_object_set_int_member (object, "going_cold", row->going_cold);
  json_object_set_int_member (object, "promises_at_risk", row->promises_at_risk);
  json_object_set_int_member (object, "promises_broken", row->promises_broken);
  json_object_set_int_member (object, "complaints_waiting", row->complaints_waiting);
  json_object_set_int_member (object, "oldest_complaint_age", row->oldest_complaint_age);
  return object;
}

static void
add_backlog_row (RapportCliTable *table, const char *owner, const RapportBacklogRow *row)
{
  guint counts[] = { row->overdue_1_7, row->overdue_8_30, row->overdue_31_plus,
                     row->due_this_week, row->going_cold, row->promises_at_risk,
                     row->promises_broken, row->complaints_waiting };
  char text[G_N_ELEMENTS (counts)][16];
  g_autofree char *oldest = row->oldest_complaint_age > 0
                              ? rapport_cli_format_age (row->oldest_complaint_age) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    g_snprintf (text[i], sizeof text[i], "%u", counts[i]);
  rapport_cli_table_add (table, owner, text[0], text[1], text[2], text[3], text[4], text[5],
                         text[6], text[7], oldest);
}

static void
print_backlog (GPtrArray *rows)
{
  g_autoptr (RapportCliTable) table = NULL;
  RapportBacklogRow total = { 0 };

  table = rapport_cli_table_new (10, _("Owner"), _("Overdue 1–7d"), _("8–30d"), _("31d+"),
                                 _("This week"), _("Going cold"), _("Promises at risk"),
                                 _("Broken"), _("Complaints"), _("Oldest complaint"));
  for (guint i = 0; i < rows->len; i++)
    {
      const RapportBacklogRow *row = rows->pdata[i];

      add_backlog_row (table, row->owner_name ? row->owner_name : row->owner, row);
      total.overdue_1_7 += row->overdue_1_7;
      total.overdue_8_30 += row->overdue_8_30;
      total.overdue_31_plus += row->overdue_31_plus;
      total.due_this_week += row->due_this_week;
      total.going_cold += row->going_cold;
      total.promises_at_risk += row->promises_at_risk;
      total.promises_broken += row->promises_broken;
      total.complaints_waiting += row->complaints_waiting;
      total.oldest_complaint_age = MAX (total.oldest_complaint_age, row->oldest_complaint_age);
    }
  if (rows->len > 1)
    add_backlog_row (table, _("Team"), &total);
  if (rows->len > 0)
    rapport_cli_table_print (table);
  else
    g_print (_("The backlog is empty.\n"));
}

/* backlog [--at T] [--user U] [--json] */
int
rapport_cli_backlog (RapportCli *cli, char **argv)
{
  g_autofree char *user = NULL, *at_text = NULL;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Only this owner"), N_("USER") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_("At this time (default: now)"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportUser) user_record = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  const char *scope;
  gint64 at;
  int status;

  status = rapport_cli_parse (cli, argv, entries, NULL,
                              N_("Show the team backlog per owner: overdue follow-ups by age, "
                                 "relationships going cold, promises and complaints. Managers "
                                 "see everyone, others their own work."),
                              RAPPORT_CLI_PARSE_JSON, 0, 0, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (rapport_cli_get_store (cli, &error) == NULL)
    return rapport_cli_fail (cli, error);
  at = rapport_cli_now (cli);
  if ((at_text && !rapport_cli_parse_time (cli, "--at", at_text, &at, &error))
      || (user && (user_record = rapport_cli_find_user (cli, "--user", user, &error)) == NULL))
    return rapport_cli_fail (cli, error);
  /* As on the server: only managers see the backlog of others (issue 6). */
  scope = rapport_backlog_scope (cli->store);
  if (user_record != NULL && !rapport_backlog_may_see (cli->store, RAPPORT_RECORD (user_record)->id))
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("Only managers see the backlog of other people; you can see your "
                             "own with “backlog” alone"));
      return rapport_cli_fail (cli, error);
    }
  if ((rows = rapport_store_backlog (cli->store,
                                     user_record ? RAPPORT_RECORD (user_record)->id : scope, at,
                                     &error)) == NULL)
    return rapport_cli_fail (cli, error);

  if (cli->json)
    {
      JsonArray *array = json_array_new ();
      for (guint i = 0; i < rows->len; i++)
        json_array_add_object_element (array, backlog_row_json (rows->pdata[i]));
      rapport_cli_print_json_array (array);
    }
  else
    print_backlog (rows);
  return RAPPORT_CLI_EXIT_OK;
}
