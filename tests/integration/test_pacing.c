/* Integration: laris-worker's pacing and its behaviour under laris-sim's send faults.
 *
 * Pacing: a number with throughput_mps 100 in Laris and laris-sim limiting every number to 100
 * messages per second (a fixed one-second window, answering 130429 beyond it). Replies to 60
 * customers (each below laris-worker's pair limit burst) are offered at 200 per second for 10 s
 * (2,000 messages, written as the superuser exactly as POST /conversations/{id}/messages writes
 * them: a queued message and its outbox row in one transaction), so the worker has a growing
 * backlog; a second laris-worker process runs meanwhile and shares the number's limit (counted
 * in Redis; one of them consumes the number at a time). laris-sim's accepted_at_ms of the
 * steady part (the first and last 100 sends left out) must give 100 msg/s within 2 %, and
 * laris-sim must never have answered 130429 (the workers log every refusal they get).
 * laris-sim's status webhooks of the run are deferred past it.
 *
 * Faults: for rate_limit_burst, server_error, slow and timeout_after_accept, replies go through
 * the API and laris-sim must have accepted each text at most once: retried then accepted for
 * 130429 and for 131000 (retryable in the error map: nothing was sent), accepted for a slow
 * answer, and 'unknown' (never re-sent) when laris-sim accepted but did not answer in time.
 *
 * Each test makes its own tenant and number; laris-sim's global settings (mps, pair_burst,
 * timeout_ms, slow_ms, faults) are put back to its defaults at the end. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "client.h"
#include "db.h"
#include "procs.h"
#include "sim_control.h"

#define PACE_MPS       100
#define OFFER_BATCH    20  /* messages per batch ... */
#define OFFER_EVERY_MS 100 /* ... every 100 ms: 200 msg/s */
#define OFFER_BATCHES  100 /* for 10 s: 2,000 messages */
#define STEADY_SKIP    100 /* sends left out at either end of the measurement */
#define CUSTOMERS      60  /* the offer goes round them: 34 each, below the pair burst */

static PGconn *conn;
static itest_client_t *owner;
static itest_user_t owner_user;
static char pnid[20], customer[20], token[64];
static long long conversation, number;
static long long conversations[CUSTOMERS], contacts[CUSTOMERS];

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sim_ok(const char *method, const char *path, json_t *body)
{
    long status;
    json_decref(itest_sim(method, path, body, &status));
    cr_assert(status == 200 || status == 201, "%s %s: %ld", method, path, status);
}

static void sim_fault(const char *mode, int count)
{
    sim_ok("POST", "/_sim/faults", json_pack("{s:s,s:i}", "mode", mode, "count", count));
}

/* The sends of our number laris-sim accepted, oldest first (caller releases). */
static json_t *our_sends(void)
{
    long status;
    json_t *all = itest_sim("GET", "/_sim/sent", NULL, &status);
    cr_assert_eq(status, 200);
    json_t *ours = json_array();
    json_t *data = json_object_get(all, "data");
    for (size_t i = 0; i < json_array_size(data); i++) {
        json_t *s = json_array_get(data, i);
        if (strcmp(json_string_value(json_object_get(s, "phone_number_id")), pnid) == 0)
            json_array_append(ours, s);
    }
    json_decref(all);
    return ours;
}

static const char *send_text(json_t *s)
{
    return json_string_value(
        json_object_get(json_object_get(json_object_get(s, "request"), "text"), "body"));
}

static int sent_count(const char *text)
{
    json_t *ours = our_sends();
    int n = 0;
    for (size_t i = 0; i < json_array_size(ours); i++) {
        const char *body = send_text(json_array_get(ours, i));
        if (body && strcmp(body, text) == 0)
            n++;
    }
    json_decref(ours);
    return n;
}

