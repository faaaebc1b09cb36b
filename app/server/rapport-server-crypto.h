/* rapport-server-crypto.h: password hashes and bearer tokens */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bearer tokens are 32 random bytes, sent as 43 characters of unpadded
 * base64url, and stored only as their BLAKE2b-256 hash (64 hex digits). */
#define RAPPORT_TOKEN_BYTES 32

gboolean  rapport_server_crypto_init        (GError     **error);

/* Argon2id (libsodium crypto_pwhash_str) with the interactive limits, or the
 * minimum limits when RAPPORT_SERVER_PWHASH_FAST=1 (test suites only: those
 * hashes are cheap to attack). */
char     *rapport_server_password_hash      (const char  *password,
                                             GError     **error);
gboolean  rapport_server_password_verify    (const char  *hash,
                                             const char  *password);
/* A hash that never matches, verified for unknown users so that a login
 * takes as long whether the user exists or not. */
const char *rapport_server_password_dummy_hash (void);

char     *rapport_server_token_new          (void);
char     *rapport_server_token_hash         (const char  *token);

/* Length limits checked before any hashing. */
#define RAPPORT_PASSWORD_MIN_CHARS 8
#define RAPPORT_PASSWORD_MAX_BYTES 1024

gboolean  rapport_server_password_check     (const char  *password,
                                             GError     **error);

G_END_DECLS
