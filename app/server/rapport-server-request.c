/* rapport-server-request.c: reading and checking what clients send */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-server-request.h"

G_DEFINE_QUARK (rapport-server-error-quark, rapport_server_error)

static const struct
{
  guint status;
  const char *code;
} error_table[] = {
  [RAPPORT_SERVER_ERROR_BAD_REQUEST] = { 400, "bad-request" },
  [RAPPORT_SERVER_ERROR_UNAUTHORIZED] = { 401, "unauthorized" },
  [RAPPORT_SERVER_ERROR_FORBIDDEN] = { 403, "forbidden" },
  [RAPPORT_SERVER_ERROR_NOT_FOUND] = { 404, "not-found" },
  [RAPPORT_SERVER_ERROR_METHOD_NOT_ALLOWED] = { 405, "bad-request" },
  [RAPPORT_SERVER_ERROR_CONFLICT] = { 409, "conflict" },
  [RAPPORT_SERVER_ERROR_TOO_LARGE] = { 413, "too-large" },
  [RAPPORT_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE] = { 415, "unsupported-media-type" },
  [RAPPORT_SERVER_ERROR_CLOCK_SKEW] = { 400, "clock-skew" },
  [RAPPORT_SERVER_ERROR_RATE_LIMITED] = { 429, "rate-limited" },
  [RAPPORT_SERVER_ERROR_INTERNAL] = { 500, "internal" },
};

guint
rapport_server_error_http_status (const GError *error)
{
  if (error == NULL || error->domain != RAPPORT_SERVER_ERROR || error->code < 0
      || error->code >= (int) G_N_ELEMENTS (error_table))
    return 500;
  return error_table[error->code].status;
}

const char *
rapport_server_error_wire_code (const GError *error)
{
  if (error == NULL || error->domain != RAPPORT_SERVER_ERROR || error->code < 0
      || error->code >= (int) G_N_ELEMENTS (error_table))
    return "internal";
  return error_table[error->code].code;
}

gboolean
rapport_server_content_type_is_json (const char *content_type)
{
  gsize n = strlen ("application/json");

  if (content_type == NULL)
    return FALSE;
  while (*content_type == ' ' || *content_type == '\t')
    content_type++;
  if (g_ascii_strncasecmp (content_type, "application/json", n) != 0)
    return FALSE;
  content_type += n;
  while (*content_type == ' ' || *content_type == '\t')
    content_type++;
  return *content_type == '\0' || *content_type == ';';
}

char *
rapport_server_parse_bearer (const char *header)
{
  const char *token;
  gsize n;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;
  token = header + 7;
  while (*token == ' ')
    token++;
  n = strlen (token);
  while (n > 0 && token[n - 1] == ' ')
    n--;
  /* Tokens are base64url; anything else cannot be one of ours. */
  if (n == 0 || n > 128)
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (token[i]) && token[i] != '-' && token[i] != '_')
      return NULL;
  return g_strndup (token, n);
}

gboolean
rapport_server_json_precheck (const char *data, gsize length, GError **error)
{
  guint depth = 0, values = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          values++;
          break;
        case '[':
        case '{':
          if (++depth > RAPPORT_SERVER_JSON_DEPTH)
            {
              g_set_error (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                           _("The JSON is nested deeper than %d levels"), RAPPORT_SERVER_JSON_DEPTH);
              return FALSE;
            }
          values++;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case ',':
          values++;
          break;
        case '\0':
          g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                               _("The JSON contains a NUL byte"));
          return FALSE;
        default:
          break;
        }
      if (values > RAPPORT_SERVER_JSON_VALUES)
        {
          g_set_error (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_TOO_LARGE,
                       _("The JSON holds more than %d values; send smaller batches"),
                       RAPPORT_SERVER_JSON_VALUES);
          return FALSE;
        }
    }
  return TRUE;
}

JsonObject *
rapport_server_parse_object (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  if (length > RAPPORT_SERVER_MAX_BODY)
    {
      g_set_error (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_TOO_LARGE,
                   _("The request body is larger than %d bytes; send smaller batches"),
                   RAPPORT_SERVER_MAX_BODY);
      return NULL;
    }
  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                           _("The request needs a JSON object as its body"));
      return NULL;
    }
  if (!rapport_server_json_precheck (data, length, error))
    return NULL;
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                           _("The request body is not valid UTF-8"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                   _("The request body is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                           _("The request body must be a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
rapport_server_parse_login (JsonObject *body, char **user, char **password, GError **error)
{
  const char *u = member_string (body, "user");
  const char *p = member_string (body, "password");

  if (u == NULL || p == NULL || *u == '\0' || strlen (u) > 256 || strlen (p) > 1024)
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                           _("Sign in with a JSON object holding the strings “user” and “password”"));
      return FALSE;
    }
  *user = g_strdup (u);
  *password = g_strdup (p);
  return TRUE;
}

