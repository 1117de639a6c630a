/* Integration: media in and out. A customer sends an image, document, audio, video or sticker
 * through laris-sim (/_sim/inbound with the file); laris-worker looks it up and downloads it from
 * laris-sim with the number's token, checks the sha256 and stores it; an agent gets the bytes
 * through nginx (X-Accel-Redirect to an internal location) with the right headers. Refusals: a
 * URL on another host (never fetched: laris-sim's download count stays 0), a wrong sha256, a
 * file over 100 MB. Uploads: every type's limit (413), unsupported types (415), empty or
 * mislabelled files (422), hostile file names, CSRF, other tenants (404), and a successful upload
 * whose Graph media id laris-sim knows with the same bytes. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "db.h"
#include "procs.h"
#include "sim_control.h"

#define KiB ((size_t)1024)
#define MiB (KiB * 1024)

static PGconn *conn;
static itest_client_t *owner, *other;
static itest_user_t owner_user, other_user;
static char pnid[20], customer[20], token[64];

static void setup(void)
{
    const char *url = getenv("LARIS_DATABASE_SUPER_URL");
    cr_assert_not_null(url, "LARIS_DATABASE_SUPER_URL is not set (source the stack.env)");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    PQclear(itest_sql(conn, "SET client_min_messages = warning"));

    const char *secret = getenv("LARIS_META_APP_SECRET");
    char hook[512];
    snprintf(hook, sizeof(hook), "%s/webhooks/whatsapp", getenv("LARIS_URL"));
    long status;
    json_decref(itest_sim("PUT", "/_sim/config",
                          json_pack("{s:s,s:s}", "webhook_url", hook, "app_secret",
                                    secret && *secret ? secret : "laris-fixture-app-secret"),
                          &status));
    cr_assert_eq(status, 200);

    itest_random_digits(pnid, 15);
    char waba[20], hex[41];
    itest_random_digits(waba, 15);
    itest_random_hex(hex, 20);
    snprintf(token, sizeof(token), "EAAT%s", hex);
    itest_random_digits(customer, 12);
    customer[0] = '6', customer[1] = '2', customer[2] = '8';
    json_decref(itest_sim("POST", "/_sim/numbers",
                          json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "waba_id", waba,
                                    "display_phone_number", "6281234567890", "access_token", token),
                          &status));
    cr_assert_eq(status, 201);
    owner = itest_owner_session(&owner_user);
    itest_resp_t *r =
        itest_request(owner, "POST", "/api/v1/wa-numbers",
                      json_pack("{s:s,s:s,s:s,s:s}", "phone_number_id", pnid, "waba_id", waba,
                                "display_phone_number", "0812-3456-7890", "access_token", token),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    other = itest_owner_session(&other_user);
}

static void teardown(void)
{
    itest_client_free(owner);
    itest_client_free(other);
    PQfinish(conn);
}

TestSuite(media, .init = setup, .fini = teardown, .timeout = 180);

/* len bytes: the signature head, then random bytes. Caller frees. */
static unsigned char *file_bytes(const char *head, size_t head_len, size_t len)
{
    unsigned char *b = malloc(len);
    cr_assert_not_null(b);
    randombytes_buf(b, len);
    memcpy(b, head, head_len < len ? head_len : len);
    return b;
}

static void sha_hex(const unsigned char *data, size_t len, char out[65])
{
    unsigned char d[32];
    crypto_hash_sha256(d, data, len);
    sodium_bin2hex(out, 65, d, sizeof(d));
}

static void sha_b64(const unsigned char *data, size_t len, char out[48])
{
    unsigned char d[32];
    crypto_hash_sha256(d, data, len);
    sodium_bin2base64(out, 48, d, sizeof(d), sodium_base64_VARIANT_ORIGINAL);
}

/* The customer sends a file (data/len, or size bytes made by laris-sim when data is NULL);
 * returns laris-sim's media id (static buffer). extra: more members of the type's object. */
