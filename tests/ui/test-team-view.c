/* test-team-view.c: the team backlog view in the main window, driven in-process */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "rapport-backlog-detail.h"
#include "rapport-due-row.h"
#include "rapport-team-view.h"
#include "rapport-window.h"
#include "test-common.h"
#include "ui-common.h"

#define DAY ((gint64) 24 * 60 * 60)

typedef struct
{
  RapportTestStore *ts;
  char *mara;   /* manager */
  char *sam;    /* staff, sales */
  char *tom;    /* staff, service */
  RapportWindow *window;
  RapportTeamView *view;
} Fixture;

/* Helpers ------------------------------------------------------------------ */

static char *
add_user (RapportStore *store, const char *name, const char *department, const char *role)
{
  g_autoptr (RapportUser) user = rapport_user_new ();
  g_autoptr (GError) error = NULL;

  user->name = g_ascii_strdown (name, -1);
  user->display_name = g_strdup (name);
  user->department = g_strdup (department);
  user->role = g_strdup (role);
  g_assert_true (rapport_store_save (store, RAPPORT_RECORD (user), &error));
  return g_strdup (RAPPORT_RECORD (user)->id);
}

static void
add_work (RapportStore *store, const char *owner, const char *contact_name, gint64 now)
{
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  g_autoptr (GError) error = NULL;
  const gint64 dues[] = { now - 2 * DAY, now - 10 * DAY, now - 40 * DAY, now + 2 * DAY };

  contact->name = g_strdup (contact_name);
  contact->kind = g_strdup ("person");
  contact->relationship = g_strdup ("customer");
  contact->owner = g_strdup (owner);
  RAPPORT_RECORD (contact)->created_at = now - 10 * DAY;
  g_assert_true (rapport_store_save (store, RAPPORT_RECORD (contact), &error));
  for (guint i = 0; i < G_N_ELEMENTS (dues); i++)
    {
      g_autoptr (RapportReminder) reminder = rapport_reminder_new ();

      reminder->contact_id = g_strdup (RAPPORT_RECORD (contact)->id);
      reminder->owner = g_strdup (owner);
      reminder->title = g_strdup_printf ("Call %s back", contact_name);
      reminder->due_at = dues[i];
      g_assert_true (rapport_store_save (store, RAPPORT_RECORD (reminder), &error));
    }
  g_assert_no_error (error);
}

static void
add_department_promise (RapportStore *store, const char *by, gint64 due)
{
  g_autoptr (RapportPromise) promise = rapport_promise_new ();
  g_autoptr (GError) error = NULL;

  promise->what = g_strdup ("Ship the spare part");
  promise->promised_by = g_strdup (by);
  promise->deliver_by_department = g_strdup ("Logistics");
  promise->due_at = due;
  promise->status = g_strdup ("open");
  g_assert_true (rapport_store_save (store, RAPPORT_RECORD (promise), &error));
}

static gboolean
view_filled (gpointer data)
{
  Fixture *f = data;
  return rapport_team_view_get_rows (f->view) != NULL;
}

static void
fixture_setup (Fixture *f, gconstpointer me_is_manager)
{
  g_autoptr (RapportUser) me = NULL;
  g_autoptr (GError) error = NULL;
  RapportStore *store;

  f->ts = rapport_test_store_new ();
  store = f->ts->store;
  f->mara = add_user (store, "Mara Manager", "sales", "manager");
  f->sam = add_user (store, "Sam Staff", "sales", "staff");
  f->tom = add_user (store, "Tom Other", "service", "staff");
  add_work (store, f->sam, "Ines Silva", f->ts->now);
  add_work (store, f->tom, "Jonas Weber", f->ts->now);
  add_department_promise (store, f->sam, f->ts->now - DAY);
  /* Eight weeks of daily figures before today's. */
  for (int d = 55; d >= 1; d--)
    g_assert_true (rapport_store_record_backlog_day (store, f->ts->now - d * DAY - d * 3600,
                                                     &error));
  me = rapport_store_get_user (store, me_is_manager ? f->mara : f->sam);
  g_assert_true (rapport_store_set_me (store, me, &error));
  g_assert_no_error (error);

  f->window = rapport_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (rapport_window_show_view (f->window, "team"));
  f->view = RAPPORT_TEAM_VIEW (gtk_widget_get_template_child (GTK_WIDGET (f->window),
                                                              RAPPORT_TYPE_WINDOW, "team_view"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->view)));
  ui_wait_until (view_filled, f, "the team view to fill");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (f->mara);
  g_free (f->sam);
  g_free (f->tom);
  rapport_test_store_free (f->ts);
}

