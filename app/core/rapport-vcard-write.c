/* rapport-vcard-write.c: a contact as one vCard 4.0 (RFC 6350) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include "rapport-vcard.h"
#include "rapport-vcard-private.h"

/* Escapes a text value (RFC 6350 3.4): backslash, comma, semicolon and
 * newline. */
static void
append_escaped (GString *out, const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '\\' || *p == ',' || *p == ';')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p != '\r')
        g_string_append_c (out, *p);
    }
}

/* Appends one content line, folded at 75 octets and never inside a UTF-8
 * character. */
static void
append_line (GString *card, const GString *line)
{
  const char *p = line->str, *end = line->str + line->len;
  gsize limit = 75;

  while ((gsize) (end - p) > limit)
    {
      const char *cut = p + limit;
      while (cut > p && ((guchar) *cut & 0xc0) == 0x80)
        cut--;
      g_string_append_len (card, p, cut - p);
      g_string_append (card, "\r\n ");
      p = cut;
      limit = 74;
    }
  g_string_append_len (card, p, end - p);
  g_string_append (card, "\r\n");
}

static void
add_text (GString *card, const char *name, const char *params, const char *value)
{
  g_autoptr (GString) line = NULL;

  if (value == NULL || *value == '\0')
    return;
  line = g_string_new (name);
  if (params != NULL)
    g_string_append (line, params);
  g_string_append_c (line, ':');
  append_escaped (line, value);
  append_line (card, line);
}

static const char *
type_param (const char *label, gboolean phone)
{
  static const char *const known[][2] = {
    { "work", ";TYPE=work" }, { "home", ";TYPE=home" }, { "mobile", ";TYPE=cell" },
    { "fax", ";TYPE=fax" }, { "pager", ";TYPE=pager" },
  };

  for (guint i = 0; label && i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (label, known[i][0]) && (phone || i < 2))
      return known[i][1];
  return "";
}

static void
add_labelled (GString *card, const char *name, JsonArray *array, gboolean phone)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *label = json_object_get_string_member_with_default (object, "label", NULL);
      g_autofree char *params = g_strconcat (type_param (label, phone), phone ? ";VALUE=text" : "", NULL);

      add_text (card, name, params, json_object_get_string_member_with_default (object, "value", NULL));
    }
}

static void
add_addresses (GString *card, JsonArray *addresses)
{
  static const char *const parts[] = { "street", "city", "region", "postcode", "country" };

  for (guint i = 0; addresses && i < json_array_get_length (addresses); i++)
    {
      JsonObject *address = json_array_get_object_element (addresses, i);
      const char *label = json_object_get_string_member_with_default (address, "label", NULL);
      g_autoptr (GString) line = g_string_new ("ADR");

      g_string_append_printf (line, "%s:;;", type_param (label, FALSE));
      for (guint j = 0; j < G_N_ELEMENTS (parts); j++)
        {
          if (j > 0)
            g_string_append_c (line, ';');
          append_escaped (line, json_object_get_string_member_with_default (address, parts[j], NULL));
        }
      append_line (card, line);
    }
}

static void
add_social_lines (GString *card, JsonArray *social)
{
  for (guint i = 0; social && i < json_array_get_length (social); i++)
    {
      JsonObject *object = json_array_get_object_element (social, i);
      const char *service = json_object_get_string_member_with_default (object, "service", "social");
      const char *handle = json_object_get_string_member_with_default (object, "handle", NULL);

      if (handle != NULL && strstr (handle, "://") != NULL)
        add_text (card, "URL", NULL, handle);
      else
        {
          g_autoptr (GString) type = g_string_new (";TYPE=");
          for (const char *p = service; *p; p++)
            if (rapport_vcard_is_name_char (*p))
              g_string_append_c (type, *p);
          add_text (card, "X-SOCIALPROFILE", type->len > 6 ? type->str : NULL, handle);
        }
    }
}

/**
 * rapport_vcard_from_contact:
 *
 * Returns: (transfer full): @contact as a vCard 4.0.
 */
char *
rapport_vcard_from_contact (RapportContact *contact, GPtrArray *notes)
{
  GString *card = g_string_new ("BEGIN:VCARD\r\nVERSION:4.0\r\n");
  const char *id = RAPPORT_RECORD (contact)->id;

  g_return_val_if_fail (RAPPORT_IS_CONTACT (contact), NULL);

  g_string_append (card, "PRODID:-//Rapport//Rapport " PACKAGE_VERSION "//EN\r\n");
  if (id != NULL)
    g_string_append_printf (card, "UID:urn:uuid:%s\r\n", id);
  if (g_strcmp0 (contact->kind, "organization") == 0)
    g_string_append (card, "KIND:org\r\n");
  {
    g_autoptr (GString) fn = g_string_new ("FN:");
    append_escaped (fn, contact->name ? contact->name : contact->organization);
    append_line (card, fn);
  }
  if (contact->given_name || contact->family_name)
    {
      g_autoptr (GString) n = g_string_new ("N:");
      append_escaped (n, contact->family_name);
      g_string_append_c (n, ';');
      append_escaped (n, contact->given_name);
      g_string_append (n, ";;;");
      append_line (card, n);
    }
  add_text (card, "ORG", NULL, contact->organization);
  add_text (card, "TITLE", NULL, contact->job_title);
  add_labelled (card, "EMAIL", contact->emails, FALSE);
  add_labelled (card, "TEL", contact->phones, TRUE);
  add_addresses (card, contact->addresses);
  if (contact->birthday != NULL)
    {
      g_autofree char *compact = g_strdup (contact->birthday);
      char *w = compact;
      /* 1980-03-22 -> 19800322, --03-22 -> --0322 */
      for (const char *r = contact->birthday; *r; r++)
        if (*r != '-' || r < contact->birthday + 2)
          *w++ = *r;
      *w = '\0';
      g_string_append_printf (card, "BDAY:%s\r\n", compact);
    }
  if (contact->tags != NULL && contact->tags[0] != NULL)
    {
      g_autoptr (GString) line = g_string_new ("CATEGORIES:");
      for (guint i = 0; contact->tags[i]; i++)
        {
          if (i > 0)
            g_string_append_c (line, ',');
          append_escaped (line, contact->tags[i]);
        }
      append_line (card, line);
    }
  add_social_lines (card, contact->social);
  for (guint i = 0; notes && i < notes->len; i++)
    add_text (card, "NOTE", NULL, RAPPORT_NOTE (notes->pdata[i])->body);
  g_string_append (card, "END:VCARD\r\n");
  return g_string_free (card, FALSE);
}
