/* bench-app.c: the desktop app's speed on a reference store (issue 3, item 10) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-bench"

#include "config.h"

#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rapport-application.h"
#include "rapport-contact-page.h"
#include "rapport-contact-slots.h"
#include "rapport-generate.h"
#include "rapport-search.h"
#include "rapport-window.h"

/* Usage: bench-app [PRESET] [--db EXISTING] [--runs N] [--skip-start] [--search-only]
 *                  [--timeline-only]
 *
 * Under a display (xvfb-run -a dbus-run-session -- bench-app ...). Prints
 * "bench: NAME VALUE UNIT (DATASET)" lines:
 *  - start of the real binary (RAPPORT_PROFILE=1 rapport --db COPY) to each
 *    of its milestones, on Today (the default view) and on All Contacts,
 *    median of N runs, and its resident memory once the list is filled;
 *  - in process: a keystroke in the search entry to the frame that shows
 *    the updated list (p50, p95, max over every keystroke of a few names);
 *  - opening a contact with 10,000 timeline entries to its first paint.
 * The store is a copy (EXISTING is never written), or generated from
 * PRESET (team-100k by default: several minutes). RAPPORT_BENCH_APP names
 * another rapport binary to start (to compare builds). */

#define SEED 1
#define BENCH_NOW 1767225600  /* 2026-01-01 */
#define BIG_TIMELINE 10000
#define TIMEOUT_S 60

static const char *dataset;

static void
figure (const char *name, double value, const char *unit)
{
  printf ("bench: %s %.1f %s (%s)\n", name, value, unit, dataset);
  fflush (stdout);
}

static void
check (GError *error, const char *what)
{
  if (error != NULL)
    g_error ("%s: %s", what, error->message);
}

/* CPU time of the calling thread (the main loop's), in ms: wall times on a
 * machine shared with builds are noisy, this is what the app spent. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values, double p)
{
  guint i;

  g_array_sort (values, compare_double);
  i = (guint) (p * (values->len - 1) + 0.5);
  return g_array_index (values, double, MIN (i, values->len - 1));
}

/* The store ------------------------------------------------------------------ */

