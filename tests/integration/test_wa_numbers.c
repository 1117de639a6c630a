/* Integration: WhatsApp numbers (GET/POST /api/v1/wa-numbers, GET/PATCH/DELETE …/{id}): the
 * owner connects, changes and removes numbers; secrets are never answered, never logged and
 * not stored in plaintext; a phone_number_id belongs to one tenant at a time; other tenants see
 * 404, agents and supervisors 403; hostile input 400/413/422. Every phone_number_id is random
 * so reruns on a reused stack never collide. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* n random digits, the first not 0, into out (holds n + 1). */
static void random_digits(char *out, size_t n)
{
    char hex[65];
    itest_random_hex(hex, 32);
    for (size_t i = 0; i < n; i++) {
        unsigned v = (unsigned)(hex[i % 64] >= 'a' ? hex[i % 64] - 'a' + 10 : hex[i % 64] - '0');
        out[i] = (char)('0' + (v + (unsigned)i * 7) % 10);
    }
    if (out[0] == '0')
        out[0] = '9';
    out[n] = '\0';
}

/* A distinctive secret: prefix + 40 random hex digits. */
static void random_secret(char *out, size_t size, const char *prefix)
{
    char hex[41];
    itest_random_hex(hex, 20);
    snprintf(out, size, "%s%s", prefix, hex);
}

typedef struct {
    char phone_number_id[20];
    char waba_id[20];
    char access_token[80];
    char app_secret[64];
    char verify_token[64];
} number_t;

static void new_number(number_t *n)
{
    random_digits(n->phone_number_id, 15);
    random_digits(n->waba_id, 15);
    random_secret(n->access_token, sizeof(n->access_token), "EAAT");
    random_secret(n->app_secret, sizeof(n->app_secret), "as");
    random_secret(n->verify_token, sizeof(n->verify_token), "vt");
}

static json_t *number_body(const number_t *n)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "phone_number_id", n->phone_number_id,
                     "waba_id", n->waba_id, "display_phone_number", "0812-3456-7890",
                     "access_token", n->access_token, "app_secret", n->app_secret, "verify_token",
                     n->verify_token);
}

/* No secret of n anywhere in r's raw body. */
static void assert_no_secrets(const itest_resp_t *r, const number_t *n)
{
    cr_assert_null(strstr(r->body, n->access_token), "access token answered: %s", r->body);
    cr_assert_null(strstr(r->body, n->app_secret), "app secret answered: %s", r->body);
    cr_assert_null(strstr(r->body, n->verify_token), "verify token answered: %s", r->body);
    cr_assert_null(strstr(r->body, "_enc"), "an encrypted column answered: %s", r->body);
}

static long long create_number(itest_client_t *c, const number_t *n)
{
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/wa-numbers", number_body(n), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    assert_no_secrets(r, n);
    return itest_get_int(r, "id");
}

static const char *number_path(long long id)
{
    static char path[64];
    snprintf(path, sizeof(path), "/api/v1/wa-numbers/%lld", id);
    return path;
}

/* ---- the database, as the superuser ---- */

