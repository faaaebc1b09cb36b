/* rapport-contact-list.c: a lazy GListModel of contacts over a store query */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-contact-list"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-contact-list.h"
#include "rapport-due-private.h"
#include "rapport-search-private.h"
#include "rapport-store-private.h"

/* Contacts are loaded in pages of this many rows, and this many pages are
 * kept: a list of 100,000 contacts holds 100,000 row ids (800 kB) and at
 * most PAGE_SIZE * MAX_PAGES contact objects of its own. */
#define PAGE_SIZE 50
#define MAX_PAGES 8

/* A search over every contact lists this many best matches: more than
 * anyone scrolls through, and five times fewer than the search's limit
 * costs a twentieth of the time for a first letter typed (30 ms on
 * 100,000 contacts). A search within a view (customers, a tag) filters
 * from the search's whole limit. */
#define SEARCH_ALL_LIMIT 1000

/* More changed contacts than this between two refreshes are announced as a
 * change of the whole list. */
#define MAX_TRACKED_CHANGES 64

struct _RapportContactList
{
  GObject parent_instance;

  RapportStore *store;
  gulong changed_handler;

  RapportContactFilter filter;
  char *tag;
  char *search;

  GArray *rowids;             /* gint64 contact rowids, in list order */
  GHashTable *pages;          /* page number -> GPtrArray of RapportContact */
  GQueue lru;                 /* page numbers, most recently used first */

  guint refresh_id;
  GHashTable *changed;        /* ids of contacts changed since the last refresh */
  gboolean changed_all;
};

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RapportContactList, rapport_contact_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* Queries ----------------------------------------------------------------- */

/* Row ids of the contacts a filter shows, sorted by name. ?1 is now, ?2 the
 * tag or my user id (each statement uses what it needs). */
static const char *
filter_sql (RapportContactFilter filter)
{
  switch (filter)
    {
    case RAPPORT_CONTACT_FILTER_CUSTOMERS:
      return "SELECT rowid FROM contacts WHERE deleted = 0 AND relationship = 'customer'"
             " ORDER BY sort_key, rowid";
    case RAPPORT_CONTACT_FILTER_PROSPECTS:
      return "SELECT rowid FROM contacts WHERE deleted = 0 AND relationship = 'prospect'"
             " ORDER BY sort_key, rowid";
    case RAPPORT_CONTACT_FILTER_MINE:
      return "SELECT rowid FROM contacts WHERE owner = ?2 AND deleted = 0"
             " ORDER BY sort_key, rowid";
    case RAPPORT_CONTACT_FILTER_GOING_COLD:
      return "SELECT c.rowid FROM contacts c WHERE " RAPPORT_SQL_NURTURED
             " AND " RAPPORT_SQL_GOING_COLD " ORDER BY c.sort_key, c.rowid";
    case RAPPORT_CONTACT_FILTER_TAG:
      return "SELECT c.rowid FROM contact_tags t JOIN contacts c ON c.id = t.contact_id"
             " WHERE t.tag = ?2 AND c.deleted = 0 ORDER BY c.sort_key, c.rowid";
    case RAPPORT_CONTACT_FILTER_TRASH:
      return "SELECT rowid FROM contacts WHERE deleted = 1"
             " ORDER BY sort_key, rowid";
    case RAPPORT_CONTACT_FILTER_ALL:
    default:
      return "SELECT rowid FROM contacts WHERE deleted = 0"
             " ORDER BY sort_key, rowid";
    }
}

/* The same filters as conditions on a contact "c", to keep the search hits
 * (?3, a JSON array of row ids in rank order) that pass. */
