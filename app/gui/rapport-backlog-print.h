/* rapport-backlog-print.h: the team backlog on paper or in a PDF, and saving exports */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-backlog-detail.h"

G_BEGIN_DECLS

/* What a printout shows: the title, when, the table of owners (with a team
 * total when there is more than one) and of departments. */
typedef struct
{
  char *title;              /* "Team Backlog" */
  char *scope;              /* "Everyone" or the one owner's name */
  gint64 at;
  GPtrArray *rows;          /* (element-type RapportBacklogRow) */
  GPtrArray *departments;   /* (element-type RapportBacklogRow) (nullable) */
  GArray *trend;            /* (element-type gint64) (nullable): the team per day */
} RapportBacklogReport;

RapportBacklogReport *rapport_backlog_report_new  (RapportStore         *store,
                                                   const char           *scope,
                                                   gint64                at,
                                                   GError              **error);
void                  rapport_backlog_report_free (RapportBacklogReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportBacklogReport, rapport_backlog_report_free)

/* With @pdf_path, writes the report to that PDF without asking (a
 * GtkPrintOperation exporting); else shows the print dialog over @parent
 * (which also offers "Print to File"). */
gboolean rapport_backlog_print (GtkWindow            *parent,
                                RapportBacklogReport *report,
                                const char           *pdf_path,
                                GError              **error);

/* Asks where to save (a save dialog over @parent proposing @suggested_name)
 * and calls @func with the chosen file while @owner lives. */
typedef void (*RapportBacklogFileFunc) (GObject *owner,
                                        GFile   *file);
void     rapport_backlog_choose_file (GtkWindow              *parent,
                                      const char             *title,
                                      const char             *suggested_name,
                                      GObject                *owner,
                                      RapportBacklogFileFunc  func);

/* Writes @text to @file, replacing it. */
gboolean rapport_backlog_save_text   (GFile                  *file,
                                      const char             *text,
                                      GError                **error);

G_END_DECLS
