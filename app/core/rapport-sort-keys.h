/* rapport-sort-keys.h: contacts' sort keys recomputed when their rule changes */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

/* The rule of rapport_index_sort_key() a store's keys were computed with,
 * kept in its meta table under "sort_key_rule" (no entry: the first rule,
 * g_str_to_ascii(), which turned "Þór" into "?or"). Bump it whenever
 * rapport_index_sort_key() changes. */
#define RAPPORT_SORT_KEY_RULE "2"

/* Called when a store is opened (rapport_store_open()): when its keys were
 * computed by another rule, recomputes, in one transaction, every
 * contact's sort key and its "name|organization" duplicate key
 * (contact_keys) that differ, then records the rule. Derived data only:
 * nothing is journaled or synced. Returns at once once done. */
gboolean rapport_sort_keys_refresh (RapportStore *store,
                                    GError      **error);

G_END_DECLS
