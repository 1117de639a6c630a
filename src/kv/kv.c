/* Redis access: one lazily opened connection per process with short timeouts, and windowed
 * counters done atomically by a Lua script that is loaded once and called by SHA. */
#include <hiredis/hiredis.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"
#include "laris/kv.h"
#include "laris/log.h"

struct laris_kv_s {
    char host[256];
    int port;
    int database;
    redisContext *ctx;
    char hit_sha[41]; /* SHA of the loaded counter script, "" until loaded */
};

/* INCR a key; on its first hit give it the window (ms) as expiry. Returns {count, ttl_ms}. */
static const char hit_script[] = "local n = redis.call('INCR', KEYS[1])\n"
                                 "local ttl = redis.call('PTTL', KEYS[1])\n"
                                 "if ttl < 0 then\n"
                                 "  redis.call('PEXPIRE', KEYS[1], ARGV[1])\n"
                                 "  ttl = tonumber(ARGV[1])\n"
                                 "end\n"
                                 "return {n, ttl}\n";

/* Parses redis://host:port/db (port and db optional). */
static bool parse_url(laris_kv_t *kv, const char *url)
{
    const char *prefix = "redis://";
    if (strncmp(url, prefix, strlen(prefix)) != 0)
        return false;
    const char *host = url + strlen(prefix);
    size_t host_len = strcspn(host, ":/");
    if (host_len == 0 || host_len >= sizeof(kv->host))
        return false;
    memcpy(kv->host, host, host_len);
    kv->host[host_len] = '\0';
    const char *rest = host + host_len;
    kv->port = 6379;
    kv->database = 0;
    if (*rest == ':') {
        char *end;
        long port = strtol(rest + 1, &end, 10);
        if (port <= 0 || port > 65535)
            return false;
        kv->port = (int)port;
        rest = end;
    }
    if (*rest == '/' && rest[1]) {
        char *end;
        long database = strtol(rest + 1, &end, 10);
        if (database < 0 || database > 1024 || *end)
            return false;
        kv->database = (int)database;
    }
    return true;
}

laris_kv_t *laris_kv_create(const char *url)
{
    laris_kv_t *kv = calloc(1, sizeof(*kv));
    if (!kv) {
        fputs("laris: out of memory\n", stderr);
        abort();
    }
    if (!parse_url(kv, url)) {
        laris_log(LARIS_ERROR, "REDIS_URL is not redis://host:port/db; using 127.0.0.1:6379");
        snprintf(kv->host, sizeof(kv->host), "127.0.0.1");
        kv->port = 6379;
    }
    return kv;
}

static void disconnect(laris_kv_t *kv)
{
    if (kv->ctx)
        redisFree(kv->ctx);
    kv->ctx = NULL;
    kv->hit_sha[0] = '\0';
}

void laris_kv_destroy(laris_kv_t *kv)
{
    if (!kv)
        return;
    disconnect(kv);
    free(kv);
}

static laris_rc unavailable(laris_kv_t *kv, laris_err_t *err)
{
    laris_log(LARIS_WARN, "Redis unavailable: %s", kv->ctx ? kv->ctx->errstr : "no connection");
    disconnect(kv);
    err->retry_after = 1;
    return laris_err_set(err, LARIS_EUNAVAILABLE, "A service is unavailable. Try again shortly.");
}

/* Connects when there is no connection yet (or the last one failed). */
static laris_rc ensure_connected(laris_kv_t *kv, laris_err_t *err)
{
    if (!kv->ctx) {
        struct timeval timeout = {1, 0};
        kv->ctx = redisConnectWithTimeout(kv->host, kv->port, timeout);
        if (!kv->ctx || kv->ctx->err)
            return unavailable(kv, err);
        redisSetTimeout(kv->ctx, timeout);
        if (kv->database) {
            redisReply *r = redisCommand(kv->ctx, "SELECT %d", kv->database);
            bool ok = r && r->type != REDIS_REPLY_ERROR;
            if (r)
                freeReplyObject(r);
            if (!ok)
                return unavailable(kv, err);
        }
    }
    return LARIS_OK;
}

/* Runs a command; a NULL reply or an error reply is LARIS_EUNAVAILABLE. The caller frees. */
static laris_rc command(laris_kv_t *kv, redisReply **out, laris_err_t *err, const char *fmt, ...)
{
    laris_rc rc = ensure_connected(kv, err);
    if (rc != LARIS_OK)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    redisReply *reply = redisvCommand(kv->ctx, fmt, ap);
    va_end(ap);
    if (!reply)
        return unavailable(kv, err);
    *out = reply;
    return LARIS_OK;
}

