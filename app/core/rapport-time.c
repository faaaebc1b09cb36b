/* rapport-time.c: reading and showing times as people write them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-time"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rapport-error.h"
#include "rapport-time.h"

/* A date written without a time of day means this hour, local time. */
#define DEFAULT_HOUR 9

static GDateTime *
local_from_unix (gint64 t)
{
  return g_date_time_new_from_unix_local (t);
}

static gint64
local_date_at (int year, int month, int day, int hour, int minute, double seconds)
{
  g_autoptr (GDateTime) dt = g_date_time_new_local (year, month, day, hour, minute, seconds);

  return dt ? g_date_time_to_unix (dt) : G_MININT64;
}

static gboolean
set_invalid (GError **error, const char *text)
{
  g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
               _("“%s” is not a time Rapport understands. Write a date and time such as "
                 "2026-03-02 or 2026-03-02T14:30 (ISO 8601, optionally with a zone such as Z "
                 "or +01:00), a relative time such as +3d, -2w, +4h, +30m or +1mo, or now, "
                 "today or tomorrow"),
               text);
  return FALSE;
}

/* "+3d", "-2w", "+4h", "+30m", "+1mo", "+1y"; the sign may be left out. */
static gboolean
parse_relative (const char *text, gint64 now, gint64 *out)
{
  g_autoptr (GDateTime) base = NULL;
  g_autoptr (GDateTime) moved = NULL;
  const char *p = text;
  int sign = 1;
  char *unit = NULL;
  gint64 n;

  if (*p == '+' || *p == '-')
    sign = *p++ == '-' ? -1 : 1;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  n = g_ascii_strtoll (p, &unit, 10);
  if (n < 0 || n > 100000 || unit == p)
    return FALSE;
  n *= sign;
  while (*unit == ' ')
    unit++;

  base = local_from_unix (now);
  if (g_str_equal (unit, "s"))
    moved = g_date_time_add_seconds (base, (double) n);
  else if (g_str_equal (unit, "m") || g_str_equal (unit, "min"))
    moved = g_date_time_add_minutes (base, (int) n);
  else if (g_str_equal (unit, "h"))
    moved = g_date_time_add_hours (base, (int) n);
  else if (g_str_equal (unit, "d"))
    moved = g_date_time_add_days (base, (int) n);
  else if (g_str_equal (unit, "w"))
    moved = g_date_time_add_weeks (base, (int) n);
  else if (g_str_equal (unit, "mo"))
    moved = g_date_time_add_months (base, (int) n);
  else if (g_str_equal (unit, "y"))
    moved = g_date_time_add_years (base, (int) n);
  else
    return FALSE;
  if (moved == NULL)
    return FALSE;
  *out = g_date_time_to_unix (moved);
  return TRUE;
}

/* "now", "today", "tomorrow", "yesterday". */
static gboolean
parse_word (const char *text, gint64 now, gint64 *out)
{
  g_autoptr (GDateTime) local = local_from_unix (now);
  int offset;

  if (g_ascii_strcasecmp (text, "now") == 0)
    {
      *out = now;
      return TRUE;
    }
  if (g_ascii_strcasecmp (text, "today") == 0)
    offset = 0;
  else if (g_ascii_strcasecmp (text, "tomorrow") == 0)
    offset = 1;
  else if (g_ascii_strcasecmp (text, "yesterday") == 0)
    offset = -1;
  else
    return FALSE;

  {
    g_autoptr (GDateTime) day = g_date_time_add_days (local, offset);
    *out = local_date_at (g_date_time_get_year (day), g_date_time_get_month (day),
                          g_date_time_get_day_of_month (day), DEFAULT_HOUR, 0, 0);
  }
  return *out != G_MININT64;
}

/* "2026-03-02": a calendar date at the default hour, local time. */
static gboolean
parse_date_only (const char *text, gint64 *out)
{
  int year, month, day;
  char tail;

  if (strlen (text) != 10 || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3)
    return FALSE;
  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  *out = local_date_at (year, month, day, DEFAULT_HOUR, 0, 0);
  return *out != G_MININT64;
}

