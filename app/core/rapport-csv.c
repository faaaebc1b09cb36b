/* rapport-csv.c: CSV rows in as contacts (libcsv), and cells out */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <csv.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rapport-csv-private.h"
#include "rapport-import-private.h"

/* A quote opened and never closed swallows the rest of the file; the
 * reader then starts again on the line after the broken row, this many
 * times at most (then on the line after the error, which is linear). */
#define MAX_RESTARTS 100

typedef struct
{
  RapportCsvMapping *mapping;
  RapportImportItemFunc func;
  gpointer user_data;
  GPtrArray *issues;
  GError *error;               /* from func: stops the parse */

  GPtrArray *cells;            /* the row being read */
  guint row_start;             /* its first line */
  gsize offset;                /* bytes read, for progress */
  gsize length;

  gboolean header_done;
  char **header;
  GPtrArray *targets;          /* (element-type RapportCsvTarget) per column */
  guint n_columns;

  guint max_rows;              /* preview: stop after this many rows */
  GPtrArray *rows;             /* preview: (element-type GStrv) */
} CsvRun;

/* Whether a spreadsheet would take @value for a formula, behind any
 * number of the quotes that guard one: an export writes such a value with
 * one more quote in front, and the import takes one off, so any value
 * comes back as it was. */
static gboolean
formula_like (const char *value)
{
  while (*value == '\'')
    value++;
  return *value != '\0' && strchr ("=+-@\t\r", *value) != NULL;
}

/* @raw is valid UTF-8 (field_cb() made it so): trimmed, %NULL when empty. */
static char *
cell_value (const char *raw)
{
  const char *start = raw, *end = raw + strlen (raw);
  char *value;

  while (g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (start == end)
    return NULL;
  value = g_strndup (start, end - start);

  /* Undo the guard against spreadsheet formulas that exports add. */
  if (value != NULL && value[0] == '\'' && formula_like (value + 1))
    memmove (value, value + 1, strlen (value));
  return value;
}

static void
set_once (char **field, const char *value)
{
  if (*field == NULL && value != NULL)
    *field = g_strdup (value);
}

static gboolean
parse_bool (const char *value)
{
  static const char *const yes[] = { "true", "yes", "y", "1", "x", "on", NULL };
  g_autofree char *lower = g_ascii_strdown (value, -1);
  return g_strv_contains (yes, lower);
}

/* Google writes labels as "* Work" or "Mobile". */
static char *
clean_label (const char *label)
{
  g_autofree char *lower = NULL;

  if (label == NULL)
    return NULL;
  while (*label == '*' || *label == ' ')
    label++;
  if (*label == '\0')
    return NULL;
  lower = g_ascii_strdown (label, -1);
  return g_strdup (g_str_equal (lower, "cell") ? "mobile" : lower);
}

static char *
group_label (GHashTable *labels, TargetKind of, guint group)
{
  if (group == 0)
    return NULL;
  return clean_label (g_hash_table_lookup (labels, GUINT_TO_POINTER (of * 1000 + group)));
}

static void
add_one (RapportContact *contact, TargetKind kind, const char *value, const char *label)
{
  if (kind == TARGET_EMAIL && strchr (value, '@') != NULL
      && !rapport_import_array_has (contact->emails, "value", value))
    rapport_contact_add_email (contact, label ? label : "other", value);
  else if (kind == TARGET_PHONE && !rapport_import_array_has (contact->phones, "value", value))
    rapport_contact_add_phone (contact, label ? label : "other", value);
  else if (kind == TARGET_WEBSITE)
    rapport_import_add_social (contact, label ? label : rapport_import_url_service (value), value);
}

static void
add_multi (RapportContact *contact, TargetKind kind, const char *cell, const char *label)
{
  g_auto (GStrv) parts = NULL;

  /* Most cells hold one value (@cell is trimmed). */
  if (strpbrk (cell, kind == TARGET_WEBSITE ? "\n" : ";\n") == NULL && strstr (cell, ":::") == NULL)
    {
      add_one (contact, kind, cell, label);
      return;
    }
  parts = g_strsplit_set (cell, kind == TARGET_WEBSITE ? "\n" : ";\n", -1);

  for (guint i = 0; parts[i]; i++)
    {
      g_auto (GStrv) values = g_strsplit (parts[i], ":::", -1);
      for (guint j = 0; values[j]; j++)
        {
          char *value = g_strstrip (values[j]);
          if (*value != '\0')
            add_one (contact, kind, value, label);
        }
    }
}

static void
add_address_part (GHashTable *addresses, const RapportCsvTarget *target, const char *label,
                  const char *value)
{
  static const char *const members[] = { "street", "street2", "pobox", "city", "region",
                                         "postcode", "country", "formatted" };
  g_autofree char *key = g_strdup_printf ("%u|%s", target->group, label ? label : "other");
  JsonObject *address = g_hash_table_lookup (addresses, key);
  const char *member = members[target->kind - TARGET_STREET];

  if (address == NULL)
    {
      address = json_object_new ();
      json_object_set_string_member (address, "label", label ? label : "other");
      g_hash_table_insert (addresses, g_steal_pointer (&key), address);
    }
  if (!json_object_has_member (address, member))
    json_object_set_string_member (address, member, value);
}

/* Street lines, PO box and the formatted address become one "street". */
static void
finish_addresses (RapportContact *contact, GHashTable *addresses)
{
  GHashTableIter iter;
  JsonObject *address;

  g_hash_table_iter_init (&iter, addresses);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &address))
    {
      g_autoptr (GString) street = g_string_new (json_object_get_string_member_with_default (address, "street", ""));
      JsonObject *out = json_object_new ();
      static const char *const kept[] = { "label", "city", "region", "postcode", "country" };

      for (const char *const *m = (const char *const[]) { "street2", "pobox", NULL }; *m; m++)
        if (json_object_has_member (address, *m))
          g_string_append_printf (street, "%s%s", street->len ? "\n" : "",
                                  json_object_get_string_member (address, *m));
      if (street->len == 0 && json_object_has_member (address, "formatted"))
        g_string_assign (street, json_object_get_string_member (address, "formatted"));
      if (street->len > 0)
        json_object_set_string_member (out, "street", street->str);
      for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
        if (json_object_has_member (address, kept[i]))
          json_object_set_string_member (out, kept[i], json_object_get_string_member (address, kept[i]));
      if (json_object_get_size (out) <= 1)
        {
          json_object_unref (out);
          continue;
        }
      if (contact->addresses == NULL)
        contact->addresses = json_array_new ();
      json_array_add_object_element (contact->addresses, out);
    }
}

