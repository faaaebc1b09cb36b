/* rapport-csv-private.h: column targets shared by the CSV reader and mappings */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-csv.h"

G_BEGIN_DECLS

typedef enum
{
  TARGET_NONE,
  TARGET_NAME,
  TARGET_GIVEN,
  TARGET_MIDDLE,
  TARGET_FAMILY,
  TARGET_PREFIX,
  TARGET_SUFFIX,
  TARGET_KIND,
  TARGET_ORGANIZATION,
  TARGET_JOB_TITLE,
  TARGET_EMAIL,
  TARGET_PHONE,
  TARGET_WEBSITE,
  TARGET_STREET,
  TARGET_STREET2,
  TARGET_POBOX,
  TARGET_CITY,
  TARGET_REGION,
  TARGET_POSTCODE,
  TARGET_COUNTRY,
  TARGET_ADDRESS,     /* a whole address in one cell */
  TARGET_BIRTHDAY,
  TARGET_NOTE,
  TARGET_TAGS,
  TARGET_RELATIONSHIP,
  TARGET_STAGE,
  TARGET_SOURCE,
  TARGET_DO_NOT_CONTACT,
  TARGET_MARKETING_CONSENT,
  TARGET_CADENCE,
  TARGET_LABEL,       /* the label of numbered group @group of @label_of (Google's "E-mail 1 - Label") */
} TargetKind;

typedef struct
{
  TargetKind kind;
  TargetKind label_of;  /* TARGET_EMAIL, _PHONE, _WEBSITE or _ADDRESS */
  guint group;          /* numbered groups of Google's format; 0 otherwise */
  char *label;          /* a fixed label ("work", "mobile"), or NULL */
} RapportCsvTarget;

void               rapport_csv_target_free        (RapportCsvTarget *target);
gboolean           rapport_csv_target_is_address  (TargetKind kind);
char              *rapport_csv_target_describe    (const RapportCsvTarget *target);

int                rapport_csv_mapping_get_header    (RapportCsvMapping *mapping);
char               rapport_csv_mapping_get_delimiter (RapportCsvMapping *mapping);
/* Whether @row looks like a header under @mapping. */
gboolean           rapport_csv_mapping_is_header  (RapportCsvMapping *mapping,
                                                   char             **row);
/* (element-type RapportCsvTarget): the target of each of @n_columns
 * columns, from the header row (or %NULL), and what the mapping says. */
GPtrArray         *rapport_csv_mapping_resolve    (RapportCsvMapping *mapping,
                                                   char             **header,
                                                   guint              n_columns);

G_END_DECLS
