/* test-sync.c: desktops syncing through a real rapport-server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rapport-store-indexes.h"
#include "rapport-store-private.h"
#include "rapport-sync-private.h"
#include "rapport-sync-state.h"
#include "test-sync-common.h"

static gint64
real_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
strv_has_prefix (GPtrArray *rows, const char *prefix)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_has_prefix (rows->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

/* Two desktops converge; an edit on one is seen on the other; the user
 * directory arrives through pull; "me" becomes the server's user. */
static void
test_two_desktops_converge (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (RapportContact) d = NULL;
  g_autoptr (RapportNote) n = NULL;
  g_autoptr (RapportUser) mia = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dump_a = NULL, *dump_b = NULL, *stage = NULL;
  RapportSyncStats stats;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);

  c = test_desktop_add_contact (a, "Zoë Müller");
  d = test_desktop_add_contact (a, "Acme GmbH");
  n = test_desktop_add_note (a, RAPPORT_RECORD (c)->id, "Met at the fair", FALSE);
  test_desktop_sync (a, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pushed, >=, 3);
  g_assert_cmpuint (stats.refused, ==, 0);
  g_assert_cmpint (rapport_store_count_pending (a->store), ==, 0);
  g_assert_cmpstr (rapport_store_get_me_id (a->store), ==, test_sync_user_id ("alice"));

  test_desktop_sync (b, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, >=, 3);
  g_assert_cmpstr (rapport_store_get_me_id (b->store), ==, test_sync_user_id ("bob"));
  /* The directory: every user of the server, with names and roles. */
  mia = rapport_store_get_user (b->store, test_sync_user_id ("mia"));
  g_assert_nonnull (mia);
  g_assert_cmpuint (test_desktop_count (b, "user"), >=, 3);

  dump_a = test_desktop_dump (a, NULL);
  dump_b = test_desktop_dump (b, NULL);
  g_assert_cmpstr (dump_a, ==, dump_b);

  /* An edit on B is seen on A. */
  test_desktop_edit (b, "contact", RAPPORT_RECORD (c)->id, "stage", "\"qualified\"");
  test_desktop_sync_ok (b);
  test_desktop_sync_ok (a);
  stage = test_desktop_field (a, "contact", RAPPORT_RECORD (c)->id, "stage");
  g_assert_cmpstr (stage, ==, "\"qualified\"");

  g_clear_pointer (&dump_a, g_free);
  g_clear_pointer (&dump_b, g_free);
  test_desktop_sync_ok (b);
  dump_a = test_desktop_dump (a, NULL);
  dump_b = test_desktop_dump (b, NULL);
  g_assert_cmpstr (dump_a, ==, dump_b);

  /* Nothing to do is quick and changes nothing. */
  g_assert_true (test_desktop_sync (a, &stats, &error));
  g_assert_cmpuint (stats.pushed + stats.pulled + stats.refused, ==, 0);

  test_desktop_free (a);
  test_desktop_free (b);
}

/* Records written before the first sign-in, as the local "me", become the
 * server user's, and reach colleagues that way without a refusal. */
