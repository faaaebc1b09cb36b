/* rapport-server-crypto.c: password hashes and bearer tokens */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "rapport-error.h"
#include "rapport-server-crypto.h"

static char dummy_hash[crypto_pwhash_STRBYTES];

static gboolean
fast_hashing (void)
{
  return g_strcmp0 (g_getenv ("RAPPORT_SERVER_PWHASH_FAST"), "1") == 0;
}

gboolean
rapport_server_crypto_init (GError **error)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      ok = sodium_init () >= 0;
      if (ok)
        {
          /* The dummy's password is random and forgotten: nothing matches it. */
          char password[33];
          unsigned char bytes[16];

          randombytes_buf (bytes, sizeof bytes);
          sodium_bin2hex (password, sizeof password, bytes, sizeof bytes);
          ok = crypto_pwhash_str (dummy_hash, password, strlen (password),
                                  fast_hashing () ? crypto_pwhash_OPSLIMIT_MIN
                                                  : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                  fast_hashing () ? crypto_pwhash_MEMLIMIT_MIN
                                                  : crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
          sodium_memzero (password, sizeof password);
        }
      g_once_init_leave (&done, 1);
    }
  if (!ok)
    g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_FAILED,
                         _("The cryptography library could not start (out of memory?)"));
  return ok;
}

gboolean
rapport_server_password_check (const char *password, GError **error)
{
  if (password == NULL || g_utf8_strlen (password, -1) < RAPPORT_PASSWORD_MIN_CHARS)
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("The password is too short: use at least %d characters"),
                   RAPPORT_PASSWORD_MIN_CHARS);
      return FALSE;
    }
  if (strlen (password) > RAPPORT_PASSWORD_MAX_BYTES || !g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, RAPPORT_ERROR, RAPPORT_ERROR_INVALID,
                   _("The password must be UTF-8 text of at most %d bytes"),
                   RAPPORT_PASSWORD_MAX_BYTES);
      return FALSE;
    }
  return TRUE;
}

char *
rapport_server_password_hash (const char *password, GError **error)
{
  char out[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (!rapport_server_crypto_init (error) || !rapport_server_password_check (password, error))
    return NULL;
  if (crypto_pwhash_str (out, password, strlen (password),
                         fast_hashing () ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         fast_hashing () ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE)
      != 0)
    {
      g_set_error_literal (error, RAPPORT_ERROR, RAPPORT_ERROR_FAILED,
                           _("Hashing the password ran out of memory; try again"));
      return NULL;
    }
  return g_strdup (out);
}

gboolean
rapport_server_password_verify (const char *hash, const char *password)
{
  if (hash == NULL || password == NULL || strlen (hash) >= crypto_pwhash_STRBYTES
      || strlen (password) > RAPPORT_PASSWORD_MAX_BYTES || !rapport_server_crypto_init (NULL))
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

const char *
rapport_server_password_dummy_hash (void)
{
  rapport_server_crypto_init (NULL);
  return dummy_hash;
}

char *
rapport_server_token_new (void)
{
  unsigned char bytes[RAPPORT_TOKEN_BYTES];
  char text[sodium_base64_ENCODED_LEN (RAPPORT_TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  if (!rapport_server_crypto_init (NULL))
    return NULL;
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (text, sizeof text, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (text);
}

char *
rapport_server_token_hash (const char *token)
{
  unsigned char digest[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  g_return_val_if_fail (token != NULL, NULL);

  crypto_generichash (digest, sizeof digest, (const unsigned char *) token, strlen (token), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  return g_strdup (hex);
}
