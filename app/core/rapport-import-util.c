/* rapport-import-util.c: import records, summaries, text decoding and helpers of the codecs */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-csv.h"
#include "rapport-ebook-private.h"
#include "rapport-import-private.h"

/* Items, issues, options, summaries ----------------------------------------- */

RapportImportItem *
rapport_import_item_new (guint line)
{
  RapportImportItem *item = g_new0 (RapportImportItem, 1);

  item->contact = rapport_contact_new ();
  item->notes = g_ptr_array_new_with_free_func (g_free);
  item->line = line;
  return item;
}

void
rapport_import_item_free (RapportImportItem *item)
{
  if (item == NULL)
    return;
  g_clear_object (&item->contact);
  g_clear_pointer (&item->notes, g_ptr_array_unref);
  g_free (item);
}

RapportImportIssue *
rapport_import_issue_new (guint line, const char *reason)
{
  RapportImportIssue *issue = g_new0 (RapportImportIssue, 1);

  issue->line = line;
  issue->reason = g_strdup (reason);
  return issue;
}

void
rapport_import_add_issue (GPtrArray *issues, guint line, const char *format, ...)
{
  RapportImportIssue *issue = g_new0 (RapportImportIssue, 1);
  va_list args;

  va_start (args, format);
  issue->line = line;
  issue->reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (issues, issue);
}

void
rapport_import_issue_free (RapportImportIssue *issue)
{
  if (issue == NULL)
    return;
  g_free (issue->reason);
  g_free (issue);
}

RapportImportOptions *
rapport_import_options_new (void)
{
  return g_new0 (RapportImportOptions, 1);
}

RapportImportOptions *
rapport_import_options_copy (const RapportImportOptions *options)
{
  RapportImportOptions *copy = rapport_import_options_new ();

  if (options == NULL)
    return copy;
  copy->format = options->format;
  copy->csv_mapping = options->csv_mapping ? rapport_csv_mapping_ref (options->csv_mapping) : NULL;
  copy->mapping = g_strdup (options->mapping);
  copy->region = g_strdup (options->region);
  copy->source = g_strdup (options->source);
  copy->max_size = options->max_size;
  return copy;
}

void
rapport_import_options_free (RapportImportOptions *options)
{
  if (options == NULL)
    return;
  g_clear_pointer (&options->csv_mapping, rapport_csv_mapping_unref);
  g_free (options->mapping);
  g_free (options->region);
  g_free (options->source);
  g_free (options);
}

RapportImportSummary *
rapport_import_summary_new (void)
{
  RapportImportSummary *summary = g_new0 (RapportImportSummary, 1);

  summary->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
  return summary;
}

void
rapport_import_summary_free (RapportImportSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->format);
  g_free (summary->encoding);
  g_clear_pointer (&summary->issues, g_ptr_array_unref);
  g_free (summary);
}

/**
 * rapport_import_summary_to_json:
 *
 * Returns: (transfer full): { "format", "encoding", "records", "created",
 *   "merged", "skipped", "notes", "issues": [{ "line", "reason" }] }.
 */
JsonNode *
rapport_import_summary_to_json (const RapportImportSummary *summary)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (summary != NULL, NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, summary->format);
  json_builder_set_member_name (builder, "encoding");
  json_builder_add_string_value (builder, summary->encoding);
  json_builder_set_member_name (builder, "records");
  json_builder_add_int_value (builder, summary->records);
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, summary->created);
  json_builder_set_member_name (builder, "merged");
  json_builder_add_int_value (builder, summary->merged);
  json_builder_set_member_name (builder, "skipped");
  json_builder_add_int_value (builder, summary->skipped);
  json_builder_set_member_name (builder, "notes");
  json_builder_add_int_value (builder, summary->notes);
  json_builder_set_member_name (builder, "issues");
  json_builder_begin_array (builder);
  for (guint i = 0; i < summary->issues->len; i++)
    {
      RapportImportIssue *issue = summary->issues->pdata[i];
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, issue->line);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, issue->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Helpers shared by the codecs ---------------------------------------------- */

