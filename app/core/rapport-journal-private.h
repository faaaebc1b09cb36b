/* rapport-journal-private.h: applying pulled changes, internals shared inside app/core */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-journal.h"

G_BEGIN_DECLS

/* Pulled changes of records not stored yet, written without a merge, their
 * derived data in one go per page (rapport-journal-apply.c). */
typedef struct _RapportApplyBatch RapportApplyBatch;

RapportApplyBatch *rapport_apply_batch_new        (RapportStore        *store);
void               rapport_apply_batch_free       (RapportApplyBatch   *self);
gboolean           rapport_apply_batch_insert_new (RapportApplyBatch   *self,
                                                   const RapportEntity *entity,
                                                   RapportChange       *change,
                                                   gboolean            *inserted,
                                                   GError             **error);
gboolean           rapport_apply_batch_flush      (RapportApplyBatch   *self,
                                                   GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportApplyBatch, rapport_apply_batch_free)

G_END_DECLS