static void
set_scalar (RapportImportItem *item, TargetKind kind, const char *value, char **name_parts)
{
  RapportContact *c = item->contact;
  g_autofree char *lower = kind == TARGET_KIND || kind == TARGET_RELATIONSHIP ? g_ascii_strdown (value, -1) : NULL;
  static const char *const relationships[] = { RAPPORT_RELATIONSHIPS, NULL };

  switch (kind)
    {
    case TARGET_NAME: set_once (&c->name, value); break;
    case TARGET_GIVEN: set_once (&c->given_name, value); break;
    case TARGET_FAMILY: set_once (&c->family_name, value); break;
    case TARGET_MIDDLE: set_once (&name_parts[0], value); break;
    case TARGET_PREFIX: case TARGET_SUFFIX: break;
    case TARGET_ORGANIZATION: set_once (&c->organization, value); break;
    case TARGET_JOB_TITLE: set_once (&c->job_title, value); break;
    case TARGET_STAGE: set_once (&c->stage, value); break;
    case TARGET_SOURCE: set_once (&c->source, value); break;
    case TARGET_KIND:
      if (g_str_equal (lower, "organization") || g_str_equal (lower, "organisation")
          || g_str_equal (lower, "company"))
        set_once (&c->kind, "organization");
      else if (g_str_equal (lower, "person"))
        set_once (&c->kind, "person");
      break;
    case TARGET_RELATIONSHIP:
      if (g_strv_contains (relationships, lower))
        set_once (&c->relationship, lower);
      break;
    case TARGET_BIRTHDAY:
      if (c->birthday == NULL)
        c->birthday = rapport_import_parse_date (value);
      break;
    case TARGET_NOTE: g_ptr_array_add (item->notes, g_strdup (value)); break;
    case TARGET_DO_NOT_CONTACT: c->do_not_contact |= parse_bool (value); break;
    case TARGET_MARKETING_CONSENT: c->marketing_consent |= parse_bool (value); break;
    case TARGET_CADENCE: c->cadence_days = CLAMP (g_ascii_strtoll (value, NULL, 10), 0, 3650); break;
    case TARGET_TAGS:
      {
        g_auto (GStrv) tags = g_strsplit_set (value, ";,", -1);
        for (guint i = 0; tags[i]; i++)
          {
            g_auto (GStrv) parts = g_strsplit (tags[i], ":::", -1);
            for (guint j = 0; parts[j]; j++)
              {
                const char *tag = g_strstrip (parts[j]);
                rapport_import_add_tag (c, tag[0] == '*' ? tag + 1 : tag);
              }
          }
        break;
      }
    default:
      break;
    }
}