char *
rapport_import_to_utf8 (const char *text, gssize len, const char *charset)
{
  char *out = NULL;

  if (len < 0)
    len = strlen (text);
  if (g_utf8_validate (text, len, NULL))
    return g_strndup (text, len);
  if (charset != NULL)
    out = g_convert (text, len, "UTF-8", charset, NULL, NULL, NULL);
  if (out == NULL)
    out = g_convert (text, len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
  if (out == NULL)
    out = g_convert (text, len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
  if (out == NULL || !g_utf8_validate (out, -1, NULL))
    {
      g_free (out);
      out = g_utf8_make_valid (text, len);
    }
  return out;
}

char *
rapport_import_clean (const char *text)
{
  g_autofree char *valid = rapport_import_to_utf8 (text ? text : "", -1, NULL);
  char *stripped = g_strstrip (g_strdup (valid));

  if (*stripped == '\0')
    g_clear_pointer (&stripped, g_free);
  return stripped;
}

static char *
format_date (int year, int month, int day)
{
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return NULL;
  if (year == 0)
    return g_date_valid_dmy (day, month, 2000) ? g_strdup_printf ("--%02d-%02d", month, day) : NULL;
  if (year < 1800 || year > 2200 || !g_date_valid_dmy (day, month, year))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

char *
rapport_import_parse_date (const char *text)
{
  int a = 0, b = 0, c = 0;
  char sep1 = 0, sep2 = 0;
  g_autofree char *t = NULL;

  if (text == NULL)
    return NULL;
  t = g_strstrip (g_strdup (text));
  if (strlen (t) == 8 && strspn (t, "0123456789") == 8 && sscanf (t, "%4d%2d%2d", &a, &b, &c) == 3)
    return format_date (a, b, c);
  if (g_str_has_prefix (t, "--"))
    {
      if (strlen (t) == 6 && sscanf (t + 2, "%2d%2d", &b, &c) == 2)
        return format_date (0, b, c);
      if (sscanf (t + 2, "%2d-%2d", &b, &c) == 2)
        return format_date (0, b, c);
      return NULL;
    }
  if (sscanf (t, "%d%c%d%c%d", &a, &sep1, &b, &sep2, &c) != 5 || sep1 != sep2)
    return NULL;
  if (sep1 == '-' && a > 31)
    return format_date (a, b, c);   /* 1980-03-22 (and 1980-03-22T00:00:00) */
  if (sep1 == '/' || sep1 == '.' || sep1 == '-')
    {
      /* Day first when the first number cannot be a month, or with dots. */
      if (c < 100)
        return NULL;
      if (a > 12 || sep1 == '.')
        return format_date (c, b, a);
      return format_date (c, a, b);
    }
  return NULL;
}

const char *
rapport_import_url_service (const char *url)
{
  static const char *const services[][2] = {
    { "linkedin.com", "linkedin" }, { "twitter.com", "twitter" }, { "x.com/", "twitter" },
    { "facebook.com", "facebook" }, { "instagram.com", "instagram" }, { "github.com", "github" },
    { "xing.com", "xing" }, { "mastodon", "mastodon" },
  };
  g_autofree char *lower = g_ascii_strdown (url, -1);

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    if (strstr (lower, services[i][0]) != NULL)
      return services[i][1];
  return "website";
}

gboolean
rapport_import_array_has (JsonArray *array, const char *member, const char *value)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      const char *v = json_object_get_string_member_with_default (
          json_array_get_object_element (array, i), member, NULL);
      if (v != NULL && g_ascii_strcasecmp (v, value) == 0)
        return TRUE;
    }
  return FALSE;
}

void
rapport_import_add_social (RapportContact *contact, const char *service, const char *handle)
{
  JsonObject *object;

  if (handle == NULL || *handle == '\0' || rapport_import_array_has (contact->social, "handle", handle))
    return;
  object = json_object_new ();
  json_object_set_string_member (object, "service", service);
  json_object_set_string_member (object, "handle", handle);
  if (contact->social == NULL)
    contact->social = json_array_new ();
  json_array_add_object_element (contact->social, object);
}

void
rapport_import_finish_contact (RapportContact *c)
{
  if (c->name == NULL && c->organization != NULL && c->given_name == NULL && c->family_name == NULL)
    c->name = g_strdup (c->organization);
  if (c->kind == NULL && c->name != NULL && c->organization != NULL && c->given_name == NULL
      && c->family_name == NULL && g_utf8_collate (c->name, c->organization) == 0)
    c->kind = g_strdup ("organization");
  if (c->name == NULL && rapport_contact_get_primary_email (c))
    c->name = g_strdup (rapport_contact_get_primary_email (c));
  if (c->name == NULL && rapport_contact_get_primary_phone (c))
    c->name = g_strdup (rapport_contact_get_primary_phone (c));
  if (c->kind == NULL)
    c->kind = g_strdup ("person");
}

void
rapport_import_add_tag (RapportContact *contact, const char *text)
{
  g_autofree char *tag = rapport_import_clean (text);
  g_autoptr (GStrvBuilder) builder = NULL;

  if (tag == NULL || g_ascii_strcasecmp (tag, "My Contacts") == 0
      || g_ascii_strcasecmp (tag, "myContacts") == 0 || rapport_contact_has_tag (contact, tag))
    return;
  builder = g_strv_builder_new ();
  if (contact->tags != NULL)
    g_strv_builder_addv (builder, (const char **) contact->tags);
  g_strv_builder_add (builder, tag);
  g_strfreev (contact->tags);
  contact->tags = g_strv_builder_end (builder);
}

/**
 * rapport_import_default_region:
 *
 * Returns: (transfer full): the two-letter region of the locale ("GB"),
 *   in which national phone numbers are read; "US" when unknown.
 */
char *
rapport_import_default_region (void)
{
  char *region = NULL;

  if (e_phone_number_is_supported ())
    region = e_phone_number_get_default_region (NULL);
  return region && *region ? region : (g_free (region), g_strdup ("US"));
}

static char *
convert_utf16 (const char *data, gsize length, const char *encoding, gsize *out_length, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  char *text = g_convert (data, length - (length % 2), "UTF-8", encoding, NULL, out_length, &local_error);

  if (text == NULL)
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                 _("This file is not valid %s text (%s)"), encoding, local_error->message);
  return text;
}

