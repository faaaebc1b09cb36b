/* test-server-basics.c: rapport-server login, push, pull, epoch, users, backlog */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>

#include "test-server-common.h"

static const char *
epoch_of (TestResponse *response)
{
  g_assert_nonnull (response->body);
  return json_object_get_string_member_with_default (response->body, "epoch", NULL);
}

static void
assert_error (TestResponse *response, guint status, const char *code)
{
  JsonObject *error;

  g_assert_cmpuint (response->status, ==, status);
  g_assert_nonnull (response->body);
  error = json_object_get_object_member (response->body, "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 10);
}

static void
test_health_and_epoch (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  const char *url = team->srv->url;
  g_autoptr (TestResponse) health = test_request (team->session, url, "GET", "/v1/health", NULL, NULL, NULL, 0);
  g_autoptr (TestResponse) missing = test_request (team->session, url, "GET", "/v1/nothing", NULL, NULL, NULL, 0);
  g_autoptr (TestResponse) method = test_request (team->session, url, "GET", "/v1/push", team->alice_token, NULL, NULL, 0);
  g_autoptr (TestResponse) unauth = test_request (team->session, url, "GET", "/v1/users", NULL, NULL, NULL, 0);
  g_autoptr (TestResponse) users = test_request (team->session, url, "GET", "/v1/users", team->alice_token, NULL, NULL, 0);
  g_autoptr (TestResponse) pull = test_pull (team->session, url, team->alice_token, 0, 10);
  const char *epoch;

  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (health->body, "version"), ==, PACKAGE_VERSION);
  epoch = epoch_of (health);
  g_assert_nonnull (epoch);
  g_assert_cmpuint (strlen (epoch), >=, 16);

  /* Every answer, errors included, carries the same epoch. */
  assert_error (missing, 404, "not-found");
  assert_error (method, 405, "bad-request");
  assert_error (unauth, 401, "unauthorized");
  for (TestResponse *const *r = (TestResponse *const[]){ missing, method, unauth, users, pull, NULL }; *r; r++)
    g_assert_cmpstr (epoch_of (*r), ==, epoch);
}

static void
test_login_logout (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  const char *url = team->srv->url;
  g_autoptr (TestResponse) wrong = NULL, unknown = NULL, bad = NULL, after = NULL, login = NULL;
  g_autoptr (TestResponse) logout = NULL, before = NULL;
  JsonObject *user;

  login = test_request (team->session, url, "POST", "/v1/login", NULL, NULL,
                        "{\"user\":\"bob\",\"password\":\"" TEST_PASSWORD "\"}", -1);
  g_assert_cmpuint (login->status, ==, 200);
  g_assert_cmpuint (strlen (json_object_get_string_member (login->body, "token")), ==, 43);
  g_assert_cmpint (json_object_get_int_member (login->body, "expires_at"), >, g_get_real_time () / G_USEC_PER_SEC);
  user = json_object_get_object_member (login->body, "user");
  g_assert_cmpstr (json_object_get_string_member (user, "id"), ==, team->bob);
  g_assert_cmpstr (json_object_get_string_member (user, "name"), ==, "bob");
  g_assert_cmpstr (json_object_get_string_member (user, "department"), ==, "Sales");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "staff");
  g_assert_false (json_object_has_member (user, "password_hash"));

  /* A wrong password and an unknown user get the same answer. */
  wrong = test_request (team->session, url, "POST", "/v1/login", NULL, NULL,
                        "{\"user\":\"bob\",\"password\":\"not the password\"}", -1);
  unknown = test_request (team->session, url, "POST", "/v1/login", NULL, NULL,
                          "{\"user\":\"nobody\",\"password\":\"not the password\"}", -1);
  assert_error (wrong, 401, "unauthorized");
  assert_error (unknown, 401, "unauthorized");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (wrong->body, "error"), "message"), ==,
                   json_object_get_string_member (json_object_get_object_member (unknown->body, "error"), "message"));
  bad = test_request (team->session, url, "POST", "/v1/login", NULL, NULL, "{\"user\":\"bob\",\"password\":5}", -1);
  assert_error (bad, 400, "bad-request");

  /* Logout revokes that token only. */
  before = test_pull (team->session, url, team->alice_token, 0, 1);
  g_assert_cmpuint (before->status, ==, 200);
  logout = test_request (team->session, url, "POST", "/v1/logout", team->alice_token, NULL, NULL, 0);
  g_assert_cmpuint (logout->status, ==, 200);
  after = test_pull (team->session, url, team->alice_token, 0, 1);
  assert_error (after, 401, "unauthorized");
  {
    g_autoptr (TestResponse) other = test_pull (team->session, url, team->bob_token, 0, 1);
    g_assert_cmpuint (other->status, ==, 200);
  }
}

