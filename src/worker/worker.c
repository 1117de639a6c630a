/* laris-worker's loop. Each round: housekeeping (consumer leases per number, replay of the
 * outbox when Redis lost its queues, stale sends to 'unknown'), due retries back to their
 * queues, the outbox relay, then for every number this worker holds the lease of: take jobs,
 * begin them in PostgreSQL (queued -> sending, so a message is sent at most once), check the
 * pair limit of the recipient and the number's GCRA limiter in Redis, and start the request
 * on the libcurl multi handle; finished requests are recorded as they come.
 *
 * Nothing waits for one number: a number whose limiter says "not yet" keeps its begun job
 * until its slot, a recipient over its pair limit has the job retried later (a Redis sorted
 * set), and every other number goes on. Retries (with backoff and jitter) happen only when
 * nothing can have been sent; a request that left without an answer ends as 'unknown'. Message
 * bodies and tokens are never logged. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "laris/buf.h"
#include "laris/crypto.h"
#include "laris/json.h"
#include "laris/log.h"
#include "laris/wa_outgoing.h"
#include "worker_internal.h"

#define RELAY_BATCH      100
#define MAX_NUMBERS      1024
#define MAX_INFLIGHT     256  /* requests in flight in all */
#define NUMBER_INFLIGHT  32   /* ... and for one number */
#define STARTS_PER_ROUND 16   /* sends one number may start in one round (fairness) */
#define LEASE_TTL_MS     5000 /* a dead worker's numbers are taken over within this */
#define LEASE_BATCH      200  /* leases renewed per round trip */
#define SLACK_US         5000 /* how late a send may be and keep its number's schedule */
#define HOUSEKEEP_MS     500
#define EXPIRE_EVERY_MS  5000
#define EXPIRE_MARGIN_MS 15000 /* 'sending' longer than the send timeout plus this: unknown */
#define RELAY_EVERY_MS   20
#define IDLE_WAIT_MS     50
#define EMPTY_LOOK_MS    100 /* an empty queue is looked at again after this (retries due) */
#define TAKE_AHEAD       8   /* jobs taken from a queue and begun at once, at most */

/* What this worker knows about a number it has seen in laris:sendq:numbers. */
typedef struct {
    int64_t id;
    bool leased;         /* this worker is the number's consumer */
    int64_t next_us;     /* no send before this (limiter or throttling) */
    int64_t interval_us; /* the limiter's interval, from the number's throughput_mps */
    int64_t look_us;     /* its queue was empty: look again at this time (or when relayed to) */
    job_t *begun[TAKE_AHEAD]; /* begun (sending), not started yet, in queue order */
    int nbegun, begun_first;
    int inflight;
    job_t *held; /* begun, waiting for the number's limiter */
} number_t;

typedef struct {
    laris_worker_t *w;
    laris_arena_t *a;
    sender_t *sender;
    char owner[96]; /* this worker in leases: host:pid:random */
    number_t numbers[MAX_NUMBERS];
    size_t nnumbers;
    bool redis_failed;               /* a Redis call failed since the last replay check */
    int64_t db_wait_us;              /* PostgreSQL failed: take and relay nothing before this */
    job_t *unrecorded[MAX_INFLIGHT]; /* finished, outcome not recorded yet */
    send_outcome_t unrecorded_outcome[MAX_INFLIGHT];
    int nunrecorded;
    acks_t acks; /* flushed once per round */
} loop_t;

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void job_free(job_t *j)
{
    if (!j)
        return;
    if (j->auth)
        sodium_memzero(j->auth, strlen(j->auth));
    free(j->auth);
    free(j->url);
    free(j->json);
    free(j);
}

static number_t *number_of(loop_t *l, int64_t id)
{
    for (size_t i = 0; i < l->nnumbers; i++)
        if (l->numbers[i].id == id)
            return &l->numbers[i];
    return NULL;
}

/* Takes the leases of the listed numbers nobody holds and renews ours (a round trip per
 * LEASE_BATCH numbers). A lease taken over means its previous holder stopped: the jobs in its
 * processing list go back to the queue (a message already begun is not sent again). */
