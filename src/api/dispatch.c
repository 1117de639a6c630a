/* The laris-api application: per-worker connections, and per request: authentication, the
 * JSON body, the handler, and one transaction committed only when the handler succeeded. */
#include <string.h>
#include <strings.h>

#include "api_internal.h"
#include "laris/api.h"
#include "laris/config.h"
#include "laris/json.h"
#include "laris/log.h"

/* The worker's connections, opened lazily, kept for the worker's life. */
static laris_db_t *worker_db;
static laris_kv_t *worker_kv;

static void worker_start(void)
{
    const laris_config_t *cfg = laris_config();
    worker_db = laris_db_create(cfg->database_url);
    worker_kv = laris_kv_create(cfg->redis_url);
}

static void worker_stop(void)
{
    laris_db_destroy(worker_db);
    laris_kv_destroy(worker_kv);
    worker_db = NULL;
    worker_kv = NULL;
}

static bool is_json_type(const char *content_type)
{
    static const char json_type[] = "application/json";
    if (strncasecmp(content_type, json_type, sizeof(json_type) - 1) != 0)
        return false;
    char next = content_type[sizeof(json_type) - 1];
    return next == '\0' || next == ';' || next == ' ';
}

/* Decodes the body when there is one: it must be declared as JSON and be valid JSON. */
static laris_rc decode_body(laris_req_t *req, api_state_t *st)
{
    if (!req->body || req->body_len == 0)
        return LARIS_OK;
    if (!is_json_type(req->content_type))
        return laris_err_set(&req->err, LARIS_EMEDIATYPE, "Send the body as application/json.");
    return laris_json_decode(req->arena, req->body, req->body_len, &laris_json_default_limits,
                             &st->body, &req->err);
}

/* A cached route's GET under a session: says whether the answer came from the inbox cache
 * (X-Laris-Cache) and keeps a 200 JSON answer made now for the next time. */
static void keep_answer(laris_req_t *req, api_state_t *st, bool from_cache)
{
    laris_resp_header(req, "X-Laris-Cache", from_cache ? "hit" : "miss");
    if (!from_cache && req->status == 200 && req->resp_content_type &&
        strcmp(req->resp_content_type, "application/json") == 0)
        laris_inbox_cache_keep(&st->ctx, &st->cache, req->resp_body.data, req->resp_body.len);
}

static laris_rc handle(laris_req_t *req)
{
    api_state_t *st = LARIS_NEW(req->arena, api_state_t);
    req->app = st;
    laris_ctx_t *ctx = &st->ctx;
    ctx->arena = req->arena;
    ctx->db = worker_db;
    ctx->kv = worker_kv;
    ctx->err = &req->err;
    ctx->config = laris_config();
    ctx->request_id = req->request_id;
    ctx->client_addr = req->remote_addr;
    ctx->user_agent = laris_req_env(req, "HTTP_USER_AGENT");

    /* A GET changes nothing a user sees (the session's last-seen touch stands alone), so its
     * statements need no transaction around them. */
    bool read_only = strcmp(req->method, "GET") == 0;
    laris_db_set_read_only(worker_db, read_only);
    laris_rc rc = api_authenticate(req);
    req->log_tenant_id = ctx->tenant_id;
    laris_log_context(req->request_id, ctx->tenant_id, req->route_pattern);
    bool from_cache = rc == LARIS_OK && st->cache.page_hit;
    if (from_cache)
        rc = laris_resp_json_text(req, 200, st->cache.page.data, st->cache.page.len);
    /* Webhooks check a signature over the raw body; an upload's body is the file itself. */
    if (rc == LARIS_OK && !from_cache && req->route->auth != API_AUTH_WEBHOOK &&
        req->route->handler != media_create)
        rc = decode_body(req, st);
    if (rc == LARIS_OK && !from_cache)
        rc = req->route->handler(req);
    req->log_tenant_id = ctx->tenant_id;

    laris_err_t finish_err;
    laris_err_init(&finish_err, req->arena);
    laris_rc finish_rc = laris_db_finish(worker_db, rc == LARIS_OK, &finish_err);
    if (rc == LARIS_OK && finish_rc != LARIS_OK) {
        req->err = finish_err;
        req->nresp_headers = 0;
        rc = finish_rc;
    }
    /* Committed: the tenant's cached inbox answers may show what this request changed. */
    if (rc == LARIS_OK && !read_only)
        laris_inbox_changed(ctx, ctx->tenant_id);
    if (rc == LARIS_OK && req->route->auth == API_AUTH_PERSON_CACHED && st->session_token)
        keep_answer(req, st, from_cache);
    return rc;
}

static laris_http_app_t api_app = {
    .routes = api_routes,
    .handle = handle,
    .worker_start = worker_start,
    .worker_stop = worker_stop,
};

const laris_http_app_t *laris_api_app(void)
{
    api_app.default_body_limit = laris_config()->body_limit;
    return &api_app;
}
