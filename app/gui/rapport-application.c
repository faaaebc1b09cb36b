/* rapport-application.c: the Rapport desktop application */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-application.h"
#include "rapport-background.h"
#include "rapport-backup.h"
#include "rapport-export-ui.h"
#include "rapport-format.h"
#include "rapport-notifier.h"
#include "rapport-preferences-window.h"
#include "rapport-sync-manager.h"
#include "rapport-window.h"

struct _RapportApplication
{
  AdwApplication parent_instance;

  RapportStore *store;
  char *db_path;            /* --db */
  gboolean background;      /* --background */
  gboolean held;
  gboolean activated_once;
  RapportNotifier *notifier;        /* reminders (rapport-notifier.c) */
  gboolean notifier_started;
  guint notifier_start_id;
  RapportBackground *run_in_background;
  RapportSyncManager *sync;         /* team sync (rapport-sync-manager.c) */
  gboolean restoring;               /* a backup replaces the store: no store meanwhile */
};

G_DEFINE_FINAL_TYPE (RapportApplication, rapport_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the store in FILE instead of the default place"), N_("FILE") },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start without a window, to show reminders"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
  { NULL }
};

/* Set by rapport_application_choose_renderer(), for startup to tidy up. */
static gboolean renderer_chosen;

static void
show_store_error (RapportApplication *self, const GError *error)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("Could Not Open Your Store"),
                                                       error->message));
  adw_message_dialog_add_response (dialog, "quit", _("_Quit"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (g_application_quit), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RapportApplication *self = user_data;
  g_autoptr (GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Close windows first so they save their state. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  if (self->held)
    {
      self->held = FALSE;
      g_application_release (G_APPLICATION (self));
    }
  g_application_quit (G_APPLICATION (self));
}

static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RapportApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  RapportPreferencesWindow *prefs;

  if (self->store == NULL)
    return;
  prefs = rapport_preferences_window_new (parent, self->store);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RapportApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Rapport developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Rapport"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Rapport developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Nurture every customer relationship, together"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
open_contact_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RapportApplication *self = user_data;
  GtkWindow *window;

  if (self->store == NULL)
    return;
  window = rapport_application_present_main_window (self);
  gtk_widget_activate_action (GTK_WIDGET (window), "window.show-contact", "s",
                              g_variant_get_string (parameter, NULL));
}

static void
show_today_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RapportApplication *self = user_data;
  GtkWindow *window;

  if (self->store == NULL)
    return;
  window = rapport_application_present_main_window (self);
  gtk_widget_activate_action (GTK_WIDGET (window), "window.show-view", "s", "today");
}

static void restore_backup_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
  /* Used by notifications (rapport-notifier.c). */
  { "open-contact", open_contact_activated, "s" },
  { "show-today", show_today_activated },
  /* Window's "Restore From Backup…" (rapport-export-ui.c), after a file chooser. */
  { "restore-backup", restore_backup_activated, "s" },
};

/* Keyboard shortcuts, listed again in ui/gtk/help-overlay.ui. */
static const struct
{
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
};

static int
rapport_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  RapportApplication *self = RAPPORT_APPLICATION (app);
  g_autoptr (GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("rapport %s\n", PACKAGE_VERSION);
      return 0;
    }
  g_variant_dict_lookup (options, "db", "^ay", &self->db_path);
  self->background = g_variant_dict_contains (options, "background");

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  /* A second "rapport --background" has nothing to do: the first runs. */
  if (g_application_get_is_remote (app) && self->background)
    return 0;
  return -1;
}

