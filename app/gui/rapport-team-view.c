/* rapport-team-view.c: the team backlog at a glance, for a manager (or my own, for staff) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rapport-backlog-export.h"
#include "rapport-backlog-print.h"
#include "rapport-format.h"
#include "rapport-reader.h"
#include "rapport-team-view-private.h"

/* The figures change as time passes: look again this often while shown. */
#define REFRESH_SECONDS (5 * 60)
/* The daily trend figure is stored again at most this often, looked at
 * this often while the app runs (shown or not), the first time soon after
 * the start. */
#define RECORD_EVERY (60 * 60)
#define RECORD_CHECK_SECONDS (10 * 60)
#define RECORD_FIRST_SECONDS 20
#define TREND_DAYS 56

G_DEFINE_FINAL_TYPE (RapportTeamView, rapport_team_view, GTK_TYPE_WIDGET)

enum
{
  REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (RapportTeamView *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static GtkWindow *
parent_window (RapportTeamView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Computing, on the reader thread --------------------------------------------- */

typedef struct
{
  char *scope;
  gint64 at;
  gboolean record;
} Query;

typedef struct
{
  RapportBacklogReport *report;
  GPtrArray *owner_trends;
} Result;

static void
query_free (gpointer data)
{
  Query *query = data;

  g_free (query->scope);
  g_free (query);
}

static void
result_free (gpointer data)
{
  Result *result = data;

  rapport_backlog_report_free (result->report);
  g_clear_pointer (&result->owner_trends, g_ptr_array_unref);
  g_free (result);
}

static gpointer
query_thread (RapportStore *reader, gpointer data, GCancellable *cancellable, GError **error)
{
  Query *query = data;
  Result *result;
  RapportBacklogReport *report;

  if (query->record && !rapport_store_record_backlog_day (reader, query->at, error))
    return NULL;
  report = rapport_backlog_report_new (reader, query->scope, query->at, error);
  if (report == NULL)
    return NULL;
  result = g_new0 (Result, 1);
  result->report = report;
  result->owner_trends = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint i = 0; i < report->rows->len; i++)
    {
      const RapportBacklogRow *row = report->rows->pdata[i];
      GArray *trend = rapport_store_backlog_trend (reader, row->owner, query->at, TREND_DAYS, error);

      if (trend == NULL)
        {
          result_free (result);
          return NULL;
        }
      g_ptr_array_add (result->owner_trends, trend);
    }
  return result;
}

static void
show_result (RapportTeamView *self, Result *result)
{
  g_autoptr (GDateTime) when = NULL;
  g_autofree char *time = NULL;
  g_autofree char *scope = NULL;

  g_clear_pointer (&self->report, rapport_backlog_report_free);
  g_clear_pointer (&self->owner_trends, g_ptr_array_unref);
  self->report = g_steal_pointer (&result->report);
  self->owner_trends = g_steal_pointer (&result->owner_trends);

  when = g_date_time_new_from_unix_local (self->report->at);
  time = g_date_time_format (when, "%H:%M");
  if (rapport_backlog_scope (self->store) == NULL)
    /* Translators: the scope of the team view, with the time it was computed */
    scope = g_strdup_printf (_("Everyone on the team, as of %s"), time);
  else
    /* Translators: the scope of the team view for staff, with the time it was computed */
    scope = g_strdup_printf (_("Your own work, as of %s. Managers see the whole team here"), time);
  gtk_label_set_text (self->scope_label, scope);
  adw_window_title_set_subtitle (self->window_title, self->report->scope);
  rapport_backlog_chart_set_data (self->chart, self->report->rows, self->report->trend,
                                  self->report->at);
  rapport_team_view_fill_tables (self);
  g_signal_emit (self, signals[REFRESHED], 0);
}

static void
query_done_cb (GObject *source, GAsyncResult *async_result, gpointer user_data)
{
  g_autoptr (RapportTeamView) self = user_data;
  g_autoptr (GError) error = NULL;
  Result *result = rapport_reader_run_finish (async_result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (self->store == NULL)
    {
      g_clear_pointer (&result, result_free);
      return;
    }
  if (result == NULL)
    toast (self, error->message);
  else
    {
      show_result (self, result);
      result_free (result);
    }
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      rapport_team_view_refresh (self);
    }
}

static gboolean
refresh_cb (gpointer user_data)
{
  RapportTeamView *self = user_data;

  self->refresh_id = 0;
  rapport_team_view_refresh (self);
  return G_SOURCE_REMOVE;
}

static gboolean
timer_cb (gpointer user_data)
{
  rapport_team_view_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

/* The trend: one figure a day ------------------------------------------------ */

static gpointer
record_thread (RapportStore *reader, gpointer data, GCancellable *cancellable, GError **error)
{
  gint64 *at = data;

  return rapport_store_record_backlog_day (reader, *at, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
record_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  rapport_reader_run_finish (result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not record the backlog of the day: %s", error->message);
}

static gboolean
record_cb (gpointer user_data)
{
  RapportTeamView *self = user_data;
  gint64 *at;

  if (self->store == NULL)
    return G_SOURCE_CONTINUE;
  at = g_new (gint64, 1);
  *at = rapport_store_now (self->store);
  if (*at - self->last_recorded < RECORD_EVERY)
    {
      g_free (at);
      return G_SOURCE_CONTINUE;
    }
  self->last_recorded = *at;
  rapport_reader_run_async (self->store, record_thread, at, g_free, NULL, self->cancellable,
                            record_done_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
first_record_cb (gpointer user_data)
{
  RapportTeamView *self = user_data;

  record_cb (self);
  self->record_id = g_timeout_add_seconds (RECORD_CHECK_SECONDS, record_cb, self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (RapportTeamView *self, const char *entity, const char *id, RapportStore *store)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (300, refresh_cb, self);
}

/* Actions -------------------------------------------------------------------- */

static void
open_figure_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportTeamView *self = RAPPORT_TEAM_VIEW (widget);
  const char *kind, *id, *label;
  guint figure;

  g_variant_get (param, "(&s&s&su)", &kind, &id, &label, &figure);
  if (figure >= RAPPORT_BACKLOG_N_FIGURES)
    return;
  if (g_str_equal (kind, "department"))
    rapport_team_view_open_figure (self, NULL, id, figure);
  else
    rapport_team_view_open_figure (self, g_str_equal (kind, "team") ? NULL : id, NULL, figure);
}

static void
chart_figure_cb (RapportTeamView *self, guint row, guint figure, RapportBacklogChart *chart)
{
  if (self->report == NULL || row >= self->report->rows->len)
    return;
  rapport_team_view_open_figure (self, ((RapportBacklogRow *) self->report->rows->pdata[row])->owner,
                                 NULL, figure);
}

static void
refresh_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rapport_team_view_refresh (RAPPORT_TEAM_VIEW (widget));
}

static void
csv_chosen_cb (GObject *owner, GFile *file)
{
  RapportTeamView *self = RAPPORT_TEAM_VIEW (owner);
  g_autoptr (GError) error = NULL;

  if (!rapport_team_view_export_csv (self, file, &error))
    toast (self, error->message);
  else
    toast (self, _("Backlog exported"));
}

typedef struct
{
  RapportTeamView *self;
  GFile *file;
} Export;

static gpointer
export_thread (RapportStore *reader, gpointer data, GCancellable *cancellable, GError **error)
{
  Query *query = data;

  return rapport_backlog_items_csv (reader, query->scope, RAPPORT_BACKLOG_N_FIGURES, query->at,
                                    error);
}

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Export *export = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = rapport_reader_run_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (csv == NULL || !rapport_backlog_save_text (export->file, csv, &error))
        toast (export->self, error->message);
      else
        toast (export->self, _("Items exported"));
    }
  g_object_unref (export->self);
  g_object_unref (export->file);
  g_free (export);
}

/* Every item of every figure: on the reader thread, it reads much. */
static void
items_chosen_cb (GObject *owner, GFile *file)
{
  RapportTeamView *self = RAPPORT_TEAM_VIEW (owner);
  Export *export;
  Query *query;

  if (self->report == NULL || self->store == NULL)
    return;
  query = g_new0 (Query, 1);
  query->scope = g_strdup (rapport_backlog_scope (self->store));
  query->at = self->report->at;
  export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->file = g_object_ref (file);
  toast (self, _("Exporting the items…"));
  rapport_reader_run_async (self->store, export_thread, query, query_free, g_free,
                            self->cancellable, export_done_cb, export);
}

static void
pdf_chosen_cb (GObject *owner, GFile *file)
{
  RapportTeamView *self = RAPPORT_TEAM_VIEW (owner);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    toast (self, _("Choose a folder on this computer for the PDF"));
  else if (!rapport_team_view_export_pdf (self, path, &error))
    toast (self, error->message);
  else
    toast (self, _("PDF saved"));
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportTeamView *self = RAPPORT_TEAM_VIEW (widget);
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *day = NULL;
  g_autofree char *file_name = NULL;

  if (self->report == NULL)
    return;
  now = g_date_time_new_from_unix_local (self->report->at);
  day = g_date_time_format (now, "%Y-%m-%d");
  if (g_str_equal (name, "team.export-csv"))
    {
      file_name = g_strdup_printf ("backlog-%s.csv", day);
      rapport_backlog_choose_file (parent_window (self), _("Export Backlog"), file_name,
                                   G_OBJECT (self), csv_chosen_cb);
    }
  else if (g_str_equal (name, "team.export-items"))
    {
      file_name = g_strdup_printf ("backlog-items-%s.csv", day);
      rapport_backlog_choose_file (parent_window (self), _("Export Backlog Items"), file_name,
                                   G_OBJECT (self), items_chosen_cb);
    }
  else
    {
      file_name = g_strdup_printf ("backlog-%s.pdf", day);
      rapport_backlog_choose_file (parent_window (self), _("Export Backlog as PDF"), file_name,
                                   G_OBJECT (self), pdf_chosen_cb);
    }
}

static void
print_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RapportTeamView *self = RAPPORT_TEAM_VIEW (widget);
  g_autoptr (GError) error = NULL;

  if (self->report != NULL && !rapport_backlog_print (parent_window (self), self->report, NULL, &error))
    toast (self, error->message);
}

/* GObject -------------------------------------------------------------------- */

static void
rapport_team_view_map (GtkWidget *widget)
{
  RapportTeamView *self = RAPPORT_TEAM_VIEW (widget);

  GTK_WIDGET_CLASS (rapport_team_view_parent_class)->map (widget);
  if (self->timer_id == 0)
    self->timer_id = g_timeout_add_seconds (REFRESH_SECONDS, timer_cb, self);
  if (self->dirty && !self->loading)
    rapport_team_view_refresh (self);
}

static void
rapport_team_view_unmap (GtkWidget *widget)
{
  RapportTeamView *self = RAPPORT_TEAM_VIEW (widget);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  GTK_WIDGET_CLASS (rapport_team_view_parent_class)->unmap (widget);
}

static void
rapport_team_view_dispose (GObject *object)
{
  RapportTeamView *self = RAPPORT_TEAM_VIEW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->record_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), RAPPORT_TYPE_TEAM_VIEW);
  rapport_widget_unparent_children (GTK_WIDGET (self));
  G_OBJECT_CLASS (rapport_team_view_parent_class)->dispose (object);
}

static void
rapport_team_view_finalize (GObject *object)
{
  RapportTeamView *self = RAPPORT_TEAM_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, rapport_backlog_report_free);
  g_clear_pointer (&self->owner_trends, g_ptr_array_unref);
  G_OBJECT_CLASS (rapport_team_view_parent_class)->finalize (object);
}

