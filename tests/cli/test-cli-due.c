/* test-cli-due.c: rapport-cli due, backlog and generate */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cli-test-common.h"

#define DAY 86400

static const char *
member_string (JsonObject *o, const char *member)
{
  return json_object_get_string_member_with_default (o, member, NULL);
}

typedef struct
{
  CliFixture *f;
  char *me, *bob;
  char *carla, *rita, *bruno;
  char *r3, *r10, *r40, *r2, *rb;
  char *bob_promise, *late_promise, *complaint;
} Team;

static void
team_init (Team *t)
{
  g_autoptr (JsonNode) me = NULL;
  g_autofree char *call = NULL;

  t->f = cli_fixture_new ();
  t->bob = cli_ok (t->f, "user", "add", "bob", NULL);
  t->carla = cli_ok (t->f, "contact", "add", "--name", "Carla Cadence", "--cadence", "30d", NULL);
  call = cli_ok (t->f, "log", "Carla Cadence", "--kind", "call", "--summary", "Catch-up",
                 "--at", "-40d", NULL);
  t->rita = cli_ok (t->f, "contact", "add", "--name", "Rita Reminder", NULL);
  t->r3 = cli_ok (t->f, "remind", "Rita", "--due", "-3d", "--title", "three", NULL);
  t->r10 = cli_ok (t->f, "remind", "Rita", "--due", "-10d", "--title", "ten", NULL);
  t->r40 = cli_ok (t->f, "remind", "Rita", "--due", "-40d", "--title", "forty", NULL);
  t->r2 = cli_ok (t->f, "remind", "Rita", "--due", "+2d", "--title", "soon", NULL);
  t->bruno = cli_ok (t->f, "contact", "add", "--name", "Bruno Bob", "--owner", "bob", NULL);
  t->rb = cli_ok (t->f, "remind", "Bruno", "--due", "-1d", "--owner", "bob", NULL);
  t->bob_promise = cli_ok (t->f, "promise", "Bruno", "--what", "Ship it", "--due", "+1d",
                           "--deliver-by", "bob", NULL);
  t->late_promise = cli_ok (t->f, "promise", "Rita", "--what", "Call back", "--due", "-2d",
                            "--deliver-by", "Warehouse", NULL);
  t->complaint = cli_ok (t->f, "complaint", "Rita", "--summary", "Broken part", "--at", "-2d",
                         NULL);
  me = cli_json (t->f, "whoami", NULL);
  t->me = g_strdup (member_string (json_node_get_object (me), "id"));
}

static void
team_clear (Team *t)
{
  char **strings[] = { &t->me, &t->bob, &t->carla, &t->rita, &t->bruno, &t->r3, &t->r10,
                       &t->r40, &t->r2, &t->rb, &t->bob_promise, &t->late_promise,
                       &t->complaint };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
  cli_fixture_free (t->f);
}

static JsonObject *
find_kind (JsonArray *items, const char *kind, const char *record_id)
{
  JsonObject *o = cli_array_find (items, "record_id", record_id);
  return o && g_strcmp0 (member_string (o, "kind"), kind) == 0 ? o : NULL;
}

static void
test_due (void)
{
  Team t = { 0 };
  g_autoptr (JsonNode) mine = NULL, bobs = NULL, all = NULL, later = NULL;
  g_autofree char *table = NULL;
  JsonArray *a;
  JsonObject *o;

  team_init (&t);
  mine = cli_json (t.f, "due", NULL);
  a = json_node_get_array (mine);
  g_assert_nonnull (find_kind (a, "reminder", t.r3));
  g_assert_nonnull (find_kind (a, "reminder", t.r10));
  g_assert_nonnull (find_kind (a, "reminder", t.r40));
  g_assert_null (cli_array_find (a, "record_id", t.r2));
  g_assert_null (cli_array_find (a, "record_id", t.rb));
  /* Promises I made are mine to watch too, whoever delivers them. */
  g_assert_nonnull (find_kind (a, "promise", t.bob_promise));
  g_assert_nonnull (find_kind (a, "promise", t.late_promise));
  g_assert_nonnull (find_kind (a, "complaint", t.complaint));
  o = find_kind (a, "cadence", t.carla);
  g_assert_nonnull (o);
  g_assert_cmpstr (member_string (o, "contact_name"), ==, "Carla Cadence");
  g_assert_cmpstr (member_string (o, "owner"), ==, t.me);
  g_assert_cmpstr (member_string (o, "due_at"), ==, "2026-02-20T09:00:00Z");
  g_assert_cmpstr (member_string (o, "last_interaction_at"), ==, "2026-01-21T09:00:00Z");
  /* Overdue first, oldest first. */
  g_assert_cmpstr (member_string (json_array_get_object_element (a, 0), "record_id"), ==, t.r40);
  o = find_kind (a, "reminder", t.r3);
  g_assert_cmpstr (member_string (o, "title"), ==, "three");
  g_assert_cmpstr (member_string (o, "contact_id"), ==, t.rita);
  g_assert_cmpstr (member_string (o, "due_at"), ==, "2026-02-27T09:00:00Z");

  bobs = cli_json (t.f, "due", "--user", "bob", NULL);
  a = json_node_get_array (bobs);
  g_assert_nonnull (find_kind (a, "reminder", t.rb));
  g_assert_nonnull (find_kind (a, "promise", t.bob_promise));
  g_assert_null (cli_array_find (a, "record_id", t.r3));

  all = cli_json (t.f, "due", "--everyone", NULL);
  g_assert_nonnull (cli_array_find (json_node_get_array (all), "record_id", t.rb));
  g_assert_nonnull (cli_array_find (json_node_get_array (all), "record_id", t.r3));
  later = cli_json (t.f, "due", "--at", "+3d", NULL);
  g_assert_nonnull (cli_array_find (json_node_get_array (later), "record_id", t.r2));

  table = cli_ok (t.f, "due", NULL);
  g_assert_nonnull (strstr (table, "Rita Reminder"));
  g_assert_nonnull (strstr (table, "forty"));
  team_clear (&t);
}

