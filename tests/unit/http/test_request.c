/* Tests for request.c: FastCGI parameters, path ids, query strings and cookies. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "laris/http.h"

static laris_arena_t *arena;
static laris_req_t req;

static void setup(void)
{
    arena = laris_arena_create(4096);
    laris_req_init(&req, arena);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(request, .init = setup, .fini = teardown);

Test(request, env_finds_exact_names)
{
    char *env[] = {"HTTP_COOKIE_X=no", "HTTP_COOKIE=a=1", "CONTENT_LENGTH=12", NULL};
    req.params_env = env;
    cr_assert_str_eq(laris_req_env(&req, "HTTP_COOKIE"), "a=1");
    cr_assert_str_eq(laris_req_env(&req, "CONTENT_LENGTH"), "12");
    cr_assert_null(laris_req_env(&req, "HTTP_COOK"));
}

Test(request, cookie_is_found_among_others)
{
    char *env[] = {"HTTP_COOKIE=theme=dark; laris_session=42.abc; x=\"quoted\"", NULL};
    req.params_env = env;
    cr_assert_str_eq(laris_req_cookie(&req, "laris_session"), "42.abc");
    cr_assert_str_eq(laris_req_cookie(&req, "theme"), "dark");
    cr_assert_str_eq(laris_req_cookie(&req, "x"), "quoted");
    cr_assert_null(laris_req_cookie(&req, "laris"));
    cr_assert_null(laris_req_cookie(&req, "missing"));
}

Test(request, query_parameters_are_decoded)
{
    req.query = "q=toko+maju&limit=20&name=Rp%201.000&flag&bad=%zz";
    cr_assert_str_eq(laris_req_query(&req, "q"), "toko maju");
    cr_assert_str_eq(laris_req_query(&req, "limit"), "20");
    cr_assert_str_eq(laris_req_query(&req, "name"), "Rp 1.000");
    cr_assert_str_eq(laris_req_query(&req, "flag"), "");
    cr_assert_str_eq(laris_req_query(&req, "bad"), "%zz");
    cr_assert_null(laris_req_query(&req, "lim"));
}

/* Parameters are copied into each test's process: keep strings inline, not as pointers. */
typedef struct {
    char text[24];
    bool ok;
    long long value;
} id_case_t;

ParameterizedTestParameters(request, param_id)
{
    static id_case_t cases[] = {
        {"1", true, 1},      {"42", true, 42}, {"999999999999999999", true, 999999999999999999LL},
        {"0", false, 0},     {"-1", false, 0}, {"abc", false, 0},
        {"12abc", false, 0}, {"", false, 0},   {"9999999999999999999", false, 0},
        {"1e3", false, 0},
    };
    return cr_make_param_array(id_case_t, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(id_case_t *c, request, param_id)
{
    req.match.nparams = 1;
    req.match.params[0].name = "id";
    req.match.params[0].value = c->text;
    int64_t id = 0;
    cr_assert_eq(laris_req_param_id(&req, "id", &id), c->ok, "%s", c->text);
    if (c->ok)
        cr_assert_eq(id, c->value);
}
