/* rapport-sync-scheduler.h: when to sync, and the sync status for the header bar */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-sync-client.h"

G_BEGIN_DECLS

typedef enum
{
  RAPPORT_SYNC_STATUS_IDLE,     /* not signed in, or not synced yet */
  RAPPORT_SYNC_STATUS_SYNCED,
  RAPPORT_SYNC_STATUS_SYNCING,
  RAPPORT_SYNC_STATUS_OFFLINE,  /* the server cannot be reached: retrying with backoff */
  RAPPORT_SYNC_STATUS_ERROR,    /* the message says what to do */
} RapportSyncStatus;

#define RAPPORT_TYPE_SYNC_STATUS (rapport_sync_status_get_type ())
GType rapport_sync_status_get_type (void) G_GNUC_CONST;

#define RAPPORT_TYPE_SYNC_SCHEDULER (rapport_sync_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (RapportSyncScheduler, rapport_sync_scheduler, RAPPORT, SYNC_SCHEDULER, GObject)

/* Syncs @client 150 ms after a local change (batched), every 5 minutes,
 * when the network comes back, and as soon as colleagues' changes arrive
 * (a pull waits at the server between syncs: GET /v1/pull?wait=); backs off
 * exponentially (with jitter) while offline or failing. */
RapportSyncScheduler *rapport_sync_scheduler_new          (RapportSyncClient    *client);
RapportSyncClient    *rapport_sync_scheduler_get_client   (RapportSyncScheduler *self);
void                  rapport_sync_scheduler_start        (RapportSyncScheduler *self);
void                  rapport_sync_scheduler_stop         (RapportSyncScheduler *self);
void                  rapport_sync_scheduler_sync_now     (RapportSyncScheduler *self);

RapportSyncStatus     rapport_sync_scheduler_get_status   (RapportSyncScheduler *self);
const char           *rapport_sync_scheduler_get_message  (RapportSyncScheduler *self);
double                rapport_sync_scheduler_get_progress (RapportSyncScheduler *self);
gint64                rapport_sync_scheduler_get_last_synced (RapportSyncScheduler *self);
guint                 rapport_sync_scheduler_get_failures (RapportSyncScheduler *self);
const RapportSyncStats *rapport_sync_scheduler_get_last_stats (RapportSyncScheduler *self);

/* Timing, in milliseconds (tests shorten them). */
void                  rapport_sync_scheduler_set_timing   (RapportSyncScheduler *self,
                                                           guint                 change_delay_ms,
                                                           guint                 interval_ms,
                                                           guint                 backoff_min_ms,
                                                           guint                 backoff_max_ms);
void                  rapport_sync_scheduler_set_watch_timing (RapportSyncScheduler *self,
                                                               guint                 wait_s,
                                                               guint                 retry_min_ms,
                                                               guint                 retry_max_ms);
gboolean              rapport_sync_scheduler_get_waiting  (RapportSyncScheduler *self);
/* Milliseconds until the next planned sync, or -1 when none is planned. */
gint64                rapport_sync_scheduler_get_next_delay (RapportSyncScheduler *self);

G_END_DECLS
