/* Login and logout: the session cookie and the CSRF token that goes with it. */
#include "api_internal.h"
#include "laris/json.h"

/* POST /api/v1/auth/login {email, password} -> {user, tenant, csrf_token} + cookie */
laris_rc session_login(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    const char *email = NULL, *password = NULL;
    laris_json_string(body, "email", 1, 254, true, &email, &req->err);
    laris_json_string(body, "password", 1, 128, true, &password, &req->err);
    if (req->err.code != LARIS_OK)
        return req->err.code;
    laris_ctx_t *ctx = api_ctx(req);
    char token[LARIS_CREDENTIAL_MAX];
    laris_rc rc = laris_session_login(ctx, email, password, token);
    json_t *me = NULL;
    if (rc == LARIS_OK)
        rc = laris_me_get(ctx, &me);
    if (rc != LARIS_OK)
        return api_respond(req, rc, 200, me);
    char csrf[LARIS_TOKEN_MAX];
    api_csrf_token(token, csrf);
    json_object_set_new(me, "csrf_token", json_string(csrf));
    laris_resp_header(req, "Set-Cookie",
                      api_session_cookie(req, laris_arena_strdup(req->arena, token)));
    return laris_resp_json(req, 200, me);
}

/* POST /api/v1/auth/logout -> 204, cookie cleared */
laris_rc session_logout(laris_req_t *req)
{
    laris_rc rc = laris_session_logout(api_ctx(req));
    if (rc != LARIS_OK)
        return rc;
    laris_resp_header(req, "Set-Cookie", api_session_cookie(req, NULL));
    return laris_resp_empty(req, 204);
}
