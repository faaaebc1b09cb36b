/* rapport-cli-followup.c: reminders and promises, and what becomes of them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-cli-private.h"
#include "rapport-reminders.h"
#include "rapport-time.h"

/* remind CONTACT --due T [--title S] [--owner USER] [--every 2w] [--working-days] */
int
rapport_cli_remind (RapportCli *cli, char **argv)
{
  g_autofree char *due = NULL, *title = NULL, *owner = NULL, *every = NULL;
  gboolean working_days = FALSE;
  const GOptionEntry entries[] = {
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, N_("When: ISO 8601 or relative (+3d, +2w)"), N_("TIME") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("What to do"), N_("TEXT") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, N_("Whose reminder it is (default: yours)"), N_("USER") },
    { "every", 0, 0, G_OPTION_ARG_STRING, &every, N_("Repeat: 3d, 2w, 1m"), N_("INTERVAL") },
    { "working-days", 0, 0, G_OPTION_ARG_NONE, &working_days, N_("Repeat on working days only"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportReminder) reminder = rapport_reminder_new ();
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (RapportUser) owner_user = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  RapportUser *me;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("CONTACT"),
                              N_("Set a follow-up reminder for a contact and print its id."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (due == NULL)
    return rapport_cli_usage_error (cli, _("--due is needed: when should it remind you?"));
  if (every != NULL && !rapport_recurrence_parse (every, &reminder->recurrence, &error))
    {
      g_prefix_error (&error, "--every: ");
      return rapport_cli_fail (cli, error);
    }
  if (!rapport_cli_parse_time (cli, "--due", due, &reminder->due_at, &error)
      || (contact = rapport_cli_find_contact (cli, args[0], FALSE, &error)) == NULL
      || (owner && (owner_user = rapport_cli_find_user (cli, "--owner", owner, &error)) == NULL)
      || (me = rapport_cli_ensure_me (cli, &error)) == NULL)
    return rapport_cli_fail (cli, error);

  reminder->contact_id = g_strdup (RAPPORT_RECORD (contact)->id);
  reminder->owner = g_strdup (RAPPORT_RECORD (owner_user ? owner_user : me)->id);
  reminder->created_by = g_strdup (RAPPORT_RECORD (me)->id);
  reminder->working_days = working_days;
  reminder->title = rapport_cli_nonempty (title);
  if (reminder->title == NULL)
    reminder->title = g_strdup_printf (_("Follow up with %s"), contact->name ? contact->name : "");
  if (!rapport_store_save (cli->store, RAPPORT_RECORD (reminder), &error))
    return rapport_cli_fail (cli, error);
  g_print ("%s\n", RAPPORT_RECORD (reminder)->id);
  return RAPPORT_CLI_EXIT_OK;
}

static RapportReminder *
load_open_reminder (RapportCli *cli, const char *id, GError **error)
{
  g_autoptr (RapportRecord) record = rapport_cli_load (cli, "reminder", id, error);

  if (record == NULL)
    return NULL;
  if (RAPPORT_REMINDER (record)->done_at != 0)
    {
      g_autofree char *when = rapport_cli_format_time (RAPPORT_REMINDER (record)->done_at);
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_FAILED,
                   _("The reminder “%s” was already done on %s"),
                   RAPPORT_REMINDER (record)->title ? RAPPORT_REMINDER (record)->title : "", when);
      return NULL;
    }
  return (RapportReminder *) g_steal_pointer (&record);
}

/* reminder done ID [--at T] */
static int
reminder_done (RapportCli *cli, char **argv)
{
  g_autofree char *at = NULL;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("When it was done (default: now)"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (RapportReminder) next = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  RapportUser *me;
  gint64 done_at;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("ID"),
                              N_("Mark a reminder done. A recurring reminder comes back at its "
                                 "next occurrence."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if ((reminder = load_open_reminder (cli, args[0], &error)) == NULL)
    return rapport_cli_fail (cli, error);
  done_at = rapport_cli_now (cli);
  if ((at && !rapport_cli_parse_time (cli, "--at", at, &done_at, &error))
      || (me = rapport_cli_ensure_me (cli, &error)) == NULL
      || !rapport_reminder_complete (cli->store, reminder, RAPPORT_RECORD (me)->id, done_at,
                                     &next, &error))
    return rapport_cli_fail (cli, error);
  g_print (_("Done: “%s”\n"), reminder->title ? reminder->title : "");
  if (next != NULL)
    {
      g_autofree char *when = rapport_cli_format_time (next->due_at);
      g_print (_("Next: %s (%s)\n"), when, RAPPORT_RECORD (next)->id);
    }
  return RAPPORT_CLI_EXIT_OK;
}

/* reminder snooze ID [--until T] */
static int
reminder_snooze (RapportCli *cli, char **argv)
{
  g_autofree char *until = NULL;
  const GOptionEntry entries[] = {
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("Until when (default: tomorrow)"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  g_autofree char *when = NULL;
  gint64 until_time;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("ID"), N_("Put a reminder off until later."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if ((reminder = load_open_reminder (cli, args[0], &error)) == NULL)
    return rapport_cli_fail (cli, error);
  until_time = rapport_snooze_until (RAPPORT_SNOOZE_TOMORROW, rapport_cli_now (cli));
  if (until && !rapport_cli_parse_time (cli, "--until", until, &until_time, &error))
    return rapport_cli_fail (cli, error);
  if (until_time <= rapport_cli_now (cli))
    return rapport_cli_usage_error (cli, _("--until: that time has passed; give a later one, "
                                           "such as +1d"));
  if (rapport_cli_ensure_me (cli, &error) == NULL
      || !rapport_reminder_snooze (cli->store, reminder, until_time, &error))
    return rapport_cli_fail (cli, error);
  when = rapport_cli_format_time (reminder->snoozed_until);
  g_print (_("Snoozed “%s” until %s\n"), reminder->title ? reminder->title : "", when);
  return RAPPORT_CLI_EXIT_OK;
}

static const RapportCliVerb reminder_verbs[] = {
  { "done", N_("Mark a reminder done"), reminder_done },
  { "snooze", N_("Put a reminder off until later"), reminder_snooze },
};

int
rapport_cli_reminder (RapportCli *cli, char **argv)
{
  return rapport_cli_dispatch (cli, reminder_verbs, G_N_ELEMENTS (reminder_verbs), argv);
}

/* promise CONTACT --what S --due T [--deliver-by USER|DEPARTMENT] [--by USER] */
static int
promise_add (RapportCli *cli, char **argv)
{
  g_autofree char *what = NULL, *due = NULL, *deliver_by = NULL, *by = NULL;
  const GOptionEntry entries[] = {
    { "what", 0, 0, G_OPTION_ARG_STRING, &what, N_("What was promised"), N_("TEXT") },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, N_("By when: ISO 8601 or relative (+3d)"), N_("TIME") },
    { "deliver-by", 0, 0, G_OPTION_ARG_STRING, &deliver_by, N_("Who must deliver: a user, or else a department"), N_("USER|DEPARTMENT") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, N_("Who promised (default: you)"), N_("USER") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportPromise) promise = rapport_promise_new ();
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (RapportUser) by_user = NULL;
  g_autoptr (RapportUser) deliverer = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  g_autofree char *department = NULL;
  RapportUser *me;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("CONTACT"),
                              N_("Record what was promised to a contact and print its id. Then: "
                                 "“promise kept|broken|cancel ID”."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  promise->what = rapport_cli_nonempty (what);
  if (promise->what == NULL)
    return rapport_cli_usage_error (cli, _("--what is needed: what was promised?"));
  if (due == NULL)
    return rapport_cli_usage_error (cli, _("--due is needed: by when was it promised?"));
  if (!rapport_cli_parse_time (cli, "--due", due, &promise->due_at, &error)
      || (contact = rapport_cli_find_contact (cli, args[0], FALSE, &error)) == NULL
      || (by && (by_user = rapport_cli_find_user (cli, "--by", by, &error)) == NULL)
      || (me = rapport_cli_ensure_me (cli, &error)) == NULL)
    return rapport_cli_fail (cli, error);

  department = rapport_cli_nonempty (deliver_by);
  if (department != NULL)
    deliverer = rapport_store_find_user (cli->store, department, NULL);
  promise->contact_id = g_strdup (RAPPORT_RECORD (contact)->id);
  promise->promised_by = g_strdup (RAPPORT_RECORD (by_user ? by_user : me)->id);
  if (deliverer != NULL)
    promise->deliver_by_user = g_strdup (RAPPORT_RECORD (deliverer)->id);
  else
    promise->deliver_by_department = g_steal_pointer (&department);
  promise->status = g_strdup ("open");
  if (!rapport_store_save (cli->store, RAPPORT_RECORD (promise), &error))
    return rapport_cli_fail (cli, error);
  g_print ("%s\n", RAPPORT_RECORD (promise)->id);
  return RAPPORT_CLI_EXIT_OK;
}

/* promise kept|broken|cancel ID [--at T] */
static int
promise_settle (RapportCli *cli, char **argv, const char *status_word)
{
  g_autofree char *at = NULL;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("When (default: now)"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportRecord) record = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  RapportPromise *promise;
  RapportUser *me;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("ID"),
                              N_("Record what became of a promise."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if ((record = rapport_cli_load (cli, "promise", args[0], &error)) == NULL)
    return rapport_cli_fail (cli, error);
  promise = RAPPORT_PROMISE (record);
  if (g_strcmp0 (promise->status, status_word) == 0)
    {
      g_printerr (_("%s: the promise “%s” is already %s\n"), cli->command,
                  promise->what ? promise->what : "", status_word);
      return RAPPORT_CLI_EXIT_FAILURE;
    }
  promise->status_at = rapport_cli_now (cli);
  if ((at && !rapport_cli_parse_time (cli, "--at", at, &promise->status_at, &error))
      || (me = rapport_cli_ensure_me (cli, &error)) == NULL)
    return rapport_cli_fail (cli, error);
  g_free (promise->status);
  promise->status = g_strdup (status_word);
  g_free (promise->status_by);
  promise->status_by = g_strdup (RAPPORT_RECORD (me)->id);
  if (!rapport_store_save (cli->store, record, &error))
    return rapport_cli_fail (cli, error);
  /* TRANSLATORS: the last %s is kept, broken or cancelled */
  g_print (_("The promise “%s” is %s\n"), promise->what ? promise->what : "", status_word);
  return RAPPORT_CLI_EXIT_OK;
}

static int
promise_kept (RapportCli *cli, char **argv)
{
  return promise_settle (cli, argv, "kept");
}

static int
promise_broken (RapportCli *cli, char **argv)
{
  return promise_settle (cli, argv, "broken");
}

static int
promise_cancel (RapportCli *cli, char **argv)
{
  return promise_settle (cli, argv, "cancelled");
}

static const RapportCliVerb promise_verbs[] = {
  { "add", N_("Record a promise"), promise_add },
  { "kept", N_("Mark a promise kept"), promise_kept },
  { "broken", N_("Mark a promise broken"), promise_broken },
  { "cancel", N_("Cancel a promise"), promise_cancel },
};

/* promise CONTACT --what S --due T, or promise add|kept|broken|cancel ... */
int
rapport_cli_promise (RapportCli *cli, char **argv)
{
  return rapport_cli_dispatch_or (cli, promise_verbs, G_N_ELEMENTS (promise_verbs), argv, promise_add);
}
