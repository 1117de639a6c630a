/* Integration: the inbox API. GET /conversations with every filter and their combinations,
 * search by name, phone in every Indonesian form and message text (LIKE metacharacters, SQL,
 * unicode, oversized q), keyset pagination without duplicates while new messages arrive, cursor
 * tampering, GET/PATCH one conversation (status, snooze, priority, labels), the SLA figures of
 * list and search items (the same as one conversation's), laris-worker's snooze wake-up, read
 * markers and unread counts, internal notes, roles, CSRF, and another tenant's ids (404, nothing
 * listed). Conversations are inserted directly as the superuser. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "db.h"
#include "procs.h"

static PGconn *conn;
static itest_client_t *owner, *agent_c, *other;
static itest_user_t owner_u, agent_u, other_u;

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    owner = itest_owner_session(&owner_u);
    itest_create_user(owner, "agent", &agent_u);
    agent_c = itest_user_session(&agent_u);
    other = itest_owner_session(&other_u);
}

static void teardown(void)
{
    itest_client_free(owner);
    itest_client_free(agent_c);
    itest_client_free(other);
    PQfinish(conn);
}

TestSuite(inbox, .init = setup, .fini = teardown, .timeout = 120);

/* A contact (name, a random 62812… phone written into phone_out when not NULL), its
 * conversation with status and assignee (0: none), active minutes_ago, and one inbound message
 * with body. Returns the conversation id. */
static long long conversation_new(long long tenant, const char *name, const char *status,
                                  long long assignee, int minutes_ago, const char *body,
                                  char *phone_out)
{
    char phone[16], digits[9], tenant_s[24], assignee_s[24], minutes_s[16];
    itest_random_digits(digits, 8);
    snprintf(phone, sizeof(phone), "62812%s", digits);
    if (phone_out)
        snprintf(phone_out, 16, "%s", phone);
    snprintf(tenant_s, sizeof(tenant_s), "%lld", tenant);
    snprintf(assignee_s, sizeof(assignee_s), "%lld", assignee);
    snprintf(minutes_s, sizeof(minutes_s), "%d", minutes_ago);
    const char *params[6] = {tenant_s, phone, name, status, assignee ? assignee_s : NULL,
                             minutes_s};
    const char *params_all[7] = {params[0], params[1], params[2], params[3],
                                 params[4], params[5], body};
    PGresult *res = PQexecParams(
        conn,
        "WITH c AS (INSERT INTO contacts (tenant_id, wa_id, phone, name) "
        "           VALUES ($1::bigint, $2, $2, $3) RETURNING id), "
        "v AS (INSERT INTO conversations (tenant_id, contact_id, status, last_message_at, "
        "                                 assignee_id, assigned_at, snoozed_until) "
        "      SELECT $1::bigint, c.id, $4, now() - $6::int * interval '1 minute', $5::bigint, "
        "             CASE WHEN $5 IS NOT NULL THEN now() END, "
        "             CASE WHEN $4 = 'snoozed' THEN now() + interval '1 day' END FROM c "
        "      RETURNING id, contact_id, last_message_at), "
        "m AS (INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, type, "
        "                            body, created_at) "
        "      SELECT $1::bigint, v.id, v.contact_id, 'in', 'text', $7, v.last_message_at "
        "        FROM v) "
        "SELECT id FROM v",
        7, NULL, params_all, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
    long long id = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return id;
}

/* A new inbound message in conversation id, making it the most recent activity. */
static void message_arrives(long long id, const char *body)
{
    PQclear(itest_sql(conn,
                      "WITH m AS (INSERT INTO messages (tenant_id, conversation_id, contact_id, "
                      "direction, type, body) SELECT tenant_id, id, contact_id, 'in', 'text', '%s' "
                      "FROM conversations WHERE id = %lld RETURNING conversation_id) "
                      "UPDATE conversations SET last_message_at = clock_timestamp() "
                      "WHERE id = (SELECT conversation_id FROM m)",
                      body, id));
}

static const char *conv_path(long long id, const char *suffix)
{
    static char path[128];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld%s", id, suffix);
    return path;
}

/* The ids a list answer holds, in order (asserts 200); returns how many. */
static size_t list_ids(itest_client_t *c, const char *path, long long *ids, size_t max)
{
    itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s: %s", path, r->body);
    json_t *items = itest_get(r, "items");
    cr_assert(json_is_array(items));
    size_t n = json_array_size(items);
    for (size_t i = 0; i < n && i < max; i++)
        ids[i] = json_integer_value(json_object_get(json_array_get(items, i), "id"));
    return n;
}

static bool holds(const long long *ids, size_t n, long long id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* GET path with the query escaped: "?q=" + q (percent-encoded). */
static const char *q_path(const char *base, const char *q)
{
    static char path[4096];
    size_t w = (size_t)snprintf(path, sizeof(path), "%s", base);
    for (const unsigned char *p = (const unsigned char *)q; *p && w + 4 < sizeof(path); p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
            path[w++] = (char)*p;
        else
            w += (size_t)snprintf(path + w, sizeof(path) - w, "%%%02X", *p);
    }
    path[w] = '\0';
    return path;
}

Test(inbox, items_carry_what_the_inbox_shows_newest_first)
{
    long long older = conversation_new(owner_u.tenant_id, "Bu Older", "open", 0, 30, "dulu", NULL);
    long long newer = conversation_new(owner_u.tenant_id, "Pak Newer", "open", agent_u.user_id, 1,
                                       "Halo, ada stok?", NULL);
    itest_resp_t *r = itest_request(owner, "GET", "/api/v1/conversations?limit=2", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *first = json_array_get(itest_get(r, "items"), 0);
    cr_assert_eq(json_integer_value(json_object_get(first, "id")), newer);
    cr_assert_eq(
        json_integer_value(json_object_get(json_array_get(itest_get(r, "items"), 1), "id")), older);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(first, "contact"), "name")),
                     "Pak Newer");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(first, "assignee"), "name")),
                     agent_u.name);
    json_t *last = json_object_get(first, "last_message");
    cr_assert_str_eq(json_string_value(json_object_get(last, "preview")), "Halo, ada stok?");
    cr_assert_str_eq(json_string_value(json_object_get(last, "direction")), "in");
    cr_assert_eq(json_integer_value(json_object_get(first, "unread_count")), 1);
    cr_assert(json_is_array(json_object_get(first, "labels")));
    cr_assert_str_eq(json_string_value(json_object_get(first, "priority")), "normal");
    cr_assert(json_is_null(json_object_get(json_array_get(itest_get(r, "items"), 1), "assignee")));
    cr_assert(json_is_null(itest_get(r, "next_cursor")), "two conversations fill two places");
    r = itest_request(owner, "GET", "/api/v1/conversations?limit=1", NULL, NULL);
    cr_assert(json_is_string(itest_get(r, "next_cursor")), "a second page follows");
}

