/* Text normalization for keyword auto-replies: case-, accent- and punctuation-insensitive. */
#ifndef LARIS_TEXTNORM_H
#define LARIS_TEXTNORM_H

#include <stdbool.h>

#include "laris/arena.h"

/* The normalized form of UTF-8 text, from the arena: ASCII and Latin letters lowercased with
 * their accents removed (É → e, ñ → n, ß → ss), punctuation and symbols of ASCII, Latin-1 and
 * General Punctuation (“ ” … – ¡ ¿) and white space turned into single spaces, trimmed. Other
 * characters (emoji, other scripts) are kept as they are. NULL when text is not valid UTF-8. */
char *laris_text_normalize(laris_arena_t *a, const char *text);

/* Whether normalized message matches normalized keyword: exact (the whole message) or contains
 * (the keyword's words appear in a row, as whole words). */
bool laris_text_matches(const char *message, const char *keyword, bool exact);

#endif
