/* Tenants: signing a business up with its owner. */
#include <stdio.h>
#include <string.h>

#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/phone.h"

laris_rc laris_tenant_signup(laris_ctx_t *ctx, const laris_signup_t *in)
{
    laris_err_t *err = ctx->err;
    laris_validate_name("business_name", in->business_name, 200, err);
    laris_validate_name("name", in->owner_name, 100, err);
    laris_validate_email("email", in->email, err);
    laris_validate_password("password", in->password, err);
    char phone[LARIS_PHONE_MAX] = "";
    if (in->phone && in->phone[0] && !laris_phone_normalize(in->phone, phone))
        laris_err_field(err, "phone", "must be a phone number such as 0812-3456-7890");
    const char *timezone = in->timezone && in->timezone[0] ? in->timezone : "Asia/Jakarta";
    if (strlen(timezone) > 64)
        laris_err_field(err, "timezone", "must be a time zone such as Asia/Jakarta");
    if (err->code != LARIS_OK)
        return err->code;

    char *throttle_key = laris_arena_printf(ctx->arena, "laris:{signup}:addr:%s", ctx->client_addr);
    laris_rc rc = laris_throttle_check(ctx, throttle_key, ctx->config->signup_max_per_address);
    if (rc != LARIS_OK)
        return rc;
    laris_throttle_count(ctx, throttle_key, 3600);

    char hash[LARIS_PASSWORD_HASH_MAX];
    if (!laris_password_hash(in->password, hash))
        return laris_err_set(err, LARIS_EUNAVAILABLE, "The server is busy. Try again shortly.");

    const char *params[6] = {in->business_name, timezone,  phone[0] ? phone : NULL,
                             in->owner_name,    in->email, hash};
    PGresult *res;
    laris_db_set_tenant(ctx->db, 0);
    rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_SIGNUP_TENANT, 6, params, &res, err);
    if (rc == LARIS_ECONFLICT) {
        err->nfields = 0;
        laris_err_field(err, "email", "is already registered");
        return laris_err_set(err, LARIS_ECONFLICT,
                             "An account with this email already exists. Log in instead.");
    }
    if (rc == LARIS_EINVALID && err->nfields > 0 && strcmp(err->fields[0].field, "timezone") == 0) {
        err->nfields = 0;
        laris_err_field(err, "timezone", "must be a time zone such as Asia/Jakarta");
        return err->code;
    }
    if (rc != LARIS_OK)
        return rc;

    ctx->tenant_id = laris_db_int(res, 0, "tenant_id");
    ctx->user_id = laris_db_int(res, 0, "user_id");
    ctx->role = LARIS_ROLE_OWNER;
    char tenant_text[24];
    snprintf(tenant_text, sizeof(tenant_text), "%lld", (long long)ctx->tenant_id);
    const char *tenant_param[1] = {tenant_text};
    rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_SET_TENANT, 1, tenant_param, NULL, err);
    if (rc != LARIS_OK)
        return rc;
    return laris_audit(ctx, "tenant.signup", "tenant", ctx->tenant_id, NULL);
}
