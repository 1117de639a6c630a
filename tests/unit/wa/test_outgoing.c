/* Unit tests of src/wa/outgoing.c: what an agent may send of each type (Meta's limits), and the
 * exact Graph body of each stored type. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "laris/json.h"
#include "laris/wa_outgoing.h"

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

TestSuite(outgoing, .init = setup, .fini = teardown);

/* A string of n copies of the UTF-8 character c (so lengths count characters, not bytes). */
static char *repeat(const char *c, size_t n)
{
    size_t len = strlen(c);
    char *s = laris_arena_alloc(arena, len * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, c, len);
    s[len * n] = '\0';
    return s;
}

static json_t *check(const char *type, const char *json)
{
    json_t *in = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    cr_assert_not_null(in, "test input is not JSON: %s", json);
    laris_err_init(&err, arena);
    json_t *out = laris_wa_outgoing_check(type, in, &err);
    json_decref(in);
    return out;
}

/* Checks, then builds the body for wa_id 6281234567890 and compares it with want (JSON). */
static void body_is(const char *type, const char *in, const char *context, const char *want)
{
    json_t *stored = check(type, in);
    cr_assert_not_null(stored, "%s refused: %s", in, err.nfields ? err.fields[0].message : "");
    const char *text =
        strcmp(type, "text") == 0 ? json_string_value(json_object_get(stored, "body")) : NULL;
    json_t *body = laris_wa_outgoing_body(type, text, stored, "6281234567890", context);
    json_t *expected = json_loads(want, 0, NULL);
    cr_assert_not_null(expected);
    char *got = json_dumps(body, JSON_SORT_KEYS | JSON_COMPACT);
    char *exp = json_dumps(expected, JSON_SORT_KEYS | JSON_COMPACT);
    cr_assert_str_eq(got, exp);
    free(got);
    free(exp);
    json_decref(body);
    json_decref(expected);
    json_decref(stored);
}

#define HEAD                                                                                       \
    "\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"+"              \
    "6281234567890\","

Test(outgoing, text_body_is_metas)
{
    body_is("text", "{\"body\":\"Halo kak\"}", NULL,
            "{" HEAD "\"type\":\"text\",\"text\":{\"body\":\"Halo kak\",\"preview_url\":false}}");
    body_is("text", "\"Halo\"", NULL,
            "{" HEAD "\"type\":\"text\",\"text\":{\"body\":\"Halo\",\"preview_url\":false}}");
    body_is("text", "{\"body\":\"lihat https://x.id\",\"preview_url\":true}", NULL,
            "{" HEAD "\"type\":\"text\",\"text\":{\"body\":\"lihat https://x.id\","
            "\"preview_url\":true}}");
}

Test(outgoing, media_by_id_and_by_link)
{
    body_is("image", "{\"id\":\"1013859600285441\",\"caption\":\"Kaos baru\"}", NULL,
            "{" HEAD "\"type\":\"image\",\"image\":{\"id\":\"1013859600285441\","
            "\"caption\":\"Kaos baru\"}}");
    body_is("document",
            "{\"link\":\"https://files.example.com/inv-42.pdf\",\"caption\":\"Invoice\","
            "\"filename\":\"inv-42.pdf\"}",
            NULL,
            "{" HEAD "\"type\":\"document\",\"document\":{\"link\":\"https://files.example.com/"
            "inv-42.pdf\",\"caption\":\"Invoice\",\"filename\":\"inv-42.pdf\"}}");
    body_is("audio", "{\"id\":\"77\",\"voice\":true}", NULL,
            "{" HEAD "\"type\":\"audio\",\"audio\":{\"id\":\"77\",\"voice\":true}}");
    body_is("video", "{\"link\":\"http://v.example.com/a.mp4\"}", NULL,
            "{" HEAD "\"type\":\"video\",\"video\":{\"link\":\"http://v.example.com/a.mp4\"}}");
    body_is("sticker", "{\"id\":\"5\"}", NULL,
            "{" HEAD "\"type\":\"sticker\",\"sticker\":{\"id\":\"5\"}}");
}

