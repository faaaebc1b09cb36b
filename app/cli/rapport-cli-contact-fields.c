/* rapport-cli-contact-fields.c: the options for every contact field, read and checked */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rapport-cli-private.h"

static const char *const contact_kinds[] = { RAPPORT_CONTACT_KINDS, NULL };
static const char *const relationships[] = { RAPPORT_RELATIONSHIPS, NULL };
static const char *const channels[] = { RAPPORT_CHANNELS, NULL };
static const char *const yes_no[] = { "yes", "no", "true", "false", NULL };

/* Parts of an --address, in order, after an optional "label:". */
static const char *const address_parts[] = { "street", "city", "region", "postcode", "country" };

static gboolean invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID, message);
  return FALSE;
}

/* Replaces a text field when the option was given; "" clears it. */
static void
set_text (char **field, const char *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = rapport_cli_nonempty (value);
}

static gboolean
set_keyword (char **field, const char *option, const char *value, const char *const *allowed,
             GError **error)
{
  g_autofree char *keyword = NULL;
  g_autofree char *trimmed = rapport_cli_nonempty (value);

  if (value == NULL)
    return TRUE;
  if (trimmed == NULL)
    {
      g_clear_pointer (field, g_free);
      return TRUE;
    }
  if (!rapport_cli_parse_enum (option, trimmed, allowed, &keyword, error))
    return FALSE;
  g_free (*field);
  *field = g_steal_pointer (&keyword);
  return TRUE;
}

static char *
compose_name (const char *given, const char *family)
{
  if (given != NULL && family != NULL)
    return g_strdup_printf ("%s %s", given, family);
  return g_strdup (given ? given : family);
}

static gboolean
is_label (const char *text, gsize length)
{
  if (length == 0 || length > 32)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalpha (text[i]) && text[i] != '-' && text[i] != '_' && text[i] != ' ')
      return FALSE;
  return TRUE;
}

/* "work:ann@example.org" -> ("work", "ann@example.org"); without a label
 * the default one. */
static void
split_label (const char *text, const char *default_label, char **label, char **value)
{
  const char *colon = strchr (text, ':');

  if (colon != NULL && is_label (text, colon - text) && colon[1] != '\0')
    {
      *label = g_strstrip (g_ascii_strdown (text, colon - text));
      *value = g_strstrip (g_strdup (colon + 1));
    }
  else
    {
      *label = g_strdup (default_label);
      *value = g_strstrip (g_strdup (text));
    }
}

/* Looks like local@domain.tld: one @, no spaces, a domain of dotted labels
 * ending in a top-level domain of two characters or more. */
static gboolean
email_is_valid (const char *email)
{
  const char *at = strchr (email, '@');
  const char *domain, *tld;

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = email; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("<>()[],;:\\\"", *p))
      return FALSE;
  domain = at + 1;
  tld = strrchr (domain, '.');
  if (tld == NULL || *domain == '.' || strstr (domain, "..") != NULL || strlen (tld + 1) < 2)
    return FALSE;
  for (const char *p = domain; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '.' || (guchar) *p >= 0x80))
      return FALSE;
  for (const char *p = tld + 1; *p; p++)
    if (g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static char *
phone_digits (const char *phone)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = phone; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return g_string_free (digits, FALSE);
}

/* Digits with the usual separators, and an extension ("x12", "ext. 12"). */
static gboolean
phone_is_valid (const char *phone)
{
  g_autofree char *digits = phone_digits (phone);

  for (const char *p = phone; *p; p++)
    if (!g_ascii_isdigit (*p) && !strchr (" +-()./xXeEtT", *p))
      return FALSE;
  return strlen (digits) >= 3;
}

/* A fresh, mutable copy of an array of objects (stored arrays are sealed). */
static JsonArray *
entries_copy (JsonArray *source)
{
  JsonArray *copy = json_array_new ();

  for (guint i = 0; source != NULL && i < json_array_get_length (source); i++)
    {
      JsonObject *from = json_array_get_object_element (source, i);
      JsonObject *to = json_object_new ();
      g_autoptr (GList) members = from ? json_object_get_members (from) : NULL;

      for (GList *l = members; l; l = l->next)
        json_object_set_member (to, l->data, json_node_copy (json_object_get_member (from, l->data)));
      json_array_add_object_element (copy, to);
    }
  return copy;
}

