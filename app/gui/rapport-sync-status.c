/* rapport-sync-status.c: the sync status in the header bar */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "rapport-format.h"
#include "rapport-sync-status.h"

struct _RapportSyncStatusButton
{
  GtkWidget parent_instance;

  GtkMenuButton *button;
  GtkStack *icon_stack;
  GtkSpinner *spinner;
  GtkProgressBar *header_progress;
  GtkPopover *popover;
  GtkLabel *title_label;
  GtkLabel *message_label;
  GtkProgressBar *popover_progress;
  GtkLabel *last_label;
  GtkWidget *preferences_button;
  GtkWidget *sync_button;

  RapportSyncManager *manager;
  RapportSyncScheduler *scheduler;  /* the manager's, once made */
};

G_DEFINE_FINAL_TYPE (RapportSyncStatusButton, rapport_sync_status_button, GTK_TYPE_WIDGET)

typedef struct
{
  const char *state;     /* the icon stack's page */
  const char *title;
  const char *tooltip;   /* short, for the button */
  const char *advice;    /* when the scheduler has no message */
} StatusText;

static StatusText
status_text (RapportSyncStatus status, gboolean signed_in)
{
  StatusText text = { 0 };

  switch (status)
    {
    case RAPPORT_SYNC_STATUS_SYNCED:
      text.state = "synced";
      text.title = _("Synced");
      text.tooltip = _("Synced with your team");
      text.advice = _("This computer and the server have the same records.");
      break;
    case RAPPORT_SYNC_STATUS_SYNCING:
      text.state = "syncing";
      text.title = _("Syncing…");
      text.tooltip = _("Syncing with your team…");
      text.advice = _("Sending your changes and receiving your team’s.");
      break;
    case RAPPORT_SYNC_STATUS_OFFLINE:
      text.state = "offline";
      text.title = _("Offline");
      text.tooltip = _("Offline: your changes are kept and sent when the server is back");
      text.advice = _("The server cannot be reached. Your changes are kept on this computer "
                      "and sent when it is back.");
      break;
    case RAPPORT_SYNC_STATUS_ERROR:
      text.state = "error";
      text.title = _("Sync Problem");
      text.tooltip = _("Sync problem: open for what to do");
      text.advice = _("Syncing stopped. Try again with Sync Now, or sign in again in Preferences.");
      break;
    case RAPPORT_SYNC_STATUS_IDLE:
    default:
      text.state = "idle";
      if (signed_in)
        {
          text.title = _("Not Synced Yet");
          text.tooltip = _("Not synced yet");
          text.advice = _("The first sync starts in a moment.");
        }
      else
        {
          text.title = _("Not Signed In");
          text.tooltip = _("Not signed in: sign in to sync with your team");
          text.advice = _("Sign in to your team’s server in Preferences to sync.");
        }
      break;
    }
  return text;
}

static void
set_progress (GtkProgressBar *bar, gboolean visible, double fraction)
{
  if (visible)
    {
      g_autofree char *percent = g_strdup_printf (_("%d %%"), (int) lround (fraction * 100.0));

      gtk_progress_bar_set_fraction (bar, fraction);
      gtk_progress_bar_set_text (bar, percent);
    }
  gtk_widget_set_visible (GTK_WIDGET (bar), visible);
}

