/* rapport-format.h: showing stored keywords, times and people to a person */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rapport-store.h"

G_BEGIN_DECLS

/* The keyword lists of rapport-records.h, NULL-terminated, in the order the
 * UI offers them. */
typedef enum
{
  RAPPORT_CHOICE_CONTACT_KIND,
  RAPPORT_CHOICE_RELATIONSHIP,
  RAPPORT_CHOICE_CHANNEL,
  RAPPORT_CHOICE_INTERACTION_KIND,
  RAPPORT_CHOICE_DIRECTION,
  RAPPORT_CHOICE_PROMISE_STATUS,
} RapportChoice;

const char *const *rapport_choice_keywords   (RapportChoice  choice);
/* The translated label of @keyword, or @keyword itself when unknown. */
const char        *rapport_choice_label      (RapportChoice  choice,
                                              const char    *keyword);
GtkStringList     *rapport_choice_model      (RapportChoice  choice);
guint              rapport_choice_index      (RapportChoice  choice,
                                              const char    *keyword);
const char        *rapport_choice_keyword    (RapportChoice  choice,
                                              guint          index);

/* "14:30", "Yesterday 09:10", "3 March", "3 March 2024" in local time. */
char       *rapport_format_time           (gint64         t,
                                           gint64         now);
/* "today", "in 3 days", "3 days ago". */
char       *rapport_format_relative_day   (gint64         t,
                                           gint64         now);
/* A user's display name, or a short form of the id when unknown. */
char       *rapport_format_user           (RapportStore  *store,
                                           const char    *user_id);

/* Writes "profile: NAME MS" on stderr once per name when RAPPORT_PROFILE=1,
 * measured from the start of the process. */
void        rapport_profile_mark          (const char    *name);
gboolean    rapport_profile_enabled       (void);

/* Sets the accessible label of @widget. */
void        rapport_set_accessible_label  (GtkWidget     *widget,
                                           const char    *label);

/* The same for a row of a list, and for the list item that holds it (alone,
 * or in wrappers of its own): GTK 4.8 gives a list view's item no name of its
 * own, and a screen reader names the item that has the focus. */
void        rapport_set_list_row_label    (GtkWidget     *row,
                                           const char    *label);

/* Trims @text; %NULL when nothing is left. */
char       *rapport_strdup_trimmed        (const char    *text);

G_END_DECLS

G_BEGIN_DECLS
/* The app's settings (schema org.rapport.Rapport), or %NULL when the schema
 * is not installed; callers then use the defaults. (transfer none) */
GSettings  *rapport_settings_get          (void);
/* The default keep-in-touch cadence in days for a new contact of
 * @relationship (from the settings). */
int         rapport_settings_default_cadence (const char *relationship);
G_END_DECLS

G_BEGIN_DECLS
/* A cache of user display names by id, for lists that show many authors.
 * (transfer none): valid while @cache lives. */
const char *rapport_user_cache_lookup      (GHashTable   *cache,
                                            RapportStore *store,
                                            const char   *user_id);
GHashTable *rapport_user_cache_new         (void);
G_END_DECLS

G_BEGIN_DECLS
/* For the dispose of a GtkWidget subclass with a layout manager: unparents
 * every child (a template's root child has no id, so
 * gtk_widget_dispose_template() does not). */
void        rapport_widget_unparent_children (GtkWidget *widget);
G_END_DECLS
