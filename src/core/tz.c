/* Time zone offsets from the system tz database (/usr/share/zoneinfo) through glibc.
 *
 * Why TZ and not a tz file reader of our own: Debian's tzdata ships "slim" TZif files whose
 * future rules (DST) live only in a POSIX TZ footer, so a correct reader needs the TZif parser
 * and a POSIX TZ rule evaluator, both already in glibc. The price is that glibc reads the zone
 * from the TZ variable, which is process-wide: laris-api's workers and laris-worker are
 * single-threaded processes (prefork), so we set TZ to ":<zone>" and call tzset() only when the
 * zone differs from the last one asked for (glibc re-reads the file on a change), then use
 * localtime_r's tm_gmtoff. Nothing in Laris uses local time otherwise (logs use gmtime_r), so
 * the TZ left behind affects no other output. Not for use from threads. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "laris/hours.h"

#define ZONE_MAX 64

static char current[ZONE_MAX + 2];

bool laris_tz_valid(const char *zone)
{
    size_t n = zone ? strlen(zone) : 0;
    if (n == 0 || n > ZONE_MAX || zone[0] == '/' || strstr(zone, ".."))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = zone[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+'))
            return false;
    }
    char path[ZONE_MAX + 32];
    memcpy(path, "/usr/share/zoneinfo/", 20);
    memcpy(path + 20, zone, n + 1);
    return access(path, R_OK) == 0;
}

bool laris_tz_offset(const char *zone, int64_t t, int32_t *offset)
{
    if (!zone || !*zone)
        return false;
    if (strcmp(current + 1, zone) != 0) {
        if (!laris_tz_valid(zone))
            return false;
        current[0] = ':';
        memcpy(current + 1, zone, strlen(zone) + 1);
        setenv("TZ", current, 1);
        tzset();
    }
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return false;
    *offset = (int32_t)tm.tm_gmtoff;
    return true;
}
