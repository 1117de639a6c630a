/* Contacts: the shop's customer records (display name, lead status, city, birthday, note,
 * labels, order summary), listed with search and filters, created by phone, soft-deleted.
 *
 * A contact with orders cannot be deleted (409): orders are the shop's sales records. Deleting
 * any other contact clears what the shop wrote about them and hides the record; its
 * conversations and messages stay, and the record comes back (empty) when the customer writes
 * again or the number is added again. */
#include <string.h>

#include "laris/crm.h"
#include "laris/json.h"
#include "laris/phone.h"

#define NAME_MAX_CHARS 200
#define CITY_MAX_CHARS 100
#define NOTE_MAX_CHARS 2000

static const char *int_text(laris_arena_t *a, int64_t v)
{
    return laris_arena_printf(a, "%lld", (long long)v);
}

static laris_rc query(laris_ctx_t *ctx, laris_sql_id id, int n, const char *const *params,
                      PGresult **out)
{
    return laris_db_query(ctx->db, ctx->arena, id, n, params, out, ctx->err);
}

static const char *flag(bool b)
{
    return b ? "true" : "false";
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *time_or_null(laris_arena_t *a, const PGresult *res, int row, const char *col)
{
    return string_or_null(laris_time_rfc3339(a, laris_db_value(res, row, col)));
}

static laris_rc not_found(laris_ctx_t *ctx)
{
    return laris_err_set(ctx->err, LARIS_ENOTFOUND, "There is no such contact.");
}

/* A contact from a row of contacts_list or contacts_get. */
static json_t *contact_json(laris_arena_t *a, const PGresult *res, int row)
{
    json_t *v = json_object();
    json_object_set_new(v, "id", json_integer(laris_db_int(res, row, "id")));
    static const char *const texts[] = {"name", "profile_name", "phone", "wa_id", "lead_status",
                                        "city", "birthday",     "note",  NULL};
    for (size_t i = 0; texts[i]; i++)
        json_object_set_new(v, texts[i], string_or_null(laris_db_value(res, row, texts[i])));
    json_object_set_new(v, "marketing_opt_out",
                        json_boolean(laris_db_value(res, row, "marketing_opt_out_at") != NULL));
    json_object_set_new(v, "marketing_opt_out_at",
                        time_or_null(a, res, row, "marketing_opt_out_at"));
    json_object_set_new(v, "last_inbound_at", time_or_null(a, res, row, "last_inbound_at"));
    json_object_set_new(v, "created_at", time_or_null(a, res, row, "created_at"));
    json_object_set_new(v, "updated_at", time_or_null(a, res, row, "updated_at"));
    const char *labels = laris_db_value(res, row, "labels");
    json_t *parsed = labels ? json_loads(labels, 0, NULL) : NULL;
    json_object_set_new(v, "labels", parsed ? parsed : json_array());
    return v;
}

/* Whether s is a calendar date "YYYY-MM-DD" from 1900 to 2100. */
static bool date_valid(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

/* A nullable text member of body: *set tells whether it is there; *out is NULL for null or
 * for text that is blank once trimmed. multiline allows line breaks and tabs. */
static bool text_member(laris_ctx_t *ctx, json_t *body, const char *field, size_t max_chars,
                        bool multiline, bool *set, const char **out)
{
    json_t *v = json_object_get(body, field);
    *set = v != NULL;
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    const char *raw;
    if (!laris_json_string(body, field, 0, max_chars, false, &raw, ctx->err))
        return false;
    while (*raw == ' ' || *raw == '\t' || *raw == '\n' || *raw == '\r')
        raw++;
    size_t len = strlen(raw);
    while (len > 0 && strchr(" \t\r\n", raw[len - 1]))
        len--;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)raw[i];
        bool allowed = multiline && (c == '\n' || c == '\t' || c == '\r');
        if ((c < 0x20 || c == 0x7f) && !allowed) {
            laris_err_field(ctx->err, field, "must not contain control characters");
            return false;
        }
    }
    if (len > 0)
        *out = laris_arena_strndup(ctx->arena, raw, len);
    return true;
}

/* The fields a shop writes on a contact; each with whether the body has it. */
typedef struct {
    bool has_name, has_lead, has_city, has_birthday, has_note;
    const char *name, *lead_status, *city, *birthday, *note;
} contact_fields_t;

/* Reads the shop's fields; the members in allowed (NULL-terminated) are the only ones taken. */
static bool read_fields(laris_ctx_t *ctx, json_t *body, const char *const *allowed,
                        contact_fields_t *f)
{
    memset(f, 0, sizeof(*f));
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        bool known = false;
        for (size_t i = 0; allowed[i]; i++)
            known = known || strcmp(key, allowed[i]) == 0;
        if (!known)
            laris_err_field(ctx->err, key, "is not a field of a contact that can be written");
    }
    text_member(ctx, body, "name", NAME_MAX_CHARS, false, &f->has_name, &f->name);
    text_member(ctx, body, "city", CITY_MAX_CHARS, false, &f->has_city, &f->city);
    text_member(ctx, body, "note", NOTE_MAX_CHARS, true, &f->has_note, &f->note);
    json_t *lead = json_object_get(body, "lead_status");
    f->has_lead = lead != NULL;
    if (lead && !json_is_null(lead)) {
        static const char *const leads[] = {"hot", "warm", "cold", NULL};
        laris_json_enum(body, "lead_status", leads, false, &f->lead_status, ctx->err);
    }
    json_t *birthday = json_object_get(body, "birthday");
    f->has_birthday = birthday != NULL;
    if (birthday && !json_is_null(birthday)) {
        if (json_is_string(birthday) && date_valid(json_string_value(birthday)))
            f->birthday = json_string_value(birthday);
        else
            laris_err_field(ctx->err, "birthday", "must be a date such as 1990-08-17");
    }
    return ctx->err->code == LARIS_OK;
}