static const RapportBacklogRow *
row_of (Fixture *f, const char *owner)
{
  GPtrArray *rows = rapport_team_view_get_rows (f->view);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (((RapportBacklogRow *) rows->pdata[i])->owner, owner) == 0)
      return rows->pdata[i];
  return NULL;
}

/* Every text shown in the owner table, joined. */
static char *
table_text (Fixture *f)
{
  GtkWidget *grid = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                               RAPPORT_TYPE_TEAM_VIEW,
                                                               "owner_table"));
  GString *text = g_string_new (NULL);

  for (GtkWidget *c = gtk_widget_get_first_child (grid); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *label = GTK_IS_BUTTON (c) ? gtk_button_get_child (GTK_BUTTON (c)) : c;
      if (GTK_IS_LABEL (label))
        g_string_append_printf (text, "%s|", gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (text, FALSE);
}

typedef struct
{
  Fixture *f;
  const char *owner;
  RapportBacklogFigure figure;
  guint value;
} FigureCheck;

static gboolean
figure_is (gpointer data)
{
  FigureCheck *c = data;
  const RapportBacklogRow *row = row_of (c->f, c->owner);
  return row != NULL && rapport_backlog_row_get (row, c->figure) == c->value;
}

static void
wait_for_figure (Fixture *f, const char *owner, RapportBacklogFigure figure, guint value)
{
  FigureCheck c = { f, owner, figure, value };
  ui_wait_until (figure_is, &c, "the team view to show the new figure");
}

static gboolean
model_has_n (gpointer data)
{
  gpointer *pair = data;
  return g_list_model_get_n_items (G_LIST_MODEL (pair[0])) == GPOINTER_TO_UINT (pair[1]);
}

static GdkTexture *render (GtkWidget *widget, const char *name);

/* The drill-down lists its items on the reader thread. */
static GtkSelectionModel *
wait_for_items (RapportBacklogDrilldown *drilldown, guint n)
{
  GtkSelectionModel *items = rapport_backlog_drilldown_get_selection (drilldown);
  gpointer pair[2] = { items, GUINT_TO_POINTER (n) };

  ui_wait_until (model_has_n, pair, "the drill-down to list its items");
  return items;
}

/* Tests -------------------------------------------------------------------- */

static void
test_manager_sees_everyone (Fixture *f, gconstpointer data)
{
  g_autofree char *text = table_text (f);
  const char *description = rapport_backlog_chart_get_description (rapport_team_view_get_chart (f->view));
  GPtrArray *departments = rapport_team_view_get_departments (f->view);

  g_assert_cmpuint (rapport_team_view_get_rows (f->view)->len, ==, 3);
  g_assert_nonnull (row_of (f, f->mara));
  g_assert_nonnull (row_of (f, f->tom));
  g_assert_cmpuint (row_of (f, f->sam)->overdue_1_7, ==, 1);
  g_assert_cmpuint (row_of (f, f->sam)->overdue_8_30, ==, 1);
  g_assert_cmpuint (row_of (f, f->sam)->overdue_31_plus, ==, 1);
  g_assert_cmpuint (row_of (f, f->sam)->due_this_week, ==, 1);
  g_assert_cmpuint (row_of (f, f->sam)->promises_broken, ==, 1);
  /* The table shows every owner and the team total. */
  g_assert_nonnull (strstr (text, "Sam Staff|"));
  g_assert_nonnull (strstr (text, "Tom Other|"));
  g_assert_nonnull (strstr (text, "Mara Manager|"));
  g_assert_nonnull (strstr (text, "Team|"));
  /* The department that must deliver has its own row. */
  g_assert_cmpuint (departments->len, ==, 1);
  g_assert_cmpstr (((RapportBacklogRow *) departments->pdata[0])->owner, ==, "Logistics");
  g_assert_cmpuint (((RapportBacklogRow *) departments->pdata[0])->promises_broken, ==, 1);

  /* The chart says its numbers in words, trend included. */
  g_assert_nonnull (strstr (description, "Sam Staff: 3 overdue (1 for 1–7 days, 1 for 8–30 days, "
                                         "1 for 31 days or more)."));
  g_assert_nonnull (strstr (description, "Tom Other: 3 overdue"));
  g_assert_nonnull (strstr (description, "Mara Manager: 0 overdue"));
  g_assert_nonnull (strstr (description, "week by week over the last 8 weeks:"));
  /* Today's figure was recorded when the view was shown: 6 overdue. */
  g_assert_true (g_str_has_suffix (description, " 6."));

  /* The bars answer clicks with their owner and bucket. */
  {
    RapportBacklogChart *chart = rapport_team_view_get_chart (f->view);
    GPtrArray *rows = rapport_team_view_get_rows (f->view);
    guint hits[3][3] = { { 0 } };

    ui_settle ();
    g_object_unref (render (GTK_WIDGET (f->window), "team-view.png"));
    for (int y = 0; y < gtk_widget_get_height (GTK_WIDGET (chart)); y += 3)
      for (int x = 0; x < gtk_widget_get_width (GTK_WIDGET (chart)); x += 5)
        {
          RapportBacklogFigure figure;
          guint row;

          if (!rapport_backlog_chart_hit (chart, x, y, &row, &figure))
            continue;
          g_assert_cmpuint (row, <, rows->len);
          g_assert_cmpuint (figure, <=, RAPPORT_BACKLOG_OVERDUE_31_PLUS);
          g_assert_cmpuint (rapport_backlog_row_get (rows->pdata[row], figure), >, 0);
          hits[row][figure]++;
        }
    /* Sam and Tom (rows 1 and 2, by name) have a segment of each bucket. */
    for (guint r = 1; r < 3; r++)
      for (guint b = 0; b < 3; b++)
        g_assert_cmpuint (hits[r][b], >, 0);
    g_assert_cmpuint (hits[0][0] + hits[0][1] + hits[0][2], ==, 0);
  }

  /* A contact opened from the backlog shows in the contact list. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) items = rapport_store_backlog_items (f->ts->store, f->sam,
                                                               RAPPORT_BACKLOG_OVERDUE_1_7,
                                                               f->ts->now, &error);
    const char *contact = ((RapportDueItem *) items->pdata[0])->contact_id;

    rapport_window_show_contact (f->window, contact);
    g_assert_cmpstr (rapport_window_get_view (f->window), ==, "all");
    g_assert_cmpstr (rapport_window_get_contact_id (f->window), ==, contact);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->view)));
  }
}

static void
test_staff_see_themselves (Fixture *f, gconstpointer data)
{
  g_autofree char *text = table_text (f);
  const char *description = rapport_backlog_chart_get_description (rapport_team_view_get_chart (f->view));
  RapportBacklogDrilldown *drilldown;
  GtkSelectionModel *items;

  g_assert_cmpuint (rapport_team_view_get_rows (f->view)->len, ==, 1);
  g_assert_nonnull (row_of (f, f->sam));
  g_assert_null (strstr (text, "Tom Other"));
  g_assert_null (strstr (text, "Mara Manager"));
  g_assert_null (strstr (text, "Team|"));
  g_assert_nonnull (strstr (description, "Sam Staff: 3 overdue"));
  g_assert_null (strstr (description, "Tom"));

  /* Asking for someone else's items shows one's own; no reassigning. */
  drilldown = rapport_team_view_open_figure (f->view, f->tom, NULL, RAPPORT_BACKLOG_OVERDUE_8_30);
  items = wait_for_items (drilldown, 1);
  {
    g_autoptr (RapportDueObject) object = g_list_model_get_item (G_LIST_MODEL (items), 0);
    g_assert_cmpstr (rapport_due_object_get_item (object)->owner, ==, f->sam);
  }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
      GTK_WIDGET (drilldown), RAPPORT_TYPE_BACKLOG_DRILLDOWN, "reassign_button"))));
  gtk_window_destroy (GTK_WINDOW (drilldown));
  /* Another department's promises are not for staff to list. */
  g_assert_null (rapport_team_view_open_figure (f->view, NULL, "Logistics",
                                                RAPPORT_BACKLOG_PROMISES_BROKEN));
}