static void
rapport_application_startup (GApplication *app)
{
  RapportApplication *self = RAPPORT_APPLICATION (app);

  G_APPLICATION_CLASS (rapport_application_parent_class)->startup (app);
  /* GDK has read it at init; programs started from here (a mail client for
   * a mailto: link) must not inherit it. */
  if (renderer_chosen)
    g_unsetenv ("GDK_DEBUG");

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

/* The longest a window's start delays the reminders' first look. */
#define NOTIFIER_START_DELAY_S 2

static void
start_notifier (RapportApplication *self)
{
  g_clear_handle_id (&self->notifier_start_id, g_source_remove);
  if (self->notifier == NULL || self->notifier_started)
    return;
  self->notifier_started = TRUE;
  rapport_notifier_start (self->notifier);
}

static gboolean
start_notifier_cb (gpointer user_data)
{
  RapportApplication *self = user_data;

  self->notifier_start_id = 0;
  start_notifier (self);
  return G_SOURCE_REMOVE;
}

static void start_services (RapportApplication *self, gboolean first);

static void
rapport_application_activate (GApplication *app)
{
  RapportApplication *self = RAPPORT_APPLICATION (app);
  g_autoptr (GError) error = NULL;
  gboolean first = !self->activated_once;

  self->activated_once = TRUE;
  if (self->store == NULL && !rapport_application_open_store (self, self->db_path, &error))
    {
      show_store_error (self, error);
      return;
    }
  start_services (self, first);
  if (first && self->background)
    {
      /* No window: stay alive for reminders until asked to quit. */
      if (!self->held)
        {
          self->held = TRUE;
          g_application_hold (app);
        }
      return;
    }
  rapport_application_present_main_window (self);
}

/* What runs on the open store besides windows: reminders' notifications
 * and team sync. */
static void
start_services (RapportApplication *self, gboolean first)
{
  GApplication *app = G_APPLICATION (self);

  if (self->run_in_background == NULL)
    self->run_in_background = rapport_background_new (app, NULL);
  if (self->notifier == NULL)
    {
      self->notifier = rapport_notifier_new (app, self->store, NULL);
      /* Its first look at every reminder waits for the window's first
       * paint of its list (tens of milliseconds on a big store), or two
       * seconds at most; without a window it looks at once. */
      if (first && self->background)
        start_notifier (self);
      else
        self->notifier_start_id = g_timeout_add_seconds (NOTIFIER_START_DELAY_S,
                                                         start_notifier_cb, self);
    }
  if (self->sync == NULL)
    {
      /* Team sync: when a server and a user are set, restores the session
       * from the keyring and syncs in the background. */
      self->sync = rapport_sync_manager_new (self->store, rapport_settings_get ());
      rapport_sync_manager_start (self->sync);
    }
}

static void
stop_services (RapportApplication *self)
{
  g_clear_handle_id (&self->notifier_start_id, g_source_remove);
  g_clear_object (&self->notifier);
  self->notifier_started = FALSE;
  if (self->sync != NULL)
    g_object_run_dispose (G_OBJECT (self->sync));
  g_clear_object (&self->sync);
}

/* Restoring a backup --------------------------------------------------------
 * The store is replaced while nothing of Rapport has it open: the windows
 * are closed and the services stopped, and once the store's last reference
 * is gone (its connections closed) rapport_store_restore_backup() runs in a
 * thread, a small window saying so meanwhile. Then the store (restored, or
 * as it was if the restore was refused) is opened again with a new window. */

/* The longest the store's last references may take to go (a thread
 * finishing a read); then the restore is tried anyway and refuses if the
 * store is still open. */
#define RESTORE_CLOSE_WAIT_S 10

typedef struct
{
  RapportApplication *self;   /* held */
  char *backup;
  GtkWindow *progress;
  RapportStore *store;        /* not a reference: the store until it goes */
  guint wait_id;
  gboolean started;
  RapportRestoreInfo info;
} Restore;

static void
restore_free (Restore *restore)
{
  g_clear_handle_id (&restore->wait_id, g_source_remove);
  if (restore->progress != NULL)
    gtk_window_destroy (restore->progress);
  g_application_release (G_APPLICATION (restore->self));
  g_object_unref (restore->self);
  g_free (restore->backup);
  rapport_restore_info_clear (&restore->info);
  g_free (restore);
}

static void
restore_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Restore *restore = task_data;
  g_autoptr (GError) error = NULL;

  if (!rapport_store_restore_backup (restore->self->db_path, restore->backup, &restore->info, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
restore_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RapportApplication *self = RAPPORT_APPLICATION (source);
  Restore *restore = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) open_error = NULL;
  gboolean restored = g_task_propagate_boolean (G_TASK (result), &error);
  GtkWindow *window;

  self->restoring = FALSE;
  if (!rapport_application_open_store (self, self->db_path, &open_error))
    {
      show_store_error (self, open_error);
      return;
    }
  start_services (self, FALSE);
  window = rapport_application_present_main_window (self);
  if (restored)
    {
      g_autofree char *message = g_strdup_printf (ngettext ("Restored %'d contact from the backup",
                                                            "Restored %'d contacts from the backup",
                                                            (gulong) restore->info.contacts),
                                                  (int) restore->info.contacts);
      AdwToast *toast = adw_toast_new (message);

      adw_toast_set_timeout (toast, 10);
      rapport_window_add_toast (RAPPORT_WINDOW (window), toast);
    }
  else
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Could Not Restore"),
                                                                             error->message));

      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
