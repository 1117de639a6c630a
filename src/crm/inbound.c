/* WhatsApp webhook in: routes each change of a parsed webhook to its tenant and stores it.
 *
 * One transaction per change, committed before the next one starts. A change with a
 * phone_number_id (messages, statuses, preferences) starts with wa_ingest_change(), which
 * routes it with no tenant set, switches the transaction to the change's tenant and stores the
 * event, its messages and its statuses in one round trip; template events are routed by WABA
 * id and update each routed tenant's copy of the template (templates.c). Logs never
 * carry message bodies or whole numbers. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/json.h"
#include "laris/log.h"
#include "laris/phone.h"

typedef struct {
    laris_ctx_t *ctx;
    const laris_wa_change_t *ch;
    int64_t wa_number_id;
    const char *number_text; /* wa_number_id as text */
    const char *event_text;  /* the webhook_events id as text */
    laris_wa_inbound_stats_t *stats;
} change_t;

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

static laris_rc query(laris_ctx_t *ctx, laris_sql_id id, int n, const char *const *params,
                      PGresult **out)
{
    return laris_db_query(ctx->db, ctx->arena, id, n, params, out, ctx->err);
}

static bool present(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* wa_id as a phone (E.164 digits) when it looks like one, else NULL. */
static const char *phone_of(const char *wa_id)
{
    size_t n = wa_id ? strlen(wa_id) : 0;
    if (n < 7 || n > 15 || wa_id[0] == '0' || strspn(wa_id, "0123456789") != n)
        return NULL;
    return wa_id;
}

static void log_masked(const char *what, const char *id)
{
    char masked[32];
    laris_phone_mask(id, masked, sizeof(masked));
    laris_log(LARIS_WARN, "whatsapp webhook: %s %s has no tenant; change ignored", what, masked);
}

/* A change posted to one number's own webhook route for another number or WABA. */
static void log_masked_foreign(const char *id)
{
    char masked[32];
    laris_phone_mask(id, masked, sizeof(masked));
    laris_log(LARIS_WARN,
              "whatsapp webhook: a change for %s came through another number's route; ignored",
              masked);
}

static laris_rc insert_error(change_t *c, const char *wamid, const laris_wa_error_t *e)
{
    const char *params[6] = {c->event_text, wamid,      int_text(c->ctx->arena, e->code),
                             e->title,      e->message, e->details};
    return query(c->ctx, LARIS_SQL_WA_ERROR_INSERT, 6, params, NULL);
}

/* The text worth showing in an inbox line, or NULL. */
static const char *message_body(const laris_wa_message_t *m)
{
    switch (m->kind) {
    case LARIS_WA_MSG_TEXT:
        return m->text;
    case LARIS_WA_MSG_IMAGE:
    case LARIS_WA_MSG_AUDIO:
    case LARIS_WA_MSG_VIDEO:
    case LARIS_WA_MSG_DOCUMENT:
    case LARIS_WA_MSG_STICKER:
        return m->media ? m->media->caption : NULL;
    case LARIS_WA_MSG_LOCATION:
        return m->location ? (m->location->name ? m->location->name : m->location->address) : NULL;
    case LARIS_WA_MSG_CONTACTS:
        return m->ncards > 0 ? m->cards[0].formatted_name : NULL;
    case LARIS_WA_MSG_INTERACTIVE:
        return m->interactive
                   ? (m->interactive->title ? m->interactive->title : m->interactive->body)
                   : NULL;
    case LARIS_WA_MSG_BUTTON:
        return m->button ? m->button->text : NULL;
    case LARIS_WA_MSG_REACTION:
        return m->reaction ? m->reaction->emoji : NULL;
    case LARIS_WA_MSG_ORDER:
        return m->order ? m->order->text : NULL;
    case LARIS_WA_MSG_SYSTEM:
        return m->system ? m->system->body : NULL;
    default:
        return NULL;
    }
}

/* The contact of value.contacts[] describing the sender, or NULL. */
static const laris_wa_contact_t *sender_card(const laris_wa_change_t *ch, const char *wa_id,
                                             const char *user_id)
{
    for (size_t i = 0; i < ch->ncontacts; i++) {
        const laris_wa_contact_t *k = &ch->contacts[i];
        if (present(wa_id) && present(k->wa_id) && strcmp(k->wa_id, wa_id) == 0)
            return k;
        if (present(user_id) && present(k->user_id) && strcmp(k->user_id, user_id) == 0)
            return k;
    }
    return ch->ncontacts == 1 && !present(wa_id) && !present(user_id) ? &ch->contacts[0] : NULL;
}

/* The errors of a message or status as wa_ingest_change() takes them (NULL when none). */
static json_t *errors_json(const laris_wa_error_t *errors, size_t nerrors)
{
    if (!errors || nerrors == 0)
        return NULL;
    json_t *out = json_array();
    for (size_t k = 0; k < nerrors; k++) {
        const laris_wa_error_t *e = &errors[k];
        json_t *eo = json_pack("{s:I}", "code", (json_int_t)e->code);
        if (e->title)
            json_object_set_new(eo, "title", json_string(e->title));
        if (e->message)
            json_object_set_new(eo, "message", json_string(e->message));
        if (e->details)
            json_object_set_new(eo, "details", json_string(e->details));
        json_array_append_new(out, eo);
    }
    return out;
}

/* One inbound message as wa_ingest_change() takes it (sql/0011_webhook_ingest.sql), or NULL
 * when it has no sender id at all (skipped). i is its index in value.messages. */
static json_t *message_json(change_t *c, const laris_wa_message_t *m, size_t i)
{
    laris_arena_t *a = c->ctx->arena;
    const laris_wa_contact_t *card = sender_card(c->ch, m->from, m->from_user_id);
    const char *wa_id = present(m->from) ? m->from : (card ? card->wa_id : NULL);
    const char *user_id =
        present(m->from_user_id) ? m->from_user_id : (card ? card->user_id : NULL);
    if (!present(wa_id) && !present(user_id)) {
        laris_log(LARIS_WARN, "whatsapp webhook: a message without a sender id was skipped");
        c->stats->skipped++;
        return NULL;
    }
    json_t *o = json_object();
    json_object_set_new(o, "i", json_integer((json_int_t)i));
    const struct {
        const char *key, *value;
    } fields[] = {
        {"wa_id", present(wa_id) ? wa_id : NULL},
        {"user_id", present(user_id) ? user_id : NULL},
        {"name", card ? card->name : NULL},
        {"phone", phone_of(wa_id)},
        {"wamid", m->id},
        {"type", m->type},
        {"body", message_body(m)},
        {"media_id", m->media ? m->media->id : NULL},
        {"reply_to", m->context ? m->context->id : NULL},
        {"ts", int_text(a, m->timestamp)},
        {"error_title", m->errors && m->nerrors > 0 ? m->errors[0].title : NULL},
    };
    for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
        if (fields[k].value)
            json_object_set_new(o, fields[k].key, json_string(fields[k].value));
    json_t *errors = errors_json(m->errors, m->nerrors);
    if (errors) {
        json_object_set_new(o, "error_code", json_integer((json_int_t)m->errors[0].code));
        json_object_set_new(o, "errors", errors);
    }
    return o;
}

static const char *status_name(laris_wa_status_kind_t kind)
{
    switch (kind) {
    case LARIS_WA_STATUS_SENT:
        return "sent";
    case LARIS_WA_STATUS_DELIVERED:
        return "delivered";
    case LARIS_WA_STATUS_READ:
        return "read";
    case LARIS_WA_STATUS_PLAYED:
        return "played";
    case LARIS_WA_STATUS_FAILED:
        return "failed";
    default:
        return NULL;
    }
}

/* One status as wa_ingest_change() takes it, or NULL for a kind it does not know (skipped). */
static json_t *status_json(change_t *c, const laris_wa_status_t *s)
{
    const char *name = status_name(s->kind);
    if (!name) {
        laris_log(LARIS_WARN, "whatsapp webhook: unknown status kind skipped");
        c->stats->skipped++;
        return NULL;
    }
    json_t *o = json_pack("{s:s, s:s, s:s}", "wamid", s->id, "status", name, "ts",
                          int_text(c->ctx->arena, s->timestamp));
    json_t *errors = errors_json(s->errors, s->nerrors);
    if (errors) {
        const laris_wa_error_t *first = &s->errors[0];
        json_object_set_new(o, "error_code", json_integer((json_int_t)first->code));
        if (first->title)
            json_object_set_new(o, "error_title", json_string(first->title));
        json_object_set_new(o, "errors", errors);
    }
    return o;
}

static laris_rc store_preference(change_t *c, const laris_wa_preference_t *p)
{
    if (!present(p->wa_id)) {
        laris_log(LARIS_WARN, "whatsapp webhook: a preference without wa_id was skipped");
        c->stats->skipped++;
        return LARIS_OK;
    }
    if (strcmp(p->category ? p->category : "", "marketing_messages") != 0)
        return LARIS_OK; /* only marketing preferences exist today; the event keeps the rest */
    const char *params[4] = {p->wa_id, p->stop ? "true" : "false",
                             int_text(c->ctx->arena, p->timestamp), phone_of(p->wa_id)};
    return query(c->ctx, LARIS_SQL_WA_CONTACT_PREFERENCE, 4, params, NULL);
}

/* What a change holds besides its event, messages and statuses: value-level errors and
 * preferences (the transaction is already the change's tenant's). */
static laris_rc store_rest(change_t *c)
{
    const laris_wa_change_t *ch = c->ch;
    laris_rc rc = LARIS_OK;
    for (size_t i = 0; rc == LARIS_OK && i < ch->nerrors; i++)
        rc = insert_error(c, NULL, &ch->errors[i]);
    for (size_t i = 0; rc == LARIS_OK && i < ch->npreferences; i++)
        rc = store_preference(c, &ch->preferences[i]);
    if (rc == LARIS_OK && ch->template_status)
        rc = laris_templates_apply_status(c->ctx, ch->waba_id, ch->template_status, ch->entry_time);
    /* Fields not handled yet are kept as events only. */
    return rc;
}

/* A change with a phone_number_id: wa_ingest_change() routes it, stores the event, its
 * messages and statuses in one statement. A change of messages and statuses only (nearly all)
 * is that statement alone, run as its own implicit transaction (committed when the answer
 * arrives: one round trip in all); value-level errors and preferences go on in an explicit
 * transaction with the statements of store_rest. */
static laris_rc apply_by_number(laris_ctx_t *ctx, const laris_wa_change_t *ch, json_t *raw_change,
                                const char *raw, const char *hash, laris_wa_inbound_stats_t *stats)
{
    change_t c = {.ctx = ctx, .ch = ch, .stats = stats};
    json_t *raw_messages = json_object_get(json_object_get(raw_change, "value"), "messages");
    if (json_array_size(raw_messages) != ch->nmessages)
        return laris_err_set(ctx->err, LARIS_EINTERNAL, "Webhook messages out of step.");
    json_t *messages = json_array();
    laris_arena_defer(ctx->arena, (laris_defer_fn)json_decref, messages);
    for (size_t i = 0; i < ch->nmessages; i++) {
        json_t *m = message_json(&c, &ch->messages[i], i);
        if (m)
            json_array_append_new(messages, m);
    }
    json_t *statuses = json_array();
    laris_arena_defer(ctx->arena, (laris_defer_fn)json_decref, statuses);
    for (size_t i = 0; i < ch->nstatuses; i++) {
        json_t *st = status_json(&c, &ch->statuses[i]);
        if (st)
            json_array_append_new(statuses, st);
    }
    const char *messages_text = laris_json_encode(ctx->arena, messages, NULL);
    const char *statuses_text = laris_json_encode(ctx->arena, statuses, NULL);
    if (!messages_text || !statuses_text)
        return laris_err_set(ctx->err, LARIS_EINTERNAL, "Webhook change cannot be encoded.");

    bool one_statement = ch->nerrors == 0 && ch->npreferences == 0;
    laris_db_set_tenant(ctx->db, 0);
    laris_db_set_read_only(ctx->db, one_statement); /* then it is its own transaction */
    const char *params[7] = {ch->phone_number_id, ch->waba_id,  ch->field, hash, raw,
                             messages_text,       statuses_text};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_WA_INGEST_CHANGE, 7, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (laris_db_value(res, 0, "routed_tenant_id") == NULL) {
        stats->unrouted++;
        log_masked("phone_number_id", ch->phone_number_id);
        return laris_db_finish(ctx->db, false, ctx->err);
    }
    if (laris_db_value(res, 0, "event_id") == NULL) {
        stats->duplicates++;
        return laris_db_finish(ctx->db, false, ctx->err);
    }
    stats->stored++;
    stats->messages += (int)laris_db_int(res, 0, "new_messages");
    stats->statuses += (int)json_array_size(statuses);
    c.wa_number_id = laris_db_int(res, 0, "routed_number_id");
    c.number_text = int_text(ctx->arena, c.wa_number_id);
    c.event_text = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "event_id"));
    if (!one_statement)
        rc = store_rest(&c);
    if (rc != LARIS_OK)
        return rc; /* the caller's finish rolls back */
    return laris_db_finish(ctx->db, true, ctx->err);
}

