/* Unit tests of src/sim/validate.c: request body in, accepted or Meta's error code out. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "laris/sim.h"

static const laris_sim_template_t templates[] = {
    {"order_update", "id", "APPROVED", "UTILITY", 2, false, "Pesanan {{1}}: {{2}}", 0, 0},
    {"promo", "id", "PENDING", "MARKETING", 0, false, "Promo", 0, 0},
    {"paused_one", "id", "PAUSED", "MARKETING", 0, false, "Paused", 0, 0},
    {"gone", "id", "DISABLED", "MARKETING", 0, false, "Gone", 0, 0},
    {"welcome_named", "id", "APPROVED", "MARKETING", 2, true,
     "Halo {{first_name}}, kode {{discount_code}}", 0, 0},
    /* buttons: 0 quick reply, 1 https://toko.id/order/{{1}}, 2 https://toko.id/bantuan */
    {"track_order", "id", "APPROVED", "UTILITY", 1, false, "Pesanan {{1}} dikirim", 0x6, 0x2},
};

static const laris_sim_template_t *find(void *ctx, const char *name, const char *language)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)
        if (!strcmp(templates[i].name, name) && !strcmp(templates[i].language, language))
            return &templates[i];
    return NULL;
}

/* Bodies are held inline: Criterion runs each case in a new process, where pointers into the
 * parent's data would not be valid. */
typedef struct {
    char body[1024];
    int64_t code; /* 0: accepted */
} validate_case_t;

#define BASE       "\"messaging_product\":\"whatsapp\",\"to\":\"+62 812-3456-7890\","
#define BTN(id, t) "{\"type\":\"reply\",\"reply\":{\"id\":\"" id "\",\"title\":\"" t "\"}}"
#define ROW(id)    "{\"id\":\"" id "\",\"title\":\"Row " id "\"}"
#define NP(n, t)   "{\"type\":\"text\",\"parameter_name\":\"" n "\",\"text\":\"" t "\"}"
#define TXT(t)     "{\"type\":\"text\",\"text\":\"" t "\"}"
#define URLB(i, p) "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":" i ",\"parameters\":" p "}"
#define TRACK                                                                                      \
    "\"type\":\"template\",\"template\":{\"name\":\"track_order\",\"language\":{\"code\":"         \
    "\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[" TXT("A-42") "]}"

