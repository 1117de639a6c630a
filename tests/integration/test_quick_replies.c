/* Integration: quick replies. Supervisors and owners write them, agents read and use them;
 * shortcuts are /[a-z0-9_-]{1,32} and unique per tenant; ?q= is a shortcut prefix (where _ and -
 * are plain characters); GET /conversations/{id}/quick-replies renders {{nama}} (name, else
 * profile name, else "Kak"), {{agen}} and {{bisnis}} and leaves anything else as typed; another
 * tenant's ids answer 404. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "db.h"

static PGconn *conn;
static itest_client_t *owner, *agent, *other;
static itest_user_t owner_u, agent_u, other_u;

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    owner = itest_owner_session(&owner_u);
    itest_create_user(owner, "agent", &agent_u);
    agent = itest_user_session(&agent_u);
    other = itest_owner_session(&other_u);
}

static void teardown(void)
{
    itest_client_free(owner);
    itest_client_free(agent);
    itest_client_free(other);
    PQfinish(conn);
}

TestSuite(quick_replies, .init = setup, .fini = teardown, .timeout = 60);

static long long reply_new(itest_client_t *c, const char *shortcut, const char *body)
{
    itest_resp_t *r =
        itest_request(c, "POST", "/api/v1/quick-replies",
                      json_pack("{s:s,s:s}", "shortcut", shortcut, "body", body), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    return itest_get_int(r, "id");
}

static const char *reply_path(long long id)
{
    static char path[64];
    snprintf(path, sizeof(path), "/api/v1/quick-replies/%lld", id);
    return path;
}

/* A conversation whose contact has name (SQL literal or NULL) and profile_name. */
static long long conversation_with(long long tenant, const char *name_sql, const char *profile_sql)
{
    long long contact = itest_sql_int(conn,
                                      "INSERT INTO contacts (tenant_id, wa_id, name, profile_name) "
                                      "VALUES (%lld, 'qr-' || md5(random()::text), %s, %s) "
                                      "RETURNING id",
                                      tenant, name_sql, profile_sql);
    return itest_sql_int(conn,
                         "INSERT INTO conversations (tenant_id, contact_id) VALUES (%lld, %lld) "
                         "RETURNING id",
                         tenant, contact);
}

