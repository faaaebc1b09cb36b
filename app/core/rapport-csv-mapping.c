/* rapport-csv-mapping.c: which contact field each CSV column becomes */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rapport-csv-private.h"

struct _RapportCsvMapping
{
  gatomicrefcount ref;
  char *preset;          /* "google", "outlook" or NULL */
  gboolean guess;        /* columns the mapping does not name are guessed */
  GHashTable *by_name;   /* normalized header -> RapportCsvTarget */
  GHashTable *by_index;  /* 1-based column -> RapportCsvTarget */
  int header;            /* -1: detect */
  char delimiter;        /* 0: detect */
};

G_DEFINE_BOXED_TYPE (RapportCsvMapping, rapport_csv_mapping, rapport_csv_mapping_ref,
                     rapport_csv_mapping_unref)

static const struct
{
  const char *name;
  TargetKind kind;
} field_names[] = {
  { "name", TARGET_NAME }, { "given_name", TARGET_GIVEN }, { "middle_name", TARGET_MIDDLE },
  { "family_name", TARGET_FAMILY }, { "prefix", TARGET_PREFIX }, { "suffix", TARGET_SUFFIX },
  { "kind", TARGET_KIND }, { "organization", TARGET_ORGANIZATION },
  { "job_title", TARGET_JOB_TITLE }, { "email", TARGET_EMAIL }, { "phone", TARGET_PHONE },
  { "website", TARGET_WEBSITE }, { "street", TARGET_STREET }, { "street2", TARGET_STREET2 },
  { "pobox", TARGET_POBOX }, { "city", TARGET_CITY }, { "region", TARGET_REGION },
  { "postcode", TARGET_POSTCODE }, { "country", TARGET_COUNTRY }, { "address", TARGET_ADDRESS },
  { "birthday", TARGET_BIRTHDAY }, { "note", TARGET_NOTE }, { "tags", TARGET_TAGS },
  { "relationship", TARGET_RELATIONSHIP }, { "stage", TARGET_STAGE }, { "source", TARGET_SOURCE },
  { "do_not_contact", TARGET_DO_NOT_CONTACT }, { "marketing_consent", TARGET_MARKETING_CONSENT },
  { "cadence_days", TARGET_CADENCE }, { "ignore", TARGET_NONE },
};

/* Column names people and programs use, normalized (folded, letters and
 * digits only), each with a field as in a mapping file. */
