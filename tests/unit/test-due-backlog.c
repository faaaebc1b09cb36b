/* test-due-backlog.c: the backlog's aging buckets at their edges, owners and daily trend */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rapport-due.h"
#include "rapport-store-private.h"
#include "test-common.h"
#include "test-fixtures.h"

#define T RAPPORT_TEST_NOW

typedef struct
{
  RapportTestStore *ts;
  RapportUser *alice;
  RapportUser *bob;
  RapportUser *carol;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->ts = rapport_test_store_new ();
  f->alice = fx_user (f->ts->store, "Alice", "sales", "staff");
  f->bob = fx_user (f->ts->store, "Bob", "sales", "manager");
  f->carol = fx_user (f->ts->store, "Carol", "service", "staff");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->alice);
  g_clear_object (&f->bob);
  g_clear_object (&f->carol);
  rapport_test_store_free (f->ts);
}

static const RapportBacklogRow *
row_of (GPtrArray *rows, const char *owner)
{
  for (guint i = 0; i < rows->len; i++)
    {
      RapportBacklogRow *row = rows->pdata[i];
      if (g_strcmp0 (row->owner, owner) == 0)
        return row;
    }
  g_error ("no backlog row for %s", owner);
}

static GPtrArray *
backlog (Fixture *f, const char *user_id, gint64 at)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = rapport_store_backlog (f->ts->store, user_id, at, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

/* Reminders of Alice overdue by exactly the bucket edges. */
static void
test_reminder_buckets (Fixture *f, gconstpointer data)
{
  RapportStore *s = f->ts->store;
  g_autoptr (RapportContact) c = fx_contact (s, "Ada", FX_ID (f->bob), 0, T - 400 * FX_DAY);
  const gint64 dues[] = {
    T,                      /* due exactly now: overdue, day 1 */
    T - 7 * FX_DAY,         /* 7 days: 1-7 */
    T - 7 * FX_DAY - 1,     /* a second into day 8: 8-30 */
    T - 30 * FX_DAY,        /* 30 days: 8-30 */
    T - 30 * FX_DAY - 1,    /* day 31: 31+ */
    T - 300 * FX_DAY,       /* 31+ */
    T + 1,                  /* due this week */
    T + 7 * FX_DAY,         /* due this week, at its very end */
    T + 7 * FX_DAY + 1,     /* next week: not counted */
  };
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) later = NULL;
  const RapportBacklogRow *row;

  for (guint i = 0; i < G_N_ELEMENTS (dues); i++)
    g_object_unref (fx_reminder (s, FX_ID (c), FX_ID (f->alice), dues[i]));
  /* A snoozed reminder ages from the end of its snooze. */
  {
    g_autoptr (RapportReminder) snoozed = fx_reminder (s, FX_ID (c), FX_ID (f->alice), T - 60 * FX_DAY);
    snoozed->snoozed_until = T - 2 * FX_DAY;
    fx_save (s, snoozed);
  }

  rows = backlog (f, NULL, T);
  row = row_of (rows, FX_ID (f->alice));
  g_assert_cmpstr (row->owner_name, ==, "Alice");
  g_assert_cmpuint (row->overdue_1_7, ==, 3);
  g_assert_cmpuint (row->overdue_8_30, ==, 2);
  g_assert_cmpuint (row->overdue_31_plus, ==, 2);
  g_assert_cmpuint (row->due_this_week, ==, 2);
  /* Bob owns the contact, not the reminders: no follow-ups of his. */
  row = row_of (rows, FX_ID (f->bob));
  g_assert_cmpuint (row->overdue_1_7 + row->overdue_8_30 + row->overdue_31_plus, ==, 0);
  row = row_of (rows, FX_ID (f->carol));
  g_assert_cmpuint (row->due_this_week, ==, 0);
  g_assert_cmpuint (rows->len, ==, 3);
  /* Sorted by name. */
  g_assert_cmpstr (((RapportBacklogRow *) rows->pdata[0])->owner_name, ==, "Alice");
  g_assert_cmpstr (((RapportBacklogRow *) rows->pdata[2])->owner_name, ==, "Carol");

  /* A second later every edge has moved one bucket on. */
  later = backlog (f, FX_ID (f->alice), T + 1);
  g_assert_cmpuint (later->len, ==, 1);
  row = later->pdata[0];
  g_assert_cmpuint (row->overdue_1_7, ==, 3);     /* T, T+1, snoozed */
  g_assert_cmpuint (row->overdue_8_30, ==, 2);    /* T-7d, T-7d-1 */
  g_assert_cmpuint (row->overdue_31_plus, ==, 3); /* T-30d, T-30d-1, T-300d */
  g_assert_cmpuint (row->due_this_week, ==, 2);   /* T+7d, T+7d+1 */
}

