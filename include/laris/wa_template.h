/* WhatsApp message templates as the Cloud API defines them: Meta's creation rules (name,
 * language, category, components, variables, examples, buttons) and the variables of a
 * template's components (REFERENCE.md §4); and the Graph requests that manage them. */
#ifndef LARIS_WA_TEMPLATE_H
#define LARIS_WA_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "laris/arena.h"
#include "laris/err.h"
#include "laris/wa.h"

#define LARIS_WA_TEMPLATE_NAME_MAX    512
#define LARIS_WA_TEMPLATE_BODY_MAX    1024
#define LARIS_WA_TEMPLATE_HEADER_MAX  60
#define LARIS_WA_TEMPLATE_FOOTER_MAX  60
#define LARIS_WA_TEMPLATE_BUTTON_MAX  25 /* a button's label */
#define LARIS_WA_TEMPLATE_BUTTONS     10
#define LARIS_WA_TEMPLATE_URL_BUTTONS 2
#define LARIS_WA_TEMPLATE_VARS_MAX    20 /* body variables Laris creates (what a reply can fill) */

/* The variables of a template: body and text-header placeholders, in order of first use,
 * as "1", "2"... (positional) or names (named). Strings live in the arena. */
typedef struct {
    bool named;
    size_t nbody;
    const char **body;
    size_t nheader; /* 0 or 1 */
    const char **header;
} laris_wa_template_vars_t;

/* Reads the variables of components (an array as created or as Graph lists them; component
 * types in any case). Positional variables must be {{1}}..{{n}} with none missing; named ones
 * are lowercase letters, digits and underscores starting with a letter; a template uses one
 * kind. False with a field error on err (field "components[i].text") when the placeholders
 * break these rules; err may be NULL. */
bool laris_wa_template_vars(laris_arena_t *a, json_t *components, laris_wa_template_vars_t *out,
                            laris_err_t *err);

/* Checks a template to create, {name, language, category, components, parameter_format?}, by
 * Meta's rules: name [a-z0-9_] up to 512; a language code like "id" or "en_US"; category
 * MARKETING or UTILITY (authentication templates have a shape of their own and are made in
 * WhatsApp Manager); one BODY (1..1024 characters) and at most one HEADER (TEXT up to 60
 * characters with at most one variable, or IMAGE / VIDEO / DOCUMENT with an example
 * header_handle, or LOCATION), FOOTER (up to 60, no variables) and BUTTONS (1..10: QUICK_REPLY,
 * URL (at most 2, http(s), an optional {{1}} at the end of the URL with an example),
 * PHONE_NUMBER (at most 1), COPY_CODE (at most 1); labels up to 25; quick replies grouped
 * together); an example for every variable; parameter_format, when given, matching the
 * variables. With components_only, only {components} is read (an edit: Meta lets nothing else
 * change) and name, language and category are not asked for.
 *
 * Returns the body for Graph (a new reference the caller owns: types and category uppercase,
 * parameter_format lowercase) and fills *vars; NULL with field errors on err. */
json_t *laris_wa_template_check(laris_arena_t *a, json_t *in, bool components_only,
                                laris_wa_template_vars_t *vars, laris_err_t *err);

/* Checks a template message to send (what laris_wa_outgoing_check returned for "template":
 * {name, language, params, header_params?, url_params?}) against the stored template's
 * components (as Meta holds them): one value per body and header variable (names matching a
 * named template's, an array for a positional one), and a url_params entry for exactly the URL
 * buttons whose link ends in a variable, the link with it at most 2000 characters. False with
 * a field error on err ("template.params", "template.header_params", "template.url_params...")
 * when it does not fit; true when it does, or when components cannot be read (Meta decides). */
bool laris_wa_template_fits(laris_arena_t *a, json_t *components, json_t *message,
                            laris_err_t *err);

/* ---- the Graph requests for templates (template_graph.c, libcurl) ---- */

/* What Graph answered one request. */
typedef struct {
    bool reached;     /* an HTTP answer came back */
    long http_status; /* 0 when not reached */
    json_t *answer;   /* the JSON answer (freed with the arena), NULL when not JSON */
    bool error_given; /* a Graph error object came back */
    laris_wa_api_error_t error;
} laris_wa_graph_answer_t;

/* Sends method (GET, POST or DELETE) to base_url/version/path (path already escaped, query
 * included) with the bearer token and, when body is not NULL, that JSON body; waits at most
 * timeout_ms. Answers larger than 4 MB are cut off (not reached). The token is never logged. */
void laris_wa_graph_request(laris_arena_t *a, const char *base_url, const char *version,
                            const char *method, const char *path, const char *token,
                            const json_t *body, long timeout_ms, laris_wa_graph_answer_t *out);

#endif
