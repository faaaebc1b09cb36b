/* rapport-search.c: full-text search over contacts and what is said about them */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-search"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-search-private.h"
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

/* Ranking -------------------------------------------------------------------
 *
 * Matches come in tiers, best first, each sorted by name:
 *   0. names that begin with what was typed ("zo" finds "Zoë Müller" first),
 *   1. contacts whose name has every word, 2. whose organization has,
 *   3. any other contact field, or words spread over several fields,
 *   4. notes the user may read, then 5. interaction summaries.
 * Tiers 1 to 3 come from the contacts' index, first with every word whole,
 * then, if the list is not full, with every word as a prefix.
 * Each pass takes at most a bounded number of index hits before sorting, so
 * a one-letter prefix over 100,000 contacts and a million summaries costs
 * about as much as a rare word. Notes and summaries are searched only for
 * words of RAPPORT_SEARCH_MIN_TEXT_TERM characters or more, and only their
 * most recent hits: they are where a word turns up everywhere. */

typedef struct
{
  RapportStore *store;
  GHashTable *seen;       /* contact rowids already collected */
  GArray *rowids;
  GPtrArray *ids;
  guint limit;
  guint cap;              /* index hits taken per tier */
} Collector;

static gboolean
collector_full (Collector *c)
{
  return g_hash_table_size (c->seen) >= c->limit;
}

/* Runs a tier's statement (?1 text, ?2 text, ?3 cap, ?4 me) and keeps the
 * contacts not seen yet. Columns: contact rowid, contact id. */
