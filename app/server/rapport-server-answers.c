/* rapport-server-answers.c: requests copied for workers, and their JSON answers */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-json-text.h"
#include "rapport-server-crypto.h"
#include "rapport-server-http-private.h"

/* Answers ------------------------------------------------------------------ */

char *
rapport_server_answer_text (RapportServerHttp *self, JsonObject *body)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonObject) object = body ? json_object_ref (body) : json_object_new ();

  json_object_set_string_member (object, "epoch", rapport_server_store_get_epoch (self->store));
  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

JsonObject *
rapport_server_error_object (const char *code, const char *message)
{
  JsonObject *body = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  json_object_set_object_member (body, "error", error);
  return body;
}

void
rapport_server_call_free (RapportServerCall *call)
{
  if (call == NULL)
    return;
  g_free (call->method);
  g_free (call->path);
  g_clear_pointer (&call->query, g_hash_table_unref);
  g_free (call->authorization);
  g_free (call->content_type);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->batch, rapport_server_batch_free);
  g_free (call->account_id);
  g_free (call->text);
  g_clear_pointer (&call->headers, g_ptr_array_unref);
  g_free (call);
}

void
rapport_server_call_add_header (RapportServerCall *call, const char *name, const char *value)
{
  if (call->headers == NULL)
    call->headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (call->headers, g_strdup (name));
  g_ptr_array_add (call->headers, g_strdup (value));
}

void
rapport_server_call_respond (RapportServerHttp *self, RapportServerCall *call, guint status,
                             JsonObject *body)
{
  call->status = status;
  g_free (call->text);
  call->text = rapport_server_answer_text (self, body);
}

/* @body: (transfer full): a JSON object text with at least one member; the
 * epoch is added. */
void
rapport_server_call_respond_text (RapportServerHttp *self, RapportServerCall *call, guint status,
                                  GString *body)
{
  g_autoptr (GString) member = g_string_new ("\"epoch\":");

  g_return_if_fail (body->len >= 2 && body->str[0] == '{');
  rapport_json_text_append_string (member, rapport_server_store_get_epoch (self->store));
  g_string_append_c (member, ',');
  g_string_insert_len (body, 1, member->str, member->len);
  call->status = status;
  g_free (call->text);
  call->text = g_string_free (body, FALSE);
}

void
rapport_server_call_respond_error (RapportServerHttp *self, RapportServerCall *call,
                                   const GError *error)
{
  g_autoptr (JsonObject) body = NULL;
  guint status = rapport_server_error_http_status (error);

  /* Store errors are the server's fault, not the client's: say so without
   * the details (which name files), and log them. */
  if (error->domain != RAPPORT_SERVER_ERROR || status >= 500)
    {
      g_message ("%s %s failed: %s", call->method, call->path, error->message);
      body = rapport_server_error_object ("internal", _("The server failed to handle this request; try again "
                                         "later, and tell the administrator if it goes on"));
      rapport_server_call_respond (self, call, 500, body);
      return;
    }
  body = rapport_server_error_object (rapport_server_error_wire_code (error), error->message);
  if (status == 401)
    rapport_server_call_add_header (call, "WWW-Authenticate", "Bearer realm=\"rapport\"");
  rapport_server_call_respond (self, call, status, body);
}

void
rapport_server_call_fail (RapportServerHttp *self, RapportServerCall *call, RapportServerError code,
                          const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (RAPPORT_SERVER_ERROR, code, message);
  rapport_server_call_respond_error (self, call, error);
}

/* The answer of a call, given to its message (on the main context). */
void
rapport_server_call_apply (RapportServerCall *call, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize length = call->text ? strlen (call->text) : 0;

  soup_server_message_set_status (msg, call->status ? call->status : 500, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  for (guint i = 0; call->headers && i + 1 < call->headers->len; i += 2)
    soup_message_headers_replace (headers, call->headers->pdata[i], call->headers->pdata[i + 1]);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&call->text), length);
}

static RapportServerCall *
call_for_message (SoupServerMessage *msg)
{
  RapportServerCall *call = g_new0 (RapportServerCall, 1);

  call->method = g_strdup (soup_server_message_get_method (msg));
  call->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  return call;
}

void
rapport_server_http_respond (RapportServerHttp *self, SoupServerMessage *msg, guint status,
                             JsonObject *body)
{
  g_autoptr (RapportServerCall) call = call_for_message (msg);

  rapport_server_call_respond (self, call, status, body);
  rapport_server_call_apply (call, msg);
}

void
rapport_server_http_respond_error (RapportServerHttp *self, SoupServerMessage *msg, const GError *error)
{
  g_autoptr (RapportServerCall) call = call_for_message (msg);

  rapport_server_call_respond_error (self, call, error);
  rapport_server_call_apply (call, msg);
}

void
rapport_server_http_fail (RapportServerHttp *self, SoupServerMessage *msg, RapportServerError code,
                          const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (RAPPORT_SERVER_ERROR, code, message);
  rapport_server_http_respond_error (self, msg, error);
}

static JsonObject *
read_body (const char *content_type, GBytes *bytes, GError **error)
{
  gsize length = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

  if (!rapport_server_content_type_is_json (content_type))
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE,
                           _("Send the body as application/json"));
      return NULL;
    }
  return rapport_server_parse_object (data ? data : "", length, error);
}

JsonObject *
rapport_server_http_read_body (SoupServerMessage *msg, GError **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  return read_body (soup_message_headers_get_content_type (headers, NULL), bytes, error);
}

JsonObject *
rapport_server_call_read_body (RapportServerCall *call, GError **error)
{
  return read_body (call->content_type, call->body, error);
}

RapportServerAccount *
rapport_server_call_authenticate (RapportServerHttp *self, RapportServerStore *store,
                                  RapportServerCall *call, GError **error)
{
  g_autofree char *token = rapport_server_parse_bearer (call->authorization);
  g_autofree char *hash = NULL;
  g_autoptr (GError) local_error = NULL;
  RapportServerAccount *account;

  if (token == NULL)
    {
      g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_UNAUTHORIZED,
                           _("Sign in first: send the token from /v1/login as “Authorization: Bearer TOKEN”"));
      return NULL;
    }
  hash = rapport_server_token_hash (token);
  account = rapport_server_store_check_token (store, hash, rapport_server_now (),
                                              self->config->token_idle_seconds, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (account == NULL)
    g_set_error_literal (error, RAPPORT_SERVER_ERROR, RAPPORT_SERVER_ERROR_UNAUTHORIZED,
                         _("Your session has expired or was ended; sign in again"));
  return account;
}

/* The client's address, read once per connection from its socket.
 * libsoup's own soup_server_message_get_remote_host() logs a warning when
 * the client has gone already (and warnings are fatal in the tests). */
const char *
rapport_server_http_remote_host (SoupServerMessage *msg)
{
  static GQuark quark;
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr (GSocketAddress) address = NULL;
  char *host;

  if (socket == NULL)
    return "?";
  if (quark == 0)
    quark = g_quark_from_static_string ("rapport-server-remote-host");
  host = g_object_get_qdata (G_OBJECT (socket), quark);
  if (host != NULL)
    return host;
  address = g_socket_get_remote_address (socket, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return "?";
  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  g_object_set_qdata_full (G_OBJECT (socket), quark, host, g_free);
  return host;
}
