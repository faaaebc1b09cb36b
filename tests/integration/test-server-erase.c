/* test-server-erase.c: rapport-server erasure requests, authors of pulled changes, server time */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "test-server-common.h"

/* The person to be erased, and what identifies them. */
#define NAME "Erasmus Privatus"
#define EMAIL "erasmus.privatus@example.org"
static const char *const traces[] = { "Erasmus", "erasmus", "Privatus", "privatus", "ERASMUS-SECRET" };

static char *
erasure (const char *id, const char *contact, const char *stamp)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"entity\":\"contact\",\"record\":\"%s\",\"stamp\":\"%s\","
                          "\"erased\":true,\"fields\":{}}", id, contact, stamp);
}

/* Pushes one change, asserting a 200; returns the answer. */
static TestResponse *
push_one (TestTeam *team, const char *token, const char *change)
{
  const char *changes[] = { change };
  TestResponse *response = test_push (team->session, team->srv->url, token, changes, 1);

  g_assert_cmpuint (response->status, ==, 200);
  return response;
}

static void
push_applied (TestTeam *team, const char *token, const char *change)
{
  g_autoptr (TestResponse) response = push_one (team, token, change);
  g_assert_cmpstr (test_result_status (response, 0), ==, "applied");
}

/* A contact owned by @owner (a user id), created by @owner with @token. */
static char *
new_contact (TestTeam *team, const char *token, const char *owner, const char *name)
{
  char *id = g_uuid_string_random ();
  g_autofree char *change_id = g_uuid_string_random ();
  g_autofree char *stamp = test_stamp (0, NULL);
  g_autofree char *fields = g_strdup_printf ("{\"name\":\"%s\",\"owner\":\"%s\",\"created_by\":\"%s\"}",
                                             name, owner, owner);
  g_autofree char *change = test_change (change_id, "contact", id, stamp, fields);

  push_applied (team, token, change);
  return id;
}

/* Everything a user pulls from 0, all pages, as one text. */
static char *
pull_text (TestTeam *team, const char *token)
{
  GString *all = g_string_new (NULL);
  gint64 after = 0;

  for (;;)
    {
      g_autoptr (TestResponse) page = test_pull (team->session, team->srv->url, token, after, 5000);

      g_assert_cmpuint (page->status, ==, 200);
      g_string_append (all, page->text);
      after = json_object_get_int_member (page->body, "cursor");
      if (!json_object_get_boolean_member (page->body, "more"))
        break;
    }
  return g_string_free (all, FALSE);
}

/* The changes of one pull page from 0 (5000 at most) about @record. */
static GPtrArray *
pulled_about (TestTeam *team, const char *token, const char *record)
{
  g_autoptr (TestResponse) page = test_pull (team->session, team->srv->url, token, 0, 5000);
  JsonArray *changes = json_object_get_array_member (page->body, "changes");
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (change, "record"), record) == 0)
        g_ptr_array_add (found, json_object_ref (change));
    }
  return found;
}

