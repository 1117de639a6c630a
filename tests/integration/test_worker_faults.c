/* Integration: laris-worker under faults, on the live stack, compared with laris-sim's record of
 * what it accepted (GET /_sim/sent):
 *   - Graph answers 190 (the number's token was replaced at Meta): the number is flagged
 *     'disconnected' (GET /wa-numbers/{id}), its queued messages wait, and PATCH with the right
 *     access_token makes it active and sends each of them once;
 *   - the pair limit: one customer gets the worker's burst at once and then waits, while
 *     another customer of the same number is served at once; laris-sim never answers 131056;
 *   - a worker killed with SIGKILL mid-run: a second worker takes its number over; no text is
 *     sent twice and every message ends accepted, or 'unknown' when it was in flight;
 *   - Redis stopped mid-run and started empty: webhooks are still accepted, replies still
 *     stored, and every reply is sent exactly once after Redis returns (the outbox is replayed);
 *   - PostgreSQL stopped: POST /webhooks/whatsapp answers 503, and 200 once it is back.
 * Each test makes its own tenant, number and customers; the servers it stops are started
 * again, and the stack answers again, before it ends. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "client.h"
#include "db.h"
#include "procs.h"
#include "sim_control.h"

#define MAX_CUSTOMERS 4

static PGconn *conn;
static itest_client_t *owner;
static itest_user_t owner_user;
static char pnid[20], waba[20], token[64];
static long long number;
static char customers[MAX_CUSTOMERS][20];
static long long conversations[MAX_CUSTOMERS], contacts[MAX_CUSTOMERS];

static void sim_ok(const char *method, const char *path, json_t *body)
{
    long status;
    json_decref(itest_sim(method, path, body, &status));
    cr_assert(status == 200 || status == 201, "%s %s: %ld", method, path, status);
}

static const char *app_secret(void)
{
    const char *s = getenv("LARIS_META_APP_SECRET");
    return s && *s ? s : "laris-fixture-app-secret";
}

/* How many sends of our number laris-sim accepted with text body text (NULL: any). */
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

static const char *worker_log(void)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/log/laris-worker.log", getenv("LARIS_STACK_DIR"));
    return path;
}

static long log_size(void)
{
    struct stat st;
    return stat(worker_log(), &st) == 0 ? (long)st.st_size : 0;
}

static int log_count_since(long offset, const char *needle)
{
    FILE *f = fopen(worker_log(), "r");
    cr_assert_not_null(f, "cannot read %s", worker_log());
    fseek(f, offset, SEEK_SET);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof(line), f))
        if (strstr(line, needle))
            n++;
    fclose(f);
    return n;
}

/* Customer i writes to our number through laris-sim; waits for its conversation in Laris. */
static void customer_writes(int i)
{
    char tail[10];
    itest_random_digits(tail, 9);
    snprintf(customers[i], sizeof(customers[i]), "628%s", tail); /* a mobile number */
    sim_ok("POST", "/_sim/inbound",
           json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "from", customers[i], "text",
                     "Halo, ada stok?", "profile_name", "Ibu Test"));
    conversations[i] = -1;
    /* laris-sim delivers webhooks in order: a backlog of status webhooks (the pacing test's)
     * may come first. */
    for (int k = 0; k < 600 && conversations[i] < 0; k++) {
        conversations[i] = itest_sql_int(conn,
                                         "SELECT v.id FROM conversations v JOIN contacts c "
                                         "ON c.tenant_id = v.tenant_id AND c.id = v.contact_id "
                                         "WHERE v.tenant_id = %lld AND c.wa_id = '%s'",
                                         owner_user.tenant_id, customers[i]);
        if (conversations[i] < 0)
            itest_sleep_ms(100);
    }
    cr_assert_gt(conversations[i], 0, "the inbound message never reached Laris");
    contacts[i] = itest_sql_int(conn, "SELECT contact_id FROM conversations WHERE id = %lld",
                                conversations[i]);
}

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(itest_sql(conn, "SET client_min_messages = warning"));

    /* laris-sim's defaults: 80 msg/s per number, pair limit 45 per 6 s. */
    char hook[512];
    snprintf(hook, sizeof(hook), "%s/webhooks/whatsapp", getenv("LARIS_URL"));
    sim_ok("POST", "/_sim/faults", json_pack("{s:s,s:i}", "mode", "none", "count", 0));
    sim_ok("PUT", "/_sim/config",
           json_pack("{s:s,s:s,s:i,s:i,s:i}", "webhook_url", hook, "app_secret", app_secret(),
                     "mps", 80, "pair_burst", 45, "pair_interval_ms", 6000));

    itest_random_digits(pnid, 15);
    char hex[41];
    itest_random_digits(waba, 15);
    itest_random_hex(hex, 20);
    snprintf(token, sizeof(token), "EAAT%s", hex);
    sim_ok("POST", "/_sim/numbers",
           json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "waba_id", waba,
                     "display_phone_number", "6281234567890", "access_token", token));
    owner = itest_owner_session(&owner_user);
    itest_resp_t *r =
        itest_request(owner, "POST", "/api/v1/wa-numbers",
                      json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "waba_id", waba,
                                "display_phone_number", "0812-3456-7890", "access_token", token),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    number = itest_get_int(r, "id");
    customer_writes(0);
}

