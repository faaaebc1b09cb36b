/* rapport-index.c: derived data kept in step with every record write */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include "rapport-ebook-private.h"
#include "rapport-store-indexes.h"
#include "rapport-store-private.h"

/* Runs a cached statement with text parameters (NULL binds NULL). */
static gboolean
run (RapportStore *self, GError **error, const char *sql, guint n_params, ...)
{
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, error);
  va_list args;
  int rc;

  if (stmt == NULL)
    return FALSE;
  va_start (args, n_params);
  for (guint i = 0; i < n_params; i++)
    sqlite3_bind_text (stmt, (int) i + 1, va_arg (args, const char *), -1, SQLITE_TRANSIENT);
  va_end (args);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rapport_store_set_sqlite_error (self, error, N_("update the indexes"));
  return TRUE;
}

gint64
rapport_store_rowid (RapportStore *self, const RapportEntity *entity, const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rowid FROM %s WHERE id = ?", entity->table);
  sqlite3_stmt *stmt = rapport_store_prepare (self, sql, NULL);
  gint64 rowid = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rowid;
}

/* Latin letters that no decomposition takes to ASCII, spelled as people
 * spell them without the letter. */
static const char *
sort_key_letter (gunichar ch)
{
  switch (ch)
    {
    case 0x00DF: case 0x1E9E: return "ss";              /* ß ẞ */
    case 0x00C6: case 0x00E6: return "ae";              /* Æ æ */
    case 0x0152: case 0x0153: return "oe";              /* Œ œ */
    case 0x00DE: case 0x00FE: return "th";              /* Þ þ */
    case 0x00D0: case 0x00F0: case 0x0110: case 0x0111: /* Ð ð Đ đ */
    case 0x0189: case 0x0256: return "d";               /* Ɖ ɖ */
    case 0x00D8: case 0x00F8: return "o";               /* Ø ø */
    case 0x0141: case 0x0142: return "l";               /* Ł ł */
    case 0x0126: case 0x0127: return "h";               /* Ħ ħ */
    case 0x0131: return "i";                            /* ı */
    case 0x0166: case 0x0167: return "t";               /* Ŧ ŧ */
    case 0x014A: case 0x014B: return "ng";              /* Ŋ ŋ */
    case 0x0138: return "q";                            /* ĸ */
    case 0x017F: return "s";                            /* ſ */
    case 0x0192: return "f";                            /* ƒ */
    case 0x01B7: case 0x0292: return "z";               /* Ʒ ʒ */
    case 0x00B7: return "";                             /* the middle dot of l·l */
    case '|': return " ";                               /* contact_keys' separator */
    default: return NULL;
    }
}

/**
 * rapport_index_sort_key:
 *
 * The key contacts are sorted and found by, the same on every desktop
 * whatever its locale (it is stored, and a team's lists must agree): case
 * and accents removed ("Zoë" sorts with "zoe"), letters without an accent
 * to remove spelled out ("Þór" as "thor", "Ægir" as "aegir", "Łukasz" as
 * "lukasz", "Straße" as "strasse"), other scripts kept (after the Latin
 * ones). Never holds '|'. rapport-sort-keys.c recomputes the keys of a
 * store written with an older rule.
 *
 * Returns: (transfer full): @name folded for sorting.
 */
