/* Unit tests for src/core/phone.c: normalizing what people type, and masking for logs. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "laris/phone.h"

/* Arrays, not pointers: Criterion copies parameters into a fresh worker process. */
struct phone_case {
    char in[40];
    char want[LARIS_PHONE_MAX];
};

ParameterizedTestParameters(phone, normalizes)
{
    static struct phone_case cases[] = {
        {"0812-3456-7890", "6281234567890"},
        {"+62 812 3456 7890", "6281234567890"},
        {"6281234567890", "6281234567890"},
        {"62 812-3456-7890", "6281234567890"},
        {"(0812) 3456.7890", "6281234567890"},
        {"+62 0812-3456-7890", "6281234567890"},
        {"620812 3456 7890", "6281234567890"},
        {"81234567890", "6281234567890"},
        {"812 3456 7890", "6281234567890"},
        {"081234567", "6281234567"}, /* 8 national digits, the fewest */
        {"0812345678901", "62812345678901"},
        {"021-555-1234", "62215551234"},
        {"(021) 5551234", "62215551234"},
        {"0274 512345", "62274512345"},
        {"+62 21 555 1234", "62215551234"},
        {"+60 12-345 6789", "60123456789"},
        {"+1 (415) 555-0132", "14155550132"},
        {"+44 20 7946 0958", "442079460958"},
        {"  +65 8123 4567  ", "6581234567"},
        {"(+62) 812-3456-7890", "6281234567890"},
    };
    return cr_make_param_array(struct phone_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct phone_case *c, phone, normalizes)
{
    char out[LARIS_PHONE_MAX];
    cr_assert(laris_phone_normalize(c->in, out), "\"%s\" was refused", c->in);
    cr_assert_str_eq(out, c->want, "\"%s\" gave %s", c->in, out);
}

ParameterizedTestParameters(phone, refuses)
{
    static struct phone_case cases[] = {
        {"", ""},
        {"   ", ""},
        {"-.()", ""},
        {"abc", ""},
        {"08a12345678", ""},
        {"0812 3456 7890 ext", ""},
        {"+", ""},
        {"++62812345678", ""},
        {"+62+812345678", ""},
        {"0812+3456", ""},
        {"0812-3456-7890+", ""},
        {"12345", ""},
        {"0812345", ""},              /* 7 national digits */
        {"08123456789012", ""},       /* 13 national digits */
        {"+62 812 3456 7890 12", ""}, /* 13 national digits after +62 */
        {"0012345678901", ""},        /* international 00 prefix */
        {"0112345678", ""},           /* no Indonesian area code starts with 1 */
        {"0912345678", ""},
        {"+62 1234567890", ""},
        {"+62 9123456789", ""},
        {"+62", ""},
        {"+62 0", ""},
        {"+0812345678", ""},       /* country codes never start with 0 */
        {"+1234567", ""},          /* 7 digits */
        {"+1234567890123456", ""}, /* 16 digits */
        {"60123456789", ""},       /* another country without '+' */
        {"9123456789", ""},
        {"812345", ""},
        {"8123456789012", ""},
        {"0812_3456_7890", ""},
        {"0812/3456/7890", ""},
        {"12345678901234567890123456789", ""},
    };
    return cr_make_param_array(struct phone_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct phone_case *c, phone, refuses)
{
    char out[LARIS_PHONE_MAX];
    memset(out, 'x', sizeof(out));
    cr_assert_not(laris_phone_normalize(c->in, out), "\"%s\" was accepted as %.16s", c->in, out);
    cr_assert_str_eq(out, "", "out should be left empty for \"%s\"", c->in);
}

Test(phone, null_is_refused)
{
    char out[LARIS_PHONE_MAX] = "x";
    cr_assert_not(laris_phone_normalize(NULL, out));
    cr_assert_str_eq(out, "");
}

Test(phone, longest_numbers_fit)
{
    char out[LARIS_PHONE_MAX];
    cr_assert(laris_phone_normalize("+123456789012345", out));
    cr_assert_str_eq(out, "123456789012345");
    cr_assert(laris_phone_normalize("+62 812 3456 78901", out));
    cr_assert_str_eq(out, "62812345678901");
}

struct mask_case {
    char in[24];
    char want[24];
};

ParameterizedTestParameters(phone, masks)
{
    static struct mask_case cases[] = {
        {"6281234567890", "62********890"},
        {"62215551234", "62******234"},
        {"14155550132", "1*******132"},
        {"60123456789", "60******789"},
        {"442079460958", "44*******958"},
        {"971501234567", "971******567"}, /* three-digit country code */
        {"", "***"},
        {"1234567", "***"},
        {"0812-3456-7890", "***"},
        {"1234567890123456", "***"},
    };
    return cr_make_param_array(struct mask_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct mask_case *c, phone, masks)
{
    char out[24];
    laris_phone_mask(c->in, out, sizeof(out));
    cr_assert_str_eq(out, c->want, "mask of \"%s\"", c->in);
}

Test(phone, mask_truncates_to_the_buffer)
{
    char out[6];
    laris_phone_mask("6281234567890", out, sizeof(out));
    cr_assert_str_eq(out, "62***");
    char none[1] = {'x'};
    laris_phone_mask("6281234567890", none, sizeof(none));
    cr_assert_eq(none[0], '\0');
    laris_phone_mask(NULL, out, sizeof(out));
    cr_assert_str_eq(out, "***");
}
