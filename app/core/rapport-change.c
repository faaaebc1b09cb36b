/* rapport-change.c: changes, the unit of sync, and their wire format */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-error.h"
#include "rapport-hlc.h"
#include "rapport-journal.h"

G_DEFINE_BOXED_TYPE (RapportChange, rapport_change, rapport_change_copy, rapport_change_free)

RapportChange *
rapport_change_new (const char *id, const char *entity, const char *record_id, const char *stamp,
                    JsonObject *fields)
{
  RapportChange *change = g_new0 (RapportChange, 1);

  change->id = g_strdup (id);
  change->entity = g_strdup (entity);
  change->record_id = g_strdup (record_id);
  change->stamp = g_strdup (stamp);
  change->fields = fields ? json_object_ref (fields) : json_object_new ();
  return change;
}

RapportChange *
rapport_change_copy (const RapportChange *change)
{
  RapportChange *copy = rapport_change_new (change->id, change->entity, change->record_id,
                                            change->stamp, change->fields);
  copy->seq = change->seq;
  copy->author = g_strdup (change->author);
  copy->erased = change->erased;
  copy->record = change->record ? g_object_ref (change->record) : NULL;
  return copy;
}

void
rapport_change_free (RapportChange *change)
{
  if (change == NULL)
    return;
  g_free (change->id);
  g_free (change->entity);
  g_free (change->record_id);
  g_free (change->stamp);
  g_free (change->author);
  g_clear_object (&change->record);
  json_object_unref (change->fields);
  g_free (change);
}

/**
 * rapport_change_to_json:
 *
 * Returns: (transfer full): the change as sent on the wire:
 *   { "id", "entity", "record", "stamp", "fields": { ... } }, plus
 *   "erased": true for an erasure, "seq" and "author" when known.
 */
JsonNode *
rapport_change_to_json (const RapportChange *change)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_alloc ();

  json_object_set_string_member (object, "id", change->id);
  json_object_set_string_member (object, "entity", change->entity);
  json_object_set_string_member (object, "record", change->record_id);
  json_object_set_string_member (object, "stamp", change->stamp);
  json_object_set_object_member (object, "fields", json_object_ref (change->fields));
  if (change->erased)
    json_object_set_boolean_member (object, "erased", TRUE);
  if (change->seq > 0)
    json_object_set_int_member (object, "seq", change->seq);
  if (change->author != NULL)
    json_object_set_string_member (object, "author", change->author);
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * rapport_change_read_json:
 *
 * Reads a change from the wire without looking into its fields: the strings
 * id, entity, record and stamp, an object fields, "erased", "seq" and
 * "author". rapport_change_validate() must accept it before it is applied.
 *
 * Returns: (transfer full): the change, or %NULL with @error set.
 */
RapportChange *
rapport_change_read_json (JsonNode *node, GError **error)
{
  JsonObject *object;
  JsonNode *fields, *erased;
  const char *id, *entity_name, *record_id, *stamp, *author;
  RapportChange *change;
  gsize id_len, record_len;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto invalid;
  object = json_node_get_object (node);
  id = member_string (object, "id");
  entity_name = member_string (object, "entity");
  record_id = member_string (object, "record");
  stamp = member_string (object, "stamp");
  fields = json_object_get_member (object, "fields");
  if (id == NULL || entity_name == NULL || record_id == NULL || stamp == NULL || fields == NULL
      || !JSON_NODE_HOLDS_OBJECT (fields))
    goto invalid;
  id_len = strlen (id);
  record_len = strlen (record_id);
  if (id_len == 0 || id_len > 64 || record_len == 0 || record_len > 64)
    goto invalid;
  erased = json_object_get_member (object, "erased");
  if (erased != NULL
      && (!JSON_NODE_HOLDS_VALUE (erased) || json_node_get_value_type (erased) != G_TYPE_BOOLEAN))
    goto invalid;

  change = rapport_change_new (id, entity_name, record_id, stamp, json_node_get_object (fields));
  if (json_object_has_member (object, "seq"))
    change->seq = json_object_get_int_member (object, "seq");
  change->erased = erased != NULL && json_node_get_boolean (erased);
  author = member_string (object, "author");
  if (author != NULL && *author != '\0' && strlen (author) <= 64)
    change->author = g_strdup (author);
  return change;

invalid:
  g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       _("A change must be an object with the strings id, entity, record and "
                         "stamp, and an object fields"));
  return NULL;
}

/**
 * rapport_change_validate:
 *
 * Checks a change read by rapport_change_read_json(): a well-formed stamp,
 * a known entity, known fields of the right types, no derived field, an
 * erasure of a contact with no fields. Keeps the fields read as a record in
 * @change->record.
 *
 * Returns: %FALSE with @error set when the change cannot be applied.
 */
gboolean
rapport_change_validate (RapportChange *change, GError **error)
{
  const RapportEntity *entity;
  g_autoptr (RapportRecord) probe = NULL;

  g_return_val_if_fail (change != NULL, FALSE);

  if (change->record != NULL)
    return TRUE;
  if (!rapport_stamp_parse (change->stamp, NULL, NULL, NULL))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("The change %s has a malformed stamp"),
                   change->id);
      return FALSE;
    }
  entity = rapport_entity_lookup (change->entity);
  if (entity == NULL)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID, _("Unknown kind of record “%s”"),
                   change->entity);
      return FALSE;
    }
  if (change->erased
      && (strcmp (change->entity, "contact") != 0 || json_object_get_size (change->fields) > 0))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("The erasure %s must be of a contact, with no fields"), change->id);
      return FALSE;
    }
  /* Validate field names and types by setting them on a new record. */
  probe = rapport_record_new_for_entity (entity);
  if (!rapport_record_set_from_json (probe, change->fields, error))
    return FALSE;
  for (guint i = 0; i < entity->n_fields; i++)
    if ((entity->fields[i].flags & RAPPORT_FIELD_DERIVED)
        && json_object_has_member (change->fields, entity->fields[i].name))
      {
        g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                     _("The field “%s” cannot be synced"), entity->fields[i].name);
        return FALSE;
      }
  /* Kept: a new record is written from it without reading the fields again. */
  probe->id = g_strdup (change->record_id);
  change->record = g_steal_pointer (&probe);
  return TRUE;
}

/**
 * rapport_change_from_json:
 *
 * Reads and validates a change from the wire: known entity, known fields of
 * the right types, a well-formed stamp, ids of sane length.
 *
 * Returns: (transfer full): the change, or %NULL with @error set.
 */
RapportChange *
rapport_change_from_json (JsonNode *node, GError **error)
{
  g_autoptr (RapportChange) change = rapport_change_read_json (node, error);

  if (change == NULL || !rapport_change_validate (change, error))
    return NULL;
  return g_steal_pointer (&change);
}
