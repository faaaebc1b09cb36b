/* rapport-generate-private.h: word lists and randomness for the reference data sets */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "rapport-generate.h"
#include "rapport-store.h"

G_BEGIN_DECLS

/* xoshiro256**: small, fast and the same on every machine, so a seed always
 * gives the same data (GLib's g_random may change between versions). */
typedef struct
{
  guint64 s[4];
} RapportRng;

void        rapport_rng_init    (RapportRng *rng,
                                 guint64     seed);
guint64     rapport_rng_next    (RapportRng *rng);
/* Uniform in [0, n). */
guint32     rapport_rng_below   (RapportRng *rng,
                                 guint32     n);
/* Uniform in [lo, hi]. */
gint64      rapport_rng_range   (RapportRng *rng,
                                 gint64      lo,
                                 gint64      hi);
/* TRUE with probability @percent / 100. */
gboolean    rapport_rng_percent (RapportRng *rng,
                                 guint       percent);
/* A UUID of version 7 as rapport_id_new() makes it: @ms (Unix
 * milliseconds) and @sequence (12 bits) first, then 62 bits drawn from
 * @rng. */
char       *rapport_rng_uuid    (RapportRng *rng,
                                 guint64     ms,
                                 guint       sequence);

#define RAPPORT_PICK(rng, array) ((array)[rapport_rng_below ((rng), G_N_ELEMENTS (array))])

typedef struct
{
  const char *const *items;
  guint n_items;
} RapportWordList;

/* Word lists: people's given and family names from many countries (with
 * their accents), organization name parts, cities, tags, job titles, and
 * sentence parts for interaction summaries and notes. */
extern const RapportWordList rapport_gen_given_names;
extern const RapportWordList rapport_gen_family_names;
extern const RapportWordList rapport_gen_org_words;
extern const RapportWordList rapport_gen_org_kinds;
extern const RapportWordList rapport_gen_org_suffixes;
extern const RapportWordList rapport_gen_cities;
extern const RapportWordList rapport_gen_streets;
extern const RapportWordList rapport_gen_tags;
extern const RapportWordList rapport_gen_job_titles;
extern const RapportWordList rapport_gen_topics;
extern const RapportWordList rapport_gen_products;
extern const RapportWordList rapport_gen_note_openers;
extern const RapportWordList rapport_gen_note_details;
extern const RapportWordList rapport_gen_complaints;
extern const RapportWordList rapport_gen_promises;
extern const RapportWordList rapport_gen_reminder_titles;
extern const RapportWordList rapport_gen_mail_domains;
extern const RapportWordList rapport_gen_user_names;

const char *rapport_gen_pick      (RapportRng            *rng,
                                   const RapportWordList *list);
/* "Call with {name} about {topic}"-style summaries for an interaction kind. */
char       *rapport_gen_summary   (RapportRng            *rng,
                                   const char            *kind);
/* A phone number in one of the ways people write them, for @country
 * (0 = Germany, 1 = UK, 2 = France, 3 = Spain, 4 = Sweden). */
char       *rapport_gen_phone     (RapportRng            *rng,
                                   guint                  country);

/* The state of one generation. The record makers (rapport-generate.c) run
 * on a thread of their own and hand rows, made ready for the store
 * (rapport-generate-rows.c), in batches to the writer
 * (rapport-generate-writer.c), which runs on the calling thread. */
#define RAPPORT_GEN_MAX_ENTITIES 8
#define RAPPORT_GEN_MAX_FIELDS 64
#define RAPPORT_GEN_BATCH 256
/* Journal entries are written this many to a statement: each statement
 * also updates the journal's AUTOINCREMENT counter. */
#define RAPPORT_GEN_JOURNAL_ROWS 32

typedef struct _RapportGenRow RapportGenRow;

/* A new record as the writer needs it: the record, its journal entry
 * (whose text also gives the arrays' column values), its change id, and
 * for a contact its derived data, as rapport-index.c makes them. */
struct _RapportGenRow
{
  RapportRecord *record;
  guint entity;                 /* index in rapport_entity_all () */
  char *change_id;
  char *journal;
  gsize journal_len;
  char *stamp;                  /* given by the writer */
  char *sort_key;               /* contacts only, from here on */
  char *fts[5];                 /* contacts_fts: name, organization, emails, phones, tags */
  GPtrArray *key_kinds;         /* (element-type utf8) static strings */
  GPtrArray *key_values;
  guint spans[];                /* (offset, length) in journal of each field */
};

