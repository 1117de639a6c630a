/* laris-worker's background jobs (assignment of waiting chats, automatic replies, the SLA clock,
 * snooze wake-ups) and its media downloads, each loop in a process of its own so neither holds
 * up the paced sender nor the other (a download blocks for as long as it takes). */
#include <time.h>

#include "laris/log.h"
#include "laris/worker.h"

#define IDLE_WAIT_MS 50

/* Sleeps IDLE_WAIT_MS; a signal ends it early. */
static void idle_wait(void)
{
    struct timespec ts = {0, (long)IDLE_WAIT_MS * 1000000L};
    nanosleep(&ts, NULL);
}

int laris_worker_run_jobs(laris_worker_t *w)
{
    laris_arena_t *a = laris_arena_create((size_t)64 * 1024);
    while (!*w->stop) {
        laris_arena_reset(a);
        laris_err_t err;
        laris_err_init(&err, a);
        bool worked = laris_assign_run(w, a);
        worked = laris_autoreply_run(w, a) || worked;
        worked = laris_sla_run(w, a) || worked;
        int woken = 0;
        if (laris_worker_wake_snoozed(w, a, &woken, &err) != LARIS_OK)
            laris_log(LARIS_WARN, "snooze wake-up: %s", err.detail ? err.detail : "failed");
        if (!worked)
            idle_wait();
    }
    laris_arena_destroy(a);
    return 0;
}

int laris_worker_run_media(laris_worker_t *w)
{
    laris_arena_t *a = laris_arena_create((size_t)64 * 1024);
    while (!*w->stop) {
        laris_arena_reset(a);
        if (laris_media_fetch_round(w, a) == 0)
            idle_wait();
    }
    laris_arena_destroy(a);
    return 0;
}