static void
test_reassign_and_undo (Fixture *f, gconstpointer data)
{
  RapportBacklogDrilldown *drilldown;
  GtkSelectionModel *items;
  gpointer empty[2], three[2];
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) moved = NULL;

  /* Sam's 1–7 days, from the table's button. */
  drilldown = rapport_team_view_open_figure (f->view, f->sam, NULL, RAPPORT_BACKLOG_OVERDUE_1_7);
  items = wait_for_items (drilldown, 1);
  /* Nothing selected: nothing to hand over. */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (gtk_widget_get_template_child (
      GTK_WIDGET (drilldown), RAPPORT_TYPE_BACKLOG_DRILLDOWN, "reassign_button"))));
  gtk_widget_activate_action (GTK_WIDGET (drilldown), "drilldown.select-all", NULL);
  gtk_widget_activate_action (GTK_WIDGET (drilldown), "drilldown.reassign", "s", f->tom);
  empty[0] = items;
  empty[1] = GUINT_TO_POINTER (0);
  ui_wait_until (model_has_n, empty, "the item to leave Sam's list");
  /* The team view follows the store. */
  wait_for_figure (f, f->sam, RAPPORT_BACKLOG_OVERDUE_1_7, 0);
  wait_for_figure (f, f->tom, RAPPORT_BACKLOG_OVERDUE_1_7, 2);

  gtk_widget_activate_action (GTK_WIDGET (drilldown), "drilldown.undo", NULL);
  wait_for_figure (f, f->sam, RAPPORT_BACKLOG_OVERDUE_1_7, 1);
  wait_for_figure (f, f->tom, RAPPORT_BACKLOG_OVERDUE_1_7, 1);
  gtk_window_destroy (GTK_WINDOW (drilldown));

  /* A whole relationship, many items at once: Sam's overdue of every age. */
  drilldown = rapport_team_view_open_figure (f->view, f->sam, NULL, RAPPORT_BACKLOG_OVERDUE_31_PLUS);
  wait_for_items (drilldown, 1);
  gtk_widget_activate_action (GTK_WIDGET (drilldown), "drilldown.select-all", NULL);
  ui_settle ();
  g_object_unref (render (GTK_WIDGET (drilldown), "team-drilldown.png"));
  gtk_widget_activate_action (GTK_WIDGET (drilldown), "drilldown.select-all", NULL);
  gtk_widget_activate_action (GTK_WIDGET (drilldown), "drilldown.reassign-relationships", "s",
                              f->mara);
  wait_for_figure (f, f->mara, RAPPORT_BACKLOG_OVERDUE_8_30, 1);
  wait_for_figure (f, f->sam, RAPPORT_BACKLOG_DUE_THIS_WEEK, 0);
  /* All four of Sam's reminders of that contact went along. */
  moved = rapport_store_backlog_items (f->ts->store, f->mara, RAPPORT_BACKLOG_OVERDUE_1_7,
                                       f->ts->now, &error);
  g_assert_cmpuint (moved->len, ==, 1);
  g_assert_cmpuint (row_of (f, f->sam)->overdue_1_7 + row_of (f, f->sam)->overdue_31_plus, ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (drilldown), "drilldown.undo", NULL);
  wait_for_figure (f, f->sam, RAPPORT_BACKLOG_DUE_THIS_WEEK, 1);
  wait_for_figure (f, f->mara, RAPPORT_BACKLOG_OVERDUE_8_30, 0);

  /* A nudge gives Tom a reminder due now, and undo takes it back. */
  gtk_window_destroy (GTK_WINDOW (drilldown));
  drilldown = rapport_team_view_open_figure (f->view, f->tom, NULL, RAPPORT_BACKLOG_OVERDUE_8_30);
  items = wait_for_items (drilldown, 1);
  gtk_selection_model_select_item (items, 0, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (drilldown), "drilldown.nudge", NULL);
  wait_for_figure (f, f->tom, RAPPORT_BACKLOG_OVERDUE_1_7, 2);
  gtk_widget_activate_action (GTK_WIDGET (drilldown), "drilldown.undo", NULL);
  wait_for_figure (f, f->tom, RAPPORT_BACKLOG_OVERDUE_1_7, 1);
  three[0] = items;
  three[1] = GUINT_TO_POINTER (1);
  ui_wait_until (model_has_n, three, "the list to stay");
  gtk_window_destroy (GTK_WINDOW (drilldown));
}

