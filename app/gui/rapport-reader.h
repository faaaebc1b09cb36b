/* rapport-reader.h: big queries on a worker thread, with its own connection */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-store.h"

G_BEGIN_DECLS

/* Runs in the worker thread with the reader's own RapportStore (opened on
 * the same file on first use, used by one query at a time). Returns the
 * result, or NULL with @error set. */
typedef gpointer (*RapportReaderFunc) (RapportStore  *reader,
                                       gpointer       data,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* Runs @func on the reader of @store (made on first use and kept with the
 * store) without blocking the main loop; @callback gets the result in the
 * main context with rapport_reader_run_finish(). @data is freed with
 * @data_free once @func ran. */
void     rapport_reader_run_async  (RapportStore        *store,
                                    RapportReaderFunc    func,
                                    gpointer             data,
                                    GDestroyNotify       data_free,
                                    GDestroyNotify       result_free,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
/* (transfer full) (nullable): the result of @func, freed by the caller. */
gpointer rapport_reader_run_finish (GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
