/* Webhook envelopes: entries and changes, contacts, statuses, errors, preferences, templates.
 *
 * Every entry's every change becomes one laris_wa_change_t (Meta batches, so nothing may stop
 * at entry[0].changes[0]). Inbound messages are read by message.c. */
#include <string.h>

#include "laris/json.h"
#include "wa_internal.h"

#define OBJECT_NAME "whatsapp_business_account"

/* The webhook fields we parse, ending in a null entry; needs_metadata: routed by number. */
static const struct {
    const char *field;
    laris_wa_field_t kind;
    bool needs_metadata;
} webhook_fields[] = {
    {"messages", LARIS_WA_FIELD_MESSAGES, true},
    {"user_preferences", LARIS_WA_FIELD_USER_PREFERENCES, true},
    {"message_template_status_update", LARIS_WA_FIELD_TEMPLATE_STATUS, false},
    {NULL, LARIS_WA_FIELD_OTHER, false},
};

static const struct {
    const char *status;
    laris_wa_status_kind_t kind;
} status_kinds[] = {
    {"sent", LARIS_WA_STATUS_SENT},     {"delivered", LARIS_WA_STATUS_DELIVERED},
    {"read", LARIS_WA_STATUS_READ},     {"played", LARIS_WA_STATUS_PLAYED},
    {"failed", LARIS_WA_STATUS_FAILED}, {NULL, LARIS_WA_STATUS_UNKNOWN},
};

static bool read_contact(wa_parser_t *p, json_t *o, void *item)
{
    laris_wa_contact_t *c = item;
    json_t *profile = NULL;
    if (!wa_string(p, o, "wa_id", false, &c->wa_id) ||
        !wa_string(p, o, "user_id", false, &c->user_id) ||
        !wa_object(p, o, "profile", false, &profile))
        return false;
    if (profile == NULL)
        return true;
    size_t old = wa_push(p, "profile");
    if (!wa_string(p, profile, "name", false, &c->name) ||
        !wa_string(p, profile, "username", false, &c->username))
        return false;
    wa_pop(p, old);
    return true;
}

static bool read_conversation(wa_parser_t *p, json_t *o, laris_wa_status_t *s)
{
    json_t *conv = NULL, *origin = NULL;
    if (!wa_object(p, o, "conversation", false, &conv))
        return false;
    if (conv == NULL)
        return true;
    size_t old = wa_push(p, "conversation");
    if (!wa_string(p, conv, "id", false, &s->conversation_id) ||
        !wa_timestamp(p, conv, "expiration_timestamp", false, &s->conversation_expires_at) ||
        !wa_object(p, conv, "origin", false, &origin))
        return false;
    if (origin != NULL) {
        wa_push(p, "origin");
        if (!wa_string(p, origin, "type", false, &s->conversation_origin))
            return false;
    }
    wa_pop(p, old);
    return true;
}

static bool read_pricing(wa_parser_t *p, json_t *o, laris_wa_status_t *s)
{
    json_t *pricing = NULL;
    if (!wa_object(p, o, "pricing", false, &pricing))
        return false;
    if (pricing == NULL)
        return true;
    size_t old = wa_push(p, "pricing");
    if (!wa_bool(p, pricing, "billable", &s->billable) ||
        !wa_string(p, pricing, "pricing_model", false, &s->pricing_model) ||
        !wa_string(p, pricing, "type", false, &s->pricing_type) ||
        !wa_string(p, pricing, "category", false, &s->pricing_category))
        return false;
    wa_pop(p, old);
    s->has_pricing = true;
    return true;
}

static bool read_status(wa_parser_t *p, json_t *o, void *item)
{
    laris_wa_status_t *s = item;
    if (!wa_string(p, o, "id", true, &s->id) || !wa_string(p, o, "status", true, &s->status) ||
        !wa_timestamp(p, o, "timestamp", true, &s->timestamp) ||
        !wa_string(p, o, "recipient_id", false, &s->recipient_id) ||
        !wa_string(p, o, "recipient_user_id", false, &s->recipient_user_id) ||
        !wa_string(p, o, "biz_opaque_callback_data", false, &s->biz_opaque_callback_data) ||
        !read_conversation(p, o, s) || !read_pricing(p, o, s) ||
        !wa_errors(p, o, &s->nerrors, &s->errors))
        return false;
    for (size_t i = 0; status_kinds[i].status != NULL; i++) {
        if (strcmp(s->status, status_kinds[i].status) == 0)
            s->kind = status_kinds[i].kind;
    }
    return true;
}

