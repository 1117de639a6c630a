/* What a Graph send answer means for laris-worker, and how long to back off before a retry.
 * Only an answer that proves nothing was sent may be retried: no connection made, or an error
 * Graph's table marks retryable (130429, 131056, 131000, 131057...). A request that left without
 * an answer, or an answer we cannot read, is 'unknown' and never sent again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "laris/json.h"
#include "laris/wa.h"
#include "worker_internal.h"

void worker_classify(laris_arena_t *a, CURLcode cc, long status, const char *body,
                     send_outcome_t *out)
{
    memset(out, 0, sizeof(*out));
    if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
        cc == CURLE_COULDNT_RESOLVE_PROXY) {
        out->kind = SEND_RETRY;
        out->error_title = "could not reach WhatsApp";
        out->error_message = "WhatsApp could not be reached; the message was not sent.";
        return;
    }
    if (cc != CURLE_OK) {
        out->kind = SEND_UNKNOWN;
        out->error_title = "no answer from WhatsApp";
        out->error_message = "WhatsApp did not answer; the message may or may not have been "
                             "sent, so it is not sent again.";
        return;
    }
    if (status >= 200 && status < 300) {
        json_t *root = body ? laris_json_adopt(a, json_loads(body, 0, NULL)) : NULL;
        json_t *id = json_object_get(json_array_get(json_object_get(root, "messages"), 0), "id");
        if (json_is_string(id)) {
            out->kind = SEND_ACCEPTED;
            out->wamid = laris_arena_strdup(a, json_string_value(id));
        } else if (json_is_true(json_object_get(root, "success"))) {
            out->kind = SEND_ACCEPTED; /* a read receipt: {"success": true}, no wamid */
        } else {
            out->kind = SEND_UNKNOWN;
            out->error_title = "unreadable answer";
            out->error_message = "WhatsApp's answer had no message id.";
        }
        return;
    }
    laris_wa_api_error_t e;
    laris_err_t perr;
    laris_err_init(&perr, a);
    if (!body || laris_wa_api_error_parse(a, body, strlen(body), &e, &perr) != LARIS_OK) {
        /* A 5xx without Graph's error object may come from anywhere on the way: unknown. */
        out->kind = status >= 500 ? SEND_UNKNOWN : SEND_FAILED;
        out->error_title = laris_arena_printf(a, "HTTP %ld", status);
        out->error_message = "WhatsApp refused the message without saying why.";
        return;
    }
    out->error_code = e.code;
    out->error_title = e.info && e.info->title ? e.info->title : e.message;
    out->error_message = laris_wa_error_agent_message(e.code, "en");
    if (e.info && (e.info->flags & LARIS_WA_ERRF_TOKEN_EXPIRED))
        out->kind = SEND_TOKEN_EXPIRED;
    else if (laris_wa_api_error_retryable(&e))
        out->kind = SEND_RETRY;
    else
        out->kind = SEND_FAILED;
    out->throttled = e.code == 130429 || e.code == 131056;
}

int64_t worker_backoff_ms(int attempt, int64_t base_ms, int64_t cap_ms, uint32_t random)
{
    int64_t delay = base_ms > 0 ? base_ms : 1;
    for (int i = 1; i < attempt && delay < cap_ms; i++)
        delay *= 2;
    if (delay > cap_ms)
        delay = cap_ms;
    int64_t half = delay / 2;
    return delay - half + (int64_t)(random % (uint64_t)(half + 1));
}

bool worker_job_parse(const char *job, int64_t *tenant, int64_t *message, int *attempt)
{
    long long t = 0, m = 0;
    int n = 0, used = 0;
    *attempt = 0;
    int got = sscanf(job, "%18lld:%18lld%n:%4d%n", &t, &m, &used, &n, &used);
    if (got < 2 || t <= 0 || m <= 0 || job[used] != '\0' || (got == 3 && n < 0))
        return false;
    *tenant = t;
    *message = m;
    *attempt = got == 3 ? n : 0;
    return true;
}
