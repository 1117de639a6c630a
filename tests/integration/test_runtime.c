/* Integration: the running service: request ids, probes, and the API log (one JSON access
 * line per request, never a secret). The prefork master is tested in test_prefork.c. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool is_request_id(const char *s)
{
    size_t len = strlen(s);
    if (len < 8 || len > 64)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The path of the API log of the stack under test. */
static void api_log_path(char *out, size_t size)
{
    const char *dir = getenv("LARIS_STACK_DIR");
    cr_assert(dir && dir[0], "LARIS_STACK_DIR is not set: is the test stack up?");
    const char *candidates[] = {"%s/log/laris-api.log", "%s/api.log"};
    for (size_t i = 0; i < COUNT(candidates); i++) {
        snprintf(out, size, candidates[i], dir);
        if (access(out, R_OK) == 0)
            return;
    }
    cr_assert_fail("no API log in %s/log/laris-api.log nor %s/api.log", dir, dir);
}

/* The whole API log, malloc'd and NUL-terminated. */
static char *read_api_log(void)
{
    char path[512];
    api_log_path(path, sizeof(path));
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    size_t n;
    while ((n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            cap *= 2;
            text = realloc(text, cap);
            cr_assert_not_null(text);
        }
    }
    fclose(f);
    text[len] = '\0';
    return text;
}

/* The parsed log line whose request_id is id, waiting up to 2 s for it; NULL if none. */
static json_t *find_access_line(const char *id)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        char *log = read_api_log();
        json_t *found = NULL;
        for (char *line = log; line && *line && !found;) {
            char *end = strchr(line, '\n');
            if (end)
                *end = '\0';
            if (strstr(line, id)) {
                json_t *v = json_loads(line, 0, NULL);
                const char *rid = json_string_value(json_object_get(v, "request_id"));
                if (rid && strcmp(rid, id) == 0 && json_object_get(v, "status"))
                    found = v;
                else
                    json_decref(v);
            }
            line = end ? end + 1 : NULL;
        }
        free(log);
        if (found)
            return found;
        sleep_ms(100);
    }
    return NULL;
}

static void set_request_id(char *header, size_t size, char *id, size_t id_size)
{
    char hex[17];
    itest_random_hex(hex, 8);
    snprintf(id, id_size, "itest-%s", hex);
    snprintf(header, size, "X-Request-Id: %s", id);
}

Test(runtime, request_id_is_echoed)
{
    itest_client_t *c = itest_client_new();
    char hex[33];
    itest_random_hex(hex, 16);
    char shortest[16], longest[80], mixed[80];
    snprintf(shortest, sizeof(shortest), "%.8s", hex);
    snprintf(longest, sizeof(longest), "%s%s", hex, hex); /* 64 */
    snprintf(mixed, sizeof(mixed), "Req_%s-X", hex);
    const char *ids[] = {shortest, longest, mixed};
    const char *paths[] = {"/healthz", "/api/v1/me", "/api/v1/nowhere"};
    const long statuses[] = {200, 401, 404};
    for (size_t i = 0; i < COUNT(ids); i++) {
        for (size_t p = 0; p < COUNT(paths); p++) {
            char header[128];
            snprintf(header, sizeof(header), "X-Request-Id: %s", ids[i]);
            itest_resp_t *r = itest_request(c, "GET", paths[p], NULL, header, NULL);
            cr_assert_eq(r->status, statuses[p], "%s: %s", paths[p], r->body);
            const char *echoed = itest_header(r, "X-Request-Id");
            cr_assert(echoed && strcmp(echoed, ids[i]) == 0, "sent %s, got %s", ids[i],
                      echoed ? echoed : "(none)");
            if (statuses[p] != 200)
                itest_assert_problem(r, statuses[p], NULL);
        }
    }
    /* also on a refused body */
    itest_resp_t *r = itest_request_raw(c, "POST", "/api/v1/signup", "text/plain", "x", 1,
                                        "X-Request-Id: itest-415-request", NULL);
    itest_assert_problem(r, 415, NULL);
    cr_assert_str_eq(itest_header(r, "X-Request-Id"), "itest-415-request");
    itest_client_free(c);
}

