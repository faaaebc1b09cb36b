/* rapport-contact-editor.h: creating and editing a contact */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_CONTACT_EDITOR (rapport_contact_editor_get_type ())
G_DECLARE_FINAL_TYPE (RapportContactEditor, rapport_contact_editor, RAPPORT, CONTACT_EDITOR, AdwWindow)

/* @contact (nullable): the contact to edit; NULL makes a new one. Emits
 * "saved" with the contact id after a save. */
RapportContactEditor *rapport_contact_editor_new  (GtkWindow            *parent,
                                                   RapportStore         *store,
                                                   RapportContact       *contact);
/* As the Save button: FALSE when a field is wrong, or when a likely
 * duplicate is pointed out for the first time (a second save goes ahead). */
gboolean              rapport_contact_editor_save (RapportContactEditor *self);

G_END_DECLS
