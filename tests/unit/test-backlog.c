/* test-backlog.c: the team backlog against an independent computation, its items, trend and actions */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>
#include <csv.h>
#include <sqlite3.h>

#include "rapport-backlog-actions.h"
#include "rapport-backlog-detail.h"
#include "rapport-backlog-export.h"
#include "rapport-generate.h"
#include "rapport-journal.h"
#include "test-common.h"

#define DAY ((gint64) 24 * 60 * 60)
#define N_FIGURES RAPPORT_BACKLOG_N_FIGURES

/* A small team with every kind of record: 6 users (two managers, one
 * admin), reminders due from two months ago to two months ahead. */
static const RapportPreset small_team = { 6, 400, 3000, 100, 500, 120, 60 };

/* The independent computation ------------------------------------------- */

/* What the test expects of one owner: the eight figures, in the order of
 * RapportBacklogFigure, and the age of the oldest waiting complaint. Written
 * from the definitions of issue 6, in whole days, without the core's SQL. */
typedef struct
{
  guint figure[N_FIGURES];
  gint64 oldest_complaint;
} Expected;

static Expected *
expected_for (GHashTable *table, const char *owner)
{
  const char *key = owner ? owner : "";
  Expected *e = g_hash_table_lookup (table, key);

  if (e == NULL)
    {
      e = g_new0 (Expected, 1);
      g_hash_table_insert (table, g_strdup (key), e);
    }
  return e;
}

/* A follow-up due at @due, seen at @t: overdue by whole days (a part of a
 * day counts as a day, at least one), or due within the coming week. */
static void
count_follow_up (Expected *e, gint64 due, gint64 t)
{
  if (due <= t)
    {
      gint64 days = MAX ((t - due + DAY - 1) / DAY, 1);

      if (days <= 7)
        e->figure[RAPPORT_BACKLOG_OVERDUE_1_7]++;
      else if (days <= 30)
        e->figure[RAPPORT_BACKLOG_OVERDUE_8_30]++;
      else
        e->figure[RAPPORT_BACKLOG_OVERDUE_31_PLUS]++;
    }
  else if (due - t <= 7 * DAY)
    e->figure[RAPPORT_BACKLOG_DUE_THIS_WEEK]++;
}

typedef void (*RowFunc) (GHashTable *table, sqlite3_stmt *stmt, gint64 t);

