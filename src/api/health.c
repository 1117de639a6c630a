/* Liveness and readiness probes. */
#include "api_internal.h"

/* GET /healthz: the worker answers; nothing else is checked. */
laris_rc health_live(laris_req_t *req)
{
    return laris_resp_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

/* GET /readyz: PostgreSQL and Redis answer; 503 naming what is down otherwise. */
laris_rc health_ready(laris_req_t *req)
{
    laris_ctx_t *ctx = api_ctx(req);
    laris_err_t scratch;
    laris_err_init(&scratch, req->arena);
    bool db_ok = laris_db_ping(ctx->db, &scratch) == LARIS_OK;
    laris_err_init(&scratch, req->arena);
    bool kv_ok = laris_kv_ping(ctx->kv, &scratch) == LARIS_OK;
    if (db_ok && kv_ok)
        return laris_resp_json(req, 200,
                               json_pack("{s:s, s:{s:s, s:s}}", "status", "ok", "checks",
                                         "postgres", "ok", "redis", "ok"));
    req->err.retry_after = 5;
    return laris_err_set(&req->err, LARIS_EUNAVAILABLE, "Not ready: PostgreSQL %s, Redis %s.",
                         db_ok ? "ok" : "down", kv_ok ? "ok" : "down");
}