static const char *
filter_condition_sql (RapportContactFilter filter)
{
  switch (filter)
    {
    case RAPPORT_CONTACT_FILTER_CUSTOMERS:
      return "SELECT c.rowid FROM json_each (?3) j JOIN contacts c ON c.rowid = j.value"
             " WHERE c.relationship = 'customer' ORDER BY j.key";
    case RAPPORT_CONTACT_FILTER_PROSPECTS:
      return "SELECT c.rowid FROM json_each (?3) j JOIN contacts c ON c.rowid = j.value"
             " WHERE c.relationship = 'prospect' ORDER BY j.key";
    case RAPPORT_CONTACT_FILTER_MINE:
      return "SELECT c.rowid FROM json_each (?3) j JOIN contacts c ON c.rowid = j.value"
             " WHERE c.owner = ?2 ORDER BY j.key";
    case RAPPORT_CONTACT_FILTER_GOING_COLD:
      return "SELECT c.rowid FROM json_each (?3) j JOIN contacts c ON c.rowid = j.value"
             " WHERE " RAPPORT_SQL_NURTURED " AND " RAPPORT_SQL_GOING_COLD
             " ORDER BY j.key";
    case RAPPORT_CONTACT_FILTER_TAG:
      return "SELECT c.rowid FROM json_each (?3) j JOIN contacts c ON c.rowid = j.value"
             " WHERE EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id"
             " AND t.tag = ?2) ORDER BY j.key";
    case RAPPORT_CONTACT_FILTER_TRASH:
    case RAPPORT_CONTACT_FILTER_ALL:
    default:
      g_assert_not_reached ();
    }
}

/* Searching the Trash: it is small, and search proper leaves it out. */
#define TRASH_SEARCH_SQL                                                                   \
  "SELECT c.rowid FROM contacts_fts f JOIN contacts c ON c.rowid = f.rowid"                 \
  " WHERE contacts_fts MATCH ?3 AND c.deleted = 1 ORDER BY c.sort_key, c.rowid"

static gboolean
run_rowid_query (RapportContactList *self, const char *sql, const char *text3, GArray *rowids,
                 GError **error)
{
  const char *param = self->filter == RAPPORT_CONTACT_FILTER_TAG
                          ? self->tag
                          : rapport_store_get_me_id (self->store);
  sqlite3_stmt *stmt = rapport_store_prepare (self->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rapport_store_now (self->store));
  sqlite3_bind_text (stmt, 2, param, -1, SQLITE_TRANSIENT);
  if (text3 != NULL)
    sqlite3_bind_text (stmt, 3, text3, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rowids, rowid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self->store, error, N_("list contacts"));
  return TRUE;
}