static const char *inject(const char *type, const char *mime, const unsigned char *data, size_t len,
                          json_t *extra)
{
    json_t *obj = extra ? extra : json_object();
    json_object_set_new(obj, "mime_type", json_string(mime));
    if (data) {
        size_t b64len = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = malloc(b64len);
        cr_assert_not_null(b64);
        sodium_bin2base64(b64, b64len, data, len, sodium_base64_VARIANT_ORIGINAL);
        json_object_set_new(obj, "data_base64", json_string(b64));
        free(b64);
    } else {
        json_object_set_new(obj, "size", json_integer((json_int_t)len));
    }
    long status;
    json_t *out = itest_sim("POST", "/_sim/inbound",
                            json_pack("{s:s,s:s,s:s,s:o}", "phone_number_id", pnid, "from",
                                      customer, "type", type, type, obj),
                            &status);
    cr_assert_eq(status, 201);
    static char id[32];
    const char *got = json_string_value(json_object_get(out, "media_id"));
    cr_assert_not_null(got, "laris-sim made no media");
    snprintf(id, sizeof(id), "%s", got);
    json_decref(out);
    return id;
}

/* Waits for the media row of graph media id to leave 'pending'; returns its id, and its status
 * into status (64 bytes). */
static long long wait_media(const char *graph_id, char *status)
{
    for (int i = 0; i < 200; i++) {
        PGresult *res = itest_sql(conn,
                                  "SELECT id, status FROM media WHERE tenant_id = %lld AND "
                                  "graph_media_id = '%s' AND status <> 'pending'",
                                  owner_user.tenant_id, graph_id);
        if (PQntuples(res) == 1) {
            long long id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
            snprintf(status, 64, "%s", PQgetvalue(res, 0, 1));
            PQclear(res);
            return id;
        }
        PQclear(res);
        itest_sleep_ms(100);
    }
    cr_assert_fail("media %s was never fetched", graph_id);
    return -1;
}

static json_t *sim_media(const char *graph_id)
{
    char path[96];
    snprintf(path, sizeof(path), "/_sim/media/%s", graph_id);
    long status;
    json_t *m = itest_sim("GET", path, NULL, &status);
    cr_assert_eq(status, 200);
    return m;
}

static long long sim_downloads(const char *graph_id)
{
    json_t *m = sim_media(graph_id);
    long long n = (long long)json_integer_value(json_object_get(m, "downloads"));
    json_decref(m);
    return n;
}

static const char *media_path(long long id)
{
    static char path[64];
    snprintf(path, sizeof(path), "/api/v1/media/%lld", id);
    return path;
}

typedef struct {
    const char *type;
    const char *mime;
    const char *head;
    size_t head_len;
    size_t len;
} kind_t;

static const kind_t kinds[] = {
    {"image", "image/png", "\x89PNG\r\n\x1a\n", 8, 70000},
    {"document", "application/pdf", "%PDF-1.7\n", 9, 150000},
    {"audio", "audio/ogg", "OggS", 4, 30000},
    {"video", "video/mp4",
     "\0\0\0\x18"
     "ftypmp42",
     12, 180000},
    {"sticker", "image/webp", "RIFF\0\0\0\0WEBPVP8 ", 16, 20000},
};

Test(media, inbound_types_fetched_checked_and_served)
{
    const char *dir = getenv("LARIS_MEDIA_DIR");
    cr_assert(dir && *dir, "LARIS_MEDIA_DIR is not set (source the stack.env)");
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        const kind_t *kd = &kinds[k];
        unsigned char *data = file_bytes(kd->head, kd->head_len, kd->len);
        json_t *extra = strcmp(kd->type, "document") == 0
                            ? json_pack("{s:s}", "filename", "../../etc/\"evil\"\r\nX-Bad: 1.pdf")
                            : NULL;
        const char *graph_id = inject(kd->type, kd->mime, data, kd->len, extra);
        char status[64];
        long long id = wait_media(graph_id, status);
        cr_assert_str_eq(status, "stored", "%s: %s", kd->type, status);

        char hex[65];
        sha_hex(data, kd->len, hex);
        PGresult *res = itest_sql(conn,
                                  "SELECT sha256, size, path FROM media WHERE id = %lld "
                                  "AND tenant_id = %lld",
                                  id, owner_user.tenant_id);
        cr_assert_str_eq(PQgetvalue(res, 0, 0), hex, "%s: sha256", kd->type);
        cr_assert_eq(strtoll(PQgetvalue(res, 0, 1), NULL, 10), (long long)kd->len);
        char file[1024];
        snprintf(file, sizeof(file), "%s/%s", dir, PQgetvalue(res, 0, 2));
        PQclear(res);
        FILE *f = fopen(file, "rb");
        cr_assert_not_null(f, "%s is not on disk", file);
        fclose(f);
        cr_assert_eq(sim_downloads(graph_id), 1);

        itest_resp_t *r = itest_request(owner, "GET", media_path(id), NULL, NULL);
        cr_assert_eq(r->status, 200, "%s: %ld %s", kd->type, r->status, r->body);
        cr_assert_eq(r->body_len, kd->len, "%s: served %zu bytes", kd->type, r->body_len);
        cr_assert(memcmp(r->body, data, kd->len) == 0, "%s: bytes differ", kd->type);
        cr_assert_str_eq(itest_header(r, "Content-Type"), kd->mime);
        cr_assert_str_eq(itest_header(r, "X-Content-Type-Options"), "nosniff");
        cr_assert_null(itest_header(r, "X-Accel-Redirect"), "the internal path leaks");
        const char *cd = itest_header(r, "Content-Disposition");
        cr_assert_not_null(cd);
        if (strcmp(kd->type, "document") == 0) {
            cr_assert(strncmp(cd, "attachment; filename=\"", 22) == 0, "%s", cd);
            cr_assert_null(strchr(cd + 22, '/'), "%s", cd);
            cr_assert_eq(strchr(cd + 22, '"'), cd + strlen(cd) - 1, "%s", cd);
            cr_assert_null(itest_header(r, "X-Bad"));
        } else {
            cr_assert(strncmp(cd, "inline; filename=\"", 18) == 0, "%s", cd);
        }
        free(data);
    }
}

