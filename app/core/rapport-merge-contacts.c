/* rapport-merge-contacts.c: duplicate contacts, found and merged (not the sync merge rule) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-import-private.h"
#include "rapport-merge-contacts.h"
#include "rapport-store-private.h"

static const char *
value_at (JsonArray *array, guint i)
{
  return json_object_get_string_member_with_default (json_array_get_object_element (array, i),
                                                     "value", NULL);
}

/* Whether @contact has @phone, by rapport_phones_match(). */
static gboolean
contact_has_phone (RapportContact *contact, const char *phone, const char *region)
{
  for (guint i = 0; contact->phones && i < json_array_get_length (contact->phones); i++)
    if (value_at (contact->phones, i) != NULL && rapport_phones_match (value_at (contact->phones, i), phone, region))
      return TRUE;
  return FALSE;
}

/* Merging two contacts ------------------------------------------------------ */

static gboolean
fill_string (char **target, const char *source)
{
  if ((*target == NULL || **target == '\0') && source != NULL && *source != '\0')
    {
      g_free (*target);
      *target = g_strdup (source);
      return TRUE;
    }
  return FALSE;
}

/* Arrays of a record may be shared with its copies (rapport_record_copy()
 * shares them): @array becomes a copy of its own before it is changed. */
static void
own_array (JsonArray **array)
{
  JsonArray *copy = json_array_new ();

  for (guint i = 0; *array && i < json_array_get_length (*array); i++)
    json_array_add_element (copy, json_node_copy (json_array_get_element (*array, i)));
  if (*array)
    json_array_unref (*array);
  *array = copy;
}

static gboolean
same_address (JsonObject *a, JsonObject *b)
{
  static const char *const parts[] = { "street", "city", "postcode", "country" };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *x = g_utf8_casefold (json_object_get_string_member_with_default (a, parts[i], ""), -1);
      g_autofree char *y = g_utf8_casefold (json_object_get_string_member_with_default (b, parts[i], ""), -1);
      if (!g_str_equal (x, y))
        return FALSE;
    }
  return TRUE;
}

static gboolean
unite_addresses (JsonArray **target, JsonArray *source)
{
  gboolean changed = FALSE;

  for (guint i = 0; source && i < json_array_get_length (source); i++)
    {
      JsonObject *address = json_array_get_object_element (source, i);
      gboolean found = FALSE;

      for (guint j = 0; *target && j < json_array_get_length (*target) && !found; j++)
        found = same_address (json_array_get_object_element (*target, j), address);
      if (found)
        continue;
      if (!changed)
        own_array (target);
      json_array_add_element (*target, json_node_copy (json_array_get_element (source, i)));
      changed = TRUE;
    }
  return changed;
}

static gboolean
unite_values (JsonArray **target, JsonArray *source, const char *member)
{
  gboolean changed = FALSE;

  for (guint i = 0; source && i < json_array_get_length (source); i++)
    {
      const char *value = json_object_get_string_member_with_default (
          json_array_get_object_element (source, i), member, NULL);
      if (value == NULL || rapport_import_array_has (*target, member, value))
        continue;
      if (!changed)
        own_array (target);
      json_array_add_element (*target, json_node_copy (json_array_get_element (source, i)));
      changed = TRUE;
    }
  return changed;
}

static gboolean
unite_phones (RapportContact *target, RapportContact *source, const char *region)
{
  gboolean changed = FALSE;

  for (guint i = 0; source->phones && i < json_array_get_length (source->phones); i++)
    {
      const char *value = value_at (source->phones, i);
      if (value == NULL || contact_has_phone (target, value, region))
        continue;
      if (!changed)
        own_array (&target->phones);
      json_array_add_element (target->phones, json_node_copy (json_array_get_element (source->phones, i)));
      changed = TRUE;
    }
  return changed;
}

