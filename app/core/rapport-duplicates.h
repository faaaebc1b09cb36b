/* rapport-duplicates.h: finding contacts that are likely the same person */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

/* Contacts not in the Trash, other than @contact itself, that share an email
 * (case folded), a phone number (by digits; the last nine digits match
 * national and international forms of one number) or a name within the same
 * organization with @contact. Email matches first, then phone, then name.
 *
 * Returns: (transfer container) (element-type utf8): contact ids, or %NULL
 *   with @error set. */
GPtrArray *rapport_store_find_duplicates (RapportStore   *store,
                                          RapportContact *contact,
                                          GError        **error);

G_END_DECLS
