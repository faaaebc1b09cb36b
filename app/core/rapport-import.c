/* rapport-import.c: importing a file in one transaction, duplicates merged */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-codecs"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "rapport-csv.h"
#include "rapport-duplicates-private.h"
#include "rapport-import-private.h"
#include "rapport-merge-contacts.h"
#include "rapport-store-private.h"
#include "rapport-vcard.h"

/* The import ------------------------------------------------------------------ */

typedef struct
{
  RapportStore *store;
  RapportImportSummary *summary;
  RapportDuplicateFinder *dups;
  const char *region;
  const char *source;
  GCancellable *cancellable;
  RapportProgressFunc progress;
  gpointer progress_data;
  double reported;
  guint count;
  RapportBulkWriter *bulk;     /* NULL: new contacts through rapport_store_save() */
  char *me;
  gint64 now;

  /* The file is parsed on a thread of its own, which hands the records
   * over in batches, each new contact's row already made (RapportBulkRow):
   * this thread only writes. */
  RapportImportFormat format;
  char *text;
  gsize length;
  const char *encoding;
  const RapportImportOptions *options;
  GAsyncQueue *queue;          /* (element-type Batch) */
  GPtrArray *batch;            /* (element-type Queued): being filled */
  gint stop;                   /* atomic: the writing side gave up */
  GMutex lock;
  GCond cond;
  guint in_flight;             /* batches queued, at most MAX_IN_FLIGHT */
  GPtrArray *written;          /* (element-type GPtrArray): items to free */
  GThread *thread;             /* the parsing thread, until parse_end() */
  GString *scratch;            /* the parsing thread's, for rapport_bulk_row_new() */
} ImportRun;

#define BATCH_SIZE 256
#define MAX_IN_FLIGHT 16

typedef struct
{
  RapportImportItem *item;
  double fraction;
  RapportBulkRow *row;         /* NULL without a bulk writer */
  RapportDuplicateKeys *keys;  /* what the contact is looked up by */
} Queued;

typedef struct
{
  GPtrArray *items;            /* (element-type Queued) */
  gboolean end;                /* the last batch: the parse's result */
  gboolean ok;
  GError *error;
} Batch;

/* Tests compare the bulk path with the store's own save. */
static gboolean bulk_insert = TRUE;

void
rapport_import_set_bulk_insert (gboolean enabled)
{
  bulk_insert = enabled;
}

static void
report_progress (ImportRun *run, double fraction)
{
  if (run->progress != NULL && (fraction - run->reported >= 0.01 || fraction >= 1.0))
    {
      run->reported = fraction;
      run->progress (MIN (fraction, 1.0), run->progress_data);
    }
}

/* Adds the notes that came with a record, leaving out those the contact
 * already has (the same file imported twice). */
static gboolean
add_notes (ImportRun *run, const char *contact_id, GPtrArray *bodies, gboolean existing,
           GError **error)
{
  g_autoptr (GPtrArray) notes = NULL;

  if (bodies->len == 0)
    return TRUE;
  if (existing)
    {
      char *where = sqlite3_mprintf ("contact_id = %Q AND deleted = 0", contact_id);
      notes = rapport_store_list (run->store, rapport_entity_lookup ("note"), where, error);
      sqlite3_free (where);
      if (notes == NULL)
        return FALSE;
    }
  for (guint i = 0; i < bodies->len; i++)
    {
      g_autoptr (RapportNote) note = NULL;
      gboolean known = FALSE;

      for (guint j = 0; notes && j < notes->len && !known; j++)
        known = g_strcmp0 (RAPPORT_NOTE (notes->pdata[j])->body, bodies->pdata[i]) == 0;
      if (known)
        continue;
      note = rapport_note_new ();
      note->contact_id = g_strdup (contact_id);
      note->body = g_strdup (bodies->pdata[i]);
      note->author = g_strdup (rapport_store_get_me_id (run->store));
      if (!rapport_store_save (run->store, RAPPORT_RECORD (note), error))
        return FALSE;
      run->summary->notes++;
    }
  return TRUE;
}

