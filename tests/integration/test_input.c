/* Integration: hostile and broken input. Bad bodies, types, lengths, query parameters and path
 * ids get the right problem+json and change nothing; SQL metacharacters, Unicode and emoji
 * in valid values are stored literally and come back unchanged. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Values that break naive SQL, LIKE patterns or encodings; all valid as names. */
static const char *const tricky[] = {
    "'; DROP TABLE users; --",
    "\" OR 1=1 --",
    "\\",
    "%",
    "_",
    "Robert'); DELETE FROM tenants; --",
    "100% _real_ \\N $1 :name",
    "Ünïcödé Straße 東京 محمد",
    "Toko 🛒🙂 👩🏽‍💻",
};

/* A valid signup body with a unique email. */
static json_t *signup_body(void)
{
    char email[160];
    itest_unique_email(email, sizeof(email));
    return json_pack("{s:s, s:s, s:s, s:s}", "business_name", "Toko Input", "name", "Input Owner",
                     "email", email, "password", "Input-owner-pw");
}

/* body with field set to value (taken over). */
static json_t *with(json_t *body, const char *field, json_t *value)
{
    json_object_set_new(body, field, value);
    return body;
}

/* A string of n copies of c (n < size). */
static char *fill(char *buf, size_t size, char c, size_t n)
{
    cr_assert(n < size);
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

/* n copies of the UTF-8 sequence s. */
static char *fill_utf8(char *buf, size_t size, const char *s, size_t n)
{
    size_t len = strlen(s);
    cr_assert(n * len < size);
    for (size_t i = 0; i < n; i++)
        memcpy(buf + i * len, s, len);
    buf[n * len] = '\0';
    return buf;
}

static itest_resp_t *post_json_text(itest_client_t *c, const char *path, const char *text)
{
    return itest_request_raw(c, "POST", path, "application/json", text, strlen(text), NULL);
}

/* {"a":{"a":...{}...}} with depth objects, into a malloc'd string. */
static char *nested_objects(size_t depth)
{
    size_t size = depth * 6 + 1;
    char *s = malloc(size);
    cr_assert_not_null(s);
    size_t n = 0;
    for (size_t i = 0; i + 1 < depth; i++) {
        memcpy(s + n, "{\"a\":", 5);
        n += 5;
    }
    s[n++] = '{';
    for (size_t i = 0; i < depth; i++)
        s[n++] = '}';
    s[n] = '\0';
    return s;
}

/* A JSON object of exactly len bytes: {"pad":"xxxx..."}. */
static char *object_of_size(size_t len)
{
    char *s = malloc(len + 1);
    cr_assert_not_null(s);
    memcpy(s, "{\"pad\":\"", 8);
    memset(s + 8, 'x', len - 10);
    memcpy(s + len - 2, "\"}", 2);
    s[len] = '\0';
    return s;
}

Test(input, malformed_json_is_400)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    const char *bodies[] = {
        "{\"email\":",
        "{\"a\":1,}",
        "{} trailing",
        "{'email':'x@example.com'}",
        "{\"name\":\"a\",\"name\":\"b\"}",
        "{\"name\":\"a\\u0000b\"}",
        "{\"name\":\"\xff\xfe\"}",
        "{\"name\":\"unterminated}",
    };
    for (size_t i = 0; i < COUNT(bodies); i++) {
        itest_resp_t *r = post_json_text(c, "/api/v1/signup", bodies[i]);
        itest_assert_problem(r, 400, NULL);
        r = post_json_text(c, "/api/v1/users", bodies[i]);
        itest_assert_problem(r, 400, NULL);
    }
    cr_assert_eq(itest_count_users(c), 1);
    itest_client_free(c);
}

