/* test-server-common.h: requests to a real rapport-server for the server tests */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "server-fixture.h"

G_BEGIN_DECLS

#define TEST_PASSWORD "correct horse battery staple"

typedef struct
{
  guint status;
  char *text;          /* the body as received */
  JsonObject *body;    /* the body when it is a JSON object, else NULL */
} TestResponse;

void          test_response_free   (TestResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestResponse, test_response_free)

/* A session that fails a request after 60 s rather than hanging. */
SoupSession  *test_session_new     (void);

/* One synchronous request. @token may be NULL; @body NULL sends none;
 * @content_type NULL means application/json. */
TestResponse *test_request         (SoupSession *session,
                                    const char  *base_url,
                                    const char  *method,
                                    const char  *path,
                                    const char  *token,
                                    const char  *content_type,
                                    const char  *body,
                                    gssize       length);

/* POST /v1/login, asserting 200; returns the token. */
char         *test_login           (SoupSession *session,
                                    const char  *base_url,
                                    const char  *user,
                                    const char  *password);

/* A valid HLC stamp @offset_ms from now for device @device (16 hex digits). */
char         *test_stamp           (gint64       offset_ms,
                                    const char  *device);

/* A change as JSON text: @fields_json is a JSON object text. */
char         *test_change          (const char  *id,
                                    const char  *entity,
                                    const char  *record,
                                    const char  *stamp,
                                    const char  *fields_json);

/* POST /v1/push of @n changes (JSON texts). */
TestResponse *test_push            (SoupSession *session,
                                    const char  *base_url,
                                    const char  *token,
                                    const char *const *changes,
                                    guint        n);

/* The status of result @i of a push answer, and its reason. */
const char   *test_result_status   (TestResponse *response,
                                    guint         i);
const char   *test_result_reason   (TestResponse *response,
                                    guint         i);

/* GET /v1/pull?after=&limit= */
TestResponse *test_pull            (SoupSession *session,
                                    const char  *base_url,
                                    const char  *token,
                                    gint64       after,
                                    guint        limit);

/* Whether a pull answer carries a change of @record (and, when not NULL,
 * with field @field). */
gboolean      test_pull_has        (TestResponse *response,
                                    const char   *record,
                                    const char   *field);

/* Pulls everything visible to @token from 0, all pages; returns the ids of
 * the records seen, as a set. */
GHashTable   *test_pull_all_records (SoupSession *session,
                                     const char  *base_url,
                                     const char  *token);

/* A server started with users alice (staff, Sales), bob (staff, Sales),
 * carol (manager), dave (admin); their ids and tokens. */
typedef struct
{
  RapportTestServer *srv;
  SoupSession *session;
  char *alice, *bob, *carol, *dave;
  char *alice_token, *bob_token, *carol_token, *dave_token;
} TestTeam;

TestTeam     *test_team_new        (const char *const *extra_env);
void          test_team_free       (TestTeam *team);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestTeam, test_team_free)

G_END_DECLS
