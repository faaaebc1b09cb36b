/* bench-sync.c: sync figures of performance.md, against a real rapport-server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rapport-generate.h"
#include "rapport-hlc.h"
#include "rapport-sync-private.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"
#include "rapport-sync-state.h"
#include "test-sync-common.h"
#include "bench-sync-radicale.h"

/* Prints "bench: NAME VALUE UNIT" lines:
 *   first-sync-<preset>       an empty desktop's first sync of the data set
 *   edits-100-seen            100 edits pushed by one desktop's scheduler and seen by
 *                             another's, whose pull waits at the server (mean, p95)
 *   desktops-50-p99           50 desktops syncing at once: p99 request time, as the
 *                             desktops time them (rapport-sync-request.c, from the
 *                             request made to its answer on the desktop's main loop);
 *                             desktops-50-server-* is the server's own time for the
 *                             same requests (RAPPORT_SERVER_TIMING=1), read to written
 *   upload-1000-*             1,000 contacts uploaded, Rapport vs Radicale + vdirsyncer
 *   apply-<preset>-*          (only with RAPPORT_BENCH_ONLY=apply) pulled pages parsed
 *                             and applied, without a server: "parse" is what the
 *                             pull's main thread does per page, "store" what its
 *                             worker does (checking the fields, then applying);
 *                             RAPPORT_BENCH_APPLY_CACHE=FILE keeps the pages,
 *                             RAPPORT_BENCH_APPLY_LIMIT=N applies only N changes,
 *                             RAPPORT_BENCH_APPLY_DEFER=1 drops the record tables'
 *                             indexes first and builds them at the end, as a first sync;
 *                             RAPPORT_BENCH_APPLY_TEXT=1 applies the pages' text as the
 *                             pull does (rapport_store_apply_changes_text())
 * RAPPORT_BENCH_PRESET=team-100k runs the first sync on team-100k (default
 * team-10k). RAPPORT_BENCH_ONLY=name runs one part. RAPPORT_BENCH_SERVER_URL (and
 * RAPPORT_BENCH_SERVER_PID, for its CPU) runs the first sync alone against a
 * server that already holds the data set, as a user "mia" with the tests'
 * password (e.g. a copy of the data dir an earlier run prints, served by hand).
 * RAPPORT_BENCH_KEEP_STORE=FILE keeps a copy of the store the first sync made. */

static gboolean
wanted (const char *name)
{
  const char *only = g_getenv ("RAPPORT_BENCH_ONLY");
  return only == NULL || *only == '\0' || strstr (only, name) != NULL;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* CPU seconds of this process: on a shared, busy machine, wall time says
 * as much about the neighbours as about Rapport. */
static double
cpu_seconds (void)
{
  return (double) clock () / CLOCKS_PER_SEC;
}

/* CPU seconds (user + system) the process @pid has used so far, from
 * /proc/PID/stat; -1 when unknown. */
static double
process_cpu_seconds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after_name;

  if (pid <= 0 || !g_file_get_contents (path, &contents, NULL, NULL)
      || (after_name = strrchr (contents, ')')) == NULL)
    return -1;
  /* After "pid (comm)": state is field 3, utime 14, stime 15. */
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / sysconf (_SC_CLK_TCK);
}

static double
sum_seconds (GArray *timings)
{
  gint64 sum = 0;

  for (guint i = 0; i < timings->len; i++)
    sum += g_array_index (timings, gint64, i);
  return sum / (double) G_USEC_PER_SEC;
}

static void
generate_progress (double fraction, gpointer user_data)
{
}

/* A desktop holding a whole data set whose records are all mia's (the
 * server only takes records that name their writer), pushed to the server. */
static TestDesktop *
seed_server (RapportTestServer *srv, const char *preset_name)
{
  TestDesktop *seed = test_desktop_new (srv->url);
  const RapportPreset *preset = rapport_preset_lookup (preset_name);
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) timings = NULL;
  const char *mia = test_sync_user_id ("mia");
  RapportSyncStats stats;
  gint64 start;

  g_assert_nonnull (preset);
  start = g_get_monotonic_time ();
  g_assert_true (rapport_store_generate (seed->store, preset, 7, g_get_real_time () / G_USEC_PER_SEC,
                                         generate_progress, NULL, &error));
  g_assert_no_error (error);
  users = rapport_store_list_users (seed->store);
  for (guint i = 0; i < users->len; i++)
    g_assert_true (rapport_store_replace_user_id (seed->store, RAPPORT_RECORD (users->pdata[i])->id,
                                                  mia, &error));
  g_assert_no_error (error);
  g_print ("# generated %s in %.1f s (%" G_GINT64_FORMAT " changes)\n", preset_name,
           seconds_since (start), rapport_store_count_pending (seed->store));

  test_desktop_login (seed, "mia", TEST_PASSWORD);
  timings = g_array_new (FALSE, FALSE, sizeof (gint64));
  rapport_sync_client_record_timings (seed->client, timings);
  start = g_get_monotonic_time ();
  test_desktop_sync (seed, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.refused, ==, 0);
  rapport_sync_client_record_timings (seed->client, NULL);
  g_print ("bench: upload-%s %.2f s (%.2f s of it waiting for %u requests)\n", preset_name,
           seconds_since (start), sum_seconds (timings), timings->len);
  return seed;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* 100 edits seen by a colleague -------------------------------------------- */

