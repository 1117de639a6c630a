/* Integration: labels. Supervisors and owners write them, agents read them; names are unique per
 * tenant ignoring case; colors are #rrggbb; a deleted label leaves every conversation and
 * contact; contacts' labels are set with PUT /contacts/{id}/labels; another tenant's labels and
 * contacts answer 404; bad input changes nothing. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "db.h"

static PGconn *conn;
static itest_client_t *owner, *sup, *agent, *other;
static itest_user_t owner_u, sup_u, agent_u, other_u;

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    owner = itest_owner_session(&owner_u);
    itest_create_user(owner, "supervisor", &sup_u);
    itest_create_user(owner, "agent", &agent_u);
    sup = itest_user_session(&sup_u);
    agent = itest_user_session(&agent_u);
    other = itest_owner_session(&other_u);
}

static void teardown(void)
{
    itest_client_free(owner);
    itest_client_free(sup);
    itest_client_free(agent);
    itest_client_free(other);
    PQfinish(conn);
}

TestSuite(labels, .init = setup, .fini = teardown, .timeout = 60);

static long long label_new(itest_client_t *c, const char *name)
{
    itest_resp_t *r =
        itest_request(c, "POST", "/api/v1/labels", json_pack("{s:s}", "name", name), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    return itest_get_int(r, "id");
}

static const char *label_path(long long id)
{
    static char path[64];
    snprintf(path, sizeof(path), "/api/v1/labels/%lld", id);
    return path;
}

static long long count_labels(long long tenant)
{
    return itest_sql_int(conn, "SELECT count(*) FROM labels WHERE tenant_id = %lld", tenant);
}

Test(labels, supervisors_write_agents_read)
{
    itest_resp_t *r = itest_request(
        sup, "POST", "/api/v1/labels",
        json_pack("{s:s,s:s}", "name", " Pelanggan Setia ", "color", "#22C55E"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "name"), "Pelanggan Setia");
    cr_assert_str_eq(itest_get_str(r, "color"), "#22c55e");
    long long id = itest_get_int(r, "id");
    r = itest_request(agent, "GET", "/api/v1/labels", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 1);
    r = itest_request(agent, "GET", label_path(id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(agent, "POST", "/api/v1/labels", json_pack("{s:s}", "name", "Agen"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(agent, "PATCH", label_path(id), json_pack("{s:s}", "name", "Agen"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(agent, "DELETE", label_path(id), NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(sup, "POST", "/api/v1/labels", json_pack("{s:s}", "name", "x"),
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    cr_assert_eq(count_labels(owner_u.tenant_id), 1, "refused writes changed nothing");
    r = itest_request(owner, "PATCH", label_path(id), json_pack("{s:s}", "color", "#000000"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "name"), "Pelanggan Setia");
    cr_assert_str_eq(itest_get_str(r, "color"), "#000000");
}

Test(labels, names_are_unique_ignoring_case_and_bad_input_is_refused)
{
    long long a = label_new(owner, "Grosir");
    long long b = label_new(owner, "Eceran");
    itest_resp_t *r =
        itest_request(owner, "POST", "/api/v1/labels", json_pack("{s:s}", "name", "GROSIR"), NULL);
    itest_assert_problem(r, 409, "name");
    r = itest_request(owner, "PATCH", label_path(b), json_pack("{s:s}", "name", "grosir"), NULL);
    itest_assert_problem(r, 409, "name");
    char long_name[60];
    memset(long_name, 'x', 51);
    long_name[51] = '\0';
    struct {
        json_t *body;
        const char *field;
    } bad[] = {
        {json_pack("{}"), "name"},
        {json_pack("{s:s}", "name", ""), "name"},
        {json_pack("{s:s}", "name", "   "), "name"},
        {json_pack("{s:s}", "name", long_name), "name"},
        {json_pack("{s:s}", "name", "tab\there"), "name"},
        {json_pack("{s:i}", "name", 4), "name"},
        {json_pack("{s:s,s:s}", "name", "Ok", "color", "red"), "color"},
        {json_pack("{s:s,s:s}", "name", "Ok", "color", "#12345g"), "color"},
        {json_pack("{s:s,s:s}", "name", "Ok", "color", "#1234567"), "color"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = itest_request(owner, "POST", "/api/v1/labels", bad[i].body, NULL);
        itest_assert_problem(r, 422, bad[i].field);
    }
    r = itest_request_raw(owner, "POST", "/api/v1/labels", "application/json", "[1]", 3, NULL);
    itest_assert_problem(r, 400, NULL);
    cr_assert_eq(count_labels(owner_u.tenant_id), 2);
    r = itest_request(owner, "GET", label_path(a), NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "name"), "Grosir");
    /* Unicode names count characters, not bytes. */
    r = itest_request(owner, "POST", "/api/v1/labels",
                      json_pack("{s:s}", "name", "Pelanggan ☕ Kopi Susu Gula Aren Enak Sekali Ya"),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
}