static char *
run_pdftotext (const char *pdf)
{
  g_autofree char *program = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;
  const char *argv[] = { program, "-layout", pdf, "-", NULL };

  if (program == NULL)
    g_error ("pdftotext is missing: install poppler-utils (the CI does)");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* The line of @text that starts (after spaces) with @name and then a number. */
static char *
line_of (const char *text, const char *name)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      const char *line = g_strchug (lines[i]);
      const char *rest = line + strlen (name);

      if (!g_str_has_prefix (line, name))
        continue;
      while (*rest == ' ')
        rest++;
      if (g_ascii_isdigit (*rest))
        return g_strdup (line);
    }
  return NULL;
}

static void
assert_numbers_follow (const char *line, const char *name, const RapportBacklogRow *row)
{
  g_auto (GStrv) words = g_strsplit_set (line + strlen (name), " ", -1);
  guint f = 0;

  for (guint i = 0; words[i] && f < RAPPORT_BACKLOG_N_FIGURES; i++)
    {
      if (*words[i] == '\0')
        continue;
      g_assert_cmpint (g_ascii_strtoll (words[i], NULL, 10), ==, rapport_backlog_row_get (row, f));
      f++;
    }
  g_assert_cmpuint (f, ==, RAPPORT_BACKLOG_N_FIGURES);
}

