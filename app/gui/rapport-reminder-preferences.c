/* rapport-reminder-preferences.c: the Reminders group of Preferences */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "rapport-reminder-preferences.h"
#include "rapport-reminders.h"

struct _RapportReminderPreferences
{
  AdwPreferencesGroup parent_instance;

  GSettings *settings;

  GtkSwitch *background_switch;
  GtkSwitch *working_days_switch;
  AdwExpanderRow *quiet_hours_row;
  GtkSpinButton *quiet_start_spin;
  GtkSpinButton *quiet_end_spin;
  AdwExpanderRow *digest_row;
  GtkSpinButton *digest_spin;
};

G_DEFINE_FINAL_TYPE (RapportReminderPreferences, rapport_reminder_preferences,
                     ADW_TYPE_PREFERENCES_GROUP)

/* Times of day are "HH:MM" strings in the settings and minutes in the spin
 * buttons, shown as "HH:MM". */

static gboolean
time_from_setting (GValue *value, GVariant *variant, gpointer user_data)
{
  int minutes;

  if (!rapport_quiet_parse_time (g_variant_get_string (variant, NULL), &minutes))
    return FALSE;
  g_value_set_double (value, minutes);
  return TRUE;
}

static GVariant *
time_to_setting (const GValue *value, const GVariantType *type, gpointer user_data)
{
  int minutes = CLAMP ((int) lround (g_value_get_double (value)), 0, 24 * 60 - 1);
  g_autofree char *text = rapport_quiet_format_time (minutes);

  return g_variant_new_string (text);
}

static gboolean
time_output_cb (GtkSpinButton *spin, gpointer user_data)
{
  int minutes = CLAMP ((int) lround (gtk_spin_button_get_value (spin)), 0, 24 * 60 - 1);
  g_autofree char *text = rapport_quiet_format_time (minutes);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
time_input_cb (GtkSpinButton *spin, double *new_value, gpointer user_data)
{
  int minutes;

  if (!rapport_quiet_parse_time (gtk_editable_get_text (GTK_EDITABLE (spin)), &minutes))
    return GTK_INPUT_ERROR;
  *new_value = minutes;
  return TRUE;
}

static void
bind_time (RapportReminderPreferences *self, const char *key, GtkSpinButton *spin)
{
  g_settings_bind_with_mapping (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT,
                                time_from_setting, time_to_setting, NULL, NULL);
}

static void
rapport_reminder_preferences_dispose (GObject *object)
{
  RapportReminderPreferences *self = RAPPORT_REMINDER_PREFERENCES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RAPPORT_TYPE_REMINDER_PREFERENCES);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rapport_reminder_preferences_parent_class)->dispose (object);
}

static void
rapport_reminder_preferences_class_init (RapportReminderPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_reminder_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-reminder-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportReminderPreferences, background_switch);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderPreferences, working_days_switch);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderPreferences, quiet_hours_row);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderPreferences, quiet_start_spin);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderPreferences, quiet_end_spin);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderPreferences, digest_row);
  gtk_widget_class_bind_template_child (widget_class, RapportReminderPreferences, digest_spin);
  gtk_widget_class_bind_template_callback (widget_class, time_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_input_cb);
}

static void
rapport_reminder_preferences_init (RapportReminderPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rapport_reminder_preferences_new (GSettings *settings)
{
  RapportReminderPreferences *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RAPPORT_TYPE_REMINDER_PREFERENCES, NULL);
  self->settings = settings ? g_object_ref (settings) : g_settings_new (BASE_ID);

  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "working-days-only", self->working_days_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "quiet-hours-enabled", self->quiet_hours_row,
                   "enable-expansion", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "daily-digest-enabled", self->digest_row, "enable-expansion",
                   G_SETTINGS_BIND_DEFAULT);
  bind_time (self, "quiet-hours-start", self->quiet_start_spin);
  bind_time (self, "quiet-hours-end", self->quiet_end_spin);
  bind_time (self, "daily-digest-time", self->digest_spin);
  return GTK_WIDGET (self);
}
