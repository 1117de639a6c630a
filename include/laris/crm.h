/* The domain: tenants, people, sessions, API tokens, throttling and the audit log.
 * No HTTP here: functions take a context (who acts, for which tenant, with which connections)
 * and plain values, and report failures as laris_rc with details on ctx->err. */
#ifndef LARIS_CRM_H
#define LARIS_CRM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "laris/arena.h"
#include "laris/config.h"
#include "laris/db.h"
#include "laris/err.h"
#include "laris/kv.h"
#include "laris/wa.h"

typedef enum {
    LARIS_ROLE_NONE = 0,
    LARIS_ROLE_AGENT = 1,
    LARIS_ROLE_SUPERVISOR = 2,
    LARIS_ROLE_OWNER = 3
} laris_role;

/* "owner", "supervisor", "agent" -> the role; anything else -> LARIS_ROLE_NONE. */
laris_role laris_role_parse(const char *name);
const char *laris_role_name(laris_role role);

/* Who acts and with what. The api module fills it per request; laris-admin per command. */
typedef struct {
    laris_arena_t *arena;
    laris_db_t *db;
    laris_kv_t *kv;
    laris_err_t *err;
    const laris_config_t *config;
    const char *request_id;  /* for the audit log; may be NULL */
    const char *client_addr; /* for throttling and the audit log; may be "" */
    const char *user_agent;  /* stored with sessions; may be NULL */
    /* The authenticated actor (0 / LARIS_ROLE_NONE before authentication). */
    int64_t tenant_id;
    int64_t user_id;
    laris_role role;
    int64_t session_id; /* when authenticated by session */
    int64_t api_key_id; /* when authenticated by API token */
    /* The authentication row: the user and tenant as the request began (the columns of
     * me_get), so GET /me costs no second query. NULL before authentication. */
    const PGresult *identity;
} laris_ctx_t;

/* Room for a session or API token: prefix, tenant id, separator, 43 random chars. */
#define LARIS_CREDENTIAL_MAX 96

/* ---- validation (validate.c) ---- */

/* Each records a field error on err and returns false when the value is unacceptable. */
bool laris_validate_email(const char *field, const char *email, laris_err_t *err);
bool laris_validate_password(const char *field, const char *password, laris_err_t *err);
bool laris_validate_name(const char *field, const char *name, size_t max_chars, laris_err_t *err);

/* ---- tenants (tenants.c) ---- */

typedef struct {
    const char *business_name;
    const char *owner_name;
    const char *email;
    const char *password;
    const char *phone;    /* optional, any Indonesian form */
    const char *timezone; /* optional, IANA name; default Asia/Jakarta */
} laris_signup_t;

/* Creates a tenant and its owner (throttled per client address). On success the context
 * becomes that owner (tenant_id, user_id, role). LARIS_ECONFLICT when the email is taken. */
laris_rc laris_tenant_signup(laris_ctx_t *ctx, const laris_signup_t *in);

/* ---- sessions and credentials (sessions.c, tokens.c) ---- */

/* Checks email and password (throttled per account and per client address) and opens a
 * session: token_out gets the session token for the cookie (shown once, stored hashed), and the
 * context becomes the user. 401 for wrong credentials, 429 with retry_after when throttled,
 * 403 when the tenant is suspended. */
laris_rc laris_session_login(laris_ctx_t *ctx, const char *email, const char *password,
                             char token_out[LARIS_CREDENTIAL_MAX]);

/* Resolves a session token into the context (tenant, user, role, session). LARIS_EUNAUTHORIZED
 * for an unknown, ended, idle or expired session. The transaction is opened for its tenant. */
laris_rc laris_session_authenticate(laris_ctx_t *ctx, const char *token);

/* The tenant a session token names (its routing part, before the secret), or 0 when the token
 * is malformed. Says nothing of whether the session is live. */
int64_t laris_session_token_tenant(const char *token);

/* Ends the context's session. */
laris_rc laris_session_logout(laris_ctx_t *ctx);

/* Resolves an API token ("lrs_<tenant>_<random>") into the context. */
laris_rc laris_api_key_authenticate(laris_ctx_t *ctx, const char *token);

/* ---- people (users.c) ----
 * Functions that return JSON through *out hand over a new reference: the caller releases it. */

