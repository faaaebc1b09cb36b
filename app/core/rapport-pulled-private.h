/* rapport-pulled-private.h: a pulled page as its reader leaves it for its writer */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "rapport-journal.h"

G_BEGIN_DECLS

/* A value an insert binds, taken out of a change's fields by the reader:
 * NULL, an integer, or text in the page's strings. */
typedef struct
{
  int type;                  /* SQLITE_NULL, SQLITE_INTEGER or SQLITE_TEXT */
  gint64 number;
  const char *text;
  int length;
} RapportPulledValue;

/* One change of the page. */
typedef struct
{
  gint64 pos;
  const char *entity;        /* (nullable) these in the page's strings */
  const char *record;
  const char *stamp;
  guint values;              /* an insert's: its entity's fields in order, in the page's values */
  const char *text;          /* (nullable) the change's text, once fetched */
  gboolean insert;           /* may be inserted, unless its record is found stored */
  RapportChange *change;     /* read with json-glib: the merge path's */
} RapportPulledRow;

struct _RapportPulledPage
{
  GBytes *text;              /* the page as received */
  GArray *rows;              /* RapportPulledRow, in page order (row i at position i) */
  GArray *values;            /* RapportPulledValue */
  GStringChunk *strings;
  char *latest;              /* the latest valid stamp */
};

/* rapport-journal-text.c: the entities a change may be inserted for */
const RapportEntity *rapport_pulled_insert_entity (const char *name);

/* rapport-pulled-read.c */
gboolean rapport_pulled_page_read_changes (RapportPulledPage *page,
                                           sqlite3           *db,
                                           GPtrArray         *rows,
                                           GError           **error);

G_END_DECLS
