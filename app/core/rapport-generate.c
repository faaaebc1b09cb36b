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

static void
generator_clear (RapportGenerator *gen)
{
  rapport_generator_clear_writer (gen);
  g_clear_pointer (&gen->user_ids, g_ptr_array_unref);
  g_clear_pointer (&gen->user_departments, g_ptr_array_unref);
  g_clear_pointer (&gen->seller_users, g_array_unref);
  g_clear_pointer (&gen->contact_ids, g_ptr_array_unref);
  g_clear_pointer (&gen->contact_created, g_array_unref);
  g_clear_pointer (&gen->contact_owner, g_array_unref);
  g_clear_pointer (&gen->organization_names, g_ptr_array_unref);
  g_clear_pointer (&gen->organization_domains, g_ptr_array_unref);
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
time_between (RapportGenerator *gen, gint64 lo, gint64 hi)
{
  return hi <= lo ? lo : rapport_rng_range (&gen->rng, lo, hi);
}

/* A record's id, made as Rapport makes ids (rapport_id_new()): version 7,
 * by a clock that starts at the generation's "now" and ticks a millisecond
 * every 4,096 ids. So the records sort by id in the order they were made,
 * as those of a real team do (each desktop makes an id when it saves a
 * record; the server's log takes them in that order): the id index of a
 * store filled from the data set grows at its end, as a real one does,
 * instead of being written all over. Deterministic from the seed and now. */
static char *
new_id (RapportGenerator *gen)
{
  if (++gen->id_sequence > 0xfff)
    {
      gen->id_ms++;
      gen->id_sequence = 0;
    }
  return rapport_rng_uuid (&gen->rng, gen->id_ms, gen->id_sequence);
}

/* Users ---------------------------------------------------------------------- */

static gboolean
generate_users (RapportGenerator *gen, GError **error)
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

      RAPPORT_RECORD (user)->id = new_id (gen);
      RAPPORT_RECORD (user)->created_at = gen->start;
      user->name = g_steal_pointer (&login);
      user->display_name = g_strdup (display);
      user->department = g_strdup (departments[dept]);
      /* Two managers (sales and service), one admin, the rest staff. */
      user->role = g_strdup (i == 0 || i == department_sizes[0] ? "manager"
                             : i == gen->preset->users - 1  ? "admin"
                                                            : "staff");
      if (!rapport_generator_emit (gen, RAPPORT_RECORD (user), error))
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
random_user (RapportGenerator *gen)
{
  return rapport_rng_below (&gen->rng, gen->user_ids->len);
}

static guint
random_seller (RapportGenerator *gen)
{
  return g_array_index (gen->seller_users, guint,
                        rapport_rng_below (&gen->rng, gen->seller_users->len));
}

static const char *
user_id (RapportGenerator *gen, guint index)
{
  return gen->user_ids->pdata[index];
}

/* Contacts ------------------------------------------------------------------- */

static void
add_address (RapportGenerator *gen, RapportContact *contact)
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
fill_organization (RapportGenerator *gen, RapportContact *contact)
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
fill_person (RapportGenerator *gen, RapportContact *contact, guint index)
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
fill_common (RapportGenerator *gen, RapportContact *contact, guint country)
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
generate_contacts (RapportGenerator *gen, GError **error)
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

      record->id = new_id (gen);
      /* The oldest relationships first: contact 0 is the long-standing key
       * account whose timeline gets the most entries. */
      record->created_at = i == 0 ? gen->start : time_between (gen, gen->start, gen->now - 7 * DAY);
      if (i < gen->n_organizations)
        fill_organization (gen, contact);
      else
        fill_person (gen, contact, i);
      fill_common (gen, contact, country);
      if (!rapport_generator_emit (gen, record, error))
        return FALSE;
      g_ptr_array_add (gen->contact_ids, g_strdup (record->id));
      g_array_append_val (gen->contact_created, record->created_at);
    }
  return TRUE;
}

/* Which contact a timeline entry belongs to: a few relationships are far
 * busier than most, as in life, and contact 0 gets 1% of all interactions. */
static guint
busy_contact (RapportGenerator *gen)
{
  guint n = gen->contact_ids->len;
  double u = (double) rapport_rng_below (&gen->rng, 1u << 30) / (double) (1u << 30);

  return MIN ((guint) (u * u * n), n - 1);
}

static gint64
created_of (RapportGenerator *gen, guint contact)
{
  return g_array_index (gen->contact_created, gint64, contact);
}

/* Timeline ------------------------------------------------------------------- */

