/* rapport-sync-preferences.c: the Sync group of Preferences */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-format.h"
#include "rapport-sync-preferences.h"

struct _RapportSyncPreferences
{
  AdwPreferencesGroup parent_instance;

  AdwEntryRow *server_row;
  AdwEntryRow *user_row;
  AdwEntryRow *password_row;
  AdwActionRow *account_row;
  GtkSpinner *spinner;
  GtkWidget *sign_in_button;
  GtkWidget *sign_out_button;
  GtkLabel *error_label;

  RapportSyncManager *manager;
  RapportSyncScheduler *scheduler;  /* the manager's, once made */
  GCancellable *cancellable;
  char *error;                      /* of the last sign-in or sign-out */
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (RapportSyncPreferences, rapport_sync_preferences, ADW_TYPE_PREFERENCES_GROUP)

static void
set_entry_text (AdwEntryRow *row, const char *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static char *
account_subtitle (RapportSyncPreferences *self, gboolean signed_in)
{
  gint64 last = rapport_sync_manager_get_last_synced (self->manager);
  const char *server = rapport_sync_manager_get_server_url (self->manager);

  if (!signed_in)
    return g_strdup (_("The password is sent only to the server; this computer keeps a session "
                       "in your keyring"));
  if (last > 0)
    {
      g_autofree char *when = rapport_format_time (last, g_get_real_time () / G_USEC_PER_SEC);
      /* Translators: "on SERVER, last synced WHEN" */
      return g_strdup_printf (_("On %s, last synced %s"), server, when);
    }
  return g_strdup_printf (_("On %s, not synced yet"), server);
}

static void
update (RapportSyncPreferences *self)
{
  gboolean signed_in = rapport_sync_manager_get_signed_in (self->manager);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = account_subtitle (self, signed_in);
  const char *error = self->error;

  if (signed_in)
    {
      g_autofree char *name = rapport_sync_manager_dup_display_name (self->manager);
      const char *user = rapport_sync_manager_get_user (self->manager);

      if (name != NULL && g_strcmp0 (name, user) != 0)
        /* Translators: "Signed in as Maria Schmidt (maria)" */
        title = g_strdup_printf (_("Signed in as %s (%s)"), name, user);
      else
        title = g_strdup_printf (_("Signed in as %s"), name ? name : user);
      set_entry_text (self->server_row, rapport_sync_manager_get_server_url (self->manager));
      set_entry_text (self->user_row, user);
    }
  else
    title = g_strdup (_("Not signed in"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), title);
  adw_action_row_set_subtitle (self->account_row, subtitle);

  /* Signed in, the account row says where and as whom. */
  gtk_widget_set_visible (GTK_WIDGET (self->server_row), !signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->user_row), !signed_in);
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->user_row), !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !signed_in);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !self->busy);
  gtk_widget_set_visible (self->sign_in_button, !signed_in);
  gtk_widget_set_visible (self->sign_out_button, signed_in);
  gtk_widget_set_sensitive (self->sign_in_button, !self->busy);
  gtk_widget_set_sensitive (self->sign_out_button, !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);

  /* A sync that stopped (the session ended, the server refused this
   * computer's clock) says so here too. */
  if (error == NULL && self->scheduler != NULL && rapport_sync_manager_get_active (self->manager)
      && rapport_sync_scheduler_get_status (self->scheduler) == RAPPORT_SYNC_STATUS_ERROR)
    error = rapport_sync_scheduler_get_message (self->scheduler);
  gtk_label_set_text (self->error_label, error ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL && *error != '\0');
}

static void
set_error (RapportSyncPreferences *self, const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
}

