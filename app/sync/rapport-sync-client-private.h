/* rapport-sync-client-private.h: the client's state, shared by its files */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "rapport-sync-private.h"

G_BEGIN_DECLS

/* rapport-sync-client.c (object and properties), rapport-sync-request.c
 * (HTTP requests), rapport-sync-session.c (sign-in, sign-out, sync). */
struct _RapportSyncClient
{
  GObject parent_instance;

  RapportStore *store;
  char *server_url;         /* without a trailing slash */
  SoupSession *session;

  char *user;               /* login name */
  char *user_id;            /* the server's id of that user, when known */
  char *display_name;
  char *token;
  char *password;           /* only while this process runs, for renewals */
  JsonObject *login_user;
  gboolean use_keyring;

  double progress;
  gboolean busy;
  GArray *timings;
  guint request_timeout_s;
  guint pull_page;          /* changes asked for per pull */

  /* A page the waiting pull brought (rapport-sync-watch.c), for the next
   * run that asks for the page after @prefetched_after. */
  JsonObject *prefetched;
  char *prefetched_epoch;
  gint64 prefetched_after;
};

/* A transport failure (a reset, a cut, a server restarting) is retried
 * once, after a pause of about this long: every request of the protocol is
 * safe to repeat (pushes are idempotent by change id). */
#define RAPPORT_SYNC_RETRY_DELAY_MS 250
/* A request not answered in this time is given up (and retried once): a
 * sync must never wait forever, whatever happens to a connection. */
#define RAPPORT_SYNC_REQUEST_WATCHDOG_S 120

SoupSession *rapport_sync_client_new_session (void);
void         rapport_sync_client_set_busy    (RapportSyncClient *self,
                                              gboolean           busy);

G_END_DECLS
