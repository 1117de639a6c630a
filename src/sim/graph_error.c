/* laris-sim: Graph API error answers and Meta's wire encoding of JSON (escaped non-ASCII). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "laris/sim.h"
#include "laris/wa.h"

int laris_sim_error_http_status(int64_t code)
{
    switch (code) {
    case 0:
    case 190:
        return 401;
    case 4:
        return 429;
    case 10:
    case 368:
    case 130497:
    case 131005:
    case 131031:
        return 403;
    case 132001:
        return 404;
    case 2:
    case 131016:
        return 503;
    case 3:
    case 131000:
    case 131057:
        return 500;
    default:
        return code >= 200 && code <= 299 ? 403 : 400;
    }
}

/* A trace id like Graph's: 23 base64url characters. */
static json_t *fbtrace(void)
{
    unsigned char raw[17];
    char text[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(text, sizeof(text), raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    text[23] = '\0';
    return json_string(text);
}

json_t *laris_sim_graph_error(int64_t code, const char *details)
{
    const char *title = laris_wa_error_lookup(code)->title;
    char message[256];
    snprintf(message, sizeof(message), "(#%lld) %s", (long long)code, title);
    json_t *data = json_pack("{s:s}", "messaging_product", "whatsapp");
    if (details)
        json_object_set_new(data, "details", json_string(details));
    return json_pack("{s:{s:s,s:s,s:I,s:o,s:o}}", "error", "message", message, "type",
                     "OAuthException", "code", (json_int_t)code, "error_data", data, "fbtrace_id",
                     fbtrace());
}

json_t *laris_sim_token_error(bool missing)
{
    const char *message = missing ? "An active access token must be used to query information "
                                    "about the current user."
                                  : "Invalid OAuth access token - Cannot parse access token";
    return json_pack("{s:{s:s,s:s,s:i,s:o}}", "error", "message", message, "type", "OAuthException",
                     "code", 190, "fbtrace_id", fbtrace());
}

json_t *laris_sim_token_expired_error(void)
{
    return json_pack("{s:{s:s,s:s,s:i,s:i,s:o}}", "error", "message",
                     "Error validating access token: Session has expired.", "type",
                     "OAuthException", "code", 190, "error_subcode", 463, "fbtrace_id", fbtrace());
}

json_t *laris_sim_unknown_object_error(const char *method, const char *id)
{
    char message[512];
    snprintf(message, sizeof(message),
             "Unsupported %s request. Object with ID '%.64s' does not exist, cannot be loaded due "
             "to missing permissions, or does not support this operation.",
             strcmp(method, "GET") == 0 ? "get" : "post", id);
    return json_pack("{s:{s:s,s:s,s:i,s:i,s:o}}", "error", "message", message, "type",
                     "GraphMethodException", "code", 100, "error_subcode", 33, "fbtrace_id",
                     fbtrace());
}

char *laris_sim_dump_ascii(const json_t *v, size_t *len)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
    if (!s)
        return NULL;
    /* jansson writes \uXXXX with uppercase hex; Meta's bodies use lowercase. Inside JSON
     * strings a backslash always starts an escape, so every "\u" here is one. */
    for (char *p = s; *p; p++) {
        if (*p != '\\')
            continue;
        p++;
        if (*p == 'u')
            for (int i = 1; i <= 4 && p[i]; i++)
                if (p[i] >= 'A' && p[i] <= 'F')
                    p[i] = (char)(p[i] - 'A' + 'a');
    }
    *len = strlen(s);
    return s;
}