ParameterizedTestParameters(validate, cases)
{
    static validate_case_t cases[] = {
        /* common body */
        {"[]", 100},
        {"{\"to\":\"6281234567890\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}", 131008},
        {"{\"messaging_product\":\"sms\",\"to\":\"6281234567890\",\"text\":{\"body\":\"x\"}}", 100},
        {"{\"messaging_product\":\"whatsapp\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}",
         131008},
        {"{\"messaging_product\":\"whatsapp\",\"to\":\"call me\",\"text\":{\"body\":\"x\"}}",
         131009},
        {"{" BASE "\"recipient_type\":\"crowd\",\"text\":{\"body\":\"x\"}}", 100},
        {"{" BASE "\"type\":\"fax\",\"fax\":{}}", 100},
        {"{" BASE "\"type\":\"text\"}", 131008},
        {"{" BASE "\"text\":{\"body\":\"type defaults to text\"}}", 0},
        /* text */
        {"{" BASE "\"type\":\"text\",\"text\":{\"body\":\"Halo kak \xF0\x9F\x98\x8A\"}}", 0},
        {"{" BASE "\"type\":\"text\",\"text\":{\"body\":\"\"}}", 100},
        {"{" BASE "\"type\":\"text\",\"text\":{\"body\":7}}", 131009},
        {"{" BASE "\"type\":\"text\",\"text\":{\"body\":\"x\",\"preview_url\":\"yes\"}}", 131009},
        /* context */
        {"{" BASE "\"context\":{\"message_id\":\"wamid.ABC=\"},\"text\":{\"body\":\"x\"}}", 0},
        {"{" BASE "\"context\":{\"message_id\":\"42\"},\"text\":{\"body\":\"x\"}}", 131009},
        {"{" BASE "\"context\":{},\"text\":{\"body\":\"x\"}}", 131008},
        /* media */
        {"{" BASE "\"type\":\"image\",\"image\":{\"id\":\"1013859600285441\",\"caption\":\"c\"}}",
         0},
        {"{" BASE "\"type\":\"document\",\"document\":{\"link\":\"https://x.id/a.pdf\","
         "\"filename\":\"a.pdf\"}}",
         0},
        {"{" BASE "\"type\":\"image\",\"image\":{}}", 131008},
        {"{" BASE "\"type\":\"image\",\"image\":{\"id\":\"1\",\"link\":\"https://x.id/a\"}}", 100},
        {"{" BASE "\"type\":\"image\",\"image\":{\"link\":\"ftp://x.id/a.png\"}}", 131009},
        {"{" BASE "\"type\":\"audio\",\"audio\":{\"id\":\"1\",\"caption\":\"no\"}}", 100},
        {"{" BASE "\"type\":\"image\",\"image\":{\"id\":\"1\",\"filename\":\"a.png\"}}", 100},
        {"{" BASE "\"type\":\"sticker\",\"sticker\":{\"id\":\"abc\"}}", 131009},
        /* location, contacts */
        {"{" BASE "\"type\":\"location\",\"location\":{\"latitude\":-6.2,\"longitude\":106.8}}", 0},
        {"{" BASE "\"type\":\"location\",\"location\":{\"latitude\":-6.2}}", 131008},
        {"{" BASE "\"type\":\"contacts\",\"contacts\":[{\"name\":{\"formatted_name\":\"A\"}}]}", 0},
        {"{" BASE "\"type\":\"contacts\",\"contacts\":[{\"name\":{}}]}", 131008},
        /* interactive buttons */
        {"{" BASE
         "\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":"
         "\"Pilih\"},\"action\":{\"buttons\":[" BTN("a", "Ya") "," BTN("b", "Tidak") "]}}}",
         0},
        {"{" BASE
         "\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":"
         "\"Pilih\"},\"action\":{\"buttons\":[" BTN("a", "1") "," BTN("b", "2") "," BTN(
             "c", "3") "," BTN("d", "4") "]}}}",
         131009},
        {"{" BASE
         "\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":"
         "\"Pilih\"},\"action\":{\"buttons\":[" BTN("a", "Twenty-one characters") "]}}}",
         131009},
        {"{" BASE
         "\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":"
         "\"Pilih\"},\"action\":{\"buttons\":[" BTN("a", "Ya") "," BTN("b", "Ya") "]}}}",
         131009},
        {"{" BASE "\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"action\":{"
         "\"buttons\":[" BTN("a", "Ya") "]}}}",
         131008},
        /* interactive lists */
        {"{" BASE "\"type\":\"interactive\",\"interactive\":{\"type\":\"list\",\"body\":{\"text\":"
         "\"Pilih\"},\"action\":{\"button\":\"Opsi\",\"sections\":[{\"title\":\"S\",\"rows\":"
         "[" ROW("1") "," ROW("2") "]}]}}}",
         0},
        {"{" BASE "\"type\":\"interactive\",\"interactive\":{\"type\":\"list\",\"body\":{\"text\":"
         "\"Pilih\"},\"action\":{\"button\":\"Opsi\",\"sections\":[{\"title\":\"S\",\"rows\":"
         "[" ROW("1") "," ROW("2") "," ROW("3") "," ROW("4") "," ROW("5") "," ROW(
             "6") "]},"
                  "{\"title\":\"T\",\"rows\":[" ROW("7") "," ROW("8") "," ROW("9") "," ROW(
                      "10") "," ROW("11") "]}]}}}",
         131009},
        {"{" BASE "\"type\":\"interactive\",\"interactive\":{\"type\":\"list\",\"body\":{\"text\":"
         "\"Pilih\"},\"action\":{\"sections\":[{\"rows\":[" ROW("1") "]}]}}}",
         131008},
        {"{" BASE "\"type\":\"interactive\",\"interactive\":{\"type\":\"carousel\",\"body\":{"
         "\"text\":\"x\"}}}",
         100},
        /* reactions */
        {"{" BASE "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.A=\",\"emoji\":"
         "\"\\ud83d\\ude00\"}}",
         0},
        {"{" BASE "\"type\":\"reaction\",\"reaction\":{\"emoji\":\"x\"}}", 131008},
        {"{" BASE "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"abc\",\"emoji\":\"x\"}}",
         131009},
        {"{" BASE "\"context\":{\"message_id\":\"wamid.B=\"},\"type\":\"reaction\",\"reaction\":{"
         "\"message_id\":\"wamid.A=\",\"emoji\":\"x\"}}",
         131009},
        /* templates */
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":{"
         "\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":"
         "\"text\","
         "\"text\":\"Siti\"},{\"type\":\"text\",\"text\":\"A-42\"}]}]}}",
         0},
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":{"
         "\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":"
         "\"text\","
         "\"text\":\"Siti\"}]}]}}",
         132000},
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":{"
         "\"code\":\"en\"}}}",
         132001},
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"promo\",\"language\":{"
         "\"code\":\"id\"}}}",
         132001},
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"paused_one\",\"language\":{"
         "\"code\":\"id\"}}}",
         132015},
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"gone\",\"language\":{"
         "\"code\":\"id\"}}}",
         132016},
        {"{" BASE "\"type\":\"template\",\"template\":{\"language\":{\"code\":\"id\"}}}", 131008},
        /* named parameters: names required, must exist; positional templates refuse them */
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"welcome_named\",\"language\":"
         "{\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[" NP(
             "first_name", "Siti") "," NP("discount_code", "HEMAT") "]}]}}",
         0},
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"welcome_named\",\"language\":"
         "{\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[" NP(
             "first_name", "Siti") "," NP("nope", "HEMAT") "]}]}}",
         132018},
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"welcome_named\",\"language\":"
         "{\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[" NP(
             "first_name", "Siti") ",{\"type\":\"text\",\"text\":\"x\"}]}]}}",
         131008},
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":{"
         "\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[" NP(
             "a", "Siti") "," NP("b", "A-42") "]}]}}",
         100},
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":{"
         "\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":"
         "\"text\",\"text\":\"a\\nb\"},{\"type\":\"text\",\"text\":\"A-42\"}]}]}}",
         132018},
        /* URL buttons: the button whose link ends in {{1}} gets one text parameter (index a
           number or a string), the static one none; other indexes and sub_types are refused */
        {"{" BASE TRACK "," URLB("\"1\"", "[" TXT("4242") "]") "]}}", 0},
        {"{" BASE TRACK "," URLB("1", "[" TXT("4242") "]") "]}}", 0},
        {"{" BASE TRACK "," URLB("1", "[" TXT("4242") "]") "," URLB("2", "[]") "]}}", 0},
        {"{" BASE TRACK "]}}", 132000},
        {"{" BASE TRACK "," URLB("1", "[]") "]}}", 132000},
        {"{" BASE TRACK "," URLB("1", "[" TXT("a") "," TXT("b") "]") "]}}", 132000},
        {"{" BASE TRACK "," URLB("2", "[" TXT("4242") "]") "]}}", 132000},
        {"{" BASE TRACK "," URLB("0", "[" TXT("4242") "]") "]}}", 131009},
        {"{" BASE TRACK "," URLB("7", "[" TXT("4242") "]") "]}}", 131009},
        {"{" BASE TRACK "," URLB("\"-1\"", "[" TXT("4242") "]") "]}}", 131009},
        {"{" BASE TRACK "," URLB("10", "[" TXT("4242") "]") "]}}", 131009},
        {"{" BASE TRACK "," URLB("1", "[" TXT("4242") "]") "," URLB("1", "[" TXT("1") "]") "]}}",
         131009},
        {"{" BASE TRACK "," URLB("1", "[" TXT("") "]") "]}}", 131008},
        {"{" BASE TRACK "," URLB("1", "[{\"type\":\"payload\",\"payload\":\"x\"}]") "]}}", 131008},
        {"{" BASE TRACK "," URLB("1", "[" TXT("a\\nb") "]") "]}}", 132018},
        {"{" BASE TRACK
         ",{\"type\":\"button\",\"index\":\"1\",\"parameters\":[" TXT("4242") "]}]}}",
         131008},
        {"{" BASE TRACK ",{\"type\":\"button\",\"sub_type\":\"quick_reply\",\"index\":0,"
         "\"parameters\":[{\"type\":\"payload\",\"payload\":\"STOP\"}]}," URLB(
             "1", "[" TXT("4242") "]") "]}}",
         0},
        {"{" BASE "\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":{"
         "\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":[" TXT("Siti") "," TXT(
             "A-42") "]}," URLB("0", "[" TXT("4242") "]") "]}}",
         131009},
        /* read receipts */
        {"{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\"wamid.A=\"}", 0},
        {"{\"messaging_product\":\"whatsapp\",\"status\":\"read\"}", 131008},
        {"{\"messaging_product\":\"whatsapp\",\"status\":\"deleted\",\"message_id\":\"wamid."
         "A\"}",
         100},
    };
    return cr_make_param_array(validate_case_t, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(validate_case_t *c, validate, cases)
{
    laris_arena_t *a = laris_arena_create(4096);
    json_error_t jerr;
    json_t *body = json_loads(c->body, 0, &jerr);
    cr_assert_not_null(body, "bad test JSON: %s in %s", jerr.text, c->body);
    laris_sim_send_t send;
    laris_sim_verdict_t v;
    bool ok = laris_sim_validate_send(a, body, find, NULL, &send, &v);
    cr_assert_eq(ok, c->code == 0, "%s -> %lld %s", c->body, (long long)v.code,
                 v.details ? v.details : "");
    cr_assert_eq(v.code, c->code, "%s -> %lld (%s), want %lld", c->body, (long long)v.code,
                 v.details ? v.details : "", (long long)c->code);
    if (!ok)
        cr_assert(v.details && *v.details, "refusals carry details");
    json_decref(body);
    laris_arena_destroy(a);
}

Test(validate, accepted_send_describes_itself)
{
    laris_arena_t *a = laris_arena_create(4096);
    json_t *body = json_loads("{" BASE "\"biz_opaque_callback_data\":\"laris-msg-1\",\"type\":"
                              "\"text\",\"text\":{\"body\":\"x\"}}",
                              0, NULL);
    laris_sim_send_t send;
    laris_sim_verdict_t v;
    cr_assert(laris_sim_validate_send(a, body, find, NULL, &send, &v));
    cr_assert_str_eq(send.wa_id, "6281234567890");
    cr_assert_str_eq(send.to, "+62 812-3456-7890");
    cr_assert_str_eq(send.type, "text");
    cr_assert(send.needs_window);
    cr_assert_null(send.template_category);
    cr_assert_str_eq(send.biz_opaque_callback_data, "laris-msg-1");
    json_decref(body);
    laris_arena_destroy(a);
}

Test(validate, templates_need_no_window_and_carry_their_category)
{
    laris_arena_t *a = laris_arena_create(4096);
    json_t *body = json_loads("{" BASE "\"type\":\"template\",\"template\":{\"name\":"
                              "\"order_update\",\"language\":{\"code\":\"id\"},\"components\":[{"
                              "\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":"
                              "\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}]}}",
                              0, NULL);
    laris_sim_send_t send;
    laris_sim_verdict_t v;
    cr_assert(laris_sim_validate_send(a, body, find, NULL, &send, &v));
    cr_assert_not(send.needs_window);
    cr_assert_str_eq(send.template_category, "utility");
    json_decref(body);
    laris_arena_destroy(a);
}

Test(validate, text_body_limit_is_4096_characters_not_bytes)
{
    laris_arena_t *a = laris_arena_create(4096);
    /* 4096 two-byte characters pass; one more fails. */
    const size_t limit = 4096;
    char *text = malloc(2 * (limit + 1) + 1);
    for (size_t i = 0; i <= limit; i++)
        memcpy(text + 2 * i, "\xC3\xA9", 2);
    text[2 * limit] = '\0';
    json_t *body = json_pack("{s:s,s:s,s:{s:s}}", "messaging_product", "whatsapp", "to",
                             "6281234567890", "text", "body", text);
    laris_sim_send_t send;
    laris_sim_verdict_t v;
    cr_assert(laris_sim_validate_send(a, body, NULL, NULL, &send, &v), "%s", v.details);
    json_decref(body);
    text[2 * limit] = (char)0xC3; /* the 4097th character again */
    text[2 * (limit + 1)] = '\0';
    body = json_pack("{s:s,s:s,s:{s:s}}", "messaging_product", "whatsapp", "to", "6281234567890",
                     "text", "body", text);
    cr_assert_not(laris_sim_validate_send(a, body, NULL, NULL, &send, &v));
    cr_assert_eq(v.code, 100);
    json_decref(body);
    free(text);
    laris_arena_destroy(a);
}

Test(validate, counts_distinct_placeholders)
{
    cr_assert_eq(laris_sim_count_placeholders("Halo {{1}}, pesanan {{2}} ({{1}})"), 2);
    cr_assert_eq(laris_sim_count_placeholders("Hi {{first_name}}, use {{code}}"), 2);
    cr_assert_eq(laris_sim_count_placeholders("No parameters"), 0);
    cr_assert_eq(laris_sim_count_placeholders(NULL), 0);
    cr_assert_eq(laris_sim_count_placeholders("Broken {{1"), 0);
}
