/* test-json-text.c: JSON text written directly equals json-glib's */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rapport-id.h"
#include "rapport-json-text.h"
#include "rapport-records.h"

/* What json-glib writes for @node, compact. */
static char *
glib_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static char *
direct_text (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  rapport_json_text_append_node (out, node);
  return g_string_free (out, FALSE);
}

static void
assert_same (JsonNode *node)
{
  g_autofree char *expected = glib_text (node);
  g_autofree char *got = direct_text (node);

  g_assert_cmpstr (got, ==, expected);
}

/* Every byte from 1 to 255 alone, and tricky strings, as values and as
 * member names. */
static void
test_strings (void)
{
  static const char *const tricky[] = {
    "", "plain", "say \"hi\"", "back\\slash\\", "\\\"", "tab\there", "line\nbreak\r\n", "\b\f",
    "\x01\x02\x1e\x1f\x7f end", "Zoë Økland – 東京 😀", "/slash/", "\"", "{\"a\":[1]}",
  };

  for (int c = 1; c < 256; c++)
    {
      char s[4] = { 'a', (char) c, 'b', '\0' };
      g_autoptr (JsonNode) node = json_node_init_string (json_node_alloc (), s);

      assert_same (node);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tricky); i++)
    {
      g_autoptr (JsonNode) node = json_node_init_string (json_node_alloc (), tricky[i]);
      g_autoptr (JsonObject) object = json_object_new ();
      g_autoptr (JsonNode) wrapper = NULL;

      assert_same (node);
      json_object_set_string_member (object, tricky[i], tricky[G_N_ELEMENTS (tricky) - 1 - i]);
      wrapper = json_node_init_object (json_node_alloc (), object);
      assert_same (wrapper);
    }
}

/* Nested arrays and objects, empty ones, numbers, booleans and null. */
static void
test_nodes (void)
{
  static const char *const texts[] = {
    "[]", "{}", "[[],{},[{}]]", "null", "true", "false", "0", "-1", "9223372036854775807",
    "-9223372036854775808", "[{\"label\":\"work\",\"value\":\"a@b.org\",\"primary\":true}]",
    "{\"z\":1,\"a\":2,\"m\":[null,\"x\",false,-42]}", "[1.5,-0.25,1e300,3.0]",
    "{\"nested\":{\"deeper\":{\"list\":[[\"\\u0001\\\"\\\\\"]]}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = json_from_string (texts[i], &error);

      g_assert_no_error (error);
      assert_same (node);
    }
}

/* A whole record, as rapport_record_to_json() and the generator make it,
 * with the spans of its fields. */
static void
test_record (void)
{
  g_autoptr (RapportContact) contact = rapport_contact_new ();
  RapportRecord *record = RAPPORT_RECORD (contact);
  const RapportEntity *entity = rapport_record_get_entity (record);
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *expected = NULL;
  g_autofree guint *spans = g_new0 (guint, 2 * entity->n_fields);
  g_autoptr (GString) out = g_string_new (NULL);

  /* Empty: nulls, zeros, empty arrays. */
  fields = rapport_record_to_json (record);
  node = json_node_init_object (json_node_alloc (), fields);
  expected = rapport_json_node_to_text (node);
  rapport_json_text_append_record (out, record, NULL);
  g_assert_cmpstr (out->str, ==, expected);

  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&fields, json_object_unref);
  g_clear_pointer (&expected, g_free);
  g_string_truncate (out, 0);
  record->created_at = 1700000000;
  record->deleted = TRUE;
  contact->name = g_strdup ("Zoë \"Zed\" O\\Brien\n");
  contact->organization = g_strdup ("Müller & Søn\t");
  contact->tags = g_strdupv ((char *[]) { "vip", "a\"b", "", NULL });
  contact->cadence_days = -30;
  contact->do_not_contact = TRUE;
  rapport_contact_add_email (contact, "work", "zoe@example.org");
  rapport_contact_add_phone (contact, "mobile", "+44 20 7000 0001");
  fields = rapport_record_to_json (record);
  node = json_node_init_object (json_node_alloc (), fields);
  expected = rapport_json_node_to_text (node);
  rapport_json_text_append_record (out, record, spans);
  g_assert_cmpstr (out->str, ==, expected);

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const RapportField *field = &entity->fields[i];
      g_autoptr (JsonNode) value = NULL;
      g_autofree char *value_text = NULL;

      if (field->flags & RAPPORT_FIELD_DERIVED)
        continue;
      value = rapport_record_get_field_node (record, field);
      value_text = rapport_json_node_to_text (value);
      g_assert_cmpint (strlen (value_text), ==, spans[2 * i + 1]);
      g_assert_cmpint (strncmp (out->str + spans[2 * i], value_text, spans[2 * i + 1]), ==, 0);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-text/strings", test_strings);
  g_test_add_func ("/json-text/nodes", test_nodes);
  g_test_add_func ("/json-text/record", test_record);
  return g_test_run ();
}
