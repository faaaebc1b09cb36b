/* test-contact-list.c: the lazy contact list model, its filters and its updates */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rapport-contact-list.h"
#include "test-common.h"
#include "test-fixtures.h"

#define T RAPPORT_TEST_NOW

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint n_items;      /* the model's length as the change is announced */
} Change;

typedef struct
{
  GArray *changes;
} Recorder;

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, Recorder *rec)
{
  Change change = { position, removed, added, g_list_model_get_n_items (model) };
  g_array_append_val (rec->changes, change);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until @rec saw a change; a timeout is a failure. */
static void
wait_for_change (Recorder *rec)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (5, timeout_cb, &timed_out);

  while (rec->changes->len == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  /* Let everything queued in this iteration run too (coalescing). */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static char *
name_at (GListModel *list, guint position)
{
  g_autoptr (RapportContact) c = g_list_model_get_item (list, position);
  return g_strdup (c ? c->name : NULL);
}

static void
assert_names (GListModel *list, const char *const *names)
{
  guint n = g_strv_length ((char **) names);

  g_assert_cmpuint (g_list_model_get_n_items (list), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = name_at (list, i);
      g_assert_cmpstr (name, ==, names[i]);
    }
}

static void
weak_notify (gpointer data, GObject *where_the_object_was)
{
  (*(guint *) data)++;
}

static void
test_lazy (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContactList) list = NULL;
  g_autoptr (GError) error = NULL;
  const guint n = 2000;
  guint finalized = 0;
  RapportContact *first, *again;

  g_assert_true (rapport_store_begin (ts->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RapportContact) c = rapport_contact_new ();
      c->name = g_strdup_printf ("Contact %05u", n - i);
      fx_save (ts->store, c);
    }
  g_assert_true (rapport_store_commit (ts->store, &error));

  list = rapport_contact_list_new (ts->store);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == RAPPORT_TYPE_CONTACT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));

  /* While its page is cached, an item is the same object. */
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  again = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (first == again);
  g_assert_cmpstr (first->name, ==, "Contact 00001");
  g_object_unref (again);
  g_object_unref (first);

  /* Scrolling through every row: the list keeps a few pages, not all. */
  for (guint i = 0; i < n; i++)
    {
      RapportContact *c = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *expected = g_strdup_printf ("Contact %05u", i + 1);

      g_assert_cmpstr (c->name, ==, expected);
      g_object_weak_ref (G_OBJECT (c), weak_notify, &finalized);
      g_object_unref (c);
    }
  g_assert_cmpuint (n - finalized, <=, 400);
  g_assert_cmpuint (finalized, >=, n - 400);
  g_clear_object (&list);
  g_assert_cmpuint (finalized, ==, n);
}

