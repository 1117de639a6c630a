/* Unit tests for src/core/crypto.c: password hashes, tokens, token hashes, CSRF, compares. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>

#include "laris/crypto.h"

static void setup(void)
{
    cr_assert(laris_crypto_init());
}

TestSuite(crypto, .init = setup);

static bool is_base64url(const char *s)
{
    for (; *s != '\0'; s++) {
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return false;
    }
    return true;
}

Test(crypto, password_hash_then_verify)
{
    char hash[LARIS_PASSWORD_HASH_MAX];
    cr_assert(laris_password_hash("kopi susu 123", hash));
    cr_assert(laris_password_verify(hash, "kopi susu 123"));
}

Test(crypto, wrong_password_fails)
{
    char hash[LARIS_PASSWORD_HASH_MAX];
    cr_assert(laris_password_hash("kopi susu 123", hash));
    cr_assert_not(laris_password_verify(hash, "kopi susu 124"));
    cr_assert_not(laris_password_verify(hash, ""));
    cr_assert_not(laris_password_verify("not a hash", "kopi susu 123"));
    cr_assert_not(laris_password_verify(NULL, "kopi susu 123"));
}

Test(crypto, password_hash_is_argon2id_with_owasp_parameters)
{
    char hash[LARIS_PASSWORD_HASH_MAX];
    cr_assert(laris_password_hash("Tökö 🛍 rahasia", hash));
    cr_assert_eq(strncmp(hash, "$argon2id$", 10), 0, "hash %s", hash);
    cr_assert_not_null(strstr(hash, "m=19456"), "hash %s", hash);
    cr_assert_not_null(strstr(hash, "t=2"), "hash %s", hash);
    cr_assert(laris_password_verify(hash, "Tökö 🛍 rahasia"));
}

Test(crypto, two_hashes_of_one_password_differ)
{
    char a[LARIS_PASSWORD_HASH_MAX], b[LARIS_PASSWORD_HASH_MAX];
    cr_assert(laris_password_hash("same password", a));
    cr_assert(laris_password_hash("same password", b));
    cr_assert_str_neq(a, b, "salts must differ");
    cr_assert(laris_password_verify(a, "same password"));
    cr_assert(laris_password_verify(b, "same password"));
}

Test(crypto, burn_runs_without_a_hash)
{
    laris_password_burn("anything");
    laris_password_burn("anything else");
    laris_password_burn(NULL);
}

Test(crypto, token_has_prefix_length_and_urlsafe_chars)
{
    char t[LARIS_TOKEN_MAX];
    laris_token_new("lss_", t);
    cr_assert_eq(strlen(t), 4 + 43, "token %s", t);
    cr_assert_eq(strncmp(t, "lss_", 4), 0);
    cr_assert(is_base64url(t + 4), "token %s", t);

    laris_token_new("lak_live", t);
    cr_assert_eq(strlen(t), 8 + 43);
    cr_assert_eq(strncmp(t, "lak_live", 8), 0);

    laris_token_new("", t);
    cr_assert_eq(strlen(t), 43);
    cr_assert(is_base64url(t));
}

Test(crypto, token_prefix_too_long_aborts, .signal = SIGABRT)
{
    char t[LARIS_TOKEN_MAX];
    laris_token_new("ninechars", t);
}

Test(crypto, tokens_are_distinct)
{
    char seen[64][LARIS_TOKEN_MAX];
    for (int i = 0; i < 64; i++) {
        laris_token_new("t_", seen[i]);
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(seen[i], seen[j]);
    }
}

Test(crypto, token_hash_is_stable_sha256_hex)
{
    char h1[LARIS_HASH_HEX_MAX], h2[LARIS_HASH_HEX_MAX];
    laris_token_hash_hex("abc", h1);
    /* SHA-256("abc"), FIPS 180-2 test vector. */
    cr_assert_str_eq(h1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    char t[LARIS_TOKEN_MAX];
    laris_token_new("lss_", t);
    laris_token_hash_hex(t, h1);
    laris_token_hash_hex(t, h2);
    cr_assert_eq(strlen(h1), 64);
    cr_assert_eq(strspn(h1, "0123456789abcdef"), 64);
    cr_assert_str_eq(h1, h2);

    t[10] ^= 1;
    laris_token_hash_hex(t, h2);
    cr_assert_str_neq(h1, h2);
}

