/* Unit tests for src/wa/signature.c: X-Hub-Signature-256 over raw bytes, and the handshake. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "fixtures.h"
#include "laris/crypto.h"
#include "laris/wa.h"

static laris_arena_t *arena;

static void setup(void)
{
    cr_assert(laris_crypto_init());
    arena = laris_arena_create(16384);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(signature, .init = setup, .fini = teardown);

/* A fixture's bytes, its manifest signature and the manifest's app secret. */
typedef struct {
    char *body;
    size_t len;
    const char *header;
    const char *secret;
} signed_fixture_t;

static signed_fixture_t load(const char *name)
{
    json_t *entry = wa_fixture_entry(arena, name);
    signed_fixture_t f;
    f.body = wa_fixture_read(arena, json_string_value(json_object_get(entry, "file")), &f.len);
    f.header = json_string_value(json_object_get(entry, "signature"));
    f.secret = json_string_value(json_object_get(wa_fixture_manifest(arena), "app_secret"));
    cr_assert_not_null(f.header, "%s has no signature", name);
    cr_assert_not_null(f.secret, "the manifest has no app_secret");
    return f;
}

ParameterizedTestParameters(signature, fixture)
{
    static wa_fixture_case_t cases[WA_FIXTURES_MAX];
    size_t n = wa_fixture_names(cases, WA_FIXTURES_MAX);
    return cr_make_param_array(wa_fixture_case_t, cases, n);
}

/* Every fixture: the manifest's signature holds over the raw bytes, and nothing else does. */
ParameterizedTest(wa_fixture_case_t *c, signature, fixture)
{
    signed_fixture_t f = load(c->name);
    cr_assert(laris_wa_signature_valid(f.secret, f.body, f.len, f.header), "%s", c->name);

    char mine[LARIS_WA_SIGNATURE_MAX];
    laris_wa_signature_header(f.secret, f.body, f.len, mine);
    cr_assert_str_eq(mine, f.header, "%s", c->name);

    cr_assert_not(laris_wa_signature_valid("not-the-app-secret", f.body, f.len, f.header));
    cr_assert_not(laris_wa_signature_valid(f.secret, f.body, f.len - 1, f.header));
    cr_assert_not(laris_wa_signature_valid(f.secret, f.body, f.len, NULL));
    cr_assert_not(laris_wa_signature_valid(f.secret, f.body, f.len, ""));
    cr_assert_not(laris_wa_signature_valid(f.secret, f.body, f.len, f.header + 7));

    char *altered = laris_arena_strndup(arena, f.body, f.len);
    altered[f.len / 2] ^= 0x01;
    cr_assert_not(laris_wa_signature_valid(f.secret, altered, f.len, f.header));

    char *extended = laris_arena_printf(arena, "%s\n", f.body);
    cr_assert_not(laris_wa_signature_valid(f.secret, extended, f.len + 1, f.header));
}

ParameterizedTestParameters(signature, reencoded_fixture)
{
    static wa_fixture_case_t cases[WA_FIXTURES_MAX];
    size_t n = wa_fixture_names(cases, WA_FIXTURES_MAX);
    return cr_make_param_array(wa_fixture_case_t, cases, n);
}

/* Re-serialising parsed JSON changes the bytes: the original signature must not hold. */
ParameterizedTest(wa_fixture_case_t *c, signature, reencoded_fixture)
{
    signed_fixture_t f = load(c->name);
    json_error_t je;
    json_t *root = json_loadb(f.body, f.len, 0, &je);
    cr_assert_not_null(root, "%s: %s", c->name, je.text);
    char *pretty = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    cr_assert_not_null(pretty);
    size_t plen = strlen(pretty);

    cr_assert_not(laris_wa_signature_valid(f.secret, pretty, plen, f.header), "%s", c->name);
    char own[LARIS_WA_SIGNATURE_MAX];
    laris_wa_signature_header(f.secret, pretty, plen, own);
    cr_assert(laris_wa_signature_valid(f.secret, pretty, plen, own), "%s", c->name);
    free(pretty);
}

Test(signature, unicode_escapes_are_hashed_as_sent)
{
    /* The wire body carries \uXXXX escapes; the same text as raw UTF-8 is other bytes. */
    signed_fixture_t f = load("text_unicode");
    cr_assert_not_null(strstr(f.body, "\\ud83d\\ude4f"));
    json_t *root = json_loadb(f.body, f.len, 0, NULL);
    char *utf8 = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    cr_assert_not_null(strstr(utf8, "🙏"));
    cr_assert_not(laris_wa_signature_valid(f.secret, utf8, strlen(utf8), f.header));
    free(utf8);
}

