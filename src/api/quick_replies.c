/* Quick replies: agents list them (?q=/ong by shortcut prefix); supervisors and owners write. */
#include "api_internal.h"

/* The request's ?q= prefix for list_with_prefix (api_list passes no extra argument; a worker
 * serves one request at a time). */
static const char *request_prefix;

static laris_rc list_with_prefix(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                                 int64_t *next_after)
{
    return laris_quick_replies_list(ctx, request_prefix, after_id, limit, items, next_after);
}

/* GET /api/v1/quick-replies?q=/ong&limit=&cursor= */
laris_rc quick_replies_index(laris_req_t *req)
{
    request_prefix = laris_req_query(req, "q");
    laris_rc rc = api_list(req, list_with_prefix);
    request_prefix = NULL;
    return rc;
}

/* GET /api/v1/quick-replies/{id} */
laris_rc quick_replies_show(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "quick reply", &id))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_quick_replies_get(api_ctx(req), id, &out);
    return api_respond(req, rc, 200, out);
}

/* POST /api/v1/quick-replies {shortcut, body} -> 201 */
laris_rc quick_replies_create(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_quick_replies_create(api_ctx(req), body, &out);
    return api_respond(req, rc, 201, out);
}

/* PATCH /api/v1/quick-replies/{id} {shortcut?, body?} */
laris_rc quick_replies_update(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "quick reply", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_quick_replies_update(api_ctx(req), id, body, &out);
    return api_respond(req, rc, 200, out);
}

/* DELETE /api/v1/quick-replies/{id} -> 204 */
laris_rc quick_replies_delete(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "quick reply", &id))
        return req->err.code;
    laris_rc rc = laris_quick_replies_delete(api_ctx(req), id);
    if (rc != LARIS_OK)
        return rc;
    return laris_resp_empty(req, 204);
}