typedef struct
{
  TestDesktop *d;
  char *stage;
  gint64 busy_at;             /* when the pushing desktop's sync started */
  char *cursor;               /* the colleague's cursor at the last look */
} EditsWait;

static void
busy_cb (RapportSyncClient *client, GParamSpec *pspec, gpointer data)
{
  EditsWait *w = data;

  if (rapport_sync_client_get_busy (client) && w->busy_at == 0)
    w->busy_at = g_get_monotonic_time ();
}

/* The colleague's pull waits, and the pushing desktop is idle (its last
 * sync, which pulls back its own edits, is over). */
static gboolean
both_ready (gpointer data)
{
  RapportSyncScheduler **schedulers = data;
  RapportSyncClient *pusher = rapport_sync_scheduler_get_client (schedulers[0]);

  return rapport_sync_scheduler_get_waiting (schedulers[1]) && !rapport_sync_client_get_busy (pusher)
         && rapport_store_count_pending (rapport_sync_client_get_store (pusher)) == 0;
}

/* Whether all 100 edits are in the colleague's store. */
static gboolean
edits_seen (gpointer data)
{
  EditsWait *w = data;
  g_autofree char *cursor = rapport_store_get_state (w->d->store, RAPPORT_SYNC_STATE_CURSOR);
  g_autofree char *where = NULL;
  g_autoptr (GPtrArray) seen = NULL;

  /* Looked at only when a page was applied (a scan of every contact). */
  if (g_strcmp0 (cursor, w->cursor) == 0)
    return FALSE;
  g_free (w->cursor);
  w->cursor = g_steal_pointer (&cursor);
  where = g_strdup_printf ("stage = '%s'", w->stage);
  seen = rapport_store_list (w->d->store, rapport_entity_lookup ("contact"), where, NULL);
  return seen != NULL && seen->len == 100;
}

static double
percentile (GArray *values, guint pct)
{
  g_autoptr (GArray) sorted = g_array_copy (values);

  g_array_sort (sorted, (GCompareFunc) compare_double);
  return g_array_index (sorted, double, MIN (sorted->len - 1, (sorted->len * pct + 99) / 100 - 1));
}

static double
mean (GArray *values)
{
  double sum = 0;

  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  return sum / values->len;
}

/* As in the app: @seed's scheduler sends its edits after the short pause
 * that batches them; @fresh's keeps a pull waiting at the server (its
 * timer is set to 10 minutes, so what arrives came through that pull). */
