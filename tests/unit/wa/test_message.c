/* Unit tests for src/wa/message.c: each inbound message type's fields, from the fixtures. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "fixtures.h"
#include "laris/wa.h"

static laris_arena_t *arena;

static void setup(void)
{
    arena = laris_arena_create(65536);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(message, .init = setup, .fini = teardown);

#define SHA "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI="

/* The only message of a one-message fixture. */
static const laris_wa_message_t *only_message(const char *name)
{
    const laris_wa_webhook_t *w = wa_fixture_parse(arena, name);
    cr_assert_eq(w->nchanges, 1, "%s", name);
    cr_assert_eq(w->changes[0].nmessages, 1, "%s", name);
    return &w->changes[0].messages[0];
}

Test(message, text)
{
    const laris_wa_message_t *m = only_message("text");
    cr_assert_eq(m->kind, LARIS_WA_MSG_TEXT);
    cr_assert_str_eq(m->id, "wamid.HBgN1NjI4MTIzNDU2Nzg5MBUCABIYFDNBQ000001A=");
    cr_assert_str_eq(m->from, "6281234567890");
    cr_assert_eq(m->timestamp, 1763800000);
    cr_assert_str_eq(m->text, "Kak, gamis ukuran L masih ada?");
    cr_assert_null(m->context);
    cr_assert_null(m->referral);
    cr_assert_null(m->media);
    cr_assert_eq(m->nerrors, 0);
}

Test(message, unicode_escapes_become_utf8)
{
    const laris_wa_webhook_t *w = wa_fixture_parse(arena, "text_unicode");
    const laris_wa_message_t *m = &w->changes[0].messages[0];
    cr_assert_str_eq(m->text, "Terima kasih 🙏 — pesanan sudah sampai, bagus sekali 😊");
    cr_assert_str_eq(w->changes[0].contacts[0].name, "Bu Sari 🌸");
}

Test(message, image)
{
    const laris_wa_message_t *m = only_message("image");
    cr_assert_eq(m->kind, LARIS_WA_MSG_IMAGE);
    cr_assert_str_eq(m->media->id, "1037543291543636");
    cr_assert_str_eq(m->media->mime_type, "image/jpeg");
    cr_assert_str_eq(m->media->sha256, SHA);
    cr_assert_str_eq(m->media->caption, "yang ini kak");
    cr_assert_null(m->media->filename);
    cr_assert_null(m->media->url);
}

Test(message, voice_note)
{
    const laris_wa_message_t *m = only_message("audio_voice");
    cr_assert_eq(m->kind, LARIS_WA_MSG_AUDIO);
    cr_assert_str_eq(m->media->mime_type, "audio/ogg; codecs=opus");
    cr_assert(m->media->voice);
    cr_assert_null(m->media->caption);
}

Test(message, video_document_sticker)
{
    const laris_wa_message_t *m = only_message("video");
    cr_assert_eq(m->kind, LARIS_WA_MSG_VIDEO);
    cr_assert_str_eq(m->media->id, "1037543291543638");
    cr_assert_str_eq(m->media->mime_type, "video/mp4");

    m = only_message("document");
    cr_assert_eq(m->kind, LARIS_WA_MSG_DOCUMENT);
    cr_assert_str_eq(m->media->filename, "bukti-transfer.pdf");
    cr_assert_str_eq(m->media->caption, "sudah transfer ya");
    cr_assert_str_eq(m->media->mime_type, "application/pdf");

    m = only_message("sticker");
    cr_assert_eq(m->kind, LARIS_WA_MSG_STICKER);
    cr_assert_str_eq(m->media->id, "1037543291543640");
    cr_assert_not(m->media->animated);
}

Test(message, location)
{
    const laris_wa_message_t *m = only_message("location");
    cr_assert_eq(m->kind, LARIS_WA_MSG_LOCATION);
    cr_assert_float_eq(m->location->latitude, -6.2087634, 1e-9);
    cr_assert_float_eq(m->location->longitude, 106.845599, 1e-9);
    cr_assert_str_eq(m->location->name, "Rumah");
    cr_assert_str_eq(m->location->address, "Jl. Melati No. 5, Jakarta Selatan");
    cr_assert_null(m->location->url);
}

