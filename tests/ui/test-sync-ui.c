/* test-sync-ui.c: signing in, the sync status and the conflict banner, against a real server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "rapport-conflict-banner.h"
#include "rapport-conflicts.h"
#include "rapport-first-run-dialog.h"
#include "rapport-format.h"
#include "rapport-sync-manager.h"
#include "rapport-sync-preferences.h"
#include "rapport-sync-status.h"
#include "rapport-window.h"
#include "test-sync-common.h"
#include "ui-common.h"

#define WAIT_MS 30000

/* One desktop of the app: its store (through a TestDesktop, whose own
 * client stays unused), the manager the application would own, and the
 * widgets that show it. */
typedef struct
{
  RapportTestServer *srv;
  TestDesktop *desk;
  RapportSyncManager *manager;
  RapportSyncPreferences *prefs;
  GtkWindow *prefs_window;
  RapportSyncStatusButton *status;
  GtkWindow *status_window;
  gboolean progress_seen;       /* the header's progress bar showed a fraction */
} Fixture;

/* Helpers ------------------------------------------------------------------ */

static gint64
real_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gpointer
prefs_child (Fixture *f, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->prefs),
                                                   RAPPORT_TYPE_SYNC_PREFERENCES, name);
  g_assert_nonnull (object);
  return object;
}

static gpointer
status_child (Fixture *f, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->status),
                                                   RAPPORT_TYPE_SYNC_STATUS_BUTTON, name);
  g_assert_nonnull (object);
  return object;
}

static gboolean
prefs_idle (gpointer data)
{
  return !rapport_sync_preferences_get_busy (((Fixture *) data)->prefs);
}

/* Synced, nothing left to send, no sync running. */
static gboolean
all_synced (gpointer data)
{
  Fixture *f = data;
  RapportSyncScheduler *scheduler = rapport_sync_manager_get_scheduler (f->manager);

  return scheduler != NULL
         && rapport_sync_scheduler_get_status (scheduler) == RAPPORT_SYNC_STATUS_SYNCED
         && !rapport_sync_client_get_busy (rapport_sync_manager_get_client (f->manager))
         && rapport_store_count_pending (f->desk->store) == 0
         && g_strcmp0 (rapport_sync_status_button_get_state (f->status), "synced") == 0;
}

static gboolean
is_syncing (gpointer data)
{
  RapportSyncScheduler *scheduler = rapport_sync_manager_get_scheduler (((Fixture *) data)->manager);

  return scheduler != NULL
         && rapport_sync_scheduler_get_status (scheduler) == RAPPORT_SYNC_STATUS_SYNCING;
}

static void
header_progress_cb (GtkProgressBar *bar, GParamSpec *pspec, Fixture *f)
{
  double fraction = gtk_progress_bar_get_fraction (bar);

  if (gtk_widget_get_visible (GTK_WIDGET (bar)))
    {
      g_assert_cmpfloat (fraction, >=, 0.0);
      g_assert_cmpfloat (fraction, <=, 1.0);
      g_assert_nonnull (gtk_progress_bar_get_text (bar));
      f->progress_seen = TRUE;
    }
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  GSettings *settings = rapport_settings_get ();
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  AdwPreferencesPage *page;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (settings);
  g_settings_reset (settings, "sync-server-url");
  g_settings_reset (settings, "sync-user");

  f->srv = test_sync_server_new ();
  f->desk = test_desktop_new (f->srv->url);
  f->desk->ts->now = real_now ();
  g_assert_true (rapport_save_identity (f->desk->store, "Alice Local", "Sales", &error));
  g_assert_no_error (error);

  f->manager = rapport_sync_manager_new (f->desk->store, settings);
  /* No secret service on the test bus: the session lasts as long as the
   * process, as the sync client documents. */
  rapport_sync_manager_set_use_keyring (f->manager, FALSE);

  f->prefs = rapport_sync_preferences_new (f->manager);
  f->prefs_window = GTK_WINDOW (adw_preferences_window_new ());
  page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (f->prefs));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (f->prefs_window), page);
  gtk_window_set_default_size (f->prefs_window, 600, 520);
  gtk_window_present (f->prefs_window);

  f->status = rapport_sync_status_button_new (f->manager);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), GTK_WIDGET (f->status));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Rapport", NULL));
  gtk_box_append (GTK_BOX (box), header);
  f->status_window = GTK_WINDOW (adw_window_new ());
  adw_window_set_content (ADW_WINDOW (f->status_window), box);
  gtk_window_set_default_size (f->status_window, 360, 120);
  gtk_window_present (f->status_window);
  g_signal_connect (status_child (f, "header_progress"), "notify::visible",
                    G_CALLBACK (header_progress_cb), f);
  g_signal_connect (status_child (f, "header_progress"), "notify::fraction",
                    G_CALLBACK (header_progress_cb), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  gtk_window_destroy (f->status_window);
  gtk_window_destroy (f->prefs_window);
  g_object_run_dispose (G_OBJECT (f->manager));
  g_clear_object (&f->manager);
  test_desktop_free (f->desk);
  g_assert_true (rapport_test_server_stop (f->srv, &error));
  g_assert_no_error (error);
  rapport_test_server_free (f->srv);
}

