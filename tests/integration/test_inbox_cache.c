/* Integration: the inbox cache (src/crm/inbox_cache.c). A page asked twice comes from the
 * cache the second time, the same bytes; each session and each request target has its own
 * page (unread counts differ per person); another tenant never gets it; every kind of change is
 * seen on the next list: an API write (status, read marker), a message written by a webhook
 * path (through laris-events), laris-worker's snooze wake-up; a session vouched for by the
 * cache is refused at once after a logout, a deactivation or a password change, and a token
 * moved to another tenant's number is refused; bad filters are never cached; and with Redis
 * stopped the list still answers from PostgreSQL. Fixtures go in as the superuser. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

TestSuite(inbox_cache, .init = setup, .fini = teardown, .timeout = 120);

/* A contact and its open conversation in tenant with one inbound message body; returns the
 * conversation id. Written the way a webhook writes it: the message insert publishes
 * message.new, so laris-events moves the tenant's inbox version on. */
static long long conversation_new(long long tenant, const char *name, const char *body)
{
    char digits[9];
    itest_random_digits(digits, 8);
    PGresult *res = itest_sql(
        conn,
        "WITH c AS (INSERT INTO contacts (tenant_id, wa_id, phone, name) "
        "           VALUES (%lld, '62813%s', '62813%s', '%s') RETURNING id), "
        "v AS (INSERT INTO conversations (tenant_id, contact_id, status, last_message_at) "
        "      SELECT %lld, c.id, 'open', clock_timestamp() FROM c RETURNING id, contact_id), "
        "m AS (INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, type, "
        "body) "
        "      SELECT %lld, v.id, v.contact_id, 'in', 'text', '%s' FROM v) "
        "SELECT id FROM v",
        tenant, digits, digits, name, tenant, tenant, body);
    long long id = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return id;
}

/* GET path as c; asserts 200 and that X-Laris-Cache says hit or miss. */
static itest_resp_t *list(itest_client_t *c, const char *path)
{
    itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s: %s", path, r->body);
    const char *cache = itest_header(r, "X-Laris-Cache");
    cr_assert(cache && (strcmp(cache, "hit") == 0 || strcmp(cache, "miss") == 0),
              "%s: X-Laris-Cache is %s", path, cache ? cache : "missing");
    return r;
}

static bool is_hit(const itest_resp_t *r)
{
    return strcmp(itest_header(r, "X-Laris-Cache"), "hit") == 0;
}

/* The item of conversation id in a list answer, or NULL. */
static json_t *item_of(const itest_resp_t *r, long long id)
{
    json_t *items = itest_get(r, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *item = json_array_get(items, i);
        if (json_integer_value(json_object_get(item, "id")) == id)
            return item;
    }
    return NULL;
}

static bool holds(const itest_resp_t *r, long long id)
{
    return item_of(r, id) != NULL;
}

static bool answered_by_cache(const itest_resp_t *r, long long id)
{
    (void)id;
    return is_hit(r);
}

static bool holds_from_cache(const itest_resp_t *r, long long id)
{
    return is_hit(r) && holds(r, id);
}

static const char *item_str(const itest_resp_t *r, long long id, const char *member)
{
    json_t *item = item_of(r, id);
    cr_assert_not_null(item, "conversation %lld is not in the page", id);
    return json_string_value(json_object_get(item, member));
}

/* Lists path as c until check(answer, id) holds, for up to 10 s; asserts it did. */
static void list_until(itest_client_t *c, const char *path, long long id,
                       bool (*check)(const itest_resp_t *, long long), const char *what)
{
    for (int i = 0; i < 100; i++) {
        itest_resp_t *r = list(c, path);
        if (check(r, id))
            return;
        itest_sleep_ms(100);
    }
    cr_assert_fail("the list never showed %s", what);
}

static const char *conv_path(long long id, const char *suffix)
{
    static char path[128];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld%s", id, suffix);
    return path;
}

Test(inbox_cache, a_page_asked_again_comes_from_the_cache_unchanged)
{
    long long id = conversation_new(owner_u.tenant_id, "Cache Satu", "halo");
    list_until(owner, "/api/v1/conversations", id, holds_from_cache,
               "the new conversation, from the cache");
    itest_resp_t *first = list(owner, "/api/v1/conversations");
    itest_resp_t *second = list(owner, "/api/v1/conversations");
    cr_assert(is_hit(second), "the same page again is a hit");
    cr_assert_str_eq(second->body, first->body, "a hit answers the same bytes");
    cr_assert_str_eq(itest_header(second, "Content-Type"), itest_header(first, "Content-Type"));
}

