/* Integration: orders. Agents record orders from a chat (the conversation's contact is the
 * customer) with items whose total the server computes in integer rupiah; an Idempotency-Key
 * makes a repeat record nothing; payment moves unpaid -> paid / cancelled, paid -> cancelled
 * only for supervisors and owners, never out of cancelled; items change only while unpaid; the
 * contact's order summary follows; another tenant's orders answer 404; bad input changes
 * nothing. */
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
static long long contact, conv;

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
    contact = itest_sql_int(conn,
                            "INSERT INTO contacts (tenant_id, wa_id, phone, profile_name) VALUES "
                            "(%lld, '6281277770000', '6281277770000', 'pembeli') RETURNING id",
                            owner_u.tenant_id);
    conv = itest_sql_int(conn,
                         "INSERT INTO conversations (tenant_id, contact_id) VALUES (%lld, %lld) "
                         "RETURNING id",
                         owner_u.tenant_id, contact);
}

static void teardown(void)
{
    itest_client_free(owner);
    itest_client_free(sup);
    itest_client_free(agent);
    itest_client_free(other);
    PQfinish(conn);
}

TestSuite(orders, .init = setup, .fini = teardown, .timeout = 60);

static const char *order_path(long long id)
{
    static char path[64];
    snprintf(path, sizeof(path), "/api/v1/orders/%lld", id);
    return path;
}

static long long count_orders(long long tenant)
{
    return itest_sql_int(conn, "SELECT count(*) FROM orders WHERE tenant_id = %lld", tenant);
}

/* {name, qty, unit_price} */
static json_t *item(const char *name, long long qty, long long price)
{
    return json_pack("{s:s,s:I,s:I}", "name", name, "qty", (json_int_t)qty, "unit_price",
                     (json_int_t)price);
}

static long long order_new(itest_client_t *c, long long qty, long long price)
{
    itest_resp_t *r = itest_request(
        c, "POST", "/api/v1/orders",
        json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item("Kopi Susu", qty, price)),
        NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    return itest_get_int(r, "id");
}

Test(orders, recorded_from_a_chat_with_a_computed_total)
{
    itest_resp_t *r = itest_request(agent, "POST", "/api/v1/orders",
                                    json_pack("{s:I,s:[o,o],s:s}", "conversation_id", conv, "items",
                                              item("Kopi Susu Gula Aren", 3, 18000),
                                              item("Roti Bakar", 2, 12500), "note", "Antar sore"),
                                    NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long id = itest_get_int(r, "id");
    cr_assert_eq(itest_get_int(r, "contact_id"), contact);
    cr_assert_eq(itest_get_int(r, "conversation_id"), conv);
    cr_assert_eq(itest_get_int(r, "created_by"), agent_u.user_id);
    cr_assert_eq(itest_get_int(r, "total"), 3 * 18000 + 2 * 12500);
    cr_assert_str_eq(itest_get_str(r, "payment_status"), "unpaid");
    cr_assert_str_eq(itest_get_str(r, "contact_name"), "pembeli");
    cr_assert_eq(json_array_size(itest_get(r, "items")), 2);
    cr_assert(json_is_null(itest_get(r, "paid_at")));

    /* A total the client sends is not a field; the server's is the only one. */
    r = itest_request(agent, "POST", "/api/v1/orders",
                      json_pack("{s:I,s:[o],s:i}", "contact_id", contact, "items",
                                item("Kopi", 1, 1000), "total", 1),
                      NULL);
    itest_assert_problem(r, 422, "total");
    /* By contact, already paid; the biggest order allowed. */
    r = itest_request(agent, "POST", "/api/v1/orders",
                      json_pack("{s:I,s:[o],s:s}", "contact_id", contact, "items",
                                item("Mobil", 1000, 1000000000), "payment_status", "paid"),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "total"), 1000000000000LL);
    cr_assert(json_is_string(itest_get(r, "paid_at")));

    r = itest_request(agent, "GET", order_path(id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "note"), "Antar sore");
    cr_assert_str_eq(
        json_string_value(json_object_get(json_array_get(itest_get(r, "items"), 1), "name")),
        "Roti Bakar");

    /* The contact's summary. */
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/contacts/%lld", contact);
    r = itest_request(agent, "GET", path, NULL, NULL);
    cr_assert_eq(itest_get_int(r, "order_summary.order_count"), 2);
    cr_assert_eq(itest_get_int(r, "order_summary.paid_total"), 1000000000000LL);
    cr_assert_eq(itest_get_int(r, "order_summary.unpaid_total"), 79000);
}