/* Types into the Sync group and presses Sign In, as a person would. */
static void
sign_in (Fixture *f, const char *url, const char *user, const char *password)
{
  gtk_editable_set_text (prefs_child (f, "server_row"), url);
  gtk_editable_set_text (prefs_child (f, "user_row"), user);
  gtk_editable_set_text (prefs_child (f, "password_row"), password);
  g_signal_emit_by_name (prefs_child (f, "sign_in_button"), "clicked");
  g_assert_true (rapport_sync_preferences_get_busy (f->prefs));
  test_wait_until (prefs_idle, f, WAIT_MS, "the sign-in to end");
}

/* Tests -------------------------------------------------------------------- */

/* Wrong input says what to do; a sign-in syncs at once (with a progress
 * bar the first time); an edit is synced soon after and reaches the
 * server; signing out stops syncing. */
static void
test_sign_in_and_sync (Fixture *f, gconstpointer data)
{
  GSettings *settings = rapport_settings_get ();
  g_autoptr (RapportContact) before = NULL;
  g_autoptr (RapportContact) after = NULL;
  g_autofree char *name_on_b = NULL;
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;
  TestDesktop *b;
  const char *error;

  /* Nothing set up: no status in the header bar. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->status)));
  g_assert_null (rapport_sync_preferences_get_error (f->prefs));

  sign_in (f, "", "alice", TEST_PASSWORD);
  error = rapport_sync_preferences_get_error (f->prefs);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "https://rapport.example.com"));

  sign_in (f, "http://", "alice", TEST_PASSWORD);
  g_assert_nonnull (strstr (rapport_sync_preferences_get_error (f->prefs), "not a server address"));

  sign_in (f, f->srv->url, "alice", "not-the-password");
  error = rapport_sync_preferences_get_error (f->prefs);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "password is wrong"));
  g_assert_false (rapport_sync_manager_get_signed_in (f->manager));
  g_assert_false (rapport_sync_manager_get_active (f->manager));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->status)));
  g_assert_true (gtk_widget_get_visible (prefs_child (f, "sign_in_button")));
  ui_save_screenshot (GTK_WIDGET (f->prefs_window), "sync-preferences-error");

  /* Something to send, so the first sync has a fraction to show. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Early Contact %u", i);
      g_autoptr (RapportContact) c = test_desktop_add_contact (f->desk, name);
    }
  before = test_desktop_add_contact (f->desk, "Maria Keller");

  sign_in (f, f->srv->url, "alice", TEST_PASSWORD);
  g_assert_null (rapport_sync_preferences_get_error (f->prefs));
  g_assert_true (rapport_sync_manager_get_signed_in (f->manager));
  g_assert_true (rapport_sync_manager_get_active (f->manager));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->status)));
  g_assert_cmpstr (gtk_editable_get_text (prefs_child (f, "password_row")), ==, "");
  url = g_settings_get_string (settings, "sync-server-url");
  user = g_settings_get_string (settings, "sync-user");
  g_assert_cmpstr (url, ==, f->srv->url);
  g_assert_cmpstr (user, ==, "alice");

  test_wait_until (all_synced, f, WAIT_MS, "the first sync");
  g_assert_true (f->progress_seen);
  g_assert_false (gtk_widget_get_visible (status_child (f, "header_progress")));
  g_assert_cmpint (rapport_sync_manager_get_last_synced (f->manager), >, 0);
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (prefs_child (f, "account_row")),
                                   "Signed in as "));
  g_assert_true (gtk_widget_get_visible (prefs_child (f, "sign_out_button")));
  g_assert_false (gtk_widget_get_visible (prefs_child (f, "password_row")));
  g_assert_cmpstr (gtk_label_get_text (status_child (f, "title_label")), ==, "Synced");
  g_assert_nonnull (strstr (gtk_label_get_text (status_child (f, "last_label")), "Last synced"));
  /* "me" is now alice of the server. */
  g_assert_cmpstr (rapport_store_get_me_id (f->desk->store), ==, test_sync_user_id ("alice"));

  ui_save_screenshot (GTK_WIDGET (f->status_window), "sync-status-synced");
  gtk_menu_button_popup (status_child (f, "button"));
  ui_save_screenshot (GTK_WIDGET (status_child (f, "popover")), "sync-status-popover");
  gtk_menu_button_popdown (status_child (f, "button"));
  ui_save_screenshot (GTK_WIDGET (f->prefs_window), "sync-preferences-signed-in");

  /* An edit is sent by itself, shortly after. Opened during that sync, the
   * popover takes the keyboard focus: "Sync Now" stays sensitive. */
  rapport_sync_scheduler_set_timing (rapport_sync_manager_get_scheduler (f->manager), 200, 600000,
                                     1000, 5000);
  f->desk->ts->now = real_now ();
  after = test_desktop_add_contact (f->desk, "Jonas Weber");
  g_assert_cmpint (rapport_store_count_pending (f->desk->store), >, 0);
  test_wait_until (is_syncing, f, WAIT_MS, "the edit's sync to start");
  gtk_menu_button_popup (status_child (f, "button"));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->status_window)) == status_child (f, "sync_button"));
  g_assert_true (gtk_widget_is_sensitive (status_child (f, "sync_button")));
  gtk_menu_button_popdown (status_child (f, "button"));
  test_wait_until (all_synced, f, WAIT_MS, "the edit to be synced");

  /* The server holds both: a second desktop gets them. */
  b = test_desktop_new (f->srv->url);
  test_desktop_login (b, "bob", TEST_PASSWORD);
  test_desktop_sync_ok (b);
  name_on_b = test_desktop_field (b, "contact", RAPPORT_RECORD (after)->id, "name");
  g_assert_cmpstr (name_on_b, ==, "\"Jonas Weber\"");
  g_clear_pointer (&name_on_b, g_free);
  name_on_b = test_desktop_field (b, "contact", RAPPORT_RECORD (before)->id, "name");
  g_assert_cmpstr (name_on_b, ==, "\"Maria Keller\"");
  test_desktop_free (b);

  /* Sign out: syncing stops, the header bar says nothing more. */
  g_signal_emit_by_name (prefs_child (f, "sign_out_button"), "clicked");
  test_wait_until (prefs_idle, f, WAIT_MS, "the sign-out to end");
  g_assert_false (rapport_sync_manager_get_signed_in (f->manager));
  g_assert_false (rapport_sync_manager_get_active (f->manager));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->status)));
  g_assert_true (gtk_widget_get_visible (prefs_child (f, "sign_in_button")));
  g_clear_pointer (&user, g_free);
  user = g_settings_get_string (settings, "sync-user");
  g_assert_cmpstr (user, ==, "");
}