static gboolean
import_item (ImportRun *run, Queued *q, GError **error)
{
  RapportImportItem *item = q->item;
  RapportBulkRow *row = q->row;
  double fraction = q->fraction;
  RapportContact *incoming = item->contact;
  g_autoptr (RapportContact) existing = NULL;
  g_autoptr (GPtrArray) matches = NULL;
  const char *match;
  RapportContact *contact = incoming;

  if (run->count++ % 64 == 0 && g_cancellable_set_error_if_cancelled (run->cancellable, error))
    return FALSE;
  report_progress (run, fraction);
  run->summary->records++;

  /* The duplicate keys were made on the parsing thread, which also frees
   * them: this thread only looks them up (and copies those it keeps). */
  matches = rapport_duplicate_finder_find_keys (run->dups, incoming, q->keys, NULL, error);
  if (matches == NULL)
    return FALSE;
  match = matches->len > 0 ? matches->pdata[0] : NULL;
  if (match != NULL)
    {
      /* The contact matched may be one of the rows still pending. */
      if (run->bulk != NULL && !rapport_bulk_writer_flush (run->bulk, error))
        return FALSE;
      existing = rapport_store_get_contact (run->store, match, error);
      if (existing == NULL)
        return FALSE;
      /* This row is not inserted: the tags and keys collected for it are
       * left out. */
      if (run->bulk != NULL)
        rapport_bulk_writer_skip (run->bulk, row);
      if (rapport_contact_merge_into (existing, incoming, run->region))
        {
          if (run->bulk != NULL)
            rapport_bulk_writer_forget (run->bulk, match);
          if (!rapport_store_save (run->store, RAPPORT_RECORD (existing), error))
            return FALSE;
        }
      run->summary->merged++;
      contact = existing;
    }
  else
    {
      const char *me = run->me;

      if (incoming->source == NULL)
        incoming->source = g_strdup (run->source);
      if (incoming->owner == NULL && me != NULL)
        incoming->owner = g_strdup (me);
      if (incoming->created_by == NULL && me != NULL)
        incoming->created_by = g_strdup (me);
      if (run->bulk != NULL ? !rapport_bulk_writer_insert (run->bulk, incoming, row, error)
                            : !rapport_store_save (run->store, RAPPORT_RECORD (incoming), error))
        return FALSE;
      run->summary->created++;
    }
  rapport_duplicate_finder_add (run->dups, contact);
  /* A note's change comes after its contact's in the journal. */
  if (item->notes->len > 0 && run->bulk != NULL && !rapport_bulk_writer_flush (run->bulk, error))
    return FALSE;
  return add_notes (run, RAPPORT_RECORD (contact)->id, item->notes, existing != NULL, error);
}

static void
queued_free (gpointer data)
{
  Queued *q = data;

  rapport_import_item_free (q->item);
  g_clear_pointer (&q->row, rapport_bulk_row_free);
  rapport_duplicate_keys_free (q->keys);
  g_free (q);
}

/* The items written are freed by the parsing thread, off the writing
 * thread's path. */
static void
push_batch (ImportRun *run, GPtrArray *items, gboolean end, gboolean ok, GError *error)
{
  Batch *batch = g_new0 (Batch, 1);
  g_autoptr (GPtrArray) written = NULL;

  batch->items = items;
  batch->end = end;
  batch->ok = ok;
  batch->error = error;
  g_mutex_lock (&run->lock);
  while (run->in_flight >= MAX_IN_FLIGHT)
    g_cond_wait (&run->cond, &run->lock);
  run->in_flight++;
  if (run->written->len > 0)
    written = g_steal_pointer (&run->written);
  if (run->written == NULL)
    run->written = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_mutex_unlock (&run->lock);
  g_async_queue_push (run->queue, batch);
}

