/* Unit tests for src/core/arena.c: alignment, growth, big blocks, cleanups, reuse on reset. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "laris/arena.h"

#define BLOCK 4096

static laris_arena_t *arena;

static void setup(void)
{
    arena = laris_arena_create(BLOCK);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(arena, .init = setup, .fini = teardown);

Test(arena, allocations_are_16_aligned)
{
    static const size_t sizes[] = {1, 3, 7, 15, 16, 17, 31, 33, 100, 1000, 5000, 0};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        void *p = laris_arena_alloc(arena, sizes[i]);
        cr_assert_not_null(p);
        cr_assert_eq((uintptr_t)p % 16, 0, "size %zu gave %p", sizes[i], p);
    }
}

Test(arena, allocations_do_not_overlap)
{
    unsigned char *p[64];
    for (int i = 0; i < 64; i++) {
        p[i] = laris_arena_alloc(arena, 100);
        memset(p[i], i, 100);
    }
    for (int i = 0; i < 64; i++) {
        for (int j = 0; j < 100; j++)
            cr_assert_eq(p[i][j], i, "allocation %d was overwritten", i);
    }
}

Test(arena, used_counts_aligned_bytes)
{
    cr_assert_eq(laris_arena_used(arena), 0);
    laris_arena_alloc(arena, 1);
    laris_arena_alloc(arena, 20);
    cr_assert_eq(laris_arena_used(arena), 16 + 32);
}

Test(arena, grows_by_new_blocks)
{
    size_t before = laris_arena_reserved(arena);
    for (int i = 0; i < 10; i++)
        memset(laris_arena_alloc(arena, 1000), 0xAB, 1000);
    cr_assert_gt(laris_arena_reserved(arena), before);
    cr_assert_geq(laris_arena_used(arena), 10 * 1000);
}

Test(arena, big_allocation_gets_its_own_block)
{
    unsigned char *small = laris_arena_alloc(arena, 32);
    size_t before = laris_arena_reserved(arena);
    unsigned char *big = laris_arena_alloc(arena, 10 * BLOCK);
    memset(big, 0x5A, 10 * BLOCK);
    cr_assert_geq(laris_arena_reserved(arena) - before, (size_t)10 * BLOCK);
    cr_assert_lt(laris_arena_reserved(arena) - before, (size_t)11 * BLOCK,
                 "a big allocation should not get a block bigger than it needs");

    /* The block that was current stays current: the next small one comes right after small. */
    unsigned char *next = laris_arena_alloc(arena, 32);
    cr_assert_eq(next, small + 32);
}

Test(arena, calloc_zeroes)
{
    unsigned char *p = laris_arena_alloc(arena, 256);
    memset(p, 0xFF, 256);
    laris_arena_reset(arena);
    unsigned char *z = laris_arena_calloc(arena, 16, 16);
    for (int i = 0; i < 256; i++)
        cr_assert_eq(z[i], 0);
}

Test(arena, calloc_overflow_aborts, .signal = SIGABRT)
{
    laris_arena_calloc(arena, SIZE_MAX / 2, 4);
}

Test(arena, huge_alloc_aborts, .signal = SIGABRT)
{
    laris_arena_alloc(arena, SIZE_MAX - 4);
}

Test(arena, new_and_array_macros)
{
    struct point {
        int x, y;
    };
    struct point *pt = LARIS_NEW(arena, struct point);
    cr_assert_eq(pt->x, 0);
    cr_assert_eq(pt->y, 0);
    int *xs = LARIS_ARRAY(arena, int, 50);
    for (int i = 0; i < 50; i++)
        cr_assert_eq(xs[i], 0);
}

Test(arena, strdup_and_strndup)
{
    const char *src = "Tökö Laris";
    char *a = laris_arena_strdup(arena, src);
    cr_assert_str_eq(a, src);
    cr_assert_neq(a, src);
    cr_assert_str_eq(laris_arena_strndup(arena, src, 3), "Tö"); /* ö is 2 bytes */
    cr_assert_str_eq(laris_arena_strndup(arena, "ab", 10), "ab");
    cr_assert_str_eq(laris_arena_strndup(arena, "abc", 0), "");
}

Test(arena, printf_formats)
{
    cr_assert_str_eq(laris_arena_printf(arena, "%s-%d-%05.1f", "x", 42, 3.14159), "x-42-003.1");
    cr_assert_str_eq(laris_arena_printf(arena, "%s", ""), "");
}

