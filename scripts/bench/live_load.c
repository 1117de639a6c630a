/* The load generator and subscriber of scripts/bench/live: one thread, one curl multi handle.
 *
 *   laris-bench-live <laris url> <cookie> <tenant id> <phone_number_id> <app secret>
 *                    <rate per s> <seconds> <customers> <nchan publisher socket> <pg url>
 *
 * 1. Subscribes to /rt/sub/tenant/<tenant> (EventSource) with the session cookie.
 * 2. Warm-up (unmeasured): one signed webhook per customer, so contacts and chats exist.
 * 3. Measured: rate x seconds signed single-message webhooks at a constant rate (each one's
 *    clock starts at its scheduled time, so a generator that falls behind counts against the
 *    result, as wrk2 does), up to 64 in flight. A message.new event's latency is its arrival
 *    minus its webhook's scheduled send time; message ids are matched to webhooks through
 *    their wamids in PostgreSQL afterwards.
 * 4. Baseline, same subscriber, same rate: events POSTed straight to nchan's publisher socket
 *    (what laris-events does), publish -> receive.
 * Prints one "name sent received p50 p90 p99 max" line per series (ms): webhook -> event, the
 * event's arrival after the webhook's own answer (what the live path adds to ingest), nchan
 * alone, and the webhooks' answer times. Exits non-zero only when it could not run. */
#include <curl/curl.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_INFLIGHT 64
#define BODY_MAX     2048

typedef struct {
    CURL *easy;
    struct curl_slist *headers;
    char body[BODY_MAX];
    long index; /* the webhook or publish number; -1 when idle */
    int series;
} slot_t;

enum { SERIES_WARMUP, SERIES_LIVE, SERIES_BASE };

static CURLM *multi;
static CURL *sub;
static char *stream;
static size_t stream_len, stream_parsed;
static slot_t slots[MAX_INFLIGHT];
static const char *url, *secret, *pnid, *socket_path, *cookie;
static long tenant, customers;
static char tag[16];
static long ts_now;

static double *sched_at[3];  /* per series: scheduled send time of each index, ms */
static double *answer_ms[3]; /* the webhook's/publish's own answer time */
static long *events_msg;     /* message.new events: message id ... */
static double *events_at;    /* ... and arrival, ms */
static long nevents, events_cap;
static double *base_recv; /* baseline: arrival per index */
static long base_received;
static int http_errors;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static size_t on_stream(char *ptr, size_t size, size_t n, void *arg)
{
    (void)arg;
    size_t add = size * n;
    char *grown = realloc(stream, stream_len + add + 1);
    if (!grown)
        abort();
    memcpy(grown + stream_len, ptr, add);
    stream_len += add;
    grown[stream_len] = '\0';
    stream = grown;
    return add;
}

static size_t discard(char *ptr, size_t size, size_t n, void *arg)
{
    (void)ptr;
    (void)arg;
    return size * n;
}

/* Reads the events that arrived: message.new ids, and baseline indexes. */
static void parse_stream(double at)
{
    char *end;
    while ((end = strstr(stream + stream_parsed, "\n\n")) != NULL) {
        char *block = stream + stream_parsed;
        stream_parsed = (size_t)(end - stream) + 2;
        *end = '\0';
        char *data = strstr(block, "data: ");
        if (!data)
            continue;
        char *p;
        if (strstr(data, "\"message.new\"") && (p = strstr(data, "\"message_id\": ")) != NULL) {
            if (nevents == events_cap) {
                events_cap = events_cap ? events_cap * 2 : 4096;
                events_msg = realloc(events_msg, (size_t)events_cap * sizeof *events_msg);
                events_at = realloc(events_at, (size_t)events_cap * sizeof *events_at);
                if (!events_msg || !events_at)
                    abort();
            }
            events_msg[nevents] = strtol(p + 14, NULL, 10);
            events_at[nevents++] = at;
        } else if ((p = strstr(data, "\"bench_i\": ")) != NULL) {
            long i = strtol(p + 11, NULL, 10);
            if (i >= 0 && base_recv && base_recv[i] == 0) {
                base_recv[i] = at;
                base_received++;
            }
        }
    }
}