static void
test_users_directory (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autoptr (TestResponse) users = test_request (team->session, team->srv->url, "GET", "/v1/users",
                                                 team->bob_token, NULL, NULL, 0);
  g_autoptr (GHashTable) pulled = NULL;
  JsonArray *array;
  gboolean seen_carol = FALSE;

  g_assert_cmpuint (users->status, ==, 200);
  array = json_object_get_array_member (users->body, "users");
  g_assert_cmpuint (json_array_get_length (array), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *u = json_array_get_object_element (array, i);
      g_assert_false (json_object_has_member (u, "password_hash"));
      g_assert_false (json_object_get_boolean_member (u, "disabled"));
      if (g_strcmp0 (json_object_get_string_member (u, "name"), "carol") == 0)
        {
          seen_carol = TRUE;
          g_assert_cmpstr (json_object_get_string_member (u, "id"), ==, team->carol);
          g_assert_cmpstr (json_object_get_string_member (u, "role"), ==, "manager");
        }
    }
  g_assert_true (seen_carol);

  /* The directory also arrives through pull, as user records. */
  pulled = test_pull_all_records (team->session, team->srv->url, team->bob_token);
  g_assert_true (g_hash_table_contains (pulled, team->alice));
  g_assert_true (g_hash_table_contains (pulled, team->carol));
  g_assert_true (g_hash_table_contains (pulled, team->dave));
}

static char *
contact_change (const char *id, const char *record, const char *stamp, const char *name, const char *owner)
{
  g_autofree char *fields = g_strdup_printf ("{\"kind\":\"person\",\"name\":\"%s\",\"owner\":\"%s\","
                                             "\"created_by\":\"%s\"}", name, owner, owner);
  return test_change (id, "contact", record, stamp, fields);
}

static guint
count_change_id (TestResponse *pull, const char *change_id)
{
  JsonArray *changes = json_object_get_array_member (pull->body, "changes");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (changes, i), "id"),
                   change_id) == 0)
      n++;
  return n;
}

static void
test_push_idempotent (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  const char *url = team->srv->url;
  g_autofree char *s1 = test_stamp (0, NULL), *s2 = test_stamp (0, NULL);
  g_autofree char *c1 = contact_change ("11111111-0000-4000-8000-000000000001", "contact-1", s1, "Ada", team->alice);
  g_autofree char *c2 = contact_change ("11111111-0000-4000-8000-000000000002", "contact-2", s2, "Bea", team->alice);
  const char *batch[] = { c1, c2 };
  g_autoptr (TestResponse) first = test_push (team->session, url, team->alice_token, batch, 2);
  g_autoptr (TestResponse) again = NULL, pull = NULL, dup = NULL;
  gint64 cursor;

  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpstr (test_result_status (first, 0), ==, "applied");
  g_assert_cmpstr (test_result_status (first, 1), ==, "applied");
  cursor = json_object_get_int_member (first->body, "cursor");
  g_assert_cmpint (cursor, >, 0);

  /* The same batch again: same answers, nothing applied twice. */
  again = test_push (team->session, url, team->bob_token, batch, 2);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (test_result_status (again, 0), ==, "applied");
  g_assert_cmpstr (test_result_status (again, 1), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (again->body, "cursor"), ==, cursor);

  /* Twice within one batch, too. */
  {
    g_autofree char *s3 = test_stamp (0, NULL);
    g_autofree char *c3 = contact_change ("11111111-0000-4000-8000-000000000003", "contact-3", s3, "Cy", team->alice);
    const char *twice[] = { c3, c3 };
    dup = test_push (team->session, url, team->alice_token, twice, 2);
    g_assert_cmpuint (dup->status, ==, 200);
    g_assert_cmpstr (test_result_status (dup, 0), ==, "applied");
    g_assert_cmpstr (test_result_status (dup, 1), ==, "applied");
  }

  pull = test_pull (team->session, url, team->bob_token, 0, 5000);
  g_assert_cmpuint (pull->status, ==, 200);
  g_assert_cmpuint (count_change_id (pull, "11111111-0000-4000-8000-000000000001"), ==, 1);
  g_assert_cmpuint (count_change_id (pull, "11111111-0000-4000-8000-000000000002"), ==, 1);
  g_assert_cmpuint (count_change_id (pull, "11111111-0000-4000-8000-000000000003"), ==, 1);
}

