/* rapport-backlog-export.c: the team backlog and the items of its figures as CSV */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-export"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-backlog-export.h"
#include "rapport-csv.h"

#define UTF8_BOM "\xEF\xBB\xBF"
#define DAY ((gint64) 24 * 60 * 60)

static void
append_row (GString *out, const char *const *cells, guint n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      rapport_csv_append_cell (out, cells[i]);
    }
  g_string_append (out, "\r\n");
}

/* The table -------------------------------------------------------------- */

#define TABLE_COLUMNS (3 + RAPPORT_BACKLOG_N_FIGURES + 1)

static void
append_table_header (GString *out)
{
  const char *cells[TABLE_COLUMNS];
  guint n = 0;

  cells[n++] = _("Kind");
  cells[n++] = _("Owner ID");
  cells[n++] = _("Owner");
  for (guint f = 0; f < RAPPORT_BACKLOG_N_FIGURES; f++)
    cells[n++] = rapport_backlog_figure_label (f);
  cells[n++] = _("Oldest complaint (hours)");
  g_assert (n == TABLE_COLUMNS);
  append_row (out, cells, n);
}

static void
append_table_row (GString *out, const char *kind, const char *owner, const char *name,
                  const RapportBacklogRow *row)
{
  char numbers[RAPPORT_BACKLOG_N_FIGURES + 1][24];
  const char *cells[TABLE_COLUMNS];
  guint n = 0;

  cells[n++] = kind;
  cells[n++] = owner;
  cells[n++] = name;
  for (guint f = 0; f < RAPPORT_BACKLOG_N_FIGURES; f++)
    {
      g_snprintf (numbers[f], sizeof numbers[f], "%u", rapport_backlog_row_get (row, f));
      cells[n++] = numbers[f];
    }
  if (row->complaints_waiting > 0)
    g_snprintf (numbers[RAPPORT_BACKLOG_N_FIGURES], sizeof numbers[0], "%" G_GINT64_FORMAT,
                row->oldest_complaint_age / 3600);
  else
    numbers[RAPPORT_BACKLOG_N_FIGURES][0] = '\0';
  cells[n++] = numbers[RAPPORT_BACKLOG_N_FIGURES];
  append_row (out, cells, n);
}

/**
 * rapport_backlog_csv:
 * @rows: (element-type RapportBacklogRow)
 * @departments: (nullable) (element-type RapportBacklogRow)
 *
 * Returns: (transfer full): the CSV text.
 */
char *
rapport_backlog_csv (GPtrArray *rows, GPtrArray *departments)
{
  GString *out = g_string_new (UTF8_BOM);
  RapportBacklogRow total = { 0 };

  g_return_val_if_fail (rows != NULL, NULL);

  append_table_header (out);
  for (guint i = 0; i < rows->len; i++)
    {
      const RapportBacklogRow *row = rows->pdata[i];
      gboolean nobody = row->owner == NULL || *row->owner == '\0';

      append_table_row (out, nobody ? "unassigned" : "person", row->owner, row->owner_name, row);
      rapport_backlog_row_add (&total, row);
    }
  if (rows->len > 1)
    append_table_row (out, "team", NULL, _("Team"), &total);
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      const RapportBacklogRow *row = departments->pdata[i];
      append_table_row (out, "department", row->owner, row->owner_name, row);
    }
  return g_string_free (out, FALSE);
}

/* Items ------------------------------------------------------------------ */

static const char *
kind_label (RapportDueKind kind)
{
  switch (kind)
    {
    case RAPPORT_DUE_REMINDER:
      return _("Reminder");
    case RAPPORT_DUE_CADENCE:
      return _("Relationship");
    case RAPPORT_DUE_PROMISE:
      return _("Promise");
    case RAPPORT_DUE_COMPLAINT:
      return _("Complaint");
    default:
      return "";
    }
}

static const char *
owner_name (RapportStore *store, GHashTable *names, const char *owner)
{
  const char *name;

  if (owner == NULL || *owner == '\0')
    return _("Unassigned");
  name = g_hash_table_lookup (names, owner);
  if (name == NULL)
    {
      g_autoptr (RapportUser) user = rapport_store_get_user (store, owner);

      name = user && user->display_name && *user->display_name ? user->display_name
             : user && user->name ? user->name : owner;
      g_hash_table_insert (names, g_strdup (owner), g_strdup (name));
      name = g_hash_table_lookup (names, owner);
    }
  return name;
}

static void
append_items_header (GString *out)
{
  const char *cells[] = { _("Figure"), _("Owner"), _("Kind"), _("Contact"), _("Title"),
                          _("Due"), _("Days overdue") };
  append_row (out, cells, G_N_ELEMENTS (cells));
}

static void
append_item (GString *out, RapportStore *store, GHashTable *names, RapportBacklogFigure figure,
             const RapportDueItem *item, gint64 at)
{
  g_autoptr (GDateTime) due = g_date_time_new_from_unix_local (item->due_at);
  g_autofree char *due_text = due ? g_date_time_format (due, "%Y-%m-%d %H:%M") : NULL;
  char days[24] = "";
  const char *cells[7];

  if (item->due_at <= at)
    g_snprintf (days, sizeof days, "%" G_GINT64_FORMAT, MAX ((at - item->due_at + DAY - 1) / DAY, 1));
  cells[0] = rapport_backlog_figure_label (figure);
  cells[1] = owner_name (store, names, item->owner);
  cells[2] = kind_label (item->kind);
  cells[3] = item->contact_name;
  cells[4] = item->title;
  cells[5] = due_text;
  cells[6] = days;
  append_row (out, cells, G_N_ELEMENTS (cells));
}

/**
 * rapport_backlog_item_list_csv:
 * @items: (element-type RapportDueItem)
 *
 * Returns: (transfer full): the CSV text.
 */
char *
rapport_backlog_item_list_csv (RapportStore *store, GPtrArray *items, RapportBacklogFigure figure,
                               gint64 at)
{
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GString *out = g_string_new (UTF8_BOM);

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (items != NULL, NULL);
  g_return_val_if_fail (figure < RAPPORT_BACKLOG_N_FIGURES, NULL);

  append_items_header (out);
  for (guint i = 0; i < items->len; i++)
    append_item (out, store, names, figure, items->pdata[i], at);
  return g_string_free (out, FALSE);
}

/**
 * rapport_backlog_items_csv:
 * @scope: (nullable): one owner, or %NULL for the team
 *
 * Returns: (transfer full): the CSV text, or %NULL with @error set.
 */
char *
rapport_backlog_items_csv (RapportStore *store, const char *scope, RapportBacklogFigure figure,
                           gint64 at, GError **error)
{
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GString) out = g_string_new (UTF8_BOM);

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (figure <= RAPPORT_BACKLOG_N_FIGURES, NULL);

  append_items_header (out);
  if (figure == RAPPORT_BACKLOG_N_FIGURES)
    {
      GPtrArray *figures[RAPPORT_BACKLOG_N_FIGURES];

      if (!rapport_store_backlog_items_all (store, scope, at, figures, error))
        return NULL;
      for (guint f = 0; f < RAPPORT_BACKLOG_N_FIGURES; f++)
        {
          for (guint i = 0; i < figures[f]->len; i++)
            append_item (out, store, names, f, figures[f]->pdata[i], at);
          g_ptr_array_unref (figures[f]);
        }
    }
  else
    {
      g_autoptr (GPtrArray) items = rapport_store_backlog_items (store, scope, figure, at, error);

      if (items == NULL)
        return NULL;
      for (guint i = 0; i < items->len; i++)
        append_item (out, store, names, figure, items->pdata[i], at);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
