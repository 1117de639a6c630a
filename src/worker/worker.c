/* laris-worker's loop: relay outbox rows to the numbers' Redis queues, then take one job per
 * number, wait for its GCRA limiter, send it with libcurl and record the outcome.
 *
 * A message is sent at most once: outbound_begin moves it from queued to sending in its own
 * committed transaction before the request, and only a queued message can begin. Retries (with
 * backoff, in place) happen only when nothing can have been sent: no connection was made, or
 * Meta answered with an error its table marks retryable (130429, 131056, transient 5xx). A
 * request that left without an answer (timeout, broken connection) ends as 'unknown'. The
 * arena is reset per job; message bodies and tokens are never logged. */
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "laris/arena.h"
#include "laris/crypto.h"
#include "laris/json.h"
#include "laris/log.h"
#include "laris/wa.h"
#include "laris/worker.h"

#define RELAY_BATCH 100
#define MAX_NUMBERS 1024
#define SEND_ATTEMPTS 5
#define JOB_MAX 64

typedef struct {
    char *data;
    size_t len;
} body_t;

static void sleep_us(int64_t us)
{
    struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000L};
    nanosleep(&ts, NULL);
}

static void sleep_ms(int64_t ms)
{
    sleep_us(ms * 1000);
}

static size_t collect(char *ptr, size_t size, size_t n, void *arg)
{
    body_t *b = arg;
    size_t add = size * n;
    if (b->len + add > 1024 * 1024)
        return 0; /* an answer this big is not Graph's */
    char *grown = realloc(b->data, b->len + add + 1);
    if (!grown)
        abort();
    memcpy(grown + b->len, ptr, add);
    b->len += add;
    grown[b->len] = '\0';
    b->data = grown;
    return add;
}

/* Moves up to RELAY_BATCH outbox rows to Redis in one transaction; *moved gets how many. */
static laris_rc relay(laris_worker_t *w, laris_arena_t *a, int *moved, laris_err_t *err)
{
    *moved = 0;
    laris_db_set_tenant(w->db, 0);
    const char *params[1] = {laris_arena_printf(a, "%d", RELAY_BATCH)};
    PGresult *res;
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_WORKER_OUTBOX_CLAIM, 1, params, &res, err);
    for (int i = 0; rc == LARIS_OK && i < PQntuples(res); i++) {
        const char *job = laris_arena_printf(a, "%s:%s", laris_db_value(res, i, "tenant_id"),
                                             laris_db_value(res, i, "message_id"));
        rc = laris_kv_sendq_push(w->kv, laris_db_int(res, i, "wa_number_id"), job, err);
    }
    if (rc == LARIS_OK)
        *moved = PQntuples(res);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    return rc != LARIS_OK ? rc : finish;
}

/* The Cloud API body of a message. */
static json_t *request_body(const char *to, const char *type, const char *text,
                            const char *payload)
{
    if (strcmp(type, "template") == 0) {
        json_t *tpl = payload ? json_loads(payload, 0, NULL) : NULL;
        json_t *params = json_object_get(tpl, "params");
        json_t *parameters = json_array();
        for (size_t i = 0; i < json_array_size(params); i++)
            json_array_append_new(parameters, json_pack("{s:s,s:O}", "type", "text", "text",
                                                        json_array_get(params, i)));
        json_t *t = json_pack("{s:O?,s:{s:O?}}", "name", json_object_get(tpl, "name"), "language",
                              "code", json_object_get(tpl, "language"));
        if (json_array_size(parameters) > 0)
            json_object_set_new(t, "components",
                                json_pack("[{s:s,s:o}]", "type", "body", "parameters", parameters));
        else
            json_decref(parameters);
        json_decref(tpl);
        return json_pack("{s:s,s:s,s:s,s:s,s:o}", "messaging_product", "whatsapp",
                         "recipient_type", "individual", "to", to, "type", "template", "template",
                         t);
    }
    return json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:b}}", "messaging_product", "whatsapp",
                     "recipient_type", "individual", "to", to, "type", "text", "text", "body",
                     text ? text : "", "preview_url", 0);
}

typedef struct {
    const char *status; /* accepted, failed, unknown */
    const char *wamid;
    int64_t error_code;
    const char *error_title;
    const char *error_message;
} outcome_t;

