/* test-common.c: a fresh store in a temporary folder, with a fixed clock */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rapport-store-private.h"
#include "test-common.h"

static gint64
test_now (gpointer user_data)
{
  RapportTestStore *ts = user_data;
  return ts->now;
}

char *
rapport_test_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("rapport-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

RapportTestStore *
rapport_test_store_new (void)
{
  RapportTestStore *ts = g_new0 (RapportTestStore, 1);
  g_autoptr (GError) error = NULL;

  ts->dir = rapport_test_tmpdir ();
  ts->path = g_build_filename (ts->dir, "rapport.db", NULL);
  ts->now = RAPPORT_TEST_NOW;
  ts->store = rapport_store_open (ts->path, &error);
  g_assert_no_error (error);
  rapport_store_set_now_func (ts->store, test_now, ts);
  return ts;
}

RapportTestStore *
rapport_test_store_reopen (RapportTestStore *ts)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&ts->store);
  ts->store = rapport_store_open (ts->path, &error);
  g_assert_no_error (error);
  rapport_store_set_now_func (ts->store, test_now, ts);
  return ts;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

void
rapport_test_store_free (RapportTestStore *ts)
{
  g_clear_object (&ts->store);
  remove_tree (ts->dir);
  g_free (ts->dir);
  g_free (ts->path);
  g_free (ts);
}

/**
 * rapport_test_store_file_digest:
 *
 * A digest of @store's database file as it is on disk, read through the
 * connection's own file handle: what is still only in the write-ahead log
 * does not count, and no descriptor of the file is opened or closed
 * (closing one would drop the connection's locks).
 *
 * Returns: (transfer full): the file's SHA-256, in hexadecimal
 */
char *
rapport_test_store_file_digest (RapportStore *store)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3_file *file = NULL;
  sqlite3_int64 size = 0;
  guchar buffer[4096];

  g_assert_cmpint (sqlite3_file_control (rapport_store_get_db (store), "main", SQLITE_FCNTL_FILE_POINTER, &file),
                   ==, SQLITE_OK);
  g_assert_nonnull (file);
  g_assert_cmpint (file->pMethods->xFileSize (file, &size), ==, SQLITE_OK);
  for (sqlite3_int64 at = 0; at < size; at += sizeof buffer)
    {
      int n = (int) MIN ((sqlite3_int64) sizeof buffer, size - at);

      g_assert_cmpint (file->pMethods->xRead (file, buffer, n, at), ==, SQLITE_OK);
      g_checksum_update (checksum, buffer, n);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * rapport_test_feed_pipe:
 * @data: a #RapportTestFeeder
 *
 * Writes a CSV header and feeder->rows rows of CSV ("Piped Person N",
 * "piped.N@example.org") into the pipe at feeder->path, then closes it;
 * stops early when the reader has gone (with SIGPIPE ignored).
 */
gpointer
rapport_test_feed_pipe (gpointer data)
{
  RapportTestFeeder *feeder = data;
  FILE *out = fopen (feeder->path, "w");

  g_assert_nonnull (out);
  fputs ("Name,Email\n", out);
  for (guint i = 0; i < feeder->rows; i++)
    if (fprintf (out, "Piped Person %u,piped.%u@example.org\n", i, i) < 0)
      break;
  fclose (out);
  return NULL;
}