/* Stores a change routed by WABA id for one tenant (the transaction is already that
 * tenant's). Such changes carry no messages, statuses or preferences: the parser requires a
 * phone_number_id for those. */
static laris_rc store_change(change_t *c, const char *raw, const char *hash)
{
    laris_ctx_t *ctx = c->ctx;
    const laris_wa_change_t *ch = c->ch;
    const char *params[5] = {ch->phone_number_id, ch->waba_id, ch->field, hash, raw};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_WA_EVENT_INSERT, 5, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0) {
        c->stats->duplicates++;
        return LARIS_OK;
    }
    c->stats->stored++;
    c->event_text = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "id"));
    return store_rest(c);
}

/* A change with only a WABA id (template events): stored for every tenant with a number in
 * that WABA (only that of number only_number when it is not 0), in one transaction. */
static laris_rc apply_by_waba(laris_ctx_t *ctx, const laris_wa_change_t *ch, const char *raw,
                              const char *hash, int64_t only_number,
                              laris_wa_inbound_stats_t *stats)
{
    PGresult *routes;
    laris_db_set_tenant(ctx->db, 0);
    const char *params[1] = {ch->waba_id};
    laris_rc rc = query(ctx, LARIS_SQL_WA_ROUTE_WABA, 1, params, &routes);
    if (rc != LARIS_OK)
        return rc;
    int nroutes = PQntuples(routes);
    if (nroutes == 0) {
        stats->unrouted++;
        log_masked("WABA", ch->waba_id);
        return laris_db_finish(ctx->db, false, ctx->err);
    }
    for (int r = 0; rc == LARIS_OK && r < nroutes; r++) {
        if (only_number && laris_db_int(routes, r, "wa_number_id") != only_number)
            continue;
        change_t c = {
            .ctx = ctx,
            .ch = ch,
            .wa_number_id = laris_db_int(routes, r, "wa_number_id"),
            .stats = stats,
        };
        c.number_text = int_text(ctx->arena, c.wa_number_id);
        const char *tenant[1] = {laris_db_value(routes, r, "tenant_id")};
        rc = query(ctx, LARIS_SQL_SET_TENANT, 1, tenant, NULL);
        if (rc == LARIS_OK)
            rc = store_change(&c, raw, hash);
    }
    if (rc != LARIS_OK)
        return rc; /* the caller's finish rolls back */
    return laris_db_finish(ctx->db, true, ctx->err);
}

