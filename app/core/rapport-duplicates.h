/* rapport-duplicates.h: the one rule for contacts that are likely the same person */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-import.h"
#include "rapport-store.h"

G_BEGIN_DECLS

/* Two contacts are duplicates when they share
 *  - an email, in any case ("Marta@Example.org" is "marta@example.ORG");
 *  - a phone number compared as a number in a region: "+44 20 7946 0018",
 *    "0044 20 7946 0018", "+44 (0)20 7946 0018" and, in GB, "020 7946 0018"
 *    are one number;
 *  - a name and an organization (case and accents folded; no organization
 *    on both sides counts as the same).
 * The contact editor, the import and Find duplicates all ask this rule,
 * through a RapportDuplicateFinder. It looks contacts up through the store's
 * contact_keys table (indexed), a few lookups per contact. */
typedef struct _RapportDuplicateFinder RapportDuplicateFinder;

/* @region: the two-letter region national phone numbers are read in
 * ("GB"); %NULL: the locale's (rapport_import_default_region()). */
RapportDuplicateFinder *rapport_duplicate_finder_new    (RapportStore           *store,
                                                         const char             *region);
void                    rapport_duplicate_finder_free   (RapportDuplicateFinder *finder);
const char             *rapport_duplicate_finder_get_region (RapportDuplicateFinder *finder);

/* Contacts not in the Trash, other than @contact itself, that @contact
 * duplicates: email matches first, then phone, then name.
 *
 * @reasons: (out) (optional) (transfer container) (element-type utf8):
 *   "email", "phone" or "name" for each id (static strings)
 * Returns: (transfer container) (element-type utf8): contact ids, or %NULL
 *   with @error set. */
GPtrArray              *rapport_duplicate_finder_find   (RapportDuplicateFinder *finder,
                                                         RapportContact         *contact,
                                                         GPtrArray             **reasons,
                                                         GError                **error);
/* Makes a saved contact findable before the store's contact_keys show it
 * (the bulk import writes them at its end). Right after
 * rapport_duplicate_finder_find() on the same contact, its keys are reused.
 * A contact added is found without asking the store whether it is in the
 * Trash (it is not: it was just saved), so its row may still be pending. */
void                    rapport_duplicate_finder_add    (RapportDuplicateFinder *finder,
                                                         RapportContact         *contact);

/* For an import: the caller holds the store's write transaction (no one
 * else writes until it ends) and passes every contact it writes to
 * rapport_duplicate_finder_add(). When the store holds no contact keys now,
 * the store cannot hold a match later that the finder does not know of, and
 * is not asked again. */
gboolean                rapport_duplicate_finder_set_sole_writer (RapportDuplicateFinder *finder,
                                                                  GError                **error);

/* One-off: rapport_duplicate_finder_find() with a finder for @region
 * (%NULL: the locale's), for the contact editor. */
GPtrArray *rapport_store_find_duplicates (RapportStore   *store,
                                          RapportContact *contact,
                                          const char     *region,
                                          GError        **error);

/* Whether two phone numbers are the same number, read in @region (%NULL:
 * the locale's), by the rule above. */
gboolean   rapport_phones_match          (const char     *a,
                                          const char     *b,
                                          const char     *region);

/* Returns: (transfer full): the digit strings under which the store may
 * hold @phone ("+44 20 7946 0018" in GB: 442079460018, 02079460018,
 * 2079460018, 00442079460018, 4402079460018); empty when it has fewer
 * than six digits. */
GStrv      rapport_phone_match_keys      (const char     *phone,
                                          const char     *region);

/* Find duplicates (rapport-duplicates-scan.c) ------------------------------ */

typedef struct
{
  char *first_id;
  char *second_id;
  char *reason;      /* "email", "phone" or "name" */
} RapportDuplicatePair;

void       rapport_duplicate_pair_free   (RapportDuplicatePair *pair);

/* Called with each pair as it is found (borrowed), on the scanning thread. */
typedef void (*RapportDuplicatePairFunc) (RapportDuplicatePair *pair,
                                          gpointer              user_data);

/* Every pair of contacts not in the Trash that the rule above calls
 * duplicates, each pair once with its strongest reason: pairs by email
 * first, then by phone, then by name and organization. Contacts that all
 * share one key are listed as pairs of the oldest (the smallest id, ids
 * being time-ordered) with each other one, as many pairs as merges it
 * takes. Reads the indexed keys in order, never contact against contact:
 * a second or so for 100,000 contacts. Slow for the main loop: run it in a
 * thread, on a connection of its own (rapport_store_open_connection()).
 *
 * @progress: (nullable): told the fraction done, 0 to 1, now and then
 * @pair_func: (nullable): told each pair as it is found
 * Returns: (transfer container) (element-type RapportDuplicatePair): the
 *   pairs, or %NULL with @error set (G_IO_ERROR_CANCELLED when cancelled). */
GPtrArray *rapport_duplicates_scan        (RapportStore             *store,
                                           const char               *region,
                                           GCancellable             *cancellable,
                                           RapportProgressFunc       progress,
                                           RapportDuplicatePairFunc  pair_func,
                                           gpointer                  user_data,
                                           GError                  **error);

/* rapport_duplicates_scan() without progress. @region: %NULL for the
 * locale's. */
GPtrArray *rapport_store_list_duplicate_pairs (RapportStore  *store,
                                               const char    *region,
                                               GCancellable  *cancellable,
                                               GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportDuplicateFinder, rapport_duplicate_finder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportDuplicatePair, rapport_duplicate_pair_free)

G_END_DECLS