static const char *const synonyms[][2] = {
  { "name", "name" }, { "fullname", "name" }, { "displayname", "name" },
  { "contactname", "name" }, { "contact", "name" },
  { "firstname", "given_name" }, { "givenname", "given_name" }, { "forename", "given_name" },
  { "middlename", "middle_name" }, { "additionalname", "middle_name" },
  { "lastname", "family_name" }, { "familyname", "family_name" }, { "surname", "family_name" },
  { "prefix", "prefix" }, { "nameprefix", "prefix" }, { "salutation", "prefix" },
  { "suffix", "suffix" }, { "namesuffix", "suffix" }, { "kind", "kind" },
  { "company", "organization" }, { "organization", "organization" },
  { "organisation", "organization" }, { "org", "organization" },
  { "companyname", "organization" }, { "account", "organization" },
  { "accountname", "organization" }, { "employer", "organization" },
  { "title", "job_title" }, { "jobtitle", "job_title" }, { "position", "job_title" },
  { "role", "job_title" },
  { "email", "email" }, { "emails", "email" }, { "emailaddress", "email" }, { "mail", "email" },
  { "primaryemail", "email" }, { "workemail", "email:work" }, { "businessemail", "email:work" },
  { "homeemail", "email:home" }, { "personalemail", "email:home" },
  { "phone", "phone" }, { "phones", "phone" }, { "telephone", "phone" }, { "tel", "phone" },
  { "phonenumber", "phone" }, { "primaryphone", "phone" }, { "workphone", "phone:work" },
  { "businessphone", "phone:work" }, { "officephone", "phone:work" },
  { "mobile", "phone:mobile" }, { "mobilephone", "phone:mobile" }, { "cell", "phone:mobile" },
  { "cellphone", "phone:mobile" }, { "mobilenumber", "phone:mobile" },
  { "homephone", "phone:home" }, { "fax", "phone:fax" },
  { "address", "street" }, { "street", "street" }, { "streetaddress", "street" },
  { "address1", "street" }, { "addressline1", "street" }, { "address2", "street2" },
  { "addressline2", "street2" }, { "street2", "street2" }, { "pobox", "pobox" },
  { "city", "city" }, { "town", "city" }, { "locality", "city" },
  { "state", "region" }, { "region", "region" }, { "province", "region" }, { "county", "region" },
  { "zip", "postcode" }, { "zipcode", "postcode" }, { "postcode", "postcode" },
  { "postalcode", "postcode" }, { "country", "country" }, { "countryregion", "country" },
  { "birthday", "birthday" }, { "dateofbirth", "birthday" }, { "dob", "birthday" },
  { "birthdate", "birthday" },
  { "notes", "note" }, { "note", "note" }, { "comments", "note" }, { "comment", "note" },
  { "description", "note" }, { "remarks", "note" },
  { "tags", "tags" }, { "tag", "tags" }, { "labels", "tags" }, { "categories", "tags" },
  { "groups", "tags" }, { "groupmembership", "tags" },
  { "website", "website" }, { "web", "website" }, { "url", "website" }, { "homepage", "website" },
  { "webpage", "website" }, { "social", "website" }, { "linkedin", "website:linkedin" },
  { "twitter", "website:twitter" },
  { "relationship", "relationship" }, { "stage", "stage" }, { "lifecyclestage", "stage" },
  { "source", "source" }, { "leadsource", "source" },
  { "donotcontact", "do_not_contact" }, { "marketingconsent", "marketing_consent" },
  { "cadencedays", "cadence_days" }, { "cadence", "cadence_days" },
  /* German and French exports of European spreadsheets. */
  { "vorname", "given_name" }, { "nachname", "family_name" }, { "firma", "organization" },
  { "unternehmen", "organization" }, { "telefon", "phone" }, { "handy", "phone:mobile" },
  { "strasse", "street" }, { "ort", "city" }, { "stadt", "city" },
  { "plz", "postcode" }, { "land", "country" }, { "notizen", "note" }, { "geburtstag", "birthday" },
  { "prénom", "given_name" }, { "nom", "family_name" }, { "société", "organization" },
  { "entreprise", "organization" }, { "téléphone", "phone" }, { "portable", "phone:mobile" },
  { "adresse", "street" }, { "ville", "city" }, { "codepostal", "postcode" }, { "pays", "country" },
  { "anniversaire", "birthday" },
};

/* Outlook's "Export to a file > Comma Separated Values" columns. Its
 * "Title" is the courtesy title (Mr.), not the job title. */
static const char *const outlook_columns[][2] = {
  { "First Name", "given_name" }, { "Middle Name", "middle_name" }, { "Last Name", "family_name" },
  { "Title", "prefix" }, { "Suffix", "suffix" }, { "Company", "organization" },
  { "Job Title", "job_title" }, { "Birthday", "birthday" }, { "Notes", "note" },
  { "Categories", "tags" }, { "Web Page", "website" },
  { "E-mail Address", "email" }, { "E-mail 2 Address", "email" }, { "E-mail 3 Address", "email" },
  { "Primary Phone", "phone:other" }, { "Home Phone", "phone:home" },
  { "Home Phone 2", "phone:home" }, { "Mobile Phone", "phone:mobile" },
  { "Business Phone", "phone:work" }, { "Business Phone 2", "phone:work" },
  { "Company Main Phone", "phone:work" }, { "Other Phone", "phone:other" },
  { "Car Phone", "phone:other" }, { "Pager", "phone:pager" }, { "Business Fax", "phone:fax" },
  { "Home Fax", "phone:fax" }, { "Other Fax", "phone:fax" },
  { "Business Street", "street:work" }, { "Business Street 2", "street2:work" },
  { "Business Street 3", "street2:work" }, { "Business Address PO Box", "pobox:work" },
  { "Business City", "city:work" }, { "Business State", "region:work" },
  { "Business Postal Code", "postcode:work" }, { "Business Country", "country:work" },
  { "Business Country/Region", "country:work" },
  { "Home Street", "street:home" }, { "Home Street 2", "street2:home" },
  { "Home Street 3", "street2:home" }, { "Home Address PO Box", "pobox:home" },
  { "Home City", "city:home" }, { "Home State", "region:home" },
  { "Home Postal Code", "postcode:home" }, { "Home Country", "country:home" },
  { "Home Country/Region", "country:home" },
  { "Other Street", "street:other" }, { "Other Street 2", "street2:other" },
  { "Other Street 3", "street2:other" }, { "Other Address PO Box", "pobox:other" },
  { "Other City", "city:other" }, { "Other State", "region:other" },
  { "Other Postal Code", "postcode:other" }, { "Other Country", "country:other" },
  { "Other Country/Region", "country:other" },
};

