/* Integration: WhatsApp message templates through the live stack and laris-sim. An owner creates
 * templates (at laris-sim first, with the number's token), laris-sim's review webhooks update
 * them (idempotent, older events ignored), sync pulls every page of the WABA's templates,
 * edits and deletes go to Meta first; agents read approved ones only and write nothing;
 * another tenant's ids are 404; malformed, oversized and hostile input changes nothing; Graph's
 * refusals become clear problems, and a refused token marks the number disconnected. Ids are
 * random so reruns never collide. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "db.h"
#include "procs.h"
#include "sim_control.h"

static PGconn *conn;
static itest_client_t *owner;
static itest_user_t owner_user;
static char pnid[20], waba[20], token[64];

static const char *app_secret(void)
{
    const char *s = getenv("LARIS_META_APP_SECRET");
    return s && *s ? s : "laris-fixture-app-secret";
}

static void setup(void)
{
    conn = PQconnectdb(getenv("LARIS_DATABASE_SUPER_URL"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    char hook[512];
    snprintf(hook, sizeof(hook), "%s/webhooks/whatsapp", getenv("LARIS_URL"));
    long status;
    json_decref(itest_sim("PUT", "/_sim/config",
                          json_pack("{s:s,s:s}", "webhook_url", hook, "app_secret", app_secret()),
                          &status));
    cr_assert_eq(status, 200);
    itest_random_digits(pnid, 15);
    itest_random_digits(waba, 15);
    char hex[41];
    itest_random_hex(hex, 20);
    snprintf(token, sizeof(token), "EAAT%s", hex);
    json_decref(itest_sim("POST", "/_sim/numbers",
                          json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "waba_id", waba,
                                    "display_phone_number", "6281234567890", "access_token", token),
                          &status));
    cr_assert_eq(status, 201);
    owner = itest_owner_session(&owner_user);
    itest_resp_t *r =
        itest_request(owner, "POST", "/api/v1/wa-numbers",
                      json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "waba_id", waba,
                                "display_phone_number", "0812-3456-7890", "access_token", token),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
}

static void teardown(void)
{
    itest_client_free(owner);
    PQfinish(conn);
}

TestSuite(templates, .init = setup, .fini = teardown, .timeout = 120);

/* A valid positional template called name: "Halo {{1}}, pesanan {{2}} sudah dikirim." */
static json_t *positional(const char *name)
{
    return json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:{s:[[s,s]]}},{s:s,s:s}]}", "name", name,
                     "language", "id", "category", "UTILITY", "components", "type", "BODY", "text",
                     "Halo {{1}}, pesanan {{2}} sudah dikirim.", "example", "body_text", "Siti",
                     "A-42", "type", "FOOTER", "text", "Toko Maju");
}

static long long count_templates(void)
{
    return itest_sql_int(conn, "SELECT count(*) FROM templates WHERE tenant_id = %lld",
                         owner_user.tenant_id);
}

static itest_resp_t *create(itest_client_t *c, json_t *body)
{
    return itest_request(c, "POST", "/api/v1/templates", body, NULL);
}

static void unique_name(const char *prefix, char out[64])
{
    char hex[9];
    itest_random_hex(hex, 4);
    snprintf(out, 64, "%s_%s", prefix, hex);
}

/* laris-sim's review of Meta's template id: sets its status and sends the webhook. */
static void review(const char *meta_id, const char *status)
{
    char path[96];
    snprintf(path, sizeof(path), "/_sim/templates/%s/status", meta_id);
    long code;
    json_decref(itest_sim("POST", path, json_pack("{s:s}", "status", status), &code));
    cr_assert_eq(code, 200, "laris-sim does not hold template %s", meta_id);
}

