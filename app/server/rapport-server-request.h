/* rapport-server-request.h: reading and checking what clients send */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "rapport-journal.h"

G_BEGIN_DECLS

/* Every refusal the protocol knows, each with its HTTP status and its wire
 * code (see PROTOCOL.md). */
#define RAPPORT_SERVER_ERROR (rapport_server_error_quark ())

typedef enum
{
  RAPPORT_SERVER_ERROR_BAD_REQUEST,            /* 400 bad-request */
  RAPPORT_SERVER_ERROR_UNAUTHORIZED,           /* 401 unauthorized */
  RAPPORT_SERVER_ERROR_FORBIDDEN,              /* 403 forbidden */
  RAPPORT_SERVER_ERROR_NOT_FOUND,              /* 404 not-found */
  RAPPORT_SERVER_ERROR_METHOD_NOT_ALLOWED,     /* 405 bad-request */
  RAPPORT_SERVER_ERROR_CONFLICT,               /* 409 conflict */
  RAPPORT_SERVER_ERROR_TOO_LARGE,              /* 413 too-large */
  RAPPORT_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE, /* 415 unsupported-media-type */
  RAPPORT_SERVER_ERROR_CLOCK_SKEW,             /* 422 clock-skew */
  RAPPORT_SERVER_ERROR_RATE_LIMITED,           /* 429 rate-limited */
  RAPPORT_SERVER_ERROR_INTERNAL,               /* 500 internal */
} RapportServerError;

GQuark      rapport_server_error_quark       (void);
guint       rapport_server_error_http_status (const GError *error);
const char *rapport_server_error_wire_code   (const GError *error);

/* Limits of a request. */
#define RAPPORT_SERVER_MAX_BODY      (8 * 1024 * 1024)
#define RAPPORT_SERVER_MAX_CHANGES   1000
#define RAPPORT_SERVER_MAX_PULL      20000
#define RAPPORT_SERVER_DEFAULT_PULL  1000
/* The longest a pull may wait for changes (`wait`, seconds). */
#define RAPPORT_SERVER_MAX_PULL_WAIT 60
#define RAPPORT_SERVER_JSON_DEPTH    32
#define RAPPORT_SERVER_JSON_VALUES   500000

/* Whether a Content-Type header names JSON (parameters allowed). */
gboolean    rapport_server_content_type_is_json (const char *content_type);

/* The token of an "Authorization: Bearer TOKEN" header, or %NULL. */
char       *rapport_server_parse_bearer      (const char *header);

/* Checks nesting depth and value count in one pass before the JSON parser
 * (which recurses, and allocates per value) sees the text. */
gboolean    rapport_server_json_precheck     (const char *data,
                                              gsize       length,
                                              GError    **error);

/* Pre-checks and parses a request body that must be a JSON object. */
JsonObject *rapport_server_parse_object      (const char *data,
                                              gsize       length,
                                              GError    **error);

gboolean    rapport_server_parse_login       (JsonObject *body,
                                              char      **user,
                                              char      **password,
                                              GError    **error);

/* One change of a push: either valid, or refused with @invalid. */
typedef struct
{
  char *id;
  RapportChange *change;   /* NULL when the change is invalid */
  char *invalid;           /* why it is invalid, for the answer */
  gboolean erased;         /* an erasure: "erased": true, no fields */
  char *fields_text;       /* (nullable) the change's fields as JSON text, made by the
                            * reader so the writer need not when they all win */
} RapportPushItem;

void        rapport_push_item_free           (RapportPushItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RapportPushItem, rapport_push_item_free)

/* (element-type RapportPushItem): the changes of a push body. A change
 * without a string id fails the whole request; other mistakes refuse just
 * that change. */
GPtrArray  *rapport_server_parse_push        (JsonObject *body,
                                              GError    **error);

/* Query parameters of GET /v1/pull and /v1/backlog (@query may be NULL). */
gboolean    rapport_server_parse_pull_query  (GHashTable *query,
                                              gint64     *after,
                                              guint      *limit,
                                              GError    **error);
/* `wait` of GET /v1/pull: 0 (the default) to RAPPORT_SERVER_MAX_PULL_WAIT. */
gboolean    rapport_server_parse_pull_wait   (GHashTable *query,
                                              guint      *wait,
                                              GError    **error);
gboolean    rapport_server_parse_backlog_query (GHashTable *query,
                                                gint64     *at,
                                                char      **user,
                                                GError    **error);

G_END_DECLS
