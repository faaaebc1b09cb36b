/* rapport-export.c: contacts out as vCard 4.0 or CSV, and one contact's whole record as JSON */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-csv.h"
#include "rapport-export.h"
#include "rapport-store-private.h"
#include "rapport-vcard.h"

/* Contacts are read in pages, so exporting 100,000 of them never holds
 * 100,000 objects. */
#define PAGE_SIZE 500

static const char *const csv_columns[] = {
  "id", "kind", "name", "given_name", "family_name", "organization", "job_title",
  "relationship", "stage", "owner", "emails", "phones", "street", "city", "region",
  "postcode", "country", "tags", "birthday", "website", "source", "preferred_channel",
  "do_not_contact", "marketing_consent", "cadence_days", "created_at", "last_interaction_at",
  NULL,
};

const char *const *
rapport_export_csv_columns (void)
{
  return csv_columns;
}

static char *
iso_time (gint64 t)
{
  g_autoptr (GDateTime) dt = t ? g_date_time_new_from_unix_utc (t) : NULL;
  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

static char *
join_member (JsonArray *array, const char *member)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      const char *value = json_object_get_string_member_with_default (
          json_array_get_object_element (array, i), member, NULL);
      if (value != NULL && *value != '\0')
        g_string_append_printf (out, "%s%s", out->len ? "; " : "", value);
    }
  return g_string_free (out, FALSE);
}

static const char *
first_address_part (RapportContact *c, const char *part)
{
  if (c->addresses == NULL || json_array_get_length (c->addresses) == 0)
    return NULL;
  return json_object_get_string_member_with_default (json_array_get_object_element (c->addresses, 0),
                                                     part, NULL);
}

static void
append_csv_row (GString *out, RapportStore *store, RapportContact *c)
{
  g_autoptr (RapportUser) owner = c->owner ? rapport_store_get_user (store, c->owner) : NULL;
  g_autofree char *emails = join_member (c->emails, "value");
  g_autofree char *phones = join_member (c->phones, "value");
  g_autofree char *website = join_member (c->social, "handle");
  g_autofree char *tags = c->tags ? g_strjoinv ("; ", c->tags) : NULL;
  g_autofree char *cadence = c->cadence_days ? g_strdup_printf ("%" G_GINT64_FORMAT, c->cadence_days) : NULL;
  g_autofree char *created = iso_time (RAPPORT_RECORD (c)->created_at);
  g_autofree char *last = iso_time (c->last_interaction_at);
  const char *owner_name = owner ? (owner->display_name ? owner->display_name : owner->name) : c->owner;
  const char *cells[] = {
    RAPPORT_RECORD (c)->id, c->kind, c->name, c->given_name, c->family_name, c->organization,
    c->job_title, c->relationship, c->stage, owner_name, emails, phones,
    first_address_part (c, "street"), first_address_part (c, "city"),
    first_address_part (c, "region"), first_address_part (c, "postcode"),
    first_address_part (c, "country"), tags, c->birthday, website, c->source,
    c->preferred_channel, c->do_not_contact ? "yes" : "no", c->marketing_consent ? "yes" : "no",
    cadence, created, last,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (cells) == G_N_ELEMENTS (csv_columns) - 1);
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      rapport_csv_append_cell (out, cells[i]);
    }
  g_string_append (out, "\r\n");
}

static GPtrArray *
shared_notes (RapportStore *store, const char *contact_id, GError **error)
{
  char *where = sqlite3_mprintf ("contact_id = %Q AND deleted = 0 AND private = 0 "
                                 "ORDER BY pinned DESC, created_at", contact_id);
  GPtrArray *notes = rapport_store_list (store, rapport_entity_lookup ("note"), where, error);

  sqlite3_free (where);
  return notes;
}

static gboolean
write_contact (RapportStore *store, RapportExportFormat format, RapportContact *c, GString *buffer,
               GError **error)
{
  if (format == RAPPORT_EXPORT_CSV)
    append_csv_row (buffer, store, c);
  else
    {
      g_autoptr (GPtrArray) notes = shared_notes (store, RAPPORT_RECORD (c)->id, error);
      g_autofree char *card = NULL;

      if (notes == NULL)
        return FALSE;
      card = rapport_vcard_from_contact (c, notes);
      g_string_append (buffer, card);
    }
  return TRUE;
}

