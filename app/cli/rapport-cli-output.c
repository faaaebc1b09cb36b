/* rapport-cli-output.c: tables, labelled fields and --json for rapport-cli */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rapport-cli-private.h"
#include "rapport-time.h"

#define FIELD_LABEL_WIDTH 20

struct _RapportCliTable
{
  guint n_columns;
  GPtrArray *cells;          /* row after row; the first row is the headers */
};

/* Columns on a terminal: wide characters take two, marks none. */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c) || g_unichar_ismark (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* A cell is one line: newlines and tabs become spaces. */
static char *
cell_text (const char *text)
{
  char *copy = g_strdup (text ? text : "");

  for (char *p = copy; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  return copy;
}

/**
 * rapport_cli_table_new:
 * @n_columns: the number of columns, followed by as many headers
 */
RapportCliTable *
rapport_cli_table_new (guint n_columns, ...)
{
  RapportCliTable *table = g_new0 (RapportCliTable, 1);
  va_list args;

  table->n_columns = n_columns;
  table->cells = g_ptr_array_new_with_free_func (g_free);
  va_start (args, n_columns);
  for (guint i = 0; i < n_columns; i++)
    g_ptr_array_add (table->cells, cell_text (va_arg (args, const char *)));
  va_end (args);
  return table;
}

/* Adds a row: as many cells as columns; %NULL is an empty cell. */
void
rapport_cli_table_add (RapportCliTable *table, ...)
{
  va_list args;

  va_start (args, table);
  for (guint i = 0; i < table->n_columns; i++)
    g_ptr_array_add (table->cells, cell_text (va_arg (args, const char *)));
  va_end (args);
}

void
rapport_cli_table_print (RapportCliTable *table)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);
  g_autoptr (GString) line = g_string_new (NULL);

  for (guint i = 0; i < table->cells->len; i++)
    {
      guint column = i % table->n_columns;
      widths[column] = MAX (widths[column], display_width (table->cells->pdata[i]));
    }
  for (guint i = 0; i < table->cells->len; i++)
    {
      guint column = i % table->n_columns;
      const char *text = table->cells->pdata[i];

      g_string_append (line, text);
      if (column + 1 < table->n_columns)
        {
          for (guint pad = display_width (text); pad < widths[column] + 2; pad++)
            g_string_append_c (line, ' ');
          continue;
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
      g_string_truncate (line, 0);
    }
}

void
rapport_cli_table_free (RapportCliTable *table)
{
  g_ptr_array_unref (table->cells);
  g_free (table);
}

/**
 * rapport_cli_format_time:
 *
 * Returns: (transfer full): @t in local time ("2026-03-02 09:00"), "" for 0.
 */
char *
rapport_cli_format_time (gint64 t)
{
  g_autoptr (GDateTime) dt = NULL;

  if (t == 0)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_local (t);
  if (dt == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, t);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

/**
 * rapport_cli_format_age:
 *
 * Returns: (transfer full): a duration as people read it: "3d 4h", "5h 10m".
 */
char *
rapport_cli_format_age (gint64 seconds)
{
  gint64 days, hours, minutes;

  if (seconds < 0)
    seconds = 0;
  days = seconds / 86400;
  hours = (seconds % 86400) / 3600;
  minutes = (seconds % 3600) / 60;
  if (days > 0)
    /* TRANSLATORS: a duration in days and hours */
    return g_strdup_printf (_("%dd %dh"), (int) MIN (days, G_MAXINT), (int) hours);
  /* TRANSLATORS: a duration in hours and minutes */
  return g_strdup_printf (_("%dh %dm"), (int) hours, (int) minutes);
}

/**
 * rapport_cli_shorten:
 *
 * Returns: (transfer full): the first line of @text, cut to @max_chars
 *   characters with an ellipsis.
 */
char *
rapport_cli_shorten (const char *text, guint max_chars)
{
  g_autofree char *line = NULL;
  const char *end;

  if (text == NULL)
    return g_strdup ("");
  end = strchr (text, '\n');
  line = end ? g_strndup (text, end - text) : g_strdup (text);
  if (g_utf8_strlen (line, -1) <= (glong) max_chars && end == NULL)
    return g_steal_pointer (&line);
  if (g_utf8_strlen (line, -1) > (glong) max_chars)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, max_chars > 1 ? max_chars - 1 : 0);
      return g_strconcat (cut, "…", NULL);
    }
  return g_strconcat (line, " …", NULL);
}

/* Prints "  Label:   value"; nothing for an empty value. */
void
rapport_cli_print_field (const char *label, const char *value)
{
  g_autoptr (GString) line = NULL;

  if (value == NULL || *value == '\0')
    return;
  line = g_string_new ("  ");
  /* An empty label continues the field above. */
  if (*label != '\0')
    g_string_append_printf (line, "%s:", label);
  for (guint pad = *label ? display_width (label) + 1 : 0; pad < FIELD_LABEL_WIDTH; pad++)
    g_string_append_c (line, ' ');
  g_string_append_printf (line, " %s", value);
  g_print ("%s\n", line->str);
}

/* Sets @member to @t as ISO 8601 in UTC, or null when @t is 0. */
void
rapport_cli_json_set_time (JsonObject *object, const char *member, gint64 t)
{
  g_autofree char *iso = NULL;

  if (t == 0)
    {
      json_object_set_null_member (object, member);
      return;
    }
  iso = rapport_time_to_iso (t);
  json_object_set_string_member (object, member, iso);
}

#define FIELD_PTR(rec, field) ((gpointer) (((guint8 *) (rec)) + (field)->offset))

/**
 * rapport_cli_record_json:
 *
 * Returns: (transfer full): the record for --json: "id" and every field by
 *   its name, times as ISO 8601 in UTC (null when unset).
 */
JsonObject *
rapport_cli_record_json (RapportRecord *record)
{
  const RapportEntity *entity = rapport_record_get_entity (record);
  g_autoptr (JsonObject) fields = rapport_record_to_json (record);
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", record->id);
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const RapportField *field = &entity->fields[i];

      if (field->type == RAPPORT_FIELD_TIME)
        rapport_cli_json_set_time (object, field->name, *(gint64 *) FIELD_PTR (record, field));
      else if (json_object_has_member (fields, field->name))
        json_object_set_member (object, field->name,
                                json_node_copy (json_object_get_member (fields, field->name)));
      else if (field->type == RAPPORT_FIELD_INT)
        json_object_set_int_member (object, field->name, *(gint64 *) FIELD_PTR (record, field));
      else if (field->type == RAPPORT_FIELD_BOOL)
        json_object_set_boolean_member (object, field->name,
                                        *(gboolean *) FIELD_PTR (record, field));
    }
  return object;
}

JsonArray *
rapport_cli_records_json (GPtrArray *records)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; records != NULL && i < records->len; i++)
    json_array_add_object_element (array, rapport_cli_record_json (records->pdata[i]));
  return array;
}

/* JSON is written as UTF-8 whatever the locale. */
void
rapport_cli_print_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length = 0;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  fwrite (text, 1, length, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

/* Prints @object, and takes it. */
void
rapport_cli_print_json_object (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  rapport_cli_print_json (node);
}

/* Prints @array, and takes it. */
void
rapport_cli_print_json_array (JsonArray *array)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  rapport_cli_print_json (node);
}
