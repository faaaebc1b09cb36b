/* rapport-server-handlers.c: the endpoints of the Rapport sync protocol v1 */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "rapport-due.h"
#include "rapport-server-crypto.h"
#include "rapport-server-http-private.h"

#define RATE_WINDOW_S 60
#define MAX_PENDING_LOGINS 8

static JsonObject *
user_object (const RapportServerAccount *account, gboolean with_disabled)
{
  JsonObject *user = json_object_new ();

  json_object_set_string_member (user, "id", account->id);
  json_object_set_string_member (user, "name", account->name);
  json_object_set_string_member (user, "display_name", account->display_name ? account->display_name : "");
  json_object_set_string_member (user, "department", account->department ? account->department : "");
  json_object_set_string_member (user, "role", account->role);
  if (with_disabled)
    json_object_set_boolean_member (user, "disabled", account->disabled);
  return user;
}

void
rapport_server_handle_health (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query)
{
  g_autoptr (JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "version", PACKAGE_VERSION);
  rapport_server_http_respond (self, msg, 200, body);
}

/* Login -------------------------------------------------------------------- */

/* Verifying a password costs tens of milliseconds and 64 MiB by design: it
 * runs in a worker thread while the message waits, so other clients are
 * served meanwhile. */
typedef struct
{
  RapportServerHttp *self;
  SoupServerMessage *msg;
  char *address;
  RapportServerAccount *account;  /* NULL: unknown or disabled */
  char *hash;
  char *password;
} Login;

static void
login_free (Login *login)
{
  g_object_unref (login->self);
  g_object_unref (login->msg);
  g_free (login->address);
  g_clear_pointer (&login->account, rapport_server_account_free);
  g_free (login->hash);
  if (login->password != NULL)
    {
      sodium_memzero (login->password, strlen (login->password));
      g_free (login->password);
    }
  g_free (login);
}

static void
login_verify_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Login *login = data;
  gboolean ok = rapport_server_password_verify (login->hash, login->password);

  g_task_return_boolean (task, ok && login->account != NULL);
}

static void
login_answer (Login *login)
{
  RapportServerHttp *self = login->self;
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *token = rapport_server_token_new ();
  g_autofree char *hash = NULL;
  gint64 now = rapport_server_now ();
  gint64 expires_at = now + self->config->token_lifetime_seconds;

  hash = rapport_server_token_hash (token);
  if (!rapport_server_store_add_token (self->store, hash, login->account->id, now, expires_at, &error))
    {
      rapport_server_http_respond_error (self, login->msg, error);
      return;
    }
  json_object_set_string_member (body, "token", token);
  json_object_set_int_member (body, "expires_at", expires_at);
  json_object_set_object_member (body, "user", user_object (login->account, FALSE));
  rapport_server_http_respond (self, login->msg, 200, body);
  sodium_memzero (token, strlen (token));
  g_message ("%s signed in from %s", login->account->name, login->address);
}

static void
login_verified_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Login *login = data;
  RapportServerHttp *self = login->self;
  g_autoptr (GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), NULL))
    login_answer (login);
  else
    {
      if (!rapport_server_store_note_login_failure (self->store, login->address, rapport_server_now (),
                                                    &error))
        rapport_server_http_respond_error (self, login->msg, error);
      else
        rapport_server_http_fail (self, login->msg, RAPPORT_SERVER_ERROR_UNAUTHORIZED,
                                  _("The user name or password is wrong"));
      g_message ("failed sign-in from %s", login->address);
    }
  soup_server_message_unpause (login->msg);
  self->pending--;
  login_free (login);
}