/* Without a byte order mark, UTF-16 text in Latin script has a zero in
 * every other byte. */
static const char *
guess_utf16 (const char *data, gsize length)
{
  guint even = 0, odd = 0;
  gsize n = MIN (length, 512) & ~(gsize) 1;

  for (gsize i = 0; i < n; i += 2)
    {
      even += data[i] == '\0';
      odd += data[i + 1] == '\0';
    }
  if (n >= 8 && odd * 10 >= n / 2 * 9 && even == 0)
    return "UTF-16LE";
  if (n >= 8 && even * 10 >= n / 2 * 9 && odd == 0)
    return "UTF-16BE";
  return NULL;
}

gboolean
rapport_import_holds_binary (const char *data, gsize length)
{
  if (length >= 2 && (((guchar) data[0] == 0xff && (guchar) data[1] == 0xfe)
                      || ((guchar) data[0] == 0xfe && (guchar) data[1] == 0xff)))
    return FALSE;
  return guess_utf16 (data, length) == NULL && memchr (data, '\0', length) != NULL;
}

/**
 * rapport_import_decode:
 * @keep_8bit: leave text that is not UTF-8 as it is (vCards, whose
 *   CHARSET parameters say what it is) instead of reading Windows-1252
 * @encoding: (out): what the text was in
 *
 * Returns: (transfer full): @data as UTF-8 text without a byte order mark,
 *   or %NULL when it holds binary data (a zero byte).
 */
char *
rapport_import_decode (const char *data, gsize length, gboolean keep_8bit, const char **encoding,
                       gsize *out_length, GError **error)
{
  const char *utf16 = NULL;
  char *text;
  gsize len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length >= 2 && (guchar) data[0] == 0xff && (guchar) data[1] == 0xfe)
    utf16 = "UTF-16LE";
  else if (length >= 2 && (guchar) data[0] == 0xfe && (guchar) data[1] == 0xff)
    utf16 = "UTF-16BE";
  if (utf16 != NULL)
    text = convert_utf16 (data + 2, length - 2, utf16, &len, error);
  else if ((utf16 = guess_utf16 (data, length)) != NULL)
    text = convert_utf16 (data, length, utf16, &len, error);
  else
    {
      if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
        {
          data += 3;
          length -= 3;
        }
      text = NULL;
      len = length;
    }
  if (utf16 != NULL && text == NULL)
    return NULL;
  if (memchr (text ? text : data, '\0', len) != NULL)
    {
      g_free (text);
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("This is not a text file (it holds binary data). Choose a vCard (.vcf) "
                             "file, or save the spreadsheet as CSV"));
      return NULL;
    }
  if (text != NULL)
    {
      *encoding = utf16;
    }
  else if (g_utf8_validate (data, length, NULL))
    {
      *encoding = "UTF-8";
      text = g_strndup (data, length);
    }
  else
    {
      *encoding = "WINDOWS-1252";
      text = keep_8bit ? g_strndup (data, length) : rapport_import_to_utf8 (data, length, "WINDOWS-1252");
      len = strlen (text);
    }
  if (out_length)
    *out_length = len;
  return text;
}

