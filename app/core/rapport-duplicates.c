/* rapport-duplicates.c: finding contacts that are likely the same person */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>

#include "rapport-duplicates.h"
#include "rapport-store-private.h"

/* Phone numbers are compared by their last digits, so "+44 20 7946 0018"
 * and "020 7946 0018" are one number. */
#define PHONE_SUFFIX_DIGITS 9

/* Adds the ids one query of contact_keys returns, once each, in order. */
static gboolean
collect (RapportStore *store, const char *sql, const char *key, const char *self_id,
         GHashTable *seen, GPtrArray *ids, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self_id ? self_id : "", -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_hash_table_contains (seen, id))
        {
          char *copy = g_strdup (id);
          g_hash_table_add (seen, copy);
          g_ptr_array_add (ids, g_strdup (copy));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (store, error, "look for duplicates");
  return TRUE;
}

static gboolean
find_by_emails (RapportStore *store, RapportContact *contact, GHashTable *seen, GPtrArray *ids,
                GError **error)
{
  const char *sql = "SELECT DISTINCT k.contact_id FROM contact_keys k JOIN contacts c "
                    "ON c.id = k.contact_id WHERE k.kind = 'email' AND k.value = ?1 "
                    "AND k.contact_id != ?2 AND c.deleted = 0";

  for (guint i = 0; contact->emails && i < json_array_get_length (contact->emails); i++)
    {
      JsonObject *o = json_array_get_object_element (contact->emails, i);
      const char *value = o ? json_object_get_string_member_with_default (o, "value", "") : "";
      g_autofree char *key = g_utf8_casefold (value, -1);

      if (*key != '\0'
          && !collect (store, sql, key, RAPPORT_RECORD (contact)->id, seen, ids, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
find_by_phones (RapportStore *store, RapportContact *contact, GHashTable *seen, GPtrArray *ids,
                GError **error)
{
  const char *exact = "SELECT DISTINCT k.contact_id FROM contact_keys k JOIN contacts c "
                      "ON c.id = k.contact_id WHERE k.kind = 'phone' AND k.value = ?1 "
                      "AND k.contact_id != ?2 AND c.deleted = 0";
  const char *suffix = "SELECT DISTINCT k.contact_id FROM contact_keys k JOIN contacts c "
                       "ON c.id = k.contact_id WHERE k.kind = 'phone' "
                       "AND substr (k.value, -" G_STRINGIFY (PHONE_SUFFIX_DIGITS) ") = ?1 "
                       "AND k.contact_id != ?2 AND c.deleted = 0";

  for (guint i = 0; contact->phones && i < json_array_get_length (contact->phones); i++)
    {
      JsonObject *o = json_array_get_object_element (contact->phones, i);
      const char *value = o ? json_object_get_string_member_with_default (o, "value", "") : "";
      g_autofree char *digits = rapport_phone_digits (value);
      gsize len = strlen (digits);

      if (len < 6)
        continue;
      if (!collect (store, exact, digits, RAPPORT_RECORD (contact)->id, seen, ids, error))
        return FALSE;
      if (len >= PHONE_SUFFIX_DIGITS
          && !collect (store, suffix, digits + len - PHONE_SUFFIX_DIGITS,
                       RAPPORT_RECORD (contact)->id, seen, ids, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
find_by_name (RapportStore *store, RapportContact *contact, GHashTable *seen, GPtrArray *ids,
              GError **error)
{
  const char *sql = "SELECT DISTINCT k.contact_id FROM contact_keys k JOIN contacts c "
                    "ON c.id = k.contact_id WHERE k.kind = 'name' AND k.value = ?1 "
                    "AND k.contact_id != ?2 AND c.deleted = 0";
  g_autofree char *sort_key = NULL;
  g_autofree char *key = NULL;

  if (contact->name == NULL)
    return TRUE;
  sort_key = rapport_index_sort_key (contact->name);
  if (*sort_key == '\0')
    return TRUE;
  /* Same key as rapport-index.c writes: folded name, then the organization. */
  key = g_strdup_printf ("%s|%s", sort_key, contact->organization ? contact->organization : "");
  return collect (store, sql, key, RAPPORT_RECORD (contact)->id, seen, ids, error);
}

GPtrArray *
rapport_store_find_duplicates (RapportStore *store, RapportContact *contact, GError **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (RAPPORT_IS_CONTACT (contact), NULL);

  if (!find_by_emails (store, contact, seen, ids, error)
      || !find_by_phones (store, contact, seen, ids, error)
      || !find_by_name (store, contact, seen, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}
