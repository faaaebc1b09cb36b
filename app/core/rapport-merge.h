/* rapport-merge.h: the one merge rule, shared by client and server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A record's stamps are kept compactly: the stamp of the write that created
 * it (base), and a JSON object { field: stamp } for fields written later.
 * A field's stamp is its override, or the base when it has none. */

const char *rapport_merge_field_stamp (const char *base_stamp,
                                       JsonObject *field_stamps,
                                       const char *field);

JsonObject *rapport_merge_change      (const char *base_stamp,
                                       JsonObject *field_stamps,
                                       const char *incoming_stamp,
                                       JsonObject *incoming_fields,
                                       GPtrArray  *lost_fields);

void        rapport_merge_record_stamps (const char **base_stamp,
                                         JsonObject  *field_stamps,
                                         const char  *stamp,
                                         JsonObject  *applied_fields,
                                         gboolean     complete);

G_END_DECLS