Test(media, history_shows_media_and_other_tenants_get_404)
{
    unsigned char *data = file_bytes("\xff\xd8\xff", 3, 5000);
    const char *graph_id = inject("image", "image/jpeg", data, 5000, NULL);
    char status[64];
    long long id = wait_media(graph_id, status);
    cr_assert_str_eq(status, "stored");
    long long conv = itest_sql_int(conn,
                                   "SELECT m.conversation_id FROM messages m JOIN media d ON "
                                   "d.tenant_id = m.tenant_id AND d.message_id = m.id "
                                   "WHERE d.id = %lld",
                                   id);
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/conversations/%lld/messages?limit=200", conv);
    itest_resp_t *r = itest_request(owner, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = itest_get(r, "items");
    bool found = false;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *media = json_object_get(json_array_get(items, i), "media");
        if (json_integer_value(json_object_get(media, "id")) != id)
            continue;
        found = true;
        cr_assert_str_eq(json_string_value(json_object_get(media, "mime_type")), "image/jpeg");
        cr_assert_eq(json_integer_value(json_object_get(media, "size")), 5000);
        cr_assert_str_eq(json_string_value(json_object_get(media, "status")), "stored");
        cr_assert_str_eq(json_string_value(json_object_get(media, "url")), media_path(id));
    }
    cr_assert(found, "the message has no media: %s", r->body);

    r = itest_request(other, "GET", media_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    itest_client_t *anon = itest_client_new();
    r = itest_request(anon, "GET", media_path(id), NULL, NULL);
    itest_assert_problem(r, 401, NULL);
    itest_client_free(anon);
    r = itest_request(owner, "GET", "/api/v1/media/0", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(owner, "GET", "/api/v1/media/abc", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    r = itest_request(owner, "GET", "/api/v1/media/99999999999999999999", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    /* the internal location cannot be reached from outside, even with a file's own path */
    char direct[160];
    PGresult *res = itest_sql(conn, "SELECT path FROM media WHERE id = %lld", id);
    snprintf(direct, sizeof(direct), "/_media/%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    r = itest_request(owner, "GET", direct, NULL, NULL);
    cr_assert_eq(r->status, 404);
    free(data);
}

/* A refused fetch: status refused, nothing served, no file. */
static void assert_refused(const char *graph_id, const char *why)
{
    char status[64];
    long long id = wait_media(graph_id, status);
    cr_assert_str_eq(status, "refused", "%s: %s", why, status);
    cr_assert_eq(
        itest_sql_int(conn, "SELECT count(*) FROM media WHERE id = %lld AND path IS NULL", id), 1);
    itest_resp_t *r = itest_request(owner, "GET", media_path(id), NULL, NULL);
    itest_assert_problem(r, 409, NULL);
}

Test(media, url_on_another_host_is_never_fetched)
{
    long status;
    json_decref(itest_sim("POST", "/_sim/faults",
                          json_pack("{s:s,s:i}", "mode", "media_wrong_host", "count", 1), &status));
    cr_assert_eq(status, 200);
    unsigned char *data = file_bytes("\x89PNG\r\n\x1a\n", 8, 4000);
    const char *graph_id = inject("image", "image/png", data, 4000, NULL);
    assert_refused(graph_id, "wrong host");
    json_t *m = sim_media(graph_id);
    cr_assert_eq(json_integer_value(json_object_get(m, "lookups")), 1);
    cr_assert_eq(json_integer_value(json_object_get(m, "downloads")), 0, "it was fetched");
    json_decref(m);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM media WHERE graph_media_id = '%s' AND "
                               "error LIKE '%%host%%'",
                               graph_id),
                 1);
    free(data);
}

Test(media, wrong_sha256_is_refused)
{
    long status;
    json_decref(itest_sim("POST", "/_sim/faults",
                          json_pack("{s:s,s:i}", "mode", "media_wrong_sha256", "count", 1),
                          &status));
    cr_assert_eq(status, 200);
    unsigned char *data = file_bytes("%PDF-", 5, 9000);
    const char *graph_id = inject("document", "application/pdf", data, 9000, NULL);
    assert_refused(graph_id, "wrong sha256");
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM media WHERE graph_media_id = '%s' AND "
                               "error LIKE '%%sha256%%'",
                               graph_id),
                 1);
    free(data);
}

Test(media, redirect_is_not_followed)
{
    long status;
    json_decref(itest_sim("POST", "/_sim/faults",
                          json_pack("{s:s,s:i}", "mode", "media_redirect", "count", 1), &status));
    cr_assert_eq(status, 200);
    unsigned char *data = file_bytes("OggS", 4, 3000);
    const char *graph_id = inject("audio", "audio/ogg", data, 3000, NULL);
    assert_refused(graph_id, "redirect");
    cr_assert_eq(sim_downloads(graph_id), 0);
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM media WHERE graph_media_id = '%s' AND "
                               "error LIKE '%%redirect%%'",
                               graph_id),
                 1);
    free(data);
}

