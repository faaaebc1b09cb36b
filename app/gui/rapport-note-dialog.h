/* rapport-note-dialog.h: adding a note to a contact */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rapport-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_NOTE_DIALOG (rapport_note_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RapportNoteDialog, rapport_note_dialog, RAPPORT, NOTE_DIALOG, AdwWindow)

RapportNoteDialog *rapport_note_dialog_new  (GtkWindow         *parent,
                                             RapportStore      *store,
                                             const char        *contact_id);
/* As the Save button; FALSE (error shown) when the note is empty. */
gboolean           rapport_note_dialog_save (RapportNoteDialog *self);

G_END_DECLS