static void
test_sorting_and_filters (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportStore *s = ts->store;
  g_autoptr (RapportUser) me = fx_user (s, "Me", "sales", NULL);
  g_autoptr (RapportContact) zoe = fx_contact (s, "Zoë Müller", FX_ID (me), 0, T - 10 * FX_DAY);
  g_autoptr (RapportContact) emile = fx_contact (s, "Émile Zola", NULL, 0, T - 200 * FX_DAY);
  g_autoptr (RapportContact) anna = fx_contact (s, "anna Schmidt", FX_ID (me), 30, T - 200 * FX_DAY);
  g_autoptr (RapportContact) bert = fx_contact (s, "Bert Brown", NULL, 0, T - 10 * FX_DAY);
  g_autoptr (RapportContactList) list = NULL;
  g_autoptr (GError) error = NULL;
  char *tags[] = { "vip", NULL };

  g_assert_true (rapport_store_set_me (s, me, &error));
  g_free (bert->relationship);
  bert->relationship = g_strdup ("prospect");
  bert->tags = g_strdupv (tags);
  fx_save (s, bert);
  g_object_unref (fx_interaction (s, FX_ID (emile), "call", FX_ID (me), T - 100 * FX_DAY, "Invoice talk"));

  list = rapport_contact_list_new (s);
  g_assert_true (rapport_contact_list_get_store (list) == s);
  /* Accents and case are folded for sorting. */
  assert_names (G_LIST_MODEL (list),
                (const char *const[]){ "anna Schmidt", "Bert Brown", "Émile Zola", "Zoë Müller", NULL });
  g_assert_cmpuint (rapport_contact_list_find (list, FX_ID (zoe)), ==, 3);
  g_assert_cmpuint (rapport_contact_list_find (list, "no-such-id"), ==, G_MAXUINT);

  rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_CUSTOMERS);
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "anna Schmidt", "Émile Zola", "Zoë Müller", NULL });
  rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_PROSPECTS);
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "Bert Brown", NULL });
  rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_MINE);
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "anna Schmidt", "Zoë Müller", NULL });
  /* Going cold at the store's time: Anna is past her 30-day cadence, Émile
   * 100 days without contact. */
  rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_GOING_COLD);
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "anna Schmidt", "Émile Zola", NULL });
  rapport_contact_list_set_tag (list, "vip");
  rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_TAG);
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "Bert Brown", NULL });
  rapport_contact_list_set_tag (list, "nope");
  assert_names (G_LIST_MODEL (list), (const char *const[]){ NULL });

  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (zoe), &error));
  rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_TRASH);
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "Zoë Müller", NULL });
  rapport_contact_list_set_search (list, "zoe");
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "Zoë Müller", NULL });
  rapport_contact_list_set_search (list, "anna");
  assert_names (G_LIST_MODEL (list), (const char *const[]){ NULL });

  /* Search with a filter, ranked: names first, then other fields. */
  rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_ALL);
  rapport_contact_list_set_search (list, "zo");
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "Émile Zola", NULL });
  rapport_contact_list_set_search (list, "invoice");
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "Émile Zola", NULL });
  rapport_contact_list_set_search (list, "s");
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "anna Schmidt", NULL });
  rapport_contact_list_set_filter (list, RAPPORT_CONTACT_FILTER_PROSPECTS);
  rapport_contact_list_set_search (list, "b");
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "Bert Brown", NULL });
  rapport_contact_list_set_search (list, "");
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "Bert Brown", NULL });
}

