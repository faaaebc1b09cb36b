/* rapport-backlog-detail.c: the figures of the team backlog, their items, departments and trend */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-due"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-backlog-detail.h"
#include "rapport-due-private.h"
#include "rapport-store-private.h"

/* The bounds of rapport-backlog.c: an item due at or before @at is overdue
 * by ceil ((at - due) / 1 day) days, at least 1. */
#define WEEK (7 * RAPPORT_DAY)
#define MONTH (30 * RAPPORT_DAY)

static const struct
{
  const char *key;
  const char *label;
  const char *short_label;
} figure_names[RAPPORT_BACKLOG_N_FIGURES] = {
  { "overdue_1_7", N_("Overdue 1–7 days"), N_("1–7 d") },
  { "overdue_8_30", N_("Overdue 8–30 days"), N_("8–30 d") },
  { "overdue_31_plus", N_("Overdue 31+ days"), N_("31+ d") },
  { "due_this_week", N_("Due this week"), N_("This week") },
  { "going_cold", N_("Going cold"), N_("Cold") },
  { "promises_at_risk", N_("Promises at risk"), N_("At risk") },
  { "promises_broken", N_("Promises broken"), N_("Broken") },
  { "complaints_waiting", N_("Complaints waiting"), N_("Complaints") },
};

const char *
rapport_backlog_figure_key (RapportBacklogFigure figure)
{
  g_return_val_if_fail (figure < RAPPORT_BACKLOG_N_FIGURES, NULL);
  return figure_names[figure].key;
}

const char *
rapport_backlog_figure_label (RapportBacklogFigure figure)
{
  g_return_val_if_fail (figure < RAPPORT_BACKLOG_N_FIGURES, NULL);
  return _(figure_names[figure].label);
}

const char *
rapport_backlog_figure_short_label (RapportBacklogFigure figure)
{
  g_return_val_if_fail (figure < RAPPORT_BACKLOG_N_FIGURES, NULL);
  return _(figure_names[figure].short_label);
}

guint
rapport_backlog_row_get (const RapportBacklogRow *row, RapportBacklogFigure figure)
{
  g_return_val_if_fail (row != NULL, 0);

  switch (figure)
    {
    case RAPPORT_BACKLOG_OVERDUE_1_7:
      return row->overdue_1_7;
    case RAPPORT_BACKLOG_OVERDUE_8_30:
      return row->overdue_8_30;
    case RAPPORT_BACKLOG_OVERDUE_31_PLUS:
      return row->overdue_31_plus;
    case RAPPORT_BACKLOG_DUE_THIS_WEEK:
      return row->due_this_week;
    case RAPPORT_BACKLOG_GOING_COLD:
      return row->going_cold;
    case RAPPORT_BACKLOG_PROMISES_AT_RISK:
      return row->promises_at_risk;
    case RAPPORT_BACKLOG_PROMISES_BROKEN:
      return row->promises_broken;
    case RAPPORT_BACKLOG_COMPLAINTS_WAITING:
      return row->complaints_waiting;
    case RAPPORT_BACKLOG_N_FIGURES:
    default:
      g_return_val_if_reached (0);
    }
}

guint
rapport_backlog_row_overdue (const RapportBacklogRow *row)
{
  g_return_val_if_fail (row != NULL, 0);
  return row->overdue_1_7 + row->overdue_8_30 + row->overdue_31_plus;
}

void
rapport_backlog_row_add (RapportBacklogRow *total, const RapportBacklogRow *row)
{
  g_return_if_fail (total != NULL && row != NULL);

  total->overdue_1_7 += row->overdue_1_7;
  total->overdue_8_30 += row->overdue_8_30;
  total->overdue_31_plus += row->overdue_31_plus;
  total->due_this_week += row->due_this_week;
  total->going_cold += row->going_cold;
  total->promises_at_risk += row->promises_at_risk;
  total->promises_broken += row->promises_broken;
  total->complaints_waiting += row->complaints_waiting;
  total->oldest_complaint_age = MAX (total->oldest_complaint_age, row->oldest_complaint_age);
}

/* Scope ------------------------------------------------------------------- */

/**
 * rapport_backlog_scope:
 *
 * The rule of the server (only managers see other people's backlog),
 * applied on the desktop by the app and the CLI. The role is read from the
 * user record, so a role changed on the server applies after the next sync.
 *
 * Returns: (transfer none) (nullable): %NULL for the whole team, or my id.
 */
const char *
rapport_backlog_scope (RapportStore *store)
{
  const char *me_id;
  g_autoptr (RapportUser) me = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  me_id = rapport_store_get_me_id (store);
  if (me_id == NULL)
    return NULL;
  me = rapport_store_get_user (store, me_id);
  if (me != NULL && g_strcmp0 (me->role, "manager") == 0)
    return NULL;
  return me_id;
}

