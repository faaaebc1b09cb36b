/* rapport-export-ui.h: the window's import, export, duplicates and data-rights actions */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-export.h"
#include "rapport-import-dialog.h"
#include "rapport-window.h"

G_BEGIN_DECLS

/* Installs window.import (Ctrl+I), window.export (Ctrl+Shift+E),
 * window.backup, window.restore, window.find-duplicates, window.export-record
 * and window.erase-contact. */
void              rapport_window_class_init_transfer_actions (GtkWidgetClass      *widget_class);
/* Opens @file in a new import dialog (vCard or CSV told apart by what it
 * holds), as files opened with Rapport or dropped on the window are. */
RapportImportDialog *rapport_window_import_file              (RapportWindow       *self,
                                                              GFile               *file);
/* Writes a backup of the store to @file in a thread (rapport-backup.h), and
 * says how it went in a toast: window.backup, after asking where. */
void              rapport_window_back_up_to                  (RapportWindow       *self,
                                                              GFile               *file);
/* Makes the window take files dropped on it, each imported as above. */
void              rapport_window_init_file_drop              (RapportWindow       *self);
/* Enables the actions about the contact shown. */
void              rapport_window_update_transfer_actions     (RapportWindow       *self);

/* The ids of the contacts the window lists now, in list order; %NULL when
 * the window shows no contact list (a queue such as Today). */
char            **rapport_window_dup_listed_ids              (RapportWindow       *self);

/* Asks how to export (format, everything or the current list), then where. */
AdwMessageDialog *rapport_window_ask_export                  (RapportWindow       *self);
/* Asks before erasing the contact shown; "erase" erases it. */
AdwMessageDialog *rapport_window_confirm_erase               (RapportWindow       *self);

/* Writes @contact_ids (or every contact not in the Trash when %NULL) to
 * @file, in a thread with its own connection to @store's file. A failed or
 * cancelled export leaves @file as it was. */
void              rapport_export_contacts_async              (RapportStore        *store,
                                                              RapportExportFormat  format,
                                                              const char *const   *contact_ids,
                                                              GFile               *file,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
/* Returns: the number of contacts written, or -1 with @error set. */
gint64            rapport_export_contacts_finish             (RapportStore        *store,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Everything held about a contact (a data-access request), as indented JSON. */
char             *rapport_export_record_text                 (RapportStore        *store,
                                                              const char          *contact_id,
                                                              gsize               *length,
                                                              GError             **error);

G_END_DECLS
