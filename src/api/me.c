/* The person behind the request: who am I, my profile, my password, my presence. */
#include "api_internal.h"
#include "laris/json.h"

/* GET /api/v1/me -> {user, tenant, csrf_token? (session), token? {id, role} (API token)} */
laris_rc me_show(laris_req_t *req)
{
    json_t *me = NULL;
    laris_rc rc = laris_me_get(api_ctx(req), &me);
    const char *session_token = ((api_state_t *)req->app)->session_token;
    laris_ctx_t *ctx = api_ctx(req);
    if (rc == LARIS_OK && session_token) {
        char csrf[LARIS_TOKEN_MAX];
        api_csrf_token(session_token, csrf);
        json_object_set_new(me, "csrf_token", json_string(csrf));
    } else if (rc == LARIS_OK && ctx->api_key_id) {
        /* A program: user is the token's creator; it acts with the token's own role. */
        json_object_set_new(me, "token",
                            json_pack("{s:I, s:s}", "id", (json_int_t)ctx->api_key_id, "role",
                                      laris_role_name(ctx->role)));
    }
    return api_respond(req, rc, 200, me);
}

/* PATCH /api/v1/me {name?, locale?} -> the user */
laris_rc me_update(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *user = NULL;
    laris_rc rc = laris_me_update(api_ctx(req), body, &user);
    return api_respond(req, rc, 200, user);
}

/* PUT /api/v1/me/password {current_password, new_password} -> 204; other sessions end */
laris_rc me_password(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    const char *current = NULL, *next = NULL;
    laris_json_string(body, "current_password", 1, 128, true, &current, &req->err);
    laris_json_string(body, "new_password", 1, 200, true, &next, &req->err);
    if (req->err.code != LARIS_OK)
        return req->err.code;
    laris_rc rc = laris_me_change_password(api_ctx(req), current, next);
    if (rc != LARIS_OK)
        return rc;
    return laris_resp_empty(req, 204);
}

static const char *const presences[] = {"online", "away", "offline", NULL};

/* PUT /api/v1/me/presence {presence: online|away|offline} -> {presence, presence_at} */
laris_rc me_presence(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    const char *presence = NULL;
    if (!laris_json_enum(body, "presence", presences, true, &presence, &req->err))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_me_set_presence(api_ctx(req), presence, &out);
    return api_respond(req, rc, 200, out);
}
