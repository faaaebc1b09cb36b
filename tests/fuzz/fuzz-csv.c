/* fuzz-csv.c: libFuzzer target for the CSV reader, its mappings and preview */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rapport-csv.h"
#include "fuzz-common.h"

/* Any input, read with every kind of mapping: no crash, no leak, no warning
 * (made fatal here), and a cell written out reads back as itself. */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static RapportCsvMapping *mappings[4];

static gboolean
item_cb (RapportImportItem *item, double fraction, gpointer user_data, GError **error)
{
  g_assert_nonnull (item->contact->name);
  g_assert_true (g_utf8_validate (item->contact->name, -1, NULL));
  g_assert_true (fraction >= 0.0 && fraction <= 1.0);
  return TRUE;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_common_init ();
  mappings[0] = rapport_csv_mapping_new ();
  mappings[1] = rapport_csv_mapping_load ("google", NULL);
  mappings[2] = rapport_csv_mapping_load ("outlook", NULL);
  mappings[3] = rapport_csv_mapping_new ();
  rapport_csv_mapping_set_header (mappings[3], 0);
  rapport_csv_mapping_set_column (mappings[3], 1, "name");
  rapport_csv_mapping_set_column (mappings[3], 2, "email:work");
  rapport_csv_mapping_set_column (mappings[3], 3, "phone");
  rapport_csv_mapping_set_column (mappings[3], 4, "tags");
  return 0;
}

static gboolean
name_cb (RapportImportItem *item, double fraction, gpointer user_data, GError **error)
{
  g_free (*(char **) user_data);
  *(char **) user_data = g_strdup (item->contact->name);
  return TRUE;
}

static void
check_cell_roundtrip (const char *text, gsize length)
{
  g_autoptr (GString) file = g_string_new ("name,email\n");
  g_autofree char *name = NULL;
  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
  g_autofree char *cell = g_strndup (text, MIN (length, 64));

  if (strpbrk (cell, "\r\n") != NULL || !g_utf8_validate (cell, -1, NULL))
    return;
  rapport_csv_append_cell (file, g_strstrip (cell));
  g_string_append (file, ",a@b.c\n");
  g_assert_true (rapport_csv_parse (file->str, file->len, mappings[0], name_cb, &name, issues, NULL));
  g_assert_cmpuint (issues->len, ==, 0);
  g_assert_cmpstr (name, ==, *cell ? cell : "a@b.c");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = NULL;
  const char *encoding = NULL;
  gsize length = 0;

  text = rapport_import_decode ((const char *) data, size, FALSE, &encoding, &length, NULL);
  if (text == NULL)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (mappings); i++)
    {
      g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
      g_autoptr (RapportCsvPreview) preview = NULL;

      rapport_csv_parse (text, length, mappings[i], item_cb, NULL, issues, NULL);
      preview = rapport_csv_preview ((const char *) data, size, mappings[i], 5, NULL);
      if (preview != NULL)
        g_assert_cmpuint (preview->columns->len, ==, preview->fields->len);
    }
  check_cell_roundtrip (text, length);
  return 0;
}
