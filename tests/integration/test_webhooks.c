/* POST/GET /webhooks/whatsapp against the live stack: signatures, the handshake, every shared
 * fixture and what manifest.json expects of it (checked in the database as the superuser),
 * redelivery, routing across tenants, statuses out of order, limits and malformed bodies.
 *
 * The stack's laris-api must run with LARIS_META_APP_SECRET = the manifest's app_secret and
 * LARIS_META_VERIFY_TOKEN as in this environment (default laris-fixture-verify-token). Each
 * test registers the manifest's two phone_number_ids to two new tenants, replacing whatever a
 * previous run left for those ids. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define PATH "/webhooks/whatsapp"

static PGconn *conn;
static json_t *manifest;
static long long tenant_a, tenant_b; /* own phone_number_id and other_phone_number_id */
static const char *number_a, *number_b;

static PGresult *sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static PGresult *sql(const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    cr_assert(n > 0 && (size_t)n < sizeof(text));
    PGresult *res = PQexec(conn, text);
    cr_assert(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK,
              "%s: %s", text, PQerrorMessage(conn));
    return res;
}

static long long sql_int(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long long sql_int(const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    PGresult *res = sql("%s", text);
    cr_assert_leq(PQntuples(res), 1, "%s", text);
    /* -1 for no row or NULL */
    long long v = PQntuples(res) == 0 || PQgetisnull(res, 0, 0) ? -1 : atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return v;
}

static char *read_fixture(const char *file, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", LARIS_FIXTURES_DIR, file);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    cr_assert_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
    buf[size] = '\0';
    fclose(f);
    *len = (size_t)size;
    return buf;
}

/* "sha256=<hex>" of body under secret, computed here with libsodium. */
static void sign(const char *secret, const char *body, size_t len, char out[80])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "sha256=", 7);
    sodium_bin2hex(out + 7, 80 - 7, mac, sizeof(mac));
}

static const char *app_secret(void)
{
    return json_string_value(json_object_get(manifest, "app_secret"));
}

static long post(itest_client_t *c, const char *body, size_t len, const char *signature)
{
    itest_resp_t *r;
    if (signature) {
        char header[128];
        snprintf(header, sizeof(header), "X-Hub-Signature-256: %s", signature);
        r = itest_request_raw(c, "POST", PATH, "application/json", body, len, header, NULL);
    } else
        r = itest_request_raw(c, "POST", PATH, "application/json", body, len, NULL);
    return r->status;
}

/* Posts fixture name with the manifest's signature; returns the status. */
static long post_fixture(itest_client_t *c, const char *name)
{
    json_t *fx = json_object_get(json_object_get(manifest, "fixtures"), name);
    cr_assert_not_null(fx, "no fixture %s", name);
    size_t len;
    char *body = read_fixture(json_string_value(json_object_get(fx, "file")), &len);
    long status = post(c, body, len, json_string_value(json_object_get(fx, "signature")));
    free(body);
    return status;
}

static const char *const wa_tables[] = {"wa_errors", "webhook_events", "wa_pending_statuses",
                                        "messages",  "conversations",  "contacts"};

