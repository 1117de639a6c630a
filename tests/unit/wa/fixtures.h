/* Test helpers for the wa module: the shared WhatsApp webhook fixtures and their manifest. */
#ifndef LARIS_TEST_WA_FIXTURES_H
#define LARIS_TEST_WA_FIXTURES_H

#include <jansson.h>
#include <stddef.h>

#include "laris/arena.h"
#include "laris/wa.h"

#define WA_FIXTURE_NAME_MAX 64
#define WA_FIXTURES_MAX     128

/* A parameter naming one fixture of the manifest. An array, not a pointer: Criterion copies
 * parameters into a fresh worker process. */
typedef struct {
    char name[WA_FIXTURE_NAME_MAX];
} wa_fixture_case_t;

/* Fills cases with the manifest's fixture names (in manifest order); returns how many, 0 when
 * the manifest cannot be read. At most max. */
size_t wa_fixture_names(wa_fixture_case_t *cases, size_t max);

/* The manifest, decoded; fails the test when it cannot be read. Freed with the arena. */
json_t *wa_fixture_manifest(laris_arena_t *a);

/* manifest.fixtures[name]; fails the test when missing. */
json_t *wa_fixture_entry(laris_arena_t *a, const char *name);

/* The exact bytes of a file in the fixtures directory (NUL-terminated after len, for
 * convenience); fails the test when it cannot be read. */
char *wa_fixture_read(laris_arena_t *a, const char *file, size_t *len);

/* Reads the fixture named name (a manifest key), decodes and parses it; fails the test on any
 * error. */
const laris_wa_webhook_t *wa_fixture_parse(laris_arena_t *a, const char *name);

/* Webhook bodies for hand-written cases: one change, or messages of a messages change. */
// clang-format off
#define WA_ENV(change)                                                                             \
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":["             \
    change "]}]}"
#define WA_MSGS(msgs)                                                                              \
    WA_ENV("{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},"          \
           "\"messages\":[" msgs "]}}")
#define WA_MSG(extra)                                                                              \
    WA_MSGS("{\"id\":\"wamid.A\",\"timestamp\":\"1\",\"from\":\"62\"," extra "}")
// clang-format on

/* A body that must be refused, and words its detail must contain. */
struct wa_refusal_case {
    char body[400];
    char detail[80];
};

/* Decodes and parses c->body: the parse must answer LARIS_EMALFORMED, leave its result NULL
 * and give a detail containing c->detail. */
void wa_assert_refused(laris_arena_t *a, const struct wa_refusal_case *c);

/* Decodes and parses a NUL-terminated body; fails the test when either step fails. */
const laris_wa_webhook_t *wa_parse_text(laris_arena_t *a, const char *body);

#endif
