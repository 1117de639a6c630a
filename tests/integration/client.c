/* The integration tests' HTTP client (see client.h): libcurl for the transport, jansson for
 * the bodies, Criterion assertions in the helpers. */
#include "client.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

struct itest_client {
    CURL *curl;
    char base_url[256];
    char addr[32];
    char *csrf;
    char *bearer;
    char session[256];
    itest_resp_t *responses;
};

/* A growing byte buffer, always NUL-terminated. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} bytes_t;

static void bytes_append(bytes_t *b, const char *s, size_t n)
{
    if (!b->data || b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = realloc(b->data, cap);
        if (!b->data)
            abort(); /* out of memory; the analyzer does not know cr_assert ends the test */
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static char *copy_string(const char *s)
{
    if (!s)
        return NULL;
    char *out = strdup(s);
    cr_assert_not_null(out, "out of memory");
    return out;
}

void itest_random_hex(char *out, size_t nbytes)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char raw[64];
    cr_assert(nbytes <= sizeof(raw));
    cr_assert_eq(getrandom(raw, nbytes, 0), (ssize_t)nbytes, "getrandom failed");
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 0xf];
    }
    out[2 * nbytes] = '\0';
}

void itest_unique_email(char *out, size_t size)
{
    char hex[21];
    itest_random_hex(hex, 10);
    snprintf(out, size, "it-%s@example.com", hex);
}

/* ---- secrets the run used (client.h: itest_secret_record) ---- */

#define SECRET_MIN 8    /* shorter values are no credential of Laris and match by chance */
#define SECRET_MAX 4096 /* longer ones are oversize probes, refused before anything logs them */

/* Whether value is one character repeated: an oversize probe ("AAAA…"), no credential, and
 * other tests send such strings where logging them is harmless (a tampered cursor). */
static bool one_repeated_char(const char *value, size_t len)
{
    for (size_t i = 1; i < len; i++)
        if (value[i] != value[0])
            return false;
    return true;
}

void itest_secret_record(const char *value, size_t len)
{
    const char *dir = getenv("LARIS_STACK_DIR");
    if (!dir || !dir[0] || !value || len < SECRET_MIN || len > SECRET_MAX ||
        memchr(value, '\n', len) || memchr(value, '\r', len) || memchr(value, '\0', len) ||
        one_repeated_char(value, len))
        return;
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, ITEST_SECRETS_FILE);
    FILE *f = fopen(path, "a");
    cr_assert_not_null(f, "cannot append to %s", path);
    fwrite(value, 1, len, f);
    fputc('\n', f);
    cr_assert_eq(fclose(f), 0, "cannot write %s", path);
}

/* Whether a JSON member called key holds a credential: passwords, secrets and tokens. */
static bool secret_key(const char *key)
{
    size_t n = strlen(key);
    return strstr(key, "password") || strstr(key, "secret") ||
           (n >= 5 && strcmp(key + n - 5, "token") == 0);
}

void itest_secret_record_json(const json_t *v)
{
    if (json_is_object(v)) {
        json_t *obj = (json_t *)v;
        for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
            const char *key = json_object_iter_key(it);
            json_t *member = json_object_iter_value(it);
            if (json_is_string(member) && secret_key(key))
                itest_secret_record(json_string_value(member), json_string_length(member));
            else
                itest_secret_record_json(member);
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            itest_secret_record_json(json_array_get(v, i));
    }
}

/* Records the session token of every Set-Cookie: laris_session=<token>. */
static void record_session_cookies(const itest_resp_t *r)
{
    static const char prefix[] = "Set-Cookie: laris_session=";
    for (size_t i = 0; i < r->nheaders; i++)
        if (strncasecmp(r->headers[i], prefix, sizeof(prefix) - 1) == 0) {
            const char *value = r->headers[i] + sizeof(prefix) - 1;
            itest_secret_record(value, strcspn(value, ";"));
        }
}

static size_t on_body(char *data, size_t size, size_t n, void *userdata)
{
    bytes_append(userdata, data, size * n);
    return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *userdata)
{
    itest_resp_t *r = userdata;
    size_t len = size * n;
    while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == '\n'))
        len--;
    if (len == 0 || !memchr(data, ':', len))
        return size * n; /* the status line or the blank line */
    r->headers = realloc(r->headers, (r->nheaders + 1) * sizeof(char *));
    cr_assert_not_null(r->headers);
    r->headers[r->nheaders] = strndup(data, len);
    cr_assert_not_null(r->headers[r->nheaders]);
    r->nheaders++;
    return size * n;
}

