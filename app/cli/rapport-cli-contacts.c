/* rapport-cli-contacts.c: the contact verbs, search and the Trash */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-cli-private.h"
#include "rapport-contact-list.h"
#include "rapport-search.h"

static const char *const contact_kinds[] = { RAPPORT_CONTACT_KINDS, NULL };
static const char *const relationships[] = { RAPPORT_RELATIONSHIPS, NULL };

#define DEFAULT_SEARCH_LIMIT 50

static RapportCliTable *
contact_table_new (void)
{
  return rapport_cli_table_new (5, _("Name"), _("Organization"), _("Relationship"), _("Email"),
                                _("Id"));
}

static void
contact_table_add (RapportCliTable *table, RapportContact *c)
{
  const char *email = rapport_contact_get_primary_email (c);

  rapport_cli_table_add (table, c->name, c->organization, c->relationship,
                         email ? email : rapport_contact_get_primary_phone (c),
                         RAPPORT_RECORD (c)->id);
}

/* Prints the contacts of @contacts as a table or, with --json, an array. */
static void
print_contacts (RapportCli *cli, GPtrArray *contacts)
{
  g_autoptr (RapportCliTable) table = NULL;

  if (cli->json)
    {
      rapport_cli_print_json_array (rapport_cli_records_json (contacts));
      return;
    }
  table = contact_table_new ();
  for (guint i = 0; i < contacts->len; i++)
    contact_table_add (table, contacts->pdata[i]);
  if (contacts->len > 0)
    rapport_cli_table_print (table);
}

static void
warn_duplicate_emails (RapportCli *cli, RapportContact *contact)
{
  for (guint i = 0; contact->emails && i < json_array_get_length (contact->emails); i++)
    {
      JsonObject *entry = json_array_get_object_element (contact->emails, i);
      const char *email = json_object_get_string_member_with_default (entry, "value", "");
      g_autoptr (RapportContact) other = rapport_store_find_contact (cli->store, email, NULL);

      if (other == NULL || g_strcmp0 (RAPPORT_RECORD (other)->id, RAPPORT_RECORD (contact)->id) == 0)
        continue;
      for (guint j = 0; other->emails && j < json_array_get_length (other->emails); j++)
        {
          JsonObject *o = json_array_get_object_element (other->emails, j);
          if (g_ascii_strcasecmp (json_object_get_string_member_with_default (o, "value", ""),
                                  email) == 0)
            {
              g_printerr (_("%s: note: %s is also the email of “%s” (%s)\n"), cli->command, email,
                          other->name ? other->name : "", RAPPORT_RECORD (other)->id);
              break;
            }
        }
    }
}

static int
contact_add (RapportCli *cli, char **argv)
{
  RapportCliContactOptions o = { 0 };
  g_autofree GOptionEntry *entries = rapport_cli_contact_option_entries (&o, FALSE);
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  RapportUser *me;
  int status;

  status = rapport_cli_parse (cli, argv, entries, NULL, N_("Add a contact and print its id."),
                              RAPPORT_CLI_PARSE_DEFAULT, 0, 0, &args);
  if (status == RAPPORT_CLI_CONTINUE)
    {
      if ((me = rapport_cli_ensure_me (cli, &error)) == NULL
          || !rapport_cli_contact_apply (cli, &o, contact, &error))
        status = rapport_cli_fail (cli, error);
      else
        {
          contact->created_by = g_strdup (RAPPORT_RECORD (me)->id);
          if (o.owner == NULL)
            contact->owner = g_strdup (RAPPORT_RECORD (me)->id);
          if (!rapport_store_save (cli->store, RAPPORT_RECORD (contact), &error))
            status = rapport_cli_fail (cli, error);
          else
            {
              warn_duplicate_emails (cli, contact);
              g_print ("%s\n", RAPPORT_RECORD (contact)->id);
              status = RAPPORT_CLI_EXIT_OK;
            }
        }
    }
  rapport_cli_contact_options_clear (&o);
  return status;
}

