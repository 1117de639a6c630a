/* Live events: the typing notice, and nginx's check of an nchan subscription (the request
 * nchan_authorize_request makes for /rt/sub/...; nginx passes the subscriber's own URI as
 * LARIS_RT_URI and its cookies as they came). */
#include <stdint.h>

#include "api_internal.h"

/* POST /api/v1/conversations/{id}/typing */
laris_rc conversations_typing(laris_req_t *req)
{
    int64_t id;
    if (!laris_req_param_id(req, "id", &id))
        return laris_err_set(&req->err, LARIS_ENOTFOUND, "There is no such conversation.");
    json_t *out = NULL;
    laris_rc rc = laris_live_typing(api_ctx(req), id, &out);
    return api_respond(req, rc, 202, out);
}

/* GET /internal/rt/auth: 200 when the person behind the session may listen on the channel,
 * else 403 (401 without a session, from authentication). */
laris_rc live_authorize(laris_req_t *req)
{
    if (!laris_live_may_subscribe(api_ctx(req), laris_req_env(req, "LARIS_RT_URI")))
        return laris_err_set(&req->err, LARIS_EFORBIDDEN, "This channel is not yours.");
    return laris_resp_json(req, 200, json_object());
}