/* JSON of the acting user and tenant: {user: {...}, tenant: {...}}. */
laris_rc laris_me_get(laris_ctx_t *ctx, json_t **out);

/* Updates the acting user's own profile; fields in patch: name, locale. Returns the user. */
laris_rc laris_me_update(laris_ctx_t *ctx, json_t *patch, json_t **out);

/* Changes the acting user's password after checking the current one; ends every other
 * session of that user. */
laris_rc laris_me_change_password(laris_ctx_t *ctx, const char *current, const char *next);

/* Sets the acting user's presence: "online", "away" or "offline". */
laris_rc laris_me_set_presence(laris_ctx_t *ctx, const char *presence, json_t **out);

/* One page of users after id after_id (0: first page); *next_after is the id to continue from,
 * 0 when this is the last page. */
laris_rc laris_users_list(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                          int64_t *next_after);
laris_rc laris_users_get(laris_ctx_t *ctx, int64_t id, json_t **out);

/* Creates a supervisor or agent from body fields email, name, password, role, max_chats.
 * Supervisors may create agents only. */
laris_rc laris_users_create(laris_ctx_t *ctx, json_t *body, json_t **out);

/* Changes name, role, max_chats, active, password of user id, as the actor's role allows. */
laris_rc laris_users_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out);

/* Deactivates user id and ends their sessions. */
laris_rc laris_users_deactivate(laris_ctx_t *ctx, int64_t id);

/* ---- API tokens (tokens.c) ---- */

laris_rc laris_tokens_list(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                           int64_t *next_after);

/* Creates a token from body fields name, role; secret_out gets the token (shown once). */
laris_rc laris_tokens_create(laris_ctx_t *ctx, json_t *body, json_t **out,
                             char secret_out[LARIS_CREDENTIAL_MAX]);
laris_rc laris_tokens_revoke(laris_ctx_t *ctx, int64_t id);

/* ---- WhatsApp numbers (wa_numbers.c) ----
 * The owner connects the tenant's Cloud API numbers. Access tokens and app secrets are sealed
 * with config->secret_key before they are stored and are never returned: the JSON carries
 * has_access_token, has_app_secret and has_verify_token instead. Without a secret key (config
 * secret_key_set false) create and update fail with LARIS_EUNAVAILABLE and store nothing.
 * A removed (disabled) number is invisible here: 404. */

laris_rc laris_wa_numbers_list(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                               int64_t *next_after);
laris_rc laris_wa_numbers_get(laris_ctx_t *ctx, int64_t id, json_t **out);

/* Connects a number from body fields phone_number_id, waba_id, display_phone_number (any
 * Indonesian form), access_token, app_secret?, verify_token?, throughput_mps?, name?. A number
 * this tenant removed before is reactivated. LARIS_ECONFLICT (field phone_number_id) when any
 * tenant has it connected. */
laris_rc laris_wa_numbers_create(laris_ctx_t *ctx, json_t *body, json_t **out);

/* Changes name, display_phone_number, throughput_mps, verify_token, or rotates access_token and
 * app_secret of number id; phone_number_id and waba_id cannot change (422). */
laris_rc laris_wa_numbers_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out);

/* Removes number id: status disabled, secrets forgotten, phone_number_id free for any tenant. */
laris_rc laris_wa_numbers_remove(laris_ctx_t *ctx, int64_t id);

/* ---- throttling (throttle.c) ---- */

/* Refuses (429, retry_after set) when the counter key has reached max within its window.
 * Redis being down lets the request through with a warning (availability over throttling). */
laris_rc laris_throttle_check(laris_ctx_t *ctx, const char *key, int max);

/* Counts one event on key for window_seconds. Errors are logged, not returned. */
void laris_throttle_count(laris_ctx_t *ctx, const char *key, int window_seconds);

/* Forgets key (after a successful login). */
void laris_throttle_clear(laris_ctx_t *ctx, const char *key);

/* ---- audit (audit.c) ---- */

/* Records an action of the actor in the tenant's audit log, inside the current transaction.
 * detail may be NULL; the reference is taken over (encoded, then released). Never put secrets
 * in it. */
laris_rc laris_audit(laris_ctx_t *ctx, const char *action, const char *target_type,
                     int64_t target_id, json_t *detail);

