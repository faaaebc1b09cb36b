/* test-cli-activity.c: rapport-cli log, note, remind, reminder, promise, complaint, timeline */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cli-test-common.h"

static const char *
member_string (JsonObject *o, const char *member)
{
  return json_object_get_string_member_with_default (o, member, NULL);
}

/* The timeline entry with this id. */
static JsonObject *
timeline_entry (CliFixture *f, const char *contact, const char *id, JsonNode **keep)
{
  JsonObject *o;

  *keep = cli_json (f, "timeline", contact, NULL);
  o = cli_array_find (json_node_get_array (*keep), "id", id);
  g_assert_nonnull (o);
  return o;
}

static char *
my_id (CliFixture *f)
{
  g_autoptr (JsonNode) me = cli_json (f, "whoami", NULL);
  return g_strdup (member_string (json_node_get_object (me), "id"));
}

static void
test_log (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *bob = cli_ok (f, "user", "add", "bob", "--department", "Support", NULL);
  g_autofree char *set = cli_ok (f, "whoami", "--set", "alice", "--department", "Sales", NULL);
  g_autofree char *contact = cli_ok (f, "contact", "add", "--name", "Zoë Müller", NULL);
  g_autofree char *call = cli_ok (f, "log", "zoe", "--kind", "Call", "--summary", "Intro call",
                                  "--body", "Talked about the renewal", NULL);
  g_autofree char *visit = cli_ok (f, "log", contact, "--kind", "visit", "--summary",
                                   "Fixed the printer", "--by", "bob", "--at", "-2d",
                                   "--direction", "outbound", "--channel", "in-person", NULL);
  g_autofree char *with_follow_up = cli_ok (f, "log", contact, "--kind", "email", "--summary",
                                            "Sent the quote", "--at", "2026-03-01T10:00:00Z",
                                            "--department", "Finance", "--follow-up", "+3d",
                                            NULL);
  g_autofree char *alice = my_id (f);
  g_autoptr (JsonNode) k1 = NULL, k2 = NULL, k3 = NULL, k4 = NULL, shown = NULL;
  g_auto (GStrv) ids = g_strsplit (with_follow_up, "\n", -1);
  JsonObject *o;

  g_assert_true (g_str_has_prefix (set, "alice"));

  o = timeline_entry (f, contact, call, &k1);
  g_assert_cmpstr (member_string (o, "entity"), ==, "interaction");
  g_assert_cmpstr (member_string (o, "contact_id"), ==, contact);
  g_assert_cmpstr (member_string (o, "kind"), ==, "call");
  g_assert_cmpstr (member_string (o, "channel"), ==, "phone");
  g_assert_cmpstr (member_string (o, "summary"), ==, "Intro call");
  g_assert_cmpstr (member_string (o, "body"), ==, "Talked about the renewal");
  g_assert_cmpstr (member_string (o, "logged_by"), ==, alice);
  g_assert_cmpstr (member_string (o, "department"), ==, "Sales");
  g_assert_cmpstr (member_string (o, "occurred_at"), ==, CLI_TEST_NOW);
  g_assert_false (json_object_get_boolean_member (o, "awaiting_response"));

  o = timeline_entry (f, contact, visit, &k2);
  g_assert_cmpstr (member_string (o, "logged_by"), ==, bob);
  g_assert_cmpstr (member_string (o, "department"), ==, "Support");
  g_assert_cmpstr (member_string (o, "direction"), ==, "outbound");
  g_assert_cmpstr (member_string (o, "channel"), ==, "in-person");
  g_assert_cmpstr (member_string (o, "occurred_at"), ==, "2026-02-28T09:00:00Z");

  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  o = timeline_entry (f, contact, ids[0], &k3);
  g_assert_cmpstr (member_string (o, "department"), ==, "Finance");
  g_assert_cmpstr (member_string (o, "occurred_at"), ==, "2026-03-01T10:00:00Z");
  o = timeline_entry (f, contact, ids[1], &k4);
  g_assert_cmpstr (member_string (o, "entity"), ==, "reminder");
  g_assert_cmpstr (member_string (o, "owner"), ==, alice);
  g_assert_cmpstr (member_string (o, "due_at"), ==, "2026-03-05T09:00:00Z");
  g_assert_nonnull (strstr (member_string (o, "title"), "Sent the quote"));

  /* The contact knows its last interaction. */
  shown = cli_json (f, "contact", "show", contact, NULL);
  g_assert_cmpstr (member_string (json_node_get_object (shown), "last_interaction_at"), ==,
                   CLI_TEST_NOW);
}

