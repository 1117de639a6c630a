/* Phone numbers as people type them, normalized to E.164 digits; masking for logs. */
#include "laris/phone.h"

#include <string.h>

#define MAX_DIGITS      20 /* more than this is refused before any rule runs */
#define ID_NATIONAL_MIN 8
#define ID_NATIONAL_MAX 12
#define INTL_MIN        8
#define INTL_MAX        15

static bool is_separator(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

/* Writes "62" + national into out when national is a valid Indonesian number: mobile (8…) or
 * landline (area codes 2… to 7…), 8 to 12 digits. */
static bool indonesian(const char *national, char out[LARIS_PHONE_MAX])
{
    size_t n = strlen(national);
    if (n < ID_NATIONAL_MIN || n > ID_NATIONAL_MAX || national[0] < '2' || national[0] > '8')
        return false;
    out[0] = '6';
    out[1] = '2';
    memcpy(out + 2, national, n + 1);
    return true;
}

bool laris_phone_normalize(const char *in, char out[LARIS_PHONE_MAX])
{
    char d[MAX_DIGITS + 1];
    size_t n = 0;
    bool plus = false;

    out[0] = '\0';
    if (in == NULL)
        return false;
    for (const char *p = in; *p != '\0'; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == MAX_DIGITS)
                return false;
            d[n++] = *p;
        } else if (*p == '+') {
            if (plus || n > 0)
                return false; /* a second '+', or one after digits */
            plus = true;
        } else if (!is_separator(*p)) {
            return false;
        }
    }
    d[n] = '\0';
    if (n == 0)
        return false;

    if (d[0] == '6' && d[1] == '2') {
        /* +62 / 62, forgiving the "+62 0812…" slip once. */
        const char *national = d + 2;
        if (national[0] == '0')
            national++;
        return indonesian(national, out);
    }
    if (plus) {
        if (d[0] == '0' || n < INTL_MIN || n > INTL_MAX)
            return false;
        memcpy(out, d, n + 1);
        return true;
    }
    if (d[0] == '0')
        return indonesian(d + 1, out); /* 08…, 021…; 00… fails the first-digit rule */
    if (d[0] == '8')
        return indonesian(d, out);
    return false;
}

/* Two-digit country codes; otherwise 1 and 7 take one digit and the rest take three. */
static const char *const two_digit_codes[] = {
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
    "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
    "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98", NULL,
};

static size_t country_code_length(const char *e164)
{
    if (e164[0] == '1' || e164[0] == '7')
        return 1;
    for (size_t i = 0; two_digit_codes[i] != NULL; i++) {
        if (strncmp(e164, two_digit_codes[i], 2) == 0)
            return 2;
    }
    return 3;
}

/* Anything that is not 8 to 15 digits is shown as "***", so raw input never reaches a log. */
void laris_phone_mask(const char *e164, char *out, size_t out_size)
{
    if (out == NULL || out_size == 0)
        return;
    size_t n = e164 != NULL ? strlen(e164) : 0;
    bool valid = n >= INTL_MIN && n <= INTL_MAX && strspn(e164, "0123456789") == n;

    size_t w = 0;
    if (!valid) {
        for (; w < 3 && w + 1 < out_size; w++)
            out[w] = '*';
        out[w] = '\0';
        return;
    }
    size_t cc = country_code_length(e164);
    for (size_t i = 0; i < n && w + 1 < out_size; i++, w++)
        out[w] = (i < cc || i >= n - 3) ? e164[i] : '*';
    out[w] = '\0';
}
