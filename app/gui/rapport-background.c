/* rapport-background.c: "Run in background": stay alive, start at login */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-background"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rapport-background.h"

#define AUTOSTART_NAME APPLICATION_ID "-autostart.desktop"

/* Used when the installed entry cannot be found (a moved installation). */
static const char fallback_entry[] =
  "[Desktop Entry]\n"
  "Name=Rapport\n"
  "Exec=rapport --background\n"
  "Icon=" APPLICATION_ID "\n"
  "Terminal=false\n"
  "Type=Application\n"
  "NoDisplay=true\n"
  "X-GNOME-Autostart-enabled=true\n"
  "X-GNOME-UsesNotifications=true\n";

struct _RapportBackground
{
  GObject parent_instance;

  GApplication *app;   /* weak */
  GSettings *settings;
  gboolean holding;
};

G_DEFINE_FINAL_TYPE (RapportBackground, rapport_background, G_TYPE_OBJECT)

/* The entry data/ installs into PKGDATADIR, or the one built in the build
 * tree when running uninstalled. */
static char *
find_installed_entry (void)
{
  const char *build_root = g_getenv ("RAPPORT_BUILD_ROOT");
  g_autofree char *installed = g_build_filename (PKGDATADIR, AUTOSTART_NAME, NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);
  if (build_root != NULL)
    {
      g_autofree char *built = g_build_filename (build_root, "data", AUTOSTART_NAME, NULL);
      if (g_file_test (built, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&built);
    }
  return NULL;
}

char *
rapport_background_autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", AUTOSTART_NAME, NULL);
}

gboolean
rapport_background_set_autostart (gboolean enabled, GError **error)
{
  g_autofree char *path = rapport_background_autostart_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *source = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!enabled)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not remove %s: %s. Delete it to stop Rapport starting at login"),
                       path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  source = find_installed_entry ();
  if (source == NULL || !g_file_get_contents (source, &contents, &length, NULL))
    {
      g_clear_pointer (&contents, g_free);
      contents = g_strdup (fallback_entry);
      length = strlen (contents);
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s. Check its permissions so that Rapport can "
                     "start at login"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  if (!g_file_set_contents (path, contents, (gssize) length, error))
    {
      g_prefix_error (error, _("Rapport cannot start at login: "));
      return FALSE;
    }
  return TRUE;
}

/* At start only a missing entry is put back; it is removed when the user
 * turns the setting off, not because some process starts with it off. */
static void
apply (RapportBackground *self, gboolean changed)
{
  g_autoptr (GError) error = NULL;
  gboolean enabled = g_settings_get_boolean (self->settings, "run-in-background");

  if (enabled && !self->holding && self->app != NULL)
    {
      g_application_hold (self->app);
      self->holding = TRUE;
    }
  else if (!enabled && self->holding)
    {
      self->holding = FALSE;
      if (self->app != NULL)
        g_application_release (self->app);
    }
  if ((enabled || changed) && !rapport_background_set_autostart (enabled, &error))
    g_warning ("%s", error->message);
}

static void
setting_changed_cb (GSettings *settings, const char *key, gpointer user_data)
{
  apply (user_data, TRUE);
}

static void
rapport_background_dispose (GObject *object)
{
  RapportBackground *self = RAPPORT_BACKGROUND (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->holding && self->app != NULL)
    g_application_release (self->app);
  self->holding = FALSE;
  g_clear_weak_pointer (&self->app);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rapport_background_parent_class)->dispose (object);
}

static void
rapport_background_class_init (RapportBackgroundClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rapport_background_dispose;
}

static void
rapport_background_init (RapportBackground *self)
{
}

RapportBackground *
rapport_background_new (GApplication *app, GSettings *settings)
{
  RapportBackground *self;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RAPPORT_TYPE_BACKGROUND, NULL);
  g_set_weak_pointer (&self->app, app);
  self->settings = settings ? g_object_ref (settings) : g_settings_new (BASE_ID);
  g_signal_connect (self->settings, "changed::run-in-background",
                    G_CALLBACK (setting_changed_cb), self);
  apply (self, FALSE);
  return self;
}

gboolean
rapport_background_get_holding (RapportBackground *self)
{
  g_return_val_if_fail (RAPPORT_IS_BACKGROUND (self), FALSE);
  return self->holding;
}
