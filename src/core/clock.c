/* Wall and monotonic clocks; tests can pin the wall clock with laris_clock_set_now. */
#include "laris/clock.h"

#include <time.h>

static int64_t fixed_now; /* 0: use the real clock */

int64_t laris_clock_now(void)
{
    if (fixed_now != 0)
        return fixed_now;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t laris_clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + (int64_t)ts.tv_nsec;
}

void laris_clock_set_now(int64_t fixed)
{
    fixed_now = fixed;
}
