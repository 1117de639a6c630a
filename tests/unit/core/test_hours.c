/* Unit tests for src/core/hours.c and tz.c: windows across midnight, Friday prayer breaks,
 * closed dates, Jakarta (UTC+7) against Makassar (UTC+8), a DST zone, business seconds, due. */
#include <criterion/criterion.h>
#include <string.h>

#include "laris/hours.h"

/* Seconds since the epoch of a UTC date and time. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
    return (int64_t)laris_date_from_civil(y, mo, d) * 86400 + h * 3600LL + mi * 60LL;
}

/* Mon–Thu 08:00–12:00 and 13:00–17:00; Friday 08:00–11:30 and 13:30–17:00. 2026-11-23 is a
 * Monday, 2026-11-27 a Friday. */
static const laris_hours_window_t office[] = {
    {1, 480, 720},  {1, 780, 1020}, {2, 480, 720},  {2, 780, 1020}, {3, 480, 720},
    {3, 780, 1020}, {4, 480, 720},  {4, 780, 1020}, {5, 480, 690},  {5, 810, 1020},
};

static laris_hours_t in_zone(const char *zone, const laris_hours_window_t *w, size_t n)
{
    laris_hours_t h = {zone, w, n, NULL, 0};
    return h;
}

Test(hours, civil_dates_round_trip)
{
    cr_assert_eq(laris_date_from_civil(1970, 1, 1), 0);
    cr_assert_eq(laris_date_from_civil(2000, 3, 1), 11017);
    int y, m, d;
    laris_date_to_civil(laris_date_from_civil(2028, 2, 29), &y, &m, &d);
    cr_assert(y == 2028 && m == 2 && d == 29);
    laris_date_t v;
    cr_assert(laris_date_parse("2026-12-25", &v));
    cr_assert_eq(v, laris_date_from_civil(2026, 12, 25));
    cr_assert_not(laris_date_parse("2026-02-30", &v));
    cr_assert_not(laris_date_parse("2026-2-3", &v));
    cr_assert_not(laris_date_parse("2026-12-25x", &v));
    int min;
    cr_assert(laris_hours_parse_time("24:00", &min) && min == 1440);
    cr_assert(laris_hours_parse_time("08:30", &min) && min == 510);
    cr_assert_not(laris_hours_parse_time("24:01", &min));
    cr_assert_not(laris_hours_parse_time("8:30", &min));
    cr_assert_not(laris_hours_parse_time("08:60", &min));
}

Test(hours, zones_from_the_tz_database)
{
    int32_t off;
    cr_assert(laris_tz_offset("Asia/Jakarta", utc(2026, 11, 23, 0, 0), &off) && off == 7 * 3600);
    cr_assert(laris_tz_offset("Asia/Makassar", utc(2026, 11, 23, 0, 0), &off) && off == 8 * 3600);
    cr_assert(laris_tz_offset("Asia/Jayapura", utc(2026, 11, 23, 0, 0), &off) && off == 9 * 3600);
    cr_assert(laris_tz_offset("America/New_York", utc(2026, 7, 1, 0, 0), &off) && off == -4 * 3600);
    cr_assert(laris_tz_offset("America/New_York", utc(2026, 12, 1, 0, 0), &off) &&
              off == -5 * 3600);
    /* Far beyond the last transition of a slim file: the footer's rule still applies. */
    cr_assert(laris_tz_offset("America/New_York", utc(2045, 7, 1, 0, 0), &off) && off == -4 * 3600);
    cr_assert_not(laris_tz_offset("Mars/Olympus", 0, &off));
    cr_assert_not(laris_tz_offset("../etc/passwd", 0, &off));
    cr_assert_not(laris_tz_valid("/etc/localtime"));
    cr_assert(laris_tz_valid("Asia/Makassar"));
}