restore_start (Restore *restore)
{
  g_autoptr (GTask) task = NULL;

  if (restore->started)
    return;
  restore->started = TRUE;
  g_clear_handle_id (&restore->wait_id, g_source_remove);
  task = g_task_new (restore->self, NULL, restore_done_cb, NULL);
  g_task_set_source_tag (task, restore_start);
  g_task_set_task_data (task, restore, (GDestroyNotify) restore_free);
  g_task_run_in_thread (task, restore_thread);
}

static void
store_gone_cb (gpointer data)
{
  Restore *restore = data;

  restore->wait_id = 0;
  restore_start (restore);
}

static void
store_closed_cb (gpointer data, GObject *where_the_store_was)
{
  Restore *restore = data;

  restore->store = NULL;
  /* From an idle: the store may go in the middle of something. */
  g_clear_handle_id (&restore->wait_id, g_source_remove);
  restore->wait_id = g_idle_add_once (store_gone_cb, restore);
}

static gboolean
store_close_waited_cb (gpointer data)
{
  Restore *restore = data;

  restore->wait_id = 0;
  /* Told no more when it goes at last: the restore will be over. */
  g_object_weak_unref (G_OBJECT (restore->store), store_closed_cb, restore);
  restore->store = NULL;
  g_warning ("The store was still referenced %d s after its windows closed; restoring anyway",
             RESTORE_CLOSE_WAIT_S);
  restore_start (restore);
  return G_SOURCE_REMOVE;
}

static GtkWindow *
progress_window_new (RapportApplication *self)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *spinner = gtk_spinner_new ();

  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Restoring From Backup"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page), _("Rapport opens again when it is done."));
  adw_status_page_set_child (ADW_STATUS_PAGE (page), spinner);
  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_set_title (GTK_WINDOW (window), _("Restoring From Backup"));
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 320);
  gtk_window_set_deletable (GTK_WINDOW (window), FALSE);
  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (self));
  return GTK_WINDOW (window);
}

/**
 * rapport_application_restore_backup:
 * @backup: the file to restore (rapport_store_restore_backup())
 *
 * Closes Rapport's windows and store, restores @backup in a thread, and
 * opens the store again in a new window, which says how it went.
 */
void
rapport_application_restore_backup (RapportApplication *self, const char *backup)
{
  GList *windows = NULL;
  GListModel *toplevels;
  Restore *restore;
  RapportStore *store;

  g_return_if_fail (RAPPORT_IS_APPLICATION (self));
  g_return_if_fail (backup != NULL);

  if (self->restoring || self->store == NULL)
    return;
  self->restoring = TRUE;
  restore = g_new0 (Restore, 1);
  restore->self = g_object_ref (self);
  restore->backup = g_strdup (backup);
  g_application_hold (G_APPLICATION (self));
  restore->progress = progress_window_new (self);
  gtk_window_present (restore->progress);
  /* Every window, the dialogs not attached to the application too: closed,
   * so the main window saves its size and view, then destroyed, so windows
   * that hide on close let go of the store as well. */
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window != restore->progress)
        windows = g_list_prepend (windows, g_steal_pointer (&window));
    }
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free_full (g_steal_pointer (&windows), g_object_unref);
  stop_services (self);
  store = g_steal_pointer (&self->store);
  restore->store = store;
  g_object_weak_ref (G_OBJECT (store), store_closed_cb, restore);
  restore->wait_id = g_timeout_add_seconds (RESTORE_CLOSE_WAIT_S, store_close_waited_cb, restore);
  g_object_unref (store);
}