/* Google Contacts: fixed columns, and numbered groups ("E-mail 2 - Value"). */
static const char *const google_columns[][2] = {
  { "Name", "name" }, { "Given Name", "given_name" }, { "First Name", "given_name" },
  { "Additional Name", "middle_name" }, { "Middle Name", "middle_name" },
  { "Family Name", "family_name" }, { "Last Name", "family_name" },
  { "Name Prefix", "prefix" }, { "Name Suffix", "suffix" }, { "Birthday", "birthday" },
  { "Notes", "note" }, { "Group Membership", "tags" }, { "Labels", "tags" },
  { "Organization 1 - Name", "organization" }, { "Organization Name", "organization" },
  { "Organization 1 - Title", "job_title" }, { "Organization Title", "job_title" },
};

static const char *const google_groups[][2] = {
  { "E-mail", "email" }, { "Phone", "phone" }, { "Website", "website" }, { "Address", "address" },
};

static const char *const google_address_parts[][2] = {
  { "Formatted", "address" }, { "Street", "street" }, { "City", "city" }, { "PO Box", "pobox" },
  { "Region", "region" }, { "Postal Code", "postcode" }, { "Country", "country" },
  { "Extended Address", "street2" },
};

void
rapport_csv_target_free (RapportCsvTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->label);
  g_free (target);
}

gboolean
rapport_csv_target_is_address (TargetKind kind)
{
  return kind >= TARGET_STREET && kind <= TARGET_ADDRESS;
}

static TargetKind
kind_for_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_ascii_strcasecmp (field_names[i].name, name) == 0)
      return field_names[i].kind;
  return (TargetKind) -1;
}

static const char *
name_for_kind (TargetKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (field_names[i].kind == kind)
      return field_names[i].name;
  return "ignore";
}

/* "phone:mobile" -> a target; %NULL when the field is unknown. */
static RapportCsvTarget *
parse_target (const char *spec, guint group)
{
  g_autofree char *copy = g_strstrip (g_strdup (spec));
  char *colon = strchr (copy, ':');
  RapportCsvTarget *target;
  TargetKind kind;

  if (colon != NULL)
    *colon = '\0';
  kind = kind_for_name (g_strstrip (copy));
  if ((int) kind < 0)
    return NULL;
  target = g_new0 (RapportCsvTarget, 1);
  target->kind = kind;
  target->group = group;
  if (colon != NULL && *g_strstrip (colon + 1) != '\0')
    target->label = g_ascii_strdown (colon + 1, -1);
  return target;
}

char *
rapport_csv_target_describe (const RapportCsvTarget *target)
{
  if (target == NULL || target->kind == TARGET_NONE)
    return g_strdup ("");
  if (target->kind == TARGET_LABEL)
    return g_strdup_printf ("%s.label", name_for_kind (target->label_of));
  if (target->label != NULL)
    return g_strdup_printf ("%s:%s", name_for_kind (target->kind), target->label);
  return g_strdup (name_for_kind (target->kind));
}

static char *
normalize (const char *header)
{
  g_autofree char *folded = g_utf8_casefold (header, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      g_string_append_unichar (out, g_utf8_get_char (p));
  return g_string_free (out, FALSE);
}

/* The tables above by normalized name, made once. */
typedef enum
{
  TABLE_SYNONYMS,
  TABLE_OUTLOOK,
  TABLE_GOOGLE,
  N_TABLES
} TableId;

static GHashTable *
table_index (TableId id)
{
  static GHashTable *indexes[N_TABLES];
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      const struct { const char *const (*rows)[2]; guint n; } tables[N_TABLES] = {
        { synonyms, G_N_ELEMENTS (synonyms) },
        { outlook_columns, G_N_ELEMENTS (outlook_columns) },
        { google_columns, G_N_ELEMENTS (google_columns) },
      };
      for (guint t = 0; t < N_TABLES; t++)
        {
          indexes[t] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          for (guint i = 0; i < tables[t].n; i++)
            g_hash_table_insert (indexes[t], normalize (tables[t].rows[i][0]), (gpointer) tables[t].rows[i][1]);
        }
      g_once_init_leave (&ready, 1);
    }
  return indexes[id];
}

