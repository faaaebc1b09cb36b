/* rapport-id.c: identifiers of records and changes, and JSON text made fast */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>

#include "rapport-id.h"

/* Ids are UUIDs of version 7 (RFC 9562): 48 bits of Unix milliseconds, then
 * a 12-bit counter that keeps ids of one process in creation order within a
 * millisecond, then 62 random bits. Ids made one after the other sort one
 * after the other, so a table's primary-key B-tree grows at its end instead
 * of being written all over: that is what keeps inserting a million
 * interactions fast. The random bits keep ids of different desktops apart;
 * an id is a name, never a secret. */

static const char hex[] = "0123456789abcdef";

static void
put_hex (char *out, guint64 value, guint digits)
{
  for (guint i = 0; i < digits; i++)
    out[digits - 1 - i] = hex[(value >> (4 * i)) & 0xf];
}

/**
 * rapport_id_new:
 *
 * Returns: (transfer full): a new id, "xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx".
 */
char *
rapport_id_new (void)
{
  static GMutex lock;
  static guint64 last_ms;
  static guint counter;
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint64 random_bits = ((guint64) g_random_int () << 32) | g_random_int ();
  guint sequence;
  char *id = g_malloc (37);

  g_mutex_lock (&lock);
  if (ms > last_ms)
    {
      last_ms = ms;
      counter = g_random_int_range (0, 0x800);  /* room for 2,048 more ids this millisecond */
    }
  else if (++counter > 0xfff)
    {
      last_ms++;                                 /* borrow the next millisecond */
      counter = 0;
    }
  ms = last_ms;
  sequence = counter;
  g_mutex_unlock (&lock);

  put_hex (id, ms >> 16, 8);
  id[8] = '-';
  put_hex (id + 9, ms & 0xffff, 4);
  id[13] = '-';
  id[14] = '7';
  put_hex (id + 15, sequence, 3);
  id[18] = '-';
  put_hex (id + 19, 0x8000 | ((random_bits >> 48) & 0x3fff), 4);
  id[23] = '-';
  put_hex (id + 24, random_bits & G_GUINT64_CONSTANT (0xffffffffffff), 12);
  id[36] = '\0';
  return id;
}

/* json_to_string() makes and finalizes a JsonGenerator each call, which
 * costs more than the writing; one generator per thread is kept instead. */
static void
generator_free (gpointer generator)
{
  g_object_unref (generator);
}

static JsonGenerator *
thread_generator (void)
{
  static GPrivate key = G_PRIVATE_INIT (generator_free);
  JsonGenerator *generator = g_private_get (&key);

  if (generator == NULL)
    {
      generator = json_generator_new ();
      g_private_set (&key, generator);
    }
  return generator;
}

/**
 * rapport_json_node_to_text:
 *
 * Returns: (transfer full): @node as compact JSON text, as json_to_string()
 *   writes it.
 */
char *
rapport_json_node_to_text (JsonNode *node)
{
  JsonGenerator *generator;
  GString *text;

  g_return_val_if_fail (node != NULL, NULL);
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0)
    return g_strdup ("[]");
  generator = thread_generator ();
  text = g_string_sized_new (128);
  json_generator_set_root (generator, node);
  json_generator_to_gstring (generator, text);
  json_generator_set_root (generator, NULL);
  return g_string_free (text, FALSE);
}

char *
rapport_json_object_to_text (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return rapport_json_node_to_text (node);
}

char *
rapport_json_array_to_text (JsonArray *array)
{
  g_autoptr (JsonNode) node = json_node_init_array (json_node_alloc (), array);

  return rapport_json_node_to_text (node);
}
