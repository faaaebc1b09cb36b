/* bench-csv.c: the CSV rows the import benchmarks use, made deterministically */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bench-csv.h"

const char *const rapport_bench_given[14] = { "Ada", "Zoë", "José", "Amélie", "Bjørn", "Chen", "Fatima",
                                              "Grace", "Hiro", "Ingrid", "Jürgen", "Kwame", "Léa", "Mateo" };
const char *const rapport_bench_family[12] = { "Lovelace", "Müller", "García", "Durand", "Økland", "Wei",
                                               "Haddad", "Hopper", "Tanaka", "Bergman", "Schmidt", "Mensah" };
const char *const rapport_bench_cities[7] = { "London", "Paris", "Berlin", "Madrid", "Oslo", "Lyon", "Leeds" };
const char *const rapport_bench_tags[5] = { "vip", "newsletter", "trade-fair", "partner", "wholesale" };

GBytes *
rapport_bench_csv (guint rows)
{
  GString *csv = g_string_sized_new ((gsize) rows * 160);

  g_string_append (csv, "First Name,Last Name,Email,Phone,Company,Job Title,City,Country,Tags\r\n");
  for (guint i = 0; i < rows; i++)
    g_string_append_printf (csv, "%s,%s %u,%s.%u@example%u.org,+44 20 %04u %04u,\"Company %u, Ltd\","
                                 "Buyer,%s,United Kingdom,%s\r\n",
                            rapport_bench_given[i % 14], rapport_bench_family[i % 12], i,
                            rapport_bench_given[i % 14], i, i % 97, 7000 + i / 10000, i % 10000,
                            i % 5000, rapport_bench_cities[i % 7], rapport_bench_tags[i % 5]);
  return g_string_free_to_bytes (csv);
}