/* Waits up to 10 s for template id to show status (as the owner sees it). */
static itest_resp_t *wait_status(long long id, const char *status)
{
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/templates/%lld", id);
    itest_resp_t *r = NULL;
    for (int i = 0; i < 100; i++) {
        r = itest_request(owner, "GET", path, NULL, NULL);
        cr_assert_eq(r->status, 200, "%s", r->body);
        if (strcmp(itest_get_str(r, "status"), status) == 0)
            return r;
        itest_sleep_ms(100);
    }
    cr_assert_fail("template %lld never became %s (is %s)", id, status, itest_get_str(r, "status"));
    return r;
}

/* Creates a template and has laris-sim approve it; returns our id, meta id in meta_id. */
static long long approved(const char *name, char meta_id[32])
{
    itest_resp_t *r = create(owner, positional(name));
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long id = itest_get_int(r, "id");
    snprintf(meta_id, 32, "%s", itest_get_str(r, "meta_template_id"));
    review(meta_id, "APPROVED");
    wait_status(id, "APPROVED");
    return id;
}

/* A Graph request straight to laris-sim with the number's token (what WhatsApp Manager does
 * beside Laris); returns the HTTP status. */
static long graph(const char *method, const char *path, const char *json)
{
    char url[512], auth[128];
    snprintf(url, sizeof(url), "%s/v23.0/%s", getenv("LARIS_SIM_URL"), path);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    CURL *curl = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    FILE *sink = fopen("/dev/null", "w");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (json)
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, sink);
    cr_assert_eq(curl_easy_perform(curl), CURLE_OK);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    fclose(sink);
    curl_slist_free_all(h);
    curl_easy_cleanup(curl);
    return status;
}

Test(templates, create_goes_to_meta_and_stores_its_answer)
{
    char name[64];
    unique_name("pesanan", name);
    itest_resp_t *r = create(owner, positional(name));
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "name"), name);
    cr_assert_str_eq(itest_get_str(r, "status"), "PENDING");
    cr_assert_str_eq(itest_get_str(r, "category"), "UTILITY");
    cr_assert_str_eq(itest_get_str(r, "parameter_format"), "POSITIONAL");
    cr_assert_str_eq(itest_get_str(r, "waba_id"), waba);
    cr_assert_eq(json_array_size(itest_get(r, "body_params")), 2);
    cr_assert_str_eq(
        json_string_value(json_object_get(json_array_get(itest_get(r, "components"), 0), "type")),
        "BODY");
    /* laris-sim holds it under Meta's id (its review route finds it). */
    review(itest_get_str(r, "meta_template_id"), "PENDING");

    /* Named variables, declared or not. */
    unique_name("sapa", name);
    r = create(owner, json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:{s:[{s:s,s:s}]}}]}", "name", name,
                                "language", "en_US", "category", "marketing", "components", "type",
                                "body", "text", "Halo {{nama}}!", "example",
                                "body_text_named_params", "param_name", "nama", "example", "Siti"));
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "parameter_format"), "NAMED");
    cr_assert_str_eq(json_string_value(json_array_get(itest_get(r, "body_params"), 0)), "nama");
}

