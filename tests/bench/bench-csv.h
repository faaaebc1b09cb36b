/* bench-csv.h: the CSV rows the import benchmarks use, made deterministically */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* Row i has given[i % n], family[i % n] + " i", an email, a UK phone, one
 * of 5,000 companies, a city and a tag (bench-import's bare SQLite rows
 * are made from the same lists). */
extern const char *const rapport_bench_given[14];
extern const char *const rapport_bench_family[12];
extern const char *const rapport_bench_cities[7];
extern const char *const rapport_bench_tags[5];

GBytes *rapport_bench_csv (guint rows);
