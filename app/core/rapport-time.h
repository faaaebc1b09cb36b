/* rapport-time.h: reading and showing times as people write them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses @text as ISO 8601 ("2026-03-02", "2026-03-02T14:30", with or
 * without zone; no zone = local time), or relative to @now: "+3d", "-2w",
 * "+4h", "+30m" (minutes), "+1mo", "now", "today", "tomorrow". A date without
 * a time means 09:00 local. Returns FALSE with a RAPPORT_ERROR_INVALID error
 * that names the accepted forms. Times are seconds since the epoch, UTC. */
gboolean rapport_time_parse       (const char *text,
                                   gint64      now,
                                   gint64     *out,
                                   GError    **error);

/* Parses a recurrence: "3d", "2w", "1m" (months), optionally "every 2w".
 * Returns FALSE with RAPPORT_ERROR_INVALID for anything else. The canonical
 * form ("2w") is returned in @canonical. */
gboolean rapport_recurrence_parse (const char *text,
                                   char      **canonical,
                                   GError    **error);

/* The next occurrence after @from of a recurrence, skipping Saturdays and
 * Sundays (local time) when @working_days. */
gint64   rapport_recurrence_next  (const char *recurrence,
                                   gint64      from,
                                   gboolean    working_days);

/* ISO 8601 in UTC ("2026-03-02T09:00:00Z"), for --json output. */
char    *rapport_time_to_iso      (gint64      t);

G_END_DECLS
