/* laris-sim: the control API under /_sim/ that tests and scripts use to set the simulator up
 * (numbers, tokens, webhook target, faults), to play a customer (inbound messages) and to see
 * what it accepted and what it sent back. JSON in, JSON out; errors are problem+json. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "laris/json.h"
#include "sim_internal.h"

static const char *const fault_modes[] = {"rate_limit_burst",
                                          "server_error",
                                          "slow",
                                          "timeout_after_accept",
                                          "duplicate_webhooks",
                                          "reorder_webhooks",
                                          "bad_signature",
                                          "media_wrong_host",
                                          "media_wrong_sha256",
                                          "media_server_error",
                                          "media_redirect",
                                          "token_expired",
                                          "none",
                                          NULL};

laris_rc sim_body(laris_req_t *req, json_t **out)
{
    if (!req->body || req->body_len == 0) {
        *out = laris_json_adopt(req->arena, json_object());
        return LARIS_OK;
    }
    laris_rc rc = laris_json_decode(req->arena, req->body, req->body_len,
                                    &laris_json_default_limits, out, &req->err);
    if (rc == LARIS_OK && !json_is_object(*out))
        return laris_err_set(&req->err, LARIS_EMALFORMED, "The body must be a JSON object.");
    return rc;
}

/* Copies a string field into a fixed buffer; records a field error when bad or too long. */
static void copy_field(laris_req_t *req, json_t *body, const char *field, bool required, char *dst,
                       size_t size)
{
    const char *s = NULL;
    if (!laris_json_string(body, field, required ? 1 : 0, size - 1, required, &s, &req->err))
        return;
    if (strlen(s) >= size) /* the limit is in characters; the buffer in bytes */
        laris_err_field(&req->err, field, "is too long");
    else
        snprintf(dst, size, "%s", s);
}

/* PUT /_sim/config {webhook_url, app_secret, status_delays_ms: [sent, delivered, read], mps,
 * pair_burst, pair_interval_ms, slow_ms, timeout_ms} — members left out keep their value. */
laris_rc sim_config_put(laris_req_t *req)
{
    json_t *body;
    laris_rc rc = sim_body(req, &body);
    if (rc != LARIS_OK)
        return rc;
    sim_lock();
    sim_state_t *s = &sim_state;
    copy_field(req, body, "webhook_url", false, s->webhook_url, sizeof(s->webhook_url));
    copy_field(req, body, "app_secret", false, s->app_secret, sizeof(s->app_secret));
    json_t *delays = json_object_get(body, "status_delays_ms");
    if (delays) {
        bool ok = json_is_array(delays) && json_array_size(delays) == 3;
        for (size_t i = 0; ok && i < 3; i++) {
            json_t *d = json_array_get(delays, i);
            ok =
                json_is_integer(d) && json_integer_value(d) >= 0 && json_integer_value(d) <= 600000;
        }
        if (ok)
            for (size_t i = 0; i < 3; i++)
                s->delays_ms[i] = (int)json_integer_value(json_array_get(delays, i));
        else
            laris_err_field(&req->err, "status_delays_ms",
                            "must be three delays in milliseconds (sent, delivered, read)");
    }
    struct {
        const char *name;
        int *dst;
        int64_t max;
    } ints[] = {{"mps", &s->mps, 100000},
                {"pair_burst", &s->pair_burst, 100000},
                {"pair_interval_ms", &s->pair_interval_ms, 3600000},
                {"slow_ms", &s->slow_ms, 600000},
                {"timeout_ms", &s->timeout_ms, 600000}};
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        int64_t v;
        if (laris_json_int(body, ints[i].name, 0, ints[i].max, false, &v, &req->err))
            *ints[i].dst = (int)v;
    }
    json_t *out = json_pack(
        "{s:s,s:b,s:[i,i,i],s:i,s:i,s:i,s:i,s:i}", "webhook_url", s->webhook_url, "app_secret_set",
        s->app_secret[0] != '\0', "status_delays_ms", s->delays_ms[0], s->delays_ms[1],
        s->delays_ms[2], "mps", s->mps, "pair_burst", s->pair_burst, "pair_interval_ms",
        s->pair_interval_ms, "slow_ms", s->slow_ms, "timeout_ms", s->timeout_ms);
    sim_unlock();
    if (req->err.nfields > 0) {
        json_decref(out);
        return LARIS_EINVALID;
    }
    return laris_resp_json(req, 200, out);
}

