/* test-due.c: what is due, going cold, promises, complaints, with an injected clock */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rapport-due.h"
#include "test-common.h"
#include "test-fixtures.h"

#define T RAPPORT_TEST_NOW
#define WEEK (7 * FX_DAY)

typedef struct
{
  RapportTestStore *ts;
  RapportUser *alice;   /* sales, "me" */
  RapportUser *bob;     /* sales */
  RapportUser *carol;   /* service */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->ts = rapport_test_store_new ();
  f->alice = fx_user (f->ts->store, "Alice", "sales", "staff");
  f->bob = fx_user (f->ts->store, "Bob", "sales", "manager");
  f->carol = fx_user (f->ts->store, "Carol", "service", "staff");
  g_assert_true (rapport_store_set_me (f->ts->store, f->alice, &error));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->alice);
  g_clear_object (&f->bob);
  g_clear_object (&f->carol);
  rapport_test_store_free (f->ts);
}

static GPtrArray *
due (Fixture *f, RapportUser *user, gint64 at, gint64 horizon)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *items = rapport_store_due (f->ts->store, user ? FX_ID (user) : NULL, at, horizon, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static RapportDueItem *
find_item (GPtrArray *items, const char *record_id)
{
  for (guint i = 0; i < items->len; i++)
    {
      RapportDueItem *item = items->pdata[i];
      if (g_strcmp0 (item->record_id, record_id) == 0)
        return item;
    }
  return NULL;
}

static void
assert_sorted (GPtrArray *items)
{
  for (guint i = 1; i < items->len; i++)
    g_assert_cmpint (((RapportDueItem *) items->pdata[i - 1])->due_at, <=,
                     ((RapportDueItem *) items->pdata[i])->due_at);
}

static void
test_reminders (Fixture *f, gconstpointer data)
{
  RapportStore *s = f->ts->store;
  g_autoptr (RapportContact) c = fx_contact (s, "Ada", FX_ID (f->alice), 0, T - 100 * FX_DAY);
  g_autoptr (RapportContact) trashed = fx_contact (s, "Gone", FX_ID (f->alice), 0, T - 100 * FX_DAY);
  g_autoptr (RapportReminder) exact = fx_reminder (s, FX_ID (c), FX_ID (f->alice), T);
  g_autoptr (RapportReminder) later = fx_reminder (s, FX_ID (c), FX_ID (f->alice), T + 1);
  g_autoptr (RapportReminder) snoozed = fx_reminder (s, FX_ID (c), FX_ID (f->alice), T - FX_HOUR);
  g_autoptr (RapportReminder) done = fx_reminder (s, FX_ID (c), FX_ID (f->alice), T - FX_DAY);
  g_autoptr (RapportReminder) bobs = fx_reminder (s, FX_ID (c), FX_ID (f->bob), T - FX_DAY);
  g_autoptr (RapportReminder) deleted = fx_reminder (s, FX_ID (c), FX_ID (f->alice), T - FX_DAY);
  g_autoptr (RapportReminder) of_trashed = fx_reminder (s, FX_ID (trashed), FX_ID (f->alice), T - FX_DAY);
  g_autoptr (RapportReminder) old = fx_reminder (s, NULL, FX_ID (f->alice), T - 40 * FX_DAY);
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  RapportDueItem *item;

  snoozed->snoozed_until = T + FX_HOUR;
  fx_save (s, snoozed);
  done->done_at = T - FX_HOUR;
  done->done_by = g_strdup (FX_ID (f->alice));
  fx_save (s, done);
  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (deleted), &error));
  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (trashed), &error));

  items = due (f, f->alice, T, 0);
  /* Exactly due counts; a second later does not; the snooze hides one. */
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (((RapportDueItem *) items->pdata[0])->record_id, ==, FX_ID (old));
  item = items->pdata[1];
  g_assert_cmpstr (item->record_id, ==, FX_ID (exact));
  g_assert_cmpint (item->kind, ==, RAPPORT_DUE_REMINDER);
  g_assert_cmpstr (item->contact_id, ==, FX_ID (c));
  g_assert_cmpstr (item->contact_name, ==, "Ada");
  g_assert_cmpstr (item->owner, ==, FX_ID (f->alice));
  g_assert_cmpstr (item->title, ==, "Follow up");
  g_assert_cmpint (item->due_at, ==, T);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* At the end of the snooze it is due, as of the snooze's end. */
  items = due (f, f->alice, T + FX_HOUR, 0);
  g_assert_cmpuint (items->len, ==, 4);
  item = find_item (items, FX_ID (snoozed));
  g_assert_nonnull (item);
  g_assert_cmpint (item->due_at, ==, T + FX_HOUR);
  g_assert_nonnull (find_item (items, FX_ID (later)));
  assert_sorted (items);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Everyone's: Bob's too, still nothing done, deleted or in the Trash. */
  items = due (f, NULL, T, 0);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_nonnull (find_item (items, FX_ID (bobs)));
  g_assert_null (find_item (items, FX_ID (done)));
  g_assert_null (find_item (items, FX_ID (deleted)));
  g_assert_null (find_item (items, FX_ID (of_trashed)));

  /* The next thing to fall due for Alice is one second away. */
  g_assert_cmpint (rapport_store_next_due_time (s, FX_ID (f->alice), T), ==, T + 1);
  g_assert_cmpint (rapport_store_next_due_time (s, FX_ID (f->alice), T + 1), ==, T + FX_HOUR);
  g_assert_cmpint (rapport_store_next_due_time (s, FX_ID (f->alice), T + FX_HOUR), ==, 0);
  g_assert_cmpint (rapport_store_next_due_time (s, FX_ID (f->carol), T), ==, 0);
}