/* The contact in one row; %NULL when it holds nothing to know it by. */
static RapportImportItem *
row_to_item (CsvRun *run, char **row, guint line)
{
  g_autoptr (RapportImportItem) item = rapport_import_item_new (line);
  g_autoptr (GHashTable) labels = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr (GHashTable) addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify) json_object_unref);
  RapportContact *c = item->contact;
  char *middle[1] = { NULL };
  guint n = MIN (g_strv_length (row), run->targets->len);

  for (guint i = 0; i < n; i++)
    {
      RapportCsvTarget *t = run->targets->pdata[i];
      if (t->kind == TARGET_LABEL && row[i][0] != '\0')
        g_hash_table_replace (labels, GUINT_TO_POINTER (t->label_of * 1000 + t->group),
                              g_strdup (row[i]));
    }
  for (guint i = 0; i < n; i++)
    {
      RapportCsvTarget *t = run->targets->pdata[i];
      g_autofree char *value = cell_value (row[i]);
      g_autofree char *label = NULL;

      if (value == NULL || t->kind == TARGET_NONE || t->kind == TARGET_LABEL)
        continue;
      if (t->kind == TARGET_EMAIL || t->kind == TARGET_PHONE || t->kind == TARGET_WEBSITE)
        {
          /* A website's service comes from its address, not from Google's labels. */
          if (t->label != NULL)
            label = g_strdup (t->label);
          else if (t->kind != TARGET_WEBSITE)
            label = group_label (labels, t->kind, t->group);
          add_multi (c, t->kind, value, label);
        }
      else if (rapport_csv_target_is_address (t->kind))
        {
          label = t->label ? g_strdup (t->label) : group_label (labels, TARGET_ADDRESS, t->group);
          add_address_part (addresses, t, label, value);
        }
      else
        set_scalar (item, t->kind, value, middle);
    }
  finish_addresses (c, addresses);

  if (c->name == NULL && (c->given_name || c->family_name))
    {
      const char *parts[] = { c->given_name, middle[0], c->family_name };
      GString *name = g_string_new (NULL);
      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        if (parts[i] != NULL)
          g_string_append_printf (name, "%s%s", name->len ? " " : "", parts[i]);
      c->name = g_string_free (name, FALSE);
    }
  g_free (middle[0]);
  rapport_import_finish_contact (c);
  if (c->name == NULL)
    return NULL;
  return g_steal_pointer (&item);
}

static gboolean
row_is_blank (char **row)
{
  for (guint i = 0; row[i]; i++)
    if (*g_strstrip (row[i]) != '\0')
      return FALSE;
  return TRUE;
}

static gboolean
start_columns (CsvRun *run, char **row)
{
  guint n = g_strv_length (row);

  run->header_done = TRUE;
  if (rapport_csv_mapping_is_header (run->mapping, row))
    run->header = g_strdupv (row);
  run->n_columns = n;
  run->targets = rapport_csv_mapping_resolve (run->mapping, run->header, n);
  for (guint i = 0; i < run->targets->len; i++)
    if (((RapportCsvTarget *) run->targets->pdata[i])->kind != TARGET_NONE)
      return run->header != NULL;
  /* A preview shows the columns anyway, for the user to map them. */
  if (run->rows != NULL)
    return run->header != NULL;
  g_set_error_literal (&run->error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       run->header ? _("No column of this file could be matched to a contact field: "
                                       "choose a mapping (google, outlook, or a mapping file)")
                                   : _("The first line of this file is not a header: use a mapping "
                                       "file that names the columns by number (1=name)"));
  return TRUE;
}