Test(hours, lunch_and_friday_prayer)
{
    laris_hours_t h = in_zone("Asia/Jakarta", office, 10);
    /* Monday 2026-11-23, Jakarta = UTC+7. */
    cr_assert_not(laris_hours_open(&h, utc(2026, 11, 23, 0, 59))); /* 07:59 */
    cr_assert(laris_hours_open(&h, utc(2026, 11, 23, 1, 0)));      /* 08:00 */
    cr_assert(laris_hours_open(&h, utc(2026, 11, 23, 4, 59)));     /* 11:59 */
    cr_assert_not(laris_hours_open(&h, utc(2026, 11, 23, 5, 0)));  /* 12:00 lunch */
    cr_assert(laris_hours_open(&h, utc(2026, 11, 23, 6, 0)));      /* 13:00 */
    /* Friday 2026-11-27: 11:45 is prayer time, 13:15 too, 13:30 open. */
    cr_assert_not(laris_hours_open(&h, utc(2026, 11, 27, 4, 45)));
    cr_assert_not(laris_hours_open(&h, utc(2026, 11, 27, 6, 15)));
    cr_assert(laris_hours_open(&h, utc(2026, 11, 27, 6, 30)));
    int64_t next;
    cr_assert(laris_hours_next_change(&h, utc(2026, 11, 27, 4, 45), &next));
    cr_assert_eq(next, utc(2026, 11, 27, 6, 30));
    /* Friday 17:00 → Monday 08:00. */
    cr_assert(laris_hours_next_change(&h, utc(2026, 11, 27, 10, 0), &next));
    cr_assert_eq(next, utc(2026, 11, 30, 1, 0));
    cr_assert(laris_hours_next_change(&h, utc(2026, 11, 23, 2, 0), &next));
    cr_assert_eq(next, utc(2026, 11, 23, 5, 0));
}

Test(hours, jakarta_and_makassar_differ_by_an_hour)
{
    laris_hours_t jkt = in_zone("Asia/Jakarta", office, 10);
    laris_hours_t mks = in_zone("Asia/Makassar", office, 10);
    int64_t t = utc(2026, 11, 23, 0, 30); /* 07:30 in Jakarta, 08:30 in Makassar */
    cr_assert_not(laris_hours_open(&jkt, t));
    cr_assert(laris_hours_open(&mks, t));
    int64_t next;
    cr_assert(laris_hours_next_change(&mks, t, &next));
    cr_assert_eq(next, utc(2026, 11, 23, 4, 0)); /* 12:00 WITA */
    cr_assert(laris_hours_next_change(&jkt, t, &next));
    cr_assert_eq(next, utc(2026, 11, 23, 1, 0)); /* 08:00 WIB */
}

Test(hours, window_across_midnight)
{
    /* Every day 22:00–02:00 (a night shop). */
    laris_hours_window_t night[7];
    for (int d = 0; d < 7; d++)
        night[d] = (laris_hours_window_t){d, 1320, 120};
    cr_assert_null(laris_hours_check(night, 7));
    laris_hours_t h = in_zone("Asia/Makassar", night, 7);
    /* Tuesday 2026-11-24 01:30 WITA = Monday 17:30 UTC: open by Monday's window. */
    cr_assert(laris_hours_open(&h, utc(2026, 11, 23, 17, 30)));
    cr_assert_not(laris_hours_open(&h, utc(2026, 11, 23, 18, 0))); /* 02:00 */
    cr_assert(laris_hours_open(&h, utc(2026, 11, 23, 14, 0)));     /* 22:00 */
    cr_assert_not(laris_hours_open(&h, utc(2026, 11, 23, 13, 59)));
    int64_t next;
    cr_assert(laris_hours_next_change(&h, utc(2026, 11, 23, 15, 0), &next));
    cr_assert_eq(next, utc(2026, 11, 23, 18, 0));
    /* Four open hours a night: a whole day holds 4 h. */
    cr_assert_eq(laris_hours_between(&h, utc(2026, 11, 23, 0, 0), utc(2026, 11, 24, 0, 0)),
                 4 * 3600LL);
    /* 30 minutes before close, a 1 h target ends 30 minutes after the next opening. */
    int64_t due;
    cr_assert(laris_hours_add(&h, utc(2026, 11, 23, 17, 30), 3600, &due));
    cr_assert_eq(due, utc(2026, 11, 24, 14, 30));
}

Test(hours, touching_windows_close_once)
{
    /* Monday 22:00–24:00 and Tuesday 00:00–02:00 touch: one close at 02:00. */
    laris_hours_window_t w[] = {{1, 1320, 1440}, {2, 0, 120}};
    cr_assert_null(laris_hours_check(w, 2));
    laris_hours_t h = in_zone("Asia/Jakarta", w, 2);
    int64_t next;
    cr_assert(laris_hours_next_change(&h, utc(2026, 11, 23, 16, 0), &next)); /* 23:00 */
    cr_assert_eq(next, utc(2026, 11, 23, 19, 0));
}

