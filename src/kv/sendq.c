/* laris-worker's send queues in Redis, per number: laris:{n:<id>}:sendq (jobs waiting),
 * laris:{n:<id>}:processing (taken by the number's consumer, not yet acknowledged) and
 * laris:{n:<id>}:lease (which worker consumes the number). Beside them: laris:sendq:numbers
 * (the numbers that ever had a job), laris:sendq:retry (a sorted set of jobs to retry, scored
 * by when) and laris:sendq:epoch (present while Redis still holds what the relay pushed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"

#define NUMBERS_KEY "laris:sendq:numbers"
#define RETRY_KEY   "laris:sendq:retry"
#define EPOCH_KEY   "laris:sendq:epoch"

/* RPUSHes jobs given as ARGV pairs (number, job) and lists their numbers. */
static kv_script_t push_script = {
    "for i = 1, #ARGV, 2 do\n"
    "  redis.call('RPUSH', 'laris:{n:' .. ARGV[i] .. '}:sendq', ARGV[i + 1])\n"
    "  redis.call('SADD', '" NUMBERS_KEY "', ARGV[i])\n"
    "end\n"
    "return #ARGV / 2\n",
    ""};

laris_rc laris_kv_sendq_push_many(laris_kv_t *kv, int n, const int64_t *numbers,
                                  const char *const *jobs, laris_err_t *err)
{
    if (n <= 0)
        return LARIS_OK;
    if (n > KV_EVAL_MAX_ARGS / 2)
        abort();
    char ids[KV_EVAL_MAX_ARGS / 2][24];
    const char *args[KV_EVAL_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        snprintf(ids[i], sizeof(ids[i]), "%lld", (long long)numbers[i]);
        args[(size_t)2 * i] = ids[i];
        args[(size_t)2 * i + 1] = jobs[i];
    }
    redisReply *reply;
    laris_rc rc = kv_eval(kv, &push_script, &reply, err, 0, 2 * n, args);
    if (rc != LARIS_OK)
        return rc;
    freeReplyObject(reply);
    return LARIS_OK;
}

/* Moves up to ARGV[1] jobs from KEYS[1] (the queue) to KEYS[2] (the processing list). */
static kv_script_t take_script = {"local out = {}\n"
                                  "for i = 1, tonumber(ARGV[1]) do\n"
                                  "  local job = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', "
                                  "'RIGHT')\n"
                                  "  if not job then break end\n"
                                  "  out[#out + 1] = job\n"
                                  "end\n"
                                  "return out\n",
                                  ""};

laris_rc laris_kv_sendq_take(laris_kv_t *kv, int64_t number_id, int max,
                             char (*jobs)[LARIS_KV_JOB_MAX], int *got, laris_err_t *err)
{
    char queue[64], processing[64], count[16];
    snprintf(queue, sizeof(queue), "laris:{n:%lld}:sendq", (long long)number_id);
    snprintf(processing, sizeof(processing), "laris:{n:%lld}:processing", (long long)number_id);
    snprintf(count, sizeof(count), "%d", max);
    const char *args[3] = {queue, processing, count};
    redisReply *reply;
    *got = 0;
    laris_rc rc = kv_eval(kv, &take_script, &reply, err, 2, 3, args);
    if (rc != LARIS_OK)
        return rc;
    if (reply->type != REDIS_REPLY_ARRAY)
        return kv_simple(kv, err, reply);
    for (size_t i = 0; i < reply->elements && *got < max; i++)
        if (reply->element[i]->type == REDIS_REPLY_STRING)
            snprintf(jobs[(*got)++], LARIS_KV_JOB_MAX, "%s", reply->element[i]->str);
    freeReplyObject(reply);
    return LARIS_OK;
}

laris_rc laris_kv_sendq_ack(laris_kv_t *kv, int64_t number_id, const char *job, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = kv_command(kv, &reply, err, "LREM laris:{n:%lld}:processing 1 %s",
                             (long long)number_id, job);
    return rc == LARIS_OK ? kv_simple(kv, err, reply) : rc;
}