Test(input, non_object_body_is_400)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    const char *bodies[] = {"[]",  "[{\"email\":\"x@example.com\"}]", "\"text\"", "42", "true",
                            "null"};
    for (size_t i = 0; i < COUNT(bodies); i++) {
        itest_resp_t *r = post_json_text(c, "/api/v1/signup", bodies[i]);
        itest_assert_problem(r, 400, NULL);
        r = post_json_text(c, "/api/v1/users", bodies[i]);
        itest_assert_problem(r, 400, NULL);
        r = itest_request_raw(c, "PATCH", "/api/v1/me", "application/json", bodies[i],
                              strlen(bodies[i]), NULL);
        itest_assert_problem(r, 400, NULL);
    }
    /* no body at all where one is needed */
    itest_resp_t *r =
        itest_request_raw(c, "POST", "/api/v1/signup", "application/json", "", 0, NULL);
    itest_assert_problem(r, 400, NULL);
    r = itest_request(c, "POST", "/api/v1/users", NULL, NULL);
    itest_assert_problem(r, 400, NULL);
    cr_assert_eq(itest_count_users(c), 1);
    itest_client_free(c);
}

Test(input, wrong_content_type_is_415)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    char email[160], body[400];
    itest_unique_email(email, sizeof(email));
    snprintf(body, sizeof(body),
             "{\"email\":\"%s\",\"name\":\"Typed\",\"password\":\"Typed-pw-123\","
             "\"role\":\"agent\"}",
             email);
    const char *types[] = {"text/plain",
                           "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x",
                           "application/jsonp",
                           "application/json-seq",
                           "application/xml",
                           NULL};
    for (size_t i = 0; i < COUNT(types); i++) {
        itest_resp_t *r =
            itest_request_raw(c, "POST", "/api/v1/users", types[i], body, strlen(body), NULL);
        itest_assert_problem(r, 415, NULL);
        r = itest_request_raw(c, "POST", "/api/v1/signup", types[i], body, strlen(body), NULL);
        itest_assert_problem(r, 415, NULL);
    }
    itest_resp_t *r =
        itest_request_raw(c, "POST", "/api/v1/auth/login", "application/x-www-form-urlencoded",
                          "email=a%40example.com&password=x", 32, NULL);
    itest_assert_problem(r, 415, NULL);
    cr_assert_eq(itest_count_users(c), 1, "nothing was created");

    /* parameters and case do not matter */
    r = itest_request_raw(c, "POST", "/api/v1/users", "Application/JSON; charset=utf-8", body,
                          strlen(body), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_eq(itest_count_users(c), 2);
    itest_client_free(c);
}

Test(input, oversized_body_is_413)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    const size_t sizes[] = {16 * 1024 + 1, 64 * 1024, 1024 * 1024 + 1};
    for (size_t i = 0; i < COUNT(sizes); i++) {
        char *body = object_of_size(sizes[i]);
        itest_resp_t *r = post_json_text(c, "/api/v1/signup", body);
        itest_assert_problem(r, 413, NULL);
        r = post_json_text(c, "/api/v1/users", body);
        itest_assert_problem(r, 413, NULL);
        r = itest_request_raw(c, "PATCH", "/api/v1/me", "application/json", body, sizes[i], NULL);
        itest_assert_problem(r, 413, NULL);
        r = post_json_text(c, "/api/v1/auth/login", body);
        itest_assert_problem(r, 413, NULL);
        free(body);
    }
    /* without Content-Length (chunked) the limit holds all the same */
    char *chunked = object_of_size(20 * 1024);
    itest_resp_t *r = itest_request_raw(c, "POST", "/api/v1/users", "application/json", chunked,
                                        strlen(chunked), "Transfer-Encoding: chunked", NULL);
    itest_assert_problem(r, 413, NULL);
    free(chunked);
    /* at the limit it is read: {"pad": ...} then fails on its fields, not its size */
    char *body = object_of_size(16 * 1024);
    r = post_json_text(c, "/api/v1/users", body);
    itest_assert_problem(r, 422, "email");
    free(body);
    cr_assert_eq(itest_count_users(c), 1);
    r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_client_free(c);
}

