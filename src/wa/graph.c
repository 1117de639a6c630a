/* The one Graph call laris-api makes itself: GET /{phone_number_id}?fields=... to test a
 * number's connection ("Tes" on the Settings page). libcurl, one request, bounded time and
 * answer size; the access token goes in the Authorization header and is never logged. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "laris/json.h"
#include "laris/wa.h"
#include "laris/wa_outgoing.h"

#define ANSWER_MAX ((size_t)64 * 1024)

typedef struct {
    char data[ANSWER_MAX + 1];
    size_t len;
} answer_t;

static size_t collect(char *ptr, size_t size, size_t n, void *arg)
{
    answer_t *b = arg;
    size_t add = size * n;
    if (b->len + add > ANSWER_MAX)
        return 0; /* an answer this big is not Graph's */
    memcpy(b->data + b->len, ptr, add);
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

static const char *member(laris_arena_t *a, json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? laris_arena_strdup(a, s) : NULL;
}

void laris_wa_phone_info(laris_arena_t *a, const char *base_url, const char *version,
                         const char *phone_number_id, const char *token, long timeout_ms,
                         laris_wa_phone_info_t *out)
{
    memset(out, 0, sizeof(*out));
    CURL *curl = curl_easy_init();
    if (!curl)
        return;
    answer_t *body = laris_arena_alloc(a, sizeof(answer_t));
    body->len = 0;
    body->data[0] = '\0';
    const char *url =
        laris_arena_printf(a, "%s/%s/%s?fields=display_phone_number,verified_name,quality_rating",
                           base_url, version, phone_number_id);
    struct curl_slist *headers =
        curl_slist_append(NULL, laris_arena_printf(a, "Authorization: Bearer %s", token));
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode cc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->http_status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (cc != CURLE_OK)
        return;
    out->reached = true;
    json_t *root = laris_json_adopt(a, json_loads(body->data, 0, NULL));
    if (out->http_status == 200 && json_is_object(root)) {
        out->ok = true;
        out->display_phone_number = member(a, root, "display_phone_number");
        out->verified_name = member(a, root, "verified_name");
        out->quality_rating = member(a, root, "quality_rating");
        return;
    }
    laris_wa_api_error_t e;
    laris_err_t perr;
    laris_err_init(&perr, a);
    if (laris_wa_api_error_parse(a, body->data, body->len, &e, &perr) == LARIS_OK) {
        out->error_given = true;
        out->error_code = e.code;
        out->error_subcode = e.subcode;
    }
}
