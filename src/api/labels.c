/* Labels: agents read them; supervisors and owners make, rename, recolor and delete them, and
 * set a contact's labels (a conversation's go through PATCH /conversations/{id}). */
#include "api_internal.h"

/* GET /api/v1/labels?limit=&cursor= */
laris_rc labels_index(laris_req_t *req)
{
    return api_list(req, laris_labels_list);
}

/* GET /api/v1/labels/{id} */
laris_rc labels_show(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "label", &id))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_labels_get(api_ctx(req), id, &out);
    return api_respond(req, rc, 200, out);
}

/* POST /api/v1/labels {name, color?} -> 201 */
laris_rc labels_create(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_labels_create(api_ctx(req), body, &out);
    return api_respond(req, rc, 201, out);
}

/* PATCH /api/v1/labels/{id} {name?, color?} */
laris_rc labels_update(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "label", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_labels_update(api_ctx(req), id, body, &out);
    return api_respond(req, rc, 200, out);
}

/* DELETE /api/v1/labels/{id} -> 204 (taken off every conversation and contact) */
laris_rc labels_delete(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "label", &id))
        return req->err.code;
    laris_rc rc = laris_labels_delete(api_ctx(req), id);
    if (rc != LARIS_OK)
        return rc;
    return laris_resp_empty(req, 204);
}

/* PUT /api/v1/contacts/{id}/labels {label_ids: [...]} */
laris_rc contact_labels_update(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "contact", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_contact_labels_set(api_ctx(req), id, body, &out);
    return api_respond(req, rc, 200, out);
}