gboolean
rapport_backlog_may_see (RapportStore *store, const char *owner)
{
  const char *scope;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);

  scope = rapport_backlog_scope (store);
  return scope == NULL || g_strcmp0 (scope, owner) == 0;
}

/* Items ------------------------------------------------------------------- */

static gboolean
owner_matches (const char *wanted, const char *owner)
{
  if (wanted == NULL)
    return TRUE;
  if (*wanted == '\0')
    return owner == NULL || *owner == '\0';
  return g_strcmp0 (wanted, owner) == 0;
}

static gboolean
in_figure (const RapportDueItem *item, RapportBacklogFigure figure, gint64 at)
{
  gint64 due = item->due_at;
  gboolean follow_up = item->kind == RAPPORT_DUE_REMINDER || item->kind == RAPPORT_DUE_CADENCE;

  switch (figure)
    {
    case RAPPORT_BACKLOG_OVERDUE_1_7:
      return follow_up && due <= at && due >= at - WEEK;
    case RAPPORT_BACKLOG_OVERDUE_8_30:
      return follow_up && due < at - WEEK && due >= at - MONTH;
    case RAPPORT_BACKLOG_OVERDUE_31_PLUS:
      return follow_up && due < at - MONTH;
    case RAPPORT_BACKLOG_DUE_THIS_WEEK:
      return follow_up && due > at && due <= at + WEEK;
    case RAPPORT_BACKLOG_GOING_COLD:
      return item->kind == RAPPORT_DUE_CADENCE;
    case RAPPORT_BACKLOG_PROMISES_AT_RISK:
      return item->kind == RAPPORT_DUE_PROMISE && due >= at && due <= at + RAPPORT_PROMISE_AT_RISK;
    case RAPPORT_BACKLOG_PROMISES_BROKEN:
      return item->kind == RAPPORT_DUE_PROMISE && due < at;
    case RAPPORT_BACKLOG_COMPLAINTS_WAITING:
      return item->kind == RAPPORT_DUE_COMPLAINT;
    case RAPPORT_BACKLOG_N_FIGURES:
    default:
      return FALSE;
    }
}

/* The due list that holds the items of @figure, narrowed in SQL to @owner
 * where the list can. */
static GPtrArray *
candidates (RapportStore *store, const char *owner, RapportBacklogFigure figure, gint64 at,
            GError **error)
{
  const char *user = owner != NULL && *owner != '\0' ? owner : NULL;

  switch (figure)
    {
    case RAPPORT_BACKLOG_OVERDUE_1_7:
    case RAPPORT_BACKLOG_OVERDUE_8_30:
    case RAPPORT_BACKLOG_OVERDUE_31_PLUS:
      return rapport_store_due (store, user, at, 0, error);
    case RAPPORT_BACKLOG_DUE_THIS_WEEK:
      return rapport_store_due (store, user, at + WEEK, 0, error);
    case RAPPORT_BACKLOG_GOING_COLD:
      return rapport_store_going_cold (store, user, at, error);
    case RAPPORT_BACKLOG_PROMISES_AT_RISK:
    case RAPPORT_BACKLOG_PROMISES_BROKEN:
      /* The owner of a promise here is who delivers it, else who made it:
       * rapport_store_open_promises() for a user also lists the promises
       * they made for others, so filter the whole list instead. */
      return rapport_store_open_promises (store, NULL, at, error);
    case RAPPORT_BACKLOG_COMPLAINTS_WAITING:
      return rapport_store_open_complaints (store, at, error);
    case RAPPORT_BACKLOG_N_FIGURES:
    default:
      g_return_val_if_reached (NULL);
    }
}

static int
compare_due (gconstpointer a, gconstpointer b)
{
  const RapportDueItem *ia = *(RapportDueItem **) a;
  const RapportDueItem *ib = *(RapportDueItem **) b;

  if (ia->due_at != ib->due_at)
    return ia->due_at < ib->due_at ? -1 : 1;
  return g_strcmp0 (ia->record_id, ib->record_id);
}

/**
 * rapport_store_backlog_items_all:
 * @owner: (nullable): as for rapport_store_backlog_items()
 * @figures: (out caller-allocates) (array fixed-size=8): receives the items
 *   of each figure (transfer full each), or %NULLs on error
 *
 * The items of every figure at once: each list is read once, so this is
 * much quicker than asking for the eight figures one by one.
 */
