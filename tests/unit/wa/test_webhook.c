/* Unit tests for src/wa/webhook.c: every fixture against its manifest expectations, envelope
 * refusals and status ordering (message shapes: test_message.c; mutations: test_webhook_fuzz.c). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <string.h>

#include "fixtures.h"
#include "laris/json.h"
#include "laris/wa.h"

static laris_arena_t *arena;
static laris_err_t err;

static void setup(void)
{
    arena = laris_arena_create(65536);
    laris_err_init(&err, arena);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

TestSuite(webhook, .init = setup, .fini = teardown);

/* What a parse produced, gathered as JSON so it compares with the manifest's "expect". */
typedef struct {
    const char *name;
    const laris_wa_webhook_t *w;
    json_t *manifest;
} fixture_t;

static json_t *strings(void)
{
    return laris_json_adopt(arena, json_array());
}

static void push(json_t *arr, const char *s)
{
    json_array_append_new(arr, s != NULL ? json_string(s) : json_null());
}

static void assert_json_eq(const fixture_t *f, const char *key, json_t *got, json_t *want)
{
    cr_assert(json_equal(got, want), "%s: expect.%s is %s, the parse gave %s", f->name, key,
              laris_json_encode(arena, want, NULL), laris_json_encode(arena, got, NULL));
}

static json_int_t count_of(const fixture_t *f, const char *what)
{
    size_t n = 0;
    for (size_t i = 0; i < f->w->nchanges; i++) {
        const laris_wa_change_t *c = &f->w->changes[i];
        n += strcmp(what, "messages") == 0   ? c->nmessages
             : strcmp(what, "statuses") == 0 ? c->nstatuses
                                             : c->nerrors;
    }
    return (json_int_t)n;
}

static void check_count(const fixture_t *f, const char *key, json_t *want)
{
    json_t *got = laris_json_adopt(arena, json_integer(count_of(f, key)));
    assert_json_eq(f, key, got, want);
}

/* Each message's field chosen by key, in order; messages without one are skipped. */
static void check_message_list(const fixture_t *f, const char *key, json_t *want)
{
    json_t *got = strings();
    for (size_t i = 0; i < f->w->nchanges; i++) {
        const laris_wa_change_t *c = &f->w->changes[i];
        for (size_t j = 0; j < c->nmessages; j++) {
            const laris_wa_message_t *m = &c->messages[j];
            if (strcmp(key, "types") == 0)
                push(got, m->type);
            else if (m->media != NULL)
                push(got, m->media->id);
        }
    }
    assert_json_eq(f, key, got, want);
}

static void check_contacts(const fixture_t *f, const char *key, json_t *want)
{
    json_t *got = strings();
    for (size_t i = 0; i < f->w->nchanges; i++) {
        for (size_t j = 0; j < f->w->changes[i].ncontacts; j++)
            push(got, f->w->changes[i].contacts[j].wa_id);
    }
    assert_json_eq(f, key, got, want);
}

static void check_reply_to(const fixture_t *f, const char *key, json_t *want)
{
    json_t *got = strings();
    for (size_t i = 0; i < f->w->nchanges; i++) {
        const laris_wa_change_t *c = &f->w->changes[i];
        for (size_t j = 0; j < c->nmessages; j++) {
            if (c->messages[j].context != NULL && c->messages[j].context->id != NULL)
                push(got, c->messages[j].context->id);
        }
    }
    json_t *wanted = laris_json_adopt(arena, json_pack("[O]", want));
    assert_json_eq(f, key, got, wanted);
}

static void check_referral(const fixture_t *f, const char *key, json_t *want)
{
    bool any = false;
    for (size_t i = 0; i < f->w->nchanges; i++) {
        for (size_t j = 0; j < f->w->changes[i].nmessages; j++)
            any = any || f->w->changes[i].messages[j].referral != NULL;
    }
    assert_json_eq(f, key, json_boolean(any), want);
}

static void check_order_total(const fixture_t *f, const char *key, json_t *want)
{
    int64_t sum = 0;
    for (size_t i = 0; i < f->w->nchanges; i++) {
        for (size_t j = 0; j < f->w->changes[i].nmessages; j++) {
            const laris_wa_order_t *o = f->w->changes[i].messages[j].order;
            int64_t total;
            if (o == NULL)
                continue;
            cr_assert(laris_wa_order_total(o, "IDR", &total), "%s: order total", f->name);
            sum += total;
        }
    }
    assert_json_eq(f, key, laris_json_adopt(arena, json_integer(sum)), want);
}