Test(outgoing, contextual_reply_carries_the_wamid_but_not_on_reactions)
{
    body_is("text", "{\"body\":\"Ya\"}", "wamid.QUOTED=",
            "{" HEAD "\"context\":{\"message_id\":\"wamid.QUOTED=\"},\"type\":\"text\","
            "\"text\":{\"body\":\"Ya\",\"preview_url\":false}}");
    body_is("reaction", "{\"message_id\":\"wamid.X=\",\"emoji\":\"\xF0\x9F\x91\x8D\"}",
            "wamid.QUOTED=",
            "{" HEAD "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.X=\","
            "\"emoji\":\"\xF0\x9F\x91\x8D\"}}");
}

Test(outgoing, reaction_and_its_removal)
{
    body_is("reaction", "{\"message_id\":\"wamid.X=\",\"emoji\":\"\"}", NULL,
            "{" HEAD "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.X=\","
            "\"emoji\":\"\"}}");
    /* a family ZWJ sequence is one emoji of 7 code points */
    body_is("reaction",
            "{\"message_id\":\"wamid.X=\",\"emoji\":\"\\ud83d\\udc68\\u200d\\ud83d\\udc69\\u200d"
            "\\ud83d\\udc67\"}",
            NULL,
            "{" HEAD "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.X=\","
            "\"emoji\":\"\\ud83d\\udc68\\u200d\\ud83d\\udc69\\u200d\\ud83d\\udc67\"}}");
}

Test(outgoing, read_receipt_has_no_recipient)
{
    json_t *stored = check("read", "{\"message_id\":\"wamid.IN=\"}");
    cr_assert_not_null(stored);
    json_t *body = laris_wa_outgoing_body("read", NULL, stored, "6281234567890", "wamid.Q=");
    char *got = json_dumps(body, JSON_SORT_KEYS | JSON_COMPACT);
    cr_assert_str_eq(got, "{\"message_id\":\"wamid.IN=\",\"messaging_product\":\"whatsapp\","
                          "\"status\":\"read\"}");
    free(got);
    json_decref(body);
    json_decref(stored);
}