static void teardown(void)
{
    /* Nothing of this test may go on sending into the next. */
    PQclear(itest_sql(conn,
                      "UPDATE messages SET status = 'failed' WHERE tenant_id = %lld AND "
                      "direction = 'out' AND status = 'queued'",
                      owner_user.tenant_id));
    itest_client_free(owner);
    PQfinish(conn);
}

TestSuite(worker_faults, .init = setup, .fini = teardown, .timeout = 120);

static const char *number_path(void)
{
    static char path[64];
    snprintf(path, sizeof(path), "/api/v1/wa-numbers/%lld", number);
    return path;
}

static const char *number_status(void)
{
    static char status[32];
    itest_resp_t *r = itest_request(owner, "GET", number_path(), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    snprintf(status, sizeof(status), "%s", itest_get_str(r, "status"));
    return status;
}

static void set_number(json_t *body)
{
    itest_resp_t *r = itest_request(owner, "PATCH", number_path(), body, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
}

/* Queues count replies to customer c, bodies "<prefix> <first..first+count-1>", as the API
 * writes them: the messages and their outbox rows in one transaction. */
static void offer(int c, const char *prefix, int first, int count)
{
    PQclear(itest_sql(conn,
                      "WITH m AS ("
                      " INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id,"
                      "  direction, type, body, status, status_at, sent_by)"
                      " SELECT %lld, %lld, %lld, %lld, 'out', 'text', '%s ' || g, 'queued',"
                      "  now(), %lld FROM generate_series(%d, %d) g ORDER BY g"
                      " RETURNING tenant_id, id, wa_number_id)"
                      " INSERT INTO outbox (tenant_id, message_id, wa_number_id)"
                      "  SELECT tenant_id, id, wa_number_id FROM m ORDER BY id",
                      owner_user.tenant_id, conversations[c], contacts[c], number, prefix,
                      owner_user.user_id, first, first + count - 1));
}

/* Replies text to customer c through the API; the message id. */
static long long reply(int c, const char *text)
{
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld/messages", conversations[c]);
    itest_resp_t *r =
        itest_request(owner, "POST", path,
                      json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", text), NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    return itest_get_int(r, "id");
}

/* Our outbound messages whose body starts with prefix and whose status is in statuses (an SQL
 * list). */
static long long count_status(const char *prefix, const char *statuses)
{
    return itest_sql_int(conn,
                         "SELECT count(*) FROM messages WHERE tenant_id = %lld AND "
                         "direction = 'out' AND body LIKE '%s%%' AND status IN (%s)",
                         owner_user.tenant_id, prefix, statuses);
}

#define SENT_STATUSES "'accepted', 'sent', 'delivered', 'read'"

/* Waits up to limit_ms until no message of prefix is queued or sending; true when so. */
static bool wait_settled(const char *prefix, long limit_ms)
{
    for (long waited = 0; waited <= limit_ms; waited += 200) {
        if (count_status(prefix, "'queued', 'sending'") == 0)
            return true;
        itest_sleep_ms(200);
    }
    return false;
}

/* Every text "<prefix> k" (k < count) at most once in laris-sim; returns how many were sent. */
static int assert_each_at_most_once(const char *prefix, int count)
{
    long status;
    json_t *all = itest_sim("GET", "/_sim/sent", NULL, &status);
    cr_assert_eq(status, 200);
    int *seen = calloc((size_t)count, sizeof(int));
    cr_assert_not_null(seen);
    int total = 0;
    json_t *data = json_object_get(all, "data");
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < json_array_size(data); i++) {
        json_t *s = json_array_get(data, i);
        const char *body = json_string_value(
            json_object_get(json_object_get(json_object_get(s, "request"), "text"), "body"));
        if (!body || strncmp(body, prefix, plen) != 0 || body[plen] != ' ')
            continue;
        int k = atoi(body + plen + 1);
        cr_assert(k >= 0 && k < count, "unexpected text %s", body);
        cr_assert_eq(seen[k], 0, "\"%s\" was sent twice", body);
        seen[k] = 1;
        total++;
    }
    free(seen);
    json_decref(all);
    return total;
}

/* "<prefix> <k>" in a static buffer. */
static const char *nth(const char *prefix, int k)
{
    static char text[64];
    snprintf(text, sizeof(text), "%s %d", prefix, k);
    return text;
}

static void unique_prefix(char *out, size_t size, const char *what)
{
    char hex[9];
    itest_random_hex(hex, 4);
    snprintf(out, size, "%s-%s", what, hex);
}

Test(worker_faults, token_expired_flags_the_number_and_a_new_token_resumes)
{
    char prefix[40];
    unique_prefix(prefix, sizeof(prefix), "token");
    /* Laris holds a token laris-sim no longer accepts (as after a token reset at Meta). */
    set_number(json_pack("{s:s}", "access_token", "EAATexpired0000000000"));
    long long first = reply(0, nth(prefix, 0));
    const char *status = "active";
    for (int i = 0; i < 100 && strcmp(status, "disconnected") != 0; i++) {
        status = number_status();
        if (strcmp(status, "disconnected") != 0)
            itest_sleep_ms(100);
    }
    cr_assert_str_eq(status, "disconnected", "the number was not flagged after 190");
    PGresult *res =
        itest_sql(conn, "SELECT status, error_code FROM messages WHERE id = %lld", first);
    cr_assert_str_eq(PQgetvalue(res, 0, 0), "queued", "a message refused with 190 waits");
    cr_assert_str_eq(PQgetvalue(res, 0, 1), "190");
    PQclear(res);

    /* More queued messages wait too; new replies are refused while the number is flagged. */
    offer(0, prefix, 1, 3);
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld/messages", conversations[0]);
    itest_resp_t *r =
        itest_request(owner, "POST", path,
                      json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", "no"), NULL);
    itest_assert_problem(r, 422, NULL);
    itest_sleep_ms(1500);
    cr_assert_eq(count_status(prefix, "'queued'"), 4, "messages of a flagged number were tried");
    cr_assert_eq(sent_count(NULL), 0);

    /* The right token: active again, and every waiting message goes once. */
    set_number(json_pack("{s:s}", "access_token", token));
    cr_assert_str_eq(number_status(), "active");
    cr_assert(wait_settled(prefix, 15000), "the waiting messages were not sent");
    cr_assert_eq(count_status(prefix, SENT_STATUSES), 4);
    cr_assert_eq(assert_each_at_most_once(prefix, 4), 4);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM messages WHERE id = %lld AND "
                               "wamid IS NOT NULL AND error_code IS NULL",
                               first),
                 1);
}

Test(worker_faults, pair_limit_holds_one_customer_back_and_not_the_others)
{
    /* laris-worker allows a burst of 40 per customer, then one per 6 s (LARIS_PAIR_*);
     * laris-sim refuses beyond 45 per 6 s with 131056. */
    customer_writes(1);
    char prefix[40], other[40];
    unique_prefix(prefix, sizeof(prefix), "pair");
    unique_prefix(other, sizeof(other), "other");
    long log_start = log_size();
    offer(0, prefix, 0, 50);
    offer(1, other, 0, 3);
    long long sent = 0;
    for (int i = 0; i < 100 && (sent = count_status(other, SENT_STATUSES)) < 3; i++)
        itest_sleep_ms(100);
    cr_assert_eq(sent, 3, "the other customer waited behind the first one");
    for (int i = 0; i < 50 && count_status(prefix, SENT_STATUSES) < 40; i++)
        itest_sleep_ms(100);
    itest_sleep_ms(1000);
    cr_assert_eq(count_status(prefix, SENT_STATUSES), 40, "not the burst of 40 at once");
    cr_assert_eq(count_status(prefix, "'queued', 'sending'"), 10);
    /* The 41st goes about 6 s after the burst began. */
    for (int i = 0; i < 100 && count_status(prefix, SENT_STATUSES) < 41; i++)
        itest_sleep_ms(100);
    cr_assert_geq(count_status(prefix, SENT_STATUSES), 41, "the pair limit never let one more");
    cr_assert_eq(log_count_since(log_start, "code 131056"), 0, "laris-sim answered 131056");
    assert_each_at_most_once(prefix, 50);
}

Test(worker_faults, killed_worker_loses_nothing_and_sends_nothing_twice, .timeout = 180)
{
    char prefix[40];
    unique_prefix(prefix, sizeof(prefix), "kill");
    set_number(json_pack("{s:i}", "throughput_mps", 10));
    pid_t first = itest_worker_pid();
    const int total = 35; /* below the pair burst: only the kill matters */
    offer(0, prefix, 0, total);
    for (int i = 0; i < 100 && count_status(prefix, SENT_STATUSES) < 5; i++)
        itest_sleep_ms(100);
    cr_assert_geq(count_status(prefix, SENT_STATUSES), 5);
    /* A second worker becomes the stack's; the first, consuming our number, is killed. */
    pid_t second = itest_worker_spawn(first, true);
    cr_assert_gt(second, 0);
    for (int i = 0; i < 100 && itest_worker_pid() != second; i++)
        itest_sleep_ms(100);
    cr_assert_eq(itest_worker_pid(), second, "the second worker did not start");
    itest_sleep_ms(300);
    cr_assert_eq(kill(first, SIGKILL), 0);
    long long at_kill = count_status(prefix, SENT_STATUSES);
    cr_assert_lt(at_kill, total, "everything was sent before the kill");

    /* The lease expires (5 s), the second worker reclaims the jobs; sends in flight at the
     * kill become 'unknown' after the grace period (send timeout + 15 s). */
    cr_assert(wait_settled(prefix, 60000), "messages stayed queued or sending");
    int sent = assert_each_at_most_once(prefix, total);
    long long ok = count_status(prefix, SENT_STATUSES);
    long long unknown = count_status(prefix, "'unknown'");
    fprintf(stderr, "kill -9: %lld sent before the kill, %lld accepted, %lld unknown, %d at sim\n",
            at_kill, ok, unknown, sent);
    cr_assert_eq(count_status(prefix, "'failed'"), 0);
    cr_assert_eq(ok + unknown, total, "messages were lost");
    cr_assert_leq(unknown, 2, "more unknown than could have been in flight");
    cr_assert(sent >= ok && sent <= ok + unknown, "laris-sim's record does not match");
    /* The new worker is the stack's now and goes on sending. */
    unique_prefix(prefix, sizeof(prefix), "after");
    offer(0, prefix, 0, 1);
    cr_assert(wait_settled(prefix, 15000));
    cr_assert_eq(count_status(prefix, SENT_STATUSES), 1);
}

Test(worker_faults, redis_down_and_back_sends_every_reply_once, .timeout = 180)
{
    char prefix[40];
    unique_prefix(prefix, sizeof(prefix), "redis");
    set_number(json_pack("{s:i}", "throughput_mps", 5));
    const int queued_first = 10;
    offer(0, prefix, 0, queued_first);
    for (int i = 0; i < 100 && count_status(prefix, SENT_STATUSES) < 2; i++)
        itest_sleep_ms(100);
    itest_stack_service("redis", "stop");

    /* Redis away: a customer's message is still accepted and stored, a reply still queued. */
    long long inbound_before = itest_sql_int(
        conn, "SELECT count(*) FROM messages WHERE tenant_id = %lld AND direction = 'in'",
        owner_user.tenant_id);
    sim_ok("POST", "/_sim/inbound",
           json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "from", customers[0], "text",
                     "Masih ada?", "profile_name", "Ibu Test"));
    long long inbound = inbound_before;
    for (int i = 0; i < 100 && inbound == inbound_before; i++) {
        inbound = itest_sql_int(
            conn, "SELECT count(*) FROM messages WHERE tenant_id = %lld AND direction = 'in'",
            owner_user.tenant_id);
        if (inbound == inbound_before)
            itest_sleep_ms(100);
    }
    cr_assert_eq(inbound, inbound_before + 1, "the webhook was not stored without Redis");
    reply(0, nth(prefix, queued_first));
    itest_sleep_ms(1500);
    itest_stack_service("redis", "start");

    cr_assert(wait_settled(prefix, 60000), "replies stayed queued after Redis returned");
    cr_assert_eq(count_status(prefix, SENT_STATUSES), queued_first + 1,
                 "some replies were not sent");
    cr_assert_eq(assert_each_at_most_once(prefix, queued_first + 1), queued_first + 1);
}

