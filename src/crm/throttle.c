/* Throttling with windowed counters in Redis: refuse after max events in the window. */
#include "laris/crm.h"
#include "laris/log.h"

laris_rc laris_throttle_check(laris_ctx_t *ctx, const char *key, int max)
{
    int64_t count = 0, ttl_ms = 0;
    laris_err_t scratch;
    laris_err_init(&scratch, ctx->arena);
    if (laris_kv_peek(ctx->kv, key, &count, &ttl_ms, &scratch) != LARIS_OK) {
        laris_log(LARIS_WARN, "throttle unavailable (Redis down); letting the request through");
        return LARIS_OK;
    }
    if (count < max)
        return LARIS_OK;
    int seconds = (int)((ttl_ms + 999) / 1000);
    ctx->err->retry_after = seconds > 0 ? seconds : 1;
    return laris_err_set(ctx->err, LARIS_ETHROTTLED, "Too many attempts. Try again in %d seconds.",
                         ctx->err->retry_after);
}

void laris_throttle_count(laris_ctx_t *ctx, const char *key, int window_seconds)
{
    int64_t count, ttl_ms;
    laris_err_t scratch;
    laris_err_init(&scratch, ctx->arena);
    if (laris_kv_hit(ctx->kv, key, window_seconds, &count, &ttl_ms, &scratch) != LARIS_OK)
        laris_log(LARIS_WARN, "throttle counter not recorded (Redis down)");
}

void laris_throttle_clear(laris_ctx_t *ctx, const char *key)
{
    laris_err_t scratch;
    laris_err_init(&scratch, ctx->arena);
    if (laris_kv_del(ctx->kv, key, &scratch) != LARIS_OK)
        laris_log(LARIS_WARN, "throttle counter not cleared (Redis down)");
}