/* RFC 4231 test cases 2 and 6: a short key and a key longer than the hash block. */
Test(signature, rfc4231_vectors)
{
    const char *data = "what do ya want for nothing?";
    cr_assert(laris_wa_signature_valid(
        "Jefe", data, strlen(data),
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));

    char key[132];
    memset(key, 0xaa, 131);
    key[131] = '\0';
    const char *big = "Test Using Larger Than Block-Size Key - Hash Key First";
    cr_assert(laris_wa_signature_valid(
        key, big, strlen(big),
        "sha256=60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
    char out[LARIS_WA_SIGNATURE_MAX];
    laris_wa_signature_header(key, big, strlen(big), out);
    cr_assert_str_eq(out,
                     "sha256=60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

#define JEFE_HEX "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

struct header_case {
    char header[160];
    bool valid;
};

ParameterizedTestParameters(signature, header_forms)
{
    static struct header_case cases[] = {
        {"sha256=" JEFE_HEX, true},
        {"sha256=5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843", true},
        {"sha256=5bdcc146BF60754e6a042426089575c75a003f089d2739839dec58b964ec3843", true},
        {"  sha256=" JEFE_HEX "\t", true},
        {"", false},
        {"sha256=", false},
        {JEFE_HEX, false},
        {"SHA256=" JEFE_HEX, false},
        {"sha1=" JEFE_HEX, false},
        {"sha256 =" JEFE_HEX, false},
        {"sha256=" JEFE_HEX "00", false},
        {"sha256=" JEFE_HEX "x", false},
        {"sha256=" JEFE_HEX ",sha256=" JEFE_HEX, false},
        {"sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec384", false},
        {"sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3844", false},
        {"sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec38g3", false},
        {"sha256=5bdcc146bf60754e6a04242608 575c75a003f089d2739839dec58b964ec3843", false},
        {"sha256=0000000000000000000000000000000000000000000000000000000000000000", false},
    };
    return cr_make_param_array(struct header_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct header_case *c, signature, header_forms)
{
    const char *data = "what do ya want for nothing?";
    cr_assert_eq(laris_wa_signature_valid("Jefe", data, strlen(data), c->header), c->valid, "[%s]",
                 c->header);
}

Test(signature, missing_secret_never_validates)
{
    char header[LARIS_WA_SIGNATURE_MAX];
    laris_wa_signature_header("", "{}", 2, header);
    cr_assert_not(laris_wa_signature_valid("", "{}", 2, header));
    cr_assert_not(laris_wa_signature_valid(NULL, "{}", 2, header));
}

Test(signature, empty_body)
{
    char header[LARIS_WA_SIGNATURE_MAX];
    laris_wa_signature_header("s3cret", NULL, 0, header);
    cr_assert(laris_wa_signature_valid("s3cret", NULL, 0, header));
    cr_assert(laris_wa_signature_valid("s3cret", "", 0, header));
    cr_assert_not(laris_wa_signature_valid("s3cret", NULL, 3, header));
}

/* Handshake cases; "-" stands for a missing (NULL) argument. */
struct handshake_case {
    char mode[24];
    char token[40];
    char challenge[200];
    char expected[40];
    laris_rc rc;
};

static const char *arg(const char *s)
{
    return strcmp(s, "-") == 0 ? NULL : s;
}

ParameterizedTestParameters(signature, handshake)
{
    static struct handshake_case cases[] = {
        {"subscribe", "verify-me", "1158201444", "verify-me", LARIS_OK},
        {"subscribe", "verify-me", "abc-DEF_123.x", "verify-me", LARIS_OK},
        {"subscribe", "verify-me", "1158201444", "verify-mE", LARIS_EFORBIDDEN},
        {"subscribe", "verify-m", "1158201444", "verify-me", LARIS_EFORBIDDEN},
        {"subscribe", "verify-me-too", "1158201444", "verify-me", LARIS_EFORBIDDEN},
        {"subscribe", "", "1158201444", "verify-me", LARIS_EFORBIDDEN},
        {"subscribe", "-", "1158201444", "verify-me", LARIS_EFORBIDDEN},
        {"subscribe", "", "1158201444", "", LARIS_EFORBIDDEN},
        {"subscribe", "verify-me", "1158201444", "-", LARIS_EFORBIDDEN},
        {"unsubscribe", "verify-me", "1158201444", "verify-me", LARIS_EFORBIDDEN},
        {"Subscribe", "verify-me", "1158201444", "verify-me", LARIS_EFORBIDDEN},
        {"-", "verify-me", "1158201444", "verify-me", LARIS_EFORBIDDEN},
        {"subscribe", "verify-me", "-", "verify-me", LARIS_EMALFORMED},
        {"subscribe", "verify-me", "", "verify-me", LARIS_EMALFORMED},
        {"subscribe", "verify-me", "<script>alert(1)</script>", "verify-me", LARIS_EMALFORMED},
        {"subscribe", "verify-me", "a b", "verify-me", LARIS_EMALFORMED},
        {"subscribe", "verify-me", "123\r\nSet-Cookie: x=1", "verify-me", LARIS_EMALFORMED},
        {"subscribe", "verify-me", "caf\xc3\xa9", "verify-me", LARIS_EMALFORMED},
        {"subscribe", "verify-me",
         "1234567890123456789012345678901234567890123456789012345678901234"
         "1234567890123456789012345678901234567890123456789012345678901234",
         "verify-me", LARIS_OK},
        {"subscribe", "verify-me",
         "1234567890123456789012345678901234567890123456789012345678901234"
         "12345678901234567890123456789012345678901234567890123456789012345",
         "verify-me", LARIS_EMALFORMED},
    };
    return cr_make_param_array(struct handshake_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct handshake_case *c, signature, handshake)
{
    const char *out = "untouched";
    const char *challenge = arg(c->challenge);
    laris_rc rc =
        laris_wa_verify_handshake(arg(c->mode), arg(c->token), challenge, arg(c->expected), &out);
    cr_assert_eq(rc, c->rc, "mode=%s token=%s challenge=%s: %d", c->mode, c->token, c->challenge,
                 rc);
    if (rc == LARIS_OK)
        cr_assert_eq(out, challenge);
    else
        cr_assert_null(out);
}
