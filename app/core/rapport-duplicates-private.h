/* rapport-duplicates-private.h: the duplicate rule's parts shared inside app/core */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-duplicates.h"

G_BEGIN_DECLS

/* rapport-duplicates.c: the keys a contact is looked up by, made on one
 * thread and looked up on another (an import). */
typedef struct _RapportDuplicateKeys RapportDuplicateKeys;

RapportDuplicateKeys *rapport_duplicate_finder_make_keys (RapportDuplicateFinder *finder,
                                                          RapportContact         *contact,
                                                          const char             *name_key);
void                  rapport_duplicate_keys_free        (RapportDuplicateKeys   *keys);
GPtrArray            *rapport_duplicate_finder_find_keys (RapportDuplicateFinder *finder,
                                                          RapportContact         *contact,
                                                          RapportDuplicateKeys   *keys,
                                                          GPtrArray             **reasons,
                                                          GError                **error);

/* rapport-phone-match.c */

/* The country calling code of @region ("GB": 44), 0 when unknown. */
int   rapport_phone_region_country_code (const char *region);
/* Adds to @keys (element-type utf8, owned) the digit strings under which
 * contact_keys may hold @phone read in @region, each once; none when it
 * has fewer than six digits. */
void  rapport_phone_keys_add            (GPtrArray  *keys,
                                         const char *phone,
                                         const char *region,
                                         int         region_cc);

G_END_DECLS