itest_client_t *itest_client_new(void)
{
    const char *url = getenv("LARIS_URL");
    cr_assert(url && url[0], "LARIS_URL is not set: the integration tests need the running "
                             "stack that scripts/test starts");
    static bool curl_ready;
    if (!curl_ready) {
        cr_assert_eq(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
        curl_ready = true;
    }
    itest_client_t *c = calloc(1, sizeof(*c));
    cr_assert_not_null(c);
    c->curl = curl_easy_init();
    cr_assert_not_null(c->curl);
    curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, ""); /* the jar lives in memory only */
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    snprintf(c->base_url, sizeof(c->base_url), "%s", url);
    size_t len = strlen(c->base_url);
    if (len > 0 && c->base_url[len - 1] == '/')
        c->base_url[len - 1] = '\0';
    unsigned char r[3];
    cr_assert_eq(getrandom(r, sizeof(r), 0), (ssize_t)sizeof(r));
    /* 198.18.0.0/15 is for benchmarks; hosts 1..254 only. */
    snprintf(c->addr, sizeof(c->addr), "198.%d.%d.%d", 18 + (r[0] & 1), r[1], 1 + r[2] % 254);
    return c;
}

void itest_client_free(itest_client_t *c)
{
    if (!c)
        return;
    itest_resp_t *r = c->responses;
    while (r) {
        itest_resp_t *next = r->next;
        for (size_t i = 0; i < r->nheaders; i++)
            free(r->headers[i]);
        free(r->headers);
        free(r->body);
        json_decref(r->json);
        free(r);
        r = next;
    }
    curl_easy_cleanup(c->curl);
    free(c->csrf);
    free(c->bearer);
    free(c);
}

const char *itest_client_addr(const itest_client_t *c)
{
    return c->addr;
}

void itest_client_set_csrf(itest_client_t *c, const char *csrf)
{
    free(c->csrf);
    c->csrf = copy_string(csrf);
}

const char *itest_client_csrf(const itest_client_t *c)
{
    return c->csrf;
}

void itest_client_set_bearer(itest_client_t *c, const char *secret)
{
    free(c->bearer);
    c->bearer = copy_string(secret);
    if (secret)
        itest_secret_record(secret, strlen(secret));
}

const char *itest_client_session(const itest_client_t *c)
{
    return c->session;
}

const char *itest_header(const itest_resp_t *r, const char *name)
{
    size_t name_len = strlen(name);
    for (size_t i = 0; i < r->nheaders; i++) {
        const char *line = r->headers[i];
        if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
            const char *value = line + name_len + 1;
            while (*value == ' ')
                value++;
            return value;
        }
    }
    return NULL;
}

static bool has_header(struct curl_slist *list, const char *name)
{
    size_t name_len = strlen(name);
    for (; list; list = list->next)
        if (strncasecmp(list->data, name, name_len) == 0 && list->data[name_len] == ':')
            return true;
    return false;
}

static struct curl_slist *add_header(struct curl_slist *list, const char *fmt, const char *value)
{
    char line[1024];
    snprintf(line, sizeof(line), fmt, value);
    struct curl_slist *out = curl_slist_append(list, line);
    cr_assert_not_null(out);
    return out;
}

static bool is_unsafe(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

static bool is_json_type(const char *content_type)
{
    return content_type && (strncasecmp(content_type, "application/json", 16) == 0 ||
                            strncasecmp(content_type, "application/problem+json", 24) == 0);
}

/* Performs one request; body may be NULL (no body) and content_type NULL (no such header). */
static itest_resp_t *perform(itest_client_t *c, const char *method, const char *path,
                             const char *content_type, const void *body, size_t len, va_list extra)
{
    CURL *curl = c->curl;
    char url[4096];
    snprintf(url, sizeof(url), "%s%s", c->base_url, path);

    struct curl_slist *headers = NULL;
    for (const char *h = va_arg(extra, const char *); h; h = va_arg(extra, const char *)) {
        headers = curl_slist_append(headers, h);
        cr_assert_not_null(headers);
    }
    headers = add_header(headers, "X-Forwarded-For: %s", c->addr);
    headers = add_header(headers, "Expect:%s", ""); /* no 100-continue for big bodies */
    if (!has_header(headers, "Content-Type"))       /* "Content-Type:" alone: curl sends none */
        headers = content_type ? add_header(headers, "Content-Type: %s", content_type)
                               : add_header(headers, "Content-Type:%s", "");
    if (c->csrf && is_unsafe(method) && !has_header(headers, "X-CSRF-Token"))
        headers = add_header(headers, "X-CSRF-Token: %s", c->csrf);
    if (c->bearer && !has_header(headers, "Authorization"))
        headers = add_header(headers, "Authorization: Bearer %s", c->bearer);

    itest_resp_t *r = calloc(1, sizeof(*r));
    cr_assert_not_null(r);
    r->next = c->responses;
    c->responses = r;
    bytes_t received = {0};

    /* The handle is reused (its cookies and connection live on), so every option a request
     * depends on is set again here. */
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L); /* forget the previous request's body */
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    } else if (is_unsafe(method)) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &received);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, r);

    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    cr_assert_eq(rc, CURLE_OK, "%s %s: the stack at %s does not answer: %s", method, path,
                 c->base_url, curl_easy_strerror(rc));
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
    /* every answer of laris-api carries one, whatever the status */
    cr_assert_not_null(itest_header(r, "X-Request-Id"), "%s %s: %ld without X-Request-Id", method,
                       path, r->status);

    if (!received.data)
        bytes_append(&received, "", 0);
    r->body = received.data;
    r->body_len = received.len;
    if (is_json_type(itest_header(r, "Content-Type")) && r->body_len > 0)
        r->json = json_loadb(r->body, r->body_len, 0, NULL);
    record_session_cookies(r);
    itest_secret_record_json(r->json);
    return r;
}