Test(arena, printf_longer_than_the_room_left)
{
    laris_arena_alloc(arena, BLOCK - 32); /* leaves 32 bytes in the first block */
    char longer[3000];
    memset(longer, 'q', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    char *s = laris_arena_printf(arena, "<%s>", longer);
    cr_assert_eq(strlen(s), sizeof(longer) + 1);
    cr_assert_eq(s[0], '<');
    cr_assert_eq(s[sizeof(longer)], '>');

    char *huge = laris_arena_printf(arena, "%*s", 3 * BLOCK, "!");
    cr_assert_eq(strlen(huge), (size_t)3 * BLOCK);
    cr_assert_eq(huge[3 * BLOCK - 1], '!');
}

Test(arena, printf_then_alloc_does_not_overlap)
{
    char *s = laris_arena_printf(arena, "%s", "hello");
    char *t = laris_arena_alloc(arena, 16);
    memset(t, 'x', 16);
    cr_assert_str_eq(s, "hello");
}

static int order[8];
static int norder;

static void record(void *p)
{
    order[norder++] = *(int *)p;
}

Test(arena, defers_run_newest_first_on_reset)
{
    static int ids[] = {1, 2, 3};
    norder = 0;
    for (int i = 0; i < 3; i++)
        laris_arena_defer(arena, record, &ids[i]);
    laris_arena_defer(arena, record, NULL); /* NULL registers nothing */
    laris_arena_reset(arena);
    cr_assert_eq(norder, 3);
    cr_assert_eq(order[0], 3);
    cr_assert_eq(order[1], 2);
    cr_assert_eq(order[2], 1);

    laris_arena_reset(arena); /* cleanups ran once and are gone */
    cr_assert_eq(norder, 3);
}

Test(arena, defers_run_on_destroy)
{
    static int ids[] = {7, 8};
    norder = 0;
    laris_arena_t *a = laris_arena_create(BLOCK);
    laris_arena_defer(a, record, &ids[0]);
    laris_arena_defer(a, record, &ids[1]);
    laris_arena_destroy(a);
    cr_assert_eq(norder, 2);
    cr_assert_eq(order[0], 8);
    cr_assert_eq(order[1], 7);
}

Test(arena, destroy_null_is_allowed)
{
    laris_arena_destroy(NULL);
}

Test(arena, reset_keeps_first_block)
{
    size_t initial = laris_arena_reserved(arena);
    void *first = laris_arena_alloc(arena, 64);
    laris_arena_alloc(arena, 10 * BLOCK);
    for (int i = 0; i < 20; i++)
        laris_arena_alloc(arena, 1000);
    cr_assert_gt(laris_arena_reserved(arena), initial);

    laris_arena_reset(arena);
    cr_assert_eq(laris_arena_reserved(arena), initial);
    cr_assert_eq(laris_arena_used(arena), 0);
    cr_assert_eq(laris_arena_alloc(arena, 64), first, "the first block should be reused");
}

static int cleanups;

static void count_cleanup(void *p)
{
    (void)p;
    cleanups++;
}

/* One request's worth of allocations: small objects, strings, a big buffer, cleanups. */
static void workload(laris_arena_t *a, int round)
{
    static int token;
    for (int i = 0; i < 40; i++) {
        char *s = laris_arena_printf(a, "row %d of round %d", i, round);
        cr_assert_not_null(s);
        laris_arena_calloc(a, 3, 40);
        laris_arena_defer(a, count_cleanup, &token);
    }
    laris_arena_strdup(a, "a string that is copied");
    memset(laris_arena_alloc(a, 3 * BLOCK), 1, 3 * BLOCK);
}

Test(arena, reserved_does_not_grow_over_resets)
{
    cleanups = 0;
    workload(arena, 0);
    size_t peak = laris_arena_reserved(arena);
    laris_arena_reset(arena);
    size_t idle = laris_arena_reserved(arena);

    for (int round = 1; round <= 10000; round++) {
        workload(arena, round);
        cr_assert_eq(laris_arena_reserved(arena), peak, "round %d grew to %zu from %zu", round,
                     laris_arena_reserved(arena), peak);
        laris_arena_reset(arena);
        cr_assert_eq(laris_arena_reserved(arena), idle, "round %d kept %zu, not %zu", round,
                     laris_arena_reserved(arena), idle);
    }
    cr_assert_eq(cleanups, 40 * 10001);
}

Test(arena, small_workload_reuses_the_same_memory)
{
    void *first = NULL;
    for (int round = 0; round < 1000; round++) {
        void *p = laris_arena_alloc(arena, 128);
        laris_arena_printf(arena, "round %d", round);
        if (first == NULL)
            first = p;
        cr_assert_eq(p, first);
        laris_arena_reset(arena);
    }
}
