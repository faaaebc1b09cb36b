/* rapport-store-private.h: store internals shared inside app/core */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "rapport-hlc.h"
#include "rapport-store.h"

G_BEGIN_DECLS

/* SQLite's application_id for Rapport stores: "RPRT". */
#define RAPPORT_APPLICATION_ID 0x52505254

const char    *rapport_migration_sql          (int version);

/* Another connection to the same file, for another thread (rapport-store.c). */
RapportStore  *rapport_store_open_connection  (RapportStore  *store,
                                               GError       **error);
/* Reads "who am I" again from the file: another connection may have set it. */
void           rapport_store_reload_me        (RapportStore  *self);
sqlite3       *rapport_store_get_db           (RapportStore  *self);
sqlite3_stmt  *rapport_store_prepare          (RapportStore  *self,
                                               const char    *sql,
                                               GError       **error);
gboolean       rapport_store_exec             (RapportStore  *self,
                                               const char    *sql,
                                               GError       **error);
gboolean       rapport_store_set_sqlite_error (RapportStore  *self,
                                               GError       **error,
                                               const char    *what);
RapportRecord *rapport_store_record_from_row  (const RapportEntity *entity,
                                               sqlite3_stmt  *stmt,
                                               int            first_column);
typedef char *(*RapportSqlBuilder) (const RapportEntity *entity);
const char    *rapport_store_entity_sql       (GHashTable         **cache,
                                               RapportSqlBuilder    build,
                                               const RapportEntity *entity);
void           rapport_store_bind_field       (sqlite3_stmt        *stmt,
                                               int                  index,
                                               RapportRecord       *record,
                                               const RapportField  *field,
                                               const char          *json,
                                               int                  json_len);
char          *rapport_store_select_columns   (const RapportEntity *entity,
                                               const char    *table_alias);
char          *rapport_store_next_stamp       (RapportStore  *self);
gint64         rapport_store_stamp_now_ms     (RapportStore  *self);
gboolean       rapport_store_reset_clock      (RapportStore  *self,
                                               GError       **error);
gboolean       rapport_store_observe_stamp    (RapportStore  *self,
                                               const char    *stamp,
                                               GError       **error);
gboolean       rapport_store_observe_stored_stamp (RapportStore *self,
                                               const char    *stamp,
                                               GError       **error);
void           rapport_store_emit_changed     (RapportStore  *self,
                                               const char    *entity,
                                               const char    *id);

gboolean       rapport_store_merge_fields     (RapportStore  *self,
                                               const RapportEntity *entity,
                                               const char    *id,
                                               const char    *stamp,
                                               JsonObject    *fields,
                                               GPtrArray     *lost,
                                               JsonObject   **applied,
                                               GError       **error);

/* Derived data kept in step with records (rapport-index.c): sort keys,
 * tags, duplicate keys, full-text indexes, last interaction, note history. */
gboolean       rapport_index_record_change    (RapportStore  *self,
                                               RapportRecord *old_record,
                                               RapportRecord *record,
                                               GError       **error);
gboolean       rapport_index_record_change_at (RapportStore  *self,
                                               RapportRecord *old_record,
                                               RapportRecord *record,
                                               gint64         rowid,
                                               GError       **error);
/* Off: record writes on this connection skip the full-text rows, tags and
 * duplicate keys (the sync server's store, never searched). */
void           rapport_store_set_search_data  (RapportStore  *self,
                                               gboolean       keep);
gint64         rapport_store_rowid            (RapportStore  *self,
                                               const RapportEntity *entity,
                                               const char    *id);
char          *rapport_index_sort_key         (const char    *name);
char          *rapport_index_search_text      (const char    *text);
void           rapport_index_prepare_phones   (JsonArray     *phones);
char          *rapport_index_values_text      (JsonArray     *array,
                                               gboolean       phones);
char          *rapport_phone_digits           (const char    *phone);

G_END_DECLS