static void
copy_file (const char *from, const char *to)
{
  g_autoptr (GFile) source = g_file_new_for_path (from);
  g_autoptr (GFile) dest = g_file_new_for_path (to);
  g_autoptr (GError) error = NULL;

  if (!g_file_copy (source, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    check (error, "copy the store");
}

static char *
prepare_store (const char *dir, const char *existing, const RapportPreset *preset)
{
  g_autofree char *path = g_build_filename (dir, "rapport.db", NULL);
  g_autoptr (GError) error = NULL;

  if (existing != NULL)
    {
      g_autofree char *wal = g_strconcat (existing, "-wal", NULL);
      g_autofree char *wal_copy = g_strconcat (path, "-wal", NULL);

      copy_file (existing, path);
      if (g_file_test (wal, G_FILE_TEST_EXISTS))
        copy_file (wal, wal_copy);
    }
  else
    {
      g_autoptr (RapportStore) store = rapport_store_open (path, &error);

      check (error, "create the store");
      rapport_store_generate (store, preset, SEED, BENCH_NOW, NULL, NULL, &error);
      check (error, "generate");
    }
  return g_steal_pointer (&path);
}

/* A contact with BIG_TIMELINE entries (interactions and every fifth a
 * note), added once to the copy. */
static char *
add_big_contact (RapportStore *store)
{
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;
  gint64 now = rapport_store_now (store);

  contact->name = g_strdup ("Zoë Timeline-Benchmark");
  contact->kind = g_strdup ("person");
  contact->relationship = g_strdup ("customer");
  rapport_store_begin (store, &error);
  check (error, "begin");
  rapport_store_save (store, RAPPORT_RECORD (contact), &error);
  check (error, "save the contact");
  for (guint i = 0; i < BIG_TIMELINE; i++)
    {
      if (i % 5 == 4)
        {
          g_autoptr (RapportNote) note = rapport_note_new ();

          note->contact_id = g_strdup (RAPPORT_RECORD (contact)->id);
          note->body = g_strdup_printf ("Note %u: asked about delivery dates and the invoice "
                                        "address; prefers calls in the afternoon.", i);
          note->author = g_strdup (rapport_store_get_me_id (store));
          rapport_store_save (store, RAPPORT_RECORD (note), &error);
        }
      else
        {
          g_autoptr (RapportInteraction) interaction = rapport_interaction_new ();

          interaction->contact_id = g_strdup (RAPPORT_RECORD (contact)->id);
          interaction->kind = g_strdup ("call");
          interaction->direction = g_strdup ("outbound");
          interaction->channel = g_strdup ("phone");
          interaction->occurred_at = now - (gint64) i * 3600;
          interaction->logged_by = g_strdup (rapport_store_get_me_id (store));
          interaction->summary = g_strdup_printf ("Call %u about the spring order", i);
          rapport_store_save (store, RAPPORT_RECORD (interaction), &error);
        }
      check (error, "save a timeline entry");
    }
  rapport_store_commit (store, &error);
  check (error, "commit");
  return g_strdup (RAPPORT_RECORD (contact)->id);
}

/* The real binary's start --------------------------------------------------- */

static const char *const milestones[] = { "store-open", "window-mapped", "first-frame",
                                          "list-filled" };

static gint64
status_kb (GPid pid, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (field) + 1, NULL, 10);
}

/* CPU time (user and system, all threads) the process used so far. */
static double
process_cpu_ms (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  unsigned long utime = 0, stime = 0;
  const char *p;
  int field = 2;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strrchr (text, ')')) == NULL)
    return -1;
  /* Fields 14 and 15; the text after ')' starts at field 3. */
  for (; *p && field < 14; p++)
    if (*p == ' ')
      field++;
  if (sscanf (p, "%lu %lu", &utime, &stime) != 2)
    return -1;
  return (utime + stime) * 1000.0 / sysconf (_SC_CLK_TCK);
}

/* Starts the app once; fills @ms (one per milestone), @cpu_ms (at
 * list-filled) and the memory figures. */
static void
start_once (const char *db, const char *config_dir, double *ms, double *cpu_ms, gint64 *rss_kb,
            gint64 *hwm_kb)
{
  g_autofree char *default_app = g_build_filename (g_getenv ("RAPPORT_BUILD_ROOT"), "app", "gui",
                                                   "rapport", NULL);
  const char *app = g_getenv ("RAPPORT_BENCH_APP") ? g_getenv ("RAPPORT_BENCH_APP") : default_app;
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) in = NULL;
  g_autoptr (GError) error = NULL;
  guint found = 0;
  GPid pid;

  g_subprocess_launcher_setenv (launcher, "RAPPORT_PROFILE", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  process = g_subprocess_launcher_spawn (launcher, &error, app, "--db", db, NULL);
  check (error, "start rapport");
  pid = atoi (g_subprocess_get_identifier (process));
  in = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  for (guint i = 0; i < G_N_ELEMENTS (milestones); i++)
    ms[i] = -1;
  *cpu_ms = -1;
  while (found < G_N_ELEMENTS (milestones))
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
      char name[64];
      double value;

      check (error, "read the app's output");
      if (line == NULL)
        g_error ("rapport ended before it filled its list");
      if (sscanf (line, "profile: %63s %lf", name, &value) != 2)
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (milestones); i++)
        if (g_str_equal (name, milestones[i]) && ms[i] < 0)
          {
            ms[i] = value;
            found++;
            if (g_str_equal (name, "list-filled"))
              *cpu_ms = process_cpu_ms (pid);
          }
    }
  /* Memory once the list is shown and the start's work has settled. */
  g_usleep (2 * G_USEC_PER_SEC);
  *rss_kb = status_kb (pid, "VmRSS:");
  *hwm_kb = status_kb (pid, "VmHWM:");
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

