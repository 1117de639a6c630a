/* Phone numbers: normalization of what people type to E.164 digits without '+'. */
#ifndef LARIS_PHONE_H
#define LARIS_PHONE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest normalized number (E.164 allows 15 digits) plus the NUL. */
#define LARIS_PHONE_MAX 16

/* Normalizes in to E.164 digits without '+' ("0812-3456-7890" -> "6281234567890").
 * Accepts spaces, dashes, dots and parentheses as separators; a leading '+' for any country;
 * Indonesian forms 08…, 8…, 62…, +62… and the common "+62 0812…" slip. Returns false (and leaves
 * out empty) for anything else: letters, a misplaced '+', too few or too many digits. */
bool laris_phone_normalize(const char *in, char out[LARIS_PHONE_MAX]);

/* A masked form for logs: the country code and last 3 digits ("62*******890"). */
void laris_phone_mask(const char *e164, char *out, size_t out_size);

#endif