static int
contact_edit (RapportCli *cli, char **argv)
{
  RapportCliContactOptions o = { 0 };
  g_autofree GOptionEntry *entries = rapport_cli_contact_option_entries (&o, TRUE);
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("CONTACT"),
                              N_("Change the fields of a contact. An empty value clears a field."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status == RAPPORT_CLI_CONTINUE && rapport_cli_contact_options_empty (&o))
    status = rapport_cli_usage_error (cli, _("nothing to change; give the fields to set"));
  if (status == RAPPORT_CLI_CONTINUE)
    {
      if (rapport_cli_ensure_me (cli, &error) == NULL
          || (contact = rapport_cli_find_contact (cli, args[0], FALSE, &error)) == NULL
          || !rapport_cli_contact_apply (cli, &o, contact, &error)
          || !rapport_store_save (cli->store, RAPPORT_RECORD (contact), &error))
        status = rapport_cli_fail (cli, error);
      else
        {
          warn_duplicate_emails (cli, contact);
          g_print ("%s\n", RAPPORT_RECORD (contact)->id);
          status = RAPPORT_CLI_EXIT_OK;
        }
    }
  rapport_cli_contact_options_clear (&o);
  return status;
}

static void
print_entries (const char *label, JsonArray *array, const char *first, const char *second)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      const char *a = json_object_get_string_member_with_default (entry, first, "");
      const char *b = json_object_get_string_member_with_default (entry, second, NULL);
      g_autofree char *text = b && *b ? g_strdup_printf ("%s (%s)", a, b) : g_strdup (a);

      rapport_cli_print_field (i == 0 ? label : "", text);
    }
}

static void
print_addresses (JsonArray *array)
{
  static const char *const parts[] = { "street", "city", "region", "postcode", "country" };

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      g_autoptr (GString) text = g_string_new (NULL);
      const char *label = json_object_get_string_member_with_default (entry, "label", NULL);

      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        {
          const char *part = json_object_get_string_member_with_default (entry, parts[p], NULL);
          if (part != NULL && *part != '\0')
            g_string_append_printf (text, "%s%s", text->len ? ", " : "", part);
        }
      if (label != NULL)
        g_string_append_printf (text, " (%s)", label);
      rapport_cli_print_field (i == 0 ? _("Address") : "", text->str);
    }
}

static void
print_contact (RapportCli *cli, RapportContact *c)
{
  RapportRecord *record = RAPPORT_RECORD (c);
  g_autofree char *tags = c->tags ? g_strjoinv (", ", c->tags) : NULL;
  g_autofree char *cadence = NULL;
  g_autofree char *last = rapport_cli_format_time (c->last_interaction_at);
  g_autofree char *created = rapport_cli_format_time (record->created_at);
  g_autofree char *deleted = rapport_cli_format_time (record->deleted_at);

  if (c->cadence_days > 0)
    cadence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %d day", "every %d days",
                                            (gulong) c->cadence_days),
                               (int) c->cadence_days);
  g_print ("%s\n", c->name ? c->name : "");
  rapport_cli_print_field (_("Id"), record->id);
  rapport_cli_print_field (_("Kind"), c->kind);
  rapport_cli_print_field (_("Given name"), c->given_name);
  rapport_cli_print_field (_("Family name"), c->family_name);
  rapport_cli_print_field (_("Organization"), c->organization);
  rapport_cli_print_field (_("Organization id"), c->organization_id);
  rapport_cli_print_field (_("Job title"), c->job_title);
  rapport_cli_print_field (_("Relationship"), c->relationship);
  rapport_cli_print_field (_("Stage"), c->stage);
  rapport_cli_print_field (_("Owner"), c->owner ? rapport_cli_user_label (cli, c->owner) : NULL);
  rapport_cli_print_field (_("Tags"), tags);
  print_entries (_("Email"), c->emails, "value", "label");
  print_entries (_("Phone"), c->phones, "value", "label");
  print_addresses (c->addresses);
  print_entries (_("Social"), c->social, "handle", "service");
  rapport_cli_print_field (_("Birthday"), c->birthday);
  rapport_cli_print_field (_("Source"), c->source);
  rapport_cli_print_field (_("Preferred channel"), c->preferred_channel);
  rapport_cli_print_field (_("Do not contact"), c->do_not_contact ? _("yes") : NULL);
  rapport_cli_print_field (_("Marketing consent"), c->marketing_consent ? _("yes") : _("no"));
  rapport_cli_print_field (_("Keep in touch"), cadence);
  rapport_cli_print_field (_("Last interaction"), last);
  rapport_cli_print_field (_("Created"), created);
  rapport_cli_print_field (_("Created by"),
                           c->created_by ? rapport_cli_user_label (cli, c->created_by) : NULL);
  if (record->deleted)
    rapport_cli_print_field (_("In the Trash since"), deleted);
}

