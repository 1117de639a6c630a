/* The inbox page cache: list pages as the API answers them, kept in Redis per person and
 * filter, valid while the tenant's inbox version stands (src/kv/inbox_cache.c).
 *
 * Whoever changes what an inbox shows commits first and bumps the version after: laris-api
 * after every successful unsafe request of a tenant (laris_inbox_changed), laris-events before
 * it publishes a tenant's live events (which every change made by a webhook or by laris-worker
 * writes). A reader takes the version before it reads PostgreSQL and stores its page under
 * that version, so a page made from an older snapshot is stale before anyone could be served
 * it. Redis trouble never fails a list: it is logged and the page comes from PostgreSQL. */
#include <inttypes.h>
#include <stdio.h>

#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/kv.h"
#include "laris/log.h"

/* The page's id: who asks (the person, and the API token when it is one) and the filter, in
 * one canonical text, hashed so that any search text makes a short key. */
static const char *page_id(laris_ctx_t *ctx, const laris_inbox_filter_t *f)
{
    char *canonical = laris_arena_printf(ctx->arena,
                                         "k=%" PRId64 " s=%s a=%s:%" PRId64 " l=%" PRId64
                                         " c=%d:%" PRId64 ":%" PRId64 " n=%d q=%d:%s",
                                         ctx->api_key_id, f->status ? f->status : "",
                                         f->assignee ? f->assignee : "any", f->assignee_id,
                                         f->label_id, f->after ? 1 : 0, f->after_us, f->after_id,
                                         f->limit, f->q ? 1 : 0, f->q ? f->q : "");
    char hash[LARIS_HASH_HEX_MAX];
    laris_token_hash_hex(canonical, hash);
    return laris_arena_printf(ctx->arena, "p:%" PRId64 ".%s", ctx->user_id, hash);
}

bool laris_inbox_cache_get(laris_ctx_t *ctx, const laris_inbox_filter_t *f,
                           laris_inbox_cache_slot_t *slot, laris_buf_t *page)
{
    slot->page_id = NULL;
    slot->version = 0;
    if (ctx->config->inbox_cache_seconds <= 0)
        return false;
    const char *id = page_id(ctx, f);
    laris_err_t err;
    laris_err_init(&err, ctx->arena);
    bool hit = false;
    int64_t version = 0;
    if (laris_kv_inbox_get(ctx->kv, ctx->tenant_id, id, &version, page, &hit, &err) != LARIS_OK) {
        laris_log(LARIS_WARN, "inbox cache: Redis could not be read; the page comes from "
                              "PostgreSQL");
        return false;
    }
    slot->page_id = id;
    slot->version = version;
    return hit;
}

void laris_inbox_cache_put(laris_ctx_t *ctx, const laris_inbox_cache_slot_t *slot, const char *body,
                           size_t len)
{
    if (!slot->page_id || slot->version == 0)
        return;
    laris_err_t err;
    laris_err_init(&err, ctx->arena);
    if (laris_kv_inbox_put(ctx->kv, ctx->tenant_id, slot->page_id, slot->version, body, len,
                           ctx->config->inbox_cache_seconds, &err) != LARIS_OK)
        laris_log(LARIS_WARN, "inbox cache: a page could not be stored");
}

void laris_inbox_changed(laris_ctx_t *ctx, int64_t tenant_id)
{
    if (tenant_id <= 0)
        return;
    laris_err_t err;
    laris_err_init(&err, ctx->arena);
    if (laris_kv_inbox_bump(ctx->kv, 1, &tenant_id, NULL, &err) != LARIS_OK)
        laris_log(LARIS_WARN,
                  "inbox cache: tenant %" PRId64 "'s version could not be moved "
                  "on; its cached pages may show the last change late (up to "
                  "LARIS_INBOX_CACHE_SECONDS)",
                  tenant_id);
}
