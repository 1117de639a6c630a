/* laris-sim's control API (/_sim/...) for the integration tests that drive it. */
#include "sim_control.h"

#include "client.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *data;
    size_t len;
} buf_t;

static size_t collect(char *ptr, size_t size, size_t n, void *arg)
{
    buf_t *b = arg;
    size_t add = size * n;
    char *grown = realloc(b->data, b->len + add + 1);
    cr_assert_not_null(grown);
    memcpy(grown + b->len, ptr, add);
    b->len += add;
    grown[b->len] = '\0';
    b->data = grown;
    return add;
}

json_t *itest_sim(const char *method, const char *path, json_t *body, long *status)
{
    const char *base = getenv("LARIS_SIM_URL");
    cr_assert(base && *base, "LARIS_SIM_URL is not set (source the stack.env)");
    char url[512];
    snprintf(url, sizeof(url), "%s%s", base, path);
    CURL *curl = curl_easy_init();
    cr_assert_not_null(curl);
    itest_secret_record_json(body); /* access tokens and app secrets handed to "Meta" */
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    buf_t got = {NULL, 0};
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (text)
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, text);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &got);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    CURLcode cc = curl_easy_perform(curl);
    cr_assert_eq(cc, CURLE_OK, "%s: %s", url, curl_easy_strerror(cc));
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    free(text);
    json_t *out = got.data ? json_loads(got.data, 0, NULL) : NULL;
    free(got.data);
    return out;
}
