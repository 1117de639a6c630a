/* Orders recorded from a chat: agents list, read, record and update them; cancelling a paid
 * order is for supervisors and owners (checked in crm). */
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"

#define IDEMPOTENCY_KEY_MAX 255

/* The request's filters for list_filtered (api_list passes no extra argument; a worker serves
 * one request at a time). */
static laris_order_filter_t request_filter;

static laris_rc list_filtered(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                              int64_t *next_after)
{
    request_filter.before_id = after_id;
    request_filter.limit = limit;
    return laris_orders_list(ctx, &request_filter, items, next_after);
}

/* GET /api/v1/orders?contact_id=&payment_status=unpaid|paid|cancelled&limit=&cursor= */
laris_rc orders_index(laris_req_t *req)
{
    static const char *const statuses[] = {"unpaid", "paid", "cancelled", NULL};
    memset(&request_filter, 0, sizeof(request_filter));
    const char *status = laris_req_query(req, "payment_status");
    for (size_t i = 0; status && statuses[i]; i++)
        if (strcmp(status, statuses[i]) == 0)
            request_filter.payment_status = statuses[i];
    if (status && !request_filter.payment_status)
        laris_err_field(&req->err, "payment_status", "must be unpaid, paid or cancelled");
    const char *contact = laris_req_query(req, "contact_id");
    if (contact) {
        char *end;
        long long v = strtoll(contact, &end, 10);
        if (contact[0] >= '1' && contact[0] <= '9' && !*end && strlen(contact) <= 18 && v > 0)
            request_filter.contact_id = v;
        else
            laris_err_field(&req->err, "contact_id", "must be an id");
    }
    if (req->err.code != LARIS_OK)
        return req->err.code;
    return api_list(req, list_filtered);
}

/* GET /api/v1/orders/{id} */
laris_rc orders_show(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "order", &id))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_orders_get(api_ctx(req), id, &out);
    return api_respond(req, rc, 200, out);
}

/* POST /api/v1/orders {conversation_id | contact_id, items, payment_status?, note?} with an
 * optional Idempotency-Key header -> 201 (a repeat with the key: the first order) */
laris_rc orders_create(laris_req_t *req)
{
    const char *key = laris_req_env(req, "HTTP_IDEMPOTENCY_KEY");
    if (key) {
        size_t len = strlen(key);
        bool printable = len > 0 && len <= IDEMPOTENCY_KEY_MAX;
        for (size_t i = 0; printable && i < len; i++)
            printable = key[i] > 0x20 && key[i] < 0x7f;
        if (!printable)
            return laris_err_field(&req->err, "Idempotency-Key",
                                   "must be 1 to %d visible ASCII characters", IDEMPOTENCY_KEY_MAX);
    }
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_orders_create(api_ctx(req), body, key, &out);
    return api_respond(req, rc, 201, out);
}

/* PATCH /api/v1/orders/{id} {payment_status?, items?, note?} */
laris_rc orders_update(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "order", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_orders_update(api_ctx(req), id, body, &out);
    return api_respond(req, rc, 200, out);
}