/* True when a number's own route may store ch: a change of that phone_number_id, or a
 * template event (no phone_number_id) of that number's WABA. */
static bool change_is_numbers(const laris_wa_change_t *ch, const laris_wa_number_webhook_t *only)
{
    if (present(ch->phone_number_id))
        return strcmp(ch->phone_number_id, only->phone_number_id) == 0;
    return present(ch->waba_id) && only->waba_id && strcmp(ch->waba_id, only->waba_id) == 0;
}

static laris_rc apply_change(laris_ctx_t *ctx, const laris_wa_change_t *ch, json_t *raw_change,
                             const laris_wa_number_webhook_t *only, laris_wa_inbound_stats_t *stats)
{
    if (only && !change_is_numbers(ch, only)) {
        stats->foreign++;
        log_masked_foreign(ch->phone_number_id ? ch->phone_number_id : ch->waba_id);
        return LARIS_OK;
    }
    size_t raw_len;
    const char *raw = laris_json_encode(ctx->arena, raw_change, &raw_len);
    char hash[LARIS_HASH_HEX_MAX];
    /* A template event's value carries no time: the same event again later (approved, paused,
     * approved) is a new event, told apart by entry.time as Meta advises. */
    laris_token_hash_hex(
        present(ch->phone_number_id)
            ? raw
            : laris_arena_printf(ctx->arena, "%s@%lld", raw, (long long)ch->entry_time),
        hash);
    if (present(ch->phone_number_id))
        return apply_by_number(ctx, ch, raw_change, raw, hash, stats);
    return apply_by_waba(ctx, ch, raw, hash, only ? only->wa_number_id : 0, stats);
}

