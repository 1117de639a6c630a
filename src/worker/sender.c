/* laris-worker's HTTP side: one libcurl multi handle with requests to Graph in flight at once.
 * The multi handle's connection cache keeps connections to Graph open between sends (a new TCP
 * and TLS handshake per message would cap the rate), and easy handles are kept for reuse. */
#include <stdlib.h>
#include <string.h>

#include "worker_internal.h"

#define ANSWER_MAX (1024 * 1024) /* an answer bigger than this is not Graph's */
#define SPARE_MAX  64

typedef struct {
    CURL *easy;
    struct curl_slist *headers;
    char *json;
    char *answer;
    size_t answer_len;
    void *ctx;
} request_t;

struct sender_s {
    CURLM *multi;
    long timeout_ms;
    int inflight;
    CURL *spare[SPARE_MAX]; /* finished easy handles, reset for reuse */
    int nspare;
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        abort();
    return p;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        abort();
    return p;
}

sender_t *sender_create(long timeout_ms)
{
    sender_t *s = xcalloc(1, sizeof(*s));
    s->multi = curl_multi_init();
    if (!s->multi)
        abort();
    s->timeout_ms = timeout_ms > 0 ? timeout_ms : 20000L;
    curl_multi_setopt(s->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 64L);
    curl_multi_setopt(s->multi, CURLMOPT_MAXCONNECTS, 64L);
    return s;
}

static void request_free(sender_t *s, request_t *r)
{
    curl_multi_remove_handle(s->multi, r->easy);
    if (s->nspare < SPARE_MAX) {
        curl_easy_reset(r->easy);
        s->spare[s->nspare++] = r->easy;
    } else {
        curl_easy_cleanup(r->easy);
    }
    curl_slist_free_all(r->headers);
    free(r->json);
    free(r->answer);
    free(r);
}

void sender_destroy(sender_t *s)
{
    if (!s)
        return;
    /* The worker drains its requests before it stops, so only spare handles are left. */
    for (int i = 0; i < s->nspare; i++)
        curl_easy_cleanup(s->spare[i]);
    curl_multi_cleanup(s->multi);
    free(s);
}

static size_t collect(char *ptr, size_t size, size_t n, void *arg)
{
    request_t *r = arg;
    size_t add = size * n;
    if (r->answer_len + add > ANSWER_MAX)
        return 0;
    char *grown = realloc(r->answer, r->answer_len + add + 1);
    if (!grown)
        abort();
    memcpy(grown + r->answer_len, ptr, add);
    r->answer_len += add;
    grown[r->answer_len] = '\0';
    r->answer = grown;
    return add;
}

void sender_start(sender_t *s, const char *url, const char *auth, const char *json, void *ctx)
{
    request_t *r = xcalloc(1, sizeof(*r));
    r->easy = s->nspare > 0 ? s->spare[--s->nspare] : curl_easy_init();
    if (!r->easy)
        abort();
    r->json = xstrdup(json);
    r->ctx = ctx;
    r->headers = curl_slist_append(NULL, "Content-Type: application/json");
    r->headers = curl_slist_append(r->headers, auth);
    if (!r->headers)
        abort();
    CURL *c = r->easy;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->json);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_PRIVATE, r);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, s->timeout_ms);
    /* Reuse a connection idle at most 30 s: below the usual keep-alive timeouts (nginx 75 s),
     * so a request is not written into a connection the server is closing. */
    curl_easy_setopt(c, CURLOPT_MAXAGE_CONN, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (curl_multi_add_handle(s->multi, c) != CURLM_OK)
        abort();
    s->inflight++;
    /* Write the request now (on a reused connection it leaves at once), not after whatever the
     * caller does before its next poll: the limiter's slot is now. */
    int running = 0;
    curl_multi_perform(s->multi, &running);
}

int sender_inflight(const sender_t *s)
{
    return s->inflight;
}

void sender_poll(sender_t *s, int wait_ms, sender_done_fn done, void *arg)
{
    int running = 0;
    curl_multi_perform(s->multi, &running);
    curl_multi_poll(s->multi, NULL, 0, wait_ms, NULL);
    curl_multi_perform(s->multi, &running);
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(s->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        request_t *r = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        long status = 0;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
        CURLcode cc = msg->data.result;
        void *ctx = r->ctx;
        char *answer = r->answer;
        r->answer = NULL;
        request_free(s, r);
        s->inflight--;
        done(arg, ctx, cc, status, answer);
        free(answer);
    }
}
