/* Media files of a tenant: agents' uploads (checked against Meta's types and limits, stored by
 * content under the media directory, uploaded to Graph for a reply), the stored file a route
 * serves, and the media of a page of messages. File names from input are only ever shown
 * (sanitized), never used on disk. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "laris/buf.h"
#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/json.h"
#include "laris/log.h"

#define HEAD_BYTES 32
#define COPY_CHUNK ((size_t)64 * 1024)

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

static laris_rc query(laris_ctx_t *ctx, laris_sql_id id, int n, const char *const *params,
                      PGresult **out)
{
    return laris_db_query(ctx->db, ctx->arena, id, n, params, out, ctx->err);
}

static void close_fd(void *fd)
{
    close(*(int *)fd);
}

static json_t *media_json(laris_arena_t *a, const PGresult *res, int row)
{
    const char *mime = laris_db_value(res, row, "mime_type");
    const laris_wa_media_type_t *t = laris_wa_media_type(mime);
    const char *graph_id = laris_db_value(res, row, "graph_media_id");
    const char *filename = laris_db_value(res, row, "filename");
    int64_t id = laris_db_int(res, row, "id");
    return json_pack(
        "{s:I,s:o,s:o,s:o,s:I,s:o,s:o,s:s,s:s}", "id", (json_int_t)id, "graph_media_id",
        graph_id ? json_string(graph_id) : json_null(), "type",
        t ? json_string(t->kind) : json_null(), "mime_type", mime ? json_string(mime) : json_null(),
        "size", (json_int_t)laris_db_int(res, row, "size"), "sha256",
        laris_db_value(res, row, "sha256") ? json_string(laris_db_value(res, row, "sha256"))
                                           : json_null(),
        "filename", filename ? json_string(laris_wa_media_filename(a, filename)) : json_null(),
        "status", laris_db_value(res, row, "status"), "url",
        laris_arena_printf(a, "/api/v1/media/%lld", (long long)id));
}

/* Copies the upload (in memory, or the file src) into dst, hashing it into sha. */
static laris_rc copy_in(laris_ctx_t *ctx, const laris_media_upload_t *in, int src, int dst,
                        unsigned char sha[32])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    if (src < 0) {
        for (size_t done = 0; done < in->body_len;) {
            ssize_t w = write(dst, in->body + done, in->body_len - done);
            if (w <= 0)
                return laris_err_set(ctx->err, LARIS_EUNAVAILABLE, "The file cannot be stored.");
            done += (size_t)w;
        }
        crypto_hash_sha256_update(&st, (const unsigned char *)in->body, in->body_len);
    } else {
        char *buf = laris_arena_alloc(ctx->arena, COPY_CHUNK);
        lseek(src, 0, SEEK_SET);
        for (;;) {
            ssize_t r = read(src, buf, COPY_CHUNK);
            if (r < 0)
                return laris_err_set(ctx->err, LARIS_EUNAVAILABLE, "The upload cannot be read.");
            if (r == 0)
                break;
            for (ssize_t done = 0; done < r;) {
                ssize_t w = write(dst, buf + done, (size_t)(r - done));
                if (w <= 0)
                    return laris_err_set(ctx->err, LARIS_EUNAVAILABLE,
                                         "The file cannot be stored.");
                done += w;
            }
            crypto_hash_sha256_update(&st, (const unsigned char *)buf, (size_t)r);
        }
    }
    crypto_hash_sha256_final(&st, sha);
    return LARIS_OK;
}