/* laris-worker's log: its size now, and how many lines after offset contain needle. */
static const char *worker_log(void)
{
    static char path[512];
    const char *dir = getenv("LARIS_STACK_DIR");
    cr_assert(dir && *dir, "LARIS_STACK_DIR is not set (source the stack.env)");
    snprintf(path, sizeof(path), "%s/log/laris-worker.log", dir);
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

static const char *app_secret(void)
{
    const char *s = getenv("LARIS_META_APP_SECRET");
    return s && *s ? s : "laris-fixture-app-secret";
}

/* laris-sim's defaults (src/sim/state.c) for what these tests change. */
static void sim_defaults(void)
{
    sim_fault("none", 0);
    sim_ok("PUT", "/_sim/config",
           json_pack("{s:i,s:i,s:i,s:i,s:[i,i,i]}", "mps", 80, "pair_burst", 45, "slow_ms", 2000,
                     "timeout_ms", 65000, "status_delays_ms", 50, 100, 200));
}

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(itest_sql(conn, "SET client_min_messages = warning"));

    /* 100 msg/s per number; no pair limit (every reply goes to one customer here). */
    char hook[512];
    snprintf(hook, sizeof(hook), "%s/webhooks/whatsapp", getenv("LARIS_URL"));
    sim_fault("none", 0);
    sim_ok("PUT", "/_sim/config",
           json_pack("{s:s,s:s,s:i,s:i}", "webhook_url", hook, "app_secret", app_secret(), "mps",
                     PACE_MPS, "pair_burst", 0));

    itest_random_digits(pnid, 15);
    char waba[20], hex[41];
    itest_random_digits(waba, 15);
    itest_random_hex(hex, 20);
    snprintf(token, sizeof(token), "EAAT%s", hex);
    char tail[10];
    itest_random_digits(tail, 9);
    snprintf(customer, sizeof(customer), "628%s", tail); /* a mobile number */
    sim_ok("POST", "/_sim/numbers",
           json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "waba_id", waba,
                     "display_phone_number", "6281234567890", "access_token", token));

    owner = itest_owner_session(&owner_user);
    itest_resp_t *r =
        itest_request(owner, "POST", "/api/v1/wa-numbers",
                      json_pack("{s:s,s:s,s:s,s:s,s:i}", "phone_number_id", pnid, "waba_id", waba,
                                "display_phone_number", "0812-3456-7890", "access_token", token,
                                "throughput_mps", PACE_MPS),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    number = itest_get_int(r, "id");

    sim_ok("POST", "/_sim/inbound",
           json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "from", customer, "text",
                     "Halo, ada stok?", "profile_name", "Ibu Test"));
    conversation = -1;
    /* laris-sim delivers webhooks in order: status webhooks of earlier sends may come first. */
    for (int i = 0; i < 600 && conversation < 0; i++) {
        conversation = itest_sql_int(conn,
                                     "SELECT v.id FROM conversations v JOIN contacts c "
                                     "ON c.tenant_id = v.tenant_id AND c.id = v.contact_id "
                                     "WHERE v.tenant_id = %lld AND c.wa_id = '%s'",
                                     owner_user.tenant_id, customer);
        if (conversation < 0)
            itest_sleep_ms(100);
    }
    cr_assert_gt(conversation, 0, "the inbound message never reached Laris");
    cr_assert_eq(
        itest_sql_int(conn, "SELECT wa_number_id FROM conversations WHERE id = %lld", conversation),
        number);
}

static void teardown(void)
{
    sim_defaults();
    itest_client_free(owner);
    PQfinish(conn);
}

TestSuite(pacing, .init = setup, .fini = teardown, .timeout = 90);

/* CUSTOMERS customers write to our number through laris-sim (which opens their service
 * windows); their conversations and contacts go into conversations[] and contacts[]. */
static void customers_write(void)
{
    char wa_ids[CUSTOMERS][20];
    for (int i = 0; i < CUSTOMERS; i++) {
        char tail[10];
        itest_random_digits(tail, 9);
        snprintf(wa_ids[i], sizeof(wa_ids[i]), "628%s", tail); /* a mobile number */
        sim_ok("POST", "/_sim/inbound",
               json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "from", wa_ids[i], "text",
                         "Halo", "profile_name", "Pelanggan"));
    }
    for (int i = 0; i < CUSTOMERS; i++) {
        conversations[i] = -1;
        for (int k = 0; k < 300 && conversations[i] < 0; k++) {
            conversations[i] = itest_sql_int(conn,
                                             "SELECT v.id FROM conversations v JOIN contacts c "
                                             "ON c.tenant_id = v.tenant_id AND c.id = v.contact_id "
                                             "WHERE v.tenant_id = %lld AND c.wa_id = '%s'",
                                             owner_user.tenant_id, wa_ids[i]);
            if (conversations[i] < 0)
                itest_sleep_ms(100);
        }
        cr_assert_gt(conversations[i], 0, "customer %d never reached Laris", i);
        contacts[i] = itest_sql_int(conn, "SELECT contact_id FROM conversations WHERE id = %lld",
                                    conversations[i]);
    }
}

/* An SQL array literal of ids. */
static const char *id_array(const long long *ids, int n)
{
    static char out[CUSTOMERS * 24 + 16];
    size_t used = (size_t)snprintf(out, sizeof(out), "ARRAY[");
    for (int i = 0; i < n; i++)
        used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%lld", i ? "," : "", ids[i]);
    snprintf(out + used, sizeof(out) - used, "]::bigint[]");
    return out;
}

/* Queues count replies with bodies "<prefix> <first..first+count-1>" as the API would (the
 * messages and their outbox rows in one transaction), reply g to customer g % CUSTOMERS. */
