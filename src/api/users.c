/* The team: owners and supervisors list, add, change and deactivate people. */
#include "api_internal.h"

/* GET /api/v1/users?limit=&cursor= */
laris_rc users_index(laris_req_t *req)
{
    return api_list(req, laris_users_list);
}

/* POST /api/v1/users {email, name, password, role: supervisor|agent, max_chats?} -> 201 */
laris_rc users_create(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *user = NULL;
    laris_rc rc = laris_users_create(api_ctx(req), body, &user);
    return api_respond(req, rc, 201, user);
}

/* GET /api/v1/users/{id} */
laris_rc users_show(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "user", &id))
        return req->err.code;
    json_t *user = NULL;
    laris_rc rc = laris_users_get(api_ctx(req), id, &user);
    return api_respond(req, rc, 200, user);
}

/* PATCH /api/v1/users/{id} {name?, role?, max_chats?, active?, password?} */
laris_rc users_update(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "user", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *user = NULL;
    laris_rc rc = laris_users_update(api_ctx(req), id, body, &user);
    return api_respond(req, rc, 200, user);
}

/* DELETE /api/v1/users/{id}: deactivates (history keeps the person) -> 204 */
laris_rc users_delete(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "user", &id))
        return req->err.code;
    laris_rc rc = laris_users_deactivate(api_ctx(req), id);
    if (rc != LARIS_OK)
        return rc;
    return laris_resp_empty(req, 204);
}
