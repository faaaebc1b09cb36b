/* rapport-generate.c: the reference data sets of performance.md */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-generate"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-generate.h"
#include "rapport-generate-private.h"
#include "rapport-store-private.h"

#define DAY ((gint64) 24 * 60 * 60)
#define YEARS_OF_HISTORY 5

/* Records are written through the store's one write path (row, journal
 * entry, clock stamp, search index) in transactions of this many records:
 * large enough to be fast, small enough that the write-ahead log can be
 * checkpointed and the queued change signals stay small. */
#define RECORDS_PER_TRANSACTION 200000

/* While generating, SQLite may keep this much of the file in memory (KiB):
 * records have random UUIDs, so their indexes are written all over. */
#define GENERATION_CACHE_KIB 524288

static const RapportPreset presets[] = {
  { 20, 100000, 1000000, 200000, 50000, 5000, 2000 },
  { 20, 10000, 100000, 20000, 5000, 500, 200 },
};

static const char *const departments[] = { "sales", "service", "production", "logistics", "finance" };
/* How many of the 20 users work in each department, in order. */
static const guint department_sizes[] = { 6, 4, 4, 3, 3 };

#define MAX_ENTITIES 8

typedef struct
{
  RapportStore *store;
  gboolean through_save;        /* rapport_store_save() instead of insert_new() */
  char *insert_sql[MAX_ENTITIES];
  gboolean entity_written[MAX_ENTITIES];
  GHashTable *touched_contacts; /* contact ids whose last interaction moved */
  const RapportPreset *preset;
  RapportRng rng;
  gint64 now;
  gint64 start;

  GPtrArray *user_ids;
  GPtrArray *user_departments;  /* (element-type utf8) (transfer none) */
  GArray *seller_users;         /* guint: users who own relationships */

  GPtrArray *contact_ids;
  GArray *contact_created;      /* gint64 */
  GArray *contact_owner;        /* guint: user index */
  guint n_organizations;
  GPtrArray *organization_names;
  GPtrArray *organization_domains;

  guint64 written;
  guint64 total;
  guint in_transaction;
  void (*progress) (double fraction, gpointer user_data);
  gpointer user_data;
} Generator;

const RapportPreset *
rapport_preset_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "team-100k"))
    return &presets[0];
  if (g_str_equal (name, "team-10k"))
    return &presets[1];
  return NULL;
}

static guint
entity_index (const RapportEntity *entity)
{
  const RapportEntity *const *all = rapport_entity_all ();

  for (guint i = 0; all[i] != NULL; i++)
    if (all[i] == entity)
      return i;
  g_assert_not_reached ();
}

static void
generator_init_sql (Generator *gen)
{
  const RapportEntity *const *all = rapport_entity_all ();

  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autofree char *columns = rapport_store_select_columns (all[i], NULL);
      g_autoptr (GString) sql = g_string_new (NULL);

      g_assert (i < MAX_ENTITIES);
      g_string_append_printf (sql, "INSERT INTO %s (%s, stamp, field_stamps) VALUES (?", all[i]->table,
                              columns);
      for (guint j = 0; j < all[i]->n_fields + 2; j++)
        g_string_append (sql, ", ?");
      g_string_append (sql, ")");
      gen->insert_sql[i] = g_string_free (g_steal_pointer (&sql), FALSE);
    }
}

/* Binds a field as the store's write path does: the value of the field in
 * the record's JSON, arrays as JSON text; derived fields (absent from the
 * JSON) from the record itself. */
static void
bind_field (sqlite3_stmt *stmt, int index, RapportRecord *record, const RapportField *field,
            JsonObject *fields)
{
  JsonNode *node = json_object_get_member (fields, field->name);

  if (node == NULL)
    {
      gint64 value = G_STRUCT_MEMBER (gint64, record, field->offset);

      g_assert (field->type == RAPPORT_FIELD_TIME || field->type == RAPPORT_FIELD_INT);
      if (value == 0 && field->type == RAPPORT_FIELD_TIME)
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_int64 (stmt, index, value);
      return;
    }
  if (JSON_NODE_HOLDS_NULL (node))
    sqlite3_bind_null (stmt, index);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *text = json_to_string (node, FALSE);
      sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_TRANSIENT);
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    sqlite3_bind_int (stmt, index, json_node_get_boolean (node) ? 1 : 0);
  else
    sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
}

