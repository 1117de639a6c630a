/* The inbox cache: answers to cached GET routes (the inbox list) and the sessions that asked
 * for them, kept in Redis per tenant while the tenant's inbox version stands
 * (src/kv/inbox_cache.c), so asking again costs one Redis round trip and no PostgreSQL.
 *
 * Whoever changes what an inbox shows commits first and bumps the version after: laris-api
 * after every successful unsafe request of a tenant (laris_inbox_changed; a logout, a password
 * change, a user deactivated or given another role among them), laris-events before it
 * publishes a tenant's live events (which every change made by a webhook or by laris-worker
 * writes). A lookup reads the version before PostgreSQL is asked anything, and what is made
 * from PostgreSQL afterwards is stored under that version: anything made from an older
 * snapshot is stale before anyone could be served it. Redis trouble never fails a request: it
 * is logged and PostgreSQL answers. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "laris/clock.h"
#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/log.h"

enum { SESSION_ITEM, PAGE_ITEM };

/* A session is vouched for at most this long without PostgreSQL (the version ends it sooner
 * on any change); answers live LARIS_INBOX_CACHE_SECONDS, a bound for a change missed. */
#define SESSION_SECONDS 60

/* The session in a stored entry ("<user> <session> <role> <valid until>"), into the context;
 * false when the entry is malformed or the session has run out meanwhile. */
static bool read_session(laris_ctx_t *ctx, const char *entry)
{
    long long user, session, valid_until;
    char role[16];
    if (sscanf(entry, "%lld %lld %15s %lld", &user, &session, role, &valid_until) != 4 ||
        user <= 0 || session <= 0 || valid_until <= laris_clock_now())
        return false;
    laris_role parsed = laris_role_parse(role);
    if (parsed == LARIS_ROLE_NONE)
        return false;
    ctx->user_id = user;
    ctx->session_id = session;
    ctx->role = parsed;
    return true;
}

void laris_inbox_cache_lookup(laris_ctx_t *ctx, const char *token, const char *target,
                              laris_inbox_cache_t *c)
{
    memset(c, 0, sizeof(*c));
    laris_buf_init(&c->page, ctx->arena);
    int64_t tenant = laris_session_token_tenant(token);
    if (ctx->config->inbox_cache_seconds <= 0 || tenant == 0)
        return;
    char token_hash[LARIS_HASH_HEX_MAX], page_hash[LARIS_HASH_HEX_MAX];
    laris_token_hash_hex(token, token_hash);
    laris_token_hash_hex(laris_arena_printf(ctx->arena, "%s\n%s", token_hash, target), page_hash);
    c->session_item = laris_arena_printf(ctx->arena, "s:%s", token_hash);
    c->page_item = laris_arena_printf(ctx->arena, "p:%s", page_hash);

    const char *items[2] = {c->session_item, c->page_item};
    laris_buf_t values[2];
    bool hits[2];
    laris_buf_init(&values[SESSION_ITEM], ctx->arena);
    values[PAGE_ITEM] = c->page;
    laris_err_t err;
    laris_err_init(&err, ctx->arena);
    if (laris_kv_inbox_get(ctx->kv, tenant, 2, items, &c->version, values, hits, &err) !=
        LARIS_OK) {
        laris_log(LARIS_WARN, "inbox cache: Redis could not be read; PostgreSQL answers");
        c->version = 0;
        return;
    }
    c->tenant_id = tenant;
    c->page = values[PAGE_ITEM];
    if (!hits[SESSION_ITEM] || !read_session(ctx, laris_buf_cstr(&values[SESSION_ITEM])))
        return;
    ctx->tenant_id = tenant;
    laris_db_set_tenant(ctx->db, tenant);
    c->session_hit = true;
    c->page_hit = hits[PAGE_ITEM];
}

/* Stores value as item of c's tenant at c's version for up to ttl seconds; failures logged. */
static void keep(laris_ctx_t *ctx, const laris_inbox_cache_t *c, const char *item,
                 const char *value, size_t len, int ttl)
{
    laris_err_t err;
    laris_err_init(&err, ctx->arena);
    if (laris_kv_inbox_put(ctx->kv, c->tenant_id, item, c->version, value, len, ttl, &err) !=
        LARIS_OK)
        laris_log(LARIS_WARN, "inbox cache: an entry could not be stored");
}

void laris_inbox_cache_vouch(laris_ctx_t *ctx, const laris_inbox_cache_t *c)
{
    if (c->version == 0 || !ctx->identity || ctx->tenant_id != c->tenant_id)
        return;
    int64_t valid_until = laris_db_int(ctx->identity, 0, "valid_until");
    int64_t left = valid_until - laris_clock_now();
    int ttl = ctx->config->inbox_cache_seconds;
    if (ttl > SESSION_SECONDS)
        ttl = SESSION_SECONDS;
    if (left <= 0)
        return;
    if (left < ttl)
        ttl = (int)left;
    char *entry =
        laris_arena_printf(ctx->arena, "%" PRId64 " %" PRId64 " %s %" PRId64, ctx->user_id,
                           ctx->session_id, laris_role_name(ctx->role), valid_until);
    keep(ctx, c, c->session_item, entry, strlen(entry), ttl);
}

void laris_inbox_cache_keep(laris_ctx_t *ctx, const laris_inbox_cache_t *c, const char *body,
                            size_t len)
{
    if (c->version == 0 || ctx->tenant_id != c->tenant_id)
        return;
    keep(ctx, c, c->page_item, body, len, ctx->config->inbox_cache_seconds);
}

void laris_inbox_changed(laris_ctx_t *ctx, int64_t tenant_id)
{
    if (tenant_id <= 0)
        return;
    laris_err_t err;
    laris_err_init(&err, ctx->arena);
    if (laris_kv_inbox_bump(ctx->kv, 1, &tenant_id, NULL, &err) != LARIS_OK)
        laris_log(LARIS_WARN,
                  "inbox cache: tenant %" PRId64 "'s version could not be moved on; its cached "
                  "answers may show the last change late (up to LARIS_INBOX_CACHE_SECONDS)",
                  tenant_id);
}
