/* test-server-common.c: requests to a real rapport-server for the server tests */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>

#include "test-server-common.h"

void
test_response_free (TestResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->text);
  g_clear_pointer (&response->body, json_object_unref);
  g_free (response);
}

SoupSession *
test_session_new (void)
{
  return soup_session_new_with_options ("timeout", 60, "idle-timeout", 60, NULL);
}

TestResponse *
test_request (SoupSession *session, const char *base_url, const char *method, const char *path,
              const char *token, const char *content_type, const char *body, gssize length)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  TestResponse *response = g_new0 (TestResponse, 1);
  gsize size = 0;
  const char *data;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);
      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  data = g_bytes_get_data (answer, &size);
  response->text = g_strndup (data ? data : "", size);
  if (size > 0 && json_parser_load_from_data (parser, response->text, size, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    response->body = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return response;
}

char *
test_login (SoupSession *session, const char *base_url, const char *user, const char *password)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autoptr (TestResponse) response = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  body = json_to_string (node, FALSE);
  response = test_request (session, base_url, "POST", "/v1/login", NULL, NULL, body, -1);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (response->body);
  return g_strdup (json_object_get_string_member (response->body, "token"));
}

char *
test_stamp (gint64 offset_ms, const char *device)
{
  static guint counter;
  gint64 wall = g_get_real_time () / 1000 + offset_ms;

  return g_strdup_printf ("%013" G_GINT64_MODIFIER "x-%04x-%s", wall, (counter++) & 0xffff,
                          device ? device : "00000000000000aa");
}

char *
test_change (const char *id, const char *entity, const char *record, const char *stamp,
             const char *fields_json)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"entity\":\"%s\",\"record\":\"%s\",\"stamp\":\"%s\","
                          "\"fields\":%s}", id, entity, record, stamp, fields_json);
}

TestResponse *
test_push (SoupSession *session, const char *base_url, const char *token, const char *const *changes,
           guint n)
{
  g_autoptr (GString) body = g_string_new ("{\"changes\":[");

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append (body, changes[i]);
    }
  g_string_append (body, "]}");
  return test_request (session, base_url, "POST", "/v1/push", token, NULL, body->str, body->len);
}

static JsonObject *
result_at (TestResponse *response, guint i)
{
  JsonArray *results;

  g_assert_nonnull (response->body);
  g_assert_true (json_object_has_member (response->body, "results"));
  results = json_object_get_array_member (response->body, "results");
  g_assert_cmpuint (i, <, json_array_get_length (results));
  return json_array_get_object_element (results, i);
}

const char *
test_result_status (TestResponse *response, guint i)
{
  return json_object_get_string_member (result_at (response, i), "status");
}

const char *
test_result_reason (TestResponse *response, guint i)
{
  return json_object_get_string_member_with_default (result_at (response, i), "reason", NULL);
}

TestResponse *
test_pull (SoupSession *session, const char *base_url, const char *token, gint64 after, guint limit)
{
  g_autofree char *path = g_strdup_printf ("/v1/pull?after=%" G_GINT64_FORMAT "&limit=%u", after, limit);

  return test_request (session, base_url, "GET", path, token, NULL, NULL, 0);
}

gboolean
test_pull_has (TestResponse *response, const char *record, const char *field)
{
  JsonArray *changes;

  g_assert_nonnull (response->body);
  changes = json_object_get_array_member (response->body, "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (change, "record"), record) != 0)
        continue;
      if (field == NULL || json_object_has_member (json_object_get_object_member (change, "fields"), field))
        return TRUE;
    }
  return FALSE;
}

GHashTable *
test_pull_all_records (SoupSession *session, const char *base_url, const char *token)
{
  GHashTable *records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 cursor = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr (TestResponse) response = test_pull (session, base_url, token, cursor, 100);
      JsonArray *changes;

      g_assert_cmpuint (response->status, ==, 200);
      changes = json_object_get_array_member (response->body, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        g_hash_table_add (records, g_strdup (json_object_get_string_member (
                                       json_array_get_object_element (changes, i), "record")));
      cursor = json_object_get_int_member (response->body, "cursor");
      more = json_object_get_boolean_member (response->body, "more");
    }
  return records;
}

TestTeam *
test_team_new (const char *const *extra_env)
{
  g_autoptr (GError) error = NULL;
  TestTeam *team = g_new0 (TestTeam, 1);

  team->srv = rapport_test_server_new (&error);
  g_assert_no_error (error);
  for (guint i = 0; extra_env && extra_env[i] && extra_env[i + 1]; i += 2)
    rapport_test_server_setenv (team->srv, extra_env[i], extra_env[i + 1]);
  team->alice = rapport_test_server_add_user (team->srv, "alice", TEST_PASSWORD, "staff", "Sales", &error);
  g_assert_no_error (error);
  team->bob = rapport_test_server_add_user (team->srv, "bob", TEST_PASSWORD, "staff", "Sales", &error);
  g_assert_no_error (error);
  team->carol = rapport_test_server_add_user (team->srv, "carol", TEST_PASSWORD, "manager", "Sales", &error);
  g_assert_no_error (error);
  team->dave = rapport_test_server_add_user (team->srv, "dave", TEST_PASSWORD, "admin", "IT", &error);
  g_assert_no_error (error);
  rapport_test_server_start (team->srv, &error);
  g_assert_no_error (error);
  team->session = test_session_new ();
  team->alice_token = test_login (team->session, team->srv->url, "alice", TEST_PASSWORD);
  team->bob_token = test_login (team->session, team->srv->url, "bob", TEST_PASSWORD);
  team->carol_token = test_login (team->session, team->srv->url, "carol", TEST_PASSWORD);
  team->dave_token = test_login (team->session, team->srv->url, "dave", TEST_PASSWORD);
  return team;
}

void
test_team_free (TestTeam *team)
{
  if (team == NULL)
    return;
  g_clear_object (&team->session);
  if (team->srv->pid != 0)
    {
      g_autoptr (GError) error = NULL;
      rapport_test_server_stop (team->srv, &error);
      g_assert_no_error (error);
    }
  rapport_test_server_free (team->srv);
  g_free (team->alice);
  g_free (team->bob);
  g_free (team->carol);
  g_free (team->dave);
  g_free (team->alice_token);
  g_free (team->bob_token);
  g_free (team->carol_token);
  g_free (team->dave_token);
  g_free (team);
}