/* Deletes what the test tenants received (not their numbers). */
static void wipe_tenants(void)
{
    for (size_t i = 0; i < sizeof(wa_tables) / sizeof(wa_tables[0]); i++)
        PQclear(sql("DELETE FROM %s WHERE tenant_id IN (%lld, %lld)", wa_tables[i], tenant_a,
                    tenant_b));
}

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(sql("SET client_min_messages = warning"));

    char path[1024];
    snprintf(path, sizeof(path), "%s/manifest.json", LARIS_FIXTURES_DIR);
    json_error_t jerr;
    manifest = json_load_file(path, 0, &jerr);
    cr_assert_not_null(manifest, "%s: %s", path, jerr.text);
    number_a = json_string_value(json_object_get(manifest, "phone_number_id"));
    number_b = json_string_value(json_object_get(manifest, "other_phone_number_id"));
    const char *waba = json_string_value(json_object_get(manifest, "waba_id"));
    cr_assert(number_a && number_b && waba);

    /* Whatever a previous run registered for these ids goes, with what it received. */
    PQclear(
        sql("DO $$ DECLARE ts bigint[]; BEGIN "
            "ts := ARRAY(SELECT tenant_id FROM wa_numbers WHERE phone_number_id IN ('%s', '%s'));"
            "DELETE FROM wa_errors WHERE tenant_id = ANY (ts);"
            "DELETE FROM webhook_events WHERE tenant_id = ANY (ts);"
            "DELETE FROM wa_pending_statuses WHERE tenant_id = ANY (ts);"
            "DELETE FROM messages WHERE tenant_id = ANY (ts);"
            "DELETE FROM conversations WHERE tenant_id = ANY (ts);"
            "DELETE FROM contacts WHERE tenant_id = ANY (ts);"
            "DELETE FROM wa_numbers WHERE tenant_id = ANY (ts); END $$",
            number_a, number_b));
    tenant_a = sql_int("INSERT INTO tenants (plan_id, name) VALUES "
                       "((SELECT id FROM plans WHERE code = 'trial'), 'itest webhooks A') "
                       "RETURNING id");
    tenant_b = sql_int("INSERT INTO tenants (plan_id, name) VALUES "
                       "((SELECT id FROM plans WHERE code = 'trial'), 'itest webhooks B') "
                       "RETURNING id");
    PQclear(sql("INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id, "
                "display_phone_number) VALUES (%lld, '%s', '%s', '6281100001111'), "
                "(%lld, '%s', '%s', '6281100002222')",
                tenant_a, number_a, waba, tenant_b, number_b, waba));
}

static void teardown(void)
{
    json_decref(manifest);
    PQfinish(conn);
}

TestSuite(webhooks, .init = setup, .fini = teardown);

/* Rows of every WhatsApp table for the test tenants, plus a digest of message and pending
 * statuses and opt-outs, as one comparable string. */
