/* A conversation's messages: the history, and replies that laris-worker sends (202: queued). */
#include <string.h>

#include "api_internal.h"

#define IDEMPOTENCY_KEY_MAX 255

/* GET /api/v1/conversations/{id}/messages?limit=&cursor= */
laris_rc messages_index(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    return api_list_in(req, id, laris_messages_list);
}

/* POST /api/v1/conversations/{id}/messages {type, <type>: {...}, reply_to?} for every type of
 * crm's laris_messages_reply, with an optional Idempotency-Key header -> 202 */
laris_rc messages_create(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
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
    json_t *message = NULL;
    laris_rc rc = laris_messages_reply(api_ctx(req), id, body, key, &message);
    return api_respond(req, rc, 202, message);
}

/* POST /api/v1/conversations/{id}/messages/{message_id}/read: marks a customer's message read
 * on WhatsApp -> 202 with the read receipt (queued), 200 with the same receipt when it was
 * marked before. */
laris_rc messages_read(laris_req_t *req)
{
    int64_t id, message_id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    if (!laris_req_param_id(req, "message_id", &message_id))
        return laris_err_set(&req->err, LARIS_ENOTFOUND, "There is no such message.");
    json_t *receipt = NULL;
    bool created = false;
    laris_rc rc = laris_messages_mark_read(api_ctx(req), id, message_id, &created, &receipt);
    return api_respond(req, rc, created ? 202 : 200, receipt);
}