/* ---- encoding helpers shared by the domain (users.c) ---- */

/* PostgreSQL timestamptz text (UTC, ISO) to RFC 3339 ("2026-11-23T12:00:00.123Z"); NULL -> NULL. */
const char *laris_time_rfc3339(laris_arena_t *a, const char *pg_time);

/* ---- WhatsApp webhook in (inbound.c) ---- */

/* What one webhook POST did, for the log line. */
typedef struct {
    int changes;    /* changes in the webhook */
    int stored;     /* changes stored for a tenant (a change may reach several for a WABA) */
    int duplicates; /* changes stored before (Meta redelivered them): nothing done */
    int unrouted;   /* changes for a number or WABA no tenant has: ignored */
    int messages;   /* new inbound messages */
    int statuses;   /* statuses applied or kept pending */
    int skipped;    /* messages without any sender id, statuses of unknown kinds */
    int foreign;    /* changes for another number than the route's own (only) */
} laris_wa_inbound_stats_t;

/* What a number's own webhook route (/webhooks/whatsapp/{id}) checks against. */
typedef struct {
    int64_t tenant_id;
    int64_t wa_number_id;
    const char *phone_number_id;
    const char *waba_id;
    const char *app_secret;   /* decrypted; NULL when none is set or it cannot be decrypted */
    const char *verify_token; /* NULL when none is set */
} laris_wa_number_webhook_t;

/* Stores a parsed webhook (wh, parsed from root, whose entry[].changes[] it walks in step):
 * each change is routed by metadata.phone_number_id (template events by WABA id) and applied in
 * its own transaction under its tenant, committed before the next: the raw change, its
 * contacts and open conversations, messages (deduplicated by wamid), statuses (only forward;
 * kept pending while the message is unknown), marketing preferences, and reported errors.
 * A change for an unknown number is logged (masked) and skipped. When only is not NULL (a
 * number's own webhook route), changes for any other phone_number_id, and template events of
 * any other WABA, are logged (masked) and ignored, and template events of its WABA are applied
 * to its tenant alone, so one tenant's Meta app cannot write into another tenant. On a database
 * failure the changes before stay committed (a redelivery skips them) and the error is returned. */
laris_rc laris_wa_inbound_apply(laris_ctx_t *ctx, json_t *root, const laris_wa_webhook_t *wh,
                                const laris_wa_number_webhook_t *only,
                                laris_wa_inbound_stats_t *stats);

/* Looks up active number wa_number_id across tenants (no tenant is set; the request's own
 * transaction is not used) and decrypts its app secret with LARIS_SECRET_KEY into the arena.
 * LARIS_ENOTFOUND when there is no such active number. */
laris_rc laris_wa_number_webhook(laris_ctx_t *ctx, int64_t wa_number_id,
                                 laris_wa_number_webhook_t *out);

/* ---- messages out (outbound.c) ---- */

/* Queues a reply in conversation id from body {type: "text", text: {body}} or {type:
 * "template", template: {name, language, params?}}: the message (direction out, status queued)
 * and its outbox row, in the current transaction. Free-form text needs the customer service
 * window (the contact wrote within 24 hours): otherwise LARIS_EINVALID saying a template is
 * needed, and nothing is stored. idempotency_key (may be NULL): a key used within 24 hours for
 * this conversation returns the message it made and creates nothing (for another request:
 * LARIS_ECONFLICT). LARIS_ENOTFOUND for a conversation this tenant does not have. */
laris_rc laris_messages_reply(laris_ctx_t *ctx, int64_t conversation_id, json_t *body,
                              const char *idempotency_key, json_t **out);

/* One page of conversation id's messages after message after_id, oldest first. */
laris_rc laris_messages_list(laris_ctx_t *ctx, int64_t conversation_id, int64_t after_id, int limit,
                             json_t **items, int64_t *next_after);

/* ---- distribution (distribution.c) ----
 * A chat has at most one owner (conversations.assignee_id); laris-worker assigns waiting chats
 * by round robin, these change owners by hand and guard replies. Every change of owner is
 * recorded in conversation_assignments. Conversations of another tenant are LARIS_ENOTFOUND. */

