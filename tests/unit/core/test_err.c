/* Unit tests for src/core/err.c: the code table, error details and field errors. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "laris/err.h"

/* Strings are arrays, not pointers: Criterion copies parameters into a fresh worker process. */
struct code_case {
    laris_rc rc;
    int status;
    char slug[32];
    char title[32];
};

ParameterizedTestParameters(err, code_table)
{
    static struct code_case cases[] = {
        {LARIS_OK, 200, "ok", "OK"},
        {LARIS_EMALFORMED, 400, "malformed-request", "Malformed request"},
        {LARIS_EUNAUTHORIZED, 401, "unauthorized", "Authentication required"},
        {LARIS_EFORBIDDEN, 403, "forbidden", "Not allowed"},
        {LARIS_ENOTFOUND, 404, "not-found", "Not found"},
        {LARIS_EMETHOD, 405, "method-not-allowed", "Method not allowed"},
        {LARIS_ECONFLICT, 409, "conflict", "Conflict"},
        {LARIS_ETOOLARGE, 413, "payload-too-large", "Request body too large"},
        {LARIS_EMEDIATYPE, 415, "unsupported-media-type", "Unsupported media type"},
        {LARIS_EINVALID, 422, "validation-failed", "Invalid fields"},
        {LARIS_ETHROTTLED, 429, "rate-limited", "Too many requests"},
        {LARIS_EUNAVAILABLE, 503, "service-unavailable", "Service unavailable"},
        {LARIS_EINTERNAL, 500, "internal-error", "Internal error"},
    };
    return cr_make_param_array(struct code_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct code_case *c, err, code_table)
{
    cr_assert_eq(laris_rc_status(c->rc), c->status, "status of %d", c->rc);
    cr_assert_str_eq(laris_rc_slug(c->rc), c->slug);
    cr_assert_str_eq(laris_rc_title(c->rc), c->title);
}

Test(err, unknown_code_is_internal)
{
    laris_rc bogus = (laris_rc)-99;
    cr_assert_eq(laris_rc_status(bogus), 500);
    cr_assert_str_eq(laris_rc_slug(bogus), "internal-error");
    cr_assert_str_eq(laris_rc_title(bogus), "Internal error");
}

static laris_arena_t *arena;
static laris_err_t e;

static void setup(void)
{
    arena = laris_arena_create(4096);
    laris_err_init(&e, arena);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

Test(err, init_clears, .init = setup, .fini = teardown)
{
    cr_assert_eq(e.code, LARIS_OK);
    cr_assert_eq(e.arena, arena);
    cr_assert_null(e.detail);
    cr_assert_null(e.sqlstate);
    cr_assert_eq(e.nfields, 0);
}

Test(err, set_formats_detail, .init = setup, .fini = teardown)
{
    laris_rc rc = laris_err_set(&e, LARIS_ENOTFOUND, "No contact has id %d.", 17);
    cr_assert_eq(rc, LARIS_ENOTFOUND);
    cr_assert_eq(e.code, LARIS_ENOTFOUND);
    cr_assert_str_eq(e.detail, "No contact has id 17.");
}

Test(err, field_sets_invalid_and_default_detail, .init = setup, .fini = teardown)
{
    laris_rc rc = laris_err_field(&e, "email", "must be at most %d characters", 254);
    cr_assert_eq(rc, LARIS_EINVALID);
    cr_assert_eq(e.code, LARIS_EINVALID);
    cr_assert_str_eq(e.detail, "One or more fields are invalid.");
    cr_assert_eq(e.nfields, 1);
    cr_assert_str_eq(e.fields[0].field, "email");
    cr_assert_str_eq(e.fields[0].message, "must be at most 254 characters");
}

Test(err, field_keeps_existing_detail, .init = setup, .fini = teardown)
{
    laris_err_set(&e, LARIS_EMALFORMED, "Check the form.");
    laris_err_field(&e, "name", "is required");
    cr_assert_eq(e.code, LARIS_EINVALID);
    cr_assert_str_eq(e.detail, "Check the form.");
}

Test(err, field_name_is_copied, .init = setup, .fini = teardown)
{
    char name[16] = "items[3]";
    laris_err_field(&e, name, "is required");
    name[0] = 'X';
    cr_assert_str_eq(e.fields[0].field, "items[3]");
}

Test(err, fields_beyond_the_maximum_are_dropped, .init = setup, .fini = teardown)
{
    for (int i = 0; i < LARIS_ERR_MAX_FIELDS + 5; i++) {
        char name[16];
        snprintf(name, sizeof(name), "f%d", i);
        cr_assert_eq(laris_err_field(&e, name, "bad %d", i), LARIS_EINVALID);
    }
    cr_assert_eq(e.nfields, LARIS_ERR_MAX_FIELDS);
    cr_assert_eq(e.code, LARIS_EINVALID);
    cr_assert_str_eq(e.fields[0].field, "f0");
    cr_assert_str_eq(e.fields[LARIS_ERR_MAX_FIELDS - 1].message, "bad 15");
}
