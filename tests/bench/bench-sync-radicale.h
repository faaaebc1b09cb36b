/* bench-sync-radicale.h: the CardDAV peer of performance.md, Radicale + vdirsyncer */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Starts radicale on 127.0.0.1 (stopped by its PID afterwards), and times
 * `vdirsyncer sync` uploading @n_contacts vCards into an address book.
 * Returns the time in ms, or -1 with @error set (e.g. not installed). */
double bench_radicale_upload (guint    n_contacts,
                              GError **error);

G_END_DECLS
