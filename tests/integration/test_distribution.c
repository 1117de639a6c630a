/* Integration: distribution. Fair round robin from several laris-worker processes at once
 * (1,000 chats over 5 agents of different capacities), waiting chats assigned oldest first when
 * an agent comes online or frees a place, chats of an agent offline past the grace period given
 * to others, two agents replying at once (exactly one 202), claim/transfer/escalate with roles,
 * hostile input and other tenants (404), and the settings' validation.
 *
 * Fair share (the README's definition): equal shares of the N chats, each capped by the agent's
 * capacity (max_chats), the excess of a capped agent spread evenly over the others, repeatedly
 * ("water filling"). Round robin among agents under capacity, least recently assigned first,
 * reaches it within one chat. max_chats is at most 200, so 1,000 open chats cannot fit 5 agents
 * of different capacities: the chats come in two waves of 500, the first resolved before the
 * second, and an agent's fair share is the sum of its shares of each wave. Chats are written as
 * the superuser (contacts and conversations, as the webhook path writes them; resolving too,
 * which the inbox API owns); everything else goes through the API. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "laris/kv.h"
#include "db.h"
#include "procs.h"

#define AGENTS        5
#define CHATS         1000
#define WAVES         2
#define EXTRA_WORKERS 3

static PGconn *conn;

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(itest_sql(conn, "SET client_min_messages = warning"));
}

/* laris-worker processes a test started and has not stopped yet (teardown stops them when an
 * assertion ended the test first). */
static pid_t started_workers[EXTRA_WORKERS];

static void teardown(void)
{
    for (int i = 0; i < EXTRA_WORKERS; i++)
        if (started_workers[i] > 0) {
            kill(started_workers[i], SIGTERM);
            waitpid(started_workers[i], NULL, 0);
            started_workers[i] = 0;
        }
    PQfinish(conn);
}

TestSuite(distribution, .init = setup, .fini = teardown, .timeout = 180);

/* n waiting chats of tenant, each with its own contact, opened one second apart (the first the
 * oldest); returns the first conversation id (the others follow in order). */
static long long make_chats(long long tenant, int n)
{
    char prefix[8];
    itest_random_digits(prefix, 6);
    PQclear(itest_sql(conn,
                      "INSERT INTO contacts (tenant_id, wa_id, last_inbound_at) "
                      "SELECT %lld, '62%s' || lpad(i::text, 5, '0'), now() "
                      "FROM generate_series(1, %d) i",
                      tenant, prefix, n));
    PQclear(itest_sql(conn,
                      "INSERT INTO conversations (tenant_id, contact_id, wa_number_id, opened_at, "
                      "last_message_at) "
                      "SELECT c.tenant_id, c.id, (SELECT max(id) FROM wa_numbers "
                      "WHERE tenant_id = %lld), now() - make_interval(secs => %d - "
                      "right(c.wa_id, 5)::int), now() FROM contacts c "
                      "WHERE c.tenant_id = %lld AND c.wa_id LIKE '62%s%%' ORDER BY c.wa_id",
                      tenant, n, tenant, prefix));
    return itest_sql_int(conn,
                         "SELECT min(v.id) FROM conversations v JOIN contacts c ON c.id = "
                         "v.contact_id WHERE v.tenant_id = %lld AND c.wa_id LIKE '62%s%%'",
                         tenant, prefix);
}

