/* test-hlc.c: hybrid logical clock stamps: format, order, monotony, skew */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rapport-hlc.h"

#define DEVICE_A "00000000000000aa"
#define DEVICE_B "00000000000000bb"

/* Independent reading of a stamp: the three parts as numbers. */
static void
split (const char *stamp, guint64 *wall, guint *counter, guint64 *device)
{
  g_assert_cmpint (strlen (stamp), ==, RAPPORT_STAMP_LEN);
  g_assert_cmpint (sscanf (stamp, "%13" G_GINT64_MODIFIER "x-%4x-%16" G_GINT64_MODIFIER "x",
                           wall, counter, device), ==, 3);
}

static int
tuple_compare (const char *a, const char *b)
{
  guint64 wa, wb, da, db;
  guint ca, cb;

  split (a, &wa, &ca, &da);
  split (b, &wb, &cb, &db);
  if (wa != wb)
    return wa < wb ? -1 : 1;
  if (ca != cb)
    return ca < cb ? -1 : 1;
  if (da != db)
    return da < db ? -1 : 1;
  return 0;
}

static void
test_format (void)
{
  g_autofree char *device = rapport_device_id_new ();
  g_autofree char *stamp = rapport_stamp_format (G_GINT64_CONSTANT (1772442000123), 7, DEVICE_A);
  char parsed_device[RAPPORT_DEVICE_ID_LEN + 1];
  gint64 wall = 0;
  guint counter = 0;

  g_assert_cmpuint (strlen (device), ==, RAPPORT_DEVICE_ID_LEN);
  for (const char *p = device; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  g_assert_cmpstr (stamp, ==, "0019cadc69afb-0007-00000000000000aa");
  g_assert_true (rapport_stamp_parse (stamp, &wall, &counter, parsed_device));
  g_assert_cmpint (wall, ==, G_GINT64_CONSTANT (1772442000123));
  g_assert_cmpuint (counter, ==, 7);
  g_assert_cmpstr (parsed_device, ==, DEVICE_A);

  g_assert_false (rapport_stamp_parse (NULL, NULL, NULL, NULL));
  g_assert_false (rapport_stamp_parse ("", NULL, NULL, NULL));
  g_assert_false (rapport_stamp_parse ("0019cadc69afb-0007-00000000000000AA", NULL, NULL, NULL));
  g_assert_false (rapport_stamp_parse ("0019cadc69afb_0007-00000000000000aa", NULL, NULL, NULL));
  g_assert_false (rapport_stamp_parse ("0019cadc69afb-0007-00000000000000a", NULL, NULL, NULL));
  g_assert_false (rapport_stamp_parse ("0019cadc69afg-0007-00000000000000aa", NULL, NULL, NULL));
}

/* Byte order of stamps is time order, then device: strcmp() agrees with
 * comparing the numbers. */
static void
test_byte_order_is_time_order (void)
{
  const char *devices[] = { DEVICE_A, DEVICE_B, "ffffffffffffffff", "0000000000000000" };
  GRand *rand = g_rand_new_with_seed (4);

  for (guint i = 0; i < 5000; i++)
    {
      gint64 wa = g_rand_int_range (rand, 0, 3) + G_GINT64_CONSTANT (1772442000000);
      gint64 wb = g_rand_int_range (rand, 0, 3) + G_GINT64_CONSTANT (1772442000000);
      g_autofree char *a = rapport_stamp_format (wa, g_rand_int_range (rand, 0, 3) * 0x1000,
                                                 devices[g_rand_int_range (rand, 0, 4)]);
      g_autofree char *b = rapport_stamp_format (wb, g_rand_int_range (rand, 0, 3) * 0x1000,
                                                 devices[g_rand_int_range (rand, 0, 4)]);
      int bytes = rapport_stamp_compare (a, b);
      int tuple = tuple_compare (a, b);

      g_assert_cmpint ((bytes > 0) - (bytes < 0), ==, tuple);
    }
  g_rand_free (rand);
  /* Never written sorts first. */
  g_assert_cmpint (rapport_stamp_compare (NULL, "0019cadc69afb-0007-00000000000000aa"), <, 0);
  g_assert_cmpint (rapport_stamp_compare (NULL, NULL), ==, 0);
}

static void
test_tick_monotonic (void)
{
  g_autoptr (RapportClock) clock = rapport_clock_new (DEVICE_A, NULL);
  g_autofree char *previous = g_strdup ("");
  gint64 now = G_GINT64_CONSTANT (1772442000000);

  /* Same millisecond, and a wall clock that jumps back an hour. */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *stamp = rapport_clock_tick (clock, i == 100 ? now - 3600000 : now);

      g_assert_cmpint (strcmp (stamp, previous), >, 0);
      g_assert_cmpstr (rapport_clock_get_last (clock), ==, stamp);
      g_free (previous);
      previous = g_strdup (stamp);
    }
  /* The counter runs out inside one millisecond: the next one is borrowed. */
  for (guint i = 0; i < 0x10000; i++)
    g_free (rapport_clock_tick (clock, now));
  {
    guint64 wall, device;
    guint counter;
    split (rapport_clock_get_last (clock), &wall, &counter, &device);
    g_assert_cmpuint (wall, >, (guint64) now);
    g_assert_cmpuint (device, ==, 0xaa);
  }
}

