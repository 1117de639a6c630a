/* laris-sim: the Graph API routes — send messages (templates: templates.c; media: media.c).
 *
 * Answers are shaped like Meta's (REFERENCE.md §2, §4, §5): success envelopes and the Graph
 * error object, never problem+json. Each handler holds the state lock while it reads or
 * changes state, and sleeps (faults "slow" and "timeout_after_accept") without it. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "laris/crypto.h"
#include "laris/json.h"
#include "laris/log.h"
#include "sim_internal.h"

static const char *const status_names[] = {"sent", "delivered", "read"};

static laris_rc graph_reply(laris_req_t *req, int64_t code, const char *details)
{
    return laris_resp_json(req, laris_sim_error_http_status(code),
                           laris_sim_graph_error(code, details));
}

static const char *bearer_token(laris_req_t *req)
{
    const char *h = laris_req_env(req, "HTTP_AUTHORIZATION");
    if (h && strncasecmp(h, "Bearer ", 7) == 0) {
        h += 7;
        while (*h == ' ')
            h++;
        return *h ? h : NULL;
    }
    const char *q = laris_req_query(req, "access_token");
    return q && *q ? q : NULL;
}

bool sim_authorized(laris_req_t *req, const char *phone_number_id, const char *waba_id)
{
    const char *token = bearer_token(req);
    if (token) {
        for (size_t i = 0; i < sim_state.nnumbers; i++) {
            const sim_number_t *n = &sim_state.numbers[i];
            bool owns = (phone_number_id && !strcmp(n->phone_number_id, phone_number_id)) ||
                        (waba_id && !strcmp(n->waba_id, waba_id));
            if (!owns || !n->access_token[0] || !laris_secure_equal(n->access_token, token))
                continue;
            if (!sim_fault_take("token_expired"))
                return true;
            laris_resp_json(req, 401, laris_sim_token_expired_error());
            return false;
        }
    }
    laris_resp_json(req, 401, laris_sim_token_error(token == NULL));
    return false;
}

bool sim_waba_known(const char *waba_id)
{
    for (size_t i = 0; i < sim_state.nnumbers; i++)
        if (!strcmp(sim_state.numbers[i].waba_id, waba_id))
            return true;
    return false;
}

/* "v23.0" → 23; 0 when not a version. */
static int version_major(const char *v)
{
    if (v[0] != 'v' || v[1] < '0' || v[1] > '9')
        return 0;
    return (int)strtol(v + 1, NULL, 10);
}

/* The failed status of a reaction to a message the number does not have (§2.7: 131009). */
static json_t *reaction_failed(const char *wamid, const char *wa_id, int64_t due)
{
    char ts[24];
    snprintf(ts, sizeof(ts), "%lld", (long long)(due / 1000));
    return json_pack("{s:s,s:s,s:s,s:s,s:[{s:i,s:s,s:s,s:{s:s}}]}", "id", wamid, "status", "failed",
                     "timestamp", ts, "recipient_id", wa_id, "errors", "code", 131009, "title",
                     "Parameter value is not valid", "message", "Parameter value is not valid",
                     "error_data", "details",
                     "Message to react to does not exist or is older than 30 days.");
}

/* Queues sent → delivered → read for an accepted message (reactions: only sent, or failed
 * when reaction_target_unknown). */
static void queue_statuses(const sim_number_t *n, const laris_sim_send_t *send, const char *wamid,
                           int version, int64_t now, bool reaction_target_unknown)
{
    bool reaction = strcmp(send->type, "reaction") == 0;
    bool duplicate = sim_fault_take("duplicate_webhooks");
    bool reorder = sim_fault_take("reorder_webhooks");
    const char *category = send->template_category ? send->template_category : "service";
    bool billable = send->template_category != NULL; /* service messages in the CSW are free */
    char conversation_id[33];
    laris_random_hex(conversation_id, 16);
    int count = reaction ? 1 : 3;
    for (int i = 0; i < count; i++) {
        int64_t due = now + sim_state.delays_ms[reorder ? count - 1 - i : i];
        char ts[24];
        snprintf(ts, sizeof(ts), "%lld", (long long)(due / 1000));
        json_t *st = json_pack("{s:s,s:s,s:s,s:s}", "id", wamid, "status", status_names[i],
                               "timestamp", ts, "recipient_id", send->wa_id);
        if (reaction_target_unknown) {
            json_decref(st);
            st = reaction_failed(wamid, send->wa_id, due);
        } else if (version > 0 && version <= 23) {
            json_t *conv =
                json_pack("{s:s,s:{s:s}}", "id", conversation_id, "origin", "type", category);
            if (i == 0) {
                char exp[24];
                snprintf(exp, sizeof(exp), "%lld", (long long)(now / 1000) + 24LL * 3600);
                json_object_set_new(conv, "expiration_timestamp", json_string(exp));
            }
            json_object_set_new(st, "conversation", conv);
        }
        if (i != 1 && !reaction_target_unknown) /* on sent and on one of delivered/read */
            json_object_set_new(
                st, "pricing",
                json_pack("{s:b,s:s,s:s,s:s}", "billable", billable, "pricing_model", "PMP", "type",
                          billable ? "regular" : "free_customer_service", "category", category));
        if (send->biz_opaque_callback_data)
            json_object_set_new(st, "biz_opaque_callback_data",
                                json_string(send->biz_opaque_callback_data));
        json_t *value;
        json_t *root = sim_webhook_envelope(n, &value);
        json_object_set_new(value, "statuses", json_pack("[o]", st));
        size_t len;
        char *body = laris_sim_dump_ascii(root, &len);
        json_decref(root);
        if (!body)
            continue;
        const char *status = reaction_target_unknown ? "failed" : status_names[i];
        if (duplicate) {
            char *copy = malloc(len + 1);
            if (!copy)
                abort();
            memcpy(copy, body, len + 1);
            sim_webhook_queue(copy, len, due + 5, "status", wamid, status,
                              sim_fault_take("bad_signature"));
        }
        sim_webhook_queue(body, len, due, "status", wamid, status, sim_fault_take("bad_signature"));
    }
}

