/* test-export.c: vCard and CSV export, a contact's whole record as JSON, and erasure */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rapport-erase.h"
#include "rapport-export.h"
#include "rapport-journal.h"
#include "rapport-search.h"
#include "rapport-store-private.h"
#include "rapport-vcard.h"
#include "test-common.h"

static RapportContact *
add_contact (RapportTestStore *ts, const char *name, const char *email, const char *phone)
{
  RapportContact *c = rapport_contact_new ();

  c->kind = g_strdup ("person");
  c->name = g_strdup (name);
  if (email)
    rapport_contact_add_email (c, "work", email);
  if (phone)
    rapport_contact_add_phone (c, "mobile", phone);
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (c), NULL));
  return c;
}

static RapportNote *
add_note (RapportTestStore *ts, RapportContact *c, const char *body, gboolean private)
{
  RapportNote *note = rapport_note_new ();

  note->contact_id = g_strdup (RAPPORT_RECORD (c)->id);
  note->body = g_strdup (body);
  note->private = private;
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (note), NULL));
  return note;
}

static char *
export_text (RapportTestStore *ts, RapportExportFormat format, const char *const *ids, gint64 *written)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  gint64 n;

  n = rapport_export_contacts (ts->store, format, ids, out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >=, 0);
  if (written)
    *written = n;
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static guint
count_substring (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p; p = strstr (p + 1, needle))
    n++;
  return n;
}

static gboolean
collect_cb (RapportImportItem *item, double fraction, gpointer user_data, GError **error)
{
  GPtrArray *items = user_data;
  RapportImportItem *copy = rapport_import_item_new (item->line);

  g_set_object (&copy->contact, item->contact);
  for (guint i = 0; i < item->notes->len; i++)
    g_ptr_array_add (copy->notes, g_strdup (item->notes->pdata[i]));
  g_ptr_array_add (items, copy);
  return TRUE;
}