Test(inbox, every_filter_and_their_combinations)
{
    itest_user_t owner2;
    itest_client_t *oc = itest_owner_session(&owner2);
    itest_user_t ag;
    itest_create_user(oc, "agent", &ag);
    itest_client_t *ac = itest_user_session(&ag);
    long long t = owner2.tenant_id;
    long long open_mine = conversation_new(t, "Satu", "open", ag.user_id, 5, "a", NULL);
    long long open_none = conversation_new(t, "Dua", "open", 0, 6, "b", NULL);
    long long pend_owner = conversation_new(t, "Tiga", "pending", owner2.user_id, 7, "c", NULL);
    long long resolved_mine = conversation_new(t, "Empat", "resolved", ag.user_id, 8, "d", NULL);
    long long snoozed_none = conversation_new(t, "Lima", "snoozed", 0, 9, "e", NULL);
    itest_resp_t *r =
        itest_request(oc, "POST", "/api/v1/labels", json_pack("{s:s}", "name", "Grosir"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long label = itest_get_int(r, "id");
    r = itest_request(oc, "PATCH", conv_path(open_mine, ""), json_pack("{s:[I]}", "labels", label),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(oc, "PATCH", conv_path(snoozed_none, ""),
                      json_pack("{s:[I]}", "labels", label), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);

    long long ids[16];
    char path[256];
    struct {
        const char *query;
        long long want[5];
    } cases[] = {
        {"", {open_mine, open_none, pend_owner, resolved_mine, snoozed_none}},
        {"status=open", {open_mine, open_none}},
        {"status=pending", {pend_owner}},
        {"status=resolved", {resolved_mine}},
        {"status=snoozed", {snoozed_none}},
        {"assignee=me", {open_mine, resolved_mine}},
        {"assignee=none", {open_none, snoozed_none}},
        {"assignee=%OWNER%", {pend_owner}},
        {"label=%LABEL%", {open_mine, snoozed_none}},
        {"status=open&assignee=me", {open_mine}},
        {"status=open&assignee=none", {open_none}},
        {"status=resolved&assignee=none", {0}},
        {"label=%LABEL%&assignee=none", {snoozed_none}},
        {"label=%LABEL%&status=open&assignee=me", {open_mine}},
        {"label=%LABEL%&status=open&assignee=me&q=Satu", {open_mine}},
        {"label=%LABEL%&status=open&assignee=me&q=Lima", {0}},
        {"q=Empat&assignee=me", {resolved_mine}},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char query[200];
        snprintf(query, sizeof(query), "%s", cases[i].query);
        char *mark;
        while ((mark = strstr(query, "%OWNER%")) || (mark = strstr(query, "%LABEL%"))) {
            char rest[200];
            snprintf(rest, sizeof(rest), "%s", mark + 7);
            snprintf(mark, sizeof(query) - (size_t)(mark - query), "%lld%s",
                     strncmp(mark, "%OWNER%", 7) == 0 ? owner2.user_id : label, rest);
        }
        snprintf(path, sizeof(path), "/api/v1/conversations?%s", query);
        size_t n = list_ids(ac, path, ids, 16);
        size_t want = 0;
        while (want < 5 && cases[i].want[want])
            want++;
        cr_assert_eq(n, want, "%s: %zu items, want %zu", query, n, want);
        for (size_t k = 0; k < want; k++)
            cr_assert_eq(ids[k], cases[i].want[k], "%s: item %zu", query, k);
    }
    itest_client_free(ac);
    itest_client_free(oc);
}

Test(inbox, search_by_phone_in_every_form_name_and_message)
{
    itest_user_t o;
    itest_client_t *oc = itest_owner_session(&o);
    char phone[16];
    long long hit = conversation_new(o.tenant_id, "Ibu Ratna Sari", "open", 0, 2,
                                     "Mau pesan kue lapis legit ☕ 2 loyang", phone);
    long long miss = conversation_new(o.tenant_id, "Pak Joko", "open", 0, 3, "halo", NULL);
    /* phone is 62812 + 8 digits: the forms people type. */
    const char *national = phone + 2; /* 812… */
    char forms[8][48];
    snprintf(forms[0], 48, "0%.3s-%.4s-%s", national, national + 3, national + 7);
    snprintf(forms[1], 48, "+62 %.3s %.4s %s", national, national + 3, national + 7);
    snprintf(forms[2], 48, "%s", phone);
    snprintf(forms[3], 48, "62.%.3s.%.4s.%s", national, national + 3, national + 7);
    snprintf(forms[4], 48, "+62 0%s", national);
    snprintf(forms[5], 48, "%.4s", phone + 9); /* four digits from the middle-end */
    snprintf(forms[6], 48, "0%.7s", national);
    snprintf(forms[7], 48, "(0%.3s) %.4s", national, national + 3);
    long long ids[16];
    for (size_t i = 0; i < 8; i++) {
        size_t n = list_ids(oc, q_path("/api/v1/conversations?q=", forms[i]), ids, 16);
        cr_assert(holds(ids, n, hit), "phone form %s finds the contact", forms[i]);
        cr_assert_not(holds(ids, n, miss) && i != 5, "phone form %s finds only it", forms[i]);
    }
    const char *words[] = {"ratna", "RATNA SARI", "lapis leg", "☕ 2", "Sari"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        size_t n = list_ids(oc, q_path("/api/v1/conversations?q=", words[i]), ids, 16);
        cr_assert_eq(n, 1, "%s", words[i]);
        cr_assert_eq(ids[0], hit, "%s", words[i]);
    }
    itest_client_free(oc);
}

Test(inbox, hostile_and_oversized_q_finds_nothing_and_breaks_nothing)
{
    itest_user_t o;
    itest_client_t *oc = itest_owner_session(&o);
    long long pct = conversation_new(o.tenant_id, "Diskon 50%_an \\o/", "open", 0, 2, "x", NULL);
    conversation_new(o.tenant_id, "Diskon 50 ribu", "open", 0, 3, "diskon 50a_n", NULL);
    long long ids[16];
    /* % _ \ are literal characters in q, not patterns. */
    size_t n = list_ids(oc, q_path("/api/v1/conversations?q=", "50%_"), ids, 16);
    cr_assert_eq(n, 1);
    cr_assert_eq(ids[0], pct);
    n = list_ids(oc, q_path("/api/v1/conversations?q=", "\\o/"), ids, 16);
    cr_assert_eq(n, 1);
    cr_assert_eq(ids[0], pct);
    const char *nothing[] = {"%%%",         "___",
                             "' OR 1=1 --", "'); DROP TABLE messages; --",
                             "\\\\\\",      "%' OR tenant_id <> 0 OR '"};
    for (size_t i = 0; i < sizeof(nothing) / sizeof(nothing[0]); i++) {
        n = list_ids(oc, q_path("/api/v1/conversations?q=", nothing[i]), ids, 16);
        cr_assert_eq(n, 0, "%s matches nothing", nothing[i]);
    }
    char big[3000];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    itest_resp_t *r = itest_request(oc, "GET", q_path("/api/v1/conversations?q=", big), NULL, NULL);
    itest_assert_problem(r, 422, "q");
    r = itest_request(oc, "GET", "/api/v1/conversations?q=ab", NULL, NULL);
    itest_assert_problem(r, 422, "q");
    r = itest_request(oc, "GET", "/api/v1/conversations?q=%C3%28%C3%28", NULL, NULL);
    cr_assert(r->status == 200 || r->status == 400 || r->status == 422, "bad UTF-8: %ld",
              r->status);
    cr_assert_eq(
        itest_sql_int(conn, "SELECT count(*) FROM messages WHERE tenant_id = %lld", o.tenant_id), 2,
        "nothing changed");
    itest_client_free(oc);
}

Test(inbox, pages_have_no_duplicates_or_gaps_while_messages_arrive)
{
    itest_user_t o;
    itest_client_t *oc = itest_owner_session(&o);
    enum { N = 25 };
    long long made[N];
    for (int i = 0; i < N; i++)
        made[i] = conversation_new(o.tenant_id, "Paging", "open", 0, 100 + i, "p", NULL);
    long long seen[2 * N];
    size_t nseen = 0;
    char path[512] = "/api/v1/conversations?limit=7";
    for (int page = 0; page < 10; page++) {
        itest_resp_t *r = itest_request(oc, "GET", path, NULL, NULL);
        cr_assert_eq(r->status, 200, "%s", r->body);
        json_t *items = itest_get(r, "items");
        for (size_t i = 0; i < json_array_size(items); i++) {
            long long id = json_integer_value(json_object_get(json_array_get(items, i), "id"));
            cr_assert_not(holds(seen, nseen, id), "conversation %lld listed twice", id);
            seen[nseen++] = id;
        }
        if (page == 0) {
            message_arrives(made[N - 1], "baru"); /* from the last page to the top */
            message_arrives(made[0], "baru juga");
            conversation_new(o.tenant_id, "Brand new", "open", 0, 0, "baru", NULL);
        }
        json_t *next = itest_get(r, "next_cursor");
        if (json_is_null(next))
            break;
        snprintf(path, sizeof(path), "/api/v1/conversations?limit=7&cursor=%s",
                 json_string_value(next));
    }
    for (int i = 1; i < N - 1; i++)
        cr_assert(holds(seen, nseen, made[i]), "untouched conversation %lld was never listed",
                  made[i]);
    itest_client_free(oc);
}

Test(inbox, tampered_cursors_and_bad_parameters_are_refused)
{
    const char *bad[] = {
        "cursor=%25%25%25",
        "cursor=aWQ6NQ" /* id:5 */,
        "cursor=YzphYmM6MQ" /* c:abc:1 */,
        "cursor=YzoxOjA" /* c:1:0 */,
        "cursor=YzoxOi0x" /* c:1:-1 */,
        "cursor=Yzo5OTk5OTk5OTk5OTk5OTk5OTk5OjE" /* c:9999999999999999999:1 */,
        "limit=0",
        "limit=201",
        "limit=abc",
        "limit=5x",
        "status=closed",
        "status=",
        "assignee=someone",
        "assignee=-1",
        "assignee=",
        "label=x",
        "label=0",
        "label=99999999999999999999",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[256];
        snprintf(path, sizeof(path), "/api/v1/conversations?%s", bad[i]);
        itest_resp_t *r = itest_request(owner, "GET", path, NULL, NULL);
        itest_assert_problem(r, 422, NULL);
    }
    char huge[2200] = "/api/v1/conversations?cursor=";
    memset(huge + strlen(huge), 'A', 2000);
    huge[2199] = '\0';
    itest_resp_t *r = itest_request(owner, "GET", huge, NULL, NULL);
    itest_assert_problem(r, 422, "cursor");
}

Test(inbox, another_tenant_sees_nothing_and_gets_404)
{
    long long mine =
        conversation_new(owner_u.tenant_id, "Rahasia A", "open", 0, 1, "rahasia tenant A", NULL);
    long long ids[64];
    size_t n = list_ids(other, "/api/v1/conversations?limit=200", ids, 64);
    cr_assert_not(holds(ids, n, mine));
    n = list_ids(other, "/api/v1/conversations?q=rahasia", ids, 64);
    cr_assert_eq(n, 0, "search leaks nothing across tenants");
    const char *paths[] = {"", "/notes", "/quick-replies"};
    for (size_t i = 0; i < 3; i++) {
        itest_resp_t *r = itest_request(other, "GET", conv_path(mine, paths[i]), NULL, NULL);
        itest_assert_problem(r, 404, NULL);
    }
    itest_resp_t *r = itest_request(other, "PATCH", conv_path(mine, ""),
                                    json_pack("{s:s}", "status", "resolved"), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "POST", conv_path(mine, "/notes"), json_pack("{s:s}", "body", "hi"),
                      NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "POST", conv_path(mine, "/read"), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversations WHERE id = %lld "
                               "AND status = 'open'",
                               mine),
                 1);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_notes WHERE "
                               "conversation_id = %lld",
                               mine),
                 0);
    /* A label of tenant A cannot be put on B's conversation nor filter B's list. */
    r = itest_request(owner, "POST", "/api/v1/labels", json_pack("{s:s}", "name", "Milik A"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long label_a = itest_get_int(r, "id");
    long long theirs = conversation_new(other_u.tenant_id, "B", "open", 0, 1, "b", NULL);
    r = itest_request(other, "PATCH", conv_path(theirs, ""),
                      json_pack("{s:[I]}", "labels", label_a), NULL);
    itest_assert_problem(r, 422, "labels");
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/conversations?label=%lld", label_a);
    cr_assert_eq(list_ids(other, path, ids, 64), 0);
}

Test(inbox, patch_status_priority_labels_and_refuse_bad_input)
{
    long long id = conversation_new(owner_u.tenant_id, "Patchy", "open", 0, 1, "x", NULL);
    const char *p = conv_path(id, "");
    char path[128];
    snprintf(path, sizeof(path), "%s", p);
    struct {
        json_t *body;
        const char *field;
    } bad[] = {
        {json_pack("{s:s}", "status", "closed"), "status"},
        {json_pack("{s:s}", "status", "snoozed"), "snoozed_until"},
        {json_pack("{s:s,s:s}", "status", "snoozed", "snoozed_until", "2001-01-01T00:00:00Z"),
         "snoozed_until"},
        {json_pack("{s:s,s:s}", "status", "snoozed", "snoozed_until", "tomorrow"), "snoozed_until"},
        {json_pack("{s:s,s:s}", "status", "snoozed", "snoozed_until", "2026-13-45T99:99:99Z"),
         "snoozed_until"},
        {json_pack("{s:s,s:s}", "status", "open", "snoozed_until", "2099-01-01T00:00:00Z"),
         "snoozed_until"},
        {json_pack("{s:s}", "priority", "asap"), "priority"},
        {json_pack("{s:i}", "priority", 1), "priority"},
        {json_pack("{s:s}", "labels", "1,2"), "labels"},
        {json_pack("{s:[s]}", "labels", "1"), "labels"},
        {json_pack("{s:[i]}", "labels", -4), "labels"},
        {json_pack("{s:[I]}", "labels", (json_int_t)987654321), "labels"},
        {json_pack("{s:s}", "contact_id", "5"), "contact_id"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        itest_resp_t *r = itest_request(owner, "PATCH", path, bad[i].body, NULL);
        itest_assert_problem(r, 422, bad[i].field);
    }
    itest_resp_t *r =
        itest_request_raw(owner, "PATCH", path, "application/json", "{\"status\":", 10, NULL);
    itest_assert_problem(r, 400, NULL);
    r = itest_request_raw(owner, "PATCH", path, "text/plain", "status=open", 11, NULL);
    itest_assert_problem(r, 415, NULL);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversations WHERE id = %lld AND "
                               "status = 'open' AND priority = 'normal'",
                               id),
                 1, "bad input changed nothing");

    r = itest_request(owner, "POST", "/api/v1/labels", json_pack("{s:s}", "name", "Patch L"), NULL);
    long long label = itest_get_int(r, "id");
    r = itest_request(owner, "PATCH", path,
                      json_pack("{s:s,s:[I,I]}", "priority", "urgent", "labels", label, label),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "priority"), "urgent");
    cr_assert_eq(json_array_size(itest_get(r, "labels")), 1);
    r = itest_request(owner, "PATCH", path, json_pack("{s:s}", "status", "resolved"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "status"), "resolved");
    r = itest_request(owner, "PATCH", path, json_pack("{s:[]}", "labels"), NULL);
    cr_assert_eq(json_array_size(itest_get(r, "labels")), 0);
    r = itest_request(owner, "GET", "/api/v1/conversations/0", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(owner, "GET", "/api/v1/conversations/abc", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
}

Test(inbox, snoozed_conversations_wake_up)
{
    long long id = conversation_new(owner_u.tenant_id, "Sleepy", "open", 0, 1, "x", NULL);
    char until[64];
    PGresult *res = itest_sql(conn, "SELECT to_char((now() + interval '2 seconds') AT TIME ZONE "
                                    "'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    snprintf(until, sizeof(until), "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    itest_resp_t *r =
        itest_request(agent_c, "PATCH", conv_path(id, ""),
                      json_pack("{s:s,s:s}", "status", "snoozed", "snoozed_until", until), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "status"), "snoozed");
    cr_assert(json_is_string(itest_get(r, "snoozed_until")));
    bool woke = false;
    for (int i = 0; i < 200 && !woke; i++) {
        woke = itest_sql_int(conn,
                             "SELECT count(*) FROM conversations WHERE id = %lld AND "
                             "status = 'open' AND snoozed_until IS NULL",
                             id) == 1;
        if (!woke)
            itest_sleep_ms(100);
    }
    cr_assert(woke, "laris-worker reopened the conversation after snoozed_until");
    long long ids[200];
    size_t n = list_ids(owner, "/api/v1/conversations?status=open&limit=200", ids, 200);
    cr_assert(holds(ids, n, id));
}

Test(inbox, unread_counts_follow_read_markers_per_person)
{
    long long id = conversation_new(owner_u.tenant_id, "Unread", "open", 0, 0, "satu", NULL);
    message_arrives(id, "dua");
    itest_resp_t *r = itest_request(agent_c, "GET", conv_path(id, ""), NULL, NULL);
    cr_assert_eq(itest_get_int(r, "unread_count"), 2);
    r = itest_request(agent_c, "POST", conv_path(id, "/read"), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(agent_c, "GET", conv_path(id, ""), NULL, NULL);
    cr_assert_eq(itest_get_int(r, "unread_count"), 0);
    r = itest_request(owner, "GET", conv_path(id, ""), NULL, NULL);
    cr_assert_eq(itest_get_int(r, "unread_count"), 2, "the owner has not read it");
    message_arrives(id, "tiga");
    r = itest_request(agent_c, "GET", conv_path(id, ""), NULL, NULL);
    cr_assert_eq(itest_get_int(r, "unread_count"), 1);
    r = itest_request(agent_c, "POST", conv_path(id, "/read"), NULL, "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
}

Test(inbox, notes_are_internal_with_their_author)
{
    long long id = conversation_new(owner_u.tenant_id, "Noted", "open", 0, 0, "x", NULL);
    itest_resp_t *r = itest_request(agent_c, "POST", conv_path(id, "/notes"),
                                    json_pack("{s:s}", "body", "Pelanggan minta diskon <b>"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "kind"), "note");
    cr_assert_str_eq(itest_get_str(r, "author.name"), agent_u.name);
    r = itest_request(owner, "POST", conv_path(id, "/notes"), json_pack("{s:s}", "body", "Oke"),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    r = itest_request(owner, "GET", conv_path(id, "/notes"), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = itest_get(r, "items");
    cr_assert_eq(json_array_size(items), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "body")),
                     "Pelanggan minta diskon <b>");
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM outbox o JOIN messages m ON "
                               "m.tenant_id = o.tenant_id AND m.id = o.message_id "
                               "WHERE m.conversation_id = %lld",
                               id),
                 0, "a note is never sent");
    char big[5000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    struct {
        json_t *body;
        const char *field;
    } bad[] = {{json_pack("{s:s}", "body", "   "), "body"},
               {json_pack("{s:s}", "body", big), "body"},
               {json_pack("{s:i}", "body", 5), "body"},
               {json_pack("{}"), "body"}};
    for (size_t i = 0; i < 4; i++) {
        r = itest_request(owner, "POST", conv_path(id, "/notes"), bad[i].body, NULL);
        itest_assert_problem(r, 422, bad[i].field);
    }
    r = itest_request(owner, "POST", conv_path(id, "/notes"), json_pack("{s:s}", "body", "x"),
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_notes WHERE "
                               "conversation_id = %lld",
                               id),
                 2);
}

/* ---- search on a larger inbox: the walk newest first, the trigram path, paging ---- */

/* n conversations in tenant t, conversation i (1..n) active i minutes ago (so i is the
 * order), contact "Pelanggan <i>", assigned to assignee (0: none) when i is a multiple of 7,
 * with one inbound message "tanya ongkir <i>" when i is even, else "halo <i>". conv[i] gets
 * conversation i's id. */
static void inbox_of(long long t, int n, long long assignee, long long *conv)
{
    PGresult *res = itest_sql(
        conn,
        "WITH c AS (INSERT INTO contacts (tenant_id, wa_id, phone, name) "
        "           SELECT %lld, p, p, 'Pelanggan ' || g FROM generate_series(1, %d) g, "
        "                  LATERAL (SELECT (6289000000000 + g * 13 + %lld * 100000)::text) x(p) "
        "           RETURNING id, substr(name, 11)::int AS i), "
        "v AS (INSERT INTO conversations (tenant_id, contact_id, status, last_message_at, "
        "                                 assignee_id, assigned_at) "
        "      SELECT %lld, c.id, 'open', now() - c.i * interval '1 minute', a.id, "
        "             CASE WHEN a.id IS NOT NULL THEN now() END FROM c "
        "      LEFT JOIN (SELECT nullif(%lld, 0) AS id) a ON c.i %% 7 = 0 "
        "      RETURNING id, contact_id, last_message_at), "
        "m AS (INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, type, "
        "                            body, created_at) "
        "      SELECT %lld, v.id, v.contact_id, 'in', 'text', "
        "             CASE WHEN c.i %% 2 = 0 THEN 'tanya ongkir ' ELSE 'halo ' END || c.i, "
        "             v.last_message_at FROM v JOIN c ON c.id = v.contact_id) "
        "SELECT v.id FROM v JOIN c ON c.id = v.contact_id ORDER BY c.i",
        t, n, t, t, assignee, t);
    cr_assert_eq(PQntuples(res), n);
    for (int i = 1; i <= n; i++)
        conv[i] = atoll(PQgetvalue(res, i - 1, 0));
    PQclear(res);
}

/* Every page of GET path (limit 50) by cursor, checked against want[0..nwant) in order. */
static void pages_match(itest_client_t *c, const char *path, const long long *want, size_t nwant)
{
    char page_path[1024];
    snprintf(page_path, sizeof(page_path), "%s&limit=50", path);
    size_t got = 0;
    for (int page = 0; page < 40; page++) {
        itest_resp_t *r = itest_request(c, "GET", page_path, NULL, NULL);
        cr_assert_eq(r->status, 200, "%s: %s", page_path, r->body);
        json_t *items = itest_get(r, "items");
        for (size_t i = 0; i < json_array_size(items); i++, got++) {
            long long id = json_integer_value(json_object_get(json_array_get(items, i), "id"));
            cr_assert_lt(got, nwant, "%s: more items than %zu", path, nwant);
            cr_assert_eq(id, want[got], "%s: item %zu is %lld, want %lld", path, got, id,
                         want[got]);
        }
        json_t *next = itest_get(r, "next_cursor");
        if (json_is_null(next))
            break;
        cr_assert_eq(json_array_size(items), 50, "%s: a page before the last is full", path);
        snprintf(page_path, sizeof(page_path), "%s&limit=50&cursor=%s", path,
                 json_string_value(next));
    }
    cr_assert_eq(got, nwant, "%s: %zu items, want %zu", path, got, nwant);
}

Test(inbox, search_of_a_common_word_is_quick_ordered_and_pages_exactly)
{
    itest_user_t o, ag;
    itest_client_t *oc = itest_owner_session(&o);
    itest_create_user(oc, "agent", &ag);
    itest_client_t *ac = itest_user_session(&ag);
    enum { N = 700 };
    static long long conv[N + 1], want[N];
    inbox_of(o.tenant_id, N, ag.user_id, conv);
    size_t nwant = 0;
    for (int i = 2; i <= N; i += 2) /* every even one says ongkir, newest first */
        want[nwant++] = conv[i];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long long ids[64];
    size_t n = list_ids(ac, "/api/v1/conversations?q=ongkir&limit=50", ids, 64);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    cr_assert_eq(n, 50);
    cr_assert_lt(ms, 2000, "a common word answers within the search budget (%ld ms)", ms);
    pages_match(ac, "/api/v1/conversations?q=ongkir", want, nwant);
    /* The same word with a filter: the even multiples of 7, assigned to the agent. */
    nwant = 0;
    for (int i = 14; i <= N; i += 14)
        want[nwant++] = conv[i];
    pages_match(ac, "/api/v1/conversations?q=ONGKIR&assignee=me", want, nwant);
    /* Another tenant finds none of it. */
    n = list_ids(other, "/api/v1/conversations?q=ongkir", ids, 64);
    cr_assert_eq(n, 0, "search leaks nothing across tenants");
    itest_client_free(ac);
    itest_client_free(oc);
}

Test(inbox, search_finds_rare_and_old_matches_and_goes_on_past_common_ones)
{
    itest_user_t o;
    itest_client_t *oc = itest_owner_session(&o);
    enum { N = 700 };
    static long long conv[N + 1], common[N];
    inbox_of(o.tenant_id, N, 0, conv);
    /* Rare terms far down the inbox (past the first batch of the walk): a name, message text
     * with LIKE's characters and quotes. */
    PQclear(itest_sql(conn,
                      "UPDATE contacts SET name = 'Zulaikha Langka' WHERE id = "
                      "(SELECT contact_id FROM conversations WHERE id = %lld)",
                      conv[500]));
    PQclear(itest_sql(conn,
                      "INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, "
                      "type, body, created_at) SELECT tenant_id, id, contact_id, 'in', 'text', "
                      "'kode langka 50%%_\\ ''x\"', now() - interval '1 day' FROM conversations "
                      "WHERE id IN (%lld, %lld, %lld)",
                      conv[650], conv[680], conv[699]));
    long long want[4] = {conv[500], conv[650], conv[680], conv[699]};
    pages_match(oc, "/api/v1/conversations?q=langka", want, 4);
    pages_match(oc, q_path("/api/v1/conversations?q=", "50%_\\ 'x\""), want + 1, 3);
    pages_match(oc, q_path("/api/v1/conversations?q=", "zulaikha"), want, 1);
    long long ids[8];
    cr_assert_eq(list_ids(oc, q_path("/api/v1/conversations?q=", "50%x"), ids, 8), 0,
                 "%% is no wildcard on any path");
    cr_assert_eq(list_ids(oc, q_path("/api/v1/conversations?q=", "l_ngka"), ids, 8), 0,
                 "_ is no wildcard on any path");
    /* A word in more messages than the trigram path accepts (2,000), all in conversations
     * 301 and older: the walk goes on past its first batches and still pages exactly. */
    PQclear(itest_sql(conn,
                      "INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, "
                      "type, body, created_at) SELECT v.tenant_id, v.id, v.contact_id, 'out', "
                      "'text', 'promo umum', now() - interval '2 days' "
                      "FROM conversations v, generate_series(1, 6) "
                      "WHERE v.tenant_id = %lld AND v.last_message_at <= "
                      "(SELECT last_message_at FROM conversations WHERE id = %lld)",
                      o.tenant_id, conv[301]));
    size_t ncommon = 0;
    for (int i = 301; i <= N; i++)
        common[ncommon++] = conv[i];
    pages_match(oc, "/api/v1/conversations?q=umum", common, ncommon);
    itest_client_free(oc);
}

Test(inbox, search_terms_too_short_are_refused_with_a_clear_detail)
{
    const char *short_q[] = {"ab", "%20%20ab%20%20", "12", "%25_", "%C3%A9"};
    for (size_t i = 0; i < sizeof(short_q) / sizeof(short_q[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "/api/v1/conversations?q=%s", short_q[i]);
        itest_resp_t *r = itest_request(owner, "GET", path, NULL, NULL);
        itest_assert_problem(r, 422, "q");
        cr_assert(strstr(r->body, "3 to 100 characters"), "%s: %s", short_q[i], r->body);
    }
    itest_resp_t *r = itest_request(owner, "GET", "/api/v1/conversations?q=abc", NULL, NULL);
    cr_assert_eq(r->status, 200, "three characters are enough: %s", r->body);
}

/* conversation_assignments rows of conversation id. */
static long long history_rows(long long id)
{
    return itest_sql_int(conn,
                         "SELECT count(*) FROM conversation_assignments WHERE "
                         "conversation_id = %lld",
                         id);
}

/* PATCH assignee_id (a JSON value) on conversation id as c. */
static itest_resp_t *patch_assignee(itest_client_t *c, long long id, json_t *value)
{
    json_t *body = json_object();
    json_object_set_new(body, "assignee_id", value);
    return itest_request(c, "PATCH", conv_path(id, ""), body, NULL);
}

static long long assignee_of(long long id)
{
    return itest_sql_int(conn, "SELECT coalesce(assignee_id, 0) FROM conversations WHERE id = %lld",
                         id);
}

Test(inbox, patch_assignee_follows_transfer_and_claim_rules)
{
    itest_user_t agent2_u, sup_u, off_u;
    itest_create_user(owner, "agent", &agent2_u);
    itest_create_user(owner, "supervisor", &sup_u);
    itest_create_user(owner, "agent", &off_u);
    itest_client_t *agent2 = itest_user_session(&agent2_u);
    itest_client_t *sup = itest_user_session(&sup_u);
    /* Manual distribution and 'away' agents: laris-worker's assigner stays out of the way. */
    PQclear(itest_sql(conn,
                      "INSERT INTO tenant_settings (tenant_id, distribution_mode) "
                      "VALUES (%lld, 'manual') ON CONFLICT (tenant_id) DO UPDATE "
                      "SET distribution_mode = 'manual'",
                      owner_u.tenant_id));
    PQclear(itest_sql(conn, "UPDATE users SET presence = 'away' WHERE id IN (%lld, %lld, %lld)",
                      agent_u.user_id, agent2_u.user_id, sup_u.user_id));
    long long c1 = conversation_new(owner_u.tenant_id, "Assign Me", "open", 0, 1, "halo", NULL);

    /* The owner gives it to an agent, then to another, then back to waiting. */
    itest_resp_t *r = patch_assignee(owner, c1, json_integer(agent_u.user_id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "assignee.id"), agent_u.user_id);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_assignments WHERE "
                               "conversation_id = %lld AND from_user_id IS NULL AND "
                               "to_user_id = %lld AND reason = 'transfer' AND by_user_id = %lld",
                               c1, agent_u.user_id, owner_u.user_id),
                 1);
    r = patch_assignee(sup, c1, json_integer(agent2_u.user_id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "assignee.id"), agent2_u.user_id);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_assignments WHERE "
                               "conversation_id = %lld AND from_user_id = %lld AND "
                               "to_user_id = %lld AND by_user_id = %lld",
                               c1, agent_u.user_id, agent2_u.user_id, sup_u.user_id),
                 1);
    r = patch_assignee(sup, c1, json_integer(agent2_u.user_id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(history_rows(c1), 2, "the same owner again records nothing");
    r = patch_assignee(owner, c1, json_null());
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(itest_get(r, "assignee")));
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_assignments WHERE "
                               "conversation_id = %lld AND from_user_id = %lld AND "
                               "to_user_id IS NULL",
                               c1, agent2_u.user_id),
                 1);

    /* An agent may only take an unassigned chat for themselves (a claim). */
    r = patch_assignee(agent_c, c1, json_integer(agent2_u.user_id));
    itest_assert_problem(r, 403, NULL);
    cr_assert_eq(assignee_of(c1), 0);
    r = patch_assignee(agent_c, c1, json_integer(agent_u.user_id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "assignee.id"), agent_u.user_id);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM conversation_assignments WHERE "
                               "conversation_id = %lld AND reason = 'claim' AND to_user_id = %lld",
                               c1, agent_u.user_id),
                 1);
    r = patch_assignee(agent_c, c1, json_integer(agent_u.user_id));
    cr_assert_eq(r->status, 200, "claiming one's own chat again is fine: %s", r->body);
    long long rows = history_rows(c1);
    r = patch_assignee(agent2, c1, json_integer(agent2_u.user_id));
    itest_assert_problem(r, 403, NULL);
    r = patch_assignee(agent_c, c1, json_null());
    itest_assert_problem(r, 403, NULL);
    r = patch_assignee(agent_c, c1, json_integer(agent2_u.user_id));
    itest_assert_problem(r, 403, NULL);
    cr_assert_eq(assignee_of(c1), agent_u.user_id);

    /* Only active agents who are not offline, of this business, can be given a chat. */
    long long not_agents[] = {sup_u.user_id, owner_u.user_id, off_u.user_id, other_u.user_id,
                              987654321};
    for (size_t i = 0; i < sizeof(not_agents) / sizeof(not_agents[0]); i++) {
        r = patch_assignee(owner, c1, json_integer(not_agents[i]));
        itest_assert_problem(r, 422, "assignee_id");
    }
    PQclear(itest_sql(conn, "UPDATE users SET active = false WHERE id = %lld", agent2_u.user_id));
    r = patch_assignee(owner, c1, json_integer(agent2_u.user_id));
    itest_assert_problem(r, 422, "assignee_id");
    cr_assert_eq(history_rows(c1), rows, "refusals record nothing");
    cr_assert_eq(assignee_of(c1), agent_u.user_id);

    /* A resolved chat is not handed over. */
    long long done = conversation_new(owner_u.tenant_id, "Done", "resolved", 0, 1, "ok", NULL);
    r = patch_assignee(owner, done, json_integer(agent_u.user_id));
    itest_assert_problem(r, 409, NULL);
    r = patch_assignee(agent_c, done, json_integer(agent_u.user_id));
    itest_assert_problem(r, 409, NULL);
    cr_assert_eq(assignee_of(done), 0);
    itest_client_free(agent2);
    itest_client_free(sup);
}

