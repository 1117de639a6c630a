/* Orders recorded from a chat: items (name, quantity, unit price in rupiah), a total computed
 * here, and the payment status unpaid -> paid / cancelled (paid -> cancelled by supervisors and
 * owners only). Items change only while an order is unpaid. */
#include <string.h>

#include "laris/crm.h"
#include "laris/json.h"

#define ITEM_NAME_MAX_CHARS 200
#define ITEM_QTY_MAX        100000
#define ITEM_PRICE_MAX      1000000000LL
#define NOTE_MAX_CHARS      1000
#define ITEMS_MAX           50
#define TOTAL_MAX           1000000000000LL

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

static json_t *time_or_null(laris_arena_t *a, const PGresult *res, int row, const char *col)
{
    return string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, col)));
}

static json_t *id_or_null(const PGresult *res, int row, const char *col)
{
    return laris_db_value(res, row, col) ? json_integer(laris_db_int(res, row, col)) : json_null();
}

static laris_rc not_found(laris_ctx_t *ctx)
{
    return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such order.");
}

/* An order from a row of orders_list or orders_get. */
static json_t *order_json(laris_arena_t *a, const PGresult *res, int row)
{
    json_t *v = json_object();
    json_object_set_new(v, "id", json_integer(laris_db_int(res, row, "id")));
    json_object_set_new(v, "contact_id", json_integer(laris_db_int(res, row, "contact_id")));
    json_object_set_new(v, "contact_name",
                        string_or_null(laris_db_value(res, row, "contact_name")));
    json_object_set_new(v, "conversation_id", id_or_null(res, row, "conversation_id"));
    json_object_set_new(v, "created_by", id_or_null(res, row, "created_by"));
    const char *items = laris_db_value(res, row, "items");
    json_t *parsed = items ? json_loads(items, 0, NULL) : NULL;
    json_object_set_new(v, "items", parsed ? parsed : json_array());
    json_object_set_new(v, "total", json_integer(laris_db_int(res, row, "total")));
    json_object_set_new(v, "payment_status",
                        string_or_null(laris_db_value(res, row, "payment_status")));
    json_object_set_new(v, "paid_at", time_or_null(a, res, row, "paid_at"));
    json_object_set_new(v, "cancelled_at", time_or_null(a, res, row, "cancelled_at"));
    json_object_set_new(v, "note", string_or_null(laris_db_value(res, row, "note")));
    json_object_set_new(v, "created_at", time_or_null(a, res, row, "created_at"));
    json_object_set_new(v, "updated_at", time_or_null(a, res, row, "updated_at"));
    return v;
}

/* Visible text: no control characters, not blank. */
static bool visible(const char *s)
{
    bool any = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        any = any || *p != ' ';
    }
    return any;
}

/* One item {name, qty, unit_price} at index i; its line total into *line. */
static json_t *read_item(laris_arena_t *a, json_t *item, size_t i, int64_t *line, laris_err_t *err)
{
    const char *at = laris_arena_printf(a, "items[%zu]", i);
    if (!json_is_object(item)) {
        laris_err_field(err, at, "must be an object {name, qty, unit_price}");
        return NULL;
    }
    bool ok = true;
    const char *key;
    json_t *value;
    json_object_foreach(item, key, value)
    {
        if (strcmp(key, "name") != 0 && strcmp(key, "qty") != 0 && strcmp(key, "unit_price") != 0) {
            laris_err_field(err, laris_arena_printf(a, "%s.%s", at, key),
                            "is not a field of an item");
            ok = false;
        }
    }
    /* Read each member under its full name ("items[0].qty") so errors say which item. */
    json_t *named = laris_json_adopt(a, json_object());
    json_t *name_v = json_object_get(item, "name"), *qty_v = json_object_get(item, "qty");
    json_t *price_v = json_object_get(item, "unit_price");
    const char *name_f = laris_arena_printf(a, "%s.name", at);
    const char *qty_f = laris_arena_printf(a, "%s.qty", at);
    const char *price_f = laris_arena_printf(a, "%s.unit_price", at);
    if (name_v)
        json_object_set(named, name_f, name_v);
    if (qty_v)
        json_object_set(named, qty_f, qty_v);
    if (price_v)
        json_object_set(named, price_f, price_v);
    const char *name = NULL;
    int64_t qty = 0, price = 0;
    if (laris_json_string(named, name_f, 1, ITEM_NAME_MAX_CHARS, true, &name, err) &&
        !visible(name)) {
        laris_err_field(err, name_f, "must be visible text");
        ok = false;
    } else if (!name) {
        ok = false;
    }
    ok = laris_json_int(named, qty_f, 1, ITEM_QTY_MAX, true, &qty, err) && ok;
    ok = laris_json_int(named, price_f, 0, ITEM_PRICE_MAX, true, &price, err) && ok;
    if (!ok)
        return NULL;
    *line = qty * price;
    return json_pack("{s:s,s:I,s:I}", "name", name, "qty", (json_int_t)qty, "unit_price",
                     (json_int_t)price);
}

