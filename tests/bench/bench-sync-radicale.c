/* bench-sync-radicale.c: the CardDAV peer of performance.md, Radicale + vdirsyncer */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-bench"

#include "config.h"

#include <signal.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bench-sync-radicale.h"
#include "test-common.h"

static guint16
free_port (void)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
port_open (guint16 port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = g_socket_client_connect_to_host (client, "127.0.0.1", port,
                                                                        NULL, NULL);
  return conn != NULL;
}

static gboolean
tick_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets 20 ms pass on the main loop between two looks at the port. */
static void
wait_a_moment (void)
{
  gboolean ticked = FALSE;

  g_timeout_add (20, tick_cb, &ticked);
  while (!ticked)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
run_quiet (const char *const *argv, GError **error)
{
  g_autoptr (GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                               | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                               | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                                       error);
  g_autofree char *out = NULL;

  if (process == NULL || !g_subprocess_communicate_utf8 (process, "y\ny\n", NULL, &out, NULL, error))
    return FALSE;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed: %s", argv[0], out);
      return FALSE;
    }
  return TRUE;
}

static void
write_vcards (const char *dir, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/upload-%u.vcf", dir, i);
      g_autofree char *card = g_strdup_printf (
          "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:upload-%u\r\nFN:Upload Person %u\r\n"
          "N:Person %u;Upload;;;\r\nEMAIL;TYPE=work:upload%u@example.com\r\n"
          "TEL;TYPE=work:+44 20 7946 %04u\r\nEND:VCARD\r\n", i, i, i, i, i);
      g_autoptr (GError) error = NULL;

      g_assert_true (g_file_set_contents (path, card, -1, &error));
    }
}

double
bench_radicale_upload (guint n_contacts, GError **error)
{
  g_autofree char *radicale = g_find_program_in_path ("radicale");
  g_autofree char *vdirsyncer = g_find_program_in_path ("vdirsyncer");
  g_autofree char *dir = NULL, *collections = NULL, *book = NULL, *props = NULL;
  g_autofree char *vcards = NULL, *status = NULL, *config = NULL, *config_text = NULL;
  g_autofree char *hosts = NULL;
  g_autoptr (GSubprocess) server = NULL;
  guint16 port;
  gint64 start, deadline;
  double ms = -1;

  if (radicale == NULL || vdirsyncer == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "radicale and vdirsyncer are not installed "
                           "(apt-get install radicale vdirsyncer)");
      return -1;
    }

  dir = rapport_test_tmpdir ();
  collections = g_build_filename (dir, "collections", NULL);
  book = g_build_filename (collections, "collection-root", "bench", "contacts", NULL);
  props = g_build_filename (book, ".Radicale.props", NULL);
  vcards = g_build_filename (dir, "vcards", NULL);
  status = g_build_filename (dir, "status", NULL);
  config = g_build_filename (dir, "vdirsyncer.conf", NULL);
  g_assert_cmpint (g_mkdir_with_parents (book, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (vcards, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (status, 0700), ==, 0);
  g_assert_true (g_file_set_contents (props, "{\"tag\": \"VADDRESSBOOK\"}", -1, NULL));
  write_vcards (vcards, n_contacts);

  port = free_port ();
  hosts = g_strdup_printf ("127.0.0.1:%u", port);
  config_text = g_strdup_printf (
      "[general]\nstatus_path = \"%s/\"\n\n"
      "[pair contacts]\na = \"local\"\nb = \"remote\"\ncollections = null\n\n"
      "[storage local]\ntype = \"filesystem\"\npath = \"%s/\"\nfileext = \".vcf\"\n\n"
      "[storage remote]\ntype = \"carddav\"\nurl = \"http://%s/bench/contacts/\"\n"
      "username = \"bench\"\npassword = \"bench\"\n", status, vcards, hosts);
  g_assert_true (g_file_set_contents (config, config_text, -1, NULL));

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             error, radicale, "--server-hosts", hosts, "--auth-type", "none",
                             "--storage-filesystem-folder", collections, NULL);
  if (server == NULL)
    return -1;
  /* Radicale is ready when it accepts connections (or it failed). */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!port_open (port))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "radicale did not start");
          goto stop;
        }
      wait_a_moment ();
    }

  {
    const char *discover[] = { vdirsyncer, "-c", config, "discover", NULL };
    const char *sync[] = { vdirsyncer, "-c", config, "sync", NULL };

    if (!run_quiet (discover, error))
      goto stop;
    start = g_get_monotonic_time ();
    if (!run_quiet (sync, error))
      goto stop;
    ms = (g_get_monotonic_time () - start) / 1000.0;
  }

stop:
  /* Stopped by its PID, not by name. */
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  {
    const char *rm[] = { "rm", "-rf", dir, NULL };
    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return ms;
}