static void
test_cadence (Fixture *f, gconstpointer data)
{
  RapportStore *s = f->ts->store;
  g_autoptr (RapportContact) never = fx_contact (s, "Never Called", FX_ID (f->alice), 30, T - 100 * FX_DAY);
  g_autoptr (RapportContact) weekly = fx_contact (s, "Weekly", FX_ID (f->alice), 7, T - 100 * FX_DAY);
  g_autoptr (RapportContact) dnc = fx_contact (s, "Do Not Call", FX_ID (f->alice), 7, T - 100 * FX_DAY);
  g_autoptr (RapportContact) bobs = fx_contact (s, "Bob's", FX_ID (f->bob), 7, T - 100 * FX_DAY);
  g_autoptr (RapportInteraction) exactly = NULL;
  g_autoptr (RapportInteraction) by_bob = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  RapportDueItem *item;

  dnc->do_not_contact = TRUE;
  fx_save (s, dnc);
  exactly = fx_interaction (s, FX_ID (weekly), "call", FX_ID (f->alice), T - WEEK, NULL);

  items = due (f, f->alice, T, 0);
  g_assert_cmpuint (items->len, ==, 2);
  /* Never in touch: counted from when the contact was added. */
  item = items->pdata[0];
  g_assert_cmpint (item->kind, ==, RAPPORT_DUE_CADENCE);
  g_assert_cmpstr (item->record_id, ==, FX_ID (never));
  g_assert_cmpstr (item->contact_id, ==, FX_ID (never));
  g_assert_cmpint (item->due_at, ==, T - 70 * FX_DAY);
  g_assert_cmpint (item->last_interaction_at, ==, 0);
  g_assert_true (item->urgent);
  /* Last interaction plus the cadence, due exactly now. */
  item = items->pdata[1];
  g_assert_cmpstr (item->record_id, ==, FX_ID (weekly));
  g_assert_cmpint (item->due_at, ==, T);
  g_assert_cmpint (item->last_interaction_at, ==, T - WEEK);
  g_assert_false (item->urgent);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* An interaction by ANY colleague resets the cadence. */
  by_bob = fx_interaction (s, FX_ID (never), "visit", FX_ID (f->bob), T - 10 * FX_DAY, NULL);
  items = due (f, f->alice, T, 0);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_null (find_item (items, FX_ID (never)));
  g_clear_pointer (&items, g_ptr_array_unref);
  items = due (f, f->alice, T + 20 * FX_DAY, 0);
  item = find_item (items, FX_ID (never));
  g_assert_nonnull (item);
  g_assert_cmpint (item->due_at, ==, T + 20 * FX_DAY);
  g_clear_pointer (&items, g_ptr_array_unref);
  g_assert_cmpint (rapport_store_next_due_time (s, FX_ID (f->alice), T), ==, T + 20 * FX_DAY);

  /* A deleted interaction no longer counts. */
  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (by_bob), &error));
  items = due (f, f->alice, T, 0);
  g_assert_nonnull (find_item (items, FX_ID (never)));
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Bob's relationship is his; "do not contact" never falls due. */
  items = due (f, f->bob, T, 0);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (((RapportDueItem *) items->pdata[0])->record_id, ==, FX_ID (bobs));
  g_clear_pointer (&items, g_ptr_array_unref);
  items = due (f, NULL, T, 0);
  g_assert_null (find_item (items, FX_ID (dnc)));
  g_assert_cmpuint (items->len, ==, 3);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A contact in the Trash is not due. */
  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (never), &error));
  items = due (f, f->alice, T, 0);
  g_assert_null (find_item (items, FX_ID (never)));
}

