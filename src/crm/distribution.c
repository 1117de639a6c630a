/* Who owns a chat: the tenant's distribution settings, claim, transfer and escalate, and the
 * one-owner rule replies go through. Automatic assignment runs in laris-worker (src/worker/
 * assign.c); everything here runs in the request's transaction under the tenant.
 *
 * Every change of owner locks the conversation row first (dist_conversation_lock), so changes
 * and replies to one chat queue up and each sees the owner the one before it left: of two agents
 * claiming or replying at once, exactly one gets the chat. Each change writes one
 * conversation_assignments row. */
#include <string.h>

#include "laris/crm.h"
#include "laris/json.h"

#define REASON_MAX 500
#define GRACE_MAX  86400

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

static laris_rc query(laris_ctx_t *ctx, laris_sql_id id, int n, const char *const *params,
                      PGresult **out)
{
    return laris_db_query(ctx->db, ctx->arena, id, n, params, out, ctx->err);
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *id_or_null(const PGresult *res, const char *column)
{
    return laris_db_value(res, 0, column) ? json_integer(laris_db_int(res, 0, column))
                                          : json_null();
}

/* ---- settings ---- */

static json_t *settings_json(laris_arena_t *a, const PGresult *res)
{
    return json_pack("{s:s,s:I,s:o}", "distribution_mode",
                     laris_db_value(res, 0, "distribution_mode"), "offline_grace_seconds",
                     (json_int_t)laris_db_int(res, 0, "offline_grace_seconds"), "updated_at",
                     string_or_null(laris_time_rfc3339(a, laris_db_value(res, 0, "updated_at"))));
}

laris_rc laris_settings_get(laris_ctx_t *ctx, json_t **out)
{
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_SETTINGS_GET, 0, NULL, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = settings_json(ctx->arena, res);
    return LARIS_OK;
}

laris_rc laris_settings_put(laris_ctx_t *ctx, json_t *body, json_t **out)
{
    static const char *const modes[] = {"round_robin", "manual", NULL};
    laris_err_t *err = ctx->err;
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        if (strcmp(key, "distribution_mode") != 0 && strcmp(key, "offline_grace_seconds") != 0)
            laris_err_field(err, key, "is not a setting");
    }
    const char *mode = NULL;
    int64_t grace = 0;
    laris_json_enum(body, "distribution_mode", modes, false, &mode, err);
    bool has_grace =
        laris_json_int(body, "offline_grace_seconds", 0, GRACE_MAX, false, &grace, err);
    if (err->code != LARIS_OK)
        return err->code;
    const char *params[2] = {mode, has_grace ? int_text(ctx->arena, grace) : NULL};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_SETTINGS_PUT, 2, params, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = settings_json(ctx->arena, res);
    json_t *detail = json_object();
    if (mode)
        json_object_set_new(detail, "distribution_mode", json_string(mode));
    if (has_grace)
        json_object_set_new(detail, "offline_grace_seconds", json_integer(grace));
    return laris_audit(ctx, "settings.update", "tenant", ctx->tenant_id, detail);
}

/* ---- owners ---- */

