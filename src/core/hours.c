/* Business hours: turns a weekly schedule in local wall time into UTC intervals day by day and
 * answers open/next change/business seconds/due time from them.
 *
 * Each local date yields the intervals of the windows that start on it (none on a closed date),
 * converted to UTC with the zone's offset at that moment, so a DST change in the middle of a
 * window is honoured. Windows never overlap (laris_hours_check), so the intervals of successive
 * days come in order and nothing is counted twice. In a DST gap a local time that does not exist
 * is taken at the offset after the change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "laris/hours.h"

#define DAY          86400
#define WEEK_MINUTES (7 * 1440)
#define HORIZON_DAYS 800 /* how far ahead next/add look */
#define BETWEEN_DAYS 400

typedef struct {
    int64_t start, end;
} span_t;

laris_date_t laris_date_from_civil(int year, int month, int day)
{
    /* Howard Hinnant's days_from_civil. */
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (laris_date_t)(era * 146097 + doe - 719468);
}

void laris_date_to_civil(laris_date_t date, int *year, int *month, int *day)
{
    int z = date + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (*month <= 2);
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool laris_date_parse(const char *text, laris_date_t *date)
{
    int y, m, d;
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 4, &y) ||
        !digits(text + 5, 2, &m) || !digits(text + 8, 2, &d))
        return false;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    laris_date_t v = laris_date_from_civil(y, m, d);
    int y2, m2, d2;
    laris_date_to_civil(v, &y2, &m2, &d2);
    if (m2 != m || d2 != d) /* 2026-02-30 */
        return false;
    *date = v;
    return true;
}

bool laris_hours_parse_time(const char *text, int *minutes)
{
    int h, m;
    if (!text || strlen(text) != 5 || text[2] != ':' || !digits(text, 2, &h) ||
        !digits(text + 3, 2, &m) || m > 59 || h > 24 || (h == 24 && m != 0))
        return false;
    *minutes = h * 60 + m;
    return true;
}

const char *laris_hours_check(const laris_hours_window_t *w, size_t n)
{
    if (n > LARIS_HOURS_MAX_WINDOWS)
        return "There are too many opening windows (at most 70).";
    for (size_t i = 0; i < n; i++) {
        if (w[i].day < 0 || w[i].day > 6)
            return "A window's day must be 0 (Sunday) to 6 (Saturday).";
        if (w[i].start < 0 || w[i].start >= 1440 || w[i].end <= 0 || w[i].end > 1440)
            return "A window's times must be between 00:00 and 24:00.";
        if (w[i].start == w[i].end)
            return "A window must not start and end at the same time.";
    }
    /* Minutes of the week, a crossing window reaching into the next day (Saturday into
     * Sunday wraps). Two windows overlap when either one's start lies inside the other. */
    for (size_t i = 0; i < n; i++) {
        int s1 = w[i].day * 1440 + w[i].start;
        int l1 = (w[i].end > w[i].start ? w[i].end : w[i].end + 1440) - w[i].start;
        for (size_t j = i + 1; j < n; j++) {
            int s2 = w[j].day * 1440 + w[j].start;
            int l2 = (w[j].end > w[j].start ? w[j].end : w[j].end + 1440) - w[j].start;
            int d21 = ((s2 - s1) % WEEK_MINUTES + WEEK_MINUTES) % WEEK_MINUTES;
            int d12 = ((s1 - s2) % WEEK_MINUTES + WEEK_MINUTES) % WEEK_MINUTES;
            if (d21 < l1 || d12 < l2)
                return "Two opening windows overlap.";
        }
    }
    return NULL;
}

/* Seconds since the epoch of a local wall time (seconds since 1970-01-01 00:00 local). */
static int64_t local_to_utc(const char *zone, int64_t local)
{
    int32_t off = 0;
    laris_tz_offset(zone, local, &off);
    int32_t off2 = off;
    laris_tz_offset(zone, local - off, &off2);
    return local - off2;
}

static laris_date_t local_date(const char *zone, int64_t t)
{
    int32_t off = 0;
    laris_tz_offset(zone, t, &off);
    int64_t local = t + off;
    return (laris_date_t)((local >= 0 ? local : local - (DAY - 1)) / DAY);
}

static bool closed_on(const laris_hours_t *h, laris_date_t d)
{
    for (size_t i = 0; i < h->nclosed; i++)
        if (h->closed[i] == d)
            return true;
    return false;
}

