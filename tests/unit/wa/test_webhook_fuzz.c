/* Fuzz-style unit tests for src/wa/webhook.c and message.c: truncated, byte-mutated and
 * shape-mutated fixtures go through decode + parse and must give OK or a clean refusal. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "fixtures.h"
#include "laris/json.h"
#include "laris/wa.h"

#define BYTE_MUTATIONS 400
#define MAX_NODES      4096

static laris_arena_t *arena; /* fixtures and bookkeeping */
static laris_arena_t *work;  /* one parse, reset each time */

static void setup(void)
{
    arena = laris_arena_create(65536);
    work = laris_arena_create(65536);
}

static void teardown(void)
{
    laris_arena_destroy(work);
    laris_arena_destroy(arena);
}

TestSuite(webhook_fuzz, .init = setup, .fini = teardown);

typedef struct {
    size_t accepted;
    size_t refused;
} tally_t;

/* What an accepted parse always promises. */
static void check_accepted(const laris_wa_webhook_t *w)
{
    for (size_t i = 0; i < w->nchanges; i++) {
        const laris_wa_change_t *c = &w->changes[i];
        cr_assert_not_null(c->waba_id);
        cr_assert_not_null(c->field);
        for (size_t j = 0; j < c->nmessages; j++) {
            cr_assert(c->messages[j].id != NULL && c->messages[j].id[0] != '\0');
            cr_assert(c->messages[j].type != NULL && c->messages[j].type[0] != '\0');
            cr_assert(c->messages[j].raw != NULL && c->messages[j].raw_len > 0);
        }
        for (size_t j = 0; j < c->nstatuses; j++)
            cr_assert(c->statuses[j].id != NULL && c->statuses[j].status != NULL);
        if (c->kind == LARIS_WA_FIELD_MESSAGES)
            cr_assert_not_null(c->phone_number_id);
    }
}

/* Parses a tree in a fresh arena; either it is accepted whole or refused with a detail. */
static void parse_tree(json_t *root, tally_t *t)
{
    laris_err_t err;
    laris_arena_reset(work);
    laris_err_init(&err, work);
    laris_wa_webhook_t *w = NULL;
    laris_rc rc = laris_wa_webhook_parse(work, root, &w, &err);
    if (rc == LARIS_OK) {
        cr_assert_not_null(w);
        check_accepted(w);
        t->accepted++;
    } else {
        cr_assert_eq(rc, LARIS_EMALFORMED);
        cr_assert_null(w);
        cr_assert_not_null(err.detail);
        t->refused++;
    }
}

/* Decodes bytes as the HTTP layer would, then parses when they are JSON. */
static void parse_bytes(const char *body, size_t len, tally_t *t)
{
    laris_err_t err;
    laris_arena_reset(work);
    laris_err_init(&err, work);
    json_t *root = NULL;
    if (laris_json_decode(work, body, len, NULL, &root, &err) != LARIS_OK) {
        cr_assert_not_null(err.detail);
        t->refused++;
        return;
    }
    laris_wa_webhook_t *w = NULL;
    laris_rc rc = laris_wa_webhook_parse(work, root, &w, &err);
    cr_assert(rc == LARIS_OK || (rc == LARIS_EMALFORMED && err.detail != NULL));
    if (rc == LARIS_OK) {
        check_accepted(w);
        t->accepted++;
    } else {
        t->refused++;
    }
}

static char *fixture_bytes(const char *name, size_t *len)
{
    json_t *entry = wa_fixture_entry(arena, name);
    return wa_fixture_read(arena, json_string_value(json_object_get(entry, "file")), len);
}

ParameterizedTestParameters(webhook_fuzz, truncated)
{
    static wa_fixture_case_t cases[WA_FIXTURES_MAX];
    size_t n = wa_fixture_names(cases, WA_FIXTURES_MAX);
    return cr_make_param_array(wa_fixture_case_t, cases, n);
}

/* Every prefix of the body. */
ParameterizedTest(wa_fixture_case_t *c, webhook_fuzz, truncated)
{
    size_t len;
    char *body = fixture_bytes(c->name, &len);
    tally_t t = {0, 0};
    for (size_t n = 0; n < len; n++)
        parse_bytes(body, n, &t);
    parse_bytes(body, len, &t);
    cr_assert_eq(t.accepted, 1, "%s: only the whole body is a webhook", c->name);
}