/* A signed webhook carrying one text from customer 0 with message id wamid. */
static long post_webhook(itest_client_t *c, const char *wamid)
{
    char body[2048];
    int len = snprintf(
        body, sizeof(body),
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"%s\",\"changes\":[{"
        "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
        "\"display_phone_number\":\"6281234567890\",\"phone_number_id\":\"%s\"},\"contacts\":"
        "[{\"profile\":{\"name\":\"Ibu Test\"},\"wa_id\":\"%s\"}],\"messages\":[{\"from\":"
        "\"%s\",\"id\":\"%s\",\"timestamp\":\"%lld\",\"type\":\"text\",\"text\":{\"body\":"
        "\"Halo lagi\"}}]}}]}]}",
        waba, pnid, customers[0], customers[0], wamid, (long long)time(NULL));
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)app_secret(), strlen(app_secret()));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, (size_t)len);
    crypto_auth_hmacsha256_final(&st, mac);
    char header[128] = "X-Hub-Signature-256: sha256=";
    sodium_bin2hex(header + strlen(header), sizeof(header) - strlen(header), mac, sizeof(mac));
    itest_resp_t *r = itest_request_raw(c, "POST", "/webhooks/whatsapp", "application/json", body,
                                        (size_t)len, header, NULL);
    return r->status;
}