static void put_settings(itest_client_t *owner, json_t *body)
{
    itest_resp_t *r = itest_request(owner, "PUT", "/api/v1/settings", body, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
}

static void set_max_chats(itest_client_t *owner, const itest_user_t *u, int max)
{
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/users/%lld", u->user_id);
    itest_resp_t *r =
        itest_request(owner, "PATCH", path, json_pack("{s:i}", "max_chats", max), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
}

static void set_presence(itest_client_t *c, const char *presence)
{
    itest_resp_t *r = itest_request(c, "PUT", "/api/v1/me/presence",
                                    json_pack("{s:s}", "presence", presence), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits up to seconds for the formatted count query to reach want; returns the last count. */
static long long wait_count(int seconds, long long want, const char *sql)
{
    long long n = -1;
    for (int i = 0; i < seconds * 10; i++) {
        n = itest_sql_int(conn, "%s", sql);
        if (n == want)
            break;
        itest_sleep_ms(100);
    }
    return n;
}

static pid_t start_worker(void)
{
    const char *host = getenv("PGHOST"), *port = getenv("PGPORT");
    cr_assert(host && port, "PGHOST/PGPORT are not set (source the stack.env)");
    char url[512], log[512];
    snprintf(url, sizeof(url), "postgresql://laris_worker@/laris?host=%s&port=%s", host, port);
    /* Its log joins the stack's, which scripts/test scans for sanitizer reports. */
    snprintf(log, sizeof(log), "%s/log/laris-worker-itest.log",
             getenv("LARIS_STACK_DIR") ? getenv("LARIS_STACK_DIR") : ".");
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        setenv("LARIS_WORKER_DATABASE_URL", url, 1);
        const char *sim = getenv("LARIS_SIM_URL");
        setenv("LARIS_GRAPH_URL", sim ? sim : "", 1);
        unsetenv("LARIS_WORKER_PIDFILE");
        execl(LARIS_BINARY_DIR "/laris-worker", "laris-worker", (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void stop_worker(pid_t *slot)
{
    int status = 0;
    pid_t pid = *slot;
    *slot = 0;
    cr_assert_eq(kill(pid, SIGTERM), 0);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "laris-worker %d ended with %d",
              (int)pid, status);
}

/* How many laris-worker processes logged assigning chats of tenant t (the stack's and ours). */
static int assigning_processes(long long t)
{
    static const char *const logs[] = {"laris-worker.log", "laris-worker-itest.log"};
    char needle[64], path[512], line[2048];
    long pids[64];
    int n = 0;
    snprintf(needle, sizeof(needle), "chats of tenant %lld\"", t);
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/log/%s", getenv("LARIS_STACK_DIR"), logs[i]);
        FILE *f = fopen(path, "r");
        cr_assert_not_null(f, "cannot read %s", path);
        while (fgets(line, sizeof(line), f)) {
            const char *pid = strstr(line, "\"pid\":");
            if (!strstr(line, needle) || !pid)
                continue;
            long p = strtol(pid + 6, NULL, 10);
            bool seen = false;
            for (int k = 0; k < n; k++)
                seen = seen || pids[k] == p;
            if (!seen && n < 64)
                pids[n++] = p;
        }
        fclose(f);
    }
    return n;
}

/* Water filling: equal shares of total, capped by cap[], the excess spread over the others. */
static void fair_shares(const int *cap, int n, int total, double *share)
{
    bool fixed[AGENTS] = {false};
    double left = total;
    int open = n;
    for (bool changed = true; changed && open > 0;) {
        changed = false;
        double each = left / open;
        for (int i = 0; i < n; i++)
            if (!fixed[i] && cap[i] <= each) {
                share[i] = cap[i];
                fixed[i] = true;
                left -= cap[i];
                open--;
                changed = true;
            }
    }
    for (int i = 0; i < n; i++)
        if (!fixed[i])
            share[i] = left / open;
}

Test(distribution, fair_round_robin_from_several_workers)
{
    static const int caps[AGENTS] = {20, 60, 200, 200, 200};
    itest_user_t owner_user, agents[AGENTS];
    itest_client_t *owner = itest_owner_session(&owner_user);
    long long t = owner_user.tenant_id;
    put_settings(owner, json_pack("{s:s}", "distribution_mode", "manual"));
    for (int i = 0; i < AGENTS; i++) {
        itest_create_user(owner, "agent", &agents[i]);
        set_max_chats(owner, &agents[i], caps[i]);
        itest_client_t *c = itest_user_session(&agents[i]);
        set_presence(c, "online");
        itest_client_free(c);
    }
    make_chats(t, CHATS / WAVES);

    pid_t *workers = started_workers;
    for (int i = 0; i < EXTRA_WORKERS; i++)
        workers[i] = start_worker();
    itest_sleep_ms(500); /* let them connect: all start on the same switch */
    put_settings(owner, json_pack("{s:s}", "distribution_mode", "round_robin"));
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND assignee_id IS NULL",
             t);
    long long started = now_ms();
    long long waiting = wait_count(60, 0, sql);
    printf("distribution: wave 1 of %d chats assigned in %lld ms\n", CHATS / WAVES,
           now_ms() - started);
    for (int wave = 1; wave < WAVES && waiting == 0; wave++) {
        PQclear(itest_sql(conn,
                          "UPDATE conversations SET status = 'resolved', resolved_at = now() "
                          "WHERE tenant_id = %lld",
                          t));
        started = now_ms();
        make_chats(t, CHATS / WAVES);
        waiting = wait_count(60, 0, sql);
        printf("distribution: wave %d of %d chats assigned in %lld ms\n", wave + 1, CHATS / WAVES,
               now_ms() - started);
    }
    for (int i = 0; i < EXTRA_WORKERS; i++)
        stop_worker(&workers[i]);
    cr_assert_eq(waiting, 0, "%lld chats were never assigned", waiting);
    cr_assert_geq(assigning_processes(t), 2, "the chats were not assigned by several processes");

    double share[AGENTS];
    fair_shares(caps, AGENTS, CHATS / WAVES, share);
    for (int i = 0; i < AGENTS; i++)
        share[i] *= WAVES;
    for (int i = 0; i < AGENTS; i++) {
        long long got = itest_sql_int(
            conn,
            "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND assignee_id = %lld", t,
            agents[i].user_id);
        long long open = itest_sql_int(conn,
                                       "SELECT count(*) FROM conversations WHERE tenant_id = %lld "
                                       "AND assignee_id = %lld AND status <> 'resolved'",
                                       t, agents[i].user_id);
        cr_assert(open <= caps[i], "agent %d has %lld open chats, capacity %d", i, open, caps[i]);
        cr_assert((double)got >= share[i] - 1 && (double)got <= share[i] + 1,
                  "agent %d (capacity %d) got %lld chats, fair share %.1f", i, caps[i], got,
                  share[i]);
    }
    /* No chat assigned twice: one 'auto' row per chat, naming its owner. */
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_assignments WHERE tenant_id = "
                               "%lld",
                               t),
                 CHATS);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(DISTINCT conversation_id) FROM "
                               "conversation_assignments WHERE tenant_id = %lld AND reason = "
                               "'auto'",
                               t),
                 CHATS);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_assignments a JOIN "
                               "conversations v ON v.tenant_id = a.tenant_id AND v.id = "
                               "a.conversation_id WHERE a.tenant_id = %lld AND a.to_user_id = "
                               "v.assignee_id",
                               t),
                 CHATS);
    itest_client_free(owner);
}