/* The codes of every failed status's errors. */
static void check_failed_code(const fixture_t *f, const char *key, json_t *want)
{
    json_t *got = strings();
    for (size_t i = 0; i < f->w->nchanges; i++) {
        const laris_wa_change_t *c = &f->w->changes[i];
        for (size_t j = 0; j < c->nstatuses; j++) {
            const laris_wa_status_t *s = &c->statuses[j];
            if (s->kind != LARIS_WA_STATUS_FAILED)
                continue;
            for (size_t k = 0; k < s->nerrors; k++)
                json_array_append_new(got, json_integer(s->errors[k].code));
        }
    }
    json_t *wanted = laris_json_adopt(arena, json_pack("[O]", want));
    assert_json_eq(f, key, got, wanted);
}

/* Folds the first status's message's statuses, in the order sent, as the crm would. */
static void check_final_status(const fixture_t *f, const char *key, json_t *want)
{
    const char *wamid = NULL, *final = NULL;
    laris_wa_status_kind_t current = LARIS_WA_STATUS_UNKNOWN;
    for (size_t i = 0; i < f->w->nchanges; i++) {
        const laris_wa_change_t *c = &f->w->changes[i];
        for (size_t j = 0; j < c->nstatuses; j++) {
            const laris_wa_status_t *s = &c->statuses[j];
            if (wamid == NULL)
                wamid = s->id;
            if (strcmp(s->id, wamid) == 0 && laris_wa_status_advances(current, s->kind)) {
                current = s->kind;
                final = s->status;
            }
        }
    }
    json_t *got = laris_json_adopt(arena, final != NULL ? json_string(final) : json_null());
    assert_json_eq(f, key, got, want);
}

static void check_opted_out(const fixture_t *f, const char *key, json_t *want)
{
    json_t *got = strings();
    for (size_t i = 0; i < f->w->nchanges; i++) {
        const laris_wa_change_t *c = &f->w->changes[i];
        for (size_t j = 0; j < c->npreferences; j++) {
            if (c->preferences[j].stop)
                push(got, c->preferences[j].wa_id);
        }
    }
    assert_json_eq(f, key, got, want);
}

/* "template" is the template's name, "status" the event of the (only) template change. */
static void check_template(const fixture_t *f, const char *key, json_t *want)
{
    json_t *got = strings();
    for (size_t i = 0; i < f->w->nchanges; i++) {
        const laris_wa_template_status_t *t = f->w->changes[i].template_status;
        if (t != NULL)
            push(got, strcmp(key, "template") == 0 ? t->name : t->event);
    }
    json_t *wanted = laris_json_adopt(arena, json_pack("[O]", want));
    assert_json_eq(f, key, got, wanted);
}

/* phone_number_id → the wa_ids of the contacts its changes carry. */
static void check_tenants(const fixture_t *f, const char *key, json_t *want)
{
    json_t *got = laris_json_adopt(arena, json_object());
    for (size_t i = 0; i < f->w->nchanges; i++) {
        const laris_wa_change_t *c = &f->w->changes[i];
        cr_assert_not_null(c->phone_number_id, "%s: change %zu has no number", f->name, i);
        json_t *list = json_object_get(got, c->phone_number_id);
        if (list == NULL) {
            list = json_array();
            json_object_set_new(got, c->phone_number_id, list);
        }
        for (size_t j = 0; j < c->ncontacts; j++)
            push(list, c->contacts[j].wa_id);
    }
    assert_json_eq(f, key, got, want);
}

static void ignore(const fixture_t *f, const char *key, json_t *want)
{
    (void)f;
    (void)key;
    (void)want;
}

/* The expect keys this test understands, ending in a null entry. A key not listed fails. */
static const struct {
    const char *key;
    void (*check)(const fixture_t *f, const char *key, json_t *want);
} expect_checks[] = {
    {"messages", check_count},
    {"statuses", check_count},
    {"errors", check_count}, /* value-level errors[] */
    {"types", check_message_list},
    {"media_ids", check_message_list},
    {"contacts", check_contacts},
    {"reply_to", check_reply_to},
    {"referral", check_referral},
    {"order_total_idr", check_order_total},
    {"failed_code", check_failed_code},
    {"final_status", check_final_status},
    {"opted_out", check_opted_out},
    {"template", check_template},
    {"status", check_template},
    {"tenants", check_tenants},
    {"note", ignore}, /* prose for people */
    {NULL, NULL},
};

