/* Integration: signup, login, sessions, the session cookie, CSRF, password change, and the
 * person's own profile and presence, over HTTP against the live stack. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "client.h"

/* A client that sends the given session cookie by hand (an old cookie replayed). */
static itest_resp_t *me_with_cookie(itest_client_t *c, const char *session)
{
    char cookie[400];
    snprintf(cookie, sizeof(cookie), "Cookie: laris_session=%s", session);
    return itest_request(c, "GET", "/api/v1/me", NULL, cookie, NULL);
}

/* Whether the Set-Cookie value has the attribute attr (exactly, ignoring case). */
static bool cookie_has(const char *cookie, const char *attr)
{
    const char *p = strchr(cookie, ';');
    while (p) {
        p++;
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, ";");
        if (n == strlen(attr) && strncasecmp(p, attr, n) == 0)
            return true;
        p = strchr(p, ';');
    }
    return false;
}

/* Whether s is an RFC 3339 time in UTC: 2026-01-31T23:59:59[.fraction]Z. */
static bool is_utc_time(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    for (size_t i = 0; i < sizeof(shape) - 1; i++) {
        bool ok = shape[i] == 'd' ? s[i] >= '0' && s[i] <= '9' : s[i] == shape[i];
        if (!ok)
            return false;
    }
    const char *p = s + sizeof(shape) - 1;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return strcmp(p, "Z") == 0;
}

Test(auth, signup_login_me)
{
    itest_client_t *c = itest_client_new();
    char email[160], upper[160], hex[17];
    itest_unique_email(email, sizeof(email));
    snprintf(upper, sizeof(upper), "%s", email);
    upper[0] = 'I'; /* "It-...": emails are kept in lower case */
    itest_random_hex(hex, 8);
    char password[64];
    snprintf(password, sizeof(password), "Auth-pw-%s", hex);

    itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup",
                                    json_pack("{s:s, s:s, s:s, s:s, s:s}", "business_name",
                                              "Warung Sari", "name", "Sari Dewi", "email", upper,
                                              "password", password, "phone", "0812-1111-2222"),
                                    NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "user.role"), "owner");
    cr_assert_str_eq(itest_get_str(r, "user.email"), email);
    cr_assert_str_eq(itest_get_str(r, "user.name"), "Sari Dewi");
    cr_assert(json_is_true(itest_get(r, "user.active")), "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "tenant.name"), "Warung Sari");
    cr_assert_str_eq(itest_get_str(r, "tenant.phone"), "6281211112222");
    cr_assert_str_eq(itest_get_str(r, "tenant.timezone"), "Asia/Jakarta");
    cr_assert_str_eq(itest_get_str(r, "tenant.status"), "active");
    cr_assert_null(itest_header(r, "Set-Cookie"), "signup does not log in");
    long long user_id = itest_get_int(r, "user.id");
    long long tenant_id = itest_get_int(r, "tenant.id");

    r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    itest_assert_problem(r, 401, NULL);

    r = itest_login(c, upper, password);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "user.id"), user_id);
    cr_assert_eq(itest_get_int(r, "tenant.id"), tenant_id);
    const char *csrf = itest_get_str(r, "csrf_token");
    cr_assert(strlen(csrf) >= 16, "csrf_token %s", csrf);

    r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "user.id"), user_id);
    cr_assert_eq(itest_get_int(r, "tenant.id"), tenant_id);
    cr_assert_str_eq(itest_get_str(r, "user.email"), email);
    cr_assert_str_eq(itest_get_str(r, "csrf_token"), itest_client_csrf(c));
    const char *times[] = {"user.created_at", "user.last_login_at", "tenant.created_at"};
    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
        cr_assert(is_utc_time(itest_get_str(r, times[i])), "%s is not RFC 3339 UTC: %s", times[i],
                  itest_get_str(r, times[i]));
    itest_client_free(c);
}

