/* Helpers shared by the business-hours, auto-reply and SLA integration tests: opening windows
 * placed relative to the real current time (no test clock: the stack runs production code). */
#ifndef ITEST_HOURS_UTIL_H
#define ITEST_HOURS_UTIL_H

#include <jansson.h>
#include <stdio.h>
#include <time.h>

/* A window {day, start, end} in a zone offset_hours from UTC, from before_min minutes before
 * now to after_min minutes after it (crossing midnight when it must; 2 h at most). */
static inline json_t *itest_window_around(int offset_hours, int before_min, int after_min)
{
    long long local = (long long)time(NULL) + offset_hours * 3600LL;
    long long start = local - before_min * 60LL, end = local + after_min * 60LL;
    long long start_day = start / 86400;
    int start_min = (int)((start % 86400) / 60), end_min = (int)((end % 86400) / 60);
    if (end_min == 0)
        end_min = 1440;
    char s[8], e[8];
    snprintf(s, sizeof(s), "%02d:%02d", start_min / 60, start_min % 60);
    snprintf(e, sizeof(e), "%02d:%02d", end_min / 60, end_min % 60);
    return json_pack("{s:i,s:s,s:s}", "day", (int)((start_day + 4) % 7), "start", s, "end", e);
}

#endif
