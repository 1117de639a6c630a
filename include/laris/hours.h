/* Business hours: weekly opening windows and closed dates in a tenant's IANA time zone, and the
 * questions SLA and auto-replies ask of them (open at t, next change, business seconds, due). */
#ifndef LARIS_HOURS_H
#define LARIS_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define LARIS_HOURS_MAX_WINDOWS 70 /* ten per weekday */
#define LARIS_HOURS_MAX_CLOSED  400

/* One opening window, in local wall time. day: 0 Sunday … 6 Saturday (the day it starts);
 * start and end are minutes after local midnight, 0 ≤ start < 1440, 0 < end ≤ 1440. end < start
 * crosses midnight (22:00–02:00 is start 1320, end 120 and runs into the next day). */
typedef struct {
    int day;
    int start;
    int end;
} laris_hours_window_t;

/* A local civil date as days since 1970-01-01 (negative before). */
typedef int32_t laris_date_t;

/* A tenant's schedule. zone is an IANA name (Asia/Jakarta). A window that starts on a closed
 * date is closed all through, including its part after midnight. The caller owns the arrays. */
typedef struct {
    const char *zone;
    const laris_hours_window_t *windows;
    size_t nwindows;
    const laris_date_t *closed;
    size_t nclosed;
} laris_hours_t;

/* The UTC offset in seconds of zone at instant t (seconds since the epoch), from the system tz
 * database (tz.c). Returns false for a zone the database does not know. Single-threaded
 * processes only: it selects the zone through TZ (see tz.c). */
bool laris_tz_offset(const char *zone, int64_t t, int32_t *offset);

/* True when zone names a zone of the system tz database. */
bool laris_tz_valid(const char *zone);

/* Days since 1970-01-01 of year-month-day; and back. */
laris_date_t laris_date_from_civil(int year, int month, int day);
void laris_date_to_civil(laris_date_t date, int *year, int *month, int *day);

/* Parses "YYYY-MM-DD" (a real date) into *date; false otherwise. */
bool laris_date_parse(const char *text, laris_date_t *date);

/* Parses "HH:MM" (00:00–24:00) into minutes after midnight; false otherwise. */
bool laris_hours_parse_time(const char *text, int *minutes);

/* NULL when the windows are valid: days and minutes in range, end ≠ start, no two windows
 * overlapping in the week (a window crossing midnight included). Otherwise a sentence saying
 * what is wrong (static text). */
const char *laris_hours_check(const laris_hours_window_t *windows, size_t n);

/* True when the schedule is open at t. */
bool laris_hours_open(const laris_hours_t *h, int64_t t);

/* The next instant after t at which the schedule opens (when closed at t) or closes (when open
 * at t; touching windows count as one). False when none comes within about a year. */
bool laris_hours_next_change(const laris_hours_t *h, int64_t t, int64_t *next);

/* Seconds in [t1, t2) during which the schedule is open (0 when t2 ≤ t1). Counted over at most
 * 400 days after t1. */
int64_t laris_hours_between(const laris_hours_t *h, int64_t t1, int64_t t2);

/* The instant at which `seconds` open seconds have passed after t (t itself when seconds is 0
 * and the schedule is open; otherwise time stops while closed). False when the schedule does not
 * offer that much within about two years. */
bool laris_hours_add(const laris_hours_t *h, int64_t t, int64_t seconds, int64_t *due);

/* The first-response due time of a chat whose customer first wrote at t. h NULL: no business
 * hours (always open), due = t + in_hours. Open at t: in_hours seconds of open time (the clock
 * stops while closed). Closed at t: out_of_hours wall-clock seconds when the tenant set that
 * target (out_of_hours > 0), else in_hours of open time from the next opening. False when the
 * schedule never opens. */
bool laris_hours_sla_due(const laris_hours_t *h, int64_t t, int64_t in_hours, int64_t out_of_hours,
                         int64_t *due);

/* Names the open or closed period around t, for "once per period" auto-replies: "always" (h
 * NULL), "open:<end>" or "closed:<end>" with the epoch second the period ends ("…:never" when
 * it does not end within the horizon). Writes at most size bytes into out. */
void laris_hours_period(const laris_hours_t *h, int64_t t, char *out, size_t size);

/* ---- JSON form (hours_json.c) ---- */

/* Room for one schedule read from JSON. */
typedef struct {
    laris_hours_window_t windows[LARIS_HOURS_MAX_WINDOWS];
    laris_date_t closed[LARIS_HOURS_MAX_CLOSED];
    laris_hours_t hours;
} laris_hours_buf_t;

/* Reads windows ([{day, start: "HH:MM", end: "HH:MM"}], as the settings API and the database
 * hold them) and closed (["YYYY-MM-DD"], may be NULL) into buf->hours for zone (not copied).
 * NULL when valid, else a sentence saying what is wrong (static text). */
const char *laris_hours_from_json(const json_t *windows, const json_t *closed, const char *zone,
                                  laris_hours_buf_t *buf);

#endif
