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

G_END_DECLS