static gboolean
is_offline (gpointer data)
{
  return rapport_sync_scheduler_get_status (data) == RAPPORT_SYNC_STATUS_OFFLINE;
}

/* The server stops: the status turns to offline with what to do, and
 * "Sync Now" after it is back syncs again. */
static void
test_offline_and_sync_now (Fixture *f, gconstpointer data)
{
  RapportSyncScheduler *scheduler;
  g_autoptr (RapportContact) c = NULL;
  g_autoptr (GError) error = NULL;
  const char *tooltip;

  sign_in (f, f->srv->url, "alice", TEST_PASSWORD);
  test_wait_until (all_synced, f, WAIT_MS, "the first sync");
  scheduler = rapport_sync_manager_get_scheduler (f->manager);
  rapport_sync_scheduler_set_timing (scheduler, 100, 600000, 600000, 600000);

  g_assert_true (rapport_test_server_stop (f->srv, &error));
  g_assert_no_error (error);
  c = test_desktop_add_contact (f->desk, "Offline Edit");
  test_wait_until (is_offline, scheduler, WAIT_MS, "the status to go offline");
  g_assert_cmpstr (rapport_sync_status_button_get_state (f->status), ==, "offline");
  g_assert_cmpstr (gtk_label_get_text (status_child (f, "title_label")), ==, "Offline");
  tooltip = gtk_widget_get_tooltip_text (status_child (f, "button"));
  g_assert_nonnull (strstr (tooltip, "kept"));
  g_assert_nonnull (strstr (gtk_label_get_text (status_child (f, "message_label")),
                            "Check the address and your network"));
  g_assert_cmpint (rapport_store_count_pending (f->desk->store), >, 0);
  ui_save_screenshot (GTK_WIDGET (f->status_window), "sync-status-offline");

  /* Back (same port); the backoff is long, "Sync Now" does not wait. */
  g_assert_true (rapport_test_server_start (f->srv, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->status), "sync.sync-now", NULL));
  test_wait_until (all_synced, f, WAIT_MS, "the sync after the server came back");
}