/* On the parsing thread: takes the item over, with its row if new. */
static gboolean
queue_item_cb (RapportImportItem *item, double fraction, gpointer user_data, GError **error)
{
  ImportRun *run = user_data;
  Queued *q;

  if (g_atomic_int_get (&run->stop))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The import stopped"));
      return FALSE;
    }
  q = g_new0 (Queued, 1);
  q->item = g_new0 (RapportImportItem, 1);
  *q->item = *item;
  item->contact = NULL;
  item->notes = NULL;
  q->fraction = fraction;
  if (run->bulk != NULL)
    {
      if (run->scratch == NULL)
        run->scratch = g_string_sized_new (4096);
      q->row = rapport_bulk_row_new (q->item->contact, run->source, run->me, run->now, run->scratch);
      rapport_bulk_writer_collect (run->bulk, q->item->contact, q->row);
    }
  q->keys = rapport_duplicate_finder_make_keys (run->dups, q->item->contact,
                                                q->row ? rapport_bulk_row_get_sort_key (q->row) : NULL);
  if (run->batch == NULL)
    run->batch = g_ptr_array_new_full (BATCH_SIZE, queued_free);
  g_ptr_array_add (run->batch, q);
  if (run->batch->len >= BATCH_SIZE)
    push_batch (run, g_steal_pointer (&run->batch), FALSE, TRUE, NULL);
  return TRUE;
}

static gboolean parse_into_store (ImportRun *run, GError **error);

static gpointer
parse_thread (gpointer data)
{
  ImportRun *run = data;
  GError *error = NULL;
  gboolean ok = parse_into_store (run, &error);

  /* While the last rows are being written. */
  if (ok && run->bulk != NULL)
    rapport_bulk_writer_sort (run->bulk);
  if (run->scratch != NULL)
    g_string_free (g_steal_pointer (&run->scratch), TRUE);
  if (run->batch == NULL)
    run->batch = g_ptr_array_new_with_free_func (queued_free);
  push_batch (run, g_steal_pointer (&run->batch), TRUE, ok, error);

  /* The last batches are freed here as they come back, while the writing
   * thread goes on with rapport_bulk_writer_finish(). */
  g_mutex_lock (&run->lock);
  for (;;)
    {
      GPtrArray *written;

      while (run->in_flight > 0 && run->written->len == 0)
        g_cond_wait (&run->cond, &run->lock);
      if (run->written->len == 0)
        break;
      written = run->written;
      run->written = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      g_mutex_unlock (&run->lock);
      g_ptr_array_unref (written);
      g_mutex_lock (&run->lock);
    }
  g_mutex_unlock (&run->lock);
  return NULL;
}

/* Writes what the parsing thread hands over, until its last batch. After a
 * failure the rest is only freed (the parse is told to stop). */
static gboolean
write_items (ImportRun *run, GError **error)
{
  gboolean ok = TRUE, end = FALSE;

  while (!end)
    {
      Batch *batch = g_async_queue_pop (run->queue);

      for (guint i = 0; ok && i < batch->items->len; i++)
        {
          Queued *q = batch->items->pdata[i];

          ok = import_item (run, q, error);
        }
      /* The items go back to be freed: none may be pending. */
      if (ok && run->bulk != NULL)
        ok = rapport_bulk_writer_flush (run->bulk, error);
      if (!ok)
        g_atomic_int_set (&run->stop, 1);
      end = batch->end;
      if (end && ok && !batch->ok)
        {
          g_propagate_error (error, g_steal_pointer (&batch->error));
          ok = FALSE;
        }
      g_clear_error (&batch->error);
      g_mutex_lock (&run->lock);
      g_ptr_array_add (run->written, batch->items);
      g_free (batch);
      run->in_flight--;
      g_cond_signal (&run->cond);
      g_mutex_unlock (&run->lock);
    }
  return ok;
}

/* Starts the parsing thread and writes what it hands over; parse_end()
 * waits for it. */
static gboolean
parse_and_write (ImportRun *run, GError **error)
{
  run->queue = g_async_queue_new ();
  run->written = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_mutex_init (&run->lock);
  g_cond_init (&run->cond);
  run->thread = g_thread_new ("rapport-import", parse_thread, run);
  return write_items (run, error);
}

static void
parse_end (ImportRun *run)
{
  if (run->thread == NULL)
    return;
  g_thread_join (g_steal_pointer (&run->thread));
  g_clear_pointer (&run->written, g_ptr_array_unref);
  g_async_queue_unref (run->queue);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->cond);
}

static int
issue_compare (gconstpointer a, gconstpointer b)
{
  const RapportImportIssue *x = *(RapportImportIssue **) a;
  const RapportImportIssue *y = *(RapportImportIssue **) b;

  return x->line < y->line ? -1 : x->line > y->line;
}

