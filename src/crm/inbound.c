/* WhatsApp webhook in: routes each change of a parsed webhook to its tenant and stores it.
 *
 * One transaction per change: the route lookup runs with no tenant (a SECURITY DEFINER
 * function), then set_config switches to the change's tenant for the rest, and the change
 * commits before the next one starts. Logs never carry message bodies or whole numbers. */
#include <stdio.h>
#include <string.h>

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

static laris_rc store_message(change_t *c, const laris_wa_message_t *m)
{
    laris_ctx_t *ctx = c->ctx;
    const laris_wa_contact_t *card = sender_card(c->ch, m->from, m->from_user_id);
    const char *wa_id = present(m->from) ? m->from : (card ? card->wa_id : NULL);
    const char *user_id =
        present(m->from_user_id) ? m->from_user_id : (card ? card->user_id : NULL);
    const char *name = card ? card->name : NULL;
    if (!present(user_id))
        user_id = NULL;

    PGresult *res;
    laris_rc rc;
    if (present(wa_id)) {
        const char *params[4] = {wa_id, name, user_id, phone_of(wa_id)};
        rc = query(ctx, LARIS_SQL_WA_CONTACT_UPSERT, 4, params, &res);
    } else if (user_id) {
        const char *params[2] = {user_id, name};
        rc = query(ctx, LARIS_SQL_WA_CONTACT_UPSERT_USER, 2, params, &res);
    } else {
        laris_log(LARIS_WARN, "whatsapp webhook: a message without a sender id was skipped");
        c->stats->skipped++;
        return LARIS_OK;
    }
    if (rc != LARIS_OK)
        return rc;
    const char *contact_text = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "id"));

    const char *conv_params[2] = {contact_text, c->number_text};
    rc = query(ctx, LARIS_SQL_WA_CONVERSATION_OPEN, 2, conv_params, &res);
    if (rc == LARIS_OK && PQntuples(res) == 0) /* opened concurrently: it is there now */
        rc = query(ctx, LARIS_SQL_WA_CONVERSATION_OPEN, 2, conv_params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_EINTERNAL, "No conversation could be opened.");
    const char *conv_text = laris_arena_strdup(ctx->arena, laris_db_value(res, 0, "id"));

    const char *ts = int_text(ctx->arena, m->timestamp);
    const laris_wa_error_t *first_error = m->nerrors > 0 ? &m->errors[0] : NULL;
    const char *params[12] = {
        conv_text,
        contact_text,
        c->number_text,
        m->id,
        m->type,
        message_body(m),
        m->media ? m->media->id : NULL,
        m->context ? m->context->id : NULL,
        m->raw,
        ts,
        first_error ? int_text(ctx->arena, first_error->code) : NULL,
        first_error ? first_error->title : NULL,
    };
    rc = query(ctx, LARIS_SQL_WA_MESSAGE_INSERT_IN, 12, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return LARIS_OK; /* seen before */
    c->stats->messages++;
    const char *touch[3] = {conv_text, contact_text, ts};
    rc = query(ctx, LARIS_SQL_WA_INBOUND_TOUCH, 3, touch, NULL);
    for (size_t i = 0; rc == LARIS_OK && i < m->nerrors; i++)
        rc = insert_error(c, m->id, &m->errors[i]);
    return rc;
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

static laris_rc store_status(change_t *c, const laris_wa_status_t *s)
{
    laris_ctx_t *ctx = c->ctx;
    const char *name = status_name(s->kind);
    if (!name) {
        laris_log(LARIS_WARN, "whatsapp webhook: unknown status kind skipped");
        c->stats->skipped++;
        return LARIS_OK;
    }
    const laris_wa_error_t *e = s->nerrors > 0 ? &s->errors[0] : NULL;
    const char *params[5] = {s->id, name, int_text(ctx->arena, s->timestamp),
                             e ? int_text(ctx->arena, e->code) : NULL, e ? e->title : NULL};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_WA_STATUS_APPLY, 5, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (laris_db_int(res, 0, "found") == 0)
        rc = query(ctx, LARIS_SQL_WA_PENDING_STATUS_UPSERT, 5, params, NULL);
    for (size_t i = 0; rc == LARIS_OK && i < s->nerrors; i++)
        rc = insert_error(c, s->id, &s->errors[i]);
    if (rc == LARIS_OK)
        c->stats->statuses++;
    return rc;
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

/* Stores the change for one tenant (the transaction is already that tenant's). */
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

    for (size_t i = 0; rc == LARIS_OK && i < ch->nerrors; i++)
        rc = insert_error(c, NULL, &ch->errors[i]);
    for (size_t i = 0; rc == LARIS_OK && i < ch->nmessages; i++)
        rc = store_message(c, &ch->messages[i]);
    for (size_t i = 0; rc == LARIS_OK && i < ch->nstatuses; i++)
        rc = store_status(c, &ch->statuses[i]);
    for (size_t i = 0; rc == LARIS_OK && i < ch->npreferences; i++)
        rc = store_preference(c, &ch->preferences[i]);
    /* Template events (and fields not handled yet) are kept as events only, for now. */
    return rc;
}

static laris_rc apply_change(laris_ctx_t *ctx, const laris_wa_change_t *ch, json_t *raw_change,
                             laris_wa_inbound_stats_t *stats)
{
    size_t raw_len;
    const char *raw = laris_json_encode(ctx->arena, raw_change, &raw_len);
    char hash[LARIS_HASH_HEX_MAX];
    laris_token_hash_hex(raw, hash);

    PGresult *routes;
    laris_rc rc;
    laris_db_set_tenant(ctx->db, 0);
    if (present(ch->phone_number_id)) {
        const char *params[1] = {ch->phone_number_id};
        rc = query(ctx, LARIS_SQL_WA_ROUTE_NUMBER, 1, params, &routes);
    } else {
        const char *params[1] = {ch->waba_id};
        rc = query(ctx, LARIS_SQL_WA_ROUTE_WABA, 1, params, &routes);
    }
    if (rc != LARIS_OK)
        return rc;
    int nroutes = PQntuples(routes);
    if (nroutes == 0) {
        stats->unrouted++;
        if (present(ch->phone_number_id))
            log_masked("phone_number_id", ch->phone_number_id);
        else
            log_masked("WABA", ch->waba_id);
        return laris_db_finish(ctx->db, false, ctx->err);
    }
    for (int r = 0; rc == LARIS_OK && r < nroutes; r++) {
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

laris_rc laris_wa_inbound_apply(laris_ctx_t *ctx, json_t *root, const laris_wa_webhook_t *wh,
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
            laris_rc rc = apply_change(ctx, &wh->changes[k], json_array_get(changes, j), stats);
            if (rc != LARIS_OK)
                return rc;
        }
    }
    if (k != wh->nchanges)
        return laris_err_set(ctx->err, LARIS_EINTERNAL, "Webhook changes out of step.");
    return LARIS_OK;
}
