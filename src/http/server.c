/* The worker side of the HTTP layer: the FastCGI accept loop, routing, body limits, the
 * response writer and the access log. Knows nothing of the domain: the application's handle
 * function does authentication and calls the route's handler. */
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "laris/clock.h"
#include "laris/crypto.h"
#include "laris/http.h"
#include "laris/log.h"

/* Set by SIGTERM: finish the request in hand, then leave the accept loop. */
static volatile sig_atomic_t stop_requested;

static void on_sigterm(int sig)
{
    (void)sig;
    stop_requested = 1;
}

int laris_http_listen(const char *address, int backlog)
{
    const char *colon = strrchr(address, ':');
    if (address[0] != '/' && colon) {
        int fd = FCGX_OpenSocket(address, backlog);
        if (fd < 0)
            laris_log(LARIS_ERROR, "cannot listen on %s", address);
        return fd;
    }
    struct sockaddr_un sa;
    if (strlen(address) >= sizeof(sa.sun_path)) {
        laris_log(LARIS_ERROR, "socket path too long: %s", address);
        return -1;
    }
    unlink(address);
    int fd = FCGX_OpenSocket(address, backlog);
    if (fd < 0) {
        laris_log(LARIS_ERROR, "cannot listen on %s: %s", address, strerror(errno));
        return -1;
    }
    chmod(address, 0666);
    return fd;
}

/* A request id from the client is kept when it is short and plain; otherwise a new one. */
static const char *request_id_for(laris_req_t *req)
{
    const char *given = laris_req_env(req, "HTTP_X_REQUEST_ID");
    if (given) {
        size_t len = strlen(given);
        bool plain = len >= 8 && len <= 64;
        for (size_t i = 0; plain && i < len; i++) {
            char c = given[i];
            plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
        }
        if (plain)
            return given;
    }
    char *id = laris_arena_alloc(req->arena, 33);
    laris_random_hex(id, 16);
    return id;
}

/* Reads the body, refusing more than limit bytes; Content-Length decides when it is given. */
static laris_rc read_body_limited(laris_req_t *req, size_t limit)
{
    const char *length_text = laris_req_env(req, "CONTENT_LENGTH");
    char *end = NULL;
    long long declared = length_text && *length_text ? strtoll(length_text, &end, 10) : 0;
    if (end && *end)
        return laris_err_set(&req->err, LARIS_EMALFORMED, "Content-Length is not a number.");
    if (declared < 0)
        return laris_err_set(&req->err, LARIS_EMALFORMED, "Content-Length is negative.");
    if ((unsigned long long)declared > limit)
        return laris_err_set(&req->err, LARIS_ETOOLARGE, "The body is larger than %zu bytes.",
                             limit);
    if (declared == 0)
        return LARIS_OK;
    /* nginx wrote the body to a file and passes its name instead (client_body_in_file_only on
     * the upload location); clients cannot set this parameter, only nginx's configuration. */
    if (laris_req_env(req, "LARIS_BODY_FILE"))
        return LARIS_OK;
    if (!req->read_body)
        return LARIS_OK;
    return req->read_body(req, (size_t)declared);
}

static laris_rc fcgi_read_body(laris_req_t *req, size_t declared)
{
    FCGX_Request *fr = req->transport;
    char *body = laris_arena_alloc(req->arena, declared + 1);
    size_t got = 0;
    while (got < declared) {
        int n = FCGX_GetStr(body + got, (int)(declared - got), fr->in);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got != declared)
        return laris_err_set(&req->err, LARIS_EMALFORMED, "The body ended early.");
    body[got] = '\0';
    req->body = body;
    req->body_len = got;
    return LARIS_OK;
}

void laris_http_dispatch(laris_req_t *req, const laris_http_app_t *app)
{
    req->started_ns = laris_clock_mono_ns();
    req->request_id = request_id_for(req);
    laris_log_context(req->request_id, 0, NULL);

    laris_router_match(app->routes, req->method, req->path, req->arena, &req->match);
    laris_rc rc;
    if (!req->match.route) {
        if (req->match.path_matched) {
            rc = laris_err_set(&req->err, LARIS_EMETHOD, "%s is not allowed on %s.", req->method,
                               req->path);
            laris_resp_header(req, "Allow", req->match.allow);
        } else
            rc = laris_err_set(&req->err, LARIS_ENOTFOUND, "There is nothing at this address.");
    } else {
        req->route = req->match.route;
        req->route_pattern = req->route->pattern;
        laris_log_context(req->request_id, 0, req->route_pattern);
        size_t limit = req->route->body_limit ? req->route->body_limit : app->default_body_limit;
        rc = read_body_limited(req, limit);
        if (rc == LARIS_OK)
            rc = app->handle(req);
    }
    if (rc != LARIS_OK) {
        if (req->err.code == LARIS_OK)
            req->err.code = rc;
        laris_resp_problem(req);
    }
    double ms = (double)(laris_clock_mono_ns() - req->started_ns) / 1e6;
    laris_log_request(req->method, req->route_pattern, req->status, ms, req->log_tenant_id,
                      req->request_id);
    laris_log_context(NULL, 0, NULL);
}

