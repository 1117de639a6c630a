/* Unit tests for src/core/json.c: decoding under limits, field readers, encoding. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "laris/json.h"

static laris_arena_t *arena;
static laris_err_t err;

static void setup(void)
{
    arena = laris_arena_create(8192);
    laris_err_init(&err, arena);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(json, .init = setup, .fini = teardown);

static laris_rc decode(const char *body, json_t **out)
{
    return laris_json_decode(arena, body, strlen(body), NULL, out, &err);
}

/* n opening brackets then n closing ones. */
static char *nested(size_t n)
{
    char *s = laris_arena_alloc(arena, 2 * n + 1);
    memset(s, '[', n);
    memset(s + n, ']', n);
    s[2 * n] = '\0';
    return s;
}

/* An array of n zeros. */
static char *array_of(size_t n)
{
    char *s = laris_arena_alloc(arena, 2 * n + 2);
    s[0] = '[';
    for (size_t i = 0; i < n; i++) {
        s[1 + 2 * i] = '0';
        s[2 + 2 * i] = ',';
    }
    s[2 * n] = ']';
    s[2 * n + 1] = '\0';
    return s;
}

Test(json, decodes_an_object)
{
    json_t *v = NULL;
    const char *body = "{\"name\":\"Tökö 🛍\",\"n\":3,\"ok\":true,\"tags\":[\"a\",\"b\"]}";
    cr_assert_eq(decode(body, &v), LARIS_OK);
    cr_assert(json_is_object(v));
    cr_assert_str_eq(json_string_value(json_object_get(v, "name")), "Tökö 🛍");
    cr_assert_eq(json_integer_value(json_object_get(v, "n")), 3);
    cr_assert_eq(json_array_size(json_object_get(v, "tags")), 2);
    cr_assert_eq(err.code, LARIS_OK);
}

Test(json, body_need_not_be_nul_terminated)
{
    const char body[] = {'{', '"', 'a', '"', ':', '1', '}', 'x', 'x'};
    json_t *v = NULL;
    cr_assert_eq(laris_json_decode(arena, body, 7, NULL, &v, &err), LARIS_OK);
    cr_assert_eq(json_integer_value(json_object_get(v, "a")), 1);
}

Test(json, top_level_scalars_and_arrays_decode)
{
    json_t *v = NULL;
    cr_assert_eq(decode("42", &v), LARIS_OK);
    cr_assert(json_is_integer(v));
    cr_assert_eq(decode("[1,2]", &v), LARIS_OK);
    cr_assert(json_is_array(v));
    cr_assert_eq(decode("null", &v), LARIS_OK);
    cr_assert(json_is_null(v));
}

struct bad_case {
    char body[48];
    char detail[96];
};