/* The tenant's settings: {distribution_mode, offline_grace_seconds, updated_at}. */
laris_rc laris_settings_get(laris_ctx_t *ctx, json_t **out);

/* Changes the settings given in body (distribution_mode: round_robin|manual,
 * offline_grace_seconds: 0..86400); any other member is a field error and nothing changes. */
laris_rc laris_settings_put(laris_ctx_t *ctx, json_t *body, json_t **out);

/* The acting person takes unassigned chat id. LARIS_ECONFLICT naming the owner (err->owner)
 * when someone else has it, or when it is resolved; LARIS_EFORBIDDEN for an API token. *out:
 * the conversation's ownership JSON. */
laris_rc laris_dist_claim(laris_ctx_t *ctx, int64_t conversation_id, json_t **out);

/* Hands chat id to to_user, an active agent who is not offline (else a field error on
 * user_id). Only its owner or a supervisor or owner may (LARIS_EFORBIDDEN). */
laris_rc laris_dist_transfer(laris_ctx_t *ctx, int64_t conversation_id, int64_t to_user,
                             json_t **out);

/* PATCH's assignee: supervisors and the owner hand chat id to to_user as transfer does (an
 * active agent who is not offline, else a field error on assignee_id), or back to waiting with
 * 0; an agent may only give an unassigned chat to themselves (a claim), anything else is
 * LARIS_EFORBIDDEN. A resolved chat is LARIS_ECONFLICT. Every change writes a history row. */
laris_rc laris_dist_assign(laris_ctx_t *ctx, int64_t conversation_id, int64_t to_user);

/* Escalates chat id with body {reason}: marks it escalated (every supervisor sees it) and gives
 * it to the online supervisor with the fewest open chats, if any. Its owner, supervisors and
 * the business owner may. */
laris_rc laris_dist_escalate(laris_ctx_t *ctx, int64_t conversation_id, json_t *body, json_t **out);

/* The one-owner rule for a reply to chat id, in the reply's transaction: the owner, supervisors
 * and the business owner may reply; an agent replying to an unassigned chat takes it (a 'claim'
 * row); anyone else gets LARIS_ECONFLICT naming the owner. Locks the conversation, so of two
 * agents replying to an unassigned chat at once exactly one gets it. */
laris_rc laris_dist_reply_check(laris_ctx_t *ctx, int64_t conversation_id);

/* ---- media files (media.c) ---- */

/* An upload: the raw body in memory, or the file nginx wrote it to. */
typedef struct {
    const char *mime;     /* the Content-Type as sent */
    const char *filename; /* ?filename= as sent, or NULL */
    const char *body;     /* the body in memory, or NULL */
    size_t body_len;
    const char *body_file; /* nginx's temporary file with the body, or NULL */
    int64_t wa_number_id;  /* the number to upload for; 0: the tenant's first active one */
} laris_media_upload_t;

/* Stores an agent's file under the media directory and uploads it to Graph for the number:
 * LARIS_EMEDIATYPE for a type Meta does not take, LARIS_ETOOLARGE over the type's limit,
 * LARIS_EINVALID for an empty file, content that is not what it says, no usable number, or
 * Graph refusing it; LARIS_EUNAVAILABLE when Graph cannot be reached. *out gets {id,
 * graph_media_id, type, mime_type, size, sha256, filename, url}. */
laris_rc laris_media_upload(laris_ctx_t *ctx, const laris_media_upload_t *in, json_t **out);

/* What serving a media file needs (strings in the arena). */
typedef struct {
    const char *path;         /* relative to the media directory */
    const char *content_type; /* a supported type, else application/octet-stream */
    const char *filename;     /* safe for Content-Disposition */
    bool inline_ok;           /* show in the browser; else download */
} laris_media_file_t;

/* The stored file id of this tenant: LARIS_ENOTFOUND when there is none, LARIS_ECONFLICT
 * while it is not stored (pending, failed or refused). */
laris_rc laris_media_file(laris_ctx_t *ctx, int64_t id, laris_media_file_t *out);

/* Adds "media": {id, mime_type, size, status, url} to each message of items (JSON objects
 * with "id") that has a media row. */
laris_rc laris_media_attach(laris_ctx_t *ctx, json_t *items);

