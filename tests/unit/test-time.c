/* test-time.c: reading times and recurrences as people write them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rapport-time.h"
#include "rapport-error.h"
#include "test-common.h"

#define HOUR ((gint64) 3600)
#define DAY (24 * HOUR)

/* Times in the test's zone (Europe/Berlin: UTC+1, UTC+2 from 29 March). */
static gint64
local (int year, int month, int day, int hour, int minute)
{
  g_autoptr (GDateTime) dt = g_date_time_new_local (year, month, day, hour, minute, 0);
  return g_date_time_to_unix (dt);
}

static gint64
parse_ok (const char *text, gint64 now)
{
  g_autoptr (GError) error = NULL;
  gint64 value = -1;

  if (!rapport_time_parse (text, now, &value, &error))
    g_error ("“%s” was not understood: %s", text, error->message);
  return value;
}

static void
test_absolute (void)
{
  gint64 now = RAPPORT_TEST_NOW;

  /* A date alone is 09:00 local time. */
  g_assert_cmpint (parse_ok ("2026-03-02", now), ==, local (2026, 3, 2, 9, 0));
  g_assert_cmpint (parse_ok ("2026-03-02T14:30", now), ==, local (2026, 3, 2, 14, 30));
  g_assert_cmpint (parse_ok ("2026-03-02 14:30", now), ==, local (2026, 3, 2, 14, 30));
  g_assert_cmpint (parse_ok ("2026-03-02T14:30:15", now), ==, local (2026, 3, 2, 14, 30) + 15);
  /* With a zone, the zone counts, not the local one. */
  g_assert_cmpint (parse_ok ("2026-03-02T09:00:00Z", now), ==, RAPPORT_TEST_NOW);
  g_assert_cmpint (parse_ok ("2026-03-02T10:00:00+01:00", now), ==, RAPPORT_TEST_NOW);
  g_assert_cmpint (parse_ok ("  2026-03-02T09:00:00Z ", now), ==, RAPPORT_TEST_NOW);
  g_assert_cmpint (parse_ok ("@1772442000", 0), ==, RAPPORT_TEST_NOW);
  /* In summer the local offset is two hours. */
  g_assert_cmpint (parse_ok ("2026-07-01T12:00", now), ==,
                   parse_ok ("2026-07-01T10:00:00Z", now));
}

static void
test_relative (void)
{
  gint64 now = RAPPORT_TEST_NOW;

  g_assert_cmpint (parse_ok ("now", now), ==, now);
  g_assert_cmpint (parse_ok ("+3d", now), ==, now + 3 * DAY);
  g_assert_cmpint (parse_ok ("3d", now), ==, now + 3 * DAY);
  g_assert_cmpint (parse_ok ("-2w", now), ==, now - 14 * DAY);
  g_assert_cmpint (parse_ok ("+4h", now), ==, now + 4 * HOUR);
  /* "m" is minutes; months are "mo". */
  g_assert_cmpint (parse_ok ("+30m", now), ==, now + 30 * 60);
  g_assert_cmpint (parse_ok ("+1mo", now), ==, local (2026, 4, 2, 10, 0));
  g_assert_cmpint (parse_ok ("today", now), ==, local (2026, 3, 2, 9, 0));
  g_assert_cmpint (parse_ok ("Tomorrow", now), ==, local (2026, 3, 3, 9, 0));
  g_assert_cmpint (parse_ok ("yesterday", now), ==, local (2026, 3, 1, 9, 0));
  /* Days are calendar days: across the change to summer time a day is
   * 23 hours, and 10:00 stays 10:00. */
  g_assert_cmpint (parse_ok ("+1d", local (2026, 3, 28, 10, 0)), ==, local (2026, 3, 29, 10, 0));
  g_assert_cmpint (local (2026, 3, 29, 10, 0) - local (2026, 3, 28, 10, 0), ==, 23 * HOUR);
}

static void
test_invalid (void)
{
  const char *bad[] = { "", "  ", "soon", "2026-13-01", "2026-02-30", "+3x", "+", "3 days ago",
                        "2026-03-02T25:00", "@", "@12x", "next week" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 value = 42;

      if (rapport_time_parse (bad[i], RAPPORT_TEST_NOW, &value, &error))
        g_error ("“%s” was accepted as %" G_GINT64_FORMAT, bad[i], value);
      g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
      /* The message names what is accepted. */
      g_assert_nonnull (strstr (error->message, "+3d"));
      g_assert_nonnull (strstr (error->message, "2026-03-02"));
      g_assert_cmpint (value, ==, 42);
    }
}

