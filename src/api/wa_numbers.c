/* WhatsApp numbers: the owner connects, lists, changes and removes the tenant's Cloud API
 * numbers. Secrets go in, never out. */
#include "api_internal.h"

/* GET /api/v1/wa-numbers?limit=&cursor= */
laris_rc wa_numbers_index(laris_req_t *req)
{
    return api_list(req, laris_wa_numbers_list);
}

/* POST /api/v1/wa-numbers {phone_number_id, waba_id, display_phone_number, access_token,
 * app_secret?, verify_token?, throughput_mps?, name?} -> 201 */
laris_rc wa_numbers_create(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *number = NULL;
    laris_rc rc = laris_wa_numbers_create(api_ctx(req), body, &number);
    return api_respond(req, rc, 201, number);
}

/* GET /api/v1/wa-numbers/{id} */
laris_rc wa_numbers_show(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "WhatsApp number", &id))
        return req->err.code;
    json_t *number = NULL;
    laris_rc rc = laris_wa_numbers_get(api_ctx(req), id, &number);
    return api_respond(req, rc, 200, number);
}

/* PATCH /api/v1/wa-numbers/{id} {name?, display_phone_number?, throughput_mps?, access_token?,
 * app_secret?, verify_token?} */
laris_rc wa_numbers_update(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "WhatsApp number", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *number = NULL;
    laris_rc rc = laris_wa_numbers_update(api_ctx(req), id, body, &number);
    return api_respond(req, rc, 200, number);
}

/* DELETE /api/v1/wa-numbers/{id}: disables it and frees its phone_number_id -> 204 */
laris_rc wa_numbers_delete(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "WhatsApp number", &id))
        return req->err.code;
    laris_rc rc = laris_wa_numbers_remove(api_ctx(req), id);
    if (rc != LARIS_OK)
        return rc;
    return laris_resp_empty(req, 204);
}
