/* test-cli-backlog.c: rapport-cli backlog prints the app's numbers, to managers only */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cli-test-common.h"
#include "rapport-backlog-detail.h"
#include "rapport-generate.h"

/* CLI_TEST_NOW in seconds. */
#define NOW ((gint64) 1772442000)
#define DAY ((gint64) 86400)

static const RapportPreset small_team = { 8, 500, 4000, 100, 600, 150, 60 };

/* Fills the fixture's store in-process; its "me" is a sales staff member. */
static char *
generate (CliFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportStore) store = rapport_store_open (f->db, &error);

  g_assert_no_error (error);
  g_assert_true (rapport_store_generate (store, &small_team, 5, NOW, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (rapport_store_get_me_id (store));
  return g_strdup (rapport_store_get_me_id (store));
}

static GPtrArray *
core_backlog (CliFixture *f, const char *user, gint64 at)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportStore) store = rapport_store_open (f->db, &error);
  GPtrArray *rows;

  g_assert_no_error (error);
  rows = rapport_store_backlog (store, user, at, &error);
  g_assert_no_error (error);
  return rows;
}

/* Every figure of every row printed equals the core's, in the same order. */
static void
assert_same_numbers (JsonNode *printed, GPtrArray *rows)
{
  JsonArray *array = json_node_get_array (printed);
  guint checked = 0;

  g_assert_cmpuint (json_array_get_length (array), ==, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const RapportBacklogRow *row = rows->pdata[i];
      JsonObject *o = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (o, "owner"), ==, row->owner);
      g_assert_cmpstr (json_object_get_string_member (o, "owner_name"), ==, row->owner_name);
      for (guint fig = 0; fig < RAPPORT_BACKLOG_N_FIGURES; fig++)
        {
          const char *key = rapport_backlog_figure_key (fig);
          g_assert_cmpint (json_object_get_int_member (o, key), ==, rapport_backlog_row_get (row, fig));
          checked += rapport_backlog_row_get (row, fig);
        }
      g_assert_cmpint (json_object_get_int_member (o, "oldest_complaint_age"), ==,
                       row->oldest_complaint_age);
    }
  /* Real numbers, not a table of zeros. */
  g_assert_cmpuint (checked, >, 0);
}

static const char *
other_user (GPtrArray *rows, const char *me)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const RapportBacklogRow *row = rows->pdata[i];
      if (*row->owner != '\0' && g_strcmp0 (row->owner, me) != 0)
        return row->owner;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_staff_see_themselves (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *me = generate (f);
  g_autoptr (GPtrArray) team = core_backlog (f, NULL, NOW);
  g_autoptr (GPtrArray) mine = core_backlog (f, me, NOW);
  g_autoptr (JsonNode) printed = cli_json (f, "backlog", NULL);
  g_autoptr (JsonNode) by_name = cli_json (f, "backlog", "--user", me, NULL);
  g_autoptr (CliResult) other = cli_run (f, "backlog", "--user", other_user (team, me), NULL);
  g_autoptr (CliResult) other_json = cli_run (f, "backlog", "--json", "--user",
                                              other_user (team, me), NULL);
  g_autofree char *table = cli_ok (f, "backlog", NULL);

  g_assert_cmpuint (team->len, >, 2);
  /* Only my row, with the same numbers as the app. */
  assert_same_numbers (printed, mine);
  assert_same_numbers (by_name, mine);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_node_get_array (printed), 0), "owner"),
                   ==, me);
  /* Someone else's: refused, nothing printed. */
  cli_assert_fails (other, 1, "Only managers");
  cli_assert_fails (other_json, 1, "Only managers");
  /* No team total for a backlog of one. */
  g_assert_null (strstr (table, "Team"));
}

static void
test_manager_sees_the_team (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *me = generate (f);
  g_autofree char *role = cli_ok (f, "whoami", "--role", "manager", NULL);
  g_autoptr (GPtrArray) team = core_backlog (f, NULL, NOW);
  g_autoptr (GPtrArray) later = core_backlog (f, NULL, NOW + 10 * DAY);
  g_autoptr (GPtrArray) earlier = core_backlog (f, NULL, NOW - 30 * DAY);
  g_autoptr (JsonNode) printed = cli_json (f, "backlog", NULL);
  g_autoptr (JsonNode) printed_later = cli_json (f, "backlog", "--at", "+10d", NULL);
  g_autoptr (JsonNode) printed_earlier = cli_json (f, "backlog", "--at", "2026-01-31T09:00:00Z",
                                                   NULL);
  const char *other = other_user (team, me);
  g_autoptr (GPtrArray) others = core_backlog (f, other, NOW);
  g_autoptr (JsonNode) printed_other = cli_json (f, "backlog", "--user", other, NULL);
  g_autofree char *table = cli_ok (f, "backlog", NULL);

  assert_same_numbers (printed, team);
  assert_same_numbers (printed_later, later);
  assert_same_numbers (printed_earlier, earlier);
  assert_same_numbers (printed_other, others);
  g_assert_nonnull (strstr (table, "Team"));
  for (guint i = 0; i < team->len; i++)
    g_assert_nonnull (strstr (table, ((RapportBacklogRow *) team->pdata[i])->owner_name));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/backlog/staff", test_staff_see_themselves);
  g_test_add_func ("/cli/backlog/manager", test_manager_sees_the_team);
  return g_test_run ();
}
