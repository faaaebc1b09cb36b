/* test-cli-input.c: rapport-cli's help, exit codes, bad input, and stores it must refuse */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "cli-test-common.h"

static void
test_help (void)
{
  static const char *const verbs[][2] = {
    { "contact", "add" }, { "contact", "edit" }, { "contact", "show" }, { "contact", "list" },
    { "contact", "delete" }, { "contact", "restore" }, { "search", NULL }, { "log", NULL },
    { "note", NULL }, { "remind", NULL }, { "reminder", "done" }, { "reminder", "snooze" },
    { "promise", NULL }, { "promise", "kept" }, { "promise", "broken" }, { "promise", "cancel" },
    { "complaint", NULL }, { "complaint", "respond" }, { "complaint", "resolve" },
    { "timeline", NULL }, { "due", NULL }, { "backlog", NULL }, { "user", "add" },
    { "user", "list" }, { "whoami", NULL }, { "trash", NULL }, { "generate", NULL },
    { "backup", NULL }, { "restore", NULL },
  };
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autoptr (CliResult) top = NULL, none = NULL, help_verb = NULL, group = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      const char *args[] = { verbs[i][0], verbs[i][1] ? verbs[i][1] : "--help",
                             verbs[i][1] ? "--help" : NULL, NULL };
      g_autoptr (CliResult) r = cli_run_argv (f, TRUE, args);
      g_autofree char *command = g_strjoin (" ", "rapport-cli", verbs[i][0], verbs[i][1], NULL);

      g_assert_cmpint (r->status, ==, 0);
      g_assert_true (g_str_has_prefix (r->out, "Usage:"));
      g_assert_nonnull (strstr (r->out, command));
      g_assert_nonnull (strstr (r->out, "--db"));
      g_assert_cmpstr (r->err, ==, "");
    }
  /* Asking for help never creates a store. */
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  top = cli_run (f, "--help", NULL);
  g_assert_cmpint (top->status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    g_assert_nonnull (strstr (top->out, verbs[i][0]));
  help_verb = cli_run (f, "help", "contact", "add", NULL);
  g_assert_cmpint (help_verb->status, ==, 0);
  g_assert_nonnull (strstr (help_verb->out, "--marketing-consent"));

  none = cli_run (f, NULL);
  cli_assert_fails (none, 2, "--help");
  group = cli_run (f, "contact", NULL);
  cli_assert_fails (group, 2, "add, edit, show, list, delete, restore");
}

static void
test_db_option (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *other = g_build_filename (f->dir, "other", "team.db", NULL);
  g_autofree char *default_db = g_build_filename (f->dir, "data", "rapport.db", NULL);
  const char *add_after[] = { "contact", "add", "--name", "Ada", "--db", other, NULL };
  const char *list_before[] = { "--db", other, "contact", "list", "--json", NULL };
  const char *add_default[] = { "contact", "add", "--name", "Bea", NULL };
  const char *version[] = { "--version", NULL };
  g_autoptr (CliResult) added = cli_run_argv (f, FALSE, add_after);
  g_autoptr (CliResult) listed = cli_run_argv (f, FALSE, list_before);
  g_autoptr (CliResult) in_default = cli_run_argv (f, FALSE, add_default);
  g_autoptr (CliResult) v = cli_run_argv (f, FALSE, version);
  g_autoptr (JsonNode) own = cli_json (f, "contact", "list", NULL);

  /* --db goes before or after the command, and makes the folder. */
  g_assert_cmpint (added->status, ==, 0);
  g_assert_cmpint (listed->status, ==, 0);
  g_assert_nonnull (strstr (listed->out, "\"Ada\""));
  /* Without --db: $RAPPORT_DATA_DIR/rapport.db. */
  g_assert_cmpint (in_default->status, ==, 0);
  g_assert_true (g_file_test (default_db, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (own)), ==, 0);
  g_assert_cmpint (v->status, ==, 0);
  g_assert_true (g_str_has_prefix (v->out, "rapport-cli "));
}

static void
test_usage_errors (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *ada = cli_ok (f, "contact", "add", "--name", "Ada", NULL);
  g_autoptr (CliResult) verb = cli_run (f, "frobnicate", NULL);
  g_autoptr (CliResult) sub = cli_run (f, "contact", "frobnicate", NULL);
  g_autoptr (CliResult) option = cli_run (f, "contact", "list", "--bogus", NULL);
  g_autoptr (CliResult) value = cli_run (f, "log", "Ada", "--summary", "x", "--kind", NULL);
  g_autoptr (CliResult) extra = cli_run (f, "contact", "show", "Ada", "Lovelace", NULL);
  g_autoptr (CliResult) missing = cli_run (f, "note", "Ada", NULL);
  g_autoptr (CliResult) limit = cli_run (f, "contact", "list", "--limit", "ten", NULL);
  g_autoptr (CliResult) nothing = cli_run (f, "contact", "edit", "Ada", NULL);
  g_autoptr (CliResult) no_kind = cli_run (f, "log", "Ada", "--summary", "x", NULL);
  g_autoptr (CliResult) empty_db = cli_run (f, "--db=", "whoami", NULL);

  g_assert_cmpuint (strlen (ada), ==, 36);
  cli_assert_fails (verb, 2, "“frobnicate” is not a command");
  cli_assert_fails (sub, 2, "frobnicate");
  cli_assert_fails (option, 2, "--bogus");
  cli_assert_fails (value, 2, "--kind");
  cli_assert_fails (extra, 2, "Lovelace");
  cli_assert_fails (missing, 2, "TEXT");
  cli_assert_fails (limit, 2, "--limit");
  cli_assert_fails (nothing, 2, "nothing to change");
  cli_assert_fails (no_kind, 2, "--kind");
  cli_assert_fails (empty_db, 2, "--db");
}

