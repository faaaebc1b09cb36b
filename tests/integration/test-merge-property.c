/* test-merge-property.c: replicas converge, and agree with an independent model */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rapport-hlc.h"
#include "rapport-journal.h"
#include "rapport-merge.h"
#include "rapport-store.h"
#include "test-common.h"

/* 3 to 5 replicas make random edits, deletes, restores and notes. Their
 * changes travel as messages that are delayed, duplicated, reordered and
 * blocked by partitions that later heal. At the end every replica must hold
 * the same records, every note ever written must be present, and every field
 * must equal what the REFERENCE MODEL below says. The model is written here,
 * from the rule in sync.md ("last writer wins per field, ordered by stamp,
 * ties broken by device id"), without calling rapport-merge.c: a reversed
 * comparison in the merge cannot hide behind a test that uses the merge. */

/* The reference model ------------------------------------------------------ */

typedef struct
{
  char *stamp;
  JsonNode *value;
} ModelField;

static void
model_field_free (ModelField *f)
{
  g_free (f->stamp);
  json_node_unref (f->value);
  g_free (f);
}

/* "entity/id" → (field → ModelField) */
typedef GHashTable Model;

static Model *
model_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) g_hash_table_unref);
}

/* Stamps are "WWWWWWWWWWWWW-CCCC-DDDDDDDDDDDDDDDD" (hex wall ms, counter,
 * device): newer is the greater wall time, then counter, then device id. */
static int
model_stamp_order (const char *a, const char *b)
{
  gint64 wa = g_ascii_strtoll (a, NULL, 16), wb = g_ascii_strtoll (b, NULL, 16);
  guint64 ca = g_ascii_strtoull (a + 14, NULL, 16), cb = g_ascii_strtoull (b + 14, NULL, 16);

  if (wa != wb)
    return wa < wb ? -1 : 1;
  if (ca != cb)
    return ca < cb ? -1 : 1;
  return strcmp (a + 19, b + 19);
}

static void
model_add (Model *model, const char *entity, const char *id, const char *stamp, JsonObject *fields)
{
  g_autofree char *key = g_strconcat (entity, "/", id, NULL);
  GHashTable *record = g_hash_table_lookup (model, key);
  g_autoptr (GList) names = json_object_get_members (fields);

  if (record == NULL)
    {
      record = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) model_field_free);
      g_hash_table_insert (model, g_strdup (key), record);
    }
  for (GList *l = names; l; l = l->next)
    {
      ModelField *f = g_hash_table_lookup (record, l->data);

      if (f != NULL && model_stamp_order (stamp, f->stamp) <= 0)
        continue;
      f = g_new0 (ModelField, 1);
      f->stamp = g_strdup (stamp);
      f->value = json_node_copy (json_object_get_member (fields, l->data));
      g_hash_table_replace (record, g_strdup (l->data), f);
    }
}

/* Random values ------------------------------------------------------------ */

static const char *const name_pool[] = { "Ada", "Bea", "Cem", "Dörte", "Émile", "Fay" };
static const char *const stages[] = { "lead", "qualified", "active", "dormant" };
static const char *const bodies[] = { "called", "sent the quote", "wants a demo", "" };

static JsonNode *
random_value (GRand *rand, const char *field)
{
  JsonNode *node = json_node_alloc ();

  if (strcmp (field, "name") == 0)
    return json_node_init_string (node, name_pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (name_pool))]);
  if (strcmp (field, "stage") == 0)
    return json_node_init_string (node, stages[g_rand_int_range (rand, 0, G_N_ELEMENTS (stages))]);
  if (strcmp (field, "owner") == 0)
    return json_node_init_string (node, g_rand_boolean (rand) ? "user-a" : "user-b");
  if (strcmp (field, "cadence_days") == 0)
    return json_node_init_int (node, g_rand_int_range (rand, 0, 4) * 7);
  if (strcmp (field, "do_not_contact") == 0 || strcmp (field, "pinned") == 0)
    return json_node_init_boolean (node, g_rand_boolean (rand));
  if (strcmp (field, "tags") == 0)
    {
      g_autoptr (JsonArray) tags = json_array_new ();
      for (int i = g_rand_int_range (rand, 0, 3); i > 0; i--)
        json_array_add_string_element (tags, stages[g_rand_int_range (rand, 0, 4)]);
      return json_node_init_array (node, tags);
    }
  if (strcmp (field, "phones") == 0)
    {
      g_autoptr (JsonArray) phones = json_array_new ();
      JsonObject *phone = json_object_new ();
      g_autofree char *number = g_strdup_printf ("+44 20 7946 %04d", g_rand_int_range (rand, 0, 20));

      json_object_set_string_member (phone, "label", "work");
      json_object_set_string_member (phone, "value", number);
      json_array_add_object_element (phones, phone);
      return json_node_init_array (node, phones);
    }
  if (strcmp (field, "body") == 0)
    {
      g_autofree char *text = g_strdup_printf ("%s #%u", bodies[g_rand_int_range (rand, 0, 4)],
                                               g_rand_int_range (rand, 0, 1000));
      return json_node_init_string (node, text);
    }
  g_assert_not_reached ();
}

