/* fuzz-server-request.c: libFuzzer target over rapport-server's request parsing and rules */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-fuzz"

#include "config.h"

#include <stdint.h>
#include <string.h>
#include <libsoup/soup.h>

#include "rapport-server-policy.h"
#include "rapport-server-request.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Every change of a push that parses goes through the rules, as a staff
 * member and as a manager, against no record and against records owned by
 * someone else, so the policy code sees hostile fields too. */
static void
exercise_policy (RapportChange *change)
{
  const RapportServerActor staff = { "11111111-1111-4111-8111-111111111111", "staff" };
  const RapportServerActor manager = { "22222222-2222-4222-8222-222222222222", "manager" };
  const RapportEntity *entity = rapport_entity_lookup (change->entity);
  g_autoptr (RapportRecord) other = NULL;

  if (entity == NULL)
    return;
  other = rapport_record_new_for_entity (entity);
  other->id = g_strdup (change->record_id);
  if (RAPPORT_IS_NOTE (other))
    {
      RAPPORT_NOTE (other)->author = g_strdup ("someone");
      RAPPORT_NOTE (other)->private = TRUE;
    }
  else if (RAPPORT_IS_REMINDER (other))
    RAPPORT_REMINDER (other)->owner = g_strdup ("someone");
  else if (RAPPORT_IS_CONTACT (other))
    RAPPORT_CONTACT (other)->owner = g_strdup ("someone");

  for (guint i = 0; i < 2; i++)
    {
      const RapportServerActor *actor = i == 0 ? &staff : &manager;
      g_autofree char *reason1 = NULL, *reason2 = NULL;
      g_autoptr (RapportRecord) after = rapport_record_copy (other);
      g_autofree char *audience = NULL;
      gboolean reveal;
      const char *field;

      rapport_server_policy_authorize (actor, change, NULL, change->fields, &reason1);
      rapport_server_policy_authorize (actor, change, other, change->fields, &reason2);
      rapport_server_policy_can_see_record (actor, other);
      if (rapport_record_set_from_json (after, change->fields, NULL))
        rapport_server_policy_transition (other, after, &reveal, &audience, &field);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  const char *body;
  gsize length;

  if (size < 1)
    return 0;
  body = (const char *) data + 1;
  length = size - 1;
  text = g_strndup (body, length);

  switch (data[0] % 5)
    {
    case 0:
      {
        g_autoptr (JsonObject) object = rapport_server_parse_object (body, length, &error);
        g_autoptr (GPtrArray) items = NULL;

        if (object == NULL)
          break;
        items = rapport_server_parse_push (object, NULL);
        for (guint i = 0; items && i < items->len; i++)
          {
            RapportPushItem *item = items->pdata[i];
            if (item->change != NULL)
              exercise_policy (item->change);
          }
        break;
      }
    case 1:
      {
        g_autoptr (JsonObject) object = rapport_server_parse_object (body, length, &error);
        g_autofree char *user = NULL, *password = NULL;

        if (object != NULL)
          rapport_server_parse_login (object, &user, &password, NULL);
        break;
      }
    case 2:
      g_free (rapport_server_parse_bearer (text));
      break;
    case 3:
      rapport_server_content_type_is_json (text);
      break;
    case 4:
      {
        g_autoptr (GHashTable) query = soup_form_decode (text);
        g_autofree char *user = NULL;
        gint64 after = 0, at = 0;
        guint limit = 0;

        rapport_server_parse_pull_query (query, &after, &limit, NULL);
        rapport_server_parse_backlog_query (query, &at, &user, NULL);
        break;
      }
    }
  return 0;
}
