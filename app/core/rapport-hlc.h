/* rapport-hlc.h: hybrid logical clock stamps for every write */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A stamp is text "WWWWWWWWWWWWW-CCCC-DDDDDDDDDDDDDDDD": wall-clock milliseconds
 * since the epoch (13 hex digits), a counter (4 hex digits) and the device id
 * (16 hex digits). Byte order equals time order, and the device id breaks
 * ties, so comparing stamps is strcmp(). */
#define RAPPORT_STAMP_LEN 35
#define RAPPORT_DEVICE_ID_LEN 16

/* A stamp further ahead of the receiver's wall clock than this is refused. */
#define RAPPORT_CLOCK_MAX_SKEW_MS (5 * 60 * 1000)

#define RAPPORT_CLOCK_ERROR (rapport_clock_error_quark ())

typedef enum
{
  RAPPORT_CLOCK_ERROR_MALFORMED,
  RAPPORT_CLOCK_ERROR_TOO_FAR_AHEAD,
} RapportClockError;

typedef struct _RapportClock RapportClock;

GQuark        rapport_clock_error_quark (void);

char         *rapport_device_id_new     (void);

RapportClock *rapport_clock_new         (const char   *device_id,
                                         const char   *last_stamp);
void          rapport_clock_free        (RapportClock *clock);
const char   *rapport_clock_get_device_id (RapportClock *clock);
const char   *rapport_clock_get_last    (RapportClock *clock);
char         *rapport_clock_tick        (RapportClock *clock,
                                         gint64        now_ms);
void          rapport_clock_reset       (RapportClock *clock,
                                         gint64        now_ms);
gboolean      rapport_clock_observe     (RapportClock *clock,
                                         const char   *remote_stamp,
                                         gint64        now_ms,
                                         GError      **error);

gboolean      rapport_stamp_parse       (const char   *stamp,
                                         gint64       *wall_ms,
                                         guint        *counter,
                                         char          device_id[RAPPORT_DEVICE_ID_LEN + 1]);
char         *rapport_stamp_format      (gint64        wall_ms,
                                         guint         counter,
                                         const char   *device_id);
int           rapport_stamp_compare     (const char   *a,
                                         const char   *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportClock, rapport_clock_free)

G_END_DECLS
