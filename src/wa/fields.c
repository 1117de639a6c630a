/* Typed readers for webhook members: they copy into the arena and name the path on failure. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "wa_internal.h"

#define TIMESTAMP_DIGITS_MAX 18 /* fits int64_t with room to spare */

/* Appends s to the path, cutting it short when full (the detail then ends early). */
static void path_append(wa_parser_t *p, const char *s, size_t n)
{
    size_t room = WA_PATH_SIZE - 1 - p->path_len;
    if (n > room)
        n = room;
    memcpy(p->path + p->path_len, s, n);
    p->path_len += n;
    p->path[p->path_len] = '\0';
}

size_t wa_push(wa_parser_t *p, const char *key)
{
    size_t old = p->path_len;
    if (p->path_len > 0)
        path_append(p, ".", 1);
    path_append(p, key, strlen(key));
    return old;
}

size_t wa_push_index(wa_parser_t *p, const char *key, size_t i)
{
    size_t old = wa_push(p, key);
    char idx[32];
    int n = snprintf(idx, sizeof(idx), "[%zu]", i);
    if (n > 0)
        path_append(p, idx, (size_t)n);
    return old;
}

void wa_pop(wa_parser_t *p, size_t old_len)
{
    p->path_len = old_len;
    p->path[old_len] = '\0';
}

bool wa_fail(wa_parser_t *p, const char *field, const char *problem)
{
    if (p->path_len == 0 && field == NULL)
        laris_err_set(p->err, LARIS_EMALFORMED, "The webhook body %s.", problem);
    else
        laris_err_set(p->err, LARIS_EMALFORMED, "Webhook member %s%s%s %s.", p->path,
                      p->path_len > 0 && field != NULL ? "." : "", field != NULL ? field : "",
                      problem);
    return false;
}

/* The member, or NULL when missing or null; records "is required" when it must be there. */
static json_t *member(wa_parser_t *p, json_t *obj, const char *key, bool required, bool *ok)
{
    json_t *v = json_object_get(obj, key);
    *ok = true;
    if (v == NULL || json_is_null(v)) {
        if (required)
            *ok = wa_fail(p, key, "is required");
        return NULL;
    }
    return v;
}

bool wa_string(wa_parser_t *p, json_t *obj, const char *key, bool required, const char **out)
{
    bool ok;
    json_t *v = member(p, obj, key, required, &ok);
    if (v == NULL)
        return ok;
    if (!json_is_string(v))
        return wa_fail(p, key, "must be a string");
    if (required && json_string_length(v) == 0)
        return wa_fail(p, key, "must not be empty");
    *out = laris_arena_strndup(p->arena, json_string_value(v), json_string_length(v));
    return true;
}

bool wa_object(wa_parser_t *p, json_t *obj, const char *key, bool required, json_t **out)
{
    bool ok;
    json_t *v = member(p, obj, key, required, &ok);
    if (v == NULL)
        return ok;
    if (!json_is_object(v))
        return wa_fail(p, key, "must be an object");
    *out = v;
    return true;
}

bool wa_bool(wa_parser_t *p, json_t *obj, const char *key, bool *out)
{
    bool ok;
    json_t *v = member(p, obj, key, false, &ok);
    if (v == NULL)
        return ok;
    if (!json_is_boolean(v))
        return wa_fail(p, key, "must be true or false");
    *out = json_is_true(v);
    return true;
}

bool wa_integer(wa_parser_t *p, json_t *obj, const char *key, bool required, int64_t *out)
{
    bool ok;
    json_t *v = member(p, obj, key, required, &ok);
    if (v == NULL)
        return ok;
    if (!json_is_integer(v))
        return wa_fail(p, key, "must be an integer");
    *out = (int64_t)json_integer_value(v);
    return true;
}

bool wa_number(wa_parser_t *p, json_t *obj, const char *key, bool required, double *out)
{
    bool ok;
    json_t *v = member(p, obj, key, required, &ok);
    if (v == NULL)
        return ok;
    if (!json_is_number(v))
        return wa_fail(p, key, "must be a number");
    *out = json_number_value(v);
    return true;
}

bool wa_array(wa_parser_t *p, json_t *obj, const char *key, bool required, json_t **out, size_t *n)
{
    bool ok;
    *n = 0;
    json_t *v = member(p, obj, key, required, &ok);
    if (v == NULL)
        return ok;
    if (!json_is_array(v))
        return wa_fail(p, key, "must be an array");
    for (size_t i = 0; i < json_array_size(v); i++) {
        if (!json_is_object(json_array_get(v, i))) {
            wa_push_index(p, key, i);
            return wa_fail(p, NULL, "must be an object");
        }
    }
    *out = v;
    *n = json_array_size(v);
    return true;
}

bool wa_timestamp(wa_parser_t *p, json_t *obj, const char *key, bool required, int64_t *out)
{
    bool ok;
    json_t *v = member(p, obj, key, required, &ok);
    if (v == NULL)
        return ok;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (int64_t)json_integer_value(v);
        return true;
    }
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    size_t len = json_is_string(v) ? json_string_length(v) : 0;
    if (len == 0 || len > TIMESTAMP_DIGITS_MAX)
        return wa_fail(p, key, "must be Unix seconds");
    int64_t t = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return wa_fail(p, key, "must be Unix seconds");
        t = t * 10 + (s[i] - '0');
    }
    *out = t;
    return true;
}

bool wa_id(wa_parser_t *p, json_t *obj, const char *key, bool required, const char **out)
{
    bool ok;
    json_t *v = member(p, obj, key, required, &ok);
    if (v == NULL)
        return ok;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = laris_arena_printf(p->arena, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return true;
    }
    if (!json_is_string(v) || json_string_length(v) == 0)
        return wa_fail(p, key, "must be a non-empty string or a number");
    *out = laris_arena_strndup(p->arena, json_string_value(v), json_string_length(v));
    return true;
}

/* One error object: code is required, the texts are optional. */
static bool read_error(wa_parser_t *p, json_t *obj, laris_wa_error_t *e)
{
    json_t *data = NULL;
    if (!wa_integer(p, obj, "code", true, &e->code) ||
        !wa_string(p, obj, "title", false, &e->title) ||
        !wa_string(p, obj, "message", false, &e->message) ||
        !wa_string(p, obj, "href", false, &e->href) ||
        !wa_object(p, obj, "error_data", false, &data))
        return false;
    if (data == NULL)
        return true;
    size_t old = wa_push(p, "error_data");
    if (!wa_string(p, data, "details", false, &e->details))
        return false;
    wa_pop(p, old);
    return true;
}

bool wa_errors(wa_parser_t *p, json_t *obj, size_t *n, const laris_wa_error_t **out)
{
    json_t *arr = NULL;
    if (!wa_array(p, obj, "errors", false, &arr, n))
        return false;
    if (*n == 0)
        return true;
    laris_wa_error_t *errors = LARIS_ARRAY(p->arena, laris_wa_error_t, *n);
    for (size_t i = 0; i < *n; i++) {
        size_t old = wa_push_index(p, "errors", i);
        if (!read_error(p, json_array_get(arr, i), &errors[i]))
            return false;
        wa_pop(p, old);
    }
    *out = errors;
    return true;
}
