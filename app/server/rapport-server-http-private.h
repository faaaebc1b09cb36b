/* rapport-server-http-private.h: internals shared by the HTTP files of rapport-server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "rapport-server-http.h"

G_BEGIN_DECLS

struct _RapportServerHttp
{
  GObject parent_instance;

  SoupServer *soup;
  RapportServerStore *store;
  RapportServerConfig *config;
  char *url;
  gboolean fault_kill_after_commit;
  gboolean timing;           /* RAPPORT_SERVER_TIMING=1: one "timing:" line per request */
  guint pending;             /* logins whose password is being checked */

  /* Requests that touch the store run in worker threads (rapport-server-jobs.c),
   * each on a connection of its own taken from @connections. */
  GMainContext *context;     /* where answers are given (the main context) */
  GThreadPool *pool;
  GAsyncQueue *connections;  /* (element-type RapportServerStore) idle connections */
  GThread *writer;           /* applies pushes, on its own connection */
  GAsyncQueue *writes;       /* jobs waiting for it */
  RapportServerStore *writer_store;
  guint n_connections;
  guint jobs;                /* requests handed to workers, not answered yet */

  GHashTable *sockets;       /* GSocket → what rapport-server-connections.c knows */
  guint sweep_id;

  /* Pulls waiting for changes (rapport-server-waiters.c), on the main
   * context. @commits counts group commits (the writer increments it);
   * @wake_pending is set while a wake-up is on its way to the main context. */
  GQueue waiters;            /* (element-type Waiter) */
  GHashTable *waiting;       /* account id → number of its waiting pulls */
  gint commits;              /* atomic */
  gint wake_pending;         /* atomic */
};

/* Where a request's time went (RAPPORT_SERVER_TIMING=1), monotonic µs, 0
 * for a stage it did not go through; kept on the message, printed when its
 * answer is written (rapport-server-timing.c). Each stage is written by the
 * one thread the request is in at that moment. */
typedef struct
{
  gint64 read;          /* the request (headers and body) was read */
  gint64 work_start;    /* a worker took it (last time, for a pull that waited) */
  gint64 work_end;      /* the worker was done */
  gint64 commit_start;  /* the writer began the group transaction with it */
  gint64 commit_end;    /* ...and committed it */
  gint64 commit_cpu;    /* the writer thread's CPU time in that transaction */
  gint64 answered;      /* the answer was given to libsoup on the main context */
  guint group;          /* pushes in that group commit */
  guint looks;          /* worker runs (a waiting pull looks again after commits) */
  gboolean held;        /* a pull that waited for changes */
  guint connection;     /* which connection it came on (numbered as accepted) */
} RapportServerTiming;

/* A request as a worker sees it: copied from the SoupServerMessage on the
 * main context (a worker never touches the message), and the answer the
 * worker makes, given to the message back on the main context. */
typedef struct _RapportServerCall RapportServerCall;
struct _RapportServerCall
{
  char *method;
  char *path;
  GHashTable *query;          /* (nullable) owned copy */
  char *authorization;        /* (nullable) */
  char *content_type;         /* (nullable) */
  GBytes *body;               /* (nullable) */

  /* Set by a job that writes: its push goes to the writer thread, which
   * applies it (with others that came meanwhile) then runs @then. */
  RapportServerBatch *batch;
  void (*then) (RapportServerHttp *self, RapportServerCall *call);

  /* A pull that may wait (`wait`): until when (monotonic µs), and whether
   * the last look found nothing to send, so it waits for a commit. */
  gint64 wait_until;
  gboolean park;
  gint commits_seen;          /* @commits when the worker took the call */
  char *account_id;           /* (nullable) who asks, for the limits */

  RapportServerTiming *timing;  /* (nullable) (not owned) on the message */

  guint status;
  char *text;                 /* the JSON answer */
  GPtrArray *headers;         /* name, value, name, value... */
};

void rapport_server_call_free (RapportServerCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportServerCall, rapport_server_call_free)

typedef void (*RapportServerJobFunc) (RapportServerHttp  *self,
                                      RapportServerStore *store,
                                      RapportServerCall  *call);

/* The JSON text of an answer: @body (nullable) with the epoch added. */
char                 *rapport_server_answer_text        (RapportServerHttp *self,
                                                         JsonObject        *body);
/* {"error": {"code", "message"}} */
JsonObject           *rapport_server_error_object       (const char        *code,
                                                         const char        *message);

/* Answers: every JSON answer carries the epoch. The call_ variants answer
 * in a worker; the others on the main context. */
void                  rapport_server_call_respond       (RapportServerHttp *self,
                                                         RapportServerCall *call,
                                                         guint              status,
                                                         JsonObject        *body);
void                  rapport_server_call_respond_text  (RapportServerHttp *self,
                                                         RapportServerCall *call,
                                                         guint              status,
                                                         GString           *body);
void                  rapport_server_call_apply         (RapportServerCall *call,
                                                         SoupServerMessage *msg);
