/* laris-sim: media upload (multipart), the media URL lookup and the download URL (§5).
 *
 * The download URL imitates lookaside.fbsbx.com: /whatsapp_business/attachments/?mid=&ext=&hash=
 * on the simulator's own host, valid 5 minutes (ext is the expiry, hash an HMAC of both), and
 * like Meta's it needs the bearer token of the number that owns the media. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "laris/crypto.h"
#include "laris/log.h"
#include "sim_internal.h"

#define URL_TTL_S 300

static unsigned char url_key[crypto_auth_hmacsha256_KEYBYTES];
static bool url_key_set;

static laris_rc graph_reply(laris_req_t *req, int64_t code, const char *details)
{
    return laris_resp_json(req, laris_sim_error_http_status(code),
                           laris_sim_graph_error(code, details));
}

static const char *bearer_token(laris_req_t *req)
{
    const char *h = laris_req_env(req, "HTTP_AUTHORIZATION");
    if (h && strncasecmp(h, "Bearer ", 7) == 0)
        return h + 7;
    return laris_req_query(req, "access_token");
}

/* The number's token is given; else answers 190. The lock must be held. */
static bool token_of(laris_req_t *req, const char *phone_number_id)
{
    const char *token = bearer_token(req);
    const sim_number_t *n = sim_number_find(phone_number_id);
    if (token && n && n->access_token[0] && laris_secure_equal(token, n->access_token))
        return true;
    laris_resp_json(req, 401, laris_sim_token_error(token == NULL));
    return false;
}

/* Limits of §5.4: max bytes for a MIME type, 0 when unsupported. */
static size_t max_size(const char *mime)
{
    static const struct {
        const char *mime;
        size_t max;
    } table[] = {
        {"audio/aac", 16u << 20},
        {"audio/amr", 16u << 20},
        {"audio/mpeg", 16u << 20},
        {"audio/mp4", 16u << 20},
        {"audio/ogg", 16u << 20},
        {"text/plain", 100u << 20},
        {"application/pdf", 100u << 20},
        {"application/msword", 100u << 20},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", 100u << 20},
        {"application/vnd.ms-excel", 100u << 20},
        {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 100u << 20},
        {"application/vnd.ms-powerpoint", 100u << 20},
        {"application/vnd.openxmlformats-officedocument.presentationml.presentation", 100u << 20},
        {"image/jpeg", 5u << 20},
        {"image/png", 5u << 20},
        {"image/webp", 500u << 10},
        {"video/mp4", 16u << 20},
        {"video/3gpp", 16u << 20},
    };
    size_t len = strcspn(mime, ";");
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strlen(table[i].mime) == len && strncasecmp(mime, table[i].mime, len) == 0)
            return table[i].max;
    return 0;
}

typedef struct {
    const char *name;
    const char *content_type; /* NULL when the part has none */
    const char *data;
    size_t len;
} part_t;

/* A header parameter (name="x") inside [h, end) into the arena, or NULL. */
static const char *header_param(laris_arena_t *a, const char *h, const char *end, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = h; p + klen + 2 < end; p++) {
        if (strncasecmp(p, key, klen) == 0 && p[klen] == '=' && p[klen + 1] == '"' &&
            (p == h || p[-1] == ' ' || p[-1] == ';')) {
            const char *v = p + klen + 2;
            const char *q = memchr(v, '"', (size_t)(end - v));
            return q ? laris_arena_strndup(a, v, (size_t)(q - v)) : NULL;
        }
    }
    return NULL;
}