Test(templates, status_webhooks_update_the_row_idempotently)
{
    char name[64], meta_id[32];
    unique_name("promo", name);
    itest_resp_t *r = create(owner, positional(name));
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long id = itest_get_int(r, "id");
    snprintf(meta_id, sizeof(meta_id), "%s", itest_get_str(r, "meta_template_id"));

    review(meta_id, "REJECTED");
    r = wait_status(id, "REJECTED");
    cr_assert_str_eq(itest_get_str(r, "rejection_reason"), "INVALID_FORMAT");

    /* Meta delivers twice: one stored event, the same row. */
    long code;
    json_decref(itest_sim("POST", "/_sim/faults",
                          json_pack("{s:s,s:i}", "mode", "duplicate_webhooks", "count", 1), &code));
    cr_assert_eq(code, 200);
    review(meta_id, "APPROVED");
    r = wait_status(id, "APPROVED");
    cr_assert(json_is_null(itest_get(r, "rejection_reason")));
    itest_sleep_ms(500);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM webhook_events WHERE tenant_id = %lld AND "
                               "field = 'message_template_status_update' AND raw::text LIKE "
                               "'%%APPROVED%%%s%%'",
                               owner_user.tenant_id, meta_id),
                 1);

    /* Paused and approved again: the same event later is a new one. */
    itest_sleep_ms(1100);
    review(meta_id, "PAUSED");
    wait_status(id, "PAUSED");
    itest_sleep_ms(1100);
    review(meta_id, "APPROVED");
    wait_status(id, "APPROVED");

    /* An event older than the status held changes nothing. */
    PQclear(itest_sql(conn,
                      "UPDATE templates SET status_at = now() + interval '1 hour' "
                      "WHERE tenant_id = %lld AND id = %lld",
                      owner_user.tenant_id, id));
    long long events = itest_sql_int(
        conn, "SELECT count(*) FROM webhook_events WHERE tenant_id = %lld", owner_user.tenant_id);
    review(meta_id, "PAUSED");
    for (int i = 0; i < 100 && itest_sql_int(conn,
                                             "SELECT count(*) FROM webhook_events WHERE "
                                             "tenant_id = %lld",
                                             owner_user.tenant_id) == events;
         i++)
        itest_sleep_ms(100);
    r = wait_status(id, "APPROVED");
    cr_assert_str_eq(itest_get_str(r, "status"), "APPROVED");
}

Test(templates, agents_read_approved_only_and_write_nothing)
{
    char name[64], pending[64], meta_id[32];
    unique_name("siap", name);
    long long id = approved(name, meta_id);
    unique_name("tunggu", pending);
    itest_resp_t *r = create(owner, positional(pending));
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long pending_id = itest_get_int(r, "id");

    itest_user_t agent_user, supervisor_user;
    itest_create_user(owner, "agent", &agent_user);
    itest_create_user(owner, "supervisor", &supervisor_user);
    itest_client_t *agent = itest_user_session(&agent_user);
    itest_client_t *supervisor = itest_user_session(&supervisor_user);
    itest_client_t *readers[2] = {agent, supervisor};
    for (int k = 0; k < 2; k++) {
        itest_client_t *c = readers[k];
        r = itest_request(c, "GET", "/api/v1/templates?status=PENDING", NULL, NULL);
        cr_assert_eq(r->status, 200, "%s", r->body);
        json_t *items = itest_get(r, "items");
        cr_assert_eq(json_array_size(items), 1, "%s", r->body);
        cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 0), "id")), id);
        char path[64];
        snprintf(path, sizeof(path), "/api/v1/templates/%lld", pending_id);
        itest_assert_problem(itest_request(c, "GET", path, NULL, NULL), 404, NULL);
        snprintf(path, sizeof(path), "/api/v1/templates/%lld", id);
        cr_assert_eq(itest_request(c, "GET", path, NULL, NULL)->status, 200);
        long long before = count_templates();
        itest_assert_problem(create(c, positional("dari_agen")), 403, NULL);
        itest_assert_problem(
            itest_request(c, "PATCH", path,
                          json_pack("{s:[{s:s,s:s}]}", "components", "type", "BODY", "text", "x"),
                          NULL),
            403, NULL);
        itest_assert_problem(itest_request(c, "DELETE", path, NULL, NULL), 403, NULL);
        itest_assert_problem(itest_request(c, "POST", "/api/v1/templates/sync", NULL, NULL), 403,
                             NULL);
        cr_assert_eq(count_templates(), before);
    }
    /* The owner filters by status and name. */
    r = itest_request(owner, "GET", "/api/v1/templates?status=pending", NULL, NULL);
    cr_assert_eq(r->status, 200);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 1);
    char q[96];
    snprintf(q, sizeof(q), "/api/v1/templates?q=%s", name + 5);
    r = itest_request(owner, "GET", q, NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 1, "%s", r->body);
    itest_client_free(agent);
    itest_client_free(supervisor);
}