static void
test_first_sign_in_adopts_user (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportUser) local = rapport_user_new ();
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (RapportNote) n = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *local_id = NULL, *owner = NULL, *author = NULL, *owner_json = NULL;
  const char *alice = test_sync_user_id ("alice");
  RapportSyncStats stats;

  local->name = g_strdup ("alice-local");
  local->role = g_strdup ("staff");
  g_assert_true (rapport_store_set_me (a->store, local, &error));
  local_id = g_strdup (RAPPORT_RECORD (local)->id);
  c = test_desktop_add_contact (a, "Ada Lovelace");
  owner_json = g_strdup_printf ("\"%s\"", local_id);
  test_desktop_edit (a, "contact", RAPPORT_RECORD (c)->id, "owner", owner_json);
  n = test_desktop_add_note (a, RAPPORT_RECORD (c)->id, "Prefers mornings", FALSE);
  g_assert_cmpstr (n->author, ==, local_id);

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_sync (a, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.refused, ==, 0);
  g_assert_cmpstr (rapport_store_get_me_id (a->store), ==, alice);
  g_assert_null (rapport_store_get_user (a->store, local_id));
  owner = test_desktop_field (a, "contact", RAPPORT_RECORD (c)->id, "owner");
  g_assert_true (strstr (owner, alice) != NULL);

  test_desktop_login (b, "bob", TEST_PASSWORD);
  test_desktop_sync_ok (b);
  g_clear_pointer (&owner, g_free);
  owner = test_desktop_field (b, "contact", RAPPORT_RECORD (c)->id, "owner");
  author = test_desktop_field (b, "note", RAPPORT_RECORD (n)->id, "author");
  g_assert_nonnull (owner);
  g_assert_true (strstr (owner, alice) != NULL);
  g_assert_nonnull (author);
  g_assert_true (strstr (author, alice) != NULL);

  test_desktop_free (a);
  test_desktop_free (b);
}

/* Two desktops edit one contact offline: different fields are both kept; on
 * the same field the newer write wins and the older one is recorded. */
static void
test_offline_same_contact (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (GPtrArray) conflicts_a = NULL;
  g_autoptr (GError) error = NULL;
  const char *id;
  gint64 now = real_now ();
  RapportSyncStats stats;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  c = test_desktop_add_contact (a, "Grace Hopper");
  id = RAPPORT_RECORD (c)->id;
  test_desktop_sync_ok (a);
  test_desktop_sync_ok (b);

  /* Offline: A edits first, B later. */
  a->ts->now = now + 20;
  test_desktop_edit (a, "contact", id, "phones", "[{\"label\":\"work\",\"value\":\"+1 555 0100\"}]");
  test_desktop_edit (a, "contact", id, "stage", "\"active\"");
  b->ts->now = now + 40;
  test_desktop_edit (b, "contact", id, "phones", "[{\"label\":\"work\",\"value\":\"+1 555 0199\"}]");
  test_desktop_edit (b, "contact", id, "job_title", "\"Rear Admiral\"");

  test_desktop_sync_ok (b);
  test_desktop_sync (a, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.conflicts, >=, 1);
  test_desktop_sync_ok (b);

  for (guint i = 0; i < 2; i++)
    {
      TestDesktop *d = i == 0 ? a : b;
      g_autofree char *phones = test_desktop_field (d, "contact", id, "phones");
      g_autofree char *stage = test_desktop_field (d, "contact", id, "stage");
      g_autofree char *title = test_desktop_field (d, "contact", id, "job_title");

      g_assert_true (strstr (phones, "0199") != NULL);
      g_assert_cmpstr (stage, ==, "\"active\"");
      g_assert_cmpstr (title, ==, "\"Rear Admiral\"");
    }
  /* A's lost phone number is recorded, with what it was. */
  conflicts_a = test_desktop_conflicts (a, id);
  g_assert_cmpuint (conflicts_a->len, ==, 1);
  g_assert_true (g_str_has_prefix (conflicts_a->pdata[0], "phones|replaced|"));
  g_assert_true (strstr (conflicts_a->pdata[0], "0100") != NULL);
  g_assert_cmpint (rapport_store_count_conflicts (a->store, id), ==, 1);
  /* ...and who won: the pulled change's author, for the record to name. */
  {
    g_autoptr (GPtrArray) rows = rapport_store_list_conflicts (a->store, id, TRUE, &error);
    RapportConflict *conflict;

    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 1);
    conflict = rows->pdata[0];
    g_assert_cmpstr (conflict->winner_author, ==, test_sync_user_id ("bob"));
    g_assert_nonnull (conflict->winner_stamp);
  }

  test_desktop_free (a);
  test_desktop_free (b);
}

/* A delete online against an edit offline: the record is in the Trash
 * everywhere, the edit is kept in it, and the editor is told. */
