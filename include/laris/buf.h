/* A growable byte buffer that lives in an arena: for building responses, keys and SQL params. */
#ifndef LARIS_BUF_H
#define LARIS_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "laris/arena.h"

typedef struct {
    laris_arena_t *arena;
    char *data; /* always NUL-terminated when len > 0 or after laris_buf_cstr */
    size_t len;
    size_t cap;
} laris_buf_t;

/* Starts an empty buffer in arena a. */
void laris_buf_init(laris_buf_t *b, laris_arena_t *a);

void laris_buf_append(laris_buf_t *b, const void *data, size_t len);
void laris_buf_puts(laris_buf_t *b, const char *s);
void laris_buf_putc(laris_buf_t *b, char c);
void laris_buf_printf(laris_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The contents as a NUL-terminated string (never NULL; "" when empty). */
const char *laris_buf_cstr(laris_buf_t *b);

#endif
