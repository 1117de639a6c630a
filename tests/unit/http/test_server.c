/* Tests for server.c: routing, body limits, request ids and errors through laris_http_dispatch. */
#include <criterion/criterion.h>
#include <string.h>

#include "laris/http.h"
#include "laris/log.h"

static int handled;

static laris_rc ok_handler(laris_req_t *req)
{
    handled++;
    return laris_resp_json(req, 200, json_pack("{s:s}", "id", laris_req_param(req, "id")));
}

static laris_rc failing_handler(laris_req_t *req)
{
    handled++;
    return laris_err_field(&req->err, "name", "must not be empty");
}

static const laris_route_t routes[] = {
    {"GET", "/things/{id}", ok_handler, 0, 0, 0},
    {"POST", "/things", failing_handler, 0, 0, 100},
    {NULL, NULL, NULL, 0, 0, 0},
};

static laris_rc handle(laris_req_t *req)
{
    return req->route->handler(req);
}

static const laris_http_app_t app = {
    .routes = routes, .handle = handle, .default_body_limit = 1000};

static laris_arena_t *arena;
static laris_req_t req;

static void setup(void)
{
    laris_log_setup("test", LARIS_ERROR);
    arena = laris_arena_create(4096);
    laris_req_init(&req, arena);
    handled = 0;
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(server, .init = setup, .fini = teardown);

Test(server, routes_to_the_handler_with_params)
{
    req.method = "GET";
    req.path = "/things/17";
    laris_http_dispatch(&req, &app);
    cr_assert_eq(req.status, 200);
    cr_assert_eq(handled, 1);
    cr_assert(strstr(req.resp_body.data, "\"17\""));
    cr_assert_eq(strlen(req.request_id), 32, "a request id is generated");
}

Test(server, unknown_path_is_404_problem)
{
    req.method = "GET";
    req.path = "/nothing";
    laris_http_dispatch(&req, &app);
    cr_assert_eq(req.status, 404);
    cr_assert_str_eq(req.resp_content_type, "application/problem+json");
    cr_assert_eq(handled, 0);
}

Test(server, wrong_method_is_405)
{
    req.method = "DELETE";
    req.path = "/things/3";
    laris_http_dispatch(&req, &app);
    cr_assert_eq(req.status, 405);
    cr_assert_eq(handled, 0);
    cr_assert_eq(req.nresp_headers, 1);
    cr_assert_str_eq(req.resp_headers[0].name, "Allow");
    cr_assert_str_eq(req.resp_headers[0].value, "GET");
}

Test(server, declared_body_over_route_limit_is_413_before_the_handler)
{
    char *env[] = {"CONTENT_LENGTH=101", NULL};
    req.params_env = env;
    req.method = "POST";
    req.path = "/things";
    laris_http_dispatch(&req, &app);
    cr_assert_eq(req.status, 413);
    cr_assert_eq(handled, 0);
}

Test(server, bad_content_length_is_400)
{
    char *env[] = {"CONTENT_LENGTH=12x", NULL};
    req.params_env = env;
    req.method = "POST";
    req.path = "/things";
    laris_http_dispatch(&req, &app);
    cr_assert_eq(req.status, 400);
}

Test(server, handler_error_becomes_problem)
{
    char *env[] = {"CONTENT_LENGTH=100", NULL};
    req.params_env = env;
    req.method = "POST";
    req.path = "/things";
    laris_http_dispatch(&req, &app);
    cr_assert_eq(handled, 1);
    cr_assert_eq(req.status, 422);
    cr_assert(strstr(req.resp_body.data, "\"field\":\"name\""));
}

Test(server, plain_request_id_is_kept_and_hostile_one_replaced)
{
    char *env[] = {"HTTP_X_REQUEST_ID=abc-123_XYZ", NULL};
    req.params_env = env;
    req.method = "GET";
    req.path = "/things/1";
    laris_http_dispatch(&req, &app);
    cr_assert_str_eq(req.request_id, "abc-123_XYZ");

    laris_arena_reset(arena);
    laris_req_init(&req, arena);
    char *hostile[] = {"HTTP_X_REQUEST_ID=abc\"}{\"x", NULL};
    req.params_env = hostile;
    req.method = "GET";
    req.path = "/things/1";
    laris_http_dispatch(&req, &app);
    cr_assert_eq(strlen(req.request_id), 32);
}
