/* rapport-merge-contacts.h: duplicate contacts, found and merged */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-duplicates.h"
#include "rapport-store.h"

G_BEGIN_DECLS

/* Which contacts are duplicates: rapport-duplicates.h, the one rule. */

/* Merges @source into @target: emails, phones, addresses, social handles
 * and tags are united (phones compared as numbers in @region), empty
 * fields of @target are filled from @source. Returns whether @target
 * changed. */
gboolean         rapport_contact_merge_into (RapportContact  *target,
                                             RapportContact  *source,
                                             const char      *region);

/* Find duplicates (RapportDuplicatePair, rapport_store_list_duplicate_pairs(),
 * rapport_duplicates_scan()): rapport-duplicates.h. */

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportContactMerge, rapport_contact_merge_free)

G_END_DECLS