static gboolean
detect_format (const char *name, const char *text, gsize length, RapportImportFormat *format)
{
  g_autofree char *lower = name ? g_ascii_strdown (name, -1) : NULL;

  if (*format != RAPPORT_IMPORT_FORMAT_AUTO)
    return TRUE;
  if (rapport_vcard_sniff (text, length))
    *format = RAPPORT_IMPORT_FORMAT_VCARD;
  else if (lower && (g_str_has_suffix (lower, ".vcf") || g_str_has_suffix (lower, ".vcard")))
    *format = RAPPORT_IMPORT_FORMAT_VCARD;
  else
    *format = RAPPORT_IMPORT_FORMAT_CSV;
  return TRUE;
}

/* On the parsing thread. */
static gboolean
parse_into_store (ImportRun *run, GError **error)
{
  RapportImportSummary *summary = run->summary;
  const RapportImportOptions *options = run->options;
  const char *encoding = run->encoding;
  char *text = run->text;
  gsize length = run->length;

  if (run->format == RAPPORT_IMPORT_FORMAT_VCARD)
    {
      summary->format = g_strdup ("vcard");
      summary->encoding = g_strdup (encoding);
      return rapport_vcard_parse (text, length, queue_item_cb, run, summary->issues, error);
    }
  else
    {
      g_autoptr (RapportCsvMapping) mapping = NULL;
      g_autofree char *utf8 = NULL;

      summary->format = g_strdup ("csv");
      summary->encoding = g_strdup (encoding);
      if (options->csv_mapping != NULL)
        mapping = rapport_csv_mapping_ref (options->csv_mapping);
      else
        mapping = rapport_csv_mapping_load (options->mapping, error);
      if (mapping == NULL)
        return FALSE;
      if (!g_utf8_validate (text, length, NULL))
        {
          utf8 = rapport_import_to_utf8 (text, length, "WINDOWS-1252");
          text = utf8;
          length = strlen (utf8);
        }
      return rapport_csv_parse (text, length, mapping, queue_item_cb, run, summary->issues, error);
    }
}

/**
 * rapport_import_bytes:
 * @name: (nullable): the file name, to tell the format and for "source"
 * @progress: (nullable) (scope call): called with the fraction done
 *
 * Imports a vCard or CSV file's bytes in one transaction: a cancelled or
 * failed import leaves the store exactly as it was. Records that match a
 * stored contact (see rapport-merge-contacts.h) are merged into it, so
 * importing a file twice creates nothing new. Malformed records are
 * skipped and listed in the summary with their line.
 *
 * Returns: (transfer full): the summary, or %NULL with @error set
 *   (G_IO_ERROR_CANCELLED when cancelled).
 */
