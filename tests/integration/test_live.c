/* Integration: live events through nchan. An EventSource-like client (libcurl reading the SSE
 * stream through $LARIS_URL) sees a customer's message injected through laris-sim, the status
 * events of a reply, assignments, typing notices (with the typist's name) and the SLA sweep's
 * warning and breach on the assignee's channel; every channel numbers its events 1, 2, 3...
 * (seq); a client that reconnects with Last-Event-ID gets exactly the events it missed.
 * Subscriptions: no session 401, another user's agent channel, another tenant's channel and
 * hostile channel names 403; nchan's publisher is not reachable through nginx's ports. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "db.h"
#include "procs.h"
#include "sim_control.h"

#define SSE_MAX_EVENTS 256

typedef struct {
    char id[64];
    json_t *data;
} sse_event_t;

/* One EventSource connection, driven by a curl multi handle from the test's thread. */
typedef struct {
    CURLM *multi;
    CURL *easy;
    struct curl_slist *headers;
    char *buf; /* the raw stream */
    size_t len, parsed;
    bool done; /* the server ended the response */
    sse_event_t events[SSE_MAX_EVENTS];
    int nevents;
} sse_t;

static PGconn *conn;
static itest_client_t *owner;
static itest_user_t owner_user;
static char pnid[20];
static long long conversation;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t sse_write(char *ptr, size_t size, size_t n, void *arg)
{
    sse_t *s = arg;
    size_t add = size * n;
    char *grown = realloc(s->buf, s->len + add + 1);
    cr_assert_not_null(grown);
    memcpy(grown + s->len, ptr, add);
    s->len += add;
    grown[s->len] = '\0';
    s->buf = grown;
    return add;
}

/* Turns every complete block ("...\n\n") received so far into an event (comments skipped). */
static void sse_parse(sse_t *s)
{
    char *end;
    while ((end = strstr(s->buf + s->parsed, "\n\n")) != NULL) {
        char *line = s->buf + s->parsed;
        s->parsed = (size_t)(end - s->buf) + 2;
        *end = '\0';
        sse_event_t ev = {.data = NULL};
        while (line && *line) {
            char *next = strchr(line, '\n');
            if (next)
                *next++ = '\0';
            if (strncmp(line, "id: ", 4) == 0)
                snprintf(ev.id, sizeof ev.id, "%s", line + 4);
            else if (strncmp(line, "data: ", 6) == 0)
                ev.data = json_loads(line + 6, 0, NULL);
            line = next;
        }
        if (ev.data) {
            cr_assert_lt(s->nevents, SSE_MAX_EVENTS);
            s->events[s->nevents++] = ev;
        }
    }
}

/* Runs the transfer for up to ms milliseconds. */
static void sse_pump(sse_t *s, long ms)
{
    long long until = now_ms() + ms;
    while (!s->done && now_ms() < until) {
        int running = 0;
        curl_multi_perform(s->multi, &running);
        if (running == 0)
            s->done = true;
        curl_multi_poll(s->multi, NULL, 0, 20, NULL);
    }
    sse_parse(s);
}

static long sse_status(sse_t *s)
{
    long status = 0;
    curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/* Opens path with the session (NULL: no cookie) and an optional Last-Event-ID; returns once the
 * response's status is known (the subscription is then in place) or the response ended. */
static sse_t *sse_open(const char *path, const char *session, const char *last_id)
{
    sse_t *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    s->buf = calloc(1, 1);
    char url[512], cookie[256], resume[128];
    snprintf(url, sizeof url, "%s%s", getenv("LARIS_URL"), path);
    s->headers = curl_slist_append(NULL, "Accept: text/event-stream");
    if (session) {
        snprintf(cookie, sizeof cookie, "Cookie: laris_session=%s", session);
        s->headers = curl_slist_append(s->headers, cookie);
    }
    if (last_id) {
        snprintf(resume, sizeof resume, "Last-Event-ID: %s", last_id);
        s->headers = curl_slist_append(s->headers, resume);
    }
    s->easy = curl_easy_init();
    curl_easy_setopt(s->easy, CURLOPT_URL, url);
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, sse_write);
    curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(s->easy, CURLOPT_PATH_AS_IS, 1L);
    s->multi = curl_multi_init();
    curl_multi_add_handle(s->multi, s->easy);
    for (int i = 0; i < 250 && !s->done && sse_status(s) == 0; i++)
        sse_pump(s, 20);
    /* nchan's ": hi" comment follows the headers once the subscriber is registered. */
    for (int i = 0; i < 100 && !s->done && sse_status(s) == 200 && !strstr(s->buf, ": hi"); i++)
        sse_pump(s, 20);
    return s;
}

