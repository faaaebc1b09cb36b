/* notification-server.h: a recording org.freedesktop.Notifications server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One Notify call as the server received it. */
typedef struct
{
  guint id;
  char *app_name;
  char *summary;
  char *body;
  char **actions;        /* key, label, key, label, ... */
  int urgency;           /* the "urgency" hint, -1 when absent */
  char *desktop_entry;   /* the "desktop-entry" hint */
  gint64 received_us;    /* g_get_real_time () when the call arrived */
} TestNotification;

void              test_notification_free         (TestNotification *notification);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestNotification, test_notification_free)

/* Owns org.freedesktop.Notifications on the session bus from its own thread
 * and connection, so a client in the test's main thread may call it
 * synchronously (as libnotify does). */
typedef struct _TestNotificationServer TestNotificationServer;

TestNotificationServer *test_notification_server_new  (void);
void              test_notification_server_free       (TestNotificationServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestNotificationServer, test_notification_server_free)

guint             test_notification_server_count      (TestNotificationServer *server);
/* (transfer full): the @index-th Notify call, 0 first */
TestNotification *test_notification_server_get        (TestNotificationServer *server,
                                                       guint                   index);
/* The label of @action in @notification, or NULL. */
const char       *test_notification_action_label      (TestNotification       *notification,
                                                       const char             *action);
/* Emits ActionInvoked, then NotificationClosed (reason 2, dismissed by the
 * user), as a notification server does when a button is clicked. */
void              test_notification_server_invoke     (TestNotificationServer *server,
                                                       guint                   id,
                                                       const char             *action);

/* Emits logind's PrepareForSleep(false), as after a resume from suspend;
 * the server also owns org.freedesktop.login1, so point the system bus
 * (DBUS_SYSTEM_BUS_ADDRESS) at the same private bus. */
void              test_notification_server_emit_resume (TestNotificationServer *server);

G_END_DECLS