static void
test_delete_vs_offline_edit (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (RapportRecord) on_a = NULL;
  g_autoptr (GPtrArray) conflicts_b = NULL;
  g_autoptr (GPtrArray) trash = NULL;
  g_autoptr (GError) error = NULL;
  const char *id;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  c = test_desktop_add_contact (a, "Hedy Lamarr");
  id = RAPPORT_RECORD (c)->id;
  test_desktop_sync_ok (a);
  test_desktop_sync_ok (b);

  test_desktop_edit (b, "contact", id, "stage", "\"renewal\"");
  on_a = rapport_store_load (a->store, rapport_entity_lookup ("contact"), id, &error);
  g_assert_true (rapport_store_delete (a->store, on_a, &error));
  test_desktop_sync_ok (a);
  test_desktop_sync_ok (b);
  test_desktop_sync_ok (a);

  for (guint i = 0; i < 2; i++)
    {
      TestDesktop *d = i == 0 ? a : b;
      g_autofree char *deleted = test_desktop_field (d, "contact", id, "deleted");
      g_autofree char *stage = test_desktop_field (d, "contact", id, "stage");

      g_assert_cmpstr (deleted, ==, "true");
      g_assert_cmpstr (stage, ==, "\"renewal\"");
    }
  trash = rapport_store_list_trash (a->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trash->len, ==, 1);
  conflicts_b = test_desktop_conflicts (b, id);
  g_assert_true (strv_has_prefix (conflicts_b, "stage|deleted|"));

  test_desktop_free (a);
  test_desktop_free (b);
}

