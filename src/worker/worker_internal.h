/* The parts of laris-worker (src/worker), shared between its files only:
 *   classify.c  what a Graph answer means (accepted, retry, failed, unknown, token expired) and
 *               the backoff before a retry: pure, unit-tested
 *   sender.c    libcurl multi: many requests in flight on reused connections
 *   relay.c     outbox -> Redis queues, replay after Redis lost them, expiry of stale sends
 *   results.c   outcomes into PostgreSQL, retries into Redis
 *   worker.c    the loop: leases per number, pacing, pair limit, starting sends */
#ifndef LARIS_WORKER_INTERNAL_H
#define LARIS_WORKER_INTERNAL_H

#include <curl/curl.h>
#include <stdint.h>

#include "laris/arena.h"
#include "laris/worker.h"

typedef enum {
    SEND_ACCEPTED,      /* Graph gave a wamid */
    SEND_RETRY,         /* nothing can have been sent and a retry may succeed */
    SEND_FAILED,        /* refused for good (plain words in the outcome) */
    SEND_UNKNOWN,       /* the request may have left: never sent again */
    SEND_TOKEN_EXPIRED, /* 190: nothing sent; the number is flagged until a new token */
} send_kind_t;

typedef struct {
    send_kind_t kind;
    const char *wamid;
    int64_t error_code; /* 0 when Graph gave none */
    const char *error_title;
    const char *error_message;
    bool throttled; /* 130429 (the number) or 131056 (the pair): slow down */
} send_outcome_t;

/* What a finished request means: cc is libcurl's result, status the HTTP status (0 without an
 * answer), body the answer (may be NULL). Strings are in a. */
void worker_classify(laris_arena_t *a, CURLcode cc, long status, const char *body,
                     send_outcome_t *out);

/* Milliseconds to wait before retry number attempt (1, 2, ...): base doubled per attempt up to
 * cap, the upper half drawn from random ("equal jitter": never less than half). */
int64_t worker_backoff_ms(int attempt, int64_t base_ms, int64_t cap_ms, uint32_t random);

/* A send job: "<tenant>:<message>" or "<tenant>:<message>:<attempt>". False when malformed. */
bool worker_job_parse(const char *job, int64_t *tenant, int64_t *message, int *attempt);

/* A message on its way: parsed from its queue job, with the request once begun. */
typedef struct {
    int64_t number_id, tenant, message;
    int attempt;      /* retries so far */
    char job[64];     /* as taken from the queue (the processing list holds this string) */
    char to[64];      /* the recipient's wa_id */
    char *url, *auth; /* malloc'd once begun; auth holds the token and is wiped */
    char *json;
} job_t;

/* Acknowledgements waiting to go to Redis together (one round trip per loop round). */
#define ACKS_MAX 128
typedef struct {
    int n;
    int64_t numbers[ACKS_MAX];
    char jobs[ACKS_MAX][64];
} acks_t;

/* ---- results.c ---- */
/* Adds an acknowledgement to acks (sent at once when acks is full). */
void worker_ack(laris_worker_t *w, laris_arena_t *a, acks_t *acks, int64_t number_id,
                const char *job, bool *redis_failed);
/* Sends the acknowledgements in acks and empties it. */
void worker_acks_flush(laris_worker_t *w, laris_arena_t *a, acks_t *acks, bool *redis_failed);
/* Records outcome o of j in PostgreSQL, then acknowledges the job (into acks) and schedules a
 * retry when o asks for one. False when PostgreSQL did not take it (try again later);
 * *redis_failed is set when Redis did not take the acknowledgement or the retry. */
bool worker_record(laris_worker_t *w, laris_arena_t *a, const job_t *j, const send_outcome_t *o,
                   acks_t *acks, bool *redis_failed);
/* worker_record of n outcomes, none of them SEND_TOKEN_EXPIRED, in one statement. False when
 * PostgreSQL did not take them (none was recorded). */
bool worker_record_many(laris_worker_t *w, laris_arena_t *a, job_t *const *js,
                        const send_outcome_t *os, int n, acks_t *acks, bool *redis_failed);
/* Puts a begun message back to queued (nothing was sent) and retries its job in delay_ms. */
bool worker_defer(laris_worker_t *w, laris_arena_t *a, const job_t *j, int64_t delay_ms,
                  bool *redis_failed);
/* Gives job (taken from number_id's queue) back: to be taken again in delay_ms. */
void worker_requeue(laris_worker_t *w, laris_arena_t *a, int64_t number_id, const char *job,
                    int attempt, int64_t delay_ms, bool *redis_failed);

/* ---- sender.c ---- */
typedef struct sender_s sender_t;
typedef void (*sender_done_fn)(void *arg, void *ctx, CURLcode cc, long status, const char *body);

sender_t *sender_create(long timeout_ms);
void sender_destroy(sender_t *s);
/* Starts POST url with json and header auth ("Authorization: Bearer ..."); ctx comes back to
 * the done callback. The strings are copied. */
void sender_start(sender_t *s, const char *url, const char *auth, const char *json, void *ctx);
int sender_inflight(const sender_t *s);
/* Waits up to wait_ms for network activity, then calls done for each finished request. */
void sender_poll(sender_t *s, int wait_ms, sender_done_fn done, void *arg);

/* ---- relay.c ---- */
/* Moves up to batch outbox rows to the Redis queues; *moved gets how many and numbers (batch
 * entries) the number of each. */
laris_rc worker_relay(laris_worker_t *w, laris_arena_t *a, int batch, int64_t *numbers, int *moved,
                      laris_err_t *err);
/* When Redis lost the queues (no epoch marker, or a Redis call failed since the last check),
 * marks the queued messages' outbox rows for relaying again and sets the marker. */
laris_rc worker_replay_if_lost(laris_worker_t *w, laris_arena_t *a, bool suspect, laris_err_t *err);
/* Messages in 'sending' longer than grace_ms become 'unknown'. */
laris_rc worker_expire(laris_worker_t *w, laris_arena_t *a, long grace_ms, laris_err_t *err);

#endif
