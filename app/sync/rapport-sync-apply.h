/* rapport-sync-apply.h: reading pulled pages and applying them to the store */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-sync-run.h"

G_BEGIN_DECLS

GPtrArray *rapport_sync_read_changes    (RapportSyncRun *run,
                                         JsonObject     *answer,
                                         GError        **error);
gboolean   rapport_sync_apply_page      (RapportSyncRun *run,
                                         RapportStore   *store,
                                         GPtrArray      *changes,
                                         gint64          cursor,
                                         GError        **error);
gboolean   rapport_sync_apply_page_text (RapportSyncRun *run,
                                         RapportStore   *store,
                                         RapportSyncPage *page,
                                         GError        **error);
void       rapport_sync_end_turn        (RapportSyncRun *run,
                                         gboolean        failed);
void       rapport_sync_apply_in_thread (GTask          *task,
                                         gpointer        source_object,
                                         gpointer        task_data,
                                         GCancellable   *cancellable);

G_END_DECLS
