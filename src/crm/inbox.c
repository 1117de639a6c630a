/* The team inbox: conversation pages with filters and search, one conversation, its status,
 * priority and labels, read markers (unread counts) and internal notes. Rows come from the
 * inbox_conversations view under the tenant's RLS. A change of assignee goes through the
 * distribution rules (laris_dist_assign). Every item carries its SLA figures. */
#include <string.h>

#include "laris/clock.h"
#include "laris/crm.h"
#include "laris/json.h"

#define NOTE_MAX   4096
#define LABELS_MAX 50

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

static json_t *json_column(const PGresult *res, int row, const char *col)
{
    const char *text = laris_db_value(res, row, col);
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    return v ? v : json_array();
}

/* The SLA times a list item carries: what the list's badge needs (GET /conversations/{id}
 * carries every figure). Fifty items of the full object would add about 12 KB to a page. */
static json_t *sla_summary_json(laris_arena_t *a, const PGresult *res, int row)
{
    static const char *const times[] = {"first_response_at", "sla_due_at", "sla_warned_at",
                                        "sla_breached_at", NULL};
    json_t *out = json_object();
    for (size_t i = 0; times[i]; i++)
        json_object_set_new(out, times[i], time_or_null(a, res, row, times[i]));
    return out;
}

/* One inbox item from a row of the inbox_conversations view: with every SLA figure (one
 * conversation) or the times the list shows (list pages). */
static json_t *item_json(laris_arena_t *a, const PGresult *res, int row, bool full_sla)
{
    json_t *v = json_object();
    json_object_set_new(v, "id", json_integer(laris_db_int(res, row, "id")));
    json_object_set_new(v, "status", string_or_null(laris_db_value(res, row, "status")));
    json_object_set_new(v, "priority", string_or_null(laris_db_value(res, row, "priority")));
    json_object_set_new(v, "assignee",
                        laris_db_value(res, row, "assignee_id")
                            ? json_pack("{s:I,s:o}", "id",
                                        (json_int_t)laris_db_int(res, row, "assignee_id"), "name",
                                        string_or_null(laris_db_value(res, row, "assignee_name")))
                            : json_null());
    json_object_set_new(
        v, "contact",
        json_pack("{s:I,s:o,s:o,s:o,s:o}", "id", (json_int_t)laris_db_int(res, row, "contact_id"),
                  "name", string_or_null(laris_db_value(res, row, "contact_name")), "profile_name",
                  string_or_null(laris_db_value(res, row, "profile_name")), "phone",
                  string_or_null(laris_db_value(res, row, "phone")), "wa_id",
                  string_or_null(laris_db_value(res, row, "wa_id"))));
    json_object_set_new(v, "labels", json_column(res, row, "labels"));
    json_object_set_new(
        v, "last_message",
        laris_db_value(res, row, "last_message_id")
            ? json_pack("{s:I,s:o,s:o,s:o,s:o,s:o}", "id",
                        (json_int_t)laris_db_int(res, row, "last_message_id"), "direction",
                        string_or_null(laris_db_value(res, row, "last_direction")), "type",
                        string_or_null(laris_db_value(res, row, "last_type")), "preview",
                        string_or_null(laris_db_value(res, row, "last_preview")), "status",
                        string_or_null(laris_db_value(res, row, "last_status")), "at",
                        time_or_null(a, res, row, "last_at"))
            : json_null());
    json_object_set_new(v, "unread_count", json_integer(laris_db_int(res, row, "unread_count")));
    json_object_set_new(v, "snoozed_until", time_or_null(a, res, row, "snoozed_until"));
    json_object_set_new(v, "last_message_at", time_or_null(a, res, row, "last_message_at"));
    json_object_set_new(v, "opened_at", time_or_null(a, res, row, "opened_at"));
    json_object_set_new(v, "activity_at", time_or_null(a, res, row, "activity_at"));
    json_object_set_new(v, "sla",
                        full_sla
                            ? laris_conversation_sla_json(a, res, row, laris_db_int(res, row, "id"))
                            : sla_summary_json(a, res, row));
    return v;
}