Test(distribution, waiting_chats_go_oldest_first_when_an_agent_comes_online_or_frees_a_place)
{
    itest_user_t owner_user, agent;
    itest_client_t *owner = itest_owner_session(&owner_user);
    long long t = owner_user.tenant_id;
    itest_create_user(owner, "agent", &agent);
    set_max_chats(owner, &agent, 2);
    long long first = make_chats(t, 4);
    itest_sleep_ms(700);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND "
                               "assignee_id IS NOT NULL",
                               t),
                 0, "chats were assigned with nobody online");

    itest_client_t *c = itest_user_session(&agent);
    set_presence(c, "online");
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND assignee_id = %lld", t,
             agent.user_id);
    cr_assert_eq(wait_count(10, 2, sql), 2);
    itest_sleep_ms(300);
    cr_assert_eq(itest_sql_int(conn, "%s", sql), 2, "capacity 2 exceeded");
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND "
                               "assignee_id = %lld AND id IN (%lld, %lld)",
                               t, agent.user_id, first, first + 1),
                 2, "the two oldest chats were not the ones assigned");

    /* Resolving one frees a place: the next oldest follows. */
    PQclear(itest_sql(conn,
                      "UPDATE conversations SET status = 'resolved', resolved_at = now() "
                      "WHERE tenant_id = %lld AND id = %lld",
                      t, first));
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND id = %lld AND "
             "assignee_id = %lld",
             t, first + 2, agent.user_id);
    cr_assert_eq(wait_count(10, 1, sql), 1, "the third oldest chat was not assigned");
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND "
                               "id = %lld AND assignee_id IS NULL",
                               t, first + 3),
                 1);
    itest_client_free(c);
    itest_client_free(owner);
}

