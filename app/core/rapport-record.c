/* rapport-record.c: the base of every synced record, and entity descriptions */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-error.h"
#include "rapport-record.h"

G_DEFINE_ABSTRACT_TYPE (RapportRecord, rapport_record, G_TYPE_OBJECT)

#define FIELD_PTR(rec, field) ((gpointer) (((guint8 *) (rec)) + (field)->offset))

static void
field_clear (RapportRecord *self, const RapportField *field)
{
  gpointer p = FIELD_PTR (self, field);

  switch (field->type)
    {
    case RAPPORT_FIELD_STRING:
      g_clear_pointer ((char **) p, g_free);
      break;
    case RAPPORT_FIELD_STRV:
      g_clear_pointer ((char ***) p, g_strfreev);
      break;
    case RAPPORT_FIELD_JSON:
      g_clear_pointer ((JsonArray **) p, json_array_unref);
      break;
    case RAPPORT_FIELD_INT:
    case RAPPORT_FIELD_TIME:
      *(gint64 *) p = 0;
      break;
    case RAPPORT_FIELD_BOOL:
      *(gboolean *) p = FALSE;
      break;
    default:
      g_assert_not_reached ();
    }
}

static JsonNode *
field_to_node (RapportRecord *self, const RapportField *field)
{
  gpointer p = FIELD_PTR (self, field);
  JsonNode *node;

  switch (field->type)
    {
    case RAPPORT_FIELD_STRING:
      node = json_node_new (JSON_NODE_VALUE);
      if (*(char **) p == NULL)
        return json_node_init_null (node);
      return json_node_init_string (node, *(char **) p);
    case RAPPORT_FIELD_INT:
      return json_node_init_int (json_node_alloc (), *(gint64 *) p);
    case RAPPORT_FIELD_TIME:
      if (*(gint64 *) p == 0)
        return json_node_init_null (json_node_alloc ());
      return json_node_init_int (json_node_alloc (), *(gint64 *) p);
    case RAPPORT_FIELD_BOOL:
      return json_node_init_boolean (json_node_alloc (), *(gboolean *) p);
    case RAPPORT_FIELD_STRV:
      {
        JsonArray *array = json_array_new ();
        for (char **s = *(char ***) p; s && *s; s++)
          json_array_add_string_element (array, *s);
        node = json_node_init (json_node_alloc (), JSON_NODE_ARRAY);
        json_node_take_array (node, array);
        return node;
      }
    case RAPPORT_FIELD_JSON:
      {
        JsonArray *array = *(JsonArray **) p;
        node = json_node_init (json_node_alloc (), JSON_NODE_ARRAY);
        json_node_take_array (node, array ? json_array_ref (array) : json_array_new ());
        return node;
      }
    default:
      g_assert_not_reached ();
    }
}

static gboolean
node_is_type (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
field_set_node (RapportRecord *self, const RapportField *field, JsonNode *node, GError **error)
{
  gpointer p = FIELD_PTR (self, field);
  gboolean is_null = node == NULL || JSON_NODE_HOLDS_NULL (node);

  switch (field->type)
    {
    case RAPPORT_FIELD_STRING:
      if (!is_null && !node_is_type (node, G_TYPE_STRING))
        goto wrong_type;
      g_free (*(char **) p);
      *(char **) p = is_null ? NULL : g_strdup (json_node_get_string (node));
      return TRUE;
    case RAPPORT_FIELD_INT:
    case RAPPORT_FIELD_TIME:
      if (!is_null && !node_is_type (node, G_TYPE_INT64))
        goto wrong_type;
      *(gint64 *) p = is_null ? 0 : json_node_get_int (node);
      return TRUE;
    case RAPPORT_FIELD_BOOL:
      if (!is_null && !node_is_type (node, G_TYPE_BOOLEAN))
        goto wrong_type;
      *(gboolean *) p = is_null ? FALSE : json_node_get_boolean (node);
      return TRUE;
    case RAPPORT_FIELD_STRV:
      {
        JsonArray *array;
        GStrvBuilder *builder;

        if (!is_null && !JSON_NODE_HOLDS_ARRAY (node))
          goto wrong_type;
        builder = g_strv_builder_new ();
        array = is_null ? NULL : json_node_get_array (node);
        for (guint i = 0; array && i < json_array_get_length (array); i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            if (!node_is_type (element, G_TYPE_STRING))
              {
                g_strv_builder_unref (builder);
                goto wrong_type;
              }
            g_strv_builder_add (builder, json_node_get_string (element));
          }
        g_strfreev (*(char ***) p);
        *(char ***) p = g_strv_builder_end (builder);
        g_strv_builder_unref (builder);
        return TRUE;
      }
    case RAPPORT_FIELD_JSON:
      {
        JsonArray *array;

        if (!is_null && !JSON_NODE_HOLDS_ARRAY (node))
          goto wrong_type;
        array = is_null ? json_array_new () : json_array_ref (json_node_get_array (node));
        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
            {
              json_array_unref (array);
              goto wrong_type;
            }
        g_clear_pointer ((JsonArray **) p, json_array_unref);
        *(JsonArray **) p = array;
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }

wrong_type:
  g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
               _("The field “%s” has a value of the wrong type"), field->name);
  return FALSE;
}

static void
rapport_record_finalize (GObject *object)
{
  RapportRecord *self = RAPPORT_RECORD (object);
  const RapportEntity *entity = rapport_record_get_entity (self);

  for (guint i = 0; i < entity->n_fields; i++)
    field_clear (self, &entity->fields[i]);
  g_free (self->id);

  G_OBJECT_CLASS (rapport_record_parent_class)->finalize (object);
}

static void
rapport_record_class_init (RapportRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rapport_record_finalize;
}

static void
rapport_record_init (RapportRecord *self)
{
}

/**
 * rapport_record_get_field_node:
 *
 * Returns: (transfer full): the value of one field, as in rapport_record_to_json().
 */
JsonNode *
rapport_record_get_field_node (RapportRecord *self, const RapportField *field)
{
  g_return_val_if_fail (RAPPORT_IS_RECORD (self) && field != NULL, NULL);
  return field_to_node (self, field);
}

const RapportEntity *
rapport_record_get_entity (RapportRecord *self)
{
  g_return_val_if_fail (RAPPORT_IS_RECORD (self), NULL);
  return RAPPORT_RECORD_GET_CLASS (self)->entity;
}

const RapportField *
rapport_entity_find_field (const RapportEntity *entity, const char *field)
{
  for (guint i = 0; i < entity->n_fields; i++)
    if (strcmp (entity->fields[i].name, field) == 0)
      return &entity->fields[i];
  return NULL;
}

const RapportEntity *
rapport_entity_lookup (const char *name)
{
  const RapportEntity *const *all = rapport_entity_all ();

  g_return_val_if_fail (name != NULL, NULL);
  for (guint i = 0; all[i]; i++)
    if (strcmp (all[i]->name, name) == 0)
      return all[i];
  return NULL;
}

RapportRecord *
rapport_record_new_for_entity (const RapportEntity *entity)
{
  return g_object_new (rapport_entity_get_gtype (entity), NULL);
}

/**
 * rapport_record_to_json:
 *
 * Returns: (transfer full): every synced field of the record, by name.
 */
JsonObject *
rapport_record_to_json (RapportRecord *self)
{
  const RapportEntity *entity = rapport_record_get_entity (self);
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const RapportField *field = &entity->fields[i];
      if (!(field->flags & RAPPORT_FIELD_DERIVED))
        json_object_set_member (object, field->name, field_to_node (self, field));
    }
  return object;
}

