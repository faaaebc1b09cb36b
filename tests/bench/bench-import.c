/* bench-import.c: importing 100,000 CSV rows into an empty store, against bare SQLite */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/resource.h>
#include <time.h>

#include <sqlite3.h>
#include <glib/gstdio.h>

#include "bench-csv.h"
#include "rapport-import.h"

/* performance.md: "import 100,000 contacts from CSV into an empty store:
 * ≤ 3 s, within 3× of bare SQLite inserting the same rows". The rows are
 * made here, deterministically; RAPPORT_BENCH_ROWS changes their number.
 * On a loaded machine wall time says little: the CPU time of the process
 * (all threads) is printed too, and RAPPORT_BENCH_ONLY=bare|import runs one
 * side only, for instruction counts of each under callgrind:
 *   RAPPORT_BENCH_ROWS=20000 RAPPORT_BENCH_ONLY=import valgrind --tool=callgrind \
 *     --separate-threads=yes tests/bench/bench-import */

static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* The same rows, inserted by bare SQLite into a table of the same shape,
 * with one prepared statement in one transaction. Like the import, it
 * leaves its pages in the write-ahead log at the commit; the checkpoint
 * copying them into the file is timed on its own (*@checkpoint). */
static G_GNUC_NO_INLINE double
bare_sqlite (const char *dir, guint rows, double *checkpoint)
{
  g_autofree char *path = g_build_filename (dir, "bare.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start;
  double seconds;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0;"
                    "CREATE TABLE contacts (id TEXT PRIMARY KEY, name TEXT, emails TEXT, phones TEXT,"
                    " organization TEXT, job_title TEXT, addresses TEXT, tags TEXT)", NULL, NULL, NULL);
  start = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO contacts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL);
  for (guint i = 0; i < rows; i++)
    {
      const char *given = rapport_bench_given[i % G_N_ELEMENTS (rapport_bench_given)];
      const char *family = rapport_bench_family[i % G_N_ELEMENTS (rapport_bench_family)];
      const char *city = rapport_bench_cities[i % G_N_ELEMENTS (rapport_bench_cities)];
      const char *tag_name = rapport_bench_tags[i % G_N_ELEMENTS (rapport_bench_tags)];
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *name = g_strdup_printf ("%s %s %u", given, family, i);
      g_autofree char *email = g_strdup_printf ("[{\"label\":\"other\",\"value\":\"%s.%u@example%u.org\"}]",
                                                given, i, i % 97);
      g_autofree char *phone = g_strdup_printf ("[{\"label\":\"other\",\"value\":\"+44 20 %04u %04u\"}]",
                                                7000 + i / 10000, i % 10000);
      g_autofree char *org = g_strdup_printf ("Company %u, Ltd", i % 5000);
      g_autofree char *address = g_strdup_printf ("[{\"label\":\"other\",\"city\":\"%s\","
                                                  "\"country\":\"United Kingdom\"}]", city);
      g_autofree char *tag = g_strdup_printf ("[\"%s\"]", tag_name);
      const char *values[] = { id, name, email, phone, org, "Buyer", address, tag };

      for (guint v = 0; v < G_N_ELEMENTS (values); v++)
        sqlite3_bind_text (stmt, v + 1, values[v], -1, SQLITE_TRANSIENT);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  start = g_get_monotonic_time ();
  g_assert_cmpint (sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL), ==, SQLITE_OK);
  *checkpoint = (g_get_monotonic_time () - start) / 1e6;
  sqlite3_close (db);
  return seconds;
}

/* The floor of the import: SQLite alone copying every row the import
 * wrote (from @imported) into an empty store of the same schema, with the
 * store's settings, in one transaction, its checkpoint left out as the
 * import's is. Its ratio to bare SQLite is what the store's schema
 * (full-text index, journal, duplicate keys) costs whatever the import's
 * code does; the import's ratio to the floor is what the code adds. */
