/* rapport-reminder-notices.c: what to notify when, once, and what it says */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-reminders"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-reminders.h"
#include "rapport-store-private.h"

/* The notified row of the daily digest; its occurrence is the local midnight
 * of the day it sums up. */
#define DIGEST_RECORD_ID "digest"
/* Lines a summary or digest names before "and N more". */
#define MAX_LISTED 6

static gint64
local_midnight (GDateTime *local, int day_offset)
{
  g_autoptr (GDateTime) day = g_date_time_add_days (local, day_offset);
  g_autoptr (GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (day),
                                                          g_date_time_get_month (day),
                                                          g_date_time_get_day_of_month (day),
                                                          0, 0, 0);

  return g_date_time_to_unix (midnight);
}

/* Occurrences --------------------------------------------------------------- */

gint64
rapport_due_item_occurrence (const RapportDueItem *item)
{
  g_return_val_if_fail (item != NULL, 0);

  /* A reminder's due time includes its snooze; a cadence's moves with each
   * interaction; a complaint is due when its response target runs out. */
  return item->due_at;
}

gboolean
rapport_reminders_was_notified (RapportStore *store, const char *record_id, gint64 occurrence)
{
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (record_id != NULL, FALSE);

  stmt = rapport_store_prepare (store, "SELECT 1 FROM notified WHERE record_id = ? "
                                       "AND occurrence = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, occurrence);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static gboolean
insert_notified (RapportStore *store, const char *record_id, gint64 occurrence, gint64 at,
                 GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      store, "INSERT OR IGNORE INTO notified (record_id, occurrence, at) VALUES (?, ?, ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, occurrence);
  sqlite3_bind_int64 (stmt, 3, at);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (store, error, N_("remember a shown notification"));
  return TRUE;
}

gboolean
rapport_reminders_mark_notified (RapportStore *store, GPtrArray *items, gint64 at, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (items != NULL, FALSE);

  if (!rapport_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      const RapportDueItem *item = items->pdata[i];
      if (!insert_notified (store, item->record_id, rapport_due_item_occurrence (item), at, error))
        {
          rapport_store_rollback (store);
          return FALSE;
        }
    }
  return rapport_store_commit (store, error);
}

/* Pending and the next wake-up ---------------------------------------------- */

static GPtrArray *
unnotified_due (RapportStore *store, const char *user_id, gint64 at, GError **error)
{
  g_autoptr (GPtrArray) due = rapport_store_due (store, user_id, at, 0, error);
  GPtrArray *pending;

  if (due == NULL)
    return NULL;
  pending = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_due_item_free);
  for (guint i = 0; i < due->len; i++)
    {
      const RapportDueItem *item = due->pdata[i];
      if (item->due_at > at || item->record_id == NULL)
        continue;
      if (rapport_reminders_was_notified (store, item->record_id,
                                          rapport_due_item_occurrence (item)))
        continue;
      g_ptr_array_add (pending, rapport_due_item_copy (item));
    }
  return pending;
}

/**
 * rapport_reminders_pending:
 * @policy: (nullable): quiet hours and working days, or %NULL for none
 *
 * Returns: (transfer container) (element-type RapportDueItem): what to
 *   notify now.
 */
GPtrArray *
rapport_reminders_pending (RapportStore             *store,
                           const char               *user_id,
                           gint64                    at,
                           const RapportQuietPolicy *policy,
                           GError                  **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!rapport_quiet_allows (policy, at))
    return g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_due_item_free);
  return unnotified_due (store, user_id, at, error);
}

/* Complaints are notified when their response target runs out, which the
 * next due time of the store does not cover. */
static gint64
next_escalation (RapportStore *store, const char *user_id, gint64 at)
{
  g_autoptr (GPtrArray) complaints = rapport_store_open_complaints (store, at, NULL);
  gint64 next = 0;

  for (guint i = 0; complaints != NULL && i < complaints->len; i++)
    {
      const RapportDueItem *item = complaints->pdata[i];
      if (user_id != NULL && g_strcmp0 (item->owner, user_id) != 0)
        continue;
      if (item->due_at > at && (next == 0 || item->due_at < next))
        next = item->due_at;
    }
  return next;
}

gint64
rapport_reminders_next_wake (RapportStore             *store,
                             const char               *user_id,
                             gint64                    at,
                             const RapportQuietPolicy *policy)
{
  g_autoptr (GPtrArray) waiting = NULL;
  gint64 next = 0;
  gint64 escalation;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), 0);

  /* What is due already but held back waits for the quiet hours to end. */
  waiting = unnotified_due (store, user_id, at, NULL);
  if (waiting != NULL && waiting->len > 0)
    next = rapport_quiet_next_allowed (policy, at);

  escalation = next_escalation (store, user_id, at);
  if (escalation != 0)
    escalation = rapport_quiet_next_allowed (policy, escalation);
  if (escalation != 0 && (next == 0 || escalation < next))
    next = escalation;

  {
    gint64 due = rapport_store_next_due_time (store, user_id, at);
    if (due != 0)
      due = rapport_quiet_next_allowed (policy, MAX (due, at));
    if (due != 0 && (next == 0 || due < next))
      next = due;
  }
  return next;
}

