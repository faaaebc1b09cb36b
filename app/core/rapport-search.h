/* rapport-search.h: full-text search over contacts and what is said about them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

/* Finds contacts (not in the Trash) whose name, organization, emails,
 * phones (by digits, however typed), tags, notes or interaction summaries
 * match every word of @query as a prefix, accents and case folded. Best
 * matches first: names that begin with the query, names, organizations,
 * other contact fields, then notes (the user's own private ones included)
 * and interaction summaries, each group by name. Notes and summaries are
 * searched for words of 3 letters or more, and only their most recent
 * matches. @limit 0 returns up to 5,000 contacts.
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
