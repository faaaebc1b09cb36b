/* rapport-initials.h: a contact's initials on a colored disc, for list rows */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Looks like AdwAvatar with initials, at a fraction of its cost to change:
 * AdwAvatar lays its initials out again (and measures them to fit) on each
 * adw_avatar_set_text(), three quarters of the time a contact row took to
 * show another contact. This one only remembers the text, and lays the
 * initials out when it is drawn. Presentational: the row says who it is. */
#define RAPPORT_TYPE_INITIALS (rapport_initials_get_type ())
G_DECLARE_FINAL_TYPE (RapportInitials, rapport_initials, RAPPORT, INITIALS, GtkWidget)

GtkWidget *rapport_initials_new      (int              size);
void       rapport_initials_set_text (RapportInitials *self,
                                      const char      *text);

G_END_DECLS
