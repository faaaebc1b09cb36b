/* test-window.c: the main window on a temporary store, driven in-process */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "rapport-contact-editor.h"
#include "rapport-contact-page.h"
#include "rapport-contact-row.h"
#include "rapport-due-row.h"
#include "rapport-due.h"
#include "rapport-first-run-dialog.h"
#include "rapport-log-dialog.h"
#include "rapport-note-dialog.h"
#include "rapport-promise-dialog.h"
#include "rapport-search.h"
#include "rapport-today-view.h"
#include "rapport-window.h"
#include "test-common.h"
#include "ui-common.h"

#define DAY (24 * 60 * 60)

typedef struct
{
  RapportTestStore *ts;
  RapportWindow *window;
} Fixture;

/* Helpers ------------------------------------------------------------------ */

static gpointer
child (Fixture *f, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->window), RAPPORT_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static gpointer
dialog_child (gpointer dialog, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (dialog), type, name);

  g_assert_nonnull (object);
  return object;
}

/* The one open toplevel of @type, or NULL. */
static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  gpointer found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = window;
    }
  return found;
}

static GListModel *
contact_model (Fixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (child (f, "contact_list_view")));
}

/* The contacts the list shows, all of them (the view's model grows to
 * them between frames). */
static GListModel *
listed_contacts (Fixture *f)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (contact_model (f));
  GListModel *reveal = gtk_single_selection_get_model (selection);

  return rapport_contact_slots_get_model (
      RAPPORT_CONTACT_SLOTS (gtk_slice_list_model_get_model (GTK_SLICE_LIST_MODEL (reveal))));
}

static char *
add_contact (Fixture *f, const char *name, const char *email, const char *tag)
{
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;

  contact->name = g_strdup (name);
  contact->kind = g_strdup ("person");
  contact->relationship = g_strdup ("customer");
  contact->owner = g_strdup (rapport_store_get_me_id (f->ts->store));
  if (email)
    rapport_contact_add_email (contact, "work", email);
  if (tag)
    {
      const char *tags[] = { tag, NULL };
      contact->tags = g_strdupv ((char **) tags);
    }
  rapport_store_save (f->ts->store, RAPPORT_RECORD (contact), &error);
  g_assert_no_error (error);
  return g_strdup (RAPPORT_RECORD (contact)->id);
}

static void
set_me (RapportStore *store, const char *name, const char *department)
{
  g_autoptr (GError) error = NULL;

  rapport_save_identity (store, name, department, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer with_me)
{
  f->ts = rapport_test_store_new ();
  if (with_me)
    set_me (f->ts->store, "Ana Pereira", "Sales");
  f->window = rapport_window_new (NULL, f->ts->store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  ui_settle ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  ui_settle ();
  rapport_test_store_free (f->ts);
}

/* Conditions --------------------------------------------------------------- */

typedef struct
{
  GListModel *model;
  guint n;
} CountCheck;

static gboolean
has_n_items (gpointer data)
{
  CountCheck *c = data;
  return g_list_model_get_n_items (c->model) == c->n;
}

static void
wait_for_count (GListModel *model, guint n, const char *what)
{
  CountCheck c = { model, n };
  ui_wait_until (has_n_items, &c, what);
}

/* Tests -------------------------------------------------------------------- */

static void
test_first_run (Fixture *f, gconstpointer data)
{
  RapportFirstRunDialog *dialog = find_toplevel (RAPPORT_TYPE_FIRST_RUN_DIALOG);
  RapportUser *me;

  /* No "me" yet: the window asks once. */
  g_assert_nonnull (dialog);
  g_assert_null (rapport_store_get_me (f->ts->store));

  /* An empty name is refused with a message. */
  gtk_editable_set_text (dialog_child (dialog, RAPPORT_TYPE_FIRST_RUN_DIALOG, "name_row"), "");
  g_assert_false (rapport_first_run_dialog_save (dialog));
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, RAPPORT_TYPE_FIRST_RUN_DIALOG,
                                                       "error_label")));

  gtk_editable_set_text (dialog_child (dialog, RAPPORT_TYPE_FIRST_RUN_DIALOG, "name_row"),
                         "Jonas Weber");
  gtk_editable_set_text (dialog_child (dialog, RAPPORT_TYPE_FIRST_RUN_DIALOG, "department_row"),
                         "Support");
  g_assert_true (rapport_first_run_dialog_save (dialog));
  ui_settle ();

  me = rapport_store_get_me (f->ts->store);
  g_assert_nonnull (me);
  g_assert_cmpstr (me->display_name, ==, "Jonas Weber");
  g_assert_cmpstr (me->department, ==, "Support");
  g_assert_null (find_toplevel (RAPPORT_TYPE_FIRST_RUN_DIALOG));
}

static void
test_views_and_empty_states (Fixture *f, gconstpointer data)
{
  GtkStack *content = child (f, "content_stack");
  GtkStack *list_stack = child (f, "list_stack");
  g_autofree char *id = NULL;

  /* Starts on Today, which is empty and says so. */
  g_assert_cmpstr (rapport_window_get_view (f->window), ==, "today");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "due");

  g_assert_true (rapport_window_show_view (f->window, "all"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "contacts");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "empty");
  g_assert_false (rapport_window_show_view (f->window, "no-such-view"));

  /* A tagged contact gets a sidebar view of its tag. */
  id = add_contact (f, "Zoë Martin", "zoe@example.org", "vip");
  wait_for_count (contact_model (f), 1, "the new contact in All Contacts");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "list");
  g_assert_true (rapport_window_show_view (f->window, "tag:vip"));
  wait_for_count (contact_model (f), 1, "the contact in the tag view");
  g_assert_true (rapport_window_show_view (f->window, "prospects"));
  wait_for_count (contact_model (f), 0, "no prospects");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "empty");

  /* Ctrl+1 goes back to Today. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.show-view", "s", "today");
  g_assert_cmpstr (rapport_window_get_view (f->window), ==, "today");
}

/* The contact row of the list that shows @name (its name label's text). */
static GtkWidget *
find_row (GtkWidget *widget, const char *name)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_ancestor (widget, RAPPORT_TYPE_CONTACT_ROW)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), name) == 0)
    return gtk_widget_get_ancestor (widget, RAPPORT_TYPE_CONTACT_ROW);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *row = find_row (c, name);
      if (row != NULL)
        return row;
    }
  return NULL;
}

