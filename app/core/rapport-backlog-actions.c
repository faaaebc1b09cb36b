/* rapport-backlog-actions.c: what a manager does from the backlog: reassign, nudge, undo */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-due"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-backlog-actions.h"
#include "rapport-store-private.h"

/* One string field of one record, before and after. */
typedef struct
{
  const RapportEntity *entity;
  char *id;
  const RapportField *field;
  char *old_value;
  char *new_value;
} Edit;

struct _RapportBacklogChange
{
  GPtrArray *edits;    /* (element-type Edit) in the order made */
  GPtrArray *created;  /* (element-type utf8) ids of reminders made by a nudge */
};

static void
edit_free (Edit *edit)
{
  g_free (edit->id);
  g_free (edit->old_value);
  g_free (edit->new_value);
  g_free (edit);
}

static RapportBacklogChange *
change_new (void)
{
  RapportBacklogChange *change = g_new0 (RapportBacklogChange, 1);

  change->edits = g_ptr_array_new_with_free_func ((GDestroyNotify) edit_free);
  change->created = g_ptr_array_new_with_free_func (g_free);
  return change;
}

void
rapport_backlog_change_free (RapportBacklogChange *change)
{
  if (change == NULL)
    return;
  g_ptr_array_unref (change->edits);
  g_ptr_array_unref (change->created);
  g_free (change);
}

guint
rapport_backlog_change_get_count (const RapportBacklogChange *change)
{
  g_return_val_if_fail (change != NULL, 0);
  return change->edits->len + change->created->len;
}

static char **
string_slot (RapportRecord *record, const RapportField *field)
{
  g_assert (field->type == RAPPORT_FIELD_STRING);
  return G_STRUCT_MEMBER_P (record, field->offset);
}

/* Sets a string field of a stored record and remembers the old value. */
static gboolean
set_field (RapportStore *store, RapportBacklogChange *change, const char *entity_name,
           const char *id, const char *field_name, const char *value, GError **error)
{
  const RapportEntity *entity = rapport_entity_lookup (entity_name);
  const RapportField *field = rapport_entity_find_field (entity, field_name);
  g_autoptr (RapportRecord) record = NULL;
  char **slot;
  Edit *edit;

  g_assert (field != NULL);
  record = rapport_store_load (store, entity, id, error);
  if (record == NULL)
    return FALSE;
  slot = string_slot (record, field);
  if (g_strcmp0 (*slot, value) == 0)
    return TRUE;
  edit = g_new0 (Edit, 1);
  edit->entity = entity;
  edit->id = g_strdup (id);
  edit->field = field;
  edit->old_value = g_steal_pointer (slot);
  edit->new_value = g_strdup (value);
  *slot = g_strdup (value);
  g_ptr_array_add (change->edits, edit);
  return rapport_store_save (store, record, error);
}

gboolean
rapport_backlog_can_manage (RapportStore *store, const char *by_user)
{
  g_autoptr (RapportUser) user = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);

  if (by_user == NULL)
    return FALSE;
  user = rapport_store_get_user (store, by_user);
  return user != NULL && (g_strcmp0 (user->role, "manager") == 0
                          || g_strcmp0 (user->role, "admin") == 0);
}

