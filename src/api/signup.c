/* Signup: a business and its owner. */
#include "api_internal.h"
#include "laris/json.h"

/* POST /api/v1/signup {business_name, name, email, password, phone?, timezone?} */
laris_rc signup_create(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    laris_signup_t in = {0};
    laris_json_string(body, "business_name", 1, 200, true, &in.business_name, &req->err);
    laris_json_string(body, "name", 1, 100, true, &in.owner_name, &req->err);
    laris_json_string(body, "email", 3, 254, true, &in.email, &req->err);
    laris_json_string(body, "password", 8, 128, true, &in.password, &req->err);
    laris_json_string(body, "phone", 0, 32, false, &in.phone, &req->err);
    laris_json_string(body, "timezone", 1, 64, false, &in.timezone, &req->err);
    if (req->err.code != LARIS_OK)
        return req->err.code;
    laris_ctx_t *ctx = api_ctx(req);
    laris_rc rc = laris_tenant_signup(ctx, &in);
    json_t *me = NULL;
    if (rc == LARIS_OK)
        rc = laris_me_get(ctx, &me);
    return api_respond(req, rc, 201, me);
}