/* Full ISO 8601 with a time; a space may stand for the "T". No zone means
 * local time. */
static gboolean
parse_iso (const char *text, gint64 *out)
{
  g_autofree char *copy = g_strdup (text);
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  g_autoptr (GDateTime) dt = NULL;
  char *space = strchr (copy, ' ');

  if (space != NULL && space - copy == 10)
    *space = 'T';
  /* GLib wants seconds: "14:30" is "14:30:00". */
  if (strlen (copy) >= 16 && copy[10] == 'T' && copy[13] == ':' && copy[16] != ':')
    {
      g_autofree char *with_seconds = g_strdup_printf ("%.16s:00%s", copy, copy + 16);
      g_free (copy);
      copy = g_steal_pointer (&with_seconds);
    }
  dt = g_date_time_new_from_iso8601 (copy, local);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* Epoch seconds written as "@1772442000". */
static gboolean
parse_epoch (const char *text, gint64 *out)
{
  char *end = NULL;
  gint64 value;

  if (text[0] != '@' || !g_ascii_isdigit (text[1]))
    return FALSE;
  value = g_ascii_strtoll (text + 1, &end, 10);
  if (*end != '\0')
    return FALSE;
  *out = value;
  return TRUE;
}

/**
 * rapport_time_parse:
 * @text: what a person wrote
 * @now: the time relative forms count from
 * @out: (out): seconds since the epoch, UTC
 *
 * Returns: %TRUE when @text was understood.
 */
gboolean
rapport_time_parse (const char *text, gint64 now, gint64 *out, GError **error)
{
  g_autofree char *trimmed = NULL;
  gint64 value = 0;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL)
    return set_invalid (error, "");
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    return set_invalid (error, text);

  if (parse_word (trimmed, now, &value) || parse_epoch (trimmed, &value)
      || parse_date_only (trimmed, &value) || parse_relative (trimmed, now, &value)
      || parse_iso (trimmed, &value))
    {
      *out = value;
      return TRUE;
    }
  return set_invalid (error, text);
}

/* Recurrences ---------------------------------------------------------------- */

typedef enum
{
  UNIT_DAYS = 'd',
  UNIT_WEEKS = 'w',
  UNIT_MONTHS = 'm',
} RecurrenceUnit;

static gboolean
unit_from_word (const char *word, gint64 *count, RecurrenceUnit *unit)
{
  static const struct
  {
    const char *word;
    RecurrenceUnit unit;
    int factor;
  } units[] = {
    { "d", UNIT_DAYS, 1 },     { "day", UNIT_DAYS, 1 },     { "days", UNIT_DAYS, 1 },
    { "w", UNIT_WEEKS, 1 },    { "week", UNIT_WEEKS, 1 },   { "weeks", UNIT_WEEKS, 1 },
    { "m", UNIT_MONTHS, 1 },   { "mo", UNIT_MONTHS, 1 },    { "month", UNIT_MONTHS, 1 },
    { "months", UNIT_MONTHS, 1 }, { "y", UNIT_MONTHS, 12 }, { "year", UNIT_MONTHS, 12 },
    { "years", UNIT_MONTHS, 12 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (word, units[i].word) == 0)
      {
        *unit = units[i].unit;
        *count *= units[i].factor;
        return TRUE;
      }
  return FALSE;
}

static gboolean
split_recurrence (const char *text, gint64 *count, RecurrenceUnit *unit)
{
  static const struct
  {
    const char *word;
    RecurrenceUnit unit;
    gint64 count;
  } named[] = {
    { "daily", UNIT_DAYS, 1 },
    { "weekly", UNIT_WEEKS, 1 },
    { "monthly", UNIT_MONTHS, 1 },
    { "yearly", UNIT_MONTHS, 12 },
  };
  g_autofree char *copy = NULL;
  const char *p;
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  p = copy;
  if (g_ascii_strncasecmp (p, "every", 5) == 0)
    {
      p += 5;
      while (*p == ' ')
        p++;
      if (!g_ascii_isdigit (*p))
        {
          /* "every week" */
          *count = 1;
          return *p != '\0' && unit_from_word (p, count, unit);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_ascii_strcasecmp (p, named[i].word) == 0)
      {
        *count = named[i].count;
        *unit = named[i].unit;
        return TRUE;
      }
  if (!g_ascii_isdigit (*p))
    return FALSE;
  *count = g_ascii_strtoll (p, &end, 10);
  if (*count < 1 || *count > 999)
    return FALSE;
  while (*end == ' ')
    end++;
  return unit_from_word (end, count, unit);
}

/**
 * rapport_recurrence_parse:
 * @canonical: (out) (optional) (transfer full): "3d", "2w" or "1m"
 */
gboolean
rapport_recurrence_parse (const char *text, char **canonical, GError **error)
{
  gint64 count = 0;
  RecurrenceUnit unit = UNIT_DAYS;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!split_recurrence (text, &count, &unit))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("“%s” is not a repetition Rapport understands. Write a number and a unit: "
                     "3d (days), 2w (weeks) or 1m (months), optionally after “every”"),
                   text ? text : "");
      return FALSE;
    }
  if (canonical != NULL)
    *canonical = g_strdup_printf ("%" G_GINT64_FORMAT "%c", count, (char) unit);
  return TRUE;
}

