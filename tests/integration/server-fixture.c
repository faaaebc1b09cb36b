/* server-fixture.c: a real rapport-server process on 127.0.0.1 for tests */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "server-fixture.h"

#define START_TIMEOUT_S 30
#define STOP_TIMEOUT_MS 10000

struct _RapportTestServerPrivate
{
  GPtrArray *env;           /* "NAME=VALUE" */
  GPtrArray *serve_args;
  GSubprocess *process;
  GThread *reader;

  GMutex lock;
  GCond cond;
  GString *output;          /* everything the server wrote, all runs */
  gsize run_start;          /* offset of this run's output */
  char *listen_line;        /* "listening on ..." of this run */
  gboolean eof;
};

static char *
server_binary (void)
{
  const char *bin = g_getenv ("RAPPORT_SERVER_BIN");
  const char *root = g_getenv ("RAPPORT_BUILD_ROOT");

  if (bin != NULL && *bin != '\0')
    return g_strdup (bin);
  return g_build_filename (root ? root : ".", "app", "server", "rapport-server", NULL);
}

static GSubprocessLauncher *
make_launcher (RapportTestServer *srv, GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  for (guint i = 0; i < srv->priv->env->len; i++)
    {
      const char *entry = srv->priv->env->pdata[i];
      const char *eq = strchr (entry, '=');
      g_autofree char *name = g_strndup (entry, eq - entry);

      g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
    }
  return launcher;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

RapportTestServer *
rapport_test_server_new (GError **error)
{
  g_autoptr (RapportTestServer) srv = g_new0 (RapportTestServer, 1);

  srv->priv = g_new0 (RapportTestServerPrivate, 1);
  srv->priv->env = g_ptr_array_new_with_free_func (g_free);
  srv->priv->serve_args = g_ptr_array_new_with_free_func (g_free);
  srv->priv->output = g_string_new (NULL);
  g_mutex_init (&srv->priv->lock);
  g_cond_init (&srv->priv->cond);
  srv->data_dir = g_dir_make_tmp ("rapport-server-XXXXXX", error);
  if (srv->data_dir == NULL)
    return NULL;
  rapport_test_server_setenv (srv, "RAPPORT_SERVER_PWHASH_FAST", "1");
  if (!rapport_test_server_admin (srv, NULL, NULL, error, "init", NULL))
    return NULL;
  return g_steal_pointer (&srv);
}

void
rapport_test_server_setenv (RapportTestServer *srv, const char *name, const char *value)
{
  g_autofree char *prefix = g_strconcat (name, "=", NULL);

  for (guint i = 0; i < srv->priv->env->len; i++)
    if (g_str_has_prefix (srv->priv->env->pdata[i], prefix))
      {
        g_ptr_array_remove_index (srv->priv->env, i);
        break;
      }
  if (value != NULL)
    g_ptr_array_add (srv->priv->env, g_strconcat (name, "=", value, NULL));
}

void
rapport_test_server_add_serve_args (RapportTestServer *srv, const char *first_arg, ...)
{
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (srv->priv->serve_args, g_strdup (arg));
  va_end (ap);
}

/* Drains the server's output (stdout and stderr merged) until it exits, so
 * it never blocks on a full pipe, and spots the "listening on" line. */
static gpointer
reader_thread (gpointer data)
{
  RapportTestServer *srv = data;
  RapportTestServerPrivate *priv = srv->priv;
  GInputStream *in = g_subprocess_get_stdout_pipe (priv->process);
  gboolean echo = g_strcmp0 (g_getenv ("RAPPORT_TEST_SERVER_ECHO"), "1") == 0;
  char buf[4096];

  for (;;)
    {
      gssize n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL);

      g_mutex_lock (&priv->lock);
      if (n <= 0)
        {
          priv->eof = TRUE;
          g_cond_broadcast (&priv->cond);
          g_mutex_unlock (&priv->lock);
          break;
        }
      g_string_append_len (priv->output, buf, n);
      g_cond_broadcast (&priv->cond);
      if (echo)
        fwrite (buf, 1, n, stderr);
      if (priv->listen_line == NULL)
        {
          const char *run = priv->output->str + priv->run_start;
          const char *found = strstr (run, "listening on ");
          const char *end = found ? strchr (found, '\n') : NULL;

          if (end != NULL)
            priv->listen_line = g_strndup (found, end - found);
        }
      g_mutex_unlock (&priv->lock);
    }
  return NULL;
}

static void
reap (RapportTestServer *srv)
{
  RapportTestServerPrivate *priv = srv->priv;

  if (priv->process == NULL)
    return;
  g_subprocess_wait (priv->process, NULL, NULL);
  if (priv->reader != NULL)
    g_thread_join (g_steal_pointer (&priv->reader));
  g_clear_object (&priv->process);
  g_clear_pointer (&priv->listen_line, g_free);
  g_clear_pointer (&srv->url, g_free);
  srv->pid = 0;
}