static void
watch_scheduler (RapportSyncPreferences *self)
{
  RapportSyncScheduler *scheduler = rapport_sync_manager_get_scheduler (self->manager);

  if (scheduler == self->scheduler)
    return;
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_set_object (&self->scheduler, scheduler);
  if (scheduler != NULL)
    {
      g_signal_connect_object (scheduler, "notify::status", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (scheduler, "notify::message", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
manager_notify_cb (RapportSyncPreferences *self)
{
  watch_scheduler (self);
  update (self);
}

static void
sign_in_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportSyncPreferences) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!rapport_sync_manager_sign_in_finish (RAPPORT_SYNC_MANAGER (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_error (self, error->message);
    }
  else
    set_entry_text (self->password_row, "");
  self->busy = FALSE;
  update (self);
}

static void
sign_in_cb (RapportSyncPreferences *self)
{
  g_autofree char *password = NULL;

  if (self->busy || rapport_sync_manager_get_signed_in (self->manager))
    return;
  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  set_error (self, NULL);
  self->busy = TRUE;
  update (self);
  rapport_sync_manager_sign_in_async (self->manager,
                                      gtk_editable_get_text (GTK_EDITABLE (self->server_row)),
                                      gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
                                      password, self->cancellable, sign_in_done_cb,
                                      g_object_ref (self));
  memset (password, 0, strlen (password));
}

static void
sign_out_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RapportSyncPreferences) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!rapport_sync_manager_sign_out_finish (RAPPORT_SYNC_MANAGER (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_error (self, error->message);
    }
  self->busy = FALSE;
  update (self);
}

static void
sign_out_cb (RapportSyncPreferences *self)
{
  if (self->busy)
    return;
  set_error (self, NULL);
  self->busy = TRUE;
  update (self);
  rapport_sync_manager_sign_out_async (self->manager, self->cancellable, sign_out_done_cb,
                                       g_object_ref (self));
}

/* GObject -------------------------------------------------------------------- */

static void
rapport_sync_preferences_dispose (GObject *object)
{
  RapportSyncPreferences *self = RAPPORT_SYNC_PREFERENCES (object);

  g_cancellable_cancel (self->cancellable);
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->manager);
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_SYNC_PREFERENCES);
  G_OBJECT_CLASS (rapport_sync_preferences_parent_class)->dispose (object);
}

static void
rapport_sync_preferences_finalize (GObject *object)
{
  RapportSyncPreferences *self = RAPPORT_SYNC_PREFERENCES (object);

  g_clear_object (&self->cancellable);
  g_free (self->error);
  G_OBJECT_CLASS (rapport_sync_preferences_parent_class)->finalize (object);
}

static void
rapport_sync_preferences_class_init (RapportSyncPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_sync_preferences_dispose;
  object_class->finalize = rapport_sync_preferences_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-sync-preferences.ui");
#define CHILD(name) \
  gtk_widget_class_bind_template_child (widget_class, RapportSyncPreferences, name)
  CHILD (server_row);
  CHILD (user_row);
  CHILD (password_row);
  CHILD (account_row);
  CHILD (spinner);
  CHILD (sign_in_button);
  CHILD (sign_out_button);
  CHILD (error_label);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_cb);
}

static void
rapport_sync_preferences_init (RapportSyncPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* Public API ------------------------------------------------------------------ */

RapportSyncPreferences *
rapport_sync_preferences_new (RapportSyncManager *manager)
{
  RapportSyncPreferences *self;

  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (manager), NULL);

  self = g_object_new (RAPPORT_TYPE_SYNC_PREFERENCES, NULL);
  self->manager = g_object_ref (manager);
  set_entry_text (self->server_row, rapport_sync_manager_get_server_url (manager));
  set_entry_text (self->user_row, rapport_sync_manager_get_user (manager));
  g_signal_connect_object (manager, "notify", G_CALLBACK (manager_notify_cb), self,
                           G_CONNECT_SWAPPED);
  manager_notify_cb (self);
  return self;
}

const char *
rapport_sync_preferences_get_error (RapportSyncPreferences *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_PREFERENCES (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_text (self->error_label)
           : NULL;
}

gboolean
rapport_sync_preferences_get_busy (RapportSyncPreferences *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_PREFERENCES (self), FALSE);
  return self->busy;
}