Test(distribution, offline_agent_chats_go_to_others_after_the_grace_period)
{
    itest_user_t owner_user, a, b;
    itest_client_t *owner = itest_owner_session(&owner_user);
    long long t = owner_user.tenant_id;
    put_settings(owner, json_pack("{s:i}", "offline_grace_seconds", 2));
    itest_create_user(owner, "agent", &a);
    itest_client_t *ca = itest_user_session(&a);
    set_presence(ca, "online");
    make_chats(t, 3);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND assignee_id = %lld", t,
             a.user_id);
    cr_assert_eq(wait_count(10, 3, sql), 3);

    itest_create_user(owner, "agent", &b);
    itest_client_t *cb = itest_user_session(&b);
    set_presence(cb, "online");
    set_presence(ca, "offline");
    itest_sleep_ms(1000);
    cr_assert_eq(itest_sql_int(conn, "%s", sql), 3, "redistributed before the grace period");
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND assignee_id = %lld", t,
             b.user_id);
    cr_assert_eq(wait_count(10, 3, sql), 3, "the offline agent's chats did not reach the other");
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_assignments WHERE tenant_id = "
                               "%lld AND reason = 'redistribute' AND from_user_id = %lld",
                               t, a.user_id),
                 3);
    itest_client_free(ca);
    itest_client_free(cb);
    itest_client_free(owner);
}

/* Deletes keys of tenant t's Redis distribution state (names: "rr", "load", ... NULL-ended). */
static void forget_redis(long long t, const char *const *names)
{
    laris_kv_t *kv = laris_kv_create(getenv("REDIS_URL") ? getenv("REDIS_URL") : "");
    laris_arena_t *a = laris_arena_create(4096);
    laris_err_t err;
    laris_err_init(&err, a);
    for (size_t i = 0; names[i]; i++) {
        char key[96];
        snprintf(key, sizeof(key), "laris:{t:%lld}:%s", t, names[i]);
        cr_assert_eq(laris_kv_del(kv, key, &err), LARIS_OK, "Redis: %s", err.detail);
    }
    laris_arena_destroy(a);
    laris_kv_destroy(kv);
}

Test(distribution, lost_redis_state_is_rebuilt_from_postgresql)
{
    itest_user_t owner_user, a, b;
    itest_client_t *owner = itest_owner_session(&owner_user);
    long long t = owner_user.tenant_id;
    itest_create_user(owner, "agent", &a);
    itest_create_user(owner, "agent", &b);
    set_max_chats(owner, &a, 2);
    itest_client_t *ca = itest_user_session(&a), *cb = itest_user_session(&b);
    set_presence(ca, "online");
    set_presence(cb, "online");
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND assignee_id IS NULL",
             t);
    make_chats(t, 4);
    cr_assert_eq(wait_count(10, 0, sql), 0);

    /* The loads lost: Redis would think a full agent free; rebuilt, a stays at its capacity. */
    static const char *const loads[] = {"load", NULL};
    forget_redis(t, loads);
    make_chats(t, 4);
    cr_assert_eq(wait_count(10, 0, sql), 0);
    /* Everything lost (a flushed or new Redis). */
    static const char *const all[] = {"rr", "load", "cap", "ver", "seq", NULL};
    forget_redis(t, all);
    make_chats(t, 2);
    cr_assert_eq(wait_count(10, 0, sql), 0);

    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND "
                               "assignee_id = %lld",
                               t, a.user_id),
                 2, "capacity exceeded after Redis lost its state");
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversations WHERE tenant_id = %lld AND "
                               "assignee_id = %lld",
                               t, b.user_id),
                 8);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(DISTINCT conversation_id) FROM "
                               "conversation_assignments WHERE tenant_id = %lld",
                               t),
                 itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_assignments WHERE tenant_id = "
                               "%lld",
                               t));
    itest_client_free(ca);
    itest_client_free(cb);
    itest_client_free(owner);
}

