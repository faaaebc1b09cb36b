/* rapport-key-rows.h: a contact's tags and duplicate keys, written in bulk */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store-private.h"

G_BEGIN_DECLS

/* One row of contact_tags (a = contact id, b = tag, c = NULL) or of
 * contact_keys (a = kind, b = value, c = contact id). Not owned. */
typedef struct
{
  const char *a;
  const char *b;
  const char *c;
} RapportKeyRow;

/* Steps @stmt once and resets it; an error names @what was being done. */
gboolean  rapport_store_step_done (RapportStore  *store,
                                   sqlite3_stmt  *stmt,
                                   const char    *what,
                                   GError       **error);

/* Writes @rows (element-type RapportKeyRow) through @sql, which takes the
 * tag row's two values or the key row's three as (contact_id, kind, value),
 * in key order, so the B-tree grows at its end instead of everywhere. Rows
 * of a contact in @skip (nullable: a set of ids) are left out. Empties @rows. */
gboolean  rapport_key_rows_write  (RapportStore  *store,
                                   GArray        *rows,
                                   const char    *sql,
                                   gboolean       three,
                                   GHashTable    *skip,
                                   GError       **error);

/* Sorts @rows in the order rapport_key_rows_write() writes them, which then
 * does not sort them again. */
void      rapport_key_rows_sort   (GArray        *rows);

G_END_DECLS
