/* WhatsApp Cloud API knowledge: webhook signatures and handshake, webhook parsing, error codes.
 *
 * This module knows the Cloud API's wire formats and nothing of tenants' tables: it turns what
 * Meta sends into plain C values, and the caller (crm) decides what to store. Everything a
 * function here returns lives in the arena it was given, unless it says otherwise. */
#ifndef LARIS_WA_H
#define LARIS_WA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "laris/arena.h"
#include "laris/err.h"

/* Signatures and the verification handshake (signature.c) ------------------------------- */

/* "sha256=" + 64 hex digits + NUL. */
#define LARIS_WA_SIGNATURE_MAX 72

/* The longest hub.challenge echoed back by laris_wa_verify_handshake. */
#define LARIS_WA_CHALLENGE_MAX 128

/* True when header is "sha256=<64 hex digits>" (either case) and the digits are the
 * HMAC-SHA256 of the len raw bytes of body under app_secret (a key of any length). Hash the
 * bytes exactly as received, before any JSON parsing. Compares in constant time. False for a
 * NULL or empty secret, a missing header and any malformed header (surrounding spaces and tabs
 * are allowed, nothing else). body may be NULL when len is 0. */
bool laris_wa_signature_valid(const char *app_secret, const char *body, size_t len,
                              const char *header);

/* Writes the X-Hub-Signature-256 value Meta would send for body: "sha256=" and lowercase hex.
 * For the simulator and tests. */
void laris_wa_signature_header(const char *app_secret, const char *body, size_t len,
                               char out[LARIS_WA_SIGNATURE_MAX]);

/* Checks the GET verification handshake (hub.mode, hub.verify_token, hub.challenge) against
 * the token we configured. LARIS_OK with *out_challenge = challenge (the same pointer: the
 * caller answers 200 with exactly those bytes as text/plain). LARIS_EFORBIDDEN when mode is
 * not "subscribe", the token differs (compared in constant time, lengths included) or no token
 * is configured. LARIS_EMALFORMED when the challenge is missing or not a plain string: 1 to
 * LARIS_WA_CHALLENGE_MAX characters of ASCII letters, digits, '-', '_' and '.' (Meta sends
 * digits); anything else is refused rather than reflected into a response body. */
laris_rc laris_wa_verify_handshake(const char *mode, const char *token, const char *challenge,
                                   const char *expected_token, const char **out_challenge);

/* Webhook payloads (webhook.c, message.c) ----------------------------------------------- */

/* An error object as found in value.errors[], messages[].errors[] and statuses[].errors[]. */
typedef struct {
    int64_t code;        /* build logic on this, not on the title */
    const char *title;   /* NULL when absent */
    const char *message; /* NULL when absent; usually the same as title */
    const char *details; /* error_data.details, the most useful text; NULL when absent */
    const char *href;    /* NULL when absent; do not parse it */
} laris_wa_error_t;

/* A contact in value.contacts[]: who sent the messages of the change. */
typedef struct {
    const char *wa_id;    /* phone digits; NULL or "" for a username-only user (BSUID era) */
    const char *user_id;  /* business-scoped user id, NULL when absent */
    const char *name;     /* profile.name, NULL when absent */
    const char *username; /* profile.username, NULL when absent */
} laris_wa_contact_t;

/* What a message's type string says; LARIS_WA_MSG_OTHER for anything else (request_welcome
 * and types Meta adds later), which is kept with its type string and raw JSON. */
typedef enum {
    LARIS_WA_MSG_OTHER = 0,
    LARIS_WA_MSG_TEXT,
    LARIS_WA_MSG_IMAGE,
    LARIS_WA_MSG_AUDIO,
    LARIS_WA_MSG_VIDEO,
    LARIS_WA_MSG_DOCUMENT,
    LARIS_WA_MSG_STICKER,
    LARIS_WA_MSG_LOCATION,
    LARIS_WA_MSG_CONTACTS,
    LARIS_WA_MSG_INTERACTIVE, /* the user tapped a reply button or list row of ours */
    LARIS_WA_MSG_BUTTON,      /* the user tapped a quick-reply button of a template */
    LARIS_WA_MSG_REACTION,
    LARIS_WA_MSG_ORDER,
    LARIS_WA_MSG_SYSTEM,
    LARIS_WA_MSG_UNSUPPORTED,
} laris_wa_msg_kind_t;