static void
each_row (sqlite3 *db, const char *sql, RowFunc func, GHashTable *table, gint64 t)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (table, stmt, t);
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static const char *
text (sqlite3_stmt *stmt, int col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

/* Open reminders not attached to a contact in the Trash. */
static const char independent_reminders[] =
  "SELECT r.owner, r.due_at, r.snoozed_until FROM reminders r"
  " WHERE r.done_at IS NULL AND r.deleted = 0"
  "   AND NOT EXISTS (SELECT 1 FROM contacts x WHERE x.id = r.contact_id AND x.deleted = 1)";

static void
reminder_row (GHashTable *table, sqlite3_stmt *stmt, gint64 t)
{
  gint64 due = sqlite3_column_int64 (stmt, 1);
  gint64 snoozed = sqlite3_column_int64 (stmt, 2);

  count_follow_up (expected_for (table, text (stmt, 0)), snoozed > due ? snoozed : due, t);
}

/* Nurtured contacts with their last touch, from the interactions
 * themselves (not the stored last_interaction_at). */
static const char independent_contacts[] =
  "SELECT c.owner, c.cadence_days, c.relationship, c.created_at,"
  "  (SELECT max (i.occurred_at) FROM interactions i WHERE i.contact_id = c.id AND i.deleted = 0)"
  " FROM contacts c WHERE c.deleted = 0 AND c.do_not_contact = 0";

static void
contact_row (GHashTable *table, sqlite3_stmt *stmt, gint64 t)
{
  Expected *e = expected_for (table, text (stmt, 0));
  gint64 cadence = sqlite3_column_int64 (stmt, 1);
  const char *relationship = text (stmt, 2);
  gint64 last = sqlite3_column_type (stmt, 4) != SQLITE_NULL ? sqlite3_column_int64 (stmt, 4)
                                                             : sqlite3_column_int64 (stmt, 3);

  if (cadence > 0)
    {
      gint64 due = last + cadence * DAY;

      count_follow_up (e, due, t);
      if (due <= t)
        e->figure[RAPPORT_BACKLOG_GOING_COLD]++;
    }
  else if (g_strcmp0 (relationship, "former") != 0 && t - last >= 90 * DAY)
    e->figure[RAPPORT_BACKLOG_GOING_COLD]++;
}

static const char independent_promises[] =
  "SELECT p.deliver_by_user, p.promised_by, p.due_at FROM promises p"
  " WHERE p.status = 'open' AND p.deleted = 0"
  "   AND NOT EXISTS (SELECT 1 FROM contacts x WHERE x.id = p.contact_id AND x.deleted = 1)";

static void
promise_row (GHashTable *table, sqlite3_stmt *stmt, gint64 t)
{
  const char *owner = text (stmt, 0) != NULL ? text (stmt, 0) : text (stmt, 1);
  Expected *e = expected_for (table, owner);
  gint64 due = sqlite3_column_int64 (stmt, 2);

  if (due < t)
    e->figure[RAPPORT_BACKLOG_PROMISES_BROKEN]++;
  else if (due - t <= 3 * DAY)
    e->figure[RAPPORT_BACKLOG_PROMISES_AT_RISK]++;
}

static const char independent_departments[] =
  "SELECT p.deliver_by_department, p.deliver_by_department, p.due_at FROM promises p"
  " WHERE p.status = 'open' AND p.deleted = 0 AND p.deliver_by_user IS NULL"
  "   AND p.deliver_by_department IS NOT NULL AND p.deliver_by_department <> ''"
  "   AND NOT EXISTS (SELECT 1 FROM contacts x WHERE x.id = p.contact_id AND x.deleted = 1)";

static const char independent_complaints[] =
  "SELECT c.owner, i.occurred_at FROM interactions i LEFT JOIN contacts c ON c.id = i.contact_id"
  " WHERE i.awaiting_response = 1 AND i.deleted = 0 AND i.responded_at IS NULL"
  "   AND i.resolved_at IS NULL AND (c.deleted IS NULL OR c.deleted = 0)";

static void
complaint_row (GHashTable *table, sqlite3_stmt *stmt, gint64 t)
{
  gint64 occurred = sqlite3_column_int64 (stmt, 1);
  Expected *e;

  if (occurred > t)
    return;
  e = expected_for (table, text (stmt, 0));
  e->figure[RAPPORT_BACKLOG_COMPLAINTS_WAITING]++;
  e->oldest_complaint = MAX (e->oldest_complaint, t - occurred);
}

static sqlite3 *
open_db (RapportTestStore *ts)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (ts->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return db;
}

/* owner id ("" for nobody) -> Expected */
static GHashTable *
independent_backlog (RapportTestStore *ts, gint64 t)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3 *db = open_db (ts);

  each_row (db, independent_reminders, reminder_row, table, t);
  each_row (db, independent_contacts, contact_row, table, t);
  each_row (db, independent_promises, promise_row, table, t);
  each_row (db, independent_complaints, complaint_row, table, t);
  sqlite3_close (db);
  return table;
}

static GHashTable *
independent_departments_at (RapportTestStore *ts, gint64 t)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3 *db = open_db (ts);

  each_row (db, independent_departments, promise_row, table, t);
  sqlite3_close (db);
  return table;
}

static gboolean
expected_is_empty (const Expected *e)
{
  for (guint f = 0; f < N_FIGURES; f++)
    if (e->figure[f] > 0)
      return FALSE;
  return TRUE;
}

static void
assert_row_equals (const RapportBacklogRow *row, GHashTable *expected, gint64 t)
{
  static const Expected zero = { { 0 }, 0 };
  const Expected *e = g_hash_table_lookup (expected, row->owner);

  if (e == NULL)
    e = &zero;
  for (guint f = 0; f < N_FIGURES; f++)
    if (rapport_backlog_row_get (row, f) != e->figure[f])
      g_error ("At %" G_GINT64_FORMAT ", %s of “%s”: the backlog says %u, the test computes %u", t,
               rapport_backlog_figure_key (f), row->owner_name, rapport_backlog_row_get (row, f),
               e->figure[f]);
  g_assert_cmpint (row->oldest_complaint_age, ==, e->oldest_complaint);
}

/* The data set ----------------------------------------------------------- */

static char *
add_user (RapportStore *store, const char *name, const char *department, const char *role)
{
  g_autoptr (RapportUser) user = rapport_user_new ();
  g_autoptr (GError) error = NULL;

  user->name = g_strdup (name);
  user->display_name = g_strdup (name);
  user->department = g_strdup (department);
  user->role = g_strdup (role);
  g_assert_true (rapport_store_save (store, RAPPORT_RECORD (user), &error));
  g_assert_no_error (error);
  return g_strdup (RAPPORT_RECORD (user)->id);
}

static char *
add_contact (RapportStore *store, const char *name, const char *owner, gint64 cadence_days)
{
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;

  contact->name = g_strdup (name);
  contact->kind = g_strdup ("person");
  contact->relationship = g_strdup ("customer");
  contact->owner = g_strdup (owner);
  contact->cadence_days = cadence_days;
  g_assert_true (rapport_store_save (store, RAPPORT_RECORD (contact), &error));
  g_assert_no_error (error);
  return g_strdup (RAPPORT_RECORD (contact)->id);
}

