/* Error codes' HTTP status, problem slug and title, and recording error details on a request. */
#include "laris/err.h"

#include <stdarg.h>
#include <string.h>

#define FIELDS_DETAIL "One or more fields are invalid."

int laris_rc_status(laris_rc rc)
{
    switch (rc) {
#define X(name, value, status, slug, title)                                                        \
    case name:                                                                                     \
        return status;
        LARIS_ERROR_TABLE(X)
#undef X
    }
    return 500;
}

const char *laris_rc_slug(laris_rc rc)
{
    switch (rc) {
#define X(name, value, status, slug, title)                                                        \
    case name:                                                                                     \
        return slug;
        LARIS_ERROR_TABLE(X)
#undef X
    }
    return "internal-error";
}

const char *laris_rc_title(laris_rc rc)
{
    switch (rc) {
#define X(name, value, status, slug, title)                                                        \
    case name:                                                                                     \
        return title;
        LARIS_ERROR_TABLE(X)
#undef X
    }
    return "Internal error";
}

void laris_err_init(laris_err_t *e, laris_arena_t *a)
{
    memset(e, 0, sizeof(*e));
    e->arena = a;
    e->code = LARIS_OK;
}

laris_rc laris_err_set(laris_err_t *e, laris_rc code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    e->code = code;
    e->detail = laris_arena_vprintf(e->arena, fmt, ap);
    va_end(ap);
    return code;
}

/* Fields past LARIS_ERR_MAX_FIELDS are dropped: the first ones are enough to act on. */
laris_rc laris_err_field(laris_err_t *e, const char *field, const char *fmt, ...)
{
    e->code = LARIS_EINVALID;
    if (e->detail == NULL)
        e->detail = FIELDS_DETAIL;
    if (e->nfields >= LARIS_ERR_MAX_FIELDS)
        return LARIS_EINVALID;

    va_list ap;
    va_start(ap, fmt);
    laris_field_error_t *f = &e->fields[e->nfields++];
    f->field = laris_arena_strdup(e->arena, field);
    f->message = laris_arena_vprintf(e->arena, fmt, ap);
    va_end(ap);
    return LARIS_EINVALID;
}