static RapportCsvTarget *
lookup_table (TableId id, const char *normalized)
{
  const char *spec = g_hash_table_lookup (table_index (id), normalized);
  return spec ? parse_target (spec, 0) : NULL;
}

/* "E-mail 2 - Value", "Phone 1 - Label", "Address 1 - City"... */
static RapportCsvTarget *
lookup_google_group (const char *header)
{
  for (guint i = 0; i < G_N_ELEMENTS (google_groups); i++)
    {
      gsize n = strlen (google_groups[i][0]);
      const char *rest;
      char *end = NULL;
      guint64 group;

      if (g_ascii_strncasecmp (header, google_groups[i][0], n) != 0 || header[n] != ' ')
        continue;
      group = g_ascii_strtoull (header + n + 1, &end, 10);
      if (end == header + n + 1 || group == 0 || group > 99 || !g_str_has_prefix (end, " - "))
        continue;
      rest = end + 3;
      if (g_ascii_strcasecmp (rest, "Type") == 0 || g_ascii_strcasecmp (rest, "Label") == 0)
        {
          RapportCsvTarget *target = g_new0 (RapportCsvTarget, 1);
          target->kind = TARGET_LABEL;
          target->label_of = kind_for_name (google_groups[i][1]);
          target->group = group;
          return target;
        }
      if (g_ascii_strcasecmp (rest, "Value") == 0 && i < 3)
        return parse_target (google_groups[i][1], group);
      if (i == 3)
        for (guint j = 0; j < G_N_ELEMENTS (google_address_parts); j++)
          if (g_ascii_strcasecmp (rest, google_address_parts[j][0]) == 0)
            return parse_target (google_address_parts[j][1], group);
    }
  return NULL;
}

static RapportCsvTarget *
lookup_preset (const char *preset, const char *header, const char *normalized)
{
  RapportCsvTarget *target;

  if (g_strcmp0 (preset, "google") == 0)
    {
      target = lookup_google_group (header);
      if (target == NULL)
        target = lookup_table (TABLE_GOOGLE, normalized);
      return target;
    }
  if (g_strcmp0 (preset, "outlook") == 0)
    return lookup_table (TABLE_OUTLOOK, normalized);
  return NULL;
}

/* Google's and Outlook's exports are known by a few of their headers. */
static const char *
detect_preset (char **header)
{
  for (guint i = 0; header && header[i]; i++)
    {
      if (g_ascii_strcasecmp (header[i], "E-mail 1 - Value") == 0
          || g_ascii_strcasecmp (header[i], "Phone 1 - Value") == 0
          || g_ascii_strcasecmp (header[i], "Group Membership") == 0)
        return "google";
      if (g_ascii_strcasecmp (header[i], "E-mail Address") == 0
          || g_ascii_strcasecmp (header[i], "Business Phone") == 0
          || g_ascii_strcasecmp (header[i], "Mobile Phone") == 0)
        return "outlook";
    }
  return NULL;
}

static RapportCsvTarget *
copy_target (const RapportCsvTarget *target)
{
  RapportCsvTarget *copy = g_memdup2 (target, sizeof *target);
  copy->label = g_strdup (target->label);
  return copy;
}

GPtrArray *
rapport_csv_mapping_resolve (RapportCsvMapping *self, char **header, guint n_columns)
{
  GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_csv_target_free);
  const char *preset = self->preset;
  guint n_header = header ? g_strv_length (header) : 0;

  if (preset == NULL && self->guess)
    preset = detect_preset (header);
  for (guint i = 0; i < n_columns; i++)
    {
      const char *name = i < n_header ? header[i] : NULL;
      RapportCsvTarget *found = g_hash_table_lookup (self->by_index, GUINT_TO_POINTER (i + 1));
      RapportCsvTarget *target = found ? copy_target (found) : NULL;

      if (target == NULL && name != NULL)
        {
          g_autofree char *key = normalize (name);
          found = g_hash_table_lookup (self->by_name, key);
          target = found ? copy_target (found) : lookup_preset (preset, name, key);
          if (target == NULL && self->guess)
            target = lookup_table (TABLE_SYNONYMS, key);
        }
      g_ptr_array_add (targets, target ? target : g_new0 (RapportCsvTarget, 1));
    }
  return targets;
}

