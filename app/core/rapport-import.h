/* rapport-import.h: bringing address books and spreadsheets into the store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-store.h"

G_BEGIN_DECLS

/* Files bigger than this are refused before they are read. */
#define RAPPORT_IMPORT_MAX_SIZE ((goffset) 200 * 1024 * 1024)

/* Called now and then with the fraction done, 0 to 1. */
typedef void (*RapportProgressFunc) (double fraction, gpointer user_data);

/* One record a parser found: a contact not yet saved, the notes that came
 * with it, and where it starts in the file (1-based line). */
typedef struct
{
  RapportContact *contact;
  GPtrArray *notes;          /* (element-type utf8) note bodies */
  guint line;
} RapportImportItem;

/* A record skipped, or a remark about the file (line 0). */
typedef struct
{
  guint line;
  char *reason;
} RapportImportIssue;

/* Parsers hand each record to such a function, with the fraction of the
 * input read so far. Return %FALSE with @error set to stop. The item is
 * only borrowed. */
typedef gboolean (*RapportImportItemFunc) (RapportImportItem *item,
                                           double             fraction,
                                           gpointer           user_data,
                                           GError           **error);

typedef enum
{
  RAPPORT_IMPORT_FORMAT_AUTO,   /* from the name and the content */
  RAPPORT_IMPORT_FORMAT_VCARD,
  RAPPORT_IMPORT_FORMAT_CSV,
} RapportImportFormat;

typedef struct _RapportCsvMapping RapportCsvMapping;

typedef struct
{
  RapportImportFormat format;
  RapportCsvMapping *csv_mapping;  /* CSV: the columns as chosen in a dialog; overrides @mapping */
  char *mapping;      /* CSV: "google", "outlook", a mapping file, or NULL to guess from the header */
  char *region;       /* two-letter region to read national phone numbers in; NULL: the locale's */
  char *source;       /* the "source" of created contacts; NULL: "import: FILE NAME" */
  goffset max_size;   /* 0: RAPPORT_IMPORT_MAX_SIZE */
} RapportImportOptions;

typedef struct
{
  char *format;       /* "vcard" or "csv" */
  char *encoding;     /* what the file was written in: "UTF-8", "UTF-16LE", "WINDOWS-1252", ... */
  guint records;      /* records read */
  guint created;      /* new contacts */
  guint merged;       /* records that matched a contact already in the store */
  guint skipped;      /* malformed records, each with an issue */
  guint notes;        /* notes added */
  GPtrArray *issues;  /* (element-type RapportImportIssue) in line order */
} RapportImportSummary;

RapportImportItem    *rapport_import_item_new          (guint line);
void                  rapport_import_item_free         (RapportImportItem *item);
RapportImportIssue   *rapport_import_issue_new         (guint line,
                                                        const char *reason);
void                  rapport_import_issue_free        (RapportImportIssue *issue);

RapportImportOptions *rapport_import_options_new       (void);
RapportImportOptions *rapport_import_options_copy      (const RapportImportOptions *options);
void                  rapport_import_options_free      (RapportImportOptions *options);

RapportImportSummary *rapport_import_summary_new       (void);
void                  rapport_import_summary_free      (RapportImportSummary *summary);
JsonNode             *rapport_import_summary_to_json   (const RapportImportSummary *summary);

char                 *rapport_import_decode            (const char  *data,
                                                        gsize        length,
                                                        gboolean     keep_8bit,
                                                        const char **encoding,
                                                        gsize       *out_length,
                                                        GError     **error);
char                 *rapport_import_default_region    (void);

RapportImportSummary *rapport_import_bytes             (RapportStore               *store,
                                                        GBytes                     *data,
                                                        const char                 *name,
                                                        const RapportImportOptions *options,
                                                        GCancellable               *cancellable,
                                                        RapportProgressFunc         progress,
                                                        gpointer                    progress_data,
                                                        GError                    **error);
RapportImportSummary *rapport_import_file              (RapportStore               *store,
                                                        GFile                      *file,
                                                        const RapportImportOptions *options,
                                                        GCancellable               *cancellable,
                                                        RapportProgressFunc         progress,
                                                        gpointer                    progress_data,
                                                        GError                    **error);
GBytes               *rapport_import_read_stream       (GInputStream               *stream,
                                                        GBytes                     *start,
                                                        const char                 *name,
                                                        goffset                     max_size,
                                                        GCancellable               *cancellable,
                                                        GError                    **error);
void                  rapport_import_file_async        (RapportStore               *store,
                                                        GFile                      *file,
                                                        GBytes                     *contents,
                                                        const RapportImportOptions *options,
                                                        GCancellable               *cancellable,
                                                        RapportProgressFunc         progress,
                                                        gpointer                    progress_data,
                                                        GAsyncReadyCallback         callback,
                                                        gpointer                    user_data);
RapportImportSummary *rapport_import_file_finish       (RapportStore               *store,
                                                        GAsyncResult               *result,
                                                        GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportImportItem, rapport_import_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportImportOptions, rapport_import_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportImportSummary, rapport_import_summary_free)

G_END_DECLS
