/* rapport-erase.h: erasing a contact and everything about them (an erasure request) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

/* Erases a contact (in the Trash or not) and every interaction, note,
 * reminder and promise about them, in one transaction:
 *
 * 1. The local rows are purged: the records, their full-text index rows,
 *    tags, duplicate keys, note history, conflicts, notifications, and
 *    every journal entry about them (their values must not be pushed).
 * 2. One change is journaled, {"erased": true} of the contact with no
 *    fields: sync carries it to the server, which deletes the same and its
 *    change log, and serves the erasure to every other desktop, which
 *    purges the same (rapport_store_purge_erased()).
 * 3. The erased record ids are remembered in sync_state
 *    ("erased/ENTITY/ID", the value the contact id), for sync to ignore
 *    late changes to them.
 *
 * Persons of an erased organization lose their link to it (an ordinary,
 * journaled edit). Returns: the number of records erased, or -1 with
 * @error set. */
gint64 rapport_store_erase_contact  (RapportStore *store,
                                     const char   *contact_id,
                                     GError      **error);

gboolean rapport_store_purge_erased (RapportStore *store,
                                     const char   *contact_id,
                                     GError      **error);
gboolean rapport_store_unerase      (RapportStore *store,
                                     const char   *contact_id,
                                     GError      **error);

/* Whether a record was erased on this desktop. */
gboolean rapport_store_is_erased    (RapportStore *store,
                                     const char   *entity,
                                     const char   *record_id);

G_END_DECLS
