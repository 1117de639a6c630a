/* GET/POST /webhooks/whatsapp/{wa_number_id} against the live stack: a tenant's own Meta app
 * (that number's verify token and app secret, connected through POST /api/v1/wa-numbers), an
 * unknown or malformed id answered like a wrong credential, cross-tenant injection through one
 * number's route, and a customer's message waking a snoozed or pending conversation. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "db.h"

static PGconn *conn;

/* One tenant with one number connected with its own app. */
typedef struct {
    itest_client_t *owner;
    itest_user_t user;
    long long id; /* wa_numbers.id */
    char phone_number_id[16];
    char waba_id[16];
    char app_secret[40];
    char verify_token[40];
} tenant_t;

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
}

static void teardown(void)
{
    PQfinish(conn);
}

TestSuite(webhooks_number, .init = setup, .fini = teardown);

/* Signs a business up and connects a number, with its own app secret and verify token when
 * with_app. */
static void tenant_new(tenant_t *t, bool with_app)
{
    memset(t, 0, sizeof(*t));
    t->owner = itest_owner_session(&t->user);
    itest_random_digits(t->phone_number_id, 15);
    itest_random_digits(t->waba_id, 15);
    char access_token[41];
    itest_random_hex(access_token, 20);
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "phone_number_id", t->phone_number_id,
                             "waba_id", t->waba_id, "display_phone_number", "0812-3456-7890",
                             "access_token", access_token);
    if (with_app) {
        itest_random_hex(t->app_secret, 16);
        itest_random_hex(t->verify_token, 12);
        json_object_set_new(body, "app_secret", json_string(t->app_secret));
        json_object_set_new(body, "verify_token", json_string(t->verify_token));
    }
    itest_resp_t *r = itest_request(t->owner, "POST", "/api/v1/wa-numbers", body, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    t->id = itest_get_int(r, "id");
}

static void tenant_free(tenant_t *t)
{
    itest_client_free(t->owner);
}

static void sign(const char *secret, const char *body, size_t len, char out[80])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "sha256=", sizeof("sha256=")); /* with its NUL; the digits go after it */
    sodium_bin2hex(out + 7, 80 - 7, mac, sizeof(mac));
}

/* One change for phone_number_id with one text message wamid from customer wa_id. */
static json_t *change(const char *phone_number_id, const char *wamid, const char *wa_id)
{
    return json_pack("{s:s, s:{s:s, s:{s:s, s:s}, s:[{s:{s:s}, s:s}], "
                     "s:[{s:s, s:s, s:s, s:s, s:{s:s}}]}}",
                     "field", "messages", "value", "messaging_product", "whatsapp", "metadata",
                     "display_phone_number", "6281100001111", "phone_number_id", phone_number_id,
                     "contacts", "profile", "name", "Siti", "wa_id", wa_id, "messages", "from",
                     wa_id, "id", wamid, "timestamp", "1763800000", "type", "text", "text", "body",
                     "Kak, masih ada?");
}

