/* Messages out: an agent's reply becomes an outbound message (status queued) and an outbox row
 * in the request's one transaction; laris-worker sends it later. The 24-hour customer service
 * window is checked here, before anything is queued, and an Idempotency-Key makes a repeated
 * reply return the first one. Message bodies are never logged. */
#include <string.h>

#include "laris/crm.h"
#include "laris/json.h"
#include "laris/log.h"
#include "laris/wa_outgoing.h"
#include "laris/wa_template.h"

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
    if (type && strcmp(type, "text") == 0)
        json_object_set_new(m, "text", json_pack("{s:o}", "body", string_or_null(body)));
    else if (type && payload && laris_wa_outgoing_type_known(type))
        json_object_set_new(m, type, json_loads(payload, 0, NULL));
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
    json_object_set_new(m, "reply_to_wamid",
                        string_or_null(laris_db_value(res, row, "reply_to_wamid")));
    return m;
}

/* Reads the reply's type and its object ({type: "image", image: {...}}) and checks the object
 * against the Cloud API's shapes (laris_wa_outgoing_check). A reaction names the message it
 * reacts to by our id; that is resolved later, so here *object is the raw object. */
static bool read_reply(laris_ctx_t *ctx, json_t *in, const char **type, json_t **object)
{
    static const char *const types[] = {"text",     "template", "image",       "video",    "audio",
                                        "document", "sticker",  "interactive", "reaction", NULL};
    laris_err_t *err = ctx->err;
    if (!laris_json_enum(in, "type", types, true, type, err))
        return false;
    *object = json_object_get(in, *type);
    if (!*object)
        return laris_err_field(err, *type, "is required for a %s message", *type), false;
    json_t *reply_to = json_object_get(in, "reply_to");
    if (reply_to && !(json_is_integer(reply_to) && json_integer_value(reply_to) > 0))
        return laris_err_field(err, "reply_to", "must be the id of a message of this conversation"),
               false;
    if (reply_to && strcmp(*type, "reaction") == 0)
        return laris_err_field(err, "reply_to", "a reaction cannot quote a message"), false;
    if (strcmp(*type, "reaction") != 0) {
        *object = laris_json_adopt(ctx->arena, laris_wa_outgoing_check(*type, *object, err));
        return *object != NULL;
    }
    return true;
}

/* The text a message shows in lists: the text, a caption, an interactive body, an emoji. */
static const char *preview_of(const char *type, json_t *object)
{
    if (!strcmp(type, "text"))
        return json_string_value(json_object_get(object, "body"));
    if (!strcmp(type, "interactive"))
        return json_string_value(json_object_get(json_object_get(object, "body"), "text"));
    if (!strcmp(type, "reaction"))
        return json_string_value(json_object_get(object, "emoji"));
    return json_string_value(json_object_get(object, "caption"));
}

/* The wamid of message id_value of conversation conv_text, for a quote or a reaction (field
 * names the input). 404 for a message this conversation does not have (another tenant's
 * included); 422 when it has no wamid yet. */
static laris_rc target_wamid(laris_ctx_t *ctx, const char *conv_text, json_t *id_value,
                             const char *field, const char **wamid)
{
    if (!json_is_integer(id_value) || json_integer_value(id_value) <= 0)
        return laris_err_field(ctx->err, field, "must be the id of a message of this conversation");
    const char *params[2] = {conv_text, int_text(ctx->arena, json_integer_value(id_value))};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_REPLY_TARGET, 2, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND,
                             "There is no such message in this conversation.");
    if (!laris_db_value(res, 0, "wamid"))
        return laris_err_field(ctx->err, field,
                               "that message has not reached WhatsApp yet; wait until it is sent");
    *wamid = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "wamid"));
    return LARIS_OK;
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

/* Reads what sending in conversation conv_text needs into *res (one row): 404 when there is
 * no such conversation, 422 when its number is not connected or the customer has no wa_id. */
static laris_rc sendable(laris_ctx_t *ctx, const char *conv_text, PGresult **res)
{
    const char *params[1] = {conv_text};
    laris_rc rc = query(ctx, LARIS_SQL_REPLY_CONTEXT, 1, params, res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(*res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    const char *number_status = laris_db_value(*res, 0, "number_status");
    if (!laris_db_value(*res, 0, "wa_number_id") || !number_status ||
        strcmp(number_status, "active") != 0)
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "This conversation's WhatsApp number is not connected. Connect it "
                             "again before replying.");
    if (!laris_db_value(*res, 0, "wa_id"))
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "This customer has no WhatsApp id to send to.");
    return LARIS_OK;
}

/* Checks a template message against the template as the tenant holds it for number (the
 * variables to fill, the URL buttons that need the end of their link). A template not held
 * here (not synced yet) goes to Meta unchecked: Meta is the truth and refuses a wrong one. */
static laris_rc template_fits(laris_ctx_t *ctx, const char *number, json_t *object)
{
    const char *params[3] = {number, json_string_value(json_object_get(object, "name")),
                             json_string_value(json_object_get(object, "language"))};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_REPLY_TEMPLATE, 3, params, &res);
    if (rc != LARIS_OK || PQntuples(res) == 0)
        return rc;
    const char *text = laris_db_value(res, 0, "components");
    json_t *components = laris_json_adopt(ctx->arena, text ? json_loads(text, 0, NULL) : NULL);
    if (laris_wa_template_fits(ctx->arena, components, object, ctx->err))
        return LARIS_OK;
    return laris_err_set(ctx->err, LARIS_EINVALID,
                         "These values do not fit the template %s as WhatsApp approved it.",
                         params[1]);
}

