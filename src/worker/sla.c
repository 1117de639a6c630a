/* laris-worker's SLA clock: about once a second, warnings and breaches of first-response due
 * times (sla_sweep, in SQL: it records sla_events rows for the live-events publisher and
 * escalates when the tenant asks), and the first-response and resolution times of chats, once
 * known, in business seconds (src/core/hours.c; the wall-clock ones are recorded in SQL). */
#include <string.h>

#include "laris/clock.h"
#include "laris/hours.h"
#include "laris/json.h"
#include "laris/log.h"
#include "laris/worker.h"

#define EVERY_MS    1000
#define TIMES_BATCH 100

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

/* Open seconds between columns from and to of row i (NULL when to is not known). */
static const char *business_seconds(laris_arena_t *a, const laris_hours_t *h, const PGresult *res,
                                    int i, const char *from, const char *to)
{
    if (!laris_db_value(res, i, to))
        return NULL;
    int64_t t1 = laris_db_int(res, i, from), t2 = laris_db_int(res, i, to);
    return int_text(a, h ? laris_hours_between(h, t1, t2) : (t2 > t1 ? t2 - t1 : 0));
}

/* Counts the business seconds of up to TIMES_BATCH chats, in one transaction. */
static laris_rc record_times(laris_worker_t *w, laris_arena_t *a, int *done, laris_err_t *err)
{
    *done = 0;
    laris_db_set_tenant(w->db, 0);
    const char *params[1] = {int_text(a, TIMES_BATCH)};
    PGresult *res;
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_SLA_TIMES_PENDING, 1, params, &res, err);
    laris_hours_buf_t *buf = LARIS_NEW(a, laris_hours_buf_t);
    for (int i = 0; rc == LARIS_OK && i < PQntuples(res); i++) {
        const laris_hours_t *h = NULL;
        const char *hours = laris_db_value(res, i, "business_hours");
        if (hours) {
            json_t *wj = laris_json_adopt(a, json_loads(hours, 0, NULL));
            json_t *cj =
                laris_json_adopt(a, json_loads(laris_db_value(res, i, "closed_dates"), 0, NULL));
            if (!laris_hours_from_json(wj, cj, laris_db_value(res, i, "timezone"), buf))
                h = &buf->hours;
        }
        const char *record[4] = {
            laris_db_value(res, i, "tenant_id"), laris_db_value(res, i, "conversation_id"),
            business_seconds(a, h, res, i, "first_inbound_at", "first_response_at"),
            business_seconds(a, h, res, i, "first_inbound_at", "resolved_at")};
        rc = laris_db_query(w->db, a, LARIS_SQL_SLA_TIMES_RECORD, 4, record, NULL, err);
    }
    if (rc == LARIS_OK)
        *done = PQntuples(res);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    return rc != LARIS_OK ? rc : finish;
}

bool laris_sla_run(laris_worker_t *w, laris_arena_t *a)
{
    static int64_t last;
    int64_t now = laris_clock_mono_ns() / 1000000;
    if (now - last < EVERY_MS)
        return false;
    last = now;
    laris_err_t err;
    laris_err_init(&err, a);
    PGresult *res;
    laris_db_set_tenant(w->db, 0);
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_SLA_SWEEP, 0, NULL, &res, &err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, &err);
    int events = rc == LARIS_OK && finish == LARIS_OK ? (int)laris_db_int(res, 0, "events") : 0;
    if (rc != LARIS_OK || finish != LARIS_OK)
        laris_log(LARIS_WARN, "SLA sweep: %s", err.detail ? err.detail : "failed");
    else if (events > 0)
        laris_log(LARIS_INFO, "%d SLA warnings or breaches recorded", events);
    laris_err_init(&err, a);
    int done = 0;
    if (record_times(w, a, &done, &err) != LARIS_OK)
        laris_log(LARIS_WARN, "SLA times: %s", err.detail ? err.detail : "failed");
    return events > 0 || done > 0;
}
