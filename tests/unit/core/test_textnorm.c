/* Unit tests for src/core/textnorm.c: case, accents, punctuation, Indonesian text and emoji. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "laris/textnorm.h"

struct norm_case {
    char in[64];
    char want[64];
};

ParameterizedTestParameters(textnorm, normalizes)
{
    static struct norm_case cases[] = {
        {"Harga?", "harga"},
        {"  HARGA   berapa ya??  ", "harga berapa ya"},
        {"Berapa harganya, kak!", "berapa harganya kak"},
        {"Café crème", "cafe creme"},
        {"Ñoño ÀÉÎÕÜ", "nono aeiou"},
        {"Straße", "strasse"},
        {"“Promo” … hari-ini!", "promo hari ini"},
        {"Jam buka?\n\tSabtu", "jam buka sabtu"},
        {"ongkir 🚚 ke Makassar", "ongkir 🚚 ke makassar"},
        {"Terima kasih ❤️", "terima kasih ❤"},
        {"¿Qué? ¡Sí!", "que si"},
        {"", ""},
        {"!!!", ""},
    };
    return cr_make_param_array(struct norm_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct norm_case *c, textnorm, normalizes)
{
    laris_arena_t *a = laris_arena_create(1024);
    char *got = laris_text_normalize(a, c->in);
    cr_assert_not_null(got);
    cr_assert_str_eq(got, c->want, "normalize(%s)", c->in);
    laris_arena_destroy(a);
}

Test(textnorm, refuses_invalid_utf8)
{
    laris_arena_t *a = laris_arena_create(1024);
    cr_assert_null(laris_text_normalize(a, "abc\xff"));
    cr_assert_null(laris_text_normalize(a, "\xc3"));
    cr_assert_null(laris_text_normalize(a, "\xc0\xaf"));     /* overlong '/' */
    cr_assert_null(laris_text_normalize(a, "\xed\xa0\x80")); /* a surrogate */
    laris_arena_destroy(a);
}

Test(textnorm, matches_whole_words)
{
    cr_assert(laris_text_matches("berapa harga nya", "harga", false));
    cr_assert(laris_text_matches("harga", "harga", true));
    cr_assert_not(laris_text_matches("berapa harga", "harga", true));
    cr_assert_not(laris_text_matches("hargakan", "harga", false)); /* not a whole word */
    cr_assert(laris_text_matches("jam buka hari ini", "jam buka", false));
    cr_assert_not(laris_text_matches("jam berapa buka", "jam buka", false));
    cr_assert(laris_text_matches("kirim 🚚 ya", "🚚", false));
    cr_assert_not(laris_text_matches("apa saja", "", false));
}