static void housekeep_leases(loop_t *l)
{
    int64_t ids[MAX_NUMBERS];
    size_t n = 0;
    laris_err_t err;
    laris_err_init(&err, l->a);
    if (laris_kv_sendq_numbers(l->w->kv, ids, MAX_NUMBERS, &n, &err) != LARIS_OK) {
        l->redis_failed = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (!number_of(l, ids[i]) && l->nnumbers < MAX_NUMBERS) {
            number_t *num = &l->numbers[l->nnumbers++];
            memset(num, 0, sizeof(*num));
            num->id = ids[i];
        }
    int states[LEASE_BATCH];
    for (size_t first = 0; first < l->nnumbers; first += LEASE_BATCH) {
        int count = (int)(l->nnumbers - first < LEASE_BATCH ? l->nnumbers - first : LEASE_BATCH);
        for (int i = 0; i < count; i++)
            ids[i] = l->numbers[first + (size_t)i].id;
        laris_err_init(&err, l->a);
        if (laris_kv_leases(l->w->kv, l->owner, LEASE_TTL_MS, count, ids, states, &err) !=
            LARIS_OK) {
            l->redis_failed = true;
            for (int i = 0; i < count; i++)
                l->numbers[first + (size_t)i].leased = false;
            continue;
        }
        for (int i = 0; i < count; i++) {
            number_t *num = &l->numbers[first + (size_t)i];
            if (states[i] == 2 && laris_kv_sendq_reclaim(l->w->kv, num->id, &err) != LARIS_OK)
                l->redis_failed = true;
            num->leased = states[i] != 0;
        }
    }
}

/* Prepares the request of begun job j from row i of res (the message, its recipient, its
 * number's sealed token). False when the token cannot be used: j is recorded as failed. */
static bool prepare(loop_t *l, number_t *num, job_t *j, const PGresult *res, int i)
{
    laris_worker_t *w = l->w;
    laris_arena_t *a = l->a;
    snprintf(j->to, sizeof(j->to), "%s", laris_db_value(res, i, "to_wa_id"));
    int64_t mps = laris_db_int(res, i, "throughput_mps");
    /* One send per interval, 1 % longer than 1/mps: Meta (and laris-sim) count sends in
     * one-second windows as they receive them, and a schedule exactly at the limit puts one send
     * too many into a window whenever network jitter brings one a little early. */
    num->interval_us = (1010000 + (mps > 0 ? mps : 1) - 1) / (mps > 0 ? mps : 1);

    const char *token_hex = laris_db_value(res, i, "token");
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
        send_outcome_t o = {.kind = SEND_FAILED,
                            .error_title = "no usable access token",
                            .error_message =
                                "This number's access token cannot be used; connect it again."};
        if (!worker_record(w, a, j, &o, &l->acks, &l->redis_failed))
            laris_log(LARIS_WARN, "could not record a failed send");
        return false;
    }
    const char *stored = laris_db_value(res, i, "payload");
    json_t *payload = stored ? laris_json_adopt(a, json_loads(stored, 0, NULL)) : NULL;
    json_t *jb =
        laris_wa_outgoing_body(laris_db_value(res, i, "type"), laris_db_value(res, i, "body"),
                               payload, j->to, laris_db_value(res, i, "reply_to_wamid"));
    size_t len;
    j->json = strdup(jb ? laris_json_encode(a, jb, &len) : "{}");
    json_decref(jb);
    j->url = strdup(laris_arena_printf(a, "%s/%s/%s/messages", w->graph_url, w->graph_version,
                                       laris_db_value(res, i, "phone_number_id")));
    const char *auth = laris_arena_printf(a, "Authorization: Bearer %.*s", (int)token_len, token);
    j->auth = strdup(auth);
    sodium_memzero(token, token_len);
    sodium_memzero((char *)auth, strlen(auth));
    if (!j->json || !j->url || !j->auth)
        abort();
    return true;
}

/* Begins up to n jobs taken from num's queue in one statement (queued -> sending) and puts the
 * requests of those begun into num->begun, in queue order. A job with nothing to send (done
 * already, number flagged, malformed) is acknowledged; when PostgreSQL does not answer, the
 * jobs are retried later. */