Test(message, shared_contact)
{
    const laris_wa_message_t *m = only_message("contacts");
    cr_assert_eq(m->kind, LARIS_WA_MSG_CONTACTS);
    cr_assert_eq(m->ncards, 1);
    cr_assert_str_eq(m->cards[0].formatted_name, "Dewi Lestari");
    cr_assert_eq(m->cards[0].nphones, 1);
    cr_assert_str_eq(m->cards[0].phones[0].phone, "+62 857-1234-5678");
    cr_assert_str_eq(m->cards[0].phones[0].wa_id, "6285712345678");
    cr_assert_str_eq(m->cards[0].phones[0].type, "CELL");
    cr_assert_not_null(strstr(m->raw, "\"last_name\":\"Lestari\""));
}

Test(message, interactive_replies)
{
    const laris_wa_message_t *m = only_message("interactive_button_reply");
    cr_assert_eq(m->kind, LARIS_WA_MSG_INTERACTIVE);
    cr_assert_str_eq(m->interactive->type, "button_reply");
    cr_assert_str_eq(m->interactive->id, "size-l");
    cr_assert_str_eq(m->interactive->title, "Ukuran L");
    cr_assert_str_eq(m->context->from, "6281100001111");

    m = only_message("interactive_list_reply");
    cr_assert_str_eq(m->interactive->type, "list_reply");
    cr_assert_str_eq(m->interactive->id, "kirim-jne");
    cr_assert_str_eq(m->interactive->title, "JNE Reguler");
    cr_assert_str_eq(m->interactive->description, "2-3 hari");
    cr_assert_str_eq(m->context->id, "wamid.HBgN1NjI4MTIzNDU2Nzg5MBUCABIYFDNBQ000901A=");
}

Test(message, template_button)
{
    const laris_wa_message_t *m = only_message("button_template_reply");
    cr_assert_eq(m->kind, LARIS_WA_MSG_BUTTON);
    cr_assert_str_eq(m->button->payload, "STOP_PROMO");
    cr_assert_str_eq(m->button->text, "Berhenti promo");
    cr_assert_str_eq(m->context->id, "wamid.HBgN1NjI4MTIzNDU2Nzg5MBUCABIYFDNBQ000902A=");
}

Test(message, reactions)
{
    const laris_wa_message_t *m = only_message("reaction");
    cr_assert_eq(m->kind, LARIS_WA_MSG_REACTION);
    cr_assert_str_eq(m->reaction->message_id, "wamid.HBgN1NjI4MTIzNDU2Nzg5MBUCABIYFDNBQ000903A=");
    cr_assert_str_eq(m->reaction->emoji, "❤️");
    cr_assert_not(m->reaction->removed);

    m = only_message("reaction_removed");
    cr_assert(m->reaction->removed);
    cr_assert_null(m->reaction->emoji);
    cr_assert_str_eq(m->reaction->message_id, "wamid.HBgN1NjI4MTIzNDU2Nzg5MBUCABIYFDNBQ000903A=");
}

Test(message, order)
{
    const laris_wa_message_t *m = only_message("order");
    cr_assert_eq(m->kind, LARIS_WA_MSG_ORDER);
    const laris_wa_order_t *o = m->order;
    cr_assert_str_eq(o->catalog_id, "354160437058781");
    cr_assert_str_eq(o->text, "Mau pesan ini kak");
    cr_assert_eq(o->nitems, 2);
    cr_assert_str_eq(o->items[0].product_retailer_id, "GAMIS-L-NAVY");
    cr_assert_eq(o->items[0].quantity, 2);
    cr_assert_float_eq(o->items[0].item_price, 185000.0, 1e-9);
    cr_assert_str_eq(o->items[1].currency, "IDR");
    int64_t total = 0;
    cr_assert(laris_wa_order_total(o, "IDR", &total));
    cr_assert_eq(total, 415000);
    cr_assert_not(laris_wa_order_total(o, "USD", &total));
}

