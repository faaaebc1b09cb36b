/* cli-test-common.c: running the built rapport-cli against a temporary store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "cli-test-common.h"

CliFixture *
cli_fixture_new (void)
{
  CliFixture *f = g_new0 (CliFixture, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *xdg = NULL;

  f->dir = g_dir_make_tmp ("rapport-cli-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "rapport.db", NULL);
  data_dir = g_build_filename (f->dir, "data", NULL);
  xdg = g_build_filename (f->dir, "xdg", NULL);

  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "RAPPORT_NOW", CLI_TEST_NOW, TRUE);
  f->env = g_environ_setenv (f->env, "TZ", "UTC", TRUE);
  f->env = g_environ_setenv (f->env, "LC_ALL", "C.UTF-8", TRUE);
  f->env = g_environ_setenv (f->env, "USER", "tester", TRUE);
  f->env = g_environ_setenv (f->env, "RAPPORT_DATA_DIR", data_dir, TRUE);
  f->env = g_environ_setenv (f->env, "XDG_DATA_HOME", xdg, TRUE);
  return f;
}

void
cli_fixture_setenv (CliFixture *f, const char *name, const char *value)
{
  f->env = g_environ_setenv (f->env, name, value, TRUE);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

void
cli_fixture_free (CliFixture *f)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_strfreev (f->env);
  g_free (f);
}

CliResult *
cli_run_argv (CliFixture *f, gboolean with_db, const char *const *args)
{
  const char *cli = g_getenv ("RAPPORT_CLI");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) wait_error = NULL;
  CliResult *r = g_new0 (CliResult, 1);
  int wait_status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  if (with_db)
    {
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, f->db);
    }
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (f->dir, (char **) argv->pdata, f->env, G_SPAWN_DEFAULT, NULL, NULL, &r->out,
                &r->err, &wait_status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, &wait_error))
    {
      if (!g_error_matches (wait_error, G_SPAWN_EXIT_ERROR, wait_error->code))
        g_error ("rapport-cli did not exit normally: %s\nstderr: %s", wait_error->message, r->err);
      r->status = wait_error->code;
    }
  g_test_message ("rapport-cli … %s → %d\n%s%s", args[0] ? args[0] : "", r->status, r->out,
                  r->err);
  return r;
}

static CliResult *
run_valist (CliFixture *f, const char *extra, va_list args)
{
  g_autoptr (GPtrArray) words = g_ptr_array_new ();
  const char *word;

  while ((word = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (words, (gpointer) word);
  if (extra != NULL)
    g_ptr_array_add (words, (gpointer) extra);
  g_ptr_array_add (words, NULL);
  return cli_run_argv (f, TRUE, (const char *const *) words->pdata);
}

CliResult *
cli_run (CliFixture *f, ...)
{
  CliResult *r;
  va_list args;

  va_start (args, f);
  r = run_valist (f, NULL, args);
  va_end (args);
  return r;
}

void
cli_result_free (CliResult *r)
{
  g_free (r->out);
  g_free (r->err);
  g_free (r);
}

char *
cli_ok (CliFixture *f, ...)
{
  g_autoptr (CliResult) r = NULL;
  va_list args;
  char *out;

  va_start (args, f);
  r = run_valist (f, NULL, args);
  va_end (args);
  if (r->status != 0)
    g_error ("rapport-cli failed (%d): %s", r->status, r->err);
  out = g_steal_pointer (&r->out);
  g_strchomp (out);
  return out;
}

JsonNode *
cli_json (CliFixture *f, ...)
{
  g_autoptr (CliResult) r = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  va_list args;

  va_start (args, f);
  r = run_valist (f, "--json", args);
  va_end (args);
  if (r->status != 0)
    g_error ("rapport-cli --json failed (%d): %s", r->status, r->err);
  json_parser_load_from_data (parser, r->out, -1, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

void
cli_assert_fails (CliResult *r, int status, const char *needle)
{
  g_autofree char *err = g_strdup (r->err);

  g_assert_cmpint (r->status, ==, status);
  g_assert_cmpstr (r->out, ==, "");
  g_strchomp (err);
  g_assert_cmpstr (err, !=, "");
  g_assert_null (strchr (err, '\n'));
  if (needle != NULL && strstr (err, needle) == NULL)
    g_error ("stderr “%s” does not mention “%s”", err, needle);
}

JsonObject *
cli_array_find (JsonArray *array, const char *member, const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member_with_default (o, member, NULL), value) == 0)
        return o;
    }
  return NULL;
}

char *
cli_read_file (const char *path, gsize *length)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

/* Runs @sql on the SQLite file @path (another program's write). */
void
cli_exec_sql (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}
