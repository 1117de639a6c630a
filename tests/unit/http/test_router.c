/* Unit tests for src/http/router.c: literal and {param} segments, methods, table order. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "laris/router.h"

static laris_rc h_health(laris_req_t *req)
{
    (void)req;
    return LARIS_OK;
}

static laris_rc h_users_list(laris_req_t *req)
{
    (void)req;
    return LARIS_OK;
}

static laris_rc h_users_create(laris_req_t *req)
{
    (void)req;
    return LARIS_OK;
}

static laris_rc h_me(laris_req_t *req)
{
    (void)req;
    return LARIS_OK;
}

static laris_rc h_user_get(laris_req_t *req)
{
    (void)req;
    return LARIS_OK;
}

static laris_rc h_user_delete(laris_req_t *req)
{
    (void)req;
    return LARIS_OK;
}

static laris_rc h_label(laris_req_t *req)
{
    (void)req;
    return LARIS_OK;
}

static laris_rc h_root(laris_req_t *req)
{
    (void)req;
    return LARIS_OK;
}

static laris_rc h_after_end(laris_req_t *req)
{
    (void)req;
    return LARIS_OK;
}

static const laris_route_t routes[] = {
    {"GET", "/api/v1/health", h_health, 0, 0, 0},
    {"GET", "/api/v1/users", h_users_list, 1, 0, 0},
    {"POST", "/api/v1/users", h_users_create, 1, 0, 4096},
    {"GET", "/api/v1/users/me", h_me, 1, 0, 0},
    {"GET", "/api/v1/users/{id}", h_user_get, 1, 0, 0},
    {"DELETE", "/api/v1/users/{id}", h_user_delete, 1, 2, 0},
    {"PUT", "/api/v1/contacts/{contact_id}/labels/{label_id}", h_label, 1, 0, 0},
    {"GET", "/", h_root, 0, 0, 0},
    {NULL, NULL, NULL, 0, 0, 0},
    {"GET", "/api/v1/hidden", h_after_end, 0, 0, 0},
};

static laris_arena_t *arena;
static laris_route_match_t m;

static void setup(void)
{
    arena = laris_arena_create(4096);
    memset(&m, 0xA5, sizeof(m)); /* match must initialize everything it reports */
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(router, .init = setup, .fini = teardown);

static void match(const char *method, const char *path)
{
    laris_router_match(routes, method, path, arena, &m);
}

Test(router, matches_a_literal_path)
{
    match("GET", "/api/v1/health");
    cr_assert_eq(m.route, &routes[0]);
    cr_assert_eq(m.nparams, 0);
    cr_assert_not(m.path_matched);
}

Test(router, picks_the_route_by_method)
{
    match("POST", "/api/v1/users");
    cr_assert_eq(m.route, &routes[2]);
    cr_assert_eq(m.route->handler, h_users_create);
    cr_assert_eq(m.route->body_limit, 4096);
    match("GET", "/api/v1/users");
    cr_assert_eq(m.route, &routes[1]);
}

Test(router, matches_a_path_param)
{
    const char path[] = "/api/v1/users/42";
    match("GET", path);
    cr_assert_eq(m.route, &routes[4]);
    cr_assert_eq(m.nparams, 1);
    cr_assert_str_eq(m.params[0].name, "id");
    cr_assert_str_eq(m.params[0].value, "42");
    cr_assert(m.params[0].value < path || m.params[0].value >= path + sizeof(path),
              "the value is a copy in the arena");
}

Test(router, matches_multiple_params)
{
    match("PUT", "/api/v1/contacts/c-17/labels/vip%20gold");
    cr_assert_eq(m.route, &routes[6]);
    cr_assert_eq(m.nparams, 2);
    cr_assert_str_eq(m.params[0].name, "contact_id");
    cr_assert_str_eq(m.params[0].value, "c-17");
    cr_assert_str_eq(m.params[1].name, "label_id");
    cr_assert_str_eq(m.params[1].value, "vip%20gold");
}