Test(message, order_total_refuses_what_is_not_whole_rupiah)
{
    laris_wa_order_item_t items[2] = {
        {"A", 1, 30, "IDR"},
        {"B", 3, 12.5, "IDR"},
    };
    laris_wa_order_t o = {"c", NULL, 2, items};
    int64_t total = -1;
    cr_assert_not(laris_wa_order_total(&o, "IDR", &total));
    items[1].item_price = 12;
    cr_assert(laris_wa_order_total(&o, "IDR", &total));
    cr_assert_eq(total, 66);
    items[1].quantity = -1;
    cr_assert_not(laris_wa_order_total(&o, "IDR", &total));
    items[1].quantity = INT64_MAX / 2;
    cr_assert_not(laris_wa_order_total(&o, "IDR", &total), "overflow");
    items[1].quantity = 1;
    items[1].item_price = -5;
    cr_assert_not(laris_wa_order_total(&o, "IDR", &total));
    items[1].item_price = 1e300;
    cr_assert_not(laris_wa_order_total(&o, "IDR", &total));
    items[1].item_price = 5;
    items[1].currency = NULL;
    cr_assert_not(laris_wa_order_total(&o, "IDR", &total));
    laris_wa_order_t empty = {"c", NULL, 0, NULL};
    cr_assert(laris_wa_order_total(&empty, "IDR", &total));
    cr_assert_eq(total, 0);
}

Test(message, system_changed_number)
{
    const laris_wa_webhook_t *w = wa_fixture_parse(arena, "system_changed_number");
    cr_assert_eq(w->changes[0].ncontacts, 0);
    const laris_wa_message_t *m = &w->changes[0].messages[0];
    cr_assert_eq(m->kind, LARIS_WA_MSG_SYSTEM);
    cr_assert_str_eq(m->from, "6287788990011");
    cr_assert_str_eq(m->system->type, "user_changed_number");
    cr_assert_str_eq(m->system->wa_id, "6287788990022");
    cr_assert_str_eq(m->system->body, "User A changed from 6287788990011 to 6287788990022");
}

Test(message, unsupported_with_errors)
{
    const laris_wa_message_t *m = only_message("unsupported");
    cr_assert_eq(m->kind, LARIS_WA_MSG_UNSUPPORTED);
    cr_assert_str_eq(m->unsupported_type, "poll");
    cr_assert_eq(m->nerrors, 1);
    cr_assert_eq(m->errors[0].code, 131051);
    cr_assert_str_eq(m->errors[0].title, "Message type unknown");
    cr_assert_str_eq(m->errors[0].details, "Message type is currently not supported.");
}

Test(message, context_and_forwarding)
{
    const laris_wa_message_t *m = only_message("context_reply");
    cr_assert_str_eq(m->context->id, "wamid.HBgN1NjI4MTIzNDU2Nzg5MBUCABIYFDNBQ000904A=");
    cr_assert_not(m->context->forwarded);

    m = only_message("forwarded");
    cr_assert(m->context->forwarded);
    cr_assert_not(m->context->frequently_forwarded);
    cr_assert_null(m->context->id);
}

Test(message, referral)
{
    const laris_wa_message_t *m = only_message("referral_ad");
    const laris_wa_referral_t *r = m->referral;
    cr_assert_str_eq(m->text, "Halo, saya lihat iklan gamis");
    cr_assert_str_eq(r->source_type, "ad");
    cr_assert_str_eq(r->source_id, "120226305854810726");
    cr_assert_str_eq(r->source_url, "https://fb.me/3cr4Wqqkv");
    cr_assert_str_eq(r->headline, "Koleksi Lebaran");
    cr_assert_str_eq(r->media_type, "image");
    cr_assert_str_eq(r->image_url, "https://example.invalid/ad.jpg");
    cr_assert_eq(strncmp(r->ctwa_clid, "ARAkLkA8", 8), 0);
    cr_assert_null(r->video_url);
}

Test(message, unknown_type_is_kept)
{
    const laris_wa_message_t *m = only_message("unknown_type");
    cr_assert_eq(m->kind, LARIS_WA_MSG_OTHER);
    cr_assert_str_eq(m->type, "request_welcome");
    cr_assert_str_eq(m->raw, "{\"from\":\"6281234567890\",\"id\":\"wamid."
                             "HBgN1NjI4MTIzNDU2Nzg5MBUCABIYFDNBQ000021A=\",\"timestamp\":"
                             "\"1763800000\",\"type\":\"request_welcome\"}");
    cr_assert_eq(m->raw_len, strlen(m->raw));
}

