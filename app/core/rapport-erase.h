/* rapport-erase.h: erasing a contact and everything about them (an erasure request) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

/* Erases a contact (in the Trash or not) and every interaction, note,
 * reminder and promise about them, in one transaction:
 *
 * 1. Each record is wiped through the normal write path: every text, list
 *    and time field emptied, and deleted set. That change is journaled, so
 *    sync carries the wipe to the server and to every other desktop, where
 *    the record becomes an empty tombstone.
 * 2. Every older journal entry about those records is deleted (the values
 *    they carry must not be pushed any more), leaving only the wipe.
 * 3. The local rows are purged: the records, their full-text index rows,
 *    tags, duplicate keys, note history, conflicts and notifications.
 * 4. The erased record ids are remembered in sync_state
 *    ("erased/ENTITY/ID"), for sync to ignore late changes to them.
 *
 * Persons of an erased organization lose their link to it.
 * Returns: the number of records erased, or -1 with @error set. */
gint64 rapport_store_erase_contact  (RapportStore *store,
                                     const char   *contact_id,
                                     GError      **error);

/* Whether a record was erased on this desktop. */
gboolean rapport_store_is_erased    (RapportStore *store,
                                     const char   *entity,
                                     const char   *record_id);

G_END_DECLS
