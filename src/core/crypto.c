/* libsodium wrappers: argon2id passwords, random tokens, token hashes, CSRF tokens, compares. */
#include "laris/crypto.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PWHASH_OPSLIMIT  2
#define PWHASH_MEMLIMIT  ((size_t)19 * 1024 * 1024)
#define TOKEN_BYTES      32
#define TOKEN_PREFIX_MAX 8
#define CSRF_LABEL       "laris-csrf-v1"

_Static_assert(LARIS_PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "password hash size");
_Static_assert(LARIS_TOKEN_MAX >=
                   TOKEN_PREFIX_MAX +
                       sodium_base64_ENCODED_LEN(TOKEN_BYTES,
                                                 sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "token size");
_Static_assert(LARIS_HASH_HEX_MAX == crypto_hash_sha256_BYTES * 2 + 1, "hash hex size");

bool laris_crypto_init(void)
{
    return sodium_init() >= 0;
}

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

bool laris_password_hash(const char *password, char out[LARIS_PASSWORD_HASH_MAX])
{
    password = or_empty(password);
    return crypto_pwhash_str_alg(out, password, strlen(password), PWHASH_OPSLIMIT, PWHASH_MEMLIMIT,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0;
}

bool laris_password_verify(const char *stored_hash, const char *password)
{
    if (stored_hash == NULL) {
        laris_password_burn(password);
        return false;
    }
    password = or_empty(password);
    return crypto_pwhash_str_verify(stored_hash, password, strlen(password)) == 0;
}

/* The dummy is hashed once per process, on first use, with the same parameters as real ones. */
void laris_password_burn(const char *password)
{
    static char dummy[LARIS_PASSWORD_HASH_MAX];
    static bool ready;

    password = or_empty(password);
    if (!ready)
        ready = laris_password_hash("laris-burn-dummy-password", dummy);
    if (ready) {
        int unused = crypto_pwhash_str_verify(dummy, password, strlen(password));
        (void)unused;
    } else {
        char scratch[LARIS_PASSWORD_HASH_MAX];
        (void)laris_password_hash(password, scratch); /* out of memory: still spend the time */
    }
}

void laris_token_new(const char *prefix, char out[LARIS_TOKEN_MAX])
{
    prefix = or_empty(prefix);
    size_t plen = strlen(prefix);
    if (plen > TOKEN_PREFIX_MAX) {
        fprintf(stderr, "laris: token prefix longer than %d characters\n", TOKEN_PREFIX_MAX);
        abort();
    }
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof(raw));
    /* sodium_bin2base64 below writes the rest and the terminating NUL. */
    memcpy(out, prefix, plen); // NOLINT(bugprone-not-null-terminated-result)
    sodium_bin2base64(out + plen, LARIS_TOKEN_MAX - plen, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

void laris_token_hash_hex(const char *token, char out[LARIS_HASH_HEX_MAX])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    token = or_empty(token);
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, LARIS_HASH_HEX_MAX, digest, sizeof(digest));
}

/* The session token is the BLAKE2b key. Our tokens fit the 64-byte key limit; a longer string
 * (a forged cookie) is hashed down to a key first, so it still gets a token of its own. */
void laris_csrf_token(const char *session_token, char out[LARIS_TOKEN_MAX])
{
    unsigned char mac[32];
    unsigned char derived[crypto_generichash_KEYBYTES];
    const unsigned char *key = (const unsigned char *)or_empty(session_token);
    size_t key_len = strlen((const char *)key);

    if (key_len > crypto_generichash_KEYBYTES_MAX) {
        crypto_generichash(derived, sizeof(derived), key, key_len, NULL, 0);
        key = derived;
        key_len = sizeof(derived);
    }
    crypto_generichash(mac, sizeof(mac), (const unsigned char *)CSRF_LABEL, strlen(CSRF_LABEL), key,
                       key_len);
    sodium_bin2base64(out, LARIS_TOKEN_MAX, mac, sizeof(mac),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool laris_secure_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return false;
    size_t len = strlen(a);
    if (strlen(b) != len)
        return false;
    return sodium_memcmp(a, b, len) == 0;
}

void laris_random_hex(char *out, size_t n)
{
    unsigned char chunk[32];
    size_t done = 0;
    out[0] = '\0';
    while (done < n) {
        size_t k = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
        randombytes_buf(chunk, k);
        sodium_bin2hex(out + 2 * done, 2 * k + 1, chunk, k);
        done += k;
    }
    sodium_memzero(chunk, sizeof(chunk));
}

_Static_assert(LARIS_SECRET_KEY_BYTES == crypto_secretbox_KEYBYTES, "secret key size");
_Static_assert(LARIS_SECRET_OVERHEAD == crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES,
               "secret overhead");

bool laris_secret_key_parse(const char *hex, unsigned char key[LARIS_SECRET_KEY_BYTES])
{
    size_t bin_len = 0;
    const char *end = NULL;
    if (hex == NULL || strlen(hex) != (size_t)2 * LARIS_SECRET_KEY_BYTES ||
        sodium_hex2bin(key, LARIS_SECRET_KEY_BYTES, hex, strlen(hex), NULL, &bin_len, &end) != 0 ||
        bin_len != LARIS_SECRET_KEY_BYTES || *end != '\0') {
        sodium_memzero(key, LARIS_SECRET_KEY_BYTES);
        return false;
    }
    return true;
}

void laris_secret_seal(const unsigned char key[LARIS_SECRET_KEY_BYTES], const void *plaintext,
                       size_t len, laris_arena_t *a, unsigned char **out, size_t *out_len)
{
    size_t total = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
    unsigned char *buf = laris_arena_alloc(a, total);
    randombytes_buf(buf, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(buf + crypto_secretbox_NONCEBYTES, plaintext, len, buf, key);
    *out = buf;
    *out_len = total;
}

bool laris_secret_open(const unsigned char key[LARIS_SECRET_KEY_BYTES], const unsigned char *sealed,
                       size_t len, laris_arena_t *a, unsigned char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (sealed == NULL || len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return false;
    size_t plain_len = len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    unsigned char *plain = laris_arena_alloc(a, plain_len + 1);
    if (crypto_secretbox_open_easy(plain, sealed + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, sealed, key) != 0) {
        sodium_memzero(plain, plain_len + 1);
        return false;
    }
    plain[plain_len] = '\0';
    *out = plain;
    *out_len = plain_len;
    return true;
}

bool laris_secret_open_hex(const unsigned char key[LARIS_SECRET_KEY_BYTES], const char *hex,
                           laris_arena_t *a, unsigned char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (hex == NULL)
        return false;
    size_t hex_len = strlen(hex), sealed_len = 0;
    unsigned char *sealed = laris_arena_alloc(a, hex_len / 2 + 1);
    if (sodium_hex2bin(sealed, hex_len / 2 + 1, hex, hex_len, NULL, &sealed_len, NULL) != 0)
        return false;
    return laris_secret_open(key, sealed, sealed_len, a, out, out_len);
}
