/* Unit tests for src/wa/errors.c: the error-code table, its families and fallback, and the
 * synchronous Graph error answer. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "laris/wa.h"

struct code_case {
    int64_t code;
    laris_wa_error_category_t category;
    bool retryable;
    unsigned flags;
    char category_name[16];
};

ParameterizedTestParameters(errors, lookup)
{
    static struct code_case cases[] = {
        {0, LARIS_WA_ERR_AUTH, false, LARIS_WA_ERRF_TOKEN_EXPIRED | LARIS_WA_ERRF_STOP_NUMBER,
         "auth"},
        {2, LARIS_WA_ERR_SERVER, true, 0, "server"},
        {4, LARIS_WA_ERR_THROTTLED, true, LARIS_WA_ERRF_RATE_LIMIT, "throttled"},
        {100, LARIS_WA_ERR_REQUEST, false, 0, "request"},
        {190, LARIS_WA_ERR_AUTH, false, LARIS_WA_ERRF_TOKEN_EXPIRED | LARIS_WA_ERRF_STOP_NUMBER,
         "auth"},
        {200, LARIS_WA_ERR_AUTH, false, LARIS_WA_ERRF_STOP_NUMBER, "auth"},
        {250, LARIS_WA_ERR_AUTH, false, LARIS_WA_ERRF_STOP_NUMBER, "auth"},
        {299, LARIS_WA_ERR_AUTH, false, LARIS_WA_ERRF_STOP_NUMBER, "auth"},
        {368, LARIS_WA_ERR_ACCOUNT, false, LARIS_WA_ERRF_STOP_NUMBER, "account"},
        {130429, LARIS_WA_ERR_THROTTLED, true, LARIS_WA_ERRF_RATE_LIMIT, "throttled"},
        {131000, LARIS_WA_ERR_SERVER, true, 0, "server"},
        {131016, LARIS_WA_ERR_SERVER, true, 0, "server"},
        {131026, LARIS_WA_ERR_RECIPIENT, false, 0, "recipient"},
        {131047, LARIS_WA_ERR_WINDOW, false, LARIS_WA_ERRF_WINDOW_CLOSED, "window"},
        {131048, LARIS_WA_ERR_THROTTLED, false, LARIS_WA_ERRF_RATE_LIMIT, "throttled"},
        {131049, LARIS_WA_ERR_RECIPIENT, false, LARIS_WA_ERRF_MARKETING_LIMIT, "recipient"},
        {131050, LARIS_WA_ERR_RECIPIENT, false, LARIS_WA_ERRF_OPTED_OUT, "recipient"},
        {131052, LARIS_WA_ERR_MEDIA, false, 0, "media"},
        {131056, LARIS_WA_ERR_THROTTLED, true, LARIS_WA_ERRF_RATE_LIMIT, "throttled"},
        {131057, LARIS_WA_ERR_SERVER, true, 0, "server"},
        {132000, LARIS_WA_ERR_TEMPLATE, false, LARIS_WA_ERRF_TEMPLATE, "template"},
        {132001, LARIS_WA_ERR_TEMPLATE, false, LARIS_WA_ERRF_TEMPLATE, "template"},
        {132015, LARIS_WA_ERR_TEMPLATE, false, LARIS_WA_ERRF_TEMPLATE, "template"},
        {132016, LARIS_WA_ERR_TEMPLATE, false, LARIS_WA_ERRF_TEMPLATE, "template"},
        {132500, LARIS_WA_ERR_TEMPLATE, false, LARIS_WA_ERRF_TEMPLATE, "template"},
        {132999, LARIS_WA_ERR_TEMPLATE, false, LARIS_WA_ERRF_TEMPLATE, "template"},
        {133004, LARIS_WA_ERR_SERVER, true, 0, "server"},
        {133010, LARIS_WA_ERR_ACCOUNT, false, LARIS_WA_ERRF_STOP_NUMBER, "account"},
        {133777, LARIS_WA_ERR_ACCOUNT, false, 0, "account"},
        {131999, LARIS_WA_ERR_UNKNOWN, false, 0, "unknown"},
        {300, LARIS_WA_ERR_UNKNOWN, false, 0, "unknown"},
        {-1, LARIS_WA_ERR_UNKNOWN, false, 0, "unknown"},
        {999999999, LARIS_WA_ERR_UNKNOWN, false, 0, "unknown"},
    };
    return cr_make_param_array(struct code_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct code_case *c, errors, lookup)
{
    const laris_wa_error_info_t *info = laris_wa_error_lookup(c->code);
    cr_assert_not_null(info);
    cr_assert_eq(info->category, c->category, "%lld", (long long)c->code);
    cr_assert_eq(info->retryable, c->retryable, "%lld", (long long)c->code);
    cr_assert_eq(info->flags, c->flags, "%lld: flags %#x", (long long)c->code, info->flags);
    cr_assert_str_eq(laris_wa_error_category_name(info->category), c->category_name);
    cr_assert(info->agent_en != NULL && info->agent_en[0] != '\0');
    cr_assert(info->agent_id != NULL && info->agent_id[0] != '\0');
    if (info->category != LARIS_WA_ERR_UNKNOWN)
        cr_assert(c->code >= info->first && c->code <= info->last);
}

Test(errors, agent_messages_in_both_languages)
{
    cr_assert_str_eq(laris_wa_error_agent_message(131047, "en"),
                     "More than 24 hours since the customer's last message: send a template.");
    cr_assert_str_eq(laris_wa_error_agent_message(131047, "id"),
                     "Sudah lebih dari 24 jam sejak pesan terakhir pelanggan: kirim template.");
    cr_assert_str_eq(laris_wa_error_agent_message(131047, "id-ID"),
                     laris_wa_error_agent_message(131047, "id"));
    cr_assert_str_eq(laris_wa_error_agent_message(131047, NULL),
                     laris_wa_error_agent_message(131047, "en"));
    cr_assert_str_eq(laris_wa_error_agent_message(131047, "idx"),
                     laris_wa_error_agent_message(131047, "en"));
    cr_assert_str_neq(laris_wa_error_agent_message(424242, "id"),
                      laris_wa_error_agent_message(424242, "en"));
}

/* Every row, read through lookup: single codes are found as themselves, texts are sentences. */
Test(errors, table_is_consistent)
{
    static const int64_t codes[] = {
        0,      1,      2,      3,      4,      10,     33,     100,    190,    368,    80007,
        130429, 130472, 130497, 131000, 131005, 131008, 131009, 131016, 131021, 131026, 131030,
        131031, 131037, 131042, 131045, 131047, 131048, 131049, 131050, 131051, 131052, 131053,
        131056, 131057, 131062, 131063, 131064, 132000, 132001, 132005, 132007, 132012, 132015,
        132016, 132018, 132068, 132069, 133000, 133004, 133010, 133016, 135000, 137000};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        const laris_wa_error_info_t *info = laris_wa_error_lookup(codes[i]);
        cr_assert_eq(info->first, codes[i], "code %lld has its own row", (long long)codes[i]);
        cr_assert_eq(info->last, codes[i]);
        cr_assert_neq(info->category, LARIS_WA_ERR_UNKNOWN);
        cr_assert_not_null(info->title);
        size_t en = strlen(info->agent_en), id = strlen(info->agent_id);
        cr_assert(en > 10 && info->agent_en[en - 1] == '.', "%s", info->agent_en);
        cr_assert(id > 10 && info->agent_id[id - 1] == '.', "%s", info->agent_id);
        cr_assert_str_neq(info->agent_en, info->agent_id);
        bool template_code = codes[i] >= 132000 && codes[i] <= 132999;
        cr_assert_eq((info->flags & LARIS_WA_ERRF_TEMPLATE) != 0, template_code, "%lld",
                     (long long)codes[i]);
    }
}