static void begin(loop_t *l, number_t *num, char (*raws)[LARIS_KV_JOB_MAX], int n)
{
    laris_worker_t *w = l->w;
    laris_arena_t *a = l->a;
    job_t *jobs[TAKE_AHEAD] = {0};
    laris_buf_t tenants, messages;
    laris_buf_init(&tenants, a);
    laris_buf_init(&messages, a);
    laris_buf_puts(&tenants, "{");
    laris_buf_puts(&messages, "{");
    for (int i = 0; i < n; i++) {
        job_t *j = calloc(1, sizeof(*j));
        if (!j)
            abort();
        j->number_id = num->id;
        snprintf(j->job, sizeof(j->job), "%s", raws[i]);
        if (!worker_job_parse(raws[i], &j->tenant, &j->message, &j->attempt)) {
            laris_log(LARIS_WARN, "malformed send job dropped");
            worker_ack(w, a, &l->acks, num->id, raws[i], &l->redis_failed);
            job_free(j);
            continue;
        }
        laris_buf_printf(&tenants, "%s%lld", tenants.len > 1 ? "," : "", (long long)j->tenant);
        laris_buf_printf(&messages, "%s%lld", messages.len > 1 ? "," : "", (long long)j->message);
        jobs[i] = j;
    }
    laris_buf_puts(&tenants, "}");
    laris_buf_puts(&messages, "}");
    laris_err_t err;
    laris_err_init(&err, a);
    const char *params[2] = {laris_buf_cstr(&tenants), laris_buf_cstr(&messages)};
    laris_db_set_tenant(w->db, 0);
    laris_db_set_read_only(w->db, true); /* one statement: an implicit transaction */
    PGresult *res = NULL;
    laris_rc rc =
        laris_db_query(w->db, a, LARIS_SQL_WORKER_OUTBOUND_BEGIN_MANY, 2, params, &res, &err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, &err);
    bool db_ok = rc == LARIS_OK && finish == LARIS_OK;
    if (!db_ok) {
        laris_log(LARIS_WARN, "send job: %s", err.detail ? err.detail : "database unavailable");
        l->db_wait_us = now_us() + 1000000;
    }
    for (int i = 0; i < n; i++) {
        job_t *j = jobs[i];
        if (!j)
            continue;
        int row = -1;
        for (int r = 0; db_ok && r < PQntuples(res) && row < 0; r++)
            if (laris_db_int(res, r, "tenant_id") == j->tenant &&
                laris_db_int(res, r, "message_id") == j->message)
                row = r;
        if (!db_ok)
            worker_requeue(w, a, num->id, j->job, j->attempt, 1000, &l->redis_failed);
        else if (row < 0) /* sent, being sent, unknown, or its number is flagged */
            worker_ack(w, a, &l->acks, num->id, j->job, &l->redis_failed);
        else if (prepare(l, num, j, res, row)) {
            num->begun[num->nbegun++] = j;
            continue;
        }
        job_free(j);
    }
}

/* Starts j now. */
static void start(loop_t *l, number_t *num, job_t *j)
{
    num->inflight++;
    sender_start(l->sender, j->url, j->auth, j->json, j);
}

/* Reserves j's slot under its number's and its recipient's limits, then starts it, or num
 * holds it until the slot. A recipient over its pair limit has j deferred to its next slot
 * (the message goes back to queued; other recipients go on). False when num must wait. */