laris_rc laris_wa_inbound_apply(laris_ctx_t *ctx, json_t *root, const laris_wa_webhook_t *wh,
                                const laris_wa_number_webhook_t *only,
                                laris_wa_inbound_stats_t *stats)
{
    memset(stats, 0, sizeof(*stats));
    stats->changes = (int)wh->nchanges;
    /* The parser walked entry[].changes[] in this same order: pair each parsed change with
     * its JSON to store it as received. */
    json_t *entries = json_object_get(root, "entry");
    size_t k = 0;
    for (size_t i = 0; i < json_array_size(entries); i++) {
        json_t *changes = json_object_get(json_array_get(entries, i), "changes");
        for (size_t j = 0; j < json_array_size(changes); j++, k++) {
            if (k >= wh->nchanges)
                return laris_err_set(ctx->err, LARIS_EINTERNAL, "Webhook changes out of step.");
            laris_rc rc =
                apply_change(ctx, &wh->changes[k], json_array_get(changes, j), only, stats);
            if (rc != LARIS_OK)
                return rc;
        }
    }
    if (k != wh->nchanges)
        return laris_err_set(ctx->err, LARIS_EINTERNAL, "Webhook changes out of step.");
    return LARIS_OK;
}

laris_rc laris_wa_number_webhook(laris_ctx_t *ctx, int64_t wa_number_id,
                                 laris_wa_number_webhook_t *out)
{
    memset(out, 0, sizeof(*out));
    const char *params[1] = {int_text(ctx->arena, wa_number_id)};
    PGresult *res;
    laris_db_set_tenant(ctx->db, 0);
    laris_db_set_read_only(ctx->db, true);
    laris_rc rc = query(ctx, LARIS_SQL_WA_NUMBER_WEBHOOK, 1, params, &res);
    laris_rc finish = laris_db_finish(ctx->db, false, ctx->err);
    if (rc != LARIS_OK || finish != LARIS_OK)
        return rc != LARIS_OK ? rc : finish;
    if (PQntuples(res) == 0)
        return LARIS_ENOTFOUND;
    out->tenant_id = laris_db_int(res, 0, "tenant_id");
    out->wa_number_id = laris_db_int(res, 0, "wa_number_id");
    out->phone_number_id =
        laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "phone_number_id"));
    const char *waba = laris_db_value(res, 0, "waba_id");
    out->waba_id = waba ? laris_arena_strdup(ctx->arena, waba) : NULL;
    const char *token = laris_db_value(res, 0, "verify_token");
    out->verify_token = token ? laris_arena_strdup(ctx->arena, token) : NULL;

    const char *hex = laris_db_value(res, 0, "app_secret");
    if (!hex)
        return LARIS_OK;
    size_t secret_len = 0;
    unsigned char *secret = NULL;
    if (!ctx->config || !ctx->config->secret_key_set ||
        !laris_secret_open_hex(ctx->config->secret_key, hex, ctx->arena, &secret, &secret_len)) {
        laris_log(LARIS_ERROR, "whatsapp webhook: a number's app secret cannot be decrypted "
                               "(LARIS_SECRET_KEY unset or changed)");
        return LARIS_OK;
    }
    out->app_secret = (const char *)secret;
    return LARIS_OK;
}
