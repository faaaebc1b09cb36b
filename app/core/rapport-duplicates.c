/* rapport-duplicates.c: the one rule for contacts that are likely the same person */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-duplicates-private.h"
#include "rapport-import.h"
#include "rapport-store-private.h"

/* contact_keys holds, per contact, its emails case folded, the digits of
 * its phones (six or more) and "name sort key|organization" (rapport-index.c
 * and the bulk import write them). A contact is looked up by the keys it
 * could be stored under, in one statement of indexed lookups. */

/* Each key is one indexed lookup of contact_keys; only the contacts found
 * are then checked for the Trash. */
static const char exact_sql[] = "SELECT contact_id FROM contact_keys WHERE kind = ?1 AND value = ?2";
static const char name_sql[] = "SELECT value, contact_id FROM contact_keys "
                               "WHERE kind = 'name' AND value >= ?1 AND value < ?2";
static const char alive_sql[] = "SELECT 1 FROM contacts WHERE id = ?1 AND deleted = 0";

/* The keys of one contact ------------------------------------------------------ */

struct _RapportDuplicateKeys
{
  GPtrArray *emails;      /* folded */
  GPtrArray *phones;      /* digit strings, see rapport_phone_keys_add() */
  GPtrArray *digits;      /* each phone's digits, as contact_keys holds them (six or more) */
  char *name;             /* name sort key, or NULL */
  char *organization;     /* folded organization, "" for none */
  char *name_entry;       /* "name|organization", or NULL without a name */
};

typedef struct _RapportDuplicateKeys Keys;

static void
keys_clear (Keys *keys)
{
  g_clear_pointer (&keys->emails, g_ptr_array_unref);
  g_clear_pointer (&keys->phones, g_ptr_array_unref);
  g_clear_pointer (&keys->digits, g_ptr_array_unref);
  g_clear_pointer (&keys->name, g_free);
  g_clear_pointer (&keys->organization, g_free);
  g_clear_pointer (&keys->name_entry, g_free);
}

/* Names and organizations are compared by their sort keys: case, accents
 * and the like folded, the same on every desktop. */
static char *
fold (const char *text)
{
  return rapport_index_sort_key (text);
}

/* As g_utf8_casefold() (which rapport-index.c uses), quicker for ASCII text. */
static char *
casefold (const char *text)
{
  const char *p;

  for (p = text; *p && !((guchar) *p & 0x80); p++)
    ;
  return *p ? g_utf8_casefold (text, -1) : g_ascii_strdown (text, -1);
}

static const char *
value_at (JsonArray *array, guint i)
{
  return json_object_get_string_member_with_default (json_array_get_object_element (array, i),
                                                     "value", NULL);
}

/* @name_key: the sort key of @contact's name when already made, or NULL. */
static void
keys_init (Keys *keys, RapportContact *contact, const char *region, int region_cc, const char *name_key)
{
  guint n_emails = contact->emails ? json_array_get_length (contact->emails) : 0;
  guint n_phones = contact->phones ? json_array_get_length (contact->phones) : 0;

  /* Room for every key at once: a phone has up to six. */
  keys->emails = g_ptr_array_new_full (n_emails, g_free);
  keys->phones = g_ptr_array_new_full (6 * n_phones, g_free);
  for (guint i = 0; contact->emails && i < json_array_get_length (contact->emails); i++)
    {
      const char *value = value_at (contact->emails, i);
      char *key = value ? casefold (value) : NULL;

      if (key != NULL && *key != '\0')
        g_ptr_array_add (keys->emails, key);
      else
        g_free (key);
    }
  keys->digits = g_ptr_array_new_full (n_phones, g_free);
  for (guint i = 0; contact->phones && i < json_array_get_length (contact->phones); i++)
    {
      const char *phone = value_at (contact->phones, i);
      char *digits = rapport_phone_digits (phone);

      if (phone != NULL)
        rapport_phone_keys_add (keys->phones, phone, region, region_cc);
      if (strlen (digits) >= 6)
        g_ptr_array_add (keys->digits, digits);
      else
        g_free (digits);
    }
  keys->name = name_key != NULL ? g_strdup (name_key) : fold (contact->name);
  if (*keys->name == '\0')
    g_clear_pointer (&keys->name, g_free);
  keys->organization = g_strstrip (fold (contact->organization));
  if (keys->name != NULL)
    keys->name_entry = g_strconcat (keys->name, "|", keys->organization, NULL);
}

