/* Sessions: login with throttling, session tokens in and out, logout.
 *
 * A session token is "<tenant id>.<43 random base64url chars>". The tenant part only routes
 * the lookup (so it runs under that tenant's Row-Level Security); the random part is the secret,
 * and the database keeps only the SHA-256 of the whole token. */
#include <stdio.h>
#include <string.h>

#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/log.h"

/* The random part of a token: 32 bytes in base64url without padding. */
#define SECRET_CHARS 43

static bool is_base64url(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* Splits "<prefix><tenant><sep><secret>" and returns the tenant id, or 0 when malformed. */
static int64_t credential_tenant(const char *token, const char *prefix, char sep)
{
    size_t prefix_len = strlen(prefix);
    if (strlen(token) > LARIS_CREDENTIAL_MAX - 1 || strncmp(token, prefix, prefix_len) != 0)
        return 0;
    const char *p = token + prefix_len;
    int64_t tenant = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 18) {
        tenant = tenant * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || *p != sep)
        return 0;
    p++;
    if (strlen(p) != SECRET_CHARS || !is_base64url(p, SECRET_CHARS))
        return 0;
    return tenant;
}

static laris_rc wrong_credentials(laris_ctx_t *ctx)
{
    return laris_err_set(ctx->err, LARIS_EUNAUTHORIZED, "The email or password is incorrect.");
}

laris_rc laris_session_login(laris_ctx_t *ctx, const char *email, const char *password,
                             char token_out[LARIS_CREDENTIAL_MAX])
{
    const laris_config_t *cfg = ctx->config;
    char email_hash[LARIS_HASH_HEX_MAX];
    char *lower = laris_arena_strdup(ctx->arena, email);
    for (char *p = lower; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    laris_token_hash_hex(lower, email_hash);
    char *account_key = laris_arena_printf(ctx->arena, "laris:{login}:acct:%s", email_hash);
    char *address_key = laris_arena_printf(ctx->arena, "laris:{login}:addr:%s", ctx->client_addr);

    laris_rc rc = laris_throttle_check(ctx, address_key, cfg->login_max_per_address);
    if (rc == LARIS_OK)
        rc = laris_throttle_check(ctx, account_key, cfg->login_max_per_account);
    if (rc != LARIS_OK)
        return rc;

    const char *find_params[1] = {lower};
    PGresult *res;
    laris_db_set_tenant(ctx->db, 0);
    rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_AUTH_FIND_LOGIN, 1, find_params, &res,
                        ctx->err);
    if (rc != LARIS_OK)
        return rc;
    bool found = PQntuples(res) == 1;
    bool verified = false;
    bool active = false;
    const char *tenant_status = "active";
    if (found) {
        ctx->tenant_id = laris_db_int(res, 0, "tenant_id");
        ctx->user_id = laris_db_int(res, 0, "user_id");
        char tenant_text[24], user_text[24];
        snprintf(tenant_text, sizeof(tenant_text), "%lld", (long long)ctx->tenant_id);
        snprintf(user_text, sizeof(user_text), "%lld", (long long)ctx->user_id);
        const char *tenant_param[1] = {tenant_text};
        const char *user_param[1] = {user_text};
        rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_SET_TENANT, 1, tenant_param, NULL,
                            ctx->err);
        if (rc == LARIS_OK)
            rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_AUTH_LOGIN_USER, 1, user_param, &res,
                                ctx->err);
        if (rc != LARIS_OK)
            return rc;
        found = PQntuples(res) == 1;
        if (found) {
            verified = laris_password_verify(laris_db_value(res, 0, "password_hash"), password);
            active = laris_db_bool(res, 0, "active");
            tenant_status = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "tenant_status"));
        }
    }
    if (!found)
        laris_password_burn(password);
    if (!found || !verified || !active) {
        laris_throttle_count(ctx, address_key, cfg->login_window_seconds);
        laris_throttle_count(ctx, account_key, cfg->login_window_seconds);
        ctx->tenant_id = 0;
        ctx->user_id = 0;
        return wrong_credentials(ctx);
    }
    if (strcmp(tenant_status, "active") != 0)
        return laris_err_set(ctx->err, LARIS_EFORBIDDEN,
                             "This business account is %s. Contact your reseller.", tenant_status);
    laris_throttle_clear(ctx, account_key);

    char secret[LARIS_TOKEN_MAX];
    laris_token_new("", secret);
    snprintf(token_out, LARIS_CREDENTIAL_MAX, "%lld.%s", (long long)ctx->tenant_id, secret);
    char token_hash[LARIS_HASH_HEX_MAX];
    laris_token_hash_hex(token_out, token_hash);
    char user_text[24], lifetime[24];
    snprintf(user_text, sizeof(user_text), "%lld", (long long)ctx->user_id);
    snprintf(lifetime, sizeof(lifetime), "%d", cfg->session_max_seconds);
    const char *session_params[5] = {user_text, token_hash, lifetime,
                                     ctx->client_addr[0] ? ctx->client_addr : NULL,
                                     ctx->user_agent};
    rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_SESSION_CREATE, 5, session_params, &res,
                        ctx->err);
    if (rc != LARIS_OK)
        return rc;
    ctx->session_id = laris_db_int(res, 0, "id");
    const char *user_param[1] = {user_text};
    rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_USER_MARK_LOGIN, 1, user_param, NULL,
                        ctx->err);
    if (rc != LARIS_OK)
        return rc;
    return laris_audit(ctx, "auth.login", "session", ctx->session_id, NULL);
}

