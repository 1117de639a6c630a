/* Outcomes of sends: written to PostgreSQL through the worker's narrow functions first, then
 * the job is acknowledged in Redis (and a retry scheduled), so a crash between the two leaves
 * a job whose message is no longer queued: taken again, it is dropped, never sent twice.
 * Each function call is one statement, sent as an implicit transaction (laris_db_set_read_only:
 * no BEGIN and COMMIT, one round trip); it commits when PostgreSQL answers. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "laris/buf.h"
#include "laris/log.h"
#include "worker_internal.h"

#define SEND_ATTEMPTS 6     /* a retryable error this many times in a row ends as failed */
#define BACKOFF_BASE  500   /* ms before the first retry, doubled per retry ... */
#define BACKOFF_CAP   60000 /* ... up to a minute (Meta: 4^X s for 131056, X = 0, 1, 2) */

void worker_acks_flush(laris_worker_t *w, laris_arena_t *a, acks_t *acks, bool *redis_failed)
{
    if (acks->n == 0)
        return;
    const char *jobs[ACKS_MAX];
    for (int i = 0; i < acks->n; i++)
        jobs[i] = acks->jobs[i];
    laris_err_t err;
    laris_err_init(&err, a);
    if (laris_kv_sendq_ack_many(w->kv, acks->n, acks->numbers, jobs, &err) != LARIS_OK)
        *redis_failed = true;
    acks->n = 0;
}

void worker_ack(laris_worker_t *w, laris_arena_t *a, acks_t *acks, int64_t number_id,
                const char *job, bool *redis_failed)
{
    if (acks->n == ACKS_MAX)
        worker_acks_flush(w, a, acks, redis_failed);
    acks->numbers[acks->n] = number_id;
    snprintf(acks->jobs[acks->n++], sizeof(acks->jobs[0]), "%s", job);
}

void worker_requeue(laris_worker_t *w, laris_arena_t *a, int64_t number_id, const char *job,
                    int attempt, int64_t delay_ms, bool *redis_failed)
{
    laris_err_t err;
    laris_err_init(&err, a);
    int64_t tenant, message;
    int ignored;
    const char *again = job;
    if (worker_job_parse(job, &tenant, &message, &ignored))
        again =
            laris_arena_printf(a, "%lld:%lld:%d", (long long)tenant, (long long)message, attempt);
    if (laris_kv_retry_add(w->kv, number_id, again, delay_ms, &err) != LARIS_OK ||
        laris_kv_sendq_ack(w->kv, number_id, job, &err) != LARIS_OK)
        *redis_failed = true;
}

static laris_rc result(laris_worker_t *w, laris_arena_t *a, const job_t *j, const char *status,
                       const send_outcome_t *o, laris_err_t *err)
{
    const char *params[7] = {
        laris_arena_printf(a, "%lld", (long long)j->tenant),
        laris_arena_printf(a, "%lld", (long long)j->message),
        status,
        o ? o->wamid : NULL,
        o && o->error_code ? laris_arena_printf(a, "%lld", (long long)o->error_code) : NULL,
        o ? o->error_title : NULL,
        o ? o->error_message : NULL,
    };
    laris_db_set_tenant(w->db, 0);
    laris_db_set_read_only(w->db, true);
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_WORKER_OUTBOUND_RESULT, 7, params, NULL, err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    return rc != LARIS_OK ? rc : finish;
}

