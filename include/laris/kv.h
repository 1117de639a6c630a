/* Redis access for one process: a lazily opened connection and the few atomic operations the
 * domain needs (counters with a window), done by Lua scripts called by SHA. */
#ifndef LARIS_KV_H
#define LARIS_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "laris/buf.h"
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
 * acknowledged), laris:{n:<id>}:lease (its consumer), laris:{n:<id>}:gcra and
 * laris:{n:<id>}:pair:<wa_id> (the rate limiters); the set laris:sendq:numbers lists the
 * numbers that ever had a job. Jobs are short strings ("<tenant>:<message>[:<attempt>]"). */

/* Appends jobs[i] to the send queue of numbers[i] (n at most 128, one round trip) and lists
 * the numbers. */
laris_rc laris_kv_sendq_push_many(laris_kv_t *kv, int n, const int64_t *numbers,
                                  const char *const *jobs, laris_err_t *err);

#define LARIS_KV_JOB_MAX 64

/* Moves up to max of the oldest jobs of number_id's queue to its processing list (LMOVE, one
 * round trip) and copies them into jobs; *got says how many (0: the queue is empty). */
laris_rc laris_kv_sendq_take(laris_kv_t *kv, int64_t number_id, int max,
                             char (*jobs)[LARIS_KV_JOB_MAX], int *got, laris_err_t *err);

/* Removes a finished job from number_id's processing list. */
laris_rc laris_kv_sendq_ack(laris_kv_t *kv, int64_t number_id, const char *job, laris_err_t *err);

/* laris_kv_sendq_ack of n jobs (at most 128) in one round trip: jobs[i] of numbers[i]. */
laris_rc laris_kv_sendq_ack_many(laris_kv_t *kv, int n, const int64_t *numbers,
                                 const char *const *jobs, laris_err_t *err);

/* Moves every job of number_id's processing list back to the front of its queue (jobs a
 * stopped worker had taken; the database refuses to send a message twice). */
laris_rc laris_kv_sendq_reclaim(laris_kv_t *kv, int64_t number_id, laris_err_t *err);

/* Up to max listed numbers into ids; *n gets how many. */
laris_rc laris_kv_sendq_numbers(laris_kv_t *kv, int64_t *ids, size_t max, size_t *n,
                                laris_err_t *err);

/* A send's place under the limits of its number (GCRA, one send per interval_us; a send up to
 * slack_us late keeps the schedule, so sleep overshoot and per-send work do not add up into a
 * lower rate) and of its recipient to (Meta's pair limit: one per pair_interval_us after a
 * burst of pair_burst; to NULL or pair_burst 0: none). */
typedef struct {
    int64_t number_id;
    int64_t interval_us;
    int64_t slack_us;
    const char *to;
    int64_t pair_interval_us;
    int pair_burst;
} laris_kv_slot_t;

/* Reserves the next slot of s (atomic, one Lua script on Redis' clock): *wait_us is how long
 * until it; the send must not go earlier. When the recipient is over its pair limit nothing is
 * reserved, *pair_limited is set and *wait_us says when to try again. */
laris_rc laris_kv_send_slot(laris_kv_t *kv, const laris_kv_slot_t *s, bool *pair_limited,
                            int64_t *wait_us, laris_err_t *err);

/* The consumer leases of n numbers (laris:{n:<id>}:lease, ttl_ms; n at most 250) in one round
 * trip: states[i] 1 when owner held the lease of numbers[i] and renewed it, 2 when owner took
 * it (nobody held it), 0 when another owner holds it. */
laris_rc laris_kv_leases(laris_kv_t *kv, const char *owner, int64_t ttl_ms, int n,
                         const int64_t *numbers, int *states, laris_err_t *err);

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

/* ---- distribution (assign.c) ----
 * Per tenant the round-robin state of its agents, rebuilt from PostgreSQL (dist_agents) and
 * changed only by one Lua script, so every assigner process sees one order. */

typedef struct {
    int64_t user_id;
    int64_t max_chats;
    int64_t load;   /* open chats the agent owns */
    bool available; /* online: may be picked */
} laris_kv_agent_t;

/* Replaces tenant_id's state with agents (n, in round-robin order: least recently assigned
 * first) built from PostgreSQL at version; does nothing when the state is at version already
 * (another process built it). */
laris_rc laris_kv_assign_load(laris_kv_t *kv, int64_t tenant_id, int64_t version,
                              const laris_kv_agent_t *agents, size_t n, laris_err_t *err);

/* The agent for conversation_id: the available agent least recently assigned with load under
 * capacity (counted and moved to the back), or the agent it was picked for before (not counted
 * again). *agent_id 0: nobody is available; -1: the state is missing or not at version (load
 * it, then pick again). */
laris_rc laris_kv_assign_pick(laris_kv_t *kv, int64_t tenant_id, int64_t version,
                              int64_t conversation_id, int64_t *agent_id, laris_err_t *err);

/* Undoes a pick of conversation_id for agent_id that PostgreSQL refused. */
laris_rc laris_kv_assign_release(laris_kv_t *kv, int64_t tenant_id, int64_t agent_id,
                                 int64_t conversation_id, laris_err_t *err);

/* ---- the inbox cache (inbox_cache.c) ----
 * Per tenant a version, bumped after every change its inbox shows, and items (rendered list
 * pages, sessions vouched for) stored with the version they were made at; an item counts only
 * at the current version. */

/* Moves the inbox version of each of tenant_ids (n of them) on by one, starting it when
 * absent; versions (n, may be NULL) get the new values. One round trip. */
laris_rc laris_kv_inbox_bump(laris_kv_t *kv, size_t n, const int64_t *tenant_ids, int64_t *versions,
                             laris_err_t *err);

/* The most items laris_kv_inbox_get reads at once. */
#define LARIS_KV_INBOX_ITEMS_MAX 4

/* Reads tenant_id's inbox version and n items (names of at most 120 chars, e.g. "p:<id>"; any
 * past LARIS_KV_INBOX_ITEMS_MAX count as misses) in one round trip. hits[i]: item i is stored
 * at that version; its value is then appended to values[i]. *version gets the current version
 * either way (started when absent), which is the one to store an item made from what the database
 * holds now with. */
laris_rc laris_kv_inbox_get(laris_kv_t *kv, int64_t tenant_id, size_t n, const char *const *items,
                            int64_t *version, laris_buf_t *values, bool *hits, laris_err_t *err);

/* Stores body (len bytes of text without NUL) as tenant_id's item made at version, for
 * ttl_seconds. */
laris_rc laris_kv_inbox_put(laris_kv_t *kv, int64_t tenant_id, const char *item, int64_t version,
                            const char *body, size_t len, int ttl_seconds, laris_err_t *err);

#endif