/* ---- every outbound type, read receipts, testing a number (outbound.c, wa_test.c) ---- */

/* Marks inbound message message_id of conversation conversation_id read on WhatsApp: stores a
 * read receipt (type "read") and an outbox row; the worker sends it. Once per message: a repeat
 * returns the receipt made first with *created false. LARIS_ENOTFOUND for a conversation or
 * message this tenant does not have; LARIS_EINVALID for our own messages. */
laris_rc laris_messages_mark_read(laris_ctx_t *ctx, int64_t conversation_id, int64_t message_id,
                                  bool *created, json_t **out);

/* Asks Graph about number id with its own access token: *out is {ok: true,
 * display_phone_number, verified_name, quality_rating} or {ok: false, error: {code, message,
 * message_id}, needs_new_token}. A refused token (190) marks the number 'disconnected'; an
 * answer marks it 'active' again. LARIS_EUNAVAILABLE when Graph cannot be reached. */
laris_rc laris_wa_numbers_test(laris_ctx_t *ctx, int64_t id, json_t **out);

/* ---- the inbox (inbox.c, labels.c, quick_replies.c, inbox_text.c) ----
 * Conversations as the team inbox shows them, labels, internal notes, read markers and quick
 * replies. Another tenant's ids answer LARIS_ENOTFOUND. */

/* Which conversations an inbox page shows. NULL strings and 0 ids mean "any". */
typedef struct {
    const char *status;   /* open, pending, resolved, snoozed */
    const char *assignee; /* "any", "none" or "user" */
    int64_t assignee_id;  /* with assignee "user" */
    int64_t label_id;     /* conversations carrying this label */
    const char *q;        /* text search, 3 to 100 characters (or 4+ phone digits) */
    bool after;           /* continue after (after_us, after_id) */
    int64_t after_us;     /* activity time of the last row seen, microseconds since 1970 */
    int64_t after_id;
    int limit; /* 1 to 200 */
} laris_inbox_filter_t;

/* One page of the inbox for the acting user, newest activity first. *more is true when another
 * page follows; (*next_us, *next_id) is then the cursor position. LARIS_EINVALID for a bad q. */
laris_rc laris_inbox_list(laris_ctx_t *ctx, const laris_inbox_filter_t *f, json_t **items,
                          bool *more, int64_t *next_us, int64_t *next_id);

/* ---- the inbox cache (inbox_cache.c) ----
 * Answers of cached GET routes (the inbox list) per session and request target, and the
 * sessions themselves, kept in Redis while the tenant's inbox version stands. */

/* One GET through the inbox cache: what the lookup found, and where what is made goes. */
typedef struct {
    int64_t tenant_id;        /* the session token's tenant */
    int64_t version;          /* read before PostgreSQL was; 0: nothing is read or stored */
    const char *session_item; /* "s:<token hash>" */
    const char *page_item;    /* "p:<hash of the token hash and the request target>" */
    bool session_hit;         /* the context was set from the cache (ctx->identity is NULL) */
    bool page_hit;            /* page holds the answer (only with session_hit) */
    laris_buf_t page;
} laris_inbox_cache_t;

/* Looks up session token and its answer to target (path and query) in one Redis round trip.
 * With c->session_hit the context is that session's (tenant, user, role, session; the database
 * set to the tenant) and no PostgreSQL is needed to authenticate; with c->page_hit too the
 * answer is in c->page. Finds nothing when the cache is off (LARIS_INBOX_CACHE_SECONDS=0) or
 * Redis cannot be read (logged). Call it before PostgreSQL is asked anything. */
void laris_inbox_cache_lookup(laris_ctx_t *ctx, const char *token, const char *target,
                              laris_inbox_cache_t *c);

/* After laris_session_authenticate accepted the token c was looked up for: keeps the session
 * for as long as the cache keeps answers and no longer than the session lives. */
void laris_inbox_cache_vouch(laris_ctx_t *ctx, const laris_inbox_cache_t *c);

/* Keeps body (len bytes of JSON) as the answer c was looked up for. */
void laris_inbox_cache_keep(laris_ctx_t *ctx, const laris_inbox_cache_t *c, const char *body,
                            size_t len);