static void
test_items_changed (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportStore *s = ts->store;
  g_autoptr (RapportContact) anna = fx_contact (s, "Anna", NULL, 0, T);
  g_autoptr (RapportContact) carl = fx_contact (s, "Carl", NULL, 0, T);
  g_autoptr (RapportContact) dora = fx_contact (s, "Dora", NULL, 0, T);
  g_autoptr (RapportContactList) list = rapport_contact_list_new (s);
  g_autoptr (GError) error = NULL;
  Recorder rec = { g_array_new (FALSE, FALSE, sizeof (Change)) };
  Change *ch;

  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &rec);

  /* An insert between two rows: one row added there. */
  {
    g_autoptr (RapportContact) bert = fx_contact (s, "Bert", NULL, 0, T);
    /* Nothing happens until the main loop runs: changes are coalesced. */
    g_assert_cmpuint (rec.changes->len, ==, 0);
    wait_for_change (&rec);
    g_assert_cmpuint (rec.changes->len, ==, 1);
    ch = &g_array_index (rec.changes, Change, 0);
    g_assert_cmpuint (ch->position, ==, 1);
    g_assert_cmpuint (ch->removed, ==, 0);
    g_assert_cmpuint (ch->added, ==, 1);
    assert_names (G_LIST_MODEL (list), (const char *const[]){ "Anna", "Bert", "Carl", "Dora", NULL });
  }

  /* An edit that keeps the row in place: that row is redrawn. */
  g_array_set_size (rec.changes, 0);
  rapport_contact_add_email (carl, "work", "carl@example.org");
  fx_save (s, carl);
  wait_for_change (&rec);
  g_assert_cmpuint (rec.changes->len, ==, 1);
  ch = &g_array_index (rec.changes, Change, 0);
  g_assert_cmpuint (ch->position, ==, 2);
  g_assert_cmpuint (ch->removed, ==, 1);
  g_assert_cmpuint (ch->added, ==, 1);
  {
    g_autoptr (RapportContact) c = g_list_model_get_item (G_LIST_MODEL (list), 2);
    g_assert_cmpstr (rapport_contact_get_primary_email (c), ==, "carl@example.org");
  }

  /* A rename that moves a row: the span between old and new place. */
  g_array_set_size (rec.changes, 0);
  g_free (anna->name);
  anna->name = g_strdup ("Cora");
  fx_save (s, anna);
  wait_for_change (&rec);
  ch = &g_array_index (rec.changes, Change, 0);
  g_assert_cmpuint (ch->position, ==, 0);
  g_assert_cmpuint (ch->removed, ==, ch->added);
  assert_names (G_LIST_MODEL (list), (const char *const[]){ "Bert", "Carl", "Cora", "Dora", NULL });

  /* Moving to the Trash removes the row. */
  g_array_set_size (rec.changes, 0);
  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (dora), &error));
  wait_for_change (&rec);
  g_assert_cmpuint (rec.changes->len, ==, 1);
  ch = &g_array_index (rec.changes, Change, 0);
  g_assert_cmpuint (ch->position, ==, 3);
  g_assert_cmpuint (ch->removed, ==, 1);
  g_assert_cmpuint (ch->added, ==, 0);

  /* Several writes before the loop runs: one refresh, one change. */
  g_array_set_size (rec.changes, 0);
  g_object_unref (fx_contact (s, "Aaron", NULL, 0, T));
  g_object_unref (fx_contact (s, "Zed", NULL, 0, T));
  g_assert_true (rapport_store_restore (s, RAPPORT_RECORD (dora), &error));
  wait_for_change (&rec);
  g_assert_cmpuint (rec.changes->len, ==, 1);
  ch = &g_array_index (rec.changes, Change, 0);
  g_assert_cmpuint (ch->position, ==, 0);
  g_assert_cmpuint (ch->added - ch->removed, ==, 3);
  assert_names (G_LIST_MODEL (list),
                (const char *const[]){ "Aaron", "Bert", "Carl", "Cora", "Dora", "Zed", NULL });

  /* An interaction changes what the row shows (its last contact). */
  g_array_set_size (rec.changes, 0);
  g_object_unref (fx_interaction (s, FX_ID (carl), "call", NULL, T - FX_HOUR, NULL));
  wait_for_change (&rec);
  g_assert_cmpuint (rec.changes->len, ==, 1);
  ch = &g_array_index (rec.changes, Change, 0);
  g_assert_cmpuint (ch->position, ==, 2);
  g_assert_cmpuint (ch->removed, ==, 1);
  {
    g_autoptr (RapportContact) c = g_list_model_get_item (G_LIST_MODEL (list), 2);
    g_assert_cmpint (c->last_interaction_at, ==, T - FX_HOUR);
  }

  /* A big transaction (a sync, an import) refreshes the whole list, in one
   * change (the app keeps its rows for the new contacts in their places). */
  g_array_set_size (rec.changes, 0);
  g_assert_true (rapport_store_begin (s, &error));
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("Bulk %03u", i);
      g_object_unref (fx_contact (s, name, NULL, 0, T));
    }
  g_assert_true (rapport_store_commit (s, &error));
  wait_for_change (&rec);
  g_assert_cmpuint (rec.changes->len, ==, 1);
  ch = &g_array_index (rec.changes, Change, 0);
  g_assert_cmpuint (ch->position, ==, 0);
  g_assert_cmpuint (ch->removed, ==, 6);
  g_assert_cmpuint (ch->added, ==, 106);
  g_assert_cmpuint (ch->n_items, ==, 106);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 106);

  /* Notes and reminders do not change the list when not searching. */
  g_array_set_size (rec.changes, 0);
  g_object_unref (fx_reminder (s, FX_ID (carl), NULL, T));
  g_object_unref (fx_note (s, FX_ID (carl), NULL, "hello", FALSE));
  drain ();
  g_assert_cmpuint (rec.changes->len, ==, 0);

  /* A list that is gone is not refreshed. */
  g_signal_handlers_disconnect_by_func (list, items_changed_cb, &rec);
  g_object_unref (fx_contact (s, "After", NULL, 0, T));
  g_clear_object (&list);
  drain ();
  g_array_unref (rec.changes);
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/contact-list/lazy", test_lazy);
  g_test_add_func ("/contact-list/sorting-and-filters", test_sorting_and_filters);
  g_test_add_func ("/contact-list/items-changed", test_items_changed);
  return g_test_run ();
}
