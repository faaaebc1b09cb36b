/* rapport-store-indexes.c: secondary indexes of the record tables, dropped during a first sync */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "rapport-error.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"

/* A first sync into an empty store inserts every record of the team, page
 * by page: each insert would dirty a page of every secondary index of its
 * table, scattered over the file (on team-100k the store's page reads and
 * WAL writes were a third of the pull). As a bulk loader does, the indexes
 * are dropped for the pull and built once, from the finished tables, when
 * it has caught up. Their SQL is kept in meta, in the transaction that
 * drops them: a desktop stopped mid-way (killed, cancelled, offline) builds
 * them again when the store is next opened, or when a later pull catches
 * up. Meanwhile every query stays right, only slower; the primary keys, the
 * unique constraints, the derived tables and two indexes that the backlog
 * needs are never touched. */

#define DEFERRED_KEY "deferred_indexes"
/* Interactions were inserted meanwhile without raising their contacts'
 * last interaction (rapport_store_hold_last_interactions()). */
#define LATEST_KEY "deferred_last_interactions"

static const char *const record_tables[] = {
  "contacts", "interactions", "notes", "reminders", "promises",
};

static gboolean
step_done (RapportStore *self, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, what);
  return TRUE;
}

/**
 * rapport_store_is_blank:
 * @cursor_key: the sync_state key of the pull cursor
 *
 * Whether @self holds no record and has never pulled: what a first sync
 * may fill in bulk.
 */
gboolean
rapport_store_is_blank (RapportStore *self, const char *cursor_key)
{
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);

  stmt = rapport_store_prepare (self, "SELECT 1 FROM sync_state WHERE key = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, cursor_key, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) != SQLITE_DONE;
  sqlite3_reset (stmt);
  if (found)
    return FALSE;
  stmt = rapport_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM contacts) OR EXISTS (SELECT 1 FROM "
                                      "interactions) OR EXISTS (SELECT 1 FROM notes) OR EXISTS (SELECT 1 "
                                      "FROM reminders) OR EXISTS (SELECT 1 FROM promises)", NULL);
  if (stmt == NULL)
    return FALSE;
  found = sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return !found;
}

/**
 * rapport_store_get_indexes_deferred:
 *
 * Whether the record tables' secondary indexes are dropped, waiting for
 * rapport_store_restore_indexes().
 */
gboolean
rapport_store_get_indexes_deferred (RapportStore *self)
{
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);

  stmt = rapport_store_prepare (self, "SELECT 1 FROM meta WHERE key = '" DEFERRED_KEY "'", NULL);
  if (stmt == NULL)
    return FALSE;
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/* A bulk load commits many times (a first sync: once per page). Each commit
 * writes a new segment of every full-text index it touched, and FTS5 merges
 * segments as soon as 4 of a level are there (its "automerge"), rewriting
 * the same terms again and again. While the indexes are deferred, merging
 * waits for 16; when they are built again, the default is back and later
 * writes merge what is left. */
static const char *const fts_tables[] = { "contacts_fts", "interactions_fts", "notes_fts" };