Test(outgoing, template_positional_named_and_header)
{
    body_is("template",
            "{\"name\":\"order_update\",\"language\":\"id\",\"params\":[\"Siti\",\"A-42\"]}", NULL,
            "{" HEAD "\"type\":\"template\",\"template\":{\"name\":\"order_update\","
            "\"language\":{\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":["
            "{\"type\":\"text\",\"text\":\"Siti\"},{\"type\":\"text\",\"text\":\"A-42\"}]}]}}");
    body_is("template",
            "{\"name\":\"welcome\",\"language\":\"en_US\",\"params\":{\"first_name\":\"Jessica\"},"
            "\"header_params\":{\"shop\":\"Toko Maju\"}}",
            NULL,
            "{" HEAD "\"type\":\"template\",\"template\":{\"name\":\"welcome\",\"language\":{"
            "\"code\":\"en_US\"},\"components\":[{\"type\":\"header\",\"parameters\":[{\"type\":"
            "\"text\",\"parameter_name\":\"shop\",\"text\":\"Toko Maju\"}]},{\"type\":\"body\","
            "\"parameters\":[{\"type\":\"text\",\"parameter_name\":\"first_name\",\"text\":"
            "\"Jessica\"}]}]}}");
    body_is("template", "{\"name\":\"hello_world\",\"language\":\"en_US\"}", NULL,
            "{" HEAD "\"type\":\"template\",\"template\":{\"name\":\"hello_world\","
            "\"language\":{\"code\":\"en_US\"}}}");
}

Test(outgoing, template_url_button_variable_is_a_button_component)
{
    body_is("template",
            "{\"name\":\"track_order\",\"language\":\"id\",\"params\":[\"A-42\"],"
            "\"url_params\":[{\"index\":1,\"text\":\"order/4242?x=%22\"}]}",
            NULL,
            "{" HEAD "\"type\":\"template\",\"template\":{\"name\":\"track_order\","
            "\"language\":{\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":["
            "{\"type\":\"text\",\"text\":\"A-42\"}]},{\"type\":\"button\",\"sub_type\":\"url\","
            "\"index\":\"1\",\"parameters\":[{\"type\":\"text\",\"text\":\"order/4242?x=%22\"}]}"
            "]}}");
    /* two URL buttons, and a quote: the buttons keep their order */
    body_is("template",
            "{\"name\":\"two_links\",\"language\":\"id\",\"url_params\":[{\"index\":2,"
            "\"text\":\"b\"},{\"index\":0,\"text\":\"\\\"}]\"}]}",
            "wamid.Q=",
            "{" HEAD "\"context\":{\"message_id\":\"wamid.Q=\"},\"type\":\"template\","
            "\"template\":{\"name\":\"two_links\",\"language\":{\"code\":\"id\"},\"components\":"
            "[{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"2\",\"parameters\":[{"
            "\"type\":\"text\",\"text\":\"b\"}]},{\"type\":\"button\",\"sub_type\":\"url\","
            "\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"\\\"}]\"}]}]}}");
}

Test(outgoing, url_param_of_2000_characters_is_the_limit)
{
    char *json = laris_arena_printf(
        arena,
        "{\"name\":\"t\",\"language\":\"id\",\"url_params\":[{\"index\":9,\"text\":\"%s\"}]}",
        repeat("\xC3\xA9", 2000));
    json_t *ok = check("template", json);
    cr_assert_not_null(ok);
    json_decref(ok);
    json = laris_arena_printf(
        arena,
        "{\"name\":\"t\",\"language\":\"id\",\"url_params\":[{\"index\":9,\"text\":\"%s\"}]}",
        repeat("a", 2001));
    cr_assert_null(check("template", json));
    cr_assert_str_eq(err.fields[0].field, "template.url_params[0].text");
}

Test(outgoing, interactive_buttons_and_list)
{
    body_is("interactive",
            "{\"type\":\"button\",\"header\":{\"type\":\"text\",\"text\":\"Pesanan\"},"
            "\"body\":{\"text\":\"Jadi kirim besok?\"},\"footer\":{\"text\":\"Toko Maju\"},"
            "\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":{\"id\":\"ya\",\"title\":"
            "\"Ya\"}},{\"type\":\"reply\",\"reply\":{\"id\":\"tidak\",\"title\":\"Tidak\"}}]}}",
            NULL,
            "{" HEAD "\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"header\":{"
            "\"type\":\"text\",\"text\":\"Pesanan\"},\"body\":{\"text\":\"Jadi kirim besok?\"},"
            "\"footer\":{\"text\":\"Toko Maju\"},\"action\":{\"buttons\":[{\"type\":\"reply\","
            "\"reply\":{\"id\":\"ya\",\"title\":\"Ya\"}},{\"type\":\"reply\",\"reply\":{\"id\":"
            "\"tidak\",\"title\":\"Tidak\"}}]}}}");
    body_is("interactive",
            "{\"type\":\"list\",\"body\":{\"text\":\"Pilih ongkir\"},\"action\":{\"button\":"
            "\"Pilihan\",\"sections\":[{\"title\":\"Cepat\",\"rows\":[{\"id\":\"exp\",\"title\":"
            "\"Express\",\"description\":\"1 hari\"}]}]}}",
            NULL,
            "{" HEAD "\"type\":\"interactive\",\"interactive\":{\"type\":\"list\",\"body\":{"
            "\"text\":\"Pilih ongkir\"},\"action\":{\"button\":\"Pilihan\",\"sections\":[{"
            "\"title\":\"Cepat\",\"rows\":[{\"id\":\"exp\",\"title\":\"Express\",\"description\":"
            "\"1 hari\"}]}]}}}");
    body_is("interactive",
            "{\"type\":\"button\",\"header\":{\"type\":\"image\",\"image\":{\"id\":\"12\"}},"
            "\"body\":{\"text\":\"Suka?\"},\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":"
            "{\"id\":\"y\",\"title\":\"Suka\"}}]}}",
            NULL,
            "{" HEAD "\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"header\":{"
            "\"type\":\"image\",\"image\":{\"id\":\"12\"}},\"body\":{\"text\":\"Suka?\"},"
            "\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":{\"id\":\"y\",\"title\":"
            "\"Suka\"}}]}}}");
}

Test(outgoing, json_injection_stays_text)
{
    const char *evil = "{\"body\":\"\\\"},\\\"to\\\":\\\"+1999\\\",\\\"x\\\":{\\\"\"}";
    json_t *stored = check("text", evil);
    cr_assert_not_null(stored);
    json_t *body = laris_wa_outgoing_body(
        "text", json_string_value(json_object_get(stored, "body")), stored, "6281234567890", NULL);
    cr_assert_str_eq(json_string_value(json_object_get(body, "to")), "+6281234567890");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(body, "text"), "body")),
                     "\"},\"to\":\"+1999\",\"x\":{\"");
    cr_assert_eq(json_object_size(body), 5);
    json_decref(body);
    json_decref(stored);
}

Test(outgoing, limits_at_the_edge)
{
    char *json = laris_arena_printf(arena, "{\"body\":\"%s\"}", repeat("\xC3\xA9", 4096));
    json_t *ok = check("text", json);
    cr_assert_not_null(ok, "4096 characters (8192 bytes) fit");
    json_decref(ok);
    cr_assert_null(
        check("text", laris_arena_printf(arena, "{\"body\":\"%s\"}", repeat("a", 4097))));
    ok = check("image", laris_arena_printf(arena, "{\"id\":\"1\",\"caption\":\"%s\"}",
                                           repeat("\xF0\x9F\x98\x80", 1024)));
    cr_assert_not_null(ok, "1024 emoji captions fit");
    json_decref(ok);
    cr_assert_null(check("image", laris_arena_printf(arena, "{\"id\":\"1\",\"caption\":\"%s\"}",
                                                     repeat("x", 1025))));
    cr_assert_str_eq(err.fields[0].field, "image.caption");
}

/* Input refused, with the field the first error names. */
typedef struct {
    char type[16];
    char json[1400];
    char field[64];
} refused_t;

#define B(id, t) "{\"type\":\"reply\",\"reply\":{\"id\":\"" id "\",\"title\":\"" t "\"}}"
#define R(id)    "{\"id\":\"" id "\",\"title\":\"Row\"}"

#define TPL(urls)  "{\"name\":\"ok\",\"language\":\"id\",\"url_params\":" urls "}"
#define URLP(i, t) "{\"index\":" i ",\"text\":\"" t "\"}"

ParameterizedTestParameters(outgoing, refused)
{
    static refused_t cases[] = {
        {"fax", "{}", "type"},
        {"text", "{}", "text.body"},
        {"text", "{\"body\":\"   \\n\"}", "text.body"},
        {"text", "{\"body\":\"a\\u0000b\"}", "text.body"},
        {"text", "{\"body\":\"bell\\u0007\"}", "text.body"},
        {"text", "{\"body\":\"c1\\u0085\"}", "text.body"},
        {"text", "{\"body\":42}", "text.body"},
        {"text", "{\"body\":\"x\",\"preview_url\":\"yes\"}", "text.preview_url"},
        {"text", "{\"body\":\"x\",\"extra\":1}", "text.extra"},
        {"text", "[]", "text"},
        {"image", "{}", "image"},
        {"image", "{\"id\":\"1\",\"link\":\"https://a.b/c\"}", "image"},
        {"image", "{\"id\":\"12ab\"}", "image.id"},
        {"image", "{\"link\":\"javascript:alert(1)\"}", "image.link"},
        {"image", "{\"link\":\"file:///etc/passwd\"}", "image.link"},
        {"image", "{\"link\":\"https://a.b/c d\"}", "image.link"},
        {"image", "{\"id\":\"1\",\"filename\":\"a.pdf\"}", "image.filename"},
        {"audio", "{\"id\":\"1\",\"caption\":\"no\"}", "audio.caption"},
        {"sticker", "{\"id\":\"1\",\"caption\":\"no\"}", "sticker.caption"},
        {"video", "{\"id\":\"1\",\"voice\":true}", "video.voice"},
        {"document", "{\"id\":\"1\",\"filename\":\"../../etc/passwd\"}", "document.filename"},
        {"document", "{\"id\":\"1\",\"filename\":\"a\\nb.pdf\"}", "document.filename"},
        {"interactive", "{\"type\":\"carousel\"}", "interactive.type"},
        {"interactive", "{\"type\":\"button\",\"action\":{\"buttons\":[" B("a", "A") "]}}",
         "interactive.body.text"},
        {"interactive", "{\"type\":\"button\",\"body\":{\"text\":\"x\"},\"action\":{}}",
         "interactive.action.buttons"},
        {"interactive",
         "{\"type\":\"button\",\"body\":{\"text\":\"x\"},\"action\":{\"buttons\":[" B(
             "a", "A") "," B("b", "B") "," B("c", "C") "," B("d", "D") "]}}",
         "interactive.action.buttons"},
        {"interactive",
         "{\"type\":\"button\",\"body\":{\"text\":\"x\"},\"action\":{\"buttons\":[" B(
             "a", "123456789012345678901") "]}}",
         "interactive.action.buttons[0].reply.title"},
        {"interactive",
         "{\"type\":\"button\",\"body\":{\"text\":\"x\"},\"action\":{\"buttons\":[" B(
             "a", "Sama") "," B("b", "Sama") "]}}",
         "interactive.action.buttons[1].reply.title"},
        {"interactive",
         "{\"type\":\"button\",\"body\":{\"text\":\"x\"},\"footer\":{\"text\":\""
         "1234567890123456789012345678901234567890123456789012345678901\"},\"action\":{\"buttons\":"
         "[" B("a", "A") "]}}",
         "interactive.footer.text"},
        {"interactive",
         "{\"type\":\"list\",\"header\":{\"type\":\"image\",\"image\":{\"id\":\"1\"}},\"body\":{"
         "\"text\":\"x\"},\"action\":{\"button\":\"B\",\"sections\":[{\"rows\":[" R("a") "]}]}}",
         "interactive.header.type"},
        {"interactive",
         "{\"type\":\"list\",\"body\":{\"text\":\"x\"},\"action\":{\"button\":\"B\",\"sections\":[{"
         "\"title\":\"S\",\"rows\":[" R("1") "," R("2") "," R("3") "," R("4") "," R("5") "," R(
             "6") "]},{"
                  "\"title\":\"T\",\"rows\":[" R("7") "," R("8") "," R("9") "," R("10") "," R(
                      "11") "]}]}}",
         "interactive.action.sections"},
        {"interactive",
         "{\"type\":\"list\",\"body\":{\"text\":\"x\"},\"action\":{\"button\":\"B\",\"sections\":[{"
         "\"rows\":[" R("1") "]},{\"rows\":[" R("2") "]}]}}",
         "interactive.action.sections[0].title"},
        {"interactive",
         "{\"type\":\"list\",\"body\":{\"text\":\"x\"},\"action\":{\"button\":\"B\",\"sections\":[{"
         "\"rows\":[{\"id\":\"1\",\"title\":\"1234567890123456789012345\"}]}]}}",
         "interactive.action.sections[0].rows[0].title"},
        {"interactive",
         "{\"type\":\"list\",\"body\":{\"text\":\"x\"},\"action\":{\"button\":"
         "\"123456789012345678901\",\"sections\":[{\"rows\":[" R("1") "]}]}}",
         "interactive.action.button"},
        {"template", "{\"language\":\"id\"}", "template.name"},
        {"template", "{\"name\":\"Bad Name\",\"language\":\"id\"}", "template.name"},
        {"template", "{\"name\":\"ok\",\"language\":\"id;drop\"}", "template.language"},
        {"template", "{\"name\":\"ok\",\"language\":\"id\",\"params\":[\"a\\nb\"]}",
         "template.params"},
        {"template", "{\"name\":\"ok\",\"language\":\"id\",\"params\":[\"a     b\"]}",
         "template.params"},
        {"template", "{\"name\":\"ok\",\"language\":\"id\",\"params\":[1]}", "template.params"},
        {"template", "{\"name\":\"ok\",\"language\":\"id\",\"params\":{\"Bad-Name\":\"x\"}}",
         "template.params"},
        {"template", "{\"name\":\"ok\",\"language\":\"id\",\"params\":\"x\"}", "template.params"},
        {"template", "{\"name\":\"ok\",\"language\":\"id\",\"header_params\":[\"a\",\"b\"]}",
         "template.header_params"},
        /* url_params: [{index 0..9, text}] at most 2, distinct, text without spaces */
        {"template", TPL("{}"), "template.url_params"},
        {"template", TPL("[1]"), "template.url_params[0]"},
        {"template", TPL("[" URLP("0", "a") "," URLP("1", "b") "," URLP("2", "c") "]"),
         "template.url_params"},
        {"template", TPL("[" URLP("-1", "a") "]"), "template.url_params[0].index"},
        {"template", TPL("[" URLP("10", "a") "]"), "template.url_params[0].index"},
        {"template", TPL("[" URLP("\"1\"", "a") "]"), "template.url_params[0].index"},
        {"template", TPL("[" URLP("1.5", "a") "]"), "template.url_params[0].index"},
        {"template", TPL("[{\"index\":1}]"), "template.url_params[0].text"},
        {"template", TPL("[{\"index\":1,\"text\":7}]"), "template.url_params[0].text"},
        {"template", TPL("[" URLP("1", "") "]"), "template.url_params[0].text"},
        {"template", TPL("[" URLP("1", "a b") "]"), "template.url_params[0].text"},
        {"template",
         TPL("[" URLP("1", "a\xC2\xA0"
                           "b") "]"),
         "template.url_params[0].text"},
        {"template", TPL("[" URLP("1", "a\\nb") "]"), "template.url_params[0].text"},
        {"template", TPL("[" URLP("1", "a\\u0000b") "]"), "template.url_params[0].text"},
        {"template", TPL("[" URLP("1", "a\\u0085b") "]"), "template.url_params[0].text"},
        {"template", TPL("[" URLP("1", "a") "," URLP("1", "b") "]"),
         "template.url_params[1].index"},
        {"template", TPL("[{\"index\":1,\"text\":\"a\",\"sub_type\":\"url\"}]"),
         "template.url_params[0].sub_type"},
        {"reaction", "{\"message_id\":\"wamid.X=\",\"emoji\":\"ok\"}", "reaction.emoji"},
        {"reaction", "{\"message_id\":\"nope\",\"emoji\":\"\"}", "reaction.message_id"},
        {"reaction", "{\"emoji\":\"\"}", "reaction.message_id"},
        {"reaction",
         "{\"message_id\":\"wamid.X=\",\"emoji\":"
         "\"\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d"
         "\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude"
         "00"
         "\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud8"
         "3d"
         "\\ude00\"}",
         "reaction.emoji"},
        {"read", "{\"message_id\":\"wamid.\\\"}\"}", "read.message_id"},
    };
    return cr_make_param_array(refused_t, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(refused_t *c, outgoing, refused)
{
    json_t *out = check(c->type, c->json);
    cr_assert_null(out, "%s %s was accepted", c->type, c->json);
    cr_assert_gt(err.nfields, 0);
    cr_assert_str_eq(err.fields[0].field, c->field, "%s: %s (%s)", c->json, err.fields[0].field,
                     err.fields[0].message);
}

Test(outgoing, window_rule_per_type)
{
    const char *free_form[] = {"text",     "image",   "video",       "audio",
                               "document", "sticker", "interactive", "reaction"};
    for (size_t i = 0; i < sizeof(free_form) / sizeof(free_form[0]); i++)
        cr_assert(laris_wa_outgoing_needs_window(free_form[i]), "%s", free_form[i]);
    cr_assert_not(laris_wa_outgoing_needs_window("template"));
    cr_assert_not(laris_wa_outgoing_needs_window("read"));
}

Test(outgoing, a_stored_payload_that_does_not_fit_builds_nothing)
{
    cr_assert_null(laris_wa_outgoing_body("fax", NULL, NULL, "62812", NULL));
    cr_assert_null(laris_wa_outgoing_body("image", NULL, NULL, "62812", NULL));
    cr_assert_null(laris_wa_outgoing_body("text", NULL, NULL, "62812", NULL));
    cr_assert_null(laris_wa_outgoing_body("read", NULL, NULL, NULL, NULL));
    json_t *t = json_pack("{s:s}", "name", "x");
    cr_assert_null(laris_wa_outgoing_body("template", NULL, t, "62812", NULL));
    json_decref(t);
    json_t *img = json_pack("{s:s}", "id", "1");
    cr_assert_null(laris_wa_outgoing_body("image", NULL, img, NULL, NULL));
    json_decref(img);
}
