/* test-cli-contacts.c: rapport-cli contact, search, trash, user and whoami */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cli-test-common.h"

static const char *
member_string (JsonObject *o, const char *member)
{
  return json_object_get_string_member_with_default (o, member, NULL);
}

static JsonObject *
entry (JsonObject *contact, const char *array, guint index)
{
  JsonArray *a = json_object_get_array_member (contact, array);
  g_assert_cmpuint (json_array_get_length (a), >, index);
  return json_array_get_object_element (a, index);
}

static void
test_add_every_field (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *alice = cli_ok (f, "user", "add", "alice", "--department", "Sales", NULL);
  g_autofree char *id = NULL;
  g_autoptr (JsonNode) shown = NULL;
  g_autoptr (JsonNode) me = NULL;
  JsonObject *c;
  JsonArray *tags;

  id = cli_ok (f, "contact", "add", "--name", "Zoë Müller", "--given-name", "Zoë",
               "--family-name", "Müller", "--kind", "Person", "--organization", "Acme GmbH",
               "--title", "Buyer", "--relationship", "customer", "--stage", "active",
               "--owner", "alice", "--tag", "vip", "--tag", "berlin,events", "--email",
               "work:zoe@acme.example", "--email", "zoe.m@mail.example", "--phone",
               "mobile:+49 30 1234567", "--address", "office:Hauptstr. 1; Berlin; ; 10115; DE",
               "--social", "LinkedIn:zoe-muller", "--birthday", "1985-05-17", "--source",
               "trade fair", "--channel", "email", "--do-not-contact", "--marketing-consent",
               "yes", "--cadence", "4w", NULL);
  g_assert_cmpuint (strlen (id), ==, 36);

  shown = cli_json (f, "contact", "show", id, NULL);
  c = json_node_get_object (shown);
  g_assert_cmpstr (member_string (c, "id"), ==, id);
  g_assert_cmpstr (member_string (c, "kind"), ==, "person");
  g_assert_cmpstr (member_string (c, "name"), ==, "Zoë Müller");
  g_assert_cmpstr (member_string (c, "given_name"), ==, "Zoë");
  g_assert_cmpstr (member_string (c, "family_name"), ==, "Müller");
  g_assert_cmpstr (member_string (c, "organization"), ==, "Acme GmbH");
  g_assert_cmpstr (member_string (c, "job_title"), ==, "Buyer");
  g_assert_cmpstr (member_string (c, "relationship"), ==, "customer");
  g_assert_cmpstr (member_string (c, "stage"), ==, "active");
  g_assert_cmpstr (member_string (c, "owner"), ==, alice);
  tags = json_object_get_array_member (c, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "vip");
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "berlin");
  g_assert_cmpstr (json_array_get_string_element (tags, 2), ==, "events");
  g_assert_cmpstr (member_string (entry (c, "emails", 0), "label"), ==, "work");
  g_assert_cmpstr (member_string (entry (c, "emails", 0), "value"), ==, "zoe@acme.example");
  g_assert_cmpstr (member_string (entry (c, "emails", 1), "value"), ==, "zoe.m@mail.example");
  g_assert_cmpstr (member_string (entry (c, "phones", 0), "label"), ==, "mobile");
  g_assert_cmpstr (member_string (entry (c, "phones", 0), "value"), ==, "+49 30 1234567");
  g_assert_cmpstr (member_string (entry (c, "addresses", 0), "label"), ==, "office");
  g_assert_cmpstr (member_string (entry (c, "addresses", 0), "street"), ==, "Hauptstr. 1");
  g_assert_cmpstr (member_string (entry (c, "addresses", 0), "city"), ==, "Berlin");
  g_assert_false (json_object_has_member (entry (c, "addresses", 0), "region"));
  g_assert_cmpstr (member_string (entry (c, "addresses", 0), "postcode"), ==, "10115");
  g_assert_cmpstr (member_string (entry (c, "addresses", 0), "country"), ==, "DE");
  g_assert_cmpstr (member_string (entry (c, "social", 0), "service"), ==, "linkedin");
  g_assert_cmpstr (member_string (entry (c, "social", 0), "handle"), ==, "zoe-muller");
  g_assert_cmpstr (member_string (c, "birthday"), ==, "1985-05-17");
  g_assert_cmpstr (member_string (c, "source"), ==, "trade fair");
  g_assert_cmpstr (member_string (c, "preferred_channel"), ==, "email");
  g_assert_true (json_object_get_boolean_member (c, "do_not_contact"));
  g_assert_true (json_object_get_boolean_member (c, "marketing_consent"));
  g_assert_cmpint (json_object_get_int_member (c, "cadence_days"), ==, 28);
  g_assert_cmpstr (member_string (c, "created_at"), ==, CLI_TEST_NOW);
  g_assert_false (json_object_get_boolean_member (c, "deleted"));
  g_assert_true (json_object_get_null_member (c, "deleted_at"));

  /* The first write made "me" from $USER, and attributed the contact. */
  me = cli_json (f, "whoami", NULL);
  g_assert_cmpstr (member_string (json_node_get_object (me), "name"), ==, "tester");
  g_assert_cmpstr (member_string (c, "created_by"), ==,
                   member_string (json_node_get_object (me), "id"));
}