Test(auth, signup_taken_email_is_409)
{
    itest_user_t owner;
    itest_client_t *c = itest_client_new();
    itest_signup(c, &owner);
    char upper[160];
    snprintf(upper, sizeof(upper), "%s", owner.email);
    upper[1] = 'T';
    itest_resp_t *r =
        itest_request(c, "POST", "/api/v1/signup",
                      json_pack("{s:s, s:s, s:s, s:s}", "business_name", "Other", "name", "Other",
                                "email", upper, "password", "another-password"),
                      NULL);
    itest_assert_problem(r, 409, "email");
    itest_client_free(c);
}

Test(auth, signup_unknown_timezone_is_422)
{
    itest_client_t *c = itest_client_new();
    char email[160];
    itest_unique_email(email, sizeof(email));
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup",
                                    json_pack("{s:s, s:s, s:s, s:s, s:s}", "business_name", "Toko",
                                              "name", "Budi", "email", email, "password",
                                              "password-tz", "timezone", "Mars/Olympus_Mons"),
                                    NULL);
    itest_assert_problem(r, 422, "timezone");
    /* nothing was created: the email is still free */
    r = itest_request(c, "POST", "/api/v1/signup",
                      json_pack("{s:s, s:s, s:s, s:s, s:s}", "business_name", "Toko", "name",
                                "Budi", "email", email, "password", "password-tz", "timezone",
                                "Asia/Makassar"),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "tenant.timezone"), "Asia/Makassar");
    itest_client_free(c);
}

Test(auth, wrong_password_is_401_problem)
{
    itest_user_t owner;
    itest_client_t *c = itest_client_new();
    itest_signup(c, &owner);
    itest_resp_t *r = itest_login(c, owner.email, "Not-the-password-1");
    itest_assert_problem(r, 401, NULL);
    cr_assert_null(itest_header(r, "Set-Cookie"));
    cr_assert_null(itest_get(r, "csrf_token"));

    char unknown[160];
    itest_unique_email(unknown, sizeof(unknown));
    r = itest_login(c, unknown, owner.password);
    itest_assert_problem(r, 401, NULL);

    r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    itest_assert_problem(r, 401, NULL);
    itest_client_free(c);
}

Test(auth, session_cookie_attributes)
{
    itest_user_t owner;
    itest_client_t *c = itest_client_new();
    itest_signup(c, &owner);
    itest_resp_t *r = itest_login(c, owner.email, owner.password);
    cr_assert_eq(r->status, 200, "%s", r->body);
    const char *cookie = itest_header(r, "Set-Cookie");
    cr_assert_not_null(cookie);
    cr_assert(strncmp(cookie, "laris_session=", 14) == 0, "%s", cookie);
    cr_assert(strlen(itest_client_session(c)) > 20, "%s", cookie);
    cr_assert(cookie_has(cookie, "HttpOnly"), "not HttpOnly: %s", cookie);
    cr_assert(cookie_has(cookie, "SameSite=Lax"), "not SameSite=Lax: %s", cookie);
    cr_assert(cookie_has(cookie, "Path=/"), "not Path=/: %s", cookie);
    const char *max_age = strcasestr(cookie, "Max-Age=");
    cr_assert(max_age && max_age[8] >= '1' && max_age[8] <= '9', "Max-Age: %s", cookie);
    /* the token is not in the body */
    cr_assert_null(strstr(r->body, itest_client_session(c)));
    itest_client_free(c);
}

Test(auth, logout_ends_session)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    char session[256];
    snprintf(session, sizeof(session), "%s", itest_client_session(c));

    itest_client_t *replay = itest_client_new();
    itest_resp_t *r = me_with_cookie(replay, session);
    cr_assert_eq(r->status, 200, "the cookie works before logout: %s", r->body);

    r = itest_request(c, "POST", "/api/v1/auth/logout", NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    const char *cleared = itest_header(r, "Set-Cookie");
    cr_assert(cleared && strstr(cleared, "Max-Age=0"), "cookie not cleared: %s",
              cleared ? cleared : "(none)");

    r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    itest_assert_problem(r, 401, NULL);
    r = me_with_cookie(replay, session);
    itest_assert_problem(r, 401, NULL);
    itest_client_free(replay);
    itest_client_free(c);
}

