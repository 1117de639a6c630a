/* Customer service: business hours and automatic-reply settings, keyword auto-replies, and a
 * chat's SLA figures. */
#include <stdint.h>

#include "api_internal.h"
#include "laris/json.h"

/* GET /api/v1/settings/service */
laris_rc service_settings_show(laris_req_t *req)
{
    json_t *out = NULL;
    laris_rc rc = laris_service_settings_get(api_ctx(req), &out);
    return api_respond(req, rc, 200, out);
}

/* PUT /api/v1/settings/service {business_hours?, closed_dates?, greeting_*?, away_*?, sla_*?} */
laris_rc service_settings_update(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_service_settings_put(api_ctx(req), body, &out);
    return api_respond(req, rc, 200, out);
}

/* GET /api/v1/auto-replies?limit=&cursor= */
laris_rc auto_replies_index(laris_req_t *req)
{
    return api_list(req, laris_auto_replies_list);
}

/* POST /api/v1/auto-replies {keywords, match?, reply_text, active?} -> 201 */
laris_rc auto_replies_create(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_auto_replies_create(api_ctx(req), body, &out);
    return api_respond(req, rc, 201, out);
}

/* PATCH /api/v1/auto-replies/{id} {keywords?, match?, reply_text?, active?} */
laris_rc auto_replies_update(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "auto-reply", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_auto_replies_update(api_ctx(req), id, body, &out);
    return api_respond(req, rc, 200, out);
}

/* DELETE /api/v1/auto-replies/{id} -> 204 */
laris_rc auto_replies_delete(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "auto-reply", &id))
        return req->err.code;
    laris_rc rc = laris_auto_replies_delete(api_ctx(req), id);
    if (rc != LARIS_OK)
        return rc;
    return laris_resp_empty(req, 204);
}

/* GET /api/v1/conversations/{id}/sla */
laris_rc conversations_sla(laris_req_t *req)
{
    int64_t id;
    if (!laris_req_param_id(req, "id", &id))
        return laris_err_set(&req->err, LARIS_ENOTFOUND, "There is no such conversation.");
    json_t *out = NULL;
    laris_rc rc = laris_conversation_sla_get(api_ctx(req), id, &out);
    return api_respond(req, rc, 200, out);
}
