/* rapport-server-timing.c: where each request's time goes (RAPPORT_SERVER_TIMING=1) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include "rapport-server-http-private.h"

/* With RAPPORT_SERVER_TIMING=1 the server prints, on its standard output,
 * one line per request when its answer has been written:
 *
 *   timing: POST /v1/push 200 total 12.3 ms queued 0.1 work 1.2 writer 3.4
 *           commit 5.6 cpu 2.1 group 12 main 0.3 write 0.2 looks 1 held 0 conn 7
 *
 * total: from the request read (headers and body) to the answer written;
 * queued: waiting for a worker; work: in the worker (token, checks, reads);
 * writer: a push waiting for the writer thread; commit: its group
 * transaction (with the fsync), shared by group pushes, and cpu the writer
 * thread's CPU time in it; main: the answer
 * waiting for the main context; write: libsoup writing it. Stages a request
 * did not go through are 0. A pull that waited for changes (held 1) counts
 * its waiting in total; conn numbers the connections in the order they
 * brought their first request (a client that keeps its connection alive
 * sends every request on one). Only the method, path, status, times and
 * that number are printed: no addresses, query strings, tokens or bodies. */

static GQuark
timing_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("rapport-server-timing");
  return quark;
}

/* On the main context. */
static guint
connection_number (GSocket *socket)
{
  static GQuark quark;
  static guint last;
  guint number;

  if (socket == NULL)
    return 0;
  if (quark == 0)
    quark = g_quark_from_static_string ("rapport-server-connection-number");
  number = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (socket), quark));
  if (number == 0)
    {
      number = ++last;
      g_object_set_qdata (G_OBJECT (socket), quark, GUINT_TO_POINTER (number));
    }
  return number;
}

void
rapport_server_timing_start (RapportServerHttp *self, SoupServerMessage *msg)
{
  RapportServerTiming *timing;

  if (!self->timing)
    return;
  timing = g_new0 (RapportServerTiming, 1);
  timing->read = g_get_monotonic_time ();
  timing->connection = connection_number (soup_server_message_get_socket (msg));
  g_object_set_qdata_full (G_OBJECT (msg), timing_quark (), timing, g_free);
}

RapportServerTiming *
rapport_server_timing_get (SoupServerMessage *msg)
{
  return g_object_get_qdata (G_OBJECT (msg), timing_quark ());
}

static double
span_ms (gint64 from, gint64 to)
{
  return from > 0 && to >= from ? (to - from) / 1000.0 : 0.0;
}

void
rapport_server_timing_finish (RapportServerHttp *self, SoupServerMessage *msg)
{
  RapportServerTiming *t = self->timing ? rapport_server_timing_get (msg) : NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  gint64 now = g_get_monotonic_time ();
  gint64 done;

  if (t == NULL || uri == NULL)
    return;
  done = t->commit_end > 0 ? t->commit_end : t->work_end;
  g_print ("timing: %s %s %u total %.2f ms queued %.2f work %.2f writer %.2f commit %.2f "
           "cpu %.2f group %u main %.2f write %.2f looks %u held %d conn %u\n",
           soup_server_message_get_method (msg), g_uri_get_path (uri),
           soup_server_message_get_status (msg), span_ms (t->read, now),
           span_ms (t->read, t->work_start), span_ms (t->work_start, t->work_end),
           span_ms (t->work_end, t->commit_start), span_ms (t->commit_start, t->commit_end),
           t->commit_cpu / 1000.0, t->group, span_ms (done, t->answered),
           span_ms (t->answered, now), t->looks, t->held, t->connection);
}
