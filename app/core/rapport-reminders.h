/* rapport-reminders.h: acting on reminders, and what to notify when */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-due.h"
#include "rapport-store.h"

G_BEGIN_DECLS

/* Acting on a reminder ------------------------------------------------------ */

/* Marks @reminder done by @by_user at @at. A recurring reminder stays in the
 * history as done, and its next occurrence is created as a new reminder: the
 * first occurrence of the recurrence after @at, counted from the due time (so
 * a weekly Monday reminder done late on Wednesday comes back next Monday).
 * @next receives that new reminder, or %NULL for a one-off reminder. */
gboolean rapport_reminder_complete (RapportStore     *store,
                                    RapportReminder  *reminder,
                                    const char       *by_user,
                                    gint64            at,
                                    RapportReminder **next,
                                    GError          **error);

/* Moves the reminder out of sight until @until (0 ends a snooze). */
gboolean rapport_reminder_snooze   (RapportStore     *store,
                                    RapportReminder  *reminder,
                                    gint64            until,
                                    GError          **error);

/* Hands the reminder to @new_owner. Allowed to managers and admins, and to
 * the owner for their own reminders. */
gboolean rapport_reminder_reassign (RapportStore     *store,
                                    RapportReminder  *reminder,
                                    const char       *new_owner,
                                    const char       *by_user,
                                    GError          **error);

typedef enum
{
  RAPPORT_SNOOZE_HOUR,       /* one hour from now */
  RAPPORT_SNOOZE_TOMORROW,   /* tomorrow at 09:00 local time */
  RAPPORT_SNOOZE_NEXT_WEEK,  /* next Monday at 09:00 local time */
} RapportSnooze;

gint64   rapport_snooze_until      (RapportSnooze     snooze,
                                    gint64            now);

/* Done and Snooze for anything that falls due (a notification's buttons):
 * - reminder: complete / snooze it;
 * - cadence: done logs an outbound interaction by @by_user (which resets the
 *   cadence); snooze sets a one-off reminder at @until;
 * - promise: done marks it kept; snooze sets a one-off reminder;
 * - complaint: done records the first response; snooze sets a reminder.
 * Done on something already done is not an error. */
gboolean rapport_due_item_complete (RapportStore         *store,
                                    const RapportDueItem *item,
                                    const char           *by_user,
                                    gint64                at,
                                    GError              **error);
gboolean rapport_due_item_snooze   (RapportStore         *store,
                                    const RapportDueItem *item,
                                    gint64                until,
                                    const char           *by_user,
                                    GError              **error);

/* When notifications may be shown ------------------------------------------- */

typedef struct
{
  gboolean quiet_hours;        /* hold notifications between start and end */
  int quiet_start;             /* minutes after local midnight */
  int quiet_end;               /* may be before start: over midnight */
  gboolean working_days_only;  /* hold them on Saturdays and Sundays */
} RapportQuietPolicy;

/* Reads "HH:MM" into minutes after midnight. */
gboolean rapport_quiet_parse_time  (const char               *text,
                                    int                      *minutes);
char    *rapport_quiet_format_time (int                       minutes);
gboolean rapport_quiet_allows      (const RapportQuietPolicy *policy,
                                    gint64                    at);
/* The first time at or after @at when notifications may be shown. */
gint64   rapport_quiet_next_allowed (const RapportQuietPolicy *policy,
                                     gint64                    at);

/* What to notify ------------------------------------------------------------ */

/* The occurrence a due item is notified for: its due time, so a snooze, a
 * new cadence period or the next occurrence of a recurring reminder is a new
 * occurrence. Complaints are notified when their response target runs out. */
gint64     rapport_due_item_occurrence (const RapportDueItem *item);

/* Items of @user_id (NULL = everyone) due at or before @at that were never
 * notified on this desktop, overdue first; empty while @policy holds
 * notifications at @at. At start these are the ones that fell due while
 * Rapport was not running. (element-type RapportDueItem) */
GPtrArray *rapport_reminders_pending   (RapportStore             *store,
                                        const char               *user_id,
                                        gint64                    at,
                                        const RapportQuietPolicy *policy,
                                        GError                  **error);

/* The next time after @at when rapport_reminders_pending() may return
 * something (quiet hours and weekends taken into account), or 0 when nothing
 * will fall due. Items waiting for quiet hours to end give their end. */
gint64     rapport_reminders_next_wake (RapportStore             *store,
                                        const char               *user_id,
                                        gint64                    at,
                                        const RapportQuietPolicy *policy);

/* Remembers that an occurrence was shown, so it is never shown again, even
 * after a restart. @items: (element-type RapportDueItem) */
gboolean   rapport_reminders_mark_notified (RapportStore *store,
                                            GPtrArray    *items,
                                            gint64        at,
                                            GError      **error);
gboolean   rapport_reminders_was_notified  (RapportStore *store,
                                            const char   *record_id,
                                            gint64        occurrence);

/* The daily digest: the time it is next due for (at or before @at when one
 * is due now; never a day earlier than the day of @at), with the local
 * midnight of its day in @day; 0 when @minutes is out of range. */
gint64     rapport_reminders_next_digest (RapportStore             *store,
                                          int                       minutes,
                                          gint64                    at,
                                          const RapportQuietPolicy *policy,
                                          gint64                   *day);
gboolean   rapport_reminders_mark_digest (RapportStore             *store,
                                          gint64                    day,
                                          gint64                    at,
                                          GError                  **error);

/* A number that changes when another process (rapport-cli, a second
 * Rapport) commits to the store: a reason to look again at what is due. */
gint64     rapport_reminders_data_version (RapportStore *store);

/* What a notification says ------------------------------------------------- */

typedef struct
{
  char *title;            /* who and why */
  char *body;             /* plain text, lines separated by "\n" */
  gboolean urgent;
  char *contact_id;       /* the contact to open; NULL for a summary */
  RapportDueItem *item;   /* what Done and Snooze act on; NULL for a summary */
  guint count;            /* how many items a summary or digest stands for */
} RapportNotice;

void           rapport_notice_free         (RapportNotice *notice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportNotice, rapport_notice_free)

/* One item: title says who and why; body gives the last interaction (when,
 * who, summary) and the preferred channel with its address or number. */
RapportNotice *rapport_notice_new_for_item (RapportStore         *store,
                                            const RapportDueItem *item,
                                            gint64                now);
/* "7 follow-ups are overdue", naming the first few. @items: (element-type RapportDueItem) */
RapportNotice *rapport_notice_new_summary  (GPtrArray            *items);
/* Today's outreach for @user_id on the local day of @at, or %NULL (no
 * error) when nothing is due that day. */
RapportNotice *rapport_notice_new_digest   (RapportStore         *store,
                                            const char           *user_id,
                                            gint64                at,
                                            GError              **error);

G_END_DECLS
