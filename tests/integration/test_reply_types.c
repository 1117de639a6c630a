/* Integration: every outbound type through the live stack. A tenant connects a number laris-sim
 * knows, a customer writes, and agents send media, interactive buttons and lists, reactions,
 * quotes, templates (positional, named, with a URL button's variable) and read receipts;
 * laris-worker sends each and laris-sim's record must hold exactly the Meta-shaped body. Also:
 * the window rule per type, a template checked against the one Laris holds,
 * Meta's limits (422, nothing stored), other tenants' ids (404), idempotency, laris-sim's
 * answers to unknown wamids, and "test a number". Ids are random so reruns never collide. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "db.h"
#include "procs.h"
#include "sim_control.h"

static PGconn *conn;
static itest_client_t *owner;
static itest_user_t owner_user;
static char pnid[20], waba[20], customer[20], token[64];
static long long conversation, number_id, inbound_id;
static char inbound_wamid[160];

static const char *app_secret(void)
{
    const char *s = getenv("LARIS_META_APP_SECRET");
    return s && *s ? s : "laris-fixture-app-secret";
}

/* The customer writes through laris-sim; returns the wamid. */
static void customer_writes(const char *text, char wamid[160])
{
    long status;
    json_t *r = itest_sim("POST", "/_sim/inbound",
                          json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "from", customer,
                                    "text", text, "profile_name", "Ibu Test"),
                          &status);
    cr_assert_eq(status, 201);
    snprintf(wamid, 160, "%s", json_string_value(json_object_get(r, "id")));
    json_decref(r);
}

/* Our id of the message with this wamid, waiting up to 10 s for the webhook to land. */
static long long message_of(const char *wamid)
{
    for (int i = 0; i < 100; i++) {
        long long id = itest_sql_int(conn, "SELECT id FROM messages WHERE wamid = '%s'", wamid);
        if (id > 0)
            return id;
        itest_sleep_ms(100);
    }
    cr_assert_fail("message %s never reached Laris", wamid);
    return -1;
}