/* What holds for every fixture: ids from the manifest, and raw JSON that loses nothing. */
static void check_invariants(const fixture_t *f, json_t *fixture_json)
{
    const char *waba = json_string_value(json_object_get(f->manifest, "waba_id"));
    const char *n1 = json_string_value(json_object_get(f->manifest, "phone_number_id"));
    const char *n2 = json_string_value(json_object_get(f->manifest, "other_phone_number_id"));
    const char *display = json_string_value(json_object_get(f->manifest, "display_phone_number"));
    size_t k = 0;
    json_t *entries = json_object_get(fixture_json, "entry");

    cr_assert_gt(f->w->nchanges, 0, "%s: no changes", f->name);
    for (size_t e = 0; e < json_array_size(entries); e++) {
        json_t *changes = json_object_get(json_array_get(entries, e), "changes");
        for (size_t ci = 0; ci < json_array_size(changes); ci++, k++) {
            const laris_wa_change_t *c = &f->w->changes[k];
            json_t *value = json_object_get(json_array_get(changes, ci), "value");
            json_t *msgs = json_object_get(value, "messages");
            cr_assert_str_eq(c->waba_id, waba, "%s", f->name);
            if (c->phone_number_id != NULL) {
                cr_assert(strcmp(c->phone_number_id, n1) == 0 ||
                              strcmp(c->phone_number_id, n2) == 0,
                          "%s: unexpected number %s", f->name, c->phone_number_id);
                cr_assert_str_eq(c->display_phone_number, display);
            } else {
                cr_assert_eq(c->kind, LARIS_WA_FIELD_TEMPLATE_STATUS, "%s", f->name);
            }
            cr_assert_eq(c->nmessages, json_array_size(msgs), "%s", f->name);
            for (size_t j = 0; j < c->nmessages; j++) {
                const laris_wa_message_t *m = &c->messages[j];
                json_t *raw = laris_json_adopt(arena, json_loadb(m->raw, m->raw_len, 0, NULL));
                cr_assert(json_equal(raw, json_array_get(msgs, j)), "%s: raw of message %zu",
                          f->name, j);
                cr_assert_eq(strncmp(m->id, "wamid.", 6), 0, "%s", f->name);
                cr_assert_gt(m->timestamp, 1700000000, "%s", f->name);
            }
        }
    }
    cr_assert_eq(k, f->w->nchanges, "%s: every change of every entry", f->name);
}

ParameterizedTestParameters(webhook, fixture)
{
    static wa_fixture_case_t cases[WA_FIXTURES_MAX];
    size_t n = wa_fixture_names(cases, WA_FIXTURES_MAX);
    return cr_make_param_array(wa_fixture_case_t, cases, n);
}

/* Every fixture of the manifest parses and gives what its "expect" says. */
ParameterizedTest(wa_fixture_case_t *c, webhook, fixture)
{
    fixture_t f = {.name = c->name, .manifest = wa_fixture_manifest(arena)};
    f.w = wa_fixture_parse(arena, c->name);

    json_t *entry = wa_fixture_entry(arena, c->name);
    size_t len;
    char *body = wa_fixture_read(arena, json_string_value(json_object_get(entry, "file")), &len);
    check_invariants(&f, laris_json_adopt(arena, json_loadb(body, len, 0, NULL)));

    json_t *expect = json_object_get(entry, "expect");
    cr_assert(json_is_object(expect) && json_object_size(expect) > 0, "%s: no expect", c->name);
    const char *key;
    json_t *want;
    json_object_foreach(expect, key, want)
    {
        size_t i = 0;
        while (expect_checks[i].key != NULL && strcmp(expect_checks[i].key, key) != 0)
            i++;
        cr_assert_not_null(expect_checks[i].key, "%s: unknown expect key \"%s\"", c->name, key);
        expect_checks[i].check(&f, key, want);
    }
}