/* context: what the message replies to, or that it was forwarded. */
typedef struct {
    const char *from;                /* who wrote the quoted message (our display number) */
    const char *id;                  /* wamid of the quoted message; NULL when not a reply */
    bool forwarded;                  /* forwarded up to 5 times */
    bool frequently_forwarded;       /* forwarded more than 5 times */
    const char *product_catalog_id;  /* referred_product.catalog_id, NULL when absent */
    const char *product_retailer_id; /* referred_product.product_retailer_id */
} laris_wa_context_t;

/* referral: the Click-to-WhatsApp ad or post the conversation came from. All may be NULL. */
typedef struct {
    const char *source_url;
    const char *source_id;
    const char *source_type; /* "ad" or "post" */
    const char *body;
    const char *headline;
    const char *media_type; /* "image" or "video" */
    const char *image_url;
    const char *video_url;
    const char *thumbnail_url;
    const char *ctwa_clid; /* ad click id */
    const char *welcome_text;
} laris_wa_referral_t;

/* image, audio, video, document and sticker. Everything but id may be NULL. */
typedef struct {
    const char *id; /* media id, for GET /{media-id}; NULL when Meta sent none */
    const char *mime_type;
    const char *sha256; /* base64 of the file's SHA-256, not hex */
    const char *caption;
    const char *filename; /* documents */
    const char *url;      /* direct download link (newer payloads) */
    bool voice;           /* audio recorded as a voice note */
    bool animated;        /* animated sticker */
} laris_wa_media_t;

typedef struct {
    double latitude;
    double longitude;
    const char *name;    /* NULL unless the user picked a place */
    const char *address; /* likewise */
    const char *url;
} laris_wa_location_t;

/* A phone of a shared contact card. */
typedef struct {
    const char *phone; /* as the user's address book has it */
    const char *wa_id; /* NULL when the number is not on WhatsApp */
    const char *type;  /* "CELL", "HOME"... */
} laris_wa_card_phone_t;

/* A shared contact card (type "contacts"); the rest of the vCard is in the raw JSON. */
typedef struct {
    const char *formatted_name;
    size_t nphones;
    laris_wa_card_phone_t *phones;
} laris_wa_card_t;

/* An interactive reply. For button_reply and list_reply: id, title (and description for list
 * rows); for nfm_reply (Flows, address): name, body, response_json. Other subtypes keep only
 * type; their content is in the message's raw JSON. */
typedef struct {
    const char *type; /* "button_reply", "list_reply", "nfm_reply"... NULL when absent */
    const char *id;
    const char *title;
    const char *description;
    const char *name;
    const char *body;
    const char *response_json; /* a JSON document as a string, not decoded */
} laris_wa_interactive_t;

/* A template quick-reply button. */
typedef struct {
    const char *payload; /* what we set when sending, else the label */
    const char *text;    /* the label */
} laris_wa_button_t;

typedef struct {
    const char *message_id; /* wamid of the message reacted to */
    const char *emoji;      /* NULL when removed */
    bool removed;           /* emoji absent or "": the user took the reaction back */
} laris_wa_reaction_t;

typedef struct {
    const char *product_retailer_id;
    int64_t quantity;
    double item_price; /* per item, as sent (may be fractional) */
    const char *currency;
} laris_wa_order_item_t;

typedef struct {
    const char *catalog_id;
    const char *text; /* NULL when the user wrote none */
    size_t nitems;
    laris_wa_order_item_t *items;
} laris_wa_order_t;

/* A system message (the user changed number or identity). */
typedef struct {
    const char *type;    /* "user_changed_number", "customer_identity_changed"... */
    const char *body;    /* Meta's sentence, e.g. "User A changed from … to …" */
    const char *wa_id;   /* the new wa_id (new_wa_id in older payloads); NULL when absent */
    const char *user_id; /* the new BSUID, NULL when absent */
} laris_wa_system_t;

/* An inbound message. The type-specific member matching kind is set when Meta sent that
 * object and NULL otherwise (a message may lack its body; see errors). raw keeps the whole
 * message object as compact JSON, so nothing is dropped for types this module does not know. */