static void
test_promises (Fixture *f, gconstpointer data)
{
  RapportStore *s = f->ts->store;
  g_autoptr (RapportContact) c = fx_contact (s, "Customer", FX_ID (f->bob), 0, T - 100 * FX_DAY);
  /* Alice promised, Carol delivers. */
  g_autoptr (RapportPromise) p1 = fx_promise (s, FX_ID (c), FX_ID (f->alice), FX_ID (f->carol), NULL, T + 2 * FX_DAY);
  /* Bob promised, the service department delivers. */
  g_autoptr (RapportPromise) p2 = fx_promise (s, FX_ID (c), FX_ID (f->bob), NULL, "service", T + 12 * FX_HOUR);
  g_autoptr (RapportPromise) far = fx_promise (s, FX_ID (c), FX_ID (f->alice), NULL, NULL, T + 10 * FX_DAY);
  g_autoptr (RapportPromise) kept = fx_promise (s, FX_ID (c), FX_ID (f->alice), NULL, NULL, T + FX_DAY);
  g_autoptr (GPtrArray) items = NULL;
  RapportDueItem *item;

  g_free (kept->status);
  kept->status = g_strdup ("kept");
  fx_save (s, kept);

  items = due (f, f->alice, T, WEEK);
  g_assert_cmpuint (items->len, ==, 1);
  item = items->pdata[0];
  g_assert_cmpint (item->kind, ==, RAPPORT_DUE_PROMISE);
  g_assert_cmpstr (item->record_id, ==, FX_ID (p1));
  g_assert_cmpstr (item->title, ==, "Send the quote");
  g_assert_cmpstr (item->owner, ==, FX_ID (f->carol));
  g_assert_false (item->urgent);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Carol delivers p1 herself and p2 through her department. */
  items = due (f, f->carol, T, WEEK);
  g_assert_cmpuint (items->len, ==, 2);
  item = items->pdata[0];
  g_assert_cmpstr (item->record_id, ==, FX_ID (p2));
  g_assert_true (item->urgent);
  g_assert_cmpstr (((RapportDueItem *) items->pdata[1])->record_id, ==, FX_ID (p1));
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Bob made p2; the contact being his does not make p1 his. */
  items = due (f, f->bob, T, WEEK);
  g_assert_cmpuint (items->len, ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A longer horizon reaches the far promise. */
  items = due (f, f->alice, T, 2 * WEEK);
  g_assert_cmpuint (items->len, ==, 2);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Open promises: no horizon, by due date, the kept one left out. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) open = rapport_store_open_promises (s, FX_ID (f->alice), T, &error);
    g_autoptr (GPtrArray) all = rapport_store_open_promises (s, NULL, T, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (open->len, ==, 2);
    g_assert_cmpstr (((RapportDueItem *) open->pdata[0])->record_id, ==, FX_ID (p1));
    g_assert_cmpstr (((RapportDueItem *) open->pdata[1])->record_id, ==, FX_ID (far));
    g_assert_cmpuint (all->len, ==, 3);
    assert_sorted (all);
  }
  g_assert_cmpint (rapport_store_next_due_time (s, FX_ID (f->carol), T), ==, T + 12 * FX_HOUR);
}

