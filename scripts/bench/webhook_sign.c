/* Writes <count> signed single-message WhatsApp webhooks, one per line:
 *   sha256=<hex HMAC-SHA256 of the body><TAB><body>
 * for scripts/bench/webhook (wrk cannot compute HMACs). Every body carries a new wamid
 * (wamid.HBgNbench<tag><n>); the sender cycles through <customers> wa_ids, so the run
 * touches that many contacts and conversations of the tenant.
 *
 *   laris-bench-sign <app secret> <tag> <count> <phone_number_id> <unix time> <customers>
 *
 * Built by scripts/bench/webhook with libsodium (no CMake target). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr,
                "usage: %s <secret> <tag> <count> <phone_number_id> <unix time> "
                "<customers>\n",
                argv[0]);
        return 2;
    }
    const char *secret = argv[1], *tag = argv[2], *pnid = argv[4], *ts = argv[5];
    long count = strtol(argv[3], NULL, 10), customers = strtol(argv[6], NULL, 10);
    if (count < 1 || customers < 1 || customers > 100000000 || sodium_init() < 0) {
        fprintf(stderr, "%s: bad count or customers, or libsodium failed\n", argv[0]);
        return 2;
    }
    static char body[2048];
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * sizeof(mac) + 1];
    for (long i = 0; i < count; i++) {
        long who = i % customers;
        int len = snprintf(
            body, sizeof(body),
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"210000000000001\","
            "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
            "\"metadata\":{\"display_phone_number\":\"6281100001111\",\"phone_number_id\":\"%s\"},"
            "\"contacts\":[{\"profile\":{\"name\":\"Bench %ld\"},\"wa_id\":\"628%09ld\"}],"
            "\"messages\":[{\"from\":\"628%09ld\",\"id\":\"wamid.HBgNbench%s%010ld\","
            "\"timestamp\":\"%s\",\"type\":\"text\",\"text\":{\"body\":\"Kak, gamis ukuran L "
            "masih ada? (%ld)\"}}]}}]}]}",
            pnid, who, who, who, tag, i, ts, i);
        if (len < 0 || (size_t)len >= sizeof(body))
            return 1;
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, (unsigned long long)len);
        crypto_auth_hmacsha256_final(&st, mac);
        sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
        if (printf("sha256=%s\t%s\n", hex, body) < 0)
            return 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
