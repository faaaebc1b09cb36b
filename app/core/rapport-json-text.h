/* rapport-json-text.h: JSON text written directly, as json-glib writes it */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "rapport-record.h"

G_BEGIN_DECLS

/* Each appends to @out the bytes json_to_string (node, FALSE) of json-glib
 * writes for the same value, without building nodes: compact, members in
 * their order, strings escaped as its generator escapes them (test-json-text.c
 * compares both). */
void rapport_json_text_append_string (GString             *out,
                                      const char          *text);
void rapport_json_text_append_node   (GString             *out,
                                      JsonNode            *node);
/* One field's value as in rapport_record_to_json(). */
void rapport_json_text_append_field  (GString             *out,
                                      RapportRecord       *record,
                                      const RapportField  *field);
/* rapport_record_to_json() as text; @spans, if not %NULL, has one
 * (offset, length) pair per field of the entity, set for the fields written. */
void rapport_json_text_append_record (GString             *out,
                                      RapportRecord       *record,
                                      guint               *spans);

/* Binds @field of @record as the store's write path does: strings and
 * numbers from the record (SQLITE_STATIC: the record must outlive the
 * step), times of 0 as NULL, arrays as their text in @journal, written by
 * rapport_json_text_append_record() with @spans. */
void rapport_json_text_bind_field    (sqlite3_stmt        *stmt,
                                      int                  index,
                                      RapportRecord       *record,
                                      guint                field_index,
                                      const char          *journal,
                                      const guint         *spans);

G_END_DECLS
