/* rapport-team-view-table.c: the team view's tables of owners and departments */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-format.h"
#include "rapport-team-view-private.h"

/* Columns of the owner table: the owner, the eight figures, the oldest
 * complaint, the trend. Each figure is a button that opens its items
 * (team.open-figure). */
#define COL_FIGURES 1
#define COL_OLDEST (COL_FIGURES + RAPPORT_BACKLOG_N_FIGURES)
#define COL_TREND (COL_OLDEST + 1)


static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static GtkWidget *
cell_label (const char *text, float xalign, gboolean heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_start (label, 4);
  gtk_widget_set_margin_end (label, 4);
  if (heading)
    {
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_justify (GTK_LABEL (label), xalign > 0.5 ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
    }
  return label;
}

static const char *
figure_style (RapportBacklogFigure figure, guint value)
{
  if (value == 0)
    return NULL;
  switch (figure)
    {
    case RAPPORT_BACKLOG_OVERDUE_31_PLUS:
    case RAPPORT_BACKLOG_PROMISES_BROKEN:
      return "error";
    case RAPPORT_BACKLOG_OVERDUE_8_30:
    case RAPPORT_BACKLOG_PROMISES_AT_RISK:
    case RAPPORT_BACKLOG_COMPLAINTS_WAITING:
      return "warning";
    default:
      return NULL;
    }
}

/* A number of the table: a button that opens its items. @kind is "owner",
 * "team" or "department". */
static GtkWidget *
figure_button (const char *kind, const char *id, const char *name,
               const RapportBacklogRow *row, RapportBacklogFigure figure, gboolean bold)
{
  guint value = rapport_backlog_row_get (row, figure);
  g_autofree char *text = g_strdup_printf ("%'u", value);
  g_autofree char *accessible = NULL;
  GtkWidget *button = gtk_button_new_with_label (text);
  GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));
  const char *style = figure_style (figure, value);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  if (bold)
    gtk_widget_add_css_class (label, "heading");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  if (value == 0)
    gtk_widget_add_css_class (label, "dim-label");
  /* Translators: a cell of the backlog table: "Ana Pereira, Overdue 8–30 days: 4" */
  accessible = g_strdup_printf (_("%s, %s: %u"), name, rapport_backlog_figure_label (figure), value);
  rapport_set_accessible_label (button, accessible);
  gtk_widget_set_tooltip_text (button, accessible);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new ("(sssu)", kind, id ? id : "", name,
                                                         (guint) figure));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "team.open-figure");
  gtk_widget_set_sensitive (button, value > 0);
  g_object_set_data_full (G_OBJECT (button), "rapport-owner", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (button), "rapport-figure", GUINT_TO_POINTER (figure));
  return button;
}

static char *
format_age (gint64 seconds)
{
  if (seconds < 24 * 3600)
    /* Translators: an age in hours, e.g. "5 h" */
    return g_strdup_printf (_("%d h"), (int) (seconds / 3600));
  /* Translators: an age in days, e.g. "3 d" */
  return g_strdup_printf (_("%d d"), (int) (seconds / (24 * 3600)));
}

static GtkWidget *
trend_label (GArray *trend)
{
  gint64 first = -1, last = -1;
  guint recorded = 0;
  g_autofree char *text = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *label;

  for (guint i = 0; trend != NULL && i < trend->len; i++)
    {
      gint64 value = g_array_index (trend, gint64, i);
      if (value >= 0 && first < 0)
        first = value;
      if (value >= 0)
        last = value;
      recorded += value >= 0;
    }
  if (last < 0)
    {
      label = cell_label ("–", 1, FALSE);
      rapport_set_accessible_label (label, _("No trend recorded yet"));
      return label;
    }
  if (recorded == 1)
    {
      text = g_strdup_printf ("%" G_GINT64_FORMAT, last);
      label = cell_label (text, 1, FALSE);
      rapport_set_accessible_label (label, _("Only today’s figure is recorded yet"));
      gtk_widget_set_tooltip_text (label, _("Only today’s figure is recorded yet"));
      return label;
    }
  text = g_strdup_printf ("%" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT, first,
                          last > first ? "↗" : last < first ? "↘" : "→", last);
  /* Translators: the trend cell of an owner */
  accessible = g_strdup_printf (_("Overdue at the start of the last 8 weeks: %d, now: %d"),
                                (int) first, (int) last);
  label = cell_label (text, 1, FALSE);
  if (last > first)
    gtk_widget_add_css_class (label, "warning");
  else if (last < first)
    gtk_widget_add_css_class (label, "success");
  gtk_widget_set_tooltip_text (label, accessible);
  rapport_set_accessible_label (label, accessible);
  return label;
}