static void
test_erase_roles (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  struct
  {
    const char *who;
    const char *token;
    gboolean allowed;
  } cases[] = {
    { "staff, not the owner", team->bob_token, FALSE },
    { "staff, the owner", team->alice_token, TRUE },
    { "manager", team->carol_token, TRUE },
    { "admin", team->dave_token, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *contact = new_contact (team, team->alice_token, team->alice, "Owned By Alice");
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *stamp = test_stamp (0, NULL);
      g_autofree char *change = erasure (id, contact, stamp);
      g_autoptr (TestResponse) response = push_one (team, cases[i].token, change);
      g_autoptr (GPtrArray) left = NULL;

      g_test_message ("%s erases alice's contact", cases[i].who);
      g_assert_cmpstr (test_result_status (response, 0), ==, cases[i].allowed ? "applied" : "refused");
      left = pulled_about (team, team->alice_token, contact);
      if (cases[i].allowed)
        {
          /* Only the erasure is left of it. */
          g_assert_cmpuint (left->len, ==, 1);
          g_assert_true (json_object_get_boolean_member (left->pdata[0], "erased"));
        }
      else
        {
          g_assert_true (g_str_has_prefix (test_result_reason (response, 0), "forbidden:"));
          g_assert_cmpuint (left->len, ==, 1);
          g_assert_false (json_object_has_member (left->pdata[0], "erased"));
        }
    }

  /* Forged owner: bob makes himself the owner in the same push; that is
   * refused, and so is the erasure. */
  {
    g_autofree char *contact = new_contact (team, team->alice_token, team->alice, "Owned By Alice");
    g_autofree char *id1 = g_uuid_string_random (), *id2 = g_uuid_string_random ();
    g_autofree char *s1 = test_stamp (0, NULL), *s2 = test_stamp (0, NULL);
    g_autofree char *fields = g_strdup_printf ("{\"owner\":\"%s\"}", team->bob);
    g_autofree char *take = test_change (id1, "contact", contact, s1, fields);
    g_autofree char *erase = erasure (id2, contact, s2);
    const char *changes[] = { take, erase };
    g_autoptr (TestResponse) response = test_push (team->session, team->srv->url, team->bob_token,
                                                   changes, 2);

    g_assert_cmpuint (response->status, ==, 200);
    g_assert_cmpstr (test_result_status (response, 0), ==, "refused");
    g_assert_cmpstr (test_result_status (response, 1), ==, "refused");
    g_assert_true (g_str_has_prefix (test_result_reason (response, 1), "forbidden:"));
  }

  /* An erasure with fields, or of something else than a contact, is invalid. */
  {
    g_autofree char *contact = new_contact (team, team->alice_token, team->alice, "Owned By Alice");
    g_autofree char *id1 = g_uuid_string_random (), *id2 = g_uuid_string_random ();
    g_autofree char *s1 = test_stamp (0, NULL), *s2 = test_stamp (0, NULL);
    g_autofree char *with_fields = g_strdup_printf ("{\"id\":\"%s\",\"entity\":\"contact\",\"record\":\"%s\","
                                                    "\"stamp\":\"%s\",\"erased\":true,"
                                                    "\"fields\":{\"name\":\"X\"}}", id1, contact, s1);
    g_autofree char *of_note = g_strdup_printf ("{\"id\":\"%s\",\"entity\":\"note\",\"record\":\"%s\","
                                                "\"stamp\":\"%s\",\"erased\":true,\"fields\":{}}",
                                                id2, contact, s2);
    const char *changes[] = { with_fields, of_note };
    g_autoptr (TestResponse) response = test_push (team->session, team->srv->url, team->carol_token,
                                                   changes, 2);

    g_assert_cmpstr (test_result_status (response, 0), ==, "refused");
    g_assert_true (g_str_has_prefix (test_result_reason (response, 0), "invalid:"));
    g_assert_cmpstr (test_result_status (response, 1), ==, "refused");
    g_assert_true (g_str_has_prefix (test_result_reason (response, 1), "invalid:"));
  }
}

/* Whether any cell of any table of the database holds one of @traces. */
static char *
find_trace (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *tables = NULL;
  char *found = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table'", -1,
                                       &tables, NULL), ==, SQLITE_OK);
  while (found == NULL && sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (tables, 0);
      char *sql = sqlite3_mprintf ("SELECT * FROM \"%w\"", table);
      sqlite3_stmt *rows = NULL;

      if (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL) != SQLITE_OK)
        {
          /* Virtual tables read through their shadow tables, also listed. */
          sqlite3_free (sql);
          continue;
        }
      while (found == NULL && sqlite3_step (rows) == SQLITE_ROW)
        for (int c = 0; found == NULL && c < sqlite3_column_count (rows); c++)
          {
            const void *bytes = sqlite3_column_blob (rows, c);
            int n = sqlite3_column_bytes (rows, c);

            for (guint t = 0; found == NULL && bytes != NULL && t < G_N_ELEMENTS (traces); t++)
              if (memmem (bytes, n, traces[t], strlen (traces[t])) != NULL)
                found = g_strdup_printf ("%s in table %s", traces[t], table);
          }
      sqlite3_finalize (rows);
      sqlite3_free (sql);
    }
  sqlite3_finalize (tables);
  sqlite3_close (db);
  return found;
}

