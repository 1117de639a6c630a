/* Unit tests for src/crm/wa_numbers.c: what it refuses before touching the database (no secrets
 * key: 503 and nothing stored; invalid fields: 422 naming each). The stored and answered forms
 * are covered by tests/integration/test_wa_numbers.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "laris/crm.h"
#include "laris/crypto.h"

static laris_arena_t *arena;
static laris_err_t err;
static laris_config_t config;
static laris_ctx_t ctx;

static void setup(void)
{
    cr_assert(laris_crypto_init());
    arena = laris_arena_create(8192);
    laris_err_init(&err, arena);
    memset(&config, 0, sizeof(config));
    memset(&ctx, 0, sizeof(ctx));
    ctx.arena = arena;
    ctx.err = &err;
    ctx.config = &config;
    ctx.db = NULL; /* any query would crash: these cases must fail before one */
    ctx.tenant_id = 1;
    ctx.role = LARIS_ROLE_OWNER;
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(wa_numbers, .init = setup, .fini = teardown);

static json_t *valid_body(void)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "phone_number_id", "106540352242922", "waba_id",
                     "102290129340398", "display_phone_number", "0812-3456-7890", "access_token",
                     "EAAGm0PX4ZCpsBAExampleAccessToken");
}

static bool has_field(const char *field)
{
    for (size_t i = 0; i < err.nfields; i++)
        if (strcmp(err.fields[i].field, field) == 0)
            return true;
    return false;
}

Test(wa_numbers, no_secret_key_is_503_for_create_and_update)
{
    json_t *body = valid_body();
    json_t *out = NULL;
    cr_assert_eq(laris_wa_numbers_create(&ctx, body, &out), LARIS_EUNAVAILABLE);
    cr_assert_null(out);
    cr_assert(strstr(err.detail, "ecrets key not configured"), "%s", err.detail);
    laris_err_init(&err, arena);
    cr_assert_eq(laris_wa_numbers_update(&ctx, 1, body, &out), LARIS_EUNAVAILABLE);
    cr_assert_null(out);
    json_decref(body);
}

Test(wa_numbers, invalid_fields_are_422_each_named)
{
    cr_assert(laris_secret_key_parse(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", config.secret_key));
    config.secret_key_set = true;
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s}", "phone_number_id", "12a", "waba_id",
                  "123456789012345678901234567890123", "display_phone_number", "nope",
                  "access_token", "too short", "app_secret", "0123456789abcdef\x01", "verify_token",
                  "tiny", "throughput_mps", 1001, "name", "");
    json_t *out = NULL;
    cr_assert_eq(laris_wa_numbers_create(&ctx, body, &out), LARIS_EINVALID);
    cr_assert_null(out);
    static const char *const fields[] = {"phone_number_id", "waba_id",    "display_phone_number",
                                         "access_token",    "app_secret", "verify_token",
                                         "throughput_mps",  "name"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        cr_assert(has_field(fields[i]), "%s is not named", fields[i]);
    json_decref(body);

    laris_err_init(&err, arena);
    body = json_pack("{s:s, s:s}", "phone_number_id", "1", "access_token",
                     "EAAG with a space inside it");
    cr_assert_eq(laris_wa_numbers_update(&ctx, 1, body, &out), LARIS_EINVALID);
    cr_assert(has_field("phone_number_id"), "the id cannot change");
    cr_assert(has_field("access_token"));
    json_decref(body);
}
