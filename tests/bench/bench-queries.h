/* bench-queries.h: the fixed list of 200 searches the benchmark times */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* Returns: (transfer full) (element-type utf8): 200 queries, always the
 * same: what people type into the search field, keystroke by keystroke. */
GPtrArray *rapport_bench_queries (void);