static void
test_vcard_export (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) ada = add_contact (ts, "Ada Lovelace", "ada@example.org", "+44 20 7946 0001");
  g_autoptr (RapportContact) bob = add_contact (ts, "Bob Byte", "bob@example.org", NULL);
  g_autoptr (RapportContact) gone = add_contact (ts, "Gone Away", "gone@example.org", NULL);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_item_free);
  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_import_issue_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *some = NULL;
  const char *ids[] = { RAPPORT_RECORD (bob)->id, RAPPORT_RECORD (ada)->id, NULL };
  RapportImportItem *item;
  gint64 written;

  g_object_unref (add_note (ts, ada, "Prefers email", FALSE));
  g_object_unref (add_note (ts, ada, "Owes us money", TRUE));
  g_assert_true (rapport_store_delete (ts->store, RAPPORT_RECORD (gone), NULL));
  text = export_text (ts, RAPPORT_EXPORT_VCARD, NULL, &written);
  g_assert_cmpint (written, ==, 2);
  g_assert_cmpuint (count_substring (text, "BEGIN:VCARD\r\nVERSION:4.0\r\n"), ==, 2);
  g_assert_null (strstr (text, "Gone Away"));
  g_assert_true (rapport_vcard_parse (text, strlen (text), collect_cb, items, issues, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  item = items->pdata[0];
  g_assert_cmpstr (item->contact->name, ==, "Ada Lovelace");
  g_assert_cmpstr (rapport_contact_get_primary_phone (item->contact), ==, "+44 20 7946 0001");
  g_assert_cmpuint (item->notes->len, ==, 1);   /* the shared note, not the private one */
  g_assert_cmpstr (item->notes->pdata[0], ==, "Prefers email");

  some = export_text (ts, RAPPORT_EXPORT_VCARD, ids, &written);
  g_assert_cmpint (written, ==, 2);
  g_assert_true (strstr (some, "FN:Bob Byte") < strstr (some, "FN:Ada Lovelace"));
}

static void
test_csv_export_roundtrip (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportTestStore) other = rapport_test_store_new ();
  g_autoptr (RapportContact) ada = add_contact (ts, "Ada Lovelace", "ada@example.org", "+44 20 7946 0001");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (RapportImportSummary) summary = NULL;
  g_autoptr (RapportContact) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *header = NULL;
  char *tags[] = { "vip", "north", NULL };
  JsonObject *address = json_object_new ();

  g_object_unref (add_contact (ts, "=HYPERLINK(\"http://evil.example\")", NULL, "-12345678"));
  ada->organization = g_strdup ("Analytical Engines, Ltd.");
  ada->job_title = g_strdup ("Countess \"of\" Lovelace");
  ada->tags = g_strdupv (tags);
  ada->birthday = g_strdup ("1815-12-10");
  ada->cadence_days = 30;
  json_object_set_string_member (address, "label", "work");
  json_object_set_string_member (address, "street", "12 St James's Square\nFloor 2");
  json_object_set_string_member (address, "city", "London");
  ada->addresses = json_array_new ();
  json_array_add_object_element (ada->addresses, address);
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (ada), NULL));

  text = export_text (ts, RAPPORT_EXPORT_CSV, NULL, NULL);
  g_assert_true (g_str_has_prefix (text, "\xef\xbb\xbf"));
  header = g_strjoinv (",", (char **) rapport_export_csv_columns ());
  g_assert_true (g_str_has_prefix (text + 3, header));
  g_assert_nonnull (strstr (text, ",'+44 20 7946 0001,"));          /* no formula */
  g_assert_nonnull (strstr (text, ",\"'=HYPERLINK(\"\"http://evil.example\"\")\","));
  g_assert_nonnull (strstr (text, ",'-12345678,"));
  g_assert_nonnull (strstr (text, ",\"Analytical Engines, Ltd.\","));
  g_assert_nonnull (strstr (text, ",\"Countess \"\"of\"\" Lovelace\","));
  g_assert_nonnull (strstr (text, ",\"12 St James's Square\nFloor 2\",London,"));
  g_assert_nonnull (strstr (text, "\r\n"));

  /* What Rapport exports, Rapport imports as it was. */
  bytes = g_bytes_new (text, strlen (text));
  summary = rapport_import_bytes (other->store, bytes, "export.csv", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->created, ==, 2);
  g_assert_cmpuint (summary->skipped, ==, 0);
  back = rapport_store_find_contact (other->store, "ada@example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->name, ==, "Ada Lovelace");
  g_assert_cmpstr (back->organization, ==, "Analytical Engines, Ltd.");
  g_assert_cmpstr (back->job_title, ==, "Countess \"of\" Lovelace");
  g_assert_cmpstr (rapport_contact_get_primary_phone (back), ==, "+44 20 7946 0001");
  g_assert_true (rapport_contact_has_tag (back, "vip") && rapport_contact_has_tag (back, "north"));
  g_assert_cmpstr (back->birthday, ==, "1815-12-10");
  g_assert_cmpint (back->cadence_days, ==, 30);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (back->addresses, 0), "street"),
                   ==, "12 St James's Square\nFloor 2");
  g_clear_object (&back);
  back = rapport_store_find_contact (other->store, "=HYPERLINK(\"http://evil.example\")", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rapport_contact_get_primary_phone (back), ==, "-12345678");
}

static void
test_paging (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autofree char *text = NULL;
  gint64 written;

  g_assert_true (rapport_store_begin (ts->store, NULL));
  for (guint i = 0; i < 1200; i++)
    {
      /* Half share one name: the pages must not lose or repeat any. */
      g_autofree char *name = i % 2 ? g_strdup_printf ("Person %04u", i) : g_strdup ("Same Name");
      g_object_unref (add_contact (ts, name, NULL, NULL));
    }
  g_assert_true (rapport_store_commit (ts->store, NULL));
  text = export_text (ts, RAPPORT_EXPORT_CSV, NULL, &written);
  g_assert_cmpint (written, ==, 1200);
  g_assert_cmpuint (count_substring (text, "\r\n"), ==, 1201);
  g_assert_cmpuint (count_substring (text, ",Same Name,"), ==, 600);
}