static void
test_bad_values (void)
{
  static const char *const bad_emails[] = { "no-at-sign", "ann@example", "a b@example.org",
                                            "ann@@example.org", "@example.org", "ann@.org",
                                            "ann@example.c0m" };
  static const char *const bad_options[][3] = {
    { "--kind", "person2", "person, organization" },
    { "--relationship", "friend", "customer, prospect, partner, former" },
    { "--channel", "pigeon", "--channel" },
    { "--marketing-consent", "maybe", "--marketing-consent" },
    { "--cadence", "often", "--cadence" },
    { "--birthday", "2026-02-30", "--birthday" },
    { "--phone", "call me", "phone number" },
    { "--social", "zoe", "SERVICE:HANDLE" },
  };
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *ada = cli_ok (f, "contact", "add", "--name", "Ada", NULL);
  g_autoptr (CliResult) kind = cli_run (f, "log", "Ada", "--kind", "calll", "--summary", "x", NULL);
  g_autoptr (CliResult) date = cli_run (f, "remind", "Ada", "--due", "next blursday", NULL);
  g_autoptr (CliResult) at = cli_run (f, "log", "Ada", "--kind", "call", "--summary", "x", "--at",
                                      "2026-13-45", NULL);
  g_autoptr (CliResult) every = cli_run (f, "remind", "Ada", "--due", "+1d", "--every",
                                         "sometimes", NULL);
  g_autoptr (JsonNode) timeline = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_emails); i++)
    {
      g_autoptr (CliResult) r = cli_run (f, "contact", "add", "--name", "Bea", "--email",
                                         bad_emails[i], NULL);
      cli_assert_fails (r, 2, "--email");
      g_assert_nonnull (strstr (r->err, "name@example.org"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_options); i++)
    {
      g_autoptr (CliResult) r = cli_run (f, "contact", "add", "--name", "Bea", bad_options[i][0],
                                         bad_options[i][1], NULL);
      cli_assert_fails (r, 2, bad_options[i][2]);
    }
  cli_assert_fails (kind, 2, "call, email, meeting");
  cli_assert_fails (date, 2, "--due");
  cli_assert_fails (at, 2, "--at");
  cli_assert_fails (every, 2, "--every");

  /* Nothing was written: only Ada, and nothing on her timeline. */
  {
    g_autoptr (JsonNode) list = cli_json (f, "contact", "list", NULL);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  }
  timeline = cli_json (f, "timeline", ada, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (timeline)), ==, 0);
}

static void
test_not_found (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *a = cli_ok (f, "contact", "add", "--name", "Anna Berg", NULL);
  g_autofree char *b = cli_ok (f, "contact", "add", "--name", "Anna Kurz", NULL);
  g_autoptr (CliResult) none = cli_run (f, "contact", "show", "Nobody", NULL);
  g_autoptr (CliResult) many = cli_run (f, "note", "Anna", "Hello", NULL);
  g_autoptr (CliResult) user = cli_run (f, "contact", "edit", a, "--owner", "nobody", NULL);
  g_autoptr (CliResult) reminder = cli_run (f, "reminder", "done", "no-such-id", NULL);
  g_autoptr (CliResult) promise = cli_run (f, "promise", "kept", a, NULL);
  g_autoptr (CliResult) restore = cli_run (f, "contact", "restore", "Anna Berg", NULL);
  g_autoptr (JsonNode) timeline = NULL;

  cli_assert_fails (none, 1, "Nobody");
  cli_assert_fails (many, 1, "Anna");
  g_assert_nonnull (strstr (many->err, a));
  g_assert_nonnull (strstr (many->err, b));
  cli_assert_fails (user, 1, "nobody");
  cli_assert_fails (reminder, 1, "no-such-id");
  cli_assert_fails (promise, 1, a);
  cli_assert_fails (restore, 1, "Trash");
  timeline = cli_json (f, "timeline", a, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (timeline)), ==, 0);
}

/* Runs a write and a read on @path: both refused with @needle, the file
 * unchanged byte for byte. */