typedef struct
{
  RapportApplication *self;
  char *backup;
} RestoreRequest;

static gboolean
restore_requested_cb (gpointer data)
{
  RestoreRequest *request = data;

  rapport_application_restore_backup (request->self, request->backup);
  g_application_release (G_APPLICATION (request->self));
  g_object_unref (request->self);
  g_free (request->backup);
  g_free (request);
  return G_SOURCE_REMOVE;
}

static void
restore_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  RapportApplication *self = user_data;
  RestoreRequest *request;

  if (!g_str_equal (response, "restore"))
    return;
  /* Once the dialog is gone: the windows it belongs to close then. */
  request = g_new0 (RestoreRequest, 1);
  request->self = g_object_ref (self);
  request->backup = g_strdup (g_object_get_data (G_OBJECT (dialog), "backup"));
  g_application_hold (G_APPLICATION (self));
  g_idle_add (restore_requested_cb, request);
}

/* app.restore-backup("FILE"): asks first. */
static void
restore_backup_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RapportApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *backup = g_variant_get_string (parameter, NULL);
  g_autofree char *name = g_filename_display_basename (backup);
  g_autofree char *store_path = self->db_path ? g_strdup (self->db_path) : rapport_store_default_path ();
  g_autofree char *store_dir = g_path_get_dirname (store_path);
  g_autofree char *folder = g_filename_display_name (store_dir);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (self->store == NULL || self->restoring)
    return;
  if (parent == NULL)
    parent = rapport_application_present_main_window (self);
  body = g_strdup_printf (_("Everything Rapport holds is replaced by what “%s” holds. What it holds now "
                            "is kept in %s, so restoring that copy undoes this. Changes synced since "
                            "the backup come back with the next sync."),
                          name, folder);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Restore From This Backup?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "restore", _("_Restore"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "backup", g_strdup (backup), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (restore_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Files opened with Rapport (from the file manager, or "rapport FILE"):
 * Rapport starts as usual, then each file gets an import dialog. */
static void
rapport_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  RapportApplication *self = RAPPORT_APPLICATION (app);
  GtkWindow *window;

  g_application_activate (app);
  if (self->store == NULL)
    return;
  window = rapport_application_present_main_window (self);
  for (int i = 0; i < n_files; i++)
    rapport_window_import_file (RAPPORT_WINDOW (window), files[i]);
}

static void
rapport_application_shutdown (GApplication *app)
{
  RapportApplication *self = RAPPORT_APPLICATION (app);

  stop_services (self);
  g_clear_object (&self->run_in_background);
  G_APPLICATION_CLASS (rapport_application_parent_class)->shutdown (app);
  g_clear_object (&self->store);
}

static void
rapport_application_finalize (GObject *object)
{
  RapportApplication *self = RAPPORT_APPLICATION (object);

  g_clear_object (&self->store);
  g_free (self->db_path);
  G_OBJECT_CLASS (rapport_application_parent_class)->finalize (object);
}

static void
rapport_application_class_init (RapportApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rapport_application_finalize;
  app_class->handle_local_options = rapport_application_handle_local_options;
  app_class->startup = rapport_application_startup;
  app_class->activate = rapport_application_activate;
  app_class->open = rapport_application_open;
  app_class->shutdown = rapport_application_shutdown;
}

static void
rapport_application_init (RapportApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Rapport keeps every relationship of your company "
                                              "in one place."));
}

/**
 * rapport_application_choose_renderer:
 *
 * Rapport draws lists of text, which GTK 4.8's cairo renderer draws as well
 * as its OpenGL one; OpenGL costs about 55 MB of memory and 200 ms at start
 * (the driver and, on software rendering, LLVM are loaded when the display
 * opens, whatever the renderer). So Rapport starts without it, unless the
 * person or the session chose otherwise through GSK_RENDERER or GDK_DEBUG.
 * Call before GTK is initialized, while the program has a single thread.
 */
