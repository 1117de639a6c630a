/* JSON bodies: decoding under limits, typed field readers that record field errors, encoding.
 *
 * Decoding is three passes: a byte scan refuses deep nesting before jansson builds anything,
 * jansson parses (rejecting duplicate keys and \u0000), and a walk of the tree checks sizes.
 * Decoded trees and the strings the field readers return belong to the arena. */
#include "laris/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "laris/buf.h"

#define PATH_SIZE    160
#define PATH_KEY_MAX 40 /* bytes of one key shown in a path */

const laris_json_limits_t laris_json_default_limits = {
    .max_depth = 32,
    .max_array = 1000,
    .max_members = 1000,
    .max_string = 256 * 1024,
};

/* Largest nesting of arrays and objects in the raw bytes, stopping once it passes max. */
static size_t scan_depth(const char *body, size_t len, size_t max)
{
    size_t depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < len; i++) {
        char c = body[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest) {
                deepest = depth;
                if (deepest > max)
                    break;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return deepest;
}

/* What went wrong, in words, from jansson's error code. */
static const char *syntax_reason(const json_error_t *je)
{
    switch (json_error_code(je)) {
    case json_error_premature_end_of_input:
        return "unexpected end of input";
    case json_error_end_of_input_expected:
        return "unexpected data after the value";
    case json_error_invalid_utf8:
        return "invalid UTF-8";
    case json_error_null_character:
        return "a string contains \\u0000";
    case json_error_duplicate_key:
        return "duplicate key";
    case json_error_numeric_overflow:
        return "number out of range";
    case json_error_stack_overflow:
        return "nesting too deep";
    default:
        return "unexpected token";
    }
}

/* The location shown in limit errors: "items[3].name", or "the top level". */
typedef struct {
    char text[PATH_SIZE];
    size_t len;
} path_t;

/* Appends to the path, cutting between UTF-8 characters when it is full; returns the old end. */
static size_t path_push(path_t *p, const char *s, size_t n)
{
    size_t old = p->len;
    size_t room = PATH_SIZE - 1 - p->len;
    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(p->text + p->len, s, n);
    p->len += n;
    p->text[p->len] = '\0';
    return old;
}

static void path_pop(path_t *p, size_t old)
{
    p->len = old;
    p->text[old] = '\0';
}

static const char *path_where(const path_t *p)
{
    return p->len > 0 ? p->text : "the top level";
}

/* Checks array, member and string limits under v; records the first violation on err. */
static bool walk(const json_t *v, const laris_json_limits_t *lim, path_t *path, laris_err_t *err)
{
    if (json_is_string(v)) {
        if (json_string_length(v) > lim->max_string) {
            laris_err_set(err, LARIS_EMALFORMED, "A string is longer than %zu bytes (at %s).",
                          lim->max_string, path_where(path));
            return false;
        }
    } else if (json_is_array(v)) {
        if (json_array_size(v) > lim->max_array) {
            laris_err_set(err, LARIS_EMALFORMED, "An array has more than %zu elements (at %s).",
                          lim->max_array, path_where(path));
            return false;
        }
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            char idx[32];
            int n = snprintf(idx, sizeof(idx), "[%zu]", i);
            size_t old = path_push(path, idx, (size_t)n);
            bool ok = walk(item, lim, path, err);
            path_pop(path, old);
            if (!ok)
                return false;
        }
    } else if (json_is_object(v)) {
        if (json_object_size(v) > lim->max_members) {
            laris_err_set(err, LARIS_EMALFORMED, "An object has more than %zu members (at %s).",
                          lim->max_members, path_where(path));
            return false;
        }
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)v, key, member)
        {
            size_t klen = strlen(key);
            if (klen > lim->max_string) {
                laris_err_set(err, LARIS_EMALFORMED, "A key is longer than %zu bytes (at %s).",
                              lim->max_string, path_where(path));
                return false;
            }
            size_t old = path->len > 0 ? path_push(path, ".", 1) : path->len;
            path_push(path, key, klen > PATH_KEY_MAX ? PATH_KEY_MAX : klen);
            bool ok = walk(member, lim, path, err);
            path_pop(path, old);
            if (!ok)
                return false;
        }
    }
    return true;
}

static void decref(void *v)
{
    json_decref(v);
}

json_t *laris_json_adopt(laris_arena_t *a, json_t *v)
{
    laris_arena_defer(a, decref, v);
    return v;
}

