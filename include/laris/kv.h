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

/* Appends job to number_id's send queue and lists the number. */
laris_rc laris_kv_sendq_push(laris_kv_t *kv, int64_t number_id, const char *job, laris_err_t *err);

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

#endif
