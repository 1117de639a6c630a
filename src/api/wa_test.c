/* Testing a WhatsApp number: the owner asks Graph, with the number's own token, whether the
 * connection works. */
#include "api_internal.h"

/* POST /api/v1/wa-numbers/{id}/test -> 200 {ok, display_phone_number, verified_name,
 * quality_rating} or {ok: false, error, needs_new_token}; 503 when Graph cannot be reached */
laris_rc wa_numbers_test(laris_req_t *req)
{
    int64_t id;
    if (!laris_req_param_id(req, "id", &id))
        return laris_err_set(&req->err, LARIS_ENOTFOUND, "There is no such WhatsApp number.");
    json_t *result = NULL;
    laris_rc rc = laris_wa_numbers_test(api_ctx(req), id, &result);
    return api_respond(req, rc, 200, result);
}
