/* Contacts: the shop's customer records. Agents list, read, create and edit them; supervisors
 * and owners delete them (the route table). A contact's labels: PUT /contacts/{id}/labels
 * (labels.c). */
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"

/* The request's filters for list_filtered (api_list passes no extra argument; a worker serves
 * one request at a time). */
static laris_contact_filter_t request_filter;

static laris_rc list_filtered(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                              int64_t *next_after)
{
    request_filter.before_id = after_id;
    request_filter.limit = limit;
    return laris_contacts_list(ctx, &request_filter, items, next_after);
}

/* A positive id in query parameter name (absent: 0); false with a field error when bad. */
static bool query_id(laris_req_t *req, const char *name, int64_t *out)
{
    *out = 0;
    const char *text = laris_req_query(req, name);
    if (!text)
        return true;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (text[0] >= '1' && text[0] <= '9' && !*end && strlen(text) <= 18 && v > 0) {
        *out = v;
        return true;
    }
    laris_err_field(&req->err, name, "must be an id");
    return false;
}

/* GET /api/v1/contacts?q=&lead_status=hot|warm|cold|none&label=&limit=&cursor= */
laris_rc contacts_index(laris_req_t *req)
{
    static const char *const leads[] = {"hot", "warm", "cold", "none", NULL};
    memset(&request_filter, 0, sizeof(request_filter));
    const char *lead = laris_req_query(req, "lead_status");
    for (size_t i = 0; lead && leads[i]; i++)
        if (strcmp(lead, leads[i]) == 0)
            request_filter.lead_status = leads[i];
    if (lead && !request_filter.lead_status)
        laris_err_field(&req->err, "lead_status", "must be hot, warm, cold or none");
    query_id(req, "label", &request_filter.label_id);
    request_filter.q = laris_req_query(req, "q");
    if (req->err.code != LARIS_OK)
        return req->err.code;
    return api_list(req, list_filtered);
}

/* GET /api/v1/contacts/{id} */
laris_rc contacts_show(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "contact", &id))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_contacts_get(api_ctx(req), id, &out);
    return api_respond(req, rc, 200, out);
}

/* POST /api/v1/contacts {phone, name?, lead_status?, city?, birthday?, note?} -> 201 */
laris_rc contacts_create(laris_req_t *req)
{
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_contacts_create(api_ctx(req), body, &out);
    return api_respond(req, rc, 201, out);
}

/* PATCH /api/v1/contacts/{id} {name?, lead_status?, city?, birthday?, note?,
 * marketing_opt_out?} */
laris_rc contacts_update(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "contact", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_contacts_update(api_ctx(req), id, body, &out);
    return api_respond(req, rc, 200, out);
}

/* DELETE /api/v1/contacts/{id} -> 204; 409 while the contact has orders */
laris_rc contacts_delete(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "contact", &id))
        return req->err.code;
    laris_rc rc = laris_contacts_delete(api_ctx(req), id);
    if (rc != LARIS_OK)
        return rc;
    return laris_resp_empty(req, 204);
}