static laris_arena_t *arena;
static laris_err_t err;

static void setup(void)
{
    arena = laris_arena_create(8192);
    laris_err_init(&err, arena);
}

static void teardown(void)
{
    laris_arena_destroy(arena);
}

static laris_rc parse(const char *body, laris_wa_api_error_t *e)
{
    return laris_wa_api_error_parse(arena, body, strlen(body), e, &err);
}

Test(errors, graph_error_answer, .init = setup, .fini = teardown)
{
    const char *body =
        "{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"type\":\"OAuthException\","
        "\"code\":130429,\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"Message "
        "failed to send because there were too many messages sent from this phone number in a "
        "short period of time\"},\"error_subcode\":2494055,\"fbtrace_id\":\"Az8or2yhqkZfEZ-_4Qn_"
        "Bam\"}}";
    laris_wa_api_error_t e;
    cr_assert_eq(parse(body, &e), LARIS_OK, "%s", err.detail);
    cr_assert_eq(e.code, 130429);
    cr_assert_eq(e.subcode, 2494055);
    cr_assert_str_eq(e.type, "OAuthException");
    cr_assert_str_eq(e.message, "(#130429) Rate limit hit");
    cr_assert_eq(strncmp(e.details, "Message failed to send", 22), 0);
    cr_assert_str_eq(e.fbtrace_id, "Az8or2yhqkZfEZ-_4Qn_Bam");
    cr_assert_not(e.is_transient);
    cr_assert_eq(e.info, laris_wa_error_lookup(130429));
    cr_assert(laris_wa_api_error_retryable(&e));
}

