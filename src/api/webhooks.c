/* The WhatsApp webhooks: Meta's verification handshake and its signed event deliveries, for the
 * platform's Meta app (/webhooks/whatsapp) and for a number whose tenant brings its own app
 * (/webhooks/whatsapp/{wa_number_id}).
 *
 * POST bodies reach the handler undecoded (API_AUTH_WEBHOOK): the signature is checked over
 * the raw bytes first, and nothing is parsed or stored for a body that fails it. A number's own
 * route answers an unknown number exactly as a wrong signature or token, so ids leak nothing. */
#include <string.h>

#include "api_internal.h"
#include "laris/json.h"
#include "laris/log.h"
#include "laris/wa.h"

/* Meta batches up to 1000 updates; leave room beyond the API's default JSON limits. */
static const laris_json_limits_t webhook_limits = {
    .max_depth = 32,
    .max_array = 5000,
    .max_members = 1000,
    .max_string = (size_t)256 * 1024,
};

/* Answers the handshake against expected_token (NULL refuses). */
static laris_rc verify(laris_req_t *req, const char *expected_token)
{
    const char *challenge = NULL;
    laris_rc rc = laris_wa_verify_handshake(
        laris_req_query(req, "hub.mode"), laris_req_query(req, "hub.verify_token"),
        laris_req_query(req, "hub.challenge"), expected_token, &challenge);
    if (rc == LARIS_EMALFORMED)
        return laris_err_set(&req->err, rc, "hub.challenge is missing or not a plain token.");
    if (rc != LARIS_OK)
        return laris_err_set(&req->err, LARIS_EFORBIDDEN,
                             "hub.mode or hub.verify_token does not match.");
    req->status = 200;
    req->resp_content_type = "text/plain";
    req->resp_body.len = 0;
    laris_buf_puts(&req->resp_body, challenge);
    return LARIS_OK;
}

static laris_rc bad_signature(laris_req_t *req, const char *signature)
{
    return laris_err_set(&req->err, LARIS_EUNAUTHORIZED,
                         signature ? "X-Hub-Signature-256 does not match the body."
                                   : "X-Hub-Signature-256 is missing.");
}

/* Checks the body's signature with secret (NULL refuses), then parses and stores every change
 * (only those of number only when it is not NULL); 200 once all committed. */
static laris_rc receive(laris_req_t *req, const char *secret, const laris_wa_number_webhook_t *only)
{
    const char *signature = laris_req_env(req, "HTTP_X_HUB_SIGNATURE_256");
    if (!laris_wa_signature_valid(secret, req->body, req->body_len, signature))
        return bad_signature(req, signature);

    json_t *root;
    laris_rc rc = laris_json_decode(req->arena, req->body ? req->body : "", req->body_len,
                                    &webhook_limits, &root, &req->err);
    if (rc != LARIS_OK)
        return rc;
    laris_wa_webhook_t *wh;
    rc = laris_wa_webhook_parse(req->arena, root, &wh, &req->err);
    if (rc != LARIS_OK)
        return rc;

    laris_ctx_t *ctx = api_ctx(req);
    laris_wa_inbound_stats_t stats;
    rc = laris_wa_inbound_apply(ctx, root, wh, only, &stats);
    laris_log(rc == LARIS_OK ? LARIS_INFO : LARIS_WARN,
              "whatsapp webhook: %d changes, %d stored, %d duplicate, %d unrouted, "
              "%d foreign, %d new messages, %d statuses, %d skipped",
              stats.changes, stats.stored, stats.duplicates, stats.unrouted, stats.foreign,
              stats.messages, stats.statuses, stats.skipped);
    if (rc == LARIS_EUNAVAILABLE)
        req->err.retry_after = 5;
    if (rc != LARIS_OK)
        return rc;
    return laris_resp_json(req, 200, json_pack("{s:s}", "status", "received"));
}

/* The number of a per-number route; LARIS_ENOTFOUND for a malformed or unknown id (the
 * caller answers that as it answers a wrong credential). */
static laris_rc route_number(laris_req_t *req, laris_wa_number_webhook_t *number)
{
    int64_t id;
    if (!laris_req_param_id(req, "wa_number_id", &id)) {
        memset(number, 0, sizeof(*number));
        return LARIS_ENOTFOUND;
    }
    return laris_wa_number_webhook(api_ctx(req), id, number);
}

/* GET /webhooks/whatsapp: echoes hub.challenge when hub.verify_token is the platform's. */
laris_rc webhooks_verify(laris_req_t *req)
{
    return verify(req, laris_config()->meta_verify_token);
}

/* POST /webhooks/whatsapp: verifies, parses and stores every change; 200 once all committed. */
laris_rc webhooks_receive(laris_req_t *req)
{
    const char *secret = laris_config()->meta_app_secret;
    if (!secret)
        laris_log(LARIS_ERROR, "LARIS_META_APP_SECRET is not set: refusing every webhook");
    return receive(req, secret, NULL);
}

/* GET /webhooks/whatsapp/{wa_number_id}: the handshake with that number's verify token. */
laris_rc webhooks_number_verify(laris_req_t *req)
{
    laris_wa_number_webhook_t number;
    laris_rc rc = route_number(req, &number);
    if (rc != LARIS_OK && rc != LARIS_ENOTFOUND)
        return rc;
    return verify(req, number.verify_token);
}

/* POST /webhooks/whatsapp/{wa_number_id}: signed with that number's app secret; only changes
 * for that number's phone_number_id and template events of its WABA (for its tenant alone) are
 * stored, others are logged and ignored. */
laris_rc webhooks_number_receive(laris_req_t *req)
{
    laris_wa_number_webhook_t number;
    laris_rc rc = route_number(req, &number);
    if (rc == LARIS_ENOTFOUND || (rc == LARIS_OK && !number.app_secret))
        return bad_signature(req, laris_req_env(req, "HTTP_X_HUB_SIGNATURE_256"));
    if (rc != LARIS_OK)
        return rc;
    return receive(req, number.app_secret, &number);
}