Test(auth, logout_needs_csrf)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/auth/logout", NULL, "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "the session survived: %s", r->body);
    itest_client_free(c);
}

Test(auth, password_change_ends_other_sessions)
{
    itest_user_t owner;
    itest_client_t *current = itest_owner_session(&owner);
    itest_client_t *other = itest_user_session(&owner);
    char hex[17], next[64];
    itest_random_hex(hex, 8);
    snprintf(next, sizeof(next), "New-pw-%s", hex);

    itest_resp_t *r = itest_request(
        current, "PUT", "/api/v1/me/password",
        json_pack("{s:s, s:s}", "current_password", owner.password, "new_password", next), NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);

    r = itest_request(other, "GET", "/api/v1/me", NULL, NULL);
    itest_assert_problem(r, 401, NULL);
    r = itest_request(current, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "the current session stays: %s", r->body);

    itest_client_t *fresh = itest_client_new();
    r = itest_login(fresh, owner.email, owner.password);
    itest_assert_problem(r, 401, NULL);
    r = itest_login(fresh, owner.email, next);
    cr_assert_eq(r->status, 200, "the new password works: %s", r->body);
    itest_client_free(fresh);
    itest_client_free(other);
    itest_client_free(current);
}

Test(auth, password_change_refused_changes_nothing)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    itest_client_t *other = itest_user_session(&owner);

    itest_resp_t *r = itest_request(c, "PUT", "/api/v1/me/password",
                                    json_pack("{s:s, s:s}", "current_password", "Wrong-current-pw",
                                              "new_password", "Never-set-pw-1"),
                                    NULL);
    itest_assert_problem(r, 422, "current_password");
    r = itest_request(
        c, "PUT", "/api/v1/me/password",
        json_pack("{s:s, s:s}", "current_password", owner.password, "new_password", "short"), NULL);
    itest_assert_problem(r, 422, "new_password");
    r = itest_request(c, "PUT", "/api/v1/me/password",
                      json_pack("{s:s, s:s}", "current_password", owner.password, "new_password",
                                "Never-set-pw-2"),
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);

    r = itest_request(other, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "the other session survived: %s", r->body);
    itest_client_t *fresh = itest_client_new();
    r = itest_login(fresh, owner.email, "Never-set-pw-2");
    itest_assert_problem(r, 401, NULL);
    r = itest_login(fresh, owner.email, owner.password);
    cr_assert_eq(r->status, 200, "the old password still works: %s", r->body);
    itest_client_free(fresh);
    itest_client_free(other);
    itest_client_free(c);
}