static void setup(void)
{
    conn = PQconnectdb(getenv("LARIS_DATABASE_SUPER_URL"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(itest_sql(conn, "SET client_min_messages = warning"));
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
    itest_random_digits(customer, 12);
    customer[0] = '6'; /* an Indonesian mobile number */
    customer[1] = '2';
    customer[2] = '8';
    json_decref(itest_sim("POST", "/_sim/numbers",
                          json_pack("{s:s,s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "waba_id",
                                    waba, "display_phone_number", "6281234567890", "access_token",
                                    token, "verified_name", "Toko Maju"),
                          &status));
    cr_assert_eq(status, 201);
    owner = itest_owner_session(&owner_user);
    itest_resp_t *r =
        itest_request(owner, "POST", "/api/v1/wa-numbers",
                      json_pack("{s:s,s:s,s:s,s:s,s:i}", "phone_number_id", pnid, "waba_id", waba,
                                "display_phone_number", "0812-3456-7890", "access_token", token,
                                "throughput_mps", 50),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    number_id = itest_get_int(r, "id");
    customer_writes("Halo, ada stok?", inbound_wamid);
    inbound_id = message_of(inbound_wamid);
    conversation =
        itest_sql_int(conn, "SELECT conversation_id FROM messages WHERE id = %lld", inbound_id);
}

static void teardown(void)
{
    itest_client_free(owner);
    PQfinish(conn);
}

TestSuite(reply_types, .init = setup, .fini = teardown, .timeout = 90);

static const char *messages_path(long long id)
{
    static char path[96];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld/messages", id);
    return path;
}

static int out_count(void)
{
    return (int)itest_sql_int(conn,
                              "SELECT count(*) FROM messages WHERE conversation_id = %lld AND "
                              "direction = 'out'",
                              conversation);
}

/* Waits up to 15 s for message id to leave queued/sending; returns its status. */
static char *settled_status(long long id)
{
    static char status[24];
    for (int i = 0; i < 150; i++) {
        PGresult *res = itest_sql(conn, "SELECT status FROM messages WHERE id = %lld", id);
        snprintf(status, sizeof(status), "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        if (strcmp(status, "queued") != 0 && strcmp(status, "sending") != 0)
            return status;
        itest_sleep_ms(100);
    }
    return status;
}

/* laris-sim's record of our number's sends whose member key equals value (NULL: all). */
static json_t *sim_sent(const char *key, const char *value)
{
    long status;
    json_t *all = itest_sim("GET", "/_sim/sent", NULL, &status);
    cr_assert_eq(status, 200);
    json_t *out = json_array();
    json_t *data = json_object_get(all, "data");
    for (size_t i = 0; i < json_array_size(data); i++) {
        json_t *s = json_array_get(data, i);
        const char *p = json_string_value(json_object_get(s, "phone_number_id"));
        const char *v = key ? json_string_value(json_object_get(s, key)) : NULL;
        if (p && !strcmp(p, pnid) && (!key || (v && !strcmp(v, value))))
            json_array_append(out, s);
    }
    json_decref(all);
    return out;
}

/* Replies with body, expects 202, waits until it is accepted by laris-sim and compares the
 * request laris-sim recorded with want (JSON text; "%s" in it is the customer's wa_id, twice
 * at most; "WAMID" is replaced by the inbound wamid). Returns our message id. */
static long long send_and_compare(json_t *body, const char *want)
{
    itest_resp_t *r = itest_request(owner, "POST", messages_path(conversation), body, NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    long long id = itest_get_int(r, "id");
    const char *status = settled_status(id);
    cr_assert(strcmp(status, "accepted") == 0 || strcmp(status, "sent") == 0 ||
                  strcmp(status, "delivered") == 0 || strcmp(status, "read") == 0,
              "message %lld ended %s", id, status);
    PGresult *res = itest_sql(conn, "SELECT wamid FROM messages WHERE id = %lld", id);
    json_t *got = sim_sent("wamid", PQgetvalue(res, 0, 0));
    PQclear(res);
    cr_assert_eq(json_array_size(got), 1, "laris-sim recorded it %zu times", json_array_size(got));
    char expected_text[8192], replaced[8192];
    snprintf(expected_text, sizeof(expected_text), want, customer, customer);
    const char *w = strstr(expected_text, "WAMID");
    if (w)
        snprintf(replaced, sizeof(replaced), "%.*s%s%s", (int)(w - expected_text), expected_text,
                 inbound_wamid, w + 5);
    else
        snprintf(replaced, sizeof(replaced), "%s", expected_text);
    json_t *expected = json_loads(replaced, 0, NULL);
    cr_assert_not_null(expected, "bad expectation %s", replaced);
    char *a = json_dumps(json_object_get(json_array_get(got, 0), "request"),
                         JSON_SORT_KEYS | JSON_COMPACT);
    char *b = json_dumps(expected, JSON_SORT_KEYS | JSON_COMPACT);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
    json_decref(expected);
    json_decref(got);
    return id;
}

#define HEAD "\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"+%s\","

Test(reply_types, media_by_id_and_link)
{
    send_and_compare(json_pack("{s:s,s:{s:s,s:s}}", "type", "image", "image", "id",
                               "1013859600285441", "caption", "Kaos \"baru\" \xF0\x9F\x91\x95"),
                     "{" HEAD "\"type\":\"image\",\"image\":{\"id\":\"1013859600285441\","
                     "\"caption\":\"Kaos \\\"baru\\\" \xF0\x9F\x91\x95\"}}");
    send_and_compare(json_pack("{s:s,s:{s:s,s:s,s:s}}", "type", "document", "document", "link",
                               "https://files.example.com/inv-42.pdf", "caption", "Invoice",
                               "filename", "inv-42.pdf"),
                     "{" HEAD "\"type\":\"document\",\"document\":{\"link\":\"https://files."
                     "example.com/inv-42.pdf\",\"caption\":\"Invoice\",\"filename\":\"inv-42."
                     "pdf\"}}");
    send_and_compare(
        json_pack("{s:s,s:{s:s,s:b}}", "type", "audio", "audio", "id", "55", "voice", 1),
        "{" HEAD "\"type\":\"audio\",\"audio\":{\"id\":\"55\",\"voice\":true}}");
    send_and_compare(
        json_pack("{s:s,s:{s:s}}", "type", "video", "video", "link", "https://v.example.com/a.mp4"),
        "{" HEAD "\"type\":\"video\",\"video\":{\"link\":\"https://v.example.com/"
        "a.mp4\"}}");
    send_and_compare(json_pack("{s:s,s:{s:s}}", "type", "sticker", "sticker", "id", "77"),
                     "{" HEAD "\"type\":\"sticker\",\"sticker\":{\"id\":\"77\"}}");
}

Test(reply_types, interactive_buttons_and_list)
{
    json_t *buttons = json_loads(
        "{\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":"
        "\"Jadi kirim besok?\"},\"footer\":{\"text\":\"Toko Maju\"},\"action\":{\"buttons\":["
        "{\"type\":\"reply\",\"reply\":{\"id\":\"ya\",\"title\":\"Ya\"}},{\"type\":\"reply\","
        "\"reply\":{\"id\":\"tidak\",\"title\":\"Tidak\"}}]}}}",
        0, NULL);
    send_and_compare(buttons,
                     "{" HEAD "\"type\":\"interactive\",\"interactive\":{\"type\":\"button\","
                     "\"body\":{\"text\":\"Jadi kirim besok?\"},\"footer\":{\"text\":\"Toko "
                     "Maju\"},\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":{\"id\":"
                     "\"ya\",\"title\":\"Ya\"}},{\"type\":\"reply\",\"reply\":{\"id\":\"tidak\","
                     "\"title\":\"Tidak\"}}]}}}");
    json_t *list = json_loads(
        "{\"type\":\"interactive\",\"interactive\":{\"type\":\"list\",\"header\":{\"type\":"
        "\"text\",\"text\":\"Ongkir\"},\"body\":{\"text\":\"Pilih pengiriman\"},\"action\":{"
        "\"button\":\"Pilihan\",\"sections\":[{\"title\":\"Cepat\",\"rows\":[{\"id\":\"exp\","
        "\"title\":\"Express\",\"description\":\"1 hari\"}]},{\"title\":\"Hemat\",\"rows\":[{"
        "\"id\":\"reg\",\"title\":\"Reguler\"}]}]}}}",
        0, NULL);
    send_and_compare(list,
                     "{" HEAD "\"type\":\"interactive\",\"interactive\":{\"type\":\"list\","
                     "\"header\":{\"type\":\"text\",\"text\":\"Ongkir\"},\"body\":{\"text\":"
                     "\"Pilih pengiriman\"},\"action\":{\"button\":\"Pilihan\",\"sections\":[{"
                     "\"title\":\"Cepat\",\"rows\":[{\"id\":\"exp\",\"title\":\"Express\","
                     "\"description\":\"1 hari\"}]},{\"title\":\"Hemat\",\"rows\":[{\"id\":"
                     "\"reg\",\"title\":\"Reguler\"}]}]}}}");
}

Test(reply_types, quote_and_reaction_name_our_ids)
{
    send_and_compare(json_pack("{s:s,s:{s:s},s:I}", "type", "text", "text", "body", "Ada, kak",
                               "reply_to", (json_int_t)inbound_id),
                     "{" HEAD "\"context\":{\"message_id\":\"WAMID\"},\"type\":\"text\","
                     "\"text\":{\"body\":\"Ada, kak\",\"preview_url\":false}}");
    long long id = send_and_compare(
        json_pack("{s:s,s:{s:I,s:s}}", "type", "reaction", "reaction", "message_id",
                  (json_int_t)inbound_id, "emoji", "\xF0\x9F\x91\x8D"),
        "{" HEAD "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"WAMID\",\"emoji\":"
        "\"\xF0\x9F\x91\x8D\"}}");
    /* a reaction only ever gets "sent" */
    for (int i = 0; i < 30 && strcmp(settled_status(id), "sent") != 0; i++)
        itest_sleep_ms(100);
    cr_assert_str_eq(settled_status(id), "sent");
    send_and_compare(json_pack("{s:s,s:{s:I,s:s}}", "type", "reaction", "reaction", "message_id",
                               (json_int_t)inbound_id, "emoji", ""),
                     "{" HEAD "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"WAMID\","
                     "\"emoji\":\"\"}}");
    /* a reaction cannot quote; our own message still queued has no wamid to react to */
    itest_resp_t *r = itest_request(owner, "POST", messages_path(conversation),
                                    json_pack("{s:s,s:{s:I,s:s},s:I}", "type", "reaction",
                                              "reaction", "message_id", (json_int_t)inbound_id,
                                              "emoji", "x", "reply_to", (json_int_t)inbound_id),
                                    NULL);
    itest_assert_problem(r, 422, "reply_to");
    r = itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:I,s:s}}", "type", "reaction", "reaction", "message_id",
                                (json_int_t)inbound_id, "emoji", "ok"),
                      NULL);
    itest_assert_problem(r, 422, "reaction.emoji");
}

/* Creates and approves a template in laris-sim (Graph call with the number's token). */
static void sim_template(const char *json)
{
    char url[512];
    snprintf(url, sizeof(url), "%s/v23.0/%s/message_templates", getenv("LARIS_SIM_URL"), waba);
    CURL *curl = curl_easy_init();
    char auth[128];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    char *answer = NULL;
    size_t answer_len = 0;
    FILE *mem = open_memstream(&answer, &answer_len);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, mem);
    cr_assert_eq(curl_easy_perform(curl), CURLE_OK);
    curl_slist_free_all(h);
    curl_easy_cleanup(curl);
    fclose(mem);
    json_t *created = json_loads(answer, 0, NULL);
    free(answer);
    const char *id = json_string_value(json_object_get(created, "id"));
    cr_assert_not_null(id, "template not created");
    char path[96];
    snprintf(path, sizeof(path), "/_sim/templates/%s/status", id);
    long status;
    json_decref(itest_sim("POST", path, json_pack("{s:s}", "status", "APPROVED"), &status));
    cr_assert_eq(status, 200);
    json_decref(created);
}

static void close_window(void)
{
    PQclear(itest_sql(conn,
                      "UPDATE contacts SET last_inbound_at = now() - interval '25 hours' "
                      "WHERE tenant_id = %lld AND wa_id = '%s'",
                      owner_user.tenant_id, customer));
}

Test(reply_types, templates_positional_and_named_outside_the_window)
{
    /* Meta wants an example of every variable (REFERENCE.md §4.4). */
    sim_template("{\"name\":\"order_update\",\"language\":\"id\",\"category\":\"utility\","
                 "\"components\":[{\"type\":\"header\",\"format\":\"text\",\"text\":\"Toko "
                 "{{1}}\",\"example\":{\"header_text\":[\"Maju\"]}},{\"type\":\"body\","
                 "\"text\":\"Pesanan {{1}} dikirim {{2}}\",\"example\":{\"body_text\":"
                 "[[\"A-1\",\"besok\"]]}}]}");
    sim_template("{\"name\":\"welcome_named\",\"language\":\"id\",\"category\":\"marketing\","
                 "\"parameter_format\":\"named\",\"components\":[{\"type\":\"body\",\"text\":"
                 "\"Halo {{first_name}}, kode {{discount_code}}\",\"example\":{"
                 "\"body_text_named_params\":[{\"param_name\":\"first_name\",\"example\":"
                 "\"Siti\"},{\"param_name\":\"discount_code\",\"example\":\"HEMAT\"}]}}]}");
    /* sim and Laris both keep their own window: close it on both sides (sim: never wrote) */
    close_window();
    send_and_compare(
        json_pack("{s:s,s:{s:s,s:s,s:[s,s],s:[s]}}", "type", "template", "template", "name",
                  "order_update", "language", "id", "params", "A-42", "besok", "header_params",
                  "Maju"),
        "{" HEAD "\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":{"
        "\"code\":\"id\"},\"components\":[{\"type\":\"header\",\"parameters\":[{\"type\":\"text\","
        "\"text\":\"Maju\"}]},{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":"
        "\"A-42\"},{\"type\":\"text\",\"text\":\"besok\"}]}]}}");
    send_and_compare(
        json_pack("{s:s,s:{s:s,s:s,s:{s:s,s:s}}}", "type", "template", "template", "name",
                  "welcome_named", "language", "id", "params", "first_name", "Siti",
                  "discount_code", "HEMAT25"),
        "{" HEAD "\"type\":\"template\",\"template\":{\"name\":\"welcome_named\",\"language\":{"
        "\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\","
        "\"parameter_name\":\"first_name\",\"text\":\"Siti\"},{\"type\":\"text\","
        "\"parameter_name\":\"discount_code\",\"text\":\"HEMAT25\"}]}]}}");

    /* a wrong name: Laris sends it, laris-sim refuses it like Meta (132018), shown in words */
    itest_resp_t *r = itest_request(owner, "POST", messages_path(conversation),
                                    json_pack("{s:s,s:{s:s,s:s,s:{s:s,s:s}}}", "type", "template",
                                              "template", "name", "welcome_named", "language", "id",
                                              "params", "first_name", "Siti", "kode", "X"),
                                    NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    long long id = itest_get_int(r, "id");
    cr_assert_str_eq(settled_status(id), "failed");
    cr_assert_eq(itest_sql_int(conn, "SELECT error_code FROM messages WHERE id = %lld", id),
                 132018);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM messages WHERE id = %lld AND "
                               "error_message LIKE '%%template%%'",
                               id),
                 1);
}

/* A template with a quick reply, a link ending in a variable (button 1) and a static link,
 * created through Laris (so Laris holds it) and approved by laris-sim; its name in name. */
static void url_template(char name[40])
{
    char hex[9];
    itest_random_hex(hex, 4);
    snprintf(name, 40, "lacak_%s", hex);
    itest_resp_t *r = itest_request(
        owner, "POST", "/api/v1/templates",
        json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:{s:[[s]]}},{s:s,s:[{s:s,s:s},{s:s,s:s,s:s,s:[s]},"
                  "{s:s,s:s,s:s}]}]}",
                  "name", name, "language", "id", "category", "UTILITY", "components", "type",
                  "BODY", "text", "Pesanan {{1}} sudah dikirim.", "example", "body_text", "A-1",
                  "type", "BUTTONS", "buttons", "type", "QUICK_REPLY", "text", "Berhenti", "type",
                  "URL", "text", "Lacak", "url", "https://toko.id/order/{{1}}", "example",
                  "https://toko.id/order/A-1", "type", "URL", "text", "Bantuan", "url",
                  "https://toko.id/bantuan"),
        NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    char path[96];
    snprintf(path, sizeof(path), "/_sim/templates/%s/status", itest_get_str(r, "meta_template_id"));
    long status;
    json_decref(itest_sim("POST", path, json_pack("{s:s}", "status", "APPROVED"), &status));
    cr_assert_eq(status, 200);
}

Test(reply_types, template_with_a_url_button_variable)
{
    char name[40];
    url_template(name);
    close_window();
    /* the end of the link goes as button 1's parameter, its index a string as in Meta's docs */
    char want[1024];
    snprintf(want, sizeof(want),
             "{" HEAD "\"type\":\"template\",\"template\":{\"name\":\"%s\",\"language\":{"
             "\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":"
             "\"text\",\"text\":\"A-42\"}]},{\"type\":\"button\",\"sub_type\":\"url\",\"index\":"
             "\"1\",\"parameters\":[{\"type\":\"text\",\"text\":\"A-42?ref=wa&x=1\"}]}]}}",
             "%s", name);
    send_and_compare(json_pack("{s:s,s:{s:s,s:s,s:[s],s:[{s:i,s:s}]}}", "type", "template",
                               "template", "name", name, "language", "id", "params", "A-42",
                               "url_params", "index", 1, "text", "A-42?ref=wa&x=1"),
                     want);
    int sent = out_count();

    /* checked against the template Laris holds: 422 naming the field, nothing queued */
    struct {
        json_t *url_params;
        const char *field;
    } cases[] = {
        {json_pack("[]"), "template.url_params"},
        {json_pack("[{s:i,s:s}]", "index", 2, "text", "x"), "template.url_params[0].index"},
        {json_pack("[{s:i,s:s}]", "index", 0, "text", "x"), "template.url_params[0].index"},
        {json_pack("[{s:i,s:s}]", "index", 5, "text", "x"), "template.url_params[0].index"},
        {json_pack("[{s:i,s:s}]", "index", 10, "text", "x"), "template.url_params[0].index"},
        {json_pack("[{s:s,s:s}]", "index", "1", "text", "x"), "template.url_params[0].index"},
        {json_pack("[{s:i,s:s}]", "index", 1, "text", "a b"), "template.url_params[0].text"},
        {json_pack("[{s:i,s:s}]", "index", 1, "text", "a\r\nSet-Cookie: x"),
         "template.url_params[0].text"},
        {json_pack("[{s:i,s:s},{s:i,s:s}]", "index", 1, "text", "x", "index", 1, "text", "y"),
         "template.url_params[1].index"},
        {json_pack("{s:s}", "1", "x"), "template.url_params"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        itest_resp_t *r = itest_request(
            owner, "POST", messages_path(conversation),
            json_pack("{s:s,s:{s:s,s:s,s:[s],s:o}}", "type", "template", "template", "name", name,
                      "language", "id", "params", "A-42", "url_params", cases[i].url_params),
            NULL);
        itest_assert_problem(r, 422, cases[i].field);
    }
    /* the body's variables are checked against the held template too */
    itest_resp_t *r =
        itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:s,s:s,s:[s,s],s:[{s:i,s:s}]}}", "type", "template",
                                "template", "name", name, "language", "id", "params", "A-42",
                                "lagi", "url_params", "index", 1, "text", "x"),
                      NULL);
    itest_assert_problem(r, 422, "template.params");
    char long_text[2001];
    memset(long_text, 'a', 2000);
    long_text[2000] = '\0'; /* fits the field, but not the link: 22 + 2000 characters */
    r = itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:s,s:s,s:[s],s:[{s:i,s:s}]}}", "type", "template",
                                "template", "name", name, "language", "id", "params", "A-42",
                                "url_params", "index", 1, "text", long_text),
                      NULL);
    itest_assert_problem(r, 422, "template.url_params[0].text");
    cr_assert_eq(out_count(), sent);

    /* a template Laris does not hold goes unchecked, and laris-sim refuses it like Meta; another
     * tenant's copy of the same name in the same WABA (wanting two values) is not ours to check
     * against */
    itest_user_t other;
    itest_client_free(itest_owner_session(&other));
    PQclear(itest_sql(conn,
                      "INSERT INTO templates (tenant_id, waba_id, name, language, category, "
                      "components, body_params, status) VALUES (%lld, '%s', 'lacak_sim', 'id', "
                      "'UTILITY', '[{\"type\":\"BODY\",\"text\":\"{{1}} {{2}}\"}]', "
                      "'{1,2}', 'APPROVED')",
                      other.tenant_id, waba));
    sim_template("{\"name\":\"lacak_sim\",\"language\":\"id\",\"category\":\"utility\","
                 "\"components\":[{\"type\":\"body\",\"text\":\"Pesanan dikirim\"},{\"type\":"
                 "\"buttons\",\"buttons\":[{\"type\":\"url\",\"text\":\"Lacak\",\"url\":"
                 "\"https://toko.id/o/{{1}}\",\"example\":[\"https://toko.id/o/1\"]}]}]}");
    r = itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:s,s:s}}", "type", "template", "template", "name",
                                "lacak_sim", "language", "id"),
                      NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    long long id = itest_get_int(r, "id");
    cr_assert_str_eq(settled_status(id), "failed");
    cr_assert_eq(itest_sql_int(conn, "SELECT error_code FROM messages WHERE id = %lld", id),
                 132000);
    send_and_compare(json_pack("{s:s,s:{s:s,s:s,s:[{s:i,s:s}]}}", "type", "template", "template",
                               "name", "lacak_sim", "language", "id", "url_params", "index", 0,
                               "text", "99"),
                     "{" HEAD "\"type\":\"template\",\"template\":{\"name\":\"lacak_sim\","
                     "\"language\":{\"code\":\"id\"},\"components\":[{\"type\":\"button\","
                     "\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\","
                     "\"text\":\"99\"}]}]}}");
}

