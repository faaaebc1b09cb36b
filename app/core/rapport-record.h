/* rapport-record.h: the base of every synced record, and entity descriptions */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How a field is held in C, in SQLite and in JSON:
 * STRING  char *        TEXT     string or null
 * INT     gint64        INTEGER  number
 * BOOL    gboolean      INTEGER  true/false
 * TIME    gint64        INTEGER  number: seconds since the epoch, UTC; 0 = unset (null)
 * STRV    char **       TEXT     array of strings (stored as JSON text)
 * JSON    JsonArray *   TEXT     array of objects (stored as JSON text)
 */
typedef enum
{
  RAPPORT_FIELD_STRING,
  RAPPORT_FIELD_INT,
  RAPPORT_FIELD_BOOL,
  RAPPORT_FIELD_TIME,
  RAPPORT_FIELD_STRV,
  RAPPORT_FIELD_JSON,
} RapportFieldType;

typedef enum
{
  RAPPORT_FIELD_SYNCED = 0,
  RAPPORT_FIELD_DERIVED = 1 << 0, /* kept by the store, never journaled or synced */
} RapportFieldFlags;

typedef struct
{
  const char *name;      /* field name = SQL column = JSON member */
  RapportFieldType type;
  gsize offset;          /* in the record's instance struct */
  RapportFieldFlags flags;
} RapportField;

typedef struct
{
  const char *name;      /* "contact", "interaction", ... as on the wire */
  const char *table;     /* SQL table */
  const RapportField *fields;
  guint n_fields;
} RapportEntity;

/* Declared by hand rather than with G_DECLARE_DERIVABLE_TYPE, because the
 * instance struct of a record is public. */
#define RAPPORT_TYPE_RECORD (rapport_record_get_type ())
#define RAPPORT_RECORD(obj) (G_TYPE_CHECK_INSTANCE_CAST ((obj), RAPPORT_TYPE_RECORD, RapportRecord))
#define RAPPORT_IS_RECORD(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), RAPPORT_TYPE_RECORD))
#define RAPPORT_RECORD_CLASS(klass) (G_TYPE_CHECK_CLASS_CAST ((klass), RAPPORT_TYPE_RECORD, RapportRecordClass))
#define RAPPORT_RECORD_GET_CLASS(obj) (G_TYPE_INSTANCE_GET_CLASS ((obj), RAPPORT_TYPE_RECORD, RapportRecordClass))

typedef struct _RapportRecord RapportRecord;
typedef struct _RapportRecordClass RapportRecordClass;

GType rapport_record_get_type (void) G_GNUC_CONST;

/* Every record has an id (a random UUID), a deleted flag (a field ordered
 * like the others: deleted records sit in the Trash), and creation time. */
struct _RapportRecord
{
  GObject parent_instance;
  char *id;
  gboolean deleted;
  gint64 deleted_at;
  gint64 created_at;
};

struct _RapportRecordClass
{
  GObjectClass parent_class;
  const RapportEntity *entity;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportRecord, g_object_unref)

const RapportEntity *rapport_entity_lookup        (const char *name);
const RapportEntity *const *rapport_entity_all    (void);
const RapportField  *rapport_entity_find_field    (const RapportEntity *entity,
                                                   const char          *field);
GType                rapport_entity_get_gtype     (const RapportEntity *entity);

const RapportEntity *rapport_record_get_entity    (RapportRecord *self);
RapportRecord       *rapport_record_new_for_entity (const RapportEntity *entity);
JsonObject          *rapport_record_to_json       (RapportRecord *self);
JsonNode            *rapport_record_get_field_node (RapportRecord      *self,
                                                    const RapportField *field);
gboolean             rapport_record_set_field     (RapportRecord      *self,
                                                   const RapportField *field,
                                                   JsonNode           *node,
                                                   GError            **error);
gboolean             rapport_record_set_from_json (RapportRecord *self,
                                                   JsonObject    *fields,
                                                   GError       **error);
JsonObject          *rapport_record_diff          (RapportRecord *old_record,
                                                   RapportRecord *new_record);
RapportRecord       *rapport_record_copy          (RapportRecord *self);

G_END_DECLS