static void
bench_edits (TestDesktop *seed, TestDesktop *fresh)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) contacts = rapport_store_list (seed->store, rapport_entity_lookup ("contact"),
                                                       "deleted = 0 LIMIT 100", &error);
  g_autoptr (RapportSyncScheduler) pusher = rapport_sync_scheduler_new (seed->client);
  g_autoptr (RapportSyncScheduler) watcher = rapport_sync_scheduler_new (fresh->client);
  g_autoptr (GArray) after_push = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) after_save = g_array_new (FALSE, FALSE, sizeof (double));
  EditsWait w = { fresh, NULL, 0, NULL };
  gulong busy_id;
  double cpu;

  g_assert_no_error (error);
  rapport_sync_scheduler_set_timing (watcher, 150, 10 * 60 * 1000, 1000, 60000);
  rapport_sync_scheduler_start (pusher);
  rapport_sync_scheduler_start (watcher);
  busy_id = g_signal_connect (seed->client, "notify::busy", G_CALLBACK (busy_cb), &w);
  cpu = cpu_seconds ();
  for (guint run = 0; run < 20; run++)
    {
      gint64 start;
      double ms_push, ms_save;

      RapportSyncScheduler *schedulers[] = { pusher, watcher };

      test_wait_until (both_ready, schedulers, 30000, "both desktops ready");
      w.stage = g_strdup_printf ("stage-%u", run);
      w.busy_at = 0;
      start = g_get_monotonic_time ();
      g_assert_true (rapport_store_begin (seed->store, &error));
      for (guint i = 0; i < contacts->len; i++)
        {
          RapportContact *c = contacts->pdata[i];
          g_free (c->stage);
          c->stage = g_strdup (w.stage);
          g_assert_true (rapport_store_save (seed->store, RAPPORT_RECORD (c), &error));
        }
      g_assert_true (rapport_store_commit (seed->store, &error));
      test_wait_until (edits_seen, &w, 30000, "100 edits on the colleague's desktop");
      ms_save = seconds_since (start) * 1000;
      g_assert_cmpint (w.busy_at, >, start);
      ms_push = (g_get_monotonic_time () - w.busy_at) / 1000.0;
      g_print ("# edits run %u: seen %.1f ms after the push began, %.1f ms after the first save "
               "(saving and the %u ms batching pause included)\n", run, ms_push, ms_save, 150);
      g_array_append_val (after_push, ms_push);
      g_array_append_val (after_save, ms_save);
      g_clear_pointer (&w.stage, g_free);
    }
  cpu = cpu_seconds () - cpu;
  g_free (w.cursor);
  g_signal_handler_disconnect (seed->client, busy_id);
  rapport_sync_scheduler_stop (pusher);
  rapport_sync_scheduler_stop (watcher);
  g_print ("bench: edits-100-seen %.1f ms mean, p95 %.1f ms (from the push to the colleague's "
           "store, %u runs; the colleague waits on GET /v1/pull?wait)\n", mean (after_push),
           percentile (after_push, 95), after_push->len);
  g_print ("bench: edits-100-seen-from-save %.1f ms mean, p95 %.1f ms (from the first save, "
           "with the app's batching pause)\n", mean (after_save), percentile (after_save, 95));
  g_print ("# both desktops' CPU (this process): %.1f ms per run\n", cpu * 1000 / after_push->len);
}

static void
bench_first_sync_and_edits (void)
{
  const char *preset_name = g_getenv ("RAPPORT_BENCH_PRESET");
  const char *server_url = g_getenv ("RAPPORT_BENCH_SERVER_URL");
  g_autoptr (RapportTestServer) srv = NULL;
  GPid server_pid;
  TestDesktop *seed, *fresh;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) runs_requests = g_array_new (FALSE, FALSE, sizeof (gint64));
  RapportSyncStats stats;
  gint64 start;
  double elapsed, cpu, server_cpu;

  if (preset_name == NULL || *preset_name == '\0')
    preset_name = "team-10k";
  if (server_url != NULL)
    {
      /* A server already holding the data set (a copy of an earlier run's
       * data dir, served by hand): the first sync alone, for profiling. */
      seed = NULL;
      server_pid = (GPid) g_ascii_strtoll (g_getenv ("RAPPORT_BENCH_SERVER_PID") ?: "0", NULL, 10);
    }
  else
    {
      srv = test_sync_server_new ();
      seed = seed_server (srv, preset_name);
      server_url = srv->url;
      server_pid = srv->pid;
      g_print ("# server data dir %s, pid %d\n", srv->data_dir, (int) srv->pid);
    }

  fresh = test_desktop_new (server_url);
  test_desktop_login (fresh, "mia", TEST_PASSWORD);
  rapport_sync_client_record_timings (fresh->client, runs_requests);
  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  server_cpu = process_cpu_seconds (server_pid);
  test_desktop_sync (fresh, &stats, &error);
  elapsed = seconds_since (start);
  cpu = cpu_seconds () - cpu;
  server_cpu = process_cpu_seconds (server_pid) - server_cpu;
  g_assert_no_error (error);
  rapport_sync_client_record_timings (fresh->client, NULL);
  {
    gint64 sum = 0;
    for (guint i = 0; i < runs_requests->len; i++)
      sum += g_array_index (runs_requests, gint64, i);
    g_print ("# %u requests took %.2f s in all; the rest is applying pages\n", runs_requests->len,
             sum / (double) G_USEC_PER_SEC);
  }
  g_print ("bench: first-sync-%s %.2f s\n", preset_name, elapsed);
  g_print ("bench: first-sync-%s-rate %.0f changes/s\n", preset_name, stats.pulled / elapsed);
  g_print ("bench: first-sync-%s-client-cpu %.2f s (%.0f changes per CPU second of the "
           "desktop; the rest is the server and the machine's other load)\n", preset_name, cpu,
           stats.pulled / cpu);
  g_print ("bench: first-sync-%s-server-cpu %.2f s (the server's process, from /proc)\n",
           preset_name, server_cpu);
  g_assert_cmpuint (test_desktop_count (fresh, "contact"), ==,
                    rapport_preset_lookup (preset_name)->contacts);
  /* RAPPORT_BENCH_KEEP_STORE=FILE: a copy of the synced store, for
   * rapport-bench-store --db (search over what a first sync leaves). */
  if (g_getenv ("RAPPORT_BENCH_KEEP_STORE") != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", g_getenv ("RAPPORT_BENCH_KEEP_STORE"));
      g_assert_cmpint (sqlite3_exec (rapport_store_get_db (fresh->store), sql, NULL, NULL, NULL), ==,
                       SQLITE_OK);
    }

  /* 100 edits made on one desktop and seen on another, end to end. */
  if (wanted ("edits") && seed != NULL)
    bench_edits (seed, fresh);
  if (seed != NULL)
    test_desktop_free (seed);
  test_desktop_free (fresh);
}

