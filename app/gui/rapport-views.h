/* rapport-views.h: the views of the sidebar, listed in one place */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "rapport-contact-list.h"

G_BEGIN_DECLS

typedef enum
{
  RAPPORT_VIEW_KIND_CONTACTS,   /* a contact list with a filter */
  RAPPORT_VIEW_KIND_DUE,        /* a list of things to act on */
  RAPPORT_VIEW_KIND_TEAM,       /* the team backlog (rapport-team-view.c) */
} RapportViewKind;

typedef enum
{
  RAPPORT_DUE_LIST_TODAY,       /* my outreach queue */
  RAPPORT_DUE_LIST_PROMISES,    /* open promises of the team */
  RAPPORT_DUE_LIST_COMPLAINTS,  /* complaints awaiting a response */
} RapportDueList;

typedef struct
{
  const char *id;                 /* "today", "all", ...; tag views are "tag:NAME" */
  const char *title;              /* marked N_(), translate when shown */
  const char *icon_name;
  RapportViewKind kind;
  RapportContactFilter filter;    /* for contact views */
  RapportDueList due_list;        /* for due views */
  const char *empty_title;        /* shown when the view holds nothing; N_() */
  const char *empty_description;  /* N_() */
} RapportViewInfo;

/* The fixed views, in sidebar order. Later issues add theirs here. */
const RapportViewInfo *rapport_views_get_builtin (guint       *n_views);
const RapportViewInfo *rapport_views_lookup      (const char  *id);
/* The shared description of every tag view (its title is the tag). */
const RapportViewInfo *rapport_views_get_tag     (void);

#define RAPPORT_VIEW_TAG_PREFIX "tag:"

G_END_DECLS