/* The finder ---------------------------------------------------------------- */

struct _RapportDuplicateFinder
{
  RapportStore *store;
  char *region;
  int region_cc;
  sqlite3_stmt *exact;
  sqlite3_stmt *name;
  sqlite3_stmt *alive;
  /* Contacts added that contact_keys may not show yet: key -> the first
   * id added under it; @more: key -> GPtrArray of the ids added after it
   * (rare). Keys and ids are copies in @strings: an import adds 300,000
   * of them, freed here at once. */
  GHashTable *added[3];       /* emails (folded), phones (digits), "name|organization" (folded) */
  GHashTable *more[3];
  GStringChunk *strings;
  RapportContact *last;       /* not a reference: the contact @last_keys are of */
  Keys *last_keys;            /* &@own_keys, or keys lent to rapport_duplicate_finder_find_keys() */
  Keys own_keys;
  GArray *hits;               /* (element-type Hit) find()'s, kept from call to call */
  gboolean only_added;        /* the store held no keys, and only we write: ask @added alone */
};

enum { KIND_EMAIL, KIND_PHONE, KIND_NAME };

static const char *const kind_names[] = { "email", "phone", "name" };

RapportDuplicateFinder *
rapport_duplicate_finder_new (RapportStore *store, const char *region)
{
  RapportDuplicateFinder *self;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  self = g_new0 (RapportDuplicateFinder, 1);
  self->store = g_object_ref (store);
  self->region = region ? g_ascii_strup (region, -1) : rapport_import_default_region ();
  self->region_cc = rapport_phone_region_country_code (self->region);
  for (guint i = 0; i < G_N_ELEMENTS (self->added); i++)
    {
      self->added[i] = g_hash_table_new (g_str_hash, g_str_equal);
      self->more[i] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
    }
  self->strings = g_string_chunk_new (64 * 1024);
  return self;
}

void
rapport_duplicate_finder_free (RapportDuplicateFinder *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->exact);
  sqlite3_finalize (self->name);
  sqlite3_finalize (self->alive);
  g_clear_object (&self->store);
  g_free (self->region);
  for (guint i = 0; i < G_N_ELEMENTS (self->added); i++)
    {
      g_hash_table_unref (self->added[i]);
      g_hash_table_unref (self->more[i]);
    }
  g_string_chunk_free (self->strings);
  g_clear_pointer (&self->hits, g_array_unref);
  keys_clear (&self->own_keys);
  g_free (self);
}

const char *
rapport_duplicate_finder_get_region (RapportDuplicateFinder *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->region;
}

/* The finder's own statements, prepared once (the store's statement cache
 * would hash their text on every lookup). */
static gboolean
prepare (RapportDuplicateFinder *self, GError **error)
{
  sqlite3 *db = rapport_store_get_db (self->store);

  if (self->exact != NULL)
    return TRUE;
  if (sqlite3_prepare_v3 (db, exact_sql, -1, SQLITE_PREPARE_PERSISTENT, &self->exact, NULL) != SQLITE_OK
      || sqlite3_prepare_v3 (db, name_sql, -1, SQLITE_PREPARE_PERSISTENT, &self->name, NULL) != SQLITE_OK
      || sqlite3_prepare_v3 (db, alive_sql, -1, SQLITE_PREPARE_PERSISTENT, &self->alive, NULL) != SQLITE_OK)
    {
      rapport_store_set_sqlite_error (self->store, error, N_("look for duplicates"));
      g_clear_pointer (&self->exact, sqlite3_finalize);
      g_clear_pointer (&self->name, sqlite3_finalize);
      g_clear_pointer (&self->alive, sqlite3_finalize);
      return FALSE;
    }
  return TRUE;
}