Test(media, transient_graph_error_is_retried)
{
    long status;
    json_decref(itest_sim("POST", "/_sim/faults",
                          json_pack("{s:s,s:i}", "mode", "media_server_error", "count", 1),
                          &status));
    cr_assert_eq(status, 200);
    unsigned char *data = file_bytes("\xff\xd8\xff", 3, 6000);
    const char *graph_id = inject("image", "image/jpeg", data, 6000, NULL);
    char st[64];
    long long id = wait_media(graph_id, st);
    cr_assert_str_eq(st, "stored", "%s", st);
    cr_assert_eq(itest_sql_int(conn, "SELECT attempts FROM media WHERE id = %lld", id), 2,
                 "stored at the second attempt, after the 503");
    json_t *m = sim_media(graph_id);
    cr_assert_eq(json_integer_value(json_object_get(m, "lookups")), 1, "the 503 is no lookup");
    cr_assert_eq(json_integer_value(json_object_get(m, "downloads")), 1);
    json_decref(m);
    free(data);
}

Test(media, over_100_mb_is_refused_unfetched)
{
    const char *graph_id = inject("video", "video/mp4", NULL, 100 * MiB + 1, NULL);
    assert_refused(graph_id, "too large");
    cr_assert_eq(sim_downloads(graph_id), 0);
}

/* POST /api/v1/media as c with a raw body. */
static itest_resp_t *upload(itest_client_t *c, const char *query, const char *mime,
                            const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof(path), "/api/v1/media%s", query ? query : "");
    return itest_request_raw(c, "POST", path, mime, data, len, NULL);
}

static long long count_media(long long tenant)
{
    return itest_sql_int(conn, "SELECT count(*) FROM media WHERE tenant_id = %lld", tenant);
}