/* POST /{version}/{phone_number_id}/messages */
laris_rc sim_messages_send(laris_req_t *req)
{
    const char *pnid = laris_req_param(req, "id");
    const char *version = laris_req_param(req, "version");
    int sleep_ms = 0;
    sim_lock();
    sim_number_t *n = sim_number_find(pnid);
    if (!n) {
        laris_resp_json(req, 400, laris_sim_unknown_object_error("POST", pnid));
        goto out;
    }
    if (!sim_authorized(req, pnid, NULL))
        goto out;
    if (sim_fault_take("slow"))
        sleep_ms = sim_state.slow_ms;
    if (sim_fault_take("server_error")) {
        graph_reply(req, 131000, "Something went wrong. Please try again later.");
        goto out;
    }
    int64_t now = sim_now_ms();
    if (sim_fault_take("rate_limit_burst") || !laris_sim_rate_take(&n->rate, now, sim_state.mps)) {
        graph_reply(req, 130429,
                    "Message failed to send because there were too many messages "
                    "sent from this phone number in a short period of time");
        goto out;
    }
    json_t *body = NULL;
    laris_err_t err;
    laris_err_init(&err, req->arena);
    if (!req->body || laris_json_decode(req->arena, req->body, req->body_len,
                                        &laris_json_default_limits, &body, &err) != LARIS_OK) {
        graph_reply(req, 100, "The request body must be JSON.");
        goto out;
    }
    laris_sim_send_t send;
    laris_sim_verdict_t verdict;
    if (!laris_sim_validate_send(req->arena, body, sim_template_find, n->waba_id, &send,
                                 &verdict)) {
        graph_reply(req, verdict.code, verdict.details);
        goto out;
    }
    if (send.mark_read) {
        const char *mid = json_string_value(json_object_get(body, "message_id"));
        if (!sim_wamid_known(mid, pnid)) {
            graph_reply(req, 100,
                        laris_arena_printf(req->arena,
                                           "Invalid parameter: message_id %s is not a message "
                                           "of this phone number.",
                                           mid));
            goto out;
        }
        json_array_append_new(sim_state.sent,
                              json_pack("{s:I,s:s,s:s,s:s,s:I,s:O}", "seq",
                                        (json_int_t)json_array_size(sim_state.sent) + 1,
                                        "phone_number_id", pnid, "version", version, "type", "read",
                                        "accepted_at_ms", (json_int_t)now, "request", body));
        laris_resp_json(req, 200, json_pack("{s:b}", "success", 1));
        goto out;
    }
    if (strcmp(send.wa_id, n->display_phone_number) == 0) {
        graph_reply(req, 131021, "Recipient phone number is the same as the sender's.");
        goto out;
    }
    sim_peer_t *peer = sim_peer_get(pnid, send.wa_id, true);
    if (send.needs_window && !laris_sim_window_open(peer->last_inbound_ms, now)) {
        graph_reply(req, 131047,
                    "Message failed to send because more than 24 hours have passed "
                    "since the customer last replied to this number.");
        goto out;
    }
    if (!laris_sim_bucket_take(&peer->pair, now, sim_state.pair_burst,
                               sim_state.pair_interval_ms)) {
        graph_reply(req, 131056,
                    "Message failed to send because there were too many messages "
                    "sent from this phone number to the same phone number in a "
                    "short period of time.");
        goto out;
    }

    bool target_unknown =
        !strcmp(send.type, "reaction") &&
        !sim_wamid_known(
            json_string_value(json_object_get(json_object_get(body, "reaction"), "message_id")),
            pnid);
    char wamid[LARIS_SIM_WAMID_MAX];
    laris_sim_wamid_new(send.wa_id, wamid);
    sim_wamid_remember(wamid, pnid);
    json_array_append_new(sim_state.sent,
                          json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:O}", "seq",
                                    (json_int_t)json_array_size(sim_state.sent) + 1, "wamid", wamid,
                                    "phone_number_id", pnid, "version", version, "to", send.to,
                                    "wa_id", send.wa_id, "type", send.type, "accepted_at_ms",
                                    (json_int_t)now, "request", body));
    queue_statuses(n, &send, wamid, version_major(version), now, target_unknown);
    json_t *msg = json_pack("{s:s}", "id", wamid);
    if (send.template_category)
        json_object_set_new(msg, "message_status", json_string("accepted"));
    laris_resp_json(req, 200,
                    json_pack("{s:s,s:[{s:s,s:s}],s:[o]}", "messaging_product", "whatsapp",
                              "contacts", "input", send.to, "wa_id", send.wa_id, "messages", msg));
    if (sim_fault_take("timeout_after_accept"))
        sleep_ms = sim_state.timeout_ms;
out:
    sim_unlock();
    if (sleep_ms > 0)
        usleep((useconds_t)sleep_ms * 1000);
    return LARIS_OK;
}