Test(templates, another_tenants_ids_are_404)
{
    char name[64], meta_id[32];
    unique_name("milik_a", name);
    long long id = approved(name, meta_id);
    itest_user_t other_user;
    itest_client_t *other = itest_owner_session(&other_user);
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/templates/%lld", id);
    itest_assert_problem(itest_request(other, "GET", path, NULL, NULL), 404, NULL);
    itest_assert_problem(
        itest_request(other, "PATCH", path,
                      json_pack("{s:[{s:s,s:s}]}", "components", "type", "BODY", "text", "diambil"),
                      NULL),
        404, NULL);
    itest_assert_problem(itest_request(other, "DELETE", path, NULL, NULL), 404, NULL);
    itest_resp_t *r = itest_request(other, "GET", "/api/v1/templates", NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0);
    /* A tenant without a number cannot create or sync. */
    itest_assert_problem(create(other, positional("tanpa_nomor")), 422, NULL);
    itest_assert_problem(itest_request(other, "POST", "/api/v1/templates/sync", NULL, NULL), 422,
                         NULL);
    r = wait_status(id, "APPROVED");
    cr_assert_str_eq(itest_get_str(r, "name"), name);
    itest_client_free(other);
}

Test(templates, bad_input_changes_nothing)
{
    long long before = count_templates();
    itest_assert_problem(itest_request_raw(owner, "POST", "/api/v1/templates", "application/json",
                                           "{\"name\":", 8, NULL),
                         400, NULL);
    itest_assert_problem(
        itest_request_raw(owner, "POST", "/api/v1/templates", "text/plain", "{}", 2, NULL), 415,
        NULL);
    itest_assert_problem(
        itest_request_raw(owner, "POST", "/api/v1/templates", "application/json", "[1,2]", 5, NULL),
        400, NULL);
    size_t big_len = (size_t)70 * 1024;
    char *big = malloc(big_len + 64);
    snprintf(big, 64, "{\"name\":\"x\",\"pad\":\"");
    memset(big + strlen(big), 'a', big_len);
    memcpy(big + big_len, "\"}", 3);
    itest_assert_problem(itest_request_raw(owner, "POST", "/api/v1/templates", "application/json",
                                           big, strlen(big), NULL),
                         413, NULL);
    free(big);

    struct {
        json_t *body;
        const char *field;
    } cases[] = {
        {json_pack("{s:s,s:s,s:s,s:[{s:s,s:s}]}", "name", "x'; DROP TABLE templates; --",
                   "language", "id", "category", "MARKETING", "components", "type", "BODY", "text",
                   "a"),
         "name"},
        {json_pack("{s:s,s:s,s:s,s:[{s:s,s:s}]}", "name", "promo", "language", "../../etc",
                   "category", "MARKETING", "components", "type", "BODY", "text", "a"),
         "language"},
        {json_pack("{s:s,s:s,s:s,s:[{s:s,s:s}]}", "name", "promo", "language", "id", "category",
                   "MARKETING", "components", "type", "BODY", "text", "Halo {{1}} {{3}}"),
         "components[0].text"},
        {json_pack("{s:s,s:s,s:s,s:[{s:s,s:s}]}", "name", "promo", "language", "id", "category",
                   "MARKETING", "components", "type", "SCRIPT", "text", "<script>"),
         "components[0].type"},
        {json_pack("{s:s,s:s,s:s,s:s}", "name", "promo", "language", "id", "category", "MARKETING",
                   "components", "BODY"),
         "components"},
        {json_pack("{s:s,s:s,s:s,s:[{s:s,s:s}],s:s}", "name", "promo", "language", "id", "category",
                   "MARKETING", "components", "type", "BODY", "text", "a", "status", "APPROVED"),
         "status"},
        {json_pack("{s:s,s:s,s:s,s:[{s:s,s:s}],s:s}", "name", "promo", "language", "id", "category",
                   "MARKETING", "components", "type", "BODY", "text", "a", "wa_number_id", "1"),
         "wa_number_id"},
        {json_pack("{s:s,s:s,s:s,s:[{s:s,s:s}],s:i}", "name", "promo", "language", "id", "category",
                   "MARKETING", "components", "type", "BODY", "text", "a", "wa_number_id",
                   999999999),
         "wa_number_id"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        itest_assert_problem(create(owner, cases[i].body), 422, cases[i].field);
    itest_assert_problem(
        itest_request(owner, "GET", "/api/v1/templates?status=ok%27--", NULL, NULL), 422, "status");
    itest_assert_problem(itest_request(owner, "GET", "/api/v1/templates/abc", NULL, NULL), 404,
                         NULL);
    itest_assert_problem(itest_request(owner, "GET", "/api/v1/templates/99999999999", NULL, NULL),
                         404, NULL);
    itest_assert_problem(
        itest_request(owner, "POST", "/api/v1/templates/sync", json_pack("{s:s}", "x", "y"), NULL),
        422, "x");
    cr_assert_eq(count_templates(), before);
    /* Session auth needs the CSRF token. */
    itest_assert_problem(itest_request(owner, "POST", "/api/v1/templates", positional("tanpa_csrf"),
                                       "X-CSRF-Token:", NULL),
                         403, NULL);
    cr_assert_eq(count_templates(), before);
}

Test(templates, graph_refusals_become_clear_problems)
{
    char name[64];
    unique_name("ganda", name);
    itest_resp_t *r = create(owner, positional(name));
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long before = count_templates();
    /* Meta holds it and we do not: Meta refuses the same name and language again. */
    PQclear(itest_sql(conn, "DELETE FROM templates WHERE tenant_id = %lld AND name = '%s'",
                      owner_user.tenant_id, name));
    r = create(owner, positional(name));
    itest_assert_problem(r, 422, NULL);
    cr_assert(strstr(itest_get_str(r, "detail"), "already exists"), "%s", r->body);
    cr_assert_eq(count_templates(), before - 1);

    /* Meta is down for a moment. */
    long code;
    json_decref(itest_sim("POST", "/_sim/faults",
                          json_pack("{s:s,s:i}", "mode", "server_error", "count", 1), &code));
    cr_assert_eq(code, 200);
    unique_name("gangguan", name);
    r = create(owner, positional(name));
    itest_assert_problem(r, 503, NULL);
    cr_assert_not_null(itest_header(r, "Retry-After"));
    cr_assert_eq(count_templates(), before - 1);
    /* ...and answers again. */
    r = create(owner, positional(name));
    cr_assert_eq(r->status, 201, "%s", r->body);
    before = count_templates();

    /* The owner revoked the token at Meta: the problem says to enter a new one. */
    json_decref(itest_sim("POST", "/_sim/numbers",
                          json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "waba_id", waba,
                                    "display_phone_number", "6281234567890", "access_token",
                                    "EAATtoken-revoked-at-meta-0000000000"),
                          &code));
    cr_assert_eq(code, 201);
    unique_name("token_lama", name);
    r = create(owner, positional(name));
    itest_assert_problem(r, 422, NULL);
    cr_assert(strstr(itest_get_str(r, "detail"), "access token"), "%s", r->body);
    itest_assert_problem(itest_request(owner, "POST", "/api/v1/templates/sync", NULL, NULL), 422,
                         NULL);
    cr_assert_eq(count_templates(), before);
}

/* The number's status, as stored. */
static const char *number_status(void)
{
    static char status[24];
    PGresult *res = itest_sql(conn,
                              "SELECT status FROM wa_numbers WHERE tenant_id = %lld AND "
                              "phone_number_id = '%s'",
                              owner_user.tenant_id, pnid);
    snprintf(status, sizeof(status), "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return status;
}

/* laris-sim answers the next Graph call with a good token with 190 (expired). */
static void token_expires(void)
{
    long code;
    json_decref(itest_sim("POST", "/_sim/faults",
                          json_pack("{s:s,s:i}", "mode", "token_expired", "count", 1), &code));
    cr_assert_eq(code, 200);
}

Test(templates, a_refused_token_disconnects_the_number)
{
    char name[64], meta_id[32], path[64];
    unique_name("token_habis", name);
    long long id = approved(name, meta_id);
    snprintf(path, sizeof(path), "/api/v1/templates/%lld", id);
    long long before = count_templates();
    struct {
        const char *method, *path;
        json_t *body;
    } calls[] = {
        {"POST", "/api/v1/templates", positional(name)}, /* create (a new name below) */
        {"POST", "/api/v1/templates/sync", NULL},
        {"DELETE", path, NULL},
        {"PATCH", path, NULL},
    };
    unique_name("token_baru", name);
    json_object_set_new(calls[0].body, "name", json_string(name));
    json_t *edit = positional(name);
    calls[3].body = json_pack("{s:O}", "components", json_object_get(edit, "components"));
    json_decref(edit);
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        cr_assert_str_eq(number_status(), "active");
        token_expires();
        itest_resp_t *r = itest_request(owner, calls[i].method, calls[i].path, calls[i].body, NULL);
        itest_assert_problem(r, 422, NULL);
        cr_assert(strstr(itest_get_str(r, "detail"), "access token"), "%s", r->body);
        /* as the send path and "test a number" do: replies stop until a new token */
        cr_assert_str_eq(number_status(), "disconnected", "%s %s", calls[i].method, calls[i].path);
        cr_assert_eq(count_templates(), before);
        cr_assert_eq(itest_request(owner, "GET", path, NULL, NULL)->status, 200);
        PQclear(itest_sql(conn,
                          "UPDATE wa_numbers SET status = 'active' WHERE tenant_id = %lld AND "
                          "phone_number_id = '%s'",
                          owner_user.tenant_id, pnid));
    }
    /* a good answer again: the template is still there and deleting works */
    itest_resp_t *r = itest_request(owner, "DELETE", path, NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    cr_assert_str_eq(number_status(), "active");
}

Test(templates, edit_goes_to_meta_and_starts_a_new_review)
{
    char name[64], meta_id[32];
    unique_name("ubah", name);
    itest_resp_t *r = create(owner, positional(name));
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long id = itest_get_int(r, "id");
    snprintf(meta_id, sizeof(meta_id), "%s", itest_get_str(r, "meta_template_id"));
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/templates/%lld", id);
    json_t *edit = json_pack("{s:[{s:s,s:s,s:{s:[[s]]}}]}", "components", "type", "BODY", "text",
                             "Halo {{1}}, pesananmu sudah sampai.", "example", "body_text", "Siti");
    json_incref(edit);
    itest_assert_problem(itest_request(owner, "PATCH", path, edit, NULL), 409, NULL);
    review(meta_id, "APPROVED");
    wait_status(id, "APPROVED");
    itest_assert_problem(itest_request(owner, "PATCH", path,
                                       json_pack("{s:s,s:[{s:s,s:s}]}", "name", "lain",
                                                 "components", "type", "BODY", "text", "a"),
                                       NULL),
                         422, "name");
    itest_assert_problem(
        itest_request(owner, "PATCH", path,
                      json_pack("{s:[{s:s,s:s,s:{s:[{s:s,s:s}]}}]}", "components", "type", "BODY",
                                "text", "Halo {{nama}}", "example", "body_text_named_params",
                                "param_name", "nama", "example", "Siti"),
                      NULL),
        422, "components");
    r = itest_request(owner, "PATCH", path, edit, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "status"), "PENDING");
    cr_assert_eq(json_array_size(itest_get(r, "body_params")), 1);
    /* Meta's second review (a second later: Meta tells events apart by their time). */
    itest_sleep_ms(1100);
    review(meta_id, "APPROVED");
    wait_status(id, "APPROVED");
}

Test(templates, delete_goes_to_meta_then_here)
{
    char name[64], meta_id[32];
    unique_name("hapus", name);
    long long id = approved(name, meta_id);
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/templates/%lld", id);
    itest_resp_t *r = itest_request(owner, "DELETE", path, NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    itest_assert_problem(itest_request(owner, "GET", path, NULL, NULL), 404, NULL);
    snprintf(path, sizeof(path), "/_sim/templates/%s/status", meta_id);
    long code;
    json_decref(itest_sim("POST", path, json_pack("{s:s}", "status", "APPROVED"), &code));
    cr_assert_eq(code, 404, "laris-sim still holds the deleted template");
}

Test(templates, sync_pulls_every_page_and_drops_what_meta_deleted)
{
    char name[64];
    unique_name("lokal", name);
    itest_resp_t *r = create(owner, positional(name));
    cr_assert_eq(r->status, 201, "%s", r->body);
    /* 120 templates made beside Laris (WhatsApp Manager): more than one page of 100. */
    for (int i = 0; i < 120; i++) {
        char body[512];
        snprintf(body, sizeof(body),
                 "{\"name\":\"manager_%03d\",\"language\":\"id\",\"category\":\"MARKETING\","
                 "\"components\":[{\"type\":\"BODY\",\"text\":\"Promo %d untuk {{1}}\","
                 "\"example\":{\"body_text\":[[\"Siti\"]]}}]}",
                 i, i);
        char path[64];
        snprintf(path, sizeof(path), "%s/message_templates", waba);
        cr_assert_eq(graph("POST", path, body), 200);
    }
    /* One of ours is deleted at Meta without Laris. */
    char del[160];
    snprintf(del, sizeof(del), "%s/message_templates?name=%s", waba, name);
    cr_assert_eq(graph("DELETE", del, NULL), 200);
    r = itest_request(owner, "POST", "/api/v1/templates/sync", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "synced"), 120, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "removed"), 1, "%s", r->body);
    cr_assert_eq(count_templates(), 120);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM templates WHERE tenant_id = %lld AND "
                               "name = 'manager_119' AND status = 'PENDING' AND "
                               "body_params = '{1}'",
                               owner_user.tenant_id),
                 1);
    /* Again: nothing new, nothing lost. */
    r = itest_request(owner, "POST", "/api/v1/templates/sync", json_pack("{}"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "removed"), 0);
    cr_assert_eq(count_templates(), 120);
}