/* A fixture file the manifest does not list would go unchecked. */
Test(webhook, manifest_lists_every_fixture_file)
{
    static wa_fixture_case_t cases[WA_FIXTURES_MAX];
    size_t n = wa_fixture_names(cases, WA_FIXTURES_MAX);
    cr_assert_gt(n, 0);
    cr_assert_lt(n, WA_FIXTURES_MAX, "raise WA_FIXTURES_MAX");

    json_t *fixtures = json_object_get(wa_fixture_manifest(arena), "fixtures");
    json_t *listed = laris_json_adopt(arena, json_object());
    const char *name;
    json_t *entry;
    json_object_foreach(fixtures, name, entry)
    {
        json_object_set(listed, json_string_value(json_object_get(entry, "file")), json_true());
    }
    DIR *dir = opendir(LARIS_FIXTURES_DIR);
    cr_assert_not_null(dir);
    size_t files = 0;
    for (struct dirent *d = readdir(dir); d != NULL; d = readdir(dir)) {
        size_t len = strlen(d->d_name);
        if (len < 5 || strcmp(d->d_name + len - 5, ".json") != 0 ||
            strcmp(d->d_name, "manifest.json") == 0)
            continue;
        files++;
        cr_expect_not_null(json_object_get(listed, d->d_name), "%s is not in the manifest",
                           d->d_name);
    }
    closedir(dir);
    cr_assert_eq(files, json_object_size(listed));
}

Test(webhook, two_numbers_route_apart)
{
    const laris_wa_webhook_t *w = wa_fixture_parse(arena, "batch_two_numbers");
    cr_assert_eq(w->nchanges, 2);
    cr_assert_str_eq(w->changes[0].phone_number_id, "119876543210001");
    cr_assert_str_eq(w->changes[1].phone_number_id, "119876543210002");
    cr_assert_str_eq(w->changes[0].messages[0].text, "Untuk toko A");
    cr_assert_str_eq(w->changes[1].messages[0].text, "Untuk toko B");
    cr_assert_str_eq(w->changes[1].contacts[0].name, "Bu Sari");
}

Test(webhook, batch_keeps_every_entry_and_change)
{
    const laris_wa_webhook_t *w = wa_fixture_parse(arena, "batch_mixed");
    cr_assert_eq(w->nchanges, 3);
    cr_assert_eq(w->changes[0].nmessages, 2);
    cr_assert_eq(w->changes[1].nstatuses, 2);
    cr_assert_eq(w->changes[1].nmessages, 0);
    cr_assert_eq(w->changes[2].messages[0].kind, LARIS_WA_MSG_TEXT);
    cr_assert_str_eq(w->changes[2].contacts[0].wa_id, "6281399887766");
}

Test(webhook, template_event_routes_by_waba)
{
    const laris_wa_webhook_t *w = wa_fixture_parse(arena, "template_status_rejected");
    const laris_wa_change_t *c = &w->changes[0];
    cr_assert_eq(c->kind, LARIS_WA_FIELD_TEMPLATE_STATUS);
    cr_assert_null(c->phone_number_id);
    cr_assert_str_eq(c->waba_id, "210000000000001");
    cr_assert_eq(c->entry_time, 1763800061);
    cr_assert_str_eq(c->template_status->template_id, "1689556908129836");
    cr_assert_str_eq(c->template_status->language, "id");
    cr_assert_str_eq(c->template_status->reason, "INVALID_FORMAT");
    cr_assert_str_eq(c->template_status->category, "MARKETING");
}

Test(webhook, user_preferences)
{
    const laris_wa_webhook_t *w = wa_fixture_parse(arena, "user_preferences_stop");
    const laris_wa_change_t *c = &w->changes[0];
    cr_assert_eq(c->kind, LARIS_WA_FIELD_USER_PREFERENCES);
    cr_assert_eq(c->npreferences, 1);
    cr_assert_str_eq(c->preferences[0].category, "marketing_messages");
    cr_assert_str_eq(c->preferences[0].value, "stop");
    cr_assert_eq(c->preferences[0].timestamp, 1763800050);
    cr_assert_str_eq(c->preferences[0].detail, "User requested to stop marketing messages");
    cr_assert_null(c->contacts[0].name);
}

Test(webhook, statuses_carry_pricing_and_errors)
{
    const laris_wa_webhook_t *w = wa_fixture_parse(arena, "status_sent");
    const laris_wa_status_t *s = &w->changes[0].statuses[0];
    cr_assert_eq(s->kind, LARIS_WA_STATUS_SENT);
    cr_assert_eq(s->timestamp, 1763800010);
    cr_assert_str_eq(s->recipient_id, "6281234567890");
    cr_assert_str_eq(s->biz_opaque_callback_data, "laris-msg-500");
    cr_assert(s->has_pricing && s->billable);
    cr_assert_str_eq(s->pricing_model, "PMP");
    cr_assert_str_eq(s->pricing_type, "regular");
    cr_assert_str_eq(s->pricing_category, "marketing");
    cr_assert_null(s->conversation_id);

    w = wa_fixture_parse(arena, "status_failed_131049");
    s = &w->changes[0].statuses[0];
    cr_assert_eq(s->kind, LARIS_WA_STATUS_FAILED);
    cr_assert_not(s->has_pricing);
    cr_assert_eq(s->nerrors, 1);
    cr_assert_eq(s->errors[0].code, 131049);
    cr_assert_str_eq(s->errors[0].details,
                     "In order to maintain a healthy ecosystem engagement, the message failed to "
                     "be delivered.");
    cr_assert_null(s->errors[0].href);
}

