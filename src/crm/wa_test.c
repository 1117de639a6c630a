/* "Test a number": asks Graph about a connected number with its own access token, so the owner
 * sees at once whether the connection works (display number, verified name, quality rating)
 * or why not, in plain words. A token Graph refuses (190) marks the number 'disconnected' so
 * nobody replies through it until the owner gives a new token and tests again; an answer marks
 * it 'active'. The token is opened only for the call and wiped after it; it is never logged. */
#include <sodium.h>
#include <string.h>

#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/log.h"
#include "laris/wa.h"
#include "laris/wa_outgoing.h"

/* How long an owner waits for Graph's answer at most. */
#define TEST_TIMEOUT_MS_MAX 10000L

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* Opens the sealed token (hex) into the arena; NULL when it cannot be opened. */
static unsigned char *open_token(laris_ctx_t *ctx, const char *hex, size_t *len)
{
    unsigned char *token = NULL;
    if (!ctx->config->secret_key_set ||
        !laris_secret_open_hex(ctx->config->secret_key, hex, ctx->arena, &token, len))
        return NULL;
    return token;
}

laris_rc laris_wa_numbers_test(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    const char *id_text = laris_arena_printf(ctx->arena, "%lld", (long long)id);
    PGresult *res;
    const char *params[1] = {id_text};
    laris_rc rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_WA_NUMBER_TEST_GET, 1, params, &res,
                                 ctx->err);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such WhatsApp number.");
    const char *pnid = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "phone_number_id"));
    size_t token_len = 0;
    unsigned char *token = open_token(ctx, laris_db_value(res, 0, "token"), &token_len);
    if (!token)
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "This number's access token cannot be used. Enter the access token "
                             "again, then test.");

    /* Graph may take seconds to answer: no transaction stays open meanwhile. */
    rc = laris_db_commit_step(ctx->db, ctx->err);
    if (rc != LARIS_OK) {
        sodium_memzero(token, token_len);
        return rc;
    }
    const laris_config_t *cfg = ctx->config;
    long timeout =
        cfg->graph_timeout_ms < TEST_TIMEOUT_MS_MAX ? cfg->graph_timeout_ms : TEST_TIMEOUT_MS_MAX;
    laris_wa_phone_info_t info;
    laris_wa_phone_info(ctx->arena, cfg->graph_url, cfg->graph_version, pnid, (const char *)token,
                        timeout, &info);
    sodium_memzero(token, token_len);
    if (!info.reached) {
        ctx->err->retry_after = 30;
        return laris_err_set(ctx->err, LARIS_EUNAVAILABLE,
                             "WhatsApp could not be reached to test this number. Try again in a "
                             "minute.");
    }
    const laris_wa_error_info_t *e = laris_wa_error_lookup(info.error_code);
    bool token_refused =
        !info.ok && info.error_given && (e->flags & LARIS_WA_ERRF_TOKEN_EXPIRED) != 0;
    if (info.ok || token_refused) {
        const char *upd[2] = {id_text, info.ok ? "active" : "disconnected"};
        rc = laris_db_query(ctx->db, ctx->arena, LARIS_SQL_WA_NUMBER_TEST_STATUS, 2, upd, NULL,
                            ctx->err);
        if (rc != LARIS_OK)
            return rc;
    }
    laris_log(LARIS_INFO, "tested wa number %s: %s (code %lld)", id_text,
              info.ok ? "ok" : "refused", (long long)info.error_code);
    if (info.ok) {
        *out = json_pack("{s:b,s:o,s:o,s:o}", "ok", 1, "display_phone_number",
                         string_or_null(info.display_phone_number), "verified_name",
                         string_or_null(info.verified_name), "quality_rating",
                         string_or_null(info.quality_rating));
        return LARIS_OK;
    }
    if (!info.error_given) {
        *out = json_pack("{s:b,s:{s:n,s:s,s:s},s:b}", "ok", 0, "error", "code", "message",
                         "WhatsApp refused the test without saying why.", "message_id",
                         "WhatsApp menolak tes tanpa menyebut alasannya.", "needs_new_token", 0);
        return LARIS_OK;
    }
    *out = json_pack(
        "{s:b,s:{s:I,s:s,s:s},s:b}", "ok", 0, "error", "code", (json_int_t)info.error_code,
        "message", laris_wa_error_agent_message(info.error_code, "en"), "message_id",
        laris_wa_error_agent_message(info.error_code, "id"), "needs_new_token", token_refused);
    return LARIS_OK;
}