laris_rc laris_json_decode(laris_arena_t *a, const char *body, size_t len,
                           const laris_json_limits_t *limits, json_t **out, laris_err_t *err)
{
    const laris_json_limits_t *lim = limits != NULL ? limits : &laris_json_default_limits;
    *out = NULL;

    if (scan_depth(body, len, lim->max_depth) > lim->max_depth)
        return laris_err_set(err, LARIS_EMALFORMED, "Nesting is deeper than %zu levels.",
                             lim->max_depth);

    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (root == NULL)
        return laris_err_set(err, LARIS_EMALFORMED,
                             "The body is not valid JSON: %s at line %d, column %d.",
                             syntax_reason(&je), je.line, je.column);
    laris_json_adopt(a, root);

    path_t path = {.len = 0};
    path.text[0] = '\0';
    if (!walk(root, lim, &path, err))
        return LARIS_EMALFORMED;
    *out = root;
    return LARIS_OK;
}

size_t laris_utf8_length(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p & 0xC0) != 0x80)
            n++;
    }
    return n;
}

/* The field's value, or NULL when it is missing or null ("is required" recorded if required). */
static json_t *field_value(json_t *obj, const char *field, bool required, laris_err_t *err)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, field) : NULL;
    if (v == NULL || json_is_null(v)) {
        if (required)
            laris_err_field(err, field, "is required");
        return NULL;
    }
    return v;
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

bool laris_json_string(json_t *obj, const char *field, size_t min_len, size_t max_len,
                       bool required, const char **out, laris_err_t *err)
{
    json_t *v = field_value(obj, field, required, err);
    if (v == NULL)
        return false;
    if (!json_is_string(v)) {
        laris_err_field(err, field, "must be a string");
        return false;
    }
    const char *s = json_string_value(v);
    size_t n = laris_utf8_length(s);
    if (n < min_len) {
        laris_err_field(err, field, "must be at least %zu character%s", min_len, plural(min_len));
        return false;
    }
    if (n > max_len) {
        laris_err_field(err, field, "must be at most %zu character%s", max_len, plural(max_len));
        return false;
    }
    *out = s;
    return true;
}

bool laris_json_int(json_t *obj, const char *field, int64_t min, int64_t max, bool required,
                    int64_t *out, laris_err_t *err)
{
    json_t *v = field_value(obj, field, required, err);
    if (v == NULL)
        return false;
    if (!json_is_integer(v)) {
        laris_err_field(err, field, "must be an integer");
        return false;
    }
    int64_t n = (int64_t)json_integer_value(v);
    if (n < min || n > max) {
        if (min == INT64_MIN)
            laris_err_field(err, field, "must be at most %" PRId64, max);
        else if (max == INT64_MAX)
            laris_err_field(err, field, "must be at least %" PRId64, min);
        else
            laris_err_field(err, field, "must be between %" PRId64 " and %" PRId64, min, max);
        return false;
    }
    *out = n;
    return true;
}

bool laris_json_bool(json_t *obj, const char *field, bool required, bool *out, laris_err_t *err)
{
    json_t *v = field_value(obj, field, required, err);
    if (v == NULL)
        return false;
    if (!json_is_boolean(v)) {
        laris_err_field(err, field, "must be true or false");
        return false;
    }
    *out = json_is_true(v);
    return true;
}

bool laris_json_enum(json_t *obj, const char *field, const char *const *choices, bool required,
                     const char **out, laris_err_t *err)
{
    json_t *v = field_value(obj, field, required, err);
    if (v == NULL)
        return false;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        for (size_t i = 0; choices[i] != NULL; i++) {
            if (strcmp(s, choices[i]) == 0) {
                *out = choices[i];
                return true;
            }
        }
    }
    laris_buf_t list;
    laris_buf_init(&list, err->arena);
    for (size_t i = 0; choices[i] != NULL; i++) {
        if (i > 0)
            laris_buf_puts(&list, ", ");
        laris_buf_puts(&list, choices[i]);
    }
    laris_err_field(err, field, "must be one of: %s", laris_buf_cstr(&list));
    return false;
}

char *laris_json_encode(laris_arena_t *a, const json_t *v, size_t *len)
{
    const size_t flags = JSON_COMPACT | JSON_ENCODE_ANY;
    size_t n = v != NULL ? json_dumpb(v, NULL, 0, flags) : 0;
    if (len != NULL)
        *len = 0;
    if (n == 0)
        return NULL;
    char *s = laris_arena_alloc(a, n + 1);
    if (json_dumpb(v, s, n, flags) != n)
        return NULL;
    s[n] = '\0';
    if (len != NULL)
        *len = n;
    return s;
}