static gboolean
model_not_empty (gpointer model)
{
  return g_list_model_get_n_items (model) > 0;
}

static GtkWidget *current_root;

static gboolean
row_shows (gpointer name)
{
  return find_row (current_root, name) != NULL;
}

static void
bind_slot_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer store)
{
  rapport_contact_row_set_slot (RAPPORT_CONTACT_ROW (gtk_list_item_get_child (item)), store,
                                gtk_list_item_get_item (item));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer store)
{
  gtk_list_item_set_child (item, GTK_WIDGET (rapport_contact_row_new ()));
}

static RapportContact *
named (const char *name)
{
  RapportContact *contact = rapport_contact_new ();

  contact->name = g_strdup (name);
  return contact;
}

/* The places' changes of items, as (position, removed, added) triples. */
static void
record_changes_cb (GListModel *model, guint position, guint removed, guint added, GArray *changes)
{
  guint change[3] = { position, removed, added };

  g_array_append_vals (changes, change, 3);
}

/* A list replaced by another of the same length (a keystroke in the
 * search) keeps its row widgets, which show the new contacts: GTK 4.8
 * destroys the widgets of removed items and makes new ones for the added.
 * The places are the same items then, so their model announces no change
 * of items, and for a shorter list only the places that go. */
static void
test_rows_kept (void)
{
  g_autoptr (GListStore) contacts = g_list_store_new (RAPPORT_TYPE_CONTACT);
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  const char *before[] = { "Alice Durand", "Bruno Costa", "Chloé Bernard" };
  const char *after[] = { "Dora Marquez", "Émile Zola", "Farid Haddad" };
  GtkWidget *rows[3];
  RapportContact *items[3];
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view;
  RapportContactSlots *slots;
  g_autoptr (GArray) changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (RapportContactSlot) last = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (RapportContact) contact = named (before[i]);
      g_list_store_append (contacts, contact);
    }
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), ts->store);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_slot_cb), ts->store);
  slots = rapport_contact_slots_new (G_LIST_MODEL (contacts));
  g_signal_connect (slots, "items-changed", G_CALLBACK (record_changes_cb), changes);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (slots))),
                            factory);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 400);
  gtk_window_present (GTK_WINDOW (window));
  current_root = window;
  for (guint i = 0; i < 3; i++)
    {
      ui_wait_until (row_shows, (gpointer) before[i], "the first contacts' rows");
      rows[i] = find_row (window, before[i]);
    }

  for (guint i = 0; i < 3; i++)
    items[i] = named (after[i]);
  g_list_store_splice (contacts, 0, 3, (gpointer *) items, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_object_unref (items[i]);
      ui_wait_until (row_shows, (gpointer) after[i], "the new contacts' rows");
      g_assert_true (find_row (window, after[i]) == rows[i]);
      g_assert_null (find_row (window, before[i]));
    }
  g_assert_cmpuint (changes->len, ==, 0);
  ui_save_screenshot (window, "contact-rows-kept");

  /* Three contacts become two others: the first two places stay, the
   * third goes, and a slot held past its place shows nothing. */
  last = g_list_model_get_item (G_LIST_MODEL (slots), 2);
  for (guint i = 0; i < 2; i++)
    items[i] = named (before[i]);
  g_list_store_splice (contacts, 0, 3, (gpointer *) items, 2);
  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (changes, guint, 0), ==, 2);
  g_assert_cmpuint (g_array_index (changes, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (changes, guint, 2), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 2);
  g_assert_null (rapport_contact_slot_get_contact (last));
  for (guint i = 0; i < 2; i++)
    {
      g_object_unref (items[i]);
      ui_wait_until (row_shows, (gpointer) before[i], "the two contacts' rows");
      g_assert_true (find_row (window, before[i]) == rows[i]);
    }
  g_assert_null (find_row (window, after[2]));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_search (Fixture *f, gconstpointer data)
{
  g_autofree char *a = add_contact (f, "Alice Durand", "alice@example.org", NULL);
  g_autofree char *b = add_contact (f, "Bruno Costa", "bruno@example.org", NULL);
  g_autofree char *c = add_contact (f, "Chloé Bernard", "chloe@example.org", NULL);
  GtkEditable *entry = child (f, "search_entry");
  g_autoptr (RapportContactSlot) first = NULL;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (child (f, "search_bar")));
  /* Searching from Today switches to All Contacts. */
  g_assert_cmpstr (rapport_window_get_view (f->window), ==, "all");
  wait_for_count (contact_model (f), 3, "all three contacts");
  current_root = GTK_WIDGET (f->window);
  ui_wait_until (row_shows, (gpointer) "Alice Durand", "the rows to show the contacts");
  ui_save_screenshot (GTK_WIDGET (f->window), "contact-list");

  gtk_editable_set_text (entry, "chlo");
  wait_for_count (contact_model (f), 1, "one search result");
  first = g_list_model_get_item (contact_model (f), 0);
  g_assert_cmpstr (RAPPORT_RECORD (rapport_contact_slot_get_contact (first))->id, ==, c);
  current_root = GTK_WIDGET (f->window);
  ui_wait_until (row_shows, (gpointer) "Chloé Bernard", "the row to show Chloé");

  gtk_editable_set_text (entry, "nobody-by-that-name");
  wait_for_count (contact_model (f), 0, "no search results");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "list_stack")), ==, "no-results");

  gtk_editable_set_text (entry, "");
  wait_for_count (contact_model (f), 3, "the full list again");
}