/* Waits until /readyz answers 200 five times in a row (every laris-api worker reconnected). */
static void wait_ready(itest_client_t *c)
{
    int in_a_row = 0;
    for (int i = 0; i < 200 && in_a_row < 5; i++) {
        itest_resp_t *r = itest_request(c, "GET", "/readyz", NULL, NULL);
        in_a_row = r->status == 200 ? in_a_row + 1 : 0;
        if (in_a_row < 5)
            itest_sleep_ms(100);
    }
    cr_assert_eq(in_a_row, 5, "the stack did not become ready again");
}

Test(worker_faults, postgres_down_answers_503_then_accepts_again, .timeout = 180)
{
    itest_client_t *meta = itest_client_new();
    char wamid[64], hex[33];
    itest_random_hex(hex, 16);
    snprintf(wamid, sizeof(wamid), "wamid.%s", hex);
    itest_stack_service("postgres", "stop");
    long down = post_webhook(meta, wamid);
    itest_stack_service("postgres", "start");
    cr_assert_eq(down, 503, "a webhook without PostgreSQL must be refused so Meta retries");

    wait_ready(meta);
    long up = 0;
    for (int i = 0; i < 50 && up != 200; i++) {
        up = post_webhook(meta, wamid);
        if (up != 200)
            itest_sleep_ms(200);
    }
    cr_assert_eq(up, 200, "the webhook was not accepted after PostgreSQL returned");
    PQfinish(conn);
    conn = PQconnectdb(getenv("LARIS_DATABASE_SUPER_URL"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM messages WHERE tenant_id = %lld AND "
                               "wamid = '%s'",
                               owner_user.tenant_id, wamid),
                 1);
    /* laris-worker reconnected too: a reply goes out. */
    itest_login_ok(owner, &owner_user);
    char prefix[40];
    unique_prefix(prefix, sizeof(prefix), "pgback");
    reply(0, nth(prefix, 0));
    cr_assert(wait_settled(prefix, 15000));
    cr_assert_eq(count_status(prefix, SENT_STATUSES), 1);
    itest_client_free(meta);
}
