/* WhatsApp Cloud API, the sending side: what an agent may send of each message type (Meta's
 * shapes and limits, REFERENCE.md §2), the Graph request body of a stored message, and the
 * phone-number check behind "test a number".
 *
 * The checks and the body builder are pure (outgoing.c): no I/O, no tenants' tables. The
 * phone-number check (graph.c) is the one function here that talks to Graph. */
#ifndef LARIS_WA_OUTGOING_H
#define LARIS_WA_OUTGOING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "laris/arena.h"
#include "laris/err.h"

/* Limits of the Cloud API (REFERENCE.md §2.3-§2.6, §4.4). */
#define LARIS_WA_TEXT_MAX            4096
#define LARIS_WA_CAPTION_MAX         1024
#define LARIS_WA_FILENAME_MAX        240
#define LARIS_WA_LINK_MAX            2048
#define LARIS_WA_BUTTONS_MAX         3
#define LARIS_WA_BUTTON_TITLE_MAX    20
#define LARIS_WA_BUTTON_ID_MAX       256
#define LARIS_WA_BUTTON_BODY_MAX     1024
#define LARIS_WA_LIST_BODY_MAX       4096
#define LARIS_WA_HEADER_TEXT_MAX     60
#define LARIS_WA_FOOTER_MAX          60
#define LARIS_WA_LIST_BUTTON_MAX     20
#define LARIS_WA_SECTIONS_MAX        10
#define LARIS_WA_ROWS_MAX            10
#define LARIS_WA_SECTION_TITLE_MAX   24
#define LARIS_WA_ROW_TITLE_MAX       24
#define LARIS_WA_ROW_DESCRIPTION_MAX 72
#define LARIS_WA_ROW_ID_MAX          200
#define LARIS_WA_TEMPLATE_PARAMS_MAX 20
#define LARIS_WA_TEMPLATE_PARAM_MAX  1024
#define LARIS_WA_URL_PARAMS_MAX      2    /* a template has at most 2 URL buttons */
#define LARIS_WA_URL_BUTTON_INDEX    9    /* buttons are 0..9 (at most 10) */
#define LARIS_WA_URL_MAX             2000 /* a URL button's link, its variable filled in */
#define LARIS_WA_EMOJI_MAX           16   /* code points: ZWJ sequences and skin tones */

/* The message types an agent can send, plus "read" (a read receipt for an inbound message). */
bool laris_wa_outgoing_type_known(const char *type);

/* True for the types WhatsApp allows only inside the 24-hour customer service window: all but
 * "template" (and "read", which is not a message). */
bool laris_wa_outgoing_needs_window(const char *type);

/* Checks the agent's object for a message of type (the member named after the type in a
 * reply: {"image": {...}}) and returns the copy to store: only the members Meta knows, strings
 * as given. The shapes:
 *   text         {body} or "body"                         (4096 characters, not blank)
 *   image|video  {id | link, caption?}                    (caption 1024)
 *   document     {id | link, caption?, filename?}
 *   audio        {id | link, voice?}
 *   sticker      {id | link}
 *   interactive  {type: "button"|"list", header?, body: {text}, footer?: {text}, action}
 *   template     {name, language, params?: [..] | {name: value}, header_params?: same, ≤ 1,
 *                 url_params?: [{index, text}] (≤ 2: the end of a URL button's link)}
 *   reaction     {message_id: "wamid…", emoji}                ("" removes our reaction)
 *   read         {message_id: "wamid…"}
 * Text may hold newlines and tabs; other control characters are refused everywhere, as are
 * template parameters with newlines, tabs or more than four spaces in a row (Meta's rule), and
 * a URL button's text with any white space (it becomes part of a link).
 * NULL with field errors on err (fields named "<type>.<member>") when anything is wrong. The
 * result is a new reference owned by the caller. */
json_t *laris_wa_outgoing_check(const char *type, json_t *in, laris_err_t *err);

/* The body of POST /{phone_number_id}/messages for a stored message: type, its stored object
 * (what laris_wa_outgoing_check returned; for "text" a NULL payload and the text in body),
 * the recipient's wa_id (sent as "+<digits>") and the wamid the message replies to (NULL: not
 * a reply; ignored for reactions and read receipts, which cannot quote). A new reference, or
 * NULL when the stored payload does not fit the type (never sent then). */
json_t *laris_wa_outgoing_body(const char *type, const char *body, json_t *payload,
                               const char *to_wa_id, const char *context_wamid);

/* Testing a number (graph.c) ------------------------------------------------------------- */

/* What GET /{phone_number_id}?fields=display_phone_number,verified_name,quality_rating said. */
typedef struct {
    bool reached;     /* false: no answer (connect failure, timeout); nothing else is set */
    bool ok;          /* a 200 with the fields below */
    long http_status; /* the HTTP status of the answer */
    const char *display_phone_number;
    const char *verified_name;
    const char *quality_rating; /* GREEN, YELLOW, RED, UNKNOWN... */
    bool error_given;           /* !ok and the answer was a Graph error object */
    int64_t error_code;         /* its code (0 is a code too: an authentication exception) */
    int64_t error_subcode;
} laris_wa_phone_info_t;

/* Asks Graph at base_url/version about phone_number_id with the access token (Bearer header,
 * never logged), giving up after timeout_ms. Strings in arena a. */
void laris_wa_phone_info(laris_arena_t *a, const char *base_url, const char *version,
                         const char *phone_number_id, const char *token, long timeout_ms,
                         laris_wa_phone_info_t *out);

#endif