/* ---- replies, claim, transfer, escalate ---- */

typedef struct {
    itest_client_t *client;
    const char *path;
    pthread_barrier_t *start;
    long status;
    char owner[96];
    char body[512];
} racer_t;

static void *race_reply(void *arg)
{
    racer_t *r = arg;
    pthread_barrier_wait(r->start);
    itest_resp_t *resp = itest_request(
        r->client, "POST", r->path,
        json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", "Halo, saya bantu ya"), NULL);
    r->status = resp->status;
    snprintf(r->body, sizeof(r->body), "%s", resp->body);
    json_t *owner = resp->json ? json_object_get(resp->json, "owner") : NULL;
    snprintf(r->owner, sizeof(r->owner), "%s",
             json_is_string(owner) ? json_string_value(owner) : "");
    return NULL;
}

/* A tenant in manual mode with a connected number, a supervisor and two agents online. */
typedef struct {
    itest_user_t owner, sup, x, y;
    itest_client_t *co, *cs, *cx, *cy;
} team_t;

static void make_team(team_t *tm)
{
    tm->co = itest_owner_session(&tm->owner);
    put_settings(tm->co, json_pack("{s:s}", "distribution_mode", "manual"));
    char pnid[16];
    itest_random_digits(pnid, 15);
    PQclear(itest_sql(conn,
                      "INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id, "
                      "access_token_enc) VALUES (%lld, '%s', '%s', '\\x0102'::bytea)",
                      tm->owner.tenant_id, pnid, pnid));
    itest_create_user(tm->co, "supervisor", &tm->sup);
    itest_create_user(tm->co, "agent", &tm->x);
    itest_create_user(tm->co, "agent", &tm->y);
    tm->cs = itest_user_session(&tm->sup);
    tm->cx = itest_user_session(&tm->x);
    tm->cy = itest_user_session(&tm->y);
    set_presence(tm->cx, "online");
    set_presence(tm->cy, "online");
}

static void free_team(team_t *tm)
{
    itest_client_free(tm->co);
    itest_client_free(tm->cs);
    itest_client_free(tm->cx);
    itest_client_free(tm->cy);
}

static const char *conv_path(long long id, const char *action)
{
    static char path[4][96];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 96, "/api/v1/conversations/%lld/%s", id, action);
    return p;
}

