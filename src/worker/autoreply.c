/* laris-worker's auto-replier: greeting, away and keyword replies to new customer messages, and
 * each new chat's first-response due time.
 *
 * A trigger on messages queues every customer message (autoreply_queue); each round takes up to
 * BATCH of them in one transaction (FOR UPDATE SKIP LOCKED, so several workers share the work;
 * a failure rolls back and they come back). Decisions are taken at the moment the customer
 * wrote (the message's created_at), with the tenant's business hours (src/core/hours.c):
 *
 *   - closed then, away on: the away text, once per closed period (period = the instant the
 *     closed spell ends), so a customer writing five times at night gets it once;
 *   - open then (or no business hours set), the chat's first customer message, greeting on:
 *     the greeting, once per chat (a new chat that starts while closed gets the away text
 *     instead);
 *   - the first active keyword rule (lowest id) that matches the message (src/core/textnorm.c):
 *     its reply, once per chat, per rule and per open or closed period ("always" without
 *     business hours: once per chat).
 *
 * Nothing is ever sent to a contact who opted out (contacts.marketing_opt_out_at): the issue
 * says automatic messages never go to them, service replies included; a person still can.
 * autoreply_send stores the reply as an outbound message marked automatic (auto_kind) with its
 * outbox row, so the sender delivers it like any reply, and records it in autoreply_log, whose
 * key makes "once" hold even with several workers. */
#include <stdlib.h>
#include <string.h>

#include "laris/clock.h"
#include "laris/hours.h"
#include "laris/json.h"
#include "laris/log.h"
#include "laris/textnorm.h"
#include "laris/worker.h"

#define BATCH          100
#define ROUND_EVERY_MS 100 /* rounds that found nothing, at most this often */
#define PERIOD_MAX     48

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

/* The schedule of row i of res into buf: NULL when the tenant has no business hours. */
static const laris_hours_t *row_hours(laris_arena_t *a, const PGresult *res, int i,
                                      laris_hours_buf_t *buf)
{
    const char *hours = laris_db_value(res, i, "business_hours");
    if (!hours)
        return NULL;
    json_t *w = laris_json_adopt(a, json_loads(hours, 0, NULL));
    json_t *c = laris_json_adopt(a, json_loads(laris_db_value(res, i, "closed_dates"), 0, NULL));
    if (laris_hours_from_json(w, c, laris_db_value(res, i, "timezone"), buf)) {
        laris_log(LARIS_WARN, "business hours of tenant %s unreadable: treated as always open",
                  laris_db_value(res, i, "tenant_id"));
        return NULL;
    }
    return &buf->hours;
}

/* Sends one automatic reply unless it went for (kind, key, period) already. */
static laris_rc send_reply(laris_worker_t *w, laris_arena_t *a, const char *tenant,
                           const char *conv, const char *kind, const char *key, const char *period,
                           laris_err_t *err)
{
    const char *params[5] = {tenant, conv, kind, key, period};
    PGresult *res;
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_AUTOREPLY_SEND, 5, params, &res, err);
    if (rc == LARIS_OK && laris_db_value(res, 0, "message_id"))
        laris_log(LARIS_INFO, "%s auto-reply in chat %s of tenant %s", kind, conv, tenant);
    return rc;
}

/* The id of the first of tenant's active rules that matches body (NULL: none). */
static laris_rc matching_rule(laris_worker_t *w, laris_arena_t *a, const char *tenant,
                              const char *body, const char **rule, laris_err_t *err)
{
    *rule = NULL;
    const char *message = body ? laris_text_normalize(a, body) : NULL;
    if (!message || !*message)
        return LARIS_OK;
    const char *params[1] = {tenant};
    PGresult *res;
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_AUTOREPLY_RULES, 1, params, &res, err);
    for (int i = 0; rc == LARIS_OK && i < PQntuples(res) && !*rule; i++) {
        json_t *keywords =
            laris_json_adopt(a, json_loads(laris_db_value(res, i, "keywords_norm"), 0, NULL));
        bool exact = strcmp(laris_db_value(res, i, "match"), "exact") == 0;
        size_t k;
        json_t *kw;
        json_array_foreach(keywords, k, kw)
        {
            if (json_is_string(kw) && laris_text_matches(message, json_string_value(kw), exact)) {
                *rule = laris_db_value(res, i, "id");
                break;
            }
        }
    }
    return rc;
}

