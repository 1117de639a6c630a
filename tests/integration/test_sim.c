/* Integration tests of laris-sim through the stack's nginx ($LARIS_SIM_URL): the 24-hour
 * window, a send accepted with a wamid and recorded, and signed status webhooks received in
 * order by a small HTTP listener this test runs on 127.0.0.1. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "laris/wa.h"

#define PNID     "119876543210001"
#define WABA     "210000000000001"
#define DISPLAY  "6281100001111"
#define TOKEN    "sim-test-token-3f9a"
#define SECRET   "sim-test-app-secret"
#define CUSTOMER "6281234567890"

/* HTTP through the simulator ------------------------------------------------------------- */

typedef struct {
    long status;
    char *body;
    size_t len;
    json_t *json;
} resp_t;

static size_t collect(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    resp_t *r = userdata;
    size_t n = size * nmemb;
    char *grown = realloc(r->body, r->len + n + 1);
    cr_assert_not_null(grown);
    r->body = grown;
    memcpy(r->body + r->len, ptr, n);
    r->len += n;
    r->body[r->len] = '\0';
    return n;
}

static const char *sim_url(void)
{
    const char *url = getenv("LARIS_SIM_URL");
    cr_assert(url && *url, "LARIS_SIM_URL is not set: run against the stack (scripts/test)");
    return url;
}

/* Sends method path with an optional JSON body (taken over) and bearer token. */
static resp_t call(const char *method, const char *path, json_t *body, const char *token)
{
    resp_t r = {0};
    char url[1024];
    snprintf(url, sizeof(url), "%s%s", sim_url(), path);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    CURL *c = curl_easy_init();
    cr_assert_not_null(c);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    char auth[256];
    if (token) {
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
        h = curl_slist_append(h, auth);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (text)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    CURLcode rc = curl_easy_perform(c);
    cr_assert_eq(rc, CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    free(text);
    if (r.body)
        r.json = json_loads(r.body, 0, NULL);
    return r;
}

static void resp_free(resp_t *r)
{
    json_decref(r->json);
    free(r->body);
}

static int64_t error_code(const resp_t *r)
{
    return json_integer_value(json_object_get(json_object_get(r->json, "error"), "code"));
}

static json_t *text_to(const char *to, const char *text)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:{s:s}}", "messaging_product", "whatsapp", "recipient_type",
                     "individual", "to", to, "type", "text", "text", "body", text);
}

/* The webhook listener ------------------------------------------------------------------- */

#define MAX_HOOKS 32

typedef struct {
    char *body;
    size_t len;
    char signature[LARIS_WA_SIGNATURE_MAX + 8];
} hook_t;

static struct {
    int fd;
    int port;
    pthread_t thread;
    pthread_mutex_t lock;
    hook_t hooks[MAX_HOOKS];
    int nhooks;
    volatile int stop;
} listener = {.fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER};

/* Reads one request (headers, then Content-Length bytes), answers 200, stores it. */
static void serve_connection(int fd)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    char *head_end = NULL;
    size_t want = 0;
    while (len < cap) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 5000) <= 0)
            break;
        ssize_t n = read(fd, buf + len, cap - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
        if (!head_end && (head_end = strstr(buf, "\r\n\r\n"))) {
            const char *cl = strcasestr(buf, "\r\nContent-Length:");
            want = (size_t)(head_end + 4 - buf) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
        }
        if (head_end && len >= want)
            break;
    }
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    if (write(fd, ok, sizeof(ok) - 1) < 0) {
        /* the sender records what it got; nothing to do here */
    }
    if (head_end && len >= want) {
        hook_t h = {0};
        h.len = want - (size_t)(head_end + 4 - buf);
        h.body = malloc(h.len + 1);
        memcpy(h.body, head_end + 4, h.len);
        h.body[h.len] = '\0';
        *head_end = '\0';
        const char *sig = strcasestr(buf, "\r\nX-Hub-Signature-256:");
        if (sig) {
            sig += 22;
            while (*sig == ' ')
                sig++;
            snprintf(h.signature, sizeof(h.signature), "%.*s", (int)strcspn(sig, "\r\n"), sig);
        }
        pthread_mutex_lock(&listener.lock);
        if (listener.nhooks < MAX_HOOKS)
            listener.hooks[listener.nhooks++] = h;
        else
            free(h.body);
        pthread_mutex_unlock(&listener.lock);
    }
    free(buf);
}

