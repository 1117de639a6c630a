/* laris-sim: message ids shaped like Meta's wamids.
 *
 * A real wamid is "wamid." + base64 of a small protobuf-like record; Meta's example
 * HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA= decodes to 1c 18 0b "16503879439"
 * 15 02 00 12 18 14 "3A4A6599AEE03810144F" 00. We write the same layout with our own 20 hex
 * digits: 8 from a process-wide counter and 12 random, so ids never repeat in one process. */
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "laris/sim.h"

static atomic_uint_fast32_t counter;

void laris_sim_wamid_new(const char *wa_id, char out[LARIS_SIM_WAMID_MAX])
{
    unsigned char rec[64];
    size_t n = 0, idlen = strnlen(wa_id, 20);
    rec[n++] = 0x1c;
    rec[n++] = 0x18;
    rec[n++] = (unsigned char)idlen;
    memcpy(rec + n, wa_id, idlen);
    n += idlen;
    const unsigned char mid[] = {0x15, 0x02, 0x00, 0x12, 0x18, 0x14};
    memcpy(rec + n, mid, sizeof(mid));
    n += sizeof(mid);
    unsigned char rnd[6];
    randombytes_buf(rnd, sizeof(rnd));
    uint32_t seq = (uint32_t)atomic_fetch_add(&counter, 1) + 1;
    char hex[21];
    snprintf(hex, sizeof(hex), "%08X%02X%02X%02X%02X%02X%02X", (unsigned)seq, rnd[0], rnd[1],
             rnd[2], rnd[3], rnd[4], rnd[5]);
    memcpy(rec + n, hex, 20);
    n += 20;
    rec[n++] = 0x00;
    snprintf(out, LARIS_SIM_WAMID_MAX, "wamid.");
    sodium_bin2base64(out + 6, LARIS_SIM_WAMID_MAX - 6, rec, n, sodium_base64_VARIANT_ORIGINAL);
}

bool laris_sim_wamid_wa_id(const char *wamid, char *out, size_t n)
{
    if (strncmp(wamid, "wamid.", 6) != 0)
        return false;
    unsigned char rec[96];
    size_t len = 0;
    const char *b64 = wamid + 6;
    if (sodium_base642bin(rec, sizeof(rec), b64, strlen(b64), NULL, &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return false;
    if (len < 3 || rec[0] != 0x1c || rec[1] != 0x18 || (size_t)rec[2] + 3 > len || rec[2] >= n)
        return false;
    for (size_t i = 0; i < rec[2]; i++)
        if (rec[3 + i] < '0' || rec[3 + i] > '9')
            return false;
    memcpy(out, rec + 3, rec[2]);
    out[rec[2]] = '\0';
    return true;
}