static int span_order(const void *a, const void *b)
{
    const span_t *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The UTC intervals of the windows starting on local date d, in order; returns how many. */
static size_t day_spans(const laris_hours_t *h, laris_date_t d, span_t *out)
{
    if (closed_on(h, d))
        return 0;
    int weekday = (int)(((int64_t)d % 7 + 11) % 7); /* 1970-01-01 was a Thursday (4) */
    size_t n = 0;
    for (size_t i = 0; i < h->nwindows && n < LARIS_HOURS_MAX_WINDOWS; i++) {
        const laris_hours_window_t *w = &h->windows[i];
        if (w->day != weekday)
            continue;
        int64_t base = (int64_t)d * DAY;
        int64_t end = base + (int64_t)w->end * 60 + (w->end > w->start ? 0 : DAY);
        out[n].start = local_to_utc(h->zone, base + (int64_t)w->start * 60);
        out[n].end = local_to_utc(h->zone, end);
        if (out[n].end > out[n].start)
            n++;
    }
    qsort(out, n, sizeof(*out), span_order);
    return n;
}

bool laris_hours_open(const laris_hours_t *h, int64_t t)
{
    span_t s[LARIS_HOURS_MAX_WINDOWS];
    laris_date_t today = local_date(h->zone, t);
    for (laris_date_t d = today - 1; d <= today; d++) {
        size_t n = day_spans(h, d, s);
        for (size_t i = 0; i < n; i++)
            if (s[i].start <= t && t < s[i].end)
                return true;
    }
    return false;
}

bool laris_hours_next_change(const laris_hours_t *h, int64_t t, int64_t *next)
{
    span_t s[LARIS_HOURS_MAX_WINDOWS];
    bool open = laris_hours_open(h, t);
    laris_date_t today = local_date(h->zone, t);
    int64_t at = t; /* open: the close found so far, moved on through touching windows */
    for (laris_date_t d = today - 1; d <= today + HORIZON_DAYS; d++) {
        size_t n = day_spans(h, d, s);
        for (size_t i = 0; i < n; i++) {
            if (!open && s[i].start > t) {
                *next = s[i].start;
                return true;
            }
            if (open && s[i].start <= at && at < s[i].end)
                at = s[i].end;
            else if (open && s[i].start > at) {
                *next = at;
                return true;
            }
        }
    }
    return false;
}

int64_t laris_hours_between(const laris_hours_t *h, int64_t t1, int64_t t2)
{
    if (t2 <= t1)
        return 0;
    span_t s[LARIS_HOURS_MAX_WINDOWS];
    int64_t total = 0;
    laris_date_t first = local_date(h->zone, t1) - 1;
    laris_date_t last = local_date(h->zone, t2);
    if (last > first + BETWEEN_DAYS)
        last = first + BETWEEN_DAYS;
    for (laris_date_t d = first; d <= last; d++) {
        size_t n = day_spans(h, d, s);
        for (size_t i = 0; i < n; i++) {
            int64_t a = s[i].start > t1 ? s[i].start : t1;
            int64_t b = s[i].end < t2 ? s[i].end : t2;
            if (b > a)
                total += b - a;
        }
    }
    return total;
}

bool laris_hours_add(const laris_hours_t *h, int64_t t, int64_t seconds, int64_t *due)
{
    span_t s[LARIS_HOURS_MAX_WINDOWS];
    laris_date_t today = local_date(h->zone, t);
    int64_t left = seconds < 0 ? 0 : seconds;
    for (laris_date_t d = today - 1; d <= today + HORIZON_DAYS; d++) {
        size_t n = day_spans(h, d, s);
        for (size_t i = 0; i < n; i++) {
            int64_t from = s[i].start > t ? s[i].start : t;
            if (from >= s[i].end)
                continue;
            if (left <= s[i].end - from) {
                *due = from + left;
                return true;
            }
            left -= s[i].end - from;
        }
    }
    return false;
}

bool laris_hours_sla_due(const laris_hours_t *h, int64_t t, int64_t in_hours, int64_t out_of_hours,
                         int64_t *due)
{
    if (!h) {
        *due = t + in_hours;
        return true;
    }
    if (!laris_hours_open(h, t) && out_of_hours > 0) {
        *due = t + out_of_hours;
        return true;
    }
    return laris_hours_add(h, t, in_hours, due);
}

void laris_hours_period(const laris_hours_t *h, int64_t t, char *out, size_t size)
{
    if (!h) {
        snprintf(out, size, "always");
        return;
    }
    const char *state = laris_hours_open(h, t) ? "open" : "closed";
    int64_t end;
    if (laris_hours_next_change(h, t, &end))
        snprintf(out, size, "%s:%lld", state, (long long)end);
    else
        snprintf(out, size, "%s:never", state);
}