static void offer(const char *prefix, int first, int count)
{
    char convs[CUSTOMERS * 24 + 16];
    snprintf(convs, sizeof(convs), "%s", id_array(conversations, CUSTOMERS));
    PQclear(itest_sql(conn,
                      "WITH m AS ("
                      " INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id,"
                      "  direction, type, body, payload, status, status_at, sent_by)"
                      " SELECT %lld, (%s)[g %% %d + 1], (%s)[g %% %d + 1], %lld, 'out', 'text',"
                      "  '%s ' || g, NULL, 'queued', now(), %lld"
                      "  FROM generate_series(%d, %d) g ORDER BY g"
                      " RETURNING tenant_id, id, wa_number_id)"
                      " INSERT INTO outbox (tenant_id, message_id, wa_number_id)"
                      "  SELECT tenant_id, id, wa_number_id FROM m ORDER BY id",
                      owner_user.tenant_id, convs, CUSTOMERS, id_array(contacts, CUSTOMERS),
                      CUSTOMERS, number, prefix, owner_user.user_id, first, first + count - 1));
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

Test(pacing, hundred_per_second_from_a_200_per_second_offer_with_two_workers)
{
    char prefix[40], hex[9];
    itest_random_hex(hex, 4);
    snprintf(prefix, sizeof(prefix), "pace-%s", hex);
    const int total = OFFER_BATCH * OFFER_BATCHES;
    customers_write();
    /* The 6,000 status webhooks of these sends come after the run (as in scripts/bench/send):
     * the figure is the pacing's, not laris-sim's and laris-api's CPU shared with them. */
    sim_ok("PUT", "/_sim/config",
           json_pack("{s:[i,i,i]}", "status_delays_ms", 600000, 600000, 600000));
    pid_t second = itest_worker_spawn(itest_worker_pid(), false);
    long log_start = log_size();

    long long start = now_ms();
    for (int b = 0; b < OFFER_BATCHES; b++) {
        offer(prefix, b * OFFER_BATCH, OFFER_BATCH);
        long long due = start + (long long)(b + 1) * OFFER_EVERY_MS;
        long long left = due - now_ms();
        if (left > 0)
            itest_sleep_ms((long)left);
    }
    long long offered_ms = now_ms() - start;

    /* The worker drains at ~100/s: ~20 s from the first offer. */
    long long done = -1;
    for (int i = 0; i < 300 && done != total; i++) {
        done = itest_sql_int(conn,
                             "SELECT count(*) FROM messages WHERE tenant_id = %lld AND "
                             "body LIKE '%s %%' AND status NOT IN ('queued', 'sending')",
                             owner_user.tenant_id, prefix);
        if (done != total)
            itest_sleep_ms(100);
    }
    cr_assert_eq(kill(second, SIGTERM), 0);
    cr_assert_eq(waitpid(second, NULL, 0), second);
    cr_assert_lt(offered_ms, 11000, "offering 2,000 replies took %lld ms", offered_ms);
    cr_assert_eq(done, total, "only %lld of %d replies were sent in time", done, total);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM messages WHERE tenant_id = %lld AND "
                               "body LIKE '%s %%' AND status IN ('failed', 'unknown')",
                               owner_user.tenant_id, prefix),
                 0, "some replies failed");

    json_t *ours = our_sends();
    size_t n = json_array_size(ours);
    cr_assert_eq(n, (size_t)total, "laris-sim accepted %zu sends for %d replies", n, total);
    long long *at = calloc(n, sizeof(*at));
    cr_assert_not_null(at);
    char seen_name[64];
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(ours, i);
        at[i] = json_integer_value(json_object_get(s, "accepted_at_ms"));
        const char *body = send_text(s);
        cr_assert(body && strncmp(body, prefix, strlen(prefix)) == 0);
    }
    /* Every text once: the numbers after the prefix are 0..total-1, each once. */
    char *seen = calloc((size_t)total, 1);
    cr_assert_not_null(seen);
    for (size_t i = 0; i < n; i++) {
        int k = atoi(send_text(json_array_get(ours, i)) + strlen(prefix) + 1);
        cr_assert(k >= 0 && k < total);
        snprintf(seen_name, sizeof(seen_name), "%s %d", prefix, k);
        cr_assert_eq(seen[k], 0, "\"%s\" was sent twice", seen_name);
        seen[k] = 1;
    }
    free(seen);
    json_decref(ours);

    qsort(at, n, sizeof(*at), cmp_ll);
    size_t first = STEADY_SKIP, last = n - 1 - STEADY_SKIP;
    double rate = (double)(last - first) * 1000.0 / (double)(at[last] - at[first]);
    long long max_gap = 0;
    for (size_t i = first + 1; i <= last; i++)
        if (at[i] - at[i - 1] > max_gap)
            max_gap = at[i] - at[i - 1];
    long long whole = at[n - 1] - at[0];
    free(at);
    int refused = log_count_since(log_start, "code 130429");
    fprintf(stderr,
            "pacing: %d sends in %lld ms, steady %.2f msg/s over sends %zu..%zu, largest gap "
            "%lld ms, 130429 answers %d\n",
            total, whole, rate, first, last, max_gap, refused);
    cr_assert_eq(refused, 0, "laris-sim answered 130429 %d times", refused);
    cr_assert(rate >= PACE_MPS * 0.98 && rate <= PACE_MPS * 1.02,
              "steady rate %.2f msg/s is not within 2 %% of %d", rate, PACE_MPS);
}

