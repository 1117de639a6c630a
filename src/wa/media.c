/* The Cloud API's media rules, free of I/O: supported types and their size limits (§5.4), file
 * signatures, which media URLs may be fetched, safe file names and content-addressed paths. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "laris/wa.h"

#define KB                 ((size_t)1024)
#define MB                 (KB * 1024)
#define FILENAME_MAX_BYTES 100

static const laris_wa_media_type_t media_types[] = {
    {"audio/aac", "audio", 16 * MB, 0, true},
    {"audio/amr", "audio", 16 * MB, 0, true},
    {"audio/mpeg", "audio", 16 * MB, 0, true},
    {"audio/mp4", "audio", 16 * MB, 0, true},
    {"audio/ogg", "audio", 16 * MB, 0, true},
    {"text/plain", "document", 100 * MB, 0, false},
    {"application/pdf", "document", 100 * MB, 0, false},
    {"application/msword", "document", 100 * MB, 0, false},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document",
     100 * MB, 0, false},
    {"application/vnd.ms-excel", "document", 100 * MB, 0, false},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document", 100 * MB, 0,
     false},
    {"application/vnd.ms-powerpoint", "document", 100 * MB, 0, false},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "document",
     100 * MB, 0, false},
    {"image/jpeg", "image", 5 * MB, 0, true},
    {"image/png", "image", 5 * MB, 0, true},
    {"image/webp", "sticker", 500 * KB, 100 * KB, true},
    {"video/mp4", "video", 16 * MB, 0, true},
    {"video/3gpp", "video", 16 * MB, 0, true},
};

const laris_wa_media_type_t *laris_wa_media_type(const char *mime)
{
    if (!mime)
        return NULL;
    size_t len = strcspn(mime, "; \t");
    for (size_t i = 0; i < sizeof(media_types) / sizeof(media_types[0]); i++)
        if (strlen(media_types[i].mime) == len && strncasecmp(mime, media_types[i].mime, len) == 0)
            return &media_types[i];
    return NULL;
}

/* RIFF....WEBPVP8X with the animation flag (bit 1 of the flags byte at offset 20). */
static bool webp_animated(const unsigned char *h, size_t len)
{
    return len >= 21 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBPVP8X", 8) == 0 &&
           (h[20] & 0x02) != 0;
}

size_t laris_wa_media_limit(const laris_wa_media_type_t *t, const unsigned char *head, size_t len)
{
    if (t->max_static > 0 && !webp_animated(head, len))
        return t->max_static;
    return t->max_bytes;
}

bool laris_wa_media_magic_ok(const laris_wa_media_type_t *t, const unsigned char *h, size_t len)
{
    if (strcmp(t->mime, "image/jpeg") == 0)
        return len >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff;
    if (strcmp(t->mime, "image/png") == 0)
        return len >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0;
    if (strcmp(t->mime, "image/webp") == 0)
        return len >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0;
    if (strcmp(t->mime, "application/pdf") == 0)
        return len >= 5 && memcmp(h, "%PDF-", 5) == 0;
    if (strcmp(t->mime, "video/mp4") == 0)
        return len >= 8 && memcmp(h + 4, "ftyp", 4) == 0;
    return true;
}

typedef struct {
    char scheme[8];
    char host[256];
    unsigned port;
} origin_t;

/* scheme://host[:port]/... into *o; false for anything else (user info, odd characters). */
static bool parse_origin(const char *url, origin_t *o)
{
    const char *sep = strstr(url, "://");
    if (!sep || sep == url || (size_t)(sep - url) >= sizeof(o->scheme))
        return false;
    size_t slen = (size_t)(sep - url);
    for (size_t i = 0; i < slen; i++)
        o->scheme[i] = (char)(url[i] | 0x20);
    o->scheme[slen] = '\0';
    if (strcmp(o->scheme, "http") == 0)
        o->port = 80;
    else if (strcmp(o->scheme, "https") == 0)
        o->port = 443;
    else
        return false;
    const char *host = sep + 3;
    size_t auth_len = strcspn(host, "/?#");
    if (memchr(host, '@', auth_len) || memchr(host, '\\', auth_len))
        return false;
    size_t host_len = strcspn(host, ":/?#");
    if (host_len == 0 || host_len >= sizeof(o->host))
        return false;
    for (size_t i = 0; i < host_len; i++) {
        char c = host[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-';
        if (!ok)
            return false;
        o->host[i] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    }
    o->host[host_len] = '\0';
    if (host[host_len] == ':') {
        const char *p = host + host_len + 1;
        size_t digits = strspn(p, "0123456789");
        if (digits == 0 || digits > 5 || (p[digits] && !strchr("/?#", p[digits])))
            return false;
        unsigned port = 0;
        for (size_t i = 0; i < digits; i++)
            port = port * 10 + (unsigned)(p[i] - '0');
        if (port == 0 || port > 65535)
            return false;
        o->port = port;
    } else if (host[host_len] && !strchr("/?#", host[host_len])) {
        return false;
    }
    return true;
}

bool laris_wa_media_url_allowed(const char *url, const char *graph_url)
{
    if (!url || !graph_url)
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f)
            return false;
    origin_t a, b;
    return parse_origin(url, &a) && parse_origin(graph_url, &b) &&
           strcmp(a.scheme, b.scheme) == 0 && strcmp(a.host, b.host) == 0 && a.port == b.port;
}

const char *laris_wa_media_filename(laris_arena_t *a, const char *name)
{
    if (!name)
        name = "";
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    char *out = laris_arena_alloc(a, FILENAME_MAX_BYTES + 1);
    size_t n = 0;
    for (const char *p = base; *p && n < FILENAME_MAX_BYTES; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-' || c == '(' || c == ')' || c == '+' || c == ' ';
        if (n == 0 && (c == '.' || c == ' '))
            continue; /* no hidden files, no leading blanks */
        if (!ok)
            c = '_';
        out[n++] = c;
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '.'))
        n--;
    out[n] = '\0';
    return n > 0 ? out : "file";
}

const char *laris_wa_media_path(laris_arena_t *a, const char *sha256_hex)
{
    return laris_arena_printf(a, "%.2s/%s", sha256_hex, sha256_hex);
}