Test(auth, csrf_missing_or_wrong_is_403_and_changes_nothing)
{
    itest_user_t owner, stranger, agent;
    itest_client_t *c = itest_owner_session(&owner);
    itest_client_t *second = itest_user_session(&owner); /* the owner's other session */
    itest_client_t *other = itest_owner_session(&stranger);
    itest_create_user(c, "agent", &agent);
    size_t before = itest_count_users(c);
    char email[160];
    itest_unique_email(email, sizeof(email));
    char second_csrf[400], stranger_csrf[400], agent_path[64];
    snprintf(second_csrf, sizeof(second_csrf), "X-CSRF-Token: %s", itest_client_csrf(second));
    snprintf(stranger_csrf, sizeof(stranger_csrf), "X-CSRF-Token: %s", itest_client_csrf(other));
    snprintf(agent_path, sizeof(agent_path), "/api/v1/users/%lld", agent.user_id);

    const char *bad_headers[] = {"X-CSRF-Token:", "X-CSRF-Token: wrong-token", second_csrf,
                                 stranger_csrf};
    for (size_t i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++) {
        itest_resp_t *r =
            itest_request(c, "POST", "/api/v1/users",
                          json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", "Csrf Victim",
                                    "password", "Csrf-victim-pw", "role", "agent"),
                          bad_headers[i], NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(c, "PATCH", "/api/v1/me", json_pack("{s:s}", "name", "Csrf Renamed"),
                          bad_headers[i], NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(c, "PUT", "/api/v1/me/presence", json_pack("{s:s}", "presence", "online"),
                          bad_headers[i], NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(c, "PATCH", agent_path, json_pack("{s:i}", "max_chats", 3),
                          bad_headers[i], NULL);
        itest_assert_problem(r, 403, NULL);
        r = itest_request(c, "DELETE", agent_path, NULL, bad_headers[i], NULL);
        itest_assert_problem(r, 403, NULL);
    }
    cr_assert_eq(itest_count_users(c), before, "a user was created without CSRF");
    itest_resp_t *r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "user.name"), owner.name);
    cr_assert_str_eq(itest_get_str(r, "user.presence"), "offline");
    r = itest_request(c, "GET", agent_path, NULL, NULL);
    cr_assert_eq(itest_get_int(r, "max_chats"), 10);
    cr_assert(json_is_true(itest_get(r, "active")), "%s", r->body);
    itest_client_t *probe = itest_client_new();
    r = itest_login(probe, email, "Csrf-victim-pw");
    itest_assert_problem(r, 401, NULL);

    /* the same request with the right token goes through */
    r = itest_request(c, "POST", "/api/v1/users",
                      json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", "Csrf Victim",
                                "password", "Csrf-victim-pw", "role", "agent"),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_eq(itest_count_users(c), before + 1);
    itest_client_free(probe);
    itest_client_free(other);
    itest_client_free(second);
    itest_client_free(c);
}

Test(auth, presence_switch)
{
    itest_user_t owner, agent;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_create_user(oc, "agent", &agent);
    itest_client_t *c = itest_user_session(&agent);
    const char *states[] = {"online", "away", "offline", "online"};
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        itest_resp_t *r = itest_request(c, "PUT", "/api/v1/me/presence",
                                        json_pack("{s:s}", "presence", states[i]), NULL);
        cr_assert_eq(r->status, 200, "%s", r->body);
        cr_assert_str_eq(itest_get_str(r, "presence"), states[i]);
        cr_assert(is_utc_time(itest_get_str(r, "presence_at")), "%s", r->body);
        r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
        cr_assert_str_eq(itest_get_str(r, "user.presence"), states[i]);
    }
    itest_resp_t *r = itest_request(c, "PUT", "/api/v1/me/presence",
                                    json_pack("{s:s}", "presence", "busy"), NULL);
    itest_assert_problem(r, 422, "presence");
    r = itest_request(c, "PUT", "/api/v1/me/presence", json_pack("{}"), NULL);
    itest_assert_problem(r, 422, "presence");
    /* the owner sees the agent online */
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/users/%lld", agent.user_id);
    r = itest_request(oc, "GET", path, NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "presence"), "online");
    itest_client_free(c);
    itest_client_free(oc);
}

Test(auth, patch_me_locale_and_name)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    itest_resp_t *r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "user.locale"), "id");

    r = itest_request(c, "PATCH", "/api/v1/me", json_pack("{s:s}", "locale", "en"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "locale"), "en");
    cr_assert_str_eq(itest_get_str(r, "name"), owner.name, "a PATCH keeps what it does not name");
    r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "user.locale"), "en");

    r = itest_request(c, "PATCH", "/api/v1/me", json_pack("{s:s}", "locale", "fr"), NULL);
    itest_assert_problem(r, 422, "locale");
    r = itest_request(c, "PATCH", "/api/v1/me", json_pack("{s:s}", "name", "Nama Baru"), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "user.locale"), "en");
    cr_assert_str_eq(itest_get_str(r, "user.name"), "Nama Baru");
    r = itest_request(c, "PATCH", "/api/v1/me", json_pack("{s:s}", "locale", "id"), NULL);
    cr_assert_str_eq(itest_get_str(r, "locale"), "id");
    itest_client_free(c);
}
