/* Redis access for one process: a lazily opened connection and the few atomic operations the
 * domain needs (counters with a window), done by Lua scripts called by SHA. */
#ifndef LARIS_KV_H
#define LARIS_KV_H

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

#endif
