/* rapport-bench-store.c: figures for the store on the reference data sets */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bench-queries.h"
#include "rapport-contact-list.h"
#include "rapport-due.h"
#include "rapport-generate.h"
#include "rapport-search.h"
#include "rapport-store-private.h"

/* Usage: rapport-bench-store [PRESET] [--db EXISTING]
 * PRESET is team-100k (default), team-10k, or RAPPORT_BENCH_PRESET. With
 * --db, the figures are measured on an already generated store instead of
 * generating one in a temporary folder. Every figure is printed as
 * "bench: NAME VALUE UNIT". */

/* 2026-03-02T09:00:00Z: the data sets end here, and "now" is this time. */
#define BENCH_NOW ((gint64) 1772442000)
#define SEED 42

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* CPU time of this process in seconds: on a machine shared with other work,
 * wall-clock times include waiting for a processor; both are reported. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
figure (const char *name, double value, const char *unit)
{
  printf ("bench: %s %.3f %s\n", name, value, unit);
  fflush (stdout);
}

static gint64
bench_now (gpointer user_data)
{
  return BENCH_NOW;
}

static void
check (GError *error, const char *what)
{
  if (error != NULL)
    {
      fprintf (stderr, "rapport-bench-store: %s: %s\n", what, error->message);
      exit (1);
    }
}

static gint64
count_rows (RapportStore *store, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3_stmt *stmt = rapport_store_prepare (store, sql, NULL);
  gint64 n = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

/* Bare SQLite: the contact rows of @store inserted into a table of the same
 * columns in a fresh file, same settings (WAL, synchronous=FULL), one
 * transaction, one prepared statement. Returns rows per second. */
static double
bare_sqlite_contacts (RapportStore *store, const char *dir, gint64 *n_rows)
{
  g_autofree char *path = g_build_filename (dir, "bare.db", NULL);
  g_autofree char *columns = rapport_store_select_columns (rapport_entity_lookup ("contact"), NULL);
  g_autofree char *select_sql = g_strdup_printf ("SELECT %s, stamp FROM contacts", columns);
  g_autoptr (GString) insert_sql = g_string_new (NULL);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  sqlite3_stmt *read = NULL, *insert = NULL;
  sqlite3 *db = NULL;
  int n_cols;
  gint64 start;
  double elapsed;

  /* Read the rows first, so only the inserting is timed. */
  sqlite3_prepare_v2 (rapport_store_get_db (store), select_sql, -1, &read, NULL);
  n_cols = sqlite3_column_count (read);
  while (sqlite3_step (read) == SQLITE_ROW)
    {
      GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
      for (int i = 0; i < n_cols; i++)
        g_ptr_array_add (row, g_strdup ((const char *) sqlite3_column_text (read, i)));
      g_ptr_array_add (rows, row);
    }
  sqlite3_finalize (read);

  g_string_append_printf (insert_sql, "INSERT INTO contacts (%s, stamp) VALUES (?", columns);
  for (int i = 1; i < n_cols; i++)
    g_string_append (insert_sql, ", ?");
  g_string_append (insert_sql, ")");

  sqlite3_open (path, &db);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", NULL, NULL, NULL);
  /* The contacts table exactly as Rapport's schema creates it. */
  sqlite3_exec (db,
                "CREATE TABLE contacts (id TEXT PRIMARY KEY, stamp TEXT NOT NULL, field_stamps TEXT,"
                " created_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER,"
                " kind TEXT, name TEXT, given_name TEXT, family_name TEXT, organization_id TEXT,"
                " organization TEXT, job_title TEXT, relationship TEXT, stage TEXT, owner TEXT,"
                " tags TEXT NOT NULL DEFAULT '[]', emails TEXT NOT NULL DEFAULT '[]',"
                " phones TEXT NOT NULL DEFAULT '[]', addresses TEXT NOT NULL DEFAULT '[]',"
                " social TEXT NOT NULL DEFAULT '[]', birthday TEXT, source TEXT,"
                " preferred_channel TEXT, do_not_contact INTEGER NOT NULL DEFAULT 0,"
                " marketing_consent INTEGER NOT NULL DEFAULT 0, cadence_days INTEGER NOT NULL"
                " DEFAULT 0, created_by TEXT, last_interaction_at INTEGER, sort_key TEXT)",
                NULL, NULL, NULL);

  start = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, insert_sql->str, -1, &insert, NULL);
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = rows->pdata[r];
      for (int i = 0; i < n_cols; i++)
        sqlite3_bind_text (insert, i + 1, row->pdata[i], -1, SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        g_error ("bare insert failed: %s", sqlite3_errmsg (db));
      sqlite3_reset (insert);
    }
  sqlite3_finalize (insert);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  elapsed = seconds_since (start);
  sqlite3_close (db);
  *n_rows = rows->len;
  return rows->len / elapsed;
}

