/* Messages out: an agent's reply becomes an outbound message (status queued) and an outbox row
 * in the request's one transaction; laris-worker sends it later. The 24-hour customer service
 * window is checked here, before anything is queued, and an Idempotency-Key makes a repeated
 * reply return the first one. Message bodies are never logged. */
#include <string.h>

#include "laris/crm.h"
#include "laris/json.h"
#include "laris/log.h"

#define TEXT_MAX 4096      /* Cloud API limit of a text body, in characters */
#define TEMPLATE_PARAMS 20 /* parameters of one template at most */

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

static json_t *message_json(laris_arena_t *a, const PGresult *res, int row)
{
    json_t *m = json_object();
    json_object_set_new(m, "id", json_integer(laris_db_int(res, row, "id")));
    json_object_set_new(m, "conversation_id",
                        json_integer(laris_db_int(res, row, "conversation_id")));
    json_object_set_new(m, "direction", string_or_null(laris_db_value(res, row, "direction")));
    json_object_set_new(m, "type", string_or_null(laris_db_value(res, row, "type")));
    const char *type = laris_db_value(res, row, "type");
    const char *body = laris_db_value(res, row, "body");
    const char *payload = laris_db_value(res, row, "payload");
    if (type && strcmp(type, "template") == 0 && payload)
        json_object_set_new(m, "template", json_loads(payload, 0, NULL));
    else if (type && strcmp(type, "text") == 0)
        json_object_set_new(m, "text", json_pack("{s:o}", "body", string_or_null(body)));
    json_object_set_new(m, "body", string_or_null(body));
    json_object_set_new(m, "status", string_or_null(laris_db_value(res, row, "status")));
    json_object_set_new(m, "wamid", string_or_null(laris_db_value(res, row, "wamid")));
    const char *code = laris_db_value(res, row, "error_code");
    json_object_set_new(
        m, "error",
        code ? json_pack("{s:I,s:o,s:o}", "code", (json_int_t)laris_db_int(res, row, "error_code"),
                         "title", string_or_null(laris_db_value(res, row, "error_title")),
                         "message", string_or_null(laris_db_value(res, row, "error_message")))
             : json_null());
    const char *sent_by = laris_db_value(res, row, "sent_by");
    json_object_set_new(m, "sent_by",
                        sent_by ? json_integer(laris_db_int(res, row, "sent_by")) : json_null());
    json_object_set_new(
        m, "created_at",
        string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, "created_at"))));
    json_object_set_new(m, "sent_at",
                        string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, "sent_at"))));
    return m;
}

/* Reads {type: "text", text: {body}} or {type: "template", template: {name, language,
 * params?}}: *type, and *body (text) or *payload (template JSON, arena text). */
static bool read_reply(laris_ctx_t *ctx, json_t *in, const char **type, const char **body,
                       const char **payload)
{
    static const char *const types[] = {"text", "template", NULL};
    laris_err_t *err = ctx->err;
    *body = *payload = NULL;
    if (!laris_json_enum(in, "type", types, true, type, err))
        return false;
    if (strcmp(*type, "text") == 0) {
        json_t *text = json_object_get(in, "text");
        if (json_is_string(text)) { /* {"text": "…"} is accepted too */
            json_t *wrap = laris_json_adopt(ctx->arena, json_pack("{s:O}", "body", text));
            text = wrap;
        }
        if (!json_is_object(text))
            return laris_err_field(err, "text", "must be an object with a body"), false;
        if (!laris_json_string(text, "body", 1, TEXT_MAX, true, body, err))
            return false;
        if (strspn(*body, " \t\r\n") == strlen(*body))
            return laris_err_field(err, "text.body", "must not be blank"), false;
        return true;
    }
    json_t *tpl = json_object_get(in, "template");
    if (!json_is_object(tpl))
        return laris_err_field(err, "template", "must be an object {name, language, params}"),
               false;
    const char *name = NULL, *language = NULL;
    bool ok = laris_json_string(tpl, "name", 1, 512, true, &name, err);
    ok = laris_json_string(tpl, "language", 2, 15, true, &language, err) && ok;
    json_t *params = json_object_get(tpl, "params");
    json_t *clean = json_array();
    if (params && !json_is_array(params)) {
        laris_err_field(err, "template.params", "must be an array of strings");
        ok = false;
    } else if (json_array_size(params) > TEMPLATE_PARAMS) {
        laris_err_field(err, "template.params", "has more than %d parameters", TEMPLATE_PARAMS);
        ok = false;
    } else {
        for (size_t i = 0; i < json_array_size(params); i++) {
            json_t *p = json_array_get(params, i);
            if (!json_is_string(p) || json_string_length(p) == 0 ||
                laris_utf8_length(json_string_value(p)) > 1024) {
                laris_err_field(err, "template.params", "must be strings of 1 to 1024 characters");
                ok = false;
                break;
            }
            json_array_append(clean, p);
        }
    }
    if (!ok) {
        json_decref(clean);
        return false;
    }
    json_t *out = json_pack("{s:s,s:s,s:o}", "name", name, "language", language, "params", clean);
    size_t len;
    *payload = laris_json_encode(ctx->arena, out, &len);
    json_decref(out);
    return true;
}