static void
bench_start (const char *db, const char *dir, const char *view, guint runs)
{
  g_autofree char *config = g_build_filename (dir, "config", view, NULL);
  g_autofree char *settings_dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autofree char *contents = g_strdup_printf ("[org/rapport/Rapport]\nlast-view='%s'\n"
                                               "window-width=1280\nwindow-height=800\n", view);
  GArray *per_milestone[G_N_ELEMENTS (milestones)];
  g_autoptr (GArray) rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) hwm = g_array_new (FALSE, FALSE, sizeof (double));

  g_mkdir_with_parents (settings_dir, 0700);
  g_file_set_contents (keyfile, contents, -1, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (milestones); i++)
    per_milestone[i] = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint r = 0; r < runs; r++)
    {
      double ms[G_N_ELEMENTS (milestones)];
      gint64 rss_kb, hwm_kb;
      double mb, cpu_ms;

      start_once (db, config, ms, &cpu_ms, &rss_kb, &hwm_kb);
      g_array_append_val (cpu, cpu_ms);
      for (guint i = 0; i < G_N_ELEMENTS (milestones); i++)
        g_array_append_val (per_milestone[i], ms[i]);
      mb = rss_kb / 1024.0;
      g_array_append_val (rss, mb);
      mb = hwm_kb / 1024.0;
      g_array_append_val (hwm, mb);
    }
  for (guint i = 0; i < G_N_ELEMENTS (milestones); i++)
    {
      g_autofree char *name = g_strdup_printf ("start-%s-%s", view, milestones[i]);
      figure (name, percentile (per_milestone[i], 0.5), "ms");
      g_array_unref (per_milestone[i]);
    }
  {
    g_autofree char *name = g_strdup_printf ("start-%s-cpu-to-list-filled", view);
    figure (name, percentile (cpu, 0.5), "ms");
  }
  {
    g_autofree char *name = g_strdup_printf ("start-%s-resident-memory", view);
    g_autofree char *peak = g_strdup_printf ("start-%s-peak-memory", view);
    figure (name, percentile (rss, 0.5), "MB");
    figure (peak, percentile (hwm, 0.5), "MB");
  }
}

/* In process: search and the big timeline ---------------------------------- */

typedef struct
{
  gboolean searched;    /* the window ran the search of the keystroke */
  gboolean changed;     /* the list changed since the keystroke */
  gboolean painted;     /* and a frame was painted after that */
  gboolean done;
  GtkWidget *list;      /* the contact list's view */
  gint64 start;         /* of the keystroke, for the verbose breakdown */
  gint64 searched_at;   /* the window's search and the list's change done */
  gint64 layout_at;     /* the first frame's layout phase after the change */
  gint64 paint_at;      /* and its paint phase */
  double searched_cpu;  /* the main thread's CPU time (ms) at those points */
  double layout_cpu;
  double paint_cpu;
} Watch;

static void
search_changed_cb (GtkSearchEntry *entry, Watch *watch)
{
  watch->searched = TRUE;
  watch->searched_at = g_get_monotonic_time ();
  watch->searched_cpu = thread_cpu_ms ();
  /* Same results as before: the list is up to date, with nothing to paint. */
  if (!watch->changed)
    watch->done = TRUE;
}

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, Watch *watch)
{
  watch->changed = TRUE;
  /* A frame, whether or not the rows in sight changed: the figure is the
   * time to a painted list. */
  gtk_widget_queue_draw (watch->list);
}

static void
layout_cb (GdkFrameClock *clock, Watch *watch)
{
  if (watch->changed && watch->layout_at == 0)
    {
      watch->layout_at = g_get_monotonic_time ();
      watch->layout_cpu = thread_cpu_ms ();
    }
}

static void
paint_cb (GdkFrameClock *clock, Watch *watch)
{
  if (watch->changed && watch->paint_at == 0)
    {
      watch->paint_at = g_get_monotonic_time ();
      watch->paint_cpu = thread_cpu_ms ();
    }
}