void
rapport_application_choose_renderer (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL || g_getenv ("GDK_DEBUG") != NULL)
    return;
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  renderer_chosen = TRUE;
}

/**
 * rapport_application_launch_context:
 * @widget: (nullable): where the launch comes from
 *
 * GSK_RENDERER and GDK_DEBUG as set by rapport_application_choose_renderer()
 * are for Rapport only: GTK keeps the renderer it chose from them, and a
 * mail client or browser started from Rapport must not draw with cairo.
 * The context leaves them out of the started program's environment.
 *
 * Returns: (transfer full): the context
 */
GAppLaunchContext *
rapport_application_launch_context (GtkWidget *widget)
{
  GdkDisplay *display = widget != NULL ? gtk_widget_get_display (widget)
                                       : gdk_display_get_default ();
  GAppLaunchContext *context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (display));

  if (renderer_chosen)
    {
      g_app_launch_context_unsetenv (context, "GSK_RENDERER");
      g_app_launch_context_unsetenv (context, "GDK_DEBUG");
    }
  return context;
}

static void
launched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = user_data;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_message ("Could not open %s: %s", uri, error->message);
}

void
rapport_application_show_uri (GtkWidget *widget, const char *uri)
{
  g_autoptr (GAppLaunchContext) context = NULL;

  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));
  g_return_if_fail (uri != NULL);

  context = rapport_application_launch_context (widget);
  g_app_info_launch_default_for_uri_async (uri, context, NULL, launched_cb, g_strdup (uri));
}

RapportApplication *
rapport_application_new (void)
{
  return g_object_new (RAPPORT_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

RapportStore *
rapport_application_get_store (RapportApplication *self)
{
  g_return_val_if_fail (RAPPORT_IS_APPLICATION (self), NULL);
  return self->store;
}

gboolean
rapport_application_open_store (RapportApplication *self, const char *path, GError **error)
{
  g_autofree char *default_path = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (RAPPORT_IS_APPLICATION (self), FALSE);

  if (self->store != NULL)
    return TRUE;
  if (path == NULL)
    path = default_path = rapport_store_default_path ();
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO,
                   _("Could not create the folder %s for your store. "
                     "Check its permissions, or choose another file with --db"), dir);
      return FALSE;
    }
  self->store = rapport_store_open (path, error);
  if (self->store == NULL)
    return FALSE;
  rapport_profile_mark ("store-open");
  return TRUE;
}

gboolean
rapport_application_get_background (RapportApplication *self)
{
  g_return_val_if_fail (RAPPORT_IS_APPLICATION (self), FALSE);
  return self->background;
}

/**
 * rapport_application_present_main_window:
 *
 * Returns: (transfer none): the main window, made if needed and presented.
 */
GtkWindow *
rapport_application_present_main_window (RapportApplication *self)
{
  GtkWindow *window = NULL;

  g_return_val_if_fail (RAPPORT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (RAPPORT_IS_WINDOW (l->data))
      window = l->data;
  if (window == NULL)
    window = GTK_WINDOW (rapport_window_new (self, self->store));
  gtk_window_present (window);
  return window;
}

/**
 * rapport_application_get_sync_manager:
 *
 * Returns: (nullable) (transfer none): the team sync of the open store,
 *   %NULL before activation.
 */
RapportSyncManager *
rapport_application_get_sync_manager (RapportApplication *self)
{
  g_return_val_if_fail (RAPPORT_IS_APPLICATION (self), NULL);
  return self->sync;
}

void
rapport_application_window_ready (RapportApplication *self)
{
  g_return_if_fail (RAPPORT_IS_APPLICATION (self));

  if (self->notifier != NULL && !self->notifier_started && self->notifier_start_id != 0)
    {
      g_source_remove (self->notifier_start_id);
      self->notifier_start_id = g_idle_add_full (G_PRIORITY_LOW, start_notifier_cb, self, NULL);
    }
}
