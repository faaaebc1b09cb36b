/* rapport-generate-rows.c: generated records made ready for the store, off the writing thread */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-generate"

#include "config.h"

#include <string.h>

#include "rapport-generate-private.h"
#include "rapport-id.h"
#include "rapport-json-text.h"
#include "rapport-store-private.h"

static guint
entity_index (const RapportEntity *entity)
{
  const RapportEntity *const *all = rapport_entity_all ();

  for (guint i = 0; all[i] != NULL; i++)
    if (all[i] == entity)
      return i;
  g_assert_not_reached ();
}

/* A contact's derived data, as index_contact() of rapport-index.c makes it:
 * its sort key, its full-text columns, and its duplicate keys (email, phone
 * and name, in that order). */
static void
add_contact_data (RapportGenRow *row, RapportContact *contact)
{
  row->sort_key = rapport_index_sort_key (contact->name);
  row->fts[0] = rapport_index_search_text (contact->name);
  row->fts[1] = rapport_index_search_text (contact->organization);
  row->fts[2] = rapport_index_values_text (contact->emails, FALSE);
  row->fts[3] = rapport_index_values_text (contact->phones, TRUE);
  row->fts[4] = contact->tags ? g_strjoinv (" ", contact->tags) : g_strdup ("");
  row->key_kinds = g_ptr_array_new ();
  row->key_values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; contact->emails && i < json_array_get_length (contact->emails); i++)
    {
      JsonObject *o = json_array_get_object_element (contact->emails, i);
      char *key = g_utf8_casefold (json_object_get_string_member_with_default (o, "value", ""), -1);

      if (*key == '\0')
        {
          g_free (key);
          continue;
        }
      g_ptr_array_add (row->key_kinds, (gpointer) "email");
      g_ptr_array_add (row->key_values, key);
    }
  for (guint i = 0; contact->phones && i < json_array_get_length (contact->phones); i++)
    {
      JsonObject *o = json_array_get_object_element (contact->phones, i);
      char *key = rapport_phone_digits (json_object_get_string_member_with_default (o, "value", ""));

      if (strlen (key) < 6)
        {
          g_free (key);
          continue;
        }
      g_ptr_array_add (row->key_kinds, (gpointer) "phone");
      g_ptr_array_add (row->key_values, key);
    }
  if (row->sort_key[0] != '\0')
    {
      g_ptr_array_add (row->key_kinds, (gpointer) "name");
      g_ptr_array_add (row->key_values, g_strdup_printf ("%s|%s", row->sort_key,
                                                         contact->organization ? contact->organization : ""));
    }
}

/**
 * rapport_gen_row_new:
 * @record: a new record with its id and creation time set; a reference is
 *   taken, and it must not change any more
 *
 * Makes, on any thread, what the writer needs of @record besides the
 * store: its journal entry (every synced field, as rapport_store_save()
 * journals a new record), a change id, and a contact's derived data.
 */
RapportGenRow *
rapport_gen_row_new (RapportRecord *record)
{
  const RapportEntity *entity = rapport_record_get_entity (record);
  RapportGenRow *row;
  GString *journal;

  g_return_val_if_fail (record->id != NULL && record->created_at != 0, NULL);

  row = g_malloc0 (sizeof (RapportGenRow) + 2 * entity->n_fields * sizeof (guint));
  row->record = g_object_ref (record);
  row->entity = entity_index (entity);
  row->change_id = rapport_id_new ();
  journal = g_string_sized_new (1024);
  rapport_json_text_append_record (journal, record, row->spans);
  row->journal_len = journal->len;
  row->journal = g_string_free (journal, FALSE);
  if (RAPPORT_IS_CONTACT (record))
    add_contact_data (row, RAPPORT_CONTACT (record));
  return row;
}

void
rapport_gen_row_free (RapportGenRow *row)
{
  if (row == NULL)
    return;
  g_object_unref (row->record);
  g_free (row->change_id);
  g_free (row->journal);
  g_free (row->stamp);
  g_free (row->sort_key);
  for (guint i = 0; i < G_N_ELEMENTS (row->fts); i++)
    g_free (row->fts[i]);
  g_clear_pointer (&row->key_kinds, g_ptr_array_unref);
  g_clear_pointer (&row->key_values, g_ptr_array_unref);
  g_free (row);
}

void
rapport_gen_batch_clear (RapportGenBatch *batch)
{
  for (guint i = 0; i < batch->n_rows; i++)
    g_clear_pointer (&batch->rows[i], rapport_gen_row_free);
  batch->n_rows = 0;
}

void
rapport_gen_batch_free (RapportGenBatch *batch)
{
  rapport_gen_batch_clear (batch);
  g_free (batch);
}

/* The makers' side of the hand-over ---------------------------------------- */

/* At most this many batches exist: the makers wait for a written one when
 * they are this far ahead. */
#define MAX_BATCHES 16

static void
hand_over (RapportGenerator *gen, gboolean last)
{
  RapportGenBatch *batch = gen->batch;

  gen->batch = NULL;
  if (batch == NULL)
    batch = g_new0 (RapportGenBatch, 1);
  batch->last = last;
  g_async_queue_push (gen->filled, batch);
}

static gboolean
save_now (RapportGenerator *gen, RapportRecord *record, GError **error)
{
  gboolean ok;

  if (gen->in_transaction == 0 && !rapport_store_begin (gen->store, error))
    return FALSE;
  ok = rapport_store_save (gen->store, record, error);
  if (!ok)
    {
      rapport_store_rollback (gen->store);
      gen->in_transaction = 0;
      return FALSE;
    }
  gen->written++;
  gen->in_transaction++;
  return TRUE;
}

gboolean
rapport_generator_emit (RapportGenerator *gen, RapportRecord *record, GError **error)
{
  if (record->created_at == 0)
    record->created_at = gen->now;
  if (gen->through_save)
    return save_now (gen, record, error);

  if (g_atomic_int_get (&gen->cancelled))
    return FALSE;
  if (gen->batch == NULL)
    {
      if (gen->n_batches < MAX_BATCHES)
        {
          gen->batch = g_new0 (RapportGenBatch, 1);
          gen->n_batches++;
        }
      else
        {
          /* Written: its rows are freed here, off the writing thread. */
          gen->batch = g_async_queue_pop (gen->spare);
          rapport_gen_batch_clear (gen->batch);
        }
    }
  gen->batch->rows[gen->batch->n_rows++] = rapport_gen_row_new (record);
  if (gen->batch->n_rows == RAPPORT_GEN_BATCH)
    hand_over (gen, FALSE);
  return TRUE;
}

void
rapport_generator_close (RapportGenerator *gen)
{
  if (!gen->through_save)
    hand_over (gen, TRUE);
}