/* Applying pulled pages in memory: the client's share of a first sync ------ */

/* Pages as the server serves them, from a generated data set; kept in
 * RAPPORT_BENCH_APPLY_CACHE (one page per line) when that is set. */
static GPtrArray *
apply_pages (const char *preset_name)
{
  const char *cache = g_getenv ("RAPPORT_BENCH_APPLY_CACHE");
  g_autoptr (GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (RapportTestStore) ts = NULL;
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  GString *all;

  if (cache != NULL && g_file_get_contents (cache, &contents, NULL, NULL))
    {
      g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);

      for (guint i = 0; lines[i]; i++)
        if (*lines[i] != '\0')
          g_ptr_array_add (pages, g_strdup (lines[i]));
      return g_steal_pointer (&pages);
    }
  ts = rapport_test_store_new ();
  g_assert_true (rapport_store_generate (ts->store, rapport_preset_lookup (preset_name), 7,
                                         RAPPORT_TEST_NOW, generate_progress, NULL, &error));
  g_assert_no_error (error);
  pending = rapport_store_pending_changes (ts->store, G_MAXUINT, &error);
  g_assert_no_error (error);
  all = g_string_new (NULL);
  for (guint from = 0; from < pending->len; from += RAPPORT_SYNC_PULL_PAGE)
    {
      GString *page = g_string_new ("{\"epoch\":\"bench\",\"changes\":[");
      guint to = MIN (pending->len, from + RAPPORT_SYNC_PULL_PAGE);

      for (guint i = from; i < to; i++)
        {
          RapportChange *change = pending->pdata[i];
          g_autoptr (JsonNode) node = NULL;
          g_autofree char *text = NULL;

          change->seq = i + 1;
          change->author = g_strdup ("4f1c0de0-0000-4000-8000-000000000001");
          node = rapport_change_to_json (change);
          text = json_to_string (node, FALSE);
          g_string_append_printf (page, "%s%s", i > from ? "," : "", text);
        }
      g_string_append_printf (page, "],\"cursor\":%u,\"more\":%s}", to,
                              to < pending->len ? "true" : "false");
      g_string_append_printf (all, "%s\n", page->str);
      g_ptr_array_add (pages, g_string_free (page, FALSE));
    }
  if (cache != NULL)
    g_file_set_contents (cache, all->str, all->len, NULL);
  g_string_free (all, TRUE);
  return g_steal_pointer (&pages);
}

/* The pages as the pull applies them now: their text, read by the store
 * (rapport_store_apply_changes_text()), first sync style. */
static void
bench_apply_text (GPtrArray *texts, const char *preset_name, guint64 limit)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  guint64 n = 0;
  double cpu = cpu_seconds ();
  gint64 start = g_get_monotonic_time ();

  g_assert_true (rapport_store_begin (ts->store, &error));
  g_assert_true (rapport_store_defer_indexes (ts->store, &error));
  g_assert_true (rapport_store_commit (ts->store, &error));
  for (guint p = 0; p < texts->len && n < limit; p++)
    {
      g_autofree char *cursor = g_strdup_printf ("%u", p);
      g_autoptr (GPtrArray) applied = NULL;
      guint n_page = 0;

      g_assert_true (rapport_store_apply_changes_text (ts->store, texts->pdata[p],
                                                       strlen (texts->pdata[p]), "cursor", cursor,
                                                       &applied, &n_page, &error));
      g_assert_no_error (error);
      n += n_page;
    }
  g_assert_true (rapport_store_restore_indexes (ts->store, &error));
  g_assert_no_error (error);
  g_print ("bench: apply-%s-text %.0f changes/s (%" G_GUINT64_FORMAT " changes, %.2f s; "
           "%.0f changes per CPU second)\n", preset_name, n / seconds_since (start), n,
           seconds_since (start), n / (cpu_seconds () - cpu));
}

