/* Customer service settings: business hours, closed dates, greeting and away texts, SLA
 * targets; keyword auto-reply rules; a chat's SLA figures. Everything runs in the request's
 * transaction under the tenant (RLS), so another tenant's rules are simply not found. The
 * replies themselves are sent by laris-worker (src/worker/autoreply.c). */
#include <string.h>

#include "laris/clock.h"
#include "laris/crm.h"
#include "laris/hours.h"
#include "laris/json.h"
#include "laris/textnorm.h"

#define TEXT_MAX     1000
#define SLA_MAX      604800 /* a week */
#define WARNING_MAX  86400
#define KEYWORDS_MAX 20
#define KEYWORD_MAX  100
#define RULES_MAX    200

static laris_rc query(laris_ctx_t *ctx, laris_sql_id id, int n, const char *const *params,
                      PGresult **out)
{
    return laris_db_query(ctx->db, ctx->arena, id, n, params, out, ctx->err);
}

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *int_or_null(const PGresult *res, int row, const char *column)
{
    return laris_db_value(res, row, column) ? json_integer(laris_db_int(res, row, column))
                                            : json_null();
}

/* A JSON column (text) decoded; NULL for SQL NULL. */
static json_t *json_column(laris_arena_t *a, const PGresult *res, int row, const char *column)
{
    const char *v = laris_db_value(res, row, column);
    return v ? laris_json_adopt(a, json_loads(v, 0, NULL)) : NULL;
}

/* ---- settings ---- */

/* The settings row as the API shows it, with open_now and next_change_at computed now. */
static json_t *settings_json(laris_ctx_t *ctx, const PGresult *res)
{
    laris_arena_t *a = ctx->arena;
    const char *zone = laris_db_value(res, 0, "timezone");
    json_t *hours = json_column(a, res, 0, "business_hours");
    json_t *closed = json_column(a, res, 0, "closed_dates");
    json_t *out = json_pack(
        "{s:s,s:O,s:O,s:b,s:o,s:b,s:o,s:I,s:o,s:I,s:b}", "timezone", zone, "business_hours",
        hours ? hours : json_null(), "closed_dates", closed ? closed : json_null(),
        "greeting_enabled", laris_db_bool(res, 0, "greeting_enabled"), "greeting_text",
        string_or_null(laris_db_value(res, 0, "greeting_text")), "away_enabled",
        laris_db_bool(res, 0, "away_enabled"), "away_text",
        string_or_null(laris_db_value(res, 0, "away_text")), "sla_first_response_seconds",
        (json_int_t)laris_db_int(res, 0, "sla_first_response_seconds"), "sla_out_of_hours_seconds",
        int_or_null(res, 0, "sla_out_of_hours_seconds"), "sla_warning_seconds",
        (json_int_t)laris_db_int(res, 0, "sla_warning_seconds"), "sla_auto_escalate",
        laris_db_bool(res, 0, "sla_auto_escalate"));
    /* Open now, and when that changes (null: always open, or never opens). */
    laris_hours_buf_t *buf = LARIS_NEW(a, laris_hours_buf_t);
    bool open = true;
    json_t *next = json_null();
    if (hours && !laris_hours_from_json(hours, closed, zone, buf)) {
        int64_t now = laris_clock_now(), at;
        open = laris_hours_open(&buf->hours, now);
        if (laris_hours_next_change(&buf->hours, now, &at))
            next = json_integer(at);
    }
    json_object_set_new(out, "open_now", json_boolean(open));
    json_object_set_new(out, "next_change_at", next);
    return out;
}

laris_rc laris_service_settings_get(laris_ctx_t *ctx, json_t **out)
{
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_SERVICE_SETTINGS_GET, 0, NULL, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = settings_json(ctx, res);
    return LARIS_OK;
}

/* A text setting: a string of 1..TEXT_MAX characters or null. */
static void text_setting(json_t *body, const char *field, json_t *merged, laris_err_t *err)
{
    json_t *v = json_object_get(body, field);
    if (!v)
        return;
    const char *s = NULL;
    if (json_is_null(v) || (laris_json_string(body, field, 1, TEXT_MAX, false, &s, err) &&
                            strspn(s, " \t\r\n") < strlen(s)))
        json_object_set(merged, field, v);
    else if (s)
        laris_err_field(err, field, "must not be blank");
}

/* Merges the change in body into cur (the current settings as settings_json gives them),
 * checking each field; err says what is wrong. */