Test(input, deep_nesting_is_400)
{
    itest_client_t *c = itest_client_new();
    char *deep = nested_objects(33);
    itest_resp_t *r = post_json_text(c, "/api/v1/signup", deep);
    itest_assert_problem(r, 400, NULL);
    free(deep);
    /* 32 levels are allowed: it then fails on its fields */
    deep = nested_objects(32);
    r = post_json_text(c, "/api/v1/signup", deep);
    itest_assert_problem(r, 422, "email");
    free(deep);
    /* thousands of brackets within the size limit */
    char arrays[16001];
    memset(arrays, '[', 8000);
    memset(arrays + 8000, ']', 8000);
    arrays[16000] = '\0';
    r = post_json_text(c, "/api/v1/signup", arrays);
    itest_assert_problem(r, 400, NULL);
    r = itest_request(c, "GET", "/healthz", NULL, NULL);
    cr_assert_eq(r->status, 200);
    itest_client_free(c);
}

Test(input, signup_wrong_types_are_422)
{
    itest_client_t *c = itest_client_new();
    const char *fields[] = {"business_name", "name", "email", "password", "phone", "timezone"};
    for (size_t f = 0; f < COUNT(fields); f++) {
        json_t *values[] = {json_integer(42), json_true(), json_array(), json_object(),
                            json_real(1.5)};
        for (size_t v = 0; v < COUNT(values); v++) {
            itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup",
                                            with(signup_body(), fields[f], values[v]), NULL);
            itest_assert_problem(r, 422, fields[f]);
        }
        if (f < 4) { /* required ones */
            itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup",
                                            with(signup_body(), fields[f], json_null()), NULL);
            itest_assert_problem(r, 422, fields[f]);
            json_t *body = signup_body();
            json_object_del(body, fields[f]);
            r = itest_request(c, "POST", "/api/v1/signup", body, NULL);
            itest_assert_problem(r, 422, fields[f]);
        }
    }
    /* all the problems at once */
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup", json_pack("{}"), NULL);
    itest_assert_problem(r, 422, "business_name");
    itest_assert_problem(r, 422, "name");
    itest_assert_problem(r, 422, "email");
    itest_assert_problem(r, 422, "password");
    itest_client_free(c);
}

Test(input, signup_bad_values_are_422)
{
    itest_client_t *c = itest_client_new();
    char buf[2048], local[400];
    struct {
        const char *field;
        json_t *value;
    } cases[] = {
        {"business_name", json_string(fill(buf, sizeof(buf), 'b', 201))},
        {"name", json_string(fill(buf, sizeof(buf), 'n', 101))},
        {"name", json_string(fill_utf8(buf, sizeof(buf), "🙂", 101))},
        {"password", json_string(fill(buf, sizeof(buf), 'p', 129))},
        {"password", json_string(fill_utf8(buf, sizeof(buf), "é", 129))},
        {"password", json_string("short12")},
        {"email", json_string("")},
        {"email", json_string("not-an-email")},
        {"email", json_string("two@@example.com")},
        {"email", json_string("spa ce@example.com")},
        {"phone", json_string("not a phone")},
        {"phone", json_string(fill(buf, sizeof(buf), '1', 33))},
        {"timezone", json_string("Asia/Atlantis")},
        {"timezone", json_string("")},
        {"timezone", json_string(fill(buf, sizeof(buf), 'z', 65))},
        {"business_name", json_string("")},
        {"business_name", json_string("   ")},
        {"name", json_string("")},
        {"name", json_string(" \t ")},
        {"name", json_string("tab\there")},
        {"name", json_string("line\nbreak")},
        {"password", json_string("")},
    };
    /* an email of 255 characters, otherwise well formed */
    snprintf(buf, sizeof(buf), "%s@example.com", fill(local, sizeof(local), 'e', 255 - 12));
    cr_assert_eq(strlen(buf), 255);
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup",
                                    with(signup_body(), "email", json_string(buf)), NULL);
    itest_assert_problem(r, 422, "email");
    for (size_t i = 0; i < COUNT(cases); i++) {
        r = itest_request(c, "POST", "/api/v1/signup",
                          with(signup_body(), cases[i].field, cases[i].value), NULL);
        itest_assert_problem(r, 422, cases[i].field);
    }
    itest_client_free(c);
}