Test(reply_types, window_rule_per_type)
{
    close_window();
    /* One literal per body; the interactive one spans lines. */
    /* NOLINTBEGIN(bugprone-suspicious-missing-comma) */
    const char *bodies[] = {
        "{\"type\":\"text\",\"text\":{\"body\":\"x\"}}",
        "{\"type\":\"image\",\"image\":{\"id\":\"1\"}}",
        "{\"type\":\"video\",\"video\":{\"id\":\"1\"}}",
        "{\"type\":\"audio\",\"audio\":{\"id\":\"1\"}}",
        "{\"type\":\"document\",\"document\":{\"id\":\"1\"}}",
        "{\"type\":\"sticker\",\"sticker\":{\"id\":\"1\"}}",
        "{\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":\"x\"},"
        "\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":{\"id\":\"a\",\"title\":\"A\"}}]}}"
        "}",
        "{\"type\":\"reaction\",\"reaction\":{\"message_id\":1,\"emoji\":\"\xF0\x9F\x91\x8D\"}}",
    };
    /* NOLINTEND(bugprone-suspicious-missing-comma) */
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        itest_resp_t *r = itest_request(owner, "POST", messages_path(conversation),
                                        json_loads(bodies[i], 0, NULL), NULL);
        itest_assert_problem(r, 422, "type");
        cr_assert_not_null(strstr(r->body, "template"), "%s", r->body);
    }
    cr_assert_eq(out_count(), 0);
    /* a read receipt is not a message: allowed outside the window */
    char path[160];
    snprintf(path, sizeof(path), "%s/%lld/read", messages_path(conversation), inbound_id);
    itest_resp_t *r = itest_request(owner, "POST", path, NULL, NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
}

Test(reply_types, meta_limits_are_422_and_store_nothing)
{
    struct {
        const char *body;
        const char *field;
    } cases[] = {
        {"{\"type\":\"image\",\"image\":{}}", "image"},
        {"{\"type\":\"image\",\"image\":{\"id\":\"1\",\"link\":\"https://a.b/c\"}}", "image"},
        {"{\"type\":\"image\",\"image\":{\"link\":\"ftp://a.b/c\"}}", "image.link"},
        {"{\"type\":\"audio\",\"audio\":{\"id\":\"1\",\"caption\":\"x\"}}", "audio.caption"},
        {"{\"type\":\"sticker\",\"sticker\":{\"id\":\"1\",\"caption\":\"x\"}}", "sticker.caption"},
        {"{\"type\":\"image\",\"image\":{\"id\":\"1\",\"filename\":\"a.jpg\"}}", "image.filename"},
        {"{\"type\":\"document\",\"document\":{\"id\":\"1\",\"filename\":\"../x\"}}",
         "document.filename"},
        {"{\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":\"x\"},"
         "\"action\":{\"buttons\":[]}}}",
         "interactive.action.buttons"},
        {"{\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":\"x\"},"
         "\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":{\"id\":\"a\",\"title\":"
         "\"123456789012345678901\"}}]}}}",
         "interactive.action.buttons[0].reply.title"},
        {"{\"type\":\"interactive\",\"interactive\":{\"type\":\"list\",\"body\":{\"text\":\"x\"},"
         "\"action\":{\"button\":\"b\",\"sections\":[{\"rows\":[{\"id\":\"1\",\"title\":"
         "\"1234567890123456789012345\"}]}]}}}",
         "interactive.action.sections[0].rows[0].title"},
        {"{\"type\":\"interactive\",\"interactive\":{\"type\":\"carousel\"}}", "interactive.type"},
        {"{\"type\":\"template\",\"template\":{\"name\":\"x\",\"language\":\"id\",\"params\":"
         "[\"a\\nb\"]}}",
         "template.params"},
        {"{\"type\":\"template\",\"template\":{\"name\":\"x\",\"language\":\"id\",\"params\":"
         "{\"Bad-Name\":\"b\"}}}",
         "template.params"},
        {"{\"type\":\"text\",\"text\":{\"body\":\"x\\u0007\"}}", "text.body"},
        {"{\"type\":\"text\",\"text\":{\"body\":\"x\"},\"reply_to\":\"1\"}", "reply_to"},
        {"{\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.X\",\"emoji\":\"x\"}}",
         "reaction.message_id"},
        {"{\"type\":\"location\",\"location\":{}}", "type"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        itest_resp_t *r = itest_request(owner, "POST", messages_path(conversation),
                                        json_loads(cases[i].body, 0, NULL), NULL);
        itest_assert_problem(r, 422, cases[i].field);
    }
    /* a caption of 1025 characters */
    char caption[1026];
    memset(caption, 'c', 1025);
    caption[1025] = '\0';
    itest_resp_t *r = itest_request(
        owner, "POST", messages_path(conversation),
        json_pack("{s:s,s:{s:s,s:s}}", "type", "image", "image", "id", "1", "caption", caption),
        NULL);
    itest_assert_problem(r, 422, "image.caption");
    cr_assert_eq(out_count(), 0);
    cr_assert_eq(itest_sql_int(conn, "SELECT count(*) FROM outbox WHERE tenant_id = %lld",
                               owner_user.tenant_id),
                 0);
}

Test(reply_types, other_tenants_ids_are_404)
{
    itest_user_t other;
    itest_client_t *c = itest_owner_session(&other);
    char path[160];
    snprintf(path, sizeof(path), "%s/%lld/read", messages_path(conversation), inbound_id);
    itest_assert_problem(itest_request(c, "POST", path, NULL, NULL), 404, NULL);
    /* our tenant, with the other conversation's message ids: a conversation of another tenant */
    itest_assert_problem(
        itest_request(c, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:I,s:s}}", "type", "reaction", "reaction", "message_id",
                                (json_int_t)inbound_id, "emoji", "\xF0\x9F\x91\x8D"),
                      NULL),
        404, NULL);
    itest_client_free(c);
    /* a message id that is not in this conversation (another tenant's or nobody's) */
    long long foreign = inbound_id + 100000000LL;
    itest_assert_problem(itest_request(owner, "POST", messages_path(conversation),
                                       json_pack("{s:s,s:{s:s},s:I}", "type", "text", "text",
                                                 "body", "x", "reply_to", (json_int_t)foreign),
                                       NULL),
                         404, NULL);
    itest_assert_problem(
        itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:I,s:s}}", "type", "reaction", "reaction", "message_id",
                                (json_int_t)foreign, "emoji", "\xF0\x9F\x91\x8D"),
                      NULL),
        404, NULL);
    snprintf(path, sizeof(path), "%s/%lld/read", messages_path(conversation), foreign);
    itest_assert_problem(itest_request(owner, "POST", path, NULL, NULL), 404, NULL);
    snprintf(path, sizeof(path), "%s/abc/read", messages_path(conversation));
    itest_assert_problem(itest_request(owner, "POST", path, NULL, NULL), 404, NULL);
    cr_assert_eq(out_count(), 0);
}