Test(inbox_cache, each_person_and_filter_has_its_own_page)
{
    long long id = conversation_new(owner_u.tenant_id, "Cache Dua", "ada stok?");
    list_until(owner, "/api/v1/conversations", id, holds_from_cache,
               "the new conversation, from the cache");
    list(owner, "/api/v1/conversations");
    itest_resp_t *agent_first = list(agent_c, "/api/v1/conversations");
    cr_assert(!is_hit(agent_first), "the owner's page is not the agent's");
    cr_assert_not_null(item_of(agent_first, id));
    cr_assert(!is_hit(list(owner, "/api/v1/conversations?limit=7")), "another filter: a miss");
    cr_assert(!is_hit(list(owner, "/api/v1/conversations?q=Cache%20Dua")), "a search: a miss");
    itest_resp_t *found = list(owner, "/api/v1/conversations?q=Cache%20Dua");
    cr_assert(is_hit(found));
    cr_assert_not_null(item_of(found, id), "the cached search still holds its result");

    /* The owner reads the chat: the owner's unread count drops, the agent's stays. */
    itest_resp_t *r = itest_request(owner, "POST", conv_path(id, "/read"), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_resp_t *owner_after = list(owner, "/api/v1/conversations");
    cr_assert(!is_hit(owner_after), "a read marker is a change: the next page is made anew");
    cr_assert_eq(json_integer_value(json_object_get(item_of(owner_after, id), "unread_count")), 0);
    itest_resp_t *agent_after = list(agent_c, "/api/v1/conversations");
    cr_assert_eq(json_integer_value(json_object_get(item_of(agent_after, id), "unread_count")), 1,
                 "the agent has not read it");
}

Test(inbox_cache, another_tenant_never_gets_the_page)
{
    long long id = conversation_new(owner_u.tenant_id, "Cache Tiga", "rahasia toko A");
    list_until(owner, "/api/v1/conversations", id, holds_from_cache,
               "the new conversation, from the cache");
    list(owner, "/api/v1/conversations");
    itest_resp_t *theirs = list(other, "/api/v1/conversations");
    cr_assert_null(item_of(theirs, id), "tenant B's page holds none of tenant A's chats");
    cr_assert_null(strstr(theirs->body, "rahasia toko A"));
    itest_resp_t *search = list(other, "/api/v1/conversations?q=rahasia");
    cr_assert_null(item_of(search, id));
}

static bool is_resolved(const itest_resp_t *r, long long id)
{
    json_t *item = item_of(r, id);
    return item && strcmp(json_string_value(json_object_get(item, "status")), "resolved") == 0;
}

Test(inbox_cache, an_api_change_is_on_the_next_page)
{
    long long id = conversation_new(owner_u.tenant_id, "Cache Empat", "terima kasih");
    list_until(owner, "/api/v1/conversations", id, holds_from_cache,
               "the new conversation, from the cache");
    cr_assert(is_hit(list(owner, "/api/v1/conversations")));
    itest_resp_t *r = itest_request(owner, "PATCH", conv_path(id, ""),
                                    json_pack("{s:s}", "status", "resolved"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_resp_t *after = list(owner, "/api/v1/conversations");
    cr_assert(is_resolved(after, id), "the very next page shows the change");
    cr_assert_str_eq(item_str(after, id, "status"), "resolved");
}

static bool last_preview_is_new(const itest_resp_t *r, long long id)
{
    json_t *item = item_of(r, id);
    if (!item)
        return false;
    const char *preview =
        json_string_value(json_object_get(json_object_get(item, "last_message"), "preview"));
    return preview && strcmp(preview, "pesan kedua dari webhook") == 0;
}

Test(inbox_cache, a_message_from_a_webhook_path_reaches_the_cached_list)
{
    long long id = conversation_new(owner_u.tenant_id, "Cache Lima", "pesan pertama");
    list_until(owner, "/api/v1/conversations", id, holds_from_cache,
               "the new conversation, from the cache");
    cr_assert(is_hit(list(owner, "/api/v1/conversations")));
    PQclear(itest_sql(conn,
                      "INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, "
                      "type, body) SELECT tenant_id, id, contact_id, 'in', 'text', "
                      "'pesan kedua dari webhook' FROM conversations WHERE id = %lld",
                      id));
    list_until(owner, "/api/v1/conversations", id, last_preview_is_new,
               "the message laris-events published");
}

static bool is_open(const itest_resp_t *r, long long id)
{
    json_t *item = item_of(r, id);
    return item && strcmp(json_string_value(json_object_get(item, "status")), "open") == 0;
}

static bool is_snoozed_from_cache(const itest_resp_t *r, long long id)
{
    json_t *item = item_of(r, id);
    return is_hit(r) && item &&
           strcmp(json_string_value(json_object_get(item, "status")), "snoozed") == 0;
}

Test(inbox_cache, the_snooze_wake_up_reaches_the_cached_list)
{
    long long id = conversation_new(owner_u.tenant_id, "Cache Enam", "nanti saja");
    PGresult *res = itest_sql(conn, "SELECT to_char((now() + interval '2 seconds') AT TIME ZONE "
                                    "'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    char until[64];
    snprintf(until, sizeof(until), "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    itest_resp_t *r =
        itest_request(owner, "PATCH", conv_path(id, ""),
                      json_pack("{s:s,s:s}", "status", "snoozed", "snoozed_until", until), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    list_until(owner, "/api/v1/conversations", id, is_snoozed_from_cache,
               "the snoozed chat, from the cache");
    list_until(owner, "/api/v1/conversations", id, is_open, "the chat laris-worker woke up");
}

Test(inbox_cache, bad_filters_are_refused_before_the_cache)
{
    const char *paths[] = {"/api/v1/conversations?limit=0", "/api/v1/conversations?cursor=abc",
                           "/api/v1/conversations?status=%27%3B%20DROP%20TABLE",
                           "/api/v1/conversations?label=1e9"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        for (int twice = 0; twice < 2; twice++) {
            itest_resp_t *r = itest_request(owner, "GET", paths[i], NULL, NULL);
            itest_assert_problem(r, 422, NULL);
            cr_assert_null(itest_header(r, "X-Laris-Cache"), "%s: no cache for errors", paths[i]);
        }
    }
}

Test(inbox_cache, without_redis_the_list_answers_from_postgresql)
{
    long long id = conversation_new(owner_u.tenant_id, "Cache Tujuh", "redis mati");
    list_until(owner, "/api/v1/conversations", id, holds_from_cache,
               "the new conversation, from the cache");
    itest_stack_service("redis", "stop");
    itest_resp_t *r = itest_request(owner, "GET", "/api/v1/conversations", NULL, NULL);
    int status = (int)r->status;
    const char *cache = itest_header(r, "X-Laris-Cache");
    bool listed = item_of(r, id) != NULL;
    itest_stack_service("redis", "start");
    cr_assert_eq(status, 200, "%s", r->body);
    cr_assert(cache && strcmp(cache, "miss") == 0);
    cr_assert(listed);
    /* Redis back (empty or not): a new version starts, the page is made and kept again. */
    list_until(owner, "/api/v1/conversations", id, answered_by_cache, "a hit after Redis returned");
}

/* Lists until the page is a hit (the session and the page are then in the cache). */
static void warm(itest_client_t *c)
{
    list_until(c, "/api/v1/conversations", 0, answered_by_cache, "a page from the cache");
}

static void assert_refused(itest_client_t *c, const char *what)
{
    itest_resp_t *r = itest_request(c, "GET", "/api/v1/conversations", NULL, NULL);
    cr_assert_eq(r->status, 401, "%s: the list answered %ld: %.200s", what, r->status, r->body);
    itest_assert_problem(r, 401, NULL);
}

Test(inbox_cache, a_logged_out_session_is_refused_at_once)
{
    itest_client_t *second = itest_user_session(&agent_u);
    warm(second);
    itest_resp_t *r = itest_request(second, "POST", "/api/v1/auth/logout", NULL, NULL);
    cr_assert(r->status == 200 || r->status == 204, "logout answered %ld: %s", r->status, r->body);
    /* The cookie jar dropped the cookie: send the old one by hand. */
    char cookie[256];
    snprintf(cookie, sizeof(cookie), "Cookie: laris_session=%s", itest_client_session(second));
    itest_client_t *replay = itest_client_new();
    r = itest_request(replay, "GET", "/api/v1/conversations", NULL, cookie, NULL);
    cr_assert_eq(r->status, 401, "the ended session still listed: %ld", r->status);
    itest_client_free(replay);
    itest_client_free(second);
}

Test(inbox_cache, a_deactivated_agent_is_refused_at_once)
{
    warm(agent_c);
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/users/%lld", agent_u.user_id);
    itest_resp_t *r = itest_request(owner, "PATCH", path, json_pack("{s:b}", "active", 0), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    assert_refused(agent_c, "deactivated");
}

Test(inbox_cache, a_password_change_ends_the_other_sessions_at_once)
{
    itest_client_t *second = itest_user_session(&agent_u);
    warm(second);
    itest_resp_t *r = itest_request(agent_c, "PUT", "/api/v1/me/password",
                                    json_pack("{s:s, s:s}", "current_password", agent_u.password,
                                              "new_password", "Ganti-sandi-2026"),
                                    NULL);
    cr_assert(r->status == 200 || r->status == 204, "%ld: %s", r->status, r->body);
    assert_refused(second, "after the password change");
    itest_client_free(second);
}

Test(inbox_cache, a_session_under_another_tenants_number_is_refused)
{
    warm(agent_c);
    const char *token = itest_client_session(agent_c);
    const char *secret = strchr(token, '.');
    cr_assert_not_null(secret);
    char cookie[256];
    snprintf(cookie, sizeof(cookie), "Cookie: laris_session=%lld%s", other_u.tenant_id, secret);
    itest_client_t *forger = itest_client_new();
    itest_resp_t *r = itest_request(forger, "GET", "/api/v1/conversations", NULL, cookie, NULL);
    cr_assert_eq(r->status, 401, "a token moved to tenant B listed: %ld", r->status);
    itest_client_free(forger);
}