/* A webhook body of the given changes (taken over), as compact JSON (free it). */
static char *webhook(const char *waba_id, json_t *changes)
{
    json_t *root = json_pack("{s:s, s:[{s:s, s:o}]}", "object", "whatsapp_business_account",
                             "entry", "id", waba_id, "changes", changes);
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

static const char *number_path(long long id)
{
    static char path[96];
    snprintf(path, sizeof(path), "/webhooks/whatsapp/%lld", id);
    return path;
}

/* POSTs body to path signed with secret (NULL: no signature header); returns the response. */
static itest_resp_t *post(itest_client_t *c, const char *path, const char *body, const char *secret)
{
    if (!secret)
        return itest_request_raw(c, "POST", path, "application/json", body, strlen(body), NULL);
    char sig[80], header[128];
    sign(secret, body, strlen(body), sig);
    snprintf(header, sizeof(header), "X-Hub-Signature-256: %s", sig);
    return itest_request_raw(c, "POST", path, "application/json", body, strlen(body), header, NULL);
}

static void new_wamid(char out[64])
{
    char hex[33];
    itest_random_hex(hex, 16);
    snprintf(out, 64, "wamid.itest%s", hex);
}

static long long messages_of(long long tenant_id)
{
    return itest_sql_int(conn, "SELECT count(*) FROM messages WHERE tenant_id = %lld", tenant_id);
}

static long long events_of(long long tenant_id)
{
    return itest_sql_int(conn, "SELECT count(*) FROM webhook_events WHERE tenant_id = %lld",
                         tenant_id);
}

Test(webhooks_number, signed_with_the_numbers_own_secret)
{
    tenant_t t;
    tenant_new(&t, true);
    itest_client_t *meta = itest_client_new();
    char wamid[64];
    new_wamid(wamid);
    char *body =
        webhook(t.waba_id, json_pack("[o]", change(t.phone_number_id, wamid, "6281234500001")));
    const char *path = number_path(t.id);

    itest_resp_t *r = post(meta, path, body, NULL);
    itest_assert_problem(r, 401, NULL);
    cr_expect_not_null(strstr(r->body, "missing"), "%s", r->body);
    itest_assert_problem(post(meta, path, body, "not-the-numbers-secret"), 401, NULL);
    const char *platform = getenv("LARIS_META_APP_SECRET");
    itest_assert_problem(
        post(meta, path, body, platform && platform[0] ? platform : "laris-fixture-app-secret"),
        401, NULL);
    cr_expect_eq(events_of(t.user.tenant_id), 0, "nothing stored for a bad signature");

    r = post(meta, path, body, t.app_secret);
    cr_expect_eq(r->status, 200, "%s", r->body);
    cr_expect_eq(messages_of(t.user.tenant_id), 1);
    cr_expect_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM messages m JOIN wa_numbers n ON "
                               "n.tenant_id = m.tenant_id AND n.id = m.wa_number_id "
                               "WHERE m.wamid = '%s' AND n.id = %lld",
                               wamid, t.id),
                 1, "stored for that number");
    r = post(meta, path, body, t.app_secret);
    cr_expect_eq(r->status, 200, "a redelivery is accepted");
    cr_expect_eq(messages_of(t.user.tenant_id), 1, "and changes nothing");
    free(body);
    itest_client_free(meta);
    tenant_free(&t);
}

Test(webhooks_number, handshake_with_the_numbers_verify_token)
{
    tenant_t t, plain;
    tenant_new(&t, true);
    tenant_new(&plain, false);
    itest_client_t *meta = itest_client_new();
    char path[256];

    snprintf(path, sizeof(path), "%s?hub.mode=subscribe&hub.verify_token=%s&hub.challenge=42",
             number_path(t.id), t.verify_token);
    itest_resp_t *r = itest_request(meta, "GET", path, NULL, NULL);
    cr_expect_eq(r->status, 200);
    cr_expect_str_eq(r->body, "42");

    const char *platform = getenv("LARIS_META_VERIFY_TOKEN");
    const char *wrong[] = {"wrong-token-123", platform && platform[0] ? platform : "x", ""};
    for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
        snprintf(path, sizeof(path), "%s?hub.mode=subscribe&hub.verify_token=%s&hub.challenge=1",
                 number_path(t.id), wrong[i]);
        itest_assert_problem(itest_request(meta, "GET", path, NULL, NULL), 403, NULL);
    }
    /* Another number's token, a number without one, unknown and malformed ids: 403 alike. */
    snprintf(path, sizeof(path), "%s?hub.mode=subscribe&hub.verify_token=%s&hub.challenge=1",
             number_path(plain.id), t.verify_token);
    itest_assert_problem(itest_request(meta, "GET", path, NULL, NULL), 403, NULL);
    const char *bad_ids[] = {"999999999999", "0", "-1", "abc", "1e3"};
    for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
        snprintf(path, sizeof(path),
                 "/webhooks/whatsapp/%s?hub.mode=subscribe&hub.verify_token=%s&hub.challenge=1",
                 bad_ids[i], t.verify_token);
        itest_assert_problem(itest_request(meta, "GET", path, NULL, NULL), 403, NULL);
    }
    itest_client_free(meta);
    tenant_free(&plain);
    tenant_free(&t);
}