/* Rows of an inbox page, collected over one or more statements: the first `limit` make the
 * page; one more means another page follows. */
typedef struct {
    json_t *items;
    int rows;
    int limit;
    int64_t last_us, last_id; /* the cursor position of the page's last item */
    bool more;
} page_t;

/* Adds the rows of res that are conversations (a search's summary-only row has no id). */
static void page_add(laris_arena_t *a, page_t *p, const PGresult *res)
{
    for (int i = 0; i < PQntuples(res) && !p->more; i++) {
        if (!laris_db_value(res, i, "id"))
            continue;
        if (p->rows == p->limit) {
            p->more = true;
            break;
        }
        json_array_append_new(p->items, item_json(a, res, i, false));
        p->last_us = laris_db_int(res, i, "activity_us");
        p->last_id = laris_db_int(res, i, "id");
        p->rows++;
    }
}

/* A search stops with an error after SEARCH_BUDGET_MS (also each statement's
 * statement_timeout). The walk's batches grow from SEARCH_BATCH_FIRST conversations to
 * SEARCH_BATCH_MAX; the trigram indexes answer when a term matches at most SEARCH_INDEX_CAP
 * contacts and as many messages. */
#define SEARCH_BUDGET_MS   2000
#define SEARCH_BATCH_FIRST 100
#define SEARCH_BATCH_MAX   3200
#define SEARCH_INDEX_CAP   2000

/* One walk batch of `batch` conversations from the cursor in params[5], params[6] (NULL: the
 * top); adds its matches to p. *done when the page and the one row past it are found or the
 * inbox ended; else the cursor moves to where the next batch starts. params as for
 * inbox_search_batch. */
static laris_rc walk_batch(laris_ctx_t *ctx, const char **params, int batch, page_t *p, bool *done)
{
    laris_arena_t *a = ctx->arena;
    params[7] = int_text(a, p->limit + 1 - p->rows);
    params[11] = int_text(a, batch);
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_INBOX_SEARCH_BATCH, 12, params, &res);
    if (rc != LARIS_OK)
        return rc;
    page_add(a, p, res);
    *done = p->more || !laris_db_value(res, 0, "scanned_us");
    if (!*done) {
        params[5] = laris_db_value(res, 0, "scanned_us");
        params[6] = laris_db_value(res, 0, "scanned_id");
    }
    return LARIS_OK;
}

/* The trigram path from the cursor in params (as for inbox_search_batch): fills p anew and sets
 * *answered when the term matches few enough contacts and messages for the indexes to answer
 * exactly. */
static laris_rc search_by_index(laris_ctx_t *ctx, const char *const *walk_params, page_t *p,
                                bool *answered)
{
    laris_arena_t *a = ctx->arena;
    const char *params[12];
    memcpy(params, walk_params, sizeof(params));
    params[7] = int_text(a, p->limit + 1);
    params[11] = int_text(a, SEARCH_INDEX_CAP + 1);
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_INBOX_SEARCH, 12, params, &res);
    if (rc != LARIS_OK)
        return rc;
    *answered = laris_db_int(res, 0, "hits") <= SEARCH_INDEX_CAP;
    if (*answered) { /* the whole page, from the request's cursor: what the walk found is in it */
        json_decref(p->items);
        p->items = json_array();
        p->rows = 0;
        p->more = false;
        page_add(a, p, res);
    }
    return LARIS_OK;
}

/* The search itself, newest first: one small walk batch (a common term fills the page there),
 * then the trigram indexes (a rare term: answered at once), else the walk goes on in batches
 * that grow until the page is full. */