/* The shared fixture file, whole; the caller frees it. */
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

/* Posts the shared fixture name to the platform webhook with the manifest's signature. */
static void post_fixture(json_t *manifest, const char *name)
{
    json_t *fx = json_object_get(json_object_get(manifest, "fixtures"), name);
    cr_assert_not_null(fx, "no fixture %s", name);
    size_t len;
    char *body = read_fixture(json_string_value(json_object_get(fx, "file")), &len);
    char header[128];
    snprintf(header, sizeof(header), "X-Hub-Signature-256: %s",
             json_string_value(json_object_get(fx, "signature")));
    itest_client_t *meta = itest_client_new();
    itest_resp_t *r = itest_request_raw(meta, "POST", "/webhooks/whatsapp", "application/json",
                                        body, len, header, NULL);
    cr_assert_eq(r->status, 200, "%s: %s", name, r->body);
    itest_client_free(meta);
    free(body);
}

/* Posts a template event of the fixtures' WABA for promo_lebaran at Unix time at, signed with
 * the manifest's app secret. */
static void post_event(json_t *manifest, const char *event, long long at)
{
    char body[768];
    int len = snprintf(
        body, sizeof(body),
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"%s\",\"time\":%lld,"
        "\"changes\":[{\"field\":\"message_template_status_update\",\"value\":{\"event\":"
        "\"%s\",\"message_template_id\":1689556908129835,\"message_template_name\":"
        "\"promo_lebaran\",\"message_template_language\":\"id\",\"reason\":null}}]}]}",
        json_string_value(json_object_get(manifest, "waba_id")), at, event);
    const char *secret = json_string_value(json_object_get(manifest, "app_secret"));
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, (size_t)len);
    crypto_auth_hmacsha256_final(&st, mac);
    char header[128] = "X-Hub-Signature-256: sha256=";
    size_t prefix = strlen(header);
    sodium_bin2hex(header + prefix, sizeof(header) - prefix, mac, sizeof(mac));
    itest_client_t *meta = itest_client_new();
    itest_resp_t *r = itest_request_raw(meta, "POST", "/webhooks/whatsapp", "application/json",
                                        body, (size_t)len, header, NULL);
    cr_assert_eq(r->status, 200, "%s: %s", event, r->body);
    itest_client_free(meta);
}

