/* The Graph requests of message templates (create, edit, list, delete): one libcurl request at
 * a time with a bounded time and answer size. The access token goes in the Authorization
 * header only and is never logged. */
#include <curl/curl.h>
#include <string.h>

#include "laris/buf.h"
#include "laris/json.h"
#include "laris/wa_template.h"

#define ANSWER_MAX ((size_t)4 * 1024 * 1024)

static size_t collect(char *ptr, size_t size, size_t n, void *arg)
{
    laris_buf_t *b = arg;
    size_t add = size * n;
    if (b->len + add > ANSWER_MAX)
        return 0; /* an answer this big is not Graph's */
    laris_buf_append(b, ptr, add);
    return add;
}

void laris_wa_graph_request(laris_arena_t *a, const char *base_url, const char *version,
                            const char *method, const char *path, const char *token,
                            const json_t *body, long timeout_ms, laris_wa_graph_answer_t *out)
{
    memset(out, 0, sizeof(*out));
    CURL *curl = curl_easy_init();
    if (!curl)
        return;
    laris_buf_t answer;
    laris_buf_init(&answer, a);
    const char *url = laris_arena_printf(a, "%s/%s/%s", base_url, version, path);
    struct curl_slist *headers =
        curl_slist_append(NULL, laris_arena_printf(a, "Authorization: Bearer %s", token));
    const char *text = NULL;
    if (body) {
        text = laris_json_encode(a, body, NULL);
        headers = curl_slist_append(headers, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, text ? text : "{}");
    }
    if (strcmp(method, "GET") != 0 && !(strcmp(method, "POST") == 0 && body))
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (cc != CURLE_OK)
        return;
    out->reached = true;
    out->http_status = status;
    const char *data = laris_buf_cstr(&answer);
    out->answer = laris_json_adopt(a, json_loads(data, 0, NULL));
    if (status >= 200 && status < 300)
        return;
    laris_err_t perr;
    laris_err_init(&perr, a);
    if (laris_wa_api_error_parse(a, data, answer.len, &out->error, &perr) == LARIS_OK)
        out->error_given = true;
}