static void
test_pdf_holds_the_table (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->ts->dir, "backlog.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *sam_line = NULL, *tom_line = NULL, *team_line = NULL, *dept_line = NULL;
  RapportBacklogRow total = { 0 };
  GPtrArray *rows = rapport_team_view_get_rows (f->view);

  g_assert_true (rapport_team_view_export_pdf (f->view, pdf, &error));
  g_assert_no_error (error);
  text = run_pdftotext (pdf);
  g_assert_nonnull (strstr (text, "Team Backlog"));
  g_assert_nonnull (strstr (text, "Overdue 1–7"));
  g_assert_nonnull (strstr (text, "Complaints"));
  sam_line = line_of (text, "Sam Staff");
  tom_line = line_of (text, "Tom Other");
  team_line = line_of (text, "Team");
  dept_line = line_of (text, "Logistics");
  g_assert_nonnull (sam_line);
  g_assert_nonnull (tom_line);
  g_assert_nonnull (team_line);
  g_assert_nonnull (dept_line);
  assert_numbers_follow (sam_line, "Sam Staff", row_of (f, f->sam));
  assert_numbers_follow (tom_line, "Tom Other", row_of (f, f->tom));
  for (guint i = 0; i < rows->len; i++)
    rapport_backlog_row_add (&total, rows->pdata[i]);
  assert_numbers_follow (team_line, "Team", &total);
  g_assert_nonnull (strstr (text, "week by week"));
}

/* Renders the window to a PNG in the build folder, for people to look at. */
static GdkTexture *
render (GtkWidget *widget, const char *name)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                            name, NULL);
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return texture;
}

static void
test_light_and_dark (Fixture *f, gconstpointer data)
{
  AdwStyleManager *styles = adw_style_manager_get_default ();
  g_autoptr (GdkTexture) light = NULL, dark = NULL;
  g_autoptr (GBytes) light_bytes = NULL, dark_bytes = NULL;

  adw_style_manager_set_color_scheme (styles, ADW_COLOR_SCHEME_FORCE_LIGHT);
  ui_settle ();
  light = render (GTK_WIDGET (f->window), "team-view-light.png");
  adw_style_manager_set_color_scheme (styles, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (styles));
  ui_settle ();
  dark = render (GTK_WIDGET (f->window), "team-view-dark.png");
  adw_style_manager_set_color_scheme (styles, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpint (gdk_texture_get_width (light), ==, gdk_texture_get_width (dark));
  light_bytes = gdk_texture_save_to_png_bytes (light);
  dark_bytes = gdk_texture_save_to_png_bytes (dark);
  g_assert_false (g_bytes_equal (light_bytes, dark_bytes));
}

int
main (int argc, char *argv[])
{
  if (!ui_test_init (&argc, &argv))
    return 0;

#define ADD(name, func, manager) \
  g_test_add ("/ui/team-view/" name, Fixture, GINT_TO_POINTER (manager), fixture_setup, func, \
              fixture_teardown)
  ADD ("manager-sees-everyone", test_manager_sees_everyone, TRUE);
  ADD ("staff-see-themselves", test_staff_see_themselves, FALSE);
  ADD ("reassign-and-undo", test_reassign_and_undo, TRUE);
  ADD ("pdf-holds-the-table", test_pdf_holds_the_table, TRUE);
  ADD ("light-and-dark", test_light_and_dark, TRUE);
#undef ADD
  return g_test_run ();
}