static bool read_preference(wa_parser_t *p, json_t *o, void *item)
{
    laris_wa_preference_t *pref = item;
    if (!wa_string(p, o, "wa_id", false, &pref->wa_id) ||
        !wa_string(p, o, "user_id", false, &pref->user_id) ||
        !wa_string(p, o, "category", true, &pref->category) ||
        !wa_string(p, o, "value", true, &pref->value) ||
        !wa_string(p, o, "detail", false, &pref->detail) ||
        !wa_timestamp(p, o, "timestamp", true, &pref->timestamp))
        return false;
    pref->stop = strcmp(pref->value, "stop") == 0;
    return true;
}

/* Reads one object of an array into item (a laris_wa_contact_t, laris_wa_status_t...). */
typedef bool (*item_reader_fn)(wa_parser_t *p, json_t *o, void *item);

/* Reads the array member key of value into *out, a new arena array of *n items of size bytes
 * (NULL when empty), calling read_item on each object with the path pointing at it. */
static bool read_array(wa_parser_t *p, json_t *value, const char *key, size_t size,
                       item_reader_fn read_item, size_t *n, void **out)
{
    json_t *arr = NULL;
    *out = NULL;
    if (!wa_array(p, value, key, false, &arr, n))
        return false;
    if (*n == 0)
        return true;
    char *items = laris_arena_calloc(p->arena, *n, size);
    for (size_t i = 0; i < *n; i++) {
        size_t old = wa_push_index(p, key, i);
        if (!read_item(p, json_array_get(arr, i), items + i * size))
            return false;
        wa_pop(p, old);
    }
    *out = items;
    return true;
}

/* contacts, messages, statuses, errors and user_preferences of a value. */
static bool read_value_arrays(wa_parser_t *p, json_t *value, laris_wa_change_t *c)
{
    void *contacts, *statuses, *preferences;
    if (!read_array(p, value, "contacts", sizeof(laris_wa_contact_t), read_contact, &c->ncontacts,
                    &contacts) ||
        !wa_messages(p, value, &c->nmessages, &c->messages) ||
        !read_array(p, value, "statuses", sizeof(laris_wa_status_t), read_status, &c->nstatuses,
                    &statuses) ||
        !wa_errors(p, value, &c->nerrors, &c->errors) ||
        !read_array(p, value, "user_preferences", sizeof(laris_wa_preference_t), read_preference,
                    &c->npreferences, &preferences))
        return false;
    c->contacts = contacts;
    c->statuses = statuses;
    c->preferences = preferences;
    return true;
}

static bool read_template_status(wa_parser_t *p, json_t *value, laris_wa_change_t *c)
{
    laris_wa_template_status_t *t = LARIS_NEW(p->arena, laris_wa_template_status_t);
    if (!wa_string(p, value, "event", true, &t->event) ||
        !wa_id(p, value, "message_template_id", true, &t->template_id) ||
        !wa_string(p, value, "message_template_name", false, &t->name) ||
        !wa_string(p, value, "message_template_language", false, &t->language) ||
        !wa_string(p, value, "message_template_category", false, &t->category) ||
        !wa_string(p, value, "reason", false, &t->reason))
        return false;
    c->template_status = t;
    return true;
}

static bool read_metadata(wa_parser_t *p, json_t *value, bool required, laris_wa_change_t *c)
{
    json_t *meta = NULL;
    if (!wa_object(p, value, "metadata", required, &meta))
        return false;
    if (meta == NULL)
        return true;
    size_t old = wa_push(p, "metadata");
    if (!wa_string(p, meta, "phone_number_id", required, &c->phone_number_id) ||
        !wa_string(p, meta, "display_phone_number", false, &c->display_phone_number))
        return false;
    wa_pop(p, old);
    return true;
}

/* One change: its field decides how much of the value we read. */
static bool read_change(wa_parser_t *p, json_t *o, laris_wa_change_t *c)
{
    json_t *value = NULL;
    if (!wa_string(p, o, "field", true, &c->field) || !wa_object(p, o, "value", true, &value))
        return false;
    size_t i = 0;
    while (webhook_fields[i].field != NULL && strcmp(webhook_fields[i].field, c->field) != 0)
        i++;
    c->kind = webhook_fields[i].kind;

    size_t old = wa_push(p, "value");
    if (!read_metadata(p, value, webhook_fields[i].needs_metadata, c))
        return false;
    switch (c->kind) {
    case LARIS_WA_FIELD_MESSAGES:
    case LARIS_WA_FIELD_USER_PREFERENCES:
        if (!read_value_arrays(p, value, c))
            return false;
        break;
    case LARIS_WA_FIELD_TEMPLATE_STATUS:
        if (!read_template_status(p, value, c))
            return false;
        break;
    case LARIS_WA_FIELD_OTHER:
        c->raw_value = laris_json_encode(p->arena, value, NULL);
        if (c->raw_value == NULL)
            return wa_fail(p, NULL, "cannot be encoded as JSON");
        break;
    }
    wa_pop(p, old);
    return true;
}