RapportImportSummary *
rapport_import_bytes (RapportStore *store, GBytes *data, const char *name,
                      const RapportImportOptions *options, GCancellable *cancellable,
                      RapportProgressFunc progress, gpointer progress_data, GError **error)
{
  g_autoptr (RapportImportOptions) defaults = rapport_import_options_new ();
  g_autoptr (RapportImportSummary) summary = rapport_import_summary_new ();
  g_autoptr (RapportDuplicateFinder) dups = NULL;
  g_autofree char *text = NULL;
  g_autofree char *region = NULL;
  g_autofree char *basename = name ? g_path_get_basename (name) : NULL;
  g_autofree char *source = NULL;
  RapportImportFormat format;
  const char *encoding = NULL;
  ImportRun run = { 0 };
  gsize length = 0;
  goffset max_size;
  gboolean ok, foreign_keys_off;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (options == NULL)
    options = defaults;
  max_size = options->max_size > 0 ? options->max_size : RAPPORT_IMPORT_MAX_SIZE;
  if ((goffset) g_bytes_get_size (data) > max_size)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("This file is too big to import (%d MB; the limit is %d MB). Split it into smaller files"),
                   (int) (g_bytes_get_size (data) / (1024 * 1024)), (int) (max_size / (1024 * 1024)));
      return NULL;
    }
  format = options->format;
  text = rapport_import_decode (g_bytes_get_data (data, NULL), g_bytes_get_size (data), TRUE,
                                &encoding, &length, error);
  if (text == NULL || !detect_format (name, text, length, &format))
    return NULL;

  region = options->region ? g_ascii_strup (options->region, -1) : rapport_import_default_region ();
  source = options->source ? g_strdup (options->source)
                           : g_strdup_printf ("import: %s", basename ? basename : "file");
  dups = rapport_duplicate_finder_new (store, region);
  run.store = store;
  run.summary = summary;
  run.dups = dups;
  run.region = region;
  run.source = source;
  run.cancellable = cancellable;
  run.progress = progress;
  run.progress_data = progress_data;
  run.bulk = bulk_insert ? rapport_bulk_writer_new (store) : NULL;
  run.me = g_strdup (rapport_store_get_me_id (store));
  run.now = rapport_store_now (store);
  run.format = format;
  run.text = text;
  run.length = length;
  run.encoding = encoding;
  run.options = options;

  /* The rows written in bulk only refer to contacts written in the same
   * transaction, and an import deletes nothing: the foreign keys' checks and
   * cascades have nothing to do (they are back once the import ends). */
  foreign_keys_off = run.bulk != NULL && rapport_store_exec (store, "PRAGMA foreign_keys = OFF", NULL);
  ok = rapport_store_begin (store, error);
  if (ok)
    {
      ok = rapport_duplicate_finder_set_sole_writer (dups, error)
           && (run.bulk == NULL || rapport_bulk_writer_begin (run.bulk, (guint) MIN (length / 128, G_MAXUINT), error))
           && parse_and_write (&run, error)
           && !g_cancellable_set_error_if_cancelled (cancellable, error)
           && (run.bulk == NULL || rapport_bulk_writer_finish (run.bulk, error));
      parse_end (&run);
      if (!ok)
        rapport_store_rollback (store);
      else
        {
          if (summary->created > 0)
            rapport_store_emit_changed (store, "contact", NULL);
          /* Durable at the commit; copied into the file after (see
           * import_thread()) or when the store closes. */
          if (run.bulk != NULL)
            rapport_store_defer_checkpoint (store);
          ok = rapport_store_commit (store, error);
        }
    }
  g_clear_pointer (&run.bulk, rapport_bulk_writer_free);
  g_free (run.me);
  if (foreign_keys_off)
    rapport_store_exec (store, "PRAGMA foreign_keys = ON", NULL);
  if (!ok)
    return NULL;

  g_ptr_array_sort (summary->issues, issue_compare);
  for (guint i = 0; i < summary->issues->len; i++)
    summary->skipped += ((RapportImportIssue *) summary->issues->pdata[i])->line > 0;
  report_progress (&run, 1.0);
  return g_steal_pointer (&summary);
}

#define READ_CHUNK (64 * 1024)

/* Reports @failure (taken) to read @name, a cancellation as it is. */
static void
read_failed (const char *name, GError *failure, GError **error)
{
  if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, failure);
  else
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not read %s: %s"), name, failure->message);
      g_error_free (failure);
    }
}

/**
 * rapport_import_read_stream:
 * @start: (nullable): what was already read of @stream
 * @name: the file's name, for messages
 *
 * Reads @stream to its end after @start, or refuses it once the two hold
 * more than @max_size bytes, or binary data in their first READ_CHUNK
 * bytes: a device or pipe ("/dev/stdin") has no size to check first, and
 * /dev/zero has no end. A pipe can be read only once: whoever looked at its
 * start passes it here as @start.
 *
 * Returns: (transfer full): @start and the rest of @stream, or %NULL with
 *   @error set
 */
