/* rapport-server-sqlite-erase.c: erasure requests (GDPR) in the SQLite server store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include "rapport-server-sqlite-private.h"

/* An erasure deletes a contact and every record about it (interactions,
 * notes, reminders, promises whose contact_id is it) with their index rows,
 * deletes every change-log entry of those records (so no pull serves their
 * data again), and keeps only a marker per record (entity and id, no
 * personal data) so that later changes to them are refused. The erasure
 * itself is one change-log entry, "erased" with no fields, for every
 * desktop to purge its copy. */

static const char *const about_contact[] = { "interaction", "note", "reminder", "promise" };

typedef struct
{
  const RapportEntity *entity;
  char *id;
} Doomed;

static void
doomed_free (Doomed *doomed)
{
  g_free (doomed->id);
  g_free (doomed);
}

static gboolean
run (RapportServerSqlite *self, const char *sql, const char *param, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self->records, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->records, error, "erase a record");
  return TRUE;
}

gboolean
rapport_server_sqlite_is_erased (RapportServerSqlite *self, const char *entity, const char *record_id)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      self->records, "SELECT 1 FROM srv_erased WHERE entity = ? AND record_id = ?", NULL);
  gboolean erased;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_TRANSIENT);
  erased = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return erased;
}

/* Why a change may not be kept because of an erasure, or %NULL. */
char *
rapport_server_sqlite_erased_reason (RapportServerSqlite *self, RapportChange *change)
{
  JsonNode *contact = json_object_get_member (change->fields, "contact_id");

  if (rapport_server_sqlite_is_erased (self, change->entity, change->record_id))
    return g_strdup ("erased: this record was erased on request of the person it is about; "
                     "the change was not kept");
  if (contact != NULL && JSON_NODE_HOLDS_VALUE (contact)
      && json_node_get_value_type (contact) == G_TYPE_STRING
      && rapport_server_sqlite_is_erased (self, "contact", json_node_get_string (contact)))
    return g_strdup ("erased: the contact this record is about was erased on request; the change "
                     "was not kept");
  return NULL;
}

static gboolean
collect (RapportServerSqlite *self, const char *contact_id, GPtrArray *doomed, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (about_contact); i++)
    {
      const RapportEntity *entity = rapport_entity_lookup (about_contact[i]);
      g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE contact_id = ?", entity->table);
      sqlite3_stmt *stmt = rapport_store_prepare (self->records, sql, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          Doomed *d = g_new0 (Doomed, 1);

          d->entity = entity;
          d->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          g_ptr_array_add (doomed, d);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return rapport_store_set_sqlite_error (self->records, error, "find the records to erase");
    }
  {
    Doomed *d = g_new0 (Doomed, 1);

    d->entity = rapport_entity_lookup ("contact");
    d->id = g_strdup (contact_id);
    g_ptr_array_add (doomed, d);
  }
  return TRUE;
}

/* One record's rows, everywhere the core store keeps them. */
static gboolean
purge (RapportServerSqlite *self, const Doomed *d, gint64 now, const char *contact_id, GError **error)
{
  const char *fts = g_str_equal (d->entity->name, "contact")       ? "contacts_fts"
                    : g_str_equal (d->entity->name, "note")        ? "notes_fts"
                    : g_str_equal (d->entity->name, "interaction") ? "interactions_fts"
                                                                   : NULL;
  g_autofree char *record_sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", d->entity->table);
  sqlite3_stmt *stmt;
  int rc;

  if (fts != NULL)
    {
      g_autofree char *fts_sql = g_strdup_printf ("DELETE FROM %s WHERE rowid = (SELECT rowid FROM %s "
                                                  "WHERE id = ?)", fts, d->entity->table);
      if (!run (self, fts_sql, d->id, error))
        return FALSE;
    }
  if (!run (self, "DELETE FROM note_history WHERE note_id = ?", d->id, error)
      || !run (self, "DELETE FROM contact_tags WHERE contact_id = ?", d->id, error)
      || !run (self, "DELETE FROM contact_keys WHERE contact_id = ?", d->id, error)
      || !run (self, "DELETE FROM conflicts WHERE record_id = ?", d->id, error)
      || !run (self, "DELETE FROM notified WHERE record_id = ?", d->id, error)
      || !run (self, "DELETE FROM journal WHERE record_id = ?", d->id, error)
      || !run (self, record_sql, d->id, error))
    return FALSE;

  stmt = rapport_store_prepare (self->records,
                                "INSERT OR IGNORE INTO srv_erased (entity, record_id, contact_id, erased_at) "
                                "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, d->entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, d->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, contact_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->records, error, "remember an erased record");
  return TRUE;
}

/* Every change-log entry of the erased records, in one pass over the log. */
static gboolean
forget_changes (RapportServerSqlite *self, GPtrArray *doomed, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *ids = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < doomed->len; i++)
    json_builder_add_string_value (builder, ((Doomed *) doomed->pdata[i])->id);
  json_builder_end_array (builder);
  node = json_builder_get_root (builder);
  ids = json_to_string (node, FALSE);
  return run (self, "DELETE FROM srv_changes WHERE record_id IN (SELECT value FROM json_each (?))",
              ids, error);
}