void
rapport_server_handle_login (RapportServerHttp *self, SoupServerMessage *msg, GHashTable *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *user = NULL;
  g_autoptr (GTask) task = NULL;
  const char *address = rapport_server_http_remote_host (msg);
  gint64 now = rapport_server_now ();
  Login *login;

  /* Each check takes 64 MiB: a flood of sign-ins waits its turn. */
  if (self->pending >= MAX_PENDING_LOGINS)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "5");
      rapport_server_http_fail (self, msg, RAPPORT_SERVER_ERROR_RATE_LIMITED,
                                _("The server is busy signing people in; try again in a few seconds"));
      return;
    }
  if (rapport_server_store_count_login_failures (self->store, address, now - RATE_WINDOW_S)
      >= self->config->login_failures_per_minute)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "60");
      rapport_server_http_fail (self, msg, RAPPORT_SERVER_ERROR_RATE_LIMITED,
                                _("Too many failed sign-ins from your address; wait a minute and try again"));
      return;
    }
  body = rapport_server_http_read_body (msg, &error);
  login = g_new0 (Login, 1);
  login->self = g_object_ref (self);
  login->msg = g_object_ref (msg);
  login->address = g_strdup (address);
  if (body == NULL || !rapport_server_parse_login (body, &user, &login->password, &error))
    {
      login_free (login);
      rapport_server_http_respond_error (self, msg, error);
      return;
    }
  login->account = rapport_server_store_find_account (self->store, user, &error);
  if (login->account == NULL && !g_error_matches (error, RAPPORT_ERROR, RAPPORT_ERROR_NOT_FOUND))
    {
      login_free (login);
      rapport_server_http_respond_error (self, msg, error);
      return;
    }
  /* Unknown and disabled users are checked against a hash that never
   * matches, so the answer and its timing are the same as a wrong password. */
  if (login->account != NULL && (login->account->disabled || login->account->password_hash == NULL))
    g_clear_pointer (&login->account, rapport_server_account_free);
  login->hash = g_strdup (login->account ? login->account->password_hash
                                         : rapport_server_password_dummy_hash ());
  soup_server_message_pause (msg);
  self->pending++;
  task = g_task_new (self, NULL, login_verified_cb, login);
  g_task_set_source_tag (task, rapport_server_handle_login);
  g_task_set_task_data (task, login, NULL);
  g_task_run_in_thread (task, login_verify_thread);
}

void
rapport_server_job_logout (RapportServerHttp *self, RapportServerStore *store, RapportServerCall *call)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportServerAccount) account = rapport_server_call_authenticate (self, store, call, &error);
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;

  if (account == NULL)
    {
      rapport_server_call_respond_error (self, call, error);
      return;
    }
  token = rapport_server_parse_bearer (call->authorization);
  hash = rapport_server_token_hash (token);
  if (!rapport_server_store_revoke_token (store, hash, &error))
    {
      rapport_server_call_respond_error (self, call, error);
      return;
    }
  rapport_server_call_respond (self, call, 200, NULL);
}

/* Sync --------------------------------------------------------------------- */

static gint64
server_time_ms (gint64 now)
{
  /* Milliseconds of the clock the skew check used (a test clock is whole
   * seconds; the real one is read again for its milliseconds). */
  if (g_getenv ("RAPPORT_SERVER_NOW_FILE") == NULL)
    return MAX (now * 1000, g_get_real_time () / 1000);
  return now * 1000;
}

static JsonObject *
result_object (RapportPushResult *result, gint64 now)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", result->id);
  json_object_set_string_member (object, "status", rapport_push_status_to_string (result->status));
  if (result->reason != NULL)
    json_object_set_string_member (object, "reason", result->reason);
  if (result->reason != NULL && g_str_has_prefix (result->reason, "clock skew:"))
    json_object_set_int_member (object, "server_time", server_time_ms (now));
  if (result->lost != NULL)
    {
      JsonArray *lost = json_array_new ();
      for (guint i = 0; result->lost[i]; i++)
        json_array_add_string_element (lost, result->lost[i]);
      json_object_set_array_member (object, "lost", lost);
    }
  return object;
}