Test(reply_types, mark_read_once_through_the_outbox)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/%lld/read", messages_path(conversation), inbound_id);
    itest_resp_t *r = itest_request(owner, "POST", path, NULL, NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    long long receipt = itest_get_int(r, "id");
    cr_assert_str_eq(itest_get_str(r, "type"), "read");
    cr_assert_str_eq(settled_status(receipt), "accepted");
    r = itest_request(owner, "POST", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "id"), receipt);
    itest_sleep_ms(300);
    json_t *reads = sim_sent("type", "read");
    cr_assert_eq(json_array_size(reads), 1);
    char *got = json_dumps(json_object_get(json_array_get(reads, 0), "request"),
                           JSON_SORT_KEYS | JSON_COMPACT);
    char want[400];
    snprintf(want, sizeof(want),
             "{\"message_id\":\"%s\",\"messaging_product\":\"whatsapp\",\"status\":\"read\"}",
             inbound_wamid);
    cr_assert_str_eq(got, want);
    free(got);
    json_decref(reads);
    /* receipts are not messages of the history */
    r = itest_request(owner, "GET", messages_path(conversation), NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 1, "%s", r->body);

    /* our own message cannot be marked read */
    r = itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", "hai"), NULL);
    cr_assert_eq(r->status, 202);
    snprintf(path, sizeof(path), "%s/%lld/read", messages_path(conversation),
             itest_get_int(r, "id"));
    itest_assert_problem(itest_request(owner, "POST", path, NULL, NULL), 422, NULL);
    /* an agent may, without CSRF not */
    itest_user_t agent;
    itest_create_user(owner, "agent", &agent);
    itest_client_t *c = itest_user_session(&agent);
    snprintf(path, sizeof(path), "%s/%lld/read", messages_path(conversation), inbound_id);
    itest_assert_problem(itest_request(c, "POST", path, NULL, "X-CSRF-Token:", NULL), 403, NULL);
    cr_assert_eq(itest_request(c, "POST", path, NULL, NULL)->status, 200);
    itest_client_free(c);
}