static const char *const contact_fields[] = { "name", "stage", "owner", "cadence_days",
                                              "do_not_contact", "tags", "phones" };
static const char *const note_fields[] = { "body", "pinned" };

/* What a replica can do, and its messages in flight ---------------------- */

typedef struct
{
  RapportChange *change;
  guint from;
  guint to;
} Message;

static void
message_free (Message *m)
{
  rapport_change_free (m->change);
  g_free (m);
}

typedef struct
{
  GRand *rand;
  guint n;
  Model *model;
  GPtrArray *in_flight;      /* (element-type Message) */
  gboolean partitioned[5];   /* cut off: nothing in or out until healed */
  GPtrArray *contacts;       /* ids ever created */
  GPtrArray *notes;
  guint duplicates;
} World;

static void
world_clear (World *w)
{
  g_rand_free (w->rand);
  g_hash_table_unref (w->model);
  g_ptr_array_unref (w->in_flight);
  g_ptr_array_unref (w->contacts);
  g_ptr_array_unref (w->notes);
}

static void
world_init (World *w, guint32 seed)
{
  memset (w, 0, sizeof *w);
  w->rand = g_rand_new_with_seed (seed);
  w->n = g_rand_int_range (w->rand, 3, 6);
  w->model = model_new ();
  w->in_flight = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
  w->contacts = g_ptr_array_new_with_free_func (g_free);
  w->notes = g_ptr_array_new_with_free_func (g_free);
}

/* Every change a replica makes goes to the model and to each other replica. */
static void
world_send (World *w, guint from, RapportChange *change)
{
  model_add (w->model, change->entity, change->record_id, change->stamp, change->fields);
  for (guint to = 0; to < w->n; to++)
    if (to != from)
      {
        Message *m = g_new0 (Message, 1);
        m->change = rapport_change_copy (change);
        m->from = from;
        m->to = to;
        g_ptr_array_add (w->in_flight, m);
      }
}

/* Takes up to @max deliverable messages for @to, in random order; each may
 * also stay in flight to be delivered again later. */
static GPtrArray *
world_take (World *w, guint to, guint max, gboolean heal)
{
  GPtrArray *batch = g_ptr_array_new_with_free_func ((GDestroyNotify) rapport_change_free);

  for (guint tries = 0; tries < w->in_flight->len * 2 && batch->len < max; tries++)
    {
      guint i;
      Message *m;

      if (w->in_flight->len == 0)
        break;
      i = g_rand_int_range (w->rand, 0, w->in_flight->len);
      m = w->in_flight->pdata[i];
      if (m->to != to)
        continue;
      if (!heal && (w->partitioned[m->from] || w->partitioned[m->to]))
        continue;
      g_ptr_array_add (batch, rapport_change_copy (m->change));
      if (!heal && g_rand_int_range (w->rand, 0, 8) == 0)
        w->duplicates++;          /* delivered now and again later */
      else
        g_ptr_array_remove_index_fast (w->in_flight, i);
    }
  return batch;
}

static gboolean
world_pending_for (World *w, guint to)
{
  for (guint i = 0; i < w->in_flight->len; i++)
    if (((Message *) w->in_flight->pdata[i])->to == to)
      return TRUE;
  return FALSE;
}

/* Replicas as real stores ---------------------------------------------------- */

static RapportRecord *
pick_record (World *w, RapportStore *store, GPtrArray *ids, const char *entity_name)
{
  if (ids->len == 0)
    return NULL;
  for (int tries = 0; tries < 4; tries++)
    {
      const char *id = ids->pdata[g_rand_int_range (w->rand, 0, ids->len)];
      RapportRecord *record = rapport_store_load (store, rapport_entity_lookup (entity_name), id, NULL);

      if (record != NULL)
        return record;
    }
  return NULL;
}