typedef struct {
    const char *id;           /* wamid, the deduplication key; never NULL or empty */
    const char *from;         /* sender's wa_id; NULL or "" for a username-only user */
    const char *from_user_id; /* sender's BSUID, NULL when absent */
    int64_t timestamp;        /* Unix seconds */
    const char *type;         /* as sent, never NULL */
    laris_wa_msg_kind_t kind;
    const char *raw; /* the message object as compact JSON */
    size_t raw_len;

    const laris_wa_context_t *context;   /* NULL when absent */
    const laris_wa_referral_t *referral; /* NULL when absent */

    const char *text;                    /* text.body */
    const laris_wa_media_t *media;       /* image, audio, video, document, sticker */
    const laris_wa_location_t *location; /* location */
    size_t ncards;                       /* contacts */
    const laris_wa_card_t *cards;
    const laris_wa_interactive_t *interactive; /* interactive */
    const laris_wa_button_t *button;           /* button */
    const laris_wa_reaction_t *reaction;       /* reaction */
    const laris_wa_order_t *order;             /* order */
    const laris_wa_system_t *system;           /* system */
    const char *unsupported_type;              /* unsupported.type, e.g. "poll" */

    size_t nerrors; /* e.g. 131051 on unsupported, 131052 on media too large */
    const laris_wa_error_t *errors;
} laris_wa_message_t;

/* A status's kind, in the order a message moves through them. */
typedef enum {
    LARIS_WA_STATUS_UNKNOWN = 0, /* a status string this module does not know */
    LARIS_WA_STATUS_SENT,
    LARIS_WA_STATUS_DELIVERED,
    LARIS_WA_STATUS_READ,
    LARIS_WA_STATUS_PLAYED, /* first playback of a voice message */
    LARIS_WA_STATUS_FAILED,
} laris_wa_status_kind_t;

/* A receipt for a message we sent. */
typedef struct {
    const char *id;     /* wamid of our message */
    const char *status; /* as sent */
    laris_wa_status_kind_t kind;
    int64_t timestamp;
    const char *recipient_id;             /* NULL or "" for BSUID sends */
    const char *recipient_user_id;        /* NULL when absent */
    const char *biz_opaque_callback_data; /* what we attached when sending, NULL when absent */

    const char *conversation_id;     /* NULL when Meta sent no conversation */
    const char *conversation_origin; /* conversation.origin.type */
    int64_t conversation_expires_at; /* 0 when absent */

    bool has_pricing;
    bool billable;                /* deprecated by Meta; use pricing_type and pricing_category */
    const char *pricing_model;    /* "PMP" (or "CBP" before July 2025) */
    const char *pricing_type;     /* "regular", "free_customer_service", "free_entry_point" */
    const char *pricing_category; /* "marketing", "utility"... */

    size_t nerrors; /* when failed */
    const laris_wa_error_t *errors;
} laris_wa_status_t;

/* A marketing opt-out or opt-in (field user_preferences). */
typedef struct {
    const char *wa_id;    /* NULL or "" for a username-only user */
    const char *user_id;  /* NULL when absent */
    const char *category; /* "marketing_messages" */
    const char *value;    /* "stop" or "resume" (as sent) */
    const char *detail;   /* NULL when absent */
    int64_t timestamp;
    bool stop; /* value is "stop" */
} laris_wa_preference_t;

/* A template review event (field message_template_status_update), routed by WABA id. */
typedef struct {
    const char *event;       /* "APPROVED", "REJECTED", "PAUSED"... */
    const char *template_id; /* message_template_id, as decimal text */
    const char *name;
    const char *language;
    const char *category; /* NULL when absent */
    const char *reason;   /* NULL when absent or null */
} laris_wa_template_status_t;

/* Which webhook field a change is for. */
typedef enum {
    LARIS_WA_FIELD_OTHER = 0, /* parsed no further: see raw_value */
    LARIS_WA_FIELD_MESSAGES,
    LARIS_WA_FIELD_USER_PREFERENCES,
    LARIS_WA_FIELD_TEMPLATE_STATUS, /* message_template_status_update */
} laris_wa_field_t;

/* One entry[].changes[] item. Route it by phone_number_id when set (the number's tenant),
 * else by waba_id (template events carry no metadata). */
