/* rapport-due.h: what is due, what is going cold, and the team backlog */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-store.h"

G_BEGIN_DECLS

/* Every computation takes the time as a parameter, so tests never wait. */

typedef enum
{
  RAPPORT_DUE_REMINDER,   /* a follow-up reminder falls due */
  RAPPORT_DUE_CADENCE,    /* keep in touch: last interaction by anyone + cadence */
  RAPPORT_DUE_PROMISE,    /* a promise to deliver, or that I made, falls due */
  RAPPORT_DUE_COMPLAINT,  /* a complaint or feedback awaits a response */
} RapportDueKind;

typedef struct
{
  RapportDueKind kind;
  char *record_id;        /* reminder, promise or interaction id; contact id for a cadence */
  char *contact_id;
  char *contact_name;
  char *owner;            /* user id the item belongs to */
  char *title;            /* reminder title, promise text, complaint summary */
  gint64 due_at;          /* when it fell or falls due */
  gint64 last_interaction_at;
  gboolean urgent;        /* complaint past its response target, promise due today */
} RapportDueItem;

#define RAPPORT_TYPE_DUE_ITEM (rapport_due_item_get_type ())
GType           rapport_due_item_get_type (void) G_GNUC_CONST;
RapportDueItem *rapport_due_item_copy     (const RapportDueItem *item);
void            rapport_due_item_free     (RapportDueItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportDueItem, rapport_due_item_free)

/* Complaints and feedback should get a first response within this time. */
#define RAPPORT_COMPLAINT_RESPONSE_TARGET (24 * 60 * 60)

/* What @user_id (NULL = everyone) should act on at @at: reminders due at or
 * before @at (snooze honoured), cadences whose next contact is due at or
 * before @at, open promises due within @horizon seconds after @at, and
 * complaints awaiting a response. Overdue first, oldest first.
 * (element-type RapportDueItem) */
GPtrArray *rapport_store_due             (RapportStore *self,
                                          const char   *user_id,
                                          gint64        at,
                                          gint64        horizon,
                                          GError      **error);

/* Relationships past their cadence, or with no interaction for 90 days when
 * they have none, owned by @user_id (NULL = everyone). (element-type RapportDueItem) */
GPtrArray *rapport_store_going_cold      (RapportStore *self,
                                          const char   *user_id,
                                          gint64        at,
                                          GError      **error);

/* Open promises by due date. (element-type RapportDueItem) */
GPtrArray *rapport_store_open_promises   (RapportStore *self,
                                          const char   *user_id,
                                          gint64        at,
                                          GError      **error);

/* Complaints and feedback awaiting a first response, oldest first. (element-type RapportDueItem) */
GPtrArray *rapport_store_open_complaints (RapportStore *self,
                                          gint64        at,
                                          GError      **error);

/* The next time anything of @user_id falls due after @at (reminder, snooze
 * end, cadence), or 0 when nothing will: for the one reminder timer. */
gint64     rapport_store_next_due_time   (RapportStore *self,
                                          const char   *user_id,
                                          gint64        at);

/* One owner's row of the team backlog. */
typedef struct
{
  char *owner;             /* user id */
  char *owner_name;
  guint overdue_1_7;       /* overdue follow-ups by age in days */
  guint overdue_8_30;
  guint overdue_31_plus;
  guint due_this_week;     /* due after @at and within 7 days */
  guint going_cold;        /* relationships past their cadence */
  guint promises_at_risk;  /* open, due within 3 days */
  guint promises_broken;   /* open and past due */
  guint complaints_waiting;
  gint64 oldest_complaint_age; /* seconds */
} RapportBacklogRow;

#define RAPPORT_TYPE_BACKLOG_ROW (rapport_backlog_row_get_type ())
GType              rapport_backlog_row_get_type (void) G_GNUC_CONST;
RapportBacklogRow *rapport_backlog_row_copy     (const RapportBacklogRow *row);
void               rapport_backlog_row_free     (RapportBacklogRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportBacklogRow, rapport_backlog_row_free)

/* The team backlog per owner at @at; with @user_id set, that owner only.
 * (element-type RapportBacklogRow) */
GPtrArray *rapport_store_backlog         (RapportStore *self,
                                          const char   *user_id,
                                          gint64        at,
                                          GError      **error);

/* Stores each owner's overdue count at @at (all aging buckets) in the
 * backlog_daily table as the figure of @at's local calendar day, replacing
 * an earlier figure of that day: the trend a manager sees. */
gboolean   rapport_store_record_backlog_day (RapportStore *self,
                                             gint64        at,
                                             GError      **error);

G_END_DECLS
