/* rapport-server-http-private.h: internals shared by the HTTP files of rapport-server */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "rapport-server-http.h"

G_BEGIN_DECLS

struct _RapportServerHttp
{
  GObject parent_instance;

  SoupServer *soup;
  RapportServerStore *store;
  RapportServerConfig *config;
  char *url;
  gboolean fault_kill_after_commit;
  guint pending;             /* logins whose password is being checked */
};

/* Answers: every JSON answer carries the epoch. */
void                  rapport_server_http_respond       (RapportServerHttp *self,
                                                         SoupServerMessage *msg,
                                                         guint              status,
                                                         JsonObject        *body);
void                  rapport_server_http_respond_error (RapportServerHttp *self,
                                                         SoupServerMessage *msg,
                                                         const GError      *error);
void                  rapport_server_http_fail          (RapportServerHttp *self,
                                                         SoupServerMessage *msg,
                                                         RapportServerError code,
                                                         const char        *message);

/* The body of a POST, checked for type and size, as a JSON object. */
JsonObject           *rapport_server_http_read_body     (SoupServerMessage *msg,
                                                         GError           **error);
/* The account of the bearer token, or %NULL with UNAUTHORIZED set. */
RapportServerAccount *rapport_server_http_authenticate  (RapportServerHttp *self,
                                                         SoupServerMessage *msg,
                                                         GError           **error);

/* Endpoints (rapport-server-handlers.c). */
void rapport_server_handle_health  (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);
void rapport_server_handle_login   (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);
void rapport_server_handle_logout  (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);
void rapport_server_handle_push    (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);
void rapport_server_handle_pull    (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);
void rapport_server_handle_users   (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);
void rapport_server_handle_backlog (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query);

G_END_DECLS
