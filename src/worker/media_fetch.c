/* laris-worker's inbound media fetch: claims due 'pending' media rows (media_claim), asks Graph
 * for the file's URL (GET /{media-id} with the number's token), refuses a URL on any other
 * scheme, host or port than LARIS_GRAPH_URL and a declared size over 100 MB before fetching
 * anything, downloads with the bearer token into a temporary file (size-capped while it
 * downloads, no redirects), checks the base64 sha256 Graph gave, and renames the file to its
 * content-addressed name under LARIS_MEDIA_DIR. Transient errors retry with backoff
 * (FETCH_ATTEMPTS in all); a wrong host, a hash mismatch or a file too large is 'refused' and
 * never retried. Tokens are never logged. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "laris/crypto.h"
#include "laris/log.h"
#include "laris/wa.h"
#include "laris/worker.h"

#define FETCH_BATCH      4
#define FETCH_ATTEMPTS   5
#define FETCH_TIMEOUT_MS 120000L

typedef struct {
    const char *status; /* stored, pending, failed, refused */
    const char *mime;
    const char *sha256_hex;
    size_t size;
    const char *path;
    const char *error;
    int retry_seconds;
} fetch_outcome_t;

/* The access token of a claimed row (arena), or NULL when it cannot be opened. */
static const char *open_token(laris_worker_t *w, laris_arena_t *a, const char *token_hex)
{
    if (!token_hex || !w->config->secret_key_set)
        return NULL;
    size_t hex_len = strlen(token_hex), sealed_len = 0, len = 0;
    unsigned char *sealed = laris_arena_alloc(a, hex_len / 2 + 1);
    unsigned char *token = NULL;
    if (sodium_hex2bin(sealed, hex_len / 2 + 1, token_hex, hex_len, NULL, &sealed_len, NULL) ||
        !laris_secret_open(w->config->secret_key, sealed, sealed_len, a, &token, &len))
        return NULL;
    char *text = laris_arena_alloc(a, len + 1);
    memcpy(text, token, len);
    text[len] = '\0';
    sodium_memzero(token, len);
    return text;
}

static void transient(fetch_outcome_t *out, int attempts, const char *why)
{
    out->error = why;
    if (attempts >= FETCH_ATTEMPTS) {
        out->status = "failed";
        return;
    }
    out->status = "pending";
    out->retry_seconds = 5 << (attempts - 1); /* 5 s, 10 s, 20 s, 40 s */
}

