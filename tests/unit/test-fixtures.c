/* test-fixtures.c: records for tests, saved through the store's write path */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-fixtures.h"

void
fx_save (RapportStore *store, gpointer record)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rapport_store_save (store, RAPPORT_RECORD (record), &error));
  g_assert_no_error (error);
}

RapportUser *
fx_user (RapportStore *store, const char *name, const char *department, const char *role)
{
  RapportUser *user = rapport_user_new ();

  user->name = g_ascii_strdown (name, -1);
  user->display_name = g_strdup (name);
  user->department = g_strdup (department);
  user->role = g_strdup (role ? role : "staff");
  fx_save (store, user);
  return user;
}

RapportContact *
fx_contact (RapportStore *store, const char *name, const char *owner, gint64 cadence_days,
            gint64 created_at)
{
  RapportContact *contact = rapport_contact_new ();

  contact->kind = g_strdup ("person");
  contact->name = g_strdup (name);
  contact->relationship = g_strdup ("customer");
  contact->owner = g_strdup (owner);
  contact->cadence_days = cadence_days;
  RAPPORT_RECORD (contact)->created_at = created_at;
  fx_save (store, contact);
  return contact;
}

RapportInteraction *
fx_interaction (RapportStore *store, const char *contact_id, const char *kind,
                const char *logged_by, gint64 occurred_at, const char *summary)
{
  RapportInteraction *interaction = rapport_interaction_new ();

  interaction->contact_id = g_strdup (contact_id);
  interaction->kind = g_strdup (kind ? kind : "call");
  interaction->direction = g_strdup ("outbound");
  interaction->logged_by = g_strdup (logged_by);
  interaction->occurred_at = occurred_at;
  interaction->summary = g_strdup (summary ? summary : "Talked");
  if (g_strcmp0 (kind, "complaint") == 0 || g_strcmp0 (kind, "feedback") == 0)
    {
      g_free (interaction->direction);
      interaction->direction = g_strdup ("inbound");
      interaction->awaiting_response = TRUE;
    }
  fx_save (store, interaction);
  return interaction;
}

RapportReminder *
fx_reminder (RapportStore *store, const char *contact_id, const char *owner, gint64 due_at)
{
  RapportReminder *reminder = rapport_reminder_new ();

  reminder->contact_id = g_strdup (contact_id);
  reminder->owner = g_strdup (owner);
  reminder->title = g_strdup ("Follow up");
  reminder->due_at = due_at;
  fx_save (store, reminder);
  return reminder;
}

RapportPromise *
fx_promise (RapportStore *store, const char *contact_id, const char *promised_by,
            const char *deliver_by_user, const char *deliver_by_department, gint64 due_at)
{
  RapportPromise *promise = rapport_promise_new ();

  promise->contact_id = g_strdup (contact_id);
  promise->what = g_strdup ("Send the quote");
  promise->promised_by = g_strdup (promised_by);
  promise->deliver_by_user = g_strdup (deliver_by_user);
  promise->deliver_by_department = g_strdup (deliver_by_department);
  promise->due_at = due_at;
  promise->status = g_strdup ("open");
  fx_save (store, promise);
  return promise;
}

RapportNote *
fx_note (RapportStore *store, const char *contact_id, const char *author, const char *body,
         gboolean is_private)
{
  RapportNote *note = rapport_note_new ();

  note->contact_id = g_strdup (contact_id);
  note->author = g_strdup (author);
  note->body = g_strdup (body);
  note->private = is_private;
  fx_save (store, note);
  return note;
}
