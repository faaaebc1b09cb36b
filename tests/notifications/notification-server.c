/* notification-server.c: a recording org.freedesktop.Notifications server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "notification-server.h"

#define PATH "/org/freedesktop/Notifications"
#define IFACE "org.freedesktop.Notifications"
#define LOGIND "org.freedesktop.login1"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

struct _TestNotificationServer
{
  GThread *thread;
  GMainContext *context;
  GDBusConnection *connection;
  gboolean quit;

  GMutex lock;
  GCond cond;
  gboolean ready;
  GPtrArray *received;   /* TestNotification */
  guint next_id;
};

void
test_notification_free (TestNotification *notification)
{
  if (notification == NULL)
    return;
  g_free (notification->app_name);
  g_free (notification->summary);
  g_free (notification->body);
  g_strfreev (notification->actions);
  g_free (notification->desktop_entry);
  g_free (notification);
}

static TestNotification *
notification_copy (const TestNotification *n)
{
  TestNotification *copy = g_new0 (TestNotification, 1);

  copy->id = n->id;
  copy->app_name = g_strdup (n->app_name);
  copy->summary = g_strdup (n->summary);
  copy->body = g_strdup (n->body);
  copy->actions = g_strdupv (n->actions);
  copy->urgency = n->urgency;
  copy->desktop_entry = g_strdup (n->desktop_entry);
  copy->received_us = n->received_us;
  return copy;
}

static guint
record_notify (TestNotificationServer *self, GVariant *parameters)
{
  TestNotification *n = g_new0 (TestNotification, 1);
  gint64 received_us = g_get_real_time ();
  g_autoptr (GVariant) hints = NULL;
  guint replaces_id = 0;
  guchar urgency = 0;
  const char *icon;
  gint32 timeout;

  g_variant_get (parameters, "(su&sss^as@a{sv}i)", &n->app_name, &replaces_id, &icon,
                 &n->summary, &n->body, &n->actions, &hints, &timeout);
  n->received_us = received_us;
  n->urgency = g_variant_lookup (hints, "urgency", "y", &urgency) ? urgency : -1;
  g_variant_lookup (hints, "desktop-entry", "s", &n->desktop_entry);

  g_mutex_lock (&self->lock);
  n->id = replaces_id != 0 ? replaces_id : ++self->next_id;
  g_ptr_array_add (self->received, n);
  g_mutex_unlock (&self->lock);
  return n->id;
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *path,
                const char            *interface,
                const char            *method,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  TestNotificationServer *self = user_data;

  if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", "body-markup", NULL };
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "rapport-test",
                                                                      "Rapport", "1", "1.2"));
  else if (g_str_equal (method, "Notify"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(u)", record_notify (self, parameters)));
  else if (g_str_equal (method, "CloseNotification"))
    {
      guint id;
      g_variant_get (parameters, "(u)", &id);
      g_dbus_connection_emit_signal (connection, NULL, PATH, IFACE, "NotificationClosed",
                                     g_variant_new ("(uu)", id, 3), NULL);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method);
}

static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL };

static gpointer
server_thread (gpointer data)
{
  TestNotificationServer *self = data;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *address = NULL;
  /* Also logind, whose PrepareForSleep signal tells of a resume. */
  const char *names[] = { IFACE, LOGIND };
  guint registration;

  g_main_context_push_thread_default (self->context);
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  self->connection = g_dbus_connection_new_for_address_sync (
      address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (self->connection, PATH,
                                                    info->interfaces[0], &vtable, self, NULL,
                                                    &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GVariant) reply = NULL;
      guint32 result = 0;

      /* 4: DBUS_NAME_FLAG_DO_NOT_QUEUE; 1: now the primary owner */
      reply = g_dbus_connection_call_sync (self->connection, "org.freedesktop.DBus",
                                           "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                           "RequestName", g_variant_new ("(su)", names[i], 4),
                                           G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(u)", &result);
      g_assert_cmpuint (result, ==, 1);
    }

  g_mutex_lock (&self->lock);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  while (!g_atomic_int_get (&self->quit))
    g_main_context_iteration (self->context, TRUE);

  g_dbus_connection_unregister_object (self->connection, registration);
  g_dbus_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

TestNotificationServer *
test_notification_server_new (void)
{
  TestNotificationServer *self = g_new0 (TestNotificationServer, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->received = g_ptr_array_new_with_free_func ((GDestroyNotify) test_notification_free);
  self->context = g_main_context_new ();
  self->thread = g_thread_new ("notification-server", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

void
test_notification_server_free (TestNotificationServer *self)
{
  g_atomic_int_set (&self->quit, TRUE);
  g_main_context_invoke (self->context, wake_cb, NULL);
  g_thread_join (self->thread);
  g_main_context_unref (self->context);
  g_ptr_array_unref (self->received);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

guint
test_notification_server_count (TestNotificationServer *self)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = self->received->len;
  g_mutex_unlock (&self->lock);
  return count;
}

TestNotification *
test_notification_server_get (TestNotificationServer *self, guint index)
{
  TestNotification *copy = NULL;

  g_mutex_lock (&self->lock);
  if (index < self->received->len)
    copy = notification_copy (self->received->pdata[index]);
  g_mutex_unlock (&self->lock);
  g_assert_nonnull (copy);
  return copy;
}

const char *
test_notification_action_label (TestNotification *notification, const char *action)
{
  for (guint i = 0; notification->actions && notification->actions[i]
                    && notification->actions[i + 1]; i += 2)
    if (g_str_equal (notification->actions[i], action))
      return notification->actions[i + 1];
  return NULL;
}

void
test_notification_server_invoke (TestNotificationServer *self, guint id, const char *action)
{
  g_autoptr (GError) error = NULL;

  g_dbus_connection_emit_signal (self->connection, NULL, PATH, IFACE, "ActionInvoked",
                                 g_variant_new ("(us)", id, action), &error);
  g_assert_no_error (error);
  g_dbus_connection_emit_signal (self->connection, NULL, PATH, IFACE, "NotificationClosed",
                                 g_variant_new ("(uu)", id, 2), &error);
  g_assert_no_error (error);
}

void
test_notification_server_emit_resume (TestNotificationServer *self)
{
  g_autoptr (GError) error = NULL;

  g_dbus_connection_emit_signal (self->connection, NULL, "/org/freedesktop/login1",
                                 LOGIND ".Manager", "PrepareForSleep",
                                 g_variant_new ("(b)", FALSE), &error);
  g_assert_no_error (error);
}
