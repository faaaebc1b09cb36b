/* rapport-sync-run.h: the state of one sync run, shared by its steps */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-journal.h"
#include "rapport-sync-private.h"

G_BEGIN_DECLS

#define RAPPORT_SYNC_WORKERS 2

/* What this run sent about one record: enough to tell the editor when a
 * colleague's delete arrives in the same run. */
typedef struct
{
  char *entity;
  char *stamp;                /* the latest of our stamps */
  GHashTable *fields;         /* names of the fields we wrote */
  gboolean touched_deleted;   /* we deleted or restored it ourselves */
} RapportSyncPushed;

void     rapport_sync_pushed_free      (RapportSyncPushed *pushed);

/* A pulled page waiting to be applied: read changes (a page the waiting
 * pull brought), or the text of a page fetched by the run. */
typedef struct
{
  GPtrArray *changes;         /* (element-type RapportChange) (nullable) */
  GBytes *text;               /* (nullable) */
  gint64 cursor;
  gboolean more;
  /* Once applied: how many changes, and what rapport_store_note_applied()
   * needs (rapport_store_apply_changes_text()). */
  guint n_changes;
  GPtrArray *applied;
  /* In a worker: its turn to write among the pages in flight, whether it
   * is done, and how it ended. */
  guint64 turn;
  gboolean started;
  gboolean done;
  GError *error;
} RapportSyncPage;

void     rapport_sync_page_free        (RapportSyncPage *page);

/* One run: health (learn the epoch) → [restore: re-send a snapshot] →
 * [first sign-in: pull, then adopt the server's user id] → push the journal
 * → pull after the cursor. Every step ends by calling the next one; a
 * failure returns the task's error. */
typedef struct
{
  GTask *task;                /* owned while the run is in flight */
  RapportSyncClient *client;
  RapportStore *store;

  char *epoch;                /* the server epoch this run works against */
  gboolean adopt;             /* first sign-in: map the local "me" to the server user */
  guint restarts;             /* the server was restored during the run */

  /* Push */
  GPtrArray *batch;           /* (element-type RapportChange) in flight */
  guint batch_limit;
  gint64 pending_total;
  guint pushed_in_run;
  GHashTable *pushed;         /* record id → RapportSyncPushed, edits sent in this run */
  GPtrArray *snapshot;        /* restore: everything we know, oldest first */
  guint snapshot_pos;
  char *clock_error;          /* the server refused stamps from our clock */
  gboolean clock_reset;       /* the clock was set back once in this run */

  /* Pull: the next page is fetched while the last one is applied (in a
   * worker thread, on a connection of its own to the store file). */
  gint64 cursor;              /* applied: the store's cursor */
  gint64 start_cursor;
  gint64 head;                /* the server's latest sequence, when known */
  gboolean probed;
  gint64 requested;           /* the cursor the next page is asked after */
  gboolean more;              /* the server has more after @requested */
  gboolean fetching;          /* a page request is in flight */
  guint applying;             /* pages in workers (at most RAPPORT_SYNC_WORKERS) */
  GQueue pages;               /* fetched, not yet applied (RapportSyncPage), in order */
  GError *pull_error;         /* the pull stops: finished once nothing is in flight */
  gboolean pull_restart;      /* the epoch changed: restart once nothing is in flight */
  /* Workers: a page of text is read (no store) while the page before it
   * is written; pages write in turn, one at a time, in order, on one
   * connection of the workers (rapport-sync-apply.c). */
  RapportStore *worker_store; /* opened at the first page written */
  guint64 turns_given;        /* pages handed to workers */
  GMutex turn_lock;
  GCond turn_cond;
  guint64 turn;               /* the page whose turn it is to write */
  gboolean turn_failed;       /* a page failed: the pages after it write nothing */
  /* The page that caught up built the deferred indexes and raised the
   * contacts' last interactions with them: the main thread tells the lists
   * as it takes the page in. */
  gboolean indexes_built;

  gint64 conflicts_before;
  RapportSyncStats stats;
} RapportSyncRun;

void     rapport_sync_run_fail         (RapportSyncRun *run,
                                        GError         *error);
gboolean rapport_sync_run_cancelled    (RapportSyncRun *run);
gboolean rapport_sync_run_check_epoch  (RapportSyncRun *run,
                                        const char     *epoch);
void     rapport_sync_run_restart      (RapportSyncRun *run);
void     rapport_sync_run_after_pull   (RapportSyncRun *run);

/* rapport-sync-push.c */
void     rapport_sync_run_push         (RapportSyncRun *run);
void     rapport_sync_run_push_snapshot (RapportSyncRun *run);

/* rapport-sync-pull.c */
void     rapport_sync_run_pull         (RapportSyncRun *run);

G_END_DECLS