Test(orders, an_idempotency_key_records_once)
{
    for (int i = 0; i < 3; i++) {
        itest_resp_t *r = itest_request(
            agent, "POST", "/api/v1/orders",
            json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item("Teh", 2, 5000)),
            "Idempotency-Key: pesanan-42", NULL);
        cr_assert_eq(r->status, 201, "%s", r->body);
    }
    cr_assert_eq(count_orders(owner_u.tenant_id), 1);
    itest_resp_t *r = itest_request(
        agent, "POST", "/api/v1/orders",
        json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item("Teh", 2, 5000)),
        "Idempotency-Key: pesanan 42", NULL);
    itest_assert_problem(r, 422, "Idempotency-Key");
    cr_assert_eq(count_orders(owner_u.tenant_id), 1);
    /* Another tenant's same key is its own. */
    long long theirs = itest_sql_int(conn,
                                     "INSERT INTO contacts (tenant_id, wa_id) VALUES (%lld, "
                                     "'6281277770000') RETURNING id",
                                     other_u.tenant_id);
    r = itest_request(other, "POST", "/api/v1/orders",
                      json_pack("{s:I,s:[o]}", "contact_id", theirs, "items", item("Teh", 1, 5000)),
                      "Idempotency-Key: pesanan-42", NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "contact_id"), theirs);
}