Test(hours, closed_dates)
{
    /* 2026-11-24 (Tuesday) is a holiday; Monday's night window still belongs to Monday. */
    laris_hours_window_t w[] = {{1, 1320, 120}, {2, 480, 1020}, {3, 480, 1020}};
    laris_date_t holiday = laris_date_from_civil(2026, 11, 24);
    laris_hours_t h = {"Asia/Jakarta", w, 3, &holiday, 1};
    cr_assert(laris_hours_open(&h, utc(2026, 11, 23, 18, 0)));    /* Tue 01:00 */
    cr_assert_not(laris_hours_open(&h, utc(2026, 11, 24, 3, 0))); /* Tue 10:00 */
    int64_t next;
    cr_assert(laris_hours_next_change(&h, utc(2026, 11, 24, 3, 0), &next));
    cr_assert_eq(next, utc(2026, 11, 25, 1, 0)); /* Wednesday 08:00 */
    /* A holiday on Monday closes Monday's night window too. */
    laris_date_t monday = laris_date_from_civil(2026, 11, 23);
    laris_hours_t h2 = {"Asia/Jakarta", w, 3, &monday, 1};
    cr_assert_not(laris_hours_open(&h2, utc(2026, 11, 23, 18, 0)));
}

Test(hours, business_seconds_and_due_times)
{
    laris_hours_t h = in_zone("Asia/Jakarta", office, 10);
    /* Monday 11:55 to 13:05: 5 minutes before lunch and 5 after. */
    cr_assert_eq(laris_hours_between(&h, utc(2026, 11, 23, 4, 55), utc(2026, 11, 23, 6, 5)), 600);
    /* A whole week: 4 × 8 h + 7 h. */
    cr_assert_eq(laris_hours_between(&h, utc(2026, 11, 22, 0, 0), utc(2026, 11, 29, 0, 0)),
                 (4 * 8 + 7) * 3600LL);
    cr_assert_eq(laris_hours_between(&h, utc(2026, 11, 23, 6, 0), utc(2026, 11, 23, 5, 0)), 0);
    int64_t due;
    /* 300 s at 11:58: 2 minutes before lunch, 3 after. */
    cr_assert(laris_hours_add(&h, utc(2026, 11, 23, 4, 58), 300, &due));
    cr_assert_eq(due, utc(2026, 11, 23, 6, 3));
    /* Saturday: the clock starts Monday 08:00. */
    cr_assert(laris_hours_add(&h, utc(2026, 11, 28, 3, 0), 300, &due));
    cr_assert_eq(due, utc(2026, 11, 30, 1, 5));
    cr_assert(laris_hours_add(&h, utc(2026, 11, 23, 2, 0), 0, &due));
    cr_assert_eq(due, utc(2026, 11, 23, 2, 0));
    /* No windows: never open, never due. */
    laris_hours_t none = in_zone("Asia/Jakarta", NULL, 0);
    cr_assert_not(laris_hours_add(&none, utc(2026, 11, 23, 2, 0), 1, &due));
    cr_assert_not(laris_hours_next_change(&none, utc(2026, 11, 23, 2, 0), &due));
}

Test(hours, daylight_saving_time)
{
    /* New York, every day 01:00–04:00 local. On 2026-03-08 clocks jump 02:00 → 03:00, so that
     * night holds 2 hours; on 2026-11-01 01:00–02:00 happens twice, 4 hours. */
    laris_hours_window_t w[7];
    for (int d = 0; d < 7; d++)
        w[d] = (laris_hours_window_t){d, 60, 240};
    laris_hours_t h = in_zone("America/New_York", w, 7);
    cr_assert_eq(laris_hours_between(&h, utc(2026, 3, 8, 0, 0), utc(2026, 3, 9, 0, 0)), 2 * 3600LL);
    cr_assert_eq(laris_hours_between(&h, utc(2026, 11, 1, 0, 0), utc(2026, 11, 2, 0, 0)),
                 4 * 3600LL);
    cr_assert(laris_hours_open(&h, utc(2026, 7, 1, 5, 30)));      /* 01:30 EDT */
    cr_assert(laris_hours_open(&h, utc(2026, 12, 1, 6, 30)));     /* 01:30 EST */
    cr_assert_not(laris_hours_open(&h, utc(2026, 12, 1, 5, 30))); /* 00:30 EST */
}