laris_rc kv_command_argv(laris_kv_t *kv, int argc, const char **argv, const size_t *lens,
                         redisReply **out, laris_err_t *err)
{
    laris_rc rc = ensure_connected(kv, err);
    if (rc != LARIS_OK)
        return rc;
    redisReply *reply = redisCommandArgv(kv->ctx, argc, argv, lens);
    if (!reply)
        return unavailable(kv, err);
    *out = reply;
    return LARIS_OK;
}

laris_rc kv_unavailable(laris_kv_t *kv, laris_err_t *err)
{
    return unavailable(kv, err);
}

laris_rc laris_kv_ping(laris_kv_t *kv, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = command(kv, &reply, err, "PING");
    if (rc != LARIS_OK)
        return rc;
    bool ok = reply->type == REDIS_REPLY_STATUS;
    freeReplyObject(reply);
    return ok ? LARIS_OK : unavailable(kv, err);
}

static laris_rc load_hit_script(laris_kv_t *kv, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = command(kv, &reply, err, "SCRIPT LOAD %s", hit_script);
    if (rc != LARIS_OK)
        return rc;
    bool ok = reply->type == REDIS_REPLY_STRING && reply->len == 40;
    if (ok)
        memcpy(kv->hit_sha, reply->str, 41);
    freeReplyObject(reply);
    return ok ? LARIS_OK : unavailable(kv, err);
}

laris_rc laris_kv_hit(laris_kv_t *kv, const char *key, int window_seconds, int64_t *count,
                      int64_t *ttl_ms, laris_err_t *err)
{
    long long window_ms = (long long)window_seconds * 1000;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!kv->hit_sha[0] || !kv->ctx) {
            laris_rc rc = load_hit_script(kv, err);
            if (rc != LARIS_OK)
                return rc;
        }
        redisReply *reply;
        laris_rc rc = command(kv, &reply, err, "EVALSHA %s 1 %s %lld", kv->hit_sha, key, window_ms);
        if (rc != LARIS_OK)
            return rc;
        if (reply->type == REDIS_REPLY_ERROR && strncmp(reply->str, "NOSCRIPT", 8) == 0) {
            freeReplyObject(reply);
            kv->hit_sha[0] = '\0';
            continue;
        }
        bool ok = reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
                  reply->element[0]->type == REDIS_REPLY_INTEGER &&
                  reply->element[1]->type == REDIS_REPLY_INTEGER;
        if (ok) {
            *count = reply->element[0]->integer;
            *ttl_ms = reply->element[1]->integer;
        }
        freeReplyObject(reply);
        return ok ? LARIS_OK : unavailable(kv, err);
    }
    return unavailable(kv, err);
}

laris_rc laris_kv_peek(laris_kv_t *kv, const char *key, int64_t *count, int64_t *ttl_ms,
                       laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = command(kv, &reply, err, "MGET %s", key);
    if (rc != LARIS_OK)
        return rc;
    *count = 0;
    *ttl_ms = 0;
    bool ok = reply->type == REDIS_REPLY_ARRAY && reply->elements == 1;
    if (ok && reply->element[0]->type == REDIS_REPLY_STRING)
        *count = strtoll(reply->element[0]->str, NULL, 10);
    freeReplyObject(reply);
    if (!ok)
        return unavailable(kv, err);
    if (*count == 0)
        return LARIS_OK;
    rc = command(kv, &reply, err, "PTTL %s", key);
    if (rc != LARIS_OK)
        return rc;
    if (reply->type == REDIS_REPLY_INTEGER && reply->integer > 0)
        *ttl_ms = reply->integer;
    freeReplyObject(reply);
    return LARIS_OK;
}

laris_rc laris_kv_del(laris_kv_t *kv, const char *key, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = command(kv, &reply, err, "DEL %s", key);
    if (rc != LARIS_OK)
        return rc;
    freeReplyObject(reply);
    return LARIS_OK;
}

/* ---- send queues ---- */

#define NUMBERS_KEY "laris:sendq:numbers"

