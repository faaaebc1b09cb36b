/* rapport-duplicates-scan.c: Find duplicates over a whole store, from the indexed keys */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rapport-duplicates-private.h"
#include "rapport-store-private.h"

/* The rule of rapport-duplicates.h, asked of every contact at once. Emails
 * and names are read from contact_keys in the order of its index, where
 * contacts sharing a key are neighbours: one pass, no lookups. Phones are
 * compared as numbers, which their stored digits alone cannot tell, so the
 * live contacts' phones are read once, sorted by their digits in memory,
 * and each number's forms looked up there (as the finder looks them up in
 * contact_keys). Memory grows with the number of phones (a few MB for
 * 200,000), not with pairs of contacts. */

static const char keys_sql[] = "SELECT value, contact_id FROM contact_keys WHERE kind = ?1 "
                               "ORDER BY value, contact_id";
static const char count_keys_sql[] = "SELECT count(*) FROM contact_keys WHERE kind = ?1";
static const char phones_sql[] = "SELECT c.id, json_extract (p.value, '$.value') "
                                 "FROM contacts c, json_each (c.phones) p "
                                 "WHERE +c.deleted = 0 AND c.phones <> '[]'";
static const char count_live_sql[] = "SELECT count(*) FROM contacts WHERE deleted = 0";
static const char trash_sql[] = "SELECT id FROM contacts WHERE deleted = 1";

/* How often the scan looks at its cancellable and reports progress. */
#define CHECK_EVERY 4096

typedef struct
{
  RapportStore *store;
  const char *region;
  int region_cc;
  GCancellable *cancellable;
  RapportProgressFunc progress;
  RapportDuplicatePairFunc pair_func;
  gpointer user_data;

  GPtrArray *pairs;
  GHashTable *seen;          /* "first id|second id" */
  GHashTable *trash;         /* ids of contacts in the Trash */
  GStringChunk *strings;     /* ids and digits of the phone pass */

  double base;               /* progress: where this pass starts, and its share */
  double share;
  gint64 total;              /* rows this pass reads, about */
} Scan;

typedef struct
{
  const char *digits;
  const char *id;
  const char *phone;         /* as typed */
} PhoneEntry;

void
rapport_duplicate_pair_free (RapportDuplicatePair *pair)
{
  if (pair == NULL)
    return;
  g_free (pair->first_id);
  g_free (pair->second_id);
  g_free (pair->reason);
  g_free (pair);
}

static gboolean
step_error (Scan *scan, sqlite3_stmt *stmt, int rc, GError **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (scan->store, error, N_("look for duplicates"));
  return TRUE;
}

/* Stops a statement halfway; returns FALSE. */
static gboolean
abandon (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  return FALSE;
}

/* Every CHECK_EVERY rows: stops when cancelled, tells the progress. */
static gboolean
tick (Scan *scan, gint64 row, GError **error)
{
  if (row % CHECK_EVERY != 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (scan->cancellable, error))
    return FALSE;
  if (scan->progress != NULL && scan->total > 0)
    scan->progress (scan->base + scan->share * MIN (1.0, (double) row / scan->total), scan->user_data);
  return TRUE;
}