static void
set_field (RapportRecord *record, const char *field, JsonNode *value)
{
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (GError) error = NULL;

  json_object_set_member (fields, field, value);
  g_assert_true (rapport_record_set_from_json (record, fields, &error));
  g_assert_no_error (error);
}

/* One random local action on store @r. */
static void
store_act (World *w, RapportTestStore **ts, guint r)
{
  RapportStore *store = ts[r]->store;
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportRecord) record = NULL;
  guint action = g_rand_int_range (w->rand, 0, 10);

  ts[r]->now += g_rand_int_range (w->rand, 0, 90);
  if (action == 0 || w->contacts->len == 0)
    {
      record = RAPPORT_RECORD (rapport_contact_new ());
      set_field (record, "name", random_value (w->rand, "name"));
      set_field (record, "phones", random_value (w->rand, "phones"));
      g_assert_true (rapport_store_save (store, record, &error));
      g_ptr_array_add (w->contacts, g_strdup (record->id));
    }
  else if (action <= 4)
    {
      const char *field = contact_fields[g_rand_int_range (w->rand, 0, G_N_ELEMENTS (contact_fields))];

      record = pick_record (w, store, w->contacts, "contact");
      if (record == NULL)
        return;
      set_field (record, field, random_value (w->rand, field));
      g_assert_true (rapport_store_save (store, record, &error));
    }
  else if (action == 5)
    {
      record = pick_record (w, store, w->contacts, "contact");
      if (record == NULL)
        return;
      if (record->deleted)
        g_assert_true (rapport_store_restore (store, record, &error));
      else
        g_assert_true (rapport_store_delete (store, record, &error));
    }
  else if (action == 6)
    {
      g_autoptr (RapportRecord) contact = pick_record (w, store, w->contacts, "contact");

      if (contact == NULL)
        return;
      record = RAPPORT_RECORD (rapport_note_new ());
      RAPPORT_NOTE (record)->contact_id = g_strdup (contact->id);
      RAPPORT_NOTE (record)->private = g_rand_int_range (w->rand, 0, 4) == 0;
      set_field (record, "body", random_value (w->rand, "body"));
      g_assert_true (rapport_store_save (store, record, &error));
      g_ptr_array_add (w->notes, g_strdup (record->id));
    }
  else if (action <= 8)
    {
      const char *field = note_fields[g_rand_int_range (w->rand, 0, G_N_ELEMENTS (note_fields))];

      record = pick_record (w, store, w->notes, "note");
      if (record == NULL)
        return;
      if (g_rand_int_range (w->rand, 0, 5) == 0)
        {
          if (record->deleted)
            g_assert_true (rapport_store_restore (store, record, &error));
          else
            g_assert_true (rapport_store_delete (store, record, &error));
        }
      else
        {
          set_field (record, field, random_value (w->rand, field));
          g_assert_true (rapport_store_save (store, record, &error));
        }
    }
  else
    {
      /* A partition starts or heals. */
      guint a = g_rand_int_range (w->rand, 0, w->n);
      w->partitioned[a] = !w->partitioned[a];
    }
  g_assert_no_error (error);
}

/* The replica's journal leaves as messages (and is acknowledged). */
static void
store_flush (World *w, RapportTestStore **ts, guint r)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pending = rapport_store_pending_changes (ts[r]->store, 10000, &error);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < pending->len; i++)
    {
      RapportChange *change = pending->pdata[i];
      world_send (w, r, change);
      g_ptr_array_add (ids, change->id);
    }
  g_ptr_array_add (ids, NULL);
  g_assert_true (rapport_store_ack_changes (ts[r]->store, (const char *const *) ids->pdata, &error));
  g_assert_no_error (error);
}

