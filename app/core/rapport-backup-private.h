/* rapport-backup-private.h: what backup and restore share */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>
#include <glib.h>

G_BEGIN_DECLS

/* Copies the store file @source to @target (VACUUM INTO) on a read-only
 * connection of its own; @name is @target as the reader knows it. A
 * damaged @source gives RAPPORT_ERROR_CORRUPT. */
gboolean rapport_backup_vacuum_into (const char  *source,
                                     const char  *target,
                                     const char  *name,
                                     GError     **error);
/* fsync()s @path; @bytes: (out) (optional): its size. */
gboolean rapport_backup_sync_file   (const char  *path,
                                     const char  *name,
                                     gint64      *bytes,
                                     GError     **error);
/* Contacts not in the Trash, and interactions, of the store open in @db. */
gboolean rapport_backup_count       (sqlite3     *db,
                                     gint64      *contacts,
                                     gint64      *interactions);
/* Gives @from the name @to only if it is free (a link; a rename where the
 * file system has no links, after looking again). Returns 0, or an errno:
 * EEXIST when @to is taken. */
int      rapport_backup_take_name   (const char  *from,
                                     const char  *to);

G_END_DECLS