static void
add_owner_row (RapportTeamView *self, int y, const char *kind, const RapportBacklogRow *row,
               GArray *trend, gboolean bold)
{
  const char *name = row->owner_name ? row->owner_name : "";
  GtkWidget *label = cell_label (name, 0, FALSE);

  gtk_widget_set_hexpand (label, TRUE);
  if (bold)
    gtk_widget_add_css_class (label, "heading");
  gtk_grid_attach (self->owner_table, label, 0, y, 1, 1);
  for (guint f = 0; f < RAPPORT_BACKLOG_N_FIGURES; f++)
    gtk_grid_attach (self->owner_table, figure_button (kind, row->owner, name, row, f, bold),
                     COL_FIGURES + f, y, 1, 1);
  if (row->complaints_waiting > 0)
    {
      g_autofree char *age = format_age (row->oldest_complaint_age);
      gtk_grid_attach (self->owner_table, cell_label (age, 1, FALSE), COL_OLDEST, y, 1, 1);
    }
  if (trend != NULL || bold)
    gtk_grid_attach (self->owner_table, trend_label (trend), COL_TREND, y, 1, 1);
}

static void
fill_owner_table (RapportTeamView *self)
{
  GPtrArray *rows = self->report->rows;
  RapportBacklogRow total = { 0 };

  clear_grid (self->owner_table);
  gtk_grid_attach (self->owner_table, cell_label (_("Owner"), 0, TRUE), 0, 0, 1, 1);
  for (guint f = 0; f < RAPPORT_BACKLOG_N_FIGURES; f++)
    {
      GtkWidget *heading = cell_label (rapport_backlog_figure_short_label (f), 1, TRUE);
      gtk_widget_set_tooltip_text (heading, rapport_backlog_figure_label (f));
      gtk_grid_attach (self->owner_table, heading, COL_FIGURES + f, 0, 1, 1);
    }
  gtk_grid_attach (self->owner_table, cell_label (_("Oldest complaint"), 1, TRUE), COL_OLDEST, 0,
                   1, 1);
  gtk_grid_attach (self->owner_table, cell_label (_("8 weeks"), 1, TRUE), COL_TREND, 0, 1, 1);

  for (guint i = 0; i < rows->len; i++)
    {
      add_owner_row (self, (int) i + 1, "owner", rows->pdata[i], self->owner_trends->pdata[i],
                     FALSE);
      rapport_backlog_row_add (&total, rows->pdata[i]);
    }
  if (rows->len > 1)
    {
      total.owner_name = _("Team");
      add_owner_row (self, (int) rows->len + 1, "team", &total, self->report->trend, TRUE);
    }
}

static void
fill_department_table (RapportTeamView *self)
{
  GPtrArray *rows = self->report->departments;
  const RapportBacklogFigure figures[] = { RAPPORT_BACKLOG_PROMISES_AT_RISK,
                                           RAPPORT_BACKLOG_PROMISES_BROKEN };

  clear_grid (self->department_table);
  gtk_widget_set_visible (self->departments_heading, rows->len > 0);
  gtk_widget_set_visible (self->departments_card, rows->len > 0);
  if (rows->len == 0)
    return;
  gtk_grid_attach (self->department_table, cell_label (_("Department"), 0, TRUE), 0, 0, 1, 1);
  for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
    gtk_grid_attach (self->department_table,
                     cell_label (rapport_backlog_figure_label (figures[f]), 1, TRUE), 1 + f, 0, 1, 1);
  for (guint i = 0; i < rows->len; i++)
    {
      const RapportBacklogRow *row = rows->pdata[i];
      GtkWidget *name = cell_label (row->owner_name, 0, FALSE);

      gtk_widget_set_hexpand (name, TRUE);
      gtk_grid_attach (self->department_table, name, 0, (int) i + 1, 1, 1);
      for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
        gtk_grid_attach (self->department_table,
                         figure_button ("department", row->owner, row->owner_name, row,
                                        figures[f], FALSE),
                         1 + f, (int) i + 1, 1, 1);
    }
}

void
rapport_team_view_fill_tables (RapportTeamView *self)
{
  g_return_if_fail (RAPPORT_IS_TEAM_VIEW (self));
  g_return_if_fail (self->report != NULL);

  fill_owner_table (self);
  fill_department_table (self);
}