static int
contact_show (RapportCli *cli, char **argv)
{
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  int status;

  status = rapport_cli_parse (cli, argv, NULL, N_("CONTACT"), N_("Show every field of a contact."),
                              RAPPORT_CLI_PARSE_JSON, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  contact = rapport_cli_find_contact (cli, args[0], TRUE, &error);
  if (contact == NULL)
    return rapport_cli_fail (cli, error);
  if (cli->json)
    rapport_cli_print_json_object (rapport_cli_record_json (RAPPORT_RECORD (contact)));
  else
    print_contact (cli, contact);
  return RAPPORT_CLI_EXIT_OK;
}

typedef struct
{
  char *owner_id;
  char *relationship;
  char *kind;
  char *stage;
} ListFilter;

static gboolean
list_filter_match (ListFilter *f, RapportContact *c)
{
  return (f->owner_id == NULL || g_strcmp0 (c->owner, f->owner_id) == 0)
         && (f->relationship == NULL || g_strcmp0 (c->relationship, f->relationship) == 0)
         && (f->kind == NULL || g_strcmp0 (c->kind, f->kind) == 0)
         && (f->stage == NULL || (c->stage && g_ascii_strcasecmp (c->stage, f->stage) == 0));
}

static void
list_filter_clear (ListFilter *f)
{
  g_free (f->owner_id);
  g_free (f->relationship);
  g_free (f->kind);
  g_free (f->stage);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ListFilter, list_filter_clear)

/* The list model (lazy, sorted by name) does the most selective filter;
 * the others are checked here. */
static RapportContactList *
list_model (RapportStore *store, const char *tag, gboolean mine, gboolean cold,
            const char *relationship)
{
  RapportContactList *list = rapport_contact_list_new (store);

  if (tag != NULL)
    {
      rapport_contact_list_set_tag (list, tag);
      rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_TAG);
    }
  else if (mine)
    rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_MINE);
  else if (cold)
    rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_GOING_COLD);
  else if (g_strcmp0 (relationship, "customer") == 0)
    rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_CUSTOMERS);
  else if (g_strcmp0 (relationship, "prospect") == 0)
    rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_PROSPECTS);
  return list;
}