typedef struct
{
  gboolean last;                /* nothing follows */
  guint n_rows;
  RapportGenRow *rows[RAPPORT_GEN_BATCH];
} RapportGenBatch;

RapportGenRow *rapport_gen_row_new  (RapportRecord *record);
void           rapport_gen_row_free (RapportGenRow *row);
/* Frees the rows of @batch (and @batch). */
void           rapport_gen_batch_clear (RapportGenBatch *batch);
void           rapport_gen_batch_free  (RapportGenBatch *batch);

typedef struct
{
  RapportStore *store;
  gboolean through_save;        /* rapport_store_save() instead of the bulk writer */
  const RapportPreset *preset;
  RapportRng rng;
  gint64 now;
  gint64 start;
  guint64 id_ms;                /* the clock of the ids made (new_id()) */
  guint id_sequence;

  GPtrArray *user_ids;
  GPtrArray *user_departments;  /* (element-type utf8) (transfer none) */
  GArray *seller_users;         /* guint: users who own relationships */

  GPtrArray *contact_ids;
  GArray *contact_created;      /* gint64 */
  GArray *contact_owner;        /* guint: user index */
  guint n_organizations;
  GPtrArray *organization_names;
  GPtrArray *organization_domains;

  /* Between the two threads. */
  GAsyncQueue *filled;          /* RapportGenBatch, to the writer */
  GAsyncQueue *spare;           /* RapportGenBatch, written, back to the makers */
  guint n_batches;              /* made so far (at most a few are) */
  RapportGenBatch *batch;       /* being filled by the makers */
  gint cancelled;               /* atomic: the writer failed, stop making */

  /* The writer's own. */
  sqlite3_stmt *insert[RAPPORT_GEN_MAX_ENTITIES];
  sqlite3_stmt *journal_insert;
  sqlite3_stmt *journal_insert_many;
  RapportGenRow *journal[RAPPORT_GEN_JOURNAL_ROWS]; /* rows whose journal entry waits */
  guint n_journal;
  gboolean entity_written[RAPPORT_GEN_MAX_ENTITIES];
  GHashTable *touched_contacts; /* contact ids whose last interaction moved */
  char *last_touched;
  GHashTable *last_interactions; /* into an empty store: contact id -> gint64 */
  gint64 *last_interaction_at;  /* last_touched's */
  GStringChunk *texts;          /* full-text columns and keys waiting for the commit */
  GArray *fts[3];               /* RapportGenText, contacts, interactions, notes */
  GArray *tags;                 /* RapportKeyRow */
  GArray *keys;                 /* RapportKeyRow */
  gboolean blank;               /* no record before: nothing to replace */
  gboolean indexes_deferred;
  gint64 started;               /* monotonic time, for the debug log */
  guint64 written;
  guint64 total;
  guint in_transaction;
  void (*progress) (double fraction, gpointer user_data);
  gpointer user_data;
} RapportGenerator;

void        rapport_generator_init_writer  (RapportGenerator *gen);
void        rapport_generator_clear_writer (RapportGenerator *gen);
/* The makers' side: hands a new record to the writer (through_save:
 * saves it at once). FALSE once the writer has failed. */
gboolean    rapport_generator_emit         (RapportGenerator *gen,
                                            RapportRecord    *record,
                                            GError          **error);
/* The makers' side: they are done (hands the last batch over). */
void        rapport_generator_close        (RapportGenerator *gen);
/* The writer's side: writes what the makers hand over until they are
 * done, then commits and builds what was left for the end. */
gboolean    rapport_generator_write        (RapportGenerator *gen,
                                            GError          **error);
/* through_save: commits what is left and reports the end. */
gboolean    rapport_generator_finish       (RapportGenerator *gen,
                                            GError          **error);
int         rapport_generator_get_cache_size (RapportStore  *store);

/* rapport_store_generate() with a choice of write path: @through_save
 * writes every record with rapport_store_save() instead of the bulk path, so
 * tests can check that both leave the same store. */
gboolean    rapport_store_generate_full (RapportStore        *store,
                                         const RapportPreset *preset,
                                         guint64              seed,
                                         gint64               now,
                                         gboolean             through_save,
                                         void               (*progress) (double   fraction,
                                                                         gpointer user_data),
                                         gpointer             user_data,
                                         GError             **error);

G_END_DECLS