static GtkWidget *
find_banner (RapportWindow *window)
{
  GtkWidget *pane = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                               RAPPORT_TYPE_WINDOW, "page_pane"));

  for (GtkWidget *w = gtk_widget_get_first_child (pane); w; w = gtk_widget_get_next_sibling (w))
    if (RAPPORT_IS_CONFLICT_BANNER (w))
      return w;
  g_assert_not_reached ();
}

typedef struct
{
  RapportConflictBanner *banner;
  guint n;
} BannerCheck;

static gboolean
banner_has (gpointer data)
{
  BannerCheck *check = data;

  return rapport_conflict_banner_get_n_conflicts (check->banner) >= check->n
         && gtk_widget_get_visible (GTK_WIDGET (check->banner)) == (check->n > 0);
}

typedef struct
{
  RapportConflictBanner *banner;
  RapportStore *store;
  const char *user_id;
} NamedCheck;

/* The banner names the colleague as the store knows them: their user
 * record may arrive (display name and all) in a later page than the
 * conflict, and the banner follows. */
static gboolean
banner_names (gpointer data)
{
  NamedCheck *check = data;
  g_autoptr (RapportUser) user = rapport_store_get_user (check->store, check->user_id);
  g_autofree char *named = NULL;

  if (user == NULL)
    return FALSE;
  named = g_strdup_printf ("%s changed Phone after you; your change was replaced",
                           user->display_name && *user->display_name ? user->display_name : user->name);
  return strstr (rapport_conflict_banner_get_text (check->banner), named) != NULL;
}

/* Edits on this desktop that lost to a colleague's newer edit, that a
 * colleague's delete overtook, or that the server refused, are told on the
 * contact page; Dismiss marks them seen. */