Test(input, signup_limits_are_inclusive)
{
    itest_client_t *c = itest_client_new();
    char business[2048], name[2048], password[2048], email[400], local[400], hex[9];
    itest_random_hex(hex, 4);
    fill_utf8(business, sizeof(business), "ü", 200);
    fill_utf8(name, sizeof(name), "🙂", 100);
    fill_utf8(password, sizeof(password), "ß", 128);
    snprintf(email, sizeof(email), "%s%s@example.com", hex,
             fill(local, sizeof(local), 'l', 254 - 12 - 8));
    cr_assert_eq(strlen(email), 254);
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup",
                                    json_pack("{s:s, s:s, s:s, s:s}", "business_name", business,
                                              "name", name, "email", email, "password", password),
                                    NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "tenant.name"), business);
    cr_assert_str_eq(itest_get_str(r, "user.name"), name);
    cr_assert_str_eq(itest_get_str(r, "user.email"), email);
    r = itest_login(c, email, password);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_client_free(c);
}

Test(input, signup_stores_metacharacters_literally)
{
    for (size_t i = 0; i < COUNT(tricky); i++) {
        itest_client_t *c = itest_client_new();
        char email[160], hex[11], password[200];
        itest_random_hex(hex, 5);
        snprintf(email, sizeof(email), "o'brien+%%_x-%s@example.com", hex);
        snprintf(password, sizeof(password), "%s-pw-%s", tricky[i], hex);
        itest_resp_t *r =
            itest_request(c, "POST", "/api/v1/signup",
                          json_pack("{s:s, s:s, s:s, s:s}", "business_name", tricky[i], "name",
                                    tricky[i], "email", email, "password", password),
                          NULL);
        cr_assert_eq(r->status, 201, "%s: %s", tricky[i], r->body);
        cr_assert_str_eq(itest_get_str(r, "tenant.name"), tricky[i]);
        cr_assert_str_eq(itest_get_str(r, "user.name"), tricky[i]);
        cr_assert_str_eq(itest_get_str(r, "user.email"), email);
        r = itest_login(c, email, password);
        cr_assert_eq(r->status, 200, "%s: %s", tricky[i], r->body);
        r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
        cr_assert_str_eq(itest_get_str(r, "tenant.name"), tricky[i]);
        cr_assert_str_eq(itest_get_str(r, "user.name"), tricky[i]);
        cr_assert_eq(itest_count_users(c), 1);
        itest_client_free(c);
    }
}

Test(input, signup_metacharacters_in_checked_fields_are_422)
{
    itest_client_t *c = itest_client_new();
    const char *emails[] = {"'; DROP TABLE users; --@example.com", "\" OR 1=1 --@example.com",
                            "back\\slash@example.com", "a@b'; --", "%"};
    for (size_t i = 0; i < COUNT(emails); i++) {
        itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup",
                                        with(signup_body(), "email", json_string(emails[i])), NULL);
        itest_assert_problem(r, 422, "email");
    }
    for (size_t i = 0; i < COUNT(tricky); i++) {
        itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup",
                                        with(signup_body(), "phone", json_string(tricky[i])), NULL);
        itest_assert_problem(r, 422, "phone");
    }
    /* the time zone is looked up with the value as a parameter, never as SQL */
    const char *zones[] = {"Asia/Jakarta'; --", "' OR '1'='1", "%", "_", "Asia/%"};
    for (size_t i = 0; i < COUNT(zones); i++) {
        itest_client_t *fresh = itest_client_new(); /* these pass validation: throttled */
        itest_resp_t *r =
            itest_request(fresh, "POST", "/api/v1/signup",
                          with(signup_body(), "timezone", json_string(zones[i])), NULL);
        itest_assert_problem(r, 422, "timezone");
        itest_client_free(fresh);
    }
    itest_client_free(c);
}

