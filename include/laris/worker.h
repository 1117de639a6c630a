/* laris-worker: the outbox relay (PostgreSQL outbox -> each number's Redis send queue) and the
 * sender (queue -> rate limiter -> Cloud API -> result in PostgreSQL). */
#ifndef LARIS_WORKER_H
#define LARIS_WORKER_H

#include <stdbool.h>

#include "laris/config.h"
#include "laris/db.h"
#include "laris/kv.h"

typedef struct {
    laris_db_t *db; /* as laris_worker: the outbox_* / outbound_* functions only */
    laris_kv_t *kv;
    const laris_config_t *config;
    const char *graph_url;     /* LARIS_GRAPH_URL, e.g. https://graph.facebook.com */
    const char *graph_version; /* LARIS_GRAPH_VERSION, default v23.0 */
    volatile bool *stop;       /* set by a signal: finish the job in hand and return */
    long send_timeout_ms;      /* LARIS_GRAPH_TIMEOUT_MS: a send's whole request; 0 is 20000 */
    long pair_interval_ms;     /* LARIS_PAIR_INTERVAL_MS: one message per this to one user */
    int pair_burst;            /* LARIS_PAIR_BURST: ... after a burst of this many; 0: no limit */
} laris_worker_t;

/* Runs the relay and the sender until *w->stop (then finishes the requests in flight); returns
 * 0. Several laris-worker processes may run: each number is consumed by one of them at a time
 * (a lease in Redis), and its limits are counted in Redis for all of them. */
int laris_worker_run(laris_worker_t *w);

#endif
