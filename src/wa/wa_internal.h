/* Shared by the wa module's webhook files: the parser's state and its typed field readers. */
#ifndef LARIS_WA_INTERNAL_H
#define LARIS_WA_INTERNAL_H

#include <jansson.h>

#include "laris/wa.h"

#define WA_PATH_SIZE 192

/* A webhook parse in progress: where results go, where errors go, and the JSON path of the
 * object being read (e.g. "entry[0].changes[1].value"), which error details name. */
typedef struct {
    laris_arena_t *arena;
    laris_err_t *err;
    char path[WA_PATH_SIZE];
    size_t path_len;
} wa_parser_t;

/* Appends ".key" (or "key" at the top), or "key[i]", to the path; returns the length to give
 * wa_pop to undo it. */
size_t wa_push(wa_parser_t *p, const char *key);
size_t wa_push_index(wa_parser_t *p, const char *key, size_t i);
void wa_pop(wa_parser_t *p, size_t old_len);

/* Records "The webhook's <path>.<field> <problem>." as LARIS_EMALFORMED; field may be NULL
 * for the object at the path itself. Returns false so readers can `return wa_fail(...)`. */
bool wa_fail(wa_parser_t *p, const char *field, const char *problem);

/* Typed readers of obj's member key. A missing or null member is fine unless required (then
 * it fails); *out is left as the caller set it. A member of the wrong type always fails.
 * Strings are copied into the arena. */
bool wa_string(wa_parser_t *p, json_t *obj, const char *key, bool required, const char **out);
bool wa_object(wa_parser_t *p, json_t *obj, const char *key, bool required, json_t **out);
bool wa_bool(wa_parser_t *p, json_t *obj, const char *key, bool *out);
bool wa_integer(wa_parser_t *p, json_t *obj, const char *key, bool required, int64_t *out);
bool wa_number(wa_parser_t *p, json_t *obj, const char *key, bool required, double *out);

/* A member that must be an array of objects when present; *n is 0 when it is absent. */
bool wa_array(wa_parser_t *p, json_t *obj, const char *key, bool required, json_t **out, size_t *n);

/* Unix seconds given as a string of digits ("1763800000") or a non-negative integer. */
bool wa_timestamp(wa_parser_t *p, json_t *obj, const char *key, bool required, int64_t *out);

/* An id given as a non-empty string or a non-negative integer, as decimal text. */
bool wa_id(wa_parser_t *p, json_t *obj, const char *key, bool required, const char **out);

/* Reads obj's "errors" array (value, message or status level). */
bool wa_errors(wa_parser_t *p, json_t *obj, size_t *n, const laris_wa_error_t **out);

/* Reads value.messages[] (message.c). */
bool wa_messages(wa_parser_t *p, json_t *value, size_t *n, const laris_wa_message_t **out);

#endif