ParameterizedTestParameters(json, malformed)
{
    static struct bad_case cases[] = {
        {"{\"a\": x}", "The body is not valid JSON: unexpected token at line 1, column 7."},
        {"", "The body is not valid JSON: unexpected end of input at line 1, column 0."},
        {"{\"a\":1", "The body is not valid JSON: unexpected end of input at line 1, column 6."},
        {"{\"a\":1} {}", "The body is not valid JSON: unexpected data after the value"},
        {"{\"a\":1,\n\"a\":2}", "The body is not valid JSON: duplicate key at line 2, column 3."},
        {"{\"a\":\"x\\u0000y\"}", "The body is not valid JSON: a string contains \\u0000"},
        {"{'a':1}", "The body is not valid JSON: unexpected token at line 1, column 2."},
        {"[1,]", "The body is not valid JSON: unexpected token"},
        {"{\"a\":\"\xff\"}", "The body is not valid JSON: invalid UTF-8"},
        {"{\"n\":123456789012345678901234567890}", "The body is not valid JSON: number out"},
    };
    return cr_make_param_array(struct bad_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_case *c, json, malformed)
{
    json_t *v = (json_t *)1;
    cr_assert_eq(decode(c->body, &v), LARIS_EMALFORMED, "body %s", c->body);
    cr_assert_null(v);
    cr_assert_eq(err.code, LARIS_EMALFORMED);
    cr_assert_not_null(strstr(err.detail, c->detail), "body %s: detail \"%s\", want \"%s\"",
                       c->body, err.detail, c->detail);
}

Test(json, depth_32_is_accepted)
{
    json_t *v = NULL;
    cr_assert_eq(decode(nested(32), &v), LARIS_OK, "detail: %s", err.detail);
    cr_assert(json_is_array(v));
}

Test(json, depth_33_is_refused)
{
    json_t *v = NULL;
    cr_assert_eq(decode(nested(33), &v), LARIS_EMALFORMED);
    cr_assert_str_eq(err.detail, "Nesting is deeper than 32 levels.");
}

Test(json, deep_bomb_is_refused_by_the_scan)
{
    /* Half a million brackets, never closed: jansson would fail differently, the scan first. */
    size_t n = 500000;
    char *body = laris_arena_alloc(arena, n);
    memset(body, '[', n);
    json_t *v = NULL;
    cr_assert_eq(laris_json_decode(arena, body, n, NULL, &v, &err), LARIS_EMALFORMED);
    cr_assert_str_eq(err.detail, "Nesting is deeper than 32 levels.");
}

Test(json, brackets_inside_strings_do_not_count)
{
    /* The escaped quote does not end the string, so the brackets after it are text. */
    char *body = laris_arena_printf(arena, "{\"a\":\"\\\"%s\",\"b\":{\"c\":[1]}}", nested(40));
    json_t *v = NULL;
    cr_assert_eq(decode(body, &v), LARIS_OK, "body %s: %s", body, err.detail);
}

Test(json, escaped_backslash_ends_the_string)
{
    /* "\\" is one backslash: the quote after it closes the string, and the nesting counts. */
    char *body = laris_arena_printf(arena, "[\"\\\\\",%s]", nested(32));
    json_t *v = NULL;
    cr_assert_eq(decode(body, &v), LARIS_EMALFORMED, "body %s", body);
    cr_assert_str_eq(err.detail, "Nesting is deeper than 32 levels.");
}

Test(json, custom_depth_limit)
{
    laris_json_limits_t lim = laris_json_default_limits;
    lim.max_depth = 2;
    json_t *v = NULL;
    cr_assert_eq(laris_json_decode(arena, "{\"a\":[1]}", 9, &lim, &v, &err), LARIS_OK);
    cr_assert_eq(laris_json_decode(arena, "{\"a\":[[1]]}", 11, &lim, &v, &err), LARIS_EMALFORMED);
    cr_assert_str_eq(err.detail, "Nesting is deeper than 2 levels.");
}

Test(json, array_at_the_limit_is_accepted)
{
    json_t *v = NULL;
    cr_assert_eq(decode(array_of(1000), &v), LARIS_OK);
    cr_assert_eq(json_array_size(v), 1000);
}

Test(json, array_over_the_limit_is_refused)
{
    json_t *v = NULL;
    cr_assert_eq(decode(array_of(1001), &v), LARIS_EMALFORMED);
    cr_assert_str_eq(err.detail, "An array has more than 1000 elements (at the top level).");
}

Test(json, nested_array_over_the_limit_says_where)
{
    char *items = array_of(1001);
    char *body = laris_arena_printf(arena, "{\"order\":{\"lines\":[{\"ids\":%s}]}}", items);
    json_t *v = NULL;
    cr_assert_eq(decode(body, &v), LARIS_EMALFORMED);
    cr_assert_str_eq(err.detail, "An array has more than 1000 elements (at order.lines[0].ids).");
}

Test(json, members_over_the_limit_are_refused)
{
    laris_json_limits_t lim = laris_json_default_limits;
    lim.max_members = 2;
    json_t *v = NULL;
    const char *ok = "{\"a\":1,\"b\":2}";
    const char *bad = "{\"a\":1,\"b\":2,\"c\":3}";
    cr_assert_eq(laris_json_decode(arena, ok, strlen(ok), &lim, &v, &err), LARIS_OK);
    cr_assert_eq(laris_json_decode(arena, bad, strlen(bad), &lim, &v, &err), LARIS_EMALFORMED);
    cr_assert_str_eq(err.detail, "An object has more than 2 members (at the top level).");
}

Test(json, string_over_the_limit_is_refused)
{
    size_t n = 256 * 1024;
    char *body = laris_arena_alloc(arena, n + 32);
    memcpy(body, "{\"note\":\"", 9);
    memset(body + 9, 'x', n + 1);
    memcpy(body + 9 + n + 1, "\"}", 3);
    json_t *v = NULL;
    cr_assert_eq(decode(body, &v), LARIS_EMALFORMED);
    cr_assert_str_eq(err.detail, "A string is longer than 262144 bytes (at note).");

    body[9 + n] = '"'; /* exactly the limit */
    body[9 + n + 1] = '}';
    body[9 + n + 2] = '\0';
    laris_err_init(&err, arena);
    cr_assert_eq(decode(body, &v), LARIS_OK, "detail: %s", err.detail);
}

Test(json, key_over_the_limit_is_refused)
{
    laris_json_limits_t lim = laris_json_default_limits;
    lim.max_string = 4;
    json_t *v = NULL;
    const char *body = "{\"a\":{\"longkey\":1}}";
    cr_assert_eq(laris_json_decode(arena, body, strlen(body), &lim, &v, &err), LARIS_EMALFORMED);
    cr_assert_str_eq(err.detail, "A key is longer than 4 bytes (at a).");
}

Test(json, decoded_tree_is_released_with_the_arena)
{
    json_t *v = NULL;
    cr_assert_eq(decode("{\"a\":[1,2,3]}", &v), LARIS_OK);
    json_incref(v);
    cr_assert_eq(v->refcount, 2);
    laris_arena_reset(arena);
    cr_assert_eq(v->refcount, 1, "the arena should drop its reference on reset");
    json_decref(v);
}

Test(json, adopt_defers_decref)
{
    json_t *v = json_object();
    cr_assert_eq(laris_json_adopt(arena, v), v);
    json_incref(v);
    laris_arena_reset(arena);
    cr_assert_eq(v->refcount, 1);
    json_decref(v);
    cr_assert_null(laris_json_adopt(arena, NULL));
}

Test(json, utf8_length_counts_code_points)
{
    cr_assert_eq(laris_utf8_length(""), 0);
    cr_assert_eq(laris_utf8_length("abc"), 3);
    cr_assert_eq(laris_utf8_length("Tökö 🛍"), 6);
    cr_assert_eq(laris_utf8_length("日本"), 2);
}

/* Field readers run on this object. */
static json_t *fields(void)
{
    json_t *v = NULL;
    const char *body =
        "{\"name\":\"Tökö 🛍\",\"empty\":\"\",\"nothing\":null,\"n\":7,\"big\":-9,"
        "\"real\":1.5,\"yes\":true,\"no\":false,\"num_str\":\"7\",\"role\":\"agent\","
        "\"list\":[1]}";
    cr_assert_eq(decode(body, &v), LARIS_OK);
    return v;
}

static void assert_field_error(const char *field, const char *message)
{
    cr_assert_eq(err.code, LARIS_EINVALID);
    cr_assert_eq(err.nfields, 1, "fields: %zu", err.nfields);
    cr_assert_str_eq(err.fields[0].field, field);
    cr_assert_str_eq(err.fields[0].message, message);
}

Test(json, string_reads_a_valid_value)
{
    const char *s = NULL;
    cr_assert(laris_json_string(fields(), "name", 1, 6, true, &s, &err));
    cr_assert_str_eq(s, "Tökö 🛍");
    cr_assert_eq(err.nfields, 0);
}

Test(json, string_missing_required)
{
    const char *s = "untouched";
    cr_assert_not(laris_json_string(fields(), "absent", 1, 10, true, &s, &err));
    cr_assert_str_eq(s, "untouched");
    assert_field_error("absent", "is required");
}

Test(json, string_missing_optional_leaves_out_alone)
{
    const char *s = "untouched";
    cr_assert_not(laris_json_string(fields(), "absent", 1, 10, false, &s, &err));
    cr_assert_not(laris_json_string(fields(), "nothing", 1, 10, false, &s, &err));
    cr_assert_str_eq(s, "untouched");
    cr_assert_eq(err.code, LARIS_OK);
    cr_assert_eq(err.nfields, 0);
}

Test(json, string_null_counts_as_missing)
{
    const char *s = NULL;
    cr_assert_not(laris_json_string(fields(), "nothing", 1, 10, true, &s, &err));
    assert_field_error("nothing", "is required");
}

Test(json, string_wrong_type)
{
    const char *s = NULL;
    cr_assert_not(laris_json_string(fields(), "n", 1, 10, true, &s, &err));
    assert_field_error("n", "must be a string");
}

Test(json, string_too_short_in_characters)
{
    const char *s = NULL;
    /* 6 characters but 11 bytes: a byte count would wrongly accept a minimum of 8. */
    cr_assert_not(laris_json_string(fields(), "name", 8, 128, true, &s, &err));
    assert_field_error("name", "must be at least 8 characters");
}

Test(json, string_empty_against_minimum_one)
{
    const char *s = NULL;
    cr_assert_not(laris_json_string(fields(), "empty", 1, 128, true, &s, &err));
    assert_field_error("empty", "must be at least 1 character");
}

Test(json, string_too_long_in_characters)
{
    const char *s = NULL;
    cr_assert(laris_json_string(fields(), "name", 1, 6, true, &s, &err),
              "6 characters fit a maximum of 6 even though they are 11 bytes");
    cr_assert_not(laris_json_string(fields(), "name", 1, 5, true, &s, &err));
    assert_field_error("name", "must be at most 5 characters");
}

Test(json, int_reads_a_valid_value)
{
    int64_t n = 0;
    cr_assert(laris_json_int(fields(), "n", 1, 100, true, &n, &err));
    cr_assert_eq(n, 7);
}

Test(json, int_missing_and_null)
{
    int64_t n = 99;
    cr_assert_not(laris_json_int(fields(), "nothing", 1, 100, false, &n, &err));
    cr_assert_eq(n, 99);
    cr_assert_eq(err.nfields, 0);
    cr_assert_not(laris_json_int(fields(), "absent", 1, 100, true, &n, &err));
    assert_field_error("absent", "is required");
}

Test(json, int_refuses_a_real)
{
    int64_t n = 0;
    cr_assert_not(laris_json_int(fields(), "real", 1, 100, true, &n, &err));
    assert_field_error("real", "must be an integer");
}

Test(json, int_refuses_a_numeric_string)
{
    int64_t n = 0;
    cr_assert_not(laris_json_int(fields(), "num_str", 1, 100, true, &n, &err));
    assert_field_error("num_str", "must be an integer");
}

Test(json, int_out_of_range)
{
    int64_t n = 0;
    cr_assert_not(laris_json_int(fields(), "big", 1, 100, true, &n, &err));
    assert_field_error("big", "must be between 1 and 100");
}

Test(json, int_open_ranges)
{
    int64_t n = 0;
    cr_assert_not(laris_json_int(fields(), "big", 0, INT64_MAX, true, &n, &err));
    cr_assert_str_eq(err.fields[0].message, "must be at least 0");
    cr_assert_not(laris_json_int(fields(), "n", INT64_MIN, 5, true, &n, &err));
    cr_assert_str_eq(err.fields[1].message, "must be at most 5");
}

Test(json, bool_reads_both_values)
{
    bool b = false;
    cr_assert(laris_json_bool(fields(), "yes", true, &b, &err));
    cr_assert(b);
    cr_assert(laris_json_bool(fields(), "no", true, &b, &err));
    cr_assert_not(b);
}

Test(json, bool_wrong_type_and_missing)
{
    bool b = true;
    cr_assert_not(laris_json_bool(fields(), "n", true, &b, &err));
    assert_field_error("n", "must be true or false");
    cr_assert_not(laris_json_bool(fields(), "nothing", false, &b, &err));
    cr_assert(b, "a missing optional field leaves out untouched");
}

static const char *const roles[] = {"owner", "supervisor", "agent", NULL};

Test(json, enum_accepts_a_choice)
{
    const char *role = NULL;
    cr_assert(laris_json_enum(fields(), "role", roles, true, &role, &err));
    cr_assert_str_eq(role, "agent");
}

Test(json, enum_refuses_others)
{
    const char *role = NULL;
    cr_assert_not(laris_json_enum(fields(), "name", roles, true, &role, &err));
    assert_field_error("name", "must be one of: owner, supervisor, agent");
    cr_assert_null(role);
}

Test(json, enum_refuses_wrong_type_and_requires)
{
    const char *role = NULL;
    cr_assert_not(laris_json_enum(fields(), "n", roles, true, &role, &err));
    cr_assert_not(laris_json_enum(fields(), "absent", roles, true, &role, &err));
    cr_assert_eq(err.nfields, 2);
    cr_assert_str_eq(err.fields[0].message, "must be one of: owner, supervisor, agent");
    cr_assert_str_eq(err.fields[1].message, "is required");
}

Test(json, readers_on_a_non_object_report_missing)
{
    json_t *v = NULL;
    cr_assert_eq(decode("[1,2]", &v), LARIS_OK);
    const char *s = NULL;
    cr_assert_not(laris_json_string(v, "name", 1, 10, true, &s, &err));
    assert_field_error("name", "is required");
}

Test(json, errors_accumulate_across_fields)
{
    json_t *v = fields();
    const char *s;
    int64_t n;
    bool b;
    laris_json_string(v, "n", 1, 10, true, &s, &err);
    laris_json_int(v, "real", 0, 10, true, &n, &err);
    laris_json_bool(v, "name", true, &b, &err);
    cr_assert_eq(err.nfields, 3);
    cr_assert_str_eq(err.detail, "One or more fields are invalid.");
}

Test(json, encode_is_compact)
{
    json_t *v = laris_json_adopt(
        arena, json_pack("{s:i, s:[s, b], s:n}", "id", 12, "tags", "Tökö", 1, "none"));
    size_t len = 0;
    char *s = laris_json_encode(arena, v, &len);
    cr_assert_not_null(s);
    /* jansson keeps insertion order by default. */
    cr_assert_str_eq(s, "{\"id\":12,\"tags\":[\"Tökö\",true],\"none\":null}");
    cr_assert_eq(len, strlen(s));
}

Test(json, encode_round_trips_and_handles_scalars)
{
    json_t *v = NULL;
    const char *body = "{\"a\":[1,2.5,\"x\\\"y\\n\"],\"b\":{}}";
    cr_assert_eq(decode(body, &v), LARIS_OK);
    size_t len;
    cr_assert_str_eq(laris_json_encode(arena, v, &len), body);

    json_t *n = laris_json_adopt(arena, json_integer(5));
    cr_assert_str_eq(laris_json_encode(arena, n, &len), "5");
    cr_assert_eq(len, 1);
    cr_assert_null(laris_json_encode(arena, NULL, &len));
    cr_assert_eq(len, 0);
}
