/* Test helpers for the wa module: reading the shared fixtures exactly, byte for byte. */
#include "fixtures.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "laris/json.h"

#define MANIFEST "manifest.json"

static char *path_of(laris_arena_t *a, const char *file)
{
    return laris_arena_printf(a, "%s/%s", LARIS_FIXTURES_DIR, file);
}

/* Reads a whole file into a malloc'ed buffer; NULL on any failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *data = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        data = malloc((size_t)size + 1);
        if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size) {
            free(data);
            data = NULL;
        }
    }
    fclose(f);
    if (data != NULL) {
        data[size] = '\0';
        *len = (size_t)size;
    }
    return data;
}

size_t wa_fixture_names(wa_fixture_case_t *cases, size_t max)
{
    json_error_t je;
    json_t *manifest = json_load_file(LARIS_FIXTURES_DIR "/" MANIFEST, 0, &je);
    json_t *fixtures = json_object_get(manifest, "fixtures");
    size_t n = 0;
    const char *name;
    json_t *entry;
    json_object_foreach(fixtures, name, entry)
    {
        if (n >= max)
            break;
        snprintf(cases[n].name, sizeof(cases[n].name), "%s", name);
        n++;
    }
    json_decref(manifest);
    return n;
}

json_t *wa_fixture_manifest(laris_arena_t *a)
{
    json_error_t je;
    json_t *manifest = json_load_file(LARIS_FIXTURES_DIR "/" MANIFEST, 0, &je);
    cr_assert_not_null(manifest, "cannot read %s/%s: %s", LARIS_FIXTURES_DIR, MANIFEST, je.text);
    return laris_json_adopt(a, manifest);
}

json_t *wa_fixture_entry(laris_arena_t *a, const char *name)
{
    json_t *entry = json_object_get(json_object_get(wa_fixture_manifest(a), "fixtures"), name);
    cr_assert(json_is_object(entry), "no fixture %s in the manifest", name);
    return entry;
}

char *wa_fixture_read(laris_arena_t *a, const char *file, size_t *len)
{
    char *path = path_of(a, file);
    char *data = slurp(path, len);
    cr_assert_not_null(data, "cannot read %s", path);
    char *copy = laris_arena_alloc(a, *len + 1);
    memcpy(copy, data, *len + 1);
    free(data);
    return copy;
}

const laris_wa_webhook_t *wa_fixture_parse(laris_arena_t *a, const char *name)
{
    json_t *entry = wa_fixture_entry(a, name);
    const char *file = json_string_value(json_object_get(entry, "file"));
    cr_assert_not_null(file, "fixture %s has no file", name);
    size_t len;
    char *body = wa_fixture_read(a, file, &len);

    laris_err_t err;
    laris_err_init(&err, a);
    json_t *root = NULL;
    laris_wa_webhook_t *w = NULL;
    cr_assert_eq(laris_json_decode(a, body, len, NULL, &root, &err), LARIS_OK, "%s: %s", file,
                 err.detail);
    cr_assert_eq(laris_wa_webhook_parse(a, root, &w, &err), LARIS_OK, "%s: %s", file, err.detail);
    cr_assert_not_null(w);
    return w;
}

void wa_assert_refused(laris_arena_t *a, const struct wa_refusal_case *c)
{
    laris_err_t err;
    laris_err_init(&err, a);
    json_t *root = NULL;
    laris_wa_webhook_t *w = (laris_wa_webhook_t *)&err; /* must be reset to NULL */
    cr_assert_eq(laris_json_decode(a, c->body, strlen(c->body), NULL, &root, &err), LARIS_OK,
                 "%s: %s", c->body, err.detail);
    cr_assert_eq(laris_wa_webhook_parse(a, root, &w, &err), LARIS_EMALFORMED, "%s", c->body);
    cr_assert_null(w);
    cr_assert_eq(err.code, LARIS_EMALFORMED);
    cr_assert_not_null(strstr(err.detail, c->detail), "detail \"%s\" lacks \"%s\"", err.detail,
                       c->detail);
}

const laris_wa_webhook_t *wa_parse_text(laris_arena_t *a, const char *body)
{
    laris_err_t err;
    laris_err_init(&err, a);
    json_t *root = NULL;
    laris_wa_webhook_t *w = NULL;
    cr_assert_eq(laris_json_decode(a, body, strlen(body), NULL, &root, &err), LARIS_OK, "%s",
                 err.detail);
    cr_assert_eq(laris_wa_webhook_parse(a, root, &w, &err), LARIS_OK, "%s", err.detail);
    return w;
}