static void
test_pull_paging (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  const char *url = team->srv->url;
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (TestResponse) push = NULL, first = NULL;
  gint64 cursor = 0, last_seq = 0, start;
  gboolean more = TRUE;
  guint pages = 0;

  first = test_pull (team->session, url, team->alice_token, 0, 5000);
  start = json_object_get_int_member (first->body, "cursor");   /* after the user records */
  g_assert_cmpint (start, >=, 4);
  g_assert_false (json_object_get_boolean_member (first->body, "more"));

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *id = g_strdup_printf ("22222222-0000-4000-8000-%012u", i);
      g_autofree char *record = g_strdup_printf ("contact-%u", i);
      g_autofree char *stamp = test_stamp (0, NULL);
      g_ptr_array_add (changes, contact_change (id, record, stamp, "Paged", team->alice));
    }
  push = test_push (team->session, url, team->alice_token, (const char *const *) changes->pdata, changes->len);
  g_assert_cmpuint (push->status, ==, 200);

  cursor = start;
  while (more)
    {
      g_autoptr (TestResponse) page = test_pull (team->session, url, team->bob_token, cursor, 10);
      JsonArray *array = json_object_get_array_member (page->body, "changes");

      g_assert_cmpuint (page->status, ==, 200);
      g_assert_cmpuint (json_array_get_length (array), <=, 10);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *change = json_array_get_object_element (array, i);
          gint64 seq = json_object_get_int_member (change, "seq");

          g_assert_cmpint (seq, >, last_seq);   /* strictly increasing, no repeats */
          last_seq = seq;
          g_hash_table_add (seen, g_strdup (json_object_get_string_member (change, "record")));
        }
      g_assert_cmpint (json_object_get_int_member (page->body, "cursor"), >=, cursor);
      cursor = json_object_get_int_member (page->body, "cursor");
      more = json_object_get_boolean_member (page->body, "more");
      pages++;
    }
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 25);
  g_assert_cmpint (cursor, ==, json_object_get_int_member (push->body, "cursor"));

  /* A pull at the end is empty and keeps the cursor. */
  {
    g_autoptr (TestResponse) end = test_pull (team->session, url, team->bob_token, cursor, 10);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (end->body, "changes")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (end->body, "cursor"), ==, cursor);
    g_assert_false (json_object_get_boolean_member (end->body, "more"));
  }
  {
    g_autoptr (TestResponse) too_many = test_pull (team->session, url, team->bob_token, 0, 20001);
    g_autoptr (TestResponse) negative = test_request (team->session, url, "GET", "/v1/pull?after=-1",
                                                      team->bob_token, NULL, NULL, 0);
    assert_error (too_many, 400, "bad-request");
    assert_error (negative, 400, "bad-request");
  }
}

