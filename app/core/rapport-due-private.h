/* rapport-due-private.h: the SQL shared by the due lists and the backlog */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-due.h"

G_BEGIN_DECLS

#define RAPPORT_DAY ((gint64) 24 * 60 * 60)

/* A relationship with no cadence goes cold after this long without contact. */
#define RAPPORT_COLD_AFTER (90 * RAPPORT_DAY)

/* Promises due within this time (3 days, in seconds) are at risk. */
#define RAPPORT_PROMISE_AT_RISK 259200

/* Records attached to a contact in the Trash count as in the Trash too. The
 * Trash is small, so the set of its ids is built once per query. */
#define RAPPORT_SQL_NOT_IN_TRASH(column) \
  "(" column " IS NULL OR " column " NOT IN (SELECT id FROM contacts WHERE deleted = 1))"

/* When a reminder is due: its due time, or the end of its snooze. */
#define RAPPORT_SQL_REMINDER_DUE "max (r.due_at, coalesce (r.snoozed_until, 0))"

/* Contacts whose relationship is nurtured (cadence or going cold). */
#define RAPPORT_SQL_NURTURED "c.deleted = 0 AND c.do_not_contact = 0"

/* When a contact last heard from anyone at the company (or was added). */
#define RAPPORT_SQL_LAST_TOUCH "coalesce (c.last_interaction_at, c.created_at, 0)"

/* When keeping in touch falls due (contacts with a cadence). */
#define RAPPORT_SQL_CADENCE_DUE "(" RAPPORT_SQL_LAST_TOUCH " + c.cadence_days * 86400)"

/* TRUE for a contact going cold at ?1. */
#define RAPPORT_SQL_GOING_COLD                                                              \
  "((c.cadence_days > 0 AND " RAPPORT_SQL_CADENCE_DUE " <= ?1) OR (c.cadence_days <= 0 AND " \
  "coalesce (c.relationship, '') <> 'former' AND " RAPPORT_SQL_LAST_TOUCH " + 7776000 <= ?1))"

/* The owner of a promise: who delivers it, or who made it. */
#define RAPPORT_SQL_PROMISE_OWNER "coalesce (p.deliver_by_user, p.promised_by)"

/* A complaint or feedback still waiting for its first response. */
#define RAPPORT_SQL_AWAITING                                                               \
  "i.awaiting_response = 1 AND i.deleted = 0 AND i.responded_at IS NULL AND "               \
  "i.resolved_at IS NULL AND i.occurred_at <= ?1"

G_END_DECLS