static void
bench_apply (void)
{
  const char *preset_name = g_getenv ("RAPPORT_BENCH_PRESET");
  const char *limit_text = g_getenv ("RAPPORT_BENCH_APPLY_LIMIT");
  guint64 limit = limit_text ? g_ascii_strtoull (limit_text, NULL, 10) : G_MAXUINT64;
  gboolean defer = g_strcmp0 (g_getenv ("RAPPORT_BENCH_APPLY_DEFER"), "1") == 0;
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  guint64 n = 0;
  double parse_s, apply_s, parse_cpu, apply_cpu;
  gint64 start;

  if (preset_name == NULL || *preset_name == '\0')
    preset_name = "team-10k";
  texts = apply_pages (preset_name);
  if (g_strcmp0 (g_getenv ("RAPPORT_BENCH_APPLY_TEXT"), "1") == 0)
    {
      bench_apply_text (texts, preset_name, limit);
      return;
    }
  start = g_get_monotonic_time ();
  parse_cpu = cpu_seconds ();
  for (guint p = 0; p < texts->len && n < limit; p++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonArray *array;
      GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);

      g_assert_true (json_parser_load_from_data (parser, texts->pdata[p], -1, &error));
      array = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "changes");
      for (guint i = 0; i < json_array_get_length (array) && n < limit; i++, n++)
        {
          /* As the pull reads a page on the main thread; its fields are
           * checked with the page, in the worker (below). */
          RapportChange *change = rapport_change_read_json (json_array_get_element (array, i), &error);

          g_assert_no_error (error);
          g_ptr_array_add (changes, change);
        }
      g_ptr_array_add (pages, changes);
    }
  parse_s = seconds_since (start);
  parse_cpu = cpu_seconds () - parse_cpu;
  start = g_get_monotonic_time ();
  apply_cpu = cpu_seconds ();
  /* As a first sync into an empty store does (rapport-sync-apply.c). */
  if (defer)
    {
      g_assert_true (rapport_store_begin (ts->store, &error));
      g_assert_true (rapport_store_defer_indexes (ts->store, &error));
      g_assert_true (rapport_store_commit (ts->store, &error));
      g_assert_no_error (error);
    }
  for (guint p = 0; p < pages->len; p++)
    {
      GPtrArray *changes = pages->pdata[p];
      g_autofree char *cursor = g_strdup_printf ("%u", p);

      for (guint i = 0; i < changes->len; i++)
        g_assert_true (rapport_change_validate (changes->pdata[i], &error));
      g_assert_true (rapport_store_apply_changes (ts->store, changes, "cursor", cursor,
                                                  &error));
      g_assert_no_error (error);
    }
  if (defer)
    {
      gint64 restore_start = g_get_monotonic_time ();
      double restore_cpu = cpu_seconds ();

      g_assert_true (rapport_store_restore_indexes (ts->store, &error));
      g_assert_no_error (error);
      g_print ("bench: apply-%s-indexes-built %.2f s (%.2f CPU s, part of store)\n", preset_name,
               seconds_since (restore_start), cpu_seconds () - restore_cpu);
    }
  apply_s = seconds_since (start);
  apply_cpu = cpu_seconds () - apply_cpu;

  /* 100 edits of existing contacts, as the second desktop of edits-100-seen
   * applies them (one page, one transaction). */
  {
    g_autoptr (GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);
    g_autofree char *device = g_strdup ("00000000000000ee");
    gint64 wall = (RAPPORT_TEST_NOW + 3600) * 1000;

    for (guint p = 0; p < pages->len && edits->len < 100; p++)
      {
        GPtrArray *changes = pages->pdata[p];

        for (guint i = 0; i < changes->len && edits->len < 100; i++)
          {
            RapportChange *change = changes->pdata[i];
            g_autoptr (JsonObject) fields = NULL;
            g_autofree char *stamp = NULL;
            g_autofree char *id = NULL;

            if (strcmp (change->entity, "contact") != 0)
              continue;
            fields = json_object_new ();
            json_object_set_string_member (fields, "stage", "stage-bench");
            stamp = rapport_stamp_format (wall, edits->len, device);
            id = g_uuid_string_random ();
            g_ptr_array_add (edits, rapport_change_new (id, "contact", change->record_id, stamp,
                                                        fields));
          }
      }
    start = g_get_monotonic_time ();
    g_assert_true (rapport_store_apply_changes (ts->store, edits, "cursor", "edits", &error));
    g_assert_no_error (error);
    g_print ("bench: apply-%s-edits-100 %.1f ms (100 edits of stored contacts, one page)\n",
             preset_name, seconds_since (start) * 1000);
  }
  g_print ("bench: apply-%s-parse %.0f changes/s (%" G_GUINT64_FORMAT " changes, %.2f s; "
           "%.0f changes per CPU second)\n", preset_name, n / parse_s, n, parse_s, n / parse_cpu);
  g_print ("bench: apply-%s-store %.0f changes/s (%" G_GUINT64_FORMAT " changes, %.2f s; "
           "%.0f changes per CPU second)\n", preset_name, n / apply_s, n, apply_s, n / apply_cpu);
}