static int
contact_list (RapportCli *cli, char **argv)
{
  g_autofree char *tag = NULL, *owner = NULL, *relationship = NULL, *kind = NULL;
  g_autofree char *stage = NULL, *limit_text = NULL;
  gboolean mine = FALSE, cold = FALSE;
  const GOptionEntry entries[] = {
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag, N_("Only contacts with this tag"), N_("TAG") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, N_("Only contacts this user owns"), N_("USER") },
    { "mine", 0, 0, G_OPTION_ARG_NONE, &mine, N_("Only contacts you own"), NULL },
    { "relationship", 0, 0, G_OPTION_ARG_STRING, &relationship, N_("Only customers, prospects, partners or former"), N_("RELATIONSHIP") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("Only persons or organizations"), N_("KIND") },
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage, N_("Only contacts at this stage"), N_("STAGE") },
    { "going-cold", 0, 0, G_OPTION_ARG_NONE, &cold, N_("Only relationships going cold"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text, N_("At most this many contacts"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_auto (ListFilter) filter = { 0 };
  g_autoptr (RapportContactList) list = NULL;
  g_autoptr (GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  RapportStore *store;
  guint limit = 0, n;
  int status;

  status = rapport_cli_parse (cli, argv, entries, NULL,
                              N_("List contacts by name (not those in the Trash)."),
                              RAPPORT_CLI_PARSE_JSON, 0, 0, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if ((limit_text && !rapport_cli_parse_count ("--limit", limit_text, &limit, &error))
      || (relationship && !rapport_cli_parse_enum ("--relationship", relationship, relationships,
                                                   &filter.relationship, &error))
      || (kind && !rapport_cli_parse_enum ("--kind", kind, contact_kinds, &filter.kind, &error))
      || (store = rapport_cli_get_store (cli, &error)) == NULL)
    return rapport_cli_fail (cli, error);
  if (owner != NULL)
    {
      g_autoptr (RapportUser) user = rapport_cli_find_user (cli, "--owner", owner, &error);
      if (user == NULL)
        return rapport_cli_fail (cli, error);
      filter.owner_id = g_strdup (RAPPORT_RECORD (user)->id);
    }
  if (mine && rapport_store_get_me_id (store) == NULL)
    return rapport_cli_usage_error (cli, _("--mine: nobody is set as you on this desktop; set "
                                           "yourself with “rapport-cli whoami --set NAME”"));
  filter.stage = rapport_cli_nonempty (stage);

  list = list_model (store, tag, mine, cold, filter.relationship);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = 0; i < n && (limit == 0 || contacts->len < limit); i++)
    {
      g_autoptr (RapportContact) c = g_list_model_get_item (G_LIST_MODEL (list), i);
      if (c != NULL && list_filter_match (&filter, c))
        g_ptr_array_add (contacts, g_steal_pointer (&c));
    }
  print_contacts (cli, contacts);
  return RAPPORT_CLI_EXIT_OK;
}

static int
contact_delete (RapportCli *cli, char **argv)
{
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  int status;

  status = rapport_cli_parse (cli, argv, NULL, N_("CONTACT"),
                              N_("Move a contact to the Trash, from which it can be restored."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (rapport_cli_ensure_me (cli, &error) == NULL
      || (contact = rapport_cli_find_contact (cli, args[0], FALSE, &error)) == NULL
      || !rapport_store_delete (cli->store, RAPPORT_RECORD (contact), &error))
    return rapport_cli_fail (cli, error);
  g_print (_("Moved “%s” to the Trash; restore it with “rapport-cli contact restore %s”\n"),
           contact->name ? contact->name : "", RAPPORT_RECORD (contact)->id);
  return RAPPORT_CLI_EXIT_OK;
}

/* A contact in the Trash, by id, exact name or exact email. */
static RapportContact *
find_in_trash (RapportCli *cli, const char *query, GError **error)
{
  g_autoptr (GPtrArray) trash = NULL;
  g_autoptr (RapportContact) found = NULL;
  g_autofree char *folded = g_utf8_casefold (query, -1);
  guint matches = 0;

  if (rapport_cli_get_store (cli, error) == NULL)
    return NULL;
  trash = rapport_store_list_trash (cli->store, error);
  if (trash == NULL)
    return NULL;
  for (guint i = 0; i < trash->len; i++)
    {
      RapportContact *c = trash->pdata[i];
      g_autofree char *name = c->name ? g_utf8_casefold (c->name, -1) : NULL;
      gboolean match = g_strcmp0 (RAPPORT_RECORD (c)->id, query) == 0
                       || g_strcmp0 (name, folded) == 0;

      for (guint j = 0; !match && c->emails && j < json_array_get_length (c->emails); j++)
        {
          JsonObject *e = json_array_get_object_element (c->emails, j);
          match = g_ascii_strcasecmp (json_object_get_string_member_with_default (e, "value", ""),
                                      query) == 0;
        }
      if (match && matches++ == 0)
        found = g_object_ref (c);
    }
  if (matches == 1)
    return g_steal_pointer (&found);
  if (matches > 1)
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_AMBIGUOUS,
                 _("“%s” matches %u contacts in the Trash; give the id shown by “rapport-cli trash”"),
                 query, matches);
  else
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND,
                 _("No contact in the Trash matches “%s”; see “rapport-cli trash”"), query);
  return NULL;
}

static int
contact_restore (RapportCli *cli, char **argv)
{
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  int status;

  status = rapport_cli_parse (cli, argv, NULL, N_("CONTACT"),
                              N_("Bring a contact back from the Trash."),
                              RAPPORT_CLI_PARSE_DEFAULT, 1, 1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (rapport_cli_ensure_me (cli, &error) == NULL
      || (contact = find_in_trash (cli, args[0], &error)) == NULL
      || !rapport_store_restore (cli->store, RAPPORT_RECORD (contact), &error))
    return rapport_cli_fail (cli, error);
  g_print (_("Restored “%s”\n"), contact->name ? contact->name : "");
  return RAPPORT_CLI_EXIT_OK;
}

static const RapportCliVerb contact_verbs[] = {
  { "add", N_("Add a contact"), contact_add },
  { "edit", N_("Change a contact's fields"), contact_edit },
  { "show", N_("Show a contact"), contact_show },
  { "list", N_("List contacts"), contact_list },
  { "delete", N_("Move a contact to the Trash"), contact_delete },
  { "restore", N_("Bring a contact back from the Trash"), contact_restore },
};

int
rapport_cli_contact (RapportCli *cli, char **argv)
{
  return rapport_cli_dispatch (cli, contact_verbs, G_N_ELEMENTS (contact_verbs), argv);
}

int
rapport_cli_search (RapportCli *cli, char **argv)
{
  g_autofree char *limit_text = NULL;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text, N_("At most this many contacts (default 50)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  g_autofree char *query = NULL;
  guint limit = DEFAULT_SEARCH_LIMIT;
  int status;

  status = rapport_cli_parse (cli, argv, entries, N_("QUERY…"),
                              N_("Find contacts whose name, organization, emails, phones, tags, "
                                 "notes or interactions match every word as a prefix."),
                              RAPPORT_CLI_PARSE_JSON, 1, -1, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  query = g_strjoinv (" ", args);
  if ((limit_text && !rapport_cli_parse_count ("--limit", limit_text, &limit, &error))
      || rapport_cli_get_store (cli, &error) == NULL
      || (ids = rapport_store_search (cli->store, query, limit, &error)) == NULL)
    return rapport_cli_fail (cli, error);
  for (guint i = 0; i < ids->len; i++)
    {
      RapportContact *c = rapport_store_get_contact (cli->store, ids->pdata[i], NULL);
      if (c != NULL)
        g_ptr_array_add (contacts, c);
    }
  print_contacts (cli, contacts);
  return RAPPORT_CLI_EXIT_OK;
}

int
rapport_cli_trash (RapportCli *cli, char **argv)
{
  g_autoptr (GPtrArray) trash = NULL;
  g_autoptr (RapportCliTable) table = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  int status;

  status = rapport_cli_parse (cli, argv, NULL, NULL,
                              N_("List the contacts in the Trash, last deleted first."),
                              RAPPORT_CLI_PARSE_JSON, 0, 0, &args);
  if (status != RAPPORT_CLI_CONTINUE)
    return status;
  if (rapport_cli_get_store (cli, &error) == NULL
      || (trash = rapport_store_list_trash (cli->store, &error)) == NULL)
    return rapport_cli_fail (cli, error);
  if (cli->json)
    {
      rapport_cli_print_json_array (rapport_cli_records_json (trash));
      return RAPPORT_CLI_EXIT_OK;
    }
  table = rapport_cli_table_new (3, _("Name"), _("Deleted"), _("Id"));
  for (guint i = 0; i < trash->len; i++)
    {
      RapportContact *c = trash->pdata[i];
      g_autofree char *when = rapport_cli_format_time (RAPPORT_RECORD (c)->deleted_at);
      rapport_cli_table_add (table, c->name, when, RAPPORT_RECORD (c)->id);
    }
  if (trash->len > 0)
    rapport_cli_table_print (table);
  return RAPPORT_CLI_EXIT_OK;
}