Test(errors, expired_token_answer, .init = setup, .fini = teardown)
{
    const char *body = "{\"error\":{\"message\":\"Error validating access token\",\"type\":"
                       "\"OAuthException\",\"code\":190,\"error_subcode\":463,"
                       "\"is_transient\":true,\"error_user_title\":\"Session expired\","
                       "\"error_user_msg\":\"Log in again\",\"fbtrace_id\":\"A1\"}}";
    laris_wa_api_error_t e;
    cr_assert_eq(parse(body, &e), LARIS_OK);
    cr_assert_eq(e.subcode, 463);
    cr_assert(e.is_transient);
    cr_assert_str_eq(e.user_title, "Session expired");
    cr_assert_str_eq(e.user_message, "Log in again");
    cr_assert_null(e.details);
    cr_assert(e.info->flags & LARIS_WA_ERRF_TOKEN_EXPIRED);
    cr_assert_not(laris_wa_api_error_retryable(&e), "a transient flag does not revive a token");
}

Test(errors, transient_unknown_code_is_retryable, .init = setup, .fini = teardown)
{
    laris_wa_api_error_t e;
    cr_assert_eq(parse("{\"error\":{\"code\":987654,\"is_transient\":true,"
                       "\"error_data\":\"legacy string details\"}}",
                       &e),
                 LARIS_OK);
    cr_assert_eq(e.info->category, LARIS_WA_ERR_UNKNOWN);
    cr_assert_str_eq(e.details, "legacy string details");
    cr_assert(laris_wa_api_error_retryable(&e));
    cr_assert_eq(parse("{\"error\":{\"code\":987654}}", &e), LARIS_OK);
    cr_assert_not(laris_wa_api_error_retryable(&e));
    cr_assert_eq(parse("{\"error\":{\"code\":131050,\"is_transient\":true}}", &e), LARIS_OK);
    cr_assert_not(laris_wa_api_error_retryable(&e));
    cr_assert_eq(parse("{\"error\":{\"code\":131047,\"type\":7,\"message\":null}}", &e), LARIS_OK);
    cr_assert_null(e.type);
    cr_assert_not(laris_wa_api_error_retryable(&e));
}

Test(errors, not_a_graph_error, .init = setup, .fini = teardown)
{
    laris_wa_api_error_t e;
    cr_assert_eq(parse("<html>502 Bad Gateway</html>", &e), LARIS_EMALFORMED);
    cr_assert_eq(parse("{\"error\":\"nope\"}", &e), LARIS_EMALFORMED);
    cr_assert_eq(parse("{\"error\":{\"code\":\"130429\"}}", &e), LARIS_EMALFORMED);
    cr_assert_eq(parse("[]", &e), LARIS_EMALFORMED);
    cr_assert_not_null(err.detail);
    cr_assert_eq(laris_wa_api_error_parse(arena, NULL, 0, &e, &err), LARIS_EMALFORMED);
}