Test(inbox, patch_assignee_refuses_hostile_input_and_other_tenants)
{
    PQclear(itest_sql(conn, "UPDATE users SET presence = 'away' WHERE id = %lld", agent_u.user_id));
    long long c1 = conversation_new(owner_u.tenant_id, "Hostile", "open", 0, 1, "x", NULL);
    json_t *bad[] = {
        json_string("5"),
        json_string("1; DROP TABLE conversations"),
        json_real(1.5),
        json_integer(0),
        json_integer(-7),
        json_true(),
        json_pack("[I]", (json_int_t)agent_u.user_id),
        json_pack("{s:I}", "id", (json_int_t)agent_u.user_id),
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        itest_assert_problem(patch_assignee(owner, c1, bad[i]), 422, "assignee_id");
    /* A bad field next to a good assignee changes nothing either. */
    itest_resp_t *r = itest_request(
        owner, "PATCH", conv_path(c1, ""),
        json_pack("{s:I,s:s}", "assignee_id", (json_int_t)agent_u.user_id, "priority", "asap"),
        NULL);
    itest_assert_problem(r, 422, "priority");
    r = itest_request_raw(owner, "PATCH", conv_path(c1, ""), "application/json",
                          "{\"assignee_id\":99999999999999999999999}", 39, NULL);
    cr_assert(r->status == 400 || r->status == 422, "%ld %s", r->status, r->body);
    size_t big = (size_t)17 * 1024;
    char *huge = malloc(big + 64);
    cr_assert_not_null(huge);
    int head = snprintf(huge, 64, "{\"assignee_id\":%lld,\"x\":\"", agent_u.user_id);
    memset(huge + head, 'a', big);
    memcpy(huge + head + big, "\"}", 3);
    r = itest_request_raw(owner, "PATCH", conv_path(c1, ""), "application/json", huge, strlen(huge),
                          NULL);
    itest_assert_problem(r, 413, NULL);
    free(huge);
    /* Without the CSRF token a session changes nothing. */
    r = itest_request(owner, "PATCH", conv_path(c1, ""),
                      json_pack("{s:I}", "assignee_id", (json_int_t)agent_u.user_id),
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    /* Another business: its conversation is not found, its agent is not one of ours. */
    r = patch_assignee(other, c1, json_integer(other_u.user_id));
    itest_assert_problem(r, 404, NULL);
    r = patch_assignee(other, c1, json_null());
    itest_assert_problem(r, 404, NULL);
    long long theirs = conversation_new(other_u.tenant_id, "Theirs", "open", 0, 1, "y", NULL);
    r = patch_assignee(owner, theirs, json_integer(agent_u.user_id));
    itest_assert_problem(r, 404, NULL);
    cr_assert_eq(assignee_of(c1), 0, "bad input changed the owner");
    cr_assert_eq(assignee_of(theirs), 0);
    cr_assert_eq(history_rows(c1) + history_rows(theirs), 0);
}

Test(inbox, get_one_conversation_carries_its_sla)
{
    long long id = conversation_new(owner_u.tenant_id, "Sla", "open", 0, 3, "tolong", NULL);
    itest_resp_t *r = itest_request(owner, "GET", conv_path(id, ""), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_object(itest_get(r, "sla")), "%s", r->body);
    cr_assert(json_is_null(itest_get(r, "sla.first_response_seconds")));
    PQclear(itest_sql(conn,
                      "UPDATE conversations SET first_inbound_at = '2026-11-20T02:00:00Z', "
                      "sla_due_at = '2026-11-20T02:05:00Z', "
                      "sla_warned_at = '2026-11-20T02:04:00Z', "
                      "sla_breached_at = '2026-11-20T02:05:00Z', "
                      "first_response_at = '2026-11-20T02:07:00Z', "
                      "first_response_seconds = 420 WHERE id = %lld",
                      id));
    r = itest_request(agent_c, "GET", conv_path(id, ""), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "sla.sla_due_at"), "2026-11-20T02:05:00Z");
    cr_assert_str_eq(itest_get_str(r, "sla.sla_warned_at"), "2026-11-20T02:04:00Z");
    cr_assert_str_eq(itest_get_str(r, "sla.sla_breached_at"), "2026-11-20T02:05:00Z");
    cr_assert_eq(itest_get_int(r, "sla.first_response_seconds"), 420);
    json_t *embedded = json_deep_copy(itest_get(r, "sla"));
    itest_resp_t *s = itest_request(agent_c, "GET", conv_path(id, "/sla"), NULL, NULL);
    cr_assert_eq(s->status, 200, "%s", s->body);
    cr_assert(json_equal(embedded, s->json), "GET …/sla says the same: %s", s->body);
    json_decref(embedded);
    /* PATCH answers the conversation with its SLA too; another business sees neither. */
    r = itest_request(owner, "PATCH", conv_path(id, ""), json_pack("{s:s}", "priority", "high"),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "sla.first_response_seconds"), 420);
    itest_assert_problem(itest_request(other, "GET", conv_path(id, ""), NULL, NULL), 404, NULL);
    itest_assert_problem(itest_request(other, "GET", conv_path(id, "/sla"), NULL, NULL), 404, NULL);
}