static char *
rowids_to_json (GArray *rowids)
{
  GString *json = g_string_sized_new (rowids->len * 8 + 2);

  g_string_append_c (json, '[');
  for (guint i = 0; i < rowids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (rowids, gint64, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static GArray *
query_rowids (RapportContactList *self, GError **error)
{
  g_autoptr (GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) hits = NULL;
  g_autofree char *json = NULL;
  gboolean searching = self->search != NULL && *self->search != '\0';

  if (!searching)
    {
      if (!run_rowid_query (self, filter_sql (self->filter), NULL, rowids, error))
        return NULL;
      return g_steal_pointer (&rowids);
    }
  if (self->filter == RAPPORT_CONTACT_FILTER_TRASH)
    {
      g_autofree char *match = rapport_search_build_match (self->search);

      if (match != NULL && !run_rowid_query (self, TRASH_SEARCH_SQL, match, rowids, error))
        return NULL;
      return g_steal_pointer (&rowids);
    }

  hits = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!rapport_search_collect (self->store, self->search,
                               self->filter == RAPPORT_CONTACT_FILTER_ALL ? SEARCH_ALL_LIMIT : 0,
                               hits, NULL, error))
    return NULL;
  if (self->filter == RAPPORT_CONTACT_FILTER_ALL || hits->len == 0)
    return g_steal_pointer (&hits);
  json = rowids_to_json (hits);
  if (!run_rowid_query (self, filter_condition_sql (self->filter), json, rowids, error))
    return NULL;
  return g_steal_pointer (&rowids);
}

/* Pages ------------------------------------------------------------------- */

static const char *
page_sql (void)
{
  static gsize sql;

  if (g_once_init_enter (&sql))
    {
      g_autofree char *columns = rapport_store_select_columns (rapport_entity_lookup ("contact"), NULL);
      GString *text = g_string_new (NULL);

      g_string_append_printf (text, "SELECT rowid, %s FROM contacts WHERE rowid IN (?", columns);
      for (guint i = 1; i < PAGE_SIZE; i++)
        g_string_append (text, ", ?");
      g_string_append (text, ")");
      g_once_init_leave (&sql, (gsize) g_string_free (text, FALSE));
    }
  return (const char *) sql;
}

static GPtrArray *
load_page (RapportContactList *self, guint page)
{
  const RapportEntity *entity = rapport_entity_lookup ("contact");
  guint start = page * PAGE_SIZE;
  guint n = MIN (PAGE_SIZE, self->rowids->len - start);
  GPtrArray *contacts = g_ptr_array_new_full (n, g_object_unref);
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;

  g_ptr_array_set_size (contacts, n);
  stmt = rapport_store_prepare (self->store, page_sql (), &error);
  if (stmt != NULL)
    {
      for (guint i = 0; i < PAGE_SIZE; i++)
        if (i < n)
          sqlite3_bind_int64 (stmt, (int) i + 1, g_array_index (self->rowids, gint64, start + i));
        else
          sqlite3_bind_null (stmt, (int) i + 1);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 rowid = sqlite3_column_int64 (stmt, 0);
          for (guint i = 0; i < n; i++)
            if (g_array_index (self->rowids, gint64, start + i) == rowid && contacts->pdata[i] == NULL)
              {
                contacts->pdata[i] = rapport_store_record_from_row (entity, stmt, 1);
                break;
              }
        }
      sqlite3_reset (stmt);
    }
  else
    g_warning ("Could not load contacts: %s", error->message);

  /* A row that vanished before the next refresh shows as an empty contact
   * until the refresh removes it. */
  for (guint i = 0; i < n; i++)
    if (contacts->pdata[i] == NULL)
      contacts->pdata[i] = rapport_contact_new ();
  return contacts;
}

static void
clear_pages (RapportContactList *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
}

static GPtrArray *
get_page (RapportContactList *self, guint page)
{
  GPtrArray *contacts = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  if (contacts != NULL)
    {
      g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
      return contacts;
    }
  while (g_queue_get_length (&self->lru) >= MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
  contacts = load_page (self, page);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), contacts);
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
  return contacts;
}

/* Refreshing -------------------------------------------------------------- */

static guint
position_of_rowid (GArray *rowids, gint64 rowid)
{
  for (guint i = 0; i < rowids->len; i++)
    if (g_array_index (rowids, gint64, i) == rowid)
      return i;
  return G_MAXUINT;
}

/* Announces that @removed rows at @position became @added others (already
 * in self->rowids), in one change: the app's list keeps the rows it shows
 * for the new contacts in their places (rapport-contact-slots.c), which a
 * removal, then an addition would destroy and make again. Nothing here
 * reads the added contacts: GTK asks for those it shows. */
static void
announce (RapportContactList *self, guint position, guint removed, guint added)
{
  if (removed == 0 && added == 0)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* Re-runs the query and announces the smallest change that covers it: the
 * span between the unchanged head and tail of the list, plus each changed
 * contact that kept its place (so its row is redrawn). */
static void
refresh (RapportContactList *self, gboolean whole)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) old = NULL;
  g_autoptr (GHashTable) changed = NULL;
  GArray *rowids;
  guint prefix = 0, suffix = 0, removed, added;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  rowids = query_rowids (self, &error);
  if (rowids == NULL)
    {
      g_warning ("Could not list contacts: %s", error->message);
      rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  old = self->rowids;
  self->rowids = rowids;
  changed = g_steal_pointer (&self->changed);
  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  whole = whole || self->changed_all;
  self->changed_all = FALSE;
  clear_pages (self);

  if (whole)
    {
      announce (self, 0, old->len, rowids->len);
      return;
    }

  while (prefix < old->len && prefix < rowids->len
         && g_array_index (old, gint64, prefix) == g_array_index (rowids, gint64, prefix))
    prefix++;
  while (suffix < old->len - prefix && suffix < rowids->len - prefix
         && g_array_index (old, gint64, old->len - 1 - suffix)
                == g_array_index (rowids, gint64, rowids->len - 1 - suffix))
    suffix++;
  removed = old->len - prefix - suffix;
  added = rowids->len - prefix - suffix;
  announce (self, prefix, removed, added);

  {
    GHashTableIter iter;
    const char *id;

    g_hash_table_iter_init (&iter, changed);
    while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
      {
        gint64 rowid = rapport_store_rowid (self->store, rapport_entity_lookup ("contact"), id);
        guint position = rowid ? position_of_rowid (rowids, rowid) : G_MAXUINT;

        if (position != G_MAXUINT && (position < prefix || position >= rowids->len - suffix))
          g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
      }
  }
}