static gboolean
set_automerge (RapportStore *self, gboolean bulk, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (fts_tables); i++)
    {
      char *sql = sqlite3_mprintf (bulk ? "INSERT INTO \"%w\" (\"%w\", rank) VALUES ('automerge', 16)"
                                        : "INSERT INTO \"%w\" (\"%w\", rank) VALUES ('automerge', 4);"
                                          "DELETE FROM \"%w_config\" WHERE k = 'automerge'",
                                   fts_tables[i], fts_tables[i], fts_tables[i]);
      gboolean ok = rapport_store_exec (self, sql, error);

      sqlite3_free (sql);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/**
 * rapport_store_defer_indexes:
 *
 * Drops the secondary indexes of the record tables, their SQL saved in
 * meta for rapport_store_restore_indexes(). Must be called inside a
 * transaction (a rollback brings them back).
 */
gboolean
rapport_store_defer_indexes (RapportStore *self, GError **error)
{
  g_autoptr (JsonObject) saved = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GList) names = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (!sqlite3_get_autocommit (rapport_store_get_db (self)), FALSE);

  if (rapport_store_get_indexes_deferred (self))
    return TRUE;
  /* No sql: the automatic indexes of PRIMARY KEY and UNIQUE constraints.
   * Kept: those rapport-backlog.c names with INDEXED BY (its queries would
   * fail without them). The index of interactions by contact goes too: the
   * contacts' last interaction, which reads it, is held meanwhile
   * (rapport_store_hold_last_interactions()); kept, it was the table's
   * largest index, written all over at every page. */
  stmt = rapport_store_prepare (self, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                                      "AND tbl_name = ? AND sql IS NOT NULL AND name NOT IN "
                                      "('reminders_open_cover', 'contacts_nurture') ORDER BY name",
                                      error);
  if (stmt == NULL)
    return FALSE;
  for (guint t = 0; t < G_N_ELEMENTS (record_tables); t++)
    {
      sqlite3_bind_text (stmt, 1, record_tables[t], -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        json_object_set_string_member (saved, (const char *) sqlite3_column_text (stmt, 0),
                                       (const char *) sqlite3_column_text (stmt, 1));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return rapport_store_set_sqlite_error (self, error, N_("update the indexes"));
    }

  node = json_node_init_object (json_node_alloc (), saved);
  text = json_to_string (node, FALSE);
  stmt = rapport_store_prepare (self, "INSERT INTO meta (key, value) VALUES ('" DEFERRED_KEY "', ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, N_("update the indexes"), error))
    return FALSE;

  names = json_object_get_members (saved);
  for (GList *l = names; l != NULL; l = l->next)
    {
      char *sql = sqlite3_mprintf ("DROP INDEX \"%w\"", (const char *) l->data);
      gboolean ok = rapport_store_exec (self, sql, error);

      sqlite3_free (sql);
      if (!ok)
        return FALSE;
    }
  if (!set_automerge (self, TRUE, error))
    return FALSE;
  g_debug ("%u indexes deferred", g_list_length (names));
  return TRUE;
}

/* Whether the schema has a table or index @name. */
static gboolean
schema_has (RapportStore *self, const char *name, gboolean *exists, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, "SELECT 1 FROM sqlite_schema WHERE name = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("update the indexes"));
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

/**
 * rapport_store_hold_last_interactions:
 * @held: (out): whether it is held
 *
 * Whether the last interaction of the contacts whose interactions were
 * just written is to be set now: not while the indexes are deferred (the
 * index by contact is one of them, and a first sync would otherwise
 * rewrite thousands of contacts with every page, each a row on a page of
 * its own). Then @held is set and the store notes it, so that
 * rapport_store_restore_indexes() sets them all in one pass; meanwhile a
 * contact may show an older last interaction, as it would before its
 * interactions arrived, or the one just deleted. Must be called inside a
 * transaction.
 */
gboolean
rapport_store_hold_last_interactions (RapportStore *self, gboolean *held, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean noted;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);

  /* Every write of an interaction asks: one read, and a write only the
   * first time. */
  stmt = rapport_store_prepare (self, "SELECT count(*), max (key = '" LATEST_KEY "') FROM meta "
                                      "WHERE key IN ('" DEFERRED_KEY "', '" LATEST_KEY "')", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return rapport_store_set_sqlite_error (self, error, N_("update the indexes"));
    }
  noted = sqlite3_column_int (stmt, 1) != 0;
  *held = sqlite3_column_int (stmt, 0) > (noted ? 1 : 0);
  sqlite3_reset (stmt);
  return !*held || noted
         || rapport_store_exec (self, "INSERT INTO meta (key, value) VALUES ('" LATEST_KEY "', '1')",
                                error);
}

/* Sets each contact's last interaction to its latest live interaction, as
 * the writes held meanwhile would have: the inserts raise it, an edit or a
 * delete of its latest one lowers it. */
static gboolean
restore_last_interactions (RapportStore *self, GError **error)
{
  gboolean deferred = FALSE;
  sqlite3_stmt *stmt = rapport_store_prepare (self, "SELECT 1 FROM meta WHERE key = '" LATEST_KEY "'",
                                              error);

  if (stmt == NULL)
    return FALSE;
  deferred = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!deferred)
    return TRUE;
  return rapport_store_exec (self, "UPDATE contacts SET last_interaction_at = n.latest FROM (SELECT "
                                   "contact_id, max (occurred_at) AS latest FROM interactions WHERE "
                                   "deleted = 0 GROUP BY contact_id) AS n WHERE contacts.id = "
                                   "n.contact_id AND contacts.last_interaction_at IS NOT n.latest;"
                                   "UPDATE contacts SET last_interaction_at = NULL WHERE "
                                   "last_interaction_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                                   "interactions WHERE contact_id = contacts.id AND deleted = 0);"
                                   "DELETE FROM meta WHERE key = '" LATEST_KEY "'", error);
}

static gboolean
restore_saved (RapportStore *self, const char *text, GError **error)
{
  g_autoptr (JsonNode) node = json_from_string (text, NULL);
  g_autoptr (GList) names = NULL;
  JsonObject *saved;

  /* Not written by Rapport: nothing can be made of it but an error later. */
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_CORRUPT,
                   _("The store's list of indexes to rebuild is damaged. Restore the store "
                     "from a backup, or remove it and sync again"));
      return FALSE;
    }
  saved = json_node_get_object (node);
  names = json_object_get_members (saved);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *sql = json_object_get_string_member_with_default (saved, l->data, NULL);
      gboolean exists;

      if (sql == NULL)
        continue;
      if (!schema_has (self, l->data, &exists, error))
        return FALSE;
      if (!exists && !rapport_store_exec (self, sql, error))
        return FALSE;
    }
  return set_automerge (self, FALSE, error) && restore_last_interactions (self, error)
         && rapport_store_exec (self, "DELETE FROM meta WHERE key = '" DEFERRED_KEY "'", error);
}

/**
 * rapport_store_restore_indexes:
 *
 * Builds again the indexes rapport_store_defer_indexes() dropped, in one
 * transaction (nested in the caller's, if any). Does nothing when none is
 * deferred.
 */
gboolean
rapport_store_restore_indexes (RapportStore *self, GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *text = NULL;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (RAPPORT_IS_STORE (self), FALSE);

  /* A store being created has no meta table yet. */
  stmt = rapport_store_prepare (self, "SELECT value FROM meta WHERE key = '" DEFERRED_KEY "'", NULL);
  if (stmt == NULL)
    {
      gboolean exists = TRUE;

      if (!schema_has (self, "meta", &exists, error))
        return FALSE;
      return !exists ? TRUE : rapport_store_set_sqlite_error (self, error, N_("read the store"));
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (text == NULL)
    return TRUE;

  if (!rapport_store_begin (self, error))
    return FALSE;
  if (!restore_saved (self, text, error))
    {
      rapport_store_rollback (self);
      return FALSE;
    }
  if (!rapport_store_commit (self, error))
    return FALSE;
  g_debug ("deferred indexes built in %.2f s", (g_get_monotonic_time () - start) / 1e6);
  return TRUE;
}
