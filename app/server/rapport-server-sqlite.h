/* rapport-server-sqlite.h: the server store in one SQLite file */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-server-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_SERVER_SQLITE (rapport_server_sqlite_get_type ())
G_DECLARE_FINAL_TYPE (RapportServerSqlite, rapport_server_sqlite, RAPPORT, SERVER_SQLITE, GObject)

/* Opens DATA_DIR/server.db; with @create, makes it (and its epoch) when
 * missing, else a missing store is an error telling to run init. */
RapportServerSqlite *rapport_server_sqlite_open (const char  *data_dir,
                                                 gboolean     create,
                                                 GError     **error);

/* Whether the store was just created by rapport_server_sqlite_open(). */
gboolean    rapport_server_sqlite_is_new        (RapportServerSqlite *self);

/* Compares the store with the watermark file written after every commit:
 * a store whose changes go back less far than the watermark (or that has
 * another epoch) was restored from a backup, and gets a new epoch so that
 * every desktop sends back what the backup lacks. @renewed tells. */
gboolean    rapport_server_sqlite_check_restored (RapportServerSqlite *self,
                                                  gboolean            *renewed,
                                                  GError             **error);

G_END_DECLS