static void
test_note_and_timeline_order (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *contact = cli_ok (f, "contact", "add", "--name", "Ada", NULL);
  g_autofree char *old_call = cli_ok (f, "log", "Ada", "--kind", "call", "--summary", "Old call",
                                      "--at", "-10d", NULL);
  g_autofree char *pinned = cli_ok (f, "note", "Ada", "Prefers", "mornings", "--pin", NULL);
  g_autofree char *private = cli_ok (f, "note", contact, "Thinks about leaving", "--private",
                                     NULL);
  g_autofree char *new_call = cli_ok (f, "log", "Ada", "--kind", "call", "--summary", "New call",
                                      "--at", "+1h", NULL);
  g_autofree char *me = my_id (f);
  g_autoptr (JsonNode) timeline = cli_json (f, "timeline", "Ada", NULL);
  g_autoptr (JsonNode) limited = cli_json (f, "timeline", "Ada", "--limit", "2", NULL);
  g_autofree char *table = cli_ok (f, "timeline", "Ada", NULL);
  JsonArray *a = json_node_get_array (timeline);
  JsonObject *o;

  g_assert_cmpuint (json_array_get_length (a), ==, 4);
  /* Pinned first, then newest first. */
  g_assert_cmpstr (member_string (json_array_get_object_element (a, 0), "id"), ==, pinned);
  g_assert_cmpstr (member_string (json_array_get_object_element (a, 1), "id"), ==, new_call);
  g_assert_cmpstr (member_string (json_array_get_object_element (a, 3), "id"), ==, old_call);
  o = json_array_get_object_element (a, 0);
  g_assert_cmpstr (member_string (o, "entity"), ==, "note");
  g_assert_cmpstr (member_string (o, "body"), ==, "Prefers mornings");
  g_assert_true (json_object_get_boolean_member (o, "pinned"));
  g_assert_false (json_object_get_boolean_member (o, "private"));
  g_assert_cmpstr (member_string (o, "author"), ==, me);
  o = cli_array_find (a, "id", private);
  g_assert_nonnull (o);
  g_assert_true (json_object_get_boolean_member (o, "private"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (limited)), ==, 2);
  g_assert_nonnull (strstr (table, "Prefers mornings"));
  g_assert_nonnull (strstr (table, "note (pinned)"));
}