static void
store_deliver (World *w, RapportTestStore **ts, guint to, guint max, gboolean heal)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) batch = world_take (w, to, max, heal);

  if (batch->len == 0)
    return;
  g_assert_true (rapport_store_apply_changes (ts[to]->store, batch, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Every replica equals the model: same records, every field. */
static void
assert_store_matches_model (World *w, RapportStore *store, guint32 seed, guint r)
{
  const char *const entities[] = { "contact", "note" };
  guint records = 0, model_records = 0;
  GHashTableIter iter;
  gpointer key;

  for (guint e = 0; e < G_N_ELEMENTS (entities); e++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) list = rapport_store_list (store, rapport_entity_lookup (entities[e]),
                                                       NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < list->len; i++)
        {
          RapportRecord *record = list->pdata[i];
          g_autofree char *mkey = g_strconcat (entities[e], "/", record->id, NULL);
          GHashTable *fields = g_hash_table_lookup (w->model, mkey);
          g_autoptr (JsonObject) json = rapport_record_to_json (record);
          GHashTableIter fi;
          gpointer fname, fval;

          if (fields == NULL)
            g_error ("seed %u replica %u: %s is not in the model", seed, r, mkey);
          g_hash_table_iter_init (&fi, fields);
          while (g_hash_table_iter_next (&fi, &fname, &fval))
            {
              ModelField *f = fval;
              JsonNode *have = json_object_get_member (json, fname);

              if (have == NULL || !json_node_equal (have, f->value))
                {
                  g_autofree char *a = have ? json_to_string (have, FALSE) : g_strdup ("(none)");
                  g_autofree char *b = json_to_string (f->value, FALSE);
                  g_error ("seed %u replica %u: %s.%s is %s, the model says %s", seed, r, mkey,
                           (char *) fname, a, b);
                }
            }
          records++;
        }
    }
  g_hash_table_iter_init (&iter, w->model);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    model_records++;
  g_assert_cmpuint (records, ==, model_records);

  /* Every note written anywhere is here. */
  for (guint i = 0; i < w->notes->len; i++)
    {
      g_autoptr (RapportRecord) note = rapport_store_load (store, rapport_entity_lookup ("note"),
                                                           w->notes->pdata[i], NULL);
      if (note == NULL)
        g_error ("seed %u replica %u: note %s is missing", seed, r, (char *) w->notes->pdata[i]);
    }
}

static guint
env_uint (const char *name, guint fallback)
{
  const char *value = g_getenv (name);
  return value ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

static void
run_store_seed (guint32 seed, guint steps)
{
  World w;
  RapportTestStore *ts[5] = { NULL };

  world_init (&w, seed);
  for (guint r = 0; r < w.n; r++)
    ts[r] = rapport_test_store_new ();

  for (guint step = 0; step < steps; step++)
    {
      guint r = g_rand_int_range (w.rand, 0, w.n);
      guint what = g_rand_int_range (w.rand, 0, 10);

      if (what < 6)
        store_act (&w, ts, r);
      else if (what < 8)
        store_flush (&w, ts, r);
      else
        store_deliver (&w, ts, r, g_rand_int_range (w.rand, 1, 12), FALSE);
    }

  /* Heal: everything is sent and delivered, duplicates included. */
  for (guint r = 0; r < w.n; r++)
    store_flush (&w, ts, r);
  for (gboolean busy = TRUE; busy;)
    {
      busy = FALSE;
      for (guint r = 0; r < w.n; r++)
        if (world_pending_for (&w, r))
          {
            store_deliver (&w, ts, r, 25, TRUE);
            busy = TRUE;
          }
    }
  for (guint r = 0; r < w.n; r++)
    {
      g_assert_cmpint (rapport_store_count_pending (ts[r]->store), ==, 0);
      assert_store_matches_model (&w, ts[r]->store, seed, r);
    }
  g_test_message ("seed %u: %u replicas, %u contacts, %u notes, %u duplicate deliveries", seed,
                  w.n, w.contacts->len, w.notes->len, w.duplicates);

  for (guint r = 0; r < w.n; r++)
    rapport_test_store_free (ts[r]);
  world_clear (&w);
}

static void
test_stores_converge (void)
{
  guint seeds = env_uint ("RAPPORT_MERGE_SEEDS", 8);
  guint steps = env_uint ("RAPPORT_MERGE_STEPS", 220);
  guint32 first = env_uint ("RAPPORT_MERGE_FIRST_SEED", 1);

  for (guint32 seed = first; seed < first + seeds; seed++)
    run_store_seed (seed, steps);
}

/* Replicas in memory, through the pure merge function ------------------------ */

typedef struct
{
  char *base;
  JsonObject *stamps;
  JsonObject *values;
} MemRecord;

static void
mem_record_free (MemRecord *m)
{
  g_free (m->base);
  json_object_unref (m->stamps);
  json_object_unref (m->values);
  g_free (m);
}

typedef struct
{
  RapportClock *clock;
  GHashTable *records;  /* "entity/id" → MemRecord */
} MemReplica;

static gboolean
complete_for (const char *entity_name, JsonObject *fields)
{
  const RapportEntity *entity = rapport_entity_lookup (entity_name);

  for (guint i = 0; i < entity->n_fields; i++)
    if (!(entity->fields[i].flags & RAPPORT_FIELD_DERIVED)
        && !json_object_has_member (fields, entity->fields[i].name))
      return FALSE;
  return TRUE;
}

static void
mem_apply (MemReplica *rep, RapportChange *change, gint64 now_ms)
{
  g_autofree char *key = g_strconcat (change->entity, "/", change->record_id, NULL);
  MemRecord *m = g_hash_table_lookup (rep->records, key);
  g_autoptr (JsonObject) winners = NULL;
  g_autoptr (GList) names = NULL;
  const char *base;

  g_assert_true (rapport_clock_observe (rep->clock, change->stamp, now_ms + 3600 * 1000, NULL));
  if (m == NULL)
    {
      m = g_new0 (MemRecord, 1);
      m->stamps = json_object_new ();
      m->values = json_object_new ();
      g_hash_table_insert (rep->records, g_strdup (key), m);
    }
  winners = rapport_merge_change (m->base, m->stamps, change->stamp, change->fields, NULL);
  names = json_object_get_members (winners);
  for (GList *l = names; l; l = l->next)
    json_object_set_member (m->values, l->data,
                            json_node_copy (json_object_get_member (winners, l->data)));
  base = m->base;
  rapport_merge_record_stamps (&base, m->stamps, change->stamp, winners,
                               complete_for (change->entity, change->fields));
  if (base != m->base)
    {
      char *copy = g_strdup (base);
      g_free (m->base);
      m->base = copy;
    }
}

static RapportChange *
mem_local_change (World *w, MemReplica *rep, gint64 now_ms)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *stamp = rapport_clock_tick (rep->clock, now_ms);
  g_autoptr (JsonObject) fields = json_object_new ();
  const char *entity, *record_id;
  guint action = g_rand_int_range (w->rand, 0, 8);
  gboolean create_note = (action == 7 || (action == 6 && w->notes->len == 0));

  if (w->contacts->len == 0)
    action = 0, create_note = FALSE;
  if (action == 0 || create_note)
    {
      /* A new record is a complete write of every field. */
      g_autoptr (RapportRecord) record = rapport_record_new_for_entity (
          rapport_entity_lookup (create_note ? "note" : "contact"));
      g_autoptr (JsonObject) all = NULL;
      g_autofree char *new_id = g_uuid_string_random ();

      if (create_note)
        {
          RAPPORT_NOTE (record)->contact_id = g_strdup (w->contacts->pdata[0]);
          set_field (record, "body", random_value (w->rand, "body"));
        }
      else
        set_field (record, "name", random_value (w->rand, "name"));
      all = rapport_record_to_json (record);
      g_ptr_array_add (create_note ? w->notes : w->contacts, g_strdup (new_id));
      return rapport_change_new (id, create_note ? "note" : "contact", new_id, stamp, all);
    }
  if (action <= 4)
    {
      const char *field = contact_fields[g_rand_int_range (w->rand, 0, G_N_ELEMENTS (contact_fields))];
      entity = "contact";
      record_id = w->contacts->pdata[g_rand_int_range (w->rand, 0, w->contacts->len)];
      json_object_set_member (fields, field, random_value (w->rand, field));
    }
  else if (action == 5)
    {
      entity = "contact";
      record_id = w->contacts->pdata[g_rand_int_range (w->rand, 0, w->contacts->len)];
      json_object_set_boolean_member (fields, "deleted", g_rand_boolean (w->rand));
    }
  else
    {
      entity = "note";
      record_id = w->notes->pdata[g_rand_int_range (w->rand, 0, w->notes->len)];
      json_object_set_member (fields, "body", random_value (w->rand, "body"));
      if (g_rand_int_range (w->rand, 0, 4) == 0)
        json_object_set_boolean_member (fields, "deleted", g_rand_boolean (w->rand));
    }
  return rapport_change_new (id, entity, record_id, stamp, fields);
}

static void
run_memory_seed (guint32 seed, guint steps)
{
  World w;
  MemReplica reps[5];
  gint64 now_ms = 1772442000000;

  world_init (&w, seed);
  for (guint r = 0; r < w.n; r++)
    {
      g_autofree char *device = rapport_device_id_new ();
      reps[r].clock = rapport_clock_new (device, NULL);
      reps[r].records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) mem_record_free);
    }
  for (guint step = 0; step < steps; step++)
    {
      guint r = g_rand_int_range (w.rand, 0, w.n);

      /* Replicas' clocks disagree by up to a few seconds. */
      now_ms += g_rand_int_range (w.rand, 0, 3);
      if (g_rand_int_range (w.rand, 0, 3) > 0)
        {
          g_autoptr (RapportChange) change = mem_local_change (
              &w, &reps[r], now_ms + g_rand_int_range (w.rand, -2000, 2000));
          mem_apply (&reps[r], change, now_ms);
          world_send (&w, r, change);
        }
      else
        {
          g_autoptr (GPtrArray) batch = world_take (&w, r, g_rand_int_range (w.rand, 1, 20), FALSE);
          for (guint i = 0; i < batch->len; i++)
            mem_apply (&reps[r], batch->pdata[i], now_ms);
        }
      if (g_rand_int_range (w.rand, 0, 50) == 0)
        w.partitioned[r] = !w.partitioned[r];
    }
  for (gboolean busy = TRUE; busy;)
    {
      busy = FALSE;
      for (guint r = 0; r < w.n; r++)
        if (world_pending_for (&w, r))
          {
            g_autoptr (GPtrArray) batch = world_take (&w, r, 50, TRUE);
            for (guint i = 0; i < batch->len; i++)
              mem_apply (&reps[r], batch->pdata[i], now_ms);
            busy = TRUE;
          }
    }

  for (guint r = 0; r < w.n; r++)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_assert_cmpuint (g_hash_table_size (reps[r].records), ==, g_hash_table_size (w.model));
      g_hash_table_iter_init (&iter, w.model);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          MemRecord *m = g_hash_table_lookup (reps[r].records, key);
          GHashTableIter fi;
          gpointer fname, fval;

          if (m == NULL)
            g_error ("seed %u replica %u: %s is missing", seed, r, (char *) key);
          g_hash_table_iter_init (&fi, value);
          while (g_hash_table_iter_next (&fi, &fname, &fval))
            if (!json_node_equal (json_object_get_member (m->values, fname), ((ModelField *) fval)->value))
              g_error ("seed %u replica %u: %s.%s differs from the model", seed, r, (char *) key,
                       (char *) fname);
        }
    }
  for (guint r = 0; r < w.n; r++)
    {
      rapport_clock_free (reps[r].clock);
      g_hash_table_unref (reps[r].records);
    }
  world_clear (&w);
}