typedef struct {
    const char *waba_id; /* entry[].id */
    int64_t entry_time;  /* entry[].time, 0 when absent */
    const char *field;   /* as sent */
    laris_wa_field_t kind;
    const char *phone_number_id;      /* metadata; NULL when absent */
    const char *display_phone_number; /* metadata; NULL when absent */

    size_t ncontacts;
    const laris_wa_contact_t *contacts;
    size_t nmessages;
    const laris_wa_message_t *messages;
    size_t nstatuses; /* in the order sent, which need not be the order they happened */
    const laris_wa_status_t *statuses;
    size_t nerrors; /* value.errors[]: problems not tied to one message */
    const laris_wa_error_t *errors;
    size_t npreferences;
    const laris_wa_preference_t *preferences;
    const laris_wa_template_status_t *template_status; /* NULL unless TEMPLATE_STATUS */
    const char *raw_value; /* the value as compact JSON for LARIS_WA_FIELD_OTHER, else NULL */
} laris_wa_change_t;

/* A whole webhook POST: every change of every entry, in order. */
typedef struct {
    size_t nchanges;
    const laris_wa_change_t *changes;
} laris_wa_webhook_t;

/* Parses a webhook body already decoded (laris_json_decode, whose limits bound its size) into
 * *out, which lives in arena a; strings are copied, so root may be released afterwards.
 *
 * Refused with LARIS_EMALFORMED and a detail naming the path (e.g. "Webhook member entry[0]
 * .changes[1].value.messages[0].id is required."): a root that is not an object; an object
 * other than "whatsapp_business_account"; no entry, or an entry without id or changes; entry,
 * changes, contacts, messages, statuses, errors or user_preferences that are not arrays of
 * objects; a change without field or value; a messages or user_preferences change without
 * metadata.phone_number_id; a message without id, type or timestamp; a status without id,
 * status or timestamp; an error without code; a preference without category, value or
 * timestamp; a location without coordinates (or out of range); a reaction without message_id;
 * a template event without event or message_template_id; and any known member present with
 * the wrong JSON type (null counts as absent). Members this module does not know are ignored,
 * unknown message types and fields are kept, and a message without its type's object is
 * accepted. Never crashes on any tree. */
laris_rc laris_wa_webhook_parse(laris_arena_t *a, json_t *root, laris_wa_webhook_t **out,
                                laris_err_t *err);

/* True when a message whose latest status is current should take next. Statuses only move
 * forward (sent < delivered < read < played), since Meta delivers them out of order and may
 * skip delivered. failed is terminal: nothing replaces it, and it replaces sent and delivered
 * but not read or played (the user saw the message). LARIS_WA_STATUS_UNKNOWN as current means
 * "none yet"; an unknown next never applies. */
bool laris_wa_status_advances(laris_wa_status_kind_t current, laris_wa_status_kind_t next);

/* Sums quantity × item_price of an order's items into *total (whole units of currency, such
 * as rupiah). False when an item has another currency, a fractional or negative price or
 * quantity, or the sum would overflow. */
bool laris_wa_order_total(const laris_wa_order_t *order, const char *currency, int64_t *total);

/* Error codes (errors.c) -------------------------------------------------------------- */

/* What kind of problem a Cloud API error code is. */
typedef enum {
    LARIS_WA_ERR_UNKNOWN = 0, /* a code the table does not know */
    LARIS_WA_ERR_AUTH,        /* token or permissions: the tenant must reconnect */
    LARIS_WA_ERR_REQUEST,     /* our request was wrong: fix it, retrying unchanged won't help */
    LARIS_WA_ERR_THROTTLED,   /* a rate limit: try again later */
    LARIS_WA_ERR_SERVER,      /* trouble on Meta's side */
    LARIS_WA_ERR_RECIPIENT,   /* this recipient cannot or will not get this message */
    LARIS_WA_ERR_WINDOW,      /* outside the 24-hour customer service window */
    LARIS_WA_ERR_TEMPLATE,    /* the template or its parameters */
    LARIS_WA_ERR_MEDIA,       /* a media file */
    LARIS_WA_ERR_ACCOUNT,     /* the number, the WABA or billing needs fixing */
} laris_wa_error_category_t;

/* Flags of an error code, beyond its category. */
enum {
    LARIS_WA_ERRF_TOKEN_EXPIRED = 1 << 0,   /* 0, 190: the access token no longer works */
    LARIS_WA_ERRF_OPTED_OUT = 1 << 1,       /* 131050: stopped marketing; never retry */
    LARIS_WA_ERRF_MARKETING_LIMIT = 1 << 2, /* 131049: wait at least 24 h for this user */
    LARIS_WA_ERRF_TEMPLATE = 1 << 3,        /* 132xxx: a template problem */
    LARIS_WA_ERRF_RATE_LIMIT = 1 << 4,      /* a throughput or pair limit */
    LARIS_WA_ERRF_WINDOW_CLOSED = 1 << 5,   /* 131047: send a template instead */
    LARIS_WA_ERRF_STOP_NUMBER = 1 << 6,     /* stop sending from this number until fixed */
};