gboolean
rapport_store_backlog_items_all (RapportStore *store, const char *owner, gint64 at,
                                 GPtrArray *figures[RAPPORT_BACKLOG_N_FIGURES], GError **error)
{
  /* One source per group of figures: follow-ups (due within the week, and
   * everything overdue), going cold, promises, complaints; each group is
   * the figures from its source to the next. */
  static const RapportBacklogFigure sources[] = {
    RAPPORT_BACKLOG_DUE_THIS_WEEK, RAPPORT_BACKLOG_GOING_COLD, RAPPORT_BACKLOG_PROMISES_BROKEN,
    RAPPORT_BACKLOG_COMPLAINTS_WAITING,
  };
  static const RapportBacklogFigure first[] = {
    RAPPORT_BACKLOG_OVERDUE_1_7, RAPPORT_BACKLOG_GOING_COLD, RAPPORT_BACKLOG_PROMISES_AT_RISK,
    RAPPORT_BACKLOG_COMPLAINTS_WAITING, RAPPORT_BACKLOG_N_FIGURES,
  };

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);

  for (guint f = 0; f < RAPPORT_BACKLOG_N_FIGURES; f++)
    figures[f] = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_due_item_free);
  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autoptr (GPtrArray) all = candidates (store, owner, sources[s], at, error);

      if (all == NULL)
        {
          for (guint f = 0; f < RAPPORT_BACKLOG_N_FIGURES; f++)
            g_clear_pointer (&figures[f], g_ptr_array_unref);
          return FALSE;
        }
      for (guint i = 0; i < all->len; i++)
        {
          RapportDueItem *item = all->pdata[i];

          if (!owner_matches (owner, item->owner))
            continue;
          for (guint f = first[s]; f < first[s + 1]; f++)
            if (in_figure (item, f, at))
              g_ptr_array_add (figures[f], rapport_due_item_copy (item));
        }
    }
  for (guint f = 0; f < RAPPORT_BACKLOG_N_FIGURES; f++)
    g_ptr_array_sort (figures[f], compare_due);
  return TRUE;
}

/**
 * rapport_store_backlog_items:
 * @owner: (nullable): a user id, "" for work nobody owns, %NULL for everyone
 *
 * Returns: (transfer container) (element-type RapportDueItem): the items
 *   counted in @figure, earliest due first, or %NULL with @error set.
 */
GPtrArray *
rapport_store_backlog_items (RapportStore *store, const char *owner, RapportBacklogFigure figure,
                             gint64 at, GError **error)
{
  g_autoptr (GPtrArray) all = NULL;
  GPtrArray *items;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (figure < RAPPORT_BACKLOG_N_FIGURES, NULL);

  all = candidates (store, owner, figure, at, error);
  if (all == NULL)
    return NULL;
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_due_item_free);
  for (guint i = 0; i < all->len; i++)
    {
      RapportDueItem *item = all->pdata[i];

      if (owner_matches (owner, item->owner) && in_figure (item, figure, at))
        g_ptr_array_add (items, g_steal_pointer (&all->pdata[i]));
    }
  g_ptr_array_sort (items, compare_due);
  return items;
}

/* Departments ------------------------------------------------------------- */

#define DEPARTMENT_PROMISE                                                                 \
  " FROM promises p WHERE p.status = 'open' AND p.deleted = 0"                              \
  "   AND p.deliver_by_user IS NULL AND coalesce (p.deliver_by_department, '') <> ''"       \
  "   AND " RAPPORT_SQL_NOT_IN_TRASH ("p.contact_id")

static const char departments_sql[] =
  "SELECT p.deliver_by_department,"
  "  sum (p.due_at >= ?1 AND p.due_at <= ?1 + " G_STRINGIFY (RAPPORT_PROMISE_AT_RISK) "),"
  "  sum (p.due_at < ?1)"
  DEPARTMENT_PROMISE " AND (?2 IS NULL OR p.deliver_by_department = ?2)"
  " GROUP BY 1 ORDER BY 1";

static int
compare_department_rows (gconstpointer a, gconstpointer b)
{
  const RapportBacklogRow *ra = *(RapportBacklogRow **) a;
  const RapportBacklogRow *rb = *(RapportBacklogRow **) b;
  g_autofree char *ka = g_utf8_collate_key (ra->owner_name, -1);
  g_autofree char *kb = g_utf8_collate_key (rb->owner_name, -1);

  return g_strcmp0 (ka, kb);
}

/**
 * rapport_store_backlog_departments:
 *
 * These promises also count, in rapport_store_backlog(), for whoever made
 * them: that person chases the department. Departments without open
 * promises have no row.
 *
 * Returns: (transfer container) (element-type RapportBacklogRow)
 */
