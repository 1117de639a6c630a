/* Keeps src/api/openapi.yaml true: every route in the table is documented and every documented
 * operation has a route. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api_internal.h"

#define MAX_OPS 256

typedef struct {
    char method[8];
    char path[128];
} operation_t;

/* Reads the operations under "paths:": a path is a key indented by 2 spaces, an operation a
 * get/post/put/patch/delete key indented by 4 under it. */
static size_t read_operations(operation_t *ops)
{
    FILE *f = fopen(LARIS_SOURCE_DIR "/src/api/openapi.yaml", "r");
    cr_assert_not_null(f, "cannot open openapi.yaml");
    char line[512], path[128] = "";
    bool in_paths = false;
    size_t n = 0;
    static const char *const methods[] = {"get", "post", "put", "patch", "delete"};
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "paths:", 6) == 0) {
            in_paths = true;
            continue;
        }
        if (!in_paths || line[0] == '#')
            continue;
        if (line[0] != ' ' && line[0] != '\n')
            in_paths = false; /* another top-level key */
        else if (strncmp(line, "  /", 3) == 0) {
            size_t len = strcspn(line + 2, ":");
            cr_assert_lt(len, sizeof(path));
            memcpy(path, line + 2, len);
            path[len] = '\0';
        } else if (strncmp(line, "    ", 4) == 0 && line[4] != ' ') {
            for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
                size_t mlen = strlen(methods[m]);
                if (strncmp(line + 4, methods[m], mlen) == 0 && line[4 + mlen] == ':') {
                    cr_assert_lt(n, MAX_OPS);
                    for (size_t i = 0; i <= mlen; i++)
                        ops[n].method[i] = (char)toupper((unsigned char)methods[m][i]);
                    snprintf(ops[n].path, sizeof(ops[n].path), "%s", path);
                    n++;
                }
            }
        }
    }
    fclose(f);
    return n;
}

static bool documented(const operation_t *ops, size_t n, const char *method, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ops[i].method, method) == 0 && strcmp(ops[i].path, path) == 0)
            return true;
    return false;
}

Test(openapi, every_route_is_documented)
{
    static operation_t ops[MAX_OPS];
    size_t n = read_operations(ops);
    cr_assert_gt(n, 10, "found only %zu operations in openapi.yaml", n);
    for (const laris_route_t *r = api_routes; r->method; r++)
        cr_expect(documented(ops, n, r->method, r->pattern), "%s %s is not in openapi.yaml",
                  r->method, r->pattern);
}

Test(openapi, every_documented_operation_has_a_route)
{
    static operation_t ops[MAX_OPS];
    size_t n = read_operations(ops);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (const laris_route_t *r = api_routes; r->method && !found; r++)
            found = strcmp(r->method, ops[i].method) == 0 && strcmp(r->pattern, ops[i].path) == 0;
        cr_expect(found, "%s %s is documented but has no route", ops[i].method, ops[i].path);
    }
}