/* Checks type, size and content; *type and *size filled. src is the body file or -1. */
static laris_rc check_upload(laris_ctx_t *ctx, const laris_media_upload_t *in, int src,
                             const laris_wa_media_type_t **type, size_t *size)
{
    const laris_wa_media_type_t *t = laris_wa_media_type(in->mime);
    if (!t)
        return laris_err_set(ctx->err, LARIS_EMEDIATYPE,
                             "WhatsApp does not accept this file type. Send a JPEG or PNG image, "
                             "an MP4 or 3GPP video, AAC, AMR, MP3, M4A or OGG audio, a PDF, "
                             "Office or text document, or a WebP sticker.");
    unsigned char head[HEAD_BYTES];
    size_t head_len;
    if (src >= 0) {
        struct stat sb;
        if (fstat(src, &sb) != 0)
            return laris_err_set(ctx->err, LARIS_EUNAVAILABLE, "The upload cannot be read.");
        *size = (size_t)sb.st_size;
        ssize_t r = pread(src, head, sizeof(head), 0);
        head_len = r > 0 ? (size_t)r : 0;
    } else {
        *size = in->body ? in->body_len : 0;
        head_len = *size < sizeof(head) ? *size : sizeof(head);
        if (head_len)
            memcpy(head, in->body, head_len);
    }
    if (*size == 0)
        return laris_err_field(ctx->err, "body", "is empty: send the file as the request body");
    size_t limit = laris_wa_media_limit(t, head, head_len);
    if (*size > limit)
        return laris_err_set(ctx->err, LARIS_ETOOLARGE,
                             "WhatsApp takes a %s of type %s up to %zu bytes; this one has %zu.",
                             t->kind, t->mime, limit, *size);
    if (!laris_wa_media_magic_ok(t, head, head_len))
        return laris_err_field(ctx->err, "body", "is not a %s file", t->mime);
    *type = t;
    return LARIS_OK;
}

/* The number to upload for (*number_id, as text), its phone_number_id and access token. */
static laris_rc upload_number(laris_ctx_t *ctx, int64_t wa_number_id, const char **number_id,
                              const char **pnid, const char **token)
{
    const char *params[1] = {wa_number_id > 0 ? int_text(ctx->arena, wa_number_id) : NULL};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_MEDIA_UPLOAD_NUMBER, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_field(ctx->err, "wa_number_id", "no connected WhatsApp number%s",
                               wa_number_id > 0 ? " with this id" : "");
    *number_id = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "id"));
    *pnid = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "phone_number_id"));
    unsigned char *plain = NULL;
    size_t len = 0;
    if (!ctx->config->secret_key_set ||
        !laris_secret_open_hex(ctx->config->secret_key, laris_db_value(res, 0, "token"), ctx->arena,
                               &plain, &len))
        return laris_err_field(ctx->err, "wa_number_id",
                               "this number's access token cannot be used; connect it again");
    *token = (const char *)plain; /* NUL-terminated by laris_secret_open */
    return LARIS_OK;
}

