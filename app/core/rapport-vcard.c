/* rapport-vcard.c: vCard 2.1, 3.0 and 4.0 in (libebook-contacts), vCard 4.0 out */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-ebook-private.h"
#include "rapport-import-private.h"
#include "rapport-vcard.h"

/* Files come from many programs, and libebook-contacts warns (fatally in
 * tests) about escapes, names and parameters it does not like. So each card
 * is first unfolded and rewritten here line by line into a form libebook
 * reads quietly: valid names and parameters, known escapes, UTF-8 text.
 * libebook then splits values, decodes quoted-printable and converts
 * charsets. Pictures and keys are dropped before it sees them. */

typedef struct
{
  const char *start;
  gsize len;
} Line;

static gboolean
line_is (const Line *line, const char *word)
{
  gsize n = strlen (word);
  gsize len = line->len;

  while (len > n && g_ascii_isspace (line->start[len - 1]))
    len--;
  return len == n && g_ascii_strncasecmp (line->start, word, n) == 0;
}

static GArray *
split_lines (const char *text, gsize length)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
  const char *p = text, *end = text + length;

  while (p < end)
    {
      const char *q = p;
      Line line;

      while (q < end && *q != '\n' && *q != '\r')
        q++;
      line.start = p;
      line.len = q - p;
      g_array_append_val (lines, line);
      if (q < end && *q == '\r' && q + 1 < end && q[1] == '\n')
        q++;
      p = q + 1;
    }
  return lines;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* Keeps only characters libebook accepts in a parameter value. */
static void
append_param_value (GString *out, const char *value, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = value[i];
      if (c != '"' && c != ';' && c != ':' && c != ',' && c != '=' && c >= 0x20 && c != 0x7f)
        g_string_append_c (out, c);
    }
}

/* Rewrites the parameters of one attribute. Returns the CHARSET value, if
 * any, and whether the value is quoted-printable. */
static void
rewrite_params (GString *out, const char *params, gsize len, gboolean drop_charset,
                char **charset, gboolean *qp)
{
  gsize i = 0;

  while (i < len)
    {
      gsize start = i, eq = 0;
      gboolean quoted = FALSE;
      gsize name_len;

      for (; i < len && (quoted || params[i] != ';'); i++)
        {
          if (params[i] == '"')
            quoted = !quoted;
          else if (params[i] == '=' && !quoted && eq == 0)
            eq = i;
        }
      if (eq == 0)
        {
          /* A naked parameter of vCard 2.1 (TYPE or ENCODING): letters only. */
          GString *naked = g_string_new (NULL);
          for (gsize j = start; j < i; j++)
            if (is_name_char (params[j]))
              g_string_append_c (naked, params[j]);
          if (g_ascii_strcasecmp (naked->str, "QUOTED-PRINTABLE") == 0)
            *qp = TRUE;
          /* Base64 is only for pictures and keys, which are not read. */
          if (naked->len > 0 && g_ascii_strcasecmp (naked->str, "BASE64") != 0)
            g_string_append_printf (out, ";%s", naked->str);
          g_string_free (naked, TRUE);
        }
      else
        {
          g_autoptr (GString) name = g_string_new (NULL);
          g_autoptr (GString) values = g_string_new (NULL);
          g_auto (GStrv) parts = NULL;
          g_autofree char *raw = g_strndup (params + eq + 1, i - eq - 1);

          for (gsize j = start; j < eq; j++)
            if (is_name_char (params[j]))
              g_string_append_c (name, params[j]);
          name_len = name->len;
          parts = g_strsplit (raw, ",", -1);
          for (guint k = 0; parts[k]; k++)
            {
              gsize before = values->len;
              char *v = g_strstrip (parts[k]);
              if (values->len > 0)
                g_string_append_c (values, ',');
              append_param_value (values, v, strlen (v));
              if (values->len == before + (before > 0 ? 1 : 0))
                g_string_truncate (values, before);
            }
          if (name_len > 0 && g_ascii_strcasecmp (name->str, "ENCODING") == 0)
            {
              /* libebook knows few encodings, and warns about the rest. */
              if (g_ascii_strcasecmp (values->str, "QUOTED-PRINTABLE") != 0)
                goto next;
              *qp = TRUE;
            }
          if (name_len > 0 && g_ascii_strcasecmp (name->str, "CHARSET") == 0)
            {
              /* One charset name: libebook takes the first value and
               * forgets the parameter, so a second would be misread. */
              gsize n = 0;
              while (n < values->len && is_name_char (values->str[n]))
                n++;
              g_string_truncate (values, n);
              g_free (*charset);
              *charset = g_strdup (values->str);
              if (drop_charset)
                goto next;
            }
          if (name_len > 0 && values->len > 0)
            g_string_append_printf (out, ";%s=%s", name->str, values->str);
        }
    next:
      i++;
    }
}

/* Escapes libebook knows are kept; a backslash before anything else is
 * dropped ("http\://" is how some programs write "http://"). */
static void
append_value (GString *out, const char *value, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (value[i] == '\\' && i + 1 < len)
        {
          if (strchr ("nNrR;,\\", value[i + 1]) != NULL)
            g_string_append_len (out, value + i, 2);
          else
            g_string_append_c (out, value[i + 1]);
          i++;
        }
      else if (value[i] == '\\')
        g_string_append (out, "\\\\");
      else
        g_string_append_c (out, value[i]);
    }
}

