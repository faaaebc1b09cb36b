/* test-common.h: a fresh store in a temporary folder, with a fixed clock */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

/* 2026-03-02T09:00:00Z, a Monday */
#define RAPPORT_TEST_NOW ((gint64) 1772442000)

typedef struct
{
  char *dir;
  char *path;
  RapportStore *store;
  gint64 now;
} RapportTestStore;

RapportTestStore *rapport_test_store_new  (void);
RapportTestStore *rapport_test_store_reopen (RapportTestStore *ts);
void              rapport_test_store_free (RapportTestStore *ts);
char             *rapport_test_tmpdir     (void);
char             *rapport_test_store_file_digest (RapportStore *store);

/* For rapport_test_feed_pipe(), in a thread of its own. */
typedef struct
{
  const char *path;
  guint rows;
} RapportTestFeeder;

gpointer          rapport_test_feed_pipe  (gpointer data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportTestStore, rapport_test_store_free)
