/* laris-worker: the outbox relay (PostgreSQL outbox -> each number's Redis send queue) and the
 * sender (queue -> rate limiter -> Cloud API -> result in PostgreSQL). */
#ifndef LARIS_WORKER_H
#define LARIS_WORKER_H

#include <stdbool.h>

#include "laris/arena.h"
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

/* The background jobs until *w->stop (jobs.c): assignment, auto-replies, SLA, snooze wake-ups.
 * laris-worker runs them in a child process with connections of its own; returns 0. */
int laris_worker_run_jobs(laris_worker_t *w);

/* Inbound media downloads until *w->stop (jobs.c), in a second child process; returns 0. */
int laris_worker_run_media(laris_worker_t *w);

/* The assigner (assign.c): one round of giving waiting chats of round-robin tenants to agents,
 * and (at most once a second) of sending offline agents' chats back to waiting. Returns true
 * when it changed anything. a is the loop's arena (reset by the caller). */
bool laris_assign_run(laris_worker_t *w, laris_arena_t *a);

/* One round of the inbound media fetch (media_fetch.c): claims a few due media rows, fetches
 * them from Graph into w->config->media_dir and records each outcome. Returns how many it
 * claimed. a is the caller's per-round arena. */
int laris_media_fetch_round(laris_worker_t *w, laris_arena_t *a);

/* Reopens snoozed conversations whose time has passed (snooze.c), at most every 5 s however
 * often it is called; *woken gets how many. */
laris_rc laris_worker_wake_snoozed(laris_worker_t *w, laris_arena_t *a, int *woken,
                                   laris_err_t *err);

/* The auto-replier (autoreply.c): one batch of new customer messages (greeting, away and
 * keyword replies; each new chat's first-response due time). Returns true when it took any. */
bool laris_autoreply_run(laris_worker_t *w, laris_arena_t *a);

/* The SLA clock (sla.c): at most once a second, records warnings and breaches (escalating when
 * the tenant asks) and business-second times. Returns true when it recorded anything. */
bool laris_sla_run(laris_worker_t *w, laris_arena_t *a);

#endif