Test(media, upload_succeeds_and_graph_has_the_file)
{
    unsigned char *data = file_bytes("\x89PNG\r\n\x1a\n", 8, 300000);
    itest_resp_t *r = upload(owner, "?filename=foto%20toko.png", "image/png", data, 300000);
    cr_assert_eq(r->status, 201, "%s", r->body);
    const char *graph_id = itest_get_str(r, "graph_media_id");
    cr_assert_str_eq(itest_get_str(r, "type"), "image");
    cr_assert_str_eq(itest_get_str(r, "filename"), "foto toko.png");
    cr_assert_eq(itest_get_int(r, "size"), 300000);
    char hex[65], b64[48];
    sha_hex(data, 300000, hex);
    sha_b64(data, 300000, b64);
    cr_assert_str_eq(itest_get_str(r, "sha256"), hex);
    long long id = itest_get_int(r, "id");
    cr_assert_eq(itest_sql_int(conn,
                               "SELECT count(*) FROM media d JOIN wa_numbers n ON n.tenant_id = "
                               "d.tenant_id AND n.id = d.wa_number_id WHERE d.id = %lld AND "
                               "d.tenant_id = %lld AND n.phone_number_id = '%s' AND "
                               "d.direction = 'out' AND d.status = 'stored'",
                               id, owner_user.tenant_id, pnid),
                 1, "the upload is recorded with its number");

    json_t *m = sim_media(graph_id);
    cr_assert_str_eq(json_string_value(json_object_get(m, "sha256")), b64);
    cr_assert_str_eq(json_string_value(json_object_get(m, "phone_number_id")), pnid);
    cr_assert_str_eq(json_string_value(json_object_get(m, "mime_type")), "image/png");
    json_decref(m);

    r = itest_request(owner, "GET", media_path(id), NULL, NULL);
    cr_assert_eq(r->status, 200);
    cr_assert_eq(r->body_len, 300000);
    cr_assert(memcmp(r->body, data, 300000) == 0);
    r = itest_request(other, "GET", media_path(id), NULL, NULL);
    itest_assert_problem(r, 404, NULL);

    /* an agent may upload too; without the CSRF token a session may not */
    itest_user_t agent;
    itest_create_user(owner, "agent", &agent);
    itest_client_t *ac = itest_user_session(&agent);
    r = upload(ac, NULL, "image/png", data, 1000);
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long before = count_media(owner_user.tenant_id);
    r = itest_request_raw(ac, "POST", "/api/v1/media", "image/png", data, 1000,
                          "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    itest_client_t *anon = itest_client_new();
    r = upload(anon, NULL, "image/png", data, 1000);
    itest_assert_problem(r, 401, NULL);
    cr_assert_eq(count_media(owner_user.tenant_id), before);
    itest_client_free(anon);
    itest_client_free(ac);
    free(data);
}

typedef struct {
    const char *mime;
    const char *head;
    size_t head_len;
    size_t limit;
} limit_t;

static const limit_t limits[] = {
    {"image/jpeg", "\xff\xd8\xff", 3, 5 * MiB},
    {"image/png", "\x89PNG\r\n\x1a\n", 8, 5 * MiB},
    {"video/mp4",
     "\0\0\0\x18"
     "ftypmp42",
     12, 16 * MiB},
    {"video/3gpp", "", 0, 16 * MiB},
    {"audio/mpeg", "", 0, 16 * MiB},
    {"audio/ogg; codecs=opus", "OggS", 4, 16 * MiB},
    {"image/webp", "RIFF\0\0\0\0WEBPVP8 ", 16, 100 * KiB},
    {"image/webp", "RIFF\0\0\0\0WEBPVP8X\0\0\0\0\x02", 21, 500 * KiB},
};

Test(media, every_type_limit_answers_413)
{
    long long before = count_media(owner_user.tenant_id);
    unsigned char *big = file_bytes("", 0, 16 * MiB + 1);
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        const limit_t *l = &limits[i];
        memcpy(big, l->head, l->head_len);
        itest_resp_t *r = upload(owner, NULL, l->mime, big, l->limit + 1);
        itest_assert_problem(r, 413, NULL);
    }
    cr_assert_eq(count_media(owner_user.tenant_id), before, "a refused upload stored a row");
    /* a sticker exactly at its limit is fine */
    memcpy(big, limits[6].head, limits[6].head_len);
    itest_resp_t *r = upload(owner, NULL, "image/webp", big, 100 * KiB);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "type"), "sticker");
    /* an animated one may be larger, a static one of that size may not */
    memcpy(big, limits[7].head, limits[7].head_len);
    r = upload(owner, NULL, "image/webp", big, 400 * KiB);
    cr_assert_eq(r->status, 201, "%s", r->body);
    memcpy(big, limits[6].head, limits[6].head_len);
    big[20] = 0;
    r = upload(owner, NULL, "image/webp", big, 400 * KiB);
    itest_assert_problem(r, 413, NULL);
    free(big);
}

