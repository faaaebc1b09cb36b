/* rapport-search-private.h: ranked search hits as row ids, for the list model */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-search.h"

G_BEGIN_DECLS

/* The most matches a search without a limit returns: enough for any list a
 * person scrolls, and it keeps every search fast. */
#define RAPPORT_SEARCH_MAX_RESULTS 5000

/* Notes and interaction summaries are searched for words of at least this
 * many characters; shorter prefixes match far too much text to mean much. */
#define RAPPORT_SEARCH_MIN_TEXT_TERM 3

/* Appends the contacts matching @query, best first, to @rowids (gint64
 * contact rowids) and, when not %NULL, their ids to @ids. @limit 0 means
 * RAPPORT_SEARCH_MAX_RESULTS. */
gboolean rapport_search_collect (RapportStore *self,
                                 const char   *query,
                                 guint         limit,
                                 GArray       *rowids,
                                 GPtrArray    *ids,
                                 GError      **error);

G_END_DECLS