static void
after_paint_cb (GdkFrameClock *clock, Watch *watch)
{
  if (watch->changed)
    watch->painted = watch->done = TRUE;
}

static void
run_until (gboolean *flag, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  while (!*flag)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  /* Half a second of whatever the start left to do (loading, idles). */
  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static gpointer
template_child (RapportWindow *window, const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), RAPPORT_TYPE_WINDOW, name);
}

/* The first word of a few contacts' names, typed one key at a time. */
static GPtrArray *
search_words (RapportStore *store)
{
  g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  g_autofree char *path = g_strdup (rapport_store_get_path (store));

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("Could not read %s", path);
  sqlite3_prepare_v2 (db, "SELECT name FROM contacts WHERE deleted = 0 AND kind = 'person'"
                          " ORDER BY rowid LIMIT 6 OFFSET 1000", -1, &stmt, NULL);
  while (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      g_auto (GStrv) parts = g_strsplit (name ? name : "", " ", 2);

      if (parts[0] != NULL && *parts[0] != '\0')
        g_ptr_array_add (words, g_strdup (parts[0]));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (words->len == 0)
    g_ptr_array_add (words, g_strdup ("anna"));
  return g_steal_pointer (&words);
}

static void
bench_search (RapportWindow *window, RapportStore *store)
{
  GtkEditable *entry = template_child (window, "search_entry");
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (
      gtk_list_view_get_model (template_child (window, "contact_list_view")));
  GtkSliceListModel *reveal = GTK_SLICE_LIST_MODEL (gtk_single_selection_get_model (selection));
  GListModel *model = NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_autoptr (GPtrArray) words = search_words (store);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  Watch watch = { .list = template_child (window, "contact_list_view") };
  gulong changed_id, paint_id, search_id, layout_id, paint_phase_id;
  double sync_ms;

  gtk_widget_activate_action (GTK_WIDGET (window), "window.search", NULL);
  settle ();
  /* The contacts, not the rows' places: a list replaced by one as long
   * keeps its places (rapport-contact-slots.c) and changes what they show. */
  model = rapport_contact_slots_get_model (RAPPORT_CONTACT_SLOTS (gtk_slice_list_model_get_model (reveal)));
  if (model == NULL)
    g_error ("The window made no contact list for its search");
  changed_id = g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &watch);
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &watch);
  layout_id = g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), &watch);
  paint_phase_id = g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), &watch);
  search_id = g_signal_connect_after (entry, "search-changed", G_CALLBACK (search_changed_cb),
                                      &watch);
  for (guint w = 0; w < words->len; w++)
    {
      const char *word = words->pdata[w];

      for (const char *p = word; *p; p = g_utf8_next_char (p))
        {
          g_autofree char *key = g_utf8_substring (p, 0, 1);
          int position = -1;
          gint64 start;
          double ms, cpu_start, cpu_ms;

          watch.searched = watch.changed = watch.painted = watch.done = FALSE;
          watch.searched_at = watch.layout_at = watch.paint_at = 0;
          start = watch.start = g_get_monotonic_time ();
          cpu_start = thread_cpu_ms ();
          /* What a key press does to the entry's text. */
          gtk_editable_set_position (entry, -1);
          position = gtk_editable_get_position (entry);
          gtk_editable_insert_text (entry, key, -1, &position);
          sync_ms = (g_get_monotonic_time () - start) / 1000.0;
          run_until (&watch.done, "the list to show the search");
          ms = (g_get_monotonic_time () - start) / 1000.0;
          cpu_ms = thread_cpu_ms () - cpu_start;
          g_array_append_val (times, ms);
          g_array_append_val (cpu_times, cpu_ms);
          /* Where the time went: the keystroke's own work (search, the
           * list's change, rows made and bound), then the frame's layout,
           * paint and the end of the paint. */
          if (g_getenv ("RAPPORT_BENCH_VERBOSE") != NULL)
            printf ("bench:   “%s” %.1f ms, %.1f ms CPU, %u contacts (keystroke %.1f, searched %.1f,"
                    " to layout %.1f, to paint %.1f)\n", gtk_editable_get_text (entry), ms, cpu_ms,
                    g_list_model_get_n_items (model), sync_ms,
                    (watch.searched_at - start) / 1000.0,
                    watch.layout_at ? (watch.layout_at - start) / 1000.0 : -1.0,
                    watch.paint_at ? (watch.paint_at - start) / 1000.0 : -1.0);
          if (g_getenv ("RAPPORT_BENCH_VERBOSE") != NULL && watch.paint_at)
            /* GTK's own layout and paint handlers run before the bench's:
             * "layout" is the frame's style and size allocation, "paint"
             * its snapshot and cairo drawing. */
            printf ("bench:     CPU: search %.1f, layout %.1f, paint %.1f, rest %.1f ms\n",
                    watch.searched_cpu - cpu_start, watch.layout_cpu - watch.searched_cpu,
                    watch.paint_cpu - watch.layout_cpu, cpu_start + cpu_ms - watch.paint_cpu);
        }
      gtk_editable_set_text (entry, "");
      settle ();
    }
  g_signal_handler_disconnect (model, changed_id);
  g_signal_handler_disconnect (clock, paint_id);
  g_signal_handler_disconnect (clock, layout_id);
  g_signal_handler_disconnect (clock, paint_phase_id);
  g_signal_handler_disconnect (entry, search_id);
  figure ("search-keystroke-to-list-p50", percentile (times, 0.5), "ms");
  figure ("search-keystroke-to-list-p95", percentile (times, 0.95), "ms");
  figure ("search-keystroke-to-list-max", percentile (times, 1.0), "ms");
  figure ("search-keystroke-to-list-cpu-p50", percentile (cpu_times, 0.5), "ms");
  figure ("search-keystroke-to-list-cpu-p95", percentile (cpu_times, 0.95), "ms");
  printf ("bench: (%u keystrokes over %u names)\n", times->len, words->len);
}