static void
test_erase_everything (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autofree char *contact = g_uuid_string_random ();
  g_autofree char *keep = NULL;
  g_autofree char *interaction = g_uuid_string_random ();
  g_autofree char *note = g_uuid_string_random ();
  g_autofree char *secret = g_uuid_string_random ();
  g_autofree char *reminder = g_uuid_string_random ();
  g_autofree char *promise = g_uuid_string_random ();
  g_autofree char *erasure_id = g_uuid_string_random ();
  g_autofree char *erasure_change = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autofree char *path = NULL, *trace = NULL;
  g_autoptr (GError) error = NULL;
  struct
  {
    const char *token;
    const char *entity;
    const char *record;
    char *fields;
  } records[] = {
    { team->alice_token, "contact", contact,
      g_strdup_printf ("{\"name\":\"" NAME "\",\"emails\":[{\"label\":\"work\",\"value\":\"" EMAIL "\"}],"
                       "\"tags\":[\"erasmus-tag\"],\"owner\":\"%s\",\"created_by\":\"%s\"}",
                       team->alice, team->alice) },
    { team->alice_token, "interaction", interaction,
      g_strdup_printf ("{\"contact_id\":\"%s\",\"summary\":\"Lunch with Erasmus\",\"logged_by\":\"%s\"}",
                       contact, team->alice) },
    { team->bob_token, "note", note,
      g_strdup_printf ("{\"contact_id\":\"%s\",\"body\":\"Privatus likes tea\",\"author\":\"%s\"}",
                       contact, team->bob) },
    { team->bob_token, "note", secret,
      g_strdup_printf ("{\"contact_id\":\"%s\",\"body\":\"ERASMUS-SECRET\",\"author\":\"%s\","
                       "\"private\":true}", contact, team->bob) },
    { team->alice_token, "reminder", reminder,
      g_strdup_printf ("{\"contact_id\":\"%s\",\"title\":\"Call Erasmus\",\"owner\":\"%s\","
                       "\"created_by\":\"%s\"}", contact, team->alice, team->alice) },
    { team->alice_token, "promise", promise,
      g_strdup_printf ("{\"contact_id\":\"%s\",\"what\":\"Send Privatus a quote\",\"promised_by\":\"%s\","
                       "\"status\":\"open\"}", contact, team->alice) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *stamp = test_stamp (0, NULL);
      g_autofree char *change = test_change (id, records[i].entity, records[i].record, stamp,
                                             records[i].fields);
      push_applied (team, records[i].token, change);
      /* A later edit too: every version must go. */
      if (i == 0)
        {
          g_autofree char *id2 = g_uuid_string_random ();
          g_autofree char *stamp2 = test_stamp (1, NULL);
          g_autofree char *edit = test_change (id2, "contact", contact, stamp2,
                                               "{\"job_title\":\"Erasmus's job\"}");
          push_applied (team, team->bob_token, edit);
        }
      g_free (records[i].fields);
    }
  keep = new_contact (team, team->alice_token, team->alice, "Keep Me");
  before = pull_text (team, team->bob_token);
  g_assert_nonnull (strstr (before, NAME));
  g_assert_nonnull (strstr (before, EMAIL));

  /* The owner's manager erases it; the push is answered with the server time. */
  {
    g_autofree char *stamp = test_stamp (0, NULL);
    g_autoptr (TestResponse) response = NULL;

    erasure_change = erasure (erasure_id, contact, stamp);
    response = push_one (team, team->carol_token, erasure_change);
    g_assert_cmpstr (test_result_status (response, 0), ==, "applied");
    g_assert_true (json_object_has_member (response->body, "server_time"));
    g_assert_cmpint (ABS (json_object_get_int_member (response->body, "server_time")
                          - g_get_real_time () / 1000), <, 60000);
  }

  /* No pull of anyone returns any of it; every desktop gets the erasure,
   * with its author; the other contact is still there. */
  {
    const char *tokens[] = { team->alice_token, team->bob_token, team->carol_token, team->dave_token };

    for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
      {
        g_autofree char *text = pull_text (team, tokens[i]);
        g_autoptr (GPtrArray) left = pulled_about (team, tokens[i], contact);
        const char *gone[] = { interaction, note, secret, reminder, promise };

        for (guint t = 0; t < G_N_ELEMENTS (traces); t++)
          g_assert_null (strstr (text, traces[t]));
        for (guint g = 0; g < G_N_ELEMENTS (gone); g++)
          g_assert_null (strstr (text, gone[g]));
        g_assert_nonnull (strstr (text, keep));
        g_assert_cmpuint (left->len, ==, 1);
        g_assert_true (json_object_get_boolean_member (left->pdata[0], "erased"));
        g_assert_cmpstr (json_object_get_string_member (left->pdata[0], "id"), ==, erasure_id);
        g_assert_cmpstr (json_object_get_string_member (left->pdata[0], "author"), ==, team->carol);
        g_assert_cmpuint (json_object_get_size (json_object_get_object_member (left->pdata[0], "fields")),
                          ==, 0);
      }
  }

  /* Later changes to any of those records are refused and never stored. */
  {
    g_autofree char *id1 = g_uuid_string_random (), *id2 = g_uuid_string_random ();
    g_autofree char *id3 = g_uuid_string_random (), *fresh = g_uuid_string_random ();
    g_autofree char *s1 = test_stamp (2, NULL), *s2 = test_stamp (2, NULL), *s3 = test_stamp (2, NULL);
    g_autofree char *late_fields = g_strdup_printf ("{\"contact_id\":\"%s\",\"summary\":\"Erasmus again\","
                                                    "\"logged_by\":\"%s\"}", contact, team->alice);
    g_autofree char *edit = test_change (id1, "contact", contact, s1, "{\"name\":\"Erasmus Revived\"}");
    g_autofree char *child = test_change (id2, "note", note, s2, "{\"body\":\"Privatus again\"}");
    g_autofree char *late = test_change (id3, "interaction", fresh, s3, late_fields);
    const char *changes[] = { edit, child, late };
    g_autoptr (TestResponse) response = test_push (team->session, team->srv->url, team->alice_token,
                                                   changes, 3);

    g_assert_cmpuint (response->status, ==, 200);
    for (guint i = 0; i < 3; i++)
      {
        g_assert_cmpstr (test_result_status (response, i), ==, "refused");
        g_assert_true (g_str_has_prefix (test_result_reason (response, i), "erased:"));
      }
  }

  /* The same erasure again: the same answer, nothing more in the log; an
   * erasure of the same contact by another desktop is applied (nothing to do). */
  {
    g_autoptr (TestResponse) again = push_one (team, team->carol_token, erasure_change);
    g_autofree char *other_id = g_uuid_string_random ();
    g_autofree char *stamp = test_stamp (3, NULL);
    g_autofree char *other = erasure (other_id, contact, stamp);
    g_autoptr (TestResponse) second = push_one (team, team->bob_token, other);
    g_autoptr (GPtrArray) left = pulled_about (team, team->bob_token, contact);

    g_assert_cmpstr (test_result_status (again, 0), ==, "applied");
    g_assert_cmpstr (test_result_status (second, 0), ==, "applied");
    g_assert_cmpuint (left->len, ==, 1);
  }

  after = pull_text (team, team->carol_token);
  for (guint t = 0; t < G_N_ELEMENTS (traces); t++)
    g_assert_null (strstr (after, traces[t]));

  /* The server's SQLite file: nothing of it in any table, shadow tables of
   * the full-text indexes included; then not even in the file's bytes. */
  rapport_test_server_stop (team->srv, &error);
  g_assert_no_error (error);
  path = g_build_filename (team->srv->data_dir, "server.db", NULL);
  trace = find_trace (path);
  g_assert_null (trace);
  {
    g_autofree char *bytes = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
    for (guint t = 0; t < G_N_ELEMENTS (traces); t++)
      {
        if (memmem (bytes, length, traces[t], strlen (traces[t])) != NULL)
          g_test_message ("“%s” is still in the bytes of server.db", traces[t]);
        g_assert_null (memmem (bytes, length, traces[t], strlen (traces[t])));
      }
  }
}

/* Protocol additions 1 and 2: the author of each pulled change; the server
 * clock in every push answer and in each clock-skew refusal. */
static void
test_author_and_server_time (void)
{
  g_autoptr (TestTeam) team = test_team_new (NULL);
  g_autofree char *contact = new_contact (team, team->alice_token, team->alice, "Authored");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *ahead = test_stamp (24 * 3600 * 1000, NULL);
  g_autofree char *change = test_change (id, "contact", contact, ahead, "{\"job_title\":\"Ahead\"}");
  g_autoptr (TestResponse) response = push_one (team, team->bob_token, change);
  g_autoptr (GPtrArray) pulled = pulled_about (team, team->bob_token, contact);
  gint64 now_ms = g_get_real_time () / 1000;
  JsonObject *result;

  g_assert_cmpstr (test_result_status (response, 0), ==, "refused");
  g_assert_true (g_str_has_prefix (test_result_reason (response, 0), "clock skew:"));
  result = json_array_get_object_element (json_object_get_array_member (response->body, "results"), 0);
  g_assert_cmpint (ABS (json_object_get_int_member (result, "server_time") - now_ms), <, 60000);
  g_assert_cmpint (ABS (json_object_get_int_member (response->body, "server_time") - now_ms), <, 60000);

  g_assert_cmpuint (pulled->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (pulled->pdata[0], "author"), ==, team->alice);
  /* Changes the server wrote itself (user records) name no author. */
  {
    g_autoptr (GPtrArray) user = pulled_about (team, team->bob_token, team->dave);

    g_assert_cmpuint (user->len, >=, 1);
    g_assert_false (json_object_has_member (user->pdata[0], "author"));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/erase/roles", test_erase_roles);
  g_test_add_func ("/server/erase/everything", test_erase_everything);
  g_test_add_func ("/server/protocol/author-and-server-time", test_author_and_server_time);
  return g_test_run ();
}