Test(runtime, request_id_is_generated)
{
    itest_client_t *c = itest_client_new();
    itest_resp_t *a = itest_request(c, "GET", "/healthz", NULL, NULL);
    itest_resp_t *b = itest_request(c, "GET", "/api/v1/me", NULL, NULL);
    const char *id_a = itest_header(a, "X-Request-Id");
    const char *id_b = itest_header(b, "X-Request-Id");
    cr_assert(id_a && is_request_id(id_a), "generated id %s", id_a ? id_a : "(none)");
    cr_assert(id_b && is_request_id(id_b), "generated id %s", id_b ? id_b : "(none)");
    cr_assert_str_neq(id_a, id_b);

    /* ids that are too short, too long or not plain are replaced */
    char too_long[80];
    itest_random_hex(too_long, 32);
    too_long[64] = 'x';
    too_long[65] = '\0';
    const char *bad[] = {"short7c",
                         too_long,
                         "has space 12345",
                         "semi;colon1234",
                         "\xc3\xbcnicode-12345",
                         "dots.are.not.ok",
                         "slash/1234567"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        char header[128];
        snprintf(header, sizeof(header), "X-Request-Id: %s", bad[i]);
        itest_resp_t *r = itest_request(c, "GET", "/healthz", NULL, header, NULL);
        const char *id = itest_header(r, "X-Request-Id");
        cr_assert(id && is_request_id(id), "for %s got %s", bad[i], id ? id : "(none)");
        cr_assert_str_neq(id, bad[i]);
    }
    itest_client_free(c);
}

