/* bench-duplicates.c: Find duplicates and a duplicate-checked import on a big store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "rapport-duplicates.h"
#include "bench-csv.h"
#include "rapport-import.h"
#include "rapport-merge-contacts.h"

/* Usage: bench-duplicates [--db STORE] [--rows N]
 * STORE (--db, or RAPPORT_BENCH_DB: a team-100k store made by `rapport-cli
 * generate`) is never written: it is copied into a temporary folder first,
 * and the copy is removed at the end. Prints
 *  - "bench: open-100k": opening the copy (a first open recomputes the sort
 *    keys of an older store once; the second open shows the usual cost);
 *  - "bench: duplicates-first-pair" and "duplicates-all": Find duplicates
 *    as the app's dialog runs it, time to the first pair and to the whole
 *    list, with CPU time and peak resident memory;
 *  - "bench: import-dup-N" and "reimport-dup-N": importing N CSV rows
 *    (bench-import's shape, default 10,000) into the copy, every row checked
 *    against the contacts already there, then the same file again, which
 *    must create nothing. */

static void
check (GError *error, const char *what)
{
  if (error != NULL)
    {
      fprintf (stderr, "bench-duplicates: %s: %s\n", what, error->message);
      exit (1);
    }
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/* The resident memory now, from /proc (ru_maxrss only grows). */
static double
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line ? g_ascii_strtod (line + 6, NULL) / 1024.0 : 0;
}

static void
copy_store (const char *from, const char *to)
{
  g_autofree char *command = g_strdup_printf ("cp --reflink=auto '%s' '%s'", from, to);
  g_autofree char *wal = g_strdup_printf ("%s-wal", from);
  int status = 0;
  g_autoptr (GError) error = NULL;

  if (g_file_test (wal, G_FILE_TEST_EXISTS) && g_file_test (wal, G_FILE_TEST_IS_REGULAR))
    {
      struct stat st;
      if (g_stat (wal, &st) == 0 && st.st_size > 0)
        {
          fprintf (stderr, "bench-duplicates: %s has a WAL in use; close what has it open\n", from);
          exit (1);
        }
    }
  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    check (error, "copy the store");
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

typedef struct
{
  gint64 start;
  gint64 first_at;      /* 0 until the first pair */
  double last_fraction;
  guint progress_calls;
} Watch;

static void
progress_cb (double fraction, gpointer user_data)
{
  Watch *watch = user_data;

  g_assert (fraction >= watch->last_fraction && fraction <= 1.0);
  watch->last_fraction = fraction;
  watch->progress_calls++;
}

static void
pair_cb (RapportDuplicatePair *pair, gpointer user_data)
{
  Watch *watch = user_data;

  if (watch->first_at == 0)
    watch->first_at = g_get_monotonic_time ();
}

static void
bench_find (RapportStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pairs = NULL;
  Watch watch = { 0 };
  double cpu, rss_before = rss_mb ();
  guint by[3] = { 0 };

  cpu = cpu_seconds ();
  watch.start = g_get_monotonic_time ();
  pairs = rapport_duplicates_scan (store, "GB", NULL, progress_cb, pair_cb, &watch, &error);
  check (error, "find duplicates");
  cpu = cpu_seconds () - cpu;
  for (guint i = 0; i < pairs->len; i++)
    {
      const char *reason = ((RapportDuplicatePair *) pairs->pdata[i])->reason;
      by[g_str_equal (reason, "email") ? 0 : g_str_equal (reason, "phone") ? 1 : 2]++;
    }
  g_print ("bench: duplicates-first-pair %.1f ms\n",
           watch.first_at ? (watch.first_at - watch.start) / 1000.0 : -1.0);
  g_print ("bench: duplicates-all %.1f ms, %.2f s CPU (%u pairs: %u email, %u phone, %u name; "
           "%u progress calls)\n",
           (g_get_monotonic_time () - watch.start) / 1000.0, cpu, pairs->len, by[0], by[1], by[2],
           watch.progress_calls);
  g_print ("bench: duplicates-rss %.0f MB resident after (%.0f MB before), %.0f MB peak of the process\n",
           rss_mb (), rss_before, peak_rss_mb ());
}

static void
bench_import (RapportStore *store, guint rows)
{
  g_autoptr (GBytes) csv = rapport_bench_csv (rows);
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  g_autoptr (RapportImportSummary) first = NULL;
  g_autoptr (RapportImportSummary) again = NULL;
  g_autoptr (GError) error = NULL;
  double cpu;
  gint64 start;

  options->region = g_strdup ("GB");
  cpu = cpu_seconds ();
  start = g_get_monotonic_time ();
  first = rapport_import_bytes (store, csv, "bench.csv", options, NULL, NULL, NULL, &error);
  check (error, "import");
  g_print ("bench: import-dup-%u %.3f s, %.2f s CPU (%u created, %u merged)\n", rows,
           (g_get_monotonic_time () - start) / 1e6, cpu_seconds () - cpu, first->created,
           first->merged);

  cpu = cpu_seconds ();
  start = g_get_monotonic_time ();
  again = rapport_import_bytes (store, csv, "bench.csv", options, NULL, NULL, NULL, &error);
  check (error, "import again");
  g_print ("bench: reimport-dup-%u %.3f s, %.2f s CPU (%u created, %u merged)\n", rows,
           (g_get_monotonic_time () - start) / 1e6, cpu_seconds () - cpu, again->created,
           again->merged);
  if (again->created != 0)
    {
      fprintf (stderr, "bench-duplicates: importing the same file again created %u contacts\n",
               again->created);
      exit (1);
    }
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *source = g_getenv ("RAPPORT_BENCH_DB");
  guint rows = 10000;
  gint64 start;
  double cpu;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--db") && i + 1 < argc)
      source = argv[++i];
    else if (g_str_equal (argv[i], "--rows") && i + 1 < argc)
      rows = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
  if (source == NULL || !g_file_test (source, G_FILE_TEST_IS_REGULAR))
    {
      fprintf (stderr, "bench-duplicates: no store%s%s; make one with "
                       "`rapport-cli generate --preset team-100k --seed 1 --db FILE` and give --db FILE\n",
               source ? " at " : " given", source ? source : "");
      return 77;
    }

  dir = g_dir_make_tmp ("rapport-bench-duplicates-XXXXXX", &error);
  check (error, "make a temporary folder");
  path = g_build_filename (dir, "rapport.db", NULL);
  copy_store (source, path);

  for (guint open = 0; open < 2; open++)
    {
      g_clear_object (&store);
      cpu = cpu_seconds ();
      start = g_get_monotonic_time ();
      store = rapport_store_open (path, &error);
      check (error, "open the store");
      g_print ("bench: open-%s %.1f ms, %.2f s CPU\n", open == 0 ? "first" : "again",
               (g_get_monotonic_time () - start) / 1000.0, cpu_seconds () - cpu);
    }

  bench_find (store);
  bench_import (store, rows);

  g_clear_object (&store);
  remove_dir (dir);
  return 0;
}