static PGconn *super_connect(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert(url && url[0], "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    PGconn *conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    return conn;
}

/* Whether the column of number id holds bytes: -1 NULL, else 1 when plain occurs in it, 0 when
 * not; *len gets its length. */
static int column_contains(PGconn *conn, const char *column, long long id, const char *plain,
                           long *len)
{
    char sql[256], id_text[32];
    snprintf(sql, sizeof(sql),
             "SELECT position(convert_to($2, 'UTF8') IN %s) > 0, length(%s) FROM wa_numbers "
             "WHERE id = $1",
             column, column);
    snprintf(id_text, sizeof(id_text), "%lld", id);
    const char *params[2] = {id_text, plain};
    PGresult *res = PQexecParams(conn, sql, 2, NULL, params, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
    cr_assert_eq(PQntuples(res), 1);
    int out = -1;
    *len = 0;
    if (!PQgetisnull(res, 0, 0)) {
        out = PQgetvalue(res, 0, 0)[0] == 't';
        *len = atol(PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return out;
}

static long long route_count(PGconn *conn, const char *phone_number_id)
{
    const char *params[1] = {phone_number_id};
    PGresult *res = PQexecParams(conn,
                                 "SELECT count(*) FROM wa_number_routes WHERE "
                                 "phone_number_id = $1",
                                 1, NULL, params, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
    long long n = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return n;
}

/* The whole API log, malloc'd and NUL-terminated. */
static char *read_api_log(void)
{
    const char *dir = getenv("LARIS_STACK_DIR");
    cr_assert(dir && dir[0], "LARIS_STACK_DIR is not set: is the test stack up?");
    char path[512];
    snprintf(path, sizeof(path), "%s/log/laris-api.log", dir);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t cap = 1 << 16, len = 0, n;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    while ((n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            cap *= 2;
            text = realloc(text, cap);
            cr_assert_not_null(text);
        }
    }
    fclose(f);
    text[len] = '\0';
    return text;
}

/* ---- tests ---- */

Test(wa_numbers, create_list_get_patch_delete)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    number_t n;
    new_number(&n);
    json_t *body = number_body(&n);
    json_object_set_new(body, "name", json_string("Toko utama"));
    itest_resp_t *r = itest_request(oc, "POST", "/api/v1/wa-numbers", body, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    assert_no_secrets(r, &n);
    long long id = itest_get_int(r, "id");
    cr_assert_str_eq(itest_get_str(r, "phone_number_id"), n.phone_number_id);
    cr_assert_str_eq(itest_get_str(r, "waba_id"), n.waba_id);
    cr_assert_str_eq(itest_get_str(r, "display_phone_number"), "6281234567890", "normalized");
    cr_assert_str_eq(itest_get_str(r, "name"), "Toko utama");
    cr_assert_str_eq(itest_get_str(r, "status"), "active");
    cr_assert_eq(itest_get_int(r, "throughput_mps"), 80, "the default");
    cr_assert(json_is_true(itest_get(r, "has_access_token")), "%s", r->body);
    cr_assert(json_is_true(itest_get(r, "has_app_secret")), "%s", r->body);
    cr_assert(json_is_true(itest_get(r, "has_verify_token")), "%s", r->body);
    cr_assert_null(itest_get(r, "access_token"));
    cr_assert_null(itest_get(r, "app_secret"));

    r = itest_request(oc, "GET", "/api/v1/wa-numbers", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    assert_no_secrets(r, &n);
    json_t *items = itest_get(r, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 0), "id")), id);

    r = itest_request(oc, "GET", number_path(id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    assert_no_secrets(r, &n);
    cr_assert_str_eq(itest_get_str(r, "phone_number_id"), n.phone_number_id);

    char rotated[80];
    random_secret(rotated, sizeof(rotated), "EAAR");
    r = itest_request(oc, "PATCH", number_path(id),
                      json_pack("{s:s, s:i, s:s, s:s}", "name", "Cabang 2", "throughput_mps", 250,
                                "access_token", rotated, "display_phone_number",
                                "+62 813 1111 2222"),
                      NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    assert_no_secrets(r, &n);
    cr_assert_null(strstr(r->body, rotated), "the rotated token answered: %s", r->body);
    cr_assert_str_eq(itest_get_str(r, "name"), "Cabang 2");
    cr_assert_eq(itest_get_int(r, "throughput_mps"), 250);
    cr_assert_str_eq(itest_get_str(r, "display_phone_number"), "6281311112222");
    cr_assert(json_is_true(itest_get(r, "has_app_secret")), "kept: %s", r->body);

    PGconn *conn = super_connect();
    long len;
    cr_assert_eq(column_contains(conn, "access_token_enc", id, rotated, &len), 0);
    cr_assert_eq(len, (long)strlen(rotated) + 40, "the rotated token is what is stored now");
    cr_assert_eq(route_count(conn, n.phone_number_id), 1);

    r = itest_request(oc, "DELETE", number_path(id), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    cr_assert_eq(route_count(conn, n.phone_number_id), 0, "a removed number routes nowhere");
    cr_assert_eq(column_contains(conn, "access_token_enc", id, rotated, &len), -1,
                 "removing forgets the secrets");
    r = itest_request(oc, "GET", number_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(oc, "PATCH", number_path(id), json_pack("{s:s}", "name", "x"), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(oc, "DELETE", number_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(oc, "GET", "/api/v1/wa-numbers", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0, "%s", r->body);

    /* connecting it again in the same tenant reactivates the same row */
    r = itest_request(oc, "POST", "/api/v1/wa-numbers", number_body(&n), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "id"), id, "reactivated: %s", r->body);
    cr_assert(json_is_null(itest_get(r, "name")), "everything given anew: %s", r->body);
    cr_assert_eq(route_count(conn, n.phone_number_id), 1);
    PQfinish(conn);
    itest_client_free(oc);
}

Test(wa_numbers, secrets_never_answered_logged_or_stored_plain)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    number_t n;
    new_number(&n);
    long long id = create_number(oc, &n);
    itest_resp_t *r = itest_request(oc, "GET", number_path(id), NULL, NULL);
    assert_no_secrets(r, &n);
    r = itest_request(oc, "GET", "/api/v1/wa-numbers?limit=200", NULL, NULL);
    assert_no_secrets(r, &n);
    /* a rejected request with the secrets in it must not echo them either */
    json_t *bad = number_body(&n);
    json_object_set_new(bad, "throughput_mps", json_integer(0));
    r = itest_request(oc, "POST", "/api/v1/wa-numbers", bad, NULL);
    itest_assert_problem(r, 422, "throughput_mps");
    assert_no_secrets(r, &n);
    r = itest_request(oc, "POST", "/api/v1/wa-numbers", number_body(&n), NULL);
    itest_assert_problem(r, 409, "phone_number_id");
    assert_no_secrets(r, &n);

    PGconn *conn = super_connect();
    long len;
    cr_assert_eq(column_contains(conn, "access_token_enc", id, n.access_token, &len), 0,
                 "the access token is stored in plaintext");
    cr_assert_eq(len, (long)strlen(n.access_token) + 40, "nonce || box of the token");
    cr_assert_eq(column_contains(conn, "app_secret_enc", id, n.app_secret, &len), 0,
                 "the app secret is stored in plaintext");
    cr_assert_eq(len, (long)strlen(n.app_secret) + 40);
    /* and no other column holds them */
    char id_text[32];
    snprintf(id_text, sizeof(id_text), "%lld", id);
    const char *params[3] = {id_text, n.access_token, n.app_secret};
    PGresult *res = PQexecParams(conn,
                                 "SELECT strpos(t::text, $2) + strpos(t::text, $3) FROM "
                                 "wa_numbers t WHERE id = $1",
                                 3, NULL, params, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
    cr_assert_str_eq(PQgetvalue(res, 0, 0), "0");
    PQclear(res);
    res = PQexecParams(conn,
                       "SELECT count(*) FROM audit_log a WHERE strpos(a::text, $1) > 0 OR "
                       "strpos(a::text, $2) > 0",
                       2, NULL, params + 1, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
    cr_assert_str_eq(PQgetvalue(res, 0, 0), "0", "a secret is in the audit log");
    PQclear(res);
    PQfinish(conn);

    char *log = read_api_log();
    cr_assert_null(strstr(log, n.access_token), "the access token is in the API log");
    cr_assert_null(strstr(log, n.app_secret), "the app secret is in the API log");
    cr_assert_null(strstr(log, n.verify_token), "the verify token is in the API log");
    free(log);
    itest_client_free(oc);
}

Test(wa_numbers, one_tenant_per_phone_number_id)
{
    itest_user_t a, b;
    itest_client_t *ac = itest_owner_session(&a);
    itest_client_t *bc = itest_owner_session(&b);
    number_t n;
    new_number(&n);
    long long id_a = create_number(ac, &n);

    itest_resp_t *r = itest_request(bc, "POST", "/api/v1/wa-numbers", number_body(&n), NULL);
    itest_assert_problem(r, 409, "phone_number_id");
    r = itest_request(ac, "POST", "/api/v1/wa-numbers", number_body(&n), NULL);
    itest_assert_problem(r, 409, "phone_number_id");

    /* removed by A, B can connect it; then A cannot, until B removes it */
    r = itest_request(ac, "DELETE", number_path(id_a), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    long long id_b = create_number(bc, &n);
    r = itest_request(ac, "POST", "/api/v1/wa-numbers", number_body(&n), NULL);
    itest_assert_problem(r, 409, "phone_number_id");
    r = itest_request(ac, "GET", number_path(id_a), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(bc, "DELETE", number_path(id_b), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    r = itest_request(ac, "POST", "/api/v1/wa-numbers", number_body(&n), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "id"), id_a);
    itest_client_free(ac);
    itest_client_free(bc);
}

Test(wa_numbers, other_tenants_see_404)
{
    itest_user_t a, b;
    itest_client_t *ac = itest_owner_session(&a);
    itest_client_t *bc = itest_owner_session(&b);
    number_t n;
    new_number(&n);
    long long id = create_number(ac, &n);
    itest_resp_t *r = itest_request(bc, "GET", number_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(bc, "PATCH", number_path(id), json_pack("{s:s}", "name", "stolen"), NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(bc, "DELETE", number_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(bc, "GET", "/api/v1/wa-numbers", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0, "%s", r->body);
    r = itest_request(ac, "GET", number_path(id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(itest_get(r, "name")), "untouched: %s", r->body);
    static const char *const bad_ids[] = {"0", "-1", "abc", "99999999999999999999"};
    for (size_t i = 0; i < COUNT(bad_ids); i++) {
        char path[96];
        snprintf(path, sizeof(path), "/api/v1/wa-numbers/%s", bad_ids[i]);
        r = itest_request(ac, "GET", path, NULL, NULL);
        cr_assert(r->status == 404 || r->status == 400, "%s: %ld", path, r->status);
    }
    itest_client_free(ac);
    itest_client_free(bc);
}

Test(wa_numbers, only_the_owner)
{
    itest_user_t owner, agent, supervisor;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_create_user(oc, "agent", &agent);
    itest_create_user(oc, "supervisor", &supervisor);
    number_t n;
    new_number(&n);
    long long id = create_number(oc, &n);
    const itest_user_t *people[] = {&agent, &supervisor};
    for (size_t i = 0; i < COUNT(people); i++) {
        itest_client_t *c = itest_user_session(people[i]);
        number_t other;
        new_number(&other);
        itest_resp_t *r = itest_request(c, "GET", "/api/v1/wa-numbers", NULL, NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(c, "POST", "/api/v1/wa-numbers", number_body(&other), NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(c, "GET", number_path(id), NULL, NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(c, "PATCH", number_path(id), json_pack("{s:s}", "name", "x"), NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(c, "DELETE", number_path(id), NULL, NULL);
        itest_assert_problem(r, 403, NULL);
        itest_client_free(c);
    }

    /* API tokens: an owner token may, a supervisor token may not */
    itest_resp_t *r =
        itest_request(oc, "POST", "/api/v1/tokens",
                      json_pack("{s:s, s:s}", "name", "owner program", "role", "owner"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    itest_client_t *pc = itest_client_new();
    itest_client_set_bearer(pc, itest_get_str(r, "secret"));
    r = itest_request(pc, "GET", number_path(id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(oc, "POST", "/api/v1/tokens",
                      json_pack("{s:s, s:s}", "name", "sup program", "role", "supervisor"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    itest_client_t *sc = itest_client_new();
    itest_client_set_bearer(sc, itest_get_str(r, "secret"));
    r = itest_request(sc, "GET", "/api/v1/wa-numbers", NULL, NULL);
    itest_assert_problem(r, 403, NULL);

    /* no credentials at all */
    itest_client_t *anon = itest_client_new();
    r = itest_request(anon, "GET", "/api/v1/wa-numbers", NULL, NULL);
    itest_assert_problem(r, 401, NULL);
    itest_client_free(anon);
    itest_client_free(sc);
    itest_client_free(pc);
    itest_client_free(oc);
}

typedef struct {
    const char *field;
    json_t *value; /* taken over */
} bad_field_t;

Test(wa_numbers, hostile_input)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    char long_token[1100];
    memset(long_token, 'A', 1025);
    long_token[1025] = '\0';
    bad_field_t cases[] = {
        {"phone_number_id", json_string("12a45")},
        {"phone_number_id", json_string("123456789012345678901234567890123")},
        {"phone_number_id", json_string("")},
        {"phone_number_id", json_integer(12345)},
        {"phone_number_id", json_string("1' OR '1'='1")},
        {"waba_id", json_string("-5")},
        {"waba_id", json_null()},
        {"display_phone_number", json_string("call me")},
        {"display_phone_number", json_string("12")},
        {"access_token", json_string("short")},
        {"access_token", json_string(long_token)},
        {"access_token", json_string("EAAT\nabcdefghijklmnopqrstuvwxyz")},
        {"access_token", json_string("EAAT abcdefghijklmnopqrstuvwxyz")},
        {"access_token", json_string("EAATabcdefghijklmnopqrstuvwxyzé")},
        {"app_secret", json_string("abc")},
        {"app_secret", json_string("0123456789abcdef\x01")},
        {"verify_token", json_string("tiny")},
        {"throughput_mps", json_integer(0)},
        {"throughput_mps", json_integer(1001)},
        {"throughput_mps", json_string("80")},
        {"name", json_string("")},
        {"name", json_string("a\x1b[31mred")},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        number_t n;
        new_number(&n);
        json_t *body = number_body(&n);
        json_object_set_new(body, cases[i].field, cases[i].value);
        itest_resp_t *r = itest_request(oc, "POST", "/api/v1/wa-numbers", body, NULL);
        cr_assert_eq(r->status, 422, "case %zu (%s): %ld %s", i, cases[i].field, r->status,
                     r->body);
        itest_assert_problem(r, 422, cases[i].field);
    }
    static const char *const required[] = {"phone_number_id", "waba_id", "display_phone_number",
                                           "access_token"};
    for (size_t i = 0; i < COUNT(required); i++) {
        number_t n;
        new_number(&n);
        json_t *body = number_body(&n);
        json_object_del(body, required[i]);
        itest_resp_t *r = itest_request(oc, "POST", "/api/v1/wa-numbers", body, NULL);
        itest_assert_problem(r, 422, required[i]);
    }
    itest_resp_t *r = itest_request(oc, "GET", "/api/v1/wa-numbers", NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0, "nothing was stored: %s", r->body);

    /* PATCH: the ids cannot change, and the same rules hold */
    number_t n;
    new_number(&n);
    long long id = create_number(oc, &n);
    r = itest_request(oc, "PATCH", number_path(id), json_pack("{s:s}", "phone_number_id", "123456"),
                      NULL);
    itest_assert_problem(r, 422, "phone_number_id");
    r = itest_request(oc, "PATCH", number_path(id), json_pack("{s:s}", "waba_id", "123456"), NULL);
    itest_assert_problem(r, 422, "waba_id");
    r = itest_request(oc, "PATCH", number_path(id), json_pack("{s:s}", "access_token", "short"),
                      NULL);
    itest_assert_problem(r, 422, "access_token");
    r = itest_request(oc, "PATCH", number_path(id), json_pack("{s:i}", "throughput_mps", 5000),
                      NULL);
    itest_assert_problem(r, 422, "throughput_mps");

    /* malformed and oversized bodies */
    static const char *const malformed[] = {"{", "[]", "\"x\"", "{\"phone_number_id\":1,}"};
    for (size_t i = 0; i < COUNT(malformed); i++) {
        r = itest_request_raw(oc, "POST", "/api/v1/wa-numbers", "application/json", malformed[i],
                              strlen(malformed[i]), NULL);
        itest_assert_problem(r, 400, NULL);
    }
    size_t big_len = 20 * 1024;
    char *big = malloc(big_len + 64);
    cr_assert_not_null(big);
    int head = snprintf(big, 64, "{\"name\":\"");
    memset(big + head, 'x', big_len);
    memcpy(big + head + big_len, "\"}", 3);
    r = itest_request_raw(oc, "POST", "/api/v1/wa-numbers", "application/json", big, strlen(big),
                          NULL);
    itest_assert_problem(r, 413, NULL);
    r = itest_request_raw(oc, "PATCH", number_path(id), "application/json", big, strlen(big), NULL);
    itest_assert_problem(r, 413, NULL);
    free(big);
    itest_client_free(oc);
}
