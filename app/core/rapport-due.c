/* rapport-due.c: what is due, what is going cold, open promises and complaints */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-due"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-due-private.h"
#include "rapport-store-private.h"

G_DEFINE_BOXED_TYPE (RapportDueItem, rapport_due_item, rapport_due_item_copy, rapport_due_item_free)

RapportDueItem *
rapport_due_item_copy (const RapportDueItem *item)
{
  RapportDueItem *copy;

  g_return_val_if_fail (item != NULL, NULL);

  copy = g_memdup2 (item, sizeof *item);
  copy->record_id = g_strdup (item->record_id);
  copy->contact_id = g_strdup (item->contact_id);
  copy->contact_name = g_strdup (item->contact_name);
  copy->owner = g_strdup (item->owner);
  copy->title = g_strdup (item->title);
  return copy;
}

void
rapport_due_item_free (RapportDueItem *item)
{
  if (item == NULL)
    return;
  g_free (item->record_id);
  g_free (item->contact_id);
  g_free (item->contact_name);
  g_free (item->owner);
  g_free (item->title);
  g_free (item);
}

/* Every due query selects these columns, in this order:
 * record id, contact id, contact name, owner, title, due time, last
 * interaction, and a number that depends on the kind (a cadence's days). */
#define DUE_COLUMNS 8

static char *
column_dup (sqlite3_stmt *stmt, int col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static RapportDueItem *
item_from_row (sqlite3_stmt *stmt, RapportDueKind kind, gint64 at)
{
  RapportDueItem *item = g_new0 (RapportDueItem, 1);

  item->kind = kind;
  item->record_id = column_dup (stmt, 0);
  item->contact_id = column_dup (stmt, 1);
  item->contact_name = column_dup (stmt, 2);
  item->owner = column_dup (stmt, 3);
  item->title = column_dup (stmt, 4);
  item->due_at = sqlite3_column_int64 (stmt, 5);
  item->last_interaction_at = sqlite3_column_int64 (stmt, 6);

  switch (kind)
    {
    case RAPPORT_DUE_CADENCE:
      {
        gint64 days = sqlite3_column_int64 (stmt, 7);
        g_free (item->title);
        if (days > 0)
          item->title = g_strdup_printf (ngettext ("Keep in touch every %u day",
                                                   "Keep in touch every %u days", (gulong) days),
                                         (guint) days);
        else
          item->title = g_strdup (_("Going cold: no contact for 90 days"));
        item->urgent = at - item->due_at >= 7 * RAPPORT_DAY;
        break;
      }
    case RAPPORT_DUE_PROMISE:
      item->urgent = item->due_at < at + RAPPORT_DAY;
      break;
    case RAPPORT_DUE_COMPLAINT:
      item->urgent = at >= item->due_at;
      break;
    case RAPPORT_DUE_REMINDER:
    default:
      item->urgent = FALSE;
      break;
    }
  return item;
}

/* Runs a due query: ?1 is the time, ?2 the user (when the SQL uses it), ?3
 * a second time or number. */
static gboolean
collect (RapportStore *self, GPtrArray *items, const char *sql, RapportDueKind kind, gint64 at,
         const char *user_id, gint64 extra, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  g_assert (sqlite3_column_count (stmt) == DUE_COLUMNS);
  sqlite3_bind_int64 (stmt, 1, at);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    sqlite3_bind_int64 (stmt, 3, extra);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt, kind, at));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("compute what is due"));
  return TRUE;
}

static int
compare_items (gconstpointer a, gconstpointer b)
{
  const RapportDueItem *ia = *(RapportDueItem **) a;
  const RapportDueItem *ib = *(RapportDueItem **) b;

  if (ia->due_at != ib->due_at)
    return ia->due_at < ib->due_at ? -1 : 1;
  if (ia->kind != ib->kind)
    return (int) ia->kind - (int) ib->kind;
  return g_strcmp0 (ia->record_id, ib->record_id);
}

/* The queries, in two variants: for everyone, and for one user (?2). */

#define REMINDERS_SQL(user_condition)                                                      \
  "SELECT r.id, r.contact_id, c.name, r.owner, r.title, " RAPPORT_SQL_REMINDER_DUE " AS d, " \
  "  c.last_interaction_at, 0"                                                              \
  " FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id"                           \
  " WHERE r.done_at IS NULL AND r.deleted = 0 AND r.due_at <= ?1" user_condition            \
  "   AND coalesce (c.deleted, 0) = 0 AND d <= ?1"

