/* Webhook authenticity: the X-Hub-Signature-256 HMAC over the raw body, and the GET handshake. */
#include "laris/wa.h"

#include <sodium.h>
#include <string.h>

#define SIGNATURE_PREFIX     "sha256="
#define SIGNATURE_PREFIX_LEN (sizeof(SIGNATURE_PREFIX) - 1)
#define DIGEST_BYTES         ((size_t)crypto_auth_hmacsha256_BYTES)

_Static_assert(LARIS_WA_SIGNATURE_MAX >= SIGNATURE_PREFIX_LEN + 2 * DIGEST_BYTES + 1,
               "signature header size");

/* HMAC-SHA256 of body under secret; the init/update/final API takes a key of any length. */
static void hmac(const char *secret, const char *body, size_t len, unsigned char mac[DIGEST_BYTES])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    if (len > 0)
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof(st));
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The value of one hex digit of either case, or -1. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads "sha256=<64 hex digits>", blanks allowed around it, into digest. Timing here depends
 * only on the header, which the sender chose; the secret-dependent compare is elsewhere. */
static bool parse_header(const char *header, unsigned char digest[DIGEST_BYTES])
{
    while (is_blank(*header))
        header++;
    if (strncmp(header, SIGNATURE_PREFIX, SIGNATURE_PREFIX_LEN) != 0)
        return false;
    const char *hex = header + SIGNATURE_PREFIX_LEN;
    for (size_t i = 0; i < DIGEST_BYTES; i++) {
        int hi = hex_value(hex[2 * i]);
        int lo = hi < 0 ? -1 : hex_value(hex[2 * i + 1]);
        if (lo < 0)
            return false;
        digest[i] = (unsigned char)(hi << 4 | lo);
    }
    for (const char *rest = hex + 2 * DIGEST_BYTES; *rest != '\0'; rest++) {
        if (!is_blank(*rest))
            return false;
    }
    return true;
}

bool laris_wa_signature_valid(const char *app_secret, const char *body, size_t len,
                              const char *header)
{
    unsigned char claimed[DIGEST_BYTES], actual[DIGEST_BYTES];
    if (app_secret == NULL || app_secret[0] == '\0' || header == NULL)
        return false;
    if (body == NULL && len > 0)
        return false;
    if (!parse_header(header, claimed))
        return false;
    hmac(app_secret, body, len, actual);
    bool ok = sodium_memcmp(claimed, actual, DIGEST_BYTES) == 0;
    sodium_memzero(actual, sizeof(actual));
    return ok;
}

void laris_wa_signature_header(const char *app_secret, const char *body, size_t len,
                               char out[LARIS_WA_SIGNATURE_MAX])
{
    unsigned char mac[DIGEST_BYTES];
    hmac(app_secret != NULL ? app_secret : "", body, body != NULL ? len : 0, mac);
    memcpy(out, SIGNATURE_PREFIX, SIGNATURE_PREFIX_LEN);
    sodium_bin2hex(out + SIGNATURE_PREFIX_LEN, 2 * DIGEST_BYTES + 1, mac, DIGEST_BYTES);
}

/* Compares the tokens through fixed-size keyed hashes, so neither content nor length leaks. */
static bool token_matches(const char *token, const char *expected)
{
    static const unsigned char key[crypto_generichash_KEYBYTES] = "laris-wa-verify-token-compare";
    unsigned char h1[crypto_generichash_BYTES], h2[crypto_generichash_BYTES];
    if (expected == NULL || expected[0] == '\0' || token == NULL)
        return false;
    crypto_generichash(h1, sizeof(h1), (const unsigned char *)token, strlen(token), key,
                       sizeof(key));
    crypto_generichash(h2, sizeof(h2), (const unsigned char *)expected, strlen(expected), key,
                       sizeof(key));
    return sodium_memcmp(h1, h2, sizeof(h1)) == 0;
}

/* The challenge is echoed as a response body, so only short plain strings are: 1 to
 * LARIS_WA_CHALLENGE_MAX ASCII letters, digits, '-', '_' or '.'. */
static bool challenge_is_plain(const char *challenge)
{
    if (challenge == NULL || challenge[0] == '\0')
        return false;
    size_t n = 0;
    for (const char *c = challenge; *c != '\0'; c++, n++) {
        bool ok = (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
                  (*c >= 'A' && *c <= 'Z') || *c == '-' || *c == '_' || *c == '.';
        if (!ok || n >= LARIS_WA_CHALLENGE_MAX)
            return false;
    }
    return true;
}

laris_rc laris_wa_verify_handshake(const char *mode, const char *token, const char *challenge,
                                   const char *expected_token, const char **out_challenge)
{
    *out_challenge = NULL;
    if (mode == NULL || strcmp(mode, "subscribe") != 0)
        return LARIS_EFORBIDDEN;
    if (!token_matches(token, expected_token))
        return LARIS_EFORBIDDEN;
    if (!challenge_is_plain(challenge))
        return LARIS_EMALFORMED;
    *out_challenge = challenge;
    return LARIS_OK;
}