Test(labels, another_tenant_gets_404_and_sees_nothing)
{
    long long id = label_new(owner, "Rahasia");
    itest_resp_t *r = itest_request(other, "GET", label_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "PATCH", label_path(id), json_pack("{s:s}", "name", "Dicuri"), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "DELETE", label_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "GET", "/api/v1/labels?limit=200", NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0);
    /* The same name is free in another tenant. */
    label_new(other, "Rahasia");
    r = itest_request(owner, "GET", label_path(id), NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "name"), "Rahasia");
    r = itest_request(owner, "GET", "/api/v1/labels/0", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
}

Test(labels, contacts_get_labels_and_deleting_a_label_takes_it_off)
{
    long long contact =
        itest_sql_int(conn,
                      "INSERT INTO contacts (tenant_id, wa_id, name) VALUES "
                      "(%lld, 'lbl-' || md5(random()::text), 'Kontak') RETURNING id",
                      owner_u.tenant_id);
    long long conv = itest_sql_int(conn,
                                   "INSERT INTO conversations (tenant_id, contact_id) VALUES "
                                   "(%lld, %lld) RETURNING id",
                                   owner_u.tenant_id, contact);
    long long a = label_new(owner, "Satu"), b = label_new(owner, "Dua");
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/contacts/%lld/labels", contact);
    itest_resp_t *r =
        itest_request(agent, "PUT", path, json_pack("{s:[I,I,I]}", "label_ids", a, b, a), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(itest_get(r, "labels")), 2);
    char conv_path[96];
    snprintf(conv_path, sizeof(conv_path), "/api/v1/conversations/%lld", conv);
    r = itest_request(owner, "PATCH", conv_path, json_pack("{s:[I]}", "labels", a), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(owner, "GET", conv_path, NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "contact.labels")), 2);
    cr_assert_eq(json_array_size(itest_get(r, "labels")), 1);

    r = itest_request(owner, "DELETE", label_path(a), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    r = itest_request(owner, "GET", conv_path, NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "contact.labels")), 1);
    cr_assert_eq(json_array_size(itest_get(r, "labels")), 0);

    struct {
        json_t *body;
        const char *field;
    } bad[] = {
        {json_pack("{}"), "label_ids"},
        {json_pack("{s:s}", "label_ids", "1"), "label_ids"},
        {json_pack("{s:[s]}", "label_ids", "1"), "label_ids"},
        {json_pack("{s:[i]}", "label_ids", 0), "label_ids"},
        {json_pack("{s:[I]}", "label_ids", a), "label_ids"}, /* deleted */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = itest_request(owner, "PUT", path, bad[i].body, NULL);
        itest_assert_problem(r, 422, bad[i].field);
    }
    cr_assert_eq(
        itest_sql_int(conn, "SELECT count(*) FROM contact_labels WHERE contact_id = %lld", contact),
        1, "bad input changed nothing");
    long long theirs = label_new(other, "Milik B");
    r = itest_request(owner, "PUT", path, json_pack("{s:[I]}", "label_ids", theirs), NULL);
    itest_assert_problem(r, 422, "label_ids");
    r = itest_request(other, "PUT", path, json_pack("{s:[I]}", "label_ids", theirs), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(owner, "PUT", path, json_pack("{s:[]}", "label_ids"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(itest_get(r, "labels")), 0);
}