/* The reason phrase nginx puts after the status code. */
static const char *reason_phrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 503:
        return "Service Unavailable";
    default:
        return status >= 500 ? "Internal Server Error" : "Unknown";
    }
}

/* Writes the status line, headers and body (libfcgi's own printf lacks %zu, so the head is
 * built with laris_buf_printf). */
static void write_response(laris_req_t *req, FCGX_Stream *out)
{
    laris_buf_t head;
    laris_buf_init(&head, req->arena);
    laris_buf_printf(&head, "Status: %d %s\r\n", req->status, reason_phrase(req->status));
    if (req->resp_content_type) {
        laris_buf_printf(&head, "Content-Type: %s; charset=utf-8\r\n", req->resp_content_type);
        laris_buf_puts(&head, "Cache-Control: no-store\r\n");
    }
    laris_buf_printf(&head, "Content-Length: %zu\r\n", req->resp_body.len);
    laris_buf_printf(&head, "X-Request-Id: %s\r\n", req->request_id);
    laris_buf_puts(&head, "X-Content-Type-Options: nosniff\r\n");
    for (size_t i = 0; i < req->nresp_headers; i++)
        laris_buf_printf(&head, "%s: %s\r\n", req->resp_headers[i].name,
                         req->resp_headers[i].value);
    laris_buf_puts(&head, "\r\n");
    FCGX_PutStr(head.data, (int)head.len, out);
    if (req->resp_body.len > 0)
        FCGX_PutStr(req->resp_body.data, (int)req->resp_body.len, out);
}

/* Reads and drops what is left of the body (a refused upload), so nginx can finish sending it
 * and shows our answer rather than a broken pipe. */
static void drain_input(FCGX_Stream *in)
{
    char scratch[8192];
    while (FCGX_GetStr(scratch, (int)sizeof(scratch), in) > 0) {
    }
}

static const char *param_or_empty(FCGX_Request *fr, const char *name)
{
    const char *v = FCGX_GetParam(name, fr->envp);
    return v ? v : "";
}

static void serve_one(FCGX_Request *fr, laris_arena_t *arena, const laris_http_app_t *app)
{
    laris_req_t req;
    laris_req_init(&req, arena);
    req.params_env = fr->envp;
    req.transport = fr;
    req.read_body = fcgi_read_body;
    req.method = param_or_empty(fr, "REQUEST_METHOD");
    req.path = param_or_empty(fr, "DOCUMENT_URI");
    if (!req.path[0])
        req.path = param_or_empty(fr, "SCRIPT_NAME");
    req.query = param_or_empty(fr, "QUERY_STRING");
    req.content_type = param_or_empty(fr, "CONTENT_TYPE");
    req.remote_addr = param_or_empty(fr, "REMOTE_ADDR");
    const char *https = FCGX_GetParam("HTTPS", fr->envp);
    req.https = https && *https && strcmp(https, "off") != 0;
    laris_http_dispatch(&req, app);
    drain_input(fr->in);
    write_response(&req, fr->out);
}

int laris_http_worker_run(int listen_fd, const laris_http_app_t *app)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigterm; /* no SA_RESTART: a blocked accept returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (FCGX_Init() != 0) {
        laris_log(LARIS_ERROR, "FCGX_Init failed");
        return 1;
    }
    FCGX_Request fr;
    FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
    laris_arena_t *arena = laris_arena_create((size_t)64 * 1024);
    if (app->worker_start)
        app->worker_start();

    while (!stop_requested) {
        if (FCGX_Accept_r(&fr) < 0)
            break;
        serve_one(&fr, arena, app);
        FCGX_Finish_r(&fr);
        laris_arena_reset(arena);
    }

    if (app->worker_stop)
        app->worker_stop();
    laris_arena_destroy(arena);
    FCGX_Free(&fr, 1);
    return 0;
}