static G_GNUC_NO_INLINE double
sqlite_floor (const char *dir, const char *imported)
{
  static const char *const tables[] = { "contacts", "journal", "contacts_fts", "contact_keys", "contact_tags" };
  static const char *const copies[] = {
    "INSERT INTO contacts SELECT * FROM src.contacts",
    "INSERT INTO journal SELECT * FROM src.journal",
    "INSERT INTO contacts_fts (rowid, name, organization, emails, phones, tags)"
    " SELECT rowid, name, organization, emails, phones, tags FROM src.contacts_fts",
    "INSERT INTO contact_keys SELECT * FROM src.contact_keys ORDER BY kind, value, contact_id",
    "INSERT INTO contact_tags SELECT * FROM src.contact_tags",
  };
  g_autofree char *path = g_build_filename (dir, "floor.db", NULL);
  g_autoptr (GError) error = NULL;
  char *attach;
  RapportStore *empty = rapport_store_open (path, &error);
  sqlite3 *db = NULL;
  gint64 start;
  double seconds;

  g_assert_no_error (error);
  g_object_unref (empty);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  attach = sqlite3_mprintf ("ATTACH %Q AS src", imported);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA synchronous = FULL; PRAGMA cache_size = -16000;"
                                     "PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = 0", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, attach, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (attach);
  /* The imported store is read once first, so the copy does not wait on the disk. */
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM src.%s", tables[i]);
      g_assert_cmpint (sqlite3_exec (db, count, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  start = g_get_monotonic_time ();
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
    g_assert_cmpint (sqlite3_exec (db, copies[i], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  sqlite3_close (db);
  return seconds;
}

int
main (int argc, char *argv[])
{
  const char *env = g_getenv ("RAPPORT_BENCH_ROWS");
  const char *only = g_getenv ("RAPPORT_BENCH_ONLY");
  guint rows = env ? (guint) g_ascii_strtoull (env, NULL, 10) : 100000;
  gboolean run_import = only == NULL || g_str_equal (only, "import");
  gboolean run_bare = only == NULL || g_str_equal (only, "bare");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) csv = rapport_bench_csv (rows);
  g_autofree char *dir = g_dir_make_tmp ("rapport-bench-import-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr (RapportStore) store = NULL;
  g_autoptr (RapportImportOptions) options = rapport_import_options_new ();
  g_autoptr (RapportImportSummary) summary = NULL;
  g_autofree char *label = NULL;
  double seconds = 0, bare = 0, floor_seconds = 0, cpu = 0, bare_cpu = 0, writer_cpu = 0;
  double checkpoint = 0, bare_checkpoint = 0;
  gint64 start;

  g_assert_no_error (error);
  path = g_build_filename (dir, "rapport.db", NULL);
  store = rapport_store_open (path, &error);
  g_assert_no_error (error);
  options->region = g_strdup ("GB");
  label = rows == 100000 ? g_strdup ("100k") : g_strdup_printf ("%u", rows);

  if (run_import)
    {
      cpu = cpu_seconds ();
      writer_cpu = thread_cpu_seconds ();
      start = g_get_monotonic_time ();
      summary = rapport_import_bytes (store, csv, "bench.csv", options, NULL, NULL, NULL, &error);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      cpu = cpu_seconds () - cpu;
      writer_cpu = thread_cpu_seconds () - writer_cpu;
      g_assert_no_error (error);
      g_assert_cmpuint (summary->created, ==, rows);
      /* The writing thread is this one; the file is parsed on another. */
      g_print ("bench: import-csv-%s %.3f s (CPU %.3f s: writing %.3f s, parsing %.3f s)\n", label, seconds,
               cpu, writer_cpu, cpu - writer_cpu);
      /* What the app's import thread does once it has reported the import. */
      start = g_get_monotonic_time ();
      g_assert_true (rapport_store_checkpoint (store, &error));
      g_assert_no_error (error);
      checkpoint = (g_get_monotonic_time () - start) / 1e6;
      g_print ("bench: import-csv-%s checkpoint after it %.3f s (in the app, after the import is reported)\n",
               label, checkpoint);
      g_print ("bench: import-csv-%s %.0f rows/s (%u rows, %.1f MB of CSV)\n", label, rows / seconds, rows,
               g_bytes_get_size (csv) / 1e6);
    }
  if (run_bare)
    {
      bare_cpu = cpu_seconds ();
      bare = bare_sqlite (dir, rows, &bare_checkpoint);
      bare_cpu = cpu_seconds () - bare_cpu;
      g_print ("bench: bare-sqlite-insert-%s %.3f s (CPU %.3f s), checkpoint after it %.3f s\n", label, bare,
               bare_cpu, bare_checkpoint);
    }
  if (run_import && run_bare)
    {
      g_print ("bench: import-vs-bare-%s %.1fx wall, %.1fx CPU (target: import <= 3 s and <= 3x); with their "
               "checkpoints %.1fx wall\n", label, seconds / bare, cpu / bare_cpu,
               (seconds + checkpoint) / (bare + bare_checkpoint));
      floor_seconds = sqlite_floor (dir, path);
      g_print ("bench: sqlite-floor-%s %.3f s, %.1fx bare (SQLite alone copying the rows the import wrote)\n",
               label, floor_seconds, floor_seconds / bare);
      g_print ("bench: import-vs-floor-%s %.1fx\n", label, seconds / floor_seconds);
    }

  g_clear_object (&store);
  /* RAPPORT_BENCH_KEEP=1: the stores are left for a look at their tables. */
  if (g_getenv ("RAPPORT_BENCH_KEEP") != NULL)
    {
      g_print ("bench: stores kept in %s\n", dir);
      return 0;
    }
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_unlink (file);
      }
  }
  g_rmdir (dir);
  return 0;
}
