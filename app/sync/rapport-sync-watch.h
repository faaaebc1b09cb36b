/* rapport-sync-watch.h: one waiting pull, so colleagues' changes arrive at once */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-sync-client.h"

G_BEGIN_DECLS

/* The scheduler keeps one waiting pull (GET /v1/pull?wait=S) open while
 * signed in: when the server has changes after the store's cursor, the page
 * is handed to the client (rapport_sync_client_set_prefetched) and @func is
 * called so a sync applies it; an epoch change calls @func too. */
typedef struct _RapportSyncWatch RapportSyncWatch;
typedef void (*RapportSyncWatchFunc) (gpointer user_data);

RapportSyncWatch *rapport_sync_watch_new        (RapportSyncClient   *client,
                                                 RapportSyncWatchFunc func,
                                                 gpointer             user_data);
void              rapport_sync_watch_free       (RapportSyncWatch    *watch);
/* Starts waiting after the store's cursor, or goes on: after a sync, with
 * an answer that came during it, or after @func. Nothing while a pull
 * waits or a retry is planned. */
void              rapport_sync_watch_resume     (RapportSyncWatch    *watch);
/* Ends the waiting pull and forgets what it brought. */
void              rapport_sync_watch_stop       (RapportSyncWatch    *watch);
/* Whether a waiting pull is in flight. */
gboolean          rapport_sync_watch_is_waiting (RapportSyncWatch    *watch);
/* Seconds a pull waits at the server (0: no waiting pull at all), and the
 * retry pause after a failure (doubling from @retry_min_ms to
 * @retry_max_ms), or after a server that answers at once without waiting
 * (@retry_max_ms). */
void              rapport_sync_watch_set_timing (RapportSyncWatch    *watch,
                                                 guint                wait_s,
                                                 guint                retry_min_ms,
                                                 guint                retry_max_ms);

G_END_DECLS
