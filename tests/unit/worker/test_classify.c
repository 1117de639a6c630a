/* laris-worker's pure parts: what a Graph answer means (only answers that prove nothing was
 * sent are retried; a request without an answer is unknown; 190 flags the number), the
 * backoff with jitter, and the queue's job strings. */
#include <criterion/criterion.h>

#include "worker_internal.h"

static laris_arena_t *a;

static void setup(void)
{
    a = laris_arena_create(4096);
}

static void teardown(void)
{
    laris_arena_destroy(a);
}

TestSuite(classify, .init = setup, .fini = teardown);

static send_outcome_t classify(CURLcode cc, long status, const char *body)
{
    send_outcome_t o;
    worker_classify(a, cc, status, body, &o);
    return o;
}

static const char *graph_error(int code)
{
    return laris_arena_printf(a,
                              "{\"error\":{\"message\":\"x\",\"type\":\"OAuthException\","
                              "\"code\":%d,\"fbtrace_id\":\"A\"}}",
                              code);
}

Test(classify, accepted_with_a_wamid)
{
    send_outcome_t o = classify(CURLE_OK, 200,
                                "{\"messaging_product\":\"whatsapp\",\"contacts\":[],"
                                "\"messages\":[{\"id\":\"wamid.ABC\"}]}");
    cr_assert_eq(o.kind, SEND_ACCEPTED);
    cr_assert_str_eq(o.wamid, "wamid.ABC");
}

Test(classify, success_without_a_wamid_is_unknown)
{
    cr_assert_eq(classify(CURLE_OK, 200, "{}").kind, SEND_UNKNOWN);
    cr_assert_eq(classify(CURLE_OK, 200, "not json").kind, SEND_UNKNOWN);
    cr_assert_eq(classify(CURLE_OK, 200, NULL).kind, SEND_UNKNOWN);
}

Test(classify, no_connection_is_retried)
{
    cr_assert_eq(classify(CURLE_COULDNT_CONNECT, 0, NULL).kind, SEND_RETRY);
    cr_assert_eq(classify(CURLE_COULDNT_RESOLVE_HOST, 0, NULL).kind, SEND_RETRY);
}

Test(classify, a_request_that_left_without_answer_is_unknown)
{
    cr_assert_eq(classify(CURLE_OPERATION_TIMEDOUT, 0, NULL).kind, SEND_UNKNOWN);
    cr_assert_eq(classify(CURLE_RECV_ERROR, 0, NULL).kind, SEND_UNKNOWN);
    cr_assert_eq(classify(CURLE_GOT_NOTHING, 0, NULL).kind, SEND_UNKNOWN);
}

Test(classify, throttling_is_retried_and_slows_down)
{
    send_outcome_t o = classify(CURLE_OK, 429, graph_error(130429));
    cr_assert_eq(o.kind, SEND_RETRY);
    cr_assert(o.throttled);
    cr_assert_eq(o.error_code, 130429);
    o = classify(CURLE_OK, 400, graph_error(131056));
    cr_assert_eq(o.kind, SEND_RETRY);
    cr_assert(o.throttled);
}

Test(classify, server_errors_that_say_nothing_was_sent_are_retried)
{
    cr_assert_eq(classify(CURLE_OK, 500, graph_error(131000)).kind, SEND_RETRY);
    cr_assert_eq(classify(CURLE_OK, 500, graph_error(131057)).kind, SEND_RETRY);
    cr_assert_not(classify(CURLE_OK, 500, graph_error(131000)).throttled);
}

Test(classify, a_5xx_without_graphs_error_is_unknown)
{
    cr_assert_eq(classify(CURLE_OK, 502, "<html>Bad Gateway</html>").kind, SEND_UNKNOWN);
    cr_assert_eq(classify(CURLE_OK, 503, NULL).kind, SEND_UNKNOWN);
}

Test(classify, a_4xx_without_graphs_error_fails_in_plain_words)
{
    send_outcome_t o = classify(CURLE_OK, 404, "nope");
    cr_assert_eq(o.kind, SEND_FAILED);
    cr_assert_str_eq(o.error_title, "HTTP 404");
    cr_assert_not_null(o.error_message);
}

Test(classify, token_expired_flags_the_number)
{
    send_outcome_t o = classify(CURLE_OK, 401, graph_error(190));
    cr_assert_eq(o.kind, SEND_TOKEN_EXPIRED);
    cr_assert_eq(o.error_code, 190);
    cr_assert_not_null(o.error_title);
}

Test(classify, permanent_errors_fail_with_plain_words)
{
    send_outcome_t o = classify(CURLE_OK, 400, graph_error(131047)); /* window closed */
    cr_assert_eq(o.kind, SEND_FAILED);
    cr_assert_eq(o.error_code, 131047);
    cr_assert_not_null(o.error_message);
    cr_assert_eq(classify(CURLE_OK, 400, graph_error(131026)).kind, SEND_FAILED);
}

Test(backoff, doubles_per_attempt_up_to_the_cap)
{
    /* random 0: the lower bound, half the delay (rounded up) */
    cr_assert_eq(worker_backoff_ms(1, 500, 60000, 0), 250);
    cr_assert_eq(worker_backoff_ms(2, 500, 60000, 0), 500);
    cr_assert_eq(worker_backoff_ms(3, 500, 60000, 0), 1000);
    cr_assert_eq(worker_backoff_ms(20, 500, 60000, 0), 30000);
    /* the largest random: the full delay */
    cr_assert_eq(worker_backoff_ms(3, 500, 60000, 1000), 2000);
    cr_assert_eq(worker_backoff_ms(20, 500, 60000, 30000), 60000);
}

Test(backoff, jitter_stays_within_half_and_whole)
{
    for (uint32_t r = 0; r < 5000; r += 7) {
        int64_t d = worker_backoff_ms(4, 500, 60000, r * 2654435761u);
        cr_assert(d >= 2000 && d <= 4000, "%lld", (long long)d);
    }
}

Test(jobs, parse_with_and_without_attempt)
{
    int64_t t, m;
    int n;
    cr_assert(worker_job_parse("12:345", &t, &m, &n));
    cr_assert(t == 12 && m == 345 && n == 0);
    cr_assert(worker_job_parse("12:345:3", &t, &m, &n));
    cr_assert(t == 12 && m == 345 && n == 3);
}

Test(jobs, malformed_jobs_are_refused)
{
    int64_t t, m;
    int n;
    const char *bad[] = {"",        "12",         "12:",       ":345",
                         "12:345:", "12:345x",    "a:b",       "-1:2",
                         "1:-2",    "12:345:3:4", "12:345:-1", "99999999999999999999:1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_not(worker_job_parse(bad[i], &t, &m, &n), "\"%s\" was accepted", bad[i]);
}