/* In a reader: the token checked and the body parsed; the writer thread
 * applies the batch, then answers with rapport_server_push_answer(). */
void
rapport_server_job_push (RapportServerHttp *self, RapportServerStore *store, RapportServerCall *call)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportServerAccount) account = rapport_server_call_authenticate (self, store, call, &error);
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GPtrArray) items = NULL;

  if (account == NULL || (body = rapport_server_call_read_body (call, &error)) == NULL
      || (items = rapport_server_parse_push (body, &error)) == NULL)
    {
      rapport_server_call_respond_error (self, call, error);
      return;
    }
  /* The body is not needed any more: a large one is freed before the work. */
  g_clear_pointer (&body, json_object_unref);
  g_clear_pointer (&call->body, g_bytes_unref);
  /* The change log stores the fields that won as text: when all do (most
   * pushes), the one writer thread takes this text made here, in parallel. */
  for (guint i = 0; i < items->len; i++)
    {
      RapportPushItem *item = items->pdata[i];

      if (item->change != NULL && !item->erased && item->change->fields != NULL)
        {
          g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), item->change->fields);

          item->fields_text = json_to_string (node, FALSE);
        }
    }
  call->batch = rapport_server_batch_new (account, items, rapport_server_now ());
  call->then = rapport_server_push_answer;
}

/* In the writer thread, after the commit. */
void
rapport_server_push_answer (RapportServerHttp *self, RapportServerCall *call)
{
  RapportServerBatch *batch = call->batch;
  g_autoptr (JsonObject) answer = NULL;
  JsonArray *array;

  if (batch->error != NULL)
    {
      rapport_server_call_respond_error (self, call, batch->error);
      return;
    }
  answer = json_object_new ();
  array = json_array_new ();
  for (guint i = 0; i < batch->results->len; i++)
    {
      RapportPushResult *result = batch->results->pdata[i];

      if (result->status == RAPPORT_PUSH_REFUSED)
        g_info ("refused change %s from %s: %s", result->id, batch->account->name, result->reason);
      json_array_add_object_element (array, result_object (result, batch->now));
    }
  json_object_set_array_member (answer, "results", array);
  json_object_set_int_member (answer, "cursor", batch->cursor);
  json_object_set_int_member (answer, "server_time", server_time_ms (batch->now));
  rapport_server_call_respond (self, call, 200, answer);
}

/* A pull may wait (`wait`) for changes: a look that finds nothing to send
 * parks the call (rapport-server-waiters.c), after the entries it examined,
 * and a commit wakes it for another look. Its answer, made here, is sent as
 * it is when its time runs out. */
static void
pull_maybe_park (RapportServerCall *call, guint wait, guint n_changes, gboolean more, gint64 cursor)
{
  gint64 now = g_get_monotonic_time ();

  if (wait > 0 && call->wait_until == 0)
    call->wait_until = now + wait * G_USEC_PER_SEC;
  call->park = n_changes == 0 && !more && call->wait_until > now + 50 * 1000;
  if (call->park)
    g_hash_table_replace (call->query, g_strdup ("after"),
                          g_strdup_printf ("%" G_GINT64_FORMAT, cursor));
}

void
rapport_server_job_pull (RapportServerHttp *self, RapportServerStore *store, RapportServerCall *call)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportServerAccount) account = rapport_server_call_authenticate (self, store, call, &error);
  GString *page;
  gint64 after = 0, cursor = 0;
  gboolean more = FALSE;
  guint limit = 0, n_changes = 0, wait = 0;

  call->park = FALSE;
  if (account == NULL || !rapport_server_parse_pull_query (call->query, &after, &limit, &error)
      || !rapport_server_parse_pull_wait (call->query, &wait, &error))
    {
      rapport_server_call_respond_error (self, call, error);
      return;
    }
  /* The page is written as text: each change's stored JSON spliced in. */
  page = g_string_sized_new (4096);
  g_string_append (page, "{\"changes\":[");
  if (!rapport_server_store_pull (store, account, after, limit, page, &n_changes, &cursor, &more,
                                  &error))
    {
      g_string_free (page, TRUE);
      rapport_server_call_respond_error (self, call, error);
      return;
    }
  g_string_append_printf (page, "],\"cursor\":%" G_GINT64_FORMAT ",\"more\":%s}", cursor,
                          more ? "true" : "false");
  rapport_server_call_respond_text (self, call, 200, page);
  if (call->query != NULL)
    {
      if (call->account_id == NULL)
        call->account_id = g_strdup (account->id);
      pull_maybe_park (call, wait, n_changes, more, cursor);
    }
}

