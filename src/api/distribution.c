/* Distribution: the tenant's settings, and claiming, transferring and escalating a chat. */
#include <stdint.h>

#include "api_internal.h"
#include "laris/json.h"

/* GET /api/v1/settings */
laris_rc settings_show(laris_req_t *req)
{
    json_t *out = NULL;
    laris_rc rc = laris_settings_get(api_ctx(req), &out);
    return api_respond(req, rc, 200, out);
}

/* PUT /api/v1/settings {distribution_mode?, offline_grace_seconds?} (owner) */
laris_rc settings_update(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_settings_put(api_ctx(req), body, &out);
    return api_respond(req, rc, 200, out);
}

/* POST /api/v1/conversations/{id}/claim */
laris_rc conversations_claim(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_dist_claim(api_ctx(req), id, &out);
    return api_respond(req, rc, 200, out);
}

/* POST /api/v1/conversations/{id}/transfer {user_id} */
laris_rc conversations_transfer(laris_req_t *req)
{
    int64_t id, to_user = 0;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    if (!laris_json_int(body, "user_id", 1, INT64_MAX, true, &to_user, &req->err))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_dist_transfer(api_ctx(req), id, to_user, &out);
    return api_respond(req, rc, 200, out);
}

/* POST /api/v1/conversations/{id}/escalate {reason} */
laris_rc conversations_escalate(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_dist_escalate(api_ctx(req), id, body, &out);
    return api_respond(req, rc, 200, out);
}
