/* Passwords (argon2id), random tokens and their hashes, CSRF tokens, constant-time compares. */
#ifndef LARIS_CRYPTO_H
#define LARIS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include "laris/arena.h"

/* crypto_pwhash_STRBYTES: the encoded argon2id hash with its NUL. */
#define LARIS_PASSWORD_HASH_MAX 128
/* A token: prefix (up to 8 chars) + 43 base64url chars of 32 random bytes + NUL. */
#define LARIS_TOKEN_MAX 56
/* Lowercase hex of a SHA-256 digest + NUL. */
#define LARIS_HASH_HEX_MAX 65

/* Initializes libsodium; returns false when it cannot. Call once per process. */
bool laris_crypto_init(void);

/* Hashes a password with argon2id at m = 19 MiB, t = 2 (OWASP's minimum). False when out of
 * memory. out must hold LARIS_PASSWORD_HASH_MAX bytes. */
bool laris_password_hash(const char *password, char out[LARIS_PASSWORD_HASH_MAX]);

/* True when password matches the stored hash. Runs in time independent of where it differs. */
bool laris_password_verify(const char *stored_hash, const char *password);

/* Hashes a fixed dummy so a login for an unknown account costs as much as a real one. */
void laris_password_burn(const char *password);

/* Writes prefix followed by 32 random bytes in base64url (no padding). */
void laris_token_new(const char *prefix, char out[LARIS_TOKEN_MAX]);

/* SHA-256 of a token, as lowercase hex: what the database stores. */
void laris_token_hash_hex(const char *token, char out[LARIS_HASH_HEX_MAX]);

/* The CSRF token of a session: base64url(keyed BLAKE2b of a fixed label under the session
 * token). Derived, so it needs no storage and can be given again by GET /me. */
void laris_csrf_token(const char *session_token, char out[LARIS_TOKEN_MAX]);

/* Constant-time comparison of two NUL-terminated strings (length may leak, content not). */
bool laris_secure_equal(const char *a, const char *b);

/* n random bytes as 2n hex characters plus NUL into out (size >= 2n + 1). */
void laris_random_hex(char *out, size_t n);

/* Secrets at rest (libsodium secretbox, XSalsa20-Poly1305): a 32-byte key, a random 24-byte nonce
 * per seal, stored as nonce || box. */
#define LARIS_SECRET_KEY_BYTES 32
/* What sealing adds to the plaintext: the nonce and the MAC. */
#define LARIS_SECRET_OVERHEAD (24 + 16)

/* Parses 64 hex digits (nothing else, no separators) into key. False when hex is NULL or not
 * exactly that; key is then zeroed. */
bool laris_secret_key_parse(const char *hex, unsigned char key[LARIS_SECRET_KEY_BYTES]);

/* Encrypts len bytes of plaintext under key with a fresh random nonce. *out (len +
 * LARIS_SECRET_OVERHEAD bytes, owned by the arena) gets nonce || box, *out_len its length.
 * Never fails. */
void laris_secret_seal(const unsigned char key[LARIS_SECRET_KEY_BYTES], const void *plaintext,
                       size_t len, laris_arena_t *a, unsigned char **out, size_t *out_len);

/* Decrypts what laris_secret_seal made. On success *out (owned by the arena, NUL-terminated
 * after its *out_len bytes) gets the plaintext. False, with *out NULL, when sealed is too short,
 * was changed, or was sealed under another key. */
bool laris_secret_open(const unsigned char key[LARIS_SECRET_KEY_BYTES], const unsigned char *sealed,
                       size_t len, laris_arena_t *a, unsigned char **out, size_t *out_len);

/* laris_secret_open of a sealed value written as hex (how the queries return bytea columns:
 * encode(..., 'hex')). False, with *out NULL, when hex is NULL or not hex, or as
 * laris_secret_open. */
bool laris_secret_open_hex(const unsigned char key[LARIS_SECRET_KEY_BYTES], const char *hex,
                           laris_arena_t *a, unsigned char **out, size_t *out_len);

#endif
