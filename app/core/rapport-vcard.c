/* rapport-vcard.c: vCard 2.1, 3.0 and 4.0 in, through libebook-contacts */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-ebook-private.h"
#include "rapport-import-private.h"
#include "rapport-vcard.h"
#include "rapport-vcard-private.h"

/* Reading attributes ------------------------------------------------------ */

/* All values joined with @sep: the text of a single-valued attribute that
 * libebook split at its semicolons. */
static char *
attr_text (EVCardAttribute *attr, const char *sep)
{
  g_autoptr (GString) text = g_string_new (NULL);
  GList *values = e_vcard_attribute_get_values (attr);

  for (GList *l = values; l; l = l->next)
    {
      if (l != values)
        g_string_append (text, sep);
      g_string_append (text, l->data ? (const char *) l->data : "");
    }
  return rapport_import_clean (text->str);
}

static char *
attr_part (EVCardAttribute *attr, guint index)
{
  return rapport_import_clean (g_list_nth_data (e_vcard_attribute_get_values (attr), index));
}

static gboolean
has_type (EVCardAttribute *attr, const char *type)
{
  return e_vcard_attribute_has_type (attr, type);
}

static const char *
basic_label (EVCardAttribute *attr)
{
  if (has_type (attr, "WORK"))
    return "work";
  if (has_type (attr, "HOME"))
    return "home";
  return "other";
}

static const char *
phone_label (EVCardAttribute *attr)
{
  if (has_type (attr, "FAX"))
    return "fax";
  if (has_type (attr, "CELL") || has_type (attr, "MOBILE"))
    return "mobile";
  if (has_type (attr, "PAGER"))
    return "pager";
  return basic_label (attr);
}

static char *
phone_value (EVCardAttribute *attr)
{
  g_autofree char *text = attr_text (attr, ";");
  g_auto (GStrv) parts = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  /* vCard 4.0: "tel:+1-418-656-9254;ext=102". */
  parts = g_strsplit (g_str_has_prefix (text, "tel:") ? text + 4 : text, ";", -1);
  /* Splitting an empty string gives no parts at all. */
  if (parts[0] == NULL)
    return NULL;
  out = g_string_new (parts[0]);
  for (guint i = 1; parts[i]; i++)
    if (g_str_has_prefix (parts[i], "ext="))
      g_string_append_printf (out, " ext. %s", parts[i] + 4);
  return g_string_free (out, FALSE);
}

static void
add_address (RapportContact *contact, EVCardAttribute *attr)
{
  static const char *const members[] = { NULL, NULL, "street", "city", "region", "postcode", "country" };
  g_autoptr (GString) street = g_string_new (NULL);
  JsonObject *address = json_object_new ();
  gboolean any = FALSE;

  /* ADR: post office box; extended address; street; locality; region;
   * postal code; country. */
  for (guint i = 2; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *part = attr_part (attr, i);
      if (i == 2)
        {
          g_autofree char *extended = attr_part (attr, 1);
          g_autofree char *box = attr_part (attr, 0);
          const char *lines[] = { part, extended, box };
          for (guint j = 0; j < 3; j++)
            if (lines[j] != NULL)
              g_string_append_printf (street, "%s%s", street->len ? "\n" : "", lines[j]);
          if (street->len > 0)
            json_object_set_string_member (address, "street", street->str);
          any |= street->len > 0;
        }
      else if (part != NULL)
        {
          json_object_set_string_member (address, members[i], part);
          any = TRUE;
        }
    }
  if (!any)
    {
      json_object_unref (address);
      return;
    }
  json_object_set_string_member (address, "label", basic_label (attr));
  if (contact->addresses == NULL)
    contact->addresses = json_array_new ();
  json_array_add_object_element (contact->addresses, address);
}

static void
add_tags (RapportContact *contact, EVCardAttribute *attr)
{
  for (GList *l = e_vcard_attribute_get_values (attr); l; l = l->next)
    {
      g_auto (GStrv) parts = g_strsplit (l->data ? l->data : "", ",", -1);
      for (guint i = 0; parts[i]; i++)
        rapport_import_add_tag (contact, parts[i]);
    }
}

static void
set_once (char **field, char *value)
{
  if (*field == NULL)
    *field = value;
  else
    g_free (value);
}

static const struct
{
  const char *attr;
  const char *service;
} im_attrs[] = {
  { "X-AIM", "aim" }, { "X-ICQ", "icq" }, { "X-JABBER", "jabber" }, { "X-SKYPE", "skype" },
  { "X-SKYPE-USERNAME", "skype" }, { "X-TWITTER", "twitter" }, { "X-LINKEDIN", "linkedin" },
  { "X-MS-IMADDRESS", "im" }, { "IMPP", "im" },
};