/* Cadences age like reminders and belong to the contact's owner. */
static void
test_cadence_buckets (Fixture *f, gconstpointer data)
{
  RapportStore *s = f->ts->store;
  /* Cadence 10 days; the last interaction puts the due time at an edge. */
  const gint64 dues[] = { T - 7 * FX_DAY, T - 7 * FX_DAY - 1, T - 30 * FX_DAY,
                          T - 30 * FX_DAY - 1, T + 3 * FX_DAY };
  g_autoptr (GPtrArray) rows = NULL;
  const RapportBacklogRow *row;

  for (guint i = 0; i < G_N_ELEMENTS (dues); i++)
    {
      g_autofree char *name = g_strdup_printf ("Contact %u", i);
      g_autoptr (RapportContact) c = fx_contact (s, name, FX_ID (f->alice), 10, T - 400 * FX_DAY);
      /* Logged by Carol: anyone's interaction counts. */
      g_object_unref (fx_interaction (s, FX_ID (c), "email", FX_ID (f->carol),
                                      dues[i] - 10 * FX_DAY, NULL));
    }
  {
    /* Never contacted: from its creation, 41 days ago plus 10 = 31 days. */
    g_autoptr (RapportContact) never = fx_contact (s, "Never", FX_ID (f->bob), 10, T - 41 * FX_DAY);
  }

  rows = backlog (f, NULL, T);
  row = row_of (rows, FX_ID (f->alice));
  g_assert_cmpuint (row->overdue_1_7, ==, 1);
  g_assert_cmpuint (row->overdue_8_30, ==, 2);
  g_assert_cmpuint (row->overdue_31_plus, ==, 1);
  g_assert_cmpuint (row->due_this_week, ==, 1);
  /* Past their cadence: the four overdue ones. */
  g_assert_cmpuint (row->going_cold, ==, 4);
  row = row_of (rows, FX_ID (f->bob));
  g_assert_cmpuint (row->overdue_31_plus, ==, 1);
  g_assert_cmpuint (row->going_cold, ==, 1);
  /* Carol logged the interactions but owns none of it. */
  row = row_of (rows, FX_ID (f->carol));
  g_assert_cmpuint (row->going_cold + row->overdue_1_7 + row->overdue_8_30, ==, 0);
}

static void
test_promises_and_complaints (Fixture *f, gconstpointer data)
{
  RapportStore *s = f->ts->store;
  g_autoptr (RapportContact) c = fx_contact (s, "Customer", FX_ID (f->bob), 0, T - 10 * FX_DAY);
  g_autoptr (RapportContact) trashed = fx_contact (s, "Trashed", FX_ID (f->bob), 0, T - 10 * FX_DAY);
  g_autoptr (RapportPromise) kept = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  const RapportBacklogRow *row;

  /* Carol delivers: due now and in exactly 3 days are at risk, a second
   * more is not yet; a second ago is broken. */
  g_object_unref (fx_promise (s, FX_ID (c), FX_ID (f->alice), FX_ID (f->carol), NULL, T));
  g_object_unref (fx_promise (s, FX_ID (c), FX_ID (f->alice), FX_ID (f->carol), NULL, T + 3 * FX_DAY));
  g_object_unref (fx_promise (s, FX_ID (c), FX_ID (f->alice), FX_ID (f->carol), NULL, T + 3 * FX_DAY + 1));
  g_object_unref (fx_promise (s, FX_ID (c), FX_ID (f->alice), FX_ID (f->carol), NULL, T - 1));
  /* No deliverer named: the one who promised owns it. */
  g_object_unref (fx_promise (s, FX_ID (c), FX_ID (f->alice), NULL, "logistics", T - FX_DAY));
  kept = fx_promise (s, FX_ID (c), FX_ID (f->alice), FX_ID (f->carol), NULL, T - FX_DAY);
  g_free (kept->status);
  kept->status = g_strdup ("kept");
  fx_save (s, kept);
  g_object_unref (fx_promise (s, FX_ID (trashed), FX_ID (f->alice), FX_ID (f->carol), NULL, T - FX_DAY));

  /* Complaints belong to the contact's owner, Bob. */
  g_object_unref (fx_interaction (s, FX_ID (c), "complaint", FX_ID (f->carol), T - 5 * FX_HOUR, NULL));
  g_object_unref (fx_interaction (s, FX_ID (c), "feedback", FX_ID (f->carol), T - 2 * FX_DAY, NULL));
  g_object_unref (fx_interaction (s, FX_ID (trashed), "complaint", FX_ID (f->carol), T - 9 * FX_DAY, NULL));
  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (trashed), &error));

  rows = backlog (f, NULL, T);
  row = row_of (rows, FX_ID (f->carol));
  g_assert_cmpuint (row->promises_at_risk, ==, 2);
  g_assert_cmpuint (row->promises_broken, ==, 1);
  g_assert_cmpuint (row->complaints_waiting, ==, 0);
  row = row_of (rows, FX_ID (f->alice));
  g_assert_cmpuint (row->promises_broken, ==, 1);
  g_assert_cmpuint (row->promises_at_risk, ==, 0);
  row = row_of (rows, FX_ID (f->bob));
  g_assert_cmpuint (row->complaints_waiting, ==, 2);
  g_assert_cmpint (row->oldest_complaint_age, ==, 2 * FX_DAY);
}

