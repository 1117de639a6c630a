/* laris-sim: the outgoing webhook queue and its sender thread.
 *
 * Jobs are kept sorted by due time; one thread sleeps until the earliest is due, signs the
 * body with the app secret configured at send time (X-Hub-Signature-256 over the exact bytes),
 * POSTs it with libcurl and records what it got in sim_state.webhooks. No retries yet. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "laris/log.h"
#include "laris/wa.h"
#include "sim_internal.h"

typedef struct job {
    int64_t due_ms;
    char *body;
    size_t len;
    bool bad_signature;
    char kind[16];
    char wamid[LARIS_SIM_WAMID_MAX];
    char status[16];
    struct job *next;
} job_t;

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_cond;
static job_t *queue;
static bool stopping;
static bool running;
static pthread_t sender;

static void job_free(job_t *j)
{
    free(j->body);
    free(j);
}

void sim_webhook_queue(char *body, size_t len, int64_t due_ms, const char *kind, const char *wamid,
                       const char *status, bool bad_signature)
{
    job_t *j = calloc(1, sizeof(*j));
    if (!j)
        abort();
    j->due_ms = due_ms;
    j->body = body;
    j->len = len;
    j->bad_signature = bad_signature;
    snprintf(j->kind, sizeof(j->kind), "%s", kind);
    snprintf(j->wamid, sizeof(j->wamid), "%s", wamid ? wamid : "");
    snprintf(j->status, sizeof(j->status), "%s", status ? status : "");
    pthread_mutex_lock(&queue_lock);
    /* In due order, same-time jobs in arrival order. A customer's message goes ahead of status
     * webhooks though: Meta delivers the two streams independently, and a message must not wait
     * behind a backlog of thousands of statuses (after a load test). */
    bool inbound = strcmp(kind, "inbound") == 0;
    job_t **at = &queue;
    while (*at && (*at)->due_ms <= due_ms && !(inbound && strcmp((*at)->kind, "status") == 0))
        at = &(*at)->next;
    j->next = *at;
    *at = j;
    pthread_cond_signal(&queue_cond);
    pthread_mutex_unlock(&queue_lock);
}

void sim_webhook_clear(void)
{
    pthread_mutex_lock(&queue_lock);
    while (queue) {
        job_t *j = queue;
        queue = j->next;
        job_free(j);
    }
    pthread_mutex_unlock(&queue_lock);
}

json_t *sim_webhook_envelope(const sim_number_t *n, json_t **value)
{
    *value = json_pack("{s:s,s:{s:s,s:s}}", "messaging_product", "whatsapp", "metadata",
                       "display_phone_number", n->display_phone_number, "phone_number_id",
                       n->phone_number_id);
    return json_pack("{s:s,s:[{s:s,s:[{s:s,s:o}]}]}", "object", "whatsapp_business_account",
                     "entry", "id", n->waba_id, "changes", "field", "messages", "value", *value);
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    (void)ptr;
    (void)userdata;
    return size * nmemb;
}

static void deliver(CURL *curl, job_t *j)
{
    char url[sizeof(sim_state.webhook_url)];
    char secret[sizeof(sim_state.app_secret)];
    sim_lock();
    memcpy(url, sim_state.webhook_url, sizeof(url));
    memcpy(secret, sim_state.app_secret, sizeof(secret));
    sim_unlock();

    char sig[LARIS_WA_SIGNATURE_MAX];
    laris_wa_signature_header(j->bad_signature ? "not-the-app-secret" : secret, j->body, j->len,
                              sig);
    long http_status = 0;
    const char *error = NULL;
    if (!url[0]) {
        error = "no webhook_url configured";
    } else {
        char sig_header[LARIS_WA_SIGNATURE_MAX + 32];
        snprintf(sig_header, sizeof(sig_header), "X-Hub-Signature-256: %s", sig);
        struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
        headers = curl_slist_append(headers, sig_header);
        headers = curl_slist_append(headers, "Expect:");
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, j->body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)j->len);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "facebookexternalua");
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
        CURLcode rc = curl_easy_perform(curl);
        if (rc == CURLE_OK)
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
        else
            error = curl_easy_strerror(rc);
        curl_slist_free_all(headers);
    }
    if (error)
        laris_log(LARIS_WARN, "webhook %s %s not delivered: %s", j->kind, j->status, error);

    json_t *body = json_loadb(j->body, j->len, 0, NULL);
    json_t *entry = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:b,s:o}", "kind", j->kind, "wamid",
                              j->wamid, "status", j->status, "url", url, "http_status",
                              (json_int_t)http_status, "due_at_ms", (json_int_t)j->due_ms,
                              "sent_at_ms", (json_int_t)sim_now_ms(), "signature", sig,
                              "bad_signature", j->bad_signature, "body", body ? body : json_null());
    if (error)
        json_object_set_new(entry, "error", json_string(error));
    sim_lock();
    json_array_append_new(sim_state.webhooks, entry);
    sim_unlock();
}

static void *sender_main(void *arg)
{
    (void)arg;
    CURL *curl = curl_easy_init();
    pthread_mutex_lock(&queue_lock);
    while (!stopping) {
        if (!queue) {
            pthread_cond_wait(&queue_cond, &queue_lock);
            continue;
        }
        int64_t now = sim_now_ms();
        if (queue->due_ms > now) {
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            int64_t wait_ms = queue->due_ms - now;
            until.tv_sec += wait_ms / 1000;
            until.tv_nsec += (wait_ms % 1000) * 1000000;
            if (until.tv_nsec >= 1000000000) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&queue_cond, &queue_lock, &until);
            continue;
        }
        job_t *j = queue;
        queue = j->next;
        pthread_mutex_unlock(&queue_lock);
        if (curl)
            deliver(curl, j);
        job_free(j);
        pthread_mutex_lock(&queue_lock);
    }
    pthread_mutex_unlock(&queue_lock);
    curl_easy_cleanup(curl);
    return NULL;
}

void sim_webhook_start(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&queue_cond, &attr);
    pthread_condattr_destroy(&attr);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    stopping = false;
    running = pthread_create(&sender, NULL, sender_main, NULL) == 0;
    if (!running)
        laris_log(LARIS_ERROR, "cannot start the webhook sender thread");
}

void sim_webhook_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&queue_lock);
    stopping = true;
    pthread_cond_signal(&queue_cond);
    pthread_mutex_unlock(&queue_lock);
    pthread_join(sender, NULL);
    running = false;
    sim_webhook_clear();
    curl_global_cleanup();
}