static void merge_settings(laris_ctx_t *ctx, json_t *body, json_t *cur)
{
    static const char *const fields[] = {"business_hours",
                                         "closed_dates",
                                         "greeting_enabled",
                                         "greeting_text",
                                         "away_enabled",
                                         "away_text",
                                         "sla_first_response_seconds",
                                         "sla_out_of_hours_seconds",
                                         "sla_warning_seconds",
                                         "sla_auto_escalate",
                                         NULL};
    laris_err_t *err = ctx->err;
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        bool known = false;
        for (size_t i = 0; fields[i]; i++)
            known = known || strcmp(key, fields[i]) == 0;
        if (!known)
            laris_err_field(err, key, "is not a service setting");
    }
    json_t *hours = json_object_get(body, "business_hours");
    json_t *closed = json_object_get(body, "closed_dates");
    if (hours)
        json_object_set(cur, "business_hours", hours);
    if (closed)
        json_object_set(cur, "closed_dates", closed);
    laris_hours_buf_t *buf = LARIS_NEW(ctx->arena, laris_hours_buf_t);
    json_t *h = json_object_get(cur, "business_hours");
    const char *why = NULL;
    if (closed && !json_is_array(closed))
        laris_err_field(err, "closed_dates", "must be a list of dates like \"2026-12-25\"");
    else if (!json_is_null(h) && (why = laris_hours_from_json(
                                      h, json_object_get(cur, "closed_dates"),
                                      json_string_value(json_object_get(cur, "timezone")), buf)))
        laris_err_field(err, hours ? "business_hours" : "closed_dates", "%s", why);
    else if (json_is_null(h) && closed &&
             (why = laris_hours_from_json(laris_json_adopt(ctx->arena, json_array()), closed, "UTC",
                                          buf)))
        laris_err_field(err, "closed_dates", "%s", why);
    bool b;
    if (laris_json_bool(body, "greeting_enabled", false, &b, err))
        json_object_set_new(cur, "greeting_enabled", json_boolean(b));
    if (laris_json_bool(body, "away_enabled", false, &b, err))
        json_object_set_new(cur, "away_enabled", json_boolean(b));
    if (laris_json_bool(body, "sla_auto_escalate", false, &b, err))
        json_object_set_new(cur, "sla_auto_escalate", json_boolean(b));
    text_setting(body, "greeting_text", cur, err);
    text_setting(body, "away_text", cur, err);
    int64_t n;
    if (laris_json_int(body, "sla_first_response_seconds", 1, SLA_MAX, false, &n, err))
        json_object_set_new(cur, "sla_first_response_seconds", json_integer(n));
    if (laris_json_int(body, "sla_warning_seconds", 0, WARNING_MAX, false, &n, err))
        json_object_set_new(cur, "sla_warning_seconds", json_integer(n));
    json_t *ooh = json_object_get(body, "sla_out_of_hours_seconds");
    if (ooh && json_is_null(ooh))
        json_object_set(cur, "sla_out_of_hours_seconds", ooh);
    else if (laris_json_int(body, "sla_out_of_hours_seconds", 1, SLA_MAX, false, &n, err))
        json_object_set_new(cur, "sla_out_of_hours_seconds", json_integer(n));
    if (json_is_true(json_object_get(cur, "greeting_enabled")) &&
        json_is_null(json_object_get(cur, "greeting_text")))
        laris_err_field(err, "greeting_text", "is needed to turn the greeting on");
    if (json_is_true(json_object_get(cur, "away_enabled")) &&
        json_is_null(json_object_get(cur, "away_text")))
        laris_err_field(err, "away_text", "is needed to turn the away message on");
}

static const char *json_text(laris_arena_t *a, json_t *v)
{
    if (!v || json_is_null(v))
        return NULL;
    if (json_is_string(v))
        return laris_arena_strdup(a, json_string_value(v));
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    if (json_is_integer(v))
        return int_text(a, json_integer_value(v));
    size_t len;
    return laris_json_encode(a, v, &len);
}