typedef gboolean (*EntryMatch) (JsonObject *entry, const char *member, const char *text);

static gboolean
match_casefold (JsonObject *entry, const char *member, const char *text)
{
  const char *value = json_object_get_string_member_with_default (entry, member, NULL);
  g_autofree char *a = value ? g_utf8_casefold (value, -1) : NULL;
  g_autofree char *b = g_utf8_casefold (text, -1);

  return a != NULL && g_str_equal (a, b);
}

static gboolean
match_digits (JsonObject *entry, const char *member, const char *text)
{
  const char *value = json_object_get_string_member_with_default (entry, member, NULL);
  g_autofree char *a = value ? phone_digits (value) : NULL;
  g_autofree char *b = phone_digits (text);

  return a != NULL && *b != '\0' && g_str_equal (a, b);
}

static gboolean
entries_contain (JsonArray *array, const char *member, const char *text, EntryMatch match)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (match (json_array_get_object_element (array, i), member, text))
      return TRUE;
  return FALSE;
}

/* Removes the entries where @member matches @text; FALSE if none did. */
static gboolean
entries_remove (JsonArray **array, const char *member, const char *text, EntryMatch match)
{
  g_autoptr (JsonArray) copy = entries_copy (*array);
  gboolean removed = FALSE;

  for (guint i = json_array_get_length (copy); i > 0; i--)
    if (match (json_array_get_object_element (copy, i - 1), member, text))
      {
        json_array_remove_element (copy, i - 1);
        removed = TRUE;
      }
  if (*array != NULL)
    json_array_unref (*array);
  *array = g_steal_pointer (&copy);
  return removed;
}

static void
entries_append (JsonArray **array, JsonObject *entry)
{
  JsonArray *copy = entries_copy (*array);

  json_array_add_object_element (copy, entry);
  if (*array != NULL)
    json_array_unref (*array);
  *array = copy;
}

static gboolean
add_labelled (JsonArray **array, const char *option, char **values, gboolean phone,
              GError **error)
{
  for (char **v = values; v && *v; v++)
    {
      g_autofree char *label = NULL;
      g_autofree char *value = NULL;
      JsonObject *entry;

      split_label (*v, "work", &label, &value);
      if (!phone && !email_is_valid (value))
        return invalid (error, _("%s: “%s” is not an email address; write it as name@example.org"),
                        option, value);
      if (phone && !phone_is_valid (value))
        return invalid (error, _("%s: “%s” is not a phone number; use digits, spaces and + ( ) -"),
                        option, value);
      if (entries_contain (*array, "value", value, phone ? match_digits : match_casefold))
        continue;
      entry = json_object_new ();
      json_object_set_string_member (entry, "label", label);
      json_object_set_string_member (entry, "value", value);
      entries_append (array, entry);
    }
  return TRUE;
}

static gboolean
add_addresses (JsonArray **array, char **values, GError **error)
{
  for (char **v = values; v && *v; v++)
    {
      g_autofree char *label = NULL;
      g_autofree char *rest = NULL;
      g_auto (GStrv) parts = NULL;
      g_autoptr (JsonObject) entry = json_object_new ();
      gboolean any = FALSE;

      split_label (*v, "work", &label, &rest);
      parts = g_strsplit (rest, ";", -1);
      if (g_strv_length (parts) > G_N_ELEMENTS (address_parts))
        return invalid (error, _("--address: “%s” has too many parts; write "
                                 "[LABEL:]STREET; CITY; REGION; POSTCODE; COUNTRY"), *v);
      json_object_set_string_member (entry, "label", label);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] == '\0')
            continue;
          json_object_set_string_member (entry, address_parts[i], parts[i]);
          any = TRUE;
        }
      if (!any)
        return invalid (error, _("--address: the address is empty; write "
                                 "[LABEL:]STREET; CITY; REGION; POSTCODE; COUNTRY"));
      entries_append (array, g_steal_pointer (&entry));
    }
  return TRUE;
}