laris_rc laris_session_authenticate(laris_ctx_t *ctx, const char *token)
{
    int64_t tenant = credential_tenant(token, "", '.');
    if (tenant == 0)
        return laris_err_set(ctx->err, LARIS_EUNAUTHORIZED,
                             "Your session has ended. Log in again.");
    char token_hash[LARIS_HASH_HEX_MAX], idle[24];
    laris_token_hash_hex(token, token_hash);
    snprintf(idle, sizeof(idle), "%d", ctx->config->session_idle_seconds);
    const char *params[2] = {token_hash, idle};
    PGresult *res;
    laris_db_set_tenant(ctx->db, tenant);
    laris_rc rc =
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_AUTH_SESSION, 2, params, &res, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) != 1)
        return laris_err_set(ctx->err, LARIS_EUNAUTHORIZED,
                             "Your session has ended. Log in again.");
    ctx->tenant_id = laris_db_int(res, 0, "tenant_id");
    ctx->user_id = laris_db_int(res, 0, "user_id");
    ctx->role = laris_role_parse(laris_db_value(res, 0, "actor_role"));
    ctx->session_id = laris_db_int(res, 0, "session_id");
    ctx->identity = res;
    if (laris_db_bool(res, 0, "stale")) {
        const char *id_param[1] = {laris_db_value(res, 0, "session_id")};
        rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_AUTH_SESSION_TOUCH, 1, id_param, NULL,
                            ctx->err);
    }
    return rc;
}

int64_t laris_session_token_tenant(const char *token)
{
    return credential_tenant(token, "", '.');
}

laris_rc laris_session_logout(laris_ctx_t *ctx)
{
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)ctx->session_id);
    const char *params[1] = {id};
    laris_rc rc =
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_SESSION_END, 1, params, NULL, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    return laris_audit(ctx, "auth.logout", "session", ctx->session_id, NULL);
}

laris_rc laris_api_key_authenticate(laris_ctx_t *ctx, const char *token)
{
    int64_t tenant = credential_tenant(token, "lrs_", '_');
    if (tenant == 0)
        return laris_err_set(ctx->err, LARIS_EUNAUTHORIZED, "The API token is not valid.");
    char token_hash[LARIS_HASH_HEX_MAX];
    laris_token_hash_hex(token, token_hash);
    const char *params[1] = {token_hash};
    PGresult *res;
    laris_db_set_tenant(ctx->db, tenant);
    laris_rc rc =
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_AUTH_API_KEY, 1, params, &res, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) != 1)
        return laris_err_set(ctx->err, LARIS_EUNAUTHORIZED, "The API token is not valid.");
    ctx->tenant_id = laris_db_int(res, 0, "tenant_id");
    ctx->user_id = laris_db_int(res, 0, "user_id");
    ctx->role = laris_role_parse(laris_db_value(res, 0, "actor_role"));
    ctx->api_key_id = laris_db_int(res, 0, "key_id");
    ctx->identity = res;
    if (laris_db_bool(res, 0, "stale")) {
        const char *id_param[1] = {laris_db_value(res, 0, "key_id")};
        rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_AUTH_API_KEY_TOUCH, 1, id_param, NULL,
                            ctx->err);
    }
    return rc;
}
