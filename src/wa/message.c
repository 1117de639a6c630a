/* Inbound messages of every type: the common fields, each type's object and the raw JSON.
 *
 * Each known type has a reader in a table; a reader looks for the member named like the type
 * and leaves the message's pointer NULL when Meta sent none. Unknown types get no reader but
 * keep their type string and raw JSON. */
#include <string.h>

#include "laris/json.h"
#include "wa_internal.h"

#define PRICE_MAX 9.0e15 /* below 2^53: every whole number up to here is exact in a double */

typedef bool (*body_reader_fn)(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);

static bool read_text(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);
static bool read_media(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);
static bool read_location(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);
static bool read_cards(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);
static bool read_interactive(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);
static bool read_button(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);
static bool read_reaction(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);
static bool read_order(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);
static bool read_system(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);
static bool read_unsupported(wa_parser_t *p, json_t *msg, laris_wa_message_t *m);

/* The message types we read further, ending in a null entry. */
static const struct {
    const char *type;
    laris_wa_msg_kind_t kind;
    body_reader_fn read;
} message_types[] = {
    {"text", LARIS_WA_MSG_TEXT, read_text},
    {"image", LARIS_WA_MSG_IMAGE, read_media},
    {"audio", LARIS_WA_MSG_AUDIO, read_media},
    {"video", LARIS_WA_MSG_VIDEO, read_media},
    {"document", LARIS_WA_MSG_DOCUMENT, read_media},
    {"sticker", LARIS_WA_MSG_STICKER, read_media},
    {"location", LARIS_WA_MSG_LOCATION, read_location},
    {"contacts", LARIS_WA_MSG_CONTACTS, read_cards},
    {"interactive", LARIS_WA_MSG_INTERACTIVE, read_interactive},
    {"button", LARIS_WA_MSG_BUTTON, read_button},
    {"reaction", LARIS_WA_MSG_REACTION, read_reaction},
    {"order", LARIS_WA_MSG_ORDER, read_order},
    {"system", LARIS_WA_MSG_SYSTEM, read_system},
    {"unsupported", LARIS_WA_MSG_UNSUPPORTED, read_unsupported},
    {NULL, LARIS_WA_MSG_OTHER, NULL},
};

/* Finds the object member named key and pushes its path; false only on a wrong type. */
static bool enter(wa_parser_t *p, json_t *msg, const char *key, json_t **obj, size_t *old)
{
    *obj = NULL;
    if (!wa_object(p, msg, key, false, obj))
        return false;
    if (*obj != NULL)
        *old = wa_push(p, key);
    return true;
}

static bool read_text(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o;
    size_t old = 0;
    if (!enter(p, msg, "text", &o, &old))
        return false;
    if (o == NULL)
        return true;
    if (!wa_string(p, o, "body", false, &m->text))
        return false;
    wa_pop(p, old);
    return true;
}

/* image, audio, video, document and sticker share one shape under the member named m->type. */
static bool read_media(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o;
    size_t old = 0;
    if (!enter(p, msg, m->type, &o, &old))
        return false;
    if (o == NULL)
        return true;
    laris_wa_media_t *media = LARIS_NEW(p->arena, laris_wa_media_t);
    if (!wa_string(p, o, "id", false, &media->id) ||
        !wa_string(p, o, "mime_type", false, &media->mime_type) ||
        !wa_string(p, o, "sha256", false, &media->sha256) ||
        !wa_string(p, o, "caption", false, &media->caption) ||
        !wa_string(p, o, "filename", false, &media->filename) ||
        !wa_string(p, o, "url", false, &media->url) || !wa_bool(p, o, "voice", &media->voice) ||
        !wa_bool(p, o, "animated", &media->animated))
        return false;
    wa_pop(p, old);
    m->media = media;
    return true;
}