laris_rc laris_service_settings_put(laris_ctx_t *ctx, json_t *body, json_t **out)
{
    json_t *cur = NULL;
    laris_rc rc = laris_service_settings_get(ctx, &cur);
    if (rc != LARIS_OK)
        return rc;
    laris_json_adopt(ctx->arena, cur);
    merge_settings(ctx, body, cur);
    if (ctx->err->code != LARIS_OK)
        return ctx->err->code;
    static const char *const columns[] = {"business_hours",
                                          "closed_dates",
                                          "greeting_enabled",
                                          "greeting_text",
                                          "away_enabled",
                                          "away_text",
                                          "sla_first_response_seconds",
                                          "sla_out_of_hours_seconds",
                                          "sla_warning_seconds",
                                          "sla_auto_escalate"};
    const char *params[10];
    for (size_t i = 0; i < 10; i++)
        params[i] = json_text(ctx->arena, json_object_get(cur, columns[i]));
    rc = query(ctx, LARIS_SQL_SERVICE_SETTINGS_PUT, 10, params, NULL);
    if (rc == LARIS_OK)
        rc = laris_service_settings_get(ctx, out);
    if (rc != LARIS_OK)
        return rc;
    json_t *detail = json_object();
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        /* Which settings changed, not their texts. */
        json_object_set_new(detail, key, json_true());
    }
    return laris_audit(ctx, "settings.service.update", "tenant", ctx->tenant_id, detail);
}

/* ---- keyword rules ---- */

static json_t *rule_json(laris_arena_t *a, const PGresult *res, int row)
{
    json_t *keywords = json_column(a, res, row, "keywords");
    return json_pack(
        "{s:I,s:O,s:s,s:s,s:b,s:o,s:o}", "id", (json_int_t)laris_db_int(res, row, "id"), "keywords",
        keywords, "match", laris_db_value(res, row, "match"), "reply_text",
        laris_db_value(res, row, "reply_text"), "active", laris_db_bool(res, row, "active"),
        "created_at", string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, "created_at"))),
        "updated_at",
        string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, "updated_at"))));
}

laris_rc laris_auto_replies_list(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                                 int64_t *next_after)
{
    const char *params[2] = {int_text(ctx->arena, after_id), int_text(ctx->arena, limit + 1)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_AUTO_REPLIES_LIST, 2, params, &res);
    if (rc != LARIS_OK)
        return rc;
    int rows = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < rows && i < limit; i++)
        json_array_append_new(*items, rule_json(ctx->arena, res, i));
    *next_after = rows > limit ? laris_db_int(res, limit - 1, "id") : 0;
    return LARIS_OK;
}

static laris_rc rule_get(laris_ctx_t *ctx, const char *id_text, json_t **out)
{
    const char *params[1] = {id_text};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_AUTO_REPLIES_GET, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such auto-reply.");
    *out = rule_json(ctx->arena, res, 0);
    return LARIS_OK;
}

/* Checks a rule (cur, with body's change merged in) and fills the statement's parameters:
 * keywords, normalized keywords (JSON), match, reply_text, active. */
static void merge_rule(laris_ctx_t *ctx, json_t *body, json_t *cur, const char **params)
{
    static const char *const matches[] = {"exact", "contains", NULL};
    laris_err_t *err = ctx->err;
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        if (strcmp(key, "keywords") != 0 && strcmp(key, "match") != 0 &&
            strcmp(key, "reply_text") != 0 && strcmp(key, "active") != 0)
            laris_err_field(err, key, "is not a field of an auto-reply");
    }
    json_t *kw = json_object_get(body, "keywords");
    if (kw)
        json_object_set(cur, "keywords", kw);
    const char *s = NULL;
    bool b;
    if (laris_json_enum(body, "match", matches, false, &s, err))
        json_object_set_new(cur, "match", json_string(s));
    if (laris_json_string(body, "reply_text", 1, TEXT_MAX, false, &s, err)) {
        if (strspn(s, " \t\r\n") == strlen(s))
            laris_err_field(err, "reply_text", "must not be blank");
        json_object_set_new(cur, "reply_text", json_string(s));
    }
    if (laris_json_bool(body, "active", false, &b, err))
        json_object_set_new(cur, "active", json_boolean(b));
    kw = json_object_get(cur, "keywords");
    json_t *norm = laris_json_adopt(ctx->arena, json_array());
    size_t i;
    json_array_foreach(kw, i, value)
    {
        const char *n = json_is_string(value) &&
                                json_string_length(value) <= (size_t)KEYWORD_MAX * 4 &&
                                laris_utf8_length(json_string_value(value)) <= KEYWORD_MAX
                            ? laris_text_normalize(ctx->arena, json_string_value(value))
                            : NULL;
        if (!n || !*n) {
            laris_err_field(err, "keywords",
                            "each keyword must be text of 1 to 100 characters with a letter, "
                            "digit or emoji");
            break;
        }
        json_array_append_new(norm, json_string(n));
    }
    if (!json_is_array(kw) || json_array_size(kw) < 1 || json_array_size(kw) > KEYWORDS_MAX)
        laris_err_field(err, "keywords", "must be a list of 1 to 20 keywords");
    if (err->code != LARIS_OK)
        return;
    size_t len;
    params[0] = laris_json_encode(ctx->arena, kw, &len);
    params[1] = laris_json_encode(ctx->arena, norm, &len);
    params[2] = json_string_value(json_object_get(cur, "match"));
    params[3] = json_string_value(json_object_get(cur, "reply_text"));
    params[4] = json_is_false(json_object_get(cur, "active")) ? "false" : "true";
}