Test(webhook, value_errors)
{
    const laris_wa_webhook_t *w = wa_fixture_parse(arena, "value_errors_130429");
    const laris_wa_change_t *c = &w->changes[0];
    cr_assert_eq(c->nerrors, 1);
    cr_assert_eq(c->errors[0].code, 130429);
    cr_assert_str_eq(c->errors[0].title, "Rate limit hit");
    cr_assert_eq(c->nmessages + c->nstatuses + c->ncontacts, 0);
}

Test(webhook, conversation_and_other_fields)
{
    const char *body =
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":["
        "{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},"
        "\"statuses\":[{\"id\":\"wamid.X\",\"status\":\"delivered\",\"timestamp\":\"5\","
        "\"recipient_id\":\"\",\"recipient_user_id\":\"US.1\",\"conversation\":{\"id\":\"c1\","
        "\"expiration_timestamp\":\"1750116480\",\"origin\":{\"type\":\"service\"}}}]}},"
        "{\"field\":\"phone_number_quality_update\",\"value\":{\"event\":\"ONBOARDING\"}}]}]}";
    const laris_wa_webhook_t *w = wa_parse_text(arena, body);
    const laris_wa_status_t *s = &w->changes[0].statuses[0];
    cr_assert_str_eq(s->recipient_id, "");
    cr_assert_str_eq(s->recipient_user_id, "US.1");
    cr_assert_str_eq(s->conversation_id, "c1");
    cr_assert_str_eq(s->conversation_origin, "service");
    cr_assert_eq(s->conversation_expires_at, 1750116480);
    cr_assert_eq(w->changes[1].kind, LARIS_WA_FIELD_OTHER);
    cr_assert_str_eq(w->changes[1].field, "phone_number_quality_update");
    cr_assert_str_eq(w->changes[1].raw_value, "{\"event\":\"ONBOARDING\"}");
    cr_assert_null(w->changes[1].phone_number_id);
}

ParameterizedTestParameters(webhook, refuses)
{
    static struct wa_refusal_case cases[] = {
        {"[]", "body must be a JSON object"},
        {"{}", "object is required"},
        {"{\"object\":\"page\",\"entry\":[]}", "object must be \"whatsapp_business_account\""},
        {"{\"object\":7}", "object must be a string"},
        {"{\"object\":\"whatsapp_business_account\"}", "entry is required"},
        {"{\"object\":\"whatsapp_business_account\",\"entry\":{}}", "entry must be an array"},
        {"{\"object\":\"whatsapp_business_account\",\"entry\":[1]}", "entry[0] must be an object"},
        {"{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\"}]}",
         "entry[0].changes is required"},
        {"{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[]}]}",
         "entry[0].id is required"},
        {WA_ENV("{\"value\":{}}"), "changes[0].field is required"},
        {WA_ENV("{\"field\":\"messages\"}"), "changes[0].value is required"},
        {WA_ENV("{\"field\":\"messages\",\"value\":[]}"), "value must be an object"},
        {WA_ENV("{\"field\":\"messages\",\"value\":{}}"), "value.metadata is required"},
        {WA_ENV("{\"field\":\"messages\",\"value\":{\"metadata\":{}}}"),
         "metadata.phone_number_id is required"},
        {WA_ENV("{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":9}}}"),
         "phone_number_id must be a string"},
        {WA_ENV("{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},"
                "\"messages\":{}}}"),
         "value.messages must be an array"},
        {WA_ENV(
             "{\"field\":\"user_preferences\",\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},"
             "\"user_preferences\":[{\"wa_id\":\"62\",\"value\":\"stop\",\"timestamp\":1}]}}"),
         "user_preferences[0].category is required"},
        {WA_ENV(
             "{\"field\":\"message_template_status_update\",\"value\":{\"event\":\"APPROVED\"}}"),
         "value.message_template_id is required"},
        {WA_ENV("{\"field\":\"message_template_status_update\",\"value\":{\"event\":\"APPROVED\","
                "\"message_template_id\":{}}}"),
         "message_template_id must be a non-empty string or a number"},
        {WA_ENV("{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},"
                "\"statuses\":[{\"id\":\"wamid.A\",\"timestamp\":\"1\"}]}}"),
         "statuses[0].status is required"},
        {WA_ENV("{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},"
                "\"statuses\":[{\"id\":\"wamid.A\",\"status\":\"read\",\"timestamp\":\"1\","
                "\"pricing\":{\"billable\":\"yes\"}}]}}"),
         "statuses[0].pricing.billable must be true or false"},
        {WA_ENV("{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},"
                "\"contacts\":[{\"profile\":{\"name\":[]}}]}}"),
         "contacts[0].profile.name must be a string"},
    };
    return cr_make_param_array(struct wa_refusal_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct wa_refusal_case *c, webhook, refuses)
{
    wa_assert_refused(arena, c);
}