static void
assert_refused (CliFixture *f, const char *path, const char *needle)
{
  const char *write_args[] = { "--db", path, "contact", "add", "--name", "X", NULL };
  const char *read_args[] = { "--db", path, "contact", "list", NULL };
  g_autofree char *before = NULL;
  gsize before_len = 0;

  before = cli_read_file (path, &before_len);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (CliResult) r = cli_run_argv (f, FALSE, i == 0 ? write_args : read_args);
      g_autofree char *after = NULL;
      gsize after_len = 0;

      cli_assert_fails (r, 1, needle);
      g_assert_nonnull (strstr (r->err, "untouched"));
      after = cli_read_file (path, &after_len);
      g_assert_cmpmem (after, after_len, before, before_len);
    }
}

static void
test_refuses_text_file (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *path = g_build_filename (f->dir, "notes.txt", NULL);

  g_assert_true (g_file_set_contents (path, "Call Ada about the renewal.\nThen lunch.\n", -1,
                                      NULL));
  assert_refused (f, path, "not a Rapport database");
}

static void
test_refuses_foreign_database (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *path = g_build_filename (f->dir, "other.sqlite", NULL);

  cli_exec_sql (path, "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('Hey');");
  assert_refused (f, path, "another program");
}

static void
test_refuses_newer_store (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *id = cli_ok (f, "contact", "add", "--name", "Ada", NULL);

  /* A newer Rapport's store: the same file with a later schema version, in
   * either journal mode. */
  g_assert_cmpuint (strlen (id), ==, 36);
  cli_exec_sql (f->db, "PRAGMA user_version = 1000;");
  assert_refused (f, f->db, "newer Rapport");
  cli_exec_sql (f->db, "PRAGMA journal_mode = DELETE;");
  assert_refused (f, f->db, "newer Rapport");
}

static void
test_refuses_corrupt_store (void)
{
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *contents = NULL;
  gsize length = 0;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("Contact %u", i);
      g_autofree char *id = cli_ok (f, "contact", "add", "--name", name, "--tag", "demo", NULL);
      g_assert_cmpuint (strlen (id), ==, 36);
    }
  cli_exec_sql (f->db, "PRAGMA journal_mode = DELETE;");
  /* Scribble over the second half of the file, past the schema page. */
  contents = cli_read_file (f->db, &length);
  g_assert_cmpuint (length, >, 8192);
  memset (contents + length / 2, 0xA5, length / 2);
  g_assert_true (g_file_set_contents (f->db, contents, length, NULL));
  assert_refused (f, f->db, "damaged");
}

/* The store's own messages (refusing a file, a failed write, a contact
 * not found) come in the user's language, like the command line's. */
static void
test_store_messages_translated (void)
{
  static const struct
  {
    const char *language;
    const char *not_a_database;
    const char *failed_write;
    const char *not_found;
  } languages[] = {
    { "de", "ist keine Rapport-Datenbank", "Fehler beim Aktualisieren des Speichers", "Kein Kontakt passt zu" },
    { "fr", "n’est pas une base Rapport", "Échec de l’opération « mettre à jour la base »",
      "Aucun contact ne correspond à" },
  };
  g_autoptr (CliFixture) f = cli_fixture_new ();
  g_autofree char *path = g_build_filename (f->dir, "notes.txt", NULL);
  g_autofree char *id = cli_ok (f, "contact", "add", "--name", "Ada", NULL);

  g_assert_true (g_file_set_contents (path, "Call Ada.\n", -1, NULL));
  cli_fixture_setenv (f, "RAPPORT_LOCALEDIR", g_getenv ("RAPPORT_LOCALEDIR"));
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      const char *text_file[] = { "--db", path, "contact", "list", NULL };
      const char *null_device[] = { "--db", "/dev/null", "contact", "list", NULL };
      g_autoptr (CliResult) refused = NULL;
      g_autoptr (CliResult) failed = NULL;
      g_autoptr (CliResult) missing = NULL;

      cli_fixture_setenv (f, "LANGUAGE", languages[i].language);
      refused = cli_run_argv (f, FALSE, text_file);
      cli_assert_fails (refused, 1, languages[i].not_a_database);
      failed = cli_run_argv (f, FALSE, null_device);
      cli_assert_fails (failed, 1, languages[i].failed_write);
      missing = cli_run (f, "contact", "show", "Nobody", NULL);
      cli_assert_fails (missing, 1, languages[i].not_found);
    }
}

/* The names of the contacts in the store at @db, as contact list --json gives them. */
int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/input/help", test_help);
  g_test_add_func ("/cli/input/db-option", test_db_option);
  g_test_add_func ("/cli/input/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/input/bad-values", test_bad_values);
  g_test_add_func ("/cli/input/not-found", test_not_found);
  g_test_add_func ("/cli/store/refuses-text-file", test_refuses_text_file);
  g_test_add_func ("/cli/store/refuses-foreign-database", test_refuses_foreign_database);
  g_test_add_func ("/cli/store/refuses-newer-store", test_refuses_newer_store);
  g_test_add_func ("/cli/store/refuses-corrupt-store", test_refuses_corrupt_store);
  g_test_add_func ("/cli/store/messages-translated", test_store_messages_translated);
  return g_test_run ();
}