/* The changes of one entry, appended at *next (below cap), each stamped with the entry's WABA
 * id. */
static bool read_entry(wa_parser_t *p, json_t *entry, laris_wa_change_t *changes, size_t cap,
                       size_t *next)
{
    const char *waba_id = NULL;
    int64_t time = 0;
    json_t *arr = NULL;
    size_t n;
    if (!wa_string(p, entry, "id", true, &waba_id) ||
        !wa_timestamp(p, entry, "time", false, &time) ||
        !wa_array(p, entry, "changes", true, &arr, &n))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (*next >= cap)
            return wa_fail(p, "changes", "changed while being read");
        laris_wa_change_t *c = &changes[(*next)++];
        c->waba_id = waba_id;
        c->entry_time = time;
        size_t old = wa_push_index(p, "changes", i);
        if (!read_change(p, json_array_get(arr, i), c))
            return false;
        wa_pop(p, old);
    }
    return true;
}

/* Counts the changes of all entries, checking the shapes on the way. */
static bool count_changes(wa_parser_t *p, json_t *entries, size_t nentries, size_t *total)
{
    *total = 0;
    for (size_t i = 0; i < nentries; i++) {
        json_t *arr = NULL;
        size_t n, old = wa_push_index(p, "entry", i);
        if (!wa_array(p, json_array_get(entries, i), "changes", true, &arr, &n))
            return false;
        wa_pop(p, old);
        *total += n;
    }
    return true;
}

laris_rc laris_wa_webhook_parse(laris_arena_t *a, json_t *root, laris_wa_webhook_t **out,
                                laris_err_t *err)
{
    wa_parser_t p = {.arena = a, .err = err, .path_len = 0};
    p.path[0] = '\0';
    *out = NULL;

    const char *object = NULL;
    json_t *entries = NULL;
    size_t nentries, nchanges;
    if (!json_is_object(root)) {
        wa_fail(&p, NULL, "must be a JSON object");
        return LARIS_EMALFORMED;
    }
    if (!wa_string(&p, root, "object", true, &object))
        return LARIS_EMALFORMED;
    if (strcmp(object, OBJECT_NAME) != 0) {
        wa_fail(&p, "object", "must be \"" OBJECT_NAME "\"");
        return LARIS_EMALFORMED;
    }
    if (!wa_array(&p, root, "entry", true, &entries, &nentries) ||
        !count_changes(&p, entries, nentries, &nchanges))
        return LARIS_EMALFORMED;

    laris_wa_webhook_t *w = LARIS_NEW(a, laris_wa_webhook_t);
    laris_wa_change_t *changes = nchanges > 0 ? LARIS_ARRAY(a, laris_wa_change_t, nchanges) : NULL;
    size_t next = 0;
    for (size_t i = 0; i < nentries; i++) {
        size_t old = wa_push_index(&p, "entry", i);
        if (!read_entry(&p, json_array_get(entries, i), changes, nchanges, &next))
            return LARIS_EMALFORMED;
        wa_pop(&p, old);
    }
    w->nchanges = nchanges;
    w->changes = changes;
    *out = w;
    return LARIS_OK;
}

/* The rank of a status on its way forward; failed is handled apart. */
static int status_rank(laris_wa_status_kind_t kind)
{
    switch (kind) {
    case LARIS_WA_STATUS_SENT:
        return 1;
    case LARIS_WA_STATUS_DELIVERED:
        return 2;
    case LARIS_WA_STATUS_READ:
        return 3;
    case LARIS_WA_STATUS_PLAYED:
        return 4;
    case LARIS_WA_STATUS_UNKNOWN:
    case LARIS_WA_STATUS_FAILED:
        break;
    }
    return 0;
}

bool laris_wa_status_advances(laris_wa_status_kind_t current, laris_wa_status_kind_t next)
{
    if (current == LARIS_WA_STATUS_FAILED || next == LARIS_WA_STATUS_UNKNOWN)
        return false;
    if (next == LARIS_WA_STATUS_FAILED)
        return status_rank(current) < status_rank(LARIS_WA_STATUS_READ);
    return status_rank(next) > status_rank(current);
}