static char *snapshot(void)
{
    char *out = calloc(1, 4096);
    size_t used = 0;
    for (size_t i = 0; i < sizeof(wa_tables) / sizeof(wa_tables[0]); i++)
        used += (size_t)snprintf(out + used, 4096 - used, "%s=%lld ", wa_tables[i],
                                 sql_int("SELECT count(*) FROM %s WHERE tenant_id IN (%lld, %lld)",
                                         wa_tables[i], tenant_a, tenant_b));
    PGresult *res = sql(
        "SELECT md5(coalesce((SELECT string_agg(wamid || coalesce(status, '-'), ',' ORDER BY wamid)"
        " FROM messages WHERE tenant_id IN (%1$lld, %2$lld)), '') ||"
        " coalesce((SELECT string_agg(wamid || status, ',' ORDER BY wamid) FROM wa_pending_statuses"
        " WHERE tenant_id IN (%1$lld, %2$lld)), '') ||"
        " coalesce((SELECT string_agg(coalesce(wa_id, '') || coalesce(marketing_opt_out_at::text, "
        "'-')"
        " || coalesce(last_inbound_at::text, '-'), ',' ORDER BY wa_id) FROM contacts"
        " WHERE tenant_id IN (%1$lld, %2$lld)), ''))",
        tenant_a, tenant_b);
    snprintf(out + used, 4096 - used, "digest=%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return out;
}

/* Distinct status wamids in a fixture file's JSON. */
static long long distinct_status_ids(const char *file, long long *total)
{
    size_t len;
    char *body = read_fixture(file, &len);
    json_error_t jerr;
    json_t *root = json_loadb(body, len, 0, &jerr);
    free(body);
    cr_assert_not_null(root);
    json_t *seen = json_object();
    *total = 0;
    size_t i, j, k;
    json_t *entry, *change, *status;
    json_array_foreach(json_object_get(root, "entry"), i, entry)
    {
        json_array_foreach(json_object_get(entry, "changes"), j, change)
        {
            json_array_foreach(json_object_get(json_object_get(change, "value"), "statuses"), k,
                               status)
            {
                json_object_set_new(seen, json_string_value(json_object_get(status, "id")),
                                    json_true());
                (*total)++;
            }
        }
    }
    long long n = (long long)json_object_size(seen);
    json_decref(seen);
    json_decref(root);
    return n;
}

static void check_expect(const char *name, json_t *fx)
{
    json_t *expect = json_object_get(fx, "expect");
    const char *file = json_string_value(json_object_get(fx, "file"));
    long long a = tenant_a, b = tenant_b;
    json_t *v;
    cr_expect_gt(
        sql_int("SELECT count(*) FROM webhook_events WHERE tenant_id IN (%lld, %lld)", a, b), 0,
        "%s: the raw event is stored", name);
    if ((v = json_object_get(expect, "messages")))
        cr_expect_eq(sql_int("SELECT count(*) FROM messages WHERE tenant_id IN (%lld, %lld)", a, b),
                     json_integer_value(v), "%s: messages", name);
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(expect, "types"), i, item)
    {
        cr_expect_gt(sql_int("SELECT count(*) FROM messages WHERE tenant_id IN (%lld, %lld) "
                             "AND type = '%s' AND direction = 'in'",
                             a, b, json_string_value(item)),
                     0, "%s: a message of type %s", name, json_string_value(item));
    }
    if (json_array_size(json_object_get(expect, "types")) > 0)
        cr_expect_eq(
            sql_int("SELECT count(DISTINCT type) FROM messages WHERE tenant_id IN (%lld, %lld)", a,
                    b),
            (long long)json_array_size(json_object_get(expect, "types")), "%s: no other types",
            name);
    json_array_foreach(json_object_get(expect, "contacts"), i, item)
    {
        cr_expect_eq(
            sql_int("SELECT count(*) FROM contacts c JOIN messages m ON m.tenant_id = "
                    "c.tenant_id AND m.contact_id = c.id WHERE c.tenant_id IN (%lld, %lld) "
                    "AND c.wa_id = '%s' AND c.last_inbound_at IS NOT NULL",
                    a, b, json_string_value(item)),
            1, "%s: contact %s with its message", name, json_string_value(item));
    }
    json_array_foreach(json_object_get(expect, "media_ids"), i, item)
    {
        cr_expect_eq(sql_int("SELECT count(*) FROM messages WHERE tenant_id IN (%lld, %lld) "
                             "AND media_id = '%s'",
                             a, b, json_string_value(item)),
                     1, "%s: media id", name);
    }
    if ((v = json_object_get(expect, "reply_to")))
        cr_expect_eq(sql_int("SELECT count(*) FROM messages WHERE tenant_id IN (%lld, %lld) "
                             "AND reply_to_wamid = '%s'",
                             a, b, json_string_value(v)),
                     1, "%s: reply_to", name);
    if (json_is_true(json_object_get(expect, "referral")))
        cr_expect_eq(sql_int("SELECT count(*) FROM messages WHERE tenant_id IN (%lld, %lld) "
                             "AND raw ? 'referral'",
                             a, b),
                     1, "%s: referral kept", name);
    if ((v = json_object_get(expect, "order_total_idr")))
        cr_expect_eq(sql_int("SELECT sum((i->>'quantity')::numeric * (i->>'item_price')::numeric)"
                             "::bigint FROM messages m, jsonb_array_elements(m.raw->'order'->"
                             "'product_items') i WHERE m.tenant_id IN (%lld, %lld)",
                             a, b),
                     json_integer_value(v), "%s: order total", name);
    if ((v = json_object_get(expect, "errors")))
        cr_expect_eq(
            sql_int("SELECT count(*) FROM wa_errors WHERE tenant_id IN (%lld, %lld)", a, b),
            json_integer_value(v), "%s: errors", name);
    if ((v = json_object_get(expect, "statuses"))) {
        long long total;
        long long ids = distinct_status_ids(file, &total);
        cr_expect_eq(total, json_integer_value(v), "%s: statuses in the fixture", name);
        cr_expect_eq(sql_int("SELECT count(*) FROM wa_pending_statuses WHERE tenant_id IN "
                             "(%lld, %lld)",
                             a, b),
                     ids, "%s: one pending status per unknown wamid", name);
    }
    if ((v = json_object_get(expect, "final_status")))
        cr_expect_eq(sql_int("SELECT count(*) FROM wa_pending_statuses WHERE tenant_id IN "
                             "(%lld, %lld) AND status = '%s'",
                             a, b, json_string_value(v)),
                     1, "%s: final status", name);
    if ((v = json_object_get(expect, "failed_code")))
        cr_expect_eq(sql_int("SELECT count(*) FROM wa_pending_statuses WHERE tenant_id IN "
                             "(%lld, %lld) AND status = 'failed' AND error_code = %lld",
                             a, b, (long long)json_integer_value(v)),
                     1, "%s: failed with its code", name);
    json_array_foreach(json_object_get(expect, "opted_out"), i, item)
    {
        cr_expect_eq(sql_int("SELECT count(*) FROM contacts WHERE tenant_id = %lld AND wa_id = '%s'"
                             " AND marketing_opt_out_at IS NOT NULL",
                             a, json_string_value(item)),
                     1, "%s: opted out", name);
    }
    if ((v = json_object_get(expect, "template")))
        cr_expect_gt(
            sql_int("SELECT count(*) FROM webhook_events WHERE tenant_id = %lld AND field = "
                    "'message_template_status_update' AND raw->'value'->>"
                    "'message_template_name' = '%s' AND raw->'value'->>'event' = '%s'",
                    a, json_string_value(v), json_string_value(json_object_get(expect, "status"))),
            0, "%s: template event routed by WABA", name);
    const char *number;
    json_object_foreach(json_object_get(expect, "tenants"), number, v)
    {
        long long owner = strcmp(number, number_a) == 0 ? a : b;
        long long other = owner == a ? b : a;
        json_array_foreach(v, i, item)
        {
            cr_expect_eq(sql_int("SELECT count(*) FROM messages m JOIN contacts c ON c.tenant_id = "
                                 "m.tenant_id AND c.id = m.contact_id WHERE m.tenant_id = %lld AND "
                                 "c.wa_id = '%s'",
                                 owner, json_string_value(item)),
                         1, "%s: %s lands in the tenant of %s", name, json_string_value(item),
                         number);
            cr_expect_eq(sql_int("SELECT count(*) FROM contacts WHERE tenant_id = %lld AND "
                                 "wa_id = '%s'",
                                 other, json_string_value(item)),
                         0, "%s: and not in the other tenant", name);
        }
    }
}