laris_rc laris_auto_replies_create(laris_ctx_t *ctx, json_t *body, json_t **out)
{
    laris_err_t *err = ctx->err;
    if (!json_object_get(body, "keywords"))
        laris_err_field(err, "keywords", "is required");
    if (!json_object_get(body, "reply_text"))
        laris_err_field(err, "reply_text", "is required");
    json_t *cur =
        laris_json_adopt(ctx->arena, json_pack("{s:s,s:b}", "match", "contains", "active", 1));
    const char *params[5];
    merge_rule(ctx, body, cur, params);
    if (err->code != LARIS_OK)
        return err->code;
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_AUTO_REPLIES_COUNT, 0, NULL, &res);
    if (rc != LARIS_OK)
        return rc;
    if (laris_db_int(res, 0, "n") >= RULES_MAX)
        return laris_err_set(err, LARIS_ECONFLICT,
                             "This business has 200 auto-replies already. Delete one first.");
    rc = query(ctx, LARIS_SQL_AUTO_REPLIES_INSERT, 5, params, &res);
    if (rc != LARIS_OK)
        return rc;
    int64_t id = laris_db_int(res, 0, "id");
    rc = rule_get(ctx, int_text(ctx->arena, id), out);
    if (rc != LARIS_OK)
        return rc;
    return laris_audit(ctx, "auto_reply.create", "auto_reply", id, NULL);
}

laris_rc laris_auto_replies_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out)
{
    const char *id_text = int_text(ctx->arena, id);
    json_t *cur = NULL;
    laris_rc rc = rule_get(ctx, id_text, &cur);
    if (rc != LARIS_OK)
        return rc;
    laris_json_adopt(ctx->arena, cur);
    const char *params[6];
    params[0] = id_text;
    merge_rule(ctx, body, cur, params + 1);
    if (ctx->err->code != LARIS_OK)
        return ctx->err->code;
    rc = query(ctx, LARIS_SQL_AUTO_REPLIES_UPDATE, 6, params, NULL);
    if (rc == LARIS_OK)
        rc = rule_get(ctx, id_text, out);
    if (rc != LARIS_OK)
        return rc;
    return laris_audit(ctx, "auto_reply.update", "auto_reply", id, NULL);
}

laris_rc laris_auto_replies_delete(laris_ctx_t *ctx, int64_t id)
{
    const char *params[1] = {int_text(ctx->arena, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_AUTO_REPLIES_DELETE, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such auto-reply.");
    return laris_audit(ctx, "auto_reply.delete", "auto_reply", id, NULL);
}

/* ---- a chat's SLA ---- */

json_t *laris_conversation_sla_json(laris_arena_t *a, const PGresult *res, int row, int64_t id)
{
    static const char *const times[] = {"first_inbound_at", "first_response_at", "sla_due_at",
                                        "sla_warned_at",    "sla_breached_at",   NULL};
    static const char *const seconds[] = {"first_response_seconds",
                                          "first_response_business_seconds", "resolution_seconds",
                                          "resolution_business_seconds", NULL};
    json_t *out = json_pack("{s:I}", "conversation_id", (json_int_t)id);
    for (size_t i = 0; times[i]; i++)
        json_object_set_new(
            out, times[i],
            string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, times[i]))));
    for (size_t i = 0; seconds[i]; i++)
        json_object_set_new(out, seconds[i], int_or_null(res, row, seconds[i]));
    return out;
}

laris_rc laris_conversation_sla_get(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    const char *params[1] = {int_text(ctx->arena, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_CONVERSATION_SLA_GET, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    *out = laris_conversation_sla_json(ctx->arena, res, 0, id);
    return LARIS_OK;
}
