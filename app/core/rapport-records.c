/* rapport-records.c: the records of a relationship and their entity tables */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>

#include "rapport-error.h"
#include "rapport-records.h"

G_DEFINE_QUARK (rapport-error-quark, rapport_error)

#define F(Type, member, kind) { #member, RAPPORT_FIELD_##kind, G_STRUCT_OFFSET (Type, member), 0 }
#define D(Type, member, kind) { #member, RAPPORT_FIELD_##kind, G_STRUCT_OFFSET (Type, member), RAPPORT_FIELD_DERIVED }
#define RECORD_FIELDS                                             \
  { "created_at", RAPPORT_FIELD_TIME, G_STRUCT_OFFSET (RapportRecord, created_at), 0 }, \
  { "deleted", RAPPORT_FIELD_BOOL, G_STRUCT_OFFSET (RapportRecord, deleted), 0 },       \
  { "deleted_at", RAPPORT_FIELD_TIME, G_STRUCT_OFFSET (RapportRecord, deleted_at), 0 }

static const RapportField contact_fields[] = {
  RECORD_FIELDS,
  F (RapportContact, kind, STRING),
  F (RapportContact, name, STRING),
  F (RapportContact, given_name, STRING),
  F (RapportContact, family_name, STRING),
  F (RapportContact, organization_id, STRING),
  F (RapportContact, organization, STRING),
  F (RapportContact, job_title, STRING),
  F (RapportContact, relationship, STRING),
  F (RapportContact, stage, STRING),
  F (RapportContact, owner, STRING),
  F (RapportContact, tags, STRV),
  F (RapportContact, emails, JSON),
  F (RapportContact, phones, JSON),
  F (RapportContact, addresses, JSON),
  F (RapportContact, social, JSON),
  F (RapportContact, birthday, STRING),
  F (RapportContact, source, STRING),
  F (RapportContact, preferred_channel, STRING),
  F (RapportContact, do_not_contact, BOOL),
  F (RapportContact, marketing_consent, BOOL),
  F (RapportContact, cadence_days, INT),
  F (RapportContact, created_by, STRING),
  D (RapportContact, last_interaction_at, TIME),
};

static const RapportField interaction_fields[] = {
  RECORD_FIELDS,
  F (RapportInteraction, contact_id, STRING),
  F (RapportInteraction, kind, STRING),
  F (RapportInteraction, direction, STRING),
  F (RapportInteraction, channel, STRING),
  F (RapportInteraction, occurred_at, TIME),
  F (RapportInteraction, logged_by, STRING),
  F (RapportInteraction, department, STRING),
  F (RapportInteraction, summary, STRING),
  F (RapportInteraction, body, STRING),
  F (RapportInteraction, awaiting_response, BOOL),
  F (RapportInteraction, responded_at, TIME),
  F (RapportInteraction, responded_by, STRING),
  F (RapportInteraction, resolved_at, TIME),
};

static const RapportField note_fields[] = {
  RECORD_FIELDS,
  F (RapportNote, contact_id, STRING),
  F (RapportNote, body, STRING),
  F (RapportNote, private, BOOL),
  F (RapportNote, pinned, BOOL),
  F (RapportNote, author, STRING),
  F (RapportNote, updated_at, TIME),
  F (RapportNote, updated_by, STRING),
};

static const RapportField reminder_fields[] = {
  RECORD_FIELDS,
  F (RapportReminder, contact_id, STRING),
  F (RapportReminder, owner, STRING),
  F (RapportReminder, title, STRING),
  F (RapportReminder, due_at, TIME),
  F (RapportReminder, recurrence, STRING),
  F (RapportReminder, working_days, BOOL),
  F (RapportReminder, snoozed_until, TIME),
  F (RapportReminder, done_at, TIME),
  F (RapportReminder, done_by, STRING),
  F (RapportReminder, created_by, STRING),
};

static const RapportField promise_fields[] = {
  RECORD_FIELDS,
  F (RapportPromise, contact_id, STRING),
  F (RapportPromise, what, STRING),
  F (RapportPromise, promised_by, STRING),
  F (RapportPromise, deliver_by_user, STRING),
  F (RapportPromise, deliver_by_department, STRING),
  F (RapportPromise, due_at, TIME),
  F (RapportPromise, status, STRING),
  F (RapportPromise, status_at, TIME),
  F (RapportPromise, status_by, STRING),
};

static const RapportField user_fields[] = {
  RECORD_FIELDS,
  F (RapportUser, name, STRING),
  F (RapportUser, display_name, STRING),
  F (RapportUser, department, STRING),
  F (RapportUser, role, STRING),
  F (RapportUser, disabled, BOOL),
};

#define ENTITY(var, wire, tbl, flds) \
  static const RapportEntity var = { wire, tbl, flds, G_N_ELEMENTS (flds) }

ENTITY (contact_entity, "contact", "contacts", contact_fields);
ENTITY (interaction_entity, "interaction", "interactions", interaction_fields);
ENTITY (note_entity, "note", "notes", note_fields);
ENTITY (reminder_entity, "reminder", "reminders", reminder_fields);
ENTITY (promise_entity, "promise", "promises", promise_fields);
ENTITY (user_entity, "user", "users", user_fields);

