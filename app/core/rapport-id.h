/* rapport-id.h: identifiers of records and changes */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char *rapport_id_new (void);

char *rapport_json_node_to_text (JsonNode *node);
char *rapport_json_object_to_text (JsonObject *object);
char *rapport_json_array_to_text (JsonArray *array);

G_END_DECLS
