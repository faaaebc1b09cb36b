/* rapport-merge.c: the one merge rule, shared by client and server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include "rapport-hlc.h"
#include "rapport-merge.h"

/**
 * rapport_merge_field_stamp:
 * @base_stamp: (nullable): the stamp of the write that created the record
 * @field_stamps: (nullable): stamps of fields written after creation
 *
 * Returns: (nullable): the stamp under which @field was last written, or
 *   %NULL when the record does not exist yet.
 */
const char *
rapport_merge_field_stamp (const char *base_stamp, JsonObject *field_stamps, const char *field)
{
  if (field_stamps != NULL && json_object_has_member (field_stamps, field))
    return json_object_get_string_member (field_stamps, field);
  return base_stamp;
}

/**
 * rapport_merge_change:
 * @base_stamp: (nullable): the current record's base stamp, %NULL if absent
 * @field_stamps: (nullable): the current record's later field stamps
 * @incoming_stamp: the stamp of the change being merged
 * @incoming_fields: the fields the change writes
 * @lost_fields: (nullable) (element-type utf8): receives the names of fields
 *   of the change that lost to a newer write
 *
 * Last writer wins per field: each field of the change is applied when its
 * stamp is greater than the field's current stamp. Stamps embed the device
 * id, so two different writes never tie; an equal stamp is the same write
 * delivered again and changes nothing. This function is pure: it reads its
 * arguments and returns the winners.
 *
 * Returns: (transfer full): the subset of @incoming_fields to apply.
 */
JsonObject *
rapport_merge_change (const char *base_stamp, JsonObject *field_stamps, const char *incoming_stamp,
                      JsonObject *incoming_fields, GPtrArray *lost_fields)
{
  JsonObject *winners = json_object_new ();
  g_autoptr (GList) members = json_object_get_members (incoming_fields);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      const char *current = rapport_merge_field_stamp (base_stamp, field_stamps, field);

      if (rapport_stamp_compare (incoming_stamp, current) > 0)
        json_object_set_member (winners, field,
                                json_node_copy (json_object_get_member (incoming_fields, field)));
      else if (lost_fields != NULL && rapport_stamp_compare (incoming_stamp, current) < 0)
        g_ptr_array_add (lost_fields, g_strdup (field));
    }
  return winners;
}

/**
 * rapport_merge_record_stamps:
 * @base_stamp: (inout): the record's base stamp, %NULL for a record not yet
 *   stored
 * @field_stamps: the record's field stamps, updated in place
 * @applied_fields: the fields that won
 * @complete: whether @applied_fields holds every field of the entity
 *
 * Records that @applied_fields were written under @stamp. A record created by
 * a complete write takes @stamp as its base; one first seen through a partial
 * write gets the empty base "" (older than any stamp), so fields it did not
 * carry still accept older writes that arrive later.
 */
void
rapport_merge_record_stamps (const char **base_stamp, JsonObject *field_stamps, const char *stamp,
                             JsonObject *applied_fields, gboolean complete)
{
  g_autoptr (GList) members = NULL;

  if (*base_stamp == NULL && complete)
    {
      *base_stamp = stamp;
      return;
    }
  if (*base_stamp == NULL)
    *base_stamp = "";
  members = json_object_get_members (applied_fields);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_string_member (field_stamps, l->data, stamp);
}