static const RapportEntity *const all_entities[] = {
  &user_entity, &contact_entity, &interaction_entity, &note_entity,
  &reminder_entity, &promise_entity, NULL,
};

const RapportEntity *const *
rapport_entity_all (void)
{
  return all_entities;
}

GType
rapport_entity_get_gtype (const RapportEntity *entity)
{
  if (entity == &contact_entity)
    return RAPPORT_TYPE_CONTACT;
  if (entity == &interaction_entity)
    return RAPPORT_TYPE_INTERACTION;
  if (entity == &note_entity)
    return RAPPORT_TYPE_NOTE;
  if (entity == &reminder_entity)
    return RAPPORT_TYPE_REMINDER;
  if (entity == &promise_entity)
    return RAPPORT_TYPE_PROMISE;
  if (entity == &user_entity)
    return RAPPORT_TYPE_USER;
  g_return_val_if_reached (G_TYPE_INVALID);
}

/* Each record type: a final subclass that names its entity. */
#define DEFINE_RECORD_TYPE(TypeName, type_name, entity_var)                 \
  struct _##TypeName##Class { RapportRecordClass parent_class; };           \
  G_DEFINE_FINAL_TYPE (TypeName, type_name, RAPPORT_TYPE_RECORD)            \
  static void type_name##_class_init (TypeName##Class *klass)               \
  {                                                                         \
    RAPPORT_RECORD_CLASS (klass)->entity = &entity_var;                     \
  }                                                                         \
  static void type_name##_init (TypeName *self) { (void) self; }            \
  TypeName *type_name##_new (void)                                          \
  {                                                                         \
    return g_object_new (type_name##_get_type (), NULL);                    \
  }

DEFINE_RECORD_TYPE (RapportContact, rapport_contact, contact_entity)
DEFINE_RECORD_TYPE (RapportInteraction, rapport_interaction, interaction_entity)
DEFINE_RECORD_TYPE (RapportNote, rapport_note, note_entity)
DEFINE_RECORD_TYPE (RapportReminder, rapport_reminder, reminder_entity)
DEFINE_RECORD_TYPE (RapportPromise, rapport_promise, promise_entity)
DEFINE_RECORD_TYPE (RapportUser, rapport_user, user_entity)

static const char *
first_value (JsonArray *array)
{
  if (array == NULL || json_array_get_length (array) == 0)
    return NULL;
  return json_object_get_string_member_with_default (json_array_get_object_element (array, 0),
                                                     "value", NULL);
}

static void
add_labelled (JsonArray **array, const char *label, const char *value)
{
  JsonObject *object = json_object_new ();

  if (*array == NULL)
    *array = json_array_new ();
  json_object_set_string_member (object, "label", label ? label : "other");
  json_object_set_string_member (object, "value", value);
  json_array_add_object_element (*array, object);
}

const char *
rapport_contact_get_primary_email (RapportContact *self)
{
  g_return_val_if_fail (RAPPORT_IS_CONTACT (self), NULL);
  return first_value (self->emails);
}

const char *
rapport_contact_get_primary_phone (RapportContact *self)
{
  g_return_val_if_fail (RAPPORT_IS_CONTACT (self), NULL);
  return first_value (self->phones);
}

/**
 * rapport_contact_get_channel_address:
 * @channel: (out) (optional): the channel the address is for
 *
 * Returns: (nullable): the address or number for the contact's preferred
 *   channel, falling back to the first email, then the first phone.
 */
const char *
rapport_contact_get_channel_address (RapportContact *self, const char **channel)
{
  const char *preferred;

  g_return_val_if_fail (RAPPORT_IS_CONTACT (self), NULL);

  preferred = self->preferred_channel ? self->preferred_channel : "";
  if ((g_str_equal (preferred, "phone") || g_str_equal (preferred, "sms"))
      && rapport_contact_get_primary_phone (self))
    {
      if (channel)
        *channel = preferred;
      return rapport_contact_get_primary_phone (self);
    }
  if (rapport_contact_get_primary_email (self))
    {
      if (channel)
        *channel = "email";
      return rapport_contact_get_primary_email (self);
    }
  if (channel)
    *channel = rapport_contact_get_primary_phone (self) ? "phone" : NULL;
  return rapport_contact_get_primary_phone (self);
}

void
rapport_contact_add_email (RapportContact *self, const char *label, const char *value)
{
  g_return_if_fail (RAPPORT_IS_CONTACT (self) && value != NULL);
  add_labelled (&self->emails, label, value);
}

void
rapport_contact_add_phone (RapportContact *self, const char *label, const char *value)
{
  g_return_if_fail (RAPPORT_IS_CONTACT (self) && value != NULL);
  add_labelled (&self->phones, label, value);
}

gboolean
rapport_contact_has_tag (RapportContact *self, const char *tag)
{
  g_return_val_if_fail (RAPPORT_IS_CONTACT (self), FALSE);
  return self->tags != NULL && g_strv_contains ((const char *const *) self->tags, tag);
}

/**
 * rapport_reminder_get_effective_due:
 *
 * Returns: when the reminder is due, taking a snooze into account.
 */
gint64
rapport_reminder_get_effective_due (RapportReminder *self)
{
  g_return_val_if_fail (RAPPORT_IS_REMINDER (self), 0);
  return MAX (self->due_at, self->snoozed_until);
}