Test(crypto, csrf_is_deterministic_per_session)
{
    char s1[LARIS_TOKEN_MAX], s2[LARIS_TOKEN_MAX];
    laris_token_new("lss_", s1);
    laris_token_new("lss_", s2);

    char c1[LARIS_TOKEN_MAX], c1again[LARIS_TOKEN_MAX], c2[LARIS_TOKEN_MAX];
    laris_csrf_token(s1, c1);
    laris_csrf_token(s1, c1again);
    laris_csrf_token(s2, c2);
    cr_assert_str_eq(c1, c1again);
    cr_assert_str_neq(c1, c2);
    cr_assert_eq(strlen(c1), 43);
    cr_assert(is_base64url(c1));
    cr_assert_str_neq(c1, s1, "the CSRF token must not be the session token");
}

Test(crypto, csrf_of_an_overlong_token_is_its_own)
{
    char long1[200], long2[200];
    memset(long1, 'a', sizeof(long1) - 1);
    long1[sizeof(long1) - 1] = '\0';
    memcpy(long2, long1, sizeof(long1));
    long2[150] = 'b';

    char c1[LARIS_TOKEN_MAX], c2[LARIS_TOKEN_MAX];
    laris_csrf_token(long1, c1);
    laris_csrf_token(long2, c2);
    cr_assert_eq(strlen(c1), 43);
    cr_assert_str_neq(c1, c2);
}

Test(crypto, secure_equal)
{
    cr_assert(laris_secure_equal("abc", "abc"));
    cr_assert(laris_secure_equal("", ""));
    cr_assert_not(laris_secure_equal("abc", "abd"));
    cr_assert_not(laris_secure_equal("abc", "abcd"));
    cr_assert_not(laris_secure_equal("abcd", "abc"));
    cr_assert_not(laris_secure_equal("", "a"));
    cr_assert_not(laris_secure_equal(NULL, "a"));
    cr_assert_not(laris_secure_equal("a", NULL));
}

Test(crypto, random_hex)
{
    char a[2 * 40 + 1], b[2 * 40 + 1];
    laris_random_hex(a, 40);
    laris_random_hex(b, 40);
    cr_assert_eq(strlen(a), 80);
    cr_assert_eq(strspn(a, "0123456789abcdef"), 80);
    cr_assert_str_neq(a, b);

    char one[3];
    laris_random_hex(one, 1);
    cr_assert_eq(strlen(one), 2);
    char none[1] = {'x'};
    laris_random_hex(none, 0);
    cr_assert_eq(none[0], '\0');
}

/* ---- secrets at rest: laris_secret_seal / laris_secret_open ---- */

static const char key_hex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char token_text[] = "EAAGm0PX4ZCpsBAExampleAccessToken1234567890";

Test(crypto, secret_key_parse)
{
    unsigned char key[LARIS_SECRET_KEY_BYTES];
    cr_assert(laris_secret_key_parse(key_hex, key));
    cr_assert_eq(key[0], 0x00);
    cr_assert_eq(key[31], 0x1f);
    cr_assert(laris_secret_key_parse(
        "FFEEDDCCBBAA99887766554433221100ffeeddccbbaa99887766554433221100", key));
    cr_assert_eq(key[0], 0xff);

    static const char *const bad[] = {
        NULL,
        "",
        "00",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g",
        "00 102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(key, 0xaa, sizeof(key));
        cr_assert_not(laris_secret_key_parse(bad[i], key), "case %zu", i);
        for (size_t j = 0; j < sizeof(key); j++)
            cr_assert_eq(key[j], 0, "case %zu leaves the key zeroed", i);
    }
}

Test(crypto, secret_round_trip)
{
    laris_arena_t *a = laris_arena_create(4096);
    unsigned char key[LARIS_SECRET_KEY_BYTES];
    cr_assert(laris_secret_key_parse(key_hex, key));
    unsigned char *sealed, *plain;
    size_t sealed_len, plain_len;
    laris_secret_seal(key, token_text, strlen(token_text), a, &sealed, &sealed_len);
    cr_assert_eq(sealed_len, strlen(token_text) + LARIS_SECRET_OVERHEAD);
    cr_assert_null(memmem(sealed, sealed_len, token_text, 8), "the plaintext shows through");
    cr_assert(laris_secret_open(key, sealed, sealed_len, a, &plain, &plain_len));
    cr_assert_eq(plain_len, strlen(token_text));
    cr_assert_str_eq((const char *)plain, token_text);

    /* the empty secret round-trips too */
    laris_secret_seal(key, "", 0, a, &sealed, &sealed_len);
    cr_assert_eq(sealed_len, LARIS_SECRET_OVERHEAD);
    cr_assert(laris_secret_open(key, sealed, sealed_len, a, &plain, &plain_len));
    cr_assert_eq(plain_len, 0);
    cr_assert_str_eq((const char *)plain, "");
    laris_arena_destroy(a);
}