Test(input, login_hostile_values)
{
    itest_user_t owner;
    itest_client_t *oc = itest_client_new();
    itest_signup(oc, &owner);
    itest_client_t *c = itest_client_new();
    /* A random tail keeps each run's hostile accounts apart from earlier runs' (failed logins
     * are throttled per account). */
    const char *emails[] = {"' OR 1=1 --", "\" OR \"\"=\"", "%", "_", "*", "admin'--@example.com"};
    char tail[9];
    itest_random_hex(tail, 4);
    for (size_t i = 0; i < COUNT(emails); i++) {
        char email[128];
        snprintf(email, sizeof(email), "%s%s", emails[i], tail);
        itest_resp_t *r = itest_login(c, email, "' OR '1'='1");
        itest_assert_problem(r, 401, NULL);
    }
    itest_resp_t *r = itest_login(c, owner.email, "' OR '1'='1");
    itest_assert_problem(r, 401, NULL);
    r = itest_login(c, owner.email, "%");
    itest_assert_problem(r, 401, NULL);

    r = itest_request(c, "POST", "/api/v1/auth/login",
                      json_pack("{s:i, s:s}", "email", 42, "password", "x"), NULL);
    itest_assert_problem(r, 422, "email");
    r = itest_request(c, "POST", "/api/v1/auth/login",
                      json_pack("{s:s, s:[]}", "email", owner.email, "password"), NULL);
    itest_assert_problem(r, 422, "password");
    char local[400], long_email[400], long_password[200];
    snprintf(long_email, sizeof(long_email), "%s@example.com",
             fill(local, sizeof(local), 'e', 255 - 12));
    r = itest_login(c, long_email, owner.password);
    itest_assert_problem(r, 422, "email");
    r = itest_login(c, owner.email, fill(long_password, sizeof(long_password), 'p', 129));
    itest_assert_problem(r, 422, "password");
    r = itest_login(c, "", "");
    itest_assert_problem(r, 422, "email");
    itest_assert_problem(r, 422, "password");
    r = itest_request(c, "POST", "/api/v1/auth/login", json_pack("{}"), NULL);
    itest_assert_problem(r, 422, "email");
    itest_assert_problem(r, 422, "password");
    r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    itest_assert_problem(r, 401, NULL);

    /* the real password still works: nothing above logged in or locked the account */
    r = itest_login(c, owner.email, owner.password);
    cr_assert_eq(r->status, 200, "%s", r->body);
    itest_client_free(c);
    itest_client_free(oc);
}

Test(input, user_create_bad_fields_change_nothing)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    char buf[2048];
    struct {
        const char *field;
        json_t *value;
    } cases[] = {
        {"email", json_integer(42)},
        {"email", json_string("")},
        {"email", json_string("nobody")},
        {"email", json_string("'; DROP TABLE users; --")},
        {"name", json_integer(42)},
        {"name", json_string("")},
        {"name", json_string(fill(buf, sizeof(buf), 'n', 101))},
        {"name", json_string("bell\x07")},
        {"password", json_true()},
        {"password", json_string("short")},
        {"password", json_string(fill(buf, sizeof(buf), 'p', 129))},
        {"role", json_string("owner")},
        {"role", json_string("admin")},
        {"role", json_string("agent'; --")},
        {"role", json_integer(1)},
        {"role", json_null()},
        {"max_chats", json_string("5")},
        {"max_chats", json_integer(0)},
        {"max_chats", json_integer(201)},
        {"max_chats", json_integer(-1)},
        {"max_chats", json_real(1.5)},
        {"max_chats", json_true()},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        char email[160];
        itest_unique_email(email, sizeof(email));
        json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", "Bad Field",
                                 "password", "Bad-field-pw", "role", "agent");
        itest_resp_t *r = itest_request(c, "POST", "/api/v1/users",
                                        with(body, cases[i].field, cases[i].value), NULL);
        itest_assert_problem(r, 422, cases[i].field);
    }
    cr_assert_eq(itest_count_users(c), 1, "a refused user was created");
    itest_client_free(c);
}