static laris_rc search_run(laris_ctx_t *ctx, const char **params, page_t *p, bool *out_of_time)
{
    int64_t start = laris_clock_mono_ns();
    const char *cursor_us = params[5], *cursor_id = params[6];
    bool done = false;
    laris_rc rc = walk_batch(ctx, params, SEARCH_BATCH_FIRST, p, &done);
    if (rc != LARIS_OK || done)
        return rc;
    const char *walked_us = params[5], *walked_id = params[6];
    params[5] = cursor_us;
    params[6] = cursor_id;
    rc = search_by_index(ctx, params, p, &done);
    params[5] = walked_us;
    params[6] = walked_id;
    for (int batch = SEARCH_BATCH_FIRST * 2; rc == LARIS_OK && !done;
         batch = batch < SEARCH_BATCH_MAX ? batch * 2 : batch) {
        if ((laris_clock_mono_ns() - start) / 1000000 >= SEARCH_BUDGET_MS) {
            *out_of_time = true;
            return LARIS_EUNAVAILABLE;
        }
        rc = walk_batch(ctx, params, batch, p, &done);
    }
    return rc;
}

/* A search under its own statement_timeout, set back to the role's default afterwards. A
 * search that runs out of time answers 503 with a detail saying what to do. */
static laris_rc search(laris_ctx_t *ctx, const char **params, page_t *p)
{
    const char *budget[1] = {int_text(ctx->arena, SEARCH_BUDGET_MS)};
    bool out_of_time = false;
    laris_rc rc = query(ctx, LARIS_SQL_INBOX_SEARCH_TIMEOUT, 1, budget, NULL);
    if (rc == LARIS_OK)
        rc = search_run(ctx, params, p, &out_of_time);
    if (rc == LARIS_EUNAVAILABLE && ctx->err->sqlstate && strcmp(ctx->err->sqlstate, "57014") == 0)
        out_of_time = true; /* canceled by statement_timeout */
    const char *reset[1] = {NULL};
    if (rc == LARIS_OK) {
        rc = query(ctx, LARIS_SQL_INBOX_SEARCH_TIMEOUT, 1, reset, NULL);
    } else {
        laris_err_t ignored;
        laris_err_init(&ignored, ctx->arena);
        laris_db_query(ctx->db, ctx->arena, LARIS_SQL_INBOX_SEARCH_TIMEOUT, 1, reset, NULL,
                       &ignored);
    }
    if (out_of_time) {
        ctx->err->retry_after = 0;
        return laris_err_set(ctx->err, LARIS_EUNAVAILABLE,
                             "The search took too long. Try a longer or more specific term, or "
                             "narrow it with a status, assignee or label.");
    }
    return rc;
}

laris_rc laris_inbox_list(laris_ctx_t *ctx, const laris_inbox_filter_t *f, json_t **items,
                          bool *more, int64_t *next_us, int64_t *next_id)
{
    laris_arena_t *a = ctx->arena;
    laris_search_terms_t terms;
    if (f->q && !laris_search_terms(a, f->q, &terms, ctx->err))
        return LARIS_EINVALID;
    const char *params[12] = {
        int_text(a, ctx->user_id),
        f->status,
        f->assignee ? f->assignee : "any",
        f->assignee_id ? int_text(a, f->assignee_id) : NULL,
        f->label_id ? int_text(a, f->label_id) : NULL,
        f->after ? int_text(a, f->after_us) : NULL,
        f->after ? int_text(a, f->after_id) : NULL,
        int_text(a, f->limit + 1),
        f->q ? terms.like : NULL,
        f->q ? terms.digits : NULL,
        f->q ? terms.normalized : NULL,
        NULL,
    };
    page_t p = {.items = json_array(), .limit = f->limit};
    laris_rc rc;
    if (f->q) {
        rc = search(ctx, params, &p);
    } else {
        PGresult *res;
        rc = query(ctx, LARIS_SQL_INBOX_LIST, 8, params, &res);
        if (rc == LARIS_OK)
            page_add(a, &p, res);
    }
    if (rc != LARIS_OK) {
        json_decref(p.items);
        return rc;
    }
    *items = p.items;
    *more = p.more;
    *next_us = p.last_us;
    *next_id = p.last_id;
    return LARIS_OK;
}