Test(crypto, secret_tampered_fails)
{
    laris_arena_t *a = laris_arena_create(4096);
    unsigned char key[LARIS_SECRET_KEY_BYTES];
    cr_assert(laris_secret_key_parse(key_hex, key));
    unsigned char *sealed, *plain;
    size_t sealed_len, plain_len;
    laris_secret_seal(key, token_text, strlen(token_text), a, &sealed, &sealed_len);
    /* every byte matters: the nonce, the MAC and the box */
    for (size_t i = 0; i < sealed_len; i++) {
        sealed[i] ^= 0x01;
        cr_assert_not(laris_secret_open(key, sealed, sealed_len, a, &plain, &plain_len),
                      "byte %zu flipped", i);
        cr_assert_null(plain);
        sealed[i] ^= 0x01;
    }
    cr_assert_not(laris_secret_open(key, sealed, sealed_len - 1, a, &plain, &plain_len));
    cr_assert_not(laris_secret_open(key, sealed, LARIS_SECRET_OVERHEAD - 1, a, &plain, &plain_len));
    cr_assert_not(laris_secret_open(key, NULL, 0, a, &plain, &plain_len));
    cr_assert(laris_secret_open(key, sealed, sealed_len, a, &plain, &plain_len), "intact again");
    laris_arena_destroy(a);
}

Test(crypto, secret_wrong_key_fails)
{
    laris_arena_t *a = laris_arena_create(4096);
    unsigned char key[LARIS_SECRET_KEY_BYTES], other[LARIS_SECRET_KEY_BYTES];
    cr_assert(laris_secret_key_parse(key_hex, key));
    memcpy(other, key, sizeof(other));
    other[31] ^= 0x80;
    unsigned char *sealed, *plain;
    size_t sealed_len, plain_len;
    laris_secret_seal(key, token_text, strlen(token_text), a, &sealed, &sealed_len);
    cr_assert_not(laris_secret_open(other, sealed, sealed_len, a, &plain, &plain_len));
    cr_assert_null(plain);
    cr_assert_eq(plain_len, 0);
    laris_arena_destroy(a);
}

Test(crypto, secret_nonce_differs_each_time)
{
    laris_arena_t *a = laris_arena_create(4096);
    unsigned char key[LARIS_SECRET_KEY_BYTES];
    cr_assert(laris_secret_key_parse(key_hex, key));
    unsigned char *one, *two;
    size_t one_len, two_len;
    laris_secret_seal(key, token_text, strlen(token_text), a, &one, &one_len);
    laris_secret_seal(key, token_text, strlen(token_text), a, &two, &two_len);
    cr_assert_eq(one_len, two_len);
    cr_assert_neq(memcmp(one, two, 24), 0, "the nonces differ");
    cr_assert_neq(memcmp(one + 24, two + 24, one_len - 24), 0, "and so do the boxes");
    laris_arena_destroy(a);
}

Test(crypto, secret_open_hex)
{
    laris_arena_t *a = laris_arena_create(4096);
    unsigned char key[LARIS_SECRET_KEY_BYTES];
    cr_assert(laris_secret_key_parse(key_hex, key));
    unsigned char *sealed, *plain;
    size_t sealed_len, plain_len;
    laris_secret_seal(key, token_text, strlen(token_text), a, &sealed, &sealed_len);
    char *hex = laris_arena_alloc(a, sealed_len * 2 + 1);
    sodium_bin2hex(hex, sealed_len * 2 + 1, sealed, sealed_len);
    cr_assert(laris_secret_open_hex(key, hex, a, &plain, &plain_len));
    cr_assert_str_eq((const char *)plain, token_text);

    /* NULL, not hex, cut short: refused, nothing given */
    cr_assert_not(laris_secret_open_hex(key, NULL, a, &plain, &plain_len));
    cr_assert_null(plain);
    cr_assert_not(laris_secret_open_hex(key, "zz", a, &plain, &plain_len));
    cr_assert_null(plain);
    hex[sealed_len] = '\0';
    cr_assert_not(laris_secret_open_hex(key, hex, a, &plain, &plain_len));
    cr_assert_null(plain);
    cr_assert_eq(plain_len, 0);
    laris_arena_destroy(a);
}
