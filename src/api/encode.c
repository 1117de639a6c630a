/* Helpers shared by the handlers: the JSON body, responses, pagination, cookies, CSRF. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"
#include "laris/crypto.h"

json_t *api_body(laris_req_t *req)
{
    api_state_t *st = req->app;
    if (!st->body || !json_is_object(st->body)) {
        laris_err_set(&req->err, LARIS_EMALFORMED, "Send a JSON object as the body.");
        return NULL;
    }
    return st->body;
}

bool api_path_id(laris_req_t *req, const char *what, int64_t *id)
{
    if (laris_req_param_id(req, "id", id))
        return true;
    laris_err_set(&req->err, LARIS_ENOTFOUND, "There is no such %s.", what);
    return false;
}

laris_rc api_respond(laris_req_t *req, laris_rc rc, int status, json_t *out)
{
    if (rc != LARIS_OK) {
        if (out)
            json_decref(out);
        return rc;
    }
    return laris_resp_json(req, status, out);
}

/* Cursors are opaque to clients: base64url of "id:<last id>". */
static const char *encode_cursor(laris_req_t *req, int64_t after_id)
{
    char plain[32];
    int n = snprintf(plain, sizeof(plain), "id:%lld", (long long)after_id);
    size_t size = sodium_base64_ENCODED_LEN((size_t)n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = laris_arena_alloc(req->arena, size);
    sodium_bin2base64(out, size, (const unsigned char *)plain, (size_t)n,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

static bool decode_cursor(const char *cursor, int64_t *after_id)
{
    unsigned char plain[32];
    size_t len;
    if (strlen(cursor) > 40 ||
        sodium_base642bin(plain, sizeof(plain) - 1, cursor, strlen(cursor), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return false;
    plain[len] = '\0';
    if (len < 4 || memcmp(plain, "id:", 3) != 0)
        return false;
    char *end;
    long long id = strtoll((const char *)plain + 3, &end, 10);
    if (*end || id <= 0)
        return false;
    *after_id = id;
    return true;
}

/* Reads ?limit= (1..200, default 50) and ?cursor=; false with a 422 on req->err when bad. */
static bool page_params(laris_req_t *req, int *limit, int64_t *after_id)
{
    *limit = 50;
    *after_id = 0;
    const char *limit_text = laris_req_query(req, "limit");
    if (limit_text) {
        char *end;
        long value = strtol(limit_text, &end, 10);
        if (!*limit_text || *end || value < 1 || value > 200)
            laris_err_field(&req->err, "limit", "must be a whole number from 1 to 200");
        else
            *limit = (int)value;
    }
    const char *cursor = laris_req_query(req, "cursor");
    if (cursor && !decode_cursor(cursor, after_id))
        laris_err_field(&req->err, "cursor", "is not a cursor from a previous page");
    return req->err.code == LARIS_OK;
}

laris_rc api_list(laris_req_t *req, api_list_fn list)
{
    int limit;
    int64_t after;
    if (!page_params(req, &limit, &after))
        return req->err.code;
    json_t *items = NULL;
    int64_t next_after = 0;
    laris_rc rc = list(api_ctx(req), after, limit, &items, &next_after);
    if (rc != LARIS_OK)
        return api_respond(req, rc, 200, items);
    json_t *next = next_after ? json_string(encode_cursor(req, next_after)) : json_null();
    return laris_resp_json(req, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

laris_rc api_list_in(laris_req_t *req, int64_t parent_id, api_list_in_fn list)
{
    int limit;
    int64_t after;
    if (!page_params(req, &limit, &after))
        return req->err.code;
    json_t *items = NULL;
    int64_t next_after = 0;
    laris_rc rc = list(api_ctx(req), parent_id, after, limit, &items, &next_after);
    if (rc != LARIS_OK)
        return api_respond(req, rc, 200, items);
    json_t *next = next_after ? json_string(encode_cursor(req, next_after)) : json_null();
    return laris_resp_json(req, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

const char *api_session_cookie(laris_req_t *req, const char *token)
{
    const laris_config_t *cfg = api_ctx(req)->config;
    const char *secure = req->https || cfg->cookie_secure ? "; Secure" : "";
    if (!token)
        return laris_arena_printf(req->arena, "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                                  API_SESSION_COOKIE, secure);
    return laris_arena_printf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
                              API_SESSION_COOKIE, token, cfg->session_max_seconds, secure);
}

void api_csrf_token(const char *session_token, char out[LARIS_TOKEN_MAX])
{
    const char *dot = strchr(session_token, '.');
    laris_csrf_token(dot ? dot + 1 : session_token, out);
}
