/* rapport-export.h: contacts out as vCard 4.0 or CSV, and one contact's whole record as JSON */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-import.h"

G_BEGIN_DECLS

typedef enum
{
  RAPPORT_EXPORT_VCARD,   /* vCard 4.0, with the shared notes of each contact */
  RAPPORT_EXPORT_CSV,     /* UTF-8 (with a byte order mark, for spreadsheets), RFC 4180 */
} RapportExportFormat;

/* Writes the contacts @contact_ids (in that order), or every contact not in
 * the Trash (by name) when %NULL, to @out. CSV cells that a spreadsheet
 * would run as a formula are written with a leading single quote.
 * Returns: the number of contacts written, or -1 with @error set. */
gint64      rapport_export_contacts        (RapportStore         *store,
                                            RapportExportFormat   format,
                                            const char *const    *contact_ids,
                                            GOutputStream        *out,
                                            GCancellable         *cancellable,
                                            RapportProgressFunc   progress,
                                            gpointer              progress_data,
                                            GError              **error);

/* The CSV columns, in order (the header row). */
const char *const *rapport_export_csv_columns (void);

/* Everything the store holds about one contact, for a data-access request:
 * the contact, every interaction, note (with its edit history), reminder
 * and promise about them, including those in the Trash and private notes,
 * and the conflicts recorded on any of them. Times are ISO 8601 in UTC.
 *
 * Returns: (transfer full): { "format": "rapport-contact-record/1",
 *   "exported_at", "contact", "interactions", "notes", "reminders",
 *   "promises", "conflicts" }. */
JsonNode   *rapport_export_contact_record  (RapportStore         *store,
                                            const char           *contact_id,
                                            GError              **error);

G_END_DECLS
