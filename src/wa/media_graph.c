/* The Graph requests for media (§5): the media URL lookup, the download and the multipart
 * upload. One blocking libcurl request each, with a handle of its own: redirects are never
 * followed, only http and https are spoken, and the bearer token is never logged. */
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "laris/json.h"
#include "laris/log.h"
#include "laris/wa.h"

#define ANSWER_MAX ((size_t)64 * 1024) /* a Graph JSON answer is small */

typedef struct {
    char *data;
    size_t len;
} answer_t;

static size_t collect(char *ptr, size_t size, size_t n, void *arg)
{
    answer_t *b = arg;
    size_t add = size * n;
    if (b->len + add > ANSWER_MAX)
        return 0;
    char *grown = realloc(b->data, b->len + add + 1);
    if (!grown)
        abort();
    memcpy(grown + b->len, ptr, add);
    b->len += add;
    grown[b->len] = '\0';
    b->data = grown;
    return add;
}

/* A handle with the settings every media request shares. */
static CURL *handle_for(const laris_wa_graph_t *g, const char *url, struct curl_slist *headers)
{
    CURL *curl = curl_easy_init();
    if (!curl)
        abort();
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, g->timeout_ms > 0 ? g->timeout_ms : 60000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    return curl;
}

static struct curl_slist *auth_header(const laris_wa_graph_t *g, laris_arena_t *a)
{
    return curl_slist_append(NULL, laris_arena_printf(a, "Authorization: Bearer %s", g->token));
}

static bool transient_status(long status)
{
    return status == 0 || status == 429 || status >= 500;
}

void laris_wa_media_lookup(const laris_wa_graph_t *g, laris_arena_t *a, const char *media_id,
                           const char *phone_number_id, laris_wa_media_info_t *out)
{
    memset(out, 0, sizeof(*out));
    out->file_size = -1;
    CURL *esc = curl_easy_init();
    if (!esc)
        abort();
    char *id = curl_easy_escape(esc, media_id, 0);
    char *pnid = curl_easy_escape(esc, phone_number_id ? phone_number_id : "", 0);
    const char *url = laris_arena_printf(a, "%s/%s/%s?phone_number_id=%s", g->graph_url,
                                         g->graph_version, id, pnid);
    curl_free(id);
    curl_free(pnid);
    curl_easy_cleanup(esc);

    struct curl_slist *headers = auth_header(g, a);
    CURL *curl = handle_for(g, url, headers);
    answer_t body = {NULL, 0};
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    CURLcode cc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->http_status);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    json_t *root = body.data ? laris_json_adopt(a, json_loads(body.data, 0, NULL)) : NULL;
    free(body.data);
    if (cc != CURLE_OK) {
        out->transient = true;
        out->error = laris_arena_printf(a, "media lookup: %s", curl_easy_strerror(cc));
        return;
    }
    if (out->http_status != 200) {
        out->transient = transient_status(out->http_status);
        json_t *e = json_object_get(root, "error");
        json_t *code = json_object_get(e, "code");
        out->error = json_is_integer(code)
                         ? laris_arena_printf(a, "media lookup: HTTP %ld, Graph error %lld",
                                              out->http_status, (long long)json_integer_value(code))
                         : laris_arena_printf(a, "media lookup: HTTP %ld", out->http_status);
        return;
    }
    json_t *u = json_object_get(root, "url");
    json_t *size = json_object_get(root, "file_size");
    const char *sha = json_string_value(json_object_get(root, "sha256"));
    if (!json_is_string(u) || !sha) {
        out->error = "media lookup: the answer has no url or sha256";
        return;
    }
    out->url = laris_arena_strdup(a, json_string_value(u));
    out->sha256 = laris_arena_strdup(a, sha);
    const char *mime = json_string_value(json_object_get(root, "mime_type"));
    out->mime_type = mime ? laris_arena_strdup(a, mime) : NULL;
    if (json_is_integer(size)) /* documented as a string, sent as a number by some: both */
        out->file_size = (long long)json_integer_value(size);
    else if (json_is_string(size) && *json_string_value(size) &&
             strspn(json_string_value(size), "0123456789") == strlen(json_string_value(size)))
        out->file_size = strtoll(json_string_value(size), NULL, 10);
}

typedef struct {
    int fd;
    size_t max;
    size_t len;
    bool too_large;
    bool write_failed;
    crypto_hash_sha256_state sha;
} sink_t;