static void
test_edit (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *id = cli_ok (f, "contact", "add", "--name", "Ada Lovelace", "--stage", "lead",
                                "--tag", "vip,math", "--email", "ada@example.org", "--phone",
                                "+44 20 7946 0018", "--social", "github:ada", "--cadence", "30d",
                                "--do-not-contact", NULL);
  g_autofree char *edited = NULL;
  g_autoptr (JsonNode) shown = NULL;
  g_autoptr (JsonNode) owned = NULL;
  JsonObject *c;
  JsonArray *emails;

  edited = cli_ok (f, "contact", "edit", "Ada Lovelace", "--title", "Analyst", "--stage", "",
                   "--untag", "VIP", "--email", "home:ada@home.example", "--remove-email",
                   "ADA@example.org", "--remove-phone", "+44 (20) 7946-0018", "--remove-social",
                   "github", "--cadence", "0", "--contact-ok", "--relationship", "prospect",
                   "--owner", "tester", NULL);
  g_assert_cmpstr (edited, ==, id);

  shown = cli_json (f, "contact", "show", id, NULL);
  c = json_node_get_object (shown);
  g_assert_cmpstr (member_string (c, "name"), ==, "Ada Lovelace");
  g_assert_cmpstr (member_string (c, "job_title"), ==, "Analyst");
  g_assert_true (json_object_get_null_member (c, "stage"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "tags")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (c, "tags"), 0), ==,
                   "math");
  emails = json_object_get_array_member (c, "emails");
  g_assert_cmpuint (json_array_get_length (emails), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (emails, 0), "value"), ==,
                   "ada@home.example");
  g_assert_cmpstr (member_string (json_array_get_object_element (emails, 0), "label"), ==, "home");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "phones")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "social")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (c, "cadence_days"), ==, 0);
  g_assert_false (json_object_get_boolean_member (c, "do_not_contact"));
  g_assert_cmpstr (member_string (c, "relationship"), ==, "prospect");

  /* Given and family names make the name when it was made from them. */
  owned = cli_json (f, "whoami", NULL);
  g_assert_cmpstr (member_string (c, "owner"), ==,
                   member_string (json_node_get_object (owned), "id"));
  {
    g_autofree char *p = cli_ok (f, "contact", "add", "--given-name", "Grace", "--family-name",
                                 "Hopper", NULL);
    g_autofree char *q = cli_ok (f, "contact", "edit", p, "--family-name", "Murray", NULL);
    g_autoptr (JsonNode) grace = cli_json (f, "contact", "show", p, NULL);
    g_assert_cmpstr (q, ==, p);
    g_assert_cmpstr (member_string (json_node_get_object (grace), "name"), ==, "Grace Murray");
  }
}

