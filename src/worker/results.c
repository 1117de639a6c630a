/* Outcomes of sends: written to PostgreSQL through the worker's narrow functions first, then
 * the job is acknowledged in Redis (and a retry scheduled), so a crash between the two leaves
 * a job whose message is no longer queued: taken again, it is dropped, never sent twice.
 * Each function call is one statement, sent as an implicit transaction (laris_db_set_read_only:
 * no BEGIN and COMMIT, one round trip); it commits when PostgreSQL answers. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

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

bool worker_record(laris_worker_t *w, laris_arena_t *a, const job_t *j, const send_outcome_t *o,
                   acks_t *acks, bool *redis_failed)
{
    laris_err_t err;
    laris_err_init(&err, a);
    const char *status = "unknown";
    bool retry = false;
    switch (o->kind) {
    case SEND_ACCEPTED:
        status = "accepted";
        break;
    case SEND_FAILED:
        status = "failed";
        break;
    case SEND_UNKNOWN:
        status = "unknown";
        break;
    case SEND_RETRY:
        retry = j->attempt + 1 < SEND_ATTEMPTS;
        status = retry ? "queued" : "failed";
        break;
    case SEND_TOKEN_EXPIRED:
        if (token_expired(w, a, j, o, &err) != LARIS_OK)
            return false;
        laris_log(LARIS_WARN, "access token of number %lld expired: its sends wait",
                  (long long)j->number_id);
        worker_ack(w, a, acks, j->number_id, j->job, redis_failed);
        return true;
    }
    if (result(w, a, j, status, o, &err) != LARIS_OK)
        return false;
    if (retry) {
        int64_t delay =
            worker_backoff_ms(j->attempt + 1, BACKOFF_BASE, BACKOFF_CAP, randombytes_random());
        worker_requeue(w, a, j->number_id, j->job, j->attempt + 1, delay, redis_failed);
        return true;
    }
    laris_log(LARIS_INFO, "message %lld of tenant %lld: %s", (long long)j->message,
              (long long)j->tenant, status);
    worker_ack(w, a, acks, j->number_id, j->job, redis_failed);
    return true;
}