GBytes *
rapport_import_read_stream (GInputStream *stream, GBytes *start, const char *name, goffset max_size,
                            GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GByteArray) buffer = g_byte_array_new ();
  gboolean sniffed = FALSE;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  if (start != NULL)
    g_byte_array_append (buffer, g_bytes_get_data (start, NULL), (guint) g_bytes_get_size (start));
  for (;;)
    {
      gsize at = buffer->len, got = 0;

      g_byte_array_set_size (buffer, at + READ_CHUNK);
      if (!g_input_stream_read_all (stream, buffer->data + at, READ_CHUNK, &got, cancellable, &local_error))
        break;
      g_byte_array_set_size (buffer, at + got);
      if (!sniffed && (buffer->len >= READ_CHUNK || got == 0))
        {
          sniffed = TRUE;
          if (rapport_import_holds_binary ((const char *) buffer->data, MIN (buffer->len, READ_CHUNK)))
            {
              g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                           _("%s is not a text file (it holds binary data). Choose a vCard (.vcf) "
                             "file, or save the spreadsheet as CSV"), name);
              return NULL;
            }
        }
      if ((goffset) buffer->len > max_size)
        {
          g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                       _("%s is too big to import (over %d MB). Split it into smaller files"), name,
                       (int) (max_size / (1024 * 1024)));
          return NULL;
        }
      if (got == 0)
        return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
    }
  read_failed (name, g_steal_pointer (&local_error), error);
  return NULL;
}

/**
 * rapport_import_file:
 *
 * Reads @file and imports it as rapport_import_bytes() does. Files over
 * the size limit are refused before they are read.
 */
RapportImportSummary *
rapport_import_file (RapportStore *store, GFile *file, const RapportImportOptions *options,
                     GCancellable *cancellable, RapportProgressFunc progress, gpointer progress_data,
                     GError **error)
{
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *name = NULL;
  goffset max_size;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_parse_name (file);
  max_size = options && options->max_size > 0 ? options->max_size : RAPPORT_IMPORT_MAX_SIZE;
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_IO, _("Could not read %s: %s"), name,
                   local_error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s is a folder; choose a vCard or CSV file"), name);
      return NULL;
    }
  if (g_file_info_get_size (info) > max_size)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("%s is too big to import (%d MB; the limit is %d MB). Split it into smaller files"),
                   name, (int) (g_file_info_get_size (info) / (1024 * 1024)), (int) (max_size / (1024 * 1024)));
      return NULL;
    }
  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      read_failed (name, g_steal_pointer (&local_error), error);
      return NULL;
    }
  data = rapport_import_read_stream (G_INPUT_STREAM (stream), NULL, name, max_size, cancellable, error);
  if (data == NULL)
    return NULL;
  return rapport_import_bytes (store, data, name, options, cancellable, progress, progress_data,
                               error);
}

/* Asynchronous import --------------------------------------------------------
 * The work runs in a thread on its own connection to the store's file
 * (a RapportStore is used from one thread only). The write transaction
 * keeps other writers waiting (SQLite's busy timeout) until it ends; readers
 * go on. Progress is delivered in the caller's main context. When done, the
 * caller's store moves its clock past the stamps written by the thread and
 * announces that contacts and notes changed. */

typedef struct
{
  GFile *file;
  GBytes *contents;       /* the file's, when already read */
  RapportImportOptions *options;
  RapportProgressFunc progress;
  gpointer progress_data;
  GMainContext *context;
  GTask *task;            /* not a reference */
  char *last_stamp;
} AsyncImport;

typedef struct
{
  GTask *task;
  double fraction;
} ProgressEvent;

static void
async_import_free (AsyncImport *ai)
{
  g_clear_object (&ai->file);
  g_clear_pointer (&ai->contents, g_bytes_unref);
  rapport_import_options_free (ai->options);
  g_clear_pointer (&ai->context, g_main_context_unref);
  g_free (ai->last_stamp);
  g_free (ai);
}