static gboolean
is_weekend (GDateTime *dt)
{
  return g_date_time_get_day_of_week (dt) >= 6;
}

/* Moves a local time forward to the next working day, keeping the time. */
static GDateTime *
skip_weekend (GDateTime *dt)
{
  GDateTime *result = g_date_time_ref (dt);

  while (is_weekend (result))
    {
      GDateTime *next = g_date_time_add_days (result, 1);
      g_date_time_unref (result);
      result = next;
    }
  return result;
}

/**
 * rapport_recurrence_next:
 * @recurrence: a canonical or written recurrence ("3d", "every 2w")
 * @from: the occurrence to count from (usually the reminder's due time)
 * @working_days: count days on working days only, and never land on a
 *   Saturday or Sunday (local time)
 *
 * Returns: the next occurrence after @from, in local wall-clock time (so a
 *   reminder at 09:00 stays at 09:00 across daylight saving changes), or 0
 *   when @recurrence is not understood.
 */
gint64
rapport_recurrence_next (const char *recurrence, gint64 from, gboolean working_days)
{
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GDateTime) next = NULL;
  gint64 count = 0;
  RecurrenceUnit unit = UNIT_DAYS;

  if (!split_recurrence (recurrence, &count, &unit))
    return 0;
  start = local_from_unix (from);

  if (unit == UNIT_DAYS && working_days)
    {
      /* "every 1d on working days" is every weekday: count working days. */
      next = g_date_time_ref (start);
      for (gint64 i = 0; i < count; i++)
        {
          GDateTime *day = g_date_time_add_days (next, 1);
          g_date_time_unref (next);
          next = skip_weekend (day);
          g_date_time_unref (day);
        }
      return g_date_time_to_unix (next);
    }

  if (unit == UNIT_DAYS)
    next = g_date_time_add_days (start, (int) count);
  else if (unit == UNIT_WEEKS)
    next = g_date_time_add_weeks (start, (int) count);
  else
    next = g_date_time_add_months (start, (int) count);
  if (working_days)
    {
      GDateTime *moved = skip_weekend (next);
      g_date_time_unref (next);
      next = moved;
    }
  return g_date_time_to_unix (next);
}

/**
 * rapport_time_to_iso:
 *
 * Returns: (transfer full): @t as ISO 8601 in UTC, "2026-03-02T09:00:00Z".
 */
char *
rapport_time_to_iso (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  if (dt == NULL)
    return g_strdup ("");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}