static gboolean
add_social (JsonArray **array, char **values, GError **error)
{
  for (char **v = values; v && *v; v++)
    {
      const char *colon = strchr (*v, ':');
      g_autofree char *service = NULL;
      g_autofree char *handle = NULL;
      JsonObject *entry;

      if (colon != NULL)
        {
          service = g_strstrip (g_ascii_strdown (*v, colon - *v));
          handle = g_strstrip (g_strdup (colon + 1));
        }
      if (service == NULL || *service == '\0' || *handle == '\0')
        return invalid (error, _("--social: “%s” is not SERVICE:HANDLE; write it as "
                                 "linkedin:zoe-muller"), *v);
      if (entries_contain (*array, "service", service, match_casefold)
          && entries_contain (*array, "handle", handle, match_casefold))
        continue;
      entry = json_object_new ();
      json_object_set_string_member (entry, "service", service);
      json_object_set_string_member (entry, "handle", handle);
      entries_append (array, entry);
    }
  return TRUE;
}

static gboolean
remove_entries (JsonArray **array, const char *option, char **values, const char *member,
                const char *other_member, EntryMatch match, GError **error)
{
  for (char **v = values; v && *v; v++)
    {
      gboolean removed = entries_remove (array, member, *v, match);

      if (other_member != NULL)
        removed = entries_remove (array, other_member, *v, match) || removed;
      if (!removed)
        return invalid (error, _("%s: the contact has no “%s”; see “rapport-cli contact show”"),
                        option, *v);
    }
  return TRUE;
}

static void
edit_tags (RapportContact *contact, char **add, char **remove)
{
  g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);

  for (char **t = contact->tags; t && *t; t++)
    g_ptr_array_add (tags, g_strdup (*t));
  for (char **option = add; option && *option; option++)
    {
      g_auto (GStrv) words = g_strsplit (*option, ",", -1);
      for (char **w = words; *w; w++)
        {
          g_autofree char *tag = rapport_cli_nonempty (*w);
          gboolean present = FALSE;

          for (guint i = 0; tag && i < tags->len && !present; i++)
            present = g_ascii_strcasecmp (tags->pdata[i], tag) == 0;
          if (tag != NULL && !present)
            g_ptr_array_add (tags, g_steal_pointer (&tag));
        }
    }
  for (char **option = remove; option && *option; option++)
    {
      g_auto (GStrv) words = g_strsplit (*option, ",", -1);
      for (char **w = words; *w; w++)
        {
          g_autofree char *tag = rapport_cli_nonempty (*w);
          for (guint i = tags->len; tag && i > 0; i--)
            if (g_ascii_strcasecmp (tags->pdata[i - 1], tag) == 0)
              g_ptr_array_remove_index (tags, i - 1);
        }
    }
  g_ptr_array_add (tags, NULL);
  g_strfreev (contact->tags);
  contact->tags = (char **) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
}