char *
rapport_index_sort_key (const char *name)
{
  g_autofree char *decomposed = NULL;
  g_autoptr (GString) out = NULL;
  const char *p;

  if (name == NULL)
    return g_strdup ("");
  for (p = name; *p && !((guchar) *p & 0x80); p++)
    ;
  if (*p == '\0')
    {
      char *key = g_ascii_strdown (name, -1);
      for (char *c = strchr (key, '|'); c != NULL; c = strchr (c, '|'))
        *c = ' ';
      return key;
    }
  /* Compatibility decomposition: "é" is "e" and a mark, "ﬁ" is "fi". */
  decomposed = g_utf8_normalize (name, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");
  out = g_string_sized_new (strlen (decomposed));
  for (p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      const char *letter = sort_key_letter (ch);

      if (letter != NULL)
        g_string_append (out, letter);
      else if (g_unichar_type (ch) != G_UNICODE_NON_SPACING_MARK)
        g_string_append_unichar (out, ch);
    }
  return g_utf8_casefold (out->str, (gssize) out->len);
}

/* Whether FTS5's own folding ("unicode61 remove_diacritics 2") already
 * spells @word as plain ASCII: each of its other letters is one of Latin-1
 * and Latin Extended-A (U+00C0 to U+017F) made of an ASCII letter and
 * marks, such as "ë" or "ę". test-search.c checks every such letter
 * against SQLite's tokenizer. Letters with no mark to remove (ø, ł, ß, æ)
 * and other blocks say no. */
static gboolean
folded_by_fts (const char *word, gsize length)
{
  for (const char *p = word; p < word + length; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      gunichar parts[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n;

      if (ch < 0x80)
        continue;
      if (ch < 0xC0 || ch > 0x17F)
        return FALSE;
      n = g_unichar_fully_decompose (ch, FALSE, parts, G_N_ELEMENTS (parts));
      if (n < 2 || parts[0] >= 0x80 || !g_ascii_isalpha ((char) parts[0]))
        return FALSE;
      for (gsize i = 1; i < n; i++)
        if (g_unichar_type (parts[i]) != G_UNICODE_NON_SPACING_MARK)
          return FALSE;
    }
  return TRUE;
}

/* Appends " " and @word's ASCII transliteration, if it has one, and
 * with "o" for "ø", which is transliterated "oe" yet as often typed "o"
 * ("Sorensen"). */
static void
append_transliterated (GString *out, const char *word, gsize length)
{
  g_autofree char *copy = g_strndup (word, length);
  g_autofree char *ascii = g_str_to_ascii (copy, "C");
  const char *p;

  /* Other scripts have no transliteration ("Иван" is "????"). */
  for (p = ascii; *p && !g_ascii_isalnum (*p); p++)
    ;
  if (*p == '\0')
    return;
  g_string_append_printf (out, " %s", ascii);
  if (strstr (copy, "ø") != NULL || strstr (copy, "Ø") != NULL)
    {
      g_autoptr (GString) with_o = g_string_new (copy);
      g_autofree char *plain_o = NULL;

      g_string_replace (with_o, "ø", "o", 0);
      g_string_replace (with_o, "Ø", "O", 0);
      plain_o = g_str_to_ascii (with_o->str, "C");
      g_string_append_printf (out, " %s", plain_o);
    }
}

/**
 * rapport_index_search_text:
 *
 * Returns: (transfer full) (nullable): @text as the search index holds it:
 *   followed by the ASCII transliteration of each word that FTS5's
 *   diacritic folding would not spell in ASCII, because it leaves letters
 *   such as ø, ł, æ and ß alone, and people type "Sorensen" for
 *   "Sørensen". Words it folds itself ("Zoë") are not repeated: every
 *   term repeated is written to the index four times (prefix indexes).
 */
char *
rapport_index_search_text (const char *text)
{
  const char *p;
  GString *out;

  if (text == NULL)
    return NULL;
  for (p = text; *p && !((guchar) *p & 0x80); p++)
    ;
  if (*p == '\0')
    return g_strdup (text);
  out = g_string_new (text);
  for (p = text; *p;)
    {
      const char *end;

      while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
      for (end = p; *end && *end != ' ' && *end != '\t' && *end != '\n'; end++)
        ;
      if (end > p && !folded_by_fts (p, (gsize) (end - p)))
        append_transliterated (out, p, (gsize) (end - p));
      p = end;
    }
  return g_string_free (out, FALSE);
}

/**
 * rapport_phone_digits:
 *
 * Returns: (transfer full): the digits of @phone, in order.
 */
char *
rapport_phone_digits (const char *phone)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = phone; p && *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return g_string_free (digits, FALSE);
}

/* The national digits of an international number ("+44 20 7946 0018" ->
 * "02079460018"), as libphonenumber gives them. Parsing takes tens of
 * microseconds, so the result is remembered per country and leading digits:
 * numbers that begin alike and have as many digits are formatted alike (a
 * national trunk prefix before the national number). A number whose national
 * form is not "prefix + its own digits" is always parsed. The memory is
 * shared by every store of the process (imports run on their own thread). */
static char *
national_digits (const char *phone, const char *digits)
{
  static GHashTable *national;   /* "prefix|length" -> "<code length><trunk>" or "!" */
  static GMutex lock;
  gsize len = strlen (digits);
  g_autofree char *key = g_strdup_printf ("%.8s|%" G_GSIZE_FORMAT, digits, len);
  g_autofree char *cached = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *code = NULL;
  EPhoneNumber *number;
  char *result;
  gsize code_len, rest_len, nat_len;

  g_mutex_lock (&lock);
  if (national == NULL)
    national = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  cached = g_strdup (g_hash_table_lookup (national, key));
  g_mutex_unlock (&lock);

  if (cached != NULL && cached[0] != '!' && (gsize) (cached[0] - '0') < len)
    return g_strconcat (cached + 1, digits + (cached[0] - '0'), NULL);
  number = e_phone_number_from_string (phone, NULL, NULL);
  if (number == NULL)
    return NULL;
  formatted = e_phone_number_to_string (number, E_PHONE_NUMBER_FORMAT_NATIONAL);
  code = g_strdup_printf ("%d", e_phone_number_get_country_code (number, NULL));
  e_phone_number_free (number);
  result = rapport_phone_digits (formatted);
  if (cached != NULL)
    return result;

  code_len = strlen (code);
  nat_len = strlen (result);
  rest_len = len > code_len ? len - code_len : 0;
  g_mutex_lock (&lock);
  if (g_str_has_prefix (digits, code) && code_len <= 3 && rest_len > 0 && nat_len >= rest_len
      && nat_len - rest_len <= 4 && strcmp (result + nat_len - rest_len, digits + code_len) == 0)
    g_hash_table_replace (national, g_steal_pointer (&key),
                          g_strdup_printf ("%c%.*s", (char) ('0' + code_len),
                                           (int) (nat_len - rest_len), result));
  else
    g_hash_table_replace (national, g_steal_pointer (&key), g_strdup ("!"));
  g_mutex_unlock (&lock);
  return result;
}

/* The forms of a phone number a person may type: its digits, and for an
 * international number also its national digits ("+44 20 7946 0018" is
 * "020 7946 0018" in the UK), so either finds it. */
static void
append_phone_forms (GString *text, const char *phone)
{
  g_autofree char *digits = rapport_phone_digits (phone);
  g_autofree char *national = NULL;

  if (*digits == '\0')
    return;
  g_string_append_printf (text, "%s %s ", phone, digits);
  if (phone[0] == '+' && e_phone_number_is_supported ())
    national = national_digits (phone, digits);
  if (national != NULL)
    g_string_append_printf (text, "%s ", national);
}

/**
 * rapport_index_prepare_phones:
 * @phones: a contact's phones
 *
 * Parses the international numbers among @phones with libphonenumber, on
 * any thread, so that their national forms are remembered by the time
 * rapport_index_values_text() needs them: a pull reads a page of contacts
 * on one thread while the page before is written on another.
 */
void
rapport_index_prepare_phones (JsonArray *phones)
{
  for (guint i = 0; phones && i < json_array_get_length (phones); i++)
    {
      JsonObject *object = json_array_get_object_element (phones, i);
      const char *value = json_object_get_string_member_with_default (object, "value", NULL);
      g_autofree char *digits = NULL;

      if (value == NULL || value[0] != '+' || !e_phone_number_is_supported ())
        continue;
      digits = rapport_phone_digits (value);
      if (*digits != '\0')
        g_free (national_digits (value, digits));
    }
}

/**
 * rapport_index_values_text:
 * @array: a contact's emails or phones
 *
 * Returns: (transfer full): the full-text column for them.
 */
char *
rapport_index_values_text (JsonArray *array, gboolean phones)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *value = json_object_get_string_member_with_default (object, "value", NULL);

      if (value == NULL)
        continue;
      if (phones)
        append_phone_forms (text, value);
      else
        g_string_append_printf (text, "%s ", value);
    }
  return g_string_free (text, FALSE);
}

