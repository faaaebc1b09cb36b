/* rapport-backlog-chart.c: stacked bars of overdue follow-ups per owner, and their trend */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rapport-backlog-chart.h"

/* Geometry, in pixels. */
#define PAD 12
#define LEGEND_H 28
#define BAR_H 18
#define BAR_GAP 8
#define AXIS_H 22
#define SECTION_GAP 20
#define TITLE_H 26
#define TREND_H 120
#define X_LABELS_H 22
#define NUMBER_W 44
#define MAX_NAME_W 200
#define N_BUCKETS 3

typedef struct
{
  graphene_rect_t rect;
  guint row;
  RapportBacklogFigure figure;
} Segment;

struct _RapportBacklogChart
{
  GtkWidget parent_instance;

  GPtrArray *rows;        /* (element-type RapportBacklogRow) owned copies */
  GArray *trend;          /* (element-type gint64) */
  gint64 at;
  GArray *segments;       /* (element-type Segment): where each bar part was drawn */
  char *description;
};

G_DEFINE_FINAL_TYPE (RapportBacklogChart, rapport_backlog_chart, GTK_TYPE_WIDGET)

enum
{
  FIGURE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const RapportBacklogFigure buckets[N_BUCKETS] = {
  RAPPORT_BACKLOG_OVERDUE_1_7, RAPPORT_BACKLOG_OVERDUE_8_30, RAPPORT_BACKLOG_OVERDUE_31_PLUS,
};

/* GNOME palette: yellow, orange and red, darker on a light background and
 * lighter on a dark one, so each reads against the page; blue for the trend. */
static const char *const light_colors[] = { "#e5a50a", "#ff7800", "#c01c28", "#1c71d8" };
static const char *const dark_colors[] = { "#f8e45c", "#ffa348", "#f66151", "#99c1f1" };

/* Helpers ------------------------------------------------------------------ */

static GdkRGBA
palette (guint index)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA color;

  gdk_rgba_parse (&color, dark ? dark_colors[index] : light_colors[index]);
  return color;
}

static GdkRGBA
foreground (GtkWidget *widget, float alpha)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  color.alpha *= alpha;
  return color;
}

static guint
overdue (const RapportBacklogRow *row)
{
  return rapport_backlog_row_overdue (row);
}

/* A round number at or above @value for the end of an axis. */
static gint64
nice_max (gint64 value)
{
  gint64 step = 1;

  if (value <= 4)
    return 4;
  while (step * 10 < value)
    step *= 10;
  for (gint64 m = 1; m <= 10; m++)
    if (step * m >= value && (step * m) % 2 == 0)
      return step * m;
  return step * 10;
}

static void
draw_text (GtkWidget *widget, GtkSnapshot *snapshot, const char *text, float x, float y,
           float max_width, gboolean bold, const GdkRGBA *color, int *width_out)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y - height / 2.0f));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  if (width_out != NULL)
    *width_out = width;
  g_object_unref (layout);
}

static int
text_width (GtkWidget *widget, const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  g_object_unref (layout);
  return width;
}

static int
name_column_width (RapportBacklogChart *self)
{
  int widest = 0;

  for (guint i = 0; i < self->rows->len; i++)
    {
      const RapportBacklogRow *row = self->rows->pdata[i];
      widest = MAX (widest, text_width (GTK_WIDGET (self), row->owner_name ? row->owner_name : ""));
    }
  return MIN (widest + 12, MAX_NAME_W);
}

static int
bars_height (RapportBacklogChart *self)
{
  return (int) MAX (self->rows->len, 1) * (BAR_H + BAR_GAP);
}

/* Drawing -------------------------------------------------------------------- */

static float
draw_legend (RapportBacklogChart *self, GtkSnapshot *snapshot, float y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA fg = foreground (widget, 1);
  float x = PAD;

  for (guint b = 0; b < N_BUCKETS; b++)
    {
      GdkRGBA color = palette (b);
      int width;

      gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x, y + 8, 12, 12));
      draw_text (widget, snapshot, rapport_backlog_figure_label (buckets[b]), x + 18, y + 14, 0,
                 FALSE, &fg, &width);
      x += 18 + width + 24;
    }
  return y + LEGEND_H;
}