static void
generator_clear (Generator *gen)
{
  g_clear_pointer (&gen->touched_contacts, g_hash_table_unref);
  for (guint i = 0; i < MAX_ENTITIES; i++)
    g_clear_pointer (&gen->insert_sql[i], g_free);
  g_clear_pointer (&gen->user_ids, g_ptr_array_unref);
  g_clear_pointer (&gen->user_departments, g_ptr_array_unref);
  g_clear_pointer (&gen->seller_users, g_array_unref);
  g_clear_pointer (&gen->contact_ids, g_ptr_array_unref);
  g_clear_pointer (&gen->contact_created, g_array_unref);
  g_clear_pointer (&gen->contact_owner, g_array_unref);
  g_clear_pointer (&gen->organization_names, g_ptr_array_unref);
  g_clear_pointer (&gen->organization_domains, g_ptr_array_unref);
}

static gboolean
run_text (Generator *gen, const char *sql, gint64 rowid, const char *text, GError **error)
{
  sqlite3_stmt *stmt = rapport_store_prepare (gen->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (gen->store, error, "update the indexes");
  return TRUE;
}

/* Derived data of a new record, as rapport_index_record_change() makes it.
 * Interactions and notes only feed a full-text index (a new note has no
 * edit history); an interaction also moves its contact's last interaction,
 * which is brought up to date once per contact and transaction, in
 * refresh_contacts(). Everything else goes through the store's own code. */
static gboolean
index_new (Generator *gen, RapportRecord *record, gint64 rowid, GError **error)
{
  if (RAPPORT_IS_INTERACTION (record))
    {
      RapportInteraction *interaction = RAPPORT_INTERACTION (record);

      if (interaction->contact_id != NULL)
        g_hash_table_add (gen->touched_contacts, g_strdup (interaction->contact_id));
      return run_text (gen, "INSERT INTO interactions_fts (rowid, summary) VALUES (?, ?)", rowid,
                       interaction->summary, error);
    }
  if (RAPPORT_IS_NOTE (record))
    return run_text (gen, "INSERT INTO notes_fts (rowid, body) VALUES (?, ?)", rowid,
                     RAPPORT_NOTE (record)->body, error);
  return rapport_index_record_change (gen->store, NULL, record, error);
}

/* The last interaction of every contact that got interactions, computed as
 * rapport-index.c does. */
static gboolean
refresh_contacts (Generator *gen, GError **error)
{
  GHashTableIter iter;
  const char *contact_id;

  g_hash_table_iter_init (&iter, gen->touched_contacts);
  while (g_hash_table_iter_next (&iter, (gpointer *) &contact_id, NULL))
    {
      sqlite3_stmt *stmt = rapport_store_prepare (
          gen->store,
          "UPDATE contacts SET last_interaction_at = (SELECT max (occurred_at) FROM interactions "
          "WHERE contact_id = ?1 AND deleted = 0) WHERE id = ?1",
          error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return rapport_store_set_sqlite_error (gen->store, error, "update the indexes");
    }
  g_hash_table_remove_all (gen->touched_contacts);
  return TRUE;
}

/* The bulk write of one new record: exactly what rapport_store_save() does
 * for a record that is not stored yet (a fresh clock stamp as its base
 * stamp, the row, its derived data through rapport_index_record_change(),
 * and a journal entry holding every synced field), without the reads and
 * merging that a new record does not need. tests/unit/test-generate.c checks
 * that both paths leave identical tables. */
static gboolean
insert_new (Generator *gen, RapportRecord *record, GError **error)
{
  const RapportEntity *entity = rapport_record_get_entity (record);
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (JsonNode) fields_node = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *journal_text = NULL;
  g_autofree char *change_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (record->id == NULL)
    record->id = g_uuid_string_random ();
  if (record->created_at == 0)
    record->created_at = rapport_store_now (gen->store);
  fields = rapport_record_to_json (record);
  stamp = rapport_store_next_stamp (gen->store);

  stmt = rapport_store_prepare (gen->store, gen->insert_sql[entity_index (entity)], error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < entity->n_fields; i++)
    bind_field (stmt, 2 + (int) i, record, &entity->fields[i], fields);
  sqlite3_bind_text (stmt, entity->n_fields + 2, stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_null (stmt, entity->n_fields + 3);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (gen->store, error, "save a record");

  if (!index_new (gen, record, sqlite3_last_insert_rowid (rapport_store_get_db (gen->store)), error))
    return FALSE;

  fields_node = json_node_init_object (json_node_alloc (), fields);
  journal_text = json_to_string (fields_node, FALSE);
  change_id = g_uuid_string_random ();
  stmt = rapport_store_prepare (gen->store,
                                "INSERT INTO journal (change_id, entity, record_id, stamp, fields) "
                                "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, record->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, stamp, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, journal_text, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (gen->store, error, "journal a change");
  gen->entity_written[entity_index (entity)] = TRUE;
  return TRUE;
}

/* Announces what was written, one "changed" per entity, as the store does
 * for any large transaction. */
static void
announce (Generator *gen)
{
  const RapportEntity *const *all = rapport_entity_all ();

  for (guint i = 0; all[i] != NULL && i < MAX_ENTITIES; i++)
    if (gen->entity_written[i])
      {
        rapport_store_emit_changed (gen->store, all[i]->name, NULL);
        gen->entity_written[i] = FALSE;
      }
}

static gboolean
commit (Generator *gen, GError **error)
{
  gen->in_transaction = 0;
  if (!gen->through_save)
    {
      if (!refresh_contacts (gen, error))
        {
          rapport_store_rollback (gen->store);
          return FALSE;
        }
      announce (gen);
    }
  if (!rapport_store_commit (gen->store, error))
    return FALSE;
  if (gen->progress != NULL)
    gen->progress ((double) gen->written / (double) gen->total, gen->user_data);
  return TRUE;
}

/* Writes one record, committing every RECORDS_PER_TRANSACTION records. */
static gboolean
emit (Generator *gen, RapportRecord *record, GError **error)
{
  gboolean ok;

  if (gen->in_transaction == 0 && !rapport_store_begin (gen->store, error))
    return FALSE;
  ok = gen->through_save ? rapport_store_save (gen->store, record, error)
                         : insert_new (gen, record, error);
  if (!ok)
    {
      rapport_store_rollback (gen->store);
      g_hash_table_remove_all (gen->touched_contacts);
      gen->in_transaction = 0;
      return FALSE;
    }
  gen->written++;
  if (++gen->in_transaction >= RECORDS_PER_TRANSACTION)
    return commit (gen, error);
  return TRUE;
}

static gboolean
finish (Generator *gen, GError **error)
{
  if (gen->in_transaction > 0 && !commit (gen, error))
    return FALSE;
  if (gen->progress != NULL)
    gen->progress (1.0, gen->user_data);
  return TRUE;
}

static char *
ascii_word (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

static gint64
time_between (Generator *gen, gint64 lo, gint64 hi)
{
  return hi <= lo ? lo : rapport_rng_range (&gen->rng, lo, hi);
}

/* Users ---------------------------------------------------------------------- */

static gboolean
generate_users (Generator *gen, GError **error)
{
  guint dept = 0, in_dept = 0;

  for (guint i = 0; i < gen->preset->users; i++)
    {
      g_autoptr (RapportUser) user = rapport_user_new ();
      const char *display = rapport_gen_user_names.items[i % rapport_gen_user_names.n_items];
      g_autofree char *login = ascii_word (display);

      if (in_dept >= department_sizes[dept] && dept + 1 < G_N_ELEMENTS (departments))
        {
          dept++;
          in_dept = 0;
        }
      in_dept++;

      RAPPORT_RECORD (user)->id = rapport_rng_uuid (&gen->rng);
      RAPPORT_RECORD (user)->created_at = gen->start;
      user->name = g_steal_pointer (&login);
      user->display_name = g_strdup (display);
      user->department = g_strdup (departments[dept]);
      /* Two managers (sales and service), one admin, the rest staff. */
      user->role = g_strdup (i == 0 || i == department_sizes[0] ? "manager"
                             : i == gen->preset->users - 1  ? "admin"
                                                            : "staff");
      if (!emit (gen, RAPPORT_RECORD (user), error))
        return FALSE;
      g_ptr_array_add (gen->user_ids, g_strdup (RAPPORT_RECORD (user)->id));
      g_ptr_array_add (gen->user_departments, (gpointer) departments[dept]);
      /* Sales and service own relationships. */
      if (dept <= 1)
        g_array_append_val (gen->seller_users, i);
    }
  return TRUE;
}

static guint
random_user (Generator *gen)
{
  return rapport_rng_below (&gen->rng, gen->user_ids->len);
}

static guint
random_seller (Generator *gen)
{
  return g_array_index (gen->seller_users, guint,
                        rapport_rng_below (&gen->rng, gen->seller_users->len));
}

static const char *
user_id (Generator *gen, guint index)
{
  return gen->user_ids->pdata[index];
}

/* Contacts ------------------------------------------------------------------- */

static void
add_address (Generator *gen, RapportContact *contact)
{
  JsonObject *address = json_object_new ();
  g_autofree char *postcode = g_strdup_printf ("%05u", rapport_rng_below (&gen->rng, 99999));

  json_object_set_string_member (address, "label", "work");
  json_object_set_string_member (address, "street",
                                 rapport_gen_pick (&gen->rng, &rapport_gen_streets));
  json_object_set_string_member (address, "city", rapport_gen_pick (&gen->rng, &rapport_gen_cities));
  json_object_set_string_member (address, "postcode", postcode);
  if (contact->addresses == NULL)
    contact->addresses = json_array_new ();
  json_array_add_object_element (contact->addresses, address);
}

/* Adds an email, taking the value. */
static void
add_email (RapportContact *contact, const char *label, char *value)
{
  rapport_contact_add_email (contact, label, value);
  g_free (value);
}

static void
fill_organization (Generator *gen, RapportContact *contact)
{
  const char *word = rapport_gen_pick (&gen->rng, &rapport_gen_org_words);
  const char *kind = rapport_gen_pick (&gen->rng, &rapport_gen_org_kinds);
  const char *suffix = rapport_gen_pick (&gen->rng, &rapport_gen_org_suffixes);
  g_autofree char *w = ascii_word (word);
  g_autofree char *k = ascii_word (kind);
  char *domain = g_strdup_printf ("%s-%s.example", w, k);

  contact->kind = g_strdup ("organization");
  contact->name = g_strdup_printf ("%s %s %s", word, kind, suffix);
  add_email (contact, "work", g_strdup_printf ("info@%s", domain));
  if (rapport_rng_percent (&gen->rng, 40))
    add_email (contact, "work", g_strdup_printf ("orders@%s", domain));
  g_ptr_array_add (gen->organization_names, g_strdup (contact->name));
  g_ptr_array_add (gen->organization_domains, domain);
}

static void
fill_person (Generator *gen, RapportContact *contact, guint index)
{
  const char *given = rapport_gen_pick (&gen->rng, &rapport_gen_given_names);
  const char *family = rapport_gen_pick (&gen->rng, &rapport_gen_family_names);
  g_autofree char *g = ascii_word (given);
  g_autofree char *f = ascii_word (family);
  guint n_emails = 1 + rapport_rng_below (&gen->rng, 3);

  contact->kind = g_strdup ("person");
  contact->given_name = g_strdup (given);
  contact->family_name = g_strdup (family);
  contact->name = g_strdup_printf ("%s %s", given, family);
  contact->job_title = g_strdup (rapport_gen_pick (&gen->rng, &rapport_gen_job_titles));
  if (gen->n_organizations > 0 && rapport_rng_percent (&gen->rng, 60))
    {
      guint org = rapport_rng_below (&gen->rng, gen->n_organizations);
      contact->organization_id = g_strdup (gen->contact_ids->pdata[org]);
      contact->organization = g_strdup (gen->organization_names->pdata[org]);
      add_email (contact, "work",
                                 g_strdup_printf ("%s.%s@%s", g, f,
                                                  (char *) gen->organization_domains->pdata[org]));
      n_emails--;
    }
  for (guint i = 0; i < n_emails; i++)
    add_email (contact, i == 0 ? "home" : "other",
                               g_strdup_printf ("%c%s%u@%s", g[0] ? g[0] : 'x', f,
                                                index % 1000 + i,
                                                rapport_gen_pick (&gen->rng,
                                                                  &rapport_gen_mail_domains)));
  if (rapport_rng_percent (&gen->rng, 30))
    contact->birthday = g_strdup_printf ("%04u-%02u-%02u", 1950 + rapport_rng_below (&gen->rng, 55),
                                         1 + rapport_rng_below (&gen->rng, 12),
                                         1 + rapport_rng_below (&gen->rng, 28));
  if (rapport_rng_percent (&gen->rng, 25))
    {
      JsonObject *social = json_object_new ();
      json_object_set_string_member (social, "service", "linkedin");
      g_autofree char *handle = g_strdup_printf ("%s-%s-%u", g, f, index);
      json_object_set_string_member (social, "handle", handle);
      contact->social = json_array_new ();
      json_array_add_object_element (contact->social, social);
    }
}

static void
fill_common (Generator *gen, RapportContact *contact, guint country)
{
  static const char *const relationships[] = { "customer", "customer", "customer", "customer",
                                               "customer", "prospect", "prospect", "prospect",
                                               "partner", "former" };
  static const char *const stages[] = { "lead", "qualified", "proposal", "active", "active",
                                        "active", "at-risk", "churned" };
  static const char *const sources[] = { "website", "referral", "trade fair", "cold call",
                                         "partner", "newsletter", "import" };
  static const char *const channels[] = { "email", "phone", "meeting", "video", "sms" };
  static const gint64 cadences[] = { 14, 30, 30, 60, 90, 180 };
  guint n_phones = 1 + rapport_rng_below (&gen->rng, 3);
  guint n_tags = rapport_rng_below (&gen->rng, 4);
  g_autoptr (GStrvBuilder) tags = g_strv_builder_new ();
  guint owner = random_seller (gen);

  contact->relationship = g_strdup (RAPPORT_PICK (&gen->rng, relationships));
  contact->stage = g_strdup (RAPPORT_PICK (&gen->rng, stages));
  contact->owner = g_strdup (user_id (gen, owner));
  contact->created_by = g_strdup (user_id (gen, owner));
  contact->source = g_strdup (RAPPORT_PICK (&gen->rng, sources));
  contact->preferred_channel = g_strdup (RAPPORT_PICK (&gen->rng, channels));
  contact->do_not_contact = rapport_rng_percent (&gen->rng, 2);
  contact->marketing_consent = rapport_rng_percent (&gen->rng, 40);
  if (rapport_rng_percent (&gen->rng, 20))
    contact->cadence_days = RAPPORT_PICK (&gen->rng, cadences);
  for (guint i = 0; i < n_phones; i++)
    {
      g_autofree char *phone = rapport_gen_phone (&gen->rng, country);
      rapport_contact_add_phone (contact, i == 0 ? "work" : i == 1 ? "mobile" : "other", phone);
    }
  for (guint i = 0; i < n_tags; i++)
    {
      const char *tag = rapport_gen_pick (&gen->rng, &rapport_gen_tags);
      g_auto (GStrv) so_far = g_strv_builder_end (tags);
      if (!g_strv_contains ((const char *const *) so_far, tag))
        g_strv_builder_add (tags, tag);
    }
  contact->tags = g_strv_builder_end (tags);
  if (rapport_rng_percent (&gen->rng, 50))
    add_address (gen, contact);
  g_array_append_val (gen->contact_owner, owner);
}

static gboolean
generate_contacts (Generator *gen, GError **error)
{
  guint n = gen->preset->contacts;

  /* About one contact in seven is an organization; people may belong to one
   * made before them, so organizations come first. */
  gen->n_organizations = n / 7;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RapportContact) contact = rapport_contact_new ();
      RapportRecord *record = RAPPORT_RECORD (contact);
      guint country = rapport_rng_below (&gen->rng, 5);

      record->id = rapport_rng_uuid (&gen->rng);
      /* The oldest relationships first: contact 0 is the long-standing key
       * account whose timeline gets the most entries. */
      record->created_at = i == 0 ? gen->start : time_between (gen, gen->start, gen->now - 7 * DAY);
      if (i < gen->n_organizations)
        fill_organization (gen, contact);
      else
        fill_person (gen, contact, i);
      fill_common (gen, contact, country);
      if (!emit (gen, record, error))
        return FALSE;
      g_ptr_array_add (gen->contact_ids, g_strdup (record->id));
      g_array_append_val (gen->contact_created, record->created_at);
    }
  return TRUE;
}

/* Which contact a timeline entry belongs to: a few relationships are far
 * busier than most, as in life, and contact 0 gets 1% of all interactions. */
static guint
busy_contact (Generator *gen)
{
  guint n = gen->contact_ids->len;
  double u = (double) rapport_rng_below (&gen->rng, 1u << 30) / (double) (1u << 30);

  return MIN ((guint) (u * u * n), n - 1);
}

static gint64
created_of (Generator *gen, guint contact)
{
  return g_array_index (gen->contact_created, gint64, contact);
}

/* Timeline ------------------------------------------------------------------- */

static gboolean
generate_interactions (Generator *gen, GError **error)
{
  static const char *const kinds[] = { "call", "call", "call", "email", "email", "email",
                                       "email", "meeting", "meeting", "message", "social",
                                       "visit", "delivery", "delivery", "support", "support",
                                       "other" };
  static const char *const directions[] = { "outbound", "outbound", "inbound", "internal" };
  static const char *const channels[] = { "phone", "email", "meeting", "in-person", "video",
                                          "sms", "social" };
  guint n = gen->preset->interactions;
  guint for_key_account = n / 100;
  g_autofree guint *per_contact = g_new0 (guint, gen->contact_ids->len);

  /* Draw every interaction's contact first, then write them contact by
   * contact: the same data, and each contact's last interaction is brought
   * up to date in one or two transactions instead of in every one. */
  for (guint i = 0; i < n; i++)
    per_contact[i < for_key_account ? 0 : busy_contact (gen)]++;

  for (guint contact = 0; contact < gen->contact_ids->len; contact++)
    for (guint k = 0; k < per_contact[contact]; k++)
      {
        g_autoptr (RapportInteraction) interaction = rapport_interaction_new ();
        RapportRecord *record = RAPPORT_RECORD (interaction);
        guint by = random_user (gen);

        record->id = rapport_rng_uuid (&gen->rng);
        interaction->contact_id = g_strdup (gen->contact_ids->pdata[contact]);
        interaction->kind = g_strdup (RAPPORT_PICK (&gen->rng, kinds));
        interaction->direction = g_strdup (RAPPORT_PICK (&gen->rng, directions));
        interaction->channel = g_strdup (RAPPORT_PICK (&gen->rng, channels));
        interaction->occurred_at = time_between (gen, created_of (gen, contact), gen->now - 3600);
        record->created_at = interaction->occurred_at;
        interaction->logged_by = g_strdup (user_id (gen, by));
        interaction->department = g_strdup (gen->user_departments->pdata[by]);
        interaction->summary = rapport_gen_summary (&gen->rng, interaction->kind);
        if (rapport_rng_percent (&gen->rng, 30))
          interaction->body = g_strdup (rapport_gen_pick (&gen->rng, &rapport_gen_note_details));
        if (!emit (gen, record, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
generate_complaints (Generator *gen, GError **error)
{
  for (guint i = 0; i < gen->preset->complaints; i++)
    {
      g_autoptr (RapportInteraction) complaint = rapport_interaction_new ();
      RapportRecord *record = RAPPORT_RECORD (complaint);
      guint contact = busy_contact (gen);
      guint by = random_user (gen);

      record->id = rapport_rng_uuid (&gen->rng);
      complaint->contact_id = g_strdup (gen->contact_ids->pdata[contact]);
      complaint->kind = g_strdup (rapport_rng_percent (&gen->rng, 70) ? "complaint" : "feedback");
      complaint->direction = g_strdup ("inbound");
      complaint->channel = g_strdup (rapport_rng_percent (&gen->rng, 50) ? "email" : "phone");
      complaint->occurred_at = time_between (gen, MAX (created_of (gen, contact), gen->now - 90 * DAY),
                                             gen->now - 600);
      record->created_at = complaint->occurred_at;
      complaint->logged_by = g_strdup (user_id (gen, by));
      complaint->department = g_strdup (gen->user_departments->pdata[by]);
      complaint->summary = rapport_gen_summary (&gen->rng, complaint->kind);
      complaint->awaiting_response = TRUE;
      if (rapport_rng_percent (&gen->rng, 50))
        {
          complaint->responded_at = MIN (gen->now - 60,
                                         complaint->occurred_at + rapport_rng_range (&gen->rng, 600, 3 * DAY));
          complaint->responded_by = g_strdup (user_id (gen, random_user (gen)));
          if (rapport_rng_percent (&gen->rng, 60))
            complaint->resolved_at = MIN (gen->now - 30, complaint->responded_at + DAY);
        }
      if (!emit (gen, record, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
generate_notes (Generator *gen, GError **error)
{
  for (guint i = 0; i < gen->preset->notes; i++)
    {
      g_autoptr (RapportNote) note = rapport_note_new ();
      RapportRecord *record = RAPPORT_RECORD (note);
      guint contact = busy_contact (gen);

      record->id = rapport_rng_uuid (&gen->rng);
      record->created_at = time_between (gen, created_of (gen, contact), gen->now - 3600);
      note->contact_id = g_strdup (gen->contact_ids->pdata[contact]);
      note->body = g_strdup_printf ("%s %s", rapport_gen_pick (&gen->rng, &rapport_gen_note_openers),
                                    rapport_gen_pick (&gen->rng, &rapport_gen_note_details));
      note->private = rapport_rng_percent (&gen->rng, 10);
      note->pinned = rapport_rng_percent (&gen->rng, 3);
      note->author = g_strdup (user_id (gen, random_user (gen)));
      if (!emit (gen, record, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
generate_reminders (Generator *gen, GError **error)
{
  static const char *const recurrences[] = { "3d", "1w", "2w", "1m", "3m" };

  for (guint i = 0; i < gen->preset->open_reminders; i++)
    {
      g_autoptr (RapportReminder) reminder = rapport_reminder_new ();
      RapportRecord *record = RAPPORT_RECORD (reminder);
      guint contact = rapport_rng_below (&gen->rng, gen->contact_ids->len);
      guint owner = rapport_rng_percent (&gen->rng, 80)
                        ? g_array_index (gen->contact_owner, guint, contact)
                        : random_user (gen);

      record->id = rapport_rng_uuid (&gen->rng);
      reminder->contact_id = g_strdup (gen->contact_ids->pdata[contact]);
      reminder->owner = g_strdup (user_id (gen, owner));
      reminder->created_by = g_strdup (user_id (gen, owner));
      reminder->title = g_strdup (rapport_gen_pick (&gen->rng, &rapport_gen_reminder_titles));
      /* Due from two months ago to two months ahead: a real backlog. */
      reminder->due_at = gen->now + rapport_rng_range (&gen->rng, -60 * DAY, 60 * DAY);
      record->created_at = MAX (created_of (gen, contact), reminder->due_at - 30 * DAY);
      record->created_at = MIN (record->created_at, gen->now);
      if (rapport_rng_percent (&gen->rng, 10))
        {
          reminder->recurrence = g_strdup (RAPPORT_PICK (&gen->rng, recurrences));
          reminder->working_days = rapport_rng_percent (&gen->rng, 50);
        }
      if (rapport_rng_percent (&gen->rng, 5))
        reminder->snoozed_until = gen->now + rapport_rng_range (&gen->rng, 3600, 3 * DAY);
      if (!emit (gen, record, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
generate_promises (Generator *gen, GError **error)
{
  for (guint i = 0; i < gen->preset->promises; i++)
    {
      g_autoptr (RapportPromise) promise = rapport_promise_new ();
      RapportRecord *record = RAPPORT_RECORD (promise);
      guint contact = busy_contact (gen);
      guint deliverer = random_user (gen);
      guint roll = rapport_rng_below (&gen->rng, 100);

      record->id = rapport_rng_uuid (&gen->rng);
      promise->contact_id = g_strdup (gen->contact_ids->pdata[contact]);
      promise->what = g_strdup (rapport_gen_pick (&gen->rng, &rapport_gen_promises));
      promise->promised_by = g_strdup (user_id (gen, g_array_index (gen->contact_owner, guint, contact)));
      if (rapport_rng_percent (&gen->rng, 60))
        promise->deliver_by_user = g_strdup (user_id (gen, deliverer));
      else
        promise->deliver_by_department = g_strdup (gen->user_departments->pdata[deliverer]);
      promise->due_at = gen->now + rapport_rng_range (&gen->rng, -30 * DAY, 45 * DAY);
      record->created_at = MIN (gen->now, MAX (created_of (gen, contact), promise->due_at - 14 * DAY));
      if (promise->due_at < gen->now)
        promise->status = g_strdup (roll < 70 ? "kept" : roll < 80 ? "broken" : roll < 95 ? "open" : "cancelled");
      else
        promise->status = g_strdup (roll < 90 ? "open" : "kept");
      if (!g_str_equal (promise->status, "open"))
        {
          promise->status_at = MIN (gen->now, promise->due_at);
          promise->status_by = g_strdup (user_id (gen, deliverer));
        }
      if (!emit (gen, record, error))
        return FALSE;
    }
  return TRUE;
}

static int
get_cache_size (RapportStore *store)
{
  sqlite3_stmt *stmt = NULL;
  int size = -2000;

  if (sqlite3_prepare_v2 (rapport_store_get_db (store), "PRAGMA cache_size", -1, &stmt, NULL)
          == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return size;
}

/**
 * rapport_store_generate:
 *
 * Fills @store with a reference data set. Records are written in large
 * transactions by the bulk path insert_new(), which leaves exactly the rows,
 * journal entries, clock stamps and search indexes that rapport_store_save()
 * would (people typing the same records), only faster. When the store has no
 * user for this desktop yet, the first sales staff member becomes "me", so
 * the app opens on a realistic desk.
 */
gboolean
rapport_store_generate (RapportStore *store, const RapportPreset *preset, guint64 seed, gint64 now,
                        void (*progress) (double fraction, gpointer user_data), gpointer user_data,
                        GError **error)
{
  return rapport_store_generate_full (store, preset, seed, now, FALSE, progress, user_data, error);
}

/**
 * rapport_store_generate_full:
 * @through_save: write every record with rapport_store_save() (slow; for
 *   tests that compare both paths)
 */
gboolean
rapport_store_generate_full (RapportStore *store, const RapportPreset *preset, guint64 seed,
                             gint64 now, gboolean through_save,
                             void (*progress) (double fraction, gpointer user_data),
                             gpointer user_data, GError **error)
{
  Generator gen = { 0 };
  g_autofree char *cache_pragma = NULL;
  int old_cache;
  gboolean ok;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (preset != NULL && preset->users > 0 && preset->contacts > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gen.store = store;
  gen.through_save = through_save;
  generator_init_sql (&gen);
  gen.touched_contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gen.preset = preset;
  gen.now = now;
  gen.start = now - YEARS_OF_HISTORY * 365 * DAY;
  gen.progress = progress;
  gen.user_data = user_data;
  gen.total = (guint64) preset->users + preset->contacts + preset->interactions + preset->notes
              + preset->open_reminders + preset->promises + preset->complaints;
  rapport_rng_init (&gen.rng, seed);
  gen.user_ids = g_ptr_array_new_with_free_func (g_free);
  gen.user_departments = g_ptr_array_new ();
  gen.seller_users = g_array_new (FALSE, FALSE, sizeof (guint));
  gen.contact_ids = g_ptr_array_new_full (preset->contacts, g_free);
  gen.contact_created = g_array_sized_new (FALSE, FALSE, sizeof (gint64), preset->contacts);
  gen.contact_owner = g_array_sized_new (FALSE, FALSE, sizeof (guint), preset->contacts);
  gen.organization_names = g_ptr_array_new_with_free_func (g_free);
  gen.organization_domains = g_ptr_array_new_with_free_func (g_free);

  old_cache = get_cache_size (store);
  cache_pragma = g_strdup_printf ("PRAGMA cache_size = -%d", GENERATION_CACHE_KIB);
  /* In WAL mode, NORMAL never corrupts the file; at worst a power cut
   * loses the last transactions of a generation, which is then run again. */
  ok = rapport_store_exec (store, cache_pragma, error)
       && rapport_store_exec (store, "PRAGMA synchronous = NORMAL", error)
       && generate_users (&gen, error) && generate_contacts (&gen, error)
       && generate_interactions (&gen, error) && generate_complaints (&gen, error)
       && generate_notes (&gen, error) && generate_reminders (&gen, error)
       && generate_promises (&gen, error) && finish (&gen, error);

  if (ok && rapport_store_get_me (store) == NULL)
    {
      g_autoptr (RapportUser) me = rapport_store_get_user (store, user_id (&gen, 1));
      ok = me != NULL && rapport_store_set_me (store, me, error);
    }
  g_free (cache_pragma);
  cache_pragma = g_strdup_printf ("PRAGMA cache_size = %d", old_cache);
  rapport_store_exec (store, cache_pragma, NULL);
  rapport_store_exec (store, "PRAGMA synchronous = FULL", NULL);
  generator_clear (&gen);
  if (!ok && error != NULL && *error != NULL)
    g_prefix_error (error, _("Could not generate the data set: "));
  return ok;
}