/* One HTTP attempt. *retry true when nothing can have been sent and a retry may succeed. */
static void attempt(laris_worker_t *w, laris_arena_t *a, const char *url, const char *token,
                    const char *json, outcome_t *out, bool *retry)
{
    *retry = false;
    /* One handle for the process: its connection cache keeps the connection to Graph alive
     * between sends (a new TCP and TLS handshake per message would cap the rate). */
    if (!w->curl && !(w->curl = curl_easy_init()))
        abort();
    CURL *curl = w->curl;
    curl_easy_reset(curl);
    body_t body = {NULL, 0};
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, laris_arena_printf(a, "Authorization: Bearer %s", token));
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                     w->send_timeout_ms > 0 ? w->send_timeout_ms : 20000L);
    /* Reuse a connection idle at most 30 s: below the usual keep-alive timeouts (nginx 75 s),
     * so a request is not written into a connection the server is closing. */
    curl_easy_setopt(curl, CURLOPT_MAXAGE_CONN, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    char *text = body.data ? laris_arena_strdup(a, body.data) : NULL;
    free(body.data);

    if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
        cc == CURLE_COULDNT_RESOLVE_PROXY) {
        out->status = "failed";
        out->error_title = "could not reach WhatsApp";
        out->error_message = "WhatsApp could not be reached; the message was not sent.";
        *retry = true;
        return;
    }
    if (cc != CURLE_OK) { /* the request may have left: never send it again */
        laris_log(LARIS_WARN, "send outcome unknown: %s", curl_easy_strerror(cc));
        out->status = "unknown";
        out->error_title = "no answer from WhatsApp";
        out->error_message = "WhatsApp did not answer; the message may or may not have been "
                             "sent, so it is not sent again.";
        return;
    }
    if (status >= 200 && status < 300) {
        json_t *root = text ? laris_json_adopt(a, json_loads(text, 0, NULL)) : NULL;
        json_t *id = json_object_get(json_array_get(json_object_get(root, "messages"), 0), "id");
        if (json_is_string(id)) {
            out->status = "accepted";
            out->wamid = laris_arena_strdup(a, json_string_value(id));
        } else {
            out->status = "unknown";
            out->error_title = "unreadable answer";
            out->error_message = "WhatsApp's answer had no message id.";
        }
        return;
    }
    laris_wa_api_error_t e;
    laris_err_t perr;
    laris_err_init(&perr, a);
    if (!text || laris_wa_api_error_parse(a, text, strlen(text), &e, &perr) != LARIS_OK) {
        out->status = status >= 500 ? "unknown" : "failed";
        out->error_title = laris_arena_printf(a, "HTTP %ld", status);
        out->error_message = "WhatsApp refused the message without saying why.";
        return;
    }
    out->status = "failed";
    out->error_code = e.code;
    out->error_title = e.info && e.info->title ? e.info->title : e.message;
    out->error_message = laris_wa_error_agent_message(e.code, "en");
    *retry = laris_wa_api_error_retryable(&e);
    laris_log(LARIS_INFO, "send refused: code %lld (%s)%s", (long long)e.code,
              out->error_title ? out->error_title : "", *retry ? ", retrying" : "");
    (void)w;
}

