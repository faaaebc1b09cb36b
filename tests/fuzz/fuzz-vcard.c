/* fuzz-vcard.c: libFuzzer target for the vCard reader (and writer) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rapport-vcard.h"
#include "fuzz-common.h"

/* Any input: no crash, no leak, and no warning from libebook-contacts
 * (warnings are made fatal here). Every card read is written back as
 * vCard 4.0, and that must read as exactly one card again. */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
count_cb (RapportImportItem *item, double fraction, gpointer user_data, GError **error)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static gboolean
item_cb (RapportImportItem *item, double fraction, gpointer user_data, GError **error)
{
  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
  g_autofree char *card = rapport_vcard_from_contact (item->contact, NULL);
  guint count = 0;

  g_assert_true (g_utf8_validate (item->contact->name, -1, NULL));
  g_assert_true (rapport_vcard_parse (card, strlen (card), count_cb, &count, issues, NULL));
  g_assert_cmpuint (count + issues->len, ==, 1);
  return TRUE;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_common_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
  g_autofree char *text = NULL;
  const char *encoding = NULL;
  gsize length = 0;

  rapport_vcard_parse ((const char *) data, size, item_cb, NULL, issues, NULL);
  text = rapport_import_decode ((const char *) data, size, TRUE, &encoding, &length, NULL);
  if (text != NULL)
    rapport_vcard_parse (text, length, item_cb, NULL, issues, NULL);
  return 0;
}
