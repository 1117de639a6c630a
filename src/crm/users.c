/* People of a tenant: the acting user's profile, password and presence, and the team as the
 * owner and supervisors manage it. Role rules live here, next to the data they protect. */
#include <stdio.h>
#include <string.h>

#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/json.h"

const char *laris_time_rfc3339(laris_arena_t *a, const char *pg_time)
{
    if (!pg_time)
        return NULL;
    char *out = laris_arena_strdup(a, pg_time);
    size_t len = strlen(out);
    if (len > 10 && out[10] == ' ')
        out[10] = 'T';
    if (len > 3 && strcmp(out + len - 3, "+00") == 0)
        memcpy(out + len - 3, "Z", 2);
    return out;
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *user_json(laris_arena_t *a, const PGresult *res, int row)
{
    json_t *u = json_object();
    json_object_set_new(u, "id", json_integer(laris_db_int(res, row, "id")));
    json_object_set_new(u, "email", string_or_null(laris_db_value(res, row, "email")));
    json_object_set_new(u, "name", string_or_null(laris_db_value(res, row, "name")));
    json_object_set_new(u, "role", string_or_null(laris_db_value(res, row, "role")));
    json_object_set_new(u, "presence", string_or_null(laris_db_value(res, row, "presence")));
    json_object_set_new(u, "max_chats", json_integer(laris_db_int(res, row, "max_chats")));
    json_object_set_new(u, "locale", string_or_null(laris_db_value(res, row, "locale")));
    json_object_set_new(u, "active", json_boolean(laris_db_bool(res, row, "active")));
    json_object_set_new(
        u, "created_at",
        string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, "created_at"))));
    json_object_set_new(
        u, "last_login_at",
        string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, "last_login_at"))));
    return u;
}

static json_t *tenant_json(laris_arena_t *a, const PGresult *res)
{
    json_t *t = json_object();
    json_object_set_new(t, "id", json_integer(laris_db_int(res, 0, "tenant_id")));
    json_object_set_new(t, "name", string_or_null(laris_db_value(res, 0, "tenant_name")));
    json_object_set_new(t, "status", string_or_null(laris_db_value(res, 0, "tenant_status")));
    json_object_set_new(t, "timezone", string_or_null(laris_db_value(res, 0, "tenant_timezone")));
    json_object_set_new(t, "locale", string_or_null(laris_db_value(res, 0, "tenant_locale")));
    json_object_set_new(t, "phone", string_or_null(laris_db_value(res, 0, "tenant_phone")));
    json_object_set_new(t, "plan", string_or_null(laris_db_value(res, 0, "tenant_plan")));
    json_object_set_new(
        t, "created_at",
        string_or_null(laris_time_rfc3339(a, laris_db_value(res, 0, "tenant_created_at"))));
    return t;
}

static const char *id_text(laris_ctx_t *ctx, int64_t id)
{
    return laris_arena_printf(ctx->arena, "%lld", (long long)id);
}

static laris_rc query(laris_ctx_t *ctx, laris_sql_id id, int n, const char *const *params,
                      PGresult **res)
{
    return laris_db_query(ctx->db, ctx->arena, id, n, params, res, ctx->err);
}

laris_rc laris_me_get(laris_ctx_t *ctx, json_t **out)
{
    const PGresult *res = ctx->identity;
    if (!res) {
        const char *params[1] = {id_text(ctx, ctx->user_id)};
        PGresult *fresh;
        laris_rc rc = query(ctx, LARIS_SQL_ME_GET, 1, params, &fresh);
        if (rc != LARIS_OK)
            return rc;
        res = fresh;
    }
    if (PQntuples(res) != 1)
        return laris_err_set(ctx->err, LARIS_EUNAUTHORIZED, "Log in again.");
    *out = json_pack("{s:o, s:o}", "user", user_json(ctx->arena, res, 0), "tenant",
                     tenant_json(ctx->arena, res));
    return LARIS_OK;
}

static const char *const locales[] = {"id", "en", NULL};