typedef struct
{
  GListModel *model;
  const char *id;
} FirstIs;

static gboolean
first_is (gpointer data)
{
  FirstIs *check = data;
  g_autoptr (RapportContactSlot) slot = g_list_model_get_item (check->model, 0);
  RapportContact *contact = slot ? rapport_contact_slot_get_contact (slot) : NULL;

  return contact != NULL && g_strcmp0 (RAPPORT_RECORD (contact)->id, check->id) == 0;
}

/* A search whose list is as long as the last one changes the contacts in
 * the rows, not the rows: the contact on show stays selected where it went,
 * and the list is read from its top again, wherever it was scrolled to. */
static void
test_search_in_same_rows (Fixture *f, gconstpointer data)
{
  g_autofree char *ada = add_contact (f, "Ada Ng", NULL, NULL);
  g_autofree char *bea = add_contact (f, "Bea Ng", NULL, NULL);
  g_autofree char *cy = add_contact (f, "Ng Cy", NULL, NULL);
  GtkEditable *entry = child (f, "search_entry");
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (contact_model (f));
  GtkAdjustment *scroll = gtk_scrollable_get_vadjustment (child (f, "contact_list_view"));

  g_assert_true (rapport_window_show_view (f->window, "all"));
  wait_for_count (contact_model (f), 3, "the three contacts");
  rapport_window_show_contact (f->window, ada);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);

  /* "Ng Cy" begins with the word: first; Ada moves to the second row. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.search", NULL);
  gtk_editable_set_text (entry, "ng");
  {
    FirstIs first = { contact_model (f), cy };
    ui_wait_until (first_is, &first, "the search's list");
  }
  g_assert_cmpuint (g_list_model_get_n_items (contact_model (f)), ==, 3);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);
  {
    const char *order[] = { cy, ada, bea };

    for (guint i = 0; i < G_N_ELEMENTS (order); i++)
      {
        g_autoptr (RapportContactSlot) slot = g_list_model_get_item (contact_model (f), i);
        g_assert_cmpstr (RAPPORT_RECORD (rapport_contact_slot_get_contact (slot))->id, ==, order[i]);
      }
  }
  current_root = GTK_WIDGET (f->window);
  ui_wait_until (row_shows, (gpointer) "Ng Cy", "the row to show Ng Cy");

  /* Enough contacts to scroll: scrolled to the end, a search for all of
   * them but three shows them from the first. */
  gtk_editable_set_text (entry, "");
  for (guint i = 1; i <= 80; i++)
    {
      g_autofree char *name = g_strdup_printf ("Filler %02u", i);
      g_free (add_contact (f, name, NULL, NULL));
    }
  wait_for_count (listed_contacts (f), 83, "all the contacts");
  ui_settle ();
  g_assert_cmpfloat (gtk_adjustment_get_upper (scroll) - gtk_adjustment_get_page_size (scroll), >, 0);
  gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
  ui_settle ();
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), >, 0);
  gtk_editable_set_text (entry, "filler");
  wait_for_count (listed_contacts (f), 80, "the fillers");
  ui_settle ();
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), ==, gtk_adjustment_get_lower (scroll));
  ui_wait_until (row_shows, (gpointer) "Filler 01", "the first filler's row");
  ui_save_screenshot (GTK_WIDGET (f->window), "search-from-the-top");
}

/* An edit that moves the contact on show within a list of the same length
 * (renamed past the others): its row is selected where it went. */
static void
test_renamed_stays_selected (Fixture *f, gconstpointer data)
{
  g_autofree char *ada = add_contact (f, "Ada Lind", NULL, NULL);
  g_autofree char *bea = add_contact (f, "Bea Lind", NULL, NULL);
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (contact_model (f));
  g_autoptr (RapportRecord) record = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (rapport_window_show_view (f->window, "all"));
  wait_for_count (contact_model (f), 2, "the two contacts");
  rapport_window_show_contact (f->window, ada);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);

  record = rapport_store_load (f->ts->store, rapport_entity_lookup ("contact"), ada, &error);
  g_assert_no_error (error);
  g_free (RAPPORT_CONTACT (record)->name);
  RAPPORT_CONTACT (record)->name = g_strdup ("Zoe Lind");
  g_assert_true (rapport_store_save (f->ts->store, record, &error));
  g_assert_no_error (error);
  {
    FirstIs first = { contact_model (f), bea };
    ui_wait_until (first_is, &first, "the list in its new order");
  }
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);
}

typedef struct
{
  GtkSingleSelection *selection;
  guint position;
} SelectedCheck;

static gboolean
is_selected (gpointer data)
{
  SelectedCheck *check = data;

  return gtk_single_selection_get_selected (check->selection) == check->position;
}

/* A new search shows a first screenful of rows, then the rest: the contact
 * on show, further down, is selected once its row is there. */