Test(runtime, probes_answer)
{
    itest_client_t *c = itest_client_new();
    itest_resp_t *r = itest_request(c, "GET", "/healthz", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(itest_get_str(r, "status"), "ok");
    r = itest_request(c, "GET", "/readyz", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    const char *type = itest_header(r, "Content-Type");
    cr_assert(type && strncmp(type, "application/json", 16) == 0, "%s", type);
    cr_assert_str_eq(itest_get_str(r, "status"), "ok");
    cr_assert_str_eq(itest_get_str(r, "checks.postgres"), "ok");
    cr_assert_str_eq(itest_get_str(r, "checks.redis"), "ok");
    itest_client_free(c);
}

Test(runtime, access_log_line_per_request)
{
    itest_user_t owner;
    itest_client_t *c = itest_owner_session(&owner);
    char header[128], id[64], path[64];
    set_request_id(header, sizeof(header), id, sizeof(id));
    snprintf(path, sizeof(path), "/api/v1/users/%lld", owner.user_id);
    itest_resp_t *r = itest_request(c, "GET", path, NULL, header, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);

    json_t *line = find_access_line(id);
    cr_assert_not_null(line, "no access line with request_id %s in the API log", id);
    cr_assert_str_eq(json_string_value(json_object_get(line, "method")), "GET");
    cr_assert_str_eq(json_string_value(json_object_get(line, "route")), "/api/v1/users/{id}",
                     "the route pattern, not the path");
    cr_assert_eq(json_integer_value(json_object_get(line, "status")), 200);
    json_t *duration = json_object_get(line, "duration_ms");
    cr_assert(json_is_number(duration) && json_number_value(duration) >= 0);
    cr_assert_eq(json_integer_value(json_object_get(line, "tenant_id")), owner.tenant_id);
    json_decref(line);

    /* a refused request is logged too, with its status */
    set_request_id(header, sizeof(header), id, sizeof(id));
    r = itest_request(c, "POST", "/api/v1/users", json_pack("{}"), header, "X-CSRF-Token: nope",
                      NULL);
    itest_assert_problem(r, 403, NULL);
    line = find_access_line(id);
    cr_assert_not_null(line, "no access line with request_id %s", id);
    cr_assert_str_eq(json_string_value(json_object_get(line, "method")), "POST");
    cr_assert_str_eq(json_string_value(json_object_get(line, "route")), "/api/v1/users");
    cr_assert_eq(json_integer_value(json_object_get(line, "status")), 403);
    json_decref(line);
    itest_client_free(c);
}

Test(runtime, log_holds_no_secrets)
{
    char hex[17];
    itest_random_hex(hex, 8);
    /* distinctive values, easy to find if they leak */
    char password[64], wrong[64], new_password[64], agent_password[64], reset[64], email[160];
    snprintf(password, sizeof(password), "LogLeakOwnerPw%s", hex);
    snprintf(wrong, sizeof(wrong), "LogLeakWrongPw%s", hex);
    snprintf(new_password, sizeof(new_password), "LogLeakNewPw%s", hex);
    snprintf(agent_password, sizeof(agent_password), "LogLeakAgentPw%s", hex);
    snprintf(reset, sizeof(reset), "LogLeakResetPw%s", hex);
    itest_unique_email(email, sizeof(email));

    itest_client_t *c = itest_client_new();
    char header[128], id[64];
    set_request_id(header, sizeof(header), id, sizeof(id));
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/signup",
                                    json_pack("{s:s, s:s, s:s, s:s, s:s}", "business_name",
                                              "Log Leak", "name", "Log Leak", "email", email,
                                              "password", password, "phone", "0812-9876-5432"),
                                    header, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    long long tenant_id = itest_get_int(r, "tenant.id");
    itest_assert_problem(itest_login(c, email, wrong), 401, NULL);
    r = itest_login(c, email, password);
    cr_assert_eq(r->status, 200, "%s", r->body);
    char session[256], csrf[256];
    snprintf(session, sizeof(session), "%s", itest_client_session(c));
    snprintf(csrf, sizeof(csrf), "%s", itest_client_csrf(c));

    r = itest_request(c, "POST", "/api/v1/tokens", json_pack("{s:s}", "name", "leak check"), NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    char secret[128];
    snprintf(secret, sizeof(secret), "%s", itest_get_str(r, "secret"));
    char agent_email[160];
    itest_unique_email(agent_email, sizeof(agent_email));
    r = itest_request(c, "POST", "/api/v1/users",
                      json_pack("{s:s, s:s, s:s, s:s}", "email", agent_email, "name", "Leak Agent",
                                "password", agent_password, "role", "agent"),
                      NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/users/%lld", itest_get_int(r, "id"));
    r = itest_request(c, "PATCH", path, json_pack("{s:s}", "password", reset), NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    r = itest_request(
        c, "PUT", "/api/v1/me/password",
        json_pack("{s:s, s:s}", "current_password", password, "new_password", new_password), NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);

    /* the token used, a forged one, a wrong CSRF token and a forged session cookie */
    itest_client_t *program = itest_client_new();
    itest_client_set_bearer(program, secret);
    cr_assert_eq(itest_request(program, "GET", "/api/v1/me", NULL, NULL)->status, 200);
    char forged[128], forged_header[200];
    snprintf(forged, sizeof(forged), "lrs_%lld_LogLeakForgedToken%s0123456789abcdefg", tenant_id,
             hex);
    snprintf(forged_header, sizeof(forged_header), "Authorization: Bearer %s", forged);
    itest_assert_problem(itest_request(program, "GET", "/api/v1/me", NULL, forged_header, NULL),
                         401, NULL);
    char bad_csrf[200];
    snprintf(bad_csrf, sizeof(bad_csrf), "X-CSRF-Token: LogLeakCsrf%s", hex);
    itest_assert_problem(
        itest_request(c, "PATCH", "/api/v1/me", json_pack("{s:s}", "name", "x"), bad_csrf, NULL),
        403, NULL);

    cr_assert_not_null(strchr(session, '.'), "session token %s", session);
    char *log = read_api_log();
    cr_assert(strstr(log, id), "the API log does not have this test's requests (%s)", id);
    const char *secrets[] = {password,
                             wrong,
                             new_password,
                             agent_password,
                             reset,
                             session,
                             strchr(session, '.') + 1,
                             csrf,
                             secret,
                             secret + strlen(secret) - 43,
                             forged,
                             bad_csrf + strlen("X-CSRF-Token: ")};
    for (size_t i = 0; i < COUNT(secrets); i++)
        cr_assert_null(strstr(log, secrets[i]), "the API log holds a secret: %s", secrets[i]);
    cr_assert_null(strstr(log, "81298765432"), "the API log holds a full phone number");
    cr_assert_null(strstr(log, "LogLeak"), "the API log holds a password or token");
    free(log);
    itest_client_free(program);
    itest_client_free(c);
}