static laris_rc message_by_id(laris_ctx_t *ctx, const char *id_text, json_t **out)
{
    PGresult *res;
    const char *params[1] = {id_text};
    laris_rc rc = query(ctx, LARIS_SQL_MESSAGE_GET, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such message.");
    *out = message_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_messages_reply(laris_ctx_t *ctx, int64_t conversation_id, json_t *in,
                              const char *idempotency_key, json_t **out)
{
    const char *type, *body, *payload;
    if (!read_reply(ctx, in, &type, &body, &payload))
        return LARIS_EINVALID;
    const char *conv_text = int_text(ctx->arena, conversation_id);
    const char *scope = laris_arena_printf(ctx->arena, "reply:%s", conv_text);

    PGresult *res;
    laris_rc rc;
    if (idempotency_key) {
        const char *params[1] = {idempotency_key};
        rc = query(ctx, LARIS_SQL_REPLY_IDEMPOTENCY_GET, 1, params, &res);
        if (rc != LARIS_OK)
            return rc;
        if (PQntuples(res) > 0) {
            if (strcmp(laris_db_value(res, 0, "scope"), scope) != 0)
                return laris_err_set(ctx->err, LARIS_ECONFLICT,
                                     "This Idempotency-Key was used for another request in the "
                                     "last 24 hours. Use a new key for a new request.");
            return message_by_id(ctx, laris_db_value(res, 0, "message_id"), out);
        }
    }

    const char *ctx_params[1] = {conv_text};
    rc = query(ctx, LARIS_SQL_REPLY_CONTEXT, 1, ctx_params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    const char *number_status = laris_db_value(res, 0, "number_status");
    if (!laris_db_value(res, 0, "wa_number_id") || !number_status ||
        strcmp(number_status, "active") != 0)
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "This conversation's WhatsApp number is not connected. Connect it "
                             "again before replying.");
    if (!laris_db_value(res, 0, "wa_id"))
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "This customer has no WhatsApp id to send to.");
    if (strcmp(type, "text") == 0 && !laris_db_bool(res, 0, "window_open")) {
        laris_err_field(ctx->err, "type", "must be template outside the 24-hour window");
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "The customer last wrote more than 24 hours ago, so WhatsApp only "
                             "allows an approved template now. Send a template message instead.");
    }
    if ((rc = laris_dist_reply_check(ctx, conversation_id)) != LARIS_OK)
        return rc; /* one owner per chat (distribution.c) */
    const char *contact = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "contact_id"));
    const char *number = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "wa_number_id"));

    const char *ins[7] = {conv_text, contact, number, type,
                          body,      payload, ctx->user_id ? int_text(ctx->arena, ctx->user_id)
                                                           : NULL};
    rc = query(ctx, LARIS_SQL_REPLY_MESSAGE_INSERT, 7, ins, &res);
    if (rc != LARIS_OK)
        return rc;
    PGresult *msg = res;
    const char *message_text = laris_arena_strdup(ctx->arena, laris_db_value(msg, 0, "id"));
    const char *outbox[2] = {message_text, number};
    rc = query(ctx, LARIS_SQL_REPLY_OUTBOX_INSERT, 2, outbox, NULL);
    if (rc == LARIS_OK)
        rc = query(ctx, LARIS_SQL_REPLY_CONVERSATION_TOUCH, 1, ctx_params, NULL);
    if (rc == LARIS_OK && idempotency_key) {
        const char *put[3] = {idempotency_key, scope, message_text};
        rc = query(ctx, LARIS_SQL_REPLY_IDEMPOTENCY_PUT, 3, put, &res);
        if (rc == LARIS_OK && PQntuples(res) == 0)
            rc = laris_err_set(ctx->err, LARIS_ECONFLICT,
                               "A request with this Idempotency-Key is in progress. Try again.");
    }
    if (rc != LARIS_OK)
        return rc;
    *out = message_json(ctx->arena, msg, 0);
    return LARIS_OK;
}

laris_rc laris_messages_list(laris_ctx_t *ctx, int64_t conversation_id, int64_t after_id,
                             int limit, json_t **items, int64_t *next_after)
{
    const char *conv_text = int_text(ctx->arena, conversation_id);
    PGresult *res;
    const char *check[1] = {conv_text};
    laris_rc rc = query(ctx, LARIS_SQL_REPLY_CONTEXT, 1, check, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    const char *params[3] = {conv_text, int_text(ctx->arena, after_id),
                             int_text(ctx->arena, limit + 1)};
    rc = query(ctx, LARIS_SQL_MESSAGES_LIST, 3, params, &res);
    if (rc != LARIS_OK)
        return rc;
    int n = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < n && i < limit; i++)
        json_array_append_new(*items, message_json(ctx->arena, res, i));
    *next_after = n > limit ? laris_db_int(res, limit - 1, "id") : 0;
    return laris_media_attach(ctx, *items);
}