/* Sends job "<tenant>:<message>" of number_id. */
static laris_rc send_job(laris_worker_t *w, laris_arena_t *a, int64_t number_id, const char *job,
                         laris_err_t *err)
{
    char tenant[24] = "", message[24] = "";
    if (sscanf(job, "%23[0-9]:%23[0-9]", tenant, message) != 2) {
        laris_log(LARIS_WARN, "malformed send job dropped");
        return LARIS_OK;
    }
    laris_db_set_tenant(w->db, 0);
    const char *begin[2] = {tenant, message};
    PGresult *res;
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_WORKER_OUTBOUND_BEGIN, 2, begin, &res, err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    if (rc != LARIS_OK || finish != LARIS_OK)
        return rc != LARIS_OK ? rc : finish;
    if (PQntuples(res) == 0)
        return LARIS_OK; /* sent, being sent or unknown already */

    outcome_t out = {0};
    const char *token_hex = laris_db_value(res, 0, "token");
    unsigned char *sealed = NULL, *token = NULL;
    size_t sealed_len = 0, token_len = 0;
    if (token_hex) {
        size_t hex_len = strlen(token_hex);
        sealed = laris_arena_alloc(a, hex_len / 2 + 1);
        if (sodium_hex2bin(sealed, hex_len / 2 + 1, token_hex, hex_len, NULL, &sealed_len, NULL))
            sealed_len = 0;
    }
    if (!w->config->secret_key_set || sealed_len == 0 ||
        !laris_secret_open(w->config->secret_key, sealed, sealed_len, a, &token, &token_len)) {
        out.status = "failed";
        out.error_title = "no usable access token";
        out.error_message = "This number's access token cannot be used; connect it again.";
    } else {
        /* One send per interval, 1 % longer than 1/mps: Meta (and laris-sim) count sends in
         * one-second windows as they receive them, and a schedule exactly at the limit puts a
         * 101st send into a window whenever network jitter brings one a little early. A late
         * send keeps the schedule up to half an interval (see laris_kv_gcra). */
        int64_t mps = laris_db_int(res, 0, "throughput_mps");
        int64_t interval_us = (1010000 + (mps > 0 ? mps : 1) - 1) / (mps > 0 ? mps : 1);
        for (int64_t wait = 1; wait > 0 && !*w->stop;) {
            rc = laris_kv_gcra(w->kv, number_id, interval_us, 1, interval_us / 2, &wait, err);
            if (rc != LARIS_OK)
                wait = 200000; /* Redis away: hold back rather than send unlimited */
            if (wait > 0)
                sleep_us(wait);
        }
        json_t *jb = request_body(laris_db_value(res, 0, "to_wa_id"),
                                  laris_db_value(res, 0, "type"), laris_db_value(res, 0, "body"),
                                  laris_db_value(res, 0, "payload"));
        size_t len;
        const char *json = laris_json_encode(a, jb, &len);
        json_decref(jb);
        const char *url = laris_arena_printf(a, "%s/%s/%s/messages", w->graph_url, w->graph_version,
                                             laris_db_value(res, 0, "phone_number_id"));
        bool retry = true;
        for (int i = 0; retry && i < SEND_ATTEMPTS; i++) {
            if (i > 0)
                sleep_ms(200LL << i);
            memset(&out, 0, sizeof(out));
            attempt(w, a, url, (const char *)token, json, &out, &retry);
        }
        sodium_memzero(token, token_len);
    }
    const char *params[7] = {
        tenant,
        message,
        out.status,
        out.wamid,
        out.error_code ? laris_arena_printf(a, "%lld", (long long)out.error_code) : NULL,
        out.error_title,
        out.error_message,
    };
    laris_db_set_tenant(w->db, 0);
    rc = laris_db_query(w->db, a, LARIS_SQL_WORKER_OUTBOUND_RESULT, 7, params, NULL, err);
    finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    if (rc == LARIS_OK && finish == LARIS_OK)
        laris_log(LARIS_INFO, "message %s of tenant %s: %s", message, tenant, out.status);
    return rc != LARIS_OK ? rc : finish;
}

int laris_worker_run(laris_worker_t *w)
{
    laris_arena_t *a = laris_arena_create(64 * 1024);
    int64_t numbers[MAX_NUMBERS];
    size_t nnumbers = 0;
    bool reclaimed = false;
    while (!*w->stop) {
        laris_arena_reset(a);
        laris_err_t err;
        laris_err_init(&err, a);
        if (!reclaimed &&
            laris_kv_sendq_numbers(w->kv, numbers, MAX_NUMBERS, &nnumbers, &err) == LARIS_OK) {
            reclaimed = true;
            for (size_t i = 0; i < nnumbers; i++)
                if (laris_kv_sendq_reclaim(w->kv, numbers[i], &err) != LARIS_OK)
                    reclaimed = false;
        }
        int moved = 0;
        if (relay(w, a, &moved, &err) != LARIS_OK)
            laris_log(LARIS_WARN, "outbox relay: %s", err.detail ? err.detail : "failed");
        bool worked = moved > 0;
        worked = laris_assign_run(w, a) || worked;
        worked = laris_autoreply_run(w, a) || worked;
        worked = laris_sla_run(w, a) || worked;
        laris_err_init(&err, a);
        if (laris_kv_sendq_numbers(w->kv, numbers, MAX_NUMBERS, &nnumbers, &err) != LARIS_OK)
            nnumbers = 0;
        for (size_t i = 0; i < nnumbers && !*w->stop; i++) {
            char job[JOB_MAX];
            bool got = false;
            laris_err_init(&err, a);
            if (laris_kv_sendq_take(w->kv, numbers[i], job, sizeof(job), &got, &err) != LARIS_OK ||
                !got)
                continue;
            worked = true;
            if (send_job(w, a, numbers[i], job, &err) != LARIS_OK) {
                /* The database did not answer: leave the job for the next round. */
                laris_log(LARIS_WARN, "send job: %s", err.detail ? err.detail : "failed");
                laris_err_init(&err, a);
                laris_kv_sendq_reclaim(w->kv, numbers[i], &err);
                continue;
            }
            laris_err_init(&err, a);
            laris_kv_sendq_ack(w->kv, numbers[i], job, &err);
        }
        if (!worked)
            sleep_ms(100);
    }
    if (w->curl)
        curl_easy_cleanup(w->curl);
    w->curl = NULL;
    laris_arena_destroy(a);
    return 0;
}