static bool read_location(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o;
    size_t old = 0;
    if (!enter(p, msg, "location", &o, &old))
        return false;
    if (o == NULL)
        return true;
    laris_wa_location_t *loc = LARIS_NEW(p->arena, laris_wa_location_t);
    if (!wa_number(p, o, "latitude", true, &loc->latitude) ||
        !wa_number(p, o, "longitude", true, &loc->longitude) ||
        !wa_string(p, o, "name", false, &loc->name) ||
        !wa_string(p, o, "address", false, &loc->address) ||
        !wa_string(p, o, "url", false, &loc->url))
        return false;
    if (loc->latitude < -90 || loc->latitude > 90)
        return wa_fail(p, "latitude", "must be between -90 and 90");
    if (loc->longitude < -180 || loc->longitude > 180)
        return wa_fail(p, "longitude", "must be between -180 and 180");
    wa_pop(p, old);
    m->location = loc;
    return true;
}

/* One shared contact card: the formatted name and the phones. */
static bool read_card(wa_parser_t *p, json_t *o, laris_wa_card_t *card)
{
    json_t *name = NULL, *phones = NULL;
    if (!wa_object(p, o, "name", false, &name) ||
        !wa_array(p, o, "phones", false, &phones, &card->nphones))
        return false;
    if (name != NULL) {
        size_t old = wa_push(p, "name");
        if (!wa_string(p, name, "formatted_name", false, &card->formatted_name))
            return false;
        wa_pop(p, old);
    }
    if (card->nphones > 0)
        card->phones = LARIS_ARRAY(p->arena, laris_wa_card_phone_t, card->nphones);
    for (size_t i = 0; i < card->nphones; i++) {
        json_t *ph = json_array_get(phones, i);
        laris_wa_card_phone_t *out = &card->phones[i];
        size_t old = wa_push_index(p, "phones", i);
        if (!wa_string(p, ph, "phone", false, &out->phone) ||
            !wa_string(p, ph, "wa_id", false, &out->wa_id) ||
            !wa_string(p, ph, "type", false, &out->type))
            return false;
        wa_pop(p, old);
    }
    return true;
}

static bool read_cards(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *arr = NULL;
    if (!wa_array(p, msg, "contacts", false, &arr, &m->ncards))
        return false;
    if (m->ncards == 0)
        return true;
    laris_wa_card_t *cards = LARIS_ARRAY(p->arena, laris_wa_card_t, m->ncards);
    for (size_t i = 0; i < m->ncards; i++) {
        size_t old = wa_push_index(p, "contacts", i);
        if (!read_card(p, json_array_get(arr, i), &cards[i]))
            return false;
        wa_pop(p, old);
    }
    m->cards = cards;
    return true;
}

/* The reply subtypes whose object we read: interactive.<type> with these members. */
static bool is_reply_subtype(const char *type)
{
    return strcmp(type, "button_reply") == 0 || strcmp(type, "list_reply") == 0 ||
           strcmp(type, "nfm_reply") == 0;
}

static bool read_interactive(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o, *reply = NULL;
    size_t old = 0;
    if (!enter(p, msg, "interactive", &o, &old))
        return false;
    if (o == NULL)
        return true;
    laris_wa_interactive_t *in = LARIS_NEW(p->arena, laris_wa_interactive_t);
    if (!wa_string(p, o, "type", false, &in->type))
        return false;
    if (in->type != NULL && is_reply_subtype(in->type) && !wa_object(p, o, in->type, false, &reply))
        return false;
    if (reply != NULL) {
        wa_push(p, in->type);
        if (!wa_string(p, reply, "id", false, &in->id) ||
            !wa_string(p, reply, "title", false, &in->title) ||
            !wa_string(p, reply, "description", false, &in->description) ||
            !wa_string(p, reply, "name", false, &in->name) ||
            !wa_string(p, reply, "body", false, &in->body) ||
            !wa_string(p, reply, "response_json", false, &in->response_json))
            return false;
    }
    wa_pop(p, old);
    m->interactive = in;
    return true;
}

static bool read_button(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o;
    size_t old = 0;
    if (!enter(p, msg, "button", &o, &old))
        return false;
    if (o == NULL)
        return true;
    laris_wa_button_t *b = LARIS_NEW(p->arena, laris_wa_button_t);
    if (!wa_string(p, o, "payload", false, &b->payload) ||
        !wa_string(p, o, "text", false, &b->text))
        return false;
    wa_pop(p, old);
    m->button = b;
    return true;
}