static gboolean
refresh_last_interaction (RapportStore *self, const char *contact_id, GError **error)
{
  gboolean held;

  if (contact_id == NULL)
    return TRUE;
  if (!rapport_store_hold_last_interactions (self, &held, error))
    return FALSE;
  if (held)
    return TRUE;
  return run (self, error,
              "UPDATE contacts SET last_interaction_at = (SELECT max (occurred_at) FROM interactions "
              "WHERE contact_id = ?1 AND deleted = 0) WHERE id = ?1",
              1, contact_id);
}

static GQuark
search_data_off_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("rapport-search-data-off");
  return quark;
}

/**
 * rapport_store_set_search_data:
 * @keep: whether record writes keep the full-text rows, tags and duplicate
 *   keys (the default); the sync server, which never searches, turns it off
 *
 * For this connection. Sort keys, last interactions and note history are
 * kept either way.
 */
void
rapport_store_set_search_data (RapportStore *self, gboolean keep)
{
  g_return_if_fail (RAPPORT_IS_STORE (self));
  g_object_set_qdata (G_OBJECT (self), search_data_off_quark (), keep ? NULL : GINT_TO_POINTER (1));
}

static gboolean
search_data_kept (RapportStore *self)
{
  return g_object_get_qdata (G_OBJECT (self), search_data_off_quark ()) == NULL;
}

