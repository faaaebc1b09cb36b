/* test-sync-common.h: desktops (a store and a sync client) for sync tests */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rapport-journal.h"
#include "rapport-sync-client.h"
#include "rapport-sync-scheduler.h"
#include "server-fixture.h"
#include "test-common.h"

G_BEGIN_DECLS

/* One desktop: its own store file and a sync client that does not use the
 * keyring (no secret service in tests). */
typedef struct
{
  RapportTestStore *ts;
  RapportStore *store;       /* = ts->store */
  RapportSyncClient *client;
  char *url;
} TestDesktop;

TestDesktop *test_desktop_new          (const char        *server_url);
void         test_desktop_free         (TestDesktop       *d);
/* Closes the store (and the client), so another process can use the file;
 * reopen opens it again with a new client signed in as @user. */
void         test_desktop_close        (TestDesktop       *d);
void         test_desktop_reopen       (TestDesktop       *d,
                                        const char        *user);
/* Signs in; asserts success. */
void         test_desktop_login        (TestDesktop       *d,
                                        const char        *user,
                                        const char        *password);
/* One sync, waiting on the main loop (60 s limit, then the test fails). */
gboolean     test_desktop_sync         (TestDesktop       *d,
                                        RapportSyncStats  *stats,
                                        GError           **error);
/* Sync that must succeed. */
void         test_desktop_sync_ok      (TestDesktop       *d);

RapportContact *test_desktop_add_contact (TestDesktop     *d,
                                          const char      *name);
RapportNote  *test_desktop_add_note    (TestDesktop       *d,
                                        const char        *contact_id,
                                        const char        *body,
                                        gboolean           is_private);
/* Loads @id and sets @field to the JSON @value_json, then saves. */
void         test_desktop_edit         (TestDesktop       *d,
                                        const char        *entity,
                                        const char        *id,
                                        const char        *field,
                                        const char        *value_json);
/* The stored value of @field as JSON text (%NULL when the record is absent). */
char        *test_desktop_field        (TestDesktop       *d,
                                        const char        *entity,
                                        const char        *id,
                                        const char        *field);
/* Every record of @entity (NULL: all but users), one line each, sorted:
 * what two converged desktops must agree on. */
char        *test_desktop_dump         (TestDesktop       *d,
                                        const char        *entity);
/* Rows of the conflicts table of @record_id: "field|reason|lost_value". */
GPtrArray   *test_desktop_conflicts    (TestDesktop       *d,
                                        const char        *record_id);
guint        test_desktop_count        (TestDesktop       *d,
                                        const char        *entity);

/* A server with users alice (staff), bob (staff) and mia (manager), all
 * with the password "secret-pw", started. */
RapportTestServer *test_sync_server_new (void);
/* The same, with one variable set in the server's environment. */
RapportTestServer *test_sync_server_new_with_env (const char *name,
                                                  const char *value);
const char        *test_sync_user_id    (const char        *name);

/* Iterates the main loop until @done(@data) or @timeout_ms (a failure). */
void         test_wait_until           (gboolean         (*done) (gpointer data),
                                        gpointer           data,
                                        guint              timeout_ms,
                                        const char        *what);

#define TEST_PASSWORD "secret-pw"

G_END_DECLS
