/* The tenant's WhatsApp Cloud API numbers: connect, list, change, remove. Access tokens and app
 * secrets are sealed with the process's secret key (laris_secret_seal) before they reach the
 * database, and no function here returns, logs or audits them: the JSON says only whether one
 * is stored. Removing disables the number and frees its phone_number_id for the platform. */
#include <sodium.h>
#include <string.h>

#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/json.h"
#include "laris/log.h"
#include "laris/phone.h"

#define ID_MAX_DIGITS    32
#define TOKEN_MIN        20
#define TOKEN_MAX        1024
#define APP_SECRET_MIN   16
#define APP_SECRET_MAX   256
#define VERIFY_TOKEN_MIN 8
#define VERIFY_TOKEN_MAX 256

static const char *id_text(laris_ctx_t *ctx, int64_t id)
{
    return laris_arena_printf(ctx->arena, "%lld", (long long)id);
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *number_json(laris_arena_t *a, const PGresult *res, int row)
{
    json_t *n = json_object();
    json_object_set_new(n, "id", json_integer(laris_db_int(res, row, "id")));
    json_object_set_new(n, "name", string_or_null(laris_db_value(res, row, "name")));
    json_object_set_new(n, "phone_number_id",
                        string_or_null(laris_db_value(res, row, "phone_number_id")));
    json_object_set_new(n, "waba_id", string_or_null(laris_db_value(res, row, "waba_id")));
    json_object_set_new(n, "display_phone_number",
                        string_or_null(laris_db_value(res, row, "display_phone_number")));
    json_object_set_new(n, "throughput_mps",
                        json_integer(laris_db_int(res, row, "throughput_mps")));
    json_object_set_new(n, "status", string_or_null(laris_db_value(res, row, "status")));
    json_object_set_new(n, "has_access_token",
                        json_boolean(laris_db_bool(res, row, "has_access_token")));
    json_object_set_new(n, "has_app_secret",
                        json_boolean(laris_db_bool(res, row, "has_app_secret")));
    json_object_set_new(n, "has_verify_token",
                        json_boolean(laris_db_bool(res, row, "has_verify_token")));
    json_object_set_new(
        n, "created_at",
        string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, "created_at"))));
    json_object_set_new(
        n, "updated_at",
        string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, "updated_at"))));
    return n;
}

/* Meta's ids: 1 to 32 digits. */
static void read_meta_id(json_t *body, const char *field, bool required, const char **out,
                         laris_err_t *err)
{
    if (!laris_json_string(body, field, 1, ID_MAX_DIGITS, required, out, err))
        return;
    if (strspn(*out, "0123456789") != strlen(*out)) {
        laris_err_field(err, field, "must be 1 to %d digits", ID_MAX_DIGITS);
        *out = NULL;
    }
}

/* A credential: min..max characters of printable ASCII, no spaces or control characters. */
static void read_credential(json_t *body, const char *field, size_t min, size_t max, bool required,
                            const char **out, laris_err_t *err)
{
    if (!laris_json_string(body, field, min, max, required, out, err))
        return;
    for (const unsigned char *p = (const unsigned char *)*out; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f) {
            laris_err_field(err, field,
                            "must be printable ASCII without spaces or control characters");
            *out = NULL;
            return;
        }
    }
}

static void read_display_number(json_t *body, bool required, const char **out, laris_ctx_t *ctx)
{
    const char *raw = NULL;
    if (!laris_json_string(body, "display_phone_number", 1, 32, required, &raw, ctx->err))
        return;
    char e164[LARIS_PHONE_MAX];
    if (!laris_phone_normalize(raw, e164)) {
        laris_err_field(ctx->err, "display_phone_number",
                        "is not a phone number (for example 0812-3456-7890)");
        return;
    }
    *out = laris_arena_strdup(ctx->arena, e164);
}

static void read_name(json_t *body, const char **out, laris_err_t *err)
{
    if (laris_json_string(body, "name", 1, 100, false, out, err) &&
        !laris_validate_name("name", *out, 100, err))
        *out = NULL;
}

/* The sealed secret as hex for decode($n, 'hex'); NULL when secret is NULL. */
static const char *seal_hex(laris_ctx_t *ctx, const char *secret)
{
    if (!secret)
        return NULL;
    unsigned char *sealed;
    size_t len;
    laris_secret_seal(ctx->config->secret_key, secret, strlen(secret), ctx->arena, &sealed, &len);
    char *hex = laris_arena_alloc(ctx->arena, 2 * len + 1);
    sodium_bin2hex(hex, 2 * len + 1, sealed, len);
    return hex;
}

/* 503 when the process has no key to seal secrets with: nothing is stored in plaintext. */
static laris_rc require_secret_key(laris_ctx_t *ctx)
{
    if (ctx->config && ctx->config->secret_key_set)
        return LARIS_OK;
    laris_log(LARIS_ERROR, "wa-numbers: secrets key not configured (LARIS_SECRET_KEY)");
    return laris_err_set(ctx->err, LARIS_EUNAVAILABLE,
                         "Secrets key not configured: WhatsApp numbers cannot be saved until the "
                         "operator sets LARIS_SECRET_KEY.");
}

static laris_rc number_taken(laris_ctx_t *ctx)
{
    laris_err_field(ctx->err, "phone_number_id", "is already connected");
    return laris_err_set(ctx->err, LARIS_ECONFLICT,
                         "This phone_number_id is already connected to a Laris account.");
}