/* Contacts inserted one by one through rapport_store_save() in one
 * transaction (journal, stamps, search index): what an import does without
 * the CSV parsing. */
static double
contact_inserts (RapportStore *source, const char *dir, guint n)
{
  g_autofree char *path = g_build_filename (dir, "insert.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *where = g_strdup_printf ("deleted = 0 ORDER BY rowid LIMIT %u", n);
  g_autoptr (GPtrArray) contacts = rapport_store_list (source, rapport_entity_lookup ("contact"),
                                                       where, &error);
  g_autoptr (RapportStore) store = NULL;
  gint64 start;
  double elapsed;

  check (error, "read contacts");
  store = rapport_store_open (path, &error);
  check (error, "open a store");
  rapport_store_set_now_func (store, bench_now, NULL);
  /* As new records: fresh ids, no derived data. */
  for (guint i = 0; i < contacts->len; i++)
    {
      RapportRecord *record = contacts->pdata[i];
      g_clear_pointer (&record->id, g_free);
      RAPPORT_CONTACT (record)->last_interaction_at = 0;
    }

  start = g_get_monotonic_time ();
  rapport_store_begin (store, &error);
  check (error, "begin");
  for (guint i = 0; i < contacts->len; i++)
    {
      rapport_store_save (store, contacts->pdata[i], &error);
      check (error, "save a contact");
    }
  rapport_store_commit (store, &error);
  check (error, "commit");
  elapsed = seconds_since (start);
  return contacts->len / elapsed;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted, guint percent)
{
  return g_array_index (sorted, double, MIN (sorted->len - 1, (sorted->len * percent) / 100));
}

static void
search_figures (RapportStore *store)
{
  g_autoptr (GPtrArray) queries = rapport_bench_queries ();
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  double worst = 0;
  const char *worst_query = "";

  /* One warm-up pass over the list, as a person's session would have. */
  for (guint i = 0; i < queries->len; i++)
    g_ptr_array_unref (rapport_store_search (store, queries->pdata[i], 50, NULL));
  for (guint i = 0; i < queries->len; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) hits = NULL;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_seconds ();
      double ms, cpu_ms;

      hits = rapport_store_search (store, queries->pdata[i], 50, &error);
      ms = seconds_since (start) * 1000;
      cpu_ms = (cpu_seconds () - cpu_start) * 1000;
      check (error, "search");
      g_array_append_val (times, ms);
      g_array_append_val (cpu_times, cpu_ms);
      if (ms > worst)
        {
          worst = ms;
          worst_query = queries->pdata[i];
        }
    }
  g_array_sort (times, compare_doubles);
  g_array_sort (cpu_times, compare_doubles);
  printf ("bench: search_queries %u queries (limit 50 each)\n", times->len);
  figure ("search_p50", percentile (times, 50), "ms");
  figure ("search_p95", percentile (times, 95), "ms");
  figure ("search_p50_cpu", percentile (cpu_times, 50), "ms");
  figure ("search_p95_cpu", percentile (cpu_times, 95), "ms");
  figure ("search_max", worst, "ms");
  printf ("bench: search_slowest_query \"%s\"\n", worst_query);
}

