/* Redis access for one process: a lazily opened connection and the few atomic operations the
 * domain needs (counters with a window), done by Lua scripts called by SHA. */
#ifndef LARIS_KV_H
#define LARIS_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "laris/err.h"

typedef struct laris_kv_s laris_kv_t;

/* Makes a handle for redis://host:port/db; connects on first use (1 s timeout). Never NULL. */
laris_kv_t *laris_kv_create(const char *url);
void laris_kv_destroy(laris_kv_t *kv);

/* PING; LARIS_EUNAVAILABLE when Redis cannot be reached. */
laris_rc laris_kv_ping(laris_kv_t *kv, laris_err_t *err);

/* Adds one to the counter key that lives window_seconds from its first hit; *count gets the new
 * value and *ttl_ms the time left. Atomic (one Lua script). */
laris_rc laris_kv_hit(laris_kv_t *kv, const char *key, int window_seconds, int64_t *count,
                      int64_t *ttl_ms, laris_err_t *err);

/* Reads a counter without changing it: *count 0 and *ttl_ms 0 when absent. */
laris_rc laris_kv_peek(laris_kv_t *kv, const char *key, int64_t *count, int64_t *ttl_ms,
                       laris_err_t *err);

/* Deletes key. */
laris_rc laris_kv_del(laris_kv_t *kv, const char *key, laris_err_t *err);

/* ---- send queues of WhatsApp numbers (laris-worker) ----
 * Per number: laris:{n:<id>}:sendq (jobs waiting), laris:{n:<id>}:processing (taken, not yet
 * acknowledged) and laris:{n:<id>}:gcra (the rate limiter); the set laris:sendq:numbers lists
 * the numbers that ever had a job. Jobs are short strings ("<tenant>:<message>"). */

/* Appends jobs[i] to the send queue of numbers[i] (n at most 128, one round trip) and lists
 * the numbers. */
laris_rc laris_kv_sendq_push_many(laris_kv_t *kv, int n, const int64_t *numbers,
                                  const char *const *jobs, laris_err_t *err);

/* Moves the oldest job of number_id's queue to its processing list (LMOVE) and copies it into
 * job (size bytes); *got false when the queue is empty. */
laris_rc laris_kv_sendq_take(laris_kv_t *kv, int64_t number_id, char *job, size_t size, bool *got,
                             laris_err_t *err);

/* Removes a finished job from number_id's processing list. */
laris_rc laris_kv_sendq_ack(laris_kv_t *kv, int64_t number_id, const char *job, laris_err_t *err);

/* Moves every job of number_id's processing list back to the front of its queue (jobs a
 * stopped worker had taken; the database refuses to send a message twice). */
laris_rc laris_kv_sendq_reclaim(laris_kv_t *kv, int64_t number_id, laris_err_t *err);

/* Up to max listed numbers into ids; *n gets how many. */
laris_rc laris_kv_sendq_numbers(laris_kv_t *kv, int64_t *ids, size_t max, size_t *n,
                                laris_err_t *err);

/* GCRA rate limiter of number_id allowing one send per interval_us (microseconds) with a
 * burst of burst: *wait_us 0 when a send may go now (and it is counted), else how long to wait
 * (not counted). A send up to slack_us later than its slot keeps the schedule (the next slot is
 * one interval after the missed one, not after now), so sleep overshoot and per-send work do not
 * add up into a lower rate; later than that, the schedule starts again from now. Atomic (one
 * Lua script on Redis' clock, in microseconds). */
laris_rc laris_kv_gcra(laris_kv_t *kv, int64_t number_id, int64_t interval_us, int burst,
                       int64_t slack_us, int64_t *wait_us, laris_err_t *err);

/* The pair limit (Meta: messages from one number to one user): GCRA of number_id and recipient
 * to, without slack; as laris_kv_gcra otherwise. */
laris_rc laris_kv_gcra_pair(laris_kv_t *kv, int64_t number_id, const char *to,
                            int64_t interval_us, int burst, int64_t *wait_us, laris_err_t *err);

/* The consumer lease of number_id (laris:{n:<id>}:lease, ttl_ms): *state 1 when owner held it
 * and renewed it, 2 when owner took it (nobody held it), 0 when another owner holds it. */
laris_rc laris_kv_lease(laris_kv_t *kv, int64_t number_id, const char *owner, int64_t ttl_ms,
                        int *state, laris_err_t *err);

/* Gives the lease of number_id up when owner holds it. */
laris_rc laris_kv_lease_release(laris_kv_t *kv, int64_t number_id, const char *owner,
                                laris_err_t *err);

/* Schedules job of number_id to go back to the front of its queue in delay_ms (Redis' clock). */
laris_rc laris_kv_retry_add(laris_kv_t *kv, int64_t number_id, const char *job, int64_t delay_ms,
                            laris_err_t *err);

/* Moves up to max due retries back to their queues; *moved gets how many. */
laris_rc laris_kv_retry_due(laris_kv_t *kv, int max, int *moved, laris_err_t *err);

/* The queues' epoch marker: set true sets it; else *present says whether Redis still has it
 * (absent: Redis lost what the relay pushed, and the outbox must be replayed). */
laris_rc laris_kv_sendq_epoch(laris_kv_t *kv, bool set, bool *present, laris_err_t *err);

#endif
