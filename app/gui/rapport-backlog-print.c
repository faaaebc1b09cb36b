/* rapport-backlog-print.c: the team backlog on paper or in a PDF, and saving exports */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-backlog-print.h"

/* Page layout in points (the print context's unit). */
#define ROW_H 16.0
#define HEADER_H 30.0
#define TITLE_H 46.0
#define SECTION_H 30.0
#define TEXT_H 44.0
#define FOOTER_H 18.0
#define OWNER_SHARE 0.22   /* of the width, for the first column */
#define N_COLUMNS (1 + RAPPORT_BACKLOG_N_FIGURES + 1)

/* The report -------------------------------------------------------------------- */

/**
 * rapport_backlog_report_new:
 * @scope: (nullable): one owner, or %NULL for the team
 *
 * Returns: (transfer full): the report, or %NULL with @error set.
 */
RapportBacklogReport *
rapport_backlog_report_new (RapportStore *store, const char *scope, gint64 at, GError **error)
{
  g_autoptr (RapportBacklogReport) report = g_new0 (RapportBacklogReport, 1);

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  report->title = g_strdup (_("Team Backlog"));
  report->at = at;
  report->rows = rapport_store_backlog (store, scope, at, error);
  if (report->rows == NULL)
    return NULL;
  if (scope == NULL)
    {
      report->scope = g_strdup (_("Everyone"));
      report->departments = rapport_store_backlog_departments (store, NULL, at, error);
    }
  else
    {
      g_autoptr (RapportUser) user = rapport_store_get_user (store, scope);

      report->scope = g_strdup (report->rows->len > 0
                                  ? ((RapportBacklogRow *) report->rows->pdata[0])->owner_name
                                  : scope);
      report->departments = user && user->department
                              ? rapport_store_backlog_departments (store, user->department, at, error)
                              : g_ptr_array_new ();
    }
  if (report->departments == NULL)
    return NULL;
  report->trend = rapport_store_backlog_trend (store, scope, at, 56, error);
  if (report->trend == NULL)
    return NULL;
  return g_steal_pointer (&report);
}

void
rapport_backlog_report_free (RapportBacklogReport *report)
{
  if (report == NULL)
    return;
  g_free (report->title);
  g_free (report->scope);
  g_clear_pointer (&report->rows, g_ptr_array_unref);
  g_clear_pointer (&report->departments, g_ptr_array_unref);
  g_clear_pointer (&report->trend, g_array_unref);
  g_free (report);
}

/* Lines of the printout, laid out on pages in begin-print. */
typedef enum
{
  LINE_TABLE_HEADER,
  LINE_ROW,
  LINE_TOTAL,
  LINE_DEPARTMENTS,
  LINE_DEPARTMENT,
  LINE_TEXT,
} LineKind;

typedef struct
{
  LineKind kind;
  const RapportBacklogRow *row;
  char *text;
  guint page;
} Line;

typedef struct
{
  RapportBacklogReport *report;
  RapportBacklogRow total;
  GArray *lines;           /* (element-type Line) */
  guint n_pages;
} Job;

static void
line_clear (Line *line)
{
  g_free (line->text);
}

static void
job_free (Job *job)
{
  rapport_backlog_report_free (job->report);
  g_array_unref (job->lines);
  g_free (job);
}

static double
line_height (LineKind kind)
{
  switch (kind)
    {
    case LINE_TABLE_HEADER:
      return HEADER_H;
    case LINE_DEPARTMENTS:
      return SECTION_H + HEADER_H;
    case LINE_TEXT:
      return TEXT_H;
    case LINE_ROW:
    case LINE_TOTAL:
    case LINE_DEPARTMENT:
    default:
      return ROW_H;
    }
}

static void
add_line (Job *job, LineKind kind, const RapportBacklogRow *row, char *text)
{
  Line line = { kind, row, text, 0 };
  g_array_append_val (job->lines, line);
}

static char *
trend_words (GArray *trend)
{
  GString *text = g_string_new (_("Overdue follow-ups, week by week over the last 8 weeks:"));
  gboolean any = FALSE;

  for (guint end = (trend->len - 1) % 7; end < trend->len; end += 7)
    {
      gint64 value = -1;

      for (guint i = end >= 6 ? end - 6 : 0; i <= end; i++)
        if (g_array_index (trend, gint64, i) >= 0)
          value = g_array_index (trend, gint64, i);
      any = any || value >= 0;
      if (value >= 0)
        g_string_append_printf (text, " %" G_GINT64_FORMAT, value);
      else
        g_string_append (text, " –");
    }
  if (!any)
    {
      g_string_free (text, TRUE);
      return g_strdup (_("No trend recorded yet."));
    }
  return g_string_free (text, FALSE);
}