static void
test_unassigned_and_unknown (Fixture *f, gconstpointer data)
{
  RapportStore *s = f->ts->store;
  g_autoptr (RapportContact) c = fx_contact (s, "Nobody's", NULL, 0, T - 10 * FX_DAY);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) one = NULL;
  const RapportBacklogRow *row;

  g_object_unref (fx_reminder (s, FX_ID (c), NULL, T - FX_DAY));
  g_object_unref (fx_reminder (s, FX_ID (c), "someone-who-left", T - FX_DAY));

  rows = backlog (f, NULL, T);
  g_assert_cmpuint (rows->len, ==, 5);
  /* Work without an owner comes last, under "Unassigned". */
  row = rows->pdata[rows->len - 1];
  g_assert_cmpstr (row->owner, ==, "");
  g_assert_cmpuint (row->overdue_1_7, ==, 1);
  row = row_of (rows, "someone-who-left");
  g_assert_cmpstr (row->owner_name, ==, "someone-who-left");

  /* One owner asked for by id gets a row even when idle. */
  one = backlog (f, FX_ID (f->carol), T);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpstr (((RapportBacklogRow *) one->pdata[0])->owner, ==, FX_ID (f->carol));
}

static gint64
query_int (RapportStore *s, const char *sql, const char *p1, const char *p2)
{
  sqlite3_stmt *stmt = rapport_store_prepare (s, sql, NULL);
  gint64 value = -1;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, p1, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, p2, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

#define DAILY_SQL "SELECT overdue FROM backlog_daily WHERE day = ? AND owner = ?"
#define JOURNAL_SQL "SELECT count(*) FROM journal WHERE ?1 IS ?2"

static void
test_record_day (Fixture *f, gconstpointer data)
{
  RapportStore *s = f->ts->store;
  g_autoptr (RapportContact) c = fx_contact (s, "Ada", FX_ID (f->alice), 0, T - 100 * FX_DAY);
  g_autoptr (RapportReminder) r = fx_reminder (s, FX_ID (c), FX_ID (f->alice), T - 3 * FX_DAY);
  g_autoptr (GError) error = NULL;
  gint64 journaled;

  g_object_unref (fx_reminder (s, FX_ID (c), FX_ID (f->alice), T - 40 * FX_DAY));
  g_object_unref (fx_reminder (s, FX_ID (c), FX_ID (f->alice), T + FX_DAY));
  journaled = query_int (s, JOURNAL_SQL, NULL, NULL);

  g_assert_true (rapport_store_record_backlog_day (s, T, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (s, DAILY_SQL, "2026-03-02", FX_ID (f->alice)), ==, 2);
  g_assert_cmpint (query_int (s, DAILY_SQL, "2026-03-02", FX_ID (f->bob)), ==, 0);

  /* Later the same day the figure is replaced; the next day is a new row. */
  r->done_at = T + FX_HOUR;
  fx_save (s, r);
  g_assert_true (rapport_store_record_backlog_day (s, T + 2 * FX_HOUR, &error));
  g_assert_cmpint (query_int (s, DAILY_SQL, "2026-03-02", FX_ID (f->alice)), ==, 1);
  g_assert_true (rapport_store_record_backlog_day (s, T + FX_DAY, &error));
  /* By then the reminder due tomorrow is overdue too. */
  g_assert_cmpint (query_int (s, DAILY_SQL, "2026-03-03", FX_ID (f->alice)), ==, 2);
  g_assert_cmpint (query_int (s, DAILY_SQL, "2026-03-02", FX_ID (f->alice)), ==, 1);

  /* Trend figures are local: only the reminder's edit was journaled. */
  g_assert_cmpint (query_int (s, JOURNAL_SQL, NULL, NULL), ==, journaled + 1);
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/due-backlog/reminder-buckets", test_reminder_buckets);
  ADD ("/due-backlog/cadence-buckets", test_cadence_buckets);
  ADD ("/due-backlog/promises-and-complaints", test_promises_and_complaints);
  ADD ("/due-backlog/unassigned", test_unassigned_and_unknown);
  ADD ("/due-backlog/record-day", test_record_day);
#undef ADD
  return g_test_run ();
}