static void
due_figures (RapportStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) backlog = NULL;
  const char *me = rapport_store_get_me_id (store);
  gint64 start;
  double cpu_start;

  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  due = rapport_store_due (store, me, BENCH_NOW, 7 * 24 * 3600, &error);
  figure ("due_one_user", seconds_since (start) * 1000, "ms");
  figure ("due_one_user_cpu", (cpu_seconds () - cpu_start) * 1000, "ms");
  check (error, "due");
  printf ("bench: due_items %u items\n", due->len);

  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  backlog = rapport_store_backlog (store, NULL, BENCH_NOW, &error);
  figure ("backlog_team", seconds_since (start) * 1000, "ms");
  figure ("backlog_team_cpu", (cpu_seconds () - cpu_start) * 1000, "ms");
  check (error, "backlog");
  printf ("bench: backlog_rows %u owners\n", backlog->len);
}

static void
open_figures (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportStore) store = NULL;
  g_autoptr (RapportContactList) list = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n;

  store = rapport_store_open (path, &error);
  check (error, "open");
  list = rapport_contact_list_new (store);
  n = MIN (100u, g_list_model_get_n_items (G_LIST_MODEL (list)));
  for (guint i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
  figure ("open_and_first_100_rows", seconds_since (start) * 1000, "ms");
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *preset_name = g_getenv ("RAPPORT_BENCH_PRESET");
  const char *existing = NULL;
  const RapportPreset *preset;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--db") && i + 1 < argc)
      existing = argv[++i];
    else
      preset_name = argv[i];
  if (preset_name == NULL || *preset_name == '\0')
    preset_name = "team-100k";
  preset = rapport_preset_lookup (preset_name);
  if (preset == NULL)
    {
      fprintf (stderr, "rapport-bench-store: unknown data set %s; use team-10k or team-100k\n",
               preset_name);
      return 2;
    }

  dir = g_dir_make_tmp ("rapport-bench-XXXXXX", &error);
  check (error, "make a temporary folder");
  path = existing ? g_strdup (existing) : g_build_filename (dir, "rapport.db", NULL);
  store = rapport_store_open (path, &error);
  check (error, "open the store");
  rapport_store_set_now_func (store, bench_now, NULL);
  printf ("bench: dataset %s (%s)\n", preset_name, existing ? existing : "generated");

  if (existing == NULL)
    {
      guint64 total = (guint64) preset->users + preset->contacts + preset->interactions
                      + preset->notes + preset->open_reminders + preset->promises
                      + preset->complaints;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_seconds ();
      gint64 bare_rows = 0;
      double seconds, rate, bare, inserts;

      rapport_store_generate (store, preset, SEED, BENCH_NOW, NULL, NULL, &error);
      check (error, "generate");
      seconds = seconds_since (start);
      rate = total / seconds;
      figure ("generate_time", seconds, "s");
      figure ("generate_cpu_time", cpu_seconds () - cpu_start, "s");
      figure ("generate_rows_per_s", rate, "rows/s");
      bare = bare_sqlite_contacts (store, dir, &bare_rows);
      figure ("bare_sqlite_contact_rows_per_s", bare, "rows/s");
      figure ("generate_vs_bare_slowdown", bare / rate, "x");
      inserts = contact_inserts (store, dir, preset->contacts);
      figure ("contact_insert_rows_per_s", inserts, "rows/s");
      figure ("contact_insert_vs_bare_slowdown", bare / inserts, "x");
    }
  printf ("bench: rows contacts=%" G_GINT64_FORMAT " interactions=%" G_GINT64_FORMAT
          " notes=%" G_GINT64_FORMAT " reminders=%" G_GINT64_FORMAT "\n",
          count_rows (store, "contacts"), count_rows (store, "interactions"),
          count_rows (store, "notes"), count_rows (store, "reminders"));

  search_figures (store);
  due_figures (store);
  g_clear_object (&store);
  open_figures (path);

  if (existing == NULL)
    {
      const char *files[] = { "rapport.db", "rapport.db-wal", "rapport.db-shm", "bare.db",
                              "bare.db-wal", "bare.db-shm", "insert.db", "insert.db-wal",
                              "insert.db-shm" };
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *file = g_build_filename (dir, files[i], NULL);
          g_unlink (file);
        }
    }
  g_rmdir (dir);
  return 0;
}