/* YYYY-MM-DD, or --MM-DD (or MM-DD) when the year is unknown. */
static gboolean
set_birthday (RapportContact *contact, const char *text, GError **error)
{
  g_autofree char *value = rapport_cli_nonempty (text);
  unsigned year = 2000, month = 0, day = 0;
  char tail = 0;
  gboolean has_year = TRUE;

  if (value == NULL)
    {
      g_clear_pointer (&contact->birthday, g_free);
      return TRUE;
    }
  if (sscanf (value, "%4u-%2u-%2u%c", &year, &month, &day, &tail) != 3 || strlen (value) != 10)
    {
      const char *md = g_str_has_prefix (value, "--") ? value + 2 : value;

      has_year = FALSE;
      year = 2000;
      if (sscanf (md, "%2u-%2u%c", &month, &day, &tail) != 2 || strlen (md) != 5)
        month = 0;
    }
  if (month < 1 || month > 12 || day < 1 || year < 1 || year > 9999
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return invalid (error, _("--birthday: “%s” is not a date; write YYYY-MM-DD, or --MM-DD "
                             "when the year is unknown"), value);
  g_free (contact->birthday);
  if (has_year)
    contact->birthday = g_strdup_printf ("%04u-%02u-%02u", year, month, day);
  else
    contact->birthday = g_strdup_printf ("--%02u-%02u", month, day);
  return TRUE;
}

/* 30d, 4w, 3m (months of 30 days), a plain number of days, or 0. */
static gboolean
set_cadence (RapportContact *contact, const char *text, GError **error)
{
  g_autofree char *value = g_strstrip (g_ascii_strdown (text, -1));
  guint64 n = 0;
  guint unit = 1;
  gsize len = strlen (value);

  if (g_str_equal (value, "none") || g_str_equal (value, "off") || g_str_equal (value, "never"))
    {
      contact->cadence_days = 0;
      return TRUE;
    }
  if (len > 1 && strchr ("dwm", value[len - 1]))
    {
      unit = value[len - 1] == 'w' ? 7 : value[len - 1] == 'm' ? 30 : 1;
      value[len - 1] = '\0';
    }
  if (!g_ascii_string_to_unsigned (value, 10, 0, 3650, &n, NULL) || n * unit > 3650)
    return invalid (error, _("--cadence: “%s” is not a cadence; write days or weeks such as "
                             "30d or 4w, or 0 for none"), text);
  contact->cadence_days = (gint64) (n * unit);
  return TRUE;
}

static gboolean
set_organization (RapportCli *cli, RapportContact *contact, RapportCliContactOptions *o,
                  GError **error)
{
  g_autoptr (RapportContact) org = NULL;

  if (*o->org_id == '\0')
    {
      g_clear_pointer (&contact->organization_id, g_free);
      return TRUE;
    }
  org = rapport_cli_find_contact (cli, o->org_id, FALSE, error);
  if (org == NULL)
    {
      g_prefix_error (error, "--org-id: ");
      return FALSE;
    }
  if (g_strcmp0 (org->kind, "organization") != 0)
    return invalid (error, _("--org-id: “%s” is a person, not an organization; make it one with "
                             "“rapport-cli contact edit %s --kind organization”"),
                    org->name, RAPPORT_RECORD (org)->id);
  if (g_strcmp0 (RAPPORT_RECORD (org)->id, RAPPORT_RECORD (contact)->id) == 0)
    return invalid (error, _("--org-id: a contact cannot belong to itself"));
  g_free (contact->organization_id);
  contact->organization_id = g_strdup (RAPPORT_RECORD (org)->id);
  if (o->organization == NULL)
    {
      g_free (contact->organization);
      contact->organization = g_strdup (org->name);
    }
  return TRUE;
}

static gboolean
set_names (RapportContact *contact, RapportCliContactOptions *o, GError **error)
{
  g_autofree char *old_composed = compose_name (contact->given_name, contact->family_name);

  set_text (&contact->given_name, o->given_name);
  set_text (&contact->family_name, o->family_name);
  if (o->name != NULL)
    set_text (&contact->name, o->name);
  else if ((o->given_name || o->family_name)
           && (contact->name == NULL || g_strcmp0 (contact->name, old_composed) == 0))
    {
      g_free (contact->name);
      contact->name = compose_name (contact->given_name, contact->family_name);
    }
  if (contact->name == NULL)
    return invalid (error, _("a contact needs a name; give it with --name"));
  return TRUE;
}

static gboolean
set_owner (RapportCli *cli, RapportContact *contact, const char *owner, GError **error)
{
  g_autoptr (RapportUser) user = NULL;

  if (owner == NULL)
    return TRUE;
  if (*owner == '\0')
    {
      g_clear_pointer (&contact->owner, g_free);
      return TRUE;
    }
  user = rapport_cli_find_user (cli, "--owner", owner, error);
  if (user == NULL)
    return FALSE;
  g_free (contact->owner);
  contact->owner = g_strdup (RAPPORT_RECORD (user)->id);
  return TRUE;
}

/**
 * rapport_cli_contact_apply:
 *
 * Sets the fields of @contact that the options give, checking each. On
 * error @contact is partly changed and must not be saved.
 */
gboolean
rapport_cli_contact_apply (RapportCli *cli, RapportCliContactOptions *o, RapportContact *contact,
                           GError **error)
{
  g_autofree char *consent = NULL;

  if (o->do_not_contact && o->contact_ok)
    return invalid (error, _("--do-not-contact and --contact-ok contradict each other; give one"));
  if (o->kind != NULL)
    {
      g_autofree char *kind = NULL;

      if (!rapport_cli_parse_enum ("--kind", o->kind, contact_kinds, &kind, error))
        return FALSE;
      g_free (contact->kind);
      contact->kind = g_steal_pointer (&kind);
    }
  if (contact->kind == NULL)
    contact->kind = g_strdup ("person");
  if (!set_names (contact, o, error))
    return FALSE;

  set_text (&contact->organization, o->organization);
  if (o->org_id != NULL && !set_organization (cli, contact, o, error))
    return FALSE;
  set_text (&contact->job_title, o->title);
  set_text (&contact->stage, o->stage);
  set_text (&contact->source, o->source);
  if (!set_keyword (&contact->relationship, "--relationship", o->relationship, relationships, error)
      || !set_keyword (&contact->preferred_channel, "--channel", o->channel, channels, error)
      || !set_owner (cli, contact, o->owner, error))
    return FALSE;

  edit_tags (contact, o->tags, o->untags);
  if (!remove_entries (&contact->emails, "--remove-email", o->remove_emails, "value", NULL,
                       match_casefold, error)
      || !remove_entries (&contact->phones, "--remove-phone", o->remove_phones, "value", NULL,
                          match_digits, error)
      || !remove_entries (&contact->addresses, "--remove-address", o->remove_addresses, "label",
                          "street", match_casefold, error)
      || !remove_entries (&contact->social, "--remove-social", o->remove_social, "service", NULL,
                          match_casefold, error)
      || !add_labelled (&contact->emails, "--email", o->emails, FALSE, error)
      || !add_labelled (&contact->phones, "--phone", o->phones, TRUE, error)
      || !add_addresses (&contact->addresses, o->addresses, error)
      || !add_social (&contact->social, o->social, error))
    return FALSE;

  if (o->birthday != NULL && !set_birthday (contact, o->birthday, error))
    return FALSE;
  if (o->cadence != NULL && !set_cadence (contact, o->cadence, error))
    return FALSE;
  if (o->marketing_consent != NULL)
    {
      if (!rapport_cli_parse_enum ("--marketing-consent", o->marketing_consent, yes_no, &consent,
                                   error))
        return FALSE;
      contact->marketing_consent = g_str_equal (consent, "yes") || g_str_equal (consent, "true");
    }
  if (o->do_not_contact)
    contact->do_not_contact = TRUE;
  if (o->contact_ok)
    contact->do_not_contact = FALSE;
  return TRUE;
}

/**
 * rapport_cli_contact_option_entries:
 * @edit: whether to add the options that remove values
 *
 * Returns: (transfer full): the option entries writing into @o.
 */
GOptionEntry *
rapport_cli_contact_option_entries (RapportCliContactOptions *o, gboolean edit)
{
  const GOptionEntry fields[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &o->name, N_("The name to show"), N_("NAME") },
    { "given-name", 0, 0, G_OPTION_ARG_STRING, &o->given_name, N_("A person's given name"), N_("NAME") },
    { "family-name", 0, 0, G_OPTION_ARG_STRING, &o->family_name, N_("A person's family name"), N_("NAME") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &o->kind, N_("person or organization"), N_("KIND") },
    { "organization", 0, 0, G_OPTION_ARG_STRING, &o->organization, N_("The organization, as text"), N_("NAME") },
    { "org-id", 0, 0, G_OPTION_ARG_STRING, &o->org_id, N_("The organization contact a person belongs to"), N_("CONTACT") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &o->title, N_("Job title"), N_("TITLE") },
    { "relationship", 0, 0, G_OPTION_ARG_STRING, &o->relationship, N_("customer, prospect, partner or former"), N_("RELATIONSHIP") },
    { "stage", 0, 0, G_OPTION_ARG_STRING, &o->stage, N_("Lifecycle stage (lead, qualified, active, …)"), N_("STAGE") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &o->owner, N_("The user who owns the relationship"), N_("USER") },
    { "tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->tags, N_("Add a tag (repeatable)"), N_("TAG") },
    { "email", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->emails, N_("Add an email (repeatable)"), N_("[LABEL:]ADDRESS") },
    { "phone", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->phones, N_("Add a phone number (repeatable)"), N_("[LABEL:]NUMBER") },
    { "address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->addresses, N_("Add an address: [LABEL:]STREET;CITY;REGION;POSTCODE;COUNTRY (repeatable)"), N_("ADDRESS") },
    { "social", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->social, N_("Add a social handle (repeatable)"), N_("SERVICE:HANDLE") },
    { "birthday", 0, 0, G_OPTION_ARG_STRING, &o->birthday, N_("Birthday"), N_("YYYY-MM-DD|--MM-DD") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &o->source, N_("Where the contact came from"), N_("SOURCE") },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &o->channel, N_("Preferred channel (email, phone, sms, meeting, …)"), N_("CHANNEL") },
    { "do-not-contact", 0, 0, G_OPTION_ARG_NONE, &o->do_not_contact, N_("The contact asked not to be contacted"), NULL },
    { "contact-ok", 0, 0, G_OPTION_ARG_NONE, &o->contact_ok, N_("The contact may be contacted again"), NULL },
    { "marketing-consent", 0, 0, G_OPTION_ARG_STRING, &o->marketing_consent, N_("Consent to marketing: yes or no"), N_("yes|no") },
    { "cadence", 0, 0, G_OPTION_ARG_STRING, &o->cadence, N_("Keep in touch every 30d, 4w, …; 0 for never"), N_("CADENCE") },
  };
  const GOptionEntry removals[] = {
    { "untag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->untags, N_("Remove a tag (repeatable)"), N_("TAG") },
    { "remove-email", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->remove_emails, N_("Remove an email"), N_("ADDRESS") },
    { "remove-phone", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->remove_phones, N_("Remove a phone number"), N_("NUMBER") },
    { "remove-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->remove_addresses, N_("Remove an address by label or street"), N_("TEXT") },
    { "remove-social", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->remove_social, N_("Remove a social handle by service"), N_("SERVICE") },
  };
  GArray *entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));

  g_array_append_vals (entries, fields, G_N_ELEMENTS (fields));
  if (edit)
    g_array_append_vals (entries, removals, G_N_ELEMENTS (removals));
  return (GOptionEntry *) (void *) g_array_free (entries, FALSE);
}

/* Whether no field option was given (edit needs one). */
gboolean
rapport_cli_contact_options_empty (RapportCliContactOptions *o)
{
  const char *texts[] = { o->name, o->given_name, o->family_name, o->kind, o->organization,
                          o->org_id, o->title, o->relationship, o->stage, o->owner, o->birthday,
                          o->source, o->channel, o->marketing_consent, o->cadence };
  char **lists[] = { o->tags, o->emails, o->phones, o->addresses, o->social, o->untags,
                     o->remove_emails, o->remove_phones, o->remove_addresses, o->remove_social };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i] != NULL)
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (lists[i] != NULL)
      return FALSE;
  return !o->do_not_contact && !o->contact_ok;
}

void
rapport_cli_contact_options_clear (RapportCliContactOptions *o)
{
  char **texts[] = { &o->name, &o->given_name, &o->family_name, &o->kind, &o->organization,
                     &o->org_id, &o->title, &o->relationship, &o->stage, &o->owner, &o->birthday,
                     &o->source, &o->channel, &o->marketing_consent, &o->cadence };
  char ***lists[] = { &o->tags, &o->emails, &o->phones, &o->addresses, &o->social, &o->untags,
                      &o->remove_emails, &o->remove_phones, &o->remove_addresses, &o->remove_social };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_clear_pointer (texts[i], g_free);
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    g_clear_pointer (lists[i], g_strfreev);
}
