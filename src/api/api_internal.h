/* Shared by the api module's files: route flags, per-request state and small helpers. */
#ifndef LARIS_API_INTERNAL_H
#define LARIS_API_INTERNAL_H

#include <jansson.h>

#include "laris/crm.h"
#include "laris/crypto.h"
#include "laris/http.h"

/* How a route authenticates (laris_route_t.auth). */
enum {
    API_AUTH_NONE = 0,          /* anyone */
    API_AUTH_PERSON = 1,        /* a session cookie or an API token */
    API_AUTH_SESSION = 2,       /* a session cookie only: things a program must not do */
    API_AUTH_WEBHOOK = 3,       /* anyone; the handler checks a signature over the raw body, which
                                 * is therefore not decoded before the handler runs */
    API_AUTH_PERSON_CACHED = 4, /* like API_AUTH_PERSON; a session's GET is answered from the
                                 * inbox cache while the tenant's inbox is unchanged (the
                                 * answer may depend on nothing else; see dispatch.c) */
};

/* Per-request state behind req->app. */
typedef struct {
    laris_ctx_t ctx;
    json_t *body;              /* the decoded JSON body, or NULL */
    const char *session_token; /* when authenticated by session cookie */
    laris_inbox_cache_t cache; /* a cached route's GET: what the inbox cache holds for it */
} api_state_t;

#define API_SESSION_COOKIE "laris_session"

extern const laris_route_t api_routes[];

static inline laris_ctx_t *api_ctx(laris_req_t *req)
{
    return &((api_state_t *)req->app)->ctx;
}

/* Authenticates per the route (auth.c): sets up the context, checks role and CSRF. */
laris_rc api_authenticate(laris_req_t *req);

/* The JSON object body; NULL with a 400 on req->err when there is none or it is not an object. */
json_t *api_body(laris_req_t *req);

/* The {id} path parameter; false with a 404 naming what ("conversation") on req->err when it
 * is not a positive integer. */
bool api_path_id(laris_req_t *req, const char *what, int64_t *id);

/* Answers with out (taking the reference) when rc is LARIS_OK; otherwise releases out and
 * returns rc so the HTTP layer answers with problem+json. */
laris_rc api_respond(laris_req_t *req, laris_rc rc, int status, json_t *out);

/* A domain function that lists one page of a resource after after_id. */
typedef laris_rc (*api_list_fn)(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                                int64_t *next_after);

/* Answers a list route: reads ?limit= and ?cursor=, calls list, answers {items, next_cursor}. */
laris_rc api_list(laris_req_t *req, api_list_fn list);

/* A domain function that lists one page of what belongs to parent_id (a conversation's
 * messages) after after_id. */
typedef laris_rc (*api_list_in_fn)(laris_ctx_t *ctx, int64_t parent_id, int64_t after_id, int limit,
                                   json_t **items, int64_t *next_after);

/* Like api_list for the children of parent_id. */
laris_rc api_list_in(laris_req_t *req, int64_t parent_id, api_list_in_fn list);

/* The Set-Cookie value for a session token (or an expired cookie when token is NULL). */
const char *api_session_cookie(laris_req_t *req, const char *token);

/* The CSRF token that goes with a session token (derived from its secret part). */
void api_csrf_token(const char *session_token, char out[LARIS_TOKEN_MAX]);

/* Route handlers, one file per resource. */
laris_rc health_live(laris_req_t *req);
laris_rc health_ready(laris_req_t *req);
laris_rc signup_create(laris_req_t *req);
laris_rc session_login(laris_req_t *req);
laris_rc session_logout(laris_req_t *req);
laris_rc me_show(laris_req_t *req);
laris_rc me_update(laris_req_t *req);
laris_rc me_password(laris_req_t *req);
laris_rc me_presence(laris_req_t *req);
laris_rc users_index(laris_req_t *req);
laris_rc users_create(laris_req_t *req);
laris_rc users_show(laris_req_t *req);
laris_rc users_update(laris_req_t *req);
laris_rc users_delete(laris_req_t *req);
laris_rc tokens_index(laris_req_t *req);
laris_rc tokens_create(laris_req_t *req);
laris_rc tokens_delete(laris_req_t *req);
laris_rc wa_numbers_index(laris_req_t *req);
laris_rc wa_numbers_create(laris_req_t *req);
laris_rc wa_numbers_show(laris_req_t *req);
laris_rc wa_numbers_update(laris_req_t *req);
laris_rc wa_numbers_delete(laris_req_t *req);
laris_rc messages_index(laris_req_t *req);
laris_rc messages_create(laris_req_t *req);
laris_rc webhooks_verify(laris_req_t *req);
laris_rc settings_show(laris_req_t *req);
laris_rc settings_update(laris_req_t *req);
laris_rc conversations_claim(laris_req_t *req);
laris_rc conversations_transfer(laris_req_t *req);
laris_rc conversations_escalate(laris_req_t *req);
laris_rc messages_read(laris_req_t *req);
laris_rc wa_numbers_test(laris_req_t *req);

/* Customer service (service.c). */
laris_rc service_settings_show(laris_req_t *req);
laris_rc service_settings_update(laris_req_t *req);
laris_rc auto_replies_index(laris_req_t *req);
laris_rc auto_replies_create(laris_req_t *req);
laris_rc auto_replies_update(laris_req_t *req);
laris_rc auto_replies_delete(laris_req_t *req);
laris_rc conversations_sla(laris_req_t *req);
laris_rc webhooks_receive(laris_req_t *req);
laris_rc media_show(laris_req_t *req);
laris_rc media_create(laris_req_t *req);
laris_rc webhooks_number_verify(laris_req_t *req);
laris_rc webhooks_number_receive(laris_req_t *req);

laris_rc conversations_index(laris_req_t *req);
laris_rc conversations_show(laris_req_t *req);
laris_rc conversations_update(laris_req_t *req);
laris_rc conversations_read(laris_req_t *req);
laris_rc conversations_quick_replies(laris_req_t *req);
laris_rc notes_index(laris_req_t *req);
laris_rc notes_create(laris_req_t *req);
laris_rc labels_index(laris_req_t *req);
laris_rc labels_show(laris_req_t *req);
laris_rc labels_create(laris_req_t *req);
laris_rc labels_update(laris_req_t *req);
laris_rc labels_delete(laris_req_t *req);
laris_rc contact_labels_update(laris_req_t *req);
laris_rc quick_replies_index(laris_req_t *req);
laris_rc quick_replies_show(laris_req_t *req);
laris_rc quick_replies_create(laris_req_t *req);
laris_rc quick_replies_update(laris_req_t *req);
laris_rc quick_replies_delete(laris_req_t *req);

laris_rc conversations_typing(laris_req_t *req);
laris_rc live_authorize(laris_req_t *req);

/* WhatsApp message templates (templates.c). */
laris_rc templates_index(laris_req_t *req);
laris_rc templates_show(laris_req_t *req);
laris_rc templates_create(laris_req_t *req);
laris_rc templates_update(laris_req_t *req);
laris_rc templates_delete(laris_req_t *req);
laris_rc templates_sync(laris_req_t *req);
/* Contacts and orders (contacts.c, orders.c). */
laris_rc contacts_index(laris_req_t *req);
laris_rc contacts_show(laris_req_t *req);
laris_rc contacts_create(laris_req_t *req);
laris_rc contacts_update(laris_req_t *req);
laris_rc contacts_delete(laris_req_t *req);
laris_rc orders_index(laris_req_t *req);
laris_rc orders_show(laris_req_t *req);
laris_rc orders_create(laris_req_t *req);
laris_rc orders_update(laris_req_t *req);

#endif
