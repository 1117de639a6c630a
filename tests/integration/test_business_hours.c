/* Integration: business hours through GET/PUT /api/v1/settings/service. Windows are placed
 * around the real current time in the tenant's zone, so open_now and next_change_at prove the
 * server's time-zone handling: the same window is open in Asia/Jakarta and closed in
 * Asia/Makassar (an hour later), a 22:00–02:00 window holds 23:xx local time (the tenant's zone
 * is chosen so that it is 23:xx there now) and closes at 02:00 the next day, a closed date
 * closes the day. Also validation (malformed, oversized, hostile, unknown fields: 4xx and
 * nothing changed), roles (supervisors read, agents do not, only the owner writes), CSRF, and
 * tenants (one's settings never show in another's). */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "db.h"
#include "hours_util.h"

#define PATH "/api/v1/settings/service"

static PGconn *conn;

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
}

static void teardown(void)
{
    PQfinish(conn);
}

TestSuite(business_hours, .init = setup, .fini = teardown, .timeout = 60);

/* The tenant's zone, as the owner of the business would set it at signup. */
static void set_zone(long long tenant, const char *zone)
{
    PQclear(itest_sql(conn, "UPDATE tenants SET timezone = '%s' WHERE id = %lld", zone, tenant));
}

static itest_resp_t *put(itest_client_t *c, json_t *body)
{
    return itest_request(c, "PUT", PATH, body, NULL);
}

static itest_resp_t *put_ok(itest_client_t *c, json_t *body)
{
    itest_resp_t *r = put(c, body);
    cr_assert_eq(r->status, 200, "%s", r->body);
    return r;
}

Test(business_hours, defaults_are_always_open)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    itest_resp_t *r = itest_request(c, "GET", PATH, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "timezone"), "Asia/Jakarta");
    cr_assert(json_is_null(itest_get(r, "business_hours")));
    cr_assert(json_is_true(itest_get(r, "open_now")));
    cr_assert_eq(itest_get_int(r, "sla_first_response_seconds"), 300);
    cr_assert(json_is_null(itest_get(r, "sla_out_of_hours_seconds")));
    cr_assert(json_is_false(itest_get(r, "greeting_enabled")));
    itest_client_free(c);
}

Test(business_hours, jakarta_and_makassar)
{
    itest_user_t ua, ub;
    itest_client_t *a = itest_owner_session(&ua), *b = itest_owner_session(&ub);
    set_zone(ub.tenant_id, "Asia/Makassar");
    /* 30 minutes either side of now in Jakarta (UTC+7): in Makassar (UTC+8) it is 30 to 90
     * minutes ago, so closed there. */
    json_t *w = itest_window_around(7, 30, 30);
    itest_resp_t *ra = put_ok(a, json_pack("{s:[O]}", "business_hours", w));
    itest_resp_t *rb = put_ok(b, json_pack("{s:[O]}", "business_hours", w));
    json_decref(w);
    long long now = (long long)time(NULL);
    cr_assert(json_is_true(itest_get(ra, "open_now")), "%s", ra->body);
    cr_assert(json_is_false(itest_get(rb, "open_now")), "%s", rb->body);
    long long close_a = itest_get_int(ra, "next_change_at");
    cr_assert(close_a > now + 28 * 60LL && close_a <= now + 31 * 60LL, "closes in 30 minutes: %s",
              ra->body);
    /* Makassar opens again next week, a day short of 7 at the least. */
    cr_assert_gt(itest_get_int(rb, "next_change_at"), now + 6 * 86400LL, "%s", rb->body);
    cr_assert_str_eq(itest_get_str(rb, "timezone"), "Asia/Makassar");
    itest_client_free(a);
    itest_client_free(b);
}

