/* rapport-clock-watch.c: be told when the wall clock is set */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-notifier"

#include "config.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include <glib-unix.h>

#include "rapport-clock-watch.h"

/* A realtime timerfd set far ahead with TFD_TIMER_CANCEL_ON_SET never
 * expires; the kernel cancels it, and wakes its reader with ECANCELED, when
 * the wall clock is set (timerfd_create(2)). Nothing wakes up otherwise. */
#define FAR_AHEAD_SECONDS ((time_t) 10 * 365 * 24 * 60 * 60)

typedef struct
{
  int fd;
  GSourceFunc func;
  gpointer user_data;
} ClockWatch;

/* The live watches, for rapport_clock_watch_fire_for_test(); main thread only. */
static GList *watches;

static gboolean
arm_far_ahead (int fd)
{
  struct itimerspec spec = { 0 };

  spec.it_value.tv_sec = time (NULL) + FAR_AHEAD_SECONDS;
  if (timerfd_settime (fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL) == 0)
    return TRUE;
  /* timerfd_create(2), NOTES: the clock was set again before this call;
   * the call still re-armed the timer, and the change is reported below. */
  return errno == ECANCELED;
}

static gboolean
clock_fd_cb (int fd, GIOCondition condition, gpointer user_data)
{
  ClockWatch *watch = user_data;
  guint64 expirations;
  ssize_t n = read (fd, &expirations, sizeof expirations);

  if (n < 0 && errno == EAGAIN)
    return G_SOURCE_CONTINUE;
  if (n < 0 && errno == ECANCELED)
    g_debug ("The wall clock was set");
  else
    g_debug ("The wall clock watch expired");
  /* Cancelled (the clock was set) or expired (ten years on, or
   * rapport_clock_watch_fire_for_test()): re-arm, then tell. */
  if (!arm_far_ahead (fd))
    {
      g_warning ("Could not keep watching the wall clock: %s", g_strerror (errno));
      watch->func (watch->user_data);
      return G_SOURCE_REMOVE;
    }
  watch->func (watch->user_data);
  return G_SOURCE_CONTINUE;
}

static void
clock_watch_free (gpointer data)
{
  ClockWatch *watch = data;

  watches = g_list_remove (watches, watch);
  close (watch->fd);
  g_free (watch);
}

guint
rapport_clock_watch_add (GSourceFunc func, gpointer user_data)
{
  ClockWatch *watch;
  int fd;
  guint id;

  g_return_val_if_fail (func != NULL, 0);

  fd = timerfd_create (CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd < 0)
    return 0;
  if (!arm_far_ahead (fd))
    {
      close (fd);
      return 0;
    }
  watch = g_new0 (ClockWatch, 1);
  watch->fd = fd;
  watch->func = func;
  watch->user_data = user_data;
  watches = g_list_prepend (watches, watch);
  id = g_unix_fd_add_full (G_PRIORITY_DEFAULT, fd, G_IO_IN, clock_fd_cb, watch, clock_watch_free);
  g_source_set_name_by_id (id, "[rapport] wall clock watch");
  return id;
}

guint
rapport_clock_watch_fire_for_test (void)
{
  struct itimerspec spec = { 0 };
  guint fired = 0;

  /* An absolute time long past expires at once: the same fd becomes
   * readable and the same callback reads it, re-arms it and tells. */
  spec.it_value.tv_sec = 1;
  for (GList *l = watches; l != NULL; l = l->next)
    {
      ClockWatch *watch = l->data;

      if (timerfd_settime (watch->fd, TFD_TIMER_ABSTIME, &spec, NULL) == 0)
        fired++;
    }
  return fired;
}