/* Runs a command whose reply is only checked for being no error. */
static laris_rc simple(laris_kv_t *kv, laris_err_t *err, redisReply *reply)
{
    bool ok = reply->type != REDIS_REPLY_ERROR;
    if (!ok)
        laris_log(LARIS_WARN, "Redis error: %.200s", reply->str);
    freeReplyObject(reply);
    return ok ? LARIS_OK : unavailable(kv, err);
}

laris_rc laris_kv_sendq_push(laris_kv_t *kv, int64_t number_id, const char *job, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = command(kv, &reply, err, "RPUSH laris:{n:%lld}:sendq %s", (long long)number_id,
                          job);
    if (rc == LARIS_OK)
        rc = simple(kv, err, reply);
    if (rc == LARIS_OK)
        rc = command(kv, &reply, err, "SADD " NUMBERS_KEY " %lld", (long long)number_id);
    if (rc == LARIS_OK)
        rc = simple(kv, err, reply);
    return rc;
}

laris_rc laris_kv_sendq_take(laris_kv_t *kv, int64_t number_id, char *job, size_t size, bool *got,
                             laris_err_t *err)
{
    redisReply *reply;
    *got = false;
    laris_rc rc = command(kv, &reply, err,
                          "LMOVE laris:{n:%lld}:sendq laris:{n:%lld}:processing LEFT RIGHT",
                          (long long)number_id, (long long)number_id);
    if (rc != LARIS_OK)
        return rc;
    if (reply->type == REDIS_REPLY_STRING) {
        snprintf(job, size, "%s", reply->str);
        *got = true;
    } else if (reply->type != REDIS_REPLY_NIL) {
        return simple(kv, err, reply);
    }
    freeReplyObject(reply);
    return LARIS_OK;
}

laris_rc laris_kv_sendq_ack(laris_kv_t *kv, int64_t number_id, const char *job, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = command(kv, &reply, err, "LREM laris:{n:%lld}:processing 1 %s",
                          (long long)number_id, job);
    return rc == LARIS_OK ? simple(kv, err, reply) : rc;
}

laris_rc laris_kv_sendq_reclaim(laris_kv_t *kv, int64_t number_id, laris_err_t *err)
{
    for (;;) {
        redisReply *reply;
        laris_rc rc = command(kv, &reply, err,
                              "LMOVE laris:{n:%lld}:processing laris:{n:%lld}:sendq RIGHT LEFT",
                              (long long)number_id, (long long)number_id);
        if (rc != LARIS_OK)
            return rc;
        bool moved = reply->type == REDIS_REPLY_STRING;
        if (!moved && reply->type != REDIS_REPLY_NIL)
            return simple(kv, err, reply);
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
    laris_rc rc = command(kv, &reply, err, "SMEMBERS " NUMBERS_KEY);
    if (rc != LARIS_OK)
        return rc;
    if (reply->type != REDIS_REPLY_ARRAY)
        return simple(kv, err, reply);
    for (size_t i = 0; i < reply->elements && *n < max; i++)
        if (reply->element[i]->type == REDIS_REPLY_STRING)
            ids[(*n)++] = strtoll(reply->element[i]->str, NULL, 10);
    freeReplyObject(reply);
    return LARIS_OK;
}

/* GCRA: the key holds the theoretical arrival time (microseconds, written with %d: Lua's own
 * number format keeps only 14 digits). A send may go when now is no earlier than
 * tat - (burst - 1) * interval; then tat moves on by one interval. A tat up to slack in the past
 * is kept (a late send does not shift the schedule); an older one restarts it at now. Returns
 * the wait in microseconds. */
static const char gcra_script[] =
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
    "return 0\n";

laris_rc laris_kv_gcra(laris_kv_t *kv, int64_t number_id, int64_t interval_us, int burst,
                       int64_t slack_us, int64_t *wait_us, laris_err_t *err)
{
    redisReply *reply;
    laris_rc rc = command(kv, &reply, err, "EVAL %s 1 laris:{n:%lld}:gcra %lld %d %lld",
                          gcra_script, (long long)number_id, (long long)interval_us,
                          burst < 1 ? 1 : burst, (long long)(slack_us < 0 ? 0 : slack_us));
    if (rc != LARIS_OK)
        return rc;
    if (reply->type != REDIS_REPLY_INTEGER)
        return simple(kv, err, reply);
    *wait_us = reply->integer;
    freeReplyObject(reply);
    return LARIS_OK;
}
