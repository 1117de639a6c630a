/* Integration: contacts. Agents list, read, create and edit customer records; supervisors and
 * owners delete them. Phones in any Indonesian form are one number; the list searches names
 * and phones and filters by lead status and label with a cursor; a contact with orders cannot be
 * deleted, any other is hidden with the shop's fields cleared and comes back when added again;
 * another tenant's contacts answer 404; bad input changes nothing. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdarg.h>
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

TestSuite(contacts, .init = setup, .fini = teardown, .timeout = 60);

static long long contact_new(itest_client_t *c, const char *phone, const char *name)
{
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/contacts",
                                    json_pack("{s:s,s:s}", "phone", phone, "name", name), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    return itest_get_int(r, "id");
}

static const char *contact_path(long long id)
{
    static char path[64];
    snprintf(path, sizeof(path), "/api/v1/contacts/%lld", id);
    return path;
}

static long long count_contacts(long long tenant)
{
    return itest_sql_int(conn,
                         "SELECT count(*) FROM contacts WHERE tenant_id = %lld AND "
                         "deleted_at IS NULL",
                         tenant);
}

/* "3,2,1" for n ids, in a buffer of its own (a ring of 16). */
static const char *id_list(int n, ...)
{
    static char ring[16][128];
    static int next;
    char *out = ring[next++ % 16];
    out[0] = '\0';
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        char one[32];
        snprintf(one, sizeof(one), "%s%lld", i ? "," : "", va_arg(ap, long long));
        strncat(out, one, 128 - strlen(out) - 1);
    }
    va_end(ap);
    return out;
}

/* The ids a list answered, in order, as "3,2,1". */
static const char *ids_of(const itest_resp_t *r)
{
    static char out[512];
    out[0] = '\0';
    json_t *items = itest_get(r, "items");
    cr_assert(json_is_array(items), "%s", r->body);
    for (size_t i = 0; i < json_array_size(items); i++) {
        char one[32];
        snprintf(one, sizeof(one), "%s%lld", i ? "," : "",
                 (long long)json_integer_value(json_object_get(json_array_get(items, i), "id")));
        strncat(out, one, sizeof(out) - strlen(out) - 1);
    }
    return out;
}

Test(contacts, agents_create_by_phone_in_any_form_and_read_them)
{
    itest_resp_t *r =
        itest_request(agent, "POST", "/api/v1/contacts",
                      json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "phone", "0812-3456-7890", "name",
                                " Bu Sari ", "lead_status", "hot", "city", "Bandung", "birthday",
                                "1988-02-29", "note", "Suka kopi susu.\nAmbil sendiri."),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long id = itest_get_int(r, "id");
    cr_assert_str_eq(itest_get_str(r, "phone"), "6281234567890");
    cr_assert_str_eq(itest_get_str(r, "wa_id"), "6281234567890");
    cr_assert_str_eq(itest_get_str(r, "name"), "Bu Sari");
    cr_assert_str_eq(itest_get_str(r, "lead_status"), "hot");
    cr_assert_str_eq(itest_get_str(r, "birthday"), "1988-02-29");
    cr_assert_str_eq(itest_get_str(r, "note"), "Suka kopi susu.\nAmbil sendiri.");
    cr_assert(json_is_false(itest_get(r, "marketing_opt_out")));
    cr_assert_eq(itest_get_int(r, "order_summary.order_count"), 0);
    cr_assert(json_is_null(itest_get(r, "order_summary.last_order_at")));

    const char *same[] = {"+62 812 3456 7890", "62812.3456.7890", "812-3456-7890",
                          "+62 0812 3456 7890"};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        r = itest_request(agent, "POST", "/api/v1/contacts", json_pack("{s:s}", "phone", same[i]),
                          NULL);
        itest_assert_problem(r, 409, "phone");
    }
    cr_assert_eq(count_contacts(owner_u.tenant_id), 1);

    r = itest_request(agent, "GET", contact_path(id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "city"), "Bandung");
    cr_assert_eq(json_array_size(itest_get(r, "labels")), 0);
    /* A contact WhatsApp made keeps its profile name beside the shop's name. */
    long long wa = itest_sql_int(conn,
                                 "INSERT INTO contacts (tenant_id, wa_id, phone, profile_name) "
                                 "VALUES (%lld, '6285700001111', '6285700001111', 'sari_wa') "
                                 "RETURNING id",
                                 owner_u.tenant_id);
    r = itest_request(agent, "PATCH", contact_path(wa), json_pack("{s:s}", "name", "Sari Dua"),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "name"), "Sari Dua");
    cr_assert_str_eq(itest_get_str(r, "profile_name"), "sari_wa");
}