laris_rc laris_contacts_list(laris_ctx_t *ctx, const laris_contact_filter_t *f, json_t **items,
                             int64_t *next_before)
{
    laris_search_terms_t terms = {0};
    if (f->q && !laris_search_terms(ctx->arena, f->q, &terms, ctx->err))
        return LARIS_EINVALID;
    laris_arena_t *a = ctx->arena;
    const char *params[7] = {
        int_text(a, f->before_id),
        f->lead_status,
        f->label_id ? int_text(a, f->label_id) : NULL,
        f->q ? terms.like : NULL,
        f->q ? terms.digits : NULL,
        f->q ? terms.normalized : NULL,
        int_text(a, f->limit + 1),
    };
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_CONTACTS_LIST, 7, params, &res);
    if (rc != LARIS_OK)
        return rc;
    int n = PQntuples(res);
    *items = json_array();
    for (int i = 0; i < n && i < f->limit; i++)
        json_array_append_new(*items, contact_json(a, res, i));
    *next_before = n > f->limit ? laris_db_int(res, f->limit - 1, "id") : 0;
    return LARIS_OK;
}

laris_rc laris_contacts_get(laris_ctx_t *ctx, int64_t id, json_t **out)
{
    const char *params[1] = {int_text(ctx->arena, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_CONTACTS_GET, 1, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    json_t *v = contact_json(ctx->arena, res, 0);
    json_object_set_new(v, "order_summary",
                        json_pack("{s:I,s:I,s:I,s:o}", "order_count",
                                  (json_int_t)laris_db_int(res, 0, "order_count"), "paid_total",
                                  (json_int_t)laris_db_int(res, 0, "paid_total"), "unpaid_total",
                                  (json_int_t)laris_db_int(res, 0, "unpaid_total"), "last_order_at",
                                  time_or_null(ctx->arena, res, 0, "last_order_at")));
    *out = v;
    return LARIS_OK;
}

laris_rc laris_contacts_create(laris_ctx_t *ctx, json_t *body, json_t **out)
{
    static const char *const allowed[] = {"phone",    "name", "lead_status", "city",
                                          "birthday", "note", NULL};
    contact_fields_t f;
    const char *phone_in = NULL;
    char phone[LARIS_PHONE_MAX];
    if (laris_json_string(body, "phone", 1, 40, true, &phone_in, ctx->err) &&
        !laris_phone_normalize(phone_in, phone))
        laris_err_field(ctx->err, "phone", "must be a phone number such as 0812-3456-7890");
    if (!read_fields(ctx, body, allowed, &f))
        return LARIS_EINVALID;
    const char *params[6] = {phone, f.name, f.lead_status, f.city, f.birthday, f.note};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_CONTACTS_INSERT, 6, params, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0) {
        laris_err_field(ctx->err, "phone", "belongs to another contact");
        return laris_err_set(ctx->err, LARIS_ECONFLICT,
                             "A contact with this phone number exists already.");
    }
    return laris_contacts_get(ctx, laris_db_int(res, 0, "id"), out);
}

laris_rc laris_contacts_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out)
{
    static const char *const allowed[] = {"name", "lead_status",       "city", "birthday",
                                          "note", "marketing_opt_out", NULL};
    contact_fields_t f;
    bool opt_out = false;
    json_t *opt = json_object_get(body, "marketing_opt_out");
    if (opt && !json_is_true(opt))
        laris_err_field(ctx->err, "marketing_opt_out",
                        "can only be true: only the customer can opt back in, on WhatsApp");
    else
        opt_out = opt != NULL;
    if (!read_fields(ctx, body, allowed, &f))
        return LARIS_EINVALID;
    const char *id_text = int_text(ctx->arena, id);
    const char *one[1] = {id_text};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_CONTACTS_LOCK, 1, one, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    const char *params[12] = {id_text,       flag(f.has_name), f.name, flag(f.has_lead),
                              f.lead_status, flag(f.has_city), f.city, flag(f.has_birthday),
                              f.birthday,    flag(f.has_note), f.note, flag(opt_out)};
    rc = query(ctx, LARIS_SQL_CONTACTS_UPDATE, 12, params, NULL);
    if (rc != LARIS_OK)
        return rc;
    return laris_contacts_get(ctx, id, out);
}

laris_rc laris_contacts_delete(laris_ctx_t *ctx, int64_t id)
{
    const char *one[1] = {int_text(ctx->arena, id)};
    PGresult *res;
    laris_rc rc = query(ctx, LARIS_SQL_CONTACTS_LOCK, 1, one, &res);
    if (rc != LARIS_OK)
        return rc;
    if (PQntuples(res) == 0)
        return not_found(ctx);
    rc = query(ctx, LARIS_SQL_CONTACTS_HAS_ORDERS, 1, one, &res);
    if (rc != LARIS_OK)
        return rc;
    if (laris_db_bool(res, 0, "has_orders"))
        return laris_err_set(ctx->err, LARIS_ECONFLICT,
                             "This contact has orders, which are kept as sales records; a contact "
                             "with orders cannot be deleted.");
    rc = query(ctx, LARIS_SQL_CONTACTS_LABELS_DROP, 1, one, NULL);
    if (rc == LARIS_OK)
        rc = query(ctx, LARIS_SQL_CONTACTS_DELETE, 1, one, NULL);
    if (rc == LARIS_OK)
        rc = laris_audit(ctx, "contact.delete", "contact", id, NULL);
    return rc;
}