static bool place(loop_t *l, number_t *num, job_t *j)
{
    laris_worker_t *w = l->w;
    laris_err_t err;
    laris_err_init(&err, l->a);
    /* A send late by up to SLACK_US (or most of an interval when that is shorter) keeps the
     * schedule (see laris_kv_send_slot): the next slot stays one interval after the missed one.
     * With slots 1 % longer than 1/mps, any one-second window then holds at most mps sends
     * while slack stays below 10 ms; the rest is left for network jitter. */
    laris_kv_slot_t slot = {
        .number_id = num->id,
        .interval_us = num->interval_us,
        .slack_us = num->interval_us * 9 / 10 < SLACK_US ? num->interval_us * 9 / 10 : SLACK_US,
        .to = j->to,
        .pair_interval_us = w->pair_interval_ms * 1010, /* 1 % longer, as for the number */
        .pair_burst = w->pair_burst,
    };
    bool pair_limited = false;
    int64_t wait = 0;
    if (laris_kv_send_slot(w->kv, &slot, &pair_limited, &wait, &err) != LARIS_OK) {
        /* Redis away: nothing may go unlimited; the message waits as queued. */
        l->redis_failed = true;
        pair_limited = true;
        wait = 1000000;
    }
    if (pair_limited) {
        if (!worker_defer(w, l->a, j, wait / 1000 + 1, &l->redis_failed))
            laris_log(LARIS_WARN, "could not defer a send");
        job_free(j);
        return true;
    }
    if (wait > 0) {
        num->held = j;
        num->next_us = now_us() + wait;
        return false;
    }
    start(l, num, j);
    return true;
}

/* How many jobs to begin at once: those due within about 50 ms at the number's rate (at
 * least one), so a message is 'sending' only shortly before its request. */
static int begin_ahead(const number_t *num)
{
    int64_t n = num->interval_us > 0 ? 50000 / num->interval_us : 1;
    return n < 1 ? 1 : n > TAKE_AHEAD ? TAKE_AHEAD : (int)n;
}

/* Begins the next jobs of num's queue when none is begun. False when there is none (or Redis
 * failed). */
static bool refill(loop_t *l, number_t *num, int64_t now)
{
    if (num->nbegun > 0)
        return true;
    num->begun_first = 0;
    if (num->look_us > now)
        return false;
    char raws[TAKE_AHEAD][LARIS_KV_JOB_MAX];
    int got = 0;
    laris_err_t err;
    laris_err_init(&err, l->a);
    if (laris_kv_sendq_take(l->w->kv, num->id, begin_ahead(num), raws, &got, &err) != LARIS_OK) {
        l->redis_failed = true;
        return false;
    }
    if (got == 0) {
        num->look_us = now + (int64_t)EMPTY_LOOK_MS * 1000;
        return false;
    }
    begin(l, num, raws, got);
    return true;
}

/* Starts what num may send this round. True when something happened. */
static bool serve_number(loop_t *l, number_t *num)
{
    bool worked = false;
    for (int started = 0; started < STARTS_PER_ROUND; started++) {
        int64_t now = now_us();
        if (*l->w->stop || num->next_us > now || l->db_wait_us > now ||
            num->inflight >= NUMBER_INFLIGHT || sender_inflight(l->sender) >= MAX_INFLIGHT)
            break;
        if (num->held) {
            job_t *j = num->held;
            num->held = NULL;
            start(l, num, j);
            worked = true;
            continue;
        }
        /* Jobs begun already go even when the lease was lost meanwhile: they are ours. */
        if ((!num->leased && num->nbegun == 0) || !refill(l, num, now))
            break;
        worked = true;
        if (num->nbegun == 0)
            continue;
        job_t *j = num->begun[num->begun_first++];
        num->nbegun--;
        if (!place(l, num, j))
            break;
    }
    return worked;
}

/* A finished request: its outcome recorded (or kept to record later). */
static void on_done(void *arg, void *ctx, CURLcode cc, long status, const char *body)
{
    loop_t *l = arg;
    job_t *j = ctx;
    number_t *num = number_of(l, j->number_id);
    if (num)
        num->inflight--;
    send_outcome_t o;
    worker_classify(l->a, cc, status, body, &o);
    if (o.kind == SEND_UNKNOWN && cc != CURLE_OK)
        laris_log(LARIS_WARN, "send outcome unknown: %s", curl_easy_strerror(cc));
    if (o.error_code)
        laris_log(LARIS_INFO, "send refused: code %lld (%s)%s", (long long)o.error_code,
                  o.error_title ? o.error_title : "", o.kind == SEND_RETRY ? ", retrying" : "");
    if (o.throttled && num) /* Graph says slow down: this number pauses a little */
        num->next_us =
            now_us() + worker_backoff_ms(j->attempt + 1, 500, 60000, randombytes_random()) * 1000;
    if (l->nunrecorded == MAX_INFLIGHT) { /* cannot happen: at most MAX_INFLIGHT in flight */
        job_free(j);
        return;
    }
    /* Recorded with the round's other outcomes (record_outcomes); the outcome's strings live
     * in the round's arena: keep copies that outlive it in case PostgreSQL is away. */
    o.wamid = o.wamid ? strdup(o.wamid) : NULL;
    o.error_title = o.error_title ? strdup(o.error_title) : NULL;
    o.error_message = o.error_message ? strdup(o.error_message) : NULL;
    l->unrecorded[l->nunrecorded] = j;
    l->unrecorded_outcome[l->nunrecorded++] = o;
}