static void
test_remind_snooze_done (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *bob = cli_ok (f, "user", "add", "bob", NULL);
  g_autofree char *contact = cli_ok (f, "contact", "add", "--name", "Ada", NULL);
  g_autofree char *weekly = cli_ok (f, "remind", "Ada", "--due", "+1d", "--every", "1w",
                                    "--title", "Weekly check-in", NULL);
  g_autofree char *bobs = cli_ok (f, "remind", "Ada", "--due", "2026-03-02T12:00:00Z", "--owner",
                                  "bob", NULL);
  g_autoptr (JsonNode) k1 = NULL, k2 = NULL, due_before = NULL, due_snoozed = NULL;
  g_autoptr (JsonNode) due_later = NULL, after = NULL, bob_due = NULL;
  g_autofree char *snoozed = NULL, *done = NULL;
  g_autoptr (CliResult) past = NULL;
  g_autoptr (CliResult) again = NULL;
  JsonObject *o, *next = NULL;
  JsonArray *a;

  o = timeline_entry (f, contact, weekly, &k1);
  g_assert_cmpstr (member_string (o, "due_at"), ==, "2026-03-03T09:00:00Z");
  g_assert_cmpstr (member_string (o, "recurrence"), ==, "1w");
  g_assert_cmpstr (member_string (o, "title"), ==, "Weekly check-in");
  o = timeline_entry (f, contact, bobs, &k2);
  g_assert_cmpstr (member_string (o, "owner"), ==, bob);
  g_assert_nonnull (strstr (member_string (o, "title"), "Ada"));

  due_before = cli_json (f, "due", "--at", "+2d", NULL);
  g_assert_nonnull (cli_array_find (json_node_get_array (due_before), "record_id", weekly));
  g_assert_null (cli_array_find (json_node_get_array (due_before), "record_id", bobs));
  bob_due = cli_json (f, "due", "--user", "bob", "--at", "+4h", NULL);
  g_assert_nonnull (cli_array_find (json_node_get_array (bob_due), "record_id", bobs));

  past = cli_run (f, "reminder", "snooze", weekly, "--until", "-1h", NULL);
  cli_assert_fails (past, 2, "--until");
  snoozed = cli_ok (f, "reminder", "snooze", weekly, "--until", "+5d", NULL);
  g_assert_nonnull (strstr (snoozed, "Weekly check-in"));
  due_snoozed = cli_json (f, "due", "--at", "+2d", NULL);
  g_assert_null (cli_array_find (json_node_get_array (due_snoozed), "record_id", weekly));
  due_later = cli_json (f, "due", "--at", "+6d", NULL);
  g_assert_nonnull (cli_array_find (json_node_get_array (due_later), "record_id", weekly));

  /* Done: a recurring reminder comes back a week after its due time. */
  done = cli_ok (f, "reminder", "done", weekly, NULL);
  g_assert_nonnull (strstr (done, "Weekly check-in"));
  after = cli_json (f, "timeline", contact, NULL);
  a = json_node_get_array (after);
  o = cli_array_find (a, "id", weekly);
  g_assert_cmpstr (member_string (o, "done_at"), ==, CLI_TEST_NOW);
  g_assert_nonnull (member_string (o, "done_by"));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *e = json_array_get_object_element (a, i);
      if (g_strcmp0 (member_string (e, "entity"), "reminder") == 0
          && g_strcmp0 (member_string (e, "title"), "Weekly check-in") == 0
          && g_strcmp0 (member_string (e, "id"), weekly) != 0)
        next = e;
    }
  g_assert_nonnull (next);
  g_assert_cmpstr (member_string (next, "due_at"), ==, "2026-03-10T09:00:00Z");
  g_assert_true (json_object_get_null_member (next, "done_at"));

  again = cli_run (f, "reminder", "done", weekly, NULL);
  cli_assert_fails (again, 1, "already done");
}

static void
test_promises (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *bob = cli_ok (f, "user", "add", "bob", "--department", "Delivery", NULL);
  g_autofree char *contact = cli_ok (f, "contact", "add", "--name", "Ada", NULL);
  g_autofree char *to_dept = cli_ok (f, "promise", "Ada", "--what", "Send the samples", "--due",
                                     "+2d", "--deliver-by", "Warehouse", NULL);
  g_autofree char *to_bob = cli_ok (f, "promise", "add", "Ada", "--what", "Install on site",
                                    "--due", "2026-03-09", "--deliver-by", "bob", "--by", "bob",
                                    NULL);
  g_autofree char *kept = NULL, *me = NULL;
  g_autoptr (JsonNode) k1 = NULL, k2 = NULL, k3 = NULL, due = NULL;
  g_autoptr (CliResult) twice = NULL, missing = NULL;
  JsonObject *o;

  me = my_id (f);
  o = timeline_entry (f, contact, to_dept, &k1);
  g_assert_cmpstr (member_string (o, "entity"), ==, "promise");
  g_assert_cmpstr (member_string (o, "what"), ==, "Send the samples");
  g_assert_cmpstr (member_string (o, "deliver_by_department"), ==, "Warehouse");
  g_assert_true (json_object_get_null_member (o, "deliver_by_user"));
  g_assert_cmpstr (member_string (o, "promised_by"), ==, me);
  g_assert_cmpstr (member_string (o, "status"), ==, "open");
  g_assert_cmpstr (member_string (o, "due_at"), ==, "2026-03-04T09:00:00Z");
  o = timeline_entry (f, contact, to_bob, &k2);
  g_assert_cmpstr (member_string (o, "deliver_by_user"), ==, bob);
  g_assert_cmpstr (member_string (o, "promised_by"), ==, bob);

  due = cli_json (f, "due", NULL);
  o = cli_array_find (json_node_get_array (due), "record_id", to_dept);
  g_assert_nonnull (o);
  g_assert_cmpstr (member_string (o, "kind"), ==, "promise");

  kept = cli_ok (f, "promise", "kept", to_dept, NULL);
  g_assert_nonnull (strstr (kept, "Send the samples"));
  o = timeline_entry (f, contact, to_dept, &k3);
  g_assert_cmpstr (member_string (o, "status"), ==, "kept");
  g_assert_cmpstr (member_string (o, "status_by"), ==, me);
  g_assert_cmpstr (member_string (o, "status_at"), ==, CLI_TEST_NOW);
  twice = cli_run (f, "promise", "kept", to_dept, NULL);
  cli_assert_fails (twice, 1, "already kept");
  missing = cli_run (f, "promise", "Ada", "--what", "Something", NULL);
  cli_assert_fails (missing, 2, "--due");

  {
    g_autofree char *broken = cli_ok (f, "promise", "broken", to_bob, NULL);
    g_autoptr (JsonNode) k4 = NULL;
    g_assert_nonnull (strstr (broken, "Install on site"));
    o = timeline_entry (f, contact, to_bob, &k4);
    g_assert_cmpstr (member_string (o, "status"), ==, "broken");
  }
  {
    g_autofree char *cancelled = cli_ok (f, "promise", "cancel", to_bob, NULL);
    g_autoptr (JsonNode) k5 = NULL;
    g_assert_nonnull (strstr (cancelled, "cancelled"));
    o = timeline_entry (f, contact, to_bob, &k5);
    g_assert_cmpstr (member_string (o, "status"), ==, "cancelled");
  }
}

