/* rapport-store-queries.c: typed look-ups, the Trash and the timeline */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-search.h"
#include "rapport-store-private.h"

RapportContact *
rapport_store_get_contact (RapportStore *self, const char *id, GError **error)
{
  return (RapportContact *) rapport_store_load (self, rapport_entity_lookup ("contact"), id, error);
}

static char *
single_id (RapportStore *self, const char *sql, const char *param)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, NULL);
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_clear_pointer (&id, g_free);  /* more than one: not a single match */
    }
  sqlite3_reset (stmt);
  return id;
}

/**
 * rapport_store_find_contact:
 * @id_or_query: a contact id, an exact email, an exact name, or a search
 *   that matches exactly one contact
 *
 * Returns: (transfer full): the contact, or %NULL with NOT_FOUND or
 *   AMBIGUOUS (the message lists the first matches).
 */
RapportContact *
rapport_store_find_contact (RapportStore *self, const char *id_or_query, GError **error)
{
  g_autofree char *id = NULL;
  g_autofree char *folded = NULL;
  g_autoptr (GPtrArray) hits = NULL;

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);
  g_return_val_if_fail (id_or_query != NULL, NULL);

  id = single_id (self, "SELECT id FROM contacts WHERE id = ?", id_or_query);
  if (id == NULL)
    {
      folded = g_utf8_casefold (id_or_query, -1);
      id = single_id (self, "SELECT DISTINCT k.contact_id FROM contact_keys k JOIN contacts c "
                            "ON c.id = k.contact_id WHERE k.kind = 'email' AND k.value = ? "
                            "AND c.deleted = 0", folded);
    }
  if (id == NULL)
    id = single_id (self, "SELECT id FROM contacts WHERE name = ? AND deleted = 0", id_or_query);
  if (id != NULL)
    return rapport_store_get_contact (self, id, error);

  hits = rapport_store_search (self, id_or_query, 6, error);
  if (hits == NULL)
    return NULL;
  if (hits->len == 1)
    return rapport_store_get_contact (self, hits->pdata[0], error);
  if (hits->len == 0)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND,
                   _("No contact matches “%s”"), id_or_query);
      return NULL;
    }
  {
    g_autoptr (GString) names = g_string_new (NULL);
    for (guint i = 0; i < MIN (hits->len, 5u); i++)
      {
        g_autoptr (RapportContact) c = rapport_store_get_contact (self, hits->pdata[i], NULL);
        g_string_append_printf (names, "\n  %s  %s", (char *) hits->pdata[i], c ? c->name : "");
      }
    g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_AMBIGUOUS,
                 _("“%s” matches %s contacts; give an id or a narrower search:%s"), id_or_query,
                 hits->len > 5 ? "more than five" : "several", names->str);
  }
  return NULL;
}

RapportUser *
rapport_store_get_user (RapportStore *self, const char *id)
{
  return (RapportUser *) rapport_store_load (self, rapport_entity_lookup ("user"), id, NULL);
}

RapportUser *
rapport_store_find_user (RapportStore *self, const char *id_or_name, GError **error)
{
  g_autofree char *id = single_id (self, "SELECT id FROM users WHERE id = ?", id_or_name);

  if (id == NULL)
    id = single_id (self, "SELECT id FROM users WHERE name = ? AND deleted = 0", id_or_name);
  if (id == NULL)
    id = single_id (self, "SELECT id FROM users WHERE display_name = ? AND deleted = 0", id_or_name);
  if (id == NULL)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND,
                   _("No user is called “%s”; see “rapport-cli user list”"), id_or_name);
      return NULL;
    }
  return rapport_store_get_user (self, id);
}

GPtrArray *
rapport_store_list_users (RapportStore *self)
{
  GPtrArray *users = rapport_store_list (self, rapport_entity_lookup ("user"),
                                         "deleted = 0 ORDER BY coalesce (display_name, name)", NULL);
  return users ? users : g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * rapport_store_list_tags:
 *
 * Returns: (transfer full): every tag on a contact not in the Trash, sorted.
 */
char **
rapport_store_list_tags (RapportStore *self)
{
  /* The window reads this at start: jump from one distinct tag to the next
   * on the tag index (a few dozen look-ups) instead of reading every tag of
   * every contact (tens of milliseconds on 100,000 contacts). */
  sqlite3_stmt *stmt = rapport_store_prepare (
      self, "WITH RECURSIVE t (tag) AS (SELECT min (tag) FROM contact_tags"
            " UNION ALL SELECT (SELECT min (tag) FROM contact_tags WHERE tag > t.tag)"
            " FROM t WHERE t.tag IS NOT NULL)"
            " SELECT tag FROM t WHERE tag IS NOT NULL AND EXISTS (SELECT 1 FROM contact_tags x"
            " JOIN contacts c ON c.id = x.contact_id WHERE x.tag = t.tag AND c.deleted = 0)"
            " ORDER BY tag COLLATE NOCASE", NULL);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  while (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (stmt)
    sqlite3_reset (stmt);
  return g_strv_builder_end (builder);
}

/**
 * rapport_store_list_trash:
 *
 * Returns: (transfer container) (element-type RapportRecord): deleted
 *   contacts, newest deletion first.
 */
GPtrArray *
rapport_store_list_trash (RapportStore *self, GError **error)
{
  return rapport_store_list (self, rapport_entity_lookup ("contact"),
                             "deleted = 1 ORDER BY deleted_at DESC", error);
}

static gint64
timeline_time (RapportRecord *record)
{
  if (RAPPORT_IS_INTERACTION (record))
    return RAPPORT_INTERACTION (record)->occurred_at;
  return record->created_at;
}

static int
timeline_compare (gconstpointer a, gconstpointer b)
{
  RapportRecord *ra = *(RapportRecord **) a;
  RapportRecord *rb = *(RapportRecord **) b;
  gboolean pa = RAPPORT_IS_NOTE (ra) && RAPPORT_NOTE (ra)->pinned;
  gboolean pb = RAPPORT_IS_NOTE (rb) && RAPPORT_NOTE (rb)->pinned;
  gint64 ta, tb;

  if (pa != pb)
    return pa ? -1 : 1;
  ta = timeline_time (ra);
  tb = timeline_time (rb);
  if (ta != tb)
    return ta > tb ? -1 : 1;
  return g_strcmp0 (ra->id, rb->id);
}

GPtrArray *
rapport_store_timeline (RapportStore *self, const char *contact_id, GError **error)
{
  static const char *const entities[] = { "interaction", "note", "promise", "reminder" };
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (RAPPORT_IS_STORE (self), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      const RapportEntity *entity = rapport_entity_lookup (entities[i]);
      g_autoptr (GPtrArray) part = NULL;
      char *where;

      if (g_str_equal (entities[i], "note"))
        where = sqlite3_mprintf ("contact_id = %Q AND deleted = 0 AND (private = 0 OR author IS %Q)",
                                 contact_id, rapport_store_get_me_id (self));
      else
        where = sqlite3_mprintf ("contact_id = %Q AND deleted = 0", contact_id);
      part = rapport_store_list (self, entity, where, error);
      sqlite3_free (where);
      if (part == NULL)
        return NULL;
      for (guint j = 0; j < part->len; j++)
        g_ptr_array_add (all, g_object_ref (part->pdata[j]));
    }
  g_ptr_array_sort (all, timeline_compare);
  return g_steal_pointer (&all);
}
