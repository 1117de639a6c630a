/* Text normalization for keyword auto-replies: one pass over UTF-8, folding case and Latin
 * accents, turning punctuation into word breaks, and keeping everything else (emoji, other
 * scripts) byte for byte so a keyword of emoji still matches. */
#include <string.h>

#include "laris/textnorm.h"

/* ASCII folding of U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A), lowercase;
 * "" for the two signs in that range that are not letters (× ÷), which become spaces. */
/* clang-format off */
static const char *const latin[] = {
    /* C0 */  "a", "a", "a",  "a",  "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    /* D0 */  "d", "n", "o",  "o",  "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    /* E0 */  "a", "a", "a",  "a",  "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    /* F0 */  "d", "n", "o",  "o",  "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
    /* 100 */ "a", "a", "a",  "a",  "a", "a", "c",  "c", "c", "c", "c", "c", "c", "c", "d",  "d",
    /* 110 */ "d", "d", "e",  "e",  "e", "e", "e",  "e", "e", "e", "e", "e", "g", "g", "g",  "g",
    /* 120 */ "g", "g", "g",  "g",  "h", "h", "h",  "h", "i", "i", "i", "i", "i", "i", "i",  "i",
    /* 130 */ "i", "i", "ij", "ij", "j", "j", "k",  "k", "k", "l", "l", "l", "l", "l", "l",  "l",
    /* 140 */ "l", "l", "l",  "n",  "n", "n", "n",  "n", "n", "n", "n", "n", "o", "o", "o",  "o",
    /* 150 */ "o", "o", "oe", "oe", "r", "r", "r",  "r", "r", "r", "s", "s", "s", "s", "s",  "s",
    /* 160 */ "s", "s", "t",  "t",  "t", "t", "t",  "t", "u", "u", "u", "u", "u", "u", "u",  "u",
    /* 170 */ "u", "u", "u",  "u",  "w", "w", "y",  "y", "y", "z", "z", "z", "z", "z", "z",  "s",
};
/* clang-format on */

/* Decodes one UTF-8 sequence at s: its code point, or -1 when invalid; *len gets its length. */
static long decode(const unsigned char *s, int *len)
{
    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    int n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || s[0] > 0xF4)
        return -1;
    long cp = s[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const long least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = n;
    return cp;
}

/* True for code points that separate words: ASCII other than letters and digits, Latin-1
 * punctuation and symbols, General Punctuation and the non-breaking and ideographic spaces. */
static bool separator(long cp)
{
    if (cp < 0x80)
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
    return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
           (cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000 || cp == 0xFE0F || cp == 0x200D;
}

char *laris_text_normalize(laris_arena_t *a, const char *text)
{
    size_t n = strlen(text);
    char *out = laris_arena_alloc(a, 2 * n + 1); /* ß → ss at most doubles */
    size_t o = 0;
    bool space = true; /* at the start or after a space: drop further ones */
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < n;) {
        int len = 0;
        long cp = decode(s + i, &len);
        if (cp < 0)
            return NULL;
        const char *fold = NULL;
        if (cp >= 'A' && cp <= 'Z')
            out[o++] = (char)(cp - 'A' + 'a');
        else if (cp >= 0xC0 && cp <= 0x17F && latin[cp - 0xC0][0])
            fold = latin[cp - 0xC0];
        else if (separator(cp)) {
            if (!space)
                out[o++] = ' ';
            space = true;
            i += (size_t)len;
            continue;
        } else {
            memcpy(out + o, s + i, (size_t)len);
            o += (size_t)len;
        }
        if (fold) {
            size_t fl = strlen(fold);
            memcpy(out + o, fold, fl);
            o += fl;
        }
        space = false;
        i += (size_t)len;
    }
    if (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

bool laris_text_matches(const char *message, const char *keyword, bool exact)
{
    size_t k = strlen(keyword);
    if (k == 0)
        return false;
    if (exact)
        return strcmp(message, keyword) == 0;
    for (const char *p = strstr(message, keyword); p; p = strstr(p + 1, keyword)) {
        bool starts = p == message || p[-1] == ' ';
        bool ends = p[k] == '\0' || p[k] == ' ';
        if (starts && ends)
            return true;
    }
    return false;
}
