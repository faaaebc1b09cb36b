/* rapport-import-dialog.h: importing a vCard or CSV file, with column mapping and progress */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-import.h"
#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_IMPORT_DIALOG (rapport_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RapportImportDialog, rapport_import_dialog, RAPPORT, IMPORT_DIALOG, AdwWindow)

RapportImportDialog        *rapport_import_dialog_new         (GtkWindow           *parent,
                                                               RapportStore        *store);
/* Asks for a file with the desktop's file chooser. */
void                        rapport_import_dialog_choose_file (RapportImportDialog *self);
/* Reads the start of @file in a thread, tells vCard from CSV and shows
 * the column-mapping page (CSV) or the confirmation page (vCard). */
void                        rapport_import_dialog_open_file   (RapportImportDialog *self,
                                                               GFile               *file);
/* "start", "loading", "csv", "vcard", "progress", "summary" or "error". */
const char                 *rapport_import_dialog_get_page    (RapportImportDialog *self);
/* Starts the import in a thread (dialog.save, Ctrl+Enter). Returns %FALSE, with a
 * message on the page, when there is nothing to import yet or no column
 * says who a row is. */
gboolean                    rapport_import_dialog_start       (RapportImportDialog *self);
/* Cancels a running import (import.cancel): the store is left unchanged. */
void                        rapport_import_dialog_cancel      (RapportImportDialog *self);
/* Saved mapping files (rapport-csv.h; the same files as `rapport-cli import
 * --mapping FILE`), for the CSV page's "Save Mapping…" and "Load Mapping…".
 * Saving writes what each column will become now; loading sets each column
 * as the file says. On failure the message is also shown on the page. */
gboolean                    rapport_import_dialog_save_mapping (RapportImportDialog *self,
                                                                GFile               *file,
                                                                GError             **error);
gboolean                    rapport_import_dialog_load_mapping (RapportImportDialog *self,
                                                                GFile               *file,
                                                                GError             **error);
/* (nullable): what the finished import did. */
const RapportImportSummary *rapport_import_dialog_get_summary (RapportImportDialog *self);

G_END_DECLS
