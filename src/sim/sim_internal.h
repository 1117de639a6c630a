/* laris-sim internals shared by the server's files: the in-memory state and the webhook queue.
 *
 * Concurrency: the FastCGI worker's thread serves requests; one sender thread posts webhooks.
 * Everything in sim_state_t is guarded by sim_state.lock (taken with sim_lock/sim_unlock); the
 * webhook queue has its own lock inside webhooks.c. */
#ifndef LARIS_SIM_INTERNAL_H
#define LARIS_SIM_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "laris/http.h"
#include "laris/sim.h"

#define SIM_MAX_NUMBERS   256
#define SIM_MAX_TEMPLATES 512
#define SIM_MAX_MEDIA     256
#define SIM_MAX_PEERS     4096

typedef struct {
    char phone_number_id[64];
    char waba_id[64];
    char display_phone_number[32];
    char access_token[256];
    char verified_name[128]; /* what GET /{phone_number_id} answers */
    char quality_rating[16]; /* GREEN, YELLOW, RED, UNKNOWN */
    laris_sim_rate_t rate;
} sim_number_t;

/* A (business number, user) pair: the window and the pair rate limit. */
typedef struct {
    char phone_number_id[64];
    char wa_id[24];
    int64_t last_inbound_ms;
    laris_sim_bucket_t pair;
} sim_peer_t;

typedef struct {
    char id[24];
    char waba_id[64];
    char name[128];
    char language[16];
    char status[24];
    char category[24];
    char parameter_format[16];
    json_t *components; /* as created (owned) */
    char text[4608];    /* header and body text (view.text) */
    laris_sim_template_t view;
} sim_template_t;

typedef struct {
    char id[24];
    char phone_number_id[64];
    char mime_type[128];
    char sha256[48]; /* base64 */
    unsigned char *data;
    size_t size;
    int lookups;   /* GET /{media-id} answered */
    int downloads; /* GET of its URL answered with the bytes */
} sim_media_t;

typedef struct {
    pthread_mutex_t lock;
    char webhook_url[1024];
    char app_secret[256];
    int delays_ms[3]; /* sent, delivered, read */
    int mps;          /* throughput per number */
    int pair_burst;
    int pair_interval_ms;
    int slow_ms;    /* fault "slow" */
    int timeout_ms; /* fault "timeout_after_accept" */
    sim_number_t numbers[SIM_MAX_NUMBERS];
    size_t nnumbers;
    sim_peer_t *peers;
    size_t npeers;
    sim_template_t templates[SIM_MAX_TEMPLATES];
    size_t ntemplates;
    sim_media_t media[SIM_MAX_MEDIA];
    size_t nmedia;
    json_t *sent;     /* array: every accepted send */
    json_t *webhooks; /* array: every webhook POST and what it got */
    json_t *wamids;   /* object: every wamid sent or injected -> its phone_number_id */
    char fault[32];
    int fault_count;
    int64_t next_id; /* numeric ids of templates and media */
} sim_state_t;

extern sim_state_t sim_state;

void sim_lock(void);
void sim_unlock(void);

/* Milliseconds since the epoch. */
int64_t sim_now_ms(void);

/* (Re)initialises everything to the defaults; the lock must be held (or not yet used). */
void sim_state_reset(void);

/* Lookups; NULL when absent. The lock must be held. */
sim_number_t *sim_number_find(const char *phone_number_id);
sim_peer_t *sim_peer_get(const char *phone_number_id, const char *wa_id, bool create);
sim_template_t *sim_template_find_id(const char *id);
sim_media_t *sim_media_find(const char *id);
const laris_sim_template_t *sim_template_find(void *waba_id, const char *name,
                                              const char *language);

/* Remembers wamid as a message of phone_number_id (sent or received). The lock must be held. */
void sim_wamid_remember(const char *wamid, const char *phone_number_id);

/* True when wamid is a message of phone_number_id. The lock must be held. */
bool sim_wamid_known(const char *wamid, const char *phone_number_id);

/* True (and one use consumed) when fault mode is armed. The lock must be held. */
bool sim_fault_take(const char *mode);

/* Adds media of a number (data taken over: malloc'd, size bytes) with a new id and its base64
 * sha256; NULL when the simulator holds SIM_MAX_MEDIA already (data is freed then). The lock
 * must be held. */
sim_media_t *sim_media_add(const char *phone_number_id, const char *mime, unsigned char *data,
                           size_t size);

/* A new numeric id (as text, 15-16 digits like Graph's). The lock must be held. */
void sim_new_id(char out[24]);

/* Webhooks (webhooks.c) ------------------------------------------------------------------ */

/* Queues a webhook body (taken over: malloc'd) for due_ms, described by kind ("status",
 * "inbound"), wamid and status for the log. bad_signature signs with a wrong secret. */
void sim_webhook_queue(char *body, size_t len, int64_t due_ms, const char *kind, const char *wamid,
                       const char *status, bool bad_signature);

/* Drops every queued webhook (reset). */
void sim_webhook_clear(void);

/* Starts and stops the sender thread. */
void sim_webhook_start(void);
void sim_webhook_stop(void);

/* Envelope of a messages-field webhook for a number: {object, entry:[{id, changes:[{field,
 * value:{messaging_product, metadata}}]}]}; *value gets the value object to fill. */
json_t *sim_webhook_envelope(const sim_number_t *n, json_t **value);

/* Handlers (graph.c, templates.c, media.c, control.c)
 * ----------------------------------------------------------- */

laris_rc sim_messages_send(laris_req_t *req);
laris_rc sim_media_upload(laris_req_t *req);
laris_rc sim_object_get(laris_req_t *req);
laris_rc sim_media_download(laris_req_t *req);
laris_rc sim_templates_list(laris_req_t *req);
laris_rc sim_templates_create(laris_req_t *req);
laris_rc sim_templates_edit(laris_req_t *req);
laris_rc sim_templates_delete(laris_req_t *req);

/* True when the request carries one of the tokens of numbers that own this (phone number or
 * WABA) id; else answers 190 and returns false (also for a good token while the fault
 * token_expired is armed). The lock must be held. */
bool sim_authorized(laris_req_t *req, const char *phone_number_id, const char *waba_id);

/* True when a number of the simulator belongs to WABA waba_id. The lock must be held. */
bool sim_waba_known(const char *waba_id);

laris_rc sim_config_put(laris_req_t *req);
laris_rc sim_numbers_create(laris_req_t *req);
laris_rc sim_inbound_create(laris_req_t *req);
laris_rc sim_sent_list(laris_req_t *req);
laris_rc sim_webhooks_list(laris_req_t *req);
laris_rc sim_faults_set(laris_req_t *req);
laris_rc sim_reset(laris_req_t *req);
laris_rc sim_template_approve(laris_req_t *req);
laris_rc sim_media_show(laris_req_t *req);

/* Decodes the JSON body into *out (an empty object when there is none). */
laris_rc sim_body(laris_req_t *req, json_t **out);

#endif