/* The conversation as distribution shows it. */
static laris_rc conversation_json(laris_ctx_t *ctx, const char *id_text, json_t **out)
{
    PGresult *res;
    const char *params[1] = {id_text};
    laris_rc rc = query(ctx, LARIS_SQL_DIST_CONVERSATION_GET, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    laris_arena_t *a = ctx->arena;
    *out = json_pack(
        "{s:I,s:s,s:o,s:o,s:o,s:b,s:o,s:o,s:o}", "id", (json_int_t)laris_db_int(res, 0, "id"),
        "status", laris_db_value(res, 0, "status"), "assignee_id", id_or_null(res, "assignee_id"),
        "assignee_name", string_or_null(laris_db_value(res, 0, "assignee_name")), "assigned_at",
        string_or_null(laris_time_rfc3339(a, laris_db_value(res, 0, "assigned_at"))), "escalated",
        laris_db_value(res, 0, "escalated_at") != NULL, "escalated_at",
        string_or_null(laris_time_rfc3339(a, laris_db_value(res, 0, "escalated_at"))),
        "escalated_by", id_or_null(res, "escalated_by"), "escalation_reason",
        string_or_null(laris_db_value(res, 0, "escalation_reason")));
    return LARIS_OK;
}

/* The locked conversation: *res (row 0) with status and assignee_id. */
static laris_rc lock_conversation(laris_ctx_t *ctx, const char *id_text, PGresult **res)
{
    const char *params[1] = {id_text};
    laris_rc rc = query(ctx, LARIS_SQL_DIST_CONVERSATION_LOCK, 1, params, res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(*res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    return LARIS_OK;
}

static bool is_resolved(const PGresult *res)
{
    const char *status = laris_db_value(res, 0, "status");
    return status && strcmp(status, "resolved") == 0;
}

/* 409 naming the chat's owner (problem member "owner"). */
static laris_rc owned_by_other(laris_ctx_t *ctx, const PGresult *locked)
{
    const char *params[1] = {laris_db_value(locked, 0, "assignee_id")};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_DIST_USER_GET, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    const char *name = PQntuples(res) == 1 ? laris_db_value(res, 0, "name") : NULL;
    ctx->err->owner = laris_arena_strdup(ctx->arena, name ? name : "");
    return laris_err_set(ctx->err, LARIS_ECONFLICT,
                         "%s is handling this chat. Ask them or a supervisor to transfer it.",
                         name ? name : "Another agent");
}

/* The person acting, for ownership: 0 for an API token (a token acts with its role, never as a
 * person, so it owns no chat). */
static int64_t person(const laris_ctx_t *ctx)
{
    return ctx->api_key_id == 0 ? ctx->user_id : 0;
}

/* Gives the locked conversation to to_user (0: nobody) and records why. */
static laris_rc set_owner(laris_ctx_t *ctx, const char *id_text, const PGresult *locked,
                          int64_t to_user, const char *reason, const char *note)
{
    laris_arena_t *a = ctx->arena;
    const char *assign[2] = {id_text, to_user ? int_text(a, to_user) : NULL};
    laris_rc rc = query(ctx, LARIS_SQL_DIST_CONVERSATION_ASSIGN, 2, assign, NULL);
    if (rc != LARIS_OK)
        return rc;
    const char *history[6] = {id_text,
                              laris_db_value(locked, 0, "assignee_id"),
                              to_user ? int_text(a, to_user) : NULL,
                              reason,
                              ctx->user_id ? int_text(a, ctx->user_id) : NULL,
                              note};
    return query(ctx, LARIS_SQL_DIST_HISTORY_INSERT, 6, history, NULL);
}

/* The acting person takes the locked chat unless it is resolved or someone else has it. */
static laris_rc claim_locked(laris_ctx_t *ctx, const char *id_text, const PGresult *locked)
{
    if (is_resolved(locked))
        return laris_err_set(ctx->err, LARIS_ECONFLICT, "This chat is resolved.");
    int64_t owner = laris_db_int(locked, 0, "assignee_id");
    if (owner != 0 && owner != ctx->user_id)
        return owned_by_other(ctx, locked);
    if (owner == 0)
        return set_owner(ctx, id_text, locked, ctx->user_id, "claim", NULL);
    return LARIS_OK;
}

laris_rc laris_dist_claim(laris_ctx_t *ctx, int64_t conversation_id, json_t **out)
{
    if (person(ctx) == 0)
        return laris_err_set(ctx->err, LARIS_EFORBIDDEN,
                             "An API token cannot own a chat. The agent who takes it logs in.");
    const char *id_text = int_text(ctx->arena, conversation_id);
    PGresult *res;
    laris_rc rc = lock_conversation(ctx, id_text, &res);
    if (rc == LARIS_OK)
        rc = claim_locked(ctx, id_text, res);
    if (rc != LARIS_OK)
        return rc;
    return conversation_json(ctx, id_text, out);
}

/* Hands the locked chat to to_user (0: back to waiting) unless it is resolved; a person must
 * be an active agent who is not offline, else a field error on `field`. The caller checked
 * that the acting person may. */
static laris_rc transfer_locked(laris_ctx_t *ctx, const char *id_text, const PGresult *locked,
                                int64_t to_user, const char *field)
{
    if (is_resolved(locked))
        return laris_err_set(ctx->err, LARIS_ECONFLICT, "This chat is resolved.");
    int64_t owner = laris_db_int(locked, 0, "assignee_id");
    if (to_user != 0) {
        PGresult *target;
        const char *target_params[1] = {int_text(ctx->arena, to_user)};
        laris_rc rc = query(ctx, LARIS_SQL_DIST_USER_GET, 1, target_params, &target);
        if (rc != LARIS_OK)
            return rc;
        const char *role = PQntuples(target) == 1 ? laris_db_value(target, 0, "role") : NULL;
        if (!role || strcmp(role, "agent") != 0 || !laris_db_bool(target, 0, "active"))
            return laris_err_field(ctx->err, field, "must be an active agent of this business");
        if (strcmp(laris_db_value(target, 0, "presence"), "offline") == 0)
            return laris_err_field(
                ctx->err, field,
                "is offline; their chats go back to waiting after the grace period");
    }
    if (owner == to_user)
        return LARIS_OK;
    return set_owner(ctx, id_text, locked, to_user, "transfer", NULL);
}

laris_rc laris_dist_transfer(laris_ctx_t *ctx, int64_t conversation_id, int64_t to_user,
                             json_t **out)
{
    const char *id_text = int_text(ctx->arena, conversation_id);
    PGresult *res;
    laris_rc rc = lock_conversation(ctx, id_text, &res);
    if (rc != LARIS_OK)
        return rc;
    int64_t owner = laris_db_int(res, 0, "assignee_id");
    if (ctx->role < LARIS_ROLE_SUPERVISOR && (owner == 0 || owner != person(ctx)))
        return laris_err_set(ctx->err, LARIS_EFORBIDDEN,
                             "Only the agent who owns this chat or a supervisor can transfer it.");
    rc = transfer_locked(ctx, id_text, res, to_user, "user_id");
    if (rc != LARIS_OK)
        return rc;
    return conversation_json(ctx, id_text, out);
}

laris_rc laris_dist_assign(laris_ctx_t *ctx, int64_t conversation_id, int64_t to_user)
{
    const char *id_text = int_text(ctx->arena, conversation_id);
    PGresult *res;
    laris_rc rc = lock_conversation(ctx, id_text, &res);
    if (rc != LARIS_OK)
        return rc;
    if (ctx->role >= LARIS_ROLE_SUPERVISOR)
        return transfer_locked(ctx, id_text, res, to_user, "assignee_id");
    int64_t owner = laris_db_int(res, 0, "assignee_id");
    if (to_user == 0 || to_user != person(ctx) || (owner != 0 && owner != to_user))
        return laris_err_set(ctx->err, LARIS_EFORBIDDEN,
                             "An agent can only take an unassigned chat; a supervisor assigns "
                             "chats to others.");
    return claim_locked(ctx, id_text, res);
}

laris_rc laris_dist_escalate(laris_ctx_t *ctx, int64_t conversation_id, json_t *body, json_t **out)
{
    const char *reason = NULL;
    if (laris_json_string(body, "reason", 1, REASON_MAX, true, &reason, ctx->err) &&
        strspn(reason, " \t\r\n") == strlen(reason))
        laris_err_field(ctx->err, "reason", "must not be blank");
    if (ctx->err->code != LARIS_OK)
        return ctx->err->code;
    const char *id_text = int_text(ctx->arena, conversation_id);
    PGresult *res;
    laris_rc rc = lock_conversation(ctx, id_text, &res);
    if (rc != LARIS_OK)
        return rc;
    int64_t owner = laris_db_int(res, 0, "assignee_id");
    if (ctx->role < LARIS_ROLE_SUPERVISOR && (owner == 0 || owner != person(ctx)))
        return laris_err_set(ctx->err, LARIS_EFORBIDDEN,
                             "Only the agent who owns this chat or a supervisor can escalate it.");
    if (is_resolved(res))
        return laris_err_set(ctx->err, LARIS_ECONFLICT, "This chat is resolved.");
    const char *mark[3] = {id_text, ctx->user_id ? int_text(ctx->arena, ctx->user_id) : NULL,
                           reason};
    rc = query(ctx, LARIS_SQL_DIST_ESCALATE_MARK, 3, mark, NULL);
    PGresult *sup = NULL;
    if (rc == LARIS_OK)
        rc = query(ctx, LARIS_SQL_DIST_SUPERVISOR_PICK, 0, NULL, &sup);
    if (rc != LARIS_OK)
        return rc;
    /* With no supervisor online the chat stays with its owner, marked for every supervisor. */
    int64_t to = PQntuples(sup) == 1 ? laris_db_int(sup, 0, "id") : 0;
    if (to != 0 && to != owner &&
        (rc = set_owner(ctx, id_text, res, to, "escalate", reason)) != LARIS_OK)
        return rc;
    return conversation_json(ctx, id_text, out);
}

laris_rc laris_dist_reply_check(laris_ctx_t *ctx, int64_t conversation_id)
{
    const char *id_text = int_text(ctx->arena, conversation_id);
    PGresult *res;
    laris_rc rc = lock_conversation(ctx, id_text, &res);
    if (rc != LARIS_OK)
        return rc;
    int64_t owner = laris_db_int(res, 0, "assignee_id");
    if (owner == 0) {
        if (ctx->role == LARIS_ROLE_AGENT && person(ctx) != 0 && !is_resolved(res))
            return set_owner(ctx, id_text, res, ctx->user_id, "claim", "reply");
        return LARIS_OK;
    }
    if (owner == person(ctx) || ctx->role >= LARIS_ROLE_SUPERVISOR)
        return LARIS_OK;
    return owned_by_other(ctx, res);
}
