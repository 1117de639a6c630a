/* A small HTTP client for the integration tests: each client is one browser or program with its
 * own cookie jar, its own fake address (X-Forwarded-For: 198.18.x.y), CSRF token and Bearer
 * token. Every request goes to $LARIS_URL through nginx; a missing stack fails the test.
 *
 * Ownership: a client owns every response it returned; they stay valid until
 * itest_client_free. Request bodies given as json_t are taken over (like json_object_set_new).
 * Helpers assert with Criterion, so they may only be called from inside a test. */
#ifndef LARIS_ITEST_CLIENT_H
#define LARIS_ITEST_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct itest_client itest_client_t;

typedef struct itest_resp {
    long status;
    char *body; /* NUL-terminated (the body itself may hold NULs) */
    size_t body_len;
    json_t *json;   /* the parsed body when it is JSON or problem+json, else NULL */
    char **headers; /* "Name: value" lines, line breaks removed */
    size_t nheaders;
    struct itest_resp *next; /* the client's list of responses */
} itest_resp_t;

/* A person the tests made: credentials and ids. */
typedef struct {
    char email[160];
    char password[80];
    char name[80];
    long long user_id;
    long long tenant_id;
} itest_user_t;

#define ITEST_SENTINEL __attribute__((sentinel))

/* A new client with an empty cookie jar and a random address in 198.18.0.0/15. Fails the test
 * when LARIS_URL is not set. */
itest_client_t *itest_client_new(void);
void itest_client_free(itest_client_t *c);

/* The address this client sends as X-Forwarded-For. */
const char *itest_client_addr(const itest_client_t *c);

/* The CSRF token sent as X-CSRF-Token on POST/PUT/PATCH/DELETE (NULL: none). Set by a
 * successful itest_login; copied. */
void itest_client_set_csrf(itest_client_t *c, const char *csrf);
const char *itest_client_csrf(const itest_client_t *c);

/* Sends "Authorization: Bearer <secret>" on every request (NULL: stop). Copied. */
void itest_client_set_bearer(itest_client_t *c, const char *secret);

/* The laris_session cookie value of the last successful itest_login, or "". */
const char *itest_client_session(const itest_client_t *c);

/* Sends method path (with its query) and an optional JSON body (taken over; NULL: none).
 * The variadic part is extra "Name: value" header lines ending with NULL; an extra
 * "X-CSRF-Token: ..." or "Authorization: ..." replaces the automatic one, and "X-CSRF-Token:"
 * (nothing after the colon) sends none. Fails the test when the stack does not answer, or
 * answers without an X-Request-Id header. */
itest_resp_t *itest_request(itest_client_t *c, const char *method, const char *path, json_t *body,
                            ...) ITEST_SENTINEL;

/* Like itest_request with len raw bytes as the body, declared as content_type (NULL: no
 * Content-Type header at all). */
itest_resp_t *itest_request_raw(itest_client_t *c, const char *method, const char *path,
                                const char *content_type, const void *body, size_t len,
                                ...) ITEST_SENTINEL;

/* The value of the first response header called name (case-insensitive), or NULL. */
const char *itest_header(const itest_resp_t *r, const char *name);

/* The member at a dotted path in the JSON body ("user.id", "items"), or NULL. */
json_t *itest_get(const itest_resp_t *r, const char *path);
/* The same, asserting that it is a string / an integer. */
const char *itest_get_str(const itest_resp_t *r, const char *path);
long long itest_get_int(const itest_resp_t *r, const char *path);

/* Asserts an application/problem+json answer with this status, type/title/status/detail and an
 * instance naming the X-Request-Id; when field is not NULL, errors[] must name it. */
#define itest_assert_problem(r, status, field)                                                     \
    itest_assert_problem_at(__FILE__, __LINE__, r, status, field)
void itest_assert_problem_at(const char *file, int line, const itest_resp_t *r, long status,
                             const char *field);

/* 2*nbytes random hex digits into out (which holds 2*nbytes+1). */
void itest_random_hex(char *out, size_t nbytes);
/* A new unique address such as "it-3fa1c2d4e5@example.com". */
void itest_unique_email(char *out, size_t size);

/* Signs a new business up from c's address; fills owner (the password is distinctive and
 * random). Asserts 201. */
void itest_signup(itest_client_t *c, itest_user_t *owner);

/* POST /api/v1/auth/login. On 200 keeps the csrf_token and the session cookie in c. */
itest_resp_t *itest_login(itest_client_t *c, const char *email, const char *password);
/* itest_login asserting 200. */
void itest_login_ok(itest_client_t *c, const itest_user_t *u);

/* A new client with a new business signed up and its owner logged in. */
itest_client_t *itest_owner_session(itest_user_t *owner);
/* A new client with u logged in. */
itest_client_t *itest_user_session(const itest_user_t *u);

/* As the (logged in) c, adds a person of role supervisor|agent with a random email and
 * password; fills out. Asserts 201. */
void itest_create_user(itest_client_t *c, const char *role, itest_user_t *out);

/* The number of users GET /api/v1/users?limit=200 lists for c (asserts 200). */
size_t itest_count_users(itest_client_t *c);

/* Secrets the run used, for scripts/test's scan of every log of the stack ("secrets"): one
 * per line in $LARIS_STACK_DIR/ITEST_SECRETS_FILE. itest_request records on its own the
 * passwords, secrets and tokens of request and response bodies (members whose name contains
 * "password" or "secret" or ends in "token"), session cookies and Bearer tokens; a test that
 * hands a secret over another way records it itself. Values shorter than 8 bytes, longer than
 * 4096, or holding line breaks are not recorded. Nothing is recorded without LARIS_STACK_DIR. */
#define ITEST_SECRETS_FILE "secrets-used.txt"
void itest_secret_record(const char *value, size_t len);
/* Records the secrets among the members of v, at any depth (NULL: nothing). */
void itest_secret_record_json(const json_t *v);

#endif
