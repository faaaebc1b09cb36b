/* test-server-auth.c: rapport-server roles × endpoints × ownership × verbs, forged fields */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>

#include "test-server-common.h"

typedef enum { NOBODY, ALICE, BOB, CAROL, DAVE } Who;   /* staff, staff, manager, admin */

typedef struct
{
  const char *name;
  const char *entity;
  Who baseline_by;         /* who creates the record first; NOBODY: the case creates it */
  const char *baseline;    /* fields of the baseline (with @alice … placeholders) */
  Who actor;
  const char *fields;      /* the attempted change */
  gboolean allowed;
} Case;

/* Each case gets its own record. @x names a user id. */
static const Case cases[] = {
  /* contacts: anyone edits, only managers reassign, created_by is fixed */
  { "staff edits a colleague's contact", "contact", ALICE, "{\"name\":\"A\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    BOB, "{\"name\":\"B\",\"phones\":[{\"label\":\"work\",\"value\":\"+44 1\"}]}", TRUE },
  { "staff deletes a colleague's contact", "contact", ALICE, "{\"name\":\"A\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    BOB, "{\"deleted\":true,\"deleted_at\":1772442000}", TRUE },
  { "staff takes a colleague's contact", "contact", ALICE, "{\"name\":\"A\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    BOB, "{\"owner\":\"@bob\"}", FALSE },
  { "staff gives own contact away", "contact", ALICE, "{\"name\":\"A\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    ALICE, "{\"owner\":\"@bob\"}", FALSE },
  { "staff clears a colleague's owner", "contact", ALICE, "{\"name\":\"A\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    BOB, "{\"owner\":null}", FALSE },
  { "staff takes an unowned contact they created", "contact", BOB, "{\"name\":\"A\",\"created_by\":\"@bob\"}",
    BOB, "{\"owner\":\"@bob\"}", TRUE },
  { "staff takes an unowned contact of another", "contact", ALICE, "{\"name\":\"A\",\"created_by\":\"@alice\"}",
    BOB, "{\"owner\":\"@bob\"}", FALSE },
  { "staff forges created_by", "contact", ALICE, "{\"name\":\"A\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    BOB, "{\"created_by\":\"@bob\"}", FALSE },
  { "manager reassigns a contact", "contact", ALICE, "{\"name\":\"A\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    CAROL, "{\"owner\":\"@bob\"}", TRUE },
  { "admin reassigns a contact", "contact", ALICE, "{\"name\":\"A\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    DAVE, "{\"owner\":\"@bob\"}", FALSE },
  { "admin edits a contact", "contact", ALICE, "{\"name\":\"A\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    DAVE, "{\"job_title\":\"CTO\"}", TRUE },
  { "staff creates an own contact", "contact", NOBODY, NULL,
    BOB, "{\"name\":\"N\",\"owner\":\"@bob\",\"created_by\":\"@bob\"}", TRUE },
  { "staff creates a contact for a colleague", "contact", NOBODY, NULL,
    BOB, "{\"name\":\"N\",\"owner\":\"@alice\",\"created_by\":\"@bob\"}", FALSE },
  { "staff creates a contact in a colleague's name", "contact", NOBODY, NULL,
    BOB, "{\"name\":\"N\",\"created_by\":\"@alice\"}", FALSE },
  { "manager creates a contact for staff", "contact", NOBODY, NULL,
    CAROL, "{\"name\":\"N\",\"owner\":\"@alice\",\"created_by\":\"@carol\"}", TRUE },
  /* interactions and promises: anyone */
  { "staff edits a colleague's interaction", "interaction", ALICE, "{\"summary\":\"Call\",\"logged_by\":\"@alice\"}",
    BOB, "{\"summary\":\"Long call\"}", TRUE },
  { "staff edits a colleague's promise", "promise", ALICE, "{\"what\":\"Quote\",\"promised_by\":\"@alice\",\"status\":\"open\"}",
    BOB, "{\"status\":\"kept\"}", TRUE },
  /* notes */
  { "staff edits a shared note", "note", ALICE, "{\"body\":\"shared\",\"author\":\"@alice\"}",
    BOB, "{\"body\":\"edited\"}", TRUE },
  { "staff edits someone's private note", "note", ALICE, "{\"body\":\"secret\",\"author\":\"@alice\",\"private\":true}",
    BOB, "{\"body\":\"edited\"}", FALSE },
  { "manager edits someone's private note", "note", ALICE, "{\"body\":\"secret\",\"author\":\"@alice\",\"private\":true}",
    CAROL, "{\"pinned\":true}", FALSE },
  { "staff deletes someone's private note", "note", ALICE, "{\"body\":\"secret\",\"author\":\"@alice\",\"private\":true}",
    BOB, "{\"deleted\":true}", FALSE },
  { "staff makes someone's note private", "note", ALICE, "{\"body\":\"shared\",\"author\":\"@alice\"}",
    BOB, "{\"private\":true}", FALSE },
  { "author makes own note private", "note", ALICE, "{\"body\":\"shared\",\"author\":\"@alice\"}",
    ALICE, "{\"private\":true}", TRUE },
  { "author edits own private note", "note", ALICE, "{\"body\":\"secret\",\"author\":\"@alice\",\"private\":true}",
    ALICE, "{\"body\":\"still secret\"}", TRUE },
  { "staff forges a note's author", "note", ALICE, "{\"body\":\"shared\",\"author\":\"@alice\"}",
    BOB, "{\"author\":\"@bob\"}", FALSE },
  { "author changes own note's author", "note", ALICE, "{\"body\":\"shared\",\"author\":\"@alice\"}",
    ALICE, "{\"author\":\"@bob\"}", FALSE },
  { "staff writes a note as a colleague", "note", NOBODY, NULL,
    BOB, "{\"body\":\"hi\",\"author\":\"@alice\"}", FALSE },
  { "staff writes a private note as a colleague", "note", NOBODY, NULL,
    BOB, "{\"body\":\"hi\",\"author\":\"@alice\",\"private\":true}", FALSE },
  { "staff writes a private note without author", "note", NOBODY, NULL,
    BOB, "{\"body\":\"hi\",\"private\":true}", FALSE },
  { "staff writes an own private note", "note", NOBODY, NULL,
    BOB, "{\"body\":\"hi\",\"author\":\"@bob\",\"private\":true}", TRUE },
  /* reminders */
  { "staff edits own reminder", "reminder", BOB, "{\"title\":\"Call\",\"owner\":\"@bob\",\"created_by\":\"@bob\"}",
    BOB, "{\"snoozed_until\":1772442000}", TRUE },
  { "staff edits a colleague's reminder", "reminder", ALICE, "{\"title\":\"Call\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    BOB, "{\"title\":\"Mine now\"}", FALSE },
  { "staff completes a colleague's reminder", "reminder", ALICE, "{\"title\":\"Call\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    BOB, "{\"done_at\":1772442000,\"done_by\":\"@bob\"}", FALSE },
  { "staff takes a colleague's reminder", "reminder", ALICE, "{\"title\":\"Call\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    BOB, "{\"owner\":\"@bob\"}", FALSE },
  { "staff gives own reminder away", "reminder", BOB, "{\"title\":\"Call\",\"owner\":\"@bob\",\"created_by\":\"@bob\"}",
    BOB, "{\"owner\":\"@alice\"}", FALSE },
  { "staff creates a reminder for a colleague", "reminder", NOBODY, NULL,
    BOB, "{\"title\":\"Call\",\"owner\":\"@alice\",\"created_by\":\"@bob\"}", FALSE },
  { "staff creates an own reminder", "reminder", NOBODY, NULL,
    BOB, "{\"title\":\"Call\",\"owner\":\"@bob\",\"created_by\":\"@bob\"}", TRUE },
  { "manager edits staff's reminder", "reminder", ALICE, "{\"title\":\"Call\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    CAROL, "{\"due_at\":1772442000}", TRUE },
  { "manager reassigns a reminder", "reminder", ALICE, "{\"title\":\"Call\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    CAROL, "{\"owner\":\"@bob\"}", TRUE },
  { "manager creates a reminder for staff", "reminder", NOBODY, NULL,
    CAROL, "{\"title\":\"Call\",\"owner\":\"@bob\",\"created_by\":\"@carol\"}", TRUE },
  { "admin edits staff's reminder", "reminder", ALICE, "{\"title\":\"Call\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}",
    DAVE, "{\"title\":\"Admin was here\"}", FALSE },
  /* user records: only through the admin commands */
  { "staff makes themselves manager", "user", NOBODY, NULL, BOB, "{\"role\":\"manager\"}", FALSE },
  { "manager makes themselves admin", "user", NOBODY, NULL, CAROL, "{\"role\":\"admin\"}", FALSE },
  { "admin changes a role by push", "user", NOBODY, NULL, DAVE, "{\"role\":\"manager\"}", FALSE },
  { "staff creates a user", "user", NOBODY, NULL, ALICE, "{\"name\":\"mallory\",\"role\":\"admin\"}", FALSE },
};

static const char *
user_id (TestTeam *team, Who who)
{
  switch (who)
    {
    case ALICE: return team->alice;
    case BOB: return team->bob;
    case CAROL: return team->carol;
    case DAVE: return team->dave;
    default: return NULL;
    }
}

static const char *
token_of (TestTeam *team, Who who)
{
  switch (who)
    {
    case ALICE: return team->alice_token;
    case BOB: return team->bob_token;
    case CAROL: return team->carol_token;
    case DAVE: return team->dave_token;
    default: return NULL;
    }
}

static char *
expand (TestTeam *team, const char *text)
{
  g_autoptr (GString) out = g_string_new (text);

  g_string_replace (out, "@alice", team->alice, 0);
  g_string_replace (out, "@bob", team->bob, 0);
  g_string_replace (out, "@carol", team->carol, 0);
  g_string_replace (out, "@dave", team->dave, 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
pull_has_change (TestTeam *team, const char *token, const char *change_id)
{
  gint64 cursor = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr (TestResponse) page = test_pull (team->session, team->srv->url, token, cursor, 5000);
      JsonArray *changes = json_object_get_array_member (page->body, "changes");

      g_assert_cmpuint (page->status, ==, 200);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (changes, i), "id"),
                       change_id) == 0)
          return TRUE;
      cursor = json_object_get_int_member (page->body, "cursor");
      more = json_object_get_boolean_member (page->body, "more");
    }
  return FALSE;
}

static void
test_change_matrix (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autoptr (GPtrArray) outcomes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autofree char *record = g_strcmp0 (c->entity, "user") == 0 ? g_strdup (user_id (team, c->actor))
                                                                    : g_strdup_printf ("%s-%u", c->entity, i);
      g_autofree char *fields = expand (team, c->fields);
      g_autofree char *stamp = test_stamp (0, "00000000000000c1");
      g_autofree char *change_id = g_strdup_printf ("66666666-0000-4000-8000-%012u", i);
      g_autofree char *change = test_change (change_id, c->entity, record, stamp, fields);
      g_autoptr (TestResponse) response = NULL;
      const char *status, *reason;

      if (c->baseline_by != NOBODY)
        {
          g_autofree char *base_fields = expand (team, c->baseline);
          g_autofree char *base_stamp = test_stamp (-1000, "00000000000000c0");
          g_autofree char *base_id = g_strdup_printf ("66666666-1111-4000-8000-%012u", i);
          g_autofree char *base = test_change (base_id, c->entity, record, base_stamp, base_fields);
          g_autoptr (TestResponse) setup = test_push (team->session, team->srv->url,
                                                      token_of (team, c->baseline_by),
                                                      (const char *[]){ base }, 1);
          g_assert_cmpuint (setup->status, ==, 200);
          if (g_strcmp0 (test_result_status (setup, 0), "applied") != 0)
            g_error ("%s: the baseline was %s: %s", c->name, test_result_status (setup, 0),
                     test_result_reason (setup, 0));
        }
      response = test_push (team->session, team->srv->url, token_of (team, c->actor), (const char *[]){ change }, 1);
      g_assert_cmpuint (response->status, ==, 200);
      status = test_result_status (response, 0);
      reason = test_result_reason (response, 0);
      if (c->allowed && g_strcmp0 (status, "applied") != 0)
        g_error ("%s: expected applied, got %s (%s)", c->name, status, reason ? reason : "");
      if (!c->allowed && (g_strcmp0 (status, "refused") != 0 || !g_str_has_prefix (reason, "forbidden: ")))
        g_error ("%s: expected refused as forbidden, got %s (%s)", c->name, status, reason ? reason : "");
      g_ptr_array_add (outcomes, g_steal_pointer (&change_id));
    }

  /* Refused changes never reach anyone; applied ones reach their author. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];

      if (g_strcmp0 (c->entity, "user") == 0)
        continue;
      if (c->allowed)
        g_assert_true (pull_has_change (team, token_of (team, c->actor), outcomes->pdata[i]));
      else
        {
          g_assert_false (pull_has_change (team, team->alice_token, outcomes->pdata[i]));
          g_assert_false (pull_has_change (team, team->carol_token, outcomes->pdata[i]));
        }
    }

  /* Roles were not changed by any push. */
  {
    g_autoptr (TestResponse) users = test_request (team->session, team->srv->url, "GET", "/v1/users",
                                                   team->alice_token, NULL, NULL, 0);
    JsonArray *array = json_object_get_array_member (users->body, "users");

    g_assert_cmpuint (json_array_get_length (array), ==, 4);
    for (guint i = 0; i < 4; i++)
      {
        JsonObject *u = json_array_get_object_element (array, i);
        const char *name = json_object_get_string_member (u, "name");
        const char *role = json_object_get_string_member (u, "role");

        g_assert_cmpstr (role, ==, g_str_equal (name, "carol") ? "manager"
                                   : g_str_equal (name, "dave") ? "admin" : "staff");
      }
  }
}

/* A desktop that sends back the user records it pulled (after a server
 * restore) changes nothing, and is not refused for it. */
static void
test_user_records_sent_back (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autoptr (TestResponse) pull = test_pull (team->session, team->srv->url, team->bob_token, 0, 5000);
  JsonArray *changes = json_object_get_array_member (pull->body, "changes");
  g_autoptr (GPtrArray) back = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (TestResponse) push = NULL;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      g_autoptr (JsonNode) fields = json_node_init_object (json_node_alloc (),
                                                          json_object_get_object_member (change, "fields"));
      g_autofree char *fields_text = json_to_string (fields, FALSE);
      g_autofree char *id = g_strdup_printf ("12121212-0000-4000-8000-%012u", i);

      g_assert_cmpstr (json_object_get_string_member (change, "entity"), ==, "user");
      g_ptr_array_add (back, test_change (id, "user", json_object_get_string_member (change, "record"),
                                          json_object_get_string_member (change, "stamp"), fields_text));
    }
  g_assert_cmpuint (back->len, ==, 4);
  push = test_push (team->session, team->srv->url, team->bob_token, (const char *const *) back->pdata, back->len);
  g_assert_cmpuint (push->status, ==, 200);
  for (guint i = 0; i < back->len; i++)
    g_assert_cmpstr (test_result_status (push, i), ==, "applied");
}

/* Every endpoint that needs a session refuses none, a forged one, and a
 * malformed one. */
static void
test_endpoints_need_a_session (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  static const struct { const char *method, *path, *body; } endpoints[] = {
    { "POST", "/v1/push", "{\"changes\":[]}" },
    { "GET", "/v1/pull?after=0", NULL },
    { "GET", "/v1/users", NULL },
    { "GET", "/v1/backlog?at=0", NULL },
    { "POST", "/v1/logout", NULL },
  };
  const char *tokens[] = { NULL, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not a token!", "" };

  for (guint e = 0; e < G_N_ELEMENTS (endpoints); e++)
    for (guint t = 0; t < G_N_ELEMENTS (tokens); t++)
      {
        g_autoptr (TestResponse) response = test_request (team->session, team->srv->url, endpoints[e].method,
                                                          endpoints[e].path, tokens[t], NULL, endpoints[e].body, -1);
        g_assert_cmpuint (response->status, ==, 401);
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (response->body, "error"), "code"),
                         ==, "unauthorized");
      }
  /* And every role may use them with its own session. */
  for (Who who = ALICE; who <= DAVE; who++)
    for (guint e = 0; e < G_N_ELEMENTS (endpoints) - 1; e++)
      {
        g_autoptr (TestResponse) response = test_request (team->session, team->srv->url, endpoints[e].method,
                                                          endpoints[e].path, token_of (team, who), NULL,
                                                          endpoints[e].body, -1);
        g_assert_cmpuint (response->status, ==, 200);
      }
}

static void
push_ok (TestTeam *team, Who who, const char *change_id, const char *entity, const char *record, const char *fields_template)
{
  g_autofree char *fields = expand (team, fields_template);
  g_autofree char *stamp = test_stamp (0, "00000000000000d0");
  g_autofree char *change = test_change (change_id, entity, record, stamp, fields);
  g_autoptr (TestResponse) response = test_push (team->session, team->srv->url, token_of (team, who),
                                                 (const char *[]){ change }, 1);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (test_result_status (response, 0), ==, "applied");
}

/* A pull never carries what the user may not see, and when who may see a
 * record changes, the right people get the right part of it. */
static void
test_pull_visibility (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autoptr (GHashTable) bob_sees = NULL, carol_sees = NULL, alice_sees = NULL;

  push_ok (team, ALICE, "77777777-0000-4000-8000-000000000001", "note", "note-private",
           "{\"body\":\"alice's secret\",\"author\":\"@alice\",\"private\":true,\"contact_id\":\"c1\"}");
  push_ok (team, ALICE, "77777777-0000-4000-8000-000000000002", "note", "note-shared",
           "{\"body\":\"for everyone\",\"author\":\"@alice\",\"contact_id\":\"c1\"}");
  push_ok (team, ALICE, "77777777-0000-4000-8000-000000000003", "reminder", "rem-alice",
           "{\"title\":\"Call Ada\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}");
  push_ok (team, BOB, "77777777-0000-4000-8000-000000000004", "reminder", "rem-bob",
           "{\"title\":\"Call Bea\",\"owner\":\"@bob\",\"created_by\":\"@bob\"}");

  bob_sees = test_pull_all_records (team->session, team->srv->url, team->bob_token);
  carol_sees = test_pull_all_records (team->session, team->srv->url, team->carol_token);
  alice_sees = test_pull_all_records (team->session, team->srv->url, team->alice_token);
  g_assert_false (g_hash_table_contains (bob_sees, "note-private"));
  g_assert_false (g_hash_table_contains (carol_sees, "note-private"));
  g_assert_true (g_hash_table_contains (alice_sees, "note-private"));
  g_assert_true (g_hash_table_contains (bob_sees, "note-shared"));
  g_assert_false (g_hash_table_contains (bob_sees, "rem-alice"));
  g_assert_true (g_hash_table_contains (bob_sees, "rem-bob"));
  g_assert_false (g_hash_table_contains (alice_sees, "rem-bob"));
  g_assert_true (g_hash_table_contains (carol_sees, "rem-alice"));
  g_assert_true (g_hash_table_contains (carol_sees, "rem-bob"));

  /* The secret never appears in anyone else's pull, by any field. */
  {
    g_autoptr (TestResponse) bob_pull = test_pull (team->session, team->srv->url, team->bob_token, 0, 5000);
    g_autoptr (TestResponse) carol_pull = test_pull (team->session, team->srv->url, team->carol_token, 0, 5000);
    g_assert_null (strstr (bob_pull->text, "alice's secret"));
    g_assert_null (strstr (carol_pull->text, "alice's secret"));
  }

  {
    /* Made shared: everyone now gets the whole note, body included. */
    g_autoptr (TestResponse) before = test_pull (team->session, team->srv->url, team->bob_token, 0, 5000);
    gint64 cursor = json_object_get_int_member (before->body, "cursor");
    g_autoptr (TestResponse) after = NULL;

    push_ok (team, ALICE, "77777777-0000-4000-8000-000000000005", "note", "note-private", "{\"private\":false}");
    after = test_pull (team->session, team->srv->url, team->bob_token, cursor, 5000);
    g_assert_true (test_pull_has (after, "note-private", "body"));
    g_assert_true (test_pull_has (after, "note-private", "private"));
    g_assert_nonnull (strstr (after->text, "alice's secret"));
  }
  {
    /* Made private again: others get only the flag, then nothing more. */
    g_autoptr (TestResponse) before = test_pull (team->session, team->srv->url, team->bob_token, 0, 5000);
    gint64 cursor = json_object_get_int_member (before->body, "cursor");
    g_autoptr (TestResponse) after = NULL;

    push_ok (team, ALICE, "77777777-0000-4000-8000-000000000006", "note", "note-shared",
             "{\"private\":true,\"body\":\"now secret\"}");
    push_ok (team, ALICE, "77777777-0000-4000-8000-000000000007", "note", "note-shared",
             "{\"body\":\"more secret\"}");
    after = test_pull (team->session, team->srv->url, team->bob_token, cursor, 5000);
    g_assert_true (test_pull_has (after, "note-shared", "private"));
    g_assert_false (test_pull_has (after, "note-shared", "body"));
    g_assert_null (strstr (after->text, "secret"));
  }
  {
    /* A manager gives alice's reminder to bob: bob gets all of it, alice
     * gets the new owner and then nothing more. */
    g_autoptr (TestResponse) bob_before = test_pull (team->session, team->srv->url, team->bob_token, 0, 5000);
    g_autoptr (TestResponse) alice_before = test_pull (team->session, team->srv->url, team->alice_token, 0, 5000);
    gint64 bob_cursor = json_object_get_int_member (bob_before->body, "cursor");
    gint64 alice_cursor = json_object_get_int_member (alice_before->body, "cursor");
    g_autoptr (TestResponse) bob_after = NULL, alice_after = NULL;

    push_ok (team, CAROL, "77777777-0000-4000-8000-000000000008", "reminder", "rem-alice", "{\"owner\":\"@bob\"}");
    push_ok (team, BOB, "77777777-0000-4000-8000-000000000009", "reminder", "rem-alice", "{\"title\":\"Bob calls Ada\"}");
    bob_after = test_pull (team->session, team->srv->url, team->bob_token, bob_cursor, 5000);
    alice_after = test_pull (team->session, team->srv->url, team->alice_token, alice_cursor, 5000);
    g_assert_true (test_pull_has (bob_after, "rem-alice", "title"));
    g_assert_true (test_pull_has (bob_after, "rem-alice", "created_by"));
    g_assert_true (test_pull_has (alice_after, "rem-alice", "owner"));
    g_assert_false (test_pull_has (alice_after, "rem-alice", "title"));
  }
}

/* Role changes by the admin command take effect on the next request. */
static void
test_role_change (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *stamp = test_stamp (0, NULL);
  g_autofree char *fields = expand (team, "{\"owner\":\"@bob\"}");
  g_autofree char *reassign = test_change ("88888888-0000-4000-8000-000000000001", "reminder", "rem-1", stamp, fields);
  g_autoptr (TestResponse) before = NULL, after = NULL;

  push_ok (team, ALICE, "88888888-0000-4000-8000-000000000000", "reminder", "rem-1",
           "{\"title\":\"Call\",\"owner\":\"@alice\",\"created_by\":\"@alice\"}");
  before = test_push (team->session, team->srv->url, team->dave_token, (const char *[]){ reassign }, 1);
  g_assert_cmpstr (test_result_status (before, 0), ==, "refused");
  rapport_test_server_admin (team->srv, NULL, NULL, &error, "user", "set-role", "dave", "manager", NULL);
  g_assert_no_error (error);
  {
    g_autofree char *stamp2 = test_stamp (0, NULL);
    g_autofree char *again = test_change ("88888888-0000-4000-8000-000000000002", "reminder", "rem-1", stamp2, fields);
    after = test_push (team->session, team->srv->url, team->dave_token, (const char *[]){ again }, 1);
    g_assert_cmpstr (test_result_status (after, 0), ==, "applied");
  }
  /* The role change reached the directory through pull too. */
  {
    g_autoptr (TestResponse) pull = test_pull (team->session, team->srv->url, team->alice_token, 0, 5000);
    JsonArray *changes = json_object_get_array_member (pull->body, "changes");
    const char *last_role = NULL;

    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *change = json_array_get_object_element (changes, i);
        JsonObject *f = json_object_get_object_member (change, "fields");
        if (g_strcmp0 (json_object_get_string_member (change, "record"), team->dave) == 0
            && json_object_has_member (f, "role"))
          last_role = json_object_get_string_member (f, "role");
      }
    g_assert_cmpstr (last_role, ==, "manager");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/auth/change-matrix", test_change_matrix);
  g_test_add_func ("/server/auth/user-records-sent-back", test_user_records_sent_back);
  g_test_add_func ("/server/auth/endpoints-need-a-session", test_endpoints_need_a_session);
  g_test_add_func ("/server/auth/pull-visibility", test_pull_visibility);
  g_test_add_func ("/server/auth/role-change", test_role_change);
  return g_test_run ();
}