static void
build_lines (Job *job)
{
  RapportBacklogReport *report = job->report;

  add_line (job, LINE_TABLE_HEADER, NULL, NULL);
  for (guint i = 0; i < report->rows->len; i++)
    {
      add_line (job, LINE_ROW, report->rows->pdata[i], NULL);
      rapport_backlog_row_add (&job->total, report->rows->pdata[i]);
    }
  if (report->rows->len > 1)
    add_line (job, LINE_TOTAL, &job->total, NULL);
  if (report->departments != NULL && report->departments->len > 0)
    {
      add_line (job, LINE_DEPARTMENTS, NULL, NULL);
      for (guint i = 0; i < report->departments->len; i++)
        add_line (job, LINE_DEPARTMENT, report->departments->pdata[i], NULL);
    }
  if (report->trend != NULL && report->trend->len > 0)
    add_line (job, LINE_TEXT, NULL, trend_words (report->trend));
}

/* Drawing ------------------------------------------------------------------------ */

static void
show_text (GtkPrintContext *context, const char *text, double x, double y, double width,
           double size, gboolean bold, PangoAlignment align, gboolean wrap)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (layout, align);
  if (wrap)
    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  else
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
}

static void
column_bounds (GtkPrintContext *context, guint column, double *x, double *width)
{
  double page = gtk_print_context_get_width (context);
  double first = page * OWNER_SHARE;
  double rest = (page - first) / (N_COLUMNS - 1);

  *x = column == 0 ? 0 : first + rest * (column - 1);
  *width = column == 0 ? first : rest;
}

static void
draw_cells (GtkPrintContext *context, const char *const *cells, guint n, double y, double size,
            gboolean bold, gboolean wrap)
{
  for (guint c = 0; c < n; c++)
    {
      double x, width;

      column_bounds (context, c, &x, &width);
      show_text (context, cells[c] ? cells[c] : "", x + 3, y, width - 6, size, bold,
                 c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT, wrap);
    }
}

static void
draw_header (GtkPrintContext *context, double y, gboolean departments)
{
  const char *cells[N_COLUMNS] = { departments ? _("Department") : _("Owner") };

  for (guint f = 0; f < RAPPORT_BACKLOG_N_FIGURES; f++)
    cells[1 + f] = departments && f != RAPPORT_BACKLOG_PROMISES_AT_RISK
                       && f != RAPPORT_BACKLOG_PROMISES_BROKEN
                     ? ""
                     : rapport_backlog_figure_label (f);
  cells[N_COLUMNS - 1] = departments ? "" : _("Oldest complaint");
  draw_cells (context, cells, N_COLUMNS, y, 7.5, TRUE, TRUE);
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

static void
draw_row (GtkPrintContext *context, const Line *line, double y, gboolean shade)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  const RapportBacklogRow *row = line->row;
  char numbers[RAPPORT_BACKLOG_N_FIGURES][16];
  const char *cells[N_COLUMNS];
  g_autofree char *age = row->complaints_waiting > 0 ? format_age (row->oldest_complaint_age)
                                                     : NULL;
  gboolean department = line->kind == LINE_DEPARTMENT;

  if (shade)
    {
      cairo_set_source_rgb (cr, 0.94, 0.94, 0.94);
      cairo_rectangle (cr, 0, y - 2, gtk_print_context_get_width (context), ROW_H);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
    }
  cells[0] = line->kind == LINE_TOTAL ? _("Team") : row->owner_name;
  for (guint f = 0; f < RAPPORT_BACKLOG_N_FIGURES; f++)
    {
      g_snprintf (numbers[f], sizeof numbers[f], "%u", rapport_backlog_row_get (row, f));
      cells[1 + f] = department && f != RAPPORT_BACKLOG_PROMISES_AT_RISK
                         && f != RAPPORT_BACKLOG_PROMISES_BROKEN
                       ? ""
                       : numbers[f];
    }
  cells[N_COLUMNS - 1] = age;
  draw_cells (context, cells, N_COLUMNS, y, 9, line->kind == LINE_TOTAL, FALSE);
}

static double
draw_title (GtkPrintContext *context, RapportBacklogReport *report)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (report->at);
  g_autofree char *date = g_date_time_format (when, "%x %H:%M");
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", report->scope, date);
  double width = gtk_print_context_get_width (context);

  show_text (context, report->title, 0, 0, width, 16, TRUE, PANGO_ALIGN_LEFT, FALSE);
  show_text (context, subtitle, 0, 22, width, 9.5, FALSE, PANGO_ALIGN_LEFT, FALSE);
  return TITLE_H;
}

static void
begin_print_cb (GtkPrintOperation *operation, GtkPrintContext *context, Job *job)
{
  double usable = gtk_print_context_get_height (context) - FOOTER_H;
  double y = TITLE_H;
  guint page = 0;

  for (guint i = 0; i < job->lines->len; i++)
    {
      Line *line = &g_array_index (job->lines, Line, i);
      double h = line_height (line->kind);

      if (y + h > usable && y > TITLE_H + HEADER_H)
        {
          page++;
          y = HEADER_H;   /* each later page repeats the table header */
        }
      line->page = page;
      y += h;
    }
  job->n_pages = page + 1;
  gtk_print_operation_set_n_pages (operation, job->n_pages);
}

