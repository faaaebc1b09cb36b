/* rapport-backup.h: a consistent copy of a store, made while it is in use, and restoring one */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 contacts;      /* not in the Trash */
  gint64 interactions;
  gint64 bytes;         /* the backup file's size */
} RapportBackupInfo;

gboolean rapport_store_backup (RapportStore       *self,
                               const char         *path,
                               RapportBackupInfo  *info,
                               GError            **error);
/* The same in a thread. */
void     rapport_store_backup_async  (RapportStore        *self,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean rapport_store_backup_finish (RapportStore        *self,
                                      GAsyncResult        *result,
                                      RapportBackupInfo   *info,
                                      GError             **error);

typedef struct
{
  gint64   contacts;      /* of the store restored, not in the Trash */
  gint64   interactions;
  gboolean synced;        /* it had synced: what came after comes back with a sync */
  char    *kept;          /* where the store as it was is kept; NULL if there was none */
} RapportRestoreInfo;

gboolean rapport_store_restore_backup (const char          *path,
                                       const char          *backup,
                                       RapportRestoreInfo  *info,
                                       GError             **error);
void     rapport_restore_info_clear   (RapportRestoreInfo  *info);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RapportRestoreInfo, rapport_restore_info_clear)

G_END_DECLS