/* Call after a committed change to what tenant_id's inbox shows: its cached pages go stale.
 * Failures are logged (pages then expire after LARIS_INBOX_CACHE_SECONDS). */
void laris_inbox_changed(laris_ctx_t *ctx, int64_t tenant_id);

/* Conversation id as the inbox shows it, with the contact's details and labels. */
laris_rc laris_inbox_get(laris_ctx_t *ctx, int64_t id, json_t **out);

/* Changes status (snoozed needs snoozed_until in the future), priority and labels (the whole
 * set, as label ids) of conversation id from body; returns the conversation. */
laris_rc laris_inbox_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out);

/* Marks conversation id read by the acting user up to its latest message. */
laris_rc laris_inbox_mark_read(laris_ctx_t *ctx, int64_t id, json_t **out);

/* Adds an internal note {body} to conversation id (never sent); returns it. */
laris_rc laris_notes_create(laris_ctx_t *ctx, int64_t conversation_id, json_t *body, json_t **out);

/* One page of conversation id's notes after note after_id, oldest first. */
laris_rc laris_notes_list(laris_ctx_t *ctx, int64_t conversation_id, int64_t after_id, int limit,
                          json_t **items, int64_t *next_after);

/* Labels: {name (1-50 characters, unique per tenant ignoring case), color "#rrggbb"}. */
laris_rc laris_labels_list(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                           int64_t *next_after);
laris_rc laris_labels_get(laris_ctx_t *ctx, int64_t id, json_t **out);
laris_rc laris_labels_create(laris_ctx_t *ctx, json_t *body, json_t **out);
laris_rc laris_labels_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out);
/* Deletes label id and takes it off every conversation and contact. */
laris_rc laris_labels_delete(laris_ctx_t *ctx, int64_t id);

/* Replaces contact id's labels with body {label_ids: [...]}; returns {contact_id, labels}. */
laris_rc laris_contact_labels_set(laris_ctx_t *ctx, int64_t contact_id, json_t *body, json_t **out);

/* Quick replies: {shortcut "/[a-z0-9_-]{1,32}" (the slash may be left out), body}. prefix
 * (may be NULL) narrows the list to shortcuts starting with it. */
laris_rc laris_quick_replies_list(laris_ctx_t *ctx, const char *prefix, int64_t after_id, int limit,
                                  json_t **items, int64_t *next_after);
laris_rc laris_quick_replies_get(laris_ctx_t *ctx, int64_t id, json_t **out);
laris_rc laris_quick_replies_create(laris_ctx_t *ctx, json_t *body, json_t **out);
laris_rc laris_quick_replies_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out);
laris_rc laris_quick_replies_delete(laris_ctx_t *ctx, int64_t id);

/* Quick replies whose shortcut starts with prefix (NULL: all, up to 20), rendered for
 * conversation id and the acting agent: {items: [{id, shortcut, body, text}]}. */
laris_rc laris_quick_replies_render_for(laris_ctx_t *ctx, int64_t conversation_id,
                                        const char *prefix, json_t **out);

/* Checks a shortcut as typed ("/ongkir" or "ongkir") and writes it with its slash into out.
 * A prefix (allow_partial) may be just "/" or empty. False when it has other characters. */
#define LARIS_SHORTCUT_MAX 34
bool laris_shortcut_normalize(const char *in, bool allow_partial, char out[LARIS_SHORTCUT_MAX]);

/* The values of a quick reply's variables; NULL or empty ones fall back as documented. */
typedef struct {
    const char *contact_name; /* {{nama}}: the name, else the profile name, else "Kak" */
    const char *profile_name;
    const char *agent_name;    /* {{agen}} */
    const char *business_name; /* {{bisnis}} */
} laris_reply_vars_t;

/* Renders template with {{nama}}, {{agen}}, {{bisnis}} (spaces inside the braces allowed);
 * any other {{...}} is left as typed. Values are inserted as text, never re-expanded. */
const char *laris_quick_reply_render(laris_arena_t *a, const char *tmpl,
                                     const laris_reply_vars_t *v);

/* Search terms from what an agent typed in the inbox search box. */
typedef struct {
    const char *like;       /* ILIKE pattern "%q%" with % _ \ escaped */
    const char *digits;     /* phone digits as typed (4+), or NULL when q is not a phone */
    const char *normalized; /* the same in E.164 form (08… -> 628…), or NULL */
} laris_search_terms_t;