/* One row of the error table: the codes first..last (equal for a single code). */
typedef struct {
    int64_t first;
    int64_t last;
    laris_wa_error_category_t category;
    bool retryable;       /* a synchronous error saying nothing was sent, and the same request may
                           * succeed later: safe to retry with backoff */
    unsigned flags;       /* LARIS_WA_ERRF_* */
    const char *title;    /* a short English name, for logs */
    const char *agent_en; /* what an agent sees, in plain English */
    const char *agent_id; /* the same in Bahasa Indonesia */
} laris_wa_error_info_t;

/* The row for code: an exact code, else its family (200-299, 132xxx templates, 133xxx
 * registration...), else a fallback row (category LARIS_WA_ERR_UNKNOWN, not retryable).
 * Never NULL; static data. */
const laris_wa_error_info_t *laris_wa_error_lookup(int64_t code);

/* The agent's message for code in a locale ("id" for Bahasa Indonesia, English otherwise). */
const char *laris_wa_error_agent_message(int64_t code, const char *locale);

/* A stable lowercase name of a category ("auth", "template"...), for logs and APIs. */
const char *laris_wa_error_category_name(laris_wa_error_category_t category);

/* A synchronous Graph API error answer: {"error": {...}}. */
typedef struct {
    int64_t code;
    int64_t subcode;          /* error_subcode, 0 when absent (190: 463 expired, 467 invalid) */
    const char *type;         /* "OAuthException"...; do not branch on it */
    const char *message;      /* "(#130429) Rate limit hit" */
    const char *details;      /* error_data.details, NULL when absent */
    const char *user_title;   /* error_user_title, NULL when absent */
    const char *user_message; /* error_user_msg, NULL when absent */
    const char *fbtrace_id;   /* for Meta support, NULL when absent */
    bool is_transient;        /* Meta says a retry may succeed */
    const laris_wa_error_info_t *info; /* laris_wa_error_lookup(code) */
} laris_wa_api_error_t;

/* Parses the body of a non-2xx Graph answer into *out (strings in arena a). LARIS_EMALFORMED
 * when it is not JSON or has no error object with an integer code: then the caller has only
 * the HTTP status to go on. */
laris_rc laris_wa_api_error_parse(laris_arena_t *a, const char *body, size_t len,
                                  laris_wa_api_error_t *out, laris_err_t *err);

/* Whether a send that got this error answer may be retried: the code's row says so, or Meta
 * marked the error transient (except for an expired token, an opted-out customer or the
 * marketing limit). An error answer means no message was created. */
bool laris_wa_api_error_retryable(const laris_wa_api_error_t *e);

/* ---- media (media.c: pure rules; media_graph.c: the Graph requests, libcurl) ---- */

/* Inbound files Meta delivers are at most 100 MB (§5.3); laris-worker refuses larger ones. */
#define LARIS_WA_MEDIA_INBOUND_MAX ((size_t)100 * 1024 * 1024)

/* One supported MIME type of §5.4: its message type and size limit. */
typedef struct {
    const char *mime;  /* "image/jpeg" */
    const char *kind;  /* "image", "audio", "video", "document", "sticker" */
    size_t max_bytes;  /* the limit; for a sticker the animated one */
    size_t max_static; /* a static sticker's limit; 0 for the other kinds */
    bool inline_ok;    /* safe to show in the browser (images, audio, video) */
} laris_wa_media_type_t;

/* The row for a MIME type (parameters such as "; codecs=opus" ignored, case-insensitive), or
 * NULL when Meta does not take it. Static data. */
const laris_wa_media_type_t *laris_wa_media_type(const char *mime);

/* The size limit of a file of type t whose first len bytes are head: a WebP sticker is
 * animated when its VP8X header has the animation flag. */
size_t laris_wa_media_limit(const laris_wa_media_type_t *t, const unsigned char *head, size_t len);

/* Whether head (the first len bytes) looks like type t: JPEG, PNG, WebP, PDF and MP4 are
 * checked by their signature; other types are not checked. */
