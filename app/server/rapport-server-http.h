/* rapport-server-http.h: the HTTP side of rapport-server (libsoup SoupServer) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rapport-server-config.h"
#include "rapport-server-store.h"

G_BEGIN_DECLS

#define RAPPORT_TYPE_SERVER_HTTP (rapport_server_http_get_type ())
G_DECLARE_FINAL_TYPE (RapportServerHttp, rapport_server_http, RAPPORT, SERVER_HTTP, GObject)

RapportServerHttp *rapport_server_http_new     (RapportServerStore  *store,
                                                RapportServerConfig *config,
                                                GError             **error);

/* Listens on the configured address and port (TLS when configured). */
gboolean           rapport_server_http_listen  (RapportServerHttp   *self,
                                                GError             **error);

/* "http://127.0.0.1:PORT" or "https://..." once listening. */
const char        *rapport_server_http_get_url (RapportServerHttp   *self);

void               rapport_server_http_shutdown (RapportServerHttp  *self);

/* Lets work in progress (password checks in threads) finish, up to 10 s. */
void               rapport_server_http_wait_idle (RapportServerHttp *self);

G_END_DECLS
