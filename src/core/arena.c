/* Region allocator: blocks chained from a first block that survives resets, plus cleanups.
 *
 * Small requests are bumped out of the current block; a request bigger than the block size gets
 * a block of its own, linked behind the current one so the space left there is still used.
 * Reset runs the deferred cleanups newest first, frees every block but the first and starts
 * bumping from the first block again, so a workload that fits in it never calls malloc twice.
 * The defer records themselves live in the arena. Out of memory or a size that overflows ends
 * the process with a message: callers never see NULL. */
#include "laris/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN     16
#define MIN_BLOCK 256

typedef struct block_s {
    struct block_s *next;
    size_t size; /* usable bytes after the header */
    size_t used;
} block_t;

typedef struct defer_s {
    struct defer_s *next;
    laris_defer_fn fn;
    void *ptr;
} defer_t;

struct laris_arena_s {
    block_t *first;    /* kept across resets */
    block_t *cur;      /* where small allocations are bumped from */
    defer_t *defers;   /* newest first */
    size_t block_size; /* usable bytes of a normal block */
    size_t used;       /* bytes handed out since the last reset */
    size_t reserved;   /* bytes held from malloc */
};

/* The header is padded so a block's data starts 16-aligned (malloc gives at least that). */
#define HEADER_SIZE ((sizeof(block_t) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

_Static_assert(_Alignof(max_align_t) >= ALIGN, "malloc must return 16-aligned memory");

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "laris: arena: %s\n", what);
    abort();
}

static void *xmalloc(size_t size)
{
    void *p = malloc(size);
    if (p == NULL)
        die("out of memory");
    return p;
}

/* Rounds size up to the alignment, aborting on overflow. */
static size_t align_up(size_t size)
{
    if (size > SIZE_MAX - (ALIGN - 1))
        die("allocation size overflows");
    return (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static unsigned char *block_data(block_t *b)
{
    return (unsigned char *)b + HEADER_SIZE;
}

static block_t *block_new(laris_arena_t *a, size_t size)
{
    if (size > SIZE_MAX - HEADER_SIZE)
        die("allocation size overflows");
    block_t *b = xmalloc(HEADER_SIZE + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    a->reserved += HEADER_SIZE + size;
    return b;
}

laris_arena_t *laris_arena_create(size_t block_size)
{
    laris_arena_t *a = xmalloc(sizeof(*a));
    a->block_size = align_up(block_size < MIN_BLOCK ? MIN_BLOCK : block_size);
    a->reserved = sizeof(*a);
    a->used = 0;
    a->defers = NULL;
    a->first = block_new(a, a->block_size);
    a->cur = a->first;
    return a;
}

/* Runs the cleanups newest first; one registered by a cleanup runs too. */
static void run_defers(laris_arena_t *a)
{
    defer_t *d;
    while ((d = a->defers) != NULL) {
        a->defers = d->next;
        d->fn(d->ptr);
    }
}

void laris_arena_destroy(laris_arena_t *a)
{
    if (a == NULL)
        return;
    run_defers(a);
    block_t *b = a->first;
    while (b != NULL) {
        block_t *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void laris_arena_reset(laris_arena_t *a)
{
    run_defers(a);
    block_t *b = a->first->next;
    while (b != NULL) {
        block_t *next = b->next;
        a->reserved -= HEADER_SIZE + b->size;
        free(b);
        b = next;
    }
    a->first->next = NULL;
    a->first->used = 0;
    a->cur = a->first;
    a->used = 0;
}

void *laris_arena_alloc(laris_arena_t *a, size_t size)
{
    size = align_up(size == 0 ? 1 : size);
    a->used += size;

    block_t *cur = a->cur;
    if (cur->size - cur->used >= size) {
        void *p = block_data(cur) + cur->used;
        cur->used += size;
        return p;
    }

    /* A big request gets its own block; the current block stays current. */
    block_t *b = block_new(a, size > a->block_size ? size : a->block_size);
    b->next = cur->next;
    cur->next = b;
    if (size <= a->block_size)
        a->cur = b;
    b->used = size;
    return block_data(b);
}

void *laris_arena_calloc(laris_arena_t *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        die("allocation size overflows");
    void *p = laris_arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

char *laris_arena_strdup(laris_arena_t *a, const char *s)
{
    return laris_arena_strndup(a, s, strlen(s));
}

char *laris_arena_strndup(laris_arena_t *a, const char *s, size_t len)
{
    len = strnlen(s, len);
    if (len == SIZE_MAX)
        die("allocation size overflows");
    char *p = laris_arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *laris_arena_printf(laris_arena_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = laris_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}

/* Formats straight into the free space of the current block when it fits, else measures and
 * allocates exactly. */
char *laris_arena_vprintf(laris_arena_t *a, const char *fmt, va_list ap)
{
    block_t *cur = a->cur;
    char *dst = (char *)block_data(cur) + cur->used;
    size_t room = cur->size - cur->used;

    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(dst, room, fmt, copy);
    va_end(copy);
    if (n < 0)
        die("invalid format");

    /* When it fitted, room is a multiple of 16 so the allocation claims exactly dst. */
    size_t len = (size_t)n;
    char *p = laris_arena_alloc(a, len + 1);
    if (p != dst)
        vsnprintf(p, len + 1, fmt, ap);
    return p;
}

void laris_arena_defer(laris_arena_t *a, laris_defer_fn fn, void *ptr)
{
    if (ptr == NULL)
        return;
    defer_t *d = laris_arena_alloc(a, sizeof(*d));
    d->fn = fn;
    d->ptr = ptr;
    d->next = a->defers;
    a->defers = d;
}

size_t laris_arena_used(const laris_arena_t *a)
{
    return a->used;
}

size_t laris_arena_reserved(const laris_arena_t *a)
{
    return a->reserved;
}
