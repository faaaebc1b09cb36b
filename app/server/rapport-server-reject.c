/* rapport-server-reject.c: requests refused before their body is read (too large) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-server-http-private.h"

/* After refusing an oversized body, read and drop at most this much more of
 * it (so the client can read the answer before the connection closes). */
#define DRAIN_LIMIT (1024 * 1024)
#define DRAIN_TIMEOUT_S 5

/* Oversized bodies --------------------------------------------------------- */

/* A request refused before its body was read: the connection is taken from
 * libsoup, answered, half-closed, and drained for a bounded time so the
 * client sees the answer rather than a reset. */
typedef struct
{
  GIOStream *stream;
  GSocket *socket;
  GBytes *answer;
  GCancellable *cancellable;
  guint timeout_id;
  gsize drained;
  char buffer[16384];
} Rejection;

static void
rejection_free (Rejection *rejection)
{
  g_clear_handle_id (&rejection->timeout_id, g_source_remove);
  g_clear_object (&rejection->stream);
  g_clear_object (&rejection->socket);
  g_clear_object (&rejection->cancellable);
  g_clear_pointer (&rejection->answer, g_bytes_unref);
  g_free (rejection);
}

static void
rejection_closed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  rejection_free (data);
}

static void
rejection_close (Rejection *rejection)
{
  g_clear_handle_id (&rejection->timeout_id, g_source_remove);
  g_io_stream_close_async (rejection->stream, G_PRIORITY_DEFAULT, NULL, rejection_closed_cb, rejection);
}

static void
rejection_drained_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Rejection *rejection = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || (rejection->drained += n) >= DRAIN_LIMIT)
    {
      rejection_close (rejection);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (rejection->stream), rejection->buffer,
                             sizeof rejection->buffer, G_PRIORITY_LOW, rejection->cancellable,
                             rejection_drained_cb, rejection);
}

static gboolean
rejection_timeout_cb (gpointer data)
{
  Rejection *rejection = data;

  rejection->timeout_id = 0;
  g_cancellable_cancel (rejection->cancellable);
  return G_SOURCE_REMOVE;
}

static void
rejection_written_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Rejection *rejection = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      rejection_close (rejection);
      return;
    }
  if (rejection->socket != NULL)
    g_socket_shutdown (rejection->socket, FALSE, TRUE, NULL);
  rejection->timeout_id = g_timeout_add_seconds (DRAIN_TIMEOUT_S, rejection_timeout_cb, rejection);
  g_input_stream_read_async (g_io_stream_get_input_stream (rejection->stream), rejection->buffer,
                             sizeof rejection->buffer, G_PRIORITY_LOW, rejection->cancellable,
                             rejection_drained_cb, rejection);
}

static void
reject_early (RapportServerHttp *self, SoupServerMessage *msg, guint status, const char *code,
              const char *message)
{
  g_autoptr (JsonObject) body = rapport_server_error_object (code, message);
  g_autofree char *text = rapport_server_answer_text (self, body);
  Rejection *rejection = g_new0 (Rejection, 1);
  GString *answer = g_string_new (NULL);
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autofree char *address = g_strdup (rapport_server_http_remote_host (msg));
  g_autofree char *path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));

  g_string_append_printf (answer,
                          "HTTP/1.1 %u %s\r\nContent-Type: application/json; charset=utf-8\r\n"
                          "Content-Length: %zu\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n%s",
                          status, soup_status_get_phrase (status), strlen (text), text);
  rejection->answer = g_string_free_to_bytes (answer);
  rejection->socket = socket ? g_object_ref (socket) : NULL;
  rejection->cancellable = g_cancellable_new ();
  rejection->stream = soup_server_message_steal_connection (msg);
  g_message ("%s %s %u (%s) from %s", soup_server_message_get_method (msg), path, status, code,
             address ? address : "?");
  if (rejection->stream == NULL)
    {
      rejection_free (rejection);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (rejection->stream),
                                   g_bytes_get_data (rejection->answer, NULL),
                                   g_bytes_get_size (rejection->answer), G_PRIORITY_DEFAULT, NULL,
                                   rejection_written_cb, rejection);
}

static void
got_chunk_cb (SoupServerMessage *msg, GBytes *chunk, gpointer data)
{
  RapportServerHttp *self = data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body->length > RAPPORT_SERVER_MAX_BODY)
    {
      g_autofree char *message = g_strdup_printf (_("The request body is larger than %d bytes; "
                                                    "send smaller batches"), RAPPORT_SERVER_MAX_BODY);
      g_signal_handlers_disconnect_by_func (msg, got_chunk_cb, data);
      reject_early (self, msg, 413, "too-large", message);
    }
}

void
rapport_server_early_handler_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                  gpointer data)
{
  RapportServerHttp *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > RAPPORT_SERVER_MAX_BODY)
    {
      g_autofree char *message = g_strdup_printf (_("The request body is larger than %d bytes; "
                                                    "send smaller batches"), RAPPORT_SERVER_MAX_BODY);
      reject_early (self, msg, 413, "too-large", message);
      return;
    }
  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self, 0);
}