/* Splits a multipart/form-data body into at most max parts; returns how many, -1 if broken. */
static int parse_multipart(laris_req_t *req, part_t *parts, int max)
{
    const char *b = strstr(req->content_type, "boundary=");
    if (strncasecmp(req->content_type, "multipart/form-data", 19) != 0 || !b || !req->body)
        return -1;
    b += 9;
    size_t blen = strcspn(b, "; ");
    if (*b == '"') {
        b++;
        blen = strcspn(b, "\"");
    }
    char *delim = laris_arena_printf(req->arena, "--%.*s", (int)blen, b);
    size_t dlen = strlen(delim);
    const char *p = req->body, *end = req->body + req->body_len;
    p = memmem(p, (size_t)(end - p), delim, dlen);
    int n = 0;
    while (p && n < max) {
        p += dlen;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return n; /* the closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return -1;
        p += 2;
        const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend)
            return -1;
        const char *data = hend + 4;
        char *next_delim = laris_arena_printf(req->arena, "\r\n%s", delim);
        const char *next = memmem(data, (size_t)(end - data), next_delim, dlen + 2);
        if (!next)
            return -1;
        part_t *part = &parts[n++];
        memset(part, 0, sizeof(*part));
        part->name = header_param(req->arena, p, hend, "name");
        for (const char *line = p; line < hend;) {
            const char *eol = memmem(line, (size_t)(hend - line), "\r\n", 2);
            if (!eol)
                eol = hend;
            if ((size_t)(eol - line) > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
                const char *v = line + 13;
                while (*v == ' ')
                    v++;
                part->content_type = laris_arena_strndup(req->arena, v, (size_t)(eol - v));
            }
            line = eol + 2;
        }
        part->data = data;
        part->len = (size_t)(next - data);
        p = next + 2;
    }
    return n;
}

static const part_t *find_part(const part_t *parts, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (parts[i].name && strcmp(parts[i].name, name) == 0)
            return &parts[i];
    return NULL;
}

/* POST /{version}/{phone_number_id}/media (multipart: messaging_product, file, type) */
laris_rc sim_media_upload(laris_req_t *req)
{
    const char *pnid = laris_req_param(req, "id");
    sim_lock();
    if (!sim_number_find(pnid)) {
        laris_resp_json(req, 400, laris_sim_unknown_object_error("POST", pnid));
        goto out;
    }
    if (!token_of(req, pnid))
        goto out;
    part_t parts[8];
    int n = parse_multipart(req, parts, 8);
    if (n < 0) {
        graph_reply(req, 100, "Send the media as multipart/form-data.");
        goto out;
    }
    const part_t *product = find_part(parts, n, "messaging_product");
    const part_t *file = find_part(parts, n, "file");
    const part_t *type = find_part(parts, n, "type");
    if (!product || product->len != 8 || memcmp(product->data, "whatsapp", 8) != 0) {
        graph_reply(req, 100,
                    "The parameter messaging_product is required and must be "
                    "whatsapp.");
        goto out;
    }
    if (!file || file->len == 0) {
        graph_reply(req, 100, "The parameter file is required.");
        goto out;
    }
    const char *mime =
        type ? laris_arena_strndup(req->arena, type->data, type->len) : file->content_type;
    if (!mime || !*mime) {
        graph_reply(req, 100, "The parameter type is required.");
        goto out;
    }
    size_t limit = max_size(mime);
    if (limit == 0 || file->len > limit || sim_state.nmedia == SIM_MAX_MEDIA ||
        strlen(mime) >= sizeof(sim_state.media[0].mime_type)) {
        graph_reply(req, 131053,
                    limit == 0 ? "Unsupported media type."
                               : "The file is larger than this type allows.");
        goto out;
    }
    unsigned char *data = malloc(file->len);
    if (!data)
        abort();
    memcpy(data, file->data, file->len);
    sim_media_t *m = sim_media_add(pnid, mime, data, file->len);
    laris_resp_json(req, 200, json_pack("{s:s}", "id", m->id));
out:
    sim_unlock();
    return LARIS_OK;
}

sim_media_t *sim_media_add(const char *phone_number_id, const char *mime, unsigned char *data,
                           size_t size)
{
    if (sim_state.nmedia == SIM_MAX_MEDIA) {
        free(data);
        return NULL;
    }
    sim_media_t *m = &sim_state.media[sim_state.nmedia++];
    memset(m, 0, sizeof(*m));
    m->data = data;
    m->size = size;
    sim_new_id(m->id);
    snprintf(m->phone_number_id, sizeof(m->phone_number_id), "%s", phone_number_id);
    snprintf(m->mime_type, sizeof(m->mime_type), "%s", mime);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, m->data, m->size);
    sodium_bin2base64(m->sha256, sizeof(m->sha256), digest, sizeof(digest),
                      sodium_base64_VARIANT_ORIGINAL);
    return m;
}

static void url_hash(const char *id, long long expires, char out[65])
{
    if (!url_key_set) {
        crypto_auth_hmacsha256_keygen(url_key);
        url_key_set = true;
    }
    char msg[64];
    snprintf(msg, sizeof(msg), "%s:%lld", id, expires);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg), url_key);
    sodium_bin2hex(out, 65, mac, sizeof(mac));
}

/* The fields of a phone number that ?fields= asks for (all four when it asks for none):
 * display_phone_number formatted like Graph's ("+62 812-3456-7890" is Graph's style; here
 * "+" and the digits), verified_name, quality_rating, and always the id. */
static json_t *number_fields(laris_req_t *req, const sim_number_t *n)
{
    const char *fields = laris_req_query(req, "fields");
    json_t *out = json_pack("{s:s}", "id", n->phone_number_id);
    if (!fields || strstr(fields, "display_phone_number"))
        json_object_set_new(
            out, "display_phone_number",
            json_string(laris_arena_printf(req->arena, "+%s", n->display_phone_number)));
    if (!fields || strstr(fields, "verified_name"))
        json_object_set_new(out, "verified_name", json_string(n->verified_name));
    if (!fields || strstr(fields, "quality_rating"))
        json_object_set_new(out, "quality_rating", json_string(n->quality_rating));
    return out;
}

/* GET /{version}/{id}: a media object (?phone_number_id= must then match) or a phone number
 * (number_fields). */