static void
test_selected_after_reveal (Fixture *f, gconstpointer data)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (contact_model (f));
  g_autofree char *far = NULL;

  g_free (add_contact (f, "Ada Lind", NULL, NULL));
  for (guint i = 1; i <= 250; i++)
    {
      g_autofree char *name = g_strdup_printf ("Filler %03u", i);
      g_autofree char *id = add_contact (f, name, NULL, NULL);

      if (i == 240)
        far = g_steal_pointer (&id);
    }
  g_assert_true (rapport_window_show_view (f->window, "all"));
  wait_for_count (contact_model (f), 251, "every contact shown");
  rapport_window_show_contact (f->window, far);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 240);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.search", NULL);
  gtk_editable_set_text (child (f, "search_entry"), "filler");
  wait_for_count (listed_contacts (f), 250, "the fillers");
  {
    SelectedCheck check = { selection, 239 };
    ui_wait_until (is_selected, &check, "the contact on show selected in the grown list");
  }
}

static gboolean
dialog_gone (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) == NULL;
}

static void
test_log_with_follow_up (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Ines Duarte", "ines@example.org", NULL);
  RapportContactPage *page = child (f, "contact_page");
  RapportTodayView *today = child (f, "today_view");
  RapportLogDialog *dialog;
  g_autoptr (GPtrArray) timeline = NULL;
  g_autoptr (GError) error = NULL;
  RapportInteraction *interaction = NULL;
  RapportReminder *reminder = NULL;
  GListModel *today_items;
  g_autoptr (RapportDueObject) due_object = NULL;
  g_autoptr (RapportDueObject) heading = NULL;
  const RapportDueItem *due;

  /* Nothing to log without a contact. */
  g_assert_false (gtk_widget_is_sensitive (child (f, "log_button"))
                  && gtk_widget_get_visible (child (f, "log_button")));

  rapport_window_show_contact (f->window, id);
  g_assert_nonnull (rapport_contact_page_get_contact (page));
  g_assert_cmpuint (g_list_model_get_n_items (rapport_contact_page_get_timeline (page)), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.log-interaction", NULL);
  dialog = find_toplevel (RAPPORT_TYPE_LOG_DIALOG);
  g_assert_nonnull (dialog);

  /* A summary is required. */
  g_assert_false (rapport_log_dialog_save (dialog));
  gtk_editable_set_text (dialog_child (dialog, RAPPORT_TYPE_LOG_DIALOG, "summary_row"),
                         "Asked about the spring order");
  gtk_spin_button_set_value (dialog_child (dialog, RAPPORT_TYPE_LOG_DIALOG, "follow_up_spin"), 3);
  g_assert_true (rapport_log_dialog_save (dialog));
  ui_wait_until (dialog_gone, GSIZE_TO_POINTER (RAPPORT_TYPE_LOG_DIALOG), "the log dialog to close");

  /* The store has the interaction and a follow-up three days on. */
  timeline = rapport_store_timeline (f->ts->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (timeline->len, ==, 2);
  for (guint i = 0; i < timeline->len; i++)
    {
      if (RAPPORT_IS_INTERACTION (timeline->pdata[i]))
        interaction = timeline->pdata[i];
      if (RAPPORT_IS_REMINDER (timeline->pdata[i]))
        reminder = timeline->pdata[i];
    }
  g_assert_nonnull (interaction);
  g_assert_cmpstr (interaction->summary, ==, "Asked about the spring order");
  g_assert_cmpstr (interaction->kind, ==, "call");
  g_assert_cmpstr (interaction->department, ==, "Sales");
  g_assert_cmpstr (interaction->logged_by, ==, rapport_store_get_me_id (f->ts->store));
  g_assert_nonnull (reminder);
  g_assert_cmpint (reminder->due_at, ==, f->ts->now + 3 * DAY);
  g_assert_cmpstr (reminder->owner, ==, rapport_store_get_me_id (f->ts->store));

  /* The page shows both, and its header knows the last contact. */
  wait_for_count (rapport_contact_page_get_timeline (page), 2, "the page's timeline");

  /* Four days later the follow-up is in Today; Done there completes it. */
  f->ts->now += 4 * DAY;
  rapport_window_show_view (f->window, "today");
  rapport_today_view_refresh (today);
  today_items = rapport_today_view_get_model (today);
  /* Computed in a worker thread: a heading and the follow-up. */
  wait_for_count (today_items, 2, "the follow-up in Today");
  heading = g_list_model_get_item (today_items, 0);
  g_assert_cmpstr (rapport_due_object_get_heading (heading), ==, "Follow-ups");
  due_object = g_list_model_get_item (today_items, 1);
  due = rapport_due_object_get_item (due_object);
  g_assert_cmpint (due->kind, ==, RAPPORT_DUE_REMINDER);
  g_assert_cmpstr (due->record_id, ==, RAPPORT_RECORD (reminder)->id);

  gtk_widget_activate_action (GTK_WIDGET (today), "today.done", "(uss)", (guint) due->kind,
                              due->record_id, due->contact_id);
  wait_for_count (today_items, 0, "Today to empty after Done");
  {
    g_autoptr (RapportRecord) done = rapport_store_load (f->ts->store,
                                                         rapport_entity_lookup ("reminder"),
                                                         RAPPORT_RECORD (reminder)->id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (RAPPORT_REMINDER (done)->done_at, ==, f->ts->now);
  }
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "content_stack")), ==, "due");
}