static float
draw_bars (RapportBacklogChart *self, GtkSnapshot *snapshot, float y, int width)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA fg = foreground (widget, 1);
  GdkRGBA grid = foreground (widget, 0.15f);
  GdkRGBA dim = foreground (widget, 0.65f);
  int name_w = name_column_width (self);
  float x0 = PAD + name_w;
  float span = MAX (width - x0 - PAD - NUMBER_W, 40);
  gint64 max = 0;

  for (guint i = 0; i < self->rows->len; i++)
    max = MAX (max, overdue (self->rows->pdata[i]));
  max = nice_max (max);

  /* Grid lines at 0, a half and the end of the axis, labelled below. */
  for (int k = 0; k <= 2; k++)
    {
      float gx = x0 + span * k / 2.0f;
      g_autofree char *label = g_strdup_printf ("%" G_GINT64_FORMAT, max * k / 2);

      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (gx, y, 1, bars_height (self)));
      draw_text (widget, snapshot, label, gx - text_width (widget, label) / 2.0f,
                 y + bars_height (self) + AXIS_H / 2.0f, 0, FALSE, &dim, NULL);
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      const RapportBacklogRow *row = self->rows->pdata[i];
      float by = y + i * (BAR_H + BAR_GAP) + BAR_GAP / 2.0f;
      float bx = x0;
      g_autofree char *total = g_strdup_printf ("%'u", overdue (row));
      gboolean team = row->owner == NULL;

      draw_text (widget, snapshot, row->owner_name ? row->owner_name : "", PAD,
                 by + BAR_H / 2.0f, name_w - 8, team, &fg, NULL);
      for (guint b = 0; b < N_BUCKETS; b++)
        {
          guint value = rapport_backlog_row_get (row, buckets[b]);
          float w = span * value / (float) max;
          GdkRGBA color = palette (b);
          Segment segment = { GRAPHENE_RECT_INIT (bx, by, w, BAR_H), i, buckets[b] };

          if (value == 0)
            continue;
          gtk_snapshot_append_color (snapshot, &color, &segment.rect);
          g_array_append_val (self->segments, segment);
          bx += w;
        }
      draw_text (widget, snapshot, total, bx + 6, by + BAR_H / 2.0f, 0, team, &fg, NULL);
    }
  return y + bars_height (self) + AXIS_H;
}

static gint64
trend_max (GArray *trend)
{
  gint64 max = 0;

  for (guint i = 0; i < trend->len; i++)
    max = MAX (max, g_array_index (trend, gint64, i));
  return max;
}

static void
draw_trend_line (RapportBacklogChart *self, GtkSnapshot *snapshot, const graphene_rect_t *plot,
                 gint64 max)
{
  GdkRGBA color = palette (3);
  graphene_rect_t area;
  cairo_t *cr;
  guint n = self->trend->len;
  gboolean first = TRUE;

  /* Room around the plot for the dots on its edges. */
  graphene_rect_inset_r (plot, -6, -6, &area);
  cr = gtk_snapshot_append_cairo (snapshot, &area);

  gdk_cairo_set_source_rgba (cr, &color);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < n; i++)
    {
      gint64 value = g_array_index (self->trend, gint64, i);
      double px = plot->origin.x + (n > 1 ? plot->size.width * i / (n - 1) : 0);
      double py = plot->origin.y + plot->size.height * (1 - value / (double) max);

      if (value < 0)
        continue;
      if (first)
        cairo_move_to (cr, px, py);
      else
        cairo_line_to (cr, px, py);
      first = FALSE;
    }
  cairo_stroke (cr);
  for (guint i = 0; i < n; i++)
    {
      gint64 value = g_array_index (self->trend, gint64, i);
      double px = plot->origin.x + (n > 1 ? plot->size.width * i / (n - 1) : 0);
      double py = plot->origin.y + plot->size.height * (1 - value / (double) max);

      if (value < 0)
        continue;
      cairo_arc (cr, px, py, i + 1 == n ? 4 : 2.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
}

static void
draw_trend (RapportBacklogChart *self, GtkSnapshot *snapshot, float y, int width)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA fg = foreground (widget, 1);
  GdkRGBA dim = foreground (widget, 0.65f);
  GdkRGBA grid = foreground (widget, 0.15f);
  g_autofree char *max_label = NULL;
  float x0, span;
  gint64 max;
  guint n = self->trend ? self->trend->len : 0;

  draw_text (widget, snapshot, _("Overdue follow-ups, last 8 weeks"), PAD, y + TITLE_H / 2.0f, 0,
             TRUE, &fg, NULL);
  y += TITLE_H;
  if (n == 0 || trend_max (self->trend) < 0)
    {
      draw_text (widget, snapshot,
                 _("No trend yet: Rapport records the backlog once a day while it runs"), PAD,
                 y + TREND_H / 2.0f, width - 2 * PAD, FALSE, &dim, NULL);
      return;
    }
  max = nice_max (trend_max (self->trend));
  max_label = g_strdup_printf ("%" G_GINT64_FORMAT, max);
  x0 = PAD + text_width (widget, max_label) + 8;
  span = MAX (width - x0 - PAD - 8, 40);

  for (int k = 0; k <= 2; k++)
    {
      float gy = y + TREND_H * (1 - k / 2.0f);
      g_autofree char *label = g_strdup_printf ("%" G_GINT64_FORMAT, max * k / 2);

      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (x0, gy, span, 1));
      draw_text (widget, snapshot, label, x0 - 8 - text_width (widget, label), gy, 0, FALSE, &dim,
                 NULL);
    }
  /* A label under each week, counted back from today. */
  for (guint i = n; i-- > 0;)
    {
      g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (self->at);
      g_autoptr (GDateTime) day = g_date_time_add_days (now, -(int) (n - 1 - i));
      g_autofree char *label = NULL;
      float lx = x0 + (n > 1 ? span * i / (n - 1) : 0);

      if ((n - 1 - i) % 7 != 0)
        continue;
      label = i + 1 == n ? g_strdup (_("Today")) : g_date_time_format (day, "%e %b");
      g_strstrip (label);
      lx = CLAMP (lx - text_width (widget, label) / 2.0f, x0 - 8,
                  width - PAD - text_width (widget, label));
      draw_text (widget, snapshot, label, lx, y + TREND_H + X_LABELS_H / 2.0f + 2, 0, FALSE, &dim,
                 NULL);
    }
  draw_trend_line (self, snapshot, &GRAPHENE_RECT_INIT (x0, y, span, TREND_H), max);
}

