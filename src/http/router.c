/* Route matching: patterns compared with the path segment by segment, {name} captures one. */
#include "laris/router.h"

#include <string.h>

#define SEGMENT_MAX 256

typedef struct {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} capture_t;

/* True when path fits pattern; the captures point into both and are not copied yet. A path with
 * an empty segment ("//", a trailing '/') only fits a pattern with the same empty segment. */
static bool match_path(const char *pattern, const char *path, capture_t *caps, size_t *ncaps)
{
    const char *p = pattern, *s = path;
    size_t n = 0;

    if (*p != '/' || *s != '/')
        return false;
    while (*p == '/' && *s == '/') {
        p++;
        s++;
        size_t plen = strcspn(p, "/");
        size_t slen = strcspn(s, "/");
        if (slen > SEGMENT_MAX)
            return false;
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (slen == 0 || n == LARIS_ROUTE_MAX_PARAMS)
                return false;
            caps[n++] = (capture_t){p + 1, plen - 2, s, slen};
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return false;
        }
        p += plen;
        s += slen;
    }
    if (*p != '\0' || *s != '\0')
        return false;
    *ncaps = n;
    return true;
}

/* Adds method to the Allow list of a 405 answer ("GET, PATCH"), once. */
static void add_allowed(laris_route_match_t *out, const char *method)
{
    size_t len = strlen(out->allow), mlen = strlen(method);
    if (strstr(out->allow, method) || len + mlen + 3 > sizeof(out->allow))
        return;
    if (len > 0) {
        memcpy(out->allow + len, ", ", 2);
        len += 2;
    }
    memcpy(out->allow + len, method, mlen + 1);
}

void laris_router_match(const laris_route_t *table, const char *method, const char *path,
                        laris_arena_t *a, laris_route_match_t *out)
{
    out->route = NULL;
    out->path_matched = false;
    out->nparams = 0;
    out->allow[0] = '\0';
    if (table == NULL || method == NULL || path == NULL)
        return;

    for (const laris_route_t *r = table; r->method != NULL; r++) {
        capture_t caps[LARIS_ROUTE_MAX_PARAMS];
        size_t ncaps = 0;
        if (!match_path(r->pattern, path, caps, &ncaps))
            continue;
        if (strcmp(r->method, method) != 0) {
            out->path_matched = true;
            add_allowed(out, r->method);
            continue;
        }
        out->route = r;
        out->nparams = ncaps;
        for (size_t i = 0; i < ncaps; i++) {
            out->params[i].name = laris_arena_strndup(a, caps[i].name, caps[i].name_len);
            out->params[i].value = laris_arena_strndup(a, caps[i].value, caps[i].value_len);
        }
        return;
    }
}
