/* test-id.c: record and change ids, and JSON text written by the store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rapport-id.h"

/* Ids are valid UUIDs of version 7, all different, and sort in the order
 * they were made (that keeps primary-key B-trees growing at their end). */
static void
test_ids_ordered_and_unique (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *previous = NULL;

  for (guint i = 0; i < 20000; i++)
    {
      char *id = rapport_id_new ();

      g_assert_true (g_uuid_string_is_valid (id));
      g_assert_cmpint (id[14], ==, '7');
      g_assert_true (strchr ("89ab", id[19]) != NULL);
      if (previous != NULL)
        g_assert_cmpstr (previous, <, id);
      g_assert_true (g_hash_table_add (seen, id));
      g_free (previous);
      previous = g_strdup (id);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 20000);
}

/* The time part is the wall clock in milliseconds. */
static void
test_id_time (void)
{
  gint64 before = g_get_real_time () / 1000;
  g_autofree char *id = rapport_id_new ();
  gint64 after = g_get_real_time () / 1000;
  g_autofree char *hex = g_strdup_printf ("%.8s%.4s", id, id + 9);
  gint64 ms = (gint64) g_ascii_strtoull (hex, NULL, 16);

  /* Borrowed milliseconds (over 2,048 ids in one) may run a little ahead. */
  g_assert_cmpint (ms, >=, before);
  g_assert_cmpint (ms, <=, after + 100);
}

/* Ids made on several threads at once are still all different. */
static gpointer
make_ids (gpointer data)
{
  GPtrArray *ids = data;

  for (guint i = 0; i < 5000; i++)
    g_ptr_array_add (ids, rapport_id_new ());
  return NULL;
}

static void
test_ids_threads (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *ids[4];
  GThread *threads[4];

  for (guint t = 0; t < 4; t++)
    {
      ids[t] = g_ptr_array_new_with_free_func (g_free);
      threads[t] = g_thread_new ("ids", make_ids, ids[t]);
    }
  for (guint t = 0; t < 4; t++)
    g_thread_join (threads[t]);
  for (guint t = 0; t < 4; t++)
    for (guint i = 0; i < ids[t]->len; i++)
      g_assert_true (g_hash_table_add (seen, ids[t]->pdata[i]));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 20000);
  for (guint t = 0; t < 4; t++)
    g_ptr_array_unref (ids[t]);
}

/* The store's JSON text is what json-glib writes, and stays so when the
 * one generator per thread is reused. */
static void
test_json_text (void)
{
  const char *samples[] = {
    "[]",
    "{}",
    "[{\"value\":\"zoë@example.com\",\"label\":\"work\"}]",
    "{\"name\":\"Ana \\\"the\\\" Silva\\n\",\"n\":42,\"ok\":true,\"none\":null,\"tags\":[\"a\",\"b\"]}",
    "[\"tab\\there\",\"\\u0001\"]",
  };

  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
      {
        g_autoptr (JsonNode) node = json_from_string (samples[i], NULL);
        g_autofree char *expected = json_to_string (node, FALSE);
        g_autofree char *text = rapport_json_node_to_text (node);

        g_assert_nonnull (node);
        g_assert_cmpstr (text, ==, expected);
      }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/id/ordered-and-unique", test_ids_ordered_and_unique);
  g_test_add_func ("/id/time", test_id_time);
  g_test_add_func ("/id/threads", test_ids_threads);
  g_test_add_func ("/id/json-text", test_json_text);
  return g_test_run ();
}