itest_resp_t *itest_request(itest_client_t *c, const char *method, const char *path, json_t *body,
                            ...)
{
    char *text = NULL;
    if (body) {
        itest_secret_record_json(body);
        text = json_dumps(body, JSON_COMPACT);
        json_decref(body);
        cr_assert_not_null(text, "the request body does not encode");
    }
    va_list extra;
    va_start(extra, body);
    itest_resp_t *r = perform(c, method, path, text ? "application/json" : NULL, text,
                              text ? strlen(text) : 0, extra);
    va_end(extra);
    free(text);
    return r;
}

itest_resp_t *itest_request_raw(itest_client_t *c, const char *method, const char *path,
                                const char *content_type, const void *body, size_t len, ...)
{
    va_list extra;
    va_start(extra, len);
    itest_resp_t *r = perform(c, method, path, content_type, body ? body : "", len, extra);
    va_end(extra);
    return r;
}

json_t *itest_get(const itest_resp_t *r, const char *path)
{
    json_t *node = r->json;
    char key[128];
    const char *p = path;
    while (node && *p) {
        size_t n = strcspn(p, ".");
        cr_assert(n < sizeof(key));
        memcpy(key, p, n);
        key[n] = '\0';
        node = json_is_object(node) ? json_object_get(node, key) : NULL;
        p += n;
        if (*p == '.')
            p++;
    }
    return node;
}

const char *itest_get_str(const itest_resp_t *r, const char *path)
{
    json_t *v = itest_get(r, path);
    cr_assert(json_is_string(v), "%s is not a string in: %s", path, r->body);
    return json_string_value(v);
}

long long itest_get_int(const itest_resp_t *r, const char *path)
{
    json_t *v = itest_get(r, path);
    cr_assert(json_is_integer(v), "%s is not an integer in: %s", path, r->body);
    return (long long)json_integer_value(v);
}

void itest_assert_problem_at(const char *file, int line, const itest_resp_t *r, long status,
                             const char *field)
{
    cr_assert_eq(r->status, status, "%s:%d: expected %ld, got %ld: %s", file, line, status,
                 r->status, r->body);
    const char *type = itest_header(r, "Content-Type");
    cr_assert(type && strncmp(type, "application/problem+json", 24) == 0,
              "%s:%d: Content-Type is %s, not application/problem+json", file, line,
              type ? type : "(none)");
    cr_assert(json_is_object(r->json), "%s:%d: the problem is not a JSON object: %s", file, line,
              r->body);
    cr_assert(json_is_string(itest_get(r, "type")), "%s:%d: no type: %s", file, line, r->body);
    cr_assert(json_is_string(itest_get(r, "title")), "%s:%d: no title: %s", file, line, r->body);
    cr_assert(json_is_string(itest_get(r, "detail")), "%s:%d: no detail: %s", file, line, r->body);
    json_t *member = itest_get(r, "status");
    cr_assert(json_is_integer(member) && json_integer_value(member) == status,
              "%s:%d: status member: %s", file, line, r->body);
    const char *request_id = itest_header(r, "X-Request-Id");
    cr_assert(request_id && request_id[0], "%s:%d: no X-Request-Id on a problem", file, line);
    const char *instance = json_string_value(itest_get(r, "instance"));
    cr_assert(instance && strstr(instance, request_id),
              "%s:%d: instance does not name request %s: %s", file, line, request_id, r->body);
    if (!field)
        return;
    json_t *errors = itest_get(r, "errors");
    cr_assert(json_is_array(errors), "%s:%d: no errors[] naming %s: %s", file, line, field,
              r->body);
    size_t i;
    json_t *item;
    json_array_foreach(errors, i, item)
    {
        const char *f = json_string_value(json_object_get(item, "field"));
        if (f && strcmp(f, field) == 0) {
            cr_assert(json_is_string(json_object_get(item, "message")), "%s:%d: %s", file, line,
                      r->body);
            return;
        }
    }
    cr_assert_fail("%s:%d: errors[] does not name %s: %s", file, line, field, r->body);
}

