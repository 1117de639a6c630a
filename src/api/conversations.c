/* The team inbox: the conversation list with filters and search, one conversation (with its
 * SLA) and its status / priority / labels / assignee, read markers, internal notes and rendered
 * quick replies. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"

#define CURSOR_MAX 64

/* Inbox cursors are opaque to clients: base64url of "c:<activity microseconds>:<id>". */
static const char *encode_cursor(laris_req_t *req, int64_t us, int64_t id)
{
    char plain[CURSOR_MAX];
    int n = snprintf(plain, sizeof(plain), "c:%lld:%lld", (long long)us, (long long)id);
    size_t size = sodium_base64_ENCODED_LEN((size_t)n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = laris_arena_alloc(req->arena, size);
    sodium_bin2base64(out, size, (const unsigned char *)plain, (size_t)n,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

/* A whole decimal number in [min, max] starting at s; *end gets where it stopped. */
static bool number_at(const char *s, long long min, long long max, long long *out, char **end)
{
    if (!((*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9')))
        return false;
    *out = strtoll(s, end, 10);
    return *out >= min && *out <= max;
}

static bool decode_cursor(const char *cursor, laris_inbox_filter_t *f)
{
    unsigned char plain[CURSOR_MAX];
    size_t len;
    if (strlen(cursor) > CURSOR_MAX ||
        sodium_base642bin(plain, sizeof(plain) - 1, cursor, strlen(cursor), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return false;
    plain[len] = '\0';
    const char *s = (const char *)plain;
    if (strncmp(s, "c:", 2) != 0)
        return false;
    long long us, id;
    char *end;
    /* Years 1900 to 2200 in microseconds, ids as PostgreSQL's bigint. */
    if (!number_at(s + 2, -2208988800000000LL, 7258118400000000LL, &us, &end) || *end != ':' ||
        !number_at(end + 1, 1, INT64_MAX, &id, &end) || *end)
        return false;
    f->after = true;
    f->after_us = us;
    f->after_id = id;
    return true;
}

/* A positive id in a query parameter; false (field error) when present and not one. */
static bool query_id(laris_req_t *req, const char *name, int64_t *out)
{
    const char *text = laris_req_query(req, name);
    if (!text)
        return true;
    long long v;
    char *end;
    if (number_at(text, 1, INT64_MAX, &v, &end) && !*end && strlen(text) <= 19) {
        *out = v;
        return true;
    }
    laris_err_field(&req->err, name, "must be an id");
    return false;
}

/* Reads the inbox filters from the query string into f; false with 422 on req->err. */
static bool read_filter(laris_req_t *req, laris_inbox_filter_t *f)
{
    static const char *const statuses[] = {"open", "pending", "resolved", "snoozed", NULL};
    memset(f, 0, sizeof(*f));
    f->limit = 50;
    const char *limit = laris_req_query(req, "limit");
    long long v;
    char *end;
    if (limit) {
        if (number_at(limit, 1, 200, &v, &end) && !*end)
            f->limit = (int)v;
        else
            laris_err_field(&req->err, "limit", "must be a whole number from 1 to 200");
    }
    const char *status = laris_req_query(req, "status");
    if (status) {
        for (size_t i = 0; statuses[i]; i++)
            if (strcmp(status, statuses[i]) == 0)
                f->status = statuses[i];
        if (!f->status)
            laris_err_field(&req->err, "status", "must be open, pending, resolved or snoozed");
    }
    const char *assignee = laris_req_query(req, "assignee");
    if (assignee && strcmp(assignee, "me") == 0) {
        f->assignee = "user";
        f->assignee_id = api_ctx(req)->user_id;
        if (!f->assignee_id)
            laris_err_field(&req->err, "assignee", "me needs a person; an API token is none");
    } else if (assignee && strcmp(assignee, "none") == 0) {
        f->assignee = "none";
    } else if (assignee) {
        f->assignee = "user";
        query_id(req, "assignee", &f->assignee_id); /* me, none or a user id */
    }
    query_id(req, "label", &f->label_id);
    f->q = laris_req_query(req, "q");
    const char *cursor = laris_req_query(req, "cursor");
    if (cursor && !decode_cursor(cursor, f))
        laris_err_field(&req->err, "cursor", "is not a cursor from a previous page");
    return req->err.code == LARIS_OK;
}

/* GET /api/v1/conversations?status=&assignee=me|none|<id>&label=&q=&limit=&cursor=
 * (answered from the inbox cache while the tenant's inbox is unchanged: see dispatch.c) */
laris_rc conversations_index(laris_req_t *req)
{
    laris_inbox_filter_t f;
    if (!read_filter(req, &f))
        return req->err.code;
    json_t *items = NULL;
    bool more = false;
    int64_t next_us = 0, next_id = 0;
    laris_rc rc = laris_inbox_list(api_ctx(req), &f, &items, &more, &next_us, &next_id);
    if (rc != LARIS_OK)
        return api_respond(req, rc, 200, items);
    json_t *next = more ? json_string(encode_cursor(req, next_us, next_id)) : json_null();
    return laris_resp_json(req, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

/* GET /api/v1/conversations/{id} */
laris_rc conversations_show(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_inbox_get(api_ctx(req), id, &out);
    return api_respond(req, rc, 200, out);
}

/* PATCH /api/v1/conversations/{id}
 *   {status?, snoozed_until?, priority?, labels?: [ids], assignee_id?: id|null} */
laris_rc conversations_update(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_inbox_update(api_ctx(req), id, body, &out);
    return api_respond(req, rc, 200, out);
}

/* POST /api/v1/conversations/{id}/read: the acting person has read it up to now */
laris_rc conversations_read(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_inbox_mark_read(api_ctx(req), id, &out);
    return api_respond(req, rc, 200, out);
}

/* GET /api/v1/conversations/{id}/notes?limit=&cursor= */
laris_rc notes_index(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    return api_list_in(req, id, laris_notes_list);
}

/* POST /api/v1/conversations/{id}/notes {body} -> 201 */
laris_rc notes_create(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    json_t *body = api_body(req);
    if (!body)
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_notes_create(api_ctx(req), id, body, &out);
    return api_respond(req, rc, 201, out);
}

/* GET /api/v1/conversations/{id}/quick-replies?q=/ong: rendered for this conversation */
laris_rc conversations_quick_replies(laris_req_t *req)
{
    int64_t id;
    if (!api_path_id(req, "conversation", &id))
        return req->err.code;
    json_t *out = NULL;
    laris_rc rc = laris_quick_replies_render_for(api_ctx(req), id, laris_req_query(req, "q"), &out);
    return api_respond(req, rc, 200, out);
}
