/* Tenant API tokens for programs: "lrs_<tenant id>_<43 random chars>", shown once, stored as
 * SHA-256, listed by a short hint, revoked by the owner. */
#include <stdio.h>
#include <string.h>

#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/json.h"

static json_t *token_json(laris_arena_t *a, const PGresult *res, int row)
{
    const char *last_used = laris_time_rfc3339(a, laris_db_value(res, row, "last_used_at"));
    const char *revoked = laris_time_rfc3339(a, laris_db_value(res, row, "revoked_at"));
    return json_pack("{s:I, s:s?, s:s?, s:s?, s:I, s:s?, s:s?, s:s?}", "id",
                     (json_int_t)laris_db_int(res, row, "id"), "name",
                     laris_db_value(res, row, "name"), "role", laris_db_value(res, row, "role"),
                     "hint", laris_db_value(res, row, "token_hint"), "created_by",
                     (json_int_t)laris_db_int(res, row, "created_by"), "created_at",
                     laris_time_rfc3339(a, laris_db_value(res, row, "created_at")), "last_used_at",
                     last_used, "revoked_at", revoked);
}

laris_rc laris_tokens_list(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                           int64_t *next_after)
{
    const char *params[2] = {laris_arena_printf(ctx->arena, "%lld", (long long)after_id),
                             laris_arena_printf(ctx->arena, "%d", limit + 1)};
    PGresult *res;
    laris_rc rc =
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_TOKENS_LIST, 2, params, &res, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    int rows = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < rows && i < limit; i++)
        json_array_append_new(*items, token_json(ctx->arena, res, i));
    *next_after = rows > limit ? laris_db_int(res, limit - 1, "id") : 0;
    return LARIS_OK;
}

static const char *const token_roles[] = {"owner", "supervisor", "agent", NULL};

laris_rc laris_tokens_create(laris_ctx_t *ctx, json_t *body, json_t **out,
                             char secret_out[LARIS_CREDENTIAL_MAX])
{
    const char *name = NULL, *role = "supervisor";
    if (laris_json_string(body, "name", 1, 100, true, &name, ctx->err))
        laris_validate_name("name", name, 100, ctx->err);
    laris_json_enum(body, "role", token_roles, false, &role, ctx->err);
    if (ctx->err->code != LARIS_OK)
        return ctx->err->code;

    char random_part[LARIS_TOKEN_MAX];
    laris_token_new("", random_part);
    snprintf(secret_out, LARIS_CREDENTIAL_MAX, "lrs_%lld_%s", (long long)ctx->tenant_id,
             random_part);
    char hash[LARIS_HASH_HEX_MAX];
    laris_token_hash_hex(secret_out, hash);
    size_t len = strlen(secret_out);
    const char *hint = laris_arena_printf(ctx->arena, "lrs_…%s", secret_out + len - 4);
    const char *params[5] = {name, role, hash, hint,
                             laris_arena_printf(ctx->arena, "%lld", (long long)ctx->user_id)};
    PGresult *res;
    laris_rc rc =
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_TOKENS_CREATE, 5, params, &res, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    *out = token_json(ctx->arena, res, 0);
    return laris_audit(ctx, "token.create", "api_key", laris_db_int(res, 0, "id"),
                       json_pack("{s:s, s:s}", "name", name, "role", role));
}

laris_rc laris_tokens_revoke(laris_ctx_t *ctx, int64_t id)
{
    const char *params[1] = {laris_arena_printf(ctx->arena, "%lld", (long long)id)};
    PGresult *res;
    laris_rc rc =
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_TOKENS_REVOKE, 1, params, &res, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) != 1)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such active token.");
    return laris_audit(ctx, "token.revoke", "api_key", id, NULL);
}
