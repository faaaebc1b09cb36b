/* rapport-views.c: the views of the sidebar, listed in one place */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "rapport-views.h"

static const RapportViewInfo builtin_views[] = {
  { "today", N_("Today"), "alarm-symbolic", RAPPORT_VIEW_KIND_DUE,
    RAPPORT_CONTACT_FILTER_ALL, RAPPORT_DUE_LIST_TODAY,
    N_("Nothing to Do Today"),
    N_("Follow-ups, relationships past their cadence, promises and complaints that need you show up here") },
  { "all", N_("All Contacts"), "system-users-symbolic", RAPPORT_VIEW_KIND_CONTACTS,
    RAPPORT_CONTACT_FILTER_ALL, 0,
    N_("No Contacts Yet"),
    N_("Add the people and organizations you work with to start nurturing relationships") },
  { "customers", N_("Customers"), "emblem-ok-symbolic", RAPPORT_VIEW_KIND_CONTACTS,
    RAPPORT_CONTACT_FILTER_CUSTOMERS, 0,
    N_("No Customers"),
    N_("Contacts whose relationship is “Customer” are listed here") },
  { "prospects", N_("Prospects"), "starred-symbolic", RAPPORT_VIEW_KIND_CONTACTS,
    RAPPORT_CONTACT_FILTER_PROSPECTS, 0,
    N_("No Prospects"),
    N_("Contacts whose relationship is “Prospect” are listed here") },
  { "mine", N_("My Relationships"), "avatar-default-symbolic", RAPPORT_VIEW_KIND_CONTACTS,
    RAPPORT_CONTACT_FILTER_MINE, 0,
    N_("No Relationships of Yours"),
    N_("Contacts you own are listed here. Set yourself as owner when you edit a contact") },
  { "going-cold", N_("Going Cold"), "weather-snow-symbolic", RAPPORT_VIEW_KIND_CONTACTS,
    RAPPORT_CONTACT_FILTER_GOING_COLD, 0,
    N_("Nobody Is Going Cold"),
    N_("Relationships past their keep-in-touch cadence show up here") },
  { "promises", N_("Open Promises"), "mail-send-symbolic", RAPPORT_VIEW_KIND_DUE,
    RAPPORT_CONTACT_FILTER_ALL, RAPPORT_DUE_LIST_PROMISES,
    N_("No Open Promises"),
    N_("Promises made to customers are listed here until they are kept or broken") },
  { "complaints", N_("Open Complaints"), "dialog-warning-symbolic", RAPPORT_VIEW_KIND_DUE,
    RAPPORT_CONTACT_FILTER_ALL, RAPPORT_DUE_LIST_COMPLAINTS,
    N_("No Open Complaints"),
    N_("Complaints and feedback waiting for a response are listed here") },
  { "team", N_("Team Backlog"), "x-office-presentation-symbolic", RAPPORT_VIEW_KIND_TEAM,
    RAPPORT_CONTACT_FILTER_ALL, 0,
    N_("Nothing in the Backlog"),
    N_("Overdue follow-ups, relationships going cold, promises and complaints of the team show up here") },
  { "trash", N_("Trash"), "user-trash-symbolic", RAPPORT_VIEW_KIND_CONTACTS,
    RAPPORT_CONTACT_FILTER_TRASH, 0,
    N_("Trash Is Empty"),
    N_("Deleted contacts stay here for 30 days and can be restored") },
};

static const RapportViewInfo tag_view = {
  RAPPORT_VIEW_TAG_PREFIX, NULL, "bookmark-new-symbolic", RAPPORT_VIEW_KIND_CONTACTS,
  RAPPORT_CONTACT_FILTER_TAG, 0,
  N_("No Contacts With This Tag"),
  N_("Tag contacts when you edit them to group them here"),
};

const RapportViewInfo *
rapport_views_get_builtin (guint *n_views)
{
  *n_views = G_N_ELEMENTS (builtin_views);
  return builtin_views;
}

const RapportViewInfo *
rapport_views_lookup (const char *id)
{
  if (id == NULL)
    return NULL;
  if (g_str_has_prefix (id, RAPPORT_VIEW_TAG_PREFIX))
    return &tag_view;
  for (guint i = 0; i < G_N_ELEMENTS (builtin_views); i++)
    if (g_str_equal (builtin_views[i].id, id))
      return &builtin_views[i];
  return NULL;
}

const RapportViewInfo *
rapport_views_get_tag (void)
{
  return &tag_view;
}