static void
test_contact_record (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) ada = add_contact (ts, "Ada Lovelace", "ada@example.org", NULL);
  g_autoptr (RapportContact) bob = add_contact (ts, "Bob Byte", "bob@example.org", NULL);
  g_autoptr (RapportNote) note = add_note (ts, ada, "First words", FALSE);
  g_autoptr (RapportInteraction) call = rapport_interaction_new ();
  g_autoptr (RapportInteraction) binned = rapport_interaction_new ();
  g_autoptr (RapportReminder) reminder = rapport_reminder_new ();
  g_autoptr (RapportPromise) promise = rapport_promise_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *root, *contact;
  JsonArray *notes, *history = NULL, *conflicts;

  g_object_unref (add_note (ts, ada, "Private words", TRUE));
  g_object_unref (add_note (ts, bob, "Not about Ada", FALSE));
  call->contact_id = g_strdup (RAPPORT_RECORD (ada)->id);
  call->kind = g_strdup ("call");
  call->summary = g_strdup ("Asked about the engine");
  call->occurred_at = ts->now - 86400;
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (call), NULL));
  binned->contact_id = g_strdup (RAPPORT_RECORD (ada)->id);
  binned->summary = g_strdup ("Logged by mistake");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (binned), NULL));
  g_assert_true (rapport_store_delete (ts->store, RAPPORT_RECORD (binned), NULL));
  reminder->contact_id = g_strdup (RAPPORT_RECORD (ada)->id);
  reminder->title = g_strdup ("Send the notes");
  reminder->due_at = ts->now + 86400;
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (reminder), NULL));
  promise->contact_id = g_strdup (RAPPORT_RECORD (ada)->id);
  promise->what = g_strdup ("A demo");
  promise->status = g_strdup ("open");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (promise), NULL));
  g_free (note->body);
  note->body = g_strdup ("Second words");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (note), NULL));
  g_assert_true (rapport_store_exec (ts->store, "INSERT INTO conflicts (entity, record_id, field, lost_value, "
                                                "reason, at) SELECT 'contact', id, 'name', '\"Ada L.\"', "
                                                "'replaced', 1772442000 FROM contacts WHERE name = 'Ada Lovelace'",
                                     NULL));

  node = rapport_export_contact_record (ts->store, RAPPORT_RECORD (ada)->id, &error);
  g_assert_no_error (error);
  root = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "rapport-contact-record/1");
  g_assert_cmpstr (json_object_get_string_member (root, "exported_at"), ==, "2026-03-02T09:00:00Z");
  contact = json_object_get_object_member (root, "contact");
  g_assert_cmpstr (json_object_get_string_member (contact, "id"), ==, RAPPORT_RECORD (ada)->id);
  g_assert_cmpstr (json_object_get_string_member (contact, "name"), ==, "Ada Lovelace");
  g_assert_cmpstr (json_object_get_string_member (contact, "created_at"), ==, "2026-03-02T09:00:00Z");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "interactions")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "reminders")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "promises")), ==, 1);
  notes = json_object_get_array_member (root, "notes");
  g_assert_cmpuint (json_array_get_length (notes), ==, 2);   /* with the private one, not Bob's */
  for (guint i = 0; i < json_array_get_length (notes); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (notes, i), "body"),
                   "Second words") == 0)
      history = json_object_get_array_member (json_array_get_object_element (notes, i), "history");
  g_assert_nonnull (history);
  g_assert_cmpuint (json_array_get_length (history), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 0), "body"), ==,
                   "First words");
  conflicts = json_object_get_array_member (root, "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conflicts, 0), "lost_value"),
                   ==, "\"Ada L.\"");

  g_clear_pointer (&node, json_node_unref);
  node = rapport_export_contact_record (ts->store, "no-such-id", &error);
  g_assert_null (node);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND);
}

