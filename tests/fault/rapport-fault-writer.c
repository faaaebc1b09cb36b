/* rapport-fault-writer.c: writes records forever, printing each committed id */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-fault"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "rapport-store.h"

/* Usage: rapport-fault-writer DB SEED
 * Writes contacts (with interactions and notes) through the store's write
 * path, alone or in transactions of up to 20 (marked in each contact's
 * source and job title), and after each commit prints
 * "ID BATCH SIZE" for every contact of it, one line each, flushed. It never
 * stops by itself: the crash test kills it with SIGKILL. */

static void
die (const char *what, GError *error)
{
  fprintf (stderr, "rapport-fault-writer: %s: %s\n", what, error ? error->message : "failed");
  exit (2);
}

static RapportContact *
new_contact (GRand *rand, const char *seed, guint batch, guint item, guint size)
{
  RapportContact *contact = rapport_contact_new ();
  g_autofree char *email = g_strdup_printf ("crash%u.%u@example.org", batch, item);

  contact->kind = g_strdup ("person");
  contact->name = g_strdup_printf ("Crash Test %u.%u Zoë", batch, item);
  contact->relationship = g_strdup ("customer");
  contact->cadence_days = g_rand_int_range (rand, 0, 60);
  /* Which transaction it belongs to, and how big that was: the test checks
   * that no transaction is there in part. */
  contact->source = g_strdup_printf ("%s.%u", seed, batch);
  contact->job_title = g_strdup_printf ("%u", size);
  rapport_contact_add_email (contact, "work", email);
  rapport_contact_add_phone (contact, "work", "+49 30 1234567");
  return contact;
}

static gboolean
write_extras (RapportStore *store, GRand *rand, const char *contact_id, GError **error)
{
  guint n = g_rand_int_range (rand, 0, 4);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RapportInteraction) interaction = rapport_interaction_new ();
      interaction->contact_id = g_strdup (contact_id);
      interaction->kind = g_strdup ("call");
      interaction->occurred_at = 1772442000 - g_rand_int_range (rand, 0, 1000000);
      interaction->summary = g_strdup ("Called about the crash test");
      if (!rapport_store_save (store, RAPPORT_RECORD (interaction), error))
        return FALSE;
    }
  if (g_rand_boolean (rand))
    {
      g_autoptr (RapportNote) note = rapport_note_new ();
      note->contact_id = g_strdup (contact_id);
      note->body = g_strdup ("A note written just before the lights went out");
      if (!rapport_store_save (store, RAPPORT_RECORD (note), error))
        return FALSE;
    }
  return TRUE;
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RapportStore) store = NULL;
  GRand *rand;

  if (argc != 3)
    {
      fprintf (stderr, "usage: rapport-fault-writer DB SEED\n");
      return 2;
    }
  store = rapport_store_open (argv[1], &error);
  if (store == NULL)
    die ("open", error);
  rand = g_rand_new_with_seed ((guint32) g_ascii_strtoull (argv[2], NULL, 10));

  for (guint batch = 0;; batch++)
    {
      guint size = g_rand_boolean (rand) ? 1 : (guint) g_rand_int_range (rand, 2, 21);
      g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

      if (!rapport_store_begin (store, &error))
        die ("begin", error);
      for (guint item = 0; item < size; item++)
        {
          g_autoptr (RapportContact) contact = new_contact (rand, argv[2], batch, item, size);

          if (!rapport_store_save (store, RAPPORT_RECORD (contact), &error)
              || !write_extras (store, rand, RAPPORT_RECORD (contact)->id, &error))
            die ("save", error);
          g_ptr_array_add (ids, g_strdup (RAPPORT_RECORD (contact)->id));
        }
      if (!rapport_store_commit (store, &error))
        die ("commit", error);
      /* Only now is the batch acknowledged. */
      for (guint i = 0; i < ids->len; i++)
        printf ("%s %u %u\n", (char *) ids->pdata[i], batch, size);
      fflush (stdout);
    }
  return 0;
}
