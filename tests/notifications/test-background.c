/* test-background.c: "Run in background" holds the app and installs autostart */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "rapport-background.h"
#include "test-common.h"

static GSettings *
fresh_settings (gboolean run_in_background)
{
  GSettings *settings = g_settings_new (BASE_ID);

  g_settings_set_boolean (settings, "run-in-background", run_in_background);
  return settings;
}

static void
test_autostart_follows_setting (void)
{
  g_autoptr (GSettings) settings = fresh_settings (FALSE);
  g_autoptr (GApplication) app = g_application_new ("org.rapport.Rapport.BackgroundTest",
                                                    G_APPLICATION_NON_UNIQUE);
  g_autoptr (RapportBackground) background = NULL;
  g_autofree char *path = rapport_background_autostart_path ();
  g_autofree char *contents = NULL;
  g_autofree char *built_path = g_build_filename (g_getenv ("RAPPORT_BUILD_ROOT"), "data",
                                                  APPLICATION_ID "-autostart.desktop", NULL);
  g_autofree char *built = NULL;

  g_assert_true (g_str_has_prefix (path, g_get_user_config_dir ()));
  /* Starting with the setting off leaves an entry alone (another build's). */
  g_assert_true (rapport_background_set_autostart (TRUE, NULL));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  background = rapport_background_new (app, settings);
  g_assert_false (rapport_background_get_holding (background));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (rapport_background_set_autostart (FALSE, NULL));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_settings_set_boolean (settings, "run-in-background", TRUE);
  g_assert_true (rapport_background_get_holding (background));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Exec=rapport --background"));
  g_assert_nonnull (strstr (contents, "X-GNOME-Autostart-enabled=true"));
  /* A copy of the entry data/ builds, when there is one. */
  if (g_file_get_contents (built_path, &built, NULL, NULL))
    g_assert_cmpstr (contents, ==, built);

  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_assert_false (rapport_background_get_holding (background));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* GApplication leaves run() once nothing holds it; five main loop
 * iterations in a row after activate() show that something does. */
#define ITERATIONS 5

typedef struct
{
  GSettings *settings;
  guint iterations;
  guint iterations_at_shutdown;  /* run() drains idles after shutdown */
  gboolean timed_out;
} HoldState;

static gboolean
after_activate_cb (gpointer data)
{
  HoldState *state = data;

  if (++state->iterations < ITERATIONS)
    {
      g_idle_add (after_activate_cb, state);
      return G_SOURCE_REMOVE;
    }
  /* Turning the setting off releases the app, and run() returns. */
  g_settings_set_boolean (state->settings, "run-in-background", FALSE);
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app, gpointer data)
{
  g_idle_add (after_activate_cb, data);
}

static void
shutdown_cb (GApplication *app, gpointer data)
{
  HoldState *state = data;
  state->iterations_at_shutdown = state->iterations;
}

static gboolean
too_long_cb (gpointer data)
{
  HoldState *state = data;

  state->timed_out = TRUE;
  g_application_quit (g_application_get_default ());
  return G_SOURCE_REMOVE;
}

static void
test_hold_keeps_app_running (void)
{
  g_autoptr (GSettings) settings = fresh_settings (TRUE);
  g_autoptr (GApplication) app = g_application_new ("org.rapport.Rapport.BackgroundTest",
                                                    G_APPLICATION_NON_UNIQUE);
  g_autoptr (RapportBackground) background = NULL;
  HoldState state = { settings, 0, 0, FALSE };
  guint guard;
  int status;

  background = rapport_background_new (app, settings);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &state);
  g_signal_connect (app, "shutdown", G_CALLBACK (shutdown_cb), &state);
  g_application_set_default (app);
  guard = g_timeout_add_seconds (5, too_long_cb, &state);
  status = g_application_run (app, 0, NULL);
  if (!state.timed_out)
    g_source_remove (guard);
  g_application_set_default (NULL);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (state.iterations_at_shutdown, ==, ITERATIONS);
  g_assert_false (state.timed_out);
  g_assert_false (rapport_background_get_holding (background));
}

static void
test_no_hold_when_off (void)
{
  g_autoptr (GSettings) settings = fresh_settings (FALSE);
  g_autoptr (GApplication) app = g_application_new ("org.rapport.Rapport.BackgroundTest",
                                                    G_APPLICATION_NON_UNIQUE);
  g_autoptr (RapportBackground) background = rapport_background_new (app, settings);
  HoldState state = { settings, 0, 0, FALSE };
  guint guard;

  /* Nothing holds the app: run() returns right after activate(). */
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &state);
  g_signal_connect (app, "shutdown", G_CALLBACK (shutdown_cb), &state);
  g_application_set_default (app);
  guard = g_timeout_add_seconds (5, too_long_cb, &state);
  g_assert_cmpint (g_application_run (app, 0, NULL), ==, 0);
  if (!state.timed_out)
    g_source_remove (guard);
  g_application_set_default (NULL);
  g_assert_cmpuint (state.iterations_at_shutdown, ==, 0);
  g_assert_false (state.timed_out);
  /* Drop the idle left behind, so the next test starts clean. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int argc, char **argv)
{
  g_autoptr (GTestDBus) bus = NULL;
  g_autofree char *config = rapport_test_tmpdir ();
  int status;

  /* Before anything asks GLib for the config folder. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_test_add_func ("/background/autostart", test_autostart_follows_setting);
  g_test_add_func ("/background/hold", test_hold_keeps_app_running);
  g_test_add_func ("/background/no-hold", test_no_hold_when_off);
  status = g_test_run ();

  g_test_dbus_down (bus);
  {
    g_autofree char *autostart = g_build_filename (config, "autostart", NULL);
    g_rmdir (autostart);
    g_rmdir (config);
  }
  return status;
}
