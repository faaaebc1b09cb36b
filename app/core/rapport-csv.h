/* rapport-csv.h: CSV in (presets, mapping files, preview) and cells out */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-import.h"

G_BEGIN_DECLS

/* How the columns of a CSV file become contact fields.
 *
 * A mapping file is a key file: each line "column=field", where column is
 * a header name (any case) or a column number (1 = first), and field is one
 * of rapport_csv_field_names(), optionally with a label after a colon
 * ("phone:mobile", "email:work", "city:home"). An optional [options] group
 * holds "header=true|false", "delimiter=;" and "preset=google|outlook" (the
 * columns then extend that preset). Lines before any group are [columns]:
 *
 *   Full Name=name
 *   Company=organization
 *   Mobile=phone:mobile
 *   5=note
 */
typedef struct _RapportCsvMapping RapportCsvMapping;

#define RAPPORT_TYPE_CSV_MAPPING (rapport_csv_mapping_get_type ())
GType              rapport_csv_mapping_get_type     (void) G_GNUC_CONST;

/* Guesses each column from its header: common names in English, and the
 * Google and Outlook export formats, recognized by their headers. */
RapportCsvMapping *rapport_csv_mapping_new          (void);
/* "auto" (or %NULL), "google", "outlook", or the path of a mapping file. */
RapportCsvMapping *rapport_csv_mapping_load         (const char        *name_or_path,
                                                     GError           **error);
RapportCsvMapping *rapport_csv_mapping_ref          (RapportCsvMapping *mapping);
void               rapport_csv_mapping_unref        (RapportCsvMapping *mapping);
/* For the mapping dialog: @column is 1-based; @field as in a mapping file,
 * or "ignore". Returns %FALSE for an unknown field. */
gboolean           rapport_csv_mapping_set_column   (RapportCsvMapping *mapping,
                                                     guint              column,
                                                     const char        *field);
/* 1: the first row is a header; 0: it is data; -1: detect (default). */
void               rapport_csv_mapping_set_header   (RapportCsvMapping *mapping,
                                                     int                header);
const char *const *rapport_csv_field_names          (void);
/* "google", "outlook", or %NULL. */
const char        *rapport_csv_mapping_get_preset   (RapportCsvMapping *mapping);
/* The mapping file (the format above, which rapport_csv_mapping_load() and
 * `rapport-cli import --mapping FILE` read) for a file whose columns are
 * @header (%NULL: a file without a header row) or @n_columns numbered
 * columns: every column as @mapping reads it, by its header name when that
 * names it alone, else by its number. */
char              *rapport_csv_mapping_to_data      (RapportCsvMapping *mapping,
                                                     char             **header,
                                                     guint              n_columns);

typedef struct
{
  char *encoding;
  char delimiter;
  gboolean has_header;
  GPtrArray *columns;   /* (element-type utf8) header names, or "Column N" */
  GPtrArray *fields;    /* (element-type utf8) the field of each column, "" for none */
  GPtrArray *rows;      /* (element-type GStrv) the first data rows */
} RapportCsvPreview;

/* The first @max_rows data rows of raw file bytes, the columns found, and
 * what each would be imported as, for the column-mapping dialog. */
RapportCsvPreview *rapport_csv_preview              (const char        *data,
                                                     gsize              length,
                                                     RapportCsvMapping *mapping,
                                                     guint              max_rows,
                                                     GError           **error);
void               rapport_csv_preview_free         (RapportCsvPreview *preview);

/* Reads UTF-8 CSV @text and hands each row, as a contact, to @func.
 * Malformed rows (broken quotes, a wrong number of fields, nothing usable)
 * are skipped and added to @issues with their line. */
gboolean           rapport_csv_parse                (const char             *text,
                                                     gsize                   length,
                                                     RapportCsvMapping      *mapping,
                                                     RapportImportItemFunc   func,
                                                     gpointer                user_data,
                                                     GPtrArray              *issues,
                                                     GError                **error);

/* Appends one cell (RFC 4180): quoted when needed, and prefixed with a
 * single quote when it starts with = + - @ tab or CR (or with a single
 * quote and one of those), so a spreadsheet never runs it as a formula.
 * Import strips that quote again. */
void               rapport_csv_append_cell          (GString           *out,
                                                     const char        *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportCsvMapping, rapport_csv_mapping_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportCsvPreview, rapport_csv_preview_free)

G_END_DECLS
