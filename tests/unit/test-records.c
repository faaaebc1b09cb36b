/* test-records.c: save, load, delete and restore of every record type */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rapport-journal.h"
#include "rapport-store-private.h"
#include "test-common.h"
#include "test-fixtures.h"

#define T RAPPORT_TEST_NOW

/* A value for every field of @entity that differs from the default, made
 * from @seed, as JSON the way the wire and the journal carry it. */
static JsonObject *
sample_fields (const RapportEntity *entity, guint seed)
{
  JsonObject *fields = json_object_new ();

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const RapportField *field = &entity->fields[i];
      g_autofree char *text = g_strdup_printf ("%s-%u-ü", field->name, seed);

      if (field->flags & RAPPORT_FIELD_DERIVED)
        continue;
      if (g_str_equal (field->name, "deleted") || g_str_equal (field->name, "deleted_at")
          || g_str_equal (field->name, "created_at"))
        continue;
      switch (field->type)
        {
        case RAPPORT_FIELD_STRING:
          json_object_set_string_member (fields, field->name, text);
          break;
        case RAPPORT_FIELD_INT:
          json_object_set_int_member (fields, field->name, 7 + seed);
          break;
        case RAPPORT_FIELD_TIME:
          json_object_set_int_member (fields, field->name, T - 1000 * (i + 1) - seed);
          break;
        case RAPPORT_FIELD_BOOL:
          json_object_set_boolean_member (fields, field->name, TRUE);
          break;
        case RAPPORT_FIELD_STRV:
          {
            JsonArray *array = json_array_new ();
            json_array_add_string_element (array, text);
            json_array_add_string_element (array, "second");
            json_object_set_array_member (fields, field->name, array);
            break;
          }
        case RAPPORT_FIELD_JSON:
          {
            JsonArray *array = json_array_new ();
            JsonObject *element = json_object_new ();
            json_object_set_string_member (element, "label", "work");
            json_object_set_string_member (element, "value", text);
            json_array_add_object_element (array, element);
            json_object_set_array_member (fields, field->name, array);
            break;
          }
        default:
          g_assert_not_reached ();
        }
    }
  return fields;
}