Test(distribution, two_agents_replying_at_once_exactly_one_gets_the_chat)
{
    team_t tm;
    make_team(&tm);
    long long first = make_chats(tm.owner.tenant_id, 5);
    for (long long id = first; id < first + 5; id++) {
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, 2);
        racer_t rx = {tm.cx, conv_path(id, "messages"), &start, 0, "", ""};
        racer_t ry = {tm.cy, conv_path(id, "messages"), &start, 0, "", ""};
        pthread_t a, b;
        pthread_create(&a, NULL, race_reply, &rx);
        pthread_create(&b, NULL, race_reply, &ry);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        pthread_barrier_destroy(&start);
        cr_assert((rx.status == 202 && ry.status == 409) || (rx.status == 409 && ry.status == 202),
                  "chat %lld: %ld %s and %ld %s", id, rx.status, rx.body, ry.status, ry.body);
        const itest_user_t *winner = rx.status == 202 ? &tm.x : &tm.y;
        cr_assert_str_eq(rx.status == 409 ? rx.owner : ry.owner, winner->name, "%s",
                         rx.status == 409 ? rx.body : ry.body);
        cr_assert_eq(
            itest_sql_int(conn, "SELECT assignee_id FROM conversations WHERE id = %lld", id),
            winner->user_id);
        cr_assert_eq(itest_sql_int(conn,
                                   "SELECT count(*) FROM messages WHERE conversation_id = %lld "
                                   "AND direction = 'out'",
                                   id),
                     1);
        cr_assert_eq(itest_sql_int(conn,
                                   "SELECT count(*) FROM conversation_assignments WHERE "
                                   "conversation_id = %lld AND reason = 'claim'",
                                   id),
                     1);
    }
    /* A supervisor's reply in an owned chat goes out as the supervisor's. */
    itest_resp_t *r = itest_request(
        tm.cs, "POST", conv_path(first, "messages"),
        json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", "Dari supervisor"), NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "sent_by"), tm.sup.user_id);
    free_team(&tm);
}