static void outcome_free(send_outcome_t *o)
{
    free((char *)o->wamid);
    free((char *)o->error_title);
    free((char *)o->error_message);
}

/* Records the outcomes of finished requests: 190s one by one, the others in one statement.
 * What PostgreSQL does not take is kept and recorded again later. */
static void record_outcomes(loop_t *l)
{
    int kept = 0, batch = 0;
    job_t *jobs[MAX_INFLIGHT] = {0};
    send_outcome_t outcomes[MAX_INFLIGHT] = {0};
    for (int i = 0; i < l->nunrecorded; i++) {
        job_t *j = l->unrecorded[i];
        send_outcome_t *o = &l->unrecorded_outcome[i];
        if (o->kind != SEND_TOKEN_EXPIRED) {
            jobs[batch] = j;
            outcomes[batch++] = *o;
        } else if (worker_record(l->w, l->a, j, o, &l->acks, &l->redis_failed)) {
            job_free(j);
            outcome_free(o);
        } else {
            l->unrecorded[kept] = j;
            l->unrecorded_outcome[kept++] = *o;
        }
    }
    if (worker_record_many(l->w, l->a, jobs, outcomes, batch, &l->acks, &l->redis_failed)) {
        for (int i = 0; i < batch; i++) {
            job_free(jobs[i]);
            outcome_free(&outcomes[i]);
        }
    } else {
        laris_log(LARIS_WARN, "could not record %d outcomes yet: kept to record again", batch);
        l->db_wait_us = now_us() + 1000000;
        for (int i = 0; i < batch; i++) {
            l->unrecorded[kept] = jobs[i];
            l->unrecorded_outcome[kept++] = outcomes[i];
        }
    }
    l->nunrecorded = kept;
}

/* Microseconds until the earliest held job may go (capped at cap_us); cap_us when none. */
static int64_t next_due_us(const loop_t *l, int64_t now, int64_t cap_us)
{
    int64_t due = cap_us;
    for (size_t i = 0; i < l->nnumbers; i++) {
        const number_t *num = &l->numbers[i];
        if (num->held && num->next_us - now < due)
            due = num->next_us - now;
    }
    return due < 0 ? 0 : due;
}

