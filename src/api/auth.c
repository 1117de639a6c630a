/* Authentication of a request: API token (Authorization: Bearer) or session cookie (for the
 * GET of a cached route, first from the inbox cache), then the route's least role, then the
 * CSRF token for unsafe methods under a session. */
#include <string.h>
#include <strings.h>

#include "api_internal.h"
#include "laris/crypto.h"

static bool is_safe_method(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ||
           strcmp(method, "OPTIONS") == 0;
}

static laris_rc check_csrf(laris_req_t *req, const char *session_token)
{
    if (is_safe_method(req->method))
        return LARIS_OK;
    const char *sent = laris_req_env(req, "HTTP_X_CSRF_TOKEN");
    char expected[LARIS_TOKEN_MAX];
    api_csrf_token(session_token, expected);
    if (!sent || !laris_secure_equal(sent, expected))
        return laris_err_set(&req->err, LARIS_EFORBIDDEN,
                             "The X-CSRF-Token header is missing or wrong. Reload the page.");
    return LARIS_OK;
}

/* The path and query string: what a cached answer is an answer to. */
static const char *request_target(laris_req_t *req)
{
    if (!req->query[0])
        return req->path;
    return laris_arena_printf(req->arena, "%s?%s", req->path, req->query);
}

laris_rc api_authenticate(laris_req_t *req)
{
    const laris_route_t *route = req->route;
    if (route->auth == API_AUTH_NONE || route->auth == API_AUTH_WEBHOOK)
        return LARIS_OK;
    api_state_t *st = req->app;
    laris_ctx_t *ctx = &st->ctx;
    const char *authorization = laris_req_env(req, "HTTP_AUTHORIZATION");
    laris_rc rc;
    if (authorization && authorization[0]) {
        if (strncasecmp(authorization, "Bearer ", 7) != 0)
            return laris_err_set(&req->err, LARIS_EUNAUTHORIZED,
                                 "Use Authorization: Bearer <token>.");
        if (route->auth == API_AUTH_SESSION)
            return laris_err_set(&req->err, LARIS_EFORBIDDEN,
                                 "This needs a person logged in; API tokens cannot do it.");
        rc = laris_api_key_authenticate(ctx, authorization + 7);
    } else {
        const char *token = laris_req_cookie(req, API_SESSION_COOKIE);
        if (!token)
            return laris_err_set(&req->err, LARIS_EUNAUTHORIZED, "Log in first.");
        if (route->auth == API_AUTH_PERSON_CACHED && strcmp(req->method, "GET") == 0)
            laris_inbox_cache_lookup(ctx, token, request_target(req), &st->cache);
        if (st->cache.session_hit) {
            rc = LARIS_OK;
        } else {
            rc = laris_session_authenticate(ctx, token);
            if (rc == LARIS_OK)
                laris_inbox_cache_vouch(ctx, &st->cache);
        }
        if (rc == LARIS_OK) {
            st->session_token = token;
            rc = check_csrf(req, token);
        }
    }
    if (rc != LARIS_OK)
        return rc;
    if ((int)ctx->role < route->min_role)
        return laris_err_set(&req->err, LARIS_EFORBIDDEN, "Your role (%s) cannot do this.",
                             laris_role_name(ctx->role));
    return LARIS_OK;
}
