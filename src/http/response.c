/* Response helpers: headers, JSON bodies and problem+json errors (RFC 9457). */
#include <stdio.h>
#include <string.h>

#include "laris/http.h"
#include "laris/json.h"
#include "laris/log.h"

void laris_resp_header(laris_req_t *req, const char *name, const char *value)
{
    if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) {
        laris_log(LARIS_WARN, "dropped a response header with a line break in it");
        return;
    }
    if (req->nresp_headers == LARIS_RESP_MAX_HEADERS) {
        laris_log(LARIS_WARN, "too many response headers; dropped %s", name);
        return;
    }
    req->resp_headers[req->nresp_headers].name = name;
    req->resp_headers[req->nresp_headers].value = value;
    req->nresp_headers++;
}

laris_rc laris_resp_json(laris_req_t *req, int status, json_t *body)
{
    laris_json_adopt(req->arena, body);
    size_t len;
    char *text = laris_json_encode(req->arena, body, &len);
    return laris_resp_json_text(req, status, text, len);
}

laris_rc laris_resp_json_text(laris_req_t *req, int status, const char *text, size_t len)
{
    req->status = status;
    req->resp_content_type = "application/json";
    req->resp_body.len = 0;
    laris_buf_append(&req->resp_body, text, len);
    return LARIS_OK;
}

laris_rc laris_resp_empty(laris_req_t *req, int status)
{
    req->status = status;
    req->resp_content_type = NULL;
    req->resp_body.len = 0;
    return LARIS_OK;
}

void laris_resp_problem(laris_req_t *req)
{
    laris_err_t *e = &req->err;
    if (e->code == LARIS_OK)
        e->code = LARIS_EINTERNAL;
    int status = laris_rc_status(e->code);
    json_t *problem = json_object();
    json_object_set_new(problem, "type",
                        json_string(laris_arena_printf(req->arena, "%s%s", LARIS_PROBLEM_BASE,
                                                       laris_rc_slug(e->code))));
    json_object_set_new(problem, "title", json_string(laris_rc_title(e->code)));
    json_object_set_new(problem, "status", json_integer(status));
    if (e->detail)
        json_object_set_new(problem, "detail", json_string(e->detail));
    if (req->request_id[0]) {
        json_object_set_new(
            problem, "instance",
            json_string(laris_arena_printf(req->arena, "urn:laris:request:%s", req->request_id)));
    }
    if (e->nfields > 0) {
        json_t *errors = json_array();
        for (size_t i = 0; i < e->nfields; i++) {
            json_t *item = json_object();
            json_object_set_new(item, "field", json_string(e->fields[i].field));
            json_object_set_new(item, "message", json_string(e->fields[i].message));
            json_array_append_new(errors, item);
        }
        json_object_set_new(problem, "errors", errors);
    }
    if (e->owner)
        json_object_set_new(problem, "owner", json_string(e->owner));
    if (e->retry_after > 0 && (status == 429 || status == 503)) {
        laris_resp_header(req, "Retry-After", laris_arena_printf(req->arena, "%d", e->retry_after));
    }
    laris_resp_json(req, status, problem);
    req->resp_content_type = "application/problem+json";
}