Test(input, user_create_taken_email_is_409)
{
    itest_user_t owner, stranger;
    itest_client_t *c = itest_owner_session(&owner);
    itest_client_t *other = itest_client_new();
    itest_signup(other, &stranger);
    char upper[160];
    snprintf(upper, sizeof(upper), "%s", owner.email);
    upper[0] = 'I';
    const char *emails[] = {stranger.email, owner.email, upper};
    for (size_t i = 0; i < COUNT(emails); i++) {
        itest_resp_t *r =
            itest_request(c, "POST", "/api/v1/users",
                          json_pack("{s:s, s:s, s:s, s:s}", "email", emails[i], "name", "Duplicate",
                                    "password", "Duplicate-pw-1", "role", "agent"),
                          NULL);
        itest_assert_problem(r, 409, "email");
    }
    cr_assert_eq(itest_count_users(c), 1);
    /* the stranger's login is still theirs */
    itest_client_t *probe = itest_user_session(&stranger);
    itest_resp_t *r = itest_request(probe, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(itest_get_int(r, "user.id"), stranger.user_id);
    itest_client_free(probe);
    itest_client_free(other);
    itest_client_free(c);
}

Test(input, user_create_and_patch_store_metacharacters_literally)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    for (size_t i = 0; i < COUNT(tricky); i++) {
        char email[160], hex[11], password[200];
        itest_random_hex(hex, 5);
        snprintf(email, sizeof(email), "o'neil+%%_%zu-%s@example.com", i, hex);
        snprintf(password, sizeof(password), "%s-pw-%s", tricky[i], hex);
        itest_resp_t *r = itest_request(c, "POST", "/api/v1/users",
                                        json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name",
                                                  tricky[i], "password", password, "role", "agent"),
                                        NULL);
        cr_assert_eq(r->status, 201, "%s: %s", tricky[i], r->body);
        cr_assert_str_eq(itest_get_str(r, "name"), tricky[i]);
        cr_assert_str_eq(itest_get_str(r, "email"), email);
        long long id = itest_get_int(r, "id");
        itest_client_t *probe = itest_client_new();
        r = itest_login(probe, email, password);
        cr_assert_eq(r->status, 200, "log in with %s: %s", password, r->body);
        itest_client_free(probe);

        /* a PATCH renames it to the next tricky value, read back by GET */
        const char *next = tricky[(i + 1) % COUNT(tricky)];
        char path[64];
        snprintf(path, sizeof(path), "/api/v1/users/%lld", id);
        r = itest_request(c, "PATCH", path, json_pack("{s:s}", "name", next), NULL);
        cr_assert_eq(r->status, 200, "%s: %s", next, r->body);
        cr_assert_str_eq(itest_get_str(r, "name"), next);
        r = itest_request(c, "GET", path, NULL, NULL);
        cr_assert_str_eq(itest_get_str(r, "name"), next);
        cr_assert_str_eq(itest_get_str(r, "email"), email);

        r = itest_request(c, "PATCH", "/api/v1/me", json_pack("{s:s}", "name", tricky[i]), NULL);
        cr_assert_eq(r->status, 200, "%s: %s", tricky[i], r->body);
        r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
        cr_assert_str_eq(itest_get_str(r, "user.name"), tricky[i]);
    }
    cr_assert_eq(itest_count_users(c), 1 + COUNT(tricky));
    itest_client_free(c);
}