Test(message, message_without_its_body)
{
    const laris_wa_webhook_t *w = wa_fixture_parse(arena, "message_without_body_error");
    const laris_wa_message_t *m = &w->changes[0].messages[0];
    cr_assert_eq(m->kind, LARIS_WA_MSG_INTERACTIVE);
    cr_assert_null(m->interactive);
    cr_assert_eq(m->nerrors, 0);
    cr_assert_eq(w->changes[0].nerrors, 1);
    cr_assert_eq(w->changes[0].errors[0].code, 131000);
    cr_assert_str_eq(w->changes[0].errors[0].details, "Unsupported webhook payload");
}

/* Messages whose shape is wrong are refused, naming the member. */
ParameterizedTestParameters(message, refuses)
{
    static struct wa_refusal_case cases[] = {
        {WA_MSGS("\"text\""), "messages[0] must be an object"},
        {WA_MSGS("{\"timestamp\":\"1\",\"type\":\"text\"}"), "messages[0].id is required"},
        {WA_MSGS("{\"id\":\"\",\"timestamp\":\"1\",\"type\":\"text\"}"), "id must not be empty"},
        {WA_MSGS("{\"id\":\"wamid.A\",\"type\":\"text\"}"), "messages[0].timestamp is required"},
        {WA_MSG("\"type\":7"), "messages[0].type must be a string"},
        {WA_MSGS("{\"id\":\"wamid.A\",\"timestamp\":\"soon\",\"type\":\"text\"}"),
         "timestamp must be Unix seconds"},
        {WA_MSGS("{\"id\":\"wamid.A\",\"timestamp\":-5,\"type\":\"text\"}"),
         "timestamp must be Unix seconds"},
        {WA_MSGS("{\"id\":\"wamid.A\",\"timestamp\":\"12345678901234567890\",\"type\":\"text\"}"),
         "timestamp must be Unix seconds"},
        {WA_MSG("\"type\":\"text\",\"text\":\"hi\""), "messages[0].text must be an object"},
        {WA_MSG("\"type\":\"text\",\"text\":{\"body\":5}"),
         "messages[0].text.body must be a string"},
        {WA_MSG("\"type\":\"image\",\"image\":{\"id\":5}"),
         "messages[0].image.id must be a string"},
        {WA_MSG("\"type\":\"audio\",\"audio\":{\"voice\":\"yes\"}"),
         "audio.voice must be true or false"},
        {WA_MSG("\"type\":\"location\",\"location\":{\"latitude\":1}"),
         "location.longitude is required"},
        {WA_MSG("\"type\":\"location\",\"location\":{\"latitude\":91,\"longitude\":0}"),
         "latitude must be between -90 and 90"},
        {WA_MSG("\"type\":\"reaction\",\"reaction\":{\"emoji\":\"x\"}"),
         "reaction.message_id is required"},
        {WA_MSG("\"type\":\"order\",\"order\":{\"product_items\":[{\"quantity\":1.5}]}"),
         "order.product_items[0].quantity must be an integer"},
        {WA_MSG("\"type\":\"contacts\",\"contacts\":[{\"phones\":[{\"wa_id\":1}]}]"),
         "contacts[0].phones[0].wa_id must be a string"},
        {WA_MSG("\"type\":\"interactive\",\"interactive\":{\"type\":\"list_reply\","
                "\"list_reply\":[]}"),
         "interactive.list_reply must be an object"},
        {WA_MSG("\"type\":\"text\",\"context\":{\"forwarded\":1}"),
         "context.forwarded must be true or false"},
        {WA_MSG("\"type\":\"text\",\"referral\":{\"welcome_message\":{\"text\":1}}"),
         "referral.welcome_message.text must be a string"},
        {WA_MSG("\"type\":\"text\",\"errors\":[{\"title\":\"x\"}]"), "errors[0].code is required"},
        {WA_MSG("\"type\":\"text\",\"errors\":[{\"code\":1,\"error_data\":{\"details\":2}}]"),
         "errors[0].error_data.details must be a string"},
    };
    return cr_make_param_array(struct wa_refusal_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct wa_refusal_case *c, message, refuses)
{
    wa_assert_refused(arena, c);
}