static gint64
count_rows (Scan *scan, const char *sql, const char *kind)
{
  sqlite3_stmt *stmt = rapport_store_prepare (scan->store, sql, NULL);
  gint64 n = 0;

  if (stmt == NULL)
    return 0;
  if (kind != NULL)
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
begin_pass (Scan *scan, double base, double share, gint64 total)
{
  scan->base = base;
  scan->share = share;
  scan->total = total;
}

static void
add_pair (Scan *scan, const char *a, const char *b, const char *reason)
{
  RapportDuplicatePair *pair;
  char *key;

  if (strcmp (a, b) > 0)
    {
      const char *t = a;
      a = b;
      b = t;
    }
  key = g_strconcat (a, "|", b, NULL);
  if (!g_hash_table_add (scan->seen, key))
    return;
  pair = g_new0 (RapportDuplicatePair, 1);
  pair->first_id = g_strdup (a);
  pair->second_id = g_strdup (b);
  pair->reason = g_strdup (reason);
  g_ptr_array_add (scan->pairs, pair);
  if (scan->pair_func != NULL)
    scan->pair_func (pair, scan->user_data);
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Contacts that share a key: the oldest (smallest time-ordered id) paired
 * with each other one still out of the Trash. */
static void
add_group (Scan *scan, GPtrArray *ids, const char *reason)
{
  const char *oldest = NULL;

  if (ids->len < 2)
    return;
  g_ptr_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    {
      if (i > 0 && g_str_equal (ids->pdata[i], ids->pdata[i - 1]))
        continue;
      if (g_hash_table_contains (scan->trash, ids->pdata[i]))
        continue;
      if (oldest == NULL)
        oldest = ids->pdata[i];
      else
        add_pair (scan, oldest, ids->pdata[i], reason);
    }
}

/* The Trash, usually small: its ids are remembered rather than each key's
 * contact looked up (every key's contact exists: contact_keys cascades). */
static GHashTable *
load_trash (Scan *scan, GError **error)
{
  g_autoptr (GHashTable) trash = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = rapport_store_prepare (scan->store, trash_sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (trash, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (!step_error (scan, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&trash);
}

/* Emails: contacts with the same folded address are neighbours. */
static gboolean
scan_emails (Scan *scan, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (scan->store, keys_sql, error);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *value = NULL;
  gint64 row = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, "email", -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *v = (const char *) sqlite3_column_text (stmt, 0);

      if (!tick (scan, ++row, error))
        return abandon (stmt);
      if (value == NULL || !g_str_equal (v, value))
        {
          add_group (scan, ids, "email");
          g_ptr_array_set_size (ids, 0);
          g_free (value);
          value = g_strdup (v);
        }
      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (!step_error (scan, stmt, rc, error))
    return FALSE;
  add_group (scan, ids, "email");
  return TRUE;
}

/* Names: "sort key|organization" keys of one name are neighbours (a sort
 * key never holds '|'); among them, the organizations are compared folded,
 * as the finder compares them. */
static void
add_name_groups (Scan *scan, GHashTable *by_organization)
{
  GHashTableIter iter;
  gpointer ids;

  g_hash_table_iter_init (&iter, by_organization);
  while (g_hash_table_iter_next (&iter, NULL, &ids))
    add_group (scan, ids, "name");
  g_hash_table_remove_all (by_organization);
}

static gboolean
scan_names (Scan *scan, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (scan->store, keys_sql, error);
  g_autoptr (GHashTable) by_organization = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                                  (GDestroyNotify) g_ptr_array_unref);
  g_autofree char *name = NULL;
  gint64 row = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, "name", -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *v = (const char *) sqlite3_column_text (stmt, 0);
      const char *bar = strchr (v, '|');
      gsize name_len = bar ? (gsize) (bar - v) : strlen (v);
      char *organization;
      GPtrArray *ids;

      if (!tick (scan, ++row, error))
        return abandon (stmt);
      if (name == NULL || strlen (name) != name_len || strncmp (v, name, name_len) != 0)
        {
          add_name_groups (scan, by_organization);
          g_free (name);
          name = g_strndup (v, name_len);
        }
      organization = g_strstrip (rapport_index_sort_key (bar ? bar + 1 : ""));
      ids = g_hash_table_lookup (by_organization, organization);
      if (ids == NULL)
        {
          ids = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (by_organization, organization, ids);
        }
      else
        g_free (organization);
      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (!step_error (scan, stmt, rc, error))
    return FALSE;
  add_name_groups (scan, by_organization);
  return TRUE;
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  return strcmp (((const PhoneEntry *) a)->digits, ((const PhoneEntry *) b)->digits);
}

/* Pass 1: every live contact's phones, sorted by their digits. */
static GArray *
collect_phone_digits (Scan *scan, GError **error)
{
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (PhoneEntry));
  sqlite3_stmt *stmt = rapport_store_prepare (scan->store, phones_sql, error);
  gint64 row = 0;
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *digits = rapport_phone_digits ((const char *) sqlite3_column_text (stmt, 1));
      PhoneEntry entry;

      if (!tick (scan, ++row, error))
        {
          abandon (stmt);
          return NULL;
        }
      if (strlen (digits) < 6)
        continue;
      entry.digits = g_string_chunk_insert (scan->strings, digits);
      entry.id = g_string_chunk_insert_const (scan->strings, (const char *) sqlite3_column_text (stmt, 0));
      entry.phone = g_string_chunk_insert (scan->strings, (const char *) sqlite3_column_text (stmt, 1));
      g_array_append_val (entries, entry);
    }
  if (!step_error (scan, stmt, rc, error))
    return NULL;
  g_array_sort (entries, compare_entries);
  return g_steal_pointer (&entries);
}

/* The ids whose phone has @digits, added to @ids. */
static void
find_digits (GArray *entries, const char *digits, GPtrArray *ids)
{
  PhoneEntry probe = { digits, NULL };
  PhoneEntry *first = entries->len ? bsearch (&probe, entries->data, entries->len, sizeof (PhoneEntry),
                                              compare_entries) : NULL;
  PhoneEntry *end = (PhoneEntry *) (gpointer) entries->data + entries->len;

  if (first == NULL)
    return;
  while (first > (PhoneEntry *) (gpointer) entries->data && g_str_equal ((first - 1)->digits, digits))
    first--;
  for (; first < end && g_str_equal (first->digits, digits); first++)
    g_ptr_array_add (ids, (gpointer) first->id);
}

/* Pass 2: each number's forms looked up among those digits. */
static gboolean
scan_phones (Scan *scan, GError **error)
{
  g_autoptr (GArray) entries = NULL;
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();

  begin_pass (scan, 0.2, 0.3, count_rows (scan, count_live_sql, NULL));
  entries = collect_phone_digits (scan, error);
  if (entries == NULL)
    return FALSE;
  begin_pass (scan, 0.5, 0.3, entries->len);
  for (guint row = 0; row < entries->len; row++)
    {
      PhoneEntry *entry = &g_array_index (entries, PhoneEntry, row);

      if (!tick (scan, row + 1, error))
        return FALSE;
      g_ptr_array_set_size (keys, 0);
      rapport_phone_keys_add (keys, entry->phone, scan->region, scan->region_cc);
      g_ptr_array_set_size (ids, 0);
      g_ptr_array_add (ids, (gpointer) entry->id);
      for (guint i = 0; i < keys->len; i++)
        find_digits (entries, keys->pdata[i], ids);
      /* add_group() sorts the ids, so this holds them as borrowed pointers. */
      add_group (scan, ids, "phone");
    }
  return TRUE;
}

GPtrArray *
rapport_duplicates_scan (RapportStore *store, const char *region, GCancellable *cancellable,
                         RapportProgressFunc progress, RapportDuplicatePairFunc pair_func,
                         gpointer user_data, GError **error)
{
  g_autofree char *default_region = NULL;
  g_autoptr (GPtrArray) pairs = NULL;
  Scan scan = { 0 };
  gboolean ok;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  if (region == NULL)
    region = default_region = rapport_import_default_region ();
  pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_duplicate_pair_free);
  scan.store = store;
  scan.region = region;
  scan.region_cc = rapport_phone_region_country_code (region);
  scan.cancellable = cancellable;
  scan.progress = progress;
  scan.pair_func = pair_func;
  scan.user_data = user_data;
  scan.pairs = pairs;
  scan.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scan.strings = g_string_chunk_new (64 * 1024);

  /* One read transaction: the three passes see one state of the store. */
  ok = rapport_store_exec (store, "SAVEPOINT duplicates_scan", error);
  if (ok)
    ok = (scan.trash = load_trash (&scan, error)) != NULL;
  if (ok)
    {
      gint64 t0 = g_get_monotonic_time (), t1 = 0, t2 = 0;

      begin_pass (&scan, 0, 0.2, count_rows (&scan, count_keys_sql, "email"));
      ok = scan_emails (&scan, error);
      t1 = g_get_monotonic_time ();
      ok = ok && scan_phones (&scan, error);
      t2 = g_get_monotonic_time ();
      begin_pass (&scan, 0.8, 0.2, count_rows (&scan, count_keys_sql, "name"));
      ok = ok && scan_names (&scan, error);
      g_debug ("Find duplicates: %u pairs; emails %.0f ms, phones %.0f ms, names %.0f ms", pairs->len,
               (t1 - t0) / 1e3, (t2 - t1) / 1e3, (g_get_monotonic_time () - t2) / 1e3);
    }
  rapport_store_exec (store, "RELEASE duplicates_scan", NULL);
  g_clear_pointer (&scan.trash, g_hash_table_unref);
  g_hash_table_unref (scan.seen);
  g_string_chunk_free (scan.strings);
  if (!ok)
    return NULL;
  if (progress != NULL)
    progress (1.0, user_data);
  return g_steal_pointer (&pairs);
}

GPtrArray *
rapport_store_list_duplicate_pairs (RapportStore *store, const char *region, GCancellable *cancellable,
                                    GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  return rapport_duplicates_scan (store, region, cancellable, NULL, NULL, NULL, error);
}