static gboolean
flush (GOutputStream *out, GString *buffer, GCancellable *cancellable, GError **error)
{
  if (buffer->len > 0 && !g_output_stream_write_all (out, buffer->str, buffer->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (buffer, 0);
  return TRUE;
}

/* The next page of contacts not in the Trash, by name, after @last. */
static GPtrArray *
next_page (RapportStore *store, RapportContact *last, GError **error)
{
  char *where;
  GPtrArray *page;

  if (last == NULL)
    where = sqlite3_mprintf ("deleted = 0 ORDER BY coalesce (sort_key, ''), id LIMIT %d", PAGE_SIZE);
  else
    {
      g_autofree char *key = rapport_index_sort_key (last->name);
      where = sqlite3_mprintf ("deleted = 0 AND (coalesce (sort_key, '') > %Q OR "
                               "(coalesce (sort_key, '') = %Q AND id > %Q)) "
                               "ORDER BY coalesce (sort_key, ''), id LIMIT %d",
                               key, key, RAPPORT_RECORD (last)->id, PAGE_SIZE);
    }
  page = rapport_store_list (store, rapport_entity_lookup ("contact"), where, error);
  sqlite3_free (where);
  return page;
}

static gint64
count_contacts (RapportStore *store)
{
  sqlite3_stmt *stmt = rapport_store_prepare (store, "SELECT count(*) FROM contacts WHERE deleted = 0", NULL);
  gint64 n = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

gint64
rapport_export_contacts (RapportStore *store, RapportExportFormat format, const char *const *contact_ids,
                         GOutputStream *out, GCancellable *cancellable, RapportProgressFunc progress,
                         gpointer progress_data, GError **error)
{
  g_autoptr (GString) buffer = g_string_new (NULL);
  g_autoptr (RapportContact) last = NULL;
  gint64 total, written = 0;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), -1);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), -1);

  total = contact_ids ? (gint64) g_strv_length ((char **) contact_ids) : count_contacts (store);
  if (format == RAPPORT_EXPORT_CSV)
    {
      g_string_append (buffer, "\xef\xbb\xbf");
      for (guint i = 0; csv_columns[i]; i++)
        g_string_append_printf (buffer, "%s%s", i ? "," : "", csv_columns[i]);
      g_string_append (buffer, "\r\n");
    }
  for (guint i = 0; contact_ids && contact_ids[i]; i++)
    {
      g_autoptr (RapportContact) c = rapport_store_get_contact (store, contact_ids[i], error);
      if (c == NULL || !write_contact (store, format, c, buffer, error))
        return -1;
      written++;
      if (buffer->len > 65536 && !flush (out, buffer, cancellable, error))
        return -1;
    }
  while (contact_ids == NULL)
    {
      g_autoptr (GPtrArray) page = next_page (store, last, error);

      if (page == NULL)
        return -1;
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        if (!write_contact (store, format, page->pdata[i], buffer, error))
          return -1;
      written += page->len;
      g_set_object (&last, page->pdata[page->len - 1]);
      if (!flush (out, buffer, cancellable, error))
        return -1;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
      if (progress != NULL && total > 0)
        progress ((double) written / total, progress_data);
    }
  if (!flush (out, buffer, cancellable, error))
    return -1;
  if (progress != NULL)
    progress (1.0, progress_data);
  return written;
}

/* The whole record of one contact ------------------------------------------ */