Test(webhooks, every_fixture_is_accepted_and_stored_as_expected)
{
    itest_client_t *c = itest_client_new();
    const char *name;
    json_t *fx;
    size_t n = 0;
    json_object_foreach(json_object_get(manifest, "fixtures"), name, fx)
    {
        wipe_tenants();
        cr_assert_eq(post_fixture(c, name), 200, "%s is accepted", name);
        check_expect(name, fx);
        n++;
    }
    cr_expect_gt(n, 30);
    itest_client_free(c);
}

Test(webhooks, posting_everything_twice_changes_nothing)
{
    itest_client_t *c = itest_client_new();
    const char *name;
    json_t *fx;
    json_object_foreach(json_object_get(manifest, "fixtures"), name, fx)
    {
        cr_assert_eq(post_fixture(c, name), 200, "%s", name);
    }
    char *first = snapshot();
    cr_assert_gt(sql_int("SELECT count(*) FROM messages WHERE tenant_id = %lld", tenant_a), 20);
    json_object_foreach(json_object_get(manifest, "fixtures"), name, fx)
    {
        cr_assert_eq(post_fixture(c, name), 200, "%s again", name);
    }
    char *second = snapshot();
    cr_expect_str_eq(second, first);
    free(first);
    free(second);
    itest_client_free(c);
}