static void
rapport_backlog_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  RapportBacklogChart *self = RAPPORT_BACKLOG_CHART (widget);
  int width = gtk_widget_get_width (widget);
  float y = PAD;

  g_array_set_size (self->segments, 0);
  y = draw_legend (self, snapshot, y);
  if (self->rows->len == 0)
    {
      GdkRGBA dim = foreground (widget, 0.65f);
      draw_text (widget, snapshot, _("Nothing is overdue"), PAD, y + BAR_H / 2.0f, 0, FALSE, &dim,
                 NULL);
      y += bars_height (self) + AXIS_H;
    }
  else
    y = draw_bars (self, snapshot, y, width);
  draw_trend (self, snapshot, y + SECTION_GAP, width);
}

static void
rapport_backlog_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                               int *minimum, int *natural, int *minimum_baseline,
                               int *natural_baseline)
{
  RapportBacklogChart *self = RAPPORT_BACKLOG_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 280;
      *natural = 640;
    }
  else
    *minimum = *natural = PAD + LEGEND_H + bars_height (self) + AXIS_H + SECTION_GAP + TITLE_H
                          + TREND_H + X_LABELS_H + PAD;
}

/* The words ----------------------------------------------------------------- */

static void
append_trend_words (GString *text, GArray *trend)
{
  guint n = trend->len;
  gboolean any = FALSE;

  g_string_append (text, _("Overdue follow-ups of the team, week by week over the last 8 weeks:"));
  /* The last figure recorded in each week, oldest week first. */
  for (guint end = (n - 1) % 7; end < n; end += 7)
    {
      gint64 value = -1;

      for (guint i = end >= 6 ? end - 6 : 0; i <= end; i++)
        if (g_array_index (trend, gint64, i) >= 0)
          value = g_array_index (trend, gint64, i);
      if (value >= 0)
        g_string_append_printf (text, " %" G_GINT64_FORMAT, value);
      else
        g_string_append_printf (text, " %s", _("not recorded"));
      g_string_append_c (text, end + 1 == n ? '.' : ',');
      any = any || value >= 0;
    }
  if (!any)
    {
      g_string_truncate (text, 0);
      g_string_append (text, _("No trend recorded yet."));
    }
}

