/* Growable byte buffer in an arena: capacity doubles, old copies stay until the arena resets. */
#include "laris/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_CAP 64

void laris_buf_init(laris_buf_t *b, laris_arena_t *a)
{
    b->arena = a;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

/* Makes room for extra more bytes plus the NUL. */
static void reserve(laris_buf_t *b, size_t extra)
{
    if (extra > SIZE_MAX - 1 - b->len) {
        fputs("laris: buf: size overflows\n", stderr);
        abort();
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap == 0 ? INITIAL_CAP : b->cap;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = laris_arena_alloc(b->arena, cap);
    if (b->len > 0)
        memcpy(data, b->data, b->len);
    data[b->len] = '\0';
    b->data = data;
    b->cap = cap;
}

void laris_buf_append(laris_buf_t *b, const void *data, size_t len)
{
    if (len == 0)
        return;
    reserve(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void laris_buf_puts(laris_buf_t *b, const char *s)
{
    laris_buf_append(b, s, strlen(s));
}

void laris_buf_putc(laris_buf_t *b, char c)
{
    laris_buf_append(b, &c, 1);
}

void laris_buf_printf(laris_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int n = vsnprintf(room > 0 ? b->data + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fputs("laris: buf: invalid format\n", stderr);
        abort();
    }
    size_t len = (size_t)n;
    if (len >= room) {
        reserve(b, len);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, len + 1, fmt, ap);
        va_end(ap);
    }
    b->len += len;
}

const char *laris_buf_cstr(laris_buf_t *b)
{
    return b->data != NULL ? b->data : "";
}
