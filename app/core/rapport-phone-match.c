/* rapport-phone-match.c: phone numbers compared as numbers, for the duplicate rule */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-core"

#include "config.h"

#include <string.h>

#include "rapport-duplicates-private.h"
#include "rapport-ebook-private.h"
#include "rapport-import.h"
#include "rapport-store-private.h"

/* How numbers that begin alike, with as many digits, read in a region: the
 * leading digits to drop for the national significant number, the country
 * code, and the trunk prefix of the national form ("0" in GB). Parsing takes
 * tens of microseconds; this is remembered so 100,000 rows parse a few
 * hundred times. A number whose parts are not "prefix + its own digits" is
 * always parsed. */
typedef struct
{
  gboolean parsed;
  guint strip;
  char cc[8];
  char trunk[8];
} PhonePattern;

typedef struct
{
  char cc[8];
  char *nsn;
  char trunk[8];
} PhoneParts;

#define PATTERN_DIGITS 5

static GHashTable *patterns;   /* "region+digits|length" -> PhonePattern */
static GMutex patterns_lock;

static gboolean
parse_phone (const char *phone, const char *digits, const char *region, PhoneParts *parts,
             PhonePattern *pattern)
{
  g_autofree char *nsn = NULL;
  g_autofree char *national = NULL;
  g_autofree char *national_digits = NULL;
  EPhoneNumber *number;
  gsize len = strlen (digits), nsn_len, nat_len;
  int cc;

  number = e_phone_number_from_string (phone, region, NULL);
  if (number == NULL)
    return FALSE;
  cc = e_phone_number_get_country_code (number, NULL);
  nsn = e_phone_number_get_national_number (number);
  national = e_phone_number_to_string (number, E_PHONE_NUMBER_FORMAT_NATIONAL);
  e_phone_number_free (number);
  if (cc <= 0 || nsn == NULL || *nsn == '\0')
    return FALSE;
  national_digits = rapport_phone_digits (national);
  nsn_len = strlen (nsn);
  nat_len = strlen (national_digits);
  g_snprintf (parts->cc, sizeof parts->cc, "%d", cc);
  if (nat_len >= nsn_len && nat_len - nsn_len < sizeof parts->trunk
      && g_str_equal (national_digits + nat_len - nsn_len, nsn))
    g_strlcpy (parts->trunk, national_digits, nat_len - nsn_len + 1);
  else
    parts->trunk[0] = '\0';
  /* Remembered only when the number is its leading digits and its NSN. */
  pattern->parsed = len >= nsn_len && g_str_equal (digits + len - nsn_len, nsn);
  pattern->strip = len - nsn_len;
  memcpy (pattern->cc, parts->cc, sizeof pattern->cc);
  memcpy (pattern->trunk, parts->trunk, sizeof pattern->trunk);
  parts->nsn = g_steal_pointer (&nsn);
  return TRUE;
}

/* The country code, national significant number and trunk prefix of a
 * number; FALSE when libphonenumber cannot read it. */
static gboolean
phone_parts (const char *phone, const char *digits, const char *region, PhoneParts *parts)
{
  gsize len = strlen (digits);
  char key[64];
  PhonePattern *known, found = { 0 };

  if (!e_phone_number_is_supported ())
    return FALSE;
  while (g_ascii_isspace (*phone))
    phone++;
  /* "GB+44207|12": the region, a plus, the first five digits (a country
   * code and the start of an area code, or a trunk prefix and an area
   * code), the length. Five rather than six: a fourth as many parses of
   * 200,000 numbers (Find duplicates on team-100k). */
  {
    gsize n = MIN (strlen (region), 8), d = MIN (len, PATTERN_DIGITS);
    char *k = key;

    memcpy (k, region, n);
    k += n;
    if (phone[0] == '+')
      *k++ = '+';
    memcpy (k, digits, d);
    k += d;
    *k++ = '|';
    *k++ = (char) ('0' + MIN (len, 60) / 10);
    *k++ = (char) ('0' + MIN (len, 60) % 10);
    *k = '\0';
  }
  g_mutex_lock (&patterns_lock);
  if (patterns == NULL)
    patterns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  known = g_hash_table_lookup (patterns, key);
  if (known != NULL)
    found = *known;
  g_mutex_unlock (&patterns_lock);

  if (known != NULL && found.parsed && found.strip < len && found.strip <= 6)
    {
      memcpy (parts->cc, found.cc, sizeof parts->cc);
      memcpy (parts->trunk, found.trunk, sizeof parts->trunk);
      parts->nsn = g_strdup (digits + found.strip);
      return TRUE;
    }
  if (!parse_phone (phone, digits, region, parts, &found))
    return FALSE;
  if (known == NULL)
    {
      g_mutex_lock (&patterns_lock);
      g_hash_table_replace (patterns, g_strdup (key), g_memdup2 (&found, sizeof found));
      g_mutex_unlock (&patterns_lock);
    }
  return TRUE;
}

