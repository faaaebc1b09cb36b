/* fuzz-pulled-page.c: libFuzzer target for the reader of pulled pages */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "rapport-pulled-private.h"
#include "fuzz-common.h"

/* A page of pulled changes is what a server sends: any bytes, read as a
 * page and as its envelope, must end in a page or an error, never a
 * crash, a warning (made fatal here) or an insert without its values. */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_common_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (RapportPulledPage) page = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *epoch = NULL;
  gint64 cursor = 0;
  gboolean more = FALSE;

  if (!rapport_page_read_envelope ((const char *) data, size, &epoch, &cursor, &more, NULL))
    g_assert_null (epoch);
  page = rapport_pulled_page_read (bytes, &error);
  if (page == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  for (guint i = 0; i < page->rows->len; i++)
    {
      RapportPulledRow *row = &g_array_index (page->rows, RapportPulledRow, i);
      const RapportEntity *entity;

      g_assert_cmpint (row->pos, ==, i);
      if (!row->insert)
        {
          g_assert_nonnull (row->change);
          continue;
        }
      entity = rapport_pulled_insert_entity (row->entity);
      g_assert_nonnull (entity);
      g_assert_nonnull (row->record);
      g_assert_nonnull (row->stamp);
      g_assert_cmpuint (row->values + entity->n_fields, <=, page->values->len);
    }
  return 0;
}