/* 50 desktops at once -------------------------------------------------------- */

#define N_DESKTOPS 50

typedef struct
{
  const char *url;
  guint index;
  char *token;
  GMutex *lock;
  GCond *cond;
  guint *ready;
  gboolean *go;
  GArray *timings;          /* gint64 µs, this desktop's requests */
  gboolean ok;
  guint refused;
  guint pulled;
  char *error;
} Desk;

static gpointer
desk_thread (gpointer data)
{
  Desk *desk = data;
  GMainContext *context = g_main_context_new ();
  TestDesktop *d;
  g_autoptr (GError) error = NULL;
  RapportSyncStats stats;

  g_main_context_push_thread_default (context);
  d = test_desktop_new (desk->url);
  /* Signed in beforehand (the server paces sign-ins; desktops keep their
   * session in the keyring): here they only sync at once. */
  rapport_sync_client_set_token (d->client, desk->index % 2 ? "alice" : "bob", desk->token);
  /* Each desktop is in step with the team first (not measured)... */
  desk->ok = test_desktop_sync (d, &stats, &error);
  g_assert_no_error (error);
  /* ...then has a few edits of its own to send when they all sync. */
  g_assert_true (rapport_store_begin (d->store, &error));
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("Desk %u contact %u", desk->index, i);
      g_object_unref (test_desktop_add_contact (d, name));
    }
  g_assert_true (rapport_store_commit (d->store, &error));
  rapport_sync_client_record_timings (d->client, desk->timings);
  /* A desktop's main loop runs on between syncs (libsoup puts the
   * connection back in its pool there): run it until it is idle before this
   * thread waits for the others. */
  while (g_main_context_iteration (context, FALSE))
    ;

  g_mutex_lock (desk->lock);
  (*desk->ready)++;
  g_cond_broadcast (desk->cond);
  while (!*desk->go)
    g_cond_wait (desk->cond, desk->lock);
  g_mutex_unlock (desk->lock);

  desk->ok = test_desktop_sync (d, &stats, &error);
  desk->refused = stats.refused;
  desk->pulled = stats.pulled;
  if (error != NULL)
    desk->error = g_strdup (error->message);
  rapport_sync_client_record_timings (d->client, NULL);
  test_desktop_free (d);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

/* The server's own view of the same requests: its "timing:" lines
 * (RAPPORT_SERVER_TIMING=1, see app/server/rapport-server-timing.c), from
 * the request read to the answer written, per endpoint with the mean of
 * each stage. */
static void
print_server_timings (const char *output)
{
  static const char *const paths[] = { "/v1/push", "/v1/pull" };
  g_auto (GStrv) lines = g_strsplit (output, "\n", -1);
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    {
      double sum[8] = { 0 };
      guint n = 0, held = 0, groups = 0;

      for (guint i = 0; lines[i] != NULL; i++)
        {
          char method[8], path[32];
          unsigned status, group, looks;
          int was_held;
          double v[8];
          const char *line = strstr (lines[i], "timing: ");

          if (line == NULL
              || sscanf (line, "timing: %7s %31s %u total %lf ms queued %lf work %lf writer %lf "
                               "commit %lf cpu %lf group %u main %lf write %lf looks %u held %d",
                         method, path, &status, &v[0], &v[1], &v[2], &v[3], &v[4], &v[7], &group,
                         &v[5], &v[6], &looks, &was_held) != 14
              || strcmp (path, paths[p]) != 0)
            continue;
          if (was_held)
            {
              held++;
              continue;
            }
          for (guint k = 0; k < 8; k++)
            sum[k] += v[k];
          groups += group;
          n++;
          {
            gint64 us = (gint64) (v[0] * 1000);

            g_array_append_val (all, us);
          }
        }
      if (n == 0)
        continue;
      g_print ("# server %s: %u answered (%u more waited for changes), mean %.1f ms: queued %.1f, "
               "work %.1f, writer %.1f, commit %.1f (%.1f CPU, groups of %.1f), main %.1f, "
               "write %.1f\n", paths[p], n, held, sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n,
               sum[4] / n, sum[7] / n, (double) groups / n, sum[5] / n, sum[6] / n);
    }
  if (all->len == 0)
    return;
  g_array_sort (all, compare_gint64);
  g_print ("bench: desktops-50-server-p50 %.1f ms (read to written, in the server)\n",
           g_array_index (all, gint64, all->len / 2) / 1000.0);
  g_print ("bench: desktops-50-server-p99 %.1f ms\n",
           g_array_index (all, gint64, MIN (all->len - 1, all->len * 99 / 100)) / 1000.0);
}