/* A record's fields with its id, times as ISO 8601 text. */
static JsonObject *
record_json (RapportRecord *record)
{
  const RapportEntity *entity = rapport_record_get_entity (record);
  JsonObject *object = json_object_new ();
  g_autoptr (JsonObject) fields = rapport_record_to_json (record);
  g_autoptr (GList) members = json_object_get_members (fields);

  json_object_set_string_member (object, "id", record->id);
  for (GList *l = members; l; l = l->next)
    {
      const RapportField *field = rapport_entity_find_field (entity, l->data);
      JsonNode *node = json_object_get_member (fields, l->data);

      if (field->type == RAPPORT_FIELD_TIME && JSON_NODE_HOLDS_VALUE (node))
        {
          g_autofree char *iso = iso_time (json_node_get_int (node));
          json_object_set_string_member (object, l->data, iso);
        }
      else
        json_object_set_member (object, l->data, json_node_copy (node));
    }
  return object;
}

static gboolean
add_note_history (RapportStore *store, JsonObject *note, const char *note_id, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      store, "SELECT body, edited_by, edited_at FROM note_history WHERE note_id = ? ORDER BY rowid", error);
  JsonArray *history = json_array_new ();
  int rc;

  json_object_set_array_member (note, "history", history);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, note_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *entry = json_object_new ();
      g_autofree char *at = iso_time (sqlite3_column_int64 (stmt, 2));

      json_object_set_string_member (entry, "body", (const char *) sqlite3_column_text (stmt, 0));
      json_object_set_string_member (entry, "edited_by", (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_string_member (entry, "edited_at", at);
      json_array_add_object_element (history, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (store, error, N_("read the note history"));
  return TRUE;
}

static gboolean
add_conflicts (RapportStore *store, JsonArray *conflicts, const char *record_id, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (
      store, "SELECT entity, field, lost_value, lost_stamp, winner_stamp, reason, at "
             "FROM conflicts WHERE record_id = ? ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *conflict = json_object_new ();
      static const char *const names[] = { "entity", "field", "lost_value", "lost_stamp",
                                           "winner_stamp", "reason" };
      g_autofree char *at = iso_time (sqlite3_column_int64 (stmt, 6));

      json_object_set_string_member (conflict, "record_id", record_id);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        json_object_set_string_member (conflict, names[i], (const char *) sqlite3_column_text (stmt, i));
      json_object_set_string_member (conflict, "at", at);
      json_array_add_object_element (conflicts, conflict);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (store, error, N_("read the conflicts"));
  return TRUE;
}

JsonNode *
rapport_export_contact_record (RapportStore *store, const char *contact_id, GError **error)
{
  static const char *const parts[][2] = {
    { "interaction", "interactions" }, { "note", "notes" }, { "reminder", "reminders" },
    { "promise", "promises" },
  };
  g_autoptr (RapportContact) contact = NULL;
  g_autoptr (JsonObject) root = json_object_new ();
  g_autofree char *now = NULL;
  JsonArray *conflicts = json_array_new ();

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  contact = rapport_store_get_contact (store, contact_id, error);
  if (contact == NULL)
    {
      json_array_unref (conflicts);
      return NULL;
    }
  now = iso_time (rapport_store_now (store));
  json_object_set_string_member (root, "format", "rapport-contact-record/1");
  json_object_set_string_member (root, "exported_at", now);
  json_object_set_object_member (root, "contact", record_json (RAPPORT_RECORD (contact)));
  json_object_set_array_member (root, "conflicts", conflicts);
  if (!add_conflicts (store, conflicts, contact_id, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      char *where = sqlite3_mprintf ("contact_id = %Q ORDER BY created_at, id", contact_id);
      g_autoptr (GPtrArray) records = rapport_store_list (store, rapport_entity_lookup (parts[i][0]), where, error);
      JsonArray *array = json_array_new ();

      sqlite3_free (where);
      json_object_set_array_member (root, parts[i][1], array);
      if (records == NULL)
        return NULL;
      for (guint j = 0; j < records->len; j++)
        {
          RapportRecord *record = records->pdata[j];
          JsonObject *object = record_json (record);

          json_array_add_object_element (array, object);
          if (RAPPORT_IS_NOTE (record) && !add_note_history (store, object, record->id, error))
            return NULL;
          if (!add_conflicts (store, conflicts, record->id, error))
            return NULL;
        }
    }
  return json_node_init_object (json_node_alloc (), root);
}
