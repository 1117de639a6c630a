/* Integration: first-response SLA. Customers write through laris-sim; laris-worker sets each
 * new chat's due time in business time (GET /api/v1/conversations/{id}/sla shows it): the
 * in-hours target from the first message while open, the out-of-hours target from the first
 * message while closed, or the in-hours target from the next opening when there is none. A
 * breach is recorded once (an sla_events row) and, when the tenant asks, escalates to the
 * online supervisor; automatic replies are not a first response, a person's reply is, and its
 * time is counted in wall-clock and business seconds. Other tenants get 404. */
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

static itest_service_t svc;

static void setup(void)
{
    itest_service_setup(&svc);
}

static void teardown(void)
{
    itest_service_teardown(&svc);
}

TestSuite(sla, .init = setup, .fini = teardown, .timeout = 90);

/* Sends laris-sim accepted from our number to customer with this text body (NULL: any). */
static void settings(json_t *body)
{
    itest_resp_t *r = itest_request(svc.owner, "PUT", "/api/v1/settings/service", body, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
}

/* The customer's chat, once Laris has it. */
static long long chat_of(const char *customer)
{
    return itest_sql_int(svc.conn,
                         "SELECT v.id FROM conversations v JOIN contacts c ON c.id = v.contact_id "
                         "WHERE c.tenant_id = %lld AND c.wa_id = '%s'",
                         svc.owner_user.tenant_id, customer);
}

/* Waits up to 10 s for the formatted condition on chat id to hold. */
static bool wait_for(long long id, const char *condition)
{
    for (int i = 0; i < 100; i++) {
        if (itest_sql_int(svc.conn, "SELECT 1 FROM conversations WHERE id = %lld AND %s", id,
                          condition) == 1)
            return true;
        itest_sleep_ms(100);
    }
    return false;
}

/* Seconds from the chat's first customer message to its due time. */
static long long due_after_first(long long id)
{
    cr_assert(wait_for(id, "sla_due_at IS NOT NULL"), "no due time was set");
    return itest_sql_int(svc.conn,
                         "SELECT round(extract(epoch FROM sla_due_at - first_inbound_at)) "
                         "FROM conversations WHERE id = %lld",
                         id);
}

static const char *sla_path(long long id)
{
    static char path[96];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld/sla", id);
    return path;
}

Test(sla, due_in_hours)
{
    json_t *w = itest_window_around(7, 60, 60);
    settings(json_pack("{s:[O],s:i}", "business_hours", w, "sla_first_response_seconds", 600));
    json_decref(w);
    char customer[20];
    itest_service_new_customer(customer);
    itest_service_customer_writes(&svc, customer, "Halo");
    long long id = chat_of(customer);
    long long after = due_after_first(id);
    cr_assert(after >= 599 && after <= 601, "due %lld s after the first message", after);
    itest_resp_t *r = itest_request(svc.owner, "GET", sla_path(id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_not_null(itest_get_str(r, "sla_due_at"));
    cr_assert(json_is_null(itest_get(r, "first_response_at")));
}

Test(sla, due_out_of_hours)
{
    /* Open only three days from now, 08:00-09:00 Jakarta time. */
    long long today = ((long long)time(NULL) + 7 * 3600LL) / 86400;
    int weekday = (int)((today + 4 + 3) % 7);
    settings(json_pack("{s:[{s:i,s:s,s:s}],s:i,s:i}", "business_hours", "day", weekday, "start",
                       "08:00", "end", "09:00", "sla_first_response_seconds", 300,
                       "sla_out_of_hours_seconds", 3600));
    char customer[20];
    itest_service_new_customer(customer);
    itest_service_customer_writes(&svc, customer, "Halo, buka?");
    long long after = due_after_first(chat_of(customer));
    cr_assert(after >= 3599 && after <= 3601, "out-of-hours target: due %lld s after", after);

    /* Without an out-of-hours target: 300 s of open time from the next opening. */
    settings(json_pack("{s:n}", "sla_out_of_hours_seconds"));
    char other[20];
    itest_service_new_customer(other);
    itest_service_customer_writes(&svc, other, "Halo");
    long long id = chat_of(other);
    cr_assert(wait_for(id, "sla_due_at IS NOT NULL"));
    long long opening = (today + 3) * 86400 + 8 * 3600LL - 7 * 3600LL;
    cr_assert_eq(itest_sql_int(svc.conn,
                               "SELECT extract(epoch FROM sla_due_at)::bigint FROM conversations "
                               "WHERE id = %lld",
                               id),
                 opening + 300, "due 5 minutes after Jakarta's next 08:00");
}

Test(sla, breach_escalates_once)
{
    itest_user_t sup;
    itest_create_user(svc.owner, "supervisor", &sup);
    itest_client_t *cs = itest_user_session(&sup);
    itest_resp_t *r = itest_request(cs, "PUT", "/api/v1/me/presence",
                                    json_pack("{s:s}", "presence", "online"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    settings(json_pack("{s:i,s:i,s:b}", "sla_first_response_seconds", 1, "sla_warning_seconds", 0,
                       "sla_auto_escalate", 1));
    char customer[20];
    itest_service_new_customer(customer);
    itest_service_customer_writes(&svc, customer, "Tolong dibantu");
    long long id = chat_of(customer);
    cr_assert(wait_for(id, "sla_breached_at IS NOT NULL"), "the breach was not recorded");
    cr_assert(wait_for(id, "escalated_at IS NOT NULL"), "not escalated");
    cr_assert_eq(
        itest_sql_int(svc.conn, "SELECT assignee_id FROM conversations WHERE id = %lld", id),
        sup.user_id, "given to the online supervisor");
    itest_sleep_ms(1500);
    cr_assert_eq(itest_sql_int(svc.conn,
                               "SELECT count(*) FROM sla_events WHERE conversation_id = %lld "
                               "AND tenant_id = %lld AND kind = 'breach'",
                               id, svc.owner_user.tenant_id),
                 1, "one breach event");
    r = itest_request(svc.owner, "GET", sla_path(id), NULL, NULL);
    cr_assert_not_null(itest_get_str(r, "sla_breached_at"));
    itest_client_free(cs);
}

Test(sla, first_response_is_a_person_and_is_counted)
{
    settings(json_pack("{s:b,s:s}", "greeting_enabled", 1, "greeting_text", "Halo!"));
    char customer[20];
    itest_service_new_customer(customer);
    itest_service_customer_writes(&svc, customer, "Halo");
    long long id = chat_of(customer);
    for (int i = 0; i < 100; i++) {
        if (itest_sql_int(svc.conn,
                          "SELECT count(*) FROM messages WHERE conversation_id = %lld "
                          "AND tenant_id = %lld AND auto_kind = 'greeting'",
                          id, svc.owner_user.tenant_id) == 1)
            break;
        itest_sleep_ms(100);
    }
    cr_assert(wait_for(id, "first_response_at IS NULL"), "a greeting is no first response");
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld/messages", id);
    itest_resp_t *r =
        itest_request(svc.owner, "POST", path,
                      json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", "Siap"), NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    cr_assert(wait_for(id, "first_response_at IS NOT NULL AND first_response_seconds >= 0"));
    cr_assert(wait_for(id, "first_response_business_seconds IS NOT NULL"),
              "business seconds were not counted");
    r = itest_request(svc.owner, "GET", sla_path(id), NULL, NULL);
    cr_assert_eq(r->status, 200);
    /* No business hours: business time is wall-clock time. The wall-clock figure is the exact
     * difference rounded down (SQL); the business one is counted between the two times rounded
     * to whole seconds (the worker), so they may differ by one second, never more. */
    long long business = itest_get_int(r, "first_response_business_seconds");
    long long wall = itest_get_int(r, "first_response_seconds");
    cr_assert(business >= wall && business <= wall + 1, "business %lld s, wall-clock %lld s",
              business, wall);

    itest_user_t other;
    itest_client_t *co = itest_owner_session(&other);
    r = itest_request(co, "GET", sla_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(svc.owner, "GET", "/api/v1/conversations/x1/sla", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    itest_client_free(co);
}