gboolean
rapport_duplicate_finder_set_sole_writer (RapportDuplicateFinder *self, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);

  stmt = rapport_store_prepare (self->store, "SELECT 1 FROM contact_keys LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->store, error, N_("look for duplicates"));
  self->only_added = rc == SQLITE_DONE;
  return TRUE;
}

typedef struct
{
  guint kind;     /* KIND_EMAIL, KIND_PHONE, KIND_NAME */
  guint rank;     /* the key's place among the contact's keys of that kind */
  char *id;
  gboolean added; /* found among the contacts added: alive (an import deletes
                   * nothing), maybe not written yet */
} Hit;

static void
hit_clear (gpointer data)
{
  g_free (((Hit *) data)->id);
}

static int
hit_compare (gconstpointer x, gconstpointer y)
{
  const Hit *a = x, *b = y;

  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static void
add_hit (GArray *hits, guint kind, guint rank, const char *id, const char *self_id)
{
  Hit hit = { kind, rank, NULL, FALSE };

  if (g_strcmp0 (id, self_id) == 0)
    return;
  hit.id = g_strdup (id);
  g_array_append_val (hits, hit);
}

/* Whether a stored "name sort key|organization" is @keys' name and
 * organization. */
static gboolean
same_name_key (Keys *keys, const char *stored)
{
  gsize n = strlen (keys->name);
  g_autofree char *organization = NULL;

  if (strncmp (stored, keys->name, n) != 0 || stored[n] != '|')
    return FALSE;
  organization = g_strstrip (fold (stored + n + 1));
  return g_str_equal (organization, keys->organization);
}

static gboolean
step_done (RapportDuplicateFinder *self, sqlite3_stmt *stmt, int rc, GError **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->store, error, N_("look for duplicates"));
  return TRUE;
}