gboolean
rapport_contact_merge_into (RapportContact *target, RapportContact *source, const char *region)
{
  g_autofree char *default_region = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (RAPPORT_IS_CONTACT (target) && RAPPORT_IS_CONTACT (source), FALSE);

  if (region == NULL)
    region = default_region = rapport_import_default_region ();
  changed |= fill_string (&target->name, source->name);
  changed |= fill_string (&target->kind, source->kind);
  changed |= fill_string (&target->given_name, source->given_name);
  changed |= fill_string (&target->family_name, source->family_name);
  changed |= fill_string (&target->organization_id, source->organization_id);
  changed |= fill_string (&target->organization, source->organization);
  changed |= fill_string (&target->job_title, source->job_title);
  changed |= fill_string (&target->relationship, source->relationship);
  changed |= fill_string (&target->stage, source->stage);
  changed |= fill_string (&target->owner, source->owner);
  changed |= fill_string (&target->birthday, source->birthday);
  changed |= fill_string (&target->source, source->source);
  changed |= fill_string (&target->preferred_channel, source->preferred_channel);
  if (target->cadence_days == 0 && source->cadence_days != 0)
    {
      target->cadence_days = source->cadence_days;
      changed = TRUE;
    }
  /* A wish not to be contacted is kept; consent is never granted by a merge. */
  if (source->do_not_contact && !target->do_not_contact)
    {
      target->do_not_contact = TRUE;
      changed = TRUE;
    }
  changed |= unite_values (&target->emails, source->emails, "value");
  changed |= unite_phones (target, source, region);
  changed |= unite_addresses (&target->addresses, source->addresses);
  changed |= unite_values (&target->social, source->social, "handle");
  for (char **t = source->tags; t && *t; t++)
    if (!rapport_contact_has_tag (target, *t))
      {
        rapport_import_add_tag (target, *t);
        changed = TRUE;
      }
  return changed;
}

/* Merging two stored contacts, and undoing it ------------------------------ */

struct _RapportContactMerge
{
  char *keep_id;
  char *other_id;
  JsonObject *keep_before;  /* the fields of the kept contact the merge changed, as they were */
  GPtrArray *moved;         /* pairs: entity name, record id */
};

static const char *const timeline_entities[] = { "interaction", "note", "reminder", "promise" };

void
rapport_contact_merge_free (RapportContactMerge *merge)
{
  if (merge == NULL)
    return;
  g_free (merge->keep_id);
  g_free (merge->other_id);
  g_clear_pointer (&merge->keep_before, json_object_unref);
  g_clear_pointer (&merge->moved, g_ptr_array_unref);
  g_free (merge);
}

const char *
rapport_contact_merge_get_kept_id (RapportContactMerge *merge)
{
  g_return_val_if_fail (merge != NULL, NULL);
  return merge->keep_id;
}

static gboolean
take_fields (RapportContact *keep, RapportContact *other, const char *const *fields, GError **error)
{
  const RapportEntity *entity = rapport_record_get_entity (RAPPORT_RECORD (keep));
  g_autoptr (JsonObject) all = rapport_record_to_json (RAPPORT_RECORD (other));
  g_autoptr (JsonObject) taken = json_object_new ();

  for (guint i = 0; fields && fields[i]; i++)
    {
      const RapportField *field = rapport_entity_find_field (entity, fields[i]);

      if (field == NULL || (field->flags & RAPPORT_FIELD_DERIVED) || g_str_equal (fields[i], "deleted")
          || g_str_equal (fields[i], "deleted_at") || g_str_equal (fields[i], "created_at"))
        {
          g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       _("“%s” is not a field that can be taken from the other contact"), fields[i]);
          return FALSE;
        }
      json_object_set_member (taken, fields[i], json_node_copy (json_object_get_member (all, fields[i])));
    }
  return rapport_record_set_from_json (RAPPORT_RECORD (keep), taken, error);
}

/* Points every record of @entity_name that refers to @from (by @column) at
 * @to, through the write path; records the ids moved in @moved. */
static gboolean
repoint (RapportStore *store, const char *entity_name, const char *column, const char *from,
         const char *to, GPtrArray *moved, GError **error)
{
  const RapportEntity *entity = rapport_entity_lookup (entity_name);
  char *where = sqlite3_mprintf ("%s = %Q", column, from);
  g_autoptr (GPtrArray) records = rapport_store_list (store, entity, where, error);

  sqlite3_free (where);
  if (records == NULL)
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    {
      RapportRecord *record = records->pdata[i];
      g_autoptr (JsonObject) change = json_object_new ();

      json_object_set_string_member (change, column, to);
      if (!rapport_record_set_from_json (record, change, error) || !rapport_store_save (store, record, error))
        return FALSE;
      if (moved != NULL)
        {
          g_ptr_array_add (moved, g_strdup (entity_name));
          g_ptr_array_add (moved, g_strdup (record->id));
        }
    }
  return TRUE;
}

