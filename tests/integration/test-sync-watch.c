/* test-sync-watch.c: a desktop's waiting pull brings colleagues' changes at once */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>

#include "test-sync-common.h"

/* The timer of the schedulers below never fires during a test: whatever
 * arrives came through the waiting pull. */
#define INTERVAL_MS (10 * 60 * 1000)

static gboolean
scheduler_waiting (gpointer data)
{
  RapportSyncScheduler *scheduler = data;

  return rapport_sync_scheduler_get_status (scheduler) == RAPPORT_SYNC_STATUS_SYNCED
         && rapport_sync_scheduler_get_waiting (scheduler);
}

typedef struct
{
  TestDesktop *d;
  const char *id;
  const char *field;
  const char *want;
} FieldWait;

static gboolean
field_arrived (gpointer data)
{
  FieldWait *w = data;
  g_autofree char *value = test_desktop_field (w->d, "contact", w->id, w->field);

  return g_strcmp0 (value, w->want) == 0;
}

static RapportSyncScheduler *
start_scheduler (TestDesktop *d)
{
  RapportSyncScheduler *scheduler = rapport_sync_scheduler_new (d->client);

  rapport_sync_scheduler_set_timing (scheduler, 50, INTERVAL_MS, 50, 200);
  rapport_sync_scheduler_start (scheduler);
  test_wait_until (scheduler_waiting, scheduler, 30000, "the first sync and a waiting pull");
  return scheduler;
}

/* b's app is open (its scheduler keeps a pull waiting); a colleague's new
 * contact and edit show on b without b syncing by itself. */
static void
test_watch_brings_changes (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportSyncScheduler) scheduler = NULL;
  g_autoptr (RapportContact) c = NULL;
  FieldWait w;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  test_desktop_sync_ok (a);
  scheduler = start_scheduler (b);

  c = test_desktop_add_contact (a, "Emmy Noether");
  test_desktop_sync_ok (a);
  w = (FieldWait) { b, RAPPORT_RECORD (c)->id, "name", "\"Emmy Noether\"" };
  test_wait_until (field_arrived, &w, 10000, "the colleague's contact on b");
  /* And again: the pull waits anew after each sync; b's timer never fired
   * (its next planned sync is still minutes away). */
  test_wait_until (scheduler_waiting, scheduler, 10000, "a new waiting pull");
  g_assert_cmpint (rapport_sync_scheduler_get_next_delay (scheduler), >, 60000);
  test_desktop_edit (a, "contact", RAPPORT_RECORD (c)->id, "stage", "\"customer\"");
  test_desktop_sync_ok (a);
  w = (FieldWait) { b, RAPPORT_RECORD (c)->id, "stage", "\"customer\"" };
  test_wait_until (field_arrived, &w, 10000, "the colleague's edit on b");
  g_assert_cmpuint (rapport_sync_scheduler_get_last_stats (scheduler)->pulled, >=, 1);

  rapport_sync_scheduler_stop (scheduler);
  g_assert_false (rapport_sync_scheduler_get_waiting (scheduler));
  test_desktop_free (a);
  test_desktop_free (b);
}

static gboolean
nothing_pending (gpointer data)
{
  TestDesktop *d = data;

  return rapport_store_count_pending (d->store) == 0;
}

/* A local edit goes out after a short pause (batched), not seconds later;
 * with the default timing. */
static void
test_watch_local_edit_debounce (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  g_autoptr (RapportSyncScheduler) scheduler = NULL;
  g_autoptr (RapportContact) c = NULL;
  gint64 delay;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  scheduler = rapport_sync_scheduler_new (a->client);
  rapport_sync_scheduler_start (scheduler);
  test_wait_until (scheduler_waiting, scheduler, 30000, "the first sync and a waiting pull");

  c = test_desktop_add_contact (a, "Lise Meitner");
  delay = rapport_sync_scheduler_get_next_delay (scheduler);
  g_assert_cmpint (delay, >=, 0);
  g_assert_cmpint (delay, <=, 200);
  test_wait_until (nothing_pending, a, 10000, "the edit sent");
  rapport_sync_scheduler_stop (scheduler);
  test_desktop_free (a);
}

/* The server goes away under a waiting pull: the desktop tries again with
 * backoff and, once the server is back, changes arrive through it again. */
static void
test_watch_server_restart (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportSyncScheduler) scheduler = NULL;
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (GError) error = NULL;
  FieldWait w;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  test_desktop_sync_ok (a);
  scheduler = rapport_sync_scheduler_new (b->client);
  rapport_sync_scheduler_set_timing (scheduler, 50, INTERVAL_MS, 50, 200);
  rapport_sync_scheduler_set_watch_timing (scheduler, 30, 50, 400);
  rapport_sync_scheduler_start (scheduler);
  test_wait_until (scheduler_waiting, scheduler, 30000, "the first sync and a waiting pull");

  g_assert_true (rapport_test_server_stop (srv, &error));
  g_assert_no_error (error);
  g_assert_true (rapport_test_server_start (srv, &error));
  g_assert_no_error (error);
  c = test_desktop_add_contact (a, "Chien-Shiung Wu");
  test_desktop_sync_ok (a);
  w = (FieldWait) { b, RAPPORT_RECORD (c)->id, "name", "\"Chien-Shiung Wu\"" };
  test_wait_until (field_arrived, &w, 20000, "the contact after the server's restart");
  rapport_sync_scheduler_stop (scheduler);
  test_desktop_free (a);
  test_desktop_free (b);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/watch/brings-changes", test_watch_brings_changes);
  g_test_add_func ("/sync/watch/local-edit-debounce", test_watch_local_edit_debounce);
  g_test_add_func ("/sync/watch/server-restart", test_watch_server_restart);
  return g_test_run ();
}