/* The rendered text of the only match of prefix in conversation conv, as agent. */
static const char *rendered(long long conv, const char *prefix)
{
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld/quick-replies?q=%s", conv, prefix);
    itest_resp_t *r = itest_request(agent, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = itest_get(r, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    return json_string_value(json_object_get(json_array_get(items, 0), "text"));
}

Test(quick_replies, crud_with_roles)
{
    long long id = reply_new(owner, "ongkir", "Ongkir ke {{kota}} Rp10.000");
    itest_resp_t *r = itest_request(agent, "GET", reply_path(id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "shortcut"), "/ongkir");
    r = itest_request(agent, "POST", "/api/v1/quick-replies",
                      json_pack("{s:s,s:s}", "shortcut", "/agen", "body", "x"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(agent, "PATCH", reply_path(id), json_pack("{s:s}", "body", "x"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(agent, "DELETE", reply_path(id), NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(owner, "PATCH", reply_path(id),
                      json_pack("{s:s}", "shortcut", "/ongkos-kirim"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "shortcut"), "/ongkos-kirim");
    cr_assert_str_eq(itest_get_str(r, "body"), "Ongkir ke {{kota}} Rp10.000");
    r = itest_request(owner, "DELETE", reply_path(id), NULL, NULL);
    cr_assert_eq(r->status, 204);
    r = itest_request(owner, "GET", reply_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
}

Test(quick_replies, shortcuts_are_checked_and_unique)
{
    reply_new(owner, "/halo", "Halo!");
    itest_resp_t *r = itest_request(owner, "POST", "/api/v1/quick-replies",
                                    json_pack("{s:s,s:s}", "shortcut", "halo", "body", "x"), NULL);
    itest_assert_problem(r, 409, "shortcut");
    char big[5000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    const char *bad_shortcuts[] = {"/",
                                   "",
                                   "/Halo",
                                   "/ha lo",
                                   "/ha%",
                                   "//x",
                                   "/héllo",
                                   "/abcdefghijklmnopqrstuvwxyz0123456",
                                   "/x'; DROP TABLE x;--"};
    for (size_t i = 0; i < sizeof(bad_shortcuts) / sizeof(bad_shortcuts[0]); i++) {
        r = itest_request(owner, "POST", "/api/v1/quick-replies",
                          json_pack("{s:s,s:s}", "shortcut", bad_shortcuts[i], "body", "x"), NULL);
        itest_assert_problem(r, 422, "shortcut");
    }
    r = itest_request(owner, "POST", "/api/v1/quick-replies",
                      json_pack("{s:s,s:s}", "shortcut", "/besar", "body", big), NULL);
    itest_assert_problem(r, 422, "body");
    r = itest_request(owner, "POST", "/api/v1/quick-replies",
                      json_pack("{s:s,s:s}", "shortcut", "/kosong", "body", " \n "), NULL);
    itest_assert_problem(r, 422, "body");
    r = itest_request(owner, "POST", "/api/v1/quick-replies", json_pack("{s:s}", "body", "x"),
                      NULL);
    itest_assert_problem(r, 422, "shortcut");
    cr_assert_eq(itest_sql_int(conn, "SELECT count(*) FROM quick_replies WHERE tenant_id = %lld",
                               owner_u.tenant_id),
                 1, "bad input stored nothing");
    /* The same shortcut is free in another tenant. */
    reply_new(other, "/halo", "Halo dari B");
}

Test(quick_replies, prefix_lookup_treats_underscore_and_dash_as_plain)
{
    reply_new(owner, "/ongkir", "a");
    reply_new(owner, "/ongkir_jawa", "b");
    reply_new(owner, "/ongkirxjawa", "c");
    reply_new(owner, "/on-time", "d");
    struct {
        const char *q;
        size_t n;
    } cases[] = {{"/ong", 3}, {"ong", 3}, {"/ongkir_", 1},    {"/on-", 1},
                 {"/", 4},    {"/x", 0},  {"/ongkir_jawa", 1}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[96];
        snprintf(path, sizeof(path), "/api/v1/quick-replies?q=%s", cases[i].q);
        itest_resp_t *r = itest_request(agent, "GET", path, NULL, NULL);
        cr_assert_eq(r->status, 200, "%s", r->body);
        cr_assert_eq(json_array_size(itest_get(r, "items")), cases[i].n, "%s", cases[i].q);
    }
    const char *bad[] = {"/%25", "/O", "/a%27b", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[96];
        snprintf(path, sizeof(path), "/api/v1/quick-replies?q=%s", bad[i]);
        itest_resp_t *r = itest_request(agent, "GET", path, NULL, NULL);
        itest_assert_problem(r, 422, "q");
    }
}

Test(quick_replies, renders_variables_for_a_conversation)
{
    reply_new(owner, "/salam", "Halo {{nama}}, saya {{agen}} dari {{bisnis}}. {{ongkir}} {{nama");
    long long named = conversation_with(owner_u.tenant_id, "'Bu Sri'", "'Sri W'");
    long long profile = conversation_with(owner_u.tenant_id, "NULL", "'Sri W'");
    long long nobody = conversation_with(owner_u.tenant_id, "NULL", "NULL");
    long long sneaky = conversation_with(owner_u.tenant_id, "'{{agen}} <script>'", "NULL");
    const char *business =
        itest_get_str(itest_request(owner, "GET", "/api/v1/me", NULL, NULL), "tenant.name");
    char want[512];
    snprintf(want, sizeof(want), "Halo Bu Sri, saya %s dari %s. {{ongkir}} {{nama", agent_u.name,
             business);
    cr_assert_str_eq(rendered(named, "/sal"), want);
    snprintf(want, sizeof(want), "Halo Sri W, saya %s dari %s. {{ongkir}} {{nama", agent_u.name,
             business);
    cr_assert_str_eq(rendered(profile, "/sal"), want);
    snprintf(want, sizeof(want), "Halo Kak, saya %s dari %s. {{ongkir}} {{nama", agent_u.name,
             business);
    cr_assert_str_eq(rendered(nobody, "/salam"), want);
    snprintf(want, sizeof(want), "Halo {{agen}} <script>, saya %s dari %s. {{ongkir}} {{nama",
             agent_u.name, business);
    cr_assert_str_eq(rendered(sneaky, "/"), want, "a value is never expanded again");

    char path[128];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld/quick-replies?q=/sal", named);
    itest_resp_t *r = itest_request(other, "GET", path, NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "GET", "/api/v1/quick-replies?q=/sal", NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0, "nothing of A is listed for B");
}

Test(quick_replies, another_tenant_gets_404)
{
    long long id = reply_new(owner, "/rahasia", "x");
    itest_resp_t *r = itest_request(other, "GET", reply_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "PATCH", reply_path(id), json_pack("{s:s}", "body", "dicuri"), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "DELETE", reply_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(owner, "GET", reply_path(id), NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "body"), "x");
}