/* LREMs jobs given as ARGV pairs (number, job) from their numbers' processing lists. */
static kv_script_t ack_script = {
    "for i = 1, #ARGV, 2 do\n"
    "  redis.call('LREM', 'laris:{n:' .. ARGV[i] .. '}:processing', 1, ARGV[i + 1])\n"
    "end\n"
    "return #ARGV / 2\n",
    ""};

laris_rc laris_kv_sendq_ack_many(laris_kv_t *kv, int n, const int64_t *numbers,
                                 const char *const *jobs, laris_err_t *err)
{
    if (n <= 0)
        return LARIS_OK;
    if (n > KV_EVAL_MAX_ARGS / 2)
        abort();
    char ids[KV_EVAL_MAX_ARGS / 2][24];
    const char *args[KV_EVAL_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        snprintf(ids[i], sizeof(ids[i]), "%lld", (long long)numbers[i]);
        args[(size_t)2 * i] = ids[i];
        args[(size_t)2 * i + 1] = jobs[i];
    }
    redisReply *reply;
    laris_rc rc = kv_eval(kv, &ack_script, &reply, err, 0, 2 * n, args);
    if (rc != LARIS_OK)
        return rc;
    freeReplyObject(reply);
    return LARIS_OK;
}

laris_rc laris_kv_sendq_reclaim(laris_kv_t *kv, int64_t number_id, laris_err_t *err)
{
    for (;;) {
        redisReply *reply;
        laris_rc rc = kv_command(kv, &reply, err,
                                 "LMOVE laris:{n:%lld}:processing laris:{n:%lld}:sendq RIGHT LEFT",
                                 (long long)number_id, (long long)number_id);
        if (rc != LARIS_OK)
            return rc;
        bool moved = reply->type == REDIS_REPLY_STRING;
        if (!moved && reply->type != REDIS_REPLY_NIL)
            return kv_simple(kv, err, reply);
        freeReplyObject(reply);
        if (!moved)
            return LARIS_OK;
    }
}

laris_rc laris_kv_sendq_numbers(laris_kv_t *kv, int64_t *ids, size_t max, size_t *n,
                                laris_err_t *err)
{
    redisReply *reply;
    *n = 0;
    laris_rc rc = kv_command(kv, &reply, err, "SMEMBERS " NUMBERS_KEY);
    if (rc != LARIS_OK)
        return rc;
    if (reply->type != REDIS_REPLY_ARRAY)
        return kv_simple(kv, err, reply);
    for (size_t i = 0; i < reply->elements && *n < max; i++)
        if (reply->element[i]->type == REDIS_REPLY_STRING)
            ids[(*n)++] = strtoll(reply->element[i]->str, NULL, 10);
    freeReplyObject(reply);
    return LARIS_OK;
}

/* For each number in ARGV[3..]: renews its lease when ARGV[1] holds it (1), takes it when
 * nobody does (2), else 0; ARGV[2] is the time to live. Touches keys it is not given (one
 * Redis, not a cluster). */
static kv_script_t lease_script = {"local out = {}\n"
                                   "for i = 3, #ARGV do\n"
                                   "  local key = 'laris:{n:' .. ARGV[i] .. '}:lease'\n"
                                   "  local holder = redis.call('GET', key)\n"
                                   "  if holder == ARGV[1] then\n"
                                   "    redis.call('PEXPIRE', key, ARGV[2])\n"
                                   "    out[#out + 1] = 1\n"
                                   "  elseif holder then\n"
                                   "    out[#out + 1] = 0\n"
                                   "  else\n"
                                   "    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])\n"
                                   "    out[#out + 1] = 2\n"
                                   "  end\n"
                                   "end\n"
                                   "return out\n",
                                   ""};