int
rapport_phone_region_country_code (const char *region)
{
  if (!e_phone_number_is_supported ())
    return 0;
  return e_phone_number_get_country_code_for_region (region, NULL);
}

static void
add_key (GPtrArray *keys, char *key)
{
  if (strlen (key) < 6)
    {
      g_free (key);
      return;
    }
  for (guint i = 0; i < keys->len; i++)
    if (g_str_equal (keys->pdata[i], key))
      {
        g_free (key);
        return;
      }
  g_ptr_array_add (keys, key);
}

void
rapport_phone_keys_add (GPtrArray *keys, const char *phone, const char *region, int region_cc)
{
  g_autofree char *digits = rapport_phone_digits (phone);
  PhoneParts parts = { { 0 } };
  char region_cc_text[8];
  char *t = region_cc_text + sizeof region_cc_text - 1;

  if (strlen (digits) < 6)
    return;
  add_key (keys, g_strdup (digits));
  if (!phone_parts (phone, digits, region, &parts))
    return;
  *t = '\0';
  for (int cc = MAX (region_cc, 0); t == region_cc_text + sizeof region_cc_text - 1 || cc > 0; cc /= 10)
    *--t = (char) ('0' + cc % 10);
  add_key (keys, g_strconcat (parts.cc, parts.nsn, NULL));
  add_key (keys, g_strconcat ("00", parts.cc, parts.nsn, NULL));
  if (parts.trunk[0] != '\0')
    add_key (keys, g_strconcat (parts.cc, parts.trunk, parts.nsn, NULL));
  if (g_str_equal (parts.cc, t))
    {
      add_key (keys, g_strconcat (parts.trunk, parts.nsn, NULL));
      add_key (keys, g_strdup (parts.nsn));
    }
  if (region_cc == 1)
    add_key (keys, g_strconcat ("011", parts.cc, parts.nsn, NULL));
  g_free (parts.nsn);
}

GStrv
rapport_phone_match_keys (const char *phone, const char *region)
{
  g_autofree char *default_region = NULL;
  GPtrArray *keys = g_ptr_array_new ();

  g_return_val_if_fail (phone != NULL, NULL);
  if (region == NULL)
    region = default_region = rapport_import_default_region ();
  rapport_phone_keys_add (keys, phone, region, rapport_phone_region_country_code (region));
  g_ptr_array_add (keys, NULL);
  return (GStrv) g_ptr_array_free (keys, FALSE);
}

gboolean
rapport_phones_match (const char *a, const char *b, const char *region)
{
  g_autofree char *da = rapport_phone_digits (a);
  g_autofree char *db = rapport_phone_digits (b);
  g_auto (GStrv) ka = NULL;
  g_auto (GStrv) kb = NULL;

  if (*da == '\0' || *db == '\0')
    return FALSE;
  if (g_str_equal (da, db))
    return TRUE;
  ka = rapport_phone_match_keys (a, region);
  kb = rapport_phone_match_keys (b, region);
  return g_strv_contains ((const char *const *) ka, db) || g_strv_contains ((const char *const *) kb, da);
}
