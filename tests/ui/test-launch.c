/* test-launch.c: programs Rapport starts do not inherit its renderer choice */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "rapport-application.h"

static char *dir;
static char *env_file;

static gboolean
file_exists (gpointer user_data)
{
  return g_file_test (env_file, G_FILE_TEST_EXISTS);
}

static void
wait_until (GSourceFunc condition, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (NULL))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      /* Not blocking: the mail handler is another process, nothing in this
       * main loop wakes when it writes. */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }
}

/* A mailto: link opens the mail client with the person's environment: not
 * GSK_RENDERER=cairo and GDK_DEBUG=gl-disable, which Rapport set for
 * itself, but everything else. */
static void
test_mailto_environment (void)
{
  g_autofree char *env = NULL;

  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
  rapport_application_show_uri (NULL, "mailto:ana@example.com");
  wait_until (file_exists, "the mail handler to write its environment");
  g_assert_true (g_file_get_contents (env_file, &env, NULL, NULL));
  g_assert_nonnull (strstr (env, "RAPPORT_TEST_MARKER=inherited\n"));
  g_assert_null (strstr (env, "GSK_RENDERER="));
  g_assert_null (strstr (env, "GDK_DEBUG="));
  /* Rapport itself keeps drawing as it chose. */
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
}

static void
write_file (const char *path, const char *contents)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_autofree char *desktop = NULL;
  g_autofree char *mimeapps = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *command = NULL;
  int status;

  /* The mail client: a desktop file that writes its environment. Set up
   * before GIO reads the desktop files. */
  dir = g_dir_make_tmp ("rapport-test-launch-XXXXXX", NULL);
  g_assert_nonnull (dir);
  env_file = g_build_filename (dir, "env.txt", NULL);
  data_home = g_build_filename (dir, "data", NULL);
  config_home = g_build_filename (dir, "config", NULL);
  desktop = g_build_filename (data_home, "applications", "rapport-test-mail.desktop", NULL);
  mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);
  contents = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Mail\n"
                              "Exec=/bin/sh -c \"env > %s.part && mv %s.part %s\" %%u\n"
                              "MimeType=x-scheme-handler/mailto;\n",
                              env_file, env_file, env_file);
  write_file (desktop, contents);
  write_file (mimeapps, "[Default Applications]\n"
                        "x-scheme-handler/mailto=rapport-test-mail.desktop\n");
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_DATA_DIRS", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", config_home, TRUE);
  g_setenv ("RAPPORT_TEST_MARKER", "inherited", TRUE);
  g_unsetenv ("GSK_RENDERER");
  g_unsetenv ("GDK_DEBUG");

  rapport_application_choose_renderer ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/launch/mailto-environment", test_mailto_environment);
  status = g_test_run ();

  command = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (command) != 0)
    g_printerr ("Could not remove %s\n", dir);
  g_free (env_file);
  g_free (dir);
  return status;
}