/* Fills slot s with webhook i (series) or baseline publish i, and starts it. */
static void start(slot_t *s, int series, long i)
{
    char target[512];
    s->index = i;
    s->series = series;
    curl_slist_free_all(s->headers);
    s->headers = curl_slist_append(NULL, "Content-Type: application/json");
    s->headers = curl_slist_append(s->headers, "Expect:");
    curl_easy_reset(s->easy);
    if (series == SERIES_BASE) {
        snprintf(s->body, sizeof s->body,
                 "{\"kind\": \"bench\", \"bench_i\": %ld, \"conversation_id\": 0}", i);
        snprintf(target, sizeof target, "http://localhost/pub/tenant/%ld", tenant);
        curl_easy_setopt(s->easy, CURLOPT_UNIX_SOCKET_PATH, socket_path);
    } else {
        long who = i % customers;
        int len = snprintf(
            s->body, sizeof s->body,
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"210000000000001\","
            "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
            "\"metadata\":{\"display_phone_number\":\"6281100001111\",\"phone_number_id\":\"%s\"},"
            "\"contacts\":[{\"profile\":{\"name\":\"Live %ld\"},\"wa_id\":\"628%09ld\"}],"
            "\"messages\":[{\"from\":\"628%09ld\",\"id\":\"wamid.HBgNlive%s%d%010ld\","
            "\"timestamp\":\"%ld\",\"type\":\"text\",\"text\":{\"body\":\"Kak, ready? "
            "%ld\"}}]}}]}]}",
            pnid, who, who, who, tag, series, i, ts_now, i);
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        char hex[2 * sizeof mac + 1], header[128];
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)s->body, (unsigned long long)len);
        crypto_auth_hmacsha256_final(&st, mac);
        sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
        snprintf(header, sizeof header, "X-Hub-Signature-256: sha256=%s", hex);
        s->headers = curl_slist_append(s->headers, header);
        snprintf(target, sizeof target, "%s/webhooks/whatsapp", url);
    }
    curl_easy_setopt(s->easy, CURLOPT_URL, target);
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, s->body);
    curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(s->easy, CURLOPT_PRIVATE, s);
    curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, 30000L);
    curl_multi_add_handle(multi, s->easy);
}

static void finish_done(void)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE || m->easy_handle == sub)
            continue;
        slot_t *s;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
        long status = 0;
        curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
        if (m->data.result != CURLE_OK || status / 100 != 2)
            http_errors++;
        answer_ms[s->series][s->index] = now_ms() - sched_at[s->series][s->index];
        curl_multi_remove_handle(multi, m->easy_handle);
        s->index = -1;
    }
}

static slot_t *idle_slot(void)
{
    for (int i = 0; i < MAX_INFLIGHT; i++)
        if (slots[i].index < 0)
            return &slots[i];
    return NULL;
}

static int inflight(void)
{
    int n = 0;
    for (int i = 0; i < MAX_INFLIGHT; i++)
        n += slots[i].index >= 0;
    return n;
}

static void pump(int wait_ms)
{
    int running;
    curl_multi_perform(multi, &running);
    finish_done();
    parse_stream(now_ms());
    curl_multi_poll(multi, NULL, 0, wait_ms, NULL);
}

/* Sends count requests of series at rate per second; then waits until done() or grace ms. */
static void run_series(int series, long count, double rate, bool (*done)(long), double grace)
{
    sched_at[series] = calloc((size_t)count, sizeof(double));
    answer_ms[series] = calloc((size_t)count, sizeof(double));
    if (!sched_at[series] || !answer_ms[series])
        abort();
    double t0 = now_ms() + 5;
    long next = 0;
    while (next < count || inflight() > 0) {
        double now = now_ms();
        while (next < count && now >= t0 + (double)next * 1000.0 / rate) {
            slot_t *s = idle_slot();
            if (!s)
                break;
            sched_at[series][next] = t0 + (double)next * 1000.0 / rate;
            start(s, series, next);
            next++;
        }
        pump(1);
    }
    double until = now_ms() + grace;
    while (!done(count) && now_ms() < until)
        pump(5);
}

static long want_events;
static bool events_done(long count)
{
    (void)count;
    return nevents >= want_events;
}

static bool base_done(long count)
{
    return base_received >= count;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, long sent, double *lat, long n)
{
    qsort(lat, (size_t)n, sizeof *lat, cmp_double);
#define PCT(p) (n ? lat[(long)((double)(n - 1) * (p))] : 0.0)
    printf("%s %ld %ld %.2f %.2f %.2f %.2f\n", name, sent, n, PCT(0.50), PCT(0.90), PCT(0.99),
           n ? lat[n - 1] : 0.0);
#undef PCT
}