static void
test_complaints (Fixture *f, gconstpointer data)
{
  RapportStore *s = f->ts->store;
  g_autoptr (RapportContact) c = fx_contact (s, "Unhappy", FX_ID (f->alice), 0, T - 100 * FX_DAY);
  g_autoptr (RapportContact) other = fx_contact (s, "Other", FX_ID (f->bob), 0, T - 100 * FX_DAY);
  g_autoptr (RapportInteraction) old = fx_interaction (s, FX_ID (c), "complaint", FX_ID (f->carol), T - 2 * FX_DAY, "Broken part");
  g_autoptr (RapportInteraction) answered = fx_interaction (s, FX_ID (c), "complaint", FX_ID (f->carol), T - 3 * FX_DAY, "Late");
  g_autoptr (RapportInteraction) fresh = fx_interaction (s, FX_ID (c), "feedback", FX_ID (f->carol), T - FX_HOUR, "Nice portal");
  g_autoptr (RapportInteraction) bobs = fx_interaction (s, FX_ID (other), "complaint", FX_ID (f->carol), T - 5 * FX_DAY, "Wrong invoice");
  g_autoptr (RapportInteraction) future = fx_interaction (s, FX_ID (other), "complaint", FX_ID (f->carol), T + FX_HOUR, "Later");
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) open = NULL;
  g_autoptr (GError) error = NULL;
  RapportDueItem *item;

  answered->responded_at = T - 2 * FX_DAY;
  answered->responded_by = g_strdup (FX_ID (f->alice));
  fx_save (s, answered);

  /* Alice owns the contact, so its complaints are hers. */
  items = due (f, f->alice, T, 0);
  g_assert_cmpuint (items->len, ==, 2);
  item = items->pdata[0];
  g_assert_cmpint (item->kind, ==, RAPPORT_DUE_COMPLAINT);
  g_assert_cmpstr (item->record_id, ==, FX_ID (old));
  g_assert_cmpstr (item->title, ==, "Broken part");
  g_assert_cmpint (item->due_at, ==, T - 2 * FX_DAY + RAPPORT_COMPLAINT_RESPONSE_TARGET);
  g_assert_true (item->urgent);
  item = items->pdata[1];
  g_assert_cmpstr (item->record_id, ==, FX_ID (fresh));
  g_assert_false (item->urgent);

  /* All waiting complaints, oldest first; not the answered one, not one
   * logged after @at. */
  open = rapport_store_open_complaints (s, T, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 3);
  g_assert_cmpstr (((RapportDueItem *) open->pdata[0])->record_id, ==, FX_ID (bobs));
  g_assert_cmpstr (((RapportDueItem *) open->pdata[1])->record_id, ==, FX_ID (old));
  g_assert_cmpstr (((RapportDueItem *) open->pdata[2])->record_id, ==, FX_ID (fresh));
  g_assert_null (find_item (open, FX_ID (future)));
}

static void
test_going_cold (Fixture *f, gconstpointer data)
{
  RapportStore *s = f->ts->store;
  g_autoptr (RapportContact) cold = fx_contact (s, "Cold", FX_ID (f->alice), 0, T - 200 * FX_DAY);
  g_autoptr (RapportContact) warm = fx_contact (s, "Warm", FX_ID (f->alice), 0, T - 200 * FX_DAY);
  g_autoptr (RapportContact) former = fx_contact (s, "Former", FX_ID (f->alice), 0, T - 200 * FX_DAY);
  g_autoptr (RapportContact) overdue = fx_contact (s, "Overdue", FX_ID (f->alice), 30, T - 200 * FX_DAY);
  g_autoptr (RapportContact) dnc = fx_contact (s, "Quiet", FX_ID (f->alice), 0, T - 200 * FX_DAY);
  g_autoptr (RapportContact) new_one = fx_contact (s, "New", FX_ID (f->alice), 0, T - 10 * FX_DAY);
  g_autoptr (RapportContact) bobs = fx_contact (s, "Bob's Cold", FX_ID (f->bob), 0, T - 200 * FX_DAY);
  g_autoptr (RapportInteraction) i1 = fx_interaction (s, FX_ID (cold), "call", FX_ID (f->bob), T - 91 * FX_DAY, NULL);
  g_autoptr (RapportInteraction) i2 = fx_interaction (s, FX_ID (warm), "call", FX_ID (f->bob), T - 89 * FX_DAY, NULL);
  g_autoptr (RapportInteraction) i3 = fx_interaction (s, FX_ID (overdue), "call", FX_ID (f->bob), T - 31 * FX_DAY, NULL);
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) everyone = NULL;
  g_autoptr (GError) error = NULL;

  g_free (former->relationship);
  former->relationship = g_strdup ("former");
  fx_save (s, former);
  dnc->do_not_contact = TRUE;
  fx_save (s, dnc);

  items = rapport_store_going_cold (s, FX_ID (f->alice), T, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  /* Coldest first: 90 days without contact ran out a day ago; the 30-day
   * cadence a day ago too, but later in the day order is by time. */
  g_assert_nonnull (find_item (items, FX_ID (cold)));
  g_assert_nonnull (find_item (items, FX_ID (overdue)));
  g_assert_cmpint (find_item (items, FX_ID (cold))->due_at, ==, T - FX_DAY);
  g_assert_cmpint (find_item (items, FX_ID (overdue))->due_at, ==, T - FX_DAY);
  assert_sorted (items);

  everyone = rapport_store_going_cold (s, NULL, T, &error);
  g_assert_cmpuint (everyone->len, ==, 3);
  g_assert_nonnull (find_item (everyone, FX_ID (bobs)));
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/due/reminders", test_reminders);
  ADD ("/due/cadence", test_cadence);
  ADD ("/due/promises", test_promises);
  ADD ("/due/complaints", test_complaints);
  ADD ("/due/going-cold", test_going_cold);
#undef ADD
  return g_test_run ();
}