static void
rapport_team_view_class_init (RapportTeamViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rapport_team_view_dispose;
  object_class->finalize = rapport_team_view_finalize;
  widget_class->map = rapport_team_view_map;
  widget_class->unmap = rapport_team_view_unmap;

  signals[REFRESHED] = g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (RAPPORT_TYPE_BACKLOG_CHART);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/rapport-team-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RapportTeamView, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RapportTeamView, window_title);
  gtk_widget_class_bind_template_child (widget_class, RapportTeamView, back_button);
  gtk_widget_class_bind_template_child (widget_class, RapportTeamView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RapportTeamView, scope_label);
  gtk_widget_class_bind_template_child (widget_class, RapportTeamView, chart);
  gtk_widget_class_bind_template_child (widget_class, RapportTeamView, owner_table);
  gtk_widget_class_bind_template_child (widget_class, RapportTeamView, departments_heading);
  gtk_widget_class_bind_template_child (widget_class, RapportTeamView, departments_card);
  gtk_widget_class_bind_template_child (widget_class, RapportTeamView, department_table);

  gtk_widget_class_install_action (widget_class, "team.open-figure", "(sssu)", open_figure_action);
  gtk_widget_class_install_action (widget_class, "team.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "team.export-csv", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "team.export-items", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "team.export-pdf", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "team.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "team.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "team.print",
                                       NULL);
}