static void *listener_main(void *arg)
{
    (void)arg;
    while (!listener.stop) {
        struct pollfd p = {.fd = listener.fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        int c = accept(listener.fd, NULL, NULL);
        if (c < 0)
            continue;
        serve_connection(c);
        close(c);
    }
    return NULL;
}

static void listener_start(void)
{
    listener.fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(listener.fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(listener.fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    cr_assert_eq(listen(listener.fd, 16), 0);
    socklen_t slen = sizeof(sa);
    getsockname(listener.fd, (struct sockaddr *)&sa, &slen);
    listener.port = ntohs(sa.sin_port);
    listener.stop = 0;
    cr_assert_eq(pthread_create(&listener.thread, NULL, listener_main, NULL), 0);
}

static void listener_stop(void)
{
    if (listener.fd < 0)
        return;
    listener.stop = 1;
    pthread_join(listener.thread, NULL);
    close(listener.fd);
    listener.fd = -1;
    for (int i = 0; i < listener.nhooks; i++)
        free(listener.hooks[i].body);
    listener.nhooks = 0;
}

/* Waits up to 5 s for n webhooks. */
static int wait_hooks(int n)
{
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&listener.lock);
        int have = listener.nhooks;
        pthread_mutex_unlock(&listener.lock);
        if (have >= n)
            return have;
        usleep(50 * 1000);
    }
    return listener.nhooks;
}

/* Setup ---------------------------------------------------------------------------------- */

static void setup(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    cr_assert(sodium_init() >= 0);
    listener_start();
    resp_t r = call("POST", "/_sim/reset", NULL, NULL);
    cr_assert_eq(r.status, 204, "reset: %ld %s", r.status, r.body ? r.body : "");
    resp_free(&r);
    char hook_url[128];
    snprintf(hook_url, sizeof(hook_url), "http://127.0.0.1:%d/webhooks/whatsapp", listener.port);
    r = call("PUT", "/_sim/config",
             json_pack("{s:s,s:s,s:[i,i,i]}", "webhook_url", hook_url, "app_secret", SECRET,
                       "status_delays_ms", 50, 100, 200),
             NULL);
    cr_assert_eq(r.status, 200, "config: %ld %s", r.status, r.body);
    resp_free(&r);
    r = call("POST", "/_sim/numbers",
             json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", PNID, "waba_id", WABA,
                       "display_phone_number", DISPLAY, "access_token", TOKEN),
             NULL);
    cr_assert_eq(r.status, 201, "numbers: %ld %s", r.status, r.body);
    resp_free(&r);
}

static void teardown(void)
{
    listener_stop();
    curl_global_cleanup();
}

TestSuite(sim, .init = setup, .fini = teardown, .timeout = 60);

Test(sim, token_is_required)
{
    resp_t r = call("POST", "/v23.0/" PNID "/messages", text_to("+" CUSTOMER, "hi"), NULL);
    cr_assert_eq(r.status, 401);
    cr_assert_eq(error_code(&r), 190);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r.json, "error"), "type")),
                     "OAuthException");
    resp_free(&r);
    r = call("POST", "/v23.0/" PNID "/messages", text_to("+" CUSTOMER, "hi"), "wrong-token");
    cr_assert_eq(r.status, 401);
    cr_assert_eq(error_code(&r), 190);
    resp_free(&r);
}

