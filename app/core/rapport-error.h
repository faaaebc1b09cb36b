/* rapport-error.h: the error domain of the core */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RAPPORT_ERROR (rapport_error_quark ())

typedef enum
{
  RAPPORT_ERROR_FAILED,
  RAPPORT_ERROR_NOT_A_DATABASE,  /* the file is not a Rapport store */
  RAPPORT_ERROR_CORRUPT,         /* the store fails its integrity check */
  RAPPORT_ERROR_TOO_NEW,         /* written by a newer Rapport */
  RAPPORT_ERROR_NOT_FOUND,
  RAPPORT_ERROR_AMBIGUOUS,       /* a query matched more than one record */
  RAPPORT_ERROR_INVALID,         /* bad input: a field, a date, an option */
  RAPPORT_ERROR_BUSY,
  RAPPORT_ERROR_IO,
} RapportError;

GQuark rapport_error_quark (void);

G_END_DECLS
