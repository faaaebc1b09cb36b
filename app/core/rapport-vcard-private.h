/* rapport-vcard-private.h: the line-level cleaning shared by the vCard reader */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One physical line of a file, not copied. */
typedef struct
{
  const char *start;
  gsize len;
} RapportVcardLine;

/* (element-type RapportVcardLine): the lines of @text, CR/LF/CRLF ends removed. */
GArray   *rapport_vcard_split_lines  (const char             *text,
                                      gsize                   length);
/* Whether @c may appear in a property or parameter name. */
gboolean  rapport_vcard_is_name_char (char                    c);
/* Whether @line is @word (case-insensitively), trailing blanks ignored. */
gboolean  rapport_vcard_line_is      (const RapportVcardLine *line,
                                      const char             *word);
/* The @n lines between BEGIN:VCARD and END:VCARD, unfolded and rewritten
 * into a whole card libebook reads without warnings. */
char     *rapport_vcard_rewrite_card (const RapportVcardLine *lines,
                                      guint                   n);

G_END_DECLS
