/* Unit tests of src/wa/template.c: Meta's rules for a template to create or edit, and the
 * variables read from a template's components. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "laris/json.h"
#include "laris/wa_template.h"

static laris_arena_t *arena;
static laris_err_t err;

static void setup(void)
{
    arena = laris_arena_create((size_t)16 * 1024);
    laris_err_init(&err, arena);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(template, .init = setup, .fini = teardown);

static json_t *parse(const char *json)
{
    json_t *in = json_loads(json, 0, NULL);
    cr_assert_not_null(in, "test input is not JSON: %s", json);
    return laris_json_adopt(arena, in);
}

/* The checked Graph body (adopted by the arena), or NULL with err set. */
static json_t *check(const char *json, bool edit, laris_wa_template_vars_t *vars)
{
    laris_err_init(&err, arena);
    return laris_json_adopt(arena, laris_wa_template_check(arena, parse(json), edit, vars, &err));
}

static const char *field0(void)
{
    return err.nfields > 0 ? err.fields[0].field : "(none)";
}

#define BODY(text, example)                                                                        \
    "{\"name\":\"promo_lebaran\",\"language\":\"id\",\"category\":\"marketing\","                  \
    "\"components\":[{\"type\":\"body\",\"text\":\"" text "\"" example "}]}"

Test(template, positional_body_becomes_graphs_body)
{
    laris_wa_template_vars_t v;
    json_t *out = check(BODY("Halo {{1}}, diskon {{2}} untukmu. {{1}}!",
                             ",\"example\":{\"body_text\":[[\"Siti\",\"20%\"]]}"),
                        false, &v);
    cr_assert_not_null(out, "%s", field0());
    cr_assert_str_eq(json_string_value(json_object_get(out, "category")), "MARKETING");
    cr_assert_str_eq(json_string_value(json_object_get(out, "parameter_format")), "positional");
    json_t *body = json_array_get(json_object_get(out, "components"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(body, "type")), "BODY");
    cr_assert_not(v.named);
    cr_assert_eq(v.nbody, 2);
    cr_assert_str_eq(v.body[0], "1");
    cr_assert_str_eq(v.body[1], "2");
}

Test(template, named_body_lists_names_in_order)
{
    laris_wa_template_vars_t v;
    json_t *out = check(BODY("Halo {{nama}}, kode {{kode_promo}}.",
                             ",\"example\":{\"body_text_named_params\":[{\"param_name\":"
                             "\"kode_promo\",\"example\":\"HEMAT\"},{\"param_name\":\"nama\","
                             "\"example\":\"Siti\"}]}"),
                        false, &v);
    cr_assert_not_null(out, "%s", field0());
    cr_assert(v.named);
    cr_assert_eq(v.nbody, 2);
    cr_assert_str_eq(v.body[0], "nama");
    cr_assert_str_eq(v.body[1], "kode_promo");
    cr_assert_str_eq(json_string_value(json_object_get(out, "parameter_format")), "named");
}

Test(template, full_template_with_header_footer_and_buttons)
{
    laris_wa_template_vars_t v;
    json_t *out = check(
        "{\"name\":\"status_pesanan\",\"language\":\"en_US\",\"category\":\"UTILITY\","
        "\"components\":[{\"type\":\"HEADER\",\"format\":\"text\",\"text\":\"Toko {{1}}\","
        "\"example\":{\"header_text\":[\"Maju\"]}},{\"type\":\"BODY\",\"text\":\"Pesanan {{1}}"
        " dikirim.\",\"example\":{\"body_text\":[[\"A-1\"]]}},{\"type\":\"FOOTER\",\"text\":"
        "\"Terima kasih\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"quick_reply\","
        "\"text\":\"Stop\"},{\"type\":\"QUICK_REPLY\",\"text\":\"Lagi\"},{\"type\":\"URL\","
        "\"text\":\"Lacak\",\"url\":\"https://laris.id/lacak/{{1}}\",\"example\":["
        "\"https://laris.id/lacak/A-1\"]},{\"type\":\"PHONE_NUMBER\",\"text\":\"Telepon\","
        "\"phone_number\":\"+6281234567890\"}]}]}",
        false, &v);
    cr_assert_not_null(out, "%s", field0());
    cr_assert_eq(v.nheader, 1);
    cr_assert_eq(v.nbody, 1);
    json_t *buttons =
        json_object_get(json_array_get(json_object_get(out, "components"), 3), "buttons");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(buttons, 0), "type")),
                     "QUICK_REPLY");
}

