/* Per-request memory: a region allocator with deferred cleanups, reset after every request. */
#ifndef LARIS_ARENA_H
#define LARIS_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct laris_arena_s laris_arena_t;

/* A cleanup run by laris_arena_reset/destroy, last registered first. */
typedef void (*laris_defer_fn)(void *ptr);

/* Creates an arena whose blocks are at least block_size bytes. Never returns NULL: out of
 * memory ends the process (the prefork master starts a new worker). */
laris_arena_t *laris_arena_create(size_t block_size);

/* Runs the deferred cleanups and frees every block. NULL is allowed. */
void laris_arena_destroy(laris_arena_t *a);

/* Runs the deferred cleanups (newest first) and makes all memory reusable. Keeps the first
 * block so a steady workload allocates nothing from malloc; larger blocks are freed. */
void laris_arena_reset(laris_arena_t *a);

/* Returns size bytes aligned to 16, valid until the next reset. Never NULL. */
void *laris_arena_alloc(laris_arena_t *a, size_t size);

/* Like laris_arena_alloc, zero-filled. Aborts when n * size overflows. */
void *laris_arena_calloc(laris_arena_t *a, size_t n, size_t size);

/* Copies a NUL-terminated string (or its first len bytes) into the arena. */
char *laris_arena_strdup(laris_arena_t *a, const char *s);
char *laris_arena_strndup(laris_arena_t *a, const char *s, size_t len);

/* printf into the arena. */
char *laris_arena_printf(laris_arena_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *laris_arena_vprintf(laris_arena_t *a, const char *fmt, va_list ap);

/* Registers fn(ptr) to run at the next reset or destroy; for PGresult, jansson trees and the
 * like. ptr may be NULL, in which case nothing is registered. */
void laris_arena_defer(laris_arena_t *a, laris_defer_fn fn, void *ptr);

/* Bytes handed out since the last reset (for tests and metrics). */
size_t laris_arena_used(const laris_arena_t *a);

/* Bytes held from malloc, blocks and bookkeeping included (for tests and metrics). */
size_t laris_arena_reserved(const laris_arena_t *a);

#define LARIS_NEW(a, type)      ((type *)laris_arena_calloc((a), 1, sizeof(type)))
#define LARIS_ARRAY(a, type, n) ((type *)laris_arena_calloc((a), (n), sizeof(type)))

#endif