static void
test_add_note (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Oskar Nyberg", NULL, NULL);
  RapportContactPage *page = child (f, "contact_page");
  RapportNoteDialog *dialog;
  GtkTextView *body;
  g_autoptr (RapportRecord) first = NULL;

  rapport_window_show_contact (f->window, id);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.add-note", NULL);
  dialog = find_toplevel (RAPPORT_TYPE_NOTE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_false (rapport_note_dialog_save (dialog));   /* empty */
  body = dialog_child (dialog, RAPPORT_TYPE_NOTE_DIALOG, "body_view");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (body), "Prefers calls after 4pm", -1);
  gtk_switch_set_active (dialog_child (dialog, RAPPORT_TYPE_NOTE_DIALOG, "pinned_switch"), TRUE);
  g_assert_true (rapport_note_dialog_save (dialog));

  wait_for_count (rapport_contact_page_get_timeline (page), 1, "the note on the page");
  first = g_list_model_get_item (rapport_contact_page_get_timeline (page), 0);
  g_assert_true (RAPPORT_IS_NOTE (first));
  g_assert_cmpstr (RAPPORT_NOTE (first)->body, ==, "Prefers calls after 4pm");
  g_assert_true (RAPPORT_NOTE (first)->pinned);
  g_assert_false (RAPPORT_NOTE (first)->private);
  g_assert_cmpstr (RAPPORT_NOTE (first)->author, ==, rapport_store_get_me_id (f->ts->store));
}

static gboolean
contact_deleted (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  const char *id = ((gpointer *) data)[1];
  g_autoptr (RapportContact) c = rapport_store_get_contact (f->ts->store, id, NULL);
  return c != NULL && RAPPORT_RECORD (c)->deleted == GPOINTER_TO_INT (((gpointer *) data)[2]);
}

static void
test_delete_and_undo (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Greta Lind", "greta@example.org", NULL);
  g_autofree char *other = add_contact (f, "Hugo Blanc", NULL, NULL);
  gpointer deleted[] = { f, id, GINT_TO_POINTER (TRUE) };
  gpointer restored[] = { f, id, GINT_TO_POINTER (FALSE) };

  rapport_window_show_view (f->window, "all");
  wait_for_count (contact_model (f), 2, "two contacts");
  rapport_window_show_contact (f->window, id);
  g_assert_true (gtk_widget_get_visible (child (f, "page_menu_button")));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.delete-contact", NULL);
  ui_wait_until (contact_deleted, deleted, "the contact to be in the Trash");
  wait_for_count (contact_model (f), 1, "the list without the deleted contact");
  g_assert_null (rapport_contact_page_get_contact (child (f, "contact_page")));

  /* The toast's Undo brings it back. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.undo-delete", NULL);
  ui_wait_until (contact_deleted, restored, "the contact to be restored");
  wait_for_count (contact_model (f), 2, "the list with the contact again");
  g_assert_cmpstr (rapport_window_get_contact_id (f->window), ==, id);

  /* Deleted again, it waits in the Trash and is restored from there. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.delete-contact", NULL);
  ui_wait_until (contact_deleted, deleted, "the contact to be in the Trash again");
  rapport_window_show_view (f->window, "trash");
  wait_for_count (contact_model (f), 1, "the Trash with one contact");
  rapport_window_show_contact (f->window, id);
  g_assert_true (gtk_widget_get_visible (child (f, "restore_button")));
  g_assert_false (gtk_widget_get_visible (child (f, "log_button")));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.restore-contact", NULL);
  ui_wait_until (contact_deleted, restored, "the contact restored from the Trash");
  wait_for_count (contact_model (f), 0, "an empty Trash");
}

/* TRUE when @model (or one of its sections) has an item for @action. */
static gboolean
menu_has_action (GMenuModel *model, const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

static gboolean
contact_gone (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  g_autoptr (RapportContact) c = rapport_store_get_contact (f->ts->store, ((gpointer *) data)[1],
                                                            NULL);
  return c == NULL;
}

/* Erase (data rights) is offered for a contact in the Trash too, with the
 * same confirmation. */
static void
test_erase_from_trash (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Greta Lind", "greta@example.org", NULL);
  gpointer deleted[] = { f, id, GINT_TO_POINTER (TRUE) };
  gpointer gone[] = { f, id };
  GtkMenuButton *menu_button = child (f, "page_menu_button");
  AdwMessageDialog *dialog;

  rapport_window_show_view (f->window, "all");
  wait_for_count (contact_model (f), 1, "one contact");
  rapport_window_show_contact (f->window, id);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.delete-contact", NULL);
  ui_wait_until (contact_deleted, deleted, "the contact to be in the Trash");

  rapport_window_show_view (f->window, "trash");
  wait_for_count (contact_model (f), 1, "the Trash with one contact");
  rapport_window_show_contact (f->window, id);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu_button)));
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (menu_button),
                                  "window.erase-contact"));
  g_assert_false (menu_has_action (gtk_menu_button_get_menu_model (menu_button),
                                   "window.delete-contact"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "window.erase-contact", NULL));
  ui_settle ();
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "erase"));
  adw_message_dialog_response (dialog, "erase");
  ui_wait_until (contact_gone, gone, "the contact to be erased");
  wait_for_count (contact_model (f), 0, "an empty Trash");
  g_assert_null (rapport_contact_page_get_contact (child (f, "contact_page")));

  /* A live contact gets its full menu back. */
  g_free (id);
  id = add_contact (f, "Hugo Blanc", NULL, NULL);
  rapport_window_show_view (f->window, "all");
  rapport_window_show_contact (f->window, id);
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (menu_button),
                                  "window.delete-contact"));
}