void
rapport_push_item_free (RapportPushItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_clear_pointer (&item->change, rapport_change_free);
  g_free (item->invalid);
  g_free (item->fields_text);
  g_free (item);
}

/* Whether a change is an erasure ("erased": true). An erasure may name its
 * contact as "record_id" (the wording of the erasure request) rather than
 * "record": "record" is then set from it. */
static gboolean
read_erasure (JsonObject *object)
{
  JsonNode *erased = json_object_get_member (object, "erased");
  const char *record_id = member_string (object, "record_id");

  if (erased == NULL || !JSON_NODE_HOLDS_VALUE (erased)
      || json_node_get_value_type (erased) != G_TYPE_BOOLEAN || !json_node_get_boolean (erased))
    return FALSE;
  if (!json_object_has_member (object, "record") && record_id != NULL)
    json_object_set_string_member (object, "record", record_id);
  return TRUE;
}

GPtrArray *
rapport_server_parse_push (JsonObject *body, GError **error)
{
  JsonNode *node = json_object_get_member (body, "changes");
  g_autoptr (GPtrArray) items = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                           _("A push is a JSON object with an array “changes”"));
      return NULL;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > RAPPORT_SERVER_MAX_CHANGES)
    {
      g_set_error (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_TOO_LARGE,
                   _("A push may hold at most %d changes; this one has %u. Send smaller batches"),
                   RAPPORT_SERVER_MAX_CHANGES, n);
      return NULL;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_push_item_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr (RapportPushItem) item = g_new0 (RapportPushItem, 1);
      g_autoptr (GError) local_error = NULL;
      const char *id = JSON_NODE_HOLDS_OBJECT (element)
                           ? member_string (json_node_get_object (element), "id") : NULL;

      if (id == NULL || *id == '\0' || strlen (id) > 64)
        {
          g_set_error (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                       _("Change %u of the push has no string “id” of 1 to 64 characters"), i);
          return NULL;
        }
      item->id = g_strdup (id);
      item->erased = read_erasure (json_node_get_object (element));
      item->change = rapport_change_from_json (element, &local_error);
      if (item->change != NULL && item->erased
          && (g_strcmp0 (item->change->entity, "contact") != 0
              || json_object_get_size (item->change->fields) > 0))
        {
          g_clear_pointer (&item->change, rapport_change_free);
          g_set_error_literal (&local_error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                               "An erasure names a contact and has no fields");
        }
      if (item->change == NULL)
        item->invalid = g_strdup (local_error->message);
      else
        item->change->seq = 0;
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  return g_steal_pointer (&items);
}

static gboolean
parse_int (GHashTable *query, const char *name, gint64 min, gint64 max, gint64 *value, GError **error)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  gint64 v;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, min, max, &v, NULL))
    {
      g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      g_set_error (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                   _("“%s” must be a whole number from %s to %s"), name, low, high);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

gboolean
rapport_server_parse_pull_query (GHashTable *query, gint64 *after, guint *limit, GError **error)
{
  gint64 a = 0, l = RAPPORT_SERVER_DEFAULT_PULL;

  if (!parse_int (query, "after", 0, G_MAXINT64, &a, error)
      || !parse_int (query, "limit", 1, RAPPORT_SERVER_MAX_PULL, &l, error))
    return FALSE;
  *after = a;
  *limit = (guint) l;
  return TRUE;
}

gboolean
rapport_server_parse_pull_wait (GHashTable *query, guint *wait, GError **error)
{
  gint64 w = 0;

  if (!parse_int (query, "wait", 0, RAPPORT_SERVER_MAX_PULL_WAIT, &w, error))
    return FALSE;
  *wait = (guint) w;
  return TRUE;
}

gboolean
rapport_server_parse_backlog_query (GHashTable *query, gint64 *at, char **user, GError **error)
{
  const char *u = query ? g_hash_table_lookup (query, "user") : NULL;
  gint64 a = 0;

  if (query == NULL || g_hash_table_lookup (query, "at") == NULL)
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                           _("Give the time of the backlog as “at”, in seconds since the epoch"));
      return FALSE;
    }
  if (!parse_int (query, "at", 0, G_MAXINT32 * (gint64) 64, &a, error))
    return FALSE;
  if (u != NULL && (*u == '\0' || strlen (u) > 64))
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_BAD_REQUEST,
                           _("“user” must be a user id"));
      return FALSE;
    }
  *at = a;
  *user = g_strdup (u);
  return TRUE;
}