static gboolean
json_objects_equal (JsonObject *a, JsonObject *b)
{
  g_autoptr (JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr (JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

static guint
count_journal (RapportStore *store, const char *record_id)
{
  sqlite3_stmt *stmt = rapport_store_prepare (store, "SELECT count(*) FROM journal WHERE record_id = ?",
                                              NULL);
  guint n;

  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  sqlite3_step (stmt);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
test_roundtrip (gconstpointer data)
{
  const char *name = data;
  const RapportEntity *entity = rapport_entity_lookup (name);
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (JsonObject) fields = sample_fields (entity, 1);
  g_autoptr (JsonObject) changed = sample_fields (entity, 2);
  g_autoptr (RapportRecord) record = rapport_record_new_for_entity (entity);
  g_autoptr (RapportRecord) loaded = NULL;
  g_autoptr (RapportRecord) reopened = NULL;
  g_autoptr (JsonObject) expected = NULL;
  g_autoptr (JsonObject) actual = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_nonnull (entity);
  g_assert_true (rapport_record_set_from_json (record, fields, &error));
  g_assert_no_error (error);

  /* Save: a new id, the creation time, every field back as written. */
  g_assert_true (rapport_store_save (ts->store, record, &error));
  g_assert_no_error (error);
  g_assert_nonnull (record->id);
  g_assert_true (g_uuid_string_is_valid (record->id));
  g_assert_cmpint (record->created_at, ==, T);
  id = g_strdup (record->id);
  loaded = rapport_store_load (ts->store, entity, id, &error);
  g_assert_no_error (error);
  g_assert_true (G_OBJECT_TYPE (loaded) == G_OBJECT_TYPE (record));
  expected = rapport_record_to_json (record);
  actual = rapport_record_to_json (loaded);
  g_assert_true (json_objects_equal (expected, actual));
  g_assert_cmpuint (count_journal (ts->store, id), ==, 1);
  g_clear_object (&loaded);
  g_clear_pointer (&actual, json_object_unref);
  g_clear_pointer (&expected, json_object_unref);

  /* Edit every field; the journal gets one more entry. */
  g_assert_true (rapport_record_set_from_json (record, changed, &error));
  g_assert_true (rapport_store_save (ts->store, record, &error));
  g_assert_cmpuint (count_journal (ts->store, id), ==, 2);

  /* Delete: it stays, flagged, with the time of deletion. */
  ts->now = T + 60;
  g_assert_true (rapport_store_delete (ts->store, record, &error));
  g_assert_no_error (error);
  loaded = rapport_store_load (ts->store, entity, id, &error);
  g_assert_true (loaded->deleted);
  g_assert_cmpint (loaded->deleted_at, ==, T + 60);
  g_assert_cmpuint (count_journal (ts->store, id), ==, 3);
  g_clear_object (&loaded);

  /* Restore, then the record survives closing and opening the store. */
  g_assert_true (rapport_store_restore (ts->store, record, &error));
  rapport_test_store_reopen (ts);
  reopened = rapport_store_load (ts->store, entity, id, &error);
  g_assert_no_error (error);
  g_assert_false (reopened->deleted);
  g_assert_cmpint (reopened->deleted_at, ==, 0);
  g_assert_cmpint (reopened->created_at, ==, T);
  expected = rapport_record_to_json (record);
  actual = rapport_record_to_json (reopened);
  g_assert_true (json_objects_equal (expected, actual));
  g_assert_cmpuint (count_journal (ts->store, id), ==, 4);

  /* An unknown id is NOT_FOUND. */
  g_clear_object (&loaded);
  loaded = rapport_store_load (ts->store, entity, "no-such-id", &error);
  g_assert_null (loaded);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND);
}

static void
test_contact_lookups (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportStore *s = ts->store;
  g_autoptr (RapportContact) ada = rapport_contact_new ();
  g_autoptr (RapportContact) found = NULL;
  g_autoptr (RapportContact) twin1 = fx_contact (s, "Twin One", NULL, 0, T);
  g_autoptr (RapportContact) twin2 = fx_contact (s, "Twin Two", NULL, 0, T);
  g_autoptr (GPtrArray) trash = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) tags = NULL;
  char *ada_tags[] = { "vip", "berlin", NULL };

  ada->name = g_strdup ("Ada Lovelace");
  ada->tags = g_strdupv (ada_tags);
  rapport_contact_add_email (ada, "work", "Ada@Example.org");
  fx_save (s, ada);

  found = rapport_store_find_contact (s, FX_ID (ada), &error);
  g_assert_cmpstr (FX_ID (found), ==, FX_ID (ada));
  g_clear_object (&found);
  found = rapport_store_find_contact (s, "ada@example.org", &error);
  g_assert_cmpstr (FX_ID (found), ==, FX_ID (ada));
  g_clear_object (&found);
  found = rapport_store_find_contact (s, "Ada Lovelace", &error);
  g_assert_cmpstr (FX_ID (found), ==, FX_ID (ada));
  g_clear_object (&found);
  found = rapport_store_find_contact (s, "lovel", &error);
  g_assert_cmpstr (FX_ID (found), ==, FX_ID (ada));
  g_clear_object (&found);
  found = rapport_store_find_contact (s, "twin", &error);
  g_assert_null (found);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_AMBIGUOUS);
  g_clear_error (&error);
  found = rapport_store_find_contact (s, "nobody", &error);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  tags = rapport_store_list_tags (s);
  g_assert_cmpstrv (tags, ((const char *const[]){ "berlin", "vip", NULL }));

  /* The Trash: newest deletion first; tags of trashed contacts vanish. */
  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (twin1), &error));
  ts->now = T + 10;
  g_assert_true (rapport_store_delete (s, RAPPORT_RECORD (ada), &error));
  trash = rapport_store_list_trash (s, &error);
  g_assert_cmpuint (trash->len, ==, 2);
  g_assert_cmpstr (FX_ID (trash->pdata[0]), ==, FX_ID (ada));
  g_strfreev (tags);
  tags = rapport_store_list_tags (s);
  g_assert_cmpuint (g_strv_length (tags), ==, 0);
  found = rapport_store_find_contact (s, "twin", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (FX_ID (found), ==, FX_ID (twin2));
}