gboolean
rapport_csv_mapping_is_header (RapportCsvMapping *self, char **row)
{
  g_autoptr (GPtrArray) targets = NULL;

  if (self->header >= 0)
    return self->header == 1;
  for (guint i = 0; row[i]; i++)
    if (strchr (row[i], '@') != NULL)
      return FALSE;
  targets = rapport_csv_mapping_resolve (self, row, g_strv_length (row));
  for (guint i = 0; i < targets->len; i++)
    {
      RapportCsvTarget *target = targets->pdata[i];
      g_autofree char *key = normalize (row[i]);
      if (target->kind != TARGET_NONE
          && !g_hash_table_contains (self->by_index, GUINT_TO_POINTER (i + 1)))
        return TRUE;
      if (g_hash_table_contains (self->by_name, key))
        return TRUE;
    }
  return FALSE;
}

int
rapport_csv_mapping_get_header (RapportCsvMapping *self)
{
  return self->header;
}

char
rapport_csv_mapping_get_delimiter (RapportCsvMapping *self)
{
  return self->delimiter;
}

RapportCsvMapping *
rapport_csv_mapping_new (void)
{
  RapportCsvMapping *self = g_new0 (RapportCsvMapping, 1);

  g_atomic_ref_count_init (&self->ref);
  self->guess = TRUE;
  self->header = -1;
  self->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) rapport_csv_target_free);
  self->by_index = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) rapport_csv_target_free);
  return self;
}

RapportCsvMapping *
rapport_csv_mapping_ref (RapportCsvMapping *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
rapport_csv_mapping_unref (RapportCsvMapping *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  g_free (self->preset);
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->by_index);
  g_free (self);
}

gboolean
rapport_csv_mapping_set_column (RapportCsvMapping *self, guint column, const char *field)
{
  RapportCsvTarget *target;

  g_return_val_if_fail (self != NULL && column > 0 && field != NULL, FALSE);
  target = parse_target (field, 0);
  if (target == NULL)
    return FALSE;
  g_hash_table_replace (self->by_index, GUINT_TO_POINTER (column), target);
  return TRUE;
}

void
rapport_csv_mapping_set_header (RapportCsvMapping *self, int header)
{
  g_return_if_fail (self != NULL);
  self->header = CLAMP (header, -1, 1);
}

/**
 * rapport_csv_field_names:
 *
 * Returns: (transfer none): the fields a mapping may name, %NULL-terminated.
 */
