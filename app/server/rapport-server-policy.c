/* rapport-server-policy.c: who may change and see what (sync.md), as pure rules */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <string.h>

#include "rapport-server-policy.h"

gboolean
rapport_server_role_is_valid (const char *role)
{
  return g_strcmp0 (role, "staff") == 0 || g_strcmp0 (role, "manager") == 0
         || g_strcmp0 (role, "admin") == 0;
}

/* Admins manage accounts through the admin commands; for data they have the
 * rights of staff ("nothing else implied"). */
gboolean
rapport_server_actor_is_manager (const RapportServerActor *actor)
{
  return actor != NULL && g_strcmp0 (actor->role, "manager") == 0;
}

static gboolean
is_empty (const char *s)
{
  return s == NULL || *s == '\0';
}

/* The string value of @field in the change, with @present telling whether the
 * change writes it at all (a null value is present). */
static const char *
change_string (const RapportChange *change, const char *field, gboolean *present)
{
  JsonNode *node = json_object_get_member (change->fields, field);

  *present = node != NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
change_bool (const RapportChange *change, const char *field, gboolean *present)
{
  JsonNode *node = json_object_get_member (change->fields, field);

  *present = node != NULL && JSON_NODE_HOLDS_VALUE (node);
  return *present && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static gboolean
refuse (char **reason, const char *text)
{
  if (reason != NULL)
    *reason = g_strconcat ("forbidden: ", text, NULL);
  return FALSE;
}

/* A field naming who did something may be set to oneself when the record
 * is created, and never changed afterwards. */
static gboolean
check_attribution (const RapportServerActor *actor, const RapportChange *change, const char *field,
                   gboolean exists, const char *current, char **reason)
{
  gboolean present;
  const char *value = change_string (change, field, &present);

  if (!present)
    return TRUE;
  if (exists && g_strcmp0 (value, current) != 0 && !(is_empty (value) && is_empty (current)))
    {
      g_autofree char *text = g_strdup_printf ("“%s” cannot be changed once set", field);
      return refuse (reason, text);
    }
  if (!exists && !is_empty (value) && g_strcmp0 (value, actor->id) != 0)
    {
      g_autofree char *text = g_strdup_printf ("“%s” must name yourself on a new record", field);
      return refuse (reason, text);
    }
  return TRUE;
}

static gboolean
authorize_contact (const RapportServerActor *actor, const RapportChange *change, RapportContact *current,
                   char **reason)
{
  gboolean present;
  const char *owner = change_string (change, "owner", &present);

  if (!check_attribution (actor, change, "created_by", current != NULL,
                          current ? current->created_by : NULL, reason))
    return FALSE;
  if (!present || rapport_server_actor_is_manager (actor))
    return TRUE;
  if (current != NULL && g_strcmp0 (owner, current->owner) == 0)
    return TRUE;
  /* Staff may take on, or let go of, a relationship that is theirs: one they
   * created or own. Giving it to someone else is for managers. */
  if (!is_empty (owner) && g_strcmp0 (owner, actor->id) != 0)
    return refuse (reason, "only a manager can make someone else the owner of a contact");
  if (current != NULL && g_strcmp0 (current->owner, actor->id) != 0
      && g_strcmp0 (current->created_by, actor->id) != 0)
    return refuse (reason, "only a manager can reassign a contact you did not create and do not own");
  return TRUE;
}

static gboolean
authorize_note (const RapportServerActor *actor, const RapportChange *change, RapportNote *current,
                char **reason)
{
  gboolean present_private, present_author;
  gboolean make_private = change_bool (change, "private", &present_private);
  const char *author = change_string (change, "author", &present_author);

  if (current != NULL && current->private && g_strcmp0 (current->author, actor->id) != 0)
    return refuse (reason, "this is someone else's private note");
  if (!check_attribution (actor, change, "author", current != NULL, current ? current->author : NULL,
                          reason))
    return FALSE;
  if (current == NULL)
    {
      if (make_private && (!present_author || g_strcmp0 (author, actor->id) != 0))
        return refuse (reason, "a private note must name you as its author");
      return TRUE;
    }
  if (present_private && make_private != current->private
      && g_strcmp0 (current->author, actor->id) != 0)
    return refuse (reason, "only its author can make a note private or shared");
  return TRUE;
}

static gboolean
authorize_reminder (const RapportServerActor *actor, const RapportChange *change,
                    RapportReminder *current, char **reason)
{
  gboolean present;
  const char *owner = change_string (change, "owner", &present);

  if (!check_attribution (actor, change, "created_by", current != NULL,
                          current ? current->created_by : NULL, reason))
    return FALSE;
  if (rapport_server_actor_is_manager (actor))
    return TRUE;
  if (current != NULL && !is_empty (current->owner) && g_strcmp0 (current->owner, actor->id) != 0)
    return refuse (reason, "only a manager can change someone else's reminder");
  if (present && !is_empty (owner) && g_strcmp0 (owner, actor->id) != 0)
    return refuse (reason, "only a manager can give a reminder to someone else");
  return TRUE;
}

gboolean
rapport_server_policy_authorize (const RapportServerActor *actor, const RapportChange *change,
                                 RapportRecord *current, JsonObject *winners, char **reason)
{
  g_return_val_if_fail (actor != NULL && change != NULL, FALSE);

  if (g_strcmp0 (change->entity, "user") == 0)
    {
      /* Accounts change only through the admin commands. A desktop sending
       * back a user record it pulled (after a restore) changes nothing and is
       * answered as usual. */
      if (winners != NULL && json_object_get_size (winners) == 0)
        return TRUE;
      return refuse (reason, "user accounts are managed on the server with “rapport-server user”");
    }
  if (g_strcmp0 (change->entity, "contact") == 0)
    return authorize_contact (actor, change, (RapportContact *) current, reason);
  if (g_strcmp0 (change->entity, "note") == 0)
    return authorize_note (actor, change, (RapportNote *) current, reason);
  if (g_strcmp0 (change->entity, "reminder") == 0)
    return authorize_reminder (actor, change, (RapportReminder *) current, reason);
  if (g_strcmp0 (change->entity, "interaction") == 0 || g_strcmp0 (change->entity, "promise") == 0)
    return TRUE;
  return refuse (reason, "unknown kind of record");
}

gboolean
rapport_server_policy_can_see (const RapportServerActor *actor, const char *entity,
                               gboolean private_note, const char *author, const char *owner)
{
  if (g_strcmp0 (entity, "note") == 0)
    return !private_note || g_strcmp0 (author, actor->id) == 0;
  if (g_strcmp0 (entity, "reminder") == 0)
    return rapport_server_actor_is_manager (actor) || is_empty (owner)
           || g_strcmp0 (owner, actor->id) == 0;
  return TRUE;
}

gboolean
rapport_server_policy_can_see_record (const RapportServerActor *actor, RapportRecord *record)
{
  const RapportEntity *entity;

  if (record == NULL)
    return TRUE;
  entity = rapport_record_get_entity (record);
  if (RAPPORT_IS_NOTE (record))
    return rapport_server_policy_can_see (actor, entity->name, RAPPORT_NOTE (record)->private,
                                          RAPPORT_NOTE (record)->author, NULL);
  if (RAPPORT_IS_REMINDER (record))
    return rapport_server_policy_can_see (actor, entity->name, FALSE, NULL,
                                          RAPPORT_REMINDER (record)->owner);
  return TRUE;
}

void
rapport_server_policy_transition (RapportRecord *old_record, RapportRecord *new_record,
                                  gboolean *reveal, char **notice_audience, const char **notice_field)
{
  *reveal = FALSE;
  *notice_audience = NULL;
  *notice_field = NULL;
  if (old_record == NULL || new_record == NULL)
    return;
  if (RAPPORT_IS_NOTE (old_record) && RAPPORT_IS_NOTE (new_record))
    {
      gboolean was = RAPPORT_NOTE (old_record)->private, is = RAPPORT_NOTE (new_record)->private;

      *reveal = was && !is;
      if (!was && is)
        {
          *notice_audience = g_strdup ("*");
          *notice_field = "private";
        }
    }
  else if (RAPPORT_IS_REMINDER (old_record) && RAPPORT_IS_REMINDER (new_record))
    {
      const char *was = RAPPORT_REMINDER (old_record)->owner, *is = RAPPORT_REMINDER (new_record)->owner;

      if (g_strcmp0 (was, is) == 0 || (is_empty (was) && is_empty (is)))
        return;
      *reveal = !is_empty (is);
      if (!is_empty (was))
        {
          *notice_audience = g_strdup (was);
          *notice_field = "owner";
        }
    }
}
