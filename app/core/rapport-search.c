/* rapport-search.c: full-text search over contacts and what is said about them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>

#include "rapport-search.h"
#include "rapport-store-private.h"

static gboolean
is_phone_like (const char *word)
{
  guint digits = 0;

  for (const char *p = word; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (!strchr ("+-().", *p))
        return FALSE;
    }
  return digits > 0;
}

char *
rapport_search_build_match (const char *query)
{
  g_auto (GStrv) words = NULL;
  g_autoptr (GString) match = g_string_new (NULL);
  g_autoptr (GString) digits = g_string_new (NULL);
  gboolean all_phone = TRUE;

  if (query == NULL)
    return NULL;
  words = g_strsplit_set (query, " \t\n", -1);
  for (char **w = words; *w; w++)
    if (**w && !is_phone_like (*w))
      all_phone = FALSE;

  for (char **w = words; *w; w++)
    {
      g_autoptr (GString) term = g_string_new (NULL);

      if (**w == '\0')
        continue;
      if (all_phone)
        {
          for (const char *p = *w; *p; p++)
            if (g_ascii_isdigit (*p))
              g_string_append_c (digits, *p);
          continue;
        }
      /* Keep letters and digits; quote the rest away so FTS5 syntax in what
       * a person typed is never interpreted. */
      for (const char *p = *w; *p; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          if (g_unichar_isalnum (c) || g_unichar_ismark (c))
            g_string_append_unichar (term, c);
          else if (term->len > 0)
            {
              g_string_append_printf (match, "%s\"%s\"*", match->len ? " " : "", term->str);
              g_string_truncate (term, 0);
            }
        }
      if (term->len > 0)
        g_string_append_printf (match, "%s\"%s\"*", match->len ? " " : "", term->str);
    }
  if (all_phone && digits->len > 0)
    {
      /* Digits typed in groups match the whole number, or the groups as
       * they were written. */
      g_string_append_printf (match, "\"%s\"*", digits->str);
      if (g_strv_length (words) > 1)
        {
          g_string_prepend (match, "(");
          g_string_append (match, ") OR (");
          gboolean first = TRUE;
          for (char **w = words; *w; w++)
            {
              g_autofree char *d = rapport_phone_digits (*w);
              if (*d == '\0')
                continue;
              g_string_append_printf (match, "%s\"%s\"*", first ? "" : " ", d);
              first = FALSE;
            }
          g_string_append (match, ")");
        }
    }
  if (match->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&match), FALSE);
}

GPtrArray *
rapport_store_search (RapportStore *self, const char *query, guint limit, GError **error)
{
  g_autofree char *match = rapport_search_build_match (query);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  const char *me = rapport_store_get_me_id (self);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);

  if (match == NULL)
    return g_steal_pointer (&ids);

  stmt = rapport_store_prepare (
      self,
      "SELECT c.id FROM ("
      "  SELECT rowid AS crow, bm25 (contacts_fts, 10.0, 5.0, 3.0, 3.0, 2.0) AS r"
      "    FROM contacts_fts WHERE contacts_fts MATCH ?1"
      "  UNION ALL"
      "  SELECT c2.rowid, 1000.0 FROM notes_fts JOIN notes n ON n.rowid = notes_fts.rowid"
      "    JOIN contacts c2 ON c2.id = n.contact_id"
      "    WHERE notes_fts MATCH ?1 AND n.deleted = 0 AND (n.private = 0 OR n.author IS ?3)"
      "  UNION ALL"
      "  SELECT c3.rowid, 2000.0 FROM interactions_fts JOIN interactions i ON i.rowid = interactions_fts.rowid"
      "    JOIN contacts c3 ON c3.id = i.contact_id"
      "    WHERE interactions_fts MATCH ?1 AND i.deleted = 0"
      ") AS hits JOIN contacts c ON c.rowid = hits.crow WHERE c.deleted = 0"
      " GROUP BY c.rowid ORDER BY min (hits.r), c.sort_key LIMIT ?2",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit ? limit : G_MAXINT);
  sqlite3_bind_text (stmt, 3, me, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (self, error, "search");
      return NULL;
    }
  return g_steal_pointer (&ids);
}
