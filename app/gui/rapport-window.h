/* rapport-window.h: the main window */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-application.h"
#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_WINDOW (rapport_window_get_type ())
G_DECLARE_FINAL_TYPE (RapportWindow, rapport_window, RAPPORT, WINDOW, AdwApplicationWindow)

RapportWindow *rapport_window_new            (RapportApplication *application,
                                              RapportStore       *store);
RapportStore  *rapport_window_get_store      (RapportWindow      *self);
/* Shows a sidebar view by id (see rapport-views.c); FALSE if unknown. */
gboolean       rapport_window_show_view      (RapportWindow      *self,
                                              const char         *view_id);
const char    *rapport_window_get_view       (RapportWindow      *self);
/* Shows a contact's page (and selects it in the list when it is there). */
void           rapport_window_show_contact   (RapportWindow      *self,
                                              const char         *contact_id);
const char    *rapport_window_get_contact_id (RapportWindow      *self);
void           rapport_window_add_toast      (RapportWindow      *self,
                                              AdwToast           *toast);

G_END_DECLS