static void
handle_row (CsvRun *run, char **row)
{
  g_autoptr (RapportImportItem) item = NULL;
  guint n = g_strv_length (row);

  if (!run->header_done && start_columns (run, row))
    return;
  if (run->error != NULL || row_is_blank (row))
    return;
  if (run->rows != NULL)
    {
      g_ptr_array_add (run->rows, g_strdupv (row));
      return;
    }
  if (n > run->n_columns)
    {
      for (guint i = run->n_columns; i < n; i++)
        if (row[i][0] != '\0')
          {
            rapport_import_add_issue (run->issues, run->row_start,
                                      _("this row has %u fields where the header has %u"),
                                      n, run->n_columns);
            return;
          }
    }
  else if (n < run->n_columns)
    {
      rapport_import_add_issue (run->issues, run->row_start,
                                _("this row has %u fields where the header has %u"),
                                n, run->n_columns);
      return;
    }
  item = row_to_item (run, row, run->row_start);
  if (item == NULL)
    rapport_import_add_issue (run->issues, run->row_start, "%s",
                              _("this row has no name, organization, email or phone"));
  else if (!run->func (item, run->length ? (double) run->offset / run->length : 1.0,
                       run->user_data, &run->error))
    g_assert (run->error != NULL);
}

static void
field_cb (void *data, size_t len, void *user_data)
{
  CsvRun *run = user_data;
  g_ptr_array_add (run->cells, rapport_import_to_utf8 (data ? data : "", data ? (gssize) len : 0, NULL));
}

static void
row_cb (int terminator, void *user_data)
{
  CsvRun *run = user_data;

  g_ptr_array_add (run->cells, NULL);
  /* The row is lent (handle_row() copies what it keeps); run->cells is
   * then emptied, its room kept for the next row. */
  if (run->error == NULL)
    handle_row (run, (char **) run->cells->pdata);
  g_ptr_array_set_size (run->cells, 0);
}

static char
detect_delimiter (const char *text, gsize length)
{
  guint counts[3] = { 0, 0, 0 };
  const char delims[3] = { ',', ';', '\t' };
  gboolean quoted = FALSE;
  guint best = 0;

  for (gsize i = 0; i < length && (quoted || (text[i] != '\n' && text[i] != '\r')); i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      for (guint d = 0; d < 3 && !quoted; d++)
        counts[d] += text[i] == delims[d];
    }
  for (guint d = 1; d < 3; d++)
    if (counts[d] > counts[best])
      best = d;
  return delims[best];
}

static void
parser_init (struct csv_parser *parser, char delimiter)
{
  csv_init (parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
  csv_set_delim (parser, (unsigned char) delimiter);
}

static gsize
line_end (const char *text, gsize length, gsize from)
{
  const char *nl = memchr (text + from, '\n', length - from);
  return nl ? (gsize) (nl - text) + 1 : length;
}

static void
broken_row (CsvRun *run)
{
  rapport_import_add_issue (run->issues, run->row_start, "%s",
                            _("a quote in this row is not closed or is out of place"));
  g_ptr_array_set_size (run->cells, 0);
}

/* Feeds the parser a line at a time, to know where each row starts. */
static void
run_parse (CsvRun *run, const char *text, gsize length, char delimiter)
{
  struct csv_parser parser;
  gsize pos = 0;
  guint line = 1, restarts = 0;
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (gsize));

  parser_init (&parser, delimiter);
  run->length = length;
  while (run->error == NULL && (run->rows == NULL || run->rows->len < run->max_rows))
    {
      gsize end;

      if (pos >= length)
        {
          if (csv_fini (&parser, field_cb, row_cb, run) == 0 || run->error != NULL)
            break;
          broken_row (run);
          csv_free (&parser);
          parser_init (&parser, delimiter);
          /* Read again from the line after the broken row's first, if any. */
          if (restarts++ >= MAX_RESTARTS || run->row_start + 1 >= line)
            break;
          line = run->row_start + 1;
          pos = g_array_index (starts, gsize, line - 1);
          continue;
        }
      if (starts->len < line)
        g_array_append_val (starts, pos);
      if (parser.pstate == 0 && run->cells->len == 0)
        run->row_start = line;
      end = line_end (text, length, pos);
      run->offset = end;
      if (csv_parse (&parser, text + pos, end - pos, field_cb, row_cb, run) != end - pos
          && csv_error (&parser) == CSV_EPARSE)
        {
          broken_row (run);
          csv_free (&parser);
          parser_init (&parser, delimiter);
          if (run->row_start < line && restarts++ < MAX_RESTARTS)
            {
              line = run->row_start + 1;
              pos = g_array_index (starts, gsize, line - 1);
              continue;
            }
        }
      pos = end;
      line++;
    }
  csv_free (&parser);
  g_array_unref (starts);
}