Test(input, user_patch_bad_fields_change_nothing)
{
    itest_user_t owner, agent;
    itest_client_t *c = itest_owner_session(&owner);
    itest_create_user(c, "agent", &agent);
    char path[64], buf[2048];
    snprintf(path, sizeof(path), "/api/v1/users/%lld", agent.user_id);
    json_t *bodies[] = {
        json_pack("{s:s}", "name", ""),
        json_pack("{s:i}", "name", 42),
        json_pack("{s:s}", "name", fill(buf, sizeof(buf), 'n', 101)),
        json_pack("{s:s}", "max_chats", "5"),
        json_pack("{s:i}", "max_chats", 0),
        json_pack("{s:i}", "max_chats", 201),
        json_pack("{s:s}", "active", "no"),
        json_pack("{s:i}", "active", 0),
        json_pack("{s:s}", "role", "boss"),
        json_pack("{s:s}", "role", "owner"),
        json_pack("{s:s}", "password", "short"),
        json_pack("{s:s}", "password", fill(buf, sizeof(buf), 'p', 129)),
        /* one good field and one bad: nothing is applied */
        json_pack("{s:s, s:i}", "name", "Half Applied", "max_chats", 0),
        json_pack("{s:s, s:b, s:s}", "name", "Half Applied", "active", 0, "role", "boss"),
    };
    const char *fields[] = {"name",      "name",     "name",      "max_chats", "max_chats",
                            "max_chats", "active",   "active",    "role",      "role",
                            "password",  "password", "max_chats", "role"};
    cr_assert_eq(COUNT(bodies), COUNT(fields));
    itest_client_t *ac = itest_user_session(&agent);
    for (size_t i = 0; i < COUNT(bodies); i++) {
        itest_resp_t *r = itest_request(c, "PATCH", path, bodies[i], NULL);
        itest_assert_problem(r, 422, fields[i]);
    }
    itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "name"), agent.name);
    cr_assert_str_eq(itest_get_str(r, "role"), "agent");
    cr_assert_eq(itest_get_int(r, "max_chats"), 10);
    cr_assert(json_is_true(itest_get(r, "active")));
    r = itest_request(ac, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "the agent's session survived: %s", r->body);
    itest_client_t *fresh = itest_user_session(&agent); /* the password is unchanged */
    itest_client_free(fresh);

    r = itest_request(c, "PATCH", "/api/v1/me", json_pack("{s:s}", "name", ""), NULL);
    itest_assert_problem(r, 422, "name");
    r = itest_request(c, "PATCH", "/api/v1/me",
                      json_pack("{s:s, s:s}", "name", "Half", "locale", "xx"), NULL);
    itest_assert_problem(r, 422, "locale");
    r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "user.name"), owner.name);
    itest_client_free(ac);
    itest_client_free(c);
}

Test(input, unknown_route_is_404)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    const char *paths[] = {"/api/v1/nope", "/api/v2/me", "/api/v1/users/1/extra", "/api/v1/me/",
                           "/api/v1",      "/api/",      "/admin/v1/nothing-here"};
    for (size_t i = 0; i < COUNT(paths); i++) {
        itest_resp_t *r = itest_request(c, "GET", paths[i], NULL, NULL);
        itest_assert_problem(r, 404, NULL);
        r = itest_request(c, "POST", paths[i], json_pack("{}"), NULL);
        itest_assert_problem(r, 404, NULL);
    }
    itest_client_free(c);
}