Test(sim, window_then_send_then_signed_statuses_in_order)
{
    /* Outside the window: Meta's 131047, nothing recorded. */
    resp_t r = call("POST", "/v23.0/" PNID "/messages", text_to("+" CUSTOMER, "Halo kak"), TOKEN);
    cr_assert_eq(r.status, 400, "%s", r.body);
    cr_assert_eq(error_code(&r), 131047, "%s", r.body);
    cr_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r.json, "error"), "message")),
        "(#131047) Re-engagement message");
    resp_free(&r);

    /* The customer writes: an inbound webhook, signed, shaped like text.json. */
    r = call("POST", "/_sim/inbound",
             json_pack("{s:s,s:s,s:s,s:s,s:s}", "phone_number_id", PNID, "from", CUSTOMER, "type",
                       "text", "text", "Kak, gamis ukuran L masih ada? \xF0\x9F\x98\x8A",
                       "profile_name", "Siti Rahma"),
             NULL);
    cr_assert_eq(r.status, 201, "%s", r.body);
    resp_free(&r);
    cr_assert_eq(wait_hooks(1), 1);
    hook_t *in = &listener.hooks[0];
    cr_assert(laris_wa_signature_valid(SECRET, in->body, in->len, in->signature),
              "inbound signature %s", in->signature);
    cr_assert_not_null(strstr(in->body, "\\ud83d\\ude0a"), "emoji escaped: %s", in->body);
    for (size_t i = 0; i < in->len; i++)
        cr_assert((unsigned char)in->body[i] < 0x80, "non-ASCII byte in the webhook body");
    json_t *inj = json_loads(in->body, 0, NULL);
    json_t *value = json_object_get(
        json_array_get(json_object_get(json_array_get(json_object_get(inj, "entry"), 0), "changes"),
                       0),
        "value");
    cr_assert_str_eq(
        json_string_value(json_object_get(json_object_get(value, "metadata"), "phone_number_id")),
        PNID);
    json_t *m0 = json_array_get(json_object_get(value, "messages"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(m0, "from")), CUSTOMER);
    cr_assert_str_eq(json_string_value(json_object_get(m0, "type")), "text");
    json_decref(inj);

    /* Inside the window: accepted with a wamid. */
    r = call("POST", "/v23.0/" PNID "/messages", text_to("+62 812-3456-7890", "Masih kak"), TOKEN);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "messaging_product")), "whatsapp");
    json_t *contact = json_array_get(json_object_get(r.json, "contacts"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(contact, "input")), "+62 812-3456-7890");
    cr_assert_str_eq(json_string_value(json_object_get(contact, "wa_id")), CUSTOMER);
    const char *wamid_in = json_string_value(
        json_object_get(json_array_get(json_object_get(r.json, "messages"), 0), "id"));
    cr_assert_not_null(wamid_in);
    cr_assert_eq(strncmp(wamid_in, "wamid.", 6), 0);
    char wamid[160];
    snprintf(wamid, sizeof(wamid), "%s", wamid_in);
    resp_free(&r);

    /* Recorded in /_sim/sent. */
    r = call("GET", "/_sim/sent", NULL, NULL);
    cr_assert_eq(r.status, 200);
    json_t *data = json_object_get(r.json, "data");
    cr_assert_eq(json_array_size(data), 1, "%s", r.body);
    json_t *sent = json_array_get(data, 0);
    cr_assert_str_eq(json_string_value(json_object_get(sent, "wamid")), wamid);
    cr_assert_str_eq(json_string_value(json_object_get(sent, "type")), "text");
    cr_assert(json_integer_value(json_object_get(sent, "accepted_at_ms")) > 0);
    resp_free(&r);

    /* sent → delivered → read, each signed over the exact bytes. */
    cr_assert_eq(wait_hooks(4), 4);
    const char *order[] = {"sent", "delivered", "read"};
    for (int i = 0; i < 3; i++) {
        hook_t *h = &listener.hooks[1 + i];
        cr_assert(laris_wa_signature_valid(SECRET, h->body, h->len, h->signature),
                  "status %s signature", order[i]);
        cr_assert(!laris_wa_signature_valid("other-secret", h->body, h->len, h->signature));
        json_t *root = json_loads(h->body, 0, NULL);
        cr_assert_not_null(root);
        json_t *v = json_object_get(
            json_array_get(
                json_object_get(json_array_get(json_object_get(root, "entry"), 0), "changes"), 0),
            "value");
        json_t *st = json_array_get(json_object_get(v, "statuses"), 0);
        cr_assert_str_eq(json_string_value(json_object_get(st, "status")), order[i]);
        cr_assert_str_eq(json_string_value(json_object_get(st, "id")), wamid);
        cr_assert_str_eq(json_string_value(json_object_get(st, "recipient_id")), CUSTOMER);
        cr_assert(json_is_string(json_object_get(st, "timestamp")));
        json_decref(root);
    }

    /* /_sim/webhooks saw our 200s. */
    r = call("GET", "/_sim/webhooks", NULL, NULL);
    data = json_object_get(r.json, "data");
    cr_assert_eq(json_array_size(data), 4, "%s", r.body);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(json_integer_value(json_object_get(json_array_get(data, i), "http_status")),
                     200);
    resp_free(&r);
}