laris_rc laris_inbox_get(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    laris_arena_t *a = ctx->arena;
    const char *params[2] = {int_text(a, ctx->user_id), int_text(a, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_INBOX_GET, 2, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    json_t *v = item_json(a, res, 0, true);
    json_t *contact = json_object_get(v, "contact");
    json_object_set_new(contact, "user_id",
                        string_or_null(laris_db_value(res, 0, "contact_user_id")));
    json_object_set_new(contact, "last_inbound_at", time_or_null(a, res, 0, "last_inbound_at"));
    json_object_set_new(contact, "marketing_opt_out_at",
                        time_or_null(a, res, 0, "marketing_opt_out_at"));
    json_object_set_new(contact, "created_at", time_or_null(a, res, 0, "contact_created_at"));
    json_object_set_new(contact, "labels", json_column(res, 0, "contact_labels"));
    *out = v;
    return LARIS_OK;
}

/* An RFC 3339 date-time with a zone ("2026-11-24T09:00:00Z", "…+07:00"): its shape only. */
static bool rfc3339_shape(const char *s)
{
    static const char pattern[] = "dddd-dd-ddTdd:dd";
    size_t n = strlen(s);
    if (n < 20 || n > 35)
        return false;
    for (size_t i = 0; pattern[i]; i++) {
        bool digit = s[i] >= '0' && s[i] <= '9';
        if (pattern[i] == 'd' ? !digit : s[i] != pattern[i])
            return false;
    }
    char last = s[n - 1];
    return last == 'Z' || last == 'z' || (n > 6 && (s[n - 6] == '+' || s[n - 6] == '-'));
}

/* Reads status and snoozed_until from body; *status NULL when absent. */
static bool read_status(laris_ctx_t *ctx, json_t *body, const char **status, const char **until)
{
    static const char *const statuses[] = {"open", "pending", "resolved", "snoozed", NULL};
    *status = *until = NULL;
    json_t *s = json_object_get(body, "status");
    if (s && !laris_json_enum(body, "status", statuses, false, status, ctx->err))
        return false;
    json_t *u = json_object_get(body, "snoozed_until");
    if (u && !json_is_null(u)) {
        if (!json_is_string(u) || !rfc3339_shape(json_string_value(u)))
            return laris_err_field(ctx->err, "snoozed_until",
                                   "must be an RFC 3339 time such as 2026-11-24T09:00:00+07:00"),
                   false;
        *until = json_string_value(u);
    }
    if (*status && strcmp(*status, "snoozed") == 0 && !*until)
        return laris_err_field(ctx->err, "snoozed_until", "is required to snooze"), false;
    if (*until && (!*status || strcmp(*status, "snoozed") != 0))
        return laris_err_field(ctx->err, "snoozed_until", "goes with status snoozed"), false;
    return true;
}

/* Reads labels: an array of at most LABELS_MAX positive ids, as a JSON text; NULL when absent. */
static bool read_label_ids(laris_ctx_t *ctx, json_t *body, const char **ids, size_t *count)
{
    *ids = NULL;
    *count = 0;
    json_t *labels = json_object_get(body, "labels");
    if (!labels)
        return true;
    if (!json_is_array(labels) || json_array_size(labels) > LABELS_MAX)
        return laris_err_field(ctx->err, "labels", "must be an array of at most %d label ids",
                               LABELS_MAX),
               false;
    json_t *clean = laris_json_adopt(ctx->arena, json_array());
    for (size_t i = 0; i < json_array_size(labels); i++) {
        json_t *id = json_array_get(labels, i);
        if (!json_is_integer(id) || json_integer_value(id) <= 0)
            return laris_err_field(ctx->err, "labels", "must hold label ids (positive integers)"),
                   false;
        bool seen = false;
        for (size_t j = 0; j < json_array_size(clean); j++)
            seen = seen || json_integer_value(json_array_get(clean, j)) == json_integer_value(id);
        if (!seen)
            json_array_append(clean, id);
    }
    size_t len;
    *ids = laris_json_encode(ctx->arena, clean, &len);
    *count = json_array_size(clean);
    return true;
}

/* Reads assignee_id: a user id or null (0); *present false when absent. */
static bool read_assignee(laris_ctx_t *ctx, json_t *body, bool *present, int64_t *to_user)
{
    json_t *v = json_object_get(body, "assignee_id");
    *present = v != NULL;
    *to_user = 0;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return laris_err_field(ctx->err, "assignee_id", "must be a user id or null"), false;
    *to_user = json_integer_value(v);
    return true;
}

laris_rc laris_inbox_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out)
{
    static const char *const priorities[] = {"low", "normal", "high", "urgent", NULL};
    static const char *const fields[] = {"status", "snoozed_until", "priority",
                                         "labels", "assignee_id",   NULL};
    laris_arena_t *a = ctx->arena;
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        bool known = false;
        for (size_t i = 0; fields[i]; i++)
            known = known || strcmp(key, fields[i]) == 0;
        if (!known)
            laris_err_field(ctx->err, key, "cannot be changed here");
    }
    const char *status, *until, *priority = NULL, *label_ids;
    size_t nlabels;
    bool ok = read_status(ctx, body, &status, &until);
    if (json_object_get(body, "priority"))
        ok = laris_json_enum(body, "priority", priorities, false, &priority, ctx->err) && ok;
    ok = read_label_ids(ctx, body, &label_ids, &nlabels) && ok;
    bool assign;
    int64_t to_user;
    ok = read_assignee(ctx, body, &assign, &to_user) && ok;
    if (!ok || ctx->err->code != LARIS_OK)
        return LARIS_EINVALID;

    laris_rc rc = assign ? laris_dist_assign(ctx, id, to_user) : LARIS_OK;
    if (rc != LARIS_OK)
        return rc;
    const char *id_text = int_text(a, id);
    const char *lock[1] = {id_text};
    PGresult *res;
    rc = query(ctx, LARIS_SQL_INBOX_LOCK, 1, lock, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    if (until) {
        const char *check[1] = {until};
        rc = query(ctx, LARIS_SQL_INBOX_SNOOZE_IN_FUTURE, 1, check, &res);
        if (rc != LARIS_OK) {
            laris_err_field(ctx->err, "snoozed_until", "is not a valid time");
            return LARIS_EINVALID;
        }
        if (!laris_db_bool(res, 0, "ok"))
            return laris_err_field(ctx->err, "snoozed_until",
                                   "must be in the future and within a year");
    }
    if (status) {
        const char *set[3] = {id_text, status, until};
        rc = query(ctx, LARIS_SQL_INBOX_SET_STATUS, 3, set, NULL);
        if (rc == LARIS_ECONFLICT)
            return laris_err_set(ctx->err, LARIS_ECONFLICT,
                                 "This customer already has another conversation that is not "
                                 "resolved. Resolve that one first.");
    }
    if (rc == LARIS_OK && priority) {
        const char *set[2] = {id_text, priority};
        rc = query(ctx, LARIS_SQL_INBOX_SET_PRIORITY, 2, set, NULL);
    }
    if (rc == LARIS_OK && label_ids) {
        rc = query(ctx, LARIS_SQL_INBOX_LABELS_CLEAR, 1, lock, NULL);
        const char *set[2] = {id_text, label_ids};
        if (rc == LARIS_OK && nlabels > 0)
            rc = query(ctx, LARIS_SQL_INBOX_LABELS_SET, 2, set, &res);
        if (rc == LARIS_OK && nlabels > 0 && (size_t)PQntuples(res) != nlabels)
            return laris_err_field(ctx->err, "labels", "holds an id that is not a label here");
    }
    if (rc != LARIS_OK)
        return rc;
    return laris_inbox_get(ctx, id, out);
}

laris_rc laris_inbox_mark_read(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    const char *params[2] = {int_text(ctx->arena, id), int_text(ctx->arena, ctx->user_id)};
    if (!ctx->user_id)
        return laris_err_set(ctx->err, LARIS_EFORBIDDEN,
                             "Read markers belong to people; an API token has none.");
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_INBOX_MARK_READ, 2, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    *out = json_pack("{s:I,s:I,s:i}", "conversation_id", (json_int_t)id, "last_read_message_id",
                     (json_int_t)laris_db_int(res, 0, "last_read_message_id"), "unread_count", 0);
    return LARIS_OK;
}

static json_t *note_json(laris_arena_t *a, const PGresult *res, int row)
{
    json_t *n = json_object();
    json_object_set_new(n, "id", json_integer(laris_db_int(res, row, "id")));
    json_object_set_new(n, "kind", json_string("note"));
    json_object_set_new(n, "conversation_id",
                        json_integer(laris_db_int(res, row, "conversation_id")));
    json_object_set_new(n, "body", string_or_null(laris_db_value(res, row, "body")));
    json_object_set_new(n, "author",
                        laris_db_value(res, row, "author_id")
                            ? json_pack("{s:I,s:o}", "id",
                                        (json_int_t)laris_db_int(res, row, "author_id"), "name",
                                        string_or_null(laris_db_value(res, row, "author_name")))
                            : json_null());
    json_object_set_new(n, "created_at", time_or_null(a, res, row, "created_at"));
    return n;
}

static laris_rc conversation_exists(laris_ctx_t *ctx, const char *id_text)
{
    const char *params[1] = {id_text};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_INBOX_EXISTS, 1, params, &res);
    if (rc == LARIS_OK && PQntuples(res) == 0)
        rc = laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such conversation.");
    return rc;
}