/* Reads items [{name, qty, unit_price}] (1 to ITEMS_MAX) into a clean JSON array (owned by the
 * arena) and their total; false with field errors ("items[1].qty") on err. */
static bool read_items(laris_arena_t *a, json_t *items, json_t **clean, int64_t *total,
                       laris_err_t *err)
{
    if (!json_is_array(items) || json_array_size(items) == 0 ||
        json_array_size(items) > ITEMS_MAX) {
        laris_err_field(err, "items", "must be an array of 1 to %d items", ITEMS_MAX);
        return false;
    }
    *clean = laris_json_adopt(a, json_array());
    *total = 0;
    bool ok = true;
    for (size_t i = 0; i < json_array_size(items); i++) {
        int64_t line = 0;
        json_t *item = read_item(a, json_array_get(items, i), i, &line, err);
        if (!item) {
            ok = false;
            continue;
        }
        json_array_append_new(*clean, item);
        *total += line; /* at most 50 x 10^5 x 10^9: no overflow */
    }
    if (ok && *total > TOTAL_MAX) {
        laris_err_field(err, "items", "add up to more than Rp %lld", (long long)TOTAL_MAX);
        ok = false;
    }
    return ok;
}

/* A nullable note member: *set when present; *out NULL for null or blank. */
static bool read_note(laris_ctx_t *ctx, json_t *body, bool *set, const char **out)
{
    json_t *v = json_object_get(body, "note");
    *set = v != NULL;
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    const char *note;
    if (!laris_json_string(body, "note", 0, NOTE_MAX_CHARS, false, &note, ctx->err))
        return false;
    for (const unsigned char *p = (const unsigned char *)note; *p; p++) {
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) {
            laris_err_field(ctx->err, "note", "must not contain control characters");
            return false;
        }
    }
    if (strspn(note, " \t\n") < strlen(note))
        *out = note;
    return true;
}

/* Refuses members of body that are not in allowed (NULL-terminated). */
static void only_members(laris_ctx_t *ctx, json_t *body, const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        bool known = false;
        for (size_t i = 0; allowed[i]; i++)
            known = known || strcmp(key, allowed[i]) == 0;
        if (!known)
            laris_err_field(ctx->err, key, "is not a field of an order that can be written");
    }
}

laris_rc laris_orders_list(laris_ctx_t *ctx, const laris_order_filter_t *f, json_t **items,
                           int64_t *next_before)
{
    laris_arena_t *a = ctx->arena;
    const char *params[4] = {int_text(a, f->before_id),
                             f->contact_id ? int_text(a, f->contact_id) : NULL, f->payment_status,
                             int_text(a, f->limit + 1)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_ORDERS_LIST, 4, params, &res);
    if (rc != LARIS_OK)
        return rc;
    int n = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < n && i < f->limit; i++)
        json_array_append_new(*items, order_json(a, res, i));
    *next_before = n > f->limit ? laris_db_int(res, f->limit - 1, "id") : 0;
    return LARIS_OK;
}