static gboolean
run_tier (Collector *c, const char *sql, const char *p1, const char *p2, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (c->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, p1, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_text (stmt, 2, p2, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    sqlite3_bind_int64 (stmt, 3, c->cap);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    sqlite3_bind_text (stmt, 4, rapport_store_get_me_id (c->store), -1, SQLITE_TRANSIENT);
  while (!collector_full (c) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      gint64 *key;

      if (g_hash_table_contains (c->seen, &rowid))
        continue;
      key = g_new (gint64, 1);
      *key = rowid;
      g_hash_table_add (c->seen, key);
      g_array_append_val (c->rowids, rowid);
      if (c->ids != NULL)
        g_ptr_array_add (c->ids, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (collector_full (c))
    rc = SQLITE_DONE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (c->store, error, N_("search"));
  return TRUE;
}

/* What was typed, folded like the contacts' sort keys, for tier 0. */
static char *
fold_query (const char *query)
{
  g_autofree char *folded = rapport_index_sort_key (query);
  g_auto (GStrv) words = g_strsplit_set (folded, " \t\n", -1);
  g_autoptr (GString) out = g_string_new (NULL);

  for (char **w = words; *w; w++)
    if (**w)
      g_string_append_printf (out, "%s%s", out->len ? " " : "", *w);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The words of @query as they are indexed: runs of letters and digits. */
static GPtrArray *
text_terms (const char *query)
{
  GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);
  GString *term = g_string_new (NULL);

  for (const char *p = query;; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (ch != 0 && (g_unichar_isalnum (ch) || g_unichar_ismark (ch)))
        g_string_append_unichar (term, ch);
      else if (term->len > 0)
        {
          g_ptr_array_add (terms, g_strdup (term->str));
          g_string_truncate (term, 0);
        }
      if (ch == 0)
        break;
    }
  g_string_free (term, TRUE);
  return terms;
}

static guint
shortest_term (GPtrArray *terms)
{
  guint shortest = G_MAXUINT;

  for (guint i = 0; i < terms->len; i++)
    shortest = MIN (shortest, (guint) g_utf8_strlen (terms->pdata[i], -1));
  return terms->len > 0 ? shortest : 0;
}

/* An FTS5 query for notes and summaries: the words typed before the last
 * are complete, so they match exactly; the last is a prefix unless
 * @last_exact. (An exact term is read lazily from the index; a prefix of
 * more than three letters, beyond the prefix indexes, is not.) */
static char *
text_match (GPtrArray *terms, gboolean last_exact)
{
  GString *match = g_string_new (NULL);

  for (guint i = 0; i < terms->len; i++)
    g_string_append_printf (match, "%s\"%s\"%s", i ? " " : "", (char *) terms->pdata[i],
                            i + 1 == terms->len && !last_exact ? "*" : "");
  return g_string_free (match, FALSE);
}

static gboolean
query_is_phone (const char *query)
{
  g_auto (GStrv) words = g_strsplit_set (query, " \t\n", -1);
  gboolean any = FALSE;

  for (char **w = words; *w; w++)
    if (**w)
      {
        if (!is_phone_like (*w))
          return FALSE;
        any = TRUE;
      }
  return any;
}

#define NOTES_TIER_SQL                                                                      \
  "SELECT c.rowid, c.id FROM (SELECT n.contact_id AS cid FROM notes_fts f"                  \
  "  JOIN notes n ON n.rowid = f.rowid WHERE notes_fts MATCH ?1"                            \
  "  AND n.deleted = 0 AND (n.private = 0 OR n.author IS ?4)"                               \
  "  ORDER BY f.rowid DESC LIMIT ?3) AS h"                                                  \
  " JOIN contacts c ON c.id = h.cid WHERE c.deleted = 0 ORDER BY c.sort_key"

#define INTERACTIONS_TIER_SQL                                                               \
  "SELECT c.rowid, c.id FROM (SELECT i.contact_id AS cid FROM interactions_fts f"           \
  "  JOIN interactions i ON i.rowid = f.rowid WHERE interactions_fts MATCH ?1"              \
  "  AND i.deleted = 0 ORDER BY f.rowid DESC LIMIT ?3) AS h"                                \
  " JOIN contacts c ON c.id = h.cid WHERE c.deleted = 0 ORDER BY c.sort_key"

#define FTS_TIER_SQL                                                                        \
  "SELECT c.rowid, c.id FROM (SELECT rowid AS r FROM contacts_fts WHERE contacts_fts MATCH ?1" \
  "  LIMIT ?3) AS h JOIN contacts c ON c.rowid = h.r WHERE c.deleted = 0 ORDER BY c.sort_key"

/* Tiers 1 to 3 of one pass: every word in the name, every word in the
 * organization, then anywhere. A column filter is answered from the
 * index's position lists; telling the column apart after the match
 * (highlight()) would read and split each hit's text again. */
static gboolean
run_contact_tiers (Collector *c, const char *match, GError **error)
{
  static const char *const columns[] = { "{name} : ", "{organization} : ", "" };

  for (guint i = 0; i < G_N_ELEMENTS (columns) && !collector_full (c); i++)
    {
      g_autofree char *in_column = g_strdup_printf ("%s(%s)", columns[i], match);

      if (!run_tier (c, FTS_TIER_SQL, in_column, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
rapport_search_collect (RapportStore *self, const char *query, guint limit, GArray *rowids,
                        GPtrArray *ids, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *match = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *folded_end = NULL;
  g_autoptr (GPtrArray) terms = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *prefix = NULL;
  gboolean long_last;
  Collector c = { self, seen, rowids, ids, 0, 0 };

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (rowids != NULL, FALSE);

  match = rapport_search_build_match (query);
  if (match == NULL)
    return TRUE;
  c.limit = limit == 0 ? RAPPORT_SEARCH_MAX_RESULTS : MIN (limit, RAPPORT_SEARCH_MAX_RESULTS);
  c.cap = CLAMP (c.limit * 3, 150, RAPPORT_SEARCH_MAX_RESULTS);
  folded = fold_query (query);
  /* Past every key that starts with @folded: no UTF-8 byte is 0xff. */
  folded_end = g_strconcat (folded, "\xff", NULL);

  if (query_is_phone (query))
    {
      /* Digits: a phone number, however it was typed. */
      g_autofree char *in_phones = g_strdup_printf ("{phones} : (%s)", match);
      return run_tier (&c, FTS_TIER_SQL, in_phones, NULL, error);
    }
  if (*folded != '\0'
      && !run_tier (&c,
                    "SELECT rowid, id FROM contacts WHERE deleted = 0 AND sort_key >= ?1"
                    " AND sort_key < ?2 ORDER BY sort_key LIMIT ?3",
                    folded, folded_end, error))
    return FALSE;
  terms = text_terms (query);
  exact = text_match (terms, TRUE);
  /* Whole words first, which the index answers lazily; then, if the list
   * is not full yet, every word as a prefix. */
  if ((*exact != '\0' && !run_contact_tiers (&c, exact, error)) || !run_contact_tiers (&c, match, error))
    return FALSE;
  if (shortest_term (terms) < RAPPORT_SEARCH_MIN_TEXT_TERM)
    return TRUE;
  prefix = text_match (terms, FALSE);
  /* A long last word: whole-word matches first, cheaply; its prefix only
   * when they do not fill the list. */
  long_last = g_utf8_strlen (g_ptr_array_index (terms, terms->len - 1), -1) > 3;
  if (long_last && !collector_full (&c) && !run_tier (&c, NOTES_TIER_SQL, exact, NULL, error))
    return FALSE;
  if (!collector_full (&c) && !run_tier (&c, NOTES_TIER_SQL, prefix, NULL, error))
    return FALSE;
  if (long_last && !collector_full (&c)
      && !run_tier (&c, INTERACTIONS_TIER_SQL, exact, NULL, error))
    return FALSE;
  if (!collector_full (&c) && !run_tier (&c, INTERACTIONS_TIER_SQL, prefix, NULL, error))
    return FALSE;
  return TRUE;
}

/**
 * rapport_store_search:
 * @limit: the most contacts to return; 0 for up to RAPPORT_SEARCH_MAX_RESULTS
 */
GPtrArray *
rapport_store_search (RapportStore *self, const char *query, guint limit, GError **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);

  if (!rapport_search_collect (self, query, limit, rowids, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}
