/* rapport-cli-log.c: logging interactions, notes, complaints, and the timeline */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-cli-private.h"

static const char *const interaction_kinds[] = { RAPPORT_INTERACTION_KINDS, NULL };
static const char *const complaint_kinds[] = { "complaint", "feedback", NULL };
static const char *const channels[] = { RAPPORT_CHANNELS, NULL };
static const char *const directions[] = { RAPPORT_DIRECTIONS, NULL };

typedef struct
{
  char *kind, *summary, *body, *channel, *direction, *at, *by, *department;
} InteractionOptions;

static void
interaction_options_clear (InteractionOptions *o)
{
  g_free (o->kind);
  g_free (o->summary);
  g_free (o->body);
  g_free (o->channel);
  g_free (o->direction);
  g_free (o->at);
  g_free (o->by);
  g_free (o->department);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (InteractionOptions, interaction_options_clear)

static const char *
default_channel (const char *kind)
{
  static const char *const pairs[][2] = {
    { "call", "phone" }, { "email", "email" }, { "meeting", "meeting" },
    { "visit", "in-person" }, { "social", "social" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    if (g_str_equal (kind, pairs[i][0]))
      return pairs[i][1];
  return NULL;
}

static gboolean
is_complaint_kind (const char *kind)
{
  return g_strcmp0 (kind, "complaint") == 0 || g_strcmp0 (kind, "feedback") == 0;
}

/* Checks the options and makes the interaction; nothing is written. */
static RapportInteraction *
build_interaction (RapportCli *cli, const char *contact_query, InteractionOptions *o,
                   const char *const *kinds, GError **error)
{
  g_autoptr (RapportInteraction) i = rapport_interaction_new ();
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (RapportUser) by = NULL;

  if (!rapport_cli_parse_enum ("--kind", o->kind, kinds, &i->kind, error)
      || (o->channel && !rapport_cli_parse_enum ("--channel", o->channel, channels, &i->channel,
                                                 error))
      || (o->direction && !rapport_cli_parse_enum ("--direction", o->direction, directions,
                                                   &i->direction, error)))
    return NULL;
  i->summary = rapport_cli_nonempty (o->summary);
  if (i->summary == NULL)
    {
      g_set_error (error, RAPPORT_CLI_ERROR, RAPPORT_CLI_ERROR_USAGE,
                   _("--summary is needed: say in a line what happened"));
      return NULL;
    }
  i->body = rapport_cli_nonempty (o->body);
  if (rapport_cli_get_store (cli, error) == NULL)
    return NULL;
  i->occurred_at = rapport_cli_now (cli);
  if (o->at && !rapport_cli_parse_time (cli, "--at", o->at, &i->occurred_at, error))
    return NULL;
  if ((contact = rapport_cli_find_contact (cli, contact_query, FALSE, error)) == NULL)
    return NULL;
  if (o->by && (by = rapport_cli_find_user (cli, "--by", o->by, error)) == NULL)
    return NULL;
  if (by == NULL)
    {
      RapportUser *me = rapport_cli_ensure_me (cli, error);
      if (me == NULL)
        return NULL;
      by = g_object_ref (me);
    }

  i->contact_id = g_strdup (RAPPORT_RECORD (contact)->id);
  i->logged_by = g_strdup (RAPPORT_RECORD (by)->id);
  i->department = o->department ? rapport_cli_nonempty (o->department) : g_strdup (by->department);
  if (i->channel == NULL)
    i->channel = g_strdup (default_channel (i->kind));
  if (is_complaint_kind (i->kind))
    {
      i->awaiting_response = TRUE;
      if (i->direction == NULL)
        i->direction = g_strdup ("inbound");
    }
  return g_steal_pointer (&i);
}

/* log CONTACT --kind K --summary S [...] */
int
rapport_cli_log (RapportCli *cli, char **argv)
{
  g_auto (InteractionOptions) o = { 0 };
  g_autofree char *follow_up = NULL;
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &o.kind, N_("call, email, meeting, message, social, visit, delivery, support, complaint, feedback or other"), N_("KIND") },
    { "summary", 0, 0, G_OPTION_ARG_STRING, &o.summary, N_("What happened, in a line"), N_("TEXT") },
    { "body", 0, 0, G_OPTION_ARG_STRING, &o.body, N_("The details"), N_("TEXT") },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &o.channel, N_("email, phone, sms, meeting, video, social, mail, in-person or other"), N_("CHANNEL") },
    { "direction", 0, 0, G_OPTION_ARG_STRING, &o.direction, N_("inbound, outbound or internal"), N_("DIRECTION") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &o.at, N_("When it happened (default: now)"), N_("TIME") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &o.by, N_("Who had the interaction (default: you)"), N_("USER") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &o.department, N_("The department (default: theirs)"), N_("DEPARTMENT") },
    { "follow-up", 0, 0, G_OPTION_ARG_STRING, &follow_up, N_("Also set a follow-up reminder, e.g. +3d"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportInteraction) interaction = NULL;
  g_autoptr (RapportReminder) reminder = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("CONTACT"),
                              N_("Log an interaction with a contact and print its id. TIME is "
                                 "ISO 8601 (2026-03-02T14:30) or relative (+3d, -2h)."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (o.kind == NULL)
    return rapport_cli_usage_error (cli, _("--kind is needed (call, email, meeting, …)"));
  interaction = build_interaction (cli, args[0], &o, interaction_kinds, &error);
  if (interaction == NULL)
    return rapport_cli_fail (cli, error);
  if (follow_up != NULL)
    {
      reminder = rapport_reminder_new ();
      if (!rapport_cli_parse_time (cli, "--follow-up", follow_up, &reminder->due_at, &error)
          || rapport_cli_ensure_me (cli, &error) == NULL)
        return rapport_cli_fail (cli, error);
      reminder->contact_id = g_strdup (interaction->contact_id);
      reminder->owner = g_strdup (interaction->logged_by);
      reminder->created_by = g_strdup (rapport_store_get_me_id (cli->store));
      reminder->title = g_strdup_printf (_("Follow up: %s"), interaction->summary);
    }

  if (!rapport_store_begin (cli->store, &error))
    return rapport_cli_fail (cli, error);
  if (!rapport_store_save (cli->store, RAPPORT_RECORD (interaction), &error)
      || (reminder && !rapport_store_save (cli->store, RAPPORT_RECORD (reminder), &error)))
    {
      rapport_store_rollback (cli->store);
      return rapport_cli_fail (cli, error);
    }
  if (!rapport_store_commit (cli->store, &error))
    return rapport_cli_fail (cli, error);
  g_print ("%s\n", RAPPORT_RECORD (interaction)->id);
  if (reminder != NULL)
    g_print ("%s\n", RAPPORT_RECORD (reminder)->id);
  return RAPPORT_CLI_EXIT_OK;
}

/* note CONTACT TEXT [--private] [--pin] */
int
rapport_cli_note (RapportCli *cli, char **argv)
{
  gboolean private = FALSE, pin = FALSE;
  const GOptionEntry entries[] = {
    { "private", 0, 0, G_OPTION_ARG_NONE, &private, N_("Only you will see the note"), NULL },
    { "pin", 0, 0, G_OPTION_ARG_NONE, &pin, N_("Pin the note to the top of the timeline"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportNote) note = rapport_note_new ();
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  g_autofree char *joined = NULL;
  RapportUser *me;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("CONTACT TEXT"),
                              N_("Add a note to a contact and print its id. Notes are shared "
                                 "with the team unless --private."),
                              RAPPORT_CLI_PARSE_DEFAULT, 2, -1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  joined = g_strjoinv (" ", args + 1);
  note->body = rapport_cli_nonempty (joined);
  if (note->body == NULL)
    return rapport_cli_usage_error (cli, _("the note is empty; give its text"));
  if ((contact = rapport_cli_find_contact (cli, args[0], FALSE, &error)) == NULL
      || (me = rapport_cli_ensure_me (cli, &error)) == NULL)
    return rapport_cli_fail (cli, error);
  note->contact_id = g_strdup (RAPPORT_RECORD (contact)->id);
  note->author = g_strdup (RAPPORT_RECORD (me)->id);
  note->private = private;
  note->pinned = pin;
  if (!rapport_store_save (cli->store, RAPPORT_RECORD (note), &error))
    return rapport_cli_fail (cli, error);
  g_print ("%s\n", RAPPORT_RECORD (note)->id);
  return RAPPORT_CLI_EXIT_OK;
}

static int
complaint_add (RapportCli *cli, char **argv)
{
  g_auto (InteractionOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "summary", 0, 0, G_OPTION_ARG_STRING, &o.summary, N_("What the complaint is about, in a line"), N_("TEXT") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &o.kind, N_("complaint (default) or feedback"), N_("KIND") },
    { "body", 0, 0, G_OPTION_ARG_STRING, &o.body, N_("The details"), N_("TEXT") },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &o.channel, N_("How it came in (email, phone, …)"), N_("CHANNEL") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &o.at, N_("When it came in (default: now)"), N_("TIME") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &o.by, N_("Who took it (default: you)"), N_("USER") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &o.department, N_("The department (default: theirs)"), N_("DEPARTMENT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportInteraction) interaction = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("CONTACT"),
                              N_("Record a complaint or feedback, which waits for a response, and "
                                 "print its id. Then: “complaint respond ID”, "
                                 "“complaint resolve ID”."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (o.kind == NULL)
    o.kind = g_strdup ("complaint");
  interaction = build_interaction (cli, args[0], &o, complaint_kinds, &error);
  if (interaction == NULL || !rapport_store_save (cli->store, RAPPORT_RECORD (interaction), &error))
    return rapport_cli_fail (cli, error);
  g_print ("%s\n", RAPPORT_RECORD (interaction)->id);
  return RAPPORT_CLI_EXIT_OK;
}

static RapportInteraction *
load_complaint (RapportCli *cli, const char *id, GError **error)
{
  g_autoptr (RapportRecord) record = rapport_cli_load (cli, "interaction", id, error);
  RapportInteraction *i;

  if (record == NULL)
    return NULL;
  i = RAPPORT_INTERACTION (record);
  if (!is_complaint_kind (i->kind) && !i->awaiting_response)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s is a %s, not a complaint or feedback"), id, i->kind ? i->kind : "");
      return NULL;
    }
  return (RapportInteraction *) g_steal_pointer (&record);
}

/* complaint respond|resolve ID [--at T] */
static int
complaint_update (RapportCli *cli, char **argv, gboolean resolve)
{
  g_autofree char *at = NULL;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("When (default: now)"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportInteraction) complaint = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  g_autofree char *when_text = NULL;
  RapportUser *me;
  gint64 when;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("ID"),
                              resolve ? N_("Mark a complaint or feedback resolved.")
                                      : N_("Record the first response to a complaint or feedback."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if ((complaint = load_complaint (cli, args[0], &error)) == NULL)
    return rapport_cli_fail (cli, error);
  when = rapport_cli_now (cli);
  if ((at && !rapport_cli_parse_time (cli, "--at", at, &when, &error))
      || (me = rapport_cli_ensure_me (cli, &error)) == NULL)
    return rapport_cli_fail (cli, error);

  if (resolve ? complaint->resolved_at != 0 : complaint->responded_at != 0)
    {
      g_autofree char *before = rapport_cli_format_time (resolve ? complaint->resolved_at
                                                                 : complaint->responded_at);
      g_printerr (resolve ? _("%s: this was already resolved on %s\n")
                          : _("%s: this was already responded to on %s\n"),
                  cli->command, before);
      return RAPPORT_CLI_EXIT_FAILURE;
    }
  if (complaint->responded_at == 0)
    {
      complaint->responded_at = when;
      g_free (complaint->responded_by);
      complaint->responded_by = g_strdup (RAPPORT_RECORD (me)->id);
    }
  if (resolve)
    complaint->resolved_at = when;
  complaint->awaiting_response = FALSE;
  if (!rapport_store_save (cli->store, RAPPORT_RECORD (complaint), &error))
    return rapport_cli_fail (cli, error);
  when_text = rapport_cli_format_time (when);
  g_print (resolve ? _("Resolved “%s” on %s\n") : _("Responded to “%s” on %s\n"),
           complaint->summary ? complaint->summary : "", when_text);
  return RAPPORT_CLI_EXIT_OK;
}

static int
complaint_respond (RapportCli *cli, char **argv)
{
  return complaint_update (cli, argv, FALSE);
}

static int
complaint_resolve (RapportCli *cli, char **argv)
{
  return complaint_update (cli, argv, TRUE);
}

static const RapportCliVerb complaint_verbs[] = {
  { "add", N_("Record a complaint or feedback"), complaint_add },
  { "respond", N_("Record the first response"), complaint_respond },
  { "resolve", N_("Mark it resolved"), complaint_resolve },
};

/* complaint CONTACT --summary S, or complaint add|respond|resolve ... */
int
rapport_cli_complaint (RapportCli *cli, char **argv)
{
  return rapport_cli_dispatch_or (cli, complaint_verbs, G_N_ELEMENTS (complaint_verbs), argv, complaint_add);
}

/* One timeline row: what, who, and a summary. */
static void
timeline_row (RapportCli *cli, RapportRecord *record, char **what, const char **who,
              char **summary, gint64 *when)
{
  if (RAPPORT_IS_INTERACTION (record))
    {
      RapportInteraction *i = RAPPORT_INTERACTION (record);
      *when = i->occurred_at;
      *what = i->awaiting_response ? g_strdup_printf (_("%s (awaiting response)"), i->kind)
                                   : g_strdup (i->kind);
      *who = rapport_cli_user_label (cli, i->logged_by);
      *summary = rapport_cli_shorten (i->summary, 60);
    }
  else if (RAPPORT_IS_NOTE (record))
    {
      RapportNote *n = RAPPORT_NOTE (record);
      *when = record->created_at;
      *what = g_strdup (n->pinned ? _("note (pinned)") : n->private ? _("note (private)")
                                                                    : _("note"));
      *who = rapport_cli_user_label (cli, n->author);
      *summary = rapport_cli_shorten (n->body, 60);
    }
  else if (RAPPORT_IS_PROMISE (record))
    {
      RapportPromise *p = RAPPORT_PROMISE (record);
      g_autofree char *due = rapport_cli_format_time (p->due_at);
      g_autofree char *text = rapport_cli_shorten (p->what, 40);
      *when = record->created_at;
      *what = g_strdup_printf (_("promise (%s)"), p->status ? p->status : "open");
      *who = rapport_cli_user_label (cli, p->promised_by);
      *summary = g_strdup_printf (_("%s — due %s"), text, due);
    }
  else
    {
      RapportReminder *r = RAPPORT_REMINDER (record);
      g_autofree char *due = rapport_cli_format_time (rapport_reminder_get_effective_due (r));
      g_autofree char *text = rapport_cli_shorten (r->title, 40);
      *when = record->created_at;
      *what = g_strdup (r->done_at ? _("reminder (done)") : _("reminder"));
      *who = rapport_cli_user_label (cli, r->owner);
      *summary = g_strdup_printf (_("%s — due %s"), text, due);
    }
}

/* timeline CONTACT [--limit N] [--json] */
int
rapport_cli_timeline (RapportCli *cli, char **argv)
{
  g_autofree char *limit_text = NULL;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text, N_("At most this many entries"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GPtrArray) entries_list = NULL;
  g_autoptr (RapportCliTable) table = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  guint limit = 0, n;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("CONTACT"),
                              N_("Show the interactions, notes, promises and reminders of a "
                                 "contact, by everyone: pinned notes first, then newest first."),
                              RAPPORT_CLI_PARSE_JSON, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if ((limit_text && !rapport_cli_parse_count ("--limit", limit_text, &limit, &error))
      || (contact = rapport_cli_find_contact (cli, args[0], TRUE, &error)) == NULL
      || (entries_list = rapport_store_timeline (cli->store, RAPPORT_RECORD (contact)->id,
                                                 &error)) == NULL)
    return rapport_cli_fail (cli, error);
  n = limit ? MIN (limit, entries_list->len) : entries_list->len;

  if (cli->json)
    {
      JsonArray *array = json_array_new ();
      for (guint i = 0; i < n; i++)
        {
          RapportRecord *record = entries_list->pdata[i];
          JsonObject *object = rapport_cli_record_json (record);
          json_object_set_string_member (object, "entity", rapport_record_get_entity (record)->name);
          json_array_add_object_element (array, object);
        }
      rapport_cli_print_json_array (array);
      return RAPPORT_CLI_EXIT_OK;
    }

  table = rapport_cli_table_new (5, _("When"), _("What"), _("Who"), _("Summary"), _("Id"));
  for (guint i = 0; i < n; i++)
    {
      RapportRecord *record = entries_list->pdata[i];
      g_autofree char *what = NULL, *summary = NULL, *when_text = NULL;
      const char *who = NULL;
      gint64 when = 0;

      timeline_row (cli, record, &what, &who, &summary, &when);
      when_text = rapport_cli_format_time (when);
      rapport_cli_table_add (table, when_text, what, who, summary, record->id);
    }
  if (n > 0)
    rapport_cli_table_print (table);
  return RAPPORT_CLI_EXIT_OK;
}