static gboolean
lookup_exact (RapportDuplicateFinder *self, guint kind, GPtrArray *values, const char *self_id,
              GArray *hits, GError **error)
{
  for (guint i = 0; i < values->len; i++)
    {
      int rc;

      sqlite3_bind_text (self->exact, 1, kind_names[kind], -1, SQLITE_STATIC);
      sqlite3_bind_text (self->exact, 2, values->pdata[i], -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (self->exact)) == SQLITE_ROW)
        add_hit (hits, kind, i, (const char *) sqlite3_column_text (self->exact, 0), self_id);
      if (!step_done (self, self->exact, rc, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
lookup_store (RapportDuplicateFinder *self, Keys *keys, const char *self_id, GArray *hits,
              GError **error)
{
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  int rc;

  if (!lookup_exact (self, KIND_EMAIL, keys->emails, self_id, hits, error)
      || !lookup_exact (self, KIND_PHONE, keys->phones, self_id, hits, error))
    return FALSE;
  if (keys->name == NULL)
    return TRUE;
  /* Every "name|…" key: the organization is compared folded. */
  low = g_strconcat (keys->name, "|", NULL);
  high = g_strconcat (keys->name, "}", NULL);
  sqlite3_bind_text (self->name, 1, low, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->name, 2, high, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (self->name)) == SQLITE_ROW)
    if (same_name_key (keys, (const char *) sqlite3_column_text (self->name, 0)))
      add_hit (hits, KIND_NAME, 0, (const char *) sqlite3_column_text (self->name, 1), self_id);
  return step_done (self, self->name, rc, error);
}

static void
add_added_hit (GArray *hits, guint kind, guint rank, const char *id, const char *self_id)
{
  guint n = hits->len;

  add_hit (hits, kind, rank, id, self_id);
  if (hits->len > n)
    g_array_index (hits, Hit, n).added = TRUE;
}

static void
lookup_added_one (RapportDuplicateFinder *self, guint kind, const char *key, guint rank,
                  const char *self_id, GArray *hits)
{
  const char *id = g_hash_table_lookup (self->added[kind], key);
  GPtrArray *ids;

  if (id == NULL)
    return;
  add_added_hit (hits, kind, rank, id, self_id);
  ids = g_hash_table_size (self->more[kind]) > 0 ? g_hash_table_lookup (self->more[kind], key) : NULL;
  for (guint i = 0; ids && i < ids->len; i++)
    add_added_hit (hits, kind, rank, ids->pdata[i], self_id);
}

static void
lookup_added (RapportDuplicateFinder *self, Keys *keys, const char *self_id, GArray *hits)
{
  for (guint i = 0; i < keys->emails->len; i++)
    lookup_added_one (self, KIND_EMAIL, keys->emails->pdata[i], i, self_id, hits);
  for (guint i = 0; i < keys->phones->len; i++)
    lookup_added_one (self, KIND_PHONE, keys->phones->pdata[i], i, self_id, hits);
  if (keys->name_entry != NULL && g_hash_table_size (self->added[KIND_NAME]) > 0)
    lookup_added_one (self, KIND_NAME, keys->name_entry, 0, self_id, hits);
}

static gboolean
is_alive (RapportDuplicateFinder *self, const char *id, gboolean *alive, GError **error)
{
  int rc;

  sqlite3_bind_text (self->alive, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (self->alive);
  *alive = rc == SQLITE_ROW;
  return step_done (self, self->alive, rc == SQLITE_ROW ? SQLITE_DONE : rc, error);
}

/* Finds @contact by @keys, kept in self->last_keys for
 * rapport_duplicate_finder_add(). */
static GPtrArray *
find (RapportDuplicateFinder *self, RapportContact *contact, Keys *keys, GPtrArray **reasons, GError **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) why = reasons != NULL ? g_ptr_array_new () : NULL;
  g_autoptr (GHashTable) seen = NULL;
  GArray *hits;
  const char *self_id;

  if (!prepare (self, error))
    return NULL;
  self_id = RAPPORT_RECORD (contact)->id;
  if (self->hits == NULL)
    {
      self->hits = g_array_new (FALSE, FALSE, sizeof (Hit));
      g_array_set_clear_func (self->hits, hit_clear);
    }
  hits = self->hits;
  g_array_set_size (hits, 0);
  if (!self->only_added && !lookup_store (self, keys, self_id, hits, error))
    return NULL;
  lookup_added (self, keys, self_id, hits);
  self->last = contact;
  self->last_keys = keys;

  if (hits->len > 0)
    {
      seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_array_sort (hits, hit_compare);
    }
  for (guint i = 0; i < hits->len; i++)
    {
      Hit *hit = &g_array_index (hits, Hit, i);
      gboolean alive = TRUE;

      if (!g_hash_table_add (seen, hit->id))
        continue;
      if (!hit->added && !is_alive (self, hit->id, &alive, error))
        return NULL;
      if (!alive)
        continue;
      g_ptr_array_add (ids, g_strdup (hit->id));
      if (why != NULL)
        g_ptr_array_add (why, (gpointer) kind_names[hit->kind]);
    }
  g_array_set_size (hits, 0);
  if (reasons != NULL)
    *reasons = g_steal_pointer (&why);
  return g_steal_pointer (&ids);
}

GPtrArray *
rapport_duplicate_finder_find (RapportDuplicateFinder *self, RapportContact *contact,
                               GPtrArray **reasons, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (RAPPORT_IS_CONTACT (contact), NULL);

  keys_clear (&self->own_keys);
  self->last = NULL;
  keys_init (&self->own_keys, contact, self->region, self->region_cc, NULL);
  return find (self, contact, &self->own_keys, reasons, error);
}

/**
 * rapport_duplicate_finder_make_keys:
 * @name_key: (nullable): rapport_index_sort_key() of @contact's name, when
 *   the caller has it already
 *
 * On any thread (the finder is only read): what
 * rapport_duplicate_finder_find() looks @contact up by. An import makes
 * them on its parsing thread, so its writing thread only looks them up.
 */
RapportDuplicateKeys *
rapport_duplicate_finder_make_keys (RapportDuplicateFinder *self, RapportContact *contact, const char *name_key)
{
  Keys *keys;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (RAPPORT_IS_CONTACT (contact), NULL);

  keys = g_new0 (Keys, 1);
  keys_init (keys, contact, self->region, self->region_cc, name_key);
  return keys;
}

void
rapport_duplicate_keys_free (RapportDuplicateKeys *keys)
{
  if (keys == NULL)
    return;
  keys_clear (keys);
  g_free (keys);
}

/**
 * rapport_duplicate_finder_find_keys:
 * @keys: made by rapport_duplicate_finder_make_keys() for @contact as it
 *   is now; lent until the next call on the finder
 *
 * rapport_duplicate_finder_find() with keys made beforehand.
 */
GPtrArray *
rapport_duplicate_finder_find_keys (RapportDuplicateFinder *self, RapportContact *contact,
                                    RapportDuplicateKeys *keys, GPtrArray **reasons, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (RAPPORT_IS_CONTACT (contact), NULL);
  g_return_val_if_fail (keys != NULL, NULL);

  keys_clear (&self->own_keys);
  self->last = NULL;
  return find (self, contact, keys, reasons, error);
}

/* @key is copied; @id is already in self->strings. */
static void
remember (RapportDuplicateFinder *self, guint kind, const char *key, const char *id)
{
  const char *first = g_hash_table_lookup (self->added[kind], key);
  GPtrArray *ids;

  if (first == NULL)
    {
      g_hash_table_insert (self->added[kind], g_string_chunk_insert (self->strings, key), (gpointer) id);
      return;
    }
  if (g_str_equal (first, id))
    return;
  ids = g_hash_table_lookup (self->more[kind], key);
  if (ids == NULL)
    {
      ids = g_ptr_array_new ();
      g_hash_table_insert (self->more[kind], g_string_chunk_insert (self->strings, key), ids);
    }
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (ids->pdata[i], id))
      return;
  g_ptr_array_add (ids, (gpointer) id);
}

void
rapport_duplicate_finder_add (RapportDuplicateFinder *self, RapportContact *contact)
{
  const char *id;
  Keys fresh = { 0 };
  Keys *keys = &fresh;

  g_return_if_fail (self != NULL);
  g_return_if_fail (RAPPORT_IS_CONTACT (contact) && RAPPORT_RECORD (contact)->id != NULL);

  id = g_string_chunk_insert (self->strings, RAPPORT_RECORD (contact)->id);
  if (contact == self->last)
    keys = self->last_keys;
  else
    keys_init (&fresh, contact, self->region, self->region_cc, NULL);
  /* As contact_keys holds them: a phone by its digits only. */
  for (guint i = 0; i < keys->digits->len; i++)
    remember (self, KIND_PHONE, keys->digits->pdata[i], id);
  for (guint i = 0; i < keys->emails->len; i++)
    remember (self, KIND_EMAIL, keys->emails->pdata[i], id);
  if (keys->name_entry != NULL)
    remember (self, KIND_NAME, keys->name_entry, id);
  keys_clear (&fresh);
  keys_clear (&self->own_keys);
  self->last = NULL;
  self->last_keys = NULL;
}

GPtrArray *
rapport_store_find_duplicates (RapportStore *store, RapportContact *contact, const char *region,
                               GError **error)
{
  g_autoptr (RapportDuplicateFinder) finder = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (RAPPORT_IS_CONTACT (contact), NULL);

  finder = rapport_duplicate_finder_new (store, region);
  return rapport_duplicate_finder_find (finder, contact, NULL, error);
}