/* Builds the terms for q (trimmed). False with a field error on err ("q") when q is shorter
 * than 3 characters (4 digits for a phone) or longer than 100. */
bool laris_search_terms(laris_arena_t *a, const char *q, laris_search_terms_t *out,
                        laris_err_t *err);

/* ---- customer service: business hours, auto-replies, SLA (service.c) ---- */

/* The tenant's business hours, closed dates, greeting and away texts and SLA targets, with
 * open_now and next_change_at (epoch seconds) computed at the moment of the request. */
laris_rc laris_service_settings_get(laris_ctx_t *ctx, json_t **out);

/* Changes the fields present in body (others stay); a bad field changes nothing (422). */
laris_rc laris_service_settings_put(laris_ctx_t *ctx, json_t *body, json_t **out);

/* Keyword auto-reply rules: one page; create {keywords, match?, reply_text, active?}; update
 * (the fields present); delete. Another tenant's rule is not found (404). */
laris_rc laris_auto_replies_list(laris_ctx_t *ctx, int64_t after_id, int limit, json_t **items,
                                 int64_t *next_after);
laris_rc laris_auto_replies_create(laris_ctx_t *ctx, json_t *body, json_t **out);
laris_rc laris_auto_replies_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out);
laris_rc laris_auto_replies_delete(laris_ctx_t *ctx, int64_t id);

/* A conversation's SLA: first inbound and response, due, warned and breached times, and the
 * first-response and resolution times in wall-clock and business seconds. */
laris_rc laris_conversation_sla_get(laris_ctx_t *ctx, int64_t id, json_t **out);

/* The SLA object of conversation id (as laris_conversation_sla_get answers it) from row `row`
 * of res, which holds the SLA columns of conversations (the inbox_conversations view has them
 * too). The caller owns the result. */
json_t *laris_conversation_sla_json(laris_arena_t *a, const PGresult *res, int row, int64_t id);

/* ---- live events (live.c; the events themselves come from triggers, sql/0013_live.sql) ---- */

/* How long a typing notice holds a chat as locked for the others. */
#define LARIS_TYPING_SECONDS 5

/* Publishes "typing" for the person of ctx in conversation_id on the tenant channel:
 * LARIS_ENOTFOUND when the tenant has no such chat. *out gets {conversation_id, expires_at}. */
laris_rc laris_live_typing(laris_ctx_t *ctx, int64_t conversation_id, json_t **out);

/* Whether the person of ctx may listen on the channel path ("/rt/sub/agent/12": only user 12
 * itself; "/rt/sub/tenant/3": any person of tenant 3). Anything else, including any other
 * spelling of those, is false. */
bool laris_live_may_subscribe(const laris_ctx_t *ctx, const char *channel_path);

/* ---- WhatsApp message templates (templates.c) ---- */

/* One page of templates after id after_id: status (NULL: any; an agent or supervisor sees
 * APPROVED ones only, whatever is asked), name containing q (NULL: any). */
laris_rc laris_templates_list(laris_ctx_t *ctx, const char *status, const char *q, int64_t after_id,
                              int limit, json_t **items, int64_t *next_after);

/* Template id (an agent or supervisor: only an APPROVED one); LARIS_ENOTFOUND otherwise. */
laris_rc laris_templates_get(laris_ctx_t *ctx, int64_t id, json_t **out);

/* Creates a template at Meta (POST /{waba_id}/message_templates with the token of number
 * body.wa_number_id, else of the tenant's first usable number) and stores it with Meta's id and
 * status. Checked by laris_wa_template_check first. No transaction is open while Graph
 * answers: the request's transaction is committed before the call and a new one stores the
 * row. Graph's refusals become problems: 422 (Meta's words), 429, 503 (not reached). */
laris_rc laris_templates_create(laris_ctx_t *ctx, json_t *body, json_t **out);

/* Edits template id's components at Meta (POST /{template_id}; only APPROVED, REJECTED or
 * PAUSED ones, else LARIS_ECONFLICT) and stores them; the template is PENDING again. */
laris_rc laris_templates_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out);