int laris_worker_run(laris_worker_t *w)
{
    loop_t *l = calloc(1, sizeof(*l));
    if (!l)
        abort();
    l->w = w;
    l->a = laris_arena_create((size_t)64 * 1024);
    l->sender = sender_create(w->send_timeout_ms);
    char host[64] = "";
    gethostname(host, sizeof(host) - 1);
    snprintf(l->owner, sizeof(l->owner), "%s:%d:%08x", host, (int)getpid(),
             (unsigned)randombytes_random());
    long grace_ms = (w->send_timeout_ms > 0 ? w->send_timeout_ms : 20000) + EXPIRE_MARGIN_MS;
    int64_t last_housekeep = 0, last_expire = 0, last_relay = 0;
    bool relay_more = false, redis_down = false;

    while (!*w->stop || sender_inflight(l->sender) > 0) {
        laris_arena_reset(l->a);
        laris_err_t err;
        laris_err_init(&err, l->a);
        int64_t now = now_us();
        bool worked = false;
        if (!*w->stop && now - last_housekeep >= (int64_t)HOUSEKEEP_MS * 1000) {
            last_housekeep = now;
            bool suspect = l->redis_failed;
            l->redis_failed = false;
            bool was_down = redis_down;
            redis_down = worker_replay_if_lost(w, l->a, suspect, &err) != LARIS_OK;
            if (redis_down != was_down)
                laris_log(redis_down ? LARIS_WARN : LARIS_INFO, "send queues %s",
                          redis_down ? "unavailable: sends wait" : "available again");
            if (redis_down) {
                l->redis_failed = true;
            } else {
                housekeep_leases(l);
                int moved = 0;
                laris_err_init(&err, l->a);
                if (laris_kv_retry_due(w->kv, 1000, &moved, &err) != LARIS_OK)
                    l->redis_failed = true;
            }
            record_outcomes(l);
            if (now - last_expire >= (int64_t)EXPIRE_EVERY_MS * 1000) {
                last_expire = now;
                laris_err_init(&err, l->a);
                if (worker_expire(w, l->a, grace_ms, &err) != LARIS_OK)
                    laris_log(LARIS_WARN, "expiring stale sends: failed");
            }
        }
        /* Without Redis nothing is taken or relayed (the outbox keeps the replies) until the
         * next check finds it again. */
        if (!*w->stop && !redis_down && l->db_wait_us <= now &&
            (relay_more || now - last_relay >= (int64_t)RELAY_EVERY_MS * 1000)) {
            last_relay = now;
            int moved = 0;
            int64_t pushed[RELAY_BATCH];
            laris_err_init(&err, l->a);
            if (worker_relay(w, l->a, RELAY_BATCH, pushed, &moved, &err) != LARIS_OK) {
                laris_log(LARIS_WARN, "outbox relay: %s", err.detail ? err.detail : "failed");
                l->db_wait_us = now + 1000000;
            }
            for (int i = 0; i < moved; i++) { /* look at those queues now */
                number_t *num = number_of(l, pushed[i]);
                if (num)
                    num->look_us = 0;
                else
                    last_housekeep = 0; /* a new number: take its lease soon */
            }
            relay_more = moved == RELAY_BATCH;
            worked = moved > 0;
        }
        for (size_t i = 0; i < l->nnumbers && !redis_down; i++)
            worked = serve_number(l, &l->numbers[i]) || worked;

        int wait_ms = 0;
        if (!worked) {
            int64_t cap = (int64_t)(sender_inflight(l->sender) > 0 ? 10 : IDLE_WAIT_MS) * 1000;
            wait_ms = (int)(next_due_us(l, now_us(), cap) / 1000);
        }
        sender_poll(l->sender, wait_ms, on_done, l);
        if (l->nunrecorded > 0 && l->db_wait_us <= now_us())
            record_outcomes(l);
        worker_acks_flush(w, l->a, &l->acks, &l->redis_failed);
    }
    /* Stopping: held jobs were begun (status sending) but never sent; after the grace period
     * they become 'unknown' like any interrupted send, so give them back as queued now. */
    for (size_t i = 0; i < l->nnumbers; i++) {
        number_t *num = &l->numbers[i];
        laris_err_t err;
        laris_err_init(&err, l->a);
        if (num->held && !worker_defer(w, l->a, num->held, 0, &l->redis_failed))
            laris_log(LARIS_WARN, "could not give a held send back");
        job_free(num->held);
        num->held = NULL;
        for (; num->nbegun > 0; num->nbegun--) {
            job_t *j = num->begun[num->begun_first++];
            if (!worker_defer(w, l->a, j, 0, &l->redis_failed))
                laris_log(LARIS_WARN, "could not give a begun send back");
            job_free(j);
        }
        if (num->leased)
            laris_kv_lease_release(w->kv, num->id, l->owner, &err);
    }
    record_outcomes(l);
    worker_acks_flush(w, l->a, &l->acks, &l->redis_failed);
    for (int i = 0; i < l->nunrecorded; i++) {
        job_free(l->unrecorded[i]);
        outcome_free(&l->unrecorded_outcome[i]);
    }
    sender_destroy(l->sender);
    laris_arena_destroy(l->a);
    free(l);
    return 0;
}