void                  rapport_server_call_respond_error (RapportServerHttp *self,
                                                         RapportServerCall *call,
                                                         const GError      *error);
void                  rapport_server_call_fail          (RapportServerHttp *self,
                                                         RapportServerCall *call,
                                                         RapportServerError code,
                                                         const char        *message);
void                  rapport_server_call_add_header    (RapportServerCall *call,
                                                         const char        *name,
                                                         const char        *value);

void                  rapport_server_http_respond       (RapportServerHttp *self,
                                                         SoupServerMessage *msg,
                                                         guint              status,
                                                         JsonObject        *body);
void                  rapport_server_http_respond_error (RapportServerHttp *self,
                                                         SoupServerMessage *msg,
                                                         const GError      *error);
void                  rapport_server_http_fail          (RapportServerHttp *self,
                                                         SoupServerMessage *msg,
                                                         RapportServerError code,
                                                         const char        *message);

/* The client's IP address as text ("?" when unknown). */
const char           *rapport_server_http_remote_host   (SoupServerMessage *msg);

/* The body of a POST, checked for type and size, as a JSON object. */
JsonObject           *rapport_server_http_read_body     (SoupServerMessage *msg,
                                                         GError           **error);
JsonObject           *rapport_server_call_read_body     (RapportServerCall *call,
                                                         GError           **error);
/* The account of the bearer token, or %NULL with UNAUTHORIZED set. */
RapportServerAccount *rapport_server_call_authenticate  (RapportServerHttp  *self,
                                                         RapportServerStore *store,
                                                         RapportServerCall  *call,
                                                         GError            **error);

/* Refuses oversized bodies before they are read (rapport-server-reject.c);
 * a SoupServer early handler. */
void rapport_server_early_handler_cb (SoupServer        *server,
                                      SoupServerMessage *msg,
                                      const char        *path,
                                      GHashTable        *query,
                                      gpointer           data);

/* Connections libsoup leaves half-closed (rapport-server-connections.c). */
void rapport_server_connections_start            (RapportServerHttp *self);
void rapport_server_connections_request_started  (RapportServerHttp *self,
                                                  GSocket           *socket);
void rapport_server_connections_request_finished (RapportServerHttp *self,
                                                  GSocket           *socket);
void rapport_server_connections_stop             (RapportServerHttp *self);

/* Request timing (rapport-server-timing.c), with RAPPORT_SERVER_TIMING=1. */
void                 rapport_server_timing_start  (RapportServerHttp *self,
                                                   SoupServerMessage *msg);
/* (nullable) the message's timing record, when timing is on */
RapportServerTiming *rapport_server_timing_get    (SoupServerMessage *msg);
void                 rapport_server_timing_finish (RapportServerHttp *self,
                                                   SoupServerMessage *msg);

/* Worker threads (rapport-server-jobs.c). */
gboolean rapport_server_jobs_start (RapportServerHttp    *self,
                                    guint                 n_workers,
                                    GError              **error);
/* Pauses @msg and runs @func in a worker; the answer is given and the
 * message unpaused on the main context. */
void     rapport_server_jobs_run   (RapportServerHttp    *self,
                                    SoupServerMessage    *msg,
                                    GHashTable           *query,
                                    RapportServerJobFunc  func);
/* The same for a call made before (a pull that waited): @call is taken. */
void     rapport_server_jobs_run_call (RapportServerHttp    *self,
                                       SoupServerMessage    *msg,
                                       RapportServerCall    *call,
                                       RapportServerJobFunc  func);
/* Waits for running jobs and closes the connections. */
void     rapport_server_jobs_stop  (RapportServerHttp    *self);

/* Pulls that wait for changes (rapport-server-waiters.c), on the main
 * context. park takes @call (and a reference on @msg) and keeps the message
 * paused until a commit, its time, or its client's going; FALSE when the
 * limits say no (the caller answers at once). */
gboolean rapport_server_waiters_park  (RapportServerHttp *self,
                                       SoupServerMessage *msg,
                                       RapportServerCall *call);
/* From the writer thread, after a commit. */
void     rapport_server_waiters_notify (RapportServerHttp *self);
/* Drops every waiting pull (shutdown). */
void     rapport_server_waiters_stop  (RapportServerHttp *self);

/* Endpoints (rapport-server-handlers.c). On the main context: */
void rapport_server_handle_health  (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);
void rapport_server_handle_login   (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);
/* In a worker: */
void rapport_server_job_logout  (RapportServerHttp *self, RapportServerStore *store, RapportServerCall *call);
void rapport_server_job_push    (RapportServerHttp *self, RapportServerStore *store, RapportServerCall *call);
void rapport_server_push_answer (RapportServerHttp *self, RapportServerCall *call);
void rapport_server_job_pull    (RapportServerHttp *self, RapportServerStore *store, RapportServerCall *call);
void rapport_server_job_users   (RapportServerHttp *self, RapportServerStore *store, RapportServerCall *call);
void rapport_server_job_backlog (RapportServerHttp *self, RapportServerStore *store, RapportServerCall *call);

G_END_DECLS