/* The derived data of a contact. A new one (no @old) has no tags or keys
 * yet; its full-text row is still deleted first, in case its rowid is one a
 * purged contact had. */
static gboolean
index_contact_searched (RapportStore *self, RapportContact *old, RapportContact *contact,
                        gint64 rowid, GError **error)
{
  RapportRecord *record = RAPPORT_RECORD (contact);
  g_autofree char *rowid_text = g_strdup_printf ("%" G_GINT64_FORMAT, rowid);
  g_autofree char *sort_key = rapport_index_sort_key (contact->name);
  g_autofree char *emails = rapport_index_values_text (contact->emails, FALSE);
  g_autofree char *phones = rapport_index_values_text (contact->phones, TRUE);
  g_autofree char *tags = contact->tags ? g_strjoinv (" ", contact->tags) : g_strdup ("");
  g_autofree char *name_text = rapport_index_search_text (contact->name);
  g_autofree char *organization_text = rapport_index_search_text (contact->organization);

  if (!run (self, error, "UPDATE contacts SET sort_key = ? WHERE id = ?", 2, sort_key, record->id)
      || !run (self, error, "DELETE FROM contacts_fts WHERE rowid = ?", 1, rowid_text)
      || !run (self, error,
               "INSERT INTO contacts_fts (rowid, name, organization, emails, phones, tags) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               6, rowid_text, name_text, organization_text, emails, phones, tags))
    return FALSE;
  if (old != NULL
      && (!run (self, error, "DELETE FROM contact_tags WHERE contact_id = ?", 1, record->id)
          || !run (self, error, "DELETE FROM contact_keys WHERE contact_id = ?", 1, record->id)))
    return FALSE;

  for (char **t = contact->tags; t && *t; t++)
    if (!run (self, error, "INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)", 2,
              record->id, *t))
      return FALSE;
  for (guint i = 0; contact->emails && i < json_array_get_length (contact->emails); i++)
    {
      JsonObject *o = json_array_get_object_element (contact->emails, i);
      g_autofree char *key = g_utf8_casefold (json_object_get_string_member_with_default (o, "value", ""), -1);
      if (*key && !run (self, error, "INSERT OR IGNORE INTO contact_keys VALUES (?, 'email', ?)", 2,
                        record->id, key))
        return FALSE;
    }
  for (guint i = 0; contact->phones && i < json_array_get_length (contact->phones); i++)
    {
      JsonObject *o = json_array_get_object_element (contact->phones, i);
      g_autofree char *key = rapport_phone_digits (json_object_get_string_member_with_default (o, "value", ""));
      if (strlen (key) >= 6 && !run (self, error, "INSERT OR IGNORE INTO contact_keys VALUES (?, 'phone', ?)",
                                     2, record->id, key))
        return FALSE;
    }
  if (!refresh_last_interaction (self, record->id, error))
    return FALSE;
  if (sort_key[0] != '\0')
    {
      g_autofree char *name_key = g_strdup_printf ("%s|%s", sort_key,
                                                   contact->organization ? contact->organization : "");
      if (!run (self, error, "INSERT OR IGNORE INTO contact_keys VALUES (?, 'name', ?)", 2,
                record->id, name_key))
        return FALSE;
    }
  return TRUE;
}

/* Without search data (the server's store): the sort key and the last
 * interaction only. */
static gboolean
index_contact (RapportStore *self, RapportContact *old, RapportContact *contact, gint64 rowid,
               GError **error)
{
  RapportRecord *record = RAPPORT_RECORD (contact);

  if (!search_data_kept (self))
    {
      g_autofree char *key = rapport_index_sort_key (contact->name);

      /* One write of the row for both. */
      return run (self, error,
                  "UPDATE contacts SET sort_key = ?2, last_interaction_at = (SELECT max (occurred_at) "
                  "FROM interactions WHERE contact_id = ?1 AND deleted = 0) WHERE id = ?1",
                  2, record->id, key);
    }
  return index_contact_searched (self, old, contact, rowid, error);
}

static gboolean
index_text (RapportStore *self, RapportRecord *record, gint64 rowid, const char *fts,
            const char *column, const char *text, GError **error)
{
  g_autofree char *rowid_text = g_strdup_printf ("%" G_GINT64_FORMAT, rowid);
  g_autofree char *delete_sql = g_strdup_printf ("DELETE FROM %s WHERE rowid = ?", fts);
  g_autofree char *insert_sql = g_strdup_printf ("INSERT INTO %s (rowid, %s) VALUES (?, ?)", fts, column);

  return run (self, error, delete_sql, 1, rowid_text)
         && run (self, error, insert_sql, 2, rowid_text, text);
}

static gboolean
index_interaction (RapportStore *self, RapportInteraction *old, RapportInteraction *interaction,
                   gint64 rowid, GError **error)
{
  if (search_data_kept (self)
      && !index_text (self, RAPPORT_RECORD (interaction), rowid, "interactions_fts", "summary",
                      interaction->summary, error))
    return FALSE;
  if (old != NULL && g_strcmp0 (old->contact_id, interaction->contact_id) != 0
      && !refresh_last_interaction (self, old->contact_id, error))
    return FALSE;
  return refresh_last_interaction (self, interaction->contact_id, error);
}

static gboolean
index_note (RapportStore *self, RapportNote *old, RapportNote *note, gint64 rowid, GError **error)
{
  if (old != NULL && g_strcmp0 (old->body, note->body) != 0)
    {
      g_autofree char *edited_at = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                    note->updated_at ? note->updated_at
                                                                     : rapport_store_now (self));
      if (!run (self, error,
                "INSERT INTO note_history (note_id, body, edited_by, edited_at) VALUES (?, ?, ?, ?)",
                4, RAPPORT_RECORD (note)->id, old->body,
                note->updated_by ? note->updated_by : note->author, edited_at))
        return FALSE;
    }
  if (!search_data_kept (self))
    return TRUE;
  return index_text (self, RAPPORT_RECORD (note), rowid, "notes_fts", "body", note->body, error);
}

/**
 * rapport_index_record_change_at:
 * @old_record: (nullable): the record before the write; %NULL for a new one
 * @record: the record as written
 * @rowid: the rowid of @record's row, or 0 to look it up
 *
 * Brings derived data in step with a record write, in the same transaction.
 */
gboolean
rapport_index_record_change_at (RapportStore *self, RapportRecord *old_record, RapportRecord *record,
                                gint64 rowid, GError **error)
{
  if (!RAPPORT_IS_CONTACT (record) && !RAPPORT_IS_INTERACTION (record) && !RAPPORT_IS_NOTE (record))
    return TRUE;
  if (rowid == 0)
    rowid = rapport_store_rowid (self, rapport_record_get_entity (record), record->id);
  if (RAPPORT_IS_CONTACT (record))
    return index_contact (self, (RapportContact *) old_record, RAPPORT_CONTACT (record), rowid, error);
  if (RAPPORT_IS_INTERACTION (record))
    return index_interaction (self, (RapportInteraction *) old_record, RAPPORT_INTERACTION (record),
                              rowid, error);
  return index_note (self, (RapportNote *) old_record, RAPPORT_NOTE (record), rowid, error);
}

/**
 * rapport_index_record_change:
 *
 * As rapport_index_record_change_at(), the rowid looked up.
 */
gboolean
rapport_index_record_change (RapportStore *self, RapportRecord *old_record, RapportRecord *record,
                             GError **error)
{
  return rapport_index_record_change_at (self, old_record, record, 0, error);
}