static void
add_follow_up (Fixture *f, const char *contact_id, gint64 due_at)
{
  g_autoptr (RapportReminder) reminder = rapport_reminder_new ();
  g_autoptr (GError) error = NULL;

  reminder->contact_id = g_strdup (contact_id);
  reminder->owner = g_strdup (rapport_store_get_me_id (f->ts->store));
  reminder->title = g_strdup ("Call back");
  reminder->due_at = due_at;
  rapport_store_save (f->ts->store, RAPPORT_RECORD (reminder), &error);
  g_assert_no_error (error);
}

static void
largest_addition_cb (GListModel *model, guint position, guint removed, guint added,
                     guint *largest)
{
  *largest = MAX (*largest, added);
}

/* A long Today comes a screenful first and then whole; a refresh of what
 * is shown replaces it at once. */
static void
test_today_long_list (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Olga Berg", NULL, NULL);
  RapportTodayView *today = child (f, "today_view");
  GListModel *items = rapport_today_view_get_model (today);
  guint largest = 0;
  gulong handler;

  rapport_window_show_view (f->window, "all");
  ui_settle ();
  for (guint i = 0; i < 45; i++)
    add_follow_up (f, id, f->ts->now - (i + 1) * 3600);
  handler = g_signal_connect (items, "items-changed", G_CALLBACK (largest_addition_cb), &largest);
  rapport_window_show_view (f->window, "today");
  /* A heading and the 45 follow-ups. */
  wait_for_count (items, 46, "the whole of Today");
  g_assert_cmpuint (largest, <=, 20);

  largest = 0;
  add_follow_up (f, id, f->ts->now - 50 * 3600);
  wait_for_count (items, 47, "Today with one more follow-up");
  g_assert_cmpuint (largest, ==, 47);
  g_signal_handler_disconnect (items, handler);
}

/* A long timeline is painted a screenful first, then its first page,
 * then older entries on demand. */
static void
test_long_timeline (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Pia Holm", NULL, NULL);
  RapportContactPage *page = child (f, "contact_page");
  GListModel *timeline = rapport_contact_page_get_timeline (page);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr (RapportInteraction) interaction = rapport_interaction_new ();

      interaction->contact_id = g_strdup (id);
      interaction->kind = g_strdup ("call");
      interaction->direction = g_strdup ("outbound");
      interaction->occurred_at = f->ts->now - (i + 1) * DAY;
      interaction->logged_by = g_strdup (rapport_store_get_me_id (f->ts->store));
      interaction->summary = g_strdup_printf ("Call %u", i);
      rapport_store_save (f->ts->store, RAPPORT_RECORD (interaction), &error);
      g_assert_no_error (error);
    }
  rapport_window_show_contact (f->window, id);
  /* Read on a worker: the page paints a screenful of it first. */
  ui_wait_until (model_not_empty, timeline, "the timeline's first entries");
  g_assert_cmpuint (g_list_model_get_n_items (timeline), <, 30);
  wait_for_count (timeline, 30, "the first page of the timeline");
  {
    g_autoptr (RapportInteraction) newest = g_list_model_get_item (timeline, 0);
    g_autoptr (RapportInteraction) last = g_list_model_get_item (timeline, 29);
    g_assert_cmpstr (newest->summary, ==, "Call 0");
    g_assert_cmpstr (last->summary, ==, "Call 29");
  }
  gtk_widget_activate_action (GTK_WIDGET (page), "contact.show-older", NULL);
  wait_for_count (timeline, 40, "the older entries");
}

/* The first screenful of a mixed timeline (posted by the worker before it
 * reads the rest) is exactly the start of the whole: pinned notes first,
 * newest first across kinds, others' private notes left out; the whole
 * that follows keeps the records shown. */
static void
test_timeline_first_screenful (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Tove Dahl", NULL, NULL);
  RapportContactPage *page = child (f, "contact_page");
  GListModel *timeline = rapport_contact_page_get_timeline (page);
  g_autoptr (GPtrArray) whole = NULL;
  g_autoptr (GPtrArray) shown_first = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr (RapportRecord) record = NULL;

      if (i % 3 == 0)
        {
          RapportNote *note = rapport_note_new ();

          note->contact_id = g_strdup (id);
          note->body = g_strdup_printf ("Note %u", i);
          note->pinned = i == 42;
          note->private = i == 3;
          note->author = g_strdup (i == 3 ? "someone-else" : rapport_store_get_me_id (f->ts->store));
          record = RAPPORT_RECORD (note);
        }
      else
        {
          RapportInteraction *call = rapport_interaction_new ();

          call->contact_id = g_strdup (id);
          call->kind = g_strdup ("call");
          /* Pairs at the same time: the order of ids decides. */
          call->occurred_at = f->ts->now - (gint64) (i / 2) * DAY;
          call->summary = g_strdup_printf ("Call %u", i);
          record = RAPPORT_RECORD (call);
        }
      rapport_store_save (f->ts->store, record, &error);
      g_assert_no_error (error);
    }
  whole = rapport_store_timeline (f->ts->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (whole->len, ==, 49);

  rapport_window_show_contact (f->window, id);
  ui_wait_until (model_not_empty, timeline, "the timeline's first entries");
  for (guint i = 0; i < g_list_model_get_n_items (timeline); i++)
    {
      RapportRecord *record = g_list_model_get_item (timeline, i);

      g_assert_cmpstr (record->id, ==, RAPPORT_RECORD (whole->pdata[i])->id);
      g_ptr_array_add (shown_first, record);
    }
  g_assert_true (RAPPORT_IS_NOTE (shown_first->pdata[0]));
  g_assert_true (RAPPORT_NOTE (shown_first->pdata[0])->pinned);

  wait_for_count (timeline, 30, "the first page of the timeline");
  gtk_widget_activate_action (GTK_WIDGET (page), "contact.show-older", NULL);
  wait_for_count (timeline, 49, "the whole timeline");
  for (guint i = 0; i < whole->len; i++)
    {
      g_autoptr (RapportRecord) record = g_list_model_get_item (timeline, i);

      g_assert_cmpstr (record->id, ==, RAPPORT_RECORD (whole->pdata[i])->id);
      if (i < shown_first->len)
        g_assert_true (record == shown_first->pdata[i]);
    }
}