/* Resolves a reaction's message (our id) into its wamid and checks the reaction. */
static laris_rc reaction_object(laris_ctx_t *ctx, const char *conv_text, json_t **object)
{
    json_t *raw = *object;
    if (!json_is_object(raw))
        return laris_err_field(ctx->err, "reaction", "must be an object {message_id, emoji}");
    const char *wamid = NULL;
    laris_rc rc = target_wamid(ctx, conv_text, json_object_get(raw, "message_id"),
                               "reaction.message_id", &wamid);
    if (rc != LARIS_OK)
        return rc;
    json_t *resolved = laris_json_adopt(ctx->arena, json_deep_copy(raw));
    json_object_set_new(resolved, "message_id", json_string(wamid));
    *object = laris_json_adopt(ctx->arena, laris_wa_outgoing_check("reaction", resolved, ctx->err));
    return *object ? LARIS_OK : LARIS_EINVALID;
}

laris_rc laris_messages_reply(laris_ctx_t *ctx, int64_t conversation_id, json_t *in,
                              const char *idempotency_key, json_t **out)
{
    const char *type;
    json_t *object;
    if (!read_reply(ctx, in, &type, &object))
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

    rc = sendable(ctx, conv_text, &res);
    if (rc != LARIS_OK)
        return rc;
    bool window_open = laris_db_bool(res, 0, "window_open");
    const char *contact = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "contact_id"));
    const char *number = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "wa_number_id"));
    if (laris_wa_outgoing_needs_window(type) && !window_open) {
        laris_err_field(ctx->err, "type", "must be template outside the 24-hour window");
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "The customer last wrote more than 24 hours ago, so WhatsApp only "
                             "allows an approved template now. Send a template message instead.");
    }
    if ((rc = laris_dist_reply_check(ctx, conversation_id)) != LARIS_OK)
        return rc; /* one owner per chat (distribution.c) */
    if (strcmp(type, "reaction") == 0 &&
        (rc = reaction_object(ctx, conv_text, &object)) != LARIS_OK)
        return rc;
    if (strcmp(type, "template") == 0 && (rc = template_fits(ctx, number, object)) != LARIS_OK)
        return rc;
    const char *context_wamid = NULL;
    json_t *reply_to = json_object_get(in, "reply_to");
    if (reply_to &&
        (rc = target_wamid(ctx, conv_text, reply_to, "reply_to", &context_wamid)) != LARIS_OK)
        return rc;

    size_t len;
    const char *payload = laris_json_encode(ctx->arena, object, &len);
    const char *ins[8] = {conv_text,
                          contact,
                          number,
                          type,
                          preview_of(type, object),
                          payload,
                          ctx->user_id ? int_text(ctx->arena, ctx->user_id) : NULL,
                          context_wamid};
    rc = query(ctx, LARIS_SQL_REPLY_MESSAGE_INSERT, 8, ins, &res);
    if (rc != LARIS_OK)
        return rc;
    PGresult *msg = res;
    const char *message_text = laris_arena_strdup(ctx->arena, laris_db_value(msg, 0, "id"));
    const char *outbox[2] = {message_text, number};
    const char *touch[1] = {conv_text};
    rc = query(ctx, LARIS_SQL_REPLY_OUTBOX_INSERT, 2, outbox, NULL);
    if (rc == LARIS_OK)
        rc = query(ctx, LARIS_SQL_REPLY_CONVERSATION_TOUCH, 1, touch, NULL);
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

laris_rc laris_messages_mark_read(laris_ctx_t *ctx, int64_t conversation_id, int64_t message_id,
                                  bool *created, json_t **out)
{
    const char *conv_text = int_text(ctx->arena, conversation_id);
    PGresult *res;
    laris_rc rc = sendable(ctx, conv_text, &res);
    if (rc != LARIS_OK)
        return rc;
    const char *contact = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "contact_id"));
    const char *number = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "wa_number_id"));
    const char *target[2] = {conv_text, int_text(ctx->arena, message_id)};
    rc = query(ctx, LARIS_SQL_REPLY_TARGET, 2, target, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND,
                             "There is no such message in this conversation.");
    const char *direction = laris_db_value(res, 0, "direction");
    if (!direction || strcmp(direction, "in") != 0 || !laris_db_value(res, 0, "wamid"))
        return laris_err_set(ctx->err, LARIS_EINVALID,
                             "Only the customer's messages can be marked as read.");
    const char *wamid = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "wamid"));

    const char *ins[5] = {conv_text, contact, number, wamid,
                          ctx->user_id ? int_text(ctx->arena, ctx->user_id) : NULL};
    rc = query(ctx, LARIS_SQL_READ_RECEIPT_INSERT, 5, ins, &res);
    if (rc != LARIS_OK)
        return rc;
    *created = PQntuples(res) > 0;
    if (*created) {
        const char *outbox[2] = {laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "id")),
                                 number};
        rc = query(ctx, LARIS_SQL_REPLY_OUTBOX_INSERT, 2, outbox, NULL);
        if (rc != LARIS_OK)
            return rc;
    } else {
        const char *get[1] = {wamid};
        rc = query(ctx, LARIS_SQL_READ_RECEIPT_GET, 1, get, &res);
        if (rc != LARIS_OK)
            return rc;
        if (PQntuples(res) == 0) /* made by a request still in flight */
            return laris_err_set(ctx->err, LARIS_ECONFLICT,
                                 "This message is being marked as read already. Try again.");
    }
    *out = message_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_messages_list(laris_ctx_t *ctx, int64_t conversation_id, int64_t after_id, int limit,
                             json_t **items, int64_t *next_after)
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