Test(orders, bad_input_is_refused_and_changes_nothing)
{
    char long_name[210];
    memset(long_name, 'k', 201);
    long_name[201] = '\0';
    json_t *many = json_array();
    for (int i = 0; i < 51; i++)
        json_array_append_new(many, item("x", 1, 1));
    long long their_contact = itest_sql_int(conn,
                                            "INSERT INTO contacts (tenant_id, wa_id) VALUES "
                                            "(%lld, '6281200001234') RETURNING id",
                                            other_u.tenant_id);
    long long their_conv = itest_sql_int(conn,
                                         "INSERT INTO conversations (tenant_id, contact_id) "
                                         "VALUES (%lld, %lld) RETURNING id",
                                         other_u.tenant_id, their_contact);
    long long second = itest_sql_int(conn,
                                     "INSERT INTO contacts (tenant_id, wa_id) VALUES (%lld, "
                                     "'6281200005678') RETURNING id",
                                     owner_u.tenant_id);
    struct {
        json_t *body;
        const char *field;
    } bad[] = {
        {json_pack("{s:[o]}", "items", item("x", 1, 1)), "conversation_id"},
        {json_pack("{s:I}", "conversation_id", conv), "items"},
        {json_pack("{s:I,s:[]}", "conversation_id", conv, "items"), "items"},
        {json_pack("{s:I,s:o}", "conversation_id", conv, "items", many), "items"},
        {json_pack("{s:I,s:s}", "conversation_id", conv, "items", "Kopi"), "items"},
        {json_pack("{s:I,s:[i]}", "conversation_id", conv, "items", 1), "items[0]"},
        {json_pack("{s:I,s:[o,o]}", "conversation_id", conv, "items", item("ok", 1, 1),
                   item("x", 0, 1)),
         "items[1].qty"},
        {json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item("x", 100001, 1)),
         "items[0].qty"},
        {json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item("x", 1, -1)),
         "items[0].unit_price"},
        {json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item("x", 1, 1000000001)),
         "items[0].unit_price"},
        /* Two lines at the item cap add up over the order's cap (10^12). */
        {json_pack("{s:I,s:[o,o]}", "conversation_id", conv, "items", item("a", 100000, 1000000000),
                   item("b", 100000, 1000000000)),
         "items"},
        {json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item("", 1, 1)),
         "items[0].name"},
        {json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item("   ", 1, 1)),
         "items[0].name"},
        {json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item("a\nb", 1, 1)),
         "items[0].name"},
        {json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item(long_name, 1, 1)),
         "items[0].name"},
        {json_pack("{s:I,s:[{s:s,s:s,s:i}]}", "conversation_id", conv, "items", "name", "x", "qty",
                   "2", "unit_price", 1),
         "items[0].qty"},
        {json_pack("{s:I,s:[{s:s,s:i,s:i,s:i}]}", "conversation_id", conv, "items", "name", "x",
                   "qty", 1, "unit_price", 1, "discount", 1),
         "items[0].discount"},
        {json_pack("{s:I,s:[o],s:s}", "conversation_id", conv, "items", item("x", 1, 1),
                   "payment_status", "cancelled"),
         "payment_status"},
        {json_pack("{s:i,s:[o]}", "conversation_id", 0, "items", item("x", 1, 1)),
         "conversation_id"},
        {json_pack("{s:s,s:[o]}", "contact_id", "1", "items", item("x", 1, 1)), "contact_id"},
        {json_pack("{s:I,s:[o]}", "conversation_id", their_conv, "items", item("x", 1, 1)),
         "conversation_id"},
        {json_pack("{s:I,s:[o]}", "contact_id", their_contact, "items", item("x", 1, 1)),
         "contact_id"},
        {json_pack("{s:I,s:I,s:[o]}", "conversation_id", conv, "contact_id", second, "items",
                   item("x", 1, 1)),
         "contact_id"},
        {json_pack("{s:I,s:[o],s:s}", "conversation_id", conv, "items", item("x", 1, 1), "note",
                   "\x1b[31m"),
         "note"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        itest_resp_t *r = itest_request(agent, "POST", "/api/v1/orders", bad[i].body, NULL);
        itest_assert_problem(r, 422, bad[i].field);
    }
    itest_resp_t *r =
        itest_request_raw(agent, "POST", "/api/v1/orders", "application/json", "[]", 2, NULL);
    itest_assert_problem(r, 400, NULL);
    r = itest_request_raw(agent, "POST", "/api/v1/orders", "application/json", "{\"items\":[", 10,
                          NULL);
    itest_assert_problem(r, 400, NULL);
    size_t big = (size_t)70 * 1024;
    char *huge = malloc(big + 64);
    cr_assert_not_null(huge);
    int n = snprintf(huge, 64, "{\"conversation_id\":%lld,\"note\":\"", conv);
    memset(huge + n, 'a', big);
    memcpy(huge + n + big, "\"}", 3);
    r = itest_request_raw(agent, "POST", "/api/v1/orders", "application/json", huge, strlen(huge),
                          NULL);
    free(huge);
    itest_assert_problem(r, 413, NULL);
    r = itest_request(agent, "POST", "/api/v1/orders",
                      json_pack("{s:I,s:[o]}", "conversation_id", conv, "items", item("x", 1, 1)),
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    cr_assert_eq(count_orders(owner_u.tenant_id), 0, "refused requests recorded nothing");
    cr_assert_eq(count_orders(other_u.tenant_id), 0);

    const char *bad_query[] = {"?payment_status=lunas", "?contact_id=abc", "?contact_id=0",
                               "?limit=500", "?cursor=%27%3B--"};
    for (size_t i = 0; i < sizeof(bad_query) / sizeof(bad_query[0]); i++) {
        char url[96];
        snprintf(url, sizeof(url), "/api/v1/orders%s", bad_query[i]);
        r = itest_request(agent, "GET", url, NULL, NULL);
        itest_assert_problem(r, 422, NULL);
    }
}