static JsonObject *
backlog_row (JsonArray *rows, const char *owner)
{
  JsonObject *o = cli_array_find (rows, "owner", owner);
  g_assert_nonnull (o);
  return o;
}

static void
test_backlog (void)
{
  Team t = { 0 };
  g_autoptr (JsonNode) backlog = NULL, only_bob = NULL, week_later = NULL;
  g_autofree char *table = NULL;
  JsonObject *o;

  team_init (&t);
  /* Only a manager sees the backlog of others (test-cli-backlog.c). */
  g_free (cli_ok (t.f, "whoami", "--role", "manager", NULL));
  backlog = cli_json (t.f, "backlog", NULL);
  o = backlog_row (json_node_get_array (backlog), t.me);
  g_assert_cmpstr (member_string (o, "owner_name"), ==, "tester");
  g_assert_cmpint (json_object_get_int_member (o, "overdue_1_7"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "overdue_8_30"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "overdue_31_plus"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "due_this_week"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "going_cold"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "promises_broken"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "complaints_waiting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "oldest_complaint_age"), ==, 2 * DAY);
  o = backlog_row (json_node_get_array (backlog), t.bob);
  g_assert_cmpint (json_object_get_int_member (o, "overdue_1_7"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "promises_at_risk"), ==, 1);

  only_bob = cli_json (t.f, "backlog", "--user", "bob", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (only_bob)), ==, 1);
  g_assert_nonnull (backlog_row (json_node_get_array (only_bob), t.bob));

  /* A week later everything has aged: the reminder of +2d is 5 days overdue,
   * the one of -3d 10 days. */
  week_later = cli_json (t.f, "backlog", "--at", "+7d", NULL);
  o = backlog_row (json_node_get_array (week_later), t.me);
  g_assert_cmpint (json_object_get_int_member (o, "due_this_week"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "overdue_1_7"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "overdue_8_30"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "overdue_31_plus"), ==, 1);

  table = cli_ok (t.f, "backlog", NULL);
  g_assert_nonnull (strstr (table, "tester"));
  g_assert_nonnull (strstr (table, "bob"));
  g_assert_nonnull (strstr (table, "Team"));
  team_clear (&t);
}

static void
test_generate (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *out = cli_ok (f, "generate", "--preset", "team-10k", "--seed", "7", NULL);
  g_autoptr (JsonNode) users = cli_json (f, "user", "list", NULL);
  g_autoptr (JsonNode) some = cli_json (f, "contact", "list", "--limit", "3", NULL);
  g_autoptr (JsonNode) backlog = cli_json (f, "backlog", NULL);
  g_autoptr (CliResult) again = cli_run (f, "generate", "--preset", "team-10k", NULL);
  g_autoptr (CliResult) unknown = cli_run (f, "generate", "--preset", "team-1m", NULL);
  g_autoptr (CliResult) missing = cli_run (f, "generate", NULL);
  JsonObject *first;

  g_assert_nonnull (strstr (out, "team-10k"));
  g_assert_nonnull (strstr (out, "10000 contacts"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (users)), ==, 20);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (some)), ==, 3);
  first = json_array_get_object_element (json_node_get_array (some), 0);
  g_assert_nonnull (member_string (first, "name"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "emails")), >=, 1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (backlog)), >, 0);

  cli_assert_fails (again, 1, "already holds contacts");
  cli_assert_fails (unknown, 2, "team-10k, team-100k");
  cli_assert_fails (missing, 2, "--preset");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/due", test_due);
  g_test_add_func ("/cli/backlog", test_backlog);
  g_test_add_func ("/cli/generate", test_generate);
  return g_test_run ();
}
