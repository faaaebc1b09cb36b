/* test-reminder-preferences.c: the Reminders preferences group and its settings */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "rapport-reminder-preferences.h"

static gboolean have_display;

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (BASE_ID);
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

static gpointer
child (GtkWidget *prefs, const char *name)
{
  GObject *object = gtk_widget_get_template_child (prefs, RAPPORT_TYPE_REMINDER_PREFERENCES, name);

  g_assert_nonnull (object);
  return object;
}

static void
test_switches (void)
{
  g_autoptr (GSettings) settings = NULL;
  GtkWidget *prefs;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }
  settings = fresh_settings ();
  prefs = g_object_ref_sink (rapport_reminder_preferences_new (settings));

  /* Defaults from the schema show. */
  g_assert_false (gtk_switch_get_active (child (prefs, "background_switch")));
  g_assert_true (gtk_switch_get_active (child (prefs, "working_days_switch")));
  g_assert_false (adw_expander_row_get_enable_expansion (child (prefs, "quiet_hours_row")));

  /* The controls write the settings ... */
  gtk_switch_set_active (child (prefs, "background_switch"), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  adw_expander_row_set_enable_expansion (child (prefs, "quiet_hours_row"), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "quiet-hours-enabled"));
  adw_expander_row_set_enable_expansion (child (prefs, "digest_row"), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "daily-digest-enabled"));

  /* ... and follow them. */
  g_settings_set_boolean (settings, "working-days-only", FALSE);
  g_assert_false (gtk_switch_get_active (child (prefs, "working_days_switch")));

  g_object_unref (prefs);
}

static void
test_times (void)
{
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *start = NULL;
  GtkSpinButton *spin;
  GtkWidget *prefs;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }
  settings = fresh_settings ();
  prefs = g_object_ref_sink (rapport_reminder_preferences_new (settings));

  /* "18:00" in the settings is 18 * 60 minutes, shown as 18:00. */
  spin = child (prefs, "quiet_start_spin");
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 18 * 60);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "18:00");
  g_assert_cmpfloat (gtk_spin_button_get_value (child (prefs, "quiet_end_spin")), ==, 8 * 60);
  g_assert_cmpfloat (gtk_spin_button_get_value (child (prefs, "digest_spin")), ==, 8 * 60 + 30);

  /* Spinning writes "HH:MM". */
  gtk_spin_button_set_value (spin, 22 * 60 + 15);
  start = g_settings_get_string (settings, "quiet-hours-start");
  g_assert_cmpstr (start, ==, "22:15");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "22:15");

  /* Typing a time is read back as minutes. */
  gtk_editable_set_text (GTK_EDITABLE (child (prefs, "digest_spin")), "07:45");
  gtk_spin_button_update (child (prefs, "digest_spin"));
  g_clear_pointer (&start, g_free);
  start = g_settings_get_string (settings, "daily-digest-time");
  g_assert_cmpstr (start, ==, "07:45");

  /* A change elsewhere shows. */
  g_settings_set_string (settings, "quiet-hours-end", "06:30");
  g_assert_cmpfloat (gtk_spin_button_get_value (child (prefs, "quiet_end_spin")), ==, 6 * 60 + 30);

  g_object_unref (prefs);
}

int
main (int argc, char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  /* meson runs this under dbus-run-session: no accessibility bus there. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_test_init (&argc, &argv, NULL);
  /* The ui suite runs under Xvfb; without a display the tests skip. */
  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add_func ("/reminder-preferences/switches", test_switches);
  g_test_add_func ("/reminder-preferences/times", test_times);
  return g_test_run ();
}