static gboolean
refresh_cb (gpointer user_data)
{
  RapportContactList *self = user_data;

  self->refresh_id = 0;
  refresh (self, FALSE);
  return G_SOURCE_REMOVE;
}

static char *
contact_of (RapportContactList *self, const char *sql, const char *id)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self->store, sql, NULL);
  char *contact_id = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    contact_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return contact_id;
}

static void
note_change (RapportContactList *self, char *contact_id)
{
  if (contact_id == NULL)
    return;
  if (g_hash_table_size (self->changed) >= MAX_TRACKED_CHANGES)
    {
      self->changed_all = TRUE;
      g_free (contact_id);
      return;
    }
  g_hash_table_add (self->changed, contact_id);
}

static void
store_changed_cb (RapportStore *store, const char *entity, const char *id,
                  RapportContactList *self)
{
  gboolean searching = self->search != NULL && *self->search != '\0';

  if (g_strcmp0 (entity, "contact") == 0)
    {
      if (id == NULL)
        self->changed_all = TRUE;
      else
        note_change (self, g_strdup (id));
    }
  else if (g_strcmp0 (entity, "interaction") == 0)
    {
      /* The contact's last interaction moved; it may have stopped or
       * started going cold, or match the search by a summary. */
      if (id == NULL)
        self->changed_all = TRUE;
      else
        note_change (self, contact_of (self, "SELECT contact_id FROM interactions WHERE id = ?", id));
    }
  else if (g_strcmp0 (entity, "note") == 0 && searching)
    {
      if (id == NULL)
        self->changed_all = TRUE;
      else
        note_change (self, contact_of (self, "SELECT contact_id FROM notes WHERE id = ?", id));
    }
  else if (g_strcmp0 (entity, "user") == 0 && self->filter == RAPPORT_CONTACT_FILTER_MINE)
    self->changed_all = TRUE;
  else
    return;

  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, refresh_cb, self, NULL);
}

/* GListModel -------------------------------------------------------------- */

static GType
rapport_contact_list_get_item_type (GListModel *model)
{
  return RAPPORT_TYPE_CONTACT;
}

static guint
rapport_contact_list_get_n_items (GListModel *model)
{
  return RAPPORT_CONTACT_LIST (model)->rowids->len;
}