static void
read_attribute (RapportImportItem *item, EVCardAttribute *attr)
{
  RapportContact *c = item->contact;
  const char *name = e_vcard_attribute_get_name (attr);

  if (g_ascii_strcasecmp (name, "FN") == 0)
    set_once (&c->name, attr_text (attr, ";"));
  else if (g_ascii_strcasecmp (name, "N") == 0)
    {
      set_once (&c->family_name, attr_part (attr, 0));
      set_once (&c->given_name, attr_part (attr, 1));
    }
  else if (g_ascii_strcasecmp (name, "ORG") == 0)
    set_once (&c->organization, attr_part (attr, 0));
  else if (g_ascii_strcasecmp (name, "TITLE") == 0)
    set_once (&c->job_title, attr_text (attr, ";"));
  else if (g_ascii_strcasecmp (name, "KIND") == 0 || g_ascii_strcasecmp (name, "X-ABSHOWAS") == 0)
    {
      g_autofree char *kind = attr_text (attr, ";");
      if (kind && (g_ascii_strcasecmp (kind, "org") == 0 || g_ascii_strcasecmp (kind, "company") == 0))
        set_once (&c->kind, g_strdup ("organization"));
    }
  else if (g_ascii_strcasecmp (name, "EMAIL") == 0)
    {
      g_autofree char *email = attr_text (attr, ";");
      if (email && !rapport_import_array_has (c->emails, "value", email))
        rapport_contact_add_email (c, basic_label (attr), email);
    }
  else if (g_ascii_strcasecmp (name, "TEL") == 0)
    {
      g_autofree char *phone = phone_value (attr);
      if (phone && !rapport_import_array_has (c->phones, "value", phone))
        rapport_contact_add_phone (c, phone_label (attr), phone);
    }
  else if (g_ascii_strcasecmp (name, "ADR") == 0)
    add_address (c, attr);
  else if (g_ascii_strcasecmp (name, "BDAY") == 0)
    {
      g_autofree char *text = attr_text (attr, ";");
      set_once (&c->birthday, text ? rapport_import_parse_date (text) : NULL);
    }
  else if (g_ascii_strcasecmp (name, "NOTE") == 0)
    {
      char *note = attr_text (attr, ";");
      if (note != NULL)
        g_ptr_array_add (item->notes, note);
    }
  else if (g_ascii_strcasecmp (name, "URL") == 0)
    {
      g_autofree char *url = attr_text (attr, ";");
      if (url)
        rapport_import_add_social (c, rapport_import_url_service (url), url);
    }
  else if (g_ascii_strcasecmp (name, "X-SOCIALPROFILE") == 0)
    {
      g_autofree char *handle = attr_text (attr, ";");
      GList *types = e_vcard_attribute_get_param (attr, "TYPE");
      g_autofree char *service = g_ascii_strdown (types && types->data ? types->data : "social", -1);
      rapport_import_add_social (c, service, handle);
    }
  else if (g_ascii_strcasecmp (name, "CATEGORIES") == 0)
    add_tags (c, attr);
  else
    for (guint i = 0; i < G_N_ELEMENTS (im_attrs); i++)
      if (g_ascii_strcasecmp (name, im_attrs[i].attr) == 0)
        {
          g_autofree char *handle = attr_text (attr, ";");
          rapport_import_add_social (c, im_attrs[i].service, handle);
        }
}

/* Fills the name from what the card has when it has no FN. */
static void
complete_contact (RapportContact *c)
{
  if (c->name == NULL && (c->given_name || c->family_name))
    c->name = g_strstrip (g_strjoin (" ", c->given_name ? c->given_name : "",
                                     c->family_name ? c->family_name : "", NULL));
  rapport_import_finish_contact (c);
}

static RapportImportItem *
item_from_card (const char *card_text, guint line)
{
  g_autoptr (RapportImportItem) item = rapport_import_item_new (line);
  EVCard *card = e_vcard_new_from_string (card_text);

  for (GList *l = e_vcard_get_attributes (card); l; l = l->next)
    read_attribute (item, l->data);
  g_object_unref (card);
  complete_contact (item->contact);
  if (item->contact->name == NULL)
    return NULL;
  return g_steal_pointer (&item);
}

/**
 * rapport_vcard_sniff:
 *
 * Returns: whether @text starts (after a byte order mark and blank lines)
 *   with BEGIN:VCARD.
 */
gboolean
rapport_vcard_sniff (const char *text, gsize length)
{
  gsize i = 0;

  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (text[i]))
    i++;
  return length - i >= 11 && g_ascii_strncasecmp (text + i, "BEGIN:VCARD", 11) == 0;
}

gboolean
rapport_vcard_parse (const char *text, gsize length, RapportImportItemFunc func, gpointer user_data,
                     GPtrArray *issues, GError **error)
{
  g_autoptr (GArray) lines = NULL;
  guint cards = 0, begin = 0, depth = 0;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (func != NULL && issues != NULL, FALSE);

  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("This is not a vCard file: it holds binary data"));
      return FALSE;
    }
  lines = rapport_vcard_split_lines (text, length);
  for (guint i = 0; i < lines->len; i++)
    {
      const RapportVcardLine *line = &g_array_index (lines, RapportVcardLine, i);

      if (rapport_vcard_line_is (line, "BEGIN:VCARD"))
        {
          /* A card inside a card (vCard 2.1 AGENT) is skipped with it. */
          if (depth++ == 0)
            begin = i;
        }
      else if (rapport_vcard_line_is (line, "END:VCARD") && depth > 0 && --depth == 0)
        {
          g_autofree char *card = rapport_vcard_rewrite_card (&g_array_index (lines, RapportVcardLine, begin + 1),
                                                              i - begin - 1);
          g_autoptr (RapportImportItem) item = item_from_card (card, begin + 1);

          cards++;
          if (item == NULL)
            rapport_import_add_issue (issues, begin + 1, "%s",
                                      _("this vCard has no name, organization, email or phone"));
          else if (!func (item, (double) i / lines->len, user_data, error))
            return FALSE;
        }
    }
  if (depth > 0)
    {
      cards++;
      rapport_import_add_issue (issues, begin + 1, "%s",
                                _("this vCard has no END:VCARD line; the file may be cut short"));
    }
  if (cards == 0)
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("This file holds no vCard (no BEGIN:VCARD line)"));
      return FALSE;
    }
  return TRUE;
}
