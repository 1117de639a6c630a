/* Integration: automatic replies end to end. A tenant connects a number laris-sim knows;
 * customers write through laris-sim (/_sim/inbound -> signed webhook -> Laris); laris-worker
 * answers through laris-sim, whose record of sends (/_sim/sent) is what the tests count: the
 * greeting exactly once for two customer messages, the away text (and no greeting) outside
 * hours, keyword replies for case/accent/punctuation variants and whole words only, once per
 * chat, and nothing at all for an opted-out contact. Also the keyword-rule API: validation,
 * roles, CSRF and other tenants (404). Each test has its own tenant and number. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "db.h"
#include "hours_util.h"
#include "procs.h"
#include "service_fixture.h"
#include "sim_control.h"

#define GREETING "Halo! Terima kasih sudah menghubungi kami."
#define AWAY     "Kami sedang tutup. Kami balas saat buka ya."

static itest_service_t svc;

static void setup(void)
{
    itest_service_setup(&svc);
}

static void teardown(void)
{
    itest_service_teardown(&svc);
}

TestSuite(auto_replies, .init = setup, .fini = teardown, .timeout = 90);

/* Sends laris-sim accepted from our number to customer with this text body (NULL: any). */
static int sent_to(const char *customer, const char *text)
{
    long status;
    json_t *all = itest_sim("GET", "/_sim/sent", NULL, &status);
    cr_assert_eq(status, 200);
    int n = 0;
    json_t *data = json_object_get(all, "data");
    for (size_t i = 0; i < json_array_size(data); i++) {
        json_t *s = json_array_get(data, i);
        json_t *req = json_object_get(s, "request");
        const char *to = json_string_value(json_object_get(req, "to"));
        if (to && to[0] == '+') /* laris-worker writes the recipient as +<digits> */
            to++;
        json_t *body = json_object_get(json_object_get(req, "text"), "body");
        if (strcmp(json_string_value(json_object_get(s, "phone_number_id")), svc.pnid) != 0 ||
            !to || strcmp(to, customer) != 0)
            continue;
        if (!text || (json_is_string(body) && strcmp(json_string_value(body), text) == 0))
            n++;
    }
    json_decref(all);
    return n;
}

/* Waits up to 10 s for want sends to customer of text, then 1.5 s more (a second one would
 * come within that), and returns the count. */
static int settle(const char *customer, const char *text, int want)
{
    for (int i = 0; i < 100 && sent_to(customer, text) < want; i++)
        itest_sleep_ms(100);
    itest_sleep_ms(1500);
    return sent_to(customer, text);
}