laris_rc laris_me_update(laris_ctx_t *ctx, json_t *patch, json_t **out)
{
    const char *name = NULL, *locale = NULL;
    if (laris_json_string(patch, "name", 1, 100, false, &name, ctx->err))
        laris_validate_name("name", name, 100, ctx->err);
    laris_json_enum(patch, "locale", locales, false, &locale, ctx->err);
    if (ctx->err->code != LARIS_OK)
        return ctx->err->code;
    const char *params[6] = {id_text(ctx, ctx->user_id), name, NULL, NULL, NULL, locale};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_USERS_UPDATE, 6, params, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = user_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_me_change_password(laris_ctx_t *ctx, const char *current, const char *next)
{
    if (!laris_validate_password("new_password", next, ctx->err))
        return ctx->err->code;
    const char *params[1] = {id_text(ctx, ctx->user_id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_USERS_PASSWORD_HASH, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) != 1 ||
        !laris_password_verify(laris_db_value(res, 0, "password_hash"), current)) {
        laris_err_field(ctx->err, "current_password", "is not your current password");
        return ctx->err->code;
    }
    char hash[LARIS_PASSWORD_HASH_MAX];
    if (!laris_password_hash(next, hash))
        return laris_err_set(ctx->err, LARIS_EUNAVAILABLE, "The server is busy. Try again.");
    const char *set_params[2] = {params[0], hash};
    rc = query(ctx, LARIS_SQL_USERS_SET_PASSWORD, 2, set_params, NULL);
    const char *end_params[2] = {params[0], id_text(ctx, ctx->session_id)};
    if (rc == LARIS_OK)
        rc = query(ctx, LARIS_SQL_SESSIONS_END_OTHERS, 2, end_params, NULL);
    if (rc != LARIS_OK)
        return rc;
    return laris_audit(ctx, "user.password_change", "user", ctx->user_id, NULL);
}

laris_rc laris_me_set_presence(laris_ctx_t *ctx, const char *presence, json_t **out)
{
    const char *params[2] = {id_text(ctx, ctx->user_id), presence};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_USERS_SET_PRESENCE, 2, params, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = json_pack("{s:s?, s:s?}", "presence", laris_db_value(res, 0, "presence"), "presence_at",
                     laris_time_rfc3339(ctx->arena, laris_db_value(res, 0, "presence_at")));
    return LARIS_OK;
}

laris_rc laris_users_list(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                          int64_t *next_after)
{
    const char *params[2] = {id_text(ctx, after_id), id_text(ctx, limit + 1)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_USERS_LIST, 2, params, &res);
    if (rc != LARIS_OK)
        return rc;
    int rows = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < rows && i < limit; i++)
        json_array_append_new(*items, user_json(ctx->arena, res, i));
    *next_after = rows > limit ? laris_db_int(res, limit - 1, "id") : 0;
    return LARIS_OK;
}

/* Loads user id into *res; 404 when it does not exist in this tenant. */
static laris_rc load_user(laris_ctx_t *ctx, int64_t id, PGresult **res)
{
    const char *params[1] = {id_text(ctx, id)};
    laris_rc rc = query(ctx, LARIS_SQL_USERS_GET, 1, params, res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(*res) != 1)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such user.");
    return LARIS_OK;
}