static gboolean
check_allowed (RapportStore *store, GPtrArray *items, const char *by_user, GError **error)
{
  if (rapport_backlog_can_manage (store, by_user))
    return TRUE;
  for (guint i = 0; i < items->len; i++)
    {
      const RapportDueItem *item = items->pdata[i];

      if (by_user == NULL || g_strcmp0 (item->owner, by_user) != 0)
        {
          g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                               _("Only a manager can hand the work of others to a colleague. "
                                 "Ask a manager, or the owner"));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_new_owner (RapportStore *store, const char *new_owner, GError **error)
{
  g_autoptr (RapportUser) user = new_owner ? rapport_store_get_user (store, new_owner) : NULL;

  if (user == NULL || user->disabled || RAPPORT_RECORD (user)->deleted)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND,
                   _("There is no active colleague “%s” to hand the work to. Pick one from "
                     "the team list"),
                   new_owner ? new_owner : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
reassign_item (RapportStore *store, RapportBacklogChange *change, const RapportDueItem *item,
               const char *new_owner, GError **error)
{
  switch (item->kind)
    {
    case RAPPORT_DUE_REMINDER:
      return set_field (store, change, "reminder", item->record_id, "owner", new_owner, error);
    case RAPPORT_DUE_PROMISE:
      return set_field (store, change, "promise", item->record_id, "deliver_by_user", new_owner,
                        error);
    case RAPPORT_DUE_CADENCE:
    case RAPPORT_DUE_COMPLAINT:
    default:
      if (item->contact_id == NULL)
        return TRUE;
      return set_field (store, change, "contact", item->contact_id, "owner", new_owner, error);
    }
}

/* Runs @apply on every item in one transaction. */
typedef gboolean (*ApplyFunc) (RapportStore *store, RapportBacklogChange *change,
                               const RapportDueItem *item, const char *new_owner,
                               GError **error);

static RapportBacklogChange *
apply_all (RapportStore *store, GPtrArray *items, const char *new_owner, ApplyFunc apply,
           GError **error)
{
  g_autoptr (RapportBacklogChange) change = change_new ();

  if (!rapport_store_begin (store, error))
    return NULL;
  for (guint i = 0; i < items->len; i++)
    if (!apply (store, change, items->pdata[i], new_owner, error))
      {
        rapport_store_rollback (store);
        return NULL;
      }
  if (!rapport_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&change);
}

/**
 * rapport_backlog_reassign_items:
 * @items: (element-type RapportDueItem)
 *
 * Returns: (transfer full): what changed, for undo; %NULL with @error set.
 */
RapportBacklogChange *
rapport_backlog_reassign_items (RapportStore *store, GPtrArray *items, const char *new_owner,
                                const char *by_user, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (items != NULL, NULL);

  if (!check_new_owner (store, new_owner, error) || !check_allowed (store, items, by_user, error))
    return NULL;
  return apply_all (store, items, new_owner, reassign_item, error);
}

static gboolean
reassign_relationship (RapportStore *store, RapportBacklogChange *change,
                       const RapportDueItem *item, const char *new_owner, GError **error)
{
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GPtrArray) reminders = NULL;
  g_autofree char *old_owner = NULL;
  char *where;

  if (item->contact_id == NULL)
    return TRUE;
  contact = rapport_store_get_contact (store, item->contact_id, error);
  if (contact == NULL)
    return FALSE;
  old_owner = g_strdup (contact->owner);
  if (!set_field (store, change, "contact", item->contact_id, "owner", new_owner, error))
    return FALSE;
  if (old_owner == NULL || g_strcmp0 (old_owner, new_owner) == 0)
    return TRUE;

  where = sqlite3_mprintf ("contact_id = %Q AND owner = %Q AND done_at IS NULL AND deleted = 0",
                           item->contact_id, old_owner);
  reminders = rapport_store_list (store, rapport_entity_lookup ("reminder"), where, error);
  sqlite3_free (where);
  if (reminders == NULL)
    return FALSE;
  for (guint i = 0; i < reminders->len; i++)
    if (!set_field (store, change, "reminder", RAPPORT_RECORD (reminders->pdata[i])->id, "owner",
                    new_owner, error))
      return FALSE;
  return TRUE;
}

/**
 * rapport_backlog_reassign_relationships:
 * @items: (element-type RapportDueItem)
 *
 * Returns: (transfer full): what changed, for undo; %NULL with @error set.
 */
RapportBacklogChange *
rapport_backlog_reassign_relationships (RapportStore *store, GPtrArray *items,
                                        const char *new_owner, const char *by_user,
                                        GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (items != NULL, NULL);

  if (!check_new_owner (store, new_owner, error))
    return NULL;
  if (!rapport_backlog_can_manage (store, by_user))
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("Only a manager can hand relationships to a colleague. Ask a "
                             "manager"));
      return NULL;
    }
  return apply_all (store, items, new_owner, reassign_relationship, error);
}