/* Handles claimed message i: its chat's due time, then the replies it calls for. */
static laris_rc handle(laris_worker_t *w, laris_arena_t *a, const PGresult *res, int i,
                       laris_err_t *err)
{
    laris_hours_buf_t *buf = LARIS_NEW(a, laris_hours_buf_t);
    const laris_hours_t *h = row_hours(a, res, i, buf);
    const char *tenant = laris_db_value(res, i, "tenant_id");
    const char *conv = laris_db_value(res, i, "conversation_id");
    int64_t at = laris_db_int(res, i, "received_at");
    laris_rc rc = LARIS_OK;
    int64_t due;
    if (laris_db_bool(res, i, "needs_due") &&
        laris_hours_sla_due(h, at, laris_db_int(res, i, "sla_first_response_seconds"),
                            laris_db_int(res, i, "sla_out_of_hours_seconds"), &due)) {
        const char *params[3] = {tenant, conv, int_text(a, due)};
        rc = laris_db_query(w->db, a, LARIS_SQL_SLA_SET_DUE, 3, params, NULL, err);
    }
    if (rc != LARIS_OK || !laris_db_bool(res, i, "can_reply") || laris_db_bool(res, i, "opted_out"))
        return rc;
    char period[PERIOD_MAX];
    laris_hours_period(h, at, period, sizeof(period));
    bool open = !h || laris_hours_open(h, at);
    if (!open && laris_db_bool(res, i, "away_enabled"))
        rc = send_reply(w, a, tenant, conv, "away", "", period, err);
    else if (open && laris_db_bool(res, i, "first_message") &&
             laris_db_bool(res, i, "greeting_enabled"))
        rc = send_reply(w, a, tenant, conv, "greeting", "", "", err);
    const char *rule = NULL;
    if (rc == LARIS_OK && laris_db_bool(res, i, "has_rules"))
        rc = matching_rule(w, a, tenant, laris_db_value(res, i, "body"), &rule, err);
    if (rc == LARIS_OK && rule)
        rc = send_reply(w, a, tenant, conv, "keyword", rule, period, err);
    return rc;
}

/* One batch in one transaction; *handled gets how many messages it took. */
static laris_rc batch(laris_worker_t *w, laris_arena_t *a, int *handled, laris_err_t *err)
{
    *handled = 0;
    laris_db_set_tenant(w->db, 0);
    const char *params[1] = {int_text(a, BATCH)};
    PGresult *res;
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_AUTOREPLY_CLAIM, 1, params, &res, err);
    for (int i = 0; rc == LARIS_OK && i < PQntuples(res); i++)
        rc = handle(w, a, res, i, err);
    if (rc == LARIS_OK)
        *handled = PQntuples(res);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    return rc != LARIS_OK ? rc : finish;
}

bool laris_autoreply_run(laris_worker_t *w, laris_arena_t *a)
{
    static int64_t last_round;
    static bool busy;
    int64_t now = laris_clock_mono_ns() / 1000000;
    if (!busy && now - last_round < ROUND_EVERY_MS)
        return false;
    last_round = now;
    laris_err_t err;
    laris_err_init(&err, a);
    int handled = 0;
    if (batch(w, a, &handled, &err) != LARIS_OK)
        laris_log(LARIS_WARN, "auto-replies: %s", err.detail ? err.detail : "failed");
    busy = handled > 0;
    return busy;
}