static void
update_description (RapportBacklogChart *self)
{
  GString *text = g_string_new (_("Overdue follow-ups per owner."));

  for (guint i = 0; i < self->rows->len; i++)
    {
      const RapportBacklogRow *row = self->rows->pdata[i];

      g_string_append_c (text, ' ');
      /* Translators: owner, total overdue, then overdue 1–7, 8–30 and 31+ days */
      g_string_append_printf (text, _("%s: %u overdue (%u for 1–7 days, %u for 8–30 days, "
                                      "%u for 31 days or more)."),
                              row->owner_name ? row->owner_name : "", overdue (row),
                              row->overdue_1_7, row->overdue_8_30, row->overdue_31_plus);
    }
  if (self->trend != NULL && self->trend->len > 0)
    {
      g_string_append_c (text, ' ');
      append_trend_words (text, self->trend);
    }
  g_free (self->description);
  self->description = g_string_free (text, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->description, -1);
}

/* Input --------------------------------------------------------------------- */

static void
released_cb (GtkGestureClick *gesture, int n_press, double x, double y, RapportBacklogChart *self)
{
  RapportBacklogFigure figure;
  guint row;

  if (rapport_backlog_chart_hit (self, x, y, &row, &figure))
    g_signal_emit (self, signals[FIGURE_ACTIVATED], 0, row, (guint) figure);
}

static gboolean
query_tooltip_cb (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  gpointer user_data)
{
  RapportBacklogChart *self = RAPPORT_BACKLOG_CHART (widget);
  RapportBacklogFigure figure;
  const RapportBacklogRow *row;
  g_autofree char *text = NULL;
  guint index;

  if (keyboard || !rapport_backlog_chart_hit (self, x, y, &index, &figure))
    return FALSE;
  row = self->rows->pdata[index];
  /* Translators: "Ana Pereira — Overdue 8–30 days: 4" */
  text = g_strdup_printf (_("%s — %s: %u"), row->owner_name ? row->owner_name : "",
                          rapport_backlog_figure_label (figure), rapport_backlog_row_get (row, figure));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* GObject ------------------------------------------------------------------- */

static void
rapport_backlog_chart_finalize (GObject *object)
{
  RapportBacklogChart *self = RAPPORT_BACKLOG_CHART (object);

  g_ptr_array_unref (self->rows);
  g_clear_pointer (&self->trend, g_array_unref);
  g_array_unref (self->segments);
  g_free (self->description);
  G_OBJECT_CLASS (rapport_backlog_chart_parent_class)->finalize (object);
}

static void
rapport_backlog_chart_class_init (RapportBacklogChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rapport_backlog_chart_finalize;
  widget_class->snapshot = rapport_backlog_chart_snapshot;
  widget_class->measure = rapport_backlog_chart_measure;

  signals[FIGURE_ACTIVATED] =
    g_signal_new ("figure-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "backlogchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
style_changed_cb (RapportBacklogChart *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
rapport_backlog_chart_init (RapportBacklogChart *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_backlog_row_free);
  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Backlog chart"), -1);
  update_description (self);
}

/* Public API ------------------------------------------------------------------ */

RapportBacklogChart *
rapport_backlog_chart_new (void)
{
  return g_object_new (RAPPORT_TYPE_BACKLOG_CHART, NULL);
}

void
rapport_backlog_chart_set_data (RapportBacklogChart *self, GPtrArray *rows, GArray *trend,
                                gint64 at)
{
  g_return_if_fail (RAPPORT_IS_BACKLOG_CHART (self));
  g_return_if_fail (rows != NULL);

  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (self->rows, rapport_backlog_row_copy (rows->pdata[i]));
  g_clear_pointer (&self->trend, g_array_unref);
  if (trend != NULL)
    self->trend = g_array_ref (trend);
  self->at = at;
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const char *
rapport_backlog_chart_get_description (RapportBacklogChart *self)
{
  g_return_val_if_fail (RAPPORT_IS_BACKLOG_CHART (self), NULL);
  return self->description;
}

gboolean
rapport_backlog_chart_hit (RapportBacklogChart *self, double x, double y, guint *row,
                           RapportBacklogFigure *figure)
{
  g_return_val_if_fail (RAPPORT_IS_BACKLOG_CHART (self), FALSE);

  for (guint i = 0; i < self->segments->len; i++)
    {
      Segment *segment = &g_array_index (self->segments, Segment, i);

      if (graphene_rect_contains_point (&segment->rect, &GRAPHENE_POINT_INIT (x, y)))
        {
          *row = segment->row;
          *figure = segment->figure;
          return TRUE;
        }
    }
  return FALSE;
}
