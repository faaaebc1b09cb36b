/* rapport-generate.h: the reference data sets of performance.md */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint users;           /* 20 */
  guint contacts;        /* 100,000 */
  guint interactions;    /* 1,000,000 over 5 years */
  guint notes;           /* 200,000 */
  guint open_reminders;  /* 50,000 */
  guint promises;        /* 5,000 */
  guint complaints;      /* 2,000 */
} RapportPreset;

/* "team-100k" or "team-10k" (one tenth); NULL for an unknown name. */
const RapportPreset *rapport_preset_lookup   (const char *name);

/* Fills @store deterministically from @seed: names with accents, 1 to 3
 * emails and phones, tags, owners among the users, interactions over the 5
 * years before @now. @progress (nullable) is called now and then with the
 * fraction done. */
gboolean             rapport_store_generate  (RapportStore        *store,
                                              const RapportPreset *preset,
                                              guint64              seed,
                                              gint64               now,
                                              void               (*progress) (double   fraction,
                                                                              gpointer user_data),
                                              gpointer             user_data,
                                              GError             **error);

G_END_DECLS