static void
update (RapportSyncStatusButton *self)
{
  RapportSyncStatus status = RAPPORT_SYNC_STATUS_IDLE;
  const char *message = NULL;
  double progress = -1.0;
  gint64 last = rapport_sync_manager_get_last_synced (self->manager);
  gboolean signed_in = rapport_sync_manager_get_signed_in (self->manager);
  g_autofree char *last_text = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *accessible = NULL;
  StatusText text;

  if (self->scheduler != NULL)
    {
      status = rapport_sync_scheduler_get_status (self->scheduler);
      message = rapport_sync_scheduler_get_message (self->scheduler);
      progress = rapport_sync_scheduler_get_progress (self->scheduler);
    }
  text = status_text (status, signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self), rapport_sync_manager_get_active (self->manager));

  gtk_stack_set_visible_child_name (self->icon_stack, text.state);
  gtk_spinner_set_spinning (self->spinner, status == RAPPORT_SYNC_STATUS_SYNCING);
  gtk_label_set_text (self->title_label, text.title);
  gtk_label_set_text (self->message_label,
                      message != NULL && *message != '\0' ? message : text.advice);

  if (last > 0)
    {
      g_autofree char *when = rapport_format_time (last, g_get_real_time () / G_USEC_PER_SEC);
      last_text = g_strdup_printf (_("Last synced %s"), when);
    }
  else
    last_text = g_strdup (_("Never synced on this computer"));
  gtk_label_set_text (self->last_label, last_text);

  /* The first sync can take minutes: it shows how far it is. */
  set_progress (self->header_progress,
                status == RAPPORT_SYNC_STATUS_SYNCING && progress >= 0.0 && last == 0, progress);
  set_progress (self->popover_progress, status == RAPPORT_SYNC_STATUS_SYNCING && progress >= 0.0,
                progress);

  /* "Sync Now" stays sensitive during a sync (the scheduler then syncs
   * again right after it, with the edits made meanwhile): it is the
   * popover's one focusable widget once signed in. An autohide popover
   * with nothing to focus leaves keyboard and screen reader users outside
   * it, and GTK 4.8's gtk_popover_focus() then passes the window's focus
   * widget, NULL if it has none, to gtk_widget_is_ancestor(): a critical. */
  gtk_widget_set_visible (self->preferences_button,
                          !signed_in || status == RAPPORT_SYNC_STATUS_ERROR);

  if (status == RAPPORT_SYNC_STATUS_SYNCED && last > 0)
    {
      g_autofree char *when = rapport_format_time (last, g_get_real_time () / G_USEC_PER_SEC);
      tooltip = g_strdup_printf (_("Synced with your team, last %s"), when);
    }
  else if (status == RAPPORT_SYNC_STATUS_ERROR && message != NULL)
    tooltip = g_strdup (message);
  else
    tooltip = g_strdup (text.tooltip);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
  accessible = g_strdup_printf (_("Sync status: %s"), text.title);
  rapport_set_accessible_label (GTK_WIDGET (self->button), accessible);
}

static void
watch_scheduler (RapportSyncStatusButton *self)
{
  RapportSyncScheduler *scheduler = rapport_sync_manager_get_scheduler (self->manager);

  if (scheduler == self->scheduler)
    return;
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_set_object (&self->scheduler, scheduler);
  if (scheduler != NULL)
    g_signal_connect_object (scheduler, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
}

static void
manager_notify_cb (RapportSyncStatusButton *self)
{
  watch_scheduler (self);
  update (self);
}

static void
sync_now_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportSyncStatusButton *self = RAPPORT_SYNC_STATUS_BUTTON (widget);

  rapport_sync_manager_sync_now (self->manager);
}

/* The "Last synced" time is shown on opening. */
static void
popover_show_cb (RapportSyncStatusButton *self)
{
  update (self);
}

static void
rapport_sync_status_button_dispose (GObject *object)
{
  RapportSyncStatusButton *self = RAPPORT_SYNC_STATUS_BUTTON (object);

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->manager);
  gtk_widget_dispose_template (GTK_WIDGET (object), RAPPORT_TYPE_SYNC_STATUS_BUTTON);
  rapport_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (rapport_sync_status_button_parent_class)->dispose (object);
}

static void
rapport_sync_status_button_class_init (RapportSyncStatusButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_sync_status_button_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-sync-status.ui");
#define CHILD(name) \
  gtk_widget_class_bind_template_child (widget_class, RapportSyncStatusButton, name)
  CHILD (button);
  CHILD (icon_stack);
  CHILD (spinner);
  CHILD (header_progress);
  CHILD (popover);
  CHILD (title_label);
  CHILD (message_label);
  CHILD (popover_progress);
  CHILD (last_label);
  CHILD (preferences_button);
  CHILD (sync_button);
#undef CHILD
  gtk_widget_class_install_action (widget_class, "sync.sync-now", NULL, sync_now_action);
}

static void
rapport_sync_status_button_init (RapportSyncStatusButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->popover, "show", G_CALLBACK (popover_show_cb), self);
}

RapportSyncStatusButton *
rapport_sync_status_button_new (RapportSyncManager *manager)
{
  RapportSyncStatusButton *self;

  g_return_val_if_fail (RAPPORT_IS_SYNC_MANAGER (manager), NULL);

  self = g_object_new (RAPPORT_TYPE_SYNC_STATUS_BUTTON, NULL);
  self->manager = g_object_ref (manager);
  g_signal_connect_object (manager, "notify", G_CALLBACK (manager_notify_cb), self,
                           G_CONNECT_SWAPPED);
  manager_notify_cb (self);
  return self;
}

const char *
rapport_sync_status_button_get_state (RapportSyncStatusButton *self)
{
  g_return_val_if_fail (RAPPORT_IS_SYNC_STATUS_BUTTON (self), NULL);
  return gtk_stack_get_visible_child_name (self->icon_stack);
}
