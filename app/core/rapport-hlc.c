/* rapport-hlc.c: hybrid logical clock stamps for every write */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-hlc.h"

struct _RapportClock
{
  char device_id[RAPPORT_DEVICE_ID_LEN + 1];
  gint64 wall_ms;
  guint counter;
  char last[RAPPORT_STAMP_LEN + 1];
};

G_DEFINE_QUARK (rapport-clock-error-quark, rapport_clock_error)

static void
clock_update_last (RapportClock *clock)
{
  g_snprintf (clock->last, sizeof clock->last, "%013" G_GINT64_MODIFIER "x-%04x-%s",
              clock->wall_ms, clock->counter, clock->device_id);
}

static gboolean
is_lower_hex (const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (s[i]) || g_ascii_isupper (s[i]))
      return FALSE;
  return TRUE;
}

/**
 * rapport_device_id_new:
 *
 * Returns: a new random device id, 16 lower-case hex digits.
 */
char *
rapport_device_id_new (void)
{
  return g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
}

/**
 * rapport_clock_new:
 * @device_id: the 16-hex-digit id of this device
 * @last_stamp: (nullable): the last stamp this clock gave or saw, as persisted
 *
 * Returns: a clock that never goes back behind @last_stamp.
 */
RapportClock *
rapport_clock_new (const char *device_id, const char *last_stamp)
{
  RapportClock *clock;

  g_return_val_if_fail (device_id != NULL && strlen (device_id) == RAPPORT_DEVICE_ID_LEN, NULL);

  clock = g_new0 (RapportClock, 1);
  memcpy (clock->device_id, device_id, RAPPORT_DEVICE_ID_LEN);
  if (last_stamp == NULL || !rapport_stamp_parse (last_stamp, &clock->wall_ms, &clock->counter, NULL))
    {
      clock->wall_ms = 0;
      clock->counter = 0;
    }
  clock_update_last (clock);
  return clock;
}

void
rapport_clock_free (RapportClock *clock)
{
  g_free (clock);
}

const char *
rapport_clock_get_device_id (RapportClock *clock)
{
  return clock->device_id;
}

/**
 * rapport_clock_get_last:
 *
 * Returns: the highest stamp given or observed, to persist.
 */
const char *
rapport_clock_get_last (RapportClock *clock)
{
  return clock->last;
}

/**
 * rapport_clock_tick:
 * @now_ms: the wall clock, in milliseconds since the epoch
 *
 * Returns: a new stamp, greater than every stamp given or observed before.
 */
char *
rapport_clock_tick (RapportClock *clock, gint64 now_ms)
{
  g_return_val_if_fail (clock != NULL, NULL);

  if (now_ms > clock->wall_ms)
    {
      clock->wall_ms = now_ms;
      clock->counter = 0;
    }
  else if (clock->counter < 0xffff)
    {
      clock->counter++;
    }
  else
    {
      /* Counter exhausted within one millisecond: borrow the next one. */
      clock->wall_ms++;
      clock->counter = 0;
    }
  clock_update_last (clock);
  return g_strdup (clock->last);
}

/**
 * rapport_clock_reset:
 * @now_ms: the present, agreed with the server
 *
 * Sets back a clock that ran far ahead (a wall clock once set a year on) to
 * @now_ms. The only way a clock goes back: callers re-stamp every write
 * still stamped after @now_ms (see rapport_store_restamp_ahead()).
 */
void
rapport_clock_reset (RapportClock *clock, gint64 now_ms)
{
  g_return_if_fail (clock != NULL);

  if (now_ms >= clock->wall_ms)
    return;
  clock->wall_ms = now_ms;
  clock->counter = 0;
  clock_update_last (clock);
}

/**
 * rapport_clock_observe:
 * @remote_stamp: a stamp received from elsewhere
 * @now_ms: the local wall clock
 *
 * Advances the clock past @remote_stamp, so the next local stamp orders after
 * it. A stamp more than %RAPPORT_CLOCK_MAX_SKEW_MS ahead of @now_ms is refused,
 * so one device with a bad clock cannot win every future conflict.
 */
gboolean
rapport_clock_observe (RapportClock *clock, const char *remote_stamp, gint64 now_ms, GError **error)
{
  gint64 wall;
  guint counter;

  if (!rapport_stamp_parse (remote_stamp, &wall, &counter, NULL))
    {
      g_set_error (error, RAPPORT_CLOCK_ERROR, RAPPORT_CLOCK_ERROR_MALFORMED,
                   _("“%s” is not a valid change stamp"), remote_stamp ? remote_stamp : "");
      return FALSE;
    }
  if (wall > now_ms + RAPPORT_CLOCK_MAX_SKEW_MS)
    {
      g_set_error (error, RAPPORT_CLOCK_ERROR, RAPPORT_CLOCK_ERROR_TOO_FAR_AHEAD,
                   _("The change is stamped %lld s in the future; "
                     "set the sending computer’s clock right and sync again"),
                   (long long) ((wall - now_ms) / 1000));
      return FALSE;
    }
  if (wall > clock->wall_ms || (wall == clock->wall_ms && counter > clock->counter))
    {
      clock->wall_ms = wall;
      clock->counter = counter;
      clock_update_last (clock);
    }
  return TRUE;
}

/**
 * rapport_stamp_parse:
 * @device_id: (out caller-allocates) (optional): receives the device id
 *
 * Returns: whether @stamp is well formed.
 */
gboolean
rapport_stamp_parse (const char *stamp, gint64 *wall_ms, guint *counter,
                     char device_id[RAPPORT_DEVICE_ID_LEN + 1])
{
  if (stamp == NULL || strlen (stamp) != RAPPORT_STAMP_LEN || stamp[13] != '-' || stamp[18] != '-')
    return FALSE;
  if (!is_lower_hex (stamp, 13) || !is_lower_hex (stamp + 14, 4)
      || !is_lower_hex (stamp + 19, RAPPORT_DEVICE_ID_LEN))
    return FALSE;
  if (wall_ms)
    *wall_ms = g_ascii_strtoll (stamp, NULL, 16);
  if (counter)
    *counter = (guint) g_ascii_strtoull (stamp + 14, NULL, 16);
  if (device_id)
    {
      memcpy (device_id, stamp + 19, RAPPORT_DEVICE_ID_LEN);
      device_id[RAPPORT_DEVICE_ID_LEN] = '\0';
    }
  return TRUE;
}

char *
rapport_stamp_format (gint64 wall_ms, guint counter, const char *device_id)
{
  return g_strdup_printf ("%013" G_GINT64_MODIFIER "x-%04x-%s", wall_ms, counter & 0xffff, device_id);
}

/**
 * rapport_stamp_compare:
 *
 * Orders stamps by time, then device id. %NULL (never written) sorts first.
 */
int
rapport_stamp_compare (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  return strcmp (a, b);
}
