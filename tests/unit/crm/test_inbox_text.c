/* Unit tests for src/crm/inbox_text.c: search terms (LIKE escaping, phone digits in every
 * Indonesian form), shortcuts, and quick reply rendering. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "laris/crm.h"

static laris_arena_t *arena;

static void setup(void)
{
    arena = laris_arena_create(4096);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(inbox_text, .init = setup, .fini = teardown);

/* Arrays, not pointers: Criterion copies parameters into a fresh worker process. */
struct phone_case {
    char q[40];
    char digits[20];
    char normalized[20];
};

ParameterizedTestParameters(inbox_text, phone_forms)
{
    static struct phone_case cases[] = {
        {"0812-3456-7890", "081234567890", "6281234567890"},
        {"+62 812 3456 7890", "6281234567890", "6281234567890"},
        {"62812.3456.7890", "6281234567890", "6281234567890"},
        {"(0812) 3456", "08123456", "628123456"},
        {"+62 0812-3456", "6208123456", "628123456"},
        {"0812", "0812", "62812"},
        {"7890", "7890", "7890"},
        {" 3456-7890 ", "34567890", "34567890"},
    };
    return cr_make_param_array(struct phone_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct phone_case *c, inbox_text, phone_forms)
{
    laris_err_t err;
    laris_err_init(&err, arena);
    laris_search_terms_t t;
    cr_assert(laris_search_terms(arena, c->q, &t, &err), "%s", c->q);
    cr_assert_str_eq(t.digits, c->digits, "%s", c->q);
    cr_assert_str_eq(t.normalized, c->normalized, "%s", c->q);
}

Test(inbox_text, words_are_not_phones)
{
    laris_err_t err;
    laris_err_init(&err, arena);
    laris_search_terms_t t;
    const char *words[] = {"Budi 0812", "123", "08a12345", "1+2345", "0812345678901234567"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (laris_search_terms(arena, words[i], &t, &err))
            cr_assert_null(t.digits, "%s", words[i]);
    }
}

Test(inbox_text, like_metacharacters_are_escaped)
{
    laris_err_t err;
    laris_err_init(&err, arena);
    laris_search_terms_t t;
    cr_assert(laris_search_terms(arena, "  50%_off\\  ", &t, &err));
    cr_assert_str_eq(t.like, "%50\\%\\_off\\\\%");
    cr_assert(laris_search_terms(arena, "kué ☕ enak", &t, &err));
    cr_assert_str_eq(t.like, "%kué ☕ enak%");
}

Test(inbox_text, refuses_short_and_long_q)
{
    laris_search_terms_t t;
    char long_q[202];
    memset(long_q, 'a', 101);
    long_q[101] = '\0';
    const char *bad[] = {"", "ab", "  ab  ", "\t08 ", long_q};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        laris_err_t err;
        laris_err_init(&err, arena);
        cr_assert_not(laris_search_terms(arena, bad[i], &t, &err), "%s", bad[i]);
        cr_assert_eq(err.code, LARIS_EINVALID);
        cr_assert_str_eq(err.fields[0].field, "q");
    }
    laris_err_t err;
    laris_err_init(&err, arena);
    cr_assert(laris_search_terms(arena, "☕☕☕", &t, &err), "3 characters, 9 bytes");
}

Test(inbox_text, shortcuts)
{
    char out[LARIS_SHORTCUT_MAX];
    cr_assert(laris_shortcut_normalize("ongkir", false, out));
    cr_assert_str_eq(out, "/ongkir");
    cr_assert(laris_shortcut_normalize("/a_b-9", false, out));
    cr_assert_str_eq(out, "/a_b-9");
    cr_assert(laris_shortcut_normalize("/", true, out));
    cr_assert_str_eq(out, "/");
    cr_assert_not(laris_shortcut_normalize("/", false, out));
    cr_assert_not(laris_shortcut_normalize("/Ongkir", false, out));
    cr_assert_not(laris_shortcut_normalize("/on%", true, out));
    cr_assert_not(laris_shortcut_normalize("//x", false, out));
    cr_assert_not(laris_shortcut_normalize("/abcdefghijklmnopqrstuvwxyz0123456", false, out));
    cr_assert(laris_shortcut_normalize("/abcdefghijklmnopqrstuvwxyz012345", false, out));
    cr_assert_not(laris_shortcut_normalize(NULL, true, out));
}

Test(inbox_text, renders_variables)
{
    laris_reply_vars_t v = {"Bu Sri", "Sri W", "Andi", "Toko Maju"};
    cr_assert_str_eq(
        laris_quick_reply_render(arena, "Halo {{nama}}, saya {{agen}} dari {{bisnis}}.", &v),
        "Halo Bu Sri, saya Andi dari Toko Maju.");
    cr_assert_str_eq(laris_quick_reply_render(arena, "{{ nama }}{{nama}}", &v), "Bu SriBu Sri");
}

Test(inbox_text, name_falls_back_to_profile_then_kak)
{
    laris_reply_vars_t v = {NULL, "Sri W", "Andi", "Toko"};
    cr_assert_str_eq(laris_quick_reply_render(arena, "Halo {{nama}}", &v), "Halo Sri W");
    v.contact_name = "  ";
    cr_assert_str_eq(laris_quick_reply_render(arena, "Halo {{nama}}", &v), "Halo Sri W");
    v.profile_name = NULL;
    cr_assert_str_eq(laris_quick_reply_render(arena, "Halo {{nama}}", &v), "Halo Kak");
}

Test(inbox_text, unknown_and_broken_variables_stay_as_typed)
{
    laris_reply_vars_t v = {"Sri", NULL, "Andi", "Toko"};
    cr_assert_str_eq(laris_quick_reply_render(arena, "{{harga}} {{nama", &v), "{{harga}} {{nama");
    cr_assert_str_eq(laris_quick_reply_render(arena, "{{{nama}}}", &v), "{{{nama}}}");
    cr_assert_str_eq(laris_quick_reply_render(arena, "{{}} }} {{", &v), "{{}} }} {{");
    cr_assert_str_eq(laris_quick_reply_render(arena, "", &v), "");
}

Test(inbox_text, values_are_not_expanded_again)
{
    laris_reply_vars_t v = {"{{agen}}", NULL, "{{bisnis}}", "%s%n"};
    cr_assert_str_eq(laris_quick_reply_render(arena, "{{nama}}|{{agen}}|{{bisnis}}", &v),
                     "{{agen}}|{{bisnis}}|%s%n");
}
