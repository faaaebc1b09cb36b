/* rapport-contact-list.h: a lazy GListModel of contacts over a store query */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-store.h"

G_BEGIN_DECLS

typedef enum
{
  RAPPORT_CONTACT_FILTER_ALL,
  RAPPORT_CONTACT_FILTER_CUSTOMERS,
  RAPPORT_CONTACT_FILTER_PROSPECTS,
  RAPPORT_CONTACT_FILTER_MINE,          /* owner = me */
  RAPPORT_CONTACT_FILTER_GOING_COLD,
  RAPPORT_CONTACT_FILTER_TAG,           /* with the tag set by _set_tag() */
  RAPPORT_CONTACT_FILTER_TRASH,
} RapportContactFilter;

#define RAPPORT_TYPE_CONTACT_LIST (rapport_contact_list_get_type ())
G_DECLARE_FINAL_TYPE (RapportContactList, rapport_contact_list, RAPPORT, CONTACT_LIST, GObject)

/* Items are RapportContact. The list holds the matching row ids only, and
 * loads contacts in small pages as they are asked for, so 100,000 contacts
 * never become 100,000 objects. It re-queries and emits items-changed when
 * the store changes. Sorted by name (accents and case folded), or by search
 * rank while a search is set. */
RapportContactList *rapport_contact_list_new        (RapportStore         *store);
void                rapport_contact_list_set_filter (RapportContactList   *self,
                                                     RapportContactFilter  filter);
void                rapport_contact_list_set_tag    (RapportContactList   *self,
                                                     const char           *tag);
void                rapport_contact_list_set_search (RapportContactList   *self,
                                                     const char           *query);
RapportStore       *rapport_contact_list_get_store  (RapportContactList   *self);
/* Position of a contact, or G_MAXUINT when not in the list. */
guint               rapport_contact_list_find       (RapportContactList   *self,
                                                     const char           *contact_id);

G_END_DECLS