static gint64
count_rows (RapportTestStore *ts, const char *sql, const char *param)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (rapport_store_get_db (ts->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_erase (void)
{
  g_autoptr (RapportTestStore) ts = rapport_test_store_new ();
  g_autoptr (RapportContact) xavier = add_contact (ts, "Xavier Quist", "xavier@quist.example", "+44 20 7946 0777");
  g_autoptr (RapportContact) keep = add_contact (ts, "Keep Me", "keep@example.org", NULL);
  g_autoptr (RapportContact) member = add_contact (ts, "Member Person", NULL, NULL);
  g_autoptr (RapportNote) note = add_note (ts, xavier, "Xavier's secret plans", FALSE);
  g_autoptr (RapportInteraction) call = rapport_interaction_new ();
  g_autoptr (RapportContact) member_after = NULL;
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GPtrArray) hits = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *xavier_id = g_strdup (RAPPORT_RECORD (xavier)->id);
  char *tags[] = { "quist-family", NULL };
  guint wipes = 0;

  xavier->tags = g_strdupv (tags);
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (xavier), NULL));
  call->contact_id = g_strdup (xavier_id);
  call->summary = g_strdup ("Xavier called about the plans");
  call->occurred_at = ts->now - 60;
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (call), NULL));
  g_free (note->body);
  note->body = g_strdup ("Xavier's revised plans");
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (note), NULL));
  member->organization_id = g_strdup (xavier_id);
  g_assert_true (rapport_store_save (ts->store, RAPPORT_RECORD (member), NULL));
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM note_history", NULL), ==, 1);

  g_assert_cmpint (rapport_store_erase_contact (ts->store, xavier_id, &error), ==, 3);
  g_assert_no_error (error);

  /* Gone from every table, index and history. */
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM contacts WHERE id = ?", xavier_id), ==, 0);
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM notes", NULL), ==, 0);
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM interactions", NULL), ==, 0);
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM note_history", NULL), ==, 0);
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM contact_keys WHERE contact_id = ?", xavier_id), ==, 0);
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM contact_tags WHERE contact_id = ?", xavier_id), ==, 0);
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'quist'", NULL), ==, 0);
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'plans'", NULL), ==, 0);
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM interactions_fts WHERE interactions_fts MATCH 'plans'", NULL), ==, 0);
  hits = rapport_store_search (ts->store, "xavier", 10, NULL);
  g_assert_cmpuint (hits->len, ==, 0);
  g_assert_true (rapport_store_is_erased (ts->store, "contact", xavier_id));
  g_assert_false (rapport_store_is_erased (ts->store, "contact", RAPPORT_RECORD (keep)->id));

  /* The journal holds one erasure of the contact (sync carries it to the
   * server and every desktop), and nothing said about them. */
  pending = rapport_store_pending_changes (ts->store, 1000, NULL);
  for (guint i = 0; i < pending->len; i++)
    {
      RapportChange *change = pending->pdata[i];
      g_autoptr (JsonNode) json = rapport_change_to_json (change);
      g_autofree char *text = json_to_string (json, FALSE);

      g_assert_null (strstr (text, "Xavier"));
      g_assert_null (strstr (text, "xavier@"));
      g_assert_null (strstr (text, "7946 0777"));
      g_assert_null (strstr (text, "plans"));
      g_assert_cmpstr (change->record_id, !=, RAPPORT_RECORD (note)->id);
      g_assert_cmpstr (change->record_id, !=, RAPPORT_RECORD (call)->id);
      if (change->erased)
        {
          g_assert_cmpstr (change->record_id, ==, xavier_id);
          g_assert_cmpuint (json_object_get_size (change->fields), ==, 0);
          wipes++;
        }
    }
  g_assert_cmpuint (wipes, ==, 1);

  /* Others stay; a person of the erased organization loses the link. */
  g_assert_cmpint (count_rows (ts, "SELECT count(*) FROM contacts WHERE id = ?", RAPPORT_RECORD (keep)->id), ==, 1);
  member_after = rapport_store_get_contact (ts->store, RAPPORT_RECORD (member)->id, NULL);
  g_assert_null (member_after->organization_id);
  g_assert_null (rapport_export_contact_record (ts->store, xavier_id, &error));
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (rapport_store_erase_contact (ts->store, xavier_id, &error), ==, -1);
  g_assert_error (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/vcard", test_vcard_export);
  g_test_add_func ("/export/csv-roundtrip", test_csv_export_roundtrip);
  g_test_add_func ("/export/paging", test_paging);
  g_test_add_func ("/export/contact-record", test_contact_record);
  g_test_add_func ("/export/erase", test_erase);
  return g_test_run ();
}