static char *
add_reminder (RapportStore *store, const char *contact, const char *owner, const char *title,
              gint64 due, gint64 snoozed_until, gint64 done_at)
{
  g_autoptr (RapportReminder) reminder = rapport_reminder_new ();
  g_autoptr (GError) error = NULL;

  reminder->contact_id = g_strdup (contact);
  reminder->owner = g_strdup (owner);
  reminder->title = g_strdup (title);
  reminder->due_at = due;
  reminder->snoozed_until = snoozed_until;
  reminder->done_at = done_at;
  g_assert_true (rapport_store_save (store, RAPPORT_RECORD (reminder), &error));
  g_assert_no_error (error);
  return g_strdup (RAPPORT_RECORD (reminder)->id);
}

static void
add_promise (RapportStore *store, const char *contact, const char *by, const char *deliver_user,
             const char *deliver_department, gint64 due)
{
  g_autoptr (RapportPromise) promise = rapport_promise_new ();
  g_autoptr (GError) error = NULL;

  promise->contact_id = g_strdup (contact);
  promise->what = g_strdup ("Send the offer");
  promise->promised_by = g_strdup (by);
  promise->deliver_by_user = g_strdup (deliver_user);
  promise->deliver_by_department = g_strdup (deliver_department);
  promise->due_at = due;
  promise->status = g_strdup ("open");
  g_assert_true (rapport_store_save (store, RAPPORT_RECORD (promise), &error));
  g_assert_no_error (error);
}

typedef struct
{
  RapportTestStore *ts;
  char *edge;      /* staff user whose work is hand-made at exact bounds */
  char *boss;      /* a manager */
  char *edge_contact;
} Team;

/* Hand-made records on the bounds of every bucket, for one user (Edda
 * Edge), on top of the generated team. */
static void
add_edges (Team *team)
{
  RapportStore *store = team->ts->store;
  gint64 now = team->ts->now;
  g_autofree char *trashed = NULL;
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  const struct
  {
    gint64 due, snoozed, done;
  } reminders[] = {
    { now, 0, 0 },                       /* 1–7: due right now */
    { now - 7 * DAY, 0, 0 },             /* 1–7: exactly 7 days */
    { now - 7 * DAY - 1, 0, 0 },         /* 8–30 */
    { now - 30 * DAY, 0, 0 },            /* 8–30: exactly 30 days */
    { now - 30 * DAY - 1, 0, 0 },        /* 31+ */
    { now + 1, 0, 0 },                   /* this week */
    { now + 7 * DAY, 0, 0 },             /* this week: the last second */
    { now + 7 * DAY + 1, 0, 0 },         /* later */
    { now - 20 * DAY, now + 2 * DAY, 0 },/* snoozed: this week */
    { now - 3 * DAY, 0, now - DAY },     /* done: nothing */
  };

  team->edge = add_user (store, "Edda Edge", "sales", "staff");
  team->edge_contact = add_contact (store, "=Formula Contact", team->edge, 0);
  for (guint i = 0; i < G_N_ELEMENTS (reminders); i++)
    g_free (add_reminder (store, team->edge_contact, team->edge, "+cmd|' /C calc'!A0",
                          reminders[i].due, reminders[i].snoozed, reminders[i].done));

  /* A reminder on a contact in the Trash counts for nobody. */
  trashed = add_contact (store, "Trashed Contact", team->edge, 0);
  g_free (add_reminder (store, trashed, team->edge, "gone", now - DAY, 0, 0));
  contact = rapport_store_get_contact (store, trashed, &error);
  g_assert_true (rapport_store_delete (store, RAPPORT_RECORD (contact), &error));

  /* Promises: at risk on the bound, broken, one for the warehouse. */
  add_promise (store, team->edge_contact, team->edge, NULL, NULL, now + 3 * DAY);
  add_promise (store, team->edge_contact, team->edge, NULL, NULL, now - 1);
  add_promise (store, team->edge_contact, team->edge, NULL, "Warehouse", now + DAY);
  add_promise (store, team->edge_contact, team->boss, team->edge, NULL, now - 5 * DAY);

  /* A cadence of 10 days on a relationship last touched 15 days ago. */
  {
    g_autofree char *cadence = add_contact (store, "Cadence Carl", team->edge, 10);
    g_autoptr (RapportInteraction) call = rapport_interaction_new ();

    call->contact_id = g_strdup (cadence);
    call->kind = g_strdup ("call");
    call->occurred_at = now - 15 * DAY;
    g_assert_true (rapport_store_save (store, RAPPORT_RECORD (call), &error));
  }
  g_assert_no_error (error);
}

static void
team_init (Team *team)
{
  g_autoptr (GError) error = NULL;

  team->ts = rapport_test_store_new ();
  g_assert_true (rapport_store_generate (team->ts->store, &small_team, 11, team->ts->now, NULL,
                                         NULL, &error));
  g_assert_no_error (error);
  team->boss = add_user (team->ts->store, "Bea Boss", "service", "manager");
  add_edges (team);
}