Test(distribution, claim_transfer_escalate_with_roles_and_tenants)
{
    team_t tm;
    make_team(&tm);
    long long c1 = make_chats(tm.owner.tenant_id, 1);

    itest_resp_t *r = itest_request(tm.cx, "POST", conv_path(c1, "claim"), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "assignee_id"), tm.x.user_id);
    r = itest_request(tm.cy, "POST", conv_path(c1, "claim"), NULL, NULL);
    itest_assert_problem(r, 409, NULL);
    cr_assert_str_eq(itest_get_str(r, "owner"), tm.x.name);
    r = itest_request(tm.cx, "POST", conv_path(c1, "claim"), NULL, NULL);
    cr_assert_eq(r->status, 200, "claiming one's own chat again: %s", r->body);

    /* Transfer: the owner or a supervisor, to an active agent only. */
    r = itest_request(tm.cy, "POST", conv_path(c1, "transfer"),
                      json_pack("{s:I}", "user_id", (json_int_t)tm.y.user_id), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(tm.cx, "POST", conv_path(c1, "transfer"),
                      json_pack("{s:I}", "user_id", (json_int_t)tm.sup.user_id), NULL);
    itest_assert_problem(r, 422, "user_id");
    r = itest_request(tm.cx, "POST", conv_path(c1, "transfer"), json_pack("{s:s}", "user_id", "2"),
                      NULL);
    itest_assert_problem(r, 422, "user_id");
    r = itest_request(tm.cx, "POST", conv_path(c1, "transfer"),
                      json_pack("{s:I}", "user_id", (json_int_t)9000000000000LL), NULL);
    itest_assert_problem(r, 422, "user_id");
    set_presence(tm.cy, "offline");
    r = itest_request(tm.cx, "POST", conv_path(c1, "transfer"),
                      json_pack("{s:I}", "user_id", (json_int_t)tm.y.user_id), NULL);
    itest_assert_problem(r, 422, "user_id");
    set_presence(tm.cy, "online");
    cr_assert_eq(itest_sql_int(conn, "SELECT assignee_id FROM conversations WHERE id = %lld", c1),
                 tm.x.user_id, "a refused transfer changed the owner");
    r = itest_request(tm.cx, "POST", conv_path(c1, "transfer"),
                      json_pack("{s:I}", "user_id", (json_int_t)tm.y.user_id), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "assignee_id"), tm.y.user_id);
    r = itest_request(tm.cx, "POST", conv_path(c1, "messages"),
                      json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", "masih saya"),
                      NULL);
    itest_assert_problem(r, 409, NULL);
    cr_assert_str_eq(itest_get_str(r, "owner"), tm.y.name);
    r = itest_request(tm.cs, "POST", conv_path(c1, "transfer"),
                      json_pack("{s:I}", "user_id", (json_int_t)tm.x.user_id), NULL);
    cr_assert_eq(r->status, 200, "a supervisor transfers: %s", r->body);

    /* Escalate: a reason; the owner or a supervisor; to the online supervisor if any. */
    r = itest_request(tm.cy, "POST", conv_path(c1, "escalate"),
                      json_pack("{s:s}", "reason", "pelanggan marah"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(tm.cx, "POST", conv_path(c1, "escalate"), json_pack("{s:s}", "reason", "  "),
                      NULL);
    itest_assert_problem(r, 422, "reason");
    r = itest_request(tm.cx, "POST", conv_path(c1, "escalate"), json_object(), NULL);
    itest_assert_problem(r, 422, "reason");
    r = itest_request(tm.cx, "POST", conv_path(c1, "escalate"),
                      json_pack("{s:s}", "reason", "minta refund"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_true(itest_get(r, "escalated")));
    cr_assert_eq(itest_get_int(r, "assignee_id"), tm.x.user_id, "no supervisor online: stays");
    cr_assert_str_eq(itest_get_str(r, "escalation_reason"), "minta refund");
    set_presence(tm.cs, "online");
    r = itest_request(tm.cx, "POST", conv_path(c1, "escalate"),
                      json_pack("{s:s}", "reason", "harus supervisor"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "assignee_id"), tm.sup.user_id);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_assignments WHERE "
                               "conversation_id = %lld AND reason = 'escalate' AND to_user_id = "
                               "%lld AND from_user_id = %lld AND note = 'harus supervisor'",
                               c1, tm.sup.user_id, tm.x.user_id),
                 1);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_assignments WHERE "
                               "conversation_id = %lld",
                               c1),
                 4, "claim, two transfers, one escalation");

    /* Another tenant: 404 on every action, nothing changes. */
    itest_user_t other;
    itest_client_t *co = itest_owner_session(&other);
    static const char *const actions[] = {"claim", "transfer", "escalate", "messages"};
    for (int i = 0; i < 4; i++) {
        r = itest_request(co, "POST", conv_path(c1, actions[i]),
                          json_pack("{s:I,s:s,s:s,s:{s:s}}", "user_id", (json_int_t)tm.x.user_id,
                                    "reason", "x", "type", "text", "text", "body", "x"),
                          NULL);
        itest_assert_problem(r, 404, NULL);
    }
    r = itest_request(tm.cs, "POST", conv_path(c1, "transfer"),
                      json_pack("{s:I}", "user_id", (json_int_t)other.user_id), NULL);
    itest_assert_problem(r, 422, "user_id");
    cr_assert_eq(itest_sql_int(conn, "SELECT assignee_id FROM conversations WHERE id = %lld", c1),
                 tm.sup.user_id);

    /* Hostile input. */
    r = itest_request(tm.cx, "POST", "/api/v1/conversations/abc/claim", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(tm.cx, "POST", "/api/v1/conversations/99999999999999999999/claim", NULL,
                      NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request_raw(tm.cs, "POST", conv_path(c1, "transfer"), "application/json",
                          "{\"user_id\":", 12, NULL);
    itest_assert_problem(r, 400, NULL);
    r = itest_request_raw(tm.cs, "POST", conv_path(c1, "transfer"), "text/plain", "user_id=1", 9,
                          NULL);
    cr_assert(r->status == 415 || r->status == 400, "%ld", r->status);
    size_t big = (size_t)17 * 1024;
    char *huge = malloc(big + 32);
    cr_assert_not_null(huge);
    int head = snprintf(huge, 32, "{\"reason\":\"");
    memset(huge + head, 'a', big);
    memcpy(huge + head + big, "\"}", 3);
    r = itest_request_raw(tm.cs, "POST", conv_path(c1, "escalate"), "application/json", huge,
                          strlen(huge), NULL);
    itest_assert_problem(r, 413, NULL);
    free(huge);
    r = itest_request(tm.cx, "POST", conv_path(c1, "claim"), NULL, "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    cr_assert_eq(itest_sql_int(conn, "SELECT assignee_id FROM conversations WHERE id = %lld", c1),
                 tm.sup.user_id, "bad input changed the owner");

    /* An API token acts with its role, never as a person: it owns no chat. */
    r = itest_request(tm.co, "POST", "/api/v1/tokens",
                      json_pack("{s:s,s:s}", "name", "bot", "role", "agent"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    itest_client_t *bot = itest_client_new();
    itest_client_set_bearer(bot, itest_get_str(r, "secret"));
    long long c2 = make_chats(tm.owner.tenant_id, 1);
    r = itest_request(bot, "POST", conv_path(c2, "claim"), NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    itest_client_free(bot);
    itest_client_free(co);
    free_team(&tm);
}

Test(distribution, settings_roles_validation_and_tenants)
{
    team_t tm;
    tm.co = itest_owner_session(&tm.owner);
    itest_create_user(tm.co, "supervisor", &tm.sup);
    itest_create_user(tm.co, "agent", &tm.x);
    tm.cs = itest_user_session(&tm.sup);
    tm.cx = itest_user_session(&tm.x);

    itest_resp_t *r = itest_request(tm.co, "GET", "/api/v1/settings", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "distribution_mode"), "round_robin");
    cr_assert_eq(itest_get_int(r, "offline_grace_seconds"), 300);
    r = itest_request(tm.cs, "GET", "/api/v1/settings", NULL, NULL);
    cr_assert_eq(r->status, 200, "a supervisor reads the settings: %s", r->body);
    r = itest_request(tm.cx, "GET", "/api/v1/settings", NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(tm.cs, "PUT", "/api/v1/settings",
                      json_pack("{s:s}", "distribution_mode", "manual"), NULL);
    itest_assert_problem(r, 403, NULL);

    static const char *const bad[][2] = {
        {"{\"distribution_mode\":\"random\"}", "distribution_mode"},
        {"{\"distribution_mode\":1}", "distribution_mode"},
        {"{\"offline_grace_seconds\":-1}", "offline_grace_seconds"},
        {"{\"offline_grace_seconds\":86401}", "offline_grace_seconds"},
        {"{\"offline_grace_seconds\":\"300\"}", "offline_grace_seconds"},
        {"{\"offline_grace_seconds\":1.5}", "offline_grace_seconds"},
        {"{\"distribution_mode\":\"manual\",\"sla\":5}", "sla"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = itest_request_raw(tm.co, "PUT", "/api/v1/settings", "application/json", bad[i][0],
                              strlen(bad[i][0]), NULL);
        itest_assert_problem(r, 422, bad[i][1]);
    }
    r = itest_request_raw(tm.co, "PUT", "/api/v1/settings", "application/json", "[1]", 3, NULL);
    itest_assert_problem(r, 400, NULL);
    r = itest_request(tm.co, "PUT", "/api/v1/settings",
                      json_pack("{s:s}", "distribution_mode", "manual"), "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(tm.co, "GET", "/api/v1/settings", NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "distribution_mode"), "round_robin", "bad input changed it");

    r = itest_request(
        tm.co, "PUT", "/api/v1/settings",
        json_pack("{s:s,s:i}", "distribution_mode", "manual", "offline_grace_seconds", 600), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(tm.co, "PUT", "/api/v1/settings",
                      json_pack("{s:i}", "offline_grace_seconds", 0), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "distribution_mode"), "manual", "a left-out setting stays");
    cr_assert_eq(itest_get_int(r, "offline_grace_seconds"), 0);

    /* Another tenant keeps its own (default) settings. */
    itest_user_t other;
    itest_client_t *co = itest_owner_session(&other);
    r = itest_request(co, "GET", "/api/v1/settings", NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "distribution_mode"), "round_robin");
    cr_assert_eq(itest_get_int(r, "offline_grace_seconds"), 300);
    itest_client_free(co);
    itest_client_free(tm.co);
    itest_client_free(tm.cs);
    itest_client_free(tm.cx);
}
