/* rapport-store-indexes.h: secondary indexes of the record tables, dropped during a first sync */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

gboolean rapport_store_is_blank              (RapportStore  *self,
                                              const char    *cursor_key);
gboolean rapport_store_defer_indexes         (RapportStore  *self,
                                              GError       **error);
gboolean rapport_store_get_indexes_deferred  (RapportStore  *self);
gboolean rapport_store_restore_indexes       (RapportStore  *self,
                                              GError       **error);
gboolean rapport_store_hold_last_interactions (RapportStore *self,
                                               gboolean     *held,
                                               GError      **error);

G_END_DECLS
