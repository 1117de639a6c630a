/* Rate limiters of laris-worker in Redis: GCRA per number (throughput) and per number and
 * recipient (Meta's pair rate limit), one atomic Lua script on Redis' clock, so every worker
 * process shares the same limit. */
#include <stdio.h>

#include "kv_internal.h"

/* GCRA: the key holds the theoretical arrival time (microseconds, written with %d: Lua's own
 * number format keeps only 14 digits). A send may go when now is no earlier than
 * tat - (burst - 1) * interval; then tat moves on by one interval. A tat up to slack in the past
 * is kept (a late send does not shift the schedule); an older one restarts it at now. Returns
 * the wait in microseconds. */
static kv_script_t gcra_script = {
    "local t = redis.call('TIME')\n"
    "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"
    "local interval = tonumber(ARGV[1])\n"
    "local burst = tonumber(ARGV[2])\n"
    "local slack = tonumber(ARGV[3])\n"
    "local tat = tonumber(redis.call('GET', KEYS[1]) or 0)\n"
    "if tat < now - slack then tat = now end\n"
    "local allow_at = tat - (burst - 1) * interval\n"
    "if now < allow_at then return allow_at - now end\n"
    "local nxt = tat + interval\n"
    "redis.call('SET', KEYS[1], string.format('%d', nxt), 'PX',\n"
    "           string.format('%d', math.floor((nxt - now) / 1000) + 1000))\n"
    "return 0\n",
    ""};

static laris_rc gcra(laris_kv_t *kv, const char *key, int64_t interval_us, int burst,
                     int64_t slack_us, int64_t *wait_us, laris_err_t *err)
{
    char interval[24], bursts[16], slack[24];
    snprintf(interval, sizeof(interval), "%lld", (long long)(interval_us < 1 ? 1 : interval_us));
    snprintf(bursts, sizeof(bursts), "%d", burst < 1 ? 1 : burst);
    snprintf(slack, sizeof(slack), "%lld", (long long)(slack_us < 0 ? 0 : slack_us));
    const char *args[4] = {key, interval, bursts, slack};
    redisReply *reply;
    laris_rc rc = kv_eval(kv, &gcra_script, &reply, err, 1, 4, args);
    if (rc != LARIS_OK)
        return rc;
    if (reply->type != REDIS_REPLY_INTEGER)
        return kv_simple(kv, err, reply);
    *wait_us = reply->integer;
    freeReplyObject(reply);
    return LARIS_OK;
}

laris_rc laris_kv_gcra(laris_kv_t *kv, int64_t number_id, int64_t interval_us, int burst,
                       int64_t slack_us, int64_t *wait_us, laris_err_t *err)
{
    char key[64];
    snprintf(key, sizeof(key), "laris:{n:%lld}:gcra", (long long)number_id);
    return gcra(kv, key, interval_us, burst, slack_us, wait_us, err);
}

laris_rc laris_kv_gcra_pair(laris_kv_t *kv, int64_t number_id, const char *to,
                            int64_t interval_us, int burst, int64_t *wait_us, laris_err_t *err)
{
    char key[352];
    snprintf(key, sizeof(key), "laris:{n:%lld}:pair:%.256s", (long long)number_id, to);
    return gcra(kv, key, interval_us, burst, 0, wait_us, err);
}
