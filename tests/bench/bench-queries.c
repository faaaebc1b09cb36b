/* bench-queries.c: the fixed list of 200 searches the benchmark times */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-bench"

#include "config.h"

#include "bench-queries.h"

/* Words typed letter by letter: each prefix is a query ("m", "mü", ...). */
static const char *const typed[] = {
  "müller", "zoë", "kowalski", "garcía", "søren", "nordlicht", "invoice", "renewal",
  "schmidt", "dvořák", "o'brien", "lindqvist",
};

/* Whole words and phrases, by what they match. */
static const char *const whole[] = {
  /* names */
  "Zoë Müller", "anna", "Jürgen", "Łukasz Wiśniewski", "Ó Súilleabháin", "hämäläinen",
  "jose garcia", "CHLOE", "ingrid nyberg", "de vries", "van den berg", "Ayşe Yılmaz",
  "jovanović", "nikolic", "maria santos", "lucas silva", "Þór", "sigurdsdottir", "mikkel",
  "freja", "niamh murphy", "eoin", "mehmet kaya", "réka nagy", "gergo", "ana ferreira",
  /* organizations */
  "gmbh", "Nordlicht Logistik", "alpen", "S.p.A.", "sarl", "acme", "maschinenbau",
  "construcciones", "øresund", "vltava", "Balaton Analytics", "kft", "oy", "holding",
  /* emails */
  "info@", "orders@", "mail.example", "zoe.muller", "post.example", "kowalski",
  "correo", "inbox.example", "web.example", "gonzalez",
  /* phones, typed every way */
  "+49", "+44 20", "020 7", "0171", "+33 1", "01.", "(91)", "+46 8", "08-", "7946",
  "+34 91", "030", "4711", "+49 30", "0 20",
  /* tags */
  "vip", "key-account", "newsletter", "trade-fair", "berlin-expo", "churn-risk",
  "public-sector", "renewal-2026", "golf", "christmas-card",
  /* notes */
  "procurement", "warranty", "holidays", "headquarters", "competitor", "fiscal year",
  "trade fair", "price list", "site visit", "documentation",
  /* interaction summaries */
  "kestrel", "heron", "osprey pro", "spare parts", "delivered", "support case",
  "shipping damage", "tender", "certification", "catalogue", "pilot project",
  "framework agreement", "payment terms", "maintenance plan", "reference visit",
  "curlew", "budget 2026", "product demo", "annual review", "onboarding",
};

GPtrArray *
rapport_bench_queries (void)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (typed) && queries->len < 200; i++)
    {
      glong n = g_utf8_strlen (typed[i], -1);
      for (glong k = 1; k <= n && queries->len < 200; k++)
        g_ptr_array_add (queries, g_utf8_substring (typed[i], 0, k));
    }
  for (guint i = 0; queries->len < 200; i = (i + 1) % G_N_ELEMENTS (whole))
    g_ptr_array_add (queries, g_strdup (whole[i]));
  return queries;
}