static bool read_reaction(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o;
    size_t old = 0;
    if (!enter(p, msg, "reaction", &o, &old))
        return false;
    if (o == NULL)
        return true;
    laris_wa_reaction_t *r = LARIS_NEW(p->arena, laris_wa_reaction_t);
    if (!wa_string(p, o, "message_id", true, &r->message_id) ||
        !wa_string(p, o, "emoji", false, &r->emoji))
        return false;
    if (r->emoji != NULL && r->emoji[0] == '\0')
        r->emoji = NULL;
    r->removed = r->emoji == NULL;
    wa_pop(p, old);
    m->reaction = r;
    return true;
}

static bool read_order_item(wa_parser_t *p, json_t *o, laris_wa_order_item_t *item)
{
    return wa_string(p, o, "product_retailer_id", false, &item->product_retailer_id) &&
           wa_integer(p, o, "quantity", false, &item->quantity) &&
           wa_number(p, o, "item_price", false, &item->item_price) &&
           wa_string(p, o, "currency", false, &item->currency);
}

static bool read_order(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o, *items = NULL;
    size_t old = 0;
    if (!enter(p, msg, "order", &o, &old))
        return false;
    if (o == NULL)
        return true;
    laris_wa_order_t *order = LARIS_NEW(p->arena, laris_wa_order_t);
    if (!wa_string(p, o, "catalog_id", false, &order->catalog_id) ||
        !wa_string(p, o, "text", false, &order->text) ||
        !wa_array(p, o, "product_items", false, &items, &order->nitems))
        return false;
    if (order->nitems > 0)
        order->items = LARIS_ARRAY(p->arena, laris_wa_order_item_t, order->nitems);
    for (size_t i = 0; i < order->nitems; i++) {
        size_t item_old = wa_push_index(p, "product_items", i);
        if (!read_order_item(p, json_array_get(items, i), &order->items[i]))
            return false;
        wa_pop(p, item_old);
    }
    wa_pop(p, old);
    m->order = order;
    return true;
}

static bool read_system(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o;
    size_t old = 0;
    if (!enter(p, msg, "system", &o, &old))
        return false;
    if (o == NULL)
        return true;
    laris_wa_system_t *s = LARIS_NEW(p->arena, laris_wa_system_t);
    if (!wa_string(p, o, "type", false, &s->type) || !wa_string(p, o, "body", false, &s->body) ||
        !wa_string(p, o, "wa_id", false, &s->wa_id) ||
        !wa_string(p, o, "user_id", false, &s->user_id))
        return false;
    if (s->wa_id == NULL && !wa_string(p, o, "new_wa_id", false, &s->wa_id))
        return false;
    wa_pop(p, old);
    m->system = s;
    return true;
}

static bool read_unsupported(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o;
    size_t old = 0;
    if (!enter(p, msg, "unsupported", &o, &old))
        return false;
    if (o == NULL)
        return true;
    if (!wa_string(p, o, "type", false, &m->unsupported_type))
        return false;
    wa_pop(p, old);
    return true;
}

static bool read_context(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o, *product = NULL;
    size_t old = 0;
    if (!enter(p, msg, "context", &o, &old))
        return false;
    if (o == NULL)
        return true;
    laris_wa_context_t *c = LARIS_NEW(p->arena, laris_wa_context_t);
    if (!wa_string(p, o, "from", false, &c->from) || !wa_string(p, o, "id", false, &c->id) ||
        !wa_bool(p, o, "forwarded", &c->forwarded) ||
        !wa_bool(p, o, "frequently_forwarded", &c->frequently_forwarded) ||
        !wa_object(p, o, "referred_product", false, &product))
        return false;
    if (product != NULL) {
        wa_push(p, "referred_product");
        if (!wa_string(p, product, "catalog_id", false, &c->product_catalog_id) ||
            !wa_string(p, product, "product_retailer_id", false, &c->product_retailer_id))
            return false;
    }
    wa_pop(p, old);
    m->context = c;
    return true;
}

