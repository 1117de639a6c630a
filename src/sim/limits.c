/* laris-sim: the throughput limit of a number, the pair rate limit and the service window. */
#include "laris/sim.h"

#define WINDOW_MS ((int64_t)24 * 3600 * 1000)

bool laris_sim_rate_take(laris_sim_rate_t *r, int64_t now_ms, int limit)
{
    if (limit <= 0)
        return true;
    if (now_ms - r->window_start_ms >= 1000 || now_ms < r->window_start_ms) {
        r->window_start_ms = now_ms;
        r->count = 0;
    }
    if (r->count >= limit)
        return false;
    r->count++;
    return true;
}

bool laris_sim_bucket_take(laris_sim_bucket_t *b, int64_t now_ms, int burst, int64_t interval_ms)
{
    if (burst <= 0)
        return true;
    if (!b->started) {
        b->started = true;
        b->tokens = burst;
        b->last_ms = now_ms;
    }
    if (now_ms > b->last_ms && interval_ms > 0) {
        b->tokens += (double)(now_ms - b->last_ms) / (double)interval_ms;
        if (b->tokens > burst)
            b->tokens = burst;
    }
    b->last_ms = now_ms;
    if (b->tokens < 1.0)
        return false;
    b->tokens -= 1.0;
    return true;
}

bool laris_sim_window_open(int64_t last_inbound_ms, int64_t now_ms)
{
    return last_inbound_ms > 0 && now_ms >= last_inbound_ms && now_ms - last_inbound_ms < WINDOW_MS;
}