static void settings(json_t *body)
{
    itest_resp_t *r = itest_request(svc.owner, "PUT", "/api/v1/settings/service", body, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
}

static long long add_rule(itest_client_t *c, json_t *body)
{
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/auto-replies", body, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    return itest_get_int(r, "id");
}

Test(auto_replies, greeting_goes_once_per_chat)
{
    settings(json_pack("{s:b,s:s}", "greeting_enabled", 1, "greeting_text", GREETING));
    char customer[20];
    itest_service_new_customer(customer);
    itest_service_customer_writes(&svc, customer, "Halo, ada stok?");
    itest_service_customer_writes(&svc, customer, "Halo??");
    cr_assert_eq(settle(customer, GREETING, 1), 1, "exactly one greeting");
    cr_assert_eq(sent_to(customer, NULL), 1, "nothing else was sent");
    cr_assert_eq(itest_sql_int(svc.conn,
                               "SELECT count(*) FROM messages WHERE tenant_id = %lld AND "
                               "auto_kind = 'greeting' AND sent_by IS NULL",
                               svc.owner_user.tenant_id),
                 1, "stored once, marked automatic");
}

Test(auto_replies, away_outside_hours)
{
    /* Open only three days from now, 08:00-09:00 Jakarta time: closed now. */
    int weekday = (int)((((long long)time(NULL) + 7 * 3600LL) / 86400 + 4 + 3) % 7);
    settings(json_pack("{s:[{s:i,s:s,s:s}],s:b,s:s,s:b,s:s}", "business_hours", "day", weekday,
                       "start", "08:00", "end", "09:00", "greeting_enabled", 1, "greeting_text",
                       GREETING, "away_enabled", 1, "away_text", AWAY));
    char customer[20];
    itest_service_new_customer(customer);
    itest_service_customer_writes(&svc, customer, "Halo, masih buka?");
    itest_service_customer_writes(&svc, customer, "Halo?");
    cr_assert_eq(settle(customer, AWAY, 1), 1, "one away message for the closed period");
    cr_assert_eq(sent_to(customer, GREETING), 0, "no greeting while closed");

    /* Open now: a new customer gets the greeting, not the away text. */
    json_t *w = itest_window_around(7, 60, 60);
    settings(json_pack("{s:[O]}", "business_hours", w));
    json_decref(w);
    char other[20];
    itest_service_new_customer(other);
    itest_service_customer_writes(&svc, other, "Halo");
    cr_assert_eq(settle(other, GREETING, 1), 1);
    cr_assert_eq(sent_to(other, AWAY), 0);
}

Test(auto_replies, keyword_variants)
{
    add_rule(svc.owner, json_pack("{s:[s,s],s:s,s:s}", "keywords", "Harga", "berapa ongkir",
                                  "match", "contains", "reply_text", "Harga mulai Rp10.000, kak."));
    add_rule(svc.owner, json_pack("{s:[s],s:s,s:s}", "keywords", "PROMO", "match", "exact",
                                  "reply_text", "Promo hari ini: diskon 10%!"));
    static const struct {
        const char *text;
        const char *reply; /* NULL: no reply */
    } cases[] = {
        {"HARGA-nya berapa, kak?", "Harga mulai Rp10.000, kak."},
        {"Berapa óngkir ke Makassar 🚚", "Harga mulai Rp10.000, kak."},
        {"Promo!!!", "Promo hari ini: diskon 10%!"},
        {"ada promo hari ini?", NULL}, /* exact: the whole message only */
        {"Berapa harganya?", NULL},    /* contains: whole words only */
    };
    char customers[5][20];
    for (size_t i = 0; i < 5; i++) {
        itest_service_new_customer(customers[i]);
        itest_service_customer_writes(&svc, customers[i], cases[i].text);
    }
    for (size_t i = 0; i < 5; i++) {
        int n = settle(customers[i], NULL, cases[i].reply ? 1 : 0);
        cr_assert_eq(n, cases[i].reply ? 1 : 0, "\"%s\": %d replies", cases[i].text, n);
        if (cases[i].reply)
            cr_assert_eq(sent_to(customers[i], cases[i].reply), 1, "\"%s\"", cases[i].text);
    }
    /* The same keyword again in the same chat: answered once. */
    itest_service_customer_writes(&svc, customers[0], "harga??");
    cr_assert_eq(settle(customers[0], NULL, 1), 1);
}

Test(auto_replies, opted_out_contact_gets_nothing)
{
    settings(json_pack("{s:b,s:s}", "greeting_enabled", 1, "greeting_text", GREETING));
    add_rule(svc.owner, json_pack("{s:[s],s:s}", "keywords", "harga", "reply_text", "Harga 10rb"));
    char customer[20];
    itest_service_new_customer(customer);
    PQclear(itest_sql(svc.conn,
                      "INSERT INTO contacts (tenant_id, wa_id, marketing_opt_out_at) "
                      "VALUES (%lld, '%s', now())",
                      svc.owner_user.tenant_id, customer));
    itest_service_customer_writes(&svc, customer, "harga berapa?");
    itest_sleep_ms(2000);
    cr_assert_eq(sent_to(customer, NULL), 0, "an opted-out contact got an automatic reply");
    cr_assert_eq(itest_sql_int(svc.conn,
                               "SELECT count(*) FROM messages m JOIN contacts c ON "
                               "c.id = m.contact_id WHERE c.tenant_id = %lld AND c.wa_id = '%s' "
                               "AND m.direction = 'out'",
                               svc.owner_user.tenant_id, customer),
                 0);
}

Test(auto_replies, rules_api_validation_roles_and_tenants)
{
    itest_user_t sup, agent, other;
    itest_create_user(svc.owner, "supervisor", &sup);
    itest_create_user(svc.owner, "agent", &agent);
    itest_client_t *cs = itest_user_session(&sup), *ca = itest_user_session(&agent);
    itest_client_t *cother = itest_owner_session(&other);

    long long id = add_rule(svc.owner, json_pack("{s:[s],s:s}", "keywords", "Jam buka",
                                                 "reply_text", "Buka 08:00-17:00"));
    itest_resp_t *r = itest_request(svc.owner, "GET", "/api/v1/auto-replies", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 1);
    cr_assert_str_eq(
        json_string_value(json_object_get(json_array_get(itest_get(r, "items"), 0), "match")),
        "contains");
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/auto-replies/%lld", id);
    r = itest_request(svc.owner, "PATCH", path,
                      json_pack("{s:s,s:b}", "match", "exact", "active", 0), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "match"), "exact");
    cr_assert(json_is_false(itest_get(r, "active")));
    cr_assert_str_eq(itest_get_str(r, "reply_text"), "Buka 08:00-17:00");

    static const char *const bad[][2] = {
        {"{\"reply_text\":\"x\"}", "keywords"},
        {"{\"keywords\":[],\"reply_text\":\"x\"}", "keywords"},
        {"{\"keywords\":[\"!!!\"],\"reply_text\":\"x\"}", "keywords"},
        {"{\"keywords\":[1],\"reply_text\":\"x\"}", "keywords"},
        {"{\"keywords\":\"harga\",\"reply_text\":\"x\"}", "keywords"},
        {"{\"keywords\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\","
         "\"m\",\"n\",\"o\",\"p\",\"q\",\"r\",\"s\",\"t\",\"u\"],\"reply_text\":\"x\"}",
         "keywords"},
        {"{\"keywords\":[\"harga\"]}", "reply_text"},
        {"{\"keywords\":[\"harga\"],\"reply_text\":\"  \"}", "reply_text"},
        {"{\"keywords\":[\"harga\"],\"reply_text\":\"x\",\"match\":\"regex\"}", "match"},
        {"{\"keywords\":[\"harga\"],\"reply_text\":\"x\",\"active\":\"yes\"}", "active"},
        {"{\"keywords\":[\"harga\"],\"reply_text\":\"x\",\"tenant_id\":1}", "tenant_id"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = itest_request_raw(svc.owner, "POST", "/api/v1/auto-replies", "application/json",
                              bad[i][0], strlen(bad[i][0]), NULL);
        itest_assert_problem(r, 422, bad[i][1]);
    }
    r = itest_request_raw(svc.owner, "PATCH", path, "application/json", "{\"keywords\":[]}", 15,
                          NULL);
    itest_assert_problem(r, 422, "keywords");
    r = itest_request_raw(svc.owner, "POST", "/api/v1/auto-replies", "application/json", "{", 1,
                          NULL);
    itest_assert_problem(r, 400, NULL);
    cr_assert_eq(itest_sql_int(svc.conn, "SELECT count(*) FROM auto_replies WHERE tenant_id = %lld",
                               svc.owner_user.tenant_id),
                 1, "refused input stored nothing");

    r = itest_request(cs, "GET", "/api/v1/auto-replies", NULL, NULL);
    cr_assert_eq(r->status, 200);
    r = itest_request(cs, "POST", "/api/v1/auto-replies",
                      json_pack("{s:[s],s:s}", "keywords", "a", "reply_text", "b"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(ca, "GET", "/api/v1/auto-replies", NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(svc.owner, "DELETE", path, NULL, "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);

    /* Another business: the rule does not exist there. */
    r = itest_request(cother, "GET", "/api/v1/auto-replies", NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0);
    r = itest_request(cother, "PATCH", path, json_pack("{s:b}", "active", 1), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(cother, "DELETE", path, NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(svc.owner, "DELETE", "/api/v1/auto-replies/abc", NULL, NULL);
    itest_assert_problem(r, 404, NULL);

    r = itest_request(svc.owner, "DELETE", path, NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    r = itest_request(svc.owner, "DELETE", path, NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    itest_client_free(cs);
    itest_client_free(ca);
    itest_client_free(cother);
}