Test(webhooks_number, unknown_or_secretless_number_answers_like_a_bad_signature)
{
    tenant_t t, plain;
    tenant_new(&t, true);
    tenant_new(&plain, false);
    itest_client_t *meta = itest_client_new();
    char wamid[64];
    new_wamid(wamid);
    char *body =
        webhook(t.waba_id, json_pack("[o]", change(t.phone_number_id, wamid, "6281234500002")));
    itest_resp_t *wrong = post(meta, number_path(t.id), body, "not-the-numbers-secret");
    itest_assert_problem(wrong, 401, NULL);
    const char *detail = json_string_value(itest_get(wrong, "detail"));

    const char *paths[] = {number_path(999999999999LL), "/webhooks/whatsapp/abc",
                           "/webhooks/whatsapp/0", NULL};
    char plain_path[96];
    snprintf(plain_path, sizeof(plain_path), "%s", number_path(plain.id));
    paths[3] = plain_path;
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        itest_resp_t *r = post(meta, paths[i], body, t.app_secret);
        itest_assert_problem(r, 401, NULL);
        cr_expect_str_eq(json_string_value(itest_get(r, "detail")), detail, "%s", paths[i]);
    }
    cr_expect_eq(events_of(t.user.tenant_id), 0);
    cr_expect_eq(events_of(plain.user.tenant_id), 0);
    free(body);
    itest_client_free(meta);
    tenant_free(&plain);
    tenant_free(&t);
}

Test(webhooks_number, another_tenants_number_cannot_be_injected)
{
    tenant_t attacker, victim;
    tenant_new(&attacker, true);
    tenant_new(&victim, true);
    itest_client_t *meta = itest_client_new();
    char own[64], injected[64], injected2[64];
    new_wamid(own);
    new_wamid(injected);
    new_wamid(injected2);

    /* Only the victim's number: accepted (Meta must not retry) and stored nowhere. */
    char *body =
        webhook(attacker.waba_id,
                json_pack("[o]", change(victim.phone_number_id, injected, "6281234500003")));
    itest_resp_t *r = post(meta, number_path(attacker.id), body, attacker.app_secret);
    cr_expect_eq(r->status, 200, "%s", r->body);
    free(body);

    /* A batch mixing both: only the attacker's own change lands, in the attacker's tenant. */
    body = webhook(attacker.waba_id,
                   json_pack("[o, o]", change(victim.phone_number_id, injected2, "6281234500004"),
                             change(attacker.phone_number_id, own, "6281234500005")));
    r = post(meta, number_path(attacker.id), body, attacker.app_secret);
    cr_expect_eq(r->status, 200, "%s", r->body);
    free(body);

    cr_expect_eq(messages_of(victim.user.tenant_id), 0, "nothing injected into the victim");
    cr_expect_eq(events_of(victim.user.tenant_id), 0);
    cr_expect_eq(messages_of(attacker.user.tenant_id), 1);
    cr_expect_eq(itest_sql_int(conn, "SELECT count(*) FROM messages WHERE wamid IN ('%s', '%s')",
                               injected, injected2),
                 0, "the foreign changes are stored in no tenant");
    /* The victim's own app on its own route still works. */
    char mine[64];
    new_wamid(mine);
    body = webhook(victim.waba_id,
                   json_pack("[o]", change(victim.phone_number_id, mine, "6281234500006")));
    cr_expect_eq(post(meta, number_path(victim.id), body, victim.app_secret)->status, 200);
    cr_expect_eq(messages_of(victim.user.tenant_id), 1);
    free(body);
    itest_client_free(meta);
    tenant_free(&victim);
    tenant_free(&attacker);
}

/* A customer's new message reopens a snoozed or pending conversation (status open, no snooze);
 * a redelivered old message does not. */