static bool digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

/* POST /_sim/numbers {phone_number_id, waba_id, display_phone_number, access_token}: adds a
 * number, or replaces the one with that phone_number_id. */
laris_rc sim_numbers_create(laris_req_t *req)
{
    json_t *body;
    laris_rc rc = sim_body(req, &body);
    if (rc != LARIS_OK)
        return rc;
    sim_number_t n;
    memset(&n, 0, sizeof(n));
    copy_field(req, body, "phone_number_id", true, n.phone_number_id, sizeof(n.phone_number_id));
    copy_field(req, body, "waba_id", true, n.waba_id, sizeof(n.waba_id));
    copy_field(req, body, "display_phone_number", true, n.display_phone_number,
               sizeof(n.display_phone_number));
    copy_field(req, body, "access_token", true, n.access_token, sizeof(n.access_token));
    copy_field(req, body, "verified_name", false, n.verified_name, sizeof(n.verified_name));
    copy_field(req, body, "quality_rating", false, n.quality_rating, sizeof(n.quality_rating));
    if (!n.verified_name[0])
        snprintf(n.verified_name, sizeof(n.verified_name), "Laris Test Business");
    if (!n.quality_rating[0])
        snprintf(n.quality_rating, sizeof(n.quality_rating), "GREEN");
    if (req->err.nfields > 0)
        return LARIS_EINVALID;
    if (!digits(n.phone_number_id) || !digits(n.waba_id) || !digits(n.display_phone_number))
        return laris_err_field(&req->err, "phone_number_id",
                               "phone_number_id, waba_id and display_phone_number are digits");
    sim_lock();
    sim_number_t *slot = sim_number_find(n.phone_number_id);
    if (!slot && sim_state.nnumbers < SIM_MAX_NUMBERS)
        slot = &sim_state.numbers[sim_state.nnumbers++];
    if (slot)
        *slot = n;
    sim_unlock();
    if (!slot)
        return laris_err_set(&req->err, LARIS_ECONFLICT, "The simulator holds %d numbers at most.",
                             SIM_MAX_NUMBERS);
    return laris_resp_json(req, 201,
                           json_pack("{s:s,s:s,s:s}", "phone_number_id", n.phone_number_id,
                                     "waba_id", n.waba_id, "display_phone_number",
                                     n.display_phone_number));
}

static bool is_media_type(const char *type)
{
    static const char *const kinds[] = {"image", "video", "audio", "document", "sticker", NULL};
    for (size_t i = 0; kinds[i]; i++)
        if (strcmp(type, kinds[i]) == 0)
            return true;
    return false;
}

/* A media message's object with "data_base64" (the file) or "size" (that many bytes: random
 * first 4 KiB, zeros after) and "mime_type": the file becomes downloadable media of the number
 * and the object gets its id and sha256 instead, as Meta sends it. An object without either is
 * left as given. The lock must be held. */
