/* rapport-clock-watch.h: be told when the wall clock is set */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Calls @func on the main context whenever the system's wall clock changes
 * discontinuously (set by hand, by NTP stepping it, by a time zone-less
 * resume correction). Returns a GSource id for g_source_remove(), or 0 where
 * the system cannot tell (then the caller's own timer checks must do). */
guint rapport_clock_watch_add (GSourceFunc    func,
                               gpointer       user_data);

/* For tests, which must not set the system clock: makes every live watch's
 * timerfd expire now, so the next main-loop iteration runs the same read,
 * re-arm and @func as a clock change does (only the kernel's reason differs:
 * an expiry instead of ECANCELED). Move the injected clock (RAPPORT_NOW,
 * rapport_store_set_now_func) first. Returns how many watches will fire. */
guint rapport_clock_watch_fire_for_test (void);

G_END_DECLS