laris_rc laris_wa_numbers_list(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                               int64_t *next_after)
{
    const char *params[2] = {id_text(ctx, after_id), id_text(ctx, limit + 1)};
    PGresult *res;
    laris_rc rc =
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_WA_NUMBERS_LIST, 2, params, &res, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    int rows = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < rows && i < limit; i++)
        json_array_append_new(*items, number_json(ctx->arena, res, i));
    *next_after = rows > limit ? laris_db_int(res, limit - 1, "id") : 0;
    return LARIS_OK;
}

laris_rc laris_wa_numbers_get(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    const char *params[1] = {id_text(ctx, id)};
    PGresult *res;
    laris_rc rc =
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_WA_NUMBERS_GET, 1, params, &res, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) != 1)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such WhatsApp number.");
    *out = number_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_wa_numbers_create(laris_ctx_t *ctx, json_t *body, json_t **out)
{
    laris_err_t *err = ctx->err;
    laris_rc rc = require_secret_key(ctx);
    if (rc != LARIS_OK)
        return rc;
    const char *phone_number_id = NULL, *waba_id = NULL, *display = NULL, *access_token = NULL,
               *app_secret = NULL, *verify_token = NULL, *name = NULL;
    int64_t throughput = 0;
    read_meta_id(body, "phone_number_id", true, &phone_number_id, err);
    read_meta_id(body, "waba_id", true, &waba_id, err);
    read_display_number(body, true, &display, ctx);
    read_credential(body, "access_token", TOKEN_MIN, TOKEN_MAX, true, &access_token, err);
    read_credential(body, "app_secret", APP_SECRET_MIN, APP_SECRET_MAX, false, &app_secret, err);
    read_credential(body, "verify_token", VERIFY_TOKEN_MIN, VERIFY_TOKEN_MAX, false, &verify_token,
                    err);
    bool has_throughput = laris_json_int(body, "throughput_mps", 1, 1000, false, &throughput, err);
    read_name(body, &name, err);
    if (err->code != LARIS_OK)
        return err->code;

    const char *params[8] = {phone_number_id,
                             waba_id,
                             display,
                             seal_hex(ctx, access_token),
                             seal_hex(ctx, app_secret),
                             verify_token,
                             has_throughput ? id_text(ctx, throughput) : NULL,
                             name};
    PGresult *res;
    rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_WA_NUMBERS_CREATE, 8, params, &res, err);
    if (rc == LARIS_ECONFLICT)
        return number_taken(ctx);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) != 1)
        return number_taken(ctx);
    *out = number_json(ctx->arena, res, 0);
    json_t *detail =
        json_pack("{s:s, s:s, s:b, s:b}", "phone_number_id", phone_number_id, "waba_id", waba_id,
                  "app_secret", app_secret != NULL, "verify_token", verify_token != NULL);
    return laris_audit(ctx, "wa_number.create", "wa_number", laris_db_int(res, 0, "id"), detail);
}

laris_rc laris_wa_numbers_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out)
{
    laris_err_t *err = ctx->err;
    laris_rc rc = require_secret_key(ctx);
    if (rc != LARIS_OK)
        return rc;
    const char *display = NULL, *access_token = NULL, *app_secret = NULL, *verify_token = NULL,
               *name = NULL;
    int64_t throughput = 0;
    static const char *const fixed[] = {"phone_number_id", "waba_id", NULL};
    for (int i = 0; fixed[i]; i++)
        if (json_object_get(body, fixed[i]))
            laris_err_field(err, fixed[i], "cannot be changed: remove the number and add it again");
    read_display_number(body, false, &display, ctx);
    read_credential(body, "access_token", TOKEN_MIN, TOKEN_MAX, false, &access_token, err);
    read_credential(body, "app_secret", APP_SECRET_MIN, APP_SECRET_MAX, false, &app_secret, err);
    read_credential(body, "verify_token", VERIFY_TOKEN_MIN, VERIFY_TOKEN_MAX, false, &verify_token,
                    err);
    bool has_throughput = laris_json_int(body, "throughput_mps", 1, 1000, false, &throughput, err);
    read_name(body, &name, err);
    if (err->code != LARIS_OK)
        return err->code;

    const char *params[7] = {id_text(ctx, id),
                             name,
                             seal_hex(ctx, access_token),
                             seal_hex(ctx, app_secret),
                             verify_token,
                             has_throughput ? id_text(ctx, throughput) : NULL,
                             display};
    PGresult *res;
    rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_WA_NUMBERS_UPDATE, 7, params, &res, err);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) != 1)
        return laris_err_set(err, LARIS_ENOTFOUND, "There is no such WhatsApp number.");
    *out = number_json(ctx->arena, res, 0);
    json_t *detail = json_object();
    if (name)
        json_object_set_new(detail, "name", json_true());
    if (display)
        json_object_set_new(detail, "display_phone_number", json_true());
    if (has_throughput)
        json_object_set_new(detail, "throughput_mps", json_integer(throughput));
    if (access_token)
        json_object_set_new(detail, "access_token_rotated", json_true());
    if (app_secret)
        json_object_set_new(detail, "app_secret_rotated", json_true());
    if (verify_token)
        json_object_set_new(detail, "verify_token_changed", json_true());
    return laris_audit(ctx, "wa_number.update", "wa_number", id, detail);
}

laris_rc laris_wa_numbers_remove(laris_ctx_t *ctx, int64_t id)
{
    const char *params[1] = {id_text(ctx, id)};
    PGresult *res;
    laris_rc rc =
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_WA_NUMBERS_REMOVE, 1, params, &res, ctx->err);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) != 1)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such WhatsApp number.");
    return laris_audit(
        ctx, "wa_number.remove", "wa_number", id,
        json_pack("{s:s?}", "phone_number_id", laris_db_value(res, 0, "phone_number_id")));
}