/* Deletes template id's name at Meta (every language, as Meta does) and then here. */
laris_rc laris_templates_delete(laris_ctx_t *ctx, int64_t id);

/* Pulls every template of a number's WABA from Graph (body {wa_number_id?}; pages followed by
 * cursor) and stores them; rows Meta no longer lists are removed. *out: {synced, removed}. */
laris_rc laris_templates_sync(laris_ctx_t *ctx, json_t *body, json_t **out);

/* Applies a template status event of WABA waba_id at Unix time at (0: now) to the current
 * tenant's copy (inside the webhook's transaction). An older event than the status held, or a
 * template the tenant does not hold, changes nothing. */
laris_rc laris_templates_apply_status(laris_ctx_t *ctx, const char *waba_id,
                                      const laris_wa_template_status_t *t, int64_t at);
/* ---- contacts and orders (contacts.c, orders.c) ----
 * Customer records and the orders recorded from chats. Money is integer rupiah. Deleted
 * contacts and another tenant's ids answer LARIS_ENOTFOUND. */

/* Which contacts a page shows. NULL strings and 0 ids mean "any". */
typedef struct {
    const char *lead_status; /* hot, warm, cold, or "none" (no lead status) */
    int64_t label_id;        /* contacts carrying this label */
    const char *q;           /* name, profile name or phone (any Indonesian form) */
    int64_t before_id;       /* continue with ids below this one (0: from the newest) */
    int limit;               /* 1 to 200 */
} laris_contact_filter_t;

/* One page of contacts, newest first, with their labels; *next_before is the id to continue
 * below (0 on the last page). LARIS_EINVALID for a bad q. */
laris_rc laris_contacts_list(laris_ctx_t *ctx, const laris_contact_filter_t *f, json_t **items,
                             int64_t *next_before);

/* Contact id with its labels and order_summary {order_count, paid_total, unpaid_total,
 * last_order_at} (cancelled orders do not count). */
laris_rc laris_contacts_get(laris_ctx_t *ctx, int64_t id, json_t **out);

/* Creates a contact from body {phone (any Indonesian form, stored as E.164 digits and used as
 * its wa_id), name?, lead_status?, city?, birthday?, note?}. LARIS_ECONFLICT when a contact has
 * this number; a deleted one comes back with the new fields. */
laris_rc laris_contacts_create(laris_ctx_t *ctx, json_t *body, json_t **out);

/* Changes name, lead_status, city, birthday, note (null clears) and marketing_opt_out (true
 * only: the customer opts back in on WhatsApp) of contact id; any other member is refused. */
laris_rc laris_contacts_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out);

/* Soft-deletes contact id: clears the shop's fields and labels, hides the record, keeps its
 * conversations. LARIS_ECONFLICT while it has orders. */
laris_rc laris_contacts_delete(laris_ctx_t *ctx, int64_t id);

/* Which orders a page shows (0 / NULL: any). */
typedef struct {
    int64_t contact_id;
    const char *payment_status; /* unpaid, paid, cancelled */
    int64_t before_id;          /* continue with ids below this one (0: from the newest) */
    int limit;                  /* 1 to 200 */
} laris_order_filter_t;

/* One page of orders, newest first, each with its items and contact name. */
laris_rc laris_orders_list(laris_ctx_t *ctx, const laris_order_filter_t *f, json_t **items,
                           int64_t *next_before);
laris_rc laris_orders_get(laris_ctx_t *ctx, int64_t id, json_t **out);

/* Records an order from body {conversation_id or contact_id, items: [{name, qty, unit_price}],
 * payment_status? (unpaid or paid), note?}; the total is the sum of qty x unit_price. With
 * idempotency_key (may be NULL) a repeat returns the order the key made and creates nothing. */
laris_rc laris_orders_create(laris_ctx_t *ctx, json_t *body, const char *idempotency_key,
                             json_t **out);

/* Changes order id from body {payment_status?, items?, note?}: unpaid -> paid or cancelled;
 * paid -> cancelled by supervisors and owners only (LARIS_EFORBIDDEN); nothing leaves
 * cancelled, and items change only while unpaid (LARIS_ECONFLICT). */
laris_rc laris_orders_update(laris_ctx_t *ctx, int64_t id, json_t *body, json_t **out);

#endif
