/* test-crash.c: a writer killed with SIGKILL at random points loses nothing it acknowledged */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "rapport-store-private.h"
#include "test-common.h"

#define ROUNDS 40

static char *writer_path;

typedef struct
{
  char *id;
  guint round;
  guint batch;
  guint size;
} Acked;

static void
acked_free (Acked *a)
{
  g_free (a->id);
  g_free (a);
}

/* Starts the writer, reads @wanted acknowledgements (more lines may follow
 * in the pipe), kills it with SIGKILL, then reads what it had written. */
static void
run_round (const char *path, guint round, guint wanted, GPtrArray *acked)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *seed = g_strdup_printf ("%u", round * 7919 + 1);
  g_autoptr (GSubprocess) child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                    writer_path, path, seed, NULL);
  g_autoptr (GDataInputStream) out = NULL;
  guint seen = 0;

  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_auto (GStrv) parts = NULL;
      Acked *a;

      g_assert_no_error (error);
      if (line == NULL)
        break;  /* the pipe closed: the child is gone */
      parts = g_strsplit (line, " ", 3);
      /* A line cut short by the kill was never fully acknowledged. */
      if (g_strv_length (parts) != 3 || strlen (parts[2]) == 0)
        continue;
      a = g_new0 (Acked, 1);
      a->id = g_strdup (parts[0]);
      a->round = round;
      a->batch = (guint) g_ascii_strtoull (parts[1], NULL, 10);
      a->size = (guint) g_ascii_strtoull (parts[2], NULL, 10);
      g_ptr_array_add (acked, a);
      if (++seen == wanted)
        g_subprocess_force_exit (child);
    }
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  /* Killed by us, not dead of its own accord. */
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
}

static gint64
count (RapportStore *store, const char *sql, const char *param)
{
  sqlite3_stmt *stmt = rapport_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
check_store (const char *path, GPtrArray *acked)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportStore) store = rapport_store_open (path, &error);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  stmt = rapport_store_prepare (store, "PRAGMA integrity_check", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_reset (stmt);

  /* Everything acknowledged is there, and its whole transaction with it. */
  for (guint i = 0; i < acked->len; i++)
    {
      Acked *a = acked->pdata[i];

      if (count (store, "SELECT count(*) FROM contacts WHERE id = ?", a->id) != 1)
        g_error ("round %u: contact %s was acknowledged but is missing", a->round, a->id);
      g_assert_cmpint (count (store, "SELECT count(*) FROM journal WHERE record_id = ?", a->id), ==, 1);
      g_assert_cmpint (count (store, "SELECT count(*) FROM contacts_fts WHERE rowid ="
                                     " (SELECT rowid FROM contacts WHERE id = ?)", a->id), ==, 1);
    }
  /* No transaction is there in part, acknowledged or not: every batch has
   * all its contacts, every contact its journal entry, every interaction
   * its contact. */
  g_assert_cmpint (count (store,
                          "SELECT count(*) FROM (SELECT source, count(*) AS n, max (job_title) AS size"
                          " FROM contacts GROUP BY source HAVING n <> CAST (size AS INTEGER))", NULL),
                   ==, 0);
  g_assert_cmpint (count (store,
                          "SELECT count(*) FROM contacts c WHERE"
                          " (SELECT count(*) FROM journal j WHERE j.record_id = c.id) <> 1", NULL),
                   ==, 0);
  g_assert_cmpint (count (store,
                          "SELECT count(*) FROM interactions i WHERE NOT EXISTS"
                          " (SELECT 1 FROM contacts c WHERE c.id = i.contact_id)", NULL),
                   ==, 0);
}

static void
test_sigkill (void)
{
  g_autofree char *dir = rapport_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "rapport.db", NULL);
  g_autoptr (GPtrArray) acked = g_ptr_array_new_with_free_func ((GDestroyNotify) acked_free);
  GRand *rand = g_rand_new_with_seed (20260302);
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint round = 0; round < ROUNDS; round++)
    {
      guint before = acked->len;

      run_round (path, round, g_rand_int_range (rand, 1, 120), acked);
      g_assert_cmpuint (acked->len, >, before);
      /* Check now and then, and after the last round; the writer of the
       * next round opens a store that was killed mid-write. */
      if (round % 10 == 9)
        check_store (path, acked);
    }
  g_test_message ("%u acknowledged contacts over %u kills", acked->len, ROUNDS);
  g_rand_free (rand);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  writer_path = argc > 1 ? g_strdup (argv[1])
                         : g_test_build_filename (G_TEST_BUILT, "fault", "rapport-fault-writer", NULL);
  g_test_add_func ("/fault/sigkill-writer", test_sigkill);
  return g_test_run ();
}