Test(business_hours, window_across_midnight)
{
    itest_user_t u;
    itest_client_t *c = itest_owner_session(&u);
    /* A zone where it is 23:xx now: UTC+off with off = 23 - the UTC hour (Etc/GMT-N is UTC+N). */
    long long now = (long long)time(NULL);
    int off = (23 - (int)((now % 86400) / 3600) + 24) % 24;
    if (off > 14)
        off -= 24;
    char zone[32];
    snprintf(zone, sizeof(zone), off == 0 ? "Etc/GMT" : "Etc/GMT%+d", -off);
    set_zone(u.tenant_id, zone);
    long long local = now + off * 3600LL, day = local / 86400;
    int weekday = (int)((day + 4) % 7);
    itest_resp_t *r = put_ok(c, json_pack("{s:[{s:i,s:s,s:s}]}", "business_hours", "day", weekday,
                                          "start", "22:00", "end", "02:00"));
    cr_assert(json_is_true(itest_get(r, "open_now")), "open at 23:xx in %s: %s", zone, r->body);
    long long closes = (day + 1) * 86400 + 2 * 3600LL - off * 3600LL;
    cr_assert_eq(itest_get_int(r, "next_change_at"), closes, "closes at 02:00 tomorrow: %s",
                 r->body);
    /* Yesterday's night window ended at 02:00 today: closed now. */
    r = put_ok(c, json_pack("{s:[{s:i,s:s,s:s}]}", "business_hours", "day", (weekday + 6) % 7,
                            "start", "22:00", "end", "02:00"));
    cr_assert(json_is_false(itest_get(r, "open_now")), "%s", r->body);
    itest_client_free(c);
}

Test(business_hours, closed_dates_close_the_day)
{
    itest_user_t u;
    itest_client_t *c = itest_owner_session(&u);
    json_t *w = itest_window_around(7, 30, 30);
    /* The Jakarta date the window starts on (30 minutes ago). */
    time_t start = time(NULL) + 7 * 3600L - 30 * 60L;
    struct tm tm;
    gmtime_r(&start, &tm);
    char date[16];
    strftime(date, sizeof(date), "%Y-%m-%d", &tm);
    itest_resp_t *r =
        put_ok(c, json_pack("{s:[O],s:[s]}", "business_hours", w, "closed_dates", date));
    cr_assert(json_is_false(itest_get(r, "open_now")), "%s", r->body);
    cr_assert_str_eq(json_string_value(json_array_get(itest_get(r, "closed_dates"), 0)), date);
    r = put_ok(c, json_pack("{s:[]}", "closed_dates"));
    cr_assert(json_is_true(itest_get(r, "open_now")), "%s", r->body);
    json_decref(w);
    itest_client_free(c);
}