static void
test_merge_and_skew (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  const char *url = team->srv->url;
  g_autofree char *old_stamp = test_stamp (-60000, "00000000000000b1");
  g_autofree char *new_stamp = test_stamp (0, "00000000000000b2");
  g_autofree char *ahead = test_stamp (10 * 60 * 1000, "00000000000000b3");
  g_autofree char *year = test_stamp ((gint64) 365 * 24 * 3600 * 1000, "00000000000000b4");
  g_autofree char *behind = test_stamp (-(gint64) 24 * 3600 * 1000, "00000000000000b5");
  g_autofree char *create = contact_change ("33333333-0000-4000-8000-000000000001", "c-merge", new_stamp, "New name", team->alice);
  g_autofree char *late = test_change ("33333333-0000-4000-8000-000000000002", "contact", "c-merge", old_stamp,
                                       "{\"name\":\"Old name\",\"job_title\":\"Buyer\"}");
  g_autofree char *skewed = test_change ("33333333-0000-4000-8000-000000000003", "contact", "c-merge", ahead,
                                         "{\"name\":\"From the future\"}");
  g_autofree char *far = test_change ("33333333-0000-4000-8000-000000000004", "contact", "c-merge", year,
                                      "{\"name\":\"A year ahead\"}");
  g_autofree char *slow = test_change ("33333333-0000-4000-8000-000000000005", "contact", "c-other", behind,
                                       "{\"name\":\"A day behind\"}");
  const char *batch[] = { create, late, skewed, far, slow };
  g_autoptr (TestResponse) push = test_push (team->session, url, team->alice_token, batch, 5);
  g_autoptr (TestResponse) pull = NULL;
  JsonArray *lost;

  g_assert_cmpuint (push->status, ==, 200);
  g_assert_cmpstr (test_result_status (push, 0), ==, "applied");
  /* The older write lost "name" but its "job_title" was new: superseded. */
  g_assert_cmpstr (test_result_status (push, 1), ==, "superseded");
  lost = json_object_get_array_member (json_array_get_object_element (
                                           json_object_get_array_member (push->body, "results"), 1), "lost");
  g_assert_cmpuint (json_array_get_length (lost), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (lost, 0), ==, "name");
  /* More than 5 minutes ahead of the server clock: refused, never applied. */
  g_assert_cmpstr (test_result_status (push, 2), ==, "refused");
  g_assert_true (g_str_has_prefix (test_result_reason (push, 2), "clock skew"));
  g_assert_cmpstr (test_result_status (push, 3), ==, "refused");
  g_assert_true (g_str_has_prefix (test_result_reason (push, 3), "clock skew"));
  /* A clock behind is fine. */
  g_assert_cmpstr (test_result_status (push, 4), ==, "applied");

  pull = test_pull (team->session, url, team->bob_token, 0, 5000);
  g_assert_cmpuint (count_change_id (pull, "33333333-0000-4000-8000-000000000003"), ==, 0);
  g_assert_cmpuint (count_change_id (pull, "33333333-0000-4000-8000-000000000004"), ==, 0);
  /* The superseded change is pulled with the field that won only. */
  {
    JsonArray *changes = json_object_get_array_member (pull->body, "changes");
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *change = json_array_get_object_element (changes, i);
        JsonObject *fields = json_object_get_object_member (change, "fields");

        if (g_strcmp0 (json_object_get_string_member (change, "id"), "33333333-0000-4000-8000-000000000002") != 0)
          continue;
        found = TRUE;
        g_assert_false (json_object_has_member (fields, "name"));
        g_assert_cmpstr (json_object_get_string_member (fields, "job_title"), ==, "Buyer");
        g_assert_cmpstr (json_object_get_string_member (change, "stamp"), ==, old_stamp);
      }
    g_assert_true (found);
  }
}

static void
test_invalid_changes (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  const char *url = team->srv->url;
  g_autofree char *stamp = test_stamp (0, NULL);
  g_autofree char *unknown_field = test_change ("44444444-0000-4000-8000-000000000001", "contact", "c-x", stamp,
                                                "{\"shoe_size\":42}");
  g_autofree char *wrong_type = test_change ("44444444-0000-4000-8000-000000000002", "contact", "c-x", stamp,
                                             "{\"name\":42}");
  g_autofree char *unknown_entity = test_change ("44444444-0000-4000-8000-000000000003", "invoice", "c-x", stamp, "{}");
  g_autofree char *bad_stamp = test_change ("44444444-0000-4000-8000-000000000004", "contact", "c-x", "yesterday",
                                            "{\"name\":\"X\"}");
  g_autofree char *good = contact_change ("44444444-0000-4000-8000-000000000005", "c-y", stamp, "Fine", team->alice);
  const char *batch[] = { unknown_field, wrong_type, unknown_entity, bad_stamp, good };
  g_autoptr (TestResponse) push = test_push (team->session, url, team->alice_token, batch, 5);

  g_assert_cmpuint (push->status, ==, 200);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpstr (test_result_status (push, i), ==, "refused");
      g_assert_true (g_str_has_prefix (test_result_reason (push, i), "invalid: "));
    }
  g_assert_cmpstr (test_result_status (push, 4), ==, "applied");
}