static void
test_recurrence_parse (void)
{
  const struct
  {
    const char *text;
    const char *canonical;
  } good[] = {
    { "3d", "3d" },          { "2w", "2w" },          { "1m", "1m" },
    { "every 2w", "2w" },    { "Every 3 days", "3d" }, { "every 2 weeks", "2w" },
    { "weekly", "1w" },      { "daily", "1d" },       { "monthly", "1m" },
    { "1y", "12m" },         { "every month", "1m" }, { " 10d ", "10d" },
  };
  const char *bad[] = { "", "0d", "3x", "every", "d", "-1w", "2", "fortnightly", "1000d" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *canonical = NULL;

      g_assert_true (rapport_recurrence_parse (good[i].text, &canonical, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (canonical, ==, good[i].canonical);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *canonical = NULL;

      if (rapport_recurrence_parse (bad[i], &canonical, &error))
        g_error ("“%s” was accepted as %s", bad[i], canonical);
      g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
      g_assert_null (canonical);
    }
}

static void
test_recurrence_next (void)
{
  gint64 monday = local (2026, 3, 2, 9, 0);
  gint64 thursday = local (2026, 3, 5, 9, 0);
  gint64 friday = local (2026, 3, 6, 9, 0);
  gint64 saturday = local (2026, 3, 7, 9, 0);

  g_assert_cmpint (rapport_recurrence_next ("1w", monday, FALSE), ==, local (2026, 3, 9, 9, 0));
  g_assert_cmpint (rapport_recurrence_next ("3d", friday, FALSE), ==, local (2026, 3, 9, 9, 0));
  g_assert_cmpint (rapport_recurrence_next ("1d", friday, FALSE), ==, saturday);
  /* On working days, days are counted Monday to Friday. */
  g_assert_cmpint (rapport_recurrence_next ("1d", friday, TRUE), ==, local (2026, 3, 9, 9, 0));
  g_assert_cmpint (rapport_recurrence_next ("2d", thursday, TRUE), ==, local (2026, 3, 9, 9, 0));
  g_assert_cmpint (rapport_recurrence_next ("3d", friday, TRUE), ==, local (2026, 3, 11, 9, 0));
  g_assert_cmpint (rapport_recurrence_next ("1d", monday, TRUE), ==, local (2026, 3, 3, 9, 0));
  /* Weeks and months that land on a weekend move to Monday. */
  g_assert_cmpint (rapport_recurrence_next ("1w", saturday, TRUE), ==, local (2026, 3, 16, 9, 0));
  g_assert_cmpint (rapport_recurrence_next ("1m", local (2026, 2, 7, 9, 0), TRUE), ==,
                   local (2026, 3, 9, 9, 0));
  g_assert_cmpint (rapport_recurrence_next ("1m", local (2026, 2, 7, 9, 0), FALSE), ==,
                   local (2026, 3, 7, 9, 0));
  /* The end of a month stays in the next month. */
  g_assert_cmpint (rapport_recurrence_next ("1m", local (2026, 1, 31, 9, 0), FALSE), ==,
                   local (2026, 2, 28, 9, 0));
  /* Wall-clock time holds across the change to summer time. */
  g_assert_cmpint (rapport_recurrence_next ("1w", local (2026, 3, 23, 9, 0), FALSE), ==,
                   local (2026, 3, 30, 9, 0));
  g_assert_cmpint (rapport_recurrence_next ("every 2w", monday, FALSE), ==,
                   local (2026, 3, 16, 9, 0));
  g_assert_cmpint (rapport_recurrence_next ("nonsense", monday, FALSE), ==, 0);
  g_assert_cmpint (rapport_recurrence_next (NULL, monday, FALSE), ==, 0);
}

static void
test_to_iso (void)
{
  g_autofree char *iso = rapport_time_to_iso (RAPPORT_TEST_NOW);
  g_autofree char *epoch = rapport_time_to_iso (0);
  gint64 back = 0;

  g_assert_cmpstr (iso, ==, "2026-03-02T09:00:00Z");
  g_assert_cmpstr (epoch, ==, "1970-01-01T00:00:00Z");
  g_assert_true (rapport_time_parse (iso, 0, &back, NULL));
  g_assert_cmpint (back, ==, RAPPORT_TEST_NOW);
}

int
main (int argc, char *argv[])
{
  /* A zone with daylight saving time, so local-time rules are exercised. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/time/absolute", test_absolute);
  g_test_add_func ("/time/relative", test_relative);
  g_test_add_func ("/time/invalid", test_invalid);
  g_test_add_func ("/time/recurrence-parse", test_recurrence_parse);
  g_test_add_func ("/time/recurrence-next", test_recurrence_next);
  g_test_add_func ("/time/to-iso", test_to_iso);
  return g_test_run ();
}
