/* rapport-import-dialog-private.h: what the import dialog's files share */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-csv.h"
#include "rapport-import-dialog.h"

G_BEGIN_DECLS

typedef enum
{
  RAPPORT_IMPORT_PRESET_AUTO,      /* guessed from the column names */
  RAPPORT_IMPORT_PRESET_GOOGLE,
  RAPPORT_IMPORT_PRESET_OUTLOOK,
  RAPPORT_IMPORT_PRESET_CUSTOM,    /* every column starts as "ignore" */
} RapportImportPreset;

struct _RapportImportDialog
{
  AdwWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkWidget *close_button;
  GtkWidget *import_button;
  GtkWidget *done_button;
  GtkStack *stack;
  GtkSpinner *loading_spinner;
  GtkLabel *error_label;
  AdwComboRow *preset_row;
  GtkSwitch *header_switch;
  GtkColumnView *preview_view;
  AdwPreferencesGroup *columns_group;
  AdwStatusPage *vcard_page;
  GtkProgressBar *progress_bar;
  GtkImage *summary_icon;
  GtkLabel *summary_title;
  GtkLabel *summary_description;
  GtkLabel *created_label;
  GtkLabel *merged_label;
  GtkLabel *skipped_label;
  GtkWidget *issues_group;
  GtkListBox *issues_list;
  AdwStatusPage *error_page;

  RapportStore *store;
  GtkNativeDialog *chooser;
  GCancellable *cancellable;     /* reading the file, then importing it */
  GFile *file;
  GBytes *contents;              /* all of a file that cannot be read twice (a pipe) */
  RapportImportFormat format;
  char *ready_page;              /* "csv" or "vcard": where a cancelled import returns */
  RapportImportSummary *summary;
  gboolean closed;

  /* The CSV mapping page (rapport-import-mapping.c) */
  GBytes *head;                  /* the first bytes of the file, whole lines */
  RapportCsvPreview *preview;
  RapportImportPreset preset;
  int header;                    /* -1: detect, 0: no header row, 1: header row */
  GPtrArray *choices;            /* (element-type utf8) per column: the field chosen
                                  * on the page, or NULL for the preset's */
  GPtrArray *column_rows;        /* the AdwComboRows in columns_group */
  GListStore *preview_rows;      /* GObjects with "cells": the first rows */
  gboolean updating;             /* widgets set by code, not by the person */
};

/* rapport-import-mapping.c */
void               rapport_import_mapping_init      (RapportImportDialog *self);
void               rapport_import_mapping_clear     (RapportImportDialog *self);
/* Reads the preview of self->head again with the chosen preset, header and
 * columns; FALSE with @error when the file cannot be read as CSV. */
gboolean           rapport_import_mapping_refresh   (RapportImportDialog *self,
                                                     GError             **error);
/* The mapping as chosen on the page, for the import. */
RapportCsvMapping *rapport_import_mapping_build     (RapportImportDialog *self);
/* Whether some column says who a row is (a name, organization, email or
 * phone). */
gboolean           rapport_import_mapping_is_usable (RapportImportDialog *self);
/* The translated label of a mapping field ("phone:mobile" -> "Phone (mobile)"). */
char              *rapport_import_field_label       (const char          *field);

G_END_DECLS
