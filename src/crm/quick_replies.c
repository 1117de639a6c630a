/* Quick replies: a tenant's canned answers typed as /shortcut, listed by prefix and rendered
 * for a conversation ({{nama}}, {{agen}}, {{bisnis}}; see inbox_text.c). */
#include <string.h>

#include "laris/crm.h"
#include "laris/json.h"

#define BODY_MAX 4096

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

static laris_rc query(laris_ctx_t *ctx, laris_sql_id id, int n, const char *const *params,
                      PGresult **out)
{
    return laris_db_query(ctx->db, ctx->arena, id, n, params, out, ctx->err);
}

static json_t *reply_json(laris_arena_t *a, const PGresult *res, int row)
{
    const char *created = laris_time_rfc3339(a, laris_db_value(res, row, "created_at"));
    const char *updated = laris_time_rfc3339(a, laris_db_value(res, row, "updated_at"));
    return json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)laris_db_int(res, row, "id"),
                     "shortcut", laris_db_value(res, row, "shortcut"), "body",
                     laris_db_value(res, row, "body"), "created_at", created ? created : "",
                     "updated_at", updated ? updated : "");
}

static laris_rc not_found(laris_ctx_t *ctx)
{
    return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such quick reply.");
}

static laris_rc shortcut_taken(laris_ctx_t *ctx)
{
    laris_err_field(ctx->err, "shortcut", "is taken by another quick reply");
    return laris_err_set(ctx->err, LARIS_ECONFLICT, "A quick reply with this shortcut exists.");
}

/* Reads shortcut (into the arena, with its slash) and body. */
static bool read_reply(laris_ctx_t *ctx, json_t *in, bool required, const char **shortcut,
                       const char **body)
{
    *shortcut = *body = NULL;
    bool ok = true;
    const char *raw;
    if (laris_json_string(in, "shortcut", 1, LARIS_SHORTCUT_MAX, required, &raw, ctx->err)) {
        char norm[LARIS_SHORTCUT_MAX];
        if (laris_shortcut_normalize(raw, false, norm)) {
            *shortcut = laris_arena_strdup(ctx->arena, norm);
        } else {
            laris_err_field(ctx->err, "shortcut",
                            "must be / and 1 to 32 of a-z, 0-9, _ and - (such as /ongkir)");
            ok = false;
        }
    } else if (json_object_get(in, "shortcut") || required) {
        ok = false;
    }
    if (laris_json_string(in, "body", 1, BODY_MAX, required, body, ctx->err)) {
        if (strspn(*body, " \t\r\n") == strlen(*body)) {
            laris_err_field(ctx->err, "body", "must not be blank");
            ok = false;
        }
    } else if (json_object_get(in, "body") || required) {
        ok = false;
    }
    return ok;
}

laris_rc laris_quick_replies_list(laris_ctx_t *ctx, const char *prefix, int64_t after_id, int limit,
                                  json_t **items, int64_t *next_after)
{
    char norm[LARIS_SHORTCUT_MAX];
    if (prefix && !laris_shortcut_normalize(prefix, true, norm))
        return laris_err_field(ctx->err, "q", "must be the start of a shortcut, such as /ong");
    const char *params[3] = {int_text(ctx->arena, after_id), int_text(ctx->arena, limit + 1),
                             prefix ? norm : NULL};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_QUICK_REPLIES_LIST, 3, params, &res);
    if (rc != LARIS_OK)
        return rc;
    int n = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < n && i < limit; i++)
        json_array_append_new(*items, reply_json(ctx->arena, res, i));
    *next_after = n > limit ? laris_db_int(res, limit - 1, "id") : 0;
    return LARIS_OK;
}

laris_rc laris_quick_replies_get(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    const char *params[1] = {int_text(ctx->arena, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_QUICK_REPLIES_GET, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    *out = reply_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_quick_replies_create(laris_ctx_t *ctx, json_t *body, json_t **out)
{
    const char *shortcut, *text;
    if (!read_reply(ctx, body, true, &shortcut, &text))
        return LARIS_EINVALID;
    const char *params[3] = {shortcut, text,
                             ctx->user_id ? int_text(ctx->arena, ctx->user_id) : NULL};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_QUICK_REPLIES_INSERT, 3, params, &res);
    if (rc == LARIS_ECONFLICT)
        return shortcut_taken(ctx);
    if (rc != LARIS_OK)
        return rc;
    *out = reply_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_quick_replies_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out)
{
    const char *shortcut, *text;
    if (!read_reply(ctx, body, false, &shortcut, &text))
        return LARIS_EINVALID;
    const char *params[3] = {int_text(ctx->arena, id), shortcut, text};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_QUICK_REPLIES_UPDATE, 3, params, &res);
    if (rc == LARIS_ECONFLICT)
        return shortcut_taken(ctx);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    *out = reply_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_quick_replies_delete(laris_ctx_t *ctx, int64_t id)
{
    const char *params[1] = {int_text(ctx->arena, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_QUICK_REPLIES_DELETE, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    return LARIS_OK;
}

laris_rc laris_quick_replies_render_for(laris_ctx_t *ctx, int64_t conversation_id,
                                        const char *prefix, json_t **out)
{
    char norm[LARIS_SHORTCUT_MAX];
    if (!laris_shortcut_normalize(prefix ? prefix : "/", true, norm))
        return laris_err_field(ctx->err, "q", "must be the start of a shortcut, such as /ong");
    const char *params[2] = {int_text(ctx->arena, conversation_id),
                             int_text(ctx->arena, ctx->user_id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_QUICK_REPLIES_CONTEXT, 2, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    laris_reply_vars_t vars = {
        .contact_name = laris_db_value(res, 0, "contact_name"),
        .profile_name = laris_db_value(res, 0, "profile_name"),
        .agent_name = laris_db_value(res, 0, "agent_name"),
        .business_name = laris_db_value(res, 0, "business_name"),
    };
    const char *match[1] = {norm};
    rc = query(ctx, LARIS_SQL_QUICK_REPLIES_MATCH, 1, match, &res);
    if (rc != LARIS_OK)
        return rc;
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(res); i++) {
        const char *body = laris_db_value(res, i, "body");
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)laris_db_int(res, i, "id"),
                             "shortcut", laris_db_value(res, i, "shortcut"), "body", body, "text",
                             laris_quick_reply_render(ctx->arena, body, &vars)));
    }
    *out = json_pack("{s:o}", "items", items);
    return LARIS_OK;
}