int main(int argc, char **argv)
{
    if (argc != 11) {
        fprintf(stderr,
                "usage: %s <url> <cookie> <tenant> <pnid> <secret> <rate> <seconds> "
                "<customers> <nchan socket> <pg url>\n",
                argv[0]);
        return 2;
    }
    url = argv[1];
    cookie = argv[2];
    tenant = strtol(argv[3], NULL, 10);
    pnid = argv[4];
    secret = argv[5];
    double rate = strtod(argv[6], NULL);
    long seconds = strtol(argv[7], NULL, 10);
    customers = strtol(argv[8], NULL, 10);
    socket_path = argv[9];
    const char *pg_url = argv[10];
    if (tenant < 1 || rate < 1 || seconds < 1 || customers < 1 || sodium_init() < 0)
        return 2;
    ts_now = (long)time(NULL);
    snprintf(tag, sizeof tag, "%08lx", (unsigned long)randombytes_random());
    curl_global_init(CURL_GLOBAL_DEFAULT);
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)MAX_INFLIGHT + 1);
    for (int i = 0; i < MAX_INFLIGHT; i++) {
        slots[i].easy = curl_easy_init();
        slots[i].index = -1;
    }

    /* 1. The subscriber. */
    char sub_url[512], cookie_header[512];
    snprintf(sub_url, sizeof sub_url, "%s/rt/sub/tenant/%ld", url, tenant);
    snprintf(cookie_header, sizeof cookie_header, "Cookie: %s", cookie);
    struct curl_slist *sub_headers = curl_slist_append(NULL, "Accept: text/event-stream");
    sub_headers = curl_slist_append(sub_headers, cookie_header);
    stream = calloc(1, 1);
    sub = curl_easy_init();
    curl_easy_setopt(sub, CURLOPT_URL, sub_url);
    curl_easy_setopt(sub, CURLOPT_HTTPHEADER, sub_headers);
    curl_easy_setopt(sub, CURLOPT_WRITEFUNCTION, on_stream);
    curl_multi_add_handle(multi, sub);
    double until = now_ms() + 5000;
    while (!strstr(stream, ": hi") && now_ms() < until)
        pump(10);
    if (!strstr(stream, ": hi")) {
        fprintf(stderr, "the subscription did not open: %s\n", stream);
        return 1;
    }

    /* 2. Warm-up, 3. measured. */
    want_events = customers;
    run_series(SERIES_WARMUP, customers, rate, events_done, 30000);
    long warm_events = nevents;
    long count = (long)(rate * (double)seconds);
    want_events = warm_events + count;
    run_series(SERIES_LIVE, count, rate, events_done, 15000);

    /* 4. Baseline. */
    base_recv = calloc((size_t)count, sizeof(double));
    if (!base_recv)
        abort();
    run_series(SERIES_BASE, count, rate, base_done, 10000);

    /* Match message ids to webhooks through their wamids. */
    PGconn *pg = PQconnectdb(pg_url);
    if (PQstatus(pg) != CONNECTION_OK) {
        fprintf(stderr, "PostgreSQL: %s", PQerrorMessage(pg));
        return 1;
    }
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT id, substr(wamid, %d)::bigint FROM messages WHERE tenant_id = %ld AND "
             "wamid LIKE 'wamid.HBgNlive%s%d%%'",
             (int)strlen("wamid.HBgNlive") + (int)strlen(tag) + 2, tenant, tag, SERIES_LIVE);
    PGresult *res = PQexec(pg, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "PostgreSQL: %s", PQerrorMessage(pg));
        return 1;
    }
    double *lat = calloc((size_t)count, sizeof(double));
    double *after = calloc((size_t)count, sizeof(double));
    long nlat = 0;
    for (int r = 0; r < PQntuples(res); r++) {
        long id = strtol(PQgetvalue(res, r, 0), NULL, 10);
        long i = strtol(PQgetvalue(res, r, 1), NULL, 10);
        for (long e = warm_events; e < nevents; e++) {
            if (events_msg[e] == id && i >= 0 && i < count) {
                lat[nlat] = events_at[e] - sched_at[SERIES_LIVE][i];
                after[nlat] = lat[nlat] - answer_ms[SERIES_LIVE][i];
                nlat++;
                break;
            }
        }
    }
    PQclear(res);
    PQfinish(pg);
    report("webhook_to_event", count, lat, nlat);
    report("event_after_answer", count, after, nlat);
    long nbase = 0;
    for (long i = 0; i < count; i++)
        if (base_recv[i] > 0)
            lat[nbase++] = base_recv[i] - sched_at[SERIES_BASE][i];
    report("nchan_publish_to_event", count, lat, nbase);
    report("webhook_answer", count, answer_ms[SERIES_LIVE], count);
    printf("http_errors %d\n", http_errors);
    return 0;
}
