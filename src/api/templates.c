/* WhatsApp message templates: agents list and read approved ones (the composer's picker); the
 * owner creates, edits, deletes and syncs them, at Meta first. */
#include "api_internal.h"

/* The request's ?status= and ?q= for list_filtered (api_list passes no extra argument; a
 * worker serves one request at a time). */
static const char *request_status, *request_q;

static laris_rc list_filtered(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                              int64_t *next_after)
{
    return laris_templates_list(ctx, request_status, request_q, after_id, limit, items, next_after);
}

/* GET /api/v1/templates?status=&q=&limit=&cursor= */
laris_rc templates_index(laris_req_t *req)
{
    request_status = laris_req_query(req, "status");
    request_q = laris_req_query(req, "q");
    laris_rc rc = api_list(req, list_filtered);
    request_status = request_q = NULL;
    return rc;
}

/* GET /api/v1/templates/{id} */
laris_rc templates_show(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "template", &id))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_templates_get(api_ctx(req), id, &out);
    return api_respond(req, rc, 200, out);
}

/* POST /api/v1/templates {name, language, category, components, parameter_format?,
 * wa_number_id?} -> 201 */
laris_rc templates_create(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_templates_create(api_ctx(req), body, &out);
    return api_respond(req, rc, 201, out);
}

/* PATCH /api/v1/templates/{id} {components} */
laris_rc templates_update(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "template", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_templates_update(api_ctx(req), id, body, &out);
    return api_respond(req, rc, 200, out);
}

/* DELETE /api/v1/templates/{id} -> 204 */
laris_rc templates_delete(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "template", &id))
        return req->err.code;
    laris_rc rc = laris_templates_delete(api_ctx(req), id);
    if (rc != LARIS_OK)
        return rc;
    return laris_resp_empty(req, 204);
}

/* POST /api/v1/templates/sync {wa_number_id?} (the body may be left out) -> 200 {synced,
 * removed, skipped} */
laris_rc templates_sync(laris_req_t *req)
{
    json_t *body = ((api_state_t *)req->app)->body;
    if (body && !api_body(req))
        return req->err.code; /* JSON, but not an object */
    json_t *none = body ? NULL : json_object();
    json_t *out = NULL;
    laris_rc rc = laris_templates_sync(api_ctx(req), body ? body : none, &out);
    json_decref(none);
    return api_respond(req, rc, 200, out);
}
