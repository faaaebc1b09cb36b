/* rapport-preferences-window.c: Preferences: identity, cadences, reminders, sync, data */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-application.h"
#include "rapport-first-run-dialog.h"
#include "rapport-format.h"
#include "rapport-preferences-window.h"
#include "rapport-reminder-preferences.h"
#include "rapport-sync-preferences.h"

struct _RapportPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwPreferencesPage *page;
  AdwPreferencesGroup *identity_group;
  AdwEntryRow *name_row;
  AdwEntryRow *department_row;
  AdwPreferencesGroup *cadence_group;
  GtkSpinButton *customer_spin;
  GtkSpinButton *prospect_spin;
  GtkSpinButton *partner_spin;
  GtkSpinButton *former_spin;
  AdwPreferencesGroup *data_group;
  AdwActionRow *location_row;

  RapportStore *store;
};

G_DEFINE_FINAL_TYPE (RapportPreferencesWindow, rapport_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
identity_apply_cb (RapportPreferencesWindow *self)
{
  g_autofree char *name = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_autofree char *department = rapport_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->department_row)));
  g_autoptr (GError) error = NULL;

  if (name == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Your name cannot be empty")));
      return;
    }
  if (!rapport_save_identity (self->store, name, department, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
  else
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Saved")));
}

static void
open_folder_cb (RapportPreferencesWindow *self)
{
  g_autofree char *dir = g_path_get_dirname (rapport_store_get_path (self->store));
  g_autofree char *uri = g_filename_to_uri (dir, NULL, NULL);

  if (uri != NULL)
    rapport_application_show_uri (GTK_WIDGET (self), uri);
}

static void
bind_cadences (RapportPreferencesWindow *self)
{
  GSettings *settings = rapport_settings_get ();
  const struct { const char *key; GtkSpinButton *spin; } keys[] = {
    { "default-cadence-customer", self->customer_spin },
    { "default-cadence-prospect", self->prospect_spin },
    { "default-cadence-partner", self->partner_spin },
    { "default-cadence-former", self->former_spin },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (settings != NULL)
        g_settings_bind (settings, keys[i].key, keys[i].spin, "value", G_SETTINGS_BIND_DEFAULT);
      else
        gtk_widget_set_sensitive (GTK_WIDGET (keys[i].spin), FALSE);
    }
}

/* The place kept for issue 4: when reminders may interrupt. */
static void
add_reminders_section (RapportPreferencesWindow *self)
{
  if (rapport_settings_get () != NULL)
    adw_preferences_page_add (self->page,
                              ADW_PREFERENCES_GROUP (rapport_reminder_preferences_new (rapport_settings_get ())));
}

/* The place kept for issue 5: the team sync server and sign-in. Its group
 * goes here, between the reminders and "Data". */
static void
add_sync_section (RapportPreferencesWindow *self)
{
  GApplication *app = g_application_get_default ();
  RapportSyncManager *sync = NULL;

  if (RAPPORT_IS_APPLICATION (app))
    sync = rapport_application_get_sync_manager (RAPPORT_APPLICATION (app));
  if (sync != NULL && rapport_sync_manager_get_store (sync) == self->store)
    adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (rapport_sync_preferences_new (sync)));
}

static void
rapport_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (rapport_preferences_window_parent_class)->dispose (object);
}

static void
rapport_preferences_window_finalize (GObject *object)
{
  g_clear_object (&RAPPORT_PREFERENCES_WINDOW (object)->store);
  G_OBJECT_CLASS (rapport_preferences_window_parent_class)->finalize (object);
}

static void
rapport_preferences_window_class_init (RapportPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_preferences_window_dispose;
  object_class->finalize = rapport_preferences_window_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-preferences-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, RapportPreferencesWindow, name)
  CHILD (page);
  CHILD (identity_group);
  CHILD (name_row);
  CHILD (department_row);
  CHILD (cadence_group);
  CHILD (customer_spin);
  CHILD (prospect_spin);
  CHILD (partner_spin);
  CHILD (former_spin);
  CHILD (data_group);
  CHILD (location_row);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, identity_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_folder_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rapport_preferences_window_init (RapportPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RapportPreferencesWindow *
rapport_preferences_window_new (GtkWindow *parent, RapportStore *store)
{
  RapportPreferencesWindow *self;
  RapportUser *me;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  self = g_object_new (RAPPORT_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  me = rapport_store_get_me (store);
  if (me != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                             me->display_name ? me->display_name : (me->name ? me->name : ""));
      gtk_editable_set_text (GTK_EDITABLE (self->department_row),
                             me->department ? me->department : "");
    }
  bind_cadences (self);
  adw_action_row_set_subtitle (self->location_row, rapport_store_get_path (store));

  /* Data stays last: the later sections go in between. */
  g_object_ref (self->data_group);
  adw_preferences_page_remove (self->page, self->data_group);
  add_reminders_section (self);
  add_sync_section (self);
  adw_preferences_page_add (self->page, self->data_group);
  g_object_unref (self->data_group);
  return self;
}

AdwPreferencesPage *
rapport_preferences_window_get_page (RapportPreferencesWindow *self)
{
  g_return_val_if_fail (RAPPORT_IS_PREFERENCES_WINDOW (self), NULL);
  return self->page;
}