static void sse_close(sse_t *s)
{
    curl_multi_remove_handle(s->multi, s->easy);
    curl_easy_cleanup(s->easy);
    curl_multi_cleanup(s->multi);
    curl_slist_free_all(s->headers);
    for (int i = 0; i < s->nevents; i++)
        json_decref(s->events[i].data);
    free(s->buf);
    free(s);
}

static const char *ev_str(const sse_event_t *e, const char *key)
{
    const char *v = json_string_value(json_object_get(e->data, key));
    return v ? v : "";
}

static long long ev_int(const sse_event_t *e, const char *key)
{
    return json_integer_value(json_object_get(e->data, key));
}

/* The index of the first event of kind (with this conversation, when conv > 0) from index
 * `from`, waiting up to ms for it; -1 when none came. */
static int sse_find(sse_t *s, int from, const char *kind, long long conv, long ms)
{
    long long until = now_ms() + ms;
    for (;;) {
        for (int i = from; i < s->nevents; i++) {
            if (strcmp(ev_str(&s->events[i], "kind"), kind) == 0 &&
                (conv <= 0 || ev_int(&s->events[i], "conversation_id") == conv))
                return i;
        }
        if (s->done || now_ms() >= until)
            return -1;
        sse_pump(s, 50);
    }
}

/* Every event's seq is the one before plus one. */
static void assert_consecutive(const sse_t *s)
{
    for (int i = 1; i < s->nevents; i++)
        cr_assert_eq(ev_int(&s->events[i], "seq"), ev_int(&s->events[i - 1], "seq") + 1,
                     "seq %lld after %lld", ev_int(&s->events[i], "seq"),
                     ev_int(&s->events[i - 1], "seq"));
}

static const char *channel(const char *kind, long long id)
{
    static char path[4][64];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "/rt/sub/%s/%lld", kind, id);
    return p;
}

static const char *conv_path(long long id, const char *action)
{
    static char path[2][96];
    static int next;
    char *p = path[next++ % 2];
    snprintf(p, sizeof path[0], "/api/v1/conversations/%lld/%s", id, action);
    return p;
}

static const char *app_secret(void)
{
    const char *s = getenv("LARIS_META_APP_SECRET");
    return s && *s ? s : "laris-fixture-app-secret";
}