/* The timeline is read on a worker's connection: a change of "who am I"
 * made since its last read is followed, so a private note shows to its
 * author only. */
static void
test_timeline_follows_me (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Rune Lie", NULL, NULL);
  g_autofree char *other = add_contact (f, "Sara Lund", NULL, NULL);
  RapportContactPage *page = child (f, "contact_page");
  GListModel *timeline = rapport_contact_page_get_timeline (page);
  g_autoptr (RapportNote) note = rapport_note_new ();
  g_autoptr (RapportInteraction) call = rapport_interaction_new ();
  g_autoptr (RapportUser) colleague = rapport_user_new ();
  g_autoptr (GError) error = NULL;

  note->contact_id = g_strdup (id);
  note->body = g_strdup ("Only for me");
  note->private = TRUE;
  note->author = g_strdup (rapport_store_get_me_id (f->ts->store));
  rapport_store_save (f->ts->store, RAPPORT_RECORD (note), &error);
  g_assert_no_error (error);
  call->contact_id = g_strdup (id);
  call->kind = g_strdup ("call");
  call->occurred_at = f->ts->now - DAY;
  call->summary = g_strdup ("Intro call");
  rapport_store_save (f->ts->store, RAPPORT_RECORD (call), &error);
  g_assert_no_error (error);

  rapport_window_show_contact (f->window, id);
  wait_for_count (timeline, 2, "the private note and the call");

  colleague->name = g_strdup ("Colleague");
  rapport_store_save (f->ts->store, RAPPORT_RECORD (colleague), &error);
  g_assert_no_error (error);
  g_assert_true (rapport_store_set_me (f->ts->store, colleague, &error));
  g_assert_no_error (error);
  rapport_window_show_contact (f->window, other);
  ui_settle ();
  rapport_window_show_contact (f->window, id);
  wait_for_count (timeline, 1, "the call alone, for a colleague");
  {
    g_autoptr (GObject) only = g_list_model_get_item (timeline, 0);
    g_assert_true (RAPPORT_IS_INTERACTION (only));
  }
}

static void
test_editor_duplicates (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Marta Silva", "marta@example.org", NULL);
  RapportContactEditor *editor = rapport_contact_editor_new (GTK_WINDOW (f->window), f->ts->store, NULL);
  GType type = RAPPORT_TYPE_CONTACT_EDITOR;
  g_autoptr (GPtrArray) all = NULL;

  gtk_window_present (GTK_WINDOW (editor));
  /* Fields are validated. */
  gtk_editable_set_text (dialog_child (editor, type, "name_row"), "M. Silva");
  gtk_editable_set_text (dialog_child (editor, type, "emails_row"), "not an address");
  g_assert_false (rapport_contact_editor_save (editor));
  g_assert_true (gtk_widget_has_css_class (dialog_child (editor, type, "emails_row"), "error"));

  /* The same email as Marta's: pointed out before saving, once. */
  gtk_editable_set_text (dialog_child (editor, type, "emails_row"), "MARTA@example.org");
  g_assert_false (rapport_contact_editor_save (editor));
  g_assert_true (gtk_widget_get_visible (dialog_child (editor, type, "duplicate_box")));
  g_assert_nonnull (strstr (gtk_label_get_text (dialog_child (editor, type, "duplicate_label")),
                            "Marta Silva"));
  g_assert_true (rapport_contact_editor_save (editor));
  ui_settle ();

  all = rapport_store_search (f->ts->store, "silva", 10, NULL);
  g_assert_cmpuint (all->len, ==, 2);
}

static RapportRecord *
first_of (Fixture *f, const char *contact_id, GType type)
{
  g_autoptr (GPtrArray) timeline = rapport_store_timeline (f->ts->store, contact_id, NULL);

  for (guint i = 0; timeline && i < timeline->len; i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (timeline->pdata[i], type))
      return g_object_ref (timeline->pdata[i]);
  return NULL;
}