static void
test_users (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportStore *s = ts->store;
  g_autoptr (RapportUser) zed = fx_user (s, "Zed", "finance", "admin");
  g_autoptr (RapportUser) amy = fx_user (s, "Amy", "sales", "manager");
  g_autoptr (RapportUser) found = NULL;
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_null (rapport_store_get_me (s));
  g_assert_true (rapport_store_set_me (s, amy, &error));
  g_assert_cmpstr (rapport_store_get_me_id (s), ==, FX_ID (amy));
  rapport_test_store_reopen (ts);
  g_assert_cmpstr (rapport_store_get_me_id (ts->store), ==, FX_ID (amy));
  g_assert_cmpstr (rapport_store_get_me (ts->store)->role, ==, "manager");

  users = rapport_store_list_users (ts->store);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((RapportUser *) users->pdata[0])->display_name, ==, "Amy");
  found = rapport_store_find_user (ts->store, "zed", &error);
  g_assert_cmpstr (FX_ID (found), ==, FX_ID (zed));
  g_clear_object (&found);
  found = rapport_store_find_user (ts->store, "Zed", &error);
  g_assert_cmpstr (found->department, ==, "finance");
  g_clear_object (&found);
  found = rapport_store_find_user (ts->store, "nobody", &error);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND);
}

static void
test_note_history_and_timeline (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  RapportStore *s = ts->store;
  g_autoptr (RapportUser) me = fx_user (s, "Me", "sales", NULL);
  g_autoptr (RapportUser) other = fx_user (s, "Other", "sales", NULL);
  g_autoptr (RapportContact) c = fx_contact (s, "Ada", FX_ID (me), 0, T - 100 * FX_DAY);
  g_autoptr (RapportNote) note = NULL;
  g_autoptr (RapportNote) pinned = NULL;
  g_autoptr (GPtrArray) timeline = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;

  g_assert_true (rapport_store_set_me (s, me, &error));
  note = fx_note (s, FX_ID (c), FX_ID (me), "First version", FALSE);
  g_free (note->body);
  note->body = g_strdup ("Second version");
  note->updated_at = T + 5;
  note->updated_by = g_strdup (FX_ID (other));
  fx_save (s, note);

  stmt = rapport_store_prepare (s, "SELECT body, edited_by, edited_at FROM note_history WHERE note_id = ?", NULL);
  sqlite3_bind_text (stmt, 1, FX_ID (note), -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "First version");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, FX_ID (other));
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, T + 5);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);

  /* The timeline: every colleague's entries, pinned notes first, newest
   * first, others' private notes left out. */
  g_object_unref (fx_interaction (s, FX_ID (c), "call", FX_ID (other), T - 2 * FX_DAY, "Old call"));
  g_object_unref (fx_interaction (s, FX_ID (c), "visit", FX_ID (other), T + FX_DAY, "Visit"));
  g_object_unref (fx_note (s, FX_ID (c), FX_ID (other), "Other's secret", TRUE));
  g_object_unref (fx_reminder (s, FX_ID (c), FX_ID (me), T + FX_DAY));
  g_object_unref (fx_promise (s, FX_ID (c), FX_ID (me), NULL, "service", T + FX_DAY));
  ts->now = T - 10 * FX_DAY;
  pinned = fx_note (s, FX_ID (c), FX_ID (other), "Pinned and old", FALSE);
  pinned->pinned = TRUE;
  fx_save (s, pinned);

  timeline = rapport_store_timeline (s, FX_ID (c), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (timeline->len, ==, 6);
  g_assert_cmpstr (FX_ID (timeline->pdata[0]), ==, FX_ID (pinned));
  g_assert_true (RAPPORT_IS_INTERACTION (timeline->pdata[1]));
  g_assert_cmpstr (RAPPORT_INTERACTION (timeline->pdata[1])->summary, ==, "Visit");
  g_assert_true (RAPPORT_IS_INTERACTION (timeline->pdata[5]));
  for (guint i = 0; i < timeline->len; i++)
    if (RAPPORT_IS_NOTE (timeline->pdata[i]))
      g_assert_cmpstr (RAPPORT_NOTE (timeline->pdata[i])->body, !=, "Other's secret");
}

int
main (int argc, char *argv[])
{
  const RapportEntity *const *all = rapport_entity_all ();

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/records/roundtrip/%s", all[i]->name);
      g_test_add_data_func (path, all[i]->name, test_roundtrip);
    }
  g_test_add_func ("/records/contact-lookups", test_contact_lookups);
  g_test_add_func ("/records/users", test_users);
  g_test_add_func ("/records/note-history-and-timeline", test_note_history_and_timeline);
  return g_test_run ();
}
