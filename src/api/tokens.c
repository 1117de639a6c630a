/* Tenant API tokens: the owner lists, creates (the secret is shown once) and revokes them. */
#include "api_internal.h"

/* GET /api/v1/tokens?limit=&cursor= */
laris_rc tokens_index(laris_req_t *req)
{
    return api_list(req, laris_tokens_list);
}

/* POST /api/v1/tokens {name, role?} -> 201 {token: {...}, secret} */
laris_rc tokens_create(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *token = NULL;
    char secret[LARIS_CREDENTIAL_MAX];
    laris_rc rc = laris_tokens_create(api_ctx(req), body, &token, secret);
    if (rc != LARIS_OK)
        return api_respond(req, rc, 201, token);
    return laris_resp_json(req, 201, json_pack("{s:o, s:s}", "token", token, "secret", secret));
}

/* DELETE /api/v1/tokens/{id} -> 204 */
laris_rc tokens_delete(laris_req_t *req)
{
    int64_t id;
    if (!laris_req_param_id(req, "id", &id))
        return laris_err_set(&req->err, LARIS_ENOTFOUND, "There is no such active token.");
    laris_rc rc = laris_tokens_revoke(api_ctx(req), id);
    if (rc != LARIS_OK)
        return rc;
    return laris_resp_empty(req, 204);
}