static void
test_organization_link (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *org = cli_ok (f, "contact", "add", "--name", "Acme GmbH", "--kind",
                                 "organization", NULL);
  g_autofree char *person = cli_ok (f, "contact", "add", "--name", "Max Mustermann",
                                    "--org-id", "Acme GmbH", NULL);
  g_autoptr (JsonNode) shown = cli_json (f, "contact", "show", person, NULL);
  g_autoptr (CliResult) bad = NULL;

  g_assert_cmpstr (member_string (json_node_get_object (shown), "organization_id"), ==, org);
  g_assert_cmpstr (member_string (json_node_get_object (shown), "organization"), ==, "Acme GmbH");

  /* A person is not an organization. */
  bad = cli_run (f, "contact", "add", "--name", "Erika", "--org-id", person, NULL);
  cli_assert_fails (bad, 2, "not an organization");
}

static void
test_list_and_search (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *bob = cli_ok (f, "user", "add", "bob", NULL);
  g_autofree char *a = cli_ok (f, "contact", "add", "--name", "Zoë Adams", "--relationship",
                               "customer", "--tag", "vip", NULL);
  g_autofree char *b = cli_ok (f, "contact", "add", "--name", "Émile Zola", "--relationship",
                               "prospect", "--owner", "bob", "--email", "emile@zola.example", NULL);
  g_autofree char *c = cli_ok (f, "contact", "add", "--name", "Anna Berg", "--relationship",
                               "customer", "--tag", "vip", "--kind", "organization", NULL);
  g_autoptr (JsonNode) all = cli_json (f, "contact", "list", NULL);
  g_autoptr (JsonNode) vip = cli_json (f, "contact", "list", "--tag", "vip", NULL);
  g_autoptr (JsonNode) customers = cli_json (f, "contact", "list", "--relationship", "customer",
                                             "--kind", "person", NULL);
  g_autoptr (JsonNode) bobs = cli_json (f, "contact", "list", "--owner", "bob", NULL);
  g_autoptr (JsonNode) limited = cli_json (f, "contact", "list", "--limit", "2", NULL);
  g_autoptr (JsonNode) found = cli_json (f, "search", "zoe", NULL);
  g_autoptr (JsonNode) by_email = cli_json (f, "search", "zola.example", NULL);
  g_autoptr (JsonNode) none = cli_json (f, "search", "nobody", NULL);
  g_autofree char *table = cli_ok (f, "contact", "list", NULL);
  g_auto (GStrv) lines = NULL;
  JsonArray *array;

  /* By name, accents folded: Anna, Émile, Zoë. */
  array = json_node_get_array (all);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (member_string (json_array_get_object_element (array, 0), "id"), ==, c);
  g_assert_cmpstr (member_string (json_array_get_object_element (array, 1), "id"), ==, b);
  g_assert_cmpstr (member_string (json_array_get_object_element (array, 2), "id"), ==, a);

  g_assert_cmpuint (json_array_get_length (json_node_get_array (vip)), ==, 2);
  g_assert_nonnull (cli_array_find (json_node_get_array (vip), "id", a));
  g_assert_nonnull (cli_array_find (json_node_get_array (vip), "id", c));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (customers)), ==, 1);
  g_assert_nonnull (cli_array_find (json_node_get_array (customers), "id", a));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (bobs)), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (json_node_get_array (bobs), 0),
                                  "owner"), ==, bob);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (limited)), ==, 2);

  g_assert_cmpuint (json_array_get_length (json_node_get_array (found)), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (json_node_get_array (found), 0),
                                  "name"), ==, "Zoë Adams");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (by_email)), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (none)), ==, 0);

  /* The table has a header and one line per contact. */
  g_assert_true (g_str_has_prefix (table, "Name"));
  g_assert_nonnull (strstr (table, "Émile Zola"));
  lines = g_strsplit (table, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
}

