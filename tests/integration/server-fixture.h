/* server-fixture.h: a real rapport-server process on 127.0.0.1 for tests */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One server with its own temporary data dir. The binary is
 * $RAPPORT_SERVER_BIN, else $RAPPORT_BUILD_ROOT/app/server/rapport-server.
 *
 *   g_autoptr (RapportTestServer) srv = rapport_test_server_new (&error);
 *   char *alice = rapport_test_server_add_user (srv, "alice", "pw", "staff", "Sales", &error);
 *   rapport_test_server_start (srv, &error);
 *   ... talk to srv->url ...
 *   rapport_test_server_free (srv) stops it (by PID) and removes the data dir.
 *
 * Everything the server writes (stdout and stderr, all runs) is kept and
 * returned by rapport_test_server_get_output(); RAPPORT_TEST_SERVER_ECHO=1
 * also copies it to the test's stderr as it comes. */
typedef struct _RapportTestServerPrivate RapportTestServerPrivate;

typedef struct
{
  char *data_dir;    /* temporary; the store files live here */
  char *url;         /* "http://127.0.0.1:PORT" (https with TLS) while running, else NULL */
  guint16 port;      /* the port of the last start; later starts reuse it (set 0 for a new one) */
  GPid pid;          /* the running server, 0 when stopped */
  RapportTestServerPrivate *priv;
} RapportTestServer;

/* Makes a temporary data dir and runs `rapport-server init` in it. */
RapportTestServer *rapport_test_server_new         (GError            **error);

/* Environment of the server and admin commands started afterwards
 * (e.g. RAPPORT_SERVER_FAULT, RAPPORT_SERVER_NOW_FILE; see
 * app/server/PROTOCOL.md). The fixture already sets
 * RAPPORT_SERVER_PWHASH_FAST=1. Passwords must
 * have at least 8 characters. @value %NULL unsets. */
void               rapport_test_server_setenv      (RapportTestServer  *srv,
                                                    const char         *name,
                                                    const char         *value);

/* Extra arguments for `serve` (e.g. "--tls-cert", path), kept for restarts. */
void               rapport_test_server_add_serve_args (RapportTestServer *srv,
                                                    const char         *first_arg,
                                                    ...) G_GNUC_NULL_TERMINATED;

/* `rapport-server serve --listen 127.0.0.1 --port PORT`; returns once the
 * server printed the port it listens on (30 s timeout). */
gboolean           rapport_test_server_start       (RapportTestServer  *srv,
                                                    GError            **error);

/* SIGTERM by PID and wait for the exit (SIGKILL after 10 s, then an error).
 * An exit status other than 0 (e.g. a sanitizer's report) is an error too,
 * with the server's output in its message. */
gboolean           rapport_test_server_stop        (RapportTestServer  *srv,
                                                    GError            **error);

/* SIGKILL by PID and reap it. */
void               rapport_test_server_kill        (RapportTestServer  *srv);

/* Waits until the server exits by itself (a fault hook); @signal_out gets
 * the signal that ended it, or 0 for a normal exit. FALSE on timeout. */
gboolean           rapport_test_server_wait_exit   (RapportTestServer  *srv,
                                                    guint               timeout_ms,
                                                    int                *signal_out,
                                                    GError            **error);

/* Runs an admin command (`rapport-server ARGS... --data-dir DIR`) with
 * @stdin_text on its standard input; @stdout_out gets its output. Fails with
 * the command's stderr in the message when it exits non-zero. */
gboolean           rapport_test_server_admin       (RapportTestServer  *srv,
                                                    const char         *stdin_text,
                                                    char              **stdout_out,
                                                    GError            **error,
                                                    const char         *first_arg,
                                                    ...) G_GNUC_NULL_TERMINATED;

/* `user add NAME --role ROLE --department DEPT --password-stdin`.
 * @role, @department may be %NULL (staff, none). Returns the user id. */
char              *rapport_test_server_add_user    (RapportTestServer  *srv,
                                                    const char         *name,
                                                    const char         *password,
                                                    const char         *role,
                                                    const char         *department,
                                                    GError            **error);

/* Copies the store files of a STOPPED server into @backup_dir, and back. */
gboolean           rapport_test_server_backup      (RapportTestServer  *srv,
                                                    const char         *backup_dir,
                                                    GError            **error);
gboolean           rapport_test_server_restore     (RapportTestServer  *srv,
                                                    const char         *backup_dir,
                                                    GError            **error);

/* All output of the server so far. */
char              *rapport_test_server_get_output  (RapportTestServer  *srv);

/* Waits until the output after its first @from bytes holds a whole line with
 * @needle in it (the output is read by another thread, so this is how a test
 * waits for a line). @end gets the length of the output up to and with that
 * line. FALSE after @timeout_ms, or when the server exited without it. */
gboolean           rapport_test_server_wait_output (RapportTestServer  *srv,
                                                    gsize               from,
                                                    const char         *needle,
                                                    guint               timeout_ms,
                                                    gsize              *end);

void               rapport_test_server_free        (RapportTestServer  *srv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportTestServer, rapport_test_server_free)

G_END_DECLS