Test(router, first_match_in_table_order_wins)
{
    match("GET", "/api/v1/users/me");
    cr_assert_eq(m.route, &routes[3], "the literal route comes first in the table");
    cr_assert_eq(m.nparams, 0);
}

Test(router, method_mismatch_sets_path_matched)
{
    match("PATCH", "/api/v1/users/42");
    cr_assert_null(m.route);
    cr_assert(m.path_matched);
    cr_assert_eq(m.nparams, 0);

    match("DELETE", "/api/v1/health");
    cr_assert_null(m.route);
    cr_assert(m.path_matched);
}

Test(router, later_route_matches_after_a_method_mismatch)
{
    match("DELETE", "/api/v1/users/7");
    cr_assert_eq(m.route, &routes[5], "GET /users/{id} comes first but DELETE is further down");
    cr_assert_str_eq(m.params[0].value, "7");
}

Test(router, methods_are_case_sensitive)
{
    match("get", "/api/v1/health");
    cr_assert_null(m.route);
    cr_assert(m.path_matched);
}

Test(router, root_path)
{
    match("GET", "/");
    cr_assert_eq(m.route, &routes[7]);
}

struct miss_case {
    char path[300];
};

ParameterizedTestParameters(router, unknown_paths_do_not_match)
{
    static struct miss_case cases[] = {
        {"/api/v1/health/"}, /* trailing slash */
        {"/api/v1//health"}, /* empty segment */
        {"//api/v1/health"},
        {"/api/v1/users/"}, /* empty param */
        {"/api/v1/users//"},
        {"/api/v1/users/42/"},
        {"/api/v1/users/42/extra"},
        {"/api/v1/healthz"},
        {"/api/v1/healt"},
        {"/api/v1"},
        {"/API/v1/health"},
        {"api/v1/health"}, /* no leading slash */
        {""},
        {"//"},
        {"/api/v1/contacts/1/labels"},
        {"/api/v1/contacts//labels/2"},
        {"/api/v1/hidden"}, /* after the table's end */
    };
    return cr_make_param_array(struct miss_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct miss_case *c, router, unknown_paths_do_not_match)
{
    for (int i = 0; i < 5; i++) {
        static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
        match(methods[i], c->path);
        cr_assert_null(m.route, "%s %s matched %s", methods[i], c->path,
                       m.route ? m.route->pattern : "");
        cr_assert_not(m.path_matched, "%s %s", methods[i], c->path);
        cr_assert_eq(m.nparams, 0);
    }
}

Test(router, segment_of_256_bytes_matches_257_does_not)
{
    char path[400];
    const char *prefix = "/api/v1/users/";
    size_t plen = strlen(prefix);
    memcpy(path, prefix, plen);
    memset(path + plen, '9', 256);
    path[plen + 256] = '\0';
    match("GET", path);
    cr_assert_eq(m.route, &routes[4]);
    cr_assert_eq(strlen(m.params[0].value), 256);

    path[plen + 256] = '9';
    path[plen + 257] = '\0';
    match("GET", path);
    cr_assert_null(m.route);
    cr_assert_not(m.path_matched);
}

Test(router, end_of_table_stops_the_search)
{
    match("GET", "/api/v1/hidden");
    cr_assert_null(m.route);
    const laris_route_t empty[] = {{NULL, NULL, NULL, 0, 0, 0}};
    laris_router_match(empty, "GET", "/", arena, &m);
    cr_assert_null(m.route);
    cr_assert_not(m.path_matched);
}

Test(router, no_allocation_without_params)
{
    size_t before = laris_arena_used(arena);
    match("GET", "/api/v1/users");
    match("GET", "/nowhere");
    match("POST", "/api/v1/health");
    cr_assert_eq(laris_arena_used(arena), before);
    match("GET", "/api/v1/users/5");
    cr_assert_gt(laris_arena_used(arena), before);
}