laris_rc laris_kv_leases(laris_kv_t *kv, const char *owner, int64_t ttl_ms, int n,
                         const int64_t *numbers, int *states, laris_err_t *err)
{
    if (n <= 0)
        return LARIS_OK;
    if (n > KV_EVAL_MAX_ARGS - 2)
        abort();
    char ttl[24], ids[KV_EVAL_MAX_ARGS][24];
    const char *args[KV_EVAL_MAX_ARGS];
    snprintf(ttl, sizeof(ttl), "%lld", (long long)ttl_ms);
    args[0] = owner;
    args[1] = ttl;
    for (int i = 0; i < n; i++) {
        snprintf(ids[i], sizeof(ids[i]), "%lld", (long long)numbers[i]);
        args[2 + i] = ids[i];
    }
    redisReply *reply;
    laris_rc rc = kv_eval(kv, &lease_script, &reply, err, 0, n + 2, args);
    if (rc != LARIS_OK)
        return rc;
    bool ok = reply->type == REDIS_REPLY_ARRAY && reply->elements == (size_t)n;
    for (int i = 0; ok && i < n; i++)
        states[i] =
            reply->element[i]->type == REDIS_REPLY_INTEGER ? (int)reply->element[i]->integer : 0;
    freeReplyObject(reply);
    return ok ? LARIS_OK : kv_unavailable(kv, err);
}

/* Deletes the lease only when ARGV[1] holds it. */
static kv_script_t release_script = {"if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
                                     "  redis.call('DEL', KEYS[1])\n"
                                     "end\n"
                                     "return 0\n",
                                     ""};

laris_rc laris_kv_lease_release(laris_kv_t *kv, int64_t number_id, const char *owner,
                                laris_err_t *err)
{
    char key[64];
    snprintf(key, sizeof(key), "laris:{n:%lld}:lease", (long long)number_id);
    const char *args[2] = {key, owner};
    redisReply *reply;
    laris_rc rc = kv_eval(kv, &release_script, &reply, err, 1, 2, args);
    if (rc == LARIS_OK)
        freeReplyObject(reply);
    return rc;
}

laris_rc laris_kv_retry_add(laris_kv_t *kv, int64_t number_id, const char *job, int64_t delay_ms,
                            laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = kv_command(kv, &reply, err, "TIME");
    if (rc != LARIS_OK)
        return rc;
    bool ok = reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
              reply->element[0]->type == REDIS_REPLY_STRING;
    long long now_ms = ok ? strtoll(reply->element[0]->str, NULL, 10) * 1000 +
                                strtoll(reply->element[1]->str, NULL, 10) / 1000
                          : 0;
    freeReplyObject(reply);
    if (!ok)
        return kv_unavailable(kv, err);
    rc = kv_command(kv, &reply, err, "ZADD " RETRY_KEY " %lld %lld|%s", now_ms + delay_ms,
                    (long long)number_id, job);
    return rc == LARIS_OK ? kv_simple(kv, err, reply) : rc;
}

/* Moves up to ARGV[1] due retries ("<number>|<job>") to the front of their number's queue.
 * Touches keys it is not given (one Redis, not a cluster). */
static kv_script_t retry_due_script = {
    "local t = redis.call('TIME')\n"
    "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
    "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, ARGV[1])\n"
    "for _, item in ipairs(due) do\n"
    "  local number, job = string.match(item, '^(%d+)|(.+)$')\n"
    "  if number then\n"
    "    redis.call('LPUSH', 'laris:{n:' .. number .. '}:sendq', job)\n"
    "    redis.call('SADD', '" NUMBERS_KEY "', number)\n"
    "  end\n"
    "  redis.call('ZREM', KEYS[1], item)\n"
    "end\n"
    "return #due\n",
    ""};

laris_rc laris_kv_retry_due(laris_kv_t *kv, int max, int *moved, laris_err_t *err)
{
    char limit[16];
    snprintf(limit, sizeof(limit), "%d", max);
    const char *args[2] = {RETRY_KEY, limit};
    redisReply *reply;
    laris_rc rc = kv_eval(kv, &retry_due_script, &reply, err, 1, 2, args);
    if (rc != LARIS_OK)
        return rc;
    *moved = reply->type == REDIS_REPLY_INTEGER ? (int)reply->integer : 0;
    freeReplyObject(reply);
    return LARIS_OK;
}

laris_rc laris_kv_sendq_epoch(laris_kv_t *kv, bool set, bool *present, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = set ? kv_command(kv, &reply, err, "SET " EPOCH_KEY " 1")
                      : kv_command(kv, &reply, err, "EXISTS " EPOCH_KEY);
    if (rc != LARIS_OK)
        return rc;
    if (!set && reply->type == REDIS_REPLY_INTEGER)
        *present = reply->integer == 1;
    return kv_simple(kv, err, reply);
}
