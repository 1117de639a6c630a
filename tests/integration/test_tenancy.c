/* Integration: one business never sees or touches another's people or tokens, whether it comes
 * with an owner's session or with its API token. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

/* Two businesses: A (owner, agent, an owner-role API token) and B (owner, agent). */
typedef struct {
    itest_user_t a_owner, a_agent, b_owner, b_agent;
    itest_client_t *a;       /* A's owner, by session */
    itest_client_t *a_token; /* A's owner-role API token, by Bearer */
    itest_client_t *b;       /* B's owner, by session */
    char a_secret[128];
} world_t;

static void world_make(world_t *w)
{
    memset(w, 0, sizeof(*w));
    w->a = itest_owner_session(&w->a_owner);
    itest_create_user(w->a, "agent", &w->a_agent);
    w->b = itest_owner_session(&w->b_owner);
    itest_create_user(w->b, "agent", &w->b_agent);
    cr_assert_neq(w->a_owner.tenant_id, w->b_owner.tenant_id);

    itest_resp_t *r =
        itest_request(w->a, "POST", "/api/v1/tokens",
                      json_pack("{s:s, s:s}", "name", "A program", "role", "owner"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    snprintf(w->a_secret, sizeof(w->a_secret), "%s", itest_get_str(r, "secret"));
    w->a_token = itest_client_new();
    itest_client_set_bearer(w->a_token, w->a_secret);
    r = itest_request(w->a_token, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "A's token works: %s", r->body);
}

static void world_free(world_t *w)
{
    itest_client_free(w->a);
    itest_client_free(w->a_token);
    itest_client_free(w->b);
}

static void user_path(char *out, size_t size, long long id)
{
    snprintf(out, size, "/api/v1/users/%lld", id);
}

/* Every way of reading or changing B's person from c ends in 404. */
static void assert_cannot_touch(itest_client_t *c, const itest_user_t *target)
{
    char path[64];
    user_path(path, sizeof(path), target->user_id);
    itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    cr_assert_null(strstr(r->body, target->email), "the 404 leaks the email");
    r = itest_request(c, "PATCH", path, json_pack("{s:s}", "name", "Taken Over"), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(c, "PATCH", path, json_pack("{s:i}", "max_chats", 1), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(c, "PATCH", path, json_pack("{s:b}", "active", 0), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(c, "PATCH", path, json_pack("{s:s}", "password", "Taken-over-pw"), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(c, "DELETE", path, NULL, NULL);
    itest_assert_problem(r, 404, NULL);
}

/* B's person is as before: same name, max_chats, active, and the password still works. */
static void assert_unchanged(world_t *w, const itest_user_t *target)
{
    char path[64];
    user_path(path, sizeof(path), target->user_id);
    itest_resp_t *r = itest_request(w->b, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "name"), target->name);
    cr_assert_eq(itest_get_int(r, "max_chats"), 10);
    cr_assert(json_is_true(itest_get(r, "active")), "%s", r->body);
    itest_client_t *probe = itest_client_new();
    r = itest_login(probe, target->email, "Taken-over-pw");
    itest_assert_problem(r, 401, NULL);
    r = itest_login(probe, target->email, target->password);
    cr_assert_eq(r->status, 200, "B's person still logs in: %s", r->body);
    itest_client_free(probe);
}

/* The ids c lists across every page (limit=1), into ids; returns how many. */
static size_t list_all(itest_client_t *c, long long *ids, size_t max)
{
    size_t n = 0;
    char path[256] = "/api/v1/users?limit=1";
    for (int page = 0; page < 50; page++) {
        itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
        cr_assert_eq(r->status, 200, "%s", r->body);
        json_t *items = itest_get(r, "items");
        cr_assert(json_is_array(items) && json_array_size(items) <= 1, "%s", r->body);
        if (json_array_size(items) == 1) {
            cr_assert(n < max);
            ids[n++] =
                (long long)json_integer_value(json_object_get(json_array_get(items, 0), "id"));
        }
        json_t *next = itest_get(r, "next_cursor");
        if (json_is_null(next))
            return n;
        cr_assert(json_is_string(next), "%s", r->body);
        snprintf(path, sizeof(path), "/api/v1/users?limit=1&cursor=%s", json_string_value(next));
    }
    cr_assert_fail("more than 50 pages");
    return n;
}

static bool contains(const long long *ids, size_t n, long long id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static void assert_lists_only_a(world_t *w, itest_client_t *c)
{
    long long ids[64];
    size_t n = list_all(c, ids, 64);
    cr_assert_eq(n, 2, "A has 2 people, the list shows %zu", n);
    cr_assert(contains(ids, n, w->a_owner.user_id));
    cr_assert(contains(ids, n, w->a_agent.user_id));
    cr_assert_not(contains(ids, n, w->b_owner.user_id));
    cr_assert_not(contains(ids, n, w->b_agent.user_id));
}

Test(tenancy, session_cannot_reach_other_tenant_users)
{
    world_t w;
    world_make(&w);
    assert_cannot_touch(w.a, &w.b_agent);
    assert_cannot_touch(w.a, &w.b_owner);
    assert_unchanged(&w, &w.b_agent);
    assert_unchanged(&w, &w.b_owner);
    world_free(&w);
}

Test(tenancy, api_token_cannot_reach_other_tenant_users)
{
    world_t w;
    world_make(&w);
    assert_cannot_touch(w.a_token, &w.b_agent);
    assert_cannot_touch(w.a_token, &w.b_owner);
    assert_unchanged(&w, &w.b_agent);
    assert_unchanged(&w, &w.b_owner);
    world_free(&w);
}

Test(tenancy, list_shows_only_own_users)
{
    world_t w;
    world_make(&w);
    assert_lists_only_a(&w, w.a);
    assert_lists_only_a(&w, w.a_token);
    itest_resp_t *r = itest_request(w.a, "GET", "/api/v1/users", NULL, NULL);
    cr_assert_null(strstr(r->body, w.b_agent.email));
    cr_assert_null(strstr(r->body, w.b_owner.email));
    world_free(&w);
}

Test(tenancy, cursor_of_another_tenant_id_lists_only_own_users)
{
    world_t w;
    world_make(&w);
    /* a cursor made by hand to start just before B's owner */
    char plain[32], cursor[64], path[128];
    int n = snprintf(plain, sizeof(plain), "id:%lld", w.b_owner.user_id - 1);
    sodium_bin2base64(cursor, sizeof(cursor), (const unsigned char *)plain, (size_t)n,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(path, sizeof(path), "/api/v1/users?cursor=%s", cursor);
    itest_resp_t *r = itest_request(w.a, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    size_t i;
    json_t *item;
    json_array_foreach(itest_get(r, "items"), i, item)
    {
        long long id = (long long)json_integer_value(json_object_get(item, "id"));
        cr_assert(id == w.a_owner.user_id || id == w.a_agent.user_id, "lists %lld: %s", id,
                  r->body);
    }
    world_free(&w);
}

Test(tenancy, credentials_do_not_cross_tenants)
{
    world_t w;
    world_make(&w);
    /* A's session token and API token with B's tenant id put in front */
    const char *session = itest_client_session(w.a);
    const char *dot = strchr(session, '.');
    cr_assert_not_null(dot, "session token %s", session);
    char forged[400];
    snprintf(forged, sizeof(forged), "Cookie: laris_session=%lld%s", w.b_owner.tenant_id, dot);
    itest_client_t *c = itest_client_new();
    itest_resp_t *r = itest_request(c, "GET", "/api/v1/me", NULL, forged, NULL);
    itest_assert_problem(r, 401, NULL);

    const char *secret_part = strchr(w.a_secret + 4, '_');
    cr_assert_not_null(secret_part, "secret %s", w.a_secret);
    snprintf(forged, sizeof(forged), "Authorization: Bearer lrs_%lld%s", w.b_owner.tenant_id,
             secret_part);
    r = itest_request(c, "GET", "/api/v1/users", NULL, forged, NULL);
    itest_assert_problem(r, 401, NULL);
    itest_client_free(c);
    world_free(&w);
}

Test(tenancy, tokens_of_another_tenant_are_out_of_reach)
{
    world_t w;
    world_make(&w);
    itest_resp_t *r =
        itest_request(w.b, "POST", "/api/v1/tokens", json_pack("{s:s}", "name", "B program"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long b_token_id = itest_get_int(r, "token.id");
    char b_secret[128];
    snprintf(b_secret, sizeof(b_secret), "%s", itest_get_str(r, "secret"));

    char path[64];
    snprintf(path, sizeof(path), "/api/v1/tokens/%lld", b_token_id);
    r = itest_request(w.a, "DELETE", path, NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(w.a, "GET", "/api/v1/tokens", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 1, "A sees only its token: %s", r->body);
    cr_assert_null(strstr(r->body, "B program"));

    itest_client_t *b_program = itest_client_new();
    itest_client_set_bearer(b_program, b_secret);
    r = itest_request(b_program, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "B's token still works: %s", r->body);
    cr_assert_eq(itest_get_int(r, "tenant.id"), w.b_owner.tenant_id);
    itest_client_free(b_program);
    world_free(&w);
}
