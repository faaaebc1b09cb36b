/* rapport-bulk-sql.h: SQL pieces shared by the bulk writers (import, generation) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

char     *rapport_bulk_sql_rows    (const char *one_row_insert,
                                    guint       width,
                                    guint       rows,
                                    gboolean    or_ignore);

/* A full-text index's in-memory term buffer, raised for a burst of rows. */
typedef struct
{
  const char *table;
  gint64 size;        /* the index's own value before, or FTS5's default */
  gboolean had;       /* whether the index had a row for it */
  gboolean widened;
} RapportFtsBurst;

gboolean  rapport_fts_burst_begin  (RapportStore    *store,
                                    const char      *table,
                                    RapportFtsBurst *burst,
                                    GError         **error);
gboolean  rapport_fts_burst_end    (RapportStore    *store,
                                    RapportFtsBurst *burst,
                                    GError         **error);

G_END_DECLS