Test(hours, check_refuses_bad_windows)
{
    laris_hours_window_t overlap[] = {{1, 480, 720}, {1, 700, 800}};
    cr_assert_not_null(laris_hours_check(overlap, 2));
    /* Saturday 22:00–02:00 runs into Sunday 01:00. */
    laris_hours_window_t wrap[] = {{6, 1320, 120}, {0, 60, 300}};
    cr_assert_not_null(laris_hours_check(wrap, 2));
    laris_hours_window_t same[] = {{1, 480, 480}};
    cr_assert_not_null(laris_hours_check(same, 1));
    laris_hours_window_t day[] = {{7, 480, 500}};
    cr_assert_not_null(laris_hours_check(day, 1));
    laris_hours_window_t late[] = {{1, 1440, 60}};
    cr_assert_not_null(laris_hours_check(late, 1));
    cr_assert_null(laris_hours_check(office, 10));
}

Test(hours, sla_due_times)
{
    laris_hours_t h = in_zone("Asia/Jakarta", office, 10);
    int64_t due;
    /* No business hours: plain wall clock. */
    cr_assert(laris_hours_sla_due(NULL, 1000, 300, 0, &due) && due == 1300);
    /* In hours: 300 s of open time across lunch. */
    cr_assert(laris_hours_sla_due(&h, utc(2026, 11, 23, 4, 58), 300, 3600, &due));
    cr_assert_eq(due, utc(2026, 11, 23, 6, 3));
    /* Out of hours with an out-of-hours target: wall clock from arrival. */
    cr_assert(laris_hours_sla_due(&h, utc(2026, 11, 23, 12, 0), 300, 3600, &due));
    cr_assert_eq(due, utc(2026, 11, 23, 13, 0));
    /* Out of hours without one: the in-hours target from the next opening. */
    cr_assert(laris_hours_sla_due(&h, utc(2026, 11, 23, 12, 0), 300, 0, &due));
    cr_assert_eq(due, utc(2026, 11, 24, 1, 5));
}

Test(hours, periods_name_open_and_closed_spells)
{
    laris_hours_t h = in_zone("Asia/Jakarta", office, 10);
    char a[48], b[48], c[48];
    laris_hours_period(&h, utc(2026, 11, 23, 12, 0), a, sizeof(a)); /* Monday night */
    laris_hours_period(&h, utc(2026, 11, 23, 20, 0), b, sizeof(b)); /* Tuesday 03:00 */
    laris_hours_period(&h, utc(2026, 11, 24, 2, 0), c, sizeof(c));  /* Tuesday 09:00 */
    cr_assert_str_eq(a, b);                                         /* the same night */
    cr_assert_eq(strncmp(a, "closed:", 7), 0);
    cr_assert_eq(strncmp(c, "open:", 5), 0);
    laris_hours_period(NULL, 0, a, sizeof(a));
    cr_assert_str_eq(a, "always");
}

Test(hours, reads_the_json_form)
{
    laris_hours_buf_t buf;
    json_t *w = json_loads("[{\"day\":1,\"start\":\"22:00\",\"end\":\"02:00\"}]", 0, NULL);
    json_t *c = json_loads("[\"2026-12-25\"]", 0, NULL);
    cr_assert_null(laris_hours_from_json(w, c, "Asia/Jakarta", &buf));
    cr_assert_eq(buf.hours.nwindows, 1);
    cr_assert_eq(buf.windows[0].start, 1320);
    cr_assert_eq(buf.hours.nclosed, 1);
    json_t *bad[] = {
        json_loads("[{\"day\":7,\"start\":\"08:00\",\"end\":\"09:00\"}]", 0, NULL),
        json_loads("[{\"day\":1,\"start\":\"8:00\",\"end\":\"09:00\"}]", 0, NULL),
        json_loads("[{\"day\":1,\"start\":\"08:00\",\"end\":\"09:00\",\"x\":1}]", 0, NULL),
        json_loads("[{\"day\":1,\"start\":\"08:00\",\"end\":\"10:00\"},"
                   "{\"day\":1,\"start\":\"09:00\",\"end\":\"11:00\"}]",
                   0, NULL),
        json_loads("{}", 0, NULL),
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert_not_null(laris_hours_from_json(bad[i], NULL, "Asia/Jakarta", &buf), "case %zu",
                           i);
        json_decref(bad[i]);
    }
    json_t *dates = json_loads("[\"2026-02-30\"]", 0, NULL);
    cr_assert_not_null(laris_hours_from_json(w, dates, "Asia/Jakarta", &buf));
    json_decref(dates);
    json_decref(w);
    json_decref(c);
}