static void
run_clear (CsvRun *run)
{
  g_clear_pointer (&run->cells, g_ptr_array_unref);
  g_clear_pointer (&run->targets, g_ptr_array_unref);
  g_clear_pointer (&run->header, g_strfreev);
  g_clear_pointer (&run->rows, g_ptr_array_unref);
  g_clear_error (&run->error);
}

gboolean
rapport_csv_parse (const char *text, gsize length, RapportCsvMapping *mapping,
                   RapportImportItemFunc func, gpointer user_data, GPtrArray *issues, GError **error)
{
  CsvRun run = { 0 };
  char delimiter;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (mapping != NULL && func != NULL && issues != NULL, FALSE);

  delimiter = rapport_csv_mapping_get_delimiter (mapping);
  if (delimiter == 0)
    delimiter = detect_delimiter (text, length);
  run.mapping = mapping;
  run.func = func;
  run.user_data = user_data;
  run.issues = issues;
  run.cells = g_ptr_array_new_with_free_func (g_free);
  run_parse (&run, text, length, delimiter);
  if (run.error == NULL && !run.header_done)
    g_set_error_literal (&run.error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                         _("This CSV file is empty"));
  if (run.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&run.error));
      run_clear (&run);
      return FALSE;
    }
  run_clear (&run);
  return TRUE;
}

static gboolean
preview_item_cb (RapportImportItem *item, double fraction, gpointer user_data, GError **error)
{
  return TRUE;
}

RapportCsvPreview *
rapport_csv_preview (const char *data, gsize length, RapportCsvMapping *mapping, guint max_rows,
                     GError **error)
{
  g_autoptr (RapportCsvPreview) preview = g_new0 (RapportCsvPreview, 1);
  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
  g_autofree char *text = NULL;
  const char *encoding = NULL;
  CsvRun run = { 0 };
  gsize text_length = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (mapping != NULL, NULL);

  text = rapport_import_decode (data, length, FALSE, &encoding, &text_length, error);
  if (text == NULL)
    return NULL;
  preview->encoding = g_strdup (encoding);
  preview->delimiter = rapport_csv_mapping_get_delimiter (mapping);
  if (preview->delimiter == 0)
    preview->delimiter = detect_delimiter (text, text_length);
  preview->columns = g_ptr_array_new_with_free_func (g_free);
  preview->fields = g_ptr_array_new_with_free_func (g_free);

  run.mapping = mapping;
  run.func = preview_item_cb;
  run.issues = issues;
  run.cells = g_ptr_array_new_with_free_func (g_free);
  run.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  run.max_rows = MAX (max_rows, 1);
  run_parse (&run, text, text_length, preview->delimiter);
  if (!run.header_done)
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID, _("This CSV file is empty"));
      run_clear (&run);
      return NULL;
    }
  preview->has_header = run.header != NULL;
  for (guint i = 0; i < run.n_columns; i++)
    {
      g_ptr_array_add (preview->columns, run.header ? g_strdup (run.header[i])
                                                    : g_strdup_printf (_("Column %u"), i + 1));
      g_ptr_array_add (preview->fields, rapport_csv_target_describe (run.targets->pdata[i]));
    }
  preview->rows = g_steal_pointer (&run.rows);
  run_clear (&run);
  return g_steal_pointer (&preview);
}

void
rapport_csv_preview_free (RapportCsvPreview *preview)
{
  if (preview == NULL)
    return;
  g_free (preview->encoding);
  g_clear_pointer (&preview->columns, g_ptr_array_unref);
  g_clear_pointer (&preview->fields, g_ptr_array_unref);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_free (preview);
}

void
rapport_csv_append_cell (GString *out, const char *value)
{
  gboolean guard, quote;

  g_return_if_fail (out != NULL);
  if (value == NULL || *value == '\0')
    return;
  /* A value that starts with the guard itself keeps it, behind another. */
  guard = formula_like (value);
  quote = strpbrk (value, ",\"\r\n") != NULL || value[0] == ' '
          || value[strlen (value) - 1] == ' ';
  if (quote)
    g_string_append_c (out, '"');
  if (guard)
    g_string_append_c (out, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}
