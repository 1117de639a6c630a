/* Media files: agents download a tenant's stored file (nginx sends it: X-Accel-Redirect to the
 * internal /_media/ location) and upload one for a reply (the raw body, or the temporary file
 * nginx wrote it to; see nginx/laris.conf.in). */
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"

/* GET /api/v1/media/{id} -> 200 with X-Accel-Redirect; nginx answers with the file. */
laris_rc media_show(laris_req_t *req)
{
    int64_t id;
    if (!laris_req_param_id(req, "id", &id))
        return laris_err_set(&req->err, LARIS_ENOTFOUND, "There is no such file.");
    laris_media_file_t f;
    laris_rc rc = laris_media_file(api_ctx(req), id, &f);
    if (rc != LARIS_OK)
        return rc;
    req->status = 200;
    req->resp_content_type = NULL;
    laris_resp_header(req, "Content-Type", f.content_type);
    laris_resp_header(req, "Content-Disposition",
                      laris_arena_printf(req->arena, "%s; filename=\"%s\"",
                                         f.inline_ok ? "inline" : "attachment", f.filename));
    laris_resp_header(req, "Cache-Control", "private, max-age=86400");
    /* nginx keeps Content-Type and Content-Disposition across the redirect but not our other
     * headers: the request id rides along as an argument for the internal location. */
    laris_resp_header(req, "X-Accel-Redirect",
                      laris_arena_printf(req->arena, "/_media/%s?rid=%s", f.path, req->request_id));
    return LARIS_OK;
}

/* POST /api/v1/media?filename=&wa_number_id= with the file as the body (Content-Type: its
 * type) -> 201 {id, graph_media_id, type, mime_type, size, sha256, filename, url} */
laris_rc media_create(laris_req_t *req)
{
    laris_media_upload_t in = {
        .mime = req->content_type,
        .filename = laris_req_query(req, "filename"),
        .body = req->body,
        .body_len = req->body_len,
        .body_file = laris_req_env(req, "LARIS_BODY_FILE"),
    };
    const char *number = laris_req_query(req, "wa_number_id");
    if (number) {
        char *end = NULL;
        long long v = strtoll(number, &end, 10);
        if (!*number || *end || v <= 0)
            return laris_err_field(&req->err, "wa_number_id", "must be a number's id");
        in.wa_number_id = v;
    }
    if (in.filename && strlen(in.filename) > 255)
        return laris_err_field(&req->err, "filename", "must be at most 255 bytes");
    json_t *out = NULL;
    laris_rc rc = laris_media_upload(api_ctx(req), &in, &out);
    return api_respond(req, rc, 201, out);
}