Test(contacts, list_searches_filters_and_pages)
{
    long long a = contact_new(agent, "081211110001", "Andi Wijaya");
    long long b = contact_new(agent, "081211110002", "Budi 50%_off");
    long long c = contact_new(agent, "0857-2222-0003", "Citra");
    long long d = contact_new(agent, "0857-2222-0004", "Dewi");
    long long e = contact_new(agent, "0857-2222-0005", "Eko");
    itest_resp_t *r = itest_request(agent, "PATCH", contact_path(c),
                                    json_pack("{s:s}", "lead_status", "hot"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(agent, "PATCH", contact_path(e), json_pack("{s:s}", "lead_status", "cold"),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(owner, "POST", "/api/v1/labels", json_pack("{s:s}", "name", "Grosir"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long label = itest_get_int(r, "id");
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/contacts/%lld/labels", d);
    r = itest_request(agent, "PUT", path, json_pack("{s:[I]}", "label_ids", label), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);

    char label_q[48];
    snprintf(label_q, sizeof(label_q), "?label=%lld", label);
    const char *all = id_list(5, e, d, c, b, a);
    struct {
        const char *query;
        const char *ids;
    } cases[] = {
        {"", all}, /* newest first */
        {"?q=wijaya", id_list(1, a)},
        {"?q=%2B62%20812-1111", id_list(2, b, a)}, /* +62 812-1111: both 0812 numbers */
        {"?q=0857.2222.0003", id_list(1, c)},
        {"?q=50%25_", id_list(1, b)}, /* % and _ are plain characters */
        {"?q=5%25_o", ""},            /* no wildcard: matches nothing */
        {"?lead_status=hot", id_list(1, c)},
        {"?lead_status=none", id_list(3, d, b, a)},
        {label_q, id_list(1, d)},
        {"?lead_status=cold&q=eko", id_list(1, e)},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char url[160];
        snprintf(url, sizeof(url), "/api/v1/contacts%s", cases[i].query);
        r = itest_request(agent, "GET", url, NULL, NULL);
        cr_assert_eq(r->status, 200, "%s: %s", url, r->body);
        cr_assert_str_eq(ids_of(r), cases[i].ids, "%s", url);
    }

    /* Pages of two: every contact once, in order, then no cursor. */
    char seen[128] = "";
    const char *cursor = NULL;
    for (int page = 0; page < 3; page++) {
        char url[160];
        snprintf(url, sizeof(url), "/api/v1/contacts?limit=2%s%s", cursor ? "&cursor=" : "",
                 cursor ? cursor : "");
        r = itest_request(agent, "GET", url, NULL, NULL);
        cr_assert_eq(r->status, 200, "%s", r->body);
        if (seen[0] && json_array_size(itest_get(r, "items")))
            strncat(seen, ",", sizeof(seen) - strlen(seen) - 1);
        strncat(seen, ids_of(r), sizeof(seen) - strlen(seen) - 1);
        json_t *next = itest_get(r, "next_cursor");
        cursor = json_is_string(next) ? json_string_value(next) : NULL;
        cr_assert_eq(cursor == NULL, page == 2, "page %d", page);
    }
    cr_assert_str_eq(seen, all);

    const char *bad[] = {"?q=ab",      "?lead_status=HOT", "?lead_status=",
                         "?label=abc", "?label=0",         "?limit=0",
                         "?limit=201", "?cursor=bm9wZQ",   "?label=99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char url[160];
        snprintf(url, sizeof(url), "/api/v1/contacts%s", bad[i]);
        r = itest_request(agent, "GET", url, NULL, NULL);
        itest_assert_problem(r, 422, NULL);
    }
}

Test(contacts, bad_input_is_refused_and_changes_nothing)
{
    long long id = contact_new(agent, "081233330000", "Tetap");
    char big_name[260], big_note[2100];
    memset(big_name, 'n', 201);
    big_name[201] = '\0';
    memset(big_note, 'x', 2001);
    big_note[2001] = '\0';
    struct {
        json_t *body;
        const char *field;
    } bad[] = {
        {json_pack("{}"), "phone"},
        {json_pack("{s:i}", "phone", 812), "phone"},
        {json_pack("{s:s}", "phone", "halo"), "phone"},
        {json_pack("{s:s}", "phone", "0812"), "phone"},
        {json_pack("{s:s}", "phone", "0812-3456-7890-1234-5"), "phone"},
        {json_pack("{s:s}", "phone", "'; DROP TABLE contacts; --"), "phone"},
        {json_pack("{s:s,s:s}", "phone", "081299990001", "lead_status", "panas"), "lead_status"},
        {json_pack("{s:s,s:s}", "phone", "081299990001", "birthday", "1990-02-30"), "birthday"},
        {json_pack("{s:s,s:s}", "phone", "081299990001", "birthday", "17/08/1990"), "birthday"},
        {json_pack("{s:s,s:s}", "phone", "081299990001", "birthday", "1899-12-31"), "birthday"},
        {json_pack("{s:s,s:s}", "phone", "081299990001", "name", big_name), "name"},
        {json_pack("{s:s,s:s}", "phone", "081299990001", "name", "tab\tname"), "name"},
        {json_pack("{s:s,s:s}", "phone", "081299990001", "note", big_note), "note"},
        {json_pack("{s:s,s:s}", "phone", "081299990001", "note", "bell\a"), "note"},
        {json_pack("{s:s,s:i}", "phone", "081299990001", "city", 5), "city"},
        {json_pack("{s:s,s:s}", "phone", "081299990001", "profile_name", "x"), "profile_name"},
        {json_pack("{s:s,s:b}", "phone", "081299990001", "marketing_opt_out", 1),
         "marketing_opt_out"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        itest_resp_t *r = itest_request(agent, "POST", "/api/v1/contacts", bad[i].body, NULL);
        itest_assert_problem(r, 422, bad[i].field);
    }
    itest_resp_t *r =
        itest_request_raw(agent, "POST", "/api/v1/contacts", "application/json", "[1]", 3, NULL);
    itest_assert_problem(r, 400, NULL);
    r = itest_request_raw(agent, "POST", "/api/v1/contacts", "application/json", "{\"phone\":", 9,
                          NULL);
    itest_assert_problem(r, 400, NULL);
    r = itest_request_raw(agent, "POST", "/api/v1/contacts", "text/plain", "phone=0812", 10, NULL);
    itest_assert_problem(r, 415, NULL);
    size_t big = (size_t)20 * 1024;
    char *huge = malloc(big + 64);
    cr_assert_not_null(huge);
    int n = snprintf(huge, 64, "{\"phone\":\"081299990002\",\"note\":\"");
    memset(huge + n, 'a', big);
    memcpy(huge + n + big, "\"}", 3);
    r = itest_request_raw(agent, "POST", "/api/v1/contacts", "application/json", huge, strlen(huge),
                          NULL);
    free(huge);
    itest_assert_problem(r, 413, NULL);
    cr_assert_eq(count_contacts(owner_u.tenant_id), 1, "refused creates made nothing");

    struct {
        json_t *body;
        const char *field;
    } bad_patch[] = {
        {json_pack("{s:s}", "phone", "081299990003"), "phone"},
        {json_pack("{s:s}", "profile_name", "x"), "profile_name"},
        {json_pack("{s:s}", "lead_status", "hangat"), "lead_status"},
        {json_pack("{s:b}", "marketing_opt_out", 0), "marketing_opt_out"},
        {json_pack("{s:s}", "birthday", "2023-13-01"), "birthday"},
        {json_pack("{s:s,s:s}", "name", "Baru", "city", "ctrl\x01"), "city"},
    };
    for (size_t i = 0; i < sizeof(bad_patch) / sizeof(bad_patch[0]); i++) {
        r = itest_request(agent, "PATCH", contact_path(id), bad_patch[i].body, NULL);
        itest_assert_problem(r, 422, bad_patch[i].field);
    }
    r = itest_request(agent, "GET", contact_path(id), NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "name"), "Tetap", "refused edits changed nothing");
    /* Hostile text is stored as typed, never run. */
    const char *hostile = "Robert'); DROP TABLE contacts;-- <script>alert(1)</script>";
    r = itest_request(agent, "PATCH", contact_path(id), json_pack("{s:s}", "name", hostile), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "name"), hostile);
    /* CSRF: a session without the token changes nothing. */
    r = itest_request(agent, "PATCH", contact_path(id), json_pack("{s:s}", "name", "Tanpa"),
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(agent, "POST", "/api/v1/contacts", json_pack("{s:s}", "phone", "0812999900"),
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(agent, "GET", contact_path(id), NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "name"), hostile);
    cr_assert_eq(count_contacts(owner_u.tenant_id), 1);
}

Test(contacts, patch_sets_and_clears_fields_and_records_an_opt_out)
{
    long long id = contact_new(agent, "081244440000", "Gita");
    itest_resp_t *r =
        itest_request(agent, "PATCH", contact_path(id),
                      json_pack("{s:s,s:s,s:s,s:s}", "lead_status", "warm", "city", "Solo",
                                "birthday", "2000-01-31", "note", "Langganan"),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "lead_status"), "warm");
    cr_assert_str_eq(itest_get_str(r, "name"), "Gita", "fields not sent stay");
    r = itest_request(agent, "PATCH", contact_path(id),
                      json_pack("{s:n,s:s,s:n}", "lead_status", "city", "  ", "birthday"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(itest_get(r, "lead_status")));
    cr_assert(json_is_null(itest_get(r, "city")), "blank clears");
    cr_assert(json_is_null(itest_get(r, "birthday")));
    cr_assert_str_eq(itest_get_str(r, "note"), "Langganan");
    r = itest_request(agent, "PATCH", contact_path(id), json_pack("{s:b}", "marketing_opt_out", 1),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_true(itest_get(r, "marketing_opt_out")));
    const char *at = itest_get_str(r, "marketing_opt_out_at");
    char first[40];
    snprintf(first, sizeof(first), "%s", at);
    r = itest_request(agent, "PATCH", contact_path(id), json_pack("{s:b}", "marketing_opt_out", 1),
                      NULL);
    cr_assert_str_eq(itest_get_str(r, "marketing_opt_out_at"), first, "the first time stays");
}

Test(contacts, delete_is_for_supervisors_and_refused_while_orders_exist)
{
    long long id = contact_new(agent, "081255550000", "Hadi");
    long long kept = contact_new(agent, "081255550001", "Indah");
    itest_resp_t *r =
        itest_request(owner, "POST", "/api/v1/labels", json_pack("{s:s}", "name", "VIP"), NULL);
    long long label = itest_get_int(r, "id");
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/contacts/%lld/labels", id);
    r = itest_request(agent, "PUT", path, json_pack("{s:[I]}", "label_ids", label), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    long long conv = itest_sql_int(conn,
                                   "INSERT INTO conversations (tenant_id, contact_id) VALUES "
                                   "(%lld, %lld) RETURNING id",
                                   owner_u.tenant_id, id);

    r = itest_request(agent, "DELETE", contact_path(id), NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(sup, "DELETE", contact_path(id), NULL, "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    cr_assert_eq(count_contacts(owner_u.tenant_id), 2);

    r = itest_request(agent, "POST", "/api/v1/orders",
                      json_pack("{s:I,s:[{s:s,s:i,s:i}]}", "contact_id", kept, "items", "name",
                                "Kopi", "qty", 1, "unit_price", 20000),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    r = itest_request(sup, "DELETE", contact_path(kept), NULL, NULL);
    itest_assert_problem(r, 409, NULL);

    r = itest_request(sup, "DELETE", contact_path(id), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    r = itest_request(agent, "GET", contact_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(agent, "PATCH", contact_path(id), json_pack("{s:s}", "name", "x"), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(sup, "DELETE", contact_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(agent, "PUT", path, json_pack("{s:[I]}", "label_ids", label), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(agent, "GET", "/api/v1/contacts", NULL, NULL);
    char kept_s[32];
    snprintf(kept_s, sizeof(kept_s), "%lld", kept);
    cr_assert_str_eq(ids_of(r), kept_s);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM contacts WHERE id = %lld AND name IS NULL "
                               "AND deleted_at IS NOT NULL",
                               id),
                 1, "the shop's fields are cleared");
    cr_assert_eq(
        itest_sql_int(conn, "SELECT count(*) FROM contact_labels WHERE contact_id = %lld", id), 0);
    cr_assert_eq(itest_sql_int(conn, "SELECT count(*) FROM conversations WHERE id = %lld", conv), 1,
                 "the chat stays");

    /* Adding the number again brings the record back, with the new fields only. */
    r = itest_request(agent, "POST", "/api/v1/contacts",
                      json_pack("{s:s,s:s}", "phone", "+62 812 5555 0000", "city", "Medan"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "id"), id);
    cr_assert(json_is_null(itest_get(r, "name")));
    cr_assert_str_eq(itest_get_str(r, "city"), "Medan");
}

Test(contacts, another_tenant_gets_404_and_sees_nothing)
{
    long long id = contact_new(owner, "081266660000", "Rahasia");
    itest_resp_t *r = itest_request(other, "GET", contact_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "PATCH", contact_path(id), json_pack("{s:s}", "name", "Dicuri"), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "DELETE", contact_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "GET", "/api/v1/contacts?q=rahasia", NULL, NULL);
    cr_assert_str_eq(ids_of(r), "");
    r = itest_request(other, "GET", "/api/v1/contacts?q=081266660000", NULL, NULL);
    cr_assert_str_eq(ids_of(r), "");
    /* The same number is another tenant's own customer. */
    long long theirs = contact_new(other, "0812-6666-0000", "Pelanggan B");
    cr_assert_neq(theirs, id);
    r = itest_request(owner, "GET", contact_path(id), NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "name"), "Rahasia");
    r = itest_request(owner, "GET", "/api/v1/contacts/0", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(owner, "GET", "/api/v1/contacts/abc", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
}