static void
team_clear (Team *team)
{
  g_free (team->edge);
  g_free (team->boss);
  g_free (team->edge_contact);
  rapport_test_store_free (team->ts);
}

/* Tests ------------------------------------------------------------------ */

static guint figure_of (RapportStore *store, const char *owner, RapportBacklogFigure figure,
                        gint64 t);

static const gint64 offsets[] = { 0, -10 * DAY, 3 * DAY + 2700, 40 * DAY, -61 * DAY + 1 };

static void
test_every_figure (void)
{
  Team team = { 0 };
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GError) error = NULL;

  team_init (&team);
  users = rapport_store_list_users (team.ts->store);
  g_assert_cmpuint (users->len, ==, small_team.users + 2);

  for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
    {
      gint64 t = team.ts->now + offsets[k];
      g_autoptr (GHashTable) expected = independent_backlog (team.ts, t);
      g_autoptr (GPtrArray) rows = rapport_store_backlog (team.ts->store, NULL, t, &error);
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      GHashTableIter iter;
      const char *owner;
      Expected *e;
      guint nonzero = 0;

      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        {
          RapportBacklogRow *row = rows->pdata[i];

          assert_row_equals (row, expected, t);
          g_assert_false (g_hash_table_contains (seen, row->owner));
          g_hash_table_add (seen, row->owner);
          for (guint f = 0; f < N_FIGURES; f++)
            nonzero += rapport_backlog_row_get (row, f) > 0;
        }
      /* Every user has a row, and so has everyone with work. */
      for (guint i = 0; i < users->len; i++)
        g_assert_true (g_hash_table_contains (seen, RAPPORT_RECORD (users->pdata[i])->id));
      g_hash_table_iter_init (&iter, expected);
      while (g_hash_table_iter_next (&iter, (gpointer *) &owner, (gpointer *) &e))
        g_assert_true (expected_is_empty (e) || g_hash_table_contains (seen, owner));
      /* The data set is not trivially empty. */
      g_assert_cmpuint (nonzero, >, 2 * small_team.users);
    }

  /* The hand-made bounds at "now", spelled out once. */
  {
    g_autoptr (GPtrArray) rows = rapport_store_backlog (team.ts->store, team.edge, team.ts->now,
                                                        &error);
    RapportBacklogRow *row = rows->pdata[0];

    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpuint (row->overdue_1_7, ==, 2 + 1 /* Carl's cadence, 5 days late */);
    g_assert_cmpuint (row->overdue_8_30, ==, 2);
    g_assert_cmpuint (row->overdue_31_plus, ==, 1);
    g_assert_cmpuint (row->due_this_week, ==, 3);
    g_assert_cmpuint (row->going_cold, ==, 1);
    g_assert_cmpuint (row->promises_at_risk, ==, 2);
    g_assert_cmpuint (row->promises_broken, ==, 2);
  }
  team_clear (&team);
}

static void
test_staff_scope (void)
{
  Team team = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportUser) edge = NULL;
  g_autoptr (RapportUser) boss = NULL;
  g_autoptr (GHashTable) expected = NULL;
  g_autoptr (GPtrArray) mine = NULL;

  team_init (&team);
  /* Nobody set up yet: a desktop of one sees everything. */
  {
    g_autoptr (RapportTestStore) fresh = rapport_test_store_new ();
    g_assert_null (rapport_backlog_scope (fresh->store));
    g_assert_true (rapport_backlog_may_see (fresh->store, "anyone"));
  }
  /* The generated desktop is a sales staff member's. */
  g_assert_nonnull (rapport_backlog_scope (team.ts->store));

  edge = rapport_store_get_user (team.ts->store, team.edge);
  g_assert_true (rapport_store_set_me (team.ts->store, edge, &error));
  g_assert_cmpstr (rapport_backlog_scope (team.ts->store), ==, team.edge);
  g_assert_true (rapport_backlog_may_see (team.ts->store, team.edge));
  g_assert_false (rapport_backlog_may_see (team.ts->store, team.boss));
  g_assert_false (rapport_backlog_may_see (team.ts->store, NULL));

  /* Staff get their own row only, with the same numbers. */
  expected = independent_backlog (team.ts, team.ts->now);
  mine = rapport_store_backlog (team.ts->store, rapport_backlog_scope (team.ts->store),
                                team.ts->now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_cmpstr (((RapportBacklogRow *) mine->pdata[0])->owner, ==, team.edge);
  assert_row_equals (mine->pdata[0], expected, team.ts->now);

  /* A manager sees the team; the role is read from the user record. */
  boss = rapport_store_get_user (team.ts->store, team.boss);
  g_assert_true (rapport_store_set_me (team.ts->store, boss, &error));
  g_assert_null (rapport_backlog_scope (team.ts->store));
  g_assert_true (rapport_backlog_may_see (team.ts->store, team.edge));
  g_free (boss->role);
  boss->role = g_strdup ("staff");
  g_assert_true (rapport_store_save (team.ts->store, RAPPORT_RECORD (boss), &error));
  g_assert_cmpstr (rapport_backlog_scope (team.ts->store), ==, team.boss);
  team_clear (&team);
}