static void
rapport_team_view_init (RapportTeamView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->chart, "figure-activated", G_CALLBACK (chart_figure_cb), self,
                           G_CONNECT_SWAPPED);
}

/* Public API -------------------------------------------------------------------- */

void
rapport_team_view_set_store (RapportTeamView *self, RapportStore *store)
{
  g_return_if_fail (RAPPORT_IS_TEAM_VIEW (self));
  g_return_if_fail (store == NULL || RAPPORT_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  self->dirty = TRUE;
  g_clear_handle_id (&self->record_id, g_source_remove);
  if (store != NULL)
    self->record_id = g_timeout_add_seconds (RECORD_FIRST_SECONDS, first_record_cb, self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    rapport_team_view_refresh (self);
}

void
rapport_team_view_refresh (RapportTeamView *self)
{
  Query *query;

  g_return_if_fail (RAPPORT_IS_TEAM_VIEW (self));

  if (self->store == NULL)
    return;
  if (self->loading)
    {
      self->refresh_again = TRUE;
      return;
    }
  self->dirty = FALSE;
  query = g_new0 (Query, 1);
  query->scope = g_strdup (rapport_backlog_scope (self->store));
  query->at = rapport_store_now (self->store);
  query->record = self->last_recorded == 0 || query->at - self->last_recorded >= RECORD_EVERY;
  if (query->record)
    self->last_recorded = query->at;
  self->loading = TRUE;
  rapport_reader_run_async (self->store, query_thread, query, query_free, result_free,
                            self->cancellable, query_done_cb, g_object_ref (self));
}

void
rapport_team_view_set_folded (RapportTeamView *self, gboolean folded)
{
  g_return_if_fail (RAPPORT_IS_TEAM_VIEW (self));

  gtk_widget_set_visible (self->back_button, folded);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, folded);
}

GPtrArray *
rapport_team_view_get_rows (RapportTeamView *self)
{
  g_return_val_if_fail (RAPPORT_IS_TEAM_VIEW (self), NULL);
  return self->report ? self->report->rows : NULL;
}

GPtrArray *
rapport_team_view_get_departments (RapportTeamView *self)
{
  g_return_val_if_fail (RAPPORT_IS_TEAM_VIEW (self), NULL);
  return self->report ? self->report->departments : NULL;
}

RapportBacklogChart *
rapport_team_view_get_chart (RapportTeamView *self)
{
  g_return_val_if_fail (RAPPORT_IS_TEAM_VIEW (self), NULL);
  return self->chart;
}

/**
 * rapport_team_view_open_figure:
 * @owner: (nullable): a user id, "" for nobody, %NULL for the team
 * @department: (nullable): a department instead of an owner
 *
 * Returns: (transfer none) (nullable): the drill-down window, presented;
 *   %NULL for a department of others asked by staff.
 */
RapportBacklogDrilldown *
rapport_team_view_open_figure (RapportTeamView *self, const char *owner, const char *department,
                               RapportBacklogFigure figure)
{
  RapportBacklogDrilldown *drilldown;

  g_return_val_if_fail (RAPPORT_IS_TEAM_VIEW (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  /* Staff open their own figures only, and their own department's. */
  if (department == NULL && !rapport_backlog_may_see (self->store, owner))
    owner = rapport_backlog_scope (self->store);
  if (department != NULL && rapport_backlog_scope (self->store) != NULL)
    {
      g_autoptr (RapportUser) me = rapport_store_get_user (self->store,
                                                           rapport_backlog_scope (self->store));

      if (me == NULL || g_strcmp0 (me->department, department) != 0)
        return NULL;
    }
  drilldown = rapport_backlog_drilldown_new (parent_window (self), self->store, owner, department,
                                             figure);
  gtk_window_present (GTK_WINDOW (drilldown));
  return drilldown;
}

gboolean
rapport_team_view_export_pdf (RapportTeamView *self, const char *path, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_TEAM_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->report == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The backlog is still being computed. Try again in a moment"));
      return FALSE;
    }
  return rapport_backlog_print (parent_window (self), self->report, path, error);
}

gboolean
rapport_team_view_export_csv (RapportTeamView *self, GFile *file, GError **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (RAPPORT_IS_TEAM_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->report == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The backlog is still being computed. Try again in a moment"));
      return FALSE;
    }
  csv = rapport_backlog_csv (self->report->rows, self->report->departments);
  return rapport_backlog_save_text (file, csv, error);
}
