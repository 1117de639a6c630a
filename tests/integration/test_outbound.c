/* Integration: messages out. A tenant connects a number that laris-sim also knows; a customer
 * writes through laris-sim (/_sim/inbound -> signed webhook -> Laris); an agent or owner replies
 * with POST /api/v1/conversations/{id}/messages (202, queued) and laris-worker sends it to
 * laris-sim exactly once, records the wamid, and the sim's status webhooks move it to
 * delivered/read. Also: the 24-hour window (422, nothing queued), Idempotency-Key (one send),
 * other tenants (404), hostile bodies (400/413/422). Ids are random so reruns never collide. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "db.h"
#include "procs.h"
#include "sim_control.h"

static PGconn *conn;
static itest_client_t *owner;
static itest_user_t owner_user;
static char pnid[20], customer[20], token[64];
static long long conversation;

/* Sends of our number laris-sim accepted whose text body is text (NULL: any). */
static int sent_count(const char *text)
{
    long status;
    json_t *all = itest_sim("GET", "/_sim/sent", NULL, &status);
    cr_assert_eq(status, 200);
    int n = 0;
    json_t *data = json_object_get(all, "data");
    for (size_t i = 0; i < json_array_size(data); i++) {
        json_t *s = json_array_get(data, i);
        if (strcmp(json_string_value(json_object_get(s, "phone_number_id")), pnid) != 0)
            continue;
        json_t *body =
            json_object_get(json_object_get(json_object_get(s, "request"), "text"), "body");
        if (!text || (json_is_string(body) && strcmp(json_string_value(body), text) == 0))
            n++;
    }
    json_decref(all);
    return n;
}

static const char *app_secret(void)
{
    const char *s = getenv("LARIS_META_APP_SECRET");
    return s && *s ? s : "laris-fixture-app-secret";
}

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(itest_sql(conn, "SET client_min_messages = warning"));

    /* laris-sim delivers its webhooks to Laris, signed with the platform app's secret. */
    char hook[512];
    snprintf(hook, sizeof(hook), "%s/webhooks/whatsapp", getenv("LARIS_URL"));
    long status;
    json_decref(itest_sim("PUT", "/_sim/config",
                          json_pack("{s:s,s:s}", "webhook_url", hook, "app_secret", app_secret()),
                          &status));
    cr_assert_eq(status, 200);

    itest_random_digits(pnid, 15);
    char waba[20], hex[41];
    itest_random_digits(waba, 15);
    itest_random_hex(hex, 20);
    snprintf(token, sizeof(token), "EAAT%s", hex);
    itest_random_digits(customer, 12);
    memcpy(customer, "628", 3);
    json_decref(itest_sim("POST", "/_sim/numbers",
                          json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "waba_id", waba,
                                    "display_phone_number", "6281234567890", "access_token", token),
                          &status));
    cr_assert_eq(status, 201);

    owner = itest_owner_session(&owner_user);
    itest_resp_t *r =
        itest_request(owner, "POST", "/api/v1/wa-numbers",
                      json_pack("{s:s,s:s,s:s,s:s,s:i}", "phone_number_id", pnid, "waba_id", waba,
                                "display_phone_number", "0812-3456-7890", "access_token", token,
                                "throughput_mps", 20),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);

    json_decref(itest_sim("POST", "/_sim/inbound",
                          json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "from", customer,
                                    "text", "Halo, ada stok?", "profile_name", "Ibu Test"),
                          &status));
    cr_assert_eq(status, 201);
    conversation = -1;
    for (int i = 0; i < 100 && conversation < 0; i++) {
        conversation = itest_sql_int(conn,
                                     "SELECT v.id FROM conversations v JOIN contacts c "
                                     "ON c.tenant_id = v.tenant_id AND c.id = v.contact_id "
                                     "WHERE v.tenant_id = %lld AND c.wa_id = '%s'",
                                     owner_user.tenant_id, customer);
        if (conversation < 0)
            itest_sleep_ms(100);
    }
    cr_assert_gt(conversation, 0, "the inbound message never reached Laris");
}

static void teardown(void)
{
    itest_client_free(owner);
    PQfinish(conn);
}

TestSuite(outbound, .init = setup, .fini = teardown, .timeout = 60);

static const char *messages_path(long long id)
{
    static char path[96];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld/messages", id);
    return path;
}

static json_t *text_reply(const char *text)
{
    return json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", text);
}

/* Waits up to 15 s for message id to reach one of the statuses (comma-separated SQL list). */
static bool wait_status(long long id, const char *statuses)
{
    for (int i = 0; i < 150; i++) {
        if (itest_sql_int(conn, "SELECT 1 FROM messages WHERE id = %lld AND status IN (%s)", id,
                          statuses) == 1)
            return true;
        itest_sleep_ms(100);
    }
    return false;
}