static char *
nudge_title (RapportStore *store, const RapportDueItem *item, const char *by_user)
{
  g_autoptr (RapportUser) by = by_user ? rapport_store_get_user (store, by_user) : NULL;
  const char *who = by && by->display_name && *by->display_name ? by->display_name
                    : by && by->name ? by->name : _("your manager");
  const char *what = item->title && *item->title ? item->title : item->contact_name;

  if (what == NULL || *what == '\0')
    /* Translators: a reminder made by a manager's nudge; %s is the manager */
    return g_strdup_printf (_("Follow up, asked by %s"), who);
  /* Translators: a reminder made by a manager's nudge: the item, then the manager */
  return g_strdup_printf (_("Follow up: %s (asked by %s)"), what, who);
}

/**
 * rapport_backlog_nudge:
 * @items: (element-type RapportDueItem)
 *
 * Returns: (transfer full): the reminders made, for undo; %NULL with @error set.
 */
RapportBacklogChange *
rapport_backlog_nudge (RapportStore *store, GPtrArray *items, const char *by_user, gint64 at,
                       GError **error)
{
  g_autoptr (RapportBacklogChange) change = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (items != NULL, NULL);

  if (!check_allowed (store, items, by_user, error))
    return NULL;
  change = change_new ();
  if (!rapport_store_begin (store, error))
    return NULL;
  for (guint i = 0; i < items->len; i++)
    {
      const RapportDueItem *item = items->pdata[i];
      g_autoptr (RapportReminder) reminder = NULL;

      if (item->owner == NULL || *item->owner == '\0')
        continue;
      reminder = rapport_reminder_new ();
      reminder->owner = g_strdup (item->owner);
      reminder->contact_id = g_strdup (item->contact_id);
      reminder->title = nudge_title (store, item, by_user);
      reminder->due_at = at;
      reminder->created_by = g_strdup (by_user);
      if (!rapport_store_save (store, RAPPORT_RECORD (reminder), error))
        {
          rapport_store_rollback (store);
          return NULL;
        }
      g_ptr_array_add (change->created, g_strdup (RAPPORT_RECORD (reminder)->id));
    }
  if (change->created->len == 0)
    {
      rapport_store_rollback (store);
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("Nobody owns these items yet: reassign them to a colleague first"));
      return NULL;
    }
  if (!rapport_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&change);
}

static gboolean
undo_edit (RapportStore *store, const Edit *edit, GError **error)
{
  g_autoptr (RapportRecord) record = rapport_store_load (store, edit->entity, edit->id, error);
  char **slot;

  if (record == NULL)
    return FALSE;
  slot = string_slot (record, edit->field);
  /* Someone changed it again since: theirs is the newer decision. */
  if (g_strcmp0 (*slot, edit->new_value) != 0)
    return TRUE;
  g_free (*slot);
  *slot = g_strdup (edit->old_value);
  return rapport_store_save (store, record, error);
}

gboolean
rapport_backlog_change_undo (RapportStore *store, RapportBacklogChange *change, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (change != NULL, FALSE);

  if (!rapport_store_begin (store, error))
    return FALSE;
  for (guint i = change->edits->len; i > 0; i--)
    if (!undo_edit (store, change->edits->pdata[i - 1], error))
      {
        rapport_store_rollback (store);
        return FALSE;
      }
  for (guint i = 0; i < change->created->len; i++)
    {
      g_autoptr (RapportRecord) reminder =
        rapport_store_load (store, rapport_entity_lookup ("reminder"), change->created->pdata[i],
                            error);

      if (reminder == NULL || (!reminder->deleted && !rapport_store_delete (store, reminder, error)))
        {
          rapport_store_rollback (store);
          return FALSE;
        }
    }
  if (!rapport_store_commit (store, error))
    return FALSE;
  g_ptr_array_set_size (change->edits, 0);
  g_ptr_array_set_size (change->created, 0);
  return TRUE;
}
