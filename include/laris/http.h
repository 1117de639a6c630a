/* HTTP requests and responses over FastCGI: the request object handlers receive, response
 * helpers, problem+json, and the worker loop that serves an application. */
#ifndef LARIS_HTTP_H
#define LARIS_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "laris/arena.h"
#include "laris/buf.h"
#include "laris/err.h"
#include "laris/router.h"

#define LARIS_RESP_MAX_HEADERS 16

/* One request, from accept to the last byte written. Everything hangs off the arena. */
struct laris_req_s {
    laris_arena_t *arena;
    laris_err_t err;

    /* What came in. Strings are never NULL ("" when absent) except body. */
    const char *method;
    const char *path;  /* decoded path, no query */
    const char *query; /* raw query string */
    const char *content_type;
    const char *remote_addr;
    bool https;
    const char *request_id;
    const char *body; /* NUL-terminated copy, body_len bytes, NULL when there is none */
    size_t body_len;
    char **params_env; /* FastCGI parameters, NAME=value */
    /* Reads the body (up to limit bytes) into body/body_len; set by the transport, NULL in
     * unit tests that fill body themselves. LARIS_ETOOLARGE past the limit. */
    laris_rc (*read_body)(laris_req_t *req, size_t limit);
    void *transport;

    const laris_route_t *route;
    const char *route_pattern; /* for logs: the matched pattern, or "-" */
    laris_route_match_t match;

    /* What goes out. */
    int status;
    const char *resp_content_type;
    laris_buf_t resp_body;
    size_t nresp_headers;
    laris_pair_t resp_headers[LARIS_RESP_MAX_HEADERS];

    /* The application's per-request state (the api module's auth context). */
    void *app;
    int64_t log_tenant_id; /* shown in the access log; 0 when none */
    int64_t started_ns;
};

/* A FastCGI parameter ("HTTP_AUTHORIZATION", "CONTENT_LENGTH"), or NULL when absent. */
const char *laris_req_env(const laris_req_t *req, const char *name);

/* A path parameter of the matched route, or NULL. */
const char *laris_req_param(const laris_req_t *req, const char *name);

/* A path parameter as a positive 63-bit id; false when missing or not a plain positive number. */
bool laris_req_param_id(const laris_req_t *req, const char *name, int64_t *out);

/* A query-string parameter, percent-decoded into the arena, or NULL. */
const char *laris_req_query(const laris_req_t *req, const char *name);

/* A cookie value from the Cookie header, or NULL. */
const char *laris_req_cookie(const laris_req_t *req, const char *name);

/* Adds a response header. Names and values must be free of CR and LF (checked: bad ones are
 * dropped with a warning). Copies nothing: pass arena or static strings. */
void laris_resp_header(laris_req_t *req, const char *name, const char *value);

/* Sets a JSON response. The value is adopted (freed with the arena). Returns LARIS_OK. */
laris_rc laris_resp_json(laris_req_t *req, int status, json_t *body);

/* Answers status with len bytes of JSON text (copied), e.g. a page kept in a cache. */
laris_rc laris_resp_json_text(laris_req_t *req, int status, const char *text, size_t len);

/* Sets an empty response (204 and the like). Returns LARIS_OK. */
laris_rc laris_resp_empty(laris_req_t *req, int status);

/* Turns req->err into an application/problem+json response (RFC 9457): type, title, status,
 * detail, instance (the request id), errors[] for field errors, Retry-After when set. */
void laris_resp_problem(laris_req_t *req);

/* What a served application provides. */
typedef struct {
    const laris_route_t *routes;
    /* Called after routing and reading the body; returns an error to answer with problem+json. */
    laris_rc (*handle)(laris_req_t *req);
    /* Called once in each worker after fork, and once before it exits. */
    void (*worker_start)(void);
    void (*worker_stop)(void);
    size_t default_body_limit;
} laris_http_app_t;

/* Opens the listening socket: a path (Unix socket, mode 0666, replacing a stale file) or
 * "host:port". Returns the fd or -1 with a logged error. */
int laris_http_listen(const char *address, int backlog);

/* The FastCGI accept loop of one worker: serves requests on listen_fd until SIGTERM, then
 * finishes the request in hand and returns 0. */
int laris_http_worker_run(int listen_fd, const laris_http_app_t *app);

/* Serves one already-parsed request through app (routing, body limit, handler, problem+json,
 * access log). Used by the worker loop and by unit tests. */
void laris_http_dispatch(laris_req_t *req, const laris_http_app_t *app);

/* Prepares req for a new request in arena a (clears everything). */
void laris_req_init(laris_req_t *req, laris_arena_t *a);

#endif
