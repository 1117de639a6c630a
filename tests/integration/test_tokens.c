/* Integration: tenant API tokens: created by the owner and shown once, listed by hint only,
 * accepted as Bearer on person routes, refused once revoked, refused on the token routes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

typedef struct {
    long long id;
    char secret[128];
} token_t;

static void create_token(itest_client_t *oc, json_t *body, token_t *out)
{
    itest_resp_t *r = itest_request(oc, "POST", "/api/v1/tokens", body, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    out->id = itest_get_int(r, "token.id");
    snprintf(out->secret, sizeof(out->secret), "%s", itest_get_str(r, "secret"));
}

static bool is_base64url(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

Test(tokens, secret_is_shown_once_and_listed_by_hint)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_resp_t *r = itest_request(oc, "POST", "/api/v1/tokens",
                                    json_pack("{s:s}", "name", "Zapier sync"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    const char *secret = itest_get_str(r, "secret");
    char prefix[40];
    snprintf(prefix, sizeof(prefix), "lrs_%lld_", owner.tenant_id);
    cr_assert(strncmp(secret, prefix, strlen(prefix)) == 0, "secret %s", secret);
    const char *random_part = secret + strlen(prefix);
    cr_assert_eq(strlen(random_part), 43, "secret %s", secret);
    cr_assert(is_base64url(random_part, 43), "secret %s", secret);
    cr_assert_str_eq(itest_get_str(r, "token.name"), "Zapier sync");
    cr_assert_str_eq(itest_get_str(r, "token.role"), "supervisor", "the default role");
    long long id = itest_get_int(r, "token.id");
    const char *hint = itest_get_str(r, "token.hint");
    cr_assert(strlen(hint) < 16, "hint %s", hint);
    cr_assert(strstr(hint, secret + strlen(secret) - 4), "hint %s names the last 4", hint);
    char random_copy[64];
    snprintf(random_copy, sizeof(random_copy), "%s", random_part);

    r = itest_request(oc, "GET", "/api/v1/tokens", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = itest_get(r, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    json_t *item = json_array_get(items, 0);
    cr_assert_eq(json_integer_value(json_object_get(item, "id")), id);
    cr_assert_str_eq(json_string_value(json_object_get(item, "hint")), hint);
    cr_assert_null(json_object_get(item, "secret"));
    cr_assert(json_is_null(json_object_get(item, "revoked_at")), "%s", r->body);
    cr_assert(json_is_null(itest_get(r, "next_cursor")), "%s", r->body);
    /* no part of the secret beyond the hint */
    char piece[12];
    snprintf(piece, sizeof(piece), "%.10s", random_copy);
    cr_assert_null(strstr(r->body, piece), "the list shows the secret: %s", r->body);
    itest_client_free(oc);
}