#define CADENCES_SQL(user_condition)                                                       \
  "SELECT c.id, c.id, c.name, c.owner, NULL, " RAPPORT_SQL_CADENCE_DUE " AS d, "            \
  "  c.last_interaction_at, c.cadence_days"                                                 \
  " FROM contacts c WHERE " RAPPORT_SQL_NURTURED " AND c.cadence_days > 0" user_condition   \
  "   AND d <= ?1"

#define PROMISES_SQL(user_condition, horizon)                                              \
  "SELECT p.id, p.contact_id, c.name, " RAPPORT_SQL_PROMISE_OWNER ", p.what, p.due_at, "    \
  "  c.last_interaction_at, 0"                                                              \
  " FROM promises p LEFT JOIN contacts c ON c.id = p.contact_id"                            \
  " WHERE p.status = 'open' AND p.deleted = 0" horizon user_condition                       \
  "   AND coalesce (c.deleted, 0) = 0"

/* Mine to deliver, mine promised, or my department's to deliver. */
#define PROMISE_OF_USER                                                                   \
  " AND (p.deliver_by_user = ?2 OR p.promised_by = ?2 OR (p.deliver_by_user IS NULL AND"   \
  "   p.deliver_by_department = (SELECT department FROM users WHERE id = ?2)))"

#define COMPLAINTS_SQL(user_condition)                                                     \
  "SELECT i.id, i.contact_id, c.name, c.owner, i.summary, i.occurred_at + "                 \
  G_STRINGIFY (RAPPORT_COMPLAINT_RESPONSE_TARGET) ", c.last_interaction_at, 0"             \
  " FROM interactions i LEFT JOIN contacts c ON c.id = i.contact_id"                        \
  " WHERE " RAPPORT_SQL_AWAITING " AND coalesce (c.deleted, 0) = 0" user_condition

#define GOING_COLD_SQL(user_condition)                                                     \
  "SELECT c.id, c.id, c.name, c.owner, NULL,"                                               \
  "  CASE WHEN c.cadence_days > 0 THEN " RAPPORT_SQL_CADENCE_DUE                            \
  "  ELSE " RAPPORT_SQL_LAST_TOUCH " + 7776000 END, c.last_interaction_at, c.cadence_days"  \
  " FROM contacts c WHERE " RAPPORT_SQL_NURTURED user_condition " AND " RAPPORT_SQL_GOING_COLD

/**
 * rapport_store_due:
 *
 * Returns: (transfer container) (element-type RapportDueItem): what is due,
 *   earliest first, or %NULL with @error set.
 */
GPtrArray *
rapport_store_due (RapportStore *self, const char *user_id, gint64 at, gint64 horizon,
                   GError **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_due_item_free);
  gboolean ok;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);
  g_return_val_if_fail (horizon >= 0, NULL);

  if (user_id != NULL)
    ok = collect (self, items, REMINDERS_SQL (" AND r.owner = ?2"), RAPPORT_DUE_REMINDER, at,
                  user_id, 0, error)
         && collect (self, items, CADENCES_SQL (" AND c.owner = ?2"), RAPPORT_DUE_CADENCE, at,
                     user_id, 0, error)
         && collect (self, items, PROMISES_SQL (PROMISE_OF_USER, " AND p.due_at <= ?1 + ?3"),
                     RAPPORT_DUE_PROMISE, at, user_id, horizon, error)
         && collect (self, items, COMPLAINTS_SQL (" AND c.owner = ?2"), RAPPORT_DUE_COMPLAINT, at,
                     user_id, 0, error);
  else
    ok = collect (self, items, REMINDERS_SQL (""), RAPPORT_DUE_REMINDER, at, NULL, 0, error)
         && collect (self, items, CADENCES_SQL (""), RAPPORT_DUE_CADENCE, at, NULL, 0, error)
         && collect (self, items,
                     PROMISES_SQL ("", " AND p.due_at <= ?1 + ?3"),
                     RAPPORT_DUE_PROMISE, at, NULL, horizon, error)
         && collect (self, items, COMPLAINTS_SQL (""), RAPPORT_DUE_COMPLAINT, at, NULL, 0, error);
  if (!ok)
    return NULL;
  g_ptr_array_sort (items, compare_items);
  return g_steal_pointer (&items);
}

/**
 * rapport_store_going_cold:
 *
 * A relationship goes cold when it is past its cadence, or, without a
 * cadence, when nobody has been in touch for 90 days (former customers
 * excepted). Contacts marked "do not contact" never go cold.
 *
 * Returns: (transfer container) (element-type RapportDueItem): coldest first.
 */