void
rapport_server_job_users (RapportServerHttp *self, RapportServerStore *store, RapportServerCall *call)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportServerAccount) account = rapport_server_call_authenticate (self, store, call, &error);
  g_autoptr (GPtrArray) accounts = NULL;
  g_autoptr (JsonObject) answer = NULL;
  JsonArray *array;

  if (account == NULL || (accounts = rapport_server_store_list_accounts (store, &error)) == NULL)
    {
      rapport_server_call_respond_error (self, call, error);
      return;
    }
  answer = json_object_new ();
  array = json_array_new ();
  for (guint i = 0; i < accounts->len; i++)
    json_array_add_object_element (array, user_object (accounts->pdata[i], TRUE));
  json_object_set_array_member (answer, "users", array);
  rapport_server_call_respond (self, call, 200, answer);
}

static JsonObject *
backlog_row_object (const RapportBacklogRow *row)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "owner", row->owner ? row->owner : "");
  json_object_set_string_member (object, "owner_name", row->owner_name ? row->owner_name : "");
  json_object_set_int_member (object, "overdue_1_7", row->overdue_1_7);
  json_object_set_int_member (object, "overdue_8_30", row->overdue_8_30);
  json_object_set_int_member (object, "overdue_31_plus", row->overdue_31_plus);
  json_object_set_int_member (object, "due_this_week", row->due_this_week);
  json_object_set_int_member (object, "going_cold", row->going_cold);
  json_object_set_int_member (object, "promises_at_risk", row->promises_at_risk);
  json_object_set_int_member (object, "promises_broken", row->promises_broken);
  json_object_set_int_member (object, "complaints_waiting", row->complaints_waiting);
  json_object_set_int_member (object, "oldest_complaint_age", row->oldest_complaint_age);
  return object;
}

void
rapport_server_job_backlog (RapportServerHttp *self, RapportServerStore *store, RapportServerCall *call)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportServerAccount) account = rapport_server_call_authenticate (self, store, call, &error);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autofree char *user = NULL;
  RapportServerActor actor;
  JsonArray *array;
  gint64 at = 0;

  if (account == NULL || !rapport_server_parse_backlog_query (call->query, &at, &user, &error))
    {
      rapport_server_call_respond_error (self, call, error);
      return;
    }
  actor = rapport_server_account_actor (account);
  if (!rapport_server_actor_is_manager (&actor))
    {
      if (user != NULL && g_strcmp0 (user, account->id) != 0)
        {
          rapport_server_call_fail (self, call, RAPPORT_SERVER_ERROR_FORBIDDEN,
                                    _("Only managers see the backlog of other people"));
          return;
        }
      g_free (user);
      user = g_strdup (account->id);
    }
  rows = rapport_server_store_backlog (store, user, at, &error);
  if (rows == NULL)
    {
      rapport_server_call_respond_error (self, call, error);
      return;
    }
  answer = json_object_new ();
  array = json_array_new ();
  for (guint i = 0; i < rows->len; i++)
    json_array_add_object_element (array, backlog_row_object (rows->pdata[i]));
  json_object_set_array_member (answer, "rows", array);
  rapport_server_call_respond (self, call, 200, answer);
}