Test(tokens, bearer_works_without_csrf)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    token_t t;
    create_token(oc, json_pack("{s:s}", "name", "program"), &t);
    itest_client_t *pc = itest_client_new();
    itest_client_set_bearer(pc, t.secret);
    itest_resp_t *r = itest_request(pc, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(itest_get_int(r, "tenant.id"), owner.tenant_id);
    cr_assert_null(itest_get(r, "csrf_token"), "no CSRF token for a program");
    cr_assert_null(itest_header(r, "Set-Cookie"));

    r = itest_request(pc, "GET", "/api/v1/users", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    char email[160];
    itest_unique_email(email, sizeof(email));
    r = itest_request(pc, "POST", "/api/v1/users",
                      json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", "Via Token",
                                "password", "Via-token-pw", "role", "agent"),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_eq(itest_count_users(oc), 2);

    /* the scheme is case-insensitive (RFC 9110) */
    char lower[200];
    snprintf(lower, sizeof(lower), "authorization: bearer %s", t.secret);
    itest_client_t *plain = itest_client_new();
    r = itest_request(plain, "GET", "/api/v1/me", NULL, lower, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_client_free(plain);

    /* the list shows it was used */
    r = itest_request(oc, "GET", "/api/v1/tokens", NULL, NULL);
    json_t *item = json_array_get(itest_get(r, "items"), 0);
    cr_assert(json_is_string(json_object_get(item, "last_used_at")), "%s", r->body);
    itest_client_free(pc);
    itest_client_free(oc);
}

Test(tokens, revoked_token_is_401)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    token_t t, kept;
    create_token(oc, json_pack("{s:s}", "name", "to revoke"), &t);
    create_token(oc, json_pack("{s:s}", "name", "to keep"), &kept);
    itest_client_t *pc = itest_client_new();
    itest_client_set_bearer(pc, t.secret);
    itest_resp_t *r = itest_request(pc, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);

    char path[64];
    snprintf(path, sizeof(path), "/api/v1/tokens/%lld", t.id);
    r = itest_request(oc, "DELETE", path, NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    r = itest_request(pc, "GET", "/api/v1/me", NULL, NULL);
    itest_assert_problem(r, 401, NULL);
    r = itest_request(pc, "GET", "/api/v1/users", NULL, NULL);
    itest_assert_problem(r, 401, NULL);
    r = itest_request(oc, "DELETE", path, NULL, NULL);
    itest_assert_problem(r, 404, NULL);

    /* the other token still works, and the list marks only the revoked one */
    itest_client_set_bearer(pc, kept.secret);
    r = itest_request(pc, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(oc, "GET", "/api/v1/tokens", NULL, NULL);
    size_t i;
    json_t *item;
    json_array_foreach(itest_get(r, "items"), i, item)
    {
        long long id = (long long)json_integer_value(json_object_get(item, "id"));
        json_t *revoked = json_object_get(item, "revoked_at");
        cr_assert(id == t.id ? json_is_string(revoked) : json_is_null(revoked), "%s", r->body);
    }
    itest_client_free(pc);
    itest_client_free(oc);
}

Test(tokens, bearer_on_token_routes_is_403)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    token_t t;
    create_token(oc, json_pack("{s:s, s:s}", "name", "owner program", "role", "owner"), &t);
    itest_client_t *pc = itest_client_new();
    itest_client_set_bearer(pc, t.secret);
    itest_resp_t *r = itest_request(pc, "GET", "/api/v1/tokens", NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(pc, "POST", "/api/v1/tokens", json_pack("{s:s}", "name", "minted"), NULL);
    itest_assert_problem(r, 403, NULL);
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/tokens/%lld", t.id);
    r = itest_request(pc, "DELETE", path, NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    /* a token is not a person: no password change, no logout */
    r = itest_request(pc, "POST", "/api/v1/auth/logout", NULL, NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(pc, "PUT", "/api/v1/me/password",
                      json_pack("{s:s, s:s}", "current_password", owner.password, "new_password",
                                "Token-set-pw-1"),
                      NULL);
    itest_assert_problem(r, 403, NULL);

    r = itest_request(pc, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "not revoked: %s", r->body);
    r = itest_request(oc, "GET", "/api/v1/tokens", NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 1, "nothing minted: %s", r->body);
    itest_client_free(pc);
    itest_client_free(oc);
}

Test(tokens, malformed_bearer_is_401)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    token_t t;
    create_token(oc, json_pack("{s:s}", "name", "real"), &t);
    char altered[160], wrong_random[160];
    snprintf(altered, sizeof(altered), "Authorization: Bearer %s", t.secret);
    char *last = altered + strlen(altered) - 1;
    *last = *last == 'A' ? 'B' : 'A';
    snprintf(wrong_random, sizeof(wrong_random),
             "Authorization: Bearer lrs_%lld_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
             owner.tenant_id);
    const char *headers[] = {
        "Authorization: Bearer abc",
        "Authorization: Bearer lrs_1_short",
        "Authorization: Bearer lrs__AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Authorization: Basic dXNlcjpwYXNzd29yZA==",
        "Authorization: Token abc",
        "Authorization: Bearer ' OR 1=1 --",
        altered,
        wrong_random,
    };
    itest_client_t *c = itest_client_new();
    for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
        itest_resp_t *r = itest_request(c, "GET", "/api/v1/me", NULL, headers[i], NULL);
        itest_assert_problem(r, 401, NULL);
        r = itest_request(c, "GET", "/api/v1/users", NULL, headers[i], NULL);
        itest_assert_problem(r, 401, NULL);
    }
    itest_client_free(c);
    itest_client_free(oc);
}

Test(tokens, create_validates_fields)
{
    itest_user_t owner;
    itest_client_t *oc = itest_owner_session(&owner);
    itest_resp_t *r = itest_request(oc, "POST", "/api/v1/tokens", json_pack("{}"), NULL);
    itest_assert_problem(r, 422, "name");
    r = itest_request(oc, "POST", "/api/v1/tokens", json_pack("{s:s}", "name", ""), NULL);
    itest_assert_problem(r, 422, "name");
    r = itest_request(oc, "POST", "/api/v1/tokens",
                      json_pack("{s:s, s:s}", "name", "x", "role", "admin"), NULL);
    itest_assert_problem(r, 422, "role");
    r = itest_request(oc, "POST", "/api/v1/tokens", json_pack("{s:i}", "name", 7), NULL);
    itest_assert_problem(r, 422, "name");
    r = itest_request(oc, "POST", "/api/v1/tokens", json_pack("{s:s}", "name", "no csrf"),
                      "X-CSRF-Token:", NULL);
    itest_assert_problem(r, 403, NULL);
    r = itest_request(oc, "GET", "/api/v1/tokens", NULL, NULL);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 0, "nothing created: %s", r->body);
    r = itest_request(oc, "DELETE", "/api/v1/tokens/999999999", NULL, NULL);
    itest_assert_problem(r, 404, NULL);
    itest_client_free(oc);
}
