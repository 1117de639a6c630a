/* laris-events: carries the live events that triggers write (sql/0013_live.sql) from
 * PostgreSQL to nchan, in order, each channel numbered 1, 2, 3… */
#ifndef LARIS_EVENTS_H
#define LARIS_EVENTS_H

#include <stdbool.h>

typedef struct {
    const char *database_url; /* the laris_worker role: it may only run live_take() */
    const char *nchan_socket; /* nginx's publisher Unix socket (no TCP port) */
    const char *redis_url;    /* where the tenants' inbox versions are (src/kv/inbox_cache.c) */
    volatile bool *stop;      /* set by SIGTERM: finish the batch in hand and return */
} laris_events_t;

/* LISTENs on laris_live and publishes until *stop: each batch is taken in one transaction, the
 * inbox versions of its tenants are moved on in Redis, and it is committed only after nchan
 * accepted every event of it (rolled back and retried otherwise).
 * Reconnects to PostgreSQL and nginx by itself. Returns 0. */
int laris_events_run(const laris_events_t *ev);

#endif