const char *const *
rapport_csv_field_names (void)
{
  static const char *names[G_N_ELEMENTS (field_names) + 1];

  if (names[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
      names[i] = field_names[i].name;
  return names;
}

const char *
rapport_csv_mapping_get_preset (RapportCsvMapping *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->preset;
}

/* Whether @name can be a key of the mapping file that reads back as the
 * column it names, and no other. */
static gboolean
usable_key (char **header, guint n_header, guint column)
{
  const char *name = header[column];
  g_autofree char *key = NULL;

  if (name == NULL || strpbrk (name, "=[]#\r\n") != NULL || g_ascii_isdigit (name[0])
      || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  key = normalize (name);
  if (*key == '\0')
    return FALSE;
  for (guint i = 0; i < n_header; i++)
    if (i != column && header[i] != NULL)
      {
        g_autofree char *other = normalize (header[i]);
        if (g_str_equal (other, key))
          return FALSE;
      }
  return TRUE;
}

char *
rapport_csv_mapping_to_data (RapportCsvMapping *self, char **header, guint n_columns)
{
  g_autoptr (GPtrArray) targets = NULL;
  GString *out = g_string_new ("# Rapport CSV mapping: column=field (rapport-cli import --mapping FILE)\n");
  guint n_header = header ? g_strv_length (header) : 0;

  g_return_val_if_fail (self != NULL, NULL);

  targets = rapport_csv_mapping_resolve (self, header, n_columns);
  for (guint i = 0; i < targets->len; i++)
    {
      RapportCsvTarget *target = targets->pdata[i];
      g_autofree char *field = NULL;

      /* Google's "E-mail 1 - Label" columns come from the preset below. */
      if (target->kind == TARGET_LABEL || (target->group > 0 && self->preset != NULL))
        continue;
      field = target->kind == TARGET_NONE ? g_strdup ("ignore") : rapport_csv_target_describe (target);
      if (i < n_header && usable_key (header, n_header, i))
        {
          g_autofree char *name = g_strstrip (g_strdup (header[i]));
          g_string_append_printf (out, "%s=%s\n", name, field);
        }
      else
        g_string_append_printf (out, "%u=%s\n", i + 1, field);
    }
  g_string_append (out, "\n[options]\n");
  g_string_append_printf (out, "header=%s\n", header != NULL ? "true" : "false");
  if (self->delimiter != 0)
    g_string_append_printf (out, "delimiter=%s\n", self->delimiter == '\t' ? "tab" : (char[]) { self->delimiter, 0 });
  if (self->preset != NULL)
    g_string_append_printf (out, "preset=%s\n", self->preset);
  return g_string_free (out, FALSE);
}

static gboolean
load_options (RapportCsvMapping *self, GKeyFile *file, const char *path, GError **error)
{
  g_autofree char *preset = g_key_file_get_string (file, "options", "preset", NULL);
  g_autofree char *header = g_key_file_get_string (file, "options", "header", NULL);
  g_autofree char *delimiter = g_key_file_get_string (file, "options", "delimiter", NULL);

  if (preset != NULL)
    {
      if (!g_str_equal (preset, "google") && !g_str_equal (preset, "outlook"))
        {
          g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       _("%s: the preset “%s” is unknown; use google or outlook"), path, preset);
          return FALSE;
        }
      self->preset = g_steal_pointer (&preset);
    }
  if (header != NULL)
    self->header = g_ascii_strcasecmp (header, "true") == 0 || g_str_equal (header, "1");
  if (delimiter != NULL)
    self->delimiter = g_str_equal (delimiter, "\\t") || g_str_equal (delimiter, "tab") ? '\t' : delimiter[0];
  return TRUE;
}

static gboolean
load_file (RapportCsvMapping *self, const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_auto (GStrv) keys = NULL;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, &local_error))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO,
                   _("Could not read the mapping file: %s"), local_error->message);
      return FALSE;
    }
  /* Lines before any [group] are the columns. */
  body = g_strconcat ("[columns]\n", text, NULL);
  if (!g_key_file_load_from_data (file, body, -1, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s is not a mapping file (%s); write one “column=field” per line"), path,
                   local_error->message);
      return FALSE;
    }
  if (!load_options (self, file, path, error))
    return FALSE;
  keys = g_key_file_get_keys (file, "columns", NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    {
      g_autofree char *field = g_key_file_get_string (file, "columns", keys[i], NULL);
      RapportCsvTarget *target = field ? parse_target (field, 0) : NULL;
      char *end = NULL;
      guint64 column = g_ascii_strtoull (keys[i], &end, 10);

      if (target == NULL)
        {
          g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       _("%s: “%s” is not a field; use one of: %s"), path, field ? field : "",
                       "name, given_name, family_name, organization, job_title, email, phone, "
                       "street, city, region, postcode, country, birthday, note, tags, website, "
                       "relationship, stage, source, ignore");
          return FALSE;
        }
      if (end != keys[i] && *end == '\0' && column > 0 && column < G_MAXUINT)
        g_hash_table_replace (self->by_index, GUINT_TO_POINTER ((guint) column), target);
      else
        g_hash_table_replace (self->by_name, normalize (keys[i]), target);
    }
  /* An explicit mapping imports the columns it names, and those of its
   * preset; it guesses nothing. */
  self->guess = FALSE;
  return TRUE;
}

RapportCsvMapping *
rapport_csv_mapping_load (const char *name_or_path, GError **error)
{
  g_autoptr (RapportCsvMapping) self = rapport_csv_mapping_new ();

  if (name_or_path == NULL || g_str_equal (name_or_path, "auto"))
    return g_steal_pointer (&self);
  if (g_str_equal (name_or_path, "google") || g_str_equal (name_or_path, "outlook"))
    {
      self->preset = g_strdup (name_or_path);
      self->guess = FALSE;
      self->header = 1;
      return g_steal_pointer (&self);
    }
  if (!load_file (self, name_or_path, error))
    return NULL;
  return g_steal_pointer (&self);
}