typedef struct
{
  RapportContactPage *page;
  const char *contact_id;
  gboolean painted;
} PageWatch;

static void
page_paint_cb (GdkFrameClock *clock, PageWatch *watch)
{
  RapportContact *shown = rapport_contact_page_get_contact (watch->page);

  if (shown != NULL && g_strcmp0 (RAPPORT_RECORD (shown)->id, watch->contact_id) == 0
      && g_list_model_get_n_items (rapport_contact_page_get_timeline (watch->page)) > 0)
    watch->painted = TRUE;
}

/* Returns the wall time to the first paint; @cpu_ms, the main thread's
 * CPU time in it. */
static double
open_contact (RapportWindow *window, const char *contact_id, double *cpu_ms)
{
  PageWatch watch = { template_child (window, "contact_page"), contact_id, FALSE };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (page_paint_cb), &watch);
  gint64 start = g_get_monotonic_time ();
  double cpu_start = thread_cpu_ms ();
  double ms;

  gtk_widget_activate_action (GTK_WIDGET (window), "window.show-contact", "s", contact_id);
  run_until (&watch.painted, "the contact page to be painted");
  ms = (g_get_monotonic_time () - start) / 1000.0;
  if (cpu_ms != NULL)
    *cpu_ms = thread_cpu_ms () - cpu_start;
  g_signal_handler_disconnect (clock, id);
  settle ();
  return ms;
}

static void
bench_timeline (RapportWindow *window, const char *big_id, const char *other_id, guint runs)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint r = 0; r < runs; r++)
    {
      double ms, cpu_ms;

      open_contact (window, other_id, NULL);
      ms = open_contact (window, big_id, &cpu_ms);
      g_array_append_val (times, ms);
      g_array_append_val (cpu_times, cpu_ms);
    }
  figure ("open-contact-10000-entries-to-paint-p50", percentile (times, 0.5), "ms");
  figure ("open-contact-10000-entries-to-paint-max", percentile (times, 1.0), "ms");
  figure ("open-contact-10000-entries-cpu-p50", percentile (cpu_times, 0.5), "ms");
}