void itest_signup(itest_client_t *c, itest_user_t *owner)
{
    char hex[17];
    memset(owner, 0, sizeof(*owner));
    itest_unique_email(owner->email, sizeof(owner->email));
    itest_random_hex(hex, 8);
    snprintf(owner->password, sizeof(owner->password), "Pw-owner-%s-itest", hex);
    snprintf(owner->name, sizeof(owner->name), "Owner %s", hex);
    itest_resp_t *r =
        itest_request(c, "POST", "/api/v1/signup",
                      json_pack("{s:s, s:s, s:s, s:s}", "business_name", "Toko Integrasi", "name",
                                owner->name, "email", owner->email, "password", owner->password),
                      NULL);
    cr_assert_eq(r->status, 201, "signup: %ld %s", r->status, r->body);
    owner->user_id = itest_get_int(r, "user.id");
    owner->tenant_id = itest_get_int(r, "tenant.id");
}

itest_resp_t *itest_login(itest_client_t *c, const char *email, const char *password)
{
    itest_resp_t *r =
        itest_request(c, "POST", "/api/v1/auth/login",
                      json_pack("{s:s, s:s}", "email", email, "password", password), NULL);
    if (r->status != 200)
        return r;
    itest_client_set_csrf(c, itest_get_str(r, "csrf_token"));
    const char *cookie = itest_header(r, "Set-Cookie");
    cr_assert_not_null(cookie, "login without Set-Cookie");
    static const char prefix[] = "laris_session=";
    cr_assert(strncmp(cookie, prefix, sizeof(prefix) - 1) == 0, "Set-Cookie: %s", cookie);
    const char *value = cookie + sizeof(prefix) - 1;
    size_t n = strcspn(value, ";");
    cr_assert(n < sizeof(c->session), "session cookie too long");
    memcpy(c->session, value, n);
    c->session[n] = '\0';
    return r;
}

void itest_login_ok(itest_client_t *c, const itest_user_t *u)
{
    itest_resp_t *r = itest_login(c, u->email, u->password);
    cr_assert_eq(r->status, 200, "login %s: %ld %s", u->email, r->status, r->body);
}

itest_client_t *itest_owner_session(itest_user_t *owner)
{
    itest_client_t *c = itest_client_new();
    itest_signup(c, owner);
    itest_login_ok(c, owner);
    return c;
}

itest_client_t *itest_user_session(const itest_user_t *u)
{
    itest_client_t *c = itest_client_new();
    itest_login_ok(c, u);
    return c;
}

void itest_create_user(itest_client_t *c, const char *role, itest_user_t *out)
{
    char hex[17];
    memset(out, 0, sizeof(*out));
    itest_unique_email(out->email, sizeof(out->email));
    itest_random_hex(hex, 8);
    snprintf(out->password, sizeof(out->password), "Pw-%s-%s-itest", role, hex);
    snprintf(out->name, sizeof(out->name), "%s %s", role, hex);
    itest_resp_t *r = itest_request(c, "POST", "/api/v1/users",
                                    json_pack("{s:s, s:s, s:s, s:s}", "email", out->email, "name",
                                              out->name, "password", out->password, "role", role),
                                    NULL);
    cr_assert_eq(r->status, 201, "create %s: %ld %s", role, r->status, r->body);
    cr_assert_str_eq(itest_get_str(r, "role"), role);
    out->user_id = itest_get_int(r, "id");
}

size_t itest_count_users(itest_client_t *c)
{
    itest_resp_t *r = itest_request(c, "GET", "/api/v1/users?limit=200", NULL, NULL);
    cr_assert_eq(r->status, 200, "list users: %ld %s", r->status, r->body);
    json_t *items = itest_get(r, "items");
    cr_assert(json_is_array(items), "%s", r->body);
    return json_array_size(items);
}