static void
test_persisted_clock (void)
{
  g_autoptr (RapportClock) first = rapport_clock_new (DEVICE_A, NULL);
  g_autoptr (RapportClock) restarted = NULL;
  g_autofree char *last = NULL;
  g_autofree char *next = NULL;

  g_free (rapport_clock_tick (first, G_GINT64_CONSTANT (1772442000000)));
  last = g_strdup (rapport_clock_get_last (first));
  /* After a restart with the wall clock set back a day, stamps still
   * follow the persisted one. */
  restarted = rapport_clock_new (DEVICE_A, last);
  next = rapport_clock_tick (restarted, G_GINT64_CONSTANT (1772442000000) - 86400000);
  g_assert_cmpint (strcmp (next, last), >, 0);
  g_assert_cmpstr (rapport_clock_get_device_id (restarted), ==, DEVICE_A);
}

static void
test_observe (void)
{
  g_autoptr (RapportClock) clock = rapport_clock_new (DEVICE_A, NULL);
  gint64 now = G_GINT64_CONSTANT (1772442000000);
  g_autofree char *remote = rapport_stamp_format (now + 60000, 5, DEVICE_B);
  g_autofree char *far = rapport_stamp_format (now + RAPPORT_CLOCK_MAX_SKEW_MS + 1, 0, DEVICE_B);
  g_autofree char *before = NULL;
  g_autofree char *next = NULL;
  g_autoptr (GError) error = NULL;

  /* A colleague's clock a minute ahead: our next write still comes after. */
  g_assert_true (rapport_clock_observe (clock, remote, now, &error));
  g_assert_no_error (error);
  next = rapport_clock_tick (clock, now);
  g_assert_cmpint (strcmp (next, remote), >, 0);

  /* Too far ahead: refused, and the clock does not move. */
  before = g_strdup (rapport_clock_get_last (clock));
  g_assert_false (rapport_clock_observe (clock, far, now, &error));
  g_assert_error (error, RAPPORT_CLOCK_ERROR, RAPPORT_CLOCK_ERROR_TOO_FAR_AHEAD);
  g_assert_cmpstr (rapport_clock_get_last (clock), ==, before);
  g_clear_error (&error);
  g_assert_false (rapport_clock_observe (clock, "garbage", now, &error));
  g_assert_error (error, RAPPORT_CLOCK_ERROR, RAPPORT_CLOCK_ERROR_MALFORMED);
  g_clear_error (&error);

  /* An older stamp changes nothing. */
  g_assert_true (rapport_clock_observe (clock, "0000000000001-0000-00000000000000bb", now, &error));
  g_assert_cmpstr (rapport_clock_get_last (clock), ==, before);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hlc/format", test_format);
  g_test_add_func ("/hlc/byte-order-is-time-order", test_byte_order_is_time_order);
  g_test_add_func ("/hlc/tick-monotonic", test_tick_monotonic);
  g_test_add_func ("/hlc/persisted-clock", test_persisted_clock);
  g_test_add_func ("/hlc/observe", test_observe);
  return g_test_run ();
}
