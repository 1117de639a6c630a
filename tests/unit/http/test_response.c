/* Tests for response.c: JSON bodies, headers and problem+json errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "laris/http.h"
#include "laris/json.h"

static laris_arena_t *arena;
static laris_req_t req;

static void setup(void)
{
    arena = laris_arena_create(4096);
    laris_req_init(&req, arena);
    req.request_id = "req-12345678";
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

/* Decodes the response body (owned by the arena). */
static json_t *body(void)
{
    json_t *v = NULL;
    laris_err_t err;
    laris_err_init(&err, arena);
    cr_assert_eq(laris_json_decode(arena, req.resp_body.data, req.resp_body.len,
                                   &laris_json_default_limits, &v, &err),
                 LARIS_OK);
    return v;
}

static const char *header(const char *name)
{
    for (size_t i = 0; i < req.nresp_headers; i++)
        if (strcmp(req.resp_headers[i].name, name) == 0)
            return req.resp_headers[i].value;
    return NULL;
}

TestSuite(response, .init = setup, .fini = teardown);

Test(response, json_sets_status_type_and_body)
{
    laris_resp_json(&req, 201, json_pack("{s:i}", "id", 7));
    cr_assert_eq(req.status, 201);
    cr_assert_str_eq(req.resp_content_type, "application/json");
    cr_assert_eq(json_integer_value(json_object_get(body(), "id")), 7);
}

Test(response, problem_has_rfc9457_members)
{
    laris_err_set(&req.err, LARIS_ENOTFOUND, "There is no such user.");
    laris_resp_problem(&req);
    json_t *p = body();
    cr_assert_eq(req.status, 404);
    cr_assert_str_eq(req.resp_content_type, "application/problem+json");
    cr_assert_str_eq(json_string_value(json_object_get(p, "type")),
                     "https://laris.id/problems/not-found");
    cr_assert_str_eq(json_string_value(json_object_get(p, "title")), "Not found");
    cr_assert_eq(json_integer_value(json_object_get(p, "status")), 404);
    cr_assert_str_eq(json_string_value(json_object_get(p, "detail")), "There is no such user.");
    cr_assert_str_eq(json_string_value(json_object_get(p, "instance")),
                     "urn:laris:request:req-12345678");
    cr_assert_null(json_object_get(p, "errors"));
}

Test(response, problem_lists_field_errors)
{
    laris_err_field(&req.err, "email", "is required");
    laris_err_field(&req.err, "password", "must be at least 8 characters");
    laris_resp_problem(&req);
    json_t *errors = json_object_get(body(), "errors");
    cr_assert_eq(req.status, 422);
    cr_assert_eq(json_array_size(errors), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 1), "field")),
                     "password");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "message")),
                     "is required");
}

Test(response, throttled_problem_sends_retry_after)
{
    laris_err_set(&req.err, LARIS_ETHROTTLED, "Too many attempts.");
    req.err.retry_after = 42;
    laris_resp_problem(&req);
    cr_assert_eq(req.status, 429);
    cr_assert_str_eq(header("Retry-After"), "42");
}

Test(response, problem_without_code_is_internal)
{
    laris_resp_problem(&req);
    cr_assert_eq(req.status, 500);
}

Test(response, header_with_line_break_is_dropped)
{
    laris_resp_header(&req, "X-Evil", "a\r\nSet-Cookie: x=1");
    laris_resp_header(&req, "Bad\nName", "v");
    laris_resp_header(&req, "X-Good", "fine");
    cr_assert_eq(req.nresp_headers, 1);
    cr_assert_str_eq(header("X-Good"), "fine");
}

Test(response, empty_response_has_no_body)
{
    laris_resp_json(&req, 200, json_object());
    laris_resp_empty(&req, 204);
    cr_assert_eq(req.status, 204);
    cr_assert_eq(req.resp_body.len, 0);
    cr_assert_null(req.resp_content_type);
}
