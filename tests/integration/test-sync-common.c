/* test-sync-common.c: desktops (a store and a sync client) for sync tests */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "test-sync-common.h"

static GHashTable *user_ids;

TestDesktop *
test_desktop_new (const char *server_url)
{
  TestDesktop *d = g_new0 (TestDesktop, 1);

  d->ts = rapport_test_store_new ();
  d->store = d->ts->store;
  d->url = g_strdup (server_url);
  d->client = rapport_sync_client_new (d->store, server_url);
  rapport_sync_client_set_use_keyring (d->client, FALSE);
  return d;
}

void
test_desktop_free (TestDesktop *d)
{
  if (d == NULL)
    return;
  g_clear_object (&d->client);
  rapport_test_store_free (d->ts);
  g_free (d->url);
  g_free (d);
}

void
test_desktop_close (TestDesktop *d)
{
  g_clear_object (&d->client);
  g_clear_object (&d->ts->store);
  d->store = NULL;
}

void
test_desktop_reopen (TestDesktop *d, const char *user)
{
  g_assert_null (d->client);
  d->ts = rapport_test_store_reopen (d->ts);
  d->store = d->ts->store;
  d->client = rapport_sync_client_new (d->store, d->url);
  rapport_sync_client_set_use_keyring (d->client, FALSE);
  test_desktop_login (d, user, TEST_PASSWORD);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
  RapportSyncStats stats;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the thread-default main context, so desktops may each run in a
 * thread of their own (benchmarks). */
void
test_wait_until (gboolean (*done) (gpointer data), gpointer data, guint timeout_ms, const char *what)
{
  g_autoptr (GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr (GSource) timeout = g_timeout_source_new (timeout_ms);
  gboolean timed_out = FALSE;

  g_source_set_callback (timeout, timed_out_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!done (data) && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  if (timed_out)
    g_error ("Timed out after %u ms waiting for %s", timeout_ms, what);
}

static void
login_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->ok = rapport_sync_client_login_finish (RAPPORT_SYNC_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

void
test_desktop_login (TestDesktop *d, const char *user, const char *password)
{
  Wait w = { 0 };

  rapport_sync_client_login_async (d->client, user, password, NULL, login_cb, &w);
  test_wait_until (wait_done, &w, 30000, "a login");
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
}

static void
sync_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->ok = rapport_sync_client_sync_finish (RAPPORT_SYNC_CLIENT (source), result, &w->stats,
                                           &w->error);
  w->done = TRUE;
}

gboolean
test_desktop_sync (TestDesktop *d, RapportSyncStats *stats, GError **error)
{
  Wait w = { 0 };

  const char *limit = g_getenv ("RAPPORT_TEST_SYNC_TIMEOUT_MS");

  rapport_sync_client_sync_async (d->client, NULL, sync_cb, &w);
  test_wait_until (wait_done, &w, limit ? (guint) g_ascii_strtoull (limit, NULL, 10) : 120000,
                   "a sync");
  if (stats != NULL)
    *stats = w.stats;
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.ok;
}

void
test_desktop_sync_ok (TestDesktop *d)
{
  g_autoptr (GError) error = NULL;

  gboolean ok = test_desktop_sync (d, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

RapportContact *
test_desktop_add_contact (TestDesktop *d, const char *name)
{
  RapportContact *c = rapport_contact_new ();
  g_autoptr (GError) error = NULL;

  c->kind = g_strdup ("person");
  c->name = g_strdup (name);
  c->relationship = g_strdup ("customer");
  /* As the app and the CLI do: the creator owns a new contact. */
  c->created_by = g_strdup (rapport_store_get_me_id (d->store));
  c->owner = g_strdup (rapport_store_get_me_id (d->store));
  rapport_contact_add_phone (c, "work", "+44 20 7946 0018");
  g_assert_true (rapport_store_save (d->store, RAPPORT_RECORD (c), &error));
  g_assert_no_error (error);
  return c;
}

RapportNote *
test_desktop_add_note (TestDesktop *d, const char *contact_id, const char *body, gboolean is_private)
{
  RapportNote *n = rapport_note_new ();
  g_autoptr (GError) error = NULL;

  n->contact_id = g_strdup (contact_id);
  n->body = g_strdup (body);
  n->private = is_private;
  n->author = g_strdup (rapport_store_get_me_id (d->store));
  g_assert_true (rapport_store_save (d->store, RAPPORT_RECORD (n), &error));
  g_assert_no_error (error);
  return n;
}

void
test_desktop_edit (TestDesktop *d, const char *entity, const char *id, const char *field,
                   const char *value_json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportRecord) record = rapport_store_load (d->store, rapport_entity_lookup (entity),
                                                         id, &error);
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (JsonNode) value = json_from_string (value_json, &error);

  g_assert_no_error (error);
  json_object_set_member (fields, field, g_steal_pointer (&value));
  g_assert_true (rapport_record_set_from_json (record, fields, &error));
  g_assert_true (rapport_store_save (d->store, record, &error));
  g_assert_no_error (error);
}

char *
test_desktop_field (TestDesktop *d, const char *entity, const char *id, const char *field)
{
  g_autoptr (RapportRecord) record = rapport_store_load (d->store, rapport_entity_lookup (entity),
                                                         id, NULL);
  g_autoptr (JsonObject) json = NULL;

  if (record == NULL)
    return NULL;
  json = rapport_record_to_json (record);
  return json_to_string (json_object_get_member (json, field), FALSE);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

char *
test_desktop_dump (TestDesktop *d, const char *entity_name)
{
  const RapportEntity *const *all = rapport_entity_all ();
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *dump = g_string_new (NULL);

  for (guint e = 0; all[e]; e++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) records = NULL;

      if (entity_name != NULL ? strcmp (all[e]->name, entity_name) != 0
                              : strcmp (all[e]->name, "user") == 0)
        continue;
      records = rapport_store_list (d->store, all[e], NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < records->len; i++)
        {
          RapportRecord *record = records->pdata[i];
          g_autoptr (JsonObject) json = rapport_record_to_json (record);
          g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), json);
          g_autoptr (JsonGenerator) gen = json_generator_new ();
          g_autofree char *text = NULL;

          /* Members in a fixed order: the entity's field order. */
          json_generator_set_root (gen, node);
          text = json_generator_to_data (gen, NULL);
          g_ptr_array_add (lines, g_strdup_printf ("%s %s %s", all[e]->name, record->id, text));
        }
    }
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    {
      g_string_append (dump, lines->pdata[i]);
      g_string_append_c (dump, '\n');
    }
  return g_string_free (dump, FALSE);
}

guint
test_desktop_count (TestDesktop *d, const char *entity)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = rapport_store_list (d->store, rapport_entity_lookup (entity),
                                                      NULL, &error);

  g_assert_no_error (error);
  return records->len;
}

GPtrArray *
test_desktop_conflicts (TestDesktop *d, const char *record_id)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (d->ts->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT field, reason, lost_value FROM conflicts "
                                           "WHERE record_id = ? ORDER BY id", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup_printf ("%s|%s|%s", sqlite3_column_text (stmt, 0),
                                            sqlite3_column_text (stmt, 1),
                                            sqlite3_column_text (stmt, 2)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

RapportTestServer *
test_sync_server_new (void)
{
  return test_sync_server_new_with_env (NULL, NULL);
}

RapportTestServer *
test_sync_server_new_with_env (const char *name, const char *value)
{
  g_autoptr (GError) error = NULL;
  RapportTestServer *srv = rapport_test_server_new (&error);
  static const char *const users[][3] = {
    { "alice", "staff", "Sales" },
    { "bob", "staff", "Support" },
    { "mia", "manager", "Sales" },
  };

  g_assert_no_error (error);
  if (user_ids == NULL)
    user_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      char *id = rapport_test_server_add_user (srv, users[i][0], TEST_PASSWORD, users[i][1],
                                               users[i][2], &error);
      g_assert_no_error (error);
      g_hash_table_replace (user_ids, g_strdup (users[i][0]), id);
    }
  if (name != NULL)
    rapport_test_server_setenv (srv, name, value);
  g_assert_true (rapport_test_server_start (srv, &error));
  g_assert_no_error (error);
  return srv;
}

const char *
test_sync_user_id (const char *name)
{
  return user_ids ? g_hash_table_lookup (user_ids, name) : NULL;
}