Test(orders, payment_moves_forward_and_paid_orders_are_cancelled_by_supervisors)
{
    long long a = order_new(agent, 2, 10000);
    itest_resp_t *r = itest_request(
        agent, "PATCH", order_path(a),
        json_pack("{s:[o,o]}", "items", item("Kopi", 1, 10000), item("Donat", 4, 7500)), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "total"), 40000, "the total follows the items");
    r = itest_request(agent, "PATCH", order_path(a), json_pack("{s:s}", "payment_status", "paid"),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "payment_status"), "paid");
    cr_assert(json_is_string(itest_get(r, "paid_at")));
    r = itest_request(agent, "PATCH", order_path(a), json_pack("{s:[o]}", "items", item("x", 1, 1)),
                      NULL);
    itest_assert_problem(r, 409, NULL);
    r = itest_request(agent, "PATCH", order_path(a), json_pack("{s:s}", "payment_status", "unpaid"),
                      NULL);
    itest_assert_problem(r, 409, NULL);
    r = itest_request(agent, "PATCH", order_path(a),
                      json_pack("{s:s}", "payment_status", "cancelled"), NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(agent, "GET", order_path(a), NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "payment_status"), "paid", "refused changes changed nothing");
    cr_assert_eq(itest_get_int(r, "total"), 40000);
    /* The note may change on a paid order; marking paid again changes nothing. */
    r = itest_request(agent, "PATCH", order_path(a),
                      json_pack("{s:s,s:s}", "payment_status", "paid", "note", "Lunas via QRIS"),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "note"), "Lunas via QRIS");
    r = itest_request(sup, "PATCH", order_path(a),
                      json_pack("{s:s}", "payment_status", "cancelled"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_string(itest_get(r, "cancelled_at")));
    r = itest_request(owner, "PATCH", order_path(a), json_pack("{s:s}", "payment_status", "paid"),
                      NULL);
    itest_assert_problem(r, 409, NULL);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM audit_log WHERE tenant_id = %lld AND "
                               "action = 'order.cancelled' AND target_id = %lld",
                               owner_u.tenant_id, a),
                 1);

    long long b = order_new(agent, 1, 5000);
    r = itest_request(agent, "PATCH", order_path(b),
                      json_pack("{s:s}", "payment_status", "cancelled"), NULL);
    cr_assert_eq(r->status, 200, "an agent cancels an unpaid order: %s", r->body);
    r = itest_request(agent, "PATCH", order_path(b), json_pack("{s:s}", "payment_status", "paid"),
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(agent, "PATCH", order_path(b), json_pack("{s:s}", "total", "1"), NULL);
    itest_assert_problem(r, 422, "total");

    /* Cancelled orders leave the contact's summary. */
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/contacts/%lld", contact);
    r = itest_request(agent, "GET", path, NULL, NULL);
    cr_assert_eq(itest_get_int(r, "order_summary.order_count"), 0);
    cr_assert_eq(itest_get_int(r, "order_summary.paid_total"), 0);
}

Test(orders, list_filters_and_pages)
{
    long long a = order_new(agent, 1, 1000), b = order_new(agent, 1, 2000);
    long long c = order_new(agent, 1, 3000);
    itest_resp_t *r = itest_request(agent, "PATCH", order_path(b),
                                    json_pack("{s:s}", "payment_status", "paid"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    long long lone = itest_sql_int(conn,
                                   "INSERT INTO contacts (tenant_id, wa_id) VALUES (%lld, "
                                   "'6281200009999') RETURNING id",
                                   owner_u.tenant_id);
    r = itest_request(agent, "POST", "/api/v1/orders",
                      json_pack("{s:I,s:[o]}", "contact_id", lone, "items", item("x", 1, 1)), NULL);
    long long d = itest_get_int(r, "id");

    char url[128];
    snprintf(url, sizeof(url), "/api/v1/orders?contact_id=%lld&limit=2", contact);
    r = itest_request(agent, "GET", url, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = itest_get(r, "items");
    cr_assert_eq(json_array_size(items), 2);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 0), "id")), c);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 1), "id")), b);
    const char *cursor = json_string_value(itest_get(r, "next_cursor"));
    cr_assert_not_null(cursor);
    snprintf(url, sizeof(url), "/api/v1/orders?contact_id=%lld&limit=2&cursor=%s", contact, cursor);
    r = itest_request(agent, "GET", url, NULL, NULL);
    items = itest_get(r, "items");
    cr_assert_eq(json_array_size(items), 1);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 0), "id")), a);
    cr_assert(json_is_null(itest_get(r, "next_cursor")));

    r = itest_request(agent, "GET", "/api/v1/orders?payment_status=paid", NULL, NULL);
    items = itest_get(r, "items");
    cr_assert_eq(json_array_size(items), 1);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 0), "id")), b);
    r = itest_request(agent, "GET", "/api/v1/orders", NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 4);
    cr_assert_eq(
        json_integer_value(json_object_get(json_array_get(itest_get(r, "items"), 0), "id")), d);
}

Test(orders, another_tenant_gets_404_and_sees_nothing)
{
    long long id = order_new(agent, 1, 9000);
    itest_resp_t *r = itest_request(other, "GET", order_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "PATCH", order_path(id), json_pack("{s:s}", "payment_status", "paid"),
                      NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(other, "GET", "/api/v1/orders", NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0);
    char url[96];
    snprintf(url, sizeof(url), "/api/v1/orders?contact_id=%lld", contact);
    r = itest_request(other, "GET", url, NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0);
    r = itest_request(agent, "GET", order_path(id), NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "payment_status"), "unpaid");
    r = itest_request(agent, "GET", "/api/v1/orders/99999999999", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
}
