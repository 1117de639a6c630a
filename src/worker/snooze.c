/* laris-worker's snooze wake-up: at most every 5 seconds (one query, so the senders' pacing is
 * hardly touched), snoozed conversations whose snoozed_until has passed are reopened (status
 * open) through conversations_wake_snoozed(), the one function laris_worker may call for it. */
#include <time.h>

#include "laris/log.h"
#include "laris/worker.h"

#define WAKE_BATCH       500
#define WAKE_INTERVAL_NS 5000000000LL

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

laris_rc laris_worker_wake_snoozed(laris_worker_t *w, laris_arena_t *a, int *woken,
                                   laris_err_t *err)
{
    static int64_t last_ns;
    *woken = 0;
    int64_t now = now_ns();
    if (last_ns && now - last_ns < WAKE_INTERVAL_NS)
        return LARIS_OK;
    last_ns = now;
    laris_db_set_tenant(w->db, 0);
    const char *params[1] = {laris_arena_printf(a, "%d", WAKE_BATCH)};
    PGresult *res;
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_WORKER_WAKE_SNOOZED, 1, params, &res, err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, err);
    if (rc == LARIS_OK && finish == LARIS_OK) {
        *woken = PQntuples(res);
        if (*woken > 0)
            laris_log(LARIS_INFO, "woke %d snoozed conversations", *woken);
    }
    return rc != LARIS_OK ? rc : finish;
}
