/* JSON decoding with limits, typed field readers that record field errors, and encoding. */
#ifndef LARIS_JSON_H
#define LARIS_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "laris/arena.h"
#include "laris/err.h"

typedef struct {
    size_t max_depth;   /* nesting of arrays and objects; default 32 */
    size_t max_array;   /* elements in one array; default 1000 */
    size_t max_members; /* members in one object; default 1000 */
    size_t max_string;  /* bytes in one string or key; default 256 KiB */
} laris_json_limits_t;

/* The defaults above. */
extern const laris_json_limits_t laris_json_default_limits;

/* Decodes body (len bytes, need not be NUL-terminated) into *out, owned by the arena.
 * Fails with LARIS_EMALFORMED (syntax error, duplicate keys, NUL in a string, too deep, too many
 * elements or members, too long a string), detail saying where. */
laris_rc laris_json_decode(laris_arena_t *a, const char *body, size_t len,
                           const laris_json_limits_t *limits, json_t **out, laris_err_t *err);

/* Field readers on a JSON object. Each returns true when the field is present and valid.
 * Missing: records "is required" when required, else leaves *out untouched and returns false.
 * Wrong type or out of range: records a field error on err and returns false.
 * Lengths are in characters (Unicode code points), not bytes. */
bool laris_json_string(json_t *obj, const char *field, size_t min_len, size_t max_len,
                       bool required, const char **out, laris_err_t *err);
bool laris_json_int(json_t *obj, const char *field, int64_t min, int64_t max, bool required,
                    int64_t *out, laris_err_t *err);
bool laris_json_bool(json_t *obj, const char *field, bool required, bool *out, laris_err_t *err);

/* Like laris_json_string, and the value must be one of the NULL-terminated choices. */
bool laris_json_enum(json_t *obj, const char *field, const char *const *choices, bool required,
                     const char **out, laris_err_t *err);

/* Number of Unicode code points in valid UTF-8 s. */
size_t laris_utf8_length(const char *s);

/* Encodes v compactly into the arena; *len gets the length (not counting the NUL). */
char *laris_json_encode(laris_arena_t *a, const json_t *v, size_t *len);

/* Makes a jansson value freed with the arena (json_decref deferred) and returns it. */
json_t *laris_json_adopt(laris_arena_t *a, json_t *v);

#endif
