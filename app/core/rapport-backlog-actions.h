/* rapport-backlog-actions.h: what a manager does from the backlog: reassign, nudge, undo */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-due.h"

G_BEGIN_DECLS

/* What one action changed, kept so it can be undone. Every change goes
 * through rapport_store_save(), so it is journaled and synced like an edit
 * in the contact page; so is its undo. */
typedef struct _RapportBacklogChange RapportBacklogChange;

void      rapport_backlog_change_free   (RapportBacklogChange *change);
/* How many records the action changed or created. */
guint     rapport_backlog_change_get_count (const RapportBacklogChange *change);
/* Puts back what the action changed (a field someone changed again since
 * is left alone) and moves the reminders it created to the Trash. */
gboolean  rapport_backlog_change_undo   (RapportStore         *store,
                                         RapportBacklogChange *change,
                                         GError              **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportBacklogChange, rapport_backlog_change_free)

/* Whether @by_user may reassign the work of others and nudge them: a
 * manager or an admin. */
gboolean  rapport_backlog_can_manage    (RapportStore         *store,
                                         const char           *by_user);

/* Hands the follow-ups of @items (element-type RapportDueItem) to
 * @new_owner, in one transaction: a reminder gets a new owner, a promise a
 * new person to deliver it, and a cadence, a relationship going cold or a
 * complaint (which belong to the relationship) a new owner of the contact.
 * Items of others need @by_user to be a manager or an admin.
 * Returns: (transfer full): what changed, or %NULL with @error set. */
RapportBacklogChange *rapport_backlog_reassign_items (RapportStore *store,
                                                      GPtrArray    *items,
                                                      const char   *new_owner,
                                                      const char   *by_user,
                                                      GError      **error);

/* Hands whole relationships: each contact of @items gets @new_owner as its
 * owner, and the open reminders of that contact owned by its former owner
 * go along. */
RapportBacklogChange *rapport_backlog_reassign_relationships (RapportStore *store,
                                                              GPtrArray    *items,
                                                              const char   *new_owner,
                                                              const char   *by_user,
                                                              GError      **error);

/* Nudges the owner of each of @items: a reminder for them, due at @at,
 * about the item's contact, saying who asked. Items without an owner are
 * skipped; an error when none is left. */
RapportBacklogChange *rapport_backlog_nudge          (RapportStore *store,
                                                      GPtrArray    *items,
                                                      const char   *by_user,
                                                      gint64        at,
                                                      GError      **error);

G_END_DECLS