static void
bench_many_desktops (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new_with_env ("RAPPORT_SERVER_TIMING", "1");
  Desk desks[N_DESKTOPS];
  GThread *threads[N_DESKTOPS];
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) pushes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) pulls = g_array_new (FALSE, FALSE, sizeof (gint64));
  GMutex lock;
  GCond cond;
  guint ready = 0, failed = 0, refused = 0;
  gboolean go = FALSE;
  TestDesktop *seed;
  gint64 start;
  double elapsed;
  gsize output_start;
  double server_cpu, desktops_cpu;

  /* The server already holds 300 contacts. */
  seed = test_desktop_new (srv->url);
  test_desktop_login (seed, "mia", TEST_PASSWORD);
  {
    g_autoptr (GError) error = NULL;
    g_assert_true (rapport_store_begin (seed->store, &error));
    for (guint i = 0; i < 300; i++)
      {
        g_autofree char *name = g_strdup_printf ("Existing %u", i);
        g_object_unref (test_desktop_add_contact (seed, name));
      }
    g_assert_true (rapport_store_commit (seed->store, &error));
  }
  test_desktop_sync_ok (seed);

  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (guint i = 0; i < N_DESKTOPS; i++)
    {
      TestDesktop *signer = test_desktop_new (srv->url);

      test_desktop_login (signer, i % 2 ? "alice" : "bob", TEST_PASSWORD);
      desks[i] = (Desk) { srv->url, i, g_strdup (rapport_sync_client_get_token (signer->client)),
                          &lock, &cond, &ready, &go, g_array_new (FALSE, FALSE, sizeof (gint64)),
                          FALSE, 0, 0, NULL };
      test_desktop_free (signer);
    }
  for (guint i = 0; i < N_DESKTOPS; i++)
    threads[i] = g_thread_new ("desktop", desk_thread, &desks[i]);
  g_mutex_lock (&lock);
  while (ready < N_DESKTOPS)
    g_cond_wait (&cond, &lock);
  go = TRUE;
  {
    g_autofree char *before = rapport_test_server_get_output (srv);

    output_start = strlen (before);
  }
  start = g_get_monotonic_time ();
  server_cpu = process_cpu_seconds (srv->pid);
  desktops_cpu = cpu_seconds ();
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (guint i = 0; i < N_DESKTOPS; i++)
    g_thread_join (threads[i]);
  elapsed = seconds_since (start);
  desktops_cpu = cpu_seconds () - desktops_cpu;
  server_cpu = process_cpu_seconds (srv->pid) - server_cpu;

  for (guint i = 0; i < N_DESKTOPS; i++)
    {
      if (!desks[i].ok)
        {
          failed++;
          g_print ("# desktop %u failed: %s\n", i, desks[i].error);
        }
      refused += desks[i].refused;
      g_array_append_vals (all, desks[i].timings->data, desks[i].timings->len);
      /* A desktop's first request is its push, the others pull. */
      if (desks[i].timings->len > 0)
        g_array_append_vals (pushes, desks[i].timings->data, 1);
      if (desks[i].timings->len > 1)
        g_array_append_vals (pulls, &g_array_index (desks[i].timings, gint64, 1),
                             desks[i].timings->len - 1);
      g_array_unref (desks[i].timings);
      g_free (desks[i].error);
      g_free (desks[i].token);
    }
  g_array_sort (pushes, compare_gint64);
  g_array_sort (pulls, compare_gint64);
  if (pushes->len > 0 && pulls->len > 0)
    g_print ("# desktops' pushes: p50 %.1f ms, max %.1f ms; pulls: p50 %.1f ms, max %.1f ms\n",
             g_array_index (pushes, gint64, pushes->len / 2) / 1000.0,
             g_array_index (pushes, gint64, pushes->len - 1) / 1000.0,
             g_array_index (pulls, gint64, pulls->len / 2) / 1000.0,
             g_array_index (pulls, gint64, pulls->len - 1) / 1000.0);
  g_array_sort (all, compare_gint64);
  g_print ("bench: desktops-50-all-done %.2f s (each sent 10 changes and received the others'; "
           "%u failed, %u changes refused, %u requests)\n", elapsed, failed, refused, all->len);
  g_print ("# CPU while they synced: the desktops %.2f s, the server %.2f s\n", desktops_cpu,
           server_cpu);
  g_print ("bench: desktops-50-p50 %.1f ms\n",
           g_array_index (all, gint64, all->len / 2) / 1000.0);
  g_print ("bench: desktops-50-p99 %.1f ms\n",
           g_array_index (all, gint64, MIN (all->len - 1, all->len * 99 / 100)) / 1000.0);
  {
    g_autofree char *output = rapport_test_server_get_output (srv);

    print_server_timings (output + output_start);
  }
  if (failed > 0)
    {
      g_autofree char *output = rapport_test_server_get_output (srv);
      g_print ("# the server said:\n%s\n", output);
    }
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpuint (refused, ==, 0);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
  test_desktop_free (seed);
}