static bool media_payload(laris_req_t *req, const char *pnid, json_t *payload)
{
    json_t *b64 = json_object_get(payload, "data_base64");
    json_t *size = json_object_get(payload, "size");
    if (!b64 && !size)
        return true;
    const char *mime = json_string_value(json_object_get(payload, "mime_type"));
    if (!mime || !*mime || strlen(mime) >= sizeof(sim_state.media[0].mime_type)) {
        laris_err_field(&req->err, "mime_type", "is required with data_base64 or size");
        return false;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    if (json_is_string(b64)) {
        const char *text = json_string_value(b64);
        size_t max = strlen(text) / 4 * 3 + 3;
        data = malloc(max + 1);
        if (!data)
            abort();
        if (sodium_base642bin(data, max + 1, text, strlen(text), NULL, &len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            len == 0) {
            free(data);
            laris_err_field(&req->err, "data_base64", "must be non-empty base64");
            return false;
        }
    } else if (json_is_integer(size) && json_integer_value(size) > 0 &&
               json_integer_value(size) <= 128LL * 1024 * 1024) {
        len = (size_t)json_integer_value(size);
        data = calloc(1, len); /* untouched pages cost nothing */
        if (!data)
            abort();
        randombytes_buf(data, len < 4096 ? len : 4096);
    } else {
        laris_err_field(&req->err, "size", "must be 1 to 134217728 bytes");
        return false;
    }
    sim_media_t *m = sim_media_add(pnid, mime, data, len);
    if (!m) {
        laris_err_set(&req->err, LARIS_ECONFLICT, "The simulator holds %d media at most.",
                      SIM_MAX_MEDIA);
        return false;
    }
    json_object_del(payload, "data_base64");
    json_object_del(payload, "size");
    json_object_set_new(payload, "id", json_string(m->id));
    json_object_set_new(payload, "sha256", json_string(m->sha256));
    return true;
}

/* POST /_sim/inbound {phone_number_id, from, type ("text"), text ("…" or {"body"}), or the
 * type's object, profile_name, context}: a customer writes; sends the signed webhook at once
 * and opens the 24-hour window for from. A media type's object may carry the file (see
 * media_payload). Answers {"id": wamid} (and "media_id" for media made here). */
laris_rc sim_inbound_create(laris_req_t *req)
{
    json_t *body;
    laris_rc rc = sim_body(req, &body);
    if (rc != LARIS_OK)
        return rc;
    const char *pnid = NULL, *from = NULL, *type = "text", *profile = NULL;
    laris_json_string(body, "phone_number_id", 1, 63, true, &pnid, &req->err);
    laris_json_string(body, "from", 6, 15, true, &from, &req->err);
    laris_json_string(body, "type", 1, 32, false, &type, &req->err);
    laris_json_string(body, "profile_name", 0, 256, false, &profile, &req->err);
    if (req->err.nfields > 0)
        return LARIS_EINVALID;
    if (!digits(from))
        return laris_err_field(&req->err, "from", "must be the customer's wa_id (digits)");
    json_t *payload = json_object_get(body, type);
    if (!strcmp(type, "text") && json_is_string(payload))
        payload = laris_json_adopt(req->arena, json_pack("{s:O}", "body", payload));
    else if (payload)
        json_incref(payload), laris_json_adopt(req->arena, payload);
    if (!payload || !json_is_object(payload))
        return laris_err_field(&req->err, type, "the message's %s object is required", type);

    sim_lock();
    sim_number_t *n = sim_number_find(pnid);
    if (!n) {
        sim_unlock();
        return laris_err_set(&req->err, LARIS_ENOTFOUND,
                             "No number %s: add it with POST "
                             "/_sim/numbers first.",
                             pnid);
    }
    if (is_media_type(type) && !media_payload(req, pnid, payload)) {
        sim_unlock();
        return req->err.code;
    }
    int64_t now = sim_now_ms();
    sim_peer_t *peer = sim_peer_get(pnid, from, true);
    peer->last_inbound_ms = now;
    char wamid[LARIS_SIM_WAMID_MAX];
    laris_sim_wamid_new(from, wamid);
    sim_wamid_remember(wamid, pnid);
    char ts[24];
    snprintf(ts, sizeof(ts), "%lld", (long long)(now / 1000));
    json_t *msg = json_pack("{s:s,s:s,s:s,s:s,s:O}", "from", from, "id", wamid, "timestamp", ts,
                            "type", type, type, payload);
    json_t *context = json_object_get(body, "context");
    if (json_is_object(context))
        json_object_set(msg, "context", context);
    json_t *value;
    json_t *root = sim_webhook_envelope(n, &value);
    json_object_set_new(
        value, "contacts",
        json_pack("[{s:{s:s},s:s}]", "profile", "name", profile ? profile : "", "wa_id", from));
    json_object_set_new(value, "messages", json_pack("[o]", msg));
    size_t len;
    char *text = laris_sim_dump_ascii(root, &len);
    json_decref(root);
    if (text)
        sim_webhook_queue(text, len, now, "inbound", wamid, "", sim_fault_take("bad_signature"));
    sim_unlock();
    json_t *out = json_pack("{s:s,s:s}", "id", wamid, "wa_id", from);
    json_t *media_id = json_object_get(payload, "id");
    if (is_media_type(type) && json_is_string(media_id))
        json_object_set(out, "media_id", media_id);
    return laris_resp_json(req, 201, out);
}

/* GET /_sim/sent: every send the simulator accepted, oldest first. */
laris_rc sim_sent_list(laris_req_t *req)
{
    sim_lock();
    json_t *copy = json_deep_copy(sim_state.sent);
    sim_unlock();
    return laris_resp_json(req, 200, json_pack("{s:o}", "data", copy));
}

/* GET /_sim/webhooks: every webhook POST made, in the order made, with the HTTP status got. */
laris_rc sim_webhooks_list(laris_req_t *req)
{
    sim_lock();
    json_t *copy = json_deep_copy(sim_state.webhooks);
    sim_unlock();
    return laris_resp_json(req, 200, json_pack("{s:o}", "data", copy));
}

/* POST /_sim/faults {mode, count}: the next count sends (webhooks for bad_signature; any Graph
 * call with a good token for token_expired) misbehave. mode "none" disarms. */
laris_rc sim_faults_set(laris_req_t *req)
{
    json_t *body;
    laris_rc rc = sim_body(req, &body);
    if (rc != LARIS_OK)
        return rc;
    const char *mode = NULL;
    int64_t count = 1;
    laris_json_enum(body, "mode", fault_modes, true, &mode, &req->err);
    laris_json_int(body, "count", 0, 1000000, false, &count, &req->err);
    if (req->err.nfields > 0)
        return LARIS_EINVALID;
    sim_lock();
    snprintf(sim_state.fault, sizeof(sim_state.fault), "%s", mode);
    sim_state.fault_count = strcmp(mode, "none") == 0 ? 0 : (int)count;
    sim_unlock();
    return laris_resp_json(req, 200,
                           json_pack("{s:s,s:I}", "mode", mode, "count", (json_int_t)count));
}

/* POST /_sim/reset: forgets everything and drops queued webhooks. */
laris_rc sim_reset(laris_req_t *req)
{
    sim_webhook_clear();
    sim_lock();
    sim_state_reset();
    sim_unlock();
    return laris_resp_empty(req, 204);
}

/* POST /_sim/templates/{id}/status {status: "APPROVED"|"REJECTED"|"PAUSED"|"DISABLED"}:
 * Meta's review; also sends the message_template_status_update webhook (twice under the fault
 * duplicate_webhooks). */
laris_rc sim_template_approve(laris_req_t *req)
{
    static const char *const statuses[] = {"APPROVED", "REJECTED", "PAUSED",
                                           "DISABLED", "PENDING",  NULL};
    json_t *body;
    laris_rc rc = sim_body(req, &body);
    if (rc != LARIS_OK)
        return rc;
    const char *status = "APPROVED";
    laris_json_enum(body, "status", statuses, false, &status, &req->err);
    if (req->err.nfields > 0)
        return LARIS_EINVALID;
    sim_lock();
    sim_template_t *t = sim_template_find_id(laris_req_param(req, "id"));
    if (!t) {
        sim_unlock();
        return laris_err_set(&req->err, LARIS_ENOTFOUND, "No template with this id.");
    }
    snprintf(t->status, sizeof(t->status), "%s", status);
    int64_t now = sim_now_ms();
    json_t *root = json_pack(
        "{s:s,s:[{s:s,s:I,s:[{s:s,s:{s:s,s:I,s:s,s:s,s:s,s:s}}]}]}", "object",
        "whatsapp_business_account", "entry", "id", t->waba_id, "time", (json_int_t)(now / 1000),
        "changes", "field", "message_template_status_update", "value", "event", status,
        "message_template_id", (json_int_t)strtoll(t->id, NULL, 10), "message_template_name",
        t->name, "message_template_language", t->language, "reason",
        strcmp(status, "REJECTED") == 0 ? "INVALID_FORMAT" : "NONE", "message_template_category",
        t->category);
    size_t len;
    char *text = laris_sim_dump_ascii(root, &len);
    json_decref(root);
    if (text && sim_fault_take("duplicate_webhooks")) { /* Meta retries: the same body again */
        char *again = malloc(len + 1);
        if (again) {
            memcpy(again, text, len + 1);
            sim_webhook_queue(again, len, now + 50, "template", t->id, status, false);
        }
    }
    if (text)
        sim_webhook_queue(text, len, now, "template", t->id, status,
                          sim_fault_take("bad_signature"));
    json_t *out = json_pack("{s:s,s:s,s:s}", "id", t->id, "name", t->name, "status", t->status);
    sim_unlock();
    return laris_resp_json(req, 200, out);
}
