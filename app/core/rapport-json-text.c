/* rapport-json-text.c: JSON text written directly, as json-glib writes it */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>

#include "rapport-id.h"
#include "rapport-json-text.h"
#include "rapport-store-private.h"

/* Building JsonNodes only to have JsonGenerator turn them into text costs
 * more than all else an import does per contact; these write the same
 * bytes straight into a GString. json-glib 1.6 escapes '"', '\\', the
 * control characters 0x01-0x1e (\b \t \n \f \r by name, the others as
 * \u00xx) and 0x7f, and copies every other byte (0x1f and UTF-8 included). */

static inline gboolean
needs_escape (guchar c)
{
  return c == '"' || c == '\\' || (c > 0 && c < 0x1f) || c == 0x7f;
}

void
rapport_json_text_append_string (GString *out, const char *text)
{
  const char *run = text;
  const char *p;

  g_return_if_fail (out != NULL && text != NULL);

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (!needs_escape (c))
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          g_string_append_printf (out, "\\u00%.2x", c);
          break;
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
append_int (GString *out, gint64 value)
{
  char buf[24];
  char *end = buf + sizeof buf;
  char *p = end;
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, end - p);
}

static void
append_array (GString *out, JsonArray *array)
{
  guint n = array ? json_array_get_length (array) : 0;

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      rapport_json_text_append_node (out, json_array_get_element (array, i));
    }
  g_string_append_c (out, ']');
}

static void
append_object (GString *out, JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      rapport_json_text_append_string (out, name);
      g_string_append_c (out, ':');
      rapport_json_text_append_node (out, member);
    }
  g_string_append_c (out, '}');
}

void
rapport_json_text_append_node (GString *out, JsonNode *node)
{
  g_return_if_fail (out != NULL && node != NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node));
      return;
    case JSON_NODE_ARRAY:
      append_array (out, json_node_get_array (node));
      return;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return;
    case JSON_NODE_VALUE:
      break;
    default:
      g_assert_not_reached ();
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      rapport_json_text_append_string (out, json_node_get_string (node));
      break;
    case G_TYPE_INT64:
      append_int (out, json_node_get_int (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    default:
      {
        /* Doubles, rare here: json-glib's own formatting. */
        g_autofree char *text = rapport_json_node_to_text (node);

        g_string_append (out, text);
      }
      break;
    }
}

void
rapport_json_text_append_field (GString *out, RapportRecord *record, const RapportField *field)
{
  gpointer p;

  g_return_if_fail (out != NULL && RAPPORT_IS_RECORD (record) && field != NULL);

  p = G_STRUCT_MEMBER_P (record, field->offset);
  switch (field->type)
    {
    case RAPPORT_FIELD_STRING:
      if (*(char **) p == NULL)
        g_string_append (out, "null");
      else
        rapport_json_text_append_string (out, *(char **) p);
      break;
    case RAPPORT_FIELD_INT:
      append_int (out, *(gint64 *) p);
      break;
    case RAPPORT_FIELD_TIME:
      if (*(gint64 *) p == 0)
        g_string_append (out, "null");
      else
        append_int (out, *(gint64 *) p);
      break;
    case RAPPORT_FIELD_BOOL:
      g_string_append (out, *(gboolean *) p ? "true" : "false");
      break;
    case RAPPORT_FIELD_STRV:
      g_string_append_c (out, '[');
      for (char **s = *(char ***) p; s && *s; s++)
        {
          if (s != *(char ***) p)
            g_string_append_c (out, ',');
          rapport_json_text_append_string (out, *s);
        }
      g_string_append_c (out, ']');
      break;
    case RAPPORT_FIELD_JSON:
      append_array (out, *(JsonArray **) p);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
rapport_json_text_append_record (GString *out, RapportRecord *record, guint *spans)
{
  const RapportEntity *entity;
  gboolean first = TRUE;

  g_return_if_fail (out != NULL && RAPPORT_IS_RECORD (record));

  entity = rapport_record_get_entity (record);
  g_string_append_c (out, '{');
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const RapportField *field = &entity->fields[i];

      if (field->flags & RAPPORT_FIELD_DERIVED)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      rapport_json_text_append_string (out, field->name);
      g_string_append_c (out, ':');
      if (spans != NULL)
        spans[2 * i] = (guint) out->len;
      rapport_json_text_append_field (out, record, field);
      if (spans != NULL)
        spans[2 * i + 1] = (guint) out->len - spans[2 * i];
    }
  g_string_append_c (out, '}');
}

void
rapport_json_text_bind_field (sqlite3_stmt *stmt, int index, RapportRecord *record, guint field_index,
                              const char *journal, const guint *spans)
{
  const RapportField *field = &rapport_record_get_entity (record)->fields[field_index];
  gboolean text = field->type == RAPPORT_FIELD_STRV || field->type == RAPPORT_FIELD_JSON;

  g_assert (!text || !(field->flags & RAPPORT_FIELD_DERIVED));
  rapport_store_bind_field (stmt, index, record, field, text ? journal + spans[2 * field_index] : NULL,
                            text ? (int) spans[2 * field_index + 1] : 0);
}