static void
test_items_match_figures (void)
{
  Team team = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  GPtrArray *at_once[N_FIGURES], *edge_at_once[N_FIGURES];
  gint64 t;

  team_init (&team);
  t = team.ts->now + 2 * DAY + 600;
  rows = rapport_store_backlog (team.ts->store, NULL, t, &error);
  g_assert_no_error (error);
  g_assert_true (rapport_store_backlog_items_all (team.ts->store, NULL, t, at_once, &error));
  g_assert_true (rapport_store_backlog_items_all (team.ts->store, team.edge, t, edge_at_once, &error));
  for (guint f = 0; f < N_FIGURES; f++)
    {
      guint team_total = 0;
      g_autoptr (GPtrArray) all = rapport_store_backlog_items (team.ts->store, NULL, f, t, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        {
          RapportBacklogRow *row = rows->pdata[i];
          g_autoptr (GPtrArray) items = rapport_store_backlog_items (team.ts->store, row->owner,
                                                                     f, t, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (items->len, ==, rapport_backlog_row_get (row, f));
          for (guint j = 0; j < items->len; j++)
            {
              RapportDueItem *item = items->pdata[j];
              g_assert_cmpstr (item->owner ? item->owner : "", ==, row->owner);
              if (j > 0)
                g_assert_cmpint (((RapportDueItem *) items->pdata[j - 1])->due_at, <=, item->due_at);
            }
          team_total += items->len;
        }
      g_assert_cmpuint (all->len, ==, team_total);
      /* All figures at once give the same items. */
      g_assert_cmpuint (at_once[f]->len, ==, all->len);
      for (guint j = 0; j < all->len; j++)
        g_assert_cmpstr (((RapportDueItem *) at_once[f]->pdata[j])->record_id, ==,
                         ((RapportDueItem *) all->pdata[j])->record_id);
      g_assert_cmpuint (edge_at_once[f]->len, ==, figure_of (team.ts->store, team.edge, f, t));
      g_ptr_array_unref (at_once[f]);
      g_ptr_array_unref (edge_at_once[f]);
    }
  team_clear (&team);
}

static void
test_departments (void)
{
  Team team = { 0 };
  g_autoptr (GError) error = NULL;

  team_init (&team);
  for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
    {
      gint64 t = team.ts->now + offsets[k];
      g_autoptr (GHashTable) expected = independent_departments_at (team.ts, t);
      g_autoptr (GPtrArray) rows = rapport_store_backlog_departments (team.ts->store, NULL, t,
                                                                      &error);
      guint with_work = 0;
      GHashTableIter iter;
      Expected *e;

      g_assert_no_error (error);
      g_hash_table_iter_init (&iter, expected);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &e))
        with_work += !expected_is_empty (e);
      g_assert_cmpuint (rows->len, ==, with_work);
      for (guint i = 0; i < rows->len; i++)
        {
          RapportBacklogRow *row = rows->pdata[i];
          g_autoptr (GPtrArray) risk = NULL, broken = NULL;

          assert_row_equals (row, expected, t);
          risk = rapport_store_backlog_department_items (team.ts->store, row->owner,
                                                         RAPPORT_BACKLOG_PROMISES_AT_RISK, t, &error);
          broken = rapport_store_backlog_department_items (team.ts->store, row->owner,
                                                           RAPPORT_BACKLOG_PROMISES_BROKEN, t, &error);
          g_assert_cmpuint (risk->len, ==, row->promises_at_risk);
          g_assert_cmpuint (broken->len, ==, row->promises_broken);
        }
    }
  /* The warehouse promise of the hand-made set is at risk now. */
  {
    g_autoptr (GPtrArray) rows = rapport_store_backlog_departments (team.ts->store, "Warehouse",
                                                                    team.ts->now, &error);
    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpuint (((RapportBacklogRow *) rows->pdata[0])->promises_at_risk, ==, 1);
  }
  team_clear (&team);
}

