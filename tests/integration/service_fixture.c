/* The fixture of the service-hours integration tests (automatic replies, SLA): a tenant whose
 * owner connected a number laris-sim knows (20 msg/s), laris-sim's webhooks pointed at the
 * stack, and customers who write to that number through laris-sim. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "procs.h"
#include "service_fixture.h"
#include "sim_control.h"

void itest_service_setup(itest_service_t *s)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    s->conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(s->conn), CONNECTION_OK, "%s", PQerrorMessage(s->conn));
    const char *secret = getenv("LARIS_META_APP_SECRET");
    char hook[512];
    snprintf(hook, sizeof(hook), "%s/webhooks/whatsapp", getenv("LARIS_URL"));
    long status;
    json_decref(itest_sim("PUT", "/_sim/config",
                          json_pack("{s:s,s:s}", "webhook_url", hook, "app_secret",
                                    secret && *secret ? secret : "laris-fixture-app-secret"),
                          &status));
    cr_assert_eq(status, 200);
    char waba[20], hex[41], token[64];
    itest_random_digits(s->pnid, 15);
    itest_random_digits(waba, 15);
    itest_random_hex(hex, 20);
    snprintf(token, sizeof(token), "EAAT%s", hex);
    json_decref(
        itest_sim("POST", "/_sim/numbers",
                  json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", s->pnid, "waba_id", waba,
                            "display_phone_number", "6281234567890", "access_token", token),
                  &status));
    cr_assert_eq(status, 201);
    s->owner = itest_owner_session(&s->owner_user);
    itest_resp_t *r =
        itest_request(s->owner, "POST", "/api/v1/wa-numbers",
                      json_pack("{s:s,s:s,s:s,s:s,s:i}", "phone_number_id", s->pnid, "waba_id",
                                waba, "display_phone_number", "0812-3456-7890", "access_token",
                                token, "throughput_mps", 20),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
}

void itest_service_teardown(itest_service_t *s)
{
    itest_client_free(s->owner);
    PQfinish(s->conn);
}

void itest_service_new_customer(char out[20])
{
    itest_random_digits(out, 12);
    out[0] = '6';
    out[1] = '2';
    out[2] = '8';
}

void itest_service_customer_writes(const itest_service_t *s, const char *customer, const char *text)
{
    long long before = itest_sql_int(s->conn,
                                     "SELECT count(*) FROM messages m JOIN contacts c ON "
                                     "c.id = m.contact_id WHERE c.tenant_id = %lld AND "
                                     "c.wa_id = '%s' AND m.direction = 'in'",
                                     s->owner_user.tenant_id, customer);
    long status;
    json_decref(itest_sim("POST", "/_sim/inbound",
                          json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", s->pnid, "from",
                                    customer, "text", text, "profile_name", "Ibu Test"),
                          &status));
    cr_assert_eq(status, 201);
    for (int i = 0; i < 100; i++) {
        if (itest_sql_int(s->conn,
                          "SELECT count(*) FROM messages m JOIN contacts c ON c.id = m.contact_id "
                          "WHERE c.tenant_id = %lld AND c.wa_id = '%s' AND m.direction = 'in'",
                          s->owner_user.tenant_id, customer) > before)
            return;
        itest_sleep_ms(100);
    }
    cr_assert_fail("the customer's message never reached Laris");
}