static gboolean
generate_interactions (RapportGenerator *gen, GError **error)
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

        record->id = new_id (gen);
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
        if (!rapport_generator_emit (gen, record, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
generate_complaints (RapportGenerator *gen, GError **error)
{
  for (guint i = 0; i < gen->preset->complaints; i++)
    {
      g_autoptr (RapportInteraction) complaint = rapport_interaction_new ();
      RapportRecord *record = RAPPORT_RECORD (complaint);
      guint contact = busy_contact (gen);
      guint by = random_user (gen);

      record->id = new_id (gen);
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
      if (!rapport_generator_emit (gen, record, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
generate_notes (RapportGenerator *gen, GError **error)
{
  for (guint i = 0; i < gen->preset->notes; i++)
    {
      g_autoptr (RapportNote) note = rapport_note_new ();
      RapportRecord *record = RAPPORT_RECORD (note);
      guint contact = busy_contact (gen);

      record->id = new_id (gen);
      record->created_at = time_between (gen, created_of (gen, contact), gen->now - 3600);
      note->contact_id = g_strdup (gen->contact_ids->pdata[contact]);
      note->body = g_strdup_printf ("%s %s", rapport_gen_pick (&gen->rng, &rapport_gen_note_openers),
                                    rapport_gen_pick (&gen->rng, &rapport_gen_note_details));
      note->private = rapport_rng_percent (&gen->rng, 10);
      note->pinned = rapport_rng_percent (&gen->rng, 3);
      note->author = g_strdup (user_id (gen, random_user (gen)));
      if (!rapport_generator_emit (gen, record, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
generate_reminders (RapportGenerator *gen, GError **error)
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

      record->id = new_id (gen);
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
      if (!rapport_generator_emit (gen, record, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
generate_promises (RapportGenerator *gen, GError **error)
{
  for (guint i = 0; i < gen->preset->promises; i++)
    {
      g_autoptr (RapportPromise) promise = rapport_promise_new ();
      RapportRecord *record = RAPPORT_RECORD (promise);
      guint contact = busy_contact (gen);
      guint deliverer = random_user (gen);
      guint roll = rapport_rng_below (&gen->rng, 100);

      record->id = new_id (gen);
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
      if (!rapport_generator_emit (gen, record, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
make_records (RapportGenerator *gen, GError **error)
{
  return generate_users (gen, error) && generate_contacts (gen, error)
         && generate_interactions (gen, error) && generate_complaints (gen, error)
         && generate_notes (gen, error) && generate_reminders (gen, error)
         && generate_promises (gen, error);
}

static gpointer
make_records_thread (gpointer data)
{
  RapportGenerator *gen = data;

  /* Nothing fails here but a cancel by the writer, which has the error. */
  make_records (gen, NULL);
  rapport_generator_close (gen);
  return NULL;
}

/**
 * rapport_store_generate:
 *
 * Fills @store with a reference data set. Records are made on a thread of
 * their own and written in large transactions by the bulk writer
 * (rapport-generate-writer.c), which leaves exactly the rows, journal
 * entries, clock stamps and search indexes that rapport_store_save() would
 * (people typing the same records), only faster. When the store has no
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
  RapportGenerator gen = { 0 };
  g_autofree char *cache_pragma = NULL;
  int old_cache;
  gboolean ok;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), FALSE);
  g_return_val_if_fail (preset != NULL && preset->users > 0 && preset->contacts > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gen.store = store;
  gen.through_save = through_save;
  rapport_generator_init_writer (&gen);
  gen.preset = preset;
  gen.now = now;
  gen.start = now - YEARS_OF_HISTORY * 365 * DAY;
  gen.id_ms = (guint64) MAX (now, 0) * 1000;
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

  old_cache = rapport_generator_get_cache_size (store);
  cache_pragma = g_strdup_printf ("PRAGMA cache_size = -%d", GENERATION_CACHE_KIB);
  /* In WAL mode, NORMAL never corrupts the file; at worst a power cut
   * loses the last transactions of a generation, which is then run again. */
  ok = rapport_store_exec (store, cache_pragma, error)
       && rapport_store_exec (store, "PRAGMA synchronous = NORMAL", error);
  if (ok && through_save)
    ok = make_records (&gen, error) && rapport_generator_finish (&gen, error);
  else if (ok)
    {
      /* The records are made on a thread of their own while this one
       * writes them. */
      GThread *maker = g_thread_new ("rapport-generate", make_records_thread, &gen);

      ok = rapport_generator_write (&gen, error);
      g_thread_join (maker);
    }

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