static const char *
find_colon (const char *s, gsize len)
{
  gboolean quoted = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '"')
        quoted = !quoted;
      else if (s[i] == ':' && !quoted)
        return s + i;
    }
  return NULL;
}

/* One logical (unfolded) line, rewritten into @out; nothing when the line
 * is not an attribute or is one we never read. */
static void
rewrite_attribute (GString *out, const char *text, gsize len)
{
  static const char *const dropped[] = { "PHOTO", "LOGO", "SOUND", "KEY", "BEGIN", "END", NULL };
  const char *colon = find_colon (text, len);
  const char *semi, *dot = NULL;
  g_autofree char *name = NULL;
  g_autofree char *charset = NULL;
  g_autofree char *value = NULL;
  g_autoptr (GString) params = g_string_new (NULL);
  gboolean qp = FALSE, raw_8bit;
  gsize head_len;

  if (colon == NULL)
    return;
  head_len = colon - text;
  semi = memchr (text, ';', head_len);
  if (semi == NULL)
    semi = colon;
  for (const char *p = text; p < semi; p++)
    {
      if (*p == '.' && dot == NULL && p > text)
        dot = p;
      else if (!is_name_char (*p))
        return;
    }
  if (semi == text || (dot != NULL && dot + 1 == semi))
    return;
  name = g_strndup (dot ? dot + 1 : text, semi - (dot ? dot + 1 : text));
  for (guint i = 0; dropped[i]; i++)
    if (g_ascii_strcasecmp (name, dropped[i]) == 0)
      return;
  if (g_ascii_strncasecmp (name, "X-MS-OL-DESIGN", 14) == 0)
    return;

  raw_8bit = !g_utf8_validate (colon + 1, len - head_len - 1, NULL);
  if (semi < colon)
    rewrite_params (params, semi + 1, colon - semi - 1, FALSE, &charset, &qp);
  if (raw_8bit && !qp)
    {
      /* libebook would mangle raw 8-bit text: convert it here. */
      g_string_truncate (params, 0);
      g_clear_pointer (&charset, g_free);
      if (semi < colon)
        rewrite_params (params, semi + 1, colon - semi - 1, TRUE, &charset, &qp);
      value = rapport_import_to_utf8 (colon + 1, len - head_len - 1, charset);
    }
  else
    value = g_strndup (colon + 1, len - head_len - 1);

  if (qp)
    {
      /* Only "=XX" escapes: a lone "=" at the end would join the next line. */
      GString *canonical = g_string_new (NULL);
      for (const char *v = value; *v; v++)
        {
          if (*v != '=')
            g_string_append_c (canonical, *v);
          else if (g_ascii_isxdigit (v[1]) && g_ascii_isxdigit (v[2]))
            {
              g_string_append_len (canonical, v, 3);
              v += 2;
            }
          else
            g_string_append (canonical, "=3D");
        }
      g_free (value);
      value = g_string_free (canonical, FALSE);
    }
  g_string_append_len (out, text, semi - text);
  g_string_append_len (out, params->str, params->len);
  g_string_append_c (out, ':');
  append_value (out, value, strlen (value));
  g_string_append (out, "\r\n");
}

static gboolean
head_is_qp (const char *text, gsize len)
{
  const char *colon = find_colon (text, len);
  g_autofree char *head = NULL;

  if (colon == NULL)
    return FALSE;
  head = g_ascii_strup (text, colon - text);
  return strstr (head, "QUOTED-PRINTABLE") != NULL;
}

/* Rewrites the lines of one card (between BEGIN and END) for libebook. */
static char *
rewrite_card (const Line *lines, guint n)
{
  GString *out = g_string_new ("BEGIN:VCARD\r\n");
  g_autoptr (GString) logical = g_string_new (NULL);
  guint i = 0;

  while (i < n)
    {
      const Line *line = &lines[i++];
      gboolean qp;

      if (line->len == 0 || line->start[0] == ' ' || line->start[0] == '\t')
        continue;
      g_string_assign (logical, "");
      g_string_append_len (logical, line->start, line->len);
      qp = head_is_qp (logical->str, logical->len);
      while (i < n)
        {
          const Line *next = &lines[i];

          if (qp && logical->len > 0 && logical->str[logical->len - 1] == '=')
            {
              /* Quoted-printable soft line break. */
              g_string_truncate (logical, logical->len - 1);
              g_string_append_len (logical, next->start, next->len);
            }
          else if (next->len > 0 && (next->start[0] == ' ' || next->start[0] == '\t'))
            g_string_append_len (logical, next->start + 1, next->len - 1);
          else
            break;
          i++;
        }
      rewrite_attribute (out, logical->str, logical->len);
    }
  g_string_append (out, "END:VCARD\r\n");
  return g_string_free (out, FALSE);
}

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
  lines = split_lines (text, length);
  for (guint i = 0; i < lines->len; i++)
    {
      const Line *line = &g_array_index (lines, Line, i);

      if (line_is (line, "BEGIN:VCARD"))
        {
          /* A card inside a card (vCard 2.1 AGENT) is skipped with it. */
          if (depth++ == 0)
            begin = i;
        }
      else if (line_is (line, "END:VCARD") && depth > 0 && --depth == 0)
        {
          g_autofree char *card = rewrite_card (&g_array_index (lines, Line, begin + 1), i - begin - 1);
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

/* Writing vCard 4.0 ------------------------------------------------------------ */

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
            if (is_name_char (*p))
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