Test(sim, validation_errors_come_back_as_graph_errors)
{
    resp_t r =
        call("POST", "/_sim/inbound",
             json_pack("{s:s,s:s,s:s}", "phone_number_id", PNID, "from", CUSTOMER, "text", "halo"),
             NULL);
    resp_free(&r);
    char *big = malloc(4098);
    memset(big, 'a', 4097);
    big[4097] = '\0';
    json_t *long_body = text_to(CUSTOMER, big);
    free(big);
    r = call("POST", "/v23.0/" PNID "/messages", long_body, TOKEN);
    cr_assert_eq(r.status, 400);
    cr_assert_eq(error_code(&r), 100, "%s", r.body);
    resp_free(&r);

    r = call("POST", "/v23.0/" PNID "/messages",
             json_pack("{s:s,s:s,s:s,s:{s:s,s:{s:s}}}", "messaging_product", "whatsapp", "to",
                       CUSTOMER, "type", "template", "template", "name", "no_such", "language",
                       "code", "id"),
             TOKEN);
    cr_assert_eq(r.status, 404);
    cr_assert_eq(error_code(&r), 132001, "%s", r.body);
    resp_free(&r);

    r = call("POST", "/v23.0/999/messages", text_to(CUSTOMER, "hi"), TOKEN);
    cr_assert_eq(r.status, 400);
    cr_assert_eq(error_code(&r), 100);
    resp_free(&r);
}

Test(sim, throughput_limit_answers_130429)
{
    resp_t r =
        call("POST", "/_sim/inbound",
             json_pack("{s:s,s:s,s:s}", "phone_number_id", PNID, "from", CUSTOMER, "text", "halo"),
             NULL);
    resp_free(&r);
    r = call("PUT", "/_sim/config", json_pack("{s:i}", "mps", 2), NULL);
    resp_free(&r);
    int64_t codes[5] = {0};
    for (int i = 0; i < 5; i++) {
        r = call("POST", "/v23.0/" PNID "/messages", text_to(CUSTOMER, "cepat"), TOKEN);
        codes[i] = r.status == 200 ? 0 : error_code(&r);
        resp_free(&r);
    }
    int limited = 0;
    for (int i = 0; i < 5; i++)
        limited += codes[i] == 130429;
    cr_assert(limited >= 1 && codes[0] == 0, "expected 130429 after 2 per second");
}