gboolean
rapport_test_server_start (RapportTestServer *srv, GError **error)
{
  RapportTestServerPrivate *priv = srv->priv;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  gint64 deadline;
  const char *url, *colon;

  g_return_val_if_fail (priv->process == NULL, FALSE);

  g_ptr_array_add (argv, server_binary ());
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, g_strdup ("--data-dir"));
  g_ptr_array_add (argv, g_strdup (srv->data_dir));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup (port));
  for (guint i = 0; i < priv->serve_args->len; i++)
    g_ptr_array_add (argv, g_strdup (priv->serve_args->pdata[i]));
  g_ptr_array_add (argv, NULL);

  launcher = make_launcher (srv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_mutex_lock (&priv->lock);
  priv->run_start = priv->output->len;
  priv->eof = FALSE;
  g_mutex_unlock (&priv->lock);
  priv->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
  if (priv->process == NULL)
    return FALSE;
  srv->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (priv->process), NULL, 10);
  priv->reader = g_thread_new ("server-output", reader_thread, srv);

  deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_TIME_SPAN_SECOND;
  g_mutex_lock (&priv->lock);
  while (priv->listen_line == NULL && !priv->eof)
    if (!g_cond_wait_until (&priv->cond, &priv->lock, deadline))
      break;
  url = priv->listen_line ? priv->listen_line + strlen ("listening on ") : NULL;
  colon = url ? strrchr (url, ':') : NULL;
  if (colon != NULL)
    {
      srv->url = g_strdup (url);
      srv->port = (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
    }
  g_mutex_unlock (&priv->lock);

  if (srv->url == NULL || srv->port == 0)
    {
      g_autofree char *output = NULL;

      g_subprocess_force_exit (priv->process);
      reap (srv);
      output = rapport_test_server_get_output (srv);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "rapport-server did not print the port it listens on within %d s. "
                   "Its output:\n%s", START_TIMEOUT_S, output);
      return FALSE;
    }
  return TRUE;
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *done = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* Waits for the exit on a private main context, at most @timeout_ms. */
static gboolean
wait_with_timeout (RapportTestServer *srv, guint timeout_ms)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GSource) timeout = g_timeout_source_new (timeout_ms);
  gboolean done = FALSE, timed_out = FALSE;

  g_main_context_push_thread_default (context);
  g_source_set_callback (timeout, timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  g_subprocess_wait_async (srv->priv->process, NULL, wait_done_cb, &done);
  while (!done && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  /* Let a pending wait callback run so nothing refers to this stack. */
  while (!done)
    {
      if (!g_subprocess_get_if_exited (srv->priv->process) && !g_subprocess_get_if_signaled (srv->priv->process))
        g_subprocess_force_exit (srv->priv->process);
      g_main_context_iteration (context, TRUE);
    }
  g_main_context_pop_thread_default (context);
  return !timed_out;
}

gboolean
rapport_test_server_stop (RapportTestServer *srv, GError **error)
{
  gboolean clean, exited_ok;

  if (srv->priv->process == NULL)
    return TRUE;
  g_subprocess_send_signal (srv->priv->process, SIGTERM);
  clean = wait_with_timeout (srv, STOP_TIMEOUT_MS);
  exited_ok = clean && g_subprocess_get_if_exited (srv->priv->process)
              && g_subprocess_get_exit_status (srv->priv->process) == 0;
  reap (srv);
  if (!clean)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "rapport-server did not stop within %d ms of SIGTERM; it was killed",
                   STOP_TIMEOUT_MS);
      return FALSE;
    }
  if (exited_ok)
    {
      /* UndefinedBehaviorSanitizer reports without changing the status. */
      g_autofree char *output = rapport_test_server_get_output (srv);
      exited_ok = strstr (output, "runtime error:") == NULL;
    }
  if (!exited_ok)
    {
      /* A sanitizer report (leak, bad access) makes the exit status non-zero. */
      g_autofree char *output = rapport_test_server_get_output (srv);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "rapport-server did not exit cleanly after SIGTERM. Its output:\n%s", output);
      return FALSE;
    }
  return TRUE;
}

void
rapport_test_server_kill (RapportTestServer *srv)
{
  if (srv->priv->process == NULL)
    return;
  g_subprocess_send_signal (srv->priv->process, SIGKILL);
  reap (srv);
}

gboolean
rapport_test_server_wait_exit (RapportTestServer *srv, guint timeout_ms, int *signal_out,
                               GError **error)
{
  GSubprocess *process = srv->priv->process;
  int sig = 0;

  if (process == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the server is not running");
      return FALSE;
    }
  if (!wait_with_timeout (srv, timeout_ms))
    {
      reap (srv);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "rapport-server did not exit within %u ms; it was killed", timeout_ms);
      return FALSE;
    }
  if (g_subprocess_get_if_signaled (process))
    sig = g_subprocess_get_term_sig (process);
  reap (srv);
  if (signal_out)
    *signal_out = sig;
  return TRUE;
}