Test(input, wrong_method_is_405)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    struct {
        const char *method, *path;
    } cases[] = {
        {"DELETE", "/api/v1/me"},    {"POST", "/api/v1/me"},        {"PUT", "/api/v1/users"},
        {"DELETE", "/api/v1/users"}, {"GET", "/api/v1/auth/login"}, {"GET", "/api/v1/auth/logout"},
        {"POST", "/api/v1/users/1"}, {"GET", "/api/v1/tokens/1"},   {"GET", "/api/v1/me/password"},
        {"POST", "/healthz"},        {"DELETE", "/readyz"},         {"PUT", "/api/v1/signup"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        itest_resp_t *r = itest_request(c, cases[i].method, cases[i].path, NULL, NULL);
        itest_assert_problem(r, 405, NULL);
    }
    itest_client_free(c);
}

Test(input, bad_pagination_is_422)
{
    itest_user_t owner, agent;
    itest_client_t *c = itest_owner_session(&owner);
    itest_create_user(c, "agent", &agent);
    const char *limits[] = {"0",  "201", "abc", "-1", "", "1.5", "10abc", "99999999999999999999",
                            "%20"};
    for (size_t i = 0; i < COUNT(limits); i++) {
        char path[128];
        snprintf(path, sizeof(path), "/api/v1/users?limit=%s", limits[i]);
        itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
        itest_assert_problem(r, 422, "limit");
        snprintf(path, sizeof(path), "/api/v1/tokens?limit=%s", limits[i]);
        r = itest_request(c, "GET", path, NULL, NULL);
        itest_assert_problem(r, 422, "limit");
    }
    /* garbage, base64 of "id:abc", "id:-5", "id:0", "xx:5", and far too long */
    const char *cursors[] = {"garbage!",
                             "%27%20OR%201%3D1",
                             "aWQ6YWJj",
                             "aWQ6LTU",
                             "aWQ6MA",
                             "eHg6NQ",
                             "aWQ6MQaWQ6MQaWQ6MQaWQ6MQaWQ6MQaWQ6MQaWQ6MQaWQ6MQ",
                             "====",
                             "aWQ6MSAg"};
    for (size_t i = 0; i < COUNT(cursors); i++) {
        char path[160];
        snprintf(path, sizeof(path), "/api/v1/users?cursor=%s", cursors[i]);
        itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
        itest_assert_problem(r, 422, "cursor");
    }
    /* the good ones: a page of one, then the next page from its cursor */
    itest_resp_t *r = itest_request(c, "GET", "/api/v1/users?limit=200", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(c, "GET", "/api/v1/users?limit=1", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(itest_get(r, "items")), 1);
    const char *cursor = itest_get_str(r, "next_cursor");
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/users?limit=1&cursor=%s", cursor);
    r = itest_request(c, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(
        json_integer_value(json_object_get(json_array_get(itest_get(r, "items"), 0), "id")),
        agent.user_id);
    cr_assert(json_is_null(itest_get(r, "next_cursor")), "%s", r->body);
    itest_client_free(c);
}

Test(input, bad_path_ids_are_404)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    const char *ids[] = {"abc",
                         "-1",
                         "0",
                         "99999999999999999999",
                         "9223372036854775808",
                         "1.5",
                         "1e3",
                         "%27%20OR%201%3D1--",
                         "0x10",
                         "+1",
                         "999999999"};
    for (size_t i = 0; i < COUNT(ids); i++) {
        char path[128];
        snprintf(path, sizeof(path), "/api/v1/users/%s", ids[i]);
        itest_resp_t *r = itest_request(c, "GET", path, NULL, NULL);
        itest_assert_problem(r, 404, NULL);
        r = itest_request(c, "PATCH", path, json_pack("{s:s}", "name", "Nobody"), NULL);
        itest_assert_problem(r, 404, NULL);
        r = itest_request(c, "DELETE", path, NULL, NULL);
        itest_assert_problem(r, 404, NULL);
        snprintf(path, sizeof(path), "/api/v1/tokens/%s", ids[i]);
        r = itest_request(c, "DELETE", path, NULL, NULL);
        itest_assert_problem(r, 404, NULL);
    }
    itest_resp_t *r = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_str_eq(itest_get_str(r, "user.name"), owner.name);
    itest_client_free(c);
}