bool laris_wa_media_magic_ok(const laris_wa_media_type_t *t, const unsigned char *head, size_t len);

/* Whether a media URL that Graph returned may be fetched: http or https, no user info, and the
 * same scheme, host and port (default ports made explicit) as graph_url. Anything else (another
 * host, a port, a scheme, a malformed URL) is refused. */
bool laris_wa_media_url_allowed(const char *url, const char *graph_url);

/* A file name safe for Content-Disposition and disks: the last path segment of name, letters,
 * digits and ". _ - ( ) +" and spaces kept, anything else (control bytes, quotes, slashes,
 * backslashes, non-ASCII) as '_', no leading dot, at most 100 bytes; "file" when nothing is
 * left. In arena a. */
const char *laris_wa_media_filename(laris_arena_t *a, const char *name);

/* Where a file with this sha256 (64 lowercase hex digits) lives under the media directory:
 * "<first two digits>/<all 64>". In arena a. */
const char *laris_wa_media_path(laris_arena_t *a, const char *sha256_hex);

/* The media directory (media_store.c). Files are written to a temporary file first and then
 * renamed to their content-addressed name, so a file that has a name is complete. */

/* Opens a new temporary file (mode 0640) under <dir>/tmp, making the directories when missing;
 * *tmp_path gets its path (arena a). Returns the descriptor, or -1 with a logged reason. */
int laris_wa_media_tmp_open(laris_arena_t *a, const char *dir, const char **tmp_path);

/* Moves tmp_path to laris_wa_media_path(sha256_hex) under dir (the same content already there
 * is kept); *rel gets that relative path. false when it cannot (tmp_path is removed). */
bool laris_wa_media_commit(laris_arena_t *a, const char *dir, const char *tmp_path,
                           const char *sha256_hex, const char **rel);

/* The Graph side of media, one blocking request each (libcurl; no redirects followed). */
typedef struct {
    const char *graph_url;     /* LARIS_GRAPH_URL */
    const char *graph_version; /* LARIS_GRAPH_VERSION */
    const char *token;         /* the number's access token (never logged) */
    long timeout_ms;           /* a whole request */
} laris_wa_graph_t;

/* What GET /{media-id} answered. */
typedef struct {
    long http_status; /* 0 when no answer came */
    bool transient;   /* no answer, 429 or 5xx: the same request may succeed later */
    const char *url;  /* NULL when the answer was not a media object */
    const char *mime_type;
    const char *sha256;  /* base64, as Graph gives it */
    long long file_size; /* -1 when absent */
    const char *error;   /* a short reason when url is NULL */
} laris_wa_media_info_t;

/* GET {graph}/{version}/{media_id}?phone_number_id= into *out (strings in arena a). */
void laris_wa_media_lookup(const laris_wa_graph_t *g, laris_arena_t *a, const char *media_id,
                           const char *phone_number_id, laris_wa_media_info_t *out);

/* The outcome of a download. */
typedef enum {
    LARIS_WA_DL_OK = 0,
    LARIS_WA_DL_TRANSIENT, /* no answer, 404 (the URL expired), 429, 5xx: try again later */
    LARIS_WA_DL_REFUSED,   /* a redirect, or more than max bytes: never again */
    LARIS_WA_DL_FAILED,    /* another error answer, or the file could not be written */
} laris_wa_download_rc;

/* GET url with the bearer token into the open file fd, at most max bytes (refused past it,
 * while downloading); sha256_out gets the digest of what was written, *size its length.
 * *why gets a short reason on failure (arena a). */
laris_wa_download_rc laris_wa_media_download(const laris_wa_graph_t *g, laris_arena_t *a,
                                             const char *url, int fd, size_t max,
                                             unsigned char sha256_out[32], size_t *size,
                                             const char **why);

/* POST {graph}/{version}/{phone_number_id}/media as multipart/form-data (messaging_product,
 * type, file streamed from path). LARIS_OK with *graph_id; LARIS_EUNAVAILABLE when Graph could
 * not be reached or failed (5xx); LARIS_EINVALID when it refused the file (its message on
 * err). */
laris_rc laris_wa_media_upload(const laris_wa_graph_t *g, laris_arena_t *a,
                               const char *phone_number_id, const char *path, const char *mime,
                               const char *filename, const char **graph_id, laris_err_t *err);

#endif