static const char *messages_path(long long id)
{
    static char path[96];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld/messages", id);
    return path;
}

/* Replies text through the API; the message id. */
static long long reply(const char *text)
{
    itest_resp_t *r =
        itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", text), NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    return itest_get_int(r, "id");
}

/* Waits up to limit_ms for message id to leave queued/sending; its status (static). */
static const char *final_status(long long id, long limit_ms)
{
    static char status[32];
    for (long waited = 0; waited <= limit_ms; waited += 100) {
        PGresult *res = itest_sql(conn, "SELECT status FROM messages WHERE id = %lld", id);
        cr_assert_eq(PQntuples(res), 1);
        snprintf(status, sizeof(status), "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        if (strcmp(status, "queued") != 0 && strcmp(status, "sending") != 0)
            return status;
        itest_sleep_ms(100);
    }
    return status;
}

static bool sent_ok(const char *status)
{
    return strcmp(status, "accepted") == 0 || strcmp(status, "sent") == 0 ||
           strcmp(status, "delivered") == 0 || strcmp(status, "read") == 0;
}

static void unique_text(char *out, size_t size, const char *mode)
{
    char hex[9];
    itest_random_hex(hex, 4);
    snprintf(out, size, "fault %s %s", mode, hex);
}

Test(pacing, rate_limit_burst_is_retried_then_accepted_once)
{
    char text[64];
    unique_text(text, sizeof(text), "rate_limit_burst");
    long log_start = log_size();
    sim_fault("rate_limit_burst", 2);
    long long id = reply(text);
    const char *status = final_status(id, 15000);
    cr_assert(sent_ok(status), "status %s", status);
    cr_assert_eq(log_count_since(log_start, "code 130429"), 2, "two 130429 answers expected");
    itest_sleep_ms(300);
    cr_assert_eq(sent_count(text), 1);
    cr_assert_eq(
        itest_sql_int(conn,
                      "SELECT count(*) FROM messages WHERE id = %lld AND wamid IS NOT NULL "
                      "AND error_code IS NULL",
                      id),
        1);
}

Test(pacing, server_error_is_retried_then_accepted_once)
{
    /* 131000 is retryable in the error map (src/wa/errors.c): Meta says nothing was sent. */
    char text[64];
    unique_text(text, sizeof(text), "server_error");
    long log_start = log_size();
    sim_fault("server_error", 1);
    long long id = reply(text);
    const char *status = final_status(id, 15000);
    cr_assert(sent_ok(status), "status %s", status);
    cr_assert_eq(log_count_since(log_start, "code 131000"), 1);
    itest_sleep_ms(300);
    cr_assert_eq(sent_count(text), 1);
}

Test(pacing, slow_answer_is_accepted_once)
{
    sim_ok("PUT", "/_sim/config", json_pack("{s:i}", "slow_ms", 1000));
    char text[64];
    unique_text(text, sizeof(text), "slow");
    sim_fault("slow", 1);
    long long id = reply(text);
    const char *status = final_status(id, 15000);
    cr_assert(sent_ok(status), "status %s", status);
    itest_sleep_ms(300);
    cr_assert_eq(sent_count(text), 1);
}

Test(pacing, timeout_after_accept_is_unknown_and_never_resent)
{
    /* laris-sim accepts, then holds the answer longer than laris-worker waits
     * (LARIS_GRAPH_TIMEOUT_MS, 5 s on the test stack). */
    sim_ok("PUT", "/_sim/config", json_pack("{s:i}", "timeout_ms", 7000));
    char text[64];
    unique_text(text, sizeof(text), "timeout_after_accept");
    sim_fault("timeout_after_accept", 1);
    long long id = reply(text);
    const char *status = final_status(id, 15000);
    cr_assert_str_eq(status, "unknown");
    cr_assert_eq(sent_count(text), 1, "laris-sim accepted it once");
    /* Never sent again: a later reply goes, this one stays unknown and single. */
    char later[64];
    unique_text(later, sizeof(later), "after_timeout");
    long long next = reply(later);
    cr_assert(sent_ok(final_status(next, 15000)));
    cr_assert_eq(sent_count(text), 1, "resent after the timeout");
    cr_assert_str_eq(final_status(id, 0), "unknown");
}
