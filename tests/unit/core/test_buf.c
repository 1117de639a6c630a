/* Unit tests for src/core/buf.c: appending, growth by doubling, printf, C strings. */
#include <criterion/criterion.h>
#include <string.h>

#include "laris/buf.h"

static laris_arena_t *arena;
static laris_buf_t b;

static void setup(void)
{
    arena = laris_arena_create(4096);
    laris_buf_init(&b, arena);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(buf, .init = setup, .fini = teardown);

Test(buf, starts_empty)
{
    cr_assert_eq(b.len, 0);
    cr_assert_eq(b.arena, arena);
    cr_assert_str_eq(laris_buf_cstr(&b), "");
}

Test(buf, append_puts_putc)
{
    laris_buf_append(&b, "abc", 2);
    laris_buf_puts(&b, "-xyz-");
    laris_buf_putc(&b, '!');
    laris_buf_append(&b, "", 0);
    cr_assert_eq(b.len, 8);
    cr_assert_str_eq(laris_buf_cstr(&b), "ab-xyz-!");
    cr_assert_eq(b.data[b.len], '\0', "data stays NUL-terminated");
}

Test(buf, keeps_embedded_nul_bytes)
{
    laris_buf_append(&b, "a\0b", 3);
    cr_assert_eq(b.len, 3);
    cr_assert_eq(memcmp(b.data, "a\0b", 3), 0);
}

Test(buf, grows_by_doubling)
{
    laris_buf_putc(&b, 'x');
    size_t cap = b.cap;
    cr_assert_gt(cap, 1);
    for (size_t i = 1; i < cap; i++)
        laris_buf_putc(&b, 'x');
    cr_assert_eq(b.cap, cap * 2, "cap %zu after filling %zu", b.cap, cap);
    cr_assert_lt(b.len, b.cap);
}

Test(buf, large_append_keeps_contents)
{
    char chunk[1000];
    for (int i = 0; i < 100; i++) {
        memset(chunk, 'a' + i % 26, sizeof(chunk));
        laris_buf_append(&b, chunk, sizeof(chunk));
    }
    cr_assert_eq(b.len, 100000);
    cr_assert_geq(b.cap, b.len + 1);
    for (size_t i = 0; i < b.len; i += 1000)
        cr_assert_eq(b.data[i], 'a' + (int)(i / 1000) % 26, "chunk at %zu", i);
    cr_assert_eq(strlen(laris_buf_cstr(&b)), 100000);
}

Test(buf, printf_appends)
{
    laris_buf_puts(&b, "id=");
    laris_buf_printf(&b, "%d&name=%s", 42, "toko");
    laris_buf_printf(&b, "%s", "");
    cr_assert_str_eq(laris_buf_cstr(&b), "id=42&name=toko");
    cr_assert_eq(b.len, strlen("id=42&name=toko"));
}

Test(buf, printf_longer_than_capacity)
{
    laris_buf_puts(&b, "start:");
    laris_buf_printf(&b, "%0500d|%s", 7, "end");
    cr_assert_eq(b.len, 6 + 500 + 4);
    cr_assert_eq(strncmp(b.data, "start:000", 9), 0);
    cr_assert_str_eq(b.data + 6 + 500, "|end");
}
