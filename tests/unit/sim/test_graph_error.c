/* Unit tests of src/sim/graph_error.c: Graph error bodies and Meta's ASCII wire encoding. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "laris/sim.h"

typedef struct {
    int64_t code;
    int status;
} status_case_t;

ParameterizedTestParameters(graph_error, http_status)
{
    static status_case_t cases[] = {{190, 401},    {0, 401},      {131047, 400}, {130429, 400},
                                    {131056, 400}, {132000, 400}, {132001, 404}, {131000, 500},
                                    {368, 403},    {4, 429},      {250, 403},    {100, 400}};
    return cr_make_param_array(status_case_t, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(status_case_t *c, graph_error, http_status)
{
    cr_assert_eq(laris_sim_error_http_status(c->code), c->status, "code %lld", (long long)c->code);
}

Test(graph_error, has_metas_envelope)
{
    cr_assert(sodium_init() >= 0);
    json_t *e = laris_sim_graph_error(130429, "too many");
    json_t *err = json_object_get(e, "error");
    cr_assert_str_eq(json_string_value(json_object_get(err, "message")),
                     "(#130429) Rate limit hit");
    cr_assert_str_eq(json_string_value(json_object_get(err, "type")), "OAuthException");
    cr_assert_eq(json_integer_value(json_object_get(err, "code")), 130429);
    json_t *data = json_object_get(err, "error_data");
    cr_assert_str_eq(json_string_value(json_object_get(data, "messaging_product")), "whatsapp");
    cr_assert_str_eq(json_string_value(json_object_get(data, "details")), "too many");
    cr_assert(json_is_string(json_object_get(err, "fbtrace_id")));
    json_decref(e);
}

Test(graph_error, token_and_unknown_object)
{
    cr_assert(sodium_init() >= 0);
    json_t *e = laris_sim_token_error(false);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(e, "error"), "code")), 190);
    json_decref(e);
    e = laris_sim_token_expired_error();
    json_t *err = json_object_get(e, "error");
    cr_assert_eq(json_integer_value(json_object_get(err, "code")), 190);
    cr_assert_eq(json_integer_value(json_object_get(err, "error_subcode")), 463);
    json_decref(e);
    e = laris_sim_unknown_object_error("POST", "42");
    err = json_object_get(e, "error");
    cr_assert_eq(json_integer_value(json_object_get(err, "code")), 100);
    cr_assert_eq(json_integer_value(json_object_get(err, "error_subcode")), 33);
    cr_assert_not_null(strstr(json_string_value(json_object_get(err, "message")), "'42'"));
    json_decref(e);
}

Test(graph_error, dumps_non_ascii_as_lowercase_escapes)
{
    json_t *v = json_pack("{s:s}", "body", "Kak \xC3\xA9 \xF0\x9F\x98\x8A \\ \\u");
    size_t len;
    char *s = laris_sim_dump_ascii(v, &len);
    cr_assert_str_eq(s, "{\"body\":\"Kak \\u00e9 \\ud83d\\ude0a \\\\ \\\\u\"}");
    cr_assert_eq(len, strlen(s));
    free(s);
    json_decref(v);
}
