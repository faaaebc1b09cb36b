/* rapport-import-private.h: helpers shared by the import codecs */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-import.h"

G_BEGIN_DECLS

/* @text (@len bytes, -1: NUL-terminated) as UTF-8: as is when valid, else
 * converted from @charset, Windows-1252 or ISO-8859-1. */
char       *rapport_import_to_utf8       (const char     *text,
                                          gssize          len,
                                          const char     *charset);
/* Whether @data, the start of a file, holds a zero byte where text would
 * not (UTF-16 has them in every other byte). */
gboolean    rapport_import_holds_binary  (const char     *data,
                                          gsize           length);
/* Valid UTF-8, trimmed; %NULL when nothing is left. */
char       *rapport_import_clean         (const char     *text);
/* Normalizes a birthday to YYYY-MM-DD or --MM-DD; %NULL if not a date. */
char       *rapport_import_parse_date    (const char     *text);
/* "linkedin", "twitter", ... or "website". */
const char *rapport_import_url_service   (const char     *url);
gboolean    rapport_import_array_has     (JsonArray      *array,
                                          const char     *member,
                                          const char     *value);
void        rapport_import_add_social    (RapportContact *contact,
                                          const char     *service,
                                          const char     *handle);
/* Adds a tag once; empty tags and Google's "My Contacts" are left out. */
void        rapport_import_add_tag       (RapportContact *contact,
                                          const char     *tag);

/* Completes what a record left out: a name from the organization, email
 * or phone; the kind (an organization when it is named after itself). */
void        rapport_import_finish_contact (RapportContact *contact);
void        rapport_import_add_issue     (GPtrArray      *issues,
                                          guint           line,
                                          const char     *format,
                                          ...) G_GNUC_PRINTF (3, 4);

/* Writing many new contacts fast (rapport-import-bulk.c). */
typedef struct _RapportBulkWriter RapportBulkWriter;
typedef struct _RapportBulkRow RapportBulkRow;

RapportBulkRow    *rapport_bulk_row_new       (RapportContact    *contact,
                                               const char        *source,
                                               const char        *me,
                                               gint64             now,
                                               GString           *scratch);
void               rapport_bulk_row_free      (RapportBulkRow    *row);
/* rapport_index_sort_key() of the contact's name. */
const char        *rapport_bulk_row_get_sort_key (RapportBulkRow  *row);

RapportBulkWriter *rapport_bulk_writer_new    (RapportStore      *store);
gboolean           rapport_bulk_writer_begin  (RapportBulkWriter *writer,
                                               guint              expected,
                                               GError           **error);
gboolean           rapport_bulk_writer_insert (RapportBulkWriter *writer,
                                               RapportContact    *contact,
                                               RapportBulkRow    *row,
                                               GError           **error);
gboolean           rapport_bulk_writer_flush  (RapportBulkWriter *writer,
                                               GError           **error);
void               rapport_bulk_writer_forget (RapportBulkWriter *writer,
                                               const char        *id);
/* On the parsing thread, for each row made, then once at the end. */
void               rapport_bulk_writer_collect (RapportBulkWriter *writer,
                                                RapportContact    *contact,
                                                RapportBulkRow    *row);
void               rapport_bulk_writer_sort   (RapportBulkWriter *writer);
void               rapport_bulk_writer_skip   (RapportBulkWriter *writer,
                                               RapportBulkRow    *row);
gboolean           rapport_bulk_writer_finish (RapportBulkWriter *writer,
                                               GError           **error);
void               rapport_bulk_writer_free   (RapportBulkWriter *writer);

/* Tests: write new contacts with rapport_store_save() instead of the bulk
 * path, to compare both. */
void        rapport_import_set_bulk_insert (gboolean      enabled);

G_END_DECLS
