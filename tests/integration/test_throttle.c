/* Integration: throttles. Failed logins per account (5) and per address (20) in 15 minutes,
 * signups per address (10) in an hour; refused with 429, Retry-After and problem+json. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

/* Asserts a 429 problem whose Retry-After is a whole number of seconds in 1..max. */
static void assert_throttled(const itest_resp_t *r, long max)
{
    itest_assert_problem(r, 429, NULL);
    const char *retry = itest_header(r, "Retry-After");
    cr_assert_not_null(retry, "429 without Retry-After");
    char *end;
    long seconds = strtol(retry, &end, 10);
    cr_assert(*retry && *end == '\0', "Retry-After is not a number: %s", retry);
    cr_assert(seconds > 0 && seconds <= max, "Retry-After %ld not in 1..%ld", seconds, max);
}

Test(throttle, account_locks_after_five_failures)
{
    itest_user_t owner;
    itest_client_t *oc = itest_client_new();
    itest_signup(oc, &owner);
    itest_client_t *c = itest_client_new();
    for (int i = 0; i < 5; i++) {
        char wrong[64];
        snprintf(wrong, sizeof(wrong), "Wrong-password-%d", i);
        itest_resp_t *r = itest_login(c, owner.email, wrong);
        itest_assert_problem(r, 401, NULL);
    }
    /* the right password no longer helps, from this address or any other */
    itest_resp_t *r = itest_login(c, owner.email, owner.password);
    assert_throttled(r, 15 * 60);
    cr_assert_null(itest_header(r, "Set-Cookie"));
    itest_client_t *elsewhere = itest_client_new();
    r = itest_login(elsewhere, owner.email, owner.password);
    assert_throttled(r, 15 * 60);
    r = itest_request(elsewhere, "GET", "/api/v1/me", NULL, NULL);
    itest_assert_problem(r, 401, NULL);

    /* another account from the same address is not locked */
    itest_user_t other;
    itest_client_t *oc2 = itest_client_new();
    itest_signup(oc2, &other);
    r = itest_login(c, other.email, other.password);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_client_free(oc2);
    itest_client_free(elsewhere);
    itest_client_free(c);
    itest_client_free(oc);
}

Test(throttle, address_locks_after_twenty_failures)
{
    itest_user_t owner;
    itest_client_t *oc = itest_client_new();
    itest_signup(oc, &owner);
    itest_client_t *c = itest_client_new();
    for (int i = 0; i < 20; i++) {
        char email[160];
        itest_unique_email(email, sizeof(email));
        itest_resp_t *r = itest_login(c, email, "Address-spray-pw");
        itest_assert_problem(r, 401, NULL);
    }
    char email[160];
    itest_unique_email(email, sizeof(email));
    itest_resp_t *r = itest_login(c, email, "Address-spray-pw");
    assert_throttled(r, 15 * 60);
    /* this address cannot log anyone in now, even with the right password */
    r = itest_login(c, owner.email, owner.password);
    assert_throttled(r, 15 * 60);

    /* another address is unaffected, and the account itself is not locked */
    itest_client_t *other = itest_client_new();
    cr_assert_str_neq(itest_client_addr(other), itest_client_addr(c));
    r = itest_login(other, owner.email, owner.password);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(other, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_client_free(other);
    itest_client_free(c);
    itest_client_free(oc);
}

Test(throttle, signup_limited_per_address)
{
    itest_client_t *c = itest_client_new();
    for (int i = 0; i < 10; i++) {
        itest_user_t owner;
        itest_signup(c, &owner);
    }
    char email[160];
    itest_unique_email(email, sizeof(email));
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "business_name", "Eleventh", "name",
                             "Eleventh", "email", email, "password", "Eleventh-pw");
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup", json_incref(body), NULL);
    assert_throttled(r, 3600);

    /* nothing was created: another address signs up with the same email */
    itest_client_t *other = itest_client_new();
    r = itest_request(other, "POST", "/api/v1/signup", body, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    itest_client_free(other);
    itest_client_free(c);
}
