/* rapport-sort-keys.c: contacts' sort keys recomputed once when their rule changes */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-sort-keys.h"
#include "rapport-store-private.h"

/* A contact whose keys change. */
typedef struct
{
  gint64 rowid;
  char *id;
  char *sort_key;
  char *name_key;   /* "sort key|organization" for contact_keys, or NULL */
} Change;

static void
change_clear (gpointer data)
{
  Change *change = data;

  g_free (change->id);
  g_free (change->sort_key);
  g_free (change->name_key);
}

static gboolean
rule_is_current (RapportStore *store, gboolean *current, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (store, "SELECT value FROM meta WHERE key = 'sort_key_rule'",
                                              error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *current = rc == SQLITE_ROW
             && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), RAPPORT_SORT_KEY_RULE) == 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (store, error, N_("read the store's settings"));
  return TRUE;
}

/* Every contact, Trash included, whose stored sort key is not the rule's. */
static GArray *
find_changes (RapportStore *store, GError **error)
{
  g_autoptr (GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  sqlite3_stmt *stmt = rapport_store_prepare (store, "SELECT rowid, id, name, organization, sort_key "
                                                     "FROM contacts", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  g_array_set_clear_func (changes, change_clear);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 2);
      const char *organization = (const char *) sqlite3_column_text (stmt, 3);
      const char *stored = (const char *) sqlite3_column_text (stmt, 4);
      g_autofree char *key = rapport_index_sort_key (name);
      Change change = { 0 };

      if (g_strcmp0 (key, stored) == 0)
        continue;
      change.rowid = sqlite3_column_int64 (stmt, 0);
      change.id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      /* As rapport-index.c writes it. */
      if (key[0] != '\0')
        change.name_key = g_strdup_printf ("%s|%s", key, organization ? organization : "");
      change.sort_key = g_steal_pointer (&key);
      g_array_append_val (changes, change);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (store, error, N_("read the contacts"));
      return NULL;
    }
  return g_steal_pointer (&changes);
}

static gboolean
step_once (RapportStore *store, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (store, error, N_("update the contacts' sort order"));
  return TRUE;
}

static gboolean
apply (RapportStore *store, GArray *changes, GError **error)
{
  sqlite3_stmt *update, *drop, *insert;

  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);

      if ((update = rapport_store_prepare (store, "UPDATE contacts SET sort_key = ?2 WHERE rowid = ?1", error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (update, 1, change->rowid);
      sqlite3_bind_text (update, 2, change->sort_key, -1, SQLITE_STATIC);
      if (!step_once (store, update, error))
        return FALSE;
      if ((drop = rapport_store_prepare (store, "DELETE FROM contact_keys "
                                                "WHERE contact_id = ?1 AND +kind = 'name'", error)) == NULL)
        return FALSE;
      sqlite3_bind_text (drop, 1, change->id, -1, SQLITE_STATIC);
      if (!step_once (store, drop, error))
        return FALSE;
      if (change->name_key == NULL)
        continue;
      if ((insert = rapport_store_prepare (store, "INSERT OR IGNORE INTO contact_keys "
                                                  "VALUES (?1, 'name', ?2)", error)) == NULL)
        return FALSE;
      sqlite3_bind_text (insert, 1, change->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, change->name_key, -1, SQLITE_STATIC);
      if (!step_once (store, insert, error))
        return FALSE;
    }
  return rapport_store_exec (store, "INSERT INTO meta (key, value) VALUES ('sort_key_rule', '"
                                    RAPPORT_SORT_KEY_RULE "') ON CONFLICT (key) DO UPDATE "
                                    "SET value = excluded.value", error);
}

gboolean
rapport_sort_keys_refresh (RapportStore *store, GError **error)
{
  g_autoptr (GArray) changes = NULL;
  gboolean current = FALSE;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);

  if (!rule_is_current (store, &current, error))
    return FALSE;
  if (current)
    return TRUE;
  /* Read and written in one transaction: no other writer slips between. */
  if (!rapport_store_exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!rule_is_current (store, &current, error)
      || (!current && ((changes = find_changes (store, error)) == NULL || !apply (store, changes, error))))
    {
      rapport_store_exec (store, "ROLLBACK", NULL);
      return FALSE;
    }
  if (changes != NULL && changes->len > 0)
    g_debug ("Recomputed the sort keys of %u contacts", changes->len);
  return rapport_store_exec (store, "COMMIT", error);
}
