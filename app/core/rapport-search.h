/* rapport-search.h: full-text search over contacts and what is said about them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

/* Finds contacts (not in the Trash) whose name, organization, emails,
 * phones (by digits, however typed), tags, notes or interaction summaries
 * match every word of @query as a prefix, accents and case folded. Best
 * matches first: name before organization before the rest.
 *
 * Returns: (transfer container) (element-type utf8): contact ids. */
GPtrArray *rapport_store_search       (RapportStore *self,
                                       const char   *query,
                                       guint         limit,
                                       GError      **error);

/* Turns what a person typed into an FTS5 query of quoted prefix terms, or
 * %NULL when it holds no searchable word. Exposed for the list model. */
char      *rapport_search_build_match (const char   *query);

G_END_DECLS