static void
test_backlog (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  const char *url = team->srv->url;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *stamp = test_stamp (0, NULL);
  g_autofree char *fields = g_strdup_printf ("{\"title\":\"Call back\",\"owner\":\"%s\",\"created_by\":\"%s\","
                                             "\"due_at\":%" G_GINT64_FORMAT ",\"contact_id\":\"c-1\"}",
                                             team->alice, team->alice, now - 3 * 24 * 3600);
  g_autofree char *reminder = test_change ("55555555-0000-4000-8000-000000000001", "reminder", "r-1", stamp, fields);
  g_autoptr (TestResponse) push = test_push (team->session, url, team->alice_token, (const char *[]){ reminder }, 1);
  g_autofree char *at = g_strdup_printf ("/v1/backlog?at=%" G_GINT64_FORMAT, now);
  g_autofree char *at_alice = g_strdup_printf ("/v1/backlog?at=%" G_GINT64_FORMAT "&user=%s", now, team->alice);
  g_autofree char *at_bob = g_strdup_printf ("/v1/backlog?at=%" G_GINT64_FORMAT "&user=%s", now, team->bob);
  g_autoptr (TestResponse) manager_all = test_request (team->session, url, "GET", at, team->carol_token, NULL, NULL, 0);
  g_autoptr (TestResponse) manager_one = test_request (team->session, url, "GET", at_alice, team->carol_token, NULL, NULL, 0);
  g_autoptr (TestResponse) staff_own = test_request (team->session, url, "GET", at_alice, team->alice_token, NULL, NULL, 0);
  g_autoptr (TestResponse) staff_default = test_request (team->session, url, "GET", at, team->alice_token, NULL, NULL, 0);
  g_autoptr (TestResponse) staff_other = test_request (team->session, url, "GET", at_bob, team->alice_token, NULL, NULL, 0);
  g_autoptr (TestResponse) admin_other = test_request (team->session, url, "GET", at_bob, team->dave_token, NULL, NULL, 0);
  g_autoptr (TestResponse) no_at = test_request (team->session, url, "GET", "/v1/backlog", team->carol_token, NULL, NULL, 0);
  JsonArray *rows;
  gboolean found = FALSE;

  g_assert_cmpstr (test_result_status (push, 0), ==, "applied");
  g_assert_cmpuint (manager_all->status, ==, 200);
  rows = json_object_get_array_member (manager_all->body, "rows");
  g_assert_cmpuint (json_array_get_length (rows), >=, 4);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      if (g_strcmp0 (json_object_get_string_member (row, "owner"), team->alice) == 0)
        {
          found = TRUE;
          g_assert_cmpint (json_object_get_int_member (row, "overdue_1_7"), ==, 1);
          g_assert_cmpstr (json_object_get_string_member (row, "owner_name"), ==, "alice");
        }
    }
  g_assert_true (found);
  g_assert_cmpuint (manager_one->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (manager_one->body, "rows")), ==, 1);
  g_assert_cmpuint (staff_own->status, ==, 200);
  g_assert_cmpuint (staff_default->status, ==, 200);
  rows = json_object_get_array_member (staff_default->body, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "owner"), ==, team->alice);
  assert_error (staff_other, 403, "forbidden");
  assert_error (admin_other, 403, "forbidden");
  assert_error (no_at, 400, "bad-request");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/health-and-epoch", test_health_and_epoch);
  g_test_add_func ("/server/login-logout", test_login_logout);
  g_test_add_func ("/server/users-directory", test_users_directory);
  g_test_add_func ("/server/push-idempotent", test_push_idempotent);
  g_test_add_func ("/server/pull-paging", test_pull_paging);
  g_test_add_func ("/server/merge-and-clock-skew", test_merge_and_skew);
  g_test_add_func ("/server/invalid-changes", test_invalid_changes);
  g_test_add_func ("/server/backlog", test_backlog);
  return g_test_run ();
}