Test(webhook, tolerates_what_meta_may_add_or_omit)
{
    const char *body = WA_MSGS(
        "{\"id\":\"wamid.A\",\"timestamp\":1763800000,\"type\":\"text\",\"text\":null,"
        "\"future_field\":{\"x\":[1,2]},\"from_user_id\":\"US.13491208655302741918\"},"
        "{\"id\":\"wamid.B\",\"timestamp\":\"1\",\"type\":\"interactive\","
        "\"interactive\":{\"type\":\"call_permission_reply\","
        "\"call_permission_reply\":{\"response\":\"accept\",\"expiration_timestamp\":17}}}");
    const laris_wa_webhook_t *w = wa_parse_text(arena, body);
    const laris_wa_message_t *m = &w->changes[0].messages[0];
    cr_assert_null(m->text);
    cr_assert_eq(m->timestamp, 1763800000);
    cr_assert_str_eq(m->from_user_id, "US.13491208655302741918");
    cr_assert_not_null(strstr(m->raw, "future_field"));
    m = &w->changes[0].messages[1];
    cr_assert_str_eq(m->interactive->type, "call_permission_reply");
    cr_assert_null(m->interactive->id);
    cr_assert_not_null(strstr(m->raw, "\"response\":\"accept\""));
}

struct advance_case {
    laris_wa_status_kind_t current;
    laris_wa_status_kind_t next;
    bool advances;
};

ParameterizedTestParameters(webhook, status_advances)
{
    static struct advance_case cases[] = {
        {LARIS_WA_STATUS_UNKNOWN, LARIS_WA_STATUS_SENT, true},
        {LARIS_WA_STATUS_UNKNOWN, LARIS_WA_STATUS_READ, true},
        {LARIS_WA_STATUS_UNKNOWN, LARIS_WA_STATUS_FAILED, true},
        {LARIS_WA_STATUS_UNKNOWN, LARIS_WA_STATUS_UNKNOWN, false},
        {LARIS_WA_STATUS_SENT, LARIS_WA_STATUS_DELIVERED, true},
        {LARIS_WA_STATUS_SENT, LARIS_WA_STATUS_READ, true},
        {LARIS_WA_STATUS_SENT, LARIS_WA_STATUS_SENT, false},
        {LARIS_WA_STATUS_SENT, LARIS_WA_STATUS_FAILED, true},
        {LARIS_WA_STATUS_DELIVERED, LARIS_WA_STATUS_SENT, false},
        {LARIS_WA_STATUS_DELIVERED, LARIS_WA_STATUS_FAILED, true},
        {LARIS_WA_STATUS_READ, LARIS_WA_STATUS_DELIVERED, false},
        {LARIS_WA_STATUS_READ, LARIS_WA_STATUS_SENT, false},
        {LARIS_WA_STATUS_READ, LARIS_WA_STATUS_PLAYED, true},
        {LARIS_WA_STATUS_READ, LARIS_WA_STATUS_FAILED, false},
        {LARIS_WA_STATUS_PLAYED, LARIS_WA_STATUS_READ, false},
        {LARIS_WA_STATUS_FAILED, LARIS_WA_STATUS_SENT, false},
        {LARIS_WA_STATUS_FAILED, LARIS_WA_STATUS_READ, false},
        {LARIS_WA_STATUS_FAILED, LARIS_WA_STATUS_FAILED, false},
        {LARIS_WA_STATUS_DELIVERED, LARIS_WA_STATUS_UNKNOWN, false},
    };
    return cr_make_param_array(struct advance_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct advance_case *c, webhook, status_advances)
{
    cr_assert_eq(laris_wa_status_advances(c->current, c->next), c->advances, "%d -> %d", c->current,
                 c->next);
}