static gboolean
log_erasure (RapportServerSqlite *self, const RapportPushItem *item, const char *account_id,
             gint64 now, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      self->records, "INSERT INTO srv_changes (change_id, entity, record_id, stamp, fields, status, "
                     "account_id, received_at, audience, erased) "
                     "VALUES (?, 'contact', ?, ?, '{}', 'applied', ?, ?, '*', 1)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, item->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item->change->record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, item->change->stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, account_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->records, error, "write the change log");
  return TRUE;
}

/* Who may erase: managers and admins, and the contact's owner. @reason
 * gets why not. */
static gboolean
may_erase (RapportServerSqlite *self, const RapportServerActor *actor, const char *contact_id,
           char **reason)
{
  sqlite3_stmt *stmt;
  g_autofree char *owner = NULL;

  if (g_strcmp0 (actor->role, "manager") == 0 || g_strcmp0 (actor->role, "admin") == 0)
    return TRUE;
  stmt = rapport_store_prepare (self->records, "SELECT owner FROM contacts WHERE id = ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  if (owner != NULL && g_strcmp0 (owner, actor->id) == 0)
    return TRUE;
  *reason = g_strdup ("forbidden: only managers, admins and the contact's owner may erase a contact; "
                      "ask your manager");
  return FALSE;
}

/* Applies an erasure not seen before, inside the push transaction. Returns
 * the status (applied, or refused with @reason), or %FALSE on a store error. */
gboolean
rapport_server_sqlite_erase (RapportServerSqlite *self, const RapportServerActor *actor,
                             const RapportPushItem *item, gint64 now, gboolean *applied,
                             char **reason, GError **error)
{
  const char *contact_id = item->change->record_id;
  g_autoptr (GPtrArray) doomed = g_ptr_array_new_with_free_func ((GDestroyNotify) doomed_free);

  /* Erased before (by someone else): nothing is left to erase. */
  *applied = rapport_server_sqlite_is_erased (self, "contact", contact_id);
  if (*applied)
    return TRUE;
  if (!may_erase (self, actor, contact_id, reason))
    return TRUE;
  if (!rapport_store_observe_stamp (self->records, item->change->stamp, error))
    return FALSE;
  if (!collect (self, contact_id, doomed, error))
    return FALSE;
  for (guint i = 0; i < doomed->len; i++)
    if (!purge (self, doomed->pdata[i], now, contact_id, error))
      return FALSE;
  if (!forget_changes (self, doomed, error) || !log_erasure (self, item, actor->id, now, error))
    return FALSE;
  self->erased_in_transaction = TRUE;
  *applied = TRUE;
  g_message ("contact %s erased with %u records about it", contact_id, doomed->len - 1);
  return TRUE;
}

/* After the commit of an erasure: the full-text indexes keep the words of
 * deleted rows in their segments until merged, and the WAL keeps old page
 * images until checkpointed: both are rewritten, so the erased words leave
 * the files too (a checkpoint that meets readers is left for SQLite's own). */
void
rapport_server_sqlite_after_erasure (RapportServerSqlite *self)
{
  static const char *const sql[] = {
    "INSERT INTO contacts_fts (contacts_fts) VALUES ('optimize')",
    "INSERT INTO notes_fts (notes_fts) VALUES ('optimize')",
    "INSERT INTO interactions_fts (interactions_fts) VALUES ('optimize')",
  };
  g_autoptr (GError) error = NULL;

  if (!self->erased_in_transaction)
    return;
  self->erased_in_transaction = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    if (!rapport_store_exec (self->records, sql[i], &error))
      {
        g_message ("Could not compact a search index after an erasure: %s", error->message);
        g_clear_error (&error);
      }
  sqlite3_wal_checkpoint_v2 (rapport_store_get_db (self->records), NULL, SQLITE_CHECKPOINT_TRUNCATE,
                             NULL, NULL);
}