Test(webhooks_number, customer_message_wakes_snoozed_and_pending_conversations)
{
    tenant_t t;
    tenant_new(&t, true);
    itest_client_t *meta = itest_client_new();
    const char *customer = "6281234500007";
    const char *path = number_path(t.id);
    char first[64];
    new_wamid(first);
    char *first_body =
        webhook(t.waba_id, json_pack("[o]", change(t.phone_number_id, first, customer)));
    cr_assert_eq(post(meta, path, first_body, t.app_secret)->status, 200);
    long long conv = itest_sql_int(conn,
                                   "SELECT id FROM conversations WHERE tenant_id = %lld AND "
                                   "status = 'open'",
                                   t.user.tenant_id);
    cr_assert_gt(conv, 0);

    const char *sleeping[] = {
        "status = 'snoozed', snoozed_until = now() + interval '1 day'",
        "status = 'pending'",
    };
    for (size_t i = 0; i < sizeof(sleeping) / sizeof(sleeping[0]); i++) {
        PQclear(itest_sql(conn, "UPDATE conversations SET %s WHERE tenant_id = %lld AND id = %lld",
                          sleeping[i], t.user.tenant_id, conv));
        /* The first message again in another event (new bytes, the same wamid): still
         * asleep. */
        json_t *redelivery = change(t.phone_number_id, first, customer);
        json_object_set_new(json_object_get(redelivery, "value"), "x_redelivery",
                            json_integer((json_int_t)i));
        char *again = webhook(t.waba_id, json_pack("[o]", redelivery));
        cr_expect_eq(post(meta, path, again, t.app_secret)->status, 200);
        free(again);
        cr_expect_eq(itest_sql_int(conn,
                                   "SELECT count(*) FROM conversations WHERE id = %lld AND "
                                   "status = 'open'",
                                   conv),
                     0, "a redelivered message wakes nothing (%s)", sleeping[i]);

        char wamid[64];
        new_wamid(wamid);
        char *body =
            webhook(t.waba_id, json_pack("[o]", change(t.phone_number_id, wamid, customer)));
        cr_expect_eq(post(meta, path, body, t.app_secret)->status, 200);
        free(body);
        cr_expect_eq(itest_sql_int(conn,
                                   "SELECT count(*) FROM conversations WHERE id = %lld AND "
                                   "status = 'open' AND snoozed_until IS NULL",
                                   conv),
                     1, "woken from %s", sleeping[i]);
        cr_expect_eq(itest_sql_int(conn,
                                   "SELECT count(*) FROM conversations WHERE tenant_id = %lld",
                                   t.user.tenant_id),
                     1, "the same conversation, not a new one");
    }
    free(first_body);
    itest_client_free(meta);
    tenant_free(&t);
}

/* A template review event (entry.id = WABA id, no phone_number_id). */
static char *template_event(const char *waba_id, long long template_id)
{
    json_t *root = json_pack(
        "{s:s, s:[{s:s, s:I, s:[{s:s, s:{s:s, s:I, s:s, s:s, s:s}}]}]}", "object",
        "whatsapp_business_account", "entry", "id", waba_id, "time", (json_int_t)1763800060,
        "changes", "field", "message_template_status_update", "value", "event", "APPROVED",
        "message_template_id", (json_int_t)template_id, "message_template_name", "promo_itest",
        "message_template_language", "id", "reason", "NONE");
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

/* Template events on a number's own route: stored for that number's tenant when they are of its
 * WABA, for no other tenant with a number in the same WABA, and never for another WABA. */
Test(webhooks_number, template_events_of_its_own_waba_only)
{
    tenant_t own, victim, neighbour;
    tenant_new(&own, true);
    tenant_new(&victim, true);
    /* A third business with a number in the same WABA as own. */
    memset(&neighbour, 0, sizeof(neighbour));
    neighbour.owner = itest_owner_session(&neighbour.user);
    itest_random_digits(neighbour.phone_number_id, 15);
    char access_token[41];
    itest_random_hex(access_token, 20);
    itest_resp_t *r = itest_request(neighbour.owner, "POST", "/api/v1/wa-numbers",
                                    json_pack("{s:s, s:s, s:s, s:s}", "phone_number_id",
                                              neighbour.phone_number_id, "waba_id", own.waba_id,
                                              "display_phone_number", "0812-3456-7891",
                                              "access_token", access_token),
                                    NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    itest_client_t *meta = itest_client_new();

    char *body = template_event(victim.waba_id, 9100000001LL);
    cr_expect_eq(post(meta, number_path(own.id), body, own.app_secret)->status, 200);
    free(body);
    cr_expect_eq(events_of(victim.user.tenant_id), 0, "another WABA's event is ignored");
    cr_expect_eq(events_of(own.user.tenant_id), 0);

    body = template_event(own.waba_id, 9100000002LL);
    cr_expect_eq(post(meta, number_path(own.id), body, own.app_secret)->status, 200);
    /* again: the same event is stored once */
    cr_expect_eq(post(meta, number_path(own.id), body, own.app_secret)->status, 200);
    free(body);
    cr_expect_eq(events_of(own.user.tenant_id), 1, "its own WABA's event is stored once");
    cr_expect_eq(events_of(neighbour.user.tenant_id), 0,
                 "not for another business with a number in that WABA");
    cr_expect_eq(events_of(victim.user.tenant_id), 0);
    itest_client_free(meta);
    tenant_free(&neighbour);
    tenant_free(&victim);
    tenant_free(&own);
}