static void
test_conflict_banner (Fixture *f, gconstpointer data)
{
  TestDesktop *b = test_desktop_new (f->srv->url);
  g_autoptr (RapportContact) grace = NULL;
  g_autoptr (RapportContact) hedy = NULL;
  g_autoptr (RapportReminder) reminder = rapport_reminder_new ();
  g_autoptr (RapportRecord) on_b = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *bob_json = NULL;
  RapportWindow *window;
  RapportConflictBanner *banner;
  BannerCheck check;
  const char *text;
  gint64 now = real_now ();

  sign_in (f, f->srv->url, "alice", TEST_PASSWORD);
  test_wait_until (all_synced, f, WAIT_MS, "the first sync");
  /* Local edits wait for "Sync Now" in this test, and no pull waits for
   * Bob's changes (which would sync at once): Alice is as if offline. */
  rapport_sync_scheduler_set_timing (rapport_sync_manager_get_scheduler (f->manager), 600000,
                                     600000, 600000, 600000);
  rapport_sync_scheduler_set_watch_timing (rapport_sync_manager_get_scheduler (f->manager), 0,
                                           600000, 600000);

  grace = test_desktop_add_contact (f->desk, "Grace Hopper");
  hedy = test_desktop_add_contact (f->desk, "Hedy Lamarr");
  reminder->contact_id = g_strdup (RAPPORT_RECORD (grace)->id);
  reminder->owner = g_strdup (rapport_store_get_me_id (f->desk->store));
  reminder->title = g_strdup ("Call back about the renewal");
  reminder->due_at = now + 86400;
  g_assert_true (rapport_store_save (f->desk->store, RAPPORT_RECORD (reminder), &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->status), "sync.sync-now", NULL));
  test_wait_until (all_synced, f, WAIT_MS, "the new records to be synced");
  test_desktop_login (b, "bob", TEST_PASSWORD);
  test_desktop_sync_ok (b);

  /* Offline here: Alice edits Grace's phone, a detail of Hedy, and gives
   * her follow-up to Bob (staff may not). Bob, later, edits the same
   * phone and deletes Hedy. */
  f->desk->ts->now = now + 20;
  test_desktop_edit (f->desk, "contact", RAPPORT_RECORD (grace)->id, "phones",
                     "[{\"label\":\"work\",\"value\":\"+1 555 0100\"}]");
  test_desktop_edit (f->desk, "contact", RAPPORT_RECORD (hedy)->id, "job_title", "\"Inventor\"");
  bob_json = g_strdup_printf ("\"%s\"", test_sync_user_id ("bob"));
  test_desktop_edit (f->desk, "reminder", RAPPORT_RECORD (reminder)->id, "owner", bob_json);
  b->ts->now = now + 40;
  test_desktop_edit (b, "contact", RAPPORT_RECORD (grace)->id, "phones",
                     "[{\"label\":\"work\",\"value\":\"+1 555 0199\"}]");
  on_b = rapport_store_load (b->store, rapport_entity_lookup ("contact"), RAPPORT_RECORD (hedy)->id,
                             &error);
  g_assert_true (rapport_store_delete (b->store, on_b, &error));
  g_assert_no_error (error);
  test_desktop_sync_ok (b);

  window = rapport_window_new (NULL, f->desk->store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  banner = RAPPORT_CONFLICT_BANNER (find_banner (window));
  rapport_window_show_contact (window, RAPPORT_RECORD (grace)->id);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->status), "sync.sync-now", NULL));
  test_wait_until (all_synced, f, WAIT_MS, "the offline edits to be synced");

  /* Grace: the lost phone number, and the refused follow-up. */
  check = (BannerCheck) { banner, 2 };
  test_wait_until (banner_has, &check, WAIT_MS, "the banner on Grace's page");
  text = rapport_conflict_banner_get_text (banner);
  /* The colleague whose edit won is named (the pulled change's author). */
  {
    NamedCheck named = { banner, f->desk->store, test_sync_user_id ("bob") };

    test_wait_until (banner_names, &named, WAIT_MS, "the banner to name Bob");
    text = rapport_conflict_banner_get_text (banner);
  }
  g_assert_nonnull (strstr (text, "Refused by the server: forbidden"));
  g_assert_nonnull (strstr (text, "Owner of the follow-up “Call back about the renewal”"));
  g_assert_null (strstr (text, "Trash"));
  ui_save_screenshot (GTK_WIDGET (window), "sync-conflict-banner");

  /* Dismiss: seen, hidden, and it stays so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (banner), "conflicts.dismiss", NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_cmpint (rapport_store_count_contact_conflicts (f->desk->store,
                                                          RAPPORT_RECORD (grace)->id), ==, 0);
  rapport_window_show_contact (window, RAPPORT_RECORD (grace)->id);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));

  /* Hedy: deleted by Bob while Alice edited; the edit is in the Trash. */
  rapport_window_show_contact (window, RAPPORT_RECORD (hedy)->id);
  check = (BannerCheck) { banner, 1 };
  test_wait_until (banner_has, &check, WAIT_MS, "the banner on Hedy's page");
  text = rapport_conflict_banner_get_text (banner);
  g_assert_nonnull (strstr (text, "This contact was deleted on another computer while you "
                                  "edited it; your edit is kept in the Trash"));

  /* Another contact has nothing to say. */
  rapport_window_show_contact (window, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));

  gtk_window_destroy (GTK_WINDOW (window));
  test_desktop_free (b);
}

int
main (int argc, char *argv[])
{
  if (!ui_test_init (&argc, &argv))
    return 0;

#define ADD(name, func) \
  g_test_add ("/ui/sync/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("sign-in-and-sync", test_sign_in_and_sync);
  ADD ("offline-and-sync-now", test_offline_and_sync_now);
  ADD ("conflict-banner", test_conflict_banner);
#undef ADD
  return g_test_run ();
}
