/* JSON-lines logger on stderr: each line is built in a stack buffer and written with one write(2).
 *
 * Lines are at most LINE_SIZE bytes, so a write to a pipe is atomic and lines from the prefork
 * workers never interleave. A line that would be longer is cut at a member boundary (strings are
 * cut whole characters at a time) and gets "truncated":true, so it is still valid JSON. Invalid
 * UTF-8 becomes U+FFFD. The logger keeps no locks and allocates nothing; errno is preserved. */
#include "laris/log.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define LINE_SIZE 2048
#define LINE_TAIL 24 /* kept free for ,"truncated":true}\n */
#define MSG_SIZE  1024
#define MSG_CAP   1200 /* bytes of one escaped string member at most */

typedef struct {
    char buf[LINE_SIZE];
    size_t len;
    bool truncated;
} line_t;

static const char *log_program = "laris";
static laris_log_level log_min_level = LARIS_INFO;
static const char *ctx_request_id;
static int64_t ctx_tenant_id;
static const char *ctx_route;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void laris_log_setup(const char *program, laris_log_level min_level)
{
    if (program != NULL)
        log_program = program;
    log_min_level = min_level;
}

laris_log_level laris_log_level_parse(const char *s)
{
    for (int i = LARIS_DEBUG; s != NULL && i <= LARIS_ERROR; i++) {
        if (strcasecmp(s, level_names[i]) == 0)
            return (laris_log_level)i;
    }
    return LARIS_INFO;
}

void laris_log_context(const char *request_id, int64_t tenant_id, const char *route)
{
    ctx_request_id = request_id;
    ctx_tenant_id = tenant_id;
    ctx_route = route;
}

/* Bytes a member may still use, the tail excluded. */
static size_t room(const line_t *l)
{
    return LINE_SIZE - LINE_TAIL - l->len;
}

/* Appends n bytes whole, or nothing and marks the line truncated. */
static bool put_raw(line_t *l, const char *s, size_t n)
{
    if (n > room(l)) {
        l->truncated = true;
        return false;
    }
    memcpy(l->buf + l->len, s, n);
    l->len += n;
    return true;
}

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when it is not valid. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned int cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0; /* also stops at the NUL */
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0; /* overlong or beyond Unicode */
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0; /* surrogate */
    return n;
}

/* Appends s as a JSON string of at most cap bytes, cut between characters when longer. */
static void put_string(line_t *l, const char *s, size_t cap)
{
    if (cap > room(l))
        cap = room(l);
    if (cap < 2) {
        l->truncated = true;
        return;
    }
    size_t limit = l->len + cap - 1; /* the closing quote always fits */
    l->buf[l->len++] = '"';
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        static const char specials[] = "\"\\\n\r\t\b\f";
        static const char letters[] = "\"\\nrtbf";
        const char *special = strchr(specials, *p); /* *p is not NUL here */
        char esc[8];
        const char *out = esc;
        size_t n, skip = 1;
        if (special != NULL) {
            esc[0] = '\\';
            esc[1] = letters[special - specials];
            n = 2;
        } else if (*p < 0x20) {
            snprintf(esc, sizeof(esc), "\\u%04x", (unsigned int)*p);
            n = 6;
        } else if ((skip = utf8_seq(p)) == 0) {
            out = "\\ufffd";
            n = 6;
            skip = 1;
        } else {
            out = (const char *)p;
            n = skip;
        }
        if (l->len + n > limit) {
            l->truncated = true;
            break;
        }
        memcpy(l->buf + l->len, out, n);
        l->len += n;
        p += skip;
    }
    l->buf[l->len++] = '"';
}

/* Appends ,"key":"value" when the key and some of the value fit. */
static void put_str_member(line_t *l, const char *key, const char *value, size_t cap)
{
    char head[40];
    int n = snprintf(head, sizeof(head), ",\"%s\":", key);
    if (room(l) < (size_t)n + 2 + 8) { /* the key, the quotes, a little of the value */
        l->truncated = true;
        return;
    }
    if (put_raw(l, head, (size_t)n))
        put_string(l, value, cap);
}

/* Appends preformatted member text such as ,"pid":123, whole or not at all. */
static void put_fmt(line_t *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_fmt(line_t *l, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof(tmp))
        put_raw(l, tmp, (size_t)n);
}

/* Starts a line with ts, level, prog and pid. */
static void line_begin(line_t *l, laris_log_level level)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    l->len = 0;
    l->truncated = false;
    put_fmt(l, "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\",\"level\":\"%s\"",
            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
            (int)(ts.tv_nsec / 1000000), level_names[level]);
    put_str_member(l, "prog", log_program, 64);
    put_fmt(l, ",\"pid\":%ld", (long)getpid());
}

/* Closes the line and writes it with one write(2), retried only when interrupted or short. */
static void line_end(line_t *l)
{
    const char *tail = l->truncated ? ",\"truncated\":true}\n" : "}\n";
    size_t n = strlen(tail);
    memcpy(l->buf + l->len, tail, n);
    l->len += n;

    size_t off = 0;
    while (off < l->len) {
        ssize_t w = write(STDERR_FILENO, l->buf + off, l->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (size_t)w;
    }
}

/* The path from src/ on ("api/users.c"), else the file name. */
static const char *short_path(const char *file)
{
    const char *best = NULL;
    for (const char *p = strstr(file, "/src/"); p != NULL; p = strstr(p + 1, "/src/"))
        best = p + 5;
    if (best != NULL)
        return best;
    const char *slash = strrchr(file, '/');
    return slash != NULL ? slash + 1 : file;
}

static void put_context(line_t *l)
{
    if (ctx_request_id != NULL)
        put_str_member(l, "request_id", ctx_request_id, 80);
    if (ctx_tenant_id != 0)
        put_fmt(l, ",\"tenant_id\":%" PRId64, ctx_tenant_id);
    if (ctx_route != NULL)
        put_str_member(l, "route", ctx_route, 160);
}

void laris_log_write(laris_log_level level, const char *file, int line, const char *func,
                     const char *fmt, ...)
{
    if (level < log_min_level || level > LARIS_ERROR)
        return;
    int saved_errno = errno;

    char msg[MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        msg[0] = '\0';

    line_t l;
    line_begin(&l, level);
    put_str_member(&l, "msg", msg, MSG_CAP);
    if (n >= (int)sizeof(msg))
        l.truncated = true;
    put_str_member(&l, "src", short_path(file), 120);
    put_fmt(&l, ",\"line\":%d", line);
    put_str_member(&l, "func", func, 80);
    put_context(&l);
    line_end(&l);
    errno = saved_errno;
}

void laris_log_request(const char *method, const char *route, int status, double duration_ms,
                       int64_t tenant_id, const char *request_id)
{
    if (LARIS_INFO < log_min_level)
        return;
    int saved_errno = errno;

    line_t l;
    line_begin(&l, LARIS_INFO);
    put_str_member(&l, "msg", "request", 16);
    put_str_member(&l, "method", method != NULL ? method : "", 16);
    put_str_member(&l, "route", route != NULL ? route : "", 160);
    put_fmt(&l, ",\"status\":%d", status);
    put_fmt(&l, ",\"duration_ms\":%.3f", isfinite(duration_ms) ? duration_ms : 0.0);
    if (tenant_id != 0)
        put_fmt(&l, ",\"tenant_id\":%" PRId64, tenant_id);
    if (request_id != NULL)
        put_str_member(&l, "request_id", request_id, 80);
    line_end(&l);
    errno = saved_errno;
}