laris_rc laris_media_upload(laris_ctx_t *ctx, const laris_media_upload_t *in, json_t **out)
{
    int src = -1;
    if (in->body_file) {
        src = open(in->body_file, O_RDONLY | O_CLOEXEC);
        if (src < 0) {
            laris_log(LARIS_ERROR, "upload body file: %s", strerror(errno));
            return laris_err_set(ctx->err, LARIS_EUNAVAILABLE, "The upload cannot be read.");
        }
        int *held = LARIS_NEW(ctx->arena, int);
        *held = src;
        laris_arena_defer(ctx->arena, close_fd, held);
    }
    const laris_wa_media_type_t *t = NULL;
    size_t size = 0;
    laris_rc rc = check_upload(ctx, in, src, &t, &size);
    const char *number_id = NULL, *pnid = NULL, *token = NULL;
    if (rc == LARIS_OK)
        rc = upload_number(ctx, in->wa_number_id, &number_id, &pnid, &token);
    /* The copy and the Graph upload take seconds: no transaction stays open meanwhile. */
    if (rc == LARIS_OK)
        rc = laris_db_commit_step(ctx->db, ctx->err);
    if (rc != LARIS_OK || !t || !token)
        return rc != LARIS_OK ? rc : LARIS_EINTERNAL;

    const char *dir = ctx->config->media_dir, *tmp, *rel;
    int dst = laris_wa_media_tmp_open(ctx->arena, dir, &tmp);
    if (dst < 0)
        return laris_err_set(ctx->err, LARIS_EUNAVAILABLE, "The file cannot be stored now.");
    unsigned char sha[32];
    rc = copy_in(ctx, in, src, dst, sha);
    close(dst);
    char hex[65];
    sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));
    if (rc != LARIS_OK) {
        unlink(tmp);
        return rc;
    }
    if (!laris_wa_media_commit(ctx->arena, dir, tmp, hex, &rel))
        return laris_err_set(ctx->err, LARIS_EUNAVAILABLE, "The file cannot be stored now.");

    const char *filename = laris_wa_media_filename(ctx->arena, in->filename);
    laris_wa_graph_t g = {
        .graph_url = ctx->config->graph_url,
        .graph_version = ctx->config->graph_version,
        .token = token,
        .timeout_ms = 60000,
    };
    const char *graph_id = NULL;
    rc = laris_wa_media_upload(&g, ctx->arena, pnid,
                               laris_arena_printf(ctx->arena, "%s/%s", dir, rel), t->mime, filename,
                               &graph_id, ctx->err);
    sodium_memzero((void *)token, strlen(token));
    if (rc != LARIS_OK)
        return rc;
    const char *params[8] = {
        number_id, graph_id,
        t->mime,   in->filename ? filename : NULL,
        hex,       laris_arena_printf(ctx->arena, "%zu", size),
        rel,       int_text(ctx->arena, ctx->user_id),
    };
    PGresult *res;
    rc = query(ctx, LARIS_SQL_MEDIA_UPLOAD_INSERT, 8, params, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = media_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_media_file(laris_ctx_t *ctx, int64_t id, laris_media_file_t *out)
{
    const char *params[1] = {int_text(ctx->arena, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_MEDIA_GET, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such file.");
    const char *status = laris_db_value(res, 0, "status");
    if (strcmp(status, "stored") != 0)
        return laris_err_set(ctx->err, LARIS_ECONFLICT, "The file is not available (%s).", status);
    const laris_wa_media_type_t *t = laris_wa_media_type(laris_db_value(res, 0, "mime_type"));
    out->path = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "path"));
    out->content_type = t ? t->mime : "application/octet-stream";
    out->inline_ok = t && t->inline_ok;
    const char *name = laris_db_value(res, 0, "filename");
    out->filename =
        name ? laris_wa_media_filename(ctx->arena, name)
             : laris_arena_printf(ctx->arena, "%s-%lld", t ? t->kind : "file", (long long)id);
    return LARIS_OK;
}

laris_rc laris_media_attach(laris_ctx_t *ctx, json_t *items)
{
    size_t n = json_array_size(items);
    if (n == 0)
        return LARIS_OK;
    laris_buf_t ids;
    laris_buf_init(&ids, ctx->arena);
    laris_buf_puts(&ids, "{");
    for (size_t i = 0; i < n; i++)
        laris_buf_printf(
            &ids, "%s%lld", i ? "," : "",
            (long long)json_integer_value(json_object_get(json_array_get(items, i), "id")));
    laris_buf_puts(&ids, "}");
    const char *params[1] = {laris_buf_cstr(&ids)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_MEDIA_OF_MESSAGES, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    for (int r = 0; r < PQntuples(res); r++) {
        int64_t message_id = laris_db_int(res, r, "message_id");
        for (size_t i = 0; i < n; i++) {
            json_t *m = json_array_get(items, i);
            if (json_integer_value(json_object_get(m, "id")) != message_id)
                continue;
            int64_t id = laris_db_int(res, r, "id");
            const char *mime = laris_db_value(res, r, "mime_type");
            const char *size = laris_db_value(res, r, "size");
            json_object_set_new(
                m, "media",
                json_pack("{s:I,s:o,s:o,s:s,s:s}", "id", (json_int_t)id, "mime_type",
                          mime ? json_string(mime) : json_null(), "size",
                          size ? json_integer(laris_db_int(res, r, "size")) : json_null(), "status",
                          laris_db_value(res, r, "status"), "url",
                          laris_arena_printf(ctx->arena, "/api/v1/media/%lld", (long long)id)));
        }
    }
    return LARIS_OK;
}
