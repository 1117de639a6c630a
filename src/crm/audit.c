/* The audit log: who did what to what, written in the same transaction as the change. */
#include <stdio.h>

#include "laris/crm.h"
#include "laris/json.h"

laris_rc laris_audit(laris_ctx_t *ctx, const char *action, const char *target_type,
                     int64_t target_id, json_t *detail)
{
    char actor[24], target[24];
    snprintf(actor, sizeof(actor), "%lld", (long long)ctx->user_id);
    snprintf(target, sizeof(target), "%lld", (long long)target_id);
    size_t detail_len;
    const char *detail_text = NULL;
    if (detail) {
        detail_text = laris_json_encode(ctx->arena, detail, &detail_len);
        json_decref(detail);
    }
    const char *params[8] = {
        ctx->user_id ? actor : NULL,
        ctx->api_key_id ? "token" : "user",
        action,
        target_type,
        target_id ? target : NULL,
        detail_text,
        ctx->request_id,
        ctx->client_addr && ctx->client_addr[0] ? ctx->client_addr : NULL,
    };
    return laris_db_query(ctx->db, ctx->arena, LARIS_SQL_AUDIT_INSERT, 8, params, NULL, ctx->err);
}