laris_rc laris_notes_create(laris_ctx_t *ctx, int64_t conversation_id, json_t *body, json_t **out)
{
    const char *text;
    if (!laris_json_string(body, "body", 1, NOTE_MAX, true, &text, ctx->err))
        return LARIS_EINVALID;
    if (strspn(text, " \t\r\n") == strlen(text))
        return laris_err_field(ctx->err, "body", "must not be blank");
    const char *id_text = int_text(ctx->arena, conversation_id);
    laris_rc rc = conversation_exists(ctx, id_text);
    if (rc != LARIS_OK)
        return rc;
    const char *params[3] = {id_text, ctx->user_id ? int_text(ctx->arena, ctx->user_id) : NULL,
                             text};
    PGresult *res;
    rc = query(ctx, LARIS_SQL_NOTES_INSERT, 3, params, &res);
    if (rc != LARIS_OK)
        return rc;
    const char *list[3] = {id_text, int_text(ctx->arena, laris_db_int(res, 0, "id") - 1), "1"};
    rc = query(ctx, LARIS_SQL_NOTES_LIST, 3, list, &res);
    if (rc != LARIS_OK)
        return rc;
    *out = note_json(ctx->arena, res, 0);
    return LARIS_OK;
}

laris_rc laris_notes_list(laris_ctx_t *ctx, int64_t conversation_id, int64_t after_id, int limit,
                          json_t **items, int64_t *next_after)
{
    const char *id_text = int_text(ctx->arena, conversation_id);
    laris_rc rc = conversation_exists(ctx, id_text);
    if (rc != LARIS_OK)
        return rc;
    const char *params[3] = {id_text, int_text(ctx->arena, after_id),
                             int_text(ctx->arena, limit + 1)};
    PGresult *res;
    rc = query(ctx, LARIS_SQL_NOTES_LIST, 3, params, &res);
    if (rc != LARIS_OK)
        return rc;
    int n = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < n && i < limit; i++)
        json_array_append_new(*items, note_json(ctx->arena, res, i));
    *next_after = n > limit ? laris_db_int(res, limit - 1, "id") : 0;
    return LARIS_OK;
}