/* A private note reaches its author's other desktop, and nobody else. */
static void
test_private_notes (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *a2 = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  TestDesktop *m = test_desktop_new (srv->url);
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (RapportNote) secret = NULL;
  g_autoptr (RapportNote) shared = NULL;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (a2, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  test_desktop_login (m, "mia", TEST_PASSWORD);
  test_desktop_sync_ok (a);
  c = test_desktop_add_contact (a, "Katherine Johnson");
  secret = test_desktop_add_note (a, RAPPORT_RECORD (c)->id, "Thinking of leaving", TRUE);
  shared = test_desktop_add_note (a, RAPPORT_RECORD (c)->id, "Renewal due in May", FALSE);
  test_desktop_sync_ok (a);
  test_desktop_sync_ok (a2);
  test_desktop_sync_ok (b);
  test_desktop_sync_ok (m);

  {
    g_autoptr (RapportRecord) own = rapport_store_load (a2->store, rapport_entity_lookup ("note"),
                                                        RAPPORT_RECORD (secret)->id, NULL);
    g_assert_nonnull (own);
  }
  for (guint i = 0; i < 2; i++)
    {
      TestDesktop *d = i == 0 ? b : m;
      g_autoptr (RapportRecord) found = rapport_store_load (d->store, rapport_entity_lookup ("note"),
                                                            RAPPORT_RECORD (secret)->id, NULL);
      g_autoptr (RapportRecord) seen = rapport_store_load (d->store, rapport_entity_lookup ("note"),
                                                           RAPPORT_RECORD (shared)->id, NULL);
      g_autofree char *dump = test_desktop_dump (d, NULL);

      g_assert_null (found);
      g_assert_nonnull (seen);
      g_assert_null (strstr (dump, "Thinking of leaving"));
    }

  test_desktop_free (a);
  test_desktop_free (a2);
  test_desktop_free (b);
  test_desktop_free (m);
}

/* The server is restored from an older backup and given a new epoch, as an
 * operator would (`rapport-server new-epoch`): the desktops give it back all
 * they know, and a new desktop then gets everything. */
static void
test_server_restored_from_backup (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  TestDesktop *fresh = NULL;
  g_autoptr (RapportContact) c1 = NULL, c2 = NULL, c3 = NULL;
  g_autoptr (RapportNote) n2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *backup = rapport_test_tmpdir ();
  g_autofree char *dump_a = NULL, *dump_b = NULL, *dump_fresh = NULL;
  RapportSyncStats stats;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  c1 = test_desktop_add_contact (a, "Before the backup");
  test_desktop_sync_ok (a);
  test_desktop_sync_ok (b);

  g_assert_true (rapport_test_server_stop (srv, &error));
  g_assert_true (rapport_test_server_backup (srv, backup, &error));
  g_assert_true (rapport_test_server_start (srv, &error));
  g_assert_no_error (error);

  c2 = test_desktop_add_contact (a, "After the backup");
  n2 = test_desktop_add_note (a, RAPPORT_RECORD (c2)->id, "Only after", FALSE);
  test_desktop_sync_ok (a);
  test_desktop_sync_ok (b);
  c3 = test_desktop_add_contact (b, "Bob's after the backup");
  test_desktop_edit (b, "contact", RAPPORT_RECORD (c1)->id, "stage", "\"edited-after\"");
  test_desktop_sync_ok (b);

  g_assert_true (rapport_test_server_stop (srv, &error));
  g_assert_true (rapport_test_server_restore (srv, backup, &error));
  g_assert_true (rapport_test_server_admin (srv, NULL, NULL, &error, "new-epoch", NULL));
  g_assert_true (rapport_test_server_start (srv, &error));
  g_assert_no_error (error);

  test_desktop_sync (a, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.restored, >, 0);
  test_desktop_sync (b, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.restored, >, 0);
  test_desktop_sync_ok (a);

  fresh = test_desktop_new (srv->url);
  test_desktop_login (fresh, "mia", TEST_PASSWORD);
  test_desktop_sync_ok (fresh);
  dump_a = test_desktop_dump (a, "contact");
  dump_b = test_desktop_dump (b, "contact");
  dump_fresh = test_desktop_dump (fresh, "contact");
  g_assert_cmpuint (test_desktop_count (fresh, "contact"), ==, 3);
  g_assert_cmpstr (dump_a, ==, dump_fresh);
  g_assert_cmpstr (dump_b, ==, dump_fresh);
  g_assert_true (strstr (dump_fresh, "edited-after") != NULL);
  {
    g_autoptr (RapportRecord) note = rapport_store_load (fresh->store, rapport_entity_lookup ("note"),
                                                         RAPPORT_RECORD (n2)->id, NULL);
    g_assert_nonnull (note);
  }

  test_desktop_free (a);
  test_desktop_free (b);
  test_desktop_free (fresh);
}

/* A clock a day behind: stamps still order after what the desktop has seen
 * (the hybrid clock), so its later edit wins and nothing is refused. */
static void
test_clock_behind (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *on_a = NULL, *on_b = NULL;
  RapportSyncStats stats;
  const char *id;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  a->ts->now = real_now () - 24 * 3600;
  b->ts->now = real_now () + 60;
  c = test_desktop_add_contact (b, "Ida Noddack");
  id = RAPPORT_RECORD (c)->id;
  test_desktop_edit (b, "contact", id, "stage", "\"from-b\"");
  test_desktop_sync_ok (b);
  test_desktop_sync_ok (a);
  test_desktop_edit (a, "contact", id, "stage", "\"from-a-behind\"");
  test_desktop_sync (a, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.refused, ==, 0);
  test_desktop_sync_ok (b);
  on_a = test_desktop_field (a, "contact", id, "stage");
  on_b = test_desktop_field (b, "contact", id, "stage");
  g_assert_cmpstr (on_a, ==, "\"from-a-behind\"");
  g_assert_cmpstr (on_b, ==, "\"from-a-behind\"");

  test_desktop_free (a);
  test_desktop_free (b);
}

/* A first sync of several pages: fetched one ahead while the last is
 * applied in a worker (on its own connection to the store file); the
 * desktop's own connection then sees every record, "changed" is emitted,
 * and its clock is past every pulled stamp. */
static void
on_changed (RapportStore *store, const char *entity, const char *id, gpointer data)
{
  guint *count = data;

  (*count)++;
}

/* The secondary indexes of the record tables. */
static int
schema_indexes (TestDesktop *d)
{
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_prepare_v2 (rapport_store_get_db (d->store),
                                       "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                                       "sql IS NOT NULL AND tbl_name IN ('contacts', 'interactions', "
                                       "'notes', 'reminders', 'promises')", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_first_sync_pages (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (GError) error = NULL;
  g_autofree char *dump_a = NULL, *dump_b = NULL, *stage_a = NULL;
  g_autoptr (RapportContact) last = NULL;
  RapportSyncStats stats;
  guint changed = 0;
  /* Four pages, large enough to be applied by the pull's two workers, one
   * reading a page while the other writes the one before. */
  const guint page = 500;
  const guint n = 3 * page + 100;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  rapport_sync_client_set_pull_page (b->client, page);
  /* A's clock is two minutes ahead (within what the server takes). */
  a->ts->now = real_now () + 120;
  g_assert_true (rapport_store_begin (a->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Paged Person %04u", i);

      g_clear_object (&last);
      last = test_desktop_add_contact (a, name);
    }
  g_assert_true (rapport_store_commit (a->store, &error));
  test_desktop_sync_ok (a);

  g_signal_connect (b->store, "changed", G_CALLBACK (on_changed), &changed);
  test_desktop_sync (b, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, >=, n);
  g_assert_cmpuint (test_desktop_count (b, "contact"), ==, n);
  g_assert_cmpuint (changed, >, 0);
  dump_a = test_desktop_dump (a, "contact");
  dump_b = test_desktop_dump (b, "contact");
  g_assert_cmpstr (dump_a, ==, dump_b);
  /* B's pull into its empty store dropped the record tables' indexes
   * (rapport-store-indexes.c): all built again once it caught up. */
  g_assert_false (rapport_store_get_indexes_deferred (b->store));
  g_assert_cmpint (schema_indexes (b), ==, schema_indexes (a));
  g_assert_cmpint (schema_indexes (b), >=, 10);

  /* B's clock moved past A's stamps (A's clock is ahead): B's edit made
   * now is the newer one everywhere. */
  test_desktop_edit (b, "contact", RAPPORT_RECORD (last)->id, "stage", "\"from-b\"");
  test_desktop_sync_ok (b);
  test_desktop_sync_ok (a);
  stage_a = test_desktop_field (a, "contact", RAPPORT_RECORD (last)->id, "stage");
  g_assert_cmpstr (stage_a, ==, "\"from-b\"");

  test_desktop_free (a);
  test_desktop_free (b);
}

typedef struct
{
  RapportSyncScheduler *scheduler;
  RapportSyncStatus want;
} StatusWait;

static gboolean
status_reached (gpointer data)
{
  StatusWait *w = data;
  return rapport_sync_scheduler_get_status (w->scheduler) == w->want;
}

/* A clock a year ahead (PROTOCOL.md, "Clocks that ran ahead"). While the
 * clock is wrong, the server refuses the edit, the status says what to do,
 * colleagues never see it, and the edit stays pending. Once the clock is set
 * right (the hybrid clock still a year ahead), the next sync sets the clock
 * back, re-stamps the pending edits and the record's stamps, and they are
 * accepted: nothing lost, and a colleague's later edit wins everywhere. */
static void
test_clock_ahead (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (RapportSyncScheduler) scheduler = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *on_b = NULL;
  g_autofree char *on_b_org = NULL;
  g_autofree char *on_a = NULL;
  g_autofree char *later_on_b = NULL;
  RapportSyncStats stats;
  StatusWait w;
  const char *id;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  c = test_desktop_add_contact (b, "Lise Meitner");
  id = RAPPORT_RECORD (c)->id;
  test_desktop_sync_ok (b);
  test_desktop_sync_ok (a);

  a->ts->now = real_now () + 365 * 24 * 3600;
  test_desktop_edit (a, "contact", id, "stage", "\"from-the-future\"");
  scheduler = rapport_sync_scheduler_new (a->client);
  rapport_sync_scheduler_set_timing (scheduler, 50, 60000, 50, 200);
  rapport_sync_scheduler_start (scheduler);
  w.scheduler = scheduler;
  w.want = RAPPORT_SYNC_STATUS_ERROR;
  test_wait_until (status_reached, &w, 60000, "the clock error in the status");
  g_assert_true (strstr (rapport_sync_scheduler_get_message (scheduler), "clock") != NULL);
  rapport_sync_scheduler_stop (scheduler);
  /* Kept, not lost, and not shown as refused: it will be sent. */
  g_assert_cmpint (rapport_store_count_pending (a->store), ==, 1);
  conflicts = test_desktop_conflicts (a, id);
  g_assert_cmpuint (conflicts->len, ==, 0);
  test_desktop_sync_ok (b);
  on_b = test_desktop_field (b, "contact", id, "stage");
  g_assert_cmpstr (on_b, !=, "\"from-the-future\"");
  g_clear_pointer (&on_b, g_free);

  /* The clock is set right; the hybrid clock is still a year ahead, so the
   * next edit is stamped there too. */
  a->ts->now = real_now ();
  test_desktop_edit (a, "contact", id, "organization", "\"Kaiser Wilhelm Institute\"");
  test_desktop_sync (a, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pushed, ==, 2);
  g_assert_cmpuint (stats.refused, ==, 0);
  g_assert_cmpint (rapport_store_count_pending (a->store), ==, 0);
  test_desktop_sync_ok (b);
  on_b = test_desktop_field (b, "contact", id, "stage");
  on_b_org = test_desktop_field (b, "contact", id, "organization");
  g_assert_cmpstr (on_b, ==, "\"from-the-future\"");
  g_assert_cmpstr (on_b_org, ==, "\"Kaiser Wilhelm Institute\"");

  /* Nothing on a is stamped in the future any more: a colleague's later
   * edit wins on both desktops. */
  test_desktop_edit (b, "contact", id, "stage", "\"from-b-later\"");
  test_desktop_sync_ok (b);
  test_desktop_sync_ok (a);
  on_a = test_desktop_field (a, "contact", id, "stage");
  later_on_b = test_desktop_field (b, "contact", id, "stage");
  g_assert_cmpstr (on_a, ==, "\"from-b-later\"");
  g_assert_cmpstr (later_on_b, ==, "\"from-b-later\"");

  test_desktop_free (a);
  test_desktop_free (b);
}

/* Staff may not take over a colleague's contact (only a manager reassigns
 * relationships): refused, recorded on the record, never applied, and
 * undone on the desktop that made it. */
static void
test_refused_change_recorded (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *owner = NULL, *bob_json = NULL, *owner_on_b = NULL, *stage_on_b = NULL;
  RapportSyncStats stats;
  const char *id;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  test_desktop_sync_ok (a);
  c = test_desktop_add_contact (a, "Rosalind Franklin");
  id = RAPPORT_RECORD (c)->id;
  test_desktop_sync_ok (a);
  test_desktop_sync_ok (b);

  bob_json = g_strdup_printf ("\"%s\"", test_sync_user_id ("bob"));
  test_desktop_edit (b, "contact", id, "owner", bob_json);
  test_desktop_sync (b, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.refused, ==, 1);
  g_assert_cmpint (rapport_store_count_pending (b->store), ==, 0);
  conflicts = test_desktop_conflicts (b, id);
  g_assert_true (strv_has_prefix (conflicts, "owner|refused: forbidden"));
  /* The refused value does not stay on Bob's desktop: the owner is what
   * the server has, and a later sync keeps it so. */
  owner_on_b = test_desktop_field (b, "contact", id, "owner");
  g_assert_nonnull (strstr (owner_on_b, test_sync_user_id ("alice")));
  test_desktop_sync_ok (b);
  g_clear_pointer (&owner_on_b, g_free);
  owner_on_b = test_desktop_field (b, "contact", id, "owner");
  g_assert_nonnull (strstr (owner_on_b, test_sync_user_id ("alice")));
  g_assert_cmpint (rapport_store_count_pending (b->store), ==, 0);

  test_desktop_sync_ok (a);
  owner = test_desktop_field (a, "contact", id, "owner");
  g_assert_true (strstr (owner, test_sync_user_id ("alice")) != NULL);

  /* A colleague's later edit of the field still reaches Bob. */
  test_desktop_edit (a, "contact", id, "stage", "\"after-refusal\"");
  test_desktop_sync_ok (a);
  test_desktop_sync_ok (b);
  stage_on_b = test_desktop_field (b, "contact", id, "stage");
  g_assert_cmpstr (stage_on_b, ==, "\"after-refusal\"");

  test_desktop_free (a);
  test_desktop_free (b);
}

static gboolean
nothing_pending_and_synced (gpointer data)
{
  StatusWait *w = data;
  RapportSyncClient *client = rapport_sync_scheduler_get_client (w->scheduler);

  return rapport_store_count_pending (rapport_sync_client_get_store (client)) == 0
         && rapport_sync_scheduler_get_status (w->scheduler) == RAPPORT_SYNC_STATUS_SYNCED;
}

static gboolean
failed_twice (gpointer data)
{
  StatusWait *w = data;
  return rapport_sync_scheduler_get_failures (w->scheduler) >= 2;
}

/* The scheduler syncs soon after a local change; while the server is down
 * the status is offline and retries back off; when it is back, the changes
 * made meanwhile go out. */
static void
test_scheduler (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (RapportSyncScheduler) scheduler = NULL;
  g_autoptr (RapportContact) c1 = NULL, c2 = NULL;
  g_autoptr (GError) error = NULL;
  StatusWait w;
  gint64 delay;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  scheduler = rapport_sync_scheduler_new (a->client);
  rapport_sync_scheduler_set_timing (scheduler, 100, 60000, 100, 400);
  g_assert_cmpint (rapport_sync_scheduler_get_status (scheduler), ==, RAPPORT_SYNC_STATUS_IDLE);
  rapport_sync_scheduler_start (scheduler);
  w.scheduler = scheduler;
  w.want = RAPPORT_SYNC_STATUS_SYNCED;
  test_wait_until (status_reached, &w, 30000, "the first sync");
  g_assert_cmpint (rapport_sync_scheduler_get_last_synced (scheduler), >, 0);
  /* Next: the periodic sync, a minute away. */
  delay = rapport_sync_scheduler_get_next_delay (scheduler);
  g_assert_cmpint (delay, >, 30000);

  c1 = test_desktop_add_contact (a, "Chien-Shiung Wu");
  /* A change plans a sync soon (the change delay), not in a minute. */
  g_assert_cmpint (rapport_sync_scheduler_get_next_delay (scheduler), <=, 100);
  test_wait_until (nothing_pending_and_synced, &w, 30000, "the change to be sent");

  g_assert_true (rapport_test_server_stop (srv, &error));
  c2 = test_desktop_add_contact (a, "Emmy Noether");
  w.want = RAPPORT_SYNC_STATUS_OFFLINE;
  test_wait_until (status_reached, &w, 30000, "the offline status");
  g_assert_nonnull (rapport_sync_scheduler_get_message (scheduler));
  test_wait_until (failed_twice, &w, 30000, "retries with backoff");
  g_assert_cmpint (rapport_store_count_pending (a->store), >, 0);

  g_assert_true (rapport_test_server_start (srv, &error));
  g_assert_no_error (error);
  test_wait_until (nothing_pending_and_synced, &w, 30000, "the sync after the server came back");
  rapport_sync_scheduler_stop (scheduler);

  test_desktop_sync_ok (b);
  {
    g_autoptr (RapportRecord) contact = rapport_store_load (b->store, rapport_entity_lookup ("contact"),
                                                            RAPPORT_RECORD (c2)->id, NULL);
    g_assert_nonnull (contact);
  }

  test_desktop_free (a);
  test_desktop_free (b);
}

static void
progress_cb (RapportSyncClient *client, GParamSpec *pspec, gpointer data)
{
  GArray *seen = data;
  double p = rapport_sync_client_get_progress (client);

  g_array_append_val (seen, p);
}

/* A first sync of more than one page reports its progress. */
static void
test_first_sync_progress (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  TestDesktop *b = test_desktop_new (srv->url);
  g_autoptr (GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) error = NULL;
  gboolean partial = FALSE;
  double last = 0;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  /* Three pages of 200. */
  rapport_sync_client_set_pull_page (b->client, 200);
  g_assert_true (rapport_store_begin (a->store, &error));
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *name = g_strdup_printf ("Contact %u", i);
      g_object_unref (test_desktop_add_contact (a, name));
    }
  g_assert_true (rapport_store_commit (a->store, &error));
  test_desktop_sync_ok (a);

  g_signal_connect (b->client, "notify::progress", G_CALLBACK (progress_cb), seen);
  test_desktop_sync_ok (b);
  g_assert_cmpuint (test_desktop_count (b, "contact"), ==, 500);
  for (guint i = 0; i < seen->len; i++)
    {
      double p = g_array_index (seen, double, i);
      if (p > 0 && p < 1)
        {
          partial = TRUE;
          g_assert_cmpfloat (p, >=, last);
          last = p;
        }
    }
  g_assert_true (partial);
  g_assert_cmpfloat (rapport_sync_client_get_progress (b->client), ==, -1.0);

  test_desktop_free (a);
  test_desktop_free (b);
}

/* A password change revokes the session: the sync says to sign in again. */
static void
test_revoked_session (void)
{
  g_autoptr (RapportTestServer) srv = test_sync_server_new ();
  TestDesktop *a = test_desktop_new (srv->url);
  g_autoptr (GError) error = NULL;

  test_desktop_login (a, "alice", TEST_PASSWORD);
  test_desktop_sync_ok (a);
  g_assert_true (rapport_test_server_admin (srv, "another-pw-2\n", NULL, &error, "user", "passwd",
                                            "alice", "--password-stdin", NULL));
  g_assert_no_error (error);
  g_assert_false (test_desktop_sync (a, NULL, &error));
  g_assert_error (error, RAPPORT_SYNC_ERROR, RAPPORT_SYNC_ERROR_UNAUTHORIZED);
  g_assert_false (rapport_sync_client_is_signed_in (a->client));

  test_desktop_free (a);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/two-desktops-converge", test_two_desktops_converge);
  g_test_add_func ("/sync/first-sign-in-adopts-user", test_first_sign_in_adopts_user);
  g_test_add_func ("/sync/offline-same-contact", test_offline_same_contact);
  g_test_add_func ("/sync/delete-vs-offline-edit", test_delete_vs_offline_edit);
  g_test_add_func ("/sync/private-notes", test_private_notes);
  g_test_add_func ("/sync/server-restored-from-backup", test_server_restored_from_backup);
  g_test_add_func ("/sync/clock-behind", test_clock_behind);
  g_test_add_func ("/sync/clock-ahead", test_clock_ahead);
  g_test_add_func ("/sync/first-sync-pages", test_first_sync_pages);
  g_test_add_func ("/sync/refused-change-recorded", test_refused_change_recorded);
  g_test_add_func ("/sync/scheduler", test_scheduler);
  g_test_add_func ("/sync/first-sync-progress", test_first_sync_progress);
  g_test_add_func ("/sync/revoked-session", test_revoked_session);
  return g_test_run ();
}