Test(sim, faults_server_error_once)
{
    resp_t r =
        call("POST", "/_sim/inbound",
             json_pack("{s:s,s:s,s:s}", "phone_number_id", PNID, "from", CUSTOMER, "text", "halo"),
             NULL);
    resp_free(&r);
    r = call("POST", "/_sim/faults", json_pack("{s:s,s:i}", "mode", "server_error", "count", 1),
             NULL);
    cr_assert_eq(r.status, 200);
    resp_free(&r);
    r = call("POST", "/v23.0/" PNID "/messages", text_to(CUSTOMER, "satu"), TOKEN);
    cr_assert_eq(r.status, 500);
    cr_assert_eq(error_code(&r), 131000);
    resp_free(&r);
    r = call("POST", "/v23.0/" PNID "/messages", text_to(CUSTOMER, "dua"), TOKEN);
    cr_assert_eq(r.status, 200, "%s", r.body);
    resp_free(&r);
}

Test(sim, templates_start_pending_and_send_once_approved)
{
    json_t *create = json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:{s:[[s,s]]}}]}", "name", "order_update",
                               "language", "id", "category", "utility", "components", "type",
                               "body", "text", "Halo {{1}}, pesanan {{2}} sudah dikirim.",
                               "example", "body_text", "Siti", "A-42");
    resp_t r = call("POST", "/v23.0/" WABA "/message_templates", create, TOKEN);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "PENDING");
    char id[32];
    snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(r.json, "id")));
    resp_free(&r);

    json_t *send = json_pack("{s:s,s:s,s:s,s:{s:s,s:{s:s},s:[{s:s,s:[{s:s,s:s},{s:s,s:s}]}]}}",
                             "messaging_product", "whatsapp", "to", "6281299990000", "type",
                             "template", "template", "name", "order_update", "language", "code",
                             "id", "components", "type", "body", "parameters", "type", "text",
                             "text", "Siti", "type", "text", "text", "A-42");
    json_incref(send);
    r = call("POST", "/v23.0/" PNID "/messages", send, TOKEN);
    cr_assert_eq(error_code(&r), 132001, "pending template: %s", r.body);
    resp_free(&r);

    char path[96];
    snprintf(path, sizeof(path), "/_sim/templates/%s/status", id);
    r = call("POST", path, json_pack("{s:s}", "status", "APPROVED"), NULL);
    cr_assert_eq(r.status, 200, "%s", r.body);
    resp_free(&r);

    /* A template needs no window. */
    r = call("POST", "/v23.0/" PNID "/messages", send, TOKEN);
    cr_assert_eq(r.status, 200, "%s", r.body);
    resp_free(&r);

    r = call("GET", "/v23.0/" WABA "/message_templates?status=APPROVED", NULL, TOKEN);
    cr_assert_eq(r.status, 200);
    json_t *t = json_array_get(json_object_get(r.json, "data"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(t, "name")), "order_update");
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(t, "components"), 0), "type")),
                     "BODY");
    resp_free(&r);
}

Test(sim, bad_signature_fault_signs_one_webhook_wrongly)
{
    resp_t r = call("POST", "/_sim/faults",
                    json_pack("{s:s,s:i}", "mode", "bad_signature", "count", 1), NULL);
    cr_assert_eq(r.status, 200);
    resp_free(&r);
    for (int i = 0; i < 2; i++) {
        r = call(
            "POST", "/_sim/inbound",
            json_pack("{s:s,s:s,s:s}", "phone_number_id", PNID, "from", CUSTOMER, "text", "halo"),
            NULL);
        cr_assert_eq(r.status, 201);
        resp_free(&r);
    }
    cr_assert_eq(wait_hooks(2), 2);
    cr_assert_not(laris_wa_signature_valid(SECRET, listener.hooks[0].body, listener.hooks[0].len,
                                           listener.hooks[0].signature));
    cr_assert(laris_wa_signature_valid(SECRET, listener.hooks[1].body, listener.hooks[1].len,
                                       listener.hooks[1].signature));
}