Test(outbound, reply_is_sent_once_and_tracked)
{
    char text[64], key[40], hex[17];
    itest_random_hex(hex, 8);
    snprintf(text, sizeof(text), "Ada, kak! %s", hex);
    snprintf(key, sizeof(key), "Idempotency-Key: k-%s", hex);

    itest_resp_t *r =
        itest_request(owner, "POST", messages_path(conversation), text_reply(text), key, NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    long long id = itest_get_int(r, "id");
    cr_assert_str_eq(itest_get_str(r, "direction"), "out");
    cr_assert_str_eq(itest_get_str(r, "status"), "queued");
    cr_assert_str_eq(itest_get_str(r, "text.body"), text);
    cr_assert_eq(itest_sql_int(conn, "SELECT count(*) FROM outbox WHERE message_id = %lld", id), 1);

    /* The same key again: the first message, nothing new. */
    r = itest_request(owner, "POST", messages_path(conversation), text_reply(text), key, NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "id"), id);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM messages WHERE conversation_id = %lld AND "
                               "direction = 'out'",
                               conversation),
                 1);

    /* Sent by laris-worker, once, with the wamid recorded; status webhooks move it on. */
    cr_assert(wait_status(id, "'delivered', 'read'"), "the message never got delivered/read");
    cr_assert_eq(sent_count(text), 1);
    PGresult *res = itest_sql(conn, "SELECT wamid FROM messages WHERE id = %lld", id);
    cr_assert(!PQgetisnull(res, 0, 0), "no wamid recorded");
    PQclear(res);
    itest_sleep_ms(500);
    cr_assert_eq(sent_count(text), 1, "sent more than once");

    /* The history shows it. */
    r = itest_request(owner, "GET", messages_path(conversation), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = itest_get(r, "items");
    cr_assert_eq(json_array_size(items), 2, "%s", r->body); /* the inbound one and the reply */
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 1), "direction")),
                     "out");
}

Test(outbound, reply_outside_window_needs_template)
{
    PQclear(itest_sql(conn,
                      "UPDATE contacts SET last_inbound_at = now() - interval '25 hours' "
                      "WHERE tenant_id = %lld AND wa_id = '%s'",
                      owner_user.tenant_id, customer));
    itest_resp_t *r =
        itest_request(owner, "POST", messages_path(conversation), text_reply("Masih ada?"), NULL);
    itest_assert_problem(r, 422, "type");
    cr_assert_not_null(strstr(r->body, "template"), "%s", r->body);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM messages WHERE conversation_id = %lld AND "
                               "direction = 'out'",
                               conversation),
                 0);
    cr_assert_eq(itest_sql_int(conn, "SELECT count(*) FROM outbox WHERE tenant_id = %lld",
                               owner_user.tenant_id),
                 0);
}

Test(outbound, other_tenant_gets_404)
{
    itest_user_t other;
    itest_client_t *c = itest_owner_session(&other);
    itest_resp_t *r =
        itest_request(c, "POST", messages_path(conversation), text_reply("bukan punyamu"), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(c, "GET", messages_path(conversation), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    itest_client_free(c);
    cr_assert_eq(itest_sql_int(conn, "SELECT count(*) FROM outbox WHERE tenant_id IN (%lld, %lld)",
                               owner_user.tenant_id, other.tenant_id),
                 0);
}

Test(outbound, agent_may_reply)
{
    itest_user_t agent;
    itest_create_user(owner, "agent", &agent);
    itest_client_t *c = itest_user_session(&agent);
    char text[48], hex[17];
    itest_random_hex(hex, 8);
    snprintf(text, sizeof(text), "Dari agen %s", hex);
    itest_resp_t *r = itest_request(c, "POST", messages_path(conversation), text_reply(text), NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "sent_by"), agent.user_id);
    long long id = itest_get_int(r, "id");
    itest_client_free(c);
    cr_assert(wait_status(id, "'accepted', 'sent', 'delivered', 'read'"), "never sent");
    cr_assert_eq(sent_count(text), 1);
}

Test(outbound, hostile_bodies_are_refused)
{
    const char *path = messages_path(conversation);
    itest_resp_t *r =
        itest_request_raw(owner, "POST", path, "application/json", "{\"type\":", 8, NULL);
    itest_assert_problem(r, 400, NULL);
    size_t big = 80 * 1024;
    char *huge = malloc(big + 64);
    cr_assert_not_null(huge);
    int n = snprintf(huge, 64, "{\"type\":\"text\",\"text\":{\"body\":\"");
    memset(huge + n, 'a', big);
    memcpy(huge + n + big, "\"}}", 4);
    r = itest_request_raw(owner, "POST", path, "application/json", huge, strlen(huge), NULL);
    cr_assert_eq(r->status, 413, "%ld %s", r->status, r->body);
    free(huge);

    char *long_text = malloc(5001);
    memset(long_text, 'b', 5000);
    long_text[5000] = '\0';
    r = itest_request(owner, "POST", path, text_reply(long_text), NULL);
    free(long_text);
    itest_assert_problem(r, 422, "text.body");
    r = itest_request(owner, "POST", path, json_pack("{s:s}", "type", "video"), NULL);
    itest_assert_problem(r, 422, "video");
    r = itest_request(owner, "POST", path, json_pack("{s:s,s:s}", "type", "text", "text", ""),
                      NULL);
    itest_assert_problem(r, 422, NULL);
    r = itest_request(owner, "POST", path,
                      json_pack("{s:s,s:{s:s}}", "type", "template", "template", "name", "x"),
                      NULL);
    itest_assert_problem(r, 422, "template.language");
    r = itest_request(owner, "POST", path, text_reply("ok"), "Idempotency-Key: a b", NULL);
    itest_assert_problem(r, 422, "Idempotency-Key");
    r = itest_request(owner, "POST", "/api/v1/conversations/999999999999/messages",
                      text_reply("nobody"), NULL);
    itest_assert_problem(r, 404, NULL);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM messages WHERE conversation_id = %lld AND "
                               "direction = 'out'",
                               conversation),
                 0);
}