laris_rc laris_orders_get(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    const char *params[1] = {int_text(ctx->arena, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_ORDERS_GET, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    *out = order_json(ctx->arena, res, 0);
    return LARIS_OK;
}

/* The contact an order is for: conversation_id's contact (a deleted one comes back), or
 * contact_id (a live contact). Both given must agree. */
static laris_rc order_contact(laris_ctx_t *ctx, int64_t conversation_id, int64_t contact_id,
                              int64_t *out)
{
    PGresult *res;
    laris_rc rc;
    if (conversation_id) {
        const char *one[1] = {int_text(ctx->arena, conversation_id)};
        rc = query(ctx, LARIS_SQL_ORDERS_CONVERSATION_CONTACT, 1, one, &res);
        if (rc != LARIS_OK)
            return rc;
        if (PQntuples(res) == 0)
            return laris_err_field(ctx->err, "conversation_id", "is not a conversation here");
        *out = laris_db_int(res, 0, "contact_id");
        if (contact_id && contact_id != *out)
            return laris_err_field(ctx->err, "contact_id", "is not the conversation's contact");
        const char *restore[1] = {int_text(ctx->arena, *out)};
        return query(ctx, LARIS_SQL_ORDERS_CONTACT_RESTORE, 1, restore, NULL);
    }
    const char *one[1] = {int_text(ctx->arena, contact_id)};
    rc = query(ctx, LARIS_SQL_ORDERS_CONTACT_LIVE, 1, one, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_field(ctx->err, "contact_id", "is not a contact here");
    *out = contact_id;
    return LARIS_OK;
}

laris_rc laris_orders_create(laris_ctx_t *ctx, json_t *body, const char *idempotency_key,
                             json_t **out)
{
    static const char *const allowed[] = {"conversation_id", "contact_id", "items",
                                          "payment_status",  "note",       NULL};
    static const char *const statuses[] = {"unpaid", "paid", NULL};
    laris_arena_t *a = ctx->arena;
    only_members(ctx, body, allowed);
    int64_t conversation_id = 0, contact_id = 0;
    laris_json_int(body, "conversation_id", 1, INT64_MAX, false, &conversation_id, ctx->err);
    laris_json_int(body, "contact_id", 1, INT64_MAX, false, &contact_id, ctx->err);
    if (!json_object_get(body, "conversation_id") && !json_object_get(body, "contact_id"))
        laris_err_field(ctx->err, "conversation_id", "or contact_id is required");
    json_t *items = NULL;
    int64_t total = 0;
    read_items(a, json_object_get(body, "items"), &items, &total, ctx->err);
    const char *status = "unpaid";
    laris_json_enum(body, "payment_status", statuses, false, &status, ctx->err);
    bool has_note;
    const char *note;
    read_note(ctx, body, &has_note, &note);
    if (ctx->err->code != LARIS_OK)
        return ctx->err->code;

    PGresult *res;
    laris_rc rc;
    if (idempotency_key) {
        const char *key[1] = {idempotency_key};
        rc = query(ctx, LARIS_SQL_ORDERS_BY_KEY, 1, key, &res);
        if (rc != LARIS_OK)
            return rc;
        if (PQntuples(res) > 0)
            return laris_orders_get(ctx, laris_db_int(res, 0, "id"), out);
    }
    int64_t contact = 0;
    rc = order_contact(ctx, conversation_id, contact_id, &contact);
    if (rc != LARIS_OK)
        return rc;
    size_t len;
    const char *params[8] = {int_text(a, contact),
                             conversation_id ? int_text(a, conversation_id) : NULL,
                             ctx->user_id ? int_text(a, ctx->user_id) : NULL,
                             int_text(a, total),
                             status,
                             note,
                             idempotency_key,
                             laris_json_encode(a, items, &len)};
    rc = query(ctx, LARIS_SQL_ORDERS_INSERT, 8, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0) { /* the same key, made by a request that ran at the same time */
        const char *key[1] = {idempotency_key};
        rc = query(ctx, LARIS_SQL_ORDERS_BY_KEY, 1, key, &res);
        if (rc != LARIS_OK)
            return rc;
        if (PQntuples(res) == 0)
            return laris_err_set(ctx->err, LARIS_ECONFLICT,
                                 "A request with this Idempotency-Key is in progress. Try again.");
    }
    return laris_orders_get(ctx, laris_db_int(res, 0, "id"), out);
}

/* Whether the order's payment status may move from cur to next for the actor; error on ctx. */
static laris_rc check_transition(laris_ctx_t *ctx, const char *cur, const char *next)
{
    if (strcmp(cur, next) == 0)
        return LARIS_OK;
    if (strcmp(cur, "cancelled") == 0)
        return laris_err_set(ctx->err, LARIS_ECONFLICT,
                             "This order is cancelled; it cannot change.");
    if (strcmp(cur, "paid") == 0 && strcmp(next, "unpaid") == 0)
        return laris_err_set(ctx->err, LARIS_ECONFLICT,
                             "A paid order cannot become unpaid again; cancel it instead.");
    if (strcmp(cur, "paid") == 0 && ctx->role < LARIS_ROLE_SUPERVISOR)
        return laris_err_set(ctx->err, LARIS_EFORBIDDEN,
                             "Only a supervisor or the owner may cancel a paid order.");
    return LARIS_OK;
}

laris_rc laris_orders_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out)
{
    static const char *const allowed[] = {"payment_status", "items", "note", NULL};
    static const char *const statuses[] = {"unpaid", "paid", "cancelled", NULL};
    laris_arena_t *a = ctx->arena;
    only_members(ctx, body, allowed);
    const char *next = NULL;
    laris_json_enum(body, "payment_status", statuses, false, &next, ctx->err);
    json_t *items = NULL;
    int64_t total = 0;
    bool has_items = json_object_get(body, "items") != NULL;
    if (has_items)
        read_items(a, json_object_get(body, "items"), &items, &total, ctx->err);
    bool has_note;
    const char *note;
    read_note(ctx, body, &has_note, &note);
    if (ctx->err->code != LARIS_OK)
        return ctx->err->code;

    const char *id_text = int_text(a, id);
    const char *one[1] = {id_text};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_ORDERS_LOCK, 1, one, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    const char *cur = laris_arena_strdup(a, laris_db_value(res, 0, "payment_status"));
    if (next && (rc = check_transition(ctx, cur, next)) != LARIS_OK)
        return rc;
    if (has_items && strcmp(cur, "unpaid") != 0)
        return laris_err_set(ctx->err, LARIS_ECONFLICT,
                             "Items can change only while the order is unpaid.");
    if (has_items) {
        size_t len;
        const char *set[2] = {id_text, laris_json_encode(a, items, &len)};
        rc = query(ctx, LARIS_SQL_ORDERS_ITEMS_CLEAR, 1, one, NULL);
        if (rc == LARIS_OK)
            rc = query(ctx, LARIS_SQL_ORDERS_ITEMS_INSERT, 2, set, NULL);
        if (rc != LARIS_OK)
            return rc;
    }
    bool moves = next && strcmp(cur, next) != 0;
    const char *params[5] = {id_text, moves ? next : NULL, has_note ? "true" : "false", note,
                             has_items ? int_text(a, total) : NULL};
    rc = query(ctx, LARIS_SQL_ORDERS_UPDATE, 5, params, NULL);
    if (rc == LARIS_OK && moves)
        rc = laris_audit(ctx, laris_arena_printf(a, "order.%s", next), "order", id,
                         json_pack("{s:s}", "from", cur));
    if (rc != LARIS_OK)
        return rc;
    return laris_orders_get(ctx, id, out);
}
