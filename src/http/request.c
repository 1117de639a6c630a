/* The request object: FastCGI parameters, path and query parameters, cookies. */
#include <stdlib.h>
#include <string.h>

#include "laris/http.h"

void laris_req_init(laris_req_t *req, laris_arena_t *a)
{
    memset(req, 0, sizeof(*req));
    req->arena = a;
    laris_err_init(&req->err, a);
    req->method = "";
    req->path = "";
    req->query = "";
    req->content_type = "";
    req->remote_addr = "";
    req->request_id = "";
    req->route_pattern = "-";
    req->status = 200;
    laris_buf_init(&req->resp_body, a);
}

const char *laris_req_env(const laris_req_t *req, const char *name)
{
    if (!req->params_env)
        return NULL;
    size_t len = strlen(name);
    for (char **p = req->params_env; *p; p++) {
        if (strncmp(*p, name, len) == 0 && (*p)[len] == '=')
            return *p + len + 1;
    }
    return NULL;
}

const char *laris_req_param(const laris_req_t *req, const char *name)
{
    for (size_t i = 0; i < req->match.nparams; i++) {
        if (strcmp(req->match.params[i].name, name) == 0)
            return req->match.params[i].value;
    }
    return NULL;
}

bool laris_req_param_id(const laris_req_t *req, const char *name, int64_t *out)
{
    const char *s = laris_req_param(req, name);
    if (!s || !*s || strlen(s) > 18)
        return false;
    int64_t value = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        value = value * 10 + (*p - '0');
    }
    if (value <= 0)
        return false;
    *out = value;
    return true;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes len bytes of s ('+' is a space) into the arena. Bad escapes stay as they are;
 * a decoded NUL ends the string. */
static char *url_decode(laris_arena_t *a, const char *s, size_t len)
{
    char *out = laris_arena_alloc(a, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int hi, lo;
        if (s[i] == '+') {
            out[n++] = ' ';
        } else if (s[i] == '%' && i + 2 < len && (hi = hex_value(s[i + 1])) >= 0 &&
                   (lo = hex_value(s[i + 2])) >= 0) {
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = s[i];
        }
    }
    out[n] = '\0';
    return out;
}

const char *laris_req_query(const laris_req_t *req, const char *name)
{
    const char *p = req->query;
    size_t name_len = strlen(name);
    while (p && *p) {
        size_t pair_len = strcspn(p, "&");
        const char *eq = memchr(p, '=', pair_len);
        size_t key_len = eq ? (size_t)(eq - p) : pair_len;
        char *key = url_decode(req->arena, p, key_len);
        if (strlen(key) == name_len && memcmp(key, name, name_len) == 0) {
            if (!eq)
                return "";
            return url_decode(req->arena, eq + 1, pair_len - key_len - 1);
        }
        p += pair_len;
        if (*p == '&')
            p++;
    }
    return NULL;
}

const char *laris_req_cookie(const laris_req_t *req, const char *name)
{
    const char *header = laris_req_env(req, "HTTP_COOKIE");
    size_t name_len = strlen(name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        size_t pair_len = strcspn(p, ";");
        if (pair_len > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
            const char *value = p + name_len + 1;
            size_t value_len = pair_len - name_len - 1;
            if (value_len >= 2 && value[0] == '"' && value[value_len - 1] == '"') {
                value++;
                value_len -= 2;
            }
            return laris_arena_strndup(req->arena, value, value_len);
        }
        p += pair_len;
    }
    return NULL;
}
