/* rapport-store.h: the local relationship store, one SQLite file per user */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-error.h"
#include "rapport-records.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_STORE (rapport_store_get_type ())
G_DECLARE_FINAL_TYPE (RapportStore, rapport_store, RAPPORT, STORE, GObject)

/* The clock the store reads for "now", in seconds since the epoch (UTC).
 * Tests inject one; the environment variable RAPPORT_NOW (ISO 8601 or epoch
 * seconds) fixes it for a whole process. */
typedef gint64 (*RapportNowFunc) (gpointer user_data);

char          *rapport_store_default_path   (void);
RapportStore  *rapport_store_open           (const char     *path,
                                             GError        **error);
const char    *rapport_store_get_path       (RapportStore   *self);
const char    *rapport_store_get_device_id  (RapportStore   *self);
int            rapport_store_get_schema_version (RapportStore *self);
int            rapport_store_get_latest_schema_version (void);

void           rapport_store_set_now_func   (RapportStore   *self,
                                             RapportNowFunc  func,
                                             gpointer        user_data);
gint64         rapport_store_now            (RapportStore   *self);

/* Grouping several writes in one transaction (imports, generation). Nested
 * calls join the outer transaction. Change signals are emitted at commit. */
gboolean       rapport_store_begin          (RapportStore   *self,
                                             GError        **error);
gboolean       rapport_store_commit         (RapportStore   *self,
                                             GError        **error);
void           rapport_store_rollback       (RapportStore   *self);
void           rapport_store_defer_checkpoint (RapportStore *self);
gboolean       rapport_store_checkpoint     (RapportStore   *self,
                                             GError        **error);
gboolean       rapport_store_checkpoint_all (RapportStore   *self,
                                             GError        **error);

/* Who "I" am on this desktop. */
RapportUser   *rapport_store_get_me         (RapportStore   *self);
const char    *rapport_store_get_me_id      (RapportStore   *self);
gboolean       rapport_store_set_me         (RapportStore   *self,
                                             RapportUser    *user,
                                             GError        **error);

/* Generic records. save() inserts or updates (only changed fields are
 * journaled), giving a new record an id and creation time. delete() moves a
 * record to the Trash; restore() brings it back. */
gboolean       rapport_store_save           (RapportStore   *self,
                                             RapportRecord  *record,
                                             GError        **error);
RapportRecord *rapport_store_load           (RapportStore   *self,
                                             const RapportEntity *entity,
                                             const char     *id,
                                             GError        **error);
gboolean       rapport_store_delete         (RapportStore   *self,
                                             RapportRecord  *record,
                                             GError        **error);
gboolean       rapport_store_restore        (RapportStore   *self,
                                             RapportRecord  *record,
                                             GError        **error);
GPtrArray     *rapport_store_list           (RapportStore   *self,
                                             const RapportEntity *entity,
                                             const char     *where,
                                             GError        **error);

/* Typed helpers. */
RapportContact *rapport_store_get_contact   (RapportStore   *self,
                                             const char     *id,
                                             GError        **error);
RapportContact *rapport_store_find_contact  (RapportStore   *self,
                                             const char     *id_or_query,
                                             GError        **error);
RapportUser    *rapport_store_get_user      (RapportStore   *self,
                                             const char     *id);
RapportUser    *rapport_store_find_user     (RapportStore   *self,
                                             const char     *id_or_name,
                                             GError        **error);
GPtrArray      *rapport_store_list_users    (RapportStore   *self);
char          **rapport_store_list_tags     (RapportStore   *self);
GPtrArray      *rapport_store_list_trash    (RapportStore   *self,
                                             GError        **error);

/* One timeline per contact: interactions, notes, promises, reminders and
 * complaints by every colleague, pinned notes first, then newest first.
 * Private notes of other users are left out. */
GPtrArray      *rapport_store_timeline      (RapportStore   *self,
                                             const char     *contact_id,
                                             GError        **error);

G_END_DECLS