/* The daily digest ----------------------------------------------------------- */

/**
 * rapport_reminders_next_digest:
 * @day: (out) (optional): the local midnight of the digest's day
 */
gint64
rapport_reminders_next_digest (RapportStore             *store,
                               int                       minutes,
                               gint64                    at,
                               const RapportQuietPolicy *policy,
                               gint64                   *day)
{
  g_autoptr (GDateTime) local = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), 0);

  if (minutes < 0 || minutes >= 24 * 60)
    return 0;
  local = g_date_time_new_from_unix_local (at);
  for (int offset = 0; offset < 8; offset++)
    {
      g_autoptr (GDateTime) date = g_date_time_add_days (local, offset);
      gint64 midnight = local_midnight (local, offset);
      g_autoptr (GDateTime) slot = NULL;

      if (policy != NULL && policy->working_days_only && g_date_time_get_day_of_week (date) >= 6)
        continue;
      if (rapport_reminders_was_notified (store, DIGEST_RECORD_ID, midnight))
        continue;
      slot = g_date_time_new_local (g_date_time_get_year (date), g_date_time_get_month (date),
                                    g_date_time_get_day_of_month (date), minutes / 60,
                                    minutes % 60, 0);
      if (day != NULL)
        *day = midnight;
      return rapport_quiet_next_allowed (policy, g_date_time_to_unix (slot));
    }
  return 0;
}

gboolean
rapport_reminders_mark_digest (RapportStore *store, gint64 day, gint64 at, GError **error)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  return insert_notified (store, DIGEST_RECORD_ID, day, at, error);
}

gint64
rapport_reminders_data_version (RapportStore *store)
{
  sqlite3_stmt *stmt;
  gint64 version = 0;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), 0);

  stmt = rapport_store_prepare (store, "PRAGMA data_version", NULL);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return version;
}

/* What a notification says ---------------------------------------------------- */

void
rapport_notice_free (RapportNotice *notice)
{
  if (notice == NULL)
    return;
  g_free (notice->title);
  g_free (notice->body);
  g_free (notice->contact_id);
  g_clear_pointer (&notice->item, rapport_due_item_free);
  g_free (notice);
}

/* "Zoë Müller — Send the quote", one line of a summary or digest. */
static void
append_item_line (GString *body, const RapportDueItem *item)
{
  const char *name = item->contact_name ? item->contact_name : _("Someone");
  const char *why = item->title;

  if (item->kind == RAPPORT_DUE_CADENCE || why == NULL || *why == '\0')
    why = item->kind == RAPPORT_DUE_CADENCE ? _("keep in touch") : NULL;
  if (body->len > 0)
    g_string_append_c (body, '\n');
  if (why != NULL)
    /* Translators: a line of a notification: contact name — what to do */
    g_string_append_printf (body, _("%s — %s"), name, why);
  else
    g_string_append (body, name);
}

static char *
item_list (GPtrArray *items)
{
  GString *body = g_string_new (NULL);
  guint listed = MIN (items->len, MAX_LISTED);

  for (guint i = 0; i < listed; i++)
    append_item_line (body, items->pdata[i]);
  if (items->len > listed)
    {
      guint rest = items->len - listed;
      g_string_append_c (body, '\n');
      g_string_append_printf (body, ngettext ("and %u more", "and %u more", rest), rest);
    }
  return g_string_free (body, FALSE);
}

static gboolean
any_urgent (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      const RapportDueItem *item = items->pdata[i];
      if (item->urgent && (item->kind == RAPPORT_DUE_COMPLAINT || item->kind == RAPPORT_DUE_PROMISE))
        return TRUE;
    }
  return FALSE;
}

/**
 * rapport_notice_new_summary:
 *
 * Returns: (transfer full): the one notification for @items.
 */
RapportNotice *
rapport_notice_new_summary (GPtrArray *items)
{
  RapportNotice *notice;

  g_return_val_if_fail (items != NULL && items->len > 0, NULL);

  notice = g_new0 (RapportNotice, 1);
  notice->count = items->len;
  notice->title = g_strdup_printf (ngettext ("%u follow-up is overdue",
                                             "%u follow-ups are overdue", items->len),
                                   items->len);
  notice->body = item_list (items);
  notice->urgent = any_urgent (items);
  return notice;
}

/**
 * rapport_notice_new_digest:
 *
 * Returns: (transfer full) (nullable): the digest, or %NULL when nothing is
 *   due that day (@error unset) or on failure (@error set).
 */
RapportNotice *
rapport_notice_new_digest (RapportStore *store, const char *user_id, gint64 at, GError **error)
{
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GPtrArray) items = NULL;
  RapportNotice *notice;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  local = g_date_time_new_from_unix_local (at);
  items = rapport_store_due (store, user_id, local_midnight (local, 1) - 1, 0, error);
  if (items == NULL || items->len == 0)
    return NULL;

  notice = g_new0 (RapportNotice, 1);
  notice->count = items->len;
  notice->title = g_strdup_printf (ngettext ("Today: %u follow-up", "Today: %u follow-ups",
                                             items->len),
                                   items->len);
  notice->body = item_list (items);
  notice->urgent = FALSE;
  return notice;
}