static bool read_referral(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    json_t *o, *welcome = NULL;
    size_t old = 0;
    if (!enter(p, msg, "referral", &o, &old))
        return false;
    if (o == NULL)
        return true;
    laris_wa_referral_t *r = LARIS_NEW(p->arena, laris_wa_referral_t);
    if (!wa_string(p, o, "source_url", false, &r->source_url) ||
        !wa_string(p, o, "source_id", false, &r->source_id) ||
        !wa_string(p, o, "source_type", false, &r->source_type) ||
        !wa_string(p, o, "body", false, &r->body) ||
        !wa_string(p, o, "headline", false, &r->headline) ||
        !wa_string(p, o, "media_type", false, &r->media_type) ||
        !wa_string(p, o, "image_url", false, &r->image_url) ||
        !wa_string(p, o, "video_url", false, &r->video_url) ||
        !wa_string(p, o, "thumbnail_url", false, &r->thumbnail_url) ||
        !wa_string(p, o, "ctwa_clid", false, &r->ctwa_clid) ||
        !wa_object(p, o, "welcome_message", false, &welcome))
        return false;
    if (welcome != NULL) {
        wa_push(p, "welcome_message");
        if (!wa_string(p, welcome, "text", false, &r->welcome_text))
            return false;
    }
    wa_pop(p, old);
    m->referral = r;
    return true;
}

/* The common fields, the type's object, context, referral, errors and the raw JSON. */
static bool read_message(wa_parser_t *p, json_t *msg, laris_wa_message_t *m)
{
    if (!wa_string(p, msg, "id", true, &m->id) || !wa_string(p, msg, "from", false, &m->from) ||
        !wa_string(p, msg, "from_user_id", false, &m->from_user_id) ||
        !wa_timestamp(p, msg, "timestamp", true, &m->timestamp) ||
        !wa_string(p, msg, "type", true, &m->type))
        return false;
    for (size_t i = 0; message_types[i].type != NULL; i++) {
        if (strcmp(m->type, message_types[i].type) == 0) {
            m->kind = message_types[i].kind;
            if (!message_types[i].read(p, msg, m))
                return false;
            break;
        }
    }
    if (!read_context(p, msg, m) || !read_referral(p, msg, m) ||
        !wa_errors(p, msg, &m->nerrors, &m->errors))
        return false;
    m->raw = laris_json_encode(p->arena, msg, &m->raw_len);
    if (m->raw == NULL)
        return wa_fail(p, NULL, "cannot be encoded as JSON");
    return true;
}

bool wa_messages(wa_parser_t *p, json_t *value, size_t *n, const laris_wa_message_t **out)
{
    json_t *arr = NULL;
    if (!wa_array(p, value, "messages", false, &arr, n))
        return false;
    if (*n == 0)
        return true;
    laris_wa_message_t *msgs = LARIS_ARRAY(p->arena, laris_wa_message_t, *n);
    for (size_t i = 0; i < *n; i++) {
        size_t old = wa_push_index(p, "messages", i);
        if (!read_message(p, json_array_get(arr, i), &msgs[i]))
            return false;
        wa_pop(p, old);
    }
    *out = msgs;
    return true;
}

bool laris_wa_order_total(const laris_wa_order_t *order, const char *currency, int64_t *total)
{
    int64_t sum = 0;
    for (size_t i = 0; i < order->nitems; i++) {
        const laris_wa_order_item_t *item = &order->items[i];
        if (item->currency == NULL || strcmp(item->currency, currency) != 0)
            return false;
        if (!(item->item_price >= 0 && item->item_price <= PRICE_MAX) || item->quantity < 0)
            return false;
        int64_t price = (int64_t)item->item_price;
        if ((double)price != item->item_price)
            return false;
        if (price != 0 && item->quantity > (INT64_MAX - sum) / price)
            return false;
        sum += price * item->quantity;
    }
    *total = sum;
    return true;
}