static size_t to_file(char *ptr, size_t size, size_t n, void *arg)
{
    sink_t *s = arg;
    size_t add = size * n;
    if (s->len + add > s->max) {
        s->too_large = true;
        return 0;
    }
    for (size_t done = 0; done < add;) {
        ssize_t w = write(s->fd, ptr + done, add - done);
        if (w <= 0) {
            s->write_failed = true;
            return 0;
        }
        done += (size_t)w;
    }
    crypto_hash_sha256_update(&s->sha, (const unsigned char *)ptr, add);
    s->len += add;
    return add;
}

laris_wa_download_rc laris_wa_media_download(const laris_wa_graph_t *g, laris_arena_t *a,
                                             const char *url, int fd, size_t max,
                                             unsigned char sha256_out[32], size_t *size,
                                             const char **why)
{
    struct curl_slist *headers = auth_header(g, a);
    CURL *curl = handle_for(g, url, headers);
    sink_t s = {.fd = fd, .max = max};
    crypto_hash_sha256_init(&s.sha);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, to_file);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 0L);
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    crypto_hash_sha256_final(&s.sha, sha256_out);
    *size = s.len;
    if (s.too_large || cc == CURLE_FILESIZE_EXCEEDED) {
        *why = laris_arena_printf(a, "the file is larger than %zu bytes", max);
        return LARIS_WA_DL_REFUSED;
    }
    if (s.write_failed) {
        *why = "the file could not be written";
        return LARIS_WA_DL_FAILED;
    }
    if (status >= 300 && status < 400) {
        *why = laris_arena_printf(a, "download: HTTP %ld redirect not followed", status);
        return LARIS_WA_DL_REFUSED;
    }
    if (cc != CURLE_OK || status != 200) {
        *why = cc != CURLE_OK ? laris_arena_printf(a, "download: %s", curl_easy_strerror(cc))
                              : laris_arena_printf(a, "download: HTTP %ld", status);
        return cc != CURLE_OK || status == 404 || transient_status(status) ? LARIS_WA_DL_TRANSIENT
                                                                           : LARIS_WA_DL_FAILED;
    }
    return LARIS_WA_DL_OK;
}

laris_rc laris_wa_media_upload(const laris_wa_graph_t *g, laris_arena_t *a,
                               const char *phone_number_id, const char *path, const char *mime,
                               const char *filename, const char **graph_id, laris_err_t *err)
{
    const char *url =
        laris_arena_printf(a, "%s/%s/%s/media", g->graph_url, g->graph_version, phone_number_id);
    struct curl_slist *headers = auth_header(g, a);
    CURL *curl = handle_for(g, url, headers);
    curl_mime *form = curl_mime_init(curl);
    curl_mimepart *part = curl_mime_addpart(form);
    curl_mime_name(part, "messaging_product");
    curl_mime_data(part, "whatsapp", CURL_ZERO_TERMINATED);
    part = curl_mime_addpart(form);
    curl_mime_name(part, "type");
    curl_mime_data(part, mime, CURL_ZERO_TERMINATED);
    part = curl_mime_addpart(form);
    curl_mime_name(part, "file");
    curl_mime_filedata(part, path); /* streamed from disk, never whole in memory */
    curl_mime_filename(part, filename);
    curl_mime_type(part, mime);
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, form);
    answer_t body = {NULL, 0};
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_mime_free(form);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    char *text = body.data ? laris_arena_strdup(a, body.data) : NULL;
    free(body.data);
    if (cc != CURLE_OK || transient_status(status)) {
        laris_log(LARIS_WARN, "media upload to Graph: %s",
                  cc != CURLE_OK ? curl_easy_strerror(cc) : "server error");
        err->retry_after = 5;
        return laris_err_set(err, LARIS_EUNAVAILABLE,
                             "WhatsApp could not be reached to upload the file; try again.");
    }
    json_t *root = text ? laris_json_adopt(a, json_loads(text, 0, NULL)) : NULL;
    const char *id = json_string_value(json_object_get(root, "id"));
    if (status == 200 && id && *id) {
        *graph_id = laris_arena_strdup(a, id);
        return LARIS_OK;
    }
    laris_wa_api_error_t e;
    laris_err_t perr;
    laris_err_init(&perr, a);
    if (text && laris_wa_api_error_parse(a, text, strlen(text), &e, &perr) == LARIS_OK) {
        laris_log(LARIS_INFO, "media upload refused: code %lld", (long long)e.code);
        return laris_err_field(err, "file", "WhatsApp refused the file (code %lld): %s",
                               (long long)e.code, e.message ? e.message : "no reason given");
    }
    return laris_err_set(err, LARIS_EUNAVAILABLE,
                         "WhatsApp's answer to the upload was unreadable.");
}