static gpointer
rapport_contact_list_get_item (GListModel *model, guint position)
{
  RapportContactList *self = RAPPORT_CONTACT_LIST (model);
  GPtrArray *page;

  if (position >= self->rowids->len)
    return NULL;
  page = get_page (self, position / PAGE_SIZE);
  return g_object_ref (page->pdata[position % PAGE_SIZE]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = rapport_contact_list_get_item_type;
  iface->get_n_items = rapport_contact_list_get_n_items;
  iface->get_item = rapport_contact_list_get_item;
}

/* GObject ----------------------------------------------------------------- */

static void
rapport_contact_list_constructed (GObject *object)
{
  RapportContactList *self = RAPPORT_CONTACT_LIST (object);
  g_autoptr (GError) error = NULL;

  G_OBJECT_CLASS (rapport_contact_list_parent_class)->constructed (object);

  g_assert (RAPPORT_IS_STORE (self->store));
  self->changed_handler = g_signal_connect (self->store, "changed",
                                            G_CALLBACK (store_changed_cb), self);
  g_array_unref (self->rowids);
  self->rowids = query_rowids (self, &error);
  if (self->rowids == NULL)
    {
      g_warning ("Could not list contacts: %s", error->message);
      self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
}

static void
rapport_contact_list_dispose (GObject *object)
{
  RapportContactList *self = RAPPORT_CONTACT_LIST (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_object (&self->store);
  clear_pages (self);

  G_OBJECT_CLASS (rapport_contact_list_parent_class)->dispose (object);
}

static void
rapport_contact_list_finalize (GObject *object)
{
  RapportContactList *self = RAPPORT_CONTACT_LIST (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->changed, g_hash_table_unref);
  g_clear_pointer (&self->rowids, g_array_unref);
  g_free (self->tag);
  g_free (self->search);

  G_OBJECT_CLASS (rapport_contact_list_parent_class)->finalize (object);
}

static void
rapport_contact_list_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  RapportContactList *self = RAPPORT_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rapport_contact_list_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  RapportContactList *self = RAPPORT_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rapport_contact_list_class_init (RapportContactListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rapport_contact_list_constructed;
  object_class->dispose = rapport_contact_list_dispose;
  object_class->finalize = rapport_contact_list_finalize;
  object_class->get_property = rapport_contact_list_get_property;
  object_class->set_property = rapport_contact_list_set_property;

  properties[PROP_STORE] =
      g_param_spec_object ("store", NULL, NULL, RAPPORT_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rapport_contact_list_init (RapportContactList *self)
{
  self->filter = RAPPORT_CONTACT_FILTER_ALL;
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->lru);
}

/* Public API -------------------------------------------------------------- */

/**
 * rapport_contact_list_new:
 *
 * Returns: (transfer full): every contact not in the Trash, by name.
 */
RapportContactList *
rapport_contact_list_new (RapportStore *store)
{
  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  return g_object_new (RAPPORT_TYPE_CONTACT_LIST, "store", store, NULL);
}

void
rapport_contact_list_set_filter (RapportContactList *self, RapportContactFilter filter)
{
  g_return_if_fail (RAPPORT_IS_CONTACT_LIST (self));
  g_return_if_fail (filter <= RAPPORT_CONTACT_FILTER_TRASH);

  if (self->filter == filter)
    return;
  self->filter = filter;
  refresh (self, FALSE);
}

/**
 * rapport_contact_list_set_tag:
 * @tag: (nullable): the tag RAPPORT_CONTACT_FILTER_TAG shows
 */
void
rapport_contact_list_set_tag (RapportContactList *self, const char *tag)
{
  g_return_if_fail (RAPPORT_IS_CONTACT_LIST (self));

  if (g_strcmp0 (self->tag, tag) == 0)
    return;
  g_free (self->tag);
  self->tag = g_strdup (tag);
  if (self->filter == RAPPORT_CONTACT_FILTER_TAG)
    refresh (self, FALSE);
}

/**
 * rapport_contact_list_set_search:
 * @query: (nullable): what a person typed; %NULL or "" shows the filter's
 *   contacts by name
 *
 * While a search is set, the list holds the best matches that pass the
 * filter, best first: at most SEARCH_ALL_LIMIT (1,000) over every contact,
 * or those of the best RAPPORT_SEARCH_MAX_RESULTS that are in the view.
 */
void
rapport_contact_list_set_search (RapportContactList *self, const char *query)
{
  g_return_if_fail (RAPPORT_IS_CONTACT_LIST (self));

  if (query != NULL && *query == '\0')
    query = NULL;
  if (g_strcmp0 (self->search, query) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (query);
  refresh (self, FALSE);
}

/**
 * rapport_contact_list_get_store:
 *
 * Returns: (transfer none): the store
 */
RapportStore *
rapport_contact_list_get_store (RapportContactList *self)
{
  g_return_val_if_fail (RAPPORT_IS_CONTACT_LIST (self), NULL);
  return self->store;
}

guint
rapport_contact_list_find (RapportContactList *self, const char *contact_id)
{
  gint64 rowid;

  g_return_val_if_fail (RAPPORT_IS_CONTACT_LIST (self), G_MAXUINT);
  g_return_val_if_fail (contact_id != NULL, G_MAXUINT);

  rowid = rapport_store_rowid (self->store, rapport_entity_lookup ("contact"), contact_id);
  return rowid ? position_of_rowid (self->rowids, rowid) : G_MAXUINT;
}
