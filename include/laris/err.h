/* Error codes shared by every module, their HTTP status and problem type, and error details. */
#ifndef LARIS_ERR_H
#define LARIS_ERR_H

#include <stddef.h>

#include "laris/arena.h"

/* X(name, value, http status, problem type slug, title) */
#define LARIS_ERROR_TABLE(X)                                                                       \
    X(LARIS_OK, 0, 200, "ok", "OK")                                                                \
    X(LARIS_EMALFORMED, -1, 400, "malformed-request", "Malformed request")                         \
    X(LARIS_EUNAUTHORIZED, -2, 401, "unauthorized", "Authentication required")                     \
    X(LARIS_EFORBIDDEN, -3, 403, "forbidden", "Not allowed")                                       \
    X(LARIS_ENOTFOUND, -4, 404, "not-found", "Not found")                                          \
    X(LARIS_EMETHOD, -5, 405, "method-not-allowed", "Method not allowed")                          \
    X(LARIS_ECONFLICT, -6, 409, "conflict", "Conflict")                                            \
    X(LARIS_ETOOLARGE, -7, 413, "payload-too-large", "Request body too large")                     \
    X(LARIS_EMEDIATYPE, -8, 415, "unsupported-media-type", "Unsupported media type")               \
    X(LARIS_EINVALID, -9, 422, "validation-failed", "Invalid fields")                              \
    X(LARIS_ETHROTTLED, -10, 429, "rate-limited", "Too many requests")                             \
    X(LARIS_EUNAVAILABLE, -11, 503, "service-unavailable", "Service unavailable")                  \
    X(LARIS_EINTERNAL, -12, 500, "internal-error", "Internal error")

/* NOLINTNEXTLINE(bugprone-macro-parentheses): expands to an enumerator list entry */
#define LARIS_ERROR_ENUM(name, value, status, slug, title) name = value,
typedef enum { LARIS_ERROR_TABLE(LARIS_ERROR_ENUM) } laris_rc;
#undef LARIS_ERROR_ENUM

/* Base of every problem type URI; the slug from the table follows it. */
#define LARIS_PROBLEM_BASE "https://laris.id/problems/"

/* The most field errors one problem reports. */
#define LARIS_ERR_MAX_FIELDS 16

typedef struct {
    const char *field;   /* JSON path of the field, e.g. "email" */
    const char *message; /* what is wrong, for the user */
} laris_field_error_t;

/* The details of the error a request ended in. Strings live in the arena. */
typedef struct {
    laris_arena_t *arena;
    laris_rc code;
    const char *detail;   /* a full sentence the user can act on */
    const char *sqlstate; /* when the error came from PostgreSQL */
    int retry_after;      /* seconds, for LARIS_ETHROTTLED and LARIS_EUNAVAILABLE */
    const char *owner;    /* optional extra member for 409 answers (the owning agent) */
    size_t nfields;
    laris_field_error_t fields[LARIS_ERR_MAX_FIELDS];
} laris_err_t;

int laris_rc_status(laris_rc rc);
const char *laris_rc_slug(laris_rc rc);
const char *laris_rc_title(laris_rc rc);

/* Clears e and binds it to arena a. */
void laris_err_init(laris_err_t *e, laris_arena_t *a);

/* Records code and a formatted detail; returns code so callers can `return laris_err_set(..)`. */
laris_rc laris_err_set(laris_err_t *e, laris_rc code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds a field error and makes the code LARIS_EINVALID. Returns LARIS_EINVALID. */
laris_rc laris_err_field(laris_err_t *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
