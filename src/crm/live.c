/* Live events: the typing notice, and who may listen on which nchan channel. Every other event
 * is published by triggers in the change's own transaction (sql/0013_live.sql); laris-events
 * carries them to nchan. */
#include <stdlib.h>
#include <string.h>

#include "laris/crm.h"

laris_rc laris_live_typing(laris_ctx_t *ctx, int64_t conversation_id, json_t **out)
{
    const char *params[3] = {
        laris_arena_printf(ctx->arena, "%lld", (long long)conversation_id),
        laris_arena_printf(ctx->arena, "%lld", (long long)ctx->user_id),
        laris_arena_printf(ctx->arena, "%d", LARIS_TYPING_SECONDS),
    };
    PGresult *res;
    laris_rc rc =
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_LIVE_TYPING, 3, params, &res, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) != 1)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    *out = json_pack("{s:I,s:s}", "conversation_id", (json_int_t)conversation_id, "expires_at",
                     laris_time_rfc3339(ctx->arena, laris_db_value(res, 0, "expires_at")));
    return LARIS_OK;
}

/* A positive id written plainly (no sign, no leading zero, at most 18 digits); 0 otherwise. */
static int64_t plain_id(const char *s)
{
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 18 || s[n] != '\0' || s[0] == '0')
        return 0;
    return strtoll(s, NULL, 10);
}

bool laris_live_may_subscribe(const laris_ctx_t *ctx, const char *channel_path)
{
    static const char agent[] = "/rt/sub/agent/";
    static const char tenant[] = "/rt/sub/tenant/";
    if (!channel_path || ctx->user_id <= 0 || ctx->tenant_id <= 0)
        return false;
    if (strncmp(channel_path, agent, sizeof agent - 1) == 0)
        return plain_id(channel_path + sizeof agent - 1) == ctx->user_id;
    if (strncmp(channel_path, tenant, sizeof tenant - 1) == 0)
        return plain_id(channel_path + sizeof tenant - 1) == ctx->tenant_id;
    return false;
}
