/* Text rules of the inbox with no database in them: search terms from the search box (LIKE
 * escaping, phone digits in any Indonesian form), quick reply shortcuts, and quick reply
 * rendering with {{nama}}, {{agen}} and {{bisnis}}. */
#include <string.h>

#include "laris/buf.h"
#include "laris/crm.h"
#include "laris/json.h"

#define Q_MIN_CHARS  3
#define Q_MAX_CHARS  100
#define PHONE_MIN    4
#define PHONE_MAX    15
#define VAR_NAME_MAX 16

bool laris_shortcut_normalize(const char *in, bool allow_partial, char out[LARIS_SHORTCUT_MAX])
{
    out[0] = '\0';
    if (!in)
        return false;
    if (*in == '/')
        in++;
    size_t n = strlen(in);
    if (n > LARIS_SHORTCUT_MAX - 2 || (n == 0 && !allow_partial))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    out[0] = '/';
    memcpy(out + 1, in, n + 1);
    return true;
}

/* Phone digits in q when q is nothing but digits, separators and one leading '+':
 * raw gets the digits, norm the E.164 form (0… -> 62…, "+62 0…" -> 62…). */
static bool phone_digits(laris_arena_t *a, const char *q, const char **raw, const char **norm)
{
    char d[PHONE_MAX + 1];
    size_t n = 0;
    for (const char *p = q; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == PHONE_MAX)
                return false;
            d[n++] = *p;
        } else if (*p == '+') {
            if (p != q)
                return false;
        } else if (!strchr(" -.()", *p)) {
            return false;
        }
    }
    d[n] = '\0';
    if (n < PHONE_MIN)
        return false;
    *raw = laris_arena_strdup(a, d);
    if (d[0] == '0')
        *norm = laris_arena_printf(a, "62%s", d + 1);
    else if (strncmp(d, "620", 3) == 0)
        *norm = laris_arena_printf(a, "62%s", d + 3);
    else
        *norm = *raw;
    return true;
}

bool laris_search_terms(laris_arena_t *a, const char *q, laris_search_terms_t *out,
                        laris_err_t *err)
{
    memset(out, 0, sizeof(*out));
    while (*q == ' ' || *q == '\t')
        q++;
    size_t len = strlen(q);
    while (len > 0 && (q[len - 1] == ' ' || q[len - 1] == '\t'))
        len--;
    const char *trimmed = laris_arena_strndup(a, q, len);
    size_t chars = laris_utf8_length(trimmed);
    bool phone = phone_digits(a, trimmed, &out->digits, &out->normalized);
    if (chars > Q_MAX_CHARS || (chars < Q_MIN_CHARS && !phone)) {
        laris_err_field(err, "q", "must be %d to %d characters (or at least %d digits of a phone)",
                        Q_MIN_CHARS, Q_MAX_CHARS, PHONE_MIN);
        return false;
    }
    laris_buf_t b;
    laris_buf_init(&b, a);
    laris_buf_append(&b, "%", 1);
    for (size_t i = 0; i < len; i++) {
        if (trimmed[i] == '%' || trimmed[i] == '_' || trimmed[i] == '\\')
            laris_buf_append(&b, "\\", 1);
        laris_buf_append(&b, &trimmed[i], 1);
    }
    laris_buf_append(&b, "%", 1);
    out->like = laris_buf_cstr(&b);
    return true;
}

static bool blank(const char *s)
{
    return !s || strspn(s, " \t\r\n") == strlen(s);
}

/* The value of variable name (already trimmed), or NULL for an unknown one. */
static const char *var_value(const char *name, const laris_reply_vars_t *v)
{
    if (strcmp(name, "nama") == 0) {
        if (!blank(v->contact_name))
            return v->contact_name;
        return !blank(v->profile_name) ? v->profile_name : "Kak";
    }
    if (strcmp(name, "agen") == 0)
        return v->agent_name ? v->agent_name : "";
    if (strcmp(name, "bisnis") == 0)
        return v->business_name ? v->business_name : "";
    return NULL;
}

const char *laris_quick_reply_render(laris_arena_t *a, const char *tmpl,
                                     const laris_reply_vars_t *v)
{
    laris_buf_t b;
    laris_buf_init(&b, a);
    const char *p = tmpl;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            laris_buf_append(&b, p, strlen(p));
            break;
        }
        laris_buf_append(&b, p, (size_t)(open - p));
        const char *close = strstr(open + 2, "}}");
        const char *value = NULL;
        if (close) {
            const char *s = open + 2, *e = close;
            while (s < e && *s == ' ')
                s++;
            while (e > s && e[-1] == ' ')
                e--;
            char name[VAR_NAME_MAX + 1];
            size_t n = (size_t)(e - s);
            if (n <= VAR_NAME_MAX) {
                memcpy(name, s, n);
                name[n] = '\0';
                value = var_value(name, v);
            }
        }
        if (value) {
            laris_buf_append(&b, value, strlen(value));
            p = close + 2;
        } else {
            laris_buf_append(&b, "{{", 2); /* not a variable: keep it as typed */
            p = open + 2;
        }
    }
    return laris_buf_cstr(&b);
}