/* 1,000 contacts uploaded: Rapport, then Radicale + vdirsyncer --------------- */

static void
bench_upload_vs_carddav (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *d = test_desktop_new (srv->url);
  g_autoptr (GError) error = NULL;
  RapportSyncStats stats;
  double rapport_ms, carddav_ms;
  gint64 start;

  test_desktop_login (d, "alice", TEST_PASSWORD);
  test_desktop_sync_ok (d);
  g_assert_true (rapport_store_begin (d->store, &error));
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr (RapportContact) c = rapport_contact_new ();
      g_autofree char *email = g_strdup_printf ("upload%u@example.com", i);
      g_autofree char *phone = g_strdup_printf ("+44 20 7946 %04u", i);

      /* The same fields as the vCards: name, email, phone. */
      c->kind = g_strdup ("person");
      c->name = g_strdup_printf ("Upload Person %u", i);
      c->given_name = g_strdup ("Upload");
      c->family_name = g_strdup_printf ("Person %u", i);
      c->created_by = g_strdup (rapport_store_get_me_id (d->store));
      c->owner = g_strdup (rapport_store_get_me_id (d->store));
      rapport_contact_add_email (c, "work", email);
      rapport_contact_add_phone (c, "work", phone);
      g_assert_true (rapport_store_save (d->store, RAPPORT_RECORD (c), &error));
    }
  g_assert_true (rapport_store_commit (d->store, &error));
  {
    g_autoptr (GArray) timings = g_array_new (FALSE, FALSE, sizeof (gint64));

    rapport_sync_client_record_timings (d->client, timings);
    start = g_get_monotonic_time ();
    test_desktop_sync (d, &stats, &error);
    g_assert_no_error (error);
    rapport_ms = seconds_since (start) * 1000;
    rapport_sync_client_record_timings (d->client, NULL);
    for (guint i = 0; i < timings->len; i++)
      g_print ("# request %u: %.1f ms\n", i, g_array_index (timings, gint64, i) / 1000.0);
  }
  g_assert_cmpuint (stats.pushed, ==, 1000);
  g_print ("bench: upload-1000-contacts-rapport %.1f ms\n", rapport_ms);

  carddav_ms = bench_radicale_upload (1000, &error);
  if (carddav_ms < 0)
    {
      g_print ("# Radicale + vdirsyncer comparison skipped: %s\n", error->message);
      test_desktop_free (d);
      return;
    }
  g_print ("bench: upload-1000-contacts-radicale-vdirsyncer %.1f ms\n", carddav_ms);
  g_print ("bench: upload-1000-contacts-speedup %.1f x (Radicale + vdirsyncer time / Rapport time)\n",
           carddav_ms / rapport_ms);
  test_desktop_free (d);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Big data sets on a busy 2-core machine: give syncs an hour. */
  g_setenv ("RAPPORT_TEST_SYNC_TIMEOUT_MS", "3600000", FALSE);

  if (g_strcmp0 (g_getenv ("RAPPORT_BENCH_ONLY"), "apply") == 0)
    {
      bench_apply ();
      return 0;
    }
  if (wanted ("first-sync") || wanted ("edits"))
    bench_first_sync_and_edits ();
  if (wanted ("desktops"))
    bench_many_desktops ();
  if (wanted ("upload"))
    bench_upload_vs_carddav ();
  return 0;
}