Test(template, edit_takes_components_only)
{
    laris_wa_template_vars_t v;
    json_t *out = check("{\"components\":[{\"type\":\"body\",\"text\":\"Halo lagi\"}]}", true, &v);
    cr_assert_not_null(out, "%s", field0());
    cr_assert_null(json_object_get(out, "name"));
    cr_assert_null(
        check("{\"name\":\"x\",\"components\":[{\"type\":\"body\",\"text\":\"a\"}]}", true, &v));
    cr_assert_str_eq(field0(), "name");
}

/* Arrays, not pointers: Criterion copies parameters into a fresh worker process. */
struct refusal {
    char json[400];
    char field[48];
};

ParameterizedTestParameters(template, refuses)
{
    static struct refusal cases[] = {
        {"{\"name\":\"Promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[{"
         "\"type\":\"BODY\",\"text\":\"a\"}]}",
         "name"},
        {"{\"name\":\"promo-lebaran\",\"language\":\"id\",\"category\":\"MARKETING\","
         "\"components\":[{\"type\":\"BODY\",\"text\":\"a\"}]}",
         "name"},
        {"{\"name\":\"promo\",\"language\":\"indonesia\",\"category\":\"MARKETING\","
         "\"components\":[{\"type\":\"BODY\",\"text\":\"a\"}]}",
         "language"},
        {"{\"name\":\"promo\",\"language\":\"en_us\",\"category\":\"MARKETING\","
         "\"components\":[{\"type\":\"BODY\",\"text\":\"a\"}]}",
         "language"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"SERVICE\",\"components\":[{"
         "\"type\":\"BODY\",\"text\":\"a\"}]}",
         "category"},
        {"{\"name\":\"otp\",\"language\":\"id\",\"category\":\"AUTHENTICATION\",\"components\":"
         "[{\"type\":\"BODY\",\"text\":\"a\"}]}",
         "category"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[]}",
         "components"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[{"
         "\"type\":\"FOOTER\",\"text\":\"a\"}]}",
         "components"},
        {BODY("Halo {{1}} dan {{3}}", ",\"example\":{\"body_text\":[[\"a\",\"b\"]]}"),
         "components[0].text"},
        {BODY("Halo {{1}} dan {{nama}}", ",\"example\":{\"body_text\":[[\"a\",\"b\"]]}"),
         "components[0].text"},
        {BODY("Halo {{Nama}}", ""), "components[0].text"},
        {BODY("Halo {{ 1 }}", ""), "components[0].text"},
        {BODY("Halo {{1", ""), "components[0].text"},
        {BODY("Halo {{1}}", ""), "components[0].example"},
        {BODY("Halo {{1}} {{2}}", ",\"example\":{\"body_text\":[[\"a\"]]}"),
         "components[0].example.body_text"},
        {BODY("Halo {{nama}}", ",\"example\":{\"body_text_named_params\":[{\"param_name\":"
                               "\"kota\",\"example\":\"a\"}]}"),
         "components[0].example.body_text_named_params"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\","
         "\"parameter_format\":\"named\",\"components\":[{\"type\":\"BODY\",\"text\":\"{{1}}\","
         "\"example\":{\"body_text\":[[\"a\"]]}}]}",
         "parameter_format"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[{"
         "\"type\":\"BODY\",\"text\":\"a\"},{\"type\":\"BODY\",\"text\":\"b\"}]}",
         "components[1].type"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[{"
         "\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"{{1}} {{2}}\"},{\"type\":\"BODY\","
         "\"text\":\"a\"}]}",
         "components[0].text"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[{"
         "\"type\":\"HEADER\",\"format\":\"IMAGE\"},{\"type\":\"BODY\",\"text\":\"a\"}]}",
         "components[0].example.header_handle"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[{"
         "\"type\":\"BODY\",\"text\":\"a\"},{\"type\":\"FOOTER\",\"text\":\"{{1}}\"}]}",
         "components[1].text"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[{"
         "\"type\":\"BODY\",\"text\":\"a\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":"
         "\"QUICK_REPLY\",\"text\":\"a\"},{\"type\":\"URL\",\"text\":\"b\",\"url\":"
         "\"https://a.id\"},{\"type\":\"QUICK_REPLY\",\"text\":\"c\"}]}]}",
         "components[1].buttons"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[{"
         "\"type\":\"BODY\",\"text\":\"a\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":"
         "\"URL\",\"text\":\"b\",\"url\":\"ftp://a.id\"}]}]}",
         "components[1].buttons[0].url"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[{"
         "\"type\":\"BODY\",\"text\":\"a\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":"
         "\"QUICK_REPLY\",\"text\":\"label yang terlalu panjang sekali\"}]}]}",
         "components[1].buttons[0].text"},
        {"{\"name\":\"promo\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":[{"
         "\"type\":\"BODY\",\"text\":\"a\"}],\"status\":\"APPROVED\"}",
         "status"},
    };
    return cr_make_param_array(struct refusal, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct refusal *c, template, refuses)
{
    laris_wa_template_vars_t v;
    json_t *out = check(c->json, false, &v);
    cr_assert_null(out, "accepted: %s", c->json);
    cr_assert_str_eq(field0(), c->field, "%s", c->json);
}

Test(template, length_limits_count_characters)
{
    laris_wa_template_vars_t v;
    char json[8192];
    char text[4096];
    for (size_t i = 0; i < 1024; i++)
        memcpy(text + 2 * i, "\xc3\xa9", 2); /* é: 1024 characters, 2048 bytes */
    text[2048] = '\0';
    snprintf(json, sizeof(json), BODY("%s", ""), text);
    cr_assert_not_null(check(json, false, &v), "%s", field0());
    memcpy(text + 2048, "a", 2);
    snprintf(json, sizeof(json), BODY("%s", ""), text);
    cr_assert_null(check(json, false, &v));
    cr_assert_str_eq(field0(), "components[0].text");
    char name[600];
    memset(name, 'a', 513);
    name[513] = '\0';
    snprintf(json, sizeof(json),
             "{\"name\":\"%s\",\"language\":\"id\",\"category\":\"MARKETING\",\"components\":"
             "[{\"type\":\"BODY\",\"text\":\"a\"}]}",
             name);
    cr_assert_null(check(json, false, &v));
    cr_assert_str_eq(field0(), "name");
}

Test(template, vars_of_listed_components)
{
    laris_wa_template_vars_t v;
    json_t *listed = parse("[{\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"Hai {{1}}\"},"
                           "{\"type\":\"BODY\",\"text\":\"{{2}} lalu {{1}}\"}]");
    cr_assert(laris_wa_template_vars(arena, listed, &v, NULL));
    cr_assert_eq(v.nheader, 1);
    cr_assert_eq(v.nbody, 2);
    cr_assert_str_eq(v.body[0], "1");
    json_t *gap = parse("[{\"type\":\"BODY\",\"text\":\"{{2}}\"}]");
    cr_assert_not(laris_wa_template_vars(arena, gap, &v, NULL));
    json_t *none = parse("[{\"type\":\"BODY\",\"text\":\"Tanpa variabel\"}]");
    cr_assert(laris_wa_template_vars(arena, none, &v, &err));
    cr_assert_eq(v.nbody, 0);
}

/* A stored template: a text header, a body, a quick reply, a link with a variable at 1 and a
 * static link at 2 (as Graph lists them). */
#define STORED                                                                                     \
    "[{\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"Toko {{1}}\"},"                          \
    "{\"type\":\"BODY\",\"text\":\"Pesanan {{1}} tiba {{2}}\"},{\"type\":\"BUTTONS\",\"buttons\":" \
    "[{\"type\":\"QUICK_REPLY\",\"text\":\"Stop\"},{\"type\":\"URL\",\"text\":\"Lacak\",\"url\":"  \
    "\"https://toko.id/order/{{1}}\"},{\"type\":\"URL\",\"text\":\"Bantuan\",\"url\":"             \
    "\"https://toko.id/bantuan\"}]}]"
#define NAMED_STORED "[{\"type\":\"BODY\",\"text\":\"Halo {{first_name}} {{code}}\"}]"

struct fit {
    char components[512];
    char message[2600];
    char field[48]; /* "" when it fits */
};

ParameterizedTestParameters(template, fits)
{
    static struct fit cases[] = {
        {STORED,
         "{\"params\":[\"A-1\",\"besok\"],\"header_params\":[\"Maju\"],\"url_params\":[{"
         "\"index\":1,\"text\":\"A-1\"}]}",
         ""},
        {STORED, "{\"params\":[\"A-1\",\"besok\"],\"header_params\":[\"Maju\"]}",
         "template.url_params"},
        {STORED,
         "{\"params\":[\"A-1\",\"besok\"],\"header_params\":[\"Maju\"],\"url_params\":[{"
         "\"index\":2,\"text\":\"x\"}]}",
         "template.url_params[0].index"},
        {STORED,
         "{\"params\":[\"A-1\",\"besok\"],\"header_params\":[\"Maju\"],\"url_params\":[{"
         "\"index\":0,\"text\":\"x\"}]}",
         "template.url_params[0].index"},
        {STORED,
         "{\"params\":[\"A-1\",\"besok\"],\"header_params\":[\"Maju\"],\"url_params\":[{"
         "\"index\":9,\"text\":\"x\"}]}",
         "template.url_params[0].index"},
        {STORED,
         "{\"params\":[\"A-1\"],\"header_params\":[\"Maju\"],\"url_params\":[{\"index\":1,"
         "\"text\":\"A-1\"}]}",
         "template.params"},
        {STORED, "{\"params\":[\"A-1\",\"besok\"],\"url_params\":[{\"index\":1,\"text\":\"A-1\"}]}",
         "template.header_params"},
        {STORED,
         "{\"params\":{\"a\":\"A-1\",\"b\":\"besok\"},\"header_params\":[\"Maju\"],"
         "\"url_params\":[{\"index\":1,\"text\":\"A-1\"}]}",
         "template.params"},
        {NAMED_STORED, "{\"params\":{\"first_name\":\"Siti\",\"code\":\"X\"}}", ""},
        {NAMED_STORED, "{\"params\":{\"first_name\":\"Siti\",\"kode\":\"X\"}}", "template.params"},
        {NAMED_STORED, "{\"params\":[\"Siti\",\"X\"]}", "template.params"},
        {"[{\"type\":\"BODY\",\"text\":\"Tanpa variabel\"}]", "{\"params\":[]}", ""},
        {"[{\"type\":\"BODY\",\"text\":\"Tanpa variabel\"}]", "{\"params\":[\"x\"]}",
         "template.params"},
        {"[{\"type\":\"BODY\",\"text\":\"Tanpa variabel\"}]",
         "{\"params\":[],\"url_params\":[{\"index\":0,\"text\":\"x\"}]}",
         "template.url_params[0].index"},
        /* components Laris cannot read: Meta decides */
        {"[{\"type\":\"BODY\",\"text\":\"{{2}}\"}]", "{\"params\":[\"x\"]}", ""},
        {"{}", "{\"params\":[\"x\"]}", ""},
    };
    return cr_make_param_array(struct fit, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct fit *c, template, fits)
{
    laris_err_init(&err, arena);
    bool ok = laris_wa_template_fits(arena, parse(c->components), parse(c->message), &err);
    cr_assert_eq(ok, c->field[0] == '\0', "%s: %s", c->message, field0());
    if (!ok)
        cr_assert_str_eq(field0(), c->field, "%s: %s", c->message,
                         err.nfields ? err.fields[0].message : "");
}

Test(template, fits_a_link_of_2000_characters_at_most)
{
    /* "https://toko.id/order/" is 22 characters: 1978 more make 2000. */
    json_t *components = parse(STORED);
    char *text = laris_arena_alloc(arena, 1980);
    memset(text, 'a', 1979);
    text[1979] = '\0';
    json_t *message = parse("{\"params\":[\"A-1\",\"besok\"],\"header_params\":[\"Maju\"]}");
    json_object_set_new(message, "url_params", json_pack("[{s:i,s:s}]", "index", 1, "text", text));
    laris_err_init(&err, arena);
    cr_assert_not(laris_wa_template_fits(arena, components, message, &err));
    cr_assert_str_eq(field0(), "template.url_params[0].text");
    text[1978] = '\0';
    json_object_set_new(message, "url_params", json_pack("[{s:i,s:s}]", "index", 1, "text", text));
    laris_err_init(&err, arena);
    cr_assert(laris_wa_template_fits(arena, components, message, &err), "%s", field0());
}