Test(webhooks, signatures)
{
    itest_client_t *c = itest_client_new();
    size_t len;
    char *body = read_fixture("text.json", &len);
    char good[80];
    sign(app_secret(), body, len, good);

    cr_expect_eq(post(c, body, len, NULL), 401, "missing signature");
    cr_expect_eq(post(c, body, len,
                      "sha256=0000000000000000000000000000000000000000000000000000000000000000"),
                 401, "wrong signature");
    char other[80];
    sign("not-the-app-secret", body, len, other);
    cr_expect_eq(post(c, body, len, other), 401, "signed with another secret");
    char *tampered = strdup(body);
    tampered[len / 2] = tampered[len / 2] == 'a' ? 'b' : 'a';
    cr_expect_eq(post(c, tampered, len, good), 401, "body changed after signing");
    free(tampered);
    cr_expect_eq(sql_int("SELECT count(*) FROM webhook_events WHERE tenant_id IN (%lld, %lld)",
                         tenant_a, tenant_b),
                 0, "nothing stored for a bad signature");

    cr_expect_eq(post(c, body, len, good), 200, "valid signature");
    cr_expect_eq(sql_int("SELECT count(*) FROM messages WHERE tenant_id = %lld", tenant_a), 1);

    /* The same payload pretty-printed: new bytes, signed over themselves, still accepted. */
    json_error_t jerr;
    json_t *root = json_loadb(body, len, 0, &jerr);
    cr_assert_not_null(root);
    json_object_set_new(
        json_object_get(
            json_array_get(
                json_object_get(json_array_get(json_object_get(root, "entry"), 0), "changes"), 0),
            "value"),
        "x_pretty", json_true());
    char *pretty = json_dumps(root, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
    json_decref(root);
    char pretty_sig[80];
    sign(app_secret(), pretty, strlen(pretty), pretty_sig);
    cr_expect_eq(post(c, pretty, strlen(pretty), good), 401,
                 "pretty body under the compact signature");
    cr_expect_eq(post(c, pretty, strlen(pretty), pretty_sig), 200,
                 "pretty body signed over its bytes");
    cr_expect_eq(sql_int("SELECT count(*) FROM webhook_events WHERE tenant_id = %lld", tenant_a), 2,
                 "the pretty body is another event");
    cr_expect_eq(sql_int("SELECT count(*) FROM messages WHERE tenant_id = %lld", tenant_a), 1,
                 "but the same message (wamid)");
    free(pretty);
    free(body);
    itest_client_free(c);
}

Test(webhooks, handshake)
{
    itest_client_t *c = itest_client_new();
    const char *token = getenv("LARIS_META_VERIFY_TOKEN");
    if (!token || !token[0])
        token = "laris-fixture-verify-token";
    char path[512];
    snprintf(path, sizeof(path),
             PATH "?hub.mode=subscribe&hub.verify_token=%s&hub.challenge=1158201444", token);
    itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
    cr_expect_eq(r->status, 200);
    cr_expect_str_eq(r->body, "1158201444");
    r = itest_request(c, "GET", PATH "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
                      NULL, NULL);
    cr_expect_eq(r->status, 403);
    snprintf(path, sizeof(path), PATH "?hub.mode=unsubscribe&hub.verify_token=%s&hub.challenge=1",
             token);
    r = itest_request(c, "GET", path, NULL, NULL);
    cr_expect_eq(r->status, 403);
    itest_client_free(c);
}

/* Status fixtures for outbound wamids, posted in shuffled orders, before and after the message
 * exists: the status never moves backwards. */
static const char *const status_fixtures[] = {"status_sent", "status_delivered", "status_read",
                                              "status_read_then_delivered", "status_failed_131049"};
#define NSTATUS   (sizeof(status_fixtures) / sizeof(status_fixtures[0]))
#define WAMID_500 "wamid.HBgN1NjI4MTIzNDU2Nzg5MBUCABIYFDNBQ000500A="
#define WAMID_501 "wamid.HBgN1NjI4MTIzNDU2Nzg5MBUCABIYFDNBQ000501A="
#define WAMID_502 "wamid.HBgN1NjI4MTIzNDU2Nzg5MBUCABIYFDNBQ000502A="

static void insert_outbound(const char *wamid)
{
    long long contact =
        sql_int("INSERT INTO contacts (tenant_id, wa_id) VALUES (%lld, '6281234567890') "
                "ON CONFLICT (tenant_id, wa_id) DO UPDATE SET wa_id = EXCLUDED.wa_id "
                "RETURNING id",
                tenant_a);
    long long conv =
        sql_int("INSERT INTO conversations (tenant_id, contact_id) VALUES (%lld, %lld) "
                "ON CONFLICT DO NOTHING RETURNING id",
                tenant_a, contact);
    if (conv < 0)
        conv = sql_int("SELECT id FROM conversations WHERE tenant_id = %lld AND contact_id = %lld "
                       "AND status <> 'resolved'",
                       tenant_a, contact);
    PQclear(sql("INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, wamid, "
                "type, status) VALUES (%lld, %lld, %lld, 'out', '%s', 'text', 'accepted')",
                tenant_a, conv, contact, wamid));
}

static char *status_of(const char *wamid)
{
    PGresult *res =
        sql("SELECT coalesce((SELECT status FROM messages WHERE tenant_id = %1$lld AND "
            "wamid = '%2$s'), (SELECT status FROM wa_pending_statuses WHERE tenant_id = "
            "%1$lld AND wamid = '%2$s'), '-')",
            tenant_a, wamid);
    char *s = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return s;
}

static void check_final_statuses(const char *when)
{
    char *s500 = status_of(WAMID_500), *s501 = status_of(WAMID_501), *s502 = status_of(WAMID_502);
    cr_expect_str_eq(s500, "read", "%s: sent, delivered, read in any order end at read", when);
    cr_expect_str_eq(s501, "failed", "%s: failed stays failed", when);
    cr_expect_str_eq(s502, "read", "%s: read then delivered then sent stays read", when);
    free(s500);
    free(s501);
    free(s502);
}

Test(webhooks, statuses_never_move_backwards)
{
    itest_client_t *c = itest_client_new();
    unsigned seed = (unsigned)randombytes_random();
    for (int round = 0; round < 6; round++) {
        wipe_tenants();
        bool messages_first = round % 2 == 1;
        if (messages_first) {
            insert_outbound(WAMID_500);
            insert_outbound(WAMID_501);
            insert_outbound(WAMID_502);
        }
        size_t order[NSTATUS];
        for (size_t i = 0; i < NSTATUS; i++)
            order[i] = i;
        for (size_t i = NSTATUS - 1; i > 0; i--) { /* Fisher-Yates, reproducible from seed */
            size_t j = (size_t)rand_r(&seed) % (i + 1);
            size_t t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        if (round == 0) { /* one fixed worst case: newest first */
            size_t fixed[NSTATUS] = {4, 3, 2, 1, 0};
            memcpy(order, fixed, sizeof(order));
        }
        char when[64];
        snprintf(when, sizeof(when), "round %d (%s)", round,
                 messages_first ? "messages exist" : "pending");
        for (size_t i = 0; i < NSTATUS; i++) {
            cr_assert_eq(post_fixture(c, status_fixtures[order[i]]), 200);
            /* Redeliver an older one in between: still nothing moves back. */
            cr_assert_eq(post_fixture(c, "status_sent"), 200);
        }
        check_final_statuses(when);
        if (!messages_first) {
            /* The messages appear (the send answer came late): they take the pending status. */
            insert_outbound(WAMID_500);
            insert_outbound(WAMID_501);
            insert_outbound(WAMID_502);
            cr_expect_eq(sql_int("SELECT count(*) FROM wa_pending_statuses WHERE tenant_id = %lld",
                                 tenant_a),
                         0, "%s: pending statuses applied and removed", when);
            cr_expect_eq(sql_int("SELECT error_code FROM messages WHERE tenant_id = %lld AND "
                                 "wamid = '" WAMID_501 "'",
                                 tenant_a),
                         131049, "%s: failed keeps its code", when);
            check_final_statuses(when);
        }
    }
    itest_client_free(c);
}

Test(webhooks, batch_spanning_two_numbers_lands_in_both_tenants)
{
    itest_client_t *c = itest_client_new();
    cr_assert_eq(post_fixture(c, "batch_two_numbers"), 200);
    cr_expect_eq(sql_int("SELECT count(*) FROM messages WHERE tenant_id = %lld", tenant_a), 1);
    cr_expect_eq(sql_int("SELECT count(*) FROM messages WHERE tenant_id = %lld", tenant_b), 1);
    cr_expect_eq(sql_int("SELECT count(*) FROM webhook_events WHERE tenant_id = %lld AND "
                         "phone_number_id = '%s'",
                         tenant_b, number_b),
                 1);
    itest_client_free(c);
}

Test(webhooks, unknown_number_is_ignored)
{
    itest_client_t *c = itest_client_new();
    size_t len;
    char *body = read_fixture("text.json", &len);
    char *p = strstr(body, number_a);
    cr_assert_not_null(p);
    memcpy(p, "119876543219999", 15);
    char sig[80];
    sign(app_secret(), body, len, sig);
    cr_expect_eq(post(c, body, len, sig), 200, "accepted (Meta must not retry it)");
    cr_expect_eq(sql_int("SELECT count(*) FROM webhook_events WHERE raw->'value'->'metadata'->>"
                         "'phone_number_id' = '119876543219999'"),
                 0, "and stored nowhere");
    free(body);
    itest_client_free(c);
}

Test(webhooks, oversized_body_is_refused)
{
    itest_client_t *c = itest_client_new();
    size_t len = 3 * 1024 * 1024 + 1;
    char *body = malloc(len);
    memset(body, ' ', len);
    body[0] = '{';
    body[len - 1] = '}';
    char sig[80];
    sign(app_secret(), body, len, sig);
    cr_expect_eq(post(c, body, len, sig), 413);
    free(body);
    itest_client_free(c);
}

Test(webhooks, malformed_json_with_valid_signature)
{
    itest_client_t *c = itest_client_new();
    const char *bad[] = {
        "{\"object\":\"whatsapp_business_account\",\"entry\":[",
        "not json",
        "{\"object\":\"page\",\"entry\":[]}",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
        "\"field\":"
        "\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"119876543210001\"},"
        "\"messages\":[{\"from\":\"6281234567890\",\"type\":\"text\"}]}}]}]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char sig[80];
        sign(app_secret(), bad[i], strlen(bad[i]), sig);
        itest_resp_t *r =
            itest_request_raw(c, "POST", PATH, "application/json", bad[i], strlen(bad[i]), NULL);
        cr_expect_eq(r->status, 401, "unsigned: %zu", i);
        char header[128];
        snprintf(header, sizeof(header), "X-Hub-Signature-256: %s", sig);
        r = itest_request_raw(c, "POST", PATH, "application/json", bad[i], strlen(bad[i]), header,
                              NULL);
        itest_assert_problem(r, 400, NULL);
    }
    for (size_t i = 0; i < sizeof(wa_tables) / sizeof(wa_tables[0]); i++)
        cr_expect_eq(sql_int("SELECT count(*) FROM %s WHERE tenant_id IN (%lld, %lld)",
                             wa_tables[i], tenant_a, tenant_b),
                     0, "nothing stored in %s", wa_tables[i]);
    itest_client_free(c);
}