Test(reply_types, unknown_wamids_get_metas_answers)
{
    /* a customer message Laris has but laris-sim never saw (older than its memory) */
    char fake[64], hex[17];
    itest_random_hex(hex, 8);
    snprintf(fake, sizeof(fake), "wamid.UNKNOWN%s=", hex);
    long long old = itest_sql_int(
        conn,
        "INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, "
        "wamid, type, body) SELECT tenant_id, id, contact_id, wa_number_id, 'in', '%s', 'text', "
        "'lama' FROM conversations WHERE id = %lld RETURNING id",
        fake, conversation);
    itest_resp_t *r =
        itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:I,s:s}}", "type", "reaction", "reaction", "message_id",
                                (json_int_t)old, "emoji", "\xF0\x9F\x98\x80"),
                      NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    long long reaction = itest_get_int(r, "id");
    /* accepted, then a failed status webhook with 131009 */
    for (int i = 0; i < 100 && strcmp(settled_status(reaction), "failed") != 0; i++)
        itest_sleep_ms(100);
    cr_assert_str_eq(settled_status(reaction), "failed");
    cr_assert_eq(itest_sql_int(conn, "SELECT error_code FROM messages WHERE id = %lld", reaction),
                 131009);
    char path[160];
    snprintf(path, sizeof(path), "%s/%lld/read", messages_path(conversation), old);
    r = itest_request(owner, "POST", path, NULL, NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    long long receipt = itest_get_int(r, "id");
    cr_assert_str_eq(settled_status(receipt), "failed");
    cr_assert_eq(itest_sql_int(conn, "SELECT error_code FROM messages WHERE id = %lld", receipt),
                 100);
}