GPtrArray *
rapport_store_backlog_departments (RapportStore *store, const char *department, gint64 at,
                                   GError **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);

  stmt = rapport_store_prepare (store, departments_sql, error);
  if (stmt == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_backlog_row_free);
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_text (stmt, 2, department, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RapportBacklogRow *row = g_new0 (RapportBacklogRow, 1);

      row->owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row->owner_name = g_strdup (row->owner);
      row->promises_at_risk = sqlite3_column_int (stmt, 1);
      row->promises_broken = sqlite3_column_int (stmt, 2);
      if (row->promises_at_risk + row->promises_broken > 0)
        g_ptr_array_add (rows, row);
      else
        rapport_backlog_row_free (row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (store, error, N_("compute the backlog of departments"));
      return NULL;
    }
  g_ptr_array_sort (rows, compare_department_rows);
  return g_steal_pointer (&rows);
}

static const char department_items_sql[] =
  "SELECT p.id, p.contact_id, (SELECT name FROM contacts WHERE id = p.contact_id),"
  "  p.promised_by, p.what, p.due_at,"
  "  (SELECT last_interaction_at FROM contacts WHERE id = p.contact_id)"
  DEPARTMENT_PROMISE " AND p.deliver_by_department = ?2"
  "   AND ((?3 = 0 AND p.due_at >= ?1 AND p.due_at <= ?1 + "
  G_STRINGIFY (RAPPORT_PROMISE_AT_RISK) ") OR (?3 = 1 AND p.due_at < ?1))"
  " ORDER BY p.due_at, p.id";

/**
 * rapport_store_backlog_department_items:
 * @figure: %RAPPORT_BACKLOG_PROMISES_AT_RISK or %RAPPORT_BACKLOG_PROMISES_BROKEN
 *
 * The owner of each item is whoever made the promise: the colleague who can
 * chase the department (a nudge reaches them).
 *
 * Returns: (transfer container) (element-type RapportDueItem)
 */
GPtrArray *
rapport_store_backlog_department_items (RapportStore *store, const char *department,
                                        RapportBacklogFigure figure, gint64 at, GError **error)
{
  g_autoptr (GPtrArray) items = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (department != NULL, NULL);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_due_item_free);
  if (figure != RAPPORT_BACKLOG_PROMISES_AT_RISK && figure != RAPPORT_BACKLOG_PROMISES_BROKEN)
    return g_steal_pointer (&items);
  stmt = rapport_store_prepare (store, department_items_sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_text (stmt, 2, department, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, figure == RAPPORT_BACKLOG_PROMISES_BROKEN);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RapportDueItem *item = g_new0 (RapportDueItem, 1);

      item->kind = RAPPORT_DUE_PROMISE;
      item->record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      item->contact_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      item->contact_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      item->owner = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      item->title = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      item->due_at = sqlite3_column_int64 (stmt, 5);
      item->last_interaction_at = sqlite3_column_int64 (stmt, 6);
      item->urgent = item->due_at < at + RAPPORT_DAY;
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (store, error, N_("list the promises of a department"));
      return NULL;
    }
  return g_steal_pointer (&items);
}

/* Trend ------------------------------------------------------------------- */

static const char trend_sql[] =
  "SELECT day, sum (overdue) FROM backlog_daily"
  " WHERE day >= ?1 AND day <= ?2 AND (?3 IS NULL OR owner = ?3) GROUP BY day";

/**
 * rapport_store_backlog_trend:
 * @owner: (nullable): one owner, or %NULL for the team
 *
 * Returns: (transfer full) (element-type gint64): @n_days figures, oldest
 *   first, -1 for a day nothing was recorded; %NULL with @error set.
 */
GArray *
rapport_store_backlog_trend (RapportStore *store, const char *owner, gint64 at, guint n_days,
                             GError **error)
{
  g_autoptr (GDateTime) today = NULL;
  g_autoptr (GDateTime) first = NULL;
  g_autoptr (GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *first_day = NULL;
  g_autofree char *last_day = NULL;
  g_autoptr (GArray) values = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (n_days > 0, NULL);

  values = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_days);
  today = g_date_time_new_from_unix_local (at);
  first = g_date_time_add_days (today, -(int) (n_days - 1));
  for (guint i = 0; i < n_days; i++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (first, (int) i);
      gint64 none = -1;

      g_array_append_val (values, none);
      g_hash_table_insert (index, g_date_time_format (day, "%Y-%m-%d"), GUINT_TO_POINTER (i));
    }
  first_day = g_date_time_format (first, "%Y-%m-%d");
  last_day = g_date_time_format (today, "%Y-%m-%d");

  stmt = rapport_store_prepare (store, trend_sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, first_day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, last_day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, owner, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer position;

      if (g_hash_table_lookup_extended (index, sqlite3_column_text (stmt, 0), NULL, &position))
        g_array_index (values, gint64, GPOINTER_TO_UINT (position)) = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rapport_store_set_sqlite_error (store, error, N_("read the backlog trend"));
      return NULL;
    }
  return g_steal_pointer (&values);
}