static gboolean
list_ready (RapportWindow *window)
{
  GtkStack *stack = template_child (window, "list_stack");
  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "list") == 0;
}

static void
bench_in_process (const char *db, guint runs, gboolean search_only, gboolean timeline_only)
{
  g_autoptr (RapportStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *big_id = NULL;
  g_autofree char *other_id = NULL;
  RapportWindow *window;
  gint64 deadline;

  store = rapport_store_open (db, &error);
  check (error, "open the store");
  big_id = add_big_contact (store);
  {
    g_autoptr (GPtrArray) hits = rapport_store_search (store, "a", 1, &error);
    check (error, "search");
    g_assert (hits->len > 0);
    other_id = g_strdup (hits->pdata[0]);
  }

  window = rapport_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  rapport_window_show_view (window, "all");
  deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  while (!list_ready (window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  settle ();

  if (!timeline_only)
    bench_search (window, store);
  if (!search_only)
    bench_timeline (window, big_id, other_id, runs);
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

int
main (int argc, char *argv[])
{
  const char *existing = NULL;
  const char *preset_name = g_getenv ("RAPPORT_BENCH_PRESET");
  const RapportPreset *preset;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *label = NULL;
  guint runs = 3;
  gboolean skip_start = FALSE;
  gboolean search_only = FALSE;
  gboolean timeline_only = FALSE;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--db") && i + 1 < argc)
      existing = argv[++i];
    else if (g_str_equal (argv[i], "--skip-start"))
      skip_start = TRUE;
    /* Only the keystrokes, for profiling them (no start, no timeline). */
    else if (g_str_equal (argv[i], "--search-only"))
      skip_start = search_only = TRUE;
    /* Only the big timeline (no start, no keystrokes). */
    else if (g_str_equal (argv[i], "--timeline-only"))
      skip_start = timeline_only = TRUE;
    else if (g_str_equal (argv[i], "--runs") && i + 1 < argc)
      runs = (guint) atoi (argv[++i]);
    else
      preset_name = argv[i];
  if (preset_name == NULL || *preset_name == '\0')
    preset_name = "team-100k";
  runs = MAX (runs, 1);
  preset = rapport_preset_lookup (preset_name);
  if (preset == NULL && existing == NULL)
    {
      g_printerr ("Unknown data set “%s”: use team-100k or team-10k\n", preset_name);
      return 1;
    }
  /* Run by hand: the build tree this binary is in (tests/bench/). */
  if (g_getenv ("RAPPORT_BUILD_ROOT") == NULL)
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *bench_dir = g_path_get_dirname (exe);
      g_autofree char *tests_dir = g_path_get_dirname (bench_dir);
      g_autofree char *root = g_path_get_dirname (tests_dir);
      g_autofree char *schemas = g_build_filename (root, "data", NULL);

      g_setenv ("RAPPORT_BUILD_ROOT", root, TRUE);
      g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, FALSE);
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("No display: run under xvfb-run -a dbus-run-session --\n");
      return 77;
    }
  label = existing ? g_path_get_basename (existing) : g_strdup (preset_name);
  if (g_str_has_suffix (label, ".db"))
    label[strlen (label) - 3] = '\0';
  dataset = label;

  dir = g_dir_make_tmp ("rapport-bench-app-XXXXXX", NULL);
  db = prepare_store (dir, existing, preset);
  printf ("bench: dataset %s (%s), renderer %s\n", dataset, existing ? existing : "generated",
          g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "the app's (cairo, no OpenGL)");

  if (!skip_start)
    {
      bench_start (db, dir, "today", runs);
      bench_start (db, dir, "all", runs);
    }

  /* In process, drawn as the app draws. */
  rapport_application_choose_renderer ();
  g_setenv ("TZ", "UTC", TRUE);
  gtk_init ();
  adw_init ();
  bench_in_process (db, runs, search_only, timeline_only);

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (command) != 0)
      g_printerr ("Could not remove %s\n", dir);
  }
  return 0;
}