ParameterizedTestParameters(webhook_fuzz, byte_mutations)
{
    static wa_fixture_case_t cases[WA_FIXTURES_MAX];
    size_t n = wa_fixture_names(cases, WA_FIXTURES_MAX);
    return cr_make_param_array(wa_fixture_case_t, cases, n);
}

/* Deterministic pseudo-random bytes (xorshift32), so a failure can be replayed. */
static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* Single bytes overwritten with JSON punctuation, digits, letters, quotes and high bytes. */
ParameterizedTest(wa_fixture_case_t *c, webhook_fuzz, byte_mutations)
{
    static const unsigned char interesting[] = "\"{}[],:0-9eaz\\ \x80\xff\x01tnf.";
    size_t len;
    char *body = fixture_bytes(c->name, &len);
    unsigned char *copy = laris_arena_alloc(arena, len);
    uint32_t state = 0x9e3779b9u ^ (uint32_t)len;
    tally_t t = {0, 0};
    for (int i = 0; i < BYTE_MUTATIONS; i++) {
        memcpy(copy, body, len);
        size_t at = next_random(&state) % len;
        uint32_t r = next_random(&state) >> 8;
        copy[at] =
            (r & 3) == 0 ? (unsigned char)(r >> 2) : interesting[r % (sizeof(interesting) - 1)];
        parse_bytes((const char *)copy, len, &t);
    }
    cr_assert_eq(t.accepted + t.refused, BYTE_MUTATIONS);
}

/* A place in a tree: a member of an object or an element of an array. */
typedef struct {
    json_t *parent;
    const char *key; /* NULL for an array element */
    size_t index;
} place_t;

static void collect(json_t *node, place_t *places, size_t *n)
{
    const char *key;
    json_t *child;
    if (json_is_object(node)) {
        json_object_foreach(node, key, child)
        {
            cr_assert_lt(*n, MAX_NODES);
            places[(*n)++] = (place_t){node, laris_arena_strdup(arena, key), 0};
            collect(child, places, n);
        }
    } else if (json_is_array(node)) {
        for (size_t i = 0; i < json_array_size(node); i++) {
            cr_assert_lt(*n, MAX_NODES);
            places[(*n)++] = (place_t){node, NULL, i};
            collect(json_array_get(node, i), places, n);
        }
    }
}

static json_t *get(const place_t *p)
{
    return p->key != NULL ? json_object_get(p->parent, p->key)
                          : json_array_get(p->parent, p->index);
}

static void put(const place_t *p, json_t *v)
{
    if (p->key != NULL)
        json_object_set(p->parent, p->key, v);
    else
        json_array_set(p->parent, p->index, v);
}

ParameterizedTestParameters(webhook_fuzz, shape_mutations)
{
    static wa_fixture_case_t cases[WA_FIXTURES_MAX];
    size_t n = wa_fixture_names(cases, WA_FIXTURES_MAX);
    return cr_make_param_array(wa_fixture_case_t, cases, n);
}

/* Every member and element in turn replaced by values of every JSON type, then removed. */
ParameterizedTest(wa_fixture_case_t *c, webhook_fuzz, shape_mutations)
{
    size_t len;
    char *body = fixture_bytes(c->name, &len);
    json_t *root = laris_json_adopt(arena, json_loadb(body, len, 0, NULL));
    cr_assert_not_null(root);
    json_t *values = laris_json_adopt(arena, json_pack("[n,b,i,I,f,s,s,s,[],{},[{}],{s:{s:[i]}}]",
                                                       0, -1, (json_int_t)1 << 62, 1e300, "", "x",
                                                       "wamid.\xc3\xa9", "a", "b", 1));
    cr_assert_not_null(values);

    place_t *places = LARIS_ARRAY(arena, place_t, MAX_NODES);
    size_t n = 0;
    collect(root, places, &n);
    tally_t t = {0, 0};
    for (size_t i = 0; i < n; i++) {
        json_t *original = json_incref(get(&places[i]));
        for (size_t v = 0; v < json_array_size(values); v++) {
            put(&places[i], json_array_get(values, v));
            parse_tree(root, &t);
        }
        if (places[i].key != NULL) {
            json_object_del(places[i].parent, places[i].key);
            parse_tree(root, &t);
        }
        put(&places[i], original);
        json_decref(original);
    }
    parse_tree(root, &t); /* restored: the fixture again */
    cr_assert_gt(t.refused, 0, "%s", c->name);
    cr_assert_gt(t.accepted, 0, "%s", c->name);
}
