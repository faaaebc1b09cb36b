/* rapport-server-policy.h: who may change and see what (sync.md), as pure rules */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-journal.h"
#include "rapport-records.h"

G_BEGIN_DECLS

/* The pusher or puller, as far as the rules care. */
typedef struct
{
  const char *id;
  const char *role;   /* "staff", "manager" or "admin" */
} RapportServerActor;

gboolean  rapport_server_role_is_valid   (const char *role);
gboolean  rapport_server_actor_is_manager (const RapportServerActor *actor);

/* May @actor apply @change to @current (%NULL when the record does not exist
 * yet)? @winners are the fields of the change that would win the merge. On
 * refusal @reason gets "forbidden: ..." text. */
gboolean  rapport_server_policy_authorize (const RapportServerActor *actor,
                                           const RapportChange      *change,
                                           RapportRecord            *current,
                                           JsonObject               *winners,
                                           char                    **reason);

/* May @actor see a record in a pull? Notes: @private_note and @author;
 * reminders: @owner. Other entities are visible to every user. */
gboolean  rapport_server_policy_can_see  (const RapportServerActor *actor,
                                          const char               *entity,
                                          gboolean                  private_note,
                                          const char               *author,
                                          const char               *owner);
gboolean  rapport_server_policy_can_see_record (const RapportServerActor *actor,
                                                RapportRecord            *record);

/* When a write changes who may see a record:
 * @reveal: the record became visible to someone new (a private note made
 *   shared, a reminder given to another owner): the whole record is sent
 *   again so they get all of it, not only the last change;
 * @notice_audience: someone lost sight of it ("*" = every user, or a user
 *   id) and is sent only the fields in @notice_fields, so their copy stops
 *   showing it as theirs or as shared. */
void      rapport_server_policy_transition (RapportRecord *old_record,
                                            RapportRecord *new_record,
                                            gboolean      *reveal,
                                            char         **notice_audience,
                                            const char   **notice_field);

G_END_DECLS