static void
test_memory_converge (void)
{
  guint seeds = env_uint ("RAPPORT_MERGE_MEMORY_SEEDS", 300);

  for (guint32 seed = 1; seed <= seeds; seed++)
    run_memory_seed (seed, 400);
}

/* The model itself: a newer stamp wins, a tie on time goes to the counter,
 * then to the device id; an older write never replaces a newer one. */
static void
test_model_rule (void)
{
  g_autoptr (GHashTable) model = model_new ();
  g_autoptr (JsonObject) a = json_object_new ();
  g_autoptr (JsonObject) b = json_object_new ();
  GHashTable *record;

  json_object_set_string_member (a, "name", "older");
  json_object_set_string_member (b, "name", "newer");
  model_add (model, "contact", "x", "0000000000002-0000-bbbbbbbbbbbbbbbb", b);
  model_add (model, "contact", "x", "0000000000001-ffff-cccccccccccccccc", a);
  record = g_hash_table_lookup (model, "contact/x");
  g_assert_cmpstr (json_node_get_string (((ModelField *) g_hash_table_lookup (record, "name"))->value),
                   ==, "newer");
  model_add (model, "contact", "x", "0000000000002-0000-cccccccccccccccc", a);
  g_assert_cmpstr (json_node_get_string (((ModelField *) g_hash_table_lookup (record, "name"))->value),
                   ==, "older");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/merge-property/model-rule", test_model_rule);
  g_test_add_func ("/merge-property/memory-replicas", test_memory_converge);
  g_test_add_func ("/merge-property/store-replicas", test_stores_converge);
  return g_test_run ();
}