static void
test_trend (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *ana = add_user (ts->store, "Ana", "sales", "staff");
  g_autofree char *ben = add_user (ts->store, "Ben", "sales", "staff");
  g_autofree char *contact = add_contact (ts->store, "Clara", ana, 0);
  g_autoptr (GArray) team = NULL, only_ben = NULL;
  gint64 now = ts->now;

  /* Ana: 2 overdue from 10 days ago, Ben: 1 from 3 days ago. */
  g_free (add_reminder (ts->store, contact, ana, "a", now - 10 * DAY, 0, 0));
  g_free (add_reminder (ts->store, contact, ana, "b", now - 10 * DAY, 0, 0));
  g_free (add_reminder (ts->store, contact, ben, "c", now - 3 * DAY, 0, 0));
  for (int d = 12; d >= 0; d -= 2)
    g_assert_true (rapport_store_record_backlog_day (ts->store, now - d * DAY, &error));
  /* A second figure on a day replaces the first. */
  g_assert_true (rapport_store_record_backlog_day (ts->store, now + 3600, &error));
  g_assert_no_error (error);

  team = rapport_store_backlog_trend (ts->store, NULL, now, 56, &error);
  only_ben = rapport_store_backlog_trend (ts->store, ben, now, 56, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (team->len, ==, 56);
  g_assert_cmpint (g_array_index (team, gint64, 0), ==, -1);       /* 55 days ago */
  g_assert_cmpint (g_array_index (team, gint64, 55 - 12), ==, 0);  /* nothing due yet */
  g_assert_cmpint (g_array_index (team, gint64, 55 - 11), ==, -1); /* not recorded */
  g_assert_cmpint (g_array_index (team, gint64, 55 - 10), ==, 2);
  g_assert_cmpint (g_array_index (team, gint64, 55 - 2), ==, 3);
  g_assert_cmpint (g_array_index (team, gint64, 55), ==, 3);
  g_assert_cmpint (g_array_index (only_ben, gint64, 55 - 4), ==, 0);
  g_assert_cmpint (g_array_index (only_ben, gint64, 55 - 2), ==, 1);
}

/* The cells of one CSV text, row by row (libcsv). */
static void
csv_cell_cb (void *data, size_t len, void *user_data)
{
  GPtrArray *rows = user_data;
  GPtrArray *row = rows->pdata[rows->len - 1];

  g_ptr_array_add (row, g_strndup (data, len));
}

static void
csv_row_cb (int c, void *user_data)
{
  g_ptr_array_add (user_data, g_ptr_array_new_with_free_func (g_free));
}

static GPtrArray *
parse_csv (const char *csv_text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  struct csv_parser parser;
  const char *body = g_str_has_prefix (csv_text, "\xEF\xBB\xBF") ? csv_text + 3 : csv_text;

  g_ptr_array_add (rows, g_ptr_array_new_with_free_func (g_free));
  g_assert_cmpint (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI), ==, 0);
  g_assert_cmpuint (csv_parse (&parser, body, strlen (body), csv_cell_cb, csv_row_cb, rows), ==,
                    strlen (body));
  csv_fini (&parser, csv_cell_cb, csv_row_cb, rows);
  csv_free (&parser);
  g_ptr_array_set_size (rows, rows->len - 1);
  return rows;
}

static void
assert_no_formula (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      GPtrArray *row = rows->pdata[i];
      for (guint j = 0; j < row->len; j++)
        {
          const char *cell = row->pdata[j];
          g_assert_null (strchr ("=+-@\t\r", cell[0] ? cell[0] : 'x'));
        }
    }
}

