/* laris-sim: the local stand-in for Meta's Graph API. The pure parts (send validation, wamid
 * generation, rate limiters, Graph error bodies) are declared here so unit tests can drive
 * them without a server; the server itself (src/sim/server.c) is reached only via laris-sim.
 *
 * Everything here is single-threaded and allocates from the arena it is given, unless said. */
#ifndef LARIS_SIM_H
#define LARIS_SIM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "laris/arena.h"
#include "laris/http.h"

/* The longest wamid laris_sim_wamid_new writes, NUL included. */
#define LARIS_SIM_WAMID_MAX 128

/* Send validation (validate.c) ------------------------------------------------------------ */

/* A template as the simulator knows it. status is Meta's ("APPROVED", "PENDING", "PAUSED",
 * "DISABLED", "REJECTED"); nparams counts the {{…}} placeholders of header and body. */
typedef struct {
    const char *name;
    const char *language;
    const char *status;
    const char *category; /* "MARKETING", "UTILITY", "AUTHENTICATION" */
    int nparams;
    bool named;           /* parameter_format NAMED: parameters carry parameter_name */
    const char *text;     /* header and body text, where {{name}} placeholders are looked up */
    unsigned url_buttons; /* bit i: button i (0..9) is a URL button */
    unsigned url_vars;    /* bit i: ...whose link ends in a variable, filled by each send */
} laris_sim_template_t;

/* Finds a template by name and language code; NULL when there is none. */
typedef const laris_sim_template_t *(*laris_sim_template_find_fn)(void *ctx, const char *name,
                                                                  const char *language);

/* Why a request was refused: a Cloud API error code (0 when accepted) and Meta's details. */
typedef struct {
    int64_t code;
    const char *details; /* static or arena text; NULL when accepted */
} laris_sim_verdict_t;

/* What an accepted send asks for. Strings point into the request's JSON tree or the arena. */
typedef struct {
    const char *to;    /* as given */
    const char *wa_id; /* to with only its digits */
    const char *type;  /* "text", "template"... */
    bool mark_read;    /* {"status":"read","message_id":…}: a read receipt, not a message */
    bool needs_window; /* anything but a template (and read receipts) needs an open CSW */
    const char *template_category;        /* for templates, lowercase; else NULL */
    const char *biz_opaque_callback_data; /* NULL when absent */
} laris_sim_send_t;

/* Validates a POST /{phone_number_id}/messages body the way the Cloud API does: messaging
 * product, recipient, type and the type's object (text length, media id/link, interactive
 * button and list limits, reaction, location, contacts, template existence, status and
 * parameter count, named parameters' names, Meta's rule on parameter text, one text parameter
 * for each URL button whose link ends in a variable and none for others), context.message_id. It
 * does not check the window or rate limits (state). Returns true and fills *out when accepted;
 * false with v->code in {100, 131008, 131009, 132000, 132001, 132015, 132016} otherwise. find may
 * be NULL (no templates exist). */
bool laris_sim_validate_send(laris_arena_t *a, json_t *body, laris_sim_template_find_fn find,
                             void *find_ctx, laris_sim_send_t *out, laris_sim_verdict_t *v);

/* Counts the distinct positional ({{1}}) or named ({{name}}) placeholders in text. */
int laris_sim_count_placeholders(const char *text);

/* Graph errors (graph_error.c) ----------------------------------------------------------- */

/* The HTTP status Meta answers a synchronous error code with (§2.10): 401 for 0 and 190,
 * 403 for 10, 200-299 and integrity codes, 404 for 132001, 429 for 4, 5xx for server codes,
 * 400 for everything else. */
int laris_sim_error_http_status(int64_t code);

/* Builds {"error":{"message":"(#code) Title","type":"OAuthException","code":…,
 * "error_data":{"messaging_product":"whatsapp","details":…},"fbtrace_id":…}} with the title
 * of laris_wa_error_lookup. A new reference, owned by the caller. */
json_t *laris_sim_graph_error(int64_t code, const char *details);

/* The 190 answer for a missing or unknown access token (no error_data, like Graph's). */
json_t *laris_sim_token_error(bool missing);

/* The 190 answer for a token that expired (subcode 463, like Graph's "Session has expired"). */
json_t *laris_sim_token_expired_error(void);

/* Graph's answer to an id that does not exist (code 100, subcode 33, GraphMethodException). */
json_t *laris_sim_unknown_object_error(const char *method, const char *id);

/* Serialises v compactly with every non-ASCII character as a lowercase-hex \u escape (UTF-16
 * surrogate pairs for emoji), the way Meta puts webhook bodies on the wire. malloc'd; the
 * caller frees it. NULL only when v cannot be encoded. */
char *laris_sim_dump_ascii(const json_t *v, size_t *len);

/* wamids (wamid.c) ----------------------------------------------------------------------- */

/* Writes a new message id shaped like Meta's: "wamid." + base64 of a small protobuf-like
 * record holding wa_id and 20 uppercase hex digits (a process-wide counter mixed with random
 * bytes, so ids never repeat within a process). wa_id is digits, at most 20 of them. */
void laris_sim_wamid_new(const char *wa_id, char out[LARIS_SIM_WAMID_MAX]);

/* Decodes a wamid made by laris_sim_wamid_new (or Meta) and writes its wa_id (digits) into
 * out (size n). False when it is not "wamid." + that shape. */
bool laris_sim_wamid_wa_id(const char *wamid, char *out, size_t n);

/* Rate limiters (limits.c) --------------------------------------------------------------- */

/* A fixed one-second window counter: the throughput limit of a number. */
typedef struct {
    int64_t window_start_ms;
    int count;
} laris_sim_rate_t;

/* Counts one message at now_ms; false (and not counted) when limit are already in this
 * second. limit <= 0 means unlimited. */
bool laris_sim_rate_take(laris_sim_rate_t *r, int64_t now_ms, int limit);

/* A token bucket: the pair rate limit (one message per interval with a burst). Starts full. */
typedef struct {
    double tokens;
    int64_t last_ms;
    bool started;
} laris_sim_bucket_t;

/* Takes a token at now_ms from a bucket holding up to burst tokens and refilled with one per
 * interval_ms; false when empty. burst <= 0 means unlimited. */
bool laris_sim_bucket_take(laris_sim_bucket_t *b, int64_t now_ms, int burst, int64_t interval_ms);

/* True when a user whose last message arrived at last_inbound_ms (0: never) may still get
 * free-form messages at now_ms: the 24-hour customer service window. */
bool laris_sim_window_open(int64_t last_inbound_ms, int64_t now_ms);

/* The server (server.c, control.c, webhooks.c) -------------------------------------------- */

/* The FastCGI application of laris-sim. Serve it from exactly one worker process: its state
 * lives in that process's memory. worker_start starts the webhook sender thread. */
const laris_http_app_t *laris_sim_app(void);

#endif
