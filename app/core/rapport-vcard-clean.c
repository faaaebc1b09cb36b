/* rapport-vcard-clean.c: vCard lines rewritten into a form libebook-contacts reads quietly */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <string.h>

#include "rapport-import-private.h"
#include "rapport-vcard-private.h"

/* Files come from many programs, and libebook-contacts warns (fatally in
 * tests) about escapes, names and parameters it does not like. So each card
 * is first unfolded and rewritten here line by line into a form libebook
 * reads quietly: valid names and parameters, known escapes, UTF-8 text.
 * libebook then splits values, decodes quoted-printable and converts
 * charsets. Pictures and keys are dropped before it sees them. */

gboolean
rapport_vcard_line_is (const RapportVcardLine *line, const char *word)
{
  gsize n = strlen (word);
  gsize len = line->len;

  while (len > n && g_ascii_isspace (line->start[len - 1]))
    len--;
  return len == n && g_ascii_strncasecmp (line->start, word, n) == 0;
}

GArray *
rapport_vcard_split_lines (const char *text, gsize length)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (RapportVcardLine));
  const char *p = text, *end = text + length;

  while (p < end)
    {
      const char *q = p;
      RapportVcardLine line;

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

gboolean
rapport_vcard_is_name_char (char c)
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
            if (rapport_vcard_is_name_char (params[j]))
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
            if (rapport_vcard_is_name_char (params[j]))
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
              while (n < values->len && rapport_vcard_is_name_char (values->str[n]))
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
      else if (!rapport_vcard_is_name_char (*p))
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
char *
rapport_vcard_rewrite_card (const RapportVcardLine *lines, guint n)
{
  GString *out = g_string_new ("BEGIN:VCARD\r\n");
  g_autoptr (GString) logical = g_string_new (NULL);
  guint i = 0;

  while (i < n)
    {
      const RapportVcardLine *line = &lines[i++];
      gboolean qp;

      if (line->len == 0 || line->start[0] == ' ' || line->start[0] == '\t')
        continue;
      g_string_assign (logical, "");
      g_string_append_len (logical, line->start, line->len);
      qp = head_is_qp (logical->str, logical->len);
      while (i < n)
        {
          const RapportVcardLine *next = &lines[i];

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