static void
test_csv_export (void)
{
  Team team = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL, departments = NULL, items = NULL;
  g_autoptr (GPtrArray) table = NULL, item_cells = NULL, edge_cells = NULL;
  g_autofree char *csv = NULL, *items_csv = NULL, *edge_csv = NULL;
  gboolean found_edge = FALSE, found_warehouse = FALSE, found_formula = FALSE;
  RapportUser *evil;

  team_init (&team);
  /* A user whose name a spreadsheet would run. */
  evil = rapport_store_get_user (team.ts->store, team.edge);
  g_free (evil->display_name);
  evil->display_name = g_strdup ("@SUM(1+1)*cmd|' /C calc'!A0");
  g_assert_true (rapport_store_save (team.ts->store, RAPPORT_RECORD (evil), &error));
  g_object_unref (evil);

  rows = rapport_store_backlog (team.ts->store, NULL, team.ts->now, &error);
  departments = rapport_store_backlog_departments (team.ts->store, NULL, team.ts->now, &error);
  g_assert_no_error (error);
  csv = rapport_backlog_csv (rows, departments);
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF"));
  table = parse_csv (csv);
  assert_no_formula (table);
  /* Header, one line per owner, the team, the departments. */
  g_assert_cmpuint (table->len, ==, 1 + rows->len + 1 + departments->len);
  for (guint i = 1; i < table->len; i++)
    {
      GPtrArray *cells = table->pdata[i];

      g_assert_cmpuint (cells->len, ==, 3 + N_FIGURES + 1);
      if (g_strcmp0 (cells->pdata[1], team.edge) == 0)
        {
          found_edge = TRUE;
          g_assert_cmpstr (cells->pdata[0], ==, "person");
          g_assert_cmpstr (cells->pdata[2], ==, "'@SUM(1+1)*cmd|' /C calc'!A0");
          g_assert_cmpstr (cells->pdata[3], ==, "3");  /* overdue 1–7 */
          g_assert_cmpstr (cells->pdata[5], ==, "1");  /* overdue 31+ */
        }
      if (g_strcmp0 (cells->pdata[2], "Warehouse") == 0)
        {
          found_warehouse = TRUE;
          g_assert_cmpstr (cells->pdata[0], ==, "department");
          g_assert_cmpstr (cells->pdata[3 + RAPPORT_BACKLOG_PROMISES_AT_RISK], ==, "1");
        }
    }
  g_assert_true (found_edge);
  g_assert_true (found_warehouse);

  /* Every item of every figure of the team: as many lines as the figures count. */
  items_csv = rapport_backlog_items_csv (team.ts->store, NULL, RAPPORT_BACKLOG_N_FIGURES,
                                         team.ts->now, &error);
  g_assert_no_error (error);
  item_cells = parse_csv (items_csv);
  assert_no_formula (item_cells);
  {
    guint total = 0;
    for (guint i = 0; i < rows->len; i++)
      for (guint f = 0; f < N_FIGURES; f++)
        total += rapport_backlog_row_get (rows->pdata[i], f);
    g_assert_cmpuint (item_cells->len, ==, 1 + total);
  }

  /* One figure of one owner, as the drill-down exports it. */
  items = rapport_store_backlog_items (team.ts->store, team.edge, RAPPORT_BACKLOG_OVERDUE_31_PLUS,
                                       team.ts->now, &error);
  edge_csv = rapport_backlog_item_list_csv (team.ts->store, items, RAPPORT_BACKLOG_OVERDUE_31_PLUS,
                                            team.ts->now);
  edge_cells = parse_csv (edge_csv);
  assert_no_formula (edge_cells);
  g_assert_cmpuint (edge_cells->len, ==, 2);
  {
    GPtrArray *cells = edge_cells->pdata[1];
    found_formula = g_str_equal (cells->pdata[3], "'=Formula Contact")
                    && g_str_equal (cells->pdata[4], "'+cmd|' /C calc'!A0")
                    && g_str_equal (cells->pdata[6], "31");
  }
  g_assert_true (found_formula);
  team_clear (&team);
}

static gboolean
journal_has (RapportStore *store, const char *entity, const char *record_id, const char *field,
             const char *value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = rapport_store_pending_changes (store, 100000, &error);
  gboolean found = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < changes->len; i++)
    {
      RapportChange *change = changes->pdata[i];

      if (g_str_equal (change->entity, entity) && g_str_equal (change->record_id, record_id)
          && json_object_has_member (change->fields, field))
        found = g_strcmp0 (json_object_get_string_member (change->fields, field), value) == 0;
    }
  return found;
}

static guint
figure_of (RapportStore *store, const char *owner, RapportBacklogFigure figure, gint64 t)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = rapport_store_backlog (store, owner, t, &error);

  g_assert_no_error (error);
  return rapport_backlog_row_get (rows->pdata[0], figure);
}