static laris_rc token_expired(laris_worker_t *w, laris_arena_t *a, const job_t *j,
                              const send_outcome_t *o, laris_err_t *err)
{
    const char *params[4] = {
        laris_arena_printf(a, "%lld", (long long)j->tenant),
        laris_arena_printf(a, "%lld", (long long)j->message),
        o->error_title,
        "This number's access token expired; the message waits until a new token is given.",
    };
    laris_db_set_tenant(w->db, 0);
    laris_db_set_read_only(w->db, true);
    laris_rc rc =
        laris_db_query(w->db, a, LARIS_SQL_WORKER_OUTBOUND_TOKEN_EXPIRED, 4, params, NULL, err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    return rc != LARIS_OK ? rc : finish;
}

bool worker_defer(laris_worker_t *w, laris_arena_t *a, const job_t *j, int64_t delay_ms,
                  bool *redis_failed)
{
    laris_err_t err;
    laris_err_init(&err, a);
    if (result(w, a, j, "queued", NULL, &err) != LARIS_OK)
        return false;
    worker_requeue(w, a, j->number_id, j->job, j->attempt, delay_ms, redis_failed);
    return true;
}

/* The status recorded for outcome o of j; *retry when j is to be tried again. */
static const char *status_of(const job_t *j, const send_outcome_t *o, bool *retry)
{
    *retry = false;
    switch (o->kind) {
    case SEND_ACCEPTED:
        return "accepted";
    case SEND_FAILED:
        return "failed";
    case SEND_RETRY:
        *retry = j->attempt + 1 < SEND_ATTEMPTS;
        return *retry ? "queued" : "failed";
    case SEND_UNKNOWN:
    case SEND_TOKEN_EXPIRED:
        break;
    }
    return "unknown";
}

/* After j's outcome is committed: its retry scheduled, or the job acknowledged. */
static void after_recorded(laris_worker_t *w, laris_arena_t *a, const job_t *j, const char *status,
                           bool retry, acks_t *acks, bool *redis_failed)
{
    if (retry) {
        int64_t delay =
            worker_backoff_ms(j->attempt + 1, BACKOFF_BASE, BACKOFF_CAP, randombytes_random());
        worker_requeue(w, a, j->number_id, j->job, j->attempt + 1, delay, redis_failed);
        return;
    }
    laris_log(LARIS_INFO, "message %lld of tenant %lld: %s", (long long)j->message,
              (long long)j->tenant, status);
    worker_ack(w, a, acks, j->number_id, j->job, redis_failed);
}

bool worker_record(laris_worker_t *w, laris_arena_t *a, const job_t *j, const send_outcome_t *o,
                   acks_t *acks, bool *redis_failed)
{
    laris_err_t err;
    laris_err_init(&err, a);
    if (o->kind == SEND_TOKEN_EXPIRED) {
        if (token_expired(w, a, j, o, &err) != LARIS_OK)
            return false;
        laris_log(LARIS_WARN, "access token of number %lld expired: its sends wait",
                  (long long)j->number_id);
        worker_ack(w, a, acks, j->number_id, j->job, redis_failed);
        return true;
    }
    bool retry;
    const char *status = status_of(j, o, &retry);
    if (result(w, a, j, status, o, &err) != LARIS_OK)
        return false;
    after_recorded(w, a, j, status, retry, acks, redis_failed);
    return true;
}

/* Adds v (NULL: SQL NULL) to the PostgreSQL array literal being built in b (empty at first;
 * closed by array_end). */
static void array_add(laris_buf_t *b, const char *v)
{
    laris_buf_putc(b, b->len > 0 ? ',' : '{');
    if (!v) {
        laris_buf_puts(b, "NULL");
        return;
    }
    laris_buf_putc(b, '"');
    for (const char *p = v; *p; p++) {
        if (*p == '"' || *p == '\\')
            laris_buf_putc(b, '\\');
        laris_buf_putc(b, *p);
    }
    laris_buf_putc(b, '"');
}

static const char *array_end(laris_buf_t *b)
{
    laris_buf_puts(b, b->len > 0 ? "}" : "{}");
    return laris_buf_cstr(b);
}

bool worker_record_many(laris_worker_t *w, laris_arena_t *a, job_t *const *js,
                        const send_outcome_t *os, int n, acks_t *acks, bool *redis_failed)
{
    if (n == 0)
        return true;
    laris_buf_t arrays[7];
    for (int k = 0; k < 7; k++)
        laris_buf_init(&arrays[k], a);
    for (int i = 0; i < n; i++) {
        bool retry;
        const send_outcome_t *o = &os[i];
        array_add(&arrays[0], laris_arena_printf(a, "%lld", (long long)js[i]->tenant));
        array_add(&arrays[1], laris_arena_printf(a, "%lld", (long long)js[i]->message));
        array_add(&arrays[2], status_of(js[i], o, &retry));
        array_add(&arrays[3], o->wamid);
        array_add(&arrays[4],
                  o->error_code ? laris_arena_printf(a, "%lld", (long long)o->error_code) : NULL);
        array_add(&arrays[5], o->error_title);
        array_add(&arrays[6], o->error_message);
    }
    const char *params[7];
    for (int k = 0; k < 7; k++)
        params[k] = array_end(&arrays[k]);
    laris_err_t err;
    laris_err_init(&err, a);
    laris_db_set_tenant(w->db, 0);
    laris_db_set_read_only(w->db, true);
    laris_rc rc =
        laris_db_query(w->db, a, LARIS_SQL_WORKER_OUTBOUND_RESULT_MANY, 7, params, NULL, &err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, &err);
    if (rc != LARIS_OK || finish != LARIS_OK)
        return false;
    for (int i = 0; i < n; i++) {
        bool retry;
        const char *status = status_of(js[i], &os[i], &retry);
        after_recorded(w, a, js[i], status, retry, acks, redis_failed);
    }
    return true;
}