/* A deep copy of the sla object of conversation id in the list answer to GET path (asserts 200
 * and that the item is there). The caller owns it. */
static json_t *listed_sla(itest_client_t *c, const char *path, long long id)
{
    itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s: %s", path, r->body);
    json_t *items = itest_get(r, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *item = json_array_get(items, i);
        cr_assert(json_is_object(json_object_get(item, "sla")), "%s: an item without sla", path);
        if (json_integer_value(json_object_get(item, "id")) == id)
            return json_deep_copy(json_object_get(item, "sla"));
    }
    cr_assert_fail("%s: conversation %lld is not listed: %s", path, id, r->body);
    return NULL;
}

/* The sla object of GET /conversations/{id} (as agent c), checked equal to GET …/sla. */
static json_t *own_sla(itest_client_t *c, long long id)
{
    itest_resp_t *r = itest_request(c, "GET", conv_path(id, ""), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *sla = json_deep_copy(itest_get(r, "sla"));
    r = itest_request(c, "GET", conv_path(id, "/sla"), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_equal(sla, r->json), "GET …/sla says the same: %s", r->body);
    return sla;
}

Test(inbox, list_items_carry_the_same_sla_as_one_conversation)
{
    itest_user_t o;
    itest_client_t *oc = itest_owner_session(&o);
    enum { N = 150 };
    static long long conv[N + 1];
    inbox_of(o.tenant_id, N, 0, conv);
    /* Conversation 3 answered late (every figure set); 150 warned and breached, no answer. */
    PQclear(itest_sql(conn,
                      "UPDATE conversations SET first_inbound_at = '2026-11-20T02:00:00Z', "
                      "sla_due_at = '2026-11-20T02:05:00Z', "
                      "sla_warned_at = '2026-11-20T02:04:00Z', "
                      "sla_breached_at = '2026-11-20T02:05:01Z', "
                      "first_response_at = '2026-11-20T02:07:00Z', first_response_seconds = 420, "
                      "first_response_business_seconds = 300, resolution_seconds = 3600, "
                      "resolution_business_seconds = 1800 WHERE id = %lld",
                      conv[3]));
    PQclear(itest_sql(conn,
                      "UPDATE conversations SET first_inbound_at = now() - interval '10 minutes', "
                      "sla_due_at = now() - interval '5 minutes', "
                      "sla_warned_at = now() - interval '6 minutes', "
                      "sla_breached_at = now() - interval '5 minutes' WHERE id = %lld",
                      conv[N]));
    json_t *answered = own_sla(oc, conv[3]);
    cr_assert_eq(json_integer_value(json_object_get(answered, "resolution_business_seconds")),
                 1800);
    cr_assert_str_eq(json_string_value(json_object_get(answered, "sla_breached_at")),
                     "2026-11-20T02:05:01Z");
    json_t *waiting = own_sla(oc, conv[N]);
    cr_assert(json_is_string(json_object_get(waiting, "sla_breached_at")));
    cr_assert(json_is_null(json_object_get(waiting, "first_response_at")));

    /* The plain list (inbox_page), a search the first walk batch answers (inbox_search_batch:
     * 3, 30 and 31 match, a page of 2 is full) and one only the trigram indexes answer
     * (inbox_search: 150 is past the first batch of 100 and the only match). */
    struct {
        const char *path;
        json_t *want;
        long long id;
    } cases[] = {
        {"/api/v1/conversations?limit=10", answered, conv[3]},
        {"/api/v1/conversations?limit=200&status=open", waiting, conv[N]},
        {"/api/v1/conversations?q=Pelanggan%203&limit=2", answered, conv[3]},
        {"/api/v1/conversations?q=Pelanggan%20150", waiting, conv[N]},
    };
    /* A list item carries the times the badge needs, the same as GET /{id}, and no more. */
    static const char *const listed[] = {"first_response_at", "sla_due_at", "sla_warned_at",
                                         "sla_breached_at"};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *got = listed_sla(oc, cases[i].path, cases[i].id);
        cr_assert_eq(json_object_size(got), 4, "%s: %zu members", cases[i].path,
                     json_object_size(got));
        for (size_t k = 0; k < 4; k++)
            cr_assert(json_equal(json_object_get(got, listed[k]),
                                 json_object_get(cases[i].want, listed[k])),
                      "%s: the listed %s differs from GET /{id}", cases[i].path, listed[k]);
        json_decref(got);
    }
    /* A conversation nobody answered lists no first response. */
    json_t *plain = listed_sla(oc, "/api/v1/conversations?limit=10", conv[1]);
    cr_assert(json_is_null(json_object_get(plain, "first_response_at")));
    cr_assert(json_is_null(json_object_get(plain, "sla_breached_at")));
    json_decref(plain);
    json_decref(answered);
    json_decref(waiting);
    /* Another business lists none of it. */
    long long ids[8];
    cr_assert_eq(list_ids(other, "/api/v1/conversations?q=Pelanggan%20150", ids, 8), 0);
    itest_client_free(oc);
}