Test(business_hours, validation_roles_csrf_and_tenants)
{
    itest_user_t owner, sup, agent, other;
    itest_client_t *co = itest_owner_session(&owner);
    itest_create_user(co, "supervisor", &sup);
    itest_create_user(co, "agent", &agent);
    itest_client_t *cs = itest_user_session(&sup), *ca = itest_user_session(&agent);
    itest_client_t *cother = itest_owner_session(&other);

    put_ok(co, json_pack("{s:[{s:i,s:s,s:s}],s:b,s:s,s:i}", "business_hours", "day", 1, "start",
                         "08:00", "end", "17:00", "greeting_enabled", 1, "greeting_text",
                         "Halo kak! <script>alert(1)</script> '; DROP TABLE users; --",
                         "sla_first_response_seconds", 600));
    itest_resp_t *before = itest_request(co, "GET", PATH, NULL, NULL);
    cr_assert_str_eq(itest_get_str(before, "greeting_text"),
                     "Halo kak! <script>alert(1)</script> '; DROP TABLE users; --",
                     "hostile text is stored as text");

    char long_text[1100];
    memset(long_text, 'a', 1001);
    long_text[1001] = '\0';
    char too_long[1200];
    snprintf(too_long, sizeof(too_long), "{\"away_text\":\"%s\"}", long_text);
    const char *const bad[][2] = {
        {"{\"business_hours\":\"always\"}", "business_hours"},
        {"{\"business_hours\":[{\"day\":7,\"start\":\"08:00\",\"end\":\"09:00\"}]}",
         "business_hours"},
        {"{\"business_hours\":[{\"day\":1,\"start\":\"25:00\",\"end\":\"09:00\"}]}",
         "business_hours"},
        {"{\"business_hours\":[{\"day\":1,\"start\":\"08:00\",\"end\":\"08:00\"}]}",
         "business_hours"},
        {"{\"business_hours\":[{\"day\":1,\"start\":\"08:00\",\"end\":\"12:00\"},"
         "{\"day\":1,\"start\":\"11:00\",\"end\":\"13:00\"}]}",
         "business_hours"},
        {"{\"business_hours\":[{\"day\":1,\"start\":\"08:00\",\"end\":\"12:00\",\"x\":1}]}",
         "business_hours"},
        {"{\"closed_dates\":[\"2026-02-30\"]}", "closed_dates"},
        {"{\"closed_dates\":\"2026-12-25\"}", "closed_dates"},
        {"{\"away_enabled\":true}", "away_text"},
        {"{\"greeting_text\":\"\"}", "greeting_text"},
        {"{\"greeting_text\":\"   \"}", "greeting_text"},
        {too_long, "away_text"},
        {"{\"sla_first_response_seconds\":0}", "sla_first_response_seconds"},
        {"{\"sla_first_response_seconds\":604801}", "sla_first_response_seconds"},
        {"{\"sla_first_response_seconds\":\"300\"}", "sla_first_response_seconds"},
        {"{\"sla_warning_seconds\":-1}", "sla_warning_seconds"},
        {"{\"sla_auto_escalate\":\"yes\"}", "sla_auto_escalate"},
        {"{\"timezone\":\"Asia/Makassar\"}", "timezone"},
        {"{\"greeting_enabled\":false,\"hax\":1}", "hax"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        itest_resp_t *r = itest_request_raw(co, "PUT", PATH, "application/json", bad[i][0],
                                            strlen(bad[i][0]), NULL);
        itest_assert_problem(r, 422, bad[i][1]);
    }
    itest_resp_t *r = itest_request_raw(co, "PUT", PATH, "application/json", "{\"a\":", 5, NULL);
    itest_assert_problem(r, 400, NULL);
    r = itest_request_raw(co, "PUT", PATH, "application/json", "[1]", 3, NULL);
    itest_assert_problem(r, 400, NULL);
    size_t big = (size_t)70 * 1024;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    r = itest_request_raw(co, "PUT", PATH, "application/json", huge, big, NULL);
    itest_assert_problem(r, 413, NULL);
    free(huge);
    itest_resp_t *after = itest_request(co, "GET", PATH, NULL, NULL);
    json_object_del(before->json, "open_now");
    json_object_del(before->json, "next_change_at");
    json_object_del(after->json, "open_now");
    json_object_del(after->json, "next_change_at");
    cr_assert(json_equal(before->json, after->json), "a refused change changed something: %s",
              after->body);

    r = itest_request(cs, "GET", PATH, NULL, NULL);
    cr_assert_eq(r->status, 200, "a supervisor reads: %s", r->body);
    r = itest_request(cs, "PUT", PATH, json_pack("{s:b}", "greeting_enabled", 0), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(ca, "GET", PATH, NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(co, "PUT", PATH, json_pack("{s:b}", "greeting_enabled", 0),
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);

    /* Another business sees its own defaults, never these. */
    r = itest_request(cother, "GET", PATH, NULL, NULL);
    cr_assert_eq(r->status, 200);
    cr_assert(json_is_null(itest_get(r, "business_hours")));
    cr_assert(json_is_null(itest_get(r, "greeting_text")));
    cr_assert_eq(itest_get_int(r, "sla_first_response_seconds"), 300);
    itest_client_free(co);
    itest_client_free(cs);
    itest_client_free(ca);
    itest_client_free(cother);
}