static gboolean
merge_in_transaction (RapportStore *store, RapportContactMerge *merge, const char *const *from_other,
                      const char *region, GError **error)
{
  g_autoptr (RapportContact) keep = NULL;
  g_autoptr (RapportContact) other = NULL;
  g_autoptr (RapportRecord) before = NULL;
  g_autoptr (JsonObject) diff = NULL;
  g_autoptr (JsonObject) old_values = NULL;
  g_autoptr (GList) members = NULL;

  keep = rapport_store_get_contact (store, merge->keep_id, error);
  if (keep == NULL)
    return FALSE;
  other = rapport_store_get_contact (store, merge->other_id, error);
  if (other == NULL)
    return FALSE;
  if (RAPPORT_RECORD (keep)->deleted || RAPPORT_RECORD (other)->deleted)
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("A contact in the Trash cannot be merged; restore it first"));
      return FALSE;
    }
  before = rapport_record_copy (RAPPORT_RECORD (keep));
  if (!take_fields (keep, other, from_other, error))
    return FALSE;
  rapport_contact_merge_into (keep, other, region);
  diff = rapport_record_diff (before, RAPPORT_RECORD (keep));
  old_values = rapport_record_to_json (before);
  merge->keep_before = json_object_new ();
  members = json_object_get_members (diff);
  for (GList *l = members; l; l = l->next)
    json_object_set_member (merge->keep_before, l->data,
                            json_node_copy (json_object_get_member (old_values, l->data)));
  if (!rapport_store_save (store, RAPPORT_RECORD (keep), error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (timeline_entities); i++)
    if (!repoint (store, timeline_entities[i], "contact_id", merge->other_id, merge->keep_id,
                  merge->moved, error))
      return FALSE;
  if (!repoint (store, "contact", "organization_id", merge->other_id, merge->keep_id, merge->moved,
                error))
    return FALSE;
  return rapport_store_delete (store, RAPPORT_RECORD (other), error);
}

RapportContactMerge *
rapport_store_merge_contacts (RapportStore *store, const char *keep_id, const char *other_id,
                              const char *const *from_other, const char *region, GError **error)
{
  g_autoptr (RapportContactMerge) merge = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (keep_id != NULL && other_id != NULL, NULL);

  if (g_str_equal (keep_id, other_id))
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("A contact cannot be merged with itself; choose two contacts"));
      return NULL;
    }
  merge = g_new0 (RapportContactMerge, 1);
  merge->keep_id = g_strdup (keep_id);
  merge->other_id = g_strdup (other_id);
  merge->moved = g_ptr_array_new_with_free_func (g_free);
  if (!rapport_store_begin (store, error))
    return NULL;
  if (!merge_in_transaction (store, merge, from_other, region, error))
    {
      rapport_store_rollback (store);
      return NULL;
    }
  if (!rapport_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&merge);
}

static gboolean
undo_in_transaction (RapportStore *store, RapportContactMerge *merge, GError **error)
{
  g_autoptr (RapportContact) keep = NULL;
  g_autoptr (RapportContact) other = NULL;

  for (guint i = 0; i < merge->moved->len; i += 2)
    {
      const char *entity_name = merge->moved->pdata[i];
      const RapportEntity *entity = rapport_entity_lookup (entity_name);
      const char *column = g_str_equal (entity_name, "contact") ? "organization_id" : "contact_id";
      g_autoptr (RapportRecord) record = rapport_store_load (store, entity, merge->moved->pdata[i + 1], error);
      g_autoptr (JsonObject) change = json_object_new ();
      g_autoptr (JsonObject) now = NULL;

      if (record == NULL)
        return FALSE;
      now = rapport_record_to_json (record);
      /* Moved again since the merge: that later choice stands. */
      if (g_strcmp0 (json_object_get_string_member_with_default (now, column, NULL), merge->keep_id) != 0)
        continue;
      json_object_set_string_member (change, column, merge->other_id);
      if (!rapport_record_set_from_json (record, change, error) || !rapport_store_save (store, record, error))
        return FALSE;
    }
  other = rapport_store_get_contact (store, merge->other_id, error);
  if (other == NULL || !rapport_store_restore (store, RAPPORT_RECORD (other), error))
    return FALSE;
  keep = rapport_store_get_contact (store, merge->keep_id, error);
  if (keep == NULL || !rapport_record_set_from_json (RAPPORT_RECORD (keep), merge->keep_before, error))
    return FALSE;
  return rapport_store_save (store, RAPPORT_RECORD (keep), error);
}

gboolean
rapport_store_undo_merge (RapportStore *store, RapportContactMerge *merge, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (merge != NULL && merge->keep_before != NULL, FALSE);

  if (!rapport_store_begin (store, error))
    return FALSE;
  if (!undo_in_transaction (store, merge, error))
    {
      rapport_store_rollback (store);
      return FALSE;
    }
  return rapport_store_commit (store, error);
}
