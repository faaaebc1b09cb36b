/* rapport-migrations.c: the store's schema, as forward-only numbered steps */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include "rapport-store-private.h"

/* Step N brings a store from user_version N-1 to N. Steps are never edited
 * once released: a change of schema is a new step at the end. Synced records
 * refer to each other by id without SQL foreign keys, because sync may
 * deliver an interaction before its contact; local tables derived from
 * records use foreign keys with ON DELETE CASCADE. */
static const char *const migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"

  "CREATE TABLE users ("
  "  id TEXT PRIMARY KEY, stamp TEXT NOT NULL, field_stamps TEXT,"
  "  created_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER,"
  "  name TEXT, display_name TEXT, department TEXT, role TEXT,"
  "  disabled INTEGER NOT NULL DEFAULT 0);"

  "CREATE TABLE contacts ("
  "  id TEXT PRIMARY KEY, stamp TEXT NOT NULL, field_stamps TEXT,"
  "  created_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER,"
  "  kind TEXT, name TEXT, given_name TEXT, family_name TEXT,"
  "  organization_id TEXT, organization TEXT, job_title TEXT,"
  "  relationship TEXT, stage TEXT, owner TEXT,"
  "  tags TEXT NOT NULL DEFAULT '[]', emails TEXT NOT NULL DEFAULT '[]',"
  "  phones TEXT NOT NULL DEFAULT '[]', addresses TEXT NOT NULL DEFAULT '[]',"
  "  social TEXT NOT NULL DEFAULT '[]', birthday TEXT, source TEXT,"
  "  preferred_channel TEXT, do_not_contact INTEGER NOT NULL DEFAULT 0,"
  "  marketing_consent INTEGER NOT NULL DEFAULT 0,"
  "  cadence_days INTEGER NOT NULL DEFAULT 0, created_by TEXT,"
  "  last_interaction_at INTEGER, sort_key TEXT);"
  "CREATE INDEX contacts_by_sort_key ON contacts (deleted, sort_key);"
  "CREATE INDEX contacts_by_owner ON contacts (owner, deleted);"
  "CREATE INDEX contacts_by_organization ON contacts (organization_id);"

  "CREATE TABLE interactions ("
  "  id TEXT PRIMARY KEY, stamp TEXT NOT NULL, field_stamps TEXT,"
  "  created_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER,"
  "  contact_id TEXT, kind TEXT, direction TEXT, channel TEXT, occurred_at INTEGER,"
  "  logged_by TEXT, department TEXT, summary TEXT, body TEXT,"
  "  awaiting_response INTEGER NOT NULL DEFAULT 0, responded_at INTEGER,"
  "  responded_by TEXT, resolved_at INTEGER);"
  "CREATE INDEX interactions_by_contact ON interactions (contact_id, occurred_at);"
  "CREATE INDEX interactions_awaiting ON interactions (awaiting_response, occurred_at)"
  "  WHERE awaiting_response = 1 AND deleted = 0;"

  "CREATE TABLE notes ("
  "  id TEXT PRIMARY KEY, stamp TEXT NOT NULL, field_stamps TEXT,"
  "  created_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER,"
  "  contact_id TEXT, body TEXT, private INTEGER NOT NULL DEFAULT 0,"
  "  pinned INTEGER NOT NULL DEFAULT 0, author TEXT, updated_at INTEGER, updated_by TEXT);"
  "CREATE INDEX notes_by_contact ON notes (contact_id, created_at);"
  "CREATE TABLE note_history ("
  "  note_id TEXT NOT NULL REFERENCES notes (id) ON DELETE CASCADE,"
  "  body TEXT, edited_by TEXT, edited_at INTEGER);"
  "CREATE INDEX note_history_by_note ON note_history (note_id);"

  "CREATE TABLE reminders ("
  "  id TEXT PRIMARY KEY, stamp TEXT NOT NULL, field_stamps TEXT,"
  "  created_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER,"
  "  contact_id TEXT, owner TEXT, title TEXT, due_at INTEGER, recurrence TEXT,"
  "  working_days INTEGER NOT NULL DEFAULT 0, snoozed_until INTEGER,"
  "  done_at INTEGER, done_by TEXT, created_by TEXT);"
  "CREATE INDEX reminders_open ON reminders (owner, due_at)"
  "  WHERE done_at IS NULL AND deleted = 0;"
  "CREATE INDEX reminders_by_contact ON reminders (contact_id);"

  "CREATE TABLE promises ("
  "  id TEXT PRIMARY KEY, stamp TEXT NOT NULL, field_stamps TEXT,"
  "  created_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER,"
  "  contact_id TEXT, what TEXT, promised_by TEXT, deliver_by_user TEXT,"
  "  deliver_by_department TEXT, due_at INTEGER, status TEXT, status_at INTEGER,"
  "  status_by TEXT);"
  "CREATE INDEX promises_open ON promises (due_at) WHERE status = 'open' AND deleted = 0;"
  "CREATE INDEX promises_by_contact ON promises (contact_id);"

  /* Derived from contacts, for tag views and duplicate detection. */
  "CREATE TABLE contact_tags ("
  "  contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
  "  tag TEXT NOT NULL, PRIMARY KEY (contact_id, tag)) WITHOUT ROWID;"
  "CREATE INDEX contact_tags_by_tag ON contact_tags (tag);"
  "CREATE TABLE contact_keys ("
  "  contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (kind, value, contact_id));"
  "CREATE INDEX contact_keys_by_contact ON contact_keys (contact_id);"

  /* Full-text search: one index per source, rowid = the record's rowid. */
  "CREATE VIRTUAL TABLE contacts_fts USING fts5 ("
  "  name, organization, emails, phones, tags,"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');"
  "CREATE VIRTUAL TABLE notes_fts USING fts5 ("
  "  body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
  "CREATE VIRTUAL TABLE interactions_fts USING fts5 ("
  "  summary, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"

  /* Sync: local changes not yet acknowledged, and sync state. */
  "CREATE TABLE journal ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, change_id TEXT NOT NULL UNIQUE,"
  "  entity TEXT NOT NULL, record_id TEXT NOT NULL, stamp TEXT NOT NULL,"
  "  fields TEXT NOT NULL);"
  "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
  "CREATE TABLE conflicts ("
  "  id INTEGER PRIMARY KEY, entity TEXT NOT NULL, record_id TEXT NOT NULL,"
  "  field TEXT NOT NULL, lost_value TEXT, lost_stamp TEXT, winner_stamp TEXT,"
  "  reason TEXT NOT NULL, at INTEGER NOT NULL, seen INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX conflicts_by_record ON conflicts (record_id);"

  /* Reminders: one notification per occurrence, never repeated. */
  "CREATE TABLE notified (record_id TEXT NOT NULL, occurrence INTEGER NOT NULL,"
  "  at INTEGER NOT NULL, PRIMARY KEY (record_id, occurrence)) WITHOUT ROWID;"

  /* Backlog trend: one figure per owner and day. */
  "CREATE TABLE backlog_daily (day TEXT NOT NULL, owner TEXT NOT NULL,"
  "  overdue INTEGER NOT NULL, PRIMARY KEY (day, owner)) WITHOUT ROWID;",

  /* 2: covering indexes for the due lists, the team backlog and the
   * contact list's filters (rapport-due.c, rapport-backlog.c,
   * rapport-contact-list.c); they replace three narrower indexes. The
   * columns of a partial index's condition are repeated in the index, so
   * SQLite (3.40) can answer from the index alone. */
  "CREATE INDEX reminders_open_cover ON reminders"
  "  (owner, due_at, snoozed_until, contact_id, done_at, deleted)"
  "  WHERE done_at IS NULL AND deleted = 0;"
  "DROP INDEX reminders_open;"
  "CREATE INDEX contacts_nurture ON contacts"
  "  (owner, cadence_days, last_interaction_at, created_at, relationship, deleted, do_not_contact)"
  "  WHERE deleted = 0 AND do_not_contact = 0;"
  "CREATE INDEX contacts_by_owner_sorted ON contacts (owner, deleted, sort_key);"
  "DROP INDEX contacts_by_owner;"
  "CREATE INDEX contacts_by_relationship ON contacts (deleted, relationship, sort_key);"
  "CREATE INDEX interactions_by_contact_live ON interactions (contact_id, deleted, occurred_at);"
  "DROP INDEX interactions_by_contact;",

  /* Sync, session 2 (app/server/PROTOCOL.md): conflicts name the
   * colleague whose edit won (a pulled change's author), when known; a
   * journaled erasure is one change marked erased, with no fields. */
  "ALTER TABLE conflicts ADD COLUMN winner_author TEXT;"
  "ALTER TABLE journal ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;"
  /* Per field of a record with pending edits, the value and stamp before
   * them (rapport-journal-base.c): a refused change is undone from it. */
  "CREATE TABLE journal_base (record_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT,"
  "  stamp TEXT, PRIMARY KEY (record_id, field)) WITHOUT ROWID;",
};

int
rapport_store_get_latest_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

const char *
rapport_migration_sql (int version)
{
  g_assert (version >= 1 && version <= (int) G_N_ELEMENTS (migrations));
  return migrations[version - 1];
}