/* A customer (new number each time) writes through laris-sim; returns the conversation. */
static long long customer_writes(const char *text)
{
    char customer[20];
    itest_random_digits(customer, 12);
    customer[0] = '6';
    customer[1] = '2';
    customer[2] = '8';
    long status;
    json_decref(itest_sim("POST", "/_sim/inbound",
                          json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "from", customer,
                                    "text", text, "profile_name", "Ibu Live"),
                          &status));
    cr_assert_eq(status, 201);
    long long conv = -1;
    for (int i = 0; i < 100 && conv < 0; i++) {
        conv = itest_sql_int(conn,
                             "SELECT v.id FROM conversations v JOIN contacts c "
                             "ON c.tenant_id = v.tenant_id AND c.id = v.contact_id "
                             "WHERE v.tenant_id = %lld AND c.wa_id = '%s'",
                             owner_user.tenant_id, customer);
        if (conv < 0)
            itest_sleep_ms(50);
    }
    cr_assert_gt(conv, 0, "the inbound message never reached Laris");
    return conv;
}

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(itest_sql(conn, "SET client_min_messages = warning"));

    char hook[512];
    snprintf(hook, sizeof(hook), "%s/webhooks/whatsapp", getenv("LARIS_URL"));
    long status;
    json_decref(itest_sim("PUT", "/_sim/config",
                          json_pack("{s:s,s:s}", "webhook_url", hook, "app_secret", app_secret()),
                          &status));
    cr_assert_eq(status, 200);

    char waba[20], hex[41], token[64];
    itest_random_digits(pnid, 15);
    itest_random_digits(waba, 15);
    itest_random_hex(hex, 20);
    snprintf(token, sizeof(token), "EAAT%s", hex);
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
    /* Assignment by hand only, so the events of each test are its own. */
    r = itest_request(owner, "PUT", "/api/v1/settings",
                      json_pack("{s:s}", "distribution_mode", "manual"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    conversation = customer_writes("Halo, masih buka?");
}

static void teardown(void)
{
    itest_client_free(owner);
    PQfinish(conn);
}

TestSuite(live, .init = setup, .fini = teardown, .timeout = 90);

Test(live, customer_message_arrives_live)
{
    sse_t *s = sse_open(channel("tenant", owner_user.tenant_id), itest_client_session(owner), NULL);
    cr_assert_eq(sse_status(s), 200, "%s", s->buf);
    long long conv = customer_writes("Kak, ukuran L ada?");
    int i = sse_find(s, 0, "message.new", conv, 5000);
    cr_assert_geq(i, 0, "no message.new event; stream: %s", s->buf);
    const sse_event_t *e = &s->events[i];
    cr_assert_str_eq(ev_str(e, "direction"), "in");
    cr_assert_str_eq(ev_str(e, "type"), "text");
    long long mid = ev_int(e, "message_id");
    cr_assert_eq(itest_sql_int(conn, "SELECT conversation_id FROM messages WHERE id = %lld", mid),
                 conv);
    cr_assert_null(strstr(s->buf, "ukuran L"), "events carry ids, never the message text");
    cr_assert_neq(e->id[0], '\0', "every event has an SSE id");
    assert_consecutive(s);
    sse_close(s);
}

Test(live, reply_status_events)
{
    sse_t *s = sse_open(channel("tenant", owner_user.tenant_id), itest_client_session(owner), NULL);
    cr_assert_eq(sse_status(s), 200);
    itest_resp_t *r = itest_request(
        owner, "POST", conv_path(conversation, "messages"),
        json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", "Masih, kak!"), NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    long long mid = itest_get_int(r, "id");
    int i = sse_find(s, 0, "message.new", conversation, 5000);
    cr_assert_geq(i, 0, "no message.new for the reply");
    cr_assert_str_eq(ev_str(&s->events[i], "direction"), "out");
    /* laris-worker sends it, laris-sim's status webhooks move it to delivered and read. */
    bool delivered = false, read = false;
    for (int from = i + 1; !(delivered && read);) {
        int j = sse_find(s, from, "message.status", conversation, 15000);
        cr_assert_geq(j, 0, "status events stopped; stream: %s", s->buf);
        cr_assert_eq(ev_int(&s->events[j], "message_id"), mid);
        delivered = delivered || strcmp(ev_str(&s->events[j], "status"), "delivered") == 0;
        read = read || strcmp(ev_str(&s->events[j], "status"), "read") == 0;
        from = j + 1;
    }
    assert_consecutive(s);
    sse_close(s);
}

Test(live, assignment_reaches_agent_and_tenant)
{
    itest_user_t agent;
    itest_create_user(owner, "agent", &agent);
    itest_client_t *ac = itest_user_session(&agent);
    long long conv = customer_writes("Mau pesan dua");
    sse_t *mine = sse_open(channel("agent", agent.user_id), itest_client_session(ac), NULL);
    cr_assert_eq(sse_status(mine), 200, "%s", mine->buf);
    sse_t *team = sse_open(channel("tenant", owner_user.tenant_id), itest_client_session(ac), NULL);
    cr_assert_eq(sse_status(team), 200, "an agent may listen to the tenant channel");

    itest_resp_t *r = itest_request(ac, "POST", conv_path(conv, "claim"), json_object(), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    int i = sse_find(mine, 0, "conversation.assigned", conv, 5000);
    cr_assert_geq(i, 0, "the agent channel got no assignment; stream: %s", mine->buf);
    cr_assert_eq(ev_int(&mine->events[i], "to_user_id"), agent.user_id);
    cr_assert_str_eq(ev_str(&mine->events[i], "reason"), "claim");
    cr_assert_geq(sse_find(team, 0, "conversation.assigned", conv, 5000), 0);

    /* Transfer to a colleague: the agent's channel hears it left them. */
    itest_user_t colleague;
    itest_create_user(owner, "agent", &colleague);
    itest_client_t *cc = itest_user_session(&colleague);
    r = itest_request(cc, "PUT", "/api/v1/me/presence", json_pack("{s:s}", "presence", "online"),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_client_free(cc);
    r = itest_request(ac, "POST", conv_path(conv, "transfer"),
                      json_pack("{s:I}", "user_id", (json_int_t)colleague.user_id), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    i = sse_find(mine, i + 1, "conversation.assigned", conv, 5000);
    cr_assert_geq(i, 0, "no transfer event on the agent channel");
    cr_assert_eq(ev_int(&mine->events[i], "from_user_id"), agent.user_id);
    cr_assert_str_eq(ev_str(&mine->events[i], "reason"), "transfer");
    assert_consecutive(mine);
    sse_close(mine);
    sse_close(team);
    itest_client_free(ac);
}

Test(live, typing_notice)
{
    sse_t *s = sse_open(channel("tenant", owner_user.tenant_id), itest_client_session(owner), NULL);
    cr_assert_eq(sse_status(s), 200);
    itest_resp_t *r = itest_request(owner, "POST", conv_path(conversation, "typing"), NULL, NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "conversation_id"), conversation);
    cr_assert_not_null(itest_get_str(r, "expires_at"));
    int i = sse_find(s, 0, "typing", conversation, 5000);
    cr_assert_geq(i, 0, "no typing event");
    cr_assert_eq(ev_int(&s->events[i], "user_id"), owner_user.user_id);
    cr_assert_str_eq(ev_str(&s->events[i], "user_name"), owner_user.name,
                     "the notice names the person (agents cannot list the team)");

    /* Bad input changes nothing: another tenant's chat, no chat, no CSRF token, an API
     * token, a body over the limit. */
    itest_user_t other_user;
    itest_client_t *other = itest_owner_session(&other_user);
    r = itest_request(other, "POST", conv_path(conversation, "typing"), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(owner, "POST", "/api/v1/conversations/999999999999/typing", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(owner, "POST", "/api/v1/conversations/abc/typing", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(owner, "POST", conv_path(conversation, "typing"), NULL,
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(owner, "POST", conv_path(conversation, "typing"), NULL,
                      "Authorization: Bearer lrs_1_notarealtoken", NULL);
    cr_assert(r->status == 401 || r->status == 403, "%ld", r->status);
    char big[4096];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    r = itest_request_raw(owner, "POST", conv_path(conversation, "typing"), "application/json", big,
                          strlen(big), NULL);
    itest_assert_problem(r, 413, NULL);
    sse_pump(s, 500);
    cr_assert_eq(sse_find(s, i + 1, "typing", 0, 0), -1, "a refused notice was published");
    itest_client_free(other);
    sse_close(s);
}

/* The SLA sweep publishes its warning, then the breach, to the chat's assignee and to the
 * owner (supervisors and owners hear every chat's), each once. */
Test(live, sla_warning_reaches_assignee)
{
    itest_resp_t *r = itest_request(
        owner, "PUT", "/api/v1/settings/service",
        json_pack("{s:i,s:i}", "sla_first_response_seconds", 12, "sla_warning_seconds", 8), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_user_t agent;
    itest_create_user(owner, "agent", &agent);
    itest_client_t *ac = itest_user_session(&agent);
    sse_t *mine = sse_open(channel("agent", agent.user_id), itest_client_session(ac), NULL);
    cr_assert_eq(sse_status(mine), 200, "%s", mine->buf);
    sse_t *boss = sse_open(channel("agent", owner_user.user_id), itest_client_session(owner), NULL);
    cr_assert_eq(sse_status(boss), 200, "%s", boss->buf);

    long long conv = customer_writes("Halo, pesanan saya belum sampai");
    r = itest_request(ac, "POST", conv_path(conv, "claim"), json_object(), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);

    int w = sse_find(mine, 0, "sla.warning", conv, 15000);
    cr_assert_geq(w, 0, "no SLA warning on the assignee's channel; stream: %s", mine->buf);
    cr_assert_str_eq(ev_str(&mine->events[w], "level"), "warning");
    cr_assert_neq(ev_str(&mine->events[w], "due_at")[0], '\0', "the warning says when it is due");
    int b = sse_find(mine, w + 1, "sla.warning", conv, 15000);
    cr_assert_geq(b, 0, "no breach on the assignee's channel; stream: %s", mine->buf);
    cr_assert_str_eq(ev_str(&mine->events[b], "level"), "breached");

    int ow = sse_find(boss, 0, "sla.warning", conv, 5000);
    cr_assert_geq(ow, 0, "the owner heard no warning; stream: %s", boss->buf);
    cr_assert_str_eq(ev_str(&boss->events[ow], "level"), "warning");
    cr_assert_geq(sse_find(boss, ow + 1, "sla.warning", conv, 5000), 0, "nor the breach");

    sse_pump(mine, 1500);
    cr_assert_eq(sse_find(mine, b + 1, "sla.warning", conv, 0), -1, "each is published once");
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM sla_events WHERE tenant_id = %lld "
                               "AND conversation_id = %lld AND published_at IS NOT NULL",
                               owner_user.tenant_id, conv),
                 2, "both sla_events rows are marked published");
    assert_consecutive(mine);
    sse_close(mine);
    sse_close(boss);
    itest_client_free(ac);
}

Test(live, subscriptions_are_authorized)
{
    itest_user_t agent, other_owner;
    itest_create_user(owner, "agent", &agent);
    itest_client_t *ac = itest_user_session(&agent);
    itest_client_t *other = itest_owner_session(&other_owner);
    const char *session = itest_client_session(ac);
    struct {
        const char *path;
        const char *session;
        long status;
    } cases[] = {
        {channel("tenant", owner_user.tenant_id), NULL, 401},
        {channel("agent", agent.user_id), NULL, 401},
        {channel("agent", agent.user_id), "1.not-a-session", 401},
        {channel("agent", owner_user.user_id), session, 403},     /* another user */
        {channel("tenant", other_owner.tenant_id), session, 403}, /* another tenant */
        {channel("agent", other_owner.user_id), session, 403},    /* another tenant's user */
        {"/rt/sub/tenant/0", session, 403},
        {"/rt/sub/tenant/-1", session, 403},
        {"/rt/sub/tenant/1234567890123456789012", session, 403},
        {"/rt/sub/everyone/1", session, 403},
        {"/rt/sub/tenant/", session, 403},
        {"/rt/sub/tenant/1/../2", session, 403},
        {"/rt/sub/tenant/%2e%2e", session, 403},
        {"/rt/sub/tenant/1%0d%0aX-Evil:%201", session, 403},
        {"/rt/sub/agent/1_1", session, 403},
        {"/rt/sub/tenant/1;2", session, 403},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sse_t *s = sse_open(cases[i].path, cases[i].session, NULL);
        cr_assert_eq(sse_status(s), cases[i].status, "%s: %ld %s", cases[i].path, sse_status(s),
                     s->buf);
        cr_assert_eq(s->nevents, 0);
        sse_close(s);
    }
    /* Own channels are fine. */
    sse_t *s = sse_open(channel("agent", agent.user_id), session, NULL);
    cr_assert_eq(sse_status(s), 200);
    sse_close(s);
    /* The other tenant's owner cannot follow this tenant's chats by adding a query. */
    char path[96];
    snprintf(path, sizeof path, "/rt/sub/tenant/%lld?x=1", other_owner.tenant_id);
    s = sse_open(path, itest_client_session(other), NULL);
    cr_assert_eq(sse_status(s), 403, "%s", path);
    sse_close(s);
    itest_client_free(other);
    itest_client_free(ac);
}

Test(live, resume_after_drop_gets_exactly_the_missed_events)
{
    const char *path = channel("tenant", owner_user.tenant_id);
    sse_t *s = sse_open(path, itest_client_session(owner), NULL);
    cr_assert_eq(sse_status(s), 200);
    for (int k = 0; k < 3; k++) {
        itest_resp_t *r =
            itest_request(owner, "POST", conv_path(conversation, "typing"), NULL, NULL);
        cr_assert_eq(r->status, 202, "%s", r->body);
    }
    long long until = now_ms() + 5000;
    while (s->nevents < 3 && now_ms() < until)
        sse_pump(s, 50);
    cr_assert_eq(s->nevents, 3, "%s", s->buf);
    assert_consecutive(s);
    char last_id[64];
    snprintf(last_id, sizeof last_id, "%s", s->events[2].id);
    long long last_seq = ev_int(&s->events[2], "seq");
    sse_close(s); /* the connection drops */

    /* Missed while away: a typing notice, a customer's message, another notice. */
    itest_resp_t *r = itest_request(owner, "POST", conv_path(conversation, "typing"), NULL, NULL);
    cr_assert_eq(r->status, 202);
    long long conv = customer_writes("Saya tunggu ya");
    r = itest_request(owner, "POST", conv_path(conversation, "typing"), NULL, NULL);
    cr_assert_eq(r->status, 202);
    /* All three are published before the client comes back. */
    until = now_ms() + 5000;
    while (itest_sql_int(conn, "SELECT count(*) FROM live_events WHERE tenant_id = %lld",
                         owner_user.tenant_id) > 0 &&
           now_ms() < until)
        itest_sleep_ms(20);
    itest_sleep_ms(200);

    s = sse_open(path, itest_client_session(owner), last_id);
    cr_assert_eq(sse_status(s), 200);
    until = now_ms() + 5000;
    while (s->nevents < 3 && now_ms() < until)
        sse_pump(s, 50);
    sse_pump(s, 300); /* nothing more may come */
    cr_assert_eq(s->nevents, 3, "resumed with %d events: %s", s->nevents, s->buf);
    cr_assert_eq(ev_int(&s->events[0], "seq"), last_seq + 1, "the first missed event first");
    assert_consecutive(s);
    cr_assert_str_eq(ev_str(&s->events[0], "kind"), "typing");
    cr_assert_str_eq(ev_str(&s->events[1], "kind"), "message.new");
    cr_assert_eq(ev_int(&s->events[1], "conversation_id"), conv);
    cr_assert_str_eq(ev_str(&s->events[2], "kind"), "typing");
    /* And it goes on live. */
    r = itest_request(owner, "POST", conv_path(conversation, "typing"), NULL, NULL);
    cr_assert_eq(r->status, 202);
    cr_assert_eq(sse_find(s, 3, "typing", conversation, 5000), 3);
    assert_consecutive(s);
    sse_close(s);
}

/* A plain request (no X-Request-Id expected: nginx may answer it alone); returns the status and
 * copies the Content-Type (or "") into ctype. */
static long raw_request(const char *base, const char *method, const char *path, const char *body,
                        char *ctype, size_t ctype_size)
{
    CURL *curl = curl_easy_init();
    char url[256];
    snprintf(url, sizeof url, "%s%s", base, path);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (body)
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    FILE *devnull = fopen("/dev/null", "w");
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, devnull);
    cr_assert_eq(curl_easy_perform(curl), CURLE_OK, "%s", url);
    long status = 0;
    char *ct = NULL;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
    snprintf(ctype, ctype_size, "%s", ct ? ct : "");
    curl_easy_cleanup(curl);
    fclose(devnull);
    return status;
}

Test(live, publisher_unreachable_from_outside)
{
    sse_t *s = sse_open(channel("tenant", owner_user.tenant_id), itest_client_session(owner), NULL);
    cr_assert_eq(sse_status(s), 200);
    const char *forged = "{\"kind\":\"message.new\",\"forged\":true}";
    char pub[96], ctype[128];
    snprintf(pub, sizeof pub, "/pub/tenant/%lld", owner_user.tenant_id);
    const char *bases[] = {getenv("LARIS_URL"), getenv("LARIS_SIM_URL")};
    for (size_t b = 0; b < 2; b++) {
        /* Not nchan's publisher: no 201/202 (the web app may answer its own page, or 404). */
        long st = raw_request(bases[b], "POST", pub, forged, ctype, sizeof ctype);
        cr_assert(st != 201 && st != 202, "%s%s answered %ld", bases[b], pub, st);
        st = raw_request(bases[b], "PUT", pub, forged, ctype, sizeof ctype);
        cr_assert(st != 201 && st != 202, "%s%s answered %ld", bases[b], pub, st);
    }
    /* POSTing to the subscriber location does not publish either. */
    long st = raw_request(getenv("LARIS_URL"), "POST", channel("tenant", owner_user.tenant_id),
                          forged, ctype, sizeof ctype);
    cr_assert(st != 201 && st != 202, "%ld", st);
    /* laris-api's subscription check is internal: from outside it is never laris-api's JSON. */
    st = raw_request(getenv("LARIS_URL"), "GET", "/internal/rt/auth", NULL, ctype, sizeof ctype);
    cr_assert(st == 404 || strncmp(ctype, "text/html", 9) == 0, "%ld %s", st, ctype);

    sse_pump(s, 500);
    cr_assert_null(strstr(s->buf, "forged"), "a forged event reached subscribers");
    sse_close(s);
}