/* Fetches one media file; fills *out. */
static void fetch(laris_worker_t *w, laris_arena_t *a, const char *graph_media_id, int attempts,
                  const char *phone_number_id, const char *token, fetch_outcome_t *out)
{
    laris_wa_graph_t g = {
        .graph_url = w->graph_url,
        .graph_version = w->graph_version,
        .token = token,
        .timeout_ms = FETCH_TIMEOUT_MS,
    };
    laris_wa_media_info_t info;
    laris_wa_media_lookup(&g, a, graph_media_id, phone_number_id, &info);
    if (!info.url) {
        if (info.transient)
            transient(out, attempts, info.error);
        else {
            out->status = "failed";
            out->error = info.error;
        }
        return;
    }
    out->mime = info.mime_type;
    if (info.file_size > (long long)LARIS_WA_MEDIA_INBOUND_MAX) {
        out->status = "refused";
        out->error = laris_arena_printf(a, "the file is %lld bytes, more than %zu", info.file_size,
                                        LARIS_WA_MEDIA_INBOUND_MAX);
        return;
    }
    if (!laris_wa_media_url_allowed(info.url, w->graph_url)) {
        out->status = "refused";
        out->error = "the media URL is not on the configured Graph host; not fetched";
        laris_log(LARIS_WARN, "media %s: URL on another host refused", graph_media_id);
        return;
    }
    unsigned char want[crypto_hash_sha256_BYTES];
    size_t want_len = 0;
    if (sodium_base642bin(want, sizeof(want), info.sha256, strlen(info.sha256), NULL, &want_len,
                          NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        want_len != sizeof(want)) {
        out->status = "refused";
        out->error = "Graph's sha256 is not a base64 SHA-256";
        return;
    }
    const char *tmp;
    int fd = laris_wa_media_tmp_open(a, w->config->media_dir, &tmp);
    if (fd < 0) {
        transient(out, attempts, "the media directory cannot be written");
        return;
    }
    unsigned char got[crypto_hash_sha256_BYTES];
    const char *why = NULL;
    laris_wa_download_rc rc = laris_wa_media_download(
        &g, a, info.url, fd, LARIS_WA_MEDIA_INBOUND_MAX, got, &out->size, &why);
    close(fd);
    if (rc != LARIS_WA_DL_OK) {
        unlink(tmp);
        if (rc == LARIS_WA_DL_TRANSIENT)
            transient(out, attempts, why);
        else {
            out->status = rc == LARIS_WA_DL_REFUSED ? "refused" : "failed";
            out->error = why;
        }
        return;
    }
    if (sodium_memcmp(got, want, sizeof(got)) != 0) {
        unlink(tmp);
        out->status = "refused";
        out->error = "the file's sha256 does not match Graph's";
        laris_log(LARIS_WARN, "media %s: sha256 mismatch, refused", graph_media_id);
        return;
    }
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof(hex), got, sizeof(got));
    if (!laris_wa_media_commit(a, w->config->media_dir, tmp, hex, &out->path)) {
        transient(out, attempts, "the file could not be stored");
        return;
    }
    out->status = "stored";
    out->sha256_hex = laris_arena_strdup(a, hex);
}

int laris_media_fetch_round(laris_worker_t *w, laris_arena_t *a)
{
    laris_err_t err;
    laris_err_init(&err, a);
    laris_db_set_tenant(w->db, 0);
    const char *params[1] = {laris_arena_printf(a, "%d", FETCH_BATCH)};
    PGresult *res;
    laris_rc rc = laris_db_query(w->db, a, LARIS_SQL_WORKER_MEDIA_CLAIM, 1, params, &res, &err);
    laris_rc finish = laris_db_finish(w->db, rc == LARIS_OK, &err);
    if (rc != LARIS_OK || finish != LARIS_OK) {
        laris_log(LARIS_WARN, "media claim: %s", err.detail ? err.detail : "failed");
        return 0;
    }
    int n = PQntuples(res);
    for (int i = 0; i < n && !*w->stop; i++) {
        const char *tenant = laris_db_value(res, i, "tenant_id");
        const char *media = laris_db_value(res, i, "media_id");
        int attempts = (int)laris_db_int(res, i, "attempts");
        fetch_outcome_t out = {0};
        const char *token = open_token(w, a, laris_db_value(res, i, "token"));
        if (!token) {
            out.status = "failed";
            out.error = "this number's access token cannot be used";
        } else {
            fetch(w, a, laris_db_value(res, i, "graph_media_id"), attempts,
                  laris_db_value(res, i, "phone_number_id"), token, &out);
            sodium_memzero((void *)token, strlen(token));
        }
        const char *result[9] = {
            tenant,
            media,
            out.status,
            out.mime,
            out.sha256_hex,
            out.size > 0 || out.sha256_hex ? laris_arena_printf(a, "%zu", out.size) : NULL,
            out.path,
            out.error,
            laris_arena_printf(a, "%d", out.retry_seconds),
        };
        laris_err_init(&err, a);
        laris_db_set_tenant(w->db, 0);
        rc = laris_db_query(w->db, a, LARIS_SQL_WORKER_MEDIA_RESULT, 9, result, NULL, &err);
        finish = laris_db_finish(w->db, rc == LARIS_OK, &err);
        if (rc != LARIS_OK || finish != LARIS_OK)
            laris_log(LARIS_WARN, "media result: %s", err.detail ? err.detail : "failed");
        else
            laris_log(LARIS_INFO, "media %s of tenant %s: %s", media, tenant, out.status);
    }
    return n;
}