laris_rc sim_object_get(laris_req_t *req)
{
    const char *id = laris_req_param(req, "id");
    int sleep_ms = 0;
    sim_lock();
    sim_media_t *m = sim_media_find(id);
    sim_number_t *n = m ? NULL : sim_number_find(id);
    if (n) { /* GET /{phone_number_id}?fields=...: the number itself, with its own token */
        if (sim_fault_take("slow"))
            sleep_ms = sim_state.slow_ms;
        if (token_of(req, n->phone_number_id))
            laris_resp_json(req, 200, number_fields(req, n));
        goto out;
    }
    if (!m) {
        laris_resp_json(req, 400, laris_sim_unknown_object_error("GET", id));
        goto out;
    }
    if (!token_of(req, m->phone_number_id))
        goto out;
    if (sim_fault_take("media_server_error")) { /* Graph's 503: try again later */
        graph_reply(req, 2, "Service temporarily unavailable.");
        goto out;
    }
    const char *pnid = laris_req_query(req, "phone_number_id");
    if (pnid && strcmp(pnid, m->phone_number_id) != 0) {
        graph_reply(req, 100, "The media does not belong to this phone_number_id.");
        goto out;
    }
    /* nginx passes HTTP_HOST without the port ($host); the server address and port are
     * where this request came in, so the URL works for whoever asked. */
    const char *addr = laris_req_env(req, "SERVER_ADDR");
    const char *port = laris_req_env(req, "SERVER_PORT");
    const char *host = addr && port ? laris_arena_printf(req->arena, "%s:%s", addr, port)
                                    : laris_req_env(req, "HTTP_HOST");
    long long expires = (long long)(sim_now_ms() / 1000) + URL_TTL_S;
    char hash[65];
    url_hash(m->id, expires, hash);
    /* Faults: a URL on another host (same port, 127.0.0.2), or a sha256 that is not the
     * file's (the base64 SHA-256 of nothing). media_server_error is above, media_redirect in
     * the download. */
    if (sim_fault_take("media_wrong_host"))
        host = port ? laris_arena_printf(req->arena, "127.0.0.2:%s", port) : "127.0.0.2";
    const char *sha = sim_fault_take("media_wrong_sha256")
                          ? "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
                          : m->sha256;
    char *url = laris_arena_printf(req->arena,
                                   "http://%s/whatsapp_business/attachments/?mid=%s&ext=%lld"
                                   "&hash=%s",
                                   host ? host : "127.0.0.1", m->id, expires, hash);
    m->lookups++;
    laris_resp_json(req, 200,
                    json_pack("{s:s,s:s,s:s,s:s,s:I,s:s}", "messaging_product", "whatsapp", "url",
                              url, "mime_type", m->mime_type, "sha256", sha, "file_size",
                              (json_int_t)m->size, "id", m->id));
out:
    sim_unlock();
    if (sleep_ms > 0)
        usleep((useconds_t)sleep_ms * 1000);
    return LARIS_OK;
}

/* GET /whatsapp_business/attachments/?mid=&ext=&hash= (with the bearer token) */
laris_rc sim_media_download(laris_req_t *req)
{
    const char *mid = laris_req_query(req, "mid");
    const char *ext = laris_req_query(req, "ext");
    const char *hash = laris_req_query(req, "hash");
    sim_lock();
    sim_media_t *m = mid ? sim_media_find(mid) : NULL;
    long long expires = ext ? strtoll(ext, NULL, 10) : 0;
    char want[65];
    if (m)
        url_hash(m->id, expires, want);
    if (!m || !hash || !laris_secure_equal(want, hash) ||
        expires < (long long)(sim_now_ms() / 1000)) {
        laris_resp_empty(req, 404);
        goto out;
    }
    if (!token_of(req, m->phone_number_id))
        goto out;
    if (sim_fault_take("media_redirect")) { /* a client that follows it leaks the token */
        laris_resp_header(req, "Location", "http://127.0.0.2/elsewhere");
        laris_resp_empty(req, 302);
        goto out;
    }
    req->status = 200;
    req->resp_content_type = NULL;
    laris_resp_header(req, "Content-Type", laris_arena_strdup(req->arena, m->mime_type));
    req->resp_body.len = 0;
    laris_buf_append(&req->resp_body, m->data, m->size);
    m->downloads++;
out:
    sim_unlock();
    return LARIS_OK;
}

/* GET /_sim/media/{id}: what the simulator holds for a media id and how often it was looked up
 * and downloaded (tests check that refused media was never fetched). */
laris_rc sim_media_show(laris_req_t *req)
{
    sim_lock();
    sim_media_t *m = sim_media_find(laris_req_param(req, "id"));
    json_t *out =
        m ? json_pack("{s:s,s:s,s:s,s:s,s:I,s:i,s:i}", "id", m->id, "phone_number_id",
                      m->phone_number_id, "mime_type", m->mime_type, "sha256", m->sha256, "size",
                      (json_int_t)m->size, "lookups", m->lookups, "downloads", m->downloads)
          : NULL;
    sim_unlock();
    if (!out)
        return laris_err_set(&req->err, LARIS_ENOTFOUND, "No media with this id.");
    return laris_resp_json(req, 200, out);
}