Test(media, document_over_100_mb_answers_413)
{
    size_t len = 100 * MiB + 1;
    unsigned char *big = calloc(1, len);
    cr_assert_not_null(big);
    memcpy(big, "%PDF-", sizeof("%PDF-"));
    itest_resp_t *r = upload(owner, NULL, "application/pdf", big, len);
    itest_assert_problem(r, 413, NULL);
    free(big);
}

Test(media, unsupported_types_answer_415)
{
    static const char *const mimes[] = {"image/gif",       "text/html",
                                        "application/zip", "application/json",
                                        "image/svg+xml",   "application/x-msdownload"};
    long long before = count_media(owner_user.tenant_id);
    for (size_t i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++) {
        itest_resp_t *r = upload(owner, NULL, mimes[i], "GIF89a....", 10);
        itest_assert_problem(r, 415, NULL);
    }
    itest_resp_t *r = upload(owner, NULL, NULL, "GIF89a....", 10);
    itest_assert_problem(r, 415, NULL);
    cr_assert_eq(count_media(owner_user.tenant_id), before);
}

Test(media, empty_mislabelled_and_bad_numbers_answer_422)
{
    long long before = count_media(owner_user.tenant_id);
    itest_resp_t *r = upload(owner, NULL, "image/png", "", 0);
    itest_assert_problem(r, 422, "body");
    r = upload(owner, NULL, "image/png", "GIF89a not a png", 16);
    itest_assert_problem(r, 422, "body");
    r = upload(owner, NULL, "application/pdf", "<html>", 6);
    itest_assert_problem(r, 422, "body");
    r = upload(owner, "?wa_number_id=abc", "image/png", "\x89PNG\r\n\x1a\nxx", 10);
    itest_assert_problem(r, 422, "wa_number_id");
    r = upload(owner, "?wa_number_id=-1", "image/png", "\x89PNG\r\n\x1a\nxx", 10);
    itest_assert_problem(r, 422, "wa_number_id");
    /* another tenant's number is not ours to upload with */
    long long number = itest_sql_int(conn, "SELECT id FROM wa_numbers WHERE tenant_id = %lld",
                                     owner_user.tenant_id);
    char q[64];
    snprintf(q, sizeof(q), "?wa_number_id=%lld", number);
    r = upload(other, q, "image/png", "\x89PNG\r\n\x1a\nxx", 10);
    itest_assert_problem(r, 422, "wa_number_id");
    r = upload(other, NULL, "image/png", "\x89PNG\r\n\x1a\nxx", 10);
    itest_assert_problem(r, 422, "wa_number_id");
    cr_assert_eq(count_media(owner_user.tenant_id), before);
    cr_assert_eq(count_media(other_user.tenant_id), 0);
}

Test(media, hostile_filenames_are_made_safe)
{
    static const char *const names[] = {
        "?filename=..%2F..%2Fetc%2Fpasswd",
        "?filename=a%00b.png",
        "?filename=%22quoted%22%3B%20filename%3D%22x.exe",
        "?filename=line%0D%0ASet-Cookie%3A%20x%3D1",
        "?filename=..",
        "?filename=%2E%2Ehidden",
        "?filename=%C3%A9t%C3%A9.png",
        "?filename=C%3A%5CWindows%5Cevil.png",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        itest_resp_t *r = upload(owner, names[i], "image/png", "\x89PNG\r\n\x1a\nxx", 10);
        cr_assert_eq(r->status, 201, "%s: %s", names[i], r->body);
        const char *name = itest_get_str(r, "filename");
        cr_assert(*name && name[0] != '.', "%s -> %s", names[i], name);
        cr_assert_eq(strcspn(name, "/\\\"\r\n;:%"), strlen(name), "%s -> %s", names[i], name);
        r = itest_request(owner, "GET", media_path(itest_get_int(r, "id")), NULL, NULL);
        cr_assert_eq(r->status, 200);
        cr_assert_null(itest_header(r, "Set-Cookie"));
        const char *cd = itest_header(r, "Content-Disposition");
        cr_assert_not_null(cd);
        cr_assert_eq(strchr(cd, '"'), strrchr(cd, '"') - strlen(name) - 1, "%s", cd);
    }
}