static void
test_delete_restore_trash (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *id = cli_ok (f, "contact", "add", "--name", "Tom Trash", "--email",
                                "tom@trash.example", NULL);
  g_autofree char *deleted = cli_ok (f, "contact", "delete", "tom@trash.example", NULL);
  g_autoptr (JsonNode) trash = cli_json (f, "trash", NULL);
  g_autoptr (JsonNode) list = cli_json (f, "contact", "list", NULL);
  g_autoptr (JsonNode) shown = cli_json (f, "contact", "show", id, NULL);
  g_autoptr (CliResult) log = cli_run (f, "log", id, "--kind", "call", "--summary", "Hi", NULL);
  g_autoptr (CliResult) again = cli_run (f, "contact", "delete", id, NULL);
  g_autofree char *restored = NULL;
  g_autoptr (JsonNode) trash_after = NULL;
  g_autoptr (JsonNode) list_after = NULL;

  g_assert_nonnull (strstr (deleted, "Tom Trash"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (trash)), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (json_node_get_array (trash), 0),
                                  "id"), ==, id);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 0);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (shown), "deleted"));
  g_assert_cmpstr (member_string (json_node_get_object (shown), "deleted_at"), ==, CLI_TEST_NOW);
  cli_assert_fails (log, 1, "Trash");
  cli_assert_fails (again, 1, "Trash");

  /* Restored by name, from the Trash. */
  restored = cli_ok (f, "contact", "restore", "Tom Trash", NULL);
  g_assert_nonnull (strstr (restored, "Tom Trash"));
  trash_after = cli_json (f, "trash", NULL);
  list_after = cli_json (f, "contact", "list", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (trash_after)), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list_after)), ==, 1);
}

static void
test_users_and_whoami (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autoptr (CliResult) nobody = cli_run (f, "whoami", NULL);
  g_autoptr (JsonNode) null_me = cli_json (f, "whoami", NULL);
  g_autofree char *bob = cli_ok (f, "user", "add", "bob", "--department", "Support", "--role",
                                 "manager", "--display-name", "Bob Builder", NULL);
  g_autoptr (CliResult) twice = cli_run (f, "user", "add", "bob", NULL);
  g_autoptr (CliResult) bad_role = cli_run (f, "user", "add", "carol", "--role", "boss", NULL);
  g_autofree char *set = cli_ok (f, "whoami", "--set", "alice", "--department", "Sales", NULL);
  g_autoptr (JsonNode) me = cli_json (f, "whoami", NULL);
  g_autoptr (JsonNode) users = cli_json (f, "user", "list", NULL);
  g_autofree char *as_bob = cli_ok (f, "whoami", "--set", "Bob Builder", NULL);
  g_autoptr (JsonNode) me_bob = cli_json (f, "whoami", NULL);
  JsonObject *b;

  cli_assert_fails (nobody, 1, "whoami --set");
  g_assert_true (g_str_has_prefix (as_bob, "bob"));
  g_assert_true (JSON_NODE_HOLDS_NULL (null_me));
  cli_assert_fails (twice, 1, "already exists");
  cli_assert_fails (bad_role, 2, "staff, manager, admin");

  g_assert_true (g_str_has_prefix (set, "alice"));
  g_assert_cmpstr (member_string (json_node_get_object (me), "name"), ==, "alice");
  g_assert_cmpstr (member_string (json_node_get_object (me), "department"), ==, "Sales");
  g_assert_cmpstr (member_string (json_node_get_object (me), "role"), ==, "staff");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (users)), ==, 2);
  b = cli_array_find (json_node_get_array (users), "id", bob);
  g_assert_nonnull (b);
  g_assert_cmpstr (member_string (b, "name"), ==, "bob");
  g_assert_cmpstr (member_string (b, "display_name"), ==, "Bob Builder");
  g_assert_cmpstr (member_string (b, "department"), ==, "Support");
  g_assert_cmpstr (member_string (b, "role"), ==, "manager");
  g_assert_cmpstr (member_string (json_node_get_object (me_bob), "id"), ==, bob);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/contact/add-every-field", test_add_every_field);
  g_test_add_func ("/cli/contact/edit", test_edit);
  g_test_add_func ("/cli/contact/organization", test_organization_link);
  g_test_add_func ("/cli/contact/list-and-search", test_list_and_search);
  g_test_add_func ("/cli/contact/delete-restore-trash", test_delete_restore_trash);
  g_test_add_func ("/cli/user/users-and-whoami", test_users_and_whoami);
  return g_test_run ();
}
