/* rapport-merge-contacts.h: duplicate contacts, found and merged */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-store.h"

G_BEGIN_DECLS

/* Two contacts are duplicates when they share an email (any case), a phone
 * number compared as a number in a region ("+44 20 7946 0018" is
 * "020 7946 0018" in GB), or a name and organization (accents and case
 * folded). */

/* An index of the contacts of a store (not in the Trash) by those keys,
 * for matching many contacts quickly (import). */
typedef struct _RapportDupIndex RapportDupIndex;

RapportDupIndex *rapport_dup_index_new      (RapportStore    *store,
                                             const char      *region,
                                             GError         **error);
void             rapport_dup_index_free     (RapportDupIndex *index);
/* Returns: (transfer full) (nullable): the id of a contact @contact
 * duplicates, and in @reason (optional) "email", "phone" or "name". */
char            *rapport_dup_index_find     (RapportDupIndex *index,
                                             RapportContact  *contact,
                                             const char     **reason);
/* Adds (or refreshes) a saved contact's keys. */
void             rapport_dup_index_add      (RapportDupIndex *index,
                                             RapportContact  *contact);

/* Whether two phone numbers are the same number, read in @region. */
gboolean         rapport_phones_match       (const char      *a,
                                             const char      *b,
                                             const char      *region);

/* Merges @source into @target: emails, phones, addresses, social handles
 * and tags are united (phones compared as numbers in @region), empty
 * fields of @target are filled from @source. Returns whether @target
 * changed. */
gboolean         rapport_contact_merge_into (RapportContact  *target,
                                             RapportContact  *source,
                                             const char      *region);

typedef struct
{
  char *first_id;
  char *second_id;
  char *reason;      /* "email", "phone" or "name" */
} RapportDuplicatePair;

void             rapport_duplicate_pair_free (RapportDuplicatePair *pair);

/* Returns: (transfer container) (element-type RapportDuplicatePair): pairs
 * of contacts that look like one person, for the Find duplicates tool. */
GPtrArray       *rapport_store_list_duplicate_pairs (RapportStore  *store,
                                                const char    *region,
                                                GCancellable  *cancellable,
                                                GError       **error);

/* What undoes a merge: kept until the user can no longer ask for it. */
typedef struct _RapportContactMerge RapportContactMerge;

/* Merges contact @other_id into @keep_id, in one transaction through the
 * journal (so it syncs): the fields named in @from_other take @other_id's
 * value, other empty fields are filled, emails, phones, addresses, social
 * handles and tags are united; every interaction, note, reminder and
 * promise of @other_id (and every person of it, for an organization) moves
 * to @keep_id; @other_id goes to the Trash.
 *
 * Returns: (transfer full): what rapport_store_undo_merge() needs. */
RapportContactMerge *rapport_store_merge_contacts (RapportStore        *store,
                                                   const char          *keep_id,
                                                   const char          *other_id,
                                                   const char *const   *from_other,
                                                   const char          *region,
                                                   GError             **error);
/* Puts everything back as it was before the merge (as new changes, which
 * sync too). */
gboolean             rapport_store_undo_merge     (RapportStore        *store,
                                                   RapportContactMerge *merge,
                                                   GError             **error);
const char          *rapport_contact_merge_get_kept_id (RapportContactMerge *merge);
void                 rapport_contact_merge_free   (RapportContactMerge *merge);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportDupIndex, rapport_dup_index_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportDuplicatePair, rapport_duplicate_pair_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportContactMerge, rapport_contact_merge_free)

G_END_DECLS