static gboolean
run_admin (RapportTestServer *srv, GPtrArray *args, const char *stdin_text, char **stdout_out,
           GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL, *err = NULL;

  g_ptr_array_add (argv, server_binary ());
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, g_strdup (args->pdata[i]));
  g_ptr_array_add (argv, g_strdup ("--data-dir"));
  g_ptr_array_add (argv, g_strdup (srv->data_dir));
  g_ptr_array_add (argv, NULL);

  launcher = make_launcher (srv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                     | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (process, stdin_text ? stdin_text : "", NULL, &out, &err, error))
    return FALSE;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "rapport-server %s failed: %s",
                   args->len > 0 ? (const char *) args->pdata[0] : "", err ? err : "");
      return FALSE;
    }
  if (stdout_out)
    *stdout_out = g_steal_pointer (&out);
  return TRUE;
}

gboolean
rapport_test_server_admin (RapportTestServer *srv, const char *stdin_text, char **stdout_out,
                           GError **error, const char *first_arg, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  return run_admin (srv, args, stdin_text, stdout_out, error);
}

char *
rapport_test_server_add_user (RapportTestServer *srv, const char *name, const char *password,
                              const char *role, const char *department, GError **error)
{
  g_autofree char *out = NULL;

  if (!rapport_test_server_admin (srv, password, &out, error, "user", "add", name, "--role",
                                  role ? role : "staff", "--department",
                                  department ? department : "", "--password-stdin", NULL))
    return NULL;
  return g_strstrip (g_steal_pointer (&out));
}

static gboolean
copy_store_files (const char *from, const char *to, GError **error)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (g_mkdir_with_parents (to, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not create %s", to);
      return FALSE;
    }
  /* A restored copy must not keep the write-ahead log of the newer one. */
  for (const char *const *suffix = (const char *const[]){ "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *stale = g_strconcat (to, G_DIR_SEPARATOR_S "server.db", *suffix, NULL);
      g_unlink (stale);
    }
  dir = g_dir_open (from, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *src = NULL, *dst = NULL;
      g_autoptr (GFile) src_file = NULL, dst_file = NULL;

      if (!g_str_has_prefix (name, "server.db"))
        continue;
      src = g_build_filename (from, name, NULL);
      dst = g_build_filename (to, name, NULL);
      src_file = g_file_new_for_path (src);
      dst_file = g_file_new_for_path (dst);
      if (!g_file_copy (src_file, dst_file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
rapport_test_server_backup (RapportTestServer *srv, const char *backup_dir, GError **error)
{
  g_return_val_if_fail (srv->priv->process == NULL, FALSE);
  return copy_store_files (srv->data_dir, backup_dir, error);
}

gboolean
rapport_test_server_restore (RapportTestServer *srv, const char *backup_dir, GError **error)
{
  g_return_val_if_fail (srv->priv->process == NULL, FALSE);
  return copy_store_files (backup_dir, srv->data_dir, error);
}

char *
rapport_test_server_get_output (RapportTestServer *srv)
{
  char *copy;

  g_mutex_lock (&srv->priv->lock);
  copy = g_strndup (srv->priv->output->str, srv->priv->output->len);
  g_mutex_unlock (&srv->priv->lock);
  return copy;
}

gboolean
rapport_test_server_wait_output (RapportTestServer *srv, gsize from, const char *needle,
                                 guint timeout_ms, gsize *end)
{
  RapportTestServerPrivate *priv = srv->priv;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  const char *found = NULL;

  g_mutex_lock (&priv->lock);
  for (;;)
    {
      const char *line_end;

      found = from < priv->output->len ? strstr (priv->output->str + from, needle) : NULL;
      line_end = found ? strchr (found, '\n') : NULL;
      if (line_end != NULL)
        {
          if (end != NULL)
            *end = line_end + 1 - priv->output->str;
          break;
        }
      found = NULL;
      if (priv->eof || !g_cond_wait_until (&priv->cond, &priv->lock, deadline))
        break;
    }
  g_mutex_unlock (&priv->lock);
  return found != NULL;
}

void
rapport_test_server_free (RapportTestServer *srv)
{
  if (srv == NULL)
    return;
  if (srv->priv != NULL)
    {
      if (srv->priv->process != NULL)
        rapport_test_server_stop (srv, NULL);
      g_ptr_array_unref (srv->priv->env);
      g_ptr_array_unref (srv->priv->serve_args);
      g_string_free (srv->priv->output, TRUE);
      g_mutex_clear (&srv->priv->lock);
      g_cond_clear (&srv->priv->cond);
      g_free (srv->priv);
    }
  if (srv->data_dir != NULL)
    remove_tree (srv->data_dir);
  g_free (srv->data_dir);
  g_free (srv->url);
  g_free (srv);
}