GPtrArray *
rapport_store_going_cold (RapportStore *self, const char *user_id, gint64 at, GError **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_due_item_free);
  gboolean ok;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);

  if (user_id != NULL)
    ok = collect (self, items, GOING_COLD_SQL (" AND c.owner = ?2"), RAPPORT_DUE_CADENCE, at,
                  user_id, 0, error);
  else
    ok = collect (self, items, GOING_COLD_SQL (""), RAPPORT_DUE_CADENCE, at, NULL, 0, error);
  if (!ok)
    return NULL;
  g_ptr_array_sort (items, compare_items);
  return g_steal_pointer (&items);
}

/**
 * rapport_store_open_promises:
 * @user_id: (nullable): promises this user delivers, made, or whose
 *   department delivers; %NULL for all
 *
 * Returns: (transfer container) (element-type RapportDueItem): by due date.
 */
GPtrArray *
rapport_store_open_promises (RapportStore *self, const char *user_id, gint64 at, GError **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_due_item_free);
  gboolean ok;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);

  if (user_id != NULL)
    ok = collect (self, items, PROMISES_SQL (PROMISE_OF_USER, ""), RAPPORT_DUE_PROMISE, at,
                  user_id, 0, error);
  else
    ok = collect (self, items, PROMISES_SQL ("", ""), RAPPORT_DUE_PROMISE, at, NULL, 0, error);
  if (!ok)
    return NULL;
  g_ptr_array_sort (items, compare_items);
  return g_steal_pointer (&items);
}

/**
 * rapport_store_open_complaints:
 *
 * Returns: (transfer container) (element-type RapportDueItem): complaints
 *   and feedback made at or before @at and still waiting for a first
 *   response, oldest first; due_at is when the response target ran out.
 */
GPtrArray *
rapport_store_open_complaints (RapportStore *self, gint64 at, GError **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_due_item_free);

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);

  if (!collect (self, items, COMPLAINTS_SQL (""), RAPPORT_DUE_COMPLAINT, at, NULL, 0, error))
    return NULL;
  g_ptr_array_sort (items, compare_items);
  return g_steal_pointer (&items);
}

static gint64
min_after (RapportStore *self, const char *sql, const char *user_id, gint64 at)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, NULL);
  gint64 value = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, at);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

#define NEXT_REMINDER_SQL(user_condition)                                                  \
  "SELECT min (" RAPPORT_SQL_REMINDER_DUE ") FROM reminders r"                              \
  " WHERE r.done_at IS NULL AND r.deleted = 0" user_condition                               \
  "   AND " RAPPORT_SQL_REMINDER_DUE " > ?1 AND " RAPPORT_SQL_NOT_IN_TRASH ("r.contact_id")

#define NEXT_CADENCE_SQL(user_condition)                                                   \
  "SELECT min (" RAPPORT_SQL_CADENCE_DUE ") FROM contacts c"                                \
  " WHERE " RAPPORT_SQL_NURTURED " AND c.cadence_days > 0" user_condition                   \
  "   AND " RAPPORT_SQL_CADENCE_DUE " > ?1"

#define NEXT_PROMISE_SQL(user_condition)                                                   \
  "SELECT min (p.due_at) FROM promises p"                                                   \
  " WHERE p.status = 'open' AND p.deleted = 0 AND p.due_at > ?1" user_condition            \
  "   AND " RAPPORT_SQL_NOT_IN_TRASH ("p.contact_id")

/**
 * rapport_store_next_due_time:
 *
 * Returns: the next time after @at when a reminder or snooze of @user_id
 *   (%NULL = anyone) ends, a cadence falls due, or a promise falls due; 0
 *   when nothing is scheduled.
 */
gint64
rapport_store_next_due_time (RapportStore *self, const char *user_id, gint64 at)
{
  gint64 times[3];
  gint64 next = 0;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), 0);

  if (user_id != NULL)
    {
      times[0] = min_after (self, NEXT_REMINDER_SQL (" AND r.owner = ?2"), user_id, at);
      times[1] = min_after (self, NEXT_CADENCE_SQL (" AND c.owner = ?2"), user_id, at);
      times[2] = min_after (self, NEXT_PROMISE_SQL (PROMISE_OF_USER), user_id, at);
    }
  else
    {
      times[0] = min_after (self, NEXT_REMINDER_SQL (""), NULL, at);
      times[1] = min_after (self, NEXT_CADENCE_SQL (""), NULL, at);
      times[2] = min_after (self, NEXT_PROMISE_SQL (""), NULL, at);
    }
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    if (times[i] > 0 && (next == 0 || times[i] < next))
      next = times[i];
  return next;
}
