/* Rate limiters of laris-worker in Redis, shared by every worker process: the number's
 * throughput and Meta's pair rate limit (one number to one user), both GCRA on Redis' clock,
 * checked and reserved by one atomic Lua script per send. */
#include <stdio.h>

#include "kv_internal.h"

/* KEYS[1] the number's limiter, KEYS[2] (optional) the pair's. Each holds its theoretical
 * arrival time (tat, microseconds, written with %d: Lua's own number format keeps only 14
 * digits). ARGV: interval, slack, pair interval, pair burst.
 * The pair first: it allows a send when now >= tat - (burst - 1) * interval; if not, returns
 * {1, wait} and reserves nothing. Else the number's next slot is reserved: a tat up to slack in
 * the past is kept (a late send does not shift the schedule), an older one restarts at now;
 * the send may go at max(tat, now), and tat moves on by one interval (the pair's likewise).
 * Returns {0, wait until that slot}. */
static kv_script_t slot_script = {
    "local t = redis.call('TIME')\n"
    "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"
    "local interval = tonumber(ARGV[1])\n"
    "local slack = tonumber(ARGV[2])\n"
    "local ptat\n"
    "if KEYS[2] then\n"
    "  local pint = tonumber(ARGV[3])\n"
    "  ptat = tonumber(redis.call('GET', KEYS[2]) or 0)\n"
    "  if ptat < now then ptat = now end\n"
    "  local allow = ptat - (tonumber(ARGV[4]) - 1) * pint\n"
    "  if now < allow then return {1, allow - now} end\n"
    "  ptat = ptat + pint\n"
    "  redis.call('SET', KEYS[2], string.format('%d', ptat), 'PX',\n"
    "             string.format('%d', math.floor((ptat - now) / 1000) + 1000))\n"
    "end\n"
    "local tat = tonumber(redis.call('GET', KEYS[1]) or 0)\n"
    "if tat < now - slack then tat = now end\n"
    "local wait = tat - now\n"
    "if wait < 0 then wait = 0 end\n"
    "local nxt = tat + interval\n"
    "redis.call('SET', KEYS[1], string.format('%d', nxt), 'PX',\n"
    "           string.format('%d', math.floor((nxt - now) / 1000) + 1000))\n"
    "return {0, wait}\n",
    ""};

laris_rc laris_kv_send_slot(laris_kv_t *kv, const laris_kv_slot_t *s, bool *pair_limited,
                            int64_t *wait_us, laris_err_t *err)
{
    char number_key[64], pair_key[352], interval[24], slack[24], pint[24], pburst[16];
    snprintf(number_key, sizeof(number_key), "laris:{n:%lld}:gcra", (long long)s->number_id);
    snprintf(interval, sizeof(interval), "%lld",
             (long long)(s->interval_us < 1 ? 1 : s->interval_us));
    snprintf(slack, sizeof(slack), "%lld", (long long)(s->slack_us < 0 ? 0 : s->slack_us));
    snprintf(pint, sizeof(pint), "%lld",
             (long long)(s->pair_interval_us < 1 ? 1 : s->pair_interval_us));
    snprintf(pburst, sizeof(pburst), "%d", s->pair_burst);
    bool pair = s->to && s->pair_burst > 0;
    if (pair)
        snprintf(pair_key, sizeof(pair_key), "laris:{n:%lld}:pair:%.256s", (long long)s->number_id,
                 s->to);
    const char *with_pair[6] = {number_key, pair_key, interval, slack, pint, pburst};
    const char *without[5] = {number_key, interval, slack, pint, pburst};
    redisReply *reply;
    laris_rc rc = pair ? kv_eval(kv, &slot_script, &reply, err, 2, 6, with_pair)
                       : kv_eval(kv, &slot_script, &reply, err, 1, 5, without);
    if (rc != LARIS_OK)
        return rc;
    bool ok = reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
              reply->element[0]->type == REDIS_REPLY_INTEGER &&
              reply->element[1]->type == REDIS_REPLY_INTEGER;
    if (ok) {
        *pair_limited = reply->element[0]->integer == 1;
        *wait_us = reply->element[1]->integer;
    }
    freeReplyObject(reply);
    return ok ? LARIS_OK : kv_unavailable(kv, err);
}