laris_rc laris_users_get(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    PGresult *res;
    laris_rc rc = load_user(ctx, id, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = user_json(ctx->arena, res, 0);
    return LARIS_OK;
}

static const char *const team_roles[] = {"supervisor", "agent", NULL};

laris_rc laris_users_create(laris_ctx_t *ctx, json_t *body, json_t **out)
{
    laris_err_t *err = ctx->err;
    const char *email = NULL, *name = NULL, *password = NULL, *role = NULL;
    int64_t max_chats = 10;
    if (laris_json_string(body, "email", 3, 254, true, &email, err))
        laris_validate_email("email", email, err);
    if (laris_json_string(body, "name", 1, 100, true, &name, err))
        laris_validate_name("name", name, 100, err);
    if (laris_json_string(body, "password", 8, 128, true, &password, err))
        laris_validate_password("password", password, err);
    laris_json_enum(body, "role", team_roles, true, &role, err);
    laris_json_int(body, "max_chats", 1, 200, false, &max_chats, err);
    if (err->code != LARIS_OK)
        return err->code;
    if (ctx->role < LARIS_ROLE_OWNER && laris_role_parse(role) != LARIS_ROLE_AGENT)
        return laris_err_set(err, LARIS_EFORBIDDEN, "Supervisors can add agents only.");

    char hash[LARIS_PASSWORD_HASH_MAX];
    if (!laris_password_hash(password, hash))
        return laris_err_set(err, LARIS_EUNAVAILABLE, "The server is busy. Try again.");
    const char *params[5] = {email, name, role, hash, id_text(ctx, max_chats)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_USERS_CREATE, 5, params, &res);
    if (rc == LARIS_ECONFLICT) {
        laris_err_field(err, "email", "is already registered");
        return laris_err_set(err, LARIS_ECONFLICT, "Someone already uses this email.");
    }
    if (rc != LARIS_OK)
        return rc;
    *out = user_json(ctx->arena, res, 0);
    int64_t id = laris_db_int(res, 0, "id");
    return laris_audit(ctx, "user.create", "user", id,
                       json_pack("{s:s, s:s}", "email", email, "role", role));
}

/* A person acting on their own record. An API token is never "self": it acts with its own
 * role, not as the user who created it. */
static bool acts_on_self(const laris_ctx_t *ctx, int64_t target_id)
{
    return ctx->api_key_id == 0 && target_id == ctx->user_id;
}

/* Whether the actor may change target (role target_role): owners change everyone, supervisors
 * change agents and themselves, agents nobody (the route already refuses them). */
static bool may_manage(laris_ctx_t *ctx, int64_t target_id, laris_role target_role)
{
    if (acts_on_self(ctx, target_id))
        return true;
    if (target_role == LARIS_ROLE_OWNER)
        return false;
    if (ctx->role == LARIS_ROLE_OWNER)
        return true;
    return ctx->role == LARIS_ROLE_SUPERVISOR && target_role == LARIS_ROLE_AGENT;
}

laris_rc laris_users_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out)
{
    laris_err_t *err = ctx->err;
    const char *name = NULL, *role = NULL, *password = NULL;
    int64_t max_chats = 0;
    bool active = true, has_active, has_max_chats;
    if (laris_json_string(body, "name", 1, 100, false, &name, err))
        laris_validate_name("name", name, 100, err);
    laris_json_enum(body, "role", team_roles, false, &role, err);
    has_max_chats = laris_json_int(body, "max_chats", 1, 200, false, &max_chats, err);
    has_active = laris_json_bool(body, "active", false, &active, err);
    if (laris_json_string(body, "password", 8, 128, false, &password, err))
        laris_validate_password("password", password, err);
    if (err->code != LARIS_OK)
        return err->code;

    PGresult *res;
    laris_rc rc = load_user(ctx, id, &res);
    if (rc != LARIS_OK)
        return rc;
    laris_role target_role = laris_role_parse(laris_db_value(res, 0, "role"));
    bool self = acts_on_self(ctx, id);
    if (!may_manage(ctx, id, target_role))
        return laris_err_set(err, LARIS_EFORBIDDEN, "You cannot change this user.");
    if (role && (self || ctx->role != LARIS_ROLE_OWNER))
        return laris_err_set(err, LARIS_EFORBIDDEN,
                             "Only the owner changes roles, and not "
                             "their own.");
    if (has_active && !active && self)
        return laris_err_set(err, LARIS_EFORBIDDEN, "You cannot deactivate yourself.");
    if (password && self)
        return laris_err_set(err, LARIS_EFORBIDDEN,
                             "Change your own password with your current one (PUT "
                             "/api/v1/me/password).");

    const char *id_param = id_text(ctx, id);
    const char *params[6] = {id_param,
                             name,
                             role,
                             has_max_chats ? id_text(ctx, max_chats) : NULL,
                             has_active ? (active ? "true" : "false") : NULL,
                             NULL};
    rc = query(ctx, LARIS_SQL_USERS_UPDATE, 6, params, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = user_json(ctx->arena, res, 0);

    if (password) {
        char hash[LARIS_PASSWORD_HASH_MAX];
        if (!laris_password_hash(password, hash))
            return laris_err_set(err, LARIS_EUNAVAILABLE, "The server is busy. Try again.");
        const char *set_params[2] = {id_param, hash};
        rc = query(ctx, LARIS_SQL_USERS_SET_PASSWORD, 2, set_params, NULL);
    }
    bool ends_sessions = password || (has_active && !active) || role;
    const char *end_params[2] = {id_param, "0"};
    if (rc == LARIS_OK && ends_sessions)
        rc = query(ctx, LARIS_SQL_SESSIONS_END_OTHERS, 2, end_params, NULL);
    if (rc != LARIS_OK)
        return rc;
    json_t *detail = json_object();
    if (name)
        json_object_set_new(detail, "name", json_true());
    if (role)
        json_object_set_new(detail, "role", json_string(role));
    if (has_max_chats)
        json_object_set_new(detail, "max_chats", json_integer(max_chats));
    if (has_active)
        json_object_set_new(detail, "active", json_boolean(active));
    if (password)
        json_object_set_new(detail, "password_reset", json_true());
    return laris_audit(ctx, "user.update", "user", id, detail);
}

laris_rc laris_users_deactivate(laris_ctx_t *ctx, int64_t id)
{
    json_t *body = laris_json_adopt(ctx->arena, json_pack("{s:b}", "active", 0));
    json_t *out = NULL;
    laris_rc rc = laris_users_update(ctx, id, body, &out);
    if (out)
        json_decref(out);
    return rc;
}