static void
test_complaints (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *contact = cli_ok (f, "contact", "add", "--name", "Ada", NULL);
  g_autofree char *complaint = cli_ok (f, "complaint", "Ada", "--summary", "Late delivery",
                                       "--at", "-2d", NULL);
  g_autofree char *feedback = cli_ok (f, "complaint", "Ada", "--summary", "Loves the app",
                                      "--kind", "feedback", NULL);
  g_autofree char *call = cli_ok (f, "log", "Ada", "--kind", "call", "--summary", "Hi", NULL);
  g_autofree char *responded = NULL, *resolved = NULL;
  g_autoptr (JsonNode) k1 = NULL, k2 = NULL, k3 = NULL, due = NULL, due_after = NULL;
  g_autoptr (CliResult) not_complaint = NULL, twice = NULL;
  JsonObject *o;

  o = timeline_entry (f, contact, complaint, &k1);
  g_assert_cmpstr (member_string (o, "kind"), ==, "complaint");
  g_assert_cmpstr (member_string (o, "direction"), ==, "inbound");
  g_assert_true (json_object_get_boolean_member (o, "awaiting_response"));
  g_assert_cmpstr (member_string (o, "occurred_at"), ==, "2026-02-28T09:00:00Z");
  o = timeline_entry (f, contact, feedback, &k2);
  g_assert_cmpstr (member_string (o, "kind"), ==, "feedback");

  due = cli_json (f, "due", NULL);
  o = cli_array_find (json_node_get_array (due), "record_id", complaint);
  g_assert_nonnull (o);
  g_assert_cmpstr (member_string (o, "kind"), ==, "complaint");
  g_assert_true (json_object_get_boolean_member (o, "urgent"));

  not_complaint = cli_run (f, "complaint", "respond", call, NULL);
  cli_assert_fails (not_complaint, 2, "not a complaint");
  responded = cli_ok (f, "complaint", "respond", complaint, "--at", "-1d", NULL);
  g_assert_nonnull (strstr (responded, "Late delivery"));
  twice = cli_run (f, "complaint", "respond", complaint, NULL);
  cli_assert_fails (twice, 1, "already responded");
  resolved = cli_ok (f, "complaint", "resolve", complaint, NULL);
  g_assert_nonnull (strstr (resolved, "Late delivery"));

  o = timeline_entry (f, contact, complaint, &k3);
  g_assert_false (json_object_get_boolean_member (o, "awaiting_response"));
  g_assert_cmpstr (member_string (o, "responded_at"), ==, "2026-03-01T09:00:00Z");
  g_assert_cmpstr (member_string (o, "resolved_at"), ==, CLI_TEST_NOW);
  due_after = cli_json (f, "due", NULL);
  g_assert_null (cli_array_find (json_node_get_array (due_after), "record_id", complaint));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/log", test_log);
  g_test_add_func ("/cli/note-and-timeline", test_note_and_timeline_order);
  g_test_add_func ("/cli/remind-snooze-done", test_remind_snooze_done);
  g_test_add_func ("/cli/promises", test_promises);
  g_test_add_func ("/cli/complaints", test_complaints);
  return g_test_run ();
}