static void
test_complaint_and_promise (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Paula Reis", NULL, NULL);
  RapportLogDialog *log;
  RapportPromiseDialog *promise_dialog;
  RapportTodayView *today = child (f, "today_view");
  g_autoptr (RapportRecord) complaint = NULL;
  g_autoptr (RapportRecord) promise = NULL;

  rapport_window_show_contact (f->window, id);

  /* Ctrl+K logs a complaint, which waits for a response. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.log-complaint", NULL);
  log = find_toplevel (RAPPORT_TYPE_LOG_DIALOG);
  g_assert_nonnull (log);
  gtk_editable_set_text (dialog_child (log, RAPPORT_TYPE_LOG_DIALOG, "summary_row"),
                         "Delivery arrived damaged");
  g_assert_true (rapport_log_dialog_save (log));
  complaint = first_of (f, id, RAPPORT_TYPE_INTERACTION);
  g_assert_nonnull (complaint);
  g_assert_cmpstr (RAPPORT_INTERACTION (complaint)->kind, ==, "complaint");
  g_assert_cmpstr (RAPPORT_INTERACTION (complaint)->direction, ==, "inbound");
  g_assert_true (RAPPORT_INTERACTION (complaint)->awaiting_response);

  /* It is in Open Complaints until someone responds from the page. */
  rapport_window_show_view (f->window, "complaints");
  wait_for_count (rapport_today_view_get_model (today), 1, "the complaint in Open Complaints");
  gtk_widget_activate_action (GTK_WIDGET (child (f, "contact_page")), "contact.complaint-responded",
                              "s", complaint->id);
  wait_for_count (rapport_today_view_get_model (today), 0, "Open Complaints to empty");
  g_clear_object (&complaint);
  complaint = first_of (f, id, RAPPORT_TYPE_INTERACTION);
  g_assert_false (RAPPORT_INTERACTION (complaint)->awaiting_response);
  g_assert_cmpint (RAPPORT_INTERACTION (complaint)->responded_at, ==, f->ts->now);
  gtk_widget_activate_action (GTK_WIDGET (child (f, "contact_page")), "contact.complaint-resolved",
                              "s", complaint->id);
  g_clear_object (&complaint);
  complaint = first_of (f, id, RAPPORT_TYPE_INTERACTION);
  g_assert_cmpint (RAPPORT_INTERACTION (complaint)->resolved_at, ==, f->ts->now);

  /* A promise, due in two days, kept from the page. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.add-promise", NULL);
  promise_dialog = find_toplevel (RAPPORT_TYPE_PROMISE_DIALOG);
  g_assert_nonnull (promise_dialog);
  g_assert_false (rapport_promise_dialog_save (promise_dialog));   /* says nothing */
  gtk_editable_set_text (dialog_child (promise_dialog, RAPPORT_TYPE_PROMISE_DIALOG, "what_row"),
                         "A replacement by Friday");
  gtk_editable_set_text (dialog_child (promise_dialog, RAPPORT_TYPE_PROMISE_DIALOG, "due_row"), "+2d");
  gtk_editable_set_text (dialog_child (promise_dialog, RAPPORT_TYPE_PROMISE_DIALOG,
                                       "deliver_department_row"), "Logistics");
  g_assert_true (rapport_promise_dialog_save (promise_dialog));
  promise = first_of (f, id, RAPPORT_TYPE_PROMISE);
  g_assert_nonnull (promise);
  g_assert_cmpstr (RAPPORT_PROMISE (promise)->status, ==, "open");
  g_assert_cmpint (RAPPORT_PROMISE (promise)->due_at, ==, f->ts->now + 2 * DAY);
  g_assert_cmpstr (RAPPORT_PROMISE (promise)->deliver_by_department, ==, "Logistics");
  g_assert_cmpstr (RAPPORT_PROMISE (promise)->promised_by, ==, rapport_store_get_me_id (f->ts->store));

  rapport_window_show_view (f->window, "promises");
  wait_for_count (rapport_today_view_get_model (today), 1, "the promise in Open Promises");
  gtk_widget_activate_action (GTK_WIDGET (child (f, "contact_page")), "contact.promise-kept", "s",
                              promise->id);
  wait_for_count (rapport_today_view_get_model (today), 0, "Open Promises to empty");
  g_clear_object (&promise);
  promise = first_of (f, id, RAPPORT_TYPE_PROMISE);
  g_assert_cmpstr (RAPPORT_PROMISE (promise)->status, ==, "kept");
}

static gboolean
is_folded (gpointer leaflet)
{
  return adw_leaflet_get_folded (leaflet);
}

static void
test_narrow_window (Fixture *f, gconstpointer data)
{
  g_autofree char *id = add_contact (f, "Rui Vaz", NULL, NULL);
  AdwLeaflet *leaflet = child (f, "leaflet");

  /* At 360 px the panes fold into one column with back buttons. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  ui_wait_until (is_folded, leaflet, "the leaflet to fold");
  g_assert_true (gtk_widget_get_visible (child (f, "page_back_button")));
  rapport_window_show_view (f->window, "all");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.show-contact", "s", id);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == child (f, "page_pane"));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "window.show-list", NULL);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == child (f, "list_pane"));
}

int
main (int argc, char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display: run under xvfb-run (see testing.md)\n");
      return 0;
    }
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(name, func, me) \
  g_test_add ("/ui/window/" name, Fixture, GINT_TO_POINTER (me), fixture_setup, func, fixture_teardown)
  ADD ("first-run", test_first_run, FALSE);
  ADD ("views-and-empty-states", test_views_and_empty_states, TRUE);
  ADD ("search", test_search, TRUE);
  ADD ("search-in-same-rows", test_search_in_same_rows, TRUE);
  ADD ("renamed-stays-selected", test_renamed_stays_selected, TRUE);
  ADD ("selected-after-reveal", test_selected_after_reveal, TRUE);
  g_test_add_func ("/ui/window/rows-kept", test_rows_kept);
  ADD ("log-with-follow-up", test_log_with_follow_up, TRUE);
  ADD ("add-note", test_add_note, TRUE);
  ADD ("delete-and-undo", test_delete_and_undo, TRUE);
  ADD ("erase-from-trash", test_erase_from_trash, TRUE);
  ADD ("today-long-list", test_today_long_list, TRUE);
  ADD ("long-timeline", test_long_timeline, TRUE);
  ADD ("timeline-follows-me", test_timeline_follows_me, TRUE);
  ADD ("timeline-first-screenful", test_timeline_first_screenful, TRUE);
  ADD ("editor-duplicates", test_editor_duplicates, TRUE);
  ADD ("complaint-and-promise", test_complaint_and_promise, TRUE);
  ADD ("narrow-window", test_narrow_window, TRUE);
#undef ADD
  return g_test_run ();
}