static const char *fixture_status(const char *name)
{
    static char status[64];
    PGresult *res = itest_sql(conn,
                              "SELECT status || ':' || coalesce(rejection_reason, '-') FROM "
                              "templates WHERE tenant_id = %lld AND name = '%s'",
                              owner_user.tenant_id, name);
    snprintf(status, sizeof(status), "%s", PQntuples(res) ? PQgetvalue(res, 0, 0) : "(none)");
    PQclear(res);
    return status;
}

Test(templates, shared_fixtures_and_later_events_update_the_rows_in_their_waba)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/manifest.json", LARIS_FIXTURES_DIR);
    json_error_t jerr;
    json_t *manifest = json_load_file(path, 0, &jerr);
    cr_assert_not_null(manifest, "%s: %s", path, jerr.text);
    const char *fixture_waba = json_string_value(json_object_get(manifest, "waba_id"));
    /* This tenant also has a number in the fixtures' WABA, and holds both templates (as a sync
     * left them, before Meta's review). */
    char other_pnid[20];
    itest_random_digits(other_pnid, 15);
    PQclear(itest_sql(conn,
                      "INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id) "
                      "VALUES (%lld, '%s', '%s')",
                      owner_user.tenant_id, other_pnid, fixture_waba));
    PQclear(itest_sql(conn,
                      "INSERT INTO templates (tenant_id, waba_id, name, language, category, "
                      "components, status, meta_template_id, status_at) VALUES "
                      "(%lld, '%s', 'promo_lebaran', 'id', 'MARKETING', '[]', 'PENDING', "
                      "'1689556908129835', to_timestamp(1763800000)), "
                      "(%lld, '%s', 'diskon_kilat', 'id', 'MARKETING', '[]', 'PENDING', "
                      "'1689556908129836', to_timestamp(1763800000))",
                      owner_user.tenant_id, fixture_waba, owner_user.tenant_id, fixture_waba));
    post_fixture(manifest, "template_status_approved");
    post_fixture(manifest, "template_status_rejected");
    cr_assert_str_eq(fixture_status("promo_lebaran"), "APPROVED:-");
    cr_assert_str_eq(fixture_status("diskon_kilat"), "REJECTED:INVALID_FORMAT");
    /* Meta retries: nothing changes, one event each. */
    post_fixture(manifest, "template_status_approved");
    cr_assert_str_eq(fixture_status("promo_lebaran"), "APPROVED:-");
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM webhook_events WHERE tenant_id = %lld AND "
                               "field = 'message_template_status_update'",
                               owner_user.tenant_id),
                 2);
    /* A quality flag leaves it sendable; a pause stops it; reinstated, it is approved again. */
    post_event(manifest, "FLAGGED", 1763800100);
    cr_assert_str_eq(fixture_status("promo_lebaran"), "APPROVED:-");
    post_event(manifest, "PAUSED", 1763800200);
    cr_assert_str_eq(fixture_status("promo_lebaran"), "PAUSED:-");
    post_event(manifest, "REINSTATED", 1763800300);
    cr_assert_str_eq(fixture_status("promo_lebaran"), "APPROVED:-");
    PQclear(itest_sql(conn, "DELETE FROM wa_numbers WHERE phone_number_id = '%s'", other_pnid));
    json_decref(manifest);
}
