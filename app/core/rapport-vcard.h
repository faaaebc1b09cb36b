/* rapport-vcard.h: vCard 2.1, 3.0 and 4.0 in, vCard 4.0 out */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-import.h"

G_BEGIN_DECLS

gboolean  rapport_vcard_sniff         (const char            *text,
                                       gsize                  length);

/* Reads every vCard of @text (UTF-8, or 8-bit with CHARSET parameters) and
 * hands each to @func. Cards that hold nothing usable or never end are
 * skipped and added to @issues with their line. Fails only when @text holds
 * no vCard at all, or when @func fails. */
gboolean  rapport_vcard_parse         (const char            *text,
                                       gsize                  length,
                                       RapportImportItemFunc  func,
                                       gpointer               user_data,
                                       GPtrArray             *issues,
                                       GError               **error);

/* One vCard 4.0 (RFC 6350), CRLF line ends, folded at 75 octets.
 * @notes: (nullable) (element-type RapportNote): written as NOTE lines. */
char     *rapport_vcard_from_contact  (RapportContact        *contact,
                                       GPtrArray             *notes);

G_END_DECLS