/**
 * rapport_record_set_field:
 * @node: (nullable): the field's value as JSON; %NULL or a JSON null clears it
 *
 * Sets one field of @self, checking the value's type.
 */
gboolean
rapport_record_set_field (RapportRecord *self, const RapportField *field, JsonNode *node, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_RECORD (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  return field_set_node (self, field, node, error);
}

/**
 * rapport_record_set_from_json:
 * @fields: field values by name; members that are not fields are an error
 *
 * Sets the fields present in @fields; others keep their value. On error the
 * record may be partly changed.
 */
gboolean
rapport_record_set_from_json (RapportRecord *self, JsonObject *fields, GError **error)
{
  const RapportEntity *entity = rapport_record_get_entity (self);
  g_autoptr (GList) members = json_object_get_members (fields);

  for (GList *l = members; l; l = l->next)
    {
      const RapportField *field = rapport_entity_find_field (entity, l->data);

      if (field == NULL)
        {
          g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       _("A %s has no field “%s”"), entity->name, (const char *) l->data);
          return FALSE;
        }
      if (!field_set_node (self, field, json_object_get_member (fields, l->data), error))
        return FALSE;
    }
  return TRUE;
}

/**
 * rapport_record_diff:
 * @old_record: (nullable): the stored record, %NULL when new
 *
 * Returns: (transfer full): the synced fields of @new_record that differ from
 *   @old_record (all of them when @old_record is %NULL).
 */
JsonObject *
rapport_record_diff (RapportRecord *old_record, RapportRecord *new_record)
{
  g_autoptr (JsonObject) new_json = rapport_record_to_json (new_record);
  g_autoptr (JsonObject) old_json = NULL;
  g_autoptr (GList) members = NULL;
  JsonObject *diff;

  if (old_record == NULL)
    return g_steal_pointer (&new_json);

  old_json = rapport_record_to_json (old_record);
  diff = json_object_new ();
  members = json_object_get_members (new_json);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *a = json_object_get_member (new_json, l->data);
      JsonNode *b = json_object_get_member (old_json, l->data);

      if (b == NULL || !json_node_equal (a, b))
        json_object_set_member (diff, l->data, json_node_copy (a));
    }
  return diff;
}

RapportRecord *
rapport_record_copy (RapportRecord *self)
{
  const RapportEntity *entity = rapport_record_get_entity (self);
  RapportRecord *copy = rapport_record_new_for_entity (entity);
  g_autoptr (JsonObject) json = rapport_record_to_json (self);

  copy->id = g_strdup (self->id);
  if (!rapport_record_set_from_json (copy, json, NULL))
    g_assert_not_reached ();
  for (guint i = 0; i < entity->n_fields; i++)
    if (entity->fields[i].flags & RAPPORT_FIELD_DERIVED)
      {
        const RapportField *field = &entity->fields[i];
        g_assert (field->type == RAPPORT_FIELD_TIME || field->type == RAPPORT_FIELD_INT);
        *(gint64 *) FIELD_PTR (copy, field) = *(gint64 *) FIELD_PTR (self, field);
      }
  return copy;
}