static gboolean
progress_idle_cb (gpointer user_data)
{
  ProgressEvent *event = user_data;
  AsyncImport *ai = g_task_get_task_data (event->task);

  if (!g_task_get_completed (event->task))
    ai->progress (event->fraction, ai->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_event_free (gpointer data)
{
  ProgressEvent *event = data;
  g_object_unref (event->task);
  g_free (event);
}

static void
thread_progress_cb (double fraction, gpointer user_data)
{
  AsyncImport *ai = user_data;
  ProgressEvent *event = g_new0 (ProgressEvent, 1);

  g_autoptr (GSource) source = g_idle_source_new ();

  event->task = g_object_ref (ai->task);
  event->fraction = fraction;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, progress_idle_cb, event, progress_event_free);
  g_source_set_static_name (source, "[rapport] import progress");
  g_source_attach (source, ai->context);
}

typedef struct
{
  GTask *task;
  RapportStore *store;
} Checkpoint;

static Checkpoint *
checkpoint_new (GTask *task, RapportStore *store)
{
  Checkpoint *c = g_new0 (Checkpoint, 1);

  c->task = g_object_ref (task);
  c->store = g_object_ref (store);
  return c;
}

/* After the import is reported: its pages go into the store's file now,
 * rather than at the next commit of the window's connection, on the main
 * thread; once the readers that began before the import's commit, if any,
 * are done. The task, and so the window's store, is let go after. */
static gpointer
checkpoint_thread (gpointer data)
{
  Checkpoint *c = data;
  GError *error = NULL;

  if (!rapport_store_checkpoint_all (c->store, &error))
    {
      g_warning ("%s", error->message);
      g_error_free (error);
    }
  g_object_unref (c->store);
  g_object_unref (c->task);
  g_free (c);
  return NULL;
}

static void
import_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  AsyncImport *ai = task_data;
  g_autoptr (RapportStore) store = NULL;
  RapportImportSummary *summary;
  GError *error = NULL;

  /* The caller's store is used from its own thread: this one gets a
   * connection of its own (the file was checked when the store opened). */
  store = rapport_store_open_connection (source_object, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (ai->contents != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (ai->file);

      summary = rapport_import_bytes (store, ai->contents, name, ai->options, cancellable,
                                      ai->progress ? thread_progress_cb : NULL, ai, &error);
    }
  else
    summary = rapport_import_file (store, ai->file, ai->options, cancellable,
                                   ai->progress ? thread_progress_cb : NULL, ai, &error);
  if (summary == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ai->last_stamp = rapport_store_next_stamp (store);
  g_task_return_pointer (task, summary, (GDestroyNotify) rapport_import_summary_free);
  /* GTask reports a threaded task once its function has returned: what
   * the import wrote is copied from the write-ahead log into the store's
   * file in a thread of its own (checkpoint_thread()). */
  g_thread_unref (g_thread_new ("rapport-checkpoint", checkpoint_thread, checkpoint_new (task, store)));
}

/**
 * rapport_import_file_async:
 * @contents: (nullable): what @file holds, when it was read already (a
 *   pipe cannot be read twice; see rapport_import_read_stream())
 * @progress: (nullable) (scope notified): called in the current thread's
 *   main context, until the import completes
 *
 * Imports @file (or @contents, read from it) as rapport_import_file() does,
 * in a worker thread.
 */
void
rapport_import_file_async (RapportStore *store, GFile *file, GBytes *contents,
                           const RapportImportOptions *options, GCancellable *cancellable,
                           RapportProgressFunc progress, gpointer progress_data,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  AsyncImport *ai;

  g_return_if_fail (RAPPORT_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, rapport_import_file_async);
  ai = g_new0 (AsyncImport, 1);
  ai->file = g_object_ref (file);
  ai->contents = contents ? g_bytes_ref (contents) : NULL;
  ai->options = rapport_import_options_copy (options);
  ai->progress = progress;
  ai->progress_data = progress_data;
  ai->context = g_main_context_ref_thread_default ();
  ai->task = task;
  g_task_set_task_data (task, ai, (GDestroyNotify) async_import_free);
  g_task_run_in_thread (task, import_thread);
}

RapportImportSummary *
rapport_import_file_finish (RapportStore *store, GAsyncResult *result, GError **error)
{
  RapportImportSummary *summary;
  AsyncImport *ai;

  g_return_val_if_fail (RAPPORT_IS_STORE (store), NULL);
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rapport_import_file_async, NULL);

  summary = g_task_propagate_pointer (G_TASK (result), error);
  ai = g_task_get_task_data (G_TASK (result));
  if (summary != NULL)
    {
      if (ai->last_stamp != NULL)
        rapport_store_observe_stamp (store, ai->last_stamp, NULL);
      rapport_store_emit_changed (store, "contact", NULL);
      rapport_store_emit_changed (store, "note", NULL);
    }
  return summary;
}