static void
test_reassign_and_undo (void)
{
  Team team = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL, late = NULL;
  g_autoptr (RapportBacklogChange) change = NULL, relationships = NULL, nudge = NULL;
  g_autofree char *colleague = NULL;
  RapportStore *store;
  gint64 now;
  guint colleague_before;

  team_init (&team);
  store = team.ts->store;
  now = team.ts->now;
  colleague = add_user (store, "Carmen Colleague", "sales", "staff");
  /* Two reminders and Carl's relationship (a cadence). */
  items = rapport_store_backlog_items (store, team.edge, RAPPORT_BACKLOG_OVERDUE_1_7, now, &error);
  g_assert_cmpuint (items->len, ==, 3);
  colleague_before = figure_of (store, colleague, RAPPORT_BACKLOG_OVERDUE_1_7, now);

  /* Staff may not hand the work of others; nobody hands work to a stranger. */
  g_assert_null (rapport_backlog_reassign_items (store, items, colleague, colleague, &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rapport_backlog_reassign_items (store, items, "nobody", team.boss, &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (figure_of (store, team.edge, RAPPORT_BACKLOG_OVERDUE_1_7, now), ==, 3);

  change = rapport_backlog_reassign_items (store, items, colleague, team.boss, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rapport_backlog_change_get_count (change), ==, 3);
  g_assert_cmpuint (figure_of (store, team.edge, RAPPORT_BACKLOG_OVERDUE_1_7, now), ==, 0);
  g_assert_cmpuint (figure_of (store, colleague, RAPPORT_BACKLOG_OVERDUE_1_7, now), ==,
                    colleague_before + 3);
  /* Through the journal, so it syncs. */
  for (guint i = 0; i < items->len; i++)
    {
      RapportDueItem *item = items->pdata[i];
      if (item->kind == RAPPORT_DUE_REMINDER)
        g_assert_true (journal_has (store, "reminder", item->record_id, "owner", colleague));
      else
        g_assert_true (journal_has (store, "contact", item->contact_id, "owner", colleague));
    }

  /* Undo puts every owner back, through the journal too. */
  g_assert_true (rapport_backlog_change_undo (store, change, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (figure_of (store, team.edge, RAPPORT_BACKLOG_OVERDUE_1_7, now), ==, 3);
  g_assert_cmpuint (figure_of (store, colleague, RAPPORT_BACKLOG_OVERDUE_1_7, now), ==,
                    colleague_before);
  g_assert_true (journal_has (store, "reminder", ((RapportDueItem *) items->pdata[0])->record_id,
                              "owner", team.edge));

  /* A whole relationship takes its open reminders along: one item of the
   * formula contact moves the contact and its 9 open reminders. */
  late = rapport_store_backlog_items (store, team.edge, RAPPORT_BACKLOG_OVERDUE_8_30, now, &error);
  g_assert_cmpuint (late->len, ==, 2);
  g_ptr_array_set_size (late, 1);
  g_assert_null (rapport_backlog_reassign_relationships (store, late, colleague, team.edge, &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID);
  g_clear_error (&error);
  relationships = rapport_backlog_reassign_relationships (store, late, colleague, team.boss, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rapport_backlog_change_get_count (relationships), ==, 1 + 9);
  g_assert_cmpuint (figure_of (store, team.edge, RAPPORT_BACKLOG_OVERDUE_8_30, now), ==, 0);
  g_assert_cmpuint (figure_of (store, team.edge, RAPPORT_BACKLOG_OVERDUE_1_7, now), ==, 1);
  g_assert_true (journal_has (store, "contact", team.edge_contact, "owner", colleague));
  g_assert_true (rapport_backlog_change_undo (store, relationships, &error));
  g_assert_cmpuint (figure_of (store, team.edge, RAPPORT_BACKLOG_OVERDUE_8_30, now), ==, 2);
  g_assert_cmpuint (figure_of (store, team.edge, RAPPORT_BACKLOG_OVERDUE_1_7, now), ==, 3);

  /* An undo leaves alone what someone changed again since. */
  g_clear_pointer (&change, rapport_backlog_change_free);
  change = rapport_backlog_reassign_items (store, late, colleague, team.boss, &error);
  {
    g_autoptr (RapportRecord) reminder = rapport_store_load (
        store, rapport_entity_lookup ("reminder"), ((RapportDueItem *) late->pdata[0])->record_id,
        &error);
    g_free (RAPPORT_REMINDER (reminder)->owner);
    RAPPORT_REMINDER (reminder)->owner = g_strdup (team.boss);
    g_assert_true (rapport_store_save (store, reminder, &error));
  }
  g_assert_true (rapport_backlog_change_undo (store, change, &error));
  g_assert_cmpuint (figure_of (store, team.boss, RAPPORT_BACKLOG_OVERDUE_8_30, now), >=, 1);
  g_assert_cmpuint (figure_of (store, team.edge, RAPPORT_BACKLOG_OVERDUE_8_30, now), ==, 1);

  /* A nudge is a reminder for the owner, due now; undo takes it away. */
  nudge = rapport_backlog_nudge (store, items, team.boss, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rapport_backlog_change_get_count (nudge), ==, 3);
  g_assert_cmpuint (figure_of (store, team.edge, RAPPORT_BACKLOG_OVERDUE_1_7, now), ==, 3 + 3);
  {
    g_autoptr (GPtrArray) due = rapport_store_backlog_items (store, team.edge,
                                                             RAPPORT_BACKLOG_OVERDUE_1_7, now, &error);
    gboolean asked = FALSE;
    for (guint i = 0; i < due->len; i++)
      asked = asked || strstr (((RapportDueItem *) due->pdata[i])->title, "asked by Bea Boss") != NULL;
    g_assert_true (asked);
  }
  g_assert_true (rapport_backlog_change_undo (store, nudge, &error));
  g_assert_cmpuint (figure_of (store, team.edge, RAPPORT_BACKLOG_OVERDUE_1_7, now), ==, 3);
  team_clear (&team);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backlog/every-figure", test_every_figure);
  g_test_add_func ("/backlog/staff-scope", test_staff_scope);
  g_test_add_func ("/backlog/items-match-figures", test_items_match_figures);
  g_test_add_func ("/backlog/departments", test_departments);
  g_test_add_func ("/backlog/trend", test_trend);
  g_test_add_func ("/backlog/csv-export", test_csv_export);
  g_test_add_func ("/backlog/reassign-and-undo", test_reassign_and_undo);
  return g_test_run ();
}