static void
draw_page_cb (GtkPrintOperation *operation, GtkPrintContext *context, int page_nr, Job *job)
{
  g_autofree char *footer = NULL;
  double y = 0;
  gboolean in_departments = FALSE;
  guint shade = 0;

  if (page_nr == 0)
    y = draw_title (context, job->report);
  for (guint i = 0; i < job->lines->len; i++)
    {
      Line *line = &g_array_index (job->lines, Line, i);

      if (line->kind == LINE_DEPARTMENTS)
        in_departments = TRUE;
      if ((int) line->page != page_nr)
        continue;
      if (page_nr > 0 && y == 0 && line->kind != LINE_TABLE_HEADER && line->kind != LINE_DEPARTMENTS)
        {
          draw_header (context, y, in_departments);
          y += HEADER_H;
        }
      switch (line->kind)
        {
        case LINE_TABLE_HEADER:
          draw_header (context, y, FALSE);
          break;
        case LINE_DEPARTMENTS:
          show_text (context, _("Promises a department must deliver"), 0, y + 8,
                     gtk_print_context_get_width (context), 11, TRUE, PANGO_ALIGN_LEFT, FALSE);
          draw_header (context, y + SECTION_H, TRUE);
          shade = 0;
          break;
        case LINE_TEXT:
          show_text (context, line->text, 0, y + 10, gtk_print_context_get_width (context), 9,
                     FALSE, PANGO_ALIGN_LEFT, TRUE);
          break;
        case LINE_ROW:
        case LINE_TOTAL:
        case LINE_DEPARTMENT:
        default:
          draw_row (context, line, y, shade++ % 2 == 1);
          break;
        }
      y += line_height (line->kind);
    }
  /* Translators: the footer of a printed page */
  footer = g_strdup_printf (_("Page %d of %u"), page_nr + 1, job->n_pages);
  show_text (context, footer, 0, gtk_print_context_get_height (context) - FOOTER_H + 4,
             gtk_print_context_get_width (context), 8, FALSE, PANGO_ALIGN_RIGHT, FALSE);
}

static RapportBacklogReport *
report_copy (RapportBacklogReport *report)
{
  RapportBacklogReport *copy = g_new0 (RapportBacklogReport, 1);

  copy->title = g_strdup (report->title);
  copy->scope = g_strdup (report->scope);
  copy->at = report->at;
  copy->rows = g_ptr_array_ref (report->rows);
  copy->departments = report->departments ? g_ptr_array_ref (report->departments) : NULL;
  copy->trend = report->trend ? g_array_ref (report->trend) : NULL;
  return copy;
}

/**
 * rapport_backlog_print:
 * @pdf_path: (nullable): export to this PDF file instead of printing
 *
 * Returns: %FALSE with @error set when printing or exporting failed.
 */
gboolean
rapport_backlog_print (GtkWindow *parent, RapportBacklogReport *report, const char *pdf_path,
                       GError **error)
{
  g_autoptr (GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) paper = gtk_paper_size_new (gtk_paper_size_get_default ());
  GtkPrintOperationResult result;
  Job *job = g_new0 (Job, 1);

  g_return_val_if_fail (report != NULL, FALSE);

  job->report = report_copy (report);
  job->lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_array_set_clear_func (job->lines, (GDestroyNotify) line_clear);
  build_lines (job);
  g_object_set_data_full (G_OBJECT (operation), "rapport-job", job, (GDestroyNotify) job_free);

  gtk_page_setup_set_paper_size_and_default_margins (setup, paper);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, report->title);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), job);

  if (pdf_path != NULL)
    {
      gtk_print_operation_set_export_filename (operation, pdf_path);
      result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, parent, error);
    }
  else
    result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent,
                                      error);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}

/* Saving ---------------------------------------------------------------------- */

static void
chooser_response_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  GObject *owner = g_object_get_data (G_OBJECT (dialog), "rapport-owner");
  RapportBacklogFileFunc func = (RapportBacklogFileFunc) user_data;

  if (response == GTK_RESPONSE_ACCEPT && owner != NULL)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      func (owner, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
rapport_backlog_choose_file (GtkWindow *parent, const char *title, const char *suggested_name,
                             GObject *owner, RapportBacklogFileFunc func)
{
  GtkFileChooserNative *chooser;

  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (func != NULL);

  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);
  g_object_set_data_full (G_OBJECT (chooser), "rapport-owner", g_object_ref (owner),
                          g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), func);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
rapport_backlog_save_text (GFile *file, const char *text, GError **error)
{
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!g_file_replace_contents (file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                NULL, error))
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_prefix_error (error, _("Could not save %s: "), name);
      return FALSE;
    }
  return TRUE;
}
