/* Time sources: wall clock and a monotonic clock, replaceable in tests. */
#ifndef LARIS_CLOCK_H
#define LARIS_CLOCK_H

#include <stdint.h>

/* Seconds since the epoch, UTC (overridable for tests with laris_clock_set_now). */
int64_t laris_clock_now(void);

/* Nanoseconds from a monotonic clock, for durations. */
int64_t laris_clock_mono_ns(void);

/* Tests: make laris_clock_now return fixed; 0 goes back to the real clock. */
void laris_clock_set_now(int64_t fixed);

#endif