Test(reply_types, repeated_key_sends_one_image)
{
    char key[64], hex[17];
    itest_random_hex(hex, 8);
    snprintf(key, sizeof(key), "Idempotency-Key: img-%s", hex);
    itest_resp_t *r =
        itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:s}}", "type", "image", "image", "id", "42"), key, NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    long long id = itest_get_int(r, "id");
    cr_assert_str_eq(itest_get_str(r, "image.id"), "42");
    r = itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:s}}", "type", "image", "image", "id", "42"), key, NULL);
    cr_assert_eq(itest_get_int(r, "id"), id);
    cr_assert_eq(out_count(), 1);
}

Test(reply_types, test_a_number)
{
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/wa-numbers/%lld/test", number_id);
    itest_resp_t *r = itest_request(owner, "POST", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_true(itest_get(r, "ok")), "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "display_phone_number"), "+6281234567890");
    cr_assert_str_eq(itest_get_str(r, "verified_name"), "Toko Maju");
    cr_assert_str_eq(itest_get_str(r, "quality_rating"), "GREEN");
    cr_assert_null(strstr(r->body, token), "the token leaked");

    /* a token Graph refuses: 190 in plain words, the number needs a new token */
    char patch[96], hex[41], bad[64];
    snprintf(patch, sizeof(patch), "/api/v1/wa-numbers/%lld", number_id);
    itest_random_hex(hex, 20);
    snprintf(bad, sizeof(bad), "EAAX%s", hex);
    r = itest_request(owner, "PATCH", patch, json_pack("{s:s}", "access_token", bad), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(owner, "POST", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_false(itest_get(r, "ok")), "%s", r->body);
    cr_assert_eq(itest_get_int(r, "error.code"), 190);
    cr_assert(json_is_true(itest_get(r, "needs_new_token")));
    cr_assert_not_null(strstr(itest_get_str(r, "error.message_id"), "kedaluwarsa"), "%s", r->body);
    cr_assert_null(strstr(r->body, bad), "the token leaked");
    r = itest_request(owner, "GET", patch, NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "status"), "disconnected");
    itest_assert_problem(
        itest_request(owner, "POST", messages_path(conversation),
                      json_pack("{s:s,s:{s:s}}", "type", "text", "text", "body", "x"), NULL),
        422, NULL);

    /* the right token again: active */
    r = itest_request(owner, "PATCH", patch, json_pack("{s:s}", "access_token", token), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(owner, "POST", path, NULL, NULL);
    cr_assert(json_is_true(itest_get(r, "ok")), "%s", r->body);
    r = itest_request(owner, "GET", patch, NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "status"), "active");

    /* owner only, CSRF, other tenants, hostile ids */
    itest_user_t agent, supervisor, other;
    itest_create_user(owner, "agent", &agent);
    itest_create_user(owner, "supervisor", &supervisor);
    itest_client_t *c = itest_user_session(&agent);
    itest_assert_problem(itest_request(c, "POST", path, NULL, NULL), 403, NULL);
    itest_client_free(c);
    c = itest_user_session(&supervisor);
    itest_assert_problem(itest_request(c, "POST", path, NULL, NULL), 403, NULL);
    itest_client_free(c);
    itest_assert_problem(itest_request(owner, "POST", path, NULL, "X-CSRF-Token:", NULL), 403,
                         NULL);
    c = itest_owner_session(&other);
    itest_assert_problem(itest_request(c, "POST", path, NULL, NULL), 404, NULL);
    itest_client_free(c);
    itest_assert_problem(
        itest_request(owner, "POST", "/api/v1/wa-numbers/99999999999/test", NULL, NULL), 404, NULL);
    itest_assert_problem(
        itest_request(owner, "POST", "/api/v1/wa-numbers/1%27%20OR%201=1/test", NULL, NULL), 404,
        NULL);
}

/* While Graph takes its time to answer "test a number", laris-api holds no transaction open
 * (a transaction left open across a slow call would keep its snapshot and locks that long).
 * laris-sim answers the next phone-number lookup after slow_ms (2 s by default); a child
 * process looks at PostgreSQL's sessions meanwhile and exits with the count it saw. */
Test(reply_types, test_holds_no_transaction_while_graph_answers)
{
    json_decref(itest_sim("POST", "/_sim/faults",
                          json_pack("{s:s,s:i}", "mode", "slow", "count", 1), NULL));
    pid_t child = fork();
    cr_assert_neq(child, -1);
    if (child == 0) {
        PGconn *watch = PQconnectdb(getenv("LARIS_DATABASE_SUPER_URL"));
        usleep(800 * 1000);
        PGresult *res = PQexec(watch, "SELECT count(*) FROM pg_stat_activity "
                                      "WHERE usename = 'laris_app' "
                                      "AND state LIKE 'idle in transaction%'");
        int open = PQresultStatus(res) == PGRES_TUPLES_OK ? atoi(PQgetvalue(res, 0, 0)) : 100;
        _exit(open > 99 ? 99 : open);
    }
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/wa-numbers/%lld/test", number_id);
    itest_resp_t *r = itest_request(owner, "POST", path, NULL, NULL);
    int status = 0;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(WIFEXITED(status));
    cr_assert_eq(WEXITSTATUS(status), 0, "%d laris-api sessions idle in a transaction",
                 WEXITSTATUS(status));
}
